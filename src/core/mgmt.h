/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "netname.h"
#include "util.h"

/*
 * Evidence that a NIC carries the management path, so that no broad rule ever takes it:
 *
 *   the kernel command line: ip= (with an interface), BOOTIF=, ifname=, bond=, team=, bridge=
 *       (without ports dracut's eth0, eth1), vlan=, fcoe=, and rd.neednet / root=nfs, iscsi,
 *       nbd, cifs, dhcp, live:<URL> / netroot= / fcoe=edd (a netboot);
 *   iSCSI boot firmware (iBFT): /sys/firmware/ibft/ethernet* (mac, device);
 *   network configuration (mgmt-files.c): systemd-networkd .network files and their drop-ins
 *       in every directory networkd reads ([Match] Name=, MACAddress=, PermanentMACAddress=,
 *       Path=pci-...), netplan's YAML (netplan.c), NetworkManager keyfiles of /etc, /run and
 *       /usr/lib (interface-name=, mac-address=, [match] interface-name= and path=, a VLAN's
 *       parent=), ifupdown's /etc/network/interfaces with its
 *       source and source-directory statements and interfaces.d (iface, bond-slaves,
 *       bridge_ports); the names that .link files and udev rules give (mgmt-rename.c);
 *   live (when asked): the interfaces holding a v4 or v6 default route, and every lower device of
 *       them (bond slaves, bridge ports, a VLAN's parent), recursively.
 *
 * A name pattern (networkd's and netplan's Name=en*, a Path= glob) counts against every name the
 * NIC could get (netname_candidates()). A file that could name a management NIC but cannot be
 * read (not a regular file, EACCES, EIO) or parsed (a broken line where the file says which
 * device it matches, YAML that does not parse), a file that selects its device by no name, MAC or
 * path but by what no device shows before probe (networkd's Driver= or Type=ether, netplan's
 * match: driver:, an ethernet keyfile of NetworkManager naming no device), or a name given by a
 * rename whose match names no device before probe, is MGMT_ANY: it could name any NIC, so no rule takes a NIC unless the
 * rule names it by exact Address= with Force=yes. Each item keeps the reader that made it (its
 * origin, what the gate decides on) and where it came from (its source, for the refusal message).
 */

typedef enum MgmtKind {
        MGMT_NAME,             /* an interface name */
        MGMT_MAC,              /* a MAC address, lower case */
        MGMT_PCI,              /* a PCI address */
        MGMT_GLOB,             /* an interface name pattern (fnmatch(3)), "!..." inverted */
        MGMT_PATH_GLOB,        /* a pattern of udev's ID_PATH, "pci-0000:3b:00.*" */
        MGMT_ANY,              /* value: the file or the rename; source: why it names no NIC in
                                * particular */
        _MGMT_KIND_MAX,
} MgmtKind;

/* The reader that made an item: what the code decides on; the source text is for people. */
typedef enum MgmtOrigin {
        MGMT_FROM_CMDLINE,         /* the kernel command line (a netboot's MGMT_ANY too) */
        MGMT_FROM_IBFT,            /* iSCSI boot firmware */
        MGMT_FROM_NETWORKD,        /* systemd-networkd's .network and .netdev files */
        MGMT_FROM_NETPLAN,         /* netplan's YAML */
        MGMT_FROM_NETWORKMANAGER,  /* NetworkManager's keyfiles */
        MGMT_FROM_IFUPDOWN,        /* /etc/network/interfaces and what it sources */
        MGMT_FROM_RENAME,          /* .link files and udev rules that give a name the evidence uses */
        MGMT_FROM_KERNEL_NAME,     /* an eth<N> name that no interface has now */
        MGMT_FROM_SAVED,           /* MGMT_SAVED, the evidence stored in the initramfs */
        MGMT_FROM_RECORD,          /* MGMT_NIC_MACS, the NICs of earlier boots */
        MGMT_FROM_HARDWARE,        /* an interface or a Device Serial Number that has a MAC */
        MGMT_FROM_ROUTE,           /* the live default routes */
        _MGMT_ORIGIN_MAX,
        _MGMT_ORIGIN_INVALID = -EINVAL,
} MgmtOrigin;

typedef struct MgmtItem {
        MgmtKind kind;
        MgmtOrigin origin;
        char *value;
        char *source;          /* "kernel command line ip=...", "/etc/network/interfaces:12", ... */
        bool resolved;         /* MGMT_MAC: its PCI function is known (MGMT_NIC_MACS, MGMT_SAVED, an
                                * interface that has it, an Intel Device Serial Number) */
} MgmtItem;

typedef struct Mgmt {
        MgmtItem *items;
        size_t n_items;
        char *netboot;         /* the word that makes the boot itself need a NIC, when one does:
                                * rd.neednet=1, root=nfs:..., netroot=, ip=<method> */
        MgmtOrigin reading;    /* the reader adding items now: each sets it as it starts, and
                                * every item it adds gets it as its origin */
        bool boot_nic_named;   /* the command line or iBFT named a NIC (an item of theirs, even one
                                * that another reader had already added) */
        bool collected;
} Mgmt;

/*
 * The evidence the initramfs carries (MGMT_SAVED): the network configuration lives in the real
 * root, out of the initramfs' sight, so the dracut module stores what it says when it builds the
 * image ("dpdk-boot mgmt-evidence"). One item per line: "name|mac|pci VALUE SOURCE". It holds
 * names, MACs and addresses only, never the files (NetworkManager keyfiles may hold secrets).
 */
#define MGMT_SAVED "/usr/lib/dpdk-boot/mgmt-evidence"

/*
 * The NICs seen with an interface on earlier boots, one per line: "ADDRESS MAC IFNAME". A MAC
 * names no device before its driver binds; with this record it names the device it had, so the
 * management gate knows a NIC that the network configuration names only by MAC. Written by
 * "dpdk-boot verify" each boot (when it changed); read with the rest of the evidence.
 */
#define MGMT_NIC_MACS "/var/lib/dpdk-boot/nic-macs"

/* Static evidence from the command line, config files under the root prefix and MGMT_SAVED when
 * present; with live, the default routes too. Negative only on OOM. */
int mgmt_collect(Mgmt *m, const char *cmdline, bool live);
/* Only the live state: the interfaces of the default routes and every lower device of them. */
int mgmt_collect_live(Mgmt *m);
/* Only the network configuration files: what MGMT_SAVED is made of. */
int mgmt_collect_files(Mgmt *m);
/* For the readers of other tools' files: an item from path:line (a pattern or an empty value is
 * no evidence and not added). Negative only on OOM. */
int mgmt_add_at(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *path, unsigned line);
/* An item with this source. Negative only on OOM. */
int mgmt_add_source(Mgmt *m, MgmtKind kind, const char *value, const char *source);
/* A MGMT_GLOB item's pattern against a name; "!..." matches the names the rest does not. */
bool mgmt_glob_matches(const char *pattern, const char *name);
/* For the readers of other tools' files: path could not be opened or read (errno err): unless
 * it is missing, a MGMT_ANY item. -ENOMEM, else 0. */
int mgmt_unreadable(Mgmt *m, const char *path, int err);
/* path's line (0: the file as a whole) is broken where the file says what it matches: a
 * MGMT_ANY item. -ENOMEM, else 0. */
int mgmt_malformed(Mgmt *m, const char *path, unsigned line, const char *what);
/* The first MGMT_ANY item, or NULL. */
const MgmtItem *mgmt_any(const Mgmt *m);
/* A file that masks its name: a symlink to /dev/null, or empty. 1, 0, or -errno. */
int mgmt_masked(const char *path);
/* The files of name suffix in dirs (each with sub appended) as systemd reads them: in name
 * order, of each name the first directory's, none when it is masked. */
int mgmt_conf_files(Mgmt *m, const char *const *dirs, size_t n_dirs, const char *sub, const char *suffix,
                    Strv *ret);
/* Those of networkd's search path. */
int mgmt_networkd_files(Mgmt *m, const char *suffix, Strv *ret);
/* Names given by .link files and udev rules that the evidence uses (mgmt-rename.c): their
 * matches become evidence. Runs after the other files were read. */
int mgmt_collect_renames(Mgmt *m);
/* A kernel name (eth<N>) the evidence uses that no interface has now: a MGMT_ANY item (it is
 * given in probe order). After every name was read, the initramfs' stored ones too. */
int mgmt_kernel_names(Mgmt *m);
/* netplan's YAML (netplan.c). */
int mgmt_collect_netplan(Mgmt *m);
/* The items in MGMT_SAVED's format. */
int mgmt_write(const Mgmt *m, FILE *f);
void mgmt_free(Mgmt *m);

/* Is this interface name / MAC / PCI address evidence? Returns the item or NULL. */
const MgmtItem *mgmt_find(const Mgmt *m, MgmtKind kind, const char *value);

/* What is known of a device before its driver probes, and after: its PCI facts for the names
 * it will get, its interface and MAC when it has one. */
typedef struct MgmtDevice {
        NetnameDevice pci;
        const char *ifname;    /* "" when none */
        const char *mac;       /* the interface's, "" when none */
} MgmtDevice;

/* The evidence that names this device: its interface, its MAC, its PCI address (a MAC resolved
 * to it gave one), a name the device would get (netname_is_device()), a pattern that one of
 * the names it could get matches. Else NULL. MGMT_ANY items are not looked at (mgmt_any()). */
const MgmtItem *mgmt_find_device(const Mgmt *m, const MgmtDevice *dev);

/* Evidence that could name this device when none names it (mgmt_find_device()), as the
 * management gate judges it: for a network device (network) the first MGMT_ANY item; else,
 * when the device's MAC is unknown, the first MAC whose PCI function nothing gives before probe.
 * NULL when there is none. */
const MgmtItem *mgmt_may_name_device(const Mgmt *m, const MgmtDevice *dev, bool network);

/* The next MAC after item (NULL: the first) whose PCI function nothing gives before probe. */
const MgmtItem *mgmt_next_unresolved_mac(const Mgmt *m, const MgmtItem *item);
