//! A small, deterministic YAML writer for CloudFormation documents held as `serde_json::Value`
//! (insertion-ordered maps). Intrinsic functions are written in their short form (`!Ref X`,
//! `!GetAtt X.Arn`, `!Sub '…'`, …); strings are quoted whenever YAML 1.1 or 1.2 could read
//! them as anything but a string. Same input, same bytes — natively and in WebAssembly.

use serde_json::{Map, Value};

/// Writes a document (a mapping) as block YAML, two-space indentation.
pub fn to_yaml(doc: &Value) -> String {
    let mut out = String::with_capacity(16 * 1024);
    match doc {
        Value::Object(map) => write_map(&mut out, map, 0),
        other => {
            write_inline(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "!Ref"),
    ("Fn::GetAtt", "!GetAtt"),
    ("Fn::Sub", "!Sub"),
    ("Fn::Join", "!Join"),
    ("Fn::Select", "!Select"),
    ("Fn::Split", "!Split"),
    ("Fn::If", "!If"),
    ("Fn::Equals", "!Equals"),
    ("Fn::Not", "!Not"),
    ("Fn::And", "!And"),
    ("Fn::Or", "!Or"),
    ("Fn::GetAZs", "!GetAZs"),
    ("Fn::Base64", "!Base64"),
    ("Fn::FindInMap", "!FindInMap"),
    ("Fn::ImportValue", "!ImportValue"),
    ("Condition", "!Condition"),
];

/// `Some((tag, argument))` when `value` is a one-key intrinsic-function mapping.
fn intrinsic(value: &Value) -> Option<(&'static str, &Value)> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let (key, argument) = map.iter().next()?;
    let tag = SHORT_FORMS.iter().find(|(long, _)| long == key)?.1;
    Some((tag, argument))
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, map: &Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        write_string(out, key, level);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

/// Writes what follows `key:` — inline for scalars and short intrinsics, else on new lines.
fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if intrinsic(value).is_none() && !map.is_empty() => {
            out.push('\n');
            write_map(out, map, level + 1);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_list(out, items, level + 1);
        }
        _ => {
            out.push(' ');
            write_inline(out, value, level);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Value], level: usize) {
    write_list_from(out, items, level, false);
}

/// Writes list items at `level`; with `continue_line` the first item goes on the current line
/// (after a parent's "- ").
fn write_list_from(out: &mut String, items: &[Value], level: usize, continue_line: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(continue_line && i == 0) {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Object(map) if intrinsic(item).is_none() && !map.is_empty() => {
                // First key on the dash line, the rest aligned under it.
                let mut first = true;
                for (key, value) in map {
                    if !first {
                        indent(out, level + 1);
                    }
                    first = false;
                    write_string(out, key, level + 1);
                    out.push(':');
                    write_value_after_key(out, value, level + 1);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                write_list_from(out, inner, level + 1, true);
            }
            _ => {
                write_inline(out, item, level);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
}

/// Writes a value that starts on the current line (a scalar, an empty collection or an
/// intrinsic). Block arguments of intrinsics continue on the following lines.
fn write_inline(out: &mut String, value: &Value, level: usize) {
    if let Some((tag, argument)) = intrinsic(value) {
        out.push_str(tag);
        match (tag, argument) {
            ("!GetAtt", Value::Array(parts)) if parts.iter().all(Value::is_string) => {
                out.push(' ');
                let joined: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                write_string(out, &joined.join("."), level);
            }
            (_, Value::Array(items)) if !items.is_empty() => {
                out.push('\n');
                write_list(out, items, level + 1);
            }
            (_, Value::Object(map)) if !map.is_empty() && intrinsic(argument).is_none() => {
                out.push('\n');
                write_map(out, map, level + 1);
            }
            _ => {
                out.push(' ');
                write_inline(out, argument, level);
            }
        }
        return;
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s, level),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Writes a string plain when that is unambiguous, as a literal block when it spans lines,
/// otherwise single-quoted (double-quoted if it holds characters single quotes cannot carry).
fn write_string(out: &mut String, s: &str, level: usize) {
    if s.contains('\n')
        && s.chars().all(|c| c == '\n' || !c.is_control())
        && !s.starts_with([' ', '\n'])
    {
        out.push_str(if s.ends_with('\n') { "|" } else { "|-" });
        for line in s.trim_end_matches('\n').split('\n') {
            out.push('\n');
            if !line.is_empty() {
                indent(out, level + 1);
                out.push_str(line);
            }
        }
        out.push('\n');
        return;
    }
    if is_plain_safe(s) {
        out.push_str(s);
    } else if s.chars().any(char::is_control) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
    } else {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    }
}

/// Whether `s` can be written without quotes and read back as the same string by YAML 1.1 and
/// 1.2 parsers (CloudFormation's included).
fn is_plain_safe(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "=", "<<",
    ];
    if reserved.iter().any(|r| r.eq_ignore_ascii_case(s)) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    // Indicators cannot start a plain scalar.
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    // Digits, '.' and '+' could start a number, a date or a sexagesimal.
    if (first.is_ascii_digit() || first == '.' || first == '+')
        && (looks_numeric(s) || !s.chars().any(|c| c.is_ascii_alphabetic()))
    {
        return false;
    }
    !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\t', '\n', '\r'])
        && s.chars().all(|c| !c.is_control())
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    t.parse::<f64>().is_ok()
        || t.starts_with("0x")
        || t.starts_with("0o")
        || t.starts_with("0b")
        || t.eq_ignore_ascii_case(".inf")
        || t.eq_ignore_ascii_case(".nan")
        || t.chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == ':' || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn never_writes_an_ambiguous_plain_scalar() {
        for tricky in [
            ".=8Z:=:6=nrT/_E 0_G+dL=3-+__:",
            "a:",
            "x #y",
            "- item",
            "1.5",
            "+1",
            ".5",
            "0x1F",
            "12:30",
            "2026-11-27",
            "~",
            "Yes",
            "null",
            "@at",
            "`tick",
            "a: b",
        ] {
            let yaml = to_yaml(&json!({ "K": tricky }));
            assert_ne!(yaml, format!("K: {tricky}\n"), "{tricky:?} must be quoted");
        }
        for plain in [
            "plain-text",
            "it's",
            "arn:aws:s3:::x/*",
            "1a-b",
            "v2.0-beta",
        ] {
            assert_eq!(
                to_yaml(&json!({ "K": plain })),
                format!("K: {plain}\n"),
                "{plain:?} can stay plain"
            );
        }
    }

    #[test]
    fn writes_short_forms_and_quotes_what_needs_it() {
        let doc = json!({
            "A": {"Ref": "Bucket"},
            "B": {"Fn::GetAtt": ["Role", "Arn"]},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:s3:::x/*"},
            "D": {"Fn::Join": ["", ["a", {"Ref": "AWS::Region"}]]},
            "E": ["yes", "123", "0123", "1e3", "plain-text", "a: b", "", "it's"],
            "F": "line one\nline two\n",
            "G": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        });
        let yaml = to_yaml(&doc);
        let expected = "A: !Ref Bucket\nB: !GetAtt Role.Arn\nC: !Sub arn:${AWS::Partition}:s3:::x/*\nD: !Join\n  - ''\n  - - a\n    - !Ref AWS::Region\nE:\n  - 'yes'\n  - '123'\n  - '0123'\n  - '1e3'\n  - plain-text\n  - 'a: b'\n  - ''\n  - it's\nF: |\n  line one\n  line two\nG: !Select\n  - 0\n  - !GetAZs ''\n";
        assert_eq!(yaml, expected);
    }
}
