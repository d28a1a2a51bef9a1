# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: rootfence, the tree (DPDK_BOOT_ROOT, --root) as a
# boundary. An image's absolute symlink means a path of the image and its ".." stops at the
# image's top, as in a chroot: nothing outside the tree is read or written through them. Each
# case puts a file outside the tree ($work/host) and the same path inside it; what happens must
# be the inside one's doing. Under valgrind (helper-rootfence-valgrind), which does not know
# openat2(2), the same cases run through dpdk-boot's own resolution.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err

# host_and_image PATH CONTENT-OUTSIDE CONTENT-INSIDE: $work/host/PATH outside the tree and the
# same path inside it, where a link to /$work/host/PATH leads under the boundary.
host_and_image() {
    mkdir -p "$(dirname "$work/host/$1")" "$(dirname "$root$work/host/$1")"
    printf '%s' "$2" >"$work/host/$1"
    printf '%s' "$3" >"$root$work/host/$1"
}

# ups DIR: the "../" that lead from the tree's DIR to the host's /, and some more.
ups() {
    local d=$root/$1 s=
    while [[ $d != / && -n $d ]]; do
        s+=../
        d=$(dirname "$d")
    done
    echo "$s../../"
}

# A drop-in that is an absolute link: read inside the tree, not the host's file of that name.
test_rootfence_config_absolute_link() {
    fresh
    rm -rf "$work/host"
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    host_and_image 90-x.conf $'this line is the host\'s\n' $'# the image\'s\n'
    ln -s "$work/host/90-x.conf" "$root/etc/dpdk-boot/conf.d/90-x.conf"
    run check
    expect_rc 0
    expect_no_err "this line is the host's"
    expect_no_err "90-x.conf:1"
}

# The same through "..": it stops at the tree's top.
test_rootfence_config_dotdot() {
    fresh
    rm -rf "$work/host"
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    host_and_image 90-x.conf $'this line is the host\'s\n' $'# the image\'s\n'
    ln -s "$(ups etc/dpdk-boot/conf.d)${work#/}/host/90-x.conf" "$root/etc/dpdk-boot/conf.d/90-x.conf"
    [[ -f $root/etc/dpdk-boot/conf.d/90-x.conf && $(cat "$root/etc/dpdk-boot/conf.d/90-x.conf") == *host* ]] ||
        fail "the fixture's link does not lead to the host's file"
    run check
    expect_rc 0
    expect_no_err "this line is the host's"
}

# bind writes driver_override through the device's directory: an absolute link there to a host
# file is not written through. The image has no such file: the bind fails, the host's file stays.
test_rootfence_bind_sysfs_write() {
    fresh
    rm -rf "$work/host"
    mkdir -p "$work/host"
    printf '(null)\n' >"$work/host/driver_override"
    rm "$root/$(dev 0000:00:04.0)/driver_override"
    ln -s "$work/host/driver_override" "$root/$(dev 0000:00:04.0)/driver_override"
    run bind 0000:00:04.0
    [[ $(cat "$work/host/driver_override") == "(null)" ]] ||
        fail "the host's file was written: $(cat "$work/host/driver_override")"
    expect_rc 1
    expect_err "driver_override"
    expect_driver 0000:00:04.0 virtio-pci
}

# grant changes owners through /dev/vfio: a link of the image to a host directory is not
# followed out of the tree, so the host's node keeps its owner.
test_rootfence_grant() {
    [[ $(id -u) == 0 ]] || { echo "skip - rootfence_grant: needs root (chown, mknod)"; return 0; }
    fresh
    rm -rf "$work/host"
    sed -i 's/^MainCore=0$/&\nUser=4242\nGroup=4343\nMode=0660/' "$root/etc/dpdk-boot/dpdk-boot.conf"
    mkdir -p "$root/dev/hugepages1G" "$root/dev/hugepages2M" "$work/host/vfio"
    mknod -m 0600 "$work/host/vfio/4" c 10 200
    rm -rf "$root/dev/vfio"
    ln -s "$work/host/vfio" "$root/dev/vfio"
    run grant
    [[ $(stat -c '%u:%g %a' "$work/host/vfio/4") == "0:0 600" ]] ||
        fail "the host's node was changed: $(stat -c '%u:%g %a' "$work/host/vfio/4")"
    expect_rc 1
    expect_err "/dev/vfio/4: cannot open"
}

# libkmod is handed the tree's modprobe.d directories and resolves the links in them itself, on
# the host: a .conf that is an absolute link to a host file would give the host's aliases. The
# tree is refused instead (named), and the manifest takes no variant driver from either file.
test_rootfence_modprobe_link() {
    fresh
    rm -rf "$work/host"
    manifest_tree
    rm "$root/etc/modprobe.d/variant.conf"
    host_and_image variant.conf 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* host_vfio_pci' \
        'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* image_vfio_pci'
    ln -s "$work/host/variant.conf" "$root/etc/modprobe.d/variant.conf"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    ! grep -q 'host_vfio_pci' "$out" || fail "a variant driver from the host's modprobe.d file"
    expect_err "/etc/modprobe.d/variant.conf leads out of the tree"
}

# The same for the module directory's indexes, through a ".." past the tree's top.
test_rootfence_module_index_link() {
    fresh
    rm -rf "$work/host"
    manifest_tree
    host_and_image modules.alias.bin 'not an index' 'not an index either'
    ln -s "$(ups lib/modules/6.1.0-test)${work#/}/host/modules.alias.bin" \
        "$root/lib/modules/6.1.0-test/modules.alias.bin"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_err "/lib/modules/6.1.0-test/modules.alias.bin leads out of the tree"
    # a link that stays inside the tree is the tree's file: no refusal
    fresh
    manifest_tree
    ln -s ../../../srv "$root/lib/modules/6.1.0-test/modules.alias.bin"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_no_err "leads out of the tree"
    grep -q '^module virtio_vfio_pci$' "$out" || fail "the tree's own variant driver is gone"
}
