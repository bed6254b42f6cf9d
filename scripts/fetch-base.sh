#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned linux-source package and turn it into a git repository
# with one base commit, tagged `base`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -f "$BASE_DIR/.ok" ]; then
	note "base: $BASE_PKG $BASE_VERSION at $(base_commit) (cached)"
	exit 0
fi

deb=$("$TOP/scripts/fetch-deb.sh" "$BASE_PKG" "$BASE_VERSION" "$BASE_SUITE" all "$BASE_SHA256")

note "base: unpacking"
rm -rf "$BASE_DIR"
mkdir -p "$BASE_DIR/deb"
dpkg-deb -x "$deb" "$BASE_DIR/deb"
tarball=$(ls "$BASE_DIR"/deb/usr/src/"$BASE_PKG".tar.*)
mkdir -p "$BASE_GIT"
tar -xf "$tarball" -C "$BASE_GIT" --strip-components=1
rm -rf "$BASE_DIR/deb"

note "base: committing"
cd "$BASE_GIT"
git init -q -b pinned
git config core.autocrlf false
git config gc.auto 0
git add -A -f
GIT_AUTHOR_NAME=${BASE_AUTHOR% <*} GIT_AUTHOR_EMAIL=base@invalid \
GIT_COMMITTER_NAME=${BASE_AUTHOR% <*} GIT_COMMITTER_EMAIL=base@invalid \
GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
	git commit -q --no-verify -m "Linux $(make -s kernelversion 2>/dev/null) ($BASE_PKG $BASE_VERSION)"
git tag base
touch "$BASE_DIR/.ok"
note "base: $BASE_PKG $BASE_VERSION at $(base_commit)"
