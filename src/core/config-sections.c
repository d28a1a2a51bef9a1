/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-parse.h"
#include "rootdir.h"

/*
 * What each section means: one table per section of { section, key, parser, offset }, the parsers
 * its keys need beyond config-parse.c's value types, and what the section checks once all its
 * keys are read. A new key is one line in its table (and one in the man page).
 */

/* ---- [Hugepages] ---- */

typedef struct HugepagesSection {
        HugepageConfig h;
        bool sized;            /* a valid Size= given */
        bool counted;          /* Count= or PerNode= given, valid or not */
} HugepagesSection;

DEFINE_CONFIG_PARSE_ENUM(config_parse_placement, hugepage_placement, HugepagePlacement, 0, "kernel or devices");

static int config_parse_hugepage_size(Config *c, const ConfigEntry *e, int ltype, void *data) {
        HugepagesSection *s = data;
        int r;

        r = config_parse_page_size(c, e, ltype, &s->h.size_kb);
        if (r >= 0)
                s->sized = true;
        return r;
}

static int config_parse_hugepage_count(Config *c, const ConfigEntry *e, int ltype, void *data) {
        static const ConfigRange range = { .max = UINT_MAX, .expected = "expected a number of pages" };
        HugepagesSection *s = data;

        (void) ltype;
        s->h.per_node = false;
        s->counted = true;
        return config_parse_range(c, e, &range, &s->h.count);
}

/* -ERANGE when the counts add up to more than one unsigned holds: the total goes on the kernel
 * command line (hugepages=N before 5.16) and into the plan. */
static int parse_per_node(const char *v, HugepageConfig *h, uint64_t *ret_total) {
        _cleanup_free_ char *copy = strdup(v);
        char *save = NULL;
        bool any = false;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                char *colon = strchr(tok, ':');
                unsigned node, count;

                if (!colon)
                        return -EINVAL;
                *colon = 0;
                if (safe_atou(tok, &node) < 0 || node >= DPDK_BOOT_MAX_NODES ||
                    safe_atou(colon + 1, &count) < 0)
                        return -EINVAL;
                h->node_count[node] = count;
                h->node_set[node] = true;
                any = true;
        }
        *ret_total = 0;
        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                *ret_total += h->node_count[n];
        if (!any)
                return -EINVAL;
        return *ret_total > UINT_MAX ? -ERANGE : 0;
}

static int config_parse_per_node(Config *c, const ConfigEntry *e, int ltype, void *data) {
        HugepagesSection *s = data;
        uint64_t total;
        int r;

        (void) ltype;
        memset(s->h.node_count, 0, sizeof(s->h.node_count));
        memset(s->h.node_set, 0, sizeof(s->h.node_set));
        s->h.per_node = true;
        s->counted = true;
        r = parse_per_node(e->value, &s->h, &total);
        if (r == -EINVAL)
                config_entry_error(c, e, "PerNode=%s: expected NODE:COUNT[,NODE:COUNT...], e.g. 0:4,1:4.", e->value);
        else if (r == -ERANGE)
                config_entry_error(c, e, "PerNode=%s: %" PRIu64 " pages in all, more than %u.", e->value, total,
                                   UINT_MAX);
        return r;
}

static const ConfigItem hugepages_items[] = {
        { "Hugepages", "Size",      config_parse_hugepage_size,  0, 0 },
        { "Hugepages", "Count",     config_parse_hugepage_count, 0, 0 },
        { "Hugepages", "PerNode",   config_parse_per_node,       0, 0 },
        { "Hugepages", "Placement", config_parse_placement,      0, offsetof(HugepagesSection, h.placement) },
};

/* A later section for the same size replaces the earlier one (drop-ins override). */
static int add_hugepages(Config *c, const HugepageConfig *h) {
        HugepageConfig *n;

        for (size_t i = 0; i < c->n_hugepages; i++)
                if (c->hugepages[i].size_kb == h->size_kb) {
                        c->hugepages[i] = *h;
                        return 0;
                }
        n = reallocarray(c->hugepages, c->n_hugepages + 1, sizeof(HugepageConfig));
        if (!n)
                return -ENOMEM;
        c->hugepages = n;
        c->hugepages[c->n_hugepages++] = *h;
        return 0;
}

static int apply_hugepages(Config *c, const ConfigSection *s) {
        HugepagesSection x = { .h.loc = { s->file, s->line } };
        const ConfigEntry *placement;
        int r;

        r = config_parse_section(c, s, hugepages_items, ELEMENTSOF(hugepages_items), &x);
        if (r < 0)
                return r;
        placement = config_section_last(s, "Placement");
        if (placement && x.h.per_node && x.h.placement == PLACEMENT_DEVICES)
                config_entry_error(c, placement,
                                   "Placement=devices spreads Count= over the NUMA nodes of the selected devices; "
                                   "it does not go with PerNode=.");
        if (!x.sized) {
                config_error(c, s->file, s->line, "[Hugepages] needs Size=2M or Size=1G.");
                return 0;
        }
        if (!x.counted) {
                config_error(c, s->file, s->line, "[Hugepages] needs Count= (a total) or PerNode= (per NUMA node).");
                return 0;
        }
        return add_hugepages(c, &x.h);
}

/* ---- [CPU] ---- */

static int cpu_list(Config *c, const ConfigEntry *e, CpuSet *set, bool *is_set, Location *loc) {
        int r = config_parse_cpu_list(c, e, 0, set);

        if (r >= 0)
                *is_set = true;
        *loc = (Location) { e->file, e->line };
        return r;
}

static int config_parse_isolate(Config *c, const ConfigEntry *e, int ltype, void *data) {
        (void) ltype, (void) data;
        return cpu_list(c, e, &c->isolate, &c->isolate_set, &c->isolate_loc);
}

static int config_parse_housekeeping(Config *c, const ConfigEntry *e, int ltype, void *data) {
        (void) ltype, (void) data;
        return cpu_list(c, e, &c->housekeeping, &c->housekeeping_set, &c->housekeeping_loc);
}

static int config_parse_housekeeping_per_node(Config *c, const ConfigEntry *e, int ltype, void *data) {
        static const ConfigRange range = {
                .min = 1, .max = CPUSET_MAX - 1,
                .expected = "expected a number of physical cores per NUMA node, at least 1",
        };
        unsigned v;
        int r;

        (void) ltype, (void) data;
        r = config_parse_range(c, e, &range, &v);
        if (r < 0)
                return r;
        c->housekeeping_per_node = v;
        c->housekeeping_per_node_loc = (Location) { e->file, e->line };
        return 0;
}

static const ConfigItem cpu_items[] = {
        { "CPU", "Isolate",             config_parse_isolate,               0, 0 },
        { "CPU", "Housekeeping",        config_parse_housekeeping,          0, 0 },
        { "CPU", "HousekeepingPerNode", config_parse_housekeeping_per_node, 0, 0 },
};

static int apply_cpu(Config *c, const ConfigSection *s) {
        int r;

        r = config_parse_section(c, s, cpu_items, ELEMENTSOF(cpu_items), c);
        if (r < 0)
                return r;
        c->cpu_loc = (Location) { s->file, s->line };
        if (c->isolate_set && c->housekeeping_set && cpuset_intersects(&c->isolate, &c->housekeeping))
                config_error(c, s->file, s->line, "[CPU] Isolate= and Housekeeping= share CPUs.");
        return 0;
}

/* ---- [IOMMU] ---- */

/* "unset" is the absence of Mode=, not a value of it. */
DEFINE_CONFIG_PARSE_ENUM(config_parse_iommu_mode, iommu_mode, IommuMode, IOMMU_ON, "on, pt or off");

static const ConfigItem iommu_items[] = {
        { "IOMMU", "Mode", config_parse_iommu_mode, 0, offsetof(Config, iommu) },
};

static int apply_iommu(Config *c, const ConfigSection *s) {
        return config_parse_section(c, s, iommu_items, ELEMENTSOF(iommu_items), c);
}

/* ---- [Datapath] ---- */

DEFINE_CONFIG_PARSE_ENUM(config_parse_preset, datapath_preset, DatapathPreset, 0,
                         "testpmd, ovs, vpp, custom or none");
DEFINE_CONFIG_PARSE_RANGE(config_parse_stats_period, 1, UINT_MAX, "expected seconds (at least 1)");
DEFINE_CONFIG_PARSE_RANGE(config_parse_cores_per_port, 1, CPUSET_MAX - 1,
                          "expected a number of lcores per port, at least 1");
DEFINE_CONFIG_PARSE_RANGE(config_parse_mtu, 68, 65535, "expected an MTU in bytes, 68 to 65535");

/* An empty list is kept with its error: the checks across files see that no cores are set. */
static int config_parse_cores(Config *c, const ConfigEntry *e, int ltype, void *data) {
        (void) ltype;
        if (cpuset_parse(e->value, data) < 0 || cpuset_is_empty(data)) {
                config_entry_error(c, e, "Cores=%s: expected a non-empty CPU list such as 2-3.", e->value);
                return -EINVAL;
        }
        return 0;
}

static int config_parse_main_core(Config *c, const ConfigEntry *e, int ltype, void *data) {
        unsigned v;

        (void) ltype;
        if (safe_atou(e->value, &v) < 0 || v >= CPUSET_MAX) {
                config_entry_error(c, e, "MainCore=%s: expected a CPU number.", e->value);
                return -EINVAL;
        }
        *(int *) data = (int) v;
        return 0;
}

static const char *const testpmd_modes[] = {
        "io", "mac", "macswap", "flowgen", "rxonly", "txonly", "csum", "icmpecho",
        "noisy", "5tswap", "ieee1588", "shared-rxq",
};

static int config_parse_forward_mode(Config *c, const ConfigEntry *e, int ltype, void *data) {
        for (size_t i = 0; i < ELEMENTSOF(testpmd_modes); i++)
                if (streq(e->value, testpmd_modes[i]))
                        return config_parse_string(c, e, ltype, data);
        config_entry_error(c, e, "ForwardMode=%s: not a dpdk-testpmd forwarding mode.", e->value);
        return -EINVAL;
}

/* "0,2048" (DPDK's --socket-mem): megabytes for node 0, 1, ... */
static int parse_socket_memory(const char *v, DatapathConfig *d) {
        _cleanup_free_ char *copy = strdup(v);
        unsigned mb[DPDK_BOOT_MAX_NODES], n = 0;
        char *save = NULL;
        bool any = false;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                if (n == DPDK_BOOT_MAX_NODES || safe_atou(tok, &mb[n]) < 0 || mb[n] > 16 * 1024 * 1024)
                        return -EINVAL;
                any = any || mb[n] > 0;
                n++;
        }
        if (!any)
                return -EINVAL;
        memset(d->socket_mem_mb, 0, sizeof(d->socket_mem_mb));
        memcpy(d->socket_mem_mb, mb, sizeof(unsigned) * n);
        d->n_socket_mem = n;
        return 0;
}

static int config_parse_socket_memory(Config *c, const ConfigEntry *e, int ltype, void *data) {
        int r = parse_socket_memory(e->value, data);

        (void) ltype;
        if (r == -EINVAL)
                config_entry_error(c, e, "SocketMemory=%s: expected megabytes per NUMA node in node order, "
                                   "such as 0,2048, with memory on at least one node.", e->value);
        return r;
}

/* FilePrefix=: one word that is safe in a path and on a command line. */
static int config_parse_file_prefix(Config *c, const ConfigEntry *e, int ltype, void *data) {
        size_t n = strlen(e->value);

        if (n == 0 || n > 32 ||
            strspn(e->value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n) {
                config_entry_error(c, e, "FilePrefix=%s: expected up to 32 letters, digits, '-' or '_'.", e->value);
                return -EINVAL;
        }
        return config_parse_string(c, e, ltype, data);
}

/* An OVS bridge is also a kernel interface name: 15 characters, no '/', ':' or spaces. Also for
 * [Device] Bridge=. */
int config_parse_bridge(Config *c, const ConfigEntry *e, int ltype, void *data) {
        const char *v = e->value;
        size_t n = strlen(v);

        if (n == 0 || n > 15 || v[0] == '-' || v[0] == '.' ||
            strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != n) {
                config_entry_error(c, e, "Bridge=%s: expected an interface name (up to 15 letters, digits, '-', "
                                   "'_' or '.').", v);
                return -EINVAL;
        }
        return config_parse_string(c, e, ltype, data);
}

static int config_parse_config_file(Config *c, const ConfigEntry *e, int ltype, void *data) {
        if (e->value[0] != '/' || strstr(e->value, "/../") || strchr(e->value, ' ')) {
                config_entry_error(c, e, "ConfigFile=%s: expected an absolute path without spaces or \"..\".",
                                   e->value);
                return -EINVAL;
        }
        return config_parse_string(c, e, ltype, data);
}

/* User=, Group=: as useradd takes them (and numeric ids): nothing that could be another word or a
 * specifier. */
static int config_parse_user(Config *c, const ConfigEntry *e, int ltype, void *data) {
        size_t n = strlen(e->value);

        if (n == 0 || n > 32 || e->value[0] == '-' ||
            strspn(e->value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != n) {
                config_entry_error(c, e, "%s=%s: expected a user or group name, or a number.", e->key, e->value);
                return -EINVAL;
        }
        return config_parse_string(c, e, ltype, data);
}

static int config_parse_mode(Config *c, const ConfigEntry *e, int ltype, void *data) {
        unsigned long m;
        char *end;

        (void) ltype;
        errno = 0;
        m = strtoul(e->value, &end, 8);
        if (isempty(e->value) || *end || errno || m > 0777 || (m & 0600) != 0600) {
                config_entry_error(c, e, "Mode=%s: expected an octal mode up to 0777 that lets the owner read "
                                   "and write, such as 0660.", e->value);
                return -EINVAL;
        }
        *(unsigned *) data = (unsigned) m;
        return 0;
}

static int config_parse_restart_limit(Config *c, const ConfigEntry *e, int ltype, void *data) {
        static const ConfigRange range = { .max = 100, .expected = "expected how many restarts in 10 minutes, 0 to 100" };
        DatapathConfig *d = data;
        int r;

        (void) ltype;
        r = config_parse_range(c, e, &range, &d->restart_limit);
        if (r >= 0)
                d->restart_limit_set = true;
        return r;
}

static int config_parse_exec_start(Config *c, const ConfigEntry *e, int ltype, void *data) {
        DatapathConfig *d = data;
        int r;

        if (e->value[0] != '/') {
                config_entry_error(c, e, "ExecStart=%s: expected an absolute path and its arguments.", e->value);
                return -EINVAL;
        }
        r = config_parse_string(c, e, ltype, &d->exec_start);
        d->exec_start_loc = (Location) { e->file, e->line };
        return r;
}

static const ConfigItem datapath_items[] = {
        { "Datapath", "Preset",        config_parse_preset,         0, offsetof(DatapathConfig, preset) },
        { "Datapath", "Cores",         config_parse_cores,          0, offsetof(DatapathConfig, cores) },
        { "Datapath", "MainCore",      config_parse_main_core,      0, offsetof(DatapathConfig, main_core) },
        { "Datapath", "HugepageSize",  config_parse_page_size,      0, offsetof(DatapathConfig, hugepage_size_kb) },
        { "Datapath", "ForwardMode",   config_parse_forward_mode,   0, offsetof(DatapathConfig, forward_mode) },
        { "Datapath", "StatsPeriod",   config_parse_stats_period,   0, offsetof(DatapathConfig, stats_period) },
        { "Datapath", "CoresPerPort",  config_parse_cores_per_port, 0, offsetof(DatapathConfig, cores_per_port) },
        { "Datapath", "MTU",           config_parse_mtu,            0, offsetof(DatapathConfig, mtu) },
        { "Datapath", "SocketMemory",  config_parse_socket_memory,  0, 0 },
        { "Datapath", "ExtraArgs",     config_parse_string,         0, offsetof(DatapathConfig, extra_args) },
        { "Datapath", "FilePrefix",    config_parse_file_prefix,    0, offsetof(DatapathConfig, file_prefix) },
        { "Datapath", "Bridge",        config_parse_bridge,         0, offsetof(DatapathConfig, bridge) },
        { "Datapath", "ConfigFile",    config_parse_config_file,    0, offsetof(DatapathConfig, config_file) },
        { "Datapath", "User",          config_parse_user,           0, offsetof(DatapathConfig, user) },
        { "Datapath", "Group",         config_parse_user,           0, offsetof(DatapathConfig, group) },
        { "Datapath", "Mode",          config_parse_mode,           0, offsetof(DatapathConfig, mode) },
        { "Datapath", "RestoreOnStop", config_parse_bool,           0, offsetof(DatapathConfig, restore_on_stop) },
        { "Datapath", "RestartLimit",  config_parse_restart_limit,  0, 0 },
        { "Datapath", "ExecStart",     config_parse_exec_start,     0, 0 },
};

static int apply_datapath(Config *c, const ConfigSection *s) {
        int r;

        r = config_parse_section(c, s, datapath_items, ELEMENTSOF(datapath_items), &c->datapath);
        c->datapath.loc = (Location) { s->file, s->line };
        return r;
}

/* ---- [Kernel] ---- */

DEFINE_CONFIG_PARSE_ENUM(config_parse_bootloader, bootloader_kind, BootloaderKind, 0,
                         "auto, grub, bls, grubby, bootc or uki");

/* SecureBootPrivateKey=, SecureBootCertificate=: what ukify signs the addon with. A file that
 * someone other than root (or the user running dpdk-boot) could change, or a private key others
 * could read, is refused here, naming the line. A file that is not there is not an error: the
 * initrd and an image have the configuration without the keys; `dpdk-boot kargs` says so. */
static int config_parse_secureboot_file(Config *c, const ConfigEntry *e, int ltype, void *data) {
        _cleanup_free_ char *full = NULL;
        bool private_key = streq(e->key, "SecureBootPrivateKey");
        struct stat st;

        if (e->value[0] != '/' || strstr(e->value, "/../") || strchr(e->value, ' ')) {
                config_entry_error(c, e, "%s=%s: expected an absolute path without spaces or \"..\".", e->key,
                                   e->value);
                return -EINVAL;
        }
        full = root_path(e->value);
        if (!full)
                return -ENOMEM;
        if (stat(full, &st) >= 0 && ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 0022))) {
                config_entry_error(c, e, "%s=%s: the file must be owned by root and writable by no one else "
                                   "(it is owned by uid %u, mode %04o).", e->key, e->value, (unsigned) st.st_uid,
                                   (unsigned) (st.st_mode & 07777));
                return -EINVAL;
        }
        if (private_key && stat(full, &st) >= 0 && (st.st_mode & 0007)) {
                config_entry_error(c, e, "%s=%s: the private key is readable by others (mode %04o); "
                                   "chmod 0600 it.", e->key, e->value, (unsigned) (st.st_mode & 07777));
                return -EINVAL;
        }
        return config_parse_string(c, e, ltype, data);
}
DEFINE_CONFIG_PARSE_ENUM(config_parse_reboot_policy, reboot_policy, RebootPolicy, 0, "never or once");

static const ConfigItem kernel_items[] = {
        { "Kernel", "ManageArgs",   config_parse_bool,          0, offsetof(KernelConfig, manage_args) },
        { "Kernel", "Bootloader",   config_parse_bootloader,    0, offsetof(KernelConfig, bootloader) },
        { "Kernel", "RebootPolicy", config_parse_reboot_policy, 0, offsetof(KernelConfig, reboot_policy) },
        { "Kernel", "TakeOverArgs", config_parse_bool,          0, offsetof(KernelConfig, take_over_args) },
        { "Kernel", "SecureBootPrivateKey", config_parse_secureboot_file, 0,
          offsetof(KernelConfig, secureboot_private_key) },
        { "Kernel", "SecureBootCertificate", config_parse_secureboot_file, 0,
          offsetof(KernelConfig, secureboot_certificate) },
};

static int apply_kernel(Config *c, const ConfigSection *s) {
        int r;

        r = config_parse_section(c, s, kernel_items, ELEMENTSOF(kernel_items), &c->kernel);
        c->kernel.loc = (Location) { s->file, s->line };
        return r;
}

/* ---- the sections ---- */

int config_apply_section(Config *c, const ConfigSection *s) {
        static const struct {
                const char *name;
                int (*apply)(Config *c, const ConfigSection *s);
        } sections[] = {
                { "Device",    config_apply_device },
                { "Hugepages", apply_hugepages },
                { "CPU",       apply_cpu },
                { "IOMMU",     apply_iommu },
                { "Datapath",  apply_datapath },
                { "Kernel",    apply_kernel },
        };

        for (size_t i = 0; i < ELEMENTSOF(sections); i++)
                if (streq(s->name, sections[i].name))
                        return sections[i].apply(c, s);
        config_error(c, s->file, s->line, "Unknown section [%s].", s->name);
        return 0;
}
