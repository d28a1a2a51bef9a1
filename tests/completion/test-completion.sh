#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of dpdk-boot, driven as bash drives it (COMP_WORDS/COMP_CWORD), on a
# fixture tree for the PCI addresses.  Usage: test-completion.sh COMPLETION_FILE
set -euo pipefail

# shellcheck source=/dev/null
. "$1"
complete -p dpdk-boot > /dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/sys/bus/pci/devices/0000:00:04.0" "$tmp/root/sys/bus/pci/devices/0000:3b:00.1"
mkdir -p "$tmp/cwd/conf.d"
touch "$tmp/cwd/site.conf"
cd "$tmp/cwd"

fail=0
# complete LINE: the candidates for the last word of LINE (a trailing space starts a new word).
complete_line() {
    local line=$1
    read -ra COMP_WORDS <<< "$line"
    [[ $line == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _dpdk_boot
    printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ' -
}

expect() {
    local line=$1 want=$2 got
    got=$(complete_line "$line")
    if [ "$got" != "$want" ]; then
        echo "FAIL: '$line': got '$got', expected '$want'" >&2
        fail=1
    fi
}

expect_has() {
    local line=$1 want=$2 got
    got=" $(complete_line "$line") "
    if [[ $got != *" $want "* ]]; then
        echo "FAIL: '$line': '$want' not among '$got'" >&2
        fail=1
    fi
}

r=$tmp/root
expect 'dpdk-boot st' 'status'
expect 'dpdk-boot con' 'config-stamp'
expect 'dpdk-boot in' 'initrd-manifest'
expect 'dpdk-boot initrd-manifest --k' '--kernel'
expect 'dpdk-boot re' 'reserve restore'
expect_has 'dpdk-boot ' 'verify'
expect_has 'dpdk-boot ' 'bind'
expect "dpdk-boot --root $r bind " '0000:00:04.0 0000:3b:00.1'
expect "dpdk-boot --root=$r bind 0000:3" '0000:3b:00.1'
expect "dpdk-boot bind --root $r 0000:00:04.0 " 'igb_uio uio_pci_generic vfio-pci'
expect "dpdk-boot --root $r bind 0000:00:04.0 vfio" 'vfio-pci'
expect "dpdk-boot --root $r bind 0000:00:04.0 vfio-pci " ''
DPDK_BOOT_ROOT=$r expect 'dpdk-boot restore 0' '0000:00:04.0 0000:3b:00.1'
DPDK_BOOT_ROOT=$r expect 'dpdk-boot restore 0000:00:04.0 ' ''
expect 'dpdk-boot plan --u' '--units'
expect 'dpdk-boot status --u' ''
expect 'dpdk-boot status --j' '--json'
expect 'dpdk-boot bind --j' ''
expect_has 'dpdk-boot --' '--version'
expect 'dpdk-boot check s' 'site.conf'
expect 'dpdk-boot check site.conf ' ''
expect 'dpdk-boot --root con' 'conf.d'

mkdir -p "$r/usr/lib/modules/6.1.0-18-amd64"
expect 'dpdk-boot kargs --b' '--boot --bootloader'
expect 'dpdk-boot kargs --bootloader ' 'bls bootc grub grubby'
expect 'dpdk-boot kargs --bootloader=gr' '--bootloader=grub --bootloader=grubby'
expect "dpdk-boot --root $r kargs --kernel " '6.1.0-18-amd64'
expect "dpdk-boot --root $r kargs --kernel=6" '--kernel=6.1.0-18-amd64'
expect "dpdk-boot kargs --bootloader bls --k" '--kernel'
expect "dpdk-boot --bootloader bls kar" 'kargs'
expect 'dpdk-boot status --dr' ''
expect 'dpdk-boot reserve --f' '--from-plan'
expect 'dpdk-boot vpp-config --f' '--from-plan'
expect 'dpdk-boot ovs-setup --f' '--from-plan'
expect 'dpdk-boot kargs --f' '--from-plan'
expect 'dpdk-boot grant --f' '--from-plan'
expect 'dpdk-boot restore --f' '--from-plan'
expect 'dpdk-boot bind --from-plan --a' '--all'
expect 'dpdk-boot verify --f' ''

[ "$fail" -eq 0 ] || exit 1
echo "ok: completion"
