#!/usr/bin/env bash
# Builds the browser app's release bundle with Trunk (dist/), writes the CLI's files for the
# download comparison, serves dist/ on 127.0.0.1 and runs tests/browser/web-e2e.mjs in Debian's
# Chromium. Prints the bundle size and the in-browser timings (BENCHMARKS.md).
#   scripts/web-e2e.sh            (scripts/test.sh installs trunk, wasm-bindgen, binaryen, node tools)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=${TOOLS:-$root/.tools}
export PATH="$tools/cargo/bin:$tools/node_modules/.bin:$PATH"
export NODE_PATH=${NODE_TOOLS:-$tools/node_modules}

cargo fetch --locked -q  # trunk builds offline
trunk build --release
wasm=$(ls dist/*.wasm)
echo "bundle: $(wc -c <"$wasm") bytes wasm, $(gzip -9c "$wasm" | wc -c) bytes gzip -9; whole dist/ gzip: $(tar -cf - dist | gzip -9c | wc -c) bytes"

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cargo build --release -q -p ml-provisioner
epoch=1795780800
mkdir -p "$work/cli"
for cfg in techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit edge-prod-b001-us-west-2-fraud-detection-ml-s3 globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm; do
  for action in create-prov-template create-policy create-review-report; do
    (cd "$work" && SOURCE_DATE_EPOCH=$epoch "$root/target/release/ml-provisioner" -con "$root/examples/configs/$cfg.yaml" -act "$action" >/dev/null 2>&1)
  done
  cp "$work/ml/templates/$cfg-template.yaml" "$work/ml/policies/$cfg-iam-policy.json" "$work/ml/reports/$cfg-review-report.html" "$work/cli/"
done

cp "$root/examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml" "$work/open-me.yaml"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory dist >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q "port" "$work/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)
[ -n "$port" ] || { cat "$work/server.log"; echo "the static server did not start" >&2; exit 1; }
node tests/browser/web-e2e.mjs "http://127.0.0.1:$port/" "$work/cli" "$epoch" \
  tests/fixtures/hostile/hostile.yaml tests/fixtures/hostile/literals.json target/web-e2e-results.json
