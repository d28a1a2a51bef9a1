/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Unit names the plan renders to, shared by the generator, the helper and status. */
#define UNIT_TARGET "dpdk-boot.target"
#define UNIT_HUGEPAGES "dpdk-boot-hugepages.service"
#define UNIT_VERIFY "dpdk-boot-verify.service"
#define UNIT_DATAPATH "dpdk-boot-datapath.service"
#define UNIT_CONFIG_ERROR "dpdk-boot-config.service"
#define UNIT_KARGS "dpdk-boot-kargs.service"
#define UNIT_BIND "dpdk-boot-bind.service"
#define UNIT_DATAPATH_TARGET "dpdk-datapath.target"
#define UNIT_OVS_SETUP "dpdk-boot-ovs.service"
#define UNIT_OVS_VSWITCHD "ovs-vswitchd.service"
#define UNIT_OVSDB "ovsdb-server.service"
#define UNIT_VPP "vpp.service"
#define UNIT_IRQBALANCE "irqbalance.service"
#define DROPIN_NAME "50-dpdk-boot.conf"
#define VPP_STARTUP_CONF "/run/dpdk-boot/vpp-startup.conf"
#define VPP_DEFAULT_CONFIG "/etc/vpp/startup.conf"
