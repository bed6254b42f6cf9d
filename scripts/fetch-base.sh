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
	note "base: unpacking $BASE_PKG $BASE_RUN_VERSION and committing it"
	unpack_base "$deb" "$BASE_PKG" "$BASE_RUN_VERSION" "$BASE_DIR"
fi
fallback_note
note "base: $BASE_PKG $BASE_RUN_VERSION at $(base_commit)"
