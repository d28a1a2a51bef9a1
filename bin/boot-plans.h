/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "json.h"
#include "plan-file.h"

/*
 * The plans this boot executed, as `status` shows them beside the live state: the real root's
 * (PLAN_FILE) and the initramfs' (PLAN_FILE_INITRD), each as the generator wrote it, and how the
 * real root's differs from the plan the configuration gives now.
 */
typedef struct BootPlan {
        bool initrd;
        int r;                 /* plan_file_load()'s: 0, -ENOENT without a file, ... */
        PlanFile file;
        size_t ports, refused;
        char *differs;         /* the first difference from the plan of now, NULL when none */
} BootPlan;

/* now: the plan the configuration gives now, to compare with (NULL: not compared). */
int boot_plan_load(BootPlan *b, bool initrd, const Plan *now);
void boot_plan_done(BootPlan *b);
/* "Boot plan:" lines of `status`. */
void boot_plans_print_text(const BootPlan *root, const BootPlan *initrd);
void boot_plan_json(JsonWriter *w, const char *key, const BootPlan *b);
