# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: restore --all, --on-stop. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

# The fixture with an absent device and the no-IOMMU NIC (refused) also named for vfio-pci, both
# plan ports bound, and 0000:00:07.0 bound to vfio-pci by hand (not in the plan).
restore_all_fixture() {
    fresh
    sed -i 's/^MainCore=0$/&\nRestoreOnStop=yes/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    printf '\n[Device]\nAddress=0000:00:09.0\nDriver=vfio-pci\n\n[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n' \
        >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    run bind 0000:00:04.0
    expect_rc 0
    run bind 0000:00:05.0
    expect_rc 0
    run bind 0000:00:07.0 vfio-pci
    expect_rc 0
}

expect_all_restored() {
    expect_err "0000:00:04.0: restored to virtio-pci (was vfio-pci)."
    expect_err "0000:00:05.0: restored to virtio-pci (was vfio-pci)."
    expect_driver 0000:00:04.0 virtio-pci
    expect_driver 0000:00:05.0 virtio-pci
    expect_file "$(dev 0000:00:04.0)/driver_override" "(null)"
    expect_missing dev/vfio/4
    expect_missing dev/vfio/5
    # Not a port of the plan (bound by hand), refused, or absent: not touched, not named.
    expect_driver 0000:00:07.0 vfio-pci
    expect_file "$(dev 0000:00:07.0)/driver_override" vfio-pci
    expect_driver 0000:00:06.0 e1000e
    expect_no_err "0000:00:07.0"
    expect_no_err "0000:00:06.0"
    expect_no_err "0000:00:09.0"
}

test_restore_all() {
    restore_all_fixture
    # --all is not --on-stop: SERVICE_RESULT does not matter to it.
    SERVICE_RESULT=exit-code run restore --all
    expect_rc 0
    expect_all_restored
    run restore --all
    expect_rc 0
    expect_err "0000:00:04.0: already on its kernel driver virtio-pci."
}

test_restore_on_stop() {
    restore_all_fixture
    SERVICE_RESULT=exit-code run restore --on-stop
    expect_rc 0
    expect_err "The datapath stopped with result 'exit-code', not by a stop: the ports stay bound for its restart."
    expect_no_err "restored"
    expect_driver 0000:00:04.0 vfio-pci
    expect_driver 0000:00:05.0 vfio-pci
    expect_exists dev/vfio/4
    SERVICE_RESULT=success run restore --on-stop
    expect_rc 0
    expect_all_restored
}

# As the datapath's ExecStopPost= runs it: the ports of this boot's plan, even when the config
# changed since; RestoreOnStop= is the unit's business (it has the line or not).
test_restore_on_stop_from_plan() {
    restore_all_fixture
    generate
    sed -i '/^Address=0000:00:05.0$/,/^$/d' "$root/etc/dpdk-boot/dpdk-boot.conf"
    SERVICE_RESULT=success run restore --on-stop --from-plan
    expect_rc 0
    expect_all_restored
    run restore --from-plan 0000:00:04.0
    expect_rc 1
    expect_err "restore --from-plan applies to --all"
}

test_restore_all_usage() {
    restore_all_fixture
    run restore
    expect_rc 1
    expect_err "'restore' takes a device address or --all, one of them."
    run restore --all 0000:00:04.0
    expect_rc 1
    expect_err "'restore' takes a device address or --all, one of them."
    run restore --on-stop 0000:00:04.0
    expect_rc 1
    expect_err "'restore' takes a device address or --all, one of them."
    run bind --all 0000:00:04.0
    expect_rc 1
    expect_err "bind --all binds every device of this boot's plan: use it with --from-plan and no device."
    run unbind --all 0000:00:04.0
    expect_rc 1
    expect_err "--all only applies to 'restore' and 'bind --from-plan'."
    run bind --on-stop 0000:00:04.0
    expect_rc 1
    expect_err "--on-stop only applies to 'restore'."
    run --dry-run grant
    expect_rc 1
    expect_err "--dry-run only applies to 'kargs' and 'ovs-setup'."
    # Nothing was touched.
    expect_driver 0000:00:04.0 vfio-pci
    expect_driver 0000:00:05.0 vfio-pci
}

test_restore_all_disabled() {
    restore_all_fixture
    cmdline="dpdk=no"
    run restore --all
    expect_rc 0
    expect_err "No ports to restore: the plan binds nothing."
    expect_driver 0000:00:04.0 vfio-pci
}
