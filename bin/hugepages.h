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

/*
 * Memory, in kB: node < 0 reads MemTotal and MemAvailable from /proc/meminfo; node N reads
 * "Node N MemTotal" and "Node N MemFree" from /sys/devices/system/node/nodeN/meminfo (a node has
 * no MemAvailable). -ENOENT without the file, -EBADMSG when a field is missing.
 */
int meminfo_read(int node, uint64_t *ret_total_kb, uint64_t *ret_avail_kb);
/* What a reservation always leaves to the system: the larger of 1 GiB and 1/32 of MemTotal. */
uint64_t hugepages_headroom_kb(uint64_t total_kb);
/*
 * The most pages of size_kb a pool may hold, so that after growing it from `current` pages at
 * least the headroom stays available; never below `current` (a pool is never shrunk for this).
 */
unsigned hugepages_cap(uint64_t size_kb, unsigned current, uint64_t total_kb, uint64_t avail_kb);

/*
 * Whether a hugetlbfs of this size is mounted: an entry in <root>/proc/mounts with fstype
 * hugetlbfs whose pagesize= option matches, or, lacking the option, whose mount point is the
 * planned one. 1/0 or -errno.
 */
int hugetlbfs_mounted(uint64_t size_kb, const char *mount_point);
/* "1024M" or "2M" or "1G" (the kernel's pagesize= spelling) -> kB. */
int parse_mount_pagesize(const char *s, uint64_t *ret_kb);
