/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "hw.h"

/* hw-groups.c: the groups of the devices read in full and not read yet, each once; kept sorted
 * by id for hw_find_group(). */
int hw_read_groups(Hardware *hw);

/* hw-sriov.c: a device's SR-IOV attributes (a PF's capability, a VF's PF), for a config that uses
 * SR-IOV; then, with every device read, each VF's index on its PF. */
void hw_read_sriov(int devfd, HwDevice *d);
void hw_index_vfs(Hardware *hw);
