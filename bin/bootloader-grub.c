/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "grub-default.h"
#include "log.h"
#include "rootdir.h"

/*
 * GRUB: our words in /etc/default/grub.d/50-dpdk-boot.cfg, then update-grub (grub2-mkconfig,
 * grub-mkconfig). What counts is the line grub-mkconfig makes of all its files (grub-default.c):
 * a word of a family we set that comes from another file is a conflict: the kernel would get it
 * twice, and the later one (or for hugepagesz=, the first) wins. It is either taken over (removed
 * from its file, which is saved first as FILE.dpdk-boot-backup; [Kernel] TakeOverArgs=yes) or
 * reported, naming its file and line, and nothing is written. After the write the line must carry
 * every needed argument as the kernel reads it, once.
 */

#define BACKUP_SUFFIX ".dpdk-boot-backup"

static int snippet_content(const KargsRequest *req, char **ret) {
        _cleanup_free_ char *joined = kargs_join(&req->args);

        *ret = NULL;
        if (!joined)
                return -ENOMEM;
        if (req->args.n == 0)
                return 0;
        /* Our words are plain (letters, digits, = , : - _): nothing in them needs shell quoting. */
        return asprintf(ret,
                        "# Written by dpdk-boot kargs: the kernel arguments %s needs.\n"
                        "# Do not edit; change the configuration and run 'dpdk-boot kargs'.\n"
                        "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }%s\"\n",
                        CONFIG_MAIN_FILE, joined) < 0 ? -ENOMEM : 0;
}

static bool word_conflicts(const GrubDefault *g, const GrubWord *w, unsigned families) {
        char key[64];

        if (streq(g->files.v[w->file], GRUB_SNIPPET))
                return false;
        (void) snprintf(key, sizeof(key), "%.*s", (int) strcspn(w->text, "="), w->text);
        return (kargs_key_family(key) & families) != 0;
}

static size_t count_conflicts(const GrubDefault *g, unsigned families) {
        size_t n = 0;

        for (size_t i = 0; i < g->n_words; i++)
                n += word_conflicts(g, &g->words[i], families);
        return n;
}

static int report_conflicts(const GrubDefault *g, unsigned families) {
        for (size_t i = 0; i < g->n_words; i++) {
                const GrubWord *w = &g->words[i];
                char key[64];

                if (!word_conflicts(g, w, families))
                        continue;
                (void) snprintf(key, sizeof(key), "%.*s", (int) strcspn(w->text, "="), w->text);
                log_error("%s%s:%u: %s is set here, and dpdk-boot sets the %s arguments (%s): the kernel would "
                          "get both.", root_get(), g->files.v[w->file], w->line, w->text,
                          kargs_family_to_string(kargs_key_family(key)), GRUB_SNIPPET);
        }
        return log_error_errno(EEXIST, "Not writing %s: remove the words above from their files, or set [Kernel] "
                               "TakeOverArgs=yes to have dpdk-boot take them out (a copy of each file is kept as "
                               "FILE" BACKUP_SUFFIX ").", GRUB_SNIPPET);
}

/* The text of file i with our families' words taken out of each of its assignments that has one. */
static int file_without_ours(const GrubDefault *g, size_t file, unsigned families, char **ret) {
        const char *text = g->texts.v[file];
        _cleanup_(buf_free) Buf b = {};
        size_t at = 0;

        for (size_t i = 0; i < g->n_assigns; i++) {
                const GrubAssign *a = &g->assigns[i];
                _cleanup_free_ char *inner = NULL, *merged = NULL;
                bool quoted;
                Strv ours = {};
                int r;

                if (a->file != file)
                        continue;
                quoted = a->end - a->start >= 2 && strchr("\"'", text[a->start]);
                inner = strndup(text + a->start + quoted, a->end - a->start - 2 * quoted);
                if (!inner || kargs_ours(inner, families, NULL, &ours) < 0)
                        return -ENOMEM;
                r = (int) ours.n;
                strv_free(&ours);
                if (r == 0)
                        continue;
                if (!a->editable)
                        return log_error_errno(EEXIST, "%s%s:%u: cannot take words out of this value (it expands "
                                               "something); remove them by hand.", root_get(), g->files.v[file],
                                               a->line);
                if (kargs_merge(inner, families, NULL, NULL, &merged) < 0 ||
                    buf_printf(&b, "%.*s%.*s%s", (int) (a->start - at), text + at, (int) quoted, text + a->start,
                               merged) < 0)
                        return -ENOMEM;
                at = a->end - quoted;
        }
        if (buf_put(&b, text + at) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(b.data);
        return 0;
}

/* FILE.dpdk-boot-backup, once: the user's file as it was before we first changed it. */
static int backup_file(const char *path, const char *text, bool dry_run, FILE *out) {
        _cleanup_free_ char *backup = strjoin3(path, BACKUP_SUFFIX, NULL), *full = NULL, *bfull = NULL;
        struct stat st;
        int r;

        if (!backup)
                return -ENOMEM;
        r = root_exists(backup);
        if (r != 0 || dry_run)
                return r < 0 ? r : 0;
        full = root_path(path);
        bfull = root_path_entry(backup);
        if (!full || !bfull)
                return -errno;
        if (stat(full, &st) < 0)
                return -errno;
        r = write_file_atomic_like(bfull, text, &st, 0644);
        if (r < 0)
                return r;
        fprintf(out, "%s: saved as %s\n", path, backup);
        return 0;
}

static bool file_conflicts(const GrubDefault *g, size_t file, unsigned families) {
        for (size_t i = 0; i < g->n_words; i++)
                if (g->words[i].file == file && word_conflicts(g, &g->words[i], families))
                        return true;
        return false;
}

/* Every conflicting word stands as it is in an editable value of GRUB_CMDLINE_LINUX or _DEFAULT: a
 * word that comes from elsewhere (another variable, even one assigned on the same line, a value
 * with quotes inside, a value over several lines) would stay where it is, and win over ours. */
static int words_editable(const GrubDefault *g, unsigned families) {
        for (size_t i = 0; i < g->n_words; i++) {
                const GrubWord *w = &g->words[i];
                bool found = false;

                if (!word_conflicts(g, w, families))
                        continue;
                for (size_t k = 0; k < g->n_assigns && !found; k++) {
                        const GrubAssign *a = &g->assigns[k];

                        found = a->editable && w->in_place && a->file == w->file && a->start <= w->pos &&
                                w->pos + strlen(w->text) <= a->end;
                }
                if (!found)
                        return log_error_errno(EEXIST, "%s%s:%u: cannot take %s out of this line (only a plain value "
                                               "of GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT, without "
                                               "expansions or inner quotes, can be edited); remove it by hand.",
                                               root_get(), g->files.v[w->file], w->line, w->text);
        }
        return 0;
}

/* The new text of every file that has words of ours ("" for the others), made before anything is
 * written: a value that cannot be edited (it expands something) in a later file must not leave an
 * earlier one changed, nor a pending update-grub behind. */
static int take_over_texts(const GrubDefault *g, unsigned families, Strv *ret) {
        int r = words_editable(g, families);

        if (r < 0)
                return r;
        for (size_t f = 0; f < g->files.n; f++) {
                char *text = NULL;

                if (file_conflicts(g, f, families)) {
                        r = file_without_ours(g, f, families, &text);
                        if (r < 0)
                                return r;
                }
                /* a Strv holds no NULL */
                if (!text && !(text = strdup("")))
                        return -ENOMEM;
                r = strv_push(ret, text);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int take_over(const GrubDefault *g, unsigned families, const Strv *texts, bool dry_run, FILE *out) {
        int changed = 0, r;

        for (size_t f = 0; f < g->files.n; f++) {
                if (!file_conflicts(g, f, families))
                        continue;
                r = backup_file(g->files.v[f], g->texts.v[f], dry_run, out);
                if (r >= 0)
                        r = bootloader_update_file(g->files.v[f], texts->v[f], dry_run, out);
                if (r < 0)
                        return r;
                fprintf(out, "%s: took over the words dpdk-boot sets (TakeOverArgs=yes)\n", g->files.v[f]);
                changed += r;
        }
        return changed;
}

/* The line grub-mkconfig will make once ours is written and the conflicting words are gone must
 * have every needed argument, as the kernel reads it: else something after our file drops them. */
static int check_effective(const GrubDefault *g, const KargsRequest *req) {
        _cleanup_(strv_free) Strv missing = {};
        _cleanup_(buf_free) Buf b = {};
        _cleanup_free_ char *joined = NULL;

        for (size_t i = 0; i < g->n_words; i++)
                if (!word_conflicts(g, &g->words[i], req->families) &&
                    buf_printf(&b, "%s%s", b.len ? " " : "", g->words[i].text) < 0)
                        return -ENOMEM;
        if (kargs_missing(b.data ?: "", &req->args, &missing) < 0 || !(joined = kargs_join(&missing)))
                return -ENOMEM;
        if (missing.n > 0)
                return log_error_errno(ENOTRECOVERABLE, "The command line grub-mkconfig would make from %s%s and "
                                       "%s%s/*.cfg lacks %s even with %s written: a file after it sets "
                                       "GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT without "
                                       "keeping what was there. Not writing anything.",
                                       root_get(), "/etc/default/grub", root_get(), "/etc/default/grub.d", joined,
                                       GRUB_SNIPPET);
        return 0;
}

/* update-grub where there is one (Debian), else grub2-mkconfig or grub-mkconfig into grub.cfg,
 * whose path goes to *ret_cfg. */
static int run_mkconfig(FILE *out, const char **ret_cfg) {
        const char *cmd = secure_getenv("DPDK_BOOT_UPDATE_GRUB");
        char *argv[4] = {};
        int r;

        *ret_cfg = "/boot/grub/grub.cfg";
        if (cmd)
                argv[0] = (char *) cmd;
        else if (root_exists("/usr/sbin/update-grub") > 0)
                argv[0] = (char *) "update-grub";
        else if (root_exists("/usr/sbin/grub2-mkconfig") > 0) {
                *ret_cfg = "/boot/grub2/grub.cfg";
                argv[0] = (char *) "grub2-mkconfig";
                argv[1] = (char *) "-o";
                argv[2] = (char *) *ret_cfg;
        } else {
                argv[0] = (char *) "grub-mkconfig";
                argv[1] = (char *) "-o";
                argv[2] = (char *) *ret_cfg;
        }
        r = spawn_command(argv, NULL);
        if (r != 0)
                return log_error_errno(r < 0 ? r : EPROTO, "%s failed (%s %i): the arguments are not in grub.cfg "
                                       "yet. %s stays, and the next 'dpdk-boot kargs' runs it again.", argv[0],
                                       r < 0 ? "error" : "exit status", r < 0 ? -r : r, KARGS_PENDING_FILE);
        fprintf(out, "%s: done\n", argv[0]);
        return 0;
}

/*
 * What grub-mkconfig made of our file: some kernel line (linux, linuxefi, linux16) of grub.cfg
 * carries every needed word. Only Debian's and Ubuntu's grub-mkconfig read /etc/default/grub.d/;
 * upstream's (Arch, SUSE) never sees our snippet, and the host would reboot for nothing. A
 * grub.cfg that is not there or has no kernel line (one that boots BLS entries) says nothing.
 */
static int check_grub_cfg(const KargsRequest *req, const char *cfg) {
        _cleanup_(strv_free) Strv first_missing = {};
        _cleanup_free_ char *text = NULL, *joined = NULL;
        bool any = false;
        char *save = NULL;
        int r;

        if (req->args.n == 0)
                return 0;
        r = bootloader_read_optional(cfg, &text);
        if (r < 0 || !text)
                return r;
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                _cleanup_(strv_free) Strv missing = {};
                size_t key;

                l += strspn(l, " \t");
                key = strcspn(l, " \t");
                if (!(key == 5 && strneq(l, "linux", 5)) && !(key == 8 && strneq(l, "linuxefi", 8)) &&
                    !(key == 7 && strneq(l, "linux16", 7)))
                        continue;
                r = kargs_missing(l + key, &req->args, &missing);
                if (r < 0)
                        return r;
                if (missing.n == 0)
                        return 0;
                if (!any) {
                        first_missing = missing;
                        missing = (Strv) {};
                }
                any = true;
        }
        if (!any)
                return 0;
        joined = kargs_join(&first_missing);
        return log_error_errno(ENOTRECOVERABLE,
                               "grub-mkconfig ran, yet no kernel line of %s%s carries the arguments (the first "
                               "lacks %s): this GRUB does not read %s (Debian's and Ubuntu's do). %s stays. Set "
                               "[Kernel] Bootloader= to another boot loader, or ManageArgs=no and put the "
                               "arguments into GRUB_CMDLINE_LINUX of /etc/default/grub yourself.",
                               root_get(), cfg, joined ?: "some", GRUB_SNIPPET, KARGS_PENDING_FILE);
}

static int read_default(GrubDefault *g, const char *content) {
        int r = grub_default_read(g, GRUB_SNIPPET, content);

        if (r == -EINVAL && g->error)
                return log_error_errno(r, "%s", g->error);
        return r;
}

/* Whether our file is to change: then update-grub has to run. */
static int snippet_differs(const char *content) {
        _cleanup_free_ char *old = NULL;
        int r = bootloader_read_optional(GRUB_SNIPPET, &old);

        if (r < 0)
                return r;
        return !(old ? content && streq(old, content) : !content);
}

static int remove_pending(void) {
        _cleanup_free_ char *full = root_path_entry(KARGS_PENDING_FILE);

        if (!full)
                return -errno;
        if (unlink(full) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

int bootloader_apply_grub(const KargsRequest *req, FILE *out) {
        _cleanup_(grub_default_free) GrubDefault g = {};
        _cleanup_(strv_free) Strv texts = {};
        _cleanup_free_ char *content = NULL;
        bool run = !req->dry_run && (root_is_host() || secure_getenv("DPDK_BOOT_UPDATE_GRUB"));
        const char *cfg;
        int changed = 0, pending, differs, r;
        size_t conflicts;

        r = snippet_content(req, &content);
        if (r >= 0)
                r = read_default(&g, content);
        if (r < 0)
                return r;
        conflicts = count_conflicts(&g, req->families);
        if (conflicts > 0 && !req->take_over)
                return report_conflicts(&g, req->families);
        r = check_effective(&g, req);
        if (r >= 0 && conflicts > 0)
                r = take_over_texts(&g, req->families, &texts);
        if (r < 0)
                return r;
        differs = snippet_differs(content);
        pending = root_exists(KARGS_PENDING_FILE);
        if (differs < 0 || pending < 0)
                return differs < 0 ? differs : pending;
        /* Recorded as not done before anything changes, done only once grub.cfg is made. */
        if (run && (differs || conflicts > 0) && !pending) {
                r = kargs_state_write(KARGS_PENDING_FILE, "update-grub\n");
                if (r < 0)
                        return r;
                pending = 1;
        }
        if (conflicts > 0)
                changed = take_over(&g, req->families, &texts, req->dry_run, out);
        if (changed >= 0)
                r = bootloader_update_file(GRUB_SNIPPET, content, req->dry_run, out);
        if (changed < 0 || r < 0)
                return changed < 0 ? changed : r;
        changed += r;
        if (req->dry_run && pending > 0)
                fprintf(out, "update-grub: pending from an earlier run (%s), would run it\n", KARGS_PENDING_FILE);
        if (!run) {
                if (changed > 0 && !req->dry_run)
                        fprintf(out, "Not running update-grub for a tree under --root: the image's own grub "
                                "configuration step must run it.\n");
                return changed;
        }
        if (!pending)
                return changed;
        r = run_mkconfig(out, &cfg);
        if (r >= 0)
                r = check_grub_cfg(req, cfg);
        if (r < 0)
                return r;
        r = remove_pending();
        return r < 0 ? r : changed + 1;
}
