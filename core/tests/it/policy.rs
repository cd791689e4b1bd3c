//! Proofs about the operator policy, against the permission table extracted from cfn-lint 1.58
//! (registry handler permissions and the IAM action reference):
//! - sufficiency: every handler permission of every resource the template creates is allowed on
//!   that resource's ARN (production and test-deploy names), every related-resource permission on
//!   the related resource, every permission without resource types on `*`, every CLI call;
//! - minimality: every (action, resource) the policy allows is one of those — the action is a
//!   handler permission of a planned type or a CLI call, the resource is of a type the action
//!   accepts (by the reference's ARN formats) and belongs to this product (or to its VPC inputs).

use std::collections::BTreeMap;

use ml_provisioner_core::Config;
use ml_provisioner_core::catalog::plan;
use ml_provisioner_core::config::{VpcMode, VpcSource};
use ml_provisioner_core::names::{NameKind, Names, TestSuffix};
use ml_provisioner_core::policy::{
    self, HANDLERS, METERING_CALL, PolicyOptions, STAR_WHERE_REFERENCES_DISAGREE, permission_table,
};
use ml_provisioner_core::policy_set;
use serde_json::Value;

use crate::examples::example_configs;

/// The operator policy as IAM gets it: the union of the documents `create-policy` writes.
pub fn operator_policy(config: &Config) -> Value {
    policy_set::operator_policy_set(config, &config.names(), PolicyOptions::default())
        .unwrap()
        .union()
}

/// IAM wildcard match (`*` any run, `?` one character), case-sensitive as IAM resource matching is.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

pub fn list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A minimal IAM evaluator: Allow statements only (the policy has no Deny); `…Equals`
/// conditions compare exactly, `…Like` ones with wildcards, against the request context; an
/// `…IfExists` condition holds when the context lacks its key.
pub fn allows(
    policy: &Value,
    action: &str,
    resource: &str,
    context: &BTreeMap<&str, String>,
) -> bool {
    policy["Statement"].as_array().unwrap().iter().any(|s| {
        s["Effect"] == "Allow"
            && list(&s["Action"])
                .iter()
                .any(|a| glob(&a.to_ascii_lowercase(), &action.to_ascii_lowercase()))
            && list(&s["Resource"]).iter().any(|r| glob(r, resource))
            && s.get("Condition").is_none_or(|c| {
                c.as_object().unwrap().iter().all(|(operator, block)| {
                    let if_exists = operator.ends_with("IfExists");
                    let like = operator.trim_end_matches("IfExists").ends_with("Like");
                    block.as_object().unwrap().iter().all(|(key, want)| {
                        match context.get(key.as_str()) {
                            None => if_exists,
                            Some(have) => list(want)
                                .iter()
                                .any(|w| if like { glob(w, have) } else { w == have }),
                        }
                    })
                })
            })
    })
}

/// Concrete ARNs of this product's resources, built independently of the policy module.
pub struct Product<'a> {
    pub config: &'a Config,
    pub names: Names<'a>,
}

impl Product<'_> {
    /// The region's partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &'static str {
        ml_provisioner_core::regions::partition(&self.config.environment.region).unwrap()
    }

    /// An S3 ARN (no region, no account).
    pub fn s3(&self, resource: &str) -> String {
        format!("arn:{}:s3:::{resource}", self.partition())
    }

    pub fn arn(&self, service: &str, regional: bool, resource: &str) -> String {
        let region = if regional {
            self.config.environment.region.as_str()
        } else {
            ""
        };
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition(),
            self.config.client.account_id
        )
    }

    /// The ARN of a planned resource as IAM sees it, with its IAM resource type.
    pub fn own(&self, logical_id: &str, resource_type: &str) -> Option<(&'static str, String)> {
        // A deployed name: a stack-unique name ends in 8 hex digits of some stack id.
        let n = |k: NameKind| {
            let name = self.names.name(k);
            if name.stack_unique {
                format!("{}-0a1b2c3d", name.fixed)
            } else {
                name.fixed
            }
        };
        Some(match resource_type {
            "AWS::SageMaker::ModelPackageGroup" => (
                "model-package-group",
                self.arn(
                    "sagemaker",
                    true,
                    &format!("model-package-group/{}", n(NameKind::ModelPackageGroup)),
                ),
            ),
            "AWS::CodeCommit::Repository" => (
                "repository",
                self.arn(
                    "codecommit",
                    true,
                    &n(if logical_id.contains("Build") {
                        NameKind::BuildRepository
                    } else {
                        NameKind::DeployRepository
                    }),
                ),
            ),
            "AWS::KMS::Key" => (
                "key",
                self.arn("kms", true, "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            ),
            "AWS::KMS::Alias" => ("alias", self.arn("kms", true, &n(NameKind::KmsAlias))),
            "AWS::S3::Bucket" | "AWS::S3::BucketPolicy" => {
                ("bucket", self.s3(&n(NameKind::ArtifactBucket)))
            }
            "AWS::IAM::Role" => {
                let kind = match logical_id {
                    "CodeBuildRole" => NameKind::CodeBuildRole,
                    "CodePipelineRole" => NameKind::CodePipelineRole,
                    "SageMakerExecutionRole" => NameKind::SageMakerRole,
                    _ => NameKind::EventsRole,
                };
                ("role", self.arn("iam", false, &format!("role/{}", n(kind))))
            }
            "AWS::CodeBuild::Project" => (
                "project",
                self.arn(
                    "codebuild",
                    true,
                    &format!(
                        "project/{}",
                        n(if logical_id.contains("Build") {
                            NameKind::BuildProject
                        } else {
                            NameKind::DeployProject
                        })
                    ),
                ),
            ),
            "AWS::CodePipeline::Pipeline" => (
                "pipeline",
                self.arn(
                    "codepipeline",
                    true,
                    &n(if logical_id.contains("Build") {
                        NameKind::BuildPipeline
                    } else {
                        NameKind::DeployPipeline
                    }),
                ),
            ),
            "AWS::Events::Rule" => {
                let kind = match logical_id {
                    "SourceChangeRule" => NameKind::SourceRule,
                    "ModelApprovedRule" => NameKind::ApprovalRule,
                    _ => NameKind::FailureRule,
                };
                (
                    "rule",
                    self.arn("events", true, &format!("rule/{}", n(kind))),
                )
            }
            "AWS::SNS::Topic" | "AWS::SNS::TopicPolicy" | "AWS::SNS::Subscription" => {
                ("topic", self.arn("sns", true, &n(NameKind::AlertsTopic)))
            }
            "AWS::CloudWatch::Dashboard" => (
                "dashboard",
                self.arn(
                    "cloudwatch",
                    false,
                    &format!("dashboard/{}", n(NameKind::Dashboard)),
                ),
            ),
            "AWS::Logs::LogGroup" => (
                "log-group",
                self.arn(
                    "logs",
                    true,
                    &format!("log-group:{}", n(NameKind::ComplianceLogGroup)),
                ),
            ),
            "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress" => (
                "security-group",
                self.arn("ec2", true, "security-group/sg-0123456789abcdef0"),
            ),
            "AWS::EC2::VPCEndpoint" => (
                "vpc-endpoint",
                self.arn("ec2", true, "vpce-0123456789abcdef0")
                    .replace(":vpce-", ":vpc-endpoint/vpce-"),
            ),
            "AWS::SSM::Parameter" => (
                "parameter",
                self.arn(
                    "ssm",
                    true,
                    &format!("parameter/ml/{}/BucketName", self.names.ml_name()),
                ),
            ),
            _ => return None,
        })
    }
}

pub fn context(ml_name: &str, passed_to: Option<&str>) -> BTreeMap<&'static str, String> {
    let mut c = BTreeMap::from([("aws:ResourceTag/ml:name", ml_name.to_owned())]);
    if let Some(service) = passed_to {
        c.insert("iam:PassedToService", service.to_owned());
    }
    c
}

#[test]
fn operator_policy_is_sufficient() {
    for (file, config) in example_configs() {
        check_sufficient(&file, &config);
    }
}

/// Sufficiency for one config (the examples here, drawn configs in `policy_set`).
pub fn check_sufficient(file: &str, config: &Config) {
    let table = permission_table().unwrap();
    let suffix = TestSuffix::new("k3x9").unwrap();
    {
        let policy = operator_policy(config);
        for test in [None, Some(&suffix)] {
            let product = Product {
                config,
                names: Names::new(config.name_parts(), test),
            };
            let ml_name = product.names.ml_name();
            let planned = plan(config, &product.names);
            let mut checked = 0;
            for r in &planned {
                let (own_type, own_arn) = product
                    .own(r.logical_id(), r.resource_type())
                    .unwrap_or_else(|| panic!("{file}: no ARN for {}", r.resource_type()));
                for action in HANDLERS
                    .iter()
                    .flat_map(|h| table.handlers[r.resource_type()][*h].iter())
                {
                    let Some(Some(accepted)) = table.actions.get(action) else {
                        continue;
                    };
                    let service = action.split(':').next().unwrap();
                    let own_service = own_arn.split(':').nth(2).unwrap();
                    let creating = action.split(':').nth(1).unwrap().starts_with("Create")
                        || action.ends_with(":TagResource");
                    let ctx = context(&ml_name, None);
                    if creating && !accepted.is_empty() {
                        // Creating or tagging: the resource is new (no tag yet) or this
                        // product's own (an update): both allowed.
                        assert!(
                            service != own_service
                                || !accepted.iter().any(|a| a == own_type)
                                || allows(&policy, action, &own_arn, &ctx),
                            "{file}: {action} not allowed on this product's own {own_arn}"
                        );
                    }
                    let ctx = if creating { BTreeMap::new() } else { ctx };
                    if accepted.is_empty()
                        || STAR_WHERE_REFERENCES_DISAGREE.contains(&action.as_str())
                    {
                        assert!(
                            allows(&policy, action, "*", &ctx),
                            "{file}: {action} (no resource types) not allowed on *"
                        );
                    } else if service == own_service && accepted.iter().any(|a| a == own_type) {
                        assert!(
                            allows(&policy, action, &own_arn, &ctx),
                            "{file}: {action} not allowed on {own_arn} ({})",
                            r.logical_id()
                        );
                    } else if action == "iam:PassRole" {
                        let (role, to) = match r.resource_type() {
                            "AWS::CodeBuild::Project" => {
                                ("CodeBuildRole", "codebuild.amazonaws.com")
                            }
                            "AWS::CodePipeline::Pipeline" => {
                                ("CodePipelineRole", "codepipeline.amazonaws.com")
                            }
                            "AWS::Events::Rule" if r.logical_id() != "PipelineFailureRule" => {
                                ("EventBridgeRole", "events.amazonaws.com")
                            }
                            _ => continue, // the resource is handed no role
                        };
                        let (_, role_arn) = product.own(role, "AWS::IAM::Role").unwrap();
                        assert!(
                            allows(&policy, action, &role_arn, &context(&ml_name, Some(to))),
                            "{file}: cannot pass {role} to {to}"
                        );
                        assert!(
                            !allows(
                                &policy,
                                action,
                                &role_arn,
                                &context(&ml_name, Some("ec2.amazonaws.com"))
                            ),
                            "{file}: {role} may be passed to another service"
                        );
                    } else {
                        continue; // a related resource: checked below for the VPC pieces
                    }
                    checked += 1;
                }
                if r.resource_type() == "AWS::EC2::VPCEndpoint" {
                    let vpc = match config.product.vpc.as_ref().map(|v| &v.source) {
                        Some(VpcSource::Direct { vpc_id, .. }) => vpc_id.clone(),
                        _ => "vpc-0a1b2c3d4e5f60718".to_owned(),
                    };
                    assert!(
                        allows(
                            &policy,
                            "ec2:CreateVpcEndpoint",
                            &product.arn("ec2", true, &format!("vpc/{vpc}")),
                            &BTreeMap::new()
                        ),
                        "{file}: endpoint cannot attach to its VPC"
                    );
                }
                if r.resource_type() == "AWS::KMS::Alias" {
                    let key = product.own("KmsKey", "AWS::KMS::Key").unwrap().1;
                    assert!(
                        allows(&policy, "kms:CreateAlias", &key, &BTreeMap::new()),
                        "{file}: the alias cannot point at the key"
                    );
                }
            }
            assert!(checked > 100, "{file}: only {checked} permissions checked");
            // The CLI's own calls.
            let stack = product.arn(
                "cloudformation",
                true,
                &format!(
                    "stack/{}/4f1e2d3c-0000-1111-2222-333344445555",
                    product.names.stack_name()
                ),
            );
            for (action, scope) in policy::operator_calls() {
                let resource = match scope {
                    None => "*".to_owned(),
                    Some("stack") => stack.clone(),
                    Some("parameter") if *action == "ssm:GetParametersByPath" => {
                        product.arn("ssm", true, &format!("parameter/ml/{ml_name}"))
                    }
                    Some("parameter") => {
                        product.arn("ssm", true, &format!("parameter/ml/{ml_name}/BucketName"))
                    }
                    Some("bucket") => product.s3(&format!(
                        "{}-0a1b2c3d",
                        product.names.name(NameKind::ArtifactBucket).fixed
                    )),
                    Some(_) => product.s3(&format!(
                        "{}-0a1b2c3d/model/output.tar.gz",
                        product.names.name(NameKind::ArtifactBucket).fixed
                    )),
                };
                assert!(
                    allows(&policy, action, &resource, &BTreeMap::new()),
                    "{file}: CLI call {action} not allowed on {resource}"
                );
            }
            if let Some(vpc) = &config.product.vpc {
                if let VpcSource::Ssm {
                    vpc_id_parameter, ..
                } = &vpc.source
                {
                    let arn = product.arn("ssm", true, &format!("parameter{vpc_id_parameter}"));
                    assert!(
                        allows(&policy, "ssm:GetParameters", &arn, &BTreeMap::new()),
                        "{file}: deploy cannot resolve {vpc_id_parameter}"
                    );
                }
                if let VpcMode::SgProv {
                    security_group_id_parameter,
                } = &vpc.mode
                {
                    let arn = product.arn(
                        "ssm",
                        true,
                        &format!("parameter{security_group_id_parameter}"),
                    );
                    assert!(
                        allows(&policy, "ssm:GetParameters", &arn, &BTreeMap::new()),
                        "{file}: deploy cannot resolve {security_group_id_parameter}"
                    );
                }
            }
        }
    }
}

/// Turns an ARN format from the IAM reference into a regex-free matcher on a policy resource
/// pattern: `${Partition}`, `${Region}`, `${Account}` become the concrete values, and the
/// reference's `.*` matches anything (including the policy's own wildcards).
fn arn_format_matches(format: &str, pattern: &str, region: &str, account: &str) -> bool {
    let partition = ml_provisioner_core::regions::partition(region).unwrap();
    let format = format
        .replace("${Partition}", partition)
        .replace("${Region}", region)
        .replace("${Account}", account)
        .replace(".*", "*");
    glob(&format, pattern)
}

#[test]
fn operator_policy_is_minimal() {
    for (file, config) in example_configs() {
        check_minimal(&file, &config);
    }
}

/// Minimality for one config (the examples here, drawn configs in `policy_set`).
pub fn check_minimal(file: &str, config: &Config) {
    let table = permission_table().unwrap();
    {
        let names = config.names();
        let policy = operator_policy(config);
        let planned = plan(config, &names);
        let needed: Vec<&str> = planned
            .iter()
            .flat_map(|r| {
                HANDLERS.iter().flat_map(|h| {
                    table.handlers[r.resource_type()][*h]
                        .iter()
                        .map(String::as_str)
                })
            })
            .chain(policy::operator_calls().map(|(a, _)| *a))
            .collect();
        let region = config.environment.region.as_str();
        let account = config.client.account_id.as_str();
        let client = format!(
            "{}-{}-{}-",
            config.client.company_prefix,
            config.environment.env.as_str(),
            config.client.tenant_id
        );
        // The access-log bucket's name is the company prefix and a digest of the product's
        // (names::Base::Digest).
        let access_logs = config
            .names()
            .name(ml_provisioner_core::names::NameKind::AccessLogBucket)
            .fixed;
        let vpc_inputs: Vec<String> = config
            .product
            .vpc
            .iter()
            .flat_map(|v| {
                let mut ids: Vec<String> = v.route_table_ids.clone();
                match &v.source {
                    VpcSource::Direct { vpc_id, subnet_ids } => {
                        ids.push(vpc_id.clone());
                        ids.extend(subnet_ids.iter().cloned());
                    }
                    VpcSource::Ssm {
                        vpc_id_parameter,
                        subnet_ids_parameter,
                    } => {
                        ids.push(vpc_id_parameter.clone());
                        ids.push(subnet_ids_parameter.clone());
                    }
                }
                if let VpcMode::SgProv {
                    security_group_id_parameter,
                } = &v.mode
                {
                    ids.push(security_group_id_parameter.clone());
                }
                ids
            })
            .collect();
        for statement in policy["Statement"].as_array().unwrap() {
            assert_eq!(statement["Effect"], "Allow");
            let resources = list(&statement["Resource"]);
            for action in list(&statement["Action"]) {
                assert!(!action.contains('*'), "{file}: wildcard action {action}");
                assert!(
                    needed.contains(&action.as_str()),
                    "{file}: {action} is neither a handler permission of a planned type nor a CLI call"
                );
                let accepted = table
                    .actions
                    .get(&action)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| panic!("{file}: {action} is not a known IAM action"));
                let service = action.split(':').next().unwrap().to_ascii_lowercase();
                for resource in &resources {
                    if resource == "*" {
                        assert!(
                            accepted.is_empty()
                                || STAR_WHERE_REFERENCES_DISAGREE.contains(&action.as_str()),
                            "{file}: {action} is granted on * but can be scoped to {accepted:?}"
                        );
                        continue;
                    }
                    let formats = table.arn_formats.get(&service).unwrap();
                    assert!(
                        accepted.iter().any(|t| formats.get(t).is_some_and(|fs| fs
                            .iter()
                            .any(|f| arn_format_matches(f, resource, region, account)))),
                        "{file}: {resource} is not a resource type {action} accepts ({accepted:?})"
                    );
                    let generated_id = [
                        "key/*",
                        "security-group/*",
                        "vpc-endpoint/*",
                        "vpc/*",
                        "subnet/*",
                    ]
                    .iter()
                    .any(|g| resource.ends_with(&format!(":{g}")));
                    let ours = resource.contains(&client)
                        || resource.contains(&access_logs)
                        || generated_id
                        || vpc_inputs.iter().any(|i| resource.ends_with(i.as_str()));
                    assert!(
                        ours,
                        "{file}: {resource} (for {action}) is not a resource of this product"
                    );
                    assert!(
                        resource.contains(&format!(":{account}:"))
                            || resource.starts_with(&format!(
                                "arn:{}:s3:::",
                                ml_provisioner_core::regions::partition(region).unwrap()
                            )),
                        "{file}: {resource} is outside the configured account"
                    );
                }
            }
        }
    }
}

#[test]
fn every_action_is_a_known_iam_action_and_the_tables_agree() {
    let table = permission_table().unwrap();
    let raw: Value = serde_json::from_str(policy::PERMISSIONS_JSON).unwrap();
    let extracted: Vec<&str> = raw["cli_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = policy::operator_calls()
        .map(|(a, _)| *a)
        .chain([METERING_CALL])
        .collect();
    assert_eq!(
        extracted, ours,
        "scripts/extract-cfn-permissions.py CLI_ACTIONS must equal policy::operator_calls() + METERING_CALL"
    );
    for (action, scope) in policy::operator_calls() {
        let accepted = table.actions[*action].clone().unwrap();
        assert_eq!(
            scope.is_none(),
            accepted.is_empty(),
            "{action}: scoped as {scope:?} but the reference says {accepted:?}"
        );
    }
    for (file, config) in example_configs() {
        let with_metering = policy_set::operator_policy_set(
            &config,
            &config.names(),
            PolicyOptions {
                checks_subscription: true,
            },
        )
        .unwrap()
        .union();
        for statement in with_metering["Statement"].as_array().unwrap() {
            for action in list(&statement["Action"]) {
                assert!(
                    matches!(table.actions.get(&action), Some(Some(_))),
                    "{file}: {action} is not in the IAM reference"
                );
            }
        }
        assert!(
            allows(&with_metering, METERING_CALL, "*", &BTreeMap::new()),
            "{file}: metering"
        );
        let without = operator_policy(&config);
        assert!(
            !allows(&without, METERING_CALL, "*", &BTreeMap::new()),
            "{file}: metering without a product code"
        );
    }
}

#[test]
fn glob_matches_like_iam() {
    assert!(glob("arn:aws:s3:::b--????-art", "arn:aws:s3:::b--k3x9-art"));
    assert!(!glob("arn:aws:s3:::b--????-art", "arn:aws:s3:::b--k3x-art"));
    assert!(glob("arn:*:key/*", "arn:aws:kms:us-west-2:1:key/abc"));
    assert!(!glob("arn:aws:s3:::bucket", "arn:aws:s3:::bucket2"));
}
