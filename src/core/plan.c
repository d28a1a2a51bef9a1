/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
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
        return hw_find_node(hw, (int) node) != NULL;
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

/* ---- device rules ---- */

static bool match_value(MatchKey k, const HwDevice *d, char *buf, size_t size) {
        switch (k) {
        case MATCH_ADDRESS:
                snprintf(buf, size, "%s", d->address);
                return true;
        case MATCH_ID: {
                static const char hex[] = "0123456789abcdef";

                if (size < 10)
                        return false;
                for (int i = 0; i < 4; i++) {
                        buf[i] = hex[(d->vendor >> (12 - 4 * i)) & 15];
                        buf[5 + i] = hex[(d->device >> (12 - 4 * i)) & 15];
                }
                buf[4] = ':';
                buf[9] = 0;
                return d->ids_known;
        }
        case MATCH_CLASS:
                snprintf(buf, size, "%06x", d->class_code);
                return d->ids_known;
        case MATCH_KERNEL_DRIVER:
                snprintf(buf, size, "%s", d->driver);
                return !isempty(d->driver);
        case MATCH_INTERFACE:
                snprintf(buf, size, "%s", d->ifname);
                return !isempty(d->ifname);
        case MATCH_MAC:
                snprintf(buf, size, "%s", d->mac);
                return !isempty(d->mac);
        case MATCH_NUMA:
                snprintf(buf, size, "%d", d->numa_node);
                return d->numa_node >= 0;
        case MATCH_PATH:
                snprintf(buf, size, "%s", d->path);
                return !isempty(d->path);
        default:
                return false;
        }
}

static bool match_key(const Match *m, MatchKey k, const HwDevice *d) {
        char buf[256];
        bool hit = false;

        if (match_value(k, d, buf, sizeof(buf)))
                for (size_t i = 0; i < m->patterns.n && !hit; i++) {
                        const char *pat = m->patterns.v[i];

                        /* most patterns are plain words: no need for fnmatch() */
                        hit = strpbrk(pat, "*?[") ? fnmatch(pat, buf, 0) == 0 : streq(pat, buf);
                }
        return hit != m->negate;
}

static bool rule_has_key(const DeviceConfig *r, MatchKey k) {
        return r->match[k].patterns.n > 0;
}

/* Without Ports=, does the rule match this device? A pattern rule only takes present network
 * devices (class 0x02) unless it says Class= itself: no broad rule ever takes a disk. */
static bool rule_matches(const DeviceConfig *r, const HwDevice *d) {
        if (!isempty(r->address))
                return streq(r->address, d->address);
        if (!d->present)
                return false;
        if (!rule_has_key(r, MATCH_CLASS) && (!d->ids_known || (d->class_code >> 16) != 0x02))
                return false;
        for (MatchKey k = 0; k < _MATCH_MAX; k++)
                if (rule_has_key(r, k) && !match_key(&r->match[k], k, d))
                        return false;
        return true;
}

static void rule_describe(const DeviceConfig *r, char *buf, size_t size) {
        size_t n = 0;

        buf[0] = 0;
        if (!isempty(r->address)) {
                snprintf(buf, size, "Address=%s", r->address);
                return;
        }
        for (MatchKey k = 0; k < _MATCH_MAX && n < size; k++) {
                const Match *m = &r->match[k];

                if (m->patterns.n == 0)
                        continue;
                n += (size_t) snprintf(buf + n, size - n, "%s%s=%s", n ? " " : "", match_key_to_string(k),
                                       m->negate ? "!" : "");
                for (size_t i = 0; i < m->patterns.n && n < size; i++)
                        n += (size_t) snprintf(buf + n, size - n, "%s%s", i ? "," : "", m->patterns.v[i]);
        }
        for (size_t i = 0; i < r->n_ports && n < size; i++)
                n += (size_t) snprintf(buf + n, size - n, "%s%u", i ? "," : " Port=", r->ports[i]);
}

static const char *loc_of(const DeviceConfig *r) {
        return loc_file(&r->loc);
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
                bool hit = rule_matches(r, &hw->devices[i]);

                if (hit && r->n_ports > 0) {
                        hit = false;
                        for (size_t k = 0; k < r->n_ports; k++)
                                hit = hit || r->ports[k] == nth;
                        nth++;
                }
                if (hit) {
                        choose(p, &choices[i], r, &hw->devices[i]);
                        any = true;
                }
        }
        return any;
}

static void plan_add_device(Plan *p, const HwDevice *h, const DeviceConfig *r) {
        PlanDevice *pd = &p->devices[p->n_devices++];

        *pd = (PlanDevice) { .driver = r->driver, .present = h->present, .rule = r, .loc = r->loc };
        memcpy(pd->address, h->address, sizeof(pd->address));
        if (!isempty(r->address)) {
                memcpy(pd->why, "Address=", 8);
                memcpy(pd->why + 8, r->address, sizeof(r->address));
        } else if (p->n_devices > 1 && pd[-1].rule == r)
                /* a pattern rule picks runs of devices: describe it once */
                memcpy(pd->why, pd[-1].why, sizeof(pd->why));
        else
                rule_describe(r, pd->why, sizeof(pd->why));
}

/* An Exclude= rule wins; else the exact rule for the address; else the pattern rules, which must
 * agree on the driver. */
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
        p->devices = calloc(hw->n_devices ?: 1, sizeof(PlanDevice));
        if (!p->devices)
                return -ENOMEM;
        for (size_t i = 0; i < hw->n_devices; i++) {
                const Choice *ch = &choices[i];

                if (ch->excluded || (!ch->exact && (!ch->pattern || ch->conflict)))
                        continue;
                /* The management-path evidence (network configuration, routes) lives in the real
                 * root: in the initramfs only devices named by address are taken. */
                if (p->initrd && !ch->exact)
                        continue;
                plan_add_device(p, &hw->devices[i], ch->exact ?: ch->pattern);
        }
        return 0;
}

/* ---- the safety gates ---- */

static const char *const gate_ids[_GATE_MAX] = {
        [GATE_PRESENT] = "present",
        [GATE_IOMMU] = "iommu",
        [GATE_GROUP] = "iommu-group",
        [GATE_RMRR] = "rmrr",
        [GATE_BIFURCATED] = "bifurcated",
        [GATE_MANAGEMENT] = "management",
        [GATE_DRIVER] = "driver",
};

const char *gate_id_to_string(GateId g) {
        return g < _GATE_MAX ? gate_ids[g] : NULL;
}

char *gate_refusal_line(const char *address, GateId g, bool left_out, const char *message) {
        char *line;

        if (asprintf(&line, "%s %s [%s]: %s", address, left_out ? "left out" : "refused",
                     gate_id_to_string(g) ?: "?", message) < 0)
                return NULL;
        return line;
}

void plan_gate(Plan *p, PlanDevice *d, GateId g, bool pass, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL, *line = NULL;
        va_list ap;
        int n;

        d->gates[g] = pass ? GATE_PASS : GATE_FAIL;
        if (pass || d->refused)
                return;
        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        d->refused = true;
        /* A device only a pattern rule picked is left out with a warning; a device the config names
         * by address keeps the datapath from starting. */
        d->skipped = d->rule && isempty(d->rule->address) && d->group_of == NULL;
        d->refused_by = g;
        if (asprintf(&d->refusal, "[%s] %s", gate_ids[g], msg) < 0)
                d->refusal = NULL;
        line = gate_refusal_line(d->address, g, d->skipped, msg);
        if (line)
                (void) strv_pushf(d->skipped ? &p->warnings : &p->problems, "%s:%u: %s",
                                  loc_file(&d->loc), d->loc.line, line);
}

const char *plan_device_refusal_message(const PlanDevice *d) {
        /* d->refusal is "[gate] message" */
        if (!d->refused || !d->refusal)
                return NULL;
        return d->refusal + strlen(gate_ids[d->refused_by]) + 3;
}

static bool is_bifurcated(const HwDevice *h) {
        return streq(h->driver, "mlx4_core") || streq(h->driver, "mlx5_core") ||
               (h->ids_known && h->vendor == 0x15b3 && (h->class_code >> 16) == 0x02);
}

static bool host_driver(const char *drv) {
        return !isempty(drv) && !streq(drv, "vfio-pci") && !streq(drv, "pci-stub") && !streq(drv, "pcieport");
}

static void gate_group(Plan *p, PlanDevice *d, const Hardware *hw, const HwDevice *h) {
        const HwGroup *g = hw_find_group(hw, h->iommu_group);
        char others[256] = "";
        size_t n = 0;

        if (!g)
                return;
        if (g->direct) {
                plan_gate(p, d, GATE_RMRR, false,
                          "IOMMU group %d has a firmware 1:1 mapping (\"%s\" in reserved_regions, an RMRR on %s%s%s), "
                          "so vfio-pci cannot take it (the kernel says \"Device is ineligible for IOMMU domain attach "
                          "due to platform RMRR requirement\" or \"Firmware has requested this device have a 1:1 "
                          "IOMMU mapping\"). Fixes: exclude the slot from RMRR in the firmware (HPE: conrep "
                          "RMRDS_SlotN=Endpoints_Excluded; on Gen9 and later the \"Shared Memory\" setting of the NIC), "
                          "move the NIC to another slot, or use a NIC whose PMD runs on its kernel driver.",
                          g->id, g->direct_region, isempty(hw->sys_vendor) ? "this platform" : hw->sys_vendor,
                          isempty(hw->product_name) ? "" : " ", hw->product_name);
                return;
        }
        d->gates[GATE_RMRR] = GATE_PASS;
        for (size_t i = 0; i < g->n_members; i++) {
                const HwGroupMember *m = &g->members[i];
                const PlanDevice *other = plan_find_device(p, m->address);

                if (streq(m->address, d->address) || (m->class_code >> 16) == 0x06 || !host_driver(m->driver) ||
                    (other && streq(other->driver, "vfio-pci")))
                        continue;
                n += (size_t) snprintf(others + n, sizeof(others) - n, "%s%s (%s)", n ? ", " : "", m->address,
                                       m->driver);
                if (n >= sizeof(others))
                        break;
        }
        if (n == 0) {
                d->gates[GATE_GROUP] = GATE_PASS;
                return;
        }
        if (d->rule && d->rule->bind_group) {
                d->gates[GATE_GROUP] = GATE_PASS;
                return;
        }
        plan_gate(p, d, GATE_GROUP, false,
                  "IOMMU group %d is not viable: %s in the same group stays on a host driver, and vfio-pci "
                  "needs every device of the group (\"VFIO group is not viable\"). Select them too, set "
                  "BindGroup=yes on the rule, or put the NIC in a slot with its own group.",
                  h->iommu_group, others);
}

static void gate_management(Plan *p, PlanDevice *d, const Hardware *hw, const HwDevice *h) {
        const MgmtItem *it = NULL;
        char decoded[13];

        if (!hw->mgmt.collected)
                return;
        if (!isempty(h->ifname))
                it = mgmt_find(&hw->mgmt, MGMT_NAME, h->ifname);
        if (!it && !isempty(h->mac))
                it = mgmt_find(&hw->mgmt, MGMT_MAC, h->mac);
        if (!it)
                it = mgmt_find(&hw->mgmt, MGMT_PCI, h->address);
        for (size_t i = 0; !it && i < hw->mgmt.n_items; i++) {
                const MgmtItem *m = &hw->mgmt.items[i];
                unsigned idx;

                if (m->kind != MGMT_NAME)
                        continue;
                if ((ifname_to_pci_address(m->value, decoded) && streq(decoded, h->address)) ||
                    (h->acpi_index >= 0 && startswith(m->value, "eno") && safe_atou(m->value + 3, &idx) == 0 &&
                     idx == (unsigned) h->acpi_index))
                        it = m;
        }
        if (d->rule && d->rule->force) {
                d->gates[GATE_MANAGEMENT] = GATE_PASS;
                return;
        }
        /* Early in boot a NIC has no interface yet, so a MAC in the evidence names no device. A
         * pattern rule then cannot tell the management NIC from the others: it takes none. */
        for (size_t i = 0; !it && isempty(h->mac) && d->rule && isempty(d->rule->address) && i < hw->mgmt.n_items; i++)
                if (hw->mgmt.items[i].kind == MGMT_MAC) {
                        plan_gate(p, d, GATE_MANAGEMENT, false,
                                  "the management path is known only by MAC %s (from %s), and this device has "
                                  "no interface yet to compare; a pattern rule does not take it. Name the NICs "
                                  "by Address=, or give the management NIC an Exclude=yes rule and this rule "
                                  "Force=yes.", hw->mgmt.items[i].value, hw->mgmt.items[i].source);
                        return;
                }
        if (!it) {
                d->gates[GATE_MANAGEMENT] = GATE_PASS;
                return;
        }
        plan_gate(p, d, GATE_MANAGEMENT, false,
                  "it carries the management path (%s \"%s\", from %s); a NIC of the management path is "
                  "never taken unless its rule says Force=yes.",
                  it->kind == MGMT_NAME ? "interface" : it->kind == MGMT_MAC ? "MAC" : "device", it->value, it->source);
}

void plan_gate_device(Plan *p, const Hardware *hw, PlanDevice *d) {
        const HwDevice *h = hw_find_device(hw, d->address);

        if (!h || !h->present) {
                plan_gate(p, d, GATE_PRESENT, false, "the device is not present on this host.");
                return;
        }
        d->gates[GATE_PRESENT] = GATE_PASS;
        if (!driver_is_dpdk(d->driver))
                return;
        if (is_bifurcated(h))
                plan_gate(p, d, GATE_BIFURCATED, false,
                          "%04x:%04x (%s) is a bifurcated NIC: its DPDK PMD runs on the kernel driver, "
                          "so it is never rebound; leave it on %s (Driver= empty) and use it as it is.",
                          h->vendor, h->device, isempty(h->driver) ? "mlx4/mlx5" : h->driver,
                          isempty(h->driver) ? "its kernel driver" : h->driver);
        else
                d->gates[GATE_BIFURCATED] = GATE_PASS;
        if (streq(d->driver, "vfio-pci")) {
                if (!hw->iommu_present || h->iommu_group < 0)
                        plan_gate(p, d, GATE_IOMMU, false,
                                  "no IOMMU%s, so vfio-pci cannot take it: enable VT-d/AMD-Vi in the "
                                  "firmware and add intel_iommu=on (or amd_iommu=on) to the kernel command line.",
                                  hw->iommu_present ? " group for this device" : " is enabled (/sys/class/iommu is empty)");
                else {
                        d->gates[GATE_IOMMU] = GATE_PASS;
                        gate_group(p, d, hw, h);
                }
        }
        gate_management(p, d, hw, h);
}

static void plan_gates(Plan *p, const Hardware *hw) {
        for (size_t i = 0; i < p->n_devices; i++)
                plan_gate_device(p, hw, &p->devices[i]);
}

/* BindGroup=yes: the other members of a selected device's group that stay on host drivers are
 * bound with it (bridges excepted). Only the full snapshot knows the groups. */
static int plan_bind_groups(Plan *p, const Hardware *hw) {
        size_t n = p->n_devices;

        for (size_t i = 0; i < n; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwDevice *h = hw_find_device(hw, d->address);
                const HwGroup *g = h ? hw_find_group(hw, h->iommu_group) : NULL;

                if (!g || !d->rule || !d->rule->bind_group || !streq(d->driver, "vfio-pci") || d->refused)
                        continue;
                for (size_t k = 0; k < g->n_members; k++) {
                        const HwGroupMember *m = &g->members[k];
                        PlanDevice *nd, *grown;

                        if ((m->class_code >> 16) == 0x06 || plan_find_device(p, m->address))
                                continue;
                        grown = realloc(p->devices, sizeof(PlanDevice) * (p->n_devices + 1));
                        if (!grown)
                                return -ENOMEM;
                        p->devices = grown;
                        d = &p->devices[i];
                        nd = &p->devices[p->n_devices++];
                        *nd = (PlanDevice) { .driver = "vfio-pci", .present = true, .rule = d->rule,
                                             .group_of = d->address, .loc = d->loc };
                        memcpy(nd->address, m->address, sizeof(nd->address));
                        snprintf(nd->why, sizeof(nd->why), "BindGroup=yes (IOMMU group %d of %s)", g->id, d->address);
                }
        }
        return 0;
}

/* A NIC on a node without isolated CPUs or hugepages works, slowly: every packet crosses the
 * interconnect. Said once per node, with the numbers. */
static void plan_numa_warnings(Plan *p, const Hardware *hw) {
        uint64_t warned = 0;
        char list[256], iso[256];

        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwDevice *h = hw_find_device(hw, d->address);
                const HwNode *node;
                int n;

                if (d->refused || !driver_is_dpdk(d->driver) || !h || h->numa_node < 0 ||
                    h->numa_node >= DPDK_BOOT_MAX_NODES || (warned >> h->numa_node & 1) || hw->n_nodes < 2)
                        continue;
                n = h->numa_node;
                warned |= UINT64_C(1) << n;
                node = hw_find_node(hw, n);
                if (p->cpu.set && node && !cpuset_intersects(&node->cpus, &p->cpu.isolated)) {
                        (void) cpuset_format(&node->cpus, list, sizeof(list));
                        (void) cpuset_format(&p->cpu.isolated, iso, sizeof(iso));
                        (void) strv_pushf(&p->warnings,
                                          "%s is on NUMA node %d, which has no isolated CPU (node %d: CPUs %s; "
                                          "isolated: %s): its datapath cores will be remote.",
                                          d->address, n, n, list, iso);
                }
                for (size_t k = 0; k < p->n_hugepages; k++) {
                        const PlanHugepages *hp = &p->hugepages[k];
                        char sz[16];

                        if (hp->per_node && hp->node_count[n] == 0)
                                (void) strv_pushf(&p->warnings,
                                                  "%s is on NUMA node %d, but %s:%u reserves no %s pages there: "
                                                  "its packet buffers will be remote.",
                                                  d->address, n, loc_file(&hp->loc), hp->loc.line,
                                                  format_page_size(hp->size_kb, sz));
                }
        }
}

static int plan_devices(Plan *p, const Config *c, const Hardware *hw) {
        int r;

        r = plan_resolve_rules(p, c, hw);
        if (r >= 0 && (hw->flags & HW_READ_FULL))
                r = plan_bind_groups(p, hw);
        if (r < 0)
                return r;
        plan_gates(p, hw);
        plan_numa_warnings(p, hw);
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
        /* Any CPU list formats into this: at worst "1000-1001," then a gap, 10 bytes per 3 CPUs.
         * 256 bytes failed a valid Cores= of every other CPU up to 398 (fuzz/fuzz-config). */
        char lcores[CPUSET_MAX * 4];

        if (cpuset_format(&p->datapath.lcores, lcores, sizeof(lcores)) < 0)
                return -ENOBUFS;
        buf_printf(&b, "%s -l %s --main-lcore %d --file-prefix dpdk-boot", TESTPMD_PATH, lcores,
                   p->datapath.main_core);
        if (p->datapath.hugepage_dir)
                buf_printf(&b, " --huge-dir %s", p->datapath.hugepage_dir);
        for (size_t i = 0; i < p->n_devices; i++)
                if (driver_is_dpdk(p->devices[i].driver) && !p->devices[i].refused) {
                        buf_put(&b, " -a ");
                        buf_put(&b, p->devices[i].address);
                }
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
        for (size_t i = 0; i < p->n_devices; i++)
                free(p->devices[i].refusal);
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

static int context_load_flags(Context *c, bool initrd, unsigned hw_flags) {
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
        r = hw_read(&c->hw, &c->config, c->cmdline, hw_flags);
        if (r < 0)
                return r;
        return plan_build(&c->config, &c->switches, &c->hw, initrd, &c->plan);
}

int context_load(Context *c, bool initrd) {
        return context_load_flags(c, initrd, 0);
}

int context_load_full(Context *c, bool initrd) {
        return context_load_flags(c, initrd, HW_READ_FULL);
}

void context_free(Context *c) {
        plan_free(&c->plan);
        hw_free(&c->hw);
        config_free(&c->config);
        free(c->cmdline);
        *c = (Context) {};
}
