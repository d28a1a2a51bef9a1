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
        /* runs across and up to word boundaries, and one that ends at the last CPU */
        roundtrip("63-64", "63-64");
        roundtrip("0-63,65,127-128", "0-63,65,127-128");
        roundtrip("64-127", "64-127");
        roundtrip("4000-4095", "4000-4095");
        roundtrip("0-4095", "0-4095");
        roundtrip("1,3,5,191", "1,3,5,191");
}

static void test_format_small_buffer(void) {
        CpuSet s;
        char buf[8];

        check(cpuset_parse("0-3,8", &s) == 0);
        check(cpuset_format(&s, buf, 6) == 0);              /* "0-3,8" and its NUL */
        check_streq(buf, "0-3,8");
        check(cpuset_format(&s, buf, 5) == -ENOBUFS);
        check(cpuset_parse("1000-1001", &s) == 0);
        check(cpuset_format(&s, buf, 9) == -ENOBUFS);
        check(cpuset_format(&s, buf, 0) == -ENOBUFS);
        check(cpuset_is_empty(&(CpuSet) {}));
        check(!cpuset_is_empty(&s));
}

/* The longest lists there are, each round trip exact. */
static void test_to_string(void) {
        static const char *const lists[] = { "", "0", "0-4095", "4095", "1000-1001,1003-1004,4094-4095" };
        CpuSet s = {}, back;
        char *t;

        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
                check(cpuset_parse(lists[i], &s) == 0);
                t = cpuset_to_string(&s);
                check_streq(t, lists[i]);
                free(t);
        }
        for (unsigned step = 2; step <= 3; step++) {
                s = (CpuSet) {};
                for (unsigned c = 0; c < CPUSET_MAX; c += step)
                        cpuset_set(&s, c);
                t = cpuset_to_string(&s);
                check(t && strlen(t) > 6000);
                check(strncmp(t, step == 2 ? "0,2,4," : "0,3,6,", 6) == 0);
                check(cpuset_parse(t, &back) == 0);
                check(memcmp(&s, &back, sizeof(s)) == 0);
                free(t);
        }
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

static CpuSet set_of(const char *list) {
        CpuSet s;

        check(cpuset_parse(list, &s) == 0);
        return s;
}

static void check_set(const CpuSet *s, const char *want) {
        char buf[256];

        check(cpuset_format(s, buf, sizeof(buf)) == 0);
        check_streq(buf, want);
}

/* Two sockets of four cores, two threads each, numbered as Intel does: CPU N and N+8 are
 * siblings; node 0 has 0-3,8-11, node 1 has 4-7,12-15. */
static void intel_2x4x2(CpuSet sib[16]) {
        for (unsigned c = 0; c < 16; c++) {
                sib[c] = (CpuSet) {};
                cpuset_set(&sib[c], c % 8);
                cpuset_set(&sib[c], c % 8 + 8);
        }
}

static void test_last_and(void) {
        CpuSet a = set_of("1-3,70,4095"), b = set_of("3-80");

        check(cpuset_last(&a) == 4095);
        check(cpuset_last(&(CpuSet) {}) == -1);
        cpuset_and(&a, &b);
        check_set(&a, "3,70");
}

static void test_pick_cores(void) {
        CpuSet sib[16], pool = set_of("5-7,13-15"), got = {}, taken = {};
        CpuTopology t = { sib, 16 };

        intel_2x4x2(sib);
        /* two lcores: two cores, one thread of each, never the sibling */
        check(cpuset_pick_cores(&pool, &t, 2, &got) == 2);
        check_set(&got, "5-6");
        /* with the siblings taken out, the next port gets what is left: one core */
        cpuset_add_siblings(&got, &t, &taken);
        check_set(&taken, "5-6,13-14");
        cpuset_andnot(&pool, &taken);
        got = (CpuSet) {};
        check(cpuset_pick_cores(&pool, &t, 2, &got) == 1);
        check_set(&got, "7");

        /* a core with only its second thread in the pool gives that thread */
        pool = set_of("6,14-15");
        got = (CpuSet) {};
        check(cpuset_pick_cores(&pool, &t, 4, &got) == 2);
        check_set(&got, "6,15");
        got = (CpuSet) {};
        check(cpuset_pick_cores(&(CpuSet) {}, &t, 4, &got) == 0);
        check(cpuset_is_empty(&got));
}

static void test_pick_without_topology(void) {
        CpuSet sib[8] = {}, pool = set_of("2-5"), got = {}, taken = {};
        CpuTopology t = { sib, 8 };

        /* no sibling lists: every CPU is a core of its own */
        check(cpuset_pick_cores(&pool, NULL, 3, &got) == 3);
        check_set(&got, "2-4");
        cpuset_add_siblings(&got, NULL, &taken);
        check_set(&taken, "2-4");
        /* adjacent siblings (0-1, 2-3, ...), as AMD numbers them; CPU 5's list is missing */
        for (unsigned c = 0; c < 5; c++) {
                cpuset_set(&sib[c], c & ~1u);
                cpuset_set(&sib[c], c | 1u);
        }
        pool = set_of("3-5");
        got = (CpuSet) {};
        check(cpuset_pick_cores(&pool, &t, 3, &got) == 3);
        check_set(&got, "3-5");
        pool = set_of("2-4");
        got = (CpuSet) {};
        check(cpuset_pick_cores(&pool, &t, 3, &got) == 2);
        check_set(&got, "2,4");
}

static void test_first_cores(void) {
        CpuSet sib[16], node0 = set_of("0-3,8-11"), node1 = set_of("4-7,12-15"), got = {};
        CpuTopology t = { sib, 16 };

        intel_2x4x2(sib);
        check(cpuset_first_cores(&node0, &t, 1, &got) == 1);
        check(cpuset_first_cores(&node1, &t, 1, &got) == 1);
        check_set(&got, "0,4,8,12");
        got = (CpuSet) {};
        check(cpuset_first_cores(&node0, &t, 2, &got) == 2);
        check_set(&got, "0-1,8-9");
        /* more cores than the node has: all of it */
        got = (CpuSet) {};
        check(cpuset_first_cores(&node1, &t, 5, &got) == 4);
        check_set(&got, "4-7,12-15");
        /* an offline sibling (9) is not in the node's CPUs: core 1 is CPU 1 alone */
        node0 = set_of("0-3,8,10-11");
        got = (CpuSet) {};
        check(cpuset_first_cores(&node0, &t, 2, &got) == 2);
        check_set(&got, "0-1,8");
}

int main(void) {
        test_parse_format();
        test_format_small_buffer();
        test_to_string();
        test_bad();
        test_ops();
        test_last_and();
        test_pick_cores();
        test_pick_without_topology();
        test_first_cores();
        return 0;
}
