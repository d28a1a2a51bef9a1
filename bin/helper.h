/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plan-file.h"
#include "plan.h"

/*
 * The verbs of dpdk-boot. Each is the "main layer" of its command: it logs, the modules under it
 * (hugepages.c, pcidev.c, kmod-util.c, pci-names.c, unit-state.c, checks.c, json.c) return
 * negative errno and log at debug at most.
 *
 * Verbs return a process exit status (>= 0).
 */

/* Parsed command-line options, owned by dpdk-boot.c. */
extern bool arg_json;
extern bool arg_units;
extern bool arg_initrd;
extern bool arg_dry_run;       /* kargs */
extern bool arg_boot;          /* kargs, as dpdk-boot-kargs.service runs it */
extern bool arg_all;           /* restore: every port of the plan */
extern bool arg_on_stop;       /* restore --all from ExecStopPost=: not after a failure */
extern bool arg_from_plan;     /* bind, reserve, kargs, ovs-setup, vpp-config: execute this
                                * boot's plan file, as their units do */
extern bool arg_noapply;       /* set-override, unset-override: the drop-in only */
extern BootloaderKind arg_bootloader;
extern const char *arg_kernel; /* kargs, initrd-manifest: target kernel release */
extern const char *arg_cpu_vendor; /* kargs: intel, amd, unknown; NULL: detect */

/* context_load() for the verbs, initrd from --initrd or the environment; logs failures. */
int helper_context_load(Context *ctx);

/* This boot's plan file (the initramfs' with --initrd or in the initramfs); logs what to do
 * when there is none. */
int helper_plan_file_load(PlanFile *ret);

/*
 * The plan a unit verb executes: with --from-plan this boot's plan file (helper_plan_file_load()),
 * else planned afresh (helper_context_load()), for a person at the command line. Logs failures.
 */
typedef struct HelperPlan {
        Context ctx;           /* planned afresh */
        PlanFile file;         /* --from-plan */
        const Plan *plan;      /* one of the two */
        const Strv *errors;    /* the configuration's errors, when the plan is invalid */
} HelperPlan;

int helper_plan_load(HelperPlan *ret);
void helper_plan_done(HelperPlan *h);

/* What `dpdk-boot bind BDF TARGET` does on ctx (helper_context_load()): every gate, then the
 * bind; an empty target gives the device back to its kernel driver. Negative errno, logged;
 * -EPERM when a gate refused it. */
int bind_now(Context *ctx, const char *bdf, const char *target);

/* For messages: "no configuration", "disabled by dpdk=no", "configuration invalid", "active". */
const char *plan_state_describe(const Plan *plan, char *buf, size_t size);

int verb_reserve(int argc, char **argv);
int verb_bind(int argc, char **argv);
int verb_restore(int argc, char **argv);
int verb_verify(int argc, char **argv);
int verb_kargs(int argc, char **argv);
int verb_check(int argc, char **argv);
int verb_plan(int argc, char **argv);
int verb_status(int argc, char **argv);
int verb_config_stamp(int argc, char **argv);
int verb_mgmt_evidence(int argc, char **argv);
int verb_unbind(int argc, char **argv);
/* Preset=vpp: VPP's startup.conf with the plan's cpu and dpdk sections, in /run/dpdk-boot. */
int verb_vpp_config(int argc, char **argv);
/* Preset=ovs: the plan's DPDK settings, bridges and ports into ovsdb, before ovs-vswitchd. */
int verb_ovs_setup(int argc, char **argv);
/* User=/Group=/Mode=: the hugetlbfs mounts and /dev/vfio/N of the ports for the datapath. */
int verb_grant(int argc, char **argv);
/* Every network-class PCI function, what the next boot does with it and why (verb-list.c). */
int verb_list(int argc, char **argv);
/* Persistent bindings, one drop-in per device in /etc/dpdk-boot/conf.d (verb-override.c). */
int verb_set_override(int argc, char **argv);
int verb_unset_override(int argc, char **argv);
int verb_list_overrides(int argc, char **argv);
/* MGMT_SAVED's content, as the dracut module stores it (mgmt-evidence, initrd-manifest):
 * negative errno, nothing logged above debug. */
int mgmt_evidence_write(FILE *out);
/* What an initramfs needs, for the dracut module (verb-initrd-manifest.c). */
int verb_initrd_manifest(int argc, char **argv);
/* Record the NICs that have an interface now, for the management gate of later boots. */
void record_nic_macs(void);

/* Colour for terminal output; empty strings when stdout is not a TTY or NO_COLOR is set. */
const char *ansi_highlight_green(void);
const char *ansi_highlight_red(void);
const char *ansi_highlight_yellow(void);
const char *ansi_normal(void);
