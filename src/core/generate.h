/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * Everything the generator writes into its output directory for this context: the plan's units
 * (render_units()) and, when the running command line lacks what the plan needs and the config
 * lets us manage it, dpdk-boot-kargs.service. `dpdk-boot plan --units` calls the same function,
 * so that it shows exactly what the generator writes. Logs what it warns about and every error.
 */
int generate_units(const Context *c, const char *dest);
