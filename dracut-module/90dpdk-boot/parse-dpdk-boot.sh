#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# dpdk-boot, cmdline hook: parses the switches and records, nothing else.
#
#   dpdk=<bool>       dpdk=no: no dpdk-boot at all this boot, in the initramfs or after it
#   rd.dpdk=<bool>    rd.dpdk=no: skip the initramfs stage; the real root still does it all
#   rd.dpdk.hugepages=<bool>, rd.dpdk.bind=<bool>: one step of the initramfs stage (read by
#                     dpdk-boot-generator and the helper themselves)
#
# Booleans as systemd takes them: 1/yes/y/true/t/on and 0/no/n/false/f/off; a bare switch means
# yes; the last occurrence wins. Examples:  rd.dpdk=0   dpdk=off   rd.dpdk.bind=no
#
# When the stage runs, the stamp of the configuration this image was built from goes to
# /run/dpdk-boot/initrd-stamp, where the real root compares it with its own configuration.
# DPDK_BOOT_ROOT, as for the helper, points every path at a tree (tests).

command -v getarg > /dev/null || . /lib/dracut-lib.sh

# dpdk_boot_off KEY: true when KEY is given with a false value.
dpdk_boot_off() {
    local _v
    _v=$(getarg "$1") || return 1
    case "$_v" in
        0 | no | n | false | f | off) return 0 ;;
    esac
    return 1
}

dpdk_boot_record() {
    local _root="${DPDK_BOOT_ROOT:-}"
    if dpdk_boot_off dpdk || dpdk_boot_off rd.dpdk; then
        info "dpdk-boot: initramfs stage switched off on the kernel command line"
        return 0
    fi
    [ -f "$_root/usr/lib/dpdk-boot/initrd-stamp" ] || return 0
    if ! { mkdir -p "$_root/run/dpdk-boot" &&
        cp "$_root/usr/lib/dpdk-boot/initrd-stamp" "$_root/run/dpdk-boot/initrd-stamp"; }; then
        warn "dpdk-boot: cannot record the initramfs configuration stamp"
    fi
}

dpdk_boot_record
