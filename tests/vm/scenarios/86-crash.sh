# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# crash: the happy devices and pages with a custom datapath that dies of SIGSEGV at once: the
# unit restarts it a bounded number of times, then stays failed; the host, its management
# network and the bound devices are unaffected, and status says the datapath failed.

CRASHER=/usr/local/bin/dpdk-boot-vmtest-crash

setup_crash() {
    {
        happy_config | sed '/^\[Datapath\]$/,$d'
        printf '[Datapath]\nPreset=custom\nMainCore=0\nCores=1\nExecStart=%s\n' "$CRASHER"
    } | put_config "$1"
    put_expect "$1" failed
    rm -f "$1$CRASHER"
    mkdir -p "$1${CRASHER%/*}"
    printf '#!/bin/sh\necho "dpdk-boot-vmtest: crashing on purpose"\nkill -SEGV $$\n' > "$1$CRASHER"
    chmod 0755 "$1$CRASHER"
}

assert_crash() {
    local n res
    assert_reached_multi_user
    n=$(unit_prop dpdk-boot-datapath.service NRestarts)
    res=$(unit_prop dpdk-boot-datapath.service Result)
    verdict "datapath restarted, but a bounded number of times (StartLimitBurst=5)" "NRestarts=${n:-?}" \
        between 0 6 "$n"
    verdict "datapath ends failed, not restarting" \
        "$(unit_prop dpdk-boot-datapath.service ActiveState)/$res" \
        eq "$(unit_prop dpdk-boot-datapath.service ActiveState)" failed
    verdict "the crash itself is in the journal (SIGSEGV)" "$(grep -m1 -E 'dpdk-boot-datapath.service: Main process exited' "$R/journal.txt" | cut -c1-200)" \
        has 'dpdk-boot-datapath\.service: Main process exited, code=(killed|dumped), status=11/SEGV' "$R/journal.txt"
    verdict "status says the datapath failed" "$(grep -m1 '^Datapath:' "$R/status.txt")" \
        has '^Datapath: .*failed' "$R/status.txt"
    verdict "dpdk-boot status exits 1" "rc=$(meta status_rc)" eq "$(meta status_rc)" 1
    verdict "status --json: datapath failed" "$(json '.datapath | tojson')" \
        json_ok '.datapath.active_state == "failed"'
    verdict "$DEV0 still on vfio-pci" "$(driver "$DEV0")" eq "$(driver "$DEV0")" vfio-pci
    verdict "$DEV1 still on vfio-pci" "$(driver "$DEV1")" eq "$(driver "$DEV1")" vfio-pci
    assert_mgmt
}
