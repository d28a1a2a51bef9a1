/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "hw.h"
#include "rootdir.h"
#include "util.h"

static int read_cpuset(const char *path, CpuSet *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = root_read_line(path, &s);
        if (r < 0)
                return r;
        return cpuset_parse(strip(s), ret);
}

static int node_id_cmp(const void *a, const void *b) {
        return *(const int *) a - *(const int *) b;
}

static void hw_read_nodes(Hardware *hw) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/devices/system/node");
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d)) && hw->n_nodes < DPDK_BOOT_MAX_NODES) {
                unsigned id;

                if (strncmp(de->d_name, "node", 4) != 0 || safe_atou(de->d_name + 4, &id) < 0 ||
                    id >= DPDK_BOOT_MAX_NODES)
                        continue;
                hw->node_ids[hw->n_nodes++] = (int) id;
        }
        qsort(hw->node_ids, hw->n_nodes, sizeof(int), node_id_cmp);
        for (unsigned i = 0; i < hw->n_nodes; i++) {
                char path[64];

                snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", hw->node_ids[i]);
                (void) read_cpuset(path, &hw->node_cpus[i]);
        }
}

static void hw_read_page_sizes(Hardware *hw) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/kernel/mm/hugepages");
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d)) && hw->n_page_sizes < ELEMENTSOF(hw->page_sizes_kb)) {
                char num[32];
                size_t len;

                if (strncmp(de->d_name, "hugepages-", 10) != 0)
                        continue;
                len = strlen(de->d_name + 10);
                if (len < 3 || len - 2 >= sizeof(num) || !streq(de->d_name + 10 + len - 2, "kB"))
                        continue;
                memcpy(num, de->d_name + 10, len - 2);
                num[len - 2] = 0;
                if (safe_atou64(num, &hw->page_sizes_kb[hw->n_page_sizes]) == 0)
                        hw->n_page_sizes++;
        }
}

static bool dir_has_entries(const char *path) {
        _cleanup_closedir_ DIR *d = root_opendir(path);
        struct dirent *de;

        if (!d)
                return false;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        return true;
        return false;
}

static unsigned read_hex(const char *dir, const char *attr) {
        _cleanup_free_ char *path = strjoin3(dir, "/", attr), *s = NULL;

        if (!path || root_read_line(path, &s) < 0)
                return 0;
        return (unsigned) strtoul(s, NULL, 16);
}

int hw_read_device(const char *address, HwDevice *ret) {
        _cleanup_free_ char *dir = strjoin3("/sys/bus/pci/devices/", address, NULL);
        _cleanup_free_ char *p = NULL, *group = NULL;
        HwDevice d = { .numa_node = -1, .iommu_group = -1 };
        int r;

        if (!dir)
                return -ENOMEM;
        memcpy(d.address, address, sizeof(d.address));
        r = root_exists(dir);
        if (r <= 0) {
                *ret = d;
                return r;
        }
        d.present = true;

        p = strjoin3(dir, "/driver", NULL);
        if (!p)
                return -ENOMEM;
        (void) root_readlink_basename(p, &d.driver);
        free(p);
        p = strjoin3(dir, "/driver_override", NULL);
        if (p && root_read_line(p, &d.driver_override) == 0 &&
            (isempty(d.driver_override) || streq(d.driver_override, "(null)"))) {
                free(d.driver_override);
                d.driver_override = NULL;
        }
        free(p);
        p = strjoin3(dir, "/numa_node", NULL);
        if (p)
                (void) root_read_int(p, &d.numa_node);
        free(p);
        p = strjoin3(dir, "/iommu_group", NULL);
        if (p && root_readlink_basename(p, &group) == 0)
                (void) safe_atoi(group, &d.iommu_group);

        d.vendor = read_hex(dir, "vendor");
        d.device = read_hex(dir, "device");
        d.class_code = read_hex(dir, "class");
        *ret = d;
        return 1;
}

int hw_read(Hardware *hw, const Config *config) {
        *hw = (Hardware) {};

        (void) read_cpuset("/sys/devices/system/cpu/online", &hw->online);
        (void) read_cpuset("/sys/devices/system/cpu/isolated", &hw->isolated);
        hw_read_nodes(hw);
        hw_read_page_sizes(hw);
        hw->iommu_present = dir_has_entries("/sys/class/iommu");

        if (config->n_devices == 0)
                return 0;
        hw->devices = calloc(config->n_devices, sizeof(HwDevice));
        if (!hw->devices)
                return -ENOMEM;
        for (size_t i = 0; i < config->n_devices; i++) {
                int r = hw_read_device(config->devices[i].address, &hw->devices[i]);

                if (r == -ENOMEM)
                        return r;
                hw->n_devices++;
        }
        return 0;
}

void hw_device_done(HwDevice *d) {
        free(d->driver);
        free(d->driver_override);
        d->driver = d->driver_override = NULL;
}

void hw_free(Hardware *hw) {
        for (size_t i = 0; i < hw->n_devices; i++)
                hw_device_done(&hw->devices[i]);
        free(hw->devices);
        *hw = (Hardware) {};
}

bool hw_has_page_size(const Hardware *hw, uint64_t kb) {
        for (unsigned i = 0; i < hw->n_page_sizes; i++)
                if (hw->page_sizes_kb[i] == kb)
                        return true;
        return false;
}

const HwDevice *hw_find_device(const Hardware *hw, const char *address) {
        for (size_t i = 0; i < hw->n_devices; i++)
                if (streq(hw->devices[i].address, address))
                        return &hw->devices[i];
        return NULL;
}
