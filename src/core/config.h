/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cpuset.h"
#include "util.h"

#define DPDK_BOOT_MAX_NODES 64
/* VirtualFunctions=, VFIndex=: far above any NIC's sriov_totalvfs (PCIe allows 65535). */
#define SRIOV_VFS_MAX 4096

#define CONFIG_MAIN_FILE "/etc/dpdk-boot/dpdk-boot.conf"
/* The largest config file or drop-in read, far above any real one. */
#define CONFIG_FILE_MAX (1024 * 1024)

/* Where a setting came from, for "file:line: message". file points into Config.files. */
typedef struct Location {
        const char *file;
        unsigned line;
} Location;

typedef enum HugepagePlacement {
        PLACEMENT_KERNEL,      /* Placement=kernel (default): the kernel spreads Count= */
        PLACEMENT_DEVICES,     /* Placement=devices: Count= spread over the selected NICs' nodes */
        _HUGEPAGE_PLACEMENT_MAX,
} HugepagePlacement;

typedef struct HugepageConfig {
        uint64_t size_kb;
        bool per_node;                            /* PerNode= given, else Count= */
        unsigned count;                           /* total, when !per_node */
        HugepagePlacement placement;              /* where a total goes */
        unsigned node_count[DPDK_BOOT_MAX_NODES]; /* when per_node */
        bool node_set[DPDK_BOOT_MAX_NODES];
        Location loc;
} HugepageConfig;

typedef enum IommuMode {
        IOMMU_UNSET,
        IOMMU_ON,
        IOMMU_PT,
        IOMMU_OFF,
        _IOMMU_MAX,
} IommuMode;

/* What a [Device] rule can select by. Each is a list of patterns (OR), "!" before the list
 * inverts it; all keys given must match (AND). */
typedef enum MatchKey {
        MATCH_ADDRESS,         /* Address=0000:3b:00.*      */
        MATCH_ID,              /* ID=8086:10fb 8086:154d     */
        MATCH_CLASS,           /* Class=0x0200 (hex prefix)  */
        MATCH_KERNEL_DRIVER,   /* KernelDriver=ixgbe         */
        MATCH_INTERFACE,       /* Interface=ens1f*           */
        MATCH_MAC,             /* MAC=3c:fd:fe:*             */
        MATCH_NUMA,            /* NUMANode=1                 */
        MATCH_PATH,            /* Path=pci0000:3a/ *         */
        MATCH_PHYSFN,          /* PhysicalFunction=0000:3b:00.0: a VF of this PF */
        MATCH_VF_INDEX,        /* VFIndex=0 1: the VF's index on its PF (virtfnN) */
        _MATCH_MAX,
} MatchKey;

typedef struct Match {
        Strv patterns;
        bool negate;
} Match;

/* The kernel's IFLA_VF_LINK_STATE_AUTO, _ENABLE, _DISABLE (linux/if_link.h), in that order. */
typedef enum VfLinkState {
        VF_LINK_STATE_AUTO,
        VF_LINK_STATE_ENABLE,
        VF_LINK_STATE_DISABLE,
        _VF_LINK_STATE_MAX,
} VfLinkState;

/* What the PF's kernel driver sets on one of its SR-IOV virtual functions (rtnetlink
 * IFLA_VFINFO_LIST), in the manner of systemd-networkd's [SR-IOV] section; each only when set. */
typedef struct VfSettings {
        bool mac_set, vlan_set, qos_set, trust_set, spoof_check_set, link_state_set;
        uint8_t mac[6];        /* MACAddress= */
        unsigned vlan;         /* VLANId=: 0 (none) to 4094 */
        unsigned qos;          /* QualityOfService=: the VLAN's 802.1p priority, 0 to 7 */
        bool trust;            /* Trust= */
        bool spoof_check;      /* MACSpoofCheck= */
        VfLinkState link_state; /* LinkState=: auto, yes, no */
} VfSettings;

bool vf_settings_any(const VfSettings *s);
bool vf_mac_parse(const char *v, uint8_t mac[static 6]);
void vf_mac_format(const uint8_t mac[static 6], char buf[static 18]);
/* The set ones, for the plan and the log: "mac 02:00:00:00:00:01, vlan 10 qos 3, trust yes". */
void vf_settings_text(const VfSettings *s, char *buf, size_t size);
const char *vf_link_state_to_string(VfLinkState s);
int vf_link_state_from_string(const char *s);

typedef struct DeviceConfig {
        char address[13];      /* an exact Address= ("0000:00:04.0"), else "" */
        Match match[_MATCH_MAX];
        unsigned *ports;       /* Port=: indices among the rule's matches, by address */
        size_t n_ports;
        bool exclude;          /* Exclude=yes: matching devices are never taken */
        bool force;            /* Force=yes: take it even if it carries the management path */
        bool bind_group;       /* BindGroup=yes: bind the whole IOMMU group when it must */
        bool required;         /* Required=yes: the datapath does not start without its devices */
        char *driver;          /* "vfio-pci", "uio_pci_generic", "igb_uio", or "" for the kernel's own;
                                * a static string, never written or freed */
        char *bridge;          /* Bridge=: the OVS bridge its ports join (Preset=ovs), NULL = [Datapath]'s */
        unsigned virtual_functions; /* VirtualFunctions=: SR-IOV VFs to create on the PFs it selects */
        bool virtual_functions_set;
        VfSettings vf;         /* settings of the VFs it selects, applied by their PF's driver */
        Location loc;
} DeviceConfig;

typedef enum DatapathPreset {
        DATAPATH_NONE,
        DATAPATH_TESTPMD,
        DATAPATH_CUSTOM,
        DATAPATH_OVS,          /* Open vSwitch's ovs-vswitchd, configured through ovsdb */
        DATAPATH_VPP,          /* VPP's vpp.service, pointed at a startup.conf we complete */
        _DATAPATH_PRESET_MAX,
} DatapathPreset;

typedef struct DatapathConfig {
        DatapathPreset preset;
        CpuSet cores;          /* worker (PMD) lcores */
        unsigned cores_per_port; /* CoresPerPort=: lcores per port chosen by the plan when no Cores= */
        unsigned mtu;          /* MTU=: for the socket memory; 0 = 1500 */
        unsigned socket_mem_mb[DPDK_BOOT_MAX_NODES]; /* SocketMemory=: MB per node, by node id */
        unsigned n_socket_mem; /* how many nodes SocketMemory= names; 0 = derived */
        int main_core;         /* -1: first housekeeping CPU */
        uint64_t hugepage_size_kb; /* 0: largest configured size */
        char *forward_mode;    /* testpmd --forward-mode, default "io" */
        unsigned stats_period; /* testpmd --stats-period seconds */
        char *extra_args;      /* appended to the application's own arguments */
        char *exec_start;      /* custom preset: the whole command line, with {eal}, {lcores}, ... */
        char *file_prefix;     /* FilePrefix=: EAL --file-prefix, NULL = "dpdk-boot" */
        char *bridge;          /* Bridge=: the OVS bridge every port joins (Preset=ovs) */
        char *config_file;     /* ConfigFile=: VPP's own startup.conf we complete (Preset=vpp) */
        char *user;            /* User=, Group=: a non-root datapath; hugetlbfs and /dev/vfio/N */
        char *group;           /*   get this owner and Mode= */
        unsigned mode;         /* Mode=: of the hugetlbfs mounts and /dev/vfio/N nodes; 0 = default */
        bool restore_on_stop;  /* RestoreOnStop=yes: a clean stop hands the ports back to the kernel */
        unsigned restart_limit; /* RestartLimit=: restarts in 10 min before it stays failed; 0 = none */
        bool restart_limit_set;
        Location loc;
        Location exec_start_loc;
} DatapathConfig;

/* [Kernel]: persisting the kernel arguments the plan needs (dpdk-boot kargs). */
typedef enum BootloaderKind {
        BOOTLOADER_AUTO,
        BOOTLOADER_GRUB,       /* Debian: /etc/default/grub.d snippet + update-grub */
        BOOTLOADER_BLS,        /* kernel-install: /etc/kernel/cmdline and our loader entries */
        BOOTLOADER_GRUBBY,
        BOOTLOADER_BOOTC,      /* image mode: a TOML file in /usr/lib/bootc/kargs.d */
        BOOTLOADER_UKI,        /* unified kernel images: a command-line addon beside each */
        _BOOTLOADER_MAX,
} BootloaderKind;

typedef enum RebootPolicy {
        REBOOT_NEVER,
        REBOOT_ONCE,           /* at most once per configuration */
        _REBOOT_POLICY_MAX,
} RebootPolicy;

typedef struct KernelConfig {
        bool manage_args;      /* persist at boot when the running command line lacks ours */
        BootloaderKind bootloader;
        RebootPolicy reboot_policy;
        bool take_over_args;   /* take our families' words out of the user's GRUB files */
        char *secureboot_private_key; /* SecureBootPrivateKey=, SecureBootCertificate=: ukify signs */
        char *secureboot_certificate; /*   the UKI addon with them (under the root prefix) */
        Location loc;
} KernelConfig;

/* Whether an image carries this configuration file: not one under /run, which belongs to one
 * boot. The initramfs stamp and manifest leave out the same files. */
bool config_file_in_image(const char *path);

typedef struct Config {
        bool exists;           /* any config file was found */
        Strv files;            /* every file read, in order; Location.file points here */
        uint64_t digest;       /* fnv1a() of every file read, name and content, in order: what
                                * tells two configurations apart (RebootPolicy=once's guard) */
        struct {               /* the initramfs stamp's hash (bin/config-stamp.h), taken as the
                                * files are read: of those an image carries, path, size, content */
                uint64_t hash;
                unsigned n_files; /* fewer than files has of the image: one was not read whole */
        } stamp;
        Strv errors;           /* "file:line: message", all of them */
        Strv masks;            /* the links to /dev/null that hid the main file or a drop-in's
                                * name, in reading order (what an image must mask as well) */

        HugepageConfig *hugepages;
        size_t n_hugepages;

        CpuSet isolate;
        bool isolate_set;
        Location isolate_loc;
        CpuSet housekeeping;
        bool housekeeping_set;
        Location housekeeping_loc;
        unsigned housekeeping_per_node; /* HousekeepingPerNode=: physical cores per node, 0 = not set */
        Location housekeeping_per_node_loc;
        Location cpu_loc;

        IommuMode iommu;

        DeviceConfig *devices;
        size_t n_devices;

        DatapathConfig datapath;

        KernelConfig kernel;

        size_t devices_allocated; /* the config reader's own: the room in devices[] */
} Config;

/*
 * Reads /etc/dpdk-boot/dpdk-boot.conf and the *.conf drop-ins of /usr/lib, /run and
 * /etc/dpdk-boot/conf.d (a name in /etc masks it in /run, which masks /usr/lib; drop-ins apply in
 * file-name order after the main file), all under the root prefix. Problems in the files are
 * collected in config->errors; the return value is negative only for OOM.
 */
int config_load(Config *config);
/* Whether there is a config, as config_load() decides it (config->exists), without reading any
 * file: for a boot that the kernel command line turned off. */
int config_probe(Config *config);
/* Same, from one explicit file only (for `dpdk-boot check FILE` and tests). */
int config_load_file(Config *config, const char *path);
bool config_ok(const Config *config);
void config_free(Config *config);

/* The enums' names, as the config spells them (string-table.h): NULL for a value out of range;
 * *_from_string() gives the value or -EINVAL. */
const char *iommu_mode_to_string(IommuMode m);
int iommu_mode_from_string(const char *s);
const char *datapath_preset_to_string(DatapathPreset p);
int datapath_preset_from_string(const char *s);
/* The substitutions a custom ExecStart= may use, in the order `dpdk-boot plan` explains them. */
extern const char *const datapath_substitutions[];
/* Checks every "{name}" of a custom ExecStart= ("{{" is a literal "{"): 0, or -EINVAL with the
 * first unknown name in ret_bad (up to size - 1 characters). */
int datapath_check_substitutions(const char *exec_start, char *ret_bad, size_t size);
const char *bootloader_kind_to_string(BootloaderKind k);
int bootloader_kind_from_string(const char *s);
const char *reboot_policy_to_string(RebootPolicy p);
int reboot_policy_from_string(const char *s);
bool driver_is_dpdk(const char *driver); /* vfio-pci, uio_pci_generic, igb_uio */
bool driver_is_vfio_pci(const char *driver); /* exactly vfio-pci, the rules' own string first */
const char *match_key_to_string(MatchKey k);
int match_key_from_string(const char *s);
/* Does any rule select by a pattern (so every PCI device must be looked at)? */
bool config_needs_scan(const Config *config);
bool config_uses_match(const Config *config, MatchKey k);
/* A rule creates virtual functions (VirtualFunctions=) or selects them (PhysicalFunction=,
 * VFIndex=): the snapshot reads the SR-IOV attributes. */
bool config_uses_sriov(const Config *config);
/* Does the plan need each CPU's hyperthread siblings (HousekeepingPerNode=, CoresPerPort=)? */
bool config_needs_topology(const Config *config);
const char *hugepage_placement_to_string(HugepagePlacement p);
int hugepage_placement_from_string(const char *s);
