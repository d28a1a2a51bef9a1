/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "plan-internal.h"

/*
 * CPUs and hugepages: the isolation the kernel command line gets (configured, or derived per
 * node), the hugepage sizes and counts, and where Placement=devices puts them; the warnings of
 * a NIC on a node without isolated CPUs or pages.
 */

static bool node_exists(const Hardware *hw, unsigned node) {
        if (hw->n_nodes == 0)
                return node == 0;
        return hw_find_node(hw, (int) node) != NULL;
}

int plan_hugepages(Plan *p, const Config *c, const Hardware *hw) {
        _cleanup_free_ bool *refused = calloc(c->n_hugepages ?: 1, sizeof(bool));
        char sz[16];
        int r;

        p->hugepages = calloc(c->n_hugepages ?: 1, sizeof(PlanHugepages));
        if (!p->hugepages || !refused)
                return -ENOMEM;
        r = hugepage_limits_check(c->hugepages, c->n_hugepages, &hw->mem, refused, &p->problems);
        if (r < 0)
                return r;
        /* Gigantic pages first: they need contiguous memory, which only gets rarer. */
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < c->n_hugepages; i++) {
                        const HugepageConfig *h = &c->hugepages[i];
                        PlanHugepages *ph;

                        if ((h->size_kb >= 1048576) != (pass == 0))
                                continue;
                        ph = &p->hugepages[p->n_hugepages++];
                        *ph = (PlanHugepages) {
                                .size_kb = h->size_kb,
                                .per_node = h->per_node,
                                .count = h->count,
                                .placement = h->placement,
                                .supported = hw_has_page_size(hw, h->size_kb),
                                .refused = refused[i],
                                .loc = h->loc,
                        };
                        memcpy(ph->node_count, h->node_count, sizeof(ph->node_count));
                        (void) snprintf(ph->mount_point, sizeof(ph->mount_point), "/dev/hugepages%s",
                                 format_page_size(h->size_kb, sz));
                        if (!ph->supported)
                                (void) strv_pushf(&p->problems,
                                                  "%s:%u: %s pages are not offered by this kernel/CPU "
                                                  "(no /sys/kernel/mm/hugepages/hugepages-%llukB)%s.",
                                                  plan_loc_file(&h->loc), h->loc.line, sz,
                                                  (unsigned long long) h->size_kb,
                                                  h->size_kb >= 1048576 ? "; 1G pages need a CPU with pdpe1gb" : "");
                        for (unsigned n = 0; h->per_node && n < DPDK_BOOT_MAX_NODES; n++)
                                if (h->node_set[n] && !node_exists(hw, n))
                                        (void) strv_pushf(&p->problems,
                                                          "%s:%u: PerNode= names NUMA node %u, which this "
                                                          "host does not have.",
                                                          plan_loc_file(&h->loc), h->loc.line, n);
                }
        return 0;
}

/* "4 on node 0, 0 on node 1" for a per-node plan, into buf. */
static void format_node_counts(const PlanHugepages *hp, const Hardware *hw, char *buf, size_t size) {
        size_t len = 0;

        buf[0] = 0;
        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES && len < size; n++)
                if (hp->node_count[n] > 0 || hw_find_node(hw, (int) n))
                        len += (size_t) snprintf(buf + len, size - len, "%s%u on node %u", len ? ", " : "",
                                                 hp->node_count[n], n);
}

/* A NIC on a node without isolated CPUs or hugepages works, slowly: every packet crosses the
 * interconnect. Said once per node, with the numbers. */
void plan_numa_warnings(Plan *p, const Hardware *hw) {
        uint64_t warned = 0;
        char counts[256];

        for (size_t i = 0; i < p->n_devices && hw->n_nodes >= 2; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwNode *node;
                int n = d->numa_node;

                if (!plan_device_is_port(d) || !plan_node_known(n) || (warned >> n & 1))
                        continue;
                warned |= UINT64_C(1) << n;
                node = hw_find_node(hw, n);
                if (p->cpu.set && node && !cpuset_intersects(&node->cpus, &p->cpu.isolated)) {
                        _cleanup_free_ char *list = cpuset_to_string(&node->cpus),
                                            *iso = cpuset_to_string(&p->cpu.isolated);

                        (void) strv_pushf(&p->warnings,
                                          "%s is on NUMA node %d, which has no isolated CPU (node %d: %u CPUs, %s, "
                                          "0 of them isolated; isolated: %u CPUs, %s): its datapath cores will be "
                                          "remote.", d->address, n, n, cpuset_count(&node->cpus), str_or_null(list),
                                          cpuset_count(&p->cpu.isolated), isempty(iso) ? "none" : iso);
                }
                for (size_t k = 0; k < p->n_hugepages; k++) {
                        const PlanHugepages *hp = &p->hugepages[k];
                        char sz[16];

                        if (!hp->per_node || hp->node_count[n] > 0)
                                continue;
                        format_node_counts(hp, hw, counts, sizeof(counts));
                        (void) strv_pushf(&p->warnings,
                                          "%s is on NUMA node %d, but %s:%u reserves no %s pages there (0 of the %u "
                                          "pages: %s): its packet buffers will be remote.",
                                          d->address, n, plan_loc_file(&hp->loc), hp->loc.line,
                                          format_page_size(hp->size_kb, sz), plan_hugepages_total(hp), counts);
                }
        }
}

/* Placement=devices: a Count= total spread evenly over the NUMA nodes of the ports, the
 * remainder on the lowest of them. Without a known node the kernel spreads it, as before. */
void plan_place_hugepages(Plan *p, const Hardware *hw) {
        uint64_t nodes = 0;
        unsigned k, lowest;

        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]) && plan_node_known(p->devices[i].numa_node))
                        nodes |= UINT64_C(1) << p->devices[i].numa_node;
        nodes |= p->initrd_pattern_nodes;
        k = (unsigned) __builtin_popcountll(nodes);
        lowest = nodes ? (unsigned) __builtin_ctzll(nodes) : 0;
        for (size_t i = 0; i < p->n_hugepages; i++) {
                PlanHugepages *hp = &p->hugepages[i];
                char sz[16];

                if (hp->per_node || hp->placement != PLACEMENT_DEVICES)
                        continue;
                if (k == 0) {
                        if (hw->n_nodes >= 2)
                                (void) strv_pushf(&p->warnings,
                                                  "%s:%u: Placement=devices, but no selected device has a known "
                                                  "NUMA node: the kernel spreads the %u %s pages.",
                                                  plan_loc_file(&hp->loc), hp->loc.line, hp->count,
                                                  format_page_size(hp->size_kb, sz));
                        continue;
                }
                for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                        if (nodes >> n & 1)
                                hp->node_count[n] = hp->count / k + (n == lowest ? hp->count % k : 0);
                hp->per_node = true;
                hp->placed = true;
        }
}

/* HousekeepingPerNode=N: the first N cores of every node, with their siblings, stay with the
 * system; every other online CPU is isolated. */
static int plan_cpu_derived(Plan *p, const Config *c, const Hardware *hw) {
        CpuTopology t = hw_topology(hw);
        PlanCpu *pc = &p->cpu;
        unsigned n = c->housekeeping_per_node;
        int r = 0;

        pc->derived = true;
        pc->loc = c->housekeeping_per_node_loc;
        if (cpuset_is_empty(&hw->online))
                return strv_pushf(&p->problems, "%s:%u: HousekeepingPerNode= needs the host's CPUs, but "
                                  "/sys/devices/system/cpu/online could not be read.",
                                  plan_loc_file(&pc->loc), pc->loc.line);
        /* a kernel without NUMA: the whole machine is one node */
        if (hw->n_nodes == 0)
                r = cpuset_first_cores(&hw->online, &t, n, &pc->housekeeping);
        for (size_t i = 0; i < hw->n_nodes && r >= 0; i++) {
                CpuSet cpus = hw->nodes[i].cpus, kept = {};

                cpuset_and(&cpus, &hw->online);
                r = cpuset_first_cores(&cpus, &t, n, &kept);
                if (r >= 0 && !cpuset_is_empty(&cpus) && cpuset_is_subset(&cpus, &kept)) {
                        _cleanup_free_ char *list = cpuset_to_string(&cpus);

                        (void) strv_pushf(&p->warnings, "%s:%u: NUMA node %d has %d core%s, no more than "
                                          "HousekeepingPerNode=%u: all of its CPUs (%s) stay housekeeping.",
                                          plan_loc_file(&pc->loc), pc->loc.line, hw->nodes[i].id, r,
                                          r == 1 ? "" : "s", n, str_or_null(list));
                }
                cpuset_or(&pc->housekeeping, &kept);
        }
        if (r < 0)
                return r;
        pc->isolated = hw->online;
        cpuset_andnot(&pc->isolated, &pc->housekeeping);
        if (hw->n_siblings_missing > 0)
                (void) strv_pushf(&p->warnings, "%u of the %u online CPUs have no topology/thread_siblings_list: "
                                  "each of them counts as a core of its own.", hw->n_siblings_missing,
                                  cpuset_count(&hw->online));
        return 0;
}

int plan_cpu(Plan *p, const Config *c, const Hardware *hw) {
        PlanCpu *pc = &p->cpu;

        if (!c->isolate_set && !c->housekeeping_set && c->housekeeping_per_node == 0)
                return 0;
        pc->set = true;
        if (c->housekeeping_per_node > 0)
                return plan_cpu_derived(p, c, hw);
        pc->loc = c->cpu_loc;
        if (c->isolate_set)
                pc->isolated = c->isolate;
        else {
                pc->isolated = hw->online;
                cpuset_andnot(&pc->isolated, &c->housekeeping);
        }
        if (c->housekeeping_set)
                pc->housekeeping = c->housekeeping;
        else {
                pc->housekeeping = hw->online;
                cpuset_andnot(&pc->housekeeping, &pc->isolated);
        }
        return 0;
}

