# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: initrd-manifest. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

# The drop-ins where a reading of the files other than config.c's goes wrong: a symlinked drop-in
# (followed), a /usr/lib drop-in hidden by /etc's of the same name, one masked by a link to
# /dev/null, one in /run (never in an image), reading order by name across the directories.
manifest_tree() {
    local c=$root/etc/dpdk-boot/conf.d u=$root/usr/lib/dpdk-boot/conf.d
    mkdir -p "$c" "$u" "$root/run/dpdk-boot/conf.d" "$root/srv" "$root/lib/modules/6.1.0-test" \
        "$root/etc/modprobe.d" "$root/etc/systemd/network"
    printf '[IOMMU]\nMode=on\n' >"$c/10-iommu.conf"
    printf '[IOMMU]\nMode=pt\n' >"$u/15-iommu.conf"
    printf '[Device]\nAddress=0000:00:06.0\nDriver=igb_uio\n' >"$u/20-hidden.conf"
    printf '# 0000:00:06.0 stays on its kernel driver\n' >"$c/20-hidden.conf"
    printf '[Device]\nAddress=0000:00:07.0\nDriver=uio_pci_generic\n' >"$root/srv/30-real.conf"
    ln -s ../../../srv/30-real.conf "$c/30-link.conf"
    printf '[IOMMU]\nMode=off\n' >"$u/40-off.conf"
    ln -s /dev/null "$c/40-off.conf"
    printf '# for this boot only\n' >"$root/run/dpdk-boot/conf.d/50-run.conf"
    # A pattern rule: the initramfs takes only devices named by address.
    printf '[Device]\nID=8086:10d3\nDriver=igb_uio\n' >"$u/60-pattern.conf"
    # vfio-pci variant drivers of the target kernel (not the running one) for the virtio NICs.
    echo 'alias vfio_pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_vfio_pci' >"$root/etc/modprobe.d/variant.conf"
    printf '[Match]\nName=enp9s0\n\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/05-mgmt.network"
}

# Every line "KIND VALUE" of a known kind.
expect_manifest_lines() {
    ! grep -vqE '^(state|stamp|config|mask|module|iommu|evidence) [^ ]' "$out" || fail "a malformed manifest line"
}

test_manifest_follows_the_loader() {
    fresh
    manifest_tree
    # This boot's switches do not count: the image is for later boots.
    cmdline="ro dpdk=no"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_manifest_lines
    golden initrd-manifest "$out"
    # The stamp and the evidence are those of config-stamp and mgmt-evidence.
    cp "$out" "$work/manifest"
    run config-stamp
    [[ "stamp $(cat "$out")" == "$(grep '^stamp ' "$work/manifest")" ]] || fail "the stamp is not config-stamp's"
    run mgmt-evidence
    diff -u <(sed 's/^/evidence /' "$out") <(grep '^evidence ' "$work/manifest") >&2 ||
        fail "the evidence is not mgmt-evidence's"
}

test_manifest_kernel() {
    fresh
    manifest_tree
    # No module tree for the running kernel here: no variant driver is looked up.
    run initrd-manifest
    expect_rc 0
    ! grep -q '^module virtio_vfio_pci$' "$out" || fail "a variant driver from the running kernel's modules"
    expect_out "module vfio_pci"
    run --kernel ../6.1.0-test initrd-manifest
    expect_rc 1
    expect_err "--kernel=../6.1.0-test: not a kernel release."
    run --kernel 6.1.0-test plan
    expect_rc 1
    expect_err "--kernel only applies to 'kargs' and 'initrd-manifest'."
}

# A device the gates refuse now still gets its modules: this boot's IOMMU and routes are not
# those of the boots the image is for. BindGroup= members get theirs.
test_manifest_refused_and_group_members() {
    fresh
    manifest_tree
    echo 'alias vfio_pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e_vfio_pci' >>"$root/etc/modprobe.d/variant.conf"
    # 06.0 has no IOMMU group (the iommu gate refuses it); 07.0 shares 04.0's group.
    rm "$root/etc/dpdk-boot/conf.d/20-hidden.conf" "$root/etc/dpdk-boot/conf.d/30-link.conf"
    printf '[Device]\nAddress=0000:00:06.0\nDriver=vfio-pci\n' >"$root/etc/dpdk-boot/conf.d/20-hidden.conf"
    rm "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../kernel/iommu_groups/4 "$root/sys/devices/pci0000:00/0000:00:07.0/iommu_group"
    ln -s ../../../../devices/pci0000:00/0000:00:07.0 "$root/sys/kernel/iommu_groups/4/devices/0000:00:07.0"
    echo 'alias vfio_pci:v00001AF4d00001001sv*sd*bc*sc*i* blk_vfio_pci' >>"$root/etc/modprobe.d/variant.conf"
    echo 0x1001 >"$root/sys/devices/pci0000:00/0000:00:07.0/device"
    sed -i 's/d00001000/d00001001/' "$root/sys/devices/pci0000:00/0000:00:07.0/modalias"
    printf '\n[Device]\nAddress=0000:00:04.0\nDriver=vfio-pci\nBindGroup=yes\n' >"$root/etc/dpdk-boot/conf.d/25-group.conf"
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_out "module e1000e_vfio_pci"
    expect_out "module blk_vfio_pci"
    run --initrd plan
    expect_out "iommu FAILED"
}

# A device named by address that is not there now (or a root without /sys, as dracut --sysroot
# gives) still gets its driver's modules: the boots the image is for may have it.
test_manifest_absent_device() {
    fresh
    printf '\n[Device]\nAddress=0000:00:09.0\nDriver=uio_pci_generic\n' >>"$root/etc/dpdk-boot/dpdk-boot.conf"
    rm -r "$root/sys"
    run initrd-manifest
    expect_rc 0
    [[ $(grep '^module ' "$out" | tr '\n' ' ') == "module uio_pci_generic module vfio module vfio_iommu_type1 module vfio_pci " ]] ||
        fail "not the modules of 04.0, 05.0 and 09.0"
}

# An invalid configuration: its state, stamp and evidence, nothing of its files or modules.
test_manifest_invalid() {
    fresh
    manifest_tree
    bad_config
    run --kernel 6.1.0-test initrd-manifest
    expect_rc 0
    expect_manifest_lines
    expect_out "state invalid"
    expect_out "stamp v1 "
    expect_out "evidence name enp9s0 /etc/systemd/network/05-mgmt.network:2"
    ! grep -qE '^(config|mask|module|iommu) ' "$out" || fail "an invalid configuration lists what it needs"
    expect_err "Size=3M"
}

test_manifest_no_config() {
    fresh
    rm "$root/etc/dpdk-boot/dpdk-boot.conf"
    run initrd-manifest
    expect_rc 0
    [[ $(cat "$out") == $'state none\nstamp v1 cbf29ce484222325 0' ]] || fail "not the manifest of no configuration"
}

# A mask whose name holds a newline is left out (it hides nothing the manifest lists), and
# every line stays one item.
test_manifest_control_character() {
    fresh
    mkdir -p "$root/etc/dpdk-boot/conf.d"
    ln -s /dev/null "$root/etc/dpdk-boot/conf.d/"$'a\nb.conf'
    run initrd-manifest
    expect_rc 0
    expect_manifest_lines
    expect_out "state valid"
    expect_err "Leaving /etc/dpdk-boot/conf.d/a\\x0ab.conf out of the initramfs"
}
