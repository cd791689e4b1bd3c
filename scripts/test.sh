#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs (from crates.io, npm, PyPI and
# Debian only), then runs formatting, lints (native and wasm32), the wasm32 build of the core,
# every test, a bounded fuzz run and the quick benchmarks. `.ci/run` calls exactly this.
#
#   scripts/test.sh            everything
#   FUZZ_SECONDS=0 scripts/test.sh   skip the fuzz run (still built), e.g. while iterating
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
step() { printf '\n==> %s\n' "$*"; }

step "toolchain (rust-toolchain.toml pins Rust, clippy, rustfmt and the wasm32 target)"
command -v cargo >/dev/null || { echo "cargo not found: install rustup (https://rustup.rs) first" >&2; exit 1; }
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustc --version

step "tools"
tools=$root/.tools
mkdir -p "$tools"
# From npm, pinned: Microsoft's SARIF validator (our SARIF is what code-scanning tools accept);
# the Nu Html Checker, playwright-core and axe-core for the review report and the web app;
# binaryen 132's wasm-opt for Trunk (Debian's 108 writes modules that break at run time).
npm_tools="@microsoft/sarif-multitool@5.7.0 vnu-jar@26.9.27 playwright-core@1.65.1 axe-core@4.14.1 binaryen@132.0.0"
if [ "$(cat "$tools/npm-tools" 2>/dev/null)" != "$npm_tools" ]; then
  # shellcheck disable=SC2086
  npm install --silent --no-audit --no-fund --prefix "$tools" $npm_tools
  echo "$npm_tools" >"$tools/npm-tools"
fi
export SARIF_MULTITOOL=$tools/node_modules/.bin/sarif-multitool
export NODE_TOOLS=$tools/node_modules
# Debian's Chromium (driven by playwright-core, never a downloaded browser) and a Java runtime
# for the Nu Html Checker.
if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium default-jre-headless >/dev/null
  else
    echo "chromium and java are needed (apt-get install chromium default-jre-headless)" >&2
    exit 1
  fi
fi
export CHROMIUM=${CHROMIUM:-$(command -v chromium)}
# wasm-bindgen CLI (crates.io), the exact version of the wasm-bindgen crate in Cargo.lock (≈8 min
# to build the first time): binds the wasm32 core for the native-vs-wasm equality check.
if ! "$tools/cargo/bin/wasm-bindgen" --version 2>/dev/null | grep -q "0.2.130"; then
  cargo install -q wasm-bindgen-cli --version 0.2.130 --root "$tools/cargo"
fi
# Trunk (crates.io, ≈16 min to build the first time; 0.22 needs a newer rustc) builds the web
# app's release bundle.
if ! "$tools/cargo/bin/trunk" --version 2>/dev/null | grep -q "0.21.14"; then
  cargo install -q trunk --version 0.21.14 --locked --root "$tools/cargo"
fi
# hyperfine (Debian) and the Python peer's libraries (PyPI), for the quick benchmarks.
if ! command -v hyperfine >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends hyperfine >/dev/null
  fi
fi
python3 -c "import yaml, jsonschema" 2>/dev/null || python3 -m pip install -q "pyyaml==6.0.3" "jsonschema==4.26.0"
# cfn-lint (its registry schemas carry the handler permissions) and parliament, in a project venv.
if [ ! -x "$tools/venv/bin/cfn-lint" ] || ! "$tools/venv/bin/cfn-lint" --version | grep -q "1.58.0"; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q "cfn-lint==1.58.0" "parliament==1.6.4"
fi

step "format"
cargo fmt --all -- --check

step "clippy (native, all targets) and the core for wasm32"
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p ml-provisioner-core --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p ml-provisioner-web --target wasm32-unknown-unknown -- -D warnings
cargo build --locked -p ml-provisioner-core --target wasm32-unknown-unknown

step "tests"
export ML_PROVISIONER_FULL_TESTS=1
export CFN_LINT_VENV=$tools/venv  # drawn configs' templates and policies go through cfn-lint and parliament
export INSTA_UPDATE=no  # a snapshot that changed fails; review with `cargo insta review`
cargo test --locked --workspace

step "generated templates and policies against cfn-lint and parliament"
scripts/lint-generated.sh "$tools/venv"

step "native and wasm32 output are byte-identical"
scripts/wasm-equality.sh "$tools/cargo/bin/wasm-bindgen"

step "browser app: release bundle (trunk) and end-to-end test in Chromium"
TOOLS=$tools scripts/web-e2e.sh

step "fuzz the config parser (bounded)"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

step "benchmarks (quick; numbers are printed, never asserted)"
if command -v hyperfine >/dev/null; then
  scripts/bench.sh --quick
else
  echo "hyperfine is not installed and cannot be (not root or no apt-get): benchmarks not run" >&2
  exit 1
fi

step "all green"
