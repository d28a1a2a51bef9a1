# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: VirtualFunctions= (SR-IOV), planned by the generator and
# carried out by bind --from-plan --all, the bind unit's command, on a fake kernel that creates
# the virtual functions when sriov_numvfs is written. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err

PF=0000:3b:00.0

# sriov_pf: an X710-like PF on i40e in the fixture tree: 64 VFs at most, First VF Offset 16,
# VF Stride 1 (its VFs are 0000:3b:02.0 to 0000:3b:09.7), each VF in an IOMMU group of its own
# from 100, iavf their kernel driver.
sriov_pf() {
    local d=sys/devices/pci0000:00/$PF drv
    for drv in i40e iavf; do
        mkdir -p "$root/sys/bus/pci/drivers/$drv"
    done
    mkdir -p "$root/$d" "$root/sys/kernel/iommu_groups/30/devices"
    printf '%s\n' 0x8086 >"$root/$d/vendor"
    printf '%s\n' 0x1572 >"$root/$d/device"
    printf '%s\n' 0x020000 >"$root/$d/class"
    printf '%s\n' 0 >"$root/$d/numa_node"
    printf '%s\n' "(null)" >"$root/$d/driver_override"
    printf '%s\n' 64 >"$root/$d/sriov_totalvfs"
    printf '%s\n' 0 >"$root/$d/sriov_numvfs"
    printf '%s\n' 16 >"$root/$d/sriov_offset"
    printf '%s\n' 1 >"$root/$d/sriov_stride"
    printf '%s\n' 154c >"$root/$d/sriov_vf_device"
    printf '%s\n' 1 >"$root/$d/sriov_drivers_autoprobe"
    printf '%s\n' i40e >"$root/$d/.default_driver"
    printf '%s\n' 100 >"$root/$d/.vf_iommu_group_base"
    printf '%s\n' iavf >"$root/$d/.vf_driver"
    ln -s ../../../bus/pci/drivers/i40e "$root/$d/driver"
    ln -s ../../../kernel/iommu_groups/30 "$root/$d/iommu_group"
    ln -s "../../../../devices/pci0000:00/$PF" "$root/sys/kernel/iommu_groups/30/devices/$PF"
    ln -s "../../../devices/pci0000:00/$PF" "$root/sys/bus/pci/devices/$PF"
}

# vf N: the address of VF N of the PF.
vf() {
    local rid=$((0x3b00 + 16 + $1))
    printf '0000:%02x:%02x.%x\n' $((rid >> 8)) $(((rid >> 3) & 31)) $((rid & 7))
}

# sriov_config N [DRIVER|-]: N VFs on the PF, all bound to DRIVER by a PhysicalFunction= rule
# (- : no rule for the VFs).
sriov_config() {
    {
        printf '[Device]\nAddress=%s\nVirtualFunctions=%s\n' "$PF" "$1"
        [[ ${2:--} == - ]] || printf '\n[Device]\nPhysicalFunction=%s\nDriver=%s\n' "$PF" "$2"
    } | set_config
}

expect_vfs_on() { # N DRIVER
    local i
    for ((i = 0; i < $1; i++)); do
        expect_driver "$(vf "$i")" "$2"
    done
}

test_sriov_created_and_bound() {
    fresh
    sriov_pf
    sriov_config 64 vfio-pci
    run plan
    expect_rc 0
    expect_out "SR-IOV:"
    expect_out "  $PF: 0 -> 64 virtual functions (of 64), drivers_autoprobe 0"
    expect_out "  $(vf 63): (created at boot) -> vfio-pci"
    expect_out "      virtual function 63 of $PF"
    run plan --json
    expect_rc 0
    jqe '.sriov == [{"physical_function": "0000:3b:00.0", "virtual_functions": 64, "current": 0, "total": 64, "drivers_autoprobe": false, "skipped": false, "rule_file": "/etc/dpdk-boot/dpdk-boot.conf", "rule_line": 1}]'
    jqe '[.devices[] | select(.created and .physical_function == "0000:3b:00.0" and .target == "vfio-pci" and (.refused | not))] | length == 64'
    jqe '[.devices[] | select(.address == "0000:3b:09.7")][0].vf_index == 63'
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_err "$PF: 64 virtual functions (was 0), not probed by their kernel driver."
    expect_err "65 devices of this boot's plan bound."
    expect_file "$(dev $PF)/sriov_drivers_autoprobe" 0
    expect_file "$(dev $PF)/sriov_numvfs" 64
    expect_driver $PF i40e
    expect_vfs_on 64 vfio-pci
    expect_exists dev/vfio/100
    expect_exists dev/vfio/163
    # What the boot planned is what the host has now.
    run verify
    expect_rc 0
    # Run again: nothing to change.
    run bind --from-plan --all
    expect_rc 0
    expect_err "$PF: already has 64 virtual functions."
    expect_vfs_on 64 vfio-pci
}

test_sriov_kernel_vfs_keep_autoprobe() {
    fresh
    sriov_pf
    sriov_config 4 -
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_file "$(dev $PF)/sriov_drivers_autoprobe" 1
    expect_file "$(dev $PF)/sriov_numvfs" 4
    expect_vfs_on 4 iavf
}

test_sriov_changed_count_goes_through_zero() {
    fresh
    sriov_pf
    sriov_config 4 vfio-pci
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_vfs_on 4 vfio-pci
    # The next boot asks for 8: the fake kernel, like the real one, refuses 4 -> 8.
    sriov_config 8 vfio-pci
    run plan
    expect_out "  $PF: 4 -> 8 virtual functions (of 64), drivers_autoprobe 0"
    expect_out "  $(vf 0): (created at boot) -> vfio-pci"
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_err "$PF: 8 virtual functions (was 4), not probed by their kernel driver."
    expect_file "$(dev $PF)/sriov_numvfs" 8
    expect_vfs_on 8 vfio-pci
    # Down to 2: VFs 2 to 7 are on vfio-pci and no rule selects them any more, so they may be in
    # use (a VM's); the count stays until they are handed back.
    sriov_config 2 vfio-pci
    generate
    run bind --from-plan --all
    expect_rc 1
    expect_err "$PF: not changing sriov_numvfs from 8 to 2: its virtual function $(vf 2) (virtfn2) is in use by vfio-pci, and no rule selects it"
    expect_file "$(dev $PF)/sriov_numvfs" 8
    for i in 2 3 4 5 6 7; do
        run unbind "$(vf "$i")"
        expect_rc 0
    done
    run bind --from-plan --all
    expect_rc 0
    expect_file "$(dev $PF)/sriov_numvfs" 2
    expect_vfs_on 2 vfio-pci
    expect_missing "$(dev "$(vf 2)")"
    expect_missing "$(dev "$(vf 7)")"
    expect_missing dev/vfio/107
}

test_sriov_in_use_refused() {
    fresh
    sriov_pf
    sriov_config 4 -
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_vfs_on 4 iavf
    # VFs on their kernel driver, no rule selects them: changing the count would destroy them.
    sriov_config 8 -
    generate
    run bind --from-plan --all
    expect_rc 1
    expect_err "$PF: not changing sriov_numvfs from 4 to 8: its virtual function $(vf 0) (virtfn0) is in use by iavf, and no rule selects it, and the kernel destroys every virtual function when the count changes. Unbind it first, or set VirtualFunctions=4 (/etc/dpdk-boot/dpdk-boot.conf:1)."
    expect_file "$(dev $PF)/sriov_numvfs" 4
    expect_vfs_on 4 iavf
}

test_sriov_too_many_refused_at_check() {
    fresh
    sriov_pf
    sriov_config 65 vfio-pci
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:1: VirtualFunctions=65: $PF offers at most 64 virtual functions (sriov_totalvfs)."
}

test_sriov_not_a_pf() {
    fresh
    printf '[Device]\nAddress=0000:00:04.0\nVirtualFunctions=2\n' | set_config
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:1: VirtualFunctions=2: 0000:00:04.0 is not an SR-IOV physical function (it has no sriov_totalvfs)."
}

test_sriov_pf_taken_needs_force() {
    fresh
    sriov_pf
    printf '[Device]\nAddress=%s\nVirtualFunctions=4\nDriver=vfio-pci\n' "$PF" | set_config
    run plan
    expect_out "$PF refused [sriov]: it is an SR-IOV physical function asked to carry 4 virtual functions (VirtualFunctions= at /etc/dpdk-boot/dpdk-boot.conf:1); taking it off i40e would destroy them."
    generate
    run bind --from-plan --all
    expect_driver $PF i40e
    expect_file "$(dev $PF)/sriov_numvfs" 4
    # Force=yes takes the PF, and then it gets no virtual functions.
    fresh
    sriov_pf
    printf '[Device]\nAddress=%s\nVirtualFunctions=4\nDriver=vfio-pci\nForce=yes\n\n[Device]\nPhysicalFunction=%s\nVFIndex=0\n' \
        "$PF" "$PF" | set_config
    run plan
    expect_out "  $PF: 0 -> 4 virtual functions (of 64)  NOT CREATED (the PF is taken)"
    expect_out "      gates: present ok, iommu ok, iommu-group ok, rmrr ok, bifurcated ok, management ok, sriov ok"
    expect_out "$(vf 0) left out [present]: it is virtual function 0 of $PF, which is not created: the PF itself is taken off its kernel driver (Force=yes)."
}

test_sriov_pf_taken_with_its_vfs() {
    fresh
    sriov_pf
    sriov_config 4 vfio-pci
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_vfs_on 4 vfio-pci
    # The count is already right, so nothing is created; the VFs exist now, yet taking the PF off
    # i40e destroys them: none is planned for binding.
    printf '[Device]\nAddress=%s\nVirtualFunctions=4\nDriver=vfio-pci\nForce=yes\n\n[Device]\nPhysicalFunction=%s\nDriver=vfio-pci\n' \
        "$PF" "$PF" | set_config
    run plan
    expect_rc 0
    expect_out "  $PF: 4 -> 4 virtual functions (of 64)  NOT CREATED (the PF is taken)"
    expect_out "$(vf 0) left out [present]: it is virtual function 0 of $PF, which the kernel destroys when the PF itself is taken off its kernel driver (Force=yes)."
    expect_out "$(vf 3) left out [present]: it is virtual function 3 of $PF, which the kernel destroys when the PF itself is taken off its kernel driver (Force=yes)."
    run plan --json
    jqe '[.devices[] | select(.physical_function == "0000:3b:00.0" and (.refused | not))] | length == 0'
    jqe '[.devices[] | select(.address == "0000:3b:00.0")][0].target == "vfio-pci"'
}

# pf_netdev NAME IFINDEX: the PF's netdev, as its driver makes it.
pf_netdev() {
    mkdir -p "$root/sys/devices/pci0000:00/$PF/net/$1"
    printf '%s\n' "$2" >"$root/sys/devices/pci0000:00/$PF/net/$1/ifindex"
}

vf_settings_config() {
    printf '%s\n' '[Device]' "Address=$PF" 'VirtualFunctions=4' '' \
        '[Device]' "PhysicalFunction=$PF" 'VFIndex=0' 'Driver=vfio-pci' 'MACAddress=02:00:5E:10:00:01' \
        'VLANId=10' 'QualityOfService=3' 'Trust=yes' 'MACSpoofCheck=no' 'LinkState=auto' '' \
        '[Device]' "PhysicalFunction=$PF" 'VFIndex=1 2 3' 'Driver=vfio-pci' 'LinkState=no' | set_config
}

test_sriov_vf_settings() {
    fresh
    sriov_pf
    pf_netdev ens1f0 7
    vf_settings_config
    run check
    expect_rc 0
    run plan
    expect_rc 0
    expect_out "      set by $PF before it is bound: mac 02:00:5e:10:00:01, vlan 10 qos 3, trust yes, spoof check no, link state auto"
    expect_out "      set by $PF before it is bound: link state no"
    run plan --json
    jqe '[.devices[] | select(.address == "0000:3b:02.0")][0].vf_settings == {"mac_address": "02:00:5e:10:00:01", "vlan_id": 10, "quality_of_service": 3, "trust": true, "mac_spoof_check": false, "link_state": "auto"}'
    jqe '[.devices[] | select(.vf_settings)] | length == 4'
    jqe '[.devices[] | select(.address == "0000:3b:00.0")][0] | has("vf_settings") | not'
    generate
    export DPDK_BOOT_VF_NETLINK_RECORD=$work/netlink
    rm -f "$work/netlink"
    run bind --from-plan --all
    unset DPDK_BOOT_VF_NETLINK_RECORD
    expect_rc 0
    expect_vfs_on 4 vfio-pci
    expect_err "$(vf 0): virtual function 0 of $PF (ens1f0): mac 02:00:5e:10:00:01, vlan 10 qos 3, trust yes, spoof check no, link state auto."
    # One RTM_SETLINK on the PF's netdev per setting, each naming its VF, as the kernel reads it.
    diff -u - "$work/netlink" <<'OUT' || fail "the netlink requests differ"
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_MAC vf 0 mac 02:00:5e:10:00:01
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_VLAN vf 0 vlan 10 qos 3
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_TRUST vf 0 setting 1
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_SPOOFCHK vf 0 setting 0
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_LINK_STATE vf 0 link_state 0
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_LINK_STATE vf 1 link_state 2
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_LINK_STATE vf 2 link_state 2
RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_LINK_STATE vf 3 link_state 2
OUT
}

test_sriov_vf_settings_refused() {
    fresh
    sriov_pf
    pf_netdev ens1f0 7
    vf_settings_config
    generate
    # A driver without trust: named, the other settings still asked for, every VF still bound.
    export DPDK_BOOT_VF_NETLINK_RECORD=$work/netlink DPDK_BOOT_VF_NETLINK_REFUSE=IFLA_VF_TRUST
    rm -f "$work/netlink"
    run bind --from-plan --all
    unset DPDK_BOOT_VF_NETLINK_RECORD DPDK_BOOT_VF_NETLINK_REFUSE
    expect_rc 1
    expect_err "$(vf 0): $PF (ens1f0) did not apply IFLA_VF_TRUST to its virtual function 0: Operation not supported (/etc/dpdk-boot/dpdk-boot.conf:5)"
    expect_err "1 virtual function did not get all the settings this boot's plan asks of their PF's driver (bound all the same)."
    expect_vfs_on 4 vfio-pci
    [[ $(wc -l <"$work/netlink") == 8 ]] || fail "expected 8 netlink requests: $(cat "$work/netlink")"
}

test_sriov_vf_settings_no_netdev() {
    fresh
    sriov_pf
    vf_settings_config
    generate
    export DPDK_BOOT_VF_NETLINK_RECORD=$work/netlink
    rm -f "$work/netlink"
    run bind --from-plan --all
    unset DPDK_BOOT_VF_NETLINK_RECORD
    expect_rc 1
    expect_err "$(vf 0): cannot set its virtual function settings: its PF $PF has no network interface to ask (none appeared)"
    expect_vfs_on 4 vfio-pci
    [[ ! -e $work/netlink ]] || fail "netlink requests without a netdev: $(cat "$work/netlink")"
}

test_sriov_vf_settings_checked() {
    fresh
    sriov_pf
    printf '%s\n' '[Device]' "PhysicalFunction=$PF" 'MACAddress=01:00:5e:00:00:01' 'VLANId=4095' \
        'QualityOfService=8' 'LinkState=maybe' 'Trust=perhaps' | set_config
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:3: MACAddress=01:00:5e:00:00:01: expected a unicast MAC address such as 02:00:00:00:00:01 for the virtual function."
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:4: VLANId=4095"
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:5: QualityOfService=8"
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:6: LinkState=maybe: expected yes, no or auto."
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:7: Trust=perhaps: expected yes or no."
    printf '%s\n' '[Device]' "PhysicalFunction=$PF" 'QualityOfService=2' | set_config
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:1: [Device] QualityOfService= is the priority of a VLAN: it needs VLANId= 1 to 4094."
    # On a device that is not a VF, and one MAC address for four VFs: problems naming the rule.
    printf '%s\n' '[Device]' "Address=$PF" 'VirtualFunctions=4' '' '[Device]' "PhysicalFunction=$PF" \
        'MACAddress=02:00:00:00:00:01' '' '[Device]' 'Address=0000:00:04.0' 'Trust=yes' | set_config
    run plan
    expect_out "/etc/dpdk-boot/dpdk-boot.conf:5: MACAddress= gives $(vf 1) the address $(vf 0) has; a MAC address names one virtual function, so the rule must select one (PhysicalFunction= with VFIndex=)."
    expect_out "/etc/dpdk-boot/dpdk-boot.conf:9: 0000:00:04.0 is not an SR-IOV virtual function: MACAddress=, VLANId=, QualityOfService=, Trust=, MACSpoofCheck= and LinkState= are set by a PF's driver on its virtual functions; none is set on it."
}
