/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"
#include "cleanup.h"
#include "config-stamp.h"
#include "helper.h"
#include "log.h"
#include "pcidev.h"
#include "plan.h"
#include "vfio-wait.h"

/*
 * verify: after reserve and the binds ran, does the system hold what this boot's plan (the file
 * the generator wrote) asks for? One error line per thing that is missing, each naming it and
 * how to fix it. This is what
 * dpdk-boot-verify.service runs, so the journal has the answer to "why is DPDK not up".
 */

/* The datapath starts with the ports that passed the gates; with none, it is not started. */
static int check_some_port(const Plan *plan, Strv *problems) {
        size_t selected = 0;

        if (!plan->do_datapath || !plan->do_bind)
                return 0;
        for (size_t i = 0; i < plan->n_devices; i++) {
                if (plan_device_is_port(&plan->devices[i]))
                        return 0;
                selected += plan->devices[i].dpdk || plan->devices[i].stays_on;
        }
        if (selected == 0)
                return 0;
        return strv_pushf(problems, "none of the %zu device%s selected for the datapath passed the safety gates "
                          "(see the refusals above and 'dpdk-boot status'); the datapath is not started.",
                          selected, selected == 1 ? "" : "s");
}

static int verify_plan(const Plan *plan) {
        _cleanup_(strv_free) Strv problems = {};
        size_t n_sizes, n_devices;
        int r;

        r = check_hugepages(plan, &problems);
        if (r >= 0)
                r = check_devices(plan, &problems);
        if (r >= 0)
                r = check_datapath_memory(plan, &problems);
        if (r >= 0)
                r = check_some_port(plan, &problems);
        /* A device a gate refused is in no datapath argument: the datapath starts with the ports
         * that passed. Said here too, so that the journal of this unit tells the whole story. */
        for (size_t i = 0; r >= 0 && plan->do_bind && i < plan->n_devices; i++) {
                const PlanDevice *d = &plan->devices[i];

                if (d->refused && d->required)
                        r = strv_pushf(&problems, "%s:%u: %s refused [%s] and its rule says Required=yes, so the "
                                       "datapath does not start without it: %s", d->loc.file ?: CONFIG_MAIN_FILE,
                                       d->loc.line, d->address, gate_id_to_string(d->refused_by),
                                       plan_device_refusal_message(d) ?: "by a safety gate");
                else if (d->refused && !d->skipped)
                        log_warning("%s:%u: %s refused [%s], the datapath runs without it: %s",
                                    d->loc.file ?: CONFIG_MAIN_FILE, d->loc.line, d->address,
                                    gate_id_to_string(d->refused_by),
                                    plan_device_refusal_message(d) ?: "by a safety gate");
        }
        if (r < 0)
                return log_oom();

        for (size_t i = 0; i < problems.n; i++)
                log_error("%s", problems.v[i]);
        if (problems.n > 0)
                return log_error_errno(EIO, "Verification failed: %zu problem%s.", problems.n,
                                       problems.n == 1 ? "" : "s");

        n_sizes = plan->do_hugepages ? plan->n_hugepages : 0;
        n_devices = 0;
        for (size_t i = 0; plan->do_bind && i < plan->n_devices; i++)
                n_devices += !plan->devices[i].refused;
        printf("OK: %zu hugepage size%s and %zu device%s as planned.\n",
               n_sizes, n_sizes == 1 ? "" : "s", n_devices, n_devices == 1 ? "" : "s");
        return 0;
}

/* The VFIO group of a planned vfio-pci device that is on a vfio driver now, or -1: a device on
 * another driver or without a group gets no node to wait for (check_devices() says why). */
static int planned_group(const PlanDevice *d) {
        _cleanup_free_ char *now = NULL;
        int group;

        if (d->refused || !driver_is_vfio(d->driver))
                return -1;
        if (pcidev_driver(d->address, &now) < 0 || !driver_is_vfio(now))
                return -1;
        if (pcidev_iommu_group(d->address, &group) < 0)
                return -1;
        return group;
}

/*
 * The bind units are done when verify runs, but a device's /dev/vfio/<group> node may still be
 * on its way (devtmpfs, then udev's rules for it): wait for exactly those nodes, bounded, rather
 * than for udev to settle every device of the machine. A node that did not come is named here;
 * check_devices() then counts it as a problem.
 */
static int wait_vfio_nodes(const Plan *plan) {
        _cleanup_free_ int *groups = NULL;
        size_t n = 0;
        int timeout_ms, r;

        if (!plan->do_bind || plan->n_devices == 0)
                return 0;
        if (vfio_wait_timeout_ms(&timeout_ms) < 0)
                log_warning("DPDK_BOOT_VFIO_TIMEOUT_SEC=%s is not a number of seconds (0-3600), "
                            "waiting %i s.", getenv("DPDK_BOOT_VFIO_TIMEOUT_SEC"), VFIO_WAIT_DEFAULT_SEC);
        groups = calloc(plan->n_devices, sizeof(int));
        if (!groups)
                return log_oom();
        for (size_t i = 0; i < plan->n_devices; i++) {
                int g = planned_group(&plan->devices[i]);

                if (g >= 0)
                        groups[n++] = g;
        }
        r = vfio_wait_nodes(groups, &n, timeout_ms);
        if (r == -ETIMEDOUT) {
                char list[512] = "";
                size_t len = 0;

                for (size_t i = 0; i < n && len < sizeof(list); i++)
                        len += snprintf(list + len, sizeof(list) - len, "%s/dev/vfio/%i", i > 0 ? ", " : "",
                                        groups[i]);
                return log_error_errno(r, "Waited %g s for the VFIO group nodes of the bound devices; "
                                       "still missing: %s.", timeout_ms / 1000.0, list);
        }
        if (r < 0)
                return log_warning_errno(r, "Cannot wait for the VFIO group nodes, checking them now: %m");
        return 0;
}

/* The real root has done the work again either way; say that the image needs rebuilding. */
static void warn_stale_initrd(void) {
        _cleanup_(config_free) Config c = {};
        InitrdStamp st;
        int r;

        r = config_load(&c);
        if (r >= 0)
                r = initrd_stamp_check(&c, &st);
        if (r < 0)
                log_debug_errno(r, "Cannot compare the initramfs configuration stamp, ignoring: %m");
        else if (st == INITRD_STAMP_STALE)
                log_warning("%s (its stage ran with another configuration; this boot converged "
                            "here instead).", INITRD_STALE_MESSAGE);
}

/* What dpdk-boot-verify.service runs: this boot's plan file against the host as it is now. */
int verb_verify(int argc, char **argv) {
        _cleanup_(plan_file_free) PlanFile pf = {};
        char state[64];

        if (helper_plan_file_load(&pf) < 0)
                return EXIT_FAILURE;

        switch (pf.plan.state) {
        case PLAN_INVALID:
                for (size_t i = 0; i < pf.errors.n; i++)
                        log_error("%s", pf.errors.v[i]);
                log_error("The configuration is invalid, nothing was set up; fix it and reboot.");
                return EXIT_FAILURE;
        case PLAN_NO_CONFIG:
        case PLAN_DISABLED:
                printf("Nothing to verify: %s.\n", plan_state_describe(&pf.plan, state, sizeof(state)));
                return EXIT_SUCCESS;
        case PLAN_ACTIVE:
        case _PLAN_STATE_MAX: /* not a state */
                break;
        }
        warn_stale_initrd();
        /* A MAC in the network configuration names its NIC on the next boots, before any driver. */
        record_nic_macs();
        /* A node that did not come is also a problem of verify_plan(), which names its device. */
        (void) wait_vfio_nodes(&pf.plan);
        return verify_plan(&pf.plan) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
