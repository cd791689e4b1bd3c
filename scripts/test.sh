#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs (from crates.io, npm, PyPI and
# Debian only), then runs formatting, lints (native and wasm32), every test, the browser app's
# end-to-end test, a bounded fuzz run and the quick benchmarks. `.ci/run` calls exactly this,
# keeping cargo's build folders per machine (see the end of this comment).
#
#   scripts/test.sh                  everything
#   FUZZ_SECONDS=0 scripts/test.sh   skip the fuzz run (still built), e.g. while iterating
#
# Tools. Debian's chromium, a Java runtime (the Nu Html Checker), hyperfine, podman, runc and
# mmdebstrap are installed with apt-get, which needs root. Everything else is built or installed once per machine by
# scripts/tools.sh into a cache outside the clone, keyed by version:
# ${ML_PROVISIONER_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-provisioner-tools} (wasm-bindgen-cli
# from crates.io, the npm tools, a Python venv for cfn-lint, parliament and the validation
# benchmark's peer, and a second one for moto — the local AWS endpoint of the end-to-end tests —
# and the AWS CLI, the deploy benchmark's peer; and cfn-lint's source distribution, whose test
# templates are the peer corpus of validate-prov-template). Nothing goes into a system Python. Trunk is not needed: scripts/web-bundle.sh builds the
# same bundle (byte for byte) with cargo, wasm-bindgen and wasm-opt. Measured 2026-12-01 on 2
# cores shared with another build: wasm-bindgen-cli 189 s, npm tools 5 s, venv 17 s the first
# time; every tool from the cache 0.7 s. Trunk, no longer built here, took 20 min.
#
# What gets compiled, and why each build is there. Found 2026-12-01 with `cargo +nightly build
# -Z unstable-options --unit-graph ...`, which lists the units a command would compile without
# compiling them (compared by package, target, mode, features, profile settings and
# dependencies: what an artifact's hash is made of), and timed where a number is given (2 cores
# shared with another engineer's builds, load 2-5: upper bounds).
#   - clippy, native (all targets) and wasm32 (the core alone, then the web app): check builds.
#     The native check shares only build scripts and proc macros with the test build (112 of 475
#     units): nothing to share. The core's wasm32 check stays apart from the web app's: it proves
#     the core compiles for wasm32 with no other crate's features (41 units more than the web
#     app's 343).
#   - `cargo test --workspace` (dev) builds the CLI, target/debug/ml-provisioner, for the CLI's
#     integration tests. lint-generated.sh, wasm-equality.sh and web-e2e.sh now use that binary
#     (ML_PROVISIONER_BIN; the files it writes are the same in every profile). Before, the first
#     two ran `cargo build -p ml-provisioner` (through the since removed generate-examples.sh) and web-e2e.sh
#     `cargo build --release -p ml-provisioner`. A CLI-only selection unifies fewer features than
#     the whole workspace (the web app's dependencies turn on syn's "full", proc-macro2's
#     "span-locations", ...), so the dev build recompiled 69 units, cloudformation-validate and
#     everything that derives serde, for the same program: 194 s after `cargo test --workspace
#     --no-run` (582 s).
#   - The core's own wasm32 debug build is gone: the wasm probe (wasm-equality.sh) compiles the
#     core for wasm32 anyway (115 of the probe's 125 units are that build; 9 differ by features).
#   - Release is built only for the benchmarks. `cargo bench` uses target/release and reuses
#     release artifacts: the bench profile inherits release unchanged and a profile's name is not
#     part of an artifact's hash (on a test crate, `cargo bench --no-run` after `cargo build
#     --release` compiled no dependency). But `cargo bench -p ml-provisioner-core` alone turns on
#     the core's dev-dependencies (criterion, proptest, insta) and so other features than the
#     CLI's release build: 82 of its 160 units were not shared. Before: `cargo build --release -p
#     ml-provisioner` 265 s, then that bench build 110 s more. Now bench.sh builds the CLI and the
#     criterion bench in one invocation (275 units instead of 236 + 82: 258 s from scratch) and
#     runs `cargo bench` with the same packages selected, which then compiles nothing (122 fresh).
#   - web-release (wasm32, opt-level z, LTO; 287 s from scratch) for the web bundle, and the fuzz
#     target (its own folder, instrumented): one build each, nothing to share.
# .ci/run keeps cargo's build folders per machine beside the tool cache (CARGO_TARGET_DIR,
# FUZZ_TARGET_DIR), so a later CI run on the same machine compiles only what changed; run by
# hand, this script builds in ./target as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
step() { printf '\n==> %s\n' "$*"; }

step "toolchain (rust-toolchain.toml pins Rust, clippy, rustfmt and the wasm32 target)"
command -v cargo >/dev/null || { echo "cargo not found: install rustup (https://rustup.rs) first" >&2; exit 1; }
# A first `cargo` call does not install the pinned toolchain where rustup's auto-install is off
# (RUSTUP_AUTO_INSTALL=0, as on these machines): this does. With no argument it reads
# rust-toolchain.toml (toolchain, components, wasm32 target) and does nothing when all is there.
rustup toolchain install
rustc --version

step "tools"
# Debian: Chromium (driven by playwright-core, never a downloaded browser), a Java runtime for the
# Nu Html Checker, hyperfine for the benchmarks, podman (with runc) and mmdebstrap for the
# container image's check.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "needed from Debian, as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export CHROMIUM=${CHROMIUM:-$(command -v chromium)}
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
tools_install
export SARIF_SCHEMA=$TOOLS_SARIF_SCHEMA  # native-cli process::sarif_is_valid_against_the_sarif_schema
export NODE_TOOLS=$TOOLS_NODE_MODULES
export CFN_LINT_VENV=$VENV_DIR  # drawn configs' templates and policies go through cfn-lint and parliament

step "format"
cargo fmt --all -- --check

step "no import circle between the core's modules (the checker first proves it rejects one)"
python3 scripts/module-cycles.py --self-test
python3 scripts/module-cycles.py core/src

step "clippy (native, all targets; the core and the web app for wasm32)"
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p ml-provisioner-core --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p ml-provisioner-web --target wasm32-unknown-unknown -- -D warnings

step "local AWS endpoint: moto 5.2.5 extended (tests/moto/launcher.py) and its self-check"
# The self-check deploys templates the CLI generates: the CLI `cargo test` builds below, built
# here first by the same command (which then compiles nothing more).
cargo test --locked --workspace --no-run
ML_PROVISIONER_BIN=${CARGO_TARGET_DIR:-$root/target}/debug/ml-provisioner \
  "$TOOLS_MOTO_PYTHON" tests/moto/check_launcher.py
export ML_PROVISIONER_MOTO_PYTHON=$TOOLS_MOTO_PYTHON  # the CLI's end-to-end tests start the launcher with it
# The change set and drift JSON the CLI writes in those tests, for the browser app's e2e to open.
ML_PROVISIONER_STACK_REPORTS=$(mktemp -d)
export ML_PROVISIONER_STACK_REPORTS

step "tests"
export ML_PROVISIONER_FULL_TESTS=1
export INSTA_UPDATE=no  # a snapshot that changed fails; review with `cargo insta review`
cargo test --locked --workspace
# The CLI that `cargo test` built for its integration tests: every script below uses it.
export ML_PROVISIONER_BIN=${CARGO_TARGET_DIR:-$root/target}/debug/ml-provisioner

step "the config schema in an editor: yaml-language-server on the examples, the corpus and a folder outside the repository (docs/editor.md)"
node tests/schema/yls-check.mjs

step "generated templates and policies against cfn-lint, checkov and parliament"
CHECKOV_VENV=$CHECKOV_VENV_DIR scripts/lint-generated.sh "$VENV_DIR"

step "validate-prov-template against cfn-lint 1.58 on cfn-lint's own test templates (docs/peer-corpus.md)"
scripts/peer-corpus.sh "$VENV_DIR"

step "native and wasm32 output are byte-identical (builds the core for wasm32)"
scripts/wasm-equality.sh "$TOOLS_WASM_BINDGEN"

step "browser app: release bundle (cargo, wasm-bindgen, wasm-opt) and end-to-end test in Chromium"
scripts/web-e2e.sh

step "container image: hadolint, the three tier tags built with podman, run locked down (scripts/image-check.sh)"
scripts/image-check.sh

step "fuzz the config parser (bounded)"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

step "benchmarks (quick; numbers are printed, never asserted)"
scripts/bench.sh --quick

step "all green"
