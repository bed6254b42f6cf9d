#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what a fresh Debian machine lacks: the Debian packages listed in
# config/host-packages.txt and a virtualenv with config/requirements.txt.
# Each package is probed by what the workflow does with it; a probe that
# still fails after the install stops setup, naming the package.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT

# The probes named "!function" in host-packages.txt.

# QEMU starts the test VM's machine with vm-run.sh's options (a missing
# firmware or option ROM stops it here), paused, and quits.
qemu_starts_vm() {
	command -v "$VM_QEMU" >/dev/null &&
	echo quit | timeout 60 "$VM_QEMU" "${VM_QEMU_ARGS[@]}" -S -display none \
		-serial none -monitor stdio >"$probe_dir/qemu.log" 2>&1
}

# clang links a libFuzzer target with the sanitizers of tests/matmul's fuzzer
# (the runtimes are libclang-rt-14-dev's, not clang's).
clang_links_fuzzer() {
	command -v clang >/dev/null || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return n && d[0]; }' \
		>"$probe_dir/fuzz.c"
	clang -fsanitize=fuzzer,address,undefined -o "$probe_dir/fuzz" "$probe_dir/fuzz.c" \
		>"$probe_dir/clang.log" 2>&1
}

# The python that makes the tools' virtualenv can make one with pip.
python_makes_venv() {
	[ -x "$PY" ] && "$PY" -m venv "$probe_dir/venv" >"$probe_dir/venv.log" 2>&1 &&
	[ -x "$probe_dir/venv/bin/pip" ]
}

# Its headers, for the tools that pip builds from source (pylibfdt).
python_has_headers() {
	[ -x "$PY" ] && "$PY" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}

# probe PROBE: 0 when what it names is there and works.
probe() {
	local p=$1
	case $p in
	!*) "${p#!}" ;;
	/*) compgen -G "$p" >/dev/null ;;
	*) command -v "$p" >/dev/null ;;
	esac
}

# check_all: the packages whose probe fails, as "package: probe", in failing[].
failing=()
check_all() {
	local pkg p
	failing=()
	while IFS=: read -r pkg p; do
		case "$pkg" in ''|'#'*) continue ;; esac
		p=${p# }
		probe "$p" || failing+=("$pkg: $p")
	done <"$TOP/config/host-packages.txt"
}

check_all
if [ ${#failing[@]} -gt 0 ]; then
	pkgs=("${failing[@]%%:*}")
	note "setup: installing ${pkgs[*]}"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${pkgs[@]}" >/dev/null
	check_all
	if [ ${#failing[@]} -gt 0 ]; then
		for f in "${failing[@]}"; do
			echo "setup: installed, but its probe still fails: $f" >&2
		done
		for l in "$probe_dir"/*.log; do
			[ -s "$l" ] && { echo "--- $(basename "$l")"; tail -n 5 "$l"; } >&2
		done
		die "setup: the packages above do not do what the workflows need"
	fi
fi

# The venv is keyed by the requirements it was made from, never reused stale.
req=$TOP/config/requirements.txt
venv=$CACHE/venv-$(sha256sum "$req" | cut -c1-12)
if [ ! -x "$venv/bin/b4" ]; then
	note "setup: python tools into $venv"
	rm -rf "$venv"
	"$PY" -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req" ||
		die "setup: pip could not install config/requirements.txt (see above)"
fi
ln -sfn "$venv" "$CACHE/venv"
