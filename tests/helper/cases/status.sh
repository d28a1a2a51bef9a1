# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: status. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

# With a hwdb.bin in the tree, names come from it (udev's keys), not from pci.ids; a device the
# hwdb does not know shows its numbers.
test_status_names_hwdb() {
    fresh
    mkdir -p "$root/etc/udev/hwdb.d"
    printf '%s\n' 'pci:v00001AF4*' ' ID_VENDOR_FROM_DATABASE=Red Hat, Inc. (hwdb)' '' \
        'pci:v00001AF4d00001000*' ' ID_MODEL_FROM_DATABASE=Virtio network device (hwdb)' \
        > "$root/etc/udev/hwdb.d/20-test.hwdb"
    systemd-hwdb --root="$root" update
    run status --json
    jqe '.devices[0].name == "Red Hat, Inc. (hwdb) Virtio network device (hwdb)"'
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n' > "$root/etc/dpdk-boot/conf.d/50-e1000e.conf"
    run status --json
    jqe '.devices[] | select(.address == "0000:00:06.0") | .name == "8086:10d3"'
}

test_status_json_before() {
    fresh
    run status --json
    expect_rc 1
    jqe '.enabled == true and .disabled_by == null and .state == "active" and .ok == false'
    jqe '.config.ok == true and .config.files == ["/etc/dpdk-boot/dpdk-boot.conf"] and .config.errors == []'
    jqe '[.hugepages[].size] == ["2M", "1G"]'
    jqe '.hugepages[1] | .size_kb == 1048576 and .requested == 4 and .reserved == 0 and .free == 0'
    jqe '.hugepages[1].nodes == [{"node":0,"requested":2,"reserved":0,"free":0},{"node":1,"requested":2,"reserved":0,"free":0}]'
    jqe '.hugepages[0] | .requested == 256 and (.nodes | map(.requested) == [null, null])'
    jqe '.devices | length == 2'
    jqe '.devices[0] | {address, name, numa_node, iommu_group, driver, target, ok} == {"address":"0000:00:04.0","name":"Red Hat, Inc. Virtio network device","numa_node":0,"iommu_group":4,"driver":"virtio-pci","target":"vfio-pci","ok":false}'
    jqe '.devices[0] | .rule == "Address=0000:00:04.0" and .refused == false and .left_out == false and .gates.iommu == "pass"'
    jqe '.warnings == []'
    jqe '.devices[1] | .numa_node == 1 and .iommu_group == 5 and .ok == false'
    jqe '.datapath | {unit, preset, active_state} == {"unit":"dpdk-boot-datapath.service","preset":"testpmd","active_state":"unknown"}'
    # the fixture's two nodes each have a port: TripleO's 2048 MB on both, from the plan
    jqe '.datapath | .lcores == "0,2-3" and .main_core == 0 and .workers == "2-3" and .cores_per_port == null'
    jqe '.datapath | .mtu == 1500 and .socket_mem == [2048, 2048] and .socket_mem_source == "derived"'
    jqe '.cpu == {"isolation":false,"derived":false,"housekeeping_per_node":null,"isolated":"","housekeeping":""}'
    jqe '[.devices[].pmd_cores] == ["", ""] and .hugepages[1].placement == "kernel"'
    jqe '.problems | any(startswith("0000:00:04.0: on virtio-pci, wanted vfio-pci"))'
    jqe '.problems | any(startswith("2M pages: 0 reserved, 256 configured"))'
    # no generator ran: no plan for this boot, and that is a problem
    jqe '.boot_plans.root | .present == false and .state == null and .path == "/run/dpdk-boot/plan.json"'
    jqe '.problems | any(startswith("no plan for this boot (/run/dpdk-boot/plan.json)"))'
}

test_status_boot_plans() {
    fresh
    set_up_all
    # the initramfs planned too: its plan stays beside the real root's
    mkdir -p "$work/generated-initrd"
    SYSTEMD_IN_INITRD=1 DPDK_BOOT_ROOT="$root" "$DPDK_BOOT_GENERATOR" "$work/generated-initrd" 2>/dev/null
    run status --json
    expect_rc 0
    jqe '.boot_plans.root | .present and .state == "active" and .ports == 2 and .refused == 0 and .differs == null'
    jqe '.boot_plans.initramfs | .present and .path == "/run/dpdk-boot/initrd-plan.json" and .state == "active"'
    # the configuration changed after the boot was planned: said, with the first difference
    sed -i '0,/^Driver=vfio-pci/s//Driver=uio_pci_generic/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run status
    expect_out "Boot plan: /run/dpdk-boot/plan.json: active, 2 ports, 0 refused"
    expect_out "           /run/dpdk-boot/initrd-plan.json: active, 2 ports, 0 refused"
    expect_out "the configuration changed since: 0000:00:04.0: vfio-pci this boot, uio_pci_generic with the configuration now"
}

test_status_up() {
    fresh
    set_up_all
    run status --json
    expect_rc 0
    jqe '.ok == true and .problems == []'
    jqe '.hugepages[1] | .reserved == 4 and .free == 4 and (.nodes | map(.reserved) == [2, 2])'
    jqe '.hugepages[0] | .reserved == 256 and .free == 256 and (.nodes | map(.reserved) == [128, 128])'
    jqe '[.devices[] | .driver == "vfio-pci" and .ok] == [true, true]'
    run status
    expect_rc 0
    golden status-up "$out"
}

test_status_not_up() {
    fresh
    generate
    run reserve
    run status
    expect_rc 1
    golden status-not-up "$out"
}

test_status_invalid() {
    fresh
    bad_config
    run status --json
    expect_rc 2
    jqe '.state == "invalid" and .enabled == true and .ok == false and .config.ok == false'
    jqe '.config.errors | length >= 3'
    jqe '.config.errors | any(startswith("/etc/dpdk-boot/dpdk-boot.conf:6: "))'
    # A quote inside a message must come out escaped and parse back unchanged.
    jqe '.config.errors | any(contains("got \"Speed: fast\""))'
    jqe '.problems[0] == "the configuration has \(.config.errors | length) errors; run '"'dpdk-boot check'"'"'
}

test_status_disabled() {
    fresh
    cmdline="root=/dev/vda1 dpdk=no"
    run status --json
    expect_rc 3
    jqe '.state == "disabled" and .enabled == false and .disabled_by == "dpdk=no" and .ok == false'
    run status
    expect_rc 3
    expect_out "State:     disabled by dpdk=no"
}

test_status_no_config() {
    fresh
    rm "$root/etc/dpdk-boot/dpdk-boot.conf"
    run status --json
    expect_rc 3
    jqe '.state == "no-config" and .enabled == false and .disabled_by == null and .config.files == []'
}
