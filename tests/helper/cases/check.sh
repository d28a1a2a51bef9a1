# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: check. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

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
    cd "$root/etc/dpdk-boot" || fail "no /etc/dpdk-boot in the tree"
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
