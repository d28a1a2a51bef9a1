#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkfixture.sh DIR: builds a small fake root for the helper tests, laid out as sysfs lays it
# out (device directories under /sys/devices, bus links into them, relative driver and
# iommu_group links), with two NUMA nodes, 2M and 1G hugepages, and four PCI functions:
#
#   0000:00:04.0  virtio-net, virtio-pci, IOMMU group 4, node 0, no network interface
#   0000:00:05.0  virtio-net, virtio-pci, IOMMU group 5, node 1, interface ens5
#   0000:00:06.0  82574L,     e1000e,     no IOMMU group, node 0, interface enp0s6
#   0000:00:07.0  virtio-net, virtio-pci, IOMMU group 7, node 0, not in the config
#
# Files starting with '.' are fixture controls read by the fakekernel shim
# (.default_driver, .capacity, .capacity_after_compact); the tests change the tree further.
set -euo pipefail

root=${1:?usage: mkfixture.sh DIR}
mkdir -p "$root"
cd "$root"

put() { # put FILE CONTENT
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "$2" >"$1"
}

drivers() {
    local d
    for d in virtio-pci vfio-pci e1000e; do
        mkdir -p "sys/bus/pci/drivers/$d"
        : >"sys/bus/pci/drivers/$d/bind"
        : >"sys/bus/pci/drivers/$d/unbind"
        : >"sys/bus/pci/drivers/$d/new_id"
    done
    : >sys/bus/pci/drivers_probe
    put sys/bus/pci/drivers_autoprobe 1
}

# device BDF VENDOR DEVICE CLASS DRIVER NODE GROUP|- NETDEV|-
device() {
    local bdf=$1 ven=$2 dev=$3 class=$4 drv=$5 node=$6 group=$7 netdev=$8
    local d=sys/devices/pci0000:00/$bdf
    local sv=$ven sd=0001

    mkdir -p "$d"
    put "$d/vendor" "0x$ven"
    put "$d/device" "0x$dev"
    put "$d/class" "0x$class"
    put "$d/numa_node" "$node"
    put "$d/driver_override" "(null)"
    put "$d/modalias" "$(printf 'pci:v0000%sd0000%ssv0000%ssd0000%sbc%ssc%si%s' \
        "${ven^^}" "${dev^^}" "${sv^^}" "$sd" "${class:0:2}" "${class:2:2}" "${class:4:2}")"
    put "$d/.default_driver" "$drv"
    ln -s "../../../bus/pci/drivers/$drv" "$d/driver"
    if [[ $group != - ]]; then
        mkdir -p "sys/kernel/iommu_groups/$group/devices"
        ln -s "../../../kernel/iommu_groups/$group" "$d/iommu_group"
        ln -s "../../../../devices/pci0000:00/$bdf" "sys/kernel/iommu_groups/$group/devices/$bdf"
    fi
    if [[ $netdev != - ]]; then
        if [[ $drv == virtio-pci ]]; then
            mkdir -p "$d/virtio${bdf: -3:1}/net/$netdev"
        else
            mkdir -p "$d/net/$netdev"
        fi
    fi
    mkdir -p sys/bus/pci/devices
    ln -s "../../../devices/pci0000:00/$bdf" "sys/bus/pci/devices/$bdf"
}

# pool DIR: one hugepages-<kb>kB directory, empty.
pool() {
    mkdir -p "$1"
    put "$1/nr_hugepages" 0
    put "$1/free_hugepages" 0
    put "$1/surplus_hugepages" 0
    [[ $1 == sys/kernel/* ]] || return 0
    put "$1/resv_hugepages" 0
    put "$1/nr_overcommit_hugepages" 0
}

memory() {
    local kb n
    for kb in 2048 1048576; do
        pool "sys/kernel/mm/hugepages/hugepages-${kb}kB"
        for n in 0 1; do
            pool "sys/devices/system/node/node$n/hugepages/hugepages-${kb}kB"
        done
    done
    put sys/devices/system/node/node0/cpulist 0-1
    put sys/devices/system/node/node1/cpulist 2-3
    put sys/devices/system/node/online 0-1
    put sys/devices/system/cpu/online 0-3
    put sys/devices/system/cpu/isolated 2-3
    put proc/sys/vm/compact_memory ""
}

proc_files() {
    put proc/cmdline "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro intel_iommu=on isolcpus=2-3"
    cat >proc/mounts <<'MOUNTS'
/dev/vda1 / ext4 rw,relatime 0 0
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
hugetlbfs /dev/hugepages2M hugetlbfs rw,relatime,pagesize=2M 0 0
hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,pagesize=1024M 0 0
MOUNTS
}

config() {
    put etc/dpdk-boot/dpdk-boot.conf "# Two ports for testpmd, 1G pages split over the nodes.
[Hugepages]
Size=1G
PerNode=0:2,1:2

[Hugepages]
Size=2M
Count=256

[Device]
Address=0000:00:04.0
Driver=vfio-pci

[Device]
Address=0000:00:05.0
Driver=vfio-pci

[Datapath]
Preset=testpmd
Cores=2-3
MainCore=0"
    chmod 0644 etc/dpdk-boot/dpdk-boot.conf
}

# A tiny PCI ID database, so device names do not depend on the host's.
pci_ids() {
    mkdir -p usr/share/misc
    printf '%s\n' \
        '1af4  Red Hat, Inc.' \
        $'\t1000  Virtio network device' \
        '8086  Intel Corporation' \
        $'\t10d3  82574L Gigabit Network Connection' >usr/share/misc/pci.ids
}

drivers
device 0000:00:04.0 1af4 1000 020000 virtio-pci 0 4 -
device 0000:00:05.0 1af4 1000 020000 virtio-pci 1 5 ens5
device 0000:00:06.0 8086 10d3 020000 e1000e 0 - enp0s6
device 0000:00:07.0 1af4 1000 020000 virtio-pci 0 7 -
mkdir -p sys/class/iommu/dmar0 dev/vfio
: >dev/vfio/vfio
memory
proc_files
config
pci_ids
