# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# kargs: three boots of one disk with [Kernel] ManageArgs=yes RebootPolicy=once Bootloader=bls.
# The harness plays the boot loader: each boot takes its command line from the guest disk's
# /etc/kernel/cmdline (what kernel-install puts in a BLS entry), read back with debugfs.
#   boot 1: the arguments are missing: drift reported, persisted, and one reboot;
#   boot 2: the persisted line: no drift, no reboot, the datapath up;
#   boot 3: the line without them again (the boot loader did not take them) on a CPU without
#           pdpe1gb: drift reported (other arguments now: 2M as the default page size), and no
#           second reboot for the same configuration.

kargs_config() {
    happy_config
    printf '\n[Kernel]\nManageArgs=yes\nRebootPolicy=once\nBootloader=bls\n'
}

# What the config needs on the command line of this guest (2 CPUs: 0 for housekeeping).
# shellcheck disable=SC2054  # the commas are isolcpus' own
KARGS_NEEDED=(default_hugepagesz=1G hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=128
    isolcpus=managed_irq,domain,1 nohz_full=1 rcu_nocbs=1 irqaffinity=0 intel_iommu=on iommu=pt)

setup_kargs() {
    kargs_config | put_config "$1"
    put_expect "$1" datapath
    # the boot before is in the journal of the next one
    mkdir -p "$1/var/log/journal"
    echo "$BASE_CMDLINE" > "$1/etc/kernel/cmdline"
    # boot 1 reboots from dpdk-boot-kargs.service, after multi-user.target: the check waits
    # for it, so that a reboot, when there is one, comes first
    mkdir -p "$1/etc/systemd/system/dpdk-boot-vmcheck.service.d"
    printf '[Unit]\nAfter=dpdk-boot-kargs.service\n' \
        > "$1/etc/systemd/system/dpdk-boot-vmcheck.service.d/50-after-kargs.conf"
}

# Boot 3 runs on a CPU without 1G pages.
qemu_kargs() {
    if [ "${BOOT_N:-1}" = 3 ]; then echo -cpu; echo max,pdpe1gb=off; fi
}

after_boot_kargs() {
    local sdir=$1 n=$2
    case $n in
        1 | 2)
            guest_file "$sdir" /etc/kernel/cmdline > "$sdir/kernel-cmdline-boot$n"
            guest_ls "$sdir" /var/lib/dpdk-boot > "$sdir/state-boot$n"
            ;;
    esac
    case $n in
        1) head -1 "$sdir/kernel-cmdline-boot1" > "$sdir/cmdline.next" ;;
        2) echo "$BASE_CMDLINE dpdk_boot_vmtest.expect=none" > "$sdir/cmdline.next" ;;
        *) return 1 ;;
    esac
}

# has_words FILE WORD...: every WORD is a whole word of the first line of FILE
has_words() {
    local f=$1 w
    shift
    for w in "$@"; do
        grep -qE "(^| )${w//./[.]}( |\$)" <(head -1 "$f") || return 1
    done
}
has_serial() { grep -qE -- "$1" "$2"; }

assert_kargs() {
    local sdir=$WORK/kargs b1=$WORK/kargs/results-boot1 b2=$WORK/kargs/results-boot2 w base_kept=1 guard
    # boot 1: drift, persisted, one reboot, before any result was written
    verdict "boot 1 rebooted (no results written, the kernel restarted)" \
        "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot1.log")" \
        has_serial 'reboot: Restarting system' "$sdir/serial-boot1.log"
    verdict "boot 1 wrote no results" "$([ -d "$b1" ] && echo results || echo none)" eq "$([ -d "$b1" ] && echo 1)" ""
    verdict "boot 1: /etc/kernel/cmdline has every needed argument" "$(head -1 "$sdir/kernel-cmdline-boot1")" \
        has_words "$sdir/kernel-cmdline-boot1" "${KARGS_NEEDED[@]}"
    for w in console=ttyS0 root=/dev/vda rootfstype=ext4 rw panic=-1 no_timer_check; do
        has_words "$sdir/kernel-cmdline-boot1" "$w" || base_kept=0
    done
    verdict "boot 1: the other words of /etc/kernel/cmdline kept" "$(head -1 "$sdir/kernel-cmdline-boot1")" eq "$base_kept" 1
    verdict "boot 1: the old hugepages=1 and isolcpus=1 replaced, not duplicated" \
        "$(head -1 "$sdir/kernel-cmdline-boot1")" hasnt '(^| )(hugepages=1|isolcpus=1)( |$)' "$sdir/kernel-cmdline-boot1"
    guard=$(grep -m1 '^reboot-' "$sdir/state-boot1" || true)
    verdict "boot 1: a reboot guard in /var/lib/dpdk-boot" "${guard:-none}" ne "$guard" ""
    # what boot 1 said, from the journal of boot 2
    verdict "boot 1: the generator reported the missing arguments" \
        "$(grep -m1 -E 'lacks .*reboot required' "$b2/journal-prev.txt" | cut -c1-200)" \
        has 'dpdk-boot-generator.*lacks .*reboot required' "$b2/journal-prev.txt"
    verdict "boot 1: dpdk-boot-kargs rebooted once" \
        "$(grep -m1 'Rebooting once' "$b2/journal-prev.txt" | cut -c1-200)" has 'Rebooting once to take the kernel arguments' "$b2/journal-prev.txt"

    # boot 2: the persisted line, no drift, no reboot, DPDK up
    verdict "boot 2: booted with the persisted line" "$(cat "$b2/cmdline.txt")" has_words "$b2/cmdline.txt" "${KARGS_NEEDED[@]}"
    verdict "boot 2: powered off, no reboot" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot2.log")" \
        has_serial 'reboot: Power down' "$sdir/serial-boot2.log"
    verdict "boot 2: no drift in the journal" "$(grep -m1 'reboot required' "$b2/journal.txt" | cut -c1-160)" \
        hasnt 'lacks .*reboot required' "$b2/journal.txt"
    verdict "boot 2: status --json reboot_required=false" "$(jq -c '.kernel // .kargs // empty' "$b2/status.json" 2> /dev/null | cut -c1-200)" \
        eq "$(jq -r '[.. | objects | select(has("reboot_required")) | .reboot_required] | first' "$b2/status.json" 2> /dev/null)" false
    verdict "boot 2: datapath active" "$(awk '/^Unit=dpdk-boot-datapath.service$/ { f = 1 } f && /^ActiveState=/ { print; exit }' "$b2/units.txt")" \
        eq "$(R=$b2 unit_prop dpdk-boot-datapath.service ActiveState)" active
    verdict "boot 2: 1G pages from the command line: 2" "$(R=$b2 hp 1048576 nr)" eq "$(R=$b2 hp 1048576 nr)" 2
    verdict "boot 2: isolated CPUs: 1" "$(cat "$b2/isolated.txt")" eq "$(cat "$b2/isolated.txt")" 1

    # boot 3 (R): the arguments lost again, no pdpe1gb: drift, but no second reboot
    verdict "boot 3: booted without the arguments" "$(cat "$R/cmdline.txt")" hasnt 'nohz_full=' "$R/cmdline.txt"
    verdict "boot 3: powered off, no reboot" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot3.log")" \
        has_serial 'reboot: Power down' "$sdir/serial-boot3.log"
    verdict "boot 3: drift reported" "$(grep -m1 -E 'lacks .*reboot required' "$R/journal.txt" | cut -c1-200)" \
        has 'lacks .*reboot required' "$R/journal.txt"
    verdict "boot 3: dpdk-boot-kargs refused a second reboot, and said why" \
        "$(grep -m1 'Rebooted once already' "$R/journal.txt" | cut -c1-200)" has 'Rebooted once already for this configuration' "$R/journal.txt"
    verdict "boot 3: no 'Rebooting once' this boot" "$(grep -m1 'Rebooting once' "$R/journal.txt" | cut -c1-160)" \
        hasnt 'Rebooting once to take' "$R/journal.txt"
    verdict "boot 3: status --json reboot_required=true" \
        "$(jq -r '[.. | objects | select(has("reboot_required")) | .reboot_required] | first' "$R/status.json" 2> /dev/null)" \
        eq "$(jq -r '[.. | objects | select(has("reboot_required")) | .reboot_required] | first' "$R/status.json" 2> /dev/null)" true
    verdict "boot 3: status names the missing arguments" "$(grep -m1 -i 'reboot required' "$R/status.txt")" \
        has 'reboot required.*nohz_full=1' "$R/status.txt"
    verdict "boot 3: 1G pages reported as not offered by this CPU" \
        "$(grep -m1 -E '1G pages (are )?not' "$R/journal.txt" | cut -c1-200)" has '1G pages (are )?not (offered|supported)' "$R/journal.txt"
    assert_reached_multi_user
    assert_mgmt
}
