#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Replay every rocket_fuzz seed of config/fuzz-seeds.txt (seeds that once
# failed) in QEMU, on three simulated cores and on one (scripts/vm-fuzz.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
list=$TOP/config/fuzz-seeds.txt
n=0
while read -r seed why; do
	case $seed in ''|'#'*) continue ;; esac
	echo "fuzz-seeds: $seed ($why)"
	FUZZ_SEED=$seed "$TOP/scripts/vm-fuzz.sh"
	n=$((n + 1))
done <"$list"
[ "$n" -gt 0 ] || die "fuzz-seeds: no seed in $list"
echo "PASS fuzz-seeds: $n seed(s) replayed"
