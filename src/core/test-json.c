/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "json.h"
#include "test-util.h"

/* Runs a writer into memory and returns what it wrote. */
typedef void (*writer_fn)(JsonWriter *w);

static char *render(writer_fn fn) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        JsonWriter w;

        check(f);
        json_init(&w, f);
        fn(&w);
        check(json_finish(&w) == 0);
        check(fclose(f) == 0);
        return buf;
}

static void write_escapes(JsonWriter *w) {
        json_begin_object(w, NULL);
        json_string(w, "s", "a\"b\\c\nd\te\x01" "f\x7f");
        json_string(w, "null", NULL);
        json_end_object(w);
}

static void test_escapes(void) {
        _cleanup_free_ char *s = render(write_escapes);

        check_streq(s, "{\n  \"s\": \"a\\\"b\\\\c\\nd\\te\\u0001f\\u007f\",\n  \"null\": null\n}\n");
}

/* One string value, as json_string() writes it. */
static const char *utf8_in;

static void write_one(JsonWriter *w) {
        json_string(w, NULL, utf8_in);
}

static void check_utf8(const char *in, const char *want) {
        _cleanup_free_ char *s = NULL;

        utf8_in = in;
        s = render(write_one);
        check_streq(s, want);
}

static void test_utf8(void) {
        /* valid sequences of 2, 3 and 4 bytes, and the last code points before each limit */
        check_utf8("\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"\n");
        check_utf8("\xe2\x82\xac \xf0\x9f\x98\x80", "\"\xe2\x82\xac \xf0\x9f\x98\x80\"\n");
        check_utf8("\xc2\x80\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\"\xc2\x80\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf\"\n");
        check_utf8("\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\"\n");
        /* bytes that never start a character, a lone continuation byte */
        check_utf8("a\xff" "b", "\"a\\ufffd" "b\"\n");
        check_utf8("\xfe\x80", "\"\\ufffd\\ufffd\"\n");
        /* truncated: at the end, and before an ASCII byte */
        check_utf8("\xc3", "\"\\ufffd\"\n");
        check_utf8("\xe2\x82", "\"\\ufffd\\ufffd\"\n");
        check_utf8("\xf0\x9f\x98x", "\"\\ufffd\\ufffd\\ufffdx\"\n");
        /* overlong encodings of '/' and of U+07FF, U+FFFF */
        check_utf8("\xc0\xaf", "\"\\ufffd\\ufffd\"\n");
        check_utf8("\xc1\xbf", "\"\\ufffd\\ufffd\"\n");
        check_utf8("\xe0\x9f\xbf", "\"\\ufffd\\ufffd\\ufffd\"\n");
        check_utf8("\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n");
        /* surrogates U+D800 and U+DFFF, and beyond U+10FFFF */
        check_utf8("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"\n");
        check_utf8("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"\n");
        check_utf8("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n");
        check_utf8("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n");
}

static void write_nested(JsonWriter *w) {
        Strv l = {};

        check(strv_pushf(&l, "x") == 0);
        check(strv_pushf(&l, "y") == 0);
        json_begin_object(w, NULL);
        json_begin_array(w, "empty");
        json_end_array(w);
        json_begin_object(w, "o");
        json_int(w, "neg", -3);
        json_uint(w, "big", UINT64_MAX);
        json_bool(w, "t", true);
        json_end_object(w);
        json_strv(w, "l", &l);
        json_end_object(w);
        strv_free(&l);
}

static void test_nested(void) {
        _cleanup_free_ char *s = render(write_nested);

        check_streq(s, "{\n"
                       "  \"empty\": [],\n"
                       "  \"o\": {\n"
                       "    \"neg\": -3,\n"
                       "    \"big\": 18446744073709551615,\n"
                       "    \"t\": true\n"
                       "  },\n"
                       "  \"l\": [\n"
                       "    \"x\",\n"
                       "    \"y\"\n"
                       "  ]\n"
                       "}\n");
}

int main(void) {
        test_escapes();
        test_nested();
        test_utf8();
        return 0;
}
