/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcated.h"
#include "gates.h"
#include "helper-cleanup.h"
#include "helper.h"
#include "kmod-util.h"
#include "log.h"
#include "pcidev.h"
#include "plan.h"
#include "rootdir.h"
#include "sriov.h"
#include "vf-settings.h"

/*
 * bind and restore, through driver_override (never new_id, which would claim every device with
 * that ID):
 *   1. load the driver with libkmod (a vfio-pci variant for this device wins over vfio-pci),
 *   2. write driver_override,
 *   3. unbind from the current driver,
 *   4. write the address to drivers_probe,
 *   5. re-read the driver link and fail unless it is the one we asked for.
 * When a bind fails after the unbind, the device is handed back to its kernel driver so that a
 * failed boot step does not also take the NIC away.
 *
 * Under a root prefix (a test tree, an image) nothing is inserted into the running kernel: the
 * module lookup is a dry run and a driver counts as available when its directory exists there.
 */

/* The module index, opened by the first bind that needs it and kept for the others of the same
 * run; a failure to open it is not tried again. */
typedef struct Modules {
        struct kmod_ctx *ctx;
        bool tried;
} Modules;

static void modules_done(Modules *m) {
        m->ctx = kmod_unref(m->ctx);
}

typedef struct Binding {
        char bdf[13];
        char *target;          /* driver name to end up on */
        char *module;          /* what to hand libkmod: a module name or alias */
        char *former;          /* driver before we touched it, NULL when unbound */
        Strv netifs;           /* its interfaces before it was moved (with a former driver) */
        int probe_error;       /* what the write to drivers_probe returned */
        bool moved;            /* off its former driver (or probed, when it had none) */
} Binding;

static void binding_done(Binding *b) {
        free(b->target);
        free(b->module);
        free(b->former);
        strv_free(&b->netifs);
}

/* For vfio-pci, prefer a variant driver that declares "vfio_" + this device's modalias. */
static int resolve_target(Binding *b, struct kmod_ctx *ctx, const char *target) {
        _cleanup_free_ char *modalias = NULL, *variant = NULL;
        int r;

        if (ctx && streq(target, "vfio-pci") && pcidev_modalias(b->bdf, &modalias) >= 0) {
                r = kmod_find_vfio_variant(ctx, modalias, &variant);
                if (r < 0)
                        log_debug_errno(r, "%s: vfio variant lookup failed, using vfio-pci: %m", b->bdf);
        }
        if (variant) {
                r = module_pci_driver_name(variant, &b->target);
                if (r < 0)
                        return log_oom();
                log_info("%s: using %s, the vfio-pci variant driver for this device.", b->bdf, b->target);
                b->module = TAKE_PTR(variant);
                return 0;
        }
        b->target = strdup(target);
        b->module = strdup(target);
        return b->target && b->module ? 0 : log_oom();
}

/* "[none] integrity confidentiality": anything but none selected means locked down. */
static bool kernel_locked_down(void) {
        char buf[128];

        return root_read_buf("/sys/kernel/security/lockdown", buf, sizeof(buf)) > 0 && !strstr(buf, "[none]");
}

static int load_driver(const Binding *b, struct kmod_ctx *ctx) {
        int r;

        r = pci_driver_registered(b->target);
        if (r > 0)
                return 0;

        if (!driver_is_vfio(b->target) && kernel_locked_down()) {
                log_gate_failure(b->bdf, GATE_DRIVER, b->target,
                                 "the kernel is locked down (/sys/kernel/security/lockdown), which keeps uio "
                                 "drivers from giving DMA to user space; use vfio-pci.", false);
                return -EPERM;
        }
        if (ctx) {
                char msg[256];

                r = kmod_load(ctx, b->module, /* dry_run= */ !root_is_host());
                if (r == -EPERM || r == -ENOENT) {
                        (void) snprintf(msg, sizeof(msg), r == -EPERM
                                 ? "module %s is deny-listed (a modprobe.d blacklist line), so it is not loaded; "
                                   "remove the blacklist entry or choose another Driver=."
                                 : "no kernel module provides %s for this kernel; install it (igb_uio comes from "
                                   "dpdk-kmods) or choose another Driver=.", r == -EPERM ? b->module : b->target);
                        log_gate_failure(b->bdf, GATE_DRIVER, b->target, msg, false);
                        return r;
                }
                if (r < 0)
                        return log_error_errno(r, "%s: failed to load module %s: %m", b->bdf, b->module);
        }

        r = pci_driver_registered(b->target);
        if (r <= 0)
                return log_error_errno(r < 0 ? r : ENOENT, "%s: driver %s is not available%s.", b->bdf,
                                       b->target, root_is_host() ? "" : " in this tree");
        return 0;
}

/* "no network interface" is the evidence a NIC never got a netdev before DPDK took it. */
static void format_netifs(const Binding *b, char *buf, size_t size) {
        size_t n;

        if (b->netifs.n == 0) {
                (void) snprintf(buf, size, "no network interface");
                return;
        }
        n = snprintf(buf, size, "network interface%s", b->netifs.n > 1 ? "s" : "");
        for (size_t i = 0; i < b->netifs.n && n < size; i++)
                n += snprintf(buf + n, size - n, " %s", b->netifs.v[i]);
}

/* Steps 2-4. */
static int apply_override(Binding *b) {
        int r;

        r = pcidev_set_override(b->bdf, b->target);
        if (r < 0)
                return log_error_errno(r, "%s: failed to write driver_override: %m", b->bdf);

        if (b->former) {
                r = pcidev_unbind(b->bdf);
                if (r < 0)
                        return log_error_errno(r, "%s: failed to unbind from %s: %m", b->bdf, b->former);
        }
        b->moved = true;

        /* A refused probe is reported by check_bound(), which also says why. */
        b->probe_error = pcidev_probe(b->bdf);
        return 0;
}

static int check_vfio_node(const Binding *b) {
        int group, r;

        r = pcidev_iommu_group(b->bdf, &group);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read its IOMMU group: %m", b->bdf);
        if (group < 0)
                return 0;
        r = vfio_group_exists(group);
        if (r <= 0)
                return log_error_errno(r < 0 ? r : ENOENT, "%s: bound to %s, but /dev/vfio/%i does not exist.",
                                       b->bdf, b->target, group);
        return 0;
}

/* Step 5. */
static int check_bound(const Binding *b) {
        _cleanup_free_ char *now = NULL;
        int group = -1, r;

        r = pcidev_driver(b->bdf, &now);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the driver link: %m", b->bdf);
        if (now && streq(now, b->target))
                return driver_is_vfio(b->target) ? check_vfio_node(b) : 0;

        if (driver_is_vfio(b->target) && pcidev_iommu_group(b->bdf, &group) >= 0 && group < 0)
                return log_error_errno(ENXIO, "%s: %s did not take the device: it has no IOMMU group. "
                                       "Enable the IOMMU (intel_iommu=on or amd_iommu=on, and VT-d/AMD-Vi "
                                       "in the firmware).", b->bdf, b->target);
        return log_error_errno(EIO, "%s: %s did not take the device (now %s%s%s).", b->bdf, b->target,
                               now ?: "unbound", b->probe_error < 0 ? "; probe failed: " : "",
                               b->probe_error < 0 ? strerror(-b->probe_error) : "");
}

/*
 * After a failed bind: drop our override, and if the device moved, hand it to the kernel's own
 * choice, so that a failed boot step does not also take the NIC away.
 */
static void undo_bind(const Binding *b) {
        _cleanup_free_ char *now = NULL, *after = NULL;
        int probe;

        if (pcidev_set_override(b->bdf, "") < 0)
                log_warning("%s: failed to clear driver_override; it still names %s.", b->bdf, b->target);
        if (!b->moved)
                return;

        /* Bound, but unusable (no /dev/vfio node): off it again first. */
        if (pcidev_driver(b->bdf, &now) >= 0 && now && streq(now, b->target))
                (void) pcidev_unbind(b->bdf);
        if (pcidev_probe_driver(b->bdf, &probe, &after) < 0 || !after) {
                log_warning("%s: could not give the device back to %s; it is unbound now.",
                            b->bdf, b->former ?: "a kernel driver");
                return;
        }
        log_notice("%s: gave the device back to %s.", b->bdf, after);
}

static int do_bind(Binding *b, struct kmod_ctx *ctx) {
        char netinfo[256];
        int r;

        r = load_driver(b, ctx);
        if (r < 0)
                return r;

        r = apply_override(b);
        if (r >= 0)
                r = check_bound(b);
        if (r < 0) {
                undo_bind(b);
                return r;
        }

        format_netifs(b, netinfo, sizeof(netinfo));
        if (b->former)
                log_info("%s: bound to %s (was %s, %s).", b->bdf, b->target, b->former, netinfo);
        else
                log_info("%s: bound to %s (was unbound).", b->bdf, b->target);
        return 0;
}

/* What the device is on now and, on a driver, its interfaces: read once, before anything moves. */
static int binding_init(Binding *b, const char *bdf) {
        int r;

        memcpy(b->bdf, bdf, sizeof(b->bdf));
        r = pcidev_driver(b->bdf, &b->former);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the driver link: %m", b->bdf);
        if (b->former) {
                r = pcidev_net_interfaces(b->bdf, &b->netifs);
                if (r < 0)
                        log_debug_errno(r, "%s: cannot list network interfaces, ignoring: %m", b->bdf);
        }
        return 0;
}

static int binding_run(Binding *b, const char *target, Modules *mods) {
        int r;

        assert(!isempty(target));
        assert(mods);

        /* Already there (a vfio-pci variant counts as vfio-pci): pin it, and done. */
        if (b->former && driver_satisfies(b->former, target)) {
                r = pcidev_set_override(b->bdf, b->former);
                if (r < 0)
                        log_warning_errno(r, "%s: failed to write driver_override, ignoring: %m", b->bdf);
                log_info("%s: already bound to %s.", b->bdf, b->former);
                return 0;
        }

        /* The module index answers two questions: which vfio-pci variant drives this device, and
         * which module to load when the driver is not there. A registered driver of any other
         * name needs neither, and the bind then opens no module index. */
        if (!mods->tried && (streq(target, "vfio-pci") || pci_driver_registered(target) <= 0)) {
                mods->tried = true;
                r = kmod_setup(&mods->ctx);
                if (r < 0)
                        log_debug_errno(r, "No module index, relying on registered drivers: %m");
        }

        r = resolve_target(b, mods->ctx, target);
        if (r < 0)
                return r;
        return do_bind(b, mods->ctx);
}

static int bind_device_with(const char *bdf, const char *target, Modules *mods) {
        _cleanup_(binding_done) Binding b = {};
        int r;

        r = binding_init(&b, bdf);
        if (r < 0)
                return r;
        return binding_run(&b, target, mods);
}

static int bind_device(const char *bdf, const char *target) {
        _cleanup_(modules_done) Modules mods = {};

        return bind_device_with(bdf, target, &mods);
}

/* The device's target from the plan, when the command line names none. */
static int plan_target(const Context *ctx, const char *bdf, char **ret) {
        const PlanDevice *d;

        if (ctx->plan.state == PLAN_INVALID)
                return log_error_errno(EINVAL, "%s: the configuration is invalid, not binding; "
                                       "run 'dpdk-boot check'.", bdf);
        d = plan_find_device(&ctx->plan, bdf);
        if (!d)
                return log_error_errno(ENOENT, "%s: not in the configuration; give a driver, "
                                       "e.g. 'dpdk-boot bind %s vfio-pci'.", bdf, bdf);
        *ret = strdup(d->driver ?: "");
        return *ret ? 0 : log_oom();
}

/* The driver the device is on (*ret_former, NULL when none), and its override cleared: the first
 * step of restore and of unbind. */
static int clear_override(const char *bdf, char **ret_former) {
        int r;

        r = pcidev_driver(bdf, ret_former);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the driver link: %m", bdf);
        r = pcidev_set_override(bdf, "");
        if (r < 0)
                return log_error_errno(r, "%s: failed to clear driver_override: %m", bdf);
        return 0;
}

/* restore: clear the override and let the kernel pick the driver it would pick at boot. */
static int restore_device(const char *bdf) {
        _cleanup_free_ char *former = NULL, *now = NULL;
        int probe, r;

        r = clear_override(bdf, &former);
        if (r < 0)
                return r;
        if (former && !driver_satisfies(former, "")) {
                r = pcidev_unbind(bdf);
                if (r < 0)
                        return log_error_errno(r, "%s: failed to unbind from %s: %m", bdf, former);
        }
        r = pcidev_probe_driver(bdf, &probe, &now);
        if (probe < 0)
                log_warning_errno(probe, "%s: drivers_probe failed, continuing: %m", bdf);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the driver link: %m", bdf);
        if (!now) {
                log_warning("%s: no kernel driver claimed the device; it is unbound (was %s).",
                            bdf, former ?: "unbound");
                return 0;
        }
        if (!driver_satisfies(now, ""))
                return log_error_errno(EBUSY, "%s: still on %s after restoring.", bdf, now);
        if (former && streq(former, now))
                log_info("%s: already on its kernel driver %s.", bdf, now);
        else
                log_info("%s: restored to %s (was %s).", bdf, now, former ?: "unbound");
        return 0;
}

/* The gates first (on the full snapshot, just before the unbind); then the other members of the
 * IOMMU group a BindGroup=yes rule takes, then the device. */
static int bind_gated(Context *ctx, const char *bdf, const char *target) {
        _cleanup_(strv_free) Strv mates = {};
        int r;

        r = gates_before_bind(ctx, bdf, target, &mates);
        if (r < 0)
                return r;
        for (size_t i = 0; i < mates.n; i++) {
                r = bind_device(mates.v[i], target);
                if (r < 0)
                        return log_error_errno(r, "%s: IOMMU group member %s could not be bound, not binding it.",
                                               bdf, mates.v[i]);
        }
        return bind_device(bdf, target);
}

/*
 * The live half of the management gate, right before the unbind. The plan was made before this
 * device's driver or any route existed; if the device has interfaces now, none of them may hold a
 * default route or sit below one that does (a bond, a bridge, a VLAN). Rules with Force=yes are
 * not asked.
 */
static int gate_live_management(const Binding *b, const char *target) {
        _cleanup_(mgmt_free) Mgmt live = {};
        _cleanup_free_ char *message = NULL;
        int r;

        if (b->netifs.n == 0)
                return 0;
        r = mgmt_collect_live(&live);
        if (r < 0)
                return log_oom();
        for (size_t i = 0; i < b->netifs.n; i++) {
                const MgmtItem *it = mgmt_find(&live, MGMT_NAME, b->netifs.v[i]);

                if (!it)
                        continue;
                if (asprintf(&message, "its interface %s carries the management path now (%s); a NIC of the "
                             "management path is never taken unless its rule says Force=yes.",
                             b->netifs.v[i], it->source) < 0)
                        return log_oom();
                log_gate_failure(b->bdf, GATE_MANAGEMENT, target, message, /* left_out= */ false);
                return -EPERM;
        }
        return 0;
}

/* A bifurcated port of the datapath: on its kernel driver, with the modules its PMD needs. Its
 * PMD takes the port's traffic from the kernel's interface, so the live management gate applies
 * to it as to a device about to be unbound (verify asks again before the datapath starts). */
static int bind_bifurcated(const PlanDevice *d, Modules *mods) {
        _cleanup_(binding_done) Binding b = {};
        int r;

        r = binding_init(&b, d->address);
        if (r >= 0 && !d->force)
                r = gate_live_management(&b, d->stays_on);
        if (r >= 0)
                r = restore_device(d->address);
        if (r < 0)
                return r;
        if (!mods->tried) {
                mods->tried = true;
                r = kmod_setup(&mods->ctx);
                if (r < 0)
                        log_debug_errno(r, "No module index, relying on loaded modules: %m");
        }
        return bifurcated_load_modules(d, mods->ctx);
}

/* A device and the members of its IOMMU group, bound together. */
typedef struct Bindings {
        Binding *v;
        size_t n;
} Bindings;

static void bindings_done(Bindings *l) {
        for (size_t i = 0; i < l->n; i++)
                binding_done(&l->v[i]);
        free(l->v);
}

/* Whether m is in d's IOMMU group and bound with it (BindGroup=). */
static bool is_member_of(const PlanDevice *m, const PlanDevice *d) {
        return m->group_of && streq(m->group_of, d->address);
}

/* The members of d's IOMMU group, then d, each read as it is now; l owns what it holds even on
 * failure. */
static int bindings_init(Bindings *l, const Plan *p, const PlanDevice *d) {
        size_t members = 0;
        int r;

        for (size_t i = 0; i < p->n_devices; i++)
                if (is_member_of(&p->devices[i], d))
                        members++;
        l->v = calloc(members + 1, sizeof(Binding));
        if (!l->v)
                return log_oom();
        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *m = &p->devices[i];

                if (is_member_of(m, d)) {
                        r = binding_init(&l->v[l->n++], m->address);
                        if (r < 0)
                                return r;
                }
        }
        return binding_init(&l->v[l->n++], d->address);
}

/* One device's entry of this boot's plan, executed as it is: refused devices say why and stay,
 * BindGroup= members go first. */
static int bind_entry(const Plan *p, const PlanDevice *d, Modules *mods) {
        _cleanup_(bindings_done) Bindings l = {};
        int r;

        if (d->refused) {
                log_gate_failure(d->address, d->refused_by, d->driver,
                                 plan_device_refusal_message(d) ?: "refused", d->skipped);
                return d->skipped ? 0 : -EPERM;
        }
        if (!d->present && !d->created)
                return log_error_errno(ENODEV, "%s: not present when this boot was planned.", d->address);
        if (d->created && pcidev_exists(d->address) <= 0)
                return log_error_errno(ENODEV, "%s: virtual function %d of %s was not created.", d->address,
                                       d->vf_index, d->physfn);
        if (d->stays_on)
                return bind_bifurcated(d, mods);
        if (isempty(d->driver))
                return restore_device(d->address);

        /* The members of its IOMMU group first, then the device; each is read, and gated against
         * the live routes, before any of them moves. */
        r = bindings_init(&l, p, d);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l.n && !d->force; i++) {
                r = gate_live_management(&l.v[i], d->driver);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < l.n; i++) {
                r = binding_run(&l.v[i], d->driver, mods);
                if (r < 0 && i + 1 < l.n)
                        return log_error_errno(r, "%s: IOMMU group member %s could not be bound, not binding it.",
                                               d->address, l.v[i].bdf);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* What the bind unit runs: every device this boot's plan binds, in one process, one after the
 * other; a device that fails does not stop the others. Refused devices were refused by the plan
 * and are only named (verify says what that means for the datapath); in the initramfs a device
 * the plan hands back to its kernel driver waits for the real root (plan_device_binds_now()). */
static int bind_all_from_plan(const Plan *p) {
        _cleanup_(modules_done) Modules mods = {};
        unsigned bound = 0, failed = 0, sriov_failed, vf_failed;

        /* The virtual functions first: they are devices of the plan like any other. Then what
         * their PF's driver sets on them, before a VF driver has them. */
        sriov_failed = sriov_apply_all(p);
        vf_failed = vf_settings_apply_all(p);

        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                if (d->group_of)
                        continue;              /* bound with the device whose group it is in */
                if (d->refused) {
                        log_gate_failure(d->address, d->refused_by, d->driver,
                                         plan_device_refusal_message(d) ?: "refused", d->skipped);
                        continue;
                }
                if (!plan_device_binds_now(p, d))
                        continue;
                if (bind_entry(p, d, &mods) < 0)
                        failed++;
                else
                        bound++;
        }
        if (sriov_failed > 0)
                log_error("%u of %zu physical functions did not get the virtual functions this boot's plan "
                          "asks for.", sriov_failed, p->n_sriov);
        if (vf_failed > 0)
                log_error("%u virtual function%s did not get all the settings this boot's plan asks of "
                          "their PF's driver (bound all the same).", vf_failed, vf_failed == 1 ? "" : "s");
        if (failed > 0)
                return log_error_errno(EIO, "%u of %u devices of this boot's plan could not be bound; "
                                       "'dpdk-boot status' shows them.", failed, failed + bound);
        if (sriov_failed > 0 || vf_failed > 0)
                return -EIO;
        log_info("%u device%s of this boot's plan bound.", bound, bound == 1 ? "" : "s");
        return 0;
}

/* bind --from-plan: what the bind unit runs. This boot's plan decided; its entries are executed
 * as they are, with no planning of its own. bdf NULL: every device (--all). */
static int bind_from_plan(const char *bdf) {
        _cleanup_(modules_done) Modules mods = {};
        _cleanup_(plan_file_free) PlanFile pf = {};
        const PlanDevice *d;
        char state[64];

        if (helper_plan_file_load(&pf) < 0)
                return -EINVAL;
        if (pf.plan.state != PLAN_ACTIVE || !pf.plan.do_bind) {
                if (!bdf) {
                        log_info("This boot's plan binds nothing (%s).", pf.plan.state != PLAN_ACTIVE ?
                                 plan_state_describe(&pf.plan, state, sizeof(state)) : "binding switched off");
                        return 0;
                }
                return log_error_errno(ENOENT, "%s: this boot's plan binds nothing (%s).", bdf,
                                       pf.plan.state != PLAN_ACTIVE ?
                                       plan_state_describe(&pf.plan, state, sizeof(state)) : "binding switched off");
        }
        if (!bdf)
                return bind_all_from_plan(&pf.plan);
        d = plan_find_device(&pf.plan, bdf);
        if (!d)
                return log_error_errno(ENOENT, "%s: not in this boot's plan; see 'dpdk-boot plan', or bind it by "
                                       "hand with 'dpdk-boot bind %s DRIVER'.", bdf, bdf);
        /* A virtual function this boot creates: its PF's step first. */
        if (d->created && pcidev_exists(bdf) <= 0 && plan_find_sriov(&pf.plan, d->physfn) &&
            sriov_apply(&pf.plan, plan_find_sriov(&pf.plan, d->physfn)) < 0)
                return -EIO;
        return bind_entry(&pf.plan, d, &mods);
}

int verb_bind(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        _cleanup_free_ char *target = NULL;
        char bdf[13];
        int r;

        if (arg_all) {
                if (!arg_from_plan || argc > 1)
                        return log_error_errno(EINVAL, "bind --all binds every device of this boot's plan: "
                                               "use it with --from-plan and no device."), EXIT_FAILURE;
                return bind_from_plan(NULL) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }
        if (argc < 2)
                return log_error_errno(EINVAL, "bind needs a device (or --from-plan --all)."), EXIT_FAILURE;
        /* A virtual function of the plan may not exist yet: bind --from-plan creates it. */
        r = pcidev_parse_address(argv[1], /* must_exist= */ !arg_from_plan, bdf);
        if (r < 0)
                return EXIT_FAILURE;
        if (arg_from_plan) {
                if (argc > 2)
                        return log_error_errno(EINVAL, "bind --from-plan takes the device only: the plan says "
                                               "which driver."), EXIT_FAILURE;
                return bind_from_plan(bdf) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }

        /* one full snapshot, for the plan's target and for the gates */
        if (helper_context_load(&ctx) < 0)
                return EXIT_FAILURE;
        if (argc > 2)
                target = strdup(argv[2]);
        else if (plan_target(&ctx, bdf, &target) < 0)
                return EXIT_FAILURE;
        if (!target)
                return log_oom(), EXIT_FAILURE;

        r = bind_now(&ctx, bdf, target);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

int bind_now(Context *ctx, const char *bdf, const char *target) {
        _cleanup_(modules_done) Modules mods = {};
        const PlanDevice *d = plan_find_device(&ctx->plan, bdf);

        if (isempty(target) && d && d->stays_on && !d->refused)
                return bind_bifurcated(d, &mods);
        return isempty(target) ? restore_device(bdf) : bind_gated(ctx, bdf, target);
}

/*
 * unbind: take the device off its driver and leave it with none, as dpdk-devbind --unbind does
 * (the override cleared: a later probe gives it the kernel's driver). The gates that matter
 * without a target driver come first: the device is there, and it does not carry the management
 * path, which an unbound NIC loses as surely as one on vfio-pci.
 */
static int unbind_gated(Context *ctx, const char *bdf) {
        _cleanup_free_ char *former = NULL;
        PlanDevice d = { .driver = "", .present = true, .numa_node = -1 };
        int r;

        r = hw_add_device(&ctx->hw, bdf);
        if (r < 0)
                return log_error_errno(r, "%s: failed to read the device: %m", bdf);
        memcpy(d.address, bdf, sizeof(d.address));
        plan_gate_unbind(&ctx->plan, &ctx->hw, &d);
        for (GateId g = 0; g < _GATE_MAX; g++)
                if (d.gates[g] == GATE_FAIL) {
                        log_gate_failure(bdf, g, "none", plan_device_refusal_message(&d) ?: "refused", false);
                        free(d.refusal);
                        return -EPERM;
                }
        free(d.refusal);

        r = clear_override(bdf, &former);
        if (r < 0)
                return r;
        if (!former) {
                log_info("%s: already without a driver.", bdf);
                return 0;
        }
        r = pcidev_unbind(bdf);
        if (r < 0)
                return log_error_errno(r, "%s: failed to unbind from %s: %m", bdf, former);
        log_info("%s: unbound from %s.", bdf, former);
        return 0;
}

int verb_unbind(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        char bdf[13];

        if (pcidev_parse_address(argv[1], /* must_exist= */ true, bdf) < 0)
                return EXIT_FAILURE;
        if (helper_context_load(&ctx) < 0)
                return EXIT_FAILURE;
        return unbind_gated(&ctx, bdf) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* restore --all: every port of the plan back to its kernel driver, as RestoreOnStop=yes asks
 * when the datapath stops. After a failure systemd restarts the datapath (or it stays failed for
 * someone to look at), so the ports stay where they are. */
static int restore_all(void) {
        _cleanup_(helper_plan_done) HelperPlan hp = {};
        const char *result = getenv("SERVICE_RESULT");
        const Plan *p;
        int ret = 0;

        if (arg_on_stop && result && !streq(result, "success")) {
                log_info("The datapath stopped with result '%s', not by a stop: the ports stay bound for "
                         "its restart.", result);
                return 0;
        }
        if (helper_plan_load(&hp) < 0)
                return -EINVAL;
        p = hp.plan;
        if (p->state != PLAN_ACTIVE || !p->do_bind) {
                log_info("No ports to restore: the plan binds nothing.");
                return 0;
        }
        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                if (plan_device_is_port(d) && d->present)
                        RET_GATHER(ret, restore_device(d->address));
        }
        return ret;
}

int verb_restore(int argc, char **argv) {
        char bdf[13];

        if (arg_all)
                return restore_all() < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        if (arg_from_plan)
                return log_error_errno(EINVAL, "restore --from-plan applies to --all: one device goes back to "
                                       "its kernel driver whatever the plan says."), EXIT_FAILURE;
        if (pcidev_parse_address(argv[1], /* must_exist= */ true, bdf) < 0)
                return EXIT_FAILURE;
        return restore_device(bdf) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
