/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-build.h"
#include "helper.h"
#include "log.h"
#include "plan-format.h"
#include "plan.h"
#include "rootdir.h"
#include "util.h"

/*
 * dpdk-boot: the runtime half of the project. The generator decides at boot what to do and
 * writes units; those units run this program to do it (reserve, bind), to check it (verify,
 * check), and an administrator runs it to see why DPDK is or is not up (status, plan).
 */

bool arg_json = false;
bool arg_units = false;
bool arg_initrd = false;
bool arg_dry_run = false;
bool arg_boot = false;
bool arg_all = false;
bool arg_on_stop = false;
bool arg_from_plan = false;
bool arg_noapply = false;
BootloaderKind arg_bootloader = BOOTLOADER_AUTO;
const char *arg_kernel = NULL;
const char *arg_cpu_vendor = NULL;

typedef struct Verb {
        const char *name;
        int min_args, max_args; /* positional arguments after the verb */
        int (*run)(int argc, char **argv);
} Verb;

static const Verb verbs[] = {
        { "reserve", 0, 0, verb_reserve },
        { "bind",    0, 2, verb_bind },
        { "restore", 0, 1, verb_restore },
        { "unbind",  1, 1, verb_unbind },
        { "verify",  0, 0, verb_verify },
        { "kargs",   0, 0, verb_kargs },
        { "check",   0, 1, verb_check },
        { "plan",    0, 0, verb_plan },
        { "status",  0, 0, verb_status },
        { "config-stamp", 0, 0, verb_config_stamp },
        { "mgmt-evidence", 0, 0, verb_mgmt_evidence },
        { "initrd-manifest", 0, 0, verb_initrd_manifest },
        { "vpp-config", 0, 0, verb_vpp_config },
        { "ovs-setup", 0, 0, verb_ovs_setup },
        { "grant", 0, 0, verb_grant },
        { "list", 0, 0, verb_list },
        { "set-override", 2, 2, verb_set_override },
        { "unset-override", 1, 1, verb_unset_override },
        { "list-overrides", 0, 0, verb_list_overrides },
};

static void help(void) {
        printf("%s [OPTIONS...] COMMAND\n\n"
               "Reserve hugepages and bind NICs for DPDK at boot, and report on it.\n\n"
               "Commands:\n"
               "  reserve             Reserve the configured hugepages, read back, report shortfalls\n"
               "  bind BDF [DRIVER]   Bind a PCI device to DRIVER, or to its configured driver\n"
               "  restore BDF|--all   Give a PCI device, or every port of the plan, back to its kernel driver\n"
               "  unbind BDF          Take a PCI device off its driver, leaving it with none\n"
               "  kargs               Put the kernel arguments the plan needs into the bootloader\n"
               "  verify              Check that hugepages, mounts and bindings are as planned\n"
               "  check [FILE]        Validate the configuration, or one file (inside --root)\n"
               "  plan                Show what the next boot will do\n"
               "  status              Show whether DPDK is up, and why not\n"
               "  list                List every network PCI function and what the next boot does with it\n"
               "  set-override BDF DRIVER  Bind a device to DRIVER now and at every boot (\"\" for the kernel's)\n"
               "  unset-override BDF  Remove a device's override, and apply what the configuration says\n"
               "  list-overrides      List the overrides and the driver each sets\n"
               "  config-stamp        Print the stamp of the configuration an initramfs records\n"
               "  mgmt-evidence       Print the management-path evidence an initramfs records\n"
               "  initrd-manifest     Print what an initramfs needs: config files, modules, evidence\n"
               "  vpp-config          Write VPP's startup.conf with the plan's cpu and dpdk sections\n"
               "  ovs-setup           Write the plan's DPDK settings, bridges and ports into ovsdb\n"
               "  grant               Give a non-root datapath its hugetlbfs mounts and VFIO groups\n\n"
               "Options:\n"
               "  -h --help           Show this help\n"
               "     --version        Show the version\n"
               "     --root DIR       Operate on the tree under DIR (also: DPDK_BOOT_ROOT)\n"
               "     --json           JSON output (plan, status, list)\n"
               "     --initrd         Plan as in the initramfs\n"
               "     --units          With plan: render the units and print them\n"
               "     --dry-run        With kargs: show the changes as a diff, write nothing;\n"
               "                      with ovs-setup: print the ovs-vsctl command\n"
               "     --bootloader=KIND  With kargs: grub, bls, grubby, bootc or uki (default: detect)\n"
               "     --kernel=RELEASE With kargs, initrd-manifest: the target kernel (default: the running one)\n"
               "     --cpu-vendor=VENDOR  With kargs: intel, amd or unknown (default: from the tree's ACPI\n"
               "                      tables and /proc/cpuinfo)\n"
               "     --boot           With kargs: as at boot: persist if ManageArgs=yes, apply RebootPolicy=\n"
               "     --all            With restore: every port of the plan\n"
               "     --on-stop        With restore: --all, as the datapath's ExecStopPost= runs it (not after a crash)\n"
               "     --from-plan      With bind, reserve, kargs, ovs-setup, vpp-config: execute this\n"
               "                      boot's plan file, as their units do, instead of planning afresh\n"
               "     --noapply        With set-override, unset-override: only change the configuration\n",
               program_invocation_short_name);
}

enum {
        ARG_VERSION = 0x100,
        ARG_ROOT,
        ARG_JSON,
        ARG_INITRD,
        ARG_UNITS,
        ARG_DRY_RUN,
        ARG_BOOTLOADER,
        ARG_KERNEL,
        ARG_BOOT,
        ARG_ALL,
        ARG_ON_STOP,
        ARG_FROM_PLAN,
        ARG_CPU_VENDOR,
        ARG_NOAPPLY,
};

static int parse_argv(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help",    no_argument,       NULL, 'h'         },
                { "version", no_argument,       NULL, ARG_VERSION },
                { "root",    required_argument, NULL, ARG_ROOT    },
                { "json",    no_argument,       NULL, ARG_JSON    },
                { "initrd",  no_argument,       NULL, ARG_INITRD  },
                { "units",   no_argument,       NULL, ARG_UNITS   },
                { "dry-run", no_argument,       NULL, ARG_DRY_RUN },
                { "bootloader", required_argument, NULL, ARG_BOOTLOADER },
                { "kernel",  required_argument, NULL, ARG_KERNEL  },
                { "boot",    no_argument,       NULL, ARG_BOOT    },
                { "all",     no_argument,       NULL, ARG_ALL     },
                { "on-stop", no_argument,       NULL, ARG_ON_STOP },
                { "from-plan", no_argument,     NULL, ARG_FROM_PLAN },
                { "cpu-vendor", required_argument, NULL, ARG_CPU_VENDOR },
                { "noapply", no_argument,       NULL, ARG_NOAPPLY },
                {}
        };
        int c, r;

        /* Options may come before or after the command ("dpdk-boot status --json"). */
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("dpdk-boot %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_ROOT:
                        if (isempty(optarg) || optarg[0] != '/')
                                return log_error_errno(EINVAL,
                                                       "--root needs an absolute directory, got '%s'.",
                                                       optarg);
                        root_set(optarg);
                        break;
                case ARG_JSON:
                        arg_json = true;
                        break;
                case ARG_INITRD:
                        arg_initrd = true;
                        break;
                case ARG_ALL:
                        arg_all = true;
                        break;
                case ARG_ON_STOP:
                        arg_on_stop = arg_all = true;
                        break;
                case ARG_UNITS:
                        arg_units = true;
                        break;
                case ARG_FROM_PLAN:
                        arg_from_plan = true;
                        break;
                case ARG_NOAPPLY:
                        arg_noapply = true;
                        break;
                case ARG_DRY_RUN:
                        arg_dry_run = true;
                        break;
                case ARG_BOOTLOADER:
                        r = bootloader_kind_from_string(optarg);
                        if (r < 0)
                                return log_error_errno(EINVAL, "--bootloader=%s: expected auto, grub, bls, "
                                                       "grubby, bootc or uki.", optarg);
                        arg_bootloader = (BootloaderKind) r;
                        break;
                case ARG_KERNEL:
                        arg_kernel = optarg;
                        break;
                case ARG_CPU_VENDOR:
                        if (!streq(optarg, "intel") && !streq(optarg, "amd") && !streq(optarg, "unknown"))
                                return log_error_errno(EINVAL, "--cpu-vendor=%s: expected intel, amd or unknown.",
                                                       optarg);
                        arg_cpu_vendor = optarg;
                        break;
                case ARG_BOOT:
                        arg_boot = true;
                        break;
                case '?':
                        return -EINVAL;
                default:
                        abort();
                }
        return 1;
}

int helper_context_load(Context *ctx) {
        int r;

        r = context_load_full(ctx, arg_initrd || in_initrd());
        if (r < 0)
                return log_error_errno(r, "Failed to load the configuration and hardware state: %m");
        return 0;
}

int helper_plan_file_load(PlanFile *ret) {
        const char *path = plan_file_path(arg_initrd || in_initrd());
        int r;

        r = plan_file_load(path, ret);
        if (r == -ENOENT)
                return log_error_errno(r, "No plan for this boot: %s is missing. The generator writes it at "
                                       "boot and at 'systemctl daemon-reload'; run that, and 'dpdk-boot plan' "
                                       "to see it.", path);
        if (r == -EPROTONOSUPPORT)
                return log_error_errno(r, "%s was written by another version of dpdk-boot (format %s); run "
                                       "'systemctl daemon-reload' to have it written again.", path,
                                       "other than " PLAN_FORMAT_VERSION_STR);
        if (r < 0)
                return log_error_errno(r, "Failed to read the plan of this boot from %s: %m", path);
        return 0;
}

int helper_plan_load(HelperPlan *ret) {
        int r;

        *ret = (HelperPlan) {};
        if (arg_from_plan) {
                r = helper_plan_file_load(&ret->file);
                ret->plan = &ret->file.plan;
                ret->errors = &ret->file.errors;
        } else {
                r = helper_context_load(&ret->ctx);
                ret->plan = &ret->ctx.plan;
                ret->errors = &ret->ctx.config.errors;
        }
        return r;
}

void helper_plan_done(HelperPlan *h) {
        context_free(&h->ctx);
        plan_file_free(&h->file);
        h->plan = NULL;
        h->errors = NULL;
}

const char *plan_state_describe(const Plan *plan, char *buf, size_t size) {
        switch (plan->state) {
        case PLAN_NO_CONFIG:
                return "no configuration";
        case PLAN_DISABLED:
                (void) snprintf(buf, size, "disabled by %s", plan->disabled_by ?: "the kernel command line");
                return buf;
        case PLAN_INVALID:
                return "configuration invalid";
        default:
                return "active";
        }
}

static const Verb *find_verb(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, name))
                        return &verbs[i];
        return NULL;
}

/* The verbs a unit runs with --from-plan. */
static bool executes_plan_file(const char *verb) {
        static const char *const names[] = { "bind", "reserve", "kargs", "ovs-setup", "vpp-config", "grant",
                                             "restore" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(verb, names[i]))
                        return true;
        return false;
}

static int dispatch(int argc, char *argv[]) {
        const Verb *v;
        int n;

        if (optind >= argc)
                return log_error_errno(EINVAL, "No command given, see --help.");

        v = find_verb(argv[optind]);
        if (!v)
                return log_error_errno(EINVAL, "Unknown command '%s', see --help.",
                                       argv[optind]);
        n = argc - optind - 1;
        if (n < v->min_args || n > v->max_args)
                return log_error_errno(EINVAL, "Wrong number of arguments for '%s', see --help.",
                                       v->name);
        if (arg_units && !streq(v->name, "plan"))
                return log_error_errno(EINVAL, "--units only applies to 'plan'.");
        if ((arg_boot || arg_bootloader != BOOTLOADER_AUTO) && !streq(v->name, "kargs"))
                return log_error_errno(EINVAL, "--boot and --bootloader only apply to 'kargs'.");
        if (arg_kernel && !streq(v->name, "kargs") && !streq(v->name, "initrd-manifest"))
                return log_error_errno(EINVAL, "--kernel only applies to 'kargs' and 'initrd-manifest'.");
        if (arg_dry_run && !streq(v->name, "kargs") && !streq(v->name, "ovs-setup"))
                return log_error_errno(EINVAL, "--dry-run only applies to 'kargs' and 'ovs-setup'.");
        if (arg_noapply && !streq(v->name, "set-override") && !streq(v->name, "unset-override"))
                return log_error_errno(EINVAL, "--noapply only applies to 'set-override' and 'unset-override'.");
        if (arg_on_stop && !streq(v->name, "restore"))
                return log_error_errno(EINVAL, "--on-stop only applies to 'restore'.");
        if (arg_all && !streq(v->name, "restore") && !streq(v->name, "bind"))
                return log_error_errno(EINVAL, "--all only applies to 'restore' and 'bind --from-plan'.");
        if (streq(v->name, "restore") && (n == 1) == arg_all)
                return log_error_errno(EINVAL, "'restore' takes a device address or --all, one of them.");
        if (arg_from_plan && !executes_plan_file(v->name))
                return log_error_errno(EINVAL, "--from-plan only applies to 'bind', 'reserve', 'kargs', "
                                       "'ovs-setup', 'vpp-config', 'grant' and 'restore --all'.");
        if (arg_cpu_vendor && (!streq(v->name, "kargs") || arg_from_plan))
                return log_error_errno(EINVAL, "--cpu-vendor only applies to 'kargs' without --from-plan.");
        if (arg_from_plan && arg_kernel)
                return log_error_errno(EINVAL, "--kernel and --from-plan exclude each other: the plan's "
                                       "arguments are for the kernel it was made on.");
        if (arg_json && !streq(v->name, "plan") && !streq(v->name, "status") && !streq(v->name, "list"))
                return log_error_errno(EINVAL, "--json only applies to 'plan', 'status' and 'list'.");

        return v->run(n + 1, argv + optind);
}

int main(int argc, char *argv[]) {
        int r;

        log_setup("dpdk-boot", /* generator= */ 0);

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        r = dispatch(argc, argv);
        return r < 0 ? EXIT_FAILURE : r;
}

/* Colour only for a person at a terminal. */
static bool use_colour(void) {
        static int cached = -1;

        if (cached < 0)
                cached = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
                         !streq(getenv("TERM") ?: "dumb", "dumb");
        return cached;
}

const char *ansi_highlight_green(void) {
        return use_colour() ? "\x1b[0;1;32m" : "";
}

const char *ansi_highlight_red(void) {
        return use_colour() ? "\x1b[0;1;31m" : "";
}

const char *ansi_highlight_yellow(void) {
        return use_colour() ? "\x1b[0;1;33m" : "";
}

const char *ansi_normal(void) {
        return use_colour() ? "\x1b[0m" : "";
}
