/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

#include "cleanup.h"
#include "hw.h"
#include "hw-internal.h"
#include "match.h"
#include "netname.h"
#include "rootdir.h"
#include "util.h"

#define PCI_DEVICES "/sys/bus/pci/devices"

enum {
        NEED_NUMA = 1 << 0,
        NEED_NET = 1 << 1,
        NEED_FULL = 1 << 2,
        NEED_PATH = 1 << 3,                    /* the sysfs path, for Path= rules */
        NEED_GROUP = 1 << 4,                   /* the IOMMU group link, read for every device
                                                * only without HW_READ_FULL */
        NEED_SRIOV = 1 << 5,                   /* the SR-IOV attributes (hw-sriov.c) */
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

        n = root_read_attr(path, buf, sizeof(buf));
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
                if (read_attr_at(dirfd(d), sub(rel, de->d_name, "cpulist"), buf, sizeof(buf)) >= 0)
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

/* The value of a line up to its newline nl (NULL: the value runs to the end), cut to size. */
static void copy_value(char *dst, size_t size, const char *value, const char *nl) {
        size_t n = nl ? (size_t) (nl - value) : strlen(value);

        if (n >= size)
                n = size - 1;
        memcpy(dst, value, n);
        dst[n] = 0;
}

/* Hex digits at s (an optional 0x first), up to a non-hex character: the character after them,
 * or NULL if there are none or more than 8. */
static const char *parse_hex32(const char *s, uint32_t *ret) {
        char digits[9];
        size_t n;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        n = strspn(s, "0123456789abcdefABCDEF");
        if (n == 0 || n >= sizeof(digits))
                return NULL;
        memcpy(digits, s, n);
        digits[n] = 0;
        *ret = (uint32_t) strtoul(digits, NULL, 16);
        return s + n;
}

/* A device not read yet: every field set, the strings as empty ones. Not a compound literal,
 * which zeroed the 400 bytes of the strings' room for every device at every boot; a field
 * added to HwDevice is set here. */
void hw_device_init(HwDevice *d, const char address[static 13]) {
        memcpy(d->address, address, sizeof(d->address));
        d->present = d->ids_known = false;
        d->driver[0] = d->driver_override[0] = d->path[0] = d->ifname[0] = d->mac[0] = 0;
        d->numa_node = d->iommu_group = d->acpi_index = d->smbios_index = d->ari = d->sriov_numvfs = -1;
        d->vendor = d->device = d->class_code = 0;
        d->sriov_totalvfs = d->vf_index = -1;
        d->sriov_offset = d->sriov_stride = d->sriov_vf_device = 0;
        d->physfn[0] = 0;
        d->vf_planned = false;
}

/* The value after prefix at the start of s, or NULL. */
static const char *after_prefix(const char *s, const char *prefix) {
        size_t n = strlen(prefix);

        return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* <dev>/uevent has the driver, the class and the ids in one read: DRIVER=ixgbe,
 * PCI_CLASS=20000, PCI_ID=8086:10FB, ... A key seen twice: the last one counts. buf is cut into
 * its lines. */
static void parse_uevent(char *buf, HwDevice *d) {
        char *nl;

        for (char *l = buf; l; l = nl) {
                const char *v;
                uint32_t vendor, device;

                nl = strchr(l, '\n');
                if (nl)
                        *nl++ = 0;
                if ((v = after_prefix(l, "DRIVER=")))
                        copy_value(d->driver, sizeof(d->driver), v, NULL);
                else if ((v = after_prefix(l, "PCI_CLASS=")))
                        (void) parse_hex32(v, &d->class_code);
                else if ((v = after_prefix(l, "PCI_ID=")) && (v = parse_hex32(v, &vendor)) && *v == ':' &&
                         parse_hex32(v + 1, &device)) {
                        d->vendor = vendor;
                        d->device = device;
                }
        }
}

static bool read_uevent(int devfd, HwDevice *d) {
        char buf[1024];
        ssize_t n;

        n = read_attr_at(devfd, "uevent", buf, sizeof(buf));
        if (n < 0)
                return false;
        parse_uevent(buf, d);
        return true;
}

static void read_attr_hex(int dfd, const char *rel, uint32_t *ret) {
        char buf[32];

        if (read_attr_at(dfd, rel, buf, sizeof(buf)) > 0)
                (void) parse_hex32(buf, ret);
}

static void read_attr_int(int dfd, const char *rel, int *ret) {
        char buf[32];

        if (read_attr_at(dfd, rel, buf, sizeof(buf)) > 0)
                (void) safe_atoi(strip(buf), ret);
}

/* Trees without uevent files: the attributes one by one. */
static void read_ids(int devfd, HwDevice *d) {
        uint32_t v = 0;

        (void) readlinkat_basename(devfd, "driver", d->driver, sizeof(d->driver));
        read_attr_hex(devfd, "vendor", &v);
        d->vendor = v;
        v = 0;
        read_attr_hex(devfd, "device", &v);
        d->device = v;
        read_attr_hex(devfd, "class", &d->class_code);
        d->ids_known = d->vendor != 0;
}

/* The group is the basename of the iommu_group link, ../../../kernel/iommu_groups/21. */
static void read_iommu_group(int dfd, const char *rel, int *ret) {
        char group[16];

        if (readlinkat_basename(dfd, rel, group, sizeof(group)) > 0)
                (void) safe_atoi(group, ret);
}

/* Below /sys/devices: the link's target after its first "devices/". */
static void set_path(HwDevice *d, const char *target, size_t n) {
        static const char kernel[] = "../../../devices/"; /* what the kernel's links all start with */
        const char *p;

        if (n >= sizeof(kernel) - 1 && memcmp(target, kernel, sizeof(kernel) - 1) == 0)
                p = target + sizeof(kernel) - 1; /* no search: "../../../" holds no "devices/" */
        else {
                p = strstr(target, "devices/");
                p = p ? p + 8 : target;
        }
        n -= (size_t) (p - target);
        if (n < sizeof(d->path)) /* else too deep to match by Path= */
                memcpy(d->path, p, n + 1);
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

static void read_net(int dfd, int devfd, HwDevice *d) {
        _cleanup_closedir_ DIR *n = NULL;
        struct dirent *de;
        char mac[18];

        n = opendir_at(devfd, "net") ?: opendir_virtio_net(dfd, d->address);
        if (!n)
                return;
        while ((de = readdir(n)))
                if (de->d_name[0] != '.' && strlen(de->d_name) < sizeof(d->ifname) &&
                    (isempty(d->ifname) || strcmp(de->d_name, d->ifname) < 0))
                        memcpy(d->ifname, de->d_name, strlen(de->d_name) + 1);
        /* the permanent MAC, which MAC selectors and evidence mean: a bond member has the bond's */
        if (!isempty(d->ifname) && netname_permanent_mac(dirfd(n), d->ifname, mac) == 0)
                copy_value(d->mac, sizeof(d->mac), mac, NULL);
}

static void read_override(int devfd, HwDevice *d) {
        char buf[HW_DRIVER_MAX + 2];

        if (read_attr_at(devfd, "driver_override", buf, sizeof(buf)) > 0 &&
            !streq(strip(buf), "(null)"))
                copy_value(d->driver_override, sizeof(d->driver_override), buf, strchr(buf, '\n'));
}

/* The device link, bus/pci/devices/<address>: whether it is there, and the path it leads to. */
static bool read_device_link(int dfd, const char *address, HwDevice *d) {
        char target[512];
        ssize_t n;

        n = readlink_at(dfd, address, target, sizeof(target));
        if (n < 0)
                return false;
        d->present = true;
        set_path(d, target, (size_t) n);
        return true;
}

/* What names the NIC before its driver probes (netname.h): the firmware's indexes, ARI, and the
 * path for a slot of its parent bridge. */
static void read_ident(int dfd, int devfd, HwDevice *d) {
        read_attr_int(devfd, "acpi_index", &d->acpi_index);
        read_attr_int(devfd, "index", &d->smbios_index);
        read_attr_int(devfd, "ari_enabled", &d->ari);
        if (isempty(d->path))
                (void) read_device_link(dfd, d->address, d);
}

/* The rest of the full snapshot, for a device a rule may take: its sysfs path, IOMMU group, NUMA
 * node, interfaces, driver_override and what names it before probe (read_ident()). */
static void read_details_at(int dfd, int devfd, HwDevice *d) {
        if (!d->present)
                return;
        if (isempty(d->path))
                (void) read_device_link(dfd, d->address, d);
        read_iommu_group(devfd, "iommu_group", &d->iommu_group);
        read_attr_int(devfd, "numa_node", &d->numa_node);
        if (isempty(d->ifname))
                read_net(dfd, devfd, d);
        read_override(devfd, d);
        read_ident(dfd, devfd, d);
        read_attr_int(devfd, "sriov_numvfs", &d->sriov_numvfs);
}

/* Per device: what the rules match on (the uevent: ids, class, driver; the attributes a key of
 * some rule uses), and with NEED_FULL the rest (read_details_at()). A device is there when its link,
 * or a uevent read through it, can be read; the link itself is read first only when its path is
 * needed. The attributes are read from the device's directory, opened once through its link. */
static void hw_read_device_at(int dfd, const char *address, unsigned needs, HwDevice *d) {
        _cleanup_close_ int devfd = -EBADF;

        hw_device_init(d, address);
        if (needs & NEED_PATH)
                (void) read_device_link(dfd, address, d);
        devfd = open_dir_at(dfd, address);
        d->ids_known = devfd >= 0 && read_uevent(devfd, d);
        if (d->ids_known)
                d->present = true;
        else {
                if (!d->present && ((needs & NEED_PATH) || !read_device_link(dfd, address, d)))
                        return;
                read_ids(devfd, d);
        }
        if (needs & NEED_GROUP)
                read_iommu_group(devfd, "iommu_group", &d->iommu_group);
        if (needs & NEED_NUMA)
                read_attr_int(devfd, "numa_node", &d->numa_node);
        if (needs & NEED_NET)
                read_net(dfd, devfd, d);
        if (needs & NEED_SRIOV)
                hw_read_sriov(devfd, d);
        if (needs & NEED_FULL)
                read_details_at(dfd, devfd, d);
}

/* The same for a device read before without NEED_FULL. */
static void read_details(int dfd, HwDevice *d) {
        _cleanup_close_ int devfd = open_dir_at(dfd, d->address);

        read_details_at(dfd, devfd, d);
}

/* ---- lookup by address ---- */

static int address_cmp(const void *a, const void *b) {
        return strcmp(a, b);
}

/* Sorted and unique, in place; *ret_n is the new count. */
static void addresses_sort_unique(char (*a)[13], size_t n, size_t *ret_n) {
        size_t out = 0;

        qsort_safe(a, n, sizeof(*a), address_cmp);
        for (size_t i = 0; i < n; i++)
                if (out == 0 || !streq(a[out - 1], a[i])) {
                        if (out != i)
                                memcpy(a[out], a[i], sizeof(*a));
                        out++;
                }
        *ret_n = out;
}

/* The addresses to look at, sorted and unique: every PCI device when a rule selects by pattern,
 * else only those the rules name. */
static int device_addresses(const Config *c, int dfd, bool scan, char (**ret)[13], size_t *ret_n) {
        _cleanup_free_ char (*a)[13] = NULL;
        size_t n = 0, cap = c->n_devices + 1;

        a = malloc(sizeof(*a) * cap);
        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_devices; i++)
                if (!isempty(c->devices[i].address))
                        memcpy(a[n++], c->devices[i].address, 13);
        if (scan) {
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
        addresses_sort_unique(a, n, ret_n);
        *ret = TAKE_PTR(a);
        return 0;
}

/* What config_uses_match() says of the keys that need reads, from one pass over the rules. */
static unsigned device_needs(const Hardware *hw, const Config *c) {
        size_t numa = 0, net = 0, path = 0;
        unsigned needs = 0;

        for (size_t i = 0; i < c->n_devices; i++) {
                const Match *m = c->devices[i].match;

                numa |= m[MATCH_NUMA].patterns.n;
                net |= m[MATCH_INTERFACE].patterns.n | m[MATCH_MAC].patterns.n;
                path |= m[MATCH_PATH].patterns.n;
        }
        /* Without the full snapshot, every device gets its node and group read; with it, only those
         * a rule may take (read_details()), unless a key matches on them. */
        if (numa > 0 || (hw->n_nodes > 1 && !(hw->flags & HW_READ_FULL)))
                needs |= NEED_NUMA;
        if (!(hw->flags & HW_READ_FULL))
                needs |= NEED_GROUP;
        if (net > 0)
                needs |= NEED_NET;
        if (path > 0)
                needs |= NEED_PATH;
        if (hw->flags & HW_READ_FULL)
                needs |= NEED_FULL;
        if (config_uses_sriov(c))
                needs |= NEED_SRIOV;
        return needs;
}

/* The addresses the config's rules take by Address= (sorted), for config_may_select(). */
static int taken_addresses(const Config *c, char (**ret)[13], size_t *ret_n) {
        char (*a)[13] = malloc(sizeof(*a) * (c->n_devices + 1));
        size_t n = 0;

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_devices; i++)
                if (!c->devices[i].exclude && !isempty(c->devices[i].address))
                        memcpy(a[n++], c->devices[i].address, 13);
        addresses_sort_unique(a, n, ret_n);
        *ret = a;
        return 0;
}

/* Whether a rule of the config may take the device: then the full snapshot reads all of it.
 * taken: the rules' Address= values, from taken_addresses(). */
static bool config_may_select(const Config *c, char (*taken)[13], size_t n_taken, const HwDevice *d) {
        if (bsearch(d->address, taken, n_taken, sizeof(*taken), address_cmp))
                return true;
        for (size_t i = 0; i < c->n_devices; i++)
                if (!c->devices[i].exclude && isempty(c->devices[i].address) &&
                    device_rule_matches(&c->devices[i], d))
                        return true;
        return false;
}

/*
 * Every device a rule names or (with a pattern rule) every PCI device: first what the rules
 * match on, then, for the full snapshot, the rest only of those a rule may take. A pattern rule
 * for two ports on a host of a thousand functions reads a uevent per function, not all of each.
 */
static int hw_read_devices(Hardware *hw, const Config *c) {
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ char (*addrs)[13] = NULL, (*taken)[13] = NULL;
        unsigned needs = device_needs(hw, c);
        size_t n = 0, n_taken = 0;
        int r;

        if (c->n_devices == 0)
                return 0;
        dfd = root_open(PCI_DEVICES, O_RDONLY | O_DIRECTORY, 0);
        hw->scanned = config_needs_scan(c) && dfd >= 0;
        r = device_addresses(c, dfd, hw->scanned, &addrs, &n);
        if (r >= 0 && n > 0)
                r = taken_addresses(c, &taken, &n_taken);
        if (r < 0 || n == 0)
                return r;
        hw->devices = calloc(n, sizeof(HwDevice));
        if (!hw->devices)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                HwDevice *d = &hw->devices[hw->n_devices++];

                if (dfd < 0) {
                        hw_device_init(d, addrs[i]);
                        continue;
                }
                hw_read_device_at(dfd, addrs[i], needs & ~NEED_FULL, d);
        }
        /* A VFIndex= rule matches on what only the PF tells: the details after all are read. */
        if (needs & NEED_SRIOV)
                hw_index_vfs(hw);
        for (size_t i = 0; dfd >= 0 && (needs & NEED_FULL) && i < hw->n_devices; i++)
                if (config_may_select(c, taken, n_taken, &hw->devices[i]))
                        read_details(dfd, &hw->devices[i]);
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
                        HwDevice *n;

                        if (hw_find_device(hw, a))
                                continue;
                        n = realloc(hw->devices, sizeof(HwDevice) * (hw->n_devices + 1));
                        if (!n)
                                return -ENOMEM;
                        hw->devices = n;
                        hw_read_device_at(dfd, a, NEED_FULL, &hw->devices[hw->n_devices++]);
                }
        if (hw->n_devices != n0) {
                qsort_safe(hw->devices, hw->n_devices, sizeof(HwDevice), device_cmp);
        }
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
        if (root_read_attr("/sys/class/dmi/id/sys_vendor", hw->sys_vendor, sizeof(hw->sys_vendor)) > 0)
                strip(hw->sys_vendor);
        if (root_read_attr("/sys/class/dmi/id/product_name", hw->product_name, sizeof(hw->product_name)) > 0)
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
        else
                hw_device_init(&hw->devices[hw->n_devices], address);
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

/* Devices are kept sorted by address. */
const HwDevice *hw_find_device(const Hardware *hw, const char *address) {
        if (hw->n_devices == 0)
                return NULL;
        return bsearch(address, hw->devices, hw->n_devices, sizeof(HwDevice), device_key_cmp);
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
