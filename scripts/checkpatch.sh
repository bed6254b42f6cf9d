#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict on every patch of the series (or on the patches named):
# any ERROR or WARNING fails, a CHECK only passes when
# config/checkpatch-allow.txt lists it with a reason.
#   checkpatch.sh [PATCH...]
#   checkpatch.sh --self-test   (a patch with a warning must fail the check)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/fetch-base.sh" >/dev/null

allow=$TOP/config/checkpatch-allow.txt
unreasoned=$(awk '!/^[[:space:]]*(#|$)/ && NF < 3' "$allow")
[ -z "$unreasoned" ] || die "$allow: a line without a reason: $unreasoned"

if [ "${1:-}" = --self-test ]; then
	bad=$(mktemp -d)/0001-bad.patch
	cat >"$bad" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Rocket carry team <rocket-carry@lists.invalid>
Subject: [PATCH] accel/rocket: Log without a level

A message without a log level, which checkpatch warns about.

Signed-off-by: Rocket carry team <rocket-carry@lists.invalid>
---
 drivers/accel/rocket/rocket_drv.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/drivers/accel/rocket/rocket_drv.c b/drivers/accel/rocket/rocket_drv.c
--- a/drivers/accel/rocket/rocket_drv.c
+++ b/drivers/accel/rocket/rocket_drv.c
@@ -1,3 +1,4 @@
 // SPDX-License-Identifier: GPL-2.0-only
 /* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */
 
+static void f(void) { printk("no level\n"); }
PATCH
	rc=0
	"$0" "$bad" >"$bad.out" || rc=$?
	# Indented: the expected FAIL line is not a failure of this run.
	sed 's/^/    | /' "$bad.out"
	grep -q 'WARNING:PRINTK_WITHOUT_KERN_LEVEL' "$bad.out" && [ $rc -ne 0 ] ||
		die "checkpatch self-test: a patch with a WARNING did not fail the check"
	rm -rf "$(dirname "$bad")"
	echo "PASS checkpatch self-test: a patch with a WARNING fails the check"
	exit 0
fi

# --b4: b4 prep --check's per-patch command (.b4-config). b4 hands one
# patch on stdin and reads any line on stdout as a warning: print only what
# this script would fail, with the same rules, and nothing for a patch that
# passes. The patch is matched to its patch of the carry series by subject,
# for the allow-list, which names carry patches.
b4=0
if [ "${1:-}" = --b4 ]; then
	b4=1
	b4in=$(mktemp -d)
	cat >"$b4in/in.patch"
	name=$(python3 - "$b4in/in.patch" $(series_patches) <<'PY'
import email, email.policy, re, sys, os
def subj(path):
    with open(path, 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    s = re.sub(r'\s+', ' ', str(m.get('Subject', '')))
    while s.startswith('['):
        s = s[s.index(']') + 1:].lstrip()
    return s
want = subj(sys.argv[1])
for p in sys.argv[2:]:
    if subj(p) == want:
        print(os.path.basename(p))
        break
else:
    print('0000-not-in-the-carry-series.patch')
PY
)
	mv "$b4in/in.patch" "$b4in/$name"
	set -- "$b4in/$name"
fi

if [ $# -gt 0 ]; then mapfile -t patches < <(realpath -- "$@"); else mapfile -t patches < <(series_patches); fi
[ ${#patches[@]} -gt 0 ] || die "no patches to check"

# The base has no history: checkpatch cannot find the commits that Fixes:
# tags name and reports each as unknown. Each such tag must instead name,
# by id and subject, a commit of config/upstream-commits.txt.
fixes_known() {
	local tag id subject
	while IFS= read -r tag; do
		id=$(sed -E 's/^Fixes: ([0-9a-f]{12,40}) .*/\1/' <<<"$tag")
		subject=$(sed -nE 's/^Fixes: [0-9a-f]+ \("(.*)"\)$/\1/p' <<<"$tag")
		awk -v id="$id" -v s="$subject" '!/^#/ && index($1, id) == 1 &&
			substr($0, length($1) + 2) == s { found = 1 } END { exit !found }' \
			"$TOP/config/upstream-commits.txt" && continue
		echo "$tag: not in config/upstream-commits.txt"
		return 1
	done < <(grep '^Fixes: ' "$1")
}

# checkpatch warns about every added file in a patch that leaves MAINTAINERS
# alone. Such a file needs no new entry when a directory entry of the base's
# MAINTAINERS already covers it: check that instead.
added_files_covered() {
	local f dir
	if grep -qE '^(\+\+\+ /dev/null|rename from )' "$1"; then
		echo "$1 deletes or moves files"
		return 1
	fi
	for f in $(awk '/^--- \/dev\/null/ { getline; sub("^\\+\\+\\+ b/", ""); print }' "$1"); do
		dir=$f
		while dir=$(dirname "$dir") && [ "$dir" != . ]; do
			grep -qxF "F:	$dir/" "$BASE_GIT/MAINTAINERS" && continue 2
		done
		echo "$f: no MAINTAINERS entry covers it"
		return 1
	done
}

# checkpatch looks compatibles up in the bindings of --root, the base, so it
# calls undocumented a compatible that a binding patch earlier in the series
# adds. Accept it when a patch of the series up to this one ($1) adds the
# compatible to a binding under Documentation/devicetree/bindings/.
compatible_documented() {
	local p compat=$2
	compat=$(sed -nE 's/.*DT compatible string "([^"]+)".*/\1/p' <<<"$compat")
	[ -n "$compat" ] || return 1
	for p in $(series_patches); do
		awk -v c="$compat" '
			/^\+\+\+ / { inb = index($2, "b/Documentation/devicetree/bindings/") == 1 }
			inb && /^\+/ && !/^\+\+\+ / {
				line = substr($0, 2)
				while ((i = index(line, c)) > 0) {
					after = substr(line, i + length(c), 1)
					before = i > 1 ? substr(line, i - 1, 1) : " "
					if (after !~ /[-A-Za-z0-9,._+]/ && before !~ /[-A-Za-z0-9,._+]/)
						found = 1
					line = substr(line, i + length(c))
				}
			}
			END { exit !found }' "$p" && return 0
		[ "$(basename "$p")" = "$(basename "$1")" ] && break
	done
	echo "$compat: no binding in the series up to $(basename "$1") adds it"
	return 1
}

work=$(mktemp -d)
trap 'rm -rf "$work" ${b4in:+"$b4in"}' EXIT
fail=0
for p in "${patches[@]}"; do
	name=$(basename "$p")
	short=${name#[0-9][0-9][0-9][0-9]-}
	# GIT_DIR: checkpatch checks SPDX identifiers against LICENSES/ (with
	# spdxcheck.py, which needs the venv's modules) only in a git tree. It
	# runs in a scratch folder, where it keeps its CamelCase cache.
	(cd "$work" && GIT_DIR=$BASE_GIT/.git PATH=$CACHE/venv/bin:$PATH \
		"$BASE_GIT/scripts/checkpatch.pl" --root="$BASE_GIT" --strict \
		--max-line-length=100 --show-types --terse --no-summary --color=never "$p") \
		>"$work/out" 2>&1 || true
	bad=0
	while read -r line; do
		type=$(sed -nE 's/.*: (ERROR|WARNING|CHECK):([A-Z0-9_]+):.*/\1 \2/p' <<<"$line")
		[ -n "$type" ] || { echo "$name: $line"; bad=1; continue; }
		set -- $type
		if [ "$2" = UNKNOWN_COMMIT_ID ] && fixes_known "$p"; then
			[ $b4 -eq 1 ] || echo "$name: allowed: $line (config/upstream-commits.txt has it)"
			continue
		fi
		if [ "$2" = UNDOCUMENTED_DT_STRING ] && compatible_documented "$p" "$line"; then
			[ $b4 -eq 1 ] || echo "$name: allowed: $line (a binding patch of the series documents it)"
			continue
		fi
		if [ "$2" = FILE_PATH_CHANGES ] && added_files_covered "$p"; then
			[ $b4 -eq 1 ] || echo "$name: allowed: $line (every added file is under a MAINTAINERS entry)"
			continue
		fi
		if [ "$1" = CHECK ] && awk -v p="$short" -v t="$2" \
			'$1 == p && $2 == t { found = 1 } END { exit !found }' "$allow"; then
			[ $b4 -eq 1 ] || echo "$name: allowed: $line"
			continue
		fi
		echo "$name: $line"
		bad=1
	done <"$work/out"
	[ $b4 -eq 0 ] || continue
	if [ $bad -eq 0 ]; then echo "PASS checkpatch $name"; else echo "FAIL checkpatch $name"; fail=1; fi
done
[ $b4 -eq 0 ] || exit 0
exit $fail
