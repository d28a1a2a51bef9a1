/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "config-build.h"
#include "plan.h"

static const char *loc_file(const Location *l) {
        return l->file ?: CONFIG_MAIN_FILE;
}

static int stage_switch(int stage, int rd_stage, bool initrd) {
        /* In the initrd an rd.* switch, when given, overrides the general one. */
        if (initrd && rd_stage >= 0)
                return rd_stage;
        return stage;
}

static PlanState plan_state(const Config *c, const Switches *sw, bool initrd, const char **disabled_by) {
        if (!c->exists)
                return PLAN_NO_CONFIG;
        if (sw->enabled == 0) {
                *disabled_by = "dpdk=no";
                return PLAN_DISABLED;
        }
        if (initrd && sw->rd_enabled == 0) {
                *disabled_by = "rd.dpdk=no";
                return PLAN_DISABLED;
        }
        if (!config_ok(c))
                return PLAN_INVALID;
        return PLAN_ACTIVE;
}

static bool node_exists(const Hardware *hw, unsigned node) {
        if (hw->n_nodes == 0)
                return node == 0;
        for (unsigned i = 0; i < hw->n_nodes; i++)
                if (hw->node_ids[i] == (int) node)
                        return true;
        return false;
}

static int plan_hugepages(Plan *p, const Config *c, const Hardware *hw) {
        char sz[16];

        p->hugepages = calloc(c->n_hugepages ?: 1, sizeof(PlanHugepages));
        if (!p->hugepages)
                return -ENOMEM;
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
                                .supported = hw_has_page_size(hw, h->size_kb),
                                .loc = h->loc,
                        };
                        memcpy(ph->node_count, h->node_count, sizeof(ph->node_count));
                        snprintf(ph->mount_point, sizeof(ph->mount_point), "/dev/hugepages%s",
                                 format_page_size(h->size_kb, sz));
                        if (!ph->supported)
                                (void) strv_pushf(&p->problems,
                                                  "%s:%u: %s pages are not offered by this kernel/CPU "
                                                  "(no /sys/kernel/mm/hugepages/hugepages-%llukB)%s.",
                                                  loc_file(&h->loc), h->loc.line, sz,
                                                  (unsigned long long) h->size_kb,
                                                  h->size_kb >= 1048576 ? "; 1G pages need a CPU with pdpe1gb" : "");
                        for (unsigned n = 0; h->per_node && n < DPDK_BOOT_MAX_NODES; n++)
                                if (h->node_set[n] && !node_exists(hw, n))
                                        (void) strv_pushf(&p->problems,
                                                          "%s:%u: PerNode= names NUMA node %u, which this "
                                                          "host does not have.",
                                                          loc_file(&h->loc), h->loc.line, n);
                }
        return 0;
}

static int plan_devices(Plan *p, const Config *c, const Hardware *hw) {
        p->devices = calloc(c->n_devices ?: 1, sizeof(PlanDevice));
        if (!p->devices)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_devices; i++) {
                const DeviceConfig *d = &c->devices[i];
                const HwDevice *h = hw_find_device(hw, d->address);
                PlanDevice *pd = &p->devices[p->n_devices++];

                *pd = (PlanDevice) { .driver = d->driver, .present = h && h->present, .loc = d->loc };
                memcpy(pd->address, d->address, sizeof(pd->address));
                if (!pd->present) {
                        (void) strv_pushf(&p->problems, "%s:%u: device %s is not present on this host.",
                                          loc_file(&d->loc), d->loc.line, d->address);
                        continue;
                }
                if (streq(d->driver, "vfio-pci") && h->iommu_group < 0)
                        (void) strv_pushf(&p->problems,
                                          "%s:%u: device %s has no IOMMU group, so vfio-pci cannot take it: "
                                          "enable VT-d/AMD-Vi in the firmware and intel_iommu=on (or "
                                          "amd_iommu=on) on the kernel command line.",
                                          loc_file(&d->loc), d->loc.line, d->address);
        }
        return 0;
}

static void plan_cpu(Plan *p, const Config *c, const Hardware *hw) {
        PlanCpu *pc = &p->cpu;

        if (!c->isolate_set && !c->housekeeping_set)
                return;
        pc->set = true;
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
}

static int pick_main_core(const Config *c, const Hardware *hw) {
        CpuSet candidates;

        if (c->datapath.main_core >= 0)
                return c->datapath.main_core;
        /* The first housekeeping CPU: configured, else online and neither isolated nor a worker. */
        if (c->housekeeping_set)
                candidates = c->housekeeping;
        else {
                candidates = hw->online;
                cpuset_andnot(&candidates, &hw->isolated);
                if (c->isolate_set)
                        cpuset_andnot(&candidates, &c->isolate);
        }
        cpuset_andnot(&candidates, &c->datapath.cores);
        return cpuset_first(&candidates);
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

static int render_testpmd(Plan *p, const Config *c) {
        const DatapathConfig *d = &c->datapath;
        _cleanup_(buf_free) Buf b = {};
        char lcores[256];

        if (cpuset_format(&p->datapath.lcores, lcores, sizeof(lcores)) < 0)
                return -ENOBUFS;
        buf_printf(&b, "%s -l %s --main-lcore %d --file-prefix dpdk-boot", TESTPMD_PATH, lcores,
                   p->datapath.main_core);
        if (p->datapath.hugepage_dir)
                buf_printf(&b, " --huge-dir %s", p->datapath.hugepage_dir);
        for (size_t i = 0; i < p->n_devices; i++)
                if (driver_is_dpdk(p->devices[i].driver))
                        buf_printf(&b, " -a %s", p->devices[i].address);
        buf_printf(&b, " -- --auto-start --forward-mode=%s --stats-period %u --nb-cores=%u",
                   d->forward_mode ?: "io", d->stats_period ?: 60, cpuset_count(&d->cores));
        /* io/mac forwarding needs a first burst to get going between two looped ports. */
        if (!d->forward_mode || streq(d->forward_mode, "io") || streq(d->forward_mode, "mac"))
                buf_put(&b, " --tx-first");
        if (!isempty(d->extra_args))
                buf_printf(&b, " %s", d->extra_args);
        if (!b.data)
                return -ENOMEM;
        p->datapath.exec_start = TAKE_PTR(b.data);
        return 0;
}

static int plan_datapath(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        PlanDatapath *pd = &p->datapath;
        char list[256];

        pd->preset = d->preset;
        pd->main_core = pick_main_core(c, hw);
        pd->lcores = d->cores;
        if (pd->main_core < 0) {
                (void) strv_pushf(&p->problems, "%s:%u: no CPU is left for the datapath's main lcore; "
                                  "set MainCore=.", loc_file(&d->loc), d->loc.line);
                pd->main_core = 0;
        }
        cpuset_set(&pd->lcores, (unsigned) pd->main_core);
        pd->hugepage_dir = hugepage_dir(p, d->hugepage_size_kb, &pd->hugepage_size_kb);

        if (!cpuset_is_empty(&hw->online) && !cpuset_is_subset(&pd->lcores, &hw->online)) {
                (void) cpuset_format(&pd->lcores, list, sizeof(list));
                (void) strv_pushf(&p->problems, "%s:%u: the datapath's CPUs %s are not all online.",
                                  loc_file(&d->loc), d->loc.line, list);
        }
        if (!cpuset_is_subset(&d->cores, &hw->isolated)) {
                (void) cpuset_format(&d->cores, list, sizeof(list));
                (void) strv_pushf(&p->warnings, "The datapath's Cores=%s are not all isolated on this boot "
                                  "(see /sys/devices/system/cpu/isolated).", list);
        }
        if (d->preset == DATAPATH_CUSTOM)
                return (pd->exec_start = strdup(d->exec_start)) ? 0 : -ENOMEM;
        return render_testpmd(p, c);
}

int plan_build(const Config *c, const Switches *sw, const Hardware *hw, bool initrd, Plan *ret) {
        Plan p = { .initrd = initrd, .source = CONFIG_MAIN_FILE };
        int r;

        if (c->files.n > 0)
                p.source = c->files.v[0];
        p.state = plan_state(c, sw, initrd, &p.disabled_by);
        if (p.state != PLAN_ACTIVE) {
                *ret = p;
                return 0;
        }

        p.do_hugepages = c->n_hugepages > 0 && stage_switch(sw->hugepages, sw->rd_hugepages, initrd) != 0;
        p.do_bind = c->n_devices > 0 && stage_switch(sw->bind, sw->rd_bind, initrd) != 0;
        /* The datapath starts from the real root only. */
        p.do_datapath = !initrd && c->datapath.preset != DATAPATH_NONE && sw->datapath != 0;

        p.iommu = c->iommu;
        plan_cpu(&p, c, hw);
        r = plan_hugepages(&p, c, hw);
        if (r >= 0)
                r = plan_devices(&p, c, hw);
        if (r >= 0 && c->datapath.preset != DATAPATH_NONE)
                r = plan_datapath(&p, c, hw);
        if (r < 0) {
                plan_free(&p);
                return r;
        }
        *ret = p;
        return 0;
}

void plan_free(Plan *p) {
        free(p->hugepages);
        free(p->devices);
        free(p->datapath.exec_start);
        strv_free(&p->problems);
        strv_free(&p->warnings);
        *p = (Plan) {};
}

const char *plan_state_to_string(PlanState s) {
        switch (s) {
        case PLAN_NO_CONFIG:
                return "no-config";
        case PLAN_DISABLED:
                return "disabled";
        case PLAN_INVALID:
                return "invalid";
        default:
                return "active";
        }
}

const PlanHugepages *plan_find_hugepages(const Plan *p, uint64_t size_kb) {
        for (size_t i = 0; i < p->n_hugepages; i++)
                if (p->hugepages[i].size_kb == size_kb)
                        return &p->hugepages[i];
        return NULL;
}

const PlanDevice *plan_find_device(const Plan *p, const char *address) {
        for (size_t i = 0; i < p->n_devices; i++)
                if (streq(p->devices[i].address, address))
                        return &p->devices[i];
        return NULL;
}

int context_load(Context *c, bool initrd) {
        int r;

        *c = (Context) {};
        switches_init(&c->switches);
        r = config_load(&c->config);
        if (r < 0)
                return r;
        /* No command line (a chroot, an image) means no switches, not an error. */
        if (cmdline_read(&c->cmdline) >= 0) {
                r = switches_parse(&c->switches, c->cmdline);
                if (r < 0)
                        return r;
        }
        r = hw_read(&c->hw, &c->config);
        if (r < 0)
                return r;
        return plan_build(&c->config, &c->switches, &c->hw, initrd, &c->plan);
}

void context_free(Context *c) {
        plan_free(&c->plan);
        hw_free(&c->hw);
        config_free(&c->config);
        free(c->cmdline);
        *c = (Context) {};
}
