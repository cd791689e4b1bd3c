//! `--all`: every config of the configs folder in one run, good and bad side by side.

use serde_json::Value;

use crate::{ENTERPRISE, STARTER, files_below, repo_root, run_in};
use ml_provisioner_cli::exit::Exit;

/// A working folder whose configs folder holds two good configs, one invalid, one that is not
/// YAML and one that cannot be read (a dangling link). With `unreadable: false`, no dangling link.
fn mixed_folder(unreadable: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let configs = dir.path().join("home/configs");
    std::fs::create_dir_all(&configs).unwrap();
    for name in [STARTER, ENTERPRISE] {
        std::fs::copy(
            repo_root().join("examples/configs").join(name),
            configs.join(name),
        )
        .unwrap();
    }
    std::fs::copy(
        repo_root().join("tests/fixtures/bad-configs/alerts-email-required.yaml"),
        configs.join("bad.yaml"),
    )
    .unwrap();
    std::fs::write(configs.join("notyaml.yaml"), "client: [unclosed\n  - {\n").unwrap();
    std::fs::write(configs.join("README.txt"), "not a config: ignored").unwrap();
    if unreadable {
        std::os::unix::fs::symlink("/nonexistent/gone.yaml", configs.join("gone.yaml")).unwrap();
    }
    dir
}

/// The generated files below `home/` other than configs and logs.
fn outputs(dir: &std::path::Path) -> Vec<String> {
    files_below(dir)
        .into_iter()
        .filter(|f| !f.starts_with("home/configs/") && !f.ends_with(".log"))
        .collect()
}

const ACTIONS: [&str; 5] = [
    "validate-config",
    "create-prov-template",
    "create-policy",
    "validate-prov-template",
    "create-review-report",
];

#[test]
fn every_action_reports_each_config_in_one_table_json_or_sarif() {
    let dir = mixed_folder(true);
    let stem = |c: &str| c.trim_end_matches(".yaml").to_owned();
    for action in ACTIONS {
        // validate-prov-template reads the templates create-prov-template wrote before it.
        let text = run_in(dir.path(), &["-act", action, "--all"]);
        assert_eq!(
            text.exit,
            Exit::Io,
            "{action}: the worst result is the unreadable config\n{}{}",
            text.out,
            text.err
        );
        for (config, result) in [
            (STARTER, "ok"),
            (ENTERPRISE, "ok"),
            ("bad.yaml", "invalid"),
            ("notyaml.yaml", "invalid"),
            ("gone.yaml", "io-error"),
        ] {
            let row = text
                .out
                .lines()
                .find(|l| l.starts_with(&format!("home/configs/{config} ")))
                .unwrap_or_else(|| panic!("{action}: no row for {config}:\n{}", text.out));
            assert!(row.contains(&format!(" {result} ")), "{action}: {row}");
        }
        assert!(!text.out.contains("README.txt"), "only *.yaml and *.yml");
        assert!(
            text.out.contains("error[alerts-email-required]"),
            "{action}: the diagnostics come before the table"
        );
        assert!(
            text.out.contains("5 configs: 2 ok, 3 not; exit code 6"),
            "{}",
            text.out
        );
        assert!(
            text.err
                .contains("error: home/configs/gone.yaml: cannot read"),
            "{}",
            text.err
        );

        let json = run_in(dir.path(), &["-act", action, "--all", "--format", "json"]);
        assert_eq!(json.exit, Exit::Io);
        let doc: Value = serde_json::from_str(&json.out).unwrap();
        assert_eq!(doc["action"], action);
        assert_eq!(doc["exit_code"], 6);
        let results: Vec<&str> = doc["configs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["result"].as_str().unwrap())
            .collect();
        assert_eq!(
            results,
            ["invalid", "ok", "io-error", "invalid", "ok"],
            "{action}: sorted by name"
        );
        // Diagnosed files: every checked config (validate-config), the good configs' templates
        // and the refused configs (validate-prov-template), the refused configs (generators).
        let validates = action.starts_with("validate-");
        assert_eq!(
            doc["files"].as_array().unwrap().len(),
            if validates { 4 } else { 2 },
            "{action}: the unreadable config has no file entry"
        );

        if ["validate-config", "validate-prov-template"].contains(&action) {
            let sarif = run_in(dir.path(), &["-act", action, "--all", "--format", "sarif"]);
            assert_eq!(sarif.exit, Exit::Io);
            let log: Value = serde_json::from_str(&sarif.out).unwrap();
            let runs = log["runs"].as_array().unwrap();
            assert_eq!(runs.len(), 1, "one run");
            let levels: Vec<&str> = runs[0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["level"].as_str().unwrap())
                .collect();
            assert!(levels.contains(&"error"), "{action}");
            let notes = &runs[0]["invocations"][0]["toolExecutionNotifications"];
            assert_eq!(notes.as_array().unwrap().len(), 1, "{action}: {notes}");
            assert!(
                notes[0]["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("cannot read")
            );
        } else {
            let sarif = run_in(dir.path(), &["-act", action, "--all", "--format", "sarif"]);
            assert_eq!(sarif.exit, Exit::Usage, "{action}");
        }
    }
    // Only the good configs' files, and no temporary file.
    let mut expected = Vec::new();
    for config in [ENTERPRISE, STARTER] {
        let bytes = std::fs::read(repo_root().join("examples/configs").join(config)).unwrap();
        let parsed = ml_provisioner_core::check_config(&bytes, config)
            .config
            .unwrap();
        let documents = ml_provisioner_core::policy_set::operator_policy_set(
            &parsed,
            &parsed.names(),
            ml_provisioner_core::policy::PolicyOptions::default(),
        )
        .unwrap()
        .documents
        .len();
        for n in 1..=documents {
            expected.push(format!(
                "home/policies/{}-iam-policy-{n}.json",
                stem(config)
            ));
        }
        expected.push(format!("home/policies/{}-iam-policy.md", stem(config)));
        expected.push(format!("home/reports/{}-review-report.html", stem(config)));
        expected.push(format!("home/templates/{}-template.yaml", stem(config)));
    }
    expected.sort();
    assert_eq!(outputs(dir.path()), expected);
}

#[test]
fn the_exit_code_is_the_worst_result() {
    let dir = mixed_folder(false);
    let ran = run_in(dir.path(), &["-act", "validate-config", "--all"]);
    assert_eq!(ran.exit, Exit::Invalid, "{}", ran.out);
    assert!(
        ran.out.contains("4 configs: 2 ok, 2 not; exit code 1"),
        "{}",
        ran.out
    );
    // A template missing for one config: that one is refused, the others still run.
    run_in(dir.path(), &["-act", "create-prov-template", "--all"]);
    std::fs::remove_file(dir.path().join(format!(
        "home/templates/{}-template.yaml",
        STARTER.trim_end_matches(".yaml")
    )))
    .unwrap();
    let ran = run_in(dir.path(), &["-act", "validate-prov-template", "--all"]);
    assert_eq!(ran.exit, Exit::Usage, "{}", ran.out);
    let row = ran.out.lines().find(|l| l.contains(STARTER)).unwrap();
    assert!(
        row.contains(" refused ") && row.contains("there is no template"),
        "{row}"
    );
    let row = ran.out.lines().find(|l| l.contains(ENTERPRISE)).unwrap();
    assert!(row.contains(" ok "), "{row}");
}

#[test]
fn an_empty_or_missing_configs_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = run_in(dir.path(), &["-act", "validate-config", "--all"]);
    assert_eq!(missing.exit, Exit::Usage);
    assert!(
        missing.err.contains("cannot list the configs folder"),
        "{}",
        missing.err
    );
    std::fs::create_dir_all(dir.path().join("home/configs")).unwrap();
    let empty = run_in(dir.path(), &["-act", "create-policy", "--all"]);
    assert_eq!(empty.exit, Exit::Usage);
    assert!(empty.err.contains("there are no configs"), "{}", empty.err);
}
