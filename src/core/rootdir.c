/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootdir.h"
#include "util.h"

static char *root_prefix;
static bool root_initialized;
/* Everything opens relative to one directory fd of the prefix, so a read costs no path joining
 * and no allocation: the generator reads a few hundred sysfs files at every boot. */
static int root_dirfd = -EBADF;
/* The kernel's path of root_dirfd, as /proc/self/fd shows it, read once: the paths of other fds
 * of the tree are taken relative to it (path_of_fd_in_root()). */
static char *root_top;

void root_set(const char *dir) {
        if (root_dirfd >= 0)
                close(root_dirfd);
        root_dirfd = -EBADF;
        free(root_top);
        root_top = NULL;
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

/* Under a prefix the tree is a boundary, for reads and writes alike: a path is resolved as if the
 * tree were "/" (a chroot would do the same), so an absolute symlink of the image means a path
 * of the image, and ".." stops at the top of the tree. With the real root ("/", or no prefix)
 * nothing of this runs: plain open(2) of the path, as always.
 *
 * root_open() asks the kernel for it, openat2(2) with RESOLVE_IN_ROOT (Linux 5.6), which is also
 * safe against the tree changing under it. Where openat2() is missing (ENOSYS) or refused by a
 * seccomp filter (EPERM), and for the callers that need a path string (a library, rename(2),
 * unlink(2)), resolve_in_root() does the same resolution here, component by component: every
 * symlink met is read and its target resolved from the tree's top (absolute) or from its
 * directory (relative), at most MAX_LINKS of them. The path it returns holds no symlink then (as
 * long as no one changes the tree meanwhile, which an image being prepared does not), so opening
 * it cannot leave the tree. A ".." below a component that does not exist is refused (-ENOENT, as
 * the kernel would say), so that a directory made later cannot lead out either.
 */
#define MAX_LINKS 40

/* done without its last component; the top stays the top. */
static void drop_component(char *done) {
        char *slash = strrchr(done, '/');

        if (slash)
                *slash = 0;
        else
                done[0] = 0;
}

/* What the symlink cand points to, followed by rest, the part of the path still to resolve,
 * becomes what is to resolve (todo, of PATH_MAX bytes; rest may point into it). */
static int splice_link(int rfd, const char *cand, const char *rest, char *todo) {
        char target[PATH_MAX];
        size_t len = strlen(rest);
        ssize_t n;

        n = readlinkat(rfd, cand, target, sizeof(target));
        if (n < 0)
                return -errno;
        if ((size_t) n + len >= PATH_MAX)
                return -ENAMETOOLONG;
        memmove(todo + n, rest, len + 1);
        memcpy(todo, target, (size_t) n);
        return 0;
}

static const char *skip_slashes(const char *p) {
        while (*p == '/')
                p++;
        return p;
}

/* Path relative to the tree's top (no leading "/", "" for the top itself) with every symlink
 * resolved inside the tree; the last component's too when follow_last. */
static int resolve_in_root(int rfd, const char *path, bool follow_last, char **ret) {
        char todo[PATH_MAX], done[PATH_MAX];
        size_t n = strlen(path);
        unsigned links = 0;
        bool missing = false;
        const char *p;

        done[0] = 0; /* only the string: a "" initialiser would clear all 4 kB at every call */
        if (n >= sizeof(todo))
                return -ENAMETOOLONG;
        memcpy(todo, path, n + 1);
        for (p = skip_slashes(todo); *p; p = skip_slashes(p)) {
                size_t len = strcspn(p, "/"), top = strlen(done);
                const char *rest = p + len;
                bool last = *skip_slashes(rest) == 0;
                struct stat st;
                int r;

                if (len == 1 && p[0] == '.') {
                        p = rest;
                        continue;
                }
                if (len == 2 && p[0] == '.' && p[1] == '.') {
                        if (missing)
                                return -ENOENT;
                        drop_component(done);
                        p = rest;
                        continue;
                }
                /* the candidate: done + "/" + the component, or the component alone at the top */
                if (top + 1 + len >= sizeof(done))
                        return -ENAMETOOLONG;
                if (top > 0)
                        done[top] = '/';
                memcpy(done + top + (top > 0), p, len);
                done[top + (top > 0) + len] = 0;
                if (!missing && fstatat(rfd, done, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno != ENOENT)
                                return -errno;
                        missing = true;
                }
                if (!missing && S_ISLNK(st.st_mode) && (!last || follow_last)) {
                        if (++links > MAX_LINKS)
                                return -ELOOP;
                        r = splice_link(rfd, done, rest, todo);
                        if (r < 0)
                                return r;
                        /* an absolute link from the top, a relative one from the link's directory */
                        done[todo[0] == '/' ? 0 : top] = 0;
                        p = todo;
                        continue;
                }
                p = rest;
        }
        *ret = strdup(done);
        return *ret ? 0 : -ENOMEM;
}

static int root_resolve(const char *path, bool follow_last, char **ret) {
        _cleanup_free_ char *rel = NULL;
        const char *top;
        int dfd, r;

        r = root_at(path, &dfd, &top);
        if (r < 0)
                return r;
        if (dfd == AT_FDCWD) {
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        r = resolve_in_root(dfd, path, follow_last, &rel);
        if (r < 0)
                return r;
        *ret = strjoin3(root_get(), "/", rel);
        return *ret ? 0 : -ENOMEM;
}

char *root_path(const char *path) {
        char *p = NULL;
        int r;

        r = root_resolve(path, /* follow_last= */ true, &p);
        if (r < 0)
                errno = -r;
        return p;
}

char *root_path_entry(const char *path) {
        char *p = NULL;
        int r;

        r = root_resolve(path, /* follow_last= */ false, &p);
        if (r < 0)
                errno = -r;
        return p;
}

/* openat2() unless it is missing or refused: then -ENOSYS, and resolve_in_root() does it. With
 * RESOLVE_IN_ROOT a ".." (sysfs's links are full of them) fails with EAGAIN when a rename or a
 * mount anywhere on the system raced with the lookup, as openat2(2) says; the call is repeated
 * then, and if it keeps failing this one path is resolved here too (-ENOSYS). */
#define OPENAT2_TRIES 8

static int openat2_in_root(int rfd, const char *rel, int flags, mode_t mode) {
        static bool unavailable;
        struct open_how how = {
                .flags = (uint64_t) flags,
                .mode = flags & (O_CREAT | O_TMPFILE) ? mode : 0,
                .resolve = RESOLVE_IN_ROOT,
        };
        int fd;

        if (unavailable)
                return -ENOSYS;
        for (unsigned i = 0; i < OPENAT2_TRIES; i++) {
                fd = (int) syscall(SYS_openat2, rfd, rel, &how, sizeof(how));
                if (fd >= 0)
                        return fd;
                if (errno != EAGAIN)
                        break;
        }
        if (errno == EAGAIN)
                return -ENOSYS;
        if (errno == ENOSYS || errno == EPERM) {
                unavailable = true;
                return -ENOSYS;
        }
        return -errno;
}

int root_open(const char *path, int flags, mode_t mode) {
        _cleanup_free_ char *resolved = NULL;
        const char *rel;
        int dfd, fd, r;

        r = root_at(path, &dfd, &rel);
        if (r < 0)
                return r;
        /* openat2() refuses O_NOCTTY with O_PATH */
        flags |= O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY);
        if (dfd == AT_FDCWD) {
                fd = openat(dfd, rel, flags, mode);
                return fd < 0 ? -errno : fd;
        }
        fd = openat2_in_root(dfd, rel, flags, mode);
        if (fd != -ENOSYS)
                return fd;
        r = resolve_in_root(dfd, path, !(flags & O_NOFOLLOW), &resolved);
        if (r < 0)
                return r;
        fd = openat(dfd, isempty(resolved) ? "." : resolved, flags | O_NOFOLLOW, mode);
        return fd < 0 ? -errno : fd;
}

/* The kernel's path of fd, as /proc/self/fd shows it. */
static int fd_path(int fd, char *buf, size_t size) {
        char proc[64];
        ssize_t n;

        (void) snprintf(proc, sizeof(proc), "/proc/self/fd/%i", fd);
        n = readlink(proc, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return 0;
}

/* The path of dfd (an fd of the tree, from root_open()) inside the tree, joined with name. */
static int path_of_fd_in_root(int dfd, const char *name, char **ret) {
        char target[PATH_MAX];
        size_t len;
        int rfd, r;
        const char *rel;

        r = root_at("/", &rfd, &rel);
        if (r < 0)
                return r;
        if (!root_top) {
                char top[PATH_MAX];

                r = fd_path(rfd, top, sizeof(top));
                if (r < 0)
                        return r;
                root_top = strdup(top);
                if (!root_top)
                        return -ENOMEM;
        }
        r = fd_path(dfd, target, sizeof(target));
        if (r < 0)
                return r;
        len = strlen(root_top);
        /* not an fd of the tree: refused, never resolved on the host */
        if (streq(root_top, "/"))
                len = 0;
        else if (!strneq(target, root_top, len) || (target[len] != 0 && target[len] != '/'))
                return -EXDEV;
        *ret = strjoin3(target[len] ? target + len : "/", "/", name);
        return *ret ? 0 : -ENOMEM;
}

/* name is one entry of its directory: no "/", not "." or "..". Such an entry of a directory of the
 * tree that is not a symlink is the same file whether it is resolved inside the tree or not. */
static bool is_entry_name(const char *name) {
        return !isempty(name) && !strchr(name, '/') && !streq(name, ".") && !streq(name, "..");
}

/* openat(dfd, name) for the *_at() readers: as it is on the host; under a prefix, name resolved
 * inside the tree from dfd's place in it (sysfs's relative links lead out of dfd, and back in).
 * An entry of dfd that is no symlink (the attribute files of a device directory) needs none of
 * that: opened with O_NOFOLLOW, and only a symlink (ELOOP, or ENOTDIR with O_DIRECTORY) takes
 * the long way. dfd is always an fd of the tree (from root_open() or open_at()). */
static int open_at(int dfd, const char *name, int flags) {
        _cleanup_free_ char *path = NULL;
        int fd, r;

        assert(!(flags & O_PATH)); /* O_PATH | O_NOFOLLOW would open a symlink itself */
        if (root_is_host()) {
                fd = openat(dfd, name, flags | O_CLOEXEC | O_NOCTTY);
                return fd < 0 ? -errno : fd;
        }
        if (is_entry_name(name)) {
                fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
                if (fd >= 0)
                        return fd;
                if (errno != ELOOP && errno != ENOTDIR)
                        return -errno;
        }
        r = path_of_fd_in_root(dfd, name, &path);
        if (r < 0)
                return r;
        return root_open(path, flags, 0);
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
        _cleanup_close_ int fd = open_at(dfd, name, O_RDONLY);

        if (fd < 0)
                return fd;
        return read_attr_fd(fd, buf, size);
}

ssize_t root_read_attr(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = root_open(path, O_RDONLY, 0);

        if (fd < 0)
                return fd;
        return read_attr_fd(fd, buf, size);
}

ssize_t read_at_buf(int dfd, const char *name, char *buf, size_t size) {
        _cleanup_close_ int fd = open_at(dfd, name, O_RDONLY);

        if (fd < 0)
                return fd;
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

/* The link at path itself, not followed, its directories resolved inside the tree: opened with
 * O_PATH | O_NOFOLLOW by openat2(), then read through that fd. */
ssize_t root_readlink(const char *path, char *buf, size_t size) {
        _cleanup_free_ char *resolved = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *rel;
        ssize_t n;
        int dfd, r;

        if (size == 0)
                return -ENOBUFS;
        r = root_at(path, &dfd, &rel);
        if (r < 0)
                return r;
        if (dfd != AT_FDCWD) {
                fd = openat2_in_root(dfd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd >= 0) {
                        dfd = fd;
                        rel = "";
                } else if (fd != -ENOSYS)
                        return fd;
                else {
                        r = resolve_in_root(dfd, path, /* follow_last= */ false, &resolved);
                        if (r < 0)
                                return r;
                        rel = isempty(resolved) ? "." : resolved;
                }
        }
        n = readlinkat(dfd, rel, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return n;
}

/* Under a prefix, an entry of dfd is read as it is: the link itself, nothing resolved. */
ssize_t readlink_at(int dfd, const char *name, char *buf, size_t size) {
        _cleanup_free_ char *path = NULL;
        ssize_t n;
        int r;

        if (size == 0)
                return -ENOBUFS;
        if (!root_is_host() && !is_entry_name(name)) {
                r = path_of_fd_in_root(dfd, name, &path);
                return r < 0 ? r : root_readlink(path, buf, size);
        }
        n = readlinkat(dfd, name, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return n;
}

/* The basename of target into buf. */
static ssize_t copy_basename(const char *target, char *buf, size_t size) {
        const char *base = strrchr(target, '/');
        size_t len;

        base = base ? base + 1 : target;
        len = strlen(base);
        if (len >= size)
                return -ENAMETOOLONG;
        memcpy(buf, base, len + 1);
        return (ssize_t) len;
}

ssize_t readlinkat_basename(int dfd, const char *name, char *buf, size_t size) {
        char target[PATH_MAX];
        ssize_t n;

        n = readlink_at(dfd, name, target, sizeof(target));
        if (n < 0)
                return n;
        return copy_basename(target, buf, size);
}

int root_readlink_basename(const char *path, char **ret) {
        char target[PATH_MAX], buf[NAME_MAX + 1];
        ssize_t n;

        n = root_readlink(path, target, sizeof(target));
        if (n >= 0)
                n = copy_basename(target, buf, sizeof(buf));
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
        if (dfd != AT_FDCWD) {
                _cleanup_close_ int fd = root_open(path, O_PATH, 0);

                if (fd >= 0)
                        return 1;
                return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
        }
        if (faccessat(dfd, rel, F_OK, 0) < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
        return 1;
}

int root_check_inside(const char *path) {
        _cleanup_free_ char *entry = root_path_entry(path);
        size_t top = strlen(root_get());
        struct stat st;

        if (!entry)
                return -errno;
        if (lstat(entry, &st) == 0 && S_ISLNK(st.st_mode))
                return -ELOOP;
        /* every directory above it was resolved inside the tree; the nearest that exists must be
         * a directory (those missing below it are made as plain directories) */
        for (char *s = strrchr(entry, '/'); s && (size_t) (s - entry) > top; s = strrchr(entry, '/')) {
                *s = 0;
                if (stat(entry, &st) == 0)
                        return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
                if (errno != ENOENT)
                        return -errno;
        }
        return 0;
}

int root_stat(const char *path, struct stat *ret) {
        _cleanup_close_ int fd = root_open(path, O_PATH, 0);

        if (fd < 0)
                return fd;
        return fstat(fd, ret) < 0 ? -errno : 0;
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
        return fd_opendir(open_at(dfd, name, O_RDONLY | O_DIRECTORY));
}

int open_dir_at(int dfd, const char *name) {
        return open_at(dfd, name, O_RDONLY | O_DIRECTORY);
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
        _cleanup_free_ char *p = root_path_entry(path);

        if (!p)
                return -errno;
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
        p = root_path_entry(path);
        if (!p)
                return -errno;
        return write_file_atomic_with(p, mode, writer, userdata);
}

int root_unlink(const char *path) {
        _cleanup_free_ char *p = root_path_entry(path);

        if (!p)
                return -errno;
        if (unlink(p) < 0)
                return -errno;
        sync_directory_of(p);
        return 0;
}
