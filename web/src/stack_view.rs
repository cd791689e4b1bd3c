//! Opening a report about the deployed stack that the CLI wrote (`reports/{stem}-changes.json`
//! from `show-changes`, `reports/{stem}-drift.json` from `check-drift`): read by the core's
//! `stack::from_json` and rendered by the same `stack::changes_html` / `drift_html` as the CLI's
//! HTML files. No AWS access: the file holds what AWS said.

use ml_provisioner_core::stack::{self, StackDocument};

/// The largest report file the app reads.
pub const MAX_BYTES: usize = stack::MAX_JSON_BYTES;

/// Whether a file name is a JSON file, opened as a stack report (configs are YAML).
pub fn is_report_file(file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".json")
}

/// An opened report: what the view shows.
#[derive(Clone, Debug)]
pub struct Opened {
    pub file_name: String,
    /// `Change set: {stack}` or `Drift: {stack}`.
    pub heading: String,
    pub summary: String,
    /// `category: logical id — what (why)`, for a change set; empty for drift.
    pub security: Vec<String>,
    /// The page the CLI writes beside the JSON, shown in a sandboxed frame.
    pub html: String,
}

/// Reads a report file; the message says what the file is not, and what to open instead.
pub fn open(file_name: &str, text: &str) -> Result<Opened, String> {
    let document = stack::from_json(text).map_err(|e| format!("{file_name}: {e}"))?;
    let stack_name = document.stack().stack_name.clone();
    let (heading, security) = match &document {
        StackDocument::Changes { report, .. } => (
            format!("Change set: {stack_name}"),
            stack::security_changes(report)
                .into_iter()
                .map(|s| {
                    format!(
                        "{}: {} — {} ({})",
                        s.category.label(),
                        s.logical_id,
                        s.what,
                        s.why
                    )
                })
                .collect(),
        ),
        StackDocument::Drift { .. } => (format!("Drift: {stack_name}"), Vec::new()),
    };
    Ok(Opened {
        file_name: file_name.to_owned(),
        heading,
        summary: document.summary(),
        security,
        html: document.html(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const CHANGES: &str = include_str!("../../tests/fixtures/stack/demo-changes.json");
    const DRIFT: &str = include_str!("../../tests/fixtures/stack/demo-drift.json");
    const HOSTILE: &str = include_str!("../../tests/fixtures/stack/hostile-changes.json");

    #[test]
    fn opens_a_change_set_with_its_security_changes_first() {
        let opened = open("x-changes.json", CHANGES).unwrap();
        assert_eq!(
            opened.heading,
            "Change set: techcorp-prod-a001-us-west-2-customer-churn-ml-stack"
        );
        assert!(opened.summary.starts_with("1 to add, 4 to modify"));
        assert_eq!(opened.security.len(), 2);
        assert!(opened.security[1].contains("Allow ssm:GetParameter on *"));
        assert!(opened.html.contains("data-action=\"modify\""));
    }

    #[test]
    fn opens_a_drift_report() {
        let opened = open("x-drift.json", DRIFT).unwrap();
        assert!(opened.heading.starts_with("Drift: "));
        assert!(opened.summary.starts_with("DRIFTED"));
        assert!(opened.security.is_empty());
        assert!(opened.html.contains("data-status=\"modified\""));
    }

    #[test]
    fn other_json_and_newer_files_get_a_message() {
        let policy = open("x-iam-policy.json", "{\"Version\": \"2012-10-17\"}").unwrap_err();
        assert!(policy.starts_with("x-iam-policy.json: "), "{policy}");
        assert!(policy.contains("no \"kind\""), "{policy}");
        let newer = open(
            "x-drift.json",
            &DRIFT.replace("\"format\": 1", "\"format\": 9"),
        )
        .unwrap_err();
        assert!(
            newer.contains("format 9") && newer.contains("newer"),
            "{newer}"
        );
    }

    #[test]
    fn hostile_values_stay_text() {
        let opened = open("h.json", HOSTILE).unwrap();
        assert!(!opened.html.contains("<script"));
        // The page's own text comes through Leptos as text nodes; the heading holds the value.
        assert!(opened.heading.contains("<script>"));
    }

    #[test]
    fn json_files_are_reports() {
        assert!(is_report_file("x-changes.json") && is_report_file("X.JSON"));
        assert!(!is_report_file("x.yaml") && !is_report_file("json"));
    }
}
