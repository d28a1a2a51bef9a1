#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# print-units.sh DIR: the units in DIR as `dpdk-boot plan --units` prints the ones it renders
# (every file and symlink in byte order of its path; a symlink as "PATH -> TARGET", a file as
# "==> PATH <==", its text and an empty line), so that a generator's output directory can be
# compared byte for byte with what `plan --units` shows.
set -euo pipefail

dir=${1:?usage: print-units.sh DIR}
cd "$dir"
find . -mindepth 1 ! -type d -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
    if [ -L "$f" ]; then
        printf '%s -> %s\n' "$f" "$(readlink "$f")"
    else
        printf '==> %s <==\n' "$f"
        cat "$f"
        printf '\n'
    fi
done
