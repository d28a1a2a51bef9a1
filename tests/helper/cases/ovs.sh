# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: ovs-setup. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

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
