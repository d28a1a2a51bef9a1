/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "pcidev.h"
#include "rootdir.h"
#include "vfio-wait.h"

/*
 * Waiting for /dev/vfio/<group>, bounded, instead of for all of udev (systemd-udev-settle is
 * deprecated, and waits for every device of the machine). An inotify watch on /dev/vfio (or on
 * /dev while /dev/vfio does not exist yet) is set up before each look at the nodes, so a node
 * created between the look and the poll() still wakes us.
 */

#define VFIO_WAIT_MAX_SEC 3600.0

int vfio_wait_timeout_ms(int *ret) {
        const char *s = getenv("DPDK_BOOT_VFIO_TIMEOUT_SEC");
        char *end;
        double sec;

        assert(ret);

        *ret = VFIO_WAIT_DEFAULT_SEC * 1000;
        if (!s || !*s)
                return 0;
        errno = 0;
        sec = strtod(s, &end);
        /* written so that NaN and infinities fail too */
        if (errno != 0 || *end || end == s || !(sec >= 0 && sec <= VFIO_WAIT_MAX_SEC))
                return -EINVAL;
        *ret = (int) (sec * 1000 + 0.5);
        return 0;
}

static long long now_ms(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Watch /dev/vfio; while it does not exist, /dev, for its creation. 1 when /dev/vfio is watched. */
static int watch_dir(int fd, int *wd_vfio) {
        _cleanup_free_ char *vfio = root_path("/dev/vfio"), *dev = root_path("/dev");

        if (!vfio || !dev)
                return -ENOMEM;
        if (*wd_vfio >= 0)
                return 1;
        *wd_vfio = inotify_add_watch(fd, vfio, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
        if (*wd_vfio >= 0)
                return 1;
        if (errno != ENOENT)
                return -errno;
        if (inotify_add_watch(fd, dev, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) < 0)
                return -errno;
        return 0;
}

/* Drop the groups whose node exists now; the number still missing. */
static size_t drop_present(int *groups, size_t n) {
        size_t k = 0;

        for (size_t i = 0; i < n; i++)
                if (vfio_group_exists(groups[i]) <= 0)
                        groups[k++] = groups[i];
        return k;
}

static void drain(int fd) {
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

        while (read(fd, buf, sizeof(buf)) > 0)
                ;
}

int vfio_wait_nodes(int *groups, size_t *n, int timeout_ms) {
        _cleanup_close_ int fd = -EBADF;
        long long deadline = now_ms() + timeout_ms;
        int wd_vfio = -1, r;

        assert(groups || *n == 0);

        if (*n == 0 || (*n = drop_present(groups, *n)) == 0)
                return 0;
        fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0)
                return -errno;
        for (;;) {
                long long left;

                r = watch_dir(fd, &wd_vfio);
                if (r < 0)
                        return r;
                /* Looked at after the watch is in place: nothing created in between is lost. */
                *n = drop_present(groups, *n);
                if (*n == 0)
                        return 0;
                left = deadline - now_ms();
                if (left <= 0)
                        return -ETIMEDOUT;
                r = poll(&(struct pollfd) { .fd = fd, .events = POLLIN }, 1, (int) left);
                if (r < 0 && errno != EINTR)
                        return -errno;
                drain(fd);
        }
}
