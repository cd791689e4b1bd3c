use std::collections::BTreeMap;

use ml_provisioner_cli::exit::Exit;
use serde_json::{Value, json};

use ml_provisioner_cli::build::Build;
use ml_provisioner_core::Tier;

use crate::{
    ENTERPRISE, STARTER, files_below, repo_root, run_as_build, run_in, run_with_epoch,
    workdir_with_examples,
};

const ALL_ACTIONS: [&str; 13] = [
    "validate-config",
    "list-products",
    "show-product",
    "create-policy",
    "create-prov-template",
    "validate-prov-template",
    "create-review-report",
    "show-changes",
    "check-drift",
    "test-deploy",
    "deploy-product",
    "delete-product",
    "copy-examples",
];

#[test]
fn help_lists_every_action_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_in(dir.path(), &["--help"]);
    assert_eq!(ran.exit, Exit::Ok);
    for action in ALL_ACTIONS {
        let line = ran
            .out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("- {action}:")));
        let line = line.unwrap_or_else(|| panic!("--help has no line for {action}:\n{}", ran.out));
        assert!(line.len() > action.len() + 10, "{line}");
    }
    assert!(ran.out.contains("Exit codes:"), "{}", ran.out);
    assert!(files_below(dir.path()).is_empty(), "--help writes nothing");
}

#[test]
fn both_spellings_of_config_and_action_agree() {
    let dir = workdir_with_examples();
    let joined = format!("-con={STARTER}");
    let spellings: [&[&str]; 4] = [
        &["-con", STARTER, "-act", "show-product"],
        &["--config", STARTER, "--action", "show-product"],
        &[&joined, "-act=show-product"],
        &[
            "--config=techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
            "--action=show-product",
        ],
    ];
    let mut outputs = Vec::new();
    for args in spellings {
        let ran = run_in(dir.path(), args);
        assert_eq!(ran.exit, Exit::Ok, "{args:?}: {}", ran.err);
        outputs.push(ran.out);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    assert!(outputs[0].contains("techcorp-prod-a001-us-west-2-customer-churn-ml-stack"));
}

#[test]
fn every_example_validates_and_only_the_log_is_written() {
    let dir = workdir_with_examples();
    let before: BTreeMap<String, Vec<u8>> = files_below(dir.path())
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.path().join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    for name in before.keys() {
        let config = name.trim_start_matches("home/configs/");
        let ran = run_in(dir.path(), &["-con", config, "-act", "validate-config"]);
        assert_eq!(ran.exit, Exit::Ok, "{config}: {}{}", ran.out, ran.err);
        assert!(ran.out.contains(": valid — "), "{}", ran.out);
        assert!(ran.out.contains("(0 errors, 0 warnings)"), "{}", ran.out);
        let stem = config.trim_end_matches(".yaml");
        assert!(
            ran.err.contains(&format!(
                "log: home/reports/{stem}-validate-config-20261128T082000Z.log"
            )),
            "{}",
            ran.err
        );
    }
    let after = files_below(dir.path());
    let logs: Vec<_> = after
        .iter()
        .filter(|f| f.starts_with("home/reports/"))
        .collect();
    assert_eq!(logs.len(), 20);
    assert_eq!(
        after.len(),
        40,
        "only the 20 configs and 20 logs: {after:?}"
    );
    for (name, bytes) in before {
        assert_eq!(
            std::fs::read(dir.path().join(&name)).unwrap(),
            bytes,
            "{name} was modified"
        );
    }
}

/// The header annotations of a fixture: `# expect: <severity>[<code>] <line>:<col>` lines, and
/// `# expect-deep: …` lines (only the deep template check reports those).
fn expectations(bytes: &[u8]) -> Vec<(String, String, usize, usize)> {
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .map_while(|l| {
            l.strip_prefix(b"# expect: ")
                .or_else(|| l.strip_prefix(b"# expect-deep: "))
        })
        .map(|l| {
            let l = std::str::from_utf8(l).unwrap();
            let (diag, pos) = l.rsplit_once(' ').unwrap();
            let (severity, code) = diag.trim_end_matches(']').split_once('[').unwrap();
            let (line, col) = pos.split_once(':').unwrap();
            (
                severity.to_owned(),
                code.to_owned(),
                line.parse().unwrap(),
                col.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn bad_configs_fail_at_their_position_and_write_nothing_but_the_log() {
    let fixtures = repo_root().join("tests/fixtures/bad-configs");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(fixtures.join(&name), dir.path().join(&name)).unwrap();
        let ran = run_in(
            dir.path(),
            &["-con", &format!("./{name}"), "-act", "validate-config"],
        );
        let expected = expectations(&std::fs::read(fixtures.join(&name)).unwrap());
        let errors = expected.iter().any(|e| e.0 == "error");
        assert_eq!(
            ran.exit,
            if errors { Exit::Invalid } else { Exit::Ok },
            "{name}: {}",
            ran.out
        );
        for (severity, code, line, col) in &expected {
            let (diag, pos) = (format!("{severity}[{code}]"), format!("{line}:{col}"));
            assert!(
                ran.out.contains(diag.as_str()),
                "{name}: no {diag} in\n{}",
                ran.out
            );
            assert!(
                ran.out.contains(&format!("--> {name}:{pos}\n")),
                "{name}: no position {pos} in\n{}",
                ran.out
            );
        }
        let headers = ran
            .out
            .lines()
            .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
            .count();
        let hints = ran
            .out
            .lines()
            .filter(|l| l.trim_start().starts_with("= hint: "))
            .count();
        assert_eq!(
            headers, hints,
            "{name}: every diagnostic carries a hint\n{}",
            ran.out
        );
        let written: Vec<_> = files_below(dir.path())
            .into_iter()
            .filter(|f| *f != name)
            .collect();
        assert_eq!(written.len(), 1, "{name}: {written:?}");
        assert!(
            written[0].starts_with("home/reports/") && written[0].ends_with(".log"),
            "{written:?}"
        );
        // show-product refuses the same config with the same diagnostics.
        if errors {
            let shown = run_in(
                dir.path(),
                &["-con", &format!("./{name}"), "-act", "show-product"],
            );
            assert_eq!(shown.exit, Exit::Invalid, "{name}");
            assert!(shown.out.contains("nothing done"), "{}", shown.out);
        }
    }
}

#[test]
fn config_lookup_by_name_path_and_typo() {
    let dir = workdir_with_examples();
    let by_stem = run_in(
        dir.path(),
        &[
            "-con",
            STARTER.trim_end_matches(".yaml"),
            "-act",
            "validate-config",
        ],
    );
    assert_eq!(by_stem.exit, Exit::Ok, "{}", by_stem.err);
    let by_path = run_in(
        dir.path(),
        &[
            "-con",
            &format!("home/configs/{STARTER}"),
            "-act",
            "validate-config",
        ],
    );
    assert_eq!(by_path.exit, Exit::Ok, "{}", by_path.err);
    let typo = run_in(
        dir.path(),
        &[
            "-con",
            "techcorp-prod-a001-us-west-2-customer-chrun-ml-codecommit.yaml",
            "-act",
            "validate-config",
        ],
    );
    assert_eq!(typo.exit, Exit::Usage);
    assert!(
        typo.err.contains(&format!("did you mean '{STARTER}'?")),
        "{}",
        typo.err
    );
    let missing = run_in(
        dir.path(),
        &["-con", "nothing-like-it.yaml", "-act", "validate-config"],
    );
    assert_eq!(missing.exit, Exit::Usage);
    assert!(missing.err.contains("not found"), "{}", missing.err);
    let no_config = run_in(dir.path(), &["-act", "show-product"]);
    assert_eq!(no_config.exit, Exit::Usage);
    assert!(
        no_config.err.contains("needs a config"),
        "{}",
        no_config.err
    );
    let bad_action = run_in(dir.path(), &["-con", STARTER, "-act", "deploy"]);
    assert_eq!(bad_action.exit, Exit::Usage);
    assert!(
        bad_action.err.contains("deploy-product"),
        "clap suggests the closest action: {}",
        bad_action.err
    );
}

/// The AWS actions refuse what they can refuse offline, before any request, writing nothing
/// but the run log: a mutating action without --force, any of them on an invalid config.
#[test]
fn aws_actions_refuse_offline_and_write_nothing_but_the_log() {
    let dir = workdir_with_examples();
    std::fs::write(
        dir.path().join("home/configs/broken.yaml"),
        "client:\n  company_prefix: x\n",
    )
    .unwrap();
    let mut runs = 0;
    for action in ["deploy-product", "delete-product"] {
        let ran = run_in(dir.path(), &["-con", ENTERPRISE, "-act", action]);
        runs += 1;
        assert_eq!(ran.exit, Exit::Usage, "{action}: {}", ran.err);
        assert!(ran.err.contains("needs --force"), "{}", ran.err);
        assert!(ran.out.is_empty());
    }
    for action in ["show-changes", "check-drift", "test-deploy"] {
        let ran = run_in(dir.path(), &["-con", "broken.yaml", "-act", action]);
        runs += 1;
        assert_eq!(ran.exit, Exit::Invalid, "{action}: {}", ran.err);
    }
    let written: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("home/configs/"))
        .collect();
    assert_eq!(written.len(), runs, "only the run logs: {written:?}");
    assert!(written.iter().all(|f| f.starts_with("home/reports/")));
}

#[test]
fn json_and_sarif_carry_the_same_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let name = "duplicate-subnet.yaml";
    std::fs::copy(
        repo_root().join("tests/fixtures/bad-configs").join(name),
        dir.path().join(name),
    )
    .unwrap();
    let json = run_in(
        dir.path(),
        &[
            "-con",
            &format!("./{name}"),
            "-act",
            "validate-config",
            "--format",
            "json",
        ],
    );
    assert_eq!(json.exit, Exit::Invalid);
    let json: Value = serde_json::from_str(&json.out).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["valid"], false);
    assert_eq!(file["diagnostics"][0]["code"], "duplicate-item");
    assert_eq!(
        (
            file["diagnostics"][0]["line"].as_u64(),
            file["diagnostics"][0]["column"].as_u64()
        ),
        (Some(21), Some(9))
    );
    assert_eq!(
        file["diagnostics"][0]["labels"][0]["message"],
        "first listed here"
    );

    let sarif = run_in(
        dir.path(),
        &[
            "-con",
            &format!("./{name}"),
            "-act",
            "validate-config",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(sarif.exit, Exit::Invalid);
    let sarif: Value = serde_json::from_str(&sarif.out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ml-provisioner");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "duplicate-item");
    assert_eq!(result["level"], "error");
    let rule_index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
    assert_eq!(
        run["tool"]["driver"]["rules"][rule_index]["id"],
        "duplicate-item"
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(21), Some(9))
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({ "uri": "duplicate-subnet.yaml", "uriBaseId": "%SRCROOT%" })
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "the working directory, as an absolute URI: {root}"
    );

    let wrong = run_in(
        dir.path(),
        &[
            "-con",
            &format!("./{name}"),
            "-act",
            "show-product",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(wrong.exit, Exit::Usage);
}

#[test]
fn a_multi_megabyte_config_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let line = "# a config that is far too big for what it says\n";
    let contents = line.repeat(5 * 1024 * 1024 / line.len());
    std::fs::write(dir.path().join("huge.yaml"), &contents).unwrap();
    let ran = run_in(
        dir.path(),
        &["-con", "./huge.yaml", "-act", "validate-config"],
    );
    assert_eq!(ran.exit, Exit::Invalid);
    assert!(ran.out.contains("error[file-too-large]"), "{}", ran.out);
    assert!(
        ran.out.contains(&format!(
            "the file is {} bytes; the limit is 262144 bytes",
            contents.len()
        )),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("--> huge.yaml:1:1"), "{}", ran.out);
}

#[test]
fn an_unwritable_reports_folder_is_an_io_error() {
    let dir = workdir_with_examples();
    std::fs::write(dir.path().join("home/reports"), b"not a folder").unwrap();
    let ran = run_in(dir.path(), &["-con", STARTER, "-act", "validate-config"]);
    assert_eq!(ran.exit, Exit::Io);
    assert!(ran.err.contains("cannot write the run log"), "{}", ran.err);
    assert_eq!(
        std::fs::read(dir.path().join("home/reports")).unwrap(),
        b"not a folder"
    );
}

#[test]
fn list_products_needs_no_config() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_in(dir.path(), &["-act", "list-products"]);
    assert_eq!(ran.exit, Exit::Ok);
    for tier in ["starter", "professional", "enterprise"] {
        assert!(ran.out.lines().any(|l| l.starts_with(tier)), "{}", ran.out);
    }
    let json: Value = serde_json::from_str(
        &run_in(dir.path(), &["-act", "list-products", "--format", "json"]).out,
    )
    .unwrap();
    assert_eq!(json["tiers"].as_array().unwrap().len(), 3);
}

#[test]
fn show_product_lists_the_catalog() {
    let dir = workdir_with_examples();
    let text = run_in(dir.path(), &["-con", ENTERPRISE, "-act", "show-product"]);
    assert_eq!(text.exit, Exit::Ok);
    let json = run_in(
        dir.path(),
        &[
            "-con",
            ENTERPRISE,
            "-act",
            "show-product",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&json.out).unwrap();
    let resources = json["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 42);
    for r in resources {
        let id = r["logical_id"].as_str().unwrap();
        assert!(
            text.out.lines().any(|l| l.starts_with(id)),
            "{id} missing from the text table"
        );
        if let Some(name) = r["physical_name"].as_str() {
            assert!(text.out.contains(name), "{name}");
        }
    }
    assert!(
        text.out
            .contains(&format!("{} resources.", resources.len()))
    );
    assert_eq!(
        json["stack_name"],
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-stack"
    );
}

#[test]
fn create_prov_template_and_create_policy_write_deterministic_files() {
    let dir = workdir_with_examples();
    for action in ["create-prov-template", "create-policy"] {
        let ran = run_in(dir.path(), &["-con", ENTERPRISE, "-act", action]);
        assert_eq!(ran.exit, Exit::Ok, "{action}: {}", ran.err);
        assert!(ran.out.starts_with("wrote home/"), "{}", ran.out);
    }
    let stem = ENTERPRISE.trim_end_matches(".yaml");
    let template = dir
        .path()
        .join(format!("home/templates/{stem}-template.yaml"));
    // The operator policy's managed-policy documents and their guide.
    let policies = || -> Vec<(String, Vec<u8>)> {
        files_below(dir.path())
            .into_iter()
            .filter(|f| f.starts_with(&format!("home/policies/{stem}-iam-policy")))
            .map(|f| {
                let bytes = std::fs::read(dir.path().join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    };
    let (t1, p1) = (std::fs::read(&template).unwrap(), policies());
    assert!(String::from_utf8_lossy(&t1).contains("Type: AWS::EC2::VPCEndpoint"));
    let names: Vec<&str> = p1.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [1, 2, 3]
            .map(|n| format!("home/policies/{stem}-iam-policy-{n}.json"))
            .iter()
            .map(String::as_str)
            .chain([format!("home/policies/{stem}-iam-policy.md").as_str()])
            .collect::<Vec<_>>()
    );
    for (file, bytes) in &p1[..3] {
        let parsed: Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(parsed["Version"], "2012-10-17", "{file}");
        let chars = String::from_utf8_lossy(bytes)
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        assert!(chars <= 6_144, "{file}: {chars} characters");
    }
    for action in ["create-prov-template", "create-policy"] {
        assert_eq!(
            run_in(dir.path(), &["-con", ENTERPRISE, "-act", action]).exit,
            Exit::Ok
        );
    }
    assert_eq!(
        std::fs::read(&template).unwrap(),
        t1,
        "same config, same template bytes"
    );
    assert_eq!(policies(), p1, "same config, same policy bytes");
    let stray: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| f.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "temporary files left behind: {stray:?}");
}

#[test]
fn generators_refuse_an_invalid_config_and_write_nothing() {
    let fixtures = repo_root().join("tests/fixtures/bad-configs");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures.join("alerts-email-required.yaml"),
        dir.path().join("bad.yaml"),
    )
    .unwrap();
    for action in [
        "create-prov-template",
        "create-policy",
        "create-review-report",
    ] {
        let ran = run_in(dir.path(), &["-con", "./bad.yaml", "-act", action]);
        assert_eq!(ran.exit, Exit::Invalid, "{action}");
        assert!(
            ran.out.contains("error[alerts-email-required]"),
            "{}",
            ran.out
        );
        assert!(ran.out.contains("nothing done"), "{}", ran.out);
    }
    let written: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("home/reports/") && f != "bad.yaml")
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn an_unwritable_templates_folder_leaves_no_partial_file() {
    let dir = workdir_with_examples();
    std::fs::write(
        dir.path().join("home/templates"),
        b"a file where the folder should be",
    )
    .unwrap();
    let ran = run_in(
        dir.path(),
        &["-con", ENTERPRISE, "-act", "create-prov-template"],
    );
    assert_eq!(ran.exit, Exit::Io);
    assert!(ran.err.contains("cannot write"), "{}", ran.err);
    assert_eq!(
        std::fs::read(dir.path().join("home/templates")).unwrap(),
        b"a file where the folder should be"
    );
}

/// Every template of the seeded-defect corpus through `validate-prov-template` (light and deep
/// checks): exactly the `# expect:` and `# expect-deep:` annotations are reported, so an
/// `accepted-*` template (no error annotated, see the core's runner) must come out valid. The
/// config each template was generated from is named in its header comment, or, in a JSON
/// template (no comments), in its `Metadata.MlProvisioner.Config`.
#[test]
fn validate_prov_template_finds_every_seeded_defect() {
    let corpus = repo_root().join("tests/fixtures/bad-templates");
    let mut names: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for name in names {
        let bytes = std::fs::read(corpus.join(&name)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let config = text
            .lines()
            .find_map(|l| l.strip_prefix("# Generated by ml-provisioner "))
            .and_then(|l| l.split(" from ").nth(1))
            .and_then(|l| l.split(' ').next())
            .map(str::to_owned)
            .or_else(|| {
                let root = ml_provisioner_core::yaml::parse(&text).root?;
                let (_, config) = root.lookup("/Metadata/MlProvisioner/Config")?;
                config.as_str().map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("{name}: names no config"));
        let dir = workdir_with_examples();
        let stem = config.trim_end_matches(".yaml");
        std::fs::create_dir_all(dir.path().join("home/templates")).unwrap();
        std::fs::write(
            dir.path()
                .join(format!("home/templates/{stem}-template.yaml")),
            &bytes,
        )
        .unwrap();
        let ran = run_in(
            dir.path(),
            &[
                "-con",
                &config,
                "-act",
                "validate-prov-template",
                "--format",
                "json",
            ],
        );
        let json: Value = serde_json::from_str(&ran.out)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}{}", ran.out, ran.err));
        let mut found = positions_in_json(&json);
        let mut expected = expectations(&bytes);
        found.sort();
        expected.sort();
        let errors = expected.iter().any(|e| e.0 == "error");
        if found != expected || ran.exit != if errors { Exit::Invalid } else { Exit::Ok } {
            failures.push(format!(
                "{name} (exit {:?}):\n  expected {expected:?}\n  found    {found:?}",
                ran.exit
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `validate-prov-template` on `bytes` as the starter example's template: the exit and the
/// findings as (severity, code, line, column).
fn validate_template(bytes: &[u8]) -> (Exit, Vec<(String, String, usize, usize)>) {
    let dir = workdir_with_examples();
    std::fs::create_dir_all(dir.path().join("home/templates")).unwrap();
    let stem = STARTER.trim_end_matches(".yaml");
    std::fs::write(
        dir.path()
            .join(format!("home/templates/{stem}-template.yaml")),
        bytes,
    )
    .unwrap();
    let ran = run_in(
        dir.path(),
        &[
            "-con",
            STARTER,
            "-act",
            "validate-prov-template",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&ran.out).unwrap();
    (ran.exit, positions_in_json(&json))
}

/// Severity, code, line and column of each diagnostic of the first file of a `--format json`
/// document.
fn positions_in_json(json: &Value) -> Vec<(String, String, usize, usize)> {
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

/// A UTF-8 byte-order mark before a template changes no finding and no position, of the light
/// checks or of the deep one (which is given the template without it), YAML and JSON, also on
/// line 1.
#[test]
fn validate_prov_template_a_byte_order_mark_moves_no_position() {
    let corpus = repo_root().join("tests/fixtures/bad-templates");
    let templates = [
        std::fs::read(corpus.join("wrong-property-type.yaml")).unwrap(),
        std::fs::read(corpus.join("bad-getatt-attribute.yaml")).unwrap(),
        br#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": "5", "QueueName": {"Ref": "Nope"}}}}}"#.to_vec(),
        b"Resources: {Q: {Type: AWS::SQS::Queue, Properties: {DelaySeconds: '5', Colour: red}}}\n".to_vec(),
    ];
    for plain in templates {
        let marked = ["\u{FEFF}".as_bytes(), &plain].concat();
        let (exit, found) = validate_template(&plain);
        assert!(!found.is_empty(), "{}", String::from_utf8_lossy(&plain));
        assert_eq!(validate_template(&marked), (exit, found));
    }
}

#[test]
fn validate_prov_template_needs_the_template_and_passes_generated_ones() {
    let dir = workdir_with_examples();
    let missing = run_in(
        dir.path(),
        &["-con", STARTER, "-act", "validate-prov-template"],
    );
    assert_eq!(missing.exit, Exit::Usage);
    assert!(
        missing.err.contains("there is no template at")
            && missing.err.contains("-act create-prov-template"),
        "{}",
        missing.err
    );
    for config in [
        STARTER,
        "edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml",
        ENTERPRISE,
    ] {
        assert_eq!(
            run_in(
                dir.path(),
                &["-con", config, "-act", "create-prov-template"]
            )
            .exit,
            Exit::Ok
        );
        let ran = run_in(
            dir.path(),
            &["-con", config, "-act", "validate-prov-template"],
        );
        assert_eq!(ran.exit, Exit::Ok, "{config}: {}", ran.out);
        assert!(
            ran.out.contains(": valid (0 errors, 0 warnings)"),
            "{}",
            ran.out
        );
    }
}

#[test]
fn create_review_report_describes_the_generated_template() {
    let dir = workdir_with_examples();
    let stem = ENTERPRISE.trim_end_matches(".yaml");
    let report = dir
        .path()
        .join(format!("home/reports/{stem}-review-report.html"));
    let ran = run_with_epoch(
        dir.path(),
        Some("1795780800"),
        &["-con", ENTERPRISE, "-act", "create-review-report"],
    );
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
    assert!(!ran.err.contains("warning"), "{}", ran.err);
    let first = std::fs::read_to_string(&report).unwrap();
    assert!(
        first.contains("2026-11-27T12:00:00Z"),
        "SOURCE_DATE_EPOCH is the time shown"
    );
    // The same bytes as the core renders, and as a second run.
    let bytes = std::fs::read(repo_root().join("examples/configs").join(ENTERPRISE)).unwrap();
    let checked = ml_provisioner_core::check_config(&bytes, ENTERPRISE);
    let config = checked.config.as_ref().unwrap();
    let core = ml_provisioner_core::report::render(&ml_provisioner_core::report::ReportInput {
        config,
        config_bytes: &bytes,
        config_file: ENTERPRISE,
        config_stem: stem,
        config_diagnostics: &checked.diagnostics,
        generated_at: "2026-11-27T12:00:00Z",
        tool_version: ml_provisioner_core::VERSION,
        policy_options: ml_provisioner_core::policy::PolicyOptions::default(),
    })
    .unwrap();
    assert_eq!(first, core.html);
    // Without SOURCE_DATE_EPOCH the run's clock is shown.
    run_in(
        dir.path(),
        &["-con", ENTERPRISE, "-act", "create-review-report"],
    );
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("2026-11-28T08:20:00Z")
    );
    // The template on disk is the one described: its SHA-256 is in the report.
    run_in(
        dir.path(),
        &["-con", ENTERPRISE, "-act", "create-prov-template"],
    );
    let template_path = dir
        .path()
        .join(format!("home/templates/{stem}-template.yaml"));
    let template = std::fs::read(&template_path).unwrap();
    assert!(first.contains(&ml_provisioner_core::report::sha256_hex(&template)));
    // An edited template on disk is pointed out.
    let mut edited = template.clone();
    edited.extend_from_slice(b"# hand edit\n");
    std::fs::write(&template_path, &edited).unwrap();
    let ran = run_in(
        dir.path(),
        &["-con", ENTERPRISE, "-act", "create-review-report"],
    );
    assert_eq!(ran.exit, Exit::Ok);
    assert!(
        ran.err
            .contains("differs from the template this config generates"),
        "{}",
        ran.err
    );
    assert_eq!(
        std::fs::read(&template_path).unwrap(),
        edited,
        "the edit is kept"
    );
}

#[test]
fn a_malformed_source_date_epoch_is_a_usage_error_and_writes_no_report() {
    let dir = workdir_with_examples();
    let ran = run_with_epoch(
        dir.path(),
        Some("yesterday"),
        &["-con", STARTER, "-act", "create-review-report"],
    );
    assert_eq!(ran.exit, Exit::Usage);
    assert!(
        ran.err.contains("SOURCE_DATE_EPOCH is 'yesterday'"),
        "{}",
        ran.err
    );
    let written: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

/// Flags an action does not use are refused before anything happens, never silently ignored.
#[test]
fn flags_an_action_does_not_use_are_refused() {
    let dir = workdir_with_examples();
    let cases: &[(&[&str], &str)] = &[
        (
            &["-act", "validate-config", "--force"],
            "--force is not used by validate-config",
        ),
        (
            &["-act", "create-prov-template", "--dry-run"],
            "--dry-run is not used by create-prov-template",
        ),
        (
            &[
                "-act",
                "create-policy",
                "--endpoint-url",
                "http://127.0.0.1:1",
            ],
            "--endpoint-url is not used by create-policy",
        ),
        (
            &["-act", "show-product", "--format", "sarif"],
            "--format sarif is not available for show-product",
        ),
        (
            &["-act", "create-review-report", "--format", "sarif"],
            "--format sarif is not available for create-review-report",
        ),
        (
            &["-act", "show-changes", "--force"],
            "--force is not used by show-changes",
        ),
    ];
    for (args, message) in cases {
        let mut argv = vec!["-con", STARTER];
        argv.extend_from_slice(args);
        let ran = run_in(dir.path(), &argv);
        assert_eq!(ran.exit, Exit::Usage, "{args:?}: {}", ran.err);
        assert!(ran.err.contains(message), "{args:?}: {}", ran.err);
        assert!(ran.err.contains("hint: "), "{}", ran.err);
        assert!(ran.out.is_empty(), "{args:?}: {}", ran.out);
    }
    let all = run_in(dir.path(), &["-act", "show-product", "--all"]);
    assert_eq!(all.exit, Exit::Usage);
    assert!(
        all.err.contains("--all is not used by show-product"),
        "{}",
        all.err
    );
    let both = run_in(
        dir.path(),
        &["-con", STARTER, "-act", "validate-config", "--all"],
    );
    assert_eq!(both.exit, Exit::Usage, "{}", both.err);
    let list = run_in(dir.path(), &["-con", STARTER, "-act", "list-products"]);
    assert_eq!(list.exit, Exit::Usage, "{}", list.err);
    let written: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("home/configs/") && !f.starts_with("home/reports/"))
        .collect();
    assert!(written.is_empty(), "only run logs: {written:?}");
}

/// A generator's `--format json` says what it wrote, for scripts.
#[test]
fn a_generator_reports_in_json() {
    let dir = workdir_with_examples();
    let ran = run_in(
        dir.path(),
        &["-con", STARTER, "-act", "create-policy", "--format", "json"],
    );
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
    let doc: Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(doc["config"], format!("home/configs/{STARTER}"));
    assert_eq!(doc["result"], "ok");
    assert_eq!(doc["exit_code"], 0);
    let stem = STARTER.trim_end_matches(".yaml");
    assert_eq!(
        doc["wrote"],
        serde_json::json!([
            format!("home/policies/{stem}-iam-policy-1.json"),
            format!("home/policies/{stem}-iam-policy-2.json"),
            format!("home/policies/{stem}-iam-policy.md"),
        ])
    );
}

/// `create-policy` removes the policy files an earlier run left that this one does not write
/// (the single file of versions before the split, documents past the new count), and says so.
#[test]
fn create_policy_removes_stale_policy_files() {
    let dir = workdir_with_examples();
    let stem = STARTER.trim_end_matches(".yaml");
    let policies = dir.path().join("home/policies");
    std::fs::create_dir_all(&policies).unwrap();
    let stale = [
        format!("{stem}-iam-policy.json"),
        format!("{stem}-iam-policy-3.json"),
    ];
    for name in &stale {
        std::fs::write(policies.join(name), "{}").unwrap();
    }
    let other = format!("{}-iam-policy.json", ENTERPRISE.trim_end_matches(".yaml"));
    std::fs::write(policies.join(&other), "{}").unwrap();
    let ran = run_in(dir.path(), &["-con", STARTER, "-act", "create-policy"]);
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
    for name in &stale {
        assert!(!policies.join(name).exists(), "{name} left behind");
        assert!(
            ran.err.contains(&format!("removed home/policies/{name}")),
            "{}",
            ran.err
        );
    }
    assert!(
        ran.err.contains(&format!("{stem}-iam-policy.md")),
        "{}",
        ran.err
    );
    assert!(policies.join(&other).exists(), "another config's file kept");
}

#[test]
fn copy_examples_writes_the_examples_this_build_may_provision_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let starter_only = Build {
        tier_limit: Some(Tier::Starter),
        ..Build::default()
    };
    let ran = run_as_build(dir.path(), starter_only, &["-act", "copy-examples"]);
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
    let examples = repo_root().join("examples/configs");
    let copied: Vec<String> = files_below(&dir.path().join("home/configs"));
    let starters: Vec<String> = files_below(&examples)
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(examples.join(f))
                .unwrap()
                .contains("tier: starter")
        })
        .collect();
    assert!(!starters.is_empty());
    let schema_file = "ml-provisioner-config.schema.json";
    let mut expected = starters.clone();
    expected.push(schema_file.to_owned());
    expected.sort();
    assert_eq!(
        copied, expected,
        "only the starter examples, and the schema"
    );
    assert_eq!(
        std::fs::read(dir.path().join("home/configs").join(schema_file)).unwrap(),
        std::fs::read(repo_root().join("core/schema").join(schema_file)).unwrap(),
        "the schema file, byte for byte"
    );
    assert!(
        ran.out
            .contains("not copied: this build provisions the starter tier at most"),
        "{}",
        ran.out
    );

    // A source build copies every example; an edited copy is kept, an equal one left alone.
    let edited = dir.path().join("home/configs").join(&starters[0]);
    std::fs::write(&edited, "# mine\n").unwrap();
    let ran = run_in(dir.path(), &["-act", "copy-examples"]);
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "# mine\n");
    assert!(ran.out.contains("1 kept as they were"), "{}", ran.out);
    assert!(
        ran.out
            // the other starters and the schema
            .contains(&format!("{} unchanged", starters.len())),
        "{}",
        ran.out
    );
    let copied = files_below(&dir.path().join("home/configs"));
    let mut expected = files_below(&examples);
    expected.push(schema_file.to_owned());
    expected.sort();
    assert_eq!(copied, expected);
    // The copies name the schema beside them (docs/editor.md); the rest is the example's.
    let repo_modeline =
        "# yaml-language-server: $schema=../../core/schema/ml-provisioner-config.schema.json\n";
    let copy_modeline = "# yaml-language-server: $schema=./ml-provisioner-config.schema.json\n";
    for file in files_below(&examples).iter().filter(|f| **f != starters[0]) {
        let shipped = std::fs::read_to_string(examples.join(file)).unwrap();
        let rest = shipped
            .strip_prefix(repo_modeline)
            .unwrap_or_else(|| panic!("{file}: its first line is the repository's modeline"));
        let b = std::fs::read_to_string(dir.path().join("home/configs").join(file)).unwrap();
        assert_eq!(
            b,
            format!("{copy_modeline}{rest}"),
            "{file} is the shipped example with the modeline of its folder"
        );
    }
    assert_eq!(
        run_in(dir.path(), &["-con", STARTER, "-act", "copy-examples"]).exit,
        Exit::Usage,
        "copy-examples takes no config"
    );
}

#[cfg(unix)]
#[test]
fn copy_examples_into_a_read_only_folder_is_an_io_error_naming_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let configs = dir.path().join("home/configs");
    std::fs::create_dir_all(&configs).unwrap();
    std::fs::set_permissions(&configs, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(configs.join("probe"), "").is_ok() {
        return; // root ignores the mode; the image check covers a read-only mount
    }
    let ran = run_in(dir.path(), &["-act", "copy-examples"]);
    assert_eq!(ran.exit, Exit::Io, "{}", ran.err);
    assert!(ran.err.contains("without :ro"), "{}", ran.err);
    assert!(files_below(&configs).is_empty());
}

#[test]
fn version_says_what_the_build_may_do() {
    let dir = tempfile::tempdir().unwrap();
    let source = run_in(dir.path(), &["--version"]);
    assert_eq!(source.exit, Exit::Ok);
    assert!(
        source
            .out
            .starts_with(&format!("ml-provisioner {}\n", env!("CARGO_PKG_VERSION"))),
        "{}",
        source.out
    );
    assert!(
        source.out.contains("every tier may be provisioned"),
        "{}",
        source.out
    );
    assert!(
        source.out.contains("no subscription check"),
        "{}",
        source.out
    );
    let image = Build {
        tier_limit: Some(Tier::Professional),
        product_code: Some("abc123".to_owned()),
        ..Build::default()
    };
    let ran = run_as_build(dir.path(), image, &["-V"]);
    assert_eq!(ran.exit, Exit::Ok);
    assert!(
        ran.out.contains("the professional tier at most"),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("product code abc123"), "{}", ran.out);
    let broken = Build {
        bad_tier_limit: Some("gold".to_owned()),
        ..Build::default()
    };
    let ran = run_as_build(dir.path(), broken, &["--version"]);
    assert_eq!(
        ran.exit,
        Exit::Subscription,
        "a build that names no tier fails --version"
    );
    assert!(ran.out.contains("'gold' names no tier"), "{}", ran.out);
    assert!(
        files_below(dir.path()).is_empty(),
        "--version writes nothing"
    );
}
