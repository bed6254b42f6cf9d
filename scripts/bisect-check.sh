#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the series patch by patch: check out each commit of base..BRANCH in a
# scratch worktree of the kernel tree and compile, for arm64 with W=1, what
# the series changes: drivers/accel/rocket/ (whatever of it the commit's
# Kconfig offers: an option the commit does not have yet is dropped for that
# commit only) and drivers/iommu/rockchip-iommu.o, and the Rockchip DTBs of
# the SoC of a .dtsi or .dts the commit touches. One line per commit, PASS or
# FAIL; a compiler or dtc message in those files fails the commit, as does a
# build that fails.
#
#   bisect-check.sh [BRANCH]     (default: $BISECT_BRANCH, or "series")
#
# BISECT_TIP=1 builds only the tip of BRANCH, with the DTBs of every file
# base..BRANCH touches (scripts/series.sh, for each upstream series);
# BISECT_WORK sets the scratch folder (default build/bisect).
#
# The configuration is the series' own (allnoconfig + config/*.config, as
# scripts/build.sh makes it), made once at the tip of BRANCH and narrowed
# with olddefconfig at each commit. The builds are incremental in one O=
# tree, through ccache; build/linux's own worktree and build are untouched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree: run 'make kernel' first"

branch=${1:-${BISECT_BRANCH:-series}}
git -C "$KSRC" rev-parse -q --verify "$branch^{commit}" >/dev/null ||
	die "$branch: no such branch or commit in $KSRC"
git -C "$KSRC" merge-base --is-ancestor base "$branch" ||
	die "$branch does not descend from the pinned base"

work=${BISECT_WORK:-$BUILD/bisect}
wt=$work/linux
out=$work/out-arm64
logs=$work/logs
mkdir -p "$work" "$out" "$logs"
rm -f "$logs"/*.log

# The scratch worktree, detached, so that it holds no branch.
if ! git -C "$wt" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$wt"
	git -C "$KSRC" worktree prune
	git -C "$KSRC" worktree add -q --detach "$wt" base
fi
git -C "$wt" reset -q --hard
git -C "$wt" clean -qfdx

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_BASEDIR=$TOP
export KBUILD_BUILD_TIMESTAMP=$BASE_DATE KBUILD_BUILD_USER=rocket KBUILD_BUILD_HOST=carry
jobs=${BISECT_JOBS:-$(nproc)}
kmake() {
	nice -n 10 make -C "$wt" O="$out" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$jobs" "$@"
}

mapfile -t commits < <(git -C "$KSRC" rev-list --reverse "base..$branch")
[ ${#commits[@]} -gt 0 ] || die "base..$branch has no commit"
if [ -n "${BISECT_TIP:-}" ]; then
	touched_range=base
	commits=("${commits[-1]}")
fi

# The configuration, from the tip, where every option of the series exists.
git -C "$wt" checkout -q --detach "${commits[-1]}"
cat "$TOP"/config/*.config >"$out/fragment.config"
kmake -s KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig >/dev/null
while read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qx "$line" "$out/.config" || note "config: $line does not stick at $branch: not checked" ;;
	esac
done <"$out/fragment.config"
cp "$out/.config" "$work/full.config"

# dtbs_of FILE...: the Rockchip arm64 DTBs of the SoCs of these .dts/.dtsi
# files (rk3588-base.dtsi: every rk3588*.dts), relative to the dts folder.
dtbs_of() {
	local f soc
	for f in "$@"; do
		case "$f" in
		arch/arm64/boot/dts/rockchip/*.dts | arch/arm64/boot/dts/rockchip/*.dtsi) ;;
		*) continue ;;
		esac
		soc=$(basename "$f" | sed -E 's/^(rk[0-9]+[a-z]?|rk35[0-9]x|px30|rv1126).*/\1/')
		soc=${soc%x}
		(cd "$wt/arch/arm64/boot/dts/rockchip" && ls "$soc"*.dts 2>/dev/null) |
			sed 's/\.dts$/.dtb/; s|^|rockchip/|'
	done | sort -u
}

start=$(date +%s)
n=0 fail=0
total=${#commits[@]}
for c in "${commits[@]}"; do
	n=$((n + 1))
	short=$(git -C "$KSRC" rev-parse --short=12 "$c")
	subject=$(git -C "$KSRC" log -1 --format=%s "$c")
	log=$logs/$(printf '%03d' $n)-$short.log
	t0=$(date +%s)
	git -C "$wt" checkout -q --detach "$c"
	cp "$work/full.config" "$out/.config"
	rc=0
	{
		kmake -s olddefconfig &&
		kmake W=1 drivers/accel/rocket/ drivers/iommu/rockchip-iommu.o
	} >"$log" 2>&1 || rc=$?
	mapfile -t dtbs < <(dtbs_of $(git -C "$KSRC" diff --name-only "${touched_range:-$c~1}" "$c"))
	if [ $rc -eq 0 ] && [ ${#dtbs[@]} -gt 0 ]; then
		kmake "${dtbs[@]}" >>"$log" 2>&1 || rc=$?
	fi
	what="rocket, rockchip-iommu${dtbs[0]:+, ${#dtbs[@]} DTBs}"
	msgs=$(grep -E 'drivers/(accel/rocket|iommu)/.*(warning|error):|\.dtsi?:[-0-9.]+: (Warning|ERROR)|\.dtb: (Warning|ERROR)|^Error:' "$log" || true)
	if [ $rc -ne 0 ] || [ -n "$msgs" ]; then
		echo "FAIL bisect $n/$total $short $subject ($what; log: ${log#"$TOP"/})"
		if [ -n "$msgs" ]; then sed 's/^/    /' <<<"$msgs" | head -n 20; else tail -n 20 "$log" | sed 's/^/    /'; fi
		fail=1
	else
		echo "PASS bisect $n/$total $short $subject ($what, $(($(date +%s) - t0)) s)"
	fi
done
echo "bisect-check: $total commits of base..$branch in $(($(date +%s) - start)) s"
exit $fail
