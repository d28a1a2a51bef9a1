# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The PASS/FAIL bookkeeping the test drivers share. Sourced.
#
#   case_result NAME STATUS   counts one case (STATUS 0 passed) and prints "ok - NAME" or
#                             "not ok - NAME"
#   run_case NAME CMD...      runs CMD in a subshell with set -e and counts it as NAME
#   run_cases PREFIX          run_case for every function named PREFIX* (shown without "test_");
#                             none is an error
#   cases_summary             prints the counts; fails if a case failed or none ran

cases_passed=0
cases_failed=0

case_result() {
    if [[ $2 == 0 ]]; then
        echo "ok - $1"
        cases_passed=$((cases_passed + 1))
    else
        echo "not ok - $1"
        cases_failed=$((cases_failed + 1))
    fi
}

run_case() {
    local name=$1 st
    shift
    # A subshell that is not part of a condition keeps set -e working inside the case.
    set +e
    (
        set -e
        "$@"
    )
    st=$?
    set -e
    case_result "$name" "$st"
}

run_cases() {
    local prefix=$1 t cases
    cases=$(declare -F | awk '{print $3}' | grep "^$prefix" || true)
    if [[ -z $cases ]]; then
        echo "no test cases named $prefix*" >&2
        return 1
    fi
    for t in $cases; do
        run_case "${t#test_}" "$t"
    done
    cases_summary
}

cases_summary() {
    echo "$cases_passed passed, $cases_failed failed"
    [[ $cases_failed == 0 && $((cases_passed + cases_failed)) -gt 0 ]]
}
