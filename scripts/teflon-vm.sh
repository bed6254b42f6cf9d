#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the series' kernel in QEMU (the test VM's machine: lib.sh's
# VM_QEMU_ARGS) with the Teflon stage's initramfs (scripts/teflon-build.sh)
# and judge what teflon/init printed. One line per model and core count:
#
#   PASS teflon MODEL (N cores): ...
#   FAIL teflon MODEL (N cores): REASONS [first refusal of the NPU model]
#
# A run fails when the runner does (an operation left on the CPU, a device
# other than rocket, a rocket ioctl that failed, an output beyond the
# tolerance, no output), when it does not finish, when the kernel log of
# the run holds a job timeout, any other message of error level or worse,
# a task the simulated NPU ended other than done (it refused, faulted,
# hung), or any report of vm-check-log.sh. The
# whole console goes through vm-check-log.sh too. build/teflon/results.txt
# has the table of the last run, build/teflon/regcmd/ the command lists
# Mesa submitted in it, decoded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
KOUT=${TEFLON_KOUT:-$KOUT}	# see teflon-build.sh
out=$BUILD/teflon
image=$KOUT/arch/arm64/boot/Image
initrd=$out/initramfs.cpio.gz
log=$out/console.log
[ -f "$image" ] && [ -f "$initrd" ] || die "no kernel or initramfs: run 'make teflon-test'"

start=$(date +%s)
# No KUnit: the suites are vmtest's; this run is Teflon's.
timeout "${TEFLON_VM_TIMEOUT:-1800}" "$VM_QEMU" "${VM_QEMU_ARGS[@]}" \
	-nographic -kernel "$image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 kmemleak=on kunit.enable=0" \
	</dev/null >"$log" 2>&1 || echo "teflon: qemu exited with $? (see $log)"
tr -d '\r' <"$log" >"$log.txt"
secs=$(($(date +%s) - start))
echo "teflon: booted and ran in $secs s; console in $log.txt"

kmsg_file=$(mktemp)
trap 'rm -f "$kmsg_file"' EXIT

fail=0
results=$out/results.txt
# Models Mesa gets wrong whatever the NPU does (teflon/expected-failures.txt):
# each must fail, with no reason but those listed.
declare -A xfail_reasons xfail_why
while IFS= read -r xline; do
	case "$xline" in '' | \#*) continue ;; esac
	read -r xname xreasons _ <<<"${xline%%|*}"
	xfail_reasons[$xname]=$xreasons
	xfail_why[$xname]=$(sed 's/^ *//' <<<"${xline#*|}")
done <"${TEFLON_EXPECTED:-$TOP/teflon/expected-failures.txt}"
: >"$results"
# judge NAME CORES: the block of the console between the model's begin and
# end lines.
judge() {
	local name=$1 cores=$2 block result reasons kmsg refusal secs line
	block=$(sed -n "/^teflon: begin $name cores=$cores\$/,/^teflon: end $name cores=$cores /p" \
		"$log.txt")
	if [ -z "$block" ] || ! grep -q "^teflon: end $name cores=$cores " <<<"$block"; then
		echo "FAIL teflon $name ($cores cores): did not run or did not finish"
		printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "FAIL" "did not run or finish" >>"$results"
		fail=1
		return
	fi
	secs=$(sed -nE "s/^teflon: end .* seconds ([0-9.]+)$/\1/p" <<<"$block")
	result=$(sed -n 's/^teflon-run: RESULT //p' <<<"$block" | tail -n 1)
	reasons=
	case $result in
	PASS) ;;
	FAIL*) reasons=${result#FAIL } ;;
	*) reasons="runner-gave-no-result(exit $(sed -n 's/^teflon: exit //p' <<<"$block"))" ;;
	esac
	kmsg=$(sed -n 's/^teflon-kmsg: //p' <<<"$block")
	grep -q 'NPU job timed out' <<<"$kmsg" && reasons+=" job-timeout"
	# dmesg -r levels: 0-3 are emergency to error.
	awk -F'[<>]' '/^</ && $2 % 8 <= 3 && !/NPU job timed out/ { e = 1 } END { exit !e }' \
		<<<"$kmsg" && reasons+=" kernel-error"
	grep -q 'simulated task ended' <<<"$kmsg" && reasons+=" sim-task-failed"
	echo "$kmsg" >"$kmsg_file"
	"$TOP/scripts/vm-check-log.sh" "$kmsg_file" >/dev/null || reasons+=" kernel-report"
	refusal=$(grep -m1 -o 'refused: .*' <<<"$kmsg" || true)
	line="$name ($cores cores, ${secs:-?} s)"
	# What the runner measured, for the record.
	local dev deleg ioc diffs
	dev=$(sed -n 's/^teflon-run: device: //p' <<<"$block")
	deleg=$(sed -n 's/^teflon-run: delegation: //p' <<<"$block")
	ioc=$(sed -n 's/^teflon-run: rocket ioctls: *//p' <<<"$block")
	diffs=$(sed -nE 's/^teflon-run: output ([0-9]+): .*max abs diff ([^,]+), ([0-9]+) of ([0-9]+).*/out\1 max diff \2, \3\/\4 over/p' \
		<<<"$block" | paste -sd ';')
	reasons=${reasons# }
	if [ -n "${xfail_reasons[$name]:-}" ]; then
		local r unlisted=
		for r in $reasons; do
			[[ ",${xfail_reasons[$name]}," == *",$r,"* ]] || unlisted+=" $r"
		done
		if [ -z "$reasons" ]; then
			echo "FAIL teflon $line: passes ($diffs), but teflon/expected-failures.txt says Mesa gets it wrong: update the list"
			printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "FAIL" "passes although listed as failing" >>"$results"
			fail=1
		elif [ -n "$unlisted" ]; then
			echo "FAIL teflon $line: fails with$unlisted, which teflon/expected-failures.txt does not list for it ($reasons${refusal:+; first: $refusal})"
			printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "FAIL" "$reasons; $diffs${refusal:+; first: $refusal}" >>"$results"
			fail=1
		else
			echo "PASS teflon $line: fails as listed, Mesa's: $reasons ($diffs${refusal:+; first: $refusal}): ${xfail_why[$name]}"
			printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "XFAIL" "$reasons; $diffs${refusal:+; first: $refusal}" >>"$results"
		fi
		return
	fi
	if [ -z "$reasons" ]; then
		echo "PASS teflon $line: $diffs"
		printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "PASS" "$diffs" >>"$results"
	else
		echo "FAIL teflon $line: $reasons${refusal:+; first: $refusal}"
		printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "FAIL" \
			"$reasons; $diffs; device ${dev:-?}; $deleg; ioctls: $ioc${refusal:+; first: $refusal}" \
			>>"$results"
		fail=1
	fi
}

while read -r name _; do
	for cores in 3 1; do
		judge "$name" "$cores"
	done
done <"$out/models/models.txt"

# Mesa's command lists, decoded (teflon/regcmd.py), for whoever teaches the
# NPU model what Mesa programs.
rm -rf "$out/regcmd"
mkdir -p "$out/regcmd"
/usr/bin/python3 "$TOP/teflon/regcmd.py" "$TOP/drivers/accel/rocket/rocket_registers.h" \
	"$log.txt" "$out/regcmd" || echo "teflon: could not decode the command lists"

if grep '^teflon: FAIL' "$log.txt"; then
	fail=1
fi
if ! grep -q '^teflon: done' "$log.txt"; then
	echo "FAIL teflon: the run did not finish (see $log.txt)"
	fail=1
fi
"$TOP/scripts/vm-check-log.sh" "$log.txt" || fail=1
echo "teflon: results in $results; the stage took $secs s in the VM"
exit $fail
