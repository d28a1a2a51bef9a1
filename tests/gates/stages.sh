#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# stages.sh DPDK-BOOT GENERATOR SHIM: the management gate in the three places a boot meets it,
# on the pre-probe hosts of mkcase.sh (no driver links, no net/, no routes, no bond or bridge
# netdevs). run.sh holds the real root's plan to its goldens; this holds the other two stages to
# that plan, device by device:
#   - the initramfs: an image built as the dracut module builds it (`initrd-manifest` on the real
#     root: its configuration files and the stored management evidence, nothing of the real
#     root's network configuration), the generator and `plan --json` run in it with
#     SYSTEMD_IN_INITRD=1. The initramfs takes only devices a rule names by address (pattern
#     rules wait for the real root). Every device the real root refuses for the management path
#     is either refused there too, with the same evidence (file:line or command-line word, as
#     stored in the image), or, picked by a pattern, not in its plan; no unit of its generator
#     binds it; it takes exactly the devices the real root takes by address;
#   - the bind verb (`dpdk-boot bind BDF vfio-pci`, the fakekernel shim preloaded): refuses each
#     such device, naming the evidence, and leaves it where it was; does not refuse the others for
#     the management path.
# A case whose real-root plan refuses nothing for the management path fails: it would prove
# nothing.
set -euo pipefail

exe=${1:?usage: stages.sh DPDK-BOOT GENERATOR SHIM}
gen=${2:?usage: stages.sh DPDK-BOOT GENERATOR SHIM}
shim=${3:?usage: stages.sh DPDK-BOOT GENERATOR SHIM}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/gates/lib.sh
. "$here/lib.sh"
cases=(mgmt-config mgmt-slot mgmt-mac mgmt-smbios-bond mgmt-ifupdown-path mgmt-dsn
       mgmt-dsn-eui64 mgmt-networkd-dirs mgmt-networkd-driver mgmt-netplan mgmt-netplan-driver mgmt-nm mgmt-nm-vlan mgmt-unreadable mgmt-malformed
       mgmt-rename mgmt-sun mgmt-netboot mgmt-netboot-any bond)
# plan TREE INITRD: `plan --json` of the tree
plan() { on_tree "$1" "$2" "$exe" plan --json || true; }

# refusals PLAN-JSON: "BDF<TAB>refusal" of every device refused for the management path
refusals() { jq -r '.devices[] | select(.refused_by == "management") | "\(.address)\t\(.refusal)"' "$1"; }
# taken PLAN-JSON: the devices the plan binds; exact PLAN-JSON: those picked by address
taken() { jq -r '.devices[] | select(.refused | not) | .address' "$1"; }
exact() { jq -r '.devices[] | select((.refused | not) and .rule == "Address=" + .address) | .address' "$1"; }
# the evidence as the initramfs names it: where it was stored is added
unstored() { sed 's| (stored in the initramfs, /usr/lib/dpdk-boot/mgmt-evidence:[0-9]*)||g'; }

# initrd TREE IMAGE: what the dracut module puts in an image for TREE, over TREE's sysfs
initrd() {
    local tree=$1 img=$2 manifest kind value
    manifest=$("$exe" --root "$tree" initrd-manifest)
    mkdir -p "$img/etc" "$img/usr/lib/dpdk-boot"
    cp -a "$tree/sys" "$img/sys"
    [[ ! -d $tree/proc ]] || cp -a "$tree/proc" "$img/proc"
    echo "NAME=dracut" > "$img/etc/initrd-release"
    : > "$img/usr/lib/dpdk-boot/mgmt-evidence"
    while read -r kind value; do
        case $kind in
        config)
            mkdir -p "$img$(dirname "$value")"
            cp -a "$tree$value" "$img$value" ;;
        evidence)
            printf '%s\n' "$value" >> "$img/usr/lib/dpdk-boot/mgmt-evidence" ;;
        esac
    done <<< "$manifest"
}

for c in "${cases[@]}"; do
    tree=$work/$c
    "$here/mkcase.sh" "$c" "$tree"
    plan "$tree" 0 > "$work/$c.host.json"
    refusals "$work/$c.host.json" > "$work/$c.host.refused"
    taken "$work/$c.host.json" > "$work/$c.host.taken"
    if [[ ! -s $work/$c.host.refused ]]; then
        ko "$c: the real root refuses no device for the management path"
        continue
    fi

    # the initramfs
    img=$work/$c.initrd
    initrd "$tree" "$img"
    plan "$img" 1 > "$work/$c.initrd.json"
    mkdir -p "$work/$c.initrd.units"
    on_tree "$img" 1 "$gen" "$work/$c.initrd.units" 2> /dev/null || true
    while IFS=$'\t' read -r bdf why; do
        got=$(jq -r --arg a "$bdf" '.devices[] | select(.address == $a) | "\(.refused_by)\t\(.refusal)\t\(.rule)"' \
            "$work/$c.initrd.json" | unstored)
        if [[ $got == "management"$'\t'"$why"$'\t'* ]]; then
            ok "$c: $bdf refused in the initramfs, the same evidence"
        elif [[ -z $got ]] && jq -e --arg a "$bdf" '.devices[] | select(.address == $a) | .rule != "Address=" + $a' \
                "$work/$c.host.json" > /dev/null; then
            ok "$c: $bdf, picked by a pattern, left to the real root by the initramfs"
        else
            ko "$c: $bdf in the initramfs: '$got', the real root: 'management	$why'"
        fi
        if grep -rqsF "$bdf" "$work/$c.initrd.units"; then
            ko "$c: a unit of the initramfs' generator names $bdf: $(grep -rlF "$bdf" "$work/$c.initrd.units")"
        fi
    done < "$work/$c.host.refused"
    if diff <(taken "$work/$c.initrd.json") <(exact "$work/$c.host.json") > /dev/null; then
        ok "$c: the initramfs takes what the real root takes by address ($(exact "$work/$c.host.json" | wc -l))"
    else
        ko "$c: the initramfs takes '$(taken "$work/$c.initrd.json" | tr '\n' ' ')', the real root by address '$(exact "$work/$c.host.json" | tr '\n' ' ')'"
    fi

    # the same host with every device of the plan named by address: the initramfs then decides
    # for each as the real root does (the same refusals, the same evidence, the same devices taken)
    named=$work/$c.named
    cp -a "$tree" "$named"
    jq -r '.devices[] | "[Device]\nAddress=\(.address)\nDriver=\(.target // "")\n"' "$work/$c.host.json" \
        > "$named/etc/dpdk-boot/dpdk-boot.conf"
    plan "$named" 0 > "$work/$c.named.json"
    rm -rf "$img"
    initrd "$named" "$img"
    plan "$img" 1 > "$work/$c.named-initrd.json"
    # (a host whose evidence fails closed takes none: every NIC is refused in both)
    if diff <(refusals "$work/$c.named.json") <(refusals "$work/$c.named-initrd.json" | unstored) &&
         diff <(taken "$work/$c.named.json") <(taken "$work/$c.named-initrd.json"); then
        ok "$c, every device named: the initramfs refuses $(refusals "$work/$c.named.json" | wc -l) and takes $(taken "$work/$c.named.json" | wc -l), as the real root"
    else
        ko "$c, every device named: the initramfs and the real root differ (above)"
    fi

    # the bind verb, on the real root
    while IFS=$'\t' read -r bdf why; do
        rc=0
        before=$(readlink "$tree/sys/bus/pci/devices/$bdf/driver" 2> /dev/null || echo none)
        before+=" $(cat "$tree/sys/bus/pci/devices/$bdf/driver_override" 2> /dev/null || echo -)"
        on_tree "$tree" 0 env TMPDIR="$work" LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD:}$shim" \
            "$exe" bind "$bdf" vfio-pci > /dev/null 2> "$work/$c.bind.err" || rc=$?
        after=$(readlink "$tree/sys/bus/pci/devices/$bdf/driver" 2> /dev/null || echo none)
        after+=" $(cat "$tree/sys/bus/pci/devices/$bdf/driver_override" 2> /dev/null || echo -)"
        if [[ $rc != 0 ]] && grep -qF "$bdf refused ${why%%]*}]" "$work/$c.bind.err" &&
           grep -qF "${why#*] }" "$work/$c.bind.err" && [[ $before == "$after" ]]; then
            ok "$c: bind $bdf refused, the evidence named"
        else
            ko "$c: bind $bdf: exit $rc, driver and override $before -> $after: $(cat "$work/$c.bind.err")"
        fi
    done < "$work/$c.host.refused"
    while read -r bdf; do
        on_tree "$tree" 0 env TMPDIR="$work" LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD:}$shim" \
            "$exe" bind "$bdf" vfio-pci > /dev/null 2> "$work/$c.bind.err" || true
        if grep -q "\[management\]" "$work/$c.bind.err"; then
            ko "$c: bind $bdf refused for the management path: $(cat "$work/$c.bind.err")"
        else
            ok "$c: bind $bdf not refused for the management path"
        fi
    done < "$work/$c.host.taken"
done
[[ $failed == 0 ]]
