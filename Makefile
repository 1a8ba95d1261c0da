# deelema testbed: `make run` sets up, builds and runs the main job; `make test` runs the suite.
SWIFT ?= swift
BIN := .build/release/deelema
APT_PACKAGES := libgsl-dev libopenblas-dev pkg-config gnuplot-nox zlib1g-dev python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build run test bench clean

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@python3 -c "import numpy" 2>/dev/null || { echo "installing numpy (the tests compare with it)"; \
	  python3 -m pip install --quiet numpy 2>/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy; }

build: setup
	$(SWIFT) build -c release --product deelema

# The main job: every method on the bundled t-tbar card (CMS detector, unknown pairing), DeeLeMa
# trained on half of the events; sizes chosen to finish in under 10 minutes on 2 cores.
RUN_EVENTS ?= 20000
RUN_REPORT ?= out/bench_ttbar

run: build
	$(BIN) bench --topology ttbar --events $(RUN_EVENTS) --detector cms --pairing unknown --seed 1 --report $(RUN_REPORT)

test: setup
	$(SWIFT) test --disable-xctest

clean:
	rm -rf .build out
