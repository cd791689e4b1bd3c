//! The schema file stays in step with the code that also knows its lists.

use ml_provisioner_core::regions;
use ml_provisioner_core::schema;
use serde_json::Value;

#[test]
fn schema_compiles_and_regions_match_the_region_table() {
    let schema = schema::schema().expect("the embedded schema compiles");
    let enumerated: Vec<&str> = schema
        .pointer("/properties/environment/properties/region/enum")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let table: Vec<&str> = regions::all().iter().map(|(r, _)| *r).collect();
    assert_eq!(enumerated, table);
}

#[test]
fn every_schema_property_is_documented() {
    fn walk(value: &Value, path: &str, out: &mut Vec<String>) {
        if let Some(props) = value.get("properties").and_then(Value::as_object) {
            for (key, sub) in props {
                let here = format!("{path}/{key}");
                if sub.get("description").is_none()
                    && sub.get("properties").is_none()
                    && sub.get("enum").is_none()
                {
                    out.push(here.clone());
                }
                walk(sub, &here, out);
            }
        }
    }
    let mut undocumented = Vec::new();
    walk(schema::schema().unwrap(), "", &mut undocumented);
    assert!(
        undocumented.is_empty(),
        "add a description (editors show it): {undocumented:?}"
    );
}

#[test]
fn diagnostic_codes_are_documented() {
    let docs = std::fs::read_to_string(crate::repo_root().join("docs/diagnostics.md")).unwrap();
    for code in ml_provisioner_core::Code::ALL {
        assert!(
            docs.contains(&format!("`{}`", code.as_str())),
            "docs/diagnostics.md lacks `{}`",
            code.as_str()
        );
    }
}

/// Every region of the table validates, with its partition in the policy: the newest ones too
/// (ap-southeast-6, which cfn-lint 1.58 knows and a hand-kept list had missed).
#[test]
fn every_region_of_the_table_validates() {
    let name = "edge-prod-b001-us-west-2-fraud-detection-ml-codecommit.yaml";
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/configs")
            .join(name),
    )
    .unwrap();
    assert!(regions::all().iter().any(|(r, _)| *r == "ap-southeast-6"));
    for (region, partition) in regions::all() {
        let checked = ml_provisioner_core::check_config(
            text.replace("us-west-2", region).as_bytes(),
            &name.replace("us-west-2", region),
        );
        assert!(
            checked.diagnostics.is_empty() && checked.config.is_some(),
            "{region}: {:#?}",
            checked.diagnostics
        );
        assert_eq!(regions::partition(region), Some(*partition));
    }
}

/// The codes of the rules (core/src/rules.rs) that the schema also carries, as `allOf` copies
/// for editors (the core compiles the schema without them; `schema::without_editor_rules`).
const EDITOR_COPIED_CODES: &[&str] = &[
    "s3-prefix-required",
    "s3-prefix-not-allowed",
    "alerts-email-required",
    "vpc-integration-required",
    "vpc-integration-not-allowed",
    "vpc-direct-ids-required",
    "vpc-key-not-allowed",
    "reserved-tag-key",
    "invalid-tag",
];

fn full_schema() -> jsonschema::Validator {
    jsonschema::draft7::new(schema::schema().unwrap()).expect("the schema with its allOfs compiles")
}

fn json_view(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    ml_provisioner_core::yaml::parse(text)
        .root
        .map(|root| root.to_json())
}

/// The schema's copies of the rules say what the rules say, on every example and every corpus
/// case: the examples pass the whole schema; a case with a copied rule's code fails it; and a
/// case that only the copies reject (the schema without them accepts it) has such a code.
#[test]
fn the_schemas_rule_copies_agree_with_the_rules() {
    let full = full_schema();
    let structural =
        jsonschema::draft7::new(&schema::without_editor_rules(schema::schema().unwrap())).unwrap();
    for example in ml_provisioner_core::examples::EXAMPLES {
        let json = json_view(example.text.as_bytes()).unwrap();
        let errors: Vec<String> = full.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", example.file_name);
    }
    let dir = crate::repo_root().join("tests/fixtures/bad-configs");
    let mut copied_cases = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(json) = json_view(&bytes) else {
            continue;
        };
        let codes: Vec<String> = crate::fixtures::parse_expectations(&bytes)
            .into_iter()
            .map(|(_, code, _, _)| code)
            .collect();
        let has_copied = codes
            .iter()
            .any(|c| EDITOR_COPIED_CODES.contains(&c.as_str()));
        // Tag characters are the core's alone (see the tag test below).
        if has_copied && name != "invalid-tag-value.yaml" {
            copied_cases += 1;
            assert!(
                !full.is_valid(&json),
                "{name}: the schema's copy of {codes:?} lets it pass"
            );
        }
        if !full.is_valid(&json) && structural.is_valid(&json) {
            assert!(
                has_copied,
                "{name}: only the schema's rule copies reject it, the rules do not ({codes:?})"
            );
        }
    }
    assert!(copied_cases >= 11, "{copied_cases}");
}

/// Tag keys and values: the schema never refuses a character the core's tag rule accepts (every
/// character below U+0800), and agrees with it on the limits (length, the `aws:` prefix in any
/// case, the tool's own keys).
#[test]
fn the_schemas_tag_rules_equal_the_cores() {
    let full = full_schema();
    let base = ml_provisioner_core::examples::EXAMPLES
        .iter()
        .find(|e| !e.text.contains("\ntags:"))
        .unwrap();
    let verdicts = |key: &str, value: &str| {
        let quote = |s: &str| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == 'é' {
                        c.to_string()
                    } else {
                        format!("\\U{:08X}", c as u32)
                    }
                })
                .collect::<String>()
        };
        let text = format!(
            "{}tags:\n  \"{}\": \"{}\"\n",
            base.text,
            quote(key),
            quote(value)
        );
        let checked = ml_provisioner_core::check_config(text.as_bytes(), base.file_name);
        let core_ok = !checked
            .diagnostics
            .iter()
            .any(|d| matches!(d.code.as_str(), "reserved-tag-key" | "invalid-tag"));
        let json = json_view(text.as_bytes())
            .unwrap_or_else(|| panic!("{key:?}: {value:?}: {:?}", checked.diagnostics));
        (core_ok, full.is_valid(&json))
    };
    // Characters: the core alone decides which are allowed (a Unicode class in a schema
    // pattern is not portable: Python's re refuses \\p{..}), so the schema must accept every
    // one-character key and value the core accepts.
    let chars: Vec<String> = (1u32..0x800)
        .filter_map(char::from_u32)
        .map(String::from)
        .collect();
    for c in &chars {
        let (core_ok, schema_ok) = verdicts(c, "v");
        assert!(
            !core_ok || schema_ok,
            "tag key {c:?}: the core accepts it, the schema does not"
        );
        let (core_ok, schema_ok) = verdicts("owner", c);
        assert!(
            !core_ok || schema_ok,
            "tag value {c:?}: the core accepts it, the schema does not"
        );
    }
    // Reserved prefixes, the tool's own keys and the lengths: the same verdict.
    let mut keys: Vec<String> = Vec::new();
    for c in [
        '\u{3000}',
        '\u{00A0}',
        '\u{2028}',
        '\u{0663}',
        '\u{00B2}',
        '\u{216B}',
        '\u{0301}',
        '\u{1F600}',
        '\u{4E2D}',
        '\u{FF1B}',
        '\u{FEFF}',
        '\u{200B}',
    ] {
        keys.push(format!("a{c}"));
    }
    let own: Vec<String> = ml_provisioner_core::OWN_TAG_KEYS
        .iter()
        .map(|k| (*k).to_owned())
        .collect();
    keys.extend(own.iter().cloned());
    keys.extend(own.iter().map(|k| format!("{k}x")));
    keys.extend(own.iter().map(|k| k.to_uppercase()));
    for key in [
        "aws:x",
        "AWS:x",
        "Aws:",
        "aws",
        "awsx:y",
        "x:aws:y",
        "",
        "cost center",
        "a;b",
    ] {
        keys.push(key.to_owned());
    }
    keys.push("é".repeat(128));
    keys.push("é".repeat(129));
    for key in &keys {
        let (core_ok, schema_ok) = verdicts(key, "v");
        let characters_only = !core_ok && key.chars().any(|c| !verdicts(&c.to_string(), "v").0);
        if characters_only {
            assert!(!core_ok || schema_ok, "tag key {key:?}");
        } else {
            assert_eq!(
                core_ok, schema_ok,
                "tag key {key:?}: core {core_ok}, schema {schema_ok}"
            );
        }
    }
    for value in ["".to_owned(), "x".repeat(256), "x".repeat(257)] {
        let (core_ok, schema_ok) = verdicts("owner", &value);
        assert_eq!(
            core_ok, schema_ok,
            "tag value {value:?}: core {core_ok}, schema {schema_ok}"
        );
    }
}

/// A value that is not one of the allowed ones is named in the message, also when it is a list
/// or a mapping (not "'this value' is not a valid tier").
#[test]
fn an_invalid_value_is_named_whatever_its_kind() {
    let base = "client:\n  company_name: Acme\n  company_prefix: acme\n  account_id: \"123456789012\"\n  tenant_id: z001\nenvironment:\n  env: prod\n  region: us-east-1\nml_product:\n  use_case: churn\n  source_control: codecommit\n";
    for (tier, shown) in [
        ("[a, b]", "'[a, b]' is not a valid tier"),
        ("{a: 1}", "'{a: 1}' is not a valid tier"),
        ("gold", "'gold' is not a valid tier"),
        (
            "[aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd]",
            "'[aaaaaaaaaa, bbbbbbbbbb, cccccccccc, ddd…' is not a valid tier",
        ),
    ] {
        let text = format!("{base}  tier: {tier}\n");
        let checked = ml_provisioner_core::check_config(text.as_bytes(), "");
        let messages: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages, [shown], "{tier}");
    }
}
