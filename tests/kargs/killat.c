/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LD_PRELOAD fault hook for the kargs tests: KARGS_KILL_AT=N sends SIGKILL to the process at the
 * N-th step of its file writing. Every call of mkostemp, write (to a file, not stdio), fchmod,
 * fsync, rename and unlink is two steps: just before it, and just after it. "Just before" a
 * write writes the first half of the buffer, so a kill also lands inside a half-written file.
 * KARGS_KILL_LOG=FILE appends one line per step, to see which call a step is.
 * KARGS_KILL_IF_CMDLINE=WORD: only when WORD is a word of /proc/cmdline (for a VM boot that
 * kills on one boot of a disk and not on the next).
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long step;

/* The hook is for this process: the commands it runs (update-grub) are not counted or killed. */
__attribute__((constructor)) static void killat_init(void) {
        unsetenv("LD_PRELOAD");
}

static int armed(void) {
        static int a = -1;
        const char *word = getenv("KARGS_KILL_IF_CMDLINE");
        char line[4096], *tok, *save = NULL;
        size_t n;
        FILE *f;

        if (a >= 0)
                return a;
        a = !word;
        if (word && (f = fopen("/proc/cmdline", "re"))) {
                n = fread(line, 1, sizeof(line) - 1, f);
                line[n] = 0;
                fclose(f);
                for (tok = strtok_r(line, " \n", &save); tok && !a; tok = strtok_r(NULL, " \n", &save))
                        a = strcmp(tok, word) == 0;
        }
        return a;
}

static void at_step(const char *what, int after) {
        const char *at = getenv("KARGS_KILL_AT"), *log = getenv("KARGS_KILL_LOG");

        if (!armed())
                return;
        step++;
        if (log) {
                FILE *f = fopen(log, "ae");

                if (f) {
                        fprintf(f, "%ld %s %s\n", step, after ? "after" : "before", what);
                        fclose(f);
                }
        }
        if (at && atol(at) == step)
                raise(SIGKILL);
}

#define REAL(ret, name, ...) \
        static ret (*real_##name)(__VA_ARGS__); \
        if (!real_##name) \
                real_##name = (ret (*)(__VA_ARGS__)) dlsym(RTLD_NEXT, #name)

static int is_regular(int fd) {
        struct stat st;

        return fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int mkostemp(char *template, int flags) {
        REAL(int, mkostemp, char *, int);
        int r;

        at_step("mkostemp", 0);
        r = real_mkostemp(template, flags);
        at_step("mkostemp", 1);
        return r;
}

ssize_t write(int fd, const void *buf, size_t n) {
        REAL(ssize_t, write, int, const void *, size_t);
        const char *at = getenv("KARGS_KILL_AT");
        ssize_t r;

        if (!is_regular(fd))
                return real_write(fd, buf, n);
        /* The step before: half of it written, then maybe the kill. */
        if (at && armed() && atol(at) == step + 1 && n > 1)
                (void) real_write(fd, buf, n / 2);
        at_step("write", 0);
        r = real_write(fd, buf, n);
        at_step("write", 1);
        return r;
}

int fchmod(int fd, mode_t mode) {
        REAL(int, fchmod, int, mode_t);
        int r;

        at_step("fchmod", 0);
        r = real_fchmod(fd, mode);
        at_step("fchmod", 1);
        return r;
}

int fsync(int fd) {
        REAL(int, fsync, int);
        int r;

        at_step("fsync", 0);
        r = real_fsync(fd);
        at_step("fsync", 1);
        return r;
}

int rename(const char *a, const char *b) {
        REAL(int, rename, const char *, const char *);
        int r;

        at_step("rename", 0);
        r = real_rename(a, b);
        at_step("rename", 1);
        return r;
}

int unlink(const char *p) {
        REAL(int, unlink, const char *);
        int r;

        at_step("unlink", 0);
        r = real_unlink(p);
        at_step("unlink", 1);
        return r;
}
