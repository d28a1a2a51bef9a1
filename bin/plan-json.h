/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "json.h"
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
