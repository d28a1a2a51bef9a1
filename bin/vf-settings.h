/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/* The bind unit's step after the virtual functions are created and before any is bound: each
 * VF's settings (MACAddress=, VLANId=, ...) asked of its PF's driver over rtnetlink. A failure
 * is logged, naming the VF and the setting, and the rest go on; the number of VFs with a
 * failure. */
unsigned vf_settings_apply_all(const Plan *p);
