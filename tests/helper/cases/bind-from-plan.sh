# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: bind --from-plan: what the bind unit runs. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

test_bind_from_plan_happy() {
    fresh
    generate
    run bind --from-plan 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: bound to vfio-pci (was virtio-pci, no network interface)."
    expect_driver 0000:00:04.0 vfio-pci
    expect_driver 0000:00:05.0 virtio-pci
}

test_bind_from_plan_without_plan() {
    fresh
    run bind --from-plan 0000:00:04.0
    expect_rc 1
    expect_err "No plan for this boot: /run/dpdk-boot/plan.json is missing. The generator writes it at boot"
    expect_driver 0000:00:04.0 virtio-pci
}

test_bind_from_plan_follows_the_plan_not_the_config() {
    fresh
    generate
    # Changed after the boot was planned: this boot still does what its plan says.
    sed -i 's/^Driver=vfio-pci/Driver=uio_pci_generic/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run bind --from-plan 0000:00:04.0
    expect_rc 0
    expect_driver 0000:00:04.0 vfio-pci
}

test_bind_from_plan_not_in_plan() {
    fresh
    generate
    run bind --from-plan 0000:00:07.0
    expect_rc 1
    expect_err "0000:00:07.0: not in this boot's plan"
    expect_driver 0000:00:07.0 virtio-pci
}

test_bind_from_plan_refused() {
    fresh
    set_config <<'CONF'
[Device]
Address=0000:00:06.0
Driver=vfio-pci
CONF
    generate
    run bind --from-plan 0000:00:06.0
    expect_rc 1
    expect_err "0000:00:06.0 refused [iommu]: no IOMMU group for this device"
    expect_driver 0000:00:06.0 e1000e
    expect_file "$(dev 0000:00:06.0)/driver_override" "(null)"
}

test_bind_from_plan_rechecks_live_routes() {
    fresh
    generate
    # The default route came up on ens5 after the boot was planned.
    mkdir -p "$root/proc/net"
    printf 'Iface\tDestination\tGateway\tFlags\nens5\t00000000\t0101A8C0\t0003\n' >"$root/proc/net/route"
    run bind --from-plan 0000:00:05.0
    expect_rc 1
    expect_err "0000:00:05.0 refused [management]: its interface ens5 carries the management path now (the IPv4 default route)"
    expect_driver 0000:00:05.0 virtio-pci
}

# A BindGroup= member is gated against the live routes too, before anything of the group moves.
test_bind_from_plan_rechecks_live_routes_of_group_members() {
    fresh
    rm "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../kernel/iommu_groups/4 "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../../devices/pci0000:00/0000:00:07.0 "$root/sys/kernel/iommu_groups/4/devices/0000:00:07.0"
    mkdir -p "$root/sys/devices/pci0000:00/0000:00:07.0/net/ens7" "$root/etc/dpdk-boot/conf.d"
    printf '\n[Device]\nAddress=0000:00:04.0\nDriver=vfio-pci\nBindGroup=yes\n' >"$root/etc/dpdk-boot/conf.d/25-group.conf"
    generate
    mkdir -p "$root/proc/net"
    printf 'Iface\tDestination\tGateway\tFlags\nens7\t00000000\t0101A8C0\t0003\n' >"$root/proc/net/route"
    run bind --from-plan 0000:00:04.0
    expect_rc 1
    expect_err "0000:00:07.0 refused [management]: its interface ens7 carries the management path now"
    expect_driver 0000:00:07.0 virtio-pci
    expect_driver 0000:00:04.0 virtio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" "(null)"
}

# What the bind unit runs: every device of the plan in one process.
test_bind_from_plan_all() {
    fresh
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_err "0000:00:04.0: bound to vfio-pci (was virtio-pci, no network interface)."
    expect_err "0000:00:05.0: bound to vfio-pci (was virtio-pci"
    expect_err "2 devices of this boot's plan bound."
    expect_driver 0000:00:04.0 vfio-pci
    expect_driver 0000:00:05.0 vfio-pci
    expect_driver 0000:00:07.0 virtio-pci
    # Again: nothing to move, nothing fails.
    run bind --from-plan --all
    expect_rc 0
    expect_err "0000:00:04.0: already bound to vfio-pci."
}

# A device the plan refused is named and left alone; one that fails does not stop the others,
# and the unit fails.
test_bind_from_plan_all_refused_and_failed() {
    fresh
    set_config <<'CONF'
[Device]
Address=0000:00:04.0
Driver=vfio-pci

[Device]
Address=0000:00:05.0
Driver=vfio-pci

[Device]
Address=0000:00:06.0
Driver=vfio-pci
CONF
    generate
    # The default route came up on ens5 after the boot was planned.
    mkdir -p "$root/proc/net"
    printf 'Iface\tDestination\tGateway\tFlags\nens5\t00000000\t0101A8C0\t0003\n' >"$root/proc/net/route"
    run bind --from-plan --all
    expect_rc 1
    expect_err "0000:00:06.0 refused [iommu]: no IOMMU group for this device"
    expect_err "0000:00:05.0 refused [management]: its interface ens5 carries the management path now"
    expect_err "0000:00:04.0: bound to vfio-pci"
    expect_err "1 of 2 devices of this boot's plan could not be bound; 'dpdk-boot status' shows them."
    expect_driver 0000:00:04.0 vfio-pci
    expect_driver 0000:00:05.0 virtio-pci
    expect_driver 0000:00:06.0 e1000e
}

# A plan that binds nothing is no failure of the unit; without a plan it says what to run.
test_bind_from_plan_all_nothing() {
    fresh
    run bind --from-plan --all
    expect_rc 1
    expect_err "No plan for this boot: /run/dpdk-boot/plan.json is missing."
    cmdline="dpdk=no"
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_err "This boot's plan binds nothing (disabled by dpdk=no"
    expect_driver 0000:00:04.0 virtio-pci
}

test_bind_from_plan_takes_no_driver() {
    fresh
    generate
    run bind --from-plan 0000:00:04.0 uio_pci_generic
    expect_rc 1
    expect_err "bind --from-plan takes the device only"
}

test_bind_not_in_config() {
    fresh
    run bind 0000:00:07.0
    expect_rc 1
    expect_err "0000:00:07.0: not in the configuration"
    expect_driver 0000:00:07.0 virtio-pci
    expect_file "$(dev 0000:00:07.0)/driver_override" "(null)"
}

test_bind_bad_address() {
    fresh
    run bind 0000:00:zz.0 vfio-pci
    expect_rc 1
    expect_err "'0000:00:zz.0' is not a PCI address"
    run bind 0000:00:09.0 vfio-pci
    expect_rc 1
    expect_err "0000:00:09.0: no such PCI device."
}

test_bind_driver_missing() {
    fresh
    run bind 0000:00:07.0 uio_pci_generic
    expect_rc 1
    expect_err "0000:00:07.0: driver uio_pci_generic is not available in this tree."
    # Never unbound for a driver that cannot take it.
    expect_driver 0000:00:07.0 virtio-pci
    expect_file "$(dev 0000:00:07.0)/driver_override" "(null)"
}

# A module tree for this kernel under the root turns on the libkmod path (as a dry run).
kmod_tree() {
    mkdir -p "$root/lib/modules/$(uname -r)" "$root/etc/modprobe.d"
}

test_bind_vfio_variant() {
    fresh
    kmod_tree
    # A variant driver declares "vfio_" + the device's modalias; it wins over vfio-pci.
    echo 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_vfio_pci' >"$root/etc/modprobe.d/variant.conf"
    mkdir -p "$root/sys/module/virtio_vfio_pci/drivers/pci:virtio-vfio-pci" \
        "$root/sys/bus/pci/drivers/virtio-vfio-pci"
    : >"$root/sys/bus/pci/drivers/virtio-vfio-pci/unbind"
    run bind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: using virtio-vfio-pci, the vfio-pci variant driver for this device."
    expect_err "0000:00:04.0: bound to virtio-vfio-pci (was virtio-pci, no network interface)."
    expect_driver 0000:00:04.0 virtio-vfio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" virtio-vfio-pci
    expect_exists dev/vfio/4
    # The variant counts as vfio-pci for the plan.
    run bind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: already bound to virtio-vfio-pci."
}

test_bind_module_not_found() {
    fresh
    kmod_tree
    run bind 0000:00:07.0 uio_pci_generic
    expect_rc 1
    expect_err "0000:00:07.0 refused [driver]: no kernel module provides uio_pci_generic for this kernel"
    expect_driver 0000:00:07.0 virtio-pci
}

test_bind_module_deny_listed() {
    fresh
    kmod_tree
    printf 'alias uio_pci_generic uio_pci_generic\nblacklist uio_pci_generic\n' >"$root/etc/modprobe.d/deny.conf"
    run bind 0000:00:07.0 uio_pci_generic
    expect_rc 1
    expect_err "0000:00:07.0 refused [driver]: module uio_pci_generic is deny-listed"
    expect_driver 0000:00:07.0 virtio-pci
}

test_restore() {
    fresh
    run bind 0000:00:04.0
    expect_rc 0
    run restore 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: restored to virtio-pci (was vfio-pci)."
    expect_driver 0000:00:04.0 virtio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" "(null)"
    expect_missing dev/vfio/4
    run restore 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: already on its kernel driver virtio-pci."
}

test_unbind() {
    fresh
    run unbind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: unbound from virtio-pci."
    expect_driver 0000:00:04.0 -
    expect_file "$(dev 0000:00:04.0)/driver_override" "(null)"
    run unbind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: already without a driver."
    # The management NIC, named in the network configuration: refused, left on its driver.
    mkdir -p "$root/etc/systemd/network"
    printf '[Match]\nName=enp0s6\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/10-mgmt.network"
    run unbind 0000:00:06.0
    expect_rc 1
    expect_err "0000:00:06.0 refused [management]: it carries the management path"
    expect_driver 0000:00:06.0 e1000e
    # An absent device: nothing written.
    run unbind 0000:00:09.0
    expect_rc 1
    expect_err "0000:00:09.0: no such PCI device."
}

test_restore_no_kernel_driver() {
    fresh
    rm "$root/$(dev 0000:00:07.0)/.default_driver"
    run bind 0000:00:07.0 vfio-pci
    expect_rc 0
    run restore 0000:00:07.0
    expect_rc 0
    expect_err "0000:00:07.0: no kernel driver claimed the device; it is unbound (was vfio-pci)."
    expect_driver 0000:00:07.0 -
}

test_bind_kernel_target() {
    fresh
    run bind 0000:00:04.0
    expect_rc 0
    # Driver= empty: the config gives the device back to the kernel.
    sed -i '/Address=0000:00:04.0/{n;s/.*/Driver=/}' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run bind 0000:00:04.0
    expect_rc 0
    expect_err "0000:00:04.0: restored to virtio-pci (was vfio-pci)."
    expect_driver 0000:00:04.0 virtio-pci
}
