/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * What a NIC will be called before its driver probes: whether an interface name that the
 * network configuration uses is the name systemd-udevd's net_id builtin gives (one of) the
 * interfaces of a PCI function, from the function's sysfs facts alone
 * (systemd.net-naming-scheme(7)):
 *
 *   en[o]<index>[n<port name>|d<dev_port>]     acpi_index, else the SMBIOS type 41 "index"
 *   en[P<domain>]s<slot>[f<fn>][n…|d…|v<vf>]   the slot whose address is the function's
 *   en[P<domain>]p<bus>s<dev>[f<fn>][n…|d…|v…]  the path; "ib" and "wl" prefixes likewise
 *
 * The port suffixes name another netdev of the same function, and the driver gives them: any
 * suffix counts as this function. A VF's name is its PF's with v<N>: it counts as the PF too, as
 * binding the PF takes its VFs away. With ARI the function number is fn + 8 * device. The "f0"
 * of function 0 depends on the header's multi-function bit and, for slots, on the scheme's
 * version (v247, v251, v255 changed which slot a function gets); both spellings match, as a
 * wrong "yes" only keeps a NIC on its kernel driver.
 */

typedef struct NetnameDevice {
        const char *address;   /* "0000:3b:00.0" */
        const char *path;      /* below /sys/devices, "pci0000:3a/0000:3a:00.0/0000:3b:00.0"; "" unknown */
        int acpi_index;        /* -1 when there is no acpi_index attribute */
        int smbios_index;      /* the "index" attribute, -1 when there is none */
        int ari;               /* the "ari_enabled" attribute: 1, 0, -1 unknown */
} NetnameDevice;

/*
 * The naming schemes that may be in force (systemd.net-naming-scheme(7)), a range of versions:
 * net.naming_scheme= on the kernel command line names one; else the installed systemd's default
 * is at most the latest scheme of its version (a distribution may build in an older one); else
 * any. A name counts when a scheme of the range gives it. What differs between the schemes here:
 *   before v239  ARI's function numbers (fn + 8 * device) are not used;
 *   before v249  an on-board index above 16383 gives no eno name;
 *   v247-v250, from v255   the hotplug slot of the bridge above a function names it no more
 *                (v251-v254 again, for multi-function devices);
 *   from v257    a function without a hotplug slot takes the ACPI _SUN of its firmware node
 *                (firmware_node/sun) as its slot number.
 * Other changes (SR-IOV "v"/"r" suffixes, "ib", devicetree, USB, Xen, netdevsim) change no name
 * of a PCI function's own port, or only suffixes, which all count.
 */
void netname_set_scheme(unsigned lo, unsigned hi);
/* The range for net.naming_scheme=requested (NULL: not given) and the installed systemd (its
 * libsystemd-shared-<version> under the root prefix). */
void netname_setup_scheme(const char *requested);
/* The latest scheme of a systemd version (its default unless built otherwise); 0 before v238. */
unsigned netname_latest_scheme(unsigned systemd_version);
/* "v255" into 255: -EINVAL for a name not of that form (a distribution's own, "rhel-9.4", which
 * is not known here), -ENOENT for a version that is no scheme (systemd then ignores it). */
int netname_scheme_from_name(const char *name, unsigned *ret);

/* Whether name would be (one of) dev's interface names. Slot names are looked up in
 * /sys/bus/pci/slots/<N>/address under the root prefix. */
bool netname_is_device(const char *name, const NetnameDevice *dev);

/* Every name net_id could give dev, without the port suffixes (n…, d…, v…) the driver adds:
 * en/ib/wl with o<index>; [P<domain>]s<slot>[f<fn>] for each slot whose address is the
 * function's; [P<domain>]p<bus>s<dev>[f<fn>]; with and without ARI's function number. Appended
 * to ret. -ENOMEM or 0. */
int netname_candidates(const NetnameDevice *dev, Strv *ret);

/* "enx" and the 12 hex digits of mac ("3c:fd:fe:aa:bb:cc"); false when mac is not one. */
bool netname_from_mac(const char *mac, char out[static 16]);

/* The MAC of an "enx<12 hex digits>" name, lower case with colons; false for any other name. */
bool netname_mac(const char *name, char out[static 18]);

/*
 * The permanent MAC that the PCI Device Serial Number extended capability (id 0x0003) gives, from
 * the first size bytes of the function's config space:
 *   NETNAME_DSN_PORT  Intel writes it as OUI, ff ff, then the last three bytes of function 0's
 *                     MAC: only an Intel (vendor 0x8086) function 0 has one;
 *   NETNAME_DSN_CARD  an EUI-64 made from a MAC (OUI, ff fe, the last three bytes), as Broadcom
 *                     NetXtreme-E and others write it: a MAC of the card, the same in each
 *                     function, which port has it is not said: it stands for every function.
 * NETNAME_DSN_NONE for anything else or no DSN.
 */
typedef enum NetnameDsn {
        NETNAME_DSN_NONE,
        NETNAME_DSN_PORT,
        NETNAME_DSN_CARD,
} NetnameDsn;

NetnameDsn netname_dsn_mac(const uint8_t *config, size_t size, unsigned vendor, unsigned function,
                           char out[static 18]);

/*
 * The permanent MAC of the interface name in the directory dfd (/sys/class/net, or a device's
 * net/), lower case with colons: its "address" when addr_assign_type says the kernel took it from
 * the hardware (0, NET_ADDR_PERM) or does not say (no such attribute, before Linux 3.2), else
 * what the bonding driver kept of it
 * (bonding_slave/perm_hwaddr: a bond gives its members its own MAC). -ENODATA when sysfs does not
 * say (a MAC set by hand, random or stolen, outside a bond), -errno when the interface cannot be
 * read. MAC selectors and MAC evidence match this, never a bond's current MAC.
 */
int netname_permanent_mac(int dfd, const char *name, char ret[static 18]);
