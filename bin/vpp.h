/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * Preset=vpp: VPP reads its own startup.conf (ConfigFile=, else /etc/vpp/startup.conf). We keep
 * the user's file and replace only what the plan decides: its top-level cpu and dpdk sections.
 *
 * VPP reads the file as words separated by blanks; a word that starts with '#' ends its line (a
 * comment). The words are "name value" pairs, and a value that starts with '{' runs to its
 * matching '}', a backslash escaping the character after it (src/vpp/vnet/main.c and
 * unformat_string() in src/vppinfra/unformat.c). These functions read it the same way.
 */

/*
 * The text of base (may be NULL or empty) without its top-level cpu and dpdk sections, every
 * other byte kept, followed by our own cpu and dpdk sections for the plan. Returns 0 and a new
 * string in *ret; -EINVAL when base has unbalanced or misplaced braces, -ENOMEM; on failure *ret
 * is untouched.
 */
int vpp_render_startup(const char *base, const Plan *p, char **ret);

/*
 * The same with the base read from config_file (absolute) under the root prefix. Returns 1 when
 * the file was read, 0 when it does not exist (an empty base), or the read's -errno (-EFBIG for
 * a file over 1 MiB, -EBADMSG for one with a NUL byte), or vpp_render_startup()'s.
 */
int vpp_read_and_render(const char *config_file, const Plan *p, char **ret);
