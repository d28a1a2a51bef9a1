/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "bootloader.h"

/* What the backends share (bootloader.c), and each backend's apply. */

/* The largest file a backend reads and writes back: a larger one is an error, never cut short. */
#define MAX_FILE (1024 * 1024)

/* The file under the root prefix; NULL in *ret (and 0) when it does not exist; -EFBIG (logged,
 * naming it) over MAX_FILE. */
int bootloader_read_optional(const char *path, char **ret);
/* Puts content into path (NULL: removes it) atomically, keeping the mode and owners of the file
 * it replaces; with dry_run, prints the diff instead. Returns 1 when it changed, 0 when it was so. */
int bootloader_update_file(const char *path, const char *content, bool dry_run, FILE *out);

/* The pending stamp: written before a backend changes anything whose command (update-grub,
 * grub2-mkconfig) must still run, removed once it ran; while it is there, the next run runs the
 * command again even when no file changes. */
#define KARGS_PENDING_FILE "/var/lib/dpdk-boot/kargs-pending"

/* kernel-install's entry token (/etc/kernel/entry-token, else the machine id): the prefix of the
 * loader entries and UKIs it made for this installation. */
int bootloader_entry_token(char **ret);
/* Our words into /etc/kernel/cmdline (what kernel-install builds later entries and UKIs from),
 * creating it from the entry of ours or /proc/cmdline when needed (token may be NULL). */
int bootloader_kernel_cmdline(const char *token, const KargsRequest *req, FILE *out);
/* Whether the boot goes through UKIs: 1 (kernel-install's layout=uki, or UKIs of ours and no
 * loader entry of ours), 0, or -errno. */
int bootloader_uki_detect(void);

int bootloader_apply_grub(const KargsRequest *req, FILE *out);
int bootloader_apply_bls(const KargsRequest *req, FILE *out);
int bootloader_apply_bootc(const KargsRequest *req, FILE *out);
int bootloader_apply_grubby(const KargsRequest *req, FILE *out);
int bootloader_apply_uki(const KargsRequest *req, FILE *out);
