/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"
#include "hw.h"
#include "rootdir.h"
#include "util.h"

#define PCI_DEVICES "/sys/bus/pci/devices"

enum {
        NEED_NUMA = 1 << 0,
        NEED_NET = 1 << 1,
        NEED_FULL = 1 << 2,
};

/* "<name>/<attr>" into rel[64] without printf: this runs a few times per device at every boot. */
static const char *sub(char rel[static 64], const char *name, const char *attr) {
        size_t a = strlen(name), b = strlen(attr);

        if (a + b + 2 > 64)
                return "";
        memcpy(rel, name, a);
        rel[a] = '/';
        memcpy(rel + a + 1, attr, b + 1);
        return rel;
}

static int read_cpuset(const char *path, CpuSet *ret) {
        char buf[1024];
        ssize_t n;

        n = root_read_buf(path, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        return cpuset_parse(strip(buf), ret);
}

static int node_cmp(const void *a, const void *b) {
        return ((const HwNode *) a)->id - ((const HwNode *) b)->id;
}

static int hw_read_nodes(Hardware *hw) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/devices/system/node");
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                char rel[64], buf[1024];
                HwNode *n;
                unsigned id;

                if (!startswith(de->d_name, "node") || safe_atou(de->d_name + 4, &id) < 0 ||
                    id >= DPDK_BOOT_MAX_NODES || hw->n_nodes >= DPDK_BOOT_MAX_NODES)
                        continue;
                n = realloc(hw->nodes, sizeof(HwNode) * (hw->n_nodes + 1));
                if (!n)
                        return -ENOMEM;
                hw->nodes = n;
                n[hw->n_nodes] = (HwNode) { .id = (int) id };
                /* relative to the directory: no path to build */
                if (read_at_buf(dirfd(d), sub(rel, de->d_name, "cpulist"), buf, sizeof(buf)) >= 0)
                        (void) cpuset_parse(strip(buf), &n[hw->n_nodes].cpus);
                hw->n_nodes++;
        }
        qsort_safe(hw->nodes, hw->n_nodes, sizeof(HwNode), node_cmp);
        return 0;
}

/* Each online CPU's thread siblings: one small file per CPU, so only when the config derives
 * CPUs from them. A CPU without the file counts as a core of its own. */
static int hw_read_topology(Hardware *hw) {
        int last = cpuset_last(&hw->online);

        if (last < 0)
                return 0;
        hw->siblings = calloc((size_t) last + 1, sizeof(CpuSet));
        if (!hw->siblings)
                return -ENOMEM;
        hw->n_siblings = (unsigned) last + 1;
        for (unsigned c = 0; c < hw->n_siblings; c++) {
                char path[80];

                if (!cpuset_isset(&hw->online, c))
                        continue;
                (void) snprintf(path, sizeof(path), /* 68 bytes at most */
                                "/sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", c);
                if (read_cpuset(path, &hw->siblings[c]) < 0 || !cpuset_isset(&hw->siblings[c], c)) {
                        hw->siblings[c] = (CpuSet) {};
                        cpuset_set(&hw->siblings[c], c);
                        hw->n_siblings_missing++;
                }
        }
        return 0;
}

static void hw_read_page_sizes(Hardware *hw) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/kernel/mm/hugepages");
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d)) && hw->n_page_sizes < ELEMENTSOF(hw->page_sizes_kb)) {
                char num[32];
                size_t len;

                if (!startswith(de->d_name, "hugepages-"))
                        continue;
                len = strlen(de->d_name + 10);
                if (len < 3 || len - 2 >= sizeof(num) || !streq(de->d_name + 10 + len - 2, "kB"))
                        continue;
                memcpy(num, de->d_name + 10, len - 2);
                num[len - 2] = 0;
                if (safe_atou64(num, &hw->page_sizes_kb[hw->n_page_sizes]) == 0)
                        hw->n_page_sizes++;
        }
}

static bool dir_has_entries(const char *path) {
        _cleanup_closedir_ DIR *d = root_opendir(path);
        struct dirent *de;

        if (!d)
                return false;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        return true;
        return false;
}

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        c = (char) (c | 0x20);
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digits at s (an optional 0x first), up to a non-hex character; false if there are none or
 * more than 8. */
static bool parse_hex32(const char *s, uint32_t *ret) {
        uint32_t v = 0;
        size_t i = 0;

        if (s[0] == '0' && (s[1] | 0x20) == 'x')
                s += 2;
        for (; hexval(s[i]) >= 0; i++) {
                if (i == 8)
                        return false;
                v = v << 4 | (uint32_t) hexval(s[i]);
        }
        if (i == 0)
                return false;
        *ret = v;
        return true;
}

static void copy_word(char *dst, size_t size, const char *src) {
        size_t n = strcspn(src, "\n");

        if (n >= size)
                n = size - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
}

/* <dev>/uevent has the driver, the ids and the class in one read:
 * DRIVER=ixgbe, PCI_CLASS=20000, PCI_ID=8086:10FB, ... */
static bool read_uevent(int dfd, const char *rel, HwDevice *d) {
        char buf[1024];
        uint32_t v;

        if (read_at_buf(dfd, rel, buf, sizeof(buf)) < 0)
                return false;
        for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                if (startswith(l, "DRIVER="))
                        copy_word(d->driver, sizeof(d->driver), l + 7);
                else if (startswith(l, "PCI_CLASS=") && parse_hex32(l + 10, &v))
                        d->class_code = v;
                else if (startswith(l, "PCI_ID=") && parse_hex32(l + 7, &v)) {
                        const char *c = strchr(l, ':');

                        d->vendor = v;
                        if (c && parse_hex32(c + 1, &v))
                                d->device = v;
                }
        }
        return true;
}


static void read_attr_hex(int dfd, const char *addr, const char *attr, uint32_t *ret) {
        char rel[64], buf[32];

        if (isempty(sub(rel, addr, attr)))
                return;
        if (read_at_buf(dfd, rel, buf, sizeof(buf)) > 0)
                (void) parse_hex32(buf, ret);
}

static void read_attr_int(int dfd, const char *addr, const char *attr, int *ret) {
        char rel[64], buf[32];

        if (read_at_buf(dfd, sub(rel, addr, attr), buf, sizeof(buf)) > 0)
                (void) safe_atoi(strip(buf), ret);
}

/* virtio-net: the interface hangs off the virtio device, <dev>/virtio<N>/net */
static DIR *opendir_virtio_net(int dfd, const char *address) {
        _cleanup_closedir_ DIR *dev = opendir_at(dfd, address);
        struct dirent *de;

        while (dev && (de = readdir(dev))) {
                char rel[64];
                DIR *n;

                if (startswith(de->d_name, "virtio") && (n = opendir_at(dirfd(dev), sub(rel, de->d_name, "net"))))
                        return n;
        }
        return NULL;
}

static void read_net(int dfd, HwDevice *d) {
        _cleanup_closedir_ DIR *n = NULL;
        struct dirent *de;
        char rel[64];

        n = opendir_at(dfd, sub(rel, d->address, "net")) ?: opendir_virtio_net(dfd, d->address);
        if (!n)
                return;
        while ((de = readdir(n)))
                if (de->d_name[0] != '.' && strlen(de->d_name) < sizeof(d->ifname) &&
                    (isempty(d->ifname) || strcmp(de->d_name, d->ifname) < 0))
                        memcpy(d->ifname, de->d_name, strlen(de->d_name) + 1);
        if (!isempty(d->ifname)) {
                char buf[64];

                if (read_at_buf(dirfd(n), sub(rel, d->ifname, "address"), buf, sizeof(buf)) > 0)
                        copy_word(d->mac, sizeof(d->mac), buf);
        }
}

static void hw_read_device_at(int dfd, const char *address, unsigned needs, HwDevice *d) {
        char rel[64], target[512], num[16];
        const char *p;
        ssize_t n;

        *d = (HwDevice) { .numa_node = -1, .iommu_group = -1, .acpi_index = -1 };
        memcpy(d->address, address, sizeof(d->address));
        n = readlinkat(dfd, address, target, sizeof(target) - 1);
        if (n < 0)
                return;
        target[n] = 0;
        d->present = true;
        p = strstr(target, "devices/");
        p = p ? p + 8 : target;
        if (strlen(p) < sizeof(d->path)) /* else too deep to match by Path= */
                memcpy(d->path, p, strlen(p) + 1);

        d->ids_known = read_uevent(dfd, sub(rel, address, "uevent"), d);
        if (!d->ids_known) {
                /* trees without uevent files: the attributes one by one */
                uint32_t v = 0;

                (void) readlinkat_basename(dfd, sub(rel, address, "driver"), d->driver, sizeof(d->driver));
                read_attr_hex(dfd, address, "vendor", &v);
                d->vendor = v;
                v = 0;
                read_attr_hex(dfd, address, "device", &v);
                d->device = v;
                read_attr_hex(dfd, address, "class", &d->class_code);
                d->ids_known = d->vendor != 0;
        }
        if (readlinkat_basename(dfd, sub(rel, address, "iommu_group"), num, sizeof(num)) > 0)
                (void) safe_atoi(num, &d->iommu_group);
        if (needs & (NEED_NUMA | NEED_FULL))
                read_attr_int(dfd, address, "numa_node", &d->numa_node);
        if (needs & (NEED_NET | NEED_FULL))
                read_net(dfd, d);
        if (needs & NEED_FULL) {
                char buf[HW_DRIVER_MAX + 2];

                if (read_at_buf(dfd, sub(rel, address, "driver_override"), buf, sizeof(buf)) > 0 &&
                    !streq(strip(buf), "(null)"))
                        copy_word(d->driver_override, sizeof(d->driver_override), buf);
                read_attr_int(dfd, address, "acpi_index", &d->acpi_index);
        }
}

static int addr_cmp(const void *a, const void *b) {
        return strcmp(a, b);
}

/* The addresses to look at, sorted and unique: every PCI device when a rule selects by pattern,
 * else only those the rules name. */
static int device_addresses(const Config *c, int dfd, char (**ret)[13], size_t *ret_n) {
        _cleanup_free_ char (*a)[13] = NULL;
        size_t n = 0, cap = c->n_devices + 1, out = 0;

        a = malloc(sizeof(*a) * cap);
        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_devices; i++)
                if (!isempty(c->devices[i].address))
                        memcpy(a[n++], c->devices[i].address, 13);
        if (config_needs_scan(c) && dfd >= 0) {
                _cleanup_closedir_ DIR *d = opendir_at(dfd, ".");
                struct dirent *de;

                while (d && (de = readdir(d))) {
                        char addr[13];

                        if (!pci_address_normalize(de->d_name, addr))
                                continue;
                        if (n == cap) {
                                char (*na)[13] = realloc(a, sizeof(*a) * (cap *= 2));

                                if (!na)
                                        return -ENOMEM;
                                a = na;
                        }
                        memcpy(a[n++], addr, 13);
                }
        }
        qsort_safe(a, n, sizeof(*a), addr_cmp);
        for (size_t i = 0; i < n; i++)
                if (out == 0 || !streq(a[out - 1], a[i]))
                        memmove(a[out++], a[i], 13);
        *ret = TAKE_PTR(a);
        *ret_n = out;
        return 0;
}

static unsigned device_needs(const Hardware *hw, const Config *c) {
        unsigned needs = 0;

        if (hw->n_nodes > 1 || config_uses_match(c, MATCH_NUMA))
                needs |= NEED_NUMA;
        if (config_uses_match(c, MATCH_INTERFACE) || config_uses_match(c, MATCH_MAC))
                needs |= NEED_NET;
        if (hw->flags & HW_READ_FULL)
                needs |= NEED_FULL;
        return needs;
}

static int hw_read_devices(Hardware *hw, const Config *c) {
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ char (*addrs)[13] = NULL;
        unsigned needs = device_needs(hw, c);
        size_t n = 0;
        int r;

        if (c->n_devices == 0)
                return 0;
        dfd = root_open(PCI_DEVICES, O_RDONLY | O_DIRECTORY, 0);
        hw->scanned = config_needs_scan(c) && dfd >= 0;
        r = device_addresses(c, dfd, &addrs, &n);
        if (r < 0 || n == 0)
                return r;
        hw->devices = malloc(sizeof(HwDevice) * n);
        if (!hw->devices)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                HwDevice *d = &hw->devices[hw->n_devices++];

                if (dfd >= 0)
                        hw_read_device_at(dfd, addrs[i], needs, d);
                else {
                        *d = (HwDevice) { .numa_node = -1, .iommu_group = -1, .acpi_index = -1 };
                        memcpy(d->address, addrs[i], 13);
                }
        }
        return 0;
}

/* ---- IOMMU groups (HW_READ_FULL) ---- */

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
        if (read_at_buf(gfd, "reserved_regions", buf, sizeof(buf)) > 0)
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
                HwGroupMember *n, *m;
                char rel[64];
                uint32_t cls = 0;

                if (de->d_name[0] == '.')
                        continue;
                n = realloc(g->members, sizeof(HwGroupMember) * (g->n_members + 1));
                if (!n)
                        return -ENOMEM;
                g->members = n;
                m = &g->members[g->n_members++];
                *m = (HwGroupMember) {};
                if (!pci_address_normalize(de->d_name, m->address) ||
                    snprintf(rel, sizeof(rel), "%s/driver", de->d_name) >= (int) sizeof(rel)) {
                        g->n_members--;
                        continue;
                }
                (void) readlinkat_basename(dirfd(d), rel, m->driver, sizeof(m->driver));
                read_attr_hex(dirfd(d), de->d_name, "class", &cls);
                m->class_code = cls;
        }
        return 0;
}

static int member_cmp(const void *a, const void *b) {
        return strcmp(((const HwGroupMember *) a)->address, ((const HwGroupMember *) b)->address);
}

static int hw_read_groups(Hardware *hw) {
        for (size_t i = 0; i < hw->n_devices; i++) {
                int id = hw->devices[i].iommu_group;
                HwGroup *n;
                int r;

                if (id < 0 || hw_find_group(hw, id))
                        continue;
                n = realloc(hw->groups, sizeof(HwGroup) * (hw->n_groups + 1));
                if (!n)
                        return -ENOMEM;
                hw->groups = n;
                r = read_group(id, &hw->groups[hw->n_groups]);
                hw->n_groups++;
                if (r < 0)
                        return r;
                qsort_safe(hw->groups[hw->n_groups - 1].members, hw->groups[hw->n_groups - 1].n_members,
                      sizeof(HwGroupMember), member_cmp);
        }
        return 0;
}

static int device_cmp(const void *a, const void *b) {
        return strcmp(((const HwDevice *) a)->address, ((const HwDevice *) b)->address);
}

/* The other members of the groups read: into the snapshot too, for BindGroup= and its gates. */
static int hw_add_group_members(Hardware *hw) {
        _cleanup_close_ int dfd = root_open(PCI_DEVICES, O_RDONLY | O_DIRECTORY, 0);
        size_t n0 = hw->n_devices;

        if (dfd < 0)
                return 0;
        for (size_t g = 0; g < hw->n_groups; g++)
                for (size_t m = 0; m < hw->groups[g].n_members; m++) {
                        const char *a = hw->groups[g].members[m].address;
                        bool known = false;
                        HwDevice *n;

                        for (size_t i = 0; i < hw->n_devices && !known; i++)
                                known = streq(hw->devices[i].address, a);
                        if (known)
                                continue;
                        n = realloc(hw->devices, sizeof(HwDevice) * (hw->n_devices + 1));
                        if (!n)
                                return -ENOMEM;
                        hw->devices = n;
                        hw_read_device_at(dfd, a, NEED_FULL, &hw->devices[hw->n_devices++]);
                }
        if (hw->n_devices != n0)
                qsort_safe(hw->devices, hw->n_devices, sizeof(HwDevice), device_cmp);
        return 0;
}

int hw_read(Hardware *hw, const Config *config, const char *cmdline, unsigned flags) {
        int r;

        *hw = (Hardware) { .flags = flags };
        (void) read_cpuset("/sys/devices/system/cpu/online", &hw->online);
        (void) read_cpuset("/sys/devices/system/cpu/isolated", &hw->isolated);
        r = hw_read_nodes(hw);
        if (r >= 0 && config_needs_topology(config))
                r = hw_read_topology(hw);
        if (r < 0)
                return r;
        hw_read_page_sizes(hw);
        hw->iommu_present = dir_has_entries("/sys/class/iommu");
        r = hw_read_devices(hw, config);
        if (r < 0)
                return r;
        if (!(flags & HW_READ_FULL))
                /* A pattern rule may match the management NIC: the static evidence (command line,
                 * network configuration) then, routes do not exist yet this early. */
                return hw->scanned ? mgmt_collect(&hw->mgmt, cmdline, /* live= */ false) : 0;
        r = hw_read_groups(hw);
        if (r >= 0)
                r = hw_add_group_members(hw);
        if (r < 0)
                return r;
        if (root_read_buf("/sys/class/dmi/id/sys_vendor", hw->sys_vendor, sizeof(hw->sys_vendor)) > 0)
                strip(hw->sys_vendor);
        if (root_read_buf("/sys/class/dmi/id/product_name", hw->product_name, sizeof(hw->product_name)) > 0)
                strip(hw->product_name);
        return mgmt_collect(&hw->mgmt, cmdline, /* live= */ true);
}

int hw_add_device(Hardware *hw, const char *address) {
        _cleanup_close_ int dfd = -EBADF;
        HwDevice *n;
        int r;

        if (hw_find_device(hw, address))
                return 0;
        dfd = root_open(PCI_DEVICES, O_RDONLY | O_DIRECTORY, 0);
        n = realloc(hw->devices, sizeof(HwDevice) * (hw->n_devices + 1));
        if (!n)
                return -ENOMEM;
        hw->devices = n;
        if (dfd >= 0)
                hw_read_device_at(dfd, address, NEED_FULL, &hw->devices[hw->n_devices]);
        else {
                hw->devices[hw->n_devices] = (HwDevice) { .numa_node = -1, .iommu_group = -1, .acpi_index = -1 };
                memcpy(hw->devices[hw->n_devices].address, address, 13);
        }
        hw->n_devices++;
        qsort_safe(hw->devices, hw->n_devices, sizeof(HwDevice), device_cmp);
        if (!(hw->flags & HW_READ_FULL))
                return 0;
        r = hw_read_groups(hw);
        return r < 0 ? r : hw_add_group_members(hw);
}

void hw_free(Hardware *hw) {
        for (size_t i = 0; i < hw->n_groups; i++)
                free(hw->groups[i].members);
        free(hw->groups);
        free(hw->devices);
        free(hw->nodes);
        free(hw->siblings);
        mgmt_free(&hw->mgmt);
        hw->devices = NULL;
        hw->groups = NULL;
        hw->nodes = NULL;
        hw->siblings = NULL;
        hw->n_devices = hw->n_groups = hw->n_nodes = hw->n_siblings = 0;
}

bool hw_has_page_size(const Hardware *hw, uint64_t kb) {
        for (unsigned i = 0; i < hw->n_page_sizes; i++)
                if (hw->page_sizes_kb[i] == kb)
                        return true;
        return false;
}

static int device_key_cmp(const void *key, const void *elem) {
        return strcmp(key, ((const HwDevice *) elem)->address);
}

const HwDevice *hw_find_device(const Hardware *hw, const char *address) {
        if (hw->n_devices == 0)
                return NULL;
        return bsearch(address, hw->devices, hw->n_devices, sizeof(HwDevice), device_key_cmp);
}

const HwGroup *hw_find_group(const Hardware *hw, int id) {
        for (size_t i = 0; i < hw->n_groups; i++)
                if (hw->groups[i].id == id)
                        return &hw->groups[i];
        return NULL;
}

const HwNode *hw_find_node(const Hardware *hw, int id) {
        for (size_t i = 0; i < hw->n_nodes; i++)
                if (hw->nodes[i].id == id)
                        return &hw->nodes[i];
        return NULL;
}

CpuTopology hw_topology(const Hardware *hw) {
        return (CpuTopology) { .siblings = hw->siblings, .n = hw->siblings ? hw->n_siblings : 0 };
}
