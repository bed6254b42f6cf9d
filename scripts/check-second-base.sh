#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series on the second base (config/second-base.env: Linux 7.2 from
# Debian unstable, fetched by scripts/fetch-second-base.sh), as a user whose
# kernel is older than 7.3 takes it: the patches of patches/ with the
# pre-7.3 group (pre-7.3/series) each right before the series patch it
# names, applied with git am; then rocket and rockchip-iommu compiled for
# arm64 with W=1 (allnoconfig + config/*.config; objects only, no link and
# no boot). A patch that does not apply, or any W=1 message, fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pre=$TOP/pre-7.3
base=$("$TOP/scripts/fetch-second-base.sh")
src=$BUILD/second-base/linux
out=$BUILD/second-base/out-arm64
log=$BUILD/second-base/build.log
rm -rf "$src"
mkdir -p "$(dirname "$src")" "$out"
git clone -q --shared "$base" "$src"

# subject FILE: the patch's subject, unfolded, without its [PATCH n/m].
subject() {
	awk '/^Subject:/ { s = $0; while ((getline l) > 0 && l ~ /^[ \t]/) s = s l; print s; exit }' "$1" |
		sed -E 's/^Subject: *(\[[^]]*\] *)?//; s/[ \t]+/ /g'
}

declare -A before=()
while IFS=$'\t' read -r file target; do
	case $file in ''|'#'*) continue ;; esac
	[ -f "$pre/$file" ] || die "pre-7.3/series names $file, which is not there"
	before[$target]=$pre/$file
done <"$pre/series"

applied=0 extra=0
mapfile -t patches < <(series_patches)
for p in "${patches[@]}"; do
	s=$(subject "$p")
	if [ -n "${before[$s]:-}" ]; then
		git -C "$src" am -q "${before[$s]}" ||
			die "pre-7.3: ${before[$s]##*/} does not apply to $(git -C "$base" log -1 --format=%s)"
		before[$s]=
		extra=$((extra + 1))
	fi
	git -C "$src" am -q --keep-cr "$p" ||
		die "${p##*/} does not apply to $(git -C "$base" log -1 --format=%s) (with the pre-7.3 group)"
	applied=$((applied + 1))
done
for s in "${!before[@]}"; do
	[ -z "${before[$s]}" ] || die "pre-7.3/series names a series patch not in patches/: $s"
done
note "second base: $applied patches and $extra of the pre-7.3 group apply to $(git -C "$base" log -1 --format=%s)"

cat "$TOP"/config/*.config >"$out/fragment.config"
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
kmake() {
	make -C "$src" O="$out" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$(nproc)" "$@"
}
kmake -s KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig
for sym in CONFIG_DRM_ACCEL_ROCKET=m CONFIG_DRM_ACCEL_ROCKET_SIM=y CONFIG_ROCKCHIP_IOMMU=y \
	   CONFIG_ROCKCHIP_IOMMU_KUNIT_TEST=y; do
	grep -qx "$sym" "$out/.config" || die "$sym did not stick on the second base"
done
MAKEFLAGS= kmake W=1 drivers/iommu/rockchip-iommu.o drivers/accel/rocket/ >"$log" 2>&1 ||
	{ tail -n 60 "$log"; die "W=1 build on the second base failed (log: $log)"; }
if grep -E 'warning:|error:' "$log"; then
	die "W=1 messages on the second base (above)"
fi
n=$(grep -cE '^  CC( \[M\])? +drivers/(iommu/rockchip-iommu|accel/rocket/)' "$log" || true)
[ "$n" -gt 0 ] || die "nothing was compiled (see $log)"
echo "PASS second base: rocket and rockchip-iommu compile with W=1 ($n objects)"
