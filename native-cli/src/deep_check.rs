//! The deep template check: AWS's `cloudformation-validate` (resource-provider schemas and
//! cfn-lint-derived rules, compiled in, offline) at Warn level and up, plus our own CEL rules
//! where it has gaps. Its findings become core diagnostics by one mapping, [`RULE_CODES`]
//! (warnings stay warnings, bad enum values (W3030) are errors); those the core's light checks
//! already report are dropped ([`merge`]).
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

mod position;

use cloudformation_validate::{
    CompositeEngine, CompositeEngineConfig, ExternalRuleSource, PseudoParameterOverrides,
    SchemaValidator, Severity, ValidateConfig, validate_bytes_with_path,
};
use ml_provisioner_core::yaml::{Node, NodeKind};
use ml_provisioner_core::{Code, Diagnostic, LineIndex, Span, template_check};
use std::sync::{LazyLock, OnceLock};

/// Rules `cloudformation-validate` lacks: CodeBuild's schema has no enum for ComputeType, and
/// the validator does not check the type of a Lambda function's `Environment.Variables` (a
/// mapping whose keys are given by a pattern), so a list given for it passed (cfn-lint: E3012).
const CUSTOM_RULES: &str = r#"{ "rules": [ {
  "rule_id": "MLP-CB-001",
  "severity": "ERROR",
  "category": "custom",
  "resource_type": "AWS::CodeBuild::Project",
  "expression": "has(properties.Environment) && type(properties.Environment) == \"map\" && has(properties.Environment.ComputeType) && type(properties.Environment.ComputeType) == \"string\" && !(properties.Environment.ComputeType in [\"BUILD_GENERAL1_SMALL\", \"BUILD_GENERAL1_MEDIUM\", \"BUILD_GENERAL1_LARGE\", \"BUILD_GENERAL1_XLARGE\", \"BUILD_GENERAL1_2XLARGE\", \"BUILD_LAMBDA_1GB\", \"BUILD_LAMBDA_2GB\", \"BUILD_LAMBDA_4GB\", \"BUILD_LAMBDA_8GB\", \"BUILD_LAMBDA_10GB\", \"ATTRIBUTE_BASED_COMPUTE\", \"CUSTOM_INSTANCE_TYPE\"])",
  "message": "CodeBuild project {name}: Environment.ComputeType is not a CodeBuild compute type",
  "prop_path": "Properties.Environment.ComputeType",
  "suggested_fix": "use a compute type such as BUILD_GENERAL1_SMALL"
}, {
  "rule_id": "MLP-LAMBDA-001",
  "severity": "ERROR",
  "category": "custom",
  "resource_type": "AWS::Lambda::Function",
  "expression": "has(properties.Environment) && type(properties.Environment) == \"map\" && has(properties.Environment.Variables) && type(properties.Environment.Variables) == \"list\"",
  "message": "Lambda function {name}: Environment.Variables is a list; it must be a mapping of variable names to values",
  "prop_path": "Properties.Environment.Variables",
  "suggested_fix": "write the variables as a mapping, NAME: value, one per line"
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
        // The validator reads a byte-order mark as part of the first key (a YAML template) or
        // takes the file for YAML (a JSON one); without it, its lines and columns are those
        // `LineIndex` counts, which start line 1 after the mark.
        let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
        let report = validate_bytes_with_path(engine, schemas, bytes, config, path.to_owned())
            .map_err(|e| e.to_string())?;
        let index = LineIndex::new(text);
        let tree = template_check::parse(text).root;
        let strict = tree.as_ref().is_some_and(asks_strict_types);
        let mut seen = std::collections::BTreeSet::new();
        Ok(report
            .diagnostics
            .into_iter()
            .filter_map(|finding| {
                let strict = strict && finding.rule_id == "W9003";
                let code = if strict {
                    Code::WrongPropertyType
                } else {
                    code_for(&finding.rule_id, finding.severity)
                };
                let span = finding.location.map_or(Span::at(0), |l| {
                    let start = index.offset(text, l.start_line as usize, l.start_column as usize);
                    let end = index.offset(text, l.end_line as usize, l.end_column as usize).max(start);
                    Span::new(start, end)
                });
                let found = Found {
                    rule_id: &finding.rule_id,
                    message: &finding.message,
                    resource: finding.entity.as_ref().map(|e| e.logical_id.as_str()),
                    span,
                };
                if [transform_artifact, module_artifact, list_default_artifact]
                    .iter()
                    .any(|artifact| artifact(&found, tree.as_ref()))
                {
                    return None;
                }
                // A finding about an item in a branch of a Fn::If: at the item, not at the
                // property that holds the Fn::If. One about a resource a loop makes: in the
                // loop's body, not at the Resources section.
                let path = finding.property_path.as_deref();
                let (span, also) = tree
                    .as_ref()
                    .zip(found.resource)
                    .and_then(|(tree, resource)| {
                        path.and_then(|p| position::refine(tree, resource, p, &finding.message))
                            .or_else(|| position::in_loop(tree, resource, path).map(|at| (at, Vec::new())))
                    })
                    .unwrap_or((span, Vec::new()));
                let hint = finding.suggested_fix.clone().unwrap_or_else(|| match code {
                    Code::UnknownProperty => "remove the property or fix its name; see the resource type's CloudFormation reference".to_owned(),
                    Code::WrongPropertyType => "give the value the type the resource's schema asks for".to_owned(),
                    Code::InvalidEnumValue => "use one of the allowed values named in the message".to_owned(),
                    _ => format!("see rule {} of cloudformation-validate; regenerate with create-prov-template if the file was edited", finding.rule_id),
                });
                let message = if strict {
                    format!("[{}] {} (an error here: the template's Metadata cfn-lint config asks for strict types, E3012 strict)", finding.rule_id, finding.message)
                } else {
                    format!("[{}] {}", finding.rule_id, finding.message)
                };
                let diagnostic = Diagnostic::new(code, span, message).with_hint(hint);
                Some(also.into_iter().fold(diagnostic, |d, at| d.with_label(at, "and here")))
            })
            // The same finding at the same place (the resources of one loop) is shown once.
            .filter(|d| seen.insert((d.span, d.message.clone())))
            .collect())
    }
}

/// How a finding of `cloudformation-validate` is shown: the one mapping from its rule ids to our
/// codes, and so to levels (a code's level is fixed, see `Code`).
///
/// - A rule listed here shows as its code; any other as `cfn-rule` (error) or
///   `cfn-rule-warning` (warning), by the level the library gave it.
/// - The library's level is kept: a listed code whose level differs from the finding's is not
///   used, the finding shows as `cfn-rule` / `cfn-rule-warning` instead. So a warning of the
///   library stays a warning (`W9003`, a string CloudFormation converts to the number or boolean
///   the schema asks for, is `cfn-rule-warning`, not `wrong-property-type`).
/// - One deliberate exception, [`RAISED_TO_ERROR`]: `W3030`, a value outside the schema's
///   enum, is an error here, as it is to cfn-lint (E3030): CloudFormation rejects the value.
/// - Where the light checks report the same problem, the light finding is the one shown and the
///   deep one is dropped ([`merge`]).
///
/// docs/diagnostics.md says the same to users.
const RULE_CODES: &[(&str, Code)] = &[
    ("F3002", Code::UnknownProperty),
    ("E3002", Code::UnknownProperty),
    ("F3012", Code::WrongPropertyType),
    ("E3012", Code::WrongPropertyType),
    ("MLP-LAMBDA-001", Code::WrongPropertyType),
    ("W3030", Code::InvalidEnumValue),
    ("E3030", Code::InvalidEnumValue),
    ("F1020", Code::UnknownReference),
    ("F1010", Code::UnknownReference),
    ("F1018", Code::UnknownReference),
    ("E1020", Code::UnknownReference),
    ("E1010", Code::UnknownReference),
    ("E9004", Code::UnknownAttribute),
    ("F3004", Code::DependencyCycle),
    ("E3004", Code::DependencyCycle),
    // Not F1101: the library names it "Invalid YAML/JSON syntax", but it reports a function or
    // attribute in a form CloudFormation rejects (`Fn::Split` with three arguments, a
    // `CreationPolicy` that is no object, ...). A template the light checks cannot read is their
    // `yaml-syntax`, and the deep check does not run on it. So F1101 is `cfn-rule`.
];

/// Whether a template asks cfn-lint for strict types in its own configuration
/// (`Metadata: {cfn-lint: {config: {configure_rules: {E3012: {strict: true}}}}}`): a string
/// where the schema asks for a number or boolean, which CloudFormation converts (W9003, a
/// warning), is then an error (`wrong-property-type`), as it is to cfn-lint (E3012). The
/// template's author asked for it; without it the warning stays a warning.
fn asks_strict_types(tree: &Node) -> bool {
    let strict = [
        "Metadata",
        "cfn-lint",
        "config",
        "configure_rules",
        "E3012",
        "strict",
    ]
    .iter()
    .try_fold(tree, |node, key| node.get(key).map(|e| &e.value));
    strict.is_some_and(|n| {
        matches!(n.kind, NodeKind::Bool(true))
            || n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
    })
}

/// Library warnings shown as errors (see [`RULE_CODES`]).
const RAISED_TO_ERROR: &[&str] = &["W3030"];

/// The code a finding of rule `rule_id` at the library's level `severity` is shown as (see
/// [`RULE_CODES`]).
fn code_for(rule_id: &str, severity: Severity) -> Code {
    let error = severity >= Severity::Error || RAISED_TO_ERROR.contains(&rule_id);
    RULE_CODES
        .iter()
        .find(|(id, _)| *id == rule_id)
        .map(|&(_, code)| code)
        .filter(|code| (code.severity() == ml_provisioner_core::Severity::Error) == error)
        .unwrap_or(if error {
            Code::CfnRule
        } else {
            Code::CfnRuleWarning
        })
}

/// What the filters below read of a finding of the validator.
struct Found<'f> {
    rule_id: &'f str,
    message: &'f str,
    /// The logical id of the resource the finding is about.
    resource: Option<&'f str>,
    /// Where the validator places it, in the template's text.
    span: Span,
}

/// Whether a finding comes from the validator's own model of a transform where the transform
/// itself does not refuse the template. The validator reads `AWS::Serverless-2016-10-31` and
/// `AWS::LanguageExtensions` itself (SAM's implicit resources, the loops expanded), and repeats
/// some of SAM's own refusals as E0001 "Error transforming template"; where its model is
/// narrower than the transform, a template CloudFormation deploys would be refused:
///
/// - E0001 "Runtime and Handler needs to be present when PackageType is of type `Zip`" for a
///   function with an `ImageUri` and no `PackageType`: that is an image function (SAM and
///   cfn-lint take the package type from the `ImageUri`), which has neither.
/// - F1101 "Fn::Transform value must be an object" for a `Fn::Transform` given as a list of
///   `{Name, Parameters}` transforms, which CloudFormation runs (cfn-lint's fixture
///   `good/resources/dynamodb/attributes_transform.yaml`, from a template its author deployed).
///
/// `tree` is the template as the light checks read it.
fn transform_artifact(found: &Found<'_>, tree: Option<&Node>) -> bool {
    let Some(tree) = tree else { return false };
    match found.rule_id {
        "E0001" => {
            let properties = || {
                let resource = tree.get("Resources")?.value.get(found.resource?)?;
                Some(&resource.value.get("Properties")?.value)
            };
            found.message.contains(
                "Runtime and Handler needs to be present when PackageType is of type `Zip`",
            ) && properties()
                .is_some_and(|p| p.get("ImageUri").is_some() && p.get("PackageType").is_none())
        }
        "F1101" => {
            found
                .message
                .ends_with("Fn::Transform value must be an object")
                && entry_at(tree, "Fn::Transform", found.span.start).is_some_and(|value| {
                    matches!(&value.kind, NodeKind::Seq(items)
                        if !items.is_empty() && items.iter().all(|t| t.get("Name").is_some()))
                })
        }
        _ => false,
    }
}

/// Whether a finding says a reference (`Ref`, `Fn::GetAtt`, a `Fn::Sub` variable, `DependsOn`)
/// names no resource where it names a resource a CloudFormation module makes
/// ([`template_check::module_making`]): the validator does not know modules; CloudFormation and
/// cfn-lint accept them (cfn-lint's fixture `good/functions/ref.yaml`). The name is the first
/// quoted one of the message.
fn module_artifact(found: &Found<'_>, tree: Option<&Node>) -> bool {
    let Some(resources) = tree.and_then(|t| t.get("Resources")) else {
        return false;
    };
    if !matches!(found.rule_id, "F1020" | "E1020" | "F1018" | "E3005") {
        return false;
    }
    let Some(quoted) = found.message.split('\'').nth(1) else {
        return false;
    };
    let name = quoted.trim_start_matches("${").trim_end_matches('}').trim();
    let name = name.split_once('.').map_or(name, |(base, _)| base);
    let kinds = resources
        .value
        .entries()
        .iter()
        .filter_map(|e| Some((e.key.as_str()?, e.value.get("Type")?.value.as_str()?)));
    template_check::module_making(kinds, name).is_some()
}

/// Whether a finding is F2012 "Parameter 'P' Default 'v' is not in AllowedValues" for one item
/// of the default of a list parameter (`CommaDelimitedList`, `List<…>`) whose whole default is
/// one of its allowed values (`Default: three,four` with `three,four` allowed). The validator
/// checks each item; cfn-lint (E2015) accepts a default that passes item by item or whole
/// (its fixture `good/parameters/default.yaml`).
fn list_default_artifact(found: &Found<'_>, tree: Option<&Node>) -> bool {
    if found.rule_id != "F2012" || !found.message.contains("is not in AllowedValues") {
        return false;
    }
    let Some(name) = found.message.split('\'').nth(1) else {
        return false;
    };
    let parameter = || Some(&tree?.get("Parameters")?.value.get(name)?.value);
    parameter().is_some_and(|p| {
        let list = p
            .get("Type")
            .and_then(|t| t.value.as_str())
            .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
        let default = p.get("Default").and_then(|d| d.value.as_str());
        let allowed = p
            .get("AllowedValues")
            .map_or(&[][..], |a| match &a.value.kind {
                NodeKind::Seq(items) => items.as_slice(),
                _ => &[],
            });
        list && default.is_some_and(|d| allowed.iter().any(|a| a.as_str() == Some(d)))
    })
}

/// The value of the `key` entry whose key starts at byte `at`, anywhere in `tree`.
fn entry_at<'t>(tree: &'t Node, key: &str, at: usize) -> Option<&'t Node> {
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                for entry in entries {
                    if entry.key.span.start == at && entry.key.as_str() == Some(key) {
                        return Some(&entry.value);
                    }
                    stack.push(&entry.value);
                }
            }
            NodeKind::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    None
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
    fn a_library_warning_stays_a_warning_and_an_error_an_error() {
        // W9003: a string CloudFormation converts ("5" for a number) — a warning, not a type error.
        assert_eq!(code_for("W9003", Severity::Warn), Code::CfnRuleWarning);
        assert_eq!(code_for("E3012", Severity::Error), Code::WrongPropertyType);
        assert_eq!(code_for("F3002", Severity::Fatal), Code::UnknownProperty);
        // A listed rule at a level its code does not have keeps the library's level.
        assert_eq!(code_for("E3012", Severity::Warn), Code::CfnRuleWarning);
        assert_eq!(code_for("W9999", Severity::Warn), Code::CfnRuleWarning);
        assert_eq!(code_for("E9999", Severity::Error), Code::CfnRule);
        // The one deliberate exception: a value outside the enum is an error, as in cfn-lint.
        assert_eq!(code_for("W3030", Severity::Warn), Code::InvalidEnumValue);
        // F1101 is a function in a form CloudFormation rejects, not YAML syntax.
        assert_eq!(code_for("F1101", Severity::Fatal), Code::CfnRule);
    }

    #[test]
    fn every_listed_rule_is_shown_as_its_code() {
        for &(id, code) in RULE_CODES {
            let level = if id.starts_with('W') && !RAISED_TO_ERROR.contains(&id) {
                Severity::Warn
            } else {
                Severity::Error
            };
            assert_eq!(
                code_for(id, level),
                code,
                "{id} is not shown as its listed code"
            );
        }
    }

    /// A finding of `rule_id` with `message` about resource `F`, placed at byte `at`.
    fn found<'f>(rule_id: &'f str, message: &'f str, resource: &'f str, at: usize) -> Found<'f> {
        Found {
            rule_id,
            message,
            resource: Some(resource),
            span: Span::at(at),
        }
    }

    #[test]
    fn an_image_function_is_no_zip_function() {
        const ZIP: &str = "Error transforming template: Resource with id [F] is invalid. Runtime and Handler needs to be present when PackageType is of type `Zip`";
        let template = |properties: &str| {
            template_check::parse(&format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n{properties}"
            ))
            .root
        };
        let artifact = |properties: &str| {
            transform_artifact(&found("E0001", ZIP, "F", 0), template(properties).as_ref())
        };
        // SAM takes PackageType Image from ImageUri.
        assert!(artifact("      ImageUri: repo:1\n"));
        // An explicit PackageType decides, and without ImageUri the function is a zip function.
        assert!(!artifact(
            "      ImageUri: repo:1\n      PackageType: Zip\n"
        ));
        assert!(!artifact("      CodeUri: s3://b/k.zip\n"));
        // Other findings, other resources and other rules stay.
        let tree = template("      ImageUri: repo:1\n");
        let other = "Error transforming template: other";
        for kept in [
            found("E0001", ZIP, "G", 0),
            found("E0001", other, "F", 0),
            found("E3003", ZIP, "F", 0),
        ] {
            assert!(!transform_artifact(&kept, tree.as_ref()));
        }
    }

    #[test]
    fn a_list_of_transforms_is_a_transform() {
        const NOT_AN_OBJECT: &str = "Fn::Transform: Fn::Transform value must be an object";
        let text = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema:\n        Fn::Transform:\n          - Name: AWS::Include\n            Parameters: {Location: s3://b/k.yaml}\n      AttributeDefinitions:\n        Fn::Transform: AWS::Include\n";
        let tree = template_check::parse(text).root;
        let [list, name] = [6, 10].map(|line| LineIndex::new(text).offset(text, line, 9));
        assert!(transform_artifact(
            &found("F1101", NOT_AN_OBJECT, "T", list),
            tree.as_ref()
        ));
        // A name alone is no transform CloudFormation runs; nor is a finding elsewhere.
        for kept in [
            found("F1101", NOT_AN_OBJECT, "T", name),
            found("F1101", NOT_AN_OBJECT, "T", list + 1),
            found(
                "F1101",
                "Fn::Split: Fn::Split requires exactly 2 elements, got 3",
                "T",
                list,
            ),
        ] {
            assert!(!transform_artifact(&kept, tree.as_ref()));
        }
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
