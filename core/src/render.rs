//! Rendering diagnostics: annotated text for terminals and logs, JSON for scripts, SARIF 2.1.0
//! for code-scanning tools. Pure functions from diagnostics and source text to strings.

use serde_json::{Value, json};

use crate::diagnostic::{Code, Diagnostic, LineIndex, Severity};

/// The diagnostics of one checked file, with the text their spans index.
#[derive(Clone, Copy, Debug)]
pub struct FileDiagnostics<'a> {
    /// The path as the user should see it (SARIF gets it with forward slashes).
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// Counts of (errors, warnings); notes are neither.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    (count(Severity::Error), count(Severity::Warning))
}

/// Annotated source text, one block per diagnostic, like a compiler's.
pub fn render_text(file: &FileDiagnostics<'_>) -> String {
    let index = LineIndex::new(file.text);
    let mut out = String::new();
    for d in file.diagnostics {
        let (line, col) = index.line_col(file.text, d.span.start);
        let source = index.line_text(file.text, line);
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!(
            "{}[{}]: {}\n",
            d.severity.as_str(),
            d.code.as_str(),
            d.message
        ));
        out.push_str(&format!("{pad}--> {}:{line}:{col}\n", file.path));
        if !source.is_empty() || d.span.start < file.text.len() {
            let shown: String = source
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let width = underline_width(file.text, &index, d, line, col, &shown);
            out.push_str(&format!(
                "{pad} |\n{line} | {shown}\n{pad} | {}{}\n",
                " ".repeat(col - 1),
                "^".repeat(width)
            ));
        }
        for label in &d.labels {
            let (l, c) = index.line_col(file.text, label.span.start);
            out.push_str(&format!(
                "{pad} = note: {} ({}:{l}:{c})\n",
                label.message, file.path
            ));
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("{pad} = hint: {hint}\n"));
        }
        out.push('\n');
    }
    out
}

fn underline_width(
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
    line: usize,
    col: usize,
    shown: &str,
) -> usize {
    let (end_line, end_col) = index.line_col(text, d.span.end);
    let line_len = shown.chars().count();
    let end = if end_line == line {
        end_col
    } else {
        line_len + 1
    };
    end.saturating_sub(col)
        .clamp(1, (line_len + 1).saturating_sub(col).max(1))
}

fn diagnostic_json(file: &FileDiagnostics<'_>, index: &LineIndex, d: &Diagnostic) -> Value {
    let (line, column) = index.line_col(file.text, d.span.start);
    let (end_line, end_column) = index.line_col(file.text, d.span.end);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|label| {
            let (line, column) = index.line_col(file.text, label.span.start);
            json!({ "line": line, "column": column, "message": label.message })
        })
        .collect();
    json!({
        "code": d.code.as_str(),
        "severity": d.severity.as_str(),
        "message": d.message,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "hint": d.hint,
        "labels": labels,
    })
}

/// Machine-readable diagnostics: one object per file.
pub fn render_json(files: &[FileDiagnostics<'_>]) -> String {
    let mut text =
        serde_json::to_string_pretty(&json!({ "files": json_files(files) })).unwrap_or_default();
    text.push('\n');
    text
}

/// The `files` array of [`render_json`], for documents that carry more.
pub fn json_files(files: &[FileDiagnostics<'_>]) -> Vec<Value> {
    files
        .iter()
        .map(|file| {
            let index = LineIndex::new(file.text);
            let (errors, warnings) = counts(file.diagnostics);
            json!({
                "file": file.path,
                "valid": errors == 0,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": file.diagnostics.iter().map(|d| diagnostic_json(file, &index, d)).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A file the tool could not check at all (unreadable, missing), for SARIF's tool notifications.
#[derive(Clone, Copy, Debug)]
pub struct Unchecked<'a> {
    pub path: &'a str,
    pub message: &'a str,
}

/// SARIF 2.1.0, one run with every rule the tool knows (so `ruleIndex` is stable).
pub fn render_sarif(files: &[FileDiagnostics<'_>], tool_version: &str) -> String {
    render_sarif_with(files, &[], tool_version)
}

/// [`render_sarif`] plus files that could not be checked, reported as error-level tool
/// execution notifications of the run's invocation (they have no rule and no position).
pub fn render_sarif_with(
    files: &[FileDiagnostics<'_>],
    unchecked: &[Unchecked<'_>],
    tool_version: &str,
) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": format!("{code:?}"),
                "shortDescription": { "text": code.summary() },
                "fullDescription": { "text": code.summary() },
                "defaultConfiguration": { "level": sarif_level(code.severity()) },
                "helpUri": format!("https://github.com/ml-provisioner/ml-provisioner/blob/main/docs/diagnostics.md#{}", code.as_str()),
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for file in files {
        let uri = path_to_uri(file.path);
        artifacts.push(json!({ "location": { "uri": uri } }));
        let index = LineIndex::new(file.text);
        for d in file.diagnostics {
            let (start_line, start_column) = index.line_col(file.text, d.span.start);
            let (end_line, end_column) = index.line_col(file.text, d.span.end.max(d.span.start));
            let end_column = if (end_line, end_column) == (start_line, start_column) {
                start_column + 1
            } else {
                end_column
            };
            let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let text = match &d.hint {
                Some(hint) => format!("{} ({hint})", d.message),
                None => d.message.clone(),
            };
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let (line, column) = index.line_col(file.text, label.span.start);
                    json!({
                        "id": i,
                        "message": { "text": label.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            "region": { "startLine": line, "startColumn": column },
                        },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": start_line,
                            "startColumn": start_column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                    },
                }],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let mut sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ml-provisioner",
                    "version": tool_version,
                    "semanticVersion": tool_version,
                    "informationUri": "https://github.com/ml-provisioner/ml-provisioner",
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    });
    if !unchecked.is_empty() {
        let notifications: Vec<Value> = unchecked
            .iter()
            .map(|u| {
                json!({
                    "level": "error",
                    "message": { "text": u.message },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": path_to_uri(u.path) } } }],
                })
            })
            .collect();
        sarif["runs"][0]["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notifications,
        }]);
    }
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

/// A SARIF artifact URI: relative paths stay relative, absolute ones become `file://` URIs;
/// characters outside RFC 3986's unreserved set (and `/`) are percent-encoded.
fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
