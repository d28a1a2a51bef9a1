/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cmdline.h"
#include "config.h"
#include "hw.h"

/*
 * The plan: what this boot does, derived by a pure function from the config, the command-line
 * switches and the hardware snapshot. The generator renders it as units, the helper carries it
 * out and verifies it, `dpdk-boot plan` prints it.
 */

typedef struct PlanHugepages {
        uint64_t size_kb;
        bool per_node;
        unsigned count;                           /* total when !per_node */
        unsigned node_count[DPDK_BOOT_MAX_NODES]; /* indexed by node id, when per_node */
        bool supported;                           /* the kernel offers this size */
        char mount_point[32];                     /* /dev/hugepages1G */
        Location loc;
} PlanHugepages;

typedef struct PlanDevice {
        char address[13];
        const char *driver;    /* target: "vfio-pci", ... or "" for the kernel's own driver */
        bool present;
        Location loc;
} PlanDevice;

typedef struct PlanDatapath {
        DatapathPreset preset;
        char *exec_start;      /* the full command line, unit-escaped only at render time */
        uint64_t hugepage_size_kb;
        const char *hugepage_dir;
        CpuSet lcores;
        int main_core;
} PlanDatapath;

/* CPU isolation for the kernel command line (isolcpus=, nohz_full=, rcu_nocbs=, irqaffinity=). */
typedef struct PlanCpu {
        bool set;              /* the config asks for isolation */
        CpuSet isolated;
        CpuSet housekeeping;   /* irqaffinity=: configured, else online CPUs not isolated */
        Location loc;
} PlanCpu;

typedef enum PlanState {
        PLAN_NO_CONFIG,        /* nothing to do: no config file */
        PLAN_DISABLED,         /* switched off on the command line */
        PLAN_INVALID,          /* config errors: touch nothing, report */
        PLAN_ACTIVE,
} PlanState;

typedef struct Plan {
        PlanState state;
        const char *disabled_by; /* "dpdk=no", "rd.dpdk=no" */
        bool initrd;

        bool do_hugepages;
        bool do_bind;
        bool do_datapath;

        PlanHugepages *hugepages;
        size_t n_hugepages;
        PlanDevice *devices;
        size_t n_devices;
        PlanDatapath datapath;
        PlanCpu cpu;
        IommuMode iommu;

        const char *source;    /* the main config file, for SourcePath= */
        Strv problems;         /* what will keep DPDK from coming up, known already */
        Strv warnings;
} Plan;

int plan_build(const Config *config, const Switches *sw, const Hardware *hw, bool initrd, Plan *ret);
void plan_free(Plan *plan);

const char *plan_state_to_string(PlanState s);
const PlanHugepages *plan_find_hugepages(const Plan *plan, uint64_t size_kb);
const PlanDevice *plan_find_device(const Plan *plan, const char *address);

/* Everything at once, the way the generator and the helper both start. */
typedef struct Context {
        Config config;
        Switches switches;
        Hardware hw;
        Plan plan;
        char *cmdline;
} Context;

int context_load(Context *c, bool initrd);
void context_free(Context *c);
