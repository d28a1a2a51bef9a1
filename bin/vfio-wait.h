/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/* How long verify waits for the VFIO group nodes of the planned devices, by default. */
#define VFIO_WAIT_DEFAULT_SEC 10

/* The wait in ms: DPDK_BOOT_VFIO_TIMEOUT_SEC (seconds, a fraction allowed, 0-3600) or the
 * default; -EINVAL (and the default in *ret) when the variable is not such a number. */
int vfio_wait_timeout_ms(int *ret);

/* Waits until /dev/vfio/<group> (under the root prefix) exists for each of the n groups, at most
 * timeout_ms. Returns 0 when all are there, -ETIMEDOUT when some are not (they are left in
 * groups[0..*n)), or -errno when inotify could not be set up (*n is then what was missing at
 * the last look). */
int vfio_wait_nodes(int *groups, size_t *n, int timeout_ms);
