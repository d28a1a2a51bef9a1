#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-hooks.sh MODDIR BUILD_MODDIR DPDK_BOOT GENERATOR FAKEKERNEL_SO MKFIXTURE MODULE_SETUP
#
# The dracut module's POSIX hooks and check(), without building an image:
#   - both hooks pass shellcheck as POSIX sh and parse under dash;
#   - parse-dpdk-boot.sh records the configuration stamp exactly when the initramfs stage runs
#     (dpdk= and rd.dpdk= as systemd booleans, bare switch = yes, last one wins), with dracut's
#     own getarg (its functions taken from dracut-lib.sh, the dracut-getarg helper);
#   - dpdk-boot-pre-trigger.sh (the shell-init stage) on the helper tests' fixture tree, with the
#     fakekernel shim playing the kernel: it reserves and binds what the initrd plan says, and
#     nothing under rd.dpdk=no, dpdk=no or rd.dpdk.bind=no;
#   - check() of module-setup.sh: 0 with hostonly and a config, 255 otherwise, 1 without the
#     helper;
#   - install(), installkernel() and cmdline() install what `dpdk-boot initrd-manifest` (the
#     helper in the sysroot, run with --root) says, so config.c's reading of the drop-ins: a
#     symlinked drop-in, /etc hiding /usr/lib, a /dev/null mask, the order by name; nothing of an
#     invalid configuration, nothing of a failing helper's output.
set -euo pipefail

MODDIR=${1:?usage: see the header}
BUILD_MODDIR=${2:?}
DPDK_BOOT=${3:?}
GENERATOR=${4:?}
SHIM=${5:?}
MKFIXTURE=${6:?}
MODULE_SETUP=${7:?}
DRACUT_LIB=/usr/lib/dracut/modules.d/99base/dracut-lib.sh
DRACUT_UTIL=/usr/lib/dracut/dracut-util

[[ -r $DRACUT_LIB && -x $DRACUT_UTIL ]] || { echo "SKIP: dracut is not installed"; exit 77; }
command -v dash > /dev/null || { echo "SKIP: no dash"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
FAILED=0
fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
ok() { echo "ok: $*"; }

# --- lint
pre_trigger=$work/dpdk-boot-pre-trigger.sh
# the hook as installed, with the build's binaries in place of the installed paths
sed -e "s|[^ ]*/dpdk-boot-generator\b|$GENERATOR|" -e "s|[^ ]*/sbin/dpdk-boot\b|$DPDK_BOOT|" \
    "$BUILD_MODDIR/dpdk-boot-pre-trigger.sh" > "$pre_trigger"
for f in "$MODDIR/parse-dpdk-boot.sh" "$MODDIR/dpdk-boot-pre-trigger.sh.in"; do
    if dash -n "$f"; then ok "dash parses ${f##*/}"; else fail "dash cannot parse ${f##*/}"; fi
    if command -v shellcheck > /dev/null; then
        if shellcheck -s sh "$f"; then ok "shellcheck -s sh ${f##*/}"; else fail "shellcheck -s sh ${f##*/}"; fi
    fi
done

# --- a dash with dracut's getarg, reading the command line from the tree's proc/cmdline
mkdir -p "$work/bin"
ln -s "$DRACUT_UTIL" "$work/bin/dracut-getarg"
{
    sed -n '/^debug_off()/,/^}/p; /^debug_on()/,/^}/p; /^getarg()/,/^}/p' "$DRACUT_LIB"
    cat << 'LIB'
getcmdline() { cat "$DPDK_BOOT_ROOT/proc/cmdline"; }
info() { echo "info: $*" >&2; }
warn() { echo "warn: $*" >&2; }
LIB
} > "$work/lib.sh"
grep -q '^getarg()' "$work/lib.sh" || { echo "FAIL: no getarg() in $DRACUT_LIB" >&2; exit 1; }

root=
fresh() {  # fresh CMDLINE: a new fixture tree, as the initramfs sees it
    [[ -d $work/template ]] || "$MKFIXTURE" "$work/template"
    root=$work/root
    rm -rf "$root"
    cp -a "$work/template" "$root"
    echo "$1" > "$root/proc/cmdline"
    : > "$root/etc/initrd-release"
    mkdir -p "$root/usr/lib/dpdk-boot"
    echo "v1 0123456789abcdef 1" > "$root/usr/lib/dpdk-boot/initrd-stamp"
}
# shellcheck disable=SC2016  # $1 and $2 are dash's, not ours
hook() {  # hook SCRIPT: sourced by dash, as dracut's init sources hooks
    # In a sanitizer build the ASan runtime must precede the shim (SANITIZER_PRELOAD); dash is
    # not instrumented and frees nothing at exit, so leaks are not checked here (the helper
    # tests check them).
    env -u SYSTEMD_IN_INITRD PATH="$work/bin:$PATH" DPDK_BOOT_ROOT="$root" \
        LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD:}$SHIM" \
        ASAN_OPTIONS="${SANITIZER_PRELOAD:+detect_leaks=0:}${ASAN_OPTIONS:-}" \
        DPDK_BOOT_LOG_LEVEL=info DPDK_BOOT_LOG_TARGET=stderr dash -c '. "$1"; . "$2"' hook "$work/lib.sh" "$1" > "$work/out" 2>&1
}
driver() { basename "$(readlink "$root/sys/bus/pci/devices/$1/driver")"; }
nr() { cat "$root/sys/kernel/mm/hugepages/hugepages-$1kB/nr_hugepages"; }

# --- parse-dpdk-boot.sh
for c in "ro|yes" "rd.dpdk|yes" "rd.dpdk=no|no" "rd.dpdk=0|no" "rd.dpdk=false|no" "dpdk=off|no" \
    "rd.dpdk=no rd.dpdk=yes|yes" "rd.dpdk=yes rd.dpdk=no|no" "rd.dpdk=no rd.dpdk|yes" \
    "rd.dpdk.bind=0|yes" "dpdk.bind=0 rd.dpdk=1|yes"; do
    fresh "${c%|*}"
    hook "$MODDIR/parse-dpdk-boot.sh" || fail "parse-dpdk-boot.sh failed with '${c%|*}': $(cat "$work/out")"
    if [[ -e $root/run/dpdk-boot/initrd-stamp ]]; then got=yes; else got=no; fi
    if [[ $got == "${c#*|}" ]]; then
        ok "'${c%|*}': stamp recorded: $got"
    else
        fail "'${c%|*}': stamp recorded: $got, expected ${c#*|}"
    fi
done
fresh ""
hook "$MODDIR/parse-dpdk-boot.sh"
if cmp -s "$root/usr/lib/dpdk-boot/initrd-stamp" "$root/run/dpdk-boot/initrd-stamp"; then
    ok "the recorded stamp is the image's"
else
    fail "the recorded stamp differs from the image's"
fi

# --- dpdk-boot-pre-trigger.sh
fresh "ro intel_iommu=on"
hook "$pre_trigger" || fail "pre-trigger hook failed: $(cat "$work/out")"
for d in 0000:00:04.0 0000:00:05.0; do
    if [[ $(driver $d) == vfio-pci ]]; then ok "pre-trigger: $d on vfio-pci"; else
        fail "pre-trigger: $d on $(driver $d): $(cat "$work/out")"
    fi
done
if [[ $(driver 0000:00:07.0) == virtio-pci ]]; then ok "pre-trigger: 0000:00:07.0 untouched"; else
    fail "pre-trigger: 0000:00:07.0 on $(driver 0000:00:07.0)"
fi
if [[ $(nr 1048576)/$(nr 2048) == 4/256 ]]; then ok "pre-trigger: 1G=4 2M=256 reserved"; else
    fail "pre-trigger: 1G=$(nr 1048576) 2M=$(nr 2048), expected 4/256: $(cat "$work/out")"
fi
# the first line about 1G pages, the last about 2M pages and the first bind, in this order
if awk '/1G pages/ && !g { g = NR } /2M pages/ { m = NR } /bound to vfio-pci/ && !b { b = NR }
        END { exit !(g && m && b && g < m && m < b) }' "$work/out"; then
    ok "pre-trigger: 1G pages, then 2M pages, then the binds"
else
    fail "pre-trigger: not in the order 1G, 2M, binds: $(cat "$work/out")"
fi

for c in "rd.dpdk=no|off" "dpdk=no|off" "rd.dpdk.bind=0|pages"; do
    fresh "ro ${c%|*}"
    hook "$pre_trigger" || fail "pre-trigger hook failed with ${c%|*}: $(cat "$work/out")"
    want=virtio-pci/0
    [[ ${c#*|} == pages ]] && want=virtio-pci/256
    got=$(driver 0000:00:04.0)/$(nr 2048)
    if [[ $got == "$want" ]]; then ok "pre-trigger with ${c%|*}: driver/2M pages $got"; else
        fail "pre-trigger with ${c%|*}: driver/2M pages $got, expected $want: $(cat "$work/out")"
    fi
done

# --- module-setup.sh, with dracut's functions stubbed, on a sysroot (dracutsysrootdir) that
# holds the helper at its installed path: the module runs it there with --root.
helper_path=$(sed -n 's/^dpdk_boot_helper=//p' "$MODULE_SETUP")
[[ $helper_path == /* ]] || { echo "FAIL: no dpdk_boot_helper= in $MODULE_SETUP" >&2; exit 1; }
put_helper() {  # put_helper SYSROOT: the build's helper where the module looks for it
    mkdir -p "$1${helper_path%/*}"
    ln -sf "$DPDK_BOOT" "$1$helper_path"
}

check_rc() {  # check_rc HOSTONLY CONFIG(yes|no) HELPER(yes|no)
    local sys=$work/sysroot
    rm -rf "$sys"
    mkdir -p "$sys/etc/dpdk-boot"
    [[ $2 == no ]] || echo "[Device]" > "$sys/etc/dpdk-boot/dpdk-boot.conf"
    put_helper "$sys"
    bash -c '
        require_binaries() { [[ $HELPER == yes ]]; }
        require_kernel_modules() { return 0; }
        . "$1"
        check' check "$MODULE_SETUP" > /dev/null 2>&1 &&
        echo 0 || echo $?
}
for c in "1 yes yes|0" "'' yes yes|255" "1 no yes|255" "'' no yes|255" "1 yes no|1"; do
    read -r h cfg helper <<< "${c%|*}"
    [[ $h == "''" ]] && h=
    got=$(hostonly=$h dracutsysrootdir=$work/sysroot HELPER=$helper check_rc "$h" "$cfg" "$helper")
    if [[ $got == "${c#*|}" ]]; then ok "check() hostonly='$h' config=$cfg helper=$helper: $got"; else
        fail "check() hostonly='$h' config=$cfg helper=$helper: $got, expected ${c#*|}"
    fi
done

# dracut's side of install(), installkernel() and cmdline(): what they would install goes to
# $work/setup.log, one call a line; the image's tree is $work/initdir.
setup_run() {  # setup_run SYSROOT FUNCTION...
    rm -rf "$work/initdir"
    mkdir -p "$work/initdir"
    : > "$work/setup.log"
    # shellcheck disable=SC2016  # expanded by the inner bash
    hostonly=1 hostonly_cmdline=yes kernel=6.1.0-test dracutsysrootdir=$1 initdir=$work/initdir \
        moddir=$MODDIR LOG=$work/setup.log bash -c '
        inst_simple() { echo "inst_simple $*" >> "$LOG"; }
        inst_symlink() { echo "inst_symlink $*" >> "$LOG"; }
        inst_multiple() { echo "inst_multiple $*" >> "$LOG"; }
        inst_hook() { echo "inst_hook $*" >> "$LOG"; }
        instmods() { echo "instmods $*" >> "$LOG"; }
        dwarn() { echo "dwarn $*" >> "$LOG"; }
        dracut_module_included() { [[ $1 == systemd ]]; }
        . "$1"
        shift
        for f; do "$f" || echo "$f returned $?" >> "$LOG"; done' setup "$MODULE_SETUP" "${@:2}" \
        > "$work/setup.out" 2> "$work/setup.err"
}
logged() {  # logged LINE: setup_run logged exactly this line
    grep -qxF -- "$1" "$work/setup.log"
}
expect_logged() {  # expect_logged LINE WHAT
    if logged "$1"; then ok "$2"; else fail "$2: no '$1' in: $(cat "$work/setup.log")"; fi
}
expect_not_logged() {  # expect_not_logged LINE WHAT
    if logged "$1"; then fail "$2: '$1' logged"; else ok "$2"; fi
}

# The drop-ins where the module's own reading of the files (awk) disagreed with config.c: a
# symlinked drop-in (awk skipped it), a /usr/lib drop-in that /etc's of the same name hides, one
# masked by a link to /dev/null (awk read both), and the order by name across directories (awk
# read /usr/lib before /etc).
sys=$work/sysroot
rm -rf "$sys"
"$MKFIXTURE" "$sys"
put_helper "$sys"
c=$sys/etc/dpdk-boot/conf.d
u=$sys/usr/lib/dpdk-boot/conf.d
mkdir -p "$c" "$u" "$sys/srv" "$sys/lib/modules/6.1.0-test" "$sys/etc/modprobe.d"
printf '[IOMMU]\nMode=on\n' > "$c/10-iommu.conf"
printf '[IOMMU]\nMode=pt\n' > "$u/15-iommu.conf"
printf '[Device]\nAddress=0000:00:06.0\nDriver=igb_uio\n' > "$u/20-hidden.conf"
printf '# 0000:00:06.0 stays on its kernel driver\n' > "$c/20-hidden.conf"
printf '[Device]\nAddress=0000:00:07.0\nDriver=uio_pci_generic\n' > "$sys/srv/30-real.conf"
ln -s ../../../srv/30-real.conf "$c/30-link.conf"
printf '[IOMMU]\nMode=off\n' > "$u/40-off.conf"
ln -s /dev/null "$c/40-off.conf"
# the target kernel's vfio-pci variant driver for the virtio NICs
echo 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_vfio_pci' > "$sys/etc/modprobe.d/variant.conf"
mkdir -p "$sys/etc/systemd/network"
printf '[Match]\nName=enp9s0\n' > "$sys/etc/systemd/network/05-mgmt.network"

setup_run "$sys" installkernel install
expect_logged "inst_simple -H /etc/dpdk-boot/dpdk-boot.conf" "install: the main file"
expect_logged "inst_simple -H /etc/dpdk-boot/conf.d/10-iommu.conf" "install: an /etc drop-in"
expect_logged "inst_simple -H /usr/lib/dpdk-boot/conf.d/15-iommu.conf" "install: a /usr/lib drop-in"
expect_logged "inst_simple -H /etc/dpdk-boot/conf.d/20-hidden.conf" "install: the /etc drop-in that hides /usr/lib's"
expect_not_logged "inst_simple -H /usr/lib/dpdk-boot/conf.d/20-hidden.conf" "install: not the /usr/lib drop-in /etc hides"
expect_logged "inst_symlink -H /etc/dpdk-boot/conf.d/30-link.conf" "install: the symlinked drop-in, as a symlink"
expect_logged "inst_symlink -H /etc/dpdk-boot/conf.d/40-off.conf" "install: the /dev/null mask"
expect_not_logged "inst_simple -H /usr/lib/dpdk-boot/conf.d/40-off.conf" "install: not the drop-in /dev/null masks"
if [[ $(grep -c '^inst_s' "$work/setup.log") == 6 ]]; then ok "install: six configuration files"; else
    fail "install: not six configuration files: $(grep '^inst_s' "$work/setup.log")"
fi
# installkernel: the must-haves, then the plan's: the symlinked drop-in's driver, not the
# hidden one's, and the variant driver of the target kernel (--kernel) for 04.0 and 05.0
expect_logged "instmods vfio vfio_pci vfio_iommu_type1" "installkernel: the must-haves"
expect_logged "instmods uio_pci_generic vfio vfio_iommu_type1 vfio_pci virtio_vfio_pci" \
    "installkernel: the symlinked drop-in's driver and the variant driver, no igb_uio"
# cmdline (install, hostonly_cmdline=yes): Mode=pt, as config.c reads the drop-ins in name order
# with the /dev/null mask honoured (awk: /usr/lib first, then /etc, so Mode=on)
iommu=intel_iommu
grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo && iommu=amd_iommu
if [[ $(cat "$work/initdir/etc/cmdline.d/90dpdk-boot.conf" 2> /dev/null) == "$iommu=on iommu=pt" ]]; then
    ok "cmdline: $iommu=on iommu=pt"
else
    fail "cmdline: '$(cat "$work/initdir/etc/cmdline.d/90dpdk-boot.conf" 2> /dev/null)', expected '$iommu=on iommu=pt'"
fi
# the stamp and the evidence are the helper's, for the same root
if [[ $(cat "$work/initdir/usr/lib/dpdk-boot/initrd-stamp") == "$("$DPDK_BOOT" --root "$sys" config-stamp)" ]]; then
    ok "install: the stamp is config-stamp's"
else
    fail "install: the stamp '$(cat "$work/initdir/usr/lib/dpdk-boot/initrd-stamp")' is not config-stamp's"
fi
if "$DPDK_BOOT" --root "$sys" mgmt-evidence | cmp -s - "$work/initdir/usr/lib/dpdk-boot/mgmt-evidence" &&
    grep -qxF "name enp9s0 /etc/systemd/network/05-mgmt.network:2" "$work/initdir/usr/lib/dpdk-boot/mgmt-evidence"; then
    ok "install: the evidence is mgmt-evidence's"
else
    fail "install: the evidence is '$(cat "$work/initdir/usr/lib/dpdk-boot/mgmt-evidence")'"
fi
if [[ ! -s $work/setup.err ]] && ! grep -q "returned\|^dwarn" "$work/setup.log"; then ok "install: no warning"; else
    fail "install: $(cat "$work/setup.err") $(grep "returned\|^dwarn" "$work/setup.log")"
fi

# An invalid configuration: none of it in the image, nothing of it on the command line, the
# must-have modules only, and the build goes on.
echo "Bogus=1" >> "$c/10-iommu.conf"
setup_run "$sys" installkernel install
if ! grep -q "^inst_s" "$work/setup.log"; then ok "invalid: no configuration file installed"; else
    fail "invalid: installed $(grep "^inst_s" "$work/setup.log")"
fi
if [[ $(grep -c "^instmods" "$work/setup.log") == 1 ]]; then ok "invalid: the must-have modules only"; else
    fail "invalid: $(grep "^instmods" "$work/setup.log")"
fi
if [[ ! -e $work/initdir/etc/cmdline.d/90dpdk-boot.conf ]]; then ok "invalid: no IOMMU arguments"; else
    fail "invalid: IOMMU arguments $(cat "$work/initdir/etc/cmdline.d/90dpdk-boot.conf")"
fi
if grep -q "^dwarn dpdk-boot: the configuration is invalid" "$work/setup.log" &&
    grep -q "Unknown key 'Bogus'" "$work/setup.err" && ! grep -q returned "$work/setup.log"; then
    ok "invalid: a warning naming the error, and no failure"
else
    fail "invalid: $(cat "$work/setup.log" "$work/setup.err")"
fi
if [[ -s $work/initdir/usr/lib/dpdk-boot/initrd-stamp ]]; then ok "invalid: the stamp still goes in"; else
    fail "invalid: no stamp"
fi
sed -i '/^Bogus=1$/d' "$c/10-iommu.conf"

# A helper that fails after printing part of a manifest: none of it is trusted.
rm "$sys$helper_path"
printf '#!/bin/sh\necho "state valid"\necho "config /etc/dpdk-boot/dpdk-boot.conf"\necho "module igb_uio"\nexit 1\n' \
    > "$sys$helper_path"
chmod +x "$sys$helper_path"
setup_run "$sys" installkernel install
if ! grep -qE "^inst_s|^instmods igb_uio" "$work/setup.log" && [[ ! -e $work/initdir/usr/lib/dpdk-boot/initrd-stamp ]] &&
    grep -q "^dwarn dpdk-boot: the helper cannot say" "$work/setup.log" && ! grep -q returned "$work/setup.log"; then
    ok "a failing helper: nothing of its output installed, a warning, no failure"
else
    fail "a failing helper: $(cat "$work/setup.log")"
fi

if ((FAILED > 0)); then
    echo "$FAILED check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
