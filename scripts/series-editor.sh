#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The editor scripts/series.sh gives b4 prep: it writes, into the file b4
# opens, the dependencies (SERIES_EDIT_DEPS) when b4 asks for them and the
# cover letter (SERIES_EDIT_COVER) otherwise, keeping b4's own lines of a
# cover letter (those after the cover's text: none in b4 0.16).
set -euo pipefail
f=$1
if grep -q 'series prerequisites' "$f"; then
	cat "${SERIES_EDIT_DEPS:?}" >"$f"
else
	cat "${SERIES_EDIT_COVER:?}" >"$f"
fi
