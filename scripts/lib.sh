# SPDX-License-Identifier: GPL-2.0
# Shared settings for the helper scripts: where the pinned base, the caches and
# the build area live. Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../config/base.env
. "$TOP/config/base.env"

# Caches survive between checkouts; key everything by what it depends on.
CACHE=${ROCKET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rocket-carry}
# The base tree in use: the pinned version, or, once fetch-base.sh found it
# gone from the mirror and fell back, the version it fell back to.
BASE_RUN_VERSION=$BASE_VERSION
BASE_FALLBACK_RECORD=$CACHE/base/$BASE_PKG-$BASE_VERSION.fallback
if [ ! -f "$CACHE/base/$BASE_PKG-$BASE_VERSION/.ok" ] && [ -f "$BASE_FALLBACK_RECORD" ]; then
	BASE_RUN_VERSION=$(cat "$BASE_FALLBACK_RECORD")
fi
BASE_DIR=$CACHE/base/$BASE_PKG-$BASE_RUN_VERSION
BASE_GIT=$BASE_DIR/linux
# Per-checkout build area: the kernel tree with the series, O= build output.
BUILD=${ROCKET_BUILD:-$TOP/build}
KSRC=$BUILD/linux
KOUT=$BUILD/out-arm64

ARCH=arm64
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
export ARCH CROSS_COMPILE

# Fixed identity and dates make the base commit, and so the series'
# base-commit trailer, the same on every machine.
BASE_AUTHOR="Rocket carry base <base@invalid>"
BASE_DATE="2026-01-01T00:00:00Z"

# The commits the scripts make in the build trees (git am, commit-tree,
# format-patch) carry the series' own committer: a new machine or a CI
# container has no git identity, and the series' tree must not depend on
# the user's. Patch authors come from the patches themselves.
export GIT_COMMITTER_NAME="Rocket carry team"
export GIT_COMMITTER_EMAIL="rocket-carry@lists.invalid"

# How the test VM runs QEMU (vm-run.sh), and how setup-host.sh proves that
# this QEMU can start that machine. The VM has no network: -nic none, so no
# NIC option ROM (ipxe-qemu) is needed.
VM_QEMU=qemu-system-aarch64
VM_QEMU_ARGS=(-M virt -cpu cortex-a76 -smp 2 -m 6G -nic none -no-reboot)

die() { echo "error: $*" >&2; exit 1; }
note() { echo ">>> $*"; }

base_commit() { git -C "$BASE_GIT" rev-parse HEAD; }

# unpack_base DEB PKG VERSION DIR: the kernel source of a linux-source
# package as a git repository DIR/linux with one commit, tagged `base`,
# with the fixed identity and date; DIR/.ok marks it complete.
unpack_base() {
	local deb=$1 pkg=$2 version=$3 dir=$4 tarball
	command -v xz >/dev/null || die "xz is missing (Debian package xz-utils; make setup)"
	rm -rf "$dir"
	mkdir -p "$dir/deb" "$dir/linux"
	dpkg-deb -x "$deb" "$dir/deb"
	tarball=$(ls "$dir"/deb/usr/src/"$pkg".tar.*)
	tar -xf "$tarball" -C "$dir/linux" --strip-components=1
	rm -rf "$dir/deb"
	(
		cd "$dir/linux"
		git init -q -b pinned
		git config core.autocrlf false
		git config gc.auto 0
		git add -A -f
		GIT_AUTHOR_NAME=${BASE_AUTHOR% <*} GIT_AUTHOR_EMAIL=base@invalid \
		GIT_COMMITTER_NAME=${BASE_AUTHOR% <*} GIT_COMMITTER_EMAIL=base@invalid \
		GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
			git commit -q --no-verify \
			-m "Linux $(make -s kernelversion 2>/dev/null) ($pkg $version)"
		git tag base
	)
	touch "$dir/.ok"
}

# The series' patch files in order, without the cover letter.
series_patches() {
	find "$TOP/patches" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort
}

# A short hash of patches/ as it stands, to tell whether a tree still matches.
patches_id() {
	find "$TOP/patches" -name '*.patch' | sort | xargs -r cat | sha256sum | cut -c1-16
}

# The repository's copies of kernel-tree files, relative to $TOP.
MIRROR_DIRS=(drivers include Documentation tools arch)
repo_mirror_files() {
	local d
	for d in "${MIRROR_DIRS[@]}"; do
		if [ -d "$TOP/$d" ]; then (cd "$TOP" && find "$d" -type f); fi
	done | sort
}

# log_self_test SCRIPT DIR GOOD LABEL: run SCRIPT on each DIR/*.log; every
# log must make it fail but DIR/GOOD.log, which must pass. Prints
# "PASS|FAIL LABEL: <name>" per log; returns 1 if any disagrees.
log_self_test() {
	local script=$1 dir=$2 good=$3 label=$4 f name want rc fail=0
	for f in "$dir"/*.log; do
		name=$(basename "$f" .log)
		want=1
		[ "$name" = "$good" ] && want=0
		if "$script" "$f" >/dev/null; then rc=0; else rc=1; fi
		if [ $rc -eq $want ]; then
			echo "PASS $label: $name"
		else
			echo "FAIL $label: $name (exit $rc)"
			fail=1
		fi
	done
	return $fail
}
