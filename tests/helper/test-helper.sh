#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-helper.sh DPDK_BOOT FAKEKERNEL_SO GROUP [UNITDIR]
#
# DPDK_BOOT_GENERATOR names the generator, which `generate` runs as at boot: it leaves the plan
# in the tree's /run/dpdk-boot, which the unit verbs (bind --from-plan) execute.
# Runs the real dpdk-boot binary against a fixture tree (mkfixture.sh) with the fakekernel shim
# preloaded, which plays the kernel's side of sysfs writes. Each case builds a fresh tree, runs
# commands, and checks exit codes, messages and the files the kernel side changed. Where output
# is stable it is compared with golden/<name>.out (the fixture path shows as @ROOT@,
# the unit directory as @UNITDIR@).
#
# The harness is lib.sh; the cases, one file per verb, are in cases/ (a case is a function
# test_GROUP_NAME; GROUP is what meson passes). Regenerate the goldens with:
#   UPDATE=1 meson test -C build --suite helper
# and review the diff before committing it. HELPER_WRAP="valgrind ..." runs every dpdk-boot
# command under that wrapper (meson registers the bind and status groups so, when valgrind is
# installed). SANITIZER_PRELOAD (an ASan runtime) goes first in LD_PRELOAD, before the shim, as
# ASan requires; meson sets it in a -Db_sanitize=address build.
set -euo pipefail

DPDK_BOOT=${1:?usage: test-helper.sh DPDK_BOOT FAKEKERNEL_SO GROUP}
SHIM=${2:?}
GROUP=${3:?}
UNITDIR=${4:-/nonexistent}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# restore --on-stop reads it; the cases set it themselves.
unset SERVICE_RESULT

# shellcheck source=tests/helper/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/lib/cases.sh
. "$here/../lib/cases.sh"
for f in "$here"/cases/*.sh; do
    # shellcheck disable=SC1090 # one file of cases per verb
    . "$f"
done

run_cases "test_${GROUP}"
