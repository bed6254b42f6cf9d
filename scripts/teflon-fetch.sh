#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The Teflon stage's arm64 userspace: config/teflon.env's packages (Mesa's
# Teflon delegate, TensorFlow Lite and its C API headers) and, followed
# through their Depends and Pre-Depends, every package they need, down to
# the C library and its loader. Each is fetched with fetch-deb.sh --newest
# (the private apt state, verified against the suite's signature), so each
# resolves to the newest version the suite serves, at least what its
# dependents ask for, once, and is reused from the cache after. Every
# version-constrained dependency is then checked against what was fetched.
#
# Unpacks them into a sysroot in the cache, keyed by the set of versions,
# and prints its path. The versions used go to stderr ("fetch: ..." and a
# summary line).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=../config/teflon.env
. "$TOP/config/teflon.env"

suite=$TEFLON_SUITE arch=$TEFLON_ARCH
declare -A deb_of=() ver_of=() skipped=()
constraints=()
queue=()
for spec in $TEFLON_PACKAGES; do
	queue+=("${spec%%:*} ${spec#*:} config/teflon.env")
done
for p in $TEFLON_SKIP; do skipped[$p]="not needed (TEFLON_SKIP)"; done

err=$(mktemp)
trap 'rm -f "$err"' EXIT

while [ ${#queue[@]} -gt 0 ]; do
	read -r pkg min from <<<"${queue[0]}"
	queue=("${queue[@]:1}")
	[ -z "${deb_of[$pkg]:-}" ] && [ -z "${skipped[$pkg]:-}" ] || continue

	# Architecture-independent packages hold no arm64 code (libdrm-common:
	# a data file). apt-get download leaves a package's _all.deb where
	# fetch-deb.sh looks for the _arm64 one, so fetch-deb.sh fails on them:
	# that failure, with the _all.deb in the cache, is how one is told.
	if ! compgen -G "$CACHE/debs/${pkg}_*_all.deb" >/dev/null &&
	   deb=$("$TOP/scripts/fetch-deb.sh" --newest "$pkg" "$min" "$suite" "$arch" 2>"$err"); then
		cat "$err" >&2
		deb_of[$pkg]=$deb
		ver_of[$pkg]=$(dpkg-deb -f "$deb" Version)
	elif compgen -G "$CACHE/debs/${pkg}_*_all.deb" >/dev/null; then
		skipped[$pkg]="architecture all, no $arch code"
		continue
	else
		cat "$err" >&2
		die "teflon: cannot fetch $pkg (needed by $from) from $suite"
	fi

	deps=$( { dpkg-deb -f "${deb_of[$pkg]}" Pre-Depends; dpkg-deb -f "${deb_of[$pkg]}" Depends; } |
		tr ',' '\n')
	while read -r alt; do
		[ -n "$alt" ] || continue
		# "a (>= 1) | b": the first alternative (none here has another).
		alt=${alt%%|*}
		name=$(sed -E 's/^ *([^ (:]+).*/\1/' <<<"$alt")
		op='' ver=0
		if [[ $alt =~ \(([<>=]+)\ *([^\)]+)\) ]]; then
			op=${BASH_REMATCH[1]} ver=${BASH_REMATCH[2]// /}
			constraints+=("$name $op $ver $pkg")
		fi
		case $op in '>='|'>>'|'=') ;; *) ver=0 ;; esac
		queue+=("$name $ver $pkg")
	done <<<"$deps"
done

# What the dependents asked for, against what the suite served.
for c in "${constraints[@]}"; do
	read -r name op ver by <<<"$c"
	[ -n "${ver_of[$name]:-}" ] || continue
	dpkg --compare-versions "${ver_of[$name]}" "$op" "$ver" ||
		die "teflon: $by needs $name ($op $ver), $suite served ${ver_of[$name]}"
done
for p in "${!skipped[@]}"; do
	echo "fetch: $p skipped: ${skipped[$p]}" >&2
done

# The sysroot, keyed by the packages and versions in it.
manifest=$(for p in "${!ver_of[@]}"; do echo "$p ${ver_of[$p]}"; done | LC_ALL=C sort)
root=$CACHE/teflon/sysroot-$suite-$arch-$(sha256sum <<<"$manifest" | cut -c1-12)
if [ ! -f "$root/.ok" ]; then
	rm -rf "$root"
	mkdir -p "$root"
	for p in "${!deb_of[@]}"; do
		dpkg-deb -x "${deb_of[$p]}" "$root"
	done
	echo "$manifest" >"$root/packages.txt"
	touch "$root/.ok"
fi
echo "teflon: ${#ver_of[@]} packages from $suite ($arch): mesa-teflon-delegate" \
	"${ver_of[mesa-teflon-delegate]}, TensorFlow Lite $(ls "$root"/usr/lib/*/libtensorflow-lite.so.* |
	sed 's/.*\.so\.//'), libc6 ${ver_of[libc6]:-?}" >&2
echo "$root"
