/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "match.h"
#include "plan-internal.h"

/*
 * Which devices this boot takes: the [Device] rules applied to the hardware snapshot (an
 * Exclude= rule wins, then the exact rule for an address, then the pattern rules, which must
 * agree), the members BindGroup=yes adds, and the gates on each (plan-gates.c).
 */

static const char *loc_of(const DeviceConfig *r) {
        return plan_loc_file(&r->loc);
}

/* Per device, while the rules are applied in order: what decides for it. */
typedef struct Choice {
        const DeviceConfig *exact;     /* the exact rule for its address */
        const DeviceConfig *pattern;   /* the first pattern rule that selects it */
        bool excluded;
        bool conflict;
} Choice;

static void choose(Plan *p, Choice *ch, const DeviceConfig *r, const HwDevice *h) {
        if (r->exclude) {
                ch->excluded = true;
                return;
        }
        if (!isempty(r->address)) {
                ch->exact = r;
                return;
        }
        if (!ch->pattern) {
                ch->pattern = r;
                return;
        }
        if (ch->conflict || streq(ch->pattern->driver, r->driver))
                return;
        ch->conflict = true;
        (void) strv_pushf(&p->problems,
                          "%s:%u and %s:%u: both rules select %s, one for %s, the other for %s; "
                          "make one of them narrower, or add an Exclude=yes rule.",
                          loc_of(ch->pattern), ch->pattern->loc.line, loc_of(r), r->loc.line, h->address,
                          isempty(ch->pattern->driver) ? "the kernel driver" : ch->pattern->driver,
                          isempty(r->driver) ? "the kernel driver" : r->driver);
}

/* Applies rule r to every device it selects; Port= picks among its matches by address. Returns
 * whether it selected any. */
static bool rule_apply(Plan *p, const DeviceConfig *r, const Hardware *hw, Choice *choices) {
        size_t nth = 0;
        bool any = false;

        if (!isempty(r->address)) {
                const HwDevice *h = hw_find_device(hw, r->address);

                if (h)
                        choose(p, &choices[h - hw->devices], r, h);
                return h != NULL;
        }
        for (size_t i = 0; i < hw->n_devices; i++) {
                if (device_rule_selects(r, &hw->devices[i], &nth)) {
                        choose(p, &choices[i], r, &hw->devices[i]);
                        any = true;
                }
        }
        return any;
}

static void plan_add_device(Plan *p, const HwDevice *h, const DeviceConfig *r) {
        PlanDevice *pd = &p->devices[p->n_devices++];

        *pd = (PlanDevice) {
                .driver = r->driver,
                .dpdk = driver_is_dpdk(r->driver),
                .present = h->present,
                .force = r->force,
                .required = r->required,
                .rule = r,
                .loc = r->loc,
                .numa_node = h->numa_node,
                .vf_index = h->vf_index,
                .created = h->vf_planned,
                .vf = r->vf,
        };
        memcpy(pd->address, h->address, sizeof(pd->address));
        memcpy(pd->physfn, h->physfn, sizeof(pd->physfn));
        if (!isempty(r->address))
                (void) snprintf(pd->why, sizeof(pd->why), "Address=%s", r->address);
        else
                device_rule_describe(r, pd->why, sizeof(pd->why));
}

/* An Exclude= rule wins; else the exact rule for the address; else the pattern rules, which must
 * agree on the driver. The devices taken are in the snapshot's order, by address. */
static int plan_resolve_rules(Plan *p, const Config *c, const Hardware *hw) {
        _cleanup_free_ Choice *choices = calloc(hw->n_devices ?: 1, sizeof(Choice));

        if (!choices)
                return -ENOMEM;
        for (size_t k = 0; k < c->n_devices; k++) {
                const DeviceConfig *r = &c->devices[k];

                if (!rule_apply(p, r, hw, choices) && isempty(r->address) && !r->exclude)
                        (void) strv_pushf(&p->warnings, "%s:%u: this [Device] rule selects no device on this host.",
                                          loc_of(r), r->loc.line);
        }
        /* Not calloc: plan_add_device() sets every field of the ones it takes, and zeroing room
         * for every PCI function of a large host is most of what planning would cost. */
        p->devices = reallocarray(NULL, hw->n_devices ?: 1, sizeof(PlanDevice));
        if (!p->devices)
                return -ENOMEM;
        for (size_t i = 0; i < hw->n_devices; i++) {
                const Choice *ch = &choices[i];

                if (ch->excluded || (!ch->exact && (!ch->pattern || ch->conflict)))
                        continue;
                /* Virtual functions are created by the real root's bind unit, with the PF's driver. */
                if (p->initrd && hw->devices[i].vf_planned)
                        continue;
                /* The management-path evidence (network configuration, routes) lives in the real
                 * root: in the initramfs only devices named by address are taken. Their nodes
                 * still say where Placement=devices puts the pages, as the real root will: a 1G
                 * page moved to another node later may not be found again. */
                if (p->initrd && !ch->exact) {
                        int n = hw->devices[i].numa_node;

                        if (driver_is_dpdk(ch->pattern->driver) && n >= 0 && n < DPDK_BOOT_MAX_NODES)
                                p->initrd_pattern_nodes |= UINT64_C(1) << n;
                        continue;
                }
                plan_add_device(p, &hw->devices[i], ch->exact ?: ch->pattern);
        }
        return 0;
}

/* By address; a member BindGroup= added twice (two selected devices share its group) sorts
 * first with the lowest address it was added for, as the first of them in address order. */
static int device_cmp(const void *a, const void *b) {
        const PlanDevice *x = a, *y = b;
        int c = strcmp(x->address, y->address);

        if (c != 0)
                return c;
        return strcmp(x->group_of ?: "", y->group_of ?: "");
}

static int plan_add_member(Plan *p, size_t i, const HwGroup *g, const HwGroupMember *m, const Hardware *hw) {
        const HwDevice *mh = hw_find_device(hw, m->address);
        const PlanDevice *d;
        PlanDevice *nd, *grown;

        grown = reallocarray(p->devices, p->n_devices + 1, sizeof(PlanDevice));
        if (!grown)
                return -ENOMEM;
        p->devices = grown;
        d = &p->devices[i];
        nd = &p->devices[p->n_devices++];
        *nd = (PlanDevice) { .driver = "vfio-pci", .dpdk = true, .present = true, .rule = d->rule,
                             .group_of = d->address, .loc = d->loc, .numa_node = mh ? mh->numa_node : -1,
                             .vf_index = -1 };
        memcpy(nd->address, m->address, sizeof(nd->address));
        (void) snprintf(nd->why, sizeof(nd->why), "BindGroup=yes (IOMMU group %d of %s)", g->id, d->address);
        return 0;
}

/* BindGroup=yes: the other members of a selected device's group that stay on host drivers are
 * bound with it (bridges excepted). Only the full snapshot knows the groups. The selected
 * devices are in address order; the members are added after them, then all are sorted again and
 * a member added twice is kept once. */
static int plan_bind_groups(Plan *p, const Hardware *hw) {
        size_t n = p->n_devices, k = 0;
        int r;

        for (size_t i = 0; i < n; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwDevice *h = hw_find_device(hw, d->address);
                const HwGroup *g = h ? hw_find_group(hw, h->iommu_group) : NULL;

                if (!g || !d->rule || !d->rule->bind_group || !driver_is_vfio_pci(d->driver) || d->refused)
                        continue;
                for (size_t j = 0; j < g->n_members; j++) {
                        const HwGroupMember *m = &g->members[j];

                        if ((m->class_code >> 16) == 0x06 ||
                            bsearch(m->address, p->devices, n, sizeof(PlanDevice), plan_device_key_cmp))
                                continue;
                        r = plan_add_member(p, i, g, m, hw);
                        if (r < 0)
                                return r;
                }
        }
        if (p->n_devices == n)
                return 0;
        qsort(p->devices, p->n_devices, sizeof(PlanDevice), device_cmp);
        for (size_t i = 0; i < p->n_devices; i++)
                if (k == 0 || !streq(p->devices[k - 1].address, p->devices[i].address))
                        p->devices[k++] = p->devices[i];
        p->n_devices = k;
        return 0;
}

/* The rules are applied to the snapshot with the VFs VirtualFunctions= creates (plan-sriov.c). */
int plan_devices(Plan *p, const Config *c, const Hardware *hw) {
        Hardware view;
        int r;

        r = plan_sriov(p, c, hw, &view);
        if (r >= 0)
                r = plan_resolve_rules(p, c, &view);
        if (p->initrd) {
                free(p->sriov);
                p->sriov = NULL;
                p->n_sriov = 0;
        }
        if (r >= 0 && (hw->flags & HW_READ_FULL))
                r = plan_bind_groups(p, &view);
        if (r >= 0) {
                plan_sriov_pf_taken(p);
                plan_vf_settings(p);
                plan_gates(p, &view);
                plan_sriov_autoprobe(p);
                plan_place_hugepages(p, &view);
                plan_numa_warnings(p, &view);
        }
        if (view.devices != hw->devices)
                free(view.devices);
        return r;
}
