//! Through the built binary: process exit status, the real environment, the log on disk, and
//! SARIF accepted by Microsoft's SARIF validator when it is installed.

use std::process::Command;

use serde_json::Value;

use crate::{ENTERPRISE, repo_root, workdir_with_examples};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ml-provisioner"));
    command.env_remove("ML_PROVISIONER_HOME");
    command
}

#[test]
fn exit_status_and_log_without_secrets() {
    let dir = workdir_with_examples();
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let out = binary()
        .current_dir(dir.path())
        .env("ML_PROVISIONER_HOME", "home")
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_SESSION_TOKEN", secret)
        .args(["-con", ENTERPRISE, "-act", "validate-config"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = dir.path().join("home/reports");
    let logs: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1);
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(log.contains("action validate-config"), "{log}");
    assert!(log.contains("exit code 0"), "{log}");
    assert!(
        !log.contains(secret),
        "the log must not contain credentials"
    );

    let bad = binary()
        .current_dir(dir.path())
        .args(["-act", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // An AWS action against an endpoint that does not answer: exit 3, the endpoint named, and
    // still no credential in its log.
    let unreachable = binary()
        .current_dir(dir.path())
        .env("ML_PROVISIONER_HOME", "home")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE12")
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_SESSION_TOKEN", secret)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .args(["-con", ENTERPRISE, "-act", "deploy-product", "--force"])
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&unreachable.stderr);
    assert_eq!(unreachable.status.code(), Some(3), "{err}");
    assert!(err.contains("cannot reach the AWS endpoint"), "{err}");
    assert!(err.contains("sts:GetCallerIdentity"), "{err}");
    for entry in std::fs::read_dir(&reports).unwrap() {
        let log = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !log.contains(secret),
            "the log must not contain credentials"
        );
    }
}

#[test]
fn default_working_folder_is_ml() {
    let dir = tempfile::tempdir().unwrap();
    let config = repo_root().join("examples/configs").join(ENTERPRISE);
    let out = binary()
        .current_dir(dir.path())
        .arg("-con")
        .arg(&config)
        .args(["-act", "validate-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_dir(dir.path().join("ml/reports"))
            .unwrap()
            .count(),
        1
    );
    assert!(
        !dir.path().join("ml/configs").exists(),
        "configs/ is never written or created"
    );
}

/// Runs Microsoft's SARIF validator (`sarif-multitool validate`) on our SARIF for every bad
/// fixture. The test script installs it and sets SARIF_MULTITOOL; with
/// ML_PROVISIONER_FULL_TESTS=1 its absence is a failure, otherwise the test says it skipped.
#[test]
fn sarif_passes_the_sarif_validator() {
    let Some(tool) = std::env::var_os("SARIF_MULTITOOL") else {
        assert!(
            std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
            "SARIF_MULTITOOL is not set in a full run"
        );
        eprintln!("skipped: SARIF_MULTITOOL not set (scripts/test.sh installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo_root().join("tests/fixtures/bad-configs");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let out = binary()
            .current_dir(dir.path())
            .arg("-con")
            .arg(&path)
            .args(["-act", "validate-config", "--format", "sarif"])
            .output()
            .unwrap();
        let sarif = dir.path().join(format!(
            "{}.sarif",
            path.file_stem().unwrap().to_string_lossy()
        ));
        std::fs::write(&sarif, &out.stdout).unwrap();
        checked += 1;
    }
    // One log for a whole folder (--all), with a config that cannot be read (a tool
    // notification), an invalid one and a valid one.
    let all = tempfile::tempdir().unwrap();
    let configs = all.path().join("ml/configs");
    std::fs::create_dir_all(&configs).unwrap();
    std::fs::copy(
        fixtures.join("alerts-email-required.yaml"),
        configs.join("bad.yaml"),
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("examples/configs").join(crate::STARTER),
        configs.join(crate::STARTER),
    )
    .unwrap();
    std::os::unix::fs::symlink("/nonexistent.yaml", configs.join("gone.yaml")).unwrap();
    let out = binary()
        .current_dir(all.path())
        .args(["-act", "validate-config", "--all", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    std::fs::write(dir.path().join("all.sarif"), &out.stdout).unwrap();
    checked += 1;
    let report_dir = tempfile::tempdir().unwrap();
    let report = report_dir.path().join("validation.sarif");
    let status = Command::new(&tool)
        .arg("validate")
        .arg(dir.path())
        .arg("-o")
        .arg(&report)
        .status()
        .unwrap();
    assert!(
        status.success() || report.exists(),
        "the validator did not run"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let findings: Vec<_> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r["ruleId"], r["message"]))
        .collect();
    assert!(
        findings.is_empty(),
        "SARIF validator findings on {checked} files: {findings:#?}"
    );
    assert!(checked >= 40);
}
