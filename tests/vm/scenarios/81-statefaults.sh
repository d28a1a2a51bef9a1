# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# statefaults: the faults of writing state, on two boots of one disk with the kargs config
# ([Kernel] ManageArgs=yes RebootPolicy=once Bootloader=bls). /var/lib/dpdk-boot is a small
# tmpfs that a test unit fills before dpdk-boot runs: the disk is full when state is written.
#   boot 1: dpdk-boot-kargs.service is killed (SIGKILL, tests/kargs/killat.c) in the middle of
#           writing the new /etc/kernel/cmdline: the file keeps its old content, byte for byte,
#           nothing reboots, and the failure is in the journal and in status;
#   boot 2: the same without the kill: /etc/kernel/cmdline gets the new line whole, then the
#           record of what it wrote cannot be kept (ENOSPC), so the service fails and, without
#           a reboot guard on disk, nothing reboots: no reboot loop on a full disk.
# Both boots: the host comes up with its datapath and management network (verify's record of the
# NICs, when there is one to write, fails with ENOSPC too: a warning).

STATEFAULTS_KILLAT=/usr/local/lib/dpdk-boot-vmtest/killat.so

setup_statefaults() {
    kargs_config | put_config "$1"
    put_expect "$1" datapath
    mkdir -p "$1/var/log/journal"
    echo "$BASE_CMDLINE" > "$1/etc/kernel/cmdline"
    # the check waits for dpdk-boot-kargs.service, so that a reboot, were there one, comes first
    mkdir -p "$1/etc/systemd/system/dpdk-boot-vmcheck.service.d" "$1/etc/systemd/system/dpdk-boot-kargs.service.d"
    printf '[Unit]\nAfter=dpdk-boot-kargs.service\n' \
        > "$1/etc/systemd/system/dpdk-boot-vmcheck.service.d/50-after-kargs.conf"
    # the kill: step 3 is the first write of the new /etc/kernel/cmdline's temporary file (half
    # of it written, then SIGKILL); only on a boot with dpdk_boot_vmtest.kill
    mkdir -p "$1${STATEFAULTS_KILLAT%/*}"
    cc -shared -fPIC -O2 -o "$1$STATEFAULTS_KILLAT" "$SRC/tests/kargs/killat.c" -ldl
    printf '[Service]\nEnvironment=LD_PRELOAD=%s KARGS_KILL_AT=3 KARGS_KILL_IF_CMDLINE=dpdk_boot_vmtest.kill\n' \
        "$STATEFAULTS_KILLAT" > "$1/etc/systemd/system/dpdk-boot-kargs.service.d/50-vmtest-kill.conf"
    # the full disk
    echo 'tmpfs /var/lib/dpdk-boot tmpfs size=64k,mode=0755 0 0' >> "$1/etc/fstab"
    cat > "$1/etc/systemd/system/dpdk-boot-vmtest-fill.service" << 'UNIT'
[Unit]
Description=dpdk-boot VM test: fill /var/lib/dpdk-boot (disk full)
DefaultDependencies=no
RequiresMountsFor=/var/lib/dpdk-boot
Before=dpdk-boot-verify.service dpdk-boot-kargs.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'dd if=/dev/zero of=/var/lib/dpdk-boot/filler bs=4096 2> /dev/null; df /var/lib/dpdk-boot'
UNIT
    ln -sfn ../dpdk-boot-vmtest-fill.service \
        "$1/etc/systemd/system/multi-user.target.wants/dpdk-boot-vmtest-fill.service"
    echo dpdk_boot_vmtest.kill
}

after_boot_statefaults() {
    local sdir=$1 n=$2
    guest_file "$sdir" /etc/kernel/cmdline > "$sdir/kernel-cmdline-boot$n"
    guest_ls "$sdir" /etc/kernel > "$sdir/etc-kernel-boot$n"
    [ "$n" = 1 ] || return 1
    echo "$BASE_CMDLINE" > "$sdir/cmdline.next"
}

assert_statefaults() {
    local sdir=$WORK/statefaults n
    for n in 1 2; do
        R=$sdir/results-boot$n
        assert_reached_multi_user
        verdict "boot $n: no reboot (the kernel did not restart)" \
            "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot$n.log")" \
            hasnt 'reboot: Restarting system' "$sdir/serial-boot$n.log"
        verdict "boot $n: /var/lib/dpdk-boot was full" "$(journal_line '100% /var/lib/dpdk-boot')" \
            has '100% /var/lib/dpdk-boot$' "$R/journal.txt"
        verdict "boot $n: the datapath is up all the same" "$(unit_prop dpdk-boot-datapath.service ActiveState)" \
            eq "$(unit_prop dpdk-boot-datapath.service ActiveState)" active
        verdict "boot $n: dpdk-boot-kargs.service failed" "$(unit_prop dpdk-boot-kargs.service ActiveState)" \
            eq "$(unit_prop dpdk-boot-kargs.service ActiveState)" failed
        verdict "boot $n: status names the failed kargs unit" "$(grep -m1 'dpdk-boot-kargs.service failed' "$R/status.txt")" \
            has '^  - dpdk-boot-kargs.service failed: the kernel arguments were not all persisted' "$R/status.txt"
        assert_mgmt
    done
    R=$sdir/results-boot1
    verdict "boot 1: dpdk-boot-kargs.service was killed (SIGKILL)" \
        "$(journal_line 'dpdk-boot-kargs.service: Main process exited')" \
        has 'dpdk-boot-kargs\.service: Main process exited, code=killed, status=9/KILL' "$R/journal.txt"
    verdict "boot 1: the kill landed inside the write (its temporary file is there)" \
        "$(tr '\n' ' ' < "$sdir/etc-kernel-boot1")" has '^\.#cmdline\.dpdk-boot-[A-Za-z0-9]{6}$' "$sdir/etc-kernel-boot1"
    verdict "boot 1: /etc/kernel/cmdline kept its old content, byte for byte" \
        "$(head -c 160 "$sdir/kernel-cmdline-boot1")" eq "$(cat "$sdir/kernel-cmdline-boot1")" "$BASE_CMDLINE"
    R=$sdir/results-boot2
    verdict "boot 2: /etc/kernel/cmdline has the new line, whole" "$(head -c 200 "$sdir/kernel-cmdline-boot2")" \
        has_words "$sdir/kernel-cmdline-boot2" "${KARGS_NEEDED[@]}" console=ttyS0 no_timer_check
    verdict "boot 2: the killed write's temporary file is gone" "$(tr '\n' ' ' < "$sdir/etc-kernel-boot2")" \
        hasnt '^\.#cmdline\.dpdk-boot-[A-Za-z0-9]{6}$' "$sdir/etc-kernel-boot2"
    verdict "boot 2: the record of the written arguments failed with ENOSPC, so no reboot" \
        "$(journal_line 'kargs-owned')" \
        has 'dpdk-boot\[[0-9]+\]: Failed to write /var/lib/dpdk-boot/kargs-owned: No space left on device' "$R/journal.txt"
}
