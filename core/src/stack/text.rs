//! The change set and drift reports as text for the terminal and the run log. Every value from
//! AWS is shown with its controls visible (`[U+001B]`), so a value cannot drive the terminal.

use std::fmt::Write;

use super::security::{SecurityChange, security_changes, short};
use super::{
    ChangeAction, ChangeSetReport, DifferenceKind, DriftReport, PropertyChange, PropertyDifference,
    Replacement, ResourceChange, ResourceDrift, ResourceDriftStatus, StackDriftStatus, StackRef,
};
use crate::html::show_controls;

/// A value on one line of a table: controls visible, line breaks as `\n`.
pub(super) fn cell(text: &str) -> String {
    show_controls(text).replace('\n', "\\n").replace('\t', " ")
}

impl ChangeAction {
    /// `add`, `modify`, `remove`, `dynamic`, `import`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Add => "add",
            ChangeAction::Modify => "modify",
            ChangeAction::Remove => "remove",
            ChangeAction::Dynamic => "dynamic",
            ChangeAction::Import => "import",
        }
    }
}

impl Replacement {
    /// `REPLACE` (a new physical resource), `may replace`, `no`.
    pub fn label(self) -> &'static str {
        match self {
            Replacement::True => "REPLACE",
            Replacement::Conditional => "may replace",
            Replacement::False => "no",
        }
    }
}

impl ResourceDriftStatus {
    /// `MODIFIED`, `DELETED`, `IN SYNC`, `NOT CHECKED`, `UNKNOWN`.
    pub fn label(self) -> &'static str {
        match self {
            ResourceDriftStatus::Modified => "MODIFIED",
            ResourceDriftStatus::Deleted => "DELETED",
            ResourceDriftStatus::InSync => "IN SYNC",
            ResourceDriftStatus::NotChecked => "NOT CHECKED",
            ResourceDriftStatus::Unknown => "UNKNOWN",
        }
    }

    /// `modified`, `deleted`, `in-sync`, `not-checked`, `unknown`, as the JSON spells it.
    pub fn id(self) -> &'static str {
        match self {
            ResourceDriftStatus::Modified => "modified",
            ResourceDriftStatus::Deleted => "deleted",
            ResourceDriftStatus::InSync => "in-sync",
            ResourceDriftStatus::NotChecked => "not-checked",
            ResourceDriftStatus::Unknown => "unknown",
        }
    }
}

impl StackDriftStatus {
    /// `IN SYNC`, `DRIFTED`, `UNKNOWN`.
    pub fn label(self) -> &'static str {
        match self {
            StackDriftStatus::InSync => "IN SYNC",
            StackDriftStatus::Drifted => "DRIFTED",
            StackDriftStatus::Unknown => "UNKNOWN",
        }
    }
}

pub(super) fn stack_line(stack: &StackRef) -> String {
    format!(
        "{} (account {}, {})",
        cell(&stack.stack_name),
        cell(&stack.account),
        cell(&stack.region)
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The changes in table order: by action (add, modify, remove, dynamic, import), then as AWS
/// listed them.
pub(super) fn ordered(report: &ChangeSetReport) -> Vec<&ResourceChange> {
    let mut changes: Vec<&ResourceChange> = report.changes.iter().collect();
    changes.sort_by_key(|c| c.action);
    changes
}

/// One line: `2 to add, 3 to modify (1 replaced, 1 may be replaced), 0 to remove; 2
/// security-relevant changes`, or that nothing changes.
pub fn changes_summary(report: &ChangeSetReport) -> String {
    summary_with(report, &security_changes(report))
}

fn summary_with(report: &ChangeSetReport, security: &[SecurityChange]) -> String {
    if report.changes.is_empty() {
        return "No changes: the deployed stack already matches this template.".to_owned();
    }
    let count = |a: ChangeAction| report.changes.iter().filter(|c| c.action == a).count();
    let replaced = |r: Replacement| {
        report
            .changes
            .iter()
            .filter(|c| c.action == ChangeAction::Modify && c.replacement == Some(r))
            .count()
    };
    let mut text = format!(
        "{} to add, {} to modify ({} replaced, {} may be replaced), {} to remove",
        count(ChangeAction::Add),
        count(ChangeAction::Modify),
        replaced(Replacement::True),
        replaced(Replacement::Conditional),
        count(ChangeAction::Remove),
    );
    for (action, words) in [
        (ChangeAction::Dynamic, "dynamic (known only when it runs)"),
        (ChangeAction::Import, "to import"),
    ] {
        let n = count(action);
        if n > 0 {
            let _ = write!(text, ", {n} {words}");
        }
    }
    let _ = write!(
        text,
        "; {}.",
        plural(
            security.len(),
            "security-relevant change",
            "security-relevant changes"
        )
    );
    text
}

/// Lines of a table with columns padded to the widest cell (the last column is not padded).
fn table(out: &mut String, indent: &str, rows: &[Vec<String>]) {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = indent.to_owned();
        for (i, c) in row.iter().enumerate() {
            line.push_str(c);
            if i + 1 < row.len() {
                let pad = widths[i] - c.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// A property's change: its path, whether it replaces the resource, its values (on the same line
/// when short, else one line each), what caused it when not a direct change.
fn property_lines(out: &mut String, d: &PropertyChange) {
    let mut line = cell(&d.path);
    if d.attribute != "Properties" && !d.path.contains(&d.attribute) {
        line = format!("{} {line}", cell(&d.attribute));
    }
    match d.requires_recreation.as_deref() {
        Some("Always") => line.push_str(" (replaces the resource)"),
        Some("Conditionally") => line.push_str(" (may replace the resource)"),
        _ => {}
    }
    if let Some(cause) = d.cause.as_deref().filter(|c| *c != "DirectModification") {
        let _ = write!(line, " [{}]", cell(cause));
    }
    let value =
        |v: &Option<String>, none: &str| v.as_deref().map_or_else(|| none.to_owned(), short);
    let (before, after) = (value(&d.before, "(none)"), value(&d.after, "(removed)"));
    if d.before.is_none() && d.after.is_none() {
        let _ = writeln!(out, "      {line}");
    } else if before.chars().count() + after.chars().count() <= 60 {
        let _ = writeln!(out, "      {line}: {before} → {after}");
    } else {
        let _ = writeln!(
            out,
            "      {line}\n        before: {before}\n        after:  {after}"
        );
    }
}

/// The change set as text: what it was made from, the security-relevant changes first, then
/// every change with its replacement and property values, and a summary line.
pub fn changes_text(report: &ChangeSetReport) -> String {
    let security = security_changes(report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Change set {} for stack {}",
        cell(&report.change_set_name),
        stack_line(&report.stack)
    );
    let _ = writeln!(
        out,
        "Made {} by ml-provisioner {} from the template with SHA-256 {}",
        cell(&report.created),
        cell(&report.tool_version),
        cell(&report.template_sha256)
    );
    out.push('\n');
    if report.changes.is_empty() {
        let _ = writeln!(out, "{}", summary_with(report, &security));
        return out;
    }
    if security.is_empty() {
        out.push_str("Security-relevant changes: none found (IAM, network rules, resource and key policies, public access, encryption).\n\n");
    } else {
        let _ = writeln!(
            out,
            "SECURITY-RELEVANT CHANGES ({}): review these first",
            security.len()
        );
        for s in &security {
            let _ = writeln!(
                out,
                "  ! [{}] {} ({}): {} — {}",
                s.category.label(),
                cell(&s.logical_id),
                cell(&s.resource_type),
                s.what,
                s.why
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Changes ({}):", report.changes.len());
    let mut rows = vec![
        ["ACTION", "LOGICAL ID", "TYPE", "PHYSICAL ID", "REPLACEMENT"]
            .map(str::to_owned)
            .to_vec(),
    ];
    let changes = ordered(report);
    for c in &changes {
        let flagged = security.iter().any(|s| s.logical_id == c.logical_id);
        rows.push(vec![
            c.action.as_str().to_owned(),
            format!("{}{}", cell(&c.logical_id), if flagged { " !" } else { "" }),
            cell(&c.resource_type),
            c.physical_id
                .as_deref()
                .map_or_else(|| "-".to_owned(), cell),
            c.replacement.map_or("-", Replacement::label).to_owned(),
        ]);
    }
    let mut table_text = String::new();
    table(&mut table_text, "  ", &rows);
    let mut lines = table_text.lines();
    if let Some(header) = lines.next() {
        let _ = writeln!(out, "{header}");
    }
    for (c, line) in changes.iter().zip(lines) {
        let _ = writeln!(out, "{line}");
        for d in &c.details {
            property_lines(&mut out, d);
        }
        if c.details.is_empty() && !c.scope.is_empty() && c.action == ChangeAction::Modify {
            let scope: Vec<String> = c.scope.iter().map(|s| cell(s)).collect();
            let _ = writeln!(out, "      changes: {}", scope.join(", "));
        }
    }
    out.push('\n');
    let _ = writeln!(out, "Summary: {}", summary_with(report, &security));
    out
}

/// One line: the stack's status and the count of each resource status.
pub fn drift_summary(report: &DriftReport) -> String {
    let count = |s: ResourceDriftStatus| report.resources.iter().filter(|r| r.status == s).count();
    let status = match report.status {
        StackDriftStatus::InSync => "IN SYNC: the live stack matches its template",
        StackDriftStatus::Drifted => "DRIFTED: the live stack differs from its template",
        StackDriftStatus::Unknown => "UNKNOWN: AWS could not finish the drift check",
    };
    format!(
        "{status}; {} modified, {} deleted, {} in sync, {} not checked, {} unknown ({}).",
        count(ResourceDriftStatus::Modified),
        count(ResourceDriftStatus::Deleted),
        count(ResourceDriftStatus::InSync),
        count(ResourceDriftStatus::NotChecked),
        count(ResourceDriftStatus::Unknown),
        plural(report.resources.len(), "resource", "resources"),
    )
}

/// The resources in report order: drifted first (modified, deleted), then unknown, in sync, not
/// checked; as AWS listed them within each.
pub(super) fn drift_ordered(report: &DriftReport) -> Vec<&ResourceDrift> {
    let rank = |s: ResourceDriftStatus| match s {
        ResourceDriftStatus::Modified => 0,
        ResourceDriftStatus::Deleted => 1,
        ResourceDriftStatus::Unknown => 2,
        ResourceDriftStatus::InSync => 3,
        ResourceDriftStatus::NotChecked => 4,
    };
    let mut resources: Vec<&ResourceDrift> = report.resources.iter().collect();
    resources.sort_by_key(|r| rank(r.status));
    resources
}

/// `expected X → actual Y`, `not in the template, now Y`, `expected X, now absent`.
pub(super) fn difference_words(d: &PropertyDifference) -> String {
    match d.kind {
        DifferenceKind::NotEqual => {
            format!(
                "expected {} → actual {}",
                short(&d.expected),
                short(&d.actual)
            )
        }
        DifferenceKind::Add => format!("not in the template, now {}", short(&d.actual)),
        DifferenceKind::Remove => format!("expected {}, now absent", short(&d.expected)),
    }
}

/// The drift check as text: per resource its status and, for a modified one, each property
/// path expected → actual; the resources AWS could not check; a summary line.
pub fn drift_text(report: &DriftReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Drift check of stack {} at {} by ml-provisioner {}",
        stack_line(&report.stack),
        cell(&report.checked),
        cell(&report.tool_version)
    );
    let _ = writeln!(out, "Stack: {}", report.status.label());
    out.push('\n');
    let resources = drift_ordered(report);
    let checked: Vec<&&ResourceDrift> = resources
        .iter()
        .filter(|r| r.status != ResourceDriftStatus::NotChecked)
        .collect();
    let rows: Vec<Vec<String>> = checked
        .iter()
        .map(|r| {
            vec![
                r.status.label().to_owned(),
                cell(&r.logical_id),
                cell(&r.resource_type),
                r.physical_id.as_deref().map_or_else(String::new, cell),
            ]
        })
        .collect();
    let mut table_text = String::new();
    table(&mut table_text, "  ", &rows);
    for (r, line) in checked.iter().zip(table_text.lines()) {
        let _ = writeln!(out, "{line}");
        for d in &r.differences {
            let _ = writeln!(out, "      {}: {}", cell(&d.path), difference_words(d));
        }
    }
    let not_checked: Vec<&&ResourceDrift> = resources
        .iter()
        .filter(|r| r.status == ResourceDriftStatus::NotChecked)
        .collect();
    if !not_checked.is_empty() {
        let _ = writeln!(
            out,
            "\nNot checked ({}): AWS cannot check these resource types for drift",
            not_checked.len()
        );
        for r in not_checked {
            let _ = writeln!(
                out,
                "  {} ({})",
                cell(&r.logical_id),
                cell(&r.resource_type)
            );
        }
    }
    out.push('\n');
    let _ = writeln!(out, "Summary: {}", drift_summary(report));
    out
}
