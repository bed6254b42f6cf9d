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
	fail=0
	for f in "$TOP"/tests/vm-kunit/*.log; do
		name=$(basename "$f" .log)
		want=1
		[ "$name" = pass ] && want=0
		if "$0" "$f" >/dev/null; then rc=0; else rc=1; fi
		if [ $rc -eq $want ]; then
			echo "PASS vm KUnit check: $name"
		else
			echo "FAIL vm KUnit check: $name (exit $rc)"
			fail=1
		fi
	done
	exit $fail
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
