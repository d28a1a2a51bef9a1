/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "cpu-affinity.h"
#include "rootdir.h"

/* What is under the name now: absent, ours, or not ours. */
static int read_current(CpuAffinityStep *s) {
        CpuAffinityFileState st;
        int r;

        r = cpu_affinity_current(&st, NULL);
        if (r < 0)
                return r;
        s->present = st == CPU_AFFINITY_OURS;
        s->foreign = st == CPU_AFFINITY_FOREIGN;
        return 0;
}

int cpu_affinity_prepare(const Plan *plan, CpuAffinityStep *ret) {
        CpuAffinityStep s = {};
        int r;

        r = cpu_affinity_content(plan, &s.content, &s.housekeeping);
        if (r < 0)
                return r;
        /* never read or write through a symlink; its directories resolve inside the root prefix */
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
                fprintf(out, "CPUAffinity: %s (systemd and its services, from the next boot)\n",
                        s->housekeeping);
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
