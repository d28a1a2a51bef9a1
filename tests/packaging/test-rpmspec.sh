#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dpdk-boot.spec parses (rpmspec -P), and with the macros that Fedora's meson and systemd-rpm-macros
# packages define (not on Debian) loaded from .ci/rpm/macros.fedora, as .ci/build-rpm builds it,
# no macro stays unexpanded: a misspelt macro fails.
# Skipped (77) without rpmspec (Debian: package rpm).  Usage: test-rpmspec.sh SPEC
set -euo pipefail

spec=$1
if ! command -v rpmspec > /dev/null; then
    echo "rpmspec is not installed (Debian: apt install rpm)"
    exit 77
fi
macros=$(dirname "$spec")/.ci/rpm/macros.fedora
out=$(rpmspec -P "$spec" --load "$macros" --define '_topdir /nonexistent')
left=$(grep -v '^#' <<< "$out" | grep -oE '%\{?[A-Za-z_][A-Za-z0-9_]*' | grep -vxE '%(description|prep|build|install|check|post|preun|postun|files|changelog|license|doc|dir|autosetup)' || true)
if [ -n "$left" ]; then
    echo "FAIL: unexpanded macros in $spec: $(sort -u <<< "$left" | paste -sd' ')" >&2
    exit 1
fi
# BuildRequires complete: every build dependency of debian/control has its Fedora counterpart in
# the spec (a dependency added to one and not the other fails here; "-" means none is needed).
declare -A fedora=(
    [debhelper-compat]=- [pkg-config]=- [meson]=meson [ninja-build]=ninja-build
    [libsystemd-dev]='pkgconfig(libsystemd)' [libkmod-dev]='pkgconfig(libkmod)' [libmnl-dev]='pkgconfig(libmnl)'
    [libpci-dev]='pkgconfig(libpci)' [libinih-dev]='pkgconfig(inih)'
    [libjson-c-dev]='pkgconfig(json-c)' [libyaml-dev]='pkgconfig(yaml-0.1)'
    [systemd]=systemd [dracut-core]=dracut [bash-completion]='pkgconfig(bash-completion)'
    [scdoc]=scdoc [jq]=jq [kmod]=kmod [pciutils]=pciutils [python3]=python3
    [shellcheck]=ShellCheck
    # the initramfs-tools tests only; Fedora has no initramfs-tools, and the spec builds without it
    [initramfs-tools-core]=-
)
control=$(dirname "$spec")/debian/control
requires=$(sed -n 's/^BuildRequires: *\([^ ]*\).*/\1/p' "$spec")
debs=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$control" | sed '$d' | sed 's/^Build-Depends://' \
    | tr ',' '\n' | sed 's/[[(<].*//; s/^ *//; s/ *$//' | grep -v '^$')
for deb in $debs; do
    want=${fedora[$deb]:-}
    if [ -z "$want" ]; then
        echo "FAIL: debian/control builds with $deb: add its Fedora name to $0 and the spec" >&2
        exit 1
    fi
    [ "$want" = - ] && continue
    grep -qxF "$want" <<< "$requires" || {
        echo "FAIL: debian/control builds with $deb, $spec has no BuildRequires: $want" >&2
        exit 1
    }
done
# The spec's version is the project's.
want=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$(dirname "$spec")/meson.build" | head -n 1)
got=$(rpmspec -q --load "$macros" --qf '%{version}\n' --srpm "$spec" 2> /dev/null)
if [ "$got" != "$want" ]; then
    echo "FAIL: $spec has Version $got, meson.build $want" >&2
    exit 1
fi
echo "ok: $spec"
