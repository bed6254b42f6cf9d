#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run make targets as the stages of a test run, each timed and logged, and
# end with one line counting the checks and tests: 'N passed, N failed'.
#
# A stage's own 'PASS ...', 'FAIL ...' and 'SKIP ...' lines are what it
# counts; a stage that prints none counts once, by its exit status. A stage
# that exits non-zero always counts at least one failure. Every stage runs,
# so one failure does not hide another.
#   run-stages.sh TARGET...
set -uo pipefail
. "$(dirname "$0")/lib.sh"
logs=$BUILD/logs
mkdir -p "$logs"

passed=0 failed=0 skipped=0
summary=()
total_start=$(date +%s)
for stage in "$@"; do
	echo "=== $stage"
	start=$(date +%s)
	make -s --no-print-directory -C "$TOP" NODEPS=1 "$stage" 2>&1 | tee "$logs/$stage.log"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	p=$(grep -c '^PASS ' "$logs/$stage.log")
	f=$(grep -c '^FAIL ' "$logs/$stage.log")
	s=$(grep -c '^SKIP ' "$logs/$stage.log")
	if [ $((p + f + s)) -eq 0 ]; then
		if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then verdict=ok; else verdict=FAILED; fi
	summary+=("$(printf '%-20s %-7s %5d s  (%d passed, %d failed, %d skipped)' \
		"$stage" "$verdict" "$secs" "$p" "$f" "$s")")
	echo "=== $stage: $verdict in $secs s"
done

echo
echo "=== stages (logs in ${logs#"$TOP"/}/)"
printf '%s\n' "${summary[@]}"
echo "total time $(($(date +%s) - total_start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
