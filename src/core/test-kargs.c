/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "cleanup.h"
#include "kargs.h"
#include "test-util.h"

static const KargsEnv intel_6_1 = { 6, 1, CPU_VENDOR_INTEL };
static const KargsEnv amd_5_15 = { 5, 15, CPU_VENDOR_AMD };

/* An active plan: 1G x4 (or per node 0:2,1:3), 2M x1024, isolate 2-7, housekeeping 0-1, pt. */
static void make_plan(Plan *p, PlanHugepages h[2], bool per_node) {
        *p = (Plan) { .state = PLAN_ACTIVE, .hugepages = h, .n_hugepages = 2, .iommu = IOMMU_PT };
        h[0] = (PlanHugepages) { .size_kb = 1048576, .count = 4 };
        if (per_node) {
                h[0].per_node = true;
                h[0].node_count[0] = 2;
                h[0].node_count[1] = 3;
        }
        h[1] = (PlanHugepages) { .size_kb = 2048, .count = 1024 };
        p->cpu.set = true;
        check(cpuset_parse("2-7", &p->cpu.isolated) == 0);
        check(cpuset_parse("0-1", &p->cpu.housekeeping) == 0);
}

static void check_args(const Plan *p, const KargsEnv *env, const char *want) {
        _cleanup_free_ char *got = NULL;
        Strv l = {};

        check(kargs_from_plan(p, env, &l) == 0);
        got = kargs_join(&l);
        check_streq(got, want);
        strv_free(&l);
}

static void test_from_plan(void) {
        PlanHugepages h[2];
        Plan p;

        make_plan(&p, h, false);
        check_args(&p, &intel_6_1,
                   "default_hugepagesz=1G hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=1024 "
                   "isolcpus=managed_irq,domain,2-7 nohz_full=2-7 rcu_nocbs=2-7 irqaffinity=0-1 "
                   "intel_iommu=on iommu=pt");
        p.iommu = IOMMU_ON;
        p.datapath.hugepage_size_kb = 2048;
        check_args(&p, &amd_5_15,
                   "default_hugepagesz=2M hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=1024 "
                   "isolcpus=managed_irq,domain,2-7 nohz_full=2-7 rcu_nocbs=2-7 irqaffinity=0-1 "
                   "amd_iommu=on");
        p.iommu = IOMMU_OFF;
        p.cpu.set = false;
        p.n_hugepages = 0;
        check_args(&p, &intel_6_1, "intel_iommu=off");
        /* Without a known vendor only what does not depend on it. */
        p.iommu = IOMMU_PT;
        check_args(&p, &(KargsEnv) { 6, 1, CPU_VENDOR_UNKNOWN }, "iommu=pt");
        p.state = PLAN_INVALID;
        check_args(&p, &intel_6_1, "");
        check(kargs_plan_families(&p) == 0);
}

static void test_per_node(void) {
        PlanHugepages h[2];
        Plan p;

        make_plan(&p, h, true);
        p.cpu.set = false;
        p.iommu = IOMMU_UNSET;
        check_args(&p, &intel_6_1, "default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:3 hugepagesz=2M hugepages=1024");
        /* 5.15 has no per-node form: the total, which the kernel spreads over the nodes. */
        check_args(&p, &amd_5_15, "default_hugepagesz=1G hugepagesz=1G hugepages=5 hugepagesz=2M hugepages=1024");
        check_args(&p, &(KargsEnv) { 5, 16, CPU_VENDOR_INTEL },
                   "default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:3 hugepagesz=2M hugepages=1024");
        check(kargs_plan_families(&p) == KARGS_FAMILY_HUGEPAGES);
        /* A hand-made plan the config would refuse: the total does not wrap to 0. */
        h[0].node_count[0] = UINT_MAX;
        h[0].node_count[1] = 1;
        check_args(&p, &amd_5_15, "default_hugepagesz=1G hugepagesz=1G hugepages=4294967296 hugepagesz=2M hugepages=1024");
}

/* Every other CPU of all CPUSET_MAX: the longest CPU list there is, about 10 kB. */
static void test_long_cpu_list(void) {
        _cleanup_free_ char *got = NULL;
        Buf want = {}, list = {};
        Plan p = { .state = PLAN_ACTIVE, .cpu.set = true };
        Strv l = {};

        for (unsigned c = 0; c < CPUSET_MAX; c += 2) {
                cpuset_set(&p.cpu.isolated, c);
                cpuset_set(&p.cpu.housekeeping, c + 1);
        }
        for (unsigned c = 0; c < CPUSET_MAX; c += 2)
                check(buf_printf(&list, "%s%u", c ? "," : "", c) >= 0);
        check(list.len > 9000);
        check(buf_printf(&want, "isolcpus=managed_irq,domain,%s nohz_full=%s rcu_nocbs=%s irqaffinity=",
                         list.data, list.data, list.data) >= 0);
        for (unsigned c = 1; c < CPUSET_MAX; c += 2)
                check(buf_printf(&want, "%s%u", c > 1 ? "," : "", c) >= 0);
        check(kargs_from_plan(&p, &intel_6_1, &l) == 0);
        got = kargs_join(&l);
        check_streq(got, want.data);
        strv_free(&l);
        buf_free(&want);
        buf_free(&list);
}

static void test_kernel_release(void) {
        unsigned a, b;

        check(kernel_release_parse("6.1.0-18-amd64", &a, &b) == 0 && a == 6 && b == 1);
        check(kernel_release_parse("5.16", &a, &b) == 0 && a == 5 && b == 16);
        check(kernel_release_parse("5", &a, &b) < 0);
        check(kernel_release_parse("x.1", &a, &b) < 0);
        check(kernel_release_parse("", &a, &b) < 0);
        check(!kargs_per_node_supported(&(KargsEnv) {}));
}

static void check_merge(const char *line, unsigned families, const Strv *owned, const Strv *add,
                        const char *want) {
        _cleanup_free_ char *got = NULL, *again = NULL;

        check(kargs_merge(line, families, owned, add, &got) == 0);
        check_streq(got, want);
        /* Idempotent, with what the first run added recorded as ours (as the callers do). */
        check(kargs_merge(got, families, add, add, &again) == 0);
        check_streq(again, want);
}

static void test_merge(void) {
        char *a1[] = { "hugepagesz=1G", "hugepages=4", "iommu=pt", NULL };
        char *a2[] = { "hugepagesz=1G", "hugepages=8", NULL };
        Strv add = { a1, 3 }, add2 = { a2, 2 }, none = {};
        char *o[] = { "iommu=pt", NULL };
        Strv owned = { o, 1 };
        char *open_quote = NULL;

        /* Foreign words keep their bytes, spacing and order; the newline stays last. */
        check_merge("root=UUID=x  ro quiet\tsplash \"x=a b\"\n", KARGS_FAMILY_HUGEPAGES, NULL, &add,
                    "root=UUID=x  ro quiet\tsplash \"x=a b\" hugepagesz=1G hugepages=4 iommu=pt\n");
        /* Ours in the middle move to the end; a changed value replaces the old one. */
        check_merge("root=/dev/sda hugepagesz=1G hugepages=4 iommu=pt quiet", KARGS_FAMILY_HUGEPAGES,
                    &owned, &add2, "root=/dev/sda quiet hugepagesz=1G hugepages=8");
        /* Removing a setting: its family is no longer configured, but we wrote the word. */
        check_merge("ro iommu=pt quiet iommu=soft", 0, &owned, &none, "ro quiet iommu=soft");
        /* A family we configure owns the user's value of that key too. */
        check_merge("ro iommu=soft", KARGS_FAMILY_IOMMU, NULL, &none, "ro");
        /* A line whose words are all ours keeps its newline: lines are not joined, so a quote
         * left open on one line does not take the next one's words in (found by
         * fuzz/fuzz-bootloader: the words added at the end were inside the quote). */
        check_merge("root=x ro\niommu=pt quiet\n", 0, &owned, &none, "root=x ro\n quiet\n");
        check(kargs_merge("root=x rd\"\niommu=pt quiet\n", 0, &owned, &none, &open_quote) == 0);
        check_streq(open_quote, "root=x rd\"\n quiet\n");
        free(open_quote);
        open_quote = NULL;
        /* A quote the user left open on an earlier line: nothing is added. */
        check(kargs_merge("root=x rd\"\nquiet\n", 0, NULL, &add2, &open_quote) == -EBADMSG);
        check(!open_quote);
        /* Ours first; leading whitespace is kept. */
        check_merge("  iommu=pt ro", 0, &owned, &none, "  ro");
        check_merge("", 0, NULL, &add2, "hugepagesz=1G hugepages=8");
        check_merge("\n", 0, NULL, &add2, "hugepagesz=1G hugepages=8\n");
        check_merge("iommu=pt\n", 0, &owned, &none, "\n");
        /* Keys compare with - and _ equal, quotes do not hide a key. */
        check_merge("rcu-nocbs=1 \"isolcpus=2\" ro", KARGS_FAMILY_CPU, NULL, &none, "ro");
        /* ...but a quote inside the key is part of it, to the kernel's next_arg() as here: these
         * are not isolcpus (found by fuzz/fuzz-bootloader). */
        check_merge("\"\"isolcpus=2 isol\"cpus\"=3 \"isolcpus\"=4 \"isolcpus\" ro", KARGS_FAMILY_CPU, NULL, &none,
                    "\"\"isolcpus=2 isol\"cpus\"=3 \"isolcpus\"=4 ro");
        /* A quote left open: what is added would be inside it, so nothing is added; taking ours
         * out is still fine (found by fuzz/fuzz-bootloader). */
        check(kargs_merge("root=/dev/sda rhgb\"quiet\n", 0, NULL, &add2, &open_quote) == -EBADMSG);
        check(kargs_merge("a=\"x y\" b=\"", 0, NULL, &add2, &open_quote) == -EBADMSG);
        check(!open_quote);
        check_merge("iommu=pt a=\"x\n", 0, &owned, &none, "a=\"x\n");
        /* Taking out a word with an open quote keeps the newline: in a loader entry it ends the
         * options line, and without it the next line joined the options (found by
         * fuzz/fuzz-bootloader). */
        check_merge("ro hugepages=\"x\n", KARGS_FAMILY_HUGEPAGES, NULL, &none, "ro\n");
        /* The last line's words all ours: the rest of that line stays a line of its own, and a
         * quote open on the line before does not take it in (found by fuzz/fuzz-bootloader). */
        check_merge("a\nintel_iommu=N \"c\niommu=x \n", KARGS_FAMILY_IOMMU, NULL, &none, "a\n \"c\n");
        check_merge("ro\niommu=pt\n", KARGS_FAMILY_IOMMU, NULL, &add2, "ro hugepagesz=1G hugepages=8\n");
        /* ...nor the blanks left on a line whose words were all taken out (found by
         * fuzz/fuzz-bootloader: they went into the quote left open on the line before). */
        check_merge("a \"b\niommu=x \nc\niommu=y \n", KARGS_FAMILY_IOMMU, NULL, &none, "a \"b\nc\n");
        check_merge("a iommu=x\n\n  b iommu=y c\n", KARGS_FAMILY_IOMMU, NULL, &none, "a\n  b c\n");
        check_merge("a\n\nb\n", KARGS_FAMILY_IOMMU, NULL, &none, "a\n\nb\n");
        check_merge("a iommu=x\n\n\n", KARGS_FAMILY_IOMMU, NULL, &add2, "a hugepagesz=1G hugepages=8\n\n\n");
        check_merge("a\niommu=x\n\n", KARGS_FAMILY_IOMMU, NULL, &none, "a\n\n");
}

static void test_ours(void) {
        char *o[] = { "iommu=pt", NULL };
        Strv owned = { o, 1 }, l = {};
        _cleanup_free_ char *j = NULL;

        check(kargs_ours("ro hugepages=3 iommu=pt isolcpus=1 quiet", KARGS_FAMILY_HUGEPAGES, &owned, &l) == 0);
        j = kargs_join(&l);
        check_streq(j, "hugepages=3 iommu=pt");
        strv_free(&l);
}

static void check_missing(const char *cmdline, const char *needed, const char *want) {
        _cleanup_free_ char *copy = strdup(needed), *got = NULL;
        Strv n = {}, m = {};
        char *save = NULL;

        for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
                check(strv_push(&n, strdup(t)) == 0);
        check(kargs_missing(cmdline, &n, &m) == 0);
        got = kargs_join(&m);
        check_streq(got, want);
        strv_free(&n);
        strv_free(&m);
}

static void test_missing(void) {
        const char *need = "default_hugepagesz=1G hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512 "
                           "isolcpus=managed_irq,domain,1 intel_iommu=on iommu=pt";

        check_missing("ro", "", "");
        check_missing("ro quiet", need, need);
        check_missing("ro default_hugepagesz=1G hugepagesz=2M hugepages=512 hugepagesz=1G hugepages=4 "
                      "isolcpus=managed_irq,domain,1 intel-iommu=on iommu=pt", need, "");
        /* hugepages= belongs to the hugepagesz= before it. */
        check_missing("default_hugepagesz=1G hugepagesz=1G hugepages=512 hugepagesz=2M hugepages=4 "
                      "isolcpus=managed_irq,domain,1 intel_iommu=on iommu=pt", need,
                      "hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512");
        /* The last value counts. */
        check_missing("default_hugepagesz=1G hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512 "
                      "isolcpus=managed_irq,domain,1 intel_iommu=on iommu=pt iommu=nopt", need, "iommu=pt");
        check_missing("rcu_nocbs=2 rcu_nocbs=1 irqaffinity=0 irqaffinity=0-1", "rcu_nocbs=1 irqaffinity=0-1", "");
        /* ... but the kernel keeps the first default_hugepagesz=, isolcpus= and nohz_full= (a changed
         * isolcpus= after the user's old one loses to it) */
        check_missing("isolcpus=1 isolcpus=managed_irq,domain,1 nohz_full=2 nohz_full=1 default_hugepagesz=2M "
                      "default_hugepagesz=1G", "default_hugepagesz=1G isolcpus=managed_irq,domain,1 nohz_full=1",
                      "default_hugepagesz=1G isolcpus=managed_irq,domain,1 nohz_full=1");
        check_missing("isolcpus=managed_irq,domain,1 isolcpus=2 nohz_full=1 nohz_full=2",
                      "isolcpus=managed_irq,domain,1 nohz_full=1", "");
        /* ... and ignores a repeated hugepagesz= with the hugepages= after it, and a second
         * hugepages= of one hugepagesz= */
        check_missing("hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=512 hugepagesz=1G hugepages=4",
                      "hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512", "hugepagesz=1G hugepages=4");
        check_missing("hugepagesz=1G hugepagesz=2M hugepages=512 hugepagesz=1G hugepages=4",
                      "hugepagesz=1G hugepages=4", "hugepagesz=1G hugepages=4");
        check_missing("hugepagesz=1G hugepages=4 hugepages=1", "hugepagesz=1G hugepages=4", "");
        check_missing("hugepagesz=1G hugepages=1 hugepages=4", "hugepagesz=1G hugepages=4",
                      "hugepagesz=1G hugepages=4");
        check_missing("default_hugepagesz=1G hugepagesz=1G hugepages=0:2,1:2", "hugepagesz=1G hugepages=0:2,1:2", "");
        check_missing("isolcpus=\"managed_irq,domain,1\"", "isolcpus=managed_irq,domain,1", "");
        /* Values compare whole, quotes anywhere in them left out. */
        check_missing("iommu=p", "iommu=pt", "iommu=pt");
        check_missing("iommu=ptx", "iommu=pt", "iommu=pt");
        check_missing("intel_iommu=o\"n\"", "intel_iommu=on", "");
        check_missing("iommu= ", "iommu=", "");
        /* A word without '=' has the value "", and so has an argument without one. */
        check_missing("nosmt", "nosmt", "");
        check_missing("nosmt=1", "nosmt", "nosmt");
        check_missing("nosmt", "nosmt=", "");
        /* A hugepagesz without a value sizes no hugepages= after it. */
        check_missing("hugepagesz=1G hugepagesz hugepages=4", "hugepagesz=1G hugepages=4", "hugepagesz=1G hugepages=4");
        check_missing("hugepagesz hugepagesz=1G hugepages=4", "hugepagesz=1G hugepages=4", "");
        /* '-' and '_' are equal in keys, first characters included. */
        check_missing("-x=1 rcu-nocbs=2", "_x=1 rcu_nocbs=2", "");
        check_missing("x=1", "_x=1", "_x=1");
        /* A key longer than the 63 characters a word's key keeps is never found. */
        check_missing("k234567890123456789012345678901234567890123456789012345678901234=1",
                      "k234567890123456789012345678901234567890123456789012345678901234=1",
                      "k234567890123456789012345678901234567890123456789012345678901234=1");
}

static void test_hash(void) {
        char *a[] = { "a", "b", NULL }, *b[] = { "ab", NULL }, *c[] = { "a", "c", NULL };
        Strv x = { a, 2 }, y = { b, 1 }, z = { c, 2 }, e = {};

        check(kargs_hash(&x) == kargs_hash(&x));
        check(kargs_hash(&x) != kargs_hash(&y));
        check(kargs_hash(&x) != kargs_hash(&z));
        check(kargs_hash(&e) != kargs_hash(&x));
        check(kargs_key_family("hugepagesz") == KARGS_FAMILY_HUGEPAGES);
        check(kargs_key_family("rcu-nocbs") == KARGS_FAMILY_CPU);
        check(kargs_key_family("iommu") == KARGS_FAMILY_IOMMU);
        check(kargs_key_family("root") == 0);
}

int main(void) {
        test_from_plan();
        test_per_node();
        test_long_cpu_list();
        test_kernel_release();
        test_merge();
        test_ours();
        test_missing();
        test_hash();
        return 0;
}
