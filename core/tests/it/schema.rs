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
