/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"

/*
 * The steps of plan_build(), one file each: devices and their gates (plan-devices.c,
 * plan-gates.c), CPUs and hugepages (plan-cpu.c), the datapath and its EAL arguments
 * (plan-datapath.c). Only plan_build() calls them, in this order: cpu, hugepages, devices,
 * datapath. Each returns negative errno on OOM only: what keeps DPDK from coming up goes into
 * the plan's problems and warnings.
 */

int plan_cpu(Plan *p, const Config *c, const Hardware *hw);
int plan_hugepages(Plan *p, const Config *c, const Hardware *hw);
int plan_devices(Plan *p, const Config *c, const Hardware *hw);
int plan_datapath(Plan *p, const Config *c, const Hardware *hw);

/* plan-sriov.c: the PFs VirtualFunctions= rules select (p->sriov), and view: the snapshot with
 * the VFs they will have, which the rules are applied to; view->devices is the caller's to free
 * when it is not hw's. */
int plan_sriov(Plan *p, const Config *c, const Hardware *hw, Hardware *view);
/* After the rules: whether the PF itself is taken (no VFs then), before the gates. */
void plan_sriov_pf_taken(Plan *p);
/* After the gates: sriov_drivers_autoprobe=0 where a VF binds to a DPDK driver. */
void plan_sriov_autoprobe(Plan *p);
/* The VF settings (MACAddress=, VLANId=, ...): problems for a device that is not a VF, or a MAC
 * address given to two. */
void plan_vf_settings(Plan *p);

/* The gates on every device of the plan. */
void plan_gates(Plan *p, const Hardware *hw);
/* bsearch() comparison of an address with a PlanDevice. */
int plan_device_key_cmp(const void *key, const void *elem);
/* Placement=devices: the pages on the nodes of the ports. */
void plan_place_hugepages(Plan *p, const Hardware *hw);
/* A port on a node without isolated CPUs or pages of its own: a warning. */
void plan_numa_warnings(Plan *p, const Hardware *hw);

/* The file of a location, the main config file when it has none. */
const char *plan_loc_file(const Location *l);
/* A NUMA node id the plan can index by. */
bool plan_node_known(int n);
