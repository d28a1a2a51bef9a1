/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "hw-internal.h"
#include "rootdir.h"
#include "util.h"

/*
 * SR-IOV facts of the snapshot, read only when a rule creates or selects virtual functions: of a
 * PF its capability as sysfs shows it (sriov_totalvfs, sriov_offset, sriov_stride,
 * sriov_vf_device, sriov_numvfs), of a VF its PF (the physfn link) and its index there.
 */

static bool read_uint_at(int dfd, const char *rel, unsigned *ret) {
        char buf[32];

        if (read_attr_at(dfd, rel, buf, sizeof(buf)) <= 0)
                return false;
        strip(buf);
        return safe_atou(buf, ret) >= 0;
}

void hw_read_sriov(int devfd, HwDevice *d) {
        char buf[32];
        unsigned v;

        if (!d->present)
                return;
        if (readlinkat_basename(devfd, "physfn", buf, sizeof(buf)) > 0 && !pci_address_normalize(buf, d->physfn))
                d->physfn[0] = 0;
        if (!read_uint_at(devfd, "sriov_totalvfs", &v) || v > SRIOV_VFS_MAX)
                return;
        d->sriov_totalvfs = (int) v;
        (void) read_uint_at(devfd, "sriov_offset", &d->sriov_offset);
        (void) read_uint_at(devfd, "sriov_stride", &d->sriov_stride);
        if (read_uint_at(devfd, "sriov_numvfs", &v) && v <= SRIOV_VFS_MAX)
                d->sriov_numvfs = (int) v;
        if (read_attr_at(devfd, "sriov_vf_device", buf, sizeof(buf)) > 0) {
                strip(buf);
                d->sriov_vf_device = (unsigned) strtoul(buf, NULL, 16);
        }
}

/* Domain, routing ID (bus << 8 | device << 3 | function) of an address, "dddd:bb:dd.f" once
 * normalised: fixed places, each hex. */
static bool routing_id(const char *address, unsigned *domain, unsigned *rid) {
        char a[13];

        if (!pci_address_normalize(address, a))
                return false;
        a[4] = a[7] = a[10] = 0;
        *domain = (unsigned) strtoul(a, NULL, 16);
        *rid = (unsigned) strtoul(a + 5, NULL, 16) << 8 | (unsigned) strtoul(a + 8, NULL, 16) << 3 |
               (unsigned) strtoul(a + 11, NULL, 16);
        return true;
}

bool hw_vf_address(const HwDevice *pf, unsigned index, char ret[static 13]) {
        unsigned domain, rid;
        unsigned long vf;

        if (pf->sriov_totalvfs < 0 || pf->sriov_offset == 0 || !routing_id(pf->address, &domain, &rid))
                return false;
        vf = rid + pf->sriov_offset + (unsigned long) index * pf->sriov_stride;
        if (vf > 0xffff)
                return false;
        (void) snprintf(ret, 13, "%04x:%02lx:%02lx.%lx", domain, vf >> 8, (vf >> 3) & 0x1f, vf & 7);
        return true;
}

/* The index of an existing VF: where its address falls among its PF's. */
static int vf_index_of(const HwDevice *pf, const HwDevice *vf) {
        unsigned domain, rid, vf_domain, vf_rid;

        if (pf->sriov_totalvfs <= 0 || pf->sriov_offset == 0 || pf->sriov_stride == 0 ||
            !routing_id(pf->address, &domain, &rid) || !routing_id(vf->address, &vf_domain, &vf_rid) ||
            domain != vf_domain || vf_rid < rid + pf->sriov_offset ||
            (vf_rid - rid - pf->sriov_offset) % pf->sriov_stride != 0)
                return -1;
        return (int) ((vf_rid - rid - pf->sriov_offset) / pf->sriov_stride);
}

void hw_index_vfs(Hardware *hw) {
        for (size_t i = 0; i < hw->n_devices; i++) {
                HwDevice *d = &hw->devices[i];
                const HwDevice *pf;

                if (isempty(d->physfn))
                        continue;
                pf = hw_find_device(hw, d->physfn);
                d->vf_index = pf ? vf_index_of(pf, d) : -1;
        }
}
