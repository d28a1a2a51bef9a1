/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * The plan the generator wrote for this boot (PLAN_FILE, PLAN_FILE_INITRD: the document of
 * `plan --json`), read back by the units that execute it: reserve, a bind unit, verify, kargs,
 * ovs-setup, vpp-config. The Plan holds
 * what they need of it; its strings point into the parsed document, which lives as long as the
 * PlanFile. Fields the document does not carry stay empty: rule is NULL, exec_start and eal are
 * not loaded, nor the gates, the CPU isolation or the IOMMU mode (kernel.families and
 * kernel.args say what the command line needs of them).
 */
typedef struct PlanFile {
        struct json_object *root; /* json-c's, declared only: its json_bool clashes with json.h's */
        Plan plan;
        Strv errors;           /* the configuration's, when the plan is invalid */
} PlanFile;

/* path under the root prefix. -ENOENT without it, -EBADMSG when it is not a plan document,
 * -EPROTONOSUPPORT for another version of the format. */
int plan_file_load(const char *path, PlanFile *ret);
void plan_file_free(PlanFile *f);
