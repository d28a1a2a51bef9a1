/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "helper.h"
#include "hugepages.h"
#include "log.h"
#include "plan.h"
#include "rootdir.h"

/*
 * reserve: set nr_hugepages of every planned size (and node) to exactly the configured count,
 * largest size first, then read it back. The kernel allocates what it can and reports success
 * either way, so the read-back is the only way to see that memory was too fragmented. The
 * hugepages unit runs it with --from-plan: the sizes, counts and nodes are the plan file's,
 * nothing is planned again.
 */

typedef struct Pool {
        uint64_t size_kb;
        int node;       /* -1: global */
        unsigned asked;
} Pool;

static bool compacted = false;

static const char *pool_name(const Pool *p, char *buf, size_t size) {
        char s[16];

        (void) format_page_size(p->size_kb, s);
        if (p->node >= 0)
                (void) snprintf(buf, size, "%s pages on node %i", s, p->node);
        else
                (void) snprintf(buf, size, "%s pages", s);
        return buf;
}

/* Writes the count and reads back what the kernel managed: *ret_got. */
static int pool_set(const Pool *p, unsigned *ret_got) {
        int r;

        r = hugepages_write(p->size_kb, p->node, p->asked);
        if (r < 0)
                return r;
        return hugepages_read(p->size_kb, p->node, "nr_hugepages", ret_got);
}

static int compact_memory(void) {
        compacted = true;
        return root_write_string("/proc/sys/vm/compact_memory", "1\n");
}

/*
 * Never starve the host: growing a pool may not take what the system needs to finish booting
 * (hugepages_headroom_kb()). A request beyond that is cut to what fits, and is an error.
 * Returns the count to ask for.
 */
static unsigned pool_cap(const Pool *p, const char *name) {
        uint64_t total, avail;
        unsigned cur = 0, cap;
        int r;

        (void) hugepages_read(p->size_kb, p->node, "nr_hugepages", &cur);
        if (p->asked <= cur)
                return p->asked;
        r = meminfo_read(p->node, &total, &avail);
        if (r < 0) {
                log_debug_errno(r, "%s: cannot read the memory of %s, not capping: %m", name,
                                p->node < 0 ? "the host" : "the node");
                return p->asked;
        }
        cap = hugepages_cap(p->size_kb, cur, total, avail);
        if (cap >= p->asked)
                return p->asked;
        log_error("%s: asked %u (%" PRIu64 " MiB), more than %s can give: %" PRIu64 " MiB available, of which "
                  "%" PRIu64 " MiB stay with the system. Reserving %u; lower Count= or add memory.",
                  name, p->asked, (uint64_t) p->asked * p->size_kb / 1024,
                  p->node < 0 ? "this host" : "this node", avail / 1024,
                  hugepages_headroom_kb(total) / 1024, cap);
        return cap;
}

static int reserve_pool(const Pool *asked) {
        char name[64];
        unsigned got;
        Pool capped = *asked, *p = &capped;
        int r;

        (void) pool_name(p, name, sizeof(name));
        p->asked = pool_cap(asked, name);
        r = pool_set(p, &got);
        if (r == -ENOENT && p->node >= 0)
                return log_error_errno(r, "%s: NUMA node %i does not exist, check the configuration.",
                                       name, p->node);
        if (r < 0)
                return log_error_errno(r, "%s: failed to set nr_hugepages to %u: %m", name, p->asked);

        /* A gigantic page needs a free, aligned 1G range: compact once, try once more. */
        if (got < p->asked && hugepages_gigantic(p->size_kb) && !compacted) {
                log_info("%s: got %u of %u, compacting memory and trying again.", name, got, p->asked);
                r = compact_memory();
                if (r < 0)
                        log_warning_errno(r, "Failed to write /proc/sys/vm/compact_memory, ignoring: %m");
                r = pool_set(p, &got);
                if (r < 0)
                        return log_error_errno(r, "%s: failed to set nr_hugepages to %u: %m", name, p->asked);
        }

        if (got < p->asked)
                return log_error_errno(ENOMEM, "%s: asked %u, got %u (memory fragmented or too small).",
                                       name, p->asked, got);
        if (p->asked < asked->asked)
                return -ENOMEM;   /* said by pool_cap() */
        if (p->asked > 0)
                log_info("%s: %u reserved.", name, got);
        else
                log_debug("%s: none, as configured.", name);
        return 0;
}

static int reserve_per_node(const PlanHugepages *h, uint64_t numa_nodes) {
        int ret = 0;

        /* A kernel without NUMA has no node directories: node 0 is the whole machine. */
        if (numa_nodes == 0)
                return reserve_pool(&(Pool) { h->size_kb, -1, plan_hugepages_total(h) });

        /* The configuration owns the counts: nodes it does not name get none of this size. */
        for (int node = 0; node < DPDK_BOOT_MAX_NODES; node++)
                if ((numa_nodes & (UINT64_C(1) << node)) && !plan_hugepages_has_node(h, node))
                        (void) RET_GATHER(ret, reserve_pool(&(Pool) { h->size_kb, node, 0 }));
        for (int node = 0; node < DPDK_BOOT_MAX_NODES; node++)
                if (plan_hugepages_has_node(h, node))
                        (void) RET_GATHER(ret, reserve_pool(&(Pool) { h->size_kb, node, h->node_count[node] }));
        return ret;
}

static int reserve_size(const PlanHugepages *h, uint64_t numa_nodes) {
        char s[16];
        int r;

        (void) format_page_size(h->size_kb, s);
        r = hugepages_supported(h->size_kb);
        if (r < 0)
                return log_error_errno(r, "%s pages: cannot look at the kernel's hugepage sizes: %m", s);
        if (r == 0)
                return log_error_errno(EOPNOTSUPP, "%s pages are not supported by this CPU/kernel%s.", s,
                                       h->size_kb == 1024 * 1024 ? " (no pdpe1gb?)" : "");

        if (h->per_node)
                return reserve_per_node(h, numa_nodes);
        return reserve_pool(&(Pool) { h->size_kb, -1, h->count });
}

static int cmp_size_desc(const void *a, const void *b) {
        const PlanHugepages *x = *(const PlanHugepages * const *) a, *y = *(const PlanHugepages * const *) b;

        return x->size_kb < y->size_kb ? 1 : x->size_kb > y->size_kb ? -1 : 0;
}

int verb_reserve(int argc, char **argv) {
        _cleanup_(helper_plan_done) HelperPlan hp = {};
        _cleanup_free_ const PlanHugepages **order = NULL;
        const Plan *p;
        char state[64];
        int ret = 0;

        if (helper_plan_load(&hp) < 0)
                return EXIT_FAILURE;
        p = hp.plan;
        if (p->state == PLAN_INVALID)
                return log_error_errno(EINVAL, "The configuration is invalid, not reserving hugepages; "
                                       "run 'dpdk-boot check'.");
        if (p->state != PLAN_ACTIVE || !p->do_hugepages) {
                log_info("Nothing to reserve (%s).", p->state == PLAN_ACTIVE ?
                         "no hugepages configured or switched off" :
                         plan_state_describe(p, state, sizeof(state)));
                return EXIT_SUCCESS;
        }

        /* 1G first: gigantic pages need contiguous memory that smaller pages would fragment. */
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): order is an array of pointers, by design */
        order = calloc(p->n_hugepages ?: 1, sizeof(*order));
        if (!order)
                return log_oom();
        for (size_t i = 0; i < p->n_hugepages; i++)
                order[i] = &p->hugepages[i];
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): sorts the pointers, as above */
        qsort_safe(order, p->n_hugepages, sizeof(*order), cmp_size_desc);

        for (size_t i = 0; i < p->n_hugepages; i++)
                (void) RET_GATHER(ret, reserve_size(order[i], p->numa_nodes));
        return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
