/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "log.h"
#include "mgmt.h"
#include "mgmt-internal.h"
#include "rootdir.h"
#include "util.h"

/*
 * Names that a rename gives: a management path written as "mgmt0" names the NIC that a
 * systemd .link file ([Link] Name=, AlternativeName=) or a udev rule (NAME="mgmt0") gives that
 * name. What the rename matches becomes the evidence, with the rename and the name's use named:
 *
 *   .link [Match] MACAddress=, PermanentMACAddress=   the MACs (resolved as any MAC evidence)
 *   .link [Match] Path=pci-<address> (or a glob)      the PCI function(s)
 *   udev ATTR{address}=="<MAC>", KERNELS=="<address>" likewise
 *   anything else (Driver=, OriginalName=, Type=, an empty [Match], KERNEL=="eth*")
 *                                                     MGMT_ANY: no device is known before probe
 *
 * A .link file's NamePolicy= only chooses among the names net_id computes (netname.h), and the
 * gate matches every one of them, so it narrows nothing here. A kernel name (eth<N>) that no
 * interface has now is given in probe order: MGMT_ANY too.
 */

static const char *const udev_rules_dirs[] = {
        "/etc/udev/rules.d", "/run/udev/rules.d", "/usr/local/lib/udev/rules.d",
        "/usr/lib/udev/rules.d", "/lib/udev/rules.d",
};

/* The evidence item that uses name: a name item with it, or a pattern that matches it. */
static const MgmtItem *name_used(const Mgmt *m, const char *name) {
        for (size_t i = 0; i < m->n_items; i++) {
                const MgmtItem *it = &m->items[i];

                if (it->kind == MGMT_NAME && streq(it->value, name))
                        return it;
                if (it->kind == MGMT_GLOB && mgmt_glob_matches(it->value, name))
                        return it;
        }
        return NULL;
}

/* What one rename matches. */
typedef struct Rename {
        Strv macs, paths;      /* MACs; ID_PATHs (pci-<address>) or PCI addresses, globs kept */
        Strv names;            /* the names it gives */
        unsigned name_line;
        bool other;            /* a match key that names no device before probe */
} Rename;

static void rename_done(Rename *r) {
        strv_free(&r->macs);
        strv_free(&r->paths);
        strv_free(&r->names);
        *r = (Rename) {};
}

/* The rename's match as evidence for name, which the item used names (source copied first:
 * adding items moves them). */
static int rename_evidence(Mgmt *m, const Rename *rn, const char *name, const char *used, const char *path) {
        _cleanup_free_ char *src = NULL;
        int r = 0;

        if (asprintf(&src, "%s:%u, which names %s (used by %s)", path, rn->name_line, name, used) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < rn->macs.n && r >= 0; i++)
                r = mgmt_add_source(m, MGMT_MAC, rn->macs.v[i], src);
        for (size_t i = 0; i < rn->paths.n && r >= 0; i++) {
                _cleanup_free_ char *p = strdup(startswith(rn->paths.v[i], "pci-") ? rn->paths.v[i] + 4
                                                                                  : rn->paths.v[i]);

                if (!p)
                        return -ENOMEM;
                if (strpbrk(rn->paths.v[i], "*?[!"))
                        /* udev's KERNELS== globs a PCI address, .link's Path= an ID_PATH */
                        r = mgmt_add_source(m, MGMT_PATH_GLOB, startswith(rn->paths.v[i], "pci-") ? rn->paths.v[i]
                                            : p, src);
                else {
                        p[strcspn(p, "-")] = 0;
                        r = mgmt_add_source(m, MGMT_PCI, p, src);
                }
        }
        if (r < 0 || rn->macs.n > 0 || rn->paths.n > 0)
                return r;
        free(src);
        if (asprintf(&src, "gives the name %s (used by %s) at line %u to a device it matches %s, which is "
                     "not known before the driver probes", name, used, rn->name_line,
                     rn->other ? "by other than MAC or path" : "by nothing (every device)") < 0)
                return -ENOMEM;
        return mgmt_add_source(m, MGMT_ANY, path, src);
}

static int rename_apply(Mgmt *m, const Rename *rn, const char *path) {
        int r = 0;

        for (size_t i = 0; i < rn->names.n && r >= 0; i++) {
                const MgmtItem *it = name_used(m, rn->names.v[i]);
                _cleanup_free_ char *used = NULL;

                if (!it)
                        continue;
                used = strdup(it->source);
                r = used ? rename_evidence(m, rn, rn->names.v[i], used, path) : -ENOMEM;
        }
        return r;
}

/* ---- .link files (systemd.link(5)) ---- */

static int push_words(Strv *l, const char *v) {
        _cleanup_free_ char *copy = strdup(v);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
                if (strv_push(l, strdup(t)) < 0)
                        return -ENOMEM;
        return 0;
}

/* "Key=value" with the key exactly; NULL else. */
static const char *key_value(char *s, const char *key) {
        size_t n = strlen(key);
        char *v;

        if (strncmp(s, key, n) != 0)
                return NULL;
        v = s + n + strspn(s + n, " \t");
        return *v == '=' ? strip(v + 1) : NULL;
}

static int link_line(Rename *rn, const char *section, char *s, unsigned line) {
        const char *v;

        if (streq(section, "Link")) {
                if ((v = key_value(s, "Name")) || (v = key_value(s, "AlternativeName"))) {
                        rn->name_line = rn->name_line ?: line;
                        return push_words(&rn->names, v);
                }
                return 0;
        }
        if (!streq(section, "Match"))
                return 0;
        if ((v = key_value(s, "MACAddress")) || (v = key_value(s, "PermanentMACAddress")))
                return push_words(&rn->macs, v);
        if ((v = key_value(s, "Path")))
                return push_words(&rn->paths, v);
        /* a condition on the host, not on the device */
        if (mgmt_match_condition(s))
                return 0;
        rn->other = true;
        return 0;
}

/* Calls fn on each line of path's text (a BOM skipped, the line stripped, comments and empty
 * lines left out) with its section; returns what the first failing call returned. */
static int each_line(char *text, int (*fn)(void *userdata, const char *section, char *s, unsigned line),
                     void *userdata) {
        char section[64] = "";
        unsigned line = 0;
        int r = 0;

        if (startswith(text, "\xef\xbb\xbf"))
                text += 3;
        for (char *next; text && r >= 0; text = next) {
                char *s = text;

                next = strchr(text, '\n');
                if (next)
                        *next++ = 0;
                s = strip(s);
                line++;
                if (*s == '#' || *s == ';' || *s == 0)
                        continue;
                if (*s == '[' && s[strlen(s) - 1] == ']') {
                        (void) snprintf(section, sizeof(section), "%.*s", (int) strlen(s) - 2, s + 1);
                        continue;
                }
                r = fn(userdata, section, s, line);
        }
        return r;
}

static int link_each(void *userdata, const char *section, char *s, unsigned line) {
        return link_line(userdata, section, s, line);
}

/* The whole file; unreadable or too long: a MGMT_ANY item, and NULL. */
static char *read_rename_file(Mgmt *m, const char *path, int *r) {
        char *buf = NULL;
        size_t size = 0;
        int k = root_read_file(path, 1024 * 1024, &buf, &size);

        *r = 0;
        if (k < 0) {
                *r = mgmt_unreadable(m, path, -k);
                return NULL;
        }
        if (size > 1024 * 1024) {
                free(buf);
                *r = mgmt_malformed(m, path, 0, "longer than 1 MiB");
                return NULL;
        }
        return buf;
}

static int collect_link_file(Mgmt *m, const char *path) {
        _cleanup_(rename_done) Rename rn = {};
        _cleanup_free_ char *text = NULL;
        int r;

        text = read_rename_file(m, path, &r);
        if (!text)
                return r;
        r = each_line(text, link_each, &rn);
        if (r < 0)
                return r;
        /* the device matches all of a [Match]: a MAC or a path is enough to name it */
        if (rn.macs.n > 0 || rn.paths.n > 0)
                rn.other = false;
        return rename_apply(m, &rn, path);
}

/* ---- udev rules that name a network interface (udev(7)) ---- */

/* One "KEY{attr}OP\"value\"" of a rule: its parts, the value unquoted; s is moved past it. */
static bool udev_token(char **s, char **key, char **op, char **value) {
        char *p = *s + strspn(*s, " \t,"), *q;

        if (!*p || *p == '#')
                return false;
        *key = p;
        p += strcspn(p, "=!+-:");
        *op = p;
        while (*p && strchr("=!+-:", *p))
                p++;
        if (*p != '"')
                return false;
        q = strchr(p + 1, '"');
        if (!q)
                return false;
        *value = p + 1;
        *q = 0;
        *s = q + 1;
        return true;
}

/* One rule (a line): NAME= with a literal name, and what it matches. */
static int udev_rule(Mgmt *m, const char *path, unsigned line, char *s) {
        _cleanup_(rename_done) Rename rn = { .name_line = line };
        char *key, *op, *value;
        int r = 0;

        while (r >= 0 && udev_token(&s, &key, &op, &value)) {
                size_t klen = (size_t) (op - key);
                bool match = op[0] == '=' && op[1] == '=';

                if (klen == 4 && strneq(key, "NAME", 4) && !match && op[0] != '!') {
                        if (!strpbrk(value, "$%"))
                                r = strv_push(&rn.names, strdup(value));
                } else if (match && klen == 13 && strneq(key, "ATTR{address}", 13) && !strpbrk(value, "*?[|"))
                        r = strv_push(&rn.macs, strdup(value));
                else if (match && klen == 7 && strneq(key, "KERNELS", 7) && strchr(value, ':'))
                        r = strv_push(&rn.paths, strdup(value));
                else if (match && !(klen == 9 && strneq(key, "SUBSYSTEM", 9)) &&
                         !(klen == 6 && strneq(key, "ACTION", 6)))
                        rn.other = true;
        }
        return r < 0 || rn.names.n == 0 ? r : rename_apply(m, &rn, path);
}

static int udev_each(void *userdata, const char *section, char *s, unsigned line) {
        void **args = userdata;

        (void) section;
        return strstr(s, "NAME") ? udev_rule(args[0], args[1], line, s) : 0;
}

static int collect_rules_file(Mgmt *m, const char *path) {
        _cleanup_free_ char *text = NULL;
        void *args[2] = { m, (void *) path };
        int r;

        text = read_rename_file(m, path, &r);
        return text ? each_line(text, udev_each, args) : r;
}

/* A kernel name (eth<N>) that the evidence uses and no interface has now is given in probe
 * order: it could be any NIC. */
int mgmt_kernel_names(Mgmt *m) {
        m->reading = MGMT_FROM_KERNEL_NAME;
        for (size_t i = 0; i < m->n_items; i++) {
                const MgmtItem *it = &m->items[i];
                _cleanup_free_ char *value = NULL, *src = NULL, *dir = NULL;

                if (it->kind != MGMT_NAME || !startswith(it->value, "eth") || !it->value[3] ||
                    strspn(it->value + 3, "0123456789") != strlen(it->value + 3))
                        continue;
                dir = strjoin3("/sys/class/net/", it->value, NULL);
                if (!dir)
                        return -ENOMEM;
                if (root_exists(dir) > 0)
                        continue;
                value = strdup(it->value);
                if (!value || asprintf(&src, "(used by %s) is a kernel name, which the kernel gives in the "
                                       "order the drivers probe", it->source) < 0 ||
                    mgmt_add_source(m, MGMT_ANY, value, src) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int mgmt_collect_renames(Mgmt *m) {
        _cleanup_(strv_free) Strv links = {}, rules = {};
        int r;

        m->reading = MGMT_FROM_RENAME;
        r = mgmt_networkd_files(m, ".link", &links);

        for (size_t i = 0; i < links.n && r >= 0; i++)
                r = collect_link_file(m, links.v[i]);
        if (r >= 0)
                r = mgmt_conf_files(m, udev_rules_dirs, ELEMENTSOF(udev_rules_dirs), "", ".rules", &rules);
        for (size_t i = 0; i < rules.n && r >= 0; i++)
                r = collect_rules_file(m, rules.v[i]);
        return r;
}
