/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A unit's ActiveState from the system manager over D-Bus. Only on the host root: under a root
 * prefix (a test tree, an image) the running manager knows nothing about that tree.
 * *ret is "unknown" when there is no answer; that is not an error.
 */
int unit_active_state(const char *unit, char **ret);
