#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A benchmark, not a test: boot the test kernel in QEMU (arm64 virt, TCG)
# and run "rocket_gemm --bench" on the simulated NPU. Its figures measure
# the software model under QEMU, not an RK3588.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
log=$BUILD/vm/console.log
start=$(date +%s)
VM_APPEND=vmtest.bench VM_TIMEOUT=${VM_TIMEOUT:-1800} "$TOP/scripts/vm-run.sh" >/dev/null 2>&1 || true
echo "vm-bench: $(($(date +%s) - start)) s (2 vCPUs, TCG, KASAN and lockdep on)"
sed -n '/^# GEMM throughput/,/^vmtest: bench exit/p' "$log.txt"
grep -q '^vmtest: bench exit 0' "$log.txt" || die "the benchmark did not finish (see $log.txt)"
