/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cmdline.h"
#include "log.h"
#include "rootdir.h"
#include "util.h"

void switches_init(Switches *s) {
        *s = (Switches) {
                .enabled = -1, .rd_enabled = -1,
                .hugepages = -1, .bind = -1, .datapath = -1,
                .rd_hugepages = -1, .rd_bind = -1,
        };
}

/* Splits the way the kernel's next_arg() does: whitespace separates words, double quotes group
 * (and are removed), e.g. dpdk.x="a b". */
int cmdline_parse_items(const char *cmdline, cmdline_item_cb cb, void *userdata) {
        _cleanup_free_ char *word = NULL;
        const char *p = cmdline;
        int ret = 0;

        word = malloc(strlen(cmdline) + 1);
        if (!word)
                return -ENOMEM;

        for (;;) {
                bool quoted = false;
                size_t n = 0;
                char *eq;

                while (*p == ' ' || *p == '\t' || *p == '\n')
                        p++;
                if (!*p)
                        break;
                /* the word in runs up to the next quote or (outside quotes) blank */
                for (;;) {
                        size_t k = strcspn(p, quoted ? "\"" : "\" \t\n");

                        memcpy(word + n, p, k);
                        n += k;
                        p += k;
                        if (*p != '"')
                                break;
                        quoted = !quoted;
                        p++;
                }
                word[n] = 0;

                eq = strchr(word, '=');
                if (eq)
                        *eq = 0;
                RET_GATHER(ret, cb(word, eq ? eq + 1 : NULL, userdata));
        }
        return ret;
}

static void parse_bool_item(const char *key, const char *value, int *target) {
        int b;

        /* A bare "dpdk.bind" means yes, as systemd takes bare booleans. */
        b = value ? parse_boolean(value) : 1;
        if (b < 0) {
                log_warning("Failed to parse %s=%s on the kernel command line, ignoring.", key, value);
                return;
        }
        *target = b;
}

static int parse_item(const char *key, const char *value, void *userdata) {
        Switches *s = userdata;
        static const struct {
                const char *key;
                size_t offset;
        } table[] = {
                { "dpdk", offsetof(Switches, enabled) },
                { "rd.dpdk", offsetof(Switches, rd_enabled) },
                { "dpdk.hugepages", offsetof(Switches, hugepages) },
                { "dpdk.bind", offsetof(Switches, bind) },
                { "dpdk.datapath", offsetof(Switches, datapath) },
                { "rd.dpdk.hugepages", offsetof(Switches, rd_hugepages) },
                { "rd.dpdk.bind", offsetof(Switches, rd_bind) },
        };

        /* Every key of ours starts "dpdk" or "rd.dpdk" (no '-' or '_' in either, so the prefix
         * compares as it is); most of a command line is someone else's. */
        if (!(key[0] == 'd' && startswith(key, "dpdk")) && !(key[0] == 'r' && startswith(key, "rd.dpdk")))
                return 0;
        /* Later occurrences of a key win, as for systemd's own switches. */
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (cmdline_key_eq(key, table[i].key)) {
                        parse_bool_item(key, value, (int *) ((char *) s + table[i].offset));
                        return 0;
                }
        if (strncmp(key, "dpdk.", 5) == 0 || strncmp(key, "rd.dpdk.", 8) == 0)
                log_warning("Unknown kernel command line switch %s, ignoring.", key);
        return 0;
}

int switches_parse(Switches *s, const char *cmdline) {
        return cmdline_parse_items(cmdline, parse_item, s);
}

const char *switches_disabled_by(const Switches *s, bool initrd) {
        if (s->enabled == 0)
                return "dpdk=no";
        if (initrd && s->rd_enabled == 0)
                return "rd.dpdk=no";
        return NULL;
}

/* Far above the kernel's COMMAND_LINE_SIZE (2048 to 64 KiB by architecture) and bootconfig's
 * additions: read whole, a dpdk=no at its end counts. */
#define CMDLINE_MAX (1024 * 1024)

int cmdline_read(char **ret) {
        _cleanup_free_ char *s = NULL;
        const char *e;
        size_t n;
        int r;

        e = secure_getenv("SYSTEMD_PROC_CMDLINE");
        if (e) {
                *ret = strdup(e);
                return *ret ? 0 : -ENOMEM;
        }
        r = root_read_file("/proc/cmdline", CMDLINE_MAX + 1, &s, &n);
        if (r < 0)
                return r;
        if (n > CMDLINE_MAX) {
                log_warning("/proc/cmdline is longer than %d bytes, ignoring it.", CMDLINE_MAX);
                return -E2BIG;
        }
        s[strcspn(s, "\n")] = 0;
        *ret = TAKE_PTR(s);
        return 0;
}

bool in_initrd(void) {
        const char *e;
        int b;

        e = secure_getenv("SYSTEMD_IN_INITRD");
        if (e) {
                b = parse_boolean(e);
                if (b >= 0)
                        return b;
        }
        return root_exists("/etc/initrd-release") > 0;
}
