/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpdk-boot-generator: turns /etc/dpdk-boot/dpdk-boot.conf, the kernel command line and the
 * hardware into units (see systemd.generator(7)).
 *
 * Why a generator rather than static units: whether anything runs at all, which devices get a
 * bind unit ordered before udev's coldplug, which hugetlbfs mounts exist and what the datapath
 * runs all depend on the config and the hardware of this boot, and must be known before the
 * first transaction is built. The generator only reads and writes units; it loads no module,
 * binds nothing, talks to no process. It writes the plan to /run/dpdk-boot/plan.json, and the
 * units it enables execute their part of that file through the dpdk-boot helper.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-build.h"
#include "generate.h"
#include "log.h"
#include "plan-json.h"
#include "plan.h"
#include "render.h"

static void log_plan(const Plan *p, const Config *c) {
        switch (p->state) {
        case PLAN_NO_CONFIG:
                log_debug("No %s and no drop-ins, nothing to do.", CONFIG_MAIN_FILE);
                return;
        case PLAN_DISABLED:
                log_notice("DPDK boot setup disabled by %s on the kernel command line.", p->disabled_by);
                return;
        case PLAN_INVALID:
                for (size_t i = 0; i < c->errors.n; i++)
                        log_error("%s", c->errors.v[i]);
                log_error("Configuration invalid: no device is touched and no datapath is started "
                          "this boot. See 'dpdk-boot status'.");
                return;
        case PLAN_ACTIVE:
        case _PLAN_STATE_MAX: /* not a state */
                for (size_t i = 0; i < p->problems.n; i++)
                        log_warning("%s", p->problems.v[i]);
                for (size_t i = 0; i < p->warnings.n; i++)
                        log_notice("%s", p->warnings.v[i]);
                return;
        }
}

static int run(const char *dest, const char *dest_early, const char *dest_late) {
        Context c;
        int r;

        r = context_load(&c, in_initrd());
        if (r < 0) {
                context_free(&c);
                return log_error_errno(r, "Failed to build the DPDK boot plan: %m");
        }
        log_plan(&c.plan, &c.config);
        /* The plan first: every unit written below executes its part of it. */
        r = plan_file_write(&c);
        if (r < 0)
                log_error_errno(r, "Failed to write the plan to %s: %m", plan_file_path(c.plan.initrd));
        RET_GATHER(r, generate_units(&c, dest));
        context_free(&c);
        return r;
}

int main(int argc, char *argv[]) {
        log_setup("dpdk-boot-generator", /* generator= */ 1);

        if (argc != 2 && argc != 4) {
                log_error("This program takes one or three arguments.");
                return EXIT_FAILURE;
        }
        umask(0022);
        /* One directory given: all three are the same, as systemd's own generators allow. */
        return run(argv[1], argv[argc == 4 ? 2 : 1], argv[argc == 4 ? 3 : 1]) < 0 ? EXIT_FAILURE
                                                                                   : EXIT_SUCCESS;
}
