/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Journal MESSAGE_IDs, one per failure class, as systemd's SD_MESSAGE_*_STR. Each has exactly
 * one entry in catalog/dpdk-boot.catalog, which `journalctl -x` shows beside the message: what
 * went wrong, why, and how to fix it. tests/catalog/ checks that the two stay in step.
 *
 * The IDs are fixed forever: generated once with `systemd-id128 new`, never reused for another
 * meaning. Add a new class with a new ID and a new catalog entry.
 *
 * Use them as a journal field, e.g.
 *         sd_journal_send("MESSAGE=...", "MESSAGE_ID=" DPDK_BOOT_MESSAGE_HUGEPAGE_SHORTFALL_STR, ...);
 */

/* The configuration has errors; nothing is reserved, bound or started this boot. */
#define DPDK_BOOT_MESSAGE_CONFIG_INVALID_STR           "ba21735644204520a84ce65c2a9e140a"
/* vfio-pci is wanted, but the device has no IOMMU group: no IOMMU, or it is off. */
#define DPDK_BOOT_MESSAGE_IOMMU_MISSING_STR            "cf399195a9234f73b9f264d3885cf968"
/* Another device in the same IOMMU group is still on a kernel driver. */
#define DPDK_BOOT_MESSAGE_IOMMU_GROUP_NOT_VIABLE_STR   "7612e29ecc9646ed99f5d96a65900d08"
/* The firmware reserves memory for the device (RMRR / direct mapping): VFIO cannot own it. */
#define DPDK_BOOT_MESSAGE_RMRR_STR                     "f7ecc936c46840c3b595ceb4df3e49aa"
/* The kernel reserved fewer hugepages than configured (per size, per node). */
#define DPDK_BOOT_MESSAGE_HUGEPAGE_SHORTFALL_STR       "1b0a3ba3816a4807a103521a414d0ad0"
/* The running kernel command line lacks arguments the configuration needs. */
#define DPDK_BOOT_MESSAGE_KARGS_DRIFT_STR              "e35c0f6cefea4168b180e5506fb14d00"
/* A device carries the management network (default route, bond, bridge...): not taken. */
#define DPDK_BOOT_MESSAGE_MANAGEMENT_NIC_REFUSED_STR   "27a36122c3ba4c42b295add3e64fe461"
/* The target driver (vfio-pci, uio_pci_generic, igb_uio) cannot be loaded or is deny-listed. */
#define DPDK_BOOT_MESSAGE_DRIVER_UNAVAILABLE_STR       "071c791a2d5b4a7e824a57a84409f13e"
/* A bifurcated NIC (e.g. mlx5) was to be bound to vfio-pci or uio; DPDK uses its kernel driver. */
#define DPDK_BOOT_MESSAGE_BIFURCATED_NIC_REFUSED_STR   "2bda5c8923464c0d98a98f3b6f4a8cd8"
/* An SR-IOV PF that carries virtual functions was to be taken off its kernel driver. */
#define DPDK_BOOT_MESSAGE_SRIOV_PF_REFUSED_STR         "43d59ee4150048ed8e5b83e0428e9b1c"
/* The bind itself failed: the driver did not take the device. */
#define DPDK_BOOT_MESSAGE_BIND_FAILED_STR              "e1973e0c579c41aeb6a1eee702c4e0c5"
/* The initramfs holds an older dpdk-boot configuration than the root file system. */
#define DPDK_BOOT_MESSAGE_INITRAMFS_STALE_STR          "53c205f7729d46c8aae3f5990eca9a6b"
/* The datapath unit failed to start or exited. */
#define DPDK_BOOT_MESSAGE_DATAPATH_FAILED_STR          "667721bf8f114c648a05dba725111271"
