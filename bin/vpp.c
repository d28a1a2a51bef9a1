/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "rootdir.h"
#include "util.h"
#include "vpp.h"

/* Far more than any startup.conf: a bigger file is not one. */
#define VPP_CONFIG_MAX (1024 * 1024)

/* What ends a word: unformat's white space. */
static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A word that starts with '#' comments out the rest of its line. VPP splits lines into words
 * with strtok(" \t\n") before anything else, so "a#b" is one word and no comment. */
static bool at_comment(const char *s, size_t i) {
        return s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n');
}

static size_t skip_blanks_and_comments(const char *s, size_t i) {
        for (;;)
                if (is_blank(s[i]))
                        i++;
                else if (at_comment(s, i))
                        i += strcspn(s + i, "\n");
                else
                        return i;
}

/* A '{' block at s + i: the end after its matching '}'. Comments inside do not count. */
static int scan_block(const char *s, size_t i, size_t *ret_end) {
        unsigned depth = 0;

        while (s[i]) {
                if (at_comment(s, i)) {
                        i += strcspn(s + i, "\n");
                        continue;
                }
                if (s[i] == '\\' && s[i + 1]) {
                        i += 2;
                        continue;
                }
                if (s[i] == '{')
                        depth++;
                else if (s[i] == '}' && --depth == 0) {
                        *ret_end = i + 1;
                        return 0;
                }
                i++;
        }
        return -EINVAL;
}

/*
 * The end of the top-level word at s + i: a block, or a plain word up to the next blank. A brace
 * in a plain word ("dpdk{", a stray "}") is refused: VPP would take it for part of a section
 * name, and nothing after it would mean what it says.
 */
static int scan_word(const char *s, size_t i, size_t *ret_end) {
        if (s[i] == '{')
                return scan_block(s, i, ret_end);
        for (; s[i] && !is_blank(s[i]); i++)
                if (s[i] == '{' || s[i] == '}')
                        return -EINVAL;
                else if (s[i] == '\\' && s[i + 1])
                        i++;
        *ret_end = i;
        return 0;
}

static bool is_replaced_section(const char *s, size_t start, size_t end) {
        return (end - start == 3 && strneq(s + start, "cpu", 3)) ||
               (end - start == 4 && strneq(s + start, "dpdk", 4));
}

/* A section alone on its lines goes with its indentation and line end; else only its words. */
static void cut_extent(const char *s, size_t start, size_t end, size_t *ret_start, size_t *ret_end) {
        size_t ls = start, le = end + strspn(s + end, " \t\r");

        while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
                ls--;
        if ((ls == 0 || s[ls - 1] == '\n') && (s[le] == '\n' || s[le] == 0)) {
                *ret_start = ls;
                *ret_end = s[le] == '\n' ? le + 1 : le;
        } else {
                *ret_start = start;
                *ret_end = end;
        }
}

/* Appends base to b without its top-level "cpu VALUE" and "dpdk VALUE" pairs. */
static int put_base(Buf *b, const char *base) {
        size_t i = 0, kept = 0;
        int r;

        for (;;) {
                size_t name, name_end, value, end, cut_start, cut_end;

                name = skip_blanks_and_comments(base, i);
                if (!base[name])
                        break;
                r = scan_word(base, name, &name_end);
                if (r < 0)
                        return r;
                value = skip_blanks_and_comments(base, name_end);
                end = name_end;
                if (base[value]) {
                        r = scan_word(base, value, &end);
                        if (r < 0)
                                return r;
                }
                i = end;
                if (!is_replaced_section(base, name, name_end))
                        continue;
                cut_extent(base, name, end, &cut_start, &cut_end);
                if (buf_printf(b, "%.*s", (int) (cut_start - kept), base + kept) < 0)
                        return -ENOMEM;
                kept = cut_end;
        }
        return buf_put(b, base + kept);
}

/* The driver all ports share, for uio-driver; NULL when they differ or there are none (VPP's
 * own default, "auto", then picks per device). A bifurcated port stays on its kernel driver and
 * has no such driver: with one among the ports, "auto" decides too. */
static const char *ports_driver(const Plan *p) {
        const char *driver = NULL;

        for (size_t i = 0; i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                if (!plan_device_is_port(d))
                        continue;
                if (d->stays_on || (driver && !streq(driver, d->driver)))
                        return NULL;
                driver = d->driver;
        }
        return driver;
}

static int put_cpu(Buf *b, const PlanDatapath *pd) {
        int r = 0;

        RET_GATHER(r, buf_put(b, "cpu {\n"));
        if (pd->main_core >= 0)
                RET_GATHER(r, buf_printf(b, "  main-core %d\n", pd->main_core));
        if (!cpuset_is_empty(&pd->workers)) {
                _cleanup_free_ char *list = cpuset_to_string(&pd->workers);

                RET_GATHER(r, list ? buf_printf(b, "  corelist-workers %s\n", list) : -ENOMEM);
        }
        RET_GATHER(r, buf_put(b, "}\n"));
        return r;
}

static int put_dpdk(Buf *b, const Plan *p) {
        const PlanDatapath *pd = &p->datapath;
        const char *driver = ports_driver(p);
        int r = 0;

        RET_GATHER(r, buf_put(b, "dpdk {\n"));
        if (pd->hugepage_dir)
                RET_GATHER(r, buf_printf(b, "  huge-dir %s\n", pd->hugepage_dir));
        /* Recent VPP manages its buffer memory itself and only warns that socket-mem is
         * deprecated; older releases hand it to the EAL. */
        if (pd->n_socket_mem > 0) {
                RET_GATHER(r, buf_put(b, "  socket-mem "));
                for (unsigned n = 0; n < pd->n_socket_mem; n++)
                        RET_GATHER(r, buf_printf(b, "%s%u", n > 0 ? "," : "", pd->socket_mem_mb[n]));
                RET_GATHER(r, buf_put(b, "\n"));
        }
        for (size_t i = 0; i < p->n_devices; i++)
                if (plan_device_is_port(&p->devices[i]))
                        RET_GATHER(r, buf_printf(b, "  dev %s\n", p->devices[i].address));
        if (driver)
                RET_GATHER(r, buf_printf(b, "  uio-driver %s\n", driver));
        RET_GATHER(r, buf_put(b, "}\n"));
        return r;
}

int vpp_render_startup(const char *base, const Plan *p, char **ret) {
        _cleanup_(buf_free) Buf b = {};
        int r;

        assert(p);
        assert(ret);

        r = put_base(&b, base ?: "");
        if (r < 0)
                return r;
        /* Our first line is a comment, and '#' only starts one after a blank. */
        if (b.len > 0 && b.data[b.len - 1] != '\n' && buf_put(&b, "\n") < 0)
                return -ENOMEM;
        r = buf_printf(&b, "# Written by dpdk-boot from %s; the cpu and dpdk sections of the base "
                       "file are replaced.\n", p->source ?: CONFIG_MAIN_FILE);
        if (r >= 0)
                r = put_cpu(&b, &p->datapath);
        if (r >= 0)
                r = put_dpdk(&b, p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(b.data);
        return 0;
}

int vpp_read_and_render(const char *config_file, const Plan *p, char **ret) {
        _cleanup_free_ char *base = NULL;
        size_t size = 0;
        int r;

        assert(config_file);
        assert(p);
        assert(ret);

        /* One byte over the limit tells a file that is too big from one that fits. */
        r = root_read_file(config_file, VPP_CONFIG_MAX + 1, &base, &size);
        if (r == -ENOENT) {
                r = vpp_render_startup(NULL, p, ret);
                return r < 0 ? r : 0;
        }
        if (r < 0)
                return r;
        if (size > VPP_CONFIG_MAX)
                return -EFBIG;
        /* A NUL would end the text here and lose the rest without a word. */
        if (strlen(base) != size)
                return -EBADMSG;
        r = vpp_render_startup(base, p, ret);
        return r < 0 ? r : 1;
}
