//! The IAM roles the stack creates, each scoped to this product's resources. No `*` actions;
//! `Resource: "*"` only where AWS allows nothing narrower, in a statement whose Sid says so.

use serde_json::{Value, json};

use super::{Ctx, get_att, sub};
use crate::config::SourceControl;
use crate::names::NameKind;

/// ARN builders (CloudFormation `!Sub` text) for this product's resources.
pub(crate) struct Arns<'c, 'a>(pub &'c Ctx<'a>);

impl Arns<'_, '_> {
    /// The name of a kind whose name is fixed text (not [`crate::names::NameSpec::stack_unique`]).
    fn name(&self, kind: NameKind) -> String {
        self.0.names.name(kind).fixed
    }

    /// The artifact bucket's ARN: its name ends in a part of the stack id, so the ARN refers to
    /// the bucket resource.
    pub fn bucket(&self) -> String {
        "arn:${AWS::Partition}:s3:::${ArtifactBucket}".to_owned()
    }

    pub fn bucket_objects(&self) -> String {
        format!("{}/*", self.bucket())
    }

    pub fn regional(&self, service: &str, resource: &str) -> String {
        format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{resource}")
    }

    pub fn repository(&self, kind: NameKind) -> String {
        self.regional("codecommit", &self.name(kind))
    }

    pub fn project(&self, kind: NameKind) -> String {
        self.regional("codebuild", &format!("project/{}", self.name(kind)))
    }

    pub fn pipeline(&self, kind: NameKind) -> String {
        self.regional("codepipeline", &self.name(kind))
    }

    pub fn project_logs(&self, kind: NameKind) -> String {
        self.regional(
            "logs",
            &format!("log-group:/aws/codebuild/{}:*", self.name(kind)),
        )
    }

    pub fn model_package_group(&self) -> String {
        self.regional(
            "sagemaker",
            &format!(
                "model-package-group/{}",
                self.name(NameKind::ModelPackageGroup)
            ),
        )
    }

    pub fn model_packages(&self) -> String {
        self.regional(
            "sagemaker",
            &format!("model-package/{}/*", self.name(NameKind::ModelPackageGroup)),
        )
    }

    /// SageMaker resources the build and deploy code create: named `{short base}-sm-…`.
    pub fn sagemaker_owned(&self, resource_type: &str) -> String {
        self.regional(
            "sagemaker",
            &format!("{resource_type}/{}-sm-*", self.0.names.short_base()),
        )
    }

    pub fn compliance_logs(&self) -> String {
        self.regional(
            "logs",
            &format!("log-group:{}:*", self.name(NameKind::ComplianceLogGroup)),
        )
    }
}

/// The prefix the build and deploy code must give SageMaker resources they create.
pub(crate) fn sagemaker_prefix(ctx: &Ctx<'_>) -> String {
    format!("{}-sm-", ctx.names.short_base())
}

fn trust(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": service },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } },
        }],
    })
}

fn statement(sid: &str, actions: &[&str], resources: Vec<Value>) -> Value {
    json!({ "Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources })
}

fn role(
    ctx: &Ctx<'_>,
    name: NameKind,
    service: &str,
    description: &str,
    policy_name: &str,
    statements: Vec<Value>,
) -> Value {
    json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": super::physical_name(ctx, name),
            "Description": description,
            "AssumeRolePolicyDocument": trust(service),
            "MaxSessionDuration": 3600,
            "Policies": [{
                "PolicyName": policy_name,
                "PolicyDocument": { "Version": "2012-10-17", "Statement": statements },
            }],
            "Tags": ctx.tags(),
        },
    })
}

fn kms_use(ctx: &Ctx<'_>) -> Option<Value> {
    ctx.enterprise().then(|| {
        statement(
            "UseProductKmsKey",
            &[
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:DescribeKey",
            ],
            vec![get_att("KmsKey", "Arn")],
        )
    })
}

fn pass_sagemaker_role() -> Value {
    json!({
        "Sid": "PassSageMakerExecutionRoleToSageMakerOnly",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": get_att("SageMakerExecutionRole", "Arn"),
        "Condition": { "StringEquals": { "iam:PassedToService": "sagemaker.amazonaws.com" } },
    })
}

pub(crate) fn codebuild_role(ctx: &Ctx<'_>) -> Value {
    let a = Arns(ctx);
    let mut logs = vec![
        sub(&a.project_logs(NameKind::BuildProject)),
        sub(&a.project_logs(NameKind::DeployProject)),
    ];
    if ctx.enterprise() {
        logs.push(sub(&a.compliance_logs()));
    }
    let mut statements = vec![
        statement(
            "WriteBuildLogs",
            &[
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            logs,
        ),
        statement(
            "ReadWritePipelineArtifacts",
            &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            vec![sub(&a.bucket_objects())],
        ),
        statement(
            "LocateArtifactBucket",
            &["s3:GetBucketLocation", "s3:ListBucket"],
            vec![sub(&a.bucket())],
        ),
        statement(
            "RunProductSageMakerPipelines",
            &[
                "sagemaker:CreatePipeline",
                "sagemaker:UpdatePipeline",
                "sagemaker:DescribePipeline",
                "sagemaker:StartPipelineExecution",
                "sagemaker:DescribePipelineExecution",
                "sagemaker:ListPipelineExecutionSteps",
                "sagemaker:AddTags",
            ],
            vec![sub(&a.sagemaker_owned("pipeline"))],
        ),
        statement(
            "DeployApprovedModels",
            &[
                "sagemaker:CreateModel",
                "sagemaker:DeleteModel",
                "sagemaker:DescribeModel",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:CreateEndpoint",
                "sagemaker:UpdateEndpoint",
                "sagemaker:DescribeEndpoint",
                "sagemaker:AddTags",
            ],
            vec![
                sub(&a.sagemaker_owned("model")),
                sub(&a.sagemaker_owned("endpoint-config")),
                sub(&a.sagemaker_owned("endpoint")),
            ],
        ),
        statement(
            "ReadProductModelRegistry",
            &[
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:ListModelPackages",
                "sagemaker:DescribeModelPackage",
            ],
            vec![sub(&a.model_package_group()), sub(&a.model_packages())],
        ),
        pass_sagemaker_role(),
    ];
    statements.extend(kms_use(ctx));
    if ctx.enterprise() {
        statements.push(statement(
            "DescribeVpcForBuildsCannotBeScoped",
            &[
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ],
            vec![json!("*")],
        ));
        // The build's network interfaces: created and deleted only in the product's VPC (every
        // resource type these actions take carries the ec2:Vpc condition key), in this account
        // and region.
        let ec2 = |resource: &str| {
            sub(&format!(
                "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"
            ))
        };
        let in_vpc =
            json!({ "StringEquals": { "ec2:Vpc": ec2(&format!("vpc/{}", ctx.vpc_id_in_sub())) } });
        statements.push(json!({
            "Sid": "CreateBuildNetworkInterfacesInTheProductVpc",
            "Effect": "Allow",
            "Action": "ec2:CreateNetworkInterface",
            "Resource": [ec2("network-interface/*"), ec2("subnet/*"), ec2("security-group/*")],
            "Condition": in_vpc,
        }));
        statements.push(json!({
            "Sid": "DeleteBuildNetworkInterfacesInTheProductVpc",
            "Effect": "Allow",
            "Action": "ec2:DeleteNetworkInterface",
            "Resource": ec2("network-interface/*"),
            "Condition": in_vpc,
        }));
        statements.push(json!({
            "Sid": "AttachBuildNetworkInterfacesForCodeBuildOnly",
            "Effect": "Allow",
            "Action": "ec2:CreateNetworkInterfacePermission",
            "Resource": sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:network-interface/*"),
            "Condition": { "StringEquals": { "ec2:AuthorizedService": "codebuild.amazonaws.com" } },
        }));
    }
    role(
        ctx,
        NameKind::CodeBuildRole,
        "codebuild.amazonaws.com",
        "Role the model-build and model-deploy CodeBuild projects run as",
        "codebuild-least-privilege",
        statements,
    )
}

pub(crate) fn codepipeline_role(ctx: &Ctx<'_>) -> Value {
    let a = Arns(ctx);
    let mut statements = vec![
        statement(
            "ReadWritePipelineArtifacts",
            &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            vec![sub(&a.bucket_objects())],
        ),
        statement(
            "LocateArtifactBucket",
            &[
                "s3:GetBucketLocation",
                "s3:GetBucketVersioning",
                "s3:ListBucket",
            ],
            vec![sub(&a.bucket())],
        ),
        statement(
            "RunProductBuilds",
            &[
                "codebuild:StartBuild",
                "codebuild:BatchGetBuilds",
                "codebuild:StopBuild",
            ],
            vec![
                sub(&a.project(NameKind::BuildProject)),
                sub(&a.project(NameKind::DeployProject)),
            ],
        ),
    ];
    match &ctx.config.product.source {
        SourceControl::CodeCommit => statements.push(statement(
            "ReadProductSource",
            &[
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetRepository",
                "codecommit:UploadArchive",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:CancelUploadArchive",
            ],
            vec![
                sub(&a.repository(NameKind::BuildRepository)),
                sub(&a.repository(NameKind::DeployRepository)),
            ],
        )),
        SourceControl::S3 { bucket, prefix } => {
            let objects = if prefix.is_empty() {
                format!("{bucket}/*")
            } else {
                format!("{bucket}/{}/*", prefix.trim_end_matches('/'))
            };
            statements.push(statement(
                "ReadProductSourceArchives",
                &["s3:GetObject", "s3:GetObjectVersion"],
                vec![sub(&format!("arn:${{AWS::Partition}}:s3:::{objects}"))],
            ));
            statements.push(statement(
                "LocateSourceBucket",
                &["s3:GetBucketVersioning", "s3:GetBucketLocation"],
                vec![sub(&format!("arn:${{AWS::Partition}}:s3:::{bucket}"))],
            ));
        }
    }
    statements.extend(kms_use(ctx));
    role(
        ctx,
        NameKind::CodePipelineRole,
        "codepipeline.amazonaws.com",
        "Role the build and deploy pipelines run as",
        "codepipeline-least-privilege",
        statements,
    )
}

pub(crate) fn sagemaker_role(ctx: &Ctx<'_>) -> Value {
    let a = Arns(ctx);
    let mut statements = vec![
        statement(
            "ReadWriteProductArtifacts",
            &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            vec![sub(&a.bucket_objects())],
        ),
        statement(
            "ListArtifactBucket",
            &["s3:ListBucket", "s3:GetBucketLocation"],
            vec![sub(&a.bucket())],
        ),
        statement(
            "WriteSageMakerJobLogs",
            &[
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            vec![sub(&a.regional("logs", "log-group:/aws/sagemaker/*"))],
        ),
        json!({
            "Sid": "PublishSageMakerMetricsCannotBeScoped",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": { "StringLike": { "cloudwatch:namespace": "/aws/sagemaker/*" } },
        }),
        statement(
            "GetImageRegistryTokenCannotBeScoped",
            &["ecr:GetAuthorizationToken"],
            vec![json!("*")],
        ),
        statement(
            "PullSageMakerFrameworkImages",
            &[
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability",
            ],
            vec![sub(
                "arn:${AWS::Partition}:ecr:${AWS::Region}:*:repository/*",
            )],
        ),
        statement(
            "RegisterModelsInProductRegistry",
            &[
                "sagemaker:CreateModelPackage",
                "sagemaker:DescribeModelPackage",
                "sagemaker:ListModelPackages",
                "sagemaker:AddTags",
            ],
            vec![sub(&a.model_package_group()), sub(&a.model_packages())],
        ),
        statement(
            "RunProductJobs",
            &[
                "sagemaker:CreateProcessingJob",
                "sagemaker:DescribeProcessingJob",
                "sagemaker:CreateTrainingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:AddTags",
            ],
            vec![
                sub(&a.sagemaker_owned("processing-job")),
                sub(&a.sagemaker_owned("training-job")),
            ],
        ),
        json!({
            "Sid": "PassThisRoleToSageMakerJobsOnly",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": sub(&format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{}", ctx.names.name(NameKind::SageMakerRole).fixed)),
            "Condition": { "StringEquals": { "iam:PassedToService": "sagemaker.amazonaws.com" } },
        }),
    ];
    statements.extend(kms_use(ctx));
    role(
        ctx,
        NameKind::SageMakerRole,
        "sagemaker.amazonaws.com",
        "Role SageMaker processing, training and endpoints run as for this product",
        "sagemaker-least-privilege",
        statements,
    )
}

pub(crate) fn events_role(ctx: &Ctx<'_>) -> Value {
    let a = Arns(ctx);
    let statements = vec![statement(
        "StartProductPipelines",
        &["codepipeline:StartPipelineExecution"],
        vec![
            sub(&a.pipeline(NameKind::BuildPipeline)),
            sub(&a.pipeline(NameKind::DeployPipeline)),
        ],
    )];
    role(
        ctx,
        NameKind::EventsRole,
        "events.amazonaws.com",
        "Role EventBridge uses to start this product's pipelines",
        "start-product-pipelines",
        statements,
    )
}
