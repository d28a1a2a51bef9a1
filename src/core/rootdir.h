/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdio.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Every read or write of /sys, /proc, /etc, /run, /usr/lib and /dev goes through here, so that
 * a test (or an image pipeline) can point the whole program at a tree with DPDK_BOOT_ROOT=DIR.
 * The prefix is read once with secure_getenv(), or set by a --root option.
 */

void root_set(const char *dir);
const char *root_get(void);          /* "" for the real root */
bool root_is_host(void);

/* "<root>/path" for a library or a *at()-less call, path absolute: under a prefix with every
 * symlink of it resolved inside the tree (rootdir.c), so that opening it cannot leave the tree.
 * What a library then opens below it (libpci, libkmod), it resolves itself, on the host:
 * bin/root-library.h checks that before a directory is handed over.
 * NULL with errno set (-ENOMEM, -ELOOP, -ENOENT for ".." below a missing directory...). */
char *root_path(const char *path);
/* The same with the last component not followed: for rename(2), unlink(2), lstat(2),
 * readlink(2) or O_NOFOLLOW of the entry itself. */
char *root_path_entry(const char *path);

int root_open(const char *path, int flags, mode_t mode);
/* For config and evidence files: O_RDONLY|O_NONBLOCK (a FIFO cannot block), then fstat();
 * -EISDIR for a directory, -EBADFD for another file that is not regular. The fd, or -errno. */
int root_open_regular(const char *path, struct stat *ret_st);
/* First line without the newline, of a regular file. -ENOENT etc. on failure. */
int root_read_line(const char *path, char **ret);
int root_read_u64(const char *path, uint64_t *ret);
int root_read_int(const char *path, int *ret);
/* Into a caller's buffer, NUL-terminated, at most size-1 bytes: the length, or -errno. */
ssize_t root_read_buf(const char *path, char *buf, size_t size);
ssize_t read_at_buf(int dfd, const char *name, char *buf, size_t size);
ssize_t read_fd_buf(int fd, char *buf, size_t size);
/* Like root_read_buf()/read_at_buf() with one read(2): for sysfs attributes, which come whole
 * in the first read, and small regular files (fixture trees); not for /proc files that stream. */
ssize_t root_read_attr(const char *path, char *buf, size_t size);
ssize_t read_attr_at(int dfd, const char *name, char *buf, size_t size);
/* The *_at() readers take a dfd of the tree (from root_open() or opendir of one) and resolve
 * name inside the tree, as root_open() does. */
/* Basename of the symlink dfd/name's target into buf. */
ssize_t readlinkat_basename(int dfd, const char *name, char *buf, size_t size);
/* The target of the symlink dfd/name (not followed), NUL-terminated: its length, or -errno. */
ssize_t readlink_at(int dfd, const char *name, char *buf, size_t size);
/* Whole file, NUL-terminated, up to max bytes (pass one more than the largest accepted size to
 * tell a larger file), in a buffer sized from fstat(), not from max. */
int read_fd_whole(int fd, size_t max, char **ret, size_t *ret_size);
/* The same of a regular file (root_open_regular()'s errors). */
int root_read_file(const char *path, size_t max, char **ret, size_t *ret_size);
/* Basename of a symlink's target, e.g. the driver name of .../driver. */
int root_readlink_basename(const char *path, char **ret);
/* The target of the symlink at path (not followed), NUL-terminated: its length, or -errno. */
ssize_t root_readlink(const char *path, char *buf, size_t size);
int root_exists(const char *path);   /* 1, 0, or -errno */
/* For a file about to be written under the prefix: 0 when the nearest directory above path that
 * exists (resolved inside the tree, as every path is) is a directory, -ENOTDIR when it is not;
 * -ELOOP when path itself is a symlink. */
int root_check_inside(const char *path);
/* stat(2) of path, resolved inside the tree: 0 or -errno. */
int root_stat(const char *path, struct stat *ret);
/* opendir() of the prefixed path; NULL with errno set. */
DIR *root_opendir(const char *path);
/* opendir() of dfd/name (no prefix: dfd is already under it); NULL with errno set. */
DIR *opendir_at(int dfd, const char *name);
/* The directory dfd/name opened for the *_at() readers (a device's, to read its attributes): an
 * fd, or -errno. */
int open_dir_at(int dfd, const char *name);
/* One write(2) of the string, as sysfs attributes want it; no O_CREAT. */
int root_write_string(const char *path, const char *s);

/* Plain, unprefixed: write a file atomically (temp file ".#NAME.dpdk-boot-XXXXXX" in its
 * directory, fsync, rename, fsync dir); the temporaries of earlier killed writes of NAME (and only
 * those) are removed after it. */
int write_file_atomic(const char *path, const char *content, mode_t mode);
/* The same, keeping the mode and owners of like (the file replaced; NULL: mode, our owners). */
int write_file_atomic_like(const char *path, const char *content, const struct stat *like, mode_t mode);
int write_file_atomic_full(const char *path, const struct stat *like, mode_t mode,
                           int (*writer)(FILE *f, void *userdata), void *userdata);
/* fopen(path, "re") of the prefixed path, a regular file (root_open_regular()); NULL with errno
 * set. */
FILE *root_fopen(const char *path);
/* unlink() of the prefixed path, then fsync() of its directory, so that the removal outlives a
 * crash as an atomic write does. */
int root_unlink(const char *path);
/* The directories above path (prefixed), made with mode 0755 where missing. */
int root_mkdir_parents(const char *path);
/* The same, the content written to f by writer (negative errno on failure). */
int write_file_atomic_with(const char *path, mode_t mode, int (*writer)(FILE *f, void *userdata),
                           void *userdata);
/* write_file_atomic_with() of the prefixed path, its directories made first. */
int root_write_file_atomic_with(const char *path, mode_t mode, int (*writer)(FILE *f, void *userdata),
                                void *userdata);
