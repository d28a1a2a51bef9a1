# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# nomod: the happy config on an image whose kernel has no vfio-pci module (removed from the
# tree before the initramfs is built, depmod run again): the driver gate refuses both devices
# before anything is unbound, they keep their kernel driver and netdevs, the datapath does not
# start, and the host comes up with its management network.

setup_nomod() {
    local kver m
    happy_config | put_config "$1"
    put_expect "$1" none
    kver=$(find "$1/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
    m=$(find "$1/lib/modules/$kver" -name 'vfio-pci.ko*' -print -quit)
    [ -n "$m" ] || die "nomod: no vfio-pci module in the guest tree"
    rm -f "$m"
    # depmod writes new files and renames them: the run's tree, hard-linked, keeps its own
    depmod -b "$1" "$kver" || die "nomod: depmod failed"
    # dracut leaves out a module whose check() fails (no vfio_pci) unless it is asked for by
    # name, as the harness asks for ours: here it is not, as on a host that installed the package
    rm -f "$1/etc/dracut.conf.d/51-dpdk-boot-vmtest-project.conf"
}

assert_nomod() {
    local d
    assert_reached_multi_user
    assert_kernel_drivers
    for d in "$DEV0" "$DEV1"; do
        verdict "status --json: $d refused [driver]" \
            "$(json ".devices[] | select(.address == \"$d\") | tojson" | cut -c1-200)" \
            json_ok "[.devices[] | select(.address == \"$d\" and .refused == true and .gates.driver == \"fail\")] | length == 1"
        verdict "journal: $d refused [driver], naming vfio-pci" \
            "$(grep -m1 -F "$d refused [driver]" "$R/journal.txt" | cut -c1-200)" \
            has "${d//./[.]} refused \\[driver\\]: .*vfio.pci" "$R/journal.txt"
    done
    verdict "2M pages still reserved (the fault is the driver only)" "nr=$(hp 2048 nr)" eq "$(hp 2048 nr)" 128
    verdict "dpdk-boot status exits 1" "rc=$(meta status_rc)" eq "$(meta status_rc)" 1
    assert_datapath_inactive
    verdict "datapath never restarted" "NRestarts=$(unit_prop dpdk-boot-datapath.service NRestarts)" \
        eq "$(unit_prop dpdk-boot-datapath.service NRestarts)" 0
    assert_mgmt
}
