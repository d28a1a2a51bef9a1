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
        HugepagePlacement placement;              /* as configured */
        bool placed;                              /* Placement=devices resolved: per_node holds it */
        bool supported;                           /* the kernel offers this size */
        bool refused;                             /* beyond the memory or the CPU: not proposed */
        char mount_point[32];                     /* /dev/hugepages1G */
        Location loc;
} PlanHugepages;

/*
 * The safety gates, each with a stable id for `dpdk-boot status`/`check` and a MESSAGE_ID in the
 * journal. The generator evaluates those its snapshot can (present, iommu, bifurcated); the
 * helper reads the full snapshot and evaluates all of them right before it binds.
 */
typedef enum GateId {
        GATE_PRESENT,          /* "present": the device exists */
        GATE_IOMMU,            /* "iommu": an IOMMU and a group for vfio-pci */
        GATE_GROUP,            /* "iommu-group": no other device of the group on a host driver */
        GATE_RMRR,             /* "rmrr": no firmware 1:1 ("direct") mapping in the group */
        GATE_BIFURCATED,       /* "bifurcated": mlx4/mlx5 keep their kernel driver */
        GATE_MANAGEMENT,       /* "management": not the NIC of the management path */
        GATE_SRIOV,            /* "sriov": not a PF whose virtual functions its driver carries */
        GATE_DRIVER,           /* "driver": the target driver can be loaded (helper, libkmod) */
        _GATE_MAX,
} GateId;

typedef enum GateResult {
        GATE_UNCHECKED,
        GATE_PASS,
        GATE_FAIL,
} GateResult;

typedef struct PlanDevice {
        char address[13];
        const char *driver;    /* target: "vfio-pci", ... or "" for the kernel's own driver */
        bool dpdk;             /* driver_is_dpdk(driver), as plan_build() set it */
        bool present;
        bool refused;          /* a gate failed: it is not bound */
        bool skipped;          /* refused, and only a pattern rule asked for it: a warning */
        bool force;            /* its rule says Force=yes: the management gate lets it pass */
        bool required;         /* its rule says Required=yes: refused, it keeps the datapath down */
        const DeviceConfig *rule;
        char why[160];         /* what picked it: "Address=0000:3b:00.0", "ID=8086:10fb Port=0" */
        int numa_node;         /* -1 unknown (or not read: a host with one node) */
        CpuSet *pmd_cores;     /* CoresPerPort=: the worker lcores chosen for this port, NULL
                                * when none were chosen (a set of 512 bytes that most devices
                                * never use is not zeroed for each of them) */
        const char *group_of;  /* BindGroup=yes: the selected device whose group this is */
        const char *bridge;    /* Preset=ovs: the bridge this port joins */
        const char *stays_on;  /* a bifurcated NIC (mlx4/mlx5) its rule leaves on the kernel's own
                                * driver (Driver= empty): that driver, "mlx5_core", and the port
                                * is the datapath's on it; NULL otherwise */
        char physfn[13];       /* a VF: its PF, "" otherwise */
        int vf_index;          /* a VF: its index on the PF, -1 otherwise */
        bool created;          /* a VF the plan's sriov_numvfs write creates: not there yet */
        VfSettings vf;         /* a VF: what its PF's driver sets on it before it is bound */
        GateResult gates[_GATE_MAX];
        GateId refused_by;     /* when refused: the gate that failed */
        char *refusal;         /* "[gate] message": the failed gate and its message */
        Location loc;
} PlanDevice;

/*
 * VirtualFunctions=: a PF gets this many SR-IOV virtual functions at this boot, before any device
 * is bound; its VFs are planned as devices (PlanDevice.created) before they exist.
 */
typedef struct PlanSriov {
        char pf[13];
        unsigned numvfs;       /* VirtualFunctions= */
        int current;           /* sriov_numvfs when planned, -1 unknown */
        unsigned total;        /* sriov_totalvfs */
        bool autoprobe_off;    /* a VF binds to a DPDK driver: sriov_drivers_autoprobe=0 first,
                                * so that no VF is probed by its kernel VF driver */
        bool skipped;          /* the PF itself is taken off its driver (Force=yes): no VFs */
        Location loc;
} PlanSriov;

typedef struct PlanDatapath {
        DatapathPreset preset;
        char *exec_start;      /* the full command line, unit-escaped only at render time */
        uint64_t hugepage_size_kb;
        const char *hugepage_dir;
        CpuSet lcores;         /* workers and the main lcore */
        CpuSet workers;        /* Cores=, or what CoresPerPort= chose */
        bool workers_derived;  /* CoresPerPort= chose them */
        int main_core;
        unsigned mtu;
        /* --socket-mem: MB per node id, SocketMemory= or derived; n_socket_mem 0 = none */
        unsigned socket_mem_mb[DPDK_BOOT_MAX_NODES];
        unsigned n_socket_mem;
        bool socket_mem_derived;
        const char *file_prefix; /* EAL --file-prefix */
        char *eal;             /* the EAL arguments: -l, --main-lcore, --file-prefix, --huge-dir,
                                * --socket-mem, one -a per port */
        const char *unit;      /* the datapath's unit: ours, ovs-vswitchd.service, vpp.service */
        const char *user, *group; /* User=, Group= (NULL: root) */
        const char *extra_args;  /* ExtraArgs=: testpmd's own arguments, OVS's dpdk-extra */
        const char *config_file; /* Preset=vpp: ConfigFile=, the startup.conf to build on (NULL:
                                  * VPP's own) */
        unsigned mode;         /* Mode= of hugetlbfs mounts and /dev/vfio/N, 0 = unchanged */
        bool restore_on_stop;
        unsigned restart_limit;
} PlanDatapath;

/* CPU isolation for the kernel command line (isolcpus=, nohz_full=, rcu_nocbs=, irqaffinity=). */
typedef struct PlanCpu {
        bool set;              /* the config asks for isolation */
        bool derived;          /* HousekeepingPerNode=: both sets from the topology */
        CpuSet isolated;
        CpuSet housekeeping;   /* irqaffinity=: configured, else online CPUs not isolated */
        Location loc;
} PlanCpu;

/*
 * [Kernel] and the kernel arguments the plan needs, for dpdk-boot-kargs.service. args and missing
 * depend on the running kernel's release and the CPU vendor: context_load() fills them (not
 * plan_build(), which does no I/O), on the real root only.
 */
typedef struct PlanKernel {
        bool manage_args;      /* ManageArgs= */
        BootloaderKind bootloader;
        RebootPolicy reboot_policy;
        bool take_over_args;   /* TakeOverArgs= */
        char *secureboot_private_key; /* SecureBootPrivateKey=, NULL when not set */
        char *secureboot_certificate; /* SecureBootCertificate=, NULL when not set */
        unsigned families;     /* KARGS_FAMILY_*: the families of arguments the plan configures */
        Strv args;             /* what the plan needs on the kernel command line */
        Strv missing;          /* of args, what the running command line lacks */
        uint64_t config_digest; /* Config.digest: RebootPolicy=once reboots once per value */
} PlanKernel;

typedef enum PlanState {
        PLAN_NO_CONFIG,        /* nothing to do: no config file */
        PLAN_DISABLED,         /* switched off on the command line */
        PLAN_INVALID,          /* config errors: touch nothing, report */
        PLAN_ACTIVE,
        _PLAN_STATE_MAX,
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
        PlanSriov *sriov;      /* by PF address */
        size_t n_sriov;
        PlanDatapath datapath;
        PlanCpu cpu;
        IommuMode iommu;
        PlanKernel kernel;
        /* The NUMA nodes (bits) of the snapshot, 0 when it has none (a kernel without NUMA):
         * reserve gives a per-node size no pages on the nodes the plan does not name. */
        uint64_t numa_nodes;
        /* In the initramfs: the NUMA nodes (bits) of the devices pattern rules select, which
         * only the real root takes, for Placement=devices. */
        uint64_t initrd_pattern_nodes;

        const char *source;    /* the main config file, for SourcePath= */
        Strv problems;         /* what will keep DPDK from coming up, known already */
        Strv warnings;
} Plan;

int plan_build(const Config *config, const Switches *sw, const Hardware *hw, bool initrd, Plan *ret);
/*
 * The datapath's socket memory on a NUMA node with this many ports, in MB: TripleO's derived
 * parameter (per distinct MTU: (MTU rounded up to 1024 + 800 bytes) x 4096 x 64 mbufs, plus
 * 512 MB, rounded up to whole GB), rounded up to the page size; 0 without ports.
 */
unsigned plan_socket_mem_mb(unsigned mtu, unsigned ports, uint64_t page_size_kb);
void plan_free(Plan *plan);

const char *plan_state_to_string(PlanState s);
int plan_state_from_string(const char *s);
/* Whether the bind unit binds the device at this boot: it is there, and no gate refused it
 * (verify names the others). In the initramfs, handing a device back to its kernel driver waits
 * for the real root: there it would load that NIC driver into the initramfs. */
bool plan_device_binds_now(const Plan *p, const PlanDevice *d);
/* A port of the datapath: selected for a DPDK driver, or a bifurcated NIC left on its kernel
 * driver (stays_on), and refused by no gate. */
bool plan_device_is_port(const PlanDevice *d);
/* The kernel driver of a bifurcated NIC, as a plan names it: the table's own string for
 * "mlx4_core" or "mlx5_core", NULL for any other name. */
const char *plan_bifurcated_driver(const char *name);
/* The modules the DPDK PMD needs on top of that driver (its RDMA driver and ib_uverbs), NULL
 * terminated; NULL when the driver is not one plan_bifurcated_driver() knows. */
const char *const *plan_bifurcated_modules(const char *driver);
/* The device's CoresPerPort= lcores, an empty set when none were chosen; never NULL. */
const CpuSet *plan_device_pmd_cores(const PlanDevice *d);
/* Preset=ovs: the port's interface name in ovsdb, "dpdk-" and its address with '-' for ':'
 * ("dpdk-3b-00.1"; the domain stays when it is not 0000: "dpdk-0001-3b-00.1"). */
void plan_ovs_port_name(const PlanDevice *d, char ret[static 20]);
/* Total pages the plan asks for this size, summed over nodes when per node. */
unsigned plan_hugepages_total(const PlanHugepages *h);
/* Whether the plan sets a count on this node (per node only). */
bool plan_hugepages_has_node(const PlanHugepages *h, int node);
const PlanHugepages *plan_find_hugepages(const Plan *plan, uint64_t size_kb);
/* The devices of a plan are in address order: plan_build() leaves them so, and a plan read back
 * from elsewhere is put so with plan_sort_devices(). */
const PlanDevice *plan_find_device(const Plan *plan, const char *address);
const PlanSriov *plan_find_sriov(const Plan *plan, const char *pf);
/* VirtualFunctions= against the PFs of the snapshot (SR-IOV capable, no more than
 * sriov_totalvfs, one count per PF): "file:line: ..." for each rule that asks too much. */
int plan_sriov_check(const Config *c, const Hardware *hw, Strv *ret_problems);
void plan_sort_devices(Plan *plan);
const char *gate_id_to_string(GateId g);
int gate_id_from_string(const char *s);
/* Runs the gates the snapshot allows on one device (for a one-off `dpdk-boot bind`). */
void plan_gate_device(Plan *plan, const Hardware *hw, PlanDevice *d);
/* The gates of taking a device off its driver with no target (dpdk-boot unbind): present and
 * management only. */
void plan_gate_unbind(Plan *p, const Hardware *hw, PlanDevice *d);
/*
 * The one form of a refusal, wherever it is said (the plan's problems, the generator's log, the
 * bind unit before it binds, verify): "ADDR refused [gate]: message", or "ADDR left out [gate]:
 * message" for a device only a pattern rule picked. NULL on OOM.
 */
char *gate_refusal_line(const char *address, GateId g, bool left_out, const char *message);
/* The message of a refused device's failed gate, without the "[gate] " of d->refusal. */
const char *plan_device_refusal_message(const PlanDevice *d);
/* Records a gate's outcome on a device (the helper's libkmod check uses it too). */
void plan_gate(Plan *plan, PlanDevice *d, GateId g, bool pass, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Everything at once, the way the generator and the helper both start. */
typedef struct Context {
        Config config;
        Switches switches;
        Hardware hw;
        Plan plan;
        char *cmdline;
} Context;

/* The generator's: with the plan switched off on the command line, neither the config nor the
 * hardware is read. */
int context_load(Context *c, bool initrd);
/* The CLI's: the same plan, and the config and hardware read even when switched off, for
 * `plan` and `status` to show. */
int context_load_full(Context *c, bool initrd);
void context_free(Context *c);
