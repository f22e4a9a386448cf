# The README's two commands: `make serve` (build the release page and serve it on
# http://127.0.0.1:8080) and `make test` (every test, native to browser; see
# scripts/test-all.sh). Both install whatever is missing first (scripts/setup.sh).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Tools installed by scripts/setup.sh: cargo-installed trunk and wasm-bindgen-cli, and the
# npm wasm-opt that Trunk picks up from PATH.
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/e2e/node_modules/.bin:$(PATH)

# Room for a loaded 2-core machine (defaults: 20 s per run, 5 s for chromedriver to start).
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT ?= 30

PORT ?= 8080
RUNS ?= 11

.PHONY: help serve test setup native wasm-test build-web size size-strict size-report e2e first-render clean

help:
	@echo "make serve         build the release page and serve it on http://127.0.0.1:$(PORT)"
	@echo "make test          native tests, browser unit tests, release build, size budget, e2e tests"
	@echo "make setup         install what is missing (wasm32 target, trunk, wasm-bindgen-cli, chromium, npm packages)"
	@echo "make native        cargo test (native only)"
	@echo "make wasm-test     wasm-bindgen tests in headless Chromium"
	@echo "make build-web     trunk build --release --offline into dist/"
	@echo "make size          gzip sizes of dist/ against the 400 KB budget (reports; size-strict fails above it)"
	@echo "make size-report   where the wasm code goes, by origin (after build-web; scripts/wasm-size.py)"
	@echo "make e2e           Playwright tests against dist/ (after build-web)"
	@echo "make first-render  median time to first render of the default scenario (RUNS=$(RUNS))"

setup:
	scripts/setup.sh

# Serves the built dist/ with Python's static server (application/wasm included), the way
# the page is deployed; `trunk serve` is for development only.
serve: setup build-web
	@echo "serving dist/ on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

test:
	scripts/test-all.sh

native:
	cargo test --no-fail-fast

wasm-test: setup
	cargo test --target wasm32-unknown-unknown --test web

build-web: setup
	rm -rf dist
	trunk build --release --offline

size:
	python3 scripts/size-check.py dist

size-strict:
	python3 scripts/size-check.py dist --strict

# Function sizes by origin (sort copies, serde, yew, engine, ...) from the name section of the
# release wasm before wasm-opt; `python3 scripts/wasm-size.py --grep REGEX` lists functions.
size-report:
	python3 scripts/wasm-size.py

e2e:
	@test -f dist/index.html || { echo "no dist/index.html: run 'make build-web' first"; exit 1; }
	cargo build --bin bastion-sim
	cd e2e && E2E_PORT=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
		BASTION_SIM_BIN=$(CURDIR)/target/debug/bastion-sim npx --no-install playwright test

first-render: build-web
	scripts/first-render $(RUNS)

clean:
	rm -rf dist artifacts e2e/test-results
