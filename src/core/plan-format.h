/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * The plan document: `plan --json` prints it, the generator writes it for the units to execute
 * (plan_file_write()), the helper reads it back (bin/plan-file.c). Its members are documented in
 * dpdk-boot(8), "THE PLAN FILE"; a change that breaks a reader raises PLAN_FORMAT_VERSION.
 *
 * /run survives the switch from the initramfs to the real root, so the initramfs' plan stays
 * beside the real root's for `status` to show.
 */
#define PLAN_FORMAT_VERSION 1
#define PLAN_FORMAT_VERSION_STR "1"
#define PLAN_FILE "/run/dpdk-boot/plan.json"
#define PLAN_FILE_INITRD "/run/dpdk-boot/initrd-plan.json"

static inline const char *plan_file_path(bool initrd) {
        return initrd ? PLAN_FILE_INITRD : PLAN_FILE;
}
