# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.

setup_happy() {
    happy_config | put_config "$1"
    put_expect "$1" datapath
}

assert_happy() {
    local d m st ifc start u enter virt bad
    assert_reached_multi_user
    if [ "$INSTALL" = deb ]; then
        verdict "dpdk-boot installed from its .deb" "$(meta package)" has '^install ok installed ' <(meta package)
    fi
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci" "$(driver "$d")" eq "$(driver "$d")" vfio-pci
    done
    for m in "$MAC0" "$MAC1"; do
        ifc=$(iface_of_mac "$m")
        verdict "no net interface with $m" "${ifc:-none}" eq "$ifc" ""
    done
    # predictable names of the two slots, and every virtio_net rename must be the spare's
    verdict "no netdev for slots 4/5 in dmesg or journal" \
        "$(grep -hoE 'enp0s[45]\b[^ ]*' "$R/dmesg.txt" "$R/journal.txt" | sort -u | tr '\n' ' ')" \
        hasnt '\benp0s[45]\b' <(cat "$R/dmesg.txt" "$R/journal.txt")
    # testpmd itself prints the ports' MACs: only the kernel, udev and networkd count here
    verdict "no netdev MAC $MAC0/$MAC1 in kernel, udev or networkd messages" \
        "$(kernel_net_messages | grep -m1 -E "$MAC0|$MAC1" | cut -c1-160)" \
        hasnt "$MAC0|$MAC1" <(kernel_net_messages)
    bad=
    while read -r virt; do
        [ "$(awk -v v="$virt" '$1 == v { print $2 }' "$R/virtio.txt")" = "$SPARE" ] || bad+="$virt "
    done < <(sed -n 's/.*virtio_net \(virtio[0-9]*\) .*renamed from.*/\1/p' "$R/dmesg.txt" | sort -u)
    verdict "virtio_net only ever named the spare NIC's netdev" "${bad:-ok}" eq "$bad" ""
    # one from the kernel command line, the other reserved by dpdk-boot in the initramfs
    verdict "1G hugepages reserved: 2" "nr=$(hp 1048576 nr)" eq "$(hp 1048576 nr)" 2
    verdict "2M hugepages reserved: 128" "nr=$(hp 2048 nr)" eq "$(hp 2048 nr)" 128
    for d in /dev/hugepages1G /dev/hugepages2M; do
        verdict "$d mounted as hugetlbfs" "$(awk -v p="$d" '$2 == p' "$R/mounts.txt")" is_mounted_hugetlbfs "$d"
    done
    st=$(unit_prop dpdk-boot-datapath.service ActiveState)
    verdict "dpdk-boot-datapath.service active" "${st:-not loaded}" eq "$st" active
    start=$(unit_prop dpdk-boot-datapath.service ExecMainStartTimestampMonotonic)
    for u in dpdk-boot-bind.service dpdk-boot-hugepages.service dpdk-boot-verify.service; do
        enter=$(unit_prop "$u" ActiveEnterTimestampMonotonic)
        verdict "datapath started after $u was up" "start=${start:-?} ${u%%.service}-up=${enter:-?} us" \
            ordered "$enter" "$start"
    done
    assert_testpmd_forwarded
    assert_mgmt
    verdict "spare NIC $SPARE untouched (virtio-pci)" "$(driver "$SPARE")" eq "$(driver "$SPARE")" virtio-pci
    verdict "dpdk-boot status exits 0" "rc=$(meta status_rc)" eq "$(meta status_rc)" 0
    verdict "status --json: ok and enabled" "$(json '"ok=\(.ok) enabled=\(.enabled) problems=\(.problems)"')" \
        json_ok '.ok == true and .enabled == true'
    for d in "$DEV0" "$DEV1"; do
        verdict "status --json: $d ok on vfio-pci" "$(json ".devices[] | select(.address == \"$d\") | tojson")" \
            json_ok "[.devices[] | select(.address == \"$d\" and .ok == true and .driver == \"vfio-pci\")] | length == 1"
    done
    verdict "status --json: hugepages reserved as requested (1G:2, 2M:128)" \
        "$(json '[.hugepages[] | "\(.size) \(.reserved)/\(.requested)"] | join(", ")')" \
        json_ok '([.hugepages[] | select(.size == "1G" and .requested == 2 and .reserved == 2)] | length == 1)
             and ([.hugepages[] | select(.size == "2M" and .requested == 128 and .reserved == 128)] | length == 1)'
    verdict "status --json: datapath active" "$(json '.datapath | tojson')" \
        json_ok '.datapath.unit == "dpdk-boot-datapath.service" and .datapath.active_state == "active"'
    # the generator logs to kmsg (no journal yet): its drift warning must reach the journal
    verdict "the generator's drift warning is in the journal" \
        "$(grep -m1 -E 'dpdk-boot-generator\[[0-9]+\]' "$R/journal.txt" | cut -c1-200)" \
        has 'dpdk-boot-generator\[[0-9]+\]: The kernel command line lacks .*hugepages=2' "$R/journal.txt"
    assert_no_dpdk_failed
    assert_initrd_stage
    assert_no_udev_settle
}

# units_on_settle KIND: the loaded units (from deps.txt) that order after systemd-udev-settle
# (KIND=after) or pull it in (KIND=pull: Wants, Requires, Requisite, BindsTo, Upholds), one
# "UNIT ActiveState" per line.
units_on_settle() {
    awk -v kind="$1" '
        function flush() { if (id != "" && hit && id != "systemd-udev-settle.service") print id, st }
        /^Id=/ { flush(); id = substr($0, 4); st = ""; hit = 0; next }
        /^ActiveState=/ { st = substr($0, 13); next }
        {
            p = substr($0, 1, index($0, "=") - 1)
            if ((kind == "after" && p == "After") ||
                (kind == "pull" && p ~ /^(Wants|Requires|Requisite|BindsTo|Upholds)$/))
                if ((" " substr($0, index($0, "=") + 1) " ") ~ / systemd-udev-settle\.service /)
                    hit = 1
        }
        END { flush() }' "$R/deps.txt"
}

# Nothing of dpdk-boot waits for udev to settle (verify waits for its /dev/vfio nodes itself),
# and nothing in the boot pulls the deprecated unit in, so it never runs: a unit that merely
# orders after it (sysinit.target does, through its Before=) waits for nothing then.
assert_no_udev_settle() {
    local ours pulled st n
    ours=$( (units_on_settle after; units_on_settle pull) | awk '$1 ~ /^(dpdk-boot|dpdk-datapath|dev-hugepages)/' |
        sort -u | tr '\n' ' ')
    n=$(grep -c '^Id=' "$R/deps.txt" || true)
    # no record of the loaded units is a failure, not an empty list
    [ "${n:-0}" -gt 0 ] || ours="(no units recorded in deps.txt)"
    verdict "no dpdk-boot unit orders after or pulls in systemd-udev-settle.service" \
        "${ours:-none} ($n loaded units)" eq "$ours" ""
    pulled=$(units_on_settle pull | tr '\n' ' ')
    pulled+=$(awk 'NR > 1 && $NF ~ /\.[a-z]+$/ { print $NF }' "$R/udev-settle-rdeps.txt" | tr '\n' ' ')
    # (the unit is asked for by name too, so it may be listed twice: the first one)
    st=$(awk '/^Id=/ { u = substr($0, 4) } u == "systemd-udev-settle.service" && /^ActiveState=/ {
        print substr($0, 13); exit }' "$R/deps.txt")
    verdict "nothing pulls in systemd-udev-settle.service, and it did not run" \
        "pulled in by: ${pulled:-none}; it is ${st:-not loaded}" \
        eq "$pulled${st/#inactive/}" ""
}

# The initramfs did the work (the dracut module is in it), and the real root only found it done.
assert_initrd_stage() {
    local d
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci in the initramfs, before switch-root" \
            "$(journal_line "$d: bound to vfio-pci")" before_switch_root "$d: bound to vfio-pci \(was"
        verdict "$d: the real root found it bound" "$(journal_line "$d: already bound to vfio-pci")" \
            after_switch_root "$d: already bound to vfio-pci"
    done
    # 2M pages come from dpdk-boot only (never the command line); 1G pages are set first, and
    # the second 1G page, absent from the kernel command line, is reserved there too.
    verdict "1G pages set in the initramfs: 2 (1 from the command line)" "$(journal_line '1G pages: 2 reserved')" \
        before_switch_root '1G pages: 2 reserved'
    verdict "2M pages reserved in the initramfs" "$(journal_line '2M pages: 128 reserved')" \
        before_switch_root '2M pages: 128 reserved'
    verdict "status --json: the initramfs stage ran with this config" "$(json '.initramfs | tojson')" \
        json_ok '.initramfs.stamp == "current" and .initramfs.stale == false'
}
