# SPDX-License-Identifier: GPL-2.0
#
# The bring-up kit for a board's first run of the series: one tarball with
# rocket-bringup and the rocket kselftests, static arm64
# (board-kit/README.md). `make vmtest` builds it too, and runs it on the
# simulated NPU.

.PHONY: board-kit help-board-kit

board-kit: $(call dep,selftests)
	@$(S)/board-kit.sh

help-board-kit:
	@echo
	@echo 'Board kit (README.md, "For board owners"; board-kit/README.md):'
	@echo '  board-kit           build/board-kit/rocket-board-kit-<version>.tar.gz: rocket-bringup'
	@echo '                      and the kselftests, static arm64, for a first run on a board'

EXTRA_HELP += help-board-kit
