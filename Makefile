# deelema testbed: `make run` sets up, builds and runs the main job; `make test` runs the suite.
SWIFT ?= swift
BIN := .build/release/deelema
APT_PACKAGES := libgsl-dev libopenblas-dev pkg-config gnuplot-nox zlib1g-dev python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build run test test-batch bench clean release-flags

# Release builds use AVX2 and FMA when this machine has them (LLVM's `haswell` level, the
# x86-64-v3 feature set): the event loops then hold four events per AVX register. The numbers
# do not depend on it (no operation is fused: the same events, bit for bit). The benchmark
# scripts build with the same flags (`make -s release-flags`).
X86_V3 := avx2 fma bmi1 bmi2 movbe abm f16c
RELEASE_FLAGS := $(shell [ -r /proc/cpuinfo ] && for f in $(X86_V3); do grep -qw $$f /proc/cpuinfo || exit 0; done && \
	echo "-Xswiftc -target-cpu -Xswiftc haswell")

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@python3 -c "import numpy" 2>/dev/null || { echo "installing numpy (the tests compare with it)"; \
	  python3 -m pip install --quiet numpy 2>/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy; }

build: setup
	$(SWIFT) build -c release --product deelema $(RELEASE_FLAGS)

# The main job: every method on the bundled t-tbar card (CMS detector, unknown pairing), DeeLeMa
# trained on half of the events (the raw bench), then a small calibration of the fast methods and
# DeeLeMa (3 true top masses x 5 pseudo-experiments of 2000 events, JES +-2 %); sizes chosen to
# finish in under 10 minutes on 2 cores. A finished calibration point is kept and skipped.
RUN_EVENTS ?= 20000
RUN_REPORT ?= out/bench_ttbar
RUN_CALIBRATION ?= out/calibration_ttbar

run: build
	$(BIN) bench --topology ttbar --events $(RUN_EVENTS) --detector cms --pairing unknown --seed 1 --report $(RUN_REPORT)
	$(BIN) calibrate --topology ttbar --masses 169.5,172.5,175.5 --pseudo-experiments 5 --events-per-experiment 2000 \
	  --detector cms --pairing unknown --methods mt2,massscan,m2,deelema --seed 1 --report $(RUN_CALIBRATION)

test: setup
	$(SWIFT) test --disable-xctest

# The batch path against a running Slurm: a throw-away single-node cluster on localhost (installs
# slurm-wlm and munge when missing), a small sweep and sharded generation through the scripts of
# `--emit slurm`, one task cancelled on purpose and the re-emitted script finishing the job.
test-batch: build
	bash scripts/test_batch.sh

release-flags:
	@echo $(RELEASE_FLAGS)

clean:
	rm -rf .build out
