# SPDX-License-Identifier: GPL-2.0
#
# The series built patch by patch (scripts/bisect-check.sh): each commit of
# base..series in a scratch worktree, rocket and rockchip-iommu with W=1 and
# the DTBs a patch touches, for arm64. In `make test`: about 11 minutes for
# the 91 patches on a 2-core machine (a fresh machine's whole `make test`
# was 38 minutes without it).

.PHONY: bisect-check help-bisect-check

EXTRA_HELP += help-bisect-check
TEST_STAGES += bisect-check

bisect-check: $(call dep,kernel)
	@$(S)/bisect-check.sh $(BISECT_BRANCH)

help-bisect-check:
	@echo
	@echo 'Bisectability (scripts/bisect-check.sh):'
	@echo '  bisect-check        build rocket and rockchip-iommu (W=1) and the DTBs a patch touches'
	@echo '                      at every commit of base..series in build/linux, for arm64;'
	@echo '                      BISECT_BRANCH=<branch> checks another branch of build/linux'
