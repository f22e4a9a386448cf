#!/usr/bin/env bash
# Installs what building and testing the page needs, and only what is missing, so a second
# run takes seconds: the wasm32 target, Trunk, wasm-bindgen-cli matching Cargo.lock,
# Debian's Chromium and ChromeDriver, the e2e npm packages (wasm-opt, Playwright), crates.
# Nothing is downloaded from outside the package registries (crates.io, npm, Debian).
set -euo pipefail

cd "$(dirname "$0")/.."
repo="$(pwd)"

TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$repo/e2e/node_modules/.bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. The wasm32 target of the machine's one Rust toolchain.
# (grep without -q reads all input: with -q, rustup could die of SIGPIPE and pipefail would say no.)
if rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk, pinned: 0.22 needs a newer Rust than 1.95.
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION present"
else
  say "installing trunk $TRUNK_VERSION (about 6-7 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli equal to Cargo.lock's wasm-bindgen: Trunk (offline) and the test
#    runner refuse any other version. Without --locked: its own lock file pins a crate
#    that the registry index no longer serves.
bindgen_version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$bindgen_version" ]; then
  say "Cargo.lock has no wasm-bindgen yet: skipping wasm-bindgen-cli"
elif [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $bindgen_version" ] &&
  command -v wasm-bindgen-test-runner >/dev/null; then
  say "wasm-bindgen-cli $bindgen_version present"
else
  say "installing wasm-bindgen-cli $bindgen_version (about 4-5 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# 4. Debian's Chromium and its matching ChromeDriver (one source package, same version).
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium and chromedriver present"
else
  say "installing Debian's chromium and chromium-driver"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

# 5. The e2e packages: binaryen (wasm-opt 132, which reads rustc 1.95 output; Debian's
#    binaryen cannot) and @playwright/test (no browser download). Reinstalled when the
#    lock file changed since the last install.
lock_hash="$(sha256sum e2e/package-lock.json | cut -d' ' -f1)"
stamp=e2e/node_modules/.bastion-sim-lock-hash
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -x e2e/node_modules/.bin/wasm-opt ]; then
  say "e2e/node_modules up to date"
else
  say "npm ci in e2e/"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$lock_hash" >"$stamp"
fi

# 6. Every crate, for both targets, so Trunk can build with --offline.
say "cargo fetch"
cargo fetch --quiet

say "versions: $(trunk --version), $(wasm-bindgen --version 2>/dev/null || echo 'wasm-bindgen: none'), $(wasm-opt --version), $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
