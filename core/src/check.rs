//! The checking pipeline: bytes → text → spanned YAML → JSON Schema → cross-field rules and
//! names → [`Config`]. It never stops at the first problem (see ARCHITECTURE.md).

use crate::config::{
    Client, Config, Env, Environment, MlProduct, SourceControl, Tier, VpcIntegration, VpcMode,
    VpcSource,
};
use crate::diagnostic::{Code, Diagnostic, has_errors};
use crate::names::{self, NameParts};
use crate::rules;
use crate::schema;
use crate::yaml::{self, Node, NodeKind};

/// The outcome of checking a config: the model when there are no errors, and every diagnostic
/// (spans index the decoded text; see [`CheckedConfig::text`]).
#[derive(Debug)]
pub struct CheckedConfig {
    pub config: Option<Config>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a config file's bytes. `file_name` is the file's name (not path) for the naming
/// convention cross-check; pass `""` when there is none (e.g. an unsaved editor buffer).
pub fn check_config(bytes: &[u8], file_name: &str) -> CheckedConfig {
    let text = match yaml::decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            return CheckedConfig {
                config: None,
                diagnostics: vec![diagnostic],
            };
        }
    };
    let parsed = yaml::parse(text);
    let mut diagnostics = parsed.diagnostics;
    // After a tab in indentation the tree's shape is a guess (the YAML layer reads each tab as
    // one space to find the syntax errors after it): errors of the schema and the rules would be
    // about the guess, not the file, so they wait until the tabs are gone.
    let shape_known = !diagnostics.iter().any(|d| d.code == Code::TabIndentation);
    if let Some(root) = &parsed.root
        && shape_known
    {
        check_tree(root, file_name, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    let config = match &parsed.root {
        Some(root) if !has_errors(&diagnostics) => from_tree(root),
        _ => None,
    };
    CheckedConfig {
        config,
        diagnostics,
    }
}

fn check_tree(root: &Node, file_name: &str, diagnostics: &mut Vec<Diagnostic>) {
    if !matches!(root.kind, NodeKind::Map(_)) {
        diagnostics.push(
            Diagnostic::new(
                Code::RootNotMapping,
                root.span,
                format!("the config must be a mapping of sections, found {}", root.describe()),
            )
            .with_hint("start with 'client:', 'environment:' and 'ml_product:' sections; see examples/configs/"),
        );
        return;
    }
    let (schema_diagnostics, failed) = schema::check(root);
    diagnostics.extend(schema_diagnostics);
    rules::check(root, &failed, file_name, diagnostics);
}

/// Builds the model from a tree that passed every check.
fn from_tree(root: &Node) -> Option<Config> {
    let text = |pointer: &str| -> Option<String> {
        root.lookup(pointer)
            .and_then(|(_, n)| n.as_str())
            .map(str::to_owned)
    };
    let list = |pointer: &str| -> Vec<String> {
        match root.lookup(pointer).map(|(_, n)| &n.kind) {
            Some(NodeKind::Seq(items)) => items
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let client = Client {
        company_name: text("/client/company_name")?,
        company_prefix: text("/client/company_prefix")?,
        account_id: text("/client/account_id")?,
        tenant_id: text("/client/tenant_id")?,
    };
    let environment = Environment {
        env: Env::parse(&text("/environment/env")?)?,
        region: text("/environment/region")?,
    };
    let parts = NameParts {
        company_prefix: &client.company_prefix,
        env: environment.env.as_str(),
        tenant_id: &client.tenant_id,
        region: &environment.region,
        use_case: "",
        workload: None,
    };
    let source = match text("/ml_product/source_control")?.as_str() {
        "s3" => {
            let s3_prefix = text("/ml_product/s3_prefix")?;
            let (bucket, prefix) = s3_prefix.split_once('/').unwrap_or((&s3_prefix, ""));
            SourceControl::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
            }
        }
        _ => SourceControl::CodeCommit,
    };
    let vpc = match root.lookup("/ml_product/vpc_integration") {
        None => None,
        Some(_) => {
            let mode = match text("/ml_product/vpc_integration/mode")?.as_str() {
                "sgprov" => VpcMode::SgProv {
                    security_group_id_parameter: text(
                        "/ml_product/vpc_integration/security_group_id_parameter",
                    )
                    .unwrap_or_else(|| names::default_security_group_id_parameter(&parts)),
                },
                _ => VpcMode::Standalone,
            };
            let source = match text("/ml_product/vpc_integration/vpc_source")?.as_str() {
                "direct" => VpcSource::Direct {
                    vpc_id: text("/ml_product/vpc_integration/vpc_id")?,
                    subnet_ids: list("/ml_product/vpc_integration/subnet_ids"),
                },
                _ => VpcSource::Ssm {
                    vpc_id_parameter: text("/ml_product/vpc_integration/vpc_id_parameter")
                        .unwrap_or_else(|| names::default_vpc_id_parameter(&parts)),
                    subnet_ids_parameter: text("/ml_product/vpc_integration/subnet_ids_parameter")
                        .unwrap_or_else(|| names::default_subnet_ids_parameter(&parts)),
                },
            };
            Some(VpcIntegration {
                mode,
                source,
                route_table_ids: list("/ml_product/vpc_integration/route_table_ids"),
            })
        }
    };
    let product = MlProduct {
        tier: Tier::parse(&text("/ml_product/tier")?)?,
        use_case: text("/ml_product/use_case")?,
        workload: text("/ml_product/workload"),
        source,
        alerts_email: text("/ml_product/alerts_email"),
        vpc,
    };
    let tags = root
        .get("tags")
        .map(|entry| {
            entry
                .value
                .entries()
                .iter()
                .filter_map(|e| {
                    Some((
                        e.key.scalar_text()?.to_owned(),
                        e.value.as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Config {
        client,
        environment,
        product,
        tags,
    })
}
