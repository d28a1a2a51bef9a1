/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "plan-internal.h"
#include "string-table.h"

/*
 * The safety gates, run on every device the rules selected, in the generator and the CLI alike:
 * present, the IOMMU and the viability of its group, firmware 1:1 mappings (RMRR), bifurcated
 * NICs (refused a DPDK driver; left on their kernel driver, ports of the datapath there), and
 * the management path. The driver gate needs libkmod and runs in the bind unit.
 */

static const char *const gate_id_table[_GATE_MAX] = {
        [GATE_PRESENT] = "present",
        [GATE_IOMMU] = "iommu",
        [GATE_GROUP] = "iommu-group",
        [GATE_RMRR] = "rmrr",
        [GATE_BIFURCATED] = "bifurcated",
        [GATE_SRIOV] = "sriov",
        [GATE_MANAGEMENT] = "management",
        [GATE_DRIVER] = "driver",
};

DEFINE_STRING_TABLE_LOOKUP(gate_id, GateId);

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
        if (asprintf(&d->refusal, "[%s] %s", gate_id_table[g], msg) < 0)
                d->refusal = NULL;
        line = gate_refusal_line(d->address, g, d->skipped, msg);
        if (line)
                (void) strv_pushf(d->skipped ? &p->warnings : &p->problems, "%s:%u: %s",
                                  plan_loc_file(&d->loc), d->loc.line, line);
}

const char *plan_device_refusal_message(const PlanDevice *d) {
        /* d->refusal is "[gate] message" */
        if (!d->refused || !d->refusal)
                return NULL;
        return d->refusal + strlen(gate_id_table[d->refused_by]) + 3;
}

/*
 * A bifurcated NIC's PMD (DPDK's mlx4 and mlx5) drives the port through the kernel's driver and
 * its RDMA stack: the RDMA driver on top of the NIC driver, and ib_uverbs, whose uverbs node the
 * PMD opens. Neither PMD needs device arguments for its Ethernet ports: mlx5 probes as "eth"
 * unless class= says otherwise, and mlx4 takes every port of its PCI function from one -a.
 */
typedef struct BifurcatedDriver {
        const char *name;
        const char *modules[3];
} BifurcatedDriver;

static const BifurcatedDriver bifurcated_drivers[] = {
        { "mlx4_core", { "mlx4_ib", "ib_uverbs", NULL } },
        { "mlx5_core", { "mlx5_ib", "ib_uverbs", NULL } },
};

static const BifurcatedDriver *bifurcated_lookup(const char *name) {
        for (size_t i = 0; name && i < ELEMENTSOF(bifurcated_drivers); i++)
                if (streq(name, bifurcated_drivers[i].name))
                        return &bifurcated_drivers[i];
        return NULL;
}

/* On a driver of the table, or a Mellanox network device on any other driver (or none yet). */
static bool is_bifurcated(const HwDevice *h) {
        return bifurcated_lookup(h->driver) ||
               (h->ids_known && h->vendor == 0x15b3 && (h->class_code >> 16) == 0x02);
}

const char *plan_bifurcated_driver(const char *name) {
        const BifurcatedDriver *b = bifurcated_lookup(name);

        return b ? b->name : NULL;
}

const char *const *plan_bifurcated_modules(const char *driver) {
        const BifurcatedDriver *b = bifurcated_lookup(driver);

        return b ? b->modules : NULL;
}

/* The kernel driver a bifurcated NIC stays on: the one it is on, else (not probed yet, or on
 * another driver now) mlx4_core for the ConnectX-3 family, whose IDs are few, mlx5_core for the
 * others. */
static const char *bifurcated_kernel_driver(const HwDevice *h) {
        if (plan_bifurcated_driver(h->driver))
                return plan_bifurcated_driver(h->driver);
        if (h->ids_known && (h->device == 0x1003 || h->device == 0x1004 || h->device == 0x1007))
                return "mlx4_core";
        return "mlx5_core";
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
        const MgmtItem *it, *mac, *any;

        if (!hw->mgmt.collected)
                return;
        it = mgmt_find_device(&hw->mgmt, &md);
        /* Evidence that could name any NIC: only a rule that names this one by address and
         * forces it takes it. */
        any = !h->ids_known || (h->class_code >> 16) == 0x02 ? mgmt_any(&hw->mgmt) : NULL;
        if (any && !(d->rule && d->rule->force && !isempty(d->rule->address))) {
                if (any->origin == MGMT_FROM_CMDLINE)
                        plan_gate(p, d, GATE_MANAGEMENT, false,
                                  "the kernel command line's %s makes the boot bring up a network without "
                                  "naming its NIC, so this NIC may carry it, and no rule takes a NIC that "
                                  "may. Name the boot's NIC on the command line (BOOTIF=, ifname= or "
                                  "ip=<interface>:...), or name this NIC by Address= in a rule with "
                                  "Force=yes.", any->value);
                else
                        plan_gate(p, d, GATE_MANAGEMENT, false,
                                  "the management evidence %s %s, so it could name this NIC, and no rule "
                                  "takes a NIC it could name. Fix it (a readable regular file, well-formed, "
                                  "that matches by name, MAC or Path=) or remove it, or name this NIC by "
                                  "Address= in a rule with Force=yes.", any->value, any->source);
                return;
        }
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
                  it->kind == MGMT_NAME ? "interface" : it->kind == MGMT_MAC ? "MAC" :
                  it->kind == MGMT_GLOB ? "interface pattern" : it->kind == MGMT_PATH_GLOB ? "path pattern" : "device",
                  it->value, it->source);
}

/* A PF's virtual functions live as long as its kernel driver holds it: taking it off that driver
 * (to a DPDK driver, or unbound) destroys them and whatever runs on them. Only the full snapshot
 * (or a config that uses SR-IOV) reads sriov_numvfs; VirtualFunctions= asks for them. */
static void gate_sriov(Plan *p, PlanDevice *d, const HwDevice *h) {
        const PlanSriov *s = plan_find_sriov(p, h->address);
        const char *driver = isempty(h->driver) ? "its kernel driver" : h->driver;

        if (h->sriov_numvfs < 0 && !s)
                return;
        if ((h->sriov_numvfs <= 0 && (!s || s->numvfs == 0)) || (d->rule && d->rule->force)) {
                d->gates[GATE_SRIOV] = GATE_PASS;
                return;
        }
        if (h->sriov_numvfs <= 0)
                plan_gate(p, d, GATE_SRIOV, false,
                          "it is an SR-IOV physical function asked to carry %u virtual function%s "
                          "(VirtualFunctions= at %s:%u); taking it off %s would destroy them. Leave the PF on "
                          "its kernel driver (no Driver=), or say Force=yes on the rule to take the PF instead.",
                          s->numvfs, s->numvfs == 1 ? "" : "s", plan_loc_file(&s->loc), s->loc.line, driver);
        else
                plan_gate(p, d, GATE_SRIOV, false,
                          "it is an SR-IOV physical function carrying %d virtual function%s (sriov_numvfs); taking "
                          "it off %s would destroy them, with whatever uses them. Select the virtual functions "
                          "instead, or say Force=yes on the rule to take the PF anyway.",
                          h->sriov_numvfs, h->sriov_numvfs == 1 ? "" : "s", driver);
}

/* The present gate, on the device's snapshot h (NULL: not in it): whether it is there, or is a
 * VF this boot creates on a PF that keeps its driver. A VF of a PF taken off its kernel driver
 * (Force=yes) is not there either way: one to be created is not, and one that exists now (the
 * count already right) is destroyed by the PF driver's unbind. */
static bool gate_present(Plan *p, PlanDevice *d, const HwDevice *h) {
        const PlanSriov *s = h ? plan_find_sriov(p, h->physfn) : NULL;

        if (s && s->skipped) {
                plan_gate(p, d, GATE_PRESENT, false, h->vf_planned ?
                          "it is virtual function %d of %s, which is not created: the PF itself is taken off its "
                          "kernel driver (Force=yes)." :
                          "it is virtual function %d of %s, which the kernel destroys when the PF itself is taken "
                          "off its kernel driver (Force=yes).", h->vf_index, s->pf);
                return false;
        }
        if (!h || (!h->present && !(s && h->vf_planned))) {
                plan_gate(p, d, GATE_PRESENT, false, "the device is not present on this host.");
                return false;
        }
        d->gates[GATE_PRESENT] = GATE_PASS;
        return true;
}

/* A bifurcated NIC a rule leaves on the kernel's driver is a port of the datapath on that
 * driver: no IOMMU is involved and its VFs stay; only the management gate applies, since the
 * PMD takes the port's traffic from the kernel's interface. */
static void gate_bifurcated_port(Plan *p, PlanDevice *d, const Hardware *hw, const HwDevice *h) {
        d->stays_on = bifurcated_kernel_driver(h);
        d->gates[GATE_BIFURCATED] = GATE_PASS;
        if (h->vf_planned)
                d->gates[GATE_MANAGEMENT] = GATE_PASS;
        else
                gate_management(p, d, hw, h);
}

/* The gates on d, whose snapshot is h; d->dpdk is set. */
static void gate_device(Plan *p, const Hardware *hw, PlanDevice *d, const HwDevice *h) {
        if (!gate_present(p, d, h))
                return;
        if (!d->dpdk) {
                if (isempty(d->driver) && is_bifurcated(h))
                        gate_bifurcated_port(p, d, hw, h);
                return;
        }
        if (is_bifurcated(h))
                plan_gate(p, d, GATE_BIFURCATED, false,
                          "%04x:%04x (%s) is a bifurcated NIC: its DPDK PMD runs on the kernel driver, "
                          "so it is never rebound. Leave Driver= empty on its rule to give it to the "
                          "datapath on %s.",
                          h->vendor, h->device, isempty(h->driver) ? "mlx4/mlx5" : h->driver,
                          bifurcated_kernel_driver(h));
        else
                d->gates[GATE_BIFURCATED] = GATE_PASS;
        if (driver_is_vfio_pci(d->driver)) {
                /* A VF to be created gets its group when it appears. */
                if (!hw->iommu_present || (h->iommu_group < 0 && !h->vf_planned))
                        plan_gate(p, d, GATE_IOMMU, false,
                                  "no IOMMU%s, so vfio-pci cannot take it: enable VT-d/AMD-Vi in the "
                                  "firmware and add intel_iommu=on (or amd_iommu=on) to the kernel command line.",
                                  hw->iommu_present ? " group for this device" : " is enabled (/sys/class/iommu is empty)");
                else {
                        d->gates[GATE_IOMMU] = GATE_PASS;
                        gate_group(p, d, hw, h);
                }
        }
        /* A VF this boot creates carries nothing yet, and no route can name it. */
        if (h->vf_planned)
                d->gates[GATE_MANAGEMENT] = GATE_PASS;
        else
                gate_management(p, d, hw, h);
        gate_sriov(p, d, h);
}

void plan_gate_device(Plan *p, const Hardware *hw, PlanDevice *d) {
        d->dpdk = driver_is_dpdk(d->driver);
        gate_device(p, hw, d, hw_find_device(hw, d->address));
}

void plan_gate_unbind(Plan *p, const Hardware *hw, PlanDevice *d) {
        const HwDevice *h = hw_find_device(hw, d->address);

        if (gate_present(p, d, h)) {
                gate_management(p, d, hw, h);
                gate_sriov(p, d, h);
        }
}

void plan_gates(Plan *p, const Hardware *hw) {
        for (size_t i = 0; i < p->n_devices; i++)
                gate_device(p, hw, &p->devices[i], hw_find_device(hw, p->devices[i].address));
}

