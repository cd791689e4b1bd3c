#!/usr/bin/env bash
# Generates the template and the operator policy of every shipped example with the CLI, checks
# the templates with our own validate-prov-template, then lints them with the peers: cfn-lint (0 errors and 0 warnings required) and parliament (no
# findings; see tests/policy/parliament.yaml for its one muted check). Also checks that
# core/data/cfn-permissions.json matches the installed cfn-lint.
#   scripts/lint-generated.sh <python-venv>    (scripts/test.sh passes .tools/venv)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:?usage: scripts/lint-generated.sh <python-venv>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/generate-examples.sh "$work"
bin=$PWD/target/debug/ml-provisioner
for config in examples/configs/*.yaml; do
  (cd "$work" && "$bin" -con "$OLDPWD/$config" -act validate-prov-template >/dev/null 2>&1) \
    || { echo "validate-prov-template rejects the template generated for $config" >&2; exit 1; }
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
