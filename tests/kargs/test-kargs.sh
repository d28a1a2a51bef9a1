#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-kargs.sh DPDK_BOOT KILLAT_SO BACKEND
#
# `dpdk-boot kargs` on fixture /etc, /boot and /usr trees, one backend per run (bls, grub, bootc,
# grubby with tests/kargs/fake-grubby, uki with tests/kargs/fake-ukify, boot: the --boot reboot
# policy). For each: apply, apply
# again (nothing changes, byte for byte), change a value, remove a setting, the user's arguments
# and files kept byte for byte, --dry-run writes nothing. Then kill -9 at every step of the
# writing (killat.c: before and after each mkostemp/write/fchmod/fsync/rename/unlink, a write
# also half done) while going from one configuration to the next: every file must be the old or
# the new one after each kill, and a run after the kill must finish the job.
set -euo pipefail

DPDK_BOOT=${1:?usage: test-kargs.sh DPDK_BOOT KILLAT_SO BACKEND}
KILLAT=${2:?}
BACKEND=${3:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
out=$work/out
err=$work/err
rc=0
checks=0

UKIFY=$here/fake-ukify
case $(uname -m) in
    aarch64) STUB=addonaa64.efi.stub ;;
    i?86) STUB=addonia32.efi.stub ;;
    *) STUB=addonx64.efi.stub ;;
esac
UKI_DIR=boot/efi/EFI/Linux
ADDON=.extra.d/dpdk-boot.addon.efi

FOREIGN='root=UUID=0b7c-11 ro  quiet splash "acpi_osi=!Windows 2012" console=ttyS0,115200n8'

fail() {
    echo "FAIL ($BACKEND): $*" >&2
    echo "--- stdout:" >&2
    cat "$out" >&2 || true
    echo "--- stderr:" >&2
    cat "$err" >&2 || true
    exit 1
}
ok() { checks=$((checks + 1)); }

run() {  # run ARGS...: dpdk-boot on the tree; sets rc
    rc=0
    # in a subshell whose stderr is dropped: bash reports a killed child there ("Killed")
    (env -u NO_COLOR DPDK_BOOT_ROOT="$root" DPDK_BOOT_GRUBBY="$here/fake-grubby" SYSTEMD_PROC_CMDLINE="${CMDLINE:-}" \
        ${UPDATE_GRUB:+DPDK_BOOT_UPDATE_GRUB="$UPDATE_GRUB"} ${UKIFY:+DPDK_BOOT_UKIFY="$UKIFY"} \
        SYSTEMD_IN_INITRD=0 ${KILL_AT:+LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$KILLAT" KARGS_KILL_AT=$KILL_AT} \
        "$DPDK_BOOT" kargs "$@" > "$out" 2> "$err") 2> /dev/null || rc=$?
}

generate() {  # generate DIR CMDLINE: the generator on the tree into a fresh DIR; its log (info) on stdout
    rm -rf "$1"
    mkdir -p "$1"
    DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE="$2" SYSTEMD_IN_INITRD=0 DPDK_BOOT_LOG_LEVEL=info \
        "$DPDK_BOOT_GENERATOR" "$1" "$1" "$1" 2>&1
}

expect_rc() { [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"; ok; }
expect_out() { grep -qF -- "$1" "$out" || fail "stdout lacks: $1"; ok; }
expect_no_out() { ! grep -qF -- "$1" "$out" || fail "stdout has: $1"; ok; }
expect_content() {  # FILE EXPECTED (whole file, a newline added)
    [ -f "$root/$1" ] || fail "$1 does not exist"
    printf '%s\n' "$2" | cmp -s - "$root/$1" || fail "$1 is '$(cat "$root/$1")', expected '$2'"
    ok
}
expect_has() { grep -qF -- "$2" "$root/$1" || fail "$1 lacks $2: $(cat "$root/$1")"; ok; }
expect_hasnt() { ! grep -qF -- "$2" "$root/$1" || fail "$1 still has $2: $(cat "$root/$1")"; ok; }

config() {  # config [2M-COUNT [with-cpu]]
    mkdir -p "$root/etc/dpdk-boot"
    {
        printf '[Hugepages]\nSize=1G\nPerNode=0:2,1:2\n\n[Hugepages]\nSize=2M\nCount=%s\n\n' "${1:-512}"
        [ "${2:-cpu}" = cpu ] && printf '[CPU]\nIsolate=2-7\nHousekeeping=0-1\n\n'
        printf '[IOMMU]\nMode=pt\n\n[Kernel]\nManageArgs=yes\nRebootPolicy=once\n'
        [ -z "${TAKEOVER:-}" ] || printf 'TakeOverArgs=yes\n'
        [ "$BACKEND" = grubby ] && printf 'Bootloader=grubby\n'
        true
    } > "$root/etc/dpdk-boot/dpdk-boot.conf"
}

ARGS_A="default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2 hugepagesz=2M hugepages=512 isolcpus=managed_irq,domain,2-7 nohz_full=2-7 rcu_nocbs=2-7 irqaffinity=0-1 intel_iommu=on iommu=pt"
ARGS_B=${ARGS_A/hugepages=512/hugepages=1024}
ARGS_C="default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2 hugepagesz=2M hugepages=1024 intel_iommu=on iommu=pt"

fixture() {
    rm -rf "$root"
    mkdir -p "$root/proc/sys/kernel" "$root/sys/firmware/acpi/tables" "$root/etc"
    echo 6.1.0-18-amd64 > "$root/proc/sys/kernel/osrelease"
    : > "$root/sys/firmware/acpi/tables/DMAR"
    echo 4c4c4544004a3510 > "$root/etc/machine-id"
    case $BACKEND in
        bls | boot | grubby)
            mkdir -p "$root/etc/kernel" "$root/boot/loader/entries"
            printf '%s\n' "$FOREIGN" > "$root/etc/kernel/cmdline"
            for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
                printf 'title      Debian GNU/Linux 12\nversion    %s\nlinux      /4c4c4544004a3510/%s/linux\noptions    %s\n' \
                    "$v" "$v" "$FOREIGN" > "$root/boot/loader/entries/4c4c4544004a3510-$v.conf"
            done
            printf 'title other\noptions root=/dev/sdb1 iommu=soft\n' > "$root/boot/loader/entries/ffff0000-6.1.conf"
            ;;
        grub)
            mkdir -p "$root/etc/default/grub.d"
            printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="quiet"\n' > "$root/etc/default/grub"
            printf 'GRUB_TIMEOUT=1\n' > "$root/etc/default/grub.d/10-user.cfg"
            ;;
        bootc)
            mkdir -p "$root/usr/lib/bootc/kargs.d"
            printf 'kargs = ["console=ttyS0"]\n' > "$root/usr/lib/bootc/kargs.d/10-user.toml"
            ;;
        uki)
            # UKIs of kernel-install's (no loader entries), one of another installation's
            mkdir -p "$root/etc/kernel" "$root/$UKI_DIR" "$root/usr/lib/systemd/boot/efi"
            printf '%s\n' "$FOREIGN" > "$root/etc/kernel/cmdline"
            for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
                echo "UKI $v" > "$root/$UKI_DIR/4c4c4544004a3510-$v.efi"
            done
            echo "UKI other" > "$root/$UKI_DIR/ffff0000-6.1.efi"
            echo "addon stub" > "$root/usr/lib/systemd/boot/efi/$STUB"
            ;;
    esac
    config
}

# Where ours must be, and what of the user's must stay as it was.
expect_args() {  # ARGS
    case $BACKEND in
        bls | boot)
            expect_content etc/kernel/cmdline "$FOREIGN $1"
            for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
                expect_content "boot/loader/entries/4c4c4544004a3510-$v.conf" \
                    "$(printf 'title      Debian GNU/Linux 12\nversion    %s\nlinux      /4c4c4544004a3510/%s/linux\noptions    %s' \
                        "$v" "$v" "$FOREIGN $1")"
            done
            expect_content boot/loader/entries/ffff0000-6.1.conf "$(printf 'title other\noptions root=/dev/sdb1 iommu=soft')"
            ;;
        grubby)
            # fake-grubby rewrites the line itself (single spaces): the words are what counts
            expect_content etc/kernel/cmdline "$FOREIGN"
            [ "$(sed -n 's/^options *//p' "$root/boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf")" = \
                "${FOREIGN//  / } $1" ] || fail "grubby entry: $(cat "$root/boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf")"
            ok
            ;;
        grub)
            expect_content etc/default/grub.d/50-dpdk-boot.cfg "$(printf '%s\n%s\n%s' \
                "# Written by dpdk-boot kargs: the kernel arguments /etc/dpdk-boot/dpdk-boot.conf needs." \
                "# Do not edit; change the configuration and run 'dpdk-boot kargs'." \
                "GRUB_CMDLINE_LINUX=\"\${GRUB_CMDLINE_LINUX:+\$GRUB_CMDLINE_LINUX }$1\"")"
            expect_content etc/default/grub "$(printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="quiet"')"
            expect_content etc/default/grub.d/10-user.cfg GRUB_TIMEOUT=1
            # what grub-mkconfig would get: source both, as it does
            # shellcheck source=/dev/null
            [ "$(GRUB_CMDLINE_LINUX=; . "$root/etc/default/grub"; . "$root/etc/default/grub.d/50-dpdk-boot.cfg"; echo "$GRUB_CMDLINE_LINUX")" = "quiet $1" ] ||
                fail "sourced GRUB_CMDLINE_LINUX is wrong"
            ok
            ;;
        bootc)
            local toml="" w
            for w in $1; do toml+="${toml:+, }\"$w\""; done
            expect_content usr/lib/bootc/kargs.d/50-dpdk-boot.toml "$(printf '%s\nkargs = [%s]' \
                "# Written by dpdk-boot kargs: the kernel arguments /etc/dpdk-boot/dpdk-boot.conf needs." "$toml")"
            expect_content usr/lib/bootc/kargs.d/10-user.toml 'kargs = ["console=ttyS0"]'
            ;;
        uki)
            expect_content etc/kernel/cmdline "$FOREIGN $1"
            for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
                expect_content "$UKI_DIR/4c4c4544004a3510-$v.efi$ADDON" \
                    "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$1")"
                expect_content "$UKI_DIR/4c4c4544004a3510-$v.efi" "UKI $v"
            done
            [ ! -e "$root/$UKI_DIR/ffff0000-6.1.efi.extra.d" ] || fail "an addon for another installation's UKI"
            ok
            ;;
    esac
    # what we wrote is recorded, for removing it later
    [ "$(grep -v '^#' "$root/var/lib/dpdk-boot/kargs-owned" | tr '\n' ' ')" = "$1 " ] || fail "kargs-owned: $(cat "$root/var/lib/dpdk-boot/kargs-owned")"
    ok
}

# Every file under the tree except the temporary files of an interrupted write, with checksums.
snapshot() {
    (cd "$root" && find . -type f -regextype posix-extended ! -regex '.*/\.#[^/]*\.dpdk-boot-[A-Za-z0-9]{6}$' ! -name grubby.log \
        ! -name update-grub.calls ! -name ukify.calls ! -name kargs-pending \
        -exec sha256sum {} + | sed 's|  \./| |' | LC_ALL=C sort -k2)
}

test_lifecycle() {
    fixture
    run --dry-run
    expect_rc 0
    if [ "$BACKEND" = grubby ]; then expect_out "would run:"; else expect_out "+++ "; fi
    [ ! -e "$root/var/lib/dpdk-boot/kargs-owned" ] || fail "--dry-run wrote state"
    ok
    local before
    before=$(snapshot)
    [ "$(cd "$root" && find . -name '*.XXXXXX' | wc -l)" = 0 ] || fail "temporary files left"

    run
    expect_rc 0
    expect_out "Bootloader: $([ "$BACKEND" = boot ] && echo bls || echo "$BACKEND")"
    expect_args "$ARGS_A"

    before=$(snapshot)
    run
    expect_rc 0
    if [ "$BACKEND" = grubby ]; then expect_out "unchanged"; else expect_no_out ": updated"; fi
    [ "$BACKEND" != uki ] || { expect_no_out "built with ukify"; expect_out "dpdk-boot.addon.efi: unchanged in 2 UKIs"; }
    [ "$(snapshot)" = "$before" ] || fail "a second apply changed files: $(diff <(echo "$before") <(snapshot))"
    ok

    config 1024
    run
    expect_rc 0
    expect_args "$ARGS_B"

    config 1024 nocpu
    run
    expect_rc 0
    expect_args "$ARGS_C"

    # the target kernel decides the per-node form
    run --kernel 5.10.0-28-amd64 --dry-run
    expect_rc 0
    expect_out "hugepagesz=1G hugepages=4 "

    # no settings left at all: none of ours remain
    printf '[Datapath]\nPreset=none\n\n[Kernel]\nManageArgs=yes\n' > "$root/etc/dpdk-boot/dpdk-boot.conf"
    [ "$BACKEND" = grubby ] && echo "Bootloader=grubby" >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    run
    expect_rc 0
    case $BACKEND in
        bls | boot) expect_content etc/kernel/cmdline "$FOREIGN" ;;
        grub) [ ! -e "$root/etc/default/grub.d/50-dpdk-boot.cfg" ] || fail "snippet not removed"; ok ;;
        bootc) [ ! -e "$root/usr/lib/bootc/kargs.d/50-dpdk-boot.toml" ] || fail "kargs.d file not removed"; ok ;;
        uki)
            expect_content etc/kernel/cmdline "$FOREIGN"
            for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
                [ ! -e "$root/$UKI_DIR/4c4c4544004a3510-$v.efi$ADDON" ] || fail "addon of $v not removed"
            done
            [ ! -e "$root/var/lib/dpdk-boot/uki-addon" ] || fail "uki-addon state not removed"
            ok
            ;;
        grubby) expect_hasnt boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf iommu=pt ;;
    esac
}

# kill -9 at every step from configuration A (applied) to B; every file is A's or B's after it (with
# GRUB and a fake update-grub, boot/grub/grub.cfg too: a kill before update-grub ran leaves the
# change pending, and the rerun runs it even when no file changes any more).
test_kill() {  # [A's config ARGS] [B's config ARGS]: config's arguments, words of one string
    local base=$work/base a b n=0 kills=0 now f a_conf=${1:-} b_conf=${2:-1024 nocpu}
    fixture
    # shellcheck disable=SC2086
    config $a_conf
    run
    expect_rc 0
    rm -rf "$base"
    cp -a "$root" "$base"
    a=$(snapshot)
    # shellcheck disable=SC2086
    config $b_conf
    run
    expect_rc 0
    b=$(snapshot)
    [ "$a" != "$b" ] || fail "A and B are the same"
    while :; do
        n=$((n + 1))
        [ "$n" -lt 500 ] || fail "more than 500 steps"
        rm -rf "$root"
        cp -a "$base" "$root"
        # shellcheck disable=SC2086
        config $b_conf
        a=$(snapshot)   # with B's configuration file, A's everything else
        KILL_AT=$n run
        [ "$rc" = 0 ] && break
        [ "$rc" = 137 ] || fail "step $n: exit status $rc, expected a kill (137) or success"
        kills=$((kills + 1))
        now=$(snapshot)
        # each file as in A or as in B (absent, if it is absent in one of them)
        f=$(awk 'FNR == 1 { k++ } NF { h[k, $2] = $1; p[$2] = 1 }
                 END { for (f in p) if (h[3, f] != h[1, f] && h[3, f] != h[2, f]) print f }' \
            <(echo "$a") <(echo "$b") <(echo "$now"))
        [ -z "$f" ] || fail "step $n: $f is neither the old nor the new file ($(head -c 300 "$root/$f" 2>/dev/null))"
        ok
        KILL_AT='' run
        expect_rc 0
        [ "$(snapshot)" = "$b" ] || fail "step $n: a run after the kill did not reach B: $(diff <(echo "$b") <(snapshot))"
        # the killed write's temporary file, if any, went with the write that succeeded
        f=$(cd "$root" && find . -type f -regextype posix-extended -regex '.*/\.#[^/]*\.dpdk-boot-[A-Za-z0-9]{6}$' ! -name grubby.log)
        [ -z "$f" ] || fail "step $n: temporary files left after the rerun: $f"
        [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "step $n: update-grub or ukify still pending after the rerun"
        ok
    done
    [ "$kills" -ge 10 ] || fail "only $kills kill points: the hook is not reaching the writes"
    [ "$(snapshot)" = "$b" ] || fail "the run without a kill did not reach B"
    echo "kill -9 at $kills steps: each left the old or the new files, and a rerun finished"
}

# The words of ARGS each exactly once in the linux line of the fake update-grub's grub.cfg.
expect_grub_cfg_once() {  # ARGS
    local line w n
    line=$(sed -n 's/^\tlinux //p' "$root/boot/grub/grub.cfg")
    for w in $1; do
        n=$(tr ' ' '\n' <<< "$line" | grep -cxF -- "$w" || true)
        [ "$n" = 1 ] || fail "grub.cfg has $w $n times: $line"
    done
    ok
}

# /etc/default/grub of a host set up by hand: our families in both variables.
# shellcheck disable=SC2016  # the backticks are the file's, as on Debian
USER_GRUB='GRUB_DEFAULT=0
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX="quiet isolcpus=1 hugepagesz=1G"
# tuned put these here
GRUB_CMDLINE_LINUX_DEFAULT="splash nohz_full=1 intel_iommu=on"'

# GRUB: the user's words of our families are conflicts, named once with file and line, and nothing
# is written; TakeOverArgs=yes takes them out (a backup kept, mode kept) and grub.cfg gets each
# argument once; the running line then has them all, so no drift and no reboot.
test_grub_conflict() {
    fixture
    printf '%s\n' "$USER_GRUB" > "$root/etc/default/grub"
    chmod 0600 "$root/etc/default/grub"
    UPDATE_GRUB=$here/fake-update-grub
    run
    expect_rc 1
    for w in /etc/default/grub:3:\ isolcpus=1 /etc/default/grub:3:\ hugepagesz=1G \
        /etc/default/grub:5:\ nohz_full=1 /etc/default/grub:5:\ intel_iommu=on; do
        [ "$(grep -cF -- "$root$w is set here" "$err")" = 1 ] || fail "not named once: $w"
        ok
    done
    [ ! -e "$root/etc/default/grub.d/50-dpdk-boot.cfg" ] || fail "the snippet was written despite the conflict"
    [ ! -e "$root/update-grub.calls" ] || fail "update-grub ran despite the conflict"
    expect_content etc/default/grub "$USER_GRUB"
    # at boot: the service fails, and no reboot for nothing
    CMDLINE="root=UUID=0b7c-11 ro quiet isolcpus=1 hugepagesz=1G splash nohz_full=1 intel_iommu=on"
    run --boot
    expect_rc 1
    expect_no_out "would reboot"
    ! ls "$root"/var/lib/dpdk-boot/reboot-* > /dev/null 2>&1 || fail "a reboot guard for a conflict"
    ok
    # a running line with the user's words before ours (GRUB_CMDLINE_LINUX before a snippet that
    # appends to it): the kernel keeps the first isolcpus=, nohz_full= and hugepagesz=1G (with its
    # hugepages=), so the generator and status see them missing, and the kargs unit is pulled in
    # to report the conflict, where a last-word-counts reading saw nothing to do
    local gen=$work/gen-conflict lacks status_missing
    CMDLINE="root=UUID=0b7c-11 ro quiet isolcpus=1 nohz_full=1 hugepagesz=1G hugepages=8 $ARGS_A"
    lacks=$(generate "$gen" "$CMDLINE" | sed -n 's/.*The kernel command line lacks \(.*\): reboot required.*/\1/p' || true)
    [ "$lacks" = "hugepagesz=1G hugepages=0:2,1:2 isolcpus=managed_irq,domain,2-7 nohz_full=2-7" ] ||
        fail "the generator lacks '$lacks' on a line whose first isolcpus=, nohz_full=, hugepagesz=1G are the user's"
    [ -L "$gen/multi-user.target.wants/dpdk-boot-kargs.service" ] || fail "the kargs unit is not pulled in: $(ls -R "$gen")"
    status_missing=$(DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE="$CMDLINE" SYSTEMD_IN_INITRD=0 "$DPDK_BOOT" status 2>&1 |
        sed -n 's/.*missing: //p' || true)
    [ "$status_missing" = "$lacks" ] || fail "status misses '$status_missing', the generator '$lacks'"
    ok
    CMDLINE=''

    TAKEOVER=1 config
    # a later file whose value with words of ours cannot be edited (it expands something, or has
    # quotes inside: the shell's words are not the kernel's there; or another variable's, assigned on
    # the line of an editable one): refused, and no file changed, the earlier ones neither (all
    # found by fuzz/fuzz-bootloader)
    # shellcheck disable=SC2016
    for v in '"$GRUB_CMDLINE_LINUX isolcpus=2"' 'x"quiet isolcpus=2"' 'x"quiet isolcpus=2" GRUB_CMDLINE_LINUX_DEFAULT=splash' \
        'x A="isolcpus=2"
GRUB_CMDLINE_LINUX_DEFAULT="$A"'; do
        printf 'GRUB_CMDLINE_LINUX=%s\n' "$v" > "$root/etc/default/grub.d/30-exp.cfg"
        run
        expect_rc 1
        grep -qF "$root/etc/default/grub.d/30-exp.cfg:1: cannot take isolcpus=2 out" "$err" ||
            fail "no error for 30-exp.cfg with $v"
        expect_content etc/default/grub "$USER_GRUB"
        [ ! -e "$root/etc/default/grub.dpdk-boot-backup" ] || fail "a backup for a refused take-over"
        [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "update-grub pending for a refused take-over"
        [ ! -e "$root/etc/default/grub.d/50-dpdk-boot.cfg" ] || fail "the snippet written for a refused take-over"
        ok
    done
    rm "$root/etc/default/grub.d/30-exp.cfg"
    run
    expect_rc 0
    expect_content etc/default/grub.dpdk-boot-backup "$USER_GRUB"
    # shellcheck disable=SC2016
    expect_content etc/default/grub 'GRUB_DEFAULT=0
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX="quiet"
# tuned put these here
GRUB_CMDLINE_LINUX_DEFAULT="splash"'
    [ "$(stat -c %a "$root/etc/default/grub")" = 600 ] || fail "mode of /etc/default/grub changed"
    [ "$(stat -c %a "$root/etc/default/grub.dpdk-boot-backup")" = 600 ] || fail "the backup is not 0600"
    ok
    expect_out "update-grub: done"
    expect_grub_cfg_once "$ARGS_A quiet splash"
    [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "pending after a successful update-grub"
    ok
    # the line grub.cfg boots: nothing missing, no reboot; a second run changes nothing
    CMDLINE=$(sed -n 's/^\tlinux [^ ]* //p' "$root/boot/grub/grub.cfg")
    TAKEOVER=1 run --boot
    expect_rc 0
    expect_out "Reboot: not needed"
    local before
    before=$(snapshot)
    TAKEOVER=1 run
    expect_rc 0
    [ "$(snapshot)" = "$before" ] || fail "a second run changed files"
    [ "$(wc -l < "$root/update-grub.calls")" = 1 ] || fail "update-grub ran again for nothing"
    ok
    # a file after ours that drops what was there: refused, nothing written
    printf 'GRUB_CMDLINE_LINUX="quiet"\n' > "$root/etc/default/grub.d/90-reset.cfg"
    config 1024
    TAKEOVER=1 run
    expect_rc 1
    grep -qF "lacks" "$err" || fail "the dropped arguments are not reported"
    ok
    rm "$root/etc/default/grub.d/90-reset.cfg"
    # what cannot be computed without running it is an error naming the line
    # shellcheck disable=SC2016
    printf 'GRUB_CMDLINE_LINUX="$(cat /etc/extra-args)"\n' > "$root/etc/default/grub.d/20-cmd.cfg"
    run
    expect_rc 1
    grep -qF "$root/etc/default/grub.d/20-cmd.cfg:1: a command substitution" "$err" || fail "no file:line for \$(...)"
    ok
    # a variable of ours that uses one whose value needs running a command
    # shellcheck disable=SC2016
    printf 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT $GRUB_DISTRIBUTOR"\n' > "$root/etc/default/grub.d/20-cmd.cfg"
    run
    expect_rc 1
    grep -qF "$root/etc/default/grub.d/20-cmd.cfg:1: uses \$GRUB_DISTRIBUTOR, whose value ($root/etc/default/grub:2)" "$err" ||
        fail "no error for a use of \$GRUB_DISTRIBUTOR"
    ok
    CMDLINE='' UPDATE_GRUB=''
}

# A failed update-grub is not forgotten: non-zero, pending, retried by the next run until it works.
test_grub_pending() {
    fixture
    UPDATE_GRUB=$here/fake-update-grub
    : > "$root/update-grub.fail"
    run
    expect_rc 1
    grep -qF "fake-update-grub failed (exit status 1)" "$err" || fail "the failure is not named"
    [ -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "no pending stamp after a failure"
    ok
    run
    expect_rc 1
    expect_out "50-dpdk-boot.cfg: unchanged"
    [ "$(wc -l < "$root/update-grub.calls")" = 2 ] || fail "update-grub not retried"
    ok
    rm "$root/update-grub.fail"
    run
    expect_rc 0
    expect_out "update-grub: done"
    expect_grub_cfg_once "$ARGS_A quiet"
    [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "still pending"
    ok
    run
    expect_rc 0
    [ "$(wc -l < "$root/update-grub.calls")" = 3 ] || fail "update-grub ran with nothing pending"
    ok
    # upstream's grub-mkconfig (Arch, SUSE) never reads grub.d/: grub.cfg lacks our words, which
    # is an error naming them and the file, and update-grub stays pending (no reboot for nothing)
    config 1024
    FAKE_GRUB_NO_GRUB_D=1 run
    expect_rc 1
    grep -qF "no kernel line of $root/boot/grub/grub.cfg carries the arguments (the first lacks $ARGS_B)" "$err" ||
        fail "grub.cfg without our words is not named: $(cat "$err")"
    grep -qF "this GRUB does not read /etc/default/grub.d/50-dpdk-boot.cfg" "$err" || fail "the cause is not named"
    [ -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "not pending after grub.cfg came out without our words"
    ok
    FAKE_GRUB_NO_GRUB_D=1 run
    expect_rc 1
    [ "$(wc -l < "$root/update-grub.calls")" = 5 ] || fail "update-grub not run again while grub.cfg lacks our words"
    ok
    run
    expect_rc 0
    expect_grub_cfg_once "$ARGS_B quiet"
    [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "still pending with our words in grub.cfg"
    ok
    UPDATE_GRUB=''
}

# UKI: a failed ukify is not forgotten: non-zero, pending, the old addon kept, retried next run.
test_uki_pending() {
    local e=$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi$ADDON
    fixture
    : > "$root/ukify.fail"
    run
    expect_rc 1
    grep -qF "fake-ukify failed (exit status 1)" "$err" || fail "the failure is not named"
    [ -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "no pending stamp after a failure"
    [ ! -e "$root/$e" ] || fail "an addon after a failed ukify"
    ok
    run
    expect_rc 1
    [ "$(wc -l < "$root/ukify.calls")" = 2 ] || fail "ukify not retried"
    ok
    rm "$root/ukify.fail"
    run
    expect_rc 0
    expect_args "$ARGS_A"
    [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "still pending"
    [ "$(wc -l < "$root/ukify.calls")" = 4 ] || fail "expected one build per UKI"
    ok
    # a change whose build fails: the old addon stays, whole
    config 1024
    : > "$root/ukify.fail"
    run
    expect_rc 1
    expect_content "$e" "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$ARGS_A")"
    [ -z "$(find "$root/$UKI_DIR" -name '.#*')" ] || fail "ukify's output left behind"
    ok
    rm "$root/ukify.fail"
    run
    expect_rc 0
    expect_args "$ARGS_B"
    # nothing pending, nothing changed: no build
    run
    expect_rc 0
    [ "$(wc -l < "$root/ukify.calls")" = 7 ] || fail "ukify ran with nothing to do"
    ok
    # a UKI installed since (kernel-install made it from /etc/kernel/cmdline) gets its addon too
    echo "UKI 6.1.0-19-amd64" > "$root/$UKI_DIR/4c4c4544004a3510-6.1.0-19-amd64.efi"
    run
    expect_rc 0
    expect_content "$UKI_DIR/4c4c4544004a3510-6.1.0-19-amd64.efi$ADDON" \
        "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$ARGS_B")"
}

# UKI: the layout found (UKIs and no loader entry of ours, or layout=uki), Bootloader=uki, no
# /etc/kernel/cmdline made, no addon stub named.
test_uki_detect() {
    fixture
    run --dry-run
    expect_rc 0
    expect_out "Bootloader: uki (detected)"
    expect_out "dpdk-boot.addon.efi: would build with ukify, --cmdline=$ARGS_A"
    [ ! -e "$root/$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi.extra.d" ] || fail "--dry-run built an addon"
    ok
    # a loader entry of ours: type 1 entries, /etc/kernel/cmdline, BLS
    mkdir -p "$root/boot/loader/entries"
    printf 'title t\noptions %s\n' "$FOREIGN" > "$root/boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf"
    run --dry-run
    expect_out "Bootloader: bls (detected)"
    # kernel-install told to make UKIs: uki
    printf '# comment\nlayout=bls\nlayout=uki\n' > "$root/etc/kernel/install.conf"
    run --dry-run
    expect_out "Bootloader: uki (detected)"
    printf 'layout="uki"\n' > "$root/etc/kernel/install.conf"
    run --dry-run
    expect_out "Bootloader: uki (detected)"
    # the file in /etc is the one kernel-install reads
    printf 'layout=bls\n' > "$root/etc/kernel/install.conf"
    mkdir -p "$root/usr/lib/kernel"
    printf 'layout=uki\n' > "$root/usr/lib/kernel/install.conf"
    run --dry-run
    expect_out "Bootloader: bls (detected)"
    rm -r "$root/usr/lib/kernel"
    rm -r "$root/boot/loader" "$root/etc/kernel/install.conf"
    # set in the configuration
    printf 'Bootloader=uki\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    rm "$root/etc/kernel/cmdline"
    run
    expect_rc 0
    expect_out "Bootloader: uki (Bootloader=)"
    [ ! -e "$root/etc/kernel/cmdline" ] || fail "made /etc/kernel/cmdline for UKIs"
    expect_content "$UKI_DIR/4c4c4544004a3510-6.1.0-17-amd64.efi$ADDON" \
        "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$ARGS_A")"
    # no addon stub (no systemd-boot-efi 254): an error naming it, pending
    rm "$root/usr/lib/systemd/boot/efi/$STUB"
    config 1024
    printf 'Bootloader=uki\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    run
    expect_rc 1
    grep -qF "No addon stub $root/usr/lib/systemd/boot/efi/$STUB" "$err" || fail "the missing stub is not named"
    [ -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "not pending without a stub"
    ok
}

le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# fake_uki FILE CMDLINE: a PE file whose one section is .cmdline, as in a UKI ukify built (the
# DOS header pointing at the PE header at 64, one 40-byte section header, the text at 128)
fake_uki() {
    local n=${#2}
    {
        printf 'MZ'
        head -c 58 /dev/zero
        # shellcheck disable=SC2059  # the escapes are the format
        printf "$(le32 64)"
        printf 'PE\0\0\x64\x86\x01\x00'
        head -c 16 /dev/zero
        # shellcheck disable=SC2059
        printf ".cmdline$(le32 "$n")$(le32 4096)$(le32 "$n")$(le32 128)"
        head -c 16 /dev/zero
        printf '%s' "$2"
    } > "$1"
}

# UKI: its own line (.cmdline) comes before the addon's, and the kernel keeps the first isolcpus=,
# hugepagesz=: a UKI kernel-install built from our /etc/kernel/cmdline gets no second copy in an
# addon (one it had is removed); one whose own line has other words of our families is an error
# naming it, the other UKIs still done; built again, it is fine.
test_uki_embedded() {
    local u18=$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi u17=$UKI_DIR/4c4c4544004a3510-6.1.0-17-amd64.efi calls
    fixture
    run
    expect_rc 0
    expect_args "$ARGS_A"
    # kernel-install add 6.1.0-18 again: its own line from our /etc/kernel/cmdline
    fake_uki "$root/$u18" "$FOREIGN $ARGS_A"
    run
    expect_rc 0
    expect_out "$u18$ADDON: removed"
    [ ! -e "$root/$u18$ADDON" ] || fail "an addon repeating the UKI's own words"
    expect_content "$u17$ADDON" "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$ARGS_A")"
    calls=$(wc -l < "$root/ukify.calls")
    run
    expect_rc 0
    expect_out "dpdk-boot.addon.efi: unchanged in 2 UKIs"
    [ "$(wc -l < "$root/ukify.calls")" = "$calls" ] || fail "ukify ran with nothing to do"
    ok
    # another configuration: 6.1.0-18's own hugepages=512 would win over an addon's 1024
    config 1024
    run
    expect_rc 1
    grep -qF "$root/$u18 carries $ARGS_A in its own command line" "$err" || fail "the stale UKI is not named"
    grep -qF "Build the UKI again (kernel-install add" "$err" || fail "no word on what to do"
    [ ! -e "$root/$u18$ADDON" ] || fail "an addon for a UKI whose own line has other values"
    expect_content "$u17$ADDON" "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s' "$STUB" "$ARGS_B")"
    expect_content etc/kernel/cmdline "$FOREIGN $ARGS_B"
    [ ! -e "$root/var/lib/dpdk-boot/kargs-pending" ] || fail "pending for what no rerun can do"
    ok
    # still an error on the next run, though nothing is left to build
    run
    expect_rc 1
    grep -qF "$root/$u18 carries" "$err" || fail "the stale UKI is not named again"
    # built again from the new /etc/kernel/cmdline: nothing to do for it
    fake_uki "$root/$u18" "$FOREIGN $ARGS_B"
    run
    expect_rc 0
    [ ! -e "$root/$u18$ADDON" ] || fail "an addon repeating the UKI's own words"
    # the user's own isolcpus= in a UKI's line: named, no addon after it
    fake_uki "$root/$u17" "root=/dev/sda1 isolcpus=1"
    run
    expect_rc 1
    grep -qF "$root/$u17 carries isolcpus=1 in its own command line" "$err" || fail "the user's isolcpus= in a UKI is not named"
    ok
    # no settings left: the addons go, and a UKI whose own line still has what we wrote is named
    fake_uki "$root/$u17" "root=/dev/sda1"
    printf '[Datapath]\nPreset=none\n\n[Kernel]\nManageArgs=yes\n' > "$root/etc/dpdk-boot/dpdk-boot.conf"
    run
    expect_rc 1
    grep -qF "$root/$u18 carries $ARGS_B in its own command line, which the configuration no longer asks for" "$err" ||
        fail "a UKI still carrying the removed arguments is not named"
    expect_content etc/kernel/cmdline "$FOREIGN"
    [ ! -e "$root/$u17$ADDON" ] || fail "the addon of 6.1.0-17 not removed"
    ok
    fake_uki "$root/$u18" "$FOREIGN"
    run
    expect_rc 0
}

# UKI under Secure Boot: the keys from the configuration to ukify; keys others could change or
# read refused with file:line by check and kargs.
test_uki_secureboot() {
    local conf=/etc/dpdk-boot/dpdk-boot.conf line
    fixture
    echo key > "$root/etc/kernel/sb.key"
    echo cert > "$root/etc/kernel/sb.crt"
    chmod 0644 "$root/etc/kernel/sb.key" "$root/etc/kernel/sb.crt"
    printf 'SecureBootPrivateKey=/etc/kernel/sb.key\nSecureBootCertificate=/etc/kernel/sb.crt\n' >> "$root$conf"
    line=$(grep -n '^SecureBootPrivateKey=' "$root$conf" | cut -d: -f1)
    DPDK_BOOT_ROOT=$root "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed a private key readable by others"
    grep -qF "$conf:$line: SecureBootPrivateKey=/etc/kernel/sb.key: the private key is readable by others (mode 0644)" "$err" ||
        fail "no file:line for the readable key"
    ok
    run
    expect_rc 1
    [ ! -e "$root/ukify.calls" ] || fail "ukify ran with a readable key"
    ok
    chmod 0600 "$root/etc/kernel/sb.key"
    chmod 0664 "$root/etc/kernel/sb.crt"
    DPDK_BOOT_ROOT=$root "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed a group-writable certificate"
    grep -qF "$conf:$((line + 1)): SecureBootCertificate=/etc/kernel/sb.crt: the file must be owned by root and writable by no one else" "$err" ||
        fail "no file:line for the writable certificate"
    ok
    if [ "$(id -u)" = 0 ]; then
        chmod 0644 "$root/etc/kernel/sb.crt"
        chown 1234 "$root/etc/kernel/sb.key"
        DPDK_BOOT_ROOT=$root "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed a key owned by uid 1234"
        grep -qF "owned by uid 1234" "$err" || fail "no error for the key's owner"
        ok
        chown 0 "$root/etc/kernel/sb.key"
    fi
    chmod 0644 "$root/etc/kernel/sb.crt"
    run
    expect_rc 0
    for v in 6.1.0-18-amd64 6.1.0-17-amd64; do
        expect_content "$UKI_DIR/4c4c4544004a3510-$v.efi$ADDON" \
            "$(printf 'addon stub=/usr/lib/systemd/boot/efi/%s\n.cmdline=%s\nsigned key=/etc/kernel/sb.key cert=/etc/kernel/sb.crt' "$STUB" "$ARGS_A")"
    done
    grep -qF -- "--secureboot-private-key=$root/etc/kernel/sb.key --secureboot-certificate=$root/etc/kernel/sb.crt" "$root/ukify.calls" ||
        fail "ukify not given the keys: $(cat "$root/ukify.calls")"
    ok
    # another certificate: the addons are built again
    cp -p "$root/etc/kernel/sb.crt" "$root/etc/kernel/sb2.crt"
    sed -i 's|sb.crt|sb2.crt|' "$root$conf"
    run
    expect_rc 0
    expect_has "$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi$ADDON" "cert=/etc/kernel/sb2.crt"
    # at boot the keys come from the generator's plan, as dpdk-boot-kargs.service runs it
    rm -r "$root/$UKI_DIR"/*.extra.d
    generate "$work/gen" "$FOREIGN" > /dev/null
    grep -qF '"secureboot_certificate": "/etc/kernel/sb2.crt"' "$root/run/dpdk-boot/plan.json" || fail "the plan lacks the certificate"
    ok
    CMDLINE=$FOREIGN run --boot --from-plan
    expect_rc 0
    expect_has "$UKI_DIR/4c4c4544004a3510-6.1.0-17-amd64.efi$ADDON" "signed key=/etc/kernel/sb.key cert=/etc/kernel/sb2.crt"
    # a key without a certificate, a key that is not there: errors, before ukify
    sed -i '/^SecureBootCertificate=/d' "$root$conf"
    config 1024
    printf 'SecureBootPrivateKey=/etc/kernel/sb.key\n' >> "$root$conf"
    run
    expect_rc 1
    grep -qF "go together" "$err" || fail "no error for a key without a certificate"
    ok
    printf 'SecureBootCertificate=/etc/kernel/gone.crt\n' >> "$root$conf"
    DPDK_BOOT_ROOT=$root "$DPDK_BOOT" check > "$out" 2> "$err" || fail "check refused a certificate that is not there (the initrd has none)"
    run
    expect_rc 1
    grep -qF "Cannot read $root/etc/kernel/gone.crt, the certificate" "$err" || fail "no error for the missing certificate"
    expect_has "$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi$ADDON" ".cmdline=$ARGS_A"
    # a relative path: refused with file:line
    printf 'SecureBootCertificate=sb.crt\n' >> "$root$conf"
    DPDK_BOOT_ROOT=$root "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed a relative path"
    grep -qF "SecureBootCertificate=sb.crt: expected an absolute path" "$err" || fail "no error for a relative path"
    ok
}

# UKI with systemd's own ukify and addon stub (systemd-ukify and systemd-boot-efi 254 or later,
# Debian 12: bookworm-backports): the addon's .cmdline section is ours.
test_uki_real() {
    # systemd 254's ukify and addon stub: the host's own, or the bookworm-backports ones that
    # .ci/install-deps unpacks into $DPDK_BOOT_TEST_SYSTEMD (a host on systemd 252 keeps it)
    local tree=${DPDK_BOOT_TEST_SYSTEMD:-/var/cache/dpdk-boot-ci/systemd-bpo}
    local ukify='' stub='' t p py sect=$work/cmdline-section
    for t in '' "$tree"; do
        for p in "$t/usr/lib/systemd/ukify" "$t/lib/systemd/ukify"; do [ -x "$p" ] && ukify=$p && break; done
        [ -r "$t/usr/lib/systemd/boot/efi/$STUB" ] && stub=$t/usr/lib/systemd/boot/efi/$STUB
        [ -n "$ukify" ] && [ -n "$stub" ] && break
        ukify='' stub=''
    done
    if [ -z "$ukify" ] || ! command -v objcopy > /dev/null; then
        echo "SKIP: no ukify and addon stub $STUB (systemd 254: systemd-ukify, systemd-boot-efi; or .ci/install-deps into $tree) or objcopy: the real addon is not built"
        exit 77
    fi
    # ukify runs 'env python3': the first python3 on PATH that has pefile (python3-pefile)
    for py in "$(command -v python3)" /usr/bin/python3; do
        [ -x "$py" ] && "$py" -c 'import pefile' 2> /dev/null && break
        py=''
    done
    [ -n "$py" ] || { echo "SKIP: no python3 with pefile (python3-pefile) for ukify"; exit 77; }
    mkdir -p "$work/pybin"
    ln -sf "$py" "$work/pybin/python3"
    PATH=$work/pybin:$PATH
    fixture
    mkdir -p "$root/usr/lib/systemd/boot/efi"
    cp "$stub" "$root/usr/lib/systemd/boot/efi/$STUB"
    UKIFY=$ukify run
    expect_rc 0
    objcopy -O binary --only-section=.cmdline "$root/$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi$ADDON" "$sect"
    [ "$(tr -d '\0' < "$sect")" = "$ARGS_A" ] || fail ".cmdline section is '$(cat "$sect")'"
    ok
    # a PE file of ukify's with .cmdline = ours, in place of a UKI: its own line is read as having
    # them, and its addon goes (the section table read as ukify writes it)
    cp "$root/$UKI_DIR/4c4c4544004a3510-6.1.0-18-amd64.efi$ADDON" "$root/$UKI_DIR/4c4c4544004a3510-6.1.0-17-amd64.efi"
    UKIFY=$ukify run
    expect_rc 0
    expect_out "4c4c4544004a3510-6.1.0-17-amd64.efi$ADDON: removed"
}

# BLS: only our files; modes, owners, other lines kept; one options line gets ours; no truncation.
test_bls_foreign() {
    local e=boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf e2=boot/loader/entries/4c4c4544004a3510-6.1.0-17-amd64.conf
    fixture
    echo "user's backup" > "$root/etc/kernel/cmdline.backup"
    echo "user's copy" > "$root/$e.orig01"
    : > "$root/etc/kernel/.#cmdline.dpdk-boot-Ab12Cd"    # a killed write of ours
    chmod 0600 "$root/$e"
    if [ "$(id -u)" = 0 ]; then chgrp 4 "$root/etc/kernel/cmdline"; fi
    printf 'title two\nversion 6.1.0-17-amd64\noptions root=/dev/sda1 ro\noptions console=ttyS0 iommu=soft\n' > "$root/$e2"
    run
    expect_rc 0
    expect_content etc/kernel/cmdline.backup "user's backup"
    expect_content "$e.orig01" "user's copy"
    [ ! -e "$root/etc/kernel/.#cmdline.dpdk-boot-Ab12Cd" ] || fail "our stale temporary is still there"
    [ "$(stat -c %a "$root/$e")" = 600 ] || fail "entry mode changed to $(stat -c %a "$root/$e")"
    if [ "$(id -u)" = 0 ]; then
        [ "$(stat -c %g "$root/etc/kernel/cmdline")" = 4 ] || fail "group of /etc/kernel/cmdline changed"
    fi
    ok
    expect_content "$e2" "$(printf 'title two\nversion 6.1.0-17-amd64\noptions root=/dev/sda1 ro %s\noptions console=ttyS0' "$ARGS_A")"
    # over 1 MiB: an error naming it, the file untouched
    head -c 1100000 /dev/zero | tr '\0' '#' > "$root/$e2"
    sum=$(sha256sum < "$root/$e2")
    config 1024
    run
    expect_rc 1
    grep -qF "$root/$e2 is larger than 1048576 bytes" "$err" || fail "no error for the large entry"
    [ "$(sha256sum < "$root/$e2")" = "$sum" ] || fail "the large entry was changed"
    ok
    # /etc/kernel/entry-token as kernel-install reads it (shell read: white space around it
    # stripped); a token kept with its leading blanks named no entry (found by fuzz/fuzz-bootloader)
    rm "$root/$e2"
    printf '  4c4c4544004a3510 \n' > "$root/etc/kernel/entry-token"
    printf 'title three\noptions root=/dev/sda1\n' > "$root/$e"
    config
    run
    expect_rc 0
    expect_content "$e" "$(printf 'title three\noptions root=/dev/sda1 %s' "$ARGS_A")"
    # an options line with a double quote left open: refused naming the entry, and no file written,
    # /etc/kernel/cmdline neither (found by fuzz/fuzz-bootloader)
    printf 'title four\noptions root=/dev/sda1 "quiet\n' > "$root/$e"
    sum=$(sha256sum < "$root/etc/kernel/cmdline")
    config 1024
    run
    expect_rc 1
    grep -qF "$root/$e: a double quote is not closed" "$err" || fail "no error naming the entry with an open quote"
    [ "$(sha256sum < "$root/etc/kernel/cmdline")" = "$sum" ] || fail "/etc/kernel/cmdline changed by a failed run"
    expect_content "$e" "$(printf 'title four\noptions root=/dev/sda1 "quiet')"
    # the same on a later options line: systemd-boot joins them, so the quote would take in the
    # next line's words, and a hugepages= there would come after ours (found by fuzz/fuzz-bootloader)
    printf 'title five\noptions root=/dev/sda1\noptions "dyndbg=a\noptions b "x hugepages=64 "y\n' > "$root/$e"
    run
    expect_rc 1
    grep -qF "$root/$e: a double quote is not closed" "$err" || fail "no error naming the entry with a later open quote"
    [ "$(sha256sum < "$root/etc/kernel/cmdline")" = "$sum" ] || fail "/etc/kernel/cmdline changed by a failed run"
    expect_content "$e" "$(printf 'title five\noptions root=/dev/sda1\noptions "dyndbg=a\noptions b "x hugepages=64 "y')"
}

# Images: no /etc/kernel/cmdline: start from the image's entry, never a line without root=; the
# IOMMU vendor from the tree (its cpuinfo), deferred when the tree does not say.
test_golden() {
    local e=boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf
    fixture
    rm "$root/etc/kernel/cmdline" "$root/sys/firmware/acpi/tables/DMAR" "$root/proc/sys/kernel/osrelease"
    mkdir -p "$root/usr/lib/modules/6.1.0-18-amd64"
    printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu pse pdpe1gb\n' > "$root/proc/cpuinfo"
    run --bootloader=bls
    expect_rc 0
    expect_out "starting from the newest loader entry"
    expect_content etc/kernel/cmdline "$FOREIGN ${ARGS_A/intel_iommu/amd_iommu}"
    # the tree does not say which vendor: only what is safe on all, the rest at first boot
    rm "$root/proc/cpuinfo" "$root/etc/kernel/cmdline"
    run --bootloader=bls
    expect_rc 0
    expect_out "intel_iommu=/amd_iommu= left to the first boot"
    expect_content etc/kernel/cmdline "$FOREIGN ${ARGS_A/ intel_iommu=on/}"
    # a container build sees the build machine's /proc and /sys: the vendor is said, or left open
    : > "$root/sys/firmware/acpi/tables/DMAR"
    run --bootloader=bls --cpu-vendor=amd --dry-run
    expect_rc 0
    expect_out "amd_iommu=on iommu=pt"
    expect_no_out "intel_iommu"
    run --bootloader=bls --cpu-vendor=unknown --dry-run
    expect_out "left to the first boot"
    expect_no_out "_iommu=on"
    rm "$root/sys/firmware/acpi/tables/DMAR"
    # nothing with a root= to start from: no /etc/kernel/cmdline at all
    rm -r "$root/etc/kernel/cmdline" "$root/boot/loader/entries"
    run --bootloader=bls
    expect_rc 1
    grep -qF "Not creating $root/etc/kernel/cmdline" "$err" || fail "no refusal for a line without root="
    [ ! -e "$root/etc/kernel/cmdline" ] || fail "wrote a line without root="
    ok
}

# Sizes: against MemTotal (per node and in all) and pdpe1gb, in check, plan and the arguments; an
# overflowing PerNode= refused; Mode=off: the generator and status lack the same words.
limits_fixture() {  # CPU-FLAGS CONFIG
    rm -rf "$root"
    mkdir -p "$root/proc/sys/kernel" "$root/etc/dpdk-boot" "$root/etc/kernel"
    echo 6.1.0-18-amd64 > "$root/proc/sys/kernel/osrelease"
    echo "MemTotal:       264241152 kB" > "$root/proc/meminfo"     # 252 GiB
    for n in 0 1; do
        mkdir -p "$root/sys/devices/system/node/node$n"
        echo "Node $n MemTotal:       132120576 kB" > "$root/sys/devices/system/node/node$n/meminfo"
        echo "$((n * 4))-$((n * 4 + 3))" > "$root/sys/devices/system/node/node$n/cpulist"
    done
    printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: %s\n' "$1" > "$root/proc/cpuinfo"
    printf '%s\n' "$FOREIGN" > "$root/etc/kernel/cmdline"
    printf '%b\n[Kernel]\nManageArgs=yes\n' "$2" > "$root/etc/dpdk-boot/dpdk-boot.conf"
}

test_limits() {
    local conf=/etc/dpdk-boot/dpdk-boot.conf
    limits_fixture "fpu pse pdpe1gb" '[Hugepages]\nSize=1G\nCount=999999\n'
    "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed 999999 1G pages on 252 GiB"
    grep -qF "$conf:1: the hugepages asked of this host (1023998976 MiB in all sizes) do not fit its memory: MemTotal 258048 MiB, of which 8064 MiB" "$err" ||
        fail "check does not name the size problem"
    ok
    DPDK_BOOT_ROOT=$root "$DPDK_BOOT" plan > "$out" 2> "$err" || true
    grep -qF "do not fit its memory" "$out" || fail "plan does not show the size problem"
    ok
    run --dry-run --bootloader=bls
    expect_rc 0
    expect_no_out "hugepages=999999"
    expect_out "Arguments:  (none)"
    # per node: 130 1G pages do not fit node 0's 126 GiB
    limits_fixture "fpu pse pdpe1gb" '[Hugepages]\nSize=1G\nPerNode=0:130,1:2\n'
    "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed 130 GiB on a 126 GiB node"
    grep -qF "asked of NUMA node 0 (133120 MiB in all sizes)" "$err" || fail "the node is not named"
    ok
    # what fits passes, and is proposed
    limits_fixture "fpu pse pdpe1gb" '[Hugepages]\nSize=1G\nPerNode=0:64,1:64\n'
    "$DPDK_BOOT" check > "$out" 2> "$err" || fail "check refused 64+64 1G pages on 2x126 GiB: $(cat "$err")"
    ok
    run --dry-run --bootloader=bls
    expect_out "hugepagesz=1G hugepages=0:64,1:64"
    # the per-node counts do not wrap
    limits_fixture "fpu pse pdpe1gb" '[Hugepages]\nSize=2M\nPerNode=0:4294967295,1:1\n'
    "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed PerNode=0:4294967295,1:1"
    grep -qF "4294967296 pages in all, more than 4294967295" "$err" || fail "no overflow error"
    ok
    run --dry-run --bootloader=bls
    expect_rc 1
    expect_no_out "hugepages=0"
    # 1G pages only with pdpe1gb
    limits_fixture "fpu pse" '[Hugepages]\nSize=1G\nCount=4\n\n[Hugepages]\nSize=2M\nCount=512\n'
    "$DPDK_BOOT" check > "$out" 2> "$err" && fail "check passed 1G pages without pdpe1gb"
    grep -qF "$conf:1: 1G pages need a CPU with the pdpe1gb flag" "$err" || fail "no pdpe1gb error"
    ok
    run --dry-run --bootloader=bls
    expect_out "Arguments:  default_hugepagesz=2M hugepagesz=2M hugepages=512"
    # Mode=off: the same missing words from the generator (its plan) and from status, with the
    # vendor known from the ACPI tables and not known at all, and with a kernel release that
    # cannot be read (no osrelease, /usr/lib/modules not a directory: taken as an old kernel)
    local gen_out=$work/gen g s what tables
    for what in DMAR IVRS none nokernel; do
        tables=${what/nokernel/DMAR}
        limits_fixture "fpu pse pdpe1gb" '[Hugepages]\nSize=2M\nCount=512\n\n[IOMMU]\nMode=off\n'
        [ "$tables" = none ] && rm "$root/proc/cpuinfo"
        [ "$tables" = none ] || { mkdir -p "$root/sys/firmware/acpi/tables"; : > "$root/sys/firmware/acpi/tables/$tables"; }
        if [ "$what" = nokernel ]; then
            rm "$root/proc/sys/kernel/osrelease"
            mkdir -p "$root/usr/lib"
            : > "$root/usr/lib/modules"
        fi
        g=$(generate "$gen_out" "$FOREIGN" | sed -n 's/.*The kernel command line lacks \(.*\): reboot required.*/\1/p' || true)
        s=$(DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE="$FOREIGN" SYSTEMD_IN_INITRD=0 "$DPDK_BOOT" status 2>&1 |
            sed -n 's/.*missing: //p' || true)
        { [ -n "$g" ] && [ "$g" = "$s" ]; } || fail "Mode=off ($what): generator lacks '$g', status '$s'"
        case $tables in
            DMAR) [ "$g" = "default_hugepagesz=2M hugepagesz=2M hugepages=512 intel_iommu=off" ] ;;
            IVRS) [ "$g" = "default_hugepagesz=2M hugepagesz=2M hugepages=512 amd_iommu=off" ] ;;
            none) [ "$g" = "default_hugepagesz=2M hugepagesz=2M hugepages=512" ] ;;
        esac || fail "Mode=off ($what): unexpected '$g'"
        ok
    done
}

# --boot: persist, reboot at most once per configuration, never with ManageArgs=no.
test_boot() {
    fixture
    CMDLINE="$FOREIGN"
    run --boot
    expect_rc 0
    expect_out "Reboot: would reboot now to take: $ARGS_A"
    expect_args "$ARGS_A"
    ls "$root"/var/lib/dpdk-boot/reboot-* > /dev/null 2>&1 || fail "no reboot guard"
    ok
    # the arguments did not take (say, the machine boots from another loader): no second reboot
    run --boot
    expect_rc 0
    expect_no_out "would reboot"
    grep -qF "Rebooted once already for this configuration" "$err" || fail "no word on the guard"
    grep -qF "still lacks: $ARGS_A" "$err" || fail "the missing arguments are not named"
    ok
    # the same configuration on a CPU without pdpe1gb asks for other words (2M as the default
    # size), some never asked for before: a reboot does not change the CPU, so none again
    mkdir -p "$root/proc"
    printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu pse\n' > "$root/proc/cpuinfo"
    run --boot
    expect_rc 0
    expect_no_out "would reboot"
    grep -qF "Rebooted once already for this configuration" "$err" || fail "rebooted again for the same configuration on another CPU"
    grep -qF "still lacks: default_hugepagesz=2M" "$err" || fail "the 2M default is not named: $(cat "$err")"
    rm "$root/proc/cpuinfo"
    ok
    # fewer arguments needed than that reboot did not bring (here [CPU] went; on a CPU without
    # pdpe1gb the 1G words do): no second reboot either
    config 512 nocpu
    run --boot
    expect_rc 0
    expect_no_out "would reboot"
    grep -qF "Rebooted once already" "$err" || fail "rebooted for a subset of what an earlier reboot did not bring"
    config 512
    ok
    # now they did take
    CMDLINE="$FOREIGN $ARGS_A"
    run --boot
    expect_rc 0
    expect_out "Reboot: not needed"
    # [IOMMU] removed: nothing is missing, yet its words are ours in the boot loader
    # (/var/lib/dpdk-boot/kargs-owned), so the generator pulls the unit in, which takes them out
    # with no reboot; the next boot it is not pulled in. status names the same words until then.
    local gen=$work/gen-stale n stale
    sed -i '/^\[IOMMU\]$/d; /^Mode=pt$/d' "$root/etc/dpdk-boot/dpdk-boot.conf"
    for n in 1 2; do
        generate "$gen" "$CMDLINE" > "$work/gen-stale.err"
        stale=$(DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE="$CMDLINE" SYSTEMD_IN_INITRD=0 "$DPDK_BOOT" status --json 2> /dev/null |
            jq -r '.kernel.stale | join(" ")' || true)
        if [ "$n" = 2 ]; then
            [ ! -e "$gen/multi-user.target.wants/dpdk-boot-kargs.service" ] ||
                fail "the kargs unit pulled in again, its words taken out: $(cat "$work/gen-stale.err")"
            [ -z "$stale" ] || fail "status still names '$stale' as stale, taken out"
            ok
            break
        fi
        [ -L "$gen/multi-user.target.wants/dpdk-boot-kargs.service" ] ||
            fail "the generator did not pull in the kargs unit for the words of a removed [IOMMU]"
        grep -qF "The bootloader carries intel_iommu=on iommu=pt from an earlier configuration" \
            "$work/gen-stale.err" || fail "the generator does not name the words: $(cat "$work/gen-stale.err")"
        [ "$stale" = "intel_iommu=on iommu=pt" ] || fail "status --json names '$stale' as stale"
        DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE="$CMDLINE" SYSTEMD_IN_INITRD=0 "$DPDK_BOOT" status > "$out" 2> /dev/null || true
        expect_out "in the boot loader from an earlier configuration ('dpdk-boot kargs' takes them out): intel_iommu=on iommu=pt"
        ok
        run --boot --from-plan
        expect_rc 0
        expect_out "Reboot: not needed"
        expect_no_out "would reboot"
        expect_args "${ARGS_A% intel_iommu=on iommu=pt}"
    done
    config 512
    # a new configuration is a new key: one reboot again
    config 1024
    CMDLINE="$FOREIGN $ARGS_A"
    run --boot
    expect_rc 0
    expect_out "Reboot: would reboot now to take: hugepagesz=2M hugepages=1024"
    [ "$(find "$root/var/lib/dpdk-boot" -name "reboot-*" | wc -l)" = 2 ] || fail "expected two guards"
    ok
    # RebootPolicy=never: persisted, a warning, no reboot
    sed -i 's/RebootPolicy=once/RebootPolicy=never/; s/Count=1024/Count=2048/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run --boot
    expect_rc 0
    expect_no_out "would reboot"
    grep -qF "Reboot required to take the kernel arguments: hugepagesz=2M hugepages=2048" "$err" || fail "no reboot-required warning"
    ok
    # ManageArgs=no: nothing written
    sed -i '/^ManageArgs=/d; /^RebootPolicy=/d' "$root/etc/dpdk-boot/dpdk-boot.conf"
    before=$(snapshot)
    run --boot
    expect_rc 0
    expect_out "Nothing to do: [Kernel] ManageArgs=no"
    [ "$(snapshot)" = "$before" ] || fail "ManageArgs=no changed files"
    ok
    CMDLINE=
}

# systemd's CPUAffinity= for [CPU] (/etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf): written with
# the housekeeping CPUs, unchanged on a second run, updated, removed when [CPU] goes, never without
# [CPU]; only inside the tree; a file of that name that is not ours, or a symlink, refuses the run
# before anything is written; --boot --from-plan takes the plan file's CPUs.
CPUAFF=etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf
cpu_affinity_content() {  # ISOLATED HOUSEKEEPING
    printf '%s\n' "# Written by dpdk-boot kargs: [CPU] of /etc/dpdk-boot/dpdk-boot.conf isolates CPUs $1." \
        "# systemd and the services it starts stay on the housekeeping CPUs, from the next boot." \
        "# Do not edit: change the configuration and run 'dpdk-boot kargs'. To undo, remove [CPU]" \
        "# and run 'dpdk-boot kargs', which removes this file (dpdk-boot.conf(5), [CPU])." \
        "[Manager]" "CPUAffinity=$2"
}

test_cpu_affinity() {
    local before ino outside=$work/outside
    fixture
    run --dry-run
    expect_rc 0
    expect_out "CPUAffinity: 0-1 (systemd and its services, from the next boot)"
    expect_out "+++ /$CPUAFF (new)"
    expect_out "+CPUAffinity=0-1"
    [ ! -e "$root/$CPUAFF" ] || fail "--dry-run wrote $CPUAFF"
    ok
    run
    expect_rc 0
    expect_out "/$CPUAFF: created"
    expect_content "$CPUAFF" "$(cpu_affinity_content 2-7 0-1)"
    [ "$(stat -c %a "$root/$CPUAFF")" = 644 ] || fail "mode $(stat -c %a "$root/$CPUAFF")"
    [ "$(find "$work" -name 50-dpdk-boot-cpu.conf)" = "$root/$CPUAFF" ] || fail "written outside the tree"
    ok
    # a second run: not rewritten
    ino=$(stat -c %i "$root/$CPUAFF")
    before=$(snapshot)
    run
    expect_rc 0
    expect_out "/$CPUAFF: unchanged"
    [ "$(stat -c %i "$root/$CPUAFF")" = "$ino" ] || fail "rewritten with the same content"
    [ "$(snapshot)" = "$before" ] || fail "a second run changed files"
    ok
    # other CPUs: updated
    sed -i 's/^Isolate=2-7/Isolate=4-7/; s/^Housekeeping=0-1/Housekeeping=0-3/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run
    expect_rc 0
    expect_out "/$CPUAFF: updated"
    expect_content "$CPUAFF" "$(cpu_affinity_content 4-7 0-3)"
    # [CPU] gone: removed, and the other files in the directory stay
    echo '[Manager]' > "$root/etc/systemd/system.conf.d/10-user.conf"
    config 512 nocpu
    run
    expect_rc 0
    expect_out "/$CPUAFF: removed"
    [ ! -e "$root/$CPUAFF" ] || fail "not removed without [CPU]"
    expect_content etc/systemd/system.conf.d/10-user.conf '[Manager]'
    # and not written again without [CPU]
    run
    expect_rc 0
    expect_no_out "CPUAffinity"
    expect_no_out "50-dpdk-boot-cpu.conf"
    [ ! -e "$root/$CPUAFF" ] || fail "written without [CPU]"
    ok

    # not ours (no header): refused before anything is written, the file named; kept as it is
    config
    printf '[Manager]\nCPUAffinity=0\n' > "$root/$CPUAFF"
    before=$(snapshot)
    run
    expect_rc 1
    grep -qF "$root/$CPUAFF was not written by dpdk-boot" "$err" || fail "the foreign file is not named"
    [ "$(snapshot)" = "$before" ] || fail "files changed despite the refusal: $(diff <(echo "$before") <(snapshot))"
    ok
    # at boot the same: the unit fails, and no reboot
    CMDLINE="$FOREIGN" run --boot
    expect_rc 1
    expect_no_out "would reboot"
    [ "$(snapshot)" = "$before" ] || fail "--boot changed files despite the refusal"
    ok
    # without [CPU], a file that is not ours is left alone
    config 512 nocpu
    run
    expect_rc 0
    expect_out "/$CPUAFF: not written by dpdk-boot, left alone"
    expect_content "$CPUAFF" "$(printf '[Manager]\nCPUAffinity=0')"
    rm "$root/$CPUAFF"

    # a symlink under the name, even one inside the tree: never written through
    config
    echo keep > "$root/etc/target.conf"
    ln -s ../../target.conf "$root/$CPUAFF"
    before=$(snapshot)
    run
    expect_rc 1
    grep -qF "$root/$CPUAFF is a symlink" "$err" || fail "the symlink is not named"
    { [ -L "$root/$CPUAFF" ] && [ "$(snapshot)" = "$before" ]; } || fail "written despite the symlink"
    ok
    rm "$root/$CPUAFF"
    # a directory above it that is an absolute link "out of the tree": a path of the tree, so the
    # file is written there, inside the tree, and nothing out there
    rm -rf "$root/etc/systemd" "$outside"
    mkdir -p "$outside/system.conf.d" "$root$outside/system.conf.d"
    ln -s "$outside" "$root/etc/systemd"
    run
    expect_rc 0
    [ -z "$(ls -A "$outside/system.conf.d")" ] || fail "written out of the tree: $(ls -A "$outside/system.conf.d")"
    expect_content "${outside#/}/system.conf.d/50-dpdk-boot-cpu.conf" "$(cpu_affinity_content 2-7 0-1)"
    rm -rf "${root:?}$outside"
    ok
    # one that stays inside the tree is followed
    rm "$root/etc/systemd"
    mkdir -p "$root/usr/etc-systemd"
    ln -s ../usr/etc-systemd "$root/etc/systemd"
    run
    expect_rc 0
    expect_content usr/etc-systemd/system.conf.d/50-dpdk-boot-cpu.conf "$(cpu_affinity_content 2-7 0-1)"
    rm "$root/etc/systemd"

    # --boot --from-plan: the plan file's CPUs (the generator's), not the configuration's now
    local gen=$work/gen
    rm -rf "$root/etc/systemd"
    generate "$gen" "$FOREIGN" > /dev/null
    sed -i 's/^Isolate=2-7/Isolate=5-7/; s/^Housekeeping=0-1/Housekeeping=0-4/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    CMDLINE="$FOREIGN" run --boot --from-plan
    expect_rc 0
    expect_content "$CPUAFF" "$(cpu_affinity_content 2-7 0-1)"
    # ManageArgs=no: --boot writes nothing, nor removes ours
    sed -i '/^ManageArgs=/d; /^RebootPolicy=/d' "$root/etc/dpdk-boot/dpdk-boot.conf"
    before=$(snapshot)
    CMDLINE="$FOREIGN" run --boot
    expect_rc 0
    expect_out "Nothing to do: [Kernel] ManageArgs=no"
    [ "$(snapshot)" = "$before" ] || fail "ManageArgs=no changed files"
    ok
    # by hand it needs no ManageArgs=
    run
    expect_rc 0
    expect_content "$CPUAFF" "$(cpu_affinity_content 5-7 0-4)"

    # the arguments in place, the file not (a host set up before kargs wrote it): the generator
    # pulls the unit in, which writes it and needs no reboot; then it is not pulled in again
    rm "$root/$CPUAFF"
    config
    local n
    for n in 1 2; do
        generate "$gen" "$FOREIGN $ARGS_A" > /dev/null
        if [ "$n" = 2 ]; then
            [ ! -e "$gen/multi-user.target.wants/dpdk-boot-kargs.service" ] || fail "the kargs unit pulled in with everything in place"
            ok
            break
        fi
        [ -L "$gen/multi-user.target.wants/dpdk-boot-kargs.service" ] || fail "the generator did not pull in the kargs unit"
        ok
        CMDLINE="$FOREIGN $ARGS_A" run --boot --from-plan
        expect_rc 0
        expect_out "Reboot: not needed"
        expect_content "$CPUAFF" "$(cpu_affinity_content 2-7 0-1)"
    done

    # kill -9 at every step from no [CPU] to [CPU]: the file is there whole or not at all
    test_kill "512 nocpu" "512"
}

# The tree as a boundary: a directory of the image that is a link (absolute, or ".." past the
# image's top) to one outside it is followed inside the image, for the reads and the writes.
# $work/host is outside the tree; the image holds the same path, which is what must be used.
ups() {  # the "../" from the tree's DIR to the host's /, and some more
    local d=$root/$1 s=
    while [ "$d" != / ] && [ -n "$d" ]; do s="$s../"; d=$(dirname "$d"); done
    echo "$s../../"
}

rootfence_link() {  # rootfence_link DIR (under etc/) absolute|dotdot: etc/DIR -> $work/host/DIR
    rm -rf "${root:?}/etc/$1"
    if [ "$2" = absolute ]; then ln -s "$work/host/$1" "$root/etc/$1"
    else ln -s "$(ups "etc/$(dirname "$1")")${work#/}/host/$1" "$root/etc/$1"; fi
    [ "$(readlink -f "$root/etc/$1")" = "$work/host/$1" ] || fail "the fixture's link does not lead out of the tree"
    ok
}

test_rootfence_bls() {  # /etc/kernel/cmdline read and written
    local how
    for how in absolute dotdot; do
        fixture
        rm -rf "$work/host"
        mkdir -p "$work/host/kernel" "$root$work/host/kernel"
        echo "host=word" > "$work/host/kernel/cmdline"
        printf '%s\n' "$FOREIGN" > "$root$work/host/kernel/cmdline"
        rootfence_link kernel "$how"
        run
        expect_rc 0
        [ "$(cat "$work/host/kernel/cmdline")" = "host=word" ] || fail "$how: the host's cmdline was written"
        ok
        expect_no_out "host=word"
        expect_content "${work#/}/host/kernel/cmdline" "$FOREIGN $ARGS_A"
    done
}

test_rootfence_grub() {  # /etc/default/grub read, /etc/default/grub.d written
    local how
    for how in absolute dotdot; do
        fixture
        rm -rf "$work/host"
        mkdir -p "$work/host/default/grub.d" "$root$work/host/default/grub.d"
        # the host's would be refused (a command substitution): only the image's may be read
        # shellcheck disable=SC2016 # the text the file holds, not expanded here
        printf 'GRUB_CMDLINE_LINUX="$(cat /host)"\n' > "$work/host/default/grub"
        printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="quiet"\n' > "$root$work/host/default/grub"
        rootfence_link default "$how"
        run
        expect_rc 0
        [ -z "$(ls -A "$work/host/default/grub.d")" ] || fail "$how: written in the host's grub.d: $(ls -A "$work/host/default/grub.d")"
        ok
        expect_has "${work#/}/host/default/grub.d/50-dpdk-boot.cfg" "$ARGS_A"
    done
}

# fixture, under another name for a variant that adds to it
eval "$(declare -f fixture | sed '1s/^fixture/fixture_base/')"

case $BACKEND in
    bls | grub | bootc | uki)
        test_lifecycle
        test_kill
        ;;
    uki-pending) BACKEND=uki; test_uki_pending ;;
    uki-detect) BACKEND=uki; test_uki_detect ;;
    uki-embedded) BACKEND=uki; test_uki_embedded ;;
    uki-secureboot) BACKEND=uki; test_uki_secureboot ;;
    uki-real) BACKEND=uki; test_uki_real ;;
    grubby)
        # grubby is another program, whose own writes are its own: the kill points are ours (the
        # record of what was written), each before or after grubby ran
        test_lifecycle
        test_kill
        ;;
    boot)
        test_boot
        ;;
    grub-conflict) BACKEND=grub; test_grub_conflict ;;
    grub-pending) BACKEND=grub; test_grub_pending ;;
    grub-kill)
        # from no CPU family to one, with the user's isolcpus= taken over, update-grub run
        BACKEND=grub
        sed_user() { sed -i 's/^GRUB_CMDLINE_LINUX="quiet"/GRUB_CMDLINE_LINUX="quiet isolcpus=1"/' "$root/etc/default/grub"; }
        fixture() { fixture_base; sed_user; }
        TAKEOVER=1 UPDATE_GRUB=$here/fake-update-grub test_kill "1024 nocpu" "512 cpu"
        ;;
    bls-foreign) BACKEND=bls; test_bls_foreign ;;
    golden) BACKEND=bls; test_golden ;;
    cpu-affinity) BACKEND=bls; test_cpu_affinity ;;
    rootfence) BACKEND=bls; test_rootfence_bls; BACKEND=grub; test_rootfence_grub ;;
    limits) BACKEND=bls; export DPDK_BOOT_ROOT; DPDK_BOOT_ROOT=$root; test_limits ;;
    *) echo "unknown backend $BACKEND" >&2; exit 2 ;;
esac
echo "PASS $BACKEND: $checks checks"
