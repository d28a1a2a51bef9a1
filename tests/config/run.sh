#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Parser tests: every NAME.conf here is installed as /etc/dpdk-boot/dpdk-boot.conf in a scratch
# root and loaded; what it parses to, or each error as file:line, must equal NAME.expected.
# A first line "# mode: 0664" sets the file's mode (for the ExecStart= trust rule).
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
