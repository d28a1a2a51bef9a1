/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The config reader's inside, shared by config-parse.c (lines, sections, value types) and
 * config.c (the tables of each section, the files, the checks across them). Not for other users:
 * config.h is the interface.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* One Key=Value of a file, a continued value already joined. */
typedef struct ConfigEntry {
        char *key;
        char *value;
        const char *file;      /* points into Config.files */
        unsigned line;
} ConfigEntry;

/* One [Section] of a file with its entries, in the order written. */
typedef struct ConfigSection {
        char *name;
        const char *file;
        unsigned line;
        ConfigEntry *entries;
        size_t n_entries, allocated;
} ConfigSection;

typedef struct ConfigSections {
        ConfigSection *v;
        size_t n, allocated;
} ConfigSections;

/* Room for need elements in *p, the capacity doubling (systemd's GREEDY_REALLOC()): the array, or
 * NULL on OOM with *p as it was. */
void *greedy_realloc(void **p, size_t *allocated, size_t need, size_t size);

void config_sections_free(ConfigSections *s);

/* Splits the text of stream into sections and entries, with each line-level problem recorded in
 * c->errors as "file:line: message". -ENOMEM only. */
int config_read_sections(Config *c, const char *file, FILE *stream, ConfigSections *ret);

void config_error(Config *c, const char *file, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* "file:line: message" for the line of e. */
#define config_entry_error(c, e, ...) config_error((c), (e)->file, (e)->line, __VA_ARGS__)

/*
 * A value parser: checks e->value, stores it at data (the section's struct + the item's offset)
 * and on a bad value records the error itself, worded for the user, with file and line. Returns
 * 0, -EINVAL for a bad value (already recorded), or -ENOMEM.
 */
typedef int (*ConfigParser)(Config *c, const ConfigEntry *e, int ltype, void *data);

/* One key of a section's table: a key is one line here and one in the man page (tests/docs reads
 * the tables' section and key to check that it is there). */
typedef struct ConfigItem {
        const char *section;
        const char *key;
        ConfigParser parse;
        int ltype;             /* the parser's parameter, such as a MatchKey */
        size_t offset;         /* offsetof() into the struct the section fills */
} ConfigItem;

/* Hands each entry of s to the parser its key has in items (base + offset), or records an
 * unknown key. -ENOMEM only. */
int config_parse_section(Config *c, const ConfigSection *s, const ConfigItem *items, size_t n_items,
                         void *base);
/* The last entry of s with this key, or NULL. */
const ConfigEntry *config_section_last(const ConfigSection *s, const char *key);

/* The value types. Each names the key and what it expects in its error. */
int config_parse_bool(Config *c, const ConfigEntry *e, int ltype, void *data);        /* bool */
int config_parse_page_size(Config *c, const ConfigEntry *e, int ltype, void *data);   /* uint64_t kB: 2M or 1G */
int config_parse_cpu_list(Config *c, const ConfigEntry *e, int ltype, void *data);    /* CpuSet */
int config_parse_string(Config *c, const ConfigEntry *e, int ltype, void *data);      /* char *, no control characters */

/* An unsigned in [min, max], worded "Key=value: <expected>."; a bad value leaves 0. */
typedef struct ConfigRange {
        unsigned min, max;
        const char *expected;
} ConfigRange;

int config_parse_range(Config *c, const ConfigEntry *e, const ConfigRange *range, unsigned *ret);

#define DEFINE_CONFIG_PARSE_RANGE(function, lo, hi, expect)                                     \
        static int function(Config *c, const ConfigEntry *e, int ltype, void *data) {          \
                static const ConfigRange range = { .min = (lo), .max = (hi), .expected = (expect) }; \
                (void) ltype;                                                                   \
                return config_parse_range(c, e, &range, data);                                 \
        }

/* An enum through its string table (string-table.h): values below first do not parse. */
#define DEFINE_CONFIG_PARSE_ENUM(function, name, type, first, expect)                           \
        static int function(Config *c, const ConfigEntry *e, int ltype, void *data) {          \
                int v = name##_from_string(e->value);                                           \
                (void) ltype;                                                                   \
                if (v < (int) (first)) {                                                        \
                        config_entry_error(c, e, "%s=%s: expected %s.", e->key, e->value, expect); \
                        return -EINVAL;                                                         \
                }                                                                               \
                *(type *) data = (type) v;                                                      \
                return 0;                                                                       \
        }

/* Shared by the sections of config-sections.c and config-device.c, and config.c. */
int config_parse_bridge(Config *c, const ConfigEntry *e, int ltype, void *data);
int config_apply_section(Config *c, const ConfigSection *s);
int config_apply_device(Config *c, const ConfigSection *s);
/* The rule's patterns, ports and Bridge=; the driver is a static string. */
void device_config_done(DeviceConfig *d);
int config_dedup_exact_rules(Config *c);
