/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * VirtualFunctions= at boot, for the bind unit, before it binds any device: the PF on its kernel
 * driver (loaded and probed when it has none yet: the unit runs before udev's coldplug), then
 * sriov_drivers_autoprobe (0 when a VF binds to a DPDK driver, so that no VF is probed by its
 * kernel VF driver), then sriov_numvfs (through 0 when the count changes, as the kernel wants;
 * refused while a VF is on a driver the plan does not put it on), then a bounded wait for the
 * virtfnN links. The VFs are then bound like any device of the plan. Logs; negative errno.
 */
int sriov_apply(const Plan *p, const PlanSriov *s);
/* Every PF of the plan; the number that failed. */
unsigned sriov_apply_all(const Plan *p);
