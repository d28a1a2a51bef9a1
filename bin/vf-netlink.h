/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

/*
 * The settings a PF's kernel driver applies to one of its SR-IOV virtual functions, asked for
 * over rtnetlink: RTM_SETLINK on the PF's netdev with IFLA_VFINFO_LIST / IFLA_VF_INFO holding
 * one IFLA_VF_* attribute, one message per setting, so that a driver refusing one (a driver
 * without trust, say) is named and the others are still set. The messages are built with
 * libmnl. No logging here: the caller names what failed.
 *
 * Tests: DPDK_BOOT_VF_NETLINK_RECORD=<file> sends nothing; each message is decoded from its
 * netlink attributes and appended to <file> as one line, e.g.
 *   RTM_SETLINK ifindex 7 IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_TRUST vf 3 setting 1
 * and DPDK_BOOT_VF_NETLINK_REFUSE=<IFLA_VF_name> answers that attribute with EOPNOTSUPP, as a
 * driver without it does.
 */

typedef enum VfAttr {
        VF_ATTR_MAC,           /* IFLA_VF_MAC */
        VF_ATTR_VLAN,          /* IFLA_VF_VLAN: id and qos */
        VF_ATTR_TRUST,         /* IFLA_VF_TRUST */
        VF_ATTR_SPOOF_CHECK,   /* IFLA_VF_SPOOFCHK */
        VF_ATTR_LINK_STATE,    /* IFLA_VF_LINK_STATE */
        _VF_ATTR_MAX,
} VfAttr;

typedef struct VfNetlink VfNetlink;

/* The kernel's name of the attribute: "IFLA_VF_TRUST". */
const char *vf_attr_name(VfAttr a);
/* Whether s sets a. */
bool vf_attr_set(const VfSettings *s, VfAttr a);

int vf_netlink_open(VfNetlink **ret);
void vf_netlink_close(VfNetlink *nl);
/* Setting a of s on virtual function vf of the PF whose netdev is ifindex; the kernel's answer. */
int vf_netlink_set(VfNetlink *nl, int ifindex, unsigned vf, VfAttr a, const VfSettings *s);
