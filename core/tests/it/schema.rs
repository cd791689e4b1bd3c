//! The schema file stays in step with the code that also knows its lists.

use ml_provisioner_core::regions::REGIONS;
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
    let table: Vec<&str> = REGIONS.iter().map(|(r, _)| *r).collect();
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
