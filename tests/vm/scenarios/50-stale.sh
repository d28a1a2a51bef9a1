# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# stale: the initramfs is built from a config that binds only the first port; the root's config
# (the happy one) was changed afterwards to bind both, without running dracut again. The real
# root notices, says so, and binds the second port itself.

stale_old_config() {  # the happy config without the second port's [Device] section
    happy_config | awk 'BEGIN { RS = ""; ORS = "\n\n" } !/Address=0000:00:05\.0/'
}

setup_stale() {
    stale_old_config | put_config "$1"
    put_expect "$1" none
}

after_initramfs_stale() {
    happy_config | put_config "$1"
}

assert_stale() {
    local d m ifc msg="initramfs built from an older config; run dracut -f"
    assert_reached_multi_user
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci" "$(driver "$d")" eq "$(driver "$d")" vfio-pci
    done
    verdict "$DEV0 (in the old config) bound in the initramfs" "$(journal_line "$DEV0: bound to vfio-pci")" \
        before_switch_root "$DEV0: bound to vfio-pci \\(was"
    verdict "$DEV1 (new in the config) bound by the real root" "$(journal_line "$DEV1: bound to vfio-pci")" \
        after_switch_root "$DEV1: bound to vfio-pci \\(was virtio-pci"
    for m in "$MAC0" "$MAC1"; do
        ifc=$(iface_of_mac "$m")
        verdict "no net interface with $m" "${ifc:-none}" eq "$ifc" ""
    done
    verdict "journal says: $msg" "$(journal_line "$msg")" has "dpdk-boot\\[[0-9]+\\]: $msg" "$R/journal.txt"
    verdict "dpdk-boot status says: $msg" "$(grep -m1 Initramfs "$R/status.txt")" \
        grep -qF "Initramfs: $msg" "$R/status.txt"
    verdict "status --json: initramfs stale" "$(json '.initramfs | tojson')" \
        json_ok '.initramfs.stamp == "stale" and .initramfs.stale == true'
    verdict "dpdk-boot-verify.service active (converged at run time)" \
        "$(unit_prop dpdk-boot-verify.service ActiveState)" eq "$(unit_prop dpdk-boot-verify.service ActiveState)" active
    assert_mgmt
}
