/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "util.h"

/*
 * Whether the running system holds what the plan asks for. Each finding is one sentence naming
 * what is missing and how to fix it, pushed onto *problems; the return value is negative only
 * on OOM. Used by `verify` (which logs them) and `status` (which lists them).
 */

int check_hugepages(const Plan *plan, Strv *problems);
int check_devices(const Plan *plan, Strv *problems);
/* The datapath's hugepage size: free pages per node cover its socket memory (SocketMemory= or
 * derived), or, without socket memory, at least one page is free. */
int check_datapath_memory(const Plan *plan, Strv *problems);
