/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "hugepage-limits.h"
#include "rootdir.h"

#define GIB_KB (UINT64_C(1024) * 1024)

/* "MemTotal:" or "Node N MemTotal:" of a meminfo file, in kB; 0 when it is not there. */
static uint64_t read_mem_total(const char *path) {
        char buf[4096], *k, *end;
        unsigned long long v;

        if (root_read_buf(path, buf, sizeof(buf)) < 0)
                return 0;
        k = strstr(buf, "MemTotal:");
        if (!k)
                return 0;
        errno = 0;
        v = strtoull(k + strlen("MemTotal:"), &end, 10);
        return errno == 0 && end != k + strlen("MemTotal:") ? (uint64_t) v : 0;
}

/* Whether the first "flags" line of /proc/cpuinfo has pdpe1gb: 1, -1, or 0 without one. */
static int read_pdpe1gb(void) {
        _cleanup_fclose_ FILE *f = root_fopen("/proc/cpuinfo");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;

        while (f && getline(&line, &size, f) > 0) {
                char *save = NULL;

                if (!startswith(line, "flags"))
                        continue;
                for (char *t = strtok_r(strchr(line, ':') ?: line, " \t\n:", &save); t;
                     t = strtok_r(NULL, " \t\n", &save))
                        if (streq(t, "pdpe1gb"))
                                return 1;
                return -1;
        }
        return 0;
}

int hw_read_memory(HwMemory *ret, uint64_t nodes, bool cpu_flags) {
        HwMemory m = {};

        m.total_kb = read_mem_total("/proc/meminfo");
        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++) {
                char path[64];

                if (!(nodes >> n & 1))
                        continue;
                (void) snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
                m.node_kb[n] = read_mem_total(path);
        }
        if (cpu_flags)
                m.pdpe1gb = read_pdpe1gb();
        *ret = m;
        return 0;
}

uint64_t hugepage_reserve_kb(uint64_t total_kb) {
        return total_kb / 32 > GIB_KB ? total_kb / 32 : GIB_KB;
}

static uint64_t entry_node_kb(const HugepageConfig *h, unsigned node) {
        return h->per_node ? (uint64_t) h->node_count[node] * h->size_kb : 0;
}

static uint64_t entry_total_kb(const HugepageConfig *h) {
        uint64_t pages = h->count;

        if (h->per_node) {
                pages = 0;
                for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                        pages += h->node_count[n];
        }
        /* at most 2^32 pages of at most 2^24 kB: no overflow */
        return pages * h->size_kb;
}

/* "4096 MiB" */
static const char *mib(uint64_t kb, char buf[static 24]) {
        (void) snprintf(buf, 24, "%" PRIu64 " MiB", kb / 1024);
        return buf;
}

/* Whether what is asked of one MemTotal fits; a message for each entry asking it when not. */
static int check_fit(const HugepageConfig *h, size_t n, int node, uint64_t asked, uint64_t total, bool *refused,
                     Strv *problems) {
        uint64_t reserve = hugepage_reserve_kb(total);
        char a[24], t[24], r[24];
        int ret = 0;

        if (total == 0 || asked + reserve <= total)
                return 0;
        for (size_t i = 0; i < n && ret >= 0; i++) {
                char where[32] = "this host";

                if ((node < 0 ? entry_total_kb(&h[i]) : entry_node_kb(&h[i], (unsigned) node)) == 0)
                        continue;
                if (refused)
                        refused[i] = true;
                if (node >= 0)
                        (void) snprintf(where, sizeof(where), "NUMA node %d", node);
                ret = strv_pushf(problems,
                                 "%s:%u: the hugepages asked of %s (%s in all sizes) do not fit its memory: "
                                 "MemTotal %s, of which %s (the larger of 1 GiB and 1/32) stay with the system. "
                                 "Not proposing these pages.", h[i].loc.file ?: "?", h[i].loc.line, where,
                                 mib(asked, a), mib(total, t), mib(reserve, r));
        }
        return ret;
}

int hugepage_limits_check(const HugepageConfig *h, size_t n, const HwMemory *mem, bool *refused, Strv *problems) {
        uint64_t total = 0;
        int r = 0;

        for (size_t i = 0; i < n && r >= 0; i++) {
                total += entry_total_kb(&h[i]);
                if (h[i].size_kb == GIB_KB && mem->pdpe1gb < 0) {
                        if (refused)
                                refused[i] = true;
                        r = strv_pushf(problems, "%s:%u: 1G pages need a CPU with the pdpe1gb flag, and the "
                                       "flags of this one (/proc/cpuinfo) lack it. Not proposing them.",
                                       h[i].loc.file ?: "?", h[i].loc.line);
                }
        }
        for (unsigned node = 0; node < DPDK_BOOT_MAX_NODES && r >= 0; node++) {
                uint64_t asked = 0;

                for (size_t i = 0; i < n; i++)
                        asked += entry_node_kb(&h[i], node);
                if (asked > 0)
                        r = check_fit(h, n, (int) node, asked, mem->node_kb[node], refused, problems);
        }
        if (r >= 0)
                r = check_fit(h, n, -1, total, mem->total_kb, refused, problems);
        return r;
}
