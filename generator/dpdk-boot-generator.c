/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpdk-boot-generator: turns /etc/dpdk-boot/dpdk-boot.conf, the kernel command line and the
 * hardware into units (see systemd.generator(7)).
 *
 * Why a generator rather than static units: whether anything runs at all, which devices get a
 * bind unit ordered before udev's coldplug, which hugetlbfs mounts exist and what the datapath
 * runs all depend on the config and the hardware of this boot, and must be known before the
 * first transaction is built. The generator only reads and writes units; it loads no module,
 * binds nothing, talks to no process. The units it enables do the work through the
 * dpdk-boot helper, which recomputes the same plan.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-build.h"
#include "kargs.h"
#include "log.h"
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
                for (size_t i = 0; i < p->problems.n; i++)
                        log_warning("%s", p->problems.v[i]);
                for (size_t i = 0; i < p->warnings.n; i++)
                        log_notice("%s", p->warnings.v[i]);
                return;
        }
}

/* multi-user.target.wants/dpdk-boot-kargs.service -> the static unit. */
static int want_kargs_unit(const char *dest) {
        _cleanup_free_ char *dir = strjoin3(dest, "/multi-user.target.wants", NULL);
        _cleanup_free_ char *link = NULL;

        if (!dir || !(link = strjoin3(dir, "/", UNIT_KARGS)))
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        if (symlink(UNITDIR "/" UNIT_KARGS, link) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/*
 * Drift: what the plan needs on the kernel command line and this boot lacks. A warning, never a
 * failure: the units still do what can be done at runtime. The reboot, if the policy allows
 * one, is the business of dpdk-boot-kargs.service at runtime, never of the generator.
 */
static int check_kargs(const Context *c, const char *dest) {
        const KernelConfig *k = &c->config.kernel;
        _cleanup_(strv_free) Strv needed = {}, missing = {};
        _cleanup_free_ char *joined = NULL;
        KargsEnv env = { .vendor = kargs_detect_vendor() };
        int r;

        if (c->plan.state != PLAN_ACTIVE || c->plan.initrd)
                return 0;
        (void) kargs_detect_kernel(&env);
        r = kargs_from_plan(&c->plan, &env, &needed);
        if (r >= 0)
                r = kargs_missing(c->cmdline ?: "", &needed, &missing);
        if (r < 0)
                return log_error_errno(r, "Failed to compare the kernel command line with the plan: %m");
        if (missing.n == 0)
                return 0;
        joined = kargs_join(&missing);
        if (!joined)
                return log_oom();
        log_warning("The kernel command line lacks %s: reboot required. This boot does what runtime allows "
                    "(2M pages, 1G pages as early as possible, device binding). %s", joined,
                    !k->manage_args ? "Run 'dpdk-boot kargs' to persist them, or set [Kernel] ManageArgs=yes." :
                    k->reboot_policy == REBOOT_ONCE ? UNIT_KARGS " persists them and reboots once (RebootPolicy=once)." :
                    UNIT_KARGS " persists them for the next boot (RebootPolicy=never).");
        if (!k->manage_args)
                return 0;
        r = want_kargs_unit(dest);
        if (r < 0)
                return log_error_errno(r, "Failed to pull in %s: %m", UNIT_KARGS);
        return 0;
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
        r = render_units(&c.plan, dest);
        if (r < 0)
                log_error_errno(r, "Failed to write units to %s: %m", dest);
        RET_GATHER(r, check_kargs(&c, dest));
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
