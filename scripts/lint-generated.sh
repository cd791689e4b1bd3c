#!/usr/bin/env bash
# Generates the template and the operator policy of every shipped example with the CLI, checks
# the templates with our own validate-prov-template, then lints them with the peers: cfn-lint (0 errors and 0 warnings required) and parliament (no
# findings on each of the policy's managed-policy documents; see tests/policy/parliament.yaml for
# its one muted check). Also checks that
# core/data/cfn-permissions.json and core/data/regions.json match the installed cfn-lint.
#   scripts/lint-generated.sh [<python-venv>]   default: the venv in the tool cache (scripts/tools.sh)
# The CLI is $ML_PROVISIONER_BIN (scripts/test.sh passes the one `cargo test` built), else the
# debug build (`cargo build -p ml-provisioner`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
if [ -n "${1:-}" ]; then
  venv=$1
else
  tools_install_venv
  venv=$VENV_DIR
fi
tools_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tools_generate_examples "$work" create-prov-template create-policy validate-prov-template
echo "validate-prov-template: every generated template passes"
templates=("$work"/ml/templates/*.yaml)
# create-policy writes each config's operator policy as managed-policy documents
# ({stem}-iam-policy-{n}.json) and a guide with the commands ({stem}-iam-policy.md).
policies=("$work"/ml/policies/*.json)
guides=("$work"/ml/policies/*.md)
echo "generated ${#templates[@]} templates and ${#policies[@]} policy documents (${#guides[@]} guides)"
[ "${#templates[@]}" = 20 ] && [ "${#guides[@]}" = 20 ] || { echo "expected 20 templates and 20 policy guides" >&2; exit 1; }
[ "${#policies[@]}" -ge 20 ] && [ "${#policies[@]}" -le 200 ] || { echo "expected 1 to 10 policy documents per config" >&2; exit 1; }
"$venv/bin/python" scripts/extract-cfn-permissions.py --check core/data/cfn-permissions.json
"$venv/bin/python" scripts/extract-regions.py --check core/data/regions.json
"$venv/bin/cfn-lint" --version
"$venv/bin/cfn-lint" --regions us-west-2 -- "${templates[@]}"
echo "cfn-lint: 0 errors, 0 warnings on ${#templates[@]} templates"
# Every document on its own, as IAM stores it: parliament reads each .json file of the folder.
"$venv/bin/parliament" --config tests/policy/parliament.yaml --include_policy_extension .json \
  --directory "$work/ml/policies" </dev/null
echo "parliament: no findings on ${#policies[@]} policy documents"
