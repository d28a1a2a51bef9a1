/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "helper.h"
#include "log.h"
#include "pcidev.h"
#include "rootdir.h"
#include "util.h"

/*
 * grant: a datapath that does not run as root (User=, Group=, Mode= in [Datapath]) gets its
 * hugetlbfs mounts and the /dev/vfio/<group> node of each vfio-pci port. The datapath's unit
 * runs it as root right before the datapath (ExecStartPre=+), in the real root, where the names
 * resolve; udev recreates /dev/vfio/<group> when a device is bound again, so it is done at each
 * start, not once at boot.
 */

static int resolve_ids(const PlanDatapath *pd, uid_t *ret_uid, gid_t *ret_gid) {
        unsigned id;

        *ret_uid = (uid_t) -1;
        *ret_gid = (gid_t) -1;
        if (pd->user) {
                const struct passwd *pw;

                if (safe_atou(pd->user, &id) >= 0)
                        *ret_uid = (uid_t) id;
                else if ((pw = getpwnam(pd->user)))
                        *ret_uid = pw->pw_uid;
                else
                        return log_error_errno(ENOENT, "[Datapath] User=%s: no such user.", pd->user);
        }
        if (pd->group) {
                const struct group *gr;

                if (safe_atou(pd->group, &id) >= 0)
                        *ret_gid = (gid_t) id;
                else if ((gr = getgrnam(pd->group)))
                        *ret_gid = gr->gr_gid;
                else
                        return log_error_errno(ENOENT, "[Datapath] Group=%s: no such group.", pd->group);
        }
        return 0;
}

/* chown + chmod through one O_PATH descriptor that does not follow a symlink. */
static int grant_path(const char *path, const PlanDatapath *pd, uid_t uid, gid_t gid, mode_t mode) {
        _cleanup_close_ int fd = -EBADF;
        char proc[64];
        struct stat st;

        fd = root_open(path, O_PATH | O_NOFOLLOW, 0);
        if (fd < 0)
                return log_error_errno(fd, "%s: cannot open: %m", path);
        if (fstat(fd, &st) < 0)
                return log_error_errno(errno, "%s: cannot stat: %m", path);
        if (!S_ISDIR(st.st_mode) && !S_ISCHR(st.st_mode))
                return log_error_errno(EINVAL, "%s: neither a directory nor a device node, not touching it.", path);
        if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
                return log_error_errno(errno, "%s: cannot change the owner: %m", path);
        if (mode) {
                /* the same as the mount's mode= option the generator writes */
                mode = S_ISDIR(st.st_mode) ? mode_for_directory(mode) : (mode & 0666);
                (void) snprintf(proc, sizeof(proc), "/proc/self/fd/%i", fd);
                if (chmod(proc, mode) < 0)
                        return log_error_errno(errno, "%s: cannot change the mode: %m", path);
        }
        log_info("%s: user %s, group %s, mode %04o.", path, pd->user ?: "kept", pd->group ?: "kept",
                 (unsigned) (mode ?: (st.st_mode & 07777)));
        return 0;
}

int verb_grant(int argc, char **argv) {
        _cleanup_(helper_plan_done) HelperPlan hp = {};
        const PlanDatapath *pd;
        const Plan *p;
        uid_t uid;
        gid_t gid;
        int r, ret = 0;

        if (helper_plan_load(&hp) < 0)
                return EXIT_FAILURE;
        p = hp.plan;
        pd = &p->datapath;
        if (p->state != PLAN_ACTIVE || !p->do_datapath || !(pd->user || pd->group || pd->mode)) {
                log_info("Nothing to grant: the datapath runs as root with the default modes.");
                return EXIT_SUCCESS;
        }
        if (resolve_ids(pd, &uid, &gid) < 0)
                return EXIT_FAILURE;

        for (size_t i = 0; i < p->n_hugepages; i++)
                RET_GATHER(ret, grant_path(p->hugepages[i].mount_point, pd, uid, gid, pd->mode));
        for (size_t i = 0; p->do_bind && i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];
                char node[32];
                int group;

                if (!plan_device_is_port(d) || !driver_is_vfio(d->driver))
                        continue;
                r = pcidev_iommu_group(d->address, &group);
                if (r < 0 || group < 0) {
                        RET_GATHER(ret, log_error_errno(r < 0 ? r : ENODEV, "%s: no IOMMU group.", d->address));
                        continue;
                }
                (void) snprintf(node, sizeof(node), "/dev/vfio/%i", group);
                RET_GATHER(ret, grant_path(node, pd, uid, gid, pd->mode));
        }
        return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
