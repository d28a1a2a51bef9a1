/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"

static const char *log_ident = "dpdk-boot";
static int log_max_level = LOG_INFO;
static int log_kmsg_fd = -1;
static int log_prefix_level; /* stderr is the journal: "<N>" prefixes set the priority */

static int level_from_string(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err",
                                             "warning", "notice", "info", "debug" };

        for (int i = 0; i < 8; i++)
                if (strcasecmp(s, names[i]) == 0)
                        return i;
        if (s[0] >= '0' && s[0] <= '7' && s[1] == 0)
                return s[0] - '0';
        return -1;
}

void log_setup(const char *ident, int generator) {
        const char *e;

        log_ident = ident;
        e = secure_getenv("DPDK_BOOT_LOG_LEVEL");
        if (e && level_from_string(e) >= 0)
                log_max_level = level_from_string(e);

        /* systemd sets SYSTEMD_SCOPE for generators; there is no journal yet, only kmsg. The same
         * holds in an initramfs without systemd, whose hook asks for it (DPDK_BOOT_LOG_TARGET=kmsg):
         * what it logs then reaches the journal of the real root. Without /dev/kmsg: stderr. */
        e = getenv("DPDK_BOOT_LOG_TARGET");
        if ((generator && getenv("SYSTEMD_SCOPE")) || (e && strcmp(e, "kmsg") == 0)) {
                log_kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
                if (log_kmsg_fd >= 0)
                        return;
        }
        log_prefix_level = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

int log_internal(int level, int err, const char *file, int line, const char *fmt, ...) {
        char msg[2048];
        va_list ap;
        int saved = errno;

        if (err < 0)
                err = -err;
        if (level > log_max_level)
                return err ? -err : -EIO;

        errno = err; /* for %m */
        va_start(ap, fmt);
        (void) vsnprintf(msg, sizeof(msg), fmt, ap); /* a longer message is cut */
        va_end(ap);

        if (log_kmsg_fd >= 0) {
                /* One write() per record, as /dev/kmsg wants. Not dprintf(): glibc gives up on a
                 * file whose lseek() fails with EINVAL, as /dev/kmsg's does, and writes nothing. */
                char rec[sizeof(msg) + 64];
                int n = snprintf(rec, sizeof(rec), "<%d>%s[%d]: %s\n", level, log_ident, (int) getpid(), msg);

                if (n > 0)
                        (void) !write(log_kmsg_fd, rec, (size_t) n < sizeof(rec) ? (size_t) n : sizeof(rec) - 1);
        }
        else if (log_prefix_level)
                fprintf(stderr, "<%d>%s\n", level, msg);
        else
                fprintf(stderr, "%s\n", msg);

        if (level >= LOG_DEBUG && log_max_level >= LOG_DEBUG && file)
                (void) file, (void) line;
        errno = saved;
        return err ? -err : -EIO;
}
