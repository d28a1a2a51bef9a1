/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "hw.h"
#include "plan.h"
#include "rootdir.h"
#include "test-util.h"
#include "util.h"

/* Everything is written under a mkdtemp() tree that is the root prefix. */
static char root[] = "/tmp/test-hw.XXXXXX";

static const char *at_root(const char *rel) {
        static char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        return path;
}

static void mkdir_p(const char *rel) {
        char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s", at_root(rel));
        for (char *p = path + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        check(mkdir(path, 0755) == 0 || errno == EEXIST);
                        *p = '/';
                }
        check(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* content with its length: some hold a NUL */
static void put_n(const char *rel, const char *content, size_t n) {
        int fd = open(at_root(rel), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        check(fd >= 0);
        check(write(fd, content, n) == (ssize_t) n);
        check(close(fd) == 0);
}

static void put(const char *rel, const char *content) {
        put_n(rel, content, strlen(content));
}

static void link_to(const char *target, const char *rel) {
        check(symlink(target, at_root(rel)) == 0);
}

/* A PCI function as the kernel lays it out: its directory under sys/devices/pci0000:3a/, the
 * link in sys/bus/pci/devices. */
static void function(const char *address, const char *uevent) {
        char rel[256], target[256];

        (void) snprintf(rel, sizeof(rel), "/sys/devices/pci0000:3a/%s", address);
        mkdir_p(rel);
        (void) snprintf(target, sizeof(target), "../../../devices/pci0000:3a/%s", address);
        (void) snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s", address);
        link_to(target, rel);
        if (uevent) {
                (void) snprintf(rel, sizeof(rel), "/sys/devices/pci0000:3a/%s/uevent", address);
                put(rel, uevent);
        }
}

static void attr(const char *address, const char *name, const char *content) {
        char rel[256];

        (void) snprintf(rel, sizeof(rel), "/sys/devices/pci0000:3a/%s/%s", address, name);
        put(rel, content);
}

static void attr_link(const char *address, const char *name, const char *target) {
        char rel[256];

        (void) snprintf(rel, sizeof(rel), "/sys/devices/pci0000:3a/%s/%s", address, name);
        link_to(target, rel);
}

static void make_tree(void) {
        check(mkdtemp(root));
        root_set(root);
        mkdir_p("/sys/devices/system/cpu");
        put("/sys/devices/system/cpu/online", "0-7\n");
        put("/sys/devices/system/cpu/isolated", "2-3,6-7\n");
        mkdir_p("/sys/devices/system/node/node0");
        mkdir_p("/sys/devices/system/node/node1");
        put("/sys/devices/system/node/node0/cpulist", "0-3\n");
        put("/sys/devices/system/node/node1/cpulist", "4-7\n");
        put("/sys/devices/system/node/possible", "0-1\n");
        mkdir_p("/sys/kernel/mm/hugepages/hugepages-2048kB");
        mkdir_p("/sys/kernel/mm/hugepages/hugepages-1048576kB");
        mkdir_p("/sys/class/iommu/dmar0");
        mkdir_p("/sys/bus/pci/devices");

        /* as the kernel writes it */
        function("0000:3b:00.0", "DRIVER=ixgbe\nPCI_CLASS=20000\nPCI_ID=8086:10FB\nPCI_SUBSYS_ID=8086:000C\n"
                                 "PCI_SLOT_NAME=0000:3b:00.0\nMODALIAS=pci:v00008086d000010FBsv00008086sd0000000Cbc02sc00i00\n");
        attr_link("0000:3b:00.0", "iommu_group", "../../../kernel/iommu_groups/21");
        attr("0000:3b:00.0", "numa_node", "1\n");

        /* no uevent: the attributes one by one */
        function("0000:3b:10.0", NULL);
        attr("0000:3b:10.0", "vendor", "0x8086\n");
        attr("0000:3b:10.0", "device", "0x10ed\n");
        attr("0000:3b:10.0", "class", "0x020000\n");
        attr_link("0000:3b:10.0", "driver", "../../../bus/pci/drivers/ixgbevf");
        attr("0000:3b:10.0", "numa_node", " -1 \n");
        /* a 16-character name is no group, as when it was read into 16 bytes */
        attr_link("0000:3b:10.0", "iommu_group", "../../../kernel/iommu_groups/0000000000000022");

        /* unbound, ids with a 0x, a key twice, a 9-digit class, a number out of range */
        function("0000:af:00.0", "PCI_ID=0x8086:ABCD\nPCI_SUBSYS_ID=1234:5678\nDRIVER=a\nPCI_CLASS=123456789\n"
                                 "DRIVER=b\nPCI_SLOT_NAME=0000:af:00.0");
        attr("0000:af:00.0", "numa_node", "2147483648\n");
        attr_link("0000:af:00.0", "iommu_group", "../../../kernel/iommu_groups/-5");

        /* a NUL ends the file, a driver name longer than the field is cut */
        function("0000:af:00.1", NULL);
        static const char cut[] =
                "DRIVER=0123456789012345678901234567890123456789012345678901234\nPCI_CLASS=0x0c0330\n\0PCI_ID=1:2\n";
        put_n("/sys/devices/pci0000:3a/0000:af:00.1/uevent", cut, sizeof(cut) - 1);
        attr("0000:af:00.1", "numa_node", "\t0\r\n");
        attr_link("0000:af:00.1", "iommu_group", "../../../kernel/iommu_groups/abc");
}

static void remove_tree(void) {
        char cmd[PATH_MAX + 16];

        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

/* The config's exact rules, in the order given. */
static Config config_for(DeviceConfig *rules, const char *const *addresses, size_t n) {
        for (size_t i = 0; i < n; i++) {
                rules[i] = (DeviceConfig) {};
                memcpy(rules[i].address, addresses[i], 13);
        }
        return (Config) { .exists = true, .devices = rules, .n_devices = n };
}

static void test_read(void) {
        /* unsorted, with a duplicate and a device that is not there */
        static const char *const addresses[] = {
                "0000:af:00.1", "0000:3b:10.0", "0000:3b:00.0", "0000:af:00.0", "0000:3b:00.0", "0000:5e:00.0",
        };
        DeviceConfig rules[ELEMENTSOF(addresses)];
        Config c = config_for(rules, addresses, ELEMENTSOF(addresses));
        const HwDevice *d;
        Hardware hw;

        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        check(cpuset_count(&hw.online) == 8);
        check(cpuset_count(&hw.isolated) == 4 && cpuset_isset(&hw.isolated, 6));
        check(hw.n_nodes == 2 && hw.nodes[0].id == 0 && hw.nodes[1].id == 1);
        check(cpuset_isset(&hw.nodes[1].cpus, 4) && !cpuset_isset(&hw.nodes[1].cpus, 3));
        check(hw.n_page_sizes == 2 && hw_has_page_size(&hw, 2048) && hw_has_page_size(&hw, 1048576));
        check(hw.iommu_present);
        check(!hw.scanned);

        check(hw.n_devices == 5);
        for (size_t i = 1; i < hw.n_devices; i++)
                check(strcmp(hw.devices[i - 1].address, hw.devices[i].address) < 0);

        d = hw_find_device(&hw, "0000:3b:00.0");
        check(d && d->present && d->ids_known);
        check_streq(d->driver, "ixgbe");
        check(d->vendor == 0x8086 && d->device == 0x10fb && d->class_code == 0x020000);
        check(d->iommu_group == 21 && d->numa_node == 1);
        check(isempty(d->path)); /* no Path= rule: the device link is not read */
        check(isempty(d->driver_override) && isempty(d->ifname) && d->acpi_index == -1);

        d = hw_find_device(&hw, "0000:3b:10.0");
        check(d && d->present && d->ids_known);
        check_streq(d->driver, "ixgbevf");
        check(d->vendor == 0x8086 && d->device == 0x10ed && d->class_code == 0x020000);
        check(d->iommu_group == -1 && d->numa_node == -1);

        d = hw_find_device(&hw, "0000:af:00.0");
        check(d && d->present && d->ids_known);
        check_streq(d->driver, "b");
        check(d->vendor == 0x8086 && d->device == 0xabcd && d->class_code == 0);
        check(d->numa_node == -1 && d->iommu_group == -5);

        d = hw_find_device(&hw, "0000:af:00.1");
        check(d && d->present && d->ids_known);
        check_streq(d->driver, "01234567890123456789012345678901234567890123456");
        check(d->class_code == 0x0c0330 && d->vendor == 0 && d->device == 0);
        check(d->numa_node == 0 && d->iommu_group == -1);

        d = hw_find_device(&hw, "0000:5e:00.0");
        check(d && !d->present && !d->ids_known && d->numa_node == -1 && d->iommu_group == -1);
        hw_free(&hw);
}

/* A rule that matches by Path= needs every device's path, read from its link; a negated one
 * too: an unread path would match it. */
static void test_read_path(void) {
        DeviceConfig rules[2] = {};
        Config c = { .exists = true, .devices = rules, .n_devices = 2 };
        char *net[] = { (char *) "pci0000:3a/0000:3b:*" }, *not_af[] = { (char *) "pci0000:3a/0000:af:*" };
        char *usb[] = { (char *) "0c0330" };
        const HwDevice *d;
        Hardware hw;
        Switches sw;
        Plan p;

        rules[0].match[MATCH_PATH].patterns = (Strv) { net, 1 };
        rules[0].driver = (char *) "vfio-pci";
        rules[1].match[MATCH_PATH] = (Match) { .patterns = { not_af, 1 }, .negate = true };
        rules[1].match[MATCH_CLASS].patterns = (Strv) { usb, 1 };
        rules[1].driver = (char *) "vfio-pci";
        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        check(hw.scanned && hw.n_devices == 4);
        d = hw_find_device(&hw, "0000:3b:00.0");
        check(d && d->present && d->ids_known);
        check_streq(d->path, "pci0000:3a/0000:3b:00.0");
        d = hw_find_device(&hw, "0000:3b:10.0"); /* no uevent */
        check(d && d->present && d->ids_known && d->vendor == 0x8086);
        check_streq(d->path, "pci0000:3a/0000:3b:10.0");
        d = hw_find_device(&hw, "0000:af:00.1");
        check(d && d->present && d->class_code == 0x0c0330);
        check_streq(d->path, "pci0000:3a/0000:af:00.1");

        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.state == PLAN_ACTIVE && p.n_devices == 2);
        check_streq(p.devices[0].address, "0000:3b:00.0");
        check_streq(p.devices[1].address, "0000:3b:10.0");
        plan_free(&p);
        hw_free(&hw);
}

/* Whether a device is there, with or without its link read: a uevent read through the link says
 * so; without one the link decides, and the attributes give the ids. */
static void test_presence(void) {
        static const char *const addresses[] = {
                "0000:5f:00.0", "0000:5f:00.1", "0000:5f:00.2", "0000:5f:00.3", "0000:5f:00.4", "0000:5f:00.5",
        };
        DeviceConfig rules[ELEMENTSOF(addresses) + 1];
        Config c = config_for(rules, addresses, ELEMENTSOF(addresses));
        char *any[] = { (char *) "*" };
        const HwDevice *d;
        Hardware hw;

        /* a link whose device is gone */
        link_to("../../../devices/pci0000:3a/0000:5f:00.0", "/sys/bus/pci/devices/0000:5f:00.0");
        /* a uevent that cannot be read: the ids come from the attributes */
        function("0000:5f:00.1", NULL);
        mkdir_p("/sys/devices/pci0000:3a/0000:5f:00.1/uevent");
        attr("0000:5f:00.1", "vendor", "0x15b3\n");
        attr("0000:5f:00.1", "class", "0x020000\n");
        /* a link that is no directory */
        put("/sys/devices/pci0000:3a/0000:5f:00.2", "");
        link_to("../../../devices/pci0000:3a/0000:5f:00.2", "/sys/bus/pci/devices/0000:5f:00.2");
        /* an empty uevent: read, so the device is there and its ids are known (as zeros) */
        function("0000:5f:00.3", "");
        /* 0000:5f:00.4 is not there at all */
        /* a directory, not a link (no kernel makes one): there, by its uevent, with no path */
        mkdir_p("/sys/bus/pci/devices/0000:5f:00.5");
        put("/sys/bus/pci/devices/0000:5f:00.5/uevent", "PCI_ID=8086:10FB\n");

        /* the link read only when needed; for Path= rules (one that selects nothing); in full */
        for (int mode = 0; mode < 3; mode++) {
                bool with_path = mode > 0;

                rules[ELEMENTSOF(addresses)] = (DeviceConfig) {};
                rules[ELEMENTSOF(addresses)].match[MATCH_PATH] = (Match) { .patterns = { any, 1 }, .negate = true };
                c.n_devices = ELEMENTSOF(addresses) + (mode == 1);
                check(hw_read(&hw, &c, /* cmdline= */ NULL, mode == 2 ? HW_READ_FULL : 0) == 0);

                d = hw_find_device(&hw, "0000:5f:00.0");
                check(d && d->present && !d->ids_known && isempty(d->driver) && d->iommu_group == -1);
                check_streq(d->path, "pci0000:3a/0000:5f:00.0");
                d = hw_find_device(&hw, "0000:5f:00.1");
                check(d && d->present && d->ids_known && d->vendor == 0x15b3 && d->class_code == 0x020000);
                check_streq(d->path, "pci0000:3a/0000:5f:00.1");
                d = hw_find_device(&hw, "0000:5f:00.2");
                check(d && d->present && !d->ids_known);
                check_streq(d->path, "pci0000:3a/0000:5f:00.2");
                d = hw_find_device(&hw, "0000:5f:00.3");
                check(d && d->present && d->ids_known && d->vendor == 0 && d->class_code == 0);
                check_streq(d->path, with_path ? "pci0000:3a/0000:5f:00.3" : "");
                d = hw_find_device(&hw, "0000:5f:00.4");
                check(d && !d->present && !d->ids_known && isempty(d->path));
                d = hw_find_device(&hw, "0000:5f:00.5");
                check(d && d->present && d->ids_known && d->vendor == 0x8086 && d->device == 0x10fb);
                check(isempty(d->path));
                hw_free(&hw);
        }
}

/* The helper's full snapshot: driver_override and the names' attributes too, a device added
 * later. */
static void test_read_full_and_add(void) {
        static const char *const addresses[] = { "0000:3b:00.0" };
        DeviceConfig rules[1];
        Config c = config_for(rules, addresses, 1);
        const HwDevice *d;
        Hardware hw;

        attr("0000:3b:00.0", "driver_override", "vfio-pci\n");
        attr("0000:3b:00.0", "acpi_index", "3\n");
        attr("0000:3b:00.0", "index", "1\n");
        attr("0000:3b:00.0", "ari_enabled", "0\n");
        check(hw_read(&hw, &c, /* cmdline= */ NULL, HW_READ_FULL) == 0);
        d = hw_find_device(&hw, "0000:3b:00.0");
        check(d && d->acpi_index == 3 && d->smbios_index == 1 && d->ari == 0);
        check_streq(d->driver_override, "vfio-pci");
        check(!hw_find_device(&hw, "0000:3b:10.0"));

        check(hw_add_device(&hw, "0000:3b:10.0") == 0);
        check(hw_add_device(&hw, "0000:00:1f.7") == 0);
        check(hw_add_device(&hw, "0000:3b:10.0") == 0); /* known: nothing added */
        check(hw.n_devices == 3);
        d = hw_find_device(&hw, "0000:3b:10.0");
        check(d && d->present && d->vendor == 0x8086);
        d = hw_find_device(&hw, "0000:00:1f.7");
        check(d && !d->present);
        check(hw_find_device(&hw, "0000:3b:00.0") == &hw.devices[1]);
        hw_free(&hw);
}

/* Found exactly as strcmp() finds: case, length and trailing characters count. */
static void test_find_exact(void) {
        static const char *const addresses[] = { "0000:3b:00.0", "0000:af:00.1" };
        DeviceConfig rules[2];
        Config c = config_for(rules, addresses, 2);
        HwDevice by_hand[] = { { .address = "0000:3b:00.0" }, { .address = "0000:af:00.1" } };
        Hardware hw, plain = { .devices = by_hand, .n_devices = 2 };

        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        for (int i = 0; i < 2; i++) {
                const Hardware *h = i == 0 ? &hw : &plain; /* hashed, and made by hand */

                check(hw_find_device(h, "0000:af:00.1") == &h->devices[1]);
                check(!hw_find_device(h, "0000:AF:00.1"));
                check(!hw_find_device(h, "0000:af:00.10"));
                check(!hw_find_device(h, "0000:af:00."));
                check(!hw_find_device(h, "af:00.1"));
                check(!hw_find_device(h, ""));
        }
        hw_free(&hw);
}

/* Many devices, none of them there, in an order that is not sorted: each is found, once. */
static void test_many(void) {
        enum { N = 600 };
        static char names[N][13];
        static DeviceConfig rules[N];
        const char *addresses[N];
        Config c;
        Hardware hw;

        for (unsigned i = 0; i < N; i++) {
                unsigned k = (i * 7919) % N; /* a permutation: 7919 is prime to N */

                (void) snprintf(names[i], 13, "%04x:%02x:%02x.%u", k % 3, k / 3 % 256, k / 7 % 32, k % 8);
                addresses[i] = names[i];
        }
        c = config_for(rules, addresses, N);
        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        check(hw.n_devices > 1);
        for (size_t i = 1; i < hw.n_devices; i++)
                check(strcmp(hw.devices[i - 1].address, hw.devices[i].address) < 0);
        for (unsigned i = 0; i < N; i++) {
                const HwDevice *d = hw_find_device(&hw, names[i]);

                check(d && streq(d->address, names[i]) && !d->present);
        }
        hw_free(&hw);
}

/* SR-IOV: a PF's capability, a VF's PF and index, read only when the config uses SR-IOV; the
 * addresses of VFs that do not exist yet. 0000:3b:00.0 is an 82599 PF (First VF Offset 128, VF
 * Stride 2, as ixgbe's), 0000:3b:10.0 its first VF. */
static void test_sriov(void) {
        static const char *const addresses[] = { "0000:3b:00.0", "0000:3b:10.0" };
        DeviceConfig rules[2];
        Config c = config_for(rules, addresses, 2);
        HwDevice far = { .address = "0000:ff:1f.0", .sriov_totalvfs = 8, .sriov_offset = 0x100, .sriov_stride = 1 };
        const HwDevice *pf, *vf;
        Hardware hw;
        char a[13];

        attr("0000:3b:00.0", "sriov_totalvfs", "63\n");
        attr("0000:3b:00.0", "sriov_numvfs", "1\n");
        attr("0000:3b:00.0", "sriov_offset", "128\n");
        attr("0000:3b:00.0", "sriov_stride", "2\n");
        attr("0000:3b:00.0", "sriov_vf_device", "10ed\n");
        attr_link("0000:3b:10.0", "physfn", "../0000:3b:00.0");

        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        pf = hw_find_device(&hw, "0000:3b:00.0");
        check(pf && pf->sriov_totalvfs == -1 && isempty(pf->physfn)); /* not read: no rule asks */
        hw_free(&hw);

        rules[0].virtual_functions_set = true;
        rules[0].virtual_functions = 2;
        check(config_uses_sriov(&c));
        check(hw_read(&hw, &c, /* cmdline= */ NULL, 0) == 0);
        pf = hw_find_device(&hw, "0000:3b:00.0");
        vf = hw_find_device(&hw, "0000:3b:10.0");
        check(pf && pf->sriov_totalvfs == 63 && pf->sriov_numvfs == 1 && pf->sriov_offset == 128 &&
              pf->sriov_stride == 2 && pf->sriov_vf_device == 0x10ed && pf->vf_index == -1);
        check(vf && streq(vf->physfn, "0000:3b:00.0") && vf->vf_index == 0 && vf->sriov_totalvfs == -1);
        check(hw_vf_address(pf, 0, a) && streq(a, "0000:3b:10.0"));
        check(hw_vf_address(pf, 1, a) && streq(a, "0000:3b:10.2"));
        check(hw_vf_address(pf, 62, a) && streq(a, "0000:3b:1f.4"));
        check(!hw_vf_address(vf, 0, a));                       /* not a PF */
        check(hw_vf_address(&far, 0, a) == false);             /* beyond bus 255 */
        hw_free(&hw);
}

static void test_read_attr(void) {
        char buf[8];

        put("/big", "0123456789abcdef");
        check(root_read_attr("/big", buf, sizeof(buf)) == 7);
        check_streq(buf, "0123456");
        put("/empty", "");
        check(root_read_attr("/empty", buf, sizeof(buf)) == 0);
        check_streq(buf, "");
        check(root_read_attr("/missing", buf, sizeof(buf)) == -ENOENT);
        check(root_read_attr("/big", buf, 0) == -ENOBUFS);
}

int main(void) {
        make_tree();
        test_read();
        test_read_path();
        test_presence();
        test_read_full_and_add();
        test_find_exact();
        test_many();
        test_sriov();
        test_read_attr();
        remove_tree();
        return 0;
}
