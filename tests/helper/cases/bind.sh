# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: bind. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

test_bind_happy() {
    fresh
    run bind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: bound to vfio-pci (was virtio-pci, no network interface)."
    expect_driver 0000:00:04.0 vfio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" vfio-pci
    expect_exists dev/vfio/4
    # The others are untouched.
    expect_driver 0000:00:05.0 virtio-pci
    expect_missing dev/vfio/5
}

test_bind_reports_netdev() {
    fresh
    run bind 0000:00:05.0
    expect_rc 0
    expect_err "0000:00:05.0: bound to vfio-pci (was virtio-pci, network interface ens5)."
    expect_exists dev/vfio/5
}

test_bind_idempotent() {
    fresh
    run bind 0000:00:04.0
    expect_rc 0
    run bind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: already bound to vfio-pci."
    expect_driver 0000:00:04.0 vfio-pci
}

test_bind_explicit_driver_short_address() {
    fresh
    run bind 00:07.0 vfio-pci
    expect_rc 0
    expect_err "0000:00:07.0: bound to vfio-pci (was virtio-pci, no network interface)."
    expect_exists dev/vfio/7
}

test_bind_already_there_pins_override() {
    fresh
    # Bound by hand, without an override: bind accepts it and pins it.
    ln -sfn ../../../bus/pci/drivers/vfio-pci "$root/sys/devices/pci0000:00/0000:00:07.0/driver"
    run bind 0000:00:07.0 vfio-pci
    expect_rc 0
    expect_err "0000:00:07.0: already bound to vfio-pci."
    expect_file "$(dev 0000:00:07.0)/driver_override" vfio-pci
}

test_bind_no_iommu_group() {
    fresh
    # The iommu gate refuses before anything is touched.
    run bind 0000:00:06.0 vfio-pci
    expect_rc 1
    expect_err "0000:00:06.0 refused [iommu]: no IOMMU group for this device, so vfio-pci cannot take it"
    expect_driver 0000:00:06.0 e1000e
    expect_file "$(dev 0000:00:06.0)/driver_override" "(null)"
}

test_bind_unbound_device_refused() {
    fresh
    # Unbound before, and vfio-pci cannot take it: refused, no override is left behind.
    rm "$root/sys/devices/pci0000:00/0000:00:06.0/driver"
    run bind 0000:00:06.0 vfio-pci
    expect_rc 1
    expect_err "0000:00:06.0 refused [iommu]: "
    expect_file "$(dev 0000:00:06.0)/driver_override" "(null)"
}

test_bind_no_vfio_node() {
    fresh
    # vfio-pci takes the device but its group node does not appear (the shim creates it under
    # dev/vfio; a file in the way makes that fail).
    rm -rf "${root:?}/dev/vfio"
    : >"$root/dev/vfio"
    run bind 0000:00:04.0
    expect_rc 1
    expect_err "0000:00:04.0: bound to vfio-pci, but /dev/vfio/4 does not exist."
    expect_err "0000:00:04.0: gave the device back to virtio-pci."
    expect_driver 0000:00:04.0 virtio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" "(null)"
}

test_bind_sriov_pf_refused() {
    fresh
    # A PF whose driver carries virtual functions: neither bound nor unbound without Force=yes,
    # and nothing is touched.
    echo 2 > "$root/$(dev 0000:00:05.0)/sriov_numvfs"
    run bind 0000:00:05.0 vfio-pci
    expect_rc 1
    expect_err "0000:00:05.0 refused [sriov]: it is an SR-IOV physical function carrying 2 virtual functions (sriov_numvfs); taking it off virtio-pci would destroy them"
    expect_driver 0000:00:05.0 virtio-pci
    expect_file "$(dev 0000:00:05.0)/driver_override" "(null)"
    run unbind 0000:00:05.0
    expect_rc 1
    expect_err "0000:00:05.0 refused [sriov]: "
    expect_driver 0000:00:05.0 virtio-pci
    # no virtual function left: taken as any device
    echo 0 > "$root/$(dev 0000:00:05.0)/sriov_numvfs"
    run bind 0000:00:05.0 vfio-pci
    expect_rc 0
    expect_driver 0000:00:05.0 vfio-pci
}
