# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The harness of tests/helper/test-helper.sh: a fresh fixture tree per case, the helper run as a
# unit would run it, and the expectations the cases check. Sourced by test-helper.sh, which sets
# DPDK_BOOT, SHIM, UNITDIR, here and work first.
# shellcheck disable=SC2034,SC2154 # the cases use root, rc, H1G, ...; test-helper.sh sets here and work

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
    # valgrind's notes ("--PID-- ..."), not its errors ("==PID=="; --error-exitcode): valgrind
    # 3.19 does not know openat2(2) and says so, and dpdk-boot then resolves the tree itself.
    [[ -z ${HELPER_WRAP:-} ]] || sed -i '/^--[0-9]*-- /d' "$err"
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
