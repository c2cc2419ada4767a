# GrokSim: `make demo` and `make test` do everything on a fresh Debian machine (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
NP ?= $(shell nproc)
PYTHON ?= python3
DEB_PACKAGES := libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools libopenblas-dev pkg-config \
  libgsl-dev libglpk-dev libsvm-dev
# Python packages the integration tests use to read run files independently of GrokSim.
PY_PACKAGES := h5py numpy pytest scipy
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
MPIRUN := mpirun --oversubscribe $(if $(filter 0,$(shell id -u)),--allow-run-as-root,)
# One BLAS thread per rank: ranks already use the cores.
export OPENBLAS_NUM_THREADS ?= 1
DEMO_DIR ?= demo

.PHONY: all deps py-deps build release test unit-test integration-test demo bench clean

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

py-deps:
	@$(PYTHON) -c "import h5py, numpy, pytest, scipy" 2>/dev/null || $(PYTHON) -m pip install --quiet $(PY_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

unit-test: build
	$(SWIFT) test

integration-test: build py-deps
	GROKSIM_BIN=$$($(SWIFT) build --show-bin-path)/groksim MPIRUN="$(MPIRUN)" \
	  $(PYTHON) -m pytest -q Tests/integration

test: unit-test integration-test

demo: release
	@mkdir -p $(DEMO_DIR)
	$(MPIRUN) -n $(NP) $$($(SWIFT) build -c release --show-bin-path)/groksim run --preset xu2024-fig1 \
	  --out $(DEMO_DIR)/xu2024-fig1.h5 --force
	$$($(SWIFT) build -c release --show-bin-path)/groksim analyze $(DEMO_DIR)/xu2024-fig1.h5 --force
	$$($(SWIFT) build -c release --show-bin-path)/groksim plot $(DEMO_DIR)/xu2024-fig1.h5 --out $(DEMO_DIR) --force
	@# The theorem's own regime (p = 10^12, exact-reduced representation): a second or two.
	$(MPIRUN) -n $(NP) $$($(SWIFT) build -c release --show-bin-path)/groksim run --preset theorem-n200 \
	  --out $(DEMO_DIR)/theorem-n200.h5 --force
	$$($(SWIFT) build -c release --show-bin-path)/groksim analyze $(DEMO_DIR)/theorem-n200.h5 --force
	$$($(SWIFT) build -c release --show-bin-path)/groksim plot $(DEMO_DIR)/theorem-n200.h5 --out $(DEMO_DIR)/theorem-n200 --force

# The benchmark suite on one rank and on every core; records go to $(BENCH_JSON) as well.
BENCH_JSON ?= bench-results.json
bench: release py-deps
	rm -f $(BENCH_JSON)
	$(MPIRUN) -n 1 $$($(SWIFT) build -c release --show-bin-path)/groksim bench --suite --json $(BENCH_JSON)
	$(MPIRUN) -n $(NP) $$($(SWIFT) build -c release --show-bin-path)/groksim bench --suite --json $(BENCH_JSON)

clean:
	rm -rf .build $(DEMO_DIR)
