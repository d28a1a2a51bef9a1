#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dpdk-boot.spec parses (rpmspec -P), and with the macros that Fedora's meson and systemd-rpm-macros
# packages define (not on Debian) stubbed, no macro stays unexpanded: a misspelt macro fails.
# Skipped (77) without rpmspec (Debian: package rpm).  Usage: test-rpmspec.sh SPEC
set -euo pipefail

spec=$1
if ! command -v rpmspec > /dev/null; then
    echo "rpmspec is not installed (Debian: apt install rpm)"
    exit 77
fi
out=$(rpmspec -P "$spec" \
    --define '_topdir /nonexistent' \
    --define 'meson meson setup' --define 'meson_build meson compile' \
    --define 'meson_install meson install' --define 'meson_test meson test' \
    --define '_unitdir /usr/lib/systemd/system' \
    --define '_systemdgeneratordir /usr/lib/systemd/system-generators')
left=$(grep -v '^#' <<< "$out" | grep -oE '%\{?[A-Za-z_][A-Za-z0-9_]*' | grep -vxE '%(description|prep|build|install|check|post|files|changelog|license|doc|autosetup)' || true)
if [ -n "$left" ]; then
    echo "FAIL: unexpanded macros in $spec: $(sort -u <<< "$left" | paste -sd' ')" >&2
    exit 1
fi
# The spec's version is the project's.
want=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$(dirname "$spec")/meson.build" | head -n 1)
got=$(rpmspec -q --qf '%{version}\n' --srpm "$spec" 2> /dev/null)
if [ "$got" != "$want" ]; then
    echo "FAIL: $spec has Version $got, meson.build $want" >&2
    exit 1
fi
echo "ok: $spec"
