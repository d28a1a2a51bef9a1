/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
#include "cleanup.h"
#include "config.h"
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
                     "# systemd and the services it starts stay on the housekeeping CPUs, "
                     "from the next boot.\n"
                     "# Do not edit: change the configuration and run 'dpdk-boot kargs'. "
                     "To undo, remove [CPU]\n"
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

int cpu_affinity_current(CpuAffinityFileState *ret, char **ret_text) {
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = root_read_file(CPU_AFFINITY_FILE, CPU_AFFINITY_MAX + 1, &text, &size);
        if (r == -ENOENT) {
                *ret = CPU_AFFINITY_ABSENT;
                return 0;
        }
        if (r == -EISDIR || r == -EBADFD) {
                *ret = CPU_AFFINITY_FOREIGN;
                return 0;
        }
        if (r < 0)
                return r;
        if (size > CPU_AFFINITY_MAX || !strneq(text, CPU_AFFINITY_HEADER, strlen(CPU_AFFINITY_HEADER))) {
                *ret = CPU_AFFINITY_FOREIGN;
                return 0;
        }
        *ret = CPU_AFFINITY_OURS;
        if (ret_text)
                *ret_text = TAKE_PTR(text);
        return 0;
}

int cpu_affinity_drifts(const Plan *p) {
        _cleanup_free_ char *want = NULL, *hk = NULL, *have = NULL;
        CpuAffinityFileState st;
        int r;

        r = cpu_affinity_content(p, &want, &hk);
        if (r < 0)
                return r;
        r = cpu_affinity_current(&st, &have);
        if (r < 0)
                return r;
        if (!want)
                return st == CPU_AFFINITY_OURS ? CPU_AFFINITY_REMOVE : 0;
        /* a file that is not ours under the name is a drift too: kargs names it and fails */
        return st != CPU_AFFINITY_OURS || !streq(have, want) ? CPU_AFFINITY_WRITE : 0;
}
