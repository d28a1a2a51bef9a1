#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Each built man page renders with man -l and without a single groff warning, and has the
# NAME, DESCRIPTION and SEE ALSO sections.  Usage: render-man.sh PAGE...
set -euo pipefail

if ! command -v man > /dev/null; then
    echo "man is not installed"
    exit 77
fi
fail=0
for page in "$@"; do
    err=$(mktemp)
    out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2> "$err") || {
        echo "FAIL: man -l $page exited with $?" >&2
        fail=1
    }
    if [ -s "$err" ]; then
        echo "FAIL: $page: warnings:" >&2
        cat "$err" >&2
        fail=1
    fi
    rm -f "$err"
    for s in NAME DESCRIPTION 'SEE ALSO'; do
        grep -qx "$s" <<< "$out" || {
            echo "FAIL: $page: no $s section" >&2
            fail=1
        }
    done
    echo "rendered $(basename "$page"): $(wc -l <<< "$out") lines"
done
exit "$fail"
