/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fnmatch.h>
#include <stdio.h>

#include "match.h"

/*
 * A [Device] rule against one device's snapshot: what the plan selects with, and (for a pattern
 * rule) what the hardware snapshot must read of a device to tell.
 */

static bool match_value(MatchKey k, const HwDevice *d, char *buf, size_t size) {
        switch (k) {
        case MATCH_ADDRESS:
                (void) snprintf(buf, size, "%s", d->address);
                return true;
        case MATCH_ID: {
                static const char hex[] = "0123456789abcdef";

                if (size < 10)
                        return false;
                for (int i = 0; i < 4; i++) {
                        buf[i] = hex[(d->vendor >> (12 - 4 * i)) & 15];
                        buf[5 + i] = hex[(d->device >> (12 - 4 * i)) & 15];
                }
                buf[4] = ':';
                buf[9] = 0;
                return d->ids_known;
        }
        case MATCH_CLASS:
                (void) snprintf(buf, size, "%06x", d->class_code);
                return d->ids_known;
        case MATCH_KERNEL_DRIVER:
                (void) snprintf(buf, size, "%s", d->driver);
                return !isempty(d->driver);
        case MATCH_INTERFACE:
                (void) snprintf(buf, size, "%s", d->ifname);
                return !isempty(d->ifname);
        case MATCH_MAC:
                (void) snprintf(buf, size, "%s", d->mac);
                return !isempty(d->mac);
        case MATCH_NUMA:
                (void) snprintf(buf, size, "%d", d->numa_node);
                return d->numa_node >= 0;
        case MATCH_PATH:
                (void) snprintf(buf, size, "%s", d->path);
                return !isempty(d->path);
        case MATCH_PHYSFN:
                (void) snprintf(buf, size, "%s", d->physfn);
                return !isempty(d->physfn);
        case MATCH_VF_INDEX:
                (void) snprintf(buf, size, "%d", d->vf_index);
                return !isempty(d->physfn) && d->vf_index >= 0;
        default:
                return false;
        }
}

static bool match_key(const Match *m, MatchKey k, const HwDevice *d) {
        char buf[256];
        bool hit = false;

        if (match_value(k, d, buf, sizeof(buf)))
                for (size_t i = 0; i < m->patterns.n && !hit; i++) {
                        const char *pat = m->patterns.v[i];

                        /* most patterns are plain words: no need for fnmatch() */
                        hit = strpbrk(pat, "*?[") ? fnmatch(pat, buf, 0) == 0 : streq(pat, buf);
                }
        return hit != m->negate;
}

static bool rule_has_key(const DeviceConfig *r, MatchKey k) {
        return r->match[k].patterns.n > 0;
}

bool device_rule_matches(const DeviceConfig *r, const HwDevice *d) {
        if (!isempty(r->address))
                return streq(r->address, d->address);
        if (!d->present && !d->vf_planned)
                return false;
        if (!rule_has_key(r, MATCH_CLASS) && (!d->ids_known || (d->class_code >> 16) != 0x02))
                return false;
        for (MatchKey k = 0; k < _MATCH_MAX; k++)
                if (rule_has_key(r, k) && !match_key(&r->match[k], k, d))
                        return false;
        return true;
}

bool device_rule_selects(const DeviceConfig *r, const HwDevice *d, size_t *nth) {
        bool hit = device_rule_matches(r, d);

        if (hit && r->n_ports > 0) {
                hit = false;
                for (size_t k = 0; k < r->n_ports; k++)
                        hit = hit || r->ports[k] == *nth;
                (*nth)++;
        }
        return hit;
}

void device_rule_describe(const DeviceConfig *r, char *buf, size_t size) {
        size_t n = 0;

        buf[0] = 0;
        if (!isempty(r->address)) {
                (void) snprintf(buf, size, "Address=%s", r->address);
                return;
        }
        for (MatchKey k = 0; k < _MATCH_MAX && n < size; k++) {
                const Match *m = &r->match[k];

                if (m->patterns.n == 0)
                        continue;
                n += (size_t) snprintf(buf + n, size - n, "%s%s=%s", n ? " " : "", match_key_to_string(k),
                                       m->negate ? "!" : "");
                for (size_t i = 0; i < m->patterns.n && n < size; i++)
                        n += (size_t) snprintf(buf + n, size - n, "%s%s", i ? "," : "", m->patterns.v[i]);
        }
        for (size_t i = 0; i < r->n_ports && n < size; i++)
                n += (size_t) snprintf(buf + n, size - n, "%s%u", i ? "," : " Port=", r->ports[i]);
}

