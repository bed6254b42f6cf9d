#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series on the second base (config/second-base.env: Linux 7.2 from
# Debian unstable, fetched by scripts/fetch-second-base.sh), as a user whose
# kernel is older than 7.3 would take it: the patches of patches/ with the
# pre-7.3 group in front of the IOMMU patches, applied with git am, then
# rocket and rockchip-iommu compiled for arm64 with W=1 (allnoconfig +
# config/*.config, the objects only: no link, no boot). Any W=1 message fails.
#
# Proposed for scripts/ (make check-second-base); to be placed there, with
# PRE73 pointing at where the pre-7.3 group lands.
#   PRE73=<dir of the pre-7.3 patches> check-second-base.sh
set -euo pipefail
TOP=${TOP:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
. "$TOP/scripts/lib.sh"
PRE73=${PRE73:-$TOP/staging/iommu/pre-7.3}
IOMMU=${IOMMU:-}

base=$("$TOP/scripts/fetch-second-base.sh")
src=$BUILD/second-base/linux
out=$BUILD/second-base/out-arm64
log=$BUILD/second-base/build.log
rm -rf "$src"
mkdir -p "$(dirname "$src")" "$out"
git clone -q --shared "$base" "$src"

# The pre-7.3 group goes right before the first patch that touches the
# IOMMU driver: the rocket patches first, then the group, then the rest.
mapfile -t all < <(series_patches)
[ -n "$IOMMU" ] && all+=("$IOMMU"/0*.patch)
rocket=() rest=()
for p in "${all[@]}"; do
	if [ ${#rest[@]} -eq 0 ] && ! grep -q '^+++ b/drivers/iommu/\|^+++ b/Documentation/devicetree/bindings/iommu/' "$p"; then
		rocket+=("$p")
	else
		rest+=("$p")
	fi
done
(
	cd "$src"
	git am -q --keep-cr "${rocket[@]}"
	git am -q "$PRE73"/*.patch
	git am -q --keep-cr "${rest[@]}"
) || die "the series does not apply to $(git -C "$base" log -1 --format=%s)"
note "second base: ${#rocket[@]} + $(ls "$PRE73"/*.patch | wc -l) (pre-7.3) + ${#rest[@]} patches apply"

cat "$TOP"/config/*.config >"$out/fragment.config"
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
kmake() {
	make -C "$src" O="$out" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$(nproc)" "$@"
}
kmake -s KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig
for sym in CONFIG_DRM_ACCEL_ROCKET=m CONFIG_ROCKCHIP_IOMMU=y CONFIG_ROCKCHIP_IOMMU_KUNIT_TEST=y; do
	grep -qx "$sym" "$out/.config" || die "$sym did not stick on the second base"
done
MAKEFLAGS= kmake W=1 drivers/iommu/rockchip-iommu.o drivers/accel/rocket/ >"$log" 2>&1 ||
	{ cat "$log"; die "W=1 build on the second base failed"; }
if grep -E 'warning:|error:' "$log"; then
	die "W=1 messages on the second base (above)"
fi
n=$(grep -cE '^  CC( \[M\])? +drivers/(iommu/rockchip-iommu|accel/rocket/)' "$log" || true)
[ "$n" -gt 0 ] || die "nothing was compiled (see $log)"
echo "PASS second base: rocket and rockchip-iommu compile with W=1 ($n objects)"
