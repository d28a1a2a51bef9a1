/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcated.h"
#include "cleanup.h"
#include "log.h"
#include "mgmt.h"
#include "pcidev.h"
#include "rootdir.h"
#include "units.h"

/*
 * A bifurcated port (mlx4/mlx5) stays on its kernel driver; DPDK's PMD drives it through the
 * RDMA stack on top of that driver: the RDMA driver (mlx5_ib, mlx4_ib) gives the port an
 * InfiniBand device, and ib_uverbs its uverbs node, which the PMD opens
 * (<dev>/infiniband_verbs/uverbsN, /dev/infiniband/uverbsN). The bind step loads those modules;
 * verify checks the node.
 */

/* Whether a module is in the kernel: /sys/module/<name> (of the tree under --root). */
static bool module_present(const char *name) {
        _cleanup_free_ char *p = strjoin3("/sys/module/", name, "");

        return p && root_exists(p) > 0;
}

/* The modules of the port's PMD that are not in the kernel, "a, b"; "" when none is missing. */
static void missing_modules(const PlanDevice *d, char *buf, size_t size) {
        size_t n = 0;

        buf[0] = 0;
        for (const char *const *m = plan_bifurcated_modules(d->stays_on); m && *m && n < size; m++)
                if (!module_present(*m))
                        n += (size_t) snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *m);
}

static int load_module(const PlanDevice *d, struct kmod_ctx *ctx, const char *module) {
        int r;

        if (module_present(module)) {
                log_debug("%s: %s is loaded already.", d->address, module);
                return 0;
        }
        if (!ctx)
                return log_error_errno(ENOENT, "%s: cannot load %s, which the DPDK PMD of this port needs on "
                                       "top of %s: there is no module directory for this kernel.",
                                       d->address, module, d->stays_on);
        r = kmod_load(ctx, module, /* dry_run= */ !root_is_host());
        if (r == -ENOENT)
                return log_error_errno(r, "%s: cannot load %s, which the DPDK PMD of this port needs on top of "
                                       "%s: no kernel module provides it for this kernel; install it with the "
                                       "kernel's modules, or leave the port out (Exclude=yes).",
                                       d->address, module, d->stays_on);
        if (r == -EPERM)
                return log_error_errno(r, "%s: module %s is deny-listed (a modprobe.d blacklist line), so it is "
                                       "not loaded, and the DPDK PMD of this port needs it on top of %s; remove "
                                       "the blacklist entry.", d->address, module, d->stays_on);
        if (r < 0)
                return log_error_errno(r, "%s: failed to load module %s: %m", d->address, module);
        return 0;
}

int bifurcated_load_modules(const PlanDevice *d, struct kmod_ctx *ctx) {
        const char *const *modules;
        char list[128] = "";
        size_t n = 0;
        int ret = 0;

        assert(d);
        assert(d->stays_on);

        modules = plan_bifurcated_modules(d->stays_on);
        for (const char *const *m = modules; m && *m; m++) {
                (void) RET_GATHER(ret, load_module(d, ctx, *m));
                if (n < sizeof(list))
                        n += (size_t) snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", *m);
        }
        if (ret < 0)
                return ret;
        log_info("%s: stays on %s, a port of the datapath; %s %s for its DPDK PMD.", d->address, d->stays_on,
                 root_is_host() ? "loaded" : "would load (not into the running kernel under --root)", list);
        return 0;
}

/* The number of the first uverbsN below <dev>/infiniband_verbs, -ENOENT when there is none. */
static int uverbs_index(const char *bdf) {
        _cleanup_free_ char *p = pcidev_path(bdf, "infiniband_verbs");
        _cleanup_closedir_ DIR *dir = NULL;
        struct dirent *de;
        unsigned n;

        if (!p)
                return -ENOMEM;
        dir = root_opendir(p);
        if (!dir)
                return -errno;
        while ((de = readdir(dir)))
                if (strncmp(de->d_name, "uverbs", 6) == 0 && safe_atou(de->d_name + 6, &n) >= 0 &&
                    n < 1024 * 1024)
                        return (int) n;
        return -ENOENT;
}

int bifurcated_check_uverbs(const PlanDevice *d, Strv *problems) {
        char missing[128], node[64];
        int idx;

        assert(d);
        assert(problems);

        idx = uverbs_index(d->address);
        if (idx == -ENOMEM)
                return -ENOMEM;
        if (idx < 0) {
                missing_modules(d, missing, sizeof(missing));
                return strv_pushf(problems, "%s: no uverbs node (infiniband_verbs/uverbs* of the device), which "
                                  "the DPDK PMD of this port on %s opens; %s%s; see 'journalctl -u %s -g %s'",
                                  d->address, d->stays_on, isempty(missing) ? "its modules are loaded, but "
                                  "none made one for it" : "not loaded: ", missing, UNIT_BIND, d->address);
        }
        (void) snprintf(node, sizeof(node), "/dev/infiniband/uverbs%i", idx);
        if (root_exists(node) > 0)
                return 0;
        return strv_pushf(problems, "%s: %s is missing (its sysfs node infiniband_verbs/uverbs%i is there), and "
                          "the DPDK PMD of this port opens it; udev has not made it (rdma-core's rules)",
                          d->address, node, idx);
}

int bifurcated_check_management(const PlanDevice *d, Strv *problems) {
        _cleanup_(strv_free) Strv netifs = {};
        _cleanup_(mgmt_free) Mgmt live = {};

        assert(d);
        assert(problems);

        if (d->force || pcidev_net_interfaces(d->address, &netifs) < 0 || netifs.n == 0)
                return 0;
        if (mgmt_collect_live(&live) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < netifs.n; i++) {
                const MgmtItem *it = mgmt_find(&live, MGMT_NAME, netifs.v[i]);

                if (it)
                        return strv_pushf(problems, "%s: its interface %s carries the management path now (%s), "
                                          "and the DPDK PMD of this bifurcated port would take its traffic; the "
                                          "datapath does not start with it. Move the management path off it, or "
                                          "say Force=yes on its rule", d->address, netifs.v[i], it->source);
        }
        return 0;
}
