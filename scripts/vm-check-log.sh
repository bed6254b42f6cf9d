#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fail on any report of the kernel's debugging tools in a console log:
# KASAN, kmemleak, lockdep, WARN, BUG, Oops, panics, hung tasks.
#   vm-check-log.sh LOG
#   vm-check-log.sh --self-test   (each log in tests/vm-log/ must fail but clean.log)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

reports='BUG:|WARNING:|KASAN|kmemleak: [0-9]+ new suspected|unreferenced object|Oops|Kernel panic|possible (recursive|circular)|inconsistent lock|INFO: (possible|suspicious|task .* blocked)|general protection|Unable to handle kernel|Call trace:'

if [ "${1:-}" = --self-test ]; then
	log_self_test "$0" "$TOP/tests/vm-log" clean "vm log check"
	exit
fi

if grep -En "$reports" "$1"; then
	echo "FAIL vm: the kernel log holds the reports above"
	exit 1
fi
echo "PASS vm: no KASAN, kmemleak, lockdep, WARN, BUG or Oops report in the kernel log"
