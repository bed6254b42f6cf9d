#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make in the series' kernel tree, for arm64, into the O= build, via ccache.
#   kmake.sh [make arguments...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Paths inside the checkout are hashed relative to it, so that a fresh clone
# elsewhere (as CI makes) hits the cache its siblings filled.
export CCACHE_BASEDIR=$TOP
# Reproducible build metadata, so ccache hits across checkouts.
export KBUILD_BUILD_TIMESTAMP=$BASE_DATE KBUILD_BUILD_USER=rocket KBUILD_BUILD_HOST=carry
exec make -C "$KSRC" O="$KOUT" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
	CC="ccache ${CROSS_COMPILE}gcc" -j"$(nproc)" "$@"
