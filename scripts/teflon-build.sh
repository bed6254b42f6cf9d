#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Everything the Teflon stage's VM runs, in build/teflon/:
#  - Debian's arm64 Teflon delegate, TensorFlow Lite and the C library
#    (scripts/teflon-fetch.sh);
#  - the test models (teflon/make_models.py, in a virtualenv of
#    config/teflon-requirements.txt);
#  - the runner (teflon/runner.c), cross-built against TensorFlow Lite's C
#    API headers and library, dynamically linked;
#  - the initramfs: the static busybox of the test VM, the series' modules,
#    the above and teflon/init.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=../config/teflon.env
. "$TOP/config/teflon.env"
# Opt-in, for work on the NPU model outside the series' build: take the
# kernel, its uAPI headers and modules from TEFLON_KOUT (a prepared kernel
# build, used read-only: the modules are copied, not installed by make), and
# replace its rocket.ko by TEFLON_ROCKET_KO (e.g. 'make module' output).
KOUT=${TEFLON_KOUT:-$KOUT}
[ -z "${TEFLON_ROCKET_KO:-}" ] || [ -f "$TEFLON_ROCKET_KO" ] ||
	die "TEFLON_ROCKET_KO=$TEFLON_ROCKET_KO: no such file"
[ -f "$KOUT/arch/arm64/boot/Image" ] || die "no kernel: run 'make build' first"
[ -f "$KOUT/usr/include/drm/rocket_accel.h" ] || die "no uAPI headers in $KOUT: run 'make build'"

out=$BUILD/teflon
mkdir -p "$out"

sysroot=$("$TOP/scripts/teflon-fetch.sh")

# The models, from a virtualenv keyed by its requirements (as setup-host.sh
# makes the tools' one).
req=$TOP/config/teflon-requirements.txt
venv=$CACHE/venv-teflon-$(sha256sum "$req" | cut -c1-12)
if [ ! -f "$venv/.ok" ]; then
	note "teflon: python packages into $venv"
	rm -rf "$venv"
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req" ||
		die "teflon: pip could not install $req"
	touch "$venv/.ok"
fi
rm -rf "$out/models"
mkdir -p "$out/models"
"$venv/bin/python" "$TOP/teflon/make_models.py" "$out/models"
# The ADD models saturate where they must and nowhere else.
"$venv/bin/python" "$TOP/teflon/check_add_models.py" "$out/models" ||
	die "teflon: an ADD model is not what its name says"

# The runner. TensorFlow Lite and libstdc++ of the suite need a newer C
# library than the cross toolchain's; they get it at run time (the VM has
# the suite's), so the link leaves their references to it unresolved.
lib=$sysroot/usr/lib/aarch64-linux-gnu
"${CROSS_COMPILE}gcc" -O2 -Wall -Wextra -Werror \
	-I "$KOUT/usr/include" -I "$sysroot/usr/include" \
	-o "$out/teflon-run" "$TOP/teflon/runner.c" \
	-L "$lib" -ltensorflow-lite -Wl,-rpath-link="$lib" -Wl,--allow-shlib-undefined \
	-Wl,--export-dynamic-symbol=ioctl
echo "teflon: runner $out/teflon-run"

# The initramfs. /lib is /usr/lib, as on the suite's systems (the runner's
# loader is /lib/ld-linux-aarch64.so.1); the modules go there too.
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,usr/lib,teflon}
ln -s usr/lib "$root/lib"
deb=$("$TOP/scripts/fetch-deb.sh" --newest "$VM_BUSYBOX_PKG" "$VM_BUSYBOX_MIN_VERSION" \
	"$VM_BUSYBOX_SUITE" "$VM_BUSYBOX_ARCH")
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./bin/busybox >"$root/bin/busybox"
chmod 755 "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
if [ -z "${TEFLON_KOUT:-}" ]; then
	"$TOP/scripts/kmake.sh" -s INSTALL_MOD_PATH="$root/usr" INSTALL_MOD_STRIP=1 modules_install
else
	rel=$(cat "$KOUT/include/config/kernel.release")
	mdir=$root/usr/lib/modules/$rel
	mkdir -p "$mdir/kernel"
	while read -r obj; do
		ko=${obj%.o}.ko
		install -D -m 644 "$KOUT/$ko" "$mdir/kernel/$ko"
		"${CROSS_COMPILE}strip" --strip-debug "$mdir/kernel/$ko"
	done <"$KOUT/modules.order"
	sed 's/\.o$/.ko/; s|^|kernel/|' "$KOUT/modules.order" >"$mdir/modules.order"
	for f in modules.builtin modules.builtin.modinfo; do
		[ ! -f "$KOUT/$f" ] || cp "$KOUT/$f" "$mdir/$f"
	done
fi
if [ -n "${TEFLON_ROCKET_KO:-}" ]; then
	rel=$(cat "$KOUT/include/config/kernel.release")
	mdir=$root/usr/lib/modules/$rel
	ko=$(find "$mdir" -name rocket.ko)
	[ -n "$ko" ] || die "no rocket.ko among the installed modules"
	install -m 644 "$TEFLON_ROCKET_KO" "$ko"
	"${CROSS_COMPILE}strip" --strip-debug "$ko"
	echo "teflon: rocket.ko replaced by $TEFLON_ROCKET_KO"
fi
if [ -n "${TEFLON_KOUT:-}${TEFLON_ROCKET_KO:-}" ]; then
	depmod -b "$root/usr" "$rel"
fi
rsync -a --exclude gconv --exclude cmake --exclude '*.a' --exclude pkgconfig \
	"$sysroot/usr/lib/" "$root/usr/lib/"
install -m 755 "$out/teflon-run" "$root/teflon/teflon-run"
cp -a "$out/models" "$root/teflon/models"
cp "$out/models/models.txt" "$root/teflon/models.txt"
cat >"$root/teflon/config" <<EOF
TEFLON_JOB_TIMEOUT_MS=$TEFLON_JOB_TIMEOUT_MS
TEFLON_MODEL_TIMEOUT_S=${TEFLON_MODEL_TIMEOUT_S:-300}
TEFLON_INVOKES=${TEFLON_INVOKES:-1}
EOF
install -m 755 "$TOP/teflon/init" "$root/init"
cp "$sysroot/packages.txt" "$out/packages.txt"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >"$out/initramfs.cpio.gz"
echo "teflon: initramfs $out/initramfs.cpio.gz ($(du -h "$out/initramfs.cpio.gz" | cut -f1))"
