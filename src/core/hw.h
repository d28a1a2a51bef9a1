/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "cpuset.h"

/*
 * A snapshot of the hardware facts the plan depends on, read from sysfs under the root prefix.
 * Reading it is cheap: a few directory scans and small files.
 */

typedef struct HwDevice {
        char address[13];
        bool present;
        char *driver;          /* current driver, NULL when unbound */
        char *driver_override; /* NULL when unset */
        int numa_node;         /* -1 unknown */
        int iommu_group;       /* -1 none */
        unsigned vendor, device;
        uint32_t class_code;
} HwDevice;

typedef struct HwHugepageSize {
        uint64_t size_kb;
} HwHugepageSize;

typedef struct Hardware {
        CpuSet online;
        CpuSet isolated;               /* /sys/devices/system/cpu/isolated */
        unsigned n_nodes;              /* nodes found; node ids below */
        int node_ids[DPDK_BOOT_MAX_NODES];
        CpuSet node_cpus[DPDK_BOOT_MAX_NODES];
        uint64_t page_sizes_kb[8];     /* hugepage sizes the kernel offers */
        unsigned n_page_sizes;
        bool iommu_present;            /* /sys/class/iommu has an entry */
        HwDevice *devices;             /* the devices the config names, in config order */
        size_t n_devices;
} Hardware;

/* Reads the facts; devices: the addresses to look at. */
int hw_read(Hardware *hw, const Config *config);
int hw_read_device(const char *address, HwDevice *ret);
void hw_device_done(HwDevice *d);
void hw_free(Hardware *hw);
bool hw_has_page_size(const Hardware *hw, uint64_t kb);
const HwDevice *hw_find_device(const Hardware *hw, const char *address);
