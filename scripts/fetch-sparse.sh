#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Put a sparse new enough for the base (the newest SPARSE_SUITE serves, at
# least SPARSE_MIN_VERSION) and the C library of the same suite into the
# cache, with a wrapper that runs it through that library's loader, so the
# host's own libc is never touched. Prints the wrapper's path; the versions
# used go to stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(dpkg --print-architecture)" = amd64 ] || die "the cached sparse is for amd64 hosts"

sparse_deb=$("$TOP/scripts/fetch-deb.sh" --newest sparse "$SPARSE_MIN_VERSION" "$SPARSE_SUITE" amd64)
libc_deb=$("$TOP/scripts/fetch-deb.sh" --newest libc6 0 "$SPARSE_SUITE" amd64)
sv=$(dpkg-deb -f "$sparse_deb" Version)
lv=$(dpkg-deb -f "$libc_deb" Version)

# sparse must be satisfied by that libc6: check its Depends on libc6.
need=$(dpkg-deb -f "$sparse_deb" Depends | tr ',' '\n' |
	sed -nE 's/^ *libc6 \(>= ([^)]+)\).*/\1/p')
[ -z "$need" ] || dpkg --compare-versions "$lv" ge "$need" ||
	die "sparse $sv needs libc6 >= $need, $SPARSE_SUITE serves $lv"

dir=$CACHE/tools/sparse-$sv-libc-$lv
if [ ! -x "$dir/sparse" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$sparse_deb" "$dir/root"
	dpkg-deb -x "$libc_deb" "$dir/root"
	# The loader's place differs between releases (/usr/lib64, /lib64, the
	# multiarch directory); take the real file, not a symlink that would
	# point into the host.
	ld=$(find "$dir/root" -name 'ld-linux-x86-64.so.2' -type f | head -n 1)
	[ -n "$ld" ] || die "no ld-linux-x86-64.so.2 in libc6 $lv"
	libs=$(dirname "$ld")
	for l in "$dir/root/usr/lib/x86_64-linux-gnu" "$dir/root/lib/x86_64-linux-gnu"; do
		[ -d "$l" ] && [ "$l" != "$libs" ] && libs=$libs:$l
	done
	cat >"$dir/sparse" <<WRAPPER
#!/bin/sh
exec "$ld" --library-path "$libs" "$dir/root/usr/bin/sparse" "\$@"
WRAPPER
	chmod 755 "$dir/sparse"
	"$dir/sparse" --version >&2 || { rm -rf "$dir"; die "sparse $sv does not run with libc6 $lv"; }
fi
echo "tool: sparse $sv with libc6 $lv from $SPARSE_SUITE ($("$dir/sparse" --version))" >&2
echo "$dir/sparse"
