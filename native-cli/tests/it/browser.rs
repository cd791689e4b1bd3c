//! The review report in real tools: the Nu Html Checker (vnu-jar, on the machine's Java) and
//! headless Chromium (playwright-core) with axe-core, for one config per tier and a config with
//! hostile values in every free-text field (tests/browser/check-report.mjs does the page work).
//! NODE_TOOLS is the node_modules folder scripts/test.sh installs them into; with
//! ML_PROVISIONER_FULL_TESTS=1 its absence is a failure, otherwise the test says it skipped.

use std::path::PathBuf;
use std::process::Command;

use ml_provisioner_cli::exit::Exit;

use crate::{ENTERPRISE, STARTER, repo_root, run_with_epoch, workdir_with_examples};

const PROFESSIONAL: &str = "edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml";

fn node_tools() -> Option<PathBuf> {
    match std::env::var_os("NODE_TOOLS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            assert!(
                std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
                "NODE_TOOLS is not set in a full run"
            );
            eprintln!("skipped: NODE_TOOLS not set (scripts/test.sh sets it)");
            None
        }
    }
}

#[test]
fn reports_pass_the_html_checker_axe_and_the_hostile_value_test_in_chromium() {
    let Some(tools) = node_tools() else {
        return;
    };
    let dir = workdir_with_examples();
    std::fs::copy(
        repo_root().join("tests/fixtures/hostile/hostile.yaml"),
        dir.path().join("home/configs/hostile.yaml"),
    )
    .unwrap();
    let mut reports = Vec::new();
    for config in [STARTER, PROFESSIONAL, ENTERPRISE, "hostile.yaml"] {
        let ran = run_with_epoch(
            dir.path(),
            Some("1795780800"),
            &["-con", config, "-act", "create-review-report"],
        );
        assert_eq!(ran.exit, Exit::Ok, "{config}: {}", ran.err);
        let stem = config.trim_end_matches(".yaml");
        reports.push(
            dir.path()
                .join(format!("home/reports/{stem}-review-report.html")),
        );
    }

    let vnu = Command::new("java")
        .arg("-jar")
        .arg(tools.join("vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--also-check-css", "--also-check-svg"])
        .args(&reports)
        .output()
        .expect("java runs the Nu Html Checker");
    assert!(
        vnu.status.success(),
        "the Nu Html Checker found errors:\n{}{}",
        String::from_utf8_lossy(&vnu.stdout),
        String::from_utf8_lossy(&vnu.stderr)
    );

    let mut browser = Command::new("node");
    browser
        .arg(repo_root().join("tests/browser/check-report.mjs"))
        .env("NODE_PATH", &tools);
    for report in &reports {
        browser.arg("--axe").arg(report);
    }
    browser
        .arg("--hostile")
        .arg(&reports[3])
        .arg(repo_root().join("tests/fixtures/hostile/literals.json"));
    let out = browser.output().expect("node runs the browser check");
    assert!(
        out.status.success(),
        "the browser check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(printed.matches("checked ").count(), 5, "{printed}");
}
