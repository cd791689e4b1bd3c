#!/usr/bin/env bash
# Builds the browser app's release bundle in dist/ (scripts/web-bundle.sh: cargo, wasm-bindgen,
# wasm-opt; or Trunk with --trunk), writes the CLI's files for the download comparison, serves
# dist/ on 127.0.0.1 and runs tests/browser/web-e2e.mjs, then tests/browser/web-defects.mjs and
# tests/browser/web-review.mjs, in Debian's Chromium, then the keystroke benchmark
# (tests/browser/keystroke.mjs). Prints the bundle size and the in-browser timings (BENCHMARKS.md).
#   scripts/web-e2e.sh            the bundle from scripts/web-bundle.sh (what CI runs)
#   scripts/web-e2e.sh --trunk    the bundle from `trunk build --release` (trunk is built into the
#                                 tool cache the first time, ≈16 min)
# Tools come from the cache (scripts/tools.sh). The CLI is $ML_PROVISIONER_BIN (scripts/test.sh
# passes the one `cargo test` built), else the debug build (`cargo build -p ml-provisioner`):
# the files it writes are the same in every profile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
tools_install_npm
export NODE_PATH=${NODE_TOOLS:-$TOOLS_NODE_MODULES}

case ${1:-} in
  "") scripts/web-bundle.sh dist ;;
  --trunk)
    tools_install_wasm_bindgen
    tools_install_trunk
    cargo fetch --locked -q  # trunk builds offline
    PATH="$TRUNK_DIR/bin:$WASM_BINDGEN_DIR/bin:$TOOLS_NODE_MODULES/.bin:$PATH" trunk build --release
    ;;
  *) echo "usage: scripts/web-e2e.sh [--trunk]" >&2; exit 2 ;;
esac
wasm=$(ls dist/*.wasm)
echo "bundle: $(wc -c <"$wasm") bytes wasm, $(gzip -9c "$wasm" | wc -c) bytes gzip -9; whole dist/ gzip: $(tar -cf - dist | gzip -9c | wc -c) bytes"

if [ -n "${ML_PROVISIONER_BIN:-}" ]; then
  bin=$(realpath "$ML_PROVISIONER_BIN")
else
  cargo build -q --locked -p ml-provisioner
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/ml-provisioner
fi
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
epoch=1795780800
mkdir -p "$work/cli"
for cfg in techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit edge-prod-b001-us-west-2-fraud-detection-ml-s3 globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm; do
  for action in create-prov-template create-policy create-review-report; do
    (cd "$work" && SOURCE_DATE_EPOCH=$epoch "$bin" -con "$root/examples/configs/$cfg.yaml" -act "$action" >/dev/null 2>&1)
  done
  cp "$work/ml/templates/$cfg-template.yaml" "$work/ml/policies/$cfg-iam-policy"-*.json "$work/ml/policies/$cfg-iam-policy.md" "$work/ml/reports/$cfg-review-report.html" "$work/cli/"
done

cp "$root/examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml" "$work/open-me.yaml"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory dist >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q "port" "$work/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)
[ -n "$port" ] || { cat "$work/server.log"; echo "the static server did not start" >&2; exit 1; }
mkdir -p target  # for the results file, also when cargo builds elsewhere (CARGO_TARGET_DIR)
status=0
node tests/browser/web-e2e.mjs "http://127.0.0.1:$port/" "$work/cli" "$epoch" \
  tests/fixtures/hostile/hostile.yaml tests/fixtures/hostile/literals.json target/web-e2e-results.json || status=$?
# The defects of issue 13, one case each (they failed on the app before their fixes).
node tests/browser/web-defects.mjs "http://127.0.0.1:$port/" || status=$?
# The review as a round trip: share, comment, request changes, reply, fix, approve, record.
node tests/browser/web-review.mjs "http://127.0.0.1:$port/" "$work/cli" || status=$?
# Benchmark (BENCHMARKS.md): real keystrokes to the diagnostics in the DOM, largest example.
node tests/browser/keystroke.mjs "http://127.0.0.1:$port/" target/keystroke-results.json || status=$?
exit "$status"
