/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config-parse.h"

/*
 * libinih splits a file into sections and Key=Value pairs, with its trimming, comments (";" or
 * "#" at the start of a line, ";" after a space), byte order mark and indented continuation
 * lines, through ini_parse_stream() and its reader and handler callbacks. Debian's inih is built
 * without INI_HANDLER_LINENO, so the reader counts the lines: it hands inih every line of the
 * file, and inih calls the handler for a line before it reads the next one. The reader also
 * refuses what inih would accept but we do not ("Key: value", lines longer than its 200-byte
 * buffer, NUL bytes), and notes where each section starts, so that repeated [Device] sections
 * stay apart (inih only passes the section's name).
 *
 * inih stays because its grammar is the one README.md and dpdk-boot.conf(5) document, limit and
 * continuation lines included; a reader of our own would have to repeat each of its rules.
 */

typedef struct Reader {
        Config *config;
        const char *file;
        FILE *stream;
        char *buf;             /* getline()'s */
        size_t buf_size;
        unsigned line;
        bool continuation;     /* the line just read continues the previous value */
        ConfigSections sections;
        int oom;
} Reader;

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

void config_error(Config *c, const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        config_errorv(c, file, line, fmt, ap);
        va_end(ap);
}

void *greedy_realloc(void **p, size_t *allocated, size_t need, size_t size) {
        size_t want = need < 8 ? 16 : need <= SIZE_MAX / 2 ? 2 * need : need;
        void *q;

        if (need <= *allocated)
                return *p;
        q = reallocarray(*p, want, size);
        if (!q)
                return NULL;
        *p = q;
        *allocated = want;
        return q;
}

static void config_section_done(ConfigSection *s) {
        for (size_t i = 0; i < s->n_entries; i++) {
                free(s->entries[i].key);
                free(s->entries[i].value);
        }
        free(s->entries);
        free(s->name);
}

void config_sections_free(ConfigSections *s) {
        for (size_t i = 0; i < s->n; i++)
                config_section_done(&s->v[i]);
        free(s->v);
        *s = (ConfigSections) {};
}

static int add_section(Reader *r, const char *name, size_t len) {
        ConfigSections *l = &r->sections;
        ConfigSection *v;
        char *s;

        v = greedy_realloc((void **) &l->v, &l->allocated, l->n + 1, sizeof(ConfigSection));
        if (!v)
                return -ENOMEM;
        s = strndup(name, len);
        if (!s)
                return -ENOMEM;
        v[l->n++] = (ConfigSection) { .name = s, .file = r->file, .line = r->line };
        return 0;
}

static bool is_comment_or_end(char c) {
        return c == 0 || c == '\n' || c == '\r' || c == ';' || c == '#';
}

/* Looks at a line (n bytes, NUL-terminated, no NUL inside) the way inih will, to catch what inih
 * is lenient about. Returns false when the line must not reach inih. */
static bool check_line(Reader *r, const char *s, size_t n) {
        const char *eq;

        r->continuation = false;
        if (*s == ' ' || *s == '\t') {
                s += strspn(s, " \t");
                /* inih continues the previous value with an indented line. */
                r->continuation = !is_comment_or_end(*s);
                return true;
        }
        if (is_comment_or_end(*s))
                return true;
        if (*s == '[') {
                const char *e = memchr(s, ']', n);

                if (!e) {
                        config_error(r->config, r->file, r->line, "Section header without ']'.");
                        return false;
                }
                if (add_section(r, s + 1, (size_t) (e - s - 1)) < 0)
                        r->oom = -ENOMEM;
                return true;
        }
        /* inih splits at the first '=' or ':'; "Key: value" is not our syntax. */
        eq = s + strcspn(s, "=:");
        if (*eq != '=') {
                config_error(r->config, r->file, r->line, "Expected Key=Value, got \"%.*s\".",
                             (int) strcspn(s, "\r\n"), s);
                return false;
        }
        return true;
}

/* A line inih passes over, in place of one that must not reach it. */
static char *blank_line(char *str) {
        str[0] = '\n';
        str[1] = 0;
        return str;
}

/* inih's fgets(): the next line, counted, checked, and blanked when it must not be parsed (its
 * error is already recorded). num is inih's buffer, INI_MAX_LINE: a line must fit with its
 * newline and the NUL, so it has at most num - 2 characters. */
static char *read_line(char *str, int num, void *stream) {
        Reader *r = stream;
        const char *line;
        ssize_t n;

        errno = 0;
        n = getline(&r->buf, &r->buf_size, r->stream);
        if (n < 0) {
                if (errno == ENOMEM)
                        r->oom = -ENOMEM;
                return NULL;
        }
        r->line++;
        line = r->buf;
        /* A UTF-8 byte order mark, at the start of the file only, as systemd's parser skips it
         * (inih does too, but check_line() sees the line first). */
        if (r->line == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
                line += 3;
                n -= 3;
        }
        if (memchr(line, 0, (size_t) n)) {
                config_error(r->config, r->file, r->line, "Line contains a NUL byte.");
                return blank_line(str);
        }
        if (n >= num - 1) {
                config_error(r->config, r->file, r->line,
                             "Line is longer than %d characters; continue a long value on indented lines.",
                             num - 2);
                return blank_line(str);
        }
        /* Without its newline, which inih would only strip again. */
        if (n > 0 && line[n - 1] == '\n')
                n--;
        memcpy(str, line, (size_t) n);
        str[n] = 0;
        if (!check_line(r, str, (size_t) n))
                return blank_line(str);
        return str;
}

/* A continuation line: the value goes on after a space. */
static int join_value(ConfigEntry *e, const char *more) {
        size_t n = strlen(e->value), m = strlen(more);
        char *v;

        v = realloc(e->value, n + 1 + m + 1);
        if (!v)
                return -ENOMEM;
        v[n] = ' ';
        memcpy(v + n + 1, more, m + 1);
        e->value = v;
        return 0;
}

static int add_entry(Reader *r, ConfigSection *s, const char *key, const char *value) {
        ConfigEntry *v, *e;

        v = greedy_realloc((void **) &s->entries, &s->allocated, s->n_entries + 1, sizeof(ConfigEntry));
        if (!v)
                return -ENOMEM;
        e = &v[s->n_entries];
        *e = (ConfigEntry) { .key = strdup(key), .value = strdup(value), .file = r->file, .line = r->line };
        if (!e->key || !e->value) {
                free(e->key);
                free(e->value);
                return -ENOMEM;
        }
        s->n_entries++;
        return 0;
}

static int on_entry(void *user, const char *section, const char *key, const char *value) {
        Reader *r = user;
        ConfigSection *s;
        ConfigEntry *last;
        int k;

        if (r->sections.n == 0 || isempty(section)) {
                config_error(r->config, r->file, r->line, "Assignment outside of a section: %s=%s", key, value);
                return 1;
        }
        s = &r->sections.v[r->sections.n - 1];
        last = s->n_entries > 0 ? &s->entries[s->n_entries - 1] : NULL;
        if (r->continuation && last && streq(last->key, key))
                k = join_value(last, value);
        else
                k = add_entry(r, s, key, value);
        if (k < 0) {
                r->oom = k;
                return 0;
        }
        return 1;
}

int config_read_sections(Config *c, const char *file, FILE *stream, ConfigSections *ret) {
        Reader r = { .config = c, .file = file, .stream = stream };
        int k;

        k = ini_parse_stream(read_line, &r, on_entry, &r);
        free(r.buf);
        /* inih's own complaint names the line it stopped at; ours come first and say more. */
        if (k > 0 && c->errors.n == 0)
                config_error(c, file, (unsigned) k, "Syntax error.");
        else if (k < 0 && k != -1)
                config_error(c, file, 0, "Cannot parse (error %d).", k);
        if (r.oom < 0) {
                config_sections_free(&r.sections);
                return r.oom;
        }
        *ret = r.sections;
        return 0;
}

/* ---- the sections' tables ---- */

static const ConfigItem *find_item(const ConfigItem *items, size_t n_items, const char *key) {
        for (size_t i = 0; i < n_items; i++)
                if (streq(items[i].key, key))
                        return &items[i];
        return NULL;
}

int config_parse_section(Config *c, const ConfigSection *s, const ConfigItem *items, size_t n_items,
                         void *base) {
        for (size_t i = 0; i < s->n_entries; i++) {
                const ConfigEntry *e = &s->entries[i];
                const ConfigItem *item = find_item(items, n_items, e->key);
                int r;

                if (!item) {
                        config_entry_error(c, e, "Unknown key '%s' in section [%s].", e->key, s->name);
                        continue;
                }
                r = item->parse(c, e, item->ltype, (char *) base + item->offset);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

const ConfigEntry *config_section_last(const ConfigSection *s, const char *key) {
        for (size_t i = s->n_entries; i > 0; i--)
                if (streq(s->entries[i - 1].key, key))
                        return &s->entries[i - 1];
        return NULL;
}

/* ---- the value types ---- */

int config_parse_bool(Config *c, const ConfigEntry *e, int ltype, void *data) {
        int b = parse_boolean(e->value);

        (void) ltype;
        if (b < 0) {
                config_entry_error(c, e, "%s=%s: expected yes or no.", e->key, e->value);
                return -EINVAL;
        }
        *(bool *) data = b;
        return 0;
}

/* A size that parses but is neither 2M nor 1G is kept with its error, so that the checks across
 * sections (HugepageSize= against [Hugepages]) still see what was written. */
int config_parse_page_size(Config *c, const ConfigEntry *e, int ltype, void *data) {
        uint64_t *kb = data;

        (void) ltype;
        if (parse_page_size_kb(e->value, kb) < 0 || (*kb != 2048 && *kb != 1048576)) {
                config_entry_error(c, e, "%s=%s: expected 2M or 1G.", e->key, e->value);
                return -EINVAL;
        }
        return 0;
}

int config_parse_cpu_list(Config *c, const ConfigEntry *e, int ltype, void *data) {
        (void) ltype;
        if (cpuset_parse(e->value, data) < 0) {
                config_entry_error(c, e, "%s=%s: expected a CPU list such as 2-7,10.", e->key, e->value);
                return -EINVAL;
        }
        return 0;
}

int config_parse_string(Config *c, const ConfigEntry *e, int ltype, void *data) {
        char **s = data, *v;

        (void) ltype;
        if (string_has_cc(e->value)) {
                config_entry_error(c, e, "%s= contains control characters.", e->key);
                return -EINVAL;
        }
        v = strdup(e->value);
        if (!v)
                return -ENOMEM;
        free(*s);
        *s = v;
        return 0;
}

int config_parse_range(Config *c, const ConfigEntry *e, const ConfigRange *range, unsigned *ret) {
        unsigned v;

        if (safe_atou(e->value, &v) < 0 || v < range->min || v > range->max) {
                config_entry_error(c, e, "%s=%s: %s.", e->key, e->value, range->expected);
                *ret = 0;
                return -EINVAL;
        }
        *ret = v;
        return 0;
}
