/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * systemd's CPUAffinity= for [CPU] isolation: the file dpdk-boot kargs owns in system.conf.d
 * (bin/cpu-affinity.c writes it), what it holds for a plan, and whether the one there is it. PID 1
 * reads system.conf.d before generators run, so the generator only looks: when the file is not
 * what the plan asks for and ManageArgs=yes, it pulls in dpdk-boot-kargs.service.
 */

#define CPU_AFFINITY_FILE "/etc/systemd/system.conf.d/50-dpdk-boot-cpu.conf"
/* The first line of ours; a file of that name without it is someone else's. */
#define CPU_AFFINITY_HEADER "# Written by dpdk-boot kargs"

typedef enum CpuAffinityFileState {
        CPU_AFFINITY_ABSENT,
        CPU_AFFINITY_OURS,
        CPU_AFFINITY_FOREIGN,  /* another file, a directory, a FIFO, one too large to be ours */
} CpuAffinityFileState;

/* The file's content for the plan and the housekeeping CPU list, NULL both when the plan wants
 * no file: not active, no [CPU], no CPU isolated, or no housekeeping CPU. */
int cpu_affinity_content(const Plan *plan, char **ret_content, char **ret_housekeeping);
/* What is under the name now, under the root prefix (following symlinks: callers that write
 * check root_check_inside() first); with OURS, its content into *ret_text when not NULL. */
int cpu_affinity_current(CpuAffinityFileState *ret, char **ret_text);
/* CPU_AFFINITY_WRITE when the plan wants the file and the one there is missing, different or not
 * ours; CPU_AFFINITY_REMOVE when ours is there and the plan wants none; 0 when it is as the plan
 * asks (or not ours, and the plan wants none). */
enum {
        CPU_AFFINITY_WRITE = 1,
        CPU_AFFINITY_REMOVE = 2,
};
int cpu_affinity_drifts(const Plan *plan);
