//! Through the built binary: process exit status, the real environment, the log on disk, and
//! SARIF valid against the official SARIF 2.1.0 JSON Schema when it is installed.

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

/// The official SARIF 2.1.0 JSON Schema (`sarif-2.1.0.json` of the npm package
/// `@microsoft/sarif-multitool-linux` 5.7.0), by its SHA-256.
const SARIF_SCHEMA_SHA256: &str =
    "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c";

/// Validates our SARIF for every bad fixture, and for one `--all` log, against the official
/// SARIF 2.1.0 JSON Schema (draft 2020-12, formats checked), and proves the check can fail: a
/// deliberately broken log (`level: fatal`, `startLine: 0`) must be rejected at both places. The
/// test script installs the schema and sets SARIF_SCHEMA; with ML_PROVISIONER_FULL_TESTS=1 its
/// absence is a failure, otherwise the test says it skipped.
#[test]
fn sarif_is_valid_against_the_sarif_schema() {
    let Some(schema_path) = std::env::var_os("SARIF_SCHEMA") else {
        assert!(
            std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
            "SARIF_SCHEMA is not set in a full run"
        );
        eprintln!("skipped: SARIF_SCHEMA not set (scripts/test.sh installs it)");
        return;
    };
    let schema_bytes = std::fs::read(&schema_path).unwrap();
    assert_eq!(
        ml_provisioner_core::report::sha256_hex(&schema_bytes),
        SARIF_SCHEMA_SHA256,
        "{} is not the pinned SARIF 2.1.0 schema",
        schema_path.display()
    );
    let schema: Value = serde_json::from_slice(&schema_bytes).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors = |log: &Value| -> Vec<String> {
        validator
            .iter_errors(log)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    };

    let broken = repo_root().join("tests/fixtures/sarif/broken-level-fatal-startline-0.sarif");
    let broken: Value = serde_json::from_str(&std::fs::read_to_string(broken).unwrap()).unwrap();
    let found = errors(&broken);
    for place in [
        "/runs/0/results/0/level",
        "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
    ] {
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{place}: "))),
            "the broken log must be rejected at {place}: {found:#?}"
        );
    }

    let mut logs: Vec<(String, Vec<u8>)> = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo_root().join("tests/fixtures/bad-configs");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let out = binary()
            .current_dir(dir.path())
            .arg("-con")
            .arg(&path)
            .args(["-act", "validate-config", "--format", "sarif"])
            .output()
            .unwrap();
        logs.push((path.display().to_string(), out.stdout));
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
    logs.push(("--all validate-config".to_owned(), out.stdout));
    let out = binary()
        .current_dir(all.path())
        .args([
            "-act",
            "validate-prov-template",
            "--all",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    logs.push(("--all validate-prov-template".to_owned(), out.stdout));
    for (name, bytes) in &logs {
        let log: Value = serde_json::from_slice(bytes).unwrap();
        let found = errors(&log);
        assert!(found.is_empty(), "{name}: {found:#?}");
        // The fixtures are outside the working directory, the --all configs below it.
        let location = &log["runs"][0]["artifacts"][0]["location"];
        let relative = location["uriBaseId"] == "%SRCROOT%";
        assert_eq!(relative, name.starts_with("--all"), "{name}: {location}");
    }
    assert!(logs.len() >= 40, "{} logs", logs.len());
}
