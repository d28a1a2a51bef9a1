# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# smoke boots the guest without any dpdk-boot configuration: it checks the harness itself, and is
# left out of the default list.
# shellcheck disable=SC2034  # read by load_scenarios
SCENARIO_DEFAULT_smoke=0

setup_smoke() {
    rm -f "$1$CONF"
    put_expect "$1" none
}

assert_smoke() {
    assert_reached_multi_user
    verdict "1G hugepage from the kernel command line" "nr=$(hp 1048576 nr)" eq "$(hp 1048576 nr)" 1
    verdict "emulated IOMMU present" "$(meta iommu_groups) groups" gt0 "$(meta iommu_groups)"
    assert_mgmt
    verdict "spare NIC $SPARE on virtio-pci" "$(driver "$SPARE")" eq "$(driver "$SPARE")" virtio-pci
}
