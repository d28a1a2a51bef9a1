/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * Device names as udev gives them: from the hwdb (sd-hwdb, ID_VENDOR_FROM_DATABASE and
 * ID_MODEL_FROM_DATABASE), which answers one device without reading the whole PCI ID database.
 * Only when there is no hwdb.bin does libpci read pci.ids. Under a root prefix both come from
 * the tree (<root>/etc/udev/hwdb.bin, <root>/usr/lib/udev/hwdb.bin, then
 * <root>/usr/share/misc/pci.ids), so test output does not depend on the host's databases.
 */

typedef struct PciNames PciNames;

int pci_names_open(PciNames **ret);
PciNames *pci_names_free(PciNames *n);
static inline void pci_names_freep(PciNames **n) {
        if (*n)
                pci_names_free(*n);
}
#define _cleanup_pci_names_ __attribute__((cleanup(pci_names_freep)))

/* "Red Hat, Inc. Virtio network device"; falls back to the numbers ("1af4:1000"). n may be NULL. */
const char *pci_names_lookup(PciNames *n, unsigned vendor, unsigned device, char *buf, size_t size);
