//! Configs drawn by a property test (fixed seed, so every run checks the same set) go through
//! the CLI's `create-prov-template`, `create-policy` and `validate-prov-template`, and the results
//! through cfn-lint (0 errors, 0 warnings) and parliament (no findings) from CFN_LINT_VENV.

use std::process::Command;

use ml_provisioner_cli::exit::Exit;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::{files_below, repo_root, run_in};

#[path = "../../../tests/support/config_draw.rs"]
mod config_draw;

/// Regions the drawn configs are mapped to, so cfn-lint runs once per region.
const REGIONS: [&str; 3] = ["us-west-2", "eu-west-1", "ap-southeast-2"];
const CONFIGS: usize = 24;

#[test]
fn drawn_configs_give_lint_clean_templates_and_policies() {
    let Some(venv) = std::env::var_os("CFN_LINT_VENV") else {
        assert!(
            std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
            "CFN_LINT_VENV is not set in a full run"
        );
        eprintln!("skipped: CFN_LINT_VENV not set (scripts/test.sh sets it)");
        return;
    };
    let venv = std::path::PathBuf::from(venv);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("home/configs")).unwrap();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = config_draw::draw(true);
    let mut tiers = [0; 3];
    for i in 0..CONFIGS {
        let mut drawn = strategy.new_tree(&mut runner).unwrap().current();
        drawn.region = REGIONS[i % REGIONS.len()];
        tiers[drawn.tier] += 1;
        let name = format!("drawn-{i:02}.yaml");
        std::fs::write(
            dir.path().join("home/configs").join(&name),
            config_draw::render(&drawn),
        )
        .unwrap();
        for action in [
            "create-prov-template",
            "create-policy",
            "validate-prov-template",
        ] {
            let ran = run_in(dir.path(), &["-con", &name, "-act", action]);
            assert_eq!(
                ran.exit,
                Exit::Ok,
                "{name} {action}:\n{}\n{}{}",
                config_draw::render(&drawn),
                ran.out,
                ran.err
            );
        }
    }
    assert!(tiers.iter().all(|&n| n > 0), "every tier drawn: {tiers:?}");
    for (r, region) in REGIONS.iter().enumerate() {
        let templates: Vec<_> = (r..CONFIGS)
            .step_by(REGIONS.len())
            .map(|i| {
                dir.path()
                    .join(format!("home/templates/drawn-{i:02}-template.yaml"))
            })
            .collect();
        let out = Command::new(venv.join("bin/cfn-lint"))
            .args(["--regions", region, "--"])
            .args(&templates)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cfn-lint on the {region} templates:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new(venv.join("bin/parliament"))
        .arg("--config")
        .arg(repo_root().join("tests/policy/parliament.yaml"))
        .args(["--include_policy_extension", ".json"])
        .arg("--directory")
        .arg(dir.path().join("home/policies"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "parliament:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Each config's documents (within IAM's managed-policy size) and its guide.
    let policies = files_below(dir.path());
    for i in 0..CONFIGS {
        let stem = format!("home/policies/drawn-{i:02}-iam-policy");
        assert!(policies.contains(&format!("{stem}.md")), "{stem}.md");
        let documents: Vec<&String> = policies
            .iter()
            .filter(|f| f.starts_with(&format!("{stem}-")) && f.ends_with(".json"))
            .collect();
        assert!((1..=10).contains(&documents.len()), "{stem}: {documents:?}");
        for file in documents {
            let chars = std::fs::read_to_string(dir.path().join(file))
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            assert!(chars <= 6_144, "{file}: {chars} characters");
        }
    }
}
