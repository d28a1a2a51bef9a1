# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# sriov: SR-IOV virtual functions created at boot and given to DPDK. The guest has an Intel 82576
# (QEMU's igb device, QEMU 8.0 and later: this scenario boots QEMU 10 from bookworm-backports,
# unpacked by tests/vm/qemu-backports, not bookworm's 7.2) on a PCIe root port behind the
# emulated IOMMU. The config keeps the PF on igb with VirtualFunctions=2 and gives both VFs
# (PhysicalFunction=, VFIndex=) to vfio-pci; testpmd forwards between them in mac mode, each
# port's peer the other VF, through the 82576's VF-to-VF loopback (no backend on the PF). The
# VFs' MACs (testpmd's peers must be known) are dpdk-boot's own VF settings (MACAddress= on each
# VF's rule), which the bind unit asks of the PF's igb over rtnetlink before it binds the VFs; a
# unit of the scenario only brings the PF's link up, as an administrator would.

# QEMU 10.0's igb decodes a VF's BARs only below 4 GiB: it realizes the VFs with the PF (in
# pcie_sriov_pf_init, hw/pci/pcie_sriov.c) before igb_pci_realize has set the VF BARs' type
# (pcie_sriov_pf_init_vf_bar, hw/net/igb.c), so each VF BAR is registered as a 32-bit BAR and
# pci_config_get_bar_addr (hw/pci/pci.c) reads only the low half of the PF's 64-bit VF BAR.
# With the guest's firmware putting the root port's prefetchable window at 0xc000000000 (as
# SeaBIOS 1.16.3 does for a CPU of 40 physical address bits), the VFs' registers are then
# nowhere: testpmd's igbvf PMD reads zeros (random MACs, links down, 0 packets). The scenario
# therefore gives the guest a CPU of 36 physical address bits (qemu_sriov), for which SeaBIOS
# keeps every window below 4 GiB, and the guest's kernel puts the VF BARs there. This is QEMU's
# workaround, not dpdk-boot's: a real 82576 decodes its VF BARs anywhere. See README.md.
SRIOV_PF=0000:01:00.0
SRIOV_PF_MAC=52:54:00:00:00:10
SRIOV_VF_MACS=(52:54:00:00:01:00 52:54:00:00:01:01)

emulator_sriov() {
    "$HERE/qemu-backports" "$CACHE/qemu-backports"
}

# a PCIe root port of its own at 00:08.0 (its secondary bus is 01, the only bridge), the 82576
# below it: its VFs (First VF Offset 128, stride 2) are on bus 01, behind the IOMMU like the PF.
# -cpu max,phys-bits=36 (the last -cpu wins): QEMU's workaround (see the top of this file).
# QEMU's trace points go to qemu.log (stderr), each with the host's time (-msg timestamp=on):
# where QEMU maps each BAR (pci_update_mappings_*: a VF's BARs at the addresses the guest gave
# them, or the emulator's bug is back), VF resets (a VF's CTRL.RST or its FLR), the PF's and
# the VFs' mailbox writes, the PF's CTRL_EXT writes (pfrstd 1: PF reset done, which clears RSTI
# and sets RSTD in every VF's mailbox), software resets (CTRL.RST: the igb PF's sets RSTI; the
# e1000e management NIC's show too), and the config space writes of the PF (SR-IOV enable) and
# of the VFs (vfio's FLR, DPDK's command register): the anchors that tie the traces to the
# guest's journal
qemu_sriov() {
    local t
    printf '%s\n' -cpu max,phys-bits=36 \
        -device pcie-root-port,id=sriov_rp,bus=pcie.0,addr=0x8,chassis=8 \
        -device "igb,bus=sriov_rp,addr=0x0,mac=$SRIOV_PF_MAC" -msg timestamp=on
    for t in igb_core_vf_reset igb_set_pfmailbox igb_set_vfmailbox igb_link_set_ext_params \
        e1000e_core_ctrl_sw_reset igb_write_config igbvf_write_config 'igb_wrn_*' 'e1000e_wrn_*' \
        e1000e_tx_disabled e1000e_rx_flt_dropped 'pci_update_mappings_*'; do
        printf '%s\n' -trace "$t"
    done
}

sriov_config() {
    cat << EOF
[Hugepages]
Size=1G
Count=2

[Hugepages]
Size=2M
Count=128

[CPU]
Isolate=1

[IOMMU]
Mode=pt

[Device]
Address=$SRIOV_PF
VirtualFunctions=2

[Device]
PhysicalFunction=$SRIOV_PF
VFIndex=0
Driver=vfio-pci
MACAddress=${SRIOV_VF_MACS[0]}

[Device]
PhysicalFunction=$SRIOV_PF
VFIndex=1
Driver=vfio-pci
MACAddress=${SRIOV_VF_MACS[1]}

[Datapath]
Preset=testpmd
MainCore=0
Cores=1
HugepageSize=1G
ForwardMode=mac
ExtraArgs=--eth-peer=0,${SRIOV_VF_MACS[1]} --eth-peer=1,${SRIOV_VF_MACS[0]}
EOF
}

setup_sriov() {
    local t=$1
    sriov_config | put_config "$t"
    put_expect "$t" datapath
    # the administrator's part: the PF's netdev up once dpdk-boot created the VFs (and set their
    # MACs) and before testpmd starts on them. dpdk-boot leaves the PF's link alone (it is the
    # host's interface, managed as the host manages its network), but the PF's igb answers the
    # VFs' mailbox only while it is up: it requests its interrupts and writes CTRL_EXT.PFRSTD
    # ("reset done", which the VFs wait for) in igb_open.
    mkdir -p "$t/usr/local/lib/dpdk-boot-vmtest"
    cat > "$t/usr/local/lib/dpdk-boot-vmtest/sriov-pf-up" << 'EOF'
#!/bin/bash
# sriov-pf-up PF: the PF's netdev up (udev may still be renaming it: tried again for up to 30 s)
pf=$1
for ((t = 0; t < 30; t++)); do
    for n in /sys/bus/pci/devices/"$pf"/net/*; do
        [ -e "$n" ] || continue
        if ip link set dev "${n##*/}" up; then
            ip -d link show dev "${n##*/}"
            exit 0
        fi
    done
    sleep 1
done
echo "sriov-pf-up: no netdev of $pf came up" >&2
exit 1
EOF
    chmod 0755 "$t/usr/local/lib/dpdk-boot-vmtest/sriov-pf-up"
    cat > "$t/etc/systemd/system/dpdk-boot-vmtest-pfup.service" << EOF
[Unit]
Description=dpdk-boot VM test: the VFs' PF up
After=dpdk-boot-bind.service
Before=dpdk-boot-datapath.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/lib/dpdk-boot-vmtest/sriov-pf-up $SRIOV_PF

[Install]
WantedBy=multi-user.target
EOF
    ln -sfn ../dpdk-boot-vmtest-pfup.service \
        "$t/etc/systemd/system/multi-user.target.wants/dpdk-boot-vmtest-pfup.service"
}

# sriov_pf_field FIELD: FIELD (numvfs, autoprobe, totalvfs, ...) of the PF's line in sriov.txt
sriov_pf_field() {
    awk -v pf="$SRIOV_PF" -v f="$1=" '$1 == "pf" && $2 == pf {
        for (i = 3; i <= NF; i++) if (index($i, f) == 1) print substr($i, length(f) + 1) }' "$R/sriov.txt"
}
# sriov_vf N: the address of the PF's VF N (its virtfnN link), from sriov.txt
sriov_vf() { awk -v pf="$SRIOV_PF" -v n="$1" '$1 == "vf" && $2 == pf && $3 == n { print $4 }' "$R/sriov.txt"; }
# sriov_vf_bar0 N: where the guest's kernel put VF N's BAR 0 (0x... as QEMU's traces print it)
sriov_vf_bar0() {
    local b
    b=$(awk -v pf="$SRIOV_PF" -v n="$1" '$1 == "vf" && $2 == pf && $3 == n {
        for (i = 6; i <= NF; i++) if (index($i, "bar0=") == 1) print substr($i, 6) }' "$R/sriov.txt")
    [[ $b =~ ^0x[0-9a-f]+$ ]] && printf '0x%x\n' "$((b))"
}
# sriov_qemu_mapped VF BAR ADDR: QEMU's trace shows it mapping BAR of VF (0000:01:10.0) at ADDR
sriov_qemu_mapped() {
    [ -n "$3" ] && grep -qF "pci_update_mappings_add igbvf ${1#*:} $2,$3+" "${R%/results}/qemu.log"
}
sriov_vf_count() { awk -v pf="$SRIOV_PF" '$1 == "vf" && $2 == pf' "$R/sriov.txt" | wc -l; }
sriov_vf_mac_messages() { kernel_net_messages | grep -vE "igb $SRIOV_PF: setting MAC [0-9a-f:]+ on VF [0-9]+$"; }
plan_ok() { [ "$(jq "$1" "$R/plan.json" 2> /dev/null)" = true ]; }
vendor_device() { awk -v d="$1" '$1 == d { print $3 }' "$R/drivers.txt"; }

assert_sriov() {
    local pfif n vf vfs=() mac st bar
    assert_reached_multi_user
    verdict "PF $SRIOV_PF on igb" "$(driver "$SRIOV_PF") $(vendor_device "$SRIOV_PF")" \
        eq "$(driver "$SRIOV_PF")/$(vendor_device "$SRIOV_PF")" igb/0x8086:0x10c9
    pfif=$(iface_of_mac "$SRIOV_PF_MAC")
    verdict "PF has its netdev ($SRIOV_PF_MAC)" "${pfif:-none}" ne "$pfif" ""
    verdict "PF: sriov_totalvfs 7 (QEMU's 82576)" "totalvfs=$(sriov_pf_field totalvfs)" eq "$(sriov_pf_field totalvfs)" 7
    verdict "PF: sriov_numvfs 2" "numvfs=$(sriov_pf_field numvfs)" eq "$(sriov_pf_field numvfs)" 2
    verdict "PF: sriov_drivers_autoprobe 0" "autoprobe=$(sriov_pf_field autoprobe)" \
        eq "$(sriov_pf_field autoprobe)" 0
    verdict "PF has 2 virtfn links" "$(sriov_vf_count) VFs: $(awk '$1 == "vf"' "$R/sriov.txt" | tr '\n' ';')" \
        eq "$(sriov_vf_count)" 2
    verdict "bind created both VFs with autoprobe off" \
        "$(journal_line "$SRIOV_PF: [0-9]+ virtual functions")" \
        has "$SRIOV_PF: 2 virtual functions \\(was 0\\), not probed by their kernel driver\\." "$R/journal.txt"
    for n in 0 1; do
        vf=$(sriov_vf "$n")
        vfs+=("${vf:-none}")
        verdict "VF $n ($vf) is an 82576 VF (8086:10ca)" "$(vendor_device "$vf")" \
            eq "$(vendor_device "$vf")" 0x8086:0x10ca
        verdict "VF $n ($vf) bound to vfio-pci" "$(driver "$vf")" eq "$(driver "$vf")" vfio-pci
        # the emulator's part (see qemu_sriov): QEMU 10.0 decodes VF BARs below 4 GiB only
        bar=$(sriov_vf_bar0 "$n")
        verdict "QEMU mapped VF $n's BAR 0 where the guest put it (${bar:-?})" \
            "$(grep -F "pci_update_mappings_add igbvf ${vf#*:} 0," "${R%/results}/qemu.log" | tail -1 | cut -c1-160)" \
            sriov_qemu_mapped "$vf" 0 "$bar"
        verdict "VF $n ($vf) bound by dpdk-boot" "$(journal_line "$vf: bound to vfio-pci")" \
            has "${vf:-none}: bound to vfio-pci" "$R/journal.txt"
        mac=${SRIOV_VF_MACS[n]}
        verdict "no netdev with VF $n's MAC $mac" "$(iface_of_mac "$mac")" eq "$(iface_of_mac "$mac")" ""
        verdict "dpdk-boot set VF $n's MAC $mac through the PF" \
            "$(journal_line "dpdk-boot\[[0-9]+\]: ${vf:-none}: virtual function $n of")" \
            has "dpdk-boot\[[0-9]+\]: ${vf:-none}: virtual function $n of $SRIOV_PF \([^)]+\): mac $mac\.$" \
            "$R/journal.txt"
        verdict "the PF's driver lists VF $n with $mac" "$(grep -m1 -E "vf $n " "$R/sriov-ip-link.txt")" \
            has "vf $n .*link/ether $mac" "$R/sriov-ip-link.txt"
    done
    # igbvf logs "igbvf ADDR: ..." when it probes a VF; its module may load (udev's modalias
    # for the new VFs) but must never bind one, and no VF netdev is ever named
    verdict "igbvf never probed a VF (kernel log and journal)" \
        "$(grep -hE -m2 "igbvf ${vfs[0]}|igbvf ${vfs[1]}" "$R/dmesg.txt" "$R/journal.txt" | cut -c1-160 | tr '\n' ' ')" \
        hasnt "igbvf (${vfs[0]}|${vfs[1]})" <(cat "$R/dmesg.txt" "$R/journal.txt")
    # (the PF's igb names them when they are set on it: "setting MAC ... on VF N")
    verdict "no netdev MAC of a VF in kernel, udev or networkd messages but the PF's" \
        "$(sriov_vf_mac_messages | grep -m1 -E "${SRIOV_VF_MACS[0]}|${SRIOV_VF_MACS[1]}" | cut -c1-160)" \
        hasnt "${SRIOV_VF_MACS[0]}|${SRIOV_VF_MACS[1]}" <(sriov_vf_mac_messages)
    for vf in "${vfs[@]}"; do
        verdict "testpmd probed $vf with DPDK's igbvf PMD" \
            "$(grep -m1 -E "net_e1000_igb_vf.*$vf" "$R/datapath.txt" | cut -c1-160)" \
            has "Probe PCI driver: net_e1000_igb_vf \\(8086:10ca\\) device: $vf" "$R/datapath.txt"
    done
    st=$(unit_prop dpdk-boot-datapath.service ActiveState)
    verdict "dpdk-boot-datapath.service active" "${st:-not loaded}" eq "$st" active
    assert_testpmd_forwarded
    assert_mgmt
    for n in "$DEV0" "$DEV1" "$SPARE"; do
        verdict "$n (no rule) stays on virtio-pci" "$(driver "$n")" eq "$(driver "$n")" virtio-pci
    done
    verdict "status --json: ok" "$(json '"ok=\(.ok) problems=\(.problems)"')" json_ok '.ok == true'
    # the plan the boot's generator wrote (/run/dpdk-boot/plan.json): the VFs planned before
    # they existed
    verdict "the boot's plan: the PF's SR-IOV entry (0 -> 2 VFs, autoprobe off)" \
        "$(jq -c '.sriov' "$R/plan.json" 2> /dev/null | cut -c1-200)" \
        plan_ok "[.sriov[] | select(.physical_function == \"$SRIOV_PF\" and .virtual_functions == 2
            and .current == 0 and .drivers_autoprobe == false and .skipped == false)] | length == 1"
    for n in 0 1; do
        verdict "the boot's plan: VF $n ${vfs[n]} created at boot for vfio-pci" \
            "$(jq -c ".devices[] | select(.address == \"${vfs[n]}\") | {created, physical_function, vf_index, target}" \
                "$R/plan.json" 2> /dev/null | cut -c1-200)" \
            plan_ok "[.devices[] | select(.address == \"${vfs[n]}\" and .created == true and .target == \"vfio-pci\"
                and .physical_function == \"$SRIOV_PF\" and .vf_index == $n)] | length == 1"
        verdict "status --json: VF $n ${vfs[n]} ok on vfio-pci" \
            "$(json ".devices[] | select(.address == \"${vfs[n]}\") | tojson" | cut -c1-200)" \
            json_ok "[.devices[] | select(.address == \"${vfs[n]}\" and .ok == true and .driver == \"vfio-pci\")]
                | length == 1"
    done
    assert_no_dpdk_failed
}
