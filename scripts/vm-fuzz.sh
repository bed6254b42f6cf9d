#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Replay the rocket_fuzz selftest with one seed (the seed a run printed,
# "replay with ROCKET_FUZZ_SEED=..."), on three simulated cores and on one,
# in QEMU; the kernel log is checked as vmtest checks it.
#   FUZZ_SEED=N [FUZZ_CALLS=C] [FUZZ_VERBOSE=1] vm-fuzz.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
seed=${FUZZ_SEED:-}
[[ $seed =~ ^[0-9]+$ ]] || die "vm-fuzz: set FUZZ_SEED to the seed to replay (a decimal number)"
log=$BUILD/vm/fuzz-console.log
[[ ${FUZZ_CALLS:-0} =~ ^[0-9]+$ && ${FUZZ_VERBOSE:-0} =~ ^[01]$ ]] ||
	die "vm-fuzz: FUZZ_CALLS is a number of calls, FUZZ_VERBOSE 0 or 1"
append="vmtest.fuzz_seed=$seed"
[ -z "${FUZZ_CALLS:-}" ] || append+=" vmtest.fuzz_calls=$FUZZ_CALLS"
[ -z "${FUZZ_VERBOSE:-}" ] || append+=" vmtest.fuzz_verbose=$FUZZ_VERBOSE"
VM_LOG=$log VM_APPEND=$append VM_TIMEOUT=${VM_TIMEOUT:-1200} "$TOP/scripts/vm-run.sh" >/dev/null 2>&1 || true
grep -E '^(# seed|ok|not ok|# Totals|vmtest: fuzz)' "$log.txt" || true
"$TOP/scripts/vm-check-log.sh" "$log.txt"
for cores in 3 1; do
	grep -q "^vmtest: fuzz cores=$cores exit 0" "$log.txt" ||
		die "vm-fuzz: seed $seed failed or did not finish on $cores core(s) (see $log.txt)"
done
echo "PASS vm-fuzz: seed $seed on 3 cores and on 1"
