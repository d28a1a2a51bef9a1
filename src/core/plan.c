/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config-build.h"
#include "kargs.h"
#include "plan-internal.h"
#include "string-table.h"

const char *plan_loc_file(const Location *l) {
        return l->file ?: CONFIG_MAIN_FILE;
}

bool plan_node_known(int n) {
        return n >= 0 && n < DPDK_BOOT_MAX_NODES;
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
        *disabled_by = switches_disabled_by(sw, initrd);
        if (*disabled_by)
                return PLAN_DISABLED;
        if (!config_ok(c))
                return PLAN_INVALID;
        return PLAN_ACTIVE;
}

bool plan_device_binds_now(const Plan *p, const PlanDevice *d) {
        return (d->present || d->created) && !d->refused && !(p->initrd && isempty(d->driver));
}

bool plan_device_is_port(const PlanDevice *d) {
        return (driver_is_dpdk(d->driver) || d->stays_on) && !d->refused;
}

const CpuSet *plan_device_pmd_cores(const PlanDevice *d) {
        static const CpuSet none;

        return d->pmd_cores ?: &none;
}

void plan_ovs_port_name(const PlanDevice *d, char ret[static 20]) {
        const char *a = startswith(d->address, "0000:") ? d->address + 5 : d->address;
        size_t n = 0;

        n = (size_t) snprintf(ret, 20, "dpdk-%s", a);
        for (size_t i = 5; i < n && i < 19; i++)
                if (ret[i] == ':')
                        ret[i] = '-';
}

int plan_build(const Config *c, const Switches *sw, const Hardware *hw, bool initrd, Plan *ret) {
        Plan p = { .initrd = initrd, .source = CONFIG_MAIN_FILE };
        int r;

        if (c->files.n > 0)
                p.source = c->files.v[0];
        p.state = plan_state(c, sw, initrd, &p.disabled_by);
        /* `kargs` by hand writes to the configured boot loader whatever the state. */
        p.kernel = (PlanKernel) { .manage_args = c->kernel.manage_args, .bootloader = c->kernel.bootloader,
                                  .reboot_policy = c->kernel.reboot_policy,
                                  .take_over_args = c->kernel.take_over_args,
                                  .config_digest = c->digest };
        if ((c->kernel.secureboot_private_key &&
             !(p.kernel.secureboot_private_key = strdup(c->kernel.secureboot_private_key))) ||
            (c->kernel.secureboot_certificate &&
             !(p.kernel.secureboot_certificate = strdup(c->kernel.secureboot_certificate)))) {
                plan_free(&p);
                return -ENOMEM;
        }
        if (p.state != PLAN_ACTIVE) {
                *ret = p;
                return 0;
        }

        p.do_hugepages = c->n_hugepages > 0 && stage_switch(sw->hugepages, sw->rd_hugepages, initrd) != 0;
        p.do_bind = c->n_devices > 0 && stage_switch(sw->bind, sw->rd_bind, initrd) != 0;
        /* The datapath starts from the real root only. */
        p.do_datapath = !initrd && c->datapath.preset != DATAPATH_NONE && sw->datapath != 0;

        p.iommu = c->iommu;
        for (size_t i = 0; i < hw->n_nodes; i++)
                if (plan_node_known(hw->nodes[i].id))
                        p.numa_nodes |= UINT64_C(1) << hw->nodes[i].id;
        r = plan_cpu(&p, c, hw);
        if (r >= 0)
                r = plan_hugepages(&p, c, hw);
        if (r >= 0)
                r = plan_devices(&p, c, hw);
        if (r >= 0 && c->datapath.preset != DATAPATH_NONE)
                r = plan_datapath(&p, c, hw);
        p.kernel.families = kargs_plan_families(&p);
        if (r < 0) {
                plan_free(&p);
                return r;
        }
        *ret = p;
        return 0;
}

void plan_free(Plan *p) {
        for (size_t i = 0; i < p->n_devices; i++) {
                free(p->devices[i].refusal);
                free(p->devices[i].pmd_cores);
        }
        free(p->hugepages);
        free(p->devices);
        free(p->sriov);
        free(p->datapath.exec_start);
        free(p->datapath.eal);
        strv_free(&p->kernel.args);
        strv_free(&p->kernel.missing);
        free(p->kernel.secureboot_private_key);
        free(p->kernel.secureboot_certificate);
        strv_free(&p->problems);
        strv_free(&p->warnings);
        *p = (Plan) {};
}

static const char *const plan_state_table[_PLAN_STATE_MAX] = {
        [PLAN_NO_CONFIG] = "no-config",
        [PLAN_DISABLED] = "disabled",
        [PLAN_INVALID] = "invalid",
        [PLAN_ACTIVE] = "active",
};

DEFINE_STRING_TABLE_LOOKUP(plan_state, PlanState);

unsigned plan_hugepages_total(const PlanHugepages *h) {
        unsigned total = 0;

        assert(h);

        if (!h->per_node)
                return h->count;
        for (size_t i = 0; i < DPDK_BOOT_MAX_NODES; i++)
                total += h->node_count[i];
        return total;
}

bool plan_hugepages_has_node(const PlanHugepages *h, int node) {
        assert(h);

        return h->per_node && node >= 0 && node < DPDK_BOOT_MAX_NODES && h->node_count[node] > 0;
}

const PlanHugepages *plan_find_hugepages(const Plan *p, uint64_t size_kb) {
        for (size_t i = 0; i < p->n_hugepages; i++)
                if (p->hugepages[i].size_kb == size_kb)
                        return &p->hugepages[i];
        return NULL;
}

int plan_device_key_cmp(const void *key, const void *elem) {
        return strcmp(key, ((const PlanDevice *) elem)->address);
}

const PlanDevice *plan_find_device(const Plan *p, const char *address) {
        if (p->n_devices == 0)
                return NULL;    /* no array at all (devices is NULL), which bsearch() must not get */
        return bsearch(address, p->devices, p->n_devices, sizeof(PlanDevice), plan_device_key_cmp);
}

static int device_address_cmp(const void *a, const void *b) {
        return strcmp(((const PlanDevice *) a)->address, ((const PlanDevice *) b)->address);
}

void plan_sort_devices(Plan *p) {
        if (p->n_devices > 1)
                qsort(p->devices, p->n_devices, sizeof(PlanDevice), device_address_cmp);
}

