# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: set-override, unset-override, list-overrides. Sourced;
# the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

ovr=etc/dpdk-boot/conf.d/90-override-0000:00:07.0.conf

# The round trip: set (bound now, a drop-in for every boot), list, the plan and the generator
# take it, unset (the drop-in gone, the device back on its kernel driver), list again.
test_override_round_trip() {
    fresh
    run set-override 00:07.0 vfio-pci
    expect_rc 0
    expect_driver 0000:00:07.0 vfio-pci
    expect_exists "$ovr"
    [[ ! -e /$ovr ]] || fail "/$ovr written outside the tree"
    grep -qx 'Address=0000:00:07.0' "$root/$ovr" || fail "$ovr lacks the address: $(cat "$root/$ovr")"
    grep -qx 'Driver=vfio-pci' "$root/$ovr" || fail "$ovr lacks the driver: $(cat "$root/$ovr")"
    [[ $(stat -c %a "$root/$ovr") == 644 ]] || fail "$ovr has mode $(stat -c %a "$root/$ovr")"
    # nothing left beside it: the temporary file was renamed
    [[ $(find "$root/etc/dpdk-boot/conf.d" -type f | wc -l) == 1 ]] || fail "stray files: $(ls -a "$root/etc/dpdk-boot/conf.d")"
    run list-overrides
    expect_rc 0
    [[ $(cat "$out") == "0000:00:07.0 vfio-pci" ]] || fail "list-overrides: $(cat "$out")"
    run check
    expect_rc 0
    run plan --json
    jqe '.devices[] | select(.address == "0000:00:07.0") | .target == "vfio-pci" and .rule_file == "/etc/dpdk-boot/conf.d/90-override-0000:00:07.0.conf"'
    generate
    jq -e '.devices[] | select(.address == "0000:00:07.0") | .target == "vfio-pci"' "$root/run/dpdk-boot/plan.json" >/dev/null ||
        fail "the generator's plan lacks the override"
    run list --json
    jqe '.devices[3] | .next_boot == {"action":"bind","driver":"vfio-pci"} and .rule.file == "/etc/dpdk-boot/conf.d/90-override-0000:00:07.0.conf"'

    run unset-override 0000:00:07.0
    expect_rc 0
    expect_missing "$ovr"
    expect_driver 0000:00:07.0 virtio-pci
    run list-overrides
    expect_rc 0
    [[ ! -s $out ]] || fail "list-overrides after unset: $(cat "$out")"
    run plan --json
    jqe '[.devices[].address] | index("0000:00:07.0") == null'
    run unset-override 0000:00:07.0
    expect_rc 1
    expect_err "0000:00:07.0: no override"
}

# The management gate refuses: nonzero, nothing persisted, the device untouched.
test_override_refused_not_persisted() {
    fresh
    mkdir -p "$root/etc/network"
    printf 'auto ens5\niface ens5 inet dhcp\n' >"$root/etc/network/interfaces"
    run set-override 0000:00:05.0 vfio-pci
    expect_rc 1
    expect_err "refused [management]"
    expect_err "not persisting the override"
    expect_missing etc/dpdk-boot/conf.d/90-override-0000:00:05.0.conf
    expect_driver 0000:00:05.0 virtio-pci
    # --noapply runs the same gates
    run --noapply set-override 0000:00:05.0 vfio-pci
    expect_rc 1
    expect_missing etc/dpdk-boot/conf.d/90-override-0000:00:05.0.conf
    # no IOMMU group: refused too
    run set-override 0000:00:06.0 vfio-pci
    expect_rc 1
    expect_err "[iommu]"
    expect_missing etc/dpdk-boot/conf.d/90-override-0000:00:06.0.conf
}

# --noapply only persists; "" is the kernel's own driver and wins over the main file's rule.
test_override_noapply_and_kernel_driver() {
    fresh
    run set-override --noapply 0000:00:07.0 vfio-pci
    expect_rc 0
    expect_exists "$ovr"
    expect_driver 0000:00:07.0 virtio-pci
    run bind 0000:00:04.0
    expect_rc 0
    expect_driver 0000:00:04.0 vfio-pci
    run set-override 0000:00:04.0 ''
    expect_rc 0
    expect_driver 0000:00:04.0 virtio-pci
    grep -qx 'Driver=' "$root/etc/dpdk-boot/conf.d/90-override-0000:00:04.0.conf" || fail "no empty Driver="
    run list-overrides
    [[ $(cat "$out") == $'0000:00:04.0 ""\n0000:00:07.0 vfio-pci' ]] || fail "list-overrides: $(cat "$out")"
    run plan --json
    jqe '.devices[] | select(.address == "0000:00:04.0") | .target == "" and (.rule_file | endswith("90-override-0000:00:04.0.conf"))'
    # unset: the main file's rule again, applied now
    run unset-override 0000:00:04.0
    expect_rc 0
    expect_driver 0000:00:04.0 vfio-pci
    run unset-override --noapply 0000:00:07.0
    expect_rc 0
    expect_missing "$ovr"
}

# A drop-in that sorts after the override decides instead; list-overrides and set-override say so.
test_override_shadowed_and_bad_input() {
    fresh
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[Device]\nAddress=0000:00:07.0\nDriver=\n' >"$root/etc/dpdk-boot/conf.d/95-site.conf"
    run set-override 0000:00:07.0 vfio-pci
    expect_rc 0
    expect_err "/etc/dpdk-boot/conf.d/95-site.conf:1 comes later and decides this device"
    run list-overrides
    expect_out "0000:00:07.0 (not in effect: /etc/dpdk-boot/conf.d/90-override-0000:00:07.0.conf is overridden by /etc/dpdk-boot/conf.d/95-site.conf:1)"
    run set-override 0000:00:07.0 igb
    expect_rc 1
    expect_err "Driver 'igb': expected vfio-pci"
    run set-override 0000:00:1f.0 vfio-pci
    expect_rc 1
    expect_err "no such PCI device"
    run set-override nonsense vfio-pci
    expect_rc 1
    run --noapply status
    expect_rc 1
    expect_err "--noapply only applies to"
}

# An invalid configuration: unset-override removes the drop-in but touches no device, as a boot
# with that configuration would not.
test_override_unset_invalid_config() {
    fresh
    run set-override 0000:00:07.0 vfio-pci
    expect_rc 0
    expect_driver 0000:00:07.0 vfio-pci
    bad_config
    run unset-override 0000:00:07.0
    expect_rc 1
    expect_err "the configuration is invalid, leaving the device as it is"
    expect_missing "$ovr"
    expect_driver 0000:00:07.0 vfio-pci
}
