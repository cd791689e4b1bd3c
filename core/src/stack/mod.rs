//! What AWS says about a deployed stack, as plain data: a change set ([`ChangeSetReport`]), a
//! drift check ([`DriftReport`]) and stack events ([`StackEvent`]). The CLI fills these from
//! the AWS SDK; the core renders them (text, JSON, HTML) so that the CLI's files and the browser
//! app's view of a `*-changes.json` or `*-drift.json` are the same. Times are strings given by the
//! caller (RFC 3339, UTC): the core has no clock.
//!
//! The JSON form is these types through serde, with a `kind` and a `format` version at the top
//! ([`StackDocument`]), so a file can be recognised and refused when it comes from a newer tool.
//!
//! Rendering, all pure: [`changes_text`] and [`drift_text`] for the terminal, [`changes_html`]
//! and [`drift_html`] for the report files and the browser app, [`to_json`] / [`from_json`] for
//! the files, [`event_line`] and [`root_cause`] for a deploy's live progress and its failure.
//! [`security_changes`] picks out what a security reviewer must see first (IAM, network rules,
//! resource and key policies, public access and encryption); the renderers compute it, so the
//! JSON stays the data AWS gave.

mod events;
mod page;
mod security;
mod text;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::files::StackReport;

pub use events::{event_line, root_cause};
pub use page::{changes_html, drift_html};
pub use security::{SecurityCategory, SecurityChange, security_changes};
pub use text::{changes_summary, changes_text, drift_summary, drift_text};

/// The version of the JSON files written from these types. Raised on an incompatible change.
pub const FORMAT: u32 = 1;

/// Which stack a document is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackRef {
    pub stack_name: String,
    pub region: String,
    pub account: String,
}

/// A change set against the deployed stack (`show-changes`, `deploy-product --dry-run`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSetReport {
    pub stack: StackRef,
    pub change_set_name: String,
    /// SHA-256 (hex) of the template the change set was made from: the one reviewed.
    pub template_sha256: String,
    pub tool_version: String,
    /// When the change set was made (RFC 3339, UTC).
    pub created: String,
    /// Empty when the template changes nothing.
    pub changes: Vec<ResourceChange>,
}

/// What a change does to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    Add,
    Modify,
    Remove,
    /// CloudFormation cannot tell before it runs (a macro, a nested stack).
    Dynamic,
    Import,
}

/// Whether a modification replaces the resource (a new physical resource; data in the old one
/// is lost unless retained).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Replacement {
    True,
    Conditional,
    False,
}

/// One resource in a change set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceChange {
    pub action: ChangeAction,
    pub logical_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    pub resource_type: String,
    /// AWS gives it for modifications only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<Replacement>,
    /// What part changes: `Properties`, `Tags`, `Metadata`, ...
    #[serde(default)]
    pub scope: Vec<String>,
    /// Property-level detail, where AWS gives it.
    #[serde(default)]
    pub details: Vec<PropertyChange>,
}

/// One property of a modified resource, with its values when the change set was made with
/// `IncludePropertyValues`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyChange {
    /// `Properties`, `Tags`, ...
    pub attribute: String,
    /// The property's name or path (`Policies`, `/Properties/Tags/0/Value`).
    pub path: String,
    /// `Never`, `Conditionally` or `Always`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_recreation: Option<String>,
    /// The value before, as AWS gives it (JSON text for objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Why it changes: `DirectModification`, `ResourceReference`, `ParameterReference`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// A drift check of the deployed stack (`check-drift`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    pub stack: StackRef,
    pub tool_version: String,
    /// When the detection finished (RFC 3339, UTC).
    pub checked: String,
    pub status: StackDriftStatus,
    pub resources: Vec<ResourceDrift>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StackDriftStatus {
    InSync,
    Drifted,
    /// AWS could not finish the check.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceDriftStatus {
    Modified,
    Deleted,
    InSync,
    /// AWS cannot check this resource type for drift.
    NotChecked,
    Unknown,
}

/// One resource's drift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDrift {
    pub logical_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    pub resource_type: String,
    pub status: ResourceDriftStatus,
    #[serde(default)]
    pub differences: Vec<PropertyDifference>,
}

/// One property that differs from the template: expected → actual.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDifference {
    /// JSON pointer into the resource's properties (`/Value`, `/Tags/1/Value`).
    pub path: String,
    pub expected: String,
    pub actual: String,
    pub kind: DifferenceKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// The live resource has a value the template does not set.
    Add,
    /// The template's value is gone from the live resource.
    Remove,
    NotEqual,
}

/// One stack event (oldest first where a list is passed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackEvent {
    /// RFC 3339, UTC.
    pub timestamp: String,
    pub logical_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    pub resource_type: String,
    /// `CREATE_IN_PROGRESS`, `UPDATE_FAILED`, ...
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A file written from these types, as the JSON form carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StackDocument {
    Changes {
        format: u32,
        #[serde(flatten)]
        report: ChangeSetReport,
    },
    Drift {
        format: u32,
        #[serde(flatten)]
        report: DriftReport,
    },
}

impl StackDocument {
    /// A change set report as the current format writes it.
    pub fn changes(report: ChangeSetReport) -> StackDocument {
        StackDocument::Changes {
            format: FORMAT,
            report,
        }
    }

    /// A drift report as the current format writes it.
    pub fn drift(report: DriftReport) -> StackDocument {
        StackDocument::Drift {
            format: FORMAT,
            report,
        }
    }

    /// Which report file it is.
    pub fn kind(&self) -> StackReport {
        match self {
            StackDocument::Changes { .. } => StackReport::Changes,
            StackDocument::Drift { .. } => StackReport::Drift,
        }
    }

    /// The stack it is about.
    pub fn stack(&self) -> &StackRef {
        match self {
            StackDocument::Changes { report, .. } => &report.stack,
            StackDocument::Drift { report, .. } => &report.stack,
        }
    }

    /// Its one-line summary ([`changes_summary`] or [`drift_summary`]).
    pub fn summary(&self) -> String {
        match self {
            StackDocument::Changes { report, .. } => changes_summary(report),
            StackDocument::Drift { report, .. } => drift_summary(report),
        }
    }

    /// Its text rendering ([`changes_text`] or [`drift_text`]).
    pub fn text(&self) -> String {
        match self {
            StackDocument::Changes { report, .. } => changes_text(report),
            StackDocument::Drift { report, .. } => drift_text(report),
        }
    }

    /// Its HTML page ([`changes_html`] or [`drift_html`]).
    pub fn html(&self) -> String {
        match self {
            StackDocument::Changes { report, .. } => changes_html(report),
            StackDocument::Drift { report, .. } => drift_html(report),
        }
    }
}

/// The largest JSON document [`from_json`] reads (a change set of a 500-resource template with
/// every property value is far smaller).
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

/// The file form: pretty JSON (fields in the types' order) with a final newline.
pub fn to_json(document: &StackDocument) -> String {
    // Plain data with string keys: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

const WHAT_TO_OPEN: &str = "open a file named like x-changes.json or x-drift.json from the reports folder, as show-changes and check-drift write them";

/// A value from a file, for a message: at most 40 characters, controls visible.
fn shown(value: &str) -> String {
    let cut: String = value.chars().take(40).collect();
    let more = if cut.len() < value.len() { "…" } else { "" };
    format!("{}{more}", crate::html::show_controls(&cut))
}

/// Reads a file written by [`to_json`]. Refuses, with what was found and what to do, a file that
/// is not JSON, not one of these documents, of an unknown kind, or of a newer format than this
/// version reads.
pub fn from_json(text: &str) -> Result<StackDocument, String> {
    if text.len() > MAX_JSON_BYTES {
        return Err(format!(
            "The file is {} MiB; a change set or drift report is at most {} MiB. {WHAT_TO_OPEN}.",
            text.len().div_ceil(1024 * 1024),
            MAX_JSON_BYTES / (1024 * 1024)
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("This is not JSON ({e}), so not a change set or drift report: {WHAT_TO_OPEN}.")
    })?;
    let Some(object) = value.as_object() else {
        return Err(format!(
            "This JSON is not an object, so not a change set or drift report: {WHAT_TO_OPEN}."
        ));
    };
    let kind = match object.get("kind") {
        Some(Value::String(kind)) => shown(kind),
        _ => {
            return Err(format!(
                "This JSON has no \"kind\" field, so it is not a change set or drift report written by ml-provisioner: {WHAT_TO_OPEN}."
            ));
        }
    };
    let written_by = object
        .get("tool_version")
        .and_then(Value::as_str)
        .map(|v| format!(" (written by ml-provisioner {})", shown(v)))
        .unwrap_or_default();
    let format = object.get("format").and_then(Value::as_u64);
    match format {
        Some(f) if f > u64::from(FORMAT) => {
            return Err(format!(
                "This {kind} file has format {f}{written_by}, newer than the format {FORMAT} that ml-provisioner {} reads: open it with the version that wrote it, or update.",
                crate::VERSION
            ));
        }
        Some(1..) => {}
        _ => {
            return Err(format!(
                "This {kind} file has no valid \"format\" (a whole number from 1 to {FORMAT}){written_by}: {WHAT_TO_OPEN}."
            ));
        }
    }
    if !["changes", "drift"].contains(&kind.as_str()) {
        return Err(format!(
            "This file's kind is \"{kind}\"{written_by}; ml-provisioner {} reads \"changes\" and \"drift\" files: {WHAT_TO_OPEN}.",
            crate::VERSION
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        format!("This {kind} file does not have the fields ml-provisioner {} writes ({e}): was it edited? Write it again with show-changes or check-drift.", crate::VERSION)
    })
}
