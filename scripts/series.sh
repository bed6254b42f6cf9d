#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The b4 series each maintainer tree takes, cut from the carry series as
# config/upstream-series.txt says (patch ranges, what each applies on).
# For each series, in a scratch worktree of build/linux (build/series/linux):
#   - the branch b4/rocket-<name>: its patches picked onto the pristine base,
#     or onto the series it needs, each of which must apply there alone;
#   - enrolled with b4 prep, its cover letter from config/series/<name>.txt,
#     its prefixes, its dependencies (prerequisite-patch-id lines and the
#     pristine base as base-commit) and its recipients (get_maintainer.pl);
#   - `b4 --offline-mode prep --check` (.b4-config: checkpatch.sh --b4),
#     which must report no warning and no failure;
#   - built at its tip for arm64 with W=1 (scripts/bisect-check.sh, tip only).
# Mails: only with SENDER="Name <mail>", which becomes each patch's author
# and replaces the team's placeholder sign-off, so that the placeholder can
# never reach a list; `b4 send -o` then writes each series' mails into
# build/series/<name>/ (a dry run: nothing is sent). Without SENDER it
# checks everything and writes no mail.
#
#   series.sh             check every series (and write mails with SENDER)
#   series.sh --self-test the checks fail a series that does not apply alone,
#                         and refuse a SENDER that is the placeholder
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree: run 'make kernel' first"
export PATH=$CACHE/venv/bin:$PATH
command -v b4 >/dev/null || die "no b4 in $CACHE/venv: run 'make setup'"

conf=${SERIES_CONF:-$TOP/config/upstream-series.txt}
placeholder="Rocket carry team <rocket-carry@lists.invalid>"
work=$BUILD/series
wt=$work/linux
mkdir -p "$work"

if [ "${1:-}" = --self-test ]; then
	# A series that needs a patch it does not carry (the selftests without
	# the fixes), and a SENDER that is the placeholder: both must fail.
	bad=$(mktemp)
	trap 'rm -f "$bad"' EXIT
	grep -v '^selftests ' "$conf" | sed -E 's/^(matmul +[0-9-]+ +)[a-z,]+/\1fixes/' >"$bad"
	rc=0
	SERIES_CONF=$bad SERIES_ONLY=matmul SERIES_NO_BUILD=1 "$0" >"$work/selftest.out" 2>&1 || rc=$?
	sed 's/^/    | /' "$work/selftest.out" | grep -E 'FAIL|apply' | head -n 5
	[ $rc -ne 0 ] && grep -q '^FAIL series matmul: .* does not apply' "$work/selftest.out" ||
		die "series self-test: the matmul series without the selftests it needs did not fail"
	echo "PASS series self-test: a series without a series it needs fails to apply"
	rc=0
	SENDER=$placeholder SERIES_ONLY=fixes SERIES_NO_BUILD=1 "$0" >"$work/selftest.out" 2>&1 || rc=$?
	[ $rc -ne 0 ] && grep -q 'placeholder' "$work/selftest.out" ||
		die "series self-test: SENDER set to the placeholder was not refused"
	echo "PASS series self-test: the placeholder identity is refused as SENDER"
	exit 0
fi

sender=${SENDER:-}
if [ -n "$sender" ]; then
	[[ $sender =~ ^([^<>]+[^<> ])\ \<([^<> @]+@[^<> ]+)\>$ ]] ||
		die "SENDER must read \"Name <mail>\", not \"$sender\""
	sender_name=${BASH_REMATCH[1]} sender_mail=${BASH_REMATCH[2]}
	case "$sender_mail" in
	*@lists.invalid | *@localhost | rocket-carry@*)
		die "SENDER $sender is the team's placeholder: give your own identity" ;;
	esac
fi

mapfile -t carry < <(git -C "$KSRC" rev-list --reverse base..series)
total=${#carry[@]}
base=$(git -C "$KSRC" rev-parse base)

# The scratch worktree, detached, holding the b4 branches.
if ! git -C "$wt" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$wt"
	git -C "$KSRC" worktree prune
	git -C "$KSRC" worktree add -q --detach "$wt" base
fi
sed "s|@TOP@|$TOP|g" "$TOP/.b4-config" >"$wt/.b4-config"
# The sender's identity for b4 in this worktree only (build/linux keeps the
# placeholder its checks need), so that README's b4 commands run as the
# sender there. Without SENDER the branches carry the placeholder: the
# worktree's mail command is then `false`, so that b4 send cannot mail them.
git -C "$KSRC" config extensions.worktreeConfig true
if [ -n "$sender" ]; then
	git -C "$wt" config --worktree user.name "$sender_name"
	git -C "$wt" config --worktree user.email "$sender_mail"
	git -C "$wt" config --worktree --unset-all sendemail.sendmailcmd || true
else
	git -C "$wt" config --worktree --unset-all user.name || true
	git -C "$wt" config --worktree --unset-all user.email || true
	git -C "$wt" config --worktree sendemail.sendmailcmd false
fi
wgit() { git -C "$wt" "$@"; }
wgit reset -q --hard
wgit checkout -q --detach base
# b4 and the picks commit as the placeholder, or as the sender; config
# through the environment, so that build/linux's own config is untouched.
ident_name=${sender_name:-Rocket carry team} ident_mail=${sender_mail:-rocket-carry@lists.invalid}
# (sendemail.smtpserver: b4 send -o writes the mails an SMTP send would
# send; without an SMTP server it would want kernel.org's signed web
# endpoint. -o never sends.)
export GIT_CONFIG_COUNT=5 GIT_CONFIG_KEY_4=sendemail.smtpserver GIT_CONFIG_VALUE_4=localhost \
	GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$ident_name" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$ident_mail" \
	GIT_CONFIG_KEY_2=b4.prep-cover-strategy GIT_CONFIG_VALUE_2=commit \
	GIT_CONFIG_KEY_3=core.editor GIT_CONFIG_VALUE_3="$TOP/scripts/series-editor.sh"
export GIT_COMMITTER_DATE=$BASE_DATE GIT_COMMITTER_NAME="$ident_name" GIT_COMMITTER_EMAIL="$ident_mail"

# Which patches each line names, and that together with the carry-only
# rest they are the whole series, in order, without overlap.
declare -A first last needs prefixes omit
names=()
while read -r name range need prefix _tree; do
	case "$name" in '' | \#*) continue ;; esac
	if [ "$name" = omit ]; then omit[$range]=1; continue; fi
	first[$name]=${range%-*} last[$name]=${range#*-} needs[$name]=$need prefixes[$name]=$prefix
	names+=("$name")
done <"$conf"
prev=0
for name in "${names[@]}"; do
	[ "${first[$name]}" -eq $((prev + 1)) ] || [ -n "${SERIES_CONF:-}" ] ||
		die "$conf: $name starts at ${first[$name]}, not right after patch $prev"
	prev=${last[$name]}
done
[ "$prev" -le "$total" ] || die "$conf: names patch $prev of a $total-patch series"

# A patch of a series sent upstream carries no simulator and no carry-only
# code: check by the files it touches.
carry_only_files='rocket_sim|/sim\.config|Documentation/accel/rocket/sim\.rst'

fail=0
start_all=$(date +%s)
for name in "${names[@]}"; do
	# SERIES_ONLY: check that series only; those before it are still
	# picked, as the series it needs.
	pick_only=0
	[ -z "${SERIES_ONLY:-}" ] || [ "$SERIES_ONLY" = "$name" ] || pick_only=1
	t0=$(date +%s)
	br=b4/rocket-$name
	# The base of this series: the pristine base with the series it needs.
	from=base
	for need in ${needs[$name]//,/ }; do
		[ "$need" = - ] && continue
		wgit rev-parse -q --verify "b4/rocket-$need" >/dev/null ||
			die "$name needs $need, which is not made (order in $conf)"
	done
	wgit checkout -q -B "$br" base
	wgit branch -q --unset-upstream 2>/dev/null || true
	ok=1
	for need in ${needs[$name]//,/ } "$name"; do
		[ "$need" = - ] && continue
		for ((i = ${first[$need]}; i <= ${last[$need]}; i++)); do
			[ -z "${omit[$i]:-}" ] || continue
			c=${carry[$((i - 1))]}
			if git -C "$KSRC" diff-tree --no-commit-id --name-only -r "$c" | grep -qE "$carry_only_files"; then
				echo "FAIL series $name: patch $i ($(git -C "$KSRC" log -1 --format=%s "$c")) touches carry-only files"
				ok=0
			fi
			if ! wgit cherry-pick --allow-empty "$c" >/dev/null 2>&1; then
				wgit cherry-pick --abort >/dev/null 2>&1 || true
				echo "FAIL series $name: patch $i ($(git -C "$KSRC" log -1 --format=%s "$c")) does not apply to the base with ${needs[$name]} before it"
				ok=0
				break 2
			fi
		done
		[ "$need" = "$name" ] || from=$(wgit rev-parse HEAD)
	done
	if [ $ok -eq 0 ]; then fail=1; continue; fi
	[ $pick_only -eq 0 ] || continue
	# The sender's identity: author and sign-off, instead of the placeholder.
	if [ -n "$sender" ]; then
		FILTER_BRANCH_SQUELCH_WARNING=1 wgit filter-branch -f \
			--env-filter "export GIT_AUTHOR_NAME=\"$sender_name\" GIT_AUTHOR_EMAIL=\"$sender_mail\"" \
			--msg-filter "sed 's|^Signed-off-by: $placeholder\$|Signed-off-by: $sender|'" \
			"$from..$br" >/dev/null 2>&1 || die "$name: could not set the sender's identity"
	fi
	# b4: enroll the branch on its fork point, then cover letter, prefixes,
	# dependencies and recipients (the editor script writes what b4 asks).
	(cd "$wt" && b4 --offline-mode prep -e "$from" >"$work/$name-b4.log" 2>&1) ||
		{ echo "FAIL series $name: b4 prep -e"; sed 's/^/    /' "$work/$name-b4.log"; fail=1; continue; }
	export SERIES_EDIT_COVER=$TOP/config/series/$name.txt SERIES_EDIT_DEPS=$work/$name.deps
	{
		for need in ${needs[$name]//,/ }; do
			[ "$need" = - ] && continue
			for ((i = ${first[$need]}; i <= ${last[$need]}; i++)); do
				[ -z "${omit[$i]:-}" ] || continue
				echo "patch-id: $(git -C "$KSRC" show "${carry[$((i - 1))]}" | git patch-id --stable | cut -d' ' -f1)"
			done
		done
		echo "base-commit: $base"
	} >"$SERIES_EDIT_DEPS"
	(
		cd "$wt"
		b4 --offline-mode prep --edit-cover
		if [ "${prefixes[$name]}" != - ]; then b4 --offline-mode prep --set-prefixes ${prefixes[$name]//,/ }; fi
		if [ "${needs[$name]}" != - ]; then b4 --offline-mode prep --edit-deps; fi
		b4 --offline-mode prep --auto-to-cc
	) >>"$work/$name-b4.log" 2>&1 ||
		{ echo "FAIL series $name: b4 prep (log: ${work#"$TOP"/}/$name-b4.log)"; fail=1; continue; }
	(cd "$wt" && b4 --offline-mode prep --check -C) >"$work/$name-check.log" 2>&1 || true
	summary=$(grep -E 'Success: [0-9]+' "$work/$name-check.log" | tail -n 1 || true)
	count=0
	for ((i = ${first[$name]}; i <= ${last[$name]}; i++)); do [ -n "${omit[$i]:-}" ] || count=$((count + 1)); done
	if [[ $summary =~ Success:\ ([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -eq "$count" ] &&
	   ! grep -qE '(Warning|Error|Fail): [1-9]' <<<"$summary"; then
		echo "PASS series $name: b4 prep --check: $summary"
	else
		echo "FAIL series $name: b4 prep --check: ${summary:-no summary} (log: ${work#"$TOP"/}/$name-check.log)"
		grep -E '●|✗|warning|fail' "$work/$name-check.log" | head -n 20 | sed 's/^/    /'
		fail=1
	fi
	if [ -z "${SERIES_NO_BUILD:-}" ]; then
		if BISECT_TIP=1 "$TOP/scripts/bisect-check.sh" "$br" >"$work/$name-build.log" 2>&1; then
			echo "PASS series $name: builds at its tip for arm64 with W=1 ($(grep -oE '\([^()]*, [0-9]+ s\)$' "$work/$name-build.log" | tail -n 1))"
		else
			echo "FAIL series $name: does not build at its tip (log: ${work#"$TOP"/}/$name-build.log)"
			grep -E '^FAIL|^    ' "$work/$name-build.log" | head -n 20
			fail=1
		fi
	fi
	if [ -n "$sender" ]; then
		rm -rf "${work:?}/$name"
		(cd "$wt" && b4 --offline-mode send -o "$work/$name" --no-sign) >>"$work/$name-b4.log" 2>&1 ||
			{ echo "FAIL series $name: b4 send -o"; fail=1; continue; }
		mails=("$work/$name"/*)
		if grep -l 'rocket-carry@lists.invalid' "${mails[@]}" >/dev/null; then
			echo "FAIL series $name: the placeholder identity is in its mails"
			fail=1
		else
			echo "PASS series $name: $((${#mails[@]})) mails from $sender in ${work#"$TOP"/}/$name/ (b4 send --dry-run: nothing sent)"
		fi
	fi
	omitted=$(for ((i = ${first[$name]}; i <= ${last[$name]}; i++)); do [ -z "${omit[$i]:-}" ] || printf ' %s' "$i"; done)
	echo "    series $name: ${count} patches (carry ${first[$name]}-${last[$name]}${omitted:+, without$omitted}) on ${needs[$name]/#-/the base}, branch $br in ${wt#"$TOP"/}, $(($(date +%s) - t0)) s"
done
[ -n "$sender" ] || echo "series: no SENDER given: the series are checked, no mail was written (SENDER=\"Name <mail>\" make series)"
echo "series: $(($(date +%s) - start_all)) s"
exit $fail
