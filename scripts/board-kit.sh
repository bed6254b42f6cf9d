#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make board-kit: one tarball for an arm64 board with the rocket series'
# kernel, build/board-kit/rocket-board-kit-<git describe>.tar.gz, holding
#   rocket-bringup   static arm64: the careful climb and its report
#   run-kit.sh       rocket-bringup, then the kselftests if it passed
#   kselftest/       the rocket kselftests (static) and run_kselftest.sh
#   src/             the sources rocket-bringup was built from, as built
#   README.md        board-kit/README.md
#   SHA256SUMS
# rocket-bringup is built from src/ exactly as shipped, so that a board
# owner can rebuild it natively with `make -C src`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$BUILD/kselftest/rocket" ] || die "no installed kselftests: run 'make selftests' first"
[ -f "$KOUT/usr/include/drm/drm.h" ] || die "no installed headers: run 'make build' first"

desc=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)
name=rocket-board-kit-$desc
out=$BUILD/board-kit
kit=$out/$name
src=$kit/src
rm -rf "$out"
mkdir -p "$src/kernel/rocket" "$src/kernel/uapi/drm" "$src/kernel/sysinc/drm" \
	"$src/kshim/linux"

# The program and its build.
cp "$TOP"/board-kit/{Makefile,rocket-bringup.c,kit_encoder.c,kit_encoder.h} "$src/"
echo "$desc" >"$src/VERSION"
# The kernel's planner and encoder, as this repository has them (the series).
cp "$TOP"/drivers/accel/rocket/{rocket_matmul.c,rocket_matmul.h,rocket_registers.h} \
	"$src/kernel/rocket/"
cp "$TOP/include/uapi/drm/rocket_accel.h" "$src/kernel/uapi/drm/"
# <drm/drm.h> and what it includes, from the series' installed uAPI headers.
for h in $(echo '#include <drm/drm.h>' |
	   "${CROSS_COMPILE}gcc" -M -I"$KOUT/usr/include" -x c - | tr ' \\' '\n\n' |
	   sed -n "s|^$KOUT/usr/include/||p" | sort -u); do
	install -D -m 644 "$KOUT/usr/include/$h" "$src/kernel/sysinc/$h"
done
cp "$TOP/tools/testing/selftests/rocket/rocket_matmul_layout.h" "$src/kernel/"
# The host stand-ins of <linux/...> that tests/matmul builds it with.
cp "$TOP"/tests/model/kshim/linux/*.h "$TOP"/tests/matmul/kshim/linux/*.h "$src/kshim/linux/"
cp "$TOP/tests/matmul/kshim/drm.h" "$src/kshim/"

log=$out/build.log
make -C "$src" CC="${CROSS_COMPILE}gcc" WERROR=-Werror LDFLAGS=-static >"$log" 2>&1 ||
	{ cat "$log"; die "rocket-bringup does not build"; }
if grep -E 'warning:' "$log"; then
	die "compiler warnings building rocket-bringup (above)"
fi
mv "$src/rocket-bringup" "$kit/"
make -s -C "$src" clean

# Static arm64 executables, so that they run on any arm64 userspace.
static_arm64() {
	local f=$1
	readelf -h "$f" 2>/dev/null | grep -q 'Machine:.*AArch64' || die "$f is not an arm64 ELF"
	! readelf -l "$f" | grep -q INTERP || die "$f is not static"
}
static_arm64 "$kit/rocket-bringup"

cp -a "$BUILD/kselftest" "$kit/kselftest"
for t in $(sed -n 's/^rocket://p' "$kit/kselftest/kselftest-list.txt"); do
	static_arm64 "$kit/kselftest/rocket/$t"
done
install -m 755 "$TOP/board-kit/run-kit.sh" "$kit/run-kit.sh"
cp "$TOP/board-kit/README.md" "$kit/README.md"
(cd "$kit" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)

# Reproducible: fixed owner, order and times.
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner \
	--mtime="@$(git -C "$TOP" log -1 --format=%ct 2>/dev/null || echo 0)" \
	-czf "$out/$name.tar.gz" "$name"
echo "board-kit: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"
echo "PASS board-kit: rocket-bringup and $(grep -c '^rocket:' "$kit/kselftest/kselftest-list.txt") kselftests, static arm64"
