/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "cleanup.h"
#include "hugepage-limits.h"
#include "hw.h"
#include "plan.h"
#include "config.h"
#include "gates.h"
#include "helper.h"
#include "log.h"
#include "message-ids.h"
#include "rootdir.h"

/*
 * check [FILE]: validate the configuration as the generator would read it (or one file), print
 * every error as "file:line: message". dpdk-boot-config.service runs this at boot when the
 * generator found errors, so they reach the journal at error priority.
 */

static void print_summary(const Config *c) {
        _cleanup_free_ char *cores = NULL;

        if (!cpuset_is_empty(&c->datapath.cores))
                cores = cpuset_to_string(&c->datapath.cores);
        else if (c->datapath.cores_per_port > 0 && asprintf(&cores, "%u per port", c->datapath.cores_per_port) < 0)
                cores = NULL;   /* chosen by the plan at boot, from the hardware found */

        printf("OK: %s", c->files.n > 0 ? c->files.v[0] : CONFIG_MAIN_FILE);
        if (c->files.n > 1)
                printf(" (+%zu drop-in%s)", c->files.n - 1, c->files.n == 2 ? "" : "s");
        printf(": %zu hugepage size%s, %zu device%s, datapath %s%s%s.\n",
               c->n_hugepages, c->n_hugepages == 1 ? "" : "s",
               c->n_devices, c->n_devices == 1 ? "" : "s",
               datapath_preset_to_string(c->datapath.preset),
               isempty(cores) ? "" : " on cores ", cores ?: "");
}

/*
 * The core reads FILE inside the root prefix, as everything else. A relative FILE is taken from
 * the current directory, which under --root must lie inside the root.
 */
static int absolute_path(const char *p, char **ret) {
        _cleanup_free_ char *cwd = NULL, *full = NULL;
        const char *root = root_get();
        size_t n = strlen(root);

        if (p[0] == '/') {
                *ret = strdup(p);
                return *ret ? 0 : -ENOMEM;
        }
        cwd = getcwd(NULL, 0);
        if (!cwd)
                return -errno;
        full = strjoin3(cwd, "/", p);
        if (!full)
                return -ENOMEM;
        if (n == 0) {
                *ret = TAKE_PTR(full);
                return 0;
        }
        if (strncmp(full, root, n) != 0 || full[n] != '/')
                return -EXDEV;
        *ret = strdup(full + n);
        return *ret ? 0 : -ENOMEM;
}

/*
 * The summary of an invalid configuration, as dpdk-boot-config.service logs it at boot: with
 * its MESSAGE_ID when stderr is the journal, so `journalctl -x` shows the catalog entry.
 */
static void log_config_invalid(const Config *c) {
        const char *s = c->errors.n == 1 ? "" : "s", *it = c->errors.n == 1 ? "it is" : "they are";

        if (stderr_is_journal() &&
            sd_journal_send("MESSAGE=%zu error%s; the generator will set nothing up until %s fixed.",
                            c->errors.n, s, it,
                            "MESSAGE_ID=" DPDK_BOOT_MESSAGE_CONFIG_INVALID_STR,
                            "PRIORITY=%i", LOG_ERR,
                            "SYSLOG_IDENTIFIER=%s", program_invocation_short_name,
                            "DPDK_BOOT_CONFIG=%s", c->files.n > 0 ? c->files.v[0] : CONFIG_MAIN_FILE,
                            NULL) >= 0)
                return;
        log_error("%zu error%s; the generator will set nothing up until %s fixed.", c->errors.n, s, it);
}

/* The hugepages against this host's memory and CPU (under --root: the tree's, when it has them). */
static int check_hugepage_limits(const Config *c) {
        _cleanup_(strv_free) Strv problems = {};
        HwMemory mem;
        int r;

        if (c->n_hugepages == 0)
                return 0;
        r = hw_read_memory(&mem, UINT64_MAX, true);
        if (r >= 0)
                r = hugepage_limits_check(c->hugepages, c->n_hugepages, &mem, NULL, &problems);
        if (r < 0)
                return log_error_errno(r, "Failed to check the hugepages against the memory: %m");
        for (size_t i = 0; i < problems.n; i++)
                log_error("%s", problems.v[i]);
        return problems.n > 0 ? -ERANGE : 0;
}

/* VirtualFunctions= against the PFs of this host (under --root: the tree's). */
static int check_sriov_limits(const Config *c) {
        _cleanup_(strv_free) Strv problems = {};
        _cleanup_(hw_free) Hardware hw = {};
        int r;

        if (!config_uses_sriov(c))
                return 0;
        r = hw_read(&hw, c, /* cmdline= */ NULL, 0);
        if (r >= 0)
                r = plan_sriov_check(c, &hw, &problems);
        if (r < 0)
                return log_error_errno(r, "Failed to check VirtualFunctions= against the devices: %m");
        for (size_t i = 0; i < problems.n; i++)
                log_error("%s", problems.v[i]);
        return problems.n > 0 ? -ERANGE : 0;
}

int verb_check(int argc, char **argv) {
        _cleanup_(config_free) Config c = {};
        _cleanup_free_ char *file = NULL;
        int r;

        if (argc > 1) {
                r = absolute_path(argv[1], &file);
                if (r == -EXDEV)
                        return log_error_errno(r, "%s: not inside the root %s.", argv[1], root_get()),
                               EXIT_FAILURE;
                if (r < 0)
                        return log_error_errno(r, "%s: %m", argv[1]), EXIT_FAILURE;
        }

        r = file ? config_load_file(&c, file) : config_load(&c);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", file ?: "the configuration"), EXIT_FAILURE;

        for (size_t i = 0; i < c.errors.n; i++)
                log_error("%s", c.errors.v[i]);
        if (c.errors.n > 0) {
                if (file)
                        log_error("%zu error%s in %s.", c.errors.n, c.errors.n == 1 ? "" : "s", file);
                else
                        log_config_invalid(&c);
                return EXIT_FAILURE;
        }

        if (!c.exists) {
                if (file)
                        return log_error_errno(ENOENT, "%s: no such file.", file), EXIT_FAILURE;
                printf("No configuration (%s): nothing will be set up.\n", CONFIG_MAIN_FILE);
                return EXIT_SUCCESS;
        }

        if (check_hugepage_limits(&c) < 0 || check_sriov_limits(&c) < 0)
                return EXIT_FAILURE;
        print_summary(&c);
        return EXIT_SUCCESS;
}
