/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <libkmod.h>

#include "kmod-util.h"
#include "plan.h"
#include "util.h"

/*
 * The bind step of a bifurcated port (PlanDevice.stays_on): the modules its DPDK PMD needs on
 * top of the kernel driver (plan_bifurcated_modules()), loaded with libkmod (a dry run under a
 * root prefix; ctx NULL: no module directory). A module the tree's /sys/module shows counts as
 * loaded. Each failure is logged naming the device and the module; returns the first.
 */
int bifurcated_load_modules(const PlanDevice *d, struct kmod_ctx *ctx);
/*
 * verify and status: the port has a uverbs node, <dev>/infiniband_verbs/uverbsN and
 * /dev/infiniband/uverbsN; a problem naming the device and the modules not loaded (or the
 * missing /dev node) otherwise. Negative only on OOM.
 */
int bifurcated_check_uverbs(const PlanDevice *d, Strv *problems);
/*
 * verify and status: the port's PMD takes the traffic of its kernel interface, so none of its
 * interfaces may carry the management path now (a default route, or below one), unless its rule
 * says Force=yes. Negative only on OOM.
 */
int bifurcated_check_management(const PlanDevice *d, Strv *problems);
