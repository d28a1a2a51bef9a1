/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole pipeline on one host: config -> plan -> units, and the units read back as systemd
 * reads them. The input is split at NUL bytes into the main config file, the kernel command line,
 * a drop-in's name (".conf" appended, '/' made '_') and that drop-in; an empty main part with a
 * drop-in means no main file. The hardware is one snapshot made in memory at start: two NUMA
 * nodes, eight CPUs, both page sizes, an IOMMU, five PCI functions in four groups.
 *
 * For the real root and the initramfs: a config `check` accepts must render without error
 * (generate_units(), as the generator calls it); every unit line is free of control characters
 * and of a trailing backslash; every specifier is one systemd knows; SourcePath= expands to the
 * plan's source; and every Exec*= line, split by an implementation of systemd's rules written
 * here (systemd.service(5) "COMMAND LINES": quotes, C escapes, "\;" and lone ";", the prefixes;
 * systemd.unit(5) specifiers per word; the variables of the environment at run time), gives the
 * words the plan means: render_exec_argv() for the datapath, and, cross-checked, the same words
 * split here by the plan's own syntax (execline.h). Anything else aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "fuzz-common.h"
#include "generate.h"
#include "log.h"
#include "plan.h"
#include "render.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WS " \t\n\r"

static Hardware hw;

/* ---- the hardware snapshot ---- */

static HwDevice devices[] = {
        { .address = "0000:00:04.0", .driver = "ixgbe", .vendor = 0x8086, .device = 0x10fb, .iommu_group = 10 },
        { .address = "0000:00:05.0", .driver = "ixgbe", .vendor = 0x8086, .device = 0x10fb, .iommu_group = 11 },
        { .address = "0000:3b:00.0", .driver = "mlx5_core", .vendor = 0x15b3, .device = 0x1017, .iommu_group = 12 },
        { .address = "0000:af:00.0", .driver = "i40e", .vendor = 0x8086, .device = 0x1572, .iommu_group = 20,
          .numa_node = 1 },
        { .address = "0000:af:00.1", .driver = "", .vendor = 0x8086, .device = 0x1572, .iommu_group = 20,
          .numa_node = 1 },
};
static HwGroupMember group10[] = { { "0000:00:04.0", "ixgbe", 0x020000 } };
static HwGroupMember group11[] = { { "0000:00:05.0", "ixgbe", 0x020000 } };
static HwGroupMember group12[] = { { "0000:3b:00.0", "mlx5_core", 0x020000 } };
static HwGroupMember group20[] = { { "0000:af:00.0", "i40e", 0x020000 }, { "0000:af:00.1", "", 0x020000 } };
static HwGroup groups[] = {
        { .id = 10, .members = group10, .n_members = 1 },
        { .id = 11, .members = group11, .n_members = 1 },
        { .id = 12, .members = group12, .n_members = 1 },
        { .id = 20, .members = group20, .n_members = 2 },
};
static HwNode nodes[2];
static CpuSet siblings[8];

static void hw_setup(void) {
        for (size_t i = 0; i < ELEMENTSOF(devices); i++) {
                HwDevice *d = &devices[i];

                d->present = d->ids_known = true;
                d->class_code = 0x020000;
                d->acpi_index = d->smbios_index = d->ari = -1;
                d->sriov_totalvfs = d->vf_index = -1; /* not SR-IOV capable, no VF */
                snprintf(d->path, sizeof(d->path), "pci0000:%.2s/%s", d->address + 5, d->address);
        }
        for (unsigned cpu = 0; cpu < 8; cpu++) {
                cpuset_set(&hw.online, cpu);
                cpuset_set(&nodes[cpu / 4].cpus, cpu);
                /* threads 0+1, 2+3, ...; the second core of each node isolated */
                cpuset_set(&siblings[cpu], cpu);
                cpuset_set(&siblings[cpu], cpu ^ 1);
                if (cpu % 4 >= 2)
                        cpuset_set(&hw.isolated, cpu);
        }
        nodes[1].id = 1;
        hw = (Hardware) {
                .flags = HW_READ_FULL, .online = hw.online, .isolated = hw.isolated,
                .nodes = nodes, .n_nodes = 2,
                .page_sizes_kb = { 2048, 1048576 }, .n_page_sizes = 2,
                .iommu_present = true, .scanned = true,
                .devices = devices, .n_devices = ELEMENTSOF(devices),
                .groups = groups, .n_groups = ELEMENTSOF(groups),
                .siblings = siblings, .n_siblings = 8,
        };
}

/* ---- systemd's side: specifiers, C escapes, words, variables ---- */

/* unit_full_printf(): "%%" is '%', a known specifier some value that is not its text, an unknown
 * one an error (the setting is ignored); a '%' at the very end stays. */
static bool sd_printf(const char *s, Buf *out) {
        static const char known[] = "aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY";

        for (const char *c = s; *c; c++) {
                if (*c != '%') {
                        buf_putn(out, c, 1);
                        continue;
                }
                if (!c[1]) {
                        buf_put(out, "%");
                        break;
                }
                c++;
                if (*c == '%')
                        buf_put(out, "%");
                else if (strchr(known, *c))
                        buf_printf(out, "<specifier %c>", *c);
                else
                        return false;
        }
        buf_putn(out, "", 0);
        return true;
}

static int hexval(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
               c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void put_utf8(Buf *b, unsigned long u) {
        char s[4];
        size_t n;

        if (u < 0x80)
                s[0] = (char) u, n = 1;
        else if (u < 0x800)
                s[0] = (char) (0xc0 | u >> 6), s[1] = (char) (0x80 | (u & 0x3f)), n = 2;
        else if (u < 0x10000)
                s[0] = (char) (0xe0 | u >> 12), s[1] = (char) (0x80 | ((u >> 6) & 0x3f)),
                s[2] = (char) (0x80 | (u & 0x3f)), n = 3;
        else
                s[0] = (char) (0xf0 | u >> 18), s[1] = (char) (0x80 | ((u >> 12) & 0x3f)),
                s[2] = (char) (0x80 | ((u >> 6) & 0x3f)), s[3] = (char) (0x80 | (u & 0x3f)), n = 4;
        buf_putn(b, s, n);
}

/* cunescape_one(): the escape after a backslash at p into b; its length, or 0 if invalid. */
static size_t sd_unescape_one(const char *p, Buf *b) {
        static const char from[] = "abfnrtv\\\"'s", to[] = "\a\b\f\n\r\t\v\\\"' ";
        const char *k = *p ? strchr(from, *p) : NULL;
        unsigned long u = 0;
        size_t n = *p == 'x' ? 2 : *p == 'u' ? 4 : *p == 'U' ? 8 : 0;

        if (k) {
                buf_putn(b, &to[k - from], 1);
                return 1;
        }
        if (*p >= '0' && *p <= '7') {
                for (size_t i = 0; i < 3; i++) {
                        if (p[i] < '0' || p[i] > '7')
                                return 0;
                        u = u * 8 + (unsigned long) (p[i] - '0');
                }
                if (u == 0 || u > 0377)
                        return 0;
                buf_putn(b, &(char) { (char) u }, 1);
                return 3;
        }
        for (size_t i = 1; i <= n; i++) {
                if (hexval(p[i]) < 0)
                        return 0;
                u = u * 16 + (unsigned long) hexval(p[i]);
        }
        if (n == 0 || u == 0 || u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
                return 0;
        if (n == 2)
                buf_putn(b, &(char) { (char) u }, 1);
        else
                put_utf8(b, u);
        return n + 1;
}

/* extract_first_word_and_warn(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE): 1 and the word, 0 at the end,
 * -1 for unbalanced quotes. Quotes may open and close anywhere in a word; escapes work inside
 * them too. An unknown escape, or a backslash at the very end, is kept as it is (systemd warns
 * "Ignoring unknown escape sequences" and retries with EXTRACT_UNESCAPE_RELAX). */
static int sd_word(const char **p, char **ret) {
        const char *s = *p + strspn(*p, WS);
        _cleanup_(buf_free) Buf w = {};
        char quote = 0;

        if (!*s)
                return 0;
        buf_putn(&w, "", 0);
        for (; *s && (quote || !strchr(WS, *s)); s++) {
                if (*s == '\\' && !s[1]) {
                        if (quote)
                                return -1;
                        buf_put(&w, "\\");
                } else if (*s == '\\') {
                        size_t n = sd_unescape_one(s + 1, &w);

                        if (n == 0)
                                buf_putn(&w, s, 2);
                        s += n ?: 1;
                } else if (quote ? *s == quote : (*s == '"' || *s == '\''))
                        quote = quote ? 0 : *s;
                else
                        buf_putn(&w, s, 1);
        }
        if (quote || !w.data)
                return -1;
        *p = s;
        *ret = TAKE_PTR(w.data);
        return 1;
}

/* The environment the datapath would run with, for replace_env_argv(). */
static const char *const env[][2] = {
        { "XDG_RUNTIME_DIR", "/run/dpdk-boot-datapath" }, { "HOME", "/root" }, { "SPLIT", "a b" },
};

static const char *env_get(const char *name, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(env); i++)
                if (strlen(env[i][0]) == n && strncmp(env[i][0], name, n) == 0)
                        return env[i][1];
        return NULL;
}

/* replace_env(): "${NAME}" its value ("" when unset), "$$" a '$', any other '$' itself. */
static char *sd_replace_env(const char *w) {
        Buf b = {};

        buf_putn(&b, "", 0);
        for (const char *c = w; *c; c++) {
                const char *end;

                if (c[0] == '$' && c[1] == '$')
                        buf_put(&b, "$"), c++;
                else if (c[0] == '$' && c[1] == '{' && (end = strchr(c + 2, '}'))) {
                        buf_put(&b, env_get(c + 2, (size_t) (end - c - 2)) ?: "");
                        c = end;
                } else
                        buf_putn(&b, c, 1);
        }
        return b.data;
}

/* replace_env_argv(): a word "$NAME" becomes the value split at whitespace (no word when unset),
 * any other word goes through replace_env(). */
static void sd_expand_env(Strv *argv) {
        Strv out = {};

        for (size_t i = 0; i < argv->n; i++) {
                const char *w = argv->v[i];

                if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
                        const char *v = env_get(w + 1, strlen(w + 1)) ?: "";

                        for (size_t n; *(v += strspn(v, WS)); v += n) {
                                n = strcspn(v, WS);
                                strv_push(&out, strndup(v, n));
                        }
                } else
                        strv_push(&out, sd_replace_env(w));
        }
        strv_free(argv);
        *argv = out;
}

/* What config_parse_exec() accepts as the executable (string_is_safe(), not a directory, an
 * absolute path with names of at most 255 bytes). */
static bool sd_path_ok(const char *path) {
        if (path[0] != '/' || path[strlen(path) - 1] == '/' || strlen(path) >= 4096)
                return false;
        for (const char *c = path; *c; c++)
                if ((unsigned char) *c < ' ' || strchr("\"'\\\x7f", *c))
                        return false;
        for (const char *c = path; *c; ) {
                size_t n = strcspn(c, "/");

                if (n > 255)
                        return false;
                c += n + strspn(c + n, "/");
        }
        return true;
}

/* The prefixes of the first word ("-@:+!"), once each; the flags that matter here. */
static const char *sd_prefixes(const char *f, bool *separate_argv0, bool *no_env) {
        bool seen[5] = {};

        for (const char *k; *f && (k = strchr("-@:+!", *f)) && !seen[k - "-@:+!"]; f++) {
                seen[k - "-@:+!"] = true;
                *separate_argv0 = *separate_argv0 || *f == '@';
                *no_env = *no_env || *f == ':';
        }
        return f;
}

/* Appends a specifier-expanded word; false when systemd would refuse it. */
static bool push_printf(Strv *argv, const char *word) {
        Buf b = {};

        if (!sd_printf(word, &b)) {
                buf_free(&b);
                return false;
        }
        return strv_push(argv, b.data) >= 0;
}

/*
 * config_parse_exec() for a value holding one command: its argv after specifiers and, at run
 * time, variables. false when systemd would refuse the line, or it holds a second command.
 */
static bool sd_exec(const char *value, Strv *ret) {
        _cleanup_free_ char *first = NULL;
        _cleanup_(strv_free) Strv argv = {};
        bool separate_argv0 = false, no_env = false;
        const char *p = value, *f;
        Buf path = {};

        if (sd_word(&p, &first) <= 0)
                return false;
        f = sd_prefixes(first, &separate_argv0, &no_env);
        if (!sd_printf(f, &path) || !*path.data || !sd_path_ok(path.data)) {
                buf_free(&path);
                return false;
        }
        if (!separate_argv0)
                strv_push(&argv, path.data);
        else
                buf_free(&path);
        for (;;) {
                _cleanup_free_ char *word = NULL;
                int r;

                p += strspn(p, WS);
                if (p[0] == ';' && (!p[1] || strchr(WS, p[1])))
                        return false; /* a second command */
                if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(WS, p[2]))) {
                        strv_push(&argv, strdup(";"));
                        p += 2;
                        continue;
                }
                r = sd_word(&p, &word);
                if (r < 0 || (r > 0 && !push_printf(&argv, word)))
                        return false;
                if (r == 0)
                        break;
        }
        if (argv.n == 0)
                return false;
        if (!no_env)
                sd_expand_env(&argv);
        *ret = argv;
        argv = (Strv) {};
        return true;
}

/* ---- the plan's side: its command-line syntax (execline.h), split here on its own ---- */

static bool plan_split(const char *s, Strv *ret) {
        Strv l = {};

        for (;;) {
                Buf w = {};
                char quote = 0;

                s += strspn(s, " ");
                if (!*s)
                        break;
                buf_putn(&w, "", 0);
                for (; *s && (quote || *s != ' '); s++)
                        if (*s == '\\' && s[1] && strchr("\\\"'", s[1]))
                                buf_putn(&w, ++s, 1);
                        else if (*s == '\\')
                                quote = 1; /* no such escape: an error, below */
                        else if (quote != 1 && (quote ? *s == quote : (*s == '"' || *s == '\'')))
                                quote = quote ? 0 : *s;
                        else if (quote != 1)
                                buf_putn(&w, s, 1);
                if (quote) {
                        buf_free(&w);
                        strv_free(&l);
                        return false;
                }
                strv_push(&l, w.data);
        }
        *ret = l;
        return true;
}

static void check_same(const char *what, const Strv *got, const Strv *want) {
        bool same = got->n == want->n;

        for (size_t i = 0; same && i < got->n; i++)
                same = streq(got->v[i], want->v[i]);
        if (same)
                return;
        fprintf(stderr, "%s: systemd runs %zu words, the plan means %zu:\n", what, got->n, want->n);
        for (size_t i = 0; i < got->n || i < want->n; i++)
                fprintf(stderr, "  [%zu] \"%s\" | \"%s\"\n", i, i < got->n ? got->v[i] : "-",
                        i < want->n ? want->v[i] : "-");
        fuzz_fail("%s: the words differ", what);
}

/* ---- the units ---- */

/* The datapath's ExecStart=: the words render_exec_argv() says the plan means, which this
 * file's own reading of the plan's syntax must give too, and which systemd must run. */
static void check_datapath_exec(const Plan *p, const char *value) {
        _cleanup_(strv_free) Strv got = {}, want = {}, again = {};
        int r;

        r = render_exec_argv(p, &want);
        if (r < 0)
                fuzz_fail("render_exec_argv() failed on a rendered unit: %d", r);
        if (!plan_split(p->datapath.exec_start, &again))
                fuzz_fail("the plan's command does not split: %s", p->datapath.exec_start);
        check_same("render_exec_argv() and the plan's syntax", &want, &again);
        if (!sd_exec(value, &got))
                fuzz_fail("systemd would refuse ExecStart=%s", value);
        check_same("the datapath's ExecStart=", &got, &want);
}

/* Our own commands (ExecStartPre=+.../dpdk-boot grant, ...): plain words, each meaning itself. */
static void check_static_exec(const char *key, const char *value) {
        _cleanup_(strv_free) Strv got = {}, want = {};
        bool a = false, b = false;
        const char *v = sd_prefixes(value, &a, &b);

        if (!*value)
                return; /* "ExecStart=" resets the list (the vpp drop-in) */
        for (size_t n; *(v += strspn(v, " ")); v += n) {
                n = strcspn(v, " ");
                strv_push(&want, strndup(v, n));
        }
        if (!sd_exec(value, &got))
                fuzz_fail("systemd would refuse %s=%s", key, value);
        check_same(key, &got, &want);
}

static void check_line(const Plan *p, const char *unit, const char *line) {
        _cleanup_(buf_free) Buf b = {};
        const char *eq = strchr(line, '=');
        _cleanup_free_ char *key = NULL;

        if (line[0] == '#' || line[0] == '[' || !line[0])
                return;
        if (!eq)
                fuzz_fail("%s: a line that is no setting: %s", unit, line);
        key = strndup(line, (size_t) (eq - line));
        if (startswith(key, "Exec")) {
                if (streq(unit, UNIT_DATAPATH) && streq(key, "ExecStart"))
                        check_datapath_exec(p, eq + 1);
                else
                        check_static_exec(key, eq + 1);
                return;
        }
        if (!sd_printf(eq + 1, &b))
                fuzz_fail("%s: an unknown specifier: %s", unit, line);
        if (streq(key, "SourcePath") && !streq(b.data, p->source))
                fuzz_fail("%s: SourcePath=%s expands to \"%s\", not \"%s\"", unit, eq + 1, b.data, p->source);
}

/* One unit file: every line ends in a newline, holds no other control character and does not
 * continue onto the next one; the datapath has exactly one ExecStart=. */
static void check_unit(const Plan *p, const char *path, const char *unit) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        char line[1 << 16];
        unsigned exec = 0;

        if (!f)
                fuzz_fail("open %s", path);
        while (fgets(line, sizeof(line), f)) {
                size_t n = strlen(line);

                if (n == 0 || line[n - 1] != '\n')
                        fuzz_fail("%s: a line without its newline (or a NUL): %s", unit, line);
                line[--n] = 0;
                if (string_has_cc(line))
                        fuzz_fail("%s: a control character in: %s", unit, line);
                if (n > 0 && line[n - 1] == '\\')
                        fuzz_fail("%s: a line that continues onto the next: %s", unit, line);
                exec += startswith(line, "ExecStart=");
                check_line(p, unit, line);
        }
        if (streq(unit, UNIT_DATAPATH) && exec != 1)
                fuzz_fail("%u ExecStart= lines in %s", exec, unit);
}

/* Every regular file under dir (units, and the drop-ins in <unit>.d/). */
static void check_dir(const Plan *p, const char *dir, const char *sub) {
        _cleanup_closedir_ DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                fuzz_fail("opendir %s", dir);
        while ((de = readdir(d))) {
                char path[4096];

                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                if (de->d_type == DT_DIR)
                        check_dir(p, path, de->d_name);
                else if (de->d_type == DT_REG)
                        check_unit(p, path, sub ? sub : de->d_name);
        }
}

/* ---- check <=> render ---- */

/* Whether this file's own reading says the command can be written for systemd: it splits, and
 * systemd runs its path as written, which it does not when it holds a '$' (no variable is
 * expanded there, so "$$" would stay two). */
static bool command_expressible(const char *s) {
        _cleanup_(strv_free) Strv argv = {};
        bool ok;

        if (!plan_split(s, &argv) || argv.n == 0)
                return false;
        ok = sd_path_ok(argv.v[0]) && !strchr(argv.v[0], '$');
        for (size_t i = 1; ok && i < argv.n; i++)
                ok = !string_has_cc(argv.v[i]);
        return ok;
}

/* Whether the errors hold the syntax error of execline.h for the key at loc: the message ends
 * with the explanation of the syntax (the value it quotes may hold those words too, and did: a
 * value with "(words are separated by spaces" in it, refused for another reason, passed for
 * one refused for its syntax). */
static bool refused_for(const Config *c, const Location *loc, const char *key) {
        static const char syntax[] = "(words are separated by spaces, grouped by \"...\" or '...'; a backslash "
                                     "escapes only \\, \" and ').";
        char prefix[4096];

        if (!loc->file)
                return false;
        snprintf(prefix, sizeof(prefix), "%s:%u: %s", loc->file, loc->line, key);
        for (size_t i = 0; i < c->errors.n; i++) {
                const char *e = c->errors.v[i];
                size_t len = strlen(e);

                if (startswith(e, prefix) && len >= strlen(syntax) && streq(e + len - strlen(syntax), syntax))
                        return true;
        }
        return false;
}

/* check refuses a command line exactly when it cannot be rendered as the words it means. */
static void check_refusals(const Config *c) {
        const DatapathConfig *d = &c->datapath;
        _cleanup_(strv_free) Strv words = {};
        bool exec = d->preset == DATAPATH_CUSTOM && d->exec_start && !command_expressible(d->exec_start);
        bool extra = d->preset == DATAPATH_TESTPMD && d->extra_args && !plan_split(d->extra_args, &words);

        if (!c->exists)
                return;
        if (exec != refused_for(c, &d->exec_start_loc, "ExecStart="))
                fuzz_fail("ExecStart=%s: %s by check, but %s", d->exec_start, exec ? "accepted" : "refused",
                          exec ? "it cannot be written for systemd" : "it can be written for systemd");
        if (extra != refused_for(c, &d->loc, "[Datapath] ExtraArgs="))
                fuzz_fail("ExtraArgs=%s: %s by check, but %s", d->extra_args, extra ? "accepted" : "refused",
                          extra ? "it does not split" : "it splits");
}

/* ---- one input ---- */

static void run_stage(Context *ctx, bool initrd) {
        const char *out = fuzz_path("/out");
        int r;

        r = plan_build(&ctx->config, &ctx->switches, &hw, initrd, &ctx->plan);
        if (r < 0)
                fuzz_fail("plan_build failed: %d", r);
        if (mkdir(out, 0755) < 0)
                fuzz_fail("mkdir %s: %s", out, strerror(errno));
        r = generate_units(ctx, out);
        if (r < 0)
                fuzz_fail("%s: accepted by the config parser, but rendering failed: %s",
                          initrd ? "initrd" : "real root", strerror(-r));
        check_dir(&ctx->plan, out, NULL);
        fuzz_rm_rf(out);
        plan_free(&ctx->plan);
}

/* part i of the input: the bytes up to the i-th NUL */
static size_t part(const uint8_t *data, size_t size, unsigned i, const uint8_t **ret) {
        const uint8_t *p = data, *end = data + size, *nul;

        for (; i > 0; i--) {
                nul = memchr(p, 0, (size_t) (end - p));
                if (!nul) {
                        *ret = end;
                        return 0;
                }
                p = nul + 1;
        }
        nul = memchr(p, 0, (size_t) (end - p));
        *ret = p;
        return (size_t) ((nul ?: end) - p);
}

static void write_files(const uint8_t *data, size_t size) {
        const uint8_t *main_text, *name, *text;
        size_t n_main = part(data, size, 0, &main_text), n_name = part(data, size, 2, &name),
               n_text = part(data, size, 3, &text);
        char rel[160];

        if (n_main > 0 || n_name == 0)
                fuzz_write(CONFIG_MAIN_FILE, main_text, n_main, 0644);
        if (n_name == 0)
                return;
        n_name = n_name > 100 ? 100 : n_name;
        snprintf(rel, sizeof(rel), "/etc/dpdk-boot/conf.d/%.*s.conf", (int) n_name, (const char *) name);
        for (char *c = rel + strlen("/etc/dpdk-boot/conf.d/"); *c; c++)
                if (*c == '/')
                        *c = '_';
        fuzz_write(rel, text, n_text, 0644);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);
        fuzz_root_setup();
        hw_setup();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Context ctx = {};
        const uint8_t *cmdline;
        size_t n = part(data, size, 1, &cmdline);

        /* made and removed with every input (fuzz_undo()), so that nothing stays in between */
        fuzz_mkdir_p("/etc/dpdk-boot/conf.d");
        write_files(data, size);
        if (config_load(&ctx.config) < 0)
                fuzz_fail("config_load failed");
        check_refusals(&ctx.config);
        ctx.cmdline = strndup((const char *) cmdline, n);
        switches_init(&ctx.switches);
        (void) switches_parse(&ctx.switches, ctx.cmdline);
        run_stage(&ctx, /* initrd= */ false);
        run_stage(&ctx, /* initrd= */ true);
        config_free(&ctx.config);
        free(ctx.cmdline);
        fuzz_undo();
        return 0;
}
