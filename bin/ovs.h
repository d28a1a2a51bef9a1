/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "plan.h"

/* Found through PATH, as systemd's units and a shell find them (tests put stand-ins first). */
#define OVS_VSCTL_PATH "ovs-vsctl"
#define OVS_VSWITCHD_PATH "ovs-vswitchd"

/* "0x..." hexadecimal CPU mask, as OVS reads pmd-cpu-mask and dpdk-lcore-mask. */
int cpuset_format_mask(const CpuSet *s, char *buf, size_t size);

/*
 * The one ovs-vsctl command (argv, NULL-terminated) that writes Preset=ovs's plan into ovsdb:
 * other_config's DPDK keys, the bridges (datapath_type=netdev) and the dpdk ports, after removing
 * the ports in stale (may be NULL). No I/O.
 */
int ovs_setup_argv(const Plan *p, const Strv *stale, Strv *argv);
