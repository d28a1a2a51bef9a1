/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Shared by the libFuzzer targets: a scratch root under /dev/shm (tmpfs, so an iteration costs
 * system calls, not disk writes) that DPDK_BOOT_ROOT-style reads go to, file helpers relative
 * to it, and a reader that turns the fuzzer's bytes into choices and strings.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Creates the scratch root, points the core's root prefix at it and removes it at exit. */
const char *fuzz_root_setup(void);
/* "<root>/rel" into a static buffer. */
const char *fuzz_path(const char *rel);
void fuzz_mkdir_p(const char *rel);
/* Writes a file under the root (replacing it); aborts on failure, which is a harness bug. */
void fuzz_write(const char *rel, const void *data, size_t len, mode_t mode);
void fuzz_symlink(const char *target, const char *rel);
/* fuzz_write() of a 0644 file, its directories made first (fuzz_mkdir_p()). */
void fuzz_put_file(const char *rel, const void *data, size_t len);
/* Removes what the three above created, newest first (a file written twice is removed once;
 * a directory that is not empty by then is a harness bug). */
void fuzz_undo(void);
/* Forgets what they created so far, which then stays: for what every input shares (made once at
 * start) or rewrites in place. Without it, each input's entries would stay in the journal. */
void fuzz_keep(void);
/* rm -rf of an absolute path; the directory itself goes too. */
void fuzz_rm_rf(const char *abs);
/* Aborts with a message: a violated invariant is a finding. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The fuzzer's bytes as a stream of decisions; reads past the end give zeros and "". */
typedef struct FuzzInput {
        const uint8_t *data;
        size_t size;
} FuzzInput;

uint8_t fi_byte(FuzzInput *in);
bool fi_bool(FuzzInput *in);
/* A string of at most max bytes: a length byte, then that many bytes (NULs kept as bytes,
 * since files may hold them). Returns the length; buf gets a NUL after it. */
size_t fi_bytes(FuzzInput *in, char *buf, size_t max);

/* Checks units rendered into dir: the datapath unit has exactly one ExecStart= line, no line
 * ends in a backslash (systemd would join the next line to it), every '%' is escaped but
 * the %t of Environment=XDG_RUNTIME_DIR=. */
void fuzz_check_units(const char *dir);
