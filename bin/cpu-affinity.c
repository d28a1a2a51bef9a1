/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "config.h"
#include "cpu-affinity.h"
#include "rootdir.h"

/* Ours is a few hundred bytes; anything larger is someone else's. */
#define CPU_AFFINITY_MAX (64U * 1024U)

int cpu_affinity_content(const Plan *p, char **ret_content, char **ret_housekeeping) {
        _cleanup_free_ char *iso = NULL, *hk = NULL;

        *ret_content = *ret_housekeeping = NULL;
        /* as the kernel arguments: isolcpus= only for CPUs isolated, and CPUAffinity= cannot be
         * empty (systemd would take it as "every CPU") */
        if (p->state != PLAN_ACTIVE || !p->cpu.set || cpuset_is_empty(&p->cpu.isolated) ||
            cpuset_is_empty(&p->cpu.housekeeping))
                return 0;
        iso = cpuset_to_string(&p->cpu.isolated);
        hk = cpuset_to_string(&p->cpu.housekeeping);
        if (!iso || !hk)
                return -ENOMEM;
        if (asprintf(ret_content,
                     CPU_AFFINITY_HEADER ": [CPU] of %s isolates CPUs %s.\n"
                     "# systemd and the services it starts stay on the housekeeping CPUs, from the next boot.\n"
                     "# Do not edit: change the configuration and run 'dpdk-boot kargs'. To undo, remove [CPU]\n"
                     "# and run 'dpdk-boot kargs', which removes this file (dpdk-boot.conf(5), [CPU]).\n"
                     "[Manager]\n"
                     "CPUAffinity=%s\n",
                     CONFIG_MAIN_FILE, iso, hk) < 0) {
                *ret_content = NULL;
                return -ENOMEM;
        }
        *ret_housekeeping = TAKE_PTR(hk);
        return 0;
}

/* What is under the name now: absent, ours, or not ours (another file, a directory, a FIFO,
 * one too large to be ours). */
static int read_current(CpuAffinityStep *s) {
        _cleanup_free_ char *old = NULL;
        size_t size;
        int r;

        r = root_read_file(CPU_AFFINITY_FILE, CPU_AFFINITY_MAX + 1, &old, &size);
        if (r == -ENOENT)
                return 0;
        if (r == -EISDIR || r == -EBADFD) {
                s->foreign = true;
                return 0;
        }
        if (r < 0)
                return r;
        if (size <= CPU_AFFINITY_MAX && strneq(old, CPU_AFFINITY_HEADER, strlen(CPU_AFFINITY_HEADER)))
                s->present = true;
        else
                s->foreign = true;
        return 0;
}

int cpu_affinity_prepare(const Plan *plan, CpuAffinityStep *ret) {
        CpuAffinityStep s = {};
        int r;

        r = cpu_affinity_content(plan, &s.content, &s.housekeeping);
        if (r < 0)
                return r;
        /* never read or write through a symlink, nor in a directory out of the root prefix */
        r = root_check_inside(CPU_AFFINITY_FILE);
        if (r == 0)
                r = read_current(&s);
        else if (!s.content) {
                /* nothing to write, and what is there is not ours to remove */
                s.foreign = r == -ELOOP;
                r = 0;
        }
        if (r == 0 && s.content && s.foreign)
                r = -EEXIST;
        *ret = s;
        return r;
}

int cpu_affinity_apply(const CpuAffinityStep *s, bool dry_run, FILE *out) {
        if (s->content)
                fprintf(out, "CPUAffinity: %s (systemd and its services, from the next boot)\n", s->housekeeping);
        if (!s->content && s->foreign) {
                fprintf(out, "%s: not written by dpdk-boot, left alone\n", CPU_AFFINITY_FILE);
                return 0;
        }
        if (!s->content && !s->present)
                return 0;
        return bootloader_update_file(CPU_AFFINITY_FILE, s->content, dry_run, out);
}

void cpu_affinity_step_done(CpuAffinityStep *s) {
        free(s->content);
        free(s->housekeeping);
        *s = (CpuAffinityStep) {};
}
