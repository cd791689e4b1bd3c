//! Names (PRODUCT.md §4): `ml_name`, the stack name, every physical name and the test-deploy
//! variants, each checked against its service's length and character rules.
//!
//! The names table — which pattern each resource type uses and why — is [`NameKind::ALL`] with
//! [`NameKind::spec`]; `docs/names.md` renders it for users.
//!
//! Names in a namespace wider than one region ([`GLOBAL_KINDS`]) differ between regions and
//! accounts: IAM roles carry the region's short code (their namespace is the account), the
//! artifact bucket ends in 8 hex digits of the stack's id (its namespace is every account of the
//! partition, and nobody can predict that part before the stack exists, so nobody can take the
//! name first), and the dashboard carries the full region.

use std::fmt::{self, Write as _};

use sha2::{Digest as _, Sha256};

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

/// The random part of a test deploy: four lowercase letters or digits (36⁴ ≈ 1.7 million values),
/// written after the base with a double hyphen (`{base}--k3x9`). No production base contains
/// `--` (the config's patterns allow single hyphens only), so no product's production names read
/// as another's test deploy (docs/names.md). The caller supplies the randomness (the core has
/// none). Four, not more: the longest shipped example's test-deploy bucket name is then exactly
/// S3's 63 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSuffix(String);

impl TestSuffix {
    /// Length of the suffix itself (the separator before it is added when names are built).
    pub const LEN: usize = 4;

    /// What joins a base and its test suffix: a double hyphen, which no base contains.
    pub const SEPARATOR: &'static str = "--";

    /// Builds a suffix from four random lowercase letters or digits.
    pub fn new(random: &str) -> Option<TestSuffix> {
        (random.len() == Self::LEN
            && random
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        .then(|| TestSuffix(random.to_owned()))
    }

    /// A suffix of the real length, used to check that test-deploy names will fit.
    pub fn placeholder() -> TestSuffix {
        TestSuffix("0000".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The IAM wildcard that matches every test suffix (`????`): names built with it are the
    /// patterns of every test deploy's names. For policies only; never deployed.
    pub fn wildcard() -> TestSuffix {
        TestSuffix("????".to_owned())
    }
}

/// Which stem a name is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// `{company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}][--{test}]`
    Full,
    /// The full base without the region, for services whose limit the full base cannot meet.
    Short,
    /// The full base with the region written as its short code (`us-west-2` → `usw2`), for
    /// account-global names whose limit the full base cannot meet (IAM roles).
    Compact,
    /// Inside the product's `ml_name`: `{prefix}{ml_name}{suffix}`.
    MlName { prefix: &'static str },
    /// `{company_prefix}{suffix}-{8 hex digits of the SHA-256 of the short base}[--{test}]`: for
    /// a second bucket, where the short base already fills the artifact bucket's 63 characters.
    /// The digest is of the production short base, so a test deploy's pattern keeps it.
    Digest,
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
    /// The name ends in `-` and the first 8 hex digits of the stack's id (see
    /// [`STACK_ID_PART_LEN`]): unique per stack, unknown to anyone before the stack exists.
    pub stack_unique: bool,
    pub rule: NameRule,
    /// What the resource is, for messages ("artifact bucket").
    pub what: &'static str,
}

/// The SSM parameters the stack publishes under `/ml/{ml_name}/` (PRODUCT.md §5). Which ones a
/// config's stack publishes is the catalog's question; this is only what they are called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamKey {
    ModelPackageGroupArn,
    RepositoryUrl,
    BucketName,
    DashboardName,
    KmsKeyArn,
    LogGroupName,
    VpcEndpointIdSagemakerApi,
    VpcEndpointIdSagemakerRuntime,
    VpcEndpointIdS3,
    VpcEndpointIdSts,
    SecurityGroupId,
}

impl ParamKey {
    pub const ALL: [ParamKey; 11] = [
        ParamKey::ModelPackageGroupArn,
        ParamKey::RepositoryUrl,
        ParamKey::BucketName,
        ParamKey::DashboardName,
        ParamKey::KmsKeyArn,
        ParamKey::LogGroupName,
        ParamKey::VpcEndpointIdSagemakerApi,
        ParamKey::VpcEndpointIdSagemakerRuntime,
        ParamKey::VpcEndpointIdS3,
        ParamKey::VpcEndpointIdSts,
        ParamKey::SecurityGroupId,
    ];

    /// The key: the last level of the parameter's path.
    pub fn key(self) -> &'static str {
        self.table().0
    }

    /// The path below `/ml/{ml_name}` (`/ModelPackageGroupArn`).
    pub fn path_suffix(self) -> &'static str {
        self.table().1
    }

    /// The template's logical id of the parameter (`ParamModelPackageGroupArn`).
    pub fn logical_id(self) -> &'static str {
        self.table().2
    }

    /// What the parameter holds, for people.
    pub fn what(self) -> &'static str {
        self.table().3
    }

    fn table(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            ParamKey::ModelPackageGroupArn => (
                "ModelPackageGroupArn",
                "/ModelPackageGroupArn",
                "ParamModelPackageGroupArn",
                "model registry ARN",
            ),
            ParamKey::RepositoryUrl => (
                "RepositoryUrl",
                "/RepositoryUrl",
                "ParamRepositoryUrl",
                "model-build repository clone URL (HTTPS)",
            ),
            ParamKey::BucketName => (
                "BucketName",
                "/BucketName",
                "ParamBucketName",
                "artifact bucket name",
            ),
            ParamKey::DashboardName => (
                "DashboardName",
                "/DashboardName",
                "ParamDashboardName",
                "CloudWatch dashboard name",
            ),
            ParamKey::KmsKeyArn => (
                "KmsKeyArn",
                "/KmsKeyArn",
                "ParamKmsKeyArn",
                "customer-managed KMS key ARN",
            ),
            ParamKey::LogGroupName => (
                "LogGroupName",
                "/LogGroupName",
                "ParamLogGroupName",
                "compliance log group name",
            ),
            ParamKey::VpcEndpointIdSagemakerApi => (
                "VpcEndpointIdSagemakerApi",
                "/VpcEndpointIdSagemakerApi",
                "ParamVpcEndpointIdSagemakerApi",
                "SageMaker API interface endpoint id",
            ),
            ParamKey::VpcEndpointIdSagemakerRuntime => (
                "VpcEndpointIdSagemakerRuntime",
                "/VpcEndpointIdSagemakerRuntime",
                "ParamVpcEndpointIdSagemakerRuntime",
                "SageMaker runtime interface endpoint id",
            ),
            ParamKey::VpcEndpointIdS3 => (
                "VpcEndpointIdS3",
                "/VpcEndpointIdS3",
                "ParamVpcEndpointIdS3",
                "S3 gateway endpoint id",
            ),
            ParamKey::VpcEndpointIdSts => (
                "VpcEndpointIdSts",
                "/VpcEndpointIdSts",
                "ParamVpcEndpointIdSts",
                "STS interface endpoint id",
            ),
            ParamKey::SecurityGroupId => (
                "SecurityGroupId",
                "/SecurityGroupId",
                "ParamSecurityGroupId",
                "endpoint security group id",
            ),
        }
    }
}

/// Every named thing the tool creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Stack,
    ArtifactBucket,
    AccessLogBucket,
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
    /// A published SSM parameter, `/ml/{ml_name}/{key}`.
    Parameter(ParamKey),
}

/// How many hex digits of the stack id a [`NameSpec::stack_unique`] name ends in: the first
/// group of the id's UUID.
pub const STACK_ID_PART_LEN: usize = 8;

/// How a stack-unique part is shown where the name is not known yet (`show-product`, reports).
pub const STACK_ID_PART_SHOWN: &str = "{stack-id}";

/// Names in a namespace wider than one region: the bucket (all accounts of a partition), IAM
/// roles and the dashboard (the account). The same product in two regions or two accounts must
/// give them different names (a test checks every example).
pub const GLOBAL_KINDS: [NameKind; 7] = [
    NameKind::ArtifactBucket,
    NameKind::AccessLogBucket,
    NameKind::CodeBuildRole,
    NameKind::CodePipelineRole,
    NameKind::SageMakerRole,
    NameKind::EventsRole,
    NameKind::Dashboard,
];

impl NameKind {
    pub const ALL: &'static [NameKind] = &[
        NameKind::Stack,
        NameKind::ArtifactBucket,
        NameKind::AccessLogBucket,
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
        NameKind::Parameter(ParamKey::ModelPackageGroupArn),
        NameKind::Parameter(ParamKey::RepositoryUrl),
        NameKind::Parameter(ParamKey::BucketName),
        NameKind::Parameter(ParamKey::DashboardName),
        NameKind::Parameter(ParamKey::KmsKeyArn),
        NameKind::Parameter(ParamKey::LogGroupName),
        NameKind::Parameter(ParamKey::VpcEndpointIdSagemakerApi),
        NameKind::Parameter(ParamKey::VpcEndpointIdSagemakerRuntime),
        NameKind::Parameter(ParamKey::VpcEndpointIdS3),
        NameKind::Parameter(ParamKey::VpcEndpointIdSts),
        NameKind::Parameter(ParamKey::SecurityGroupId),
    ];

    pub fn spec(self) -> NameSpec {
        use Base::{Compact, Digest, Full, MlName, Short};
        let (base, suffix, rule, what) = match self {
            NameKind::Stack => (
                MlName { prefix: "" },
                "-stack",
                NameRule::StackName,
                "CloudFormation stack",
            ),
            NameKind::ArtifactBucket => (Short, "", NameRule::S3Bucket, "artifact bucket"),
            NameKind::AccessLogBucket => (Digest, "-logs", NameRule::S3Bucket, "access-log bucket"),
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
            NameKind::CodeBuildRole => (Compact, "-cb", NameRule::IamRole, "CodeBuild role"),
            NameKind::CodePipelineRole => (Compact, "-cp", NameRule::IamRole, "CodePipeline role"),
            NameKind::SageMakerRole => (
                Compact,
                "-sm",
                NameRule::IamRole,
                "SageMaker execution role",
            ),
            NameKind::EventsRole => (Compact, "-eb", NameRule::IamRole, "EventBridge role"),
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
            NameKind::Parameter(key) => (
                MlName { prefix: "/ml/" },
                key.path_suffix(),
                NameRule::SsmParameter,
                "SSM parameter",
            ),
        };
        NameSpec {
            base,
            suffix,
            stack_unique: matches!(self, NameKind::ArtifactBucket | NameKind::AccessLogBucket),
            rule,
            what,
        }
    }
}

/// A physical name: fixed text, and for a [`NameSpec::stack_unique`] kind a last part that only
/// the stack knows (`-` and the first 8 hex digits of its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhysicalName {
    pub fixed: String,
    pub stack_unique: bool,
}

impl PhysicalName {
    /// The name as people read it before deploying (`…-{stack-id}`).
    pub fn shown(&self) -> String {
        if self.stack_unique {
            format!("{}-{STACK_ID_PART_SHOWN}", self.fixed)
        } else {
            self.fixed.clone()
        }
    }

    /// A name of the real length and character set, for the service-rule checks.
    pub fn sample(&self) -> String {
        self.with_part(&"0".repeat(STACK_ID_PART_LEN))
    }

    /// The IAM pattern that matches exactly the names this can take (`?` per unknown character).
    pub fn pattern(&self) -> String {
        self.with_part(&"?".repeat(STACK_ID_PART_LEN))
    }

    fn with_part(&self, part: &str) -> String {
        if self.stack_unique {
            format!("{}-{part}", self.fixed)
        } else {
            self.fixed.clone()
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

    fn base(&self, region: Region) -> String {
        let p = &self.parts;
        let mut out = String::with_capacity(80);
        out.push_str(p.company_prefix);
        for part in [p.env, p.tenant_id] {
            out.push('-');
            out.push_str(part);
        }
        match region {
            Region::Left => {}
            Region::Full => {
                out.push('-');
                out.push_str(p.region);
            }
            Region::Code => {
                out.push('-');
                out.push_str(&crate::regions::short_code(p.region));
            }
        }
        out.push('-');
        out.push_str(p.use_case);
        if let Some(workload) = p.workload {
            out.push('-');
            out.push_str(workload);
        }
        if let Some(test) = self.test {
            out.push_str(TestSuffix::SEPARATOR);
            out.push_str(test.as_str());
        }
        out
    }

    /// `{company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}][--{test}]`
    pub fn full_base(&self) -> String {
        self.base(Region::Full)
    }

    /// The full base without the region.
    pub fn short_base(&self) -> String {
        self.base(Region::Left)
    }

    /// The full base with the region's short code.
    pub fn compact_base(&self) -> String {
        self.base(Region::Code)
    }

    /// The product's identity: `{full base}-ml`.
    pub fn ml_name(&self) -> String {
        format!("{}-ml", self.full_base())
    }

    pub fn stack_name(&self) -> String {
        self.name(NameKind::Stack).fixed
    }

    /// `/ml/{ml_name}/`, where the stack publishes its identifiers.
    pub fn ssm_prefix(&self) -> String {
        format!("/ml/{}/", self.ml_name())
    }

    /// The physical name of `kind`.
    pub fn name(&self, kind: NameKind) -> PhysicalName {
        let spec = kind.spec();
        let fixed = match spec.base {
            Base::Full => self.full_base() + spec.suffix,
            Base::Short => self.short_base() + spec.suffix,
            Base::Compact => self.compact_base() + spec.suffix,
            Base::MlName { prefix } => format!("{prefix}{}{}", self.ml_name(), spec.suffix),
            Base::Digest => {
                let production = Names::new(self.parts, None).short_base();
                let digest = Sha256::digest(production.as_bytes());
                let mut out = format!("{}{}-", self.parts.company_prefix, spec.suffix);
                for byte in &digest[..4] {
                    let _ = write!(out, "{byte:02x}");
                }
                if let Some(test) = self.test {
                    out.push_str(TestSuffix::SEPARATOR);
                    out.push_str(test.as_str());
                }
                out
            }
        };
        PhysicalName {
            fixed,
            stack_unique: spec.stack_unique,
        }
    }

    /// The physical name of `kind` as people read it before deploying (see
    /// [`PhysicalName::shown`]).
    pub fn physical(&self, kind: NameKind) -> String {
        self.name(kind).shown()
    }
}

/// Where a base puts the region.
#[derive(Clone, Copy)]
enum Region {
    Left,
    Full,
    Code,
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
            let name = names.name(kind).sample();
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
