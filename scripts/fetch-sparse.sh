#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Put the pinned sparse and the C library it was built for into the cache,
# with a wrapper that runs it through that library's loader, so the host's
# own libc is never touched. Prints the wrapper's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(dpkg --print-architecture)" = amd64 ] || die "the pinned sparse is for amd64 hosts"

dir=$CACHE/tools/sparse-$SPARSE_VERSION-libc-$SPARSE_LIBC_VERSION
if [ ! -x "$dir/sparse" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$("$TOP/scripts/fetch-deb.sh" sparse "$SPARSE_VERSION" \
		"$SPARSE_SUITE" amd64 "$SPARSE_SHA256")" "$dir/root"
	dpkg-deb -x "$("$TOP/scripts/fetch-deb.sh" libc6 "$SPARSE_LIBC_VERSION" \
		"$SPARSE_LIBC_SUITE" amd64 "$SPARSE_LIBC_SHA256")" "$dir/root"
	cat >"$dir/sparse" <<WRAPPER
#!/bin/sh
exec "$dir/root/usr/lib64/ld-linux-x86-64.so.2" \\
	--library-path "$dir/root/usr/lib/x86_64-linux-gnu" "$dir/root/usr/bin/sparse" "\$@"
WRAPPER
	chmod 755 "$dir/sparse"
	"$dir/sparse" --version >&2 || die "the pinned sparse does not run"
fi
echo "$dir/sparse"
