#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the NPU-enable overlays in dts/, apply each one to its board's DTB
# from two kernels, the base (7.3) and the second base (7.2,
# config/second-base.env), and check the result. Per kernel:
#
#  1. kbuild builds every rk3588* DTB of the tree (O= directory, with -@ so
#     that the overlays' label references resolve), composites included;
#  2. a DTB that enables the NPU without an overlay in dts/ fails;
#  3. each overlay is preprocessed and compiled the way kbuild handles .dtso;
#  4. it is applied with fdtoverlay to its board's DTB and to the DTBs kbuild
#     builds from that one (composites). When that DTB already enables the
#     NPU (upstream's own enablement), the overlay is applied to the DTB
#     without it instead ("before": scripts/npu-dt.py strip) and the result
#     must equal upstream's DTB: every property of the NPU nodes, phandles
#     resolved to node paths (npu-dt.py compare), and the tree as a whole;
#  5. dt-validate must report nothing on the merged DTB that it does not
#     already report on the DTB it was applied to (for upstream's
#     enablement, with the schemas of the nodes the overlay changes only:
#     VALIDATE_LIMIT);
#  6. fdtget: all three NPU cores and their three IOMMUs are "okay", every
#     core has npu-supply and sram-supply, and these and the power domain's
#     domain-supply point at the regulators the overlay names; for a board
#     that no kernel enables upstream, these follow the rule stated in
#     dts/rk3588-npu-enable.dtsi; for one that 7.3 enables, the 7.2 result
#     has the status and supplies of 7.3's DTB.
#
# A board absent from a kernel is reported as SKIP; one whose DT lacks what
# the overlay needs (a label) FAILs.
#
# Then the opt-in SoC-level overlay dts/rk3588-npu-iommu-v1.dtso, which
# gives a stock DTB the series' compatible for the NPU MMUs, is applied to
# the stock DTBs of a few boards (the pinned base's tree, which is 7.3
# without the series, and 7.2's), after the board overlay where they leave
# the NPU off, and the result must be the series' own DTB (see
# check_iommu_overlay).
#
# Usage: scripts/dtbs.sh [--kernel 7.3|7.2] [BOARD...]
#                                       check all overlays, or only these, on
#                                       both kernels or one
#        scripts/dtbs.sh --list         board -> overlay table
#        scripts/dtbs.sh --self-test    prove the check can fail: a copy of
#                                       rk3588s-rock-5a's overlay without
#                                       sram-supply and a copy of
#                                       rk3588-rock-5-itx's naming the wrong
#                                       regulator must FAIL while the intact
#                                       ones PASS (7.3 only); the same for
#                                       two broken copies of the IOMMU overlay
#        scripts/dtbs.sh --iommu        only the IOMMU overlay's check, on the
#                                       7.3 DTBs of an earlier run
#
# BOARD is a DTB name such as rk3588s-rock-5a. Output goes to $BUILD/out-dtbs
# (7.3) and $BUILD/out-dtbs-7.2 (build/ by default): boards/<dtb>/ holds
# <board>-npu.dtbo, the preprocessed <board>-npu.dts, the merged <dtb>.dtb
# and, for a board enabled upstream, before/<dtb>.dtb. The IOMMU overlay's
# check works in $BUILD/out-dtbs-stock: check/<board>/<kernel>-npu-{off,on}/
# holds before/<dtb>.dtb (the stock DTB as its user has it) and <dtb>.dtb
# (with the IOMMU overlay).
# Environment: JOBS (parallel jobs, default: number of CPUs), CPP (default cpp).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DTS=$TOP/dts
RKDIR=arch/arm64/boot/dts/rockchip
BINDINGS=Documentation/devicetree/bindings
JOBS=${JOBS:-$(nproc)}
CPP=${CPP:-cpp}
NPU_NODES="rknn_core_0 rknn_core_1 rknn_core_2 rknn_mmu_0 rknn_mmu_1 rknn_mmu_2"
NPU_CORES="rknn_core_0 rknn_core_1 rknn_core_2"
# The schemas that apply to the nodes an overlay changes: the NPU cores,
# their IOMMUs, the power domains (pd_npu is a child of the power
# controller) and dtschema's core schema (property types, status). On a
# board enabled upstream the merged DTB is upstream's own, tree for tree
# (checked below), so dt-validate there is limited to these, which takes a
# fraction of the time (dt-validate -l): a message elsewhere could only be
# upstream's, and the same with and without the overlay.
VALIDATE_LIMIT=npu/rockchip,rk3588-rknn-core.yaml:iommu/rockchip,iommu.yaml
VALIDATE_LIMIT=$VALIDATE_LIMIT:power/rockchip,power-controller.yaml:schemas/dt-core.yaml
PATH=$CACHE/venv/bin:$PATH
NPU_DT=("$CACHE/venv/bin/python3" "$TOP/scripts/npu-dt.py")
# Stable sort order for comparing dt-validate output.
LC_ALL=C
export PATH LC_ALL
# The kernels, in the order they are checked: 7.3 first, its DTBs are the
# reference for 7.2.
KERNELS="7.3 7.2"
OUT73=$BUILD/out-dtbs

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

# Value of macro $2 as the preprocessor sees it in overlay $1 ("" when it
# is defined empty); fails when it is not defined.
overlay_macro() {
	"$CPP" -nostdinc -undef -D__DTS__ -x assembler-with-cpp -dM "$1" |
		awk -v m="$2" '$1 == "#define" && $2 == m { print $3; f = 1 } END { exit !f }'
}

list_overlays() {
	local b o dom
	printf '%-31s %-44s %-11s %-15s %s\n' BOARD OVERLAY NPU_SUPPLY NPU_SRAM_SUPPLY \
		DOMAIN_SUPPLY
	for b in $(all_boards); do
		o=$(overlay_of "$b")
		dom=$(overlay_macro "$o" NPU_SUPPLY)
		overlay_macro "$o" NPU_NO_DOMAIN_SUPPLY >/dev/null && dom=none
		printf '%-31s %-44s %-11s %-15s %s\n' "$b" "dts/${o##*/}" \
			"$(overlay_macro "$o" NPU_SUPPLY)" \
			"$(overlay_macro "$o" NPU_SRAM_SUPPLY)" "$dom"
	done
}

# ---------------------------------------------------------------- kernel side

need_tools() {
	local t missing=
	for t in make "$CPP" "${CROSS_COMPILE}gcc" dtc fdtoverlay fdtget \
		 dt-validate dt-mk-schema sha256sum; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	"${NPU_DT[0]}" -c 'import libfdt' 2>/dev/null || missing="$missing pylibfdt(venv)"
	[ -z "$missing" ] || die "missing tools:$missing (see scripts/setup-host.sh)"
}

# The 7.3 tree: the patched one when it exists, else the pinned base.
source_73() {
	if [ -f "$KSRC/Makefile" ] && [ -d "$KSRC/$RKDIR" ]; then
		echo "$KSRC"
	elif [ -f "$BASE_GIT/Makefile" ] && [ -d "$BASE_GIT/$RKDIR" ]; then
		echo "$BASE_GIT"
	else
		die "no kernel tree at $KSRC or $BASE_GIT (run scripts/fetch-base.sh)"
	fi
}

# Select kernel $1: SRC, OUT, SCHEMA and KVER (the tree's version).
use_kernel() {
	KLABEL=$1
	case $1 in
	7.3) SRC=$(source_73); OUT=$OUT73 ;;
	7.2) SRC=$("$TOP/scripts/fetch-second-base.sh"); OUT=$BUILD/out-dtbs-7.2 ;;
	*) die "unknown kernel $1 (7.3 or 7.2)" ;;
	esac
	SCHEMA=$OUT/$BINDINGS/processed-schema.json
	KVER=$(make -s -C "$SRC" kernelversion 2>/dev/null)
	case $KVER in
	"$1"|"$1".*) ;;
	*) die "the $1 tree $SRC is Linux '$KVER'" ;;
	esac
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
	tnote "$KLABEL: minimal arm64 config with ARCH_ROCKCHIP"
	echo 'CONFIG_ARCH_ROCKCHIP=y' >"$OUT/rockchip.config"
	step config kmake KCONFIG_ALLCONFIG="$OUT/rockchip.config" allnoconfig
	grep -qx 'CONFIG_ARCH_ROCKCHIP=y' "$OUT/.config" ||
		die "CONFIG_ARCH_ROCKCHIP=y did not stick in $OUT/.config"
}

# The rk3588* DTBs the tree's rockchip Makefile builds, one a line:
# "dtb NAME" for each, and "composite NAME BASE" for those kbuild makes by
# applying its own overlays to BASE.
tree_dtbs() {
	awk '{ line = $0
	       while (line ~ /\\$/ && (getline nxt) > 0) {
		       sub(/\\$/, "", line); line = line " " nxt
	       } }
	     line ~ /^dtb-.*\+=[ \t]*rk3588[^ \t]*\.dtb[ \t]*$/ {
		     n = line; sub(/.*\+=[ \t]*/, "", n); sub(/\.dtb[ \t]*$/, "", n)
		     print "dtb", n }
	     line ~ /^rk3588[^ \t]*-dtbs[ \t]*:=/ {
		     split(line, w, /[ \t:=]+/); c = w[1]; sub(/-dtbs$/, "", c)
		     b = w[2]; sub(/\.dtb$/, "", b); print "composite", c, b }' \
		"$SRC/$RKDIR/Makefile"
}

# The processed binding schema and the DTBs, in one make run so that they
# build side by side; both stay cached in $OUT. The DTBs get -@ (kbuild
# appends DTC_FLAGS from the environment to its own flags). Without a schema
# nothing can be checked; a DTB that fails to build fails on its own later,
# the log is shown here.
#
# Composite DTBs go in a second run, one top-level target at a time: the
# top-level Makefile hands each %.dtb goal to a sub-make of its own, and two
# sub-makes running side by side both (re)build an overlay that two
# composites share (rk3588-edgeble-neu6a-wifi.dtbo for neu6a-wifi and
# neu6b-wifi), one reading it while the other writes it ("Couldn't open
# blob"). There are few composites; building them one by one costs seconds.
build_kernel_side() {
	local b kind name base targets=() later=() log=$OUT/logs/make.log rc=0
	local -A composite=()
	while read -r kind name base; do
		[ "$kind" != composite ] || composite[$name]=1
	done < <(tree_dtbs)
	for b in "$@"; do
		if [ -n "${composite[$b]:-}" ]; then
			later+=("rockchip/$b.dtb")
		else
			targets+=("rockchip/$b.dtb")
		fi
	done
	local cached
	cached=$CACHE/dt-schema/$(schema_key | sha256sum | cut -c1-32).json
	if [ -s "$cached" ]; then
		# The processed schema of the same bindings, made by another
		# checkout: only the DTBs are built here.
		mkdir -p "${SCHEMA%/*}"
		cp "$cached" "$SCHEMA"
		tnote "$KLABEL: make: $# DTBs (processed binding schema from the shared cache)"
	else
		targets+=(dt_binding_schemas)
		tnote "$KLABEL: make: processed binding schema, $# DTBs"
	fi
	DTC_FLAGS=-@ kmake -k "${targets[@]}" >"$log" 2>&1 || rc=1
	if [ ${#later[@]} -gt 0 ]; then
		DTC_FLAGS=-@ kmake -k -j1 "${later[@]}" >>"$log" 2>&1 || rc=1
	fi
	if [ $rc != 0 ]; then
		echo "error: make failed; its log ($log):" >&2
		tail -n 60 "$log" >&2
	fi
	[ -s "$SCHEMA" ] || die "dt_binding_schemas did not produce $SCHEMA"
	if [ ! -s "$cached" ]; then
		mkdir -p "${cached%/*}"
		cp "$SCHEMA" "$cached.$$" && mv "$cached.$$" "$cached"
	fi
}

# What the processed schema is made of: every binding source of the tree
# (paths and contents) and dtschema's version. Keys the shared caches of
# processed schemas and of dt-validate results.
schema_key() {
	echo "bindings $( (cd "$SRC/$BINDINGS" && find . -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum) | sha256sum | cut -c1-64) dtschema $(dt-validate --version 2>&1)"
}

# ---------------------------------------------------------------- checks

# A check "job" is one overlay applied to one DTB of one kernel, built in its
# own directory: $dir/<board>-npu.dts (preprocessed: plain dtc input, usable
# with armbian-add-overlay), $dir/<board>-npu.dtbo, $dir/<dtb>.dtb (merged),
# for a DTB enabled upstream $dir/before/<dtb>.dtb, and $dir/reasons (empty
# when it passes). JOB_REF is the DTB the merged one must equal (upstream's
# enablement), JOB_REF73 the 7.3 DTB whose NPU status and supplies a 7.2
# result must have, JOB_RULE 1 when the supplies follow the rule by analogy,
# JOB_LIMIT the schemas dt-validate uses ("-": all; see VALIDATE_LIMIT).
JOB_NAME=() JOB_DTB=() JOB_DTSO=() JOB_DIR=() JOB_BASE=() JOB_BASEV=()
JOB_REF=() JOB_REF73=() JOB_RULE=() JOB_LIMIT=()

# add_job NAME DTB OVERLAY DIR
add_job() {
	JOB_NAME+=("$1"); JOB_DTB+=("$2"); JOB_DTSO+=("$3"); JOB_DIR+=("$4")
	JOB_BASE+=(""); JOB_BASEV+=(""); JOB_REF+=(""); JOB_REF73+=(""); JOB_RULE+=(1)
	JOB_LIMIT+=(-)
}

clear_jobs() {
	JOB_NAME=() JOB_DTB=() JOB_DTSO=() JOB_DIR=() JOB_BASE=() JOB_BASEV=()
	JOB_REF=() JOB_REF73=() JOB_RULE=() JOB_LIMIT=()
}

tree_dtb() { echo "$OUT/$RKDIR/$1.dtb"; }

fail_reason() { echo "$*" >>"$REASONS"; }

# A tool's error output on one line.
oneline() { tr -s ' \t\n' ' ' <<<"$1" | sed 's/^ //; s/ $//'; }

npu_state() { "${NPU_DT[@]}" state "$1" 2>/dev/null || echo unreadable; }

# Preprocess and compile overlay $1 into $2 (.dts next to it); on failure,
# a reason into $REASONS.
compile_overlay() {
	local o=$1 dtbo=$2 err
	if ! err=$("$CPP" -nostdinc -I "$SRC/include" -I "$SRC/arch/arm64/boot/dts" \
			-I "$SRC/scripts/dtc/include-prefixes" -undef -D__DTS__ \
			-x assembler-with-cpp -P -o "${dtbo%.dtbo}.dts" "$o" 2>&1) ||
	   [ -n "$err" ]; then
		fail_reason "preprocessing ${o##*/}: $(oneline "$err")"
		return 1
	fi
	if ! err=$(dtc -@ -I dts -O dtb -o "$dtbo" "${dtbo%.dtbo}.dts" 2>&1) ||
	   [ -n "$err" ]; then
		fail_reason "dtc on ${o##*/}: $(oneline "$err")"
		return 1
	fi
}

# Find what job $1 applies its overlay to, then preprocess, compile and
# apply it.
merge_job() {
	local dtb=${JOB_DTB[$1]} o=${JOB_DTSO[$1]} d=${JOB_DIR[$1]}
	local b tree base st err ref73
	b=$(board_name "$o")
	tree=$(tree_dtb "$dtb")
	REASONS=$d/reasons
	# validate.* stays: it is the cached dt-validate result (see validate).
	mkdir -p "$d"
	rm -rf "$d/$b-npu.dts" "$d/$b-npu.dtbo" "$d/$dtb.dtb" "$d/before/$dtb.dtb"
	: >"$REASONS"
	if [ ! -f "$tree" ]; then
		fail_reason "DTB did not build (see $OUT/logs/make.log)"
		return
	fi
	if ! fdtget -p "$tree" /__symbols__ >/dev/null 2>&1; then
		fail_reason "DTB has no __symbols__ (not built with -@)"
		return
	fi
	# When this kernel or 7.3 enables the board upstream, its supplies are
	# upstream's choice, not the rule's.
	st=$(npu_state "$tree")
	ref73=$OUT73/$RKDIR/$dtb.dtb
	if [ "$st" = enabled ] ||
	   { [ "$KLABEL" != 7.3 ] && [ "$(npu_state "$ref73")" = enabled ]; }; then
		JOB_RULE[$1]=0
	fi
	case $st in
	enabled)
		# Upstream's enablement: the overlay goes onto the DTB without it.
		mkdir -p "$d/before"
		base=$d/before/$dtb.dtb
		if ! err=$("${NPU_DT[@]}" strip "$tree" "$base" 2>&1); then
			fail_reason "npu-dt.py strip: $(oneline "$err")"
			return
		fi
		JOB_BASE[$1]=$base
		JOB_BASEV[$1]=$d/before/validate
		JOB_REF[$1]=$tree
		JOB_LIMIT[$1]=$VALIDATE_LIMIT
		;;
	disabled)
		JOB_BASE[$1]=$tree
		JOB_BASEV[$1]=$OUT/validate/$dtb
		[ "$KLABEL" = 7.3 ] || [ "${JOB_RULE[$1]}" = 1 ] || JOB_REF73[$1]=$ref73
		;;
	*)
		fail_reason "the NPU nodes of this DTB are $st (expected all" \
			"disabled, or all enabled by upstream)"
		return
		;;
	esac
	base=${JOB_BASE[$1]}
	compile_overlay "$o" "$d/$b-npu.dtbo" || return 0
	if ! err=$(fdtoverlay -i "$base" -o "$d/$dtb.dtb" "$d/$b-npu.dtbo" 2>&1); then
		fail_reason "fdtoverlay: $(oneline "$err")"
	fi
}

# dt-validate one DTB into $2.{out,raw,rc}, against every schema or, when
# $3 is not "-", only those whose $id matches $3 (dt-validate -l). It runs
# in the DTB's own directory so that board and merged DTB (both named
# <board>.dtb) produce directly comparable messages; continuation lines are
# folded into the message they belong to. A result is kept in the shared
# cache ($CACHE/dt-validate), keyed by the DTB's content, the processed
# schema's and dt-validate's version and the limit, so that another
# checkout (a fresh CI clone) validates only what changed. A run that
# failed is not kept.
validate() {
	local dtb=$1 pre=$2 limit=$3 key rc=0 c
	local -a lim=()
	[ "$limit" = - ] || lim=(-l "$limit")
	key=$(validate_key "$dtb" "$limit")
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
		dt-validate -m "${lim[@]}" -u "$SRC/$BINDINGS" -p "$SCHEMA" "$(basename "$dtb")") \
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

# The whole tree ("-") keeps the key it had before limits existed.
validate_key() {
	if [ "$2" = - ]; then
		echo "$VALIDATE_KEY $(sha256sum <"$1")"
	else
		echo "$VALIDATE_KEY $(sha256sum <"$1") limit $2"
	fi
}

# Validate the given "dtb prefix limit" triples, $JOBS at a time, skipping
# those whose result for the same DTB, schema and limit is already there.
validate_all() {
	local -a trip=("$@") todo=()
	local k n t c=0 key
	# The binding sources and dtschema's version stand for the processed
	# schema, which dt-mk-schema does not write byte for byte the same
	# twice; the messages name bindings by their $id, not by path.
	VALIDATE_KEY=$(schema_key)
	for ((k = 0; k < ${#trip[@]}; k += 3)); do
		key=$(validate_key "${trip[k]}" "${trip[k + 2]}")
		if [ -f "${trip[k + 1]}.key" ] && [ "$(cat "${trip[k + 1]}.key")" = "$key" ]; then
			continue
		fi
		[ -f "$CACHE/dt-validate/$(echo "$key" | sha256sum | cut -c1-32)/rc" ] && c=$((c + 1))
		todo+=("${trip[k]}" "${trip[k + 1]}" "${trip[k + 2]}")
	done
	n=$((${#trip[@]} / 3))
	t=$((${#todo[@]} / 3))
	tnote "$KLABEL: dt-validate: $n DTBs, $((t - c)) to validate ($JOBS at a time)," \
		"$c from the shared cache, $((n - t)) unchanged in this checkout"
	for ((k = 0; k < ${#todo[@]}; k += 3)); do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n || true
		done
		validate "${todo[k]}" "${todo[k + 1]}" "${todo[k + 2]}" &
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


# fdtget checks of merged DTB $1 of job $2.
fdtget_checks() {
	local dtb=$1 j=$2 o=${JOB_DTSO[$2]} n p st supply sram l nodomain=0
	supply=$(overlay_macro "$o" NPU_SUPPLY) || supply=
	sram=$(overlay_macro "$o" NPU_SRAM_SUPPLY) || sram=
	overlay_macro "$o" NPU_NO_DOMAIN_SUPPLY >/dev/null && nodomain=1
	if [ "${JOB_RULE[$j]}" = 1 ]; then
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
		[ $nodomain = 0 ] ||
			fail_reason "rule: NPU_NO_DOMAIN_SUPPLY is only for boards enabled upstream that way"
	fi
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
	if ! p=$(fdtget -t s "$dtb" /__symbols__ pd_npu 2>/dev/null); then
		fail_reason "fdtget: no label pd_npu"
	elif [ $nodomain = 0 ]; then
		check_supply "$dtb" "$p" domain-supply "${supply:-?}" pd_npu
	elif fdtget "$dtb" "$p" domain-supply >/dev/null 2>&1; then
		fail_reason "fdtget: pd_npu has a domain-supply, the overlay sets none"
	fi
}

# Comparison of merged DTB $2 with reference $3 (npu-dt.py compare, extra
# arguments $4...): one reason $1, then each difference indented.
compare_reasons() {
	local what=$1 out rc=0
	shift
	out=$("${NPU_DT[@]}" compare "$@" 2>&1) || rc=$?
	[ $rc -eq 0 ] && return
	fail_reason "$what (npu-dt.py compare: merged; reference):"
	sed 's/^/    /' <<<"$out" >>"$REASONS"
}

# The whole tree as dtc prints it with nodes and properties sorted.
sorted_dts() { dtc -q -s -I dtb -O dts "$1"; }

# Verdict for job $1: PASS, or FAIL with every reason found.
judge_job() {
	local dtb=${JOB_DTB[$1]} d=${JOB_DIR[$1]} basev=${JOB_BASEV[$1]}
	local merged new what diff lim=
	REASONS=$d/reasons
	merged=$d/$dtb.dtb
	if [ ! -s "$REASONS" ]; then
		if [ ! -f "$basev.rc" ] || [ ! -f "$d/validate.rc" ]; then
			fail_reason "dt-validate did not run (see above)"
		elif [ "$(cat "$basev.rc")" != 0 ]; then
			fail_reason "dt-validate failed on the DTB the overlay was applied to:" \
				"$(oneline "$(tail -n 3 "$basev.raw")")"
		elif [ "$(cat "$d/validate.rc")" != 0 ]; then
			fail_reason "dt-validate failed on the merged DTB:" \
				"$(oneline "$(tail -n 3 "$d/validate.raw")")"
		else
			new=$(comm -13 <(sort "$basev.out") <(sort "$d/validate.out"))
			if [ -n "$new" ]; then
				[ "${JOB_LIMIT[$1]}" = - ] || lim=" (NPU schemas)"
				fail_reason "dt-validate$lim: $(wc -l <<<"$new") new message(s):"
				# Some messages list hundreds of patterns: cut them short
				# here, the whole text stays in validate.out.
				awk '{ if (length($0) > 400) $0 = substr($0, 1, 400) " [...]"
				       print "    " $0 }' <<<"$new" >>"$REASONS"
				fail_reason "(full dt-validate output: $d/validate.out)"
			fi
		fi
		fdtget_checks "$merged" "$1"
		if [ -n "${JOB_REF[$1]}" ]; then
			compare_reasons "not upstream's enablement" "$merged" "${JOB_REF[$1]}"
			if diff=$(diff <(sorted_dts "${JOB_REF[$1]}") <(sorted_dts "$merged")); then
				:
			else
				fail_reason "the merged DTB differs from upstream's" \
					"(dtc -s, < upstream, > merged):"
				head -n 20 <<<"$diff" | sed 's/^/    /' >>"$REASONS"
			fi
		elif [ -n "${JOB_REF73[$1]}" ]; then
			if [ -f "${JOB_REF73[$1]}" ]; then
				compare_reasons "not what 7.3's enablement sets" "$merged" \
					"${JOB_REF73[$1]}" --props status,npu-supply,sram-supply,domain-supply
			else
				fail_reason "no 7.3 DTB ${JOB_REF73[$1]} to compare with"
			fi
		fi
	fi
	if [ -n "${JOB_REF[$1]}" ]; then
		what="against upstream's enablement in $KLABEL"
	elif [ -n "${JOB_REF73[$1]}" ]; then
		what="against 7.3's enablement"
	else
		what="rule by analogy"
	fi
	if [ -s "$REASONS" ]; then
		echo "FAIL ${JOB_NAME[$1]} on $KLABEL: $(head -n 1 "$REASONS")"
		tail -n +2 "$REASONS" | sed 's/^/      /'
		return 1
	fi
	echo "PASS ${JOB_NAME[$1]} on $KLABEL ($what)"
}

# Build, merge, validate and judge all jobs of the selected kernel; adds to
# PASSED and FAILED. $@: the DTBs to build.
run_jobs() {
	local i trip=() seen=" "
	build_kernel_side "$@"
	tnote "$KLABEL: compiling and applying ${#JOB_NAME[@]} overlay(s)"
	for i in "${!JOB_NAME[@]}"; do
		merge_job "$i"
	done
	for i in "${!JOB_NAME[@]}"; do
		[ ! -s "${JOB_DIR[$i]}/reasons" ] || continue
		if [[ $seen != *" ${JOB_BASEV[$i]} "* ]]; then
			trip+=("${JOB_BASE[$i]}" "${JOB_BASEV[$i]}" "${JOB_LIMIT[$i]}")
			seen="$seen${JOB_BASEV[$i]} "
		fi
		trip+=("${JOB_DIR[$i]}/${JOB_DTB[$i]}.dtb" "${JOB_DIR[$i]}/validate" "${JOB_LIMIT[$i]}")
	done
	[ ${#trip[@]} -eq 0 ] || validate_all "${trip[@]}"
	for i in "${!JOB_NAME[@]}"; do
		if judge_job "$i"; then
			PASSED=$((PASSED + 1))
		else
			FAILED=$((FAILED + 1))
		fi
	done
}

# Check the overlays of boards $2... (all when none is given) on kernel $1.
check_kernel() {
	local k=$1 kind name base b dtb all_dtbs=() absent=() n=0
	local -A has_dtb=() composite_of=()
	shift
	use_kernel "$k"
	tnote "$k: Linux $KVER, tree $SRC"
	prepare_out
	configure
	while read -r kind name base; do
		case $kind in
		dtb) all_dtbs+=("$name"); has_dtb[$name]=1 ;;
		composite) composite_of[$name]=$base ;;
		esac
	done < <(tree_dtbs)
	[ ${#all_dtbs[@]} -gt 0 ] || die "no rk3588 DTB in $SRC/$RKDIR/Makefile"
	clear_jobs
	if [ $# -eq 0 ]; then set -- $(all_boards); fi
	for b in "$@"; do
		if [ -z "${has_dtb[$b]:-}" ]; then
			absent+=("$b")
			continue
		fi
		add_job "$b" "$b" "$(overlay_of "$b")" "$OUT/boards/$b"
		for dtb in $(printf '%s\n' "${!composite_of[@]}" | sort); do
			[ "${composite_of[$dtb]}" = "$b" ] && [ -n "${has_dtb[$dtb]:-}" ] || continue
			add_job "$dtb ($b-npu.dtso)" "$dtb" "$(overlay_of "$b")" "$OUT/boards/$dtb"
		done
	done
	if [ "$ALL" = 1 ]; then
		run_jobs "${all_dtbs[@]}"
		# Every DTB that enables the NPU needs an overlay (its own, or
		# its base's for a composite) for the kernels that lack that.
		for dtb in "${all_dtbs[@]}"; do
			b=${composite_of[$dtb]:-$dtb}
			[ ! -f "$(overlay_of "$b")" ] || continue
			case $(npu_state "$(tree_dtb "$dtb")") in
			disabled|absent) ;;
			unreadable)
				echo "FAIL $dtb on $k: did not build (see $OUT/logs/make.log), so" \
					"whether it enables the NPU is not known"
				FAILED=$((FAILED + 1))
				;;
			*)
				echo "FAIL $dtb on $k: enables the NPU, but dts/ has no overlay for it"
				FAILED=$((FAILED + 1))
				;;
			esac
		done
	else
		# shellcheck disable=SC2046 # DTB names have no blanks
		run_jobs $(printf '%s\n' "${JOB_DTB[@]}" | sort -u)
	fi
	for b in "${absent[@]}"; do
		echo "SKIP $b on $k: Linux $KVER has no $b.dtb"
		SKIPPED=$((SKIPPED + 1))
	done
	n=$(printf '%s\n' "${JOB_DTB[@]}" | sort -u | wc -l)
	tnote "$k: $(($# - ${#absent[@]})) board(s) and $((n - $# + ${#absent[@]}))" \
		"composite DTB(s) checked, ${#absent[@]} board(s) absent"
}

# ---------------------------------------------------------------- IOMMU v1.0 overlay

# The opt-in SoC-level overlay that gives a DTB built without the series the
# series' compatible for the three NPU MMUs (dts/README.md, "The NPU MMUs'
# compatible"). It is checked on the stock DTBs of a few boards: those of
# the pinned base, which is the 7.3 tree without the series, and, when 7.2
# is checked too, 7.2's. Each stock DTB gets what its user would apply: the
# board's NPU overlay where the DTB leaves the NPU off (for a DTB that
# enables it, on the "before" DTB as above), then this overlay; and, where
# the stock DTB enables the NPU, this overlay alone. The result must be the
# series' own DTB of that board (the patched tree's, with the board overlay
# where the patched tree leaves the NPU off): every property of the NPU
# nodes, phandles resolved (npu-dt.py compare), and on 7.3 the whole tree;
# on 7.2 the MMUs' properties only (the rest is 7.2's). dt-validate against
# the patched tree's bindings (its processed schema, VALIDATE_LIMIT) must
# report nothing new on it. The DTB the overlay goes on must not have the
# series' compatible already, or the check would prove nothing.
IOMMU_OVERLAY=$DTS/rk3588-npu-iommu-v1.dtso
# The user's board (enabled upstream in 7.3, off before), the one board
# enabled upstream without a pd_npu domain-supply and with a separate SRAM
# rail, an RK3588S board of the rule by analogy, and one whose 7.2.13 DTB is
# not 7.3's but for the MMUs' compatible (the other three's are, byte for
# byte: their 7.2 checks repeat the 7.3 ones).
IOMMU_BOARDS="rk3588-rock-5-itx rk3588-quartzpro64 rk3588s-rock-5a rk3588s-orangepi-5"
NPU_MMUS=rknn_mmu_0,rknn_mmu_1,rknn_mmu_2
OUTSTOCK=$BUILD/out-dtbs-stock
IJ_NAME=() IJ_DIR=() IJ_DTB=() IJ_INPUT=() IJ_BOARDO=() IJ_IOMMUO=() IJ_REF=() IJ_NODES=()

# add_iommu_job NAME DIR DTB INPUT BOARD_DTBO|- IOMMU_DTBO REFERENCE NODES|-
add_iommu_job() {
	IJ_NAME+=("$1"); IJ_DIR+=("$2"); IJ_DTB+=("$3"); IJ_INPUT+=("$4")
	IJ_BOARDO+=("$5"); IJ_IOMMUO+=("$6"); IJ_REF+=("$7"); IJ_NODES+=("$8")
}

# Job $1: $dir/before/<dtb>.dtb is the stock DTB as its user has it before
# this overlay (with the board's NPU overlay where it leaves the NPU off),
# $dir/<dtb>.dtb that with the IOMMU overlay.
iommu_merge() {
	local d=${IJ_DIR[$1]} dtb=${IJ_DTB[$1]} in=${IJ_INPUT[$1]} bo=${IJ_BOARDO[$1]}
	local before err rc=0
	REASONS=$d/reasons
	mkdir -p "$d/before"
	rm -f "$d/$dtb.dtb" "$d/before/$dtb.dtb" "$d/off.dtb"
	: >"$REASONS"
	before=$d/before/$dtb.dtb
	if [ ! -f "$in" ]; then
		fail_reason "no stock DTB $in (see ${in%%/arch/*}/logs/make.log)"
		return
	fi
	if [ ! -f "${IJ_REF[$1]}" ]; then
		fail_reason "no reference DTB ${IJ_REF[$1]}"
		return
	fi
	if [ "$bo" = - ]; then
		cp "$in" "$before"
	else
		case $(npu_state "$in") in
		enabled)
			if ! err=$("${NPU_DT[@]}" strip "$in" "$d/off.dtb" 2>&1); then
				fail_reason "npu-dt.py strip: $(oneline "$err")"
				return
			fi
			in=$d/off.dtb
			;;
		disabled) ;;
		*)
			fail_reason "the NPU nodes of $in are $(npu_state "$in")"
			return
			;;
		esac
		if ! err=$(fdtoverlay -i "$in" -o "$before" "$bo" 2>&1); then
			fail_reason "fdtoverlay (board overlay): $(oneline "$err")"
			return
		fi
	fi
	"${NPU_DT[@]}" compare "$before" "${IJ_REF[$1]}" --nodes "$NPU_MMUS" \
		--props compatible >/dev/null 2>&1 || rc=$?
	case $rc in
	1) ;;
	0)
		fail_reason "the DTB the overlay goes on already has the series' MMU" \
			"compatible: $in is not a stock DTB"
		return
		;;
	*)
		fail_reason "npu-dt.py compare failed on $before"
		return
		;;
	esac
	if ! err=$(fdtoverlay -i "$before" -o "$d/$dtb.dtb" "${IJ_IOMMUO[$1]}" 2>&1); then
		fail_reason "fdtoverlay: $(oneline "$err")"
	fi
}

iommu_judge() {
	local d=${IJ_DIR[$1]} dtb=${IJ_DTB[$1]} new diff
	local -a nodes=()
	REASONS=$d/reasons
	if [ ! -s "$REASONS" ]; then
		if [ ! -f "$d/before/validate.rc" ] || [ ! -f "$d/validate.rc" ]; then
			fail_reason "dt-validate did not run (see above)"
		elif [ "$(cat "$d/before/validate.rc")" != 0 ] ||
		     [ "$(cat "$d/validate.rc")" != 0 ]; then
			fail_reason "dt-validate failed:" \
				"$(oneline "$(tail -n 3 "$d/validate.raw" "$d/before/validate.raw")")"
		else
			new=$(comm -13 <(sort "$d/before/validate.out") <(sort "$d/validate.out"))
			if [ -n "$new" ]; then
				fail_reason "dt-validate (NPU schemas, the series' bindings):" \
					"$(wc -l <<<"$new") new message(s):"
				awk '{ if (length($0) > 400) $0 = substr($0, 1, 400) " [...]"
				       print "    " $0 }' <<<"$new" >>"$REASONS"
			fi
		fi
		[ "${IJ_NODES[$1]}" = - ] || nodes=(--nodes "${IJ_NODES[$1]}")
		compare_reasons "not the series' DTB" "$d/$dtb.dtb" "${IJ_REF[$1]}" "${nodes[@]}"
		if [ "${IJ_NODES[$1]}" = - ] &&
		   ! diff=$(diff <(sorted_dts "${IJ_REF[$1]}") <(sorted_dts "$d/$dtb.dtb")); then
			fail_reason "the result differs from the series' DTB (dtc -s, < series," \
				"> result):"
			head -n 20 <<<"$diff" | sed 's/^/    /' >>"$REASONS"
		fi
	fi
	if [ -s "$REASONS" ]; then
		echo "FAIL ${IJ_NAME[$1]}: $(head -n 1 "$REASONS")"
		tail -n +2 "$REASONS" | sed 's/^/      /'
		return 1
	fi
	echo "PASS ${IJ_NAME[$1]}"
}

# Check IOMMU overlay $1 (the one in dts/, or a self-test copy) on boards
# $4... on kernels $2 ("7.3" or "7.3 7.2"); job directories under
# $OUTSTOCK/$3. Adds to PASSED and FAILED. Needs the 7.3 run's DTBs and
# processed schema (check_kernel 7.3 for these boards first).
check_iommu_overlay() {
	local ovl=$1 kernels=$2 sub=$3 b i k ref patched stock bo io trip=() d name nodes
	shift 3
	IJ_NAME=() IJ_DIR=() IJ_DTB=() IJ_INPUT=() IJ_BOARDO=() IJ_IOMMUO=() IJ_REF=() IJ_NODES=()
	# The stock 7.3 DTBs: the pinned base's tree, built with -@ like the
	# others, in an O= directory of their own.
	[ -f "$BASE_GIT/Makefile" ] || die "no pinned base tree at $BASE_GIT (scripts/fetch-base.sh)"
	KLABEL="7.3 stock"
	SRC=$BASE_GIT OUT=$OUTSTOCK
	prepare_out
	configure
	tnote "IOMMU v1.0 overlay: stock 7.3 DTBs of $* from $SRC"
	# shellcheck disable=SC2046 # DTB names have no blanks
	DTC_FLAGS=-@ kmake -k $(printf 'rockchip/%s.dtb ' "$@") >"$OUT/logs/make.log" 2>&1 ||
		{ echo "error: make failed; its log ($OUT/logs/make.log):" >&2
		  tail -n 60 "$OUT/logs/make.log" >&2; }
	# Everything else (overlays' includes, bindings, schema) is the
	# series' tree's.
	use_kernel 7.3
	KLABEL="IOMMU v1.0 overlay"
	d=$OUTSTOCK/$sub
	mkdir -p "$d"
	REASONS=$d/compile-reasons
	: >"$REASONS"
	io=$d/${ovl##*/}
	io=${io%.dtso}.dtbo
	if ! compile_overlay "$ovl" "$io"; then
		echo "FAIL ${ovl##*/}: $(cat "$REASONS")"
		FAILED=$((FAILED + 1))
		return
	fi
	for b in "$@"; do
		patched=$(tree_dtb "$b")
		bo=$d/$b/$b-npu.dtbo
		mkdir -p "$d/$b"
		REASONS=$d/$b/compile-reasons
		: >"$REASONS"
		if ! compile_overlay "$(overlay_of "$b")" "$bo"; then
			echo "FAIL ${ovl##*/} with $b: $(cat "$REASONS")"
			FAILED=$((FAILED + 1))
			continue
		fi
		# The series' DTB of this board with the NPU on.
		ref=$patched
		if [ "$(npu_state "$patched")" != enabled ]; then
			ref=$d/$b/series.dtb
			if ! fdtoverlay -i "$patched" -o "$ref" "$bo" >"$REASONS" 2>&1; then
				echo "FAIL ${ovl##*/} with $b: no series DTB to compare with:" \
					"fdtoverlay on $patched: $(oneline "$(cat "$REASONS")")"
				FAILED=$((FAILED + 1))
				continue
			fi
		fi
		for k in $kernels; do
			case $k in
			7.3) stock=$OUTSTOCK/$RKDIR/$b.dtb ;;
			*) stock=$BUILD/out-dtbs-$k/$RKDIR/$b.dtb
			   [ -f "$stock" ] || continue ;;
			esac
			name="${ovl##*/} on $b, stock $k DTB"
			nodes=-
			[ "$k" = 7.3 ] || nodes=$NPU_MMUS
			add_iommu_job "$name with the NPU off, after $b-npu.dtso" \
				"$d/$b/$k-npu-off" "$b" "$stock" "$bo" "$io" "$ref" "$nodes"
			if [ "$(npu_state "$stock")" = enabled ]; then
				add_iommu_job "$name enabling the NPU, alone" \
					"$d/$b/$k-npu-on" "$b" "$stock" - "$io" "$ref" "$nodes"
			fi
		done
	done
	for i in "${!IJ_NAME[@]}"; do
		iommu_merge "$i"
	done
	for i in "${!IJ_NAME[@]}"; do
		[ ! -s "${IJ_DIR[$i]}/reasons" ] || continue
		trip+=("${IJ_DIR[$i]}/before/${IJ_DTB[$i]}.dtb" "${IJ_DIR[$i]}/before/validate"
		       "$VALIDATE_LIMIT" "${IJ_DIR[$i]}/${IJ_DTB[$i]}.dtb" "${IJ_DIR[$i]}/validate"
		       "$VALIDATE_LIMIT")
	done
	[ ${#trip[@]} -eq 0 ] || validate_all "${trip[@]}"
	for i in "${!IJ_NAME[@]}"; do
		if iommu_judge "$i"; then
			PASSED=$((PASSED + 1))
		else
			FAILED=$((FAILED + 1))
		fi
	done
}

# The IOMMU check of a run: boards of IOMMU_BOARDS among those just checked
# on 7.3 ($@; all when none given), on the kernels of the run.
check_iommu() {
	local b sel=() k=
	for b in $IOMMU_BOARDS; do
		if [ $# -eq 0 ] || [[ " $* " == *" $b "* ]]; then sel+=("$b"); fi
	done
	[ ${#sel[@]} -gt 0 ] || return 0
	if [ "$(source_73)" != "$KSRC" ]; then
		echo "SKIP ${IOMMU_OVERLAY##*/}: no kernel tree with the series ($KSRC), whose" \
			"DTBs it is checked against (make kernel)"
		SKIPPED=$((SKIPPED + 1))
		return 0
	fi
	[[ " $kernels " == *" 7.2 "* ]] && k=7.2
	check_iommu_overlay "$IOMMU_OVERLAY" "7.3 $k" check "${sel[@]}"
}

# Self-test of the IOMMU check on rk3588-rock-5-itx: the overlay as it is
# must pass; a copy with "rockchip,rk3568-iommu-v1" alone (valid to the
# binding, but not the series' compatible) must fail by the comparison on
# each MMU; a copy that keeps "rockchip,rk3568-iommu" as a further fallback
# (what would keep a kernel without the series working, and what the
# patches exist to stop) must fail by dt-validate as well.
self_test_iommu() {
	local b=rk3588-rock-5-itx t=$OUTSTOCK/selftest rc=0 c r
	local v1='"rockchip,rk3588-iommu-v1", "rockchip,rk3568-iommu-v1"'
	local mmu='^    &rknn_mmu_[0-2]: compatible = '
	if [ "$(source_73)" != "$KSRC" ]; then
		echo "SKIP dtbs self-test of ${IOMMU_OVERLAY##*/}: no kernel tree with the series ($KSRC)"
		return 0
	fi
	rm -rf "$t"
	mkdir -p "$t/only-rk3568-v1/src" "$t/old-fallback/src"
	sed "s/$v1;/\"rockchip,rk3568-iommu-v1\";/" "$IOMMU_OVERLAY" \
		>"$t/only-rk3568-v1/src/${IOMMU_OVERLAY##*/}"
	sed "s/$v1;/$v1, \"rockchip,rk3568-iommu\";/" "$IOMMU_OVERLAY" \
		>"$t/old-fallback/src/${IOMMU_OVERLAY##*/}"
	for c in only-rk3568-v1 old-fallback; do
		[ "$(diff "$IOMMU_OVERLAY" "$t/$c/src/${IOMMU_OVERLAY##*/}" | grep -c '^>')" = 3 ] ||
			die "self-test: the $c copy of ${IOMMU_OVERLAY##*/} does not change the three MMUs"
	done
	PASSED=0 FAILED=0
	{
		check_iommu_overlay "$IOMMU_OVERLAY" 7.3 selftest/intact "$b"
		for c in only-rk3568-v1 old-fallback; do
			check_iommu_overlay "$t/$c/src/${IOMMU_OVERLAY##*/}" 7.3 "selftest/$c" "$b"
		done
	} 2>&1 | sed 's/^/    | /' || true
	for r in "$t"/intact/"$b"/7.3-npu-{off,on}/reasons; do
		if [ ! -f "$r" ] || [ -s "$r" ]; then
			echo "FAIL dtbs self-test: ${IOMMU_OVERLAY##*/} as it is does not pass on the" \
				"stock $b DTB (${r%/reasons}), so its broken copies prove nothing"
			rc=1
		fi
	done
	for r in "$t"/{only-rk3568-v1,old-fallback}/"$b"/7.3-npu-{off,on}/reasons; do
		[ -s "$r" ] || {
			echo "FAIL dtbs self-test: the check PASSED a broken copy (${r%/reasons})"
			rc=1
		}
	done
	r=$t/only-rk3568-v1/$b/7.3-npu-off/reasons
	if [ -s "$r" ] && [ "$(grep -c "$mmu\"rockchip,rk3568-iommu-v1\"; reference: $v1\$" "$r")" -ne 3 ]; then
		echo "FAIL dtbs self-test: the comparison with the series' DTB did not report" \
			"the MMUs' compatible \"rockchip,rk3568-iommu-v1\" alone on each MMU"
		rc=1
	elif [ -s "$r" ]; then
		echo "PASS dtbs self-test: the copy of ${IOMMU_OVERLAY##*/} with" \
			"\"rockchip,rk3568-iommu-v1\" alone FAILS (the comparison with the series'" \
			"DTB reports each MMU); the overlay as it is PASSES"
	fi
	r=$t/old-fallback/$b/7.3-npu-off/reasons
	if [ -s "$r" ] && [ "$(grep -c '^    [^ ]*\.dtb: iommu@[0-9a-f]* ([^)]*): compatible: ' "$r")" -ne 3 ]; then
		echo "FAIL dtbs self-test: dt-validate did not report the MMUs' compatible with" \
			"\"rockchip,rk3568-iommu\" as a further fallback"
		rc=1
	elif [ -s "$r" ] && [ "$(grep -c "$mmu$v1, \"rockchip,rk3568-iommu\"; reference: $v1\$" "$r")" -ne 3 ]; then
		echo "FAIL dtbs self-test: the comparison with the series' DTB did not report" \
			"the further fallback \"rockchip,rk3568-iommu\" on each MMU"
		rc=1
	elif [ -s "$r" ]; then
		echo "PASS dtbs self-test: the copy of ${IOMMU_OVERLAY##*/} that keeps" \
			"\"rockchip,rk3568-iommu\" as a further fallback FAILS (dt-validate against" \
			"the series' binding and the comparison both report it)"
	fi
	return $rc
}

# ---------------------------------------------------------------- self-test

# A copy of overlay $1 (and the shared include) made by sed script $2 in
# directory $3; prints the copy's path.
broken_copy() {
	local b=$1 script=$2 d=$3 f
	rm -rf "$d"
	mkdir -p "$d"
	for f in "$(overlay_of "$b")" "$DTS"/*.dtsi; do
		sed "$script" "$f" >"$d/${f##*/}"
	done
	cmp -s "$(overlay_of "$b")" "$d/$b-npu.dtso" &&
		cmp -s "$DTS/rk3588-npu-enable.dtsi" "$d/rk3588-npu-enable.dtsi" &&
		die "self-test: sed '$script' changed nothing in the overlay of $b"
	echo "$d/$b-npu.dtso"
}

self_test() {
	local nosram=rk3588s-rock-5a wrong=rk3588-rock-5-itx bad=vdd_gpu_s0
	local d1=$OUT73/selftest/$nosram-no-sram d2=$OUT73/selftest/$wrong-wrong-regulator
	local o1 o2 rc=0
	use_kernel 7.3
	tnote "self-test with kernel tree $SRC"
	prepare_out
	configure
	o1=$(broken_copy "$nosram" '/sram-supply/d' "$d1")
	o2=$(broken_copy "$wrong" "s/^\\(#define NPU_SRAM_SUPPLY[[:space:]]*\\).*/\\1$bad/" "$d2")
	clear_jobs
	add_job "$nosram" "$nosram" "$(overlay_of "$nosram")" "$OUT/boards/$nosram"
	add_job "$nosram (self-test copy without sram-supply)" "$nosram" "$o1" "$d1/check"
	add_job "$wrong" "$wrong" "$(overlay_of "$wrong")" "$OUT/boards/$wrong"
	add_job "$wrong (self-test copy with sram-supply = <&$bad>)" "$wrong" "$o2" "$d2/check"
	PASSED=0 FAILED=0
	# Indented: the expected FAIL lines are not failures of this run.
	run_jobs "$nosram" "$wrong" 2>&1 | sed 's/^/    | /' || true
	fdtget -t s "$(tree_dtb "$wrong")" /__symbols__ "$bad" >/dev/null ||
		die "self-test: $wrong has no regulator $bad to name wrongly"
	for b in "$nosram" "$wrong"; do
		if [ -s "$OUT/boards/$b/reasons" ]; then
			echo "FAIL dtbs self-test: the intact overlay for $b does not pass, so" \
				"its broken copy proves nothing"
			rc=1
		fi
	done
	if [ ! -s "$d1/check/reasons" ]; then
		echo "FAIL dtbs self-test: the check PASSED an overlay without sram-supply"
		rc=1
	elif ! grep -q "^    .*'sram-supply' is a required property" "$d1/check/reasons"; then
		# Both layers must have seen it on their own.
		echo "FAIL dtbs self-test: dt-validate did not report the missing sram-supply"
		rc=1
	elif ! grep -q '^fdtget: .* has no sram-supply' "$d1/check/reasons"; then
		echo "FAIL dtbs self-test: the fdtget check did not report the missing sram-supply"
		rc=1
	else
		echo "PASS dtbs self-test: the copy of $nosram-npu.dtso without sram-supply" \
			"FAILS (dt-validate and fdtget both report it); the intact overlay PASSES"
	fi
	# A valid regulator, only the wrong one: neither dt-validate nor fdtget
	# (which follows the overlay's own macros) can tell; the comparison
	# with upstream's enablement must, on each core.
	if [ ! -s "$d2/check/reasons" ]; then
		echo "FAIL dtbs self-test: the check PASSED an overlay naming $bad for sram-supply"
		rc=1
	elif [ "$(grep -c "^    &rknn_core_[0-2]: sram-supply = <[^>]*[(, ]&$bad[,)][^>]*>; reference: <[^>]*[(, ]&vdd_npu_s0[,)]" \
			"$d2/check/reasons")" -ne 3 ]; then
		echo "FAIL dtbs self-test: the comparison with upstream did not report the" \
			"wrong sram-supply of each core"
		rc=1
	else
		echo "PASS dtbs self-test: the copy of $wrong-npu.dtso naming $bad for" \
			"sram-supply FAILS (the comparison with upstream's enablement reports" \
			"each core); the intact overlay PASSES"
	fi
	return $rc
}

# ---------------------------------------------------------------- main

mode=check
kernels=$KERNELS
boards=()
while [ $# -gt 0 ]; do
	case $1 in
	--list) mode=list ;;
	--self-test) mode=selftest ;;
	--iommu) mode=iommu ;;
	--kernel) kernels=${2:?--kernel needs 7.3 or 7.2}; shift ;;
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
	rc=0
	# The comparison tool on small trees first, then the whole check.
	if out=$("${NPU_DT[0]}" "$TOP/tests/npu-dt/test_npu_dt.py" 2>&1); then
		echo "PASS npu-dt.py unit tests: $(tail -n 3 <<<"$out" | grep -o 'Ran [0-9]* tests')"
	else
		sed 's/^/    | /' <<<"$out"
		echo "FAIL npu-dt.py unit tests (tests/npu-dt/test_npu_dt.py)"
		rc=1
	fi
	self_test || rc=1
	self_test_iommu || rc=1
	exit $rc
	;;
iommu)
	need_tools
	PASSED=0 FAILED=0 SKIPPED=0
	check_iommu "${boards[@]}"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
	exit
	;;
esac

need_tools
ALL=1
[ ${#boards[@]} -eq 0 ] || ALL=0
PASSED=0 FAILED=0 SKIPPED=0
for k in $kernels; do
	check_kernel "$k" "${boards[@]}"
done
if [[ " $kernels " == *" 7.3 "* ]]; then
	check_iommu "${boards[@]}"
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
