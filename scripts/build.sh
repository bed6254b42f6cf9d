#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure (allnoconfig + config/*.config) and build the series' kernel for
# arm64: Image, modules and the uAPI headers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree: run 'make kernel' first"

fragments=("$TOP"/config/*.config)
mkdir -p "$KOUT"
cat "${fragments[@]}" >"$KOUT/fragment.config"
# Reconfigure only when the fragments change: a new .config rebuilds all.
if ! cmp -s "$KOUT/fragment.config" "$KOUT/fragment.config.used" 2>/dev/null ||
   [ ! -f "$KOUT/.config" ]; then
	note "build: allnoconfig + ${fragments[*]##*/}"
	"$TOP/scripts/kmake.sh" -s KCONFIG_ALLCONFIG="$KOUT/fragment.config" allnoconfig
	cp "$KOUT/fragment.config" "$KOUT/fragment.config.used"
fi

# Kconfig drops what it cannot satisfy without a word: check every line.
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qx "$line" "$KOUT/.config" || { echo "config: $line did not stick"; bad=1; } ;;
	"# CONFIG_"*" is not set") grep -q "^${line#\# }" "$KOUT/.config" && { echo "config: $line did not stick"; bad=1; } ;;
	esac
done <"$KOUT/fragment.config"
[ $bad -eq 0 ] || die "the config fragments do not hold (see above)"

note "build: Image modules headers"
"$TOP/scripts/kmake.sh" -s Image modules
"$TOP/scripts/kmake.sh" -s headers
note "build: $(ls "$KOUT"/arch/arm64/boot/Image) and $(find "$KOUT" -name '*.ko' | wc -l) modules"
