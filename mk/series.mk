# SPDX-License-Identifier: GPL-2.0
#
# The b4 series each maintainer tree takes, cut from the carry series
# (scripts/series.sh, config/upstream-series.txt, config/series/*.txt).
# In `make test`: every series applies alone (or on the series it needs),
# passes `b4 prep --check` with no warning and builds at its tip; mails only
# with SENDER="Name <mail>".

.PHONY: series series-selftest help-series

EXTRA_HELP += help-series
TEST_STAGES += series-selftest series

series: $(call dep,kernel)
	@$(S)/series.sh

series-selftest: $(call dep,kernel)
	@$(S)/series.sh --self-test

help-series:
	@echo
	@echo 'Upstream series (scripts/series.sh):'
	@echo '  series              the b4 series per maintainer tree (fixes, iommu, selftests,'
	@echo '                      matmul RFC) as branches b4/rocket-* in build/series/linux:'
	@echo '                      each applies alone, b4 prep --check clean, builds (arm64, W=1);'
	@echo '                      SENDER="Name <mail>" also writes their mails (b4 send -o)'
	@echo '  series-selftest     a series missing one it needs must fail; the placeholder'
	@echo '                      identity is refused as SENDER'
