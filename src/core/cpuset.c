/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
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

int cpuset_format(const CpuSet *s, char *buf, size_t size) {
        size_t len = 0;

        if (size == 0)
                return -ENOBUFS;
        buf[0] = 0;
        for (unsigned c = 0; c < CPUSET_MAX; c++) {
                unsigned e;
                int n;

                if (!cpuset_isset(s, c))
                        continue;
                for (e = c; e + 1 < CPUSET_MAX && cpuset_isset(s, e + 1); e++)
                        ;
                if (e == c)
                        n = snprintf(buf + len, size - len, "%s%u", len ? "," : "", c);
                else
                        n = snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "", c, e);
                if (n < 0 || (size_t) n >= size - len)
                        return -ENOBUFS;
                len += (size_t) n;
                c = e;
        }
        return 0;
}

unsigned cpuset_count(const CpuSet *s) {
        unsigned n = 0;

        for (size_t i = 0; i < CPUSET_MAX / 64; i++)
                n += (unsigned) __builtin_popcountll(s->bits[i]);
        return n;
}

bool cpuset_is_empty(const CpuSet *s) {
        return cpuset_count(s) == 0;
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
