#!/usr/bin/env python3
"""Extracts, from the installed cfn-lint package, what the least-privilege policy is built
from and checked against: for every resource type the tool can create, the IAM permissions its
CloudFormation resource-provider handlers need (create/read/update/delete), and for every such
action the IAM resource types (with ARN patterns) it can be scoped to. Per type it also records
what `Ref` returns and which attributes `Fn::GetAtt` accepts, from the same schemas: the
template test that every Output and SSM parameter holds what its name says reads them.

    python3 scripts/extract-cfn-permissions.py > core/data/cfn-permissions.json
    python3 scripts/extract-cfn-permissions.py --check core/data/cfn-permissions.json

Source data: cfn-lint (MIT No Attribution), data/schemas (registry schemas, us-west-2) and
data/AdditionalSpecs/Policies.json. AWS::CodeBuild::Project has no registry handlers (it is not
a registry resource type); its permissions are written by hand below from the CodeBuild API.
"""
import json
import os

import cfnlint

import cfnlint_data

TYPES = [
    "AWS::SageMaker::ModelPackageGroup", "AWS::CodeCommit::Repository", "AWS::KMS::Key",
    "AWS::KMS::Alias", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::IAM::Role",
    "AWS::CodeBuild::Project", "AWS::CodePipeline::Pipeline", "AWS::Events::Rule",
    "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription",
    "AWS::CloudWatch::Dashboard", "AWS::Logs::LogGroup", "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress", "AWS::EC2::VPCEndpoint", "AWS::SSM::Parameter",
]
HANDLERS = ["create", "read", "update", "delete"]
# The calls made with the operator's credentials, in order: core/src/policy.rs operator_calls()
# (CLI_CALLS, then CLOUDFORMATION_CALLS_AS_CALLER) and METERING_CALL; a test keeps them equal.
CLI_ACTIONS = [
    "sts:GetCallerIdentity", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
    "cloudformation:ListStackResources", "cloudformation:CreateChangeSet",
    "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
    "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack",
    "cloudformation:DetectStackDrift", "cloudformation:DescribeStackResourceDrifts",
    "cloudformation:DescribeStackDriftDetectionStatus", "ssm:GetParameter",
    "ssm:GetParametersByPath", "s3:ListBucketVersions", "s3:DeleteObject",
    "s3:DeleteObjectVersion", "ssm:GetParameters", "aws-marketplace:RegisterUsage",
]
HAND_WRITTEN = {
    "AWS::CodeBuild::Project": {
        "create": ["codebuild:CreateProject", "codebuild:BatchGetProjects", "iam:PassRole",
                   "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
        "read": ["codebuild:BatchGetProjects"],
        "update": ["codebuild:UpdateProject", "codebuild:BatchGetProjects", "iam:PassRole",
                   "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
        "delete": ["codebuild:DeleteProject", "codebuild:BatchGetProjects"],
    }
}

# CloudFormation's resource reference for AWS::CodeBuild::Project: "Ref returns the name of the
# AWS CodeBuild project".
HAND_WRITTEN_REF = {"AWS::CodeBuild::Project": "Name"}


def attributes(base, provider, name):
    """The attributes !GetAtt accepts: the schema's read-only properties ('.'-joined paths)."""
    if name == "AWS::CodeBuild::Project":
        return ["Arn"]
    schema = json.load(open(os.path.join(base, "schemas", "resources", provider[name] + ".json")))
    out = []
    for pointer in schema.get("readOnlyProperties", []):
        parts = pointer.split("/")[2:]
        if parts and "*" not in parts:
            out.append(".".join(parts))
    return sorted(set(out))


def ref(base, provider, name):
    """The property `Ref` returns: the schema's primary identifier when it is one property (as
    cfn-lint's Ref handling takes it, cfnlint/schema/_ref.py); None when it is several."""
    if name in HAND_WRITTEN:
        return HAND_WRITTEN_REF[name]
    schema = json.load(open(os.path.join(base, "schemas", "resources", provider[name] + ".json")))
    ids = schema.get("primaryIdentifier", [])
    return ids[0].split("/")[-1] if len(ids) == 1 else None


def main():
    base = os.path.join(os.path.dirname(cfnlint.__file__), "data")
    provider = json.load(open(os.path.join(base, "schemas", "providers", "us-west-2.json")))
    policies = json.load(open(os.path.join(base, "AdditionalSpecs", "Policies.json")))
    types = {}
    actions = set()
    for name in TYPES:
        if name in HAND_WRITTEN:
            entry = {"hand_written": True, **HAND_WRITTEN[name]}
        else:
            schema = json.load(open(os.path.join(base, "schemas", "resources", provider[name] + ".json")))
            handlers = schema.get("handlers", {})
            entry = {h: sorted(set(handlers.get(h, {}).get("permissions", [])), key=str.lower) for h in HANDLERS}
        for h in HANDLERS:
            actions.update(entry[h])
        entry["attributes"] = attributes(base, provider, name)
        entry["ref"] = ref(base, provider, name)
        types[name] = entry
    actions.update(CLI_ACTIONS)
    scoping = {}
    arn_formats = {}
    for action in sorted(actions, key=str.lower):
        service, _, verb = action.partition(":")
        spec = policies.get(service.lower(), {})
        known = spec.get("Actions", {}).get(verb.lower())
        if known is None:
            scoping[action] = None  # not in the IAM reference: not a grantable action
            continue
        scoping[action] = known.get("Resources", [])  # [] = cannot be scoped ("*" only)
        for t in scoping[action]:
            arn_formats.setdefault(service.lower(), {})[t] = spec.get("Resources", {}).get(t, {}).get("ARNFormats", [])
    version = cfnlint_data.version()
    return {
        "source": f"cfn-lint {version} (MIT-0): registry schemas for us-west-2 and AdditionalSpecs/Policies.json",
        "cli_actions": CLI_ACTIONS,
        "types": types,
        "actions": scoping,
        "arn_formats": {k: dict(sorted(v.items())) for k, v in sorted(arn_formats.items())},
    }


if __name__ == "__main__":
    data = main()
    text = json.dumps(data, indent=0, sort_keys=False) + "\n"
    cfnlint_data.emit(text, data["source"], "extract-cfn-permissions.py")
