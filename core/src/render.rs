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

/// What a SARIF log needs besides the diagnostics.
#[derive(Clone, Copy, Debug, Default)]
pub struct SarifRun<'a> {
    /// The tool's version, for the run's driver.
    pub tool_version: &'a str,
    /// The absolute path relative paths are relative to (the CLI's working directory), with
    /// `/` or `\` separators. With it, a file below it gets a relative URI with the `uriBaseId`
    /// `%SRCROOT%`, which the run's `originalUriBaseIds` maps to this folder; a file outside it
    /// (an absolute path, or one that leaves it with `..`) gets an absolute `file:` URI and no
    /// `uriBaseId`. Without it, relative paths stay relative URIs without a base.
    pub src_root: Option<&'a str>,
    /// Files that could not be checked, reported as error-level tool execution notifications of
    /// the run's invocation (they have no rule and no position).
    pub unchecked: &'a [Unchecked<'a>],
}

/// The `uriBaseId` of relative artifact URIs: the folder [`SarifRun::src_root`] names.
pub const SARIF_SRCROOT: &str = "%SRCROOT%";

/// SARIF 2.1.0, one run with every rule the tool knows (so `ruleIndex` is stable).
pub fn render_sarif(files: &[FileDiagnostics<'_>], run: &SarifRun<'_>) -> String {
    let SarifRun {
        tool_version,
        src_root,
        unchecked,
    } = *run;
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
        let uri = artifact_location(file.path, src_root);
        artifacts.push(json!({ "location": uri }));
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
                            "artifactLocation": uri,
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
                        "artifactLocation": uri,
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
    if let Some(root) = src_root {
        sarif["runs"][0]["originalUriBaseIds"] = json!({
            SARIF_SRCROOT: { "uri": format!("{}/", absolute_uri(root.trim_end_matches(['/', '\\']))) },
        });
    }
    if !unchecked.is_empty() {
        let notifications: Vec<Value> = unchecked
            .iter()
            .map(|u| {
                json!({
                    "level": "error",
                    "message": { "text": u.message },
                    "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(u.path, src_root) } }],
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

/// A SARIF `artifactLocation` for a path as shown (see [`SarifRun::src_root`]).
fn artifact_location(path: &str, src_root: Option<&str>) -> Value {
    let path = path.replace('\\', "/");
    if is_absolute(&path) {
        return json!({ "uri": absolute_uri(&path) });
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let Some(root) = src_root else {
        return json!({ "uri": encode(&parts.join("/")) });
    };
    if !parts.contains(&"..") {
        return json!({ "uri": encode(&parts.join("/")), "uriBaseId": SARIF_SRCROOT });
    }
    // Outside the root: resolve the `..` against it, by name (as the shell does with `cd ..`).
    let root = root.replace('\\', "/");
    let mut resolved: Vec<&str> = root.split('/').filter(|p| !p.is_empty()).collect();
    for part in parts {
        if part == ".." {
            resolved.pop();
        } else {
            resolved.push(part);
        }
    }
    let drive = root.get(..2).filter(|d| d.ends_with(':'));
    let joined = resolved.join("/");
    json!({ "uri": absolute_uri(&if drive.is_some() { joined } else { format!("/{joined}") }) })
}

/// `/x` or `C:/x`.
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && bytes[2] == b'/')
}

/// A `file:` URI for an absolute path: `/x` → `file:///x`, `C:/x` → `file:///C:/x`.
fn absolute_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    match path.split_once(':') {
        Some((drive, rest)) if !path.starts_with('/') => {
            format!("file:///{}:{}", encode(drive), encode(rest))
        }
        _ => format!("file://{}", encode(&path)),
    }
}

/// Percent-encodes the bytes outside RFC 3986's unreserved set (and `/`).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_locations_are_relative_to_the_root_when_inside_it() {
        let root = Some("/work/x");
        for (path, root, expected) in [
            (
                "ml/configs/a b.yaml",
                root,
                json!({ "uri": "ml/configs/a%20b.yaml", "uriBaseId": "%SRCROOT%" }),
            ),
            (
                "./a.yaml",
                root,
                json!({ "uri": "a.yaml", "uriBaseId": "%SRCROOT%" }),
            ),
            (
                "ml\\a.yaml",
                root,
                json!({ "uri": "ml/a.yaml", "uriBaseId": "%SRCROOT%" }),
            ),
            (
                "../y/a.yaml",
                root,
                json!({ "uri": "file:///work/y/a.yaml" }),
            ),
            ("/etc/a.yaml", root, json!({ "uri": "file:///etc/a.yaml" })),
            (
                "C:\\w\\a.yaml",
                root,
                json!({ "uri": "file:///C:/w/a.yaml" }),
            ),
            (
                "..\\a.yaml",
                Some("C:\\w\\x"),
                json!({ "uri": "file:///C:/w/a.yaml" }),
            ),
            (
                "a:b.yaml",
                root,
                json!({ "uri": "a%3Ab.yaml", "uriBaseId": "%SRCROOT%" }),
            ),
            ("ml/a.yaml", None, json!({ "uri": "ml/a.yaml" })),
        ] {
            assert_eq!(artifact_location(path, root), expected, "{path}");
        }
    }

    #[test]
    fn the_root_is_an_absolute_uri_ending_in_a_slash() {
        for (root, expected) in [
            ("/work/x", "file:///work/x/"),
            ("/work/x/", "file:///work/x/"),
            ("/", "file:///"),
            ("C:\\w", "file:///C:/w/"),
        ] {
            let run = SarifRun {
                src_root: Some(root),
                ..SarifRun::default()
            };
            let log: Value = serde_json::from_str(&render_sarif(&[], &run)).unwrap_or_default();
            assert_eq!(
                log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
                expected
            );
        }
    }
}
