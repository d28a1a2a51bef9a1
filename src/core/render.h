/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "units.h"

/* "dev-hugepages1G.mount" */
char *unit_mount_name(const char *where);

/*
 * The words the datapath's ExecStart= runs (testpmd and custom), as the plan means them: what
 * systemd must split the rendered line into. -ENOENT without a command, -EINVAL for one that
 * cannot be rendered.
 */
int render_exec_argv(const Plan *plan, Strv *ret);
/*
 * Writes the units and symlinks of the plan into dir, which must exist (the generator's
 * normal directory). Returns the first error, after trying everything.
 */
int render_units(const Plan *plan, const char *dir);
