/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The editors of the kernel arguments, as "dpdk-boot kargs" runs them, on the user's files under
 * the scratch root: GRUB (the shell of /etc/default/grub and the .cfg files of grub.d read as grub-mkconfig
 * does, our snippet written, with [Kernel] TakeOverArgs= the user's words of our families taken
 * out of their files) and BLS (/etc/kernel/cmdline, /usr/lib/kernel/cmdline and the options lines
 * of our loader entries). update-grub never runs: the root is not the host's.
 *
 * The input's first three bytes are the request: the backend, the families the plan configures,
 * the ones it needs words of, TakeOverArgs=, the hugepage words, what an earlier run wrote and
 * whether its GRUB snippet is there. The rest is split at form feeds (\f); each part's first byte
 * picks a file, the rest is its content.
 *
 * Besides memory and UB errors: a failed edit changes no file; a successful one leaves a line
 * that has every needed word as the kernel reads it, keeps every word that is not ours in its
 * order (and for BLS every line that is not an options line, byte for byte), and applying it
 * again changes nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"
#include "cleanup.h"
#include "fuzz-common.h"
#include "grub-default.h"
#include "kargs.h"
#include "log.h"
#include "rootdir.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The option of dpdk-boot.c that bootloader.c's kargs_env_cli() reads (not called here). */
const char *arg_cpu_vendor = NULL;

#define MAX_PARTS 10
#define SNIPPET_INDEX 0

static const char *const files[] = {
        GRUB_SNIPPET, /* only as an earlier run wrote it, never from the input */
        "/etc/default/grub",
        "/etc/default/grub.d/10-a.cfg",
        "/etc/default/grub.d/60-z.cfg",
        "/etc/kernel/cmdline",
        "/usr/lib/kernel/cmdline",
        "/etc/kernel/entry-token",
        "/boot/loader/entries/tok-6.1.0.conf",
        "/boot/loader/entries/tok-6.12.0.conf",
        "/efi/loader/entries/tok-5.10.conf",
        "/boot/loader/entries/other-6.1.0.conf",
};
#define N_FILES ELEMENTSOF(files)
/* The loader entries of the token "tok", then one of the token "other". */
#define FIRST_ENTRY 7
#define OTHER_ENTRY 10

static const char *const family_words[3][4] = {
        { "default_hugepagesz=1G", "hugepagesz=1G", "hugepages=8", NULL },
        { "isolcpus=2-5", "nohz_full=2-5", "rcu_nocbs=2-5", "irqaffinity=0-1" },
        { "intel_iommu=on", "iommu=pt", NULL, NULL },
};
static const char *const per_node_words[] = { "hugepagesz=2M", "hugepages=0:512,1:512", NULL };
static const char *const owned_sets[4][3] = {
        { NULL },
        { "isolcpus=3", NULL },
        { "hugepagesz=2M", "hugepages=64", NULL },
        { "intel_iommu=on", "quiet", NULL },
};
static const char old_snippet[] =
        "# Written by dpdk-boot kargs: the kernel arguments /etc/dpdk-boot/dpdk-boot.conf needs.\n"
        "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }hugepagesz=2M hugepages=64\"\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);
        fuzz_root_setup();
        return 0;
}

static void push(Strv *l, const char *s) {
        if (strv_push(l, strdup(s)) < 0)
                abort();
}

static void make_request(const uint8_t *data, KargsRequest *req, bool *grub, bool *snippet) {
        unsigned configured = data[0] & 7, needed = configured & (data[0] >> 3);

        *grub = data[0] & 0x80;
        req->take_over = data[0] & 0x40;
        req->families = configured;
        for (unsigned f = 0; f < 3; f++) {
                const char *const *words = f == 0 && (data[1] & 1) ? per_node_words : family_words[f];

                for (size_t i = 0; (needed & (1u << f)) && i < 4 && words[i]; i++)
                        push(&req->args, words[i]);
        }
        for (size_t i = 0; owned_sets[data[2] & 3][i]; i++)
                push(&req->owned, owned_sets[data[2] & 3][i]);
        *snippet = data[2] & 4;
}

/* ---- what the files hold ---- */

typedef struct Snapshot {
        char *text[N_FILES]; /* NULL: absent */
        size_t size[N_FILES];
} Snapshot;

static void snapshot_take(Snapshot *s) {
        for (size_t i = 0; i < N_FILES; i++) {
                int r = root_read_file(files[i], 4 * 1024 * 1024, &s->text[i], &s->size[i]);

                if (r == -ENOENT)
                        s->text[i] = NULL;
                else if (r < 0)
                        fuzz_fail("reading %s: %s", files[i], strerror(-r));
        }
}

static void snapshot_free(Snapshot *s) {
        for (size_t i = 0; i < N_FILES; i++)
                free(s->text[i]);
}

static bool same(const char *a, const char *b) {
        return a ? b && streq(a, b) : !b;
}

static void check_unchanged(const Snapshot *a, const Snapshot *b, const char *when) {
        for (size_t i = 0; i < N_FILES; i++)
                if (!same(a->text[i], b->text[i]))
                        fuzz_fail("%s: %s changed from\n%s\nto\n%s", when, files[i], a->text[i] ?: "(absent)",
                                  b->text[i] ?: "(absent)");
}

/* ---- the words of a line ---- */

/* The key as the kernel reads it: a word may open with a quote ("hugepages=4 x" is hugepages=). */
/* The kernel's next_arg(): one leading quote dropped, and the closing one of a word without '='. */
static bool word_is_ours(const char *w, const KargsRequest *req) {
        const char *k = w + (w[0] == '"');
        size_t len = strcspn(k, "=");
        char key[64];

        if (w[0] == '"' && !k[len] && len > 0 && k[len - 1] == '"')
                len--;
        (void) snprintf(key, sizeof(key), "%.*s", (int) len, k);
        return (kargs_key_family(key) & req->families) || strv_contains(&req->owned, w);
}

/* The words of line that are not ours, one space apart. */
static char *others(const char *line, const KargsRequest *req) {
        _cleanup_free_ KargsWord *w = NULL;
        Buf b = {};
        size_t n;

        if (kargs_split(line, &w, &n) < 0)
                abort();
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *word = strndup(line + w[i].start, w[i].end - w[i].start);

                if (!word || (!word_is_ours(word, req) && buf_printf(&b, "%s%s", b.len ? " " : "", word) < 0))
                        abort();
        }
        return b.data ?: strdup("");
}

/* new has every needed word (unless it is only a part of the line, complete false), and the words
 * of old that are not ours, in their order. */
static void check_line(const char *what, const char *old, const char *new, const KargsRequest *req, bool complete) {
        _cleanup_(strv_free) Strv missing = {};
        _cleanup_free_ char *a = NULL, *b = NULL;

        if (complete && kargs_missing(new, &req->args, &missing) < 0)
                abort();
        if (missing.n > 0)
                fuzz_fail("%s \"%s\" lacks %s", what, new, missing.v[0]);
        if (!old)
                return;
        a = others(old, req);
        b = others(new, req);
        if (!streq(a, b))
                fuzz_fail("%s: the words that are not ours were \"%s\", are \"%s\"", what, a, b);
}

/* ---- GRUB ---- */

static char *grub_line(GrubDefault *g, bool without_snippet) {
        Buf b = {};

        for (size_t i = 0; i < g->n_words; i++)
                if ((!without_snippet || !streq(g->files.v[g->words[i].file], GRUB_SNIPPET)) &&
                    buf_printf(&b, "%s%s", b.len ? " " : "", g->words[i].text) < 0)
                        abort();
        return b.data ?: strdup("");
}

/* The user's files as they were, and the snippet as it is now: what the line would be without the
 * take-over. A file after ours that expands $GRUB_CMDLINE_LINUX next to its own text glues our
 * words into its own, on both sides alike. These must parse after a successful edit, as the edit
 * read them; with the old snippet they need not: whether they reach the budget of expansions, or
 * hold a line break (${GRUB_CMDLINE_LINUX-<newline>}), can depend on our snippet's words. */
static char *line_before_take_over(const Snapshot *before, const Snapshot *after) {
        _cleanup_(grub_default_free) GrubDefault g = {};
        char *line;

        for (size_t f = 1; f <= 3; f++)
                if (before->text[f])
                        fuzz_write(files[f], before->text[f], before->size[f], 0644);
        if (grub_default_read(&g, GRUB_SNIPPET, after->text[SNIPPET_INDEX]) < 0)
                fuzz_fail("the edit succeeded, yet the user's GRUB files do not parse with its snippet: %s", g.error ?: "");
        line = grub_line(&g, true);
        for (size_t f = 1; f <= 3; f++)
                if (after->text[f])
                        fuzz_write(files[f], after->text[f], after->size[f], 0644);
        return line;
}

static void check_grub(const Snapshot *before, const Snapshot *after, const KargsRequest *req) {
        _cleanup_(grub_default_free) GrubDefault g = {};
        _cleanup_free_ char *line = NULL, *users = NULL, *old_line = NULL;

        if (grub_default_read(&g, NULL, NULL) < 0)
                fuzz_fail("the GRUB files do not parse after an edit: %s", g.error ?: "");
        line = grub_line(&g, false);
        check_line("the GRUB line", NULL, line, req, true);
        users = grub_line(&g, true);
        old_line = line_before_take_over(before, after);
        check_line("the GRUB line of the user's files", old_line, users, req, false);
}

/* ---- BLS ---- */

/* The options of an entry, joined, as the boot loader joins them; with nth >= 0 only the value of
 * that options line (NULL when there is none). */
static char *entry_options(const char *text, int nth) {
        Buf b = {};
        int seen = 0;

        for (const char *s = text; *s; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0)) {
                size_t len = strcspn(s, "\n"), key = strspn(s, " \t");

                if (!(len > key + 7 && strneq(s + key, "options", 7) && strchr(" \t", s[key + 7])))
                        continue;
                if ((nth < 0 || seen++ == nth) &&
                    buf_printf(&b, "%s%.*s", b.len ? " " : "", (int) (len - key - 7), s + key + 7) < 0)
                        abort();
        }
        return b.data ?: (nth < 0 ? strdup("") : NULL);
}

/* The lines that are not options lines, in order. */
static char *entry_rest(const char *text) {
        Buf b = {};

        for (const char *s = text; *s; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0)) {
                size_t len = strcspn(s, "\n"), key = strspn(s, " \t");

                if (!(len > key + 7 && strneq(s + key, "options", 7) && strchr(" \t", s[key + 7])) &&
                    buf_printf(&b, "%.*s\n", (int) len, s) < 0)
                        abort();
        }
        return b.data ?: strdup("");
}

/* Whether kernel-install's entry token, the first line of /etc/kernel/entry-token stripped, is
 * token. */
static bool token_is(const char *text, const char *token) {
        size_t start, end;

        if (!text)
                return false;
        end = strcspn(text, "\n");
        for (start = 0; start < end && isspace((unsigned char) text[start]); start++)
                ;
        while (end > start && isspace((unsigned char) text[end - 1]))
                end--;
        return end - start == strlen(token) && strneq(text + start, token, end - start);
}

static void check_bls(const Snapshot *before, const Snapshot *after, const KargsRequest *req) {
        const char *cmdline = after->text[4];

        if (!cmdline)
                fuzz_fail("BLS: no /etc/kernel/cmdline after a successful edit");
        check_line("/etc/kernel/cmdline", before->text[4], cmdline, req, true);
        for (size_t i = FIRST_ENTRY; i <= OTHER_ENTRY; i++) {
                const char *token = i == OTHER_ENTRY ? "other" : "tok";
                _cleanup_free_ char *o0 = NULL, *o1 = NULL, *r0 = NULL, *r1 = NULL;

                if (!before->text[i])
                        continue;
                /* Ours only when the entry token is the one in its name; the others (another
                 * installation's) stay as they are. */
                if (!token_is(before->text[6], token)) {
                        if (!same(before->text[i], after->text[i]))
                                fuzz_fail("%s changed, the entry token not being \"%s\"", files[i], token);
                        continue;
                }
                o1 = entry_options(after->text[i], -1);
                check_line(files[i], NULL, o1, req, true);
                /* Line by line: each line's words that are not ours stay (a line left with a
                 * quote open would join the next one's words to its own, for the kernel). */
                for (int k = 0; (o0 = entry_options(before->text[i], k)); k++) {
                        _cleanup_free_ char *n = entry_options(after->text[i], k);

                        if (!n)
                                fuzz_fail("%s: options line %d is gone", files[i], k + 1);
                        check_line(files[i], o0, n, req, false);
                        free(o0);
                }
                r0 = entry_rest(before->text[i]);
                r1 = entry_rest(after->text[i]);
                if (!streq(r0, r1))
                        fuzz_fail("%s: the lines that are not options lines changed from\n%s\nto\n%s", files[i], r0, r1);
        }
}

/* ---- the run ---- */

static void write_input(const uint8_t *data, size_t size, bool snippet) {
        size_t start = 0, n_parts = 0;

        if (snippet)
                fuzz_put_file(GRUB_SNIPPET, old_snippet, strlen(old_snippet));
        for (size_t i = 0; i <= size && n_parts < MAX_PARTS; i++) {
                if (i < size && data[i] != '\f')
                        continue;
                if (i > start && data[start] % N_FILES != SNIPPET_INDEX) {
                        fuzz_put_file(files[data[start] % N_FILES], data + start + 1, i - start - 1);
                        n_parts++;
                }
                start = i + 1;
        }
}

static int apply(BootloaderKind kind, const KargsRequest *req) {
        FILE *out = fopen("/dev/null", "we");
        int r;

        if (!out)
                abort();
        r = bootloader_apply(kind, req, out);
        fclose(out);
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        KargsRequest req = {};
        Snapshot before = {}, after = {}, again = {};
        bool grub, snippet;
        BootloaderKind kind;
        int r;

        if (size < 3)
                return 0;
        make_request(data, &req, &grub, &snippet);
        kind = grub ? BOOTLOADER_GRUB : BOOTLOADER_BLS;
        write_input(data + 3, size - 3, snippet);
        snapshot_take(&before);
        r = apply(kind, &req);
        snapshot_take(&after);
        if (r < 0)
                check_unchanged(&before, &after, "a failed edit");
        else if (grub)
                check_grub(&before, &after, &req);
        else
                check_bls(&before, &after, &req);
        if (r >= 0) {
                r = apply(kind, &req);
                snapshot_take(&again);
                if (r != 0)
                        fuzz_fail("applying the edit again returned %d, not 0 (nothing to change)", r);
                check_unchanged(&after, &again, "applying again");
        }

        snapshot_free(&before);
        snapshot_free(&after);
        snapshot_free(&again);
        strv_free(&req.args);
        strv_free(&req.owned);
        /* The edit made files fuzz_write() did not (backups, our state, entries it added to). */
        fuzz_rm_rf(fuzz_path("/etc"));
        fuzz_rm_rf(fuzz_path("/usr"));
        fuzz_rm_rf(fuzz_path("/boot"));
        fuzz_rm_rf(fuzz_path("/efi"));
        fuzz_rm_rf(fuzz_path("/var"));
        fuzz_undo();
        return 0;
}
