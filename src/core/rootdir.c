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
/* Everything opens relative to one directory fd of the prefix, so a read costs no path joining
 * and no allocation: the generator reads a few hundred sysfs files at every boot. */
static int root_dirfd = -EBADF;

void root_set(const char *dir) {
        if (root_dirfd >= 0)
                close(root_dirfd);
        root_dirfd = -EBADF;
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


/* The directory fd and path to hand to *at(): AT_FDCWD and the absolute path on the host, the
 * prefix's fd and a relative path under a prefix. */
static int root_at(const char *path, int *ret_dfd, const char **ret) {
        const char *r = root_get();

        /* Set first: should a failed open() leave errno 0, -errno below reads as success, and the
         * caller's *at() then gets -EBADF rather than an unset fd. */
        *ret_dfd = -EBADF;
        *ret = path;
        if (!path || path[0] != '/')
                return -EINVAL;
        if (isempty(r)) {
                *ret_dfd = AT_FDCWD;
                *ret = path;
                return 0;
        }
        if (root_dirfd < 0) {
                root_dirfd = open(r, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root_dirfd < 0)
                        return -errno;
        }
        *ret_dfd = root_dirfd;
        path += strspn(path, "/");
        *ret = *path ? path : ".";
        return 0;
}

int root_open(const char *path, int flags, mode_t mode) {
        const char *rel;
        int dfd, fd, r;

        r = root_at(path, &dfd, &rel);
        if (r < 0)
                return r;
        fd = openat(dfd, rel, flags | O_CLOEXEC | O_NOCTTY, mode);
        return fd < 0 ? -errno : fd;
}

/* The files read as config or evidence: opened with O_NONBLOCK, so that a FIFO (or a device)
 * under the name returns at once instead of blocking the boot, then anything but a regular file
 * is refused: -EISDIR for a directory, -EBADFD for the rest. A regular file ignores O_NONBLOCK,
 * so it stays set. */
int root_open_regular(const char *path, struct stat *ret_st) {
        _cleanup_close_ int fd = root_open(path, O_RDONLY | O_NONBLOCK, 0);
        struct stat st;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if (ret_st)
                *ret_st = st;
        return TAKE_FD(fd);
}

ssize_t read_fd_buf(int fd, char *buf, size_t size) {
        size_t len = 0;

        if (size == 0)
                return -ENOBUFS;
        while (len < size - 1) {
                ssize_t n = read(fd, buf + len, size - 1 - len);

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
        return (ssize_t) len;
}

/* A sysfs attribute comes whole from the first read(2): kernfs fills it at offset 0, a page at
 * most, as systemd's read_virtual_file() relies on. A regular file of a fixture tree does too when
 * it fits the buffer, which the callers' buffers are sized for. So one read, not a second one that
 * only reports the end: the generator reads two files per device at every boot. Not for /proc
 * files that stream records (seq_file returns a page per read): read_fd_buf() loops for those. */
static inline ssize_t read_attr_fd(int fd, char *buf, size_t size) {
        ssize_t n;

        if (size == 0)
                return -ENOBUFS;
        do
                n = read(fd, buf, size - 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return n;
}

ssize_t read_attr_at(int dfd, const char *name, char *buf, size_t size) {
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return read_attr_fd(fd, buf, size);
}

ssize_t root_read_attr(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = root_open(path, O_RDONLY, 0);

        if (fd < 0)
                return fd;
        return read_attr_fd(fd, buf, size);
}

ssize_t read_at_buf(int dfd, const char *name, char *buf, size_t size) {
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return read_fd_buf(fd, buf, size);
}

ssize_t root_read_buf(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = root_open(path, O_RDONLY, 0);

        if (fd < 0)
                return fd;
        return read_fd_buf(fd, buf, size);
}

int read_fd_whole(int fd, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t size, len = 0;

        /* Room for what fstat() says and one more byte, which a file that grew fills; /proc and
         * sysfs report 0 or a page whatever they hold, so a full buffer is doubled, up to max. */
        if (fstat(fd, &st) < 0)
                return -errno;
        size = st.st_size > 0 && (uint64_t) st.st_size < max ? (size_t) st.st_size + 2 : 4096;
        for (;;) {
                ssize_t n;
                char *p;

                if (size > max + 1)
                        size = max + 1;
                p = realloc(buf, size);
                if (!p)
                        return -ENOMEM;
                buf = p;
                n = read_fd_buf(fd, buf + len, size - len);
                if (n < 0)
                        return (int) n;
                len += (size_t) n;
                if (len < size - 1 || len >= max)
                        break;
                size *= 2;
        }
        if (ret_size)
                *ret_size = len;
        *ret = TAKE_PTR(buf);
        return 0;
}

int root_read_file(const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = root_open_regular(path, NULL);

        if (fd < 0)
                return fd;
        return read_fd_whole(fd, max, ret, ret_size);
}

int root_read_line(const char *path, char **ret) {
        _cleanup_close_ int fd = root_open_regular(path, NULL);
        char buf[4096];
        ssize_t n;

        if (fd < 0)
                return fd;
        n = read_fd_buf(fd, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        buf[strcspn(buf, "\n")] = 0;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int root_read_u64(const char *path, uint64_t *ret) {
        char buf[64];
        ssize_t n;

        n = root_read_buf(path, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        return safe_atou64(strip(buf), ret);
}

int root_read_int(const char *path, int *ret) {
        char buf[64];
        ssize_t n;

        n = root_read_buf(path, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        return safe_atoi(strip(buf), ret);
}

ssize_t readlinkat_basename(int dfd, const char *name, char *buf, size_t size) {
        char target[PATH_MAX];
        const char *base;
        ssize_t n;
        size_t len;

        n = readlinkat(dfd, name, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = 0;
        base = strrchr(target, '/');
        base = base ? base + 1 : target;
        len = strlen(base);
        if (len >= size)
                return -ENAMETOOLONG;
        memcpy(buf, base, len + 1);
        return (ssize_t) len;
}

int root_readlink_basename(const char *path, char **ret) {
        const char *rel;
        char buf[NAME_MAX + 1];
        ssize_t n;
        int dfd, r;

        r = root_at(path, &dfd, &rel);
        if (r < 0)
                return r;
        n = readlinkat_basename(dfd, rel, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int root_exists(const char *path) {
        const char *rel;
        int dfd, r;

        r = root_at(path, &dfd, &rel);
        if (r < 0)
                return r == -EINVAL ? r : 0;
        if (faccessat(dfd, rel, F_OK, 0) < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
        return 1;
}

/* Whether the directory full (a path of the host) resolves to root_real or below it. */
static int resolves_inside(const char *full, const char *root_real) {
        _cleanup_free_ char *real = realpath(full, NULL);
        size_t n = strlen(root_real);

        if (!real) /* a symlink to nothing: no directory to write in */
                return errno == ENOENT ? -ENOTDIR : -errno;
        if (!strneq(real, root_real, n) || (real[n] != 0 && real[n] != '/' && !streq(root_real, "/")))
                return -EXDEV;
        return 0;
}

int root_check_inside(const char *path) {
        _cleanup_free_ char *full = root_path(path), *root_real = NULL;
        struct stat st;

        if (!full)
                return -ENOMEM;
        if (!root_is_host() && !(root_real = realpath(root_get(), NULL)))
                return -errno;
        /* each directory above path in turn, from the prefix down, up to the first missing one
         * (those below it are made as plain directories) */
        for (char *s = strchr(full + strlen(root_get()) + 1, '/'); s; s = strchr(s + 1, '/')) {
                int r;

                *s = 0;
                r = lstat(full, &st) < 0 ? -errno : 0;
                if (r == 0 && S_ISLNK(st.st_mode) && root_real)
                        r = resolves_inside(full, root_real);
                if (r == 0 && stat(full, &st) == 0 && !S_ISDIR(st.st_mode))
                        r = -ENOTDIR;
                *s = '/';
                if (r == -ENOENT)
                        return 0;
                if (r < 0)
                        return r;
        }
        if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode))
                return -ELOOP;
        return 0;
}

/* fdopendir() that closes the fd when it fails; errno from the failure. */
static DIR *fd_opendir(int fd) {
        DIR *d;

        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        d = fdopendir(fd);
        if (!d) {
                int saved = errno;

                close(fd);
                errno = saved;
        }
        return d;
}

DIR *root_opendir(const char *path) {
        return fd_opendir(root_open(path, O_RDONLY | O_DIRECTORY, 0));
}

DIR *opendir_at(int dfd, const char *name) {
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        return fd_opendir(fd < 0 ? -errno : fd);
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

/* A temporary file of ours for NAME: ".#NAME.dpdk-boot-" and six characters mkostemp() picked,
 * hidden, and with a suffix no boot loader reads (not ".conf", ".cfg", ".toml"). Nothing else in
 * the directory matches: a user's "NAME.backup" or "NAME.orig01" is not ours. */
#define TMP_PREFIX ".#"
#define TMP_INFIX ".dpdk-boot-"

static bool is_our_temporary(const char *entry, const char *name) {
        size_t p = strlen(TMP_PREFIX), n = strlen(name), i = strlen(TMP_INFIX);
        const char *s = entry + p + n + i;

        if (strlen(entry) != p + n + i + 6 || !strneq(entry, TMP_PREFIX, p) || !strneq(entry + p, name, n) ||
            !strneq(entry + p + n, TMP_INFIX, i))
                return false;
        return
               strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

/* The temporary files of writes that were killed before their rename: never read by anyone,
 * removed once a write of NAME succeeded. */
static void remove_stale_temporaries(int dfd, const char *name) {
        struct dirent *de;
        DIR *d;
        int fd;

        fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return;
        }
        while ((de = readdir(d)))
                if (is_our_temporary(de->d_name, name) && (de->d_type == DT_REG || de->d_type == DT_UNKNOWN))
                        (void) unlinkat(dfd, de->d_name, 0);
        closedir(d);
}

/* fsync() the directory of path, and remove what killed writes of its file left there. */
static void sync_directory_of(const char *path) {
        const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dfd = -EBADF;

        /* "/x" is in "/", "x" in ".", "a/x" in "a" */
        dir = !slash ? strdup(".") : slash == path ? strdup("/") : strndup(path, (size_t) (slash - path));
        if (!dir)
                return;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return;
        (void) fsync(dfd);
        remove_stale_temporaries(dfd, name);
}

/* "dir/.#name.dpdk-boot-XXXXXX" for "dir/name". */
static char *temporary_name(const char *path) {
        const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
        char *tmp = NULL;

        if (asprintf(&tmp, "%.*s" TMP_PREFIX "%s" TMP_INFIX "XXXXXX", (int) (name - path), path, name) < 0)
                return NULL;
        return tmp;
}

int write_file_atomic_full(const char *path, const struct stat *like, mode_t mode,
                           int (*writer)(FILE *f, void *userdata), void *userdata) {
        _cleanup_free_ char *tmp = temporary_name(path);
        _cleanup_fclose_ FILE *f = NULL;
        int fd, r;

        if (!tmp)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        f = fdopen(fd, "w");
        if (!f) {
                r = -errno;
                (void) close(fd);
                (void) unlink(tmp);
                return r;
        }
        errno = 0;
        r = writer(f, userdata);
        /* a full disk shows at the flush: its errno (ENOSPC) is what the caller reports */
        if (r >= 0 && (fflush(f) != 0 || ferror(f)))
                r = errno > 0 ? -errno : -EIO;
        /* a file replaced keeps its mode and owners: a 0600 entry stays 0600 */
        if (r >= 0 && like && fchown(fd, like->st_uid, like->st_gid) < 0 && errno != EPERM)
                r = -errno;
        if (r >= 0 && (fchmod(fd, like ? like->st_mode & 07777 : mode) < 0 || fsync(fd) < 0 ||
                       rename(tmp, path) < 0))
                r = -errno;
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        sync_directory_of(path);
        return 0;
}

int write_file_atomic_with(const char *path, mode_t mode, int (*writer)(FILE *f, void *userdata),
                           void *userdata) {
        return write_file_atomic_full(path, NULL, mode, writer, userdata);
}

static int write_string(FILE *f, void *userdata) {
        if (fputs(userdata, f) >= 0)
                return 0;
        return errno > 0 ? -errno : -EIO;
}

int write_file_atomic(const char *path, const char *content, mode_t mode) {
        return write_file_atomic_with(path, mode, write_string, (void *) content);
}

int write_file_atomic_like(const char *path, const char *content, const struct stat *like, mode_t mode) {
        return write_file_atomic_full(path, like, mode, write_string, (void *) content);
}

FILE *root_fopen(const char *path) {
        int fd = root_open_regular(path, NULL);
        FILE *f;

        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        f = fdopen(fd, "re");
        if (!f) {
                int saved = errno;

                (void) close(fd);
                errno = saved;
        }
        return f;
}

int root_mkdir_parents(const char *path) {
        _cleanup_free_ char *p = root_path(path);

        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p + strlen(root_get()) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        return 0;
}

int root_write_file_atomic_with(const char *path, mode_t mode, int (*writer)(FILE *f, void *userdata),
                                void *userdata) {
        _cleanup_free_ char *p = NULL;
        int r;

        r = root_mkdir_parents(path);
        if (r < 0)
                return r;
        p = root_path(path);
        if (!p)
                return -ENOMEM;
        return write_file_atomic_with(p, mode, writer, userdata);
}

int root_unlink(const char *path) {
        _cleanup_free_ char *p = root_path(path);

        if (!p)
                return -ENOMEM;
        if (unlink(p) < 0)
                return -errno;
        sync_directory_of(p);
        return 0;
}
