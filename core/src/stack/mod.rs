//! What AWS says about a deployed stack, as plain data: a change set ([`ChangeSetReport`]), a
//! drift check ([`DriftReport`]) and stack events ([`StackEvent`]). The CLI fills these from
//! the AWS SDK; the core renders them (text, JSON, HTML) so that the CLI's files and the browser
//! app's view of a `*-changes.json` or `*-drift.json` are the same. Times are strings given by the
//! caller (RFC 3339, UTC): the core has no clock.
//!
//! The JSON form is these types through serde, with a `kind` and a `format` version at the top
//! ([`StackDocument`]), so a file can be recognised and refused when it comes from a newer tool.

use serde::{Deserialize, Serialize};

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
