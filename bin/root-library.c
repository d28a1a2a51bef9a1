/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "log.h"
#include "root-library.h"
#include "rootdir.h"
#include "util.h"

/* realpath(3) of p: the file as the host resolves it. NULL with errno set. */
static char *host_realpath(const char *p) {
        return p ? realpath(p, NULL) : NULL;
}

int root_library_entry_check(const char *dir, const char *name) {
        _cleanup_free_ char *tree_dir = NULL, *entry = NULL, *lib_view = NULL, *tree_view = NULL;
        _cleanup_free_ char *lib_real = NULL, *tree_real = NULL;
        int lib_err, tree_err;

        if (root_is_host())
                return 0;
        tree_dir = root_path(dir);
        if (!tree_dir)
                return errno == ENOENT ? 0 : -errno;
        /* What the library opens: the resolved directory and the name, left to the host. */
        lib_view = strjoin3(tree_dir, "/", name);
        entry = strjoin3(dir, "/", name);
        if (!lib_view || !entry)
                return -ENOMEM;
        lib_real = host_realpath(lib_view);
        lib_err = lib_real ? 0 : errno;
        /* What the tree has there: every link resolved inside it. The root prefix itself may hold
         * links (/tmp on some systems): both sides go through realpath(). */
        tree_view = root_path(entry);
        tree_real = host_realpath(tree_view);
        tree_err = tree_real ? 0 : errno;
        if (lib_err == ENOMEM || tree_err == ENOMEM)
                return -ENOMEM;
        if (lib_real && tree_real ? streq(lib_real, tree_real) : !lib_real && !tree_real)
                return 0;
        log_warning("%s%s leads out of the tree (to %s on the host, where the tree has %s): refusing to hand %s%s to a library.",
                    root_get(), entry, lib_real ?: "nothing", tree_real ? "another file" : "nothing", root_get(), dir);
        return -EXDEV;
}

int root_library_dir_check(const char *dir, const char *suffix) {
        _cleanup_closedir_ DIR *d = NULL;
        size_t s = strlen(suffix);

        if (root_is_host())
                return 0;
        d = root_opendir(dir);
        if (!d)
                return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
        for (;;) {
                struct dirent *de;
                size_t n;
                int r;

                errno = 0;
                de = readdir(d);
                if (!de)
                        return errno != 0 ? -errno : 0;
                n = strlen(de->d_name);
                if (streq(de->d_name, ".") || streq(de->d_name, "..") || n < s || !streq(de->d_name + n - s, suffix))
                        continue;
                r = root_library_entry_check(dir, de->d_name);
                if (r < 0)
                        return r;
        }
}
