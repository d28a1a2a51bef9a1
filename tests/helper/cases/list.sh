# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: list. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

# A storage controller beside the NICs: list shows network-class functions only.
add_nvme() {
    local d=$root/sys/devices/pci0000:00/0000:00:08.0
    mkdir -p "$d"
    echo 0x144d >"$d/vendor"
    echo 0xa808 >"$d/device"
    echo 0x010802 >"$d/class"
    echo 0 >"$d/numa_node"
    ln -s ../../../devices/pci0000:00/0000:00:08.0 "$root/sys/bus/pci/devices/0000:00:08.0"
}

# valid_utf8_json: stdout is a JSON document in strict UTF-8.
valid_utf8_json() {
    python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))' <"$out" ||
        fail "list --json is not JSON in valid UTF-8"
}

test_list_json_inventory() {
    fresh
    add_nvme
    mkdir -p "$root/sys/module/e1000e" "$root/etc/network"
    ln -s ../../../../module/e1000e "$root/sys/bus/pci/drivers/e1000e/module"
    printf 'auto lo\niface lo inet loopback\n\nauto enp0s6\niface enp0s6 inet dhcp\n' >"$root/etc/network/interfaces"
    run list --json
    expect_rc 0
    valid_utf8_json
    jqe '.plan_state == "active" and ([.devices[].address] == ["0000:00:04.0","0000:00:05.0","0000:00:06.0","0000:00:07.0"])'
    jqe '.devices[0] | {address, id, class, model, driver, numa_node, iommu_group, interface} == {"address":"0000:00:04.0","id":"1af4:1000","class":"020000","model":"Red Hat, Inc. Virtio network device","driver":"virtio-pci","numa_node":0,"iommu_group":4,"interface":null}'
    jqe '.devices[0] | .rule == {"file":"/etc/dpdk-boot/dpdk-boot.conf","line":10,"match":"Address=0000:00:04.0"}'
    jqe '.devices[0] | .next_boot == {"action":"bind","driver":"vfio-pci"} and .eligible and .ineligible == null'
    jqe '.devices[1] | .interface == "ens5" and .numa_node == 1 and .rule.line == 14'
    # on the management path, named by the interfaces file: the evidence with its line
    jqe '.devices[2] | .driver == "e1000e" and .module == "e1000e" and .iommu_group == null and .interface == "enp0s6"'
    jqe '.devices[2].management == {"carries":true,"may_carry":false,"kind":"interface","value":"enp0s6","source":"/etc/network/interfaces:5","forced":false}'
    jqe '.devices[2] | .rule == null and .next_boot.action == "untouched" and .eligible == false and .ineligible.gate == "iommu"'
    # no rule selects it, and nothing stops vfio-pci from taking it
    jqe '.devices[3] | .rule == null and .next_boot == {"action":"untouched","driver":null} and .eligible and .management.carries == false'
    jqe '.devices[0].module == null'
}

# A rule takes the management NIC: the plan refuses it, and list says so with the gate's words;
# Force=yes lets it through, and list still shows the evidence.
test_list_management_refused() {
    fresh
    mkdir -p "$root/etc/network"
    printf 'auto ens5\niface ens5 inet dhcp\n' >"$root/etc/network/interfaces"
    run list --json
    expect_rc 0
    jqe '.devices[1] | .next_boot == {"action":"refused","driver":null} and .eligible == false'
    jqe '.devices[1].ineligible | .gate == "management" and (.reason | contains("interface \"ens5\", from /etc/network/interfaces:2"))'
    jqe '.devices[1].management | .carries and .source == "/etc/network/interfaces:2" and .forced == false'
    run list
    expect_rc 0
    expect_out 'refused [management]: it carries the management path (interface "ens5", from /etc/network/interfaces:2)'
    expect_out 'management: interface "ens5" from /etc/network/interfaces:2'
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[Device]\nAddress=0000:00:05.0\nDriver=vfio-pci\nForce=yes\n' >"$root/etc/dpdk-boot/conf.d/50-force.conf"
    run list --json
    jqe '.devices[1] | .next_boot.action == "bind" and .eligible and .management.forced and .rule.file == "/etc/dpdk-boot/conf.d/50-force.conf"'
}

# Evidence that could name any NIC (a NetworkManager keyfile that names no device, which it
# activates on any NIC): every network function may carry the management path, and list says
# so with the evidence; a name pattern is shown as a pattern.
test_list_management_may() {
    fresh
    mkdir -p "$root/etc/NetworkManager/system-connections" "$root/etc/systemd/network"
    printf '[connection]\nid=wired\ntype=ethernet\n' >"$root/etc/NetworkManager/system-connections/wired.nmconnection"
    printf '[Match]\nName=ens*\n' >"$root/etc/systemd/network/10-ens.network"
    run list --json
    expect_rc 0
    jqe '.devices[1].management == {"carries":true,"may_carry":false,"kind":"interface pattern","value":"ens*","source":"/etc/systemd/network/10-ens.network:2","forced":false}'
    jqe '.devices[3].management | .carries == false and .may_carry and .kind == "any" and .value == "/etc/NetworkManager/system-connections/wired.nmconnection" and (.source | startswith("an ethernet connection (line 3)"))'
    jqe '.devices[3].ineligible.gate == "management"'
    run list
    expect_rc 0
    expect_out 'management: interface pattern "ens*" from /etc/systemd/network/10-ens.network:2'
    grep -qE '^0000:00:07\.0 .* may +untouched' "$out" || fail "the MGMT column of 0000:00:07.0 is not \"may\""
    expect_out 'management may be: /etc/NetworkManager/system-connections/wired.nmconnection an ethernet connection (line 3)'
}

# What list says the next boot does is what the generator planned, device by device.
test_list_matches_generator() {
    fresh
    mkdir -p "$root/etc/network"
    printf 'auto ens5\niface ens5 inet dhcp\n' >"$root/etc/network/interfaces"
    generate
    run list --json
    expect_rc 0
    local want got
    want=$(jq -c '[.devices[] | {address, action: (if .refused then (if .left_out then "left-out" else "refused" end) elif .target == "" then "kernel-driver" else "bind" end), gate: .refused_by, file: .rule_file, line: .rule_line}]' \
        "$root/run/dpdk-boot/plan.json")
    got=$(jq -c '[.devices[] | select(.rule != null) | {address, action: .next_boot.action, gate: .ineligible.gate, file: .rule.file, line: .rule.line}]' "$out")
    [[ $want == "$got" ]] || fail "list differs from the generator's plan: $got, the plan: $want"
    [[ $want == *'"refused"'* ]] || fail "the case should have a refused device: $want"
}

test_list_disabled_and_text() {
    fresh
    cmdline="root=/dev/vda1 dpdk=no"
    run list --json
    expect_rc 0
    jqe '.plan_state == "disabled" and .plan == "disabled by dpdk=no" and ([.devices[].next_boot.action] | unique) == ["none"]'
    cmdline=
    run list
    expect_rc 0
    golden list "$out"
    # names the pci.ids does not give are numbers; a stray byte in a name stays valid UTF-8
    printf '8086  Intel \xff Corporation\n\t10d3  82574L\n' >"$root/usr/share/misc/pci.ids"
    run list --json
    valid_utf8_json
    jqe '.devices[0].model == "1af4:1000" and .devices[2].model == "Intel \ufffd Corporation 82574L"'
    run list extra
    expect_rc 1
    expect_err "Wrong number of arguments for 'list'"
}
