//! The deep template check: AWS's `cloudformation-validate` (resource-provider schemas and
//! cfn-lint-derived rules, compiled in, offline) at Warn level and up, bad enum values (W3030)
//! as errors, plus our own CEL rules where it has gaps. Its findings become core diagnostics;
//! those the core's light checks already report are dropped.

use cloudformation_validate::{
    CompositeEngine, CompositeEngineConfig, ExternalRuleSource, PseudoParameterOverrides,
    SchemaValidator, Severity, ValidateConfig, validate_bytes_with_path,
};
use ml_provisioner_core::{Code, Diagnostic, LineIndex, Span};

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

/// The validator, built once per run (rule compilation is the expensive part).
pub struct DeepChecker {
    engine: CompositeEngine,
    schemas: SchemaValidator,
}

impl DeepChecker {
    pub fn new() -> Result<DeepChecker, String> {
        let rules = ExternalRuleSource {
            name: "ml-provisioner-rules.json".to_owned(),
            content: CUSTOM_RULES.to_owned(),
        };
        // The two halves are independent and each costs over 100 ms: build them side by side.
        let (engine, schemas) = std::thread::scope(|scope| {
            let schemas = scope.spawn(SchemaValidator::default);
            let engine = CompositeEngine::new(CompositeEngineConfig::new().with_cel_rules([rules]))
                .map_err(|e| format!("{e:#}"));
            (engine, schemas.join())
        });
        let schemas = schemas.map_err(|_| "building the schema store failed".to_owned())?;
        Ok(DeepChecker {
            engine: engine?,
            schemas,
        })
    }

    /// Checks a template's bytes for `region`; spans index `text` (the template as text).
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
        let report =
            validate_bytes_with_path(&self.engine, &self.schemas, bytes, config, path.to_owned())
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
