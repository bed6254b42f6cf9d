#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Cross-build the rocket kselftests, statically linked so they run from a
# bare initramfs as well as on a board, and install them with
# run_kselftest.sh into $BUILD/kselftest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KOUT/usr/include/drm" ] || die "no installed headers: run 'make build' first"
rm -rf "$BUILD/kselftest"
rm -rf "$KOUT/kselftest/rocket"
log=$BUILD/selftests-build.log
make -C "$KSRC/tools/testing/selftests" O="$KOUT" TARGETS=rocket \
	LDFLAGS=-static INSTALL_PATH="$BUILD/kselftest" install >"$log" 2>&1 ||
	{ cat "$log"; die "the rocket kselftests do not build"; }
if grep -E 'warning:|error:' "$log"; then
	die "compiler messages building the rocket kselftests (above)"
fi
grep -q '^rocket:' "$BUILD/kselftest/kselftest-list.txt" ||
	die "no rocket tests in $BUILD/kselftest/kselftest-list.txt"
for t in $(sed -n 's/^rocket://p' "$BUILD/kselftest/kselftest-list.txt"); do
	[ -x "$BUILD/kselftest/rocket/$t" ] || die "rocket/$t was not built"
done
echo "PASS kselftest build: $(grep -c '^rocket:' "$BUILD/kselftest/kselftest-list.txt") rocket tests"
