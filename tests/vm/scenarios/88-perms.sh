# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# perms: a config that makes root run a command (Preset=custom, ExecStart=) and is writable by
# everyone (mode 0666): refused as a whole (as any config file others may write is), with the
# file, its mode and the fix; nothing is touched and the host comes up with its management
# network.

setup_perms() {
    {
        happy_config | sed '/^\[Datapath\]$/,$d'
        printf '[Datapath]\nPreset=custom\nMainCore=0\nCores=1\nExecStart=/usr/bin/dpdk-testpmd -l 0,1 -- -i\n'
    } | put_config "$1"
    chmod 0666 "$1$CONF"
    put_expect "$1" none
}

assert_perms() {
    assert_reached_multi_user
    assert_kernel_drivers
    verdict "2M hugepages not reserved" "nr=$(hp 2048 nr)" eq "$(hp 2048 nr)" 0
    assert_datapath_inactive
    verdict "journal: $CONF refused as a whole, with its mode and the fix" \
        "$(grep -m1 -F 'Refusing this file' "$R/journal.txt" | cut -c1-220)" \
        has "${CONF//./[.]}: Refusing this file: it is writable by group or others \\(mode 0666\\); fix with chmod go-w" "$R/journal.txt"
    verdict "dpdk-boot-config.service failed" "$(tr '\n' ' ' < "$R/failed.txt" | tr -s ' ' | cut -c1-200)" \
        has 'dpdk-boot-config\.service' "$R/failed.txt"
    verdict "status --json: config.ok=false, the error names the mode" "$(json '.config | tojson' | cut -c1-200)" \
        json_ok '.config.ok == false and any(.config.errors[]; contains("0666"))'
    verdict "dpdk-boot status exits 2 (configuration invalid)" "rc=$(meta status_rc)" eq "$(meta status_rc)" 2
    assert_mgmt
}
