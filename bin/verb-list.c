/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helper.h"
#include "json.h"
#include "log.h"
#include "pci-names.h"
#include "plan-internal.h"
#include "plan.h"
#include "rootdir.h"

/*
 * list: every network-class PCI function of the host (class 0x02xxxx), whether the configuration
 * names it or not, the inventory `dpdk-devbind.py --status` gives. For each: what it is and where
 * (model, driver and module, NUMA node, IOMMU group, interface), whether it carries the management
 * path and on what evidence, the rule that selects it, what the next boot does with it, and, when
 * it could not be taken, the gate that says no.
 *
 * The plan is the one the generator makes (context_load_full(), plan_build()): the next boot's
 * action is read from it, never planned again here. A device no rule selects is put through the
 * plan's own gates for vfio-pci (plan_gate_device()), as a one-off `dpdk-boot bind` would be, to
 * say whether it could be taken.
 */

#define PCI_DEVICES "/sys/bus/pci/devices"

typedef struct ListEntry {
        const HwDevice *hw;
        const PlanDevice *planned;   /* NULL: no rule selects it */
        PlanDevice probe;            /* the gates for vfio-pci, when no rule selects it */
        const MgmtItem *evidence;    /* what names it as the management NIC, NULL when nothing */
        bool may;                    /* evidence could name it, none names it: the gate fails closed */
        char model[256];
        char *module;                /* the driver's kernel module, NULL when none (or unbound) */
} ListEntry;

typedef struct List {
        Context ctx;
        ListEntry *entries;
        size_t n_entries;
} List;

static const char *empty_to_null(const char *s) {
        return isempty(s) ? NULL : s;
}

static void list_done(List *l) {
        for (size_t i = 0; i < l->n_entries; i++) {
                free(l->entries[i].probe.refusal);
                free(l->entries[i].module);
        }
        free(l->entries);
        context_free(&l->ctx);
}

static bool is_network_class(const char *bdf) {
        _cleanup_free_ char *path = NULL;
        char buf[32];
        unsigned long v;
        char *end;

        if (asprintf(&path, PCI_DEVICES "/%s/class", bdf) < 0)
                return false;
        if (root_read_attr(path, buf, sizeof(buf)) <= 0)
                return false;
        errno = 0;
        v = strtoul(buf, &end, 16);
        return errno == 0 && end != buf && (v >> 16) == 0x02;
}

/* The snapshot holds the devices the configuration can use; the network functions it lacks are
 * added to it (hw_add_device(), the full read a one-off bind makes). */
static int add_network_devices(Hardware *hw) {
        _cleanup_closedir_ DIR *d = root_opendir(PCI_DEVICES);
        struct dirent *de;
        char bdf[13];
        int r;

        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                if (!pci_address_normalize(de->d_name, bdf) || !streq(bdf, de->d_name) ||
                    hw_find_device(hw, bdf) || !is_network_class(bdf))
                        continue;
                r = hw_add_device(hw, bdf);
                if (r < 0)
                        return r;
        }
        return 0;
}

static char *driver_module(const char *driver) {
        _cleanup_free_ char *path = NULL;
        char *module = NULL;

        if (isempty(driver) || asprintf(&path, "/sys/bus/pci/drivers/%s/module", driver) < 0)
                return NULL;
        if (root_readlink_basename(path, &module) < 0)
                return NULL;
        return module;
}

static void gather_entry(List *l, ListEntry *e, PciNames *names) {
        const HwDevice *h = e->hw;
        const MgmtDevice md = { { h->address, h->path, h->acpi_index, h->smbios_index, h->ari }, h->ifname, h->mac };

        e->planned = plan_find_device(&l->ctx.plan, h->address);
        if (!e->planned) {
                memcpy(e->probe.address, h->address, sizeof(e->probe.address));
                e->probe.driver = "vfio-pci";
                e->probe.present = true;
                e->probe.numa_node = -1;
                plan_gate_device(&l->ctx.plan, &l->ctx.hw, &e->probe);
        }
        e->evidence = l->ctx.hw.mgmt.collected ? mgmt_find_device(&l->ctx.hw.mgmt, &md) : NULL;
        if (!e->evidence && l->ctx.hw.mgmt.collected) {
                e->evidence = mgmt_may_name_device(&l->ctx.hw.mgmt, &md,
                                                   !h->ids_known || (h->class_code >> 16) == 0x02);
                e->may = e->evidence != NULL;
        }
        (void) pci_names_lookup(names, h->vendor, h->device, e->model, sizeof(e->model));
        e->module = driver_module(h->driver);
}

static int list_gather(List *l) {
        _cleanup_pci_names_ PciNames *names = NULL;
        const Hardware *hw = &l->ctx.hw;
        int r;

        r = helper_context_load(&l->ctx);
        if (r < 0)
                return r;
        r = add_network_devices(&l->ctx.hw);
        if (r < 0)
                return log_error_errno(r, "Failed to read the PCI devices: %m");
        r = pci_names_open(&names);
        if (r < 0)
                log_debug_errno(r, "No PCI name database, showing numbers: %m");

        l->entries = calloc(hw->n_devices ?: 1, sizeof(ListEntry));
        if (!l->entries)
                return log_oom();
        for (size_t i = 0; i < hw->n_devices; i++) {
                const HwDevice *h = &hw->devices[i];

                if (!h->present || !h->ids_known || (h->class_code >> 16) != 0x02)
                        continue;
                l->entries[l->n_entries].hw = h;
                gather_entry(l, &l->entries[l->n_entries++], names);
        }
        return 0;
}

/* The device the gates ran on: the plan's, or the vfio-pci probe of one no rule selects. */
static const PlanDevice *entry_gated(const ListEntry *e) {
        return e->planned ?: &e->probe;
}

/* What the next boot does: "bind", "kernel-driver", "refused", "left-out", "untouched", or "none"
 * when the plan is not active (no configuration, disabled, invalid). */
static const char *entry_action(const List *l, const ListEntry *e) {
        const PlanDevice *d = e->planned;

        if (l->ctx.plan.state != PLAN_ACTIVE)
                return "none";
        if (!d)
                return "untouched";
        if (d->refused)
                return d->skipped ? "left-out" : "refused";
        return isempty(d->driver) ? "kernel-driver" : "bind";
}

static const char *mgmt_kind_word(MgmtKind k) {
        switch (k) {
        case MGMT_NAME:
                return "interface";
        case MGMT_MAC:
                return "MAC";
        case MGMT_GLOB:
                return "interface pattern";
        case MGMT_PATH_GLOB:
                return "path pattern";
        case MGMT_ANY:
                return "any";
        default:
                return "device";
        }
}

static void json_entry(JsonWriter *w, const List *l, const ListEntry *e) {
        const HwDevice *h = e->hw;
        const PlanDevice *g = entry_gated(e);
        const char *action = entry_action(l, e);
        char buf[16];

        json_begin_object(w, NULL);
        json_string(w, "address", h->address);
        (void) snprintf(buf, sizeof(buf), "%04x:%04x", h->vendor, h->device);
        json_string(w, "id", buf);
        (void) snprintf(buf, sizeof(buf), "%06x", h->class_code);
        json_string(w, "class", buf);
        json_string(w, "model", e->model);
        json_string(w, "driver", empty_to_null(h->driver));
        json_string(w, "module", e->module);
        if (h->numa_node >= 0)
                json_int(w, "numa_node", h->numa_node);
        else
                json_null(w, "numa_node");
        if (h->iommu_group >= 0)
                json_int(w, "iommu_group", h->iommu_group);
        else
                json_null(w, "iommu_group");
        json_string(w, "interface", empty_to_null(h->ifname));
        json_string(w, "mac", empty_to_null(h->mac));

        json_begin_object(w, "management");
        json_bool(w, "carries", e->evidence && !e->may);
        json_bool(w, "may_carry", e->may);
        json_string(w, "kind", e->evidence ? mgmt_kind_word(e->evidence->kind) : NULL);
        json_string(w, "value", e->evidence ? e->evidence->value : NULL);
        json_string(w, "source", e->evidence ? e->evidence->source : NULL);
        json_bool(w, "forced", e->evidence && e->planned && e->planned->force);
        json_end_object(w);

        if (e->planned) {
                json_begin_object(w, "rule");
                json_string(w, "file", plan_loc_file(&e->planned->loc));
                json_uint(w, "line", e->planned->loc.line);
                json_string(w, "match", e->planned->why);
                json_end_object(w);
        } else
                json_null(w, "rule");

        json_begin_object(w, "next_boot");
        json_string(w, "action", action);
        json_string(w, "driver", streq(action, "bind") ? e->planned->driver : NULL);
        json_end_object(w);

        json_bool(w, "eligible", !g->refused);
        if (g->refused) {
                json_begin_object(w, "ineligible");
                json_string(w, "gate", gate_id_to_string(g->refused_by));
                json_string(w, "reason", plan_device_refusal_message(g));
                json_end_object(w);
        } else
                json_null(w, "ineligible");
        json_end_object(w);
}

static int list_json(const List *l) {
        char buf[64];
        JsonWriter w;

        json_init(&w, stdout);
        json_begin_object(&w, NULL);
        json_string(&w, "plan_state", plan_state_to_string(l->ctx.plan.state));
        json_string(&w, "plan", plan_state_describe(&l->ctx.plan, buf, sizeof(buf)));
        json_begin_array(&w, "devices");
        for (size_t i = 0; i < l->n_entries; i++)
                json_entry(&w, l, &l->entries[i]);
        json_end_array(&w);
        json_end_object(&w);
        return json_finish(&w);
}

static void format_next(const List *l, const ListEntry *e, char *buf, size_t size) {
        const char *action = entry_action(l, e);

        if (streq(action, "bind"))
                (void) snprintf(buf, size, "bind %s", e->planned->driver);
        else if (streq(action, "kernel-driver"))
                (void) snprintf(buf, size, "kernel driver%s",
                                e->planned->stays_on ? ", a bifurcated port of the datapath" : "");
        else if (streq(action, "refused") || streq(action, "left-out"))
                (void) snprintf(buf, size, "%s [%s]", action, gate_id_to_string(e->planned->refused_by));
        else
                (void) snprintf(buf, size, "%s", action);
}

static void text_entry(const List *l, const ListEntry *e) {
        const HwDevice *h = e->hw;
        const PlanDevice *g = entry_gated(e);
        char node[12] = "-", group[12] = "-", next[96];

        if (h->numa_node >= 0)
                (void) snprintf(node, sizeof(node), "%d", h->numa_node);
        if (h->iommu_group >= 0)
                (void) snprintf(group, sizeof(group), "%d", h->iommu_group);
        format_next(l, e, next, sizeof(next));
        printf("%-12s  %-12s %-12s %4s %5s  %-15s %-4s %-24s %s\n", h->address,
               isempty(h->driver) ? "-" : h->driver, e->module ?: "-", node, group,
               isempty(h->ifname) ? "-" : h->ifname, e->may ? "may" : e->evidence ? "yes" : "no", next, e->model);
        if (e->planned)
                printf("              rule: %s:%u (%s)\n", plan_loc_file(&e->planned->loc),
                       e->planned->loc.line, e->planned->why);
        if (e->may && e->evidence->kind == MGMT_ANY)
                printf("              management may be: %s %s\n", e->evidence->value, e->evidence->source);
        else if (e->may)
                printf("              management may be: %s \"%s\" from %s, which names no device before its "
                       "driver probes\n", mgmt_kind_word(e->evidence->kind), e->evidence->value,
                       e->evidence->source);
        else if (e->evidence)
                printf("              management: %s \"%s\" from %s%s\n", mgmt_kind_word(e->evidence->kind),
                       e->evidence->value, e->evidence->source,
                       e->planned && e->planned->force ? " (the rule says Force=yes)" : "");
        if (g->refused)
                printf("              %s [%s]: %s\n", e->planned ? "refused" : "not eligible for vfio-pci",
                       gate_id_to_string(g->refused_by), plan_device_refusal_message(g) ?: "refused");
}

static void list_text(const List *l) {
        char buf[64];

        printf("Plan: %s\n", plan_state_describe(&l->ctx.plan, buf, sizeof(buf)));
        printf("%-12s  %-12s %-12s %4s %5s  %-15s %-4s %-24s %s\n", "ADDRESS", "DRIVER", "MODULE", "NODE",
               "GROUP", "INTERFACE", "MGMT", "NEXT BOOT", "MODEL");
        for (size_t i = 0; i < l->n_entries; i++)
                text_entry(l, &l->entries[i]);
        if (l->n_entries == 0)
                printf("(no network-class PCI functions)\n");
}

int verb_list(int argc, char **argv) {
        _cleanup_(list_done) List l = {};
        int r;

        (void) argc;
        (void) argv;
        if (list_gather(&l) < 0)
                return EXIT_FAILURE;
        if (!arg_json) {
                list_text(&l);
                return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
        }
        r = list_json(&l);
        if (r < 0)
                return log_error_errno(r, "Failed to write the list: %m"), EXIT_FAILURE;
        return EXIT_SUCCESS;
}
