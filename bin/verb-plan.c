/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "generate.h"
#include "helper.h"
#include "hugepages.h"
#include "json.h"
#include "log.h"
#include "ovs.h"
#include "plan-json.h"
#include "plan.h"
#include "render.h"
#include "rootdir.h"

/*
 * plan: what the next boot will do, from the same plan_build() the generator uses.
 * --units has generate_units() write the generator's output into a temporary directory, prints
 * it, and removes it.
 */

static const char *yes_no(bool b) {
        return b ? "yes" : "no";
}

static void print_switches_text(const Switches *sw) {
        SwitchName s[7];
        size_t n = plan_switch_names(sw, s);
        bool any = false;

        printf("Switches:");
        for (size_t i = 0; i < n; i++)
                if (s[i].value >= 0) {
                        printf(" %s=%s", s[i].name, s[i].value ? "yes" : "no");
                        any = true;
                }
        printf("%s\n", any ? "" : " none on the kernel command line");
}

static void print_hugepages_text(const PlanHugepages *h) {
        char size[16];

        printf("  %s: ", format_page_size(h->size_kb, size));
        if (!h->per_node)
                printf("%u pages%s", h->count, h->placement == PLACEMENT_DEVICES ?
                       " (Placement=devices, but no device on a known NUMA node: the kernel spreads them)" : "");
        else {
                const char *sep = "";

                for (int n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                        if (plan_hugepages_has_node(h, n)) {
                                printf("%s%u on node %i", sep, h->node_count[n], n);
                                sep = ", ";
                        }
                if (h->placed)
                        printf(" (Placement=devices)");
        }
        printf(", mounted at %s%s\n", h->mount_point, h->supported ? "" : " (NOT SUPPORTED by this kernel)");
}

static void print_gates_text(const PlanDevice *d) {
        const char *sep = "";

        printf("      gates:");
        for (GateId g = 0; g < _GATE_MAX; g++)
                if (d->gates[g] != GATE_UNCHECKED) {
                        printf("%s %s %s", sep, gate_id_to_string(g), d->gates[g] == GATE_PASS ? "ok" : "FAILED");
                        sep = ",";
                }
        printf("\n");
        if (d->refusal)
                printf("      %s\n", d->refusal);
}

/* A bifurcated port: what the bind step loads for its PMD. */
static void print_modules_text(const PlanDevice *d) {
        const char *sep = " ";

        if (!d->stays_on)
                return;
        printf("      modules for the PMD:");
        for (const char *const *m = plan_bifurcated_modules(d->stays_on); m && *m; m++, sep = ", ")
                printf("%s%s", sep, *m);
        printf("\n");
}

static void print_cpu_text(const Context *ctx) {
        const PlanCpu *c = &ctx->plan.cpu;
        _cleanup_free_ char *iso = NULL, *hk = NULL;

        if (!c->set)
                return;
        iso = cpuset_to_string(&c->isolated);
        hk = cpuset_to_string(&c->housekeeping);
        if (!iso || !hk)
                return;
        printf("CPUs: isolated %s; housekeeping %s", isempty(iso) ? "none" : iso, isempty(hk) ? "none" : hk);
        if (c->derived)
                printf(" (HousekeepingPerNode=%u)", ctx->config.housekeeping_per_node);
        printf("\n");
}

static void print_device_cpus_text(const PlanDevice *d) {
        const CpuSet *pmd_cores = plan_device_pmd_cores(d);
        _cleanup_free_ char *pmd = NULL;

        if (d->numa_node < 0 && cpuset_is_empty(pmd_cores))
                return;
        if (d->numa_node >= 0)
                printf("      numa node %d", d->numa_node);
        else
                printf("      numa node unknown");
        if (!cpuset_is_empty(pmd_cores) && (pmd = cpuset_to_string(pmd_cores)))
                printf(", worker lcores %s", pmd);
        printf("\n");
}

static void print_datapath_text(const Context *ctx) {
        const PlanDatapath *d = &ctx->plan.datapath;
        _cleanup_free_ char *workers = NULL;
        char mem[512];

        printf("Datapath: %s\n", datapath_preset_to_string(d->preset));
        if (d->preset == DATAPATH_NONE)
                return;
        workers = cpuset_to_string(&d->workers);
        printf("  lcores: main %d, workers %s", d->main_core, isempty(workers) ? "none" : workers);
        if (d->workers_derived)
                printf(" (CoresPerPort=%u)", ctx->config.datapath.cores_per_port);
        printf("\n");
        if (d->n_socket_mem > 0) {
                plan_format_socket_mem(d, mem, sizeof(mem));
                printf("  socket memory: %s\n", mem);
        }
        printf("  unit: %s\n", d->unit ?: UNIT_DATAPATH);
        if (d->user || d->group)
                printf("  runs as: user %s, group %s\n", d->user ?: "root", d->group ?: "(the user's)");
        switch (d->preset) {
        case DATAPATH_OVS: {
                _cleanup_(strv_free) Strv cmd = {};

                printf("  ovsdb, before ovs-vswitchd starts:\n    ");
                if (ovs_setup_argv(&ctx->plan, NULL, &cmd) < 0)
                        break;
                for (size_t i = 0; i < cmd.n; i++)
                        printf("%s%s", i == 0 ? "" : streq(cmd.v[i], "--") ? " \\\n      " : " ", cmd.v[i]);
                printf("\n");
                break;
        }
        case DATAPATH_VPP:
                printf("  startup.conf: %s, from %s with the plan's cpu and dpdk sections\n", VPP_STARTUP_CONF,
                       ctx->config.datapath.config_file ?: VPP_DEFAULT_CONFIG);
                break;
        default:
                if (d->eal)
                        printf("  EAL: %s\n", d->eal);
                if (d->exec_start)
                        printf("  ExecStart=%s\n", d->exec_start);
        }
}

static void print_list_text(const char *title, const Strv *l) {
        if (l->n == 0)
                return;
        printf("%s:\n", title);
        for (size_t i = 0; i < l->n; i++)
                printf("  - %s\n", l->v[i]);
}

/* VirtualFunctions=: what is written before anything is bound. */
static void print_sriov_text(const Plan *p) {
        if (p->n_sriov > 0)
                printf("SR-IOV:\n");
        for (size_t i = 0; i < p->n_sriov; i++) {
                const PlanSriov *s = &p->sriov[i];
                char now[32] = "unknown";

                if (s->current >= 0)
                        (void) snprintf(now, sizeof(now), "%d", s->current);
                printf("  %s: %s -> %u virtual function%s (of %u)%s%s\n", s->pf, now, s->numvfs,
                       s->numvfs == 1 ? "" : "s", s->total, s->autoprobe_off ? ", drivers_autoprobe 0" : "",
                       s->skipped ? "  NOT CREATED (the PF is taken)" : "");
                printf("      asked by %s:%u\n", s->loc.file ?: CONFIG_MAIN_FILE, s->loc.line);
        }
}

static const char *device_now_text(const Context *ctx, const PlanDevice *d) {
        const char *now = plan_device_driver_now(ctx, d);

        if (d->created)
                return "(created at boot)";
        if (!d->present)
                return "(not present)";
        return now ?: "(no driver)";
}

static void print_plan_text(const Context *ctx) {
        const Plan *p = &ctx->plan;

        printf("State: %s%s%s\n", plan_state_to_string(p->state),
               p->disabled_by ? " by " : "", p->disabled_by ?: "");
        printf("Stage: %s\n", p->initrd ? "initrd" : "host");
        printf("Config: %s\n", p->source ?: CONFIG_MAIN_FILE);
        print_switches_text(&ctx->switches);
        printf("Steps: hugepages %s, bind %s, datapath %s\n",
               yes_no(p->do_hugepages), yes_no(p->do_bind), yes_no(p->do_datapath));

        if (p->n_hugepages > 0)
                printf("Hugepages:\n");
        for (size_t i = 0; i < p->n_hugepages; i++)
                print_hugepages_text(&p->hugepages[i]);
        print_cpu_text(ctx);
        print_sriov_text(p);

        if (p->n_devices > 0)
                printf("Devices:\n");
        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                printf("  %s: %s -> %s%s%s%s\n", d->address, device_now_text(ctx, d),
                       d->stays_on ? "bifurcated, stays on " : "",
                       d->stays_on ?: isempty(d->driver) ? "(kernel driver)" : d->driver,
                       d->stays_on && !d->refused ? ", a port of the datapath" : "",
                       d->refused ? (d->skipped ? "  LEFT OUT" : "  REFUSED") : "");
                printf("      picked by %s:%u %s\n", d->loc.file ?: CONFIG_MAIN_FILE, d->loc.line, d->why);
                print_modules_text(d);
                if (!isempty(d->physfn))
                        printf("      virtual function %d of %s\n", d->vf_index, d->physfn);
                if (vf_settings_any(&d->vf)) {
                        char vf[160];

                        vf_settings_text(&d->vf, vf, sizeof(vf));
                        printf("      set by %s before it is bound: %s\n", d->physfn, vf);
                }
                print_device_cpus_text(d);
                print_gates_text(d);
        }

        print_datapath_text(ctx);

        print_list_text("Problems", &p->problems);
        print_list_text("Warnings", &p->warnings);
}

/* --units: every file render_units() wrote, in name order, and each symlink's target. */

static Strv *walk_list;
static size_t walk_prefix;

static int walk_collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        if (type == FTW_D || type == FTW_DP || path[walk_prefix] == '\0')
                return 0;
        return strv_pushf(walk_list, "%s", path + walk_prefix + 1) < 0 ? -1 : 0;
}

static int walk_remove(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        return remove(path) < 0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

static int print_file(const char *path, const char *rel) {
        _cleanup_fclose_ FILE *f = NULL;
        char line[4096];

        f = fopen(path, "re");
        if (!f)
                return -errno;
        printf("==> %s <==\n", rel);
        while (fgets(line, sizeof(line), f))
                fputs(line, stdout);
        printf("\n");
        return ferror(f) ? -EIO : 0;
}

static int print_one_unit(const char *dir, const char *rel) {
        _cleanup_free_ char *path = NULL;
        char target[PATH_MAX];
        ssize_t n;

        if (asprintf(&path, "%s/%s", dir, rel) < 0)
                return -ENOMEM;
        n = readlink(path, target, sizeof(target) - 1);
        if (n < 0)
                return print_file(path, rel);
        target[n] = '\0';
        printf("%s -> %s\n", rel, target);
        return 0;
}

static int print_units(const char *dir) {
        _cleanup_(strv_free) Strv files = {};
        int r;

        walk_list = &files;
        walk_prefix = strlen(dir);
        r = nftw(dir, walk_collect, 16, FTW_PHYS);
        walk_list = NULL;
        if (r != 0)
                return log_error_errno(errno > 0 ? errno : ENOMEM, "Failed to list %s: %m", dir);
        qsort_safe(files.v, files.n, sizeof(char *), cmp_str);

        for (size_t i = 0; i < files.n; i++) {
                r = print_one_unit(dir, files.v[i]);
                if (r < 0)
                        return log_error_errno(r, "Failed to read %s/%s: %m", dir, files.v[i]);
        }
        return 0;
}

static int render_and_print(const Context *ctx) {
        _cleanup_free_ char *dir = NULL;
        int r;

        if (asprintf(&dir, "%s/dpdk-boot-plan.XXXXXX", secure_getenv("TMPDIR") ?: "/tmp") < 0)
                return log_oom();
        if (!mkdtemp(dir))
                return log_error_errno(errno, "Failed to create a temporary directory: %m");

        /* the generator's own function: what it writes is what is printed */
        r = generate_units(ctx, dir);
        if (r >= 0)
                r = print_units(dir);

        if (nftw(dir, walk_remove, 16, FTW_DEPTH | FTW_PHYS) != 0)
                log_warning_errno(errno, "Failed to remove %s, ignoring: %m", dir);
        return r;
}

int verb_plan(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        int r;

        if (helper_context_load(&ctx) < 0)
                return EXIT_FAILURE;

        if (arg_units)
                r = render_and_print(&ctx);
        else if (arg_json)
                r = plan_json_write(&ctx, stdout);
        else {
                print_plan_text(&ctx);
                r = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -EIO;
        }
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
