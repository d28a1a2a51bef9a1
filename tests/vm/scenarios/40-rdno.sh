# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# rdno: the happy devices and pages with rd.dpdk=no: the initramfs stage is skipped and the real
# root binds, still before udev's coldplug and network-pre.target. The datapath is a custom one:
# testpmd written with the plan's substitutions ({eal}, {nb_cores}), run as the unprivileged user
# dpdk (User=, Group=, Mode=: dpdk-boot grant gives it its pages and VFIO groups), with
# RestoreOnStop=yes: once the check stops it, the ports are back on virtio-pci. A third device
# the config names is absent: refused [present], it is in no datapath argument, and the datapath
# runs on the two ports that passed.

RDNO_ABSENT=0000:00:09.0

RDNO_EXEC='/usr/bin/dpdk-testpmd {eal} -- --auto-start --forward-mode=io --tx-first --stats-period 60 --nb-cores={nb_cores}'

setup_rdno() {
    {
        happy_config | sed '/^\[Datapath\]$/,$d'
        printf '[Device]\nAddress=%s\nDriver=vfio-pci\n\n' "$RDNO_ABSENT"
        printf '[Datapath]\nPreset=custom\nMainCore=0\nCores=1\nHugepageSize=1G\nUser=dpdk\nGroup=dpdk\nMode=0660\n'
        printf 'RestoreOnStop=yes\nFilePrefix=rdno\nExecStart=%s\n' "$RDNO_EXEC"
    } | put_config "$1"
    put_expect "$1" datapath
    chroot "$1" useradd --system --no-create-home --shell /usr/sbin/nologin dpdk
    echo "rd.dpdk=no"
}

assert_rdno() {
    local d m ifc u enter pre v
    assert_reached_multi_user
    verdict "kernel command line has rd.dpdk=no" "$(cat "$R/cmdline.txt")" has '(^| )rd\.dpdk=no( |$)' "$R/cmdline.txt"
    pre=$(unit_prop network-pre.target ActiveEnterTimestampMonotonic)
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci" "$(driver "$d")" eq "$(driver "$d")" vfio-pci
        verdict "$d not bound in the initramfs" "$(journal_line "$d: bound to vfio-pci")" \
            ne "$(before_switch_root "$d: bound to vfio-pci" && echo initramfs)" initramfs
        verdict "$d bound by the real root" "$(journal_line "$d: bound to vfio-pci")" \
            after_switch_root "$d: bound to vfio-pci \\(was virtio-pci"
        u=dpdk-boot-bind.service
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

    # the custom datapath: the substitutions, the user, the forwarding, the hand-back
    verdict "the custom ExecStart= ran with the plan's EAL arguments" \
        "$(grep -m1 -o 'argv\[\]=[^;]*' "$R/datapath-exec.txt" | cut -c1-200)" \
        has "argv\[\]=/usr/bin/dpdk-testpmd -l 0-1 --main-lcore 0 --file-prefix rdno --huge-dir /dev/hugepages1G -a $DEV0 -a $DEV1 -- .*--nb-cores=1 " \
        "$R/datapath-exec.txt"
    verdict "testpmd runs as the user dpdk" "$(head -1 "$R/datapath-ps.txt")" has '^dpdk +dpdk +dpdk-testpmd' "$R/datapath-ps.txt"
    verdict "grant gave /dev/hugepages1G to dpdk:dpdk, mode 770" "$(grep -m1 hugepages1G "$R/datapath-grant.txt")" \
        has '^/dev/hugepages1G dpdk:dpdk 770$' "$R/datapath-grant.txt"
    verdict "grant gave the VFIO groups to dpdk:dpdk, mode 660" "$(grep -E '^/dev/vfio/[0-9]' "$R/datapath-grant.txt" | tr '\n' ' ')" \
        eq "$(grep -cE '^/dev/vfio/[0-9]+ dpdk:dpdk 660$' "$R/datapath-grant.txt")" 2
    verdict "$RDNO_ABSENT (absent) refused [present], the datapath runs without it" \
        "$(grep -m1 -F "$RDNO_ABSENT refused [present]" "$R/journal.txt" | cut -c1-200)" \
        grep -qF "$RDNO_ABSENT refused [present], the datapath runs without it" "$R/journal.txt"
    verdict "the bind unit left $RDNO_ABSENT alone and succeeded" \
        "$(unit_prop dpdk-boot-bind.service ActiveState)/$(unit_prop dpdk-boot-bind.service Result)" \
        eq "$(unit_prop dpdk-boot-bind.service ActiveState)/$(unit_prop dpdk-boot-bind.service Result)" active/success
    assert_testpmd_forwarded
    for d in "$DEV0" "$DEV1"; do
        v=$(awk -v d="$d" '$1 == d { print $2 }' "$R/drivers-after-stop.txt")
        verdict "RestoreOnStop=yes: $d back on virtio-pci after the datapath stopped" "${v:-?}" eq "$v" virtio-pci
    done
    assert_mgmt
}
