#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Ansible role, with Debian's ansible-core (skipped, 77, without ansible-playbook):
#   1. ansible-playbook --syntax-check of the example playbook, of root-run.yml and of oVirt's
#      example playbook (ovirt/example-playbook.yml, unchanged);
#   2. root-run.yml with the local connection against a scratch tree with a BLS
#      /etc/kernel/cmdline, three times: the first run writes the config and the kernel
#      arguments (the kargs task changed, the user's words kept), the second changes nothing,
#      a third with another nr_1gb_hugepages changes the arguments again. The reboot handler
#      never runs against a tree. The Open vSwitch package and service are the tree's
#      distribution family's (a Debian tree, then a Fedora one);
#   3. oVirt's example playbook, as it is, twice against another tree (the inventory makes
#      some_host this machine and the tree its root): the first run writes the config, with
#      "igb" as that kernel driver, and the kernel arguments; the second changes nothing.
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
ansible-playbook --syntax-check -i some_host, "$src/tests/ansible/ovirt/example-playbook.yml" > /dev/null
echo "ok: syntax"

# tree DIR OS-ID: a scratch root with a BLS command line and an os-release of OS-ID.
tree() {
    mkdir -p "$1/etc/kernel" "$1/usr/lib/modules/6.1.0-18-amd64"
    echo "root=/dev/vda1 ro quiet" > "$1/etc/kernel/cmdline"
    echo 0123456789abcdef0123456789abcdef > "$1/etc/machine-id"
    printf 'ID=%s\nVERSION_ID="1"\n' "$2" > "$1/etc/os-release"
}
root=$tmp/root
tree "$root" debian

# run NAME EXTRA-ARGS...: the playbook; "task=changed|ok|skipped" for every task and handler, from
# the default callback's "TASK [role : name]" / "changed: [localhost]" lines (ansible-core has no
# json callback; that is in ansible.posix).
run() {
    local name=$1
    shift
    local playbook=${PLAYBOOK:-$src/tests/ansible/root-run.yml}
    if ! ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_DISPLAY_SKIPPED_HOSTS=1 \
        ansible-playbook -v -i "${INVENTORY:-localhost,}" "$playbook" \
        -e "root=$root" -e "helper=$helper" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
        cat "$tmp/$name.out" "$tmp/$name.err" >&2
        err "$name: ansible-playbook failed"
        return 1
    fi
    awk '/^(TASK|RUNNING HANDLER) \[/ { t = $0; sub(/^[^[]*\[([^]:]* : )?/, "", t); sub(/\] \**$/, "", t); next }
         t != "" && /^(changed|ok|skipping): \[[^]]*\]/ {
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
grep -qx 'Preset=ovs' "$root/etc/dpdk-boot/dpdk-boot.conf" || err "first: set_ovs (set_ovs_dpdk's alias) gave no Preset=ovs"
grep -qx 'CoresPerPort=1' "$root/etc/dpdk-boot/dpdk-boot.conf" || err "first: pmd_threads_count gave no CoresPerPort=1"
# ovs_names NAME: the package and service the role chose in run NAME (its set_fact, shown by -v).
ovs_names() {
    python3 -c 'import json, re, sys
for line in open(sys.argv[1]):
    m = re.match(r"ok: \[[^]]*\] => (\{.*\})$", line.strip())
    if m and "_dpdk_boot_ovs" in m.group(1):
        o = json.loads(m.group(1))["ansible_facts"]["_dpdk_boot_ovs"]
        print(o["family"], o["package"], o["service"])' "$tmp/$1.out"
}
[ "$(ovs_names first)" = "Debian openvswitch-switch-dpdk openvswitch-switch" ] || err "first: Open vSwitch on Debian: $(ovs_names first)"

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

echo "ok: three runs against a tree: written, unchanged, changed again"

fedora=$tmp/fedora
tree "$fedora" fedora
root=$fedora run fedora
[ "$(ovs_names fedora)" = "RedHat openvswitch openvswitch" ] || err "fedora: Open vSwitch on Fedora: $(ovs_names fedora)"
echo "ok: Open vSwitch's package and service per distribution family"

# oVirt's example playbook, unchanged: its host is this machine, its root a tree.
root=$tmp/ovirt
tree "$root" debian
printf '%s\n' "some_host ansible_connection=local dpdk_boot_root=$root dpdk_boot_command=$helper dpdk_boot_install=false dpdk_boot_bootloader=bls" \
    > "$tmp/ovirt-inventory"
export PLAYBOOK=$src/tests/ansible/ovirt/example-playbook.yml INVENTORY=$tmp/ovirt-inventory
run ovirt-first
expect ovirt-first "$config" changed
expect ovirt-first "$kargs" changed
expect ovirt-first "$reboot" skipped
conf=$root/etc/dpdk-boot/dpdk-boot.conf
for want in 'Address=0000:00:04.0' 'Driver=vfio-pci' 'Address=0000:00:04.1' 'KernelDriver=igb' 'Address=0000:00:04.2'; do
    grep -qx "$want" "$conf" || err "ovirt-first: no '$want' in the config"
done
[ "$(grep -c '^Driver=$' "$conf")" = 2 ] || err "ovirt-first: igb and \"\" should both be Driver= (the kernel's)"
grep -q '^Preset=' "$conf" && err "ovirt-first: a datapath without set_ovs_dpdk"
line=$(cat "$root/etc/kernel/cmdline")
[[ " $line " == *" hugepages=4 "* ]] || err "ovirt-first: arguments missing: $line"
sum=$(cat "$conf" "$root/etc/kernel/cmdline" | sha256sum)
run ovirt-second
expect ovirt-second "$config" ok
expect ovirt-second "$kargs" ok
expect ovirt-second "$reboot" absent
if grep -E '^(changed): ' "$tmp/ovirt-second.out"; then err "ovirt-second: a task changed something"; fi
[ "$(cat "$conf" "$root/etc/kernel/cmdline" | sha256sum)" = "$sum" ] || err "ovirt-second: the tree changed"

[ "$fail" -eq 0 ] || exit 1
echo "ok: oVirt's example playbook, unchanged, twice: written, then nothing changed"
