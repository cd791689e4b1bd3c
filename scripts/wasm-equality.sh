#!/usr/bin/env bash
# Proves the core compiled to wasm32 writes the same bytes as the native CLI: builds the wasm
# probe (tests/wasm-probe), binds it for Node with wasm-bindgen, has the native CLI write the
# template and policy of every shipped example, and compares them byte for byte in Node.
#   scripts/wasm-equality.sh [<wasm-bindgen binary>]   default: the one in the tool cache (scripts/tools.sh)
# The CLI is $ML_PROVISIONER_BIN (scripts/test.sh passes the one `cargo test` built), else the
# debug build (`cargo build -p ml-provisioner`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
if [ -n "${1:-}" ]; then
  wasm_bindgen=$1
else
  tools_install_wasm_bindgen
  wasm_bindgen=$TOOLS_WASM_BINDGEN
fi
tools_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --locked -p ml-provisioner-wasm-probe --target wasm32-unknown-unknown
"$wasm_bindgen" --target nodejs --out-dir "$work/probe" "${CARGO_TARGET_DIR:-target}"/wasm32-unknown-unknown/debug/ml_provisioner_wasm_probe.wasm
tools_generate_examples "$work" create-prov-template create-policy
node tests/wasm-probe/compare.mjs "$work/probe/ml_provisioner_wasm_probe.js" examples/configs "$work/ml"
