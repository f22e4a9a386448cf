#!/usr/bin/env bash
# `make test`: every test of the project, cheapest first, in one run:
#   1. native `cargo test` (engine, CLI, scenarios);
#   2. scripts/setup.sh (installs only what is missing);
#   3. wasm-bindgen tests in headless Chromium (`cargo test --target wasm32-unknown-unknown --test web`);
#   4. `trunk build --release --offline` into dist/;
#   5. the gzip size of dist/ against the 400 KB budget (scripts/size-check.py, reported);
#   6. Playwright end-to-end tests against dist/ on a free loopback port.
# A failing stage does not hide the others (stages that need its output are skipped and
# counted as failed); the run exits non-zero if any stage failed, and its last line is
# `N passed, N failed` summed over every stage (cargo's tests, the build, the budget check
# and Playwright's tests), the line CI reads.
set -uo pipefail

cd "$(dirname "$0")/.."
repo="$(pwd)"
export PATH="$HOME/.cargo/bin:$repo/e2e/node_modules/.bin:$PATH"
# The browser runner's defaults (20 s per run, 5 s for chromedriver to start) are tight on a
# 2-core CI machine that is also compiling; a slow start is not a failing test.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}"
logs="$repo/artifacts/logs"
mkdir -p "$logs"

passed=0
failed=0
skipped_tests=0
status=0
timings=()

stage() { printf '\n==> %s\n' "$*"; }

# Adds up cargo's closing lines (`test result: ok. 3 passed; 0 failed; ...`) in a log.
count_cargo() {
  local log="$1" rc="$2" p f
  p=$(grep -oE 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  f=$(grep -oE '[0-9]+ failed;' "$log" | awk '{s += $1} END {print s + 0}')
  skipped_tests=$((skipped_tests + $(grep -oE '[0-9]+ ignored;' "$log" | awk '{s += $1} END {print s + 0}')))
  # A compile error or a crashed runner prints no count: it is one failure all the same.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  echo "[$p passed, $f failed]"
}

# A stage that is one check (the build, the budget): one pass or one failure.
count_one() {
  if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

timed() {
  local name="$1" start=$SECONDS rc
  shift
  "$@"
  rc=$?
  timings+=("$(printf '%-12s %4ds  %s' "$name" $((SECONDS - start)) "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
  [ $rc -ne 0 ] && status=1
  return $rc
}

native() {
  stage "1/6 native tests: cargo test"
  cargo test --no-fail-fast --color never 2>&1 | tee "$logs/native.log"
  local rc=${PIPESTATUS[0]}
  count_cargo "$logs/native.log" "$rc"
  return "$rc"
}

setup() {
  stage "2/6 tools: scripts/setup.sh"
  scripts/setup.sh 2>&1 | tee "$logs/setup.log"
  local rc=${PIPESTATUS[0]}
  count_one "$rc"
  return "$rc"
}

wasm() {
  stage "3/6 browser unit tests: cargo test --target wasm32-unknown-unknown --test web"
  cargo test --no-fail-fast --color never --target wasm32-unknown-unknown --test web 2>&1 | tee "$logs/wasm.log"
  local rc=${PIPESTATUS[0]}
  count_cargo "$logs/wasm.log" "$rc"
  return "$rc"
}

build_web() {
  stage "4/6 release page: trunk build --release --offline"
  rm -rf dist
  trunk build --release --offline 2>&1 | tee "$logs/trunk.log"
  local rc=${PIPESTATUS[0]}
  count_one "$rc"
  return "$rc"
}

size() {
  stage "5/6 download budget: scripts/size-check.py dist"
  python3 scripts/size-check.py dist 2>&1 | tee "$logs/size.log"
  local rc=${PIPESTATUS[0]}
  count_one "$rc"
  return "$rc"
}

e2e() {
  stage "6/6 end-to-end tests: Playwright + Debian's Chromium against dist/"
  local port results="$repo/artifacts/e2e-results.json" rc p f s
  cargo build --quiet --bin bastion-sim || { failed=$((failed + 1)); return 1; }
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -f "$results"
  (cd e2e && E2E_PORT="$port" BASTION_SIM_BIN="$repo/target/debug/bastion-sim" npx --no-install playwright test) 2>&1 |
    tee "$logs/e2e.log"
  rc=${PIPESTATUS[0]}
  if [ -f "$results" ]; then
    read -r p f s < <(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["stats"]; print(s["expected"] + s["flaky"], s["unexpected"], s["skipped"])' "$results")
    skipped_tests=$((skipped_tests + s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  else
    p=0 f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  echo "[$p passed, $f failed]"
  return "$rc"
}

skipped() {
  stage "$1: skipped, $2"
  failed=$((failed + 1))
  timings+=("$(printf '%-12s %4s   %s' "$1" - "SKIPPED ($2)")")
}

total_start=$SECONDS
timed native native
if timed setup setup; then
  timed wasm wasm
  if timed build-web build_web; then
    timed size size
    timed e2e e2e
  else
    skipped size "no dist/"
    skipped e2e "no dist/"
  fi
else
  skipped wasm "tools missing"
  skipped build-web "tools missing"
  skipped size "tools missing"
  skipped e2e "tools missing"
fi

printf '\n==> stages (logs in artifacts/logs/)\n'
printf '%s\n' "${timings[@]}"
printf '%-12s %4ds\n' total $((SECONDS - total_start))
if [ "$skipped_tests" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped_tests skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
