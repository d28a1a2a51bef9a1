#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-helper.sh DPDK_BOOT FAKEKERNEL_SO GROUP [UNITDIR]
#
# DPDK_BOOT_GENERATOR names the generator, which `generate` runs as at boot: it leaves the plan
# in the tree's /run/dpdk-boot, which the unit verbs (bind --from-plan) execute.
# Runs the real dpdk-boot binary against a fixture tree (mkfixture.sh) with the fakekernel shim
# preloaded, which plays the kernel's side of sysfs writes. Each case builds a fresh tree, runs
# commands, and checks exit codes, messages and the files the kernel side changed. Where output
# is stable it is compared with golden/<name>.out (the fixture path shows as @ROOT@,
# the unit directory as @UNITDIR@).
#
# Regenerate the goldens with:  UPDATE=1 meson test -C build --suite helper
# and review the diff before committing it. HELPER_WRAP="valgrind ..." runs every dpdk-boot
# command under that wrapper (meson registers the bind and status groups so, when valgrind is
# installed). SANITIZER_PRELOAD (an ASan runtime) goes first in LD_PRELOAD, before the shim, as
# ASan requires; meson sets it in a -Db_sanitize=address build.
set -euo pipefail

DPDK_BOOT=${1:?usage: test-helper.sh DPDK_BOOT FAKEKERNEL_SO GROUP}
SHIM=${2:?}
GROUP=${3:?}
UNITDIR=${4:-/nonexistent}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# restore --on-stop reads it; the cases set it themselves.
unset SERVICE_RESULT

root=
cmdline=
rc=0
out=$work/out
err=$work/err

H1G=sys/kernel/mm/hugepages/hugepages-1048576kB
H2M=sys/kernel/mm/hugepages/hugepages-2048kB
node1g() { echo "sys/devices/system/node/node$1/hugepages/hugepages-1048576kB"; }
dev() { echo "sys/bus/pci/devices/$1"; }

# A fresh copy of the fixture tree for each case (built once: forks are the slow part).
fresh() {
    [[ -d $work/template ]] || "$here/mkfixture.sh" "$work/template"
    root=$work/root
    rm -rf "$root"
    cp -a "$work/template" "$root"
    cmdline=
}

# run ARGS...: the helper as a unit would run it; sets $rc, fills $out and $err.
run() {
    local env=(DPDK_BOOT_ROOT="$root" SYSTEMD_IN_INITRD=0 DPDK_BOOT_LOG_LEVEL=info
        TMPDIR="$work/tmp" LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD:}$SHIM")
    [[ -z $cmdline ]] || env+=(SYSTEMD_PROC_CMDLINE="$cmdline")
    mkdir -p "$work/tmp"
    rc=0
    # shellcheck disable=SC2086 # HELPER_WRAP is a command line, e.g. "valgrind -q ..."
    env -u JOURNAL_STREAM -u NO_COLOR "${env[@]}" ${HELPER_WRAP:-} "$DPDK_BOOT" "$@" >"$out" 2>"$err" || rc=$?
}

# generate: the generator on the tree, with run()'s environment, as at boot.
generate() {
    local env=(DPDK_BOOT_ROOT="$root" SYSTEMD_IN_INITRD=0 DPDK_BOOT_LOG_LEVEL=info)
    [[ -z $cmdline ]] || env+=(SYSTEMD_PROC_CMDLINE="$cmdline")
    rm -rf "$work/generated"
    mkdir -p "$work/generated"
    env "${env[@]}" "${DPDK_BOOT_GENERATOR:?DPDK_BOOT_GENERATOR names the generator}" "$work/generated" \
        2>"$work/generator.log" || fail "the generator failed: $(cat "$work/generator.log")"
}

fail() {
    echo "FAIL: $*" >&2
    echo "--- stdout:" >&2
    cat "$out" >&2
    echo "--- stderr:" >&2
    cat "$err" >&2
    exit 1
}

expect_rc() {
    [[ $rc == "$1" ]] || fail "exit status $rc, expected $1"
}

expect_out() {
    grep -qF -- "$1" "$out" || fail "stdout lacks: $1"
}

expect_err() {
    grep -qF -- "$1" "$err" || fail "stderr lacks: $1"
}

expect_no_err() {
    ! grep -qF -- "$1" "$err" || fail "stderr has: $1"
}

expect_file() { # PATH CONTENT (first line)
    local got
    got=$(head -n1 "$root/$1" 2>/dev/null) || fail "$1 does not exist"
    [[ $got == "$2" ]] || fail "$1 is '$got', expected '$2'"
}

expect_exists() {
    [[ -e $root/$1 ]] || fail "$1 does not exist"
}

expect_missing() {
    [[ ! -e $root/$1 && ! -L $root/$1 ]] || fail "$1 exists"
}

expect_driver() { # BDF DRIVER|-
    local link
    link=$root/$(dev "$1")/driver
    if [[ $2 == - ]]; then
        [[ ! -L $link ]] || fail "$1 is bound to $(basename "$(readlink "$link")")"
        return 0
    fi
    [[ -L $link ]] || fail "$1 is unbound, expected $2"
    [[ $(basename "$(readlink "$link")") == "$2" ]] ||
        fail "$1 is on $(basename "$(readlink "$link")"), expected $2"
}

# jqe FILTER: the filter must be true on stdout.
jqe() {
    jq -e "$1" "$out" >/dev/null || fail "jq: $1 is not true (got: $(jq -c "${1%%==*}" "$out" 2>&1))"
}

golden() { # NAME FILE
    local want=$here/golden/$1.out got=$work/golden.$1
    sed -e "s|$root|@ROOT@|g" -e "s|$UNITDIR/|@UNITDIR@/|g" "$2" >"$got"
    if [[ ${UPDATE:-} == 1 ]]; then
        cp "$got" "$want"
        echo "updated golden/$1.out"
        return 0
    fi
    [[ -f $want ]] || fail "no golden/$1.out; run with UPDATE=1"
    diff -u "$want" "$got" >&2 || fail "output differs from golden/$1.out"
}

set_config() {
    cat >"$root/etc/dpdk-boot/dpdk-boot.conf"
}

bad_config() {
    set_config <<'CONF'
[Hugepages]
Size=3M
Count=4

[Device]
Address=0000:00:zz.0
Driver=vfio-pci
Speed: fast
CONF
}

# Everything the plan asks for, done: the boot planned, then its steps.
set_up_all() {
    generate
    run reserve
    expect_rc 0
    run bind 0000:00:04.0
    expect_rc 0
    run bind 0000:00:05.0
    expect_rc 0
}

# --- reserve

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

# --- bind

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

# --- bind --from-plan: what the bind unit runs

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

# --- verify

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

# --- check

test_check_good() {
    fresh
    run check
    expect_rc 0
    golden check-good "$out"
}

test_check_bad() {
    fresh
    bad_config
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:2:"
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:6:"
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:8:"
    golden check-bad "$err"
}

test_check_derived() {
    fresh
    # HousekeepingPerNode= with Isolate= in a drop-in: one error naming both places
    printf '[Datapath]\nPreset=testpmd\nCoresPerPort=2\n\n[CPU]\nHousekeepingPerNode=1\n' \
        >"$root/etc/dpdk-boot/dpdk-boot.conf"
    run check
    expect_rc 0
    expect_out "datapath testpmd on cores 2 per port."
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[CPU]\nIsolate=2-3\n' >"$root/etc/dpdk-boot/conf.d/50-cpu.conf"
    run check
    expect_rc 1
    expect_err "/etc/dpdk-boot/dpdk-boot.conf:6: HousekeepingPerNode= derives the isolated and housekeeping CPUs itself, so it does not go with Isolate= (/etc/dpdk-boot/conf.d/50-cpu.conf:2)"
}

test_check_file() {
    fresh
    printf '[Device]\nAddress=0000:00:04.0\nDriver=e1000\n' >"$root/etc/dpdk-boot/other.conf"
    run check /etc/dpdk-boot/other.conf
    expect_rc 1
    expect_err "/etc/dpdk-boot/other.conf:3: Driver=e1000"
    run check /etc/dpdk-boot/dpdk-boot.conf
    expect_rc 0
    expect_out "OK: /etc/dpdk-boot/dpdk-boot.conf"
}

test_check_relative_file() {
    fresh
    cd "$root/etc/dpdk-boot"
    run check dpdk-boot.conf
    expect_rc 0
    expect_out "OK: /etc/dpdk-boot/dpdk-boot.conf"
    cd /
    run check dpdk-boot.conf
    expect_rc 1
    expect_err "dpdk-boot.conf: not inside the root"
}

test_check_dropin_names() {
    fresh
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    # A backslash, '%', '$' and quotes are fine in a drop-in's name: the units name it escaped.
    printf '[IOMMU]\nMode=pt\n' >"$root/etc/dpdk-boot/conf.d/50-a\\b%%n\$X'q\".conf"
    run check
    expect_rc 0
    generate
    grep -qF "SourcePath=/etc/dpdk-boot/dpdk-boot.conf" "$work/generated/dpdk-boot-datapath.service" ||
        fail "the datapath unit does not name the main file"
    # A newline is not: no unit line can hold it. An error naming the file, the byte escaped.
    printf '[IOMMU]\nMode=pt\n' >"$root/etc/dpdk-boot/conf.d/60-new"$'\n'"line.conf"
    run check
    expect_rc 1
    expect_err '/etc/dpdk-boot/conf.d/60-new\x0aline.conf: The file name holds a control character'
    generate
    [[ ! -e $work/generated/dpdk-boot.target.d ]] || fail "an invalid config still pulled in units"
}

test_check_no_config() {
    fresh
    rm "$root/etc/dpdk-boot/dpdk-boot.conf"
    run check
    expect_rc 0
    expect_out "No configuration (/etc/dpdk-boot/dpdk-boot.conf): nothing will be set up."
}

# --- status

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

# --- plan

test_plan_text() {
    fresh
    run plan
    expect_rc 0
    golden plan "$out"
}

test_plan_json() {
    fresh
    run plan --json
    expect_rc 0
    jqe '.state == "active" and .initrd == false and .steps == {"hugepages":true,"bind":true,"datapath":true}'
    jqe '[.hugepages[].size] == ["1G", "2M"] and .hugepages[0].nodes == [{"node":0,"requested":2},{"node":1,"requested":2}]'
    jqe '.devices[0] | {address, present, driver, target} == {"address":"0000:00:04.0","present":true,"driver":"virtio-pci","target":"vfio-pci"}'
    jqe '.devices[0] | .rule == "Address=0000:00:04.0" and .rule_line == 10 and .refused == false'
    jqe '.devices[0].gates | .present == "pass" and .iommu == "pass" and .management == "pass"'
    jqe '.datapath.exec_start | contains("-a 0000:00:04.0 -a 0000:00:05.0")'
    jqe '.datapath.exec_start | contains(" --socket-mem 2048,2048 ")'
    jqe '.datapath | .socket_mem == [2048, 2048] and .socket_mem_source == "derived" and .workers == "2-3"'
    jqe '([.devices[] | .numa_node] == [0, 1]) and (.hugepages[0] | .placement == "kernel" and .placed == false)'
    jqe '.switches | [.[]] | all(. == null)'
    cmdline="quiet dpdk.bind=0 rd.dpdk=1"
    run plan --json
    expect_rc 0
    jqe '.switches == {"dpdk":null,"rd.dpdk":true,"dpdk.hugepages":null,"dpdk.bind":false,"dpdk.datapath":null,"rd.dpdk.hugepages":null,"rd.dpdk.bind":null}'
    jqe '.steps == {"hugepages":true,"bind":false,"datapath":true}'
    run plan
    expect_out "Switches: rd.dpdk=yes dpdk.bind=no"
}

test_plan_json_socket_memory() {
    fresh
    # SocketMemory= wins over the derived value; a port on node 1 only with Placement=devices
    # puts all the pages there
    set_config <<'CONF'
[Hugepages]
Size=1G
Count=3
Placement=devices

[Device]
Address=0000:00:05.0

[Datapath]
Preset=testpmd
Cores=2
SocketMemory=0,1024
CONF
    run plan --json
    expect_rc 0
    jqe '.hugepages[0] | .placement == "devices" and .placed and .nodes == [{"node":1,"requested":3}]'
    jqe '.datapath | .socket_mem == [0, 1024] and .socket_mem_source == "config"'
    jqe '.datapath.exec_start | contains(" --socket-mem 0,1024 -a 0000:00:05.0 ")'
    jqe '.warnings == []'
}

test_plan_json_invalid_utf8() {
    fresh
    # A byte that is no UTF-8 comes out as \ufffd; the document stays valid UTF-8.
    printf '[Hugepages]\nSize=2M\nCount=64\n\n[Device]\nAddress=0000:00:04.0\n\n[Datapath]\nPreset=testpmd\nCores=2\nExtraArgs=--vdev net_\377x -n \303\251\n' \
        >"$root/etc/dpdk-boot/dpdk-boot.conf"
    run plan --json
    expect_rc 0
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$out" ||
        fail "plan --json is not valid UTF-8 JSON"
    jqe '.datapath.exec_start | contains("--vdev net_\ufffdx -n \u00e9")'
    run status --json
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$out" ||
        fail "status --json is not valid UTF-8 JSON"
}

test_plan_json_long_cpu_list() {
    fresh
    # Every other CPU of 0-4095: a list of about 10 kB, on continuation lines of 30 CPUs, in full
    # in the plan and the kargs.
    local list
    list=$(seq -s, 0 2 4094)
    {
        printf '[CPU]\nIsolate='
        seq 0 2 4094 | xargs -n 30 | sed 's/ /,/g; $!s/$/,/; 2,$s/^/  /'
    } >"$root/etc/dpdk-boot/dpdk-boot.conf"
    run plan --json
    expect_rc 0
    jqe ".cpu.isolated == \"$list\""
    jqe ".kernel.args | index(\"nohz_full=$list\") != null"
    run plan
    expect_rc 0
    expect_out "CPUs: isolated $list; housekeeping"
}

test_plan_units() {
    fresh
    run plan --units
    expect_rc 0
    expect_out "==> dpdk-boot.target.d/50-dpdk-boot.conf <=="
    expect_out "Wants=dpdk-boot-bind.service"
    grep -E '^==> .* <==$| -> |^Wants=' "$out" >"$work/units" || fail "no units listed"
    golden plan-units "$work/units"
    # The temporary directory is gone.
    [[ -z $(ls -A "$work/tmp") ]] || fail "plan --units left $(ls "$work/tmp") behind"
}

test_plan_units_invalid() {
    fresh
    bad_config
    run plan --units
    expect_rc 0
    expect_out "dpdk-boot-config.service"
    ! grep -q 'dpdk-boot-bind' "$out" || fail "an invalid config must not bind"
}

# --- vpp-config

VPP_CONF=run/dpdk-boot/vpp-startup.conf

# The fixture's config with Preset=vpp, and VPP's own startup.conf with a unix and a dpdk section.
vpp_fixture() {
    fresh
    sed -i 's/^Preset=testpmd$/Preset=vpp/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    mkdir -p "$root/etc/vpp"
    cat >"$root/etc/vpp/startup.conf" <<'VPP'
unix {
  nodaemon
  cli-listen /run/vpp/cli.sock   # {the CLI}
}

dpdk
{
  dev 0000:00:09.0 { num-rx-queues 2 }
  uio-driver igb_uio
}
api-trace { on }
VPP
}

test_vpp_config() {
    vpp_fixture
    run vpp-config
    expect_rc 0
    expect_out "Wrote $root/$VPP_CONF: $root/etc/vpp/startup.conf with the plan's cpu and dpdk sections (2 ports)."
    golden vpp-config "$root/$VPP_CONF"
    [[ $(stat -c %a "$root/$VPP_CONF") == 644 ]] || fail "$VPP_CONF is mode $(stat -c %a "$root/$VPP_CONF")"
    # No temporary file is left beside it; running again replaces it with the same text.
    [[ $(ls -A "$root/run/dpdk-boot") == vpp-startup.conf ]] || fail "left behind: $(ls -A "$root/run/dpdk-boot")"
    cp "$root/$VPP_CONF" "$work/first"
    run vpp-config
    expect_rc 0
    cmp -s "$work/first" "$root/$VPP_CONF" || fail "a second run wrote something else"
}

test_vpp_config_file_and_no_base() {
    vpp_fixture
    printf '%s\n' 'ConfigFile=/etc/vpp/site.conf' >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    run vpp-config
    expect_rc 0
    expect_out "the plan's cpu and dpdk sections only, $root/etc/vpp/site.conf does not exist (2 ports)."
    [[ $(head -n1 "$root/$VPP_CONF") == "# Written by dpdk-boot from "* ]] || fail "$VPP_CONF does not start with our comment"
    ! grep -q nodaemon "$root/$VPP_CONF" || fail "the unused /etc/vpp/startup.conf was read"
}

test_vpp_config_refused() {
    vpp_fixture
    printf 'unix {\n  nodaemon\n' >"$root/etc/vpp/startup.conf"
    run vpp-config
    expect_rc 1
    expect_err "$root/etc/vpp/startup.conf: unbalanced or misplaced braces"
    expect_missing "$VPP_CONF"
    # Not Preset=vpp, not active: nothing written either.
    fresh
    run vpp-config
    expect_rc 1
    expect_err "Not writing $root/$VPP_CONF: [Datapath] Preset= is testpmd, not vpp."
    expect_missing "$VPP_CONF"
    vpp_fixture
    cmdline="dpdk=no"
    run vpp-config
    expect_rc 1
    expect_err "Not writing $root/$VPP_CONF: disabled by dpdk=no."
    expect_missing "$VPP_CONF"
}

# --- ovs-setup

# The fixture with Preset=ovs: two ports, one on its own bridge, jumbo frames, and EAL arguments
# with a double quote (an ovsdb string escapes it). Stand-in ovs-vsctl and ovs-vswitchd come first
# in PATH: ovs-vsctl logs its argv, one line per call with each word in brackets, to $OVS_LOG,
# answers the managed-ports query from $work/ovs/managed and port-to-br from $work/ovs/ports
# ("PORT BRIDGE" lines), and fails with a message when $work/ovs/fail names the call ("find" or
# "set"); ovs-vswitchd --version prints $work/ovs/version.
ovs_fixture() {
    fresh
    set_config <<'CONF'
[Hugepages]
Size=1G
PerNode=0:2,1:2

[Device]
Address=0000:00:04.0
Driver=vfio-pci

[Device]
Address=0000:00:05.0
Driver=vfio-pci
Bridge=br-two

[Datapath]
Preset=ovs
Cores=2-3
MainCore=0
Bridge=br-one
MTU=9000
ExtraArgs=--vdev "net_null0" -n 4
CONF
    local d=$work/ovs
    rm -rf "$d"
    mkdir -p "$d/bin"
    # The stand-ins are not the program under test: under the sanitizer build, the runtime
    # preloaded into dpdk-boot must not reach them (LeakSanitizer fails sed's exit status).
    cat >"$d/bin/ovs-vsctl" <<'SH'
#!/bin/sh
unset LD_PRELOAD
d=$(dirname "$0")/..
line=
for a; do line="$line${line:+ }[$a]"; done
printf '%s\n' "$line" >>"$d/log"
case " $* " in
*" find Interface external_ids:dpdk-boot=managed "*) call=find ;;
*" port-to-br "*) call=port-to-br ;;
*" set Open_vSwitch "*) call=set ;;
*) call=other ;;
esac
if grep -qx "$call" "$d/fail" 2>/dev/null; then
    echo "ovs-vsctl: unix:/run/openvswitch/db.sock: database connection failed (No such file or directory)" >&2
    exit 1
fi
case $call in
find) cat "$d/managed" ;;
port-to-br)
    for port; do :; done
    sed -n "s/^$port //p" "$d/ports"
    ;;
esac
SH
    cat >"$d/bin/ovs-vswitchd" <<'SH'
#!/bin/sh
unset LD_PRELOAD
cat "$(dirname "$0")/../version"
SH
    chmod +x "$d/bin/ovs-vsctl" "$d/bin/ovs-vswitchd"
    printf 'ovs-vswitchd (Open vSwitch) 3.1.0\nDPDK 22.11.4\n' >"$d/version"
    # 04.0 already on its planned bridge, 05.0 moved to br-two since, 09.0 no longer named.
    printf '%s\n' dpdk-00-04.0 dpdk-00-05.0 dpdk-00-09.0 >"$d/managed"
    printf '%s\n' 'dpdk-00-04.0 br-one' 'dpdk-00-05.0 br-one' 'dpdk-00-09.0 br-one' >"$d/ports"
    : >"$d/log"
    export PATH="$d/bin:$PATH"
}

expect_no_vsctl() {
    [[ ! -s $work/ovs/log ]] || fail "ovs-vsctl was called: $(cat "$work/ovs/log")"
}

test_ovs_setup() {
    ovs_fixture
    run ovs-setup
    expect_rc 0
    expect_err "Removing port dpdk-00-05.0, which an earlier configuration added."
    expect_err "Removing port dpdk-00-09.0, which an earlier configuration added."
    expect_no_err "Removing port dpdk-00-04.0"
    expect_err "Open vSwitch: DPDK settings and 2 dpdk ports written to ovsdb."
    grep -qF '[del-port] [dpdk-00-05.0]' "$work/ovs/log" || fail "the port that moved bridge is not deleted"
    ! grep -qF '[del-port] [dpdk-00-04.0]' "$work/ovs/log" || fail "a port on its planned bridge is deleted"
    # The queries, then the whole setup in one transaction.
    [[ $(grep -c '\[set\] \[Open_vSwitch\]' "$work/ovs/log") == 1 ]] || fail "not one transaction"
    golden ovs-setup "$work/ovs/log"
}

test_ovs_setup_dry_run() {
    ovs_fixture
    rm "$work/ovs/bin/ovs-vswitchd"
    run --dry-run ovs-setup
    expect_rc 0
    expect_no_vsctl
    expect_out 'other_config:dpdk-extra="--vdev \"net_null0\" -n 4"'
    ! grep -q del-port "$out" || fail "a dry run listed ports to delete without asking ovsdb"
    golden ovs-setup-dry-run "$out"
}

test_ovs_setup_no_dpdk_build() {
    ovs_fixture
    printf 'ovs-vswitchd (Open vSwitch) 3.1.0\n' >"$work/ovs/version"
    run ovs-setup
    expect_rc 1
    expect_err "ovs-vswitchd is built without DPDK (its --version names no DPDK); select the DPDK build, on Debian with: update-alternatives --set ovs-vswitchd /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
    expect_no_vsctl
    # No ovs-vswitchd at all.
    rm "$work/ovs/bin/ovs-vswitchd"
    run ovs-setup
    expect_rc 1
    expect_err "Cannot run 'ovs-vswitchd --version'"
    expect_no_vsctl
}

test_ovs_setup_vsctl_fails() {
    ovs_fixture
    echo set >"$work/ovs/fail"
    run ovs-setup
    expect_rc 1
    expect_err "database connection failed"
    expect_err "ovs-vsctl failed (see its message above); ovsdb is unchanged."
    expect_no_err "written to ovsdb"
    # The listing failing: nothing is written.
    echo find >"$work/ovs/fail"
    : >"$work/ovs/log"
    run ovs-setup
    expect_rc 1
    expect_err "Cannot list the ports in ovsdb (is ovsdb-server up?)"
    ! grep -qF '[Open_vSwitch]' "$work/ovs/log" || fail "ovsdb was written after the listing failed"
}

test_ovs_setup_refused() {
    ovs_fixture
    sed -i 's/^Preset=ovs$/Preset=testpmd/; /^Bridge=/d; /^MTU=/d' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run ovs-setup
    expect_rc 1
    expect_err "Nothing to set up in Open vSwitch: the configuration's [Datapath] is not Preset=ovs."
    expect_no_vsctl
    ovs_fixture
    cmdline="dpdk=no"
    run ovs-setup
    expect_rc 1
    expect_err "Nothing to set up in Open vSwitch: disabled by dpdk=no."
    expect_no_vsctl
}

# --- grant

# need_root CASE: chown to another user and mknod need root (as in CI); says so otherwise.
need_root() {
    [[ $(id -u) == 0 ]] && return 0
    echo "skip - $1: needs root (chown, mknod)"
    return 1
}

# The fixture with User=, Group= as numbers (no NSS lookup) and Mode=, the plan's hugetlbfs mount
# points as directories, and /dev/vfio/4 as a character device.
grant_fixture() {
    fresh
    sed -i 's/^MainCore=0$/&\nUser=4242\nGroup=4343\nMode=0660/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    mkdir -p "$root/dev/hugepages1G" "$root/dev/hugepages2M"
    chmod 0755 "$root/dev/hugepages1G" "$root/dev/hugepages2M"
    mknod -m 0600 "$root/dev/vfio/4" c 10 200
}

expect_owner() { # PATH OWNER:GROUP MODE
    local got
    got=$(stat -c '%u:%g %a' "$root/$1") || fail "$1 does not exist"
    [[ $got == "$2 $3" ]] || fail "$1 is $got, expected $2 $3"
}

test_grant_nodes() {
    need_root grant_nodes || return 0
    grant_fixture
    mknod -m 0600 "$root/dev/vfio/5" c 10 201
    run grant
    expect_rc 0
    expect_owner dev/hugepages1G 4242:4343 770
    expect_owner dev/hugepages2M 4242:4343 770
    expect_owner dev/vfio/4 4242:4343 660
    expect_owner dev/vfio/5 4242:4343 660
    # Not a port's group: untouched.
    expect_owner dev/vfio/vfio 0:0 644
    golden grant "$err"
}

test_grant_refuses_file_and_symlink() {
    need_root grant_refuses_file_and_symlink || return 0
    grant_fixture
    # A regular file where the group's node should be: refused, the others still done.
    : >"$root/dev/vfio/5"
    chmod 0644 "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: neither a directory nor a device node, not touching it."
    expect_owner dev/vfio/5 0:0 644
    expect_owner dev/vfio/4 4242:4343 660
    expect_owner dev/hugepages1G 4242:4343 770
    # A symlink there is not followed: what it points at keeps its owner and mode.
    rm "$root/dev/vfio/5"
    mknod -m 0600 "$root/dev/decoy" c 1 3
    ln -s ../decoy "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: neither a directory nor a device node, not touching it."
    expect_owner dev/decoy 0:0 600
    [[ $(stat -c %u:%g "$root/dev/vfio/5") == 0:0 ]] || fail "the symlink itself was chowned"
    # Missing: an error that names it.
    rm "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: cannot open: No such file or directory"
}

# As the datapath's ExecStartPre= runs it: the owner, group and mode from this boot's plan, not
# from a config changed since.
test_grant_from_plan() {
    need_root grant_from_plan || return 0
    grant_fixture
    mknod -m 0600 "$root/dev/vfio/5" c 10 201
    generate
    sed -i 's/^User=4242$/User=5555/; s/^Mode=0660$/Mode=0600/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run grant --from-plan
    expect_rc 0
    expect_owner dev/hugepages1G 4242:4343 770
    expect_owner dev/vfio/4 4242:4343 660
    run grant
    expect_rc 0
    expect_owner dev/vfio/4 5555:4343 600
    rm -rf "$root/run/dpdk-boot"
    run grant --from-plan
    expect_rc 1
    expect_err "No plan for this boot: /run/dpdk-boot/plan.json is missing."
}

test_grant_nothing() {
    fresh
    mkdir -p "$root/dev/hugepages1G"
    chmod 0755 "$root/dev/hugepages1G"
    run grant
    expect_rc 0
    expect_err "Nothing to grant: the datapath runs as root with the default modes."
    [[ $(stat -c %a "$root/dev/hugepages1G") == 755 ]] || fail "dev/hugepages1G was changed"
    # Disabled: nothing either, whatever the config asks.
    sed -i 's/^MainCore=0$/&\nGroup=4343\nMode=0660/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    cmdline="dpdk=no"
    run grant
    expect_rc 0
    expect_err "Nothing to grant"
    [[ $(stat -c %a "$root/dev/hugepages1G") == 755 ]] || fail "dev/hugepages1G was changed with dpdk=no"
}

# --- restore --all, --on-stop

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

# --- initrd-manifest

# The drop-ins where a reading of the files other than config.c's goes wrong: a symlinked drop-in
# (followed), a /usr/lib drop-in hidden by /etc's of the same name, one masked by a link to
# /dev/null, one in /run (never in an image), reading order by name across the directories.
manifest_tree() {
    local c=$root/etc/dpdk-boot/conf.d u=$root/usr/lib/dpdk-boot/conf.d
    mkdir -p "$c" "$u" "$root/run/dpdk-boot/conf.d" "$root/srv" "$root/lib/modules/6.1.0-test" \
        "$root/etc/modprobe.d" "$root/etc/systemd/network"
    printf '[IOMMU]\nMode=on\n' >"$c/10-iommu.conf"
    printf '[IOMMU]\nMode=pt\n' >"$u/15-iommu.conf"
    printf '[Device]\nAddress=0000:00:06.0\nDriver=igb_uio\n' >"$u/20-hidden.conf"
    printf '# 0000:00:06.0 stays on its kernel driver\n' >"$c/20-hidden.conf"
    printf '[Device]\nAddress=0000:00:07.0\nDriver=uio_pci_generic\n' >"$root/srv/30-real.conf"
    ln -s ../../../srv/30-real.conf "$c/30-link.conf"
    printf '[IOMMU]\nMode=off\n' >"$u/40-off.conf"
    ln -s /dev/null "$c/40-off.conf"
    printf '# for this boot only\n' >"$root/run/dpdk-boot/conf.d/50-run.conf"
    # A pattern rule: the initramfs takes only devices named by address.
    printf '[Device]\nID=8086:10d3\nDriver=igb_uio\n' >"$u/60-pattern.conf"
    # vfio-pci variant drivers of the target kernel (not the running one) for the virtio NICs.
    echo 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_vfio_pci' >"$root/etc/modprobe.d/variant.conf"
    printf '[Match]\nName=enp9s0\n\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/05-mgmt.network"
}

# Every line "KIND VALUE" of a known kind.
expect_manifest_lines() {
    ! grep -vqE '^(state|stamp|config|mask|module|iommu|evidence) [^ ]' "$out" || fail "a malformed manifest line"
}

test_manifest_follows_the_loader() {
    fresh
    manifest_tree
    # This boot's switches do not count: the image is for later boots.
    cmdline="ro dpdk=no"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_manifest_lines
    golden initrd-manifest "$out"
    # The stamp and the evidence are those of config-stamp and mgmt-evidence.
    cp "$out" "$work/manifest"
    run config-stamp
    [[ "stamp $(cat "$out")" == "$(grep '^stamp ' "$work/manifest")" ]] || fail "the stamp is not config-stamp's"
    run mgmt-evidence
    diff -u <(sed 's/^/evidence /' "$out") <(grep '^evidence ' "$work/manifest") >&2 ||
        fail "the evidence is not mgmt-evidence's"
}

test_manifest_kernel() {
    fresh
    manifest_tree
    # No module tree for the running kernel here: no variant driver is looked up.
    run initrd-manifest
    expect_rc 0
    ! grep -q '^module virtio_vfio_pci$' "$out" || fail "a variant driver from the running kernel's modules"
    expect_out "module vfio_pci"
    run --kernel ../6.1.0-test initrd-manifest
    expect_rc 1
    expect_err "--kernel=../6.1.0-test: not a kernel release."
    run --kernel 6.1.0-test plan
    expect_rc 1
    expect_err "--kernel only applies to 'kargs' and 'initrd-manifest'."
}

# A device the gates refuse now still gets its modules: this boot's IOMMU and routes are not
# those of the boots the image is for. BindGroup= members get theirs.
test_manifest_refused_and_group_members() {
    fresh
    manifest_tree
    echo 'alias vfio_pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e_vfio_pci' >>"$root/etc/modprobe.d/variant.conf"
    # 06.0 has no IOMMU group (the iommu gate refuses it); 07.0 shares 04.0's group.
    rm "$root/etc/dpdk-boot/conf.d/20-hidden.conf" "$root/etc/dpdk-boot/conf.d/30-link.conf"
    printf '[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n' >"$root/etc/dpdk-boot/conf.d/20-hidden.conf"
    rm "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../kernel/iommu_groups/4 "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../../devices/pci0000:00/0000:00:07.0 "$root/sys/kernel/iommu_groups/4/devices/0000:00:07.0"
    echo 'alias vfio_pci:v00001AF4d00001001sv*sd*bc*sc*i* blk_vfio_pci' >>"$root/etc/modprobe.d/variant.conf"
    echo 0x1001 >"$root/sys/devices/pci0000:00/0000:00:07.0/device"
    sed -i 's/d00001000/d00001001/' "$root/sys/devices/pci0000:00/0000:00:07.0/modalias"
    printf '\n[Device]\nAddress=0000:00:04.0\nDriver=vfio-pci\nBindGroup=yes\n' >"$root/etc/dpdk-boot/conf.d/25-group.conf"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_out "module e1000e_vfio_pci"
    expect_out "module blk_vfio_pci"
    run --initrd plan
    expect_out "iommu FAILED"
}

# A device named by address that is not there now (or a root without /sys, as dracut --sysroot
# gives) still gets its driver's modules: the boots the image is for may have it.
test_manifest_absent_device() {
    fresh
    printf '\n[Device]\nAddress=0000:00:09.0\nDriver=uio_pci_generic\n' >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    rm -r "$root/sys"
    run initrd-manifest
    expect_rc 0
    [[ $(grep '^module ' "$out" | tr '\n' ' ') == "module uio_pci_generic module vfio module vfio_iommu_type1 module vfio_pci " ]] ||
        fail "not the modules of 04.0, 05.0 and 09.0"
}

# An invalid configuration: its state, stamp and evidence, nothing of its files or modules.
test_manifest_invalid() {
    fresh
    manifest_tree
    bad_config
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_manifest_lines
    expect_out "state invalid"
    expect_out "stamp v1 "
    expect_out "evidence name enp9s0 /etc/systemd/network/05-mgmt.network:2"
    ! grep -qE '^(config|mask|module|iommu) ' "$out" || fail "an invalid configuration lists what it needs"
    expect_err "Size=3M"
}

test_manifest_no_config() {
    fresh
    rm "$root/etc/dpdk-boot/dpdk-boot.conf"
    run initrd-manifest
    expect_rc 0
    [[ $(cat "$out") == $'state none\nstamp v1 cbf29ce484222325 0' ]] || fail "not the manifest of no configuration"
}

# A mask whose name holds a newline is left out (it hides nothing the manifest lists), and
# every line stays one item.
test_manifest_control_character() {
    fresh
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    ln -s /dev/null "$root/etc/dpdk-boot/conf.d/"$'a\nb.conf'
    run initrd-manifest
    expect_rc 0
    expect_manifest_lines
    expect_out "state valid"
    expect_err "Leaving /etc/dpdk-boot/conf.d/a\\x0ab.conf out of the initramfs"
}

# --- fromplan: reserve, ovs-setup, vpp-config and kargs as their units run them, on the plan file
# the generator left. Each does what the same verb does when it plans afresh on the same tree,
# follows the file when the configuration changed after the generator ran (nothing is planned
# again), and says what to do without a file.

NO_PLAN="No plan for this boot: /run/dpdk-boot/plan.json is missing. The generator writes it at boot and at 'systemctl daemon-reload'; run that, and 'dpdk-boot plan' to see it."

# The hugepage pools of the fake kernel, one "PATH COUNT" line each.
pools() {
    (cd "$root" && find sys -name nr_hugepages | LC_ALL=C sort | while read -r f; do echo "$f $(cat "$f")"; done)
}

# same_as NAME FILE: FILE equals what $work/NAME holds (saved by keep).
keep() { cp "$2" "$work/kept.$1"; }
same_as() {
    diff -u "$work/kept.$1" "$2" >&2 || fail "$1: --from-plan differs from planning afresh"
}

test_fromplan_reserve_same() {
    fresh
    run reserve
    expect_rc 0
    pools >"$work/pools"
    keep reserve-pools "$work/pools"
    keep reserve-err "$err"
    fresh
    generate
    run reserve --from-plan
    expect_rc 0
    pools >"$work/pools"
    same_as reserve-pools "$work/pools"
    same_as reserve-err "$err"
    expect_file "$(node1g 1)/nr_hugepages" 2
    expect_file "$H2M/nr_hugepages" 256
}

test_fromplan_reserve_follows_the_file() {
    fresh
    generate
    # Changed after the boot was planned: this boot reserves what its plan says.
    sed -i 's/^PerNode=0:2,1:2$/PerNode=0:1/; s/^Count=256$/Count=64/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run reserve --from-plan
    expect_rc 0
    expect_file "$(node1g 0)/nr_hugepages" 2
    expect_file "$(node1g 1)/nr_hugepages" 2
    expect_file "$H2M/nr_hugepages" 256
    # Planned afresh, the changed configuration counts (node 1 is emptied: it names no count).
    run reserve
    expect_rc 0
    expect_file "$(node1g 0)/nr_hugepages" 1
    expect_file "$(node1g 1)/nr_hugepages" 0
    expect_file "$H2M/nr_hugepages" 64
}

test_fromplan_reserve_without_plan() {
    fresh
    run reserve --from-plan
    expect_rc 1
    expect_err "$NO_PLAN"
    expect_file "$H1G/nr_hugepages" 0
    expect_file "$H2M/nr_hugepages" 0
}

# The OVS fixture with a third device that the iommu gate refuses (00:06.0 has no group).
ovs_refused_fixture() {
    ovs_fixture
    sed -i 's/^\[Datapath\]$/[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n\n[Datapath]/' \
        "$root/etc/dpdk-boot/dpdk-boot.conf"
}

test_fromplan_ovs_same() {
    ovs_refused_fixture
    run --dry-run ovs-setup
    expect_rc 0
    keep ovs-dry "$out"
    run ovs-setup
    expect_rc 0
    keep ovs-log "$work/ovs/log"
    generate
    jq -e '.devices[] | select(.address == "0000:00:06.0") | .refused and .bridge == null' \
        "$root/run/dpdk-boot/plan.json" >/dev/null || fail "00:06.0 is not refused in the plan file"
    run --dry-run --from-plan ovs-setup
    expect_rc 0
    same_as ovs-dry "$out"
    ! grep -q 'dpdk-00-06.0\|0000:00:06.0' "$out" || fail "the refused device is a port"
    : >"$work/ovs/log"
    run --from-plan ovs-setup
    expect_rc 0
    same_as ovs-log "$work/ovs/log"
    expect_err "Open vSwitch: DPDK settings and 2 dpdk ports written to ovsdb."
}

test_fromplan_ovs_follows_the_file() {
    ovs_fixture
    run --dry-run ovs-setup
    keep ovs-dry "$out"
    generate
    sed -i 's/^MTU=9000$/MTU=1500/; s/^Bridge=br-one$/Bridge=br-new/; s/^Cores=2-3$/Cores=3/; /^ExtraArgs=/d' \
        "$root/etc/dpdk-boot/dpdk-boot.conf"
    run --dry-run --from-plan ovs-setup
    expect_rc 0
    same_as ovs-dry "$out"
    expect_out "add-br br-one"
    expect_out "mtu_request=9000"
    # Planned afresh, the changed configuration counts.
    run --dry-run ovs-setup
    expect_rc 0
    ! cmp -s "$work/kept.ovs-dry" "$out" || fail "the changed configuration changes nothing"
    expect_out "add-br br-new"
}

test_fromplan_ovs_without_plan() {
    ovs_fixture
    run --dry-run --from-plan ovs-setup
    expect_rc 1
    expect_err "$NO_PLAN"
    run --from-plan ovs-setup
    expect_rc 1
    expect_err "$NO_PLAN"
    expect_no_vsctl
}

test_fromplan_vpp_same() {
    vpp_fixture
    sed -i 's/^\[Datapath\]$/[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n\n[Datapath]/' \
        "$root/etc/dpdk-boot/dpdk-boot.conf"
    run vpp-config
    expect_rc 0
    keep vpp-out "$out"
    keep vpp-conf "$root/$VPP_CONF"
    rm "$root/$VPP_CONF"
    generate
    run vpp-config --from-plan
    expect_rc 0
    same_as vpp-out "$out"
    same_as vpp-conf "$root/$VPP_CONF"
    ! grep -q 'dev 0000:00:06.0' "$root/$VPP_CONF" || fail "the refused device is a dev line"
    grep -qx '  dev 0000:00:05.0' "$root/$VPP_CONF" || fail "no dev line for 00:05.0"
}

# ConfigFile=: the base file is the plan's too.
test_fromplan_vpp_config_file() {
    vpp_fixture
    mv "$root/etc/vpp/startup.conf" "$root/etc/vpp/site.conf"
    printf '%s\n' 'ConfigFile=/etc/vpp/site.conf' >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    run vpp-config
    expect_rc 0
    keep vpp-out "$out"
    keep vpp-conf "$root/$VPP_CONF"
    rm "$root/$VPP_CONF"
    generate
    jq -e '.datapath.config_file == "/etc/vpp/site.conf"' "$root/run/dpdk-boot/plan.json" >/dev/null ||
        fail "the plan file's datapath.config_file: $(jq -c .datapath.config_file "$root/run/dpdk-boot/plan.json")"
    run vpp-config --from-plan
    expect_rc 0
    same_as vpp-out "$out"
    same_as vpp-conf "$root/$VPP_CONF"
    grep -q nodaemon "$root/$VPP_CONF" || fail "$root/etc/vpp/site.conf was not the base"
}

test_fromplan_vpp_follows_the_file() {
    vpp_fixture
    run vpp-config
    keep vpp-conf "$root/$VPP_CONF"
    generate
    # Another base file and other cores since the boot was planned.
    sed -i 's/^Cores=2-3$/Cores=3/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    printf '%s\n' 'ConfigFile=/etc/vpp/site.conf' >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    run vpp-config --from-plan
    expect_rc 0
    same_as vpp-conf "$root/$VPP_CONF"
    run vpp-config
    expect_rc 0
    expect_out "$root/etc/vpp/site.conf does not exist"
    grep -qx '  corelist-workers 3' "$root/$VPP_CONF" || fail "planned afresh, Cores=3 is not used"
}

test_fromplan_vpp_without_plan() {
    vpp_fixture
    run vpp-config --from-plan
    expect_rc 1
    expect_err "$NO_PLAN"
    expect_missing "$VPP_CONF"
}

# The fixture with [Kernel] ManageArgs=yes on a BLS machine: kargs --boot writes
# /etc/kernel/cmdline and the loader entry, and would reboot once.
kargs_fixture() {
    fresh
    mkdir -p "$root/proc/sys/kernel" "$root/sys/firmware/acpi/tables" "$root/etc/kernel" \
        "$root/boot/loader/entries"
    echo 6.1.0-18-amd64 >"$root/proc/sys/kernel/osrelease"
    : >"$root/sys/firmware/acpi/tables/DMAR"
    echo 4c4c4544004a3510 >"$root/etc/machine-id"
    echo "root=/dev/vda1 ro" >"$root/etc/kernel/cmdline"
    printf 'title Debian\nversion 6.1.0-18-amd64\noptions root=/dev/vda1 ro\n' \
        >"$root/boot/loader/entries/4c4c4544004a3510-6.1.0-18-amd64.conf"
    printf '\n[CPU]\nIsolate=2-3\nHousekeeping=0-1\n\n[IOMMU]\nMode=pt\n\n[Kernel]\nManageArgs=yes\nBootloader=bls\nRebootPolicy=once\n' \
        >>"$root/etc/dpdk-boot/dpdk-boot.conf"
}

# What kargs wrote: the bootloader's files and its own state.
kargs_files() {
    (cd "$root" && for f in etc/kernel/cmdline boot/loader/entries/* var/lib/dpdk-boot/*; do
        echo "== $f"
        cat "$f"
    done)
}

ARGS_FIXTURE="default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2 hugepagesz=2M hugepages=256 isolcpus=managed_irq,domain,2-3 nohz_full=2-3 rcu_nocbs=2-3 irqaffinity=0-1 intel_iommu=on iommu=pt"

test_fromplan_kargs_same() {
    kargs_fixture
    run kargs --boot
    expect_rc 0
    expect_out "Arguments:  $ARGS_FIXTURE"
    expect_out "Reboot: would reboot now to take: "
    keep kargs-out "$out"
    kargs_files >"$work/files"
    keep kargs-files "$work/files"
    kargs_fixture
    generate
    grep -qF "The kernel command line lacks" "$work/generator.log" || fail "the generator saw no drift"
    run kargs --boot --from-plan
    expect_rc 0
    same_as kargs-out "$out"
    kargs_files >"$work/files"
    same_as kargs-files "$work/files"
    jq -e --arg a "$ARGS_FIXTURE" '.kernel | (.args | join(" ")) == $a and .manage_args and
        .bootloader == "bls" and .reboot_policy == "once" and .families == ["hugepages", "cpu", "iommu"]' \
        "$root/run/dpdk-boot/plan.json" >/dev/null || fail "the plan file's kernel: $(jq -c .kernel "$root/run/dpdk-boot/plan.json")"
}

test_fromplan_kargs_follows_the_file() {
    kargs_fixture
    generate
    # More 2M pages and no isolation since the boot was planned: this boot persists its plan's.
    sed -i 's/^Count=256$/Count=512/; /^Isolate=/d; /^Housekeeping=/d; s/^RebootPolicy=once$/RebootPolicy=never/' \
        "$root/etc/dpdk-boot/dpdk-boot.conf"
    run kargs --boot --from-plan
    expect_rc 0
    expect_out "Arguments:  $ARGS_FIXTURE"
    expect_out "Bootloader: bls (Bootloader=)"
    expect_out "Reboot: would reboot now to take: "
    grep -qF "$ARGS_FIXTURE" "$root/etc/kernel/cmdline" || fail "/etc/kernel/cmdline: $(cat "$root/etc/kernel/cmdline")"
    run kargs --boot
    expect_rc 0
    expect_out "Arguments:  default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2 hugepagesz=2M hugepages=512 intel_iommu=on iommu=pt"
    expect_err "Reboot required to take the kernel arguments"
}

test_fromplan_kargs_without_plan() {
    kargs_fixture
    run kargs --boot --from-plan
    expect_rc 1
    expect_err "$NO_PLAN"
    [[ $(cat "$root/etc/kernel/cmdline") == "root=/dev/vda1 ro" ]] || fail "/etc/kernel/cmdline was changed"
    expect_missing var/lib/dpdk-boot
}

test_fromplan_usage() {
    kargs_fixture
    generate
    run kargs --from-plan --kernel=6.8.0
    expect_rc 1
    expect_err "--kernel and --from-plan exclude each other"
    run --from-plan plan
    expect_rc 1
    expect_err "--from-plan only applies to 'bind', 'reserve', 'kargs', 'ovs-setup', 'vpp-config', 'grant' and 'restore --all'."
}

# --- usage

test_usage() {
    fresh
    run --version
    expect_rc 0
    expect_out "dpdk-boot "
    run frobnicate
    expect_rc 1
    expect_err "Unknown command 'frobnicate'"
    run bind
    expect_rc 1
    expect_err "bind needs a device (or --from-plan --all)."
    run reserve --json
    expect_rc 1
    # --root instead of the environment.
    rc=0
    env -u DPDK_BOOT_ROOT SYSTEMD_IN_INITRD=0 "$DPDK_BOOT" --root "$root" plan --json >"$out" 2>"$err" || rc=$?
    expect_rc 0
    jqe '.devices[0].driver == "virtio-pci"'
    run --root relative/dir plan
    expect_rc 1
    expect_err "--root needs an absolute directory"
}

cases=$(declare -F | awk '{print $3}' | grep "^test_${GROUP}" || true)
[[ -n $cases ]] || {
    echo "no test cases for group '$GROUP'" >&2
    exit 1
}

passed=0 failed=0
for t in $cases; do
    # A subshell that is not part of a condition keeps set -e working inside the case.
    set +e
    (
        set -e
        "$t"
    )
    st=$?
    set -e
    if [[ $st == 0 ]]; then
        echo "ok - ${t#test_}"
        passed=$((passed + 1))
    else
        echo "not ok - ${t#test_}"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
