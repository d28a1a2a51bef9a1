/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "bifurcated.h"
#include "checks.h"
#include "cleanup.h"
#include "hugepages.h"
#include "pcidev.h"
#include "render.h"

static int check_pool(const PlanHugepages *h, int node, unsigned asked, Strv *problems) {
        char size[16], where[32] = "";
        unsigned got;
        int r;

        if (asked == 0)
                return 0;
        (void) format_page_size(h->size_kb, size);
        if (node >= 0)
                (void) snprintf(where, sizeof(where), " on node %i", node);

        r = hugepages_read(h->size_kb, node, "nr_hugepages", &got);
        if (r < 0)
                return strv_pushf(problems, "%s pages%s: cannot read nr_hugepages (%s)%s",
                                  size, where, strerror(-r),
                                  node >= 0 ? "; does this NUMA node exist?" : "");
        if (got < asked)
                return strv_pushf(problems, "%s pages%s: %u reserved, %u configured; "
                                  "run 'systemctl restart " UNIT_HUGEPAGES "' and see its log",
                                  size, where, got, asked);
        return 0;
}

static int check_mount(const PlanHugepages *h, Strv *problems) {
        _cleanup_free_ char *unit = NULL;
        char size[16];
        int r;

        (void) format_page_size(h->size_kb, size);
        r = hugetlbfs_mounted(h->size_kb, h->mount_point);
        if (r > 0)
                return 0;
        if (r < 0)
                return strv_pushf(problems, "%s pages: cannot read /proc/mounts (%s)", size, strerror(-r));

        unit = unit_mount_name(h->mount_point);
        return strv_pushf(problems, "%s pages: no hugetlbfs mounted for this size (expected at %s); "
                          "run 'systemctl start %s'", size, h->mount_point, unit ?: h->mount_point);
}

static int check_one_size(const PlanHugepages *h, Strv *problems) {
        char size[16];
        int r = 0;

        if (!h->supported)
                return strv_pushf(problems, "%s pages are not supported by this CPU/kernel; "
                                  "remove the size from the configuration",
                                  format_page_size(h->size_kb, size));

        if (!h->per_node)
                r = check_pool(h, -1, h->count, problems);
        else
                for (int node = 0; node < DPDK_BOOT_MAX_NODES && r >= 0; node++)
                        r = check_pool(h, node, h->node_count[node], problems);
        if (r < 0)
                return r;
        return check_mount(h, problems);
}

int check_hugepages(const Plan *plan, Strv *problems) {
        int r;

        assert(plan);
        assert(problems);

        if (!plan->do_hugepages)
                return 0;
        for (size_t i = 0; i < plan->n_hugepages; i++) {
                r = check_one_size(&plan->hugepages[i], problems);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_vfio_group(const PlanDevice *d, Strv *problems) {
        int group, r;

        r = pcidev_iommu_group(d->address, &group);
        if (r < 0 || group < 0)
                return strv_pushf(problems, "%s: no IOMMU group; enable the IOMMU "
                                  "(intel_iommu=on or amd_iommu=on, and VT-d/AMD-Vi in the firmware)",
                                  d->address);
        if (vfio_group_exists(group) > 0)
                return 0;
        return strv_pushf(problems, "%s: /dev/vfio/%i is missing; is the vfio module loaded?",
                          d->address, group);
}

static int push_wrong_driver(const PlanDevice *d, const char *driver, Strv *problems) {
        return strv_pushf(problems, "%s: on %s, wanted %s; run 'dpdk-boot bind %s' or see "
                          "'journalctl -u %s -g %s'",
                          d->address, driver ?: "no driver",
                          d->stays_on ?: isempty(d->driver) ? "its kernel driver" : d->driver,
                          d->address, UNIT_BIND, d->address);
}

static int check_device(const PlanDevice *d, Strv *problems) {
        _cleanup_free_ char *driver = NULL;
        int r;

        if (pcidev_exists(d->address) <= 0)
                return strv_pushf(problems, "%s: no such PCI device; check the address in %s:%u",
                                  d->address, d->loc.file ?: "the configuration", d->loc.line);

        r = pcidev_driver(d->address, &driver);
        if (r < 0)
                return strv_pushf(problems, "%s: cannot read its driver (%s)", d->address, strerror(-r));
        if (d->stays_on && !(driver && streq(driver, d->stays_on)))
                return push_wrong_driver(d, driver, problems);
        if (!driver_satisfies(driver, d->driver))
                return push_wrong_driver(d, driver, problems);
        if (d->stays_on) {
                r = bifurcated_check_uverbs(d, problems);
                return r < 0 ? r : bifurcated_check_management(d, problems);
        }
        if (driver_is_vfio(d->driver))
                return check_vfio_group(d, problems);
        return 0;
}

int check_devices(const Plan *plan, Strv *problems) {
        int r;

        assert(plan);
        assert(problems);

        if (!plan->do_bind)
                return 0;
        for (size_t i = 0; i < plan->n_devices; i++) {
                /* a refused device is not bound: its refusal is in the plan's problems, or it
                 * was left out of a pattern rule with a warning */
                if (plan->devices[i].refused)
                        continue;
                r = check_device(&plan->devices[i], problems);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One node's (or, node -1, the whole system's) free pages against what the datapath takes. */
static int check_free(const PlanDatapath *pd, int node, unsigned need_mb, Strv *problems) {
        uint64_t page_mb = pd->hugepage_size_kb / 1024;
        unsigned free_pages, nr = 0, need;
        char size[16], where[32] = "";

        (void) format_page_size(pd->hugepage_size_kb, size);
        if (node >= 0)
                (void) snprintf(where, sizeof(where), "NUMA node %i: ", node);
        need = (unsigned) ((need_mb + page_mb - 1) / page_mb);
        if (hugepages_read(pd->hugepage_size_kb, node, "free_hugepages", &free_pages) < 0)
                free_pages = 0;     /* no such pool on this node: nothing free there */
        (void) hugepages_read(pd->hugepage_size_kb, node, "nr_hugepages", &nr);
        if (free_pages >= need)
                return 0;
        if (need_mb == 0)
                return strv_pushf(problems, "%sthe datapath needs %s pages and none is free (%u reserved); "
                                  "reserve %s pages in [Hugepages]", where, size, nr, size);
        return strv_pushf(problems, "%sthe datapath's socket memory (%s) is %u MB, %u %s page%s, but %u %s "
                          "free (%u reserved); reserve more %s pages there, or %s [Datapath] SocketMemory=",
                          where, pd->socket_mem_derived ? "derived" : "SocketMemory=", need_mb, need, size,
                          need == 1 ? "" : "s", free_pages, free_pages == 1 ? "is" : "are", nr, size,
                          pd->socket_mem_derived ? "set" : "lower");
}

int check_datapath_memory(const Plan *plan, Strv *problems) {
        const PlanDatapath *pd = &plan->datapath;
        int r = 0;

        assert(plan);
        assert(problems);

        if (!plan->do_datapath || pd->hugepage_size_kb < 1024)
                return 0;
        if (pd->n_socket_mem == 0)
                /* DPDK takes memory as it goes: at least one page must be there to start */
                return check_free(pd, -1, 0, problems);
        for (unsigned n = 0; r >= 0 && n < pd->n_socket_mem; n++)
                if (pd->socket_mem_mb[n] > 0)
                        r = check_free(pd, pd->n_socket_mem == 1 && n == 0 ? -1 : (int) n,
                                       pd->socket_mem_mb[n], problems);
        return r;
}
