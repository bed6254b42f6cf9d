#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the series' kernel in QEMU (arm64 virt, TCG) with the test initramfs,
# print the kselftest results, and fail on a failed or missing test, on a
# run that did not finish, or on any KASAN, kmemleak, lockdep, WARN, BUG or
# Oops report in the kernel log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
image=$KOUT/arch/arm64/boot/Image
initrd=$BUILD/vm/initramfs.cpio.gz
log=${VM_LOG:-$BUILD/vm/console.log}
[ -f "$image" ] && [ -f "$initrd" ] || die "no kernel or initramfs: run 'make vmtest'"

start=$(date +%s)
# 6 GiB: RAM above 4 GiB, which the IOMMU KUnit suite needs. KUnit suites
# run at boot (built in) or when their module loads.
# 15 minutes: the run takes about 5 on an idle 2-core machine (both passes,
# the long-product test reloads rocket twice, the board kit's three runs
# about one more) and up to twice that loaded.
timeout "${VM_TIMEOUT:-900}" "$VM_QEMU" "${VM_QEMU_ARGS[@]}" \
	-nographic -kernel "$image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 panic_on_warn=0 kmemleak=on kunit.enable=1${VM_APPEND:+ $VM_APPEND}" \
	</dev/null >"$log" 2>&1 || echo "vm: qemu exited with $? (see $log)"
tr -d '\r' <"$log" >"$log.txt"
echo "vm: booted and ran in $(($(date +%s) - start)) s; console in $log.txt"

# What the kselftests printed, as a board owner would see it.
echo "--- kselftest output"
sed -n '/^TAP version/,/^vmtest: run_kselftest exit/p' "$log.txt"
echo "---"

fail=0
# One line per test case, in the form run-stages.sh counts: the cases of
# each kselftest binary (its TAP lines, prefixed "# " by the runner), and
# the binaries that failed or skipped as a whole.
cases=$(sed -nE 's/^# (not )?ok [0-9]+ ([^ #]+)(.*)$/\1|\2|\3/p' "$log.txt")
binaries=$(sed -nE 's/^(not )?ok [0-9]+ selftests: ([^ ]+: [^ ]+)(.*)$/\1|\2|\3/p' "$log.txt")
if [ -z "$binaries" ]; then
	echo "FAIL vm: no kselftest reported a result"
	fail=1
fi
# report LINES PASS_TOO: a line per result of "not|name|rest" lines; passes
# are reported only when PASS_TOO is set (a binary's cases already were).
report() {
	local not name rest
	while IFS='|' read -r not name rest; do
		[ -n "$name" ] || continue
		if [ -n "$not" ]; then
			echo "FAIL kselftest $name$rest"
			fail=1
		elif [[ $rest == *"# SKIP"* ]]; then
			echo "SKIP kselftest $name$rest"
		elif [ -n "$2" ]; then
			echo "PASS kselftest $name"
		fi
	done <<<"$1"
}
report "$cases" pass
report "$binaries" ""

# KUnit results, a line per case, when the kernel has KUnit suites.
if grep -qE '^CONFIG_[A-Z0-9_]+_KUNIT_TEST=y' "$KOUT/.config"; then
	"$TOP/scripts/vm-kunit.sh" "$log.txt" || fail=1
fi

# With the simulated NPU in the kernel, a test binary that skips as a whole
# found no NPU: that is a failure of the run, not a skip. (Not in the pass
# against rocket 0.0's uAPI, where whole binaries skip by design.)
if grep -q '^CONFIG_DRM_ACCEL_ROCKET_SIM=y' "$KOUT/.config" &&
   sed '/^vmtest: base-uapi: /,$d' "$log.txt" | grep -qE '^ok [0-9]+ selftests: .*# SKIP'; then
	echo "FAIL vm: a kselftest skipped as a whole although the kernel has the simulated NPU"
	fail=1
fi

# The pass against rocket 0.0's uAPI (rocket.sim_base_uapi): it finished,
# the basic BO cases passed, the matmul cases skipped naming the version,
# and nothing failed (any "not ok" fails above like every other case).
if grep -q '^CONFIG_DRM_ACCEL_ROCKET_SIM=y' "$KOUT/.config"; then
	base=$(sed -n '/^vmtest: base-uapi: rocket loaded/,/^vmtest: base-uapi: end/p' "$log.txt")
	fixes=$(sed -n '/^vmtest: fixes-uapi: rocket loaded/,/^vmtest: fixes-uapi: end/p' "$log.txt")
	if ! grep -q '^vmtest: base-uapi: end' <<<"$base"; then
		echo "FAIL vm: the pass against rocket 0.0's uAPI did not run or finish"
		fail=1
	elif ! grep -qE '^# ok [0-9]+ rocket\.bo_create_mmap_close$' <<<"$base" ||
	     ! grep -qE '^# ok [0-9]+ rocket_gemm\.matches_cpu_reference # SKIP rocket 0\.0 predates' <<<"$base"; then
		echo "FAIL vm: against rocket 0.0's uAPI the basic cases did not pass or the matmul cases did not skip"
		fail=1
	else
		echo "PASS vm: against rocket 0.0's uAPI: $(grep -cE '^# ok [0-9]+ [^ ]+$' <<<"$base") cases passed, $(grep -cE '^# ok [0-9]+ .*# SKIP' <<<"$base") skipped, none failed"
	fi
	# Rocket 0.1 (the fixes, no MATMUL): the fixes' cases ran and passed
	# (one per selftest binary of the fixes), the matmul cases skipped.
	if ! grep -q '^vmtest: fixes-uapi: end' <<<"$fixes"; then
		echo "FAIL vm: the pass against rocket 0.1's uAPI did not run or finish"
		fail=1
	elif ! grep -qE '^# ok [0-9]+ rocket_submit\.oversized_counts_are_refused$' <<<"$fixes" ||
	     ! grep -qE '^# ok [0-9]+ rocket_fail_nth\.submit_one_job$' <<<"$fixes" ||
	     ! grep -qE '^# ok [0-9]+ rocket_failed_job\.[a-z_]+$' <<<"$fixes" ||
	     ! grep -qE '^# ok [0-9]+ rocket_gemm\.matches_cpu_reference # SKIP rocket 0\.1 predates' <<<"$fixes" ||
	     ! grep -qE '^# ok [0-9]+ rocket_fail_nth\.matmul # SKIP rocket 0\.1 predates' <<<"$fixes"; then
		echo "FAIL vm: against rocket 0.1's uAPI the fixes' cases did not pass or the matmul cases did not skip"
		fail=1
	else
		echo "PASS vm: against rocket 0.1's uAPI: $(grep -cE '^# ok [0-9]+ [^ ]+$' <<<"$fixes") cases passed, $(grep -cE '^# ok [0-9]+ .*# SKIP' <<<"$fixes") skipped, none failed"
	fi
fi

if ! grep -q '^vmtest: done' "$log.txt"; then
	echo "FAIL vm: the run did not finish (see $log.txt)"
	fail=1
fi
if grep '^vmtest: FAIL' "$log.txt"; then
	fail=1
fi

# The board kit's runs (vm/init): their reports, taken from the console,
# checked as a board owner's would be, and the checks shown to fail on
# broken copies of these very reports.
"$TOP/scripts/board-kit-check.sh" --vm-log "$log.txt" "$BUILD/vm" || fail=1

"$TOP/scripts/vm-check-log.sh" "$log.txt" || fail=1
exit $fail
