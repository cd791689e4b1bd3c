//! Names (PRODUCT.md §4): `ml_name`, the stack name, every physical name and the test-deploy
//! variants, each checked against its service's length and character rules.
//!
//! The names table — which pattern each resource type uses and why — is [`NameKind::ALL`] with
//! [`NameKind::spec`]; `docs/names.md` renders it for users.

use std::fmt;

/// The config values every name derives from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameParts<'a> {
    pub company_prefix: &'a str,
    pub env: &'a str,
    pub tenant_id: &'a str,
    pub region: &'a str,
    pub use_case: &'a str,
    pub workload: Option<&'a str>,
}

/// The random part of a test deploy: `t` and five lowercase letters or digits. The caller
/// supplies the randomness (the core has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSuffix(String);

impl TestSuffix {
    /// Length of the suffix itself (the hyphen before it is added when names are built).
    pub const LEN: usize = 6;

    /// Builds a suffix from five random lowercase letters or digits.
    pub fn new(random: &str) -> Option<TestSuffix> {
        (random.len() == 5
            && random
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        .then(|| TestSuffix(format!("t{random}")))
    }

    /// A suffix of the real length, used to check that test-deploy names will fit.
    pub fn placeholder() -> TestSuffix {
        TestSuffix("t00000".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which stem a name is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// `{company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}][-{test}]`
    Full,
    /// The full base without the region, for services whose limit the full base cannot meet.
    Short,
    /// Inside the product's `ml_name`: `{prefix}{ml_name}{suffix}`.
    MlName { prefix: &'static str },
}

/// A service's naming rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    StackName,
    S3Bucket,
    SageMakerName,
    CodeCommitRepository,
    CodeBuildProject,
    CodePipelineName,
    IamRole,
    EventsRule,
    SnsTopic,
    Dashboard,
    LogGroup,
    KmsAlias,
    SecurityGroupName,
    SsmParameter,
}

impl NameRule {
    pub fn max_len(self) -> usize {
        match self {
            NameRule::StackName => 128,
            NameRule::S3Bucket | NameRule::SageMakerName => 63,
            NameRule::CodeCommitRepository | NameRule::CodePipelineName => 100,
            NameRule::CodeBuildProject | NameRule::Dashboard | NameRule::SecurityGroupName => 255,
            NameRule::IamRole | NameRule::EventsRule => 64,
            NameRule::SnsTopic | NameRule::KmsAlias => 256,
            NameRule::LogGroup => 512,
            NameRule::SsmParameter => 1011,
        }
    }

    /// The service's own word for the name, for messages.
    pub fn service(self) -> &'static str {
        match self {
            NameRule::StackName => "CloudFormation stack",
            NameRule::S3Bucket => "S3 bucket",
            NameRule::SageMakerName => "SageMaker",
            NameRule::CodeCommitRepository => "CodeCommit repository",
            NameRule::CodeBuildProject => "CodeBuild project",
            NameRule::CodePipelineName => "CodePipeline pipeline",
            NameRule::IamRole => "IAM role",
            NameRule::EventsRule => "EventBridge rule",
            NameRule::SnsTopic => "SNS topic",
            NameRule::Dashboard => "CloudWatch dashboard",
            NameRule::LogGroup => "CloudWatch Logs log group",
            NameRule::KmsAlias => "KMS alias",
            NameRule::SecurityGroupName => "EC2 security group",
            NameRule::SsmParameter => "SSM parameter",
        }
    }

    pub fn min_len(self) -> usize {
        match self {
            NameRule::S3Bucket => 3,
            NameRule::CodeBuildProject => 2,
            _ => 1,
        }
    }

    /// The characters the service accepts, for messages and the names table.
    pub fn charset(self) -> &'static str {
        match self {
            NameRule::StackName => "letters, digits, hyphens; starts with a letter",
            NameRule::S3Bucket => {
                "lowercase letters, digits, hyphens, dots; starts and ends with a letter or digit"
            }
            NameRule::SageMakerName => "letters, digits, hyphens; no leading or trailing hyphen",
            NameRule::CodeCommitRepository => "letters, digits, _ . -",
            NameRule::CodeBuildProject => "letters, digits, _ -; starts with a letter or digit",
            NameRule::CodePipelineName => "letters, digits, . @ _ -",
            NameRule::IamRole => "letters, digits, + = , . @ _ -",
            NameRule::EventsRule => "letters, digits, . _ -",
            NameRule::SnsTopic | NameRule::Dashboard => "letters, digits, _ -",
            NameRule::LogGroup => "letters, digits, . _ - / #",
            NameRule::KmsAlias => "alias/ then letters, digits, / _ -",
            NameRule::SecurityGroupName => {
                "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*; not starting with sg-"
            }
            NameRule::SsmParameter => "letters, digits, _ . - /; at most 15 levels",
        }
    }

    /// Checks a name against the length and character rules; returns the problem.
    pub fn check(self, name: &str) -> Option<Problem> {
        let length = name.chars().count();
        if length > self.max_len() {
            Some(Problem::TooLong {
                length,
                limit: self.max_len(),
            })
        } else if length < self.min_len() {
            Some(Problem::TooShort {
                length,
                limit: self.min_len(),
            })
        } else {
            self.check_chars(name).err().map(Problem::Invalid)
        }
    }

    /// Checks the character rules (not the length); returns what is wrong.
    fn check_chars(self, name: &str) -> Result<(), String> {
        let only = |extra: &str| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
        };
        let ok = match self {
            NameRule::StackName => name.starts_with(|c: char| c.is_ascii_alphabetic()) && only("-"),
            NameRule::S3Bucket => {
                return check_bucket_name(name);
            }
            NameRule::SageMakerName => only("-") && !name.starts_with('-') && !name.ends_with('-'),
            NameRule::CodeCommitRepository => only("_.-") && !name.ends_with(".git"),
            NameRule::CodeBuildProject => {
                name.starts_with(|c: char| c.is_ascii_alphanumeric()) && only("_-")
            }
            NameRule::CodePipelineName => only(".@_-"),
            NameRule::IamRole => only("+=,.@_-"),
            NameRule::EventsRule => only("._-"),
            NameRule::SnsTopic | NameRule::Dashboard => only("_-"),
            NameRule::LogGroup => only("._-/#"),
            NameRule::KmsAlias => {
                name.starts_with("alias/") && !name.starts_with("alias/aws/") && only("/_-")
            }
            NameRule::SecurityGroupName => {
                !name.starts_with("sg-") && only(" ._-:/()#,@[]+=&;{}!$*")
            }
            NameRule::SsmParameter => {
                name.starts_with('/')
                    && name.split('/').count() - 1 <= 15
                    && only("_.-/")
                    && !name[1..].to_ascii_lowercase().starts_with("aws")
                    && !name[1..].to_ascii_lowercase().starts_with("ssm")
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!("allowed: {}", self.charset()))
        }
    }
}

/// S3 bucket naming rules (general purpose buckets).
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !valid_chars {
        return Err("only lowercase letters, digits, hyphens and dots are allowed".to_owned());
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
        return Err("it must start and end with a lowercase letter or digit".to_owned());
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        return Err("dots may not be next to each other or to a hyphen".to_owned());
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err("it may not look like an IP address".to_owned());
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return Err(format!("the prefix '{prefix}' is reserved by S3"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            return Err(format!("the suffix '{suffix}' is reserved by S3"));
        }
    }
    Ok(())
}

/// How one resource type is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameSpec {
    pub base: Base,
    pub suffix: &'static str,
    pub rule: NameRule,
    /// What the resource is, for messages ("artifact bucket").
    pub what: &'static str,
}

/// Every named thing the tool creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Stack,
    ArtifactBucket,
    ModelPackageGroup,
    BuildRepository,
    DeployRepository,
    BuildProject,
    DeployProject,
    BuildPipeline,
    DeployPipeline,
    CodeBuildRole,
    CodePipelineRole,
    SageMakerRole,
    EventsRole,
    ApprovalRule,
    SourceRule,
    FailureRule,
    AlertsTopic,
    Dashboard,
    ComplianceLogGroup,
    KmsAlias,
    EndpointSecurityGroup,
    SsmParameter,
}

/// The longest SSM parameter key the stack publishes (see the catalog).
pub const LONGEST_SSM_KEY: &str = "VpcEndpointIdSagemakerRuntime";

impl NameKind {
    pub const ALL: &'static [NameKind] = &[
        NameKind::Stack,
        NameKind::ArtifactBucket,
        NameKind::ModelPackageGroup,
        NameKind::BuildRepository,
        NameKind::DeployRepository,
        NameKind::BuildProject,
        NameKind::DeployProject,
        NameKind::BuildPipeline,
        NameKind::DeployPipeline,
        NameKind::CodeBuildRole,
        NameKind::CodePipelineRole,
        NameKind::SageMakerRole,
        NameKind::EventsRole,
        NameKind::ApprovalRule,
        NameKind::SourceRule,
        NameKind::FailureRule,
        NameKind::AlertsTopic,
        NameKind::Dashboard,
        NameKind::ComplianceLogGroup,
        NameKind::KmsAlias,
        NameKind::EndpointSecurityGroup,
        NameKind::SsmParameter,
    ];

    pub fn spec(self) -> NameSpec {
        use Base::{Full, MlName, Short};
        let (base, suffix, rule, what) = match self {
            NameKind::Stack => (
                MlName { prefix: "" },
                "-stack",
                NameRule::StackName,
                "CloudFormation stack",
            ),
            NameKind::ArtifactBucket => (Short, "-art", NameRule::S3Bucket, "artifact bucket"),
            NameKind::ModelPackageGroup => (
                Short,
                "-models",
                NameRule::SageMakerName,
                "model package group",
            ),
            NameKind::BuildRepository => (
                Full,
                "-model-build",
                NameRule::CodeCommitRepository,
                "model-build repository",
            ),
            NameKind::DeployRepository => (
                Full,
                "-model-deploy",
                NameRule::CodeCommitRepository,
                "model-deploy repository",
            ),
            NameKind::BuildProject => (Full, "-build", NameRule::CodeBuildProject, "build project"),
            NameKind::DeployProject => (
                Full,
                "-deploy",
                NameRule::CodeBuildProject,
                "deploy project",
            ),
            NameKind::BuildPipeline => (
                Full,
                "-build-pipeline",
                NameRule::CodePipelineName,
                "build pipeline",
            ),
            NameKind::DeployPipeline => (
                Full,
                "-deploy-pipeline",
                NameRule::CodePipelineName,
                "deploy pipeline",
            ),
            NameKind::CodeBuildRole => (Short, "-cb-role", NameRule::IamRole, "CodeBuild role"),
            NameKind::CodePipelineRole => {
                (Short, "-cp-role", NameRule::IamRole, "CodePipeline role")
            }
            NameKind::SageMakerRole => (
                Short,
                "-sm-role",
                NameRule::IamRole,
                "SageMaker execution role",
            ),
            NameKind::EventsRole => (Short, "-eb-role", NameRule::IamRole, "EventBridge role"),
            NameKind::ApprovalRule => (
                Short,
                "-approved",
                NameRule::EventsRule,
                "model-approval rule",
            ),
            NameKind::SourceRule => (
                Short,
                "-src-push",
                NameRule::EventsRule,
                "source-change rule",
            ),
            NameKind::FailureRule => (
                Short,
                "-failed",
                NameRule::EventsRule,
                "pipeline-failure rule",
            ),
            NameKind::AlertsTopic => (Full, "-alerts", NameRule::SnsTopic, "alerts topic"),
            NameKind::Dashboard => (Full, "-dashboard", NameRule::Dashboard, "dashboard"),
            NameKind::ComplianceLogGroup => (
                MlName { prefix: "/ml/" },
                "/compliance",
                NameRule::LogGroup,
                "compliance log group",
            ),
            NameKind::KmsAlias => (
                MlName { prefix: "alias/" },
                "",
                NameRule::KmsAlias,
                "KMS key alias",
            ),
            NameKind::EndpointSecurityGroup => (
                Full,
                "-endpoints-sg",
                NameRule::SecurityGroupName,
                "endpoint security group",
            ),
            NameKind::SsmParameter => (
                MlName { prefix: "/ml/" },
                "/VpcEndpointIdSagemakerRuntime",
                NameRule::SsmParameter,
                "longest SSM parameter",
            ),
        };
        NameSpec {
            base,
            suffix,
            rule,
            what,
        }
    }
}

/// Builds names for one product, optionally for a test deploy.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    pub parts: NameParts<'a>,
    pub test: Option<&'a TestSuffix>,
}

impl<'a> Names<'a> {
    pub fn new(parts: NameParts<'a>, test: Option<&'a TestSuffix>) -> Self {
        Names { parts, test }
    }

    fn base(&self, with_region: bool) -> String {
        let p = &self.parts;
        let mut out = String::with_capacity(80);
        out.push_str(p.company_prefix);
        for part in [p.env, p.tenant_id] {
            out.push('-');
            out.push_str(part);
        }
        if with_region {
            out.push('-');
            out.push_str(p.region);
        }
        out.push('-');
        out.push_str(p.use_case);
        if let Some(workload) = p.workload {
            out.push('-');
            out.push_str(workload);
        }
        if let Some(test) = self.test {
            out.push('-');
            out.push_str(test.as_str());
        }
        out
    }

    /// `{company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}][-{test}]`
    pub fn full_base(&self) -> String {
        self.base(true)
    }

    /// The full base without the region.
    pub fn short_base(&self) -> String {
        self.base(false)
    }

    /// The product's identity: `{full base}-ml`.
    pub fn ml_name(&self) -> String {
        format!("{}-ml", self.full_base())
    }

    pub fn stack_name(&self) -> String {
        self.physical(NameKind::Stack)
    }

    /// `/ml/{ml_name}/`, where the stack publishes its identifiers.
    pub fn ssm_prefix(&self) -> String {
        format!("/ml/{}/", self.ml_name())
    }

    pub fn physical(&self, kind: NameKind) -> String {
        let spec = kind.spec();
        match spec.base {
            Base::Full => self.full_base() + spec.suffix,
            Base::Short => self.short_base() + spec.suffix,
            Base::MlName { prefix } => format!("{prefix}{}{}", self.ml_name(), spec.suffix),
        }
    }
}

/// A derived name its service would reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameProblem {
    pub kind: NameKind,
    pub name: String,
    pub test_deploy: bool,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    TooLong { length: usize, limit: usize },
    TooShort { length: usize, limit: usize },
    Invalid(String),
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.kind.spec();
        let which = if self.test_deploy {
            " (test deploy)"
        } else {
            ""
        };
        match &self.problem {
            Problem::TooLong { length, limit } => write!(
                f,
                "the {}{which} name '{}' is {length} characters; {} names allow at most {limit}",
                spec.what,
                self.name,
                spec.rule.service()
            ),
            Problem::TooShort { length, limit } => write!(
                f,
                "the {}{which} name '{}' is {length} characters; {} names need at least {limit}",
                spec.what,
                self.name,
                spec.rule.service()
            ),
            Problem::Invalid(why) => write!(
                f,
                "the {}{which} name '{}' is not valid: {why}",
                spec.what, self.name
            ),
        }
    }
}

/// Checks every derived name, for the normal deploy and for a test deploy.
pub fn check_names(parts: NameParts<'_>) -> Vec<NameProblem> {
    check_names_of(parts, NameKind::ALL)
}

/// Checks the derived names of `kinds` only (the ones a config's tier and options create).
pub fn check_names_of(parts: NameParts<'_>, kinds: &[NameKind]) -> Vec<NameProblem> {
    let placeholder = TestSuffix::placeholder();
    let mut problems = Vec::new();
    for (names, test_deploy) in [
        (Names::new(parts, None), false),
        (Names::new(parts, Some(&placeholder)), true),
    ] {
        for &kind in kinds {
            let name = names.physical(kind);
            let problem = kind.spec().rule.check(&name);
            if let Some(problem) = problem {
                // A test-deploy problem that the normal name already has adds nothing.
                let repeat = test_deploy
                    && problems
                        .iter()
                        .any(|p: &NameProblem| p.kind == kind && !p.test_deploy);
                if !repeat {
                    problems.push(NameProblem {
                        kind,
                        name,
                        test_deploy,
                        problem,
                    });
                }
            }
        }
    }
    problems
}

/// Default SSM paths of the suite's VPC and SG provisioners for these parts.
pub fn default_vpc_id_parameter(parts: &NameParts<'_>) -> String {
    format!("/vpc/{}/VPCId", suite_stem(parts, "vpc"))
}

pub fn default_subnet_ids_parameter(parts: &NameParts<'_>) -> String {
    format!("/vpc/{}/PrivateSubnetIds", suite_stem(parts, "vpc"))
}

pub fn default_security_group_id_parameter(parts: &NameParts<'_>) -> String {
    format!("/sg/{}/app/SecurityGroupId", suite_stem(parts, "sg"))
}

fn suite_stem(parts: &NameParts<'_>, kind: &str) -> String {
    format!(
        "{}-{}-{}-{}-{kind}",
        parts.company_prefix, parts.env, parts.tenant_id, parts.region
    )
}
