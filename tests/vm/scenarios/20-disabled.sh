# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.

setup_disabled() {
    happy_config | put_config "$1"
    put_expect "$1" none
    echo "dpdk=no"
}

assert_disabled() {
    assert_reached_multi_user
    verdict "kernel command line has dpdk=no" "$(cat "$R/cmdline.txt")" has '(^| )dpdk=no( |$)' "$R/cmdline.txt"
    assert_kernel_drivers
    verdict "2M hugepages not reserved" "nr=$(hp 2048 nr)" eq "$(hp 2048 nr)" 0
    verdict "1G hugepages from the kernel command line only: 1" "nr=$(hp 1048576 nr)" eq "$(hp 1048576 nr)" 1
    assert_datapath_inactive
    assert_no_dpdk_failed
    assert_mgmt
    verdict "status --json: enabled=false" "enabled=$(json .enabled)" json_ok '.enabled == false'
}
