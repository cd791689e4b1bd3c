//! One builder per planned resource (by logical id).

use serde_json::{Value, json};

use super::iam::{self, Arns, sagemaker_prefix};
use super::{Ctx, get_att, physical_name, r, sub};
use crate::catalog::{AUDIT_RETENTION_DAYS, NONCURRENT_ARTIFACT_DAYS, PlannedResource, ResourceId};
use crate::config::SourceControl;
use crate::names::{NameKind, ParamKey};

/// The body (`Type`, `Properties`, …) of one planned resource. The match is exhaustive: a new
/// [`ResourceId`] does not compile until it has a builder.
pub(crate) fn build(ctx: &Ctx<'_>, planned: &PlannedResource) -> Value {
    use ResourceId as R;
    let name = |kind: NameKind| physical_name(ctx, kind);
    match planned.id {
        R::ModelPackageGroup => resource(
            ctx,
            planned,
            json!({
                "ModelPackageGroupName": name(NameKind::ModelPackageGroup),
                "ModelPackageGroupDescription": format!("Model registry of {}", ctx.ml_name),
                "Tags": ctx.tags(),
            }),
        ),
        R::ModelBuildRepository | R::ModelDeployRepository => {
            let (kind, what) = if planned.id == R::ModelBuildRepository {
                (
                    NameKind::BuildRepository,
                    "Model-build source (SageMaker pipeline code)",
                )
            } else {
                (
                    NameKind::DeployRepository,
                    "Model-deploy source (endpoint deployment code)",
                )
            };
            resource(
                ctx,
                planned,
                json!({
                    "RepositoryName": name(kind),
                    "RepositoryDescription": format!("{what} of {}", ctx.ml_name),
                    "Tags": ctx.tags(),
                }),
            )
        }
        R::KmsKey => resource(
            ctx,
            planned,
            json!({
                "Description": format!("Encrypts the artifacts, alerts, logs and builds of {}", ctx.ml_name),
                "EnableKeyRotation": true,
                "PendingWindowInDays": 30,
                "KeyPolicy": key_policy(ctx),
                "Tags": ctx.tags(),
            }),
        ),
        R::KmsKeyAlias => resource(
            ctx,
            planned,
            json!({
                "AliasName": name(NameKind::KmsAlias),
                "TargetKeyId": r("KmsKey"),
            }),
        ),
        R::AccessLogBucket => resource(ctx, planned, access_log_bucket(ctx)),
        R::AccessLogBucketPolicy => bucket_policy(
            ctx,
            planned,
            Some(json!({
                "Sid": "S3LogDeliveryWritesTheArtifactBucketsLogs",
                "Effect": "Allow",
                "Principal": { "Service": "logging.s3.amazonaws.com" },
                "Action": "s3:PutObject",
                "Resource": sub(&format!("${{AccessLogBucket.Arn}}/{ARTIFACT_LOG_PREFIX}*")),
                "Condition": {
                    "ArnLike": { "aws:SourceArn": get_att("ArtifactBucket", "Arn") },
                    "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") },
                },
            })),
        ),
        R::ArtifactBucket => resource(ctx, planned, artifact_bucket(ctx)),
        R::ArtifactBucketPolicy => bucket_policy(ctx, planned, None),
        R::CodeBuildRole => iam::codebuild_role(ctx),
        R::CodePipelineRole => iam::codepipeline_role(ctx),
        R::SageMakerExecutionRole => iam::sagemaker_role(ctx),
        R::EventBridgeRole => iam::events_role(ctx),
        R::ModelBuildProject => resource(
            ctx,
            planned,
            project(
                ctx,
                NameKind::BuildProject,
                "Runs the model-build step: builds and starts the SageMaker pipeline",
            ),
        ),
        R::ModelDeployProject => resource(
            ctx,
            planned,
            project(
                ctx,
                NameKind::DeployProject,
                "Deploys the approved model package to SageMaker endpoints",
            ),
        ),
        R::ModelBuildPipeline => resource(ctx, planned, pipeline(ctx, true)),
        R::ModelDeployPipeline => resource(ctx, planned, pipeline(ctx, false)),
        R::SourceChangeRule => resource(ctx, planned, source_rule(ctx)),
        R::ModelApprovedRule => resource(
            ctx,
            planned,
            json!({
                "Name": name(NameKind::ApprovalRule),
                "Description": format!("Starts the deploy pipeline of {} when a model package is approved", ctx.ml_name),
                "State": "ENABLED",
                "EventPattern": {
                    "source": ["aws.sagemaker"],
                    "detail-type": ["SageMaker Model Package State Change"],
                    "detail": {
                        "ModelPackageGroupName": [name(NameKind::ModelPackageGroup)],
                        "ModelApprovalStatus": ["Approved"],
                    },
                },
                "Targets": [pipeline_target(ctx, "ModelDeployPipeline", NameKind::DeployPipeline)],
                "Tags": ctx.tags(),
            }),
        ),
        R::AlertsTopic => {
            let mut properties = json!({
                "TopicName": name(NameKind::AlertsTopic),
                "DisplayName": "ML pipeline alerts",
            });
            if ctx.enterprise() {
                properties["KmsMasterKeyId"] = get_att("KmsKey", "Arn");
            }
            properties["Tags"] = ctx.tags();
            resource(ctx, planned, properties)
        }
        R::AlertsTopicPolicy => resource(
            ctx,
            planned,
            json!({
                "Topics": [r("AlertsTopic")],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "AllowOnlyThePipelineFailureRuleToPublish",
                        "Effect": "Allow",
                        "Principal": { "Service": "events.amazonaws.com" },
                        "Action": "sns:Publish",
                        "Resource": r("AlertsTopic"),
                        "Condition": { "ArnEquals": { "aws:SourceArn": get_att("PipelineFailureRule", "Arn") } },
                    }],
                },
            }),
        ),
        R::AlertsSubscription => resource(
            ctx,
            planned,
            json!({
                "TopicArn": r("AlertsTopic"),
                "Protocol": "email",
                "Endpoint": ctx.config.product.alerts_email.clone().unwrap_or_default(),
            }),
        ),
        R::PipelineFailureRule => resource(
            ctx,
            planned,
            json!({
                "Name": name(NameKind::FailureRule),
                "Description": format!("Sends failed pipeline executions of {} to the alerts topic", ctx.ml_name),
                "State": "ENABLED",
                "EventPattern": {
                    "source": ["aws.codepipeline"],
                    "detail-type": ["CodePipeline Pipeline Execution State Change"],
                    "detail": {
                        "state": ["FAILED"],
                        "pipeline": [name(NameKind::BuildPipeline), name(NameKind::DeployPipeline)],
                    },
                },
                "Targets": [{
                    "Id": "AlertsTopic",
                    "Arn": r("AlertsTopic"),
                    "InputTransformer": {
                        "InputPathsMap": {
                            "pipeline": "$.detail.pipeline",
                            "execution": "$.detail.execution-id",
                            "state": "$.detail.state",
                        },
                        "InputTemplate": format!("\"{}: pipeline <pipeline> execution <execution> is <state>.\"", ctx.ml_name),
                    },
                }],
                "Tags": ctx.tags(),
            }),
        ),
        R::Dashboard => resource(
            ctx,
            planned,
            json!({
                "DashboardName": name(NameKind::Dashboard),
                "DashboardBody": sub(&dashboard_body(ctx)),
                "Tags": ctx.tags(),
            }),
        ),
        R::ComplianceLogGroup => resource(
            ctx,
            planned,
            json!({
                "LogGroupName": name(NameKind::ComplianceLogGroup),
                "RetentionInDays": AUDIT_RETENTION_DAYS,
                "KmsKeyId": get_att("KmsKey", "Arn"),
                "Tags": ctx.tags(),
            }),
        ),
        R::EndpointSecurityGroup => resource(
            ctx,
            planned,
            json!({
                "GroupName": name(NameKind::EndpointSecurityGroup),
                "GroupDescription": format!("VPC endpoints and builds of {}: HTTPS within the group only", ctx.ml_name),
                "VpcId": ctx.vpc_id(),
                "SecurityGroupEgress": [{
                    "Description": "HTTPS to AWS APIs (through the endpoints) and package mirrors",
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "CidrIp": "0.0.0.0/0",
                }],
                "Tags": ctx.tags(),
            }),
        ),
        R::EndpointSecurityGroupIngress => resource(
            ctx,
            planned,
            json!({
                "GroupId": get_att("EndpointSecurityGroup", "GroupId"),
                "SourceSecurityGroupId": get_att("EndpointSecurityGroup", "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "Description": "HTTPS from members of this group (builds, SageMaker jobs) to the endpoints",
            }),
        ),
        R::SageMakerApiEndpoint => resource(ctx, planned, interface_endpoint(ctx, "sagemaker.api")),
        R::SageMakerRuntimeEndpoint => {
            resource(ctx, planned, interface_endpoint(ctx, "sagemaker.runtime"))
        }
        R::StsEndpoint => resource(ctx, planned, interface_endpoint(ctx, "sts")),
        R::S3GatewayEndpoint => {
            let mut properties = json!({
                "VpcEndpointType": "Gateway",
                "ServiceName": sub("com.amazonaws.${AWS::Region}.s3"),
                "VpcId": ctx.vpc_id(),
            });
            if let Some(vpc) = ctx
                .config
                .product
                .vpc
                .as_ref()
                .filter(|v| !v.route_table_ids.is_empty())
            {
                properties["RouteTableIds"] = json!(vpc.route_table_ids);
            }
            properties["Tags"] = ctx.tags();
            resource(ctx, planned, properties)
        }
        R::Param(key) => ssm_parameter(ctx, planned, key),
    }
}

fn resource(ctx: &Ctx<'_>, planned: &PlannedResource, properties: Value) -> Value {
    if planned.id.holds_data() {
        // An update that replaces it keeps the old one (and its data); delete-product deletes
        // everything it created, as its contract says, but a production stack's access logs
        // (docs/decisions.md).
        let on_delete = if planned.id.retained_on_delete(ctx.names.test.is_some()) {
            "Retain"
        } else {
            "Delete"
        };
        json!({
            "Type": planned.resource_type(),
            "DeletionPolicy": on_delete,
            "UpdateReplacePolicy": "Retain",
            "Properties": properties,
        })
    } else {
        json!({ "Type": planned.resource_type(), "Properties": properties })
    }
}

fn key_policy(ctx: &Ctx<'_>) -> Value {
    let log_group = Arns(ctx).regional(
        "logs",
        &format!(
            "log-group:{}",
            ctx.names.name(NameKind::ComplianceLogGroup).fixed
        ),
    );
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersKeyThroughIam",
                "Effect": "Allow",
                "Principal": { "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
                "Action": [
                    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                    "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                    "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
                    "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                ],
                "Resource": "*",
            },
            {
                "Sid": "ComplianceLogGroupEncryptsWithKey",
                "Effect": "Allow",
                "Principal": { "Service": sub("logs.${AWS::Region}.amazonaws.com") },
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": { "ArnEquals": { "kms:EncryptionContext:aws:logs:arn": sub(&log_group) } },
            },
            {
                "Sid": "EventBridgePublishesEncryptedAlerts",
                "Effect": "Allow",
                "Principal": { "Service": "events.amazonaws.com" },
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": { "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") } },
            },
        ],
    })
}

/// Where in the access-log bucket the artifact bucket's logs go.
const ARTIFACT_LOG_PREFIX: &str = "artifact-bucket/";

fn artifact_bucket(ctx: &Ctx<'_>) -> Value {
    let encryption = if ctx.enterprise() {
        json!({ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": get_att("KmsKey", "Arn") }, "BucketKeyEnabled": true })
    } else {
        json!({ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } })
    };
    let mut bucket = private_bucket(
        ctx,
        NameKind::ArtifactBucket,
        encryption,
        json!({
            "Id": "ExpireOldArtifactVersions",
            "Status": "Enabled",
            "NoncurrentVersionExpiration": { "NoncurrentDays": NONCURRENT_ARTIFACT_DAYS },
            "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 },
        }),
    );
    if ctx.enterprise() {
        bucket["LoggingConfiguration"] = json!({
            "DestinationBucketName": r("AccessLogBucket"),
            "LogFilePrefix": ARTIFACT_LOG_PREFIX,
        });
    }
    bucket
}

/// The enterprise bucket that receives the artifact bucket's S3 server access logs. S3 log
/// delivery writes only to a bucket encrypted with S3-managed keys (not KMS).
fn access_log_bucket(ctx: &Ctx<'_>) -> Value {
    private_bucket(
        ctx,
        NameKind::AccessLogBucket,
        json!({ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }),
        json!({
            "Id": "ExpireAccessLogs",
            "Status": "Enabled",
            "ExpirationInDays": AUDIT_RETENTION_DAYS,
            "NoncurrentVersionExpiration": { "NoncurrentDays": AUDIT_RETENTION_DAYS },
        }),
    )
}

/// What every bucket of the stack is: named, encrypted, versioned, public access blocked,
/// owned by the bucket owner (no ACLs), with one lifecycle rule, tagged.
fn private_bucket(ctx: &Ctx<'_>, kind: NameKind, encryption: Value, lifecycle: Value) -> Value {
    json!({
        "BucketName": physical_name(ctx, kind),
        "BucketEncryption": { "ServerSideEncryptionConfiguration": [encryption] },
        "VersioningConfiguration": { "Status": "Enabled" },
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": true,
            "BlockPublicPolicy": true,
            "IgnorePublicAcls": true,
            "RestrictPublicBuckets": true,
        },
        "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
        "LifecycleConfiguration": { "Rules": [lifecycle] },
        "Tags": ctx.tags(),
    })
}

/// A bucket policy: `allow` (if any) and the statement that refuses every request to its bucket
/// (`ResourceId::policy_bucket`) without TLS.
fn bucket_policy(ctx: &Ctx<'_>, planned: &PlannedResource, allow: Option<Value>) -> Value {
    let bucket = planned
        .id
        .policy_bucket()
        .unwrap_or(planned.id)
        .logical_id();
    let mut statements: Vec<Value> = allow.into_iter().collect();
    statements.push(deny_without_tls(bucket));
    resource(
        ctx,
        planned,
        json!({
            "Bucket": r(bucket),
            "PolicyDocument": { "Version": "2012-10-17", "Statement": statements },
        }),
    )
}

/// The bucket-policy statement that refuses every request to a bucket without TLS.
fn deny_without_tls(bucket: &str) -> Value {
    json!({
        "Sid": "DenyRequestsWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [get_att(bucket, "Arn"), sub(&format!("${{{bucket}.Arn}}/*"))],
        "Condition": { "Bool": { "aws:SecureTransport": "false" } },
    })
}

fn project(ctx: &Ctx<'_>, kind: NameKind, description: &str) -> Value {
    let variables = [
        ("ML_NAME", json!(ctx.ml_name)),
        (
            "MODEL_PACKAGE_GROUP_NAME",
            json!(physical_name(ctx, NameKind::ModelPackageGroup)),
        ),
        ("ARTIFACT_BUCKET", r("ArtifactBucket")),
        (
            "SAGEMAKER_ROLE_ARN",
            get_att("SageMakerExecutionRole", "Arn"),
        ),
        ("SAGEMAKER_NAME_PREFIX", json!(sagemaker_prefix(ctx))),
    ];
    let mut properties = json!({
        "Name": physical_name(ctx, kind),
        "Description": format!("{description} for {}", ctx.ml_name),
        "ServiceRole": get_att("CodeBuildRole", "Arn"),
        "Artifacts": { "Type": "CODEPIPELINE" },
        "Source": { "Type": "CODEPIPELINE" },
        "Environment": {
            "Type": "LINUX_CONTAINER",
            "ComputeType": "BUILD_GENERAL1_SMALL",
            "Image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            "EnvironmentVariables": variables.iter().map(|(name, value)| json!({ "Name": name, "Type": "PLAINTEXT", "Value": value })).collect::<Vec<_>>(),
        },
        "TimeoutInMinutes": 60,
        "QueuedTimeoutInMinutes": 480,
    });
    if ctx.enterprise() {
        properties["EncryptionKey"] = get_att("KmsKey", "Arn");
        properties["LogsConfig"] = json!({
            "CloudWatchLogs": { "Status": "ENABLED", "GroupName": r("ComplianceLogGroup"), "StreamName": physical_name(ctx, kind) },
        });
        properties["VpcConfig"] = json!({
            "VpcId": ctx.vpc_id(),
            "Subnets": ctx.subnet_ids(),
            "SecurityGroupIds": [ctx.security_group()],
        });
    }
    properties["Tags"] = ctx.tags();
    properties
}

fn pipeline(ctx: &Ctx<'_>, build: bool) -> Value {
    let (kind, repo_id, archive, project, artifact) = if build {
        (
            NameKind::BuildPipeline,
            "ModelBuildRepository",
            "model-build.zip",
            "ModelBuildProject",
            "ModelBuild",
        )
    } else {
        (
            NameKind::DeployPipeline,
            "ModelDeployRepository",
            "model-deploy.zip",
            "ModelDeployProject",
            "ModelDeploy",
        )
    };
    let source_output = format!("{artifact}Source");
    let source_action = match &ctx.config.product.source {
        SourceControl::CodeCommit => json!({
            "Name": format!("{artifact}Source"),
            "ActionTypeId": { "Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1" },
            "Configuration": { "RepositoryName": get_att(repo_id, "Name"), "BranchName": "main", "PollForSourceChanges": false },
            "OutputArtifacts": [{ "Name": source_output }],
            "RunOrder": 1,
        }),
        SourceControl::S3 { bucket, prefix } => json!({
            "Name": format!("{artifact}Source"),
            "ActionTypeId": { "Category": "Source", "Owner": "AWS", "Provider": "S3", "Version": "1" },
            "Configuration": { "S3Bucket": bucket, "S3ObjectKey": source_key(prefix, archive), "PollForSourceChanges": false },
            "OutputArtifacts": [{ "Name": source_output }],
            "RunOrder": 1,
        }),
    };
    let mut store = json!({ "Type": "S3", "Location": r("ArtifactBucket") });
    if ctx.enterprise() {
        store["EncryptionKey"] = json!({ "Id": get_att("KmsKey", "Arn"), "Type": "KMS" });
    }
    json!({
        "Name": physical_name(ctx, kind),
        "PipelineType": "V2",
        "ExecutionMode": "QUEUED",
        "RoleArn": get_att("CodePipelineRole", "Arn"),
        "ArtifactStore": store,
        "RestartExecutionOnUpdate": false,
        "Stages": [
            { "Name": "Source", "Actions": [source_action] },
            {
                "Name": if build { "BuildAndTrain" } else { "Deploy" },
                "Actions": [{
                    "Name": if build { "BuildAndTrain" } else { "DeployEndpoints" },
                    "ActionTypeId": { "Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1" },
                    "Configuration": { "ProjectName": r(project) },
                    "InputArtifacts": [{ "Name": source_output }],
                    "OutputArtifacts": [{ "Name": format!("{artifact}Output") }],
                    "RunOrder": 1,
                }],
            },
        ],
        "Tags": ctx.tags(),
    })
}

/// The object key of a source archive under `s3_prefix`'s key prefix.
pub fn source_key(prefix: &str, archive: &str) -> String {
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() {
        archive.to_owned()
    } else {
        format!("{prefix}/{archive}")
    }
}

fn pipeline_target(ctx: &Ctx<'_>, logical_id: &str, kind: NameKind) -> Value {
    json!({
        "Id": logical_id,
        "Arn": sub(&Arns(ctx).pipeline(kind)),
        "RoleArn": get_att("EventBridgeRole", "Arn"),
    })
}

fn source_rule(ctx: &Ctx<'_>) -> Value {
    let pattern = match &ctx.config.product.source {
        SourceControl::CodeCommit => json!({
            "source": ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            "resources": [get_att("ModelBuildRepository", "Arn")],
            "detail": {
                "event": ["referenceCreated", "referenceUpdated"],
                "referenceType": ["branch"],
                "referenceName": ["main"],
            },
        }),
        SourceControl::S3 { bucket, prefix } => json!({
            "source": ["aws.s3"],
            "detail-type": ["Object Created"],
            "detail": {
                "bucket": { "name": [bucket] },
                "object": { "key": [source_key(prefix, "model-build.zip")] },
            },
        }),
    };
    json!({
        "Name": physical_name(ctx, NameKind::SourceRule),
        "Description": format!("Starts the build pipeline of {} when its model-build source changes", ctx.ml_name),
        "State": "ENABLED",
        "EventPattern": pattern,
        "Targets": [pipeline_target(ctx, "ModelBuildPipeline", NameKind::BuildPipeline)],
        "Tags": ctx.tags(),
    })
}

fn interface_endpoint(ctx: &Ctx<'_>, service: &str) -> Value {
    json!({
        "VpcEndpointType": "Interface",
        "ServiceName": sub(&format!("com.amazonaws.${{AWS::Region}}.{service}")),
        "VpcId": ctx.vpc_id(),
        "SubnetIds": ctx.subnet_ids(),
        "SecurityGroupIds": [ctx.security_group()],
        "PrivateDnsEnabled": true,
        "Tags": ctx.tags(),
    })
}

fn dashboard_body(ctx: &Ctx<'_>) -> String {
    let projects = [
        physical_name(ctx, NameKind::BuildProject),
        physical_name(ctx, NameKind::DeployProject),
    ];
    let widget = |x: u32, title: &str, metric: &str, stat: &str| {
        json!({
            "type": "metric",
            "x": x,
            "y": 0,
            "width": 8,
            "height": 6,
            "properties": {
                "title": title,
                "region": "${AWS::Region}",
                "stat": stat,
                "period": 86400,
                "view": "timeSeries",
                "metrics": projects.iter().map(|p| json!(["AWS/CodeBuild", metric, "ProjectName", p])).collect::<Vec<_>>(),
            },
        })
    };
    let body = json!({
        "widgets": [
            widget(0, "Successful builds", "SucceededBuilds", "Sum"),
            widget(8, "Failed builds", "FailedBuilds", "Sum"),
            widget(16, "Build duration (seconds)", "Duration", "Average"),
        ],
    });
    body.to_string()
}

fn ssm_parameter(ctx: &Ctx<'_>, planned: &PlannedResource, key: ParamKey) -> Value {
    use ParamKey as P;
    let value = match key {
        P::ModelPackageGroupArn => get_att("ModelPackageGroup", "ModelPackageGroupArn"),
        P::RepositoryUrl => get_att("ModelBuildRepository", "CloneUrlHttp"),
        P::BucketName => r("ArtifactBucket"),
        P::DashboardName => r("Dashboard"),
        P::KmsKeyArn => get_att("KmsKey", "Arn"),
        P::LogGroupName => r("ComplianceLogGroup"),
        P::VpcEndpointIdSagemakerApi => r("SageMakerApiEndpoint"),
        P::VpcEndpointIdSagemakerRuntime => r("SageMakerRuntimeEndpoint"),
        P::VpcEndpointIdS3 => r("S3GatewayEndpoint"),
        P::VpcEndpointIdSts => r("StsEndpoint"),
        P::SecurityGroupId => get_att("EndpointSecurityGroup", "GroupId"),
    };
    resource(
        ctx,
        planned,
        json!({
            "Name": physical_name(ctx, NameKind::Parameter(key)),
            "Type": "String",
            "Value": value,
            "Description": format!("The {} of {}", key.what(), ctx.ml_name),
            "Tags": ctx.tag_map(),
        }),
    )
}
