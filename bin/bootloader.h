/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "kargs.h"
#include "plan.h"
#include "util.h"

/*
 * Where the kernel arguments live, per bootloader, and how dpdk-boot puts its own there.
 *
 *   grub    /etc/default/grub.d/50-dpdk-boot.cfg (ours alone), then update-grub; the line
 *           grub-mkconfig makes of all its files is what is checked (bootloader-grub.c)
 *   bls     /etc/kernel/cmdline (for kernels installed later) and the options line of the loader
 *           entries kernel-install made for this machine (<entry-token>-*.conf)
 *   grubby  grubby --update-kernel=ALL --remove-args=... --args=...
 *   bootc   /usr/lib/bootc/kargs.d/50-dpdk-boot.toml (ours alone)
 *
 * In a shared line only our words change (kargs_merge()); what we wrote last time is recorded in
 * /var/lib/dpdk-boot/kargs-owned, so that removing a setting removes its arguments. Every file
 * is replaced atomically (temporary file, fsync, rename, fsync of the directory). Everything is
 * under the root prefix. Nothing here logs above debug: changes are reported on out.
 */

#define KARGS_STATE_DIR "/var/lib/dpdk-boot"
#define GRUB_SNIPPET "/etc/default/grub.d/50-dpdk-boot.cfg"
#define BOOTC_KARGS "/usr/lib/bootc/kargs.d/50-dpdk-boot.toml"

typedef struct KargsRequest {
        Strv args;             /* what the plan needs */
        unsigned families;     /* the families the plan configures */
        Strv owned;            /* what we wrote last time */
        bool dry_run;          /* show a diff, write nothing */
        const char *secureboot_private_key; /* [Kernel] SecureBootPrivateKey=, NULL: unsigned */
        const char *secureboot_certificate; /* [Kernel] SecureBootCertificate= */
        bool take_over;        /* [Kernel] TakeOverArgs=: take our families' words out of the
                                * user's GRUB files instead of refusing */
} KargsRequest;

/* bootc, grubby, uki (bootloader_uki_detect()), bls (/etc/kernel/cmdline), grub, bls (loader
 * entries), in that order. */
int bootloader_detect(BootloaderKind *ret);
/* Returns > 0 when something changed (or would, with dry_run), 0 when all was in place. */
int bootloader_apply(BootloaderKind kind, const KargsRequest *req, FILE *out);

int kargs_owned_save(const Strv *args);

/* The environment of the arguments as the CLI sees it: ACPI tables, then /proc/cpuinfo for the
 * vendor; the running kernel, or release when given. */
int kargs_env_cli(const char *release, KargsEnv *ret);
/* Needed and missing arguments of a loaded context; cmdline NULL: the context's. */
int kargs_of_context(const Context *ctx, const KargsEnv *env, Strv *ret_needed, Strv *ret_missing);

/* mkdir -p of the parent under the root prefix, then an atomic write of content. */
int kargs_state_write(const char *path, const char *content);
/* Runs argv (PATH lookup); with capture, its stdout goes there. Returns its exit status. */
int spawn_command(char *const argv[], Buf *capture);
