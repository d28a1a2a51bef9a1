# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# broad: one rule for every virtio-net and e1000e NIC, as a golden image would say it. The
# management NIC (e1000e, named enp0s6 in the guest's networkd file) is left out by the
# management gate, the spare by an Exclude= rule; the two hub NICs are bound by the real root.

setup_broad() {
    broad_config | put_config "$1"
    put_expect "$1" datapath
    # the management NIC by name, as netplan and ifupdown hosts say it
    rm -f "$1/etc/systemd/network/10-mgmt.network"
    sed 's/^MACAddress=.*/Name=enp0s6/' "$GUEST/10-mgmt.network" > "$1/etc/systemd/network/10-mgmt.network"
}

broad_config() {
    happy_config | sed '/^\[Device\]$/,/^$/d'
    cat << 'EOF2'

[Device]
ID=1af4:1041 8086:10d3

[Device]
Address=0000:00:07.0
Exclude=yes
EOF2
}

assert_broad() {
    local d st
    assert_reached_multi_user
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci by the broad rule" "$(driver "$d")" eq "$(driver "$d")" vfio-pci
        verdict "status --json: $d picked by ID=1af4:1041,8086:10d3" \
            "$(json ".devices[] | select(.address == \"$d\") | .rule")" \
            json_ok "[.devices[] | select(.address == \"$d\" and .rule == \"ID=1af4:1041,8086:10d3\" and .ok == true)] | length == 1"
    done
    assert_mgmt
    verdict "status --json: $MGMT left out by the management gate" \
        "$(json ".devices[] | select(.address == \"$MGMT\") | .refusal" | cut -c1-160)" \
        json_ok "[.devices[] | select(.address == \"$MGMT\" and .left_out == true and .gates.management == \"fail\")] | length == 1"
    verdict "status names the networkd file as the evidence" "$(grep -m1 -F "$MGMT" "$R/status.txt" | cut -c1-120)" \
        grep -qE 'management.*10-mgmt\.network' "$R/status.txt"
    verdict "spare NIC $SPARE untouched (Exclude=yes)" "$(driver "$SPARE")" eq "$(driver "$SPARE")" virtio-pci
    verdict "status --json: the spare is not in the plan" "$(json '[.devices[].address] | join(" ")')" \
        json_ok "[.devices[] | select(.address == \"$SPARE\")] | length == 0"
    st=$(unit_prop dpdk-boot-datapath.service ActiveState)
    verdict "dpdk-boot-datapath.service active" "${st:-not loaded}" eq "$st" active
    verdict "testpmd has the two hub NICs and not the management NIC" \
        "$(grep -m1 -o -- '-a 0000[^-]*' "$R/datapath.txt" | head -1)" \
        hasnt "0000:00:06\\.0" <(unit_prop dpdk-boot-datapath.service ExecStart)
    verdict "dpdk-boot status exits 0" "rc=$(meta status_rc)" eq "$(meta status_rc)" 0
    assert_no_dpdk_failed
}
