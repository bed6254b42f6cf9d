# SPDX-License-Identifier: GPL-2.0
#
# Every workflow of the rocket carry series. `make help` lists them.
# The work happens in scripts/; this file only names and orders it.

S := scripts

# run-stages.sh runs the stages in dependency order and sets NODEPS=1, so
# that no stage redoes the ones before it.
dep = $(if $(NODEPS),,$(1))

# The stages of `make test`, in order: every check and test.
TEST_STAGES := setup kernel check-series checkpatch checkpatch-selftest \
	kerneldoc model-test matmul-test matmul-fuzz plan-report layout-test build \
	static uapi module selftests vm-log-selftest vmtest fuzz-seeds dtbs dtbs-selftest iommu-dt \
	check-second-base

# The stages of `make run`: the series built and its kselftests run in QEMU.
RUN_STAGES := setup kernel build selftests vmtest

.PHONY: help run test setup base kernel export check-series checkpatch \
	checkpatch-selftest kerneldoc model-test model-bench matmul-test matmul-fuzz \
	plan-report layout-test build static uapi module selftests \
	vm-run vm-bench vm-fuzz fuzz-seeds vm-log-selftest vmtest dtbs dtbs-selftest iommu-dt \
	check-second-base clean \
	fresh-test

help:
	@echo 'The two commands:'
	@echo '  run                 build the series for arm64 and run its kselftests in QEMU'
	@echo '  test                every check and test (what CI runs), ending in "N passed, N failed"'
	@echo '  fresh-test          (root) both, in a minimal Debian 12 root with an empty cache'
	@echo
	@echo 'Series workflow:'
	@echo '  setup               install missing Debian packages and the Python tools'
	@echo '  base                fetch and verify the pinned linux-source, as a git tree'
	@echo '  kernel              build/linux: base + patches/ as commits (FORCE=1 to discard edits)'
	@echo '  export              build/linux commits -> patches/ and the mirrored files'
	@echo '  check-series        patches/ applies and yields exactly the mirrored files'
	@echo
	@echo 'Checks and builds:'
	@echo '  checkpatch          checkpatch --strict on every patch'
	@echo '  checkpatch-selftest show that a patch with a warning fails checkpatch'
	@echo '  kerneldoc           kernel-doc -Wall on the files the series touches'
	@echo '  model-test          host tests of the NPU model under ASan and UBSan'
	@echo '  model-bench         speed of the NPU model on the host (a benchmark)'
	@echo '  matmul-test         host tests of matmul validation, planner and encoder on the model'
	@echo '  matmul-fuzz         libFuzzer over matmul validation and planner (FUZZ_SECONDS, 60)'
	@echo '  plan-report         the planner on the Qwen2.5-1.5B GEMMs: bytes, tasks, predictions'
	@echo '  layout-test         host tests of the userspace layout helper, end to end on the model'
	@echo '  build               configure (config/*.config) and build Image, modules, headers'
	@echo '  static              W=1 and sparse over rocket and rockchip-iommu'
	@echo '  uapi                the uAPI header as C90 (twice) and C++'
	@echo '  module [KDIR=dir]   rocket.ko out of tree from this repository'
	@echo '  selftests           cross-build and install the rocket kselftests'
	@echo '  vmtest              boot the kernel in QEMU and run the kselftests'
	@echo '  vm-run              the same, reusing the last initramfs'
	@echo '  vm-bench            GEMM throughput on the simulated NPU in QEMU (a benchmark)'
	@echo '  vm-fuzz             replay rocket_fuzz with FUZZ_SEED=N in QEMU, on 3 cores and 1'
	@echo '  fuzz-seeds          replay the seeds of config/fuzz-seeds.txt that once failed'
	@echo '  vm-log-selftest     show that each kernel report, and a failed or missing KUnit case, fails vmtest'
	@echo '  dtbs                apply every overlay in dts/ and validate the result'
	@echo '  dtbs-selftest       show that a broken overlay fails dtbs'
	@echo '  iommu-dt            dt_binding_check of the Rockchip IOMMU binding, dtbs_check of RK356x/RK3582/RK3588 against it'
	@echo '  check-second-base   the series with the pre-7.3 group on Linux 7.2: applies, rocket and rockchip-iommu W=1 clean'
	@echo '  clean               remove build/ (caches stay)'
	@for t in $(EXTRA_HELP); do $(MAKE) -s --no-print-directory NODEPS=1 $$t; done

run:
	@$(S)/run-stages.sh $(RUN_STAGES)

test:
	@$(S)/run-stages.sh $(TEST_STAGES)

setup:
	@$(S)/setup-host.sh

base: $(call dep,setup)
	@$(S)/fetch-base.sh

kernel: $(call dep,base)
	@$(S)/kernel-tree.sh

export:
	@$(S)/export-series.sh

check-series: $(call dep,base)
	@$(S)/check-series.sh

checkpatch: $(call dep,base)
	@$(S)/checkpatch.sh

checkpatch-selftest: $(call dep,base)
	@$(S)/checkpatch.sh --self-test

kerneldoc: $(call dep,kernel)
	@$(S)/kerneldoc.sh

model-test:
	@$(MAKE) -s --no-print-directory -C tests/model test

model-bench:
	@$(MAKE) -s --no-print-directory -C tests/model bench

matmul-test:
	@$(MAKE) -s --no-print-directory -C tests/matmul test

matmul-fuzz:
	@$(MAKE) -s --no-print-directory -C tests/matmul fuzz

plan-report:
	@$(MAKE) -s --no-print-directory -C tests/matmul plan-report

layout-test:
	@$(MAKE) -s --no-print-directory -C tests/layout test

build: $(call dep,kernel)
	@$(S)/build.sh

static: $(call dep,build)
	@$(S)/static-check.sh

uapi: $(call dep,build)
	@$(S)/uapi-check.sh

module: $(call dep,$(if $(KDIR),setup,build))
	@$(S)/module.sh $(KDIR)

selftests: $(call dep,build)
	@$(S)/selftests-build.sh

vm-log-selftest:
	@$(S)/vm-check-log.sh --self-test
	@$(S)/vm-kunit.sh --self-test

vm-run:
	@$(S)/vm-run.sh

vm-bench: $(call dep,selftests)
	@$(S)/vm-initramfs.sh
	@$(S)/vm-bench.sh

vm-fuzz: $(call dep,selftests)
	@$(S)/vm-initramfs.sh
	@$(S)/vm-fuzz.sh

fuzz-seeds: $(call dep,selftests)
	@$(S)/vm-initramfs.sh
	@$(S)/fuzz-seeds.sh

vmtest: $(call dep,selftests)
	@$(S)/vm-initramfs.sh
	@$(S)/vm-run.sh

dtbs: $(call dep,kernel)
	@$(S)/dtbs.sh

dtbs-selftest: $(call dep,kernel)
	@$(S)/dtbs.sh --self-test

iommu-dt: $(call dep,kernel)
	@$(S)/iommu-dt-check.sh

check-second-base: $(call dep,setup)
	@$(S)/check-second-base.sh

# Not part of `make test`: CI is a fresh clone already; this is a fresh machine.
fresh-test:
	@$(S)/fresh-test.sh

clean:
	rm -rf build

# Workflows with their own file: mk/<name>.mk defines its targets, adds a
# help-<name> target to EXTRA_HELP and, if `make test` runs it, its stage to
# TEST_STAGES.
EXTRA_HELP :=
-include $(sort $(wildcard mk/*.mk))
