//! What the app shows for a config, computed by the core: the diagnostics and status on every
//! keystroke; the previews (resources, diagram, policy, template, template checks, cost,
//! checklist, report) when asked. Plain functions, tested natively.

use ml_provisioner_core::catalog::{self, PlannedResource};
use ml_provisioner_core::files::Output;
use ml_provisioner_core::policy::PolicyOptions;
use ml_provisioner_core::policy_set;
use ml_provisioner_core::report::{self, Report, ReportInput, checklist, cost};
use ml_provisioner_core::{Config, Diagnostic, check_config, files, render};

use crate::editor::{self, Listed};

/// A checked draft.
#[derive(Clone, Debug)]
pub struct Checked {
    pub file_name: String,
    /// The text the editor shows: the bytes as UTF-8, any invalid sequence as U+FFFD (the
    /// diagnostics are the bytes', as the CLI reports them).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub listed: Vec<Listed>,
    pub config: Option<Config>,
    /// Why the file name cannot name the downloads (`files::file_name_problem`).
    pub name_problem: Option<&'static str>,
}

/// Checks a config's bytes (a file as read, or the editor's text) with the core, as the CLI does.
pub fn check(file_name: &str, bytes: &[u8]) -> Checked {
    let checked = check_config(bytes, file_name);
    let text = String::from_utf8_lossy(bytes).into_owned();
    Checked {
        file_name: file_name.to_owned(),
        listed: editor::list(&text, &checked.diagnostics),
        text,
        diagnostics: checked.diagnostics,
        config: checked.config,
        name_problem: files::file_name_problem(file_name),
    }
}

/// Why a pasted or typed text of at least `bytes` bytes is not taken into the editor: the
/// core's input limit, checked before any work (the CLI refuses such a file unread).
pub fn input_refusal(bytes: usize) -> Option<String> {
    let limit = ml_provisioner_core::yaml::MAX_INPUT_BYTES;
    (bytes > limit).then(|| {
        format!(
            "Not taken: the config would be at least {bytes} bytes, and a config may be at most {limit} bytes ({} KiB), as for the CLI. The editor keeps the text it had.",
            limit / 1024
        )
    })
}

/// A core message (`the config needs …`) as a sentence on its own: capital first, full stop.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// A message above the editor, and what makes it go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub until: Until,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// About an action on the config as it was (a link copied, a file refused, a paste
    /// refused): gone when the config or its name changes.
    Change,
    /// A download refused: stays while the config still cannot be downloaded.
    Downloadable,
}

impl Notice {
    pub fn until_change(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            until: Until::Change,
        }
    }

    /// Whether the message still holds once the changed config is checked.
    pub fn holds_after(&self, checked: &Checked) -> bool {
        match self.until {
            Until::Change => false,
            Until::Downloadable => checked.download_refusal().is_some(),
        }
    }
}

/// The core's pages (review report, change set, drift) as a sandboxed `srcdoc` frame shows them.
/// In a `srcdoc` document `href="#cost"` resolves against the app's address, so the contents
/// links would load the app into the frame; `about:srcdoc#cost` is the frame's own address and
/// scrolls it. The files the CLI writes and the downloads keep `#cost`.
pub fn frame_document(html: &str) -> String {
    html.replace(" href=\"#", " href=\"about:srcdoc#")
}

impl Checked {
    /// Why the downloads (and a review link) are refused, if they are.
    pub fn download_refusal(&self) -> Option<String> {
        if let Some(problem) = self.name_problem {
            Some(format!("Name the config first: {problem}."))
        } else if self.config.is_none() {
            Some("Fix the config's errors before downloading.".into())
        } else {
            None
        }
    }

    /// The status line: valid (tier, resources, stack) or how many problems.
    pub fn status(&self) -> String {
        let (errors, warnings) = render::counts(&self.diagnostics);
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        match &self.config {
            Some(config) => {
                let names = config.names();
                let mut s = format!(
                    "Valid — {} tier, {} resources, stack {}",
                    config.tier().as_str(),
                    catalog::plan(config, &names).len(),
                    names.stack_name()
                );
                if warnings > 0 {
                    s.push_str(&format!(" ({})", plural(warnings, "warning")));
                }
                s
            }
            None => format!(
                "{} — {}, {}",
                plural(errors + warnings, "problem"),
                plural(errors, "error"),
                plural(warnings, "warning")
            ),
        }
    }
}

/// Everything the preview tabs and downloads show for a valid config.
#[derive(Clone, Debug)]
pub struct Outputs {
    pub stem: String,
    pub resources: Vec<PlannedResource>,
    pub report: Report,
    /// What `create-policy` writes: each managed-policy document, then the guide.
    pub policy_files: Vec<PolicyFile>,
    pub template_checks: Vec<Listed>,
    pub cost: cost::CostEstimate,
    pub checklist: Vec<checklist::CheckItem>,
    pub diagram_svg: String,
}

/// One file of the operator policy, as `create-policy` writes it.
#[derive(Clone, Debug)]
pub struct PolicyFile {
    pub output: Output,
    /// The file name (`{stem}-iam-policy-1.json`).
    pub name: String,
    pub text: String,
    /// What it is, in a few words (size and statements of a document).
    pub summary: String,
}

/// The policy files of a report's policy set, in the order the CLI lists them.
fn policy_files(config: &Config, stem: &str, report: &Report) -> Vec<PolicyFile> {
    let set = &report.policy;
    let mut files: Vec<PolicyFile> = set
        .documents
        .iter()
        .zip(set.file_texts())
        .map(|(d, text)| PolicyFile {
            output: Output::PolicyDocument(d.number),
            name: Output::PolicyDocument(d.number).file_name(stem),
            text,
            summary: format!(
                "managed policy {} of {}: {} of IAM's {} characters, {} statements",
                d.number,
                set.documents.len(),
                policy_set::thousands(d.chars),
                policy_set::thousands(policy_set::IAM_LIMITS.document_chars),
                d.document["Statement"].as_array().map_or(0, Vec::len)
            ),
        })
        .collect();
    files.push(PolicyFile {
        output: Output::PolicyGuide,
        name: Output::PolicyGuide.file_name(stem),
        text: policy_set::guide_text(config, &config.names(), stem, set),
        summary: "the commands that create the managed policies and attach them".to_owned(),
    });
    files
}

impl Outputs {
    /// The bytes of an output file, as the CLI writes it.
    pub fn file_text(&self, which: Output) -> Option<&str> {
        match which {
            Output::Template => Some(&self.report.template.yaml),
            Output::ReviewReport => Some(&self.report.html),
            Output::PolicyDocument(_) | Output::PolicyGuide => self
                .policy_files
                .iter()
                .find(|f| f.output == which)
                .map(|f| f.text.as_str()),
        }
    }
}

/// Computes the previews; `generated_at` is the time the report shows (the CLI's format,
/// `YYYY-MM-DDTHH:MM:SSZ`). `None` for an invalid config (or an internal error).
pub fn outputs(checked: &Checked, generated_at: &str) -> Option<Outputs> {
    let config = checked.config.as_ref()?;
    let names = config.names();
    let stem = files::config_stem(&checked.file_name).to_owned();
    let report = report::render(&ReportInput {
        config,
        config_bytes: checked.text.as_bytes(),
        config_file: &checked.file_name,
        config_stem: &stem,
        config_diagnostics: &checked.diagnostics,
        generated_at,
        tool_version: ml_provisioner_core::VERSION,
        // As the CLI's source build: no Marketplace product code, no metering call.
        policy_options: PolicyOptions {
            checks_subscription: false,
        },
    })
    .ok()?;
    let checklist = checklist::checklist(&checklist::ChecklistInput {
        config,
        names: &names,
        config_file: &checked.file_name,
        config_stem: &stem,
        template_sha256: &report.template_sha256,
        policy_documents: report.policy.documents.len(),
    });
    Some(Outputs {
        resources: catalog::plan(config, &names),
        policy_files: policy_files(config, &stem, &report),
        template_checks: editor::list(&report.template.yaml, &report.template_findings),
        cost: cost::estimate(config),
        diagram_svg: report::diagram::diagram(config, &names),
        checklist,
        stem,
        report,
    })
}

/// `2026-11-27T10:00:00.123Z` (JavaScript's `toISOString`) → `2026-11-27T10:00:00Z`.
pub fn cli_time(iso: &str) -> String {
    match iso.split_once('.') {
        Some((seconds, rest)) if rest.ends_with('Z') => format!("{seconds}Z"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!(
        "../../examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
    );
    const NAME: &str = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml";

    #[test]
    fn a_valid_example_gets_status_and_every_preview() {
        let checked = check(NAME, EXAMPLE.as_bytes());
        assert!(
            checked.status().starts_with("Valid — starter tier"),
            "{}",
            checked.status()
        );
        let out = outputs(&checked, "2026-11-27T10:00:00Z").unwrap();
        assert_eq!(out.stem, NAME.trim_end_matches(".yaml"));
        assert!(!out.resources.is_empty());
        let names: Vec<&str> = out.policy_files.iter().map(|f| f.name.as_str()).collect();
        let stem = NAME.trim_end_matches(".yaml");
        assert_eq!(
            names,
            [
                format!("{stem}-iam-policy-1.json"),
                format!("{stem}-iam-policy-2.json"),
                format!("{stem}-iam-policy.md"),
            ]
        );
        assert!(out.policy_files[0].text.ends_with("}\n"));
        assert_eq!(
            out.file_text(Output::PolicyDocument(2)),
            Some(out.policy_files[1].text.as_str())
        );
        assert_eq!(out.file_text(Output::PolicyDocument(3)), None);
        assert!(out.policy_files[2].text.contains("aws iam create-policy"));
        assert!(out.template_checks.is_empty());
        assert!(out.diagram_svg.starts_with("<svg"));
        assert!(out.report.html.contains("2026-11-27T10:00:00Z"));
    }

    #[test]
    fn an_invalid_draft_counts_problems_and_has_no_previews() {
        let checked = check("draft.yaml", b"client: 1\n");
        assert!(checked.status().contains("error"), "{}", checked.status());
        assert!(outputs(&checked, "t").is_none());
    }

    #[test]
    fn a_file_is_checked_as_bytes_like_the_cli() {
        let bytes = b"client:\n  company_name: Acm\xff\n";
        let checked = check("bad.yaml", bytes);
        let listed: Vec<String> = checked.listed.iter().map(Listed::summary).collect();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(
            listed[0].starts_with("2:20 error[invalid-utf8]"),
            "{listed:?}"
        );
        assert_eq!(checked.text, "client:\n  company_name: Acm\u{FFFD}\n");
    }

    #[test]
    fn downloads_need_a_valid_config_and_a_file_name() {
        assert_eq!(check(NAME, EXAMPLE.as_bytes()).download_refusal(), None);
        let unnamed = check("", EXAMPLE.as_bytes());
        assert!(unnamed.download_refusal().unwrap().contains("file name"));
        assert!(
            sentence(unnamed.name_problem.unwrap()).starts_with("The config needs a file name")
        );
        assert_eq!(sentence("über"), "Über.");
        assert_eq!(sentence(""), "");
        let invalid = check(NAME, b"client: 1\n");
        assert!(invalid.download_refusal().unwrap().contains("errors"));
    }

    #[test]
    fn notices_go_with_their_cause() {
        let valid = check(NAME, EXAMPLE.as_bytes());
        let invalid = check(NAME, b"client: 1\n");
        let refused = Notice {
            text: invalid.download_refusal().unwrap(),
            until: Until::Downloadable,
        };
        assert!(refused.holds_after(&invalid));
        assert!(!refused.holds_after(&valid));
        assert!(!Notice::until_change("copied").holds_after(&invalid));
    }

    #[test]
    fn input_over_the_cores_limit_is_refused_unread() {
        let limit = ml_provisioner_core::yaml::MAX_INPUT_BYTES;
        assert_eq!(input_refusal(limit), None);
        assert!(
            input_refusal(limit + 1)
                .unwrap()
                .contains(&limit.to_string())
        );
    }

    #[test]
    fn frame_links_stay_in_the_frame() {
        let checked = check(NAME, EXAMPLE.as_bytes());
        let out = outputs(&checked, "2026-11-27T10:00:00Z").unwrap();
        assert!(out.report.html.contains(" href=\"#cost\""));
        let framed = frame_document(&out.report.html);
        assert!(framed.contains(" href=\"about:srcdoc#cost\""));
        assert!(!framed.contains(" href=\"#"));
        // Nothing else changes.
        assert_eq!(framed.replace("about:srcdoc#", "#"), out.report.html);
    }

    #[test]
    fn times_in_the_cli_format() {
        assert_eq!(cli_time("2026-11-27T10:00:00.123Z"), "2026-11-27T10:00:00Z");
        assert_eq!(cli_time("2026-11-27T10:00:00Z"), "2026-11-27T10:00:00Z");
    }
}
