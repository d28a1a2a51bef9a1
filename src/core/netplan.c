/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "cleanup.h"
#include "mgmt.h"
#include "mgmt-internal.h"
#include "rootdir.h"
#include "util.h"

/*
 * netplan's YAML (netplan(5)): the *.yaml files of /run/netplan, /etc/netplan and /lib/netplan,
 * a file shadowing those of the same name in the directories after it, all of them applied in
 * the order of their names. Each later file may change a definition of an earlier one; here the
 * evidence of every file counts, which is what the merged result names or more.
 *
 * Evidence: an ethernet's match (name:, macaddress:) or, without one, its id; its set-name:; a
 * bond's or bridge's interfaces: and a vlan's link:. A match with neither name: nor macaddress:
 * (driver: only, or empty) fails closed. The parsing is libyaml's.
 */

static const char *const netplan_dirs[] = { "/run/netplan", "/etc/netplan", "/lib/netplan" };

static void yaml_parser_deletep(yaml_parser_t *p) {
        yaml_parser_delete(p);
}

static bool scalar_is(const yaml_node_t *n, const char *s) {
        return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
               memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/* The value of key in the mapping n, or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *n, const char *key) {
        if (!n || n->type != YAML_MAPPING_NODE)
                return NULL;
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
                if (scalar_is(yaml_document_get_node(doc, p->key), key))
                        return yaml_document_get_node(doc, p->value);
        return NULL;
}

static int add_scalar(Mgmt *m, MgmtKind kind, const yaml_node_t *n, const char *path) {
        if (!n || n->type != YAML_SCALAR_NODE)
                return 0;
        return mgmt_add_at(m, kind, (const char *) n->data.scalar.value, n->data.scalar.length, path,
                           (unsigned) n->start_mark.line + 1);
}

/* A match: without name: and macaddress: selects by driver: (which no device shows before its
 * driver probes) or by nothing, every ethernet: it could be any NIC, a MGMT_ANY item. */
static int add_other_match(Mgmt *m, yaml_document_t *doc, const yaml_node_t *id, const yaml_node_t *match,
                           const char *path) {
        const char *name = id && id->type == YAML_SCALAR_NODE ? (const char *) id->data.scalar.value : "";

        if (map_get(doc, match, "driver"))
                return mgmt_add(m, MGMT_ANY, path, strlen(path), "matches the ethernet %s (line %u) by driver:, "
                                "which no device shows before its driver probes, and by no name or MAC", name,
                                (unsigned) match->start_mark.line + 1);
        return mgmt_add(m, MGMT_ANY, path, strlen(path), "matches the ethernet %s (line %u) by nothing (every "
                        "ethernet)", name, (unsigned) match->start_mark.line + 1);
}

/* One ethernets: entry: id, and its definition. */
static int add_ethernet(Mgmt *m, yaml_document_t *doc, const yaml_node_t *id, const yaml_node_t *def,
                        const char *path) {
        const yaml_node_t *match = map_get(doc, def, "match");
        int r;

        if (match && !map_get(doc, match, "name") && !map_get(doc, match, "macaddress"))
                r = add_other_match(m, doc, id, match, path);
        else if (match) {
                r = add_scalar(m, MGMT_NAME, map_get(doc, match, "name"), path);
                if (r >= 0)
                        r = add_scalar(m, MGMT_MAC, map_get(doc, match, "macaddress"), path);
        } else
                r = add_scalar(m, MGMT_NAME, id, path);
        return r < 0 ? r : add_scalar(m, MGMT_NAME, map_get(doc, def, "set-name"), path);
}

/* A port's id names an interface unless the file's ethernets: give it a match:, which counted. */
static int add_port(Mgmt *m, yaml_document_t *doc, const yaml_node_t *network, const yaml_node_t *id,
                    const char *path) {
        const yaml_node_t *ethernets = map_get(doc, network, "ethernets");

        if (!id || id->type != YAML_SCALAR_NODE ||
            map_get(doc, map_get(doc, ethernets, (const char *) id->data.scalar.value), "match"))
                return 0;
        return add_scalar(m, MGMT_NAME, id, path);
}

/* A bond's or bridge's interfaces: (the ids of their ports), a vlan's link:. */
static int add_lower(Mgmt *m, yaml_document_t *doc, const yaml_node_t *network, const yaml_node_t *def,
                     const char *path) {
        const yaml_node_t *list = map_get(doc, def, "interfaces");
        int r = add_port(m, doc, network, map_get(doc, def, "link"), path);

        if (!list || list->type != YAML_SEQUENCE_NODE)
                return r;
        for (yaml_node_item_t *i = list->data.sequence.items.start; i < list->data.sequence.items.top && r >= 0; i++)
                r = add_port(m, doc, network, yaml_document_get_node(doc, *i), path);
        return r;
}

static int add_section(Mgmt *m, yaml_document_t *doc, const yaml_node_t *network, const char *section,
                       const char *path) {
        const yaml_node_t *defs = map_get(doc, network, section);
        bool ethernets = streq(section, "ethernets");
        int r = 0;

        if (!defs || defs->type != YAML_MAPPING_NODE)
                return 0;
        for (yaml_node_pair_t *p = defs->data.mapping.pairs.start; p < defs->data.mapping.pairs.top && r >= 0; p++) {
                const yaml_node_t *id = yaml_document_get_node(doc, p->key);
                const yaml_node_t *def = yaml_document_get_node(doc, p->value);

                r = ethernets ? add_ethernet(m, doc, id, def, path) : add_lower(m, doc, network, def, path);
        }
        return r;
}

/* More port references than any host has: YAML aliases let a line repeat a list, so that a
 * 100 kB file made 9 million lookups (56 s of `dpdk-boot list`), and the generator runs this. */
#define MAX_PORT_REFS 16384

/* The ports bonds: and bridges: name, each list counted as often as it is used. */
static size_t count_port_refs(yaml_document_t *doc, const yaml_node_t *network) {
        static const char *const lowers[] = { "bonds", "bridges" };
        size_t n = 0;

        for (size_t s = 0; s < ELEMENTSOF(lowers); s++) {
                const yaml_node_t *defs = map_get(doc, network, lowers[s]);

                if (!defs || defs->type != YAML_MAPPING_NODE)
                        continue;
                for (yaml_node_pair_t *p = defs->data.mapping.pairs.start; p < defs->data.mapping.pairs.top; p++) {
                        const yaml_node_t *list = map_get(doc, yaml_document_get_node(doc, p->value), "interfaces");

                        if (list && list->type == YAML_SEQUENCE_NODE)
                                n += (size_t) (list->data.sequence.items.top - list->data.sequence.items.start);
                }
        }
        return n;
}

/* The first document of the parser's file. One that libyaml cannot parse (netplan then applies
 * no file at all) could name any NIC once it is fixed: it fails closed. */
static int read_document(Mgmt *m, yaml_parser_t *parser, const char *path) {
        static const char *const sections[] = { "ethernets", "bonds", "bridges", "vlans" };
        const yaml_node_t *network;
        yaml_document_t doc;
        int r = 0;

        if (!yaml_parser_load(parser, &doc)) {
                char what[256];

                if (parser->error == YAML_MEMORY_ERROR)
                        return -ENOMEM;
                (void) snprintf(what, sizeof(what), "YAML: %s", parser->problem ?: "not YAML");
                return mgmt_malformed(m, path, (unsigned) parser->problem_mark.line + 1, what);
        }
        network = map_get(&doc, yaml_document_get_root_node(&doc), "network");
        if (count_port_refs(&doc, network) > MAX_PORT_REFS)
                r = mgmt_add(m, MGMT_ANY, path, strlen(path), "is not judged: its bonds: and bridges: name more "
                             "than %u ports, an alias counted each time it is used", MAX_PORT_REFS);
        else
                for (size_t i = 0; i < ELEMENTSOF(sections) && r >= 0; i++)
                        r = add_section(m, &doc, network, sections[i], path);
        yaml_document_delete(&doc);
        return r;
}

static int read_netplan_file(Mgmt *m, const char *path) {
        _cleanup_(yaml_parser_deletep) yaml_parser_t parser = {};
        _cleanup_fclose_ FILE *f = root_fopen(path);
        int err = errno;

        /* a symlink to /dev/null masks the name, as in networkd */
        if (!f)
                return mgmt_masked(path) > 0 ? 0 : mgmt_unreadable(m, path, err);
        if (!yaml_parser_initialize(&parser))
                return -ENOMEM;
        yaml_parser_set_input_file(&parser, f);
        return read_document(m, &parser, path);
}

/* The .yaml files of dir into paths, unless a directory before it had one of that name. */
static int list_yaml(Mgmt *m, const char *dir, Strv *names, Strv *paths) {
        _cleanup_closedir_ DIR *d = root_opendir(dir);
        struct dirent *de;

        if (!d)
                return mgmt_unreadable(m, dir, errno);
        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);

                if (de->d_name[0] == '.' || n <= 5 || !streq(de->d_name + n - 5, ".yaml") ||
                    strv_contains(names, de->d_name))
                        continue;
                if (strv_push(names, strdup(de->d_name)) < 0 ||
                    strv_push(paths, strjoin3(dir, "/", de->d_name)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int cmp_basename(const void *a, const void *b) {
        return strcmp(strrchr(*(char *const *) a, '/'), strrchr(*(char *const *) b, '/'));
}

int mgmt_collect_netplan(Mgmt *m) {
        _cleanup_(strv_free) Strv names = {}, paths = {};
        int r = 0;

        m->reading = MGMT_FROM_NETPLAN;
        for (size_t i = 0; i < ELEMENTSOF(netplan_dirs) && r >= 0; i++)
                r = list_yaml(m, netplan_dirs[i], &names, &paths);
        qsort_safe(paths.v, paths.n, sizeof(char *), cmp_basename);
        for (size_t i = 0; i < paths.n && r >= 0; i++)
                r = read_netplan_file(m, paths.v[i]);
        return r;
}
