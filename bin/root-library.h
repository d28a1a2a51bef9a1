/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The libraries take paths, not file descriptors: libkmod a module directory and modprobe.d
 * directories, libpci a sysfs directory and pci.ids, sd-hwdb a hwdb.bin. root_path() resolves
 * the path handed over inside the tree, but what the library opens below it, it resolves itself,
 * on the host: there an absolute link of the image, or a ".." past its top, leads out of --root.
 * These checks stand before a directory is handed over: what the library will open below it must
 * be what the tree has there.
 *
 * Both return 0 on the real root, and under a prefix when the entries are the tree's (resolved on
 * the host as inside the tree, or absent both ways); -EXDEV, with a warning naming the entry and
 * where it leads, when one is not; another -errno on failure.
 */

/* dir/name of the tree, dir absolute ("/lib/modules/6.1.0", "modules.dep.bin"). */
int root_library_entry_check(const char *dir, const char *name);
/* Each entry of the tree's dir whose name ends in suffix ("" for all); none when dir is absent. */
int root_library_dir_check(const char *dir, const char *suffix);
