/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "cpuset.h"
#include "hugepage-limits.h"
#include "mgmt.h"

/*
 * A snapshot of the hardware facts the plan depends on, read from sysfs under the root prefix.
 *
 * The generator reads it at every boot, so it reads only what the config's rules can use: the
 * devices named by address, or every PCI device when a rule selects by pattern; per device the
 * uevent file (ids, class, driver; read through the device link, it also says the device is
 * there) and the IOMMU group link, the link itself only for the sysfs path (Path= rules, the full
 * snapshot) or when there is no uevent to read; NUMA nodes and network interfaces only when a
 * rule or the CPU plan needs them; each CPU's hyperthread siblings only when the config derives
 * CPUs (config_needs_topology()). The helper reads everything (HW_READ_FULL): IOMMU group
 * members and reserved regions, interfaces, and the management-path evidence, for the safety
 * gates.
 */

#define HW_DRIVER_MAX 48

/* Every field is set by hw_device_init() in hw.c: a new one is added there too. */
typedef struct HwDevice {
        char address[13];
        bool present;
        bool ids_known;                        /* the uevent was read */
        char driver[HW_DRIVER_MAX];            /* current driver, "" when unbound */
        char driver_override[HW_DRIVER_MAX];   /* "" when unset (HW_READ_FULL) */
        int numa_node;                         /* -1 unknown or not read */
        int iommu_group;                       /* -1 none */
        unsigned vendor, device;
        uint32_t class_code;
        char path[256];                        /* below /sys/devices, e.g. pci0000:00/0000:00:04.0;
                                                * read for Path= rules and HW_READ_FULL */
        char ifname[16];                       /* the first network interface, "" when none */
        char mac[18];                          /* its address */
        int acpi_index;                        /* firmware index (eno<N>), -1 unknown */
        int smbios_index;                      /* SMBIOS type 41 "index" (eno<N> without
                                                * acpi_index), -1 unknown */
        int ari;                               /* "ari_enabled": 1, 0, -1 unknown */
        int sriov_numvfs;                      /* its SR-IOV virtual functions ("sriov_numvfs"),
                                                * -1 not SR-IOV capable or not read (HW_READ_FULL,
                                                * or a config that uses SR-IOV) */
        /* Read when the config uses SR-IOV (VirtualFunctions=, PhysicalFunction=, VFIndex=): */
        int sriov_totalvfs;                    /* a PF: "sriov_totalvfs", -1 not a PF or not read */
        unsigned sriov_offset, sriov_stride;   /* First VF Offset and VF Stride of its capability */
        unsigned sriov_vf_device;              /* "sriov_vf_device": the VFs' device id, 0 unknown */
        char physfn[13];                       /* a VF: its PF's address, "" not a VF */
        int vf_index;                          /* a VF: N of its PF's virtfnN, -1 not a VF */
        bool vf_planned;                       /* a VF the plan's sriov_numvfs write creates (only in
                                                * the plan's view of the host, plan-sriov.c) */
} HwDevice;

typedef struct HwGroupMember {
        char address[13];
        char driver[HW_DRIVER_MAX];
        uint32_t class_code;
} HwGroupMember;

typedef struct HwGroup {
        int id;
        bool direct;                           /* a "direct" reserved region: RMRR / unity map */
        char direct_region[64];                /* "0x... 0x... direct", for the message */
        HwGroupMember *members;
        size_t n_members;
} HwGroup;

typedef struct HwNode {
        int id;
        CpuSet cpus;
} HwNode;

enum {
        HW_READ_FULL = 1 << 0,                 /* groups, interfaces, evidence: the helper */
};

typedef struct Hardware {
        unsigned flags;
        CpuSet online;
        CpuSet isolated;                       /* /sys/devices/system/cpu/isolated */
        HwNode *nodes;                         /* sorted by id */
        size_t n_nodes;
        uint64_t page_sizes_kb[8];             /* hugepage sizes the kernel offers */
        unsigned n_page_sizes;
        bool iommu_present;                    /* /sys/class/iommu has an entry */
        bool scanned;                          /* devices holds every PCI device */
        HwDevice *devices;                     /* sorted by address */
        size_t n_devices;
        HwGroup *groups;                       /* HW_READ_FULL: groups of the devices, sorted by id */
        size_t n_groups;
        CpuSet *siblings;                      /* per CPU: its thread siblings, when read */
        unsigned n_siblings;                   /* entries: the last online CPU + 1 */
        unsigned n_siblings_missing;           /* online CPUs without a thread_siblings_list */
        Mgmt mgmt;                             /* management-path evidence (HW_READ_FULL) */
        char sys_vendor[64], product_name[64]; /* DMI, for messages (HW_READ_FULL) */
        HwMemory mem;                          /* MemTotal, per node, pdpe1gb: with hugepages */
} Hardware;

/* A device not read yet: every field set, nothing known. */
void hw_device_init(HwDevice *d, const char address[static 13]);
int hw_read(Hardware *hw, const Config *config, const char *cmdline, unsigned flags);
void hw_free(Hardware *hw);
bool hw_has_page_size(const Hardware *hw, uint64_t kb);
const HwDevice *hw_find_device(const Hardware *hw, const char *address);
const HwGroup *hw_find_group(const Hardware *hw, int id);
const HwNode *hw_find_node(const Hardware *hw, int id);
/* The sibling lists as cpuset_pick_cores() takes them (empty when not read). */
CpuTopology hw_topology(const Hardware *hw);
/* Adds a device the config does not name (a one-off bind), with its group when the snapshot is
 * full. The devices array moves: pointers into it are stale afterwards. */
int hw_add_device(Hardware *hw, const char *address);
/* The address of VF index of a PF, from its SR-IOV capability: the routing ID (bus, device,
 * function) of the PF plus First VF Offset plus index times VF Stride, in the PF's domain.
 * False when it falls beyond bus 255. */
bool hw_vf_address(const HwDevice *pf, unsigned index, char ret[static 13]);
