/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "cmdline.h"
#include "rootdir.h"
#include "test-util.h"
#include "util.h"

static void test_absent(void) {
        Switches s;

        switches_init(&s);
        check(switches_parse(&s, "BOOT_IMAGE=/vmlinuz root=/dev/vda ro quiet") == 0);
        check(s.enabled == -1 && s.rd_enabled == -1 && s.bind == -1 && s.datapath == -1);
}

static void test_booleans(void) {
        Switches s;

        switches_init(&s);
        check(switches_parse(&s, "dpdk=no rd.dpdk=1 dpdk.bind=off dpdk.hugepages=TRUE dpdk.datapath") == 0);
        check(s.enabled == 0);
        check(s.rd_enabled == 1);
        check(s.bind == 0);
        check(s.hugepages == 1);
        check(s.datapath == 1); /* bare switch means yes */
}

static void test_last_wins_and_bad_value_keeps(void) {
        Switches s;

        switches_init(&s);
        check(switches_parse(&s, "dpdk=0 dpdk=yes dpdk.bind=no dpdk.bind=maybe") == 0);
        check(s.enabled == 1);
        check(s.bind == 0);
}

static void test_dash_underscore(void) {
        Switches s;

        check(cmdline_key_eq("rd.dpdk.hugepages", "rd.dpdk.hugepages"));
        check(cmdline_key_eq("a-b_c", "a_b-c"));
        check(!cmdline_key_eq("dpdk.bind", "dpdk_bind"));
        switches_init(&s);
        check(switches_parse(&s, "rd.dpdk.bind=0") == 0);
        check(s.rd_bind == 0);
}

static int collect(const char *key, const char *value, void *userdata) {
        Buf *b = userdata;

        return buf_printf(b, "[%s|%s]", key, value ?: "(none)");
}

static void test_quotes(void) {
        Buf b = {};

        check(cmdline_parse_items("  a=\"x y\" \"b=1 2\"\tc  d= ", collect, &b) == 0);
        check_streq(b.data, "[a|x y][b|1 2][c|(none)][d|]");
        buf_free(&b);
}

/* /proc/cmdline read whole: a switch past the first 4 KiB still counts. */
static void test_read_long(void) {
        char root[] = "/tmp/test-cmdline.XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
        _cleanup_free_ char *line = NULL;
        Switches s;
        FILE *f;

        check(mkdtemp(root));
        (void) snprintf(path, sizeof(path), "%s/proc", root);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/proc/cmdline", root);
        f = fopen(path, "we");
        check(f);
        fputs("BOOT_IMAGE=/vmlinuz root=/dev/vda ro", f);
        for (int i = 0; i < 600; i++)
                fprintf(f, " x%03d=yy", i);
        fputs(" dpdk=no\n", f);
        check(fclose(f) == 0);
        check(unsetenv("SYSTEMD_PROC_CMDLINE") == 0);
        root_set(root);
        check(cmdline_read(&line) == 0);
        root_set(NULL);
        check(strlen(line) > 4096 && streq(line + strlen(line) - 7, "dpdk=no"));
        switches_init(&s);
        check(switches_parse(&s, line) == 0);
        check_streq(switches_disabled_by(&s, false), "dpdk=no");
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

int main(void) {
        test_absent();
        test_booleans();
        test_last_wins_and_bad_value_keeps();
        test_dash_underscore();
        test_quotes();
        test_read_long();
        return 0;
}
