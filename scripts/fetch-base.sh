#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned linux-source package and turn it into a git repository
# with one base commit, tagged `base`. When the mirror no longer serves the
# pinned version, say so and fall back to the newest one of the same
# package and suite: the run then checks the series on that tree instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fallback_note() {
	[ "$BASE_RUN_VERSION" = "$BASE_VERSION" ] && return
	note "base: WARNING: not the pinned base $BASE_PKG $BASE_VERSION (the mirror no" \
		"longer serves it) but the newest it serves, $BASE_RUN_VERSION; README" \
		"('The pinned base') tells how to fetch the pinned one"
}

if [ -f "$BASE_DIR/.ok" ]; then
	fallback_note
	note "base: $BASE_PKG $BASE_RUN_VERSION at $(base_commit) (cached)"
	exit 0
fi

rc=0
deb=$("$TOP/scripts/fetch-deb.sh" "$BASE_PKG" "$BASE_VERSION" "$BASE_SUITE" all "$BASE_SHA256") || rc=$?
if [ $rc -eq 3 ]; then
	deb=$("$TOP/scripts/fetch-deb.sh" --newest "$BASE_PKG" 0 "$BASE_SUITE" all)
	BASE_RUN_VERSION=$(dpkg-deb -f "$deb" Version)
	BASE_DIR=$CACHE/base/$BASE_PKG-$BASE_RUN_VERSION
	BASE_GIT=$BASE_DIR/linux
	mkdir -p "${BASE_FALLBACK_RECORD%/*}"
	echo "$BASE_RUN_VERSION" >"$BASE_FALLBACK_RECORD"
	fallback_note
elif [ $rc -ne 0 ]; then
	exit $rc
fi

if [ ! -f "$BASE_DIR/.ok" ]; then
	note "base: unpacking $BASE_PKG $BASE_RUN_VERSION"
	command -v xz >/dev/null || die "xz is missing (Debian package xz-utils; make setup)"
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
		git commit -q --no-verify -m "Linux $(make -s kernelversion 2>/dev/null) ($BASE_PKG $BASE_RUN_VERSION)"
	git tag base
	touch "$BASE_DIR/.ok"
fi
fallback_note
note "base: $BASE_PKG $BASE_RUN_VERSION at $(base_commit)"
