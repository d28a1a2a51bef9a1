/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUSET_MAX 4096

typedef struct CpuSet {
        uint64_t bits[CPUSET_MAX / 64];
} CpuSet;

/* The kernel's cpulist syntax: "0-3,8,10-15", also "" (empty). */
int cpuset_parse(const char *s, CpuSet *ret);
/* Back to "0-3,8"; buf must hold size bytes; "" when empty; -ENOBUFS when it does not fit. */
int cpuset_format(const CpuSet *s, char *buf, size_t size);
/* The same in a new string, as long as the list is (every other CPU of CPUSET_MAX takes about
 * 10 kB); NULL when memory runs out. */
char *cpuset_to_string(const CpuSet *s);

static inline void cpuset_set(CpuSet *s, unsigned cpu) {
        if (cpu < CPUSET_MAX)
                s->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}
static inline bool cpuset_isset(const CpuSet *s, unsigned cpu) {
        return cpu < CPUSET_MAX && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}
unsigned cpuset_count(const CpuSet *s);
bool cpuset_is_empty(const CpuSet *s);
int cpuset_first(const CpuSet *s);   /* -1 when empty */
bool cpuset_intersects(const CpuSet *a, const CpuSet *b);
bool cpuset_is_subset(const CpuSet *sub, const CpuSet *of);
void cpuset_or(CpuSet *dst, const CpuSet *src);
void cpuset_andnot(CpuSet *dst, const CpuSet *src);
void cpuset_and(CpuSet *dst, const CpuSet *src);
int cpuset_last(const CpuSet *s);    /* -1 when empty */

/*
 * Hyperthread siblings: siblings[c] is the set of CPU c's threads (c included) for c < n. A CPU
 * at or beyond n, or with an empty set, is a core of its own. A core is known by its lowest
 * thread, and cores are ordered by it.
 */
typedef struct CpuTopology {
        const CpuSet *siblings;
        unsigned n;
} CpuTopology;

/* Adds up to n CPUs of pool to *ret, one per core: the lowest thread of pool in each core, core
 * by core (its siblings are not taken). Returns how many it added, or -ENOMEM. */
int cpuset_pick_cores(const CpuSet *pool, const CpuTopology *t, unsigned n, CpuSet *ret);
/* Adds cpus and all their thread siblings to *ret. */
void cpuset_add_siblings(const CpuSet *cpus, const CpuTopology *t, CpuSet *ret);
/* Adds the CPUs of cpus that belong to its first n_cores cores to *ret. Returns how many cores
 * that was (fewer when cpus has fewer), or -ENOMEM. */
int cpuset_first_cores(const CpuSet *cpus, const CpuTopology *t, unsigned n_cores, CpuSet *ret);
