/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootloader.h"
#include "cleanup.h"
#include "log.h"
#include "rootdir.h"

#define MAX_FILE (1024 * 1024)

static const char *const entry_dirs[] = {
        "/boot/loader/entries",
        "/efi/loader/entries",
        "/boot/efi/loader/entries",
};

/* ---- files ---- */

static int read_optional(const char *path, char **ret) {
        int r = root_read_file(path, MAX_FILE, ret, NULL);

        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        return r;
}

/* Lines of a and b with a common head and tail cut off: enough of a unified diff for one file. */
static void print_diff(FILE *out, const char *path, const char *a, const char *b) {
        const char *ea = a + strlen(a), *eb = b + strlen(b), *ha = a, *hb = b;

        /* Common head, whole lines only. */
        for (const char *x = a, *y = b; *x && *x == *y; x++, y++)
                if (*x == '\n')
                        ha = x + 1, hb = y + 1;
        /* Common tail, whole lines only, not into the head. */
        while (ea > ha && eb > hb && ea[-1] == eb[-1]) {
                const char *la = ea - 1, *lb = eb - 1;

                while (la > ha && la[-1] != '\n')
                        la--;
                while (lb > hb && lb[-1] != '\n')
                        lb--;
                if (ea - la != eb - lb || memcmp(la, lb, (size_t) (ea - la)) != 0 || la == ha || lb == hb)
                        break;
                ea = la, eb = lb;
        }
        fprintf(out, "--- %s\n+++ %s (new)\n", path, path);
        for (const char *s = ha; s < ea; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0))
                fprintf(out, "-%.*s\n", (int) strcspn(s, "\n"), s);
        for (const char *s = hb; s < eb; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0))
                fprintf(out, "+%.*s\n", (int) strcspn(s, "\n"), s);
}

static int fsync_parent(const char *full) {
        _cleanup_free_ char *dir = strdup(full);
        _cleanup_close_ int fd = -EBADF;
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (slash && slash != dir)
                *slash = 0;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) < 0)
                return -errno;
        return 0;
}

/* Puts content into path (NULL: removes it). Returns 1 when it changed, 0 when it was so. */
static int update_file(const char *path, const char *content, bool dry_run, FILE *out) {
        _cleanup_free_ char *old = NULL, *full = NULL;
        int r;

        r = read_optional(path, &old);
        if (r < 0)
                return r;
        if ((!old && !content) || (old && content && streq(old, content))) {
                fprintf(out, "%s: unchanged\n", path);
                return 0;
        }
        if (dry_run) {
                print_diff(out, path, old ?: "", content ?: "");
                return 1;
        }
        full = root_path(path);
        if (!full)
                return -ENOMEM;
        if (!content) {
                if (unlink(full) < 0)
                        return -errno;
                (void) fsync_parent(full);
                fprintf(out, "%s: removed\n", path);
                return 1;
        }
        r = root_mkdir_parents(path);
        if (r < 0)
                return r;
        r = write_file_atomic(full, content, 0644);
        if (r < 0)
                return r;
        fprintf(out, "%s: %s\n", path, old ? "updated" : "created");
        return 1;
}

/* ---- commands ---- */

/* Runs argv; with capture, its stdout goes there. Returns the exit status, or -errno. */
int spawn_command(char *const argv[], Buf *capture) {
        int pipefd[2] = { -1, -1 }, status;
        pid_t pid;

        if (capture && pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                if (capture && dup2(pipefd[1], STDOUT_FILENO) < 0)
                        _exit(127);
                execvp(argv[0], argv);
                _exit(127);
        }
        if (capture) {
                char buf[4096];
                ssize_t n;

                close(pipefd[1]);
                while ((n = read(pipefd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
                        if (n > 0 && buf_printf(capture, "%.*s", (int) n, buf) < 0)
                                break;
                close(pipefd[0]);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- grub ---- */

static int apply_grub(const KargsRequest *req, FILE *out) {
        _cleanup_free_ char *joined = kargs_join(&req->args), *content = NULL;
        char *argv[] = { (char *) "update-grub", NULL };
        int r, changed;

        if (!joined)
                return -ENOMEM;
        /* Our words are plain (letters, digits, = , : - _): nothing in them needs shell quoting. */
        if (req->args.n > 0 &&
            asprintf(&content,
                     "# Written by dpdk-boot kargs: the kernel arguments %s needs.\n"
                     "# Do not edit; change the configuration and run 'dpdk-boot kargs'.\n"
                     "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }%s\"\n",
                     CONFIG_MAIN_FILE, joined) < 0)
                return -ENOMEM;
        changed = update_file(GRUB_SNIPPET, content, req->dry_run, out);
        if (changed <= 0 || req->dry_run)
                return changed;
        if (!root_is_host()) {
                fprintf(out, "Not running update-grub for a tree under --root: the image's own "
                        "grub configuration step must run it.\n");
                return changed;
        }
        r = spawn_command(argv, NULL);
        if (r != 0)
                return r < 0 ? r : -EPROTO;
        fprintf(out, "update-grub: done\n");
        return changed;
}

/* ---- bootc ---- */

static int apply_bootc(const KargsRequest *req, FILE *out) {
        _cleanup_(buf_free) Buf b = {};

        if (req->args.n == 0)
                return update_file(BOOTC_KARGS, NULL, req->dry_run, out);
        (void) buf_printf(&b, "# Written by dpdk-boot kargs: the kernel arguments %s needs.\n"
                          "kargs = [", CONFIG_MAIN_FILE);
        for (size_t i = 0; i < req->args.n; i++)
                (void) buf_printf(&b, "%s\"%s\"", i ? ", " : "", req->args.v[i]);
        (void) buf_put(&b, "]\n");
        if (!b.data)
                return -ENOMEM;
        return update_file(BOOTC_KARGS, b.data, req->dry_run, out);
}

/* ---- bls ---- */

static int drop_boot_words(char **line) {
        /* The boot loader's own words on /proc/cmdline are not for /etc/kernel/cmdline. */
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

/* What /etc/kernel/cmdline says, or what kernel-install would take without it. */
static int kernel_cmdline_base(char **ret) {
        int r;

        r = read_optional("/etc/kernel/cmdline", ret);
        if (r < 0 || *ret)
                return r;
        r = read_optional("/usr/lib/kernel/cmdline", ret);
        if (r < 0 || *ret)
                return r;
        if (root_is_host() && root_read_line("/proc/cmdline", ret) >= 0)
                return drop_boot_words(ret);
        *ret = strdup("");
        return *ret ? 0 : -ENOMEM;
}

static int apply_kernel_cmdline(const KargsRequest *req, FILE *out) {
        _cleanup_free_ char *base = NULL, *merged = NULL;
        int r;

        r = kernel_cmdline_base(&base);
        if (r < 0)
                return r;
        r = kargs_merge(base, req->families, &req->owned, &req->args, &merged);
        if (r < 0)
                return r;
        return update_file("/etc/kernel/cmdline", merged, req->dry_run, out);
}

/* The options line of a loader entry, merged; other lines byte for byte. */
static int merge_entry(const char *text, const KargsRequest *req, char **ret) {
        _cleanup_(buf_free) Buf b = {};
        bool seen = false;

        for (const char *s = text; *s;) {
                size_t len = strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0);
                _cleanup_free_ char *line = strndup(s, len), *merged = NULL;
                size_t key;

                if (!line)
                        return -ENOMEM;
                key = strspn(line, " \t");
                if (strncmp(line + key, "options", 7) == 0 && strchr(" \t", line[key + 7]) && line[key + 7]) {
                        size_t v = key + 7 + strspn(line + key + 7, " \t");
                        int r = kargs_merge(line + v, req->families, &req->owned, &req->args, &merged);

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

/* The entries kernel-install made for this installation are named after its entry token. */
static int entry_token(char **ret) {
        int r;

        r = root_read_line("/etc/kernel/entry-token", ret);
        if (r == -ENOENT)
                r = root_read_line("/etc/machine-id", ret);
        if (r >= 0)
                (void) strip(*ret);
        return r;
}

static int apply_entries_in(const char *dir, const char *token, const KargsRequest *req, FILE *out) {
        _cleanup_closedir_ DIR *d = root_opendir(dir);
        struct dirent *de;
        int changed = 0, r;

        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL, *text = NULL, *merged = NULL;
                size_t len = strlen(de->d_name);

                if (strncmp(de->d_name, token, strlen(token)) != 0 || de->d_name[strlen(token)] != '-' ||
                    len < 6 || !streq(de->d_name + len - 5, ".conf"))
                        continue;
                path = strjoin3(dir, "/", de->d_name);
                if (!path)
                        return -ENOMEM;
                r = root_read_file(path, MAX_FILE, &text, NULL);
                if (r >= 0)
                        r = merge_entry(text, req, &merged);
                if (r >= 0)
                        r = update_file(path, merged, req->dry_run, out);
                if (r < 0)
                        return r;
                changed += r;
        }
        return changed;
}

static int apply_bls(const KargsRequest *req, FILE *out) {
        _cleanup_free_ char *token = NULL;
        int changed, r;

        changed = apply_kernel_cmdline(req, out);
        if (changed < 0)
                return changed;
        r = entry_token(&token);
        if (r < 0 || isempty(token)) {
                fprintf(out, "No /etc/kernel/entry-token or /etc/machine-id: no loader entry is ours.\n");
                return changed;
        }
        for (size_t i = 0; i < ELEMENTSOF(entry_dirs); i++) {
                r = apply_entries_in(entry_dirs[i], token, req, out);
                if (r < 0)
                        return r;
                changed += r;
        }
        return changed;
}

/* ---- grubby ---- */

static const char *grubby_command(void) {
        return secure_getenv("DPDK_BOOT_GRUBBY") ?: "grubby";
}

/* Our words on every entry grubby knows, each entry's joined; sets *all_match when every
 * entry carries exactly the needed ones, in order. */
static int grubby_ours(const KargsRequest *req, Strv *ours, bool *all_match) {
        char *argv[] = { (char *) grubby_command(), (char *) "--info=ALL", NULL };
        _cleanup_free_ char *want = kargs_join(&req->args);
        _cleanup_(buf_free) Buf b = {};
        int r;

        if (!want)
                return -ENOMEM;
        r = spawn_command(argv, &b);
        if (r != 0)
                return r < 0 ? r : -EPROTO;
        *all_match = true;
        for (const char *s = b.data ?: ""; *s; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0)) {
                _cleanup_free_ char *line = NULL, *joined = NULL;
                Strv l = {};

                if (strncmp(s, "args=\"", 6) != 0)
                        continue;
                /* args="..." up to the last quote: the value may carry quotes of its own. */
                line = strndup(s + 6, strcspn(s + 6, "\n"));
                if (line && strrchr(line, '"'))
                        *strrchr(line, '"') = 0;
                if (!line || kargs_ours(line, req->families, &req->owned, &l) < 0)
                        return -ENOMEM;
                joined = kargs_join(&l);
                *all_match = *all_match && joined && streq(joined, want);
                for (size_t i = 0; i < l.n; i++)
                        if (!strv_contains(ours, l.v[i]) && strv_push(ours, strdup(l.v[i])) < 0)
                                return -ENOMEM;
                strv_free(&l);
        }
        return 0;
}

static int apply_grubby(const KargsRequest *req, FILE *out) {
        _cleanup_free_ char *add = kargs_join(&req->args), *remove = NULL, *a1 = NULL, *a2 = NULL;
        _cleanup_(strv_free) Strv ours = {};
        bool all_match;
        char *argv[5];
        size_t n = 0;
        int r;

        if (!root_is_host() && !secure_getenv("DPDK_BOOT_GRUBBY"))
                return -EOPNOTSUPP; /* grubby edits the host's /boot; it has no root option */
        r = grubby_ours(req, &ours, &all_match);
        if (r < 0)
                return r;
        if (all_match) {
                fprintf(out, "grubby: every entry has the arguments, unchanged\n");
                return 0;
        }
        remove = kargs_join(&ours);
        if (!add || !remove)
                return -ENOMEM;
        argv[n++] = (char *) grubby_command();
        argv[n++] = (char *) "--update-kernel=ALL";
        if (*remove && asprintf(&a1, "--remove-args=%s", remove) >= 0)
                argv[n++] = a1;
        if (*add && asprintf(&a2, "--args=%s", add) >= 0)
                argv[n++] = a2;
        argv[n] = NULL;
        fprintf(out, "%s:", req->dry_run ? "would run" : "running");
        for (size_t i = 0; i < n; i++)
                fprintf(out, " %s", argv[i]);
        fprintf(out, "\n");
        if (req->dry_run)
                return 1;
        r = spawn_command(argv, NULL);
        return r == 0 ? 1 : r < 0 ? r : -EPROTO;
}

/* ---- detection and dispatch ---- */

int bootloader_detect(BootloaderKind *ret) {
        static const struct {
                const char *path;
                BootloaderKind kind;
        } probes[] = {
                { "/run/ostree-booted", BOOTLOADER_BOOTC },
                { "/usr/lib/bootc/kargs.d", BOOTLOADER_BOOTC },
                { "/usr/sbin/grubby", BOOTLOADER_GRUBBY },
                { "/usr/bin/grubby", BOOTLOADER_GRUBBY },
                { "/etc/kernel/cmdline", BOOTLOADER_BLS },
                { "/etc/default/grub", BOOTLOADER_GRUB },
                { "/usr/sbin/update-grub", BOOTLOADER_GRUB },
                { "/boot/loader/entries", BOOTLOADER_BLS },
                { "/efi/loader/entries", BOOTLOADER_BLS },
        };

        for (size_t i = 0; i < ELEMENTSOF(probes); i++)
                if (root_exists(probes[i].path) > 0) {
                        *ret = probes[i].kind;
                        return 0;
                }
        return -ENOENT;
}

int bootloader_apply(BootloaderKind kind, const KargsRequest *req, FILE *out) {
        switch (kind) {
        case BOOTLOADER_GRUB:
                return apply_grub(req, out);
        case BOOTLOADER_BLS:
                return apply_bls(req, out);
        case BOOTLOADER_GRUBBY:
                return apply_grubby(req, out);
        case BOOTLOADER_BOOTC:
                return apply_bootc(req, out);
        default:
                return -EINVAL;
        }
}

/* ---- state ---- */

int kargs_owned_load(Strv *ret) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        *ret = (Strv) {};
        r = read_optional(KARGS_OWNED_FILE, &text);
        if (r < 0 || !text)
                return r;
        for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
                if (*strip(t) && *strip(t) != '#' && strv_push(ret, strdup(strip(t))) < 0)
                        return -ENOMEM;
        return 0;
}

int kargs_state_write(const char *path, const char *content) {
        _cleanup_free_ char *full = root_path(path);
        int r;

        if (!full)
                return -ENOMEM;
        r = root_mkdir_parents(path);
        if (r < 0)
                return r;
        return write_file_atomic(full, content, 0644);
}

int kargs_owned_save(const Strv *args) {
        _cleanup_(buf_free) Buf b = {};

        (void) buf_put(&b, "# The kernel arguments dpdk-boot wrote to the bootloader, one a line.\n");
        for (size_t i = 0; i < args->n; i++)
                (void) buf_printf(&b, "%s\n", args->v[i]);
        if (!b.data)
                return -ENOMEM;
        return kargs_state_write(KARGS_OWNED_FILE, b.data);
}

/* ---- environment ---- */

int kargs_env_cli(const char *release, KargsEnv *ret) {
        KargsEnv e = { .vendor = kargs_detect_vendor() };
        int r;

        if (release) {
                r = kernel_release_parse(release, &e.kernel_major, &e.kernel_minor);
                if (r < 0)
                        return r;
        } else {
                r = kargs_detect_kernel(&e);
                if (r < 0)
                        return r;
        }
        *ret = e;
        return 0;
}

int kargs_of_context(const Context *ctx, const KargsEnv *env, Strv *ret_needed, Strv *ret_missing) {
        int r;

        r = kargs_from_plan(&ctx->plan, env, ret_needed);
        if (r < 0 || !ret_missing)
                return r;
        r = kargs_missing(ctx->cmdline ?: "", ret_needed, ret_missing);
        if (r < 0)
                strv_free(ret_needed);
        return r;
}
