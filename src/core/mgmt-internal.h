/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "mgmt.h"

/* Shared by the readers of the evidence (mgmt.c, mgmt-files.c, mgmt-rename.c, netplan.c). */

/* An item whose source is fmt's; patterns and empty values as mgmt_add_at(). Negative only
 * on OOM. */
int mgmt_add(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Whether s is a pattern (fnmatch(3)'s *?[ or networkd's leading !). */
bool mgmt_is_pattern(const char *s);

/* Whether a [Match] line is a condition on the host (Host=, Virtualization=, ...), not on the
 * device. */
bool mgmt_match_condition(char *text);

typedef int (*line_cb)(Mgmt *m, const char *path, unsigned line, char *section, char *text);

typedef enum FileMode {
        FILE_PLAIN,            /* evidence, one statement a line (ifupdown, MGMT_SAVED) */
        FILE_INI,              /* evidence, systemd's and GLib's key files: a broken line in the
                                * sections that say which device the file is for fails closed */
        FILE_RECORD,           /* our own record: unreadable is no evidence, only said */
} FileMode;

/* cb on each statement of path (a BOM skipped, CR and white space stripped, comments left out),
 * with the section it is in. Unreadable: mgmt_unreadable() unless FILE_RECORD. */
int mgmt_for_each_line(Mgmt *m, const char *path, line_cb cb, FileMode mode);

/* The network configuration files, netplan and the renames. */
int mgmt_collect_config(Mgmt *m);

/* The MAC a network controller's Device Serial Number gives, and how (netname_dsn_mac()). */
NetnameDsn mgmt_read_dsn_mac(const char addr[static 13], char mac[static 18]);
