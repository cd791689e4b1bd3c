#!/usr/bin/env bash
# Generates the template and the operator policy of every shipped example with the CLI, checks
# the templates with our own validate-prov-template, then lints them with the peers: cfn-lint (0
# errors, warnings and informational findings required), checkov (only the accepted findings of
# tests/policy/checkov-accepted.txt) and parliament (no
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
venv=$(tools_venv_or "${1:-}")
# checkov has a venv of its own: its 44 dependencies (boto3 1.35 among them) would have to agree
# with the pinned ones of the first venv.
if [ -n "${CHECKOV_VENV:-}" ]; then
  checkov_venv=$CHECKOV_VENV
else
  tools_install_checkov_venv
  checkov_venv=$CHECKOV_VENV_DIR
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
# The published config schema in Python's jsonschema (its patterns go through Python's re, which
# refuses ECMA-only syntax such as \p{L}): every example must pass.
for config in examples/configs/*.yaml; do
  "$venv/bin/python" bench/peer_validate.py "$config" >/dev/null || { echo "the config schema fails in Python's jsonschema on $config" >&2; exit 1; }
done
echo "config schema: every example passes in Python's jsonschema"
"$venv/bin/cfn-lint" --version
# Errors, warnings and the informational checks (I3011: stateful resources without an explicit
# DeletionPolicy/UpdateReplacePolicy, ...): none allowed. The experimental I4010 (free-text
# architecture metadata) is not run; docs/decisions.md says why.
"$venv/bin/cfn-lint" --regions us-west-2 --include-checks I -- "${templates[@]}"
echo "cfn-lint: 0 errors, 0 warnings, 0 informational findings on ${#templates[@]} templates"
# checkov: every failed check must be on tests/policy/checkov-accepted.txt (docs/decisions.md
# says why each is there); a new one, a fixed one still listed or a changed count fails.
"$checkov_venv/bin/checkov" --version
"$checkov_venv/bin/checkov" --skip-download --framework cloudformation --quiet --compact \
  -o json -d "$work/ml/templates" >"$work/checkov.json" || true  # exit 1 on any failed check
"$checkov_venv/bin/python" tests/policy/checkov_check.py "$work/checkov.json" tests/policy/checkov-accepted.txt
# Every document on its own, as IAM stores it: parliament reads each .json file of the folder.
"$venv/bin/parliament" --config tests/policy/parliament.yaml --include_policy_extension .json \
  --directory "$work/ml/policies" </dev/null
echo "parliament: no findings on ${#policies[@]} policy documents"
