/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "config-build.h"
#include "plan.h"
#include "render.h"

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
        *disabled_by = switches_disabled_by(sw, initrd);
        if (*disabled_by)
                return PLAN_DISABLED;
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
                                .placement = h->placement,
                                .supported = hw_has_page_size(hw, h->size_kb),
                                .loc = h->loc,
                        };
                        memcpy(ph->node_count, h->node_count, sizeof(ph->node_count));
                        (void) snprintf(ph->mount_point, sizeof(ph->mount_point), "/dev/hugepages%s",
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
                (void) snprintf(buf, size, "%s", d->address);
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
                (void) snprintf(buf, size, "%06x", d->class_code);
                return d->ids_known;
        case MATCH_KERNEL_DRIVER:
                (void) snprintf(buf, size, "%s", d->driver);
                return !isempty(d->driver);
        case MATCH_INTERFACE:
                (void) snprintf(buf, size, "%s", d->ifname);
                return !isempty(d->ifname);
        case MATCH_MAC:
                (void) snprintf(buf, size, "%s", d->mac);
                return !isempty(d->mac);
        case MATCH_NUMA:
                (void) snprintf(buf, size, "%d", d->numa_node);
                return d->numa_node >= 0;
        case MATCH_PATH:
                (void) snprintf(buf, size, "%s", d->path);
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
                (void) snprintf(buf, size, "Address=%s", r->address);
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
        /* the rules share a few driver strings: the same one as the device before, the same answer */
        bool dpdk = p->n_devices > 1 && pd[-1].driver == r->driver ? pd[-1].dpdk : driver_is_dpdk(r->driver);

        /* Zeroed but for why[], which is written below: its 160 bytes were most of the cost. */
        memset(pd, 0, offsetof(PlanDevice, why));
        memset((char *) pd + offsetof(PlanDevice, why) + sizeof(pd->why), 0,
               sizeof(PlanDevice) - offsetof(PlanDevice, why) - sizeof(pd->why));
        pd->driver = r->driver;
        pd->dpdk = dpdk;
        pd->present = h->present;
        pd->rule = r;
        pd->loc = r->loc;
        pd->numa_node = h->numa_node;
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
 * agree on the driver. snap[i] (room for hw->n_devices) is the snapshot of the i-th device taken. */
static int plan_resolve_rules(Plan *p, const Config *c, const Hardware *hw, const HwDevice **snap) {
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
                snap[p->n_devices] = &hw->devices[i];
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
        /* the first letter before the calls: few drivers start with an 'm' */
        return (h->driver[0] == 'm' && (streq(h->driver, "mlx4_core") || streq(h->driver, "mlx5_core"))) ||
               (h->ids_known && h->vendor == 0x15b3 && (h->class_code >> 16) == 0x02);
}

static bool host_driver(const char *drv) {
        return !isempty(drv) && !streq(drv, "vfio-pci") && !streq(drv, "pci-stub") && !streq(drv, "pcieport");
}

static void gate_group(Plan *p, PlanDevice *d, const Hardware *hw, const HwDevice *h) {
        const HwGroup *g = hw_find_group(hw, h->iommu_group);
        char others[256];                      /* n bytes of it: not zeroed for every device */
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
                    (other && driver_is_vfio_pci(other->driver)))
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
        const MgmtDevice md = { { h->address, h->path, h->acpi_index, h->smbios_index, h->ari }, h->ifname, h->mac };
        const MgmtItem *it, *mac;

        if (!hw->mgmt.collected)
                return;
        it = mgmt_find_device(&hw->mgmt, &md);
        if (d->rule && d->rule->force) {
                d->gates[GATE_MANAGEMENT] = GATE_PASS;
                return;
        }
        /* A MAC in the evidence that no interface, record or Intel serial number gives a PCI
         * function could be any NIC whose MAC is unknown until its driver probes: no rule takes one. */
        mac = !it && isempty(h->mac) ? mgmt_next_unresolved_mac(&hw->mgmt, NULL) : NULL;
        if (mac) {
                plan_gate(p, d, GATE_MANAGEMENT, false,
                          "the management path is known only by MAC %s (from %s), which names no device "
                          "before its driver probes (no interface has it, %s records no NIC with it, no "
                          "Device Serial Number gives it), and this device's MAC is unknown until then; "
                          "no rule takes it. Name the management NIC by its path in that file (Path=pci-"
                          "<address>, or its eno/ens/enp name), or give it an Exclude=yes rule and this "
                          "rule Force=yes.", mac->value, mac->source, MGMT_NIC_MACS);
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

/* The present gate, on the device's snapshot h (NULL: not in it): whether it is there. */
static bool gate_present(Plan *p, PlanDevice *d, const HwDevice *h) {
        if (!h || !h->present) {
                plan_gate(p, d, GATE_PRESENT, false, "the device is not present on this host.");
                return false;
        }
        d->gates[GATE_PRESENT] = GATE_PASS;
        return true;
}

/* The gates on d, whose snapshot is h; d->dpdk is set. */
static void gate_device(Plan *p, const Hardware *hw, PlanDevice *d, const HwDevice *h) {
        if (!gate_present(p, d, h) || !d->dpdk)
                return;
        if (is_bifurcated(h))
                plan_gate(p, d, GATE_BIFURCATED, false,
                          "%04x:%04x (%s) is a bifurcated NIC: its DPDK PMD runs on the kernel driver, "
                          "so it is never rebound; leave it on %s (Driver= empty) and use it as it is.",
                          h->vendor, h->device, isempty(h->driver) ? "mlx4/mlx5" : h->driver,
                          isempty(h->driver) ? "its kernel driver" : h->driver);
        else
                d->gates[GATE_BIFURCATED] = GATE_PASS;
        if (driver_is_vfio_pci(d->driver)) {
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

void plan_gate_device(Plan *p, const Hardware *hw, PlanDevice *d) {
        d->dpdk = driver_is_dpdk(d->driver);
        gate_device(p, hw, d, hw_find_device(hw, d->address));
}

void plan_gate_unbind(Plan *p, const Hardware *hw, PlanDevice *d) {
        const HwDevice *h = hw_find_device(hw, d->address);

        if (gate_present(p, d, h))
                gate_management(p, d, hw, h);
}

/* The first n devices with the snapshots the rules found them in; those BindGroup= added after
 * them are looked up. */
static void plan_gates(Plan *p, const Hardware *hw, const HwDevice *const *snap, size_t n) {
        for (size_t i = 0; i < p->n_devices; i++)
                gate_device(p, hw, &p->devices[i], i < n ? snap[i] : hw_find_device(hw, p->devices[i].address));
}

/* BindGroup=yes: the other members of a selected device's group that stay on host drivers are
 * bound with it (bridges excepted). Only the full snapshot knows the groups. */
static int plan_bind_groups(Plan *p, const Hardware *hw) {
        size_t n = p->n_devices;

        for (size_t i = 0; i < n; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwDevice *h = hw_find_device(hw, d->address);
                const HwGroup *g = h ? hw_find_group(hw, h->iommu_group) : NULL;

                if (!g || !d->rule || !d->rule->bind_group || !driver_is_vfio_pci(d->driver) || d->refused)
                        continue;
                for (size_t k = 0; k < g->n_members; k++) {
                        const HwGroupMember *m = &g->members[k];
                        const HwDevice *mh = hw_find_device(hw, m->address);
                        PlanDevice *nd, *grown;

                        if ((m->class_code >> 16) == 0x06 || plan_find_device(p, m->address))
                                continue;
                        grown = realloc(p->devices, sizeof(PlanDevice) * (p->n_devices + 1));
                        if (!grown)
                                return -ENOMEM;
                        p->devices = grown;
                        d = &p->devices[i];
                        nd = &p->devices[p->n_devices++];
                        *nd = (PlanDevice) { .driver = "vfio-pci", .dpdk = true, .present = true, .rule = d->rule,
                                             .group_of = d->address, .loc = d->loc,
                                             .numa_node = mh ? mh->numa_node : -1 };
                        memcpy(nd->address, m->address, sizeof(nd->address));
                        (void) snprintf(nd->why, sizeof(nd->why), "BindGroup=yes (IOMMU group %d of %s)", g->id, d->address);
                }
        }
        return 0;
}

/* A port of the datapath: bound to a DPDK driver, no gate refused it. */
bool plan_device_is_port(const PlanDevice *d) {
        return driver_is_dpdk(d->driver) && !d->refused;
}

const CpuSet *plan_device_pmd_cores(const PlanDevice *d) {
        static const CpuSet none;

        return d->pmd_cores ?: &none;
}

/* The same for the plan's own devices, which know whether their driver is DPDK's: the plan asks
 * several times per device. */
static bool is_port(const PlanDevice *d) {
        return d->dpdk && !d->refused;
}

void plan_ovs_port_name(const PlanDevice *d, char ret[static 20]) {
        const char *a = startswith(d->address, "0000:") ? d->address + 5 : d->address;
        size_t n = 0;

        n = (size_t) snprintf(ret, 20, "dpdk-%s", a);
        for (size_t i = 5; i < n && i < 19; i++)
                if (ret[i] == ':')
                        ret[i] = '-';
}

static bool node_known(int n) {
        return n >= 0 && n < DPDK_BOOT_MAX_NODES;
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

static unsigned hugepages_total(const PlanHugepages *hp) {
        unsigned total = 0;

        if (!hp->per_node)
                return hp->count;
        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                total += hp->node_count[n];
        return total;
}

/* A NIC on a node without isolated CPUs or hugepages works, slowly: every packet crosses the
 * interconnect. Said once per node, with the numbers. */
static void plan_numa_warnings(Plan *p, const Hardware *hw) {
        uint64_t warned = 0;
        char list[256], iso[256], counts[256];

        for (size_t i = 0; i < p->n_devices && hw->n_nodes >= 2; i++) {
                const PlanDevice *d = &p->devices[i];
                const HwNode *node;
                int n = d->numa_node;

                if (!is_port(d) || !node_known(n) || (warned >> n & 1))
                        continue;
                warned |= UINT64_C(1) << n;
                node = hw_find_node(hw, n);
                if (p->cpu.set && node && !cpuset_intersects(&node->cpus, &p->cpu.isolated)) {
                        (void) cpuset_format(&node->cpus, list, sizeof(list));
                        (void) cpuset_format(&p->cpu.isolated, iso, sizeof(iso));
                        (void) strv_pushf(&p->warnings,
                                          "%s is on NUMA node %d, which has no isolated CPU (node %d: %u CPUs, %s, "
                                          "0 of them isolated; isolated: %u CPUs, %s): its datapath cores will be "
                                          "remote.", d->address, n, n, cpuset_count(&node->cpus), list,
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
                                          d->address, n, loc_file(&hp->loc), hp->loc.line,
                                          format_page_size(hp->size_kb, sz), hugepages_total(hp), counts);
                }
        }
}

/* Placement=devices: a Count= total spread evenly over the NUMA nodes of the ports, the
 * remainder on the lowest of them. Without a known node the kernel spreads it, as before. */
static void plan_place_hugepages(Plan *p, const Hardware *hw) {
        uint64_t nodes = 0;
        unsigned k, lowest;

        for (size_t i = 0; i < p->n_devices; i++)
                if (is_port(&p->devices[i]) && node_known(p->devices[i].numa_node))
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
                                                  loc_file(&hp->loc), hp->loc.line, hp->count,
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

static int plan_devices(Plan *p, const Config *c, const Hardware *hw) {
        /* each device's snapshot as the rules found it: the gates need not look it up again */
        _cleanup_free_ const HwDevice **snap = malloc(sizeof(HwDevice *) * (hw->n_devices ?: 1));
        size_t n;
        int r;

        if (!snap)
                return -ENOMEM;
        r = plan_resolve_rules(p, c, hw, snap);
        n = p->n_devices;
        if (r >= 0 && (hw->flags & HW_READ_FULL))
                r = plan_bind_groups(p, hw);
        if (r < 0)
                return r;
        plan_gates(p, hw, snap, n);
        plan_place_hugepages(p, hw);
        plan_numa_warnings(p, hw);
        return 0;
}

/* HousekeepingPerNode=N: the first N cores of every node, with their siblings, stay with the
 * system; every other online CPU is isolated. */
static int plan_cpu_derived(Plan *p, const Config *c, const Hardware *hw) {
        CpuTopology t = hw_topology(hw);
        PlanCpu *pc = &p->cpu;
        unsigned n = c->housekeeping_per_node;
        char list[256];
        int r = 0;

        pc->derived = true;
        pc->loc = c->housekeeping_per_node_loc;
        if (cpuset_is_empty(&hw->online))
                return strv_pushf(&p->problems, "%s:%u: HousekeepingPerNode= needs the host's CPUs, but "
                                  "/sys/devices/system/cpu/online could not be read.",
                                  loc_file(&pc->loc), pc->loc.line);
        /* a kernel without NUMA: the whole machine is one node */
        if (hw->n_nodes == 0)
                r = cpuset_first_cores(&hw->online, &t, n, &pc->housekeeping);
        for (size_t i = 0; i < hw->n_nodes && r >= 0; i++) {
                CpuSet cpus = hw->nodes[i].cpus, kept = {};

                cpuset_and(&cpus, &hw->online);
                r = cpuset_first_cores(&cpus, &t, n, &kept);
                if (r >= 0 && !cpuset_is_empty(&cpus) && cpuset_is_subset(&cpus, &kept)) {
                        (void) cpuset_format(&cpus, list, sizeof(list));
                        (void) strv_pushf(&p->warnings, "%s:%u: NUMA node %d has %d core%s, no more than "
                                          "HousekeepingPerNode=%u: all of its CPUs (%s) stay housekeeping.",
                                          loc_file(&pc->loc), pc->loc.line, hw->nodes[i].id, r,
                                          r == 1 ? "" : "s", n, list);
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

static int plan_cpu(Plan *p, const Config *c, const Hardware *hw) {
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

static int pick_main_core(const Plan *p, const Config *c, const Hardware *hw) {
        CpuSet candidates;

        if (c->datapath.main_core >= 0)
                return c->datapath.main_core;
        /* The first housekeeping CPU: configured or derived, else online and neither isolated nor
         * a worker. */
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
        return cpuset_first(&candidates);
}

/* CoresPerPort=: per port, in address order, among the isolated CPUs of its node (the plan's,
 * else those of this boot), a core's siblings together, never the main lcore. A shortfall is
 * counted per node (index DPDK_BOOT_MAX_NODES: ports of an unknown node). */
typedef struct NodeWant {
        unsigned ports, wanted, got;
} NodeWant;

static int pick_workers(Plan *p, const Config *c, const Hardware *hw, NodeWant want[static DPDK_BOOT_MAX_NODES + 1]) {
        CpuTopology t = hw_topology(hw);
        PlanDatapath *pd = &p->datapath;
        CpuSet free = p->cpu.set ? p->cpu.isolated : hw->isolated, main = {};

        cpuset_set(&main, (unsigned) pd->main_core);
        cpuset_andnot(&free, &main);
        for (size_t i = 0; i < p->n_devices; i++) {
                PlanDevice *d = &p->devices[i];
                const HwNode *node = node_known(d->numa_node) ? hw_find_node(hw, d->numa_node) : NULL;
                NodeWant *w = &want[node ? d->numa_node : DPDK_BOOT_MAX_NODES];
                CpuSet pool = free;
                int r;

                if (!is_port(d))
                        continue;
                if (node)
                        cpuset_and(&pool, &node->cpus);
                if (!d->pmd_cores) {
                        d->pmd_cores = calloc(1, sizeof(CpuSet));
                        if (!d->pmd_cores)
                                return -ENOMEM;
                }
                r = cpuset_pick_by_core(&pool, &t, c->datapath.cores_per_port, d->pmd_cores);
                if (r < 0)
                        return r;
                w->ports++;
                w->wanted += c->datapath.cores_per_port;
                w->got += (unsigned) r;
                cpuset_andnot(&free, d->pmd_cores);
                cpuset_or(&pd->workers, d->pmd_cores);
        }
        return 0;
}

static int plan_workers(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        NodeWant want[DPDK_BOOT_MAX_NODES + 1] = {};
        unsigned ports = 0;
        char list[256], where[32];
        int r;

        p->datapath.workers_derived = true;
        r = pick_workers(p, c, hw, want);
        if (r < 0)
                return r;
        for (unsigned n = 0; n <= DPDK_BOOT_MAX_NODES; n++) {
                const HwNode *node = n < DPDK_BOOT_MAX_NODES ? hw_find_node(hw, (int) n) : NULL;
                CpuSet iso = p->cpu.set ? p->cpu.isolated : hw->isolated;

                ports += want[n].ports;
                if (want[n].got >= want[n].wanted)
                        continue;
                if (node)
                        cpuset_and(&iso, &node->cpus);
                (void) cpuset_format(&iso, list, sizeof(list));
                if (n < DPDK_BOOT_MAX_NODES)
                        (void) snprintf(where, sizeof(where), "NUMA node %u", n);
                else
                        (void) snprintf(where, sizeof(where), "an unknown NUMA node");
                (void) strv_pushf(&p->warnings, "%s:%u: CoresPerPort=%u for %u port%s on %s wants %u isolated "
                                  "CPUs, %u %s available (isolated there: %s): the datapath runs on %s.",
                                  loc_file(&d->loc), d->loc.line, d->cores_per_port, want[n].ports,
                                  want[n].ports == 1 ? "" : "s", where, want[n].wanted, want[n].got,
                                  want[n].got == 1 ? "is" : "are", isempty(list) ? "none" : list,
                                  want[n].got ? "those" : "none of them");
        }
        if (!cpuset_is_empty(&p->datapath.workers))
                return 0;
        return strv_pushf(&p->problems, "%s:%u: CoresPerPort=%u found no worker lcore: %s; set Cores=, or isolate "
                          "CPUs on the ports' NUMA nodes ([CPU] Isolate= or HousekeepingPerNode=).",
                          loc_file(&d->loc), d->loc.line, d->cores_per_port,
                          ports == 0 ? "the datapath has no port (no device goes to a DPDK driver)"
                                     : "no isolated CPU is left on the NUMA nodes of its ports");
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

/* SocketMemory=, else on a host with several nodes TripleO's formula for every node with
 * ports. On one node there is nothing to place: DPDK takes memory as it needs it. */
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
                if (is_port(&p->devices[i]) && node_known(p->devices[i].numa_node)) {
                        ports[p->devices[i].numa_node]++;
                        any = true;
                }
        if (!any)
                return;
        pd->socket_mem_derived = true;
        pd->n_socket_mem = (unsigned) hw->nodes[hw->n_nodes - 1].id + 1;
        for (unsigned n = 0; n < pd->n_socket_mem; n++)
                pd->socket_mem_mb[n] = plan_socket_mem_mb(pd->mtu, ports[n], pd->hugepage_size_kb);
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
                                          loc_file(&hp->loc), hp->loc.line, hp->node_count[n], sz,
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
                if (is_port(&p->devices[i]))
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

                if (!is_port(&p->devices[i]))
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
        /* Any CPU list formats into this: at worst "1000-1001," then a gap, 10 bytes per 3 CPUs.
         * 256 bytes failed a valid Cores= of every other CPU up to 398 (fuzz/fuzz-config). */
        char list[CPUSET_MAX * 4], num[22];

#define IS(s) (n == sizeof(s) - 1 && strneq(name, s, n))
        if (IS("eal"))
                buf_put(b, pd->eal);
        else if (IS("lcores"))
                buf_put(b, cpuset_format(&pd->lcores, list, sizeof(list)) < 0 ? "" : list);
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
                                  loc_file(&c->datapath.exec_start_loc), c->datapath.exec_start_loc.line);
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

static int plan_datapath(Plan *p, const Config *c, const Hardware *hw) {
        const DatapathConfig *d = &c->datapath;
        PlanDatapath *pd = &p->datapath;
        char list[256];
        int r;

        pd->preset = d->preset;
        pd->main_core = pick_main_core(p, c, hw);
        if (pd->main_core < 0) {
                (void) strv_pushf(&p->problems, "%s:%u: no CPU is left for the datapath's main lcore; "
                                  "set MainCore=.", loc_file(&d->loc), d->loc.line);
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

        if (!cpuset_is_empty(&hw->online) && !cpuset_is_subset(&pd->lcores, &hw->online)) {
                (void) cpuset_format(&pd->lcores, list, sizeof(list));
                (void) strv_pushf(&p->problems, "%s:%u: the datapath's CPUs %s are not all online.",
                                  loc_file(&d->loc), d->loc.line, list);
        }
        if (!cpuset_is_subset(&pd->workers, &hw->isolated)) {
                (void) cpuset_format(&pd->workers, list, sizeof(list));
                (void) strv_pushf(&p->warnings, "The datapath's %s%s are not all isolated on this boot "
                                  "(see /sys/devices/system/cpu/isolated).",
                                  pd->workers_derived ? "worker lcores " : "Cores=", list);
        }
        pd->file_prefix = d->file_prefix ?: "dpdk-boot";
        pd->user = d->user;
        pd->extra_args = d->extra_args;
        pd->group = d->group;
        pd->mode = d->mode;
        pd->restore_on_stop = d->restore_on_stop;
        pd->restart_limit = d->restart_limit_set ? d->restart_limit : 5;
        for (size_t i = 0; i < p->n_devices; i++)
                if (is_port(&p->devices[i]) && d->preset == DATAPATH_OVS)
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
        r = plan_cpu(&p, c, hw);
        if (r >= 0)
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
        for (size_t i = 0; i < p->n_devices; i++) {
                free(p->devices[i].refusal);
                free(p->devices[i].pmd_cores);
        }
        free(p->hugepages);
        free(p->devices);
        free(p->datapath.exec_start);
        free(p->datapath.eal);
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
        bool off;
        int r;

        *c = (Context) {};
        switches_init(&c->switches);
        /* No command line (a chroot, an image) means no switches, not an error. */
        if (cmdline_read(&c->cmdline) >= 0) {
                r = switches_parse(&c->switches, c->cmdline);
                if (r < 0)
                        return r;
        }
        /* dpdk=no (rd.dpdk=no in the initrd) disables the plan whatever the config and the
         * hardware say: the generator then reads neither, so that a box booted with it to get it
         * back trips on nothing of ours. The full snapshot (status, plan) still shows both. */
        off = !(hw_flags & HW_READ_FULL) && switches_disabled_by(&c->switches, initrd);
        r = off ? config_probe(&c->config) : config_load(&c->config);
        if (r < 0)
                return r;
        if (!off) {
                r = hw_read(&c->hw, &c->config, c->cmdline, hw_flags);
                if (r < 0)
                        return r;
        }
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
