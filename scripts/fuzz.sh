#!/usr/bin/env bash
# Fuzzes the config parser with libFuzzer on the stable toolchain (no cargo-fuzz needed).
#   scripts/fuzz.sh [seconds]      default 60; prints the number of executions at the end.
# The corpus starts from the shipped examples and the bad-config fixtures. Builds into
# $FUZZ_TARGET_DIR, else fuzz/target: never the main target folder (instrumented code).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps the instrumentation off build scripts.
triple=$(rustc -vV | sed -n "s/^host: //p")
target_dir=${FUZZ_TARGET_DIR:-fuzz/target}
cargo build --release --manifest-path fuzz/Cargo.toml --target-dir "$target_dir" --target "$triple" --bin config_parser
if [ "$seconds" = 0 ]; then echo "fuzz: built, not run (0 seconds asked)"; exit 0; fi
corpus=fuzz/corpus/config_parser
mkdir -p "$corpus" fuzz/artifacts
cp examples/configs/*.yaml tests/fixtures/bad-configs/*.yaml "$corpus"/ 2>/dev/null || true
log=$(mktemp)
# -rss_limit_mb bounds memory; -timeout flags any single input taking over 2 s as a hang.
set +e
"$target_dir/$triple/release/config_parser" "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -rss_limit_mb=1024 -timeout=2 -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
grep -E "^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|==.*ERROR|SUMMARY|Test unit written)" "$log" || true
[ "$status" = 0 ] || tail -40 "$log"
runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
echo "fuzz: ${runs} executions in ${seconds}s, exit ${status}"
rm -f "$log"
exit "$status"
