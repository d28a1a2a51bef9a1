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
 * verify: after reserve and the binds ran, does the system hold what the plan asks for? One
 * error line per thing that is missing, each naming it and how to fix it. This is what
 * dpdk-boot-verify.service runs, so the journal has the answer to "why is DPDK not up".
 */

static int verify_plan(const Plan *plan) {
        _cleanup_(strv_free) Strv problems = {};
        size_t n_sizes, n_devices;
        int r;

        r = check_hugepages(plan, &problems);
        if (r >= 0)
                r = check_devices(plan, &problems);
        if (r >= 0)
                r = check_datapath_memory(plan, &problems);
        /* A device the config names by address and a gate refused: the datapath would run
         * without it. (One only a pattern rule picked is left out, a warning.) */
        for (size_t i = 0; r >= 0 && plan->do_bind && i < plan->n_devices; i++) {
                const PlanDevice *d = &plan->devices[i];
                _cleanup_free_ char *line = NULL;

                if (!d->refused || d->skipped)
                        continue;
                line = gate_refusal_line(d->address, d->refused_by, /* left_out= */ false,
                                         plan_device_refusal_message(d) ?: "by a safety gate");
                r = line ? strv_pushf(&problems, "%s:%u: %s", d->loc.file ?: CONFIG_MAIN_FILE, d->loc.line, line)
                         : -ENOMEM;
        }
        if (r < 0)
                return log_oom();

        for (size_t i = 0; i < problems.n; i++)
                log_error("%s", problems.v[i]);
        if (problems.n > 0)
                return log_error_errno(EIO, "Verification failed: %zu problem%s.", problems.n,
                                       problems.n == 1 ? "" : "s");

        n_sizes = plan->do_hugepages ? plan->n_hugepages : 0;
        n_devices = plan->do_bind ? plan->n_devices : 0;
        printf("OK: %zu hugepage size%s and %zu device%s as configured.\n",
               n_sizes, n_sizes == 1 ? "" : "s", n_devices, n_devices == 1 ? "" : "s");
        return 0;
}

/* The real root has done the work again either way; say that the image needs rebuilding. */
static void warn_stale_initrd(const Config *c) {
        InitrdStamp st;
        int r;

        r = initrd_stamp_check(c, &st);
        if (r < 0)
                log_debug_errno(r, "Cannot compare the initramfs configuration stamp, ignoring: %m");
        else if (st == INITRD_STAMP_STALE)
                log_warning("%s (its stage ran with another configuration; this boot converged "
                            "here instead).", INITRD_STALE_MESSAGE);
}

int verb_verify(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        char state[64];

        if (helper_context_load(&ctx) < 0)
                return EXIT_FAILURE;

        switch (ctx.plan.state) {
        case PLAN_INVALID:
                for (size_t i = 0; i < ctx.config.errors.n; i++)
                        log_error("%s", ctx.config.errors.v[i]);
                log_error("The configuration is invalid, nothing was set up; fix it and reboot.");
                return EXIT_FAILURE;
        case PLAN_NO_CONFIG:
        case PLAN_DISABLED:
                printf("Nothing to verify: %s.\n", plan_state_describe(&ctx.plan, state, sizeof(state)));
                return EXIT_SUCCESS;
        case PLAN_ACTIVE:
                break;
        }
        warn_stale_initrd(&ctx.config);
        /* A MAC in the network configuration names its NIC on the next boots, before any driver. */
        record_nic_macs();
        return verify_plan(&ctx.plan) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
