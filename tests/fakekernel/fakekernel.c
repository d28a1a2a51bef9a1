/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakekernel: an LD_PRELOAD shim that plays the kernel's side of sysfs inside a fixture tree, so
 * the real dpdk-boot binary runs unprivileged against DPDK_BOOT_ROOT. It tracks files opened for
 * writing under the root and, at write(2) time, applies what the kernel would do, failing with
 * the errno the kernel would return:
 *
 *   .../hugepages-<kb>kB/nr_hugepages (global or per node)
 *       count = min(asked, capacity); capacity from a ".capacity" file in that directory
 *       (absent: unlimited). free_hugepages moves by the same amount. A global write spreads
 *       pages over the nodes round-robin; a node write updates the global count; they stay equal
 *       to the sum of the nodes.
 *   /proc/sys/vm/compact_memory
 *       in every pool, global or per node, a ".capacity_after_compact" replaces ".capacity"
 *       (compaction found memory); the write itself goes through to the file.
 *   <dev>/driver_override
 *       stored; an empty write (or "\n") clears it to "(null)" as the kernel shows it.
 *   /sys/bus/pci/drivers/<drv>/unbind
 *       removes the device's driver link (ENODEV if it is not bound to <drv>), its network
 *       interfaces, and for vfio drivers /dev/vfio/<group>.
 *   <pf>/sriov_numvfs
 *       ERANGE above sriov_totalvfs, ENOENT without a driver on the PF, EBUSY from one nonzero
 *       count to another (as the kernel: through 0) or when a VF has a ".assigned" file (in use
 *       by a VM). 0 removes the VFs (their directories, bus links, virtfnN links, groups); N
 *       creates N VFs as siblings of the PF's directory at the addresses sriov_offset and
 *       sriov_stride give, with the PF's vendor, class and node, sriov_vf_device as their
 *       device, physfn and virtfnN links, an IOMMU group each from ".vf_iommu_group_base" (none
 *       without it), and, when sriov_drivers_autoprobe is not 0, the driver named in
 *       ".vf_driver" (when that driver directory exists) as the kernel VF driver's probe.
 *   /sys/bus/pci/drivers_probe
 *       binds an unbound device to its driver_override, or else to the driver named in the
 *       fixture file <dev>/.default_driver, when that driver directory exists. vfio-pci needs an
 *       iommu_group (EINVAL otherwise, as "probe failed with error -22") and creates
 *       /dev/vfio/<group>.
 *
 * Files opened with openat2(2) (through syscall(2)) are tracked as those opened with openat().
 *
 * A tracked fd stays tracked through dup2(), dup3(), dup() and fcntl(F_DUPFD*), so a shell's
 * redirection (`printf %s BDF > .../unbind`: open, dup2 onto 1, write from a builtin) reaches
 * the kernel side too, as long as the shell calls write() itself (dash does; bash's builtins
 * write through stdio, which the shim cannot see).
 *
 * Everything else passes through. Only what dpdk-boot does is modelled.
 */
/* We define both open() and open64(): the headers must not rename one into the other. */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_FDS 4096
#define MAX_NODES 64
#define UNLIMITED 0xffffffffu

static char root[PATH_MAX];
static size_t root_len;
static char *tracked[MAX_FDS]; /* fd -> path below the root, for fds open for writing */

static int (*real_open)(const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);

/* Also called from the interposed functions: they may run before our constructor. */
static void fk_resolve(void) {
        if (real_write)
                return;
        real_open = dlsym(RTLD_NEXT, "open");
        real_write = dlsym(RTLD_NEXT, "write");
        real_close = dlsym(RTLD_NEXT, "close");
}

__attribute__((constructor)) static void fk_init(void) {
        const char *r = getenv("DPDK_BOOT_ROOT");

        fk_resolve();
        if (r && *r && realpath(r, root))
                root_len = strlen(root);
}

/* Small file helpers on absolute paths, through the real calls. */

static int put_file(const char *path, const char *s) {
        int fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), r = 0;

        if (fd < 0)
                return -errno;
        if (real_write(fd, s, strlen(s)) < 0)
                r = -errno;
        real_close(fd);
        return r;
}

static bool get_line(const char *path, char *buf, size_t size) {
        FILE *f = fopen(path, "re");
        bool ok;

        if (!f)
                return false;
        ok = fgets(buf, (int) size, f) != NULL;
        fclose(f);
        if (ok)
                buf[strcspn(buf, "\n")] = 0;
        return ok;
}

static unsigned get_uint(const char *path, unsigned dflt) {
        char buf[32], *end;
        unsigned long v;

        if (!get_line(path, buf, sizeof(buf)))
                return dflt;
        v = strtoul(buf, &end, 10);
        return end == buf ? dflt : (unsigned) v;
}

static void put_uint(const char *path, unsigned v) {
        char buf[32];

        snprintf(buf, sizeof(buf), "%u\n", v);
        (void) put_file(path, buf);
}

static bool exists(const char *path) {
        return access(path, F_OK) == 0;
}

static char *link_basename(const char *path, char *buf, size_t size) {
        char target[PATH_MAX], *slash;
        ssize_t n = readlink(path, target, sizeof(target) - 1);

        if (n < 0)
                return NULL;
        target[n] = 0;
        slash = strrchr(target, '/');
        snprintf(buf, size, "%s", slash ? slash + 1 : target);
        return buf;
}

/* Hugepages. A pool is one hugepages-<kb>kB directory. */

static void pool_set(const char *dir, unsigned count) {
        char p[PATH_MAX];
        unsigned old, free_;
        long nf;

        snprintf(p, sizeof(p), "%s/nr_hugepages", dir);
        old = get_uint(p, 0);
        put_uint(p, count);
        snprintf(p, sizeof(p), "%s/free_hugepages", dir);
        free_ = get_uint(p, old);
        nf = (long) free_ + (long) count - (long) old;
        put_uint(p, nf < 0 ? 0 : (unsigned) nf);
}

static unsigned pool_count(const char *dir) {
        char p[PATH_MAX];

        snprintf(p, sizeof(p), "%s/nr_hugepages", dir);
        return get_uint(p, 0);
}

static unsigned pool_capacity(const char *dir) {
        char p[PATH_MAX];

        snprintf(p, sizeof(p), "%s/.capacity", dir);
        return get_uint(p, UNLIMITED);
}

/* The per-node pools of one size: their directories, in node order. */
static int node_pools(const char *size_dir, char dirs[][PATH_MAX], int max) {
        int n = 0;

        for (int node = 0; node < MAX_NODES && n < max; node++) {
                snprintf(dirs[n], PATH_MAX, "%s/sys/devices/system/node/node%d/hugepages/%s",
                         root, node, size_dir);
                if (exists(dirs[n]))
                        n++;
        }
        return n;
}

static void global_from_nodes(const char *size_dir) {
        char dirs[MAX_NODES][PATH_MAX], global[PATH_MAX];
        int n = node_pools(size_dir, dirs, MAX_NODES);
        unsigned sum = 0;

        if (n == 0)
                return;
        for (int i = 0; i < n; i++)
                sum += pool_count(dirs[i]);
        snprintf(global, sizeof(global), "%s/sys/kernel/mm/hugepages/%s", root, size_dir);
        pool_set(global, sum);
}

/* A global write on a NUMA machine: grow or shrink the nodes one page at a time, round-robin. */
static void spread_over_nodes(const char *size_dir, unsigned target) {
        char dirs[MAX_NODES][PATH_MAX];
        unsigned count[MAX_NODES], cap[MAX_NODES], total = 0;
        int n = node_pools(size_dir, dirs, MAX_NODES);
        bool moved = true;

        for (int i = 0; i < n; i++) {
                count[i] = pool_count(dirs[i]);
                cap[i] = pool_capacity(dirs[i]);
                total += count[i];
        }
        while (total != target && moved) {
                moved = false;
                for (int i = 0; i < n && total != target; i++)
                        if (total < target && count[i] < cap[i]) {
                                count[i]++, total++;
                                moved = true;
                        } else if (total > target && count[i] > 0) {
                                count[i]--, total--;
                                moved = true;
                        }
        }
        for (int i = 0; i < n; i++)
                pool_set(dirs[i], count[i]);
}

static int parse_count(const char *buf, size_t len, unsigned *ret) {
        char s[32], *end;
        unsigned long v;

        if (len == 0 || len >= sizeof(s))
                return -EINVAL;
        memcpy(s, buf, len);
        s[len] = 0;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (end == s || (*end && *end != '\n') || errno || v > UINT32_MAX)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static int write_nr_hugepages(const char *rel, const char *buf, size_t len) {
        char dir[PATH_MAX], size_dir[64];
        const char *slash;
        unsigned asked, cap, got;
        int r;

        r = parse_count(buf, len, &asked);
        if (r < 0)
                return r;
        snprintf(dir, sizeof(dir), "%s/%s", root, rel);
        *strrchr(dir, '/') = 0;
        slash = strrchr(dir, '/');
        snprintf(size_dir, sizeof(size_dir), "%s", slash + 1);

        cap = pool_capacity(dir);
        got = asked < cap ? asked : cap;
        if (strncmp(rel, "sys/kernel/", 11) == 0) {
                char dirs[1][PATH_MAX];

                if (node_pools(size_dir, dirs, 1) == 0) {
                        pool_set(dir, got);
                        return 0;
                }
                spread_over_nodes(size_dir, got);
        } else
                pool_set(dir, got);
        global_from_nodes(size_dir);
        return 0;
}

/* Every pool, global or per node, with a ".capacity_after_compact" gets that capacity. */
static void compact_pools(const char *dir) {
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d))) {
                char from[PATH_MAX], to[PATH_MAX];

                snprintf(from, sizeof(from), "%s/%s/.capacity_after_compact", dir, de->d_name);
                snprintf(to, sizeof(to), "%s/%s/.capacity", dir, de->d_name);
                if (exists(from))
                        (void) rename(from, to);
        }
        closedir(d);
}

static void write_compact_memory(void) {
        char dir[PATH_MAX];

        snprintf(dir, sizeof(dir), "%s/sys/kernel/mm/hugepages", root);
        compact_pools(dir);
        for (int node = 0; node < MAX_NODES; node++) {
                snprintf(dir, sizeof(dir), "%s/sys/devices/system/node/node%d/hugepages", root, node);
                compact_pools(dir);
        }
}

/* PCI. */

static int device_dir(const char *buf, size_t len, char *ret, size_t size) {
        char bdf[32];

        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == 0))
                len--;
        if (len == 0 || len >= sizeof(bdf))
                return -ENODEV;
        memcpy(bdf, buf, len);
        bdf[len] = 0;
        snprintf(ret, size, "%s/sys/bus/pci/devices/%s", root, bdf);
        return exists(ret) ? 0 : -ENODEV;
}

static int remove_cb(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        return remove(path) < 0 ? -1 : 0;
}

/* A driver's unbind takes the device's network interfaces with it. */
static void remove_netdevs(const char *dev) {
        char p[PATH_MAX];
        DIR *d;
        struct dirent *de;

        snprintf(p, sizeof(p), "%s/net", dev);
        (void) nftw(p, remove_cb, 8, FTW_DEPTH | FTW_PHYS);
        d = opendir(dev);
        if (!d)
                return;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, "virtio", 6) == 0) {
                        snprintf(p, sizeof(p), "%s/%s", dev, de->d_name);
                        (void) nftw(p, remove_cb, 8, FTW_DEPTH | FTW_PHYS);
                }
        closedir(d);
}

static bool is_vfio(const char *drv) {
        return strstr(drv, "vfio") != NULL;
}

static void vfio_node_path(const char *dev, char *ret, size_t size, bool *has_group) {
        char link[PATH_MAX], group[32];

        snprintf(link, sizeof(link), "%s/iommu_group", dev);
        *has_group = link_basename(link, group, sizeof(group)) != NULL;
        snprintf(ret, size, "%s/dev/vfio/%s", root, *has_group ? group : "");
}

static int write_unbind(const char *rel, const char *buf, size_t len) {
        char dev[PATH_MAX], link[PATH_MAX], cur[256], drv[256], vfio[PATH_MAX];
        const char *name = rel + strlen("sys/bus/pci/drivers/");
        bool has_group;

        if (device_dir(buf, len, dev, sizeof(dev)) < 0)
                return -ENODEV;
        snprintf(drv, sizeof(drv), "%.*s", (int) strcspn(name, "/"), name);
        snprintf(link, sizeof(link), "%s/driver", dev);
        if (!link_basename(link, cur, sizeof(cur)) || strcmp(cur, drv) != 0)
                return -ENODEV;

        remove_netdevs(dev);
        if (unlink(link) < 0)
                return -errno;
        vfio_node_path(dev, vfio, sizeof(vfio), &has_group);
        if (is_vfio(drv) && has_group)
                (void) unlink(vfio);
        return 0;
}

/* "../../../bus/pci/drivers/<drv>", relative to the device's real directory, as sysfs does. */
static int link_driver(const char *dev, const char *drv) {
        char real[PATH_MAX], target[PATH_MAX] = "", link[PATH_MAX];
        const char *below;

        if (!realpath(dev, real) || strncmp(real, root, root_len) != 0)
                return -ENODEV;
        below = real + root_len + strlen("/sys/");
        for (const char *p = below; p && *p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
                strcat(target, "../");
        strcat(target, "bus/pci/drivers/");
        strcat(target, drv);
        snprintf(link, sizeof(link), "%s/driver", dev);
        return symlink(target, link) < 0 ? -errno : 0;
}

static int probe_with(const char *dev, const char *drv) {
        char vfio[PATH_MAX], dir[PATH_MAX];
        bool has_group;

        if (is_vfio(drv)) {
                vfio_node_path(dev, vfio, sizeof(vfio), &has_group);
                if (!has_group)
                        return -EINVAL; /* vfio-pci: "probe ... failed with error -22" */
                snprintf(dir, sizeof(dir), "%s/dev/vfio", root);
                (void) mkdir(dir, 0755);
                (void) put_file(vfio, "");
        }
        return link_driver(dev, drv);
}

static int write_drivers_probe(const char *buf, size_t len) {
        char dev[PATH_MAX], p[PATH_MAX], drv[256], drvdir[PATH_MAX];
        int r;

        r = device_dir(buf, len, dev, sizeof(dev));
        if (r < 0)
                return r;
        snprintf(p, sizeof(p), "%s/driver", dev);
        if (exists(p))
                return 0; /* already bound: nothing to probe */

        snprintf(p, sizeof(p), "%s/driver_override", dev);
        if (!get_line(p, drv, sizeof(drv)) || !*drv || strcmp(drv, "(null)") == 0) {
                snprintf(p, sizeof(p), "%s/.default_driver", dev);
                if (!get_line(p, drv, sizeof(drv)) || !*drv)
                        return 0;
        }
        snprintf(drvdir, sizeof(drvdir), "%s/sys/bus/pci/drivers/%s", root, drv);
        if (!exists(drvdir))
                return 0; /* no such driver: the device stays unbound, and the write succeeds */
        return probe_with(dev, drv);
}

static int write_driver_override(const char *rel, const char *buf, size_t len) {
        char path[PATH_MAX], v[256];

        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == 0))
                len--;
        if (len >= sizeof(v))
                return -EINVAL;
        memcpy(v, buf, len);
        v[len] = 0;
        snprintf(path, sizeof(path), "%s/%s", root, rel);
        return put_file(path, len == 0 ? "(null)\n" : strcat(v, "\n"));
}

/* SR-IOV. */

static void pf_path(const char *rel, char *ret, size_t size) {
        snprintf(ret, size, "%s/%.*s", root, (int) (strrchr(rel, '/') - rel), rel);
}

static unsigned get_hex(const char *path) {
        char buf[32];

        return get_line(path, buf, sizeof(buf)) ? (unsigned) strtoul(buf, NULL, 16) : 0;
}

/* The address of VF i of the PF at directory pf (named by its address). */
static void vf_address(const char *pf, unsigned i, char *ret, size_t size) {
        char p[PATH_MAX];
        const char *name = strrchr(pf, '/') + 1;
        unsigned domain, bus, dev, fn, rid;

        sscanf(name, "%x:%x:%x.%x", &domain, &bus, &dev, &fn);
        rid = bus << 8 | dev << 3 | fn;
        snprintf(p, sizeof(p), "%s/sriov_offset", pf);
        rid += get_uint(p, 1);
        snprintf(p, sizeof(p), "%s/sriov_stride", pf);
        rid += i * get_uint(p, 1);
        snprintf(ret, size, "%04x:%02x:%02x.%x", domain, rid >> 8, (rid >> 3) & 0x1f, rid & 7);
}

static int vf_assigned(const char *pf, unsigned n) {
        char p[PATH_MAX], vf[32];

        for (unsigned i = 0; i < n; i++) {
                vf_address(pf, i, vf, sizeof(vf));
                snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/.assigned", root, vf);
                if (exists(p))
                        return 1;
        }
        return 0;
}

static void remove_vfs(const char *pf, unsigned n) {
        char p[PATH_MAX], real[PATH_MAX], vf[32], group[32];

        for (unsigned i = 0; i < n; i++) {
                vf_address(pf, i, vf, sizeof(vf));
                snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/iommu_group", root, vf);
                if (link_basename(p, group, sizeof(group))) {
                        snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/%s", root, group);
                        (void) nftw(p, remove_cb, 8, FTW_DEPTH | FTW_PHYS);
                        snprintf(p, sizeof(p), "%s/dev/vfio/%s", root, group);
                        (void) unlink(p);
                }
                snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s", root, vf);
                if (realpath(p, real))
                        (void) nftw(real, remove_cb, 8, FTW_DEPTH | FTW_PHYS);
                (void) unlink(p);
                snprintf(p, sizeof(p), "%s/virtfn%u", pf, i);
                (void) unlink(p);
        }
}

static void copy_attr(const char *from, const char *to, const char *name) {
        char p[PATH_MAX], buf[256];

        snprintf(p, sizeof(p), "%s/%s", from, name);
        if (!get_line(p, buf, sizeof(buf)))
                return;
        strcat(buf, "\n");
        snprintf(p, sizeof(p), "%s/%s", to, name);
        (void) put_file(p, buf);
}

/* dir (below root/sys/) as a link target from depth directories below root/sys. */
static void sys_target(const char *dir, int depth, char *ret, size_t size) {
        ret[0] = 0;
        for (int i = 0; i < depth; i++)
                strcat(ret, "../");
        strncat(ret, dir + root_len + strlen("/sys/"), size - strlen(ret) - 1);
}

static void vf_group(const char *pf, const char *vfdir, const char *vf, unsigned i) {
        char p[PATH_MAX], target[PATH_MAX];
        unsigned group;

        snprintf(p, sizeof(p), "%s/.vf_iommu_group_base", pf);
        if (!exists(p))
                return;
        group = get_uint(p, 0) + i;
        snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/%u", root, group);
        (void) mkdir(p, 0755);
        strcat(p, "/devices");
        (void) mkdir(p, 0755);
        snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%u", group);
        snprintf(p, sizeof(p), "%s/iommu_group", vfdir);
        (void) symlink(target, p);
        snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/%u/devices/%s", root, group, vf);
        sys_target(vfdir, 4, target, sizeof(target));
        (void) symlink(target, p);
}

/* One VF: its directory beside the PF's, its links, and the kernel VF driver's probe. */
static void create_vf(const char *pf, const char *pfreal, unsigned i, bool autoprobe) {
        char vf[32], dir[PATH_MAX], p[PATH_MAX], buf[64], buf2[PATH_MAX], drv[256];

        vf_address(pf, i, vf, sizeof(vf));
        snprintf(dir, sizeof(dir), "%.*s/%s", (int) (strrchr(pfreal, '/') - pfreal), pfreal, vf);
        (void) mkdir(dir, 0755);
        copy_attr(pf, dir, "vendor");
        copy_attr(pf, dir, "class");
        copy_attr(pf, dir, "numa_node");
        snprintf(p, sizeof(p), "%s/sriov_vf_device", pf);
        snprintf(buf, sizeof(buf), "0x%04x\n", get_hex(p));
        snprintf(p, sizeof(p), "%s/device", dir);
        (void) put_file(p, buf);
        snprintf(p, sizeof(p), "%s/driver_override", dir);
        (void) put_file(p, "(null)\n");
        snprintf(p, sizeof(p), "%s/physfn", dir);
        snprintf(buf, sizeof(buf), "../%s", strrchr(pfreal, '/') + 1);
        (void) symlink(buf, p);
        snprintf(p, sizeof(p), "%s/virtfn%u", pf, i);
        snprintf(buf, sizeof(buf), "../%s", vf);
        (void) symlink(buf, p);
        snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s", root, vf);
        sys_target(dir, 3, buf2, sizeof(buf2));
        (void) symlink(buf2, p);
        vf_group(pf, dir, vf, i);
        snprintf(p, sizeof(p), "%s/.vf_driver", pf);
        if (!get_line(p, drv, sizeof(drv)) || !*drv)
                return;
        snprintf(p, sizeof(p), "%s/.default_driver", dir);
        strcat(drv, "\n");
        (void) put_file(p, drv);
        drv[strcspn(drv, "\n")] = 0;
        snprintf(p, sizeof(p), "%s/sys/bus/pci/drivers/%s", root, drv);
        if (autoprobe && exists(p))
                (void) link_driver(dir, drv);
}

static int write_sriov_numvfs(const char *rel, const char *buf, size_t len) {
        char pf[PATH_MAX], pfreal[PATH_MAX], p[PATH_MAX];
        unsigned n, cur, total;
        bool autoprobe;

        if (parse_count(buf, len, &n) < 0)
                return -EINVAL;
        pf_path(rel, pf, sizeof(pf));
        if (!realpath(pf, pfreal))
                return -ENODEV;
        snprintf(p, sizeof(p), "%s/sriov_totalvfs", pf);
        total = get_uint(p, 0);
        snprintf(p, sizeof(p), "%s/sriov_numvfs", pf);
        cur = get_uint(p, 0);
        if (n > total)
                return -ERANGE;
        snprintf(p, sizeof(p), "%s/driver", pf);
        if (!exists(p))
                return -ENOENT;
        if (n == cur)
                return 0;
        if (n != 0 && cur != 0)
                return -EBUSY;
        if (n == 0 && vf_assigned(pf, cur))
                return -EBUSY;
        if (n == 0)
                remove_vfs(pf, cur);
        snprintf(p, sizeof(p), "%s/sriov_drivers_autoprobe", pf);
        autoprobe = get_uint(p, 1) != 0;
        for (unsigned i = 0; i < n; i++)
                create_vf(pf, pfreal, i, autoprobe);
        snprintf(p, sizeof(p), "%s/sriov_numvfs", pf);
        put_uint(p, n);
        return 0;
}

static bool match_suffix(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Returns 1 when handled (0 or -errno in *ret), 0 to pass the write through. */
static int kernel_write(const char *rel, const void *buf, size_t len, int *ret) {
        if (match_suffix(rel, "/nr_hugepages") && strstr(rel, "/hugepages/hugepages-"))
                *ret = write_nr_hugepages(rel, buf, len);
        else if (strcmp(rel, "proc/sys/vm/compact_memory") == 0) {
                write_compact_memory(); /* and the write itself goes through */
                return 0;
        } else if (match_suffix(rel, "/sriov_numvfs") && strncmp(rel, "sys/", 4) == 0)
                *ret = write_sriov_numvfs(rel, buf, len);
        else if (match_suffix(rel, "/driver_override"))
                *ret = write_driver_override(rel, buf, len);
        else if (strncmp(rel, "sys/bus/pci/drivers/", 20) == 0 && match_suffix(rel, "/unbind"))
                *ret = write_unbind(rel, buf, len);
        else if (strcmp(rel, "sys/bus/pci/drivers_probe") == 0)
                *ret = write_drivers_probe(buf, len);
        else
                return 0;
        return 1;
}

/* Interposed calls. */

static void track(int fd, int flags) {
        char link[64], path[PATH_MAX];
        ssize_t n;

        if (fd < 0 || fd >= MAX_FDS || root_len == 0 || (flags & O_ACCMODE) == O_RDONLY)
                return;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, path, sizeof(path) - 1);
        if (n < 0)
                return;
        path[n] = 0;
        if (strncmp(path, root, root_len) != 0 || path[root_len] != '/')
                return;
        free(tracked[fd]);
        tracked[fd] = strdup(path + root_len + 1);
}

#define OPEN_MODE(flags, mode)                                          \
        do {                                                            \
                if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { \
                        va_list ap;                                     \
                        va_start(ap, flags);                            \
                        mode = va_arg(ap, mode_t);                      \
                        va_end(ap);                                     \
                }                                                       \
        } while (0)

#define DEFINE_OPEN(name)                                                       \
        int name(const char *path, int flags, ...) {                            \
                static int (*real)(const char *, int, ...);                     \
                mode_t mode = 0;                                                \
                int fd;                                                         \
                OPEN_MODE(flags, mode);                                         \
                if (!real)                                                      \
                        real = dlsym(RTLD_NEXT, #name);                         \
                fd = real(path, flags, mode);                                   \
                track(fd, flags);                                               \
                return fd;                                                      \
        }

#define DEFINE_OPENAT(name)                                                     \
        int name(int dirfd, const char *path, int flags, ...) {                 \
                static int (*real)(int, const char *, int, ...);                \
                mode_t mode = 0;                                                \
                int fd;                                                         \
                OPEN_MODE(flags, mode);                                         \
                if (!real)                                                      \
                        real = dlsym(RTLD_NEXT, #name);                         \
                fd = real(dirfd, path, flags, mode);                            \
                track(fd, flags);                                               \
                return fd;                                                      \
        }

DEFINE_OPEN(open)
DEFINE_OPEN(open64)
DEFINE_OPENAT(openat)
DEFINE_OPENAT(openat64)

/* What _FORTIFY_SOURCE turns open(path, flags) into when flags are not a constant. */
#define DEFINE_OPEN_2(name)                                                     \
        int name(const char *path, int flags) {                                 \
                static int (*real)(const char *, int);                          \
                int fd;                                                         \
                if (!real)                                                      \
                        real = dlsym(RTLD_NEXT, #name);                         \
                fd = real(path, flags);                                         \
                track(fd, flags);                                               \
                return fd;                                                      \
        }

DEFINE_OPEN_2(__open_2)
DEFINE_OPEN_2(__open64_2)

/* openat2(2), which glibc has no wrapper for: dpdk-boot calls it through syscall(2) to open every
 * path of a tree inside the tree (RESOLVE_IN_ROOT). Six arguments are passed on whatever the
 * number, as glibc's own syscall() does. */
long syscall(long number, ...) {
        static long (*real)(long, ...);
        long a[6], r;
        va_list ap;

        va_start(ap, number);
        for (size_t i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        if (!real)
                real = dlsym(RTLD_NEXT, "syscall");
        r = real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (number == SYS_openat2 && r >= 0)
                track((int) r, (int) ((const struct open_how *) a[2])->flags);
        return r;
}

/* The new fd names what the old one named (or nothing: a dup of an untracked fd untracks). */
static void track_dup(int oldfd, int newfd) {
        if (newfd < 0 || newfd >= MAX_FDS || newfd == oldfd)
                return;
        free(tracked[newfd]);
        tracked[newfd] = NULL;
        if (oldfd >= 0 && oldfd < MAX_FDS && tracked[oldfd])
                tracked[newfd] = strdup(tracked[oldfd]);
}

int dup(int oldfd) {
        static int (*real)(int);
        int fd;

        if (!real)
                real = dlsym(RTLD_NEXT, "dup");
        fd = real(oldfd);
        track_dup(oldfd, fd);
        return fd;
}

int dup2(int oldfd, int newfd) {
        static int (*real)(int, int);
        int fd;

        if (!real)
                real = dlsym(RTLD_NEXT, "dup2");
        fd = real(oldfd, newfd);
        track_dup(oldfd, fd);
        return fd;
}

int dup3(int oldfd, int newfd, int flags) {
        static int (*real)(int, int, int);
        int fd;

        if (!real)
                real = dlsym(RTLD_NEXT, "dup3");
        fd = real(oldfd, newfd, flags);
        track_dup(oldfd, fd);
        return fd;
}

/* fcntl() takes an int or a pointer as its third argument; both fit in a long here. */
#define DEFINE_FCNTL(name)                                                      \
        int name(int fd, int cmd, ...) {                                        \
                static int (*real)(int, int, ...);                              \
                va_list ap;                                                     \
                long arg;                                                       \
                int r;                                                          \
                va_start(ap, cmd);                                              \
                arg = va_arg(ap, long);                                         \
                va_end(ap);                                                     \
                if (!real)                                                      \
                        real = dlsym(RTLD_NEXT, #name);                         \
                r = real(fd, cmd, arg);                                         \
                if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)                   \
                        track_dup(fd, r);                                       \
                return r;                                                       \
        }

DEFINE_FCNTL(fcntl)
DEFINE_FCNTL(fcntl64)

ssize_t write(int fd, const void *buf, size_t len) {
        int r;

        fk_resolve();
        if (fd >= 0 && fd < MAX_FDS && tracked[fd] && kernel_write(tracked[fd], buf, len, &r)) {
                if (r < 0) {
                        errno = -r;
                        return -1;
                }
                return (ssize_t) len;
        }
        return real_write(fd, buf, len);
}

int close(int fd) {
        fk_resolve();
        if (fd >= 0 && fd < MAX_FDS) {
                free(tracked[fd]);
                tracked[fd] = NULL;
        }
        return real_close(fd);
}
