#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-image.sh BUILDDIR SRCDIR: builds initramfs images with the dracut module and checks
# with lsinitrd that the module's files, units, configuration, stamp and kernel modules are in
# them:
#
#   generic    systemd, --no-hostonly, -a dpdk-boot: the units, every DPDK driver module
#   hostonly   systemd, --hostonly --hostonly-cmdline: only the drivers the config names, and
#              the IOMMU arguments in etc/cmdline.d
#   shell      no systemd (dracut's shell init), hostonly, a drop-in naming uio_pci_generic:
#              the pre-trigger hook instead of units, that driver, a different stamp
#
# dracut must run inside a Debian tree with a kernel (Debian 12's dracut 059 has no working
# --sysroot): the tests/vm guest base tree, with this build installed over it through an
# overlay mount, so the cached tree is never written. Needs root; exits 77 (skipped) without
# root, overlayfs, or a base tree that tests/vm/run --base-only can build.
set -euo pipefail

BUILD=${1:?usage: test-image.sh BUILDDIR SRCDIR}
SRC=${2:?}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
ok() { echo "ok: $*"; }
FAILED=0

[[ $(id -u) == 0 ]] || skip "needs root (overlay mount, chroot)"
grep -qw overlay /proc/filesystems || modprobe overlay 2> /dev/null || true
grep -qw overlay /proc/filesystems || skip "no overlayfs"

# The guest base tree of tests/vm for its current package list (the helper needs the libraries
# it lists): reused from its cache, or built there (a few minutes) when the list changed.
command -v mmdebstrap > /dev/null || skip "no mmdebstrap to build the guest base tree"
BASE=$("$SRC/tests/vm/run" --base-only | tail -1) || skip "could not build the guest base tree"
[[ -f $BASE/.dpdk-boot-vm-base ]] || skip "no guest base tree after tests/vm/run --base-only"
KVER=$(find "$BASE/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
[[ -n $KVER ]] || skip "no kernel in $BASE"

work=$(mktemp -d /var/tmp/dpdk-boot-dracut-test.XXXXXX)
root=$work/root
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2> /dev/null || umount -l "${mounts[i]}" || true
    done
    if [[ -n ${KEEP:-} ]]; then
        echo "kept $work"
    elif ! grep -q " $work/" /proc/self/mounts; then
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT

# This build, installed into its own tree, laid over the base tree.
DESTDIR='' meson install -C "$BUILD" --no-rebuild --quiet --destdir "$work/dest" > "$work/install.log"
# The base tree is merged-/usr: a /lib directory in an upper layer would hide its /lib symlink.
for d in bin sbin lib lib64; do
    if [[ -L $BASE/$d && -d $work/dest/$d && ! -L $work/dest/$d ]]; then
        mkdir -p "$work/dest/usr/$d"
        cp -a "$work/dest/$d/." "$work/dest/usr/$d/"
        rm -rf "${work:?}/dest/$d"
    fi
done
helper=$(cd "$work/dest" && find . -path '*bin/dpdk-boot' -type f | sed 's|^\./||')
generator=$(cd "$work/dest" && find . -path '*/system-generators/dpdk-boot-generator' | sed 's|^\./||')
unitdir=$(cd "$work/dest" && find . -name 'dpdk-boot-bind.service' -printf '%h\n' | sed 's|^\./||')
moddir=$(cd "$work/dest" && find . -type d -name '90dpdk-boot' | sed 's|^\./||')
[[ -n $helper && -n $generator && -n $unitdir && -n $moddir ]] ||
    { echo "FAIL: the install lacks the helper, generator, units or dracut module" >&2; exit 1; }

mkdir -p "$work/upper" "$work/ovl" "$root"
mount -t overlay overlay -o "lowerdir=$work/dest:$BASE,upperdir=$work/upper,workdir=$work/ovl" "$root"
mounts+=("$root")
for m in proc sys dev; do
    mount --bind "/$m" "$root/$m"
    mounts+=("$root/$m")
done

mkdir -p "$root/etc/dpdk-boot/conf.d" "$root/var/empty"
cat > "$root/etc/dpdk-boot/dpdk-boot.conf" << 'CONF'
[Hugepages]
Size=1G
Count=1

[IOMMU]
Mode=pt

[Device]
Address=0000:00:04.0
Driver=vfio-pci
CONF

# The management NIC in the real root's network configuration: the images must carry what it says.
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=enp9s0\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/05-dpdk-boot-test-mgmt.network"

# dracut as a distribution would run it, with only the modules an image needs here.
image() {  # image NAME DRACUT-ARGS...
    local name=$1 t
    shift
    t=$(date +%s.%N)
    if ! chroot "$root" dracut --force --quiet --conf /dev/null --confdir /var/empty \
        --kver "$KVER" --compress cat --no-early-microcode "$@" "/tmp/$name.img" > "$work/$name.log" 2>&1; then
        tail -30 "$work/$name.log" >&2
        echo "FAIL: dracut failed for the $name image" >&2
        exit 1
    fi
    chroot "$root" lsinitrd "/tmp/$name.img" > "$work/$name.list"
    echo "$name image: built in $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s," \
        "$(wc -l < "$work/$name.list") entries"
}
# has NAME PATH-REGEX / hasnt NAME PATH-REGEX: an entry of the image's listing (lsinitrd -l)
entry() { RE="^($2)\$" awk '$9 ~ ENVIRON["RE"] { f = 1 } END { exit !f }' "$work/$1.list"; }
has() { if entry "$1" "$2"; then ok "$1: has $2"; else fail "$1: lacks $2"; fi; }
hasnt() { if entry "$1" "$2"; then fail "$1: has $2"; else ok "$1: no $2"; fi; }
content() { chroot "$root" lsinitrd -f "$2" "/tmp/$1.img"; }
same() {  # same NAME PATH-IN-IMAGE EXPECTED-CONTENT
    if [[ "$(content "$1" "$2")" == "$3" ]]; then ok "$1: $2 as expected"; else
        fail "$1: $2 is '$(content "$1" "$2" | head -3)', expected '$3'"
    fi
}

systemd_mods="systemd systemd-initrd dracut-systemd base rootfs-block udev-rules kernel-modules fs-lib"
image generic --no-hostonly -m "$systemd_mods" -a dpdk-boot
image hostonly --hostonly --hostonly-cmdline -m "$systemd_mods" -a dpdk-boot
stamp_a=$(chroot "$root" "/$helper" config-stamp)
printf '[Device]\nAddress=0000:00:05.0\nDriver=uio_pci_generic\n' > "$root/etc/dpdk-boot/conf.d/50-uio.conf"
image shell --hostonly -m "base rootfs-block udev-rules kernel-modules fs-lib" -a dpdk-boot
stamp_b=$(chroot "$root" "/$helper" config-stamp)

ko='\.ko(\.xz|\.zst|\.gz)?'
kmod=usr/lib/modules/$KVER/kernel
for name in generic hostonly shell; do
    has "$name" "$helper"
    has "$name" "$generator"
    has "$name" 'usr/lib/x86_64-linux-gnu/lib(kmod\.so\.2|pci\.so\.3|inih\.so\.[0-9]+)'
    has "$name" 'usr/lib/x86_64-linux-gnu/libjson-c\.so\.[0-9]+'
    has "$name" etc/dpdk-boot/dpdk-boot.conf
    has "$name" usr/lib/dpdk-boot/initrd-stamp
    has "$name" usr/lib/dracut/hooks/cmdline/90-parse-dpdk-boot.sh
    has "$name" "$kmod/drivers/vfio/vfio$ko"
    has "$name" "$kmod/drivers/vfio/pci/vfio-pci$ko"
    has "$name" "$kmod/drivers/vfio/vfio_iommu_type1$ko"
    same "$name" etc/dpdk-boot/dpdk-boot.conf "$(cat "$root/etc/dpdk-boot/dpdk-boot.conf")"
    # the management-path evidence, as names and addresses only, never the network files
    if content "$name" usr/lib/dpdk-boot/mgmt-evidence |
        grep -qxF 'name enp9s0 /etc/systemd/network/05-dpdk-boot-test-mgmt.network:2'; then
        ok "$name: mgmt-evidence names enp9s0"
    else
        fail "$name: mgmt-evidence is '$(content "$name" usr/lib/dpdk-boot/mgmt-evidence | head -3)'"
    fi
    hasnt "$name" etc/systemd/network/05-dpdk-boot-test-mgmt.network
done
for name in generic hostonly; do
    has "$name" "$unitdir/dpdk-boot-bind\.service"
    has "$name" "$unitdir/dpdk-boot-hugepages\.service"
    hasnt "$name" usr/lib/dracut/hooks/pre-trigger/90-dpdk-boot-pre-trigger.sh
    hasnt "$name" etc/dpdk-boot/conf.d/50-uio.conf
    same "$name" usr/lib/dpdk-boot/initrd-stamp "$stamp_a"
done
# generic: every driver a configuration could name; hostonly: only the named ones
has generic "$kmod/drivers/uio/uio_pci_generic$ko"
hasnt hostonly "$kmod/drivers/uio/uio_pci_generic$ko"
hasnt generic etc/cmdline.d/90dpdk-boot.conf
iommu=intel_iommu
grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo && iommu=amd_iommu
same hostonly etc/cmdline.d/90dpdk-boot.conf "$iommu=on iommu=pt"
# shell init: the hook does the units' work; the drop-in's driver and a new stamp
has shell usr/lib/dracut/hooks/pre-trigger/90-dpdk-boot-pre-trigger.sh
hasnt shell "$unitdir/dpdk-boot-bind\.service"
has shell etc/dpdk-boot/conf.d/50-uio.conf
has shell "$kmod/drivers/uio/uio_pci_generic$ko"
same shell usr/lib/dpdk-boot/initrd-stamp "$stamp_b"
if [[ $stamp_a != "$stamp_b" ]]; then ok "a drop-in changes the stamp"; else fail "a drop-in left the stamp at $stamp_a"; fi

if ((FAILED > 0)); then
    echo "$FAILED check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
