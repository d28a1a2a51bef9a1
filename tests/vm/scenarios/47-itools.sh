# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# itools: the happy config on a guest whose initramfs is built by initramfs-tools (Debian's
# default), not dracut: its own package list (initramfs-tools in place of dracut, a base tree
# cached beside the default one), mkinitramfs in the guest chroot with Debian's default
# MODULES=most (so the NIC drivers are in the image, and udev's coldplug there would bind them).
# The boot script in init-top reserves the pages and binds before that coldplug; the real root
# finds the same result.

# packages_NAME DEFAULT...: the guest package list of this scenario
packages_itools() {
    local p
    for p in "$@"; do
        case $p in
            dracut | dracut-core) ;;
            *) echo "$p" ;;
        esac
    done
    echo initramfs-tools
}

setup_itools() {
    happy_config | put_config "$1"
    put_expect "$1" datapath
}

# itools_image_has REGEX...: each matches a whole path in the scenario's initramfs (lsinitramfs)
itools_image_has() {
    local list p
    list=$(lsinitramfs "$R/../initrd.img" 2> /dev/null) || return 1
    for p in "$@"; do grep -qxE -- "$p" <<< "$list" || return 1; done
}

# itools_order: the init-top scripts in the order the image runs them (its ORDER file)
itools_order() {
    local dir=$R/../initrd-unpacked
    rm -rf "$dir"
    unmkinitramfs "$R/../initrd.img" "$dir" 2> /dev/null || return 0
    find "$dir" -path '*/scripts/init-top/ORDER' -exec sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' {} + |
        tr '\n' ' '
    rm -rf "$dir"
}

assert_itools() {
    local n serial=$R/../serial.log first_bind first_udev order
    verdict "the initramfs is initramfs-tools' (its init's messages on the console)" \
        "$(grep -m1 -E 'Running /scripts/init-premount' "$serial" | cut -c1-120)" \
        has '^Loading, please wait' "$serial"
    verdict "the hook put the stage into the image (lsinitramfs)" \
        "scripts/init-top/dpdk-boot, the helper, the generator, the config, stamp, evidence, vfio-pci" \
        itools_image_has scripts/init-top/dpdk-boot usr/sbin/dpdk-boot \
        usr/lib/systemd/system-generators/dpdk-boot-generator etc/dpdk-boot/dpdk-boot.conf \
        usr/lib/dpdk-boot/initrd-stamp usr/lib/dpdk-boot/mgmt-evidence \
        'usr/lib/modules/[^/]+/kernel/drivers/vfio/pci/vfio-pci\.ko'
    order=$(itools_order)
    verdict "the image runs init-top/dpdk-boot before init-top/udev (its ORDER)" "${order:-no ORDER}" \
        awk -v o=" $order" 'BEGIN { d = index(o, " dpdk-boot "); u = index(o, " udev "); exit !(d && u && d < u) }'
    verdict "the boot script ran the stage before the real root" \
        "$(grep -m1 -E 'dpdk-boot(-generator)?\[[0-9]+\]' "$R/journal.txt" | cut -c1-160)" \
        before_switch_root 'dpdk-boot(-generator)?\[[0-9]+\]: '
    n=$(grep -cE 'systemd\[1\]: systemd [^ ]+ running in system mode' "$R/journal.txt")
    verdict "the initramfs ran without systemd (one systemd start in this boot)" "systemd starts: $n" eq "$n" 1
    # udev's coldplug in the initramfs probed the NIC drivers there (MODULES=most): the spare or
    # the management NIC got its netdev renamed before the real root's systemd started
    verdict "udev's coldplug in the initramfs probed NIC drivers (a netdev renamed there)" \
        "$(journal_line 'renamed from eth')" before_switch_root 'renamed from eth'
    # and the binding came first: before udevd's first word and before that first netdev
    first_bind=$(grep -nE -m1 -- "$DEV0: bound to vfio-pci \(was" "$R/journal.txt" | cut -d: -f1)
    first_udev=$(grep -nE -- 'systemd-udevd\[[0-9]+\]: |renamed from eth' "$R/journal.txt" | head -1 | cut -d: -f1)
    verdict "bound before udev's coldplug in the initramfs" \
        "journal line of the first binding: ${first_bind:-none}, of udevd or a netdev: ${first_udev:-none}" \
        ordered "${first_bind:-0}" "${first_udev:-0}"
    # Everything the happy boot shows: binding, pages and stamp from the initramfs, the datapath.
    assert_happy
}
