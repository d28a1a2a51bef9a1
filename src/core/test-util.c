/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootdir.h"
#include "test-util.h"
#include "util.h"

static void test_safe_atou(void) {
        unsigned u;
        uint64_t v;
        int i;

        check(safe_atou("42", &u) == 0 && u == 42);
        check(safe_atou("4294967296", &u) == -ERANGE);
        check(safe_atou("-1", &u) == -EINVAL);
        check(safe_atou("12a", &u) == -EINVAL);
        check(safe_atou("", &u) == -EINVAL);
        check(safe_atou64("18446744073709551615", &v) == 0 && v == UINT64_MAX);
        check(safe_atou64("18446744073709551616", &v) == -ERANGE);
        check(safe_atou64("18446744073709551620", &v) == -ERANGE);
        check(safe_atou64("99999999999999999999", &v) == -ERANGE);
        check(safe_atou64("0", &v) == 0 && v == 0);
        check(safe_atoi("-2147483648", &i) == 0 && i == INT32_MIN);
        check(safe_atoi("2147483648", &i) == -ERANGE);
        check(safe_atoi("-1", &i) == 0 && i == -1);
}

static void test_page_size(void) {
        uint64_t kb;
        char buf[16];

        check(parse_page_size_kb("2M", &kb) == 0 && kb == 2048);
        check(parse_page_size_kb("1G", &kb) == 0 && kb == 1048576);
        check(parse_page_size_kb("2048kB", &kb) == 0 && kb == 2048);
        check(parse_page_size_kb("1048576", &kb) == 0 && kb == 1048576);
        check(parse_page_size_kb("0M", &kb) < 0);
        check(parse_page_size_kb("2X", &kb) == -EINVAL);
        check(parse_page_size_kb("G", &kb) == -EINVAL);
        check_streq(format_page_size(2048, buf), "2M");
        check_streq(format_page_size(1048576, buf), "1G");
        check_streq(format_page_size(64, buf), "64kB");
        check_streq(format_page_size(4096, buf), "4M");
        check_streq(format_page_size(1048576ULL * 1024, buf), "1024G");
        check_streq(format_page_size(0, buf), "0G");
        check_streq(format_page_size(4294967295ULL, buf), "4294967295kB");
}

static void test_format_uint64(void) {
        char buf[21];

        check_streq(format_uint64(0, buf), "0");
        check_streq(format_uint64(7, buf), "7");
        check_streq(format_uint64(10, buf), "10");
        check_streq(format_uint64(1048576, buf), "1048576");
        check_streq(format_uint64(UINT64_MAX, buf), "18446744073709551615");
}

static void test_pci_address(void) {
        char a[13];

        check(pci_address_normalize("0000:03:00.1", a));
        check_streq(a, "0000:03:00.1");
        check(pci_address_normalize("AF:00.0", a));
        check_streq(a, "0000:af:00.0");
        check(!pci_address_normalize("0000:03:00.8", a));
        check(!pci_address_normalize("0000:03:20.0", a)); /* device > 0x1f */
        check(!pci_address_normalize("0000:03:00", a));
        check(!pci_address_normalize("../../../x", a));
        check(!pci_address_normalize("0000:03:00.1 ", a));
        check(pci_address_normalize("ABCD:EF:1F.7", a));
        check_streq(a, "abcd:ef:1f.7");
        check(pci_address_normalize("0000:03:10.0", a));
        check_streq(a, "0000:03:10.0");
        check(!pci_address_normalize("0000:03:a0.0", a)); /* device > 0x1f */
        check(!pci_address_normalize("0000:0g:00.0", a));
        check(!pci_address_normalize("000G:03:00.0", a));
        check(!pci_address_normalize("0000-03:00.0", a));
        check(!pci_address_normalize("0000:03-00.0", a));
        check(!pci_address_normalize("0000:03:00:0", a));
        check(!pci_address_normalize(NULL, a));
        /* Left alone when the address is refused. */
        check_streq(a, "0000:03:10.0");
}

static void test_escape(void) {
        char *e;

        e = unit_name_escape("0000:00:04.0");
        check_streq(e, "0000:00:04.0");
        free(e);
        e = unit_name_escape("dev/hugepages-1G");
        check_streq(e, "dev-hugepages\\x2d1G");
        free(e);
        e = unit_name_escape(".x y");
        check_streq(e, "\\x2ex\\x20y");
        free(e);
        e = unit_name_escape("a.b/c_d:\xc3\xa9\\");
        check_streq(e, "a.b-c_d:\\xc3\\xa9\\x5c");
        free(e);
        e = unit_name_escape("");
        check_streq(e, "");
        free(e);
}

static void test_escape_buf(void) {
        char buf[16];

        /* The length without the NUL; the NUL must fit too. */
        check(unit_name_escape_buf("0000:00:04.0", buf, 13) == 12);
        check_streq(buf, "0000:00:04.0");
        check(unit_name_escape_buf("0000:00:04.0", buf, 12) == -ENAMETOOLONG);
        check(unit_name_escape_buf("a-b", buf, 7) == 6);
        check_streq(buf, "a\\x2db");
        check(unit_name_escape_buf("a-b", buf, 6) == -ENAMETOOLONG);
        check(unit_name_escape_buf("ab-", buf, 6) == -ENAMETOOLONG);
        check(unit_name_escape_buf("/a/", buf, 4) == 3);
        check_streq(buf, "-a-");
        check(unit_name_escape_buf("/a/", buf, 3) == -ENAMETOOLONG);
        check(unit_name_escape_buf(".", buf, 5) == 4);
        check_streq(buf, "\\x2e");
        check(unit_name_escape_buf(".", buf, 4) == -ENAMETOOLONG);
        check(unit_name_escape_buf("a.", buf, 3) == 2);
        check_streq(buf, "a.");
        check(unit_name_escape_buf("", buf, 1) == 0);
        check_streq(buf, "");
        check(unit_name_escape_buf("", buf, 0) == -ENAMETOOLONG);
}

static void test_string_has_cc(void) {
        char s[80];

        check(!string_has_cc(""));
        check(!string_has_cc("/usr/bin/dpdk-testpmd -l 2-3 -a 0000:3b:00.0 -- --auto-start"));
        check(!string_has_cc("\xc3\xa9 ~ \x80\xff"));
        check(string_has_cc("\x7f"));
        check(string_has_cc("a\tb"));
        /* Every position of a string long enough for several blocks of sixteen, and its end. */
        for (size_t n = 1; n < sizeof(s); n++)
                for (size_t at = 0; at < n; at++) {
                        memset(s, 'x', n);
                        s[n] = 0;
                        check(!string_has_cc(s));
                        s[at] = at % 2 ? '\n' : 0x7f;
                        check(string_has_cc(s));
                        s[at] = 0x1f;
                        check(string_has_cc(s));
                        s[at] = ' ';
                        check(!string_has_cc(s));
                }
}

static void test_unit_value_escape(void) {
        char *e = NULL;

        check(unit_value_escape("/etc/dpdk-boot/conf.d/40-a%n$X'b\\c.conf", &e) == 0);
        check_streq(e, "/etc/dpdk-boot/conf.d/40-a%%n$X'b\\c.conf");
        free(e);
        check(unit_value_escape("a\nb", &e) == -EINVAL);
        check(unit_value_escape(NULL, &e) == 0 && !e);
        check(unit_value_escape("", &e) == 0);
        check_streq(e, "");
        free(e);
}

static void test_escape_cc(void) {
        char *e = escape_cc("60-new\nline\\x\x7f.conf");

        check_streq(e, "60-new\\x0aline\\\\x\\x7f.conf");
        free(e);
}

static void test_buf(void) {
        Buf b = {};
        char big[5000];

        check(buf_put(&b, "") == 0);
        check_streq(b.data, "");
        check(buf_printf(&b, "%s=%u", "a", 1) == 0);
        check(buf_putn(&b, ",bcd", 2) == 0);
        check(buf_extend(&b, ";", "x", "", "yz") == 0);
        check_streq(b.data, "a=1,b;xyz");
        check(b.len == strlen(b.data));
        /* Longer than any buffer it starts with, after text already there. */
        memset(big, 'q', sizeof(big) - 1);
        big[sizeof(big) - 1] = 0;
        check(buf_printf(&b, "<%s>%d", big, -5) == 0);
        check(b.len == 9 + 1 + sizeof(big) - 1 + 1 + 2);
        check(strneq(b.data, "a=1,b;xyz<qqq", 13));
        check(streq(b.data + b.len - 4, "q>-5"));
        buf_free(&b);
        check(!b.data && b.len == 0 && b.cap == 0);

        check(buf_printf(&b, "%s", "") == 0);
        check(b.data && b.len == 0 && b.data[0] == 0);
        check(buf_reserve(&b, 100) == 0 && b.cap >= 101);
        buf_free(&b);
}

static void test_boolean(void) {
        check(parse_boolean("yes") == 1 && parse_boolean("On") == 1 && parse_boolean("1") == 1);
        check(parse_boolean("no") == 0 && parse_boolean("OFF") == 0 && parse_boolean("0") == 0);
        check(parse_boolean("maybe") == -EINVAL && parse_boolean("") == -EINVAL);
}

/* A file whose size fstat() tells, one that grows after it, and a pipe (size 0, as /proc and
 * sysfs report): each read whole, and no more than max. */
static void test_read_fd_whole(void) {
        char path[] = "/tmp/test-util.XXXXXX", *t = NULL;
        size_t n;
        int fd, p[2];
        char big[10000];

        memset(big, 'x', sizeof(big));
        fd = mkstemp(path);
        check(fd >= 0);
        check(write(fd, "a=b\n", 4) == 4);
        check(lseek(fd, 0, SEEK_SET) == 0);
        check(read_fd_whole(fd, 100, &t, &n) == 0 && n == 4 && streq(t, "a=b\n"));
        free(t);
        check(write(fd, big, sizeof(big)) == sizeof(big));     /* grown past the first size */
        check(lseek(fd, 0, SEEK_SET) == 0);
        check(read_fd_whole(fd, 1 << 20, &t, &n) == 0 && n == 4 + sizeof(big) && t[n] == 0);
        free(t);
        check(lseek(fd, 0, SEEK_SET) == 0);
        check(read_fd_whole(fd, 5000, &t, &n) == 0 && n == 5000);
        free(t);
        check(close(fd) == 0 && unlink(path) == 0);

        check(pipe(p) == 0);
        check(write(p[1], big, sizeof(big)) == sizeof(big));
        check(close(p[1]) == 0);
        check(read_fd_whole(p[0], 1 << 20, &t, &n) == 0 && n == sizeof(big) && t[n] == 0);
        free(t);
        check(close(p[0]) == 0);
}

/* root_check_inside(): symlinks among the directories resolve inside the prefix (an absolute one,
 * or one with ".." past the top, means a path of the tree); the file itself is never a symlink. */
static void test_root_check_inside(void) {
        char tmp[] = "/tmp/test-root-check-XXXXXX", path[256], out[256];
        char *root = mkdtemp(tmp);

        check(root);
        (void) snprintf(out, sizeof(out), "%s.out", root);
        check(mkdir(out, 0755) == 0);
        root_set(root);
        /* nothing there yet: the directories are made below the prefix */
        check(root_check_inside("/etc/systemd/system.conf.d/x.conf") == 0);
        (void) snprintf(path, sizeof(path), "%s/etc", root);
        check(mkdir(path, 0755) == 0);
        /* a symlink inside the tree, relative or absolute to a path in it */
        (void) snprintf(path, sizeof(path), "%s/usr", root);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc/systemd", root);
        check(symlink("../usr", path) == 0);
        check(root_check_inside("/etc/systemd/system.conf.d/x.conf") == 0);
        check(unlink(path) == 0);
        /* "out of it": absolute, or by .., both resolve inside the tree, where nothing is yet */
        check(symlink(out, path) == 0);
        check(root_check_inside("/etc/systemd/system.conf.d/x.conf") == 0);
        check(root_check_inside("/etc/other.conf") == 0);
        check(unlink(path) == 0);
        check(symlink("../../", path) == 0);
        check(root_check_inside("/etc/systemd/x.conf") == 0);
        check(unlink(path) == 0);
        /* a symlink to nothing (a directory made inside the tree), a file where a directory
         * should be */
        check(symlink("/nonexistent-test-root-check", path) == 0);
        check(root_check_inside("/etc/systemd/x.conf") == 0);
        check(unlink(path) == 0);
        check(close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == 0);
        check(root_check_inside("/etc/systemd/x.conf") == -ENOTDIR);
        check(unlink(path) == 0);
        /* the file itself a symlink, even to a file in the tree */
        (void) snprintf(path, sizeof(path), "%s/etc/x.conf", root);
        check(symlink("y.conf", path) == 0);
        check(root_check_inside("/etc/x.conf") == -ELOOP);
        check(unlink(path) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc", root);
        check(rmdir(path) == 0);
        (void) snprintf(path, sizeof(path), "%s/usr", root);
        check(rmdir(path) == 0);
        check(rmdir(root) == 0 && rmdir(out) == 0);
        root_set(NULL);
}

int main(void) {
        test_safe_atou();
        test_page_size();
        test_format_uint64();
        test_pci_address();
        test_escape();
        test_escape_buf();
        test_string_has_cc();
        test_unit_value_escape();
        test_escape_cc();
        test_buf();
        test_boolean();
        test_read_fd_whole();
        test_root_check_inside();
        return 0;
}
