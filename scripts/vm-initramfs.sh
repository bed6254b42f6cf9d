#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test VM's initramfs: a static busybox (pinned Debian package), the
# series' modules, the installed kselftests, the board kit and vm/init.
# Nothing is fetched when the VM runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$BUILD/kselftest" ] || die "no installed kselftests: run 'make selftests' first"
root=$BUILD/vm/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,kselftest}

deb=$("$TOP/scripts/fetch-deb.sh" --newest "$VM_BUSYBOX_PKG" "$VM_BUSYBOX_MIN_VERSION" \
	"$VM_BUSYBOX_SUITE" "$VM_BUSYBOX_ARCH")
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./bin/busybox >"$root/bin/busybox"
chmod 755 "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

"$TOP/scripts/kmake.sh" -s INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 modules_install
cp -a "$BUILD/kselftest/." "$root/kselftest/"
install -m 755 "$TOP/vm/init" "$root/init"

# The board kit of these kselftests, unpacked from its tarball at
# /board-kit as a board owner unpacks it; its config section reads the
# kernel's configuration where Debian keeps it.
"$TOP/scripts/board-kit.sh"
mkdir -p "$root/board-kit" "$root/boot"
tar -C "$root/board-kit" --strip-components=1 -xzf "$BUILD"/board-kit/rocket-board-kit-*.tar.gz
cp "$KOUT/.config" "$root/boot/config-$(cat "$KOUT/include/config/kernel.release")"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >"$BUILD/vm/initramfs.cpio.gz"
echo "initramfs: $BUILD/vm/initramfs.cpio.gz ($(du -h "$BUILD/vm/initramfs.cpio.gz" | cut -f1))"
