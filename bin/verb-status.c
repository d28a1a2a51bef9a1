/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcated.h"
#include "boot-plans.h"
#include "bootloader.h"
#include "checks.h"
#include "config-stamp.h"
#include "helper-cleanup.h"
#include "helper.h"
#include "hugepages.h"
#include "json.h"
#include "kmod-util.h"
#include "log.h"
#include "pci-names.h"
#include "pcidev.h"
#include "plan-format.h"
#include "plan-json.h"
#include "plan.h"
#include "render.h"
#include "rootdir.h"
#include "unit-state.h"

/*
 * status: one screen answering "is DPDK up as configured, and if not, why not". The facts are
 * gathered once into a Status, then printed as text or JSON. Never fails for lack of D-Bus or
 * of a name database: those show as "unknown" or as numbers.
 *
 * Exit status: 0 up as configured, 1 not up (problems listed), 2 config invalid, 3 disabled or
 * no config.
 */

#define STATUS_UP 0
#define STATUS_PROBLEMS 1
#define STATUS_INVALID 2
#define STATUS_OFF 3

typedef struct NodeStatus {
        int node;
        bool has_request;      /* per-node count configured for this size */
        unsigned requested, reserved, free;
} NodeStatus;

typedef struct SizeStatus {
        uint64_t size_kb;
        unsigned requested, reserved, free;
        NodeStatus nodes[DPDK_BOOT_MAX_NODES];
        unsigned n_nodes;
} SizeStatus;

typedef struct DeviceStatus {
        const PlanDevice *plan;
        const HwDevice *hw;    /* NULL when not present */
        char name[256];
        bool ok;
        /* The driver gate, which only the bind unit runs: checked here for a device that is not
         * on its target driver, so that status says why (a missing or deny-listed module). */
        GateResult driver_gate;
        char driver_refusal[256];
} DeviceStatus;

typedef struct Status {
        Context ctx;
        SizeStatus sizes[16];
        size_t n_sizes;
        DeviceStatus *devices;
        char *active_state;
        InitrdStamp initrd;    /* the configuration the initramfs stage ran with */
        BootPlan boot_plan, initrd_plan; /* what this boot's generators wrote */
        Strv problems;
        Strv kargs_stale;      /* words an earlier dpdk-boot kargs wrote that the plan no longer needs */
        int exit_status;
} Status;

/* Words of ours the boot loader still carries that the plan no longer needs, as the generator
 * reads them. A file that cannot be read is no drift here either. Returns < 0 only when out of
 * memory. */
static int gather_kargs_stale(Status *s) {
        int r;

        r = kargs_stale_load(&s->ctx.plan.kernel.args, &s->kargs_stale);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                log_debug_errno(r, "Failed to read %s%s, ignoring: %m", root_get(), KARGS_OWNED_FILE);
        return 0;
}

static void status_done(Status *s) {
        context_free(&s->ctx);
        boot_plan_done(&s->boot_plan);
        boot_plan_done(&s->initrd_plan);
        free(s->devices);
        free(s->active_state);
        strv_free(&s->problems);
        strv_free(&s->kargs_stale);
}

static SizeStatus *status_add_size(Status *s, uint64_t kb) {
        for (size_t i = 0; i < s->n_sizes; i++)
                if (s->sizes[i].size_kb == kb)
                        return &s->sizes[i];
        if (s->n_sizes >= ELEMENTSOF(s->sizes))
                return NULL;
        s->sizes[s->n_sizes] = (SizeStatus) { .size_kb = kb };
        return &s->sizes[s->n_sizes++];
}

static int cmp_size(const void *a, const void *b) {
        const SizeStatus *x = a, *y = b;

        return x->size_kb < y->size_kb ? -1 : x->size_kb > y->size_kb;
}

static void gather_nodes(Status *s, SizeStatus *z, const PlanHugepages *h) {
        const Hardware *hw = &s->ctx.hw;

        for (unsigned i = 0; i < hw->n_nodes && z->n_nodes < DPDK_BOOT_MAX_NODES; i++) {
                NodeStatus *n = &z->nodes[z->n_nodes++];

                *n = (NodeStatus) { .node = hw->nodes[i].id };
                if (h && h->per_node && n->node >= 0 && n->node < DPDK_BOOT_MAX_NODES) {
                        n->has_request = true;
                        n->requested = h->node_count[n->node];
                }
                (void) hugepages_read(z->size_kb, n->node, "nr_hugepages", &n->reserved);
                (void) hugepages_read(z->size_kb, n->node, "free_hugepages", &n->free);
        }
}

/* Every size the kernel offers, and every size the plan asks for, smallest first. */
static void gather_hugepages(Status *s) {
        const Hardware *hw = &s->ctx.hw;
        const Plan *p = &s->ctx.plan;

        for (unsigned i = 0; i < hw->n_page_sizes; i++)
                (void) status_add_size(s, hw->page_sizes_kb[i]);
        for (size_t i = 0; i < p->n_hugepages; i++)
                (void) status_add_size(s, p->hugepages[i].size_kb);
        qsort_safe(s->sizes, s->n_sizes, sizeof(SizeStatus), cmp_size);

        for (size_t i = 0; i < s->n_sizes; i++) {
                SizeStatus *z = &s->sizes[i];
                const PlanHugepages *h = plan_find_hugepages(p, z->size_kb);

                z->requested = h ? plan_hugepages_total(h) : 0;
                (void) hugepages_read(z->size_kb, -1, "nr_hugepages", &z->reserved);
                (void) hugepages_read(z->size_kb, -1, "free_hugepages", &z->free);
                gather_nodes(s, z, h);
        }
}

static bool device_ok(const PlanDevice *d, const HwDevice *hd) {
        if (!hd || !hd->present || !driver_satisfies(hd->driver, d->driver ?: ""))
                return false;
        if (d->stays_on) {
                _cleanup_(strv_free) Strv missing = {};

                return streq(hd->driver, d->stays_on) && bifurcated_check_uverbs(d, &missing) >= 0 &&
                       missing.n == 0;
        }
        if (!driver_is_vfio(d->driver))
                return true;
        return hd->iommu_group >= 0 && vfio_group_exists(hd->iommu_group) > 0;
}

/* Can the target driver of a device that is not on it be had? The bind unit's own words. */
static void check_driver_gate(DeviceStatus *d, struct kmod_ctx *kctx) {
        const char *target = d->plan->driver;
        int r;

        if (d->ok || !d->hw || d->plan->refused || isempty(target) || !kctx)
                return;
        if (pci_driver_registered(target) > 0) {
                d->driver_gate = GATE_PASS;
                return;
        }
        r = kmod_load(kctx, target, /* dry_run= */ true);
        if (r == -ENOENT || r == -EPERM) {
                d->driver_gate = GATE_FAIL;
                (void) snprintf(d->driver_refusal, sizeof(d->driver_refusal), r == -EPERM
                         ? "[driver] module %s is deny-listed (a modprobe.d blacklist line), so it is not loaded; "
                           "remove the blacklist entry or choose another Driver=."
                         : "[driver] no kernel module provides %s for this kernel; install it (igb_uio comes "
                           "from dpdk-kmods) or choose another Driver=.", target);
        } else if (r >= 0)
                d->driver_gate = GATE_PASS;
}

static int gather_devices(Status *s) {
        _cleanup_pci_names_ PciNames *names = NULL;
        _cleanup_kmod_ctx_ struct kmod_ctx *kctx = NULL;
        const Plan *p = &s->ctx.plan;
        int r;

        if (root_is_host())
                (void) kmod_setup(&kctx);
        s->devices = calloc(p->n_devices ?: 1, sizeof(DeviceStatus));
        if (!s->devices)
                return -ENOMEM;

        r = pci_names_open(&names);
        if (r < 0)
                log_debug_errno(r, "No PCI name database, showing numbers: %m");

        for (size_t i = 0; i < p->n_devices; i++) {
                DeviceStatus *d = &s->devices[i];
                const HwDevice *hd = hw_find_device(&s->ctx.hw, p->devices[i].address);

                d->plan = &p->devices[i];
                d->hw = hd && hd->present ? hd : NULL;
                if (d->hw)
                        (void) pci_names_lookup(names, hd->vendor, hd->device, d->name, sizeof(d->name));
                d->ok = device_ok(d->plan, d->hw);
                check_driver_gate(d, kctx);
        }
        return 0;
}

/* Why DPDK is not up: the state first, then what the plan knew, then what is wrong now. */
static int gather_problems(Status *s) {
        const Plan *p = &s->ctx.plan;
        int r = 0;

        if (p->state == PLAN_NO_CONFIG)
                r = strv_pushf(&s->problems, "no configuration: create %s", CONFIG_MAIN_FILE);
        else if (p->state == PLAN_DISABLED)
                r = strv_pushf(&s->problems, "switched off on the kernel command line (%s)",
                               p->disabled_by ?: "dpdk=no");
        else if (p->state == PLAN_INVALID)
                r = strv_pushf(&s->problems, "the configuration has %zu error%s; run 'dpdk-boot check'",
                               s->ctx.config.errors.n, s->ctx.config.errors.n == 1 ? "" : "s");
        for (size_t i = 0; r >= 0 && i < p->problems.n; i++)
                if (!strv_contains(&s->problems, p->problems.v[i]))
                        r = strv_pushf(&s->problems, "%s", p->problems.v[i]);
        if (r < 0 || p->state != PLAN_ACTIVE)
                return r;

        if (s->boot_plan.r == -ENOENT)
                r = strv_pushf(&s->problems, "no plan for this boot (%s): the generator has not run with this "
                               "configuration; run 'systemctl daemon-reload', or reboot", PLAN_FILE);
        if (r >= 0)
                r = check_hugepages(p, &s->problems);
        if (r >= 0)
                r = check_devices(p, &s->problems);
        if (r >= 0 && s->ctx.config.kernel.manage_args) {
                _cleanup_free_ char *kargs = NULL;

                /* each file it writes is replaced whole: the old one or the new one is in place */
                if (unit_active_state(UNIT_KARGS, &kargs) >= 0 && streq(kargs, "failed"))
                        r = strv_pushf(&s->problems, UNIT_KARGS " failed: the kernel arguments were not all "
                                       "persisted (each boot loader file holds its old or its new content); see "
                                       "'journalctl -u " UNIT_KARGS "', then run 'dpdk-boot kargs'");
        }
        if (r >= 0 && p->do_datapath && p->datapath.preset != DATAPATH_NONE &&
            !streq(s->active_state, "active") && !streq(s->active_state, "unknown")) {
                _cleanup_free_ char *verify = NULL;

                r = strv_pushf(&s->problems, "%s is %s; see 'journalctl -u %s'",
                               p->datapath.unit, s->active_state, p->datapath.unit);
                if (r >= 0 && unit_active_state(UNIT_VERIFY, &verify) >= 0 && streq(verify, "failed"))
                        r = strv_pushf(&s->problems, UNIT_VERIFY " failed, so the datapath was not started; "
                                       "see 'journalctl -u " UNIT_VERIFY "'");
                /* while it does not run, its pages must be free for it */
                if (r >= 0)
                        r = check_datapath_memory(p, &s->problems);
        }
        return r;
}

static int status_gather(Status *s) {
        int r;

        r = helper_context_load(&s->ctx);
        if (r < 0)
                return r;
        r = boot_plan_load(&s->boot_plan, /* initrd= */ false, &s->ctx.plan);
        if (r >= 0)
                r = boot_plan_load(&s->initrd_plan, /* initrd= */ true, NULL);
        if (r < 0)
                return log_oom();
        gather_hugepages(s);
        r = gather_devices(s);
        if (r >= 0)
                r = unit_active_state(s->ctx.plan.datapath.unit ?: UNIT_DATAPATH, &s->active_state);
        if (r >= 0)
                r = gather_problems(s);
        /* Drift is reported, not a problem: what runtime allows is done regardless. The kernel
         * arguments are the plan's own (plan.kernel), those the generator warns about. */
        if (r >= 0 && s->ctx.plan.state == PLAN_ACTIVE)
                r = gather_kargs_stale(s);
        if (r < 0)
                return log_oom();
        /* A stale initramfs is no reason for DPDK to be down (the real root does the work):
         * said, but not a problem. */
        r = initrd_stamp_check(&s->ctx.config, &s->initrd);
        if (r < 0)
                log_debug_errno(r, "Cannot compare the initramfs configuration stamp, ignoring: %m");

        switch (s->ctx.plan.state) {
        case PLAN_INVALID:
                s->exit_status = STATUS_INVALID;
                break;
        case PLAN_DISABLED:
        case PLAN_NO_CONFIG:
                s->exit_status = STATUS_OFF;
                break;
        case PLAN_ACTIVE:
        case _PLAN_STATE_MAX: /* not a state */
                s->exit_status = s->problems.n > 0 ? STATUS_PROBLEMS : STATUS_UP;
        }
        return 0;
}

static bool status_enabled(const Status *s) {
        return s->ctx.plan.state == PLAN_ACTIVE || s->ctx.plan.state == PLAN_INVALID;
}

/* Text. */

static const char *mark(bool ok) {
        static char buf[64];

        (void) snprintf(buf, sizeof(buf), "%s%s%s", ok ? ansi_highlight_green() : ansi_highlight_red(),
                        ok ? "ok" : "FAIL", ansi_normal());
        return buf;
}

static void print_state_text(const Status *s) {
        const Plan *p = &s->ctx.plan;
        const Config *c = &s->ctx.config;

        printf("State:     %s%s%s%s%s\n", s->exit_status == STATUS_UP ? ansi_highlight_green() :
               ansi_highlight_red(), plan_state_to_string(p->state),
               p->disabled_by ? " by " : "", p->disabled_by ?: "", ansi_normal());
        printf("Config:    %s", !c->exists ? "none" : config_ok(c) ? "ok" : "INVALID");
        for (size_t i = 0; i < c->files.n; i++)
                printf("%s%s", i == 0 ? " (" : ", ", c->files.v[i]);
        printf("%s\n", c->files.n > 0 ? ")" : "");
        for (size_t i = 0; i < c->errors.n; i++)
                printf("           %s\n", c->errors.v[i]);
        if (s->initrd == INITRD_STAMP_STALE)
                printf("Initramfs: %s%s%s\n", ansi_highlight_yellow(), INITRD_STALE_MESSAGE, ansi_normal());
        else if (s->initrd == INITRD_STAMP_CURRENT)
                printf("Initramfs: set up with this config\n");
        if (p->state == PLAN_ACTIVE || s->boot_plan.r != -ENOENT)
                boot_plans_print_text(&s->boot_plan, &s->initrd_plan);
}

static void print_hugepages_text(const Status *s) {
        printf("Hugepages: %-6s %9s %9s %9s\n", "size", "requested", "reserved", "free");
        for (size_t i = 0; i < s->n_sizes; i++) {
                const SizeStatus *z = &s->sizes[i];
                char size[16];

                printf("           %-6s %9u %9u %9u\n", format_page_size(z->size_kb, size),
                       z->requested, z->reserved, z->free);
                for (unsigned j = 0; j < z->n_nodes; j++) {
                        const NodeStatus *n = &z->nodes[j];
                        char req[16] = "-";

                        if (n->has_request)
                                (void) snprintf(req, sizeof(req), "%u", n->requested);
                        printf("             node%-2i %9s %9u %9u\n", n->node, req, n->reserved, n->free);
                }
        }
}

/* The result of gate g for this device: the plan's, or for the driver gate the one run here. */
static GateResult device_gate(const DeviceStatus *s, GateId g) {
        return g == GATE_DRIVER && s->driver_gate != GATE_UNCHECKED ? s->driver_gate : s->plan->gates[g];
}

/* One line per device: the rule that picked it, then each gate by its stable id. */
static void print_device_gates_text(const DeviceStatus *s) {
        const PlanDevice *d = s->plan;

        printf("      rule %s:%u %s\n", d->loc.file ?: CONFIG_MAIN_FILE, d->loc.line, d->why);
        printf("      gates");
        for (GateId g = 0; g < _GATE_MAX; g++)
                if (device_gate(s, g) != GATE_UNCHECKED)
                        printf(" %s=%s", gate_id_to_string(g), device_gate(s, g) == GATE_PASS ? "ok" : "FAILED");
        printf("\n");
        if (d->refusal)
                printf("      %s %s\n", d->skipped ? "left out:" : "refused:", d->refusal);
        else if (s->driver_gate == GATE_FAIL)
                printf("      refused: %s\n", s->driver_refusal);
}

static void print_devices_text(const Status *s) {
        if (s->ctx.plan.n_devices > 0)
                printf("Devices:\n");
        for (size_t i = 0; i < s->ctx.plan.n_devices; i++) {
                const DeviceStatus *d = &s->devices[i];
                const char *want = d->plan->stays_on ?: isempty(d->plan->driver) ? "kernel driver" : d->plan->driver;

                if (!d->hw) {
                        printf("  %s  (not present)  wanted %s  %s\n", d->plan->address, want, mark(false));
                        continue;
                }
                printf("  %s  %s\n", d->plan->address, d->name);
                printf("      numa %i, iommu group ", d->hw->numa_node);
                if (d->hw->iommu_group >= 0)
                        printf("%i", d->hw->iommu_group);
                else
                        printf("none");
                printf(", driver %s, wanted %s  %s\n", isempty(d->hw->driver) ? "none" : d->hw->driver, want,
                       d->plan->skipped ? "left out" : mark(d->ok));
                print_device_gates_text(d);
        }
}

/* The CPUs the plan isolates, and what this boot isolates (/sys/devices/system/cpu/isolated). */
static void print_cpu_text(const Status *s) {
        const PlanCpu *c = &s->ctx.plan.cpu;
        _cleanup_free_ char *iso = NULL, *hk = NULL, *now = NULL;

        if (!c->set)
                return;
        iso = cpuset_to_string(&c->isolated);
        hk = cpuset_to_string(&c->housekeeping);
        now = cpuset_to_string(&s->ctx.hw.isolated);
        printf("CPUs:      isolated %s, housekeeping %s%s; this boot isolates %s  %s\n", isempty(iso) ? "none" : iso,
               isempty(hk) ? "none" : hk, c->derived ? " (derived)" : "", isempty(now) ? "none" : now,
               cpuset_is_subset(&c->isolated, &s->ctx.hw.isolated) &&
               cpuset_is_subset(&s->ctx.hw.isolated, &c->isolated) ? mark(true) : "(the next boot, see Kernel:)");
}

static void print_iommu_text(const Status *s) {
        IommuMode m = s->ctx.plan.iommu;

        if (s->ctx.hw.iommu_present)
                printf("IOMMU:     enabled%s%s%s\n", m != IOMMU_UNSET ? " (Mode=" : "",
                       m != IOMMU_UNSET ? iommu_mode_to_string(m) : "", m != IOMMU_UNSET ? ")" : "");
        else
                printf("IOMMU:     none in /sys/class/iommu: vfio-pci cannot work; turn on VT-d/AMD-Vi in the "
                       "firmware and add intel_iommu=on (or amd_iommu=on)  %s\n", mark(false));
}

static void print_words(const Strv *words) {
        for (size_t i = 0; i < words->n; i++)
                printf(" %s", words->v[i]);
        printf("\n");
}

static void print_kernel_text(const Status *s) {
        const PlanKernel *k = &s->ctx.plan.kernel;

        if (k->missing.n > 0) {
                printf("Kernel:    %sreboot required%s (RebootPolicy=%s), missing:", ansi_highlight_yellow(),
                       ansi_normal(), reboot_policy_to_string(s->ctx.config.kernel.reboot_policy));
                print_words(&k->missing);
        } else if (k->args.n > 0)
                printf("Kernel:    %zu argument%s in place\n", k->args.n, k->args.n == 1 ? "" : "s");
        if (s->kargs_stale.n == 0)
                return;
        /* with ManageArgs=yes the kargs unit takes them out; here it failed, or has yet to run */
        printf("%s  in the boot loader from an earlier configuration (%s):",
               k->args.n > 0 ? "         " : "Kernel:  ",
               s->ctx.config.kernel.manage_args ? "'dpdk-boot kargs' takes them out"
                                                : "ManageArgs=no leaves them there");
        print_words(&s->kargs_stale);
}

static void print_status_text(const Status *s) {
        print_state_text(s);
        print_hugepages_text(s);
        print_cpu_text(s);
        print_iommu_text(s);
        print_devices_text(s);
        printf("Datapath:  %s (%s): %s\n", s->ctx.plan.datapath.unit ?: UNIT_DATAPATH,
               datapath_preset_to_string(s->ctx.config.datapath.preset), s->active_state);
        print_kernel_text(s);
        if (s->problems.n > 0)
                printf("Problems:\n");
        for (size_t i = 0; i < s->problems.n; i++)
                printf("  - %s\n", s->problems.v[i]);
        if (s->ctx.plan.warnings.n > 0)
                printf("Warnings:\n");
        for (size_t i = 0; i < s->ctx.plan.warnings.n; i++)
                printf("  - %s\n", s->ctx.plan.warnings.v[i]);
}

/* JSON. */

static void print_size_json(JsonWriter *w, const SizeStatus *z, const PlanHugepages *h) {
        char size[16];

        json_begin_object(w, NULL);
        json_string(w, "size", format_page_size(z->size_kb, size));
        json_uint(w, "size_kb", z->size_kb);
        json_uint(w, "requested", z->requested);
        json_string(w, "placement", h ? hugepage_placement_to_string(h->placement) : NULL);
        json_uint(w, "reserved", z->reserved);
        json_uint(w, "free", z->free);
        json_begin_array(w, "nodes");
        for (unsigned j = 0; j < z->n_nodes; j++) {
                const NodeStatus *n = &z->nodes[j];

                json_begin_object(w, NULL);
                json_int(w, "node", n->node);
                if (n->has_request)
                        json_uint(w, "requested", n->requested);
                else
                        json_null(w, "requested");
                json_uint(w, "reserved", n->reserved);
                json_uint(w, "free", n->free);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

static void print_device_json(JsonWriter *w, const DeviceStatus *d) {
        json_begin_object(w, NULL);
        json_string(w, "address", d->plan->address);
        json_string(w, "name", d->hw ? d->name : NULL);
        json_int(w, "numa_node", d->hw ? d->hw->numa_node : -1);
        if (d->hw && d->hw->iommu_group >= 0)
                json_int(w, "iommu_group", d->hw->iommu_group);
        else
                json_null(w, "iommu_group");
        json_string(w, "driver", d->hw && !isempty(d->hw->driver) ? d->hw->driver : NULL);
        json_string(w, "target", d->plan->driver ?: "");
        json_bool(w, "ok", d->ok);
        json_string(w, "rule", d->plan->why);
        json_string(w, "rule_file", d->plan->loc.file ?: CONFIG_MAIN_FILE);
        json_int(w, "rule_line", (int) d->plan->loc.line);
        json_bool(w, "refused", d->plan->refused || d->driver_gate == GATE_FAIL);
        json_bool(w, "left_out", d->plan->skipped);
        json_string(w, "refusal", d->plan->refusal ?: d->driver_gate == GATE_FAIL ? d->driver_refusal : NULL);
        json_cpuset(w, "pmd_cores", plan_device_pmd_cores(d->plan));
        json_begin_object(w, "gates");
        for (GateId g = 0; g < _GATE_MAX; g++)
                if (device_gate(d, g) != GATE_UNCHECKED)
                        json_string(w, gate_id_to_string(g), device_gate(d, g) == GATE_PASS ? "pass" : "fail");
        json_end_object(w);
        json_end_object(w);
}

static void print_config_json(JsonWriter *w, const Config *c) {
        json_begin_object(w, "config");
        json_bool(w, "ok", config_ok(c));
        json_strv(w, "files", &c->files);
        json_strv(w, "errors", &c->errors);
        json_end_object(w);
}

static int print_status_json(const Status *s) {
        const Plan *p = &s->ctx.plan;
        JsonWriter w;

        json_init(&w, stdout);
        json_begin_object(&w, NULL);
        json_bool(&w, "enabled", status_enabled(s));
        json_string(&w, "disabled_by", p->state == PLAN_DISABLED ? p->disabled_by : NULL);
        json_string(&w, "state", plan_state_to_string(p->state));
        print_config_json(&w, &s->ctx.config);
        json_begin_object(&w, "initramfs");
        json_string(&w, "stamp", initrd_stamp_to_string(s->initrd));
        json_bool(&w, "stale", s->initrd == INITRD_STAMP_STALE);
        json_end_object(&w);
        json_begin_object(&w, "boot_plans");
        boot_plan_json(&w, "root", &s->boot_plan);
        boot_plan_json(&w, "initramfs", &s->initrd_plan);
        json_end_object(&w);

        json_begin_array(&w, "hugepages");
        for (size_t i = 0; i < s->n_sizes; i++)
                print_size_json(&w, &s->sizes[i], plan_find_hugepages(p, s->sizes[i].size_kb));
        json_end_array(&w);

        plan_json_cpu(&w, p, &s->ctx.config);
        json_begin_object(&w, "iommu");
        json_bool(&w, "present", s->ctx.hw.iommu_present);
        json_string(&w, "mode", p->iommu != IOMMU_UNSET ? iommu_mode_to_string(p->iommu) : NULL);
        json_end_object(&w);

        json_begin_array(&w, "devices");
        for (size_t i = 0; i < p->n_devices; i++)
                print_device_json(&w, &s->devices[i]);
        json_end_array(&w);

        json_begin_object(&w, "datapath");
        json_string(&w, "unit", s->ctx.plan.datapath.unit ?: UNIT_DATAPATH);
        json_string(&w, "preset", datapath_preset_to_string(s->ctx.config.datapath.preset));
        json_string(&w, "active_state", s->active_state);
        plan_json_datapath(&w, p, &s->ctx.config);
        json_end_object(&w);

        json_begin_object(&w, "kernel");
        json_strv(&w, "args", &s->ctx.plan.kernel.args);
        json_strv(&w, "missing", &s->ctx.plan.kernel.missing);
        json_strv(&w, "stale", &s->kargs_stale);
        json_bool(&w, "reboot_required", s->ctx.plan.kernel.missing.n > 0);
        json_string(&w, "reboot_policy", reboot_policy_to_string(s->ctx.config.kernel.reboot_policy));
        json_bool(&w, "manage_args", s->ctx.config.kernel.manage_args);
        json_end_object(&w);

        json_strv(&w, "problems", &s->problems);
        json_strv(&w, "warnings", &s->ctx.plan.warnings);
        json_bool(&w, "ok", s->exit_status == STATUS_UP);
        json_end_object(&w);
        return json_finish(&w);
}

int verb_status(int argc, char **argv) {
        _cleanup_(status_done) Status s = {};
        int r;

        if (status_gather(&s) < 0)
                return EXIT_FAILURE;

        if (arg_json)
                r = print_status_json(&s);
        else {
                print_status_text(&s);
                r = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -EIO;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to write the status: %m"), EXIT_FAILURE;
        return s.exit_status;
}
