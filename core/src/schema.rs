//! Structural validation against the config's JSON Schema
//! (`core/schema/ml-provisioner-config.schema.json`, the same file editors use), with each
//! schema error turned into a diagnostic at the offending key or value.

use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{Node, NodeKind};

/// The schema text, embedded at build time.
pub const SCHEMA_JSON: &str = include_str!("../schema/ml-provisioner-config.schema.json");

macro_rules! schema_file {
    () => {
        "ml-provisioner-config.schema.json"
    };
}
/// The schema's file name beside a user's configs (`copy-examples` writes it there).
pub const SCHEMA_FILE: &str = schema_file!();
/// A config's first line that points yaml-language-server at [`SCHEMA_FILE`] in the same folder
/// (docs/editor.md): what `copy-examples` writes in the examples and the browser app's new config.
pub const EDITOR_MODELINE: &str =
    concat!("# yaml-language-server: $schema=./", schema_file!(), "\n");

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Option<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(SCHEMA_JSON).ok()?;
            let validator = jsonschema::draft7::new(&without_editor_rules(&schema)).ok()?;
            Some(Compiled { schema, validator })
        })
        .as_ref()
}

/// The schema without its `allOf`s: each is an editor's copy of a rule that `rules.rs` applies
/// itself, with its own code, message and position (the schema's `$comment` says so, and
/// `core/tests/it/schema.rs` holds the copies equal to the rules). Checked here too, they would
/// report the same problem twice, as a generic schema error.
pub fn without_editor_rules(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| key.as_str() != "allOf")
                .map(|(key, value)| (key.clone(), without_editor_rules(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_editor_rules).collect()),
        other => other.clone(),
    }
}

/// The parsed schema document (for callers that want its enums or descriptions).
pub fn schema() -> Option<&'static Value> {
    compiled().map(|c| &c.schema)
}

/// Field-specific codes and hints for format errors, by JSON pointer (`*` matches a list index).
const FIELD_RULES: &[(&str, Code, &str)] = &[
    (
        "/client/company_prefix",
        Code::InvalidCompanyPrefix,
        "use lowercase letters, digits and single hyphens, starting with a letter, e.g. globalbank",
    ),
    (
        "/client/account_id",
        Code::InvalidAccountId,
        "write the 12-digit account id in quotes, e.g. account_id: \"111122223333\"",
    ),
    (
        "/client/tenant_id",
        Code::InvalidTenantId,
        "use exactly 4 lowercase letters or digits, e.g. c001",
    ),
    (
        "/ml_product/use_case",
        Code::InvalidUseCase,
        "use lowercase words joined by single hyphens, e.g. demand-forecasting",
    ),
    (
        "/ml_product/workload",
        Code::InvalidWorkload,
        "use lowercase words joined by single hyphens, e.g. realtime",
    ),
    (
        "/ml_product/alerts_email",
        Code::InvalidEmail,
        "use a plain address such as mlops@example.com",
    ),
    (
        "/ml_product/s3_prefix",
        Code::InvalidS3Prefix,
        "write bucket[/key prefix] with a valid bucket name: 3-63 lowercase letters, digits, dots and hyphens, e.g. globalbank-ml-src/demand",
    ),
    (
        "/ml_product/vpc_integration/vpc_id",
        Code::InvalidVpcId,
        "a VPC id is 'vpc-' followed by 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0",
    ),
    (
        "/ml_product/vpc_integration/subnet_ids/*",
        Code::InvalidSubnetId,
        "a subnet id is 'subnet-' followed by 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0",
    ),
    (
        "/ml_product/vpc_integration/route_table_ids/*",
        Code::InvalidRouteTableId,
        "a route table id is 'rtb-' followed by 8 or 17 lowercase hex digits, e.g. rtb-0123456789abcdef0",
    ),
    (
        "/ml_product/vpc_integration/vpc_id_parameter",
        Code::InvalidSsmParameter,
        "an SSM path starts with '/' and uses letters, digits and _ . - /",
    ),
    (
        "/ml_product/vpc_integration/subnet_ids_parameter",
        Code::InvalidSsmParameter,
        "an SSM path starts with '/' and uses letters, digits and _ . - /",
    ),
    (
        "/ml_product/vpc_integration/security_group_id_parameter",
        Code::InvalidSsmParameter,
        "an SSM path starts with '/' and uses letters, digits and _ . - /",
    ),
];

fn field_rule(pointer: &str) -> Option<(Code, &'static str)> {
    FIELD_RULES.iter().find_map(|&(pattern, code, hint)| {
        pointer_matches(pattern, pointer).then_some((code, hint))
    })
}

fn pointer_matches(pattern: &str, pointer: &str) -> bool {
    let mut p = pattern.split('/');
    let mut q = pointer.split('/');
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some("*"), Some(seg)) if seg.parse::<usize>().is_ok() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// Validates the tree against the schema. Returns diagnostics and the JSON pointers of every
/// value that failed (so later rules can skip them).
pub fn check(root: &Node) -> (Vec<Diagnostic>, Vec<String>) {
    let mut diagnostics = Vec::new();
    let mut failed = Vec::new();
    let Some(compiled) = compiled() else {
        // The schema is embedded and tested; reaching this means a broken build.
        diagnostics.push(Diagnostic::new(
            Code::InvalidFormat,
            Span::at(0),
            "internal error: the embedded config schema did not compile",
        ));
        return (diagnostics, failed);
    };
    let instance = root.to_json();
    let mut suggested: Vec<(String, String)> = Vec::new();
    let mut missing: Vec<(String, String)> = Vec::new();
    for error in compiled.validator.iter_errors(&instance) {
        let pointer = error.instance_path().as_str().to_owned();
        let schema_path = error.schema_path().as_str().to_owned();
        let (key, node) = root.lookup(&pointer).unwrap_or((None, root));
        let key_or_value = key.map_or(node.span, |k| k.span);
        let field = field_name(&pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_keys(&compiled.schema, &schema_path);
                for name in unexpected {
                    let span = node.get(name).map_or(node.span, |entry| entry.key.span);
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownKey,
                        span,
                        format!("unknown key '{name}' in {}", section_name(&pointer)),
                    );
                    let hint = match did_you_mean(name, allowed.iter().map(String::as_str)) {
                        Some(best) => {
                            suggested.push((pointer.clone(), best.to_owned()));
                            format!("did you mean '{best}'?")
                        }
                        None => match home_of(&compiled.schema, name) {
                            Some(home) => format!("'{name}' belongs under '{home}'"),
                            None if allowed.is_empty() => "remove this key".to_owned(),
                            None => format!("allowed keys here: {}", allowed.join(", ")),
                        },
                    };
                    diagnostic = diagnostic.with_hint(hint);
                    diagnostics.push(diagnostic);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_owned();
                missing.push((pointer.clone(), name));
            }
            ValidationErrorKind::Type { .. } => {
                failed.push(pointer.clone());
                let expected = expected_type(&compiled.schema, &schema_path);
                let diagnostic = Diagnostic::new(
                    Code::WrongType,
                    node.span,
                    format!("'{field}' must be {expected}, found {}", node.describe()),
                );
                let hint = match (expected, scalar_written(node)) {
                    ("a string", Some(text)) => format!(
                        "YAML reads {text} as {}; quote it: {field}: \"{text}\"",
                        node.describe()
                    ),
                    ("a mapping", _) => {
                        format!("write '{field}:' on its own line with its keys indented below it")
                    }
                    ("a list", _) => format!(
                        "write the items as a list: '{field}: [a, b]', or one '- item' per line below '{field}:'"
                    ),
                    _ => format!(
                        "write {field} as {expected}; compare with a shipped example in examples/configs/"
                    ),
                };
                let diagnostic = diagnostic.with_hint(hint);
                diagnostics.push(diagnostic);
            }
            ValidationErrorKind::Enum { options } => {
                failed.push(pointer.clone());
                let options: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let code = if pointer == "/environment/region" {
                    Code::UnknownRegion
                } else {
                    Code::InvalidValue
                };
                let shown = node.shown();
                let mut diagnostic =
                    Diagnostic::new(code, node.span, format!("'{shown}' is not a valid {field}"));
                let hint = match node
                    .as_str()
                    .and_then(|v| did_you_mean(v, options.iter().copied()))
                {
                    Some(best) => format!("did you mean '{best}'?"),
                    None if options.len() <= 8 => format!("use one of: {}", options.join(", ")),
                    None => format!(
                        "use an AWS region code such as us-west-2 ({} are known)",
                        options.len()
                    ),
                };
                diagnostic = diagnostic.with_hint(hint);
                diagnostics.push(diagnostic);
            }
            ValidationErrorKind::Pattern { .. } => {
                failed.push(pointer.clone());
                let (code, hint) = field_rule(&pointer).unwrap_or((
                    Code::InvalidFormat,
                    "compare with a shipped example in examples/configs/",
                ));
                let shown = node.scalar_text().unwrap_or_default();
                diagnostics.push(
                    Diagnostic::new(code, node.span, format!("'{shown}' is not a valid {field}"))
                        .with_hint(hint),
                );
            }
            ValidationErrorKind::MinLength { limit } => {
                failed.push(pointer.clone());
                diagnostics.push(
                    Diagnostic::new(
                        Code::ValueTooShort,
                        node.span,
                        format!("'{field}' must be at least {limit} characters long"),
                    )
                    .with_hint(field_rule(&pointer).map_or("give a longer value", |r| r.1)),
                );
            }
            ValidationErrorKind::MaxLength { limit } => {
                failed.push(pointer.clone());
                let length = node.as_str().map_or(0, |s| s.chars().count());
                diagnostics.push(
                    Diagnostic::new(
                        Code::ValueTooLong,
                        node.span,
                        format!("'{field}' is {length} characters long; the limit is {limit}"),
                    )
                    .with_hint(format!(
                        "shorten it by at least {}",
                        length.saturating_sub(*limit as usize)
                    )),
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                failed.push(pointer.clone());
                let hint = if field == "subnet_ids" {
                    "give at least two private subnets in different Availability Zones".to_owned()
                } else {
                    format!("give at least {limit}")
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::TooFewItems,
                        key_or_value,
                        format!("'{field}' needs at least {limit} items"),
                    )
                    .with_hint(hint),
                );
            }
            ValidationErrorKind::MaxItems { limit }
            | ValidationErrorKind::MaxProperties { limit } => {
                failed.push(pointer.clone());
                diagnostics.push(
                    Diagnostic::new(
                        Code::TooManyItems,
                        key_or_value,
                        format!("'{field}' has more than {limit} entries"),
                    )
                    .with_hint(format!("keep at most {limit}")),
                );
            }
            ValidationErrorKind::UniqueItems => {
                failed.push(pointer.clone());
                diagnostics.extend(duplicate_items(node, &field));
            }
            other => {
                failed.push(pointer.clone());
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidFormat,
                        node.span,
                        format!("'{field}' is invalid ({})", other.keyword()),
                    )
                    .with_hint("compare with a shipped example in examples/configs/"),
                );
            }
        }
    }
    for (pointer, name) in missing {
        if suggested
            .iter()
            .any(|(p, best)| *p == pointer && *best == name)
        {
            continue; // the unknown-key diagnostic already says "did you mean"
        }
        let (key, node) = root.lookup(&pointer).unwrap_or((None, root));
        let span = key.map_or(Span::at(node.span.start), |k| k.span);
        let inside = if pointer.is_empty() {
            "the config".to_owned()
        } else {
            format!("'{}'", field_name(&pointer))
        };
        diagnostics.push(
            Diagnostic::new(
                Code::MissingKey,
                span,
                format!("{inside} is missing the required key '{name}'"),
            )
            .with_hint(format!(
                "add '{name}:'; see examples/configs/ for a complete config"
            )),
        );
    }
    (diagnostics, failed)
}

fn duplicate_items(node: &Node, field: &str) -> Vec<Diagnostic> {
    let NodeKind::Seq(items) = &node.kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut first_seen: std::collections::HashMap<String, Span> = std::collections::HashMap::new();
    for item in items {
        let key = item.to_json().to_string();
        match first_seen.get(&key) {
            Some(&first) => out.push(
                Diagnostic::new(
                    Code::DuplicateItem,
                    item.span,
                    format!(
                        "'{}' appears twice in {field}",
                        item.scalar_text().unwrap_or("this item")
                    ),
                )
                .with_label(first, "first listed here")
                .with_hint("list each id once"),
            ),
            None => {
                first_seen.insert(key, item.span);
            }
        }
    }
    out
}

/// The text of a scalar as written, for "quote it" hints.
fn scalar_written(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Int(raw) | NodeKind::Float(raw) => Some(raw),
        NodeKind::Bool(_) => node.scalar_text(),
        _ => None,
    }
}

/// The last segment of a pointer, or the parent field for list items (`subnet_ids` item).
fn field_name(pointer: &str) -> String {
    let mut segments = pointer.rsplit('/');
    match segments.next() {
        Some(last) if last.parse::<usize>().is_ok() => {
            format!("{} item", segments.next().unwrap_or("list"))
        }
        Some("") | None => "config".to_owned(),
        Some(last) => last.replace("~1", "/").replace("~0", "~"),
    }
}

fn section_name(pointer: &str) -> String {
    if pointer.is_empty() {
        "the top level".to_owned()
    } else {
        format!("'{}'", pointer.trim_start_matches('/').replace('/', "."))
    }
}

/// Walks `schema_path` (a JSON pointer into the schema ending in a keyword) to its parent object.
fn schema_parent<'s>(schema: &'s Value, schema_path: &str) -> Option<&'s Value> {
    let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema.pointer(parent)
}

fn allowed_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    schema_parent(schema, schema_path)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

/// The section that defines `name`, when it is a known key of a different section.
fn home_of(schema: &Value, name: &str) -> Option<String> {
    let sections = schema.get("properties")?.as_object()?;
    sections.iter().find_map(|(section, sub)| {
        let props = sub.get("properties")?.as_object()?;
        if props.contains_key(name) {
            return Some(section.clone());
        }
        let vpc = props
            .get("vpc_integration")?
            .get("properties")?
            .as_object()?;
        vpc.contains_key(name)
            .then(|| format!("{section}.vpc_integration"))
    })
}

fn expected_type(schema: &Value, schema_path: &str) -> &'static str {
    let kind = schema.pointer(schema_path).and_then(Value::as_str);
    match kind {
        Some("object") => "a mapping",
        Some("array") => "a list",
        Some("string") => "a string",
        Some("integer") => "an integer",
        Some("number") => "a number",
        Some("boolean") => "a boolean",
        _ => "of another type",
    }
}
