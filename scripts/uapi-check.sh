#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The installed uAPI header compiles on its own as C90, included twice (the
# include guard), and as C++.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
inc=$KOUT/usr/include
hdr=drm/rocket_accel.h
[ -f "$inc/$hdr" ] || die "no installed headers: run 'make build' first"

"${CROSS_COMPILE}gcc" -std=c90 -pedantic-errors -Wall -Wextra -Werror -fsyntax-only \
	-isystem "$inc" -include "$hdr" -include "$hdr" -x c /dev/null
echo "PASS uapi: $hdr as C90, included twice"
g++ -std=c++98 -pedantic-errors -Wall -Wextra -Werror -fsyntax-only \
	-isystem "$inc" -include "$hdr" -x c++ /dev/null
echo "PASS uapi: $hdr as C++98"
