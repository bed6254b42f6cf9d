#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Download one pinned Debian package into the cache and verify its sha256,
# with a private apt state: the system's apt sources are read (for the
# mirror) but never changed. Prints the path of the .deb.
#   fetch-deb.sh PACKAGE VERSION SUITE ARCH SHA256
set -euo pipefail
. "$(dirname "$0")/lib.sh"
pkg=$1 version=$2 suite=$3 arch=$4 sha256=$5

deb=$CACHE/debs/${pkg}_${version//:/%3a}_$arch.deb
if [ ! -f "$deb" ]; then
	# The Debian mirror this machine already uses, unless told otherwise.
	mirror=${DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 ~ /^[a-z]+(-updates)?\/main$/ && $2 !~ /security/ { print $2; exit }')}
	[ -n "$mirror" ] || die "no Debian mirror in the apt configuration; set DEBIAN_MIRROR"
	apt_dir=$CACHE/apt/$suite-$arch
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/sources.list.d" "$CACHE/debs"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
		>"$apt_dir/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
		-o "Dir::State::Lists=$apt_dir/lists"
		-o "Dir::Cache=$apt_dir/cache"
		-o Dir::State::status=/dev/null
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	# Architecture-independent packages come with the host's own lists.
	[ "$arch" = all ] || apt_opts+=(-o "APT::Architectures::=$arch" -o "APT::Architecture=$arch")
	spec=$pkg=$version
	[ "$arch" = all ] || spec=$pkg:$arch=$version
	note "fetch: $pkg=$version ($arch) from $suite" >&2
	apt-get -qq "${apt_opts[@]}" update >&2
	(cd "$CACHE/debs" && apt-get -qq "${apt_opts[@]}" download "$spec" >&2)
	[ -f "$deb" ] || die "apt-get download did not produce $deb"
fi
echo "$sha256  $deb" | sha256sum -c --quiet - >&2 ||
	{ rm -f "$deb"; die "sha256 mismatch for $deb (removed; run again)"; }
echo "$deb"
