/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"

static int parse_cpu(const char **p, unsigned *ret) {
        unsigned v = 0;
        const char *s = *p;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        for (; *s >= '0' && *s <= '9'; s++) {
                v = v * 10 + (unsigned) (*s - '0');
                if (v >= CPUSET_MAX)
                        return -ERANGE;
        }
        *p = s;
        *ret = v;
        return 0;
}

int cpuset_parse(const char *s, CpuSet *ret) {
        CpuSet set = {};
        const char *p = s;

        while (*p == ' ' || *p == '\t')
                p++;
        while (*p && *p != '\n') {
                unsigned a, b;
                int r;

                r = parse_cpu(&p, &a);
                if (r < 0)
                        return r;
                b = a;
                if (*p == '-') {
                        p++;
                        r = parse_cpu(&p, &b);
                        if (r < 0)
                                return r;
                        if (b < a)
                                return -EINVAL;
                }
                for (unsigned c = a; c <= b; c++)
                        cpuset_set(&set, c);
                if (*p == ',') {
                        p++;
                        if (*p == 0 || *p == '\n')
                                return -EINVAL;
                } else if (*p && *p != '\n' && *p != ' ')
                        return -EINVAL;
                while (*p == ' ')
                        p++;
        }
        *ret = set;
        return 0;
}

/* The first CPU at or after from whose bit is want (1: set, 0: clear); CPUSET_MAX if none. A
 * word at a time: a set of a few CPUs out of CPUSET_MAX is formatted at every boot. */
static unsigned next_with(const CpuSet *s, unsigned from, bool want) {
        for (unsigned i = from / 64; i < CPUSET_MAX / 64; i++) {
                uint64_t w = want ? s->bits[i] : ~s->bits[i];

                if (i == from / 64)
                        w &= UINT64_MAX << (from % 64);
                if (w)
                        return i * 64 + (unsigned) __builtin_ctzll(w);
        }
        return CPUSET_MAX;
}

/* Appends the decimal v at buf + *len; false when it does not fit with its terminator. */
static bool put_uint(char *buf, size_t size, size_t *len, unsigned v) {
        char tmp[10];
        size_t n = 0;

        do
                tmp[n++] = (char) ('0' + v % 10);
        while ((v /= 10) > 0);
        if (size - *len <= n)
                return false;
        while (n > 0)
                buf[(*len)++] = tmp[--n];
        buf[*len] = 0;
        return true;
}

static bool put_char(char *buf, size_t size, size_t *len, char c) {
        if (size - *len <= 1)
                return false;
        buf[(*len)++] = c;
        buf[*len] = 0;
        return true;
}

int cpuset_format(const CpuSet *s, char *buf, size_t size) {
        size_t len = 0;

        if (size == 0)
                return -ENOBUFS;
        buf[0] = 0;
        for (unsigned c = next_with(s, 0, true); c < CPUSET_MAX; c = next_with(s, c, true)) {
                unsigned end = next_with(s, c, false);     /* one past the run */

                if ((len > 0 && !put_char(buf, size, &len, ',')) || !put_uint(buf, size, &len, c))
                        return -ENOBUFS;
                if (end - 1 > c && (!put_char(buf, size, &len, '-') || !put_uint(buf, size, &len, end - 1)))
                        return -ENOBUFS;
                if (end >= CPUSET_MAX)
                        break;
                c = end;
        }
        return 0;
}

char *cpuset_to_string(const CpuSet *s) {
        /* Each CPU needs at most 5 characters with its separator, and a run two numbers. */
        size_t size = 1;
        char *buf;

        for (unsigned c = next_with(s, 0, true); c < CPUSET_MAX; c = next_with(s, c, true)) {
                unsigned end = next_with(s, c, false);

                size += end - 1 > c ? 10 : 5;
                if (end >= CPUSET_MAX)
                        break;
                c = end;
        }
        buf = malloc(size);
        if (buf && cpuset_format(s, buf, size) < 0) {
                free(buf);      /* cannot happen: size is an upper bound */
                return NULL;
        }
        return buf;
}

unsigned cpuset_count(const CpuSet *s) {
        unsigned n = 0;

        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                n += (unsigned) __builtin_popcountll(s->bits[i]);
        return n;
}

bool cpuset_is_empty(const CpuSet *s) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                if (s->bits[i])
                        return false;
        return true;
}

int cpuset_first(const CpuSet *s) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                if (s->bits[i])
                        return (int) (i * 64) + __builtin_ctzll(s->bits[i]);
        return -1;
}

bool cpuset_intersects(const CpuSet *a, const CpuSet *b) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                if (a->bits[i] & b->bits[i])
                        return true;
        return false;
}

bool cpuset_is_subset(const CpuSet *sub, const CpuSet *of) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                if (sub->bits[i] & ~of->bits[i])
                        return false;
        return true;
}

void cpuset_or(CpuSet *dst, const CpuSet *src) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                dst->bits[i] |= src->bits[i];
}

void cpuset_andnot(CpuSet *dst, const CpuSet *src) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                dst->bits[i] &= ~src->bits[i];
}

void cpuset_and(CpuSet *dst, const CpuSet *src) {
        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                dst->bits[i] &= src->bits[i];
}

int cpuset_last(const CpuSet *s) {
        for (size_t i = CPUSET_MAX / 64; i > 0; i--)
                if (s->bits[i - 1])
                        return (int) ((i - 1) * 64) + 63 - __builtin_clzll(s->bits[i - 1]);
        return -1;
}

/* The lowest thread of c's core. */
static unsigned core_of(const CpuTopology *t, unsigned c) {
        int first;

        if (!t || !t->siblings || c >= t->n)
                return c;
        first = cpuset_first(&t->siblings[c]);
        return first >= 0 && (unsigned) first < c ? (unsigned) first : c;
}

static int cmp_u32(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

        return x < y ? -1 : x > y;
}

/* The CPUs of set as core * CPUSET_MAX + cpu, sorted: core by core, each lowest thread first. */
static int order_by_core(const CpuSet *set, const CpuTopology *t, uint32_t **ret, size_t *ret_n) {
        uint32_t *v = malloc(sizeof(uint32_t) * (cpuset_count(set) ?: 1));
        size_t n = 0;

        if (!v)
                return -ENOMEM;
        for (unsigned c = 0; c < CPUSET_MAX; c++)
                if (cpuset_isset(set, c))
                        v[n++] = (uint32_t) core_of(t, c) * CPUSET_MAX + c;
        if (n > 1)
                qsort(v, n, sizeof(uint32_t), cmp_u32);
        *ret = v;
        *ret_n = n;
        return 0;
}

int cpuset_pick_cores(const CpuSet *pool, const CpuTopology *t, unsigned n, CpuSet *ret) {
        uint32_t *v;
        size_t len;
        unsigned taken = 0;
        int r;

        r = order_by_core(pool, t, &v, &len);
        if (r < 0)
                return r;
        /* the lowest thread of pool in each core, one core after the other */
        for (size_t i = 0; i < len && taken < n; i++)
                if (i == 0 || v[i] / CPUSET_MAX != v[i - 1] / CPUSET_MAX) {
                        cpuset_set(ret, v[i] % CPUSET_MAX);
                        taken++;
                }
        free(v);
        return (int) taken;
}

void cpuset_add_siblings(const CpuSet *cpus, const CpuTopology *t, CpuSet *ret) {
        for (unsigned c = 0; c < CPUSET_MAX; c++) {
                if (!cpuset_isset(cpus, c))
                        continue;
                cpuset_set(ret, c);
                if (t && t->siblings && c < t->n)
                        cpuset_or(ret, &t->siblings[c]);
        }
}

int cpuset_first_cores(const CpuSet *cpus, const CpuTopology *t, unsigned n_cores, CpuSet *ret) {
        uint32_t *v;
        size_t len;
        unsigned cores = 0;
        int r;

        r = order_by_core(cpus, t, &v, &len);
        if (r < 0)
                return r;
        for (size_t i = 0; i < len; i++) {
                if (i == 0 || v[i] / CPUSET_MAX != v[i - 1] / CPUSET_MAX) {
                        if (cores == n_cores)
                                break;
                        cores++;
                }
                cpuset_set(ret, v[i] % CPUSET_MAX);
        }
        free(v);
        return (int) cores;
}
