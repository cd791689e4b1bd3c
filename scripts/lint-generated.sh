#!/usr/bin/env bash
# Generates the template and the operator policy of every shipped example with the CLI, checks
# the templates with our own validate-prov-template, then lints them with the peers: cfn-lint (0 errors and 0 warnings required) and parliament (no
# findings; see tests/policy/parliament.yaml for its one muted check). Also checks that
# core/data/cfn-permissions.json matches the installed cfn-lint.
#   scripts/lint-generated.sh [<python-venv>]   default: the venv in the tool cache (scripts/tools.sh)
# The CLI is $ML_PROVISIONER_BIN (scripts/test.sh passes the one `cargo test` built), else the
# debug build (`cargo build -p ml-provisioner`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then
  venv=$1
else
  # shellcheck source=scripts/tools.sh
  . scripts/tools.sh
  tools_install_venv
  venv=$VENV_DIR
fi
if [ -n "${ML_PROVISIONER_BIN:-}" ]; then
  bin=$(realpath "$ML_PROVISIONER_BIN")
else
  cargo build -q --locked -p ml-provisioner
  bin=${CARGO_TARGET_DIR:-$PWD/target}/debug/ml-provisioner
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for config in examples/configs/*.yaml; do
  for action in create-prov-template create-policy validate-prov-template; do
    (cd "$work" && "$bin" -con "$OLDPWD/$config" -act "$action" >/dev/null 2>&1) \
      || { echo "$action fails for $config" >&2; exit 1; }
  done
done
echo "validate-prov-template: every generated template passes"
templates=("$work"/ml/templates/*.yaml)
policies=("$work"/ml/policies/*.json)
echo "generated ${#templates[@]} templates and ${#policies[@]} policies"
[ "${#templates[@]}" = 20 ] && [ "${#policies[@]}" = 20 ] || { echo "expected 20 of each" >&2; exit 1; }
"$venv/bin/python" scripts/extract-cfn-permissions.py --check core/data/cfn-permissions.json
"$venv/bin/cfn-lint" --version
"$venv/bin/cfn-lint" --regions us-west-2 -- "${templates[@]}"
echo "cfn-lint: 0 errors, 0 warnings on ${#templates[@]} templates"
"$venv/bin/parliament" --config tests/policy/parliament.yaml --directory "$work/ml/policies" </dev/null
echo "parliament: no findings on ${#policies[@]} policies"
