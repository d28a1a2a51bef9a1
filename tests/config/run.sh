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
# shellcheck source=tests/lib/cases.sh
. "$here/../lib/cases.sh"

for conf in "$here"/*.conf; do
    name=$(basename "$conf" .conf)
    root=$work/$name
    mkdir -p "$root/etc/dpdk-boot"
    mode=$(sed -n '1s/^# mode: \([0-7]*\)$/\1/p' "$conf")
    install -m "${mode:-0644}" "$conf" "$root/etc/dpdk-boot/dpdk-boot.conf"
    DPDK_BOOT_ROOT=$root "$dump" > "$work/$name.out" 2>&1
    [ "${UPDATE:-0}" = 1 ] && cp "$work/$name.out" "$here/$name.expected"
    st=0
    diff -u "$here/$name.expected" "$work/$name.out" || st=1
    case_result "$name" "$st"
done

# A trusted tree under $work/NAME: the main file, a drop-in, every directory 0755.
trusted_tree() {
    local root=$work/$1
    rm -rf "$root"
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    printf '[Hugepages]\nSize=2M\nCount=16\n' > "$root/etc/dpdk-boot/dpdk-boot.conf"
    printf '[Device]\nAddress=0000:00:04.0\n' > "$root/etc/dpdk-boot/conf.d/50-nic.conf"
    chmod 0644 "$root/etc/dpdk-boot/dpdk-boot.conf" "$root/etc/dpdk-boot/conf.d/50-nic.conf"
    chmod 0755 "$root" "$root/etc" "$root/etc/dpdk-boot" "$root/etc/dpdk-boot/conf.d"
}

# refused NAME DIR LINE: with DIR of the trusted tree made writable by all, config-dump prints
# LINE and reads none of the drop-ins; with the tree as made, it prints no error.
refused() {
    local name=$1 dir=$2 line=$3 root=$work/$1 out
    trusted_tree "$name"
    if ! out=$(DPDK_BOOT_ROOT=$root "$dump" 2>&1) || grep -q 'error:' <<< "$out"; then
        printf '%s\n' "$out"
        echo "a trusted chain is refused"
        return 1
    fi
    chmod 0777 "$root$dir"
    out=$(DPDK_BOOT_ROOT=$root "$dump" 2>&1 || true)
    if ! grep -qxF "$line" <<< "$out" || grep -q '50-nic.conf' <<< "$out"; then
        printf '%s\n' "$out"
        return 1
    fi
}

# A drop-in directory that others may write: anyone could remove a root-owned drop-in (such as
# one that excludes a NIC) or add their own, so the directory is refused and none of its files
# is read; the main file still is.
run_case dropin-dir-writable refused dropin-dir-writable /etc/dpdk-boot/conf.d \
    'error: /etc/dpdk-boot/conf.d: Refusing this drop-in directory: it is writable by group or others (mode 0777); fix with chmod go-w.'

# The directories above: with /etc/dpdk-boot (or /etc) writable by others, anyone could move
# conf.d aside, and the drop-in that excluded a NIC would be gone. The whole configuration is
# refused, naming the directory.
for dir in /etc/dpdk-boot /etc; do
    run_case "parent-writable ($dir)" refused parent-writable "$dir" \
        "error: $dir: Refusing the configuration below this directory: it is writable by group or others (mode 0777); fix with chmod go-w."
done
cases_summary
