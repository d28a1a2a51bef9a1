/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "log.h"
#include "pcidev.h"
#include "rootdir.h"
#include "vf-netlink.h"
#include "vf-settings.h"
#include "wait-until.h"

/* How long the PF's netdev may take to appear after its driver probed it (sriov.c did). */
#define NETDEV_WAIT_MS 5000
#define NETDEV_POLL_MS 20

static int netdev_ifindex(const char *pf, char **ret_name, int *ret_ifindex) {
        _cleanup_(strv_free) Strv names = {};
        _cleanup_free_ char *p = NULL;
        int r;

        r = pcidev_net_interfaces(pf, &names);
        if (r < 0)
                return r;
        if (names.n == 0)
                return -ENODEV;
        if (asprintf(&p, "/sys/bus/pci/devices/%s/net/%s/ifindex", pf, names.v[0]) < 0)
                return -ENOMEM;
        r = root_read_int(p, ret_ifindex);
        if (r < 0)
                return r;
        *ret_name = strdup(names.v[0]);
        return *ret_name ? 0 : -ENOMEM;
}

typedef struct NetdevWait {
        const char *pf;
        char **ret_name;
        int *ret_ifindex;
        int r;                 /* netdev_ifindex()'s at the last look */
} NetdevWait;

/* The netdev is there, or something other than its absence went wrong: the wait is over. */
static bool netdev_appeared(void *userdata) {
        NetdevWait *w = userdata;

        w->r = netdev_ifindex(w->pf, w->ret_name, w->ret_ifindex);
        return w->r != -ENODEV;
}

/* The PF's netdev, once its driver has made it: within NETDEV_WAIT_MS (wait), or now. */
static int pf_netdev(const char *pf, bool wait, char **ret_name, int *ret_ifindex) {
        NetdevWait w = { .pf = pf, .ret_name = ret_name, .ret_ifindex = ret_ifindex };

        (void) wait_until(netdev_appeared, &w, wait ? NETDEV_WAIT_MS : 0, NETDEV_POLL_MS);
        return w.r;
}

/* Every setting of d, one request each; how many failed. */
static unsigned apply_device(VfNetlink *nl, const PlanDevice *d, const char *netdev, int ifindex) {
        unsigned failed = 0;
        char text[160];

        for (VfAttr a = 0; a < _VF_ATTR_MAX; a++) {
                int r;

                if (!vf_attr_set(&d->vf, a))
                        continue;
                r = vf_netlink_set(nl, ifindex, (unsigned) d->vf_index, a, &d->vf);
                if (r < 0) {
                        log_error_errno(r, "%s: %s (%s) did not apply %s to its virtual function %d: %m "
                                        "(%s:%u)", d->address, d->physfn, netdev, vf_attr_name(a), d->vf_index,
                                        d->loc.file ?: CONFIG_MAIN_FILE, d->loc.line);
                        failed++;
                }
        }
        vf_settings_text(&d->vf, text, sizeof(text));
        if (failed == 0)
                log_info("%s: virtual function %d of %s (%s): %s.", d->address, d->vf_index, d->physfn, netdev,
                         text);
        return failed;
}

/* missing: a PF whose netdev did not appear, waited for once. */
static int apply_one(VfNetlink **nl, const PlanDevice *d, char missing[static 13]) {
        _cleanup_free_ char *netdev = NULL;
        int ifindex, r;

        /* An ifindex read under --root names no netdev of the running kernel. */
        if (!root_is_host() && !secure_getenv("DPDK_BOOT_VF_NETLINK_RECORD"))
                return log_error_errno(EXDEV, "%s: not setting its virtual function settings: the PF is in the "
                                       "tree %s, not on the running kernel.", d->address, root_get());
        r = pf_netdev(d->physfn, !streq(missing, d->physfn), &netdev, &ifindex);
        if (r == -ENODEV)
                memcpy(missing, d->physfn, 13);
        if (r < 0)
                return log_error_errno(r, "%s: cannot set its virtual function settings: its PF %s has no "
                                       "network interface to ask (%s): %m", d->address, d->physfn,
                                       r == -ENODEV ? "none appeared" : "ifindex");
        if (!*nl) {
                r = vf_netlink_open(nl);
                if (r < 0)
                        return log_error_errno(r, "%s: cannot open an rtnetlink socket for its virtual function "
                                               "settings: %m", d->address);
        }
        return apply_device(*nl, d, netdev, ifindex) > 0 ? -EIO : 0;
}

unsigned vf_settings_apply_all(const Plan *p) {
        VfNetlink *nl = NULL;
        unsigned failed = 0;
        char missing[13] = "";

        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                if (d->refused || isempty(d->physfn) || d->vf_index < 0 || !vf_settings_any(&d->vf))
                        continue;
                if (apply_one(&nl, d, missing) < 0)
                        failed++;
        }
        vf_netlink_close(nl);
        return failed;
}
