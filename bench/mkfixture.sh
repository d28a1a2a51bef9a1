#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes the benchmarks' reference host as a tree under OUTDIR, for DPDK_BOOT_ROOT=OUTDIR:
#
#   - 2 NUMA nodes, 32 online CPUs (node0 0-15, node1 16-31), isolated 2-15,18-31;
#   - 2M and 1G hugepage pools, globally and per node; an IOMMU (dmar0, dmar1);
#   - 8 ixgbe PFs (8086:10fb): 0000:3b:00.0-3 on node 0 and 0000:af:00.0-3 on node 1, each
#     with 8 ixgbevf VFs (8086:10ed) at <bus>:1<pf>.0-7, every function in its own IOMMU
#     group; laid out as the kernel does (devices under sys/devices/pci0000:XX/<root port>/,
#     links in sys/bus/pci/devices and the drivers, driver/iommu_group/physfn/virtfnN links);
#   - /proc/cmdline, /etc/fstab (for systemd-fstab-generator through SYSTEMD_FSTAB) and an
#     /etc/dpdk-boot/dpdk-boot.conf that asks for everything: 1G pages per node, 2M pages,
#     CPU isolation, all 72 functions on vfio-pci and a testpmd datapath.
#
# usage: mkfixture.sh OUTDIR   (OUTDIR must not exist or be empty)
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != large ]; }; then
    echo "usage: $0 OUTDIR [large]" >&2
    exit 2
fi
root=$1
layout=${2:-reference}
if [ -e "$root" ] && [ -n "$(ls -A "$root")" ]; then
    echo "$0: $root exists and is not empty" >&2
    exit 1
fi
mkdir -p "$root"
root=$(cd "$root" && pwd)
sys=$root/sys

CMDLINE="BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=3f1c2a4e-8d5b-4c1e-9a7f-2b6d0e4c8a91 ro quiet intel_iommu=on iommu=pt default_hugepagesz=1G hugepagesz=1G hugepages=16 hugepagesz=2M hugepages=1024 isolcpus=managed_irq,domain,2-15,18-31 nohz_full=2-15,18-31 rcu_nocbs=2-15,18-31 irqaffinity=0-1,16-17 systemd.unit=multi-user.target"

# put FILE LINE...: one attribute file (parents created).
put() {
    local f=$1
    shift
    [ -d "${f%/*}" ] || mkdir -p "${f%/*}"
    printf '%s\n' "$@" > "$f"
}

# ---- CPUs, NUMA nodes, hugepages ----
cpu=$sys/devices/system/cpu
for a in online possible present; do
    put "$cpu/$a" 0-31
done
put "$cpu/isolated" 2-15,18-31
put "$cpu/offline" ""

node_dir=$sys/devices/system/node
for a in online possible has_cpu has_normal_memory; do
    put "$node_dir/$a" 0-1
done
put "$node_dir/node0/cpulist" 0-15
put "$node_dir/node0/cpumap" 0000ffff
put "$node_dir/node1/cpulist" 16-31
put "$node_dir/node1/cpumap" ffff0000

for kb in 2048 1048576; do
    for a in nr_hugepages nr_hugepages_mempolicy nr_overcommit_hugepages free_hugepages \
        resv_hugepages surplus_hugepages; do
        put "$sys/kernel/mm/hugepages/hugepages-${kb}kB/$a" 0
    done
    for n in 0 1; do
        for a in nr_hugepages free_hugepages surplus_hugepages; do
            put "$node_dir/node$n/hugepages/hugepages-${kb}kB/$a" 0
        done
    done
done

# ---- IOMMU ----
mkdir -p "$sys/class/iommu"
for u in dmar0 dmar1; do
    put "$sys/devices/virtual/iommu/$u/uevent" ""
    ln -s "../../devices/virtual/iommu/$u" "$sys/class/iommu/$u"
done

# ---- PCI ----
mkdir -p "$sys/bus/pci/devices"
for drv in pcieport ixgbe ixgbevf vfio-pci; do
    mkdir -p "$sys/bus/pci/drivers/$drv"
    for a in bind unbind new_id remove_id uevent; do
        : > "$sys/bus/pci/drivers/$drv/$a"
    done
done
: > "$sys/bus/pci/drivers_probe"
group=20

# pci_function DIR BDF DRIVER VENDOR DEVICE CLASS NODE CPULIST: one function's attributes and
# links; DIR is its directory relative to sys/devices.
pci_function() {
    local rel=$1 bdf=$2 drv=$3 ven=$4 dev=$5 class=$6 node=$7 cpus=$8
    local d=$sys/devices/$rel up=.. sv=0x8086 sd=0x000c modalias part

    # From the function's directory up to sys/: one ".." per component of devices/REL.
    IFS=/ read -ra part <<< "$rel"
    for _ in "${part[@]}"; do
        up=$up/..
    done

    printf -v modalias 'pci:v0000%04Xd0000%04Xsv0000%04Xsd0000%04Xbc%02Xsc%02Xi%02X' \
        "$ven" "$dev" "$sv" "$sd" $((class >> 16)) $(((class >> 8) & 255)) $((class & 255))
    printf -v class '0x%06x' "$class"
    put "$d/vendor" "$ven"
    put "$d/device" "$dev"
    put "$d/subsystem_vendor" "$sv"
    put "$d/subsystem_device" "$sd"
    put "$d/class" "$class"
    put "$d/numa_node" "$node"
    put "$d/local_cpulist" "$cpus"
    put "$d/driver_override" "(null)"
    put "$d/enable" 1
    put "$d/modalias" "$modalias"
    printf 'DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\nPCI_SLOT_NAME=%s\nMODALIAS=%s\n' \
        "$drv" "$class" "$ven" "$dev" "$sv" "$sd" "$bdf" "$modalias" > "$d/uevent"
    ln -s "$up/bus/pci" "$d/subsystem"
    ln -s "$up/bus/pci/drivers/$drv" "$d/driver"
    ln -s "../../../devices/$rel" "$sys/bus/pci/devices/$bdf"
    ln -s "../../../../devices/$rel" "$sys/bus/pci/drivers/$drv/$bdf"

    group=$((group + 1))
    mkdir -p "$sys/kernel/iommu_groups/$group/devices"
    put "$sys/kernel/iommu_groups/$group/type" DMA
    ln -s "../../../../devices/$rel" "$sys/kernel/iommu_groups/$group/devices/$bdf"
    ln -s "$up/kernel/iommu_groups/$group" "$d/iommu_group"
}

# socket DOMAIN_BUS NIC_BUS NODE CPULIST: a host bridge, its root port, 4 PFs and 32 VFs.
socket() {
    local hb=$1 bus=$2 node=$3 cpus=$4
    local port=0000:$hb:00.0 pf vf f v

    pci_function "pci0000:$hb/$port" "$port" pcieport 0x8086 0x2030 0x060400 "$node" "$cpus"
    for f in 0 1 2 3; do
        pf=0000:$bus:00.$f
        pci_function "pci0000:$hb/$port/$pf" "$pf" ixgbe 0x8086 0x10fb 0x020000 "$node" "$cpus"
        put "$sys/devices/pci0000:$hb/$port/$pf/sriov_totalvfs" 63
        put "$sys/devices/pci0000:$hb/$port/$pf/sriov_numvfs" 8
        for v in 0 1 2 3 4 5 6 7; do
            vf=0000:$bus:1$f.$v
            pci_function "pci0000:$hb/$port/$vf" "$vf" ixgbevf 0x8086 0x10ed 0x020000 "$node" "$cpus"
            ln -s "../$pf" "$sys/devices/pci0000:$hb/$port/$vf/physfn"
            ln -s "../$vf" "$sys/devices/pci0000:$hb/$port/$pf/virtfn$v"
        done
    done
}

# large_socket DOMAIN_BUS FIRST_NIC_BUS NODE CPULIST: a host bridge, its root port and 8 PFs, each
# on a bus of its own with 64 VFs (devices 02-09, functions 0-7), none of them bound: the
# "16 PFs and 1024 VFs" host of the syscall table (bench/syscalls).
large_socket() {
    local hb=$1 first=$2 node=$3 cpus=$4
    local port=0000:$hb:00.0 pf vf bus i d f

    pci_function "pci0000:$hb/$port" "$port" pcieport 0x8086 0x2030 0x060400 "$node" "$cpus"
    for ((i = 0; i < 8; i++)); do
        printf -v bus '%02x' $((0x$first + i))
        pf=0000:$bus:00.0
        pci_function "pci0000:$hb/$port/$pf" "$pf" ixgbe 0x8086 0x10fb 0x020000 "$node" "$cpus"
        put "$sys/devices/pci0000:$hb/$port/$pf/sriov_totalvfs" 64
        put "$sys/devices/pci0000:$hb/$port/$pf/sriov_numvfs" 64
        for ((d = 2; d < 10; d++)); do
            for ((f = 0; f < 8; f++)); do
                printf -v vf '0000:%s:%02x.%x' "$bus" "$d" "$f"
                pci_function "pci0000:$hb/$port/$vf" "$vf" ixgbevf 0x8086 0x10ed 0x020000 "$node" "$cpus"
            done
        done
    done
}

if [ "$layout" = large ]; then
    large_socket 3a 3b 0 0-15
    large_socket ae af 1 16-31
else
    socket 3a 3b 0 0-15
    socket ae af 1 16-31
fi

# ---- /proc, /etc ----
put "$root/proc/cmdline" "$CMDLINE"

# A typical 7-line fstab; the hugetlbfs line is what a DPDK host often carries by hand.
put "$root/etc/fstab" \
    "UUID=3f1c2a4e-8d5b-4c1e-9a7f-2b6d0e4c8a91 /                ext4        errors=remount-ro          0 1" \
    "UUID=9b2e7d40-1c3a-4f5e-8b6d-7a0c9e2f4d13 /boot            ext4        defaults                   0 2" \
    "UUID=5A3C-91EF                            /boot/efi        vfat        umask=0077                 0 1" \
    "UUID=c7d8e9f0-2a1b-4c3d-8e5f-6a7b8c9d0e1f none             swap        sw                         0 0" \
    "tmpfs                                     /tmp             tmpfs       nosuid,nodev,size=2G       0 0" \
    "hugetlbfs                                 /dev/hugepages1G hugetlbfs   pagesize=1G                0 0" \
    "/dev/sr0                                  /media/cdrom0    udf,iso9660 user,noauto                0 0"

conf=$root/etc/dpdk-boot/dpdk-boot.conf
mkdir -p "${conf%/*}"
{
    printf '%s\n' "# The benchmarks' reference config: every kind of work the generator can do." \
        "[Hugepages]" "Size=1G" "PerNode=0:8,1:8" "" \
        "[Hugepages]" "Size=2M" "Count=1024" "" \
        "[CPU]" "Isolate=2-15,18-31" "Housekeeping=0-1,16-17" "" \
        "[IOMMU]" "Mode=pt" ""
    # Every function, the PFs too: Force=yes says that their VFs may go (the sriov gate refuses
    # a PF that carries VFs without it), so the plan binds all 72 as in earlier rounds.
    for bus in 3b af; do
        for f in 0 1 2 3; do
            printf '[Device]\nAddress=0000:%s:00.%s\nDriver=vfio-pci\nForce=yes\n\n' "$bus" "$f"
            for v in 0 1 2 3 4 5 6 7; do
                printf '[Device]\nAddress=0000:%s:1%s.%s\nDriver=vfio-pci\n\n' "$bus" "$f" "$v"
            done
        done
    done
    printf '%s\n' "[Datapath]" "Preset=testpmd" "Cores=2-3" "MainCore=0" "HugepageSize=1G"
} > "$conf"
