//! The change set and drift reports as self-contained HTML pages: the review report's head
//! (no script, a Content-Security-Policy of `default-src 'none'` plus the one style sheet by
//! hash) and its style sheet, every value from AWS through [`esc`]. Markup comes only from the
//! string literals here.

use std::fmt::Write;

use serde_json::Value;

use super::security::{SecurityChange, security_changes};
use super::text::{changes_summary, difference_words, drift_ordered, drift_summary, ordered};
use super::{
    ChangeSetReport, DriftReport, PropertyChange, Replacement, ResourceDriftStatus,
    StackDriftStatus,
};
use crate::html::{code, esc, facts, page_start, table_start};

/// A value from AWS: short text in `<code>`, JSON pretty-printed and anything long in `<pre>`.
fn value_html(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => {
            let pretty = serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_owned());
            format!("<pre>{}</pre>", esc(&pretty))
        }
        _ if text.chars().count() > 100 || text.contains('\n') => {
            format!("<pre>{}</pre>", esc(text))
        }
        _ => code(text),
    }
}

fn header(out: &mut String, kicker: &str, title: &str, sub: &str, nav: &[(&str, &str)]) {
    let _ = write!(
        out,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n<nav aria-label=\"Sections\"><ul>",
        esc(kicker),
        esc(title),
        esc(sub)
    );
    for (id, label) in nav {
        let _ = write!(out, "<li><a href=\"#{id}\">{}</a></li>", esc(label));
    }
    out.push_str("</ul></nav>\n</header>\n<main>\n");
}

fn section_start(out: &mut String, id: &str, title: &str) {
    let _ = write!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n",
        esc(title)
    );
}

fn property_html(d: &PropertyChange) -> String {
    let mut item = code(&d.path);
    if d.attribute != "Properties" && !d.path.contains(&d.attribute) {
        item = format!("{} {item}", esc(&d.attribute));
    }
    match d.requires_recreation.as_deref() {
        Some("Always") => item.push_str(" <span class=\"risk\">replaces the resource</span>"),
        Some("Conditionally") => {
            item.push_str(" <span class=\"risk\">may replace the resource</span>");
        }
        _ => {}
    }
    if let Some(cause) = d.cause.as_deref().filter(|c| *c != "DirectModification") {
        let _ = write!(item, " <span class=\"note\">({})</span>", esc(cause));
    }
    let value = |v: &Option<String>, none: &str| {
        v.as_deref()
            .map_or_else(|| format!("<em>{none}</em>"), value_html)
    };
    if d.before.is_some() || d.after.is_some() {
        let _ = write!(
            item,
            "<br>before: {}<br>after: {}",
            value(&d.before, "none"),
            value(&d.after, "removed")
        );
    }
    item
}

fn security_section(out: &mut String, security: &[SecurityChange]) {
    section_start(out, "security", "Security-relevant changes");
    if security.is_empty() {
        out.push_str("<p class=\"ok\">None found. The tool looks for changes to IAM roles and policies, network rules, resource and key policies, public access and encryption.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p><span class=\"risk\">{} security-relevant change{}</span>: review {} before the rest.</p>",
        security.len(),
        if security.len() == 1 { "" } else { "s" },
        if security.len() == 1 { "it" } else { "them" },
    );
    table_start(
        out,
        "Security-relevant changes",
        &["Category", "Resource", "Change", "Why it matters"],
    );
    for s in security {
        let _ = writeln!(
            out,
            "<tr data-category=\"{}\"><td><span class=\"risk\">{}</span></td><td>{}<br>{}</td><td>{}</td><td>{}</td></tr>",
            s.category.id(),
            esc(s.category.label()),
            code(&s.logical_id),
            esc(&s.resource_type),
            esc(&s.what),
            esc(s.why)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The change set as one self-contained HTML page: what it was made from, the
/// security-relevant changes first and highlighted, then every change with its replacement and
/// property values.
pub fn changes_html(report: &ChangeSetReport) -> String {
    let security = security_changes(report);
    let stack = &report.stack;
    let mut out = String::with_capacity(16 * 1024);
    page_start(
        &mut out,
        &format!("Changes: {}", stack.stack_name),
        &report.tool_version,
    );
    header(
        &mut out,
        "ML Provisioner change set",
        &stack.stack_name,
        &format!(
            "account {} · {} · change set {}",
            stack.account, stack.region, report.change_set_name
        ),
        &[
            ("security", "Security-relevant changes"),
            ("changes", "Changes"),
        ],
    );
    section_start(&mut out, "identity", "Change set");
    facts(
        &mut out,
        &[
            ("Stack", code(&stack.stack_name)),
            ("Account", code(&stack.account)),
            ("Region", code(&stack.region)),
            ("Change set", code(&report.change_set_name)),
            ("Made at", esc(&report.created)),
            ("Tool version", esc(&report.tool_version)),
            ("Template SHA-256", code(&report.template_sha256)),
        ],
    );
    let _ = writeln!(
        out,
        "<p id=\"summary\"><strong>{}</strong></p>\n</section>",
        esc(&changes_summary(report))
    );
    security_section(&mut out, &security);
    section_start(&mut out, "changes", "Changes");
    if report.changes.is_empty() {
        out.push_str("<p class=\"ok\" id=\"no-changes\">No changes: the deployed stack already matches this template.</p>\n");
    } else {
        table_start(
            &mut out,
            &format!("{} changes", report.changes.len()),
            &[
                "Action",
                "Logical id",
                "Type",
                "Physical id",
                "Replacement",
                "Properties",
            ],
        );
        for c in ordered(report) {
            let flagged = security.iter().any(|s| s.logical_id == c.logical_id);
            let replacement = match c.replacement {
                Some(r @ (Replacement::True | Replacement::Conditional)) => {
                    format!("<span class=\"risk\">{}</span>", esc(r.label()))
                }
                Some(Replacement::False) => "no".to_owned(),
                None => "—".to_owned(),
            };
            let mut properties: Vec<String> = c
                .details
                .iter()
                .map(|d| format!("<li>{}</li>", property_html(d)))
                .collect();
            if properties.is_empty() && !c.scope.is_empty() {
                let scope: Vec<String> = c.scope.iter().map(|s| esc(s)).collect();
                properties.push(format!("<li>changes: {}</li>", scope.join(", ")));
            }
            let _ = writeln!(
                out,
                "<tr data-action=\"{}\"><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{replacement}</td><td>{}</td></tr>",
                c.action.as_str(),
                esc(c.action.as_str()),
                code(&c.logical_id),
                if flagged {
                    " <span class=\"risk\">security</span>"
                } else {
                    ""
                },
                esc(&c.resource_type),
                c.physical_id
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), code),
                if properties.is_empty() {
                    String::new()
                } else {
                    format!("<ul>{}</ul>", properties.join(""))
                },
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
    let _ = write!(
        out,
        "</main>\n<footer><p>Made by ml-provisioner {} at {} from the template whose SHA-256 is {}: compare it with the review report's before deploying.</p></footer>\n</body>\n</html>\n",
        esc(&report.tool_version),
        esc(&report.created),
        code(&report.template_sha256)
    );
    out
}

/// The drift check as one self-contained HTML page: the stack's status, each resource's status
/// with its property differences (expected → actual), the resources AWS could not check.
pub fn drift_html(report: &DriftReport) -> String {
    let stack = &report.stack;
    let mut out = String::with_capacity(16 * 1024);
    page_start(
        &mut out,
        &format!("Drift: {}", stack.stack_name),
        &report.tool_version,
    );
    header(
        &mut out,
        "ML Provisioner drift check",
        &stack.stack_name,
        &format!(
            "account {} · {} · checked {}",
            stack.account, stack.region, report.checked
        ),
        &[("drift", "Resources"), ("not-checked", "Not checked")],
    );
    let status = match report.status {
        StackDriftStatus::InSync => format!("<span class=\"ok\">{}</span>", report.status.label()),
        StackDriftStatus::Drifted => {
            format!("<span class=\"risk\">{}</span>", report.status.label())
        }
        StackDriftStatus::Unknown => esc(report.status.label()),
    };
    section_start(&mut out, "identity", "Drift check");
    facts(
        &mut out,
        &[
            ("Stack", code(&stack.stack_name)),
            ("Account", code(&stack.account)),
            ("Region", code(&stack.region)),
            ("Status", status),
            ("Checked at", esc(&report.checked)),
            ("Tool version", esc(&report.tool_version)),
        ],
    );
    let _ = writeln!(
        out,
        "<p id=\"summary\"><strong>{}</strong></p>\n</section>",
        esc(&drift_summary(report))
    );
    let resources = drift_ordered(report);
    let (checked, not_checked): (Vec<_>, Vec<_>) = resources
        .into_iter()
        .partition(|r| r.status != ResourceDriftStatus::NotChecked);
    section_start(&mut out, "drift", "Resources");
    table_start(
        &mut out,
        &format!("{} resources checked", checked.len()),
        &["Status", "Logical id", "Type", "Physical id", "Differences"],
    );
    for r in checked {
        let status = match r.status {
            ResourceDriftStatus::Modified | ResourceDriftStatus::Deleted => {
                format!("<span class=\"risk\">{}</span>", esc(r.status.label()))
            }
            ResourceDriftStatus::InSync => {
                format!("<span class=\"ok\">{}</span>", esc(r.status.label()))
            }
            _ => esc(r.status.label()),
        };
        let differences: Vec<String> = r
            .differences
            .iter()
            .map(|d| {
                let words = match d.kind {
                    super::DifferenceKind::NotEqual => format!(
                        "expected {} actual {}",
                        value_html(&d.expected),
                        value_html(&d.actual)
                    ),
                    _ => esc(&difference_words(d)),
                };
                format!("<li>{}: {words}</li>", code(&d.path))
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr data-status=\"{}\"><td>{status}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.status.id(),
            code(&r.logical_id),
            esc(&r.resource_type),
            r.physical_id
                .as_deref()
                .map_or_else(|| "—".to_owned(), code),
            if differences.is_empty() {
                String::new()
            } else {
                format!("<ul>{}</ul>", differences.join(""))
            },
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    section_start(&mut out, "not-checked", "Not checked");
    if not_checked.is_empty() {
        out.push_str("<p>AWS checked every resource in the stack.</p>\n");
    } else {
        out.push_str("<p>AWS cannot check these resource types for drift:</p>\n<ul>\n");
        for r in not_checked {
            let _ = writeln!(
                out,
                "<li>{} ({})</li>",
                code(&r.logical_id),
                esc(&r.resource_type)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    let _ = write!(
        out,
        "</main>\n<footer><p>Drift check by ml-provisioner {} at {}. Drift is a change made outside CloudFormation; the next deploy may undo it.</p></footer>\n</body>\n</html>\n",
        esc(&report.tool_version),
        esc(&report.checked),
    );
    out
}
