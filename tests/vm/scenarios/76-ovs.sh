# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# ovs: Open vSwitch with DPDK as the datapath ([Datapath] Preset=ovs), Debian's
# openvswitch-switch-dpdk selected with update-alternatives as its documentation says. Two boots
# of one disk:
#   boot 1: dpdk-boot-ovs.service writes other_config and the bridge with both hub NICs as dpdk
#           ports before ovs-vswitchd starts; OVS comes up with DPDK, no interface has an error,
#           and the PMD thread runs on the planned core;
#   boot 2: dpdk.hugepages=no and only the command line's one 1G page, for SocketMemory=2048:
#           verify fails naming the numbers, and ovs-vswitchd never starts.

ovs_config() {
    cat << 'CONF'
[Hugepages]
Size=1G
Count=2

[CPU]
Isolate=1

[IOMMU]
Mode=pt

[Device]
Address=0000:00:04.0

[Device]
Address=0000:00:05.0

[Datapath]
Preset=ovs
MainCore=0
Cores=1
Bridge=br-dpdk
SocketMemory=2048
HugepageSize=1G
CONF
}

setup_ovs() {
    ovs_config | put_config "$1"
    put_expect "$1" ovs
    chroot "$1" update-alternatives --quiet --set ovs-vswitchd \
        /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
}

# pmd_on_core_1 THREADS: ovs-vswitchd has PMD threads, and each may run on CPU 1 only
pmd_on_core_1() {
    awk '$1 ~ /^pmd/ { n++; if ($2 != "1") bad++ } END { exit !(n > 0 && !bad) }' "$1"
}

after_boot_ovs() {
    local sdir=$1 n=$2
    [ "$n" = 1 ] || return 1
    echo "$BASE_CMDLINE dpdk.hugepages=no dpdk_boot_vmtest.expect=none" > "$sdir/cmdline.next"
}

assert_ovs() {
    local b1=$WORK/ovs/results-boot1 b2=$WORK/ovs/results-boot2 pmd
    R=$b1
    assert_reached_multi_user
    verdict "boot 1: ovs-vswitchd is the DPDK build" "$(head -1 "$R/ovs-dpdk.txt")" \
        has '^true' "$R/ovs-dpdk.txt"
    verdict "boot 1: ovs-vswitchd active" "$(unit_prop ovs-vswitchd.service ActiveState)" \
        eq "$(unit_prop ovs-vswitchd.service ActiveState)" active
    verdict "boot 1: dpdk-datapath.target reached" "$(unit_prop dpdk-datapath.target ActiveState)" \
        eq "$(unit_prop dpdk-datapath.target ActiveState)" active
    verdict "boot 1: other_config has dpdk-init=true" "$(cat "$R/ovs-other-config.txt")" \
        has 'dpdk-init="?true' "$R/ovs-other-config.txt"
    verdict "boot 1: dpdk-socket-mem, dpdk-lcore-mask, pmd-cpu-mask and dpdk-hugepage-dir from the plan" \
        "$(cat "$R/ovs-other-config.txt")" \
        has 'dpdk-hugepage-dir="/dev/hugepages1G".*dpdk-lcore-mask="0x1".*dpdk-socket-mem="2048".*pmd-cpu-mask="0x2"' \
        "$R/ovs-other-config.txt"
    verdict "boot 1: the bridge is a netdev (userspace) bridge" "$(tr '\n' ' ' < "$R/ovs-bridges.txt")" \
        has 'datapath_type *: netdev' "$R/ovs-bridges.txt"
    verdict "boot 1: $DEV0 is a dpdk port of br-dpdk" "$(grep -A3 'Port dpdk-00-04.0' "$R/ovs-show.txt" | tr -s ' \n' ' ')" \
        has "options: \\{dpdk-devargs=\"$DEV0\"\\}" "$R/ovs-show.txt"
    verdict "boot 1: $DEV1 is a dpdk port of br-dpdk" "$(grep -A3 'Port dpdk-00-05.0' "$R/ovs-show.txt" | tr -s ' \n' ' ')" \
        has "options: \\{dpdk-devargs=\"$DEV1\"\\}" "$R/ovs-show.txt"
    verdict "boot 1: ovs-vsctl show has no error: on any interface" "$(grep -m1 'error:' "$R/ovs-show.txt")" \
        hasnt 'error:' "$R/ovs-show.txt"
    verdict "boot 1: both dpdk interfaces have link_state up" \
        "$(grep -c '^link_state *: up' "$R/ovs-interfaces.txt")" eq "$(grep -c '^link_state *: up' "$R/ovs-interfaces.txt")" 2
    pmd=$(awk '$1 ~ /^pmd/ { print $1 " cpus=" $2 }' "$R/ovs-threads.txt" | tr '\n' ' ')
    verdict "boot 1: PMD threads only on the planned core 1" "${pmd:-no pmd thread}" pmd_on_core_1 "$R/ovs-threads.txt"
    verdict "boot 1: pmd-rxq-show places the ports' queues on core 1" \
        "$(grep -m1 'pmd thread' "$R/ovs-pmd-rxq.txt")" has 'core_id 1:' "$R/ovs-pmd-rxq.txt"
    verdict "boot 1: ovs-vswitchd started after dpdk-boot-ovs.service" \
        "$(unit_prop dpdk-boot-ovs.service ActiveEnterTimestampMonotonic) < $(unit_prop ovs-vswitchd.service ExecMainStartTimestampMonotonic)" \
        ordered "$(unit_prop dpdk-boot-ovs.service ActiveEnterTimestampMonotonic)" \
        "$(unit_prop ovs-vswitchd.service ExecMainStartTimestampMonotonic)"
    verdict "boot 1: dpdk-boot-ovs.service started after verify" \
        "$(unit_prop dpdk-boot-verify.service ActiveEnterTimestampMonotonic) < $(unit_prop dpdk-boot-ovs.service ExecMainStartTimestampMonotonic)" \
        ordered "$(unit_prop dpdk-boot-verify.service ActiveEnterTimestampMonotonic)" \
        "$(unit_prop dpdk-boot-ovs.service ExecMainStartTimestampMonotonic)"
    verdict "boot 1: both NICs on vfio-pci" "$(driver "$DEV0") $(driver "$DEV1")" \
        eq "$(driver "$DEV0") $(driver "$DEV1")" "vfio-pci vfio-pci"
    assert_no_dpdk_failed
    assert_mgmt

    R=$b2
    assert_reached_multi_user
    verdict "boot 2: verify failed, naming the socket memory and the free pages" \
        "$(journal_line 'socket memory')" \
        has "dpdk-boot.*socket memory \\(SocketMemory=\\) is 2048 MB, 2 1G pages, but 1 is free \\(1 reserved\\)" "$R/journal.txt"
    verdict "boot 2: dpdk-boot-verify.service failed" "$(unit_prop dpdk-boot-verify.service ActiveState)" \
        eq "$(unit_prop dpdk-boot-verify.service ActiveState)" failed
    verdict "boot 2: ovs-vswitchd never started" \
        "$(unit_prop ovs-vswitchd.service ActiveState), started at $(unit_prop ovs-vswitchd.service ExecMainStartTimestampMonotonic)" \
        eq "$(unit_prop ovs-vswitchd.service ExecMainStartTimestampMonotonic)" 0
    verdict "boot 2: status says verify kept the datapath from starting" \
        "$(grep -m1 'dpdk-boot-verify.service failed' "$R/status.txt")" \
        has '^  - dpdk-boot-verify.service failed, so the datapath was not started' "$R/status.txt"
    verdict "boot 2: status names the missing memory with its numbers" "$(grep -m1 'socket memory' "$R/status.txt")" \
        has '^  - .*socket memory \(SocketMemory=\) is 2048 MB, 2 1G pages, but 1 is free' "$R/status.txt"
    assert_mgmt
}
