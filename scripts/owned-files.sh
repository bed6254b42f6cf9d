#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the files the repository mirrors from a kernel tree (a commit of a git
# tree that has the `base` tag): every file under the mirrored folders, the uAPI
# header, and every file under Documentation/, drivers/iommu/ and the arm64
# Rockchip devicetrees that differs from the base.
#   owned-files.sh GIT_DIR COMMIT
set -euo pipefail
git_dir=$1 commit=$2

# Folders mirrored whole, so that the driver and the selftests build from the
# repository alone.
git -C "$git_dir" ls-tree -r --name-only "$commit" -- \
	drivers/accel/rocket/ tools/testing/selftests/rocket/ \
	include/uapi/drm/rocket_accel.h
git -C "$git_dir" diff --name-only --diff-filter=d base "$commit" -- Documentation/ \
	drivers/iommu/ arch/arm64/boot/dts/rockchip/
