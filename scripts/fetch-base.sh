#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned linux-source package, verify it, and turn it into a git
# repository with one base commit. Uses a private apt state: the system's apt
# sources are read (for the mirror) but never changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -f "$BASE_DIR/.ok" ]; then
	note "base: $BASE_PKG $BASE_VERSION at $(base_commit) (cached)"
	exit 0
fi

apt_dir=$CACHE/apt
deb=$CACHE/debs/${BASE_PKG}_${BASE_VERSION//:/%3a}_all.deb
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
	"$apt_dir/sources.list.d" "$CACHE/debs"

if [ ! -f "$deb" ]; then
	# The Debian mirror this machine already uses, unless told otherwise.
	mirror=${DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 ~ /^[a-z]+(-updates)?\/main$/ && $2 !~ /security/ { print $2; exit }')}
	[ -n "$mirror" ] || die "no Debian mirror in the apt configuration; set DEBIAN_MIRROR"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $BASE_SUITE main" \
		>"$apt_dir/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
		-o "Dir::State::Lists=$apt_dir/lists"
		-o "Dir::Cache=$apt_dir/cache"
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root -o APT::Get::List-Cleanup=0)
	note "base: fetching $BASE_PKG=$BASE_VERSION from $BASE_SUITE"
	apt-get -qq "${apt_opts[@]}" update
	(cd "$CACHE/debs" && apt-get -qq "${apt_opts[@]}" download "$BASE_PKG=$BASE_VERSION")
	[ -f "$deb" ] || die "apt-get download did not produce $deb"
fi

echo "$BASE_SHA256  $deb" | sha256sum -c --quiet - ||
	{ rm -f "$deb"; die "sha256 mismatch for $deb (removed; run again)"; }

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
