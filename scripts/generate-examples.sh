#!/usr/bin/env bash
# Writes the template and the operator policy of every shipped example with the CLI into
# <out>/ml/templates and <out>/ml/policies. Used by lint-generated.sh and wasm-equality.sh.
#   scripts/generate-examples.sh <out>
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/generate-examples.sh <out>}
cargo build -q -p ml-provisioner
bin=$PWD/target/debug/ml-provisioner
for config in examples/configs/*.yaml; do
  for action in create-prov-template create-policy; do
    (cd "$out" && "$bin" -con "$OLDPWD/$config" -act "$action" >/dev/null 2>&1) \
      || { echo "$action failed for $config" >&2; exit 1; }
  done
done
