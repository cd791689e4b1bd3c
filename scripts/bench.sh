#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md. By hand: scripts/bench.sh ; in CI: scripts/bench.sh --quick
# 1. criterion: in-process check_config (target ≤ 1 ms), generation (≤ 2 ms) and the review
#    report (≤ 5 ms) per shipped example; the report's size per example;
# 2. hyperfine: whole-process `validate-config` (target ≤ 20 ms), against the peer measured in
#    the same run (bench/peer_validate.py: PyYAML + jsonschema on the same schema file), and
#    whole-process `validate-prov-template` against cfn-lint, one template each and every
#    example's template in one run (`--all` against one cfn-lint invocation over the 20 files);
# 3. deploy-product against `aws cloudformation deploy` (AWS CLI v1) on a local endpoint (the moto
#    launcher), same template, a fresh account per deploy (bench/aws_deploy.py): wall time and
#    requests sent.
# Prints markdown rows for BENCHMARKS.md; never fails on a number (no timed assertions).
# Needs hyperfine (Debian). The peer and cfn-lint run from the Python venv $CFN_LINT_VENV, else
# the one in the tool cache (scripts/tools.sh; made here if missing): never a system Python's
# packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
quick=0
[ "${1:-}" = "--quick" ] && quick=1
command -v hyperfine >/dev/null || { echo "bench.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
if [ -n "${CFN_LINT_VENV:-}" ]; then
  venv=$CFN_LINT_VENV
else
  tools_install_venv
  venv=$VENV_DIR
fi
# The deploy benchmark's endpoint and the AWS CLI (the peer) come from the moto venv.
tools_install_moto_venv
out=target/bench
mkdir -p "$out"
# One cargo invocation for the release CLI and the criterion bench, and `cargo bench` with the same
# packages selected: the same features, so the bench compiles nothing more (scripts/test.sh says
# why).
pkgs=(-p ml-provisioner -p ml-provisioner-core)
cargo build --release -q --locked "${pkgs[@]}" --bin ml-provisioner --bench validate
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/ml-provisioner

if [ "$quick" = 1 ]; then crit=(--warm-up-time 1 --measurement-time 1); runs=(--warmup 3 --min-runs 10); else crit=(); runs=(--warmup 5 --min-runs 50); fi
cargo bench -q --locked "${pkgs[@]}" --bench validate -- "${crit[@]}" >"$out/criterion.log" 2>&1 || { cat "$out/criterion.log"; exit 1; }

# Prints one markdown row per benchmark of a criterion group: id and mean.
criterion_rows() {
  python3 - "${CARGO_TARGET_DIR:-target}/criterion/$1" <<'PY'
import glob, json, os, sys
for estimates in sorted(glob.glob(os.path.join(sys.argv[1], "*", "new", "estimates.json"))):
    name = json.load(open(os.path.join(os.path.dirname(estimates), "benchmark.json")))["function_id"]
    mean = json.load(open(estimates))["mean"]["point_estimate"]
    print(f"| {name} | {mean / 1000:.1f} µs |")
PY
}

# Prints one markdown row from a hyperfine export of two commands (ours first): label, the two
# means in ms with the given number of decimals, and the ratio.
ratio_row() { # json label decimals
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ours, peer, d = r[0]["mean"] * 1000, r[1]["mean"] * 1000, int(sys.argv[3])
print(f"| {sys.argv[2]} | {ours:.{d}f} ms | {peer:.{d}f} ms | {peer/ours:.1f}× faster |")
PY
}

echo "## In-process validation (criterion, mean per config)"
echo
echo "| config | mean |"
echo "|---|---|"
criterion_rows validate-config

echo
echo "## In-process generation: template + policy (criterion, mean per config)"
echo
echo "| config | mean |"
echo "|---|---|"
criterion_rows generate

echo
echo "## In-process review report (criterion, mean per config)"
echo
echo "| config | mean |"
echo "|---|---|"
criterion_rows report

echo
echo "## Review report size (create-review-report, every example)"
echo
echo "| config | bytes | gzip -9 |"
echo "|---|---|---|"
work=$(mktemp -d)
for path in "$root"/examples/configs/*.yaml; do
  cfg=$(basename "$path" .yaml)
  (cd "$work" && SOURCE_DATE_EPOCH=1795780800 "$bin" -con "$path" -act create-review-report >/dev/null 2>&1)
  report=$work/ml/reports/$cfg-review-report.html
  echo "| $cfg | $(wc -c <"$report") | $(gzip -9c "$report" | wc -c) |"
done
rm -rf "$work"

echo
echo "## Whole process, validate-config vs peer (hyperfine, mean)"
echo
echo "| config | ml-provisioner | peer (PyYAML + jsonschema) | ratio |"
echo "|---|---|---|---|"
work=$(mktemp -d)
for cfg in techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit edge-prod-b001-us-west-2-fraud-detection-ml-codecommit globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm-workload; do
  path=$root/examples/configs/$cfg.yaml
  (cd "$work" && hyperfine -N "${runs[@]}" --export-json "$work/$cfg.json" \
     "$bin -con $path -act validate-config" "$venv/bin/python $root/bench/peer_validate.py $path" >/dev/null)
  ratio_row "$work/$cfg.json" "$cfg" 1
done
echo
echo "## Whole process, validate-prov-template vs cfn-lint (hyperfine, mean)"
echo
echo "| template | ml-provisioner validate-prov-template | cfn-lint | ratio |"
echo "|---|---|---|---|"
if [ "$quick" = 1 ]; then lint_runs=(--warmup 1 --runs 3); else lint_runs=(--warmup 1 --runs 10); fi
for cfg in techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm-workload; do
  path=$root/examples/configs/$cfg.yaml
  (cd "$work" && "$bin" -con "$path" -act create-prov-template >/dev/null 2>&1)
  template=$work/ml/templates/$cfg-template.yaml
  (cd "$work" && hyperfine -N "${lint_runs[@]}" --export-json "$work/$cfg-tpl.json" \
     "$bin -con $path -act validate-prov-template" "$venv/bin/cfn-lint --regions us-west-2 -- $template" >/dev/null)
  ratio_row "$work/$cfg-tpl.json" "$cfg" 0
done

echo
echo "## Whole process, every example's template in one run: validate-prov-template --all vs one cfn-lint invocation (hyperfine, mean)"
echo
echo "| templates | ml-provisioner -act validate-prov-template --all | cfn-lint (one invocation, all files) | ratio |"
echo "|---|---|---|---|"
mkdir -p "$work/all/ml/configs"
cp "$root"/examples/configs/*.yaml "$work/all/ml/configs/"
(cd "$work/all" && "$bin" -act create-prov-template --all >/dev/null 2>&1)
templates=("$work"/all/ml/templates/*.yaml)
# cfn-lint takes ≈ 13 s over the 20 files: the quick run times each command twice.
if [ "$quick" = 1 ]; then all_runs=(--warmup 0 --runs 2); else all_runs=("${lint_runs[@]}"); fi
(cd "$work/all" && hyperfine -N "${all_runs[@]}" --export-json "$work/all.json" \
   "$bin -act validate-prov-template --all" "$venv/bin/cfn-lint --regions us-west-2 -- ${templates[*]}" >/dev/null)
ratio_row "$work/all.json" "${#templates[@]}" 0

echo
echo "## deploy-product against \`aws cloudformation deploy\` (AWS CLI), same template, local endpoint (moto + tests/moto/launcher.py)"
echo
echo "| what | ml-provisioner | AWS CLI | |"
echo "|---|---|---|---|"
# A fresh account per deploy: every deploy creates its stack. Quick: 3 rounds; by hand: 10.
if [ "$quick" = 1 ]; then deploy_rounds=3; else deploy_rounds=10; fi
"$TOOLS_MOTO_PYTHON" "$root/bench/aws_deploy.py" "$bin" "$deploy_rounds"
rm -rf "$work"
