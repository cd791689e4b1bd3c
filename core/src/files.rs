//! The names of the files the tool reads and writes: the config file's stem and every output
//! file. The CLI, the browser app's downloads and the report's text all call these, so a file
//! is named in one place.

/// The extensions a config file may have.
pub const CONFIG_EXTENSIONS: [&str; 2] = [".yaml", ".yml"];

/// A config file name without its `.yaml`/`.yml` extension (`a.b.yml` → `a.b`); other names are
/// kept whole. The stem names every output file of the config.
pub fn config_stem(file_name: &str) -> &str {
    CONFIG_EXTENSIONS
        .iter()
        .find_map(|ext| file_name.strip_suffix(ext))
        .filter(|stem| !stem.is_empty())
        .unwrap_or(file_name)
}

/// Why `file_name` cannot be a config's file name, if it cannot: it names every output file
/// (`{stem}-template.yaml`, …), so it may be neither blank (the template would be
/// `-template.yaml`) nor a path. The CLI's configs always have one; the browser app's name is typed.
pub fn file_name_problem(file_name: &str) -> Option<&'static str> {
    if file_name.trim().is_empty() {
        Some(
            "the config needs a file name, such as acme.yaml: it names every file made from it (acme-template.yaml and the others)",
        )
    } else if file_name.contains(['/', '\\']) {
        Some("a file name, not a path: no / or \\ (it names every file made from the config)")
    } else {
        None
    }
}

/// Whether a file name looks like a config (`.yaml` or `.yml`).
pub fn is_config_file_name(file_name: &str) -> bool {
    CONFIG_EXTENSIONS
        .iter()
        .any(|ext| file_name.len() > ext.len() && file_name.ends_with(ext))
}

/// A file the tool writes for a config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// `templates/{stem}-template.yaml`
    Template,
    /// `policies/{stem}-iam-policy-{n}.json`: document `n` (from 1) of the operator policy's set
    /// of managed policies (`policy_set`).
    PolicyDocument(usize),
    /// `policies/{stem}-iam-policy.md`: the set's documents and the AWS CLI commands that create
    /// and attach them.
    PolicyGuide,
    /// `reports/{stem}-review-report.html`
    ReviewReport,
}

/// `policies/{stem}-iam-policy.json`, the one policy file versions before the split wrote. No
/// longer written: `create-policy` removes it (it is over IAM's managed-policy limit, and a copy
/// left behind would go stale; docs/decisions.md).
pub fn legacy_policy_path(stem: &str) -> String {
    format!("policies/{stem}-iam-policy.json")
}

impl Output {
    /// The working folder it goes to.
    pub fn folder(self) -> &'static str {
        match self {
            Output::Template => "templates",
            Output::PolicyDocument(_) | Output::PolicyGuide => "policies",
            Output::ReviewReport => "reports",
        }
    }

    /// The file's name for a config stem.
    pub fn file_name(self, stem: &str) -> String {
        match self {
            Output::Template => format!("{stem}-template.yaml"),
            Output::PolicyDocument(n) => format!("{stem}-iam-policy-{n}.json"),
            Output::PolicyGuide => format!("{stem}-iam-policy.md"),
            Output::ReviewReport => format!("{stem}-review-report.html"),
        }
    }

    /// The file's path below the working folder (`templates/{stem}-template.yaml`).
    pub fn path(self, stem: &str) -> String {
        format!("{}/{}", self.folder(), self.file_name(stem))
    }

    /// Its media type, for downloads.
    pub fn media_type(self) -> &'static str {
        match self {
            Output::Template => "application/yaml",
            Output::PolicyDocument(_) => "application/json",
            Output::PolicyGuide => "text/markdown",
            Output::ReviewReport => "text/html",
        }
    }
}

/// A report about the deployed stack, written by an AWS action as JSON and HTML in `reports/`
/// (`{stem}-changes.json`, `{stem}-drift.html`, ...). The browser app opens the JSON form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackReport {
    /// `show-changes`: the change set.
    Changes,
    /// `check-drift`: the drift check.
    Drift,
}

impl StackReport {
    pub const FOLDER: &str = "reports";

    fn kind(self) -> &'static str {
        match self {
            StackReport::Changes => "changes",
            StackReport::Drift => "drift",
        }
    }

    /// `{stem}-changes.json`
    pub fn json_name(self, stem: &str) -> String {
        format!("{stem}-{}.json", self.kind())
    }

    /// `{stem}-changes.html`
    pub fn html_name(self, stem: &str) -> String {
        format!("{stem}-{}.html", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_output_names() {
        assert_eq!(config_stem("a.b.yml"), "a.b");
        assert_eq!(config_stem("x.yaml"), "x");
        assert_eq!(config_stem("notes.txt"), "notes.txt");
        assert_eq!(config_stem(".yaml"), ".yaml");
        assert!(is_config_file_name("x.yml") && !is_config_file_name(".yaml"));
        assert_eq!(Output::Template.path("x"), "templates/x-template.yaml");
        assert_eq!(
            Output::PolicyDocument(2).file_name("x"),
            "x-iam-policy-2.json"
        );
        assert_eq!(Output::PolicyGuide.path("x"), "policies/x-iam-policy.md");
        assert_eq!(legacy_policy_path("x"), "policies/x-iam-policy.json");
        assert_eq!(
            Output::ReviewReport.path("x"),
            "reports/x-review-report.html"
        );
        assert_eq!(StackReport::Changes.json_name("x"), "x-changes.json");
        assert_eq!(StackReport::Drift.html_name("x"), "x-drift.html");
    }

    #[test]
    fn a_file_name_must_name_the_outputs() {
        for bad in ["", "  ", "a/b.yaml", "a\\b.yaml"] {
            assert!(file_name_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["x.yaml", ".yaml", "notes.txt"] {
            assert_eq!(file_name_problem(good), None, "{good:?}");
        }
    }
}
