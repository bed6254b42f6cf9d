#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the NPU-enable overlays in dts/, apply each one to its board's DTB
# from the kernel tree and check the result:
#
#  1. kbuild builds the board DTB (O= directory, with -@ so that the overlay's
#     label references can be resolved);
#  2. the overlay is preprocessed and compiled the way kbuild handles .dtso;
#  3. fdtoverlay merges the two;
#  4. dt-validate must report nothing on the merged DTB that it does not
#     already report on the unmodified board DTB;
#  5. fdtget: all three NPU cores and their three IOMMUs are "okay", every
#     core has npu-supply and sram-supply, and these and the power domain's
#     domain-supply point at the regulators the overlay names, which follow
#     the rule stated in dts/rk3588-npu-enable.dtsi.
#
# Usage: scripts/dtbs.sh [BOARD...]     check all overlays, or only these
#        scripts/dtbs.sh --list         board -> overlay table
#        scripts/dtbs.sh --self-test [BOARD]
#                                       prove the check can fail: a copy of
#                                       one overlay without sram-supply must
#                                       FAIL while the intact one PASSes
#
# BOARD is a DTB name such as rk3588s-rock-5a. Output goes to $BUILD/out-dtbs
# (build/out-dtbs by default): boards/<board>/ holds <board>-npu.dtbo, the
# preprocessed <board>-npu.dts and the merged <board>.dtb.
# Environment: JOBS (parallel jobs, default: number of CPUs), CPP (default cpp).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DTS=$TOP/dts
OUT=$BUILD/out-dtbs
RKDIR=arch/arm64/boot/dts/rockchip
BINDINGS=Documentation/devicetree/bindings
SCHEMA=$OUT/$BINDINGS/processed-schema.json
JOBS=${JOBS:-$(nproc)}
CPP=${CPP:-cpp}
NPU_NODES="rknn_core_0 rknn_core_1 rknn_core_2 rknn_mmu_0 rknn_mmu_1 rknn_mmu_2"
NPU_CORES="rknn_core_0 rknn_core_1 rknn_core_2"
PATH=$CACHE/venv/bin:$PATH
# Stable sort order for comparing dt-validate output.
LC_ALL=C
export PATH LC_ALL

# Progress line with the time since the start.
tnote() { note "dtbs $((SECONDS / 60))m$(printf %02d $((SECONDS % 60)))s: $*"; }

usage() {
	sed -n '/^# Usage:/,/^# Environment:/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------- overlays

overlay_of() { echo "$DTS/$1-npu.dtso"; }

all_boards() {
	local f
	for f in "$DTS"/*-npu.dtso; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%-npu.dtso}"
	done
}

# Accept rk3588s-rock-5a, rk3588s-rock-5a.dtb, dts/rk3588s-rock-5a-npu.dtso...
board_name() {
	local b=${1##*/}
	b=${b%.dtbo}; b=${b%.dtso}; b=${b%.dtb}; b=${b%.dts}
	echo "${b%-npu}"
}

# Value of macro $2 as the preprocessor sees it in overlay $1.
overlay_macro() {
	"$CPP" -nostdinc -undef -D__DTS__ -x assembler-with-cpp -dM "$1" |
		awk -v m="$2" '$1 == "#define" && $2 == m { print $3 }'
}

list_overlays() {
	local b o
	printf '%-28s %-40s %-12s %s\n' BOARD OVERLAY NPU_SUPPLY NPU_SRAM_SUPPLY
	for b in $(all_boards); do
		o=$(overlay_of "$b")
		printf '%-28s %-40s %-12s %s\n' "$b" "dts/${o##*/}" \
			"$(overlay_macro "$o" NPU_SUPPLY)" \
			"$(overlay_macro "$o" NPU_SRAM_SUPPLY)"
	done
}

# ---------------------------------------------------------------- kernel side

need_tools() {
	local t missing=
	for t in make "$CPP" "${CROSS_COMPILE}gcc" dtc fdtoverlay fdtget \
		 dt-validate dt-mk-schema sha256sum; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -z "$missing" ] || die "missing tools:$missing (see scripts/setup-host.sh)"
}

pick_source() {
	if [ -f "$KSRC/Makefile" ] && [ -d "$KSRC/$RKDIR" ]; then
		SRC=$KSRC
	elif [ -f "$BASE_GIT/Makefile" ] && [ -d "$BASE_GIT/$RKDIR" ]; then
		SRC=$BASE_GIT
	else
		die "no kernel tree at $KSRC or $BASE_GIT (run scripts/fetch-base.sh)"
	fi
}

kmake() {
	make -C "$SRC" O="$OUT" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		-j"$JOBS" "$@"
}

# Run a step with its output in a log; on failure show the log and stop.
step() {
	local name=$1 log=$OUT/logs/$1.log
	shift
	if ! "$@" >"$log" 2>&1; then
		echo "error: step '$name' failed; its log ($log):" >&2
		tail -n 60 "$log" >&2
		exit 1
	fi
}

prepare_out() {
	# An O= directory belongs to one source tree: start afresh when the
	# tree changes (for instance once the patched tree has been created).
	if [ -f "$OUT/.srctree" ] && [ "$(cat "$OUT/.srctree")" != "$SRC" ]; then
		note "kernel tree changed to $SRC: emptying $OUT"
		rm -rf "$OUT"
	fi
	mkdir -p "$OUT/logs" "$OUT/validate"
	echo "$SRC" >"$OUT/.srctree"
}

configure() {
	grep -qx 'CONFIG_ARCH_ROCKCHIP=y' "$OUT/.config" 2>/dev/null && return
	tnote "minimal arm64 config with ARCH_ROCKCHIP"
	echo 'CONFIG_ARCH_ROCKCHIP=y' >"$OUT/rockchip.config"
	step config kmake KCONFIG_ALLCONFIG="$OUT/rockchip.config" allnoconfig
	grep -qx 'CONFIG_ARCH_ROCKCHIP=y' "$OUT/.config" ||
		die "CONFIG_ARCH_ROCKCHIP=y did not stick in $OUT/.config"
}

# The processed binding schema and the board DTBs, in one make run so that
# they build side by side; both stay cached in $OUT. The DTBs get -@ (kbuild
# appends DTC_FLAGS from the environment to its own flags). Without a schema
# nothing can be checked; a board whose DTB fails to build fails on its own
# later, the log is shown here.
build_kernel_side() {
	local b targets=() log=$OUT/logs/make.log
	for b in "$@"; do targets+=("rockchip/$b.dtb"); done
	tnote "make: processed binding schema, board DTBs $*"
	if ! DTC_FLAGS=-@ kmake -k dt_binding_schemas "${targets[@]}" \
			>"$log" 2>&1; then
		echo "error: make failed; its log ($log):" >&2
		tail -n 60 "$log" >&2
	fi
	[ -s "$SCHEMA" ] || die "dt_binding_schemas did not produce $SCHEMA"
}

# ---------------------------------------------------------------- checks

# A check "job" is one overlay applied to one board, built in its own
# directory: $dir/<board>-npu.dts (preprocessed: plain dtc input, usable with
# armbian-add-overlay), $dir/<board>-npu.dtbo, $dir/<board>.dtb (merged) and
# $dir/reasons (empty when it passes).
JOB_NAME=()
JOB_BOARD=()
JOB_DTSO=()
JOB_DIR=()

add_job() {
	JOB_NAME+=("$1"); JOB_BOARD+=("$2"); JOB_DTSO+=("$3"); JOB_DIR+=("$4")
}

base_dtb() { echo "$OUT/$RKDIR/$1.dtb"; }

fail_reason() { echo "$*" >>"$REASONS"; }

# A tool's error output on one line.
oneline() { tr -s ' \t\n' ' ' <<<"$1" | sed 's/^ //; s/ $//'; }

# Preprocess, compile and apply the overlay of job $1.
merge_job() {
	local b=${JOB_BOARD[$1]} o=${JOB_DTSO[$1]} d=${JOB_DIR[$1]}
	local base err
	base=$(base_dtb "$b")
	REASONS=$d/reasons
	# validate.* stays: it is the cached dt-validate result (see validate).
	mkdir -p "$d"
	rm -f "$d/$b-npu.dts" "$d/$b-npu.dtbo" "$d/$b.dtb"
	: >"$REASONS"
	if [ ! -f "$base" ]; then
		fail_reason "board DTB did not build (see $OUT/logs/make.log)"
		return
	fi
	if ! fdtget -p "$base" /__symbols__ >/dev/null 2>&1; then
		fail_reason "board DTB has no __symbols__ (not built with -@)"
		return
	fi
	if ! err=$("$CPP" -nostdinc -I "$SRC/include" -I "$SRC/arch/arm64/boot/dts" \
			-I "$SRC/scripts/dtc/include-prefixes" -undef -D__DTS__ \
			-x assembler-with-cpp -P -o "$d/$b-npu.dts" "$o" 2>&1) ||
	   [ -n "$err" ]; then
		fail_reason "preprocessing ${o##*/}: $(oneline "$err")"
		return
	fi
	if ! err=$(dtc -@ -I dts -O dtb -o "$d/$b-npu.dtbo" "$d/$b-npu.dts" 2>&1) ||
	   [ -n "$err" ]; then
		fail_reason "dtc on ${o##*/}: $(oneline "$err")"
		return
	fi
	if ! err=$(fdtoverlay -i "$base" -o "$d/$b.dtb" "$d/$b-npu.dtbo" 2>&1); then
		fail_reason "fdtoverlay: $(oneline "$err")"
	fi
}

# dt-validate one DTB into $2.{out,raw,rc}. It runs in the DTB's own
# directory so that board and merged DTB (both named <board>.dtb) produce
# directly comparable messages; continuation lines are folded into the
# message they belong to. A result is kept in the shared cache
# ($CACHE/dt-validate), keyed by the DTB's content, the processed schema's
# and dt-validate's version, so that another checkout (a fresh CI clone)
# validates only what changed. A run that failed is not kept.
validate() {
	local dtb=$1 pre=$2 key rc=0 c
	key=$(validate_key "$dtb")
	c=$CACHE/dt-validate/$(echo "$key" | sha256sum | cut -c1-32)
	rm -f "$pre.key"
	if [ -f "$c/rc" ]; then
		cp "$c/raw" "$pre.raw"
		cp "$c/out" "$pre.out"
		cp "$c/rc" "$pre.rc"
		echo "$key" >"$pre.key"
		return
	fi
	(cd "$(dirname "$dtb")" &&
		dt-validate -m -u "$SRC/$BINDINGS" -p "$SCHEMA" "$(basename "$dtb")") \
		>"$pre.raw" 2>&1 || rc=$?
	awk '/^[ \t]/ && n { sub(/^[ \t]+/, ""); buf = buf " " $0; next }
	     { if (n) print buf; buf = $0; n = 1 }
	     END { if (n) print buf }' "$pre.raw" | sed 's/[ \t]*$//' >"$pre.out"
	echo "$rc" >"$pre.rc"
	[ "$rc" -eq 0 ] || return 0
	echo "$key" >"$pre.key"
	mkdir -p "$c.tmp.$$"
	cp "$pre.raw" "$c.tmp.$$/raw"
	cp "$pre.out" "$c.tmp.$$/out"
	cp "$pre.rc" "$c.tmp.$$/rc"
	mv -T "$c.tmp.$$" "$c" 2>/dev/null || rm -rf "$c.tmp.$$"
}

validate_key() { echo "$VALIDATE_KEY $(sha256sum <"$1")"; }

# Validate the given "dtb prefix" pairs, $JOBS at a time, skipping those
# whose result for the same DTB and schema is already there.
validate_all() {
	local -a pairs=("$@") todo=()
	local k n t c=0 key
	# The messages name bindings by their $id, not by path: the processed
	# schema's content stands for the binding tree.
	VALIDATE_KEY="$(sha256sum <"$SCHEMA") $(dt-validate --version 2>&1)"
	for ((k = 0; k < ${#pairs[@]}; k += 2)); do
		key=$(validate_key "${pairs[k]}")
		if [ -f "${pairs[k + 1]}.key" ] && [ "$(cat "${pairs[k + 1]}.key")" = "$key" ]; then
			continue
		fi
		[ -f "$CACHE/dt-validate/$(echo "$key" | sha256sum | cut -c1-32)/rc" ] && c=$((c + 1))
		todo+=("${pairs[k]}" "${pairs[k + 1]}")
	done
	n=$((${#pairs[@]} / 2))
	t=$((${#todo[@]} / 2))
	tnote "dt-validate: $n DTBs, $((t - c)) to validate ($JOBS at a time)," \
		"$c from the shared cache, $((n - t)) unchanged in this checkout"
	for ((k = 0; k < ${#todo[@]}; k += 2)); do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n || true
		done
		validate "${todo[k]}" "${todo[k + 1]}" &
	done
	wait
}

phandle_of_label() {
	local path
	path=$(fdtget -t s "$1" /__symbols__ "$2" 2>/dev/null) || return 1
	fdtget -t u "$1" "$path" phandle 2>/dev/null
}

# Fails if node $2 or one of its parents has a status other than "okay".
node_enabled() {
	local p=$2 st
	while [ -n "$p" ] && [ "$p" != / ]; do
		st=$(fdtget -t s "$1" "$p" status 2>/dev/null) || st=okay
		[ "$st" = okay ] || return 1
		p=${p%/*}
	done
}

# Property $3 of node $2 must be exactly one phandle, the one of label $4.
check_supply() {
	local dtb=$1 path=$2 prop=$3 label=$4 what=$5 v want
	if ! v=$(fdtget -t u "$dtb" "$path" "$prop" 2>/dev/null); then
		fail_reason "fdtget: $what has no $prop"
		return
	fi
	want=$(phandle_of_label "$dtb" "$label") || {
		fail_reason "fdtget: regulator &$label has no phandle in the merged DTB"
		return
	}
	[ "$v" = "$want" ] ||
		fail_reason "fdtget: $what $prop = <$v>, expected <$want> (&$label)"
}

fdtget_checks() {
	local dtb=$1 o=$2 n p st supply sram l
	supply=$(overlay_macro "$o" NPU_SUPPLY)
	sram=$(overlay_macro "$o" NPU_SRAM_SUPPLY)
	# The choice of regulators, as dts/rk3588-npu-enable.dtsi states it.
	[ "$supply" = vdd_npu_s0 ] ||
		fail_reason "rule: NPU_SUPPLY is '$supply', expected vdd_npu_s0"
	if fdtget -t s "$dtb" /__symbols__ vdd_npu_mem_s0 >/dev/null 2>&1; then
		l=vdd_npu_mem_s0
	else
		l=vdd_npu_s0
	fi
	[ "$sram" = "$l" ] ||
		fail_reason "rule: NPU_SRAM_SUPPLY is '$sram', expected $l for this board"
	for l in $supply $sram; do
		p=$(fdtget -t s "$dtb" /__symbols__ "$l" 2>/dev/null) || {
			fail_reason "fdtget: no label $l in the board DTB"
			continue
		}
		node_enabled "$dtb" "$p" ||
			fail_reason "fdtget: regulator $l ($p) or a parent is disabled"
	done
	for n in $NPU_NODES; do
		if ! p=$(fdtget -t s "$dtb" /__symbols__ "$n" 2>/dev/null); then
			fail_reason "fdtget: no label $n"
			continue
		fi
		st=$(fdtget -t s "$dtb" "$p" status 2>/dev/null) || st="(none)"
		[ "$st" = okay ] || fail_reason "fdtget: $n status is \"$st\", not \"okay\""
	done
	for n in $NPU_CORES; do
		p=$(fdtget -t s "$dtb" /__symbols__ "$n" 2>/dev/null) || continue
		check_supply "$dtb" "$p" npu-supply "${supply:-?}" "$n"
		check_supply "$dtb" "$p" sram-supply "${sram:-?}" "$n"
	done
	if p=$(fdtget -t s "$dtb" /__symbols__ pd_npu 2>/dev/null); then
		check_supply "$dtb" "$p" domain-supply "${supply:-?}" pd_npu
	else
		fail_reason "fdtget: no label pd_npu"
	fi
}

# Verdict for job $1: PASS, or FAIL with every reason found.
judge_job() {
	local b=${JOB_BOARD[$1]} o=${JOB_DTSO[$1]} d=${JOB_DIR[$1]}
	local basev=$OUT/validate/$b base merged new p
	REASONS=$d/reasons
	merged=$d/$b.dtb
	if [ ! -s "$REASONS" ]; then
		if [ ! -f "$basev.rc" ] || [ ! -f "$d/validate.rc" ]; then
			fail_reason "dt-validate did not run (see above)"
		elif [ "$(cat "$basev.rc")" != 0 ]; then
			fail_reason "dt-validate failed on the board DTB:" \
				"$(oneline "$(tail -n 3 "$basev.raw")")"
		elif [ "$(cat "$d/validate.rc")" != 0 ]; then
			fail_reason "dt-validate failed on the merged DTB:" \
				"$(oneline "$(tail -n 3 "$d/validate.raw")")"
		else
			new=$(comm -13 <(sort "$basev.out") <(sort "$d/validate.out"))
			if [ -n "$new" ]; then
				fail_reason "dt-validate: $(wc -l <<<"$new") new message(s):"
				# Some messages list hundreds of patterns: cut them short
				# here, the whole text stays in validate.out.
				awk '{ if (length($0) > 400) $0 = substr($0, 1, 400) " [...]"
				       print "    " $0 }' <<<"$new" >>"$REASONS"
				fail_reason "(full dt-validate output: $d/validate.out)"
			fi
		fi
		fdtget_checks "$merged" "$o"
		base=$(base_dtb "$b")
		if p=$(fdtget -t s "$base" /__symbols__ rknn_core_0 2>/dev/null) &&
		   [ "$(fdtget -t s "$base" "$p" status 2>/dev/null ||
			echo okay)" = okay ]; then
			echo "note: $b: the board DTB already enables the NPU;" \
				"this overlay is redundant"
		fi
	fi
	if [ -s "$REASONS" ]; then
		echo "FAIL ${JOB_NAME[$1]}: $(head -n 1 "$REASONS")"
		tail -n +2 "$REASONS" | sed 's/^/      /'
		return 1
	fi
	echo "PASS ${JOB_NAME[$1]}"
}

# Build, merge, validate and judge all jobs; sets PASSED and FAILED.
run_jobs() {
	local i b pairs=() boards=()
	for b in "${JOB_BOARD[@]}"; do
		[[ " ${boards[*]} " == *" $b "* ]] || boards+=("$b")
	done
	prepare_out
	configure
	build_kernel_side "${boards[@]}"
	tnote "compiling and applying ${#JOB_NAME[@]} overlay(s)"
	for i in "${!JOB_NAME[@]}"; do
		merge_job "$i"
	done
	for b in "${boards[@]}"; do
		if [ -f "$(base_dtb "$b")" ]; then
			pairs+=("$(base_dtb "$b")" "$OUT/validate/$b")
		fi
	done
	for i in "${!JOB_NAME[@]}"; do
		if [ ! -s "${JOB_DIR[$i]}/reasons" ]; then
			pairs+=("${JOB_DIR[$i]}/${JOB_BOARD[$i]}.dtb" "${JOB_DIR[$i]}/validate")
		fi
	done
	[ ${#pairs[@]} -eq 0 ] || validate_all "${pairs[@]}"
	PASSED=0
	FAILED=0
	for i in "${!JOB_NAME[@]}"; do
		if judge_job "$i"; then
			PASSED=$((PASSED + 1))
		else
			FAILED=$((FAILED + 1))
		fi
	done
}

# ---------------------------------------------------------------- self-test

self_test() {
	local b=$1 d=$OUT/selftest/$b-no-sram f broken
	[ -f "$(overlay_of "$b")" ] || die "no overlay for $b"
	rm -rf "$d"
	mkdir -p "$d"
	# The copy: the board overlay and the shared include(s) beside it, with
	# every sram-supply line removed.
	for f in "$(overlay_of "$b")" "$DTS"/*.dtsi; do
		sed '/sram-supply/d' "$f" >"$d/${f##*/}"
	done
	grep -q sram-supply "$(overlay_of "$b")" "$DTS"/*.dtsi ||
		die "self-test: nothing to remove, no sram-supply in the sources"
	! grep -q sram-supply "$d"/* || die "self-test: sram-supply still in $d"
	broken=$d/${b}-npu.dtso

	add_job "$b" "$b" "$(overlay_of "$b")" "$OUT/boards/$b"
	add_job "$b (self-test copy without sram-supply)" "$b" "$broken" "$d/check"
	# Indented: the expected FAIL line is not a failure of this run.
	run_jobs 2>&1 | sed 's/^/    | /' || true
	if [ -s "$OUT/boards/$b/reasons" ]; then
		echo "FAIL dtbs self-test: the intact overlay for $b does not pass, so the" \
			"broken copy proves nothing"
		return 1
	fi
	if [ ! -s "$d/check/reasons" ]; then
		echo "FAIL dtbs self-test: the check PASSED an overlay without sram-supply"
		return 1
	fi
	# Both layers must have seen it on their own.
	if ! grep -q "^    .*'sram-supply' is a required property" \
			"$d/check/reasons"; then
		echo "FAIL dtbs self-test: dt-validate did not report the missing sram-supply"
		return 1
	fi
	if ! grep -q '^fdtget: .* has no sram-supply' "$d/check/reasons"; then
		echo "FAIL dtbs self-test: the fdtget check did not report the" \
			"missing sram-supply"
		return 1
	fi
	echo "PASS dtbs self-test: the copy of ${b}-npu.dtso without sram-supply FAILS" \
		"(dt-validate and fdtget both report it); the intact overlay PASSES"
}

# ---------------------------------------------------------------- main

mode=check
boards=()
while [ $# -gt 0 ]; do
	case $1 in
	--list) mode=list ;;
	--self-test) mode=selftest ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option $1" ;;
	*) boards+=("$(board_name "$1")") ;;
	esac
	shift
done

[ -n "$(all_boards)" ] || die "no overlays in $DTS"
for b in "${boards[@]}"; do
	[ -f "$(overlay_of "$b")" ] ||
		die "no overlay for board '$b' (scripts/dtbs.sh --list; dts/README.md)"
done

case $mode in
list)
	list_overlays
	exit 0
	;;
selftest)
	need_tools
	pick_source
	b=${boards[0]:-rk3588s-rock-5a}
	[ -f "$(overlay_of "$b")" ] || b=$(all_boards | head -n 1)
	tnote "self-test on $b with kernel tree $SRC"
	self_test "$b"
	exit
	;;
esac

need_tools
pick_source
[ ${#boards[@]} -gt 0 ] || mapfile -t boards < <(all_boards)
tnote "${#boards[@]} board(s), kernel tree $SRC"
for b in "${boards[@]}"; do
	add_job "$b" "$b" "$(overlay_of "$b")" "$OUT/boards/$b"
done
run_jobs
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
