#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh DPDK-BOOT [GENERATOR]: for every case of mkcase.sh, builds its tree and compares
# `dpdk-boot plan` (text and --json) with golden/CASE.plan and golden/CASE.json. With GENERATOR,
# the generator runs on the same tree: the units it writes must be byte for byte what
# `plan --units` prints, and the plan it leaves in /run/dpdk-boot must be `plan --json`'s.
# UPDATE=1 rewrites the goldens. The goldens hold @SBINDIR@ where the units name the installed
# helper and @UNITDIR@ where a link points into the unit directory: SBINDIR and UNITDIR (the
# build's, set by meson) are replaced by them before comparing, so a build with other install
# paths (a distribution's /usr, Debian 12's /lib/systemd/system) compares equal.
set -euo pipefail

exe=${1:?usage: run.sh DPDK-BOOT [GENERATOR]}
gen=${2:-}
sbindir=${SBINDIR:?set SBINDIR to the sbindir of the build (meson test does)}
unitdir=${UNITDIR:?set UNITDIR to the unit directory of the build (meson test does)}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/gates/lib.sh
. "$here/lib.sh"
cases=(numa-node1 numa-main-remote numa-main-remote-socketmem numa-ht numa-ht-short numa-ht-socketmem group-shared group-bind rmrr rmrr-ovs no-iommu bond sriov-pf sriov-vfs mlx5 sku-a sku-b mgmt-config mgmt-slot mgmt-initrd mgmt-mac mgmt-smbios-bond
       mgmt-ifupdown-path mgmt-dsn mgmt-dsn-vm
       mgmt-networkd-dirs mgmt-networkd-driver mgmt-netplan mgmt-netplan-driver mgmt-unreadable mgmt-initrd-any mgmt-malformed mgmt-rename mgmt-sun mgmt-dsn-eui64 mgmt-nm mgmt-nm-vlan mgmt-netboot mgmt-netboot-any mac-bond conflict)
for c in "${cases[@]}"; do
    "$here/mkcase.sh" "$c" "$work/$c"
    forms=(plan json)
    # a preset's case: the units too, as the generator writes them
    [[ $c == *-ovs ]] && forms+=(units)
    for form in "${forms[@]}"; do
        args=(plan)
        [[ $form == json ]] && args+=(--json)
        [[ $form == units ]] && args+=(--units)
        rc=0
        initrd=0
        [[ -e $work/$c/etc/initrd-release ]] && initrd=1
        on_tree "$work/$c" "$initrd" "$exe" "${args[@]}" > "$work/$c.$form" 2>&1 || rc=$?
        echo "exit status $rc" >> "$work/$c.$form"
        sed -i "s|$sbindir/dpdk-boot |@SBINDIR@/dpdk-boot |g; s| -> $unitdir/| -> @UNITDIR@/|" "$work/$c.$form"
        if [[ ${UPDATE:-0} == 1 ]]; then
            cp "$work/$c.$form" "$here/golden/$c.$form"
        fi
        if diff -u "$here/golden/$c.$form" "$work/$c.$form"; then
            ok "$c ($form)"
        else
            ko "$c ($form)"
        fi
    done
    [[ -n $gen ]] || continue
    out=$work/$c.generator
    mkdir -p "$out"
    on_tree "$work/$c" "$initrd" "$gen" "$out" 2> "$work/$c.generator.log" || true
    on_tree "$work/$c" "$initrd" "$exe" plan --units > "$work/$c.plan-units" 2> /dev/null || true
    plan=$work/$c/run/dpdk-boot/plan.json
    [[ $initrd == 1 ]] && plan=$work/$c/run/dpdk-boot/initrd-plan.json
    if cmp -s <("$here/../print-units.sh" "$out") "$work/$c.plan-units" &&
        cmp -s "$plan" <(sed '$d' "$here/golden/$c.json"); then
        ok "$c (generator = plan --units, plan file = plan --json)"
    else
        ko "$c (generator = plan --units, plan file = plan --json)"
        diff -u <("$here/../print-units.sh" "$out") "$work/$c.plan-units" || true
        diff -u <(sed '$d' "$here/golden/$c.json") "$plan" || true
    fi
done
[[ $failed == 0 ]]
