/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "cpuset.h"
#include "test-util.h"

static void roundtrip(const char *in, const char *out) {
        CpuSet s;
        char buf[256];

        check(cpuset_parse(in, &s) == 0);
        check(cpuset_format(&s, buf, sizeof(buf)) == 0);
        check_streq(buf, out);
}

static void test_parse_format(void) {
        roundtrip("0-3,8,10-15", "0-3,8,10-15");
        roundtrip("3,2,1,0", "0-3");
        roundtrip("", "");
        roundtrip("5\n", "5");
        roundtrip("0-1,1-2", "0-2");
        roundtrip("4095", "4095");
}

static void test_bad(void) {
        CpuSet s;

        check(cpuset_parse("3-1", &s) == -EINVAL);
        check(cpuset_parse("1,", &s) == -EINVAL);
        check(cpuset_parse("a", &s) == -EINVAL);
        check(cpuset_parse("1-", &s) == -EINVAL);
        check(cpuset_parse("4096", &s) == -ERANGE);
        check(cpuset_parse("1;2", &s) == -EINVAL);
}

static void test_ops(void) {
        CpuSet a, b;

        check(cpuset_parse("0-7", &a) == 0);
        check(cpuset_parse("2-3", &b) == 0);
        check(cpuset_count(&a) == 8);
        check(cpuset_is_subset(&b, &a));
        check(!cpuset_is_subset(&a, &b));
        check(cpuset_intersects(&a, &b));
        cpuset_andnot(&a, &b);
        check(cpuset_count(&a) == 6);
        check(!cpuset_intersects(&a, &b));
        check(cpuset_first(&b) == 2);
}

int main(void) {
        test_parse_format();
        test_bad();
        test_ops();
        return 0;
}
