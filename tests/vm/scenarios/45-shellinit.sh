# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# shellinit: the happy config in an initramfs without systemd (dracut's shell init): the
# module's pre-trigger hook reserves the pages and binds before udev's coldplug, as the initrd
# units do in a systemd initramfs, and the real root finds the same result.

setup_shellinit() {
    happy_config | put_config "$1"
    put_expect "$1" datapath
}

# The modules of the shell-init image in tests/dracut/test-image.sh, with ours.
dracut_shellinit() {
    echo -m
    echo "base rootfs-block udev-rules kernel-modules fs-lib dpdk-boot"
}

assert_shellinit() {
    local n
    n=$(grep -cE 'systemd\[1\]: systemd [^ ]+ running in system mode' "$R/journal.txt")
    verdict "the initramfs ran without systemd (one systemd start in this boot)" "systemd starts: $n" eq "$n" 1
    verdict "the shell-init hook ran at pre-trigger" \
        "$(grep -m1 -E 'dpdk-boot-generator\[[0-9]+\]' "$R/journal.txt" | cut -c1-160)" \
        before_switch_root 'dpdk-boot(-generator)?\[[0-9]+\]: '
    # Everything the happy boot shows: binding, pages and stamp from the initramfs, the datapath.
    assert_happy
}
