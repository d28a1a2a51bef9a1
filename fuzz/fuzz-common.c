/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "render.h"
#include "rootdir.h"

static char root[PATH_MAX];

/* What fuzz_mkdir_p/fuzz_write/fuzz_symlink created since the last fuzz_undo(), in order:
 * undoing it costs one system call per entry, where a tree walk costs several. */
typedef struct Made {
        char *path;
        bool dir;
} Made;
static Made *journal;
static size_t n_journal, cap_journal;

static void journal_add(const char *p, bool dir) {
        if (n_journal == cap_journal) {
                cap_journal = cap_journal ? cap_journal * 2 : 64;
                journal = realloc(journal, cap_journal * sizeof(Made));
                if (!journal)
                        abort();
        }
        journal[n_journal] = (Made) { .path = strdup(p), .dir = dir };
        if (!journal[n_journal].path)
                abort();
        n_journal++;
}

void fuzz_undo(void) {
        while (n_journal > 0) {
                Made *m = &journal[--n_journal];
                /* What the code under test did to a path may have made a file of a directory or
                 * the other way round: then the other call. */
                int r = m->dir ? rmdir(m->path) : unlink(m->path);

                if (r < 0 && errno == (m->dir ? ENOTDIR : EISDIR))
                        r = m->dir ? unlink(m->path) : rmdir(m->path);
                if (r < 0 && errno != ENOENT)
                        fuzz_fail("undo %s: %s", m->path, strerror(errno));
                free(m->path);
        }
}

void fuzz_keep(void) {
        while (n_journal > 0)
                free(journal[--n_journal].path);
}

static void root_cleanup(void) {
        if (root[0])
                fuzz_rm_rf(root);
}

const char *fuzz_root_setup(void) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ?: "/tmp");

        snprintf(root, sizeof(root), "%s/dpdk-boot-fuzz.XXXXXX", base);
        if (!mkdtemp(root))
                fuzz_fail("mkdtemp %s: %s", root, strerror(errno));
        root_set(root);
        atexit(root_cleanup);
        umask(0);
        return root;
}

const char *fuzz_path(const char *rel) {
        static char buf[PATH_MAX];

        snprintf(buf, sizeof(buf), "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);
        return buf;
}

/* mkdir -p from the bottom: one mkdir() when the parent is there, as it mostly is. */
static void mkdir_up(char *p) {
        char *slash;

        if (mkdir(p, 0755) == 0) {
                journal_add(p, true);
                return;
        }
        if (errno == EEXIST)
                return;
        slash = strrchr(p, '/');
        if (errno != ENOENT || !slash || slash <= p + strlen(root))
                fuzz_fail("mkdir %s: %s", p, strerror(errno));
        *slash = 0;
        mkdir_up(p);
        *slash = '/';
        if (mkdir(p, 0755) == 0)
                journal_add(p, true);
        else if (errno != EEXIST)
                fuzz_fail("mkdir %s: %s", p, strerror(errno));
}

void fuzz_mkdir_p(const char *rel) {
        char p[PATH_MAX];

        snprintf(p, sizeof(p), "%s", fuzz_path(rel));
        mkdir_up(p);
}

void fuzz_write(const char *rel, const void *data, size_t len, mode_t mode) {
        const char *p = fuzz_path(rel);
        int fd;

        /* The umask is 0 (fuzz_root_setup), so a new file gets mode exactly; an existing one is
         * truncated and keeps its mode, and each harness writes a path with one mode only.
         * Fewer system calls per iteration are more iterations. A symlink in the way (a masking
         * link from the previous input) is replaced, never followed. */
        fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0 && errno == ELOOP && unlink(p) == 0)
                fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                fuzz_fail("open %s: %s", p, strerror(errno));
        journal_add(p, false);
        if (len > 0 && write(fd, data, len) != (ssize_t) len)
                fuzz_fail("write %s: %s", p, strerror(errno));
        close(fd);
}

void fuzz_put_file(const char *rel, const void *data, size_t len) {
        char dir[PATH_MAX];

        snprintf(dir, sizeof(dir), "%s", rel);
        *strrchr(dir, '/') = 0;
        fuzz_mkdir_p(dir);
        fuzz_write(rel, data, len, 0644);
}

void fuzz_symlink(const char *target, const char *rel) {
        char t[PATH_MAX];
        const char *p;

        /* target may be a fuzz_path() result, which the next call overwrites. */
        snprintf(t, sizeof(t), "%s", target);
        p = fuzz_path(rel);
        if (symlink(t, p) < 0 && (errno != EEXIST || unlink(p) < 0 || symlink(t, p) < 0))
                fuzz_fail("symlink %s: %s", p, strerror(errno));
        journal_add(p, false);
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st, (void) ftw;
        if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
                fuzz_fail("remove %s: %s", path, strerror(errno));
        return 0;
}

void fuzz_rm_rf(const char *abs) {
        if (nftw(abs, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
                fuzz_fail("nftw %s: %s", abs, strerror(errno));
}

void fuzz_fail(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        fputs("FUZZ INVARIANT: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
        abort();
}

uint8_t fi_byte(FuzzInput *in) {
        uint8_t b;

        if (in->size == 0)
                return 0;
        b = in->data[0];
        in->data++;
        in->size--;
        return b;
}

bool fi_bool(FuzzInput *in) {
        return fi_byte(in) & 1;
}

size_t fi_bytes(FuzzInput *in, char *buf, size_t max) {
        size_t n = fi_byte(in);

        if (n > max)
                n = max;
        if (n > in->size)
                n = in->size;
        memcpy(buf, in->data, n);
        buf[n] = 0;
        in->data += n;
        in->size -= n;
        return n;
}

/* The datapath unit: exactly one ExecStart= line, and no line that could continue into the
 * next one (systemd joins a line ending in a backslash with the following line). */
void fuzz_check_units(const char *dir) {
        char path[4096], line[65536];
        unsigned exec_lines = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, UNIT_DATAPATH);
        f = fopen(path, "re");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                size_t len = strlen(line);

                if (strncmp(line, "ExecStart=", 10) == 0)
                        exec_lines++;
                if (len >= 2 && line[len - 1] == '\n' && line[len - 2] == '\\')
                        fuzz_fail("a unit line ends in a backslash: %s", line);
                /* The one specifier written on purpose: %t in Environment=XDG_RUNTIME_DIR= of a
                 * datapath with User=. fuzz-pipeline checks every specifier against systemd's. */
                for (const char *p = strchr(line, '%'); p; p = strchr(p + 2, '%'))
                        if (p[1] != '%' && !(strncmp(line, "Environment=", 12) == 0 && p[1] == 't'))
                                fuzz_fail("an unescaped %% specifier: %s", line);
        }
        fclose(f);
        if (exec_lines != 1)
                fuzz_fail("%u ExecStart= lines in the datapath unit", exec_lines);
}
