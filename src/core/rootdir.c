/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootdir.h"
#include "util.h"

static char *root_prefix;
static bool root_initialized;

void root_set(const char *dir) {
        free(root_prefix);
        root_prefix = NULL;
        root_initialized = true;
        if (isempty(dir))
                return;
        root_prefix = strdup(dir);
        if (!root_prefix)
                abort();
        /* "/x/" and "/x" are the same prefix; "/" is the real root. */
        for (size_t n = strlen(root_prefix); n > 0 && root_prefix[n - 1] == '/'; n--)
                root_prefix[n - 1] = 0;
}

const char *root_get(void) {
        if (!root_initialized)
                root_set(secure_getenv("DPDK_BOOT_ROOT"));
        return root_prefix ?: "";
}

bool root_is_host(void) {
        return isempty(root_get());
}

char *root_path(const char *path) {
        if (!path || path[0] != '/') {
                errno = EINVAL;
                return NULL;
        }
        return strjoin3(root_get(), path, NULL);
}

int root_open(const char *path, int flags, mode_t mode) {
        _cleanup_free_ char *p = root_path(path);
        int fd;

        if (!p)
                return errno == EINVAL ? -EINVAL : -ENOMEM;
        fd = open(p, flags | O_CLOEXEC | O_NOCTTY, mode);
        return fd < 0 ? -errno : fd;
}

int root_read_file(const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;

        fd = root_open(path, O_RDONLY, 0);
        if (fd < 0)
                return fd;
        buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        while (len < max) {
                ssize_t n = read(fd, buf + len, max - len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = 0;
        if (ret_size)
                *ret_size = len;
        *ret = TAKE_PTR(buf);
        return 0;
}

int root_read_line(const char *path, char **ret) {
        char *buf;
        int r;

        r = root_read_file(path, 4096, &buf, NULL);
        if (r < 0)
                return r;
        buf[strcspn(buf, "\n")] = 0;
        *ret = buf;
        return 0;
}

int root_read_u64(const char *path, uint64_t *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = root_read_line(path, &s);
        if (r < 0)
                return r;
        return safe_atou64(strip(s), ret);
}

int root_read_int(const char *path, int *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = root_read_line(path, &s);
        if (r < 0)
                return r;
        return safe_atoi(strip(s), ret);
}

int root_readlink_basename(const char *path, char **ret) {
        _cleanup_free_ char *p = root_path(path);
        char target[PATH_MAX];
        const char *slash;
        ssize_t n;

        if (!p)
                return -ENOMEM;
        n = readlink(p, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = 0;
        slash = strrchr(target, '/');
        *ret = strdup(slash ? slash + 1 : target);
        return *ret ? 0 : -ENOMEM;
}

int root_exists(const char *path) {
        _cleanup_free_ char *p = root_path(path);

        if (!p)
                return -ENOMEM;
        if (access(p, F_OK) < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
        return 1;
}

DIR *root_opendir(const char *path) {
        _cleanup_free_ char *p = root_path(path);

        if (!p) {
                errno = ENOMEM;
                return NULL;
        }
        return opendir(p);
}

int root_write_string(const char *path, const char *s) {
        _cleanup_close_ int fd = -EBADF;
        size_t len = strlen(s);
        ssize_t n;

        fd = root_open(path, O_WRONLY, 0);
        if (fd < 0)
                return fd;
        n = write(fd, s, len);
        if (n < 0)
                return -errno;
        if ((size_t) n != len)
                return -EIO;
        return 0;
}

int write_file_atomic(const char *path, const char *content, mode_t mode) {
        _cleanup_free_ char *tmp = NULL, *dir = NULL;
        _cleanup_close_ int fd = -EBADF, dfd = -EBADF;
        size_t len = strlen(content), off = 0;
        char *slash;

        if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        while (off < len) {
                ssize_t n = write(fd, content + off, len - off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        goto fail;
                off += (size_t) n;
        }
        if (fchmod(fd, mode) < 0 || fsync(fd) < 0 || rename(tmp, path) < 0)
                goto fail;

        dir = strdup(path);
        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (slash)
                *(slash == dir ? slash + 1 : slash) = 0;
        dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0)
                (void) fsync(dfd);
        return 0;
fail: {
                int r = errno ? -errno : -EIO;

                (void) unlink(tmp);
                return r;
        }
}
