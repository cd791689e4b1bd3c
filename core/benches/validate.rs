//! In-process time per shipped example: validation (target ≤ 1 ms), template + policy
//! generation (≤ 2 ms) and the review report (≤ 5 ms).
//! Run: cargo bench -p ml-provisioner-core --bench validate
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ml_provisioner_core::{check_config, policy, template};

fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/configs");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// "globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-sgprov-ssm.yaml" becomes
/// "globalbank-prod-c001:s3-sgprov-ssm": criterion shortens long ids ambiguously.
fn short_id(name: &str) -> String {
    let stem = name.trim_end_matches(".yaml");
    let (head, tail) = stem.rsplit_once("-ml-").unwrap_or((stem, ""));
    let client: Vec<&str> = head.splitn(4, '-').take(3).collect();
    format!("{}:{tail}", client.join("-"))
}

fn validate(c: &mut Criterion) {
    let examples = examples();
    // The schema validator is compiled once per process; do it outside the measurement.
    assert!(
        check_config(&examples[0].1, &examples[0].0)
            .config
            .is_some()
    );
    let mut group = c.benchmark_group("validate-config");
    for (name, bytes) in &examples {
        let id = short_id(name);
        group.bench_function(&id, |b| {
            b.iter(|| check_config(black_box(bytes), black_box(name)))
        });
    }
    group.finish();
}

/// Template + operator policy generation per example (target ≤ 2 ms each).
fn generate(c: &mut Criterion) {
    let examples = examples();
    let mut group = c.benchmark_group("generate");
    for (name, bytes) in &examples {
        let config = check_config(bytes, name).config.unwrap();
        let id = short_id(name);
        group.bench_function(&id, |b| {
            b.iter(|| {
                let names = config.names();
                let input = template::TemplateInput {
                    config: &config,
                    names: &names,
                    config_file: name,
                    tool_version: "0.1.0",
                };
                let generated = template::generate(black_box(&input));
                let policy =
                    policy::operator_policy(&config, &names, policy::PolicyOptions::default())
                        .unwrap();
                (
                    generated.yaml.len(),
                    serde_json::to_string_pretty(&policy).unwrap().len(),
                )
            })
        });
    }
    group.finish();
}

/// The review report per example (target ≤ 5 ms each): template, policy, checks and HTML.
fn report(c: &mut Criterion) {
    let examples = examples();
    let mut group = c.benchmark_group("report");
    for (name, bytes) in &examples {
        let checked = check_config(bytes, name);
        let config = checked.config.as_ref().unwrap();
        let stem = name.trim_end_matches(".yaml");
        let id = short_id(name);
        group.bench_function(&id, |b| {
            b.iter(|| {
                let input = ml_provisioner_core::report::ReportInput {
                    config,
                    config_bytes: bytes,
                    config_file: name,
                    config_stem: stem,
                    config_diagnostics: &checked.diagnostics,
                    generated_at: "2026-11-27T10:00:00Z",
                    tool_version: "0.1.0",
                    policy_options: policy::PolicyOptions::default(),
                };
                ml_provisioner_core::report::render(black_box(&input))
                    .unwrap()
                    .html
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, validate, generate, report);
criterion_main!(benches);
