/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "rootdir.h"

/*
 * The config is parsed in two passes. libinih splits the files into sections and Key=Value
 * pairs; our line reader in front of it hands it the lines of the file, read into memory at
 * once, counts them (Debian's inih is built without INI_HANDLER_LINENO), notes where each section
 * starts (so repeated [Device] sections stay apart) and rejects lines inih would accept but we do
 * not want ("Key: value", over-long lines, NUL bytes).
 * The second pass gives each section its meaning, with every error as "file:line: message".
 */

static const char *const dropin_dirs[] = {
        /* lowest precedence first */
        "/usr/lib/dpdk-boot/conf.d",
        "/run/dpdk-boot/conf.d",
        "/etc/dpdk-boot/conf.d",
};

/*
 * The keys, values and section names of a file are short strings by the hundred: they are carved
 * out of a few big blocks, freed together once the file is applied, rather than allocated one by
 * one (a config of 72 devices used to be mostly malloc() and free()). Blocks at least double, so
 * a file of any size needs few of them.
 */
typedef struct ArenaBlock {
        struct ArenaBlock *next;
        size_t used, size;
        char data[];
} ArenaBlock;

#define ARENA_BLOCK_MIN 4096

static char *arena_alloc_block(ArenaBlock **arena, size_t n) {
        size_t size = *arena ? 2 * (*arena)->size : ARENA_BLOCK_MIN;
        ArenaBlock *b;

        if (n > SIZE_MAX / 4)
                return NULL;
        if (size < 2 * n)
                size = 2 * n;
        b = malloc(sizeof(ArenaBlock) + size);
        if (!b)
                return NULL;
        *b = (ArenaBlock) { .next = *arena, .size = size, .used = n };
        *arena = b;
        return b->data;
}

static inline char *arena_alloc(ArenaBlock **arena, size_t n) {
        ArenaBlock *b = *arena;

        if (!b || b->size - b->used < n)
                return arena_alloc_block(arena, n);
        b->used += n;
        return b->data + b->used - n;
}

static char *arena_strndup(ArenaBlock **arena, const char *s, size_t n) {
        char *t = arena_alloc(arena, n + 1);

        if (!t)
                return NULL;
        memcpy(t, s, n);
        t[n] = 0;
        return t;
}

/* s + " " + more, of n and m bytes. A continued value is the newest string of its block and
 * usually grows in place; else it moves to a block with room, so a long run of continuation lines
 * costs linear memory, not the sum of every intermediate value. */
static char *arena_join(ArenaBlock **arena, char *s, size_t n, const char *more, size_t m) {
        ArenaBlock *b = *arena;
        char *t = s;

        if (b && s + n + 1 == b->data + b->used && b->size - b->used > m)
                b->used += m + 1;
        else {
                t = arena_alloc(arena, n + 1 + m + 1);
                if (!t)
                        return NULL;
                memcpy(t, s, n);
        }
        t[n] = ' ';
        memcpy(t + n + 1, more, m + 1);
        return t;
}

static void arena_free(ArenaBlock **arena) {
        while (*arena) {
                ArenaBlock *next = (*arena)->next;

                free(*arena);
                *arena = next;
        }
}

/* Room for one more element of a growing array: the capacity doubles, so n appends cost
 * O(log n) reallocations. NULL on OOM, with the array left as it was. */
static void *grow_array(void *array, size_t *allocated, size_t n, size_t size) {
        size_t want;
        void *p;

        if (n < *allocated)
                return array;
        want = *allocated > 0 ? 2 * *allocated : 16;
        p = reallocarray(array, want, size);
        if (p)
                *allocated = want;
        return p;
}

typedef struct RawEntry {
        char *key;
        char *value;
        unsigned line;
        unsigned key_len;      /* strlen(key) and strlen(value): what len_streq() and the values */
        size_t value_len;      /*   most rules have are compared with */
} RawEntry;

typedef struct RawSection {
        char *name;
        const char *file;
        unsigned line;
        unsigned name_len;
        size_t first;          /* its first entry in Parser.entries */
        RawEntry *entries;     /* set once the whole file is read: Parser.entries moves as it grows */
        size_t n_entries;
} RawSection;

typedef struct Parser {
        Config *config;
        const char *file;      /* logical path, for messages */
        char *next;            /* the file's text not yet handed to inih, up to end */
        const char *end;
        const char *nul;       /* the first NUL byte at or after next, or NULL */
        char *cur;             /* the line just handed to inih, in the text */
        const char *buf;       /*   and inih's copy of it */
        size_t cur_room;       /* the bytes of cur that may be written: the line and its newline, or
                                * the byte to spare after the text */
        unsigned line;
        uint8_t *skipped;      /* a bit for each line not given to inih, from line 1; NULL: all are */
        bool continuation;     /* the line just read continues the previous value */
        ArenaBlock *strings;   /* continued values */
        RawSection *sections;
        size_t n_sections, sections_allocated;
        RawEntry *entries;     /* of all sections, in order: a section's are contiguous */
        size_t n_entries, entries_allocated;
        int oom;
} Parser;

static void config_errorv(Config *c, const char *file, unsigned line, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));

/* Every problem becomes "file:line: message" (or "file: message" for the whole file). */
static void config_errorv(Config *c, const char *file, unsigned line, const char *fmt, va_list ap) {
        _cleanup_free_ char *msg = NULL;

        if (vasprintf(&msg, fmt, ap) < 0)
                return;
        if (line > 0)
                (void) strv_pushf(&c->errors, "%s:%u: %s", file, line, msg);
        else
                (void) strv_pushf(&c->errors, "%s: %s", file, msg);
}

static void config_error(Config *c, const char *file, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void config_error(Config *c, const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        config_errorv(c, file, line, fmt, ap);
        va_end(ap);
}

/* The copy in the text of len bytes at s, a part of inih's copy of the current line, cut out by a
 * NUL: the line is inih's already, so section names, keys and values stay where they are in the
 * text rather than being copied. NULL when s and its NUL are not in the line. */
static char *in_text(Parser *p, const char *s, size_t len) {
        uintptr_t off = (uintptr_t) s - (uintptr_t) p->buf;
        char *t;

        if (off >= p->cur_room || len >= p->cur_room - off)
                return NULL;
        t = p->cur + off;
        t[len] = 0;
        return t;
}

static int add_section(Parser *p, const char *name, size_t len) {
        RawSection *n;
        char *s;

        n = grow_array(p->sections, &p->sections_allocated, p->n_sections, sizeof(RawSection));
        if (!n)
                return -ENOMEM;
        p->sections = n;
        s = in_text(p, name, len);
        if (!s) {
                s = arena_strndup(&p->strings, name, len);
                if (!s)
                        return -ENOMEM;
        }
        p->sections[p->n_sections++] = (RawSection) {
                .name = s,
                .name_len = (unsigned) len,
                .file = p->file,
                .line = p->line,
                .first = p->n_entries,
        };
        return 0;
}

/* Looks at a raw line (n bytes, NUL-terminated, no NUL inside) the way inih will, to catch what
 * inih is lenient about. Returns false when the line must not reach inih. */
static bool check_line(Parser *p, const char *s, size_t n) {
        const char *eq;

        p->continuation = false;
        if (*s == ' ' || *s == '\t') {
                while (*s == ' ' || *s == '\t')
                        s++;
                /* inih continues the previous value with an indented line. */
                p->continuation = *s && *s != '\n' && *s != '\r' && *s != ';' && *s != '#';
                return true;
        }
        if (*s == 0 || *s == '\n' || *s == '\r' || *s == ';' || *s == '#')
                return true;
        if (*s == '[') {
                const char *e = memchr(s, ']', n);

                if (!e) {
                        config_error(p->config, p->file, p->line, "Section header without ']'.");
                        return false;
                }
                if (add_section(p, s + 1, (size_t) (e - s - 1)) < 0)
                        p->oom = -ENOMEM;
                return true;
        }
        /* inih splits at the first '=' or ':'; "Key: value" is not our syntax. */
        eq = s + strcspn(s, "=:");
        if (*eq != '=') {
                config_error(p->config, p->file, p->line, "Expected Key=Value, got \"%.*s\".",
                             (int) strcspn(s, "\r\n"), s);
                return false;
        }
        return true;
}

/* Blank lines and comments, which inih passes over, are kept from it when there is a map to note
 * them in (handed_line() needs it). Never the first line: inih looks for a byte order mark there,
 * and would take one in the line after a comment it was not given as part of a key. */
static bool line_is_inert(const Parser *p, const char *s, size_t n) {
        return p->line > 1 && p->skipped &&
               (*s == '\n' || *s == '#' || *s == ';' || (*s == '\r' && (n == 1 || s[1] == '\n')));
}

/* inih counts the lines it is given and reports the first one it could not parse by that count:
 * the line of the file that inih counted as its line r. Only for that error: it walks the map. */
static unsigned handed_line(const Parser *p, unsigned r) {
        unsigned line = 0;

        if (!p->skipped)
                return r;
        while (r > 0 && line < p->line) {
                line++;
                if (!(p->skipped[(line - 1) / 8] & (1u << (line - 1) % 8)))
                        r--;
        }
        return r > 0 ? line + r : line;
}

/* inih's fgets(): the next line of the text, counted, checked, and blanked when it must not be
 * parsed (its error is already recorded). */
static char *config_reader(char *str, int num, void *stream) {
        Parser *p = stream;
        char *line, *nl;
        size_t n;

        for (;;) {
                line = p->next;
                if (line >= p->end)
                        return NULL;
                nl = memchr(line, '\n', (size_t) (p->end - line));
                n = nl ? (size_t) (nl + 1 - line) : (size_t) (p->end - line);
                p->next = line + n;
                p->line++;
                if (p->nul && p->nul < p->next) {
                        /* Looked up once per NUL byte rather than in every line. */
                        p->nul = memchr(p->next, 0, (size_t) (p->end - p->next));
                        config_error(p->config, p->file, p->line, "Line contains a NUL byte.");
                        memcpy(str, "\n", 2);
                        return str;
                }
                if (n >= (size_t) num - 1) {
                        config_error(p->config, p->file, p->line,
                                     "Line is longer than %d characters; continue a long value on indented lines.",
                                     num - 2);
                        memcpy(str, "\n", 2);
                        return str;
                }
                if (!line_is_inert(p, line, n))
                        break;
                p->skipped[(p->line - 1) / 8] |= (uint8_t) (1u << (p->line - 1) % 8);
        }
        /* Without its newline, which inih would only strip again. */
        if (nl)
                n--;
        memcpy(str, line, n);
        str[n] = 0;
        p->cur = line;
        p->buf = str;
        p->cur_room = n + 1;
        if (!check_line(p, str, n))
                memcpy(str, "\n", 2);
        return str;
}

static int config_handler(void *user, const char *section, const char *name, const char *value) {
        Parser *p = user;
        RawEntry *last, *n;
        size_t klen, vlen;
        RawSection *s;
        char *k, *v;

        if (p->n_sections == 0 || isempty(section)) {
                config_error(p->config, p->file, p->line, "Assignment outside of a section: %s=%s",
                             name, value);
                return 1;
        }
        s = &p->sections[p->n_sections - 1];
        /* Entries only ever go to the newest section, so its last one is the last of all. */
        last = s->n_entries > 0 ? &p->entries[p->n_entries - 1] : NULL;

        vlen = strlen(value);
        if (p->continuation && last && streq(last->key, name)) {
                char *joined = arena_join(&p->strings, last->value, last->value_len, value, vlen);

                if (!joined)
                        return p->oom = -ENOMEM, 0;
                last->value = joined;
                last->value_len += 1 + vlen;
                return 1;
        }

        n = grow_array(p->entries, &p->entries_allocated, p->n_entries, sizeof(RawEntry));
        if (!n)
                return p->oom = -ENOMEM, 0;
        p->entries = n;
        klen = strlen(name);
        k = in_text(p, name, klen);
        v = in_text(p, value, vlen);
        if (!k || !v) {
                /* Key and value in one piece, the value last: a continuation line extends it in place. */
                k = arena_alloc(&p->strings, klen + 1 + vlen + 1);
                if (!k)
                        return p->oom = -ENOMEM, 0;
                v = k + klen + 1;
                memcpy(k, name, klen + 1);
                memcpy(v, value, vlen + 1);
        }
        p->entries[p->n_entries++] = (RawEntry) {
                .key = k, .value = v, .line = p->line, .key_len = (unsigned) klen, .value_len = vlen,
        };
        s->n_entries++;
        return 1;
}

static void parser_done(Parser *p) {
        arena_free(&p->strings);
        free(p->sections);
        free(p->entries);
        free(p->skipped);
}

/* ---- second pass: meaning ---- */

/* Names of keys, sections and drivers mostly differ in their first letter: comparing it first
 * spares most strcmp() calls of a chain of them, which runs for every entry of every [Device]. */
static inline bool key_streq(const char *key, const char *name) {
        return key[0] == name[0] && streq(key, name);
}

/* The same for a literal name and a string whose length is at hand beside it, as s##_len
 * (e->key_len for e->key): an inlined compare of a few bytes, no call. */
#define len_streq(s, lit) (s##_len == sizeof("" lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)

typedef struct Ctx {
        Config *config;
        const RawSection *section;
        const RawEntry *entry;
        struct stat st;        /* of the file being applied */
        int oom;
} Ctx;

static void entry_error(Ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void entry_error(Ctx *x, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        config_errorv(x->config, x->section->file, x->entry ? x->entry->line : x->section->line, fmt, ap);
        va_end(ap);
}

static void unknown_key(Ctx *x) {
        entry_error(x, "Unknown key '%s' in section [%s].", x->entry->key, x->section->name);
}

static int parse_per_node(const char *v, HugepageConfig *h) {
        _cleanup_free_ char *copy = strdup(v);
        char *save = NULL;
        bool any = false;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                char *colon = strchr(tok, ':');
                unsigned node, count;

                if (!colon)
                        return -EINVAL;
                *colon = 0;
                if (safe_atou(tok, &node) < 0 || node >= DPDK_BOOT_MAX_NODES ||
                    safe_atou(colon + 1, &count) < 0)
                        return -EINVAL;
                h->node_count[node] = count;
                h->node_set[node] = true;
                any = true;
        }
        return any ? 0 : -EINVAL;
}

static void apply_hugepages(Ctx *x) {
        HugepageConfig h = { .loc = { x->section->file, x->section->line } };
        bool have_size = false, have_count = false;
        unsigned placement_line = 0;
        Config *c = x->config;
        HugepageConfig *n;

        for (size_t i = 0; i < x->section->n_entries; i++) {
                const RawEntry *e = x->entry = &x->section->entries[i];

                if (len_streq(e->key, "Size")) {
                        if (parse_page_size_kb(e->value, &h.size_kb) < 0 ||
                            (h.size_kb != 2048 && h.size_kb != 1048576))
                                entry_error(x, "Size=%s: expected 2M or 1G.", e->value);
                        else
                                have_size = true;
                } else if (len_streq(e->key, "Count")) {
                        if (safe_atou(e->value, &h.count) < 0)
                                entry_error(x, "Count=%s: expected a number of pages.", e->value);
                        h.per_node = false;
                        have_count = true;
                } else if (len_streq(e->key, "PerNode")) {
                        memset(h.node_count, 0, sizeof(h.node_count));
                        memset(h.node_set, 0, sizeof(h.node_set));
                        if (parse_per_node(e->value, &h) < 0)
                                entry_error(x, "PerNode=%s: expected NODE:COUNT[,NODE:COUNT...], e.g. 0:4,1:4.",
                                            e->value);
                        h.per_node = true;
                        have_count = true;
                } else if (len_streq(e->key, "Placement")) {
                        if (streq(e->value, "kernel"))
                                h.placement = PLACEMENT_KERNEL;
                        else if (streq(e->value, "devices"))
                                h.placement = PLACEMENT_DEVICES;
                        else
                                entry_error(x, "Placement=%s: expected kernel or devices.", e->value);
                        placement_line = e->line;
                } else
                        unknown_key(x);
        }
        x->entry = NULL;
        if (h.per_node && h.placement == PLACEMENT_DEVICES)
                config_error(c, x->section->file, placement_line,
                             "Placement=devices spreads Count= over the NUMA nodes of the selected devices; "
                             "it does not go with PerNode=.");
        if (!have_size) {
                entry_error(x, "[Hugepages] needs Size=2M or Size=1G.");
                return;
        }
        if (!have_count) {
                entry_error(x, "[Hugepages] needs Count= (a total) or PerNode= (per NUMA node).");
                return;
        }
        /* A later section for the same size replaces the earlier one (drop-ins override). */
        for (size_t i = 0; i < c->n_hugepages; i++)
                if (c->hugepages[i].size_kb == h.size_kb) {
                        c->hugepages[i] = h;
                        return;
                }
        n = realloc(c->hugepages, sizeof(HugepageConfig) * (c->n_hugepages + 1));
        if (!n)
                return;
        c->hugepages = n;
        c->hugepages[c->n_hugepages++] = h;
}

static void apply_cpuset(Ctx *x, CpuSet *set, bool *is_set) {
        if (cpuset_parse(x->entry->value, set) < 0) {
                entry_error(x, "%s=%s: expected a CPU list such as 2-7,10.", x->entry->key,
                            x->entry->value);
                return;
        }
        *is_set = true;
}

static Location entry_loc(const Ctx *x) {
        return (Location) { x->section->file, x->entry->line };
}

static void apply_housekeeping_per_node(Ctx *x) {
        Config *c = x->config;
        unsigned v;

        if (safe_atou(x->entry->value, &v) < 0 || v == 0 || v >= CPUSET_MAX) {
                entry_error(x, "HousekeepingPerNode=%s: expected a number of physical cores per NUMA node, "
                            "at least 1.", x->entry->value);
                return;
        }
        c->housekeeping_per_node = v;
        c->housekeeping_per_node_loc = entry_loc(x);
}

static void apply_cpu(Ctx *x) {
        Config *c = x->config;

        for (size_t i = 0; i < x->section->n_entries; i++) {
                x->entry = &x->section->entries[i];
                if (len_streq(x->entry->key, "Isolate")) {
                        apply_cpuset(x, &c->isolate, &c->isolate_set);
                        c->isolate_loc = entry_loc(x);
                } else if (len_streq(x->entry->key, "Housekeeping")) {
                        apply_cpuset(x, &c->housekeeping, &c->housekeeping_set);
                        c->housekeeping_loc = entry_loc(x);
                } else if (len_streq(x->entry->key, "HousekeepingPerNode"))
                        apply_housekeeping_per_node(x);
                else
                        unknown_key(x);
        }
        x->entry = NULL;
        c->cpu_loc = (Location) { x->section->file, x->section->line };
        if (c->isolate_set && c->housekeeping_set && cpuset_intersects(&c->isolate, &c->housekeeping))
                entry_error(x, "[CPU] Isolate= and Housekeeping= share CPUs.");
}

static void apply_iommu(Ctx *x) {
        static const char *const modes[] = {
                [IOMMU_ON] = "on", [IOMMU_PT] = "pt", [IOMMU_OFF] = "off",
        };

        for (size_t i = 0; i < x->section->n_entries; i++) {
                const RawEntry *e = x->entry = &x->section->entries[i];
                bool found = false;

                if (!len_streq(e->key, "Mode")) {
                        unknown_key(x);
                        continue;
                }
                for (size_t m = IOMMU_ON; m < ELEMENTSOF(modes); m++)
                        if (streq(e->value, modes[m])) {
                                x->config->iommu = (IommuMode) m;
                                found = true;
                        }
                if (!found)
                        entry_error(x, "Mode=%s: expected on, pt or off.", e->value);
        }
}

/* vfio-pci first: the default, and the driver of nearly every rule. */
static const char *const dpdk_drivers[] = { "vfio-pci", "uio_pci_generic", "igb_uio" };

/* Out of line, so that driver_is_dpdk() saves no registers for its common case. */
static __attribute__((noinline)) bool driver_is_dpdk_slow(const char *driver) {
        for (size_t i = 1; i < ELEMENTSOF(dpdk_drivers); i++)
                if (driver == dpdk_drivers[i])
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(dpdk_drivers); i++)
                if (key_streq(driver, dpdk_drivers[i]))
                        return true;
        return false;
}

bool driver_is_dpdk(const char *driver) {
        /* A rule's driver is one of these very strings (parse_driver() hands them out), so the
         * plan's many calls for its devices end at one pointer comparison: nearly all are
         * vfio-pci. */
        return driver == dpdk_drivers[0] || driver_is_dpdk_slow(driver);
}

bool driver_is_vfio_pci(const char *driver) {
        return driver == dpdk_drivers[0] || streq(driver, dpdk_drivers[0]);
}

static bool parse_driver(const RawEntry *e, const char **ret) {
        const char *v = e->value;

        if (len_streq(e->value, "vfio-pci")) { /* nearly every rule's */
                *ret = dpdk_drivers[0];
                return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(dpdk_drivers); i++)
                if (key_streq(v, dpdk_drivers[i])) {
                        *ret = dpdk_drivers[i];
                        return true;
                }
        if (streq(v, "vfio_pci")) {
                *ret = dpdk_drivers[0];
                return true;
        }
        /* "" (also written "" as oVirt's role does) and "kernel" mean the kernel's own driver. */
        if (isempty(v) || streq(v, "\"\"") || streq(v, "kernel")) {
                *ret = "";
                return true;
        }
        return false;
}

static const char *const match_keys[_MATCH_MAX] = {
        [MATCH_ADDRESS] = "Address",
        [MATCH_ID] = "ID",
        [MATCH_CLASS] = "Class",
        [MATCH_KERNEL_DRIVER] = "KernelDriver",
        [MATCH_INTERFACE] = "Interface",
        [MATCH_MAC] = "MAC",
        [MATCH_NUMA] = "NUMANode",
        [MATCH_PATH] = "Path",
};

const char *match_key_to_string(MatchKey k) {
        return k < _MATCH_MAX ? match_keys[k] : NULL;
}

static bool has_glob(const char *s) {
        return strpbrk(s, "*?[") != NULL;
}

static bool only_chars(const char *s, const char *allowed) {
        return *s && s[strspn(s, allowed)] == 0;
}

#define GLOB_CHARS "*?[]!-"
#define HEX_CHARS "0123456789abcdefABCDEF"

/* One pattern of a Match key, checked and brought to the form it is compared in. NULL: invalid. */
static char *match_pattern(MatchKey k, const char *v) {
        char buf[64];

        if (strlen(v) >= sizeof(buf) - 8)
                return NULL;
        switch (k) {
        case MATCH_ADDRESS: {
                const char *c1 = strchr(v, ':');

                if (!only_chars(v, HEX_CHARS ":." GLOB_CHARS))
                        return NULL;
                if (!has_glob(v)) {
                        char a[13];

                        return pci_address_normalize(v, a) ? strdup(a) : NULL;
                }
                /* "3b:00.*" has no domain: the first one. */
                (void) snprintf(buf, sizeof(buf), "%s%s", c1 && !strchr(c1 + 1, ':') ? "0000:" : "", v);
                break;
        }
        case MATCH_ID: {
                const char *c = strchr(v, ':');

                if (!c || strchr(c + 1, ':') || c == v || !c[1] || !only_chars(v, HEX_CHARS ":" GLOB_CHARS))
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%s", v);
                break;
        }
        case MATCH_CLASS: {
                size_t n;

                if (startswith_no_case(v, "0x"))
                        v += 2;
                n = strlen(v);
                if (n == 0 || n > 6 || n % 2 || !only_chars(v, HEX_CHARS))
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%s%s", v, n < 6 ? "*" : "");
                break;
        }
        case MATCH_NUMA: {
                unsigned node;

                if (safe_atou(v, &node) < 0 || node >= DPDK_BOOT_MAX_NODES)
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%u", node);
                break;
        }
        case MATCH_MAC:
                if (!only_chars(v, HEX_CHARS ":" GLOB_CHARS))
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%s", v);
                break;
        case MATCH_PATH:
                if (strstr(v, "..") || !only_chars(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                      "0123456789:._/" GLOB_CHARS))
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%s", v[0] == '/' ? v + 1 : v);
                break;
        default: /* names of drivers and interfaces */
                if (!only_chars(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:@" GLOB_CHARS))
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%s", v);
                break;
        }
        if (k != MATCH_KERNEL_DRIVER && k != MATCH_INTERFACE && k != MATCH_PATH)
                for (char *s = buf; *s; s++)
                        *s = (char) tolower((unsigned char) *s);
        return strdup(buf);
}

static const char *const match_help[_MATCH_MAX] = {
        [MATCH_ADDRESS] = "PCI addresses such as 0000:3b:00.0 or patterns such as 0000:3b:00.*",
        [MATCH_ID] = "VENDOR:DEVICE ids in hex such as 8086:10fb, or patterns such as 8086:*",
        [MATCH_CLASS] = "PCI class prefixes in hex such as 0x02 or 0x0200",
        [MATCH_KERNEL_DRIVER] = "kernel driver names or patterns such as ixgbe",
        [MATCH_INTERFACE] = "interface names or patterns such as ens1f*",
        [MATCH_MAC] = "MAC addresses or patterns such as 3c:fd:fe:*",
        [MATCH_NUMA] = "NUMA node numbers",
        [MATCH_PATH] = "sysfs device paths below /sys/devices, or patterns",
};

static void parse_match(Ctx *x, MatchKey k, Match *m) {
        const char *v = x->entry->value;
        _cleanup_free_ char *copy = NULL;
        char *save = NULL;

        strv_free(&m->patterns);
        m->negate = v[0] == '!';
        if (m->negate)
                v++;
        copy = strdup(v);
        if (!copy)
                return;
        for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                char *pat = match_pattern(k, tok);

                if (!pat) {
                        if (streq(tok, x->entry->value))
                                entry_error(x, "%s=%s: expected %s.", x->entry->key, tok, match_help[k]);
                        else
                                entry_error(x, "%s=%s: \"%s\" is not valid here; expected %s.", x->entry->key,
                                            x->entry->value, tok, match_help[k]);
                        strv_free(&m->patterns);
                        return;
                }
                (void) strv_push(&m->patterns, pat);
        }
        if (m->patterns.n == 0)
                entry_error(x, "%s= is empty; expected %s.", x->entry->key, match_help[k]);
}

static void parse_ports(Ctx *x, DeviceConfig *d) {
        _cleanup_free_ char *copy = strdup(x->entry->value);
        char *save = NULL;

        free(d->ports);
        d->ports = NULL;
        d->n_ports = 0;
        if (!copy)
                return;
        for (char *tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
                unsigned *n, port;

                if (safe_atou(tok, &port) < 0 || port > 1023) {
                        entry_error(x, "Port=%s: expected port indices such as 0 or 0 1 (the n-th "
                                    "matching device by PCI address, from 0).", x->entry->value);
                        return;
                }
                n = realloc(d->ports, sizeof(unsigned) * (d->n_ports + 1));
                if (!n)
                        return;
                d->ports = n;
                d->ports[d->n_ports++] = port;
        }
}

static void set_string(Ctx *x, char **target);

/* FilePrefix=: one word that is safe in a path and on a command line. */
static bool name_valid(const char *s, size_t max) {
        size_t n = strlen(s);

        if (n == 0 || n > max)
                return false;
        return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

/* As useradd takes them (and numeric ids): nothing that could be another word or a specifier. */
static bool user_name_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > 32 || s[0] == '-')
                return false;
        return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

/* An OVS bridge is also a kernel interface name: 15 characters, no '/', ':' or spaces. */
static void parse_bridge(Ctx *x, char **target) {
        const char *v = x->entry->value;
        size_t n = strlen(v);

        if (n == 0 || n > 15 || v[0] == '-' || v[0] == '.' ||
            strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != n)
                entry_error(x, "Bridge=%s: expected an interface name (up to 15 letters, digits, '-', '_' "
                            "or '.').", v);
        else
                set_string(x, target);
}

static void parse_flag(Ctx *x, bool *b) {
        int r = parse_boolean(x->entry->value);

        if (r < 0)
                entry_error(x, "%s=%s: expected yes or no.", x->entry->key, x->entry->value);
        else
                *b = r;
}

/* The driver is a static string: only forgotten here. */
static void device_config_done(DeviceConfig *d) {
        for (size_t k = 0; k < _MATCH_MAX; k++)
                if (d->match[k].patterns.v) /* most rules have none */
                        strv_free(&d->match[k].patterns);
        free(d->ports);
        free(d->bridge);
        d->ports = NULL;
        d->driver = NULL;
        d->bridge = NULL;
}

static bool is_lower_hex(char c) {
        return (unsigned) (c - '0') < 10 || (unsigned) (c - 'a') < 6;
}

/* An exact Address=, as pci_address_normalize() gives it: most are written in that very form
 * ("0000:3b:00.0", lower case, device up to 1f, function up to 7) and are taken as they are. */
static bool parse_address(const RawEntry *e, char ret[static 13]) {
        const char *v = e->value;

        if (e->value_len == 12 && v[4] == ':' && v[7] == ':' && v[10] == '.' &&
            v[11] >= '0' && v[11] <= '7' && (v[8] == '0' || v[8] == '1') &&
            is_lower_hex(v[0]) && is_lower_hex(v[1]) && is_lower_hex(v[2]) && is_lower_hex(v[3]) &&
            is_lower_hex(v[5]) && is_lower_hex(v[6]) && is_lower_hex(v[9])) {
                memcpy(ret, v, 13);
                return true;
        }
        return pci_address_normalize(v, ret);
}

/* What a [Device] section said besides its rule. */
typedef struct DeviceKeys {
        const char *driver;
        bool driver_given;
        bool matched;          /* a match key was given: has_patterns() has something to look at */
} DeviceKeys;

static bool apply_device_entry(Ctx *x, DeviceConfig *d, DeviceKeys *keys) {
        const RawEntry *e = x->entry;

        /* The common case, one exact address, costs no allocation. */
        if (len_streq(e->key, "Address") && parse_address(e, d->address)) {
                if (d->match[MATCH_ADDRESS].patterns.v)
                        strv_free(&d->match[MATCH_ADDRESS].patterns);
                return true;
        }
        /* Before the match keys: nearly every rule has a Driver=. */
        if (len_streq(e->key, "Driver")) {
                keys->driver_given = true;
                if (!parse_driver(e, &keys->driver))
                        entry_error(x, "Driver=%s: expected vfio-pci, uio_pci_generic, igb_uio, "
                                    "or empty for the kernel's own driver.", e->value);
                return true;
        }
        for (MatchKey k = 0; k < _MATCH_MAX; k++)
                if (key_streq(e->key, match_keys[k])) {
                        keys->matched = true;
                        parse_match(x, k, &d->match[k]);
                        if (k == MATCH_ADDRESS)
                                d->address[0] = 0;
                        return true;
                }
        if (len_streq(e->key, "Port"))
                parse_ports(x, d);
        else if (len_streq(e->key, "Exclude"))
                parse_flag(x, &d->exclude);
        else if (len_streq(e->key, "Force"))
                parse_flag(x, &d->force);
        else if (len_streq(e->key, "BindGroup"))
                parse_flag(x, &d->bind_group);
        else if (len_streq(e->key, "Bridge"))
                parse_bridge(x, &d->bridge);
        else
                return false;
        return true;
}

static bool has_patterns(const DeviceConfig *d, MatchKey from) {
        for (MatchKey k = from; k < _MATCH_MAX; k++)
                if (d->match[k].patterns.n > 0)
                        return true;
        return false;
}

/* A rule with a single exact Address= and nothing else to match is an "exact" rule: a later one
 * for the same address replaces it (so a drop-in can change a device's driver). */
static void make_exact(DeviceConfig *d, const DeviceKeys *keys) {
        if (isempty(d->address) ||
            (d->n_ports == 0 && !(keys->matched && has_patterns(d, MATCH_ADDRESS + 1))))
                return;
        /* An address with more to match is a pattern rule like any other. */
        (void) strv_push(&d->match[MATCH_ADDRESS].patterns, strdup(d->address));
        d->address[0] = 0;
}

static void reserve_devices(Config *c, size_t more) {
        DeviceConfig *n;

        if (more <= c->devices_allocated - c->n_devices ||
            more > SIZE_MAX / sizeof(DeviceConfig) - c->n_devices)
                return;
        n = reallocarray(c->devices, c->n_devices + more, sizeof(DeviceConfig));
        if (!n)
                return;
        c->devices = n;
        c->devices_allocated = c->n_devices + more;
}

/* The rule is built in its place at the end of Config.devices, and counted once it is valid. A
 * rule lost to OOM fails the whole load: it could have been the one that excludes a NIC. */
static void apply_device(Ctx *x) {
        DeviceKeys keys = { .driver = dpdk_drivers[0] };
        Config *c = x->config;
        unsigned errors = c->errors.n;
        DeviceConfig *d, *n;

        n = grow_array(c->devices, &c->devices_allocated, c->n_devices, sizeof(DeviceConfig));
        if (!n) {
                x->oom = -ENOMEM;
                return;
        }
        c->devices = n;
        d = &c->devices[c->n_devices];
        *d = (DeviceConfig) { .loc = { x->section->file, x->section->line } };

        for (size_t i = 0; i < x->section->n_entries; i++) {
                x->entry = &x->section->entries[i];
                if (!apply_device_entry(x, d, &keys))
                        unknown_key(x);
        }
        x->entry = NULL;
        if (isempty(d->address) && !(keys.matched && has_patterns(d, 0)) && errors == c->errors.n)
                entry_error(x, "[Device] needs Address= or another key to select devices by (ID=, Class=, "
                            "KernelDriver=, Interface=, MAC=, NUMANode=, Path=).");
        if (d->exclude && (keys.driver_given || d->force))
                entry_error(x, "[Device] with Exclude=yes takes no Driver= or Force=.");
        if (errors != c->errors.n) {
                device_config_done(d);
                return;
        }
        make_exact(d, &keys);
        d->driver = (char *) (d->exclude ? "" : keys.driver);
        c->n_devices++;
}

/* A normalised address ("0000:3b:00.0", 12 characters) folded into the top bits of a 64-bit
 * hash: its first and last eight bytes mixed by multiplication (Fibonacci hashing). */
static size_t address_slot(const char address[static 13], unsigned bits) {
        const uint64_t golden = UINT64_C(0x9e3779b97f4a7c15);
        uint64_t a, b;

        memcpy(&a, address, sizeof(a));
        memcpy(&b, address + 4, sizeof(b));
        return (size_t) ((((a * golden) ^ b) * golden) >> (64 - bits));
}

/* Of exact rules for the same address, the last one read wins; the order of the rest is kept.
 * A hash table of the addresses seen (rule index + 1, 0 for a free slot) finds the earlier rule
 * of each duplicate in one pass. */
static void dedup_exact_rules(Config *c) {
        size_t small[256], *table = small, dropped = 0, out = 0, mask;
        _cleanup_free_ size_t *big = NULL;
        unsigned bits = 4;

        if (c->n_devices < 2)
                return;
        while ((size_t) 1 << bits < 2 * c->n_devices)
                bits++;
        mask = ((size_t) 1 << bits) - 1;
        if (mask < ELEMENTSOF(small))
                memset(small, 0, sizeof(size_t) * (mask + 1));
        else {
                big = calloc(mask + 1, sizeof(size_t));
                if (!big)
                        return;
                table = big;
        }
        for (size_t i = 0; i < c->n_devices; i++) {
                size_t h;

                if (isempty(c->devices[i].address))
                        continue;
                for (h = address_slot(c->devices[i].address, bits); table[h] > 0; h = (h + 1) & mask)
                        if (streq(c->devices[table[h] - 1].address, c->devices[i].address)) {
                                device_config_done(&c->devices[table[h] - 1]); /* driver NULL: dropped below */
                                dropped++;
                                break;
                        }
                table[h] = i + 1;
        }
        if (dropped == 0)
                return;
        for (size_t i = 0; i < c->n_devices; i++) {
                DeviceConfig *d = &c->devices[i];

                if (!d->driver)
                        continue;
                c->devices[out++] = *d;
        }
        c->n_devices = out;
}

bool config_needs_scan(const Config *c) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (isempty(c->devices[i].address))
                        return true;
        return false;
}

bool config_uses_match(const Config *c, MatchKey k) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].match[k].patterns.n > 0)
                        return true;
        return false;
}

static const char *const testpmd_modes[] = {
        "io", "mac", "macswap", "flowgen", "rxonly", "txonly", "csum", "icmpecho",
        "noisy", "5tswap", "ieee1588", "shared-rxq",
};

static bool valid_forward_mode(const char *v) {
        for (size_t i = 0; i < ELEMENTSOF(testpmd_modes); i++)
                if (streq(v, testpmd_modes[i]))
                        return true;
        return false;
}

static void set_string(Ctx *x, char **target) {
        char *s;

        if (string_has_cc(x->entry->value)) {
                entry_error(x, "%s= contains control characters.", x->entry->key);
                return;
        }
        s = strdup(x->entry->value);
        if (!s)
                return;
        free(*target);
        *target = s;
}

/* "0,2048" (DPDK's --socket-mem): megabytes for node 0, 1, ... */
static int parse_socket_memory(const char *v, DatapathConfig *d) {
        _cleanup_free_ char *copy = strdup(v);
        unsigned mb[DPDK_BOOT_MAX_NODES], n = 0;
        char *save = NULL;
        bool any = false;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                if (n == DPDK_BOOT_MAX_NODES || safe_atou(tok, &mb[n]) < 0 || mb[n] > 16 * 1024 * 1024)
                        return -EINVAL;
                any = any || mb[n] > 0;
                n++;
        }
        if (!any)
                return -EINVAL;
        memset(d->socket_mem_mb, 0, sizeof(d->socket_mem_mb));
        memcpy(d->socket_mem_mb, mb, sizeof(unsigned) * n);
        d->n_socket_mem = n;
        return 0;
}

static void apply_datapath_entry(Ctx *x) {
        DatapathConfig *d = &x->config->datapath;
        const RawEntry *e = x->entry;

        if (len_streq(e->key, "Preset")) {
                if (streq(e->value, "testpmd"))
                        d->preset = DATAPATH_TESTPMD;
                else if (streq(e->value, "custom"))
                        d->preset = DATAPATH_CUSTOM;
                else if (streq(e->value, "ovs"))
                        d->preset = DATAPATH_OVS;
                else if (streq(e->value, "vpp"))
                        d->preset = DATAPATH_VPP;
                else if (streq(e->value, "none"))
                        d->preset = DATAPATH_NONE;
                else
                        entry_error(x, "Preset=%s: expected testpmd, ovs, vpp, custom or none.", e->value);
        } else if (len_streq(e->key, "Cores")) {
                if (cpuset_parse(e->value, &d->cores) < 0 || cpuset_is_empty(&d->cores))
                        entry_error(x, "Cores=%s: expected a non-empty CPU list such as 2-3.", e->value);
        } else if (len_streq(e->key, "MainCore")) {
                unsigned v;

                if (safe_atou(e->value, &v) < 0 || v >= CPUSET_MAX)
                        entry_error(x, "MainCore=%s: expected a CPU number.", e->value);
                else
                        d->main_core = (int) v;
        } else if (len_streq(e->key, "HugepageSize")) {
                if (parse_page_size_kb(e->value, &d->hugepage_size_kb) < 0 ||
                    (d->hugepage_size_kb != 2048 && d->hugepage_size_kb != 1048576))
                        entry_error(x, "HugepageSize=%s: expected 2M or 1G.", e->value);
        } else if (len_streq(e->key, "ForwardMode")) {
                if (!valid_forward_mode(e->value))
                        entry_error(x, "ForwardMode=%s: not a dpdk-testpmd forwarding mode.", e->value);
                else
                        set_string(x, &d->forward_mode);
        } else if (len_streq(e->key, "StatsPeriod")) {
                if (safe_atou(e->value, &d->stats_period) < 0 || d->stats_period == 0)
                        entry_error(x, "StatsPeriod=%s: expected seconds (at least 1).", e->value);
        } else if (len_streq(e->key, "CoresPerPort")) {
                if (safe_atou(e->value, &d->cores_per_port) < 0 || d->cores_per_port == 0 ||
                    d->cores_per_port >= CPUSET_MAX) {
                        entry_error(x, "CoresPerPort=%s: expected a number of lcores per port, at least 1.",
                                    e->value);
                        d->cores_per_port = 0;
                }
        } else if (len_streq(e->key, "MTU")) {
                if (safe_atou(e->value, &d->mtu) < 0 || d->mtu < 68 || d->mtu > 65535) {
                        entry_error(x, "MTU=%s: expected an MTU in bytes, 68 to 65535.", e->value);
                        d->mtu = 0;
                }
        } else if (len_streq(e->key, "SocketMemory")) {
                if (parse_socket_memory(e->value, d) < 0)
                        entry_error(x, "SocketMemory=%s: expected megabytes per NUMA node in node order, "
                                    "such as 0,2048, with memory on at least one node.", e->value);
        } else if (len_streq(e->key, "ExtraArgs"))
                set_string(x, &d->extra_args);
        else if (len_streq(e->key, "FilePrefix")) {
                if (!name_valid(e->value, 32))
                        entry_error(x, "FilePrefix=%s: expected up to 32 letters, digits, '-' or '_'.", e->value);
                else
                        set_string(x, &d->file_prefix);
        } else if (len_streq(e->key, "Bridge"))
                parse_bridge(x, &d->bridge);
        else if (len_streq(e->key, "ConfigFile")) {
                if (e->value[0] != '/' || strstr(e->value, "/../") || strchr(e->value, ' '))
                        entry_error(x, "ConfigFile=%s: expected an absolute path without spaces or \"..\".",
                                    e->value);
                else
                        set_string(x, &d->config_file);
        } else if (len_streq(e->key, "User") || len_streq(e->key, "Group")) {
                if (!user_name_valid(e->value))
                        entry_error(x, "%s=%s: expected a user or group name, or a number.", e->key, e->value);
                else
                        set_string(x, len_streq(e->key, "User") ? &d->user : &d->group);
        } else if (len_streq(e->key, "Mode")) {
                char *end;
                unsigned long m;

                errno = 0;
                m = strtoul(e->value, &end, 8);
                if (isempty(e->value) || *end || errno || m > 0777 || (m & 0600) != 0600)
                        entry_error(x, "Mode=%s: expected an octal mode up to 0777 that lets the owner read "
                                    "and write, such as 0660.", e->value);
                else
                        d->mode = (unsigned) m;
        } else if (len_streq(e->key, "RestoreOnStop"))
                parse_flag(x, &d->restore_on_stop);
        else if (len_streq(e->key, "RestartLimit")) {
                if (safe_atou(e->value, &d->restart_limit) < 0 || d->restart_limit > 100)
                        entry_error(x, "RestartLimit=%s: expected how many restarts in 10 minutes, 0 to 100.",
                                    e->value);
                else
                        d->restart_limit_set = true;
        } else if (len_streq(e->key, "ExecStart")) {
                if (isempty(e->value) || e->value[0] != '/') {
                        entry_error(x, "ExecStart=%s: expected an absolute path and its arguments.", e->value);
                        return;
                }
                set_string(x, &d->exec_start);
                d->exec_start_loc = (Location) { x->section->file, e->line };
        } else
                unknown_key(x);
}

static void apply_datapath(Ctx *x) {
        for (size_t i = 0; i < x->section->n_entries; i++) {
                x->entry = &x->section->entries[i];
                apply_datapath_entry(x);
        }
        x->entry = NULL;
        x->config->datapath.loc = (Location) { x->section->file, x->section->line };
}

static void apply_kernel_entry(Ctx *x) {
        KernelConfig *k = &x->config->kernel;
        const RawEntry *e = x->entry;
        int b;

        if (len_streq(e->key, "ManageArgs")) {
                b = parse_boolean(e->value);
                if (b < 0)
                        entry_error(x, "ManageArgs=%s: expected yes or no.", e->value);
                else
                        k->manage_args = b;
        } else if (len_streq(e->key, "Bootloader")) {
                if (bootloader_kind_from_string(e->value, &k->bootloader) < 0)
                        entry_error(x, "Bootloader=%s: expected auto, grub, bls, grubby or bootc.", e->value);
        } else if (len_streq(e->key, "RebootPolicy")) {
                if (streq(e->value, "never"))
                        k->reboot_policy = REBOOT_NEVER;
                else if (streq(e->value, "once"))
                        k->reboot_policy = REBOOT_ONCE;
                else
                        entry_error(x, "RebootPolicy=%s: expected never or once.", e->value);
        } else
                unknown_key(x);
}

static void apply_kernel(Ctx *x) {
        for (size_t i = 0; i < x->section->n_entries; i++) {
                x->entry = &x->section->entries[i];
                apply_kernel_entry(x);
        }
        x->entry = NULL;
        x->config->kernel.loc = (Location) { x->section->file, x->section->line };
}

static void apply_section(Ctx *x) {
        static const struct {
                const char *name;
                void (*apply)(Ctx *x);
        } sections[] = {
                { "Device", apply_device },
                { "Hugepages", apply_hugepages },
                { "CPU", apply_cpu },
                { "IOMMU", apply_iommu },
                { "Datapath", apply_datapath },
                { "Kernel", apply_kernel },
        };

        /* There is one [Device] per device: it costs no strcmp(). */
        if (len_streq(x->section->name, "Device")) {
                apply_device(x);
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(sections); i++)
                if (key_streq(x->section->name, sections[i].name)) {
                        sections[i].apply(x);
                        return;
                }
        entry_error(x, "Unknown section [%s].", x->section->name);
}

/*
 * Root reads these files at every boot, binds devices and runs commands from them: a file, or a
 * drop-in directory, that someone else may change is refused as a whole. (A writable directory
 * would let anyone remove a root-owned drop-in, such as the one that excludes a NIC.)
 */
static bool refuse_untrusted(Config *c, const char *path, const struct stat *st) {
        const char *what = S_ISDIR(st->st_mode) ? "this drop-in directory" : "this file";

        if (st->st_uid != 0 && st->st_uid != geteuid())
                config_error(c, path, 0, "Refusing %s: it is owned by uid %u, not root; fix with chown root:root.",
                             what, (unsigned) st->st_uid);
        else if (st->st_mode & (S_IWGRP | S_IWOTH))
                config_error(c, path, 0, "Refusing %s: it is writable by group or others (mode %04o); fix with "
                             "chmod go-w.", what, (unsigned) (st->st_mode & 07777));
        else
                return false;
        return true;
}

/* The whole file at once, its size from fstat(); a file that grows meanwhile is still read to
 * its end. A read error ends the text there, as it ended getline() before. Returns -ENOMEM only. */
static int read_text(int fd, const struct stat *st, char **ret, size_t *ret_size) {
        size_t size = (size_t) st->st_size + 1, len = 0; /* + 1: the read that sees the end */
        _cleanup_free_ char *buf = malloc(size);

        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n;

                if (len == size) {
                        char *grown = size < SIZE_MAX / 2 ? realloc(buf, 2 * size) : NULL;

                        if (!grown)
                                return -ENOMEM;
                        buf = grown;
                        size *= 2;
                }
                n = read(fd, buf + len, size - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = 0; /* len < size: the byte to spare after the text, see in_text() */
        *ret = TAKE_PTR(buf);
        *ret_size = len;
        return 0;
}

/* Parses one file; path is the logical name (messages), the file is opened under the root. */
static int config_apply_file(Config *c, const char *path) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        Parser p = { .config = c };
        Ctx x = { .config = c };
        size_t size;
        int r;

        r = strv_push(&c->files, strdup(path));
        if (r < 0)
                return r;
        p.file = c->files.v[c->files.n - 1];

        fd = root_open(path, O_RDONLY, 0);
        if (fd < 0) {
                config_error(c, p.file, 0, "Cannot open: %s", strerror(-fd));
                return 0;
        }
        if (fstat(fd, &x.st) < 0 || !S_ISREG(x.st.st_mode)) {
                config_error(c, p.file, 0, "Not a regular file.");
                return 0;
        }
        if (refuse_untrusted(c, p.file, &x.st))
                return 0;
        r = read_text(fd, &x.st, &text, &size);
        if (r < 0)
                return r;
        p.next = text;
        p.end = text + size;
        /* Room for the entries and sections of a typical file (lines of 16 bytes or more, a
         * section with its entries 32 or more) at once; without it they grow as they come. */
        p.entries = reallocarray(NULL, size / 16 + 16, sizeof(RawEntry));
        p.entries_allocated = p.entries ? size / 16 + 16 : 0;
        p.sections = reallocarray(NULL, size / 32 + 16, sizeof(RawSection));
        p.sections_allocated = p.sections ? size / 32 + 16 : 0;
        /* inih takes lines as C strings, which a NUL byte would cut short: config_reader() refuses
         * such lines, and finds them through this. */
        p.nul = memchr(text, 0, size);
        /* A file has at most size lines; without the map every line goes to inih. */
        p.skipped = calloc(size / 8 + 1, 1);

        r = ini_parse_stream(config_reader, &p, config_handler, &p);
        if (r > 0 && c->errors.n == 0)
                config_error(c, p.file, handed_line(&p, (unsigned) r), "Syntax error.");
        else if (r < 0 && r != -1)
                config_error(c, p.file, 0, "Cannot parse (error %d).", r);

        for (size_t i = 0; i < p.n_sections; i++) {
                RawSection *s = &p.sections[i];

                s->entries = s->n_entries > 0 ? &p.entries[s->first] : NULL;
        }
        /* Room for a rule per section at once, rather than growing (and moving) the rules as
         * apply_device() adds them; an allocation that fails leaves that to grow_array(). */
        reserve_devices(c, p.n_sections);
        for (size_t i = 0; i < p.n_sections; i++) {
                x.section = &p.sections[i];
                x.entry = NULL;
                apply_section(&x);
        }
        r = p.oom ?: x.oom;
        parser_done(&p);
        return r;
}

typedef struct DropIn {
        char *name;
        char *path;
} DropIn;

static int dropin_cmp(const void *a, const void *b) {
        return strcmp(((const DropIn *) a)->name, ((const DropIn *) b)->name);
}

static bool is_masked(const char *path) {
        _cleanup_free_ char *p = root_path(path);
        char target[64];
        ssize_t n;

        if (!p)
                return false;
        n = readlink(p, target, sizeof(target) - 1);
        if (n < 0)
                return false;
        target[n] = 0;
        return streq(target, "/dev/null");
}

static int collect_dir(Config *c, const char *dir, DropIn **list, size_t *n) {
        _cleanup_closedir_ DIR *d = root_opendir(dir);
        struct dirent *de;
        struct stat st;

        if (!d)
                return errno == ENOMEM ? -ENOMEM : 0;
        if (fstat(dirfd(d), &st) < 0)
                return -errno;
        if (refuse_untrusted(c, dir, &st))
                return 0;
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name), k;
                DropIn *nl;

                if (de->d_name[0] == '.' || len < 6 || !streq(de->d_name + len - 5, ".conf"))
                        continue;
                for (k = 0; k < *n; k++)
                        if (streq((*list)[k].name, de->d_name))
                                break;
                if (k == *n) {
                        nl = realloc(*list, sizeof(DropIn) * (*n + 1));
                        if (!nl)
                                return -ENOMEM;
                        *list = nl;
                        (*list)[k] = (DropIn) { .name = strdup(de->d_name) };
                        (*n)++;
                } else
                        free((*list)[k].path);
                /* Higher-precedence directories come later and replace the path. */
                (*list)[k].path = strjoin3(dir, "/", de->d_name);
                if (!(*list)[k].name || !(*list)[k].path)
                        return -ENOMEM;
        }
        return 0;
}

/* HousekeepingPerNode= derives both sets; another file may have named one of them. */
static void validate_cpu(Config *c) {
        const Location *hk = &c->housekeeping_per_node_loc, *other;

        if (c->housekeeping_per_node == 0 || (!c->isolate_set && !c->housekeeping_set))
                return;
        other = c->isolate_set ? &c->isolate_loc : &c->housekeeping_loc;
        config_error(c, hk->file, hk->line,
                     "HousekeepingPerNode= derives the isolated and housekeeping CPUs itself, so it does not "
                     "go with %s= (%s:%u); remove one of them.", c->isolate_set ? "Isolate" : "Housekeeping",
                     other->file, other->line);
}

const char *const datapath_substitutions[] = {
        "eal", "lcores", "main_lcore", "allow", "socket_mem", "huge_dir", "file_prefix", "nb_cores",
        NULL,
};

int datapath_check_substitutions(const char *s, char *ret_bad, size_t size) {
        for (const char *p = s; (p = strchr(p, '{')); ) {
                size_t n;
                bool known = false;

                if (p[1] == '{') {
                        p += 2;
                        continue;
                }
                n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
                if (n == 0 || p[1 + n] != '}') {
                        p++;          /* not a substitution: a literal '{' */
                        continue;
                }
                for (size_t i = 0; datapath_substitutions[i]; i++)
                        known = known || (strlen(datapath_substitutions[i]) == n &&
                                          strneq(p + 1, datapath_substitutions[i], n));
                if (!known) {
                        if (ret_bad && size > 0)
                                (void) snprintf(ret_bad, size, "%.*s", (int) (n < size - 1 ? n : size - 1), p + 1);
                        return -EINVAL;
                }
                p += n + 2;
        }
        return 0;
}

/* Keys that belong to one preset, and what each preset needs. */
static void validate_preset_keys(Config *c) {
        const DatapathConfig *d = &c->datapath;
        const char *f = d->loc.file, *preset = datapath_preset_to_string(d->preset);
        bool bridge = d->bridge;
        char bad[32];

        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].bridge && d->preset != DATAPATH_OVS)
                        config_error(c, c->devices[i].loc.file, c->devices[i].loc.line,
                                     "[Device] Bridge= is for [Datapath] Preset=ovs, not Preset=%s.", preset);
                else
                        bridge = bridge || c->devices[i].bridge;
        if (d->bridge && d->preset != DATAPATH_OVS)
                config_error(c, f, d->loc.line, "[Datapath] Bridge= is for Preset=ovs, not Preset=%s.", preset);
        if (d->config_file && d->preset != DATAPATH_VPP)
                config_error(c, f, d->loc.line, "[Datapath] ConfigFile= is for Preset=vpp, not Preset=%s.", preset);
        if (d->user && d->preset != DATAPATH_TESTPMD && d->preset != DATAPATH_CUSTOM)
                config_error(c, f, d->loc.line, "[Datapath] User= is for Preset=testpmd or custom; Preset=%s "
                             "runs as its package configures it (Group= and Mode= still apply).", preset);
        if (d->forward_mode && d->preset != DATAPATH_TESTPMD)
                config_error(c, f, d->loc.line, "[Datapath] ForwardMode= is for Preset=testpmd, not Preset=%s.",
                             preset);
        if (d->preset == DATAPATH_OVS && !bridge)
                config_error(c, f, d->loc.line, "[Datapath] Preset=ovs needs Bridge= (here or in [Device]) "
                             "for its ports to join.");
        if (d->preset == DATAPATH_CUSTOM && d->exec_start &&
            datapath_check_substitutions(d->exec_start, bad, sizeof(bad)) < 0)
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart=: unknown substitution {%s}; known: {eal} {lcores} {main_lcore} {allow} "
                             "{socket_mem} {huge_dir} {file_prefix} {nb_cores} (\"{{\" is a literal \"{\").", bad);
}

/* What only holds across all files: a drop-in may set Cores= for the main file's Preset=. */
static void config_validate(Config *c) {
        const DatapathConfig *d = &c->datapath;
        const char *f = d->loc.file;

        dedup_exact_rules(c);
        validate_cpu(c);

        if (c->kernel.reboot_policy == REBOOT_ONCE && !c->kernel.manage_args)
                config_error(c, c->kernel.loc.file, c->kernel.loc.line,
                             "[Kernel] RebootPolicy=once needs ManageArgs=yes: a reboot cannot bring "
                             "arguments that were never written to the bootloader.");

        if (d->preset == DATAPATH_NONE) {
                if (d->exec_start)
                        config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                                     "ExecStart= needs Preset=custom.");
                return;
        }
        validate_preset_keys(c);
        if (cpuset_is_empty(&d->cores) && d->cores_per_port == 0)
                config_error(c, f, d->loc.line, "[Datapath] Preset=%s needs Cores= or CoresPerPort=.",
                             datapath_preset_to_string(d->preset));
        if (d->main_core >= 0 && cpuset_isset(&d->cores, (unsigned) d->main_core))
                config_error(c, f, d->loc.line, "[Datapath] MainCore=%d is also in Cores=.", d->main_core);
        if (d->preset == DATAPATH_CUSTOM && !d->exec_start)
                config_error(c, f, d->loc.line, "[Datapath] Preset=custom needs ExecStart=.");
        if (d->preset == DATAPATH_TESTPMD && d->exec_start)
                config_error(c, d->exec_start_loc.file, d->exec_start_loc.line,
                             "ExecStart= needs Preset=custom, not Preset=testpmd.");
        if (d->hugepage_size_kb) {
                bool found = false;

                for (size_t i = 0; i < c->n_hugepages; i++)
                        found = found || c->hugepages[i].size_kb == d->hugepage_size_kb;
                if (!found)
                        config_error(c, f, d->loc.line,
                                     "[Datapath] HugepageSize= names a size no [Hugepages] section reserves.");
        }
}

/* parse false: only whether there is a config (c->exists, by the same rules), nothing read. */
static int config_load_internal(Config *c, bool parse) {
        DropIn *list = NULL;
        size_t n = 0;
        int r, ret = 0;

        *c = (Config) { .datapath.main_core = -1 };

        if (root_exists(CONFIG_MAIN_FILE) > 0) {
                c->exists = true;
                if (parse && !is_masked(CONFIG_MAIN_FILE))
                        RET_GATHER(ret, config_apply_file(c, CONFIG_MAIN_FILE));
        }
        for (size_t i = 0; i < ELEMENTSOF(dropin_dirs); i++)
                RET_GATHER(ret, collect_dir(c, dropin_dirs[i], &list, &n));
        qsort_safe(list, n, sizeof(DropIn), dropin_cmp);
        for (size_t i = 0; i < n; i++) {
                if (ret >= 0 && !is_masked(list[i].path)) {
                        c->exists = true;
                        if (parse) {
                                r = config_apply_file(c, list[i].path);
                                RET_GATHER(ret, r);
                        }
                }
                free(list[i].name);
                free(list[i].path);
        }
        free(list);
        if (c->exists && parse)
                config_validate(c);
        return ret;
}

int config_load(Config *c) {
        return config_load_internal(c, true);
}

int config_probe(Config *c) {
        return config_load_internal(c, false);
}

int config_load_file(Config *c, const char *path) {
        int r;

        *c = (Config) { .datapath.main_core = -1, .exists = true };
        r = config_apply_file(c, path);
        config_validate(c);
        return r;
}

bool config_needs_topology(const Config *c) {
        const DatapathConfig *d = &c->datapath;

        return c->housekeeping_per_node > 0 ||
               (d->preset != DATAPATH_NONE && d->cores_per_port > 0 && cpuset_is_empty(&d->cores));
}

const char *hugepage_placement_to_string(HugepagePlacement p) {
        return p == PLACEMENT_DEVICES ? "devices" : "kernel";
}

bool config_ok(const Config *c) {
        return c->errors.n == 0;
}

void config_free(Config *c) {
        for (size_t i = 0; i < c->n_devices; i++) {
                DeviceConfig *d = &c->devices[i];

                /* An exact rule owns no patterns or ports (make_exact() turned any rule with them into
                 * a pattern rule), only its Bridge=. */
                if (!isempty(d->address))
                        free(d->bridge);
                else
                        device_config_done(d);
        }
        free(c->devices);
        free(c->hugepages);
        free(c->datapath.forward_mode);
        free(c->datapath.extra_args);
        free(c->datapath.exec_start);
        free(c->datapath.file_prefix);
        free(c->datapath.bridge);
        free(c->datapath.config_file);
        free(c->datapath.user);
        free(c->datapath.group);
        strv_free(&c->errors);
        strv_free(&c->files);
        *c = (Config) {};
}

const char *iommu_mode_to_string(IommuMode m) {
        switch (m) {
        case IOMMU_ON:
                return "on";
        case IOMMU_PT:
                return "pt";
        case IOMMU_OFF:
                return "off";
        default:
                return "unset";
        }
}

const char *datapath_preset_to_string(DatapathPreset p) {
        switch (p) {
        case DATAPATH_TESTPMD:
                return "testpmd";
        case DATAPATH_CUSTOM:
                return "custom";
        case DATAPATH_OVS:
                return "ovs";
        case DATAPATH_VPP:
                return "vpp";
        default:
                return "none";
        }
}

static const char *const bootloader_kinds[_BOOTLOADER_MAX] = {
        [BOOTLOADER_AUTO] = "auto",
        [BOOTLOADER_GRUB] = "grub",
        [BOOTLOADER_BLS] = "bls",
        [BOOTLOADER_GRUBBY] = "grubby",
        [BOOTLOADER_BOOTC] = "bootc",
};

const char *bootloader_kind_to_string(BootloaderKind k) {
        return k < _BOOTLOADER_MAX ? bootloader_kinds[k] : "auto";
}

int bootloader_kind_from_string(const char *s, BootloaderKind *ret) {
        for (size_t i = 0; i < ELEMENTSOF(bootloader_kinds); i++)
                if (streq(s, bootloader_kinds[i])) {
                        *ret = (BootloaderKind) i;
                        return 0;
                }
        return -EINVAL;
}

const char *reboot_policy_to_string(RebootPolicy p) {
        return p == REBOOT_ONCE ? "once" : "never";
}
