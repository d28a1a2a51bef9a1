#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs shellcheck on every shell script of the tree: *.sh and *.sh.in files and any file whose first
# line is a sh/bash/dash shebang (bench/run, .ci/*, tests/vm/run, ...). Deliberate disables are
# justified where they are: in place, or in a .shellcheckrc next to the scripts.
#
# Only the sources: not the build directory (BUILD-ROOT, which a package build puts inside the
# source tree, e.g. obj-x86_64-linux-gnu/), build*/ directories, nor debian/'s staging trees
# (debian/dpdk-boot/, debian/tmp/: installed copies of scripts checked here already).
#
# usage: shellcheck.sh SOURCE-ROOT [BUILD-ROOT]
set -euo pipefail

cd "${1:?usage: shellcheck.sh SOURCE-ROOT [BUILD-ROOT]}"
prune=(-name .git -o -name 'build*' -o -name .debhelper -o -path './debian/*')
if [ -n "${2:-}" ] && [ -d "$2" ]; then
    build=$(realpath "$2")
    case $build/ in
        "$PWD"/*) prune+=(-o -path "./${build#"$PWD"/}") ;;
    esac
fi
scripts=()
while IFS= read -r -d '' f; do
    case $f in
        *.sh | *.sh.in | *.bash) scripts+=("$f") ;;
        *) if head -n 1 "$f" 2>/dev/null | grep -Eq '^#! *(/usr/bin/env +|/usr)?/?(bin/)?(ba|da)?sh( |$)'; then
               scripts+=("$f")
           fi ;;
    esac
done < <(find . -type d \( "${prune[@]}" \) -prune -o -type f -print0 | sort -z)

# A lint that finds nothing to check must not pass quietly.
if [ "${#scripts[@]}" -lt 10 ]; then
    echo "shellcheck.sh: only ${#scripts[@]} scripts found under $PWD; is this the source tree?" >&2
    exit 1
fi
echo "shellcheck: ${#scripts[@]} scripts"
shellcheck --external-sources "${scripts[@]}"
