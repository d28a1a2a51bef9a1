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

#include "bootloader-internal.h"
#include "helper.h"
#include "cleanup.h"
#include "log.h"
#include "rootdir.h"


/* ---- files ---- */

int bootloader_read_optional(const char *path, char **ret) {
        size_t size;
        int r = root_read_file(path, MAX_FILE + 1, ret, &size);

        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r >= 0 && size > MAX_FILE) {
                /* never cut a file short and write the rest back */
                free(*ret);
                *ret = NULL;
                return log_error_errno(EFBIG, "%s%s is larger than %u bytes: not touching it.", root_get(), path,
                                       MAX_FILE);
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

/* Puts content into path (NULL: removes it), keeping the mode and owners of the file it replaces.
 * Returns 1 when it changed, 0 when it was so. */
int bootloader_update_file(const char *path, const char *content, bool dry_run, FILE *out) {
        _cleanup_free_ char *old = NULL, *full = NULL;
        struct stat st;
        int r;

        r = bootloader_read_optional(path, &old);
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
        full = root_path_entry(path);
        if (!full)
                return -errno;
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
        r = write_file_atomic_like(full, content, old && root_stat(path, &st) >= 0 ? &st : NULL, 0644);
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

/* ---- bootc ---- */

int bootloader_apply_bootc(const KargsRequest *req, FILE *out) {
        _cleanup_(buf_free) Buf b = {};

        if (req->args.n == 0)
                return bootloader_update_file(BOOTC_KARGS, NULL, req->dry_run, out);
        (void) buf_printf(&b, "# Written by dpdk-boot kargs: the kernel arguments %s needs.\n"
                          "kargs = [", CONFIG_MAIN_FILE);
        for (size_t i = 0; i < req->args.n; i++)
                (void) buf_printf(&b, "%s\"%s\"", i ? ", " : "", req->args.v[i]);
        (void) buf_put(&b, "]\n");
        if (!b.data)
                return -ENOMEM;
        return bootloader_update_file(BOOTC_KARGS, b.data, req->dry_run, out);
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

int bootloader_apply_grubby(const KargsRequest *req, FILE *out) {
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
                { NULL, BOOTLOADER_UKI }, /* bootloader_uki_detect() */
                { "/etc/kernel/cmdline", BOOTLOADER_BLS },
                { "/etc/default/grub", BOOTLOADER_GRUB },
                { "/usr/sbin/update-grub", BOOTLOADER_GRUB },
                { "/boot/loader/entries", BOOTLOADER_BLS },
                { "/efi/loader/entries", BOOTLOADER_BLS },
        };

        for (size_t i = 0; i < ELEMENTSOF(probes); i++)
                if (probes[i].path ? root_exists(probes[i].path) > 0 : bootloader_uki_detect() > 0) {
                        *ret = probes[i].kind;
                        return 0;
                }
        return -ENOENT;
}

int bootloader_apply(BootloaderKind kind, const KargsRequest *req, FILE *out) {
        switch (kind) {
        case BOOTLOADER_GRUB:
                return bootloader_apply_grub(req, out);
        case BOOTLOADER_BLS:
                return bootloader_apply_bls(req, out);
        case BOOTLOADER_GRUBBY:
                return bootloader_apply_grubby(req, out);
        case BOOTLOADER_BOOTC:
                return bootloader_apply_bootc(req, out);
        case BOOTLOADER_UKI:
                return bootloader_apply_uki(req, out);
        default:
                return -EINVAL;
        }
}

/* ---- state ---- */

int kargs_state_write(const char *path, const char *content) {
        _cleanup_free_ char *full = root_path_entry(path);
        int r;

        if (!full)
                return -errno;
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
        KargsEnv e = { .vendor = arg_cpu_vendor ? (CpuVendor) cpu_vendor_from_string(arg_cpu_vendor)
                                                : kargs_detect_vendor() };
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
