/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "log.h"
#include "rootdir.h"

/*
 * BLS: /etc/kernel/cmdline (what kernel-install puts into the entries of kernels installed
 * later) and the options line of the entries kernel-install made for this installation. Only
 * our words of each line change; each file keeps its mode, owners and every other line.
 */

static const char *const entry_dirs[] = {
        "/boot/loader/entries",
        "/efi/loader/entries",
        "/boot/efi/loader/entries",
};

/* The boot loader's own words on /proc/cmdline are not for /etc/kernel/cmdline. */
static int drop_boot_words(char **line) {
        static const char *const own[] = { "BOOT_IMAGE", "initrd" };
        _cleanup_free_ KargsWord *w = NULL;
        _cleanup_(buf_free) Buf b = {};
        size_t n;
        int r;

        r = kargs_split(*line, &w, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                size_t len = w[i].end - w[i].start;
                bool skip = false;

                for (size_t k = 0; k < ELEMENTSOF(own); k++)
                        skip = skip || (len > strlen(own[k]) && strncmp(*line + w[i].start, own[k], strlen(own[k])) == 0 &&
                                        (*line)[w[i].start + strlen(own[k])] == '=');
                if (!skip)
                        (void) buf_printf(&b, "%s%.*s", b.len ? " " : "", (int) len, *line + w[i].start);
        }
        (void) buf_put(&b, "\n");
        if (!b.data)
                return -ENOMEM;
        free(*line);
        *line = TAKE_PTR(b.data);
        return 0;
}

/* The entries kernel-install made for this installation are named after its entry token. */
int bootloader_entry_token(char **ret) {
        int r;

        r = root_read_line("/etc/kernel/entry-token", ret);
        if (r == -ENOENT)
                r = root_read_line("/etc/machine-id", ret);
        /* kernel-install reads it with the shell's read: blanks around the token go */
        if (r >= 0) {
                const char *token = strip(*ret);

                memmove(*ret, token, strlen(token) + 1);
        }
        return r;
}

static bool is_our_entry(const char *name, const char *token) {
        size_t len = strlen(name), t = strlen(token);

        return t > 0 && strneq(name, token, t) && name[t] == '-' && len > t + 5 && streq(name + len - 5, ".conf");
}

/* The value of an options line ("options  a b\n" -> offset of "a"), or -1 for another line. */
static ssize_t options_value(const char *line) {
        size_t key = strspn(line, " \t");

        if (strncmp(line + key, "options", 7) != 0 || !line[key + 7] || !strchr(" \t", line[key + 7]))
                return -1;
        return (ssize_t) (key + 7 + strspn(line + key + 7, " \t"));
}

/* The options of the newest entry of ours (by file name, version order), joined: what the image
 * boots now. NULL when there is none. */
static int newest_entry_options(const char *token, char **ret) {
        _cleanup_free_ char *best = NULL, *text = NULL;
        _cleanup_(buf_free) Buf b = {};
        int r;

        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(entry_dirs); i++) {
                _cleanup_closedir_ DIR *d = root_opendir(entry_dirs[i]);
                struct dirent *de;

                while (d && (de = readdir(d)))
                        if (is_our_entry(de->d_name, token) &&
                            (!best || strverscmp(strrchr(best, '/') + 1, de->d_name) < 0)) {
                                free(best);
                                best = strjoin3(entry_dirs[i], "/", de->d_name);
                                if (!best)
                                        return -ENOMEM;
                        }
        }
        if (!best)
                return 0;
        r = bootloader_read_optional(best, &text);
        if (r < 0 || !text)
                return r;
        for (const char *s = text; *s; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0)) {
                _cleanup_free_ char *line = strndup(s, strcspn(s, "\n"));
                ssize_t v = line ? options_value(line) : -1;

                if (v >= 0)
                        (void) buf_printf(&b, "%s%s", b.len ? " " : "", line + v);
        }
        if (!b.data)
                return 0;
        (void) buf_put(&b, "\n");
        *ret = TAKE_PTR(b.data);
        return *ret ? 0 : -ENOMEM;
}

/* What /etc/kernel/cmdline says, or what to start it from: /usr/lib/kernel/cmdline, the newest
 * entry of ours (an image made without the file), the running kernel's line on the host. */
static int kernel_cmdline_base(const char *token, char **ret, const char **ret_source) {
        int r;

        *ret_source = "/etc/kernel/cmdline";
        r = bootloader_read_optional("/etc/kernel/cmdline", ret);
        if (r < 0 || *ret)
                return r;
        *ret_source = "/usr/lib/kernel/cmdline";
        r = bootloader_read_optional("/usr/lib/kernel/cmdline", ret);
        if (r < 0 || *ret)
                return r;
        *ret_source = "the newest loader entry";
        r = token ? newest_entry_options(token, ret) : 0;
        if (r < 0 || *ret)
                return r;
        *ret_source = "/proc/cmdline";
        if (root_is_host() && root_read_line("/proc/cmdline", ret) >= 0)
                return drop_boot_words(ret);
        *ret_source = NULL;
        *ret = strdup("");
        return *ret ? 0 : -ENOMEM;
}

/* kargs_merge()'s -EBADMSG: nothing is written, and the file is named. */
static int open_quote_error(const char *what) {
        return log_error_errno(EBADMSG, "%s%s: a double quote is not closed, and the kernel would read the arguments "
                               "added after it as part of the quoted word. Not writing anything: close the "
                               "quote first.", what[0] == '/' ? root_get() : "", what);
}

static bool has_root_word(const char *line) {
        _cleanup_free_ KargsWord *w = NULL;
        size_t n;

        if (kargs_split(line, &w, &n) < 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (w[i].end - w[i].start > 5 && strneq(line + w[i].start, "root=", 5))
                        return true;
        return false;
}

/* The files to write and their new texts: every one is made before any is written, so that an
 * error in one (an open quote, a file too large) leaves all as they were. */
typedef struct Edits {
        Strv paths, texts;
} Edits;

static void edits_free(Edits *e) {
        strv_free(&e->paths);
        strv_free(&e->texts);
}

static int edits_add(Edits *e, const char *path, char **text) {
        int r = strv_push(&e->paths, strdup(path));

        if (r < 0)
                return r;
        return strv_push(&e->texts, TAKE_PTR(*text));
}

static int apply_kernel_cmdline(const char *token, const KargsRequest *req, Edits *edits, FILE *out) {
        _cleanup_free_ char *base = NULL, *merged = NULL;
        const char *source;
        int r;

        r = kernel_cmdline_base(token, &base, &source);
        if (r < 0)
                return r;
        r = kargs_merge(base, req->families, &req->owned, &req->args, &merged);
        if (r == -EBADMSG)
                return open_quote_error(source ?: "/etc/kernel/cmdline");
        if (r < 0)
                return r;
        /* A new /etc/kernel/cmdline is what kernel-install puts into every later entry: one without
         * root= would make entries that boot nowhere. The user's own file is theirs (systemd's
         * gpt-auto finds the root without root=). */
        if (!source || !streq(source, "/etc/kernel/cmdline")) {
                if (!has_root_word(merged))
                        return log_error_errno(EINVAL, "Not creating %s%s: none of /etc/kernel/cmdline, "
                                               "/usr/lib/kernel/cmdline, a loader entry of ours%s gives a "
                                               "root=, and kernel-install would make entries without one. "
                                               "Write /etc/kernel/cmdline with the root= first.",
                                               root_get(), "/etc/kernel/cmdline",
                                               root_is_host() ? ", /proc/cmdline" : "");
                fprintf(out, "/etc/kernel/cmdline: starting from %s\n", source);
        }
        return edits_add(edits, "/etc/kernel/cmdline", &merged);
}

/* /etc/kernel/cmdline alone (the UKI backend: what kernel-install builds later UKIs from). */
int bootloader_kernel_cmdline(const char *token, const KargsRequest *req, FILE *out) {
        _cleanup_(edits_free) Edits edits = {};
        int r = apply_kernel_cmdline(token, req, &edits, out);

        if (r < 0 || edits.paths.n == 0)
                return r;
        return bootloader_update_file(edits.paths.v[0], edits.texts.v[0], req->dry_run, out);
}

/* Each options line with our words removed; ours go on the first one only (the boot loader
 * joins them all, so a quote left open on any line would take the words of the next ones in, and
 * refuses the whole entry). Every other line byte for byte. */
static int merge_entry(const char *text, const KargsRequest *req, char **ret) {
        _cleanup_(buf_free) Buf b = {};
        bool seen = false;

        for (const char *s = text; *s && req->args.n > 0; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0)) {
                _cleanup_free_ char *line = strndup(s, strcspn(s, "\n"));
                ssize_t v;
                int r;

                if (!line)
                        return -ENOMEM;
                v = options_value(line);
                r = v >= 0 ? kargs_check_quotes(line + v, req->families, &req->owned) : 0;
                if (r < 0)
                        return r;
        }
        for (const char *s = text; *s;) {
                size_t len = strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0);
                _cleanup_free_ char *line = strndup(s, len), *merged = NULL;
                ssize_t v;

                if (!line)
                        return -ENOMEM;
                v = options_value(line);
                if (v >= 0) {
                        int r = kargs_merge(line + v, req->families, &req->owned, seen ? NULL : &req->args, &merged);

                        if (r < 0)
                                return r;
                        (void) buf_printf(&b, "%.*s%s", (int) v, line, merged);
                        seen = true;
                } else
                        (void) buf_put(&b, line);
                s += len;
        }
        if (!seen && req->args.n > 0) {
                _cleanup_free_ char *joined = kargs_join(&req->args);

                if (!joined)
                        return -ENOMEM;
                (void) buf_printf(&b, "%soptions %s\n", b.len && b.data[b.len - 1] != '\n' ? "\n" : "", joined);
        }
        if (!b.data && !(b.data = strdup("")))
                return -ENOMEM;
        *ret = TAKE_PTR(b.data);
        return 0;
}

static int apply_entries_in(const char *dir, const char *token, const KargsRequest *req, Edits *edits) {
        _cleanup_closedir_ DIR *d = root_opendir(dir);
        struct dirent *de;
        int r;

        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL, *text = NULL, *merged = NULL;

                if (!is_our_entry(de->d_name, token))
                        continue;
                path = strjoin3(dir, "/", de->d_name);
                if (!path)
                        return -ENOMEM;
                r = bootloader_read_optional(path, &text);
                if (r < 0)
                        return r;
                if (!text)
                        continue;
                r = merge_entry(text, req, &merged);
                if (r == -EBADMSG)
                        return open_quote_error(path);
                if (r >= 0)
                        r = edits_add(edits, path, &merged);
                if (r < 0)
                        return r;
        }
        return 0;
}

int bootloader_apply_bls(const KargsRequest *req, FILE *out) {
        _cleanup_(edits_free) Edits edits = {};
        _cleanup_free_ char *token = NULL;
        int changed = 0, r;

        r = bootloader_entry_token(&token);
        if (r < 0 || isempty(token)) {
                free(token);
                token = NULL;
        }
        r = apply_kernel_cmdline(token, req, &edits, out);
        if (r < 0)
                return r;
        if (!token)
                fprintf(out, "No /etc/kernel/entry-token or /etc/machine-id: no loader entry is ours.\n");
        for (size_t i = 0; token && i < ELEMENTSOF(entry_dirs); i++) {
                r = apply_entries_in(entry_dirs[i], token, req, &edits);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < edits.paths.n; i++) {
                r = bootloader_update_file(edits.paths.v[i], edits.texts.v[i], req->dry_run, out);
                if (r < 0)
                        return r;
                changed += r;
        }
        return changed;
}
