#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debian/dpdk-boot.postinst never reboots, and rebuilds the initramfs only when asked: by the
# flag file (under DPKG_ROOT, as dpkg --root sets it) or DPDK_BOOT_UPDATE_INITRAMFS=1, and only
# on "configure". update-initramfs, dracut and every way to reboot are stubs that record calls.
# Usage: test-postinst.sh POSTINST
set -euo pipefail

postinst=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/root/etc/dpdk-boot"
for cmd in update-initramfs dracut reboot shutdown systemctl kexec; do
    printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\n' "$cmd" "$tmp" > "$tmp/bin/$cmd"
    chmod +x "$tmp/bin/$cmd"
done

fail=0
# run WANT_CALLS ARGS...: run the postinst with the stubs first on PATH.
run() {
    local want=$1 got
    shift
    rm -f "$tmp/calls"
    PATH="$tmp/bin:/usr/bin:/bin" DPKG_ROOT="$tmp/root" sh "$postinst" "$@" > /dev/null 2>&1 || {
        echo "FAIL: postinst $* exited with $?" >&2
        fail=1
    }
    got=$(cat "$tmp/calls" 2> /dev/null || true)
    if [ "$got" != "$want" ]; then
        echo "FAIL: postinst $* (env ${DPDK_BOOT_UPDATE_INITRAMFS-unset}): ran '$got', expected '$want'" >&2
        fail=1
    fi
}

unset DPDK_BOOT_UPDATE_INITRAMFS
run '' configure
run '' configure 0.1
DPDK_BOOT_UPDATE_INITRAMFS=0 run '' configure
DPDK_BOOT_UPDATE_INITRAMFS=1 run 'update-initramfs -u' configure
DPDK_BOOT_UPDATE_INITRAMFS=1 run '' abort-upgrade 0.1
touch "$tmp/root/etc/dpdk-boot/update-initramfs"
run 'update-initramfs -u' configure 0.1
run '' triggered foo
# Without update-initramfs, dracut builds it.
rm "$tmp/bin/update-initramfs"
run 'dracut --force' configure

[ "$fail" -eq 0 ] || exit 1
echo "ok: postinst"
