/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "grub-default.h"
#include "rootdir.h"
#include "test-util.h"

static char root[] = "/tmp/test-grub-default.XXXXXX";

/* The file rel in the tree holds size bytes of data (NUL bytes too). */
static void put_bytes(const char *rel, const char *data, size_t size) {
        char path[256];
        FILE *f;

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        check((f = fopen(path, "we")));
        check(fwrite(data, 1, size, f) == size);
        check(fclose(f) == 0);
}

static void put(const char *rel, const char *text) {
        put_bytes(rel, text, strlen(text));
}

/* The effective line, and the file and line of the word at index i. */
static void expect_word(const GrubDefault *g, size_t i, const char *text, const char *file, unsigned line) {
        check(i < g->n_words);
        check_streq(g->words[i].text, text);
        check_streq(g->files.v[g->words[i].file], file);
        check(g->words[i].line == line);
}

static void test_quoting(void) {
        _cleanup_(grub_default_free) GrubDefault g = {};

        put("/etc/default/grub",
            "# comment GRUB_CMDLINE_LINUX=\"no\"\n"
            "GRUB_DEFAULT=0\n"
            "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
            "export GRUB_CMDLINE_LINUX='quiet \"a b\"'\n"
            "GRUB_CMDLINE_LINUX_DEFAULT=\"splash \\\n"
            "  isolcpus=1\"  # trailing comment\n"
            "X=vt.handoff=7; GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }$X\"\n");
        put("/etc/default/grub.d/10-a.cfg",
            "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT nohz_full=1\"\n"
            "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} ${UNSET:-d=\\\"x\\\"} ${UNSET:+gone} $\"\n");
        put("/etc/default/grub.d/20-b.txt", "GRUB_CMDLINE_LINUX=ignored\n");
        check(grub_default_read(&g, NULL, NULL) == 0);
        /* as bash makes it: "${UNSET:+gone}" leaves its blanks, "\\\n" goes */
        check_streq(g.line, "quiet \"a b\" vt.handoff=7 d=\"x\"  $ splash   isolcpus=1 nohz_full=1");
        check(g.files.n == 2);
        expect_word(&g, 0, "quiet", "/etc/default/grub", 4);
        expect_word(&g, 1, "\"a b\"", "/etc/default/grub", 4);
        expect_word(&g, 2, "vt.handoff=7", "/etc/default/grub", 7);
        expect_word(&g, 3, "d=\"x\"", "/etc/default/grub.d/10-a.cfg", 2);
        expect_word(&g, 6, "isolcpus=1", "/etc/default/grub", 6);
        expect_word(&g, 7, "nohz_full=1", "/etc/default/grub.d/10-a.cfg", 1);
        /* assignments of the two: where their values are, and which can be edited */
        check(g.n_assigns == 5);
        check(g.assigns[0].editable && !g.assigns[2].editable && !g.assigns[3].editable);
        check(g.assigns[1].line == 5 && !g.assigns[1].editable); /* the backslash-newline */
}

static void test_overlay_and_errors(void) {
        _cleanup_(grub_default_free) GrubDefault g = {}, h = {}, e = {}, u = {}, n = {};
        char path[256];

        (void) snprintf(path, sizeof(path), "%s/etc/default/grub.d/10-a.cfg", root);
        check(unlink(path) == 0);
        put("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\"\n");
        check(grub_default_read(&g, "/etc/default/grub.d/50-x.cfg",
                                "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }hugepages=4\"\n") == 0);
        check_streq(g.line, "quiet hugepages=4 ");
        expect_word(&g, 1, "hugepages=4", "/etc/default/grub.d/50-x.cfg", 1);
        /* a removed overlay is not read even when the file is there */
        put("/etc/default/grub.d/50-x.cfg", "GRUB_CMDLINE_LINUX=\"hugepages=8\"\n");
        check(grub_default_read(&h, "/etc/default/grub.d/50-x.cfg", NULL) == 0);
        check_streq(h.line, "quiet ");
        put("/etc/default/grub.d/60-y.cfg", "if true; then GRUB_CMDLINE_LINUX=\"x\"; fi\n");
        check(grub_default_read(&e, NULL, NULL) == -EINVAL);
        check(e.error && strstr(e.error, "/etc/default/grub.d/60-y.cfg:1: GRUB_CMDLINE_LINUX set by something else"));
        put("/etc/default/grub.d/60-y.cfg", "A=$(date)\nGRUB_CMDLINE_LINUX_DEFAULT=\"\n\n${A}\"\n");
        check(grub_default_read(&u, NULL, NULL) == -EINVAL);
        check(u.error && strstr(u.error, "/etc/default/grub.d/60-y.cfg:4: uses $A, whose value"));
        put("/etc/default/grub.d/60-y.cfg", "B=1\nGRUB_CMDLINE_LINUX=\"${B:+${B:-x}}\"\n");
        check(grub_default_read(&n, NULL, NULL) == -EINVAL);
        check(n.error && strstr(n.error, "60-y.cfg:2: an operator inside the word of '${...}'"));
}

/* '...' is editable with its '"' in pairs; an odd one (the kernel's quote, open to the end) or a
 * value over lines is not (found by fuzz/fuzz-bootloader: a word taken out before the open quote
 * changed what it held). */
static void test_editable_quotes(void) {
        _cleanup_(grub_default_free) GrubDefault g = {};
        char path[256];

        put("/etc/default/grub",
            "GRUB_CMDLINE_LINUX='isolcpus=1\nb'\n"
            "GRUB_CMDLINE_LINUX='isolcpus=1 \"a b\"'\n"
            "GRUB_CMDLINE_LINUX='isolcpus=1 a\" b'\n");
        for (size_t i = 0; i < 2; i++) {
                (void) snprintf(path, sizeof(path), "%s/etc/default/grub.d/%s", root, i ? "60-y.cfg" : "50-x.cfg");
                check(unlink(path) == 0);
        }
        check(grub_default_read(&g, NULL, NULL) == 0);
        check(g.n_assigns == 3);
        check(!g.assigns[0].editable && g.assigns[1].editable && !g.assigns[2].editable);
}

/* A line break in the line grub-mkconfig writes: what follows it is a GRUB command of its own in
 * grub.cfg, not kernel arguments, so no word of it can be judged (found by fuzz/fuzz-bootloader:
 * a '"' left open before the break took "isolcpus" after it in, for a reader of the joined line,
 * and TakeOverArgs= took it out as the user's isolcpus=). The error names where the break is, in
 * the value as written or in a variable it expands. */
static void test_line_break(void) {
        _cleanup_(grub_default_free) GrubDefault g = {}, h = {}, k = {};

        put("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\nsplash\"\n");
        check(grub_default_read(&g, NULL, NULL) == -EINVAL);
        check(g.error && strstr(g.error, "/etc/default/grub:1: GRUB_CMDLINE_LINUX holds a line break"));
        put("/etc/default/grub", "# x\nA=\"a\n\nb\"\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet $A\"\n");
        check(grub_default_read(&h, NULL, NULL) == -EINVAL);
        check(h.error && strstr(h.error, "/etc/default/grub:2: GRUB_CMDLINE_LINUX_DEFAULT holds a line break"));
        /* a backslash-newline inside "..." is no line break: the shell takes both out */
        put("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet \\\nsplash\"\n");
        check(grub_default_read(&k, NULL, NULL) == 0);
        check_streq(k.line, "quiet splash ");
}

/* Expansions make at most 1 MiB in all, then each is an error naming its line, not gigabytes
 * (found by fuzz/fuzz-bootloader: a value that doubles with each line, and one copied into many
 * variables). */
static void test_expansion_budget(void) {
        _cleanup_(grub_default_free) GrubDefault g = {}, h = {}, c = {};
        _cleanup_(buf_free) Buf b = {}, d = {};

        check(buf_put(&b, "A=x\n") >= 0);
        for (unsigned i = 0; i < 24; i++)
                check(buf_put(&b, "A=\"$A$A\"\n") >= 0);
        check(buf_put(&b, "GRUB_CMDLINE_LINUX=\"$A\"\n") >= 0);
        put("/etc/default/grub", b.data);
        check(grub_default_read(&g, NULL, NULL) == -EINVAL);
        /* A is not ours: its error counts where the command line uses it, with the first cause
         * (2^21 - 2 bytes made by line 21) */
        check(g.error && strstr(g.error, "/etc/default/grub:26: uses $A, whose value"));
        check(strstr(g.error, "/etc/default/grub:21) cannot be computed: expansions have made more than 1048576 bytes"));
        /* 32 kB copied 40 times: no value is large, all of them are */
        check(buf_put(&d, "A=x\n") >= 0);
        for (unsigned i = 0; i < 15; i++)
                check(buf_put(&d, "A=\"$A$A\"\n") >= 0);
        for (unsigned i = 1; i <= 40; i++)
                check(buf_printf(&d, "B%u=$A\n", i) >= 0);
        check(buf_put(&d, "GRUB_CMDLINE_LINUX=\"$B40\"\n") >= 0);
        put("/etc/default/grub", d.data);
        check(grub_default_read(&c, NULL, NULL) == -EINVAL);
        check(c.error && strstr(c.error, "uses $B40, whose value"));
        check(strstr(c.error, "cannot be computed: expansions have made more than 1048576 bytes"));
        /* what a real file expands stays far below */
        put("/etc/default/grub", "A=x\nA=\"$A$A\"\nGRUB_CMDLINE_LINUX=\"$A quiet\"\n");
        check(grub_default_read(&h, NULL, NULL) == 0);
        check_streq(h.line, "xx quiet ");
}

/* A string or $(...) that runs on across lines is one word or command to its end, also where its
 * value is not computed: never assignments of its own (found by fuzz/fuzz-bootloader: after a
 * value over the budget, the parse went on inside its string, so that whether the files parsed
 * depended on our snippet's words). */
static void test_strings_across_lines(void) {
        _cleanup_(grub_default_free) GrubDefault g = {}, h = {}, c = {}, s = {}, z = {}, d = {};

        put("/etc/default/grub",
            "X=\"$(hostname)\nGRUB_CMDLINE_LINUX=inside\n\"\n"
            "Y=`uname\nGRUB_CMDLINE_LINUX=inside2`\n"
            "GRUB_CMDLINE_LINUX=\"a\"\n");
        check(grub_default_read(&g, NULL, NULL) == 0);
        check_streq(g.line, "a ");
        check(g.n_assigns == 1 && g.assigns[0].line == 6);
        /* a command's string: the shell sets nothing in it */
        put("/etc/default/grub",
            "printf '%s\\n' \"\nA=inside # not a comment\n\" >/dev/null # a comment's \"\n"
            "Z=$(echo \")\"; B=b)\n"
            "GRUB_CMDLINE_LINUX=\"${A:-unset} $B\"\n");
        check(grub_default_read(&h, NULL, NULL) == 0);
        check_streq(h.line, "unset  ");
        /* a command over lines that names the variable is refused, naming its first line */
        put("/etc/default/grub", "A=1\necho \"\nGRUB_CMDLINE_LINUX=x\n\"\n");
        check(grub_default_read(&c, NULL, NULL) == -EINVAL);
        check(c.error && strstr(c.error, "/etc/default/grub:2: GRUB_CMDLINE_LINUX set by something else"));
        /* a here-document's lines are text */
        put("/etc/default/grub", "cat >/dev/null <<EOF\nA=inside\nEOF\nGRUB_CMDLINE_LINUX=\"$A\"\n");
        check(grub_default_read(&d, NULL, NULL) == -EINVAL);
        check(d.error && strstr(d.error, "/etc/default/grub:1: a here-document"));
        /* the shell runs $(...) in the word of ${A:+...} */
        put("/etc/default/grub", "A=1\nGRUB_CMDLINE_LINUX=\"${A:+$(cat /x)}\"\n");
        check(grub_default_read(&s, NULL, NULL) == -EINVAL);
        check(s.error && strstr(s.error, "a command substitution '$('"));
        /* a NUL byte: the parser would stop at it, and the rest would not count */
        {
                static const char nul[] = "GRUB_CMDLINE_LINUX=\"a\"\n#\0\nGRUB_CMDLINE_LINUX=b\n";

                put_bytes("/etc/default/grub", nul, sizeof(nul) - 1);
        }
        check(grub_default_read(&z, NULL, NULL) == -EINVAL);
        check(z.error && strstr(z.error, "/etc/default/grub holds a NUL byte"));
}

int main(void) {
        char path[256];

        check(mkdtemp(root));
        root_set(root);
        (void) snprintf(path, sizeof(path), "%s/etc", root);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc/default", root);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc/default/grub.d", root);
        check(mkdir(path, 0755) == 0);
        test_quoting();
        test_overlay_and_errors();
        test_editable_quotes();
        test_line_break();
        test_expansion_budget();
        test_strings_across_lines();
        root_set(NULL);
        (void) snprintf(path, sizeof(path), "rm -rf '%s'", root);
        check(system(path) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        return 0;
}
