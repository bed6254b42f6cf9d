#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The way back from the kernel tree: base..series as patches/ (cover letter
# 0000 from config/cover-letter.txt, base-commit trailer), and the mirrored
# files copied into the repository.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree: run 'make kernel' first"
cd "$KSRC"
[ -z "$(git status --porcelain)" ] || die "$KSRC has uncommitted changes: commit them first"

# The cover letter's subject and blurb are the branch description.
git config branch.series.description "$(cat "$TOP/config/cover-letter.txt")"
rm -f "$TOP"/patches/*.patch
git format-patch -q --cover-letter --cover-from-description=subject \
	--base=base --no-signature -o "$TOP/patches" base..series
# Thread the mails as b4 expects (b4 shazam on a local mbox finds the series
# by Message-Id), with ids made from the patch numbers, so that an export that
# changes nothing leaves patches/ as it was.
for f in "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	n=$(basename "$f" | cut -c1-4)
	hdr="Message-Id: <rocket-carry-$n@localhost>"
	[ "$n" = 0000 ] || hdr="$hdr\nIn-Reply-To: <rocket-carry-0000@localhost>\nReferences: <rocket-carry-0000@localhost>"
	sed -i "0,/^Date: /s/^\(Date: .*\)$/\1\n$hdr/" "$f"
done

# Date the cover letter like the newest patch, so an export that changes
# nothing leaves patches/ as it was.
sed -i "0,/^Date: /s/^Date: .*/Date: $(git log -1 --format=%aD series)/" "$TOP"/patches/0000-*.patch

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$TOP/scripts/owned-files.sh" "$KSRC" series | sort -u >"$tmp"
# Drop mirrored copies the series no longer produces, then copy the rest.
repo_mirror_files | comm -23 - "$tmp" | while read -r f; do rm -v "$TOP/$f"; done
while read -r f; do
	mkdir -p "$(dirname "$TOP/$f")"
	git show "series:$f" >"$TOP/$f"
done <"$tmp"
for d in "${MIRROR_DIRS[@]}"; do
	if [ -d "$TOP/$d" ]; then find "$TOP/$d" -type d -empty -delete; fi
done

git show base:MAINTAINERS >"$tmp.old"
"$TOP/scripts/maintainers-entries.py" "$tmp.old" MAINTAINERS >"$TOP/MAINTAINERS.fragment"
rm -f "$tmp.old"

patches_id=$(patches_id)
echo "$(git rev-parse HEAD) $patches_id" >"$KSRC/.git/rocket-series"
note "export: $(ls "$TOP"/patches/*.patch | wc -l) files in patches/, $(wc -l <"$tmp") mirrored files"
