/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "config-build.h"
#include "cleanup.h"
#include "plan-internal.h"
#include "units.h"

/*
 * The datapath: its main and worker lcores (configured, or CoresPerPort= per port on the port's
 * node), its socket memory per node, the EAL arguments (one -a per port that passed the gates)
 * and the command line of each preset.
 */

/* The node the datapath's main lcore belongs on: that of the ports when they all share one,
 * else the first node with ports; -1 when no port has a known node. */
static int ports_node(const Plan *p) {
        uint64_t nodes = 0;

        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]) && plan_node_known(p->devices[i].numa_node))
                        nodes |= UINT64_C(1) << p->devices[i].numa_node;
        return nodes ? __builtin_ctzll(nodes) : -1;
}

/* The first housekeeping CPU: configured or derived, else online and neither isolated nor a
 * worker; on a host with several nodes, one of the ports' node (see ports_node()). */
static int pick_main_core(Plan *p, const Config *c, const Hardware *hw) {
        const HwNode *node = hw->n_nodes >= 2 ? hw_find_node(hw, ports_node(p)) : NULL;
        CpuSet candidates, there;

        if (c->datapath.main_core >= 0)
                return c->datapath.main_core;
        if (p->cpu.derived)
                candidates = p->cpu.housekeeping;
        else if (c->housekeeping_set)
                candidates = c->housekeeping;
        else {
                candidates = hw->online;
                cpuset_andnot(&candidates, &hw->isolated);
                if (c->isolate_set)
                        cpuset_andnot(&candidates, &c->isolate);
        }
        cpuset_andnot(&candidates, &c->datapath.cores);
        if (!node)
                return cpuset_first(&candidates);
        there = candidates;
        cpuset_and(&there, &node->cpus);
        if (cpuset_is_empty(&there) && !cpuset_is_empty(&candidates)) {
                _cleanup_free_ char *cpus = cpuset_to_string(&node->cpus), *hk = cpuset_to_string(&candidates);

                (void) strv_pushf(&p->warnings, "%s:%u: the ports are on NUMA node %d, but none of its CPUs (%s) "
                                  "is left for the main lcore (housekeeping: %s): it runs on CPU %d, remote; "
                                  "set MainCore=, or keep a CPU of node %d for the system.",
                                  plan_loc_file(&c->datapath.loc), c->datapath.loc.line, node->id,
                                  str_or_null(cpus), str_or_null(hk), cpuset_first(&candidates), node->id);
                return cpuset_first(&candidates);
        }
        return cpuset_first(&there);
}

/* CoresPerPort=: per port, in address order, among the isolated CPUs of its node (the plan's,
 * else those of this boot), one thread of a physical core each: no two lcores share a core,
 * nor does a worker share the main lcore's. A shortfall is
 * counted per node (index DPDK_BOOT_MAX_NODES: ports of an unknown node). */
typedef struct NodeWant {
        unsigned ports, wanted, got;
} NodeWant;

static int pick_workers(Plan *p, const Config *c, const Hardware *hw, NodeWant want[static DPDK_BOOT_MAX_NODES + 1]) {
        CpuTopology t = hw_topology(hw);
        PlanDatapath *pd = &p->datapath;
        CpuSet free = p->cpu.set ? p->cpu.isolated : hw->isolated, main = {}, taken = {};

        cpuset_set(&main, (unsigned) pd->main_core);
        cpuset_add_siblings(&main, &t, &taken);
        cpuset_andnot(&free, &taken);
        for (size_t i = 0; i < p->n_devices; i++) {
                PlanDevice *d = &p->devices[i];
                const HwNode *node = plan_node_known(d->numa_node) ? hw_find_node(hw, d->numa_node) : NULL;
                NodeWant *w = &want[node ? d->numa_node : DPDK_BOOT_MAX_NODES];
                CpuSet pool = free;
                int r;

                if (!plan_device_is_port(d))
                        continue;
                if (node)
                        cpuset_and(&pool, &node->cpus);
                if (!d->pmd_cores) {
                        d->pmd_cores = calloc(1, sizeof(CpuSet));
                        if (!d->pmd_cores)
                                return -ENOMEM;
                }
                r = cpuset_pick_cores(&pool, &t, c->datapath.cores_per_port, d->pmd_cores);
                if (r < 0)
                        return r;
                w->ports++;
                w->wanted += c->datapath.cores_per_port;
                w->got += (unsigned) r;
                cpuset_add_siblings(d->pmd_cores, &t, &taken);
                cpuset_andnot(&free, &taken);
                cpuset_or(&pd->workers, d->pmd_cores);
        }
        return 0;
}

static int plan_workers(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        NodeWant want[DPDK_BOOT_MAX_NODES + 1] = {};
        unsigned ports = 0;
        char where[32];
        int r;

        p->datapath.workers_derived = true;
        r = pick_workers(p, c, hw, want);
        if (r < 0)
                return r;
        for (unsigned n = 0; n <= DPDK_BOOT_MAX_NODES; n++) {
                const HwNode *node = n < DPDK_BOOT_MAX_NODES ? hw_find_node(hw, (int) n) : NULL;
                CpuSet iso = p->cpu.set ? p->cpu.isolated : hw->isolated;
                _cleanup_free_ char *list = NULL;

                ports += want[n].ports;
                if (want[n].got >= want[n].wanted)
                        continue;
                if (node)
                        cpuset_and(&iso, &node->cpus);
                list = cpuset_to_string(&iso);
                if (n < DPDK_BOOT_MAX_NODES)
                        (void) snprintf(where, sizeof(where), "NUMA node %u", n);
                else
                        (void) snprintf(where, sizeof(where), "an unknown NUMA node");
                (void) strv_pushf(&p->warnings, "%s:%u: CoresPerPort=%u for %u port%s on %s wants %u isolated "
                                  "physical cores (one lcore each), %u %s available (isolated there: %s; the "
                                  "main lcore's core is not one of them): the datapath runs on %s.",
                                  plan_loc_file(&d->loc), d->loc.line, d->cores_per_port, want[n].ports,
                                  want[n].ports == 1 ? "" : "s", where, want[n].wanted, want[n].got,
                                  want[n].got == 1 ? "is" : "are", isempty(list) ? "none" : list,
                                  want[n].got ? "those" : "none of them");
        }
        if (!cpuset_is_empty(&p->datapath.workers))
                return 0;
        return strv_pushf(&p->problems, "%s:%u: CoresPerPort=%u found no worker lcore: %s; set Cores=, or isolate "
                          "CPUs on the ports' NUMA nodes ([CPU] Isolate= or HousekeepingPerNode=).",
                          plan_loc_file(&d->loc), d->loc.line, d->cores_per_port,
                          ports == 0 ? "the datapath has no port (no device goes to a DPDK driver)"
                                     : "no isolated CPU is left on the NUMA nodes of its ports");
}

static unsigned round_up_to_page(unsigned mb, uint64_t page_size_kb) {
        uint64_t page_mb = page_size_kb / 1024;

        return page_mb > 1 ? (unsigned) ((mb + page_mb - 1) / page_mb * page_mb) : mb;
}

static unsigned plan_socket_mem_total(const PlanDatapath *pd) {
        unsigned total = 0;

        for (unsigned n = 0; n < pd->n_socket_mem; n++)
                total += pd->socket_mem_mb[n];
        return total;
}

unsigned plan_socket_mem_mb(unsigned mtu, unsigned ports, uint64_t page_size_kb) {
        uint64_t mb, page_mb = page_size_kb / 1024;

        if (ports == 0)
                return 0;
        /* bytes: (MTU rounded up to 1 KiB + 800 of overhead) x 4096 x 64 packet buffers */
        mb = ((uint64_t) (mtu + 1023) / 1024 * 1024 + 800) * 4096 * 64;
        mb = (mb + 1024 * 1024 - 1) / (1024 * 1024) + 512;
        mb = (mb + 1023) / 1024 * 1024;
        if (page_mb > 1)
                mb = (mb + page_mb - 1) / page_mb * page_mb;
        return (unsigned) mb;
}

/* Bits of the nodes that hold an lcore of the datapath. */
static uint64_t lcore_nodes(const Plan *p, const Hardware *hw) {
        uint64_t nodes = 0;

        for (size_t i = 0; i < hw->n_nodes; i++)
                if (plan_node_known(hw->nodes[i].id) && cpuset_intersects(&hw->nodes[i].cpus, &p->datapath.lcores))
                        nodes |= UINT64_C(1) << hw->nodes[i].id;
        return nodes;
}

/* SocketMemory=, else on a host with several nodes TripleO's formula for every node with
 * ports, and its 1 GB for a node with lcores but no port (the main lcore's memory pools). On
 * one node there is nothing to place: DPDK takes memory as it needs it. */
static void plan_socket_mem(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        PlanDatapath *pd = &p->datapath;
        unsigned ports[DPDK_BOOT_MAX_NODES] = {};
        bool any = false;

        pd->mtu = d->mtu ?: 1500;
        if (d->n_socket_mem > 0) {
                memcpy(pd->socket_mem_mb, d->socket_mem_mb, sizeof(pd->socket_mem_mb));
                pd->n_socket_mem = d->n_socket_mem;
                return;
        }
        if (hw->n_nodes < 2)
                return;
        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]) && plan_node_known(p->devices[i].numa_node)) {
                        ports[p->devices[i].numa_node]++;
                        any = true;
                }
        if (!any)
                return;
        pd->socket_mem_derived = true;
        pd->n_socket_mem = (unsigned) hw->nodes[hw->n_nodes - 1].id + 1;
        for (unsigned n = 0; n < pd->n_socket_mem; n++) {
                pd->socket_mem_mb[n] = plan_socket_mem_mb(pd->mtu, ports[n], pd->hugepage_size_kb);
                if (ports[n] == 0 && (lcore_nodes(p, hw) >> n & 1))
                        pd->socket_mem_mb[n] = round_up_to_page(1024, pd->hugepage_size_kb);
        }
}

/* Every node with an lcore needs socket memory there: an lcore allocates from its own node. */
static void plan_lcore_memory_warnings(Plan *p, const Hardware *hw) {
        const PlanDatapath *pd = &p->datapath;
        uint64_t nodes = lcore_nodes(p, hw);

        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES && pd->n_socket_mem > 0; n++) {
                CpuSet there = pd->lcores;
                _cleanup_free_ char *list = NULL;

                if (!(nodes >> n & 1) || (n < pd->n_socket_mem && pd->socket_mem_mb[n] > 0))
                        continue;
                cpuset_and(&there, &hw_find_node(hw, (int) n)->cpus);
                list = cpuset_to_string(&there);
                (void) strv_pushf(&p->warnings, "NUMA node %u has the datapath's lcores %s, but its socket memory "
                                  "there (SocketMemory=) is 0 MB of %u MB: those lcores have no local memory.",
                                  n, str_or_null(list), plan_socket_mem_total(pd));
        }
}

/* The socket memory of a node comes from the datapath's page size on that node. */
static void plan_socket_mem_warnings(Plan *p) {
        const PlanDatapath *pd = &p->datapath;
        const PlanHugepages *hp = plan_find_hugepages(p, pd->hugepage_size_kb);
        char sz[16];

        if (!hp || !hp->per_node)
                return;
        (void) format_page_size(hp->size_kb, sz);
        for (unsigned n = 0; n < pd->n_socket_mem; n++) {
                uint64_t have = (uint64_t) hp->node_count[n] * (hp->size_kb / 1024);

                if (pd->socket_mem_mb[n] > have)
                        (void) strv_pushf(&p->warnings,
                                          "NUMA node %u: the datapath's socket memory (%s) is %u MB, but %s:%u plans "
                                          "%u %s page%s there (%llu MB): the datapath will not start with less.",
                                          n, pd->socket_mem_derived ? "derived" : "SocketMemory=", pd->socket_mem_mb[n],
                                          plan_loc_file(&hp->loc), hp->loc.line, hp->node_count[n], sz,
                                          hp->node_count[n] == 1 ? "" : "s", (unsigned long long) have);
        }
}

static const char *hugepage_dir(const Plan *p, uint64_t want_kb, uint64_t *ret_kb) {
        const PlanHugepages *best = NULL;

        for (size_t i = 0; i < p->n_hugepages; i++) {
                const PlanHugepages *h = &p->hugepages[i];

                if (want_kb ? h->size_kb == want_kb : (!best || h->size_kb > best->size_kb))
                        best = h;
        }
        *ret_kb = best ? best->size_kb : 0;
        return best ? best->mount_point : NULL;
}

static bool plan_has_port(const Plan *p) {
        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]))
                        return true;
        return false;
}

/* "-a ADDR -a ADDR ...", one per port: a generator may list hundreds, so they are put together
 * in a block and appended a block at a time, without the first block's leading space. */
static void put_allow(Buf *b, const Plan *p) {
        char block[1024];
        size_t len = 0, skip = 1;

        for (size_t i = 0; i < p->n_devices; i++) {
                const char *a = p->devices[i].address;
                size_t n = strnlen(a, 12);      /* normalised: 12, copied as a fixed 12 bytes */

                if (!plan_device_is_port(&p->devices[i]))
                        continue;
                if (len + 4 + 12 > sizeof(block)) {
                        buf_putn(b, block + skip, len - skip);
                        len = skip = 0;
                }
                memcpy(block + len, " -a ", 4);
                memcpy(block + len + 4, a, 12);
                len += 4 + n;
        }
        if (len > skip)
                buf_putn(b, block + skip, len - skip);
}

/* v in decimal, as "%d" writes it; returns buf. The datapath's command line is made without
 * printf() (a call costs a thousand instructions or two), at every boot. */
static char *format_int(int v, char buf[static 22]) {
        if (v >= 0)
                return format_uint64((uint64_t) v, buf);
        buf[0] = '-';
        (void) format_uint64((uint64_t) -(int64_t) v, buf + 1);
        return buf;
}

/* One substitution of a custom ExecStart=, or the EAL part of testpmd's; false: unknown. */
static bool put_substitution(Buf *b, const Plan *p, const char *name, size_t n) {
        const PlanDatapath *pd = &p->datapath;
        char num[22];

#define IS(s) (n == sizeof(s) - 1 && strneq(name, s, n))
        if (IS("eal"))
                buf_put(b, pd->eal);
        else if (IS("lcores")) {
                _cleanup_free_ char *list = cpuset_to_string(&pd->lcores);

                buf_put(b, list ?: "");
        }
        else if (IS("main_lcore"))
                buf_put(b, format_int(pd->main_core, num));
        else if (IS("nb_cores"))
                buf_put(b, format_uint64(cpuset_count(&pd->workers), num));
        else if (IS("file_prefix"))
                buf_put(b, pd->file_prefix);
        else if (IS("huge_dir"))
                buf_put(b, pd->hugepage_dir ?: "/dev/hugepages");
        else if (IS("socket_mem"))
                for (unsigned i = 0; i < pd->n_socket_mem; i++)
                        buf_extend(b, i ? "," : "", format_uint64(pd->socket_mem_mb[i], num));
        else if (IS("allow"))
                put_allow(b, p);
        else
                return false;
#undef IS
        return true;
}

/* The EAL arguments every preset that runs DPDK itself gets: testpmd, and {eal} of custom. */
static int plan_eal(Plan *p) {
        PlanDatapath *pd = &p->datapath;
        _cleanup_(buf_free) Buf b = {};
        char num[22];

        /* room for the options and an "-a 0000:3b:00.0" per device, made once */
        (void) buf_reserve(&b, 256 + p->n_devices * 16);
        buf_put(&b, "-l ");
        put_substitution(&b, p, "lcores", 6);
        buf_extend(&b, " --main-lcore ", format_int(pd->main_core, num), " --file-prefix ",
                   str_or_null(pd->file_prefix));
        if (pd->hugepage_dir)
                buf_extend(&b, " --huge-dir ", pd->hugepage_dir);
        if (pd->n_socket_mem > 0) {
                buf_put(&b, " --socket-mem ");
                put_substitution(&b, p, "socket_mem", 10);
        }
        if (plan_has_port(p)) {
                buf_put(&b, " ");
                put_substitution(&b, p, "allow", 5);
        }
        if (!b.data)
                return -ENOMEM;
        pd->eal = TAKE_PTR(b.data);
        return 0;
}

/* Preset=custom: "{name}" becomes the plan's value, "{{" a "{"; the config checked the names. */
static int render_custom(Plan *p, const Config *c) {
        const char *s = c->datapath.exec_start;
        _cleanup_(buf_free) Buf b = {};

        for (const char *q; (q = strchr(s, '{')); ) {
                size_t n = strspn(q + 1, "abcdefghijklmnopqrstuvwxyz_");

                buf_putn(&b, s, (size_t) (q - s));
                if (q[1] == '{') {
                        buf_put(&b, "{");
                        s = q + 2;
                        /* "{{x}}" is a literal "{x}": its "}}" closes the escape */
                        n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
                        if (strneq(s + n, "}}", 2)) {
                                buf_putn(&b, s, n);
                                buf_put(&b, "}");
                                s += n + 2;
                        }
                } else if (n > 0 && q[1 + n] == '}' && put_substitution(&b, p, q + 1, n))
                        s = q + n + 2;
                else {
                        buf_put(&b, "{");
                        s = q + 1;
                }
        }
        buf_put(&b, s);
        if (!b.data)
                return -ENOMEM;
        if (strstr(c->datapath.exec_start, "{socket_mem}") && p->datapath.n_socket_mem == 0)
                (void) strv_pushf(&p->warnings, "%s:%u: ExecStart= uses {socket_mem}, but no socket memory "
                                  "is planned (one NUMA node and no SocketMemory=): it becomes empty.",
                                  plan_loc_file(&c->datapath.exec_start_loc), c->datapath.exec_start_loc.line);
        p->datapath.exec_start = TAKE_PTR(b.data);
        return 0;
}

static int render_testpmd(Plan *p, const Config *c) {
        const DatapathConfig *d = &c->datapath;
        const PlanDatapath *pd = &p->datapath;
        _cleanup_(buf_free) Buf b = {};
        char period[21], cores[21];

        (void) buf_reserve(&b, sizeof(TESTPMD_PATH) + strlen(str_or_null(pd->eal)) + 256);
        buf_put(&b, TESTPMD_PATH " ");
        buf_put(&b, pd->eal);
        buf_extend(&b, " -- --auto-start --forward-mode=", d->forward_mode ?: "io",
                   " --stats-period ", format_uint64(d->stats_period ?: 60, period),
                   " --nb-cores=", format_uint64(cpuset_count(&pd->workers), cores));
        /* io/mac forwarding needs a first burst to get going between two looped ports. */
        if (!d->forward_mode || streq(d->forward_mode, "io") || streq(d->forward_mode, "mac"))
                buf_put(&b, " --tx-first");
        if (!isempty(d->extra_args))
                buf_extend(&b, " ", d->extra_args);
        if (!b.data)
                return -ENOMEM;
        p->datapath.exec_start = TAKE_PTR(b.data);
        return 0;
}

int plan_datapath(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        PlanDatapath *pd = &p->datapath;
        int r;

        pd->preset = d->preset;
        pd->main_core = pick_main_core(p, c, hw);
        if (pd->main_core < 0) {
                (void) strv_pushf(&p->problems, "%s:%u: no CPU is left for the datapath's main lcore; "
                                  "set MainCore=.", plan_loc_file(&d->loc), d->loc.line);
                pd->main_core = 0;
        }
        if (cpuset_is_empty(&d->cores) && d->cores_per_port > 0) {
                r = plan_workers(p, c, hw);
                if (r < 0)
                        return r;
        } else
                pd->workers = d->cores;
        pd->lcores = pd->workers;
        cpuset_set(&pd->lcores, (unsigned) pd->main_core);
        pd->hugepage_dir = hugepage_dir(p, d->hugepage_size_kb, &pd->hugepage_size_kb);
        plan_socket_mem(p, c, hw);
        plan_socket_mem_warnings(p);
        plan_lcore_memory_warnings(p, hw);

        if (!cpuset_is_empty(&hw->online) && !cpuset_is_subset(&pd->lcores, &hw->online)) {
                _cleanup_free_ char *list = cpuset_to_string(&pd->lcores);

                (void) strv_pushf(&p->problems, "%s:%u: the datapath's CPUs %s are not all online.",
                                  plan_loc_file(&d->loc), d->loc.line, str_or_null(list));
        }
        if (!cpuset_is_subset(&pd->workers, &hw->isolated)) {
                _cleanup_free_ char *list = cpuset_to_string(&pd->workers);

                (void) strv_pushf(&p->warnings, "The datapath's %s%s are not all isolated on this boot "
                                  "(see /sys/devices/system/cpu/isolated).",
                                  pd->workers_derived ? "worker lcores " : "Cores=", str_or_null(list));
        }
        pd->file_prefix = d->file_prefix ?: "dpdk-boot";
        pd->user = d->user;
        pd->extra_args = d->extra_args;
        pd->config_file = d->config_file;
        pd->group = d->group;
        pd->mode = d->mode;
        pd->restore_on_stop = d->restore_on_stop;
        pd->restart_limit = d->restart_limit_set ? d->restart_limit : 5;
        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]) && d->preset == DATAPATH_OVS)
                        p->devices[i].bridge = (p->devices[i].rule ? p->devices[i].rule->bridge : NULL) ?: d->bridge;
        r = plan_eal(p);
        if (r < 0)
                return r;
        switch (d->preset) {
        case DATAPATH_OVS:
                pd->unit = UNIT_OVS_VSWITCHD;
                return 0;
        case DATAPATH_VPP:
                pd->unit = UNIT_VPP;
                return 0;
        case DATAPATH_CUSTOM:
                pd->unit = UNIT_DATAPATH;
                return render_custom(p, c);
        default:
                pd->unit = UNIT_DATAPATH;
                return render_testpmd(p, c);
        }
}

