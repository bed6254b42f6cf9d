#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what a fresh Debian machine lacks: the Debian packages listed in
# config/host-packages.txt and a virtualenv with config/requirements.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

missing=()
while IFS=: read -r pkg probe; do
	case "$pkg" in ''|'#'*) continue ;; esac
	probe=${probe# }
	if [[ $probe == /* ]]; then
		[ -e "$probe" ] && continue
	else
		command -v "$probe" >/dev/null && continue
	fi
	missing+=("$pkg")
done <"$TOP/config/host-packages.txt"

if [ ${#missing[@]} -gt 0 ]; then
	note "setup: installing ${missing[*]}"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

# The venv is keyed by the requirements it was made from, never reused stale.
req=$TOP/config/requirements.txt
venv=$CACHE/venv-$(sha256sum "$req" | cut -c1-12)
if [ ! -x "$venv/bin/b4" ]; then
	note "setup: python tools into $venv"
	# Debian's python3 has ensurepip only with python3-venv; any python3 works.
	py=/usr/bin/python3
	[ -x "$py" ] || py=python3
	rm -rf "$venv"
	"$py" -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
fi
ln -sfn "$venv" "$CACHE/venv"
