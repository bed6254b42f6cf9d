#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A clean room for README's two commands: a minimal Debian 12 root made
# with mmdebstrap (apt, git, make, ca-certificates and nothing else), given
# only what every machine of this kind has (the machine's certificate
# authorities, the host's Debian sources, and the two apt settings its
# mirror snapshot needs), no git identity and an empty cache. The checkout's
# HEAD is cloned into it and `make run`, then `make test`, run there as a new
# user would run them. Prints each command's wall time and final count
# line; exits non-zero if either fails. Needs root (chroot, mounts).
#
# The root lives outside the checkout (FRESH_PARENT, default /var/tmp) and is
# removed on every exit path, mounts first. For debugging only:
# FRESH_KEEP=1 keeps it (unmounted) and prints its path; FRESH_ROOT=<kept
# root> runs again in it with a new clone of HEAD (not a clean room: its
# cache is warm, as CI's is), which is how the warm times are measured.
# FRESH_COMMANDS overrides the commands run (default "run test").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "fresh-test needs root (mmdebstrap, chroot, bind mounts)"
SUITE=bookworm
commands=(${FRESH_COMMANDS:-run test})

if [ -n "$(git -C "$TOP" status --porcelain --untracked-files=no)" ]; then
	note "fresh-test: the checkout has uncommitted changes; the clean room tests HEAD only"
fi

# The host's Debian sources ("deb URI SUITE main" per suite apt reads), so
# that the root reads the same mirror snapshot a new machine here would.
sources=()
while read -r uri suite; do
	sources+=("deb $uri $suite main")
done < <(apt-cache policy 2>/dev/null |
	awk '$3 ~ /\/main$/ && $2 ~ /^[a-z]+:\/\// { split($3, s, "/"); print $2, s[1] }' | sort -u)
[ ${#sources[@]} -gt 0 ] || die "no Debian sources in the host's apt configuration"

root=${FRESH_ROOT:-}
reuse=0
if [ -n "$root" ]; then
	[ -f "$root/.rocket-fresh" ] || die "$root is not a root that fresh-test kept"
	reuse=1
else
	mkdir -p "${FRESH_PARENT:-/var/tmp}"
	root=$(mktemp -d "${FRESH_PARENT:-/var/tmp}/rocket-fresh.XXXXXX")
	case $root in "$TOP"/*) die "the root must lie outside the checkout" ;; esac
fi
logdir=$root.logs
mkdir -p "$logdir"

mounted() { findmnt -rn -o TARGET | awk -v r="$root/" 'index($0 "/", r) == 1'; }

cleanup() {
	local rc=$?
	set +e
	if [ -d "$root" ]; then
		mounted | sort -r | while read -r m; do umount -R "$m" 2>/dev/null || umount -l "$m"; done
		if [ -n "$(mounted)" ]; then
			echo "fresh-test: mounts left under $root, so it was not removed:" >&2
			mounted >&2
		elif [ "${FRESH_KEEP:-0}" = 1 ]; then
			echo "fresh-test: root kept at $root (FRESH_ROOT=$root to run in it again)"
		else
			rm -rf "$root"
		fi
	fi
	echo "fresh-test: logs in $logdir"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $reuse = 0 ]; then
	if ! command -v mmdebstrap >/dev/null; then
		note "fresh-test: installing mmdebstrap on this host"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			mmdebstrap >/dev/null
	fi
	note "fresh-test: minimal Debian 12 root in $root"
	start=$(date +%s)
	mmdebstrap --quiet --variant=apt --include=git,make,ca-certificates \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='Acquire::Check-Date "false"' \
		"$SUITE" "$root" "${sources[@]}" >"$logdir/mmdebstrap.log" 2>&1 ||
		{ tail -n 30 "$logdir/mmdebstrap.log"; die "mmdebstrap failed"; }
	# What every machine of this kind has: its certificate authorities
	# (the package registries are reached through them) and a resolver.
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	chroot "$root" update-ca-certificates >/dev/null
	touch "$root/.rocket-fresh"
	note "fresh-test: root made in $(($(date +%s) - start)) s"
fi

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"

# The clone: HEAD of this checkout, as a new user's `git clone` would get it.
# Again in a kept root: a new clone next to the warm cache, as CI has it.
rm -rf "$root/root/rocket-carry"
git clone -q --no-local "$TOP" "$root/root/rocket-carry"
note "fresh-test: testing $(git -C "$root/root/rocket-carry" log -1 --format='%h %s')"

in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "$1"
}

# Nothing of the host leaks in: no git identity, no cache, no packages
# beyond the minimal root's.
in_root '! git config user.email >/dev/null && ! git config user.name >/dev/null' ||
	die "the root has a git identity"
[ $reuse = 1 ] || in_root '[ ! -e ~/.cache/rocket-carry ]' || die "the root has a cache"

results=()
fail=0
for c in "${commands[@]}"; do
	note "fresh-test: make $c"
	start=$(date +%s)
	rc=0
	in_root "cd /root/rocket-carry && make $c" 2>&1 | tee "$logdir/make-$c.log" || rc=$?
	secs=$(($(date +%s) - start))
	# run-stages.sh's count line follows its "total time" line (stages
	# print count lines of their own).
	count=$(awk '/^total time / { getline; print }' "$logdir/make-$c.log" | tail -n 1)
	results+=("$(printf 'make %-5s %s  %dm%02ds  %s' "$c" \
		"$([ $rc -eq 0 ] && echo ok || echo FAILED)" $((secs / 60)) $((secs % 60)) \
		"${count:-(no count line)}")")
	[ $rc -eq 0 ] || fail=1
done

echo
echo "=== fresh-test ($SUITE root, $([ $reuse = 1 ] && echo 'reused root, warm cache' || echo 'empty cache'))"
printf '%s\n' "${results[@]}"
[ $fail -eq 0 ]
