/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "util.h"

/*
 * The sysfs side of binding a PCI device, under the root prefix: the device directory
 * /sys/bus/pci/devices/<bdf>, its driver_override and driver links, and the bus's drivers_probe.
 * No logging here; the verbs say what failed.
 */

/* "/sys/bus/pci/devices/<bdf>/<attr>" (attr may be NULL for the directory). */
char *pcidev_path(const char *bdf, const char *attr);
int pcidev_exists(const char *bdf);
/* A device named on the command line: normalised into bdf, and (must_exist) present; a logged
 * error otherwise. */
int pcidev_parse_address(const char *arg, bool must_exist, char bdf[static 13]);
/* The bound driver's name in *ret, or NULL when unbound. */
int pcidev_driver(const char *bdf, char **ret);
int pcidev_modalias(const char *bdf, char **ret);
/* The IOMMU group number, or -1 when the device has none. */
int pcidev_iommu_group(const char *bdf, int *ret);
/* driver "" clears the override. */
int pcidev_set_override(const char *bdf, const char *driver);
int pcidev_unbind(const char *bdf);
int pcidev_probe(const char *bdf);
/* drivers_probe, then the driver link: the driver the kernel chose in *ret (NULL when none), the
 * probe's own result in *ret_probe (a refused probe is not the answer, the link is). Returns the
 * link read's result. */
int pcidev_probe_driver(const char *bdf, int *ret_probe, char **ret);
/* Network interfaces on the device now: in <dev>/net and in <dev>/virtio<N>/net. */
int pcidev_net_interfaces(const char *bdf, Strv *ret);

/* /sys/bus/pci/drivers/<driver> exists: the driver is registered. 1/0/-errno. */
int pci_driver_registered(const char *driver);
/* /dev/vfio/<group> exists. 1/0/-errno. */
int vfio_group_exists(int group);

/* Whether a device on `current` is where `target` wants it ("" = any non-DPDK driver). */
bool driver_satisfies(const char *current, const char *target);
bool driver_is_vfio(const char *driver);
