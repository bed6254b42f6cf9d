#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KUnit results in a console log (KTAP, each line after its printk
# timestamp): a line per case of each suite, "PASS|FAIL|SKIP kunit
# <suite>.<case>"; a parameterised case counts once and fails if one of its
# parameters does. Exits 1 on a failed case or when no case reported.
#   vm-kunit.sh LOG
#   vm-kunit.sh --self-test   (tests/vm-kunit/pass.log must pass, fail.log fail)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --self-test ]; then
	log_self_test "$0" "$TOP/tests/vm-kunit" pass "vm KUnit check"
	exit
fi

cases=$(sed -nE 's/^\[ *[0-9.]+\] //p' "$1" | awk '
	/^    # Subtest: / { suite = $3; next }
	/^    (not )?ok [0-9]+ / {
		not = ($1 == "not") ? "not" : ""
		name = not ? $4 : $3
		rest = $0; sub(/^[^#]*/, "", rest)
		print not "|" suite "." name "|" (rest ? " " rest : "")
	}')
if [ -z "$cases" ]; then
	echo "FAIL kunit: no KUnit case reported a result"
	exit 1
fi
fail=0
while IFS='|' read -r not name rest; do
	if [ -n "$not" ]; then
		echo "FAIL kunit $name$rest"
		fail=1
	elif [[ $rest == *"# SKIP"* ]]; then
		echo "SKIP kunit $name$rest"
	else
		echo "PASS kunit $name"
	fi
done <<<"$cases"
exit $fail
