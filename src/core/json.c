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

/* What a JSON string cannot hold as it is: the quote, the backslash and the control characters;
 * and what is not ASCII, which must be checked for UTF-8. */
static bool json_special(char c) {
        return c == '"' || c == '\\' || (unsigned char) c < 0x20 || (unsigned char) c >= 0x7f;
}

static bool is_continuation(unsigned char c, unsigned char lo, unsigned char hi) {
        return c >= lo && c <= hi;
}

/* The length of the well-formed UTF-8 character at s (RFC 3629 table 3-7: no overlong form, no
 * surrogate, nothing beyond U+10FFFF), 0 if there is none. Stops at the NUL, which is no
 * continuation byte. */
static size_t utf8_char_len(const char *str) {
        const unsigned char *s = (const unsigned char *) str;
        unsigned char lo = 0x80, hi = 0xbf;
        size_t n;

        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                n = 3;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                n = 4;
        else
                return 0;
        if (s[0] == 0xe0)
                lo = 0xa0;
        else if (s[0] == 0xed)
                hi = 0x9f;
        else if (s[0] == 0xf0)
                lo = 0x90;
        else if (s[0] == 0xf4)
                hi = 0x8f;
        if (!is_continuation(s[1], lo, hi))
                return 0;
        for (size_t i = 2; i < n; i++)
                if (!is_continuation(s[i], 0x80, 0xbf))
                        return 0;
        return n;
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
                        if ((unsigned char) *s >= 0x80) {
                                size_t k = utf8_char_len(s);

                                if (k == 0)
                                        puts_(w, "\\ufffd");
                                put(w, s, k);
                                s += k ?: 1;
                                continue;
                        }
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
