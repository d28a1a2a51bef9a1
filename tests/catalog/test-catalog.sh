#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The journal catalog and src/core/message-ids.h stay in step: every ID in the header has exactly
# one catalog entry and every entry's ID is in the header; each entry has Subject:, Defined-By:,
# Support: and a body. Then journalctl itself parses the catalog, inside a scratch root
# (--root), so the host's catalog database is never touched.
#
# Usage: test-catalog.sh MESSAGE_IDS_H CATALOG
set -euo pipefail

header=$1
catalog=$2
fail=0
err() {
    echo "FAIL: $*" >&2
    fail=1
}

mapfile -t header_ids < <(sed -n 's/^#define DPDK_BOOT_MESSAGE_[A-Z0-9_]*_STR[[:space:]]*"\([^"]*\)".*/\1/p' "$header")
mapfile -t catalog_ids < <(sed -n 's/^-- \([^ ]*\).*/\1/p' "$catalog")
n_macros=$(grep -c '^#define DPDK_BOOT_MESSAGE_' "$header")

[ "${#header_ids[@]}" -gt 0 ] || err "no DPDK_BOOT_MESSAGE_*_STR in $header"
[ "${#header_ids[@]}" -eq "$n_macros" ] || err "$header: $n_macros macros, ${#header_ids[@]} in the _STR \"id\" form"

for id in "${header_ids[@]}" "${catalog_ids[@]}"; do
    [[ $id =~ ^[0-9a-f]{32}$ ]] || err "'$id' is not 32 lowercase hex digits"
done
dups=$(printf '%s\n' "${header_ids[@]}" | sort | uniq -d)
[ -z "$dups" ] || err "$header: IDs used twice: $dups"

for id in "${header_ids[@]}"; do
    n=$(grep -c -- "^-- $id\$" "$catalog" || true)
    [ "$n" -eq 1 ] || err "$id (in $header) has $n catalog entries, expected 1"
done
# A lookup table, not "printf | grep -q": under pipefail, grep leaving at the first match can
# kill the printf with SIGPIPE and fail the pipeline for an ID that is there.
declare -A in_header=()
for id in "${header_ids[@]}"; do in_header[$id]=1; done
for id in "${catalog_ids[@]}"; do
    [ -n "${in_header[$id]:-}" ] || err "catalog entry $id is not in $header"
done

# Per entry: the headers we promise, a blank line, then a body.
bad=$(awk '
    function finish() {
        if (id == "") return
        if (!subject) print id ": no Subject:"
        if (!defined) print id ": no Defined-By:"
        if (!support) print id ": no Support:"
        if (body == 0) print id ": no body"
    }
    /^-- / { finish(); id = $2; inhead = 1; subject = defined = support = 0; body = 0; next }
    id == "" { next }
    inhead && /^$/ { inhead = 0; next }
    inhead && /^Subject: ./ { subject = 1; next }
    inhead && /^Defined-By: dpdk-boot$/ { defined = 1; next }
    inhead && /^Support: ./ { support = 1; next }
    inhead && /^[A-Za-z-]+: / { next }
    inhead { print id ": not a header line: " $0; next }
    /[^[:space:]]/ { body++ }
    /@[A-Z_]+@/ { print id ": unsubstituted " $0 }
    END { finish() }
' "$catalog")
[ -z "$bad" ] || err "$bad"

# journalctl's own parser, in a scratch root.
if command -v journalctl > /dev/null; then
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/usr/lib/systemd/catalog"
    cp "$catalog" "$root/usr/lib/systemd/catalog/dpdk-boot.catalog"
    if ! out=$(journalctl --root="$root" --update-catalog 2>&1); then
        err "journalctl --update-catalog failed: $out"
    elif [ -n "$out" ]; then
        err "journalctl --update-catalog complained: $out"
    fi
    listed=$(journalctl --root="$root" --list-catalog 2>&1 | awk '{print $1}' | sort)
    expected=$(printf '%s\n' "${header_ids[@]}" | sort)
    [ "$listed" = "$expected" ] || err "journalctl --list-catalog lists: $listed"
    for id in "${header_ids[@]}"; do
        subject=$(awk -v id="$id" '$0 == "-- " id { f = 1; next } f && /^Subject: / { sub(/^Subject: /, ""); print; exit }' "$catalog")
        grep -qF -- "$subject" <<< "$(journalctl --root="$root" --list-catalog "$id")" \
            || err "$id: journalctl shows another subject than '$subject'"
    done
else
    echo "journalctl not installed: format checks only"
fi

[ "$fail" -eq 0 ] || exit 1
echo "ok: ${#header_ids[@]} message IDs, each with one catalog entry"
