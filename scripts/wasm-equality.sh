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
cargo build -q -p ml-provisioner
bin=$PWD/target/debug/ml-provisioner
for config in examples/configs/*.yaml; do
  (cd "$work" && "$bin" -con "$OLDPWD/$config" -act create-prov-template >/dev/null 2>&1 \
     && "$bin" -con "$OLDPWD/$config" -act create-policy >/dev/null 2>&1) \
    || { echo "generation failed for $config" >&2; exit 1; }
done
node tests/wasm-probe/compare.mjs "$work/probe/ml_provisioner_wasm_probe.js" examples/configs "$work/ml"
