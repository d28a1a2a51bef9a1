#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden-directory tests of dpdk-boot-generator: each cases/NAME.case names a config, a kernel
# command line and whether we are in the initrd; the generator runs unprivileged on the fixture
# sysfs tree in root/, and its output (file list with symlink targets, every unit, its log) must
# equal cases/NAME.expected/, and so must the plan it left in /run/dpdk-boot. With DPDK_BOOT
# (the helper) set, `dpdk-boot plan --units` on the same inputs must print exactly the units the
# generator wrote: one plan, whoever renders it. UPDATE=1 rewrites the expected directories.
# Install paths come from the build: the unit directory is @UNITDIR@ in the listing, and the
# helper's path in the units (SBINDIR/dpdk-boot) is @SBINDIR@/dpdk-boot, so the goldens hold for
# any prefix (a distribution's /usr as well as /usr/local).
#
# usage: SBINDIR=DIR [DPDK_BOOT=HELPER] test-generator.sh GENERATOR UNITDIR [CASE...]
set -euo pipefail

gen=$1 unitdir=$2
sbindir=${SBINDIR:?set SBINDIR to the sbindir of the build (meson test does)}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/lib/cases.sh
. "$here/../lib/cases.sh"

# The generator's output as one comparable tree: a listing with symlink targets (the unit
# directory abstracted), the regular files, and what it logged.
normalize() {
    local out=$1 log=$2 dest=$3 root=$4
    mkdir -p "$dest/units"
    (cd "$out" && find . -mindepth 1 -printf '%P %y %l\n' | LC_ALL=C sort) \
        | sed "s|$unitdir/|@UNITDIR@/|" > "$dest/listing"
    (cd "$out" && find . -type f -printf '%P\n') | while read -r f; do
        mkdir -p "$dest/units/$(dirname "$f")"
        sed "s|$sbindir/dpdk-boot |@SBINDIR@/dpdk-boot |g" "$out/$f" > "$dest/units/$f"
    done
    sed "s|$here/root|@ROOT@|g" "$log" > "$dest/log"
    local plan
    for plan in "$root"/run/dpdk-boot/*plan.json; do
        if [ -e "$plan" ]; then cp "$plan" "$dest/$(basename "$plan")"; fi
    done
}

# plan --units against the generator's directory, byte for byte.
same_as_plan_units() {
    local name=$1 root=$2 out=$3 CMDLINE=$4 INITRD=$5
    [ -n "${DPDK_BOOT:-}" ] || return 0
    "$here/../print-units.sh" "$out" > "$work/$name/generator.units"
    DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE=$CMDLINE SYSTEMD_IN_INITRD=$INITRD \
        "$DPDK_BOOT" plan --units > "$work/$name/plan.units" 2> "$work/$name/plan.log" || true
    if ! cmp -s "$work/$name/generator.units" "$work/$name/plan.units"; then
        echo "$name: 'dpdk-boot plan --units' differs from the generator's output:"
        diff -u "$work/$name/generator.units" "$work/$name/plan.units" || true
        return 1
    fi
}

check_case() {
    local case=$1 name CONFIG="" CMDLINE="" INITRD=0 DROPINS=""
    name=$(basename "$case" .case)
    # shellcheck source=/dev/null
    . "$case"
    local root=$work/$name/root out=$work/$name/out same=0
    mkdir -p "$work/$name" "$out"
    cp -a "$here/root" "$root"
    if [ -n "$CONFIG" ]; then
        mkdir -p "$root/etc/dpdk-boot"
        install -m 0644 "$here/confs/$CONFIG" "$root/etc/dpdk-boot/dpdk-boot.conf"
    fi
    local d
    for d in $DROPINS; do   # PATH=SOURCE, e.g. etc/dpdk-boot/conf.d/50-x.conf=site.conf
        mkdir -p "$(dirname "$root/${d%%=*}")"
        install -m 0644 "$here/confs/${d##*=}" "$root/${d%%=*}"
    done
    local rc=0
    DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE=$CMDLINE SYSTEMD_IN_INITRD=$INITRD \
        DPDK_BOOT_LOG_LEVEL=info "$gen" "$out" "$out" "$out" 2> "$work/$name/log" || rc=$?
    echo "exit $rc" >> "$work/$name/log"
    normalize "$out" "$work/$name/log" "$work/$name/actual" "$root"
    same_as_plan_units "$name" "$root" "$out" "$CMDLINE" "$INITRD" || same=1

    if [ "${UPDATE:-0}" = 1 ]; then
        rm -rf "${case%.case}.expected"
        cp -a "$work/$name/actual" "${case%.case}.expected"
    fi
    local st=0
    diff -ruN "${case%.case}.expected" "$work/$name/actual" && [ "$same" = 0 ] || st=1
    case_result "$name" "$st"
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$here"/cases/*.case)
for c in "${cases[@]}"; do
    check_case "$c"
done
cases_summary
