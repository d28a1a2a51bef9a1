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
        return 0;
}
