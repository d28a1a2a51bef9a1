# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: verify. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

test_verify_before() {
    fresh
    generate
    run verify
    expect_rc 1
    expect_err "1G pages on node 1: 0 reserved, 2 configured"
    expect_err "0000:00:04.0: on virtio-pci, wanted vfio-pci"
    golden verify-before "$err"
}

test_verify_after() {
    fresh
    set_up_all
    generate
    run verify
    expect_rc 0
    golden verify-after "$out"
}

test_verify_records_macs() {
    fresh
    set_up_all
    mkdir -p "$root/sys/class/net/enp0s6"
    echo 52:54:00:00:00:03 > "$root/sys/class/net/enp0s6/address"
    ln -s ../../../devices/pci0000:00/0000:00:06.0 "$root/sys/class/net/enp0s6/device"
    generate
    run verify
    expect_rc 0
    expect_file var/lib/dpdk-boot/nic-macs "0000:00:06.0 52:54:00:00:00:03 enp0s6"
    # The interface gone (its NIC taken by vfio-pci, say): what was seen of it is kept.
    rm -r "$root/sys/class/net/enp0s6"
    generate
    run verify
    expect_rc 0
    expect_file var/lib/dpdk-boot/nic-macs "0000:00:06.0 52:54:00:00:00:03 enp0s6"
    # A network configuration that knows the management NIC only by MAC now names it, before
    # any driver: as evidence (what the initramfs stores), and for the management gate.
    mkdir -p "$root/etc/NetworkManager/system-connections"
    printf '[connection]\nid=mgmt\n\n[ethernet]\nmac-address=52:54:00:00:00:03\n' \
        > "$root/etc/NetworkManager/system-connections/mgmt.nmconnection"
    printf '\n[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\nForce=no\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    run mgmt-evidence
    expect_rc 0
    expect_out "mac 52:54:00:00:00:03 /etc/NetworkManager/system-connections/mgmt.nmconnection:5"
    expect_out "pci 0000:00:06.0 MAC 52:54:00:00:00:03 (from /etc/NetworkManager/system-connections/mgmt.nmconnection:5), which enp0s6 had on an earlier boot (/var/lib/dpdk-boot/nic-macs:1)"
    run plan
    expect_out "management FAILED"
}

test_verify_missing_mount() {
    fresh
    set_up_all
    sed -i '/pagesize=1024M/d' "$root/proc/mounts"
    generate
    run verify
    expect_rc 1
    expect_err "1G pages: no hugetlbfs mounted for this size (expected at /dev/hugepages1G); run 'systemctl start dev-hugepages1G.mount'"
    expect_no_err "2M pages"
}

test_verify_refused_device() {
    fresh
    set_up_all
    # The management NIC (no IOMMU group) named by address for vfio-pci: refused by the iommu
    # gate. It is in no datapath argument, so the datapath starts with the ports that passed:
    # verify says so, and passes.
    printf '\n[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    generate
    run verify
    expect_rc 0
    expect_err "0000:00:06.0 refused [iommu], the datapath runs without it: no IOMMU group for this device"
    expect_out "OK: 2 hugepage sizes and 2 devices as planned."
}

test_verify_refused_required_device() {
    fresh
    set_up_all
    # Required=yes: the port is all-or-nothing, so its refusal keeps the datapath down.
    printf '\n[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\nRequired=yes\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    generate
    run verify
    expect_rc 1
    expect_err "0000:00:06.0 refused [iommu] and its rule says Required=yes, so the datapath does not start without it"
}

test_verify_checks_the_plan_not_the_config() {
    fresh
    set_up_all
    generate
    # A device added to the config after the boot was planned is the next boot's business.
    printf '\n[Device]\nAddress=0000:00:07.0\nDriver=vfio-pci\n' >> "$root/etc/dpdk-boot/dpdk-boot.conf"
    run verify
    expect_rc 0
    expect_no_err "0000:00:07.0"
}

test_verify_no_port_passed() {
    fresh
    set_config <<'CONF'
[Device]
Address=0000:00:06.0
Driver=vfio-pci

[Datapath]
Preset=testpmd
Cores=1
CONF
    generate
    run verify
    expect_rc 1
    expect_err "none of the 1 device selected for the datapath passed the safety gates"
}

test_verify_without_plan() {
    fresh
    run verify
    expect_rc 1
    expect_err "No plan for this boot: /run/dpdk-boot/plan.json is missing."
}

test_verify_invalid_config() {
    fresh
    bad_config
    generate
    run verify
    expect_rc 1
    expect_err "dpdk-boot.conf:2: "
    expect_err "The configuration is invalid, nothing was set up"
}

# A bound device whose node never comes: verify waits for it, bounded, and names it.
test_verify_missing_vfio_node() {
    local t0 t1
    fresh
    set_up_all
    rm "$root/dev/vfio/5"
    generate
    export DPDK_BOOT_VFIO_TIMEOUT_SEC=0.5
    t0=$(date +%s%N)
    run verify
    t1=$(date +%s%N)
    expect_rc 1
    expect_err "Waited 0.5 s for the VFIO group nodes of the bound devices; still missing: /dev/vfio/5."
    expect_err "0000:00:05.0: /dev/vfio/5 is missing"
    expect_err "Verification failed: 1 problem."
    # it did wait, and for the 0.5 s asked, not the default 10 s (with room for valgrind's start)
    (((t1 - t0) >= 500000000 && (t1 - t0) < 8000000000)) || fail "verify took $(((t1 - t0) / 1000000)) ms"
}

# verify starts before the node is there: it waits for it and passes once it comes.
test_verify_vfio_node_appears() {
    fresh
    set_up_all
    rm "$root/dev/vfio/5"
    generate
    export DPDK_BOOT_VFIO_TIMEOUT_SEC=20
    (sleep 1 && : > "$root/dev/vfio/5") &
    run verify
    wait
    expect_rc 0
    expect_no_err "Waited"
    golden verify-after "$out"
}

# /dev/vfio itself is created late (vfio-pci's first group): watched for through /dev.
test_verify_vfio_dir_appears() {
    fresh
    set_up_all
    rm -r "$root/dev/vfio"
    generate
    export DPDK_BOOT_VFIO_TIMEOUT_SEC=20
    (sleep 1 && mkdir "$root/dev/vfio" && sleep 0.3 && : > "$root/dev/vfio/4" && : > "$root/dev/vfio/5") &
    run verify
    wait
    expect_rc 0
    expect_out "OK: 2 hugepage sizes and 2 devices as planned."
}

# Only the nodes of devices on vfio-pci are waited for: one on its kernel driver is reported
# at once, not after the timeout.
test_verify_no_wait_for_unbound() {
    local t0 t1
    fresh
    generate
    export DPDK_BOOT_VFIO_TIMEOUT_SEC=30
    t0=$(date +%s)
    run verify
    t1=$(date +%s)
    expect_rc 1
    expect_no_err "Waited"
    expect_err "0000:00:04.0: on virtio-pci, wanted vfio-pci"
    ((t1 - t0 < 10)) || fail "verify took $((t1 - t0)) s"
}

test_verify_bad_timeout() {
    fresh
    set_up_all
    generate
    export DPDK_BOOT_VFIO_TIMEOUT_SEC=soon
    run verify
    expect_rc 0
    expect_err "DPDK_BOOT_VFIO_TIMEOUT_SEC=soon is not a number of seconds (0-3600), waiting 10 s."
}

test_verify_partial_reserve() {
    fresh
    echo 1 >"$root/$(node1g 0)/.capacity"
    run reserve
    run bind 0000:00:04.0
    run bind 0000:00:05.0
    generate
    run verify
    expect_rc 1
    expect_err "1G pages on node 0: 1 reserved, 2 configured"
    expect_no_err "node 1"
    expect_no_err "0000:00:0"
}

test_verify_disabled() {
    fresh
    cmdline="dpdk=no"
    generate
    run verify
    expect_rc 0
    expect_out "Nothing to verify: disabled by dpdk=no."
}
