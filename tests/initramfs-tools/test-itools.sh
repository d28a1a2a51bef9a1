#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-itools.sh SRCDIR HOOK SCRIPT DPDK_BOOT GENERATOR FAKEKERNEL_SO MKFIXTURE
#
# The initramfs-tools hook and boot script (as built: HOOK and SCRIPT), without building an
# image, with initramfs-tools' own hook-functions and scripts/functions:
#   - both parse under dash and pass shellcheck as POSIX sh; run with "prereqs" (as mkinitramfs
#     runs every script at build time) they print nothing but their prerequisites and touch
#     nothing;
#   - initramfs-tools' cache_run_scripts orders init-top/dpdk-boot before init-top/udev, whose
#     coldplug loads the NIC drivers;
#   - the boot script on the helper tests' fixture tree, with the fakekernel shim playing the
#     kernel: it reserves and binds what the initrd plan says and records the stamp; nothing under
#     rd.dpdk=no or dpdk=no (last one wins, bare switch = yes), no binding under rd.dpdk.bind=no;
#     nothing at all in an image the hook put nothing in;
#   - the hook with a fake DESTDIR, on a root with drop-ins that only config.c's reading gets
#     right: the helper and the generator with their libraries (copy_exec), the configuration as
#     `dpdk-boot initrd-manifest` lists it (a symlinked drop-in with its target's contents, a
#     /dev/null mask, /etc hiding /usr/lib), the stamp and the evidence of the helper, the
#     modules (manual_add_modules, recorded: the host has no modules of the test kernel);
#     nothing of an invalid configuration but its stamp, nothing without a configuration or
#     with a failing helper, and the image build never fails.
set -euo pipefail

SRCDIR=${1:?usage: see the header}
HOOK=${2:?}
SCRIPT=${3:?}
DPDK_BOOT=${4:?}
GENERATOR=${5:?}
SHIM=${6:?}
MKFIXTURE=${7:?}
ITOOLS=/usr/share/initramfs-tools
HOOK_FUNCTIONS=$ITOOLS/hook-functions
SCRIPT_FUNCTIONS=$ITOOLS/scripts/functions

[[ -r $HOOK_FUNCTIONS && -r $SCRIPT_FUNCTIONS ]] ||
    { echo "SKIP: initramfs-tools-core is not installed"; exit 77; }
command -v dash > /dev/null || { echo "SKIP: no dash"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
FAILED=0
fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
ok() { echo "ok: $*"; }

# --- lint, and the prereqs call
for f in "$SRCDIR/hooks/dpdk-boot.in" "$SRCDIR/scripts/init-top/dpdk-boot.in"; do
    if dash -n "$f"; then ok "dash parses ${f#"$SRCDIR"/}"; else fail "dash cannot parse ${f#"$SRCDIR"/}"; fi
    if command -v shellcheck > /dev/null; then
        if (cd "$SRCDIR" && shellcheck -s sh "$f"); then ok "shellcheck -s sh ${f#"$SRCDIR"/}"; else
            fail "shellcheck -s sh ${f#"$SRCDIR"/}"
        fi
    fi
done
for f in "$HOOK" "$SCRIPT"; do
    mkdir -p "$work/prereqs"
    out=$(DESTDIR=$work/prereqs DPDK_BOOT_ROOT=$work/prereqs dash "$f" prereqs 2>&1)
    if [[ -z $out && -z $(ls -A "$work/prereqs") ]]; then ok "${f##*/} prereqs: nothing printed or done"; else
        fail "${f##*/} prereqs: printed '$out', made $(ls -A "$work/prereqs")"
    fi
done

# --- the order of init-top, as mkinitramfs writes it into the image (cache_run_scripts)
mkdir -p "$work/order/scripts/init-top"
for f in "$ITOOLS"/scripts/init-top/*; do
    [[ -f $f ]] && cp "$f" "$work/order/scripts/init-top/"
done
if [[ ! -e $work/order/scripts/init-top/udev ]]; then
    # udev is not installed here: its script, as udev ships it, names no PREREQ
    # shellcheck disable=SC2016  # the stand-in's own $1
    printf '#!/bin/sh\ncase "$1" in prereqs) echo ""; exit 0 ;; esac\n' > "$work/order/scripts/init-top/udev"
    chmod +x "$work/order/scripts/init-top/udev"
fi
# the scripts are read from CONFDIR (/etc/initramfs-tools) before /usr/share/initramfs-tools
mkdir -p "$work/conf/scripts/init-top"
for d in "$work/order" "$work/conf"; do
    cp "$SCRIPT" "$d/scripts/init-top/dpdk-boot"
    chmod +x "$d/scripts/init-top/dpdk-boot"
done
# shellcheck disable=SC2016  # expanded by dash
CONFDIR=$work/conf DESTDIR=$work/order verbose=n dash -c '. "$1"; cache_run_scripts "$DESTDIR" /scripts/init-top' order "$HOOK_FUNCTIONS"
order=$(sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' "$work/order/scripts/init-top/ORDER" | tr '\n' ' ')
if awk -v o=" $order" 'BEGIN { d = index(o, " dpdk-boot "); u = index(o, " udev "); exit !(d && u && d < u) }'; then
    ok "init-top order: dpdk-boot before udev ($order)"
else
    fail "init-top order: $order"
fi

# --- the boot script, on the fixture tree
script=$work/script
sed -e "s|^dpdk_boot_generator=.*|dpdk_boot_generator=$GENERATOR|" \
    -e "s|^dpdk_boot_helper=.*|dpdk_boot_helper=$DPDK_BOOT|" \
    -e "s|^\. /scripts/functions$|. $SCRIPT_FUNCTIONS|" "$SCRIPT" > "$script"
if ! grep -q "^dpdk_boot_helper=$DPDK_BOOT\$" "$script" || ! grep -q "^\. $SCRIPT_FUNCTIONS\$" "$script"; then
    echo "FAIL: cannot point $SCRIPT at the build" >&2
    exit 1
fi
root=
fresh() {  # fresh CMDLINE: a new fixture tree, as the initramfs sees it (no initrd-release)
    [[ -d $work/template ]] || "$MKFIXTURE" "$work/template"
    root=$work/root
    rm -rf "$root"
    cp -a "$work/template" "$root"
    echo "$1" > "$root/proc/cmdline"
    mkdir -p "$root/usr/lib/dpdk-boot"
    echo "v1 0123456789abcdef 1" > "$root/usr/lib/dpdk-boot/initrd-stamp"
}
boot_script() {  # boot_script [SCRIPT]: run as initramfs-tools' init runs it (quiet exported)
    # In a sanitizer build the ASan runtime must precede the shim (SANITIZER_PRELOAD); dash is
    # not instrumented and frees nothing at exit, so leaks are not checked here.
    env -u SYSTEMD_IN_INITRD quiet=n DPDK_BOOT_ROOT="$root" \
        LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD:}$SHIM" \
        ASAN_OPTIONS="${SANITIZER_PRELOAD:+detect_leaks=0:}${ASAN_OPTIONS:-}" \
        DPDK_BOOT_LOG_LEVEL=info DPDK_BOOT_LOG_TARGET=stderr dash "${1:-$script}" > "$work/out" 2>&1
}
driver() { basename "$(readlink "$root/sys/bus/pci/devices/$1/driver")"; }
nr() { cat "$root/sys/kernel/mm/hugepages/hugepages-$1kB/nr_hugepages"; }
stamped() { cmp -s "$root/usr/lib/dpdk-boot/initrd-stamp" "$root/run/dpdk-boot/initrd-stamp"; }

fresh "ro intel_iommu=on"
boot_script || fail "the boot script failed: $(cat "$work/out")"
for d in 0000:00:04.0 0000:00:05.0; do
    if [[ $(driver $d) == vfio-pci ]]; then ok "boot script: $d on vfio-pci"; else
        fail "boot script: $d on $(driver $d): $(cat "$work/out")"
    fi
done
if [[ $(driver 0000:00:07.0) == virtio-pci ]]; then ok "boot script: 0000:00:07.0 untouched"; else
    fail "boot script: 0000:00:07.0 on $(driver 0000:00:07.0)"
fi
if [[ $(nr 1048576)/$(nr 2048) == 4/256 ]]; then ok "boot script: 1G=4 2M=256 reserved"; else
    fail "boot script: 1G=$(nr 1048576) 2M=$(nr 2048), expected 4/256: $(cat "$work/out")"
fi
if awk '/1G pages/ && !g { g = NR } /2M pages/ { m = NR } /bound to vfio-pci/ && !b { b = NR }
        END { exit !(g && m && b && g < m && m < b) }' "$work/out"; then
    ok "boot script: 1G pages, then 2M pages, then the binds"
else
    fail "boot script: not in the order 1G, 2M, binds: $(cat "$work/out")"
fi
if stamped; then ok "boot script: the image's stamp recorded in /run"; else fail "boot script: no stamp recorded"; fi
if grep -q 'initrd' "$root/run/dpdk-boot/initrd-plan.json" 2> /dev/null ||
    [[ -s $root/run/dpdk-boot/initrd-plan.json ]]; then
    ok "boot script: the generator ran as in the initrd (initrd-plan.json)"
else
    fail "boot script: no initrd-plan.json: $(ls "$root/run/dpdk-boot" 2>&1)"
fi

# the switches: what is bound, the 2M pages, the stamp
for c in "rd.dpdk=no|virtio-pci/0/no" "dpdk=no|virtio-pci/0/no" "rd.dpdk=off|virtio-pci/0/no" \
    "rd.dpdk=no rd.dpdk=yes|vfio-pci/256/yes" "rd.dpdk=no rd.dpdk|vfio-pci/256/yes" \
    "rd.dpdk=yes rd.dpdk=0|virtio-pci/0/no" "rd.dpdk.bind=0|virtio-pci/256/yes" \
    "rd.dpdk.hugepages=0|vfio-pci/0/yes" "dpdk.bind=0 rd.dpdk=1|virtio-pci/256/yes"; do
    fresh "ro intel_iommu=on ${c%|*}"
    boot_script || fail "the boot script failed with ${c%|*}: $(cat "$work/out")"
    s=no
    stamped && s=yes
    got=$(driver 0000:00:04.0)/$(nr 2048)/$s
    if [[ $got == "${c#*|}" ]]; then ok "boot script with '${c%|*}': driver/2M pages/stamp $got"; else
        fail "boot script with '${c%|*}': driver/2M pages/stamp $got, expected ${c#*|}: $(cat "$work/out")"
    fi
done

# an image the hook put nothing in (no configuration): no helper there, nothing happens
fresh "ro intel_iommu=on"
sed "s|^dpdk_boot_helper=.*|dpdk_boot_helper=$work/absent/dpdk-boot|" "$script" > "$work/script-empty"
boot_script "$work/script-empty" || fail "the boot script failed without a helper: $(cat "$work/out")"
if [[ $(driver 0000:00:04.0)/$(nr 2048) == virtio-pci/0 && ! -e $root/run/dpdk-boot && ! -s $work/out ]]; then
    ok "boot script in an image without the stage: nothing done, nothing said"
else
    fail "boot script without the stage: $(driver 0000:00:04.0)/$(nr 2048), $(ls "$root/run" 2>&1) $(cat "$work/out")"
fi

# --- the hook, with a fake DESTDIR
hook=$work/hook
cat > "$work/hook-functions" << EOF
. $HOOK_FUNCTIONS
# the host has no modules of the test kernel: record what would be added
manual_add_modules() { echo "manual_add_modules \$*" >> "\$LOG"; }
copy_modules_dir() { echo "copy_modules_dir \$*" >> "\$LOG"; }
EOF
put_hook() {  # put_hook HELPER
    sed -e "s|^dpdk_boot_generator=.*|dpdk_boot_generator=$GENERATOR|" \
        -e "s|^dpdk_boot_helper=.*|dpdk_boot_helper=$1|" \
        -e "s|^\. $HOOK_FUNCTIONS$|. $work/hook-functions|" "$HOOK" > "$hook"
    grep -q "^\. $work/hook-functions\$" "$hook" || { echo "FAIL: cannot point $HOOK at the build" >&2; exit 1; }
}
dest=$work/dest
run_hook() {  # run_hook [MODULES]: as mkinitramfs runs hooks (its variables exported)
    rm -rf "$dest"
    mkdir -p "$dest"
    : > "$work/hook.log"
    env -u SYSTEMD_IN_INITRD DESTDIR="$dest" version=6.1.0-test verbose=n MODULES="${1:-dep}" \
        DPDK_BOOT_ROOT="$sys" LOG="$work/hook.log" dash "$hook" > "$work/hook.out" 2>&1
}
in_image() { [[ -e $dest$1 || -L $dest$1 ]]; }
expect_file() {  # expect_file PATH SOURCE WHAT: in the image with SOURCE's contents
    if [[ -f $dest$1 && ! -L $dest$1 ]] && cmp -s "$2" "$dest$1"; then ok "$3"; else
        fail "$3: $1 $(ls -l "$dest$1" 2>&1)"
    fi
}
expect_absent() {  # expect_absent PATH WHAT
    if in_image "$1"; then fail "$2: $1 is in the image"; else ok "$2"; fi
}

# the drop-ins where a reading of the files other than config.c's goes wrong (see
# tests/dracut/test-hooks.sh): a symlinked drop-in, /etc hiding /usr/lib, a /dev/null mask
sys=$work/sysroot
"$MKFIXTURE" "$sys"
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
echo 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_vfio_pci' > "$sys/etc/modprobe.d/variant.conf"
mkdir -p "$sys/etc/systemd/network"
printf '[Match]\nName=enp9s0\n' > "$sys/etc/systemd/network/05-mgmt.network"

put_hook "$DPDK_BOOT"
run_hook || fail "the hook failed: $(cat "$work/hook.out")"
expect_file /etc/dpdk-boot/dpdk-boot.conf "$sys/etc/dpdk-boot/dpdk-boot.conf" "hook: the main file"
expect_file /etc/dpdk-boot/conf.d/10-iommu.conf "$c/10-iommu.conf" "hook: an /etc drop-in"
expect_file /usr/lib/dpdk-boot/conf.d/15-iommu.conf "$u/15-iommu.conf" "hook: a /usr/lib drop-in"
expect_file /etc/dpdk-boot/conf.d/20-hidden.conf "$c/20-hidden.conf" "hook: the /etc drop-in that hides /usr/lib's"
expect_absent /usr/lib/dpdk-boot/conf.d/20-hidden.conf "hook: not the /usr/lib drop-in /etc hides"
expect_file /etc/dpdk-boot/conf.d/30-link.conf "$sys/srv/30-real.conf" "hook: the symlinked drop-in, with its target's contents"
if [[ $(readlink "$dest/etc/dpdk-boot/conf.d/40-off.conf") == /dev/null ]]; then ok "hook: the /dev/null mask"; else
    fail "hook: the mask is $(ls -l "$dest/etc/dpdk-boot/conf.d/40-off.conf" 2>&1)"
fi
expect_absent /usr/lib/dpdk-boot/conf.d/40-off.conf "hook: not the drop-in /dev/null masks"
n=$(find "$dest/etc/dpdk-boot" "$dest/usr/lib/dpdk-boot/conf.d" \( -type f -o -type l \) | wc -l)
if [[ $n == 6 ]]; then ok "hook: six configuration files"; else
    fail "hook: $n configuration files: $(find "$dest/etc/dpdk-boot" "$dest/usr/lib/dpdk-boot/conf.d")"
fi
for b in "$DPDK_BOOT" "$GENERATOR"; do
    if cmp -s "$b" "$dest$(realpath -s "$b")"; then ok "hook: ${b##*/} in the image"; else
        fail "hook: ${b##*/} not in the image: $(cat "$work/hook.out")"
    fi
done
# copy_exec brought the helper's libraries (those that ldd resolves to a path)
missing=
while read -r lib; do
    in_image "$lib" || in_image "/usr$lib" || missing+="$lib "
done < <(ldd "$DPDK_BOOT" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p')
if [[ -z $missing ]]; then ok "hook: the helper's libraries in the image"; else fail "hook: missing libraries: $missing"; fi
if grep -qxF "manual_add_modules vfio vfio_pci vfio_iommu_type1 uio_pci_generic vfio vfio_iommu_type1 vfio_pci virtio_vfio_pci" \
    "$work/hook.log" && [[ $(wc -l < "$work/hook.log") == 1 ]]; then
    ok "hook: the vfio modules, the symlinked drop-in's driver and the variant driver, no igb_uio"
else
    fail "hook: modules: $(cat "$work/hook.log")"
fi
if [[ $(cat "$dest/usr/lib/dpdk-boot/initrd-stamp") == "$("$DPDK_BOOT" --root "$sys" config-stamp)" ]]; then
    ok "hook: the stamp is config-stamp's"
else
    fail "hook: the stamp '$(cat "$dest/usr/lib/dpdk-boot/initrd-stamp" 2>&1)' is not config-stamp's"
fi
if "$DPDK_BOOT" --root "$sys" mgmt-evidence | cmp -s - "$dest/usr/lib/dpdk-boot/mgmt-evidence" &&
    grep -qxF "name enp9s0 /etc/systemd/network/05-mgmt.network:2" "$dest/usr/lib/dpdk-boot/mgmt-evidence"; then
    ok "hook: the evidence is mgmt-evidence's"
else
    fail "hook: the evidence is '$(cat "$dest/usr/lib/dpdk-boot/mgmt-evidence" 2>&1)'"
fi
if [[ ! -s $work/hook.out ]]; then ok "hook: no warning"; else fail "hook: $(cat "$work/hook.out")"; fi

# an image with most modules (for other machines too): every driver a configuration could name
run_hook most || fail "the hook failed with MODULES=most: $(cat "$work/hook.out")"
if grep -qxF "manual_add_modules uio_pci_generic igb_uio" "$work/hook.log" &&
    grep -qxF "copy_modules_dir kernel/drivers/vfio" "$work/hook.log"; then
    ok "hook with MODULES=most: uio_pci_generic, igb_uio and drivers/vfio"
else
    fail "hook with MODULES=most: $(cat "$work/hook.log")"
fi

# an invalid configuration: none of it, its stamp, the must-have modules only, no failure
echo "Bogus=1" >> "$c/10-iommu.conf"
run_hook || fail "the hook failed on an invalid configuration: $(cat "$work/hook.out")"
if [[ ! -e $dest/etc/dpdk-boot && ! -e $dest/usr/lib/dpdk-boot/conf.d ]]; then ok "invalid: no configuration file"; else
    fail "invalid: $(find "$dest/etc/dpdk-boot" "$dest/usr/lib/dpdk-boot/conf.d" 2>&1)"
fi
if grep -qxF "manual_add_modules vfio vfio_pci vfio_iommu_type1" "$work/hook.log"; then ok "invalid: the must-have modules only"; else
    fail "invalid: modules $(cat "$work/hook.log")"
fi
if grep -q "the configuration is invalid" "$work/hook.out" && grep -q "Unknown key 'Bogus'" "$work/hook.out" &&
    [[ -s $dest/usr/lib/dpdk-boot/initrd-stamp ]]; then
    ok "invalid: a warning naming the error; the stamp goes in"
else
    fail "invalid: $(cat "$work/hook.out") $(ls "$dest/usr/lib/dpdk-boot" 2>&1)"
fi
sed -i '/^Bogus=1$/d' "$c/10-iommu.conf"

# no configuration: nothing in the image
mv "$sys/etc/dpdk-boot" "$sys/etc/dpdk-boot.off"
mv "$sys/usr/lib/dpdk-boot/conf.d" "$sys/usr/lib/dpdk-boot/conf.d.off"
run_hook || fail "the hook failed without a configuration: $(cat "$work/hook.out")"
if [[ -z $(ls -A "$dest") && ! -s $work/hook.log ]]; then ok "no configuration: nothing in the image"; else
    fail "no configuration: $(find "$dest" | head) $(cat "$work/hook.log")"
fi
mv "$sys/etc/dpdk-boot.off" "$sys/etc/dpdk-boot"
mv "$sys/usr/lib/dpdk-boot/conf.d.off" "$sys/usr/lib/dpdk-boot/conf.d"

# a helper that fails after printing part of a manifest: none of it is trusted
printf '#!/bin/sh\necho "state valid"\necho "config /etc/dpdk-boot/dpdk-boot.conf"\necho "module igb_uio"\nexit 1\n' \
    > "$work/bad-helper"
chmod +x "$work/bad-helper"
put_hook "$work/bad-helper"
if run_hook && [[ -z $(ls -A "$dest") && ! -s $work/hook.log ]] && grep -q "the helper cannot say" "$work/hook.out"; then
    ok "a failing helper: nothing in the image, a warning, no failure"
else
    fail "a failing helper: $(find "$dest" | head) $(cat "$work/hook.log" "$work/hook.out")"
fi

if ((FAILED > 0)); then
    echo "$FAILED check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
