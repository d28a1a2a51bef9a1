# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# What run.sh and stages.sh share. Sourced, after they have set their arguments.
#
#   $work                      a temporary directory, removed on exit
#   $failed                    how many checks failed (ko)
#   ok MSG, ko MSG             print "PASS MSG", "FAIL MSG" (and count it)
#   cmdline TREE               the case's kernel command line (mkcase.sh writes proc/cmdline when
#                              it has one)
#   on_tree TREE INITRD CMD... runs CMD on the case's tree: TREE as the root prefix, its kernel
#                              command line, SYSTEMD_IN_INITRD=INITRD (more variables for CMD
#                              alone: "env VAR=... CMD", so that LD_PRELOAD reaches no other)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

ok() { echo "PASS $*"; }
ko() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

cmdline() { if [[ -f $1/proc/cmdline ]]; then cat "$1/proc/cmdline"; else echo "root=/dev/sda1 ro"; fi; }

on_tree() {
    local tree=$1 initrd=$2
    shift 2
    DPDK_BOOT_ROOT=$tree SYSTEMD_PROC_CMDLINE="$(cmdline "$tree")" SYSTEMD_IN_INITRD=$initrd "$@"
}
