/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>

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
}

static void test_boolean(void) {
        check(parse_boolean("yes") == 1 && parse_boolean("On") == 1 && parse_boolean("1") == 1);
        check(parse_boolean("no") == 0 && parse_boolean("OFF") == 0 && parse_boolean("0") == 0);
        check(parse_boolean("maybe") == -EINVAL && parse_boolean("") == -EINVAL);
}

int main(void) {
        test_safe_atou();
        test_page_size();
        test_pci_address();
        test_escape();
        test_boolean();
        return 0;
}
