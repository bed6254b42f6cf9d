# SPDX-License-Identifier: GPL-2.0
# The Teflon stage: Mesa's Teflon TensorFlow Lite delegate on the simulated
# NPU in QEMU, against TensorFlow Lite's CPU results (teflon/README.md).
# In `make test`: the models Mesa gets right must match TensorFlow Lite's
# CPU within the tolerance; those teflon/expected-failures.txt lists (Mesa's
# own defects) must fail as listed.

.PHONY: teflon-test teflon-vm help-teflon

EXTRA_HELP += help-teflon
TEST_STAGES += teflon-test

teflon-test: $(call dep,build)
	@$(S)/teflon-build.sh
	@$(S)/teflon-vm.sh

teflon-vm:
	@$(S)/teflon-vm.sh

help-teflon:
	@echo
	@echo 'Teflon (teflon/README.md):'
	@echo '  teflon-test         Mesa Teflon on the simulated NPU in QEMU vs TFLite on the CPU, per model'
	@echo '  teflon-vm           the same, reusing the last build/teflon'
