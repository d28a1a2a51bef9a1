# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# bond: the management path is an active-backup bond of two e1000e ports, configured by
# systemd-networkd (a .netdev and a .network that matches one member by MAC and the other by
# its path name), and one pattern rule takes every NIC model of the guest (virtio-net and
# e1000e). The initramfs binds the two hub NICs before any NIC driver probed (the bond members'
# MACs are known only from the e1000e's Device Serial Number then); both members keep e1000e
# and their netdevs, and the bond keeps its address and default route.

BOND_MAC2=52:54:00:00:00:05
BOND_DEV2=0000:00:08.0

qemu_bond() {
    echo -device
    echo "e1000e,addr=0x8,mac=$BOND_MAC2"
}

# the happy config (the hub NICs by address, which the initramfs binds), and a rule for every
# NIC model of the guest, which the real root applies; the spare excluded
bond_config() {
    happy_config
    cat << 'EOF2'

[Device]
ID=1af4:1041 8086:10d3

[Device]
Address=0000:00:07.0
Exclude=yes
EOF2
}

setup_bond() {
    bond_config | put_config "$1"
    put_expect "$1" datapath
    rm -f "$1/etc/systemd/network/10-mgmt.network"
    cat > "$1/etc/systemd/network/10-bond0.netdev" << 'EOF2'
[NetDev]
Name=bond0
Kind=bond

[Bond]
Mode=active-backup
MIIMonitorSec=100ms
EOF2
    cat > "$1/etc/systemd/network/20-bond0-ports.network" << 'EOF2'
[Match]
MACAddress=52:54:00:00:00:03

[Network]
Bond=bond0
EOF2
    cat > "$1/etc/systemd/network/21-bond0-port2.network" << 'EOF2'
[Match]
Name=enp0s8

[Network]
Bond=bond0
EOF2
    # the guest's management settings, on the bond
    sed 's/^MACAddress=.*/Name=bond0/' "$GUEST/10-mgmt.network" > "$1/etc/systemd/network/30-bond0.network"
}

assert_bond() {
    local d st
    assert_reached_multi_user
    for d in "$DEV0" "$DEV1"; do
        verdict "$d bound to vfio-pci in the initramfs, before switch-root" \
            "$(journal_line "$d: bound to vfio-pci")" before_switch_root "$d: bound to vfio-pci \(was"
    done
    for d in "$MGMT" "$BOND_DEV2"; do
        verdict "bond member $d stays on e1000e" "$(driver "$d")" eq "$(driver "$d")" e1000e
        verdict "status --json: $d left out by the management gate" \
            "$(json ".devices[] | select(.address == \"$d\") | .refusal" | cut -c1-160)" \
            json_ok "[.devices[] | select(.address == \"$d\" and .left_out == true and .gates.management == \"fail\")] | length == 1"
    done
    # At run time the live route below bond0 is found first; either names the evidence.
    verdict "status names the MAC's networkd file or the route below bond0 as the evidence for $MGMT" \
        "$(grep -m1 -F "$MGMT" "$R/status.txt" | cut -c1-160)" \
        grep -qE "$MGMT.*(20-bond0-ports\\.network|below bond0)" "$R/status.txt"
    verdict "status names the name's networkd file as the evidence for $BOND_DEV2" \
        "$(grep -m1 -F "$BOND_DEV2" "$R/status.txt" | cut -c1-160)" grep -qE "$BOND_DEV2.*21-bond0-port2\\.network" "$R/status.txt"
    for d in enp0s6 enp0s8; do
        verdict "bond member $d has its netdev, enslaved to bond0" "$(grep -m1 "^$d " "$R/ip-link.txt")" \
            grep -qE "^$d .*SLAVE" "$R/ip-link.txt"
    done
    verdict "bond0 has $MGMT_ADDR" "bond0: $(addrs_of bond0)" has_addr bond0 "$MGMT_ADDR"
    verdict "default route via $MGMT_GW on bond0" "$(grep '^default' "$R/ip-route.txt" | head -1)" \
        grep -qE "^default via $MGMT_GW dev bond0( |$)" "$R/ip-route.txt"
    st=$(unit_prop dpdk-boot-datapath.service ActiveState)
    verdict "dpdk-boot-datapath.service active" "${st:-not loaded}" eq "$st" active
    verdict "dpdk-boot status exits 0" "rc=$(meta status_rc)" eq "$(meta status_rc)" 0
    assert_no_dpdk_failed
}
