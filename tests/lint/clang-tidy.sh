#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs clang-tidy, with the checks of the tree's .clang-tidy, on every .c file of src/, bin/ and
# generator/ (not fuzz/, not the fixtures under tests/), with the flags of the build's
# compile_commands.json, one file per CPU at a time. Any warning fails the test; a deliberate
# exception is a NOLINT(check) with its reason on the same line, or a disabled check with its
# reason in .clang-tidy. Exits 77 (skipped) when clang-tidy is not installed.
#
# usage: clang-tidy.sh SOURCE-ROOT BUILD-ROOT
set -euo pipefail

src=$(realpath "${1:?usage: clang-tidy.sh SOURCE-ROOT BUILD-ROOT}")
build=$(realpath "${2:?usage: clang-tidy.sh SOURCE-ROOT BUILD-ROOT}")
tidy=${CLANG_TIDY:-clang-tidy}

if ! command -v "$tidy" > /dev/null; then
    echo "clang-tidy.sh: $tidy not installed, skipping" >&2
    exit 77
fi
if [ ! -f "$build/compile_commands.json" ]; then
    echo "clang-tidy.sh: no compile_commands.json in $build" >&2
    exit 1
fi

cd "$src"
files=()
while IFS= read -r -d '' f; do
    files+=("$src/$f")
done < <(find src bin generator -name '*.c' -print0 | sort -z)

# A file the build does not compile would be checked with guessed flags, or not at all: say so.
built=$(python3 -c '
import json, os, sys
for e in json.load(open(sys.argv[1])):
    print(os.path.normpath(os.path.join(e["directory"], e["file"])))
' "$build/compile_commands.json")
missing=()
for f in "${files[@]}"; do
    grep -qxF "$f" <<< "$built" || missing+=("${f#"$src"/}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "clang-tidy.sh: not in $build/compile_commands.json: ${missing[*]}" >&2
    exit 1
fi
if [ "${#files[@]}" -lt 20 ]; then
    echo "clang-tidy.sh: only ${#files[@]} files found under $src; is this the source tree?" >&2
    exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "clang-tidy: $("$tidy" --version | grep -o 'version [0-9.]*'), ${#files[@]} files, $(nproc) jobs"

# One clang-tidy per file, each with its own log so that parallel runs do not interleave. Not
# several files per run: clang-tidy 14's valist checker then reports an "uninitialized va_list"
# in a later file that has none. The build may be gcc's: clang ignores warning options it does
# not know.
export tidy build out
status=0
# The quoted script is for the child bash to expand, once per file.
# shellcheck disable=SC2016
printf '%s\0' "${files[@]}" | xargs -0 -P "$(nproc)" -n 1 bash -c '
    log="$out/$(printf %s "$1" | tr / _).log"
    "$tidy" -p "$build" --quiet --warnings-as-errors="*" \
        --extra-arg=-Wno-unknown-warning-option "$1" > "$log" 2>&1
' _ || status=$?

# A header's warning comes once per file that includes it: print each once, its path relative to
# the source root (clang-tidy prints it as the compile command names it).
findings=$(cat "$out"/*.log | python3 -c '
import os, re, sys
seen = set()
for line in sys.stdin:
    m = re.match(r"([^ ].*?):(\d+):(\d+): ((?:warning|error): .*)", line.rstrip("\n"))
    if m:
        path = os.path.relpath(os.path.normpath(os.path.join(sys.argv[2], m.group(1))), sys.argv[1])
        seen.add((path, int(m.group(2)), int(m.group(3)), m.group(4)))
print("\n".join("%s:%d:%d: %s" % f for f in sorted(seen)), end="")
' "$src" "$build")
if [ "$status" -ne 0 ] || [ -n "$findings" ]; then
    if [ -n "$findings" ]; then
        echo "$findings"
        echo "clang-tidy: $(wc -l <<< "$findings") findings; details: $tidy -p $build FILE" >&2
    else
        # clang-tidy failed without a finding (it crashed, or a file did not parse): show why.
        cat "$out"/*.log >&2
    fi
    exit 1
fi
echo "clang-tidy: clean"
