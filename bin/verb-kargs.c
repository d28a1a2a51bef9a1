/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"
#include "cleanup.h"
#include "cpu-affinity.h"
#include "helper.h"
#include "kargs.h"
#include "log.h"
#include "rootdir.h"

/*
 * kargs: put the kernel arguments the plan needs into the bootloader, owning only ours.
 *
 * With --boot it is dpdk-boot-kargs.service, which the generator pulls in when the running
 * command line lacks some of them and [Kernel] ManageArgs=yes: it persists them, and with
 * RebootPolicy=once reboots, at most once per configuration. The guard is a file
 * /var/lib/dpdk-boot/reboot-<the config's digest>, written (and synced) before the reboot: if
 * the arguments still are not there on the next boot (a bootloader that does not read what we
 * wrote), the file is there and nothing reboots again until the configuration changes. Keyed on
 * the configuration, not on the arguments: those also follow the hardware (a CPU without
 * pdpe1gb asks for 2M pages as the default size), and a reboot never changes the hardware.
 * The unit runs it with --from-plan: the arguments, what the running kernel lacks of them and
 * [Kernel] are the plan file's ("kernel"), which the generator made for this kernel and CPU.
 *
 * With the arguments it persists systemd's CPUAffinity= for [CPU] isolation (cpu-affinity.c):
 * like isolcpus=, PID 1 takes it only at the next boot. Its file is checked before anything is
 * written (one of that name that is not ours refuses the whole run, as a GRUB conflict does) and
 * written after the boot loader.
 */

typedef struct KargsRun {
        HelperPlan hp;
        const PlanKernel *kernel; /* [Kernel] */
        KargsEnv env;
        KargsRequest req;
        CpuAffinityStep cpu;
        Strv missing;
        BootloaderKind kind;
        const char *kind_source;
} KargsRun;

static void kargs_run_done(KargsRun *k) {
        helper_plan_done(&k->hp);
        strv_free(&k->req.args);
        strv_free(&k->req.owned);
        strv_free(&k->missing);
        cpu_affinity_step_done(&k->cpu);
}

static int pick_bootloader(KargsRun *k) {
        int r;

        if (arg_bootloader != BOOTLOADER_AUTO) {
                k->kind = arg_bootloader;
                k->kind_source = "--bootloader";
                return 0;
        }
        if (k->kernel->bootloader != BOOTLOADER_AUTO) {
                k->kind = k->kernel->bootloader;
                k->kind_source = "Bootloader=";
                return 0;
        }
        k->kind_source = "detected";
        r = bootloader_detect(&k->kind);
        if (r < 0)
                return log_error_errno(r, "No bootloader configuration found under '%s/' (GRUB, "
                                       "/etc/kernel/cmdline, loader entries, grubby, bootc, UKIs); set "
                                       "[Kernel] Bootloader= or --bootloader=.", root_get());
        return 0;
}

static int strv_copy(Strv *dst, const Strv *src) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < src->n; i++)
                r = strv_push(dst, strdup(src->v[i]));
        return r;
}

/* The arguments: the plan file's with --from-plan, made for this kernel (or --kernel=) without. */
static int kargs_needed(KargsRun *k) {
        const Plan *p = k->hp.plan;
        int r;

        if (arg_from_plan) {
                if (strv_copy(&k->req.args, &p->kernel.args) < 0 ||
                    strv_copy(&k->missing, &p->kernel.missing) < 0)
                        return log_oom();
                k->req.families = p->kernel.families;
                return 0;
        }
        r = kargs_env_cli(arg_kernel, &k->env);
        if (r < 0)
                return log_error_errno(r, "Failed to parse the kernel release '%s': %m", arg_kernel ?: "");
        r = kargs_of_context(&k->hp.ctx, &k->env, &k->req.args, &k->missing);
        if (r < 0)
                return log_oom();
        k->req.families = kargs_plan_families(p);
        return 0;
}

static int kargs_load(KargsRun *k) {
        int r;

        r = helper_plan_load(&k->hp);
        if (r < 0)
                return r;
        k->kernel = &k->hp.plan->kernel;
        if (k->hp.plan->state == PLAN_INVALID)
                return log_error_errno(EINVAL, "The configuration is invalid; run 'dpdk-boot check'.");
        r = kargs_needed(k);
        if (r < 0)
                return r;
        r = kargs_owned_load(&k->req.owned);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s%s: %m", root_get(), KARGS_OWNED_FILE);
        return pick_bootloader(k);
}

/* Before anything is written: what becomes of the CPUAffinity= file, refused when the name is
 * taken by a file that is not ours. */
static int cpu_affinity_check(KargsRun *k) {
        int r = cpu_affinity_prepare(k->hp.plan, &k->cpu);

        switch (r) {
        case 0:
                return 0;
        case -ENOMEM:
                return log_oom();
        case -EEXIST:
                return log_error_errno(r, "%s%s was not written by dpdk-boot (its first line is not "
                                       "'%s'): not writing CPUAffinity=%s over it, nor anything else. Move "
                                       "it away, or remove [CPU], and run 'dpdk-boot kargs' again.",
                                       root_get(), CPU_AFFINITY_FILE, CPU_AFFINITY_HEADER,
                                       k->cpu.housekeeping);
        case -ELOOP:
                return log_error_errno(r, "%s%s is a symlink: not writing CPUAffinity= through it, nor "
                                       "anything else.", root_get(), CPU_AFFINITY_FILE);
        default:
                return log_error_errno(r, "Failed to check %s%s: %m", root_get(), CPU_AFFINITY_FILE);
        }
}

static int kargs_persist(KargsRun *k) {
        _cleanup_free_ char *joined = kargs_join(&k->req.args);
        int changed, r;

        if (!joined)
                return log_oom();
        printf("Arguments:  %s\n", *joined ? joined : "(none)");
        printf("Bootloader: %s (%s)\n", bootloader_kind_to_string(k->kind), k->kind_source);
        if (!arg_from_plan && (k->req.families & KARGS_FAMILY_IOMMU) && k->env.vendor == CPU_VENDOR_UNKNOWN)
                /* an image: the build host's CPU says nothing about where it will boot */
                printf("IOMMU:      vendor unknown (no ACPI DMAR or IVRS table, no vendor_id in %s/proc/cpuinfo): "
                       "intel_iommu=/amd_iommu= left to the first boot, where dpdk-boot-kargs.service adds "
                       "it (ManageArgs=yes)\n", root_get());
        r = cpu_affinity_check(k);
        if (r < 0)
                return r;
        k->req.dry_run = arg_dry_run;
        k->req.take_over = k->kernel->take_over_args;
        k->req.secureboot_private_key = k->kernel->secureboot_private_key;
        k->req.secureboot_certificate = k->kernel->secureboot_certificate;
        changed = bootloader_apply(k->kind, &k->req, stdout);
        if (changed == -EOPNOTSUPP)
                return log_error_errno(changed, "grubby edits the running host's /boot and cannot work on "
                                       "a tree under --root; use --bootloader=bls for an image.");
        if (changed < 0)
                return log_error_errno(changed, "Failed to write the kernel arguments for %s under '%s/': %m",
                                       bootloader_kind_to_string(k->kind), root_get());
        if (!arg_dry_run) {
                r = kargs_owned_save(&k->req.args);
                if (r < 0)
                        return log_error_errno(r, "Failed to write %s%s: %m", root_get(), KARGS_OWNED_FILE);
        }
        r = cpu_affinity_apply(&k->cpu, arg_dry_run, stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s%s: %m", root_get(), CPU_AFFINITY_FILE);
        return changed || r > 0;
}

/* A plan file without the digest (one written before it was there) keys on the arguments. */
static int guard_path(const KargsRun *k, char **ret) {
        uint64_t key = k->kernel->config_digest ?: kargs_hash(&k->req.args);

        return asprintf(ret, "%s/reboot-%016" PRIx64, KARGS_STATE_DIR, key) < 0 ? -ENOMEM : 0;
}

/* Whether every word of missing is one of the words of text (a guard's content). */
static bool words_cover(const char *text, const Strv *missing) {
        for (size_t i = 0; i < missing->n; i++) {
                size_t n = strlen(missing->v[i]);
                bool found = false;

                for (const char *p = text; *p && !found; p += strcspn(p, " \n"), p += strspn(p, " \n"))
                        found = strncmp(p, missing->v[i], n) == 0 && (p[n] == 0 || p[n] == ' ' || p[n] == '\n');
                if (!found)
                        return false;
        }
        return true;
}

/* A guard of an earlier reboot that was asked for every argument missing now: that reboot did
 * not bring them, so another one would not either, even for a new configuration that only asks
 * for fewer (a section removed). Its path into *ret. */
static int find_covering_guard(const Strv *missing, char **ret) {
        _cleanup_closedir_ DIR *d = root_opendir(KARGS_STATE_DIR);
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL, *text = NULL;

                if (strncmp(de->d_name, "reboot-", 7) != 0)
                        continue;
                if (asprintf(&path, "%s/%s", KARGS_STATE_DIR, de->d_name) < 0)
                        return -ENOMEM;
                if (root_read_file(path, 64 * 1024, &text, NULL) < 0)
                        continue;
                if (words_cover(text, missing)) {
                        *ret = TAKE_PTR(path);
                        return 1;
                }
        }
        return 0;
}

static int reboot_once(KargsRun *k, const char *missing) {
        _cleanup_free_ char *guard = NULL, *content = NULL;
        char *argv[] = { (char *) "systemctl", (char *) "--no-block", (char *) "reboot", NULL };
        int r;

        if (guard_path(k, &guard) < 0)
                return log_oom();
        if (root_exists(guard) <= 0) {
                _cleanup_free_ char *earlier = NULL;

                r = find_covering_guard(&k->missing, &earlier);
                if (r < 0)
                        return log_oom();
                if (r > 0) {
                        free(guard);
                        guard = TAKE_PTR(earlier);
                }
        }
        if (root_exists(guard) > 0) {
                log_warning("Rebooted once already for this configuration (%s%s), and the running kernel "
                            "still lacks: %s. Not rebooting again for this configuration; check that "
                            "Bootloader=%s is what this machine boots from.", root_get(), guard, missing,
                            bootloader_kind_to_string(k->kind));
                return 0;
        }
        if (asprintf(&content, "%s\n", missing) < 0)
                return log_oom();
        /* The guard is on disk before the reboot is asked for: a crash in between means no
         * reboot, never a second one. */
        r = kargs_state_write(guard, content);
        if (r < 0)
                return log_error_errno(r, "Failed to write the reboot guard %s%s, not rebooting: %m",
                                       root_get(), guard);
        if (!root_is_host()) {
                printf("Reboot: would reboot now to take: %s (not for a tree under --root)\n", missing);
                return 0;
        }
        log_notice("Rebooting once to take the kernel arguments: %s (RebootPolicy=once; guard %s).",
                   missing, guard);
        r = spawn_command(argv, NULL);
        if (r != 0)
                return log_error_errno(r < 0 ? r : EPROTO, "Failed to ask for a reboot with systemctl: %m");
        return 0;
}

/* dpdk-boot-kargs.service: persist, then reboot or not, and say why. */
static int kargs_boot(KargsRun *k) {
        _cleanup_free_ char *missing = kargs_join(&k->missing);
        const PlanKernel *kc = k->kernel;
        PlanState state = k->hp.plan->state;
        int r;

        if (!missing)
                return log_oom();
        if (state != PLAN_ACTIVE || !kc->manage_args) {
                printf("Nothing to do: %s.\n", state != PLAN_ACTIVE ?
                       plan_state_to_string(state) : "[Kernel] ManageArgs=no");
                return 0;
        }
        r = kargs_persist(k);
        if (r < 0)
                return r;
        if (k->missing.n == 0) {
                printf("Reboot: not needed, the running kernel has every argument.\n");
                return 0;
        }
        if (kc->reboot_policy == REBOOT_NEVER) {
                log_warning("Reboot required to take the kernel arguments: %s. RebootPolicy=never: "
                            "the next boot takes them.", missing);
                return 0;
        }
        return reboot_once(k, missing);
}

int verb_kargs(int argc, char **argv) {
        _cleanup_(kargs_run_done) KargsRun k = {};
        int r;

        r = kargs_load(&k);
        if (r < 0)
                return EXIT_FAILURE;
        r = arg_boot ? kargs_boot(&k) : kargs_persist(&k);
        if (r < 0)
                return EXIT_FAILURE;
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error_errno(EIO, "Failed to write the output: %m"), EXIT_FAILURE;
        return EXIT_SUCCESS;
}
