//! The pre-deployment checklist for one config: the user guide's checklist made specific to the
//! tier, source and VPC options, each item with the command that checks it where one exists.

use crate::config::{Config, SourceControl, Tier, VpcMode, VpcSource};
use crate::files::Output;
use crate::names::{NameKind, Names};
use crate::policy_set;
use crate::template::source_key;

/// When an item has to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    BeforeDeploy,
    AfterFirstDeploy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckItem {
    pub stage: Stage,
    pub title: String,
    pub detail: String,
    /// A command that checks the item, when one exists.
    pub command: Option<String>,
    /// What the command prints when the item holds.
    pub expect: Option<String>,
}

/// `ml-provisioner -con <file> -act <action>`.
pub fn tool_command(config_file: &str, action: &str) -> String {
    format!("ml-provisioner -con {config_file} -act {action}")
}

/// The values the checklist is written for.
pub struct ChecklistInput<'a> {
    pub config: &'a Config,
    pub names: &'a Names<'a>,
    pub config_file: &'a str,
    pub config_stem: &'a str,
    pub template_sha256: &'a str,
    /// How many managed-policy documents `create-policy` writes for this config.
    pub policy_documents: usize,
}

/// Creating the operator policy's managed policies and attaching them: the commands are
/// [`policy_set::commands`], the same the guide file lists.
fn operator_policy_item(input: &ChecklistInput<'_>) -> CheckItem {
    let n = input.policy_documents;
    let commands = policy_set::commands(input.config, input.names, input.config_stem, n);
    let mut lines = vec![tool_command(input.config_file, "create-policy")];
    lines.extend(commands.create);
    for (principal, attach) in commands.attach {
        lines.push(format!(
            "# then attach them to the {} that runs the tool (one of):",
            principal.word()
        ));
        lines.extend(attach);
    }
    let ml_name = input.names.ml_name();
    CheckItem {
        stage: Stage::BeforeDeploy,
        title: "Operator policy created and attached".to_owned(),
        detail: format!(
            "create-policy writes the least-privilege policy for this product as {n} managed-policy document{} ({}; IAM stores at most {} characters in one), with these commands in {}. Create them once per account and attach all {n} to the user, group or role that runs deploy-product (replace the placeholder).",
            if n == 1 { "" } else { "s" },
            (1..=n)
                .map(|i| Output::PolicyDocument(i).path(input.config_stem))
                .collect::<Vec<_>>()
                .join(", "),
            policy_set::thousands(policy_set::IAM_LIMITS.document_chars),
            Output::PolicyGuide.path(input.config_stem)
        ),
        command: Some(lines.join("\n")),
        expect: Some(format!(
            "an ARN from each create-policy ({} … {}); nothing from attach",
            policy_set::managed_policy_name(&ml_name, 1),
            policy_set::managed_policy_name(&ml_name, n)
        )),
    }
}

pub fn checklist(input: &ChecklistInput<'_>) -> Vec<CheckItem> {
    let config = input.config;
    let region = &config.environment.region;
    let account = &config.client.account_id;
    let file = input.config_file;
    let partition = crate::regions::partition(region).unwrap_or("aws");
    let item =
        |title: &str, detail: String, command: Option<String>, expect: Option<&str>| CheckItem {
            stage: Stage::BeforeDeploy,
            title: title.to_owned(),
            detail,
            command,
            expect: expect.map(str::to_owned),
        };
    let mut out = vec![
        item(
            "AWS credentials for the target account",
            format!("The credentials the tool runs with must belong to account {account}."),
            Some("aws sts get-caller-identity --query Account --output text".into()),
            Some(account),
        ),
        operator_policy_item(input),
        item(
            "AWS Marketplace subscription active",
            "Images built with a Marketplace product code check the subscription before every action; a source build skips the check and says so in its log.".into(),
            None,
            None,
        ),
        item(
            "Template reviewed and unchanged",
            "The template on disk must be the one this report describes: compare its SHA-256, then run the deep check (resource schemas, references, security rules).".into(),
            Some(format!(
                "sha256sum {} && {}",
                Output::Template.path(input.config_stem),
                tool_command(file, "validate-prov-template")
            )),
            Some(input.template_sha256),
        ),
        item(
            "Stack name free, or this product's",
            format!(
                "A first deploy creates {stack}; an existing stack of that name must carry the tag ml:name = {ml}.",
                stack = input.names.stack_name(),
                ml = input.names.ml_name()
            ),
            Some(format!(
                "aws cloudformation describe-stacks --region {region} --stack-name {} --query 'Stacks[0].Tags'",
                input.names.stack_name()
            )),
            Some("\"Stack … does not exist\" before the first deploy"),
        ),
    ];
    if let SourceControl::S3 { bucket, prefix } = &config.product.source {
        out.push(item(
            "S3 source bucket versioned",
            format!("CodePipeline's S3 source needs versioning on {bucket}."),
            Some(format!(
                "aws s3api get-bucket-versioning --bucket {bucket} --query Status --output text"
            )),
            Some("Enabled"),
        ));
        out.push(item(
            "S3 source bucket sends events to EventBridge",
            format!(
                "The build pipeline starts on an Object Created event for {}; the bucket must have EventBridge notifications on.",
                source_key(prefix, "model-build.zip")
            ),
            Some(format!(
                "aws s3api get-bucket-notification-configuration --bucket {bucket}"
            )),
            Some("\"EventBridgeConfiguration\": {}"),
        ));
        for archive in ["model-build.zip", "model-deploy.zip"] {
            let key = source_key(prefix, archive);
            out.push(item(
                &format!("Source archive {archive} uploaded"),
                format!("The pipelines read s3://{bucket}/{key}."),
                Some(format!(
                    "aws s3api head-object --bucket {bucket} --key {key} --query VersionId"
                )),
                Some("a version id"),
            ));
        }
    }
    if config.tier() == Tier::Enterprise
        && let Some(vpc) = &config.product.vpc
    {
        match &vpc.source {
            VpcSource::Ssm {
                vpc_id_parameter,
                subnet_ids_parameter,
            } => {
                out.push(item(
                    "VPC id published in SSM",
                    format!("The template reads the VPC id from {vpc_id_parameter} at deploy time."),
                    Some(format!(
                        "aws ssm get-parameter --region {region} --name {vpc_id_parameter} --query Parameter.Value --output text"
                    )),
                    Some("vpc-…"),
                ));
                out.push(item(
                    "Subnet ids published in SSM",
                    format!(
                        "The template reads the subnet ids (a StringList, one private subnet per AZ) from {subnet_ids_parameter}."
                    ),
                    Some(format!(
                        "aws ssm get-parameter --region {region} --name {subnet_ids_parameter} --query Parameter.Value --output text"
                    )),
                    Some("subnet-…,subnet-…"),
                ));
            }
            VpcSource::Direct { vpc_id, subnet_ids } => {
                out.push(item(
                    "VPC exists with DNS hostnames on",
                    format!(
                        "Private DNS for the interface endpoints needs enableDnsSupport and enableDnsHostnames on {vpc_id}."
                    ),
                    Some(format!(
                        "aws ec2 describe-vpc-attribute --region {region} --vpc-id {vpc_id} --attribute enableDnsHostnames --query EnableDnsHostnames.Value"
                    )),
                    Some("true"),
                ));
                out.push(item(
                    "Subnets exist, one per AZ",
                    "An interface endpoint takes at most one subnet per Availability Zone.".into(),
                    Some(format!(
                        "aws ec2 describe-subnets --region {region} --subnet-ids {} --query 'Subnets[].[SubnetId,AvailabilityZone,VpcId]' --output text",
                        subnet_ids.join(" ")
                    )),
                    Some(&format!("each subnet in {vpc_id}, in a different AZ")),
                ));
            }
        }
        match &vpc.mode {
            VpcMode::SgProv {
                security_group_id_parameter,
            } => out.push(item(
                "SG Provisioner's security group published in SSM",
                format!(
                    "The endpoints and builds use the security group whose id is in {security_group_id_parameter}; it must allow HTTPS (443) between its members."
                ),
                Some(format!(
                    "aws ssm get-parameter --region {region} --name {security_group_id_parameter} --query Parameter.Value --output text"
                )),
                Some("sg-…"),
            )),
            VpcMode::Standalone => {}
        }
        if vpc.route_table_ids.is_empty() {
            out.push(item(
                "Route tables for the S3 gateway endpoint",
                "No route_table_ids are configured, so the S3 gateway endpoint is created without routes and S3 traffic from the VPC keeps its current path (NAT or none). Add the private subnets' route tables to the config to route it through the endpoint.".into(),
                None,
                None,
            ));
        } else {
            out.push(item(
                "Route tables exist",
                "The S3 gateway endpoint adds a route to each configured route table.".into(),
                Some(format!(
                    "aws ec2 describe-route-tables --region {region} --route-table-ids {} --query 'RouteTables[].RouteTableId' --output text",
                    vpc.route_table_ids.join(" ")
                )),
                Some(&vpc.route_table_ids.join("\t")),
            ));
        }
    }
    out.push(item(
        "Test deploy first",
        "Deploy an isolated copy (its own names, a test suffix) and delete it before the production deploy.".into(),
        Some(tool_command(file, "test-deploy")),
        Some("the test stack's name and the command to delete it"),
    ));
    if config.tier() >= Tier::Professional
        && let Some(email) = &config.product.alerts_email
    {
        out.push(CheckItem {
            stage: Stage::AfterFirstDeploy,
            title: "Alerts e-mail subscription confirmed".into(),
            detail: format!(
                "{email} receives a confirmation e-mail from AWS after the first deploy; until it is confirmed no pipeline-failure alert is delivered."
            ),
            command: Some(format!(
                "aws sns list-subscriptions-by-topic --region {region} --topic-arn arn:{partition}:sns:{region}:{account}:{} --query 'Subscriptions[].SubscriptionArn' --output text",
                input.names.physical(NameKind::AlertsTopic)
            )),
            expect: Some("a subscription ARN, not PendingConfirmation".into()),
        });
    }
    out.push(CheckItem {
        stage: Stage::AfterFirstDeploy,
        title: "No drift".into(),
        detail: "Resources changed outside CloudFormation make the next update unpredictable."
            .into(),
        command: Some(tool_command(file, "check-drift")),
        expect: Some("no drift".into()),
    });
    out
}
