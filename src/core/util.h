/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define streq(a, b) (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)
#define strcaseeq(a, b) (strcasecmp((a), (b)) == 0)
#define startswith(s, prefix) (strncmp((s), (prefix), strlen(prefix)) == 0)

static inline bool isempty(const char *s) {
        return !s || !*s;
}

/* What printf() makes of a NULL "%s": text made from a hand-made plan (tests, fuzzers) shows an
 * unset name rather than stopping short at it. */
static inline const char *str_or_null(const char *s) {
        return s ?: "(null)";
}

/* qsort() that takes an empty array as NULL: qsort()'s base is declared nonnull even for no
 * elements, and fewer than two need no sorting anyway. */
static inline void qsort_safe(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
        if (n > 1)
                qsort(base, n, size, cmp);
}

/* 1/yes/y/true/t/on and 0/no/n/false/f/off, case-insensitive, as systemd parses booleans. */
int parse_boolean(const char *s);

/* Bounded decimal parsers: no sign, no trailing junk, overflow is -ERANGE. */
int safe_atou(const char *s, unsigned *ret);
int safe_atou64(const char *s, uint64_t *ret);
int safe_atoi(const char *s, int *ret);

/* "2M", "1G", "2048kB", "1048576" (kB) -> kB. Only the page sizes Linux knows matter here. */
int parse_page_size_kb(const char *s, uint64_t *ret_kb);
/* v in decimal; returns buf. */
char *format_uint64(uint64_t v, char buf[static 21]);

/* FNV-1a, 64 bits: tells two inputs apart, defends against no one. Start from FNV1A_INIT. */
#define FNV1A_INIT UINT64_C(0xcbf29ce484222325)
uint64_t fnv1a(uint64_t h, const void *data, size_t n);
/* 2048 -> "2M", 1048576 -> "1G"; returns buf. */
const char *format_page_size(uint64_t kb, char buf[static 16]);

char *strdup_or_null(const char *s);
char *strjoin3(const char *a, const char *b, const char *c);
char *strip(char *s);
bool startswith_no_case(const char *s, const char *prefix);
bool string_has_cc(const char *s);
/* s with each control character as \xNN (and each backslash doubled), for a message. */
char *escape_cc(const char *s);
/* A directory of a file mode: whoever may read or write in it may also enter it (0660 -> 0770). */
unsigned mode_for_directory(unsigned mode);
/* Kernel-command-line key comparison: '-' and '_' are equal. */
bool cmdline_key_eq(const char *a, const char *b);

/* systemd-escape(1) for unit instance names. */
char *unit_name_escape(const char *s);
/* A value for a unit setting that expands specifiers (SourcePath=, Description=): '%' doubled.
 * -EINVAL for a control character, which no unit line can hold; NULL stays NULL. */
int unit_value_escape(const char *s, char **ret);
/* The same into buf: the length written (without the NUL), or -ENAMETOOLONG if it does not fit. */
int unit_name_escape_buf(const char *s, char *buf, size_t size);

/* Dynamic string buffer. */
typedef struct Buf {
        char *data;
        size_t len, cap;
} Buf;
int buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_put(Buf *b, const char *s);
/* Appends every string up to the NULL, or nothing if memory runs out (like systemd's strextend()). */
int buf_extend_internal(Buf *b, ...) __attribute__((sentinel));
#define buf_extend(b, ...) buf_extend_internal((b), __VA_ARGS__, (const char *) NULL)
/* Room for extra more bytes and the NUL, so that an append of several parts cannot stop halfway. */
int buf_reserve(Buf *b, size_t extra);
/* Whether b has room for extra more bytes and the NUL, made now if it has not: inline, as most
 * appends find room. */
static inline bool buf_room(Buf *b, size_t extra) {
        return extra < b->cap - b->len || buf_reserve(b, extra) >= 0;
}
/* Inline: most calls find room and copy a few bytes. */
static inline int buf_putn(Buf *b, const char *s, size_t n) {
        if (!buf_room(b, n))
                return -ENOMEM;
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = 0;
        return 0;
}
void buf_free(Buf *b);

/* A list of owned strings. */
typedef struct Strv {
        char **v;
        size_t n;
} Strv;
int strv_push(Strv *l, char *s);          /* takes ownership; frees s on failure */
int strv_pushf(Strv *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strv_contains(const Strv *l, const char *s);
void strv_free(Strv *l);

/* PCI address "DDDD:BB:DD.F", normalised to lower case with the domain; false if malformed. */
bool pci_address_normalize(const char *in, char out[static 13]);
