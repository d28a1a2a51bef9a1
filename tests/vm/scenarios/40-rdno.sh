# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# rdno: the happy config (and its initramfs) with rd.dpdk=no: the initramfs stage is skipped and
# the real root binds, still before udev's coldplug and network-pre.target.

setup_rdno() {
    happy_config | put_config "$1"
    put_expect "$1" none
    echo "rd.dpdk=no"
}

assert_rdno() {
    local d m ifc u enter pre
    assert_reached_multi_user
    verdict "kernel command line has rd.dpdk=no" "$(cat "$R/cmdline.txt")" has '(^| )rd\.dpdk=no( |$)' "$R/cmdline.txt"
    pre=$(unit_prop network-pre.target ActiveEnterTimestampMonotonic)
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci" "$(driver "$d")" eq "$(driver "$d")" vfio-pci
        verdict "$d not bound in the initramfs" "$(journal_line "$d: bound to vfio-pci")" \
            ne "$(before_switch_root "$d: bound to vfio-pci" && echo initramfs)" initramfs
        verdict "$d bound by the real root" "$(journal_line "$d: bound to vfio-pci")" \
            after_switch_root "$d: bound to vfio-pci \\(was virtio-pci"
        u="dpdk-boot-bind@$d.service"
        enter=$(unit_prop "$u" ActiveEnterTimestampMonotonic)
        verdict "$u up before network-pre.target" "bind=${enter:-?} network-pre=${pre:-?} us" ordered "$enter" "$pre"
    done
    for m in "$MAC0" "$MAC1"; do
        ifc=$(iface_of_mac "$m")
        verdict "no net interface with $m" "${ifc:-none}" eq "$ifc" ""
    done
    verdict "no netdev MAC $MAC0/$MAC1 in kernel, udev or networkd messages" \
        "$(kernel_net_messages | grep -m1 -E "$MAC0|$MAC1" | cut -c1-160)" \
        hasnt "$MAC0|$MAC1" <(kernel_net_messages)
    verdict "status --json: no initramfs stage this boot" "$(json '.initramfs | tojson')" \
        json_ok '.initramfs.stamp == "none" and .initramfs.stale == false'
    assert_mgmt
}
