/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "hw.h"
#include "hw-internal.h"
#include "rootdir.h"
#include "util.h"

/*
 * The IOMMU groups of the devices read in full: each group's members (address, driver, class)
 * and whether the platform reserves a direct-mapped region (RMRR) in it, for the iommu-group and
 * rmrr gates and BindGroup=.
 */

static int read_group(int id, HwGroup *g) {
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_close_ int gfd = -EBADF;
        char path[64], buf[4096];
        struct dirent *de;

        *g = (HwGroup) { .id = id };
        (void) snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d", id); /* <= 36 bytes */
        gfd = root_open(path, O_RDONLY | O_DIRECTORY, 0);
        if (gfd < 0)
                return 0;
        /* "0x00000000fee00000 0x00000000feefffff msi", "... direct", "... direct-relaxable" */
        if (read_attr_at(gfd, "reserved_regions", buf, sizeof(buf)) > 0)
                for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                        size_t len = strcspn(l, "\n");

                        if (len > 7 && strneq(l + len - 7, " direct", 7)) {
                                g->direct = true;
                                /* Only for the message: a longer line may be cut. */
                                (void) snprintf(g->direct_region, sizeof(g->direct_region), "%.*s",
                                                (int) len, l);
                                break;
                        }
                }
        d = opendir_at(gfd, "devices");
        if (!d)
                return 0;
        while ((de = readdir(d))) {
                _cleanup_close_ int devfd = -EBADF;
                HwGroupMember *n, *m;

                if (de->d_name[0] == '.')
                        continue;
                n = realloc(g->members, sizeof(HwGroupMember) * (g->n_members + 1));
                if (!n)
                        return -ENOMEM;
                g->members = n;
                m = &g->members[g->n_members++];
                *m = (HwGroupMember) {};
                if (!pci_address_normalize(de->d_name, m->address)) {
                        g->n_members--;
                        continue;
                }
                devfd = open_dir_at(dirfd(d), de->d_name);
                if (devfd < 0)
                        continue;
                (void) readlinkat_basename(devfd, "driver", m->driver, sizeof(m->driver));
                if (read_attr_at(devfd, "class", buf, sizeof(buf)) > 0)
                        m->class_code = (uint32_t) strtoul(buf, NULL, 16);
        }
        return 0;
}

static int member_cmp(const void *a, const void *b) {
        return strcmp(((const HwGroupMember *) a)->address, ((const HwGroupMember *) b)->address);
}

static int group_cmp(const void *a, const void *b) {
        int x = ((const HwGroup *) a)->id, y = ((const HwGroup *) b)->id;

        return x < y ? -1 : x > y;
}

static int int_cmp(const void *a, const void *b) {
        int x = *(const int *) a, y = *(const int *) b;

        return x < y ? -1 : x > y;
}

/* The groups of the devices read in full and not read yet, each once; kept sorted by id for
 * hw_find_group(). */
int hw_read_groups(Hardware *hw) {
        _cleanup_free_ int *ids = calloc(hw->n_devices ?: 1, sizeof(int));
        size_t n = 0;
        HwGroup *grown;

        if (!ids)
                return -ENOMEM;
        for (size_t i = 0; i < hw->n_devices; i++)
                if (hw->devices[i].iommu_group >= 0 && !hw_find_group(hw, hw->devices[i].iommu_group))
                        ids[n++] = hw->devices[i].iommu_group;
        qsort_safe(ids, n, sizeof(int), int_cmp);
        grown = reallocarray(hw->groups, hw->n_groups + n ?: 1, sizeof(HwGroup));
        if (!grown)
                return -ENOMEM;
        hw->groups = grown;
        for (size_t i = 0; i < n; i++) {
                HwGroup *g = &hw->groups[hw->n_groups];
                int r;

                if (i > 0 && ids[i] == ids[i - 1])
                        continue;
                r = read_group(ids[i], g);
                hw->n_groups++;
                if (r < 0)
                        return r;
                qsort_safe(g->members, g->n_members, sizeof(HwGroupMember), member_cmp);
        }
        qsort_safe(hw->groups, hw->n_groups, sizeof(HwGroup), group_cmp);
        return 0;
}

static int group_key_cmp(const void *key, const void *elem) {
        int a = *(const int *) key, b = ((const HwGroup *) elem)->id;

        return a < b ? -1 : a > b;
}

/* Groups are kept sorted by id. */
const HwGroup *hw_find_group(const Hardware *hw, int id) {
        if (hw->n_groups == 0)
                return NULL;
        return bsearch(&id, hw->groups, hw->n_groups, sizeof(HwGroup), group_key_cmp);
}
