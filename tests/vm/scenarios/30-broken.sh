# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.

setup_broken() {
    broken_config | put_config "$1"
    put_expect "$1" none
}

broken_config() {  # the happy config with a typo'd key on line 3
    local out
    out=$(happy_config | sed '3s/^Count=2$/Cont=2/')
    [ "$(sed -n 3p <<< "$out")" = "Cont=2" ] || die "line 3 of the happy config is not Count=2"
    printf '%s\n' "$out"
}

assert_broken() {
    local e
    e="$CONF:3:"
    assert_reached_multi_user
    assert_kernel_drivers
    verdict "2M hugepages not reserved" "nr=$(hp 2048 nr)" eq "$(hp 2048 nr)" 0
    assert_datapath_inactive
    verdict "journal names $e and Cont" "$(grep -F -m1 "$e" "$R/journal.txt" | cut -c1-200)" \
        grep -qE "${e//./[.]}.*Cont" "$R/journal.txt"
    verdict "dpdk-boot-config.service failed" "$(tr '\n' ' ' < "$R/failed.txt" | tr -s ' ' | cut -c1-200)" \
        has 'dpdk-boot-config\.service' "$R/failed.txt"
    verdict "dpdk-boot status names $e" "$(grep -F -m1 "$e" "$R/status.txt")" grep -qF "$e" "$R/status.txt"
    verdict "dpdk-boot status exits non-zero" "rc=$(meta status_rc)" ne "$(meta status_rc)" 0
    verdict "status --json: config.ok=false and errors name $e and Cont" "$(json '.config | tojson' | cut -c1-200)" \
        json_ok ".config.ok == false and any(.config.errors[]; contains(\"$e\") and contains(\"Cont\"))"
    assert_mgmt
}
