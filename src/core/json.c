/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "json.h"

/*
 * The document is made in memory and written at json_finish(): one write of the whole text
 * instead of a stdio call per piece (the generator writes one at every boot), and a stream error
 * is found in one place.
 */

void json_init(JsonWriter *w, FILE *f) {
        assert(w);
        assert(f);

        *w = (JsonWriter) { .f = f, .first[0] = true };
}

static void put(JsonWriter *w, const char *s, size_t n) {
        if (w->error == 0 && buf_putn(&w->out, s, n) < 0)
                w->error = -ENOMEM;
}

static void puts_(JsonWriter *w, const char *s) {
        put(w, s, strlen(s));
}

/* A newline and two spaces per level. */
static void newline_indent(JsonWriter *w) {
        static const char spaces[2 * JSON_MAX_DEPTH + 1] = "\n                                ";

        put(w, spaces, 1 + 2 * w->depth);
}

/* What a JSON string cannot hold as it is: the quote, the backslash and the control characters. */
static bool json_special(char c) {
        return c == '"' || c == '\\' || (unsigned char) c < 0x20 || c == 0x7f;
}

static void json_escaped(JsonWriter *w, const char *s) {
        put(w, "\"", 1);
        for (;;) {
                char u[8];
                size_t n = 0;

                while (s[n] && !json_special(s[n]))
                        n++;
                put(w, s, n);
                s += n;
                if (!*s)
                        break;
                switch (*s) {
                case '"':
                        puts_(w, "\\\"");
                        break;
                case '\\':
                        puts_(w, "\\\\");
                        break;
                case '\n':
                        puts_(w, "\\n");
                        break;
                case '\t':
                        puts_(w, "\\t");
                        break;
                case '\r':
                        puts_(w, "\\r");
                        break;
                default:
                        (void) snprintf(u, sizeof(u), "\\u%04x", (unsigned) (unsigned char) *s);
                        puts_(w, u);
                }
                s++;
        }
        put(w, "\"", 1);
}

/* The separator, indentation and "key": before every value. Member names are the program's own
 * words (json.h), written as they are. */
static void json_member(JsonWriter *w, const char *key) {
        if (w->depth > 0) {
                if (!w->first[w->depth])
                        put(w, ",", 1);
                newline_indent(w);
        }
        w->first[w->depth] = false;

        if (key) {
                put(w, "\"", 1);
                puts_(w, key);
                put(w, "\": ", 3);
        }
}

static void json_open(JsonWriter *w, const char *key, char c) {
        json_member(w, key);
        put(w, &c, 1);
        assert(w->depth + 1 < JSON_MAX_DEPTH);
        w->depth++;
        w->first[w->depth] = true;
}

static void json_close(JsonWriter *w, char c) {
        bool empty;

        assert(w->depth > 0);
        empty = w->first[w->depth];
        w->depth--;
        if (!empty)
                newline_indent(w);
        put(w, &c, 1);
}

void json_begin_object(JsonWriter *w, const char *key) {
        json_open(w, key, '{');
}

void json_end_object(JsonWriter *w) {
        json_close(w, '}');
}

void json_begin_array(JsonWriter *w, const char *key) {
        json_open(w, key, '[');
}

void json_end_array(JsonWriter *w) {
        json_close(w, ']');
}

void json_string(JsonWriter *w, const char *key, const char *value) {
        json_member(w, key);
        if (value)
                json_escaped(w, value);
        else
                puts_(w, "null");
}

void json_int(JsonWriter *w, const char *key, int64_t value) {
        char s[24];

        json_member(w, key);
        (void) snprintf(s, sizeof(s), "%" PRIi64, value);
        puts_(w, s);
}

void json_uint(JsonWriter *w, const char *key, uint64_t value) {
        char s[24];

        json_member(w, key);
        (void) snprintf(s, sizeof(s), "%" PRIu64, value);
        puts_(w, s);
}

void json_bool(JsonWriter *w, const char *key, bool value) {
        json_member(w, key);
        puts_(w, value ? "true" : "false");
}

void json_null(JsonWriter *w, const char *key) {
        json_member(w, key);
        puts_(w, "null");
}

void json_strv(JsonWriter *w, const char *key, const Strv *l) {
        assert(l);

        json_begin_array(w, key);
        for (size_t i = 0; i < l->n; i++)
                json_string(w, NULL, l->v[i]);
        json_end_array(w);
}

int json_finish(JsonWriter *w) {
        int r = w->error;

        assert(w->depth == 0);

        put(w, "\n", 1);
        if (r == 0)
                r = w->error;
        if (r == 0 && (fwrite(w->out.data, 1, w->out.len, w->f) != w->out.len || fflush(w->f) != 0 ||
                       ferror(w->f)))
                r = errno > 0 ? -errno : -EIO;
        buf_free(&w->out);
        return r;
}
