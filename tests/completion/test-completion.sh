#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of dpdk-boot, driven as bash drives it, on a fixture tree for the PCI
# addresses: bash-completion loaded, COMP_WORDBREAKS as bash sets it, and COMP_WORDS, COMP_CWORD,
# COMP_LINE and COMP_POINT as readline makes them (':' and '=' split words). A candidate is checked
# as readline uses it: it replaces only the text after the last word break, so the expectations
# are the tokens the line ends up with.
# Usage: test-completion.sh COMPLETION_FILE [BASH_COMPLETION]
set -euo pipefail

bash_completion=${2:-/usr/share/bash-completion/bash_completion}
[[ -r $bash_completion ]] || { echo "FAIL: no $bash_completion (Debian: bash-completion)" >&2; exit 1; }
# shellcheck source=/dev/null
. "$bash_completion"
# shellcheck source=/dev/null
. "$1"
complete -p dpdk-boot > /dev/null
# bash's default (bash(1), COMP_WORDBREAKS)
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/sys/bus/pci/devices/0000:00:04.0" "$tmp/root/sys/bus/pci/devices/0000:3b:00.1"
mkdir -p "$tmp/cwd/conf.d"
touch "$tmp/cwd/site.conf"
cd "$tmp/cwd"

fail=0
# split_line LINE: COMP_WORDS and COMP_CWORD as readline splits LINE, the cursor at its end:
# blanks separate words, and each run of the other COMP_WORDBREAKS characters is a word of its own.
split_line() {
    local line=$1 c word='' i in_breaks=false
    COMP_WORDS=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ $c == [[:blank:]] ]]; then
            [[ -z $word ]] || COMP_WORDS+=("$word")
            word='' in_breaks=false
        elif [[ $COMP_WORDBREAKS == *"$c"* ]]; then
            $in_breaks || { [[ -z $word ]] || COMP_WORDS+=("$word"); word=''; }
            word+=$c in_breaks=true
        else
            $in_breaks && { COMP_WORDS+=("$word"); word=''; }
            word+=$c in_breaks=false
        fi
    done
    COMP_WORDS+=("$word")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}

# complete LINE: the tokens the last word of LINE can become (a trailing space starts a new
# word): what precedes readline's word in that token, then each candidate.
complete_line() {
    local line=$1 token lead c
    split_line "$line"
    COMP_LINE=$line
    COMP_POINT=${#line}
    token=${line##*[[:blank:]]}
    # readline's word starts after the last break character of the token
    lead=$token
    while [[ -n $lead ]]; do
        c=${lead: -1}
        [[ $COMP_WORDBREAKS != *"$c"* ]] || break
        lead=${lead%?}
    done
    COMPREPLY=()
    _dpdk_boot
    printf '%s\n' "${COMPREPLY[@]/#/$lead}" | sort | paste -sd' ' -
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
expect 'dpdk-boot kargs --bootloader ' 'bls bootc grub grubby uki'
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

# the verbs of issue 23, and addresses and --opt=value split at ':' and '='
expect 'dpdk-boot set-ov' 'set-override'
expect 'dpdk-boot list' 'list list-overrides'
expect 'dpdk-boot list --j' '--json'
expect 'dpdk-boot set-override --n' '--noapply'
expect "dpdk-boot --root $r set-override 0000:3" '0000:3b:00.1'
expect "dpdk-boot --root $r set-override 0000:3b:00.1 vf" 'vfio-pci'
expect "dpdk-boot --root $r set-override 0000:3b:00.1 k" 'kernel'
expect "dpdk-boot --root=$r set-override 0000:00:04.0 " 'igb_uio kernel uio_pci_generic vfio-pci'
expect "dpdk-boot --root=$r bind 0000:" '0000:00:04.0 0000:3b:00.1'
expect "dpdk-boot --root=$r bind 0000:00:" '0000:00:04.0'
expect "dpdk-boot --root=$r bind 0000:00:04" '0000:00:04.0'
expect "dpdk-boot --root $r kargs --kernel=" '--kernel=6.1.0-18-amd64'
expect 'dpdk-boot kargs --bootloader=' '--bootloader=bls --bootloader=bootc --bootloader=grub --bootloader=grubby --bootloader=uki'
mkdir -p "$r/etc/dpdk-boot/conf.d"
: > "$r/etc/dpdk-boot/conf.d/90-override-0000:3b:00.1.conf"
: > "$r/etc/dpdk-boot/conf.d/50-site.conf"
expect "dpdk-boot --root=$r unset-override " '0000:3b:00.1'
expect "dpdk-boot --root=$r unset-override 0000:3" '0000:3b:00.1'

[ "$fail" -eq 0 ] || exit 1
echo "ok: completion"
