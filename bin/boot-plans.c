/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot-plans.h"
#include "plan-format.h"

/* The decisions of a device that the two plans may disagree on. */
static const char *decision(const PlanDevice *d) {
        if (!d)
                return "not in the plan";
        if (d->refused)
                return "refused";
        return isempty(d->driver) ? "its kernel driver" : d->driver;
}

/* The first device on which the boot's plan and the plan of now disagree, said for people. */
static int plan_difference(const Plan *boot, const Plan *now, char **ret) {
        *ret = NULL;
        if (boot->state != now->state)
                return asprintf(ret, "this boot's plan is %s, the configuration's now %s",
                                plan_state_to_string(boot->state), plan_state_to_string(now->state)) < 0 ? -ENOMEM : 0;
        for (int pass = 0; pass < 2; pass++) {
                const Plan *a = pass == 0 ? boot : now, *b = pass == 0 ? now : boot;

                for (size_t i = 0; i < a->n_devices; i++) {
                        const PlanDevice *x = &a->devices[i], *y = plan_find_device(b, x->address);
                        const PlanDevice *then = pass == 0 ? x : y, *later = pass == 0 ? y : x;

                        if (y && x->refused == y->refused && streq(x->driver ?: "", y->driver ?: ""))
                                continue;
                        return asprintf(ret, "%s: %s this boot, %s with the configuration now", x->address,
                                        decision(then), decision(later)) < 0 ? -ENOMEM : 0;
                }
        }
        return 0;
}

int boot_plan_load(BootPlan *b, bool initrd, const Plan *now) {
        *b = (BootPlan) { .initrd = initrd };
        b->r = plan_file_load(plan_file_path(initrd), &b->file);
        if (b->r < 0)
                return 0;
        for (size_t i = 0; i < b->file.plan.n_devices; i++) {
                b->ports += plan_device_is_port(&b->file.plan.devices[i]);
                b->refused += b->file.plan.devices[i].refused;
        }
        return now ? plan_difference(&b->file.plan, now, &b->differs) : 0;
}

void boot_plan_done(BootPlan *b) {
        plan_file_free(&b->file);
        free(b->differs);
        *b = (BootPlan) {};
}

static void print_one(const char *indent, const BootPlan *b) {
        const char *path = plan_file_path(b->initrd);

        if (b->r == -ENOENT) {
                printf("%s%s: none%s\n", indent, path, b->initrd ? "" : " (the generator has not written one)");
                return;
        }
        if (b->r < 0) {
                printf("%s%s: unreadable (%s)\n", indent, path, strerror(-b->r));
                return;
        }
        printf("%s%s: %s", indent, path, plan_state_to_string(b->file.plan.state));
        if (b->file.plan.state == PLAN_ACTIVE)
                printf(", %zu port%s, %zu refused", b->ports, b->ports == 1 ? "" : "s", b->refused);
        printf("\n");
        if (b->differs)
                printf("%s  the configuration changed since: %s; 'systemctl daemon-reload' plans again, "
                       "a reboot applies it\n", indent, b->differs);
}

void boot_plans_print_text(const BootPlan *root, const BootPlan *initrd) {
        print_one("Boot plan: ", root);
        if (initrd->r != -ENOENT)
                print_one("           ", initrd);
}

void boot_plan_json(JsonWriter *w, const char *key, const BootPlan *b) {
        json_begin_object(w, key);
        json_string(w, "path", plan_file_path(b->initrd));
        json_bool(w, "present", b->r >= 0);
        json_string(w, "state", b->r >= 0 ? plan_state_to_string(b->file.plan.state) : NULL);
        json_uint(w, "ports", b->ports);
        json_uint(w, "refused", b->refused);
        json_string(w, "differs", b->differs);
        json_end_object(w);
}
