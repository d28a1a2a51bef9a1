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
#     helper.
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

# --- check() of module-setup.sh, with dracut's functions stubbed
check_rc() {  # check_rc HOSTONLY CONFIG(yes|no) HELPER(yes|no)
    local sys=$work/sysroot
    rm -rf "$sys"
    mkdir -p "$sys/etc/dpdk-boot"
    [[ $2 == no ]] || echo "[Device]" > "$sys/etc/dpdk-boot/dpdk-boot.conf"
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

if ((FAILED > 0)); then
    echo "$FAILED check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
