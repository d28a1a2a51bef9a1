#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkcase.sh CASE DIR: a root tree for one gates/selection case, laid out as sysfs lays it out
# (functions under /sys/devices/pci0000:XX/, links in /sys/bus/pci/devices, relative driver and
# iommu_group links, a uevent per function), with its /etc/dpdk-boot/dpdk-boot.conf and what
# else the case needs (DMI names, reserved regions, routes, network configuration).
set -euo pipefail

case=${1:?usage: mkcase.sh CASE DIR}
root=${2:?usage: mkcase.sh CASE DIR}
mkdir -p "$root"
cd "$root"

put() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }

# node ID CPULIST
node() { put "sys/devices/system/node/node$1/cpulist" "$2"; }

# fn BDF VENDOR:DEVICE CLASS DRIVER|- NODE GROUP|- [NETDEV [MAC]]
fn() {
    local bdf=$1 id=$2 class=$3 drv=$4 numa=$5 group=$6 netdev=${7:-} mac=${8:-}
    local d=sys/devices/pci0000:${bdf:5:2}/$bdf
    mkdir -p "$d" sys/bus/pci/devices
    put "$d/vendor" "0x${id%%:*}"
    put "$d/device" "0x${id##*:}"
    put "$d/class" "0x$class"
    put "$d/numa_node" "$numa"
    put "$d/uevent" "$( [[ $drv != - ]] && echo "DRIVER=$drv"
        echo "PCI_CLASS=${class#0}"
        echo "PCI_ID=${id^^}"
        echo "PCI_SLOT_NAME=$bdf")"
    if [[ $drv != - ]]; then
        mkdir -p "sys/bus/pci/drivers/$drv"
        ln -s "../../../../bus/pci/drivers/$drv" "$d/driver"
    fi
    if [[ $group != - ]]; then
        mkdir -p "sys/kernel/iommu_groups/$group/devices"
        ln -s "../../../../kernel/iommu_groups/$group" "$d/iommu_group"
        ln -s "../../../../devices/pci0000:${bdf:5:2}/$bdf" "sys/kernel/iommu_groups/$group/devices/$bdf"
        [[ -f sys/kernel/iommu_groups/$group/reserved_regions ]] ||
            put "sys/kernel/iommu_groups/$group/reserved_regions" "0x00000000fee00000 0x00000000feefffff msi"
    fi
    if [[ -n $netdev ]]; then
        mkdir -p "$d/net/$netdev" sys/class/net
        put "$d/net/$netdev/address" "${mac:-00:00:00:00:00:00}"
        ln -s "../../devices/pci0000:${bdf:5:2}/$bdf/net/$netdev" "sys/class/net/$netdev"
    fi
    ln -s "../../../devices/pci0000:${bdf:5:2}/$bdf" "sys/bus/pci/devices/$bdf"
}

# ht SOCKETS CORES THREADS: one NUMA node per socket, CPUs numbered as Intel does (all first
# threads, then all second threads: with 2x4x2, CPU N and N+8 are siblings), each CPU's
# topology/thread_siblings_list, and the node cpulists.
ht() {
    local sockets=$1 cores=$2 threads=$3 s c t cpu list sib
    for ((s = 0; s < sockets; s++)); do
        list=
        for ((t = 0; t < threads; t++)); do
            list+=${list:+,}$((t * sockets * cores + s * cores))-$((t * sockets * cores + s * cores + cores - 1))
        done
        node "$s" "$list"
        for ((c = 0; c < cores; c++)); do
            sib=
            for ((t = 0; t < threads; t++)); do
                sib+=${sib:+,}$((t * sockets * cores + s * cores + c))
            done
            for ((t = 0; t < threads; t++)); do
                cpu=$((t * sockets * cores + s * cores + c))
                put "sys/devices/system/cpu/cpu$cpu/topology/thread_siblings_list" "$sib"
            done
        done
    done
}

# attr BDF NAME VALUE: one more sysfs attribute of a function made by fn
attr() { put "sys/devices/pci0000:${1:5:2}/$1/$2" "$3"; }

# dsn BDF MAC [fe]: a config space whose only extended capability is a Device Serial Number that
# holds MAC as Intel writes it (OUI, ff ff, the last three bytes), or with fe as an EUI-64 (OUI,
# ff fe, the last three bytes), little-endian dwords at 0x104
dsn() {
    local m b bytes=
    IFS=: read -ra m <<< "$2"
    for b in 03 00 01 00 "${m[5]}" "${m[4]}" "${m[3]}" "${3:-ff}" ff "${m[2]}" "${m[1]}" "${m[0]}"; do
        bytes+="\\x$b"
    done
    { head -c 256 /dev/zero
      printf '%b' "$bytes"
      head -c $((4096 - 268)) /dev/zero; } > "sys/devices/pci0000:${1:5:2}/$1/config"
}

iommu() { mkdir -p sys/class/iommu/dmar0; }
conf() { mkdir -p etc/dpdk-boot; cat > etc/dpdk-boot/dpdk-boot.conf; }
host() { put sys/devices/system/cpu/online "$1"; put sys/devices/system/cpu/isolated "${2:-}"; \
         mkdir -p sys/kernel/mm/hugepages/hugepages-2048kB sys/kernel/mm/hugepages/hugepages-1048576kB; }

# HP ProLiant DL360e Gen8 with an X520 (two ports), the first behind an RMRR: the "Error attaching
# device" report of failure-modes.md.
dl360e_gen8() {
        host 0-3; iommu; node 0 0-3
        put sys/class/dmi/id/sys_vendor "HP"
        put sys/class/dmi/id/product_name "ProLiant DL360e Gen8"
        fn 0000:03:00.0 8086:10fb 020000 ixgbe 0 18
        fn 0000:03:00.1 8086:10fb 020000 ixgbe 0 19
        put sys/kernel/iommu_groups/18/reserved_regions "0x00000000bdf6e000 0x00000000bdf6efff direct
0x00000000fee00000 0x00000000feefffff msi"
}

case $case in
    numa-node1)
        # a 2-node host whose NICs sit on node 1, with the CPUs and pages planned on node 0
        host 0-7 1-3; iommu; node 0 0-3; node 1 4-7
        fn 0000:00:1f.6 8086:15b7 020000 e1000e 0 1 eno1 00:11:22:33:44:55
        fn 0000:81:00.0 8086:10fb 020000 ixgbe 1 40
        fn 0000:81:00.1 8086:10fb 020000 ixgbe 1 41
        conf << 'C'
[Hugepages]
Size=1G
PerNode=0:4

[CPU]
Isolate=1-3

[Device]
ID=8086:10fb
C
        ;;
    numa-main-remote | numa-main-remote-socketmem)
        # NICs on node 1, whose CPUs are all isolated: the main lcore has to stay on node 0,
        # which then needs socket memory of its own (derived: 1G; given: a warning)
        host 0-7 4-7; iommu; node 0 0-3; node 1 4-7
        fn 0000:00:1f.6 8086:15b7 020000 e1000e 0 1 eno1 00:11:22:33:44:55
        fn 0000:81:00.0 8086:10fb 020000 ixgbe 1 40
        fn 0000:81:00.1 8086:10fb 020000 ixgbe 1 41
        { cat << 'C'
[Hugepages]
Size=1G
PerNode=0:1,1:2

[CPU]
Isolate=4-7

[Device]
ID=8086:10fb

[Datapath]
Preset=testpmd
Cores=5-6
C
          [[ $case == *-socketmem ]] && echo "SocketMemory=0,2048"; true; } | conf
        ;;
    numa-ht | numa-ht-short | numa-ht-socketmem)
        # 2 sockets x 4 cores x 2 threads (node 0: 0-3,8-11, node 1: 4-7,12-15), two 82599
        # ports on node 1, the management NIC on node 0; the CPU sets, the lcores, the pages
        # and the socket memory derived from that
        host 0-15 1-3,5-7,9-11,13-15; iommu; ht 2 4 2
        fn 0000:00:1f.6 8086:15b7 020000 e1000e 0 1 eno1 00:11:22:33:44:55
        fn 0000:81:00.0 8086:10fb 020000 ixgbe 1 40
        fn 0000:81:00.1 8086:10fb 020000 ixgbe 1 41
        case $case in
            numa-ht) conf << 'C' ;;
[Hugepages]
Size=1G
Count=4
Placement=devices

[CPU]
HousekeepingPerNode=1

[Device]
ID=8086:10fb

[Datapath]
Preset=testpmd
CoresPerPort=2
MTU=9000
C
            numa-ht-short) conf << 'C' ;;
# two cores of each node kept: 6-7,14-15 left on node 1 for 2 ports x 3 lcores;
# one 1G page where the datapath needs two
[Hugepages]
Size=1G
Count=1
Placement=devices

[CPU]
HousekeepingPerNode=2

[Device]
ID=8086:10fb

[Datapath]
Preset=testpmd
CoresPerPort=3
C
            numa-ht-socketmem) conf << 'C' ;;
# socket memory given, pages per node, explicit cores
[Hugepages]
Size=1G
PerNode=0:1,1:2

[CPU]
Isolate=1-3,5-7,9-11,13-15

[Device]
ID=8086:10fb

[Datapath]
Preset=testpmd
Cores=5,13
SocketMemory=1024,3072
C
        esac
        ;;
    group-shared | group-bind)
        # a dual-port NIC in one IOMMU group (no ACS), one port kept on its kernel driver
        host 0-3; iommu; node 0 0-3
        fn 0000:00:01.0 8086:1901 060400 pcieport 0 2
        fn 0000:03:00.0 8086:1572 020000 i40e 0 2
        fn 0000:03:00.1 8086:1572 020000 i40e 0 2 ens1f1 3c:fd:fe:00:00:01
        { echo "[Device]"; echo "Address=0000:03:00.0"
          [[ $case == group-bind ]] && echo "BindGroup=yes"; true; } | conf
        ;;
    rmrr)
        # HP ProLiant DL360e Gen8 with an X520 behind an RMRR (the failure-modes.md report)
        dl360e_gen8
        conf << 'C'
[Device]
ID=8086:10fb
Port=0

[Device]
Address=0000:03:00.1
C
        ;;
    rmrr-ovs)
        # the same DL360e Gen8 as an Open vSwitch host: both X520 ports asked for by model, the
        # one behind the RMRR is left out, OVS starts with the other instead of failing on it
        dl360e_gen8
        conf << 'C'
[Hugepages]
Size=1G
Count=4

[Device]
ID=8086:10fb

[Datapath]
Preset=ovs
MainCore=0
Cores=2-3
Bridge=br-phy
C
        ;;
    no-iommu)
        host 0-3; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 virtio-pci 0 -
        conf << 'C'
[Device]
Address=0000:00:04.0
C
        ;;
    bond)
        # a broad rule over three igb ports, two of them in the bond that holds the default route
        host 0-3; iommu; node 0 0-3
        fn 0000:01:00.0 8086:1521 020000 igb 0 11 eno1 a0:36:9f:00:00:01
        fn 0000:01:00.1 8086:1521 020000 igb 0 12 eno2 a0:36:9f:00:00:02
        fn 0000:02:00.0 8086:1521 020000 igb 0 13 eno3 a0:36:9f:00:00:03
        mkdir -p sys/class/net/bond0
        ln -s ../eno1 sys/class/net/bond0/lower_eno1
        ln -s ../eno2 sys/class/net/bond0/lower_eno2
        put proc/net/route "Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
bond0	00000000	0100000A	0003	0	0	0	00000000	0	0	0
bond0	0000000A	00000000	0001	0	0	0	00FFFFFF	0	0	0"
        conf << 'C'
[Device]
ID=8086:1521
C
        ;;
    sriov-pf)
        # an X710 whose first PF carries four VFs (two of them selected instead), the second PF
        # two VFs but Force=yes, a third PF none
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 i40e 0 50 ens1f0 3c:fd:fe:00:00:10
        fn 0000:3b:00.1 8086:1572 020000 i40e 0 51 ens1f1 3c:fd:fe:00:00:11
        fn 0000:3b:00.2 8086:1572 020000 i40e 0 52 ens1f2 3c:fd:fe:00:00:12
        attr 0000:3b:00.0 sriov_numvfs 4
        attr 0000:3b:00.1 sriov_numvfs 2
        attr 0000:3b:00.2 sriov_numvfs 0
        fn 0000:3b:02.0 8086:154c 020000 iavf 0 60
        fn 0000:3b:02.1 8086:154c 020000 iavf 0 61
        conf << 'C'
[Device]
Address=0000:3b:00.0

[Device]
Address=0000:3b:00.1
Force=yes

[Device]
Address=0000:3b:00.2

[Device]
ID=8086:154c
C
        ;;
    sriov-vfs)
        # VirtualFunctions= on a many-VF host: two E810-like PFs of 256 VFs at most (First VF
        # Offset 8, VF Stride 1), the first to get 64 VFs of which a PhysicalFunction= rule takes
        # all, the second 8 VFs of which VFIndex= takes two and an ID= rule (the VFs' device id,
        # sriov_vf_device) one more; a third PF asked for more than its sriov_totalvfs; a PF
        # asked for VFs with a DPDK Driver= and no Force=.
        host 0-3; iommu; node 0 0-3
        fn 0000:5e:00.0 8086:159b 020000 ice 0 40 ens2f0 b4:96:91:00:00:01
        fn 0000:5e:00.1 8086:159b 020000 ice 0 41 ens2f1 b4:96:91:00:00:02
        fn 0000:5e:00.2 8086:159b 020000 ice 0 42 ens2f2 b4:96:91:00:00:03
        fn 0000:5e:00.3 8086:159b 020000 ice 0 43 ens2f3 b4:96:91:00:00:04
        for f in 0 1 2 3; do
            attr 0000:5e:00.$f sriov_totalvfs 256
            attr 0000:5e:00.$f sriov_numvfs 0
            attr 0000:5e:00.$f sriov_offset $((8 + 256 * f - f))
            attr 0000:5e:00.$f sriov_stride 1
            attr 0000:5e:00.$f sriov_vf_device 1889
        done
        conf << 'C'
[Device]
Address=0000:5e:00.0
VirtualFunctions=64

[Device]
PhysicalFunction=0000:5e:00.0

[Device]
Address=0000:5e:00.1
VirtualFunctions=8

[Device]
PhysicalFunction=0000:5e:00.1
VFIndex=0 7
Driver=uio_pci_generic

[Device]
ID=8086:1889
VFIndex=3

[Device]
Address=0000:5e:00.2
VirtualFunctions=257

[Device]
Address=0000:5e:00.3
VirtualFunctions=2
Driver=vfio-pci
C
        ;;
    mlx5)
        host 0-3; iommu; node 0 0-3
        fn 0000:5e:00.0 15b3:1017 020000 mlx5_core 0 30 ens2f0np0 b8:59:9f:00:00:01
        fn 0000:5e:00.1 15b3:1017 020000 mlx5_core 0 31 ens2f1np1 b8:59:9f:00:00:02
        conf << 'C'
# every Ethernet controller: the ConnectX-5 ports are left out
[Device]
Class=0x0200

# named by address: refused, and the datapath does not start
[Device]
Address=0000:5e:00.1
C
        ;;
    sku-a | sku-b)
        # one config, two hardware models: the first two 82599 ports by address, wherever they are
        host 0-3; iommu; node 0 0-3
        if [[ $case == sku-a ]]; then
            fn 0000:3b:00.0 8086:10fb 020000 ixgbe 0 60
            fn 0000:3b:00.1 8086:10fb 020000 ixgbe 0 61
        else
            fn 0000:af:00.0 8086:10fb 020000 ixgbe 0 70
            fn 0000:af:00.1 8086:10fb 020000 ixgbe 0 71
            fn 0000:d8:00.0 8086:10fb 020000 ixgbe 0 72
        fi
        fn 0000:00:1f.6 8086:15b7 020000 e1000e 0 1 eno1 00:11:22:33:44:55
        conf << 'C'
[Device]
ID=8086:10fb
Port=0 1
C
        ;;
    mgmt-config)
        # no routes yet (early boot), no interfaces: the evidence is in the network configuration
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 - 0 4
        fn 0000:00:05.0 1af4:1041 020000 - 0 5
        fn 0000:00:06.0 8086:10d3 020000 - 0 6
        put etc/systemd/network/10-mgmt.network "[Match]
Name=enp0s6

[Network]
Address=192.0.2.10/24"
        conf << 'C'
[Device]
ID=1af4:1041 8086:10d3
C
        ;;
    mgmt-slot)
        # a dual-port 82599 in PCI slot 1, its first port the management NIC by its slot name
        # (ens1f0) in networkd, and no interface yet: one rule for the model takes the other
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:10fb 020000 - 0 30
        fn 0000:3b:00.1 8086:10fb 020000 - 0 31
        put sys/bus/pci/slots/1/address "0000:3b:00"
        put etc/systemd/network/10-mgmt.network "[Match]
Name=ens1f0

[Network]
Address=192.0.2.10/24"
        conf << 'C'
[Device]
ID=8086:10fb
C
        ;;
    mgmt-initrd)
        # in the initramfs: the real root's network configuration is out of sight, and only
        # what the dracut module stored (mgmt-evidence) says that 00:06.0 is the management
        # NIC; the rule names it by address, without Force=
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 - 0 4
        fn 0000:00:06.0 8086:10d3 020000 - 0 6
        put etc/initrd-release "NAME=dracut"
        put usr/lib/dpdk-boot/mgmt-evidence "name enp0s6 /etc/systemd/network/10-mgmt.network:2
mac 52:54:00:00:00:03 /etc/systemd/network/10-mgmt.network:3
pci 0000:00:06.0 MAC 52:54:00:00:00:03 of enp0s6 when the initramfs was built (/etc/systemd/network/10-mgmt.network:3)"
        conf << 'C'
[Device]
Address=0000:00:04.0
Driver=vfio-pci

[Device]
Address=0000:00:06.0
Driver=vfio-pci
C
        ;;
    mgmt-mac)
        # the management NIC is known by MAC only and no NIC has an interface yet
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 - 0 4
        fn 0000:00:06.0 8086:10d3 020000 - 0 6
        put etc/NetworkManager/system-connections/mgmt.nmconnection "[connection]
id=mgmt
type=ethernet

[ethernet]
mac-address=52:54:00:00:00:03"
        conf << 'C'
[Device]
ID=1af4:1041 8086:10d3

[Device]
Address=0000:00:04.0
C
        ;;
    mgmt-smbios-bond)
        # four onboard i350 ports that systemd names eno1..eno4 from the SMBIOS index (no
        # acpi_index), the first two the members of an 802.3ad bond in networkd; no driver
        # has probed yet. Both rules would take a bond member: neither does.
        host 0-3; iommu; node 0 0-3
        for f in 0 1 2 3; do
            fn 0000:01:00.$f 8086:1521 020000 - 0 $((10 + f))
            attr 0000:01:00.$f index $((f + 1))
            attr 0000:01:00.$f label "Embedded NIC $((f + 1))"
        done
        put etc/systemd/network/10-bond0.netdev "[NetDev]
Name=bond0
Kind=bond

[Bond]
Mode=802.3ad"
        put etc/systemd/network/20-bond0-members.network "[Match]
Name=eno1 eno2

[Network]
Bond=bond0"
        put etc/systemd/network/30-bond0.network "[Match]
Name=bond0

[Network]
Address=192.0.2.10/24
Gateway=192.0.2.1"
        conf << 'C'
[Device]
ID=8086:1521

[Device]
Address=0000:01:00.1
C
        ;;
    mgmt-ifupdown-path)
        # an X710 in PCI domain 1, its first port the only port of an ifupdown bridge by its
        # path name (enP1p59s0f0, with the domain); no driver has probed yet
        host 0-3; iommu; node 0 0-3
        fn 0001:3b:00.0 8086:1572 020000 - 0 30
        fn 0001:3b:00.1 8086:1572 020000 - 0 31
        put etc/network/interfaces "source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto br0
iface br0 inet static
    bridge_ports enP1p59s0f0
    address 192.0.2.10/24
    gateway 192.0.2.1"
        conf << 'C'
[Device]
Class=0x0200

[Device]
Address=0001:3b:00.0
C
        ;;
    mgmt-unreadable)
        # the management NIC's networkd file is a FIFO (a broken deployment), before any driver:
        # it could name any port, so neither the pattern rule nor the Address= rule takes one;
        # only the port named by Address= with Force=yes is taken
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:af:00.0 8086:1572 020000 - 0 40
        fn 0000:af:00.1 8086:1572 020000 - 0 41
        mkdir -p etc/systemd/network
        mkfifo etc/systemd/network/10-mgmt.network
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.1

[Device]
Address=0000:af:00.1
Force=yes
C
        ;;
    mgmt-initrd-any)
        # in the initramfs: the dracut module could not read a networkd file when it built the
        # image, and stored that; every NIC the file could name is refused unless its rule names
        # it by address with Force=yes
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 - 0 4
        fn 0000:00:06.0 8086:10d3 020000 - 0 6
        put etc/initrd-release "NAME=dracut"
        put usr/lib/dpdk-boot/mgmt-evidence "any /etc/systemd/network/10-mgmt.network cannot be read (Permission denied)"
        conf << 'C'
[Device]
Address=0000:00:04.0

[Device]
Address=0000:00:06.0
Force=yes
C
        ;;
    mgmt-malformed)
        # a networkd file with a broken line after its [Match] (networkd refuses the file until
        # it is fixed; then it names enp59s0f0): only that port is refused; a NetworkManager
        # keyfile under /usr/lib names the second X710's first port by its slot name
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:af:00.0 8086:1572 020000 - 0 40
        fn 0000:af:00.1 8086:1572 020000 - 0 41
        put sys/bus/pci/slots/3/address "0000:af:00"
        put etc/systemd/network/10-mgmt.network "[Match]
Name=enp59s0f0

[Network]
DHCP yes"
        put usr/lib/NetworkManager/system-connections/storage.nmconnection "[connection]
id=storage
type=ethernet
interface-name=ens3f0"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.0

[Device]
Address=0000:af:00.0
C
        ;;
    mgmt-rename)
        # names given by a .link file (by the permanent MAC, which the X710's serial number
        # gives before probe) and by a udev rule (by PCI address), used by a networkd bond;
        # a networkd pattern (Name=enp175s0f*) for the storage ports; before any driver
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:5e:00.0 8086:1572 020000 - 0 35
        fn 0000:5e:00.1 8086:1572 020000 - 0 36
        fn 0000:af:00.0 8086:1572 020000 - 0 40
        fn 0000:af:00.1 8086:1572 020000 - 0 41
        dsn 0000:3b:00.0 3c:fd:fe:aa:bb:cc
        put etc/systemd/network/10-mgmt0.link "[Match]
PermanentMACAddress=3c:fd:fe:aa:bb:cc

[Link]
Name=mgmt0"
        put etc/udev/rules.d/70-persistent-net.rules 'SUBSYSTEM=="net", ACTION=="add", KERNELS=="0000:5e:00.0", NAME="mgmt1"'
        put etc/systemd/network/20-bond0-ports.network "[Match]
Name=mgmt0 mgmt1

[Network]
Bond=bond0"
        put etc/systemd/network/30-storage.network "[Match]
Name=enp175s0f*

[Network]
Address=198.51.100.10/24"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:5e:00.0
C
        ;;
    mgmt-sun)
        # systemd 257 (its default scheme v257) names a port without a hotplug slot from its
        # firmware node's ACPI _SUN: the management NIC is ens3f0 in networkd, the E810 in the
        # slot whose _SUN is 3; before any driver
        host 0-3; iommu; node 0 0-3
        fn 0000:17:00.0 8086:159b 020000 - 0 20
        fn 0000:17:00.1 8086:159b 020000 - 0 21
        fn 0000:ca:00.0 8086:159b 020000 - 0 40
        fn 0000:ca:00.1 8086:159b 020000 - 0 41
        put sys/devices/pci0000:17/0000:17:00.0/firmware_node/sun 3
        put sys/devices/pci0000:17/0000:17:00.1/firmware_node/sun 3
        put sys/devices/pci0000:ca/0000:ca:00.0/firmware_node/sun 7
        put sys/devices/pci0000:ca/0000:ca:00.1/firmware_node/sun 7
        put usr/lib/systemd/libsystemd-shared-257.so ""
        put etc/systemd/network/10-mgmt.network "[Match]
Name=ens3f0

[Network]
DHCP=yes"
        conf << 'C'
[Device]
ID=8086:159b

[Device]
Address=0000:17:00.0
C
        ;;
    mgmt-dsn)
        # networkd matches the management NIC by MAC only, on a first boot (no record of the
        # NICs' MACs yet) and before any driver: the X710's Device Serial Number gives function
        # 0's MAC, so the first port is known, and the second is not the one
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        dsn 0000:3b:00.0 3c:fd:fe:aa:bb:cc
        put etc/systemd/network/10-mgmt.network "[Match]
MACAddress=3c:fd:fe:aa:bb:cc

[Network]
DHCP=yes"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.0
C
        ;;
    mgmt-dsn-eui64)
        # two dual-port Broadcom BCM57414 cards, networkd matching the management NIC by the
        # first card's MAC only, before any driver: the card's serial number is an EUI-64 of
        # that MAC (ff fe in the middle), which does not say which port has it, so both ports
        # of that card are refused and the other card's taken
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 14e4:16d7 020000 - 0 30
        fn 0000:3b:00.1 14e4:16d7 020000 - 0 31
        fn 0000:af:00.0 14e4:16d7 020000 - 0 40
        fn 0000:af:00.1 14e4:16d7 020000 - 0 41
        dsn 0000:3b:00.0 b0:26:28:c1:24:b0 fe
        dsn 0000:3b:00.1 b0:26:28:c1:24:b0 fe
        dsn 0000:af:00.0 b0:26:28:c1:31:70 fe
        dsn 0000:af:00.1 b0:26:28:c1:31:70 fe
        put etc/systemd/network/10-mgmt.network "[Match]
MACAddress=b0:26:28:c1:24:b0

[Network]
DHCP=yes"
        conf << 'C'
[Device]
ID=14e4:16d7

[Device]
Address=0000:3b:00.1
C
        ;;
    mgmt-dsn-vm)
        # the VM suite's guest on its first boot: networkd matches the e1000e management NIC by
        # MAC only, the rules name the two virtio ports by address and not the e1000e, and no
        # driver has probed: the e1000e's serial number (QEMU builds it from the MAC as Intel
        # does) says which NIC the MAC is, so the virtio ports are taken
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 - 0 4
        fn 0000:00:05.0 1af4:1041 020000 - 0 5
        fn 0000:00:06.0 8086:10d3 020000 - 0 6
        dsn 0000:00:06.0 52:54:00:00:00:03
        put etc/systemd/network/10-mgmt.network "[Match]
MACAddress=52:54:00:00:00:03

[Network]
Address=192.0.2.10/24"
        conf << 'C'
[Device]
Address=0000:00:04.0

[Device]
Address=0000:00:05.0
C
        ;;
    mgmt-networkd-dirs)
        # networkd's whole search path, before any driver: the management NIC in a vendor's
        # file under /usr/lib with a byte order mark and CRLF line ends; a second one added by
        # a drop-in in /etc to a file in /run; a third file under /usr/lib masked by /etc
        # (a symlink to /dev/null), so the port it names is taken
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:10fb 020000 - 0 30
        fn 0000:3b:00.1 8086:10fb 020000 - 0 31
        fn 0000:af:00.0 8086:10fb 020000 - 0 40
        fn 0000:af:00.1 8086:10fb 020000 - 0 41
        mkdir -p usr/lib/systemd/network
        printf '\xef\xbb\xbf[Match]\r\nName=enp59s0f0\r\n\r\n[Network]\r\nDHCP=yes\r\n' \
            > usr/lib/systemd/network/10-mgmt.network
        put run/systemd/network/30-storage.network "[Match]
Name=storage0

[Network]
Address=198.51.100.10/24"
        put etc/systemd/network/30-storage.network.d/50-port.conf "[Match]
Name=enp59s0f1"
        put usr/lib/systemd/network/40-old.network "[Match]
Name=enp175s0f1"
        ln -s /dev/null etc/systemd/network/40-old.network
        conf << 'C'
[Device]
ID=8086:10fb

[Device]
Address=0000:3b:00.0
C
        ;;
    mgmt-networkd-driver)
        # the management port configured in networkd by its driver ([Match] Driver=igb, the
        # onboard i350) and by no name, MAC or path, before any driver: which NIC igb will drive
        # is not known yet, so the file could configure any NIC; neither the pattern rule for the
        # X710s nor the Address= rule takes one, only the port named by Address= with Force=yes
        host 0-3; iommu; node 0 0-3
        fn 0000:01:00.0 8086:1521 020000 - 0 10
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:3b:00.2 8086:1572 020000 - 0 32
        put etc/systemd/network/10-mgmt.network "[Match]
Driver=igb

[Network]
Address=192.0.2.10/24
Gateway=192.0.2.1"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.0

[Device]
Address=0000:3b:00.1
Force=yes
C
        ;;
    mgmt-netplan)
        # an Ubuntu host whose management bond is written only in netplan's YAML (its own
        # generator has not rendered it yet), over the two ports of the first X710; the image's
        # default file under /lib/netplan, shadowed by /etc's of the same name, named a port of
        # the second X710, which is taken
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:af:00.0 8086:1572 020000 - 0 40
        fn 0000:af:00.1 8086:1572 020000 - 0 41
        put lib/netplan/01-netcfg.yaml "network:
  version: 2
  ethernets:
    enp175s0f0:
      dhcp4: true"
        put etc/netplan/01-netcfg.yaml "network:
  version: 2
  renderer: networkd
  ethernets:
    enp59s0f0: {}
    enp59s0f1: {}
  bonds:
    bond0:
      interfaces: [enp59s0f0, enp59s0f1]
      parameters:
        mode: 802.3ad
      addresses: [192.0.2.10/24]
      routes:
        - to: default
          via: 192.0.2.1"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.1
C
        ;;
    mgmt-netplan-driver)
        # an Ubuntu host whose management port is matched in netplan by driver only (match:
        # driver: igb, the onboard i350), before any driver: which NIC igb will drive is not known
        # yet, so no NIC is taken but the one named by Address= with Force=yes
        host 0-3; iommu; node 0 0-3
        fn 0000:01:00.0 8086:1521 020000 - 0 10
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        fn 0000:3b:00.2 8086:1572 020000 - 0 32
        put etc/netplan/50-mgmt.yaml "network:
  version: 2
  ethernets:
    mgmt:
      match:
        driver: igb
      set-name: mgmt0
      addresses: [192.0.2.10/24]
      routes:
        - to: default
          via: 192.0.2.1"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.0

[Device]
Address=0000:3b:00.1
Force=yes
C
        ;;
    mgmt-nm)
        # a NetworkManager host: the management bridge's only port is the first onboard BCM5720
        # port, named eno1 from its ACPI index, in a bridge-slave keyfile of /etc; no driver has
        # probed yet. The ID= rule takes the second port only; the Address= rule is refused.
        host 0-3; iommu; node 0 0-3
        fn 0000:04:00.0 14e4:165f 020000 - 0 40
        fn 0000:04:00.1 14e4:165f 020000 - 0 41
        attr 0000:04:00.0 acpi_index 1
        attr 0000:04:00.1 acpi_index 2
        put etc/NetworkManager/system-connections/br0.nmconnection "[connection]
id=br0
type=bridge
interface-name=br0

[ipv4]
method=manual
address1=192.0.2.10/24,192.0.2.1"
        put etc/NetworkManager/system-connections/br0-port.nmconnection "[connection]
id=br0-port
type=ethernet
interface-name=eno1
master=br0
slave-type=bridge"
        conf << 'C'
[Device]
ID=14e4:165f

[Device]
Address=0000:04:00.0
C
        ;;
    mgmt-nm-vlan)
        # a NetworkManager host whose management network is VLAN 10 on the first port of the
        # X710 in slot 3 (parent=ens3f0 in the VLAN's keyfile, the port itself has no keyfile);
        # no driver has probed yet. The ID= rule takes the second port only; the Address= rule
        # is refused.
        host 0-3; iommu; node 0 0-3
        fn 0000:af:00.0 8086:1572 020000 - 0 40
        fn 0000:af:00.1 8086:1572 020000 - 0 41
        put sys/bus/pci/slots/3/address "0000:af:00"
        put etc/NetworkManager/system-connections/mgmt-vlan10.nmconnection "[connection]
id=mgmt-vlan10
type=vlan
interface-name=mgmt.10

[vlan]
id=10
parent=ens3f0

[ipv4]
method=manual
address1=192.0.2.10/24,192.0.2.1"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:af:00.0
C
        ;;
    mgmt-netboot)
        # a diskless host booted from the network: root=nfs with ip=dhcp and BOOTIF= from the
        # PXE firmware, the MAC of the first X710 port, which its Device Serial Number gives
        # before any driver; the second port is taken
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        dsn 0000:3b:00.0 3c:fd:fe:aa:bb:cc
        put proc/cmdline "root=nfs:192.0.2.1:/srv/root ip=dhcp BOOTIF=01-3c-fd-fe-aa-bb-cc"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.0
C
        ;;
    mgmt-netboot-any)
        # a diskless host booted from the network with ip=dhcp and nothing naming the NIC: the
        # initramfs brings up every NIC it finds, so no rule takes one but a forced Address= rule
        host 0-3; iommu; node 0 0-3
        fn 0000:3b:00.0 8086:1572 020000 - 0 30
        fn 0000:3b:00.1 8086:1572 020000 - 0 31
        put proc/cmdline "root=nfs:192.0.2.1:/srv/root ip=dhcp rd.neednet=1"
        conf << 'C'
[Device]
ID=8086:1572

[Device]
Address=0000:3b:00.1
Force=yes
C
        ;;
    mac-bond)
        # two i350 ports in an active-backup bond at run time: both carry the bond's MAC (the
        # first port's) now, the second keeps its own in bonding_slave/perm_hwaddr; MAC= selects
        # by the permanent MAC, so the rule for the second port's takes it alone, and the rule
        # for a MAC set by hand on a third port takes nothing
        host 0-3; iommu; node 0 0-3
        fn 0000:01:00.0 8086:1521 020000 igb 0 10 eno1 3c:fd:fe:aa:bb:01
        fn 0000:01:00.1 8086:1521 020000 igb 0 11 eno2 3c:fd:fe:aa:bb:01
        fn 0000:01:00.2 8086:1521 020000 igb 0 12 eno3 02:00:00:00:00:03
        attr 0000:01:00.0 net/eno1/addr_assign_type 0
        attr 0000:01:00.1 net/eno2/addr_assign_type 3
        attr 0000:01:00.1 net/eno2/bonding_slave/perm_hwaddr 3c:fd:fe:aa:bb:02
        attr 0000:01:00.2 net/eno3/addr_assign_type 3
        conf << 'C'
[Device]
MAC=3c:fd:fe:aa:bb:02

[Device]
MAC=02:00:00:00:00:03
C
        ;;
    conflict)
        host 0-3; iommu; node 0 0-3
        fn 0000:00:04.0 1af4:1041 020000 virtio-pci 0 4
        conf << 'C'
[Device]
ID=1af4:*

[Device]
NUMANode=0
Driver=uio_pci_generic
C
        ;;
    *)
        echo "mkcase.sh: unknown case $case" >&2
        exit 2
        ;;
esac
