#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check a report of rocket-bringup (board-kit/), as make vmtest does with the
# reports of its kit runs on the simulated NPU.
#   board-kit-check.sh --pass REPORT
#       every section there, in order, the report complete; every step PASS
#       and nothing in the failure section; every open fact with a result
#       (SIMULATED on the simulated NPU, never SETTLED there; OPEN only for
#       what the kit skips there, and for the DPU-only FP32 add probe when
#       the simulated NPU refused it or the kernel refused its SUBMIT); the
#       probe's line in step split-k (on the simulated NPU, its INT32
#       plumbing run right); the throughput figures there
#   board-kit-check.sh --fail-at STEP [--hang] [--reason TEXT] REPORT
#       every section there and complete; the steps before STEP PASS, STEP
#       FAIL, the rest NOT RUN; the failure section names STEP (and TEXT).
#       With --hang: the failure section also holds the product's failed
#       wait (-EIO) with the job timeout, the kernel's "NPU job timed out"
#       line, and a whole command list (126 entries, ending with the marker
#       and PC_OPERATION_ENABLE 0x0d)
#   board-kit-check.sh --vm-log CONSOLE_LOG DIR
#       what make vmtest runs: the reports of vm/init's three kit runs
#       (pass, hang, base-uapi) taken from the console into
#       DIR/kit-NAME-report.txt, each run's exit status and report checked
#       as above, then --self-test on them
#   board-kit-check.sh --self-test PASS_REPORT HANG_REPORT STEP
#       the checks pass on the two reports, and fail on each of a set of
#       broken copies of them (a section missing, a truncated report, a
#       failed step, a missing command list, ...)
# Prints PASS/FAIL lines; exit 1 if a check failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SECTIONS=(kit summary system "kernel config" "device tree" clocks steps failure
	"open facts" throughput "iommu faults" "kernel log")
STEPS=(node bo first-product each-core types shapes qwen split-k throughput)
FACTS=("OP_ENABLE 0x0d" "INTERRUPT_MASK read-back" "FEATURE_GRAINS = rows + 1"
	"WEIGHT_REUSE of row slices" "CBUF of 12 banks" "FP16 rounding" "DPU_RDMA hang"
	"M = 1 surface stride" "OD_BYPASS 1 for FP16 output" "1000 MB/s DMA bandwidth"
	"100 us between two tasks" "speed" "split K: DPU-only INT32 add" "split K: DPU-only FP32 add")
FP32_FACT="split K: DPU-only FP32 add"

problems=()
bad() { problems+=("$*"); }

# The text of one section (without its header).
section() {
	awk -v name="== $2 ==" '$0 == name { on = 1; next } /^== .* ==$/ { on = 0 } on' "$1"
}

check_layout() {
	local r=$1 got want s
	[ "$(head -1 "$r")" = "# rocket bring-up report" ] || bad "no title line"
	got=$(grep -E '^== .* ==$' "$r" | sed 's/^== \(.*\) ==$/\1/' | paste -sd '|')
	want=$(printf '%s\n' "${SECTIONS[@]}" end | paste -sd '|')
	[ "$got" = "$want" ] || bad "sections are [$got], want [$want]"
	for s in "${SECTIONS[@]}"; do
		[ -n "$(section "$r" "$s" | tr -d '[:space:]')" ] || bad "section '$s' is empty"
	done
	[ "$(tail -1 "$r")" = "== end ==" ] || bad "the report does not end with '== end ==' (truncated)"
	grep -q '^kernel: Linux ' <<<"$(section "$r" system)" || bad "no kernel version in the system section"
	grep -q '^source: ' <<<"$(section "$r" "kernel config")" || bad "no source line in the kernel config section"
	grep -q '^npu: ' <<<"$(section "$r" summary)" || bad "the summary does not say which NPU ran"
	grep -q '^records since the kit started: [0-9]' <<<"$(section "$r" "kernel log")" ||
		bad "no record count in the kernel log section"
}

# step_state REPORT N NAME: the state of step N in the summary.
step_state() {
	section "$1" summary | sed -n "s/^step $2 $3 *\(.*\)\$/\1/p"
}

check_facts() {
	local r=$1 want_any_open=$2 f line status sim=0
	grep -q '^npu: SIMULATED' <<<"$(section "$r" summary)" && sim=1
	for f in "${FACTS[@]}"; do
		line=$(section "$r" "open facts" | grep -F "fact: $f | " || true)
		if [ -z "$line" ]; then
			bad "open fact '$f' missing"
			continue
		fi
		status=$(echo "$line" | awk -F' \\| ' '{ print $2 }')
		case $status in
		SETTLED|AGAINST) [ $sim = 0 ] || bad "fact '$f' is $status on the simulated NPU" ;;
		SIMULATED) [ $sim = 1 ] || bad "fact '$f' is SIMULATED on silicon" ;;
		OPEN)
			# after a pass, only what the simulated NPU skips stays open, and
			# the FP32 add probe: refused by the simulated NPU's model, or its
			# SUBMIT refused by the kernel (on silicon: with the errno)
			[ "$want_any_open" = 1 ] ||
				{ [ $sim = 1 ] && [[ $line == *"skipped on the simulated NPU"* ]]; } ||
				{ [ "$f" = "$FP32_FACT" ] && [ $sim = 1 ] &&
					[[ $line == *"refused by the simulated NPU"* ]]; } ||
				{ [ "$f" = "$FP32_FACT" ] && [ $sim = 0 ] &&
					[[ $line == *"the kernel refused the SUBMIT of the probe: -"* ]]; } ||
				bad "fact '$f' is OPEN after a passing run"
			;;
		*) bad "fact '$f' has no known status: $line" ;;
		esac
	done
}

check_pass() {
	local r=$1 i
	check_layout "$r"
	grep -q "^result: PASS (all ${#STEPS[@]} steps passed)" <<<"$(section "$r" summary)" ||
		bad "the summary's result is not a pass of all ${#STEPS[@]} steps"
	for i in "${!STEPS[@]}"; do
		[ "$(step_state "$r" $((i + 1)) "${STEPS[$i]}")" = PASS ] ||
			bad "step $((i + 1)) ${STEPS[$i]} is not PASS"
		grep -q "^step $((i + 1)) ${STEPS[$i]}: PASS" <<<"$(section "$r" steps)" ||
			bad "the steps section has no PASS for ${STEPS[$i]}"
	done
	grep -q '^  FAIL' <<<"$(section "$r" steps)" && bad "a product FAIL line in the steps"
	check_probe "$r"
	grep -q '^none' <<<"$(section "$r" failure)" || bad "the failure section is not 'none'"
	check_facts "$r" 0
	if grep -q '^npu: SIMULATED' <<<"$(section "$r" summary)"; then
		grep -q '^rocket_gemm --bench: skipped on the simulated NPU' \
			<<<"$(section "$r" throughput)" || bad "no rocket_gemm line in the throughput section"
	else
		grep -q '^rocket_gemm --bench (' <<<"$(section "$r" throughput)" &&
			grep -q 'GOP/s' <<<"$(section "$r" throughput)" || bad "no rocket_gemm --bench table"
	fi
	grep -q '^largest task' <<<"$(section "$r" throughput)" || bad "no largest-task figure"
	grep -q '^many small tasks' <<<"$(section "$r" throughput)" || bad "no small-task figure"
}

# The FP32 add probe of step split-k, after a pass: its line there, and on
# the simulated NPU its plumbing (the INT32 add through SUBMIT) right.
check_probe() {
	local r=$1 text
	text=$(section "$r" steps | awk '/^step [0-9]+ / { on = /^step [0-9]+ split-k:/ } on')
	grep -q '^  probe dpu-add fp32 (SUBMIT' <<<"$text" ||
		bad "the split-k step has no 'probe dpu-add fp32' line"
	if grep -q '^npu: SIMULATED' <<<"$(section "$r" summary)"; then
		grep -q '^  probe dpu-add int32 (SUBMIT, simulated NPU only.*: ok, ' <<<"$text" ||
			bad "the split-k step has no right INT32 add through SUBMIT (the probe's plumbing)"
	elif grep -q "^fact: $FP32_FACT | \(SETTLED\|AGAINST\) | " <<<"$(section "$r" "open facts")"; then
		grep -qE '^       (RNE|RTZ|RHA) \(|^       the job failed: ' <<<"$text" ||
			bad "the FP32 add fact has a result but the split-k step shows no comparison or failed job"
	fi
}

# check_fp32_run REPORT: the simulated run with a short job timeout that
# skips the slow steps, so that the FP32 add probe is sent: the simulated
# NPU refuses it, the job times out, the kit finds every core computing
# right after it and leaves the fact OPEN with the simulator's refusal.
check_fp32_run() {
	local r=$1 text
	check_layout "$r"
	grep -q '^result: PASS of the [0-9]* steps run (the others skipped by --skip' \
		<<<"$(section "$r" summary)" || bad "the summary's result is not a pass of the steps run"
	[ "$(step_state "$r" 8 split-k)" = PASS ] || bad "step 8 split-k is not PASS"
	[ "$(step_state "$r" 7 qwen)" = SKIPPED ] || bad "step 7 qwen is not SKIPPED"
	check_probe "$r"
	text=$(section "$r" steps | awk '/^step [0-9]+ / { on = /^step [0-9]+ split-k:/ } on')
	grep -q '^  probe dpu-add fp32 (SUBMIT, one DPU-only task' <<<"$text" ||
		bad "the FP32 add probe was not sent"
	grep -q '^       the job failed: PREP_BO on the result gave -EIO' <<<"$text" ||
		bad "the FP32 probe's job did not fail with -EIO"
	grep -q '^       the simulated NPU: .*refused: ' <<<"$text" ||
		bad "no refusal of the simulated NPU quoted for the FP32 probe"
	grep -q '^       every core computed right after it: the NPU recovered' <<<"$text" ||
		bad "no recovery check after the FP32 probe's failed job"
	grep -q "^fact: $FP32_FACT | OPEN | refused by the simulated NPU" \
		<<<"$(section "$r" "open facts")" ||
		bad "the FP32 add fact is not OPEN with the simulator's refusal"
	grep -q '^none' <<<"$(section "$r" failure)" || bad "the failure section is not 'none'"
}

# check_fail STEP HANG REASON REPORT
check_fail() {
	local step=$1 hang=$2 reason=$3 r=$4 i n=-1 state list
	for i in "${!STEPS[@]}"; do [ "${STEPS[$i]}" = "$step" ] && n=$i; done
	[ $n -ge 0 ] || die "no step $step"
	check_layout "$r"
	grep -q "^result: FAIL at step $((n + 1)) $step: " <<<"$(section "$r" summary)" ||
		bad "the summary's result is not a failure at step $((n + 1)) $step"
	for i in "${!STEPS[@]}"; do
		state=$(step_state "$r" $((i + 1)) "${STEPS[$i]}")
		if [ $i -lt $n ]; then [ "$state" = PASS ] || bad "step ${STEPS[$i]} is '$state', not PASS"
		elif [ $i -eq $n ]; then [ "$state" = FAIL ] || bad "step ${STEPS[$i]} is '$state', not FAIL"
		else [ "$state" = "NOT RUN" ] || bad "step ${STEPS[$i]} is '$state', not NOT RUN"
		fi
	done
	grep -q "^step: $((n + 1)) $step\$" <<<"$(section "$r" failure)" ||
		bad "the failure section does not name step $step"
	[ -z "$reason" ] || grep -qF -- "$reason" <<<"$(section "$r" failure)" ||
		bad "the failure section does not say '$reason'"
	check_facts "$r" 1
	[ "$hang" = 1 ] || return 0
	grep -q '^PREP_BO on C: -EIO after .*job timeout [0-9]* ms' <<<"$(section "$r" failure)" ||
		bad "the failure section lacks the failed wait (-EIO) and the job timeout"
	grep -q 'NPU job timed out' <<<"$(section "$r" failure)" ||
		bad "the failure section lacks the kernel's 'NPU job timed out' line"
	grep -q '^command list of job [0-9]* task [0-9]*: .*126 entries' <<<"$(section "$r" failure)" ||
		bad "the failure section has no command list"
	list=$(grep -E '^  \[ *[0-9]+\] 0x[0-9a-f]{16} ' <<<"$(section "$r" failure)" || true)
	[ "$(grep -c . <<<"$list")" -ge 126 ] || bad "the command list has fewer than 126 entries"
	grep -q ' 0081 PC_OPERATION_ENABLE *= 0x0000000d$' <<<"$(sed -n '126p' <<<"$list")" ||
		bad "the command list's entry 125 is not PC_OPERATION_ENABLE 0x0d"
	grep -q ' 0041 (marker)' <<<"$(sed -n '125p' <<<"$list")" ||
		bad "no marker before PC_OPERATION_ENABLE"
}

# run_check LABEL CHECK ARGS...: one PASS/FAIL line; returns 1 on FAIL.
run_check() {
	local label=$1 p
	shift
	problems=()
	"$@"
	if [ ${#problems[@]} -eq 0 ]; then
		echo "PASS $label"
		return 0
	fi
	echo "FAIL $label:"
	for p in "${problems[@]}"; do echo "  $p"; done
	return 1
}

# must_fail LABEL CHECK ARGS...: a broken report that the check must refuse.
must_fail() {
	local label=$1
	shift
	problems=()
	"$@"
	if [ ${#problems[@]} -gt 0 ]; then
		echo "PASS board-kit check self-test: $label fails the check (${problems[0]})"
		return 0
	fi
	echo "FAIL board-kit check self-test: $label passes the check"
	return 1
}

self_test() {
	local pass=$1 fail=$2 step=$3 t rc=0
	t=$(mktemp -d)
	run_check "board-kit check self-test: the passing report passes" check_pass "$pass" || rc=1
	run_check "board-kit check self-test: the hang report passes --fail-at $step --hang" \
		check_fail "$step" 1 "" "$fail" || rc=1

	awk '$0 == "== clocks ==" { skip = 1; next } /^== .* ==$/ { skip = 0 } !skip' "$pass" >"$t/1"
	must_fail "a report without its clocks section" check_pass "$t/1" || rc=1
	head -n -1 "$pass" >"$t/2"
	must_fail "a truncated report (no '== end ==')" check_pass "$t/2" || rc=1
	sed '0,/^step 6 shapes  *PASS/s//step 6 shapes         FAIL/' "$pass" >"$t/3"
	must_fail "a report whose shapes step failed" check_pass "$t/3" || rc=1
	grep -v '^fact: WEIGHT_REUSE' "$pass" >"$t/4"
	must_fail "a report without the WEIGHT_REUSE fact" check_pass "$t/4" || rc=1
	sed 's/^\(fact: [^|]*| \)SIMULATED/\1SETTLED/' "$pass" >"$t/5"
	must_fail "a simulated run claiming SETTLED facts" check_pass "$t/5" || rc=1
	grep -v '^rocket_gemm --bench' "$pass" >"$t/6"
	must_fail "a report without the rocket_gemm line" check_pass "$t/6" || rc=1
	must_fail "the failing report checked as a pass" check_pass "$fail" || rc=1
	grep -v '^  probe dpu-add fp32 ' "$pass" >"$t/10"
	must_fail "a report without the FP32 add probe's line" check_pass "$t/10" || rc=1
	sed "s/^\(fact: $FP32_FACT | OPEN | \).*/\1not reached/" "$pass" >"$t/11"
	must_fail "a passing run whose FP32 add probe stayed OPEN without its reason" \
		check_pass "$t/11" || rc=1
	sed "s/^\(fact: $FP32_FACT | \)[A-Z]* | /\1SETTLED | /" "$pass" >"$t/12"
	must_fail "a simulated run claiming the FP32 add SETTLED" check_pass "$t/12" || rc=1

	grep -vE '^  \[ *[0-9]+\] 0x' "$fail" >"$t/7"
	must_fail "a failure without its command list" check_fail "$step" 1 "" "$t/7" || rc=1
	grep -v 'NPU job timed out' "$fail" >"$t/8"
	must_fail "a failure without the kernel's timeout line" check_fail "$step" 1 "" "$t/8" || rc=1
	sed '/^  \[125\] /d' "$fail" >"$t/9"
	must_fail "a command list without its last entry" check_fail "$step" 1 "" "$t/9" || rc=1
	must_fail "a failure checked against another step" check_fail first-product 1 "" "$fail" || rc=1
	must_fail "a failure checked for another reason" check_fail "$step" 0 "lacks the series" \
		"$fail" || rc=1
	must_fail "the passing report checked as a failure" check_fail "$step" 1 "" "$pass" || rc=1
	rm -rf "$t"
	return $rc
}

# vm_log LOG DIR: the kit's runs in a make vmtest console log.
vm_log() {
	local log=$1 dir=$2 name rc=0
	if ! grep -q '^vmtest: board kit ' "$log"; then
		echo "FAIL vm: the board kit did not run (the run stopped before it, or no /board-kit)"
		return 1
	fi
	for name in pass hang fp32 base-uapi; do
		sed -n "s/^kit-$name| //p" "$log" >"$dir/kit-$name-report.txt"
	done
	echo "board-kit: reports in $dir/kit-{pass,hang,fp32,base-uapi}-report.txt"
	grep -q '^vmtest: kit pass exit 0$' "$log" ||
		{ echo "FAIL vm: rocket-bringup did not pass on the simulated NPU"; rc=1; }
	run_check "board-kit report kit-pass-report.txt: every step passed, every section there" \
		check_pass "$dir/kit-pass-report.txt" || rc=1
	grep -q '^vmtest: kit hang exit 1$' "$log" ||
		{ echo "FAIL vm: rocket-bringup did not exit 1 with a task hung"; rc=1; }
	run_check "board-kit report kit-hang-report.txt: stopped at types, with the task's command list and the timeout" \
		check_fail types 1 "" "$dir/kit-hang-report.txt" || rc=1
	grep -q '^vmtest: kit fp32 exit 0$' "$log" ||
		{ echo "FAIL vm: rocket-bringup's FP32 probe run did not pass"; rc=1; }
	run_check "board-kit report kit-fp32-report.txt: the FP32 add probe sent, refused by the simulated NPU, the cores recovered" \
		check_fp32_run "$dir/kit-fp32-report.txt" || rc=1
	grep -v '^       every core computed right after it: the NPU recovered' \
		"$dir/kit-fp32-report.txt" >"$dir/kit-fp32-norecovery.txt"
	must_fail "an FP32 probe run without the recovery check" \
		check_fp32_run "$dir/kit-fp32-norecovery.txt" || rc=1
	sed 's/^fact: split K: DPU-only FP32 add | OPEN | refused by the simulated NPU/fact: split K: DPU-only FP32 add | OPEN | not sent/' \
		"$dir/kit-fp32-report.txt" >"$dir/kit-fp32-notsent.txt"
	must_fail "an FP32 probe run whose fact does not quote the simulator's refusal" \
		check_fp32_run "$dir/kit-fp32-notsent.txt" || rc=1
	rm -f "$dir/kit-fp32-norecovery.txt" "$dir/kit-fp32-notsent.txt"
	if grep -q '^vmtest: kit base-uapi skipped' "$log"; then
		echo "SKIP board-kit on the uAPI of rocket 0.0: rocket has no sim_base_uapi parameter"
	else
		grep -q '^vmtest: kit base-uapi exit 1$' "$log" ||
			{ echo "FAIL vm: rocket-bringup did not exit 1 on rocket 0.0's uAPI"; rc=1; }
		run_check "board-kit report kit-base-uapi-report.txt: stopped at node (lacks the series)" \
			check_fail node 0 "lacks the series" "$dir/kit-base-uapi-report.txt" || rc=1
	fi
	self_test "$dir/kit-pass-report.txt" "$dir/kit-hang-report.txt" types || rc=1
	return $rc
}

case ${1:-} in
--vm-log)
	[ $# -eq 3 ] || die "usage: $0 --vm-log CONSOLE_LOG DIR"
	vm_log "$2" "$3"
	;;
--pass)
	[ $# -eq 2 ] || die "usage: $0 --pass REPORT"
	run_check "board-kit report $(basename "$2"): every step passed, every section there" \
		check_pass "$2"
	;;
--fail-at)
	shift
	step=${1:-}
	shift || true
	hang=0 reason=
	while [ $# -gt 1 ]; do
		case $1 in
		--hang) hang=1; shift ;;
		--reason) reason=$2; shift 2 ;;
		*) die "usage: $0 --fail-at STEP [--hang] [--reason TEXT] REPORT" ;;
		esac
	done
	[ -n "$step" ] && [ $# -eq 1 ] || die "usage: $0 --fail-at STEP [--hang] [--reason TEXT] REPORT"
	run_check "board-kit report $(basename "$1"): stopped at $step$([ $hang = 1 ] &&
		echo ", with the task's command list and the timeout")${reason:+ ($reason)}" \
		check_fail "$step" "$hang" "$reason" "$1"
	;;
--self-test)
	[ $# -eq 4 ] || die "usage: $0 --self-test PASS_REPORT FAIL_REPORT STEP"
	self_test "$2" "$3" "$4"
	;;
*)
	die "usage: $0 --pass REPORT | --fail-at STEP [--hang] [--reason TEXT] REPORT | --vm-log CONSOLE_LOG DIR | --self-test PASS_REPORT HANG_REPORT STEP"
	;;
esac
