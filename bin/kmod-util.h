/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include <libkmod.h>

/*
 * libkmod, used the way systemd's module-util.c does: one context, lookup, an empty list means
 * not found, built-in and live modules skipped, inserted with KMOD_PROBE_APPLY_BLACKLIST.
 * Nothing here logs above debug, but a tree refused under a prefix (root-library.h).
 */

/*
 * The context for the running kernel, or, under a root prefix, for <root>/lib/modules/<release>
 * if that exists. *ret is NULL (and 0 returned) when there is no module directory at all, as in
 * a test tree or a container. Under a prefix, -EXDEV (with a warning) when an index of the module
 * directory or a modprobe.d file is a link that leads out of the tree: libkmod would follow it on
 * the host.
 */
int kmod_setup(struct kmod_ctx **ret);
/* A release names one directory below /lib/modules ("6.1.0-18-amd64"), never a path. */
bool kernel_release_is_valid(const char *release);
/* The same for another kernel release (NULL: the running one), such as the one an initramfs is
 * built for: -EINVAL for a release that is not one directory name. */
int kmod_setup_release(const char *release, struct kmod_ctx **ret);

/*
 * Loads the module(s) an alias or name resolves to.
 * Returns 0 when loaded (or built in, or already live), -ENOENT when nothing matches,
 * -EPERM when the module is deny-listed, another -errno on failure.
 * dry_run: resolve and check, never insert (KMOD_PROBE_DRY_RUN).
 */
int kmod_load(struct kmod_ctx *ctx, const char *name, bool dry_run);

/*
 * Looks up "vfio_" + modalias: a vfio-pci variant driver for this device (mlx5_vfio_pci and
 * the like) declares such an alias. *ret_module is the module name, NULL when none (or when
 * only plain vfio_pci matches).
 */
int kmod_find_vfio_variant(struct kmod_ctx *ctx, const char *modalias, char **ret_module);

/* The PCI driver name a module registers: /sys/module/<m>/drivers/pci:<name>, else a guess. */
int module_pci_driver_name(const char *module, char **ret);
