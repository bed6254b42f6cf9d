#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Materialize the pinned base plus patches/ as commits on branch `series` of a
# kernel git tree in the build area (git am, one commit per patch).
#
# The tree is where the series is edited. It is rebuilt from patches/ only when
# that is safe: when its HEAD is still what the last `make kernel` or
# `make export` left, so unexported commits are never thrown away.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/fetch-base.sh"

stamp=$KSRC/.git/rocket-series
patches_id=$(patches_id)

# A tree made from another pinned base is rebuilt, unless it holds work.
if [ -d "$KSRC/.git" ] && [ "$(git -C "$KSRC" rev-parse -q --verify base 2>/dev/null)" != "$(base_commit)" ]; then
	read -r last_head _ <"$stamp" 2>/dev/null || last_head=none
	[ "$(git -C "$KSRC" rev-parse HEAD)" = "$last_head" ] ||
		die "$KSRC is on another base and has unexported work: export it, then remove $KSRC"
	note "kernel: the pinned base changed; rebuilding $KSRC"
	rm -rf "$KSRC"
fi

if [ -d "$KSRC/.git" ]; then
	head=$(git -C "$KSRC" rev-parse HEAD)
	read -r last_head last_patches <"$stamp" 2>/dev/null || last_head=none
	if [ "$head" != "$last_head" ] || [ -n "$(git -C "$KSRC" status --porcelain)" ]; then
		if [ "${FORCE:-0}" != 1 ]; then
			[ "$patches_id" = "${last_patches:-}" ] && {
				note "kernel: $KSRC has unexported work; left as it is (make export)"
				exit 0
			}
			die "$KSRC has work not in patches/ and patches/ changed: run 'make export' or 'make kernel FORCE=1'"
		fi
	elif [ "$patches_id" = "${last_patches:-}" ]; then
		note "kernel: $KSRC is base + patches/ (up to date)"
		exit 0
	fi
else
	note "kernel: cloning the base into $KSRC"
	rm -rf "$KSRC"
	mkdir -p "$BUILD"
	git clone -q --shared --no-checkout "$BASE_GIT" "$KSRC"
	git -C "$KSRC" tag -f base "$(base_commit)" >/dev/null
fi

cd "$KSRC"
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B series base
git clean -q -fdx
mapfile -t patches < <(series_patches)
if [ ${#patches[@]} -gt 0 ]; then
	git am -q --keep-cr "${patches[@]}" || die "git am failed in $KSRC"
fi
# b4 reads its settings from the top of the tree it runs in. Debian's
# top-level .gitignore keeps the copy out of the series.
sed "s|@TOP@|$TOP|g" "$TOP/.b4-config" >"$KSRC/.b4-config"
echo "$(git rev-parse HEAD) $patches_id" >"$stamp"
note "kernel: $KSRC = base + ${#patches[@]} patches ($(git rev-parse --short HEAD))"
