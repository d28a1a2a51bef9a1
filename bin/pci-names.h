/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <pci/pci.h>

/*
 * Device names from the PCI ID database through libpci. Under a root prefix the database is
 * <root>/usr/share/misc/pci.ids when the tree ships one (so test output does not depend on the
 * host's database), and the udev hwdb is never asked.
 */

/* A pci_access ready for name lookups, with error callbacks that do not exit(). */
int pci_names_open(struct pci_access **ret);
/* "Red Hat, Inc. Virtio network device"; falls back to the numbers ("1af4:1000"). */
const char *pci_names_lookup(struct pci_access *pacc, unsigned vendor, unsigned device,
                             char *buf, size_t size);
