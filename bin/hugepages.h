/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/*
 * The hugepage pool attributes in sysfs, under the root prefix:
 *   global:   /sys/kernel/mm/hugepages/hugepages-<kb>kB/<attr>
 *   per node: /sys/devices/system/node/node<N>/hugepages/hugepages-<kb>kB/<attr>
 * node < 0 means the global pool.
 */

char *hugepages_path(uint64_t size_kb, int node, const char *attr);
/* 1 when the kernel offers the size (its global directory exists), 0 if not, or -errno. */
int hugepages_supported(uint64_t size_kb);
int hugepages_read(uint64_t size_kb, int node, const char *attr, unsigned *ret);
int hugepages_write(uint64_t size_kb, int node, unsigned count);
/* Sizes above the buddy allocator's largest block are allocated by contiguous range search. */
bool hugepages_gigantic(uint64_t size_kb);
/* Total pages the plan asks for this size, summed over nodes when per node. */
unsigned plan_hugepages_total(const PlanHugepages *h);
/* Whether the plan sets a count on this node (per node only). */
bool plan_hugepages_has_node(const PlanHugepages *h, int node);

/*
 * Whether a hugetlbfs of this size is mounted: an entry in <root>/proc/mounts with fstype
 * hugetlbfs whose pagesize= option matches, or, lacking the option, whose mount point is the
 * planned one. 1/0 or -errno.
 */
int hugetlbfs_mounted(uint64_t size_kb, const char *mount_point);
/* "1024M" or "2M" or "1G" (the kernel's pagesize= spelling) -> kB. */
int parse_mount_pagesize(const char *s, uint64_t *ret_kb);
