/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"
#include "cleanup.h"
#include "config-stamp.h"
#include "helper.h"
#include "log.h"
#include "plan.h"

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
                selected += plan->devices[i].dpdk;
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
        return verify_plan(&pf.plan) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
