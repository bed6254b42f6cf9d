#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Rockchip IOMMU binding and the devicetrees of the SoCs whose IOMMUs the
# series describes (RK3566/RK3568, RK3582/RK3588) against it, in the series'
# kernel tree:
#
#  1. make dt_binding_check DT_SCHEMA_FILES=rockchip,iommu.yaml: the schema
#     (dt-doc-validate, yamllint, style) and its example; any message fails;
#  2. make dtbs_check with DT_SCHEMA_FILES=rockchip,iommu.yaml for every
#     rk3566*, rk3568*, rk3582* and rk3588* DTB of the kernel's rockchip
#     Makefile: any dt-validate message, and any message that names an
#     IOMMU, fails the board; other dtc warnings are shown as notes.
#
# Both steps rerun every check: kbuild prints its messages only when it
# rebuilds, so the stamps, examples and DTBs of the last run are removed
# first. The O= directory ($BUILD/out-iommu-dt) keeps dtc and the processed
# schema between runs.
# Environment: JOBS (parallel jobs, default: number of CPUs).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT=$BUILD/out-iommu-dt
RKDIR=arch/arm64/boot/dts/rockchip
BINDINGS=Documentation/devicetree/bindings
SCHEMA_FILE=rockchip,iommu.yaml
JOBS=${JOBS:-$(nproc)}
PATH=$CACHE/venv/bin:$PATH
LC_ALL=C
export PATH LC_ALL

[ -f "$KSRC/Makefile" ] || die "no kernel tree: run 'make kernel' first"
for t in make "${CROSS_COMPILE}gcc" dt-validate dt-doc-validate yamllint; do
	command -v "$t" >/dev/null || die "missing tool $t (see scripts/setup-host.sh)"
done

# kmake JOBS [make arguments...]
kmake() {
	local j=$1
	shift
	make -s -C "$KSRC" O="$OUT" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		-j"$j" DT_SCHEMA_FILES="$SCHEMA_FILE" "$@"
}

# Every line of $1, indented, to show what failed.
show() { sed 's/^/      /' "$1"; }

fail=0
mkdir -p "$OUT/logs"
# The DTB targets need a configuration that builds the rockchip DTBs.
if ! grep -qx 'CONFIG_ARCH_ROCKCHIP=y' "$OUT/.config" 2>/dev/null; then
	echo 'CONFIG_ARCH_ROCKCHIP=y' >"$OUT/rockchip.config"
	kmake "$JOBS" KCONFIG_ALLCONFIG="$OUT/rockchip.config" allnoconfig \
		>"$OUT/logs/config.log" 2>&1 || { cat "$OUT/logs/config.log"; die "allnoconfig failed"; }
fi

# ---------------------------------------------------------------- binding

log=$OUT/logs/dt_binding_check.log
rm -f "$OUT/$BINDINGS"/.dt-binding.checked "$OUT/$BINDINGS"/.yamllint.checked \
	"$OUT/$BINDINGS"/.dt-style.checked "$OUT/$BINDINGS"/iommu/rockchip,iommu.example.*
# One job: with make 4.3 the style checker cannot reach the jobserver of a
# parallel make and says so, which would read as a message here. The
# schema is one file; only the processed schema (one command) takes time.
rc=0
kmake 1 dt_binding_check >"$log" 2>&1 || rc=$?
if [ $rc -ne 0 ] || [ -s "$log" ]; then
	echo "FAIL dt_binding_check $SCHEMA_FILE (make exit $rc):"
	show "$log"
	fail=1
elif [ ! -f "$OUT/$BINDINGS/iommu/rockchip,iommu.example.dtb" ]; then
	echo "FAIL dt_binding_check $SCHEMA_FILE: the example was not checked"
	fail=1
else
	echo "PASS dt_binding_check $SCHEMA_FILE"
fi

# ---------------------------------------------------------------- DTBs

mapfile -t boards < <(sed -nE 's/^dtb-\$\(CONFIG_ARCH_ROCKCHIP\) \+= (rk35(6[68]|8[28])[^ ]*)\.dtb$/\1/p' \
	"$KSRC/$RKDIR/Makefile" | sort -u)
# Each SoC must have DTBs: a Makefile that lost them must not pass unseen.
for soc in rk3566 rk3568 rk3582 rk3588; do
	printf '%s\n' "${boards[@]}" | grep -q "^$soc" || die "no $soc DTBs in $RKDIR/Makefile"
done

# A DTB made of a board DTB and overlays ("<name>-dtbs :=" in the Makefile)
# builds its board DTB in a make of its own: were both built at once, two
# makes would write the same file. Board DTBs go first, in parallel, then the
# composed ones, one at a time.
log=$OUT/logs/dtbs_check.log
plain=() composed=()
for b in "${boards[@]}"; do
	if grep -q "^$b-dtbs *:=" "$KSRC/$RKDIR/Makefile"; then
		composed+=("rockchip/$b.dtb")
	else
		plain+=("rockchip/$b.dtb")
	fi
	rm -f "$OUT/$RKDIR/$b.dtb"
done
rc=0
kmake "$JOBS" CHECK_DTBS=y "${plain[@]}" >"$log" 2>&1 || rc=$?
if [ $rc -eq 0 ] && [ ${#composed[@]} -gt 0 ]; then
	kmake 1 CHECK_DTBS=y "${composed[@]}" >>"$log" 2>&1 || rc=$?
fi
if [ $rc -ne 0 ]; then
	echo "FAIL dtbs_check: make exit $rc:"
	show "$log"
	fail=1
fi

# dt-validate names the DTB ("<path>/<board>.dtb: <node>: ..."), dtc the
# source ("<path>.dts[i]:<line>...: Warning ..."): a message fails the
# board it names when it comes from dt-validate or is about an IOMMU.
# dt-validate continues a message on indented lines: fold them into it.
# The tree and output paths go, so that only the message can name an IOMMU.
folded=$OUT/logs/dtbs_check.folded
awk '/^[ \t]/ && n { sub(/^[ \t]+/, ""); buf = buf " " $0; next }
     { if (n) print buf; buf = $0; n = 1 }
     END { if (n) print buf }' "$log" | sed -e "s|$KSRC/||g" -e "s|$OUT/||g" >"$folded"
bad=$OUT/logs/dtbs_check.bad
grep -E '\.dtb: |iommu' "$folded" >"$bad" || true
passed=0 failed=0
for b in "${boards[@]}"; do
	msgs=$(grep -F "/$b.dtb: " "$bad" || true)
	if [ ! -f "$OUT/$RKDIR/$b.dtb" ]; then
		echo "FAIL dtbs_check $b: the DTB did not build"
	elif [ -n "$msgs" ]; then
		echo "FAIL dtbs_check $b: $(wc -l <<<"$msgs") message(s):"
		awk '{ if (length($0) > 400) $0 = substr($0, 1, 400) " [...]"
		       print "      " $0 }' <<<"$msgs"
	else
		echo "PASS dtbs_check $b"
		passed=$((passed + 1))
		continue
	fi
	failed=$((failed + 1))
done
# A message about an IOMMU that names no board DTB (a dtc warning in a
# shared .dtsi) fails the step as a whole.
other=$(grep -vE "/($(IFS='|'; echo "${boards[*]}"))\.dtb: " "$bad" || true)
if [ -n "$other" ]; then
	echo "FAIL dtbs_check: message(s) about IOMMU nodes:"
	sed 's/^/      /' <<<"$other"
	failed=$((failed + 1))
fi
notes=$(grep -cvE '\.dtb: |iommu' "$folded" || true)
[ "$notes" -eq 0 ] || note "dtbs_check: $notes other dtc message(s), not about IOMMUs (see $log)"
[ $failed -eq 0 ] || fail=1

echo "iommu-dt: $passed of ${#boards[@]} DTBs clean against $SCHEMA_FILE"
[ $fail -eq 0 ]
