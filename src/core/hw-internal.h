/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "hw.h"

/* hw-groups.c: the groups of the devices read in full and not read yet, each once; kept sorted
 * by id for hw_find_group(). */
int hw_read_groups(Hardware *hw);
