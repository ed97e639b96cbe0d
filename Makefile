# KL divergence calculator. Run "make" to list the targets.
#
# Builds are reproducible: -trimpath, CGO_ENABLED=0, and the site generator
# writes the same bytes for the same inputs.

GO         ?= go
ADDR       ?= 127.0.0.1:8000
BASE       ?= /
OUT        ?= dist
FUZZTIME   ?= 10m
FUZZ_SHORT ?= 30s

GOROOT_DIR      := $(shell $(GO) env GOROOT)
WASM_EXEC       := $(GOROOT_DIR)/lib/wasm/wasm_exec.js
GO_JS_WASM_EXEC := $(GOROOT_DIR)/lib/wasm/go_js_wasm_exec

# -race needs cgo (a C compiler); without one the tests run without it.
RACE := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && echo -race)

# The browser of the end-to-end tests: $(CHROME), or the first one in PATH.
# Recursively expanded, so that it sees a Chromium that "make chromium" has
# just installed.
CHROME ?= $(shell for c in chromium chromium-browser google-chrome google-chrome-stable; do command -v $$c && break; done)

WASM_SRC := go.mod go.sum $(shell find app compute wasm -type f ! -name '*_test.go' ! -path '*/testdata/*' 2>/dev/null)
CMD_SRC  := $(shell find cmd/klcalc -name '*.go' ! -name '*_test.go')
WEB_SRC  := $(filter-out web/app.wasm%,$(wildcard web/*))
SITE     := build/site/.klcalc-site
RUN_SITE := build/run/.klcalc-site

# The C brotli tool, where installed, compresses the published sites: it
# is about 4x faster than the Go encoder at quality 11 (22 s against 88 s
# for the wasm on one core). make run serves its own copy at RUN_BROTLI, a
# quality that takes under a second, since nothing is sent over a network.
BROTLI_CMD := $(shell command -v brotli 2>/dev/null)
RUN_BROTLI ?= 5

# step prints what a recipe is about to do, so that a long build never
# looks hung; $(call step,text).
step = @printf 'make: %s\n' $(1)

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@echo "Targets (variables: ADDR=$(ADDR) BASE=$(BASE) OUT=$(OUT) FUZZTIME=$(FUZZTIME) CHROME=...):"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-11s %s\n", $$1, $$2}'

web/app.wasm: $(WASM_SRC)
	$(call step,"building web/app.wasm (GOOS=js GOARCH=wasm; about 30 s from an empty build cache)")
	@start=$$(date +%s); CGO_ENABLED=0 GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm && \
	printf 'make: web/app.wasm built in %s s\n' $$(( $$(date +%s) - start ))

.PHONY: wasm
wasm: web/app.wasm ## Build web/app.wasm (GOOS=js GOARCH=wasm)

build/klcalc: $(CMD_SRC) $(WASM_SRC)
	$(call step,"building build/klcalc (the server and site generator; about 30 s from an empty build cache)")
	@start=$$(date +%s); CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $@ ./cmd/klcalc && \
	printf 'make: build/klcalc built in %s s\n' $$(( $$(date +%s) - start ))

$(SITE): web/app.wasm build/klcalc $(WEB_SRC) $(WASM_EXEC)
	$(call step,"writing the site to build/site (brotli quality 11$(if $(BROTLI_CMD), by $(BROTLI_CMD), by the Go encoder: install brotli to make it 4x faster))")
	build/klcalc site -wasm web/app.wasm -web web -out build/site -base / -wasm-exec $(WASM_EXEC) $(if $(BROTLI_CMD),-brotli-cmd $(BROTLI_CMD))

$(RUN_SITE): web/app.wasm build/klcalc $(WEB_SRC) $(WASM_EXEC)
	$(call step,"writing the site to build/run (brotli quality $(RUN_BROTLI), gzip -1: fast, for serving on this machine)")
	@build/klcalc site -wasm web/app.wasm -web web -out build/run -base / -wasm-exec $(WASM_EXEC) -brotli-quality $(RUN_BROTLI) -gzip-level 1

.PHONY: site
site: $(SITE) ## Build the static site in build/site (served at /)

# run builds the wasm and the server side by side (-j2), then a quickly
# compressed site of its own, so that a first run answers in about 55 s on
# two cores and a second in about a second.
.PHONY: run
run: ## Build and serve at http://127.0.0.1:8000 (ADDR=:9000 to change); Ctrl-C stops
	@$(MAKE) --no-print-directory -j2 web/app.wasm build/klcalc
	@$(MAKE) --no-print-directory $(RUN_SITE)
	$(call step,"serving build/run at http://$(ADDR)/ (Ctrl-C stops)")
	@build/klcalc serve -addr $(ADDR) -dir build/run

.PHONY: static
static: ## Build the site for any static host: make static [BASE=/repo/] [OUT=dist]
	@$(MAKE) --no-print-directory -j2 web/app.wasm build/klcalc
	$(call step,"writing the site to $(OUT) for base $(BASE) (brotli quality 11$(if $(BROTLI_CMD), by $(BROTLI_CMD), by the Go encoder: install brotli to make it 4x faster))")
	build/klcalc site -wasm web/app.wasm -web web -out $(OUT) -base $(BASE) -wasm-exec $(WASM_EXEC) $(if $(BROTLI_CMD),-brotli-cmd $(BROTLI_CMD))

.PHONY: test
test: lint oracle-verify test-unit test-oracle test-wasm fuzz-short test-e2e ## Everything: lint, oracles, unit tests, js/wasm tests, short fuzzing, browser tests

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

build/staticcheck:
	GOBIN=$(CURDIR)/build $(GO) install $(STATICCHECK)

.PHONY: lint
lint: build/staticcheck ## gofmt -l, go vet and staticcheck (native, and GOOS=js GOARCH=wasm: the native-only cmd/ tools are built !js)
	@files=$$(gofmt -l $$(find . -name '*.go' -not -path './build/*' -not -path './dist/*')); \
	if [ -n "$$files" ]; then echo "gofmt -l lists:" $$files >&2; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	build/staticcheck ./...
	GOOS=js GOARCH=wasm build/staticcheck ./...

.PHONY: test-unit
test-unit: ## Native unit tests (-race when cgo is available)
	$(GO) test $(RACE) ./...

.PHONY: test-wasm
test-wasm: ## compute tests under GOOS=js GOARCH=wasm, run by Node
	@command -v node >/dev/null || { echo "node not found: the js/wasm tests need Node.js (sudo apt-get install nodejs)" >&2; exit 1; }
	GOOS=js GOARCH=wasm $(GO) test -exec="$(GO_JS_WASM_EXEC)" ./compute/...

# The oracles: inputs and the values real PyTorch 1.13.1, SciPy 1.10.1 and
# glibc return for them, written by the gen.py beside each, committed, and
# read by the Go tests. Debian's /usr/bin/python3 has python3-torch and
# python3-scipy; a python3 earlier in PATH may not.
PYTHON  ?= /usr/bin/python3
ORACLES := compute/testdata/oracle compute/testdata/gradient compute/testdata/frameworks compute/distill/testdata compute/rl/testdata \
	compute/internal/torchcpu/testdata/libm compute/internal/torchcpu/testdata/sleef compute/tensorfile/testdata

.PHONY: oracle
oracle: ## Rewrite the oracles with the installed PyTorch, SciPy and glibc (PYTHON=/usr/bin/python3)
	@for d in $(ORACLES); do echo "$(PYTHON) $$d/gen.py"; (cd $$d && $(PYTHON) gen.py) || exit 1; done

.PHONY: oracle-verify
oracle-verify: ## Check the committed oracles against the installed PyTorch, SciPy and glibc: the same bytes, or compute's tests passing on what this machine writes
	@if ! $(PYTHON) -c 'import torch, scipy' 2>/dev/null; then \
		echo "oracle-verify: $(PYTHON) lacks torch or scipy (apt-get install python3-torch python3-scipy): not checked"; \
		[ -z "$$CI" ] || exit 1; exit 0; fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp -r go.mod go.sum compute "$$tmp/" || exit 1; \
	differ=""; \
	for d in $(ORACLES); do \
		(cd "$$tmp/$$d" && $(PYTHON) gen.py >/dev/null) || exit 1; \
		for f in "$$d"/*.gz; do cmp -s "$$f" "$$tmp/$$f" || differ="$$differ $$f"; done; \
	done; \
	if [ -z "$$differ" ]; then echo "oracle-verify: the committed oracles are what this machine's PyTorch, SciPy and glibc give"; exit 0; fi; \
	echo "oracle-verify: this machine writes other bytes for$$differ"; \
	echo "  (NumPy and PyTorch pick SIMD code by CPU, which can change the last bits of generated inputs): testing compute against what it writes"; \
	(cd "$$tmp" && $(GO) test -count=1 ./compute/...) || { echo "oracle-verify: compute disagrees with the oracles this machine writes: run make oracle and compare" >&2; exit 1; }; \
	echo "oracle-verify: compute agrees with the oracles this machine's PyTorch, SciPy and glibc write"

.PHONY: test-oracle
test-oracle: ## Compare compute with the PyTorch and SciPy oracles, and print the tables
	@log=$$(mktemp); $(GO) test -count=1 -run '^(TestOracle|TestGradientOracle|TestFrameworksOracle)$$' -v ./compute/ >"$$log" 2>&1; rc=$$?; \
	grep -v -e '^=== RUN' -e '^--- PASS' "$$log"; rm -f "$$log"; exit $$rc

.PHONY: fuzz-short
fuzz-short: ## Run every Fuzz target of ./compute and ./app for FUZZ_SHORT (30s)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_SHORT)

# Go 1.26 can end a healthy -fuzztime run with a bare "context deadline
# exceeded" (go.dev/issue/75804, fixed in Go 1.27). Such a run writes no
# crasher to testdata/fuzz/<target>/, so it is reported and not failed; any
# other failure, or a new crasher, fails.
.PHONY: fuzz
fuzz: ## Run every Fuzz target of ./compute and ./app for FUZZTIME (10m) each
	@targets=$$(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' compute app | sed 's|^\(.*\)/[^/:]*:func |\1 |' | sort -u); \
	if [ -z "$$targets" ]; then echo "no Fuzz targets in ./compute or ./app"; exit 0; fi; \
	log=$$(mktemp); trap 'rm -f "$$log" "$$log.rc"' EXIT; \
	echo "$$targets" | while read -r dir name; do \
		echo "$(GO) test -run='^$$' -fuzz='^$$name$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./$$dir"; \
		before=$$(ls "$$dir/testdata/fuzz/$$name" 2>/dev/null | wc -l); \
		{ $(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./$$dir; echo $$? > "$$log.rc"; } 2>&1 | tee "$$log"; \
		[ "$$(cat "$$log.rc")" = 0 ] && continue; \
		after=$$(ls "$$dir/testdata/fuzz/$$name" 2>/dev/null | wc -l); \
		if [ "$$after" = "$$before" ] && grep -q '^    context deadline exceeded$$' "$$log"; then \
			echo "note: $$name stopped with Go's fuzztime race (go.dev/issue/75804) and no crasher: not a failure"; \
		else exit 1; fi; \
	done

# axe-core, the accessibility engine the browser tests inject, from npm at
# the version package-lock.json pins.
NPM_DIR := cmd/internal/e2e/npm
AXE := $(NPM_DIR)/node_modules/axe-core/axe.min.js
$(AXE): $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the browser tests need Node.js and npm for axe-core" >&2; exit 1; }
	npm ci --prefix $(NPM_DIR) --no-audit --no-fund
	@touch $@

.PHONY: test-e2e
# -p 1: the browser tests time what the page does, so no other test
# package (cmd/klcalc builds a whole site with brotli) may run beside them.
test-e2e: $(SITE) chromium $(AXE) ## Browser tests: the real server and build/site in headless Chromium, with axe-core
	KLCALC_E2E_SITE=$(CURDIR)/build/site KLCALC_BIN=$(CURDIR)/build/klcalc KLCALC_AXE=$(CURDIR)/$(AXE) CHROME="$(CHROME)" $(GO) test -count=1 -p 1 -run='^Test(E2E|Exported)' ./cmd/...

.PHONY: chromium
chromium: ## Check for Chromium; as root, install it with apt-get if missing
	@if [ -n "$(CHROME)" ]; then echo "chromium: $(CHROME)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Chromium not found; installing it with apt-get"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	else \
		echo "Chromium not found: install it with 'sudo apt-get install chromium', or set CHROME=/path/to/chrome" >&2; exit 1; \
	fi

# Lighthouse, for make bench only (make test does not install it), from
# npm at the version package-lock.json pins.
BENCH_NPM  := cmd/klbench/npm
LIGHTHOUSE := $(BENCH_NPM)/node_modules/.bin/lighthouse
$(LIGHTHOUSE): $(BENCH_NPM)/package.json $(BENCH_NPM)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: make bench needs Node.js and npm for Lighthouse" >&2; exit 1; }
	npm ci --prefix $(BENCH_NPM) --no-audit --no-fund
	@touch $@

.PHONY: bench
bench: $(SITE) chromium $(LIGHTHOUSE) ## Performance budgets (issues 5 and 10) in Chromium, Node and Lighthouse; writes cmd/klbench/RESULTS.md (QUICK=1: short)
	@command -v node >/dev/null || { echo "node not found: make bench needs Node.js (sudo apt-get install nodejs)" >&2; exit 1; }
	CHROME="$(CHROME)" $(GO) run ./cmd/klbench -go $(GO) -klcalc build/klcalc -site build/site -web web \
		-wasm-exec $(WASM_EXEC) -lighthouse $(LIGHTHOUSE) -out cmd/klbench/RESULTS.md $(if $(QUICK),-quick)

.PHONY: icons
icons: ## Redraw web/icon.svg, web/icon-192.png and web/icon-512.png
	$(GO) run ./cmd/iconsgen -out web

.PHONY: clean
clean: ## Remove build outputs (build/, dist/, web/app.wasm*)
	rm -rf build dist web/app.wasm web/app.wasm.br web/app.wasm.gz
