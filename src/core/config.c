/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-parse.h"
#include "config.h"
#include "execline.h"
#include "rootdir.h"
#include "string-table.h"

/*
 * The files: the main one and the drop-ins, in their order and with their masking, each read
 * into sections (config-parse.c) and given its meaning section by section (config-sections.c,
 * config-device.c); then what only holds across all files. Every problem is recorded as
 * "file:line: message" in Config.errors.
 */

static const char *const dropin_dirs[] = {
        /* lowest precedence first */
        "/usr/lib/dpdk-boot/conf.d",
        "/run/dpdk-boot/conf.d",
        "/etc/dpdk-boot/conf.d",
};

/*
 * Root reads these files at every boot, binds devices and runs commands from them: a file, or a
 * drop-in directory, that someone else may change is refused as a whole. (A writable directory
 * would let anyone remove a root-owned drop-in, such as the one that excludes a NIC.)
 */
static bool refuse_untrusted_as(Config *c, const char *path, const struct stat *st, const char *what) {
        if (st->st_uid != 0 && st->st_uid != geteuid())
                config_error(c, path, 0, "Refusing %s: it is owned by uid %u, not root; fix with chown root:root.",
                             what, (unsigned) st->st_uid);
        else if (st->st_mode & (S_IWGRP | S_IWOTH))
                config_error(c, path, 0, "Refusing %s: it is writable by group or others (mode %04o); fix with "
                             "chmod go-w.", what, (unsigned) (st->st_mode & 07777));
        else
                return false;
        return true;
}

static bool refuse_untrusted(Config *c, const char *path, const struct stat *st) {
        return refuse_untrusted_as(c, path, st, S_ISDIR(st->st_mode) ? "this drop-in directory" : "this file");
}

/* The directories from / down to the parent of path, each checked as the file itself (as sudo
 * and systemd check the paths of what they run): whoever may write one of them may move what
 * is below aside, conf.d with the drop-in that excluded a NIC. checked: the directories done
 * already, so that each is looked at, and named, once. */
static int check_directory(Config *c, const char *dir, Strv *checked) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if (strv_contains(checked, dir))
                return 0;
        r = strv_push(checked, strdup(dir));
        if (r < 0)
                return r;
        fd = root_open(dir, O_PATH | O_DIRECTORY, 0);
        if (fd == -ENOENT)
                return -ENOENT; /* nothing below it either */
        if (fd < 0 || fstat(fd, &st) < 0)
                config_error(c, dir, 0, "Cannot check this directory: %s", strerror(fd < 0 ? -fd : errno));
        else
                (void) refuse_untrusted_as(c, dir, &st, "the configuration below this directory");
        return 0;
}

static int refuse_untrusted_parents(Config *c, const char *path, Strv *checked) {
        int r;

        /* "/", "/etc", "/etc/dpdk-boot" for "/etc/dpdk-boot/dpdk-boot.conf" */
        r = check_directory(c, "/", checked);
        for (const char *s = strchr(path + 1, '/'); s && r >= 0; s = strchr(s + 1, '/')) {
                _cleanup_free_ char *dir = strndup(path, (size_t) (s - path));

                if (!dir)
                        return -ENOMEM;
                r = check_directory(c, dir, checked);
        }
        return r == -ENOENT ? 0 : r;
}

/* Every directory above the files read and the drop-in directories there are. */
static int check_trust_chain(Config *c) {
        _cleanup_(strv_free) Strv checked = {};
        int r = 0;

        for (size_t i = 0; i < c->files.n && r >= 0; i++)
                r = refuse_untrusted_parents(c, c->files.v[i], &checked);
        for (size_t i = 0; i < ELEMENTSOF(dropin_dirs) && r >= 0; i++)
                if (root_exists(dropin_dirs[i]) > 0)
                        r = refuse_untrusted_parents(c, dropin_dirs[i], &checked);
        return r;
}

/* The whole file into *ret, so that a failed read(2) is an error, never a short file: 1 with
 * text to parse, 0 when there is none (empty, or a config error recorded), or -ENOMEM. */
static int config_read_whole(Config *c, const char *file, int fd, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t n;
        int r;

        r = read_fd_whole(fd, CONFIG_FILE_MAX + 1, &buf, &n);
        if (r < 0) {
                config_error(c, file, 0, "Cannot read: %s", strerror(-r));
                return r == -ENOMEM ? -ENOMEM : 0;
        }
        if (n > CONFIG_FILE_MAX) {
                config_error(c, file, 0, "File is larger than %d bytes.", CONFIG_FILE_MAX);
                return 0;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 1;
}

bool config_file_in_image(const char *path) {
        return strncmp(path, "/run/", 5) != 0;
}

/* The initramfs stamp's part of one file: path, size (in decimal) and content, each after the
 * last; an empty file counts too. */
static void stamp_add(Config *c, const char *file, const char *text, size_t size) {
        char s[32];

        if (!config_file_in_image(file))
                return;
        (void) snprintf(s, sizeof(s), "%zu", size);
        if (c->stamp.n_files++ == 0)
                c->stamp.hash = FNV1A_INIT;
        c->stamp.hash = fnv1a(c->stamp.hash, file, strlen(file) + 1);
        c->stamp.hash = fnv1a(c->stamp.hash, s, strlen(s) + 1);
        c->stamp.hash = fnv1a(c->stamp.hash, text, size);
}

/* Parses one file; path is the logical name (messages), the file is opened under the root. */
static int config_apply_file(Config *c, const char *path) {
        _cleanup_(config_sections_free) ConfigSections sections = {};
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        const char *file;
        struct stat st;
        size_t size;
        int r;

        /* Its name goes into the units (SourcePath=) and every message: a control character
         * in it could not be written there. Refused, named with the character escaped. */
        if (string_has_cc(path)) {
                _cleanup_free_ char *shown = escape_cc(path);

                if (!shown)
                        return -ENOMEM;
                config_error(c, shown, 0, "The file name holds a control character, which no unit file "
                             "can name; rename the file.");
                return 0;
        }
        r = strv_push(&c->files, strdup(path));
        if (r < 0)
                return r;
        file = c->files.v[c->files.n - 1];

        fd = root_open_regular(path, &st);
        if (fd == -EBADFD || fd == -EISDIR) {
                config_error(c, file, 0, "Not a regular file.");
                return 0;
        }
        if (fd < 0) {
                config_error(c, file, 0, "Cannot open: %s", strerror(-fd));
                return 0;
        }
        if (refuse_untrusted(c, file, &st))
                return 0;
        r = config_read_whole(c, file, fd, &text, &size);
        if (r <= 0)
                return r;
        stamp_add(c, file, text, size);
        if (size == 0)
                return 0;
        c->digest = fnv1a(c->digest ?: FNV1A_INIT, file, strlen(file) + 1);
        c->digest = fnv1a(c->digest, text, size);
        f = fmemopen(text, size, "r");
        if (!f)
                return -errno;

        r = config_read_sections(c, file, f, &sections);
        if (r < 0)
                return r;
        for (size_t i = 0; i < sections.n; i++) {
                r = config_apply_section(c, &sections.v[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

typedef struct DropIn {
        char *name;
        char *path;
} DropIn;

static int dropin_cmp(const void *a, const void *b) {
        return strcmp(((const DropIn *) a)->name, ((const DropIn *) b)->name);
}

static bool is_masked(const char *path) {
        char target[64];

        return root_readlink(path, target, sizeof(target)) > 0 && streq(target, "/dev/null");
}

static int collect_dir(Config *c, const char *dir, DropIn **list, size_t *n) {
        _cleanup_closedir_ DIR *d = root_opendir(dir);
        struct dirent *de;
        struct stat st;

        /* No directory is no drop-ins; one that cannot be read is a config error. */
        if (!d) {
                int k = errno;

                if (k == ENOMEM)
                        return -ENOMEM;
                if (k != ENOENT)
                        config_error(c, dir, 0, "Cannot open directory: %s", strerror(k));
                return 0;
        }
        if (fstat(dirfd(d), &st) < 0)
                return -errno;
        if (refuse_untrusted(c, dir, &st))
                return 0;
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name), k;
                DropIn *nl;

                if (de->d_name[0] == '.' || len < 6 || !streq(de->d_name + len - 5, ".conf"))
                        continue;
                for (k = 0; k < *n; k++)
                        if (streq((*list)[k].name, de->d_name))
                                break;
                if (k == *n) {
                        nl = realloc(*list, sizeof(DropIn) * (*n + 1));
                        if (!nl)
                                return -ENOMEM;
                        *list = nl;
                        (*list)[k] = (DropIn) { .name = strdup(de->d_name) };
                        (*n)++;
                } else
                        free((*list)[k].path);
                /* Higher-precedence directories come later and replace the path. */
                (*list)[k].path = strjoin3(dir, "/", de->d_name);
                if (!(*list)[k].name || !(*list)[k].path)
                        return -ENOMEM;
        }
        return 0;
}

/* HousekeepingPerNode= derives both sets; another file may have named one of them. */
static void validate_cpu(Config *c) {
        const Location *hk = &c->housekeeping_per_node_loc, *other;

        if (c->housekeeping_per_node == 0 || (!c->isolate_set && !c->housekeeping_set))
                return;
        other = c->isolate_set ? &c->isolate_loc : &c->housekeeping_loc;
        config_error(c, hk->file, hk->line,
                     "HousekeepingPerNode= derives the isolated and housekeeping CPUs itself, so it does not "
                     "go with %s= (%s:%u); remove one of them.", c->isolate_set ? "Isolate" : "Housekeeping",
                     other->file, other->line);
}

const char *const datapath_substitutions[] = {
        "eal", "lcores", "main_lcore", "allow", "socket_mem", "huge_dir", "file_prefix", "nb_cores",
        NULL,
};

/* The next {name} of s from p on ("{{" is a literal '{', and so is a '{' no name and '}' follow),
 * with the length of its name; NULL when there is none. */
static const char *next_substitution(const char *p, size_t *ret_n) {
        while ((p = strchr(p, '{'))) {
                size_t n;

                if (p[1] == '{') {
                        p += 2;
                        continue;
                }
                n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
                if (n > 0 && p[1 + n] == '}') {
                        *ret_n = n;
                        return p;
                }
                p++;
        }
        return NULL;
}

int datapath_check_substitutions(const char *s, char *ret_bad, size_t size) {
        size_t n;

        for (const char *p = s; (p = next_substitution(p, &n)); p += n + 2) {
                bool known = false;

                for (size_t i = 0; datapath_substitutions[i]; i++)
                        known = known || (strlen(datapath_substitutions[i]) == n &&
                                          strneq(p + 1, datapath_substitutions[i], n));
                if (!known) {
                        if (ret_bad && size > 0)
                                (void) snprintf(ret_bad, size, "%.*s", (int) (n < size - 1 ? n : size - 1), p + 1);
                        return -EINVAL;
                }
        }
        return 0;
}

/* The command lines the datapath unit runs: the generator writes them only when systemd can split
 * them into the words they mean (execline.h), and so `check` accepts only those. */
static void validate_command_lines(Config *c) {
        const DatapathConfig *d = &c->datapath;
        _cleanup_(strv_free) Strv words = {};
        const char *why = NULL;

        const char *sub;
        size_t n;

        if (d->preset == DATAPATH_CUSTOM && d->exec_start && execline_check(d->exec_start, &why) == -EINVAL)
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart=%s: %s (words are separated by spaces, grouped by \"...\" or '...'; a "
                             "backslash escapes only \\, \" and ').", d->exec_start, why);
        /* The path is checked as written: a value of the plan in it could make it anything (an
         * empty {socket_mem} made "/{socket_mem}" the directory "/"; found by fuzz/fuzz-config). */
        else if (d->preset == DATAPATH_CUSTOM && d->exec_start && execline_split(d->exec_start, &words, NULL) >= 0 &&
                 words.n > 0 && (sub = next_substitution(words.v[0], &n)))
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart=%s: the command's path has a substitution ({%.*s}); the plan's values "
                             "go into its arguments (\"{{\" is a literal \"{\").", d->exec_start, (int) n, sub + 1);
        strv_free(&words);
        if (d->preset == DATAPATH_TESTPMD && d->extra_args && execline_split(d->extra_args, &words, &why) == -EINVAL)
                config_error(c, d->loc.file, d->loc.line,
                             "[Datapath] ExtraArgs=%s: %s (words are separated by spaces, grouped by \"...\" or "
                             "'...'; a backslash escapes only \\, \" and ').", d->extra_args, why);
}

/* Keys that belong to one preset, and what each preset needs. */
static void validate_preset_keys(Config *c) {
        const DatapathConfig *d = &c->datapath;
        const char *f = d->loc.file, *preset = datapath_preset_to_string(d->preset);
        bool bridge = d->bridge;
        char bad[32];

        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].bridge && d->preset != DATAPATH_OVS)
                        config_error(c, c->devices[i].loc.file, c->devices[i].loc.line,
                                     "[Device] Bridge= is for [Datapath] Preset=ovs, not Preset=%s.", preset);
                else
                        bridge = bridge || c->devices[i].bridge;
        if (d->bridge && d->preset != DATAPATH_OVS)
                config_error(c, f, d->loc.line, "[Datapath] Bridge= is for Preset=ovs, not Preset=%s.", preset);
        if (d->config_file && d->preset != DATAPATH_VPP)
                config_error(c, f, d->loc.line, "[Datapath] ConfigFile= is for Preset=vpp, not Preset=%s.", preset);
        if (d->user && d->preset != DATAPATH_TESTPMD && d->preset != DATAPATH_CUSTOM)
                config_error(c, f, d->loc.line, "[Datapath] User= is for Preset=testpmd or custom; Preset=%s "
                             "runs as its package configures it (Group= and Mode= still apply).", preset);
        if (d->forward_mode && d->preset != DATAPATH_TESTPMD)
                config_error(c, f, d->loc.line, "[Datapath] ForwardMode= is for Preset=testpmd, not Preset=%s.",
                             preset);
        if (d->preset == DATAPATH_OVS && !bridge)
                config_error(c, f, d->loc.line, "[Datapath] Preset=ovs needs Bridge= (here or in [Device]) "
                             "for its ports to join.");
        if (d->preset == DATAPATH_CUSTOM && d->exec_start &&
            datapath_check_substitutions(d->exec_start, bad, sizeof(bad)) < 0)
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart=: unknown substitution {%s}; known: {eal} {lcores} {main_lcore} {allow} "
                             "{socket_mem} {huge_dir} {file_prefix} {nb_cores} (\"{{\" is a literal \"{\").", bad);
        validate_command_lines(c);
}

/* What only holds across all files: a drop-in may set Cores= for the main file's Preset=. */
static int config_validate(Config *c) {
        const DatapathConfig *d = &c->datapath;
        const char *f = d->loc.file;

        int r;

        r = config_dedup_exact_rules(c);
        validate_cpu(c);

        if (c->kernel.reboot_policy == REBOOT_ONCE && !c->kernel.manage_args)
                config_error(c, c->kernel.loc.file, c->kernel.loc.line,
                             "[Kernel] RebootPolicy=once needs ManageArgs=yes: a reboot cannot bring "
                             "arguments that were never written to the bootloader.");

        if (d->preset == DATAPATH_NONE) {
                if (d->exec_start)
                        config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                                     "ExecStart= needs Preset=custom.");
                return r;
        }
        validate_preset_keys(c);
        if (cpuset_is_empty(&d->cores) && d->cores_per_port == 0)
                config_error(c, f, d->loc.line, "[Datapath] Preset=%s needs Cores= or CoresPerPort=.",
                             datapath_preset_to_string(d->preset));
        if (d->main_core >= 0 && cpuset_isset(&d->cores, (unsigned) d->main_core))
                config_error(c, f, d->loc.line, "[Datapath] MainCore=%d is also in Cores=.", d->main_core);
        if (d->preset == DATAPATH_CUSTOM && !d->exec_start)
                config_error(c, f, d->loc.line, "[Datapath] Preset=custom needs ExecStart=.");
        if (d->preset == DATAPATH_TESTPMD && d->exec_start)
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart= needs Preset=custom, not Preset=testpmd.");
        if (d->hugepage_size_kb) {
                bool found = false;

                for (size_t i = 0; i < c->n_hugepages; i++)
                        found = found || c->hugepages[i].size_kb == d->hugepage_size_kb;
                if (!found)
                        config_error(c, f, d->loc.line,
                                     "[Datapath] HugepageSize= names a size no [Hugepages] section reserves.");
        }
        return r;
}

/* parse false: only whether there is a config (c->exists, by the same rules), nothing read. */
static int config_load_internal(Config *c, bool parse) {
        DropIn *list = NULL;
        size_t n = 0;
        int r, ret = 0;

        *c = (Config) { .datapath.main_core = -1 };

        /* A link to /dev/null is a mask, also in an image whose /dev is empty (under --root the
         * link resolves inside the image). */
        if (is_masked(CONFIG_MAIN_FILE)) {
                c->exists = true;
                RET_GATHER(ret, strv_push(&c->masks, strdup(CONFIG_MAIN_FILE)));
        } else if (root_exists(CONFIG_MAIN_FILE) > 0) {
                c->exists = true;
                if (parse)
                        RET_GATHER(ret, config_apply_file(c, CONFIG_MAIN_FILE));
        }
        for (size_t i = 0; i < ELEMENTSOF(dropin_dirs); i++)
                RET_GATHER(ret, collect_dir(c, dropin_dirs[i], &list, &n));
        qsort_safe(list, n, sizeof(DropIn), dropin_cmp);
        for (size_t i = 0; i < n; i++) {
                if (ret >= 0 && is_masked(list[i].path))
                        RET_GATHER(ret, strv_push(&c->masks, TAKE_PTR(list[i].path)));
                else if (ret >= 0) {
                        c->exists = true;
                        if (parse) {
                                r = config_apply_file(c, list[i].path);
                                RET_GATHER(ret, r);
                        }
                }
                free(list[i].name);
                free(list[i].path);
        }
        free(list);
        if (c->exists && parse) {
                RET_GATHER(ret, check_trust_chain(c));
                RET_GATHER(ret, config_validate(c));
        }
        return ret;
}

int config_load(Config *c) {
        return config_load_internal(c, true);
}

int config_probe(Config *c) {
        return config_load_internal(c, false);
}

int config_load_file(Config *c, const char *path) {
        int r;

        *c = (Config) { .datapath.main_core = -1, .exists = true };
        r = config_apply_file(c, path);
        RET_GATHER(r, config_validate(c));
        return r;
}

bool config_needs_topology(const Config *c) {
        const DatapathConfig *d = &c->datapath;

        return c->housekeeping_per_node > 0 ||
               (d->preset != DATAPATH_NONE && d->cores_per_port > 0 && cpuset_is_empty(&d->cores));
}

bool config_ok(const Config *c) {
        return c->errors.n == 0;
}

void config_free(Config *c) {
        for (size_t i = 0; i < c->n_devices; i++)
                device_config_done(&c->devices[i]);
        free(c->devices);
        free(c->hugepages);
        free(c->datapath.forward_mode);
        free(c->datapath.extra_args);
        free(c->datapath.exec_start);
        free(c->datapath.file_prefix);
        free(c->datapath.bridge);
        free(c->datapath.config_file);
        free(c->datapath.user);
        free(c->datapath.group);
        free(c->kernel.secureboot_private_key);
        free(c->kernel.secureboot_certificate);
        strv_free(&c->errors);
        strv_free(&c->files);
        strv_free(&c->masks);
        *c = (Config) {};
}

static const char *const iommu_mode_table[_IOMMU_MAX] = {
        [IOMMU_UNSET] = "unset",
        [IOMMU_ON] = "on",
        [IOMMU_PT] = "pt",
        [IOMMU_OFF] = "off",
};

DEFINE_STRING_TABLE_LOOKUP(iommu_mode, IommuMode);

static const char *const datapath_preset_table[_DATAPATH_PRESET_MAX] = {
        [DATAPATH_NONE] = "none",
        [DATAPATH_TESTPMD] = "testpmd",
        [DATAPATH_CUSTOM] = "custom",
        [DATAPATH_OVS] = "ovs",
        [DATAPATH_VPP] = "vpp",
};

DEFINE_STRING_TABLE_LOOKUP(datapath_preset, DatapathPreset);

static const char *const bootloader_kind_table[_BOOTLOADER_MAX] = {
        [BOOTLOADER_AUTO] = "auto",
        [BOOTLOADER_GRUB] = "grub",
        [BOOTLOADER_BLS] = "bls",
        [BOOTLOADER_GRUBBY] = "grubby",
        [BOOTLOADER_BOOTC] = "bootc",
        [BOOTLOADER_UKI] = "uki",
};

DEFINE_STRING_TABLE_LOOKUP(bootloader_kind, BootloaderKind);

static const char *const reboot_policy_table[_REBOOT_POLICY_MAX] = {
        [REBOOT_NEVER] = "never",
        [REBOOT_ONCE] = "once",
};

DEFINE_STRING_TABLE_LOOKUP(reboot_policy, RebootPolicy);

static const char *const hugepage_placement_table[_HUGEPAGE_PLACEMENT_MAX] = {
        [PLACEMENT_KERNEL] = "kernel",
        [PLACEMENT_DEVICES] = "devices",
};

DEFINE_STRING_TABLE_LOOKUP(hugepage_placement, HugepagePlacement);

static const char *const match_key_table[_MATCH_MAX] = {
        [MATCH_ADDRESS] = "Address",
        [MATCH_ID] = "ID",
        [MATCH_CLASS] = "Class",
        [MATCH_KERNEL_DRIVER] = "KernelDriver",
        [MATCH_INTERFACE] = "Interface",
        [MATCH_MAC] = "MAC",
        [MATCH_NUMA] = "NUMANode",
        [MATCH_PATH] = "Path",
        [MATCH_PHYSFN] = "PhysicalFunction",
        [MATCH_VF_INDEX] = "VFIndex",
};

DEFINE_STRING_TABLE_LOOKUP(match_key, MatchKey);
