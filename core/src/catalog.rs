//! The product catalog: the three tiers, and for one config the resources it gets — logical id,
//! CloudFormation type, physical name and why it is there. `show-product`, the template
//! generator and the report all read this one list.

use crate::config::{Config, SourceControl, Tier, VpcMode};
use crate::names::{NameKind, Names};

/// One line per tier for `list-products`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierInfo {
    pub tier: Tier,
    pub summary: &'static str,
}

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

/// A resource the stack will create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedResource {
    pub logical_id: String,
    pub resource_type: &'static str,
    /// The physical name the template sets, if the type takes one.
    pub physical_name: Option<String>,
    pub reason: String,
}

/// An SSM parameter the stack publishes under `/ml/{ml_name}/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedParameter {
    pub key: &'static str,
    pub what: &'static str,
}

/// The parameters this config's stack publishes (PRODUCT.md §5).
pub fn published_parameters(config: &Config) -> Vec<PublishedParameter> {
    let tier = config.tier();
    let mut out = vec![PublishedParameter {
        key: "ModelPackageGroupArn",
        what: "model registry ARN",
    }];
    if config.product.source == SourceControl::CodeCommit {
        out.push(PublishedParameter {
            key: "RepositoryUrl",
            what: "model-build repository clone URL (HTTPS)",
        });
    }
    out.push(PublishedParameter {
        key: "BucketName",
        what: "artifact bucket name",
    });
    if tier >= Tier::Professional {
        out.push(PublishedParameter {
            key: "DashboardName",
            what: "CloudWatch dashboard name",
        });
    }
    if tier == Tier::Enterprise {
        out.extend([
            PublishedParameter {
                key: "KmsKeyArn",
                what: "customer-managed KMS key ARN",
            },
            PublishedParameter {
                key: "LogGroupName",
                what: "compliance log group name",
            },
            PublishedParameter {
                key: "VpcEndpointIdSagemakerApi",
                what: "SageMaker API interface endpoint id",
            },
            PublishedParameter {
                key: "VpcEndpointIdSagemakerRuntime",
                what: "SageMaker runtime interface endpoint id",
            },
            PublishedParameter {
                key: "VpcEndpointIdS3",
                what: "S3 gateway endpoint id",
            },
            PublishedParameter {
                key: "VpcEndpointIdSts",
                what: "STS interface endpoint id",
            },
        ]);
        if matches!(
            config.product.vpc.as_ref().map(|v| &v.mode),
            Some(VpcMode::Standalone)
        ) {
            out.push(PublishedParameter {
                key: "SecurityGroupId",
                what: "endpoint security group id",
            });
        }
    }
    out
}

/// Every resource the config's stack creates, in template order.
pub fn plan(config: &Config, names: &Names<'_>) -> Vec<PlannedResource> {
    let tier = config.tier();
    let enterprise = tier == Tier::Enterprise;
    let mut out = Vec::new();
    let mut add =
        |logical_id: &str, resource_type: &'static str, name: Option<NameKind>, reason: String| {
            out.push(PlannedResource {
                logical_id: logical_id.to_owned(),
                resource_type,
                physical_name: name.map(|kind| names.physical(kind)),
                reason,
            });
        };
    let all = |what: &str| format!("all tiers: {what}");

    add(
        "ModelPackageGroup",
        "AWS::SageMaker::ModelPackageGroup",
        Some(NameKind::ModelPackageGroup),
        all("the model registry; approving a package here starts the deploy pipeline"),
    );
    // With source_control s3 the existing source bucket is read, not created.
    if config.product.source == SourceControl::CodeCommit {
        add(
            "ModelBuildRepository",
            "AWS::CodeCommit::Repository",
            Some(NameKind::BuildRepository),
            "source_control codecommit: model-build source (training pipeline code)".to_owned(),
        );
        add(
            "ModelDeployRepository",
            "AWS::CodeCommit::Repository",
            Some(NameKind::DeployRepository),
            "source_control codecommit: model-deploy source (endpoint deployment code)".to_owned(),
        );
    }
    if enterprise {
        add(
            "KmsKey",
            "AWS::KMS::Key",
            None,
            "enterprise: customer-managed key (rotation on) for the bucket, topic, logs and builds"
                .to_owned(),
        );
        add(
            "KmsKeyAlias",
            "AWS::KMS::Alias",
            Some(NameKind::KmsAlias),
            "enterprise: a readable name for the key".to_owned(),
        );
    }
    let bucket_reason = if enterprise {
        "all tiers (CodePipeline needs one); enterprise: KMS-encrypted, versioned, public access blocked"
    } else {
        "all tiers (CodePipeline needs one): encrypted, versioned, public access blocked"
    };
    add(
        "ArtifactBucket",
        "AWS::S3::Bucket",
        Some(NameKind::ArtifactBucket),
        bucket_reason.to_owned(),
    );
    add(
        "ArtifactBucketPolicy",
        "AWS::S3::BucketPolicy",
        None,
        all("denies every request to the artifact bucket that does not use TLS"),
    );
    add(
        "CodeBuildRole",
        "AWS::IAM::Role",
        Some(NameKind::CodeBuildRole),
        all("role the build and deploy projects run as, scoped to this product"),
    );
    add(
        "CodePipelineRole",
        "AWS::IAM::Role",
        Some(NameKind::CodePipelineRole),
        all("role both pipelines run as, scoped to this product"),
    );
    add(
        "SageMakerExecutionRole",
        "AWS::IAM::Role",
        Some(NameKind::SageMakerRole),
        all("role SageMaker training, processing and endpoints run as"),
    );
    add(
        "EventBridgeRole",
        "AWS::IAM::Role",
        Some(NameKind::EventsRole),
        all("role EventBridge uses to start this product's pipelines"),
    );
    let in_vpc = if enterprise {
        "; enterprise: runs inside your VPC"
    } else {
        ""
    };
    add(
        "ModelBuildProject",
        "AWS::CodeBuild::Project",
        Some(NameKind::BuildProject),
        all(&format!(
            "runs the model-build step (SageMaker pipeline){in_vpc}"
        )),
    );
    add(
        "ModelDeployProject",
        "AWS::CodeBuild::Project",
        Some(NameKind::DeployProject),
        all(&format!("deploys approved models to endpoints{in_vpc}")),
    );
    add(
        "ModelBuildPipeline",
        "AWS::CodePipeline::Pipeline",
        Some(NameKind::BuildPipeline),
        all("builds and trains from the model-build source"),
    );
    add(
        "ModelDeployPipeline",
        "AWS::CodePipeline::Pipeline",
        Some(NameKind::DeployPipeline),
        all("deploys from the model-deploy source"),
    );
    let source_rule = match config.product.source {
        SourceControl::CodeCommit => {
            "all tiers: starts the build pipeline on a push to the model-build repository"
        }
        SourceControl::S3 { .. } => {
            "source_control s3: starts the build pipeline when a new model-build archive lands under s3_prefix"
        }
    };
    add(
        "SourceChangeRule",
        "AWS::Events::Rule",
        Some(NameKind::SourceRule),
        source_rule.to_owned(),
    );
    add(
        "ModelApprovedRule",
        "AWS::Events::Rule",
        Some(NameKind::ApprovalRule),
        all("starts the deploy pipeline when a model package in this group is approved"),
    );
    if tier >= Tier::Professional {
        let kms = if enterprise { " (KMS-encrypted)" } else { "" };
        add(
            "AlertsTopic",
            "AWS::SNS::Topic",
            Some(NameKind::AlertsTopic),
            format!("professional+: pipeline-failure alerts{kms}"),
        );
        add(
            "AlertsTopicPolicy",
            "AWS::SNS::TopicPolicy",
            None,
            "professional+: lets EventBridge publish this product's alerts, nothing else"
                .to_owned(),
        );
        add(
            "AlertsSubscription",
            "AWS::SNS::Subscription",
            None,
            "professional+: e-mails alerts to alerts_email (confirm after the first deploy)"
                .to_owned(),
        );
        add(
            "PipelineFailureRule",
            "AWS::Events::Rule",
            Some(NameKind::FailureRule),
            "professional+: sends a failed pipeline execution to the alerts topic".to_owned(),
        );
        add(
            "Dashboard",
            "AWS::CloudWatch::Dashboard",
            Some(NameKind::Dashboard),
            "professional+: pipeline and build health at a glance".to_owned(),
        );
    }
    if enterprise {
        add(
            "ComplianceLogGroup",
            "AWS::Logs::LogGroup",
            Some(NameKind::ComplianceLogGroup),
            "enterprise: build logs kept for compliance (KMS, retention set)".to_owned(),
        );
        if matches!(
            config.product.vpc.as_ref().map(|v| &v.mode),
            Some(VpcMode::Standalone)
        ) {
            add(
                "EndpointSecurityGroup",
                "AWS::EC2::SecurityGroup",
                Some(NameKind::EndpointSecurityGroup),
                "enterprise, mode standalone: for the endpoints and the CodeBuild projects; egress HTTPS only"
                    .to_owned(),
            );
            add(
                "EndpointSecurityGroupIngress",
                "AWS::EC2::SecurityGroupIngress",
                None,
                "enterprise, mode standalone: HTTPS to the endpoints from members of the group only (no 0.0.0.0/0)"
                    .to_owned(),
            );
        }
        add(
            "SageMakerApiEndpoint",
            "AWS::EC2::VPCEndpoint",
            None,
            "enterprise: private interface endpoint for sagemaker.api".to_owned(),
        );
        add(
            "SageMakerRuntimeEndpoint",
            "AWS::EC2::VPCEndpoint",
            None,
            "enterprise: private interface endpoint for sagemaker.runtime".to_owned(),
        );
        add(
            "StsEndpoint",
            "AWS::EC2::VPCEndpoint",
            None,
            "enterprise: private interface endpoint for sts".to_owned(),
        );
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
        add(
            "S3GatewayEndpoint",
            "AWS::EC2::VPCEndpoint",
            None,
            format!("enterprise: gateway endpoint for s3{rtb}"),
        );
    }
    let prefix = names.ssm_prefix();
    out.extend(
        published_parameters(config)
            .into_iter()
            .map(|parameter| PlannedResource {
                logical_id: format!("Param{}", parameter.key),
                resource_type: "AWS::SSM::Parameter",
                physical_name: Some(format!("{prefix}{}", parameter.key)),
                reason: format!("publishes the {} for downstream tools", parameter.what),
            }),
    );
    out
}
