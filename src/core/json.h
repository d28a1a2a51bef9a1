/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/*
 * A small streaming JSON writer: enough for `status --json` and `plan --json`. Every value
 * function takes the member name, or NULL inside an array; member names are the program's own
 * words (lower case, digits, '_', '-', '.'), written as they are. Output is indented by two
 * spaces, string values are escaped (quote, backslash, control characters), nothing else is
 * interpreted. The output is always valid UTF-8: a well-formed UTF-8 character of a value is
 * written as it is, and each byte that is not part of one (a stray byte such as 0xff, a truncated
 * sequence, an overlong form, a surrogate U+D800..U+DFFF, anything beyond U+10FFFF) as \ufffd,
 * the replacement character.
 */

#define JSON_MAX_DEPTH 16

typedef struct JsonWriter {
        FILE *f;
        Buf out;               /* the document so far, written to f by json_finish() */
        int error;             /* -ENOMEM once an append failed */
        unsigned depth;
        bool first[JSON_MAX_DEPTH];
} JsonWriter;

void json_init(JsonWriter *w, FILE *f);
void json_begin_object(JsonWriter *w, const char *key);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w, const char *key);
void json_end_array(JsonWriter *w);
void json_string(JsonWriter *w, const char *key, const char *value); /* NULL writes null */
void json_int(JsonWriter *w, const char *key, int64_t value);
void json_uint(JsonWriter *w, const char *key, uint64_t value);
void json_bool(JsonWriter *w, const char *key, bool value);
void json_null(JsonWriter *w, const char *key);
/* An array of strings. */
void json_strv(JsonWriter *w, const char *key, const Strv *l);
/* Ends the document with a newline and writes it to the stream; returns -ENOMEM if memory ran
 * out, -errno (or -EIO) if the stream failed. Every writer must be finished: it frees the text. */
int json_finish(JsonWriter *w);
