# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: vpp-config. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

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
