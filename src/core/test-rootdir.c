/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tree as a boundary: links of the tree, absolute or through "..", resolve inside it, with
 * openat2(2) and with the resolution rootdir.c does where openat2() is missing. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootdir.h"
#include "test-util.h"
#include "util.h"

static char tree[] = "/tmp/test-rootdir.XXXXXX";
static char host[] = "/tmp/test-rootdir-host.XXXXXX";
static bool no_openat2;

/* openat2() as on a kernel before 5.6 once no_openat2 is set; every other call as it is. */
long syscall(long number, ...) {
        static long (*real)(long, ...);
        long a[6];
        va_list ap;

        va_start(ap, number);
        for (size_t i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        if (number == SYS_openat2 && no_openat2) {
                errno = ENOSYS;
                return -1;
        }
        if (!real)
                real = (long (*)(long, ...)) dlsym(RTLD_NEXT, "syscall");
        return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void put(const char *dir, const char *rel, const char *s) {
        char path[PATH_MAX];
        FILE *f;

        (void) snprintf(path, sizeof(path), "%s%s", dir, rel);
        f = fopen(path, "we");
        check(f);
        check(fputs(s, f) >= 0 && fclose(f) == 0);
}

static void link_in_tree(const char *target, const char *rel) {
        char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s%s", tree, rel);
        check(symlink(target, path) == 0);
}

static void check_line(const char *path, const char *want) {
        _cleanup_free_ char *s = NULL;

        check(root_read_line(path, &s) == 0);
        check_streq(s, want);
}

static void check_path(char *got, const char *rel) {
        char want[PATH_MAX];

        (void) snprintf(want, sizeof(want), "%s%s", tree, rel);
        check_streq(got, want);
        free(got);
}

/* The *_at() readers from a directory fd of the tree: an entry as it is, a link of it (out of the
 * directory through "..", absolute, or to the host) inside the tree. esc is what reading
 * /etc/esc gives at this point: -ENOENT, or the length of the tree's "image\n". */
static void test_at(ssize_t esc) {
        _cleanup_close_ int etc = root_open("/etc", O_RDONLY | O_DIRECTORY, 0), sub = -EBADF;
        char buf[PATH_MAX];

        check(etc >= 0);
        sub = open_dir_at(etc, "sub");
        check(sub >= 0);
        check(read_attr_at(sub, "file", buf, sizeof(buf)) == 5 && streq(buf, "file\n"));
        check(read_attr_at(sub, "back", buf, sizeof(buf)) == 7 && streq(buf, "inside\n"));
        check(read_attr_at(sub, "abs", buf, sizeof(buf)) == 7 && streq(buf, "inside\n"));
        check(read_attr_at(etc, "sub/back", buf, sizeof(buf)) == 7 && streq(buf, "inside\n"));
        check(read_attr_at(etc, "dir/sub/abs", buf, sizeof(buf)) == 7 && streq(buf, "inside\n"));
        check(readlink_at(sub, "abs", buf, sizeof(buf)) == 6 && streq(buf, "/etc/a"));
        check(readlink_at(etc, "dir/sub/back", buf, sizeof(buf)) == 4 && streq(buf, "../a"));
        check(readlink_at(sub, "file", buf, sizeof(buf)) == -EINVAL);
        check(read_attr_at(etc, "esc", buf, sizeof(buf)) == esc);
        check(read_attr_at(etc, "up", buf, sizeof(buf)) == esc);
        check(open_dir_at(etc, "missing") == -ENOENT);
        {
                _cleanup_closedir_ DIR *d = opendir_at(etc, "dir");

                check(d);
        }
}

/* One pass over the tree; the same answers with openat2() and without. */
static void test_boundary(void) {
        char buf[PATH_MAX], in_tree[PATH_MAX];
        char *s = NULL;

        (void) snprintf(in_tree, sizeof(in_tree), "%s/secret", host);

        /* an absolute link means a path of the tree */
        check_line("/etc/abs", "inside");
        check_path(root_path("/etc/abs"), "/etc/a");
        check_path(root_path("/etc/dir/a"), "/etc/a");
        check_path(root_path_entry("/etc/abs"), "/etc/abs");
        check(root_readlink("/etc/abs", buf, sizeof(buf)) == 6 && streq(buf, "/etc/a"));
        /* one to a host file, absolute or through "..": the tree's file of that name, or none */
        check(root_read_line("/etc/esc", &s) == -ENOENT);
        check(root_read_line("/etc/up", &s) == -ENOENT);
        check(root_exists("/etc/esc") == 0);
        test_at(-ENOENT);
        check(root_write_string("/etc/esc", "x") == -ENOENT);
        check(root_mkdir_parents(in_tree) == 0);
        put(tree, in_tree, "image\n");
        check_line("/etc/esc", "image");
        check_line("/etc/up", "image");
        test_at(6);
        check(root_write_string("/etc/up", "written\n") == 0);
        check_line("/etc/esc", "written");
        check_path(root_path("/etc/esc"), in_tree);
        /* ".." below a directory that does not exist: refused, it could be made later */
        errno = 0;
        check(!root_path("/missing/../../etc/a") && errno == ENOENT);
        check(root_open("/etc/loop", O_RDONLY, 0) == -ELOOP);
        /* the host's file was never touched */
        root_set(NULL);
        check_line(in_tree, "host");
        root_set(tree);
        check(root_unlink(in_tree) == 0);
}

int main(void) {
        char path[PATH_MAX], cmd[2 * PATH_MAX + 16];

        check(mkdtemp(tree) && mkdtemp(host));
        put(host, "/secret", "host\n");
        (void) snprintf(path, sizeof(path), "%s/etc", tree);
        check(mkdir(path, 0755) == 0);
        put(tree, "/etc/a", "inside\n");
        link_in_tree("/etc/a", "/etc/abs");
        link_in_tree("/etc", "/etc/dir");
        link_in_tree("/etc/loop", "/etc/loop");
        (void) snprintf(path, sizeof(path), "%s/etc/sub", tree);
        check(mkdir(path, 0755) == 0);
        put(tree, "/etc/sub/file", "file\n");
        link_in_tree("../a", "/etc/sub/back");
        link_in_tree("/etc/a", "/etc/sub/abs");
        (void) snprintf(path, sizeof(path), "%s/secret", host);
        link_in_tree(path, "/etc/esc");
        (void) snprintf(path, sizeof(path), "../../../../../../../..%s/secret", host);
        link_in_tree(path, "/etc/up");

        root_set(tree);
        test_boundary();
        no_openat2 = true;
        test_boundary();
        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", tree, host);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() trees */
        return 0;
}
