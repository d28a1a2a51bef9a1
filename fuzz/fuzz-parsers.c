/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The small parsers every config value and sysfs attribute goes through: CPU lists, page sizes,
 * bounded integers, booleans, PCI addresses, and the unit-name escaping of their results.
 * Besides memory and UB errors, each checks what its result promises (a CPU list formats and
 * parses back to itself, a page size formats to something that parses to the same size, ...).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fuzz-common.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cpuset(const char *s) {
        /* Worst case "0,2,4,...,4094": 2048 entries of up to 5 bytes. */
        static char buf[16384];
        CpuSet a, b;

        if (cpuset_parse(s, &a) < 0)
                return;
        if (cpuset_format(&a, buf, sizeof(buf)) < 0)
                fuzz_fail("cpuset_format failed for \"%s\"", s);
        if (cpuset_parse(buf, &b) < 0 || memcmp(&a, &b, sizeof(a)) != 0)
                fuzz_fail("cpuset \"%s\" formats to \"%s\", which parses differently", s, buf);
        if (cpuset_is_empty(&a) != (cpuset_first(&a) < 0) || cpuset_is_empty(&a) != (buf[0] == 0))
                fuzz_fail("cpuset \"%s\": empty, first and format disagree", s);
        /* A short buffer must fail cleanly, never overrun. */
        if (buf[0]) {
                size_t len = strlen(buf);
                char *small = malloc(len);

                if (!small || cpuset_format(&a, small, len) != -ENOBUFS)
                        fuzz_fail("cpuset_format into %zu bytes did not say ENOBUFS", len);
                free(small);
        }
}

static void check_page_size(const char *s) {
        char fmt[16];
        uint64_t kb, again;

        if (parse_page_size_kb(s, &kb) < 0)
                return;
        if (kb == 0)
                fuzz_fail("page size \"%s\" parsed to 0", s);
        format_page_size(kb, fmt);
        if (kb < (UINT64_C(1) << 32) && (parse_page_size_kb(fmt, &again) < 0 || again != kb))
                fuzz_fail("page size \"%s\" = %" PRIu64 " kB formats to \"%s\"", s, kb, fmt);
}

static void check_numbers(const char *s) {
        uint64_t u64;
        unsigned u;
        int i;

        if (safe_atou64(s, &u64) == 0) {
                if (!*s || strspn(s, "0123456789") != strlen(s))
                        fuzz_fail("safe_atou64 took \"%s\"", s);
                if (strtoull(s, NULL, 10) != u64)
                        fuzz_fail("safe_atou64(\"%s\") = %" PRIu64, s, u64);
        }
        if (safe_atou(s, &u) == 0 && (safe_atou64(s, &u64) < 0 || u64 != u))
                fuzz_fail("safe_atou(\"%s\") = %u", s, u);
        if (safe_atoi(s, &i) == 0 && strtoll(s, NULL, 10) != i)
                fuzz_fail("safe_atoi(\"%s\") = %d", s, i);
        (void) parse_boolean(s);
}

static void check_pci(const char *s) {
        char out[13], again[13];

        if (!pci_address_normalize(s, out))
                return;
        if (strlen(out) != 12 || !pci_address_normalize(out, again) || !streq(out, again))
                fuzz_fail("PCI address \"%s\" normalises to \"%s\", not a fixed point", s, out);
        for (size_t k = 0; k < 12; k++)
                if (isupper((unsigned char) out[k]) || out[k] == '/' || (out[k] == '.' && k != 10))
                        fuzz_fail("PCI address \"%s\" normalises to \"%s\"", s, out);
}

static void check_escape(const char *s) {
        char *e = unit_name_escape(s);

        if (!e)
                abort();
        for (const char *p = e; *p; p++)
                if (!isalnum((unsigned char) *p) && !strchr(":_.\\-", *p))
                        fuzz_fail("unit_name_escape(\"%s\") = \"%s\"", s, e);
        if (e[0] == '.')
                fuzz_fail("unit_name_escape(\"%s\") starts with a dot", s);
        free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1), *copy;

        if (!s)
                return 0;
        memcpy(s, data, size);
        s[size] = 0;   /* the parsers take C strings: an embedded NUL ends the input */

        check_cpuset(s);
        check_page_size(s);
        check_numbers(s);
        check_pci(s);
        check_escape(s);
        if (cmdline_key_eq(s, "dpdk.bind") != cmdline_key_eq("dpdk.bind", s))
                fuzz_fail("cmdline_key_eq is not symmetric for \"%s\"", s);
        copy = strdup(s);
        if (copy) {
                char *t = strip(copy);

                if (*t && (isspace((unsigned char) *t) || isspace((unsigned char) t[strlen(t) - 1])))
                        fuzz_fail("strip(\"%s\") left whitespace", s);
                free(copy);
        }
        free(s);
        return 0;
}
