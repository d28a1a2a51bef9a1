/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>

#include "json.h"

void json_init(JsonWriter *w, FILE *f) {
        assert(w);
        assert(f);

        *w = (JsonWriter) { .f = f, .first[0] = true };
}

static void json_indent(JsonWriter *w) {
        for (unsigned i = 0; i < w->depth; i++)
                fputs("  ", w->f);
}

static void json_escaped(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                switch (*p) {
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                case '\r':
                        fputs("\\r", f);
                        break;
                default:
                        if (*p < 0x20 || *p == 0x7f)
                                fprintf(f, "\\u%04x", *p);
                        else
                                fputc(*p, f);
                }
        fputc('"', f);
}

/* The separator, indentation and "key": before every value. */
static void json_member(JsonWriter *w, const char *key) {
        if (w->depth > 0) {
                fputs(w->first[w->depth] ? "\n" : ",\n", w->f);
                json_indent(w);
        }
        w->first[w->depth] = false;

        if (key) {
                json_escaped(w->f, key);
                fputs(": ", w->f);
        }
}

static void json_open(JsonWriter *w, const char *key, char c) {
        json_member(w, key);
        fputc(c, w->f);
        assert(w->depth + 1 < JSON_MAX_DEPTH);
        w->depth++;
        w->first[w->depth] = true;
}

static void json_close(JsonWriter *w, char c) {
        bool empty;

        assert(w->depth > 0);
        empty = w->first[w->depth];
        w->depth--;
        if (!empty) {
                fputc('\n', w->f);
                json_indent(w);
        }
        fputc(c, w->f);
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
                json_escaped(w->f, value);
        else
                fputs("null", w->f);
}

void json_int(JsonWriter *w, const char *key, int64_t value) {
        json_member(w, key);
        fprintf(w->f, "%" PRIi64, value);
}

void json_uint(JsonWriter *w, const char *key, uint64_t value) {
        json_member(w, key);
        fprintf(w->f, "%" PRIu64, value);
}

void json_bool(JsonWriter *w, const char *key, bool value) {
        json_member(w, key);
        fputs(value ? "true" : "false", w->f);
}

void json_null(JsonWriter *w, const char *key) {
        json_member(w, key);
        fputs("null", w->f);
}

void json_strv(JsonWriter *w, const char *key, const Strv *l) {
        assert(l);

        json_begin_array(w, key);
        for (size_t i = 0; i < l->n; i++)
                json_string(w, NULL, l->v[i]);
        json_end_array(w);
}

int json_finish(JsonWriter *w) {
        assert(w->depth == 0);

        fputc('\n', w->f);
        if (fflush(w->f) != 0 || ferror(w->f))
                return errno > 0 ? -errno : -EIO;
        return 0;
}
