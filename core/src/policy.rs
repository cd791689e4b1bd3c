//! The operator's least-privilege IAM policy (PRODUCT.md §7), derived from the same resource
//! list as the template.
//!
//! For every planned resource, every permission its CloudFormation handlers need
//! (`core/data/cfn-permissions.json`, extracted from cfn-lint's registry schemas) is classified
//! by the IAM resource types the action accepts:
//! - the resource's own type → granted on that resource's ARN (production and test-deploy names);
//! - another resource of this product (the role a resource is handed, the KMS key, the VPC
//!   pieces an endpoint attaches to) → granted on that one;
//! - no resource type at all → granted on `*` in a statement named for why;
//! - a type this product never uses, or a name IAM does not know → not granted.
//!
//! The CLI's own calls ([`CLI_CALLS`]) are added on the product's stacks, parameters and bucket.
//! Tests prove the result sufficient and minimal against the same data.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::catalog::{self, PlannedResource, ResourceId};
use crate::config::{Config, VpcMode, VpcSource};
use crate::names::{NameKind, Names, TestSuffix};
use crate::regions;

/// The embedded permission table (see `scripts/extract-cfn-permissions.py`).
pub const PERMISSIONS_JSON: &str = include_str!("../data/cfn-permissions.json");

/// Parsed permission table.
#[derive(Debug)]
pub struct PermissionTable {
    /// Resource type → handler (create/read/update/delete) → actions.
    pub handlers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Action → IAM resource types it accepts (`Some(vec![])`: only `*`; `None`: unknown to IAM).
    pub actions: BTreeMap<String, Option<Vec<String>>>,
    /// Service → IAM resource type → ARN regular expressions (`${Partition}` etc. as written).
    pub arn_formats: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Resource type → the attributes `Fn::GetAtt` accepts.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Resource type → the property `Ref` returns (its schema's primary identifier; `None` when
    /// that is several properties).
    pub refs: BTreeMap<String, Option<String>>,
}

pub const HANDLERS: [&str; 4] = ["create", "read", "update", "delete"];

/// The permission table, parsed once.
pub fn permission_table() -> Option<&'static PermissionTable> {
    static TABLE: OnceLock<Option<PermissionTable>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let raw: Value = serde_json::from_str(PERMISSIONS_JSON).ok()?;
            let mut handlers = BTreeMap::new();
            let mut attributes = BTreeMap::new();
            let mut refs = BTreeMap::new();
            for (resource_type, entry) in raw.get("types")?.as_object()? {
                let mut per = BTreeMap::new();
                for handler in HANDLERS {
                    let actions = entry
                        .get(handler)
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    per.insert(handler.to_owned(), actions);
                }
                handlers.insert(resource_type.clone(), per);
                let names = entry
                    .get("attributes")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                attributes.insert(resource_type.clone(), names);
                let returned = entry.get("ref").and_then(Value::as_str).map(str::to_owned);
                refs.insert(resource_type.clone(), returned);
            }
            let actions = raw
                .get("actions")?
                .as_object()?
                .iter()
                .map(|(action, types)| {
                    let types = types.as_array().map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str().map(str::to_owned))
                            .collect()
                    });
                    (action.clone(), types)
                })
                .collect();
            let arn_formats = raw
                .get("arn_formats")?
                .as_object()?
                .iter()
                .map(|(service, types)| {
                    let types = types
                        .as_object()
                        .map(|t| {
                            t.iter()
                                .map(|(name, arns)| {
                                    (
                                        name.clone(),
                                        arns.as_array()
                                            .map(|a| {
                                                a.iter()
                                                    .filter_map(|x| x.as_str().map(str::to_owned))
                                                    .collect()
                                            })
                                            .unwrap_or_default(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (service.clone(), types)
                })
                .collect();
            Some(PermissionTable {
                handlers,
                actions,
                arn_formats,
                attributes,
                refs,
            })
        })
        .as_ref()
}

/// Every AWS call the CLI itself makes (as its IAM action), with the IAM resource type it is
/// scoped to (`None`: cannot be scoped). Stacks are created, updated and deleted through change
/// sets and `DeleteStack`; `DeleteObjects` on the artifact bucket needs both object actions. The
/// CLI's AWS module (`native-cli/src/aws/sdk.rs`) makes exactly these calls: its test reads the
/// calls from its code and compares them with this list.
pub const CLI_CALLS: &[(&str, Option<&str>)] = &[
    ("sts:GetCallerIdentity", None),
    ("cloudformation:DescribeStacks", Some("stack")),
    ("cloudformation:DescribeStackEvents", Some("stack")),
    ("cloudformation:ListStackResources", Some("stack")),
    ("cloudformation:CreateChangeSet", Some("stack")),
    ("cloudformation:DescribeChangeSet", Some("stack")),
    ("cloudformation:ExecuteChangeSet", Some("stack")),
    ("cloudformation:DeleteChangeSet", Some("stack")),
    ("cloudformation:DeleteStack", Some("stack")),
    ("cloudformation:DetectStackDrift", Some("stack")),
    ("cloudformation:DescribeStackResourceDrifts", Some("stack")),
    ("cloudformation:DescribeStackDriftDetectionStatus", None),
    ("ssm:GetParameter", Some("parameter")),
    ("ssm:GetParametersByPath", Some("parameter")),
    ("s3:ListBucketVersions", Some("bucket")),
    ("s3:DeleteObject", Some("object")),
    ("s3:DeleteObjectVersion", Some("object")),
];

/// Calls CloudFormation makes with the caller's credentials while it makes a change set:
/// resolving the template's `AWS::SSM::Parameter::Value<…>` parameters (enterprise VPC inputs).
/// The operator needs them as if the CLI made them.
pub const CLOUDFORMATION_CALLS_AS_CALLER: &[(&str, Option<&str>)] =
    &[("ssm:GetParameters", Some("parameter"))];

/// Every call made with the operator's credentials: [`CLI_CALLS`], then
/// [`CLOUDFORMATION_CALLS_AS_CALLER`].
pub fn operator_calls() -> impl Iterator<Item = &'static (&'static str, Option<&'static str>)> {
    CLI_CALLS.iter().chain(CLOUDFORMATION_CALLS_AS_CALLER)
}

/// The Marketplace call made when the build carries a product code.
pub const METERING_CALL: &str = "aws-marketplace:RegisterUsage";

/// Options of the operator policy.
#[derive(Clone, Copy, Debug, Default)]
pub struct PolicyOptions {
    /// The build checks an AWS Marketplace subscription (adds `aws-marketplace:RegisterUsage`).
    pub checks_subscription: bool,
}

/// Why a handler permission is or is not in the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Granted on these resources (an action that needs several resources — an alias and its
    /// key, an endpoint and its VPC — gets one grant per resource type).
    Granted(Vec<Grant>),
    /// The action has no resource types: granted on `*`.
    Unscopable,
    /// Not granted: the action is unknown to IAM or acts on a resource type this product does not use.
    NotGranted(&'static str),
}

/// ARN patterns, optionally narrowed by a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub resources: Vec<String>,
    pub condition: Option<Condition>,
}

/// A condition block on a statement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Condition {
    pub operator: &'static str,
    pub key: &'static str,
    pub values: Vec<String>,
}

/// The concrete values an operator policy is written for.
pub(crate) struct Target<'a> {
    pub config: &'a Config,
    pub names: &'a Names<'a>,
    partition: &'static str,
}

impl Target<'_> {
    fn region(&self) -> &str {
        &self.config.environment.region
    }

    fn account(&self) -> &str {
        &self.config.client.account_id
    }

    fn arn(&self, service: &str, regional: bool, resource: &str) -> String {
        let region = if regional { self.region() } else { "" };
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition,
            self.account()
        )
    }

    /// The name pattern of `kind` for production and the pattern of its test-deploy names.
    fn name_patterns(&self, kind: NameKind) -> [String; 2] {
        let production = self.names.name(kind).pattern();
        let wildcard = TestSuffix::wildcard();
        let test = Names::new(self.names.parts, Some(&wildcard))
            .name(kind)
            .pattern();
        [production, test]
    }

    fn arns(&self, kind: NameKind, f: impl Fn(&str) -> String) -> Vec<String> {
        self.name_patterns(kind).iter().map(|n| f(n)).collect()
    }
}

/// Service, IAM resource type and ARN patterns of a planned resource.
pub(crate) type OwnResource = (&'static str, &'static str, Vec<String>);

/// The IAM resource a planned resource is: service, IAM resource type, ARN patterns.
fn own_resource(t: &Target<'_>, planned: &PlannedResource) -> Option<OwnResource> {
    // The ARNs of the resource's own physical name (production and test deploy).
    let named = |service: &'static str, regional: bool, prefix: &'static str| {
        let kind = planned.id.name_kind()?;
        Some(t.arns(kind, |n| t.arn(service, regional, &format!("{prefix}{n}"))))
    };
    Some(match planned.resource_type() {
        "AWS::SageMaker::ModelPackageGroup" => (
            "sagemaker",
            "model-package-group",
            named("sagemaker", true, "model-package-group/")?,
        ),
        "AWS::CodeCommit::Repository" => {
            ("codecommit", "repository", named("codecommit", true, "")?)
        }
        "AWS::KMS::Key" => ("kms", "key", vec![t.arn("kms", true, "key/*")]),
        "AWS::KMS::Alias" => ("kms", "alias", named("kms", true, "")?),
        "AWS::S3::Bucket" | "AWS::S3::BucketPolicy" => {
            // A bucket policy's handlers act on its bucket.
            let bucket = planned.id.policy_bucket().unwrap_or(planned.id);
            ("s3", "bucket", named_bucket_arns(t, bucket.name_kind()?))
        }
        "AWS::IAM::Role" => ("iam", "role", named("iam", false, "role/")?),
        "AWS::CodeBuild::Project" => (
            "codebuild",
            "project",
            named("codebuild", true, "project/")?,
        ),
        "AWS::CodePipeline::Pipeline" => {
            ("codepipeline", "pipeline", named("codepipeline", true, "")?)
        }
        "AWS::Events::Rule" => ("events", "rule", named("events", true, "rule/")?),
        "AWS::SNS::Topic" | "AWS::SNS::TopicPolicy" | "AWS::SNS::Subscription" => (
            "sns",
            "topic",
            t.arns(NameKind::AlertsTopic, |n| t.arn("sns", true, n)),
        ),
        "AWS::CloudWatch::Dashboard" => (
            "cloudwatch",
            "dashboard",
            named("cloudwatch", false, "dashboard/")?,
        ),
        // The log group, its streams (`…:*`) and nothing else live below the product's own path
        // `/ml/{ml_name}/`, which no other product's names can start with (no base holds a `/`):
        // one pattern per deploy instead of the group and its streams.
        "AWS::Logs::LogGroup" => (
            "logs",
            "log-group",
            own_parameter_prefixes(t)
                .iter()
                .map(|p| t.arn("logs", true, &format!("log-group:/ml/{p}/*")))
                .collect(),
        ),
        "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress" => (
            "ec2",
            "security-group",
            vec![t.arn("ec2", true, "security-group/*")],
        ),
        "AWS::EC2::VPCEndpoint" => (
            "ec2",
            "vpc-endpoint",
            vec![t.arn("ec2", true, "vpc-endpoint/*")],
        ),
        "AWS::SSM::Parameter" => (
            "ssm",
            "parameter",
            own_parameter_prefixes(t)
                .iter()
                .map(|p| t.arn("ssm", true, &format!("parameter/ml/{p}/*")))
                .collect(),
        ),
        _ => return None,
    })
}

/// The buckets `delete-product` empties (`ResourceId::emptied_on_delete`), production and test
/// deploy: a production stack's access-log bucket is kept, and the operator gets no right to
/// delete its logs.
fn bucket_arns(t: &Target<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for id in catalog::Shape::of(t.config).resources() {
        let Some(kind) = id.name_kind() else { continue };
        let [production, test] = t.name_patterns(kind);
        for (pattern, test_deploy) in [(production, false), (test, true)] {
            if id.emptied_on_delete(test_deploy) {
                out.push(format!("arn:{}:s3:::{pattern}", t.partition));
            }
        }
    }
    out
}

/// A bucket's ARNs (production and test deploy).
fn named_bucket_arns(t: &Target<'_>, kind: NameKind) -> Vec<String> {
    t.arns(kind, |n| format!("arn:{}:s3:::{n}", t.partition))
}

/// `ml_name` and the pattern of its test-deploy variants (`…--????-ml`): SSM paths and the
/// `ml:name` tag use them.
fn own_parameter_prefixes(t: &Target<'_>) -> [String; 2] {
    let wildcard = TestSuffix::wildcard();
    let test = Names::new(t.names.parts, Some(&wildcard)).ml_name();
    [t.names.ml_name(), test]
}

/// Actions that create a resource or tag it while it is created: the new resource carries no
/// tags yet, so a tag condition cannot narrow them.
fn creates(action: &str) -> bool {
    let verb = action.split(':').nth(1).unwrap_or_default();
    verb.starts_with("Create") || verb == "TagResource"
}

/// Resources whose ids AWS generates (key, security group, endpoint) are matched by the
/// product's `ml:name` tag. An action that creates or tags one (the new resource carries no tag
/// yet) gets the `…IfExists` form: allowed on an untagged resource or one tagged as this
/// product's, never on one another product tagged — so no operator can re-tag another product's
/// key or security group and take it over.
fn tag_condition(t: &Target<'_>, action: &str) -> Condition {
    Condition {
        operator: if creates(action) {
            "StringLikeIfExists"
        } else {
            "StringLike"
        },
        key: "aws:ResourceTag/ml:name",
        values: own_parameter_prefixes(t).to_vec(),
    }
}

/// The role a resource is handed (and the service it is passed to), for `iam:PassRole`.
fn passed_role(planned: &PlannedResource) -> Option<(NameKind, &'static str)> {
    use ResourceId as R;
    match planned.id {
        R::ModelBuildProject | R::ModelDeployProject => {
            Some((NameKind::CodeBuildRole, "codebuild.amazonaws.com"))
        }
        R::ModelBuildPipeline | R::ModelDeployPipeline => {
            Some((NameKind::CodePipelineRole, "codepipeline.amazonaws.com"))
        }
        R::SourceChangeRule | R::ModelApprovedRule => {
            Some((NameKind::EventsRole, "events.amazonaws.com"))
        }
        _ => None,
    }
}

/// Actions granted on `*` although cfn-lint's IAM data scopes them to a topic: they act on
/// subscription ARNs (`topic:uuid`), and other IAM references (parliament's) list no resource
/// type for them. `*` is the one scope that works under both readings.
pub const STAR_WHERE_REFERENCES_DISAGREE: &[&str] = &[
    "sns:GetSubscriptionAttributes",
    "sns:SetSubscriptionAttributes",
    "sns:Unsubscribe",
];

/// Classifies one handler permission of one planned resource.
/// `own` is [`own_resource`] of `planned`, computed once per resource by the caller.
pub(crate) fn classify(
    t: &Target<'_>,
    table: &PermissionTable,
    planned: &PlannedResource,
    own: Option<&OwnResource>,
    action: &str,
) -> Scope {
    let Some(accepted) = table.actions.get(action) else {
        return Scope::NotGranted("not in the permission table");
    };
    let Some(accepted) = accepted else {
        return Scope::NotGranted(
            "not an IAM action (the handler lists a name IAM does not define)",
        );
    };
    if accepted.is_empty() || STAR_WHERE_REFERENCES_DISAGREE.contains(&action) {
        return Scope::Unscopable;
    }
    let service = action.split(':').next().unwrap_or_default();
    let standalone_sg = matches!(
        t.config.product.vpc.as_ref().map(|v| &v.mode),
        Some(VpcMode::Standalone)
    );
    let mut grants = Vec::new();
    for kind in accepted {
        let grant = match (&own, service, kind.as_str()) {
            (Some((own_service, own_type, resources)), _, _)
                if *own_service == service && own_type == kind =>
            {
                let generated_id = matches!(*own_type, "key" | "security-group" | "vpc-endpoint");
                Some(Grant {
                    resources: resources.clone(),
                    condition: generated_id.then(|| tag_condition(t, action)),
                })
            }
            (_, "iam", "role") if action == "iam:PassRole" => {
                passed_role(planned).map(|(role, to)| Grant {
                    resources: t.arns(role, |n| t.arn("iam", false, &format!("role/{n}"))),
                    condition: Some(Condition {
                        operator: "StringEquals",
                        key: "iam:PassedToService",
                        values: vec![to.to_owned()],
                    }),
                })
            }
            (_, "kms", "key") if t.config.product.vpc.is_some() => Some(Grant {
                resources: vec![t.arn("kms", true, "key/*")],
                condition: Some(tag_condition(t, action)),
            }),
            (_, "ec2", kind)
                if planned.resource_type().starts_with("AWS::EC2::")
                    || planned.resource_type() == "AWS::CodeBuild::Project" =>
            {
                match kind {
                    "vpc" => Some(Grant {
                        resources: vpc_arns(t),
                        condition: None,
                    }),
                    "subnet" => Some(Grant {
                        resources: subnet_arns(t),
                        condition: None,
                    }),
                    "security-group" => Some(Grant {
                        resources: vec![t.arn("ec2", true, "security-group/*")],
                        condition: standalone_sg.then(|| tag_condition(t, action)),
                    }),
                    "route-table" => {
                        Some(route_table_arns(t))
                            .filter(|r| !r.is_empty())
                            .map(|resources| Grant {
                                resources,
                                condition: None,
                            })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        grants.extend(grant);
    }
    if grants.is_empty() {
        Scope::NotGranted("acts only on resource types this product does not use")
    } else {
        Scope::Granted(grants)
    }
}

fn vpc_arns(t: &Target<'_>) -> Vec<String> {
    match t.config.product.vpc.as_ref().map(|v| &v.source) {
        Some(VpcSource::Direct { vpc_id, .. }) => {
            vec![t.arn("ec2", true, &format!("vpc/{vpc_id}"))]
        }
        _ => vec![t.arn("ec2", true, "vpc/*")],
    }
}

fn subnet_arns(t: &Target<'_>) -> Vec<String> {
    match t.config.product.vpc.as_ref().map(|v| &v.source) {
        Some(VpcSource::Direct { subnet_ids, .. }) => subnet_ids
            .iter()
            .map(|s| t.arn("ec2", true, &format!("subnet/{s}")))
            .collect(),
        _ => vec![t.arn("ec2", true, "subnet/*")],
    }
}

fn route_table_arns(t: &Target<'_>) -> Vec<String> {
    t.config
        .product
        .vpc
        .iter()
        .flat_map(|v| v.route_table_ids.iter())
        .map(|r| t.arn("ec2", true, &format!("route-table/{r}")))
        .collect()
}

/// One statement being assembled: actions on a resource set under an optional condition.
type StatementKey = (Vec<String>, Option<Condition>);

/// The bytes of `policies/{stem}-iam-policy.json` (the CLI and the browser app write the same).
pub fn to_file_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// Builds the operator policy document.
pub fn operator_policy(
    config: &Config,
    names: &Names<'_>,
    options: PolicyOptions,
) -> Option<Value> {
    let table = permission_table()?;
    let partition = regions::partition(&config.environment.region)?;
    let t = Target {
        config,
        names,
        partition,
    };
    let plan = catalog::plan(config, names);
    let mut grouped: BTreeMap<StatementKey, BTreeSet<String>> = BTreeMap::new();
    let mut unscopable: BTreeSet<String> = BTreeSet::new();
    for planned in &plan {
        let handlers = table.handlers.get(planned.resource_type())?;
        let own = own_resource(&t, planned);
        for action in HANDLERS
            .iter()
            .flat_map(|h| handlers.get(*h).into_iter().flatten())
        {
            match classify(&t, table, planned, own.as_ref(), action) {
                Scope::Granted(grants) => {
                    let Grant {
                        mut resources,
                        condition,
                    } = merge(grants);
                    resources.sort();
                    resources.dedup();
                    grouped
                        .entry((resources, condition))
                        .or_default()
                        .insert(action.clone());
                }
                Scope::Unscopable => {
                    unscopable.insert(action.clone());
                }
                Scope::NotGranted(_) => {}
            }
        }
    }
    for (action, scope) in cli_scopes(&t, options) {
        match scope {
            Some(mut resources) => {
                resources.sort();
                grouped
                    .entry((resources, None))
                    .or_default()
                    .insert(action.to_owned());
            }
            None => {
                unscopable.insert(action.to_owned());
            }
        }
    }
    let mut statements = Vec::new();
    let mut sids: BTreeMap<String, usize> = BTreeMap::new();
    for ((resources, condition), actions) in compact(grouped) {
        let base = statement_sid(&actions, condition.as_ref());
        let n = sids.entry(base.clone()).or_insert(0);
        *n += 1;
        let sid = if *n == 1 { base } else { format!("{base}{n}") };
        let mut statement = json!({
            "Sid": sid,
            "Effect": "Allow",
            "Action": actions.iter().collect::<Vec<_>>(),
            "Resource": resources,
        });
        if let Some(c) = condition {
            statement["Condition"] = json!({ c.operator: { c.key: if c.values.len() == 1 { json!(c.values[0]) } else { json!(c.values) } } });
        }
        statements.push(statement);
    }
    if !unscopable.is_empty() {
        statements.push(json!({
            "Sid": "ActionsWithoutResourceLevelPermissions",
            "Effect": "Allow",
            "Action": unscopable.iter().collect::<Vec<_>>(),
            "Resource": "*",
        }));
    }
    Some(json!({ "Version": "2012-10-17", "Statement": statements }))
}

/// Merges statements without granting anything new, until nothing merges: statements with the
/// same resources and condition take the union of their actions (A1×R ∪ A2×R = (A1∪A2)×R), and
/// statements with the same actions and condition the union of their resources. IAM checks each
/// resource of a request on its own, so the set of (action, resource, condition) grants is
/// unchanged; the proofs in the tests check it.
fn compact(
    grouped: BTreeMap<StatementKey, BTreeSet<String>>,
) -> BTreeMap<StatementKey, BTreeSet<String>> {
    let mut statements = grouped;
    loop {
        let before = statements.len();
        let mut by_actions: BTreeMap<(BTreeSet<String>, Option<Condition>), BTreeSet<String>> =
            BTreeMap::new();
        for ((resources, condition), actions) in statements {
            by_actions
                .entry((actions, condition))
                .or_default()
                .extend(resources);
        }
        let mut by_resources: BTreeMap<StatementKey, BTreeSet<String>> = BTreeMap::new();
        for ((actions, condition), resources) in by_actions {
            by_resources
                .entry((resources.into_iter().collect(), condition))
                .or_default()
                .extend(actions);
        }
        statements = by_resources;
        if statements.len() == before {
            return statements;
        }
    }
}

/// One statement per action: an action that needs several resources (an alias and its key, an
/// endpoint and its VPC) gets them all in one statement (IAM checks each resource a request
/// names on its own, and parliament wants every resource type an action needs in the statement
/// that grants it). A condition every grant carries stays. Where only some grants carry the tag
/// condition (a key's, beside an alias, which has no tags; an endpoint's, beside the subnets it
/// joins), the statement gets its `…IfExists` form: the untagged resources (the alias, the VPC
/// inputs) pass, and so do this product's, but never a resource another product tagged.
fn merge(grants: Vec<Grant>) -> Grant {
    let first = grants.first().and_then(|g| g.condition.clone());
    let condition = if grants.iter().all(|g| g.condition == first) {
        first
    } else {
        grants
            .iter()
            .filter_map(|g| g.condition.as_ref())
            .find(|c| c.key == "aws:ResourceTag/ml:name")
            .map(|c| Condition {
                operator: "StringLikeIfExists",
                key: c.key,
                values: c.values.clone(),
            })
    };
    Grant {
        resources: grants.into_iter().flat_map(|g| g.resources).collect(),
        condition,
    }
}

/// The CLI's own calls, scoped (`None`: `*`).
fn cli_scopes(t: &Target<'_>, options: PolicyOptions) -> Vec<(&'static str, Option<Vec<String>>)> {
    let stack = t.arns(NameKind::Stack, |n| {
        t.arn("cloudformation", true, &format!("stack/{n}/*"))
    });
    let mut parameters: Vec<String> = t
        .config
        .ssm_inputs()
        .into_iter()
        .map(|(_, path)| t.arn("ssm", true, &format!("parameter{path}")))
        .collect();
    let own_parameters = own_parameter_prefixes(t);
    parameters.extend(
        own_parameters
            .iter()
            .map(|p| t.arn("ssm", true, &format!("parameter/ml/{p}/*"))),
    );
    let bucket = bucket_arns(t);
    let objects: Vec<String> = bucket.iter().map(|b| format!("{b}/*")).collect();
    let mut out: Vec<(&'static str, Option<Vec<String>>)> = operator_calls()
        .map(|&(action, kind)| {
            let scope = match kind {
                None => None,
                Some("stack") => Some(stack.clone()),
                Some("parameter") => Some(if action == "ssm:GetParametersByPath" {
                    own_parameters
                        .iter()
                        .map(|p| t.arn("ssm", true, &format!("parameter/ml/{p}")))
                        .collect()
                } else {
                    parameters.clone()
                }),
                Some("bucket") => Some(bucket.clone()),
                Some(_) => Some(objects.clone()),
            };
            (action, scope)
        })
        .collect();
    if options.checks_subscription {
        out.push((METERING_CALL, None));
    }
    out
}

/// A readable Sid from the statement's services and condition.
fn statement_sid(actions: &BTreeSet<String>, condition: Option<&Condition>) -> String {
    let mut services: Vec<String> = actions
        .iter()
        .filter_map(|a| a.split(':').next())
        .map(title_case)
        .collect();
    services.dedup();
    let mut sid = services.join("");
    if let Some(c) = condition {
        sid.push_str(match c.key {
            "iam:PassedToService" => "PassRoleToItsServiceOnly",
            "aws:ResourceTag/ml:name" if c.operator.ends_with("IfExists") => {
                "NewOrTaggedWithThisProduct"
            }
            "aws:ResourceTag/ml:name" => "TaggedWithThisProduct",
            _ => "Conditional",
        });
    } else {
        sid.push_str("OnProductResources");
    }
    sid
}

fn title_case(service: &str) -> String {
    service
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
