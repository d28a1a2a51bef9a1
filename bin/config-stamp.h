/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

/*
 * Which configuration an initramfs was built from. The dracut module records the stamp of the
 * build host's configuration in the image (dpdk-boot config-stamp); the image's cmdline hook
 * copies it to INITRD_STAMP_FILE when its stage runs; the real root compares it with the stamp
 * of its own configuration, so an initramfs left behind by a config change is noticed.
 *
 * The stamp covers every file the configuration was read from except those under /run, which
 * an image never carries: path, size and content, in reading order.
 */

#define INITRD_STAMP_FILE "/run/dpdk-boot/initrd-stamp"
#define INITRD_STAMP_IMAGE_FILE "/usr/lib/dpdk-boot/initrd-stamp"
#define INITRD_STALE_MESSAGE "initramfs built from an older config; run dracut -f"

typedef enum InitrdStamp {
        INITRD_STAMP_NONE,     /* no initramfs stage recorded one this boot */
        INITRD_STAMP_CURRENT,  /* the initramfs carries this configuration */
        INITRD_STAMP_STALE,    /* the initramfs carries another one */
        _INITRD_STAMP_MAX,
} InitrdStamp;

/* "v1 <16 hex digits> <files>", NUL-terminated. */
#define CONFIG_STAMP_MAX 48
int config_stamp(const Config *c, char ret[static CONFIG_STAMP_MAX]);

/* Compares INITRD_STAMP_FILE with the stamp of c. */
int initrd_stamp_check(const Config *c, InitrdStamp *ret);
const char *initrd_stamp_to_string(InitrdStamp s);
