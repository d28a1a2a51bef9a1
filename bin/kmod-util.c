/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "helper-cleanup.h"
#include "kmod-util.h"
#include "log.h"
#include "root-library.h"
#include "rootdir.h"
#include "util.h"

static void kmod_log(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args) {
        char buf[512];

        /* libkmod's own messages are detail; our callers report the outcome. */
        (void) vsnprintf(buf, sizeof(buf), format, args);
        log_debug("libkmod: %s", strip(buf));
}

/* modprobe.d directories, in libkmod's order of precedence. */
static const char *const modprobe_dirs[] = {
        "/etc/modprobe.d",
        "/run/modprobe.d",
        "/usr/local/lib/modprobe.d",
        "/usr/lib/modprobe.d",
        "/lib/modprobe.d",
};

typedef struct ConfigPaths {
        char *v[ELEMENTSOF(modprobe_dirs) + 1];
} ConfigPaths;

static void config_paths_done(ConfigPaths *c) {
        for (size_t i = 0; c->v[i]; i++)
                free(c->v[i]);
}

/* Under a root prefix, the tree's own deny-lists and aliases apply, not the host's. */
static int config_paths_under_root(ConfigPaths *ret) {
        for (size_t i = 0; i < ELEMENTSOF(modprobe_dirs); i++) {
                ret->v[i] = root_path(modprobe_dirs[i]);
                if (!ret->v[i])
                        return -errno;
        }
        return 0;
}

/* What libkmod opens below the module directory it is given: its indexes (kmod_load_resources(),
 * lookups) and text files. The modules (.ko) it opens only to insert one, never under a prefix
 * (dry runs there). */
static const char *const module_indexes[] = {
        "modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.alias.bin",
        "modules.builtin.bin", "modules.builtin.modinfo", "modules.softdep", "modules.devname",
        "modules.dep", "modules.alias", "modules.symbols", "modules.builtin",
};

/* Under a prefix, libkmod resolves the links below the directories it is given on the host: the
 * tree is refused when one leads elsewhere than the tree's own file (root_library_entry_check()). */
static int kmod_tree_check(const char *dir) {
        int r = 0;

        for (size_t i = 0; i < ELEMENTSOF(module_indexes) && r >= 0; i++)
                r = root_library_entry_check(dir, module_indexes[i]);
        /* libkmod reads the files of modprobe.d ending in .conf */
        for (size_t i = 0; i < ELEMENTSOF(modprobe_dirs) && r >= 0; i++)
                r = root_library_dir_check(modprobe_dirs[i], ".conf");
        return r;
}

bool kernel_release_is_valid(const char *release) {
        return !isempty(release) && !strchr(release, '/') && !streq(release, ".") && !streq(release, "..");
}

int kmod_setup_release(const char *release, struct kmod_ctx **ret) {
        _cleanup_kmod_ctx_ struct kmod_ctx *ctx = NULL;
        _cleanup_(config_paths_done) ConfigPaths conf = {};
        _cleanup_free_ char *dir = NULL, *full = NULL;
        struct utsname u;
        int r;

        assert(ret);

        *ret = NULL;
        if (!release) {
                if (uname(&u) < 0)
                        return -errno;
                release = u.release;
        }
        if (!kernel_release_is_valid(release))
                return -EINVAL;
        if (asprintf(&dir, "/lib/modules/%s", release) < 0)
                return -ENOMEM;
        r = root_exists(dir);
        if (r <= 0)
                return r;
        full = root_path(dir);
        if (!full)
                return -errno;
        if (!root_is_host()) {
                r = kmod_tree_check(dir);
                if (r < 0)
                        return r;
                if (config_paths_under_root(&conf) < 0)
                        return -ENOMEM;
        }

        ctx = kmod_new(full, root_is_host() ? NULL : (const char * const *) conf.v);
        if (!ctx)
                return -ENOMEM;
        kmod_set_log_fn(ctx, kmod_log, NULL);
        r = kmod_load_resources(ctx);
        if (r < 0)
                log_debug_errno(r, "Failed to load module indexes from %s, continuing: %m", full);

        *ret = TAKE_PTR(ctx);
        return 0;
}

int kmod_setup(struct kmod_ctx **ret) {
        return kmod_setup_release(/* release= */ NULL, ret);
}

static int kmod_insert_one(struct kmod_module *mod, bool dry_run) {
        int r, flags = KMOD_PROBE_APPLY_BLACKLIST;

        if (dry_run)
                flags |= KMOD_PROBE_DRY_RUN;

        switch (kmod_module_get_initstate(mod)) {
        case KMOD_MODULE_BUILTIN:
        case KMOD_MODULE_LIVE:
                log_debug("Module %s is already available.", kmod_module_get_name(mod));
                return 0;
        default:
                break;
        }

        r = kmod_module_probe_insert_module(mod, flags, /* extra_options= */ NULL,
                                            /* run_install= */ NULL, /* data= */ NULL,
                                            /* print_action= */ NULL);
        if (r == KMOD_PROBE_APPLY_BLACKLIST)
                return -EPERM;
        return r < 0 ? r : 0;
}

int kmod_load(struct kmod_ctx *ctx, const char *name, bool dry_run) {
        _cleanup_kmod_list_ struct kmod_list *list = NULL;
        struct kmod_list *l;
        int r, ret = 0;

        assert(ctx);
        assert(name);

        r = kmod_module_new_from_lookup(ctx, name, &list);
        if (r < 0)
                return r;
        if (!list)
                return -ENOENT;

        kmod_list_foreach(l, list) {
                _cleanup_kmod_module_ struct kmod_module *mod = kmod_module_get_module(l);

                (void) RET_GATHER(ret, kmod_insert_one(mod, dry_run));
        }
        return ret;
}

int kmod_find_vfio_variant(struct kmod_ctx *ctx, const char *modalias, char **ret_module) {
        _cleanup_kmod_list_ struct kmod_list *list = NULL;
        _cleanup_free_ char *alias = NULL;
        struct kmod_list *l;
        int r;

        assert(ctx);
        assert(modalias);
        assert(ret_module);

        *ret_module = NULL;
        alias = strjoin3("vfio_", modalias, "");
        if (!alias)
                return -ENOMEM;
        r = kmod_module_new_from_lookup(ctx, alias, &list);
        if (r < 0)
                return r;

        kmod_list_foreach(l, list) {
                _cleanup_kmod_module_ struct kmod_module *mod = kmod_module_get_module(l);
                const char *n = kmod_module_get_name(mod);

                if (streq(n, "vfio_pci"))
                        continue;
                *ret_module = strdup(n);
                return *ret_module ? 0 : -ENOMEM;
        }
        return 0;
}

static int module_sysfs_driver(const char *module, char **ret) {
        _cleanup_free_ char *p = NULL, *full = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (asprintf(&p, "/sys/module/%s/drivers", module) < 0)
                return -ENOMEM;
        full = root_path(p);
        if (!full)
                return -errno;
        d = opendir(full);
        if (!d)
                return -errno;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, "pci:", 4) == 0) {
                        *ret = strdup(de->d_name + 4);
                        return *ret ? 0 : -ENOMEM;
                }
        return -ENOENT;
}

int module_pci_driver_name(const char *module, char **ret) {
        assert(module);
        assert(ret);

        if (module_sysfs_driver(module, ret) >= 0)
                return 0;
        /* Not loaded yet (or a dry run): vfio_pci registers "vfio-pci", most others their name. */
        *ret = strdup(streq(module, "vfio_pci") ? "vfio-pci" : module);
        return *ret ? 0 : -ENOMEM;
}
