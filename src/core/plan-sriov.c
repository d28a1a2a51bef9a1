/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "plan-internal.h"

/*
 * VirtualFunctions=: the PFs that get SR-IOV virtual functions at this boot, and the VFs they
 * will have. At boot the VFs do not exist yet (nothing has written sriov_numvfs), so the rules
 * are applied to a view of the snapshot that has them: each VF's address from the PF's
 * capability (hw_vf_address()), its ids from the PF (sriov_vf_device), its node the PF's. A VF
 * that exists now keeps what the snapshot read of it, unless the count changes: then every VF is
 * destroyed and created again, and it is planned as one to be created.
 */

static int sriov_cmp(const void *a, const void *b) {
        return strcmp(((const PlanSriov *) a)->pf, ((const PlanSriov *) b)->pf);
}

const PlanSriov *plan_find_sriov(const Plan *p, const char *pf) {
        if (p->n_sriov == 0 || isempty(pf))
                return NULL;
        return bsearch(pf, p->sriov, p->n_sriov, sizeof(PlanSriov), sriov_cmp);
}

/* Whether the PF can have the count the rule asks for; a problem naming the rule when not. */
static bool sriov_possible(Plan *p, const DeviceConfig *r, const HwDevice *h) {
        const char *file = plan_loc_file(&r->loc);

        if (h->sriov_totalvfs < 0) {
                (void) strv_pushf(&p->problems, "%s:%u: VirtualFunctions=%u: %s is not an SR-IOV physical "
                                  "function (it has no sriov_totalvfs).", file, r->loc.line,
                                  r->virtual_functions, h->address);
                return false;
        }
        if (r->virtual_functions > (unsigned) h->sriov_totalvfs) {
                (void) strv_pushf(&p->problems, "%s:%u: VirtualFunctions=%u: %s offers at most %d virtual "
                                  "function%s (sriov_totalvfs).", file, r->loc.line, r->virtual_functions,
                                  h->address, h->sriov_totalvfs, h->sriov_totalvfs == 1 ? "" : "s");
                return false;
        }
        return true;
}

/* One PF, once: a second rule for it must ask for the same count. */
static int sriov_add(Plan *p, const DeviceConfig *r, const HwDevice *h) {
        PlanSriov *n;

        for (size_t i = 0; i < p->n_sriov; i++) {
                const PlanSriov *s = &p->sriov[i];

                if (!streq(s->pf, h->address) || s->numvfs == r->virtual_functions)
                        continue;
                (void) strv_pushf(&p->problems, "%s:%u and %s:%u: both rules select %s, one with "
                                  "VirtualFunctions=%u, the other with VirtualFunctions=%u; make one of them "
                                  "narrower.", plan_loc_file(&s->loc), s->loc.line, plan_loc_file(&r->loc),
                                  r->loc.line, h->address, s->numvfs, r->virtual_functions);
                return 0;
        }
        if (!sriov_possible(p, r, h) || plan_find_sriov(p, h->address))
                return 0;
        n = reallocarray(p->sriov, p->n_sriov + 1, sizeof(PlanSriov));
        if (!n)
                return -ENOMEM;
        p->sriov = n;
        n[p->n_sriov++] = (PlanSriov) { .numvfs = r->virtual_functions, .current = h->sriov_numvfs,
                                        .total = (unsigned) h->sriov_totalvfs, .loc = r->loc };
        memcpy(n[p->n_sriov - 1].pf, h->address, sizeof(h->address));
        qsort(p->sriov, p->n_sriov, sizeof(PlanSriov), sriov_cmp);
        return 0;
}

/* The PFs each VirtualFunctions= rule selects (Port= counts as for any rule). An exact rule for
 * an address that is not there selects nothing: its device is refused by the present gate. */
static int sriov_collect(Plan *p, const Config *c, const Hardware *hw) {
        int r;

        for (size_t k = 0; k < c->n_devices; k++) {
                const DeviceConfig *rule = &c->devices[k];
                size_t nth = 0;

                if (!rule->virtual_functions_set)
                        continue;
                for (size_t i = 0; i < hw->n_devices; i++) {
                        const HwDevice *h = &hw->devices[i];

                        if (!device_rule_selects(rule, h, &nth) || !h->present)
                                continue;
                        r = sriov_add(p, rule, h);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int plan_sriov_check(const Config *c, const Hardware *hw, Strv *ret_problems) {
        Plan p = {};
        int r;

        r = sriov_collect(&p, c, hw);
        *ret_problems = p.problems;
        p.problems = (Strv) {};
        plan_free(&p);
        return r;
}

/* A VF that does not exist yet, as the PF's capability describes it. */
static void planned_vf(HwDevice *v, const HwDevice *pf, unsigned index, const char address[static 13]) {
        hw_device_init(v, address);
        v->ids_known = pf->ids_known;
        v->vendor = pf->vendor;
        v->device = pf->sriov_vf_device;
        v->class_code = pf->class_code;
        v->numa_node = pf->numa_node;
}

static int device_cmp(const void *a, const void *b) {
        return strcmp(((const HwDevice *) a)->address, ((const HwDevice *) b)->address);
}

/* The VFs of s in the view v (which holds hw's devices first, in hw's order, and room for the
 * new ones after *n). */
static void view_add_vfs(Plan *p, const PlanSriov *s, const Hardware *hw, HwDevice *v, size_t *n) {
        const HwDevice *pf = hw_find_device(hw, s->pf);
        bool recreated = s->current != (int) s->numvfs;

        /* Those that exist now and will not after the write: not there for the rules. */
        for (size_t i = 0; i < hw->n_devices; i++)
                if (streq(v[i].physfn, s->pf) && (recreated || v[i].vf_index >= (int) s->numvfs))
                        v[i].present = false;
        for (unsigned i = 0; i < s->numvfs; i++) {
                const HwDevice *now;
                HwDevice *vf;
                char a[13];

                if (!hw_vf_address(pf, i, a)) {
                        (void) strv_pushf(&p->problems, "%s:%u: VirtualFunctions=%u: %s gives no address for "
                                          "virtual function %u (sriov_offset %u, sriov_stride %u).",
                                          plan_loc_file(&s->loc), s->loc.line, s->numvfs, s->pf, i,
                                          pf->sriov_offset, pf->sriov_stride);
                        return;
                }
                now = hw_find_device(hw, a);
                vf = now ? &v[now - hw->devices] : &v[(*n)++];
                if (!now || recreated)
                        planned_vf(vf, pf, i, a);
                vf->vf_planned = !now || recreated;
                memcpy(vf->physfn, s->pf, sizeof(vf->physfn));
                vf->vf_index = (int) i;
        }
}

int plan_sriov(Plan *p, const Config *c, const Hardware *hw, Hardware *view) {
        size_t n = hw->n_devices, vfs = 0;
        HwDevice *v;
        int r;

        *view = *hw;
        r = sriov_collect(p, c, hw);
        if (r < 0 || p->n_sriov == 0)
                return r;
        for (size_t i = 0; i < p->n_sriov; i++)
                vfs += p->sriov[i].numvfs;
        v = reallocarray(NULL, (n + vfs) ?: 1, sizeof(HwDevice));
        if (!v)
                return -ENOMEM;
        memcpy(v, hw->devices, sizeof(HwDevice) * hw->n_devices);
        for (size_t i = 0; i < p->n_sriov; i++)
                view_add_vfs(p, &p->sriov[i], hw, v, &n);
        qsort(v, n, sizeof(HwDevice), device_cmp);
        view->devices = v;
        view->n_devices = n;
        return 0;
}

void plan_sriov_pf_taken(Plan *p) {
        for (size_t i = 0; i < p->n_sriov; i++) {
                const PlanDevice *d = plan_find_device(p, p->sriov[i].pf);

                p->sriov[i].skipped = d && d->dpdk && d->force;
        }
}

/* The settings of a rule's VFs: only VFs have them, and a MAC address only one of them. In the
 * initramfs the PF's netdev is not there yet: the real root's bind unit sets them. */
void plan_vf_settings(Plan *p) {
        for (size_t i = 0; i < p->n_devices; i++) {
                PlanDevice *d = &p->devices[i];
                const char *file = plan_loc_file(&d->loc);

                if (!vf_settings_any(&d->vf))
                        continue;
                if (isempty(d->physfn) && !p->initrd)
                        (void) strv_pushf(&p->problems, "%s:%u: %s is not an SR-IOV virtual function: "
                                          "MACAddress=, VLANId=, QualityOfService=, Trust=, MACSpoofCheck= and "
                                          "LinkState= are set by a PF's driver on its virtual functions; none is "
                                          "set on it.", file, d->loc.line, d->address);
                for (size_t k = 0; k < i && d->vf.mac_set && !isempty(d->physfn); k++)
                        if (p->devices[k].vf.mac_set && memcmp(p->devices[k].vf.mac, d->vf.mac, 6) == 0) {
                                (void) strv_pushf(&p->problems, "%s:%u: MACAddress= gives %s the address %s "
                                                  "has; a MAC address names one virtual function, so the rule "
                                                  "must select one (PhysicalFunction= with VFIndex=).", file,
                                                  d->loc.line, d->address, p->devices[k].address);
                                d->vf.mac_set = false;
                                break;
                        }
                if (isempty(d->physfn) || p->initrd)
                        d->vf = (VfSettings) {};
        }
}

void plan_sriov_autoprobe(Plan *p) {
        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];
                PlanSriov *s = (PlanSriov *) plan_find_sriov(p, d->physfn);

                if (s && !s->skipped && d->dpdk && !d->refused)
                        s->autoprobe_off = true;
        }
}
