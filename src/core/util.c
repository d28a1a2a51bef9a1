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
                if (__builtin_mul_overflow(v, 10, &v) ||
                    __builtin_add_overflow(v, (uint64_t) (*p - '0'), &v))
                        return -ERANGE;
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

/* Digits by hand: snprintf() costs hundreds of instructions for a number, and the generator
 * writes several into every boot's units. */
char *format_uint64(uint64_t v, char buf[static 21]) {
        char digits[20];
        size_t n = 0;

        do {
                digits[n++] = (char) ('0' + v % 10);
                v /= 10;
        } while (v > 0);
        for (size_t i = 0; i < n; i++)
                buf[i] = digits[n - 1 - i];
        buf[n] = 0;
        return buf;
}

const char *format_page_size(uint64_t kb, char buf[static 16]) {
        const char *unit = "kB";
        uint32_t v = (uint32_t) (kb & UINT32_MAX);
        char digits[21];

        /* Page sizes are far below 4T kB; the 32 bits keep the output within 16 bytes. */
        if (kb % (1024 * 1024) == 0) {
                unit = "G";
                v = (uint32_t) (kb / (1024 * 1024) & UINT32_MAX);
        } else if (kb % 1024 == 0) {
                unit = "M";
                v = (uint32_t) (kb / 1024 & UINT32_MAX);
        }
        (void) stpcpy(stpcpy(buf, format_uint64(v, digits)), unit); /* 10 digits + 2 + NUL */
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

static bool is_cc(unsigned char c) {
        return c < ' ' || c == 0x7f;
}

/*
 * Sixteen bytes at a time with no early exit inside, so that the compiler checks them as one
 * vector: every config value passes here, and so does the datapath's command line, which has an
 * "-a <address>" per device.
 */
bool string_has_cc(const char *s) {
        size_t n = strlen(s), i = 0;

        for (; n - i >= 16; i += 16) {
                unsigned char cc = 0;

                for (size_t j = 0; j < 16; j++)
                        cc |= is_cc((unsigned char) s[i + j]);
                if (cc)
                        return true;
        }
        for (; i < n; i++)
                if (is_cc((unsigned char) s[i]))
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

/*
 * What systemd-escape does with each byte: ASCII letters and digits, ':', '_' and '.' stay, '/'
 * becomes '-', everything else (a '-' too, and every byte above 0x7f) becomes "\xNN". A table
 * rather than isalnum(): one lookup per byte, and no dependence on the locale.
 */
enum { ESCAPE_HEX, ESCAPE_KEEP, ESCAPE_SLASH };
static const unsigned char escape_class[256] = {
        ['0' ... '9'] = ESCAPE_KEEP,
        ['A' ... 'Z'] = ESCAPE_KEEP,
        ['a' ... 'z'] = ESCAPE_KEEP,
        [':'] = ESCAPE_KEEP,
        ['_'] = ESCAPE_KEEP,
        ['.'] = ESCAPE_KEEP,
        ['/'] = ESCAPE_SLASH,
};

static void escape_hex(char *t, unsigned char c) {
        static const char hex[] = "0123456789abcdef";

        t[0] = '\\';
        t[1] = 'x';
        t[2] = hex[c >> 4];
        t[3] = hex[c & 15];
}

int unit_name_escape_buf(const char *s, char *buf, size_t size) {
        const unsigned char *f = (const unsigned char *) s;
        size_t n = 0;

        /* A leading '.' too, as systemd-escape does: a unit file must not be hidden. */
        if (*f == '.') {
                if (size <= 4)
                        return -ENAMETOOLONG;
                escape_hex(buf, *f++);
                n = 4;
        }
        for (;;) {
                const unsigned char *run = f;

                /* Names are mostly characters that stay: those are copied in runs. NUL ends a
                 * run, as its class is ESCAPE_HEX. */
                while (escape_class[*f] == ESCAPE_KEEP)
                        f++;
                if (n + (size_t) (f - run) >= size)
                        return -ENAMETOOLONG;
                memcpy(buf + n, run, (size_t) (f - run));
                n += (size_t) (f - run);
                if (!*f)
                        break;
                if (escape_class[*f] == ESCAPE_SLASH) {
                        if (n + 1 >= size)
                                return -ENAMETOOLONG;
                        buf[n++] = '-';
                } else {
                        if (n + 4 >= size)
                                return -ENAMETOOLONG;
                        escape_hex(buf + n, *f);
                        n += 4;
                }
                f++;
        }
        buf[n] = 0;
        return (int) n;
}

char *unit_name_escape(const char *s) {
        size_t size = strlen(s) * 4 + 1;
        char *r = malloc(size);

        if (r)
                (void) unit_name_escape_buf(s, r, size); /* room for every byte escaped */
        return r;
}

int buf_reserve(Buf *b, size_t extra) {
        size_t need = b->len + extra + 1;
        char *n;

        if (extra >= SIZE_MAX - b->len)
                return -ENOMEM;
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

/*
 * Formatted once, by vasprintf(), which grows its own buffer: measuring with vsnprintf(NULL, 0)
 * first costs glibc some forty instructions per byte, and the datapath's command line, with an
 * EAL argument per device, passes here.
 */
int buf_printf(Buf *b, const char *fmt, ...) {
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (n < 0) {
                s = NULL; /* undefined after a failure */
                return errno == ENOMEM ? -ENOMEM : -EINVAL;
        }
        return buf_putn(b, s, (size_t) n);
}

int buf_put(Buf *b, const char *s) {
        return buf_putn(b, s, strlen(s));
}

int buf_extend_internal(Buf *b, ...) {
        va_list ap;
        size_t n = 0;
        char *t;

        va_start(ap, b);
        for (const char *s; (s = va_arg(ap, const char *));)
                n += strlen(s);
        va_end(ap);
        if (buf_reserve(b, n) < 0)
                return -ENOMEM;
        t = b->data + b->len;
        va_start(ap, b);
        for (const char *s; (s = va_arg(ap, const char *));)
                t = stpcpy(t, s);
        va_end(ap);
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

/* Each hex digit in lower case, 0 for any other byte. ASCII only, as the kernel writes addresses
 * (and as isxdigit() and tolower() read them in the C locale, which is ours). */
static const char hex_lower[256] = {
        ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
        ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
        ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
        ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
};

bool pci_address_normalize(const char *in, char out[static 13]) {
        static const unsigned char hex_at[] = { 0, 1, 2, 3, 5, 6, 8, 9 };
        char buf[13];
        size_t n;

        if (!in)
                return false;
        n = strlen(in);
        if (n == 7) {           /* "BB:DD.F" without the domain */
                memcpy(buf, "0000:", 5);
                memcpy(buf + 5, in, 8);
        } else if (n == 12)
                memcpy(buf, in, 13);
        else
                return false;
        if (buf[4] != ':' || buf[7] != ':' || buf[10] != '.' || buf[11] < '0' || buf[11] > '7')
                return false;
        for (size_t i = 0; i < ELEMENTSOF(hex_at); i++) {
                char c = hex_lower[(unsigned char) buf[hex_at[i]]];

                if (!c)
                        return false;
                buf[hex_at[i]] = c;
        }
        /* Device numbers go up to 0x1f: a first digit above 1 is too large. */
        if (buf[8] > '1')
                return false;
        memcpy(out, buf, 13);
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

int unit_value_escape(const char *s, char **ret) {
        _cleanup_(buf_free) Buf b = {};

        if (!s) {
                *ret = NULL;
                return 0;
        }
        if (string_has_cc(s))
                return -EINVAL;
        for (const char *c = s; *c; c++) {
                int r = *c == '%' ? buf_put(&b, "%%") : buf_putn(&b, c, 1);

                if (r < 0)
                        return r;
        }
        *ret = b.data ?: strdup("");
        b = (Buf) {};
        return *ret ? 0 : -ENOMEM;
}

char *escape_cc(const char *s) {
        _cleanup_(buf_free) Buf b = {};
        char *r;

        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
                int k;

                if (*c < 0x20 || *c == 0x7f)
                        k = buf_printf(&b, "\\x%02x", *c);
                else if (*c == '\\')
                        k = buf_put(&b, "\\\\");
                else
                        k = buf_putn(&b, (const char *) c, 1);
                if (k < 0)
                        return NULL;
        }
        r = b.data ?: strdup("");
        b = (Buf) {};
        return r;
}

uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}
