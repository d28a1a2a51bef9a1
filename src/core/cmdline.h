/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * Our switches on the kernel command line. Each is -1 when absent, else 0 or 1.
 *   dpdk=<bool>            master switch; absent = on when a config exists
 *   rd.dpdk=<bool>         the same, for the initramfs stage only
 *   dpdk.hugepages=<bool>  reserve hugepages
 *   dpdk.bind=<bool>       bind devices
 *   dpdk.datapath=<bool>   start the datapath unit
 *   rd.dpdk.hugepages=, rd.dpdk.bind=  the stage switches for the initramfs only
 * Later occurrences win. Keys compare with '-' and '_' equal.
 */
typedef struct Switches {
        int enabled;
        int rd_enabled;
        int hugepages;
        int bind;
        int datapath;
        int rd_hugepages;
        int rd_bind;
} Switches;

void switches_init(Switches *s);
/* Parses a whole command line (quotes as the kernel takes them). Warns about bad values. */
int switches_parse(Switches *s, const char *cmdline);
/* The switch that turns the whole boot setup off ("dpdk=no", in the initrd "rd.dpdk=no" too), or
 * NULL when none does. */
const char *switches_disabled_by(const Switches *s, bool initrd);
/* Reads SYSTEMD_PROC_CMDLINE, else <root>/proc/cmdline. */
int cmdline_read(char **ret);

/* Calls cb for every word as key/value (value NULL when there is no '='). */
typedef int (*cmdline_item_cb)(const char *key, const char *value, void *userdata);
int cmdline_parse_items(const char *cmdline, cmdline_item_cb cb, void *userdata);

/* SYSTEMD_IN_INITRD, else the existence of /etc/initrd-release under the root. */
bool in_initrd(void);
