#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build rocket.ko out of tree from the repository's drivers/accel/rocket and
# uAPI header against a prepared 7.3 kernel tree (default: the series' own
# arm64 build), as a board owner on a distribution kernel would.
#   module.sh [KDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kdir=${1:-$KOUT}
[ -f "$kdir/Module.symvers" ] || die "$kdir is not a prepared kernel build (no Module.symvers)"
out=$BUILD/module
rm -rf "$out"
mkdir -p "$out"

# NOSTDINC_FLAGS come before the kernel's own include paths, so the
# repository's uAPI header wins; its '#include "drm.h"' still finds the
# kernel's drm.h through -idirafter.
make -C "$kdir" M="$TOP/drivers/accel/rocket" MO="$out" \
	CONFIG_DRM_ACCEL_ROCKET=m \
	NOSTDINC_FLAGS="-I$TOP/include/uapi -idirafter $kdir/source/include/uapi/drm -idirafter $kdir/include/uapi/drm" \
	-j"$(nproc)" modules
[ -f "$out/rocket.ko" ] || die "no rocket.ko in $out"
echo "PASS module: $out/rocket.ko ($(modinfo -F vermagic "$out/rocket.ko"))"
