# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A scenario of tests/vm/run, sourced by it: setup_NAME TREE puts the scenario's files into the
# guest tree and prints extra kernel arguments; assert_NAME checks the results in $R.
# grub: three boots of one disk through a real GRUB, no -kernel: OVMF (UEFI) loads GRUB from an
# ESP on a third disk (vdc; a grub-mkstandalone image of the guest's own GRUB, its embedded
# config only finds the root by label and reads /boot/grub/grub.cfg there), and GRUB boots the
# kernel and initramfs of the guest's /boot with the command line of that grub.cfg. Whatever
# update-grub writes in the guest is what the next boot runs. [Kernel] ManageArgs=yes
# RebootPolicy=once Bootloader=grub TakeOverArgs=yes; the user's /etc/default/grub carries some
# of dpdk-boot's words (intel_iommu=on iommu=pt hugepagesz=1G hugepages=1 isolcpus=1) and a word
# of their own in GRUB_CMDLINE_LINUX_DEFAULT.
#   boot 1: update-grub fails once (a wrapper in the guest): the arguments are written and
#           recorded as pending, no reboot, grub.cfg as it was;
#   boot 2: the same line again: dpdk-boot-kargs retries update-grub, which now makes grub.cfg
#           (grub-mkconfig), the pending record is gone, one reboot;
#   boot 3: GRUB boots the new grub.cfg: every needed argument once, the user's words kept, no
#           drift, no reboot.

# The guest package list: GRUB for x86_64 UEFI, its grub-mkconfig and update-grub, in the base
# tree it shares with ukiboot (EFI_GUEST_PACKAGES: both boot loaders' packages, built once).
# shellcheck disable=SC2034  # read by scenario_packages
SCENARIO_BASE_grub=efi
packages_grub() {
    printf '%s\n' "$@" "${EFI_GUEST_PACKAGES[@]}"
}

# shellcheck disable=SC2054  # the commas are isolcpus' own
GRUB_NEEDED=(default_hugepagesz=1G hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=128
    isolcpus=managed_irq,domain,1 nohz_full=1 rcu_nocbs=1 irqaffinity=0 intel_iommu=on iommu=pt)
GRUB_USER_WORD=dpdk_boot_vmtest.user=kept
GRUB_OVMF=/usr/share/ovmf/OVMF.fd

grub_config() {
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

[Device]
Address=0000:00:04.0
Driver=vfio-pci

[Device]
Address=0000:00:05.0
Driver=vfio-pci

[Kernel]
ManageArgs=yes
RebootPolicy=once
Bootloader=grub
TakeOverArgs=yes
EOF
}

# The user's /etc/default/grub, as after an installation and some tuning by hand.
grub_default() {
    cat << EOF
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_USER_WORD intel_iommu=on iommu=pt hugepagesz=1G hugepages=1 isolcpus=1"
GRUB_CMDLINE_LINUX="console=ttyS0 rootfstype=ext4 panic=-1 no_timer_check"
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_DISABLE_LINUX_UUID=true
GRUB_DISABLE_RECOVERY=true
GRUB_DISABLE_OS_PROBER=true
EOF
}

# The config built into the ESP's GRUB: the guest's root by its label, then its grub.cfg.
grub_embedded_cfg() {
    cat << 'EOF'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
search --no-floppy --label dpdk-boot-vm --set=root
echo "dpdk-boot-vmtest: GRUB from the ESP reads ($root)/boot/grub/grub.cfg"
configfile ($root)/boot/grub/grub.cfg
EOF
}

setup_grub() {
    local tree=$1 sdir=${1%/tree} kver t
    [ -r "$GRUB_OVMF" ] || die "no $GRUB_OVMF (UEFI firmware): run .ci/install-deps (ovmf)"
    for t in mkfs.vfat mmd mcopy; do
        command -v "$t" > /dev/null || die "$t not found: run .ci/install-deps (dosfstools, mtools)"
    done
    grub_config | put_config "$tree"
    put_expect "$tree" none
    mkdir -p "$tree/var/log/journal" "$tree/etc/default/grub.d" "$tree/boot/grub"
    rm -f "$tree/etc/default/grub"
    grub_default > "$tree/etc/default/grub"
    kver=$(find "$tree/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
    # grub.cfg as the installer left it (its grub-mkconfig ran on the installer's devices, which
    # a chroot here does not have): the same menu entry and line from the same /etc/default/grub
    rm -f "$tree/boot/grub/grub.cfg"
    {
        echo "# made by tests/vm/scenarios/83-grub.sh from /etc/default/grub; update-grub replaces it"
        echo 'set timeout=0'
        echo "menuentry 'Debian GNU/Linux' {"
        echo '    insmod ext2'
        echo "    linux /boot/vmlinuz-$kver root=/dev/vda ro console=ttyS0 rootfstype=ext4 panic=-1 no_timer_check" \
            "$GRUB_USER_WORD intel_iommu=on iommu=pt hugepagesz=1G hugepages=1 isolcpus=1"
        echo "    initrd /boot/initrd.img-$kver"
        echo '}'
    } > "$tree/boot/grub/grub.cfg"
    # update-grub fails the first time it runs in the guest, then runs the real one
    mv "$tree/usr/sbin/update-grub" "$tree/usr/sbin/update-grub.dpdk-boot-vmtest"
    cat > "$tree/usr/sbin/update-grub" << 'EOF'
#!/bin/sh
# tests/vm grub scenario: fail once, as a full /boot or a broken script in /etc/grub.d would
if [ -e /etc/dpdk-boot-vmtest/update-grub-fail-once ]; then
    rm -f /etc/dpdk-boot-vmtest/update-grub-fail-once
    echo "update-grub: failing once (tests/vm grub scenario)" >&2
    exit 1
fi
exec /usr/sbin/update-grub.dpdk-boot-vmtest "$@"
EOF
    chmod 0755 "$tree/usr/sbin/update-grub"
    : > "$tree/etc/dpdk-boot-vmtest/update-grub-fail-once"
    # dpdk-boot-kargs may reboot after multi-user.target: the check waits for it
    mkdir -p "$tree/etc/systemd/system/dpdk-boot-vmcheck.service.d"
    printf '[Unit]\nAfter=dpdk-boot-kargs.service\n' \
        > "$tree/etc/systemd/system/dpdk-boot-vmcheck.service.d/50-after-kargs.conf"
    # the ESP: the guest's own GRUB as \EFI\BOOT\BOOTX64.EFI on a FAT disk of its own
    grub_embedded_cfg > "$tree/tmp/grub-embedded.cfg"
    chroot "$tree" grub-mkstandalone -O x86_64-efi -o /tmp/BOOTX64.EFI \
        "boot/grub/grub.cfg=/tmp/grub-embedded.cfg" > "$sdir/grub-mkstandalone.log" 2>&1 ||
        die "grub-mkstandalone failed in the guest chroot: $(tail -5 "$sdir/grub-mkstandalone.log")"
    rm -f "$sdir/esp.img"
    mkfs.vfat -C -n ESP "$sdir/esp.img" 32768 > /dev/null
    mmd -i "$sdir/esp.img" ::/EFI ::/EFI/BOOT
    mcopy -i "$sdir/esp.img" "$tree/tmp/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
    rm -f "$tree/tmp/BOOTX64.EFI" "$tree/tmp/grub-embedded.cfg"
}

# The initramfs the harness built goes to the guest's /boot, where GRUB loads it from.
after_initramfs_grub() {
    local kver
    kver=$(find "$1/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
    rm -f "$1/boot/initrd.img-$kver"
    cp "$(readlink -f "${1%/tree}/initrd.img")" "$1/boot/initrd.img-$kver"
}

# UEFI firmware, the ESP as the first boot device, and no -kernel/-initrd/-append.
qemu_grub() {
    printf '%s\n' -disk-boot -bios "$GRUB_OVMF" \
        -drive "file=$WORK/grub/esp.img,if=none,id=esp,format=raw,readonly=on" \
        -device virtio-blk-pci,drive=esp,addr=0x8,bootindex=0
}

after_boot_grub() {
    local sdir=$1 n=$2
    guest_file "$sdir" /boot/grub/grub.cfg > "$sdir/grub.cfg-boot$n"
    guest_file "$sdir" /etc/default/grub > "$sdir/default-grub-boot$n"
    guest_file "$sdir" /etc/default/grub.d/50-dpdk-boot.cfg > "$sdir/snippet-boot$n"
    guest_ls "$sdir" /var/lib/dpdk-boot > "$sdir/state-boot$n"
    guest_ls "$sdir" /etc/default > "$sdir/etc-default-boot$n"
    [ "$n" -lt 3 ]
}

# grub_once FILE WORD...: each WORD is a word of the first line of FILE exactly once
grub_once() {
    local f=$1 w
    shift
    for w in "$@"; do
        [ "$(head -1 "$f" | tr ' ' '\n' | grep -cxF -- "$w")" = 1 ] || return 1
    done
}
# grub_cfg_linux FILE: the first 'linux' line of a grub.cfg, its words after the kernel
grub_cfg_linux() { awk '$1 == "linux" { $1 = $2 = ""; print; exit }' "$1"; }
grub_line() { has '^BOOT_IMAGE=/boot/vmlinuz-' "$1" && grub_once "$1" "$GRUB_USER_WORD"; }
grub_said() { grep -ao 'dpdk-boot-vmtest: GRUB from the ESP reads [^ ]*grub\.cfg' "$1" | head -1; }
grub_booted() { grep -q 'dpdk-boot-vmtest: GRUB from the ESP reads' "$1"; }

assert_grub() {
    local sdir=$WORK/grub b1=$WORK/grub/results-boot1
    # boot 1: update-grub failed, the change recorded as pending, no reboot
    verdict "boot 1 came up through OVMF and the ESP's GRUB" "$(grub_said "$sdir/serial-boot1.log")" \
        grub_booted "$sdir/serial-boot1.log"
    verdict "boot 1: the kernel's line is grub.cfg's (GRUB's BOOT_IMAGE=, the user's word)" "$(cat "$b1/cmdline.txt")" \
        grub_line "$b1/cmdline.txt"
    verdict "boot 1: dpdk-boot-kargs ran update-grub, which failed" \
        "$(grep -m1 -E 'update-grub failed' "$b1/journal.txt" | cut -c1-200)" \
        has 'update-grub failed \(exit status 1\).*kargs-pending stays' "$b1/journal.txt"
    verdict "boot 1: the failure recorded (/var/lib/dpdk-boot/kargs-pending)" "$(tr '\n' ' ' < "$sdir/state-boot1")" \
        grep -qx kargs-pending "$sdir/state-boot1"
    verdict "boot 1: no reboot after the failure (powered off by the check)" \
        "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot1.log")" has 'reboot: Power down' "$sdir/serial-boot1.log"
    verdict "boot 1: the arguments written to /etc/default/grub.d/50-dpdk-boot.cfg" "$(tr '\n' ' ' < "$sdir/snippet-boot1" | cut -c1-300)" \
        grep -qF 'nohz_full=1' "$sdir/snippet-boot1"
    verdict "boot 1: grub.cfg as it was" "$(head -1 "$sdir/grub.cfg-boot1")" has '^# made by tests/vm' "$sdir/grub.cfg-boot1"
    verdict "boot 1: the user's words of dpdk-boot's families taken out of /etc/default/grub, theirs kept" \
        "$(grep '^GRUB_CMDLINE_LINUX_DEFAULT=' "$sdir/default-grub-boot1")" \
        eq "$(grep '^GRUB_CMDLINE_LINUX_DEFAULT=' "$sdir/default-grub-boot1")" "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_USER_WORD\""
    verdict "boot 1: the user's file kept as grub.dpdk-boot-backup" "$(tr '\n' ' ' < "$sdir/etc-default-boot1")" \
        grep -qx grub.dpdk-boot-backup "$sdir/etc-default-boot1"

    # boot 2: the old grub.cfg again, the retry made grub.cfg, one reboot
    verdict "boot 2 came up through the ESP's GRUB" "$(grub_said "$sdir/serial-boot2.log")" \
        grub_booted "$sdir/serial-boot2.log"
    verdict "boot 2 rebooted (no results written)" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot2.log")" \
        has 'reboot: Restarting system' "$sdir/serial-boot2.log"
    verdict "boot 2: update-grub ran again and made grub.cfg (grub-mkconfig's 10_linux)" \
        "$(grep -m1 -E '^### BEGIN|^# made by' "$sdir/grub.cfg-boot2")" has '^### BEGIN /etc/grub.d/10_linux ###' "$sdir/grub.cfg-boot2"
    verdict "boot 2: the pending record is gone" "$(tr '\n' ' ' < "$sdir/state-boot2")" \
        hasnt '^kargs-pending$' "$sdir/state-boot2"
    grub_cfg_linux "$sdir/grub.cfg-boot2" > "$sdir/grub.cfg-line-boot2"
    verdict "boot 2: grub.cfg's line has every needed argument once, the user's word once" "$(cat "$sdir/grub.cfg-line-boot2")" \
        grub_once "$sdir/grub.cfg-line-boot2" "${GRUB_NEEDED[@]}" "$GRUB_USER_WORD" console=ttyS0
    verdict "boot 2: dpdk-boot-kargs said update-grub was done, and rebooted once (journal of boot 2)" \
        "$(grep -m1 -E 'update-grub: done|Rebooting once' "$R/journal-prev.txt" | cut -c1-200)" \
        awk '/update-grub: done/ { u = 1 } /Rebooting once to take the kernel arguments/ { r = 1 } END { exit !(u && r) }' "$R/journal-prev.txt"

    # boot 3 (R): GRUB boots what update-grub wrote
    verdict "boot 3 came up through the ESP's GRUB" "$(grub_said "$sdir/serial-boot3.log")" \
        grub_booted "$sdir/serial-boot3.log"
    verdict "boot 3: every needed argument once in /proc/cmdline" "$(cat "$R/cmdline.txt")" \
        grub_once "$R/cmdline.txt" "${GRUB_NEEDED[@]}"
    verdict "boot 3: the user's words kept, once" "$(cat "$R/cmdline.txt")" \
        grub_once "$R/cmdline.txt" "$GRUB_USER_WORD" console=ttyS0 panic=-1 no_timer_check
    verdict "boot 3: the user's hugepages=1 and isolcpus=1 gone" "$(cat "$R/cmdline.txt")" \
        hasnt '(^| )(hugepages=1|isolcpus=1)( |$)' "$R/cmdline.txt"
    verdict "boot 3: powered off, no reboot" "$(grep -m1 -E 'reboot: (Restarting system|Power down)' "$sdir/serial-boot3.log")" \
        has 'reboot: Power down' "$sdir/serial-boot3.log"
    verdict "boot 3: no drift in the journal" "$(grep -m1 'reboot required' "$R/journal.txt" | cut -c1-160)" \
        hasnt 'lacks .*reboot required' "$R/journal.txt"
    verdict "boot 3: dpdk-boot-kargs not run (nothing missing)" \
        "$(R=$R unit_prop dpdk-boot-kargs.service ActiveState)" ne "$(R=$R unit_prop dpdk-boot-kargs.service ActiveState)" active
    verdict "boot 3: 1G pages from the command line: 2" "$(R=$R hp 1048576 nr)" eq "$(R=$R hp 1048576 nr)" 2
    verdict "boot 3: isolated CPUs: 1" "$(cat "$R/isolated.txt")" eq "$(cat "$R/isolated.txt")" 1
    assert_reached_multi_user
    assert_mgmt
}
