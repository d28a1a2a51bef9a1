# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# faults: one boot, three faults none of which may stop it: 2M pages asked far beyond RAM
# (200 GiB in an 8 GiB guest), a configured device that is absent (00:09.0), and a rule naming
# the management NIC by address without Force=. The host comes up with its management network,
# the good device is bound, nothing starves, and each fault is named in the journal and status.
# The datapath does not start: its pages fell short (the refused devices alone would not stop it,
# see rdno).

FAULT_ABSENT=0000:00:09.0

faults_config() {
    cat << EOF
[Hugepages]
Size=2M
Count=102400

[Device]
Address=$DEV0
Driver=vfio-pci

[Device]
Address=$FAULT_ABSENT
Driver=vfio-pci

[Device]
Address=$MGMT
Driver=vfio-pci

[Datapath]
Preset=testpmd
MainCore=0
Cores=1
EOF
}

setup_faults() {
    faults_config | put_config "$1"
    put_expect "$1" none
    # The management NIC by name in networkd, so that it is known before its driver binds (a
    # NIC known only by MAC is not: see the management gate in dpdk-boot.conf(5)). The
    # initramfs carries the evidence (mgmt-evidence), and refuses the NIC there too.
    rm -f "$1/etc/systemd/network/10-mgmt.network"
    sed 's/^MACAddress=.*/Name=enp0s6/' "$GUEST/10-mgmt.network" > "$1/etc/systemd/network/10-mgmt.network"
}

assert_faults() {
    local nr avail
    assert_reached_multi_user
    assert_mgmt
    verdict "$DEV0 bound to vfio-pci" "$(driver "$DEV0")" eq "$(driver "$DEV0")" vfio-pci
    verdict "$DEV1 (not configured) left on virtio-pci" "$(driver "$DEV1")" eq "$(driver "$DEV1")" virtio-pci
    # hugepages beyond RAM: cut to what leaves the system its headroom, and said so
    nr=$(hp 2048 nr)
    verdict "2M pages: some reserved, far fewer than asked" "nr=$nr" between 0 102400 "$nr"
    avail=$(awk '/^MemAvailable:/ { print $2 }' "$R/meminfo.txt")
    verdict "the guest kept more than 512 MiB available" "MemAvailable=${avail:-?} kB" \
        between 524288 100000000000 "$avail"
    verdict "journal: the 2M request was cut, with the numbers" \
        "$(grep -m1 -E '2M pages: asked 102400' "$R/journal.txt" | cut -c1-220)" \
        has '2M pages: asked 102400 \(204800 MiB\), more than this host can give: [0-9]+ MiB available, of which [0-9]+ MiB stay with the system\. Reserving [0-9]+' "$R/journal.txt"
    verdict "status --json: 2M pages short of the request" \
        "$(json '[.hugepages[] | "\(.size) \(.reserved)/\(.requested)"] | join(", ")')" \
        json_ok '[.hugepages[] | select(.size == "2M" and .requested == 102400 and .reserved < .requested)] | length == 1'
    # the absent device and the management NIC: refused by their gates, named with the fix
    verdict "status --json: $FAULT_ABSENT refused [present]" \
        "$(json ".devices[] | select(.address == \"$FAULT_ABSENT\") | tojson" | cut -c1-200)" \
        json_ok "[.devices[] | select(.address == \"$FAULT_ABSENT\" and .refused == true and .gates.present == \"fail\")] | length == 1"
    verdict "status --json: $MGMT refused [management]" \
        "$(json ".devices[] | select(.address == \"$MGMT\") | tojson" | cut -c1-200)" \
        json_ok "[.devices[] | select(.address == \"$MGMT\" and .refused == true and .gates.management == \"fail\")] | length == 1"
    verdict "journal: $MGMT refused [management], with Force= as the way out" \
        "$(grep -m1 -F "$MGMT refused [management]" "$R/journal.txt" | cut -c1-200)" \
        has "${MGMT//./[.]} refused \\[management\\]: .*Force=" "$R/journal.txt"
    verdict "journal: $MGMT refused in the initramfs too (the stored evidence)" \
        "$(grep -m1 -F "stored in the initramfs" "$R/journal.txt" | cut -c1-200)" \
        before_switch_root "${MGMT//./[.]} refused \\[management\\]: .*stored in the initramfs"
    verdict "journal: $FAULT_ABSENT refused [present]" \
        "$(grep -m1 -F "$FAULT_ABSENT refused [present]" "$R/journal.txt" | cut -c1-200)" \
        grep -qF "$FAULT_ABSENT refused [present]" "$R/journal.txt"
    verdict "dpdk-boot status exits 1 (not up, problems listed)" "rc=$(meta status_rc)" eq "$(meta status_rc)" 1
    verdict "status text names the absent device" "$(grep -m1 -F "$FAULT_ABSENT" "$R/status.txt")" \
        grep -qF "$FAULT_ABSENT" "$R/status.txt"
    verdict "journal: verify names the refused ports as ones the datapath runs without" \
        "$(grep -m1 -F "the datapath runs without it" "$R/journal.txt" | cut -c1-200)" \
        grep -qF "$MGMT refused [management], the datapath runs without it" "$R/journal.txt"
    verdict "journal: verify fails on the 2M pages that fell short" \
        "$(grep -m1 -E '2M pages: [0-9]+ reserved, 102400 configured' "$R/journal.txt" | cut -c1-200)" \
        has '2M pages: [0-9]+ reserved, 102400 configured' "$R/journal.txt"
    verdict "datapath not started (verify failed)" \
        "$(unit_prop dpdk-boot-datapath.service ActiveState)" ne "$(unit_prop dpdk-boot-datapath.service ActiveState)" active
    verdict "datapath never restarted" "NRestarts=$(unit_prop dpdk-boot-datapath.service NRestarts)" \
        eq "$(unit_prop dpdk-boot-datapath.service NRestarts)" 0
}
