# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: fromplan: reserve, ovs-setup, vpp-config and kargs as their units run them, on the plan file. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

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

# A damaged count in the plan file is refused, never wrapped into a smaller one.
test_fromplan_reserve_damaged_count() {
    local plan
    fresh
    generate
    plan=$root/run/dpdk-boot/plan.json
    jq '.hugepages[0].nodes[1].requested = 4294967298' "$plan" >"$work/plan" && cp "$work/plan" "$plan"
    run reserve --from-plan
    expect_rc 1
    expect_err "Failed to read the plan of this boot from /run/dpdk-boot/plan.json: Bad message"
    expect_file "$(node1g 1)/nr_hugepages" 0
    jq '.hugepages[1].requested = -1' "$work/plan" >"$plan"
    run reserve --from-plan
    expect_rc 1
    expect_err "Bad message"
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
    (cd "$root" && for f in etc/kernel/cmdline boot/loader/entries/* var/lib/dpdk-boot/* etc/systemd/system.conf.d/*; do
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
    # systemd's CPUAffinity= too: the plan's housekeeping CPUs
    grep -qx "CPUAffinity=0-1" "$root/etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf" ||
        fail "no CPUAffinity=0-1 from the plan file"
    run kargs --boot
    expect_rc 0
    expect_out "Arguments:  default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2 hugepagesz=2M hugepages=512 intel_iommu=on iommu=pt"
    expect_err "Reboot required to take the kernel arguments"
    # planned afresh without [CPU]: removed
    expect_out "/etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf: removed"
    expect_missing etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf
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
