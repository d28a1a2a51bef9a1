/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config-stamp.h"
#include "helper-cleanup.h"
#include "helper.h"
#include "kmod-util.h"
#include "log.h"
#include "pcidev.h"
#include "plan.h"
#include "rootdir.h"
#include "util.h"

/*
 * initrd-manifest: what the dracut module puts into an initramfs, decided by the code that reads
 * it at boot, so that the module parses no configuration itself. One item per line, the kind, a
 * space, and the value up to the end of the line (it may hold spaces, never a newline):
 *
 *   state valid|invalid|none   first: the configuration as config_load() finds it
 *   stamp STAMP                config-stamp's line (left out when a file cannot be read)
 *   config PATH                a file the loader reads, in its order: the main file and the
 *                              drop-in that wins each name, symlinks followed as it follows them
 *   mask PATH                  a link to /dev/null that hides the main file or a drop-in's name
 *   module NAME                a kernel module the initramfs stage binds with (sorted)
 *   iommu on|pt|off            [IOMMU] Mode=, when set
 *   evidence LINE              a line of the management-path evidence (mgmt-evidence)
 *
 * No firmware or other file: the stage reads nothing else, and dracut's instmods brings the
 * firmware a listed module declares. Files under /run belong to one boot: neither listed nor
 * stamped. A path with a control character is never listed: the loader refuses such a file,
 * and such a mask is left out with the file it hides.
 *
 * An invalid configuration gives state, stamp and evidence only, none of its files, modules or
 * arguments: the initramfs stage then does nothing, as the real root does nothing with it. Its
 * files must not go in either: cpio makes root own what it packs, so a file the loader refuses
 * for its owner here would be trusted there.
 */

typedef enum ManifestState {
        MANIFEST_NONE,
        MANIFEST_VALID,
        MANIFEST_INVALID,
} ManifestState;

static const char *const state_names[] = {
        [MANIFEST_NONE] = "none",
        [MANIFEST_VALID] = "valid",
        [MANIFEST_INVALID] = "invalid",
};

/* What each target driver needs: vfio-pci loads its IOMMU backend on demand, not as a module
 * dependency, so dracut's instmods would not bring it. */
static const struct {
        const char *driver;
        const char *modules[3];
} driver_modules[] = {
        { "vfio-pci",        { "vfio", "vfio_pci", "vfio_iommu_type1" } },
        { "uio_pci_generic", { "uio_pci_generic" } },
        { "igb_uio",         { "igb_uio" } },
};

static int push_module(Strv *l, const char *name) {
        return strv_contains(l, name) ? 0 : strv_push(l, strdup(name));
}

static int push_driver_modules(Strv *l, const char *driver) {
        int r = 0;

        for (size_t i = 0; i < ELEMENTSOF(driver_modules); i++) {
                if (!streq(driver_modules[i].driver, driver))
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(driver_modules[i].modules) && r >= 0; k++)
                        if (driver_modules[i].modules[k])
                                r = push_module(l, driver_modules[i].modules[k]);
        }
        return r;
}

/* The vfio-pci variant driver `bind` would pick for this device (kmod_find_vfio_variant()), by
 * its modalias now; a device that is not there now gets plain vfio-pci. */
static int push_variant(Strv *l, struct kmod_ctx *ctx, const char *address) {
        _cleanup_free_ char *modalias = NULL, *variant = NULL;
        int r;

        if (!ctx || pcidev_modalias(address, &modalias) < 0)
                return 0;
        r = kmod_find_vfio_variant(ctx, modalias, &variant);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                log_debug_errno(r, "%s: vfio variant lookup failed, plain vfio-pci: %m", address);
        return variant ? push_module(l, variant) : 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

/*
 * The modules of every device the initramfs plan takes (named by address, BindGroup= members
 * included), whatever the gates say now: this boot's IOMMU, routes and drivers are not those of
 * the boots the image is for. Nor do this boot's switches count.
 */
static int plan_modules(const Config *c, Strv *ret) {
        _cleanup_kmod_ctx_ struct kmod_ctx *ctx = NULL;
        _cleanup_(hw_free) Hardware hw = {};
        _cleanup_(plan_free) Plan p = {};
        Switches sw;
        int r, k;

        switches_init(&sw);
        r = hw_read(&hw, c, /* cmdline= */ NULL, HW_READ_FULL);
        if (r >= 0)
                r = plan_build(c, &sw, &hw, /* initrd= */ true, &p);
        if (r < 0)
                return r;
        k = kmod_setup_release(arg_kernel, &ctx);
        if (k == -ENOMEM)
                return k;
        if (!ctx)
                log_debug("No module index for kernel %s under '%s' (%s): no vfio-pci variant driver looked up.",
                          arg_kernel ?: "(the running one)", root_get(), k < 0 ? strerror(-k) : "no directory");
        for (size_t i = 0; i < p.n_devices && r >= 0; i++) {
                const PlanDevice *d = &p.devices[i];

                if (!d->dpdk)
                        continue;
                r = push_driver_modules(ret, d->driver);
                if (r >= 0 && driver_is_vfio_pci(d->driver))
                        r = push_variant(ret, ctx, d->address);
        }
        qsort_safe(ret->v, ret->n, sizeof(char *), cmp_str);
        return r < 0 ? r : 0;
}

static void emit_path(const char *kind, const char *path) {
        if (!config_file_in_image(path))
                return;
        if (string_has_cc(path)) {
                _cleanup_free_ char *shown = escape_cc(path);

                log_warning("Leaving %s out of the initramfs: its name holds a control character.",
                            shown ?: kind);
                return;
        }
        printf("%s %s\n", kind, path);
}

/* The evidence, one "evidence" item per line it has. */
static int emit_evidence(void) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        f = open_memstream(&buf, &size);
        if (!f)
                return -errno;
        r = mgmt_evidence_write(f);
        if (fclose(f) != 0 && r >= 0)
                r = -errno;
        if (r < 0)
                return r;
        for (const char *l = buf, *e; l && *l; l = e ? e + 1 : NULL) {
                e = strchr(l, '\n');
                printf("evidence %.*s\n", (int) (e ? (size_t) (e - l) : strlen(l)), l);
        }
        return 0;
}

static ManifestState manifest_state(const Config *c) {
        if (!config_ok(c))
                return MANIFEST_INVALID;
        return c->exists ? MANIFEST_VALID : MANIFEST_NONE;
}

/* What a valid configuration brings: its files, masks, modules and IOMMU mode. */
static int emit_config(const Config *c) {
        _cleanup_(strv_free) Strv modules = {};
        int r;

        r = plan_modules(c, &modules);
        if (r < 0)
                return log_error_errno(r, "Failed to plan the initramfs stage: %m");
        for (size_t i = 0; i < c->files.n; i++)
                emit_path("config", c->files.v[i]);
        for (size_t i = 0; i < c->masks.n; i++)
                emit_path("mask", c->masks.v[i]);
        for (size_t i = 0; i < modules.n; i++)
                printf("module %s\n", modules.v[i]);
        if (c->iommu != IOMMU_UNSET)
                printf("iommu %s\n", iommu_mode_to_string(c->iommu));
        return 0;
}

int verb_initrd_manifest(int argc, char **argv) {
        _cleanup_(config_free) Config c = {};
        char stamp[CONFIG_STAMP_MAX];
        ManifestState state;
        int r;

        (void) argc, (void) argv;
        if (arg_kernel && !kernel_release_is_valid(arg_kernel))
                return log_error_errno(EINVAL, "--kernel=%s: not a kernel release.", arg_kernel), EXIT_FAILURE;
        r = config_load(&c);
        if (r < 0)
                return log_error_errno(r, "Failed to read the configuration: %m"), EXIT_FAILURE;
        state = manifest_state(&c);
        for (size_t i = 0; i < c.errors.n; i++)
                log_warning("%s", c.errors.v[i]);
        printf("state %s\n", state_names[state]);
        r = config_stamp(&c, stamp);
        if (r < 0)
                log_warning_errno(r, "Failed to read the configuration files for their stamp: %m");
        else
                printf("stamp %s\n", stamp);
        if (state == MANIFEST_VALID && emit_config(&c) < 0)
                return EXIT_FAILURE;
        r = emit_evidence();
        if (r < 0)
                return log_error_errno(r, "Failed to collect the management-path evidence: %m"), EXIT_FAILURE;
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error_errno(EIO, "Failed to write the manifest: %m"), EXIT_FAILURE;
        return EXIT_SUCCESS;
}
