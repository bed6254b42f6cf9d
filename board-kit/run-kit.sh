#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The whole kit on a board, as root: rocket-bringup first (it stops at the
# first step that fails), then, only if every step passed, the rocket
# kselftests. Leaves the files to send back in the current folder:
#   rocket-bringup-report.txt  the report
#   kselftest-output.txt       the kselftests' output (when they ran)
# POSIX sh: runs with busybox as with a Debian userspace.
kit=$(cd "$(dirname "$0")" && pwd)
out=$(pwd)

if [ "$(id -u)" != 0 ]; then
	echo "run-kit.sh: run it as root (sudo): the kit opens the NPU node and reads the kernel log" >&2
	exit 2
fi

"$kit/rocket-bringup" -o "$out/rocket-bringup-report.txt" "$@"
rc=$?
if [ $rc -ne 0 ]; then
	echo "run-kit.sh: rocket-bringup stopped (exit $rc): the kselftests were not run."
	echo "Send $out/rocket-bringup-report.txt"
	exit $rc
fi

# run_kselftest.sh enforces timeouts with coreutils' timeout --foreground;
# busybox's timeout has no such option: put a shim first in PATH.
if ! timeout --foreground 1 true 2>/dev/null; then
	shim=$(mktemp -d)
	cat >"$shim/timeout" <<'SHIM'
#!/bin/sh
[ "$1" = --foreground ] && shift
exec busybox timeout "$@"
SHIM
	chmod 755 "$shim/timeout"
	PATH=$shim:$PATH
	export PATH
fi
(cd "$kit/kselftest" && ./run_kselftest.sh -c rocket) >"$out/kselftest-output.txt" 2>&1
rc=$?
echo "run-kit.sh: kselftests exit $rc ($(grep -c '^ok ' "$out/kselftest-output.txt") ok, $(grep -c '^not ok ' "$out/kselftest-output.txt") not ok)"
echo "Send $out/rocket-bringup-report.txt and $out/kselftest-output.txt"
exit $rc
