/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdio.h>

#include "json.h"
#include "plan-format.h"
#include "plan.h"

/*
 * The parts of the plan that `plan --json` and `status --json` both show: the CPU sets, each
 * port's worker lcores, and what the datapath was given (workers, MTU, socket memory). CPU sets
 * are strings in the kernel's list syntax, as "lcores" always was.
 */

void json_cpuset(JsonWriter *w, const char *key, const CpuSet *set);
/* "cpu": the isolation the plan asks for, configured or derived. */
void plan_json_cpu(JsonWriter *w, const Plan *plan, const Config *config);
/* Members of an open "datapath" object: "lcores", "main_core", "workers", "cores_per_port",
 * "mtu", "socket_mem", "socket_mem_source". */
void plan_json_datapath(JsonWriter *w, const Plan *plan, const Config *config);
/* "socket memory: 0,2048 MB (derived, MTU 1500)" and the like, for text output. */
void plan_format_socket_mem(const PlanDatapath *d, char *buf, size_t size);

/* The command-line switches, by their kernel command-line names; -1 = not given. */
typedef struct SwitchName {
        const char *name;
        int value;
} SwitchName;

size_t plan_switch_names(const Switches *sw, SwitchName ret[static 7]);
/* The device's driver in the snapshot, NULL when it has none or is not there. */
const char *plan_device_driver_now(const Context *ctx, const PlanDevice *d);

/* The plan as one JSON document, to f: what `plan --json` prints and what the generator writes to
 * PLAN_FILE for the units to execute (plan-format.h). */
int plan_json_write(const Context *ctx, FILE *f);

/* The plan document into plan_file_path() under the root prefix, atomically (mode 0644). Without
 * a config there is no plan: a file left by an earlier run is removed. */
int plan_file_write(const Context *ctx);
