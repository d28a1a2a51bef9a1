/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "helper-cleanup.h"
#include "kmod-util.h"
#include "log.h"
#include "pcidev.h"
#include "rootdir.h"
#include "sriov.h"
#include "wait-until.h"

/* How long the virtfnN links may take to appear after the write (the kernel adds the VFs before
 * the write returns; this bounds a driver that configures them asynchronously). */
#define SRIOV_WAIT_MS 5000
#define SRIOV_POLL_MS 20

static int read_numvfs(const char *pf, int *ret) {
        _cleanup_free_ char *p = pcidev_path(pf, "sriov_numvfs");

        return p ? root_read_int(p, ret) : -ENOMEM;
}

static int write_attr(const char *pf, const char *attr, unsigned value) {
        _cleanup_free_ char *p = pcidev_path(pf, attr);
        char buf[16];

        if (!p)
                return -ENOMEM;
        (void) snprintf(buf, sizeof(buf), "%u", value);
        return root_write_string(p, buf);
}

/* The address behind the PF's virtfn<index> link; NULL (0) when there is none. */
static int virtfn_address(const char *pf, unsigned index, char **ret) {
        _cleanup_free_ char *p = NULL;
        int r;

        if (asprintf(&p, "/sys/bus/pci/devices/%s/virtfn%u", pf, index) < 0)
                return -ENOMEM;
        r = root_readlink_basename(p, ret);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        return r;
}

/* The PF on its kernel driver: sriov_numvfs is the driver's (the kernel says ENOENT without
 * one). The unit runs before udev's coldplug, so the driver module may not be loaded yet. */
static int pf_on_driver(const char *pf) {
        _cleanup_(kmod_unrefp) struct kmod_ctx *ctx = NULL;
        _cleanup_free_ char *driver = NULL, *modalias = NULL;
        int probe, r;

        r = pcidev_driver(pf, &driver);
        if (r < 0 || driver)
                return r < 0 ? log_error_errno(r, "%s: cannot read the driver link: %m", pf) : 0;
        if (pcidev_modalias(pf, &modalias) >= 0 && kmod_setup(&ctx) >= 0) {
                r = kmod_load(ctx, modalias, /* dry_run= */ !root_is_host());
                if (r < 0)
                        log_debug_errno(r, "%s: no module loaded for %s: %m", pf, modalias);
        }
        r = pcidev_probe_driver(pf, &probe, &driver);
        if (probe < 0)
                log_debug_errno(probe, "%s: drivers_probe failed: %m", pf);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the driver link: %m", pf);
        if (!driver)
                return log_error_errno(ENOENT, "%s: no kernel driver claims this PF, and only its driver can "
                                       "create virtual functions (sriov_numvfs).", pf);
        log_info("%s: probed by %s, for its virtual functions.", pf, driver);
        return 0;
}

/* Changing the count destroys every VF: refused while one is on a driver this plan does not put
 * it on (a VM's vfio-pci, a container's kernel VF), which is what "in use" can be told by. */
static int vfs_unused(const Plan *p, const PlanSriov *s, int current) {
        for (int i = 0; i < current; i++) {
                _cleanup_free_ char *vf = NULL, *driver = NULL;
                const PlanDevice *d;

                if (virtfn_address(s->pf, (unsigned) i, &vf) < 0 || !vf)
                        continue;
                if (pcidev_driver(vf, &driver) < 0 || !driver)
                        continue;
                d = plan_find_device(p, vf);
                if (d && !d->refused && driver_satisfies(driver, d->driver))
                        continue;
                return log_error_errno(EBUSY, "%s: not changing sriov_numvfs from %d to %u: its virtual function %s "
                                       "(virtfn%d) is in use by %s, %s, and the kernel destroys every virtual "
                                       "function when the count changes. Unbind it first, or set "
                                       "VirtualFunctions=%d (%s:%u).", s->pf, current, s->numvfs, vf, i, driver,
                                       d ? "which this boot's plan does not put it on" : "and no rule selects it",
                                       current, s->loc.file ?: CONFIG_MAIN_FILE, s->loc.line);
        }
        return 0;
}

typedef struct VfsWait {
        const PlanSriov *s;
        unsigned have;         /* the virtfnN links there at the last look */
} VfsWait;

static bool vfs_appeared(void *userdata) {
        VfsWait *w = userdata;

        for (w->have = 0; w->have < w->s->numvfs; w->have++) {
                _cleanup_free_ char *vf = NULL;

                if (virtfn_address(w->s->pf, w->have, &vf) < 0 || !vf)
                        break;
        }
        return w->have == w->s->numvfs;
}

/* Every virtfn0..N-1 link, within SRIOV_WAIT_MS. */
static int wait_vfs(const PlanSriov *s) {
        VfsWait w = { .s = s };

        if (wait_until(vfs_appeared, &w, SRIOV_WAIT_MS, SRIOV_POLL_MS) < 0)
                return log_error_errno(ETIMEDOUT, "%s: %u of %u virtual functions appeared (virtfnN) "
                                       "within %u ms of writing sriov_numvfs.", s->pf, w.have, s->numvfs,
                                       SRIOV_WAIT_MS);
        return 0;
}

/* sriov_numvfs, through 0 when VFs exist: the kernel refuses to change a nonzero count. */
static int write_numvfs(const PlanSriov *s, int current) {
        int r;

        if (current > 0) {
                r = write_attr(s->pf, "sriov_numvfs", 0);
                if (r < 0)
                        return log_error_errno(r, "%s: failed to remove its %d virtual functions (sriov_numvfs=0): %m",
                                               s->pf, current);
        }
        if (s->numvfs == 0)
                return 0;
        r = write_attr(s->pf, "sriov_numvfs", s->numvfs);
        if (r < 0)
                return log_error_errno(r, "%s: failed to create %u virtual functions (sriov_numvfs): %m", s->pf,
                                       s->numvfs);
        return 0;
}

int sriov_apply(const Plan *p, const PlanSriov *s) {
        int current = -1, r;

        if (s->skipped)
                return log_info("%s: the PF is taken off its kernel driver (Force=yes): no virtual functions.",
                                s->pf), 0;
        r = pf_on_driver(s->pf);
        if (r >= 0)
                r = read_numvfs(s->pf, &current);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read sriov_numvfs: %m", s->pf);
        if (current == (int) s->numvfs)
                return log_info("%s: already has %u virtual function%s.", s->pf, s->numvfs,
                                s->numvfs == 1 ? "" : "s"), 0;
        r = vfs_unused(p, s, current);
        if (r < 0)
                return r;
        /* Before the VFs exist: the kernel probes each VF as it adds it. */
        r = write_attr(s->pf, "sriov_drivers_autoprobe", s->autoprobe_off ? 0 : 1);
        if (r < 0)
                return log_error_errno(r, "%s: failed to write sriov_drivers_autoprobe: %m", s->pf);
        r = write_numvfs(s, current);
        if (r >= 0)
                r = wait_vfs(s);
        if (r < 0)
                return r;
        log_info("%s: %u virtual function%s (was %d)%s.", s->pf, s->numvfs, s->numvfs == 1 ? "" : "s", current,
                 s->autoprobe_off ? ", not probed by their kernel driver" : "");
        return 0;
}

unsigned sriov_apply_all(const Plan *p) {
        unsigned failed = 0;

        for (size_t i = 0; i < p->n_sriov; i++)
                if (sriov_apply(p, &p->sriov[i]) < 0)
                        failed++;
        return failed;
}
