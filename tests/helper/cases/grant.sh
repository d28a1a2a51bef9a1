# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: grant. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

# need_root CASE: chown to another user and mknod need root (as in CI); says so otherwise.
need_root() {
    [[ $(id -u) == 0 ]] && return 0
    echo "skip - $1: needs root (chown, mknod)"
    return 1
}

# The fixture with User=, Group= as numbers (no NSS lookup) and Mode=, the plan's hugetlbfs mount
# points as directories, and /dev/vfio/4 as a character device.
grant_fixture() {
    fresh
    sed -i 's/^MainCore=0$/&\nUser=4242\nGroup=4343\nMode=0660/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    mkdir -p "$root/dev/hugepages1G" "$root/dev/hugepages2M"
    chmod 0755 "$root/dev/hugepages1G" "$root/dev/hugepages2M"
    mknod -m 0600 "$root/dev/vfio/4" c 10 200
}

expect_owner() { # PATH OWNER:GROUP MODE
    local got
    got=$(stat -c '%u:%g %a' "$root/$1") || fail "$1 does not exist"
    [[ $got == "$2 $3" ]] || fail "$1 is $got, expected $2 $3"
}

test_grant_nodes() {
    need_root grant_nodes || return 0
    grant_fixture
    mknod -m 0600 "$root/dev/vfio/5" c 10 201
    run grant
    expect_rc 0
    expect_owner dev/hugepages1G 4242:4343 770
    expect_owner dev/hugepages2M 4242:4343 770
    expect_owner dev/vfio/4 4242:4343 660
    expect_owner dev/vfio/5 4242:4343 660
    # Not a port's group: untouched.
    expect_owner dev/vfio/vfio 0:0 644
    golden grant "$err"
}

test_grant_refuses_file_and_symlink() {
    need_root grant_refuses_file_and_symlink || return 0
    grant_fixture
    # A regular file where the group's node should be: refused, the others still done.
    : >"$root/dev/vfio/5"
    chmod 0644 "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: neither a directory nor a device node, not touching it."
    expect_owner dev/vfio/5 0:0 644
    expect_owner dev/vfio/4 4242:4343 660
    expect_owner dev/hugepages1G 4242:4343 770
    # A symlink there is not followed: what it points at keeps its owner and mode.
    rm "$root/dev/vfio/5"
    mknod -m 0600 "$root/dev/decoy" c 1 3
    ln -s ../decoy "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: neither a directory nor a device node, not touching it."
    expect_owner dev/decoy 0:0 600
    [[ $(stat -c %u:%g "$root/dev/vfio/5") == 0:0 ]] || fail "the symlink itself was chowned"
    # Missing: an error that names it.
    rm "$root/dev/vfio/5"
    run grant
    expect_rc 1
    expect_err "/dev/vfio/5: cannot open: No such file or directory"
}

# As the datapath's ExecStartPre= runs it: the owner, group and mode from this boot's plan, not
# from a config changed since.
test_grant_from_plan() {
    need_root grant_from_plan || return 0
    grant_fixture
    mknod -m 0600 "$root/dev/vfio/5" c 10 201
    generate
    sed -i 's/^User=4242$/User=5555/; s/^Mode=0660$/Mode=0600/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    run grant --from-plan
    expect_rc 0
    expect_owner dev/hugepages1G 4242:4343 770
    expect_owner dev/vfio/4 4242:4343 660
    run grant
    expect_rc 0
    expect_owner dev/vfio/4 5555:4343 600
    rm -rf "$root/run/dpdk-boot"
    run grant --from-plan
    expect_rc 1
    expect_err "No plan for this boot: /run/dpdk-boot/plan.json is missing."
}

test_grant_nothing() {
    fresh
    mkdir -p "$root/dev/hugepages1G"
    chmod 0755 "$root/dev/hugepages1G"
    run grant
    expect_rc 0
    expect_err "Nothing to grant: the datapath runs as root with the default modes."
    [[ $(stat -c %a "$root/dev/hugepages1G") == 755 ]] || fail "dev/hugepages1G was changed"
    # Disabled: nothing either, whatever the config asks.
    sed -i 's/^MainCore=0$/&\nGroup=4343\nMode=0660/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    cmdline="dpdk=no"
    run grant
    expect_rc 0
    expect_err "Nothing to grant"
    [[ $(stat -c %a "$root/dev/hugepages1G") == 755 ]] || fail "dev/hugepages1G was changed with dpdk=no"
}
