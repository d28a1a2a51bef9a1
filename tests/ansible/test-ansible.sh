#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Ansible role, with Debian's ansible-core (skipped, 77, without ansible-playbook):
#   1. ansible-playbook --syntax-check of the example playbook and of root-run.yml;
#   2. root-run.yml with the local connection against a scratch tree with a BLS
#      /etc/kernel/cmdline, three times: the first run writes the config and the kernel
#      arguments (the kargs task changed, the user's words kept), the second changes nothing,
#      a third with another nr_1gb_hugepages changes the arguments again. The reboot handler
#      never runs against a tree.
# Usage: test-ansible.sh DPDK_BOOT SOURCE_ROOT
set -euo pipefail

helper=$1
src=$2
if ! command -v ansible-playbook > /dev/null; then
    echo "ansible-playbook is not installed (Debian: apt install ansible-core)"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANSIBLE_ROLES_PATH=$src/contrib/ansible/roles
export ANSIBLE_LOCAL_TEMP=$tmp/ansible-local ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
fail=0
err() {
    echo "FAIL: $*" >&2
    fail=1
}

ansible-playbook --syntax-check -i localhost, "$src/contrib/ansible/playbook.yml" > /dev/null
ansible-playbook --syntax-check -i localhost, "$src/tests/ansible/root-run.yml" > /dev/null
echo "ok: syntax"

root=$tmp/root
mkdir -p "$root/etc/kernel" "$root/usr/lib/modules/6.1.0-18-amd64"
echo "root=/dev/vda1 ro quiet" > "$root/etc/kernel/cmdline"
echo 0123456789abcdef0123456789abcdef > "$root/etc/machine-id"

# run NAME EXTRA-ARGS...: the playbook; "task=changed|ok|skipped" for every task and handler, from
# the default callback's "TASK [role : name]" / "changed: [localhost]" lines (ansible-core has no
# json callback; that is in ansible.posix).
run() {
    local name=$1
    shift
    if ! ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_DISPLAY_SKIPPED_HOSTS=1 \
        ansible-playbook -i localhost, "$src/tests/ansible/root-run.yml" \
        -e "root=$root" -e "helper=$helper" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
        cat "$tmp/$name.out" "$tmp/$name.err" >&2
        err "$name: ansible-playbook failed"
        return 1
    fi
    awk '/^(TASK|RUNNING HANDLER) \[/ { t = $0; sub(/^[^[]*\[([^]:]* : )?/, "", t); sub(/\] \**$/, "", t); next }
         t != "" && /^(changed|ok|skipping): \[localhost\]/ {
             s = $1; sub(/:$/, "", s); if (s == "skipping") s = "skipped"; print t "=" s; t = "" }' \
        "$tmp/$name.out" > "$tmp/$name.tasks"
}
# state NAME TASK: what TASK did in run NAME ("absent" when it did not appear).
state() {
    local s
    s=$(grep -F "$2=" "$tmp/$1.tasks" | tail -n 1 | sed 's/.*=//')
    echo "${s:-absent}"
}
expect() {
    local got
    got=$(state "$1" "$2")
    [ "$got" = "$3" ] || err "$1: '$2' was $got, expected $3"
}

kargs='Write the kernel arguments to the boot loader (dpdk-boot kargs)'
config='Write /etc/dpdk-boot/dpdk-boot.conf'
reboot='Reboot to take the kernel arguments'

run first
expect first "$config" changed
expect first "$kargs" changed
expect first "$reboot" skipped
grep -qx 'Address=0000:00:04.0' "$root/etc/dpdk-boot/dpdk-boot.conf" || err "first: no [Device] 0000:00:04.0 in the config"
line=$(cat "$root/etc/kernel/cmdline")
[[ $line == "root=/dev/vda1 ro quiet "* ]] || err "first: the user's arguments changed: $line"
[[ " $line " == *" hugepages=4 "* && " $line " == *" iommu=pt "* ]] || err "first: arguments missing: $line"
[[ " $line " == *" isolcpus="* ]] || err "first: no isolcpus= for [CPU] Isolate=: $line"
[ -f "$root/etc/systemd/system/ovs-vswitchd.service.d/50-dpdk-boot.conf" ] || err "first: no ovs-vswitchd drop-in"

run second
expect second "$config" ok
expect second "$kargs" ok
expect second "$reboot" absent
[ "$(cat "$root/etc/kernel/cmdline")" = "$line" ] || err "second: the command line changed"

run third -e nr_1gb_hugepages=8
expect third "$kargs" changed
expect third "$reboot" skipped
line=$(cat "$root/etc/kernel/cmdline")
[[ " $line " == *" hugepages=8 "* && " $line " != *" hugepages=4 "* ]] || err "third: $line"

[ "$fail" -eq 0 ] || exit 1
echo "ok: three runs against a tree: written, unchanged, changed again"
