/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "gates.h"
#include "helper.h"
#include "log.h"
#include "pcidev.h"
#include "plan-internal.h"
#include "plan.h"
#include "rootdir.h"

/*
 * set-override, unset-override, list-overrides: a binding that persists, the way driverctl keeps
 * them, as one drop-in per device in /etc/dpdk-boot/conf.d: OVERRIDE_PREFIX + address + ".conf",
 * holding an exact [Device] rule (Address=, Driver=). The configuration's own rules apply to it:
 * a later exact rule for the same address replaces an earlier one, drop-ins are read in file-name
 * order, so the override wins over the main file and over drop-ins whose names sort before
 * "90-" and yields to those after it (list-overrides says when one does).
 *
 * Unlike driverctl, which writes and then applies, set-override runs every gate of a bind first
 * (the management gate among them): a refused device gets no drop-in, so no boot finds a binding
 * that nobody saw refused. When the bind itself then fails, the drop-in is removed again. With
 * --noapply the gates still decide; only the bind is left to the next boot.
 */

#define OVERRIDE_DIR "/etc/dpdk-boot/conf.d"
#define OVERRIDE_PREFIX "90-override-"

static int override_path(const char *bdf, char **ret) {
        return asprintf(ret, OVERRIDE_DIR "/" OVERRIDE_PREFIX "%s.conf", bdf) < 0 ? -ENOMEM : 0;
}

/* The drivers a [Device] rule takes (config_parse_driver()): a DPDK driver, or "" (also written
 * "kernel") for the kernel's own. */
static int parse_driver(const char *arg, const char **ret) {
        if (isempty(arg) || streq(arg, "kernel")) {
                *ret = "";
                return 0;
        }
        if (!driver_is_dpdk(arg))
                return log_error_errno(EINVAL, "Driver '%s': expected vfio-pci, uio_pci_generic, igb_uio, or \"\" "
                                       "for the kernel's own driver (what a [Device] rule's Driver= takes).", arg);
        *ret = arg;
        return 0;
}

typedef struct Override {
        const char *bdf, *driver;
} Override;

static int write_override(FILE *f, void *userdata) {
        const Override *o = userdata;

        fprintf(f, "# A persistent binding, written by 'dpdk-boot set-override %s %s'; removed by\n"
                   "# 'dpdk-boot unset-override %s'. See dpdk-boot(8).\n"
                   "[Device]\nAddress=%s\nDriver=%s\n",
                o->bdf, isempty(o->driver) ? "\"\"" : o->driver, o->bdf, o->bdf, o->driver);
        return ferror(f) ? -EIO : 0;
}

/* The rule that decides the device now, when it is not the override's own file: a later drop-in
 * replaced it. Logged as a warning. */
static void warn_if_shadowed(const Context *ctx, const char *bdf, const char *path) {
        const PlanDevice *d = plan_find_device(&ctx->plan, bdf);

        if (d && !streq(plan_loc_file(&d->loc), path))
                log_warning("%s: %s:%u comes later and decides this device instead of %s.", bdf,
                            plan_loc_file(&d->loc), d->loc.line, path);
}

/* The gates a bind to driver runs, before anything is written: 0 to go ahead, -EPERM refused. */
static int override_gates(const char *bdf, const char *driver) {
        _cleanup_(context_free) Context ctx = {};
        int r;

        if (isempty(driver))
                return 0; /* back to the kernel's driver: restore, which no gate holds back */
        r = helper_context_load(&ctx);
        if (r < 0)
                return r;
        return gates_before_bind(&ctx, bdf, driver, NULL);
}

/* set-override: binds the device to the override's driver, as `bind BDF DRIVER` does, on the
 * configuration with the drop-in in it. */
static int apply_override(const char *bdf, const char *driver, const char *path) {
        _cleanup_(context_free) Context ctx = {};
        int r;

        r = helper_context_load(&ctx);
        if (r < 0)
                return r;
        warn_if_shadowed(&ctx, bdf, path);
        return bind_now(&ctx, bdf, driver);
}

/* unset-override: applies what the configuration now says of the device: its plan's target, or
 * its kernel driver when the plan has none for it (not selected, refused, no configuration,
 * switched off). An invalid configuration touches no device, as at boot. */
static int apply_config(const char *bdf) {
        _cleanup_(context_free) Context ctx = {};
        const PlanDevice *d;
        int r;

        r = helper_context_load(&ctx);
        if (r < 0)
                return r;
        if (ctx.plan.state == PLAN_INVALID)
                return log_error_errno(EINVAL, "%s: the configuration is invalid, leaving the device as it is; "
                                       "run 'dpdk-boot check'.", bdf);
        d = plan_find_device(&ctx.plan, bdf);
        if (ctx.plan.state != PLAN_ACTIVE || !d || d->refused)
                return bind_now(&ctx, bdf, "");
        return bind_now(&ctx, bdf, d->driver ?: "");
}

int verb_set_override(int argc, char **argv) {
        _cleanup_free_ char *path = NULL;
        const char *driver = NULL;
        char bdf[13];
        int r;

        (void) argc;
        if (pcidev_parse_address(argv[1], /* must_exist= */ true, bdf) < 0 || parse_driver(argv[2], &driver) < 0)
                return EXIT_FAILURE;
        if (override_path(bdf, &path) < 0)
                return log_oom(), EXIT_FAILURE;
        r = override_gates(bdf, driver);
        if (r < 0)
                return log_error_errno(r, "%s: not persisting the override: %s.", bdf,
                                       r == -EPERM ? "a gate refused the device" : "the gates could not run"),
                       EXIT_FAILURE;

        r = root_write_file_atomic_with(path, 0644, write_override, &(Override) { bdf, driver });
        if (r < 0)
                return log_error_errno(r, "Failed to write %s: %m", path), EXIT_FAILURE;
        log_info("%s: override %s written: %s at every boot.", bdf, path,
                 isempty(driver) ? "the kernel's own driver" : driver);
        if (arg_noapply)
                return EXIT_SUCCESS;

        r = apply_override(bdf, driver, path);
        if (r < 0) {
                int k = root_unlink(path);

                if (k < 0)
                        log_error_errno(k, "Failed to remove %s again: %m", path);
                else
                        log_error("%s: the device could not be bound now; %s removed again.", bdf, path);
                return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
}

int verb_unset_override(int argc, char **argv) {
        _cleanup_free_ char *path = NULL;
        char bdf[13];
        int r;

        (void) argc;
        /* The device need not exist: the override of a card that is gone may be removed. */
        if (pcidev_parse_address(argv[1], /* must_exist= */ false, bdf) < 0)
                return EXIT_FAILURE;
        if (override_path(bdf, &path) < 0)
                return log_oom(), EXIT_FAILURE;
        r = root_unlink(path);
        if (r == -ENOENT)
                return log_error_errno(r, "%s: no override (%s does not exist).", bdf, path), EXIT_FAILURE;
        if (r < 0)
                return log_error_errno(r, "Failed to remove %s: %m", path), EXIT_FAILURE;
        log_info("%s: override %s removed.", bdf, path);
        if (arg_noapply)
                return EXIT_SUCCESS;
        /* what the configuration says without it */
        r = pcidev_exists(bdf);
        if (r <= 0)
                return EXIT_SUCCESS;
        return apply_config(bdf) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* "0000:03:00.0.conf" after the prefix: the address, when the name is an override's. */
static bool override_name(const char *name, char bdf[static 13]) {
        size_t n = strlen(name), p = strlen(OVERRIDE_PREFIX);
        char normalized[13];

        if (n != p + 12 + 5 || strncmp(name, OVERRIDE_PREFIX, p) != 0 || !streq(name + n - 5, ".conf"))
                return false;
        memcpy(bdf, name + p, 12);
        bdf[12] = '\0';
        return pci_address_normalize(bdf, normalized) && streq(normalized, bdf);
}

static int name_cmp(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static const DeviceConfig *override_rule(const Config *c, const char *path) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].loc.file && streq(c->devices[i].loc.file, path))
                        return &c->devices[i];
        return NULL;
}

static void print_override(const Context *ctx, const char *bdf, const char *path) {
        const DeviceConfig *rule = override_rule(&ctx->config, path);
        const PlanDevice *d = plan_find_device(&ctx->plan, bdf);

        if (!rule) {
                /* replaced by a later exact rule, or not read at all (masked, invalid) */
                printf("%s (not in effect: %s", bdf, path);
                if (d)
                        printf(" is overridden by %s:%u", plan_loc_file(&d->loc), d->loc.line);
                printf(")\n");
                return;
        }
        printf("%s %s\n", bdf, isempty(rule->driver) ? "\"\"" : rule->driver);
}

int verb_list_overrides(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_(strv_free) Strv names = {};
        struct dirent *de;
        char bdf[13];

        (void) argc;
        (void) argv;
        if (helper_context_load(&ctx) < 0)
                return EXIT_FAILURE;
        d = root_opendir(OVERRIDE_DIR);
        if (!d && errno != ENOENT)
                return log_error_errno(errno, "Failed to read %s: %m", OVERRIDE_DIR), EXIT_FAILURE;
        while (d && (de = readdir(d)))
                if (override_name(de->d_name, bdf) && strv_push(&names, strdup(de->d_name)) < 0)
                        return log_oom(), EXIT_FAILURE;
        qsort_safe(names.v, names.n, sizeof(char *), name_cmp);
        for (size_t i = 0; i < names.n; i++) {
                _cleanup_free_ char *path = NULL;

                (void) override_name(names.v[i], bdf);
                if (override_path(bdf, &path) < 0)
                        return log_oom(), EXIT_FAILURE;
                print_override(&ctx, bdf, path);
        }
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
