#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Download one Debian package into the cache, with a private apt state: the
# system's apt sources are read (for the mirror) but never changed. apt
# checks the suite's Release signature and the package's hash against it.
# Prints the path of the .deb.
#
#   fetch-deb.sh PACKAGE VERSION SUITE ARCH SHA256
#       exactly this version, whose sha256 must also match (the kernel
#       base). Exits 3, saying so, when the mirror no longer serves it.
#   fetch-deb.sh --newest PACKAGE MIN_VERSION SUITE ARCH
#       the newest version SUITE serves now, which must be at least
#       MIN_VERSION (tools: a pinned point release leaves the mirror within
#       days). Resolved once and then reused from the cache; the version
#       used is printed on stderr every time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

newest=0
if [ "${1:-}" = --newest ]; then
	newest=1
	shift
fi
pkg=$1 version=$2 suite=$3 arch=$4 sha256=${5:-}
[ $newest = 1 ] || [ -n "$sha256" ] || die "fetch-deb.sh: no sha256 for $pkg=$version"

apt_opts=()
# Set up the private apt state for $suite/$arch and read the suite's lists.
apt_prepare() {
	local mirror apt_dir
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
	apt-get -qq "${apt_opts[@]}" update >&2 ||
		die "apt-get update of $suite ($arch) from $mirror failed"
	MIRROR=$mirror
}

# Where apt-get download puts $pkg=$1.
deb_path() { echo "$CACHE/debs/${pkg}_${1//:/%3a}_$arch.deb"; }

# Download $pkg=$1 into the cache; prints the .deb's path.
download() {
	local v=$1 spec deb
	deb=$(deb_path "$v")
	spec=$pkg=$v
	[ "$arch" = all ] || spec=$pkg:$arch=$v
	(cd "$CACHE/debs" && apt-get -qq "${apt_opts[@]}" download "$spec" >&2) ||
		die "apt-get download $spec from $suite failed"
	[ -f "$deb" ] || die "apt-get download did not produce $deb"
	echo "$deb"
}

if [ $newest = 1 ]; then
	record=$CACHE/debs/resolved/${pkg}_${suite}_$arch
	if [ -f "$record" ]; then
		read -r v deb <"$record"
		if [ -f "$deb" ] && dpkg --compare-versions "$v" ge "$version"; then
			echo "fetch: $pkg $v ($suite, $arch; resolved earlier, cached)" >&2
			echo "$deb"
			exit 0
		fi
	fi
	apt_prepare
	v=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1)
	[ -n "$v" ] || die "$MIRROR $suite does not serve $pkg ($arch)"
	dpkg --compare-versions "$v" ge "$version" ||
		die "$MIRROR $suite serves $pkg $v, older than the $version the series needs"
	deb=$(download "$v")
	mkdir -p "${record%/*}"
	echo "$v $deb" >"$record"
	echo "fetch: $pkg $v ($suite, $arch; the newest the mirror serves, at least $version)" >&2
	echo "$deb"
	exit 0
fi

deb=$(deb_path "$version")
if [ ! -f "$deb" ]; then
	apt_prepare
	note "fetch: $pkg=$version ($arch) from $suite" >&2
	if ! apt-cache "${apt_opts[@]}" madison "$pkg" 2>/dev/null |
			awk -F'|' -v v="$version" '{ gsub(/ /, "", $2) } $2 == v { f = 1 } END { exit !f }'; then
		echo "fetch: $MIRROR $suite no longer serves $pkg $version" >&2
		exit 3
	fi
	download "$version" >/dev/null
fi
echo "$sha256  $deb" | sha256sum -c --quiet - >&2 ||
	{ rm -f "$deb"; die "sha256 mismatch for $deb (removed; run again)"; }
echo "$deb"
