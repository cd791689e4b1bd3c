//! The bad-config corpus: every file in tests/fixtures/bad-configs carries its expected
//! diagnostics in header lines `# expect: <severity>[<code>] <line>:<col>`; this one runner checks
//! that the core reports exactly those (no more, no fewer) and never yields a model.

use std::collections::BTreeSet;

use ml_provisioner_core::yaml::MAX_INPUT_BYTES;
use ml_provisioner_core::{Code, LineIndex, check_config};

use crate::repo_root;

/// (severity, code, line, column) as written in an annotation or produced by the core.
pub type Expect = (String, String, usize, usize);

pub fn parse_expectations(bytes: &[u8]) -> Vec<Expect> {
    parse_expectations_with(bytes, false)
}

/// Header annotations: `# expect: …` lines, and with `deep` also `# expect-deep: …` lines (what
/// only the CLI's deep template check reports), after a byte-order mark if the file has one.
pub fn parse_expectations_with(bytes: &[u8], deep: bool) -> Vec<Expect> {
    let mut out = Vec::new();
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    for line in bytes.split(|&b| b == b'\n') {
        let rest = if let Some(rest) = line.strip_prefix(b"# expect: ") {
            rest
        } else if let Some(rest) = line.strip_prefix(b"# expect-deep: ") {
            if !deep {
                continue;
            }
            rest
        } else {
            break;
        };
        let rest = std::str::from_utf8(rest).unwrap();
        let (diag, pos) = rest.rsplit_once(' ').unwrap();
        let (severity, code) = diag.trim_end_matches(']').split_once('[').unwrap();
        let (l, c) = pos.split_once(':').unwrap();
        out.push((
            severity.to_owned(),
            code.to_owned(),
            l.parse().unwrap(),
            c.parse().unwrap(),
        ));
    }
    out
}

/// What the core reports for `bytes`, in the annotation's terms.
pub fn actual(bytes: &[u8], file_name: &str) -> (Vec<Expect>, bool) {
    let checked = check_config(bytes, file_name);
    (
        positions(bytes, &checked.diagnostics),
        checked.config.is_some(),
    )
}

/// Diagnostics in the annotations' terms: (severity, code, line, column).
pub fn positions(bytes: &[u8], diagnostics: &[ml_provisioner_core::Diagnostic]) -> Vec<Expect> {
    let text = String::from_utf8_lossy(bytes);
    let index = LineIndex::new(&text);
    diagnostics
        .iter()
        .map(|d| {
            let (l, c) = index.line_col(&text, d.span.start);
            (
                d.severity.as_str().to_owned(),
                d.code.as_str().to_owned(),
                l,
                c,
            )
        })
        .collect()
}

/// Codes no fixture triggers, each with the reason.
const NOT_IN_CORPUS: &[(Code, &str)] = &[
    (
        Code::FileTooLarge,
        "generated in `oversized_input` (a multi-megabyte file is not committed)",
    ),
    (
        Code::InvalidFormat,
        "fallback for schema patterns without a field-specific code; every pattern has one",
    ),
    (
        Code::InvalidTemplate,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::UnknownReference,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::UnknownAttribute,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::DependencyCycle,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::BucketNotEncrypted,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::BucketPublicAccess,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::BucketWithoutTls,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::IamWildcardAction,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::IamStarResource,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::SgOpenIngress,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::ResourceRule,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::TransformNotExpanded,
        "a template check: tests/fixtures/bad-templates covers it",
    ),
    (
        Code::UnknownProperty,
        "the CLI's deep template check: tests/fixtures/bad-templates (# expect-deep)",
    ),
    (
        Code::WrongPropertyType,
        "the CLI's deep template check: tests/fixtures/bad-templates (# expect-deep)",
    ),
    (
        Code::InvalidEnumValue,
        "the CLI's deep template check: tests/fixtures/bad-templates (# expect-deep)",
    ),
    (
        Code::CfnRule,
        "the CLI's deep template check: tests/fixtures/bad-templates (# expect-deep)",
    ),
    (
        Code::CfnRuleWarning,
        "the CLI's deep template check: tests/fixtures/bad-templates (# expect-deep)",
    ),
];

#[test]
fn bad_config_corpus() {
    let dir = repo_root().join("tests/fixtures/bad-configs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 40,
        "the corpus must hold at least 40 bad configs, has {}",
        files.len()
    );
    let mut seen_codes = BTreeSet::new();
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut expected = parse_expectations(&bytes);
        assert!(!expected.is_empty(), "{name}: no '# expect:' header");
        let unhinted: Vec<_> = check_config(&bytes, &name)
            .diagnostics
            .into_iter()
            .filter(|d| d.hint.is_none())
            .collect();
        assert!(
            unhinted.is_empty(),
            "{name}: every diagnostic needs a fix hint: {unhinted:?}"
        );
        let (mut found, model) = actual(&bytes, &name);
        expected.sort();
        found.sort();
        let only_warnings = expected.iter().all(|e| e.0 == "warning");
        if found != expected || model != only_warnings {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  found    {found:?}\n  model: {model}"
            ));
        }
        seen_codes.extend(found.into_iter().map(|f| f.1));
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for code in Code::ALL {
        let exempt = NOT_IN_CORPUS.iter().any(|(c, _)| c == code);
        assert!(
            exempt || seen_codes.contains(code.as_str()),
            "no fixture produces [{}]; add one to tests/fixtures/bad-configs",
            code.as_str()
        );
    }
}

#[test]
fn zero_byte_file_is_empty() {
    let (found, model) = actual(b"", "empty.yaml");
    assert_eq!(found, vec![("error".into(), "empty-file".into(), 1, 1)]);
    assert!(!model);
}

#[test]
fn oversized_input() {
    // Three megabytes of otherwise harmless YAML comment lines.
    let big = "# padding line of a config that is far too big\n".repeat(3 * 1024 * 1024 / 48);
    assert!(big.len() > MAX_INPUT_BYTES);
    let (found, model) = actual(big.as_bytes(), "big.yaml");
    assert_eq!(found, vec![("error".into(), "file-too-large".into(), 1, 1)]);
    assert!(!model);
}

#[test]
fn byte_order_mark_is_accepted() {
    let example =
        std::fs::read(repo_root().join(
            "examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        ))
        .unwrap();
    let mut with_bom = "\u{FEFF}".as_bytes().to_vec();
    with_bom.extend_from_slice(&example);
    let checked = check_config(&with_bom, "");
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert!(checked.config.is_some());
}

#[test]
fn positions_count_characters_not_bytes() {
    let src = "client:\n  company_name: Ünïcødé ✓\n  compnay: x\n";
    let (found, _) = actual(src.as_bytes(), "");
    assert!(
        found.contains(&("error".into(), "unknown-key".into(), 3, 3)),
        "{found:?}"
    );
    let src = "client:\n  company_name: \"Ünïcødé ✓\"\n  account_id: 12\n";
    let (found, _) = actual(src.as_bytes(), "");
    assert!(
        found.contains(&("error".into(), "wrong-type".into(), 3, 15)),
        "{found:?}"
    );
}

/// Name rules apply only to resources the config creates: prefix "sg" breaks the endpoint
/// security group's name (fixture invalid-name-sg-prefix.yaml), but a starter has none.
#[test]
fn names_are_checked_only_for_resources_the_config_creates() {
    let starter = "client:\n  company_name: SG\n  company_prefix: sg\n  account_id: \"123456789012\"\n  tenant_id: z001\nenvironment:\n  env: prod\n  region: us-east-1\nml_product:\n  tier: starter\n  use_case: churn\n  source_control: codecommit\n";
    let (found, model) = actual(starter.as_bytes(), "");
    assert!(found.is_empty() && model, "{found:?}");
}
