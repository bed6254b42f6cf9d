#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-doc -none -Wall on every C file and header the series
# touches, and always on the uAPI header: any message fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree: run 'make kernel' first"
cd "$KSRC"

mapfile -t files < <({
	git diff --name-only --diff-filter=d base HEAD -- '*.c' '*.h'
	echo include/uapi/drm/rocket_accel.h
} | sort -u)
out=$(scripts/kernel-doc -none -Wall "${files[@]}" 2>&1) || true
if [ -n "$out" ]; then
	echo "$out"
	die "kernel-doc: messages in ${#files[@]} files"
fi
echo "kernel-doc: ${#files[@]} files clean"
