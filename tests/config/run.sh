#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Parser tests: every NAME.conf here is installed as /etc/dpdk-boot/dpdk-boot.conf in a scratch
# root and loaded; what it parses to, or each error as file:line, must equal NAME.expected.
# A first line "# mode: 0664" sets the file's mode (files others may write are refused).
# UPDATE=1 rewrites the expected files.
#
# usage: run.sh CONFIG-DUMP
set -euo pipefail

dump=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

for conf in "$here"/*.conf; do
    name=$(basename "$conf" .conf)
    root=$work/$name
    mkdir -p "$root/etc/dpdk-boot"
    mode=$(sed -n '1s/^# mode: \([0-7]*\)$/\1/p' "$conf")
    install -m "${mode:-0644}" "$conf" "$root/etc/dpdk-boot/dpdk-boot.conf"
    DPDK_BOOT_ROOT=$root "$dump" > "$work/$name.out" 2>&1
    [ "${UPDATE:-0}" = 1 ] && cp "$work/$name.out" "$here/$name.expected"
    if diff -u "$here/$name.expected" "$work/$name.out"; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
done
# A drop-in directory that others may write: anyone could remove a root-owned drop-in (such as
# one that excludes a NIC) or add their own, so the directory is refused and none of its files
# is read; the main file still is.
check_dir() {
    local name=dropin-dir-writable root=$work/dropin-dir-writable out
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[Hugepages]\nSize=2M\nCount=16\n' > "$root/etc/dpdk-boot/dpdk-boot.conf"
    printf '[Device]\nAddress=0000:00:04.0\n' > "$root/etc/dpdk-boot/conf.d/50-nic.conf"
    chmod 0644 "$root/etc/dpdk-boot/dpdk-boot.conf" "$root/etc/dpdk-boot/conf.d/50-nic.conf"
    chmod 0777 "$root/etc/dpdk-boot/conf.d"
    out=$(DPDK_BOOT_ROOT=$root "$dump" 2>&1 || true)
    if grep -qxF 'error: /etc/dpdk-boot/conf.d: Refusing this drop-in directory: it is writable by group or others (mode 0777); fix with chmod go-w.' <<< "$out" &&
        ! grep -q '50-nic.conf' <<< "$out"; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        printf '%s\n' "$out"
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
}
check_dir
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
