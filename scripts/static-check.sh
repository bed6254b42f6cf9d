#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# W=1 and sparse (C=2: every file, built or not) over the code the series
# owns in the kernel: any warning fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -f "$KOUT/.config" ] || die "no configured build: run 'make build' first"
log=$BUILD/static-check.log
targets=(drivers/accel/rocket/ drivers/iommu/rockchip-iommu.o)
"$TOP/scripts/kmake.sh" -s W=1 C=2 "${targets[@]}" >"$log" 2>&1 ||
	{ cat "$log"; die "W=1 C=2 build of ${targets[*]} failed"; }
if grep -E 'warning:|error:' "$log"; then
	die "W=1/sparse messages in ${targets[*]} (above)"
fi
echo "PASS W=1 and sparse clean: ${targets[*]}"
