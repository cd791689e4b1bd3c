#!/usr/bin/env bash
# Proves the core compiled to wasm32 writes the same bytes as the native CLI: builds the wasm
# probe (tests/wasm-probe), binds it for Node with wasm-bindgen, has the native CLI write the
# template and policy of every shipped example, and compares them byte for byte in Node.
#   scripts/wasm-equality.sh <wasm-bindgen binary>
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_bindgen=${1:?usage: scripts/wasm-equality.sh <wasm-bindgen binary>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q -p ml-provisioner-wasm-probe --target wasm32-unknown-unknown
"$wasm_bindgen" --target nodejs --out-dir "$work/probe" target/wasm32-unknown-unknown/debug/ml_provisioner_wasm_probe.wasm
scripts/generate-examples.sh "$work"
node tests/wasm-probe/compare.mjs "$work/probe/ml_provisioner_wasm_probe.js" examples/configs "$work/ml"
