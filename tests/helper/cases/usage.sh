# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: usage. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

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
