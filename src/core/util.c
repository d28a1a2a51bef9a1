/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "cleanup.h"
#include "util.h"

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

int safe_atou64(const char *s, uint64_t *ret) {
        uint64_t v = 0;

        if (isempty(s))
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                if (v > (UINT64_MAX - (uint64_t) (*p - '0')) / 10)
                        return -ERANGE;
                v = v * 10 + (uint64_t) (*p - '0');
        }
        *ret = v;
        return 0;
}

int safe_atou(const char *s, unsigned *ret) {
        uint64_t v;
        int r;

        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

int safe_atoi(const char *s, int *ret) {
        unsigned v;
        int r;

        if (s && *s == '-') {
                r = safe_atou(s + 1, &v);
                if (r < 0)
                        return r;
                if (v > (unsigned) INT32_MAX + 1)
                        return -ERANGE;
                *ret = (int) -(int64_t) v;
                return 0;
        }
        r = safe_atou(s, &v);
        if (r < 0)
                return r;
        if (v > INT32_MAX)
                return -ERANGE;
        *ret = (int) v;
        return 0;
}

int parse_page_size_kb(const char *s, uint64_t *ret_kb) {
        static const struct {
                const char *suffix;
                uint64_t factor_kb;
        } units[] = {
                { "kB", 1 }, { "KB", 1 }, { "K", 1 }, { "k", 1 },
                { "M", 1024 }, { "MB", 1024 }, { "G", 1024 * 1024 }, { "GB", 1024 * 1024 },
        };
        char num[32];
        size_t n = 0;
        uint64_t v;

        if (isempty(s))
                return -EINVAL;
        while (s[n] >= '0' && s[n] <= '9')
                n++;
        if (n == 0 || n >= sizeof(num))
                return -EINVAL;
        memcpy(num, s, n);
        num[n] = 0;
        if (safe_atou64(num, &v) < 0)
                return -ERANGE;

        if (s[n] == 0) {
                /* A bare number is kB, as in the kernel's hugepages-<n>kB directory names. */
                if (v == 0)
                        return -EINVAL;
                *ret_kb = v;
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (streq(s + n, units[i].suffix)) {
                        if (v == 0 || v > UINT64_MAX / units[i].factor_kb)
                                return -ERANGE;
                        *ret_kb = v * units[i].factor_kb;
                        return 0;
                }
        return -EINVAL;
}

const char *format_page_size(uint64_t kb, char buf[static 16]) {
        /* Page sizes are far below 4T kB; the casts keep the output within 16 bytes. */
        if (kb % (1024 * 1024) == 0)
                (void) snprintf(buf, 16, "%uG", (unsigned) (kb / (1024 * 1024) & UINT32_MAX));
        else if (kb % 1024 == 0)
                (void) snprintf(buf, 16, "%uM", (unsigned) (kb / 1024 & UINT32_MAX));
        else
                (void) snprintf(buf, 16, "%ukB", (unsigned) (kb & UINT32_MAX));
        return buf;
}

char *strdup_or_null(const char *s) {
        return s ? strdup(s) : NULL;
}

/* Plain copies: path building runs hundreds of times per boot, and printf-style formatting
 * was half of the generator's instructions (bench/). */
char *strjoin3(const char *a, const char *b, const char *c) {
        size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, lc = c ? strlen(c) : 0;
        char *s = malloc(la + lb + lc + 1);

        if (!s)
                return NULL;
        memcpy(s, a ?: "", la);
        memcpy(s + la, b ?: "", lb);
        memcpy(s + la + lb, c ?: "", lc);
        s[la + lb + lc] = 0;
        return s;
}

char *strip(char *s) {
        char *e;

        while (isspace((unsigned char) *s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char) e[-1]))
                *--e = 0;
        return s;
}

bool string_has_cc(const char *s) {
        for (; *s; s++)
                if ((unsigned char) *s < ' ' || *s == 0x7f)
                        return true;
        return false;
}

bool cmdline_key_eq(const char *a, const char *b) {
        for (;; a++, b++) {
                char x = *a, y = *b;

                if (x == '_')
                        x = '-';
                if (y == '_')
                        y = '-';
                if (x != y)
                        return false;
                if (x == 0)
                        return true;
        }
}

char *unit_name_escape(const char *s) {
        static const char hex[] = "0123456789abcdef";
        char *r, *t;

        r = malloc(strlen(s) * 4 + 1);
        if (!r)
                return NULL;
        t = r;
        for (const char *f = s; *f; f++) {
                unsigned char c = (unsigned char) *f;

                if (c == '/')
                        *t++ = '-';
                else if ((f == s && c == '.') ||
                         !(isalnum(c) || c == ':' || c == '_' || c == '.')) {
                        *t++ = '\\';
                        *t++ = 'x';
                        *t++ = hex[c >> 4];
                        *t++ = hex[c & 15];
                } else
                        *t++ = (char) c;
        }
        *t = 0;
        return r;
}

static int buf_reserve(Buf *b, size_t extra) {
        size_t need = b->len + extra + 1;
        char *n;

        if (need <= b->cap)
                return 0;
        if (need < b->cap * 2)
                need = b->cap * 2;
        if (need < 64)
                need = 64;
        n = realloc(b->data, need);
        if (!n)
                return -ENOMEM;
        b->data = n;
        b->cap = need;
        return 0;
}

int buf_printf(Buf *b, const char *fmt, ...) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -EINVAL;
        if (buf_reserve(b, (size_t) n) < 0)
                return -ENOMEM;
        va_start(ap, fmt);
        (void) vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap); /* n was measured above */
        va_end(ap);
        b->len += (size_t) n;
        return 0;
}

int buf_put(Buf *b, const char *s) {
        size_t n = strlen(s);

        if (buf_reserve(b, n) < 0)
                return -ENOMEM;
        memcpy(b->data + b->len, s, n + 1);
        b->len += n;
        return 0;
}

void buf_free(Buf *b) {
        free(b->data);
        *b = (Buf) {};
}

int strv_push(Strv *l, char *s) {
        char **n;

        if (!s)
                return -ENOMEM;
        n = realloc(l->v, sizeof(char *) * (l->n + 2));
        if (!n) {
                free(s);
                return -ENOMEM;
        }
        l->v = n;
        l->v[l->n++] = s;
        l->v[l->n] = NULL;
        return 0;
}

int strv_pushf(Strv *l, const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return strv_push(l, s);
}

bool strv_contains(const Strv *l, const char *s) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->v[i], s))
                        return true;
        return false;
}

void strv_free(Strv *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        *l = (Strv) {};
}

static bool all_hex(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!isxdigit((unsigned char) s[i]))
                        return false;
        return true;
}

bool pci_address_normalize(const char *in, char out[static 13]) {
        char buf[13];
        size_t n;

        if (!in)
                return false;
        n = strlen(in);
        if (n == 7)             /* "BB:DD.F" without the domain */
                (void) snprintf(buf, sizeof(buf), "0000:%s", in); /* 5 + 7 + 1 bytes */
        else if (n == 12)
                memcpy(buf, in, 13);
        else
                return false;
        if (!all_hex(buf, 4) || buf[4] != ':' || !all_hex(buf + 5, 2) || buf[7] != ':' ||
            !all_hex(buf + 8, 2) || buf[10] != '.' || buf[11] < '0' || buf[11] > '7')
                return false;
        /* Device numbers go up to 0x1f. */
        if (strtoul((char[]) { buf[8], buf[9], 0 }, NULL, 16) > 0x1f)
                return false;
        for (size_t i = 0; i < 12; i++)
                out[i] = (char) tolower((unsigned char) buf[i]);
        out[12] = 0;
        return true;
}

bool startswith_no_case(const char *s, const char *prefix) {
        return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

unsigned mode_for_directory(unsigned mode) {
        unsigned m = mode;

        for (unsigned shift = 0; shift <= 6; shift += 3)
                if (mode >> shift & 06)
                        m |= 01u << shift;
        return m;
}
