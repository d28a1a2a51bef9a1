# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: bifurcated NICs (ConnectX) given to the datapath on their
# kernel driver. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

CX0=0000:00:0a.0
CX1=0000:00:0a.1
INTEL=0000:00:08.0

# cx_device BDF VENDOR DEVICE DRIVER GROUP [UVERBS]: a PCI function laid out as mkfixture.sh lays
# them out, on node 0, with an interface; UVERBS: its infiniband_verbs/uverbsN and
# /dev/infiniband/uverbsN, as mlx5_ib and ib_uverbs make them.
cx_device() {
    local bdf=$1 ven=$2 dev=$3 drv=$4 group=$5 uverbs=${6:-}
    local d=$root/sys/devices/pci0000:00/$bdf

    mkdir -p "$d/net/en${bdf: -4:2}f${bdf: -1}" "$root/sys/bus/pci/drivers/$drv" \
        "$root/sys/kernel/iommu_groups/$group/devices"
    : >"$root/sys/bus/pci/drivers/$drv/bind"
    : >"$root/sys/bus/pci/drivers/$drv/unbind"
    printf '0x%s\n' "$ven" >"$d/vendor"
    printf '0x%s\n' "$dev" >"$d/device"
    echo 0x020000 >"$d/class"
    echo 0 >"$d/numa_node"
    echo '(null)' >"$d/driver_override"
    printf 'pci:v0000%sd0000%ssv0000%ssd00000001bc02sc00i00\n' "${ven^^}" "${dev^^}" "${ven^^}" >"$d/modalias"
    echo "$drv" >"$d/.default_driver"
    ln -s "../../../bus/pci/drivers/$drv" "$d/driver"
    ln -s "../../../kernel/iommu_groups/$group" "$d/iommu_group"
    ln -s "../../../../devices/pci0000:00/$bdf" "$root/sys/kernel/iommu_groups/$group/devices/$bdf"
    ln -s "../../../devices/pci0000:00/$bdf" "$root/sys/bus/pci/devices/$bdf"
    if [[ -n $uverbs ]]; then
        mkdir -p "$d/infiniband_verbs/uverbs$uverbs" "$root/dev/infiniband"
        : >"$root/dev/infiniband/uverbs$uverbs"
    fi
}

# The host: two ConnectX-5 ports (15b3:1017) on mlx5_core with their uverbs nodes, and an Intel
# X710 port (8086:1572, i40e) that the config binds to vfio-pci; the ConnectX ports stay on
# their kernel driver. Preset as asked (testpmd without an argument).
cx_fixture() {
    fresh
    cx_device "$INTEL" 8086 1572 i40e 8
    cx_device "$CX0" 15b3 1017 mlx5_core 10 0
    cx_device "$CX1" 15b3 1017 mlx5_core 11 1
    set_config <<CONF
[Hugepages]
Size=1G
PerNode=0:2,1:2

[Device]
Address=$INTEL
Driver=vfio-pci

[Device]
ID=15b3:1017
Driver=

[Datapath]
Preset=${1:-testpmd}
Cores=2-3
MainCore=0
CONF
}

# A module tree for this kernel under the root: libkmod looks the modules up there (a dry run).
cx_modules() { # NAME...
    local m
    mkdir -p "$root/lib/modules/$(uname -r)" "$root/etc/modprobe.d"
    for m; do
        echo "alias $m $m" >>"$root/etc/modprobe.d/rdma.conf"
    done
}

test_bifurcated_plan() {
    cx_fixture
    run plan
    expect_rc 0
    expect_out "  $CX0: mlx5_core -> bifurcated, stays on mlx5_core, a port of the datapath"
    expect_out "  $CX1: mlx5_core -> bifurcated, stays on mlx5_core, a port of the datapath"
    expect_out "      modules for the PMD: mlx5_ib, ib_uverbs"
    expect_out "  $INTEL: i40e -> vfio-pci"
    expect_out "-a $INTEL -a $CX0 -a $CX1"
    run plan --json
    expect_rc 0
    jqe ".devices[] | select(.address == \"$CX0\") | .stays_on == \"mlx5_core\" and .modules == [\"mlx5_ib\", \"ib_uverbs\"] and .target == \"\""
    jqe ".devices[] | select(.address == \"$INTEL\") | has(\"stays_on\") | not"
    jqe ".datapath.exec_start | test(\" -a $INTEL -a $CX0 -a $CX1 -- \")"
    run list
    expect_rc 0
    grep -F "$CX0" "$out" | grep -qF "kernel driver, a bifurcated port of the datapath" || fail "list: $(cat "$out")"
    # What the generator writes is what plan shows; the bind unit has work.
    generate
    jq -e ".devices[] | select(.address == \"$CX1\") | .stays_on == \"mlx5_core\"" \
        "$root/run/dpdk-boot/plan.json" >/dev/null || fail "the plan file lacks stays_on for $CX1"
    grep -qF -- "-a $INTEL -a $CX0 -a $CX1" "$work/generated/dpdk-boot-datapath.service" ||
        fail "the datapath unit lacks the allow list: $(grep ExecStart "$work/generated/dpdk-boot-datapath.service")"
}

# A NIC that is not bifurcated, left on its kernel driver, is no port; a DPDK driver for a
# ConnectX port stays refused, with the way to give it to the datapath.
test_bifurcated_not_others() {
    cx_fixture
    set_config <<CONF
[Device]
Address=$INTEL
Driver=

[Device]
Address=$CX0
Driver=

[Device]
Address=$CX1
Driver=vfio-pci

[Datapath]
Preset=testpmd
Cores=2-3
MainCore=0
CONF
    run plan --json
    expect_rc 0
    jqe ".devices[] | select(.address == \"$INTEL\") | .target == \"\" and (has(\"stays_on\") | not)"
    jqe ".devices[] | select(.address == \"$CX1\") | .refused_by == \"bifurcated\""
    jqe ".devices[] | select(.address == \"$CX1\") | .refusal | test(\"Leave Driver= empty on its rule to give it to the datapath on mlx5_core\")"
    jqe ".datapath.exec_start | test(\" -a $CX0 -- \")"
}

test_bifurcated_ovs() {
    ovs_fixture
    cx_device "$INTEL" 8086 1572 i40e 8
    cx_device "$CX0" 15b3 1017 mlx5_core 10 0
    cx_device "$CX1" 15b3 1017 mlx5_core 11 1
    set_config <<CONF
[Device]
Address=$INTEL
Driver=vfio-pci

[Device]
ID=15b3:1017
Driver=

[Datapath]
Preset=ovs
Cores=2-3
MainCore=0
Bridge=br-one
CONF
    run --dry-run ovs-setup
    expect_rc 0
    local p name
    for p in "$CX0" "$CX1" "$INTEL"; do
        name=dpdk-$(tr : - <<<"${p#0000:}")
        expect_out "--may-exist add-port br-one $name -- set Interface $name type=dpdk options:dpdk-devargs=$p external_ids:dpdk-boot=managed"
    done
    sed -i 's/^Driver=$/Driver=vfio-pci/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run --dry-run ovs-setup
    expect_rc 0
    ! grep -qF "dpdk-devargs=$CX0" "$out" || fail "a refused ConnectX port is in ovsdb"
}

test_bifurcated_vpp() {
    cx_fixture vpp
    run vpp-config
    expect_rc 0
    expect_out "(3 ports)"
    local conf=$root/run/dpdk-boot/vpp-startup.conf p
    for p in "$CX0" "$CX1" "$INTEL"; do
        grep -qx "  dev $p" "$conf" || fail "no 'dev $p' in $(cat "$conf")"
    done
    # The ports do not share a driver: VPP's own choice, per device.
    ! grep -q uio-driver "$conf" || fail "uio-driver for a bifurcated port: $(cat "$conf")"
}

test_bifurcated_bind() {
    cx_fixture
    cx_modules mlx5_ib ib_uverbs
    generate
    run bind --from-plan --all
    expect_rc 0
    expect_err "$INTEL: bound to vfio-pci (was i40e"
    expect_err "$CX0: already on its kernel driver mlx5_core."
    expect_err "$CX0: stays on mlx5_core, a port of the datapath; would load (not into the running kernel under --root) mlx5_ib, ib_uverbs for its DPDK PMD."
    expect_err "$CX1: stays on mlx5_core, a port of the datapath; would load"
    expect_err "3 devices of this boot's plan bound."
    expect_driver "$CX0" mlx5_core
    expect_driver "$CX1" mlx5_core
    expect_driver "$INTEL" vfio-pci
    # Loaded already (the tree's /sys/module): nothing to look up, not even a module directory.
    rm -r "$root/lib/modules"
    mkdir -p "$root/sys/module/mlx5_ib" "$root/sys/module/ib_uverbs"
    run bind --from-plan "$CX0"
    expect_rc 0
    expect_err "$CX0: stays on mlx5_core, a port of the datapath; would load"
}

# A module that cannot be had: an error naming the device and the module; the other ports are
# bound all the same and the device stays on its driver.
test_bifurcated_bind_module_missing() {
    cx_fixture
    cx_modules ib_uverbs
    generate
    run bind --from-plan --all
    expect_rc 1
    expect_err "$CX0: cannot load mlx5_ib, which the DPDK PMD of this port needs on top of mlx5_core: no kernel module provides it for this kernel"
    expect_err "$CX1: cannot load mlx5_ib"
    expect_err "2 of 3 devices of this boot's plan could not be bound"
    expect_driver "$INTEL" vfio-pci
    expect_driver "$CX0" mlx5_core
    # Deny-listed: said so.
    echo 'blacklist mlx5_ib' >>"$root/etc/modprobe.d/rdma.conf"
    echo 'alias mlx5_ib mlx5_ib' >>"$root/etc/modprobe.d/rdma.conf"
    run bind --from-plan "$CX1"
    expect_rc 1
    expect_err "$CX1: module mlx5_ib is deny-listed"
    # No module directory at all, nothing loaded: said so too.
    rm -r "$root/lib/modules"
    run bind --from-plan "$CX1"
    expect_rc 1
    expect_err "$CX1: cannot load mlx5_ib, which the DPDK PMD of this port needs on top of mlx5_core: there is no module directory for this kernel."
}

test_bifurcated_verify() {
    cx_fixture
    cx_modules mlx5_ib ib_uverbs
    generate
    run reserve
    expect_rc 0
    run bind --from-plan --all
    expect_rc 0
    run verify
    expect_rc 0
    expect_out "OK: 1 hugepage size and 3 devices as planned."
    # Without its uverbs node: the port and the modules that are not loaded.
    rm -r "$root/$(dev "$CX1")/infiniband_verbs"
    run verify
    expect_rc 1
    expect_err "$CX1: no uverbs node (infiniband_verbs/uverbs* of the device), which the DPDK PMD of this port on mlx5_core opens; not loaded: mlx5_ib, ib_uverbs"
    expect_no_err "$CX0: no uverbs node"
    run status
    expect_out "  - $CX1: no uverbs node (infiniband_verbs/uverbs* of the device)"
    grep -A1 "^  $CX1 " "$out" | grep -qF "driver mlx5_core, wanted mlx5_core  FAIL" || fail "status marks $CX1 ok"
    grep -A1 "^  $CX0 " "$out" | grep -qF "driver mlx5_core, wanted mlx5_core  ok" || fail "status does not mark $CX0 ok"
    mkdir -p "$root/sys/module/mlx5_ib"
    run verify
    expect_rc 1
    expect_err "$CX1: no uverbs node (infiniband_verbs/uverbs* of the device), which the DPDK PMD of this port on mlx5_core opens; not loaded: ib_uverbs"
    mkdir -p "$root/sys/module/ib_uverbs"
    run verify
    expect_rc 1
    expect_err "its modules are loaded, but none made one for it"
    # The sysfs node without its /dev node.
    mkdir -p "$root/$(dev "$CX1")/infiniband_verbs/uverbs1"
    rm "$root/dev/infiniband/uverbs1"
    run verify
    expect_rc 1
    expect_err "$CX1: /dev/infiniband/uverbs1 is missing (its sysfs node infiniband_verbs/uverbs1 is there)"
    # Off its kernel driver: named as any device on the wrong driver.
    : >"$root/dev/infiniband/uverbs1"
    run unbind "$CX0"
    run verify
    expect_rc 1
    expect_err "$CX0: on no driver, wanted mlx5_core"
    # status says the same.
    run status
    expect_out "$CX0: on no driver, wanted mlx5_core"
}

# The PMD takes the traffic of the port's kernel interface: a default route that came up on it
# after the boot was planned refuses it at the bind step, and verify keeps the datapath down;
# Force=yes on its rule takes it all the same.
test_bifurcated_live_management() {
    cx_fixture
    cx_modules mlx5_ib ib_uverbs
    generate
    run reserve
    expect_rc 0
    mkdir -p "$root/proc/net"
    printf 'Iface\tDestination\tGateway\tFlags\nen0af0\t00000000\t0101A8C0\t0003\n' >"$root/proc/net/route"
    run bind --from-plan --all
    expect_rc 1
    expect_err "$CX0 refused [management]: its interface en0af0 carries the management path now (the IPv4 default route)"
    expect_err "$CX1: stays on mlx5_core, a port of the datapath; would load"
    expect_driver "$CX0" mlx5_core
    run verify
    expect_rc 1
    expect_err "$CX0: its interface en0af0 carries the management path now (the IPv4 default route), and the DPDK PMD of this bifurcated port would take its traffic; the datapath does not start with it."
    expect_no_err "$CX1: its interface"
    sed -i "/^ID=15b3:1017\$/a Force=yes" "$root/etc/dpdk-boot/dpdk-boot.conf"
    generate
    run bind --from-plan --all
    expect_rc 0
    run verify
    expect_rc 0
}
