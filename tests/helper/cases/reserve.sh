# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: reserve. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

test_reserve_happy() {
    fresh
    run reserve
    expect_rc 0
    expect_file "$(node1g 0)/nr_hugepages" 2
    expect_file "$(node1g 1)/nr_hugepages" 2
    expect_file "$H1G/nr_hugepages" 4
    expect_file "$H1G/free_hugepages" 4
    expect_file "$H2M/nr_hugepages" 256
    expect_file "$H2M/free_hugepages" 256
    # 1G first: gigantic pages before memory fragments.
    [[ $(grep -n '^1G' "$err" | head -n1 | cut -d: -f1) -lt $(grep -n '^2M' "$err" | cut -d: -f1) ]] ||
        fail "2M pages were reserved before 1G pages"
    golden reserve-happy "$err"
}

test_reserve_shortfall() {
    fresh
    echo 1 >"$root/$(node1g 1)/.capacity"
    run reserve
    expect_rc 1
    expect_err "1G pages on node 1: asked 2, got 1 (memory fragmented or too small)."
    expect_file proc/sys/vm/compact_memory 1
    # Every size is processed, the shortfall notwithstanding.
    expect_file "$(node1g 0)/nr_hugepages" 2
    expect_file "$H2M/nr_hugepages" 256
    golden reserve-shortfall "$err"
}

test_reserve_compaction_retry() {
    fresh
    echo 1 >"$root/$(node1g 1)/.capacity"
    echo 2 >"$root/$(node1g 1)/.capacity_after_compact"
    run reserve
    expect_rc 0
    expect_err "1G pages on node 1: got 1 of 2, compacting memory and trying again."
    expect_file "$(node1g 1)/nr_hugepages" 2
    expect_file "$H1G/nr_hugepages" 4
}

test_reserve_global_shortfall() {
    fresh
    echo 100 >"$root/$H2M/.capacity"
    run reserve
    expect_rc 1
    expect_err "2M pages: asked 256, got 100 (memory fragmented or too small)."
    # 2M pages are not gigantic: no compaction for them.
    expect_no_err "compacting"
    expect_file "$H2M/nr_hugepages" 100
}

test_reserve_unsupported() {
    fresh
    rm -rf "${root:?}/$H1G" "${root:?}/$(node1g 0)" "${root:?}/$(node1g 1)"
    run reserve
    expect_rc 1
    expect_err "1G pages are not supported by this CPU/kernel (no pdpe1gb?)."
    expect_file "$H2M/nr_hugepages" 256
}

test_reserve_sets_exact_count() {
    fresh
    echo 5 >"$root/$(node1g 0)/nr_hugepages"
    echo 5 >"$root/$(node1g 0)/free_hugepages"
    run reserve
    expect_rc 0
    expect_file "$(node1g 0)/nr_hugepages" 2
    expect_file "$(node1g 0)/free_hugepages" 2
}

test_reserve_missing_node() {
    fresh
    sed -i 's/^PerNode=0:2,1:2$/PerNode=0:2,3:1/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run reserve
    expect_rc 1
    expect_err "1G pages on node 3: NUMA node 3 does not exist"
    # The nodes the config does not name get none; the others are still done.
    expect_file "$(node1g 0)/nr_hugepages" 2
    expect_file "$(node1g 1)/nr_hugepages" 0
    expect_file "$H2M/nr_hugepages" 256
}

test_reserve_disabled() {
    fresh
    cmdline="root=/dev/vda1 dpdk=no"
    run reserve
    expect_rc 0
    expect_err "Nothing to reserve (disabled by dpdk=no)."
    expect_file "$H2M/nr_hugepages" 0
}

test_reserve_invalid_config() {
    fresh
    bad_config
    run reserve
    expect_rc 1
    expect_err "The configuration is invalid"
    expect_file "$H2M/nr_hugepages" 0
}
