# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# ukiboot: two boots through OVMF (UEFI), systemd-boot and a unified kernel image, no -kernel.
# The ESP is a third disk (vdc, mounted at /efi in the guest): systemd-boot 254 as
# \EFI\BOOT\BOOTX64.EFI and a UKI of the guest's kernel and initramfs in \EFI\Linux, named
# <machine-id>-<version>.efi as kernel-install names it, built here with systemd 254's ukify and
# stub (bookworm-backports, the tree .ci/install-deps unpacks). The guest's dpdk-boot runs the
# same ukify (copied into the guest with the addon stub; the guest has python3-pefile).
# [Kernel] ManageArgs=yes RebootPolicy=once Bootloader=uki.
#   boot 1: the UKI's own line lacks the arguments: dpdk-boot-kargs builds
#           <uki>.efi.extra.d/dpdk-boot.addon.efi on the ESP and reboots once;
#   boot 2: systemd-stub adds the addon's words: every needed argument once, the UKI's own words
#           kept, no drift, no reboot.

# The guest package list: python3-pefile for the guest's ukify, in the base tree it shares with
# grub (EFI_GUEST_PACKAGES: both boot loaders' packages, built once). GRUB's packages in it are
# not used: nothing here runs update-grub, and the config names Bootloader=uki.
# shellcheck disable=SC2034  # read by scenario_packages
SCENARIO_BASE_ukiboot=efi
packages_ukiboot() {
    printf '%s\n' "$@" "${EFI_GUEST_PACKAGES[@]}"
}

# shellcheck disable=SC2054  # the commas are isolcpus' own
UKIBOOT_NEEDED=(default_hugepagesz=1G hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=128
    isolcpus=managed_irq,domain,1 nohz_full=1 rcu_nocbs=1 irqaffinity=0 intel_iommu=on iommu=pt)
UKIBOOT_OWN=(console=ttyS0 root=/dev/vda rootfstype=ext4 rw panic=-1 no_timer_check dpdk_boot_vmtest.uki=own)
UKIBOOT_OVMF=/usr/share/ovmf/OVMF.fd
UKIBOOT_SYSTEMD=${DPDK_BOOT_TEST_SYSTEMD:-/var/cache/dpdk-boot-ci/systemd-bpo}
UKIBOOT_MID=3c2d5f0e9a7b4c1d8e6f5a4b3c2d1e0f    # add_overlay's machine-id: the entry token

ukiboot_config() {
    cat << 'EOF'
[Hugepages]
Size=1G
Count=2

[Hugepages]
Size=2M
Count=128

[CPU]
Isolate=1

[IOMMU]
Mode=pt

[Kernel]
ManageArgs=yes
RebootPolicy=once
Bootloader=uki
EOF
}

# ukiboot_python: a directory whose python3 has pefile, for ukify's 'env python3'
ukiboot_python() {
    local py
    for py in "$(command -v python3)" /usr/bin/python3; do
        if [ -x "$py" ] && "$py" -c 'import pefile' 2> /dev/null; then
            mkdir -p "$WORK/ukiboot-python"
            ln -sfn "$py" "$WORK/ukiboot-python/python3"
            echo "$WORK/ukiboot-python"
            return 0
        fi
    done
    return 1
}

setup_ukiboot() {
    local tree=$1 t
    [ -r "$UKIBOOT_OVMF" ] || die "no $UKIBOOT_OVMF (UEFI firmware): run .ci/install-deps (ovmf)"
    for t in "$UKIBOOT_SYSTEMD/lib/systemd/ukify" "$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/addonx64.efi.stub" \
        "$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/linuxx64.efi.stub" \
        "$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/systemd-bootx64.efi"; do
        [ -r "$t" ] || die "no $t: run .ci/install-deps (systemd 254 from bookworm-backports)"
    done
    for t in mkfs.vfat mmd mcopy; do
        command -v "$t" > /dev/null || die "$t not found: run .ci/install-deps (dosfstools, mtools)"
    done
    ukiboot_config | put_config "$tree"
    put_expect "$tree" none
    mkdir -p "$tree/var/log/journal" "$tree/efi" "$tree/usr/lib/systemd/boot/efi"
    # the ESP at /efi (a new fstab: the tree's is a hard link to the run's)
    rm -f "$tree/etc/fstab"
    printf '/dev/vda / ext4 rw,noatime 0 1\n/dev/vdc /efi vfat rw,umask=0077 0 0\n' > "$tree/etc/fstab"
    install -m 0755 "$UKIBOOT_SYSTEMD/lib/systemd/ukify" "$tree/usr/lib/systemd/ukify"
    install -m 0644 "$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/addonx64.efi.stub" \
        "$tree/usr/lib/systemd/boot/efi/addonx64.efi.stub"
    mkdir -p "$tree/etc/systemd/system/dpdk-boot-vmcheck.service.d"
    printf '[Unit]\nAfter=dpdk-boot-kargs.service\n' \
        > "$tree/etc/systemd/system/dpdk-boot-vmcheck.service.d/50-after-kargs.conf"
}

# The ESP, once the initramfs is built: systemd-boot and the UKI of the kernel and initramfs.
after_initramfs_ukiboot() {
    local tree=$1 sdir=${1%/tree} kver initrd pybin mb
    kver=$(find "$tree/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
    initrd=$(readlink -f "$sdir/initrd.img")
    pybin=$(ukiboot_python) || die "no python3 with pefile (python3-pefile) for ukify"
    PATH=$pybin:$PATH "$UKIBOOT_SYSTEMD/lib/systemd/ukify" build --linux="$tree/boot/vmlinuz-$kver" \
        --initrd="$initrd" --uname="$kver" --cmdline="${UKIBOOT_OWN[*]}" \
        --stub="$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/linuxx64.efi.stub" \
        --output="$sdir/uki.efi" > "$sdir/ukify.log" 2>&1 || die "ukify failed: $(tail -5 "$sdir/ukify.log")"
    mb=$(( $(stat -c %s "$sdir/uki.efi") * 2 / 1048576 + 64 ))
    rm -f "$sdir/esp.img"
    mkfs.vfat -C -F 32 -n ESP "$sdir/esp.img" $((mb * 1024)) > /dev/null
    mmd -i "$sdir/esp.img" ::/EFI ::/EFI/BOOT ::/EFI/Linux ::/loader
    mcopy -i "$sdir/esp.img" "$UKIBOOT_SYSTEMD/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
    mcopy -i "$sdir/esp.img" "$sdir/uki.efi" "::/EFI/Linux/$UKIBOOT_MID-$kver.efi"
    printf 'timeout 0\n' > "$sdir/loader.conf"
    mcopy -i "$sdir/esp.img" "$sdir/loader.conf" ::/loader/loader.conf
    echo "$kver" > "$sdir/kver"
}

qemu_ukiboot() {
    printf '%s\n' -disk-boot -bios "$UKIBOOT_OVMF" \
        -drive "file=$WORK/ukiboot/esp.img,if=none,id=esp,format=raw,cache=unsafe" \
        -device virtio-blk-pci,drive=esp,addr=0x8,bootindex=0
}

after_boot_ukiboot() {
    local sdir=$1 n=$2 addon
    addon="::/EFI/Linux/$UKIBOOT_MID-$(cat "$sdir/kver").efi.extra.d/dpdk-boot.addon.efi"
    rm -f "$sdir/addon-boot$n.efi" "$sdir/addon-cmdline-boot$n"
    if mcopy -n -i "$sdir/esp.img" "$addon" "$sdir/addon-boot$n.efi" 2> /dev/null; then
        objcopy -O binary --only-section=.cmdline "$sdir/addon-boot$n.efi" "$sdir/addon-cmdline-boot$n"
    fi
    guest_ls "$sdir" /var/lib/dpdk-boot > "$sdir/state-boot$n"
    [ "$n" -lt 2 ]
}

# ukiboot_once FILE WORD...: each WORD is a word of the first line of FILE exactly once
ukiboot_once() {
    local f=$1 w
    shift
    for w in "$@"; do
        [ "$(head -1 "$f" | tr ' ' '\n' | grep -cxF -- "$w")" = 1 ] || return 1
    done
}

assert_ukiboot() {
    local sdir=$WORK/ukiboot words
    tr -d '\0' 2> /dev/null < "$sdir/addon-cmdline-boot1" > "$sdir/addon-words-boot1" || : > "$sdir/addon-words-boot1"
    words=$(cat "$sdir/addon-words-boot1")
    verdict "boot 1 rebooted (no results written)" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot1.log")" \
        has 'reboot: Restarting system' "$sdir/serial-boot1.log"
    verdict "boot 1: the addon on the ESP (<uki>.efi.extra.d/dpdk-boot.addon.efi) has every needed argument once" \
        "${words:-no addon}" ukiboot_once "$sdir/addon-words-boot1" "${UKIBOOT_NEEDED[@]}"
    verdict "boot 1: the addon has nothing of the UKI's own line" "${words:-no addon}" \
        hasnt '(^| )(console=|root=)' "$sdir/addon-words-boot1"
    verdict "boot 1: dpdk-boot-kargs rebooted once (journal of boot 1)" \
        "$(grep -m1 'Rebooting once' "$R/journal-prev.txt" | cut -c1-200)" has 'Rebooting once to take the kernel arguments' "$R/journal-prev.txt"
    # boot 2 (R): the stub added the addon's words to the UKI's line
    verdict "boot 2: the UKI's own words, once" "$(cat "$R/cmdline.txt")" \
        ukiboot_once "$R/cmdline.txt" "${UKIBOOT_OWN[@]}"
    verdict "boot 2: every needed argument once in /proc/cmdline (from the addon)" "$(cat "$R/cmdline.txt")" \
        ukiboot_once "$R/cmdline.txt" "${UKIBOOT_NEEDED[@]}"
    verdict "boot 2: not GRUB's line (no BOOT_IMAGE=)" "$(cat "$R/cmdline.txt")" hasnt 'BOOT_IMAGE=' "$R/cmdline.txt"
    verdict "boot 2: powered off, no reboot" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot2.log")" \
        has 'reboot: Power down' "$sdir/serial-boot2.log"
    verdict "boot 2: no drift in the journal" "$(grep -m1 'reboot required' "$R/journal.txt" | cut -c1-160)" \
        hasnt 'lacks .*reboot required' "$R/journal.txt"
    verdict "boot 2: 1G pages from the command line: 2" "$(R=$R hp 1048576 nr)" eq "$(R=$R hp 1048576 nr)" 2
    verdict "boot 2: isolated CPUs: 1" "$(cat "$R/isolated.txt")" eq "$(cat "$R/isolated.txt")" 1
    assert_reached_multi_user
    assert_mgmt
}
