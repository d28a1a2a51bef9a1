/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "affinity.h"
#include "cleanup.h"
#include "config-build.h"
#include "generate.h"
#include "kargs.h"
#include "log.h"
#include "render.h"

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
 * systemd's CPUAffinity= for [CPU] (/etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf): PID 1 has
 * read it already, so only dpdk-boot kargs can put it right, for the next boot. A file that
 * cannot be read is left to the unit, which reports it.
 */
static bool affinity_drifts(const Context *c) {
        int r = cpu_affinity_drifts(&c->plan);

        if (r < 0) {
                log_debug_errno(r, "Failed to read %s, ignoring: %m", CPU_AFFINITY_FILE);
                return false;
        }
        if (r == CPU_AFFINITY_WRITE)
                log_notice("%s is not what [CPU] asks for: %s writes it for the next boot.",
                           CPU_AFFINITY_FILE, UNIT_KARGS);
        else if (r == CPU_AFFINITY_REMOVE)
                log_notice("%s is left from an earlier [CPU]: %s removes it for the next boot.",
                           CPU_AFFINITY_FILE, UNIT_KARGS);
        return r > 0;
}

/*
 * Words of ours in the boot loader that the plan no longer needs (KARGS_OWNED_FILE, written by
 * the last dpdk-boot kargs): without them nothing would be missing, and nothing would take them
 * out. A file that cannot be read (/var not mounted yet) is no drift: the unit reports it when it
 * runs for another reason.
 */
static bool owned_drifts(const Context *c) {
        _cleanup_(strv_free) Strv stale = {};
        _cleanup_free_ char *joined = NULL;
        int r;

        r = kargs_stale_load(&c->plan.kernel.args, &stale);
        if (r < 0) {
                log_debug_errno(r, "Failed to read %s, ignoring: %m", KARGS_OWNED_FILE);
                return false;
        }
        if (stale.n == 0)
                return false;
        joined = kargs_join(&stale);
        log_notice("The bootloader carries %s from an earlier configuration: %s takes them out for the next boot.",
                   joined ?: "arguments", UNIT_KARGS);
        return true;
}

/*
 * Drift: what the plan needs on the kernel command line and this boot lacks. A warning, never a
 * failure: the units still do what can be done at runtime. The reboot, if the policy allows
 * one, is the business of dpdk-boot-kargs.service at runtime, never of the generator. With
 * ManageArgs=yes, a CPUAffinity= file that is not the plan's, or words of ours in the boot loader
 * that the plan no longer needs, pull the unit in too, which then persists (or removes) every
 * argument of ours.
 */
static int check_kargs(const Context *c, const char *dest) {
        const KernelConfig *k = &c->config.kernel;
        _cleanup_free_ char *joined = NULL;
        bool affinity, stale;
        int r;

        /* context_load() compared the plan's arguments with this boot's command line. */
        if (c->plan.state != PLAN_ACTIVE || c->plan.initrd)
                return 0;
        affinity = k->manage_args && affinity_drifts(c);
        stale = k->manage_args && owned_drifts(c);
        if (c->plan.kernel.missing.n > 0) {
                joined = kargs_join(&c->plan.kernel.missing);
                if (!joined)
                        return log_oom();
                log_warning("The kernel command line lacks %s: reboot required. This boot does what runtime "
                            "allows (2M pages, 1G pages as early as possible, device binding). %s", joined,
                            !k->manage_args ? "Run 'dpdk-boot kargs' to persist them, or set [Kernel] ManageArgs=yes." :
                            k->reboot_policy == REBOOT_ONCE ? UNIT_KARGS " persists them and reboots once (RebootPolicy=once)." :
                            UNIT_KARGS " persists them for the next boot (RebootPolicy=never).");
        }
        if (!k->manage_args || (c->plan.kernel.missing.n == 0 && !affinity && !stale))
                return 0;
        r = want_kargs_unit(dest);
        if (r < 0)
                return log_error_errno(r, "Failed to pull in %s: %m", UNIT_KARGS);
        return 0;
}

int generate_units(const Context *c, const char *dest) {
        int r;

        r = render_units(&c->plan, dest);
        if (r < 0)
                log_error_errno(r, "Failed to write units to %s: %m", dest);
        RET_GATHER(r, check_kargs(c, dest));
        return r;
}
