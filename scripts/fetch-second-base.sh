#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the second kernel base of config/second-base.env (Linux 7.2 from
# Debian unstable) and turn it into a git repository with one commit,
# tagged `base`, the way fetch-base.sh does with the pinned base: same
# private apt state (fetch-deb.sh), same fixed identity and date.
#
# Unlike the pinned base it is not pinned: fetch-deb.sh --newest resolves
# the newest version the suite serves once and reuses it from the cache.
# The version used is printed on stderr; the tree's path on stdout.
#
#   fetch-second-base.sh          print the path of the git tree
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=../config/second-base.env
. "$TOP/config/second-base.env"

pkg=$SECOND_BASE_PKG
deb=$("$TOP/scripts/fetch-deb.sh" --newest "$pkg" "$SECOND_BASE_MIN_VERSION" \
	"$SECOND_BASE_SUITE" all)
version=$(dpkg-deb -f "$deb" Version)
dir=$CACHE/base/$pkg-$version
git_dir=$dir/linux

if [ ! -f "$dir/.ok" ]; then
	note "second base: unpacking $pkg $version" >&2
	unpack_base "$deb" "$pkg" "$version" "$dir"
fi
note "second base: $pkg $version ($SECOND_BASE_SUITE) at" \
	"$(git -C "$git_dir" rev-parse HEAD)" >&2
echo "$git_dir"
