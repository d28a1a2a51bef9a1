# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# noiommu: the happy config on a machine without an IOMMU (no -device intel-iommu): vfio-pci is
# refused by the iommu gate before anything is touched, the datapath is not started, and the
# host comes up with its management network.

setup_noiommu() {
    happy_config | put_config "$1"
    put_expect "$1" none
}

qemu_noiommu() {
    echo -no-iommu
}

assert_noiommu() {
    local d st
    assert_reached_multi_user
    verdict "no IOMMU in the guest" "$(meta iommu_groups) groups" eq "$(meta iommu_groups)" 0
    assert_kernel_drivers
    for d in "$DEV0" "$DEV1"; do
        verdict "journal: $d refused by the iommu gate" "$(grep -m1 -F "$d refused [iommu]" "$R/journal.txt" | cut -c1-160)" \
            grep -qF "$d refused [iommu]: no IOMMU is enabled" "$R/journal.txt"
        verdict "status --json: $d refused [iommu]" "$(json ".devices[] | select(.address == \"$d\") | .refusal" | cut -c1-120)" \
            json_ok "[.devices[] | select(.address == \"$d\" and .refused == true and .gates.iommu == \"fail\")] | length == 1"
    done
    verdict "status names the fix (intel_iommu=on)" "$(grep -m1 -F 'intel_iommu=on' "$R/status.txt" | cut -c1-120)" \
        grep -qF "intel_iommu=on" "$R/status.txt"
    verdict "dpdk-boot status exits non-zero" "rc=$(meta status_rc)" ne "$(meta status_rc)" 0
    st=$(unit_prop dpdk-boot-datapath.service ActiveState)
    verdict "dpdk-boot-datapath.service not started" "${st:-not loaded}" ne "$st" active
    st=$(unit_prop dpdk-boot-datapath.service NRestarts)
    verdict "datapath never restarted (no crash loop)" "NRestarts=${st:-0}" eq "${st:-0}" 0
    assert_mgmt
}
