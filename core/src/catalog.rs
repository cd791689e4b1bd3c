//! The product catalog: the three tiers, and for one config the resources it gets — logical id,
//! CloudFormation type, physical name and why it is there. `show-product`, the template
//! generator and the report all read this one list.

use crate::config::{Config, SourceControl, Tier, VpcMode};
use crate::names::{NameKind, Names, ParamKey};

/// One line per tier for `list-products`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierInfo {
    pub tier: Tier,
    pub summary: &'static str,
}

/// How long the enterprise tier keeps audit data: the compliance log group's retention and the
/// access logs' expiry.
pub const AUDIT_RETENTION_DAYS: u32 = 365;

/// How long the artifact bucket keeps a replaced or deleted artifact's old version.
pub const NONCURRENT_ARTIFACT_DAYS: u32 = 90;

pub const TIERS: [TierInfo; 3] = [
    TierInfo {
        tier: Tier::Starter,
        summary: "model registry, CodeCommit or S3 source, CodeBuild build and deploy projects, build and deploy pipelines (deploy starts on model approval), least-privilege roles, encrypted artifact bucket",
    },
    TierInfo {
        tier: Tier::Professional,
        summary: "starter plus an SNS alerts topic with e-mail subscription, pipeline-failure notifications and a CloudWatch dashboard",
    },
    TierInfo {
        tier: Tier::Enterprise,
        summary: "professional plus a customer-managed KMS key, a compliance log group, private VPC endpoints (SageMaker API and runtime, STS, S3) and CodeBuild inside your VPC",
    },
];

/// A resource's logical id in the template: a type, so that every question about a resource
/// (its CloudFormation type, its physical name, the role it is handed) is answered in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceId {
    ModelPackageGroup,
    ModelBuildRepository,
    ModelDeployRepository,
    KmsKey,
    KmsKeyAlias,
    AccessLogBucket,
    AccessLogBucketPolicy,
    ArtifactBucket,
    ArtifactBucketPolicy,
    CodeBuildRole,
    CodePipelineRole,
    SageMakerExecutionRole,
    EventBridgeRole,
    ModelBuildProject,
    ModelDeployProject,
    ModelBuildPipeline,
    ModelDeployPipeline,
    SourceChangeRule,
    ModelApprovedRule,
    AlertsTopic,
    AlertsTopicPolicy,
    AlertsSubscription,
    PipelineFailureRule,
    Dashboard,
    ComplianceLogGroup,
    EndpointSecurityGroup,
    EndpointSecurityGroupIngress,
    SageMakerApiEndpoint,
    SageMakerRuntimeEndpoint,
    StsEndpoint,
    S3GatewayEndpoint,
    /// A published SSM parameter.
    Param(ParamKey),
}

impl ResourceId {
    /// The logical id in the template.
    pub fn logical_id(self) -> &'static str {
        self.table().0
    }

    /// The CloudFormation resource type.
    pub fn resource_type(self) -> &'static str {
        self.table().1
    }

    /// Whether it holds data a replacement would destroy: the repositories (the model code),
    /// the model registry (its model packages), the KMS key (what it encrypted), the compliance
    /// log group and the two buckets. The template gives these `UpdateReplacePolicy: Retain` and
    /// an explicit `DeletionPolicy` (see [`ResourceId::retained_on_delete`]; docs/decisions.md,
    /// issue 12).
    pub fn holds_data(self) -> bool {
        use ResourceId as R;
        matches!(
            self,
            R::ModelPackageGroup
                | R::ModelBuildRepository
                | R::ModelDeployRepository
                | R::KmsKey
                | R::ComplianceLogGroup
                | R::AccessLogBucket
                | R::ArtifactBucket
        )
    }

    /// Whether deleting the stack leaves it behind (`DeletionPolicy: Retain`): a production
    /// stack's access-log bucket, audit evidence of who read the artifacts, which must outlive
    /// the product; its name ends in the stack id, so it never blocks the next deploy. A test
    /// deploy's stack deletes it, so test runs leave nothing behind (docs/decisions.md). The
    /// template, `delete-product` and the operator policy all ask this.
    pub fn retained_on_delete(self, test_deploy: bool) -> bool {
        self == ResourceId::AccessLogBucket && !test_deploy
    }

    /// The bucket a bucket policy protects (`None`: not a bucket policy).
    pub fn policy_bucket(self) -> Option<ResourceId> {
        match self {
            ResourceId::AccessLogBucketPolicy => Some(ResourceId::AccessLogBucket),
            ResourceId::ArtifactBucketPolicy => Some(ResourceId::ArtifactBucket),
            _ => None,
        }
    }

    /// Whether `delete-product` empties it before deleting the stack: every bucket the stack
    /// deletes (CloudFormation cannot delete a bucket that holds objects).
    pub fn emptied_on_delete(self, test_deploy: bool) -> bool {
        self.resource_type() == "AWS::S3::Bucket" && !self.retained_on_delete(test_deploy)
    }

    /// The resource a stack's logical id names, among everything any config's stack creates.
    pub fn from_logical_id(logical_id: &str) -> Option<ResourceId> {
        Shape::possible(None, None, None)
            .into_iter()
            .flat_map(Shape::resources)
            .find(|id| id.logical_id() == logical_id)
    }

    /// The kind of physical name the template gives it (`None`: AWS generates its id).
    pub fn name_kind(self) -> Option<NameKind> {
        self.table().2
    }

    fn table(self) -> (&'static str, &'static str, Option<NameKind>) {
        use ResourceId as R;
        match self {
            R::ModelPackageGroup => (
                "ModelPackageGroup",
                "AWS::SageMaker::ModelPackageGroup",
                Some(NameKind::ModelPackageGroup),
            ),
            R::ModelBuildRepository => (
                "ModelBuildRepository",
                "AWS::CodeCommit::Repository",
                Some(NameKind::BuildRepository),
            ),
            R::ModelDeployRepository => (
                "ModelDeployRepository",
                "AWS::CodeCommit::Repository",
                Some(NameKind::DeployRepository),
            ),
            R::KmsKey => ("KmsKey", "AWS::KMS::Key", None),
            R::KmsKeyAlias => ("KmsKeyAlias", "AWS::KMS::Alias", Some(NameKind::KmsAlias)),
            R::AccessLogBucket => (
                "AccessLogBucket",
                "AWS::S3::Bucket",
                Some(NameKind::AccessLogBucket),
            ),
            R::AccessLogBucketPolicy => ("AccessLogBucketPolicy", "AWS::S3::BucketPolicy", None),
            R::ArtifactBucket => (
                "ArtifactBucket",
                "AWS::S3::Bucket",
                Some(NameKind::ArtifactBucket),
            ),
            R::ArtifactBucketPolicy => ("ArtifactBucketPolicy", "AWS::S3::BucketPolicy", None),
            R::CodeBuildRole => (
                "CodeBuildRole",
                "AWS::IAM::Role",
                Some(NameKind::CodeBuildRole),
            ),
            R::CodePipelineRole => (
                "CodePipelineRole",
                "AWS::IAM::Role",
                Some(NameKind::CodePipelineRole),
            ),
            R::SageMakerExecutionRole => (
                "SageMakerExecutionRole",
                "AWS::IAM::Role",
                Some(NameKind::SageMakerRole),
            ),
            R::EventBridgeRole => (
                "EventBridgeRole",
                "AWS::IAM::Role",
                Some(NameKind::EventsRole),
            ),
            R::ModelBuildProject => (
                "ModelBuildProject",
                "AWS::CodeBuild::Project",
                Some(NameKind::BuildProject),
            ),
            R::ModelDeployProject => (
                "ModelDeployProject",
                "AWS::CodeBuild::Project",
                Some(NameKind::DeployProject),
            ),
            R::ModelBuildPipeline => (
                "ModelBuildPipeline",
                "AWS::CodePipeline::Pipeline",
                Some(NameKind::BuildPipeline),
            ),
            R::ModelDeployPipeline => (
                "ModelDeployPipeline",
                "AWS::CodePipeline::Pipeline",
                Some(NameKind::DeployPipeline),
            ),
            R::SourceChangeRule => (
                "SourceChangeRule",
                "AWS::Events::Rule",
                Some(NameKind::SourceRule),
            ),
            R::ModelApprovedRule => (
                "ModelApprovedRule",
                "AWS::Events::Rule",
                Some(NameKind::ApprovalRule),
            ),
            R::AlertsTopic => (
                "AlertsTopic",
                "AWS::SNS::Topic",
                Some(NameKind::AlertsTopic),
            ),
            R::AlertsTopicPolicy => ("AlertsTopicPolicy", "AWS::SNS::TopicPolicy", None),
            R::AlertsSubscription => ("AlertsSubscription", "AWS::SNS::Subscription", None),
            R::PipelineFailureRule => (
                "PipelineFailureRule",
                "AWS::Events::Rule",
                Some(NameKind::FailureRule),
            ),
            R::Dashboard => (
                "Dashboard",
                "AWS::CloudWatch::Dashboard",
                Some(NameKind::Dashboard),
            ),
            R::ComplianceLogGroup => (
                "ComplianceLogGroup",
                "AWS::Logs::LogGroup",
                Some(NameKind::ComplianceLogGroup),
            ),
            R::EndpointSecurityGroup => (
                "EndpointSecurityGroup",
                "AWS::EC2::SecurityGroup",
                Some(NameKind::EndpointSecurityGroup),
            ),
            R::EndpointSecurityGroupIngress => (
                "EndpointSecurityGroupIngress",
                "AWS::EC2::SecurityGroupIngress",
                None,
            ),
            R::SageMakerApiEndpoint => ("SageMakerApiEndpoint", "AWS::EC2::VPCEndpoint", None),
            R::SageMakerRuntimeEndpoint => {
                ("SageMakerRuntimeEndpoint", "AWS::EC2::VPCEndpoint", None)
            }
            R::StsEndpoint => ("StsEndpoint", "AWS::EC2::VPCEndpoint", None),
            R::S3GatewayEndpoint => ("S3GatewayEndpoint", "AWS::EC2::VPCEndpoint", None),
            R::Param(key) => (
                key.logical_id(),
                "AWS::SSM::Parameter",
                Some(NameKind::Parameter(key)),
            ),
        }
    }
}

/// The choices of a config that decide which resources its stack gets. Where a choice is not
/// known (a config still being written), [`Shape::possible`] answers for every value it may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub tier: Tier,
    pub codecommit: bool,
    /// Enterprise with `mode: standalone` (the stack creates its endpoint security group).
    pub standalone_sg: bool,
}

impl Shape {
    pub fn of(config: &Config) -> Shape {
        Shape {
            tier: config.tier(),
            codecommit: config.product.source == SourceControl::CodeCommit,
            standalone_sg: matches!(
                config.product.vpc.as_ref().map(|v| &v.mode),
                Some(VpcMode::Standalone)
            ),
        }
    }

    /// Every shape that agrees with the choices known so far (`None`: unknown).
    pub fn possible(
        tier: Option<Tier>,
        codecommit: Option<bool>,
        standalone_sg: Option<bool>,
    ) -> Vec<Shape> {
        let either = |known: Option<bool>| match known {
            Some(value) => vec![value],
            None => vec![false, true],
        };
        let tiers = tier.map_or_else(|| Tier::ALL.to_vec(), |t| vec![t]);
        let mut out = Vec::new();
        for &tier in &tiers {
            for &codecommit in &either(codecommit) {
                for &standalone_sg in &either(standalone_sg) {
                    out.push(Shape {
                        tier,
                        codecommit,
                        standalone_sg: standalone_sg && tier == Tier::Enterprise,
                    });
                }
            }
        }
        out.dedup();
        out
    }

    /// The SSM parameters the stack publishes (PRODUCT.md §5), in template order.
    pub fn parameters(self) -> Vec<ParamKey> {
        use ParamKey as P;
        let mut out = vec![P::ModelPackageGroupArn];
        if self.codecommit {
            out.push(P::RepositoryUrl);
        }
        out.push(P::BucketName);
        if self.tier >= Tier::Professional {
            out.push(P::DashboardName);
        }
        if self.tier == Tier::Enterprise {
            out.extend([
                P::KmsKeyArn,
                P::LogGroupName,
                P::VpcEndpointIdSagemakerApi,
                P::VpcEndpointIdSagemakerRuntime,
                P::VpcEndpointIdS3,
                P::VpcEndpointIdSts,
            ]);
            if self.standalone_sg {
                out.push(P::SecurityGroupId);
            }
        }
        out
    }

    /// Every resource the stack creates, in template order: the one answer to "what does this
    /// tier (with these options) create".
    pub fn resources(self) -> Vec<ResourceId> {
        use ResourceId as R;
        let enterprise = self.tier == Tier::Enterprise;
        let mut out = vec![R::ModelPackageGroup];
        if self.codecommit {
            out.extend([R::ModelBuildRepository, R::ModelDeployRepository]);
        }
        if enterprise {
            out.extend([
                R::KmsKey,
                R::KmsKeyAlias,
                R::AccessLogBucket,
                R::AccessLogBucketPolicy,
            ]);
        }
        out.extend([
            R::ArtifactBucket,
            R::ArtifactBucketPolicy,
            R::CodeBuildRole,
            R::CodePipelineRole,
            R::SageMakerExecutionRole,
            R::EventBridgeRole,
            R::ModelBuildProject,
            R::ModelDeployProject,
            R::ModelBuildPipeline,
            R::ModelDeployPipeline,
            R::SourceChangeRule,
            R::ModelApprovedRule,
        ]);
        if self.tier >= Tier::Professional {
            out.extend([
                R::AlertsTopic,
                R::AlertsTopicPolicy,
                R::AlertsSubscription,
                R::PipelineFailureRule,
                R::Dashboard,
            ]);
        }
        if enterprise {
            out.push(R::ComplianceLogGroup);
            if self.standalone_sg {
                out.extend([R::EndpointSecurityGroup, R::EndpointSecurityGroupIngress]);
            }
            out.extend([
                R::SageMakerApiEndpoint,
                R::SageMakerRuntimeEndpoint,
                R::StsEndpoint,
                R::S3GatewayEndpoint,
            ]);
        }
        out.extend(self.parameters().into_iter().map(R::Param));
        out
    }
}

/// A resource the stack will create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedResource {
    pub id: ResourceId,
    /// The physical name the template sets, as people read it before deploying (see
    /// [`crate::names::PhysicalName::shown`]); `None` when AWS generates the id.
    pub physical_name: Option<String>,
    pub reason: String,
}

impl PlannedResource {
    pub fn logical_id(&self) -> &'static str {
        self.id.logical_id()
    }

    pub fn resource_type(&self) -> &'static str {
        self.id.resource_type()
    }
}

/// The parameters this config's stack publishes (PRODUCT.md §5).
pub fn published_parameters(config: &Config) -> Vec<ParamKey> {
    Shape::of(config).parameters()
}

/// Every resource the config's stack creates, in template order, with its name and why.
pub fn plan(config: &Config, names: &Names<'_>) -> Vec<PlannedResource> {
    Shape::of(config)
        .resources()
        .into_iter()
        .map(|id| PlannedResource {
            id,
            physical_name: id.name_kind().map(|kind| names.physical(kind)),
            reason: reason(id, config),
        })
        .collect()
}

/// Why a resource is there (tier or option), for `show-product`, the report and the app.
fn reason(id: ResourceId, config: &Config) -> String {
    use ResourceId as R;
    let enterprise = config.tier() == Tier::Enterprise;
    let all = |what: &str| format!("all tiers: {what}");
    let in_vpc = if enterprise {
        "; enterprise: runs inside your VPC"
    } else {
        ""
    };
    match id {
        R::ModelPackageGroup => {
            all("the model registry; approving a package here starts the deploy pipeline")
        }
        R::ModelBuildRepository => {
            "source_control codecommit: model-build source (training pipeline code)".to_owned()
        }
        R::ModelDeployRepository => {
            "source_control codecommit: model-deploy source (endpoint deployment code)".to_owned()
        }
        R::KmsKey => {
            "enterprise: customer-managed key (rotation on) for the bucket, topic, logs and builds"
                .to_owned()
        }
        R::KmsKeyAlias => "enterprise: a readable name for the key".to_owned(),
        R::AccessLogBucket => format!(
            "enterprise: receives the artifact bucket's S3 server access logs (who read or wrote which artifact), kept {AUDIT_RETENTION_DAYS} days; kept when the product is deleted, as audit evidence"
        ),
        R::AccessLogBucketPolicy => {
            "enterprise: lets S3 log delivery write the artifact bucket's logs, nothing else; denies requests without TLS"
                .to_owned()
        }
        R::ArtifactBucket => {
            let what = if enterprise {
                "all tiers (CodePipeline needs one); enterprise: KMS-encrypted, versioned, public access blocked, access logged"
            } else {
                "all tiers (CodePipeline needs one): encrypted, versioned, public access blocked"
            };
            format!(
                "{what}; the name ends in 8 hex digits of the stack id, so it is unique and nobody can take it first"
            )
        }
        R::ArtifactBucketPolicy => {
            all("denies every request to the artifact bucket that does not use TLS")
        }
        R::CodeBuildRole => all("role the build and deploy projects run as, scoped to this product"),
        R::CodePipelineRole => all("role both pipelines run as, scoped to this product"),
        R::SageMakerExecutionRole => {
            all("role SageMaker training, processing and endpoints run as")
        }
        R::EventBridgeRole => all("role EventBridge uses to start this product's pipelines"),
        R::ModelBuildProject => all(&format!(
            "runs the model-build step (SageMaker pipeline){in_vpc}"
        )),
        R::ModelDeployProject => all(&format!("deploys approved models to endpoints{in_vpc}")),
        R::ModelBuildPipeline => all("builds and trains from the model-build source"),
        R::ModelDeployPipeline => all("deploys from the model-deploy source"),
        R::SourceChangeRule => match config.product.source {
            SourceControl::CodeCommit => {
                "all tiers: starts the build pipeline on a push to the model-build repository"
            }
            SourceControl::S3 { .. } => {
                "source_control s3: starts the build pipeline when a new model-build archive lands under s3_prefix"
            }
        }
        .to_owned(),
        R::ModelApprovedRule => {
            all("starts the deploy pipeline when a model package in this group is approved")
        }
        R::AlertsTopic => {
            let kms = if enterprise { " (KMS-encrypted)" } else { "" };
            format!("professional+: pipeline-failure alerts{kms}")
        }
        R::AlertsTopicPolicy => {
            "professional+: lets EventBridge publish this product's alerts, nothing else".to_owned()
        }
        R::AlertsSubscription => {
            "professional+: e-mails alerts to alerts_email (confirm after the first deploy)"
                .to_owned()
        }
        R::PipelineFailureRule => {
            "professional+: sends a failed pipeline execution to the alerts topic".to_owned()
        }
        R::Dashboard => "professional+: pipeline and build health at a glance".to_owned(),
        R::ComplianceLogGroup => {
            format!("enterprise: build logs kept {AUDIT_RETENTION_DAYS} days for compliance (KMS)")
        }
        R::EndpointSecurityGroup => {
            "enterprise, mode standalone: for the endpoints and the CodeBuild projects; egress HTTPS only"
                .to_owned()
        }
        R::EndpointSecurityGroupIngress => {
            "enterprise, mode standalone: HTTPS to the endpoints from members of the group only (no 0.0.0.0/0)"
                .to_owned()
        }
        R::SageMakerApiEndpoint => {
            "enterprise: private interface endpoint for sagemaker.api".to_owned()
        }
        R::SageMakerRuntimeEndpoint => {
            "enterprise: private interface endpoint for sagemaker.runtime".to_owned()
        }
        R::StsEndpoint => "enterprise: private interface endpoint for sts".to_owned(),
        R::S3GatewayEndpoint => {
            let rtb = if config
                .product
                .vpc
                .as_ref()
                .is_some_and(|v| !v.route_table_ids.is_empty())
            {
                "; associated with route_table_ids"
            } else {
                "; route tables left to the network team (no route_table_ids)"
            };
            format!("enterprise: gateway endpoint for s3{rtb}")
        }
        R::Param(key) => format!("publishes the {} for downstream tools", key.what()),
    }
}
