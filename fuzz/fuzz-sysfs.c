/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sysfs readers, the plan and the unit rendering, on a small sysfs tree generated from the
 * fuzzer's bytes under the scratch root: CPU and NUMA node lists, hugepage size directories and
 * their counts, the IOMMU class, and for each configured PCI function its presence, driver and
 * iommu_group links, driver_override, numa_node, ids, uevent (valid, changed or bytes) and net
 * interfaces; also /proc/mounts.
 * The config is one of a few fixed ones (the config parser has its own target), the command-line
 * switches and the initrd flag come from the bytes too. The plan is rendered into a fresh
 * directory and the units are checked; the helper's readers (hugepage counts, hugetlbfs mounts,
 * PCI attributes) run on the same tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "fuzz-common.h"
#include "hugepages.h"
#include "log.h"
#include "pcidev.h"
#include "plan.h"
#include "render.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each config is one parenthesised literal, concatenated from one line per section. */
static const char *const config_texts[] = {
        /* everything: two sizes, per node, CPU isolation, three drivers, testpmd */
        ("[Hugepages]\nSize=2M\nCount=512\n"
         "[Hugepages]\nSize=1G\nPerNode=0:2,1:2,3:1\n"
         "[CPU]\nIsolate=2-5\n"
         "[IOMMU]\nMode=on\n"
         "[Device]\nAddress=0000:00:04.0\n"
         "[Device]\nAddress=0000:00:05.0\nDriver=uio_pci_generic\n"
         "[Device]\nAddress=0000:3b:00.1\nDriver=\n"
         "[Datapath]\nPreset=testpmd\nCores=2-3\nHugepageSize=1G\nExtraArgs=--rxq=2 --txq=2\n"),
        /* custom datapath with a specifier to escape, housekeeping only */
        ("[Hugepages]\nSize=2M\nPerNode=0:4,63:1\n"
         "[CPU]\nHousekeeping=0-1\n"
         "[Device]\nAddress=0000:00:04.0\nDriver=vfio-pci\n"
         "[Device]\nAddress=ffff:ff:1f.7\nDriver=igb_uio\n"
         "[Datapath]\nPreset=custom\nCores=4-7\nExecStart=/usr/bin/app -l 4-7 --name %n\n"),
        /* no datapath */
        ("[Hugepages]\nSize=1G\nCount=4\n"
         "[IOMMU]\nMode=pt\n"
         "[Device]\nAddress=0000:00:05.0\nDriver=igb_uio\n"),
        /* testpmd with its main core given, no CPU section */
        ("[Device]\nAddress=0000:3b:00.1\n"
         "[Datapath]\nPreset=testpmd\nCores=4-6\nMainCore=7\nForwardMode=mac\nStatsPeriod=5\n"),
        /* invalid: nothing may be touched */
        ("[Device]\nAddress=0000:00:04.0\nDriver=e1000e\n"),
};
#define N_CONFIGS (sizeof(config_texts) / sizeof(config_texts[0]))

/* Every address any config names; the tree may hold any of them. */
static const char *const addresses[] = { "0000:00:04.0", "0000:00:05.0", "0000:3b:00.1", "ffff:ff:1f.7" };

static Config configs[N_CONFIGS + 1];  /* the last: no config file at all */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);
        fuzz_root_setup();
        fuzz_mkdir_p("/etc/dpdk-boot");
        for (size_t i = 0; i < N_CONFIGS; i++) {
                fuzz_write(CONFIG_MAIN_FILE, config_texts[i], strlen(config_texts[i]), 0644);
                if (config_load(&configs[i]) < 0 || config_ok(&configs[i]) != (i != N_CONFIGS - 1))
                        fuzz_fail("fixed config %zu: %s", i,
                                  configs[i].errors.n ? configs[i].errors.v[0] : "loads");
        }
        fuzz_undo();
        fuzz_mkdir_p("/sys");
        if (config_load(&configs[N_CONFIGS]) < 0 || configs[N_CONFIGS].exists)
                fuzz_fail("no config file, yet a config");
        /* The directories gen_tree() makes for every input: made once, they stay. */
        fuzz_mkdir_p("/sys/devices/system/cpu");
        fuzz_mkdir_p("/sys/devices/system/node");
        fuzz_mkdir_p("/sys/kernel/mm/hugepages");
        fuzz_mkdir_p("/proc");
        fuzz_keep();
        return 0;
}

/* A file whose content comes from the bytes (up to max of them, NULs included). */
static void attr(FuzzInput *in, const char *rel, size_t max) {
        char buf[256];
        size_t n = fi_bytes(in, buf, max < sizeof(buf) - 1 ? max : sizeof(buf) - 1);

        fuzz_write(rel, buf, n, 0644);
}

/* A name component from the bytes: no '/', no NUL, not "." or "..". */
static void name_part(FuzzInput *in, char *buf, size_t max) {
        size_t n = fi_bytes(in, buf, max);

        for (size_t i = 0; i < n; i++)
                if (buf[i] == '/' || buf[i] == 0)
                        buf[i] = '_';
        if (streq(buf, ".") || streq(buf, "..") || n == 0)
                strcpy(buf, "x");
}

static void gen_nodes(FuzzInput *in) {
        unsigned n = fi_byte(in) % 5;
        char rel[256], name[16];

        fuzz_mkdir_p("/sys/devices/system/node");
        for (unsigned i = 0; i < n; i++) {
                uint8_t kind = fi_byte(in);

                if (kind & 0x80) {
                        name_part(in, name, 6);     /* node<junk> */
                        snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%s", name);
                } else
                        snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%u", kind);
                fuzz_mkdir_p(rel);
                strcat(rel, "/cpulist");
                attr(in, rel, 40);
        }
}

static const uint64_t page_sizes[] = { 2048, 1048576, 64 };

static void gen_hugepage_counts(FuzzInput *in, const char *base, uint64_t kb) {
        static const char *const attrs[] = { "nr_hugepages", "free_hugepages", "surplus_hugepages" };
        char rel[512];

        snprintf(rel, sizeof(rel), "%s/hugepages-%llukB", base, (unsigned long long) kb);
        fuzz_mkdir_p(rel);
        for (size_t a = 0; a < 3; a++) {
                char file[600];

                snprintf(file, sizeof(file), "%s/%s", rel, attrs[a]);
                if (fi_bool(in))
                        attr(in, file, 24);
        }
}

static void gen_hugepages(FuzzInput *in) {
        uint8_t mask = fi_byte(in);
        char name[24], rel[128];

        fuzz_mkdir_p("/sys/kernel/mm/hugepages");
        for (size_t i = 0; i < 3; i++)
                if (mask & (1u << i))
                        gen_hugepage_counts(in, "/sys/kernel/mm/hugepages", page_sizes[i]);
        if (mask & 8) {
                name_part(in, name, 20);
                snprintf(rel, sizeof(rel), "/sys/kernel/mm/hugepages/hugepages-%s", name);
                fuzz_mkdir_p(rel);
        }
        /* per-node pools, for the helper's readers */
        for (unsigned node = 0; node < 2; node++)
                if (mask & (0x10u << node)) {
                        char base[64];

                        snprintf(base, sizeof(base), "/sys/devices/system/node/node%u/hugepages", node);
                        gen_hugepage_counts(in, base, page_sizes[fi_byte(in) % 3]);
                }
}

static void gen_link(FuzzInput *in, const char *prefix, const char *rel) {
        char target[64], full[128];

        /* The target's last component is what the readers take: any bytes but NUL. */
        fi_bytes(in, target, 40);
        for (char *p = target; *p; p++)
                if (*p == '\n')
                        *p = '_';
        snprintf(full, sizeof(full), "%s%s", prefix, target[0] ? target : "x");
        fuzz_symlink(full, rel);
}

/* Whether gen_device() made a device: its uevent comes last in the bytes (gen_uevents()). */
static bool made[sizeof(addresses) / sizeof(addresses[0])];

static bool gen_device(FuzzInput *in, const char *address) {
        uint8_t f = fi_byte(in);
        char dir[128], rel[192], name[24];

        if (!(f & 1))
                return false;
        snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", address);
        if (f & 2) {
                /* as on a real host: a relative link into /sys/devices (an absolute one would
                 * mean a path of the tree too, --root being a boundary) */
                snprintf(rel, sizeof(rel), "/sys/devices/pci0000:00/%s", address);
                fuzz_mkdir_p(rel);
                fuzz_mkdir_p("/sys/bus/pci/devices");
                snprintf(rel, sizeof(rel), "../../../devices/pci0000:00/%s", address);
                fuzz_symlink(rel, dir);
        } else
                fuzz_mkdir_p(dir);
#define DEV_ATTR(bit, file, max) \
        if (f & (bit)) { snprintf(rel, sizeof(rel), "%s/" file, dir); attr(in, rel, max); }
        DEV_ATTR(0x04, "driver_override", 24);
        DEV_ATTR(0x08, "numa_node", 12);
        DEV_ATTR(0x10, "vendor", 10);
        DEV_ATTR(0x10, "device", 10);
        DEV_ATTR(0x10, "class", 12);
        DEV_ATTR(0x10, "modalias", 64);
#undef DEV_ATTR
        if (f & 0x20) {
                snprintf(rel, sizeof(rel), "%s/driver", dir);
                gen_link(in, "../../../../bus/pci/drivers/", rel);
        }
        if (f & 0x40) {
                snprintf(rel, sizeof(rel), "%s/iommu_group", dir);
                gen_link(in, "../../../../kernel/iommu_groups/", rel);
        }
        if (f & 0x80) {
                name_part(in, name, 15);
                snprintf(rel, sizeof(rel), "%s/%snet/%s", dir, fi_bool(in) ? "virtio0/" : "", name);
                fuzz_mkdir_p(rel);
        }
        return true;
}

/* What a valid uevent said, to check the snapshot against. */
typedef struct UeventIds {
        bool valid;
        char driver[16];
        unsigned vendor, device;
        uint32_t class_code;
} UeventIds;

static UeventIds uevent_ids[sizeof(addresses) / sizeof(addresses[0])];

/* One uevent as the kernel writes it, from the bytes: DRIVER= (unless unbound), PCI_CLASS=,
 * PCI_ID=, then the lines the reader skips. */
static size_t valid_uevent(FuzzInput *in, const char *address, char *buf, size_t size, UeventIds *ids) {
        uint8_t b[7];
        int n;

        for (size_t i = 0; i < sizeof(b); i++)
                b[i] = fi_byte(in);
        ids->vendor = (unsigned) b[0] << 8 | b[1];
        ids->device = (unsigned) b[2] << 8 | b[3];
        ids->class_code = (uint32_t) b[4] << 16 | (uint32_t) b[5] << 8 | b[6];
        ids->driver[0] = 0;
        if (fi_bool(in)) {
                name_part(in, ids->driver, sizeof(ids->driver) - 1);
                for (char *p = ids->driver; *p; p++)
                        if (*p == '\n')
                                *p = '_';
        }
        n = snprintf(buf, size, "%s%s%sPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=8086:000C\n"
                     "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv00008086sd0000000Cbc%02Xsc%02Xi%02X\n",
                     ids->driver[0] ? "DRIVER=" : "", ids->driver, ids->driver[0] ? "\n" : "",
                     ids->class_code, ids->vendor, ids->device, address, ids->vendor, ids->device,
                     b[4], b[5], b[6]);
        return n < 0 ? 0 : (size_t) n < size ? (size_t) n : size - 1;
}

/* The uevent of each device made, after everything else in the bytes (so inputs made before
 * there were uevents read as before): none, a valid one, a valid one with bytes changed (NULs
 * and newlines too) or cut short, or bytes. */
static void gen_uevents(FuzzInput *in) {
        for (size_t i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
                uint8_t kind = made[i] ? fi_byte(in) : 0;
                char rel[128], buf[512];
                size_t n;

                uevent_ids[i] = (UeventIds) {};
                if (kind % 4 == 0)
                        continue;
                snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/uevent", addresses[i]);
                if (kind % 4 == 3) {
                        attr(in, rel, 255);
                        continue;
                }
                n = valid_uevent(in, addresses[i], buf, sizeof(buf), &uevent_ids[i]);
                if (kind % 4 == 1)
                        uevent_ids[i].valid = true;
                else {
                        /* up to 4 changed bytes, then a cut */
                        for (unsigned k = (kind >> 2) % 5; k > 0 && n > 0; k--) {
                                uint8_t at = fi_byte(in);

                                buf[at % n] = (char) fi_byte(in);
                        }
                        if (kind & 0x80)
                                n = n ? fi_byte(in) % n : 0;
                }
                fuzz_write(rel, buf, n, 0644);
        }
}

static void gen_tree(FuzzInput *in) {
        fuzz_mkdir_p("/sys/devices/system/cpu");
        attr(in, "/sys/devices/system/cpu/online", 40);
        attr(in, "/sys/devices/system/cpu/isolated", 40);
        gen_nodes(in);
        gen_hugepages(in);
        if (fi_bool(in))
                fuzz_mkdir_p("/sys/class/iommu/dmar0");
        for (size_t i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++)
                made[i] = gen_device(in, addresses[i]);
        fuzz_mkdir_p("/proc");
        attr(in, "/proc/mounts", 200);
        gen_uevents(in);
}

static void gen_switches(FuzzInput *in, Switches *sw) {
        _Static_assert(sizeof(Switches) == 7 * sizeof(int), "Switches is a row of ints");
        int *v = (int *) sw;

        for (size_t i = 0; i < sizeof(*sw) / sizeof(int); i++)
                v[i] = fi_byte(in) % 3 - 1;
}

/* What the helper reads at reserve/verify/bind time, on the same tree. */
static void run_helper_readers(const Plan *p) {
        for (size_t i = 0; i < p->n_hugepages; i++) {
                const PlanHugepages *h = &p->hugepages[i];
                unsigned v;

                (void) hugepages_supported(h->size_kb);
                for (int node = -1; node < 2; node++)
                        (void) hugepages_read(h->size_kb, node, "nr_hugepages", &v);
                (void) plan_hugepages_total(h);
                (void) hugetlbfs_mounted(h->size_kb, h->mount_point);
        }
        for (size_t i = 0; i < p->n_devices; i++) {
                const char *bdf = p->devices[i].address;
                _cleanup_(strv_free) Strv ifs = {};
                char *drv = NULL, *alias = NULL;
                int group;

                if (pcidev_driver(bdf, &drv) == 0)
                        (void) driver_satisfies(drv, p->devices[i].driver);
                (void) pcidev_iommu_group(bdf, &group);
                (void) pcidev_modalias(bdf, &alias);
                (void) pcidev_net_interfaces(bdf, &ifs);
                free(drv);
                free(alias);
        }
}

/* A device whose valid uevent was read has the ids and driver it said. */
static void check_uevents(const Hardware *hw) {
        for (size_t i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
                const UeventIds *u = &uevent_ids[i];
                const HwDevice *d = hw_find_device(hw, addresses[i]);

                if (!u->valid || !d)
                        continue;
                if (!d->present || !d->ids_known)
                        fuzz_fail("device %s: a valid uevent, yet %s", addresses[i],
                                  d->present ? "no ids" : "not present");
                if (d->vendor != u->vendor || d->device != u->device || d->class_code != u->class_code ||
                    !streq(d->driver, u->driver))
                        fuzz_fail("device %s: uevent %04x:%04x %06x \"%s\", read %04x:%04x %06x \"%s\"",
                                  addresses[i], u->vendor, u->device, (unsigned) u->class_code, u->driver,
                                  d->vendor, d->device, (unsigned) d->class_code, d->driver);
        }
}

static void check_plan(const Config *c, const Hardware *hw, const Plan *p) {
        if (p->state == PLAN_ACTIVE && (!c->exists || !config_ok(c)))
                fuzz_fail("an active plan from no config or an invalid one");
        if (p->state == PLAN_INVALID && (p->do_bind || p->do_hugepages || p->do_datapath))
                fuzz_fail("an invalid config plans work");
        for (size_t i = 0; i < p->n_devices; i++) {
                const HwDevice *h = hw_find_device(hw, p->devices[i].address);

                if (p->devices[i].present != (h && h->present))
                        fuzz_fail("device %s: plan and snapshot disagree", p->devices[i].address);
        }
        if (p->datapath.exec_start && string_has_cc(p->datapath.exec_start))
                fuzz_fail("the datapath command holds a control character");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzInput in = { data, size };
        uint8_t sel = fi_byte(&in);
        const Config *c = &configs[(sel & 0x7f) % (N_CONFIGS + 1)];
        bool full = sel & 0x80, initrd = fi_bool(&in);
        char out[4096];
        Hardware hw;
        Switches sw;
        Plan p;
        int r;

        gen_switches(&in, &sw);
        gen_tree(&in);

        /* The generator's snapshot, or the helper's full one (groups, interfaces, evidence). */
        if (hw_read(&hw, c, /* cmdline= */ NULL, full ? HW_READ_FULL : 0) < 0)
                fuzz_fail("hw_read failed");
        if (hw.n_nodes > DPDK_BOOT_MAX_NODES || hw.n_page_sizes > 8)
                fuzz_fail("hw snapshot out of bounds");
        check_uevents(&hw);
        r = plan_build(c, &sw, &hw, initrd, &p);
        if (r < 0)
                fuzz_fail("plan_build failed: %d", r);
        check_plan(c, &hw, &p);

        snprintf(out, sizeof(out), "%s", fuzz_path("/out"));
        if (mkdir(out, 0755) < 0)
                fuzz_fail("mkdir %s", out);
        r = render_units(&p, out);
        if (r < 0)
                fuzz_fail("render_units failed: %d", r);
        fuzz_check_units(out);
        run_helper_readers(&p);

        plan_free(&p);
        hw_free(&hw);
        fuzz_rm_rf(out);
        fuzz_undo();
        return 0;
}
