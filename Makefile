# deelema testbed: `make run` sets up, builds and runs the main job; `make test` runs the suite.
SWIFT ?= swift
BIN := .build/release/deelema
APT_PACKAGES := libgsl-dev libopenblas-dev pkg-config gnuplot-nox zlib1g-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build run test bench clean

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

build: setup
	$(SWIFT) build -c release --product deelema

run: build
	$(BIN) generate --topology ttbar --events 100000 --detector cms --seed 1 --output out/ttbar_cms.npz
	$(BIN) inspect out/ttbar_cms.npz

test: setup
	$(SWIFT) test --disable-xctest

clean:
	rm -rf .build out
