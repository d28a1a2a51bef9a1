/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "affinity.h"
#include "plan.h"

/*
 * Writing systemd's CPUAffinity= for [CPU] isolation (src/core/affinity.h: the file, its
 * content), the one file of systemd's that dpdk-boot kargs owns: PID 1 reads system.conf.d
 * before any generator runs, so it is persisted, like the kernel arguments, for the next boot.
 *
 * Written when the plan isolates CPUs and has housekeeping CPUs; removed when it no longer does,
 * and only when its first line says dpdk-boot kargs wrote it. A file of that name that does not
 * say so, or a symlink there, is never written over (-EEXIST, -ELOOP). Under a root prefix the
 * directories above it resolve inside the tree (root_check_inside()), so none leads out.
 */

typedef struct CpuAffinityStep {
        char *content;   /* what the file is to hold; NULL: no file of ours */
        char *housekeeping;
        bool present;    /* the file is there, ours */
        bool foreign;    /* the file is there, not ours: left alone when no file is wanted */
} CpuAffinityStep;

/* What is there now and what is wanted, before anything is written. */
int cpu_affinity_prepare(const Plan *plan, CpuAffinityStep *ret);
/* Writes, removes or leaves the file (with dry_run, shows the diff); one line on out. Returns
 * 1 when it changed (or would), 0 when it was so. */
int cpu_affinity_apply(const CpuAffinityStep *step, bool dry_run, FILE *out);
void cpu_affinity_step_done(CpuAffinityStep *step);
