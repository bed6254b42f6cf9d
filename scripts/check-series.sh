#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series invariant: patches/ applies cleanly to the pinned base, and the
# files it yields under the mirrored paths are byte-identical to the
# repository's copies, with none missing and none extra on either side.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/fetch-base.sh" >/dev/null

mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "no patches in patches/"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Scratch index and object store: the cached base repository stays untouched.
export GIT_INDEX_FILE=$tmp/index GIT_OBJECT_DIRECTORY=$tmp/objects
export GIT_ALTERNATE_OBJECT_DIRECTORIES=$BASE_GIT/.git/objects
mkdir -p "$GIT_OBJECT_DIRECTORY"
git -C "$BASE_GIT" read-tree base
fail=0

# The cover letter must name the pinned base, or b4 and reviewers get the
# wrong one.
cover=$(find "$TOP/patches" -name '0000-*.patch')
if [ -n "$cover" ]; then
	grep -qx "base-commit: $(base_commit)" "$cover" ||
		{ echo "FAIL ${cover#"$TOP"/}: base-commit is not the pinned base $(base_commit)"; fail=1; }
else
	echo "FAIL patches/: no 0000 cover letter"; fail=1
fi

# Numbering must be contiguous: a missing patch would not show otherwise.
n=1
for p in "${patches[@]}"; do
	want=$(printf '%04d' $n)
	[[ $(basename "$p") == "$want"-* ]] ||
		{ echo "FAIL ${p#"$TOP"/}: expected patch number $want"; fail=1; }
	n=$((n + 1))
done

for p in "${patches[@]}"; do
	if ! git -C "$BASE_GIT" apply --cached --whitespace=error-all "$p" 2>"$tmp/err"; then
		echo "FAIL ${p#"$TOP"/}: does not apply to the pinned base"
		sed 's/^/    /' "$tmp/err"
		exit 1
	fi
done
tree=$(git -C "$BASE_GIT" write-tree)
# A throwaway commit of the series' result, authored like the build trees'.
commit=$(echo series | GIT_AUTHOR_NAME=$GIT_COMMITTER_NAME GIT_AUTHOR_EMAIL=$GIT_COMMITTER_EMAIL \
	git -C "$BASE_GIT" commit-tree "$tree" -p base)

# Series side: every owned file must be in the repository, byte for byte.
"$TOP/scripts/owned-files.sh" "$BASE_GIT" "$commit" | sort -u >"$tmp/series"
while read -r f; do
	if [ ! -f "$TOP/$f" ]; then
		echo "FAIL $f: the series has it, the repository does not"; fail=1
	elif [ "$(git hash-object "$TOP/$f")" != "$(git -C "$BASE_GIT" rev-parse "$commit:$f")" ]; then
		echo "FAIL $f: differs from what patches/ yields"; fail=1
	fi
done <"$tmp/series"

# Repository side: no copy the series does not produce.
repo_mirror_files >"$tmp/repo"
comm -23 "$tmp/repo" "$tmp/series" | while read -r f; do
	echo "FAIL $f: in the repository but not produced by patches/"
	echo 1 >"$tmp/extra"
done
[ -f "$tmp/extra" ] && fail=1

# MAINTAINERS.fragment: the entries the series adds or changes.
git -C "$BASE_GIT" show base:MAINTAINERS >"$tmp/m.old"
git -C "$BASE_GIT" show "$commit:MAINTAINERS" >"$tmp/m.new"
"$TOP/scripts/maintainers-entries.py" "$tmp/m.old" "$tmp/m.new" >"$tmp/m.fragment"
if ! diff -u "$TOP/MAINTAINERS.fragment" "$tmp/m.fragment" >"$tmp/m.diff"; then
	echo "FAIL MAINTAINERS.fragment: differs from the entries patches/ changes"
	sed 's/^/    /' "$tmp/m.diff"
	fail=1
fi

if [ $fail -ne 0 ]; then
	echo "check-series: the tree and patches/ disagree (see above)"
	exit 1
fi
echo "check-series: ${#patches[@]} patches apply to $(base_commit | cut -c1-12); $(wc -l <"$tmp/series") mirrored files match"
