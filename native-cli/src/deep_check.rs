//! The deep template check: AWS's `cloudformation-validate` (resource-provider schemas and
//! cfn-lint-derived rules, compiled in, offline) at Warn level and up, bad enum values (W3030)
//! as errors, plus our own CEL rules where it has gaps. Its findings become core diagnostics;
//! those the core's light checks already report are dropped.
//!
//! Nearly all of its cost is the crate's fixed start-up, the same whatever the template:
//! `SchemaValidator::default()` deserialises every bundled resource-provider schema (≈ 10 MB of
//! JSON, ≈ 1 400 types) plus the regional tables, and `CompositeEngine::new` every rule table and
//! enum list. The public API offers no way to load less (no store restricted to some resource
//! types, no lazy store, no rule subset), and a subset would anyway have to keep unknown and
//! unlisted types reported. So this module only arranges that work (see [`DeepChecker::check`]).
//!
//! Measured and not used: mimalloc as the global allocator. Its gain (≈ 40 % of a run, measured
//! back to back) comes from transparent huge pages for the ≈ 220 MB the start-up allocates; on
//! our VMs the host takes freed huge pages back within seconds, so a run after a few idle
//! seconds, the usual way a CLI runs, took about twice as long as with glibc's allocator.

use cloudformation_validate::{
    CompositeEngine, CompositeEngineConfig, ExternalRuleSource, PseudoParameterOverrides,
    SchemaValidator, Severity, ValidateConfig, validate_bytes_with_path,
};
use ml_provisioner_core::{Code, Diagnostic, LineIndex, Span};
use std::sync::{LazyLock, OnceLock};

/// Rules `cloudformation-validate` lacks (CodeBuild's schema has no enum for ComputeType).
const CUSTOM_RULES: &str = r#"{ "rules": [ {
  "rule_id": "MLP-CB-001",
  "severity": "ERROR",
  "category": "custom",
  "resource_type": "AWS::CodeBuild::Project",
  "expression": "has(properties.Environment) && type(properties.Environment) == \"map\" && has(properties.Environment.ComputeType) && type(properties.Environment.ComputeType) == \"string\" && !(properties.Environment.ComputeType in [\"BUILD_GENERAL1_SMALL\", \"BUILD_GENERAL1_MEDIUM\", \"BUILD_GENERAL1_LARGE\", \"BUILD_GENERAL1_XLARGE\", \"BUILD_GENERAL1_2XLARGE\", \"BUILD_LAMBDA_1GB\", \"BUILD_LAMBDA_2GB\", \"BUILD_LAMBDA_4GB\", \"BUILD_LAMBDA_8GB\", \"BUILD_LAMBDA_10GB\", \"ATTRIBUTE_BASED_COMPUTE\", \"CUSTOM_INSTANCE_TYPE\"])",
  "message": "CodeBuild project {name}: Environment.ComputeType is not a CodeBuild compute type",
  "prop_path": "Properties.Environment.ComputeType",
  "suggested_fix": "use a compute type such as BUILD_GENERAL1_SMALL"
} ] }"#;

/// The schema store: built once per process, never dropped (see [`DeepChecker::check`]).
static SCHEMAS: OnceLock<SchemaValidator> = OnceLock::new();
/// The rule engine (built-in rules plus [`CUSTOM_RULES`]): built once per process, never dropped.
static ENGINE: OnceLock<Result<CompositeEngine, String>> = OnceLock::new();

/// The deep checker. Cheap to make: the validator is built by the first [`DeepChecker::check`]
/// of the process and shared by every later one.
#[derive(Debug)]
pub struct DeepChecker(());

impl DeepChecker {
    pub fn new() -> Result<DeepChecker, String> {
        Ok(DeepChecker(()))
    }

    /// Checks a template's bytes for `region`; spans index `text` (the template as text).
    ///
    /// The first check of a process builds the validator, on two threads side by side:
    /// - a helper thread builds the schema store, the longer half (≈ 170 ms), which the API
    ///   gives no way to split;
    /// - this thread first decompresses the embedded tables the schema store reads after its
    ///   schemas and parses the GetAtt table both halves share (≈ 10 ms the helper then does not
    ///   spend), then builds the rule engine (≈ 100 ms).
    ///
    /// Nothing may print on the helper thread: the CLI holds the stderr lock for the whole run.
    ///
    /// Both halves then live in statics for the rest of the process: later checks (the tests
    /// run many in one process) reuse them, and neither is ever dropped, since freeing their
    /// ≈ 220 MB of small allocations at exit cost ≈ 50 ms and returns nothing anyone needs.
    pub fn check(
        &self,
        bytes: &[u8],
        text: &str,
        path: &str,
        region: &str,
    ) -> Result<Vec<Diagnostic>, String> {
        let config = ValidateConfig {
            severity_level: Severity::Warn,
            pseudo_parameter_overrides: PseudoParameterOverrides {
                region: Some(region.to_owned()),
                ..Default::default()
            },
            ..Default::default()
        };
        let (engine, schemas) = std::thread::scope(|scope| {
            let schemas = scope.spawn(|| SCHEMAS.get_or_init(SchemaValidator::default));
            let engine = ENGINE.get_or_init(|| {
                if !schemas.is_finished() {
                    prewarm_for_schemas();
                }
                build_engine()
            });
            (engine, schemas.join())
        });
        let schemas = schemas.map_err(|_| "building the schema store failed".to_owned())?;
        let engine = engine.as_ref().map_err(Clone::clone)?;
        let report = validate_bytes_with_path(engine, schemas, bytes, config, path.to_owned())
            .map_err(|e| e.to_string())?;
        let index = LineIndex::new(text);
        Ok(report
            .diagnostics
            .into_iter()
            .map(|finding| {
                let code = match finding.rule_id.as_str() {
                    "F3002" | "E3002" => Code::UnknownProperty,
                    "F3012" | "E3012" | "W9003" => Code::WrongPropertyType,
                    "W3030" | "E3030" => Code::InvalidEnumValue,
                    "F1020" | "F1010" | "F1018" | "E1020" | "E1010" => Code::UnknownReference,
                    "E9004" => Code::UnknownAttribute,
                    "F3004" | "E3004" => Code::DependencyCycle,
                    "F1101" => Code::YamlSyntax,
                    _ if finding.severity >= Severity::Error => Code::CfnRule,
                    _ => Code::CfnRuleWarning,
                };
                let span = finding.location.map_or(Span::at(0), |l| {
                    let start = index.offset(text, l.start_line as usize, l.start_column as usize);
                    let end = index.offset(text, l.end_line as usize, l.end_column as usize).max(start);
                    Span::new(start, end)
                });
                let hint = finding.suggested_fix.clone().unwrap_or_else(|| match code {
                    Code::UnknownProperty => "remove the property or fix its name; see the resource type's CloudFormation reference".to_owned(),
                    Code::WrongPropertyType => "give the value the type the resource's schema asks for".to_owned(),
                    Code::InvalidEnumValue => "use one of the allowed values named in the message".to_owned(),
                    _ => format!("see rule {} of cloudformation-validate; regenerate with create-prov-template if the file was edited", finding.rule_id),
                });
                Diagnostic::new(code, span, format!("[{}] {}", finding.rule_id, finding.message)).with_hint(hint)
            })
            .collect())
    }
}

/// The rule engine: the crate's built-in rules plus ours.
fn build_engine() -> Result<CompositeEngine, String> {
    let rules = ExternalRuleSource {
        name: "ml-provisioner-rules.json".to_owned(),
        content: CUSTOM_RULES.to_owned(),
    };
    CompositeEngine::new(CompositeEngineConfig::new().with_cel_rules([rules]))
        .map_err(|e| format!("{e:#}"))
}

/// Decompresses the embedded tables `SchemaValidator::default()` reads after its schemas, and
/// parses the GetAtt table it shares with the engine, so the schema thread finds them ready.
fn prewarm_for_schemas() {
    use cloudformation_validate::data_source::embedded as data;
    // An error here is the engine's to report, when it parses the same table.
    let _ = cloudformation_validate::schema_validator::shared_base_getatt_data();
    for table in [
        &data::REF_TYPES_BYTES,
        &data::EXTENSIONS_BYTES,
        &data::REGION_ENUMS_BYTES,
        &data::RESOURCE_LIFECYCLE_BYTES,
        &data::LAMBDA_RUNTIMES_BYTES,
        &data::REGION_RESOURCE_TYPES_BYTES,
    ] {
        LazyLock::force(table);
    }
}

/// Input-level problems after which the deep check has nothing sound to read.
pub fn unreadable(d: &Diagnostic) -> bool {
    matches!(
        d.code,
        Code::FileTooLarge
            | Code::InvalidUtf8
            | Code::ControlCharacter
            | Code::EmptyFile
            | Code::YamlSyntax
            | Code::TabIndentation
            | Code::NestingTooDeep
            | Code::AliasLimit
            | Code::UnknownAnchor
            | Code::MultipleDocuments
    )
}

/// Classes of finding the light checks own: where they reported one, the deep check's finding of
/// the same class adds nothing (the light one is more precise).
const OWNED_BY_LIGHT: [Code; 5] = [
    Code::UnknownReference,
    Code::UnknownAttribute,
    Code::DependencyCycle,
    Code::NameTooLong,
    Code::YamlSyntax,
];

/// Merges the light checks' findings with the deep check's, sorted by position. A deep finding
/// is dropped when the light checks reported an error of the same owned class anywhere, or any
/// error on the same line: one problem, one diagnostic.
pub fn merge(light: Vec<Diagnostic>, deep: Vec<Diagnostic>, text: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let line = |d: &Diagnostic| index.line_col(text, d.span.start).0;
    let light_errors: Vec<(Code, usize)> = light
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, line(d)))
        .collect();
    let mut merged = light;
    for d in deep {
        let same_class = OWNED_BY_LIGHT.contains(&d.code)
            && light_errors.iter().any(|(code, _)| *code == d.code);
        let same_line = light_errors.iter().any(|(_, l)| *l == line(&d));
        if !same_class && !same_line {
            merged.push(d);
        }
    }
    merged.sort_by_key(|d| (d.span.start, d.code));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a: 1\nb: 2\nc: 3\n";

    fn at(code: Code, offset: usize) -> Diagnostic {
        Diagnostic::new(code, Span::new(offset, offset + 1), "x")
    }

    fn codes(merged: &[Diagnostic]) -> Vec<(Code, usize)> {
        merged.iter().map(|d| (d.code, d.span.start)).collect()
    }

    #[test]
    fn a_deep_finding_of_a_class_the_light_checks_reported_is_dropped() {
        let light = vec![at(Code::UnknownReference, 0)];
        let deep = vec![at(Code::UnknownReference, 10), at(Code::CfnRule, 5)];
        assert_eq!(
            codes(&merge(light, deep, TEXT)),
            [(Code::UnknownReference, 0), (Code::CfnRule, 5)]
        );
    }

    #[test]
    fn a_deep_finding_on_a_line_with_a_light_error_is_dropped() {
        let light = vec![at(Code::UnknownAttribute, 5)];
        let deep = vec![
            at(Code::WrongPropertyType, 7),
            at(Code::WrongPropertyType, 10),
        ];
        assert_eq!(
            codes(&merge(light, deep, TEXT)),
            [(Code::UnknownAttribute, 5), (Code::WrongPropertyType, 10)]
        );
    }

    #[test]
    fn without_light_errors_every_deep_finding_stays_in_position_order() {
        let light = vec![at(Code::CfnRuleWarning, 10)];
        let deep = vec![at(Code::UnknownReference, 5), at(Code::CfnRule, 0)];
        assert_eq!(
            codes(&merge(light, deep, TEXT)),
            [
                (Code::CfnRule, 0),
                (Code::UnknownReference, 5),
                (Code::CfnRuleWarning, 10)
            ]
        );
    }
}
