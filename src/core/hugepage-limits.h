/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "util.h"

/*
 * What the hugepage configuration is held against before anything is proposed: the memory of
 * the host (or of the tree under the root prefix) and whether its CPU can map 1G pages.
 *
 * The pages of all sizes on a node must fit in that node's MemTotal less a reserve, and all of
 * them in /proc/meminfo's MemTotal less a reserve; the reserve is the larger of 1 GiB and 1/32 of
 * the MemTotal it is taken from (what the runtime reservation leaves too). 1G pages need the CPU
 * flag pdpe1gb. What is not known (no meminfo, no flags line: an image tree) is not held against.
 */

typedef struct HwMemory {
        uint64_t total_kb;                         /* /proc/meminfo MemTotal; 0: unknown */
        uint64_t node_kb[DPDK_BOOT_MAX_NODES];     /* Node N MemTotal; 0: unknown */
        int pdpe1gb;                               /* > 0 has it, < 0 lacks it, 0 unknown (no flags
                                                    * line in /proc/cpuinfo, or not read) */
} HwMemory;

/* Reads the above under the root prefix, for the nodes whose bit is set in nodes; /proc/cpuinfo
 * only when cpu_flags (its first flags line). */
int hw_read_memory(HwMemory *ret, uint64_t nodes, bool cpu_flags);
/* The reserve of a MemTotal, in kB. */
uint64_t hugepage_reserve_kb(uint64_t total_kb);
/*
 * One message per size that cannot be, "file:line: ...", into problems; refused[i] set for each
 * of the n entries of h that is part of one (refused may be NULL).
 */
int hugepage_limits_check(const HugepageConfig *h, size_t n, const HwMemory *mem, bool *refused, Strv *problems);
