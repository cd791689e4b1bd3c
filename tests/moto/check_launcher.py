"""Self-check of tests/moto/launcher.py: starts it on a random port and drives it with boto3, as
the CLI's end-to-end tests will with the Rust SDK. Run by scripts/test.sh:

    "$TOOLS_MOTO_PYTHON" tests/moto/check_launcher.py [--cli PATH] [--stock] [-v]

--cli: the ml-provisioner binary that generates the templates (default: $ML_PROVISIONER_BIN,
else ${CARGO_TARGET_DIR:-target}/debug/ml-provisioner). --stock: run the same checks against
plain `moto_server` (moto 5.2.5 without the launcher's extensions): most must fail, which shows
that each check can fail (README.md lists what fails). Each check runs on its own and prints
"ok" or "FAIL" with the reason; the last line is "N passed, N failed"; the exit code is 1 when
any failed.

One example config per tier (README.md of this folder says which), each in its own AWS account
(sts:AssumeRole into the config's account id, as the CLI's tests isolate themselves). The
enterprise config takes its VPC from `vpc_source: direct`: the VPC and subnets are created in moto
first and their ids written into a copy of the config before the templates are generated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any, Callable

import boto3
import yaml
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REGION = "us-west-2"
CONFIGS = {
    "starter": "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml",
    "professional": "edge-prod-b001-us-west-2-fraud-detection-ml-codecommit.yaml",
    "enterprise": "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct.yaml",
}
# Two more enterprise configs, deployed and deleted only: the VPC, subnets and security group
# from SSM parameters (the template's parameters), and route tables given for the S3 endpoint.
VARIANTS = {
    "enterprise, VPC and security group from SSM": (
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml", "666600000001"),
    "enterprise, route tables given": (
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct-rtb.yaml", "666600000002"),
}
PARALLEL_ACCOUNTS = ("777700000001", "777700000002", "777700000003")
TAGGED_SUFFIX = "-tagged"  # a copy of a config with one more tag: the template of a tag change
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


class CheckFailed(Exception):
    pass


def expect(condition: Any, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# -- templates ----------------------------------------------------------------------------------


class _TemplateLoader(yaml.SafeLoader):
    pass


_TemplateLoader.add_multi_constructor(
    "!",
    lambda loader, suffix, node: {
        suffix: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
    },
)


class Template:
    def __init__(self, path: Path):
        self.path = path
        self.body = path.read_text()
        self.doc = yaml.load(self.body, Loader=_TemplateLoader)
        self.ml_name = self.doc["Metadata"]["MlProvisioner"]["MlName"]
        self.resources: dict[str, Any] = self.doc["Resources"]
        self.outputs: dict[str, Any] = self.doc.get("Outputs") or {}
        self.parameters: dict[str, Any] = self.doc.get("Parameters") or {}

    def of_type(self, resource_type: str) -> dict[str, Any]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}

    def ssm_names(self) -> set[str]:
        return {r["Properties"]["Name"] for r in self.of_type("AWS::SSM::Parameter").values()}

    def kept(self, stack_resources: list[dict[str, Any]]) -> set[str]:
        """The physical ids of the stack's resources that a delete keeps (DeletionPolicy: Retain:
        the enterprise access-log bucket)."""
        return {r["PhysicalResourceId"] for r in stack_resources
                if self.resources[r["LogicalResourceId"]].get("DeletionPolicy") == "Retain"}


# -- the launcher -------------------------------------------------------------------------------


class Server:
    def __init__(self, stock: bool, verbose: bool, disable: str = ""):
        command = [sys.executable, "-m", "moto.server"] if stock else [sys.executable, str(HERE / "launcher.py")]
        if verbose and not stock:
            command.append("--log-requests")
        command += ["-H", "127.0.0.1", "-p", "0"]
        started = time.monotonic()
        env = dict(os.environ, ML_PROVISIONER_MOTO_DISABLE=disable)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.stderr: list[str] = []
        stream = self.process.stderr if stock else self.process.stdout
        pattern = r"Running on (http://127\.0\.0\.1:\d+)" if stock else r"^moto-launcher: listening on (http://\S+)$"
        self.url = None
        for line in stream:
            if stock:
                self.stderr.append(line)
            match = re.search(pattern, line.rstrip("\n"))
            if match:
                self.url = match.group(1)
                break
        if self.url is None:
            raise SystemExit(f"the server did not start: {''.join(self.stderr)}{self.process.stderr.read()}")
        self.startup = time.monotonic() - started

        def drain(pipe: Any) -> None:
            for line in pipe:
                self.stderr.append(line)
                if verbose:
                    sys.stderr.write(line)

        threading.Thread(target=drain, args=(self.process.stderr,), daemon=True).start()
        if not stock:
            threading.Thread(target=drain, args=(self.process.stdout,), daemon=True).start()

    def control(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_ml_provisioner/{path}", data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def stop(self) -> int:
        self.process.stdin.close()  # the launcher exits when its stdin closes
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9


# -- AWS clients --------------------------------------------------------------------------------


class Account:
    """Clients in one AWS account of the endpoint: sts:AssumeRole into it, as the CLI's tests do."""

    def __init__(self, url: str, account_id: str):
        self.url = url
        self.config = Config(retries={"max_attempts": 1, "mode": "standard"}, s3={"addressing_style": "path"})
        base = self._session("testing", "testing", None)
        credentials = base.client("sts", **self._kw()).assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/x", RoleSessionName="check-launcher"
        )["Credentials"]
        self.session = self._session(
            credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
        )
        self.account_id = account_id
        self._clients: dict[str, Any] = {}

    def _session(self, key: str, secret: str, token: str | None) -> Any:
        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
        )

    def _kw(self, **config: Any) -> dict[str, Any]:
        return {"endpoint_url": self.url, "config": self.config.merge(Config(**config)) if config else self.config}

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._clients:
            self._clients[service] = self.session.client(service, **self._kw())
        return self._clients[service]

    def client(self, service: str, **config: Any) -> Any:
        return self.session.client(service, **self._kw(**config))


# -- stacks -------------------------------------------------------------------------------------


def change_set(account: Account, stack: str, name: str, kind: str, template: Template, tags: dict[str, str]) -> dict:
    """Creates a change set and returns its description (Status FAILED included: moto's and AWS's
    way to say "no changes"); None when CreateChangeSet itself refused "no updates"."""
    cfn = account.cloudformation
    try:
        created = cfn.create_change_set(
            StackName=stack, ChangeSetName=name, ChangeSetType=kind, TemplateBody=template.body,
            Capabilities=["CAPABILITY_NAMED_IAM"], Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )
    except ClientError as error:
        if any(text in str(error) for text in NO_CHANGES):
            return None
        raise
    for _ in range(100):
        described = cfn.describe_change_set(ChangeSetName=created["Id"], StackName=stack)
        if described["Status"] not in ("CREATE_PENDING", "CREATE_IN_PROGRESS"):
            return described
        time.sleep(0.1)
    raise CheckFailed(f"change set {name} never left {described['Status']}")


def no_changes(described: dict | None) -> bool:
    if described is None:
        return True
    if described["Status"] == "FAILED":
        return any(text in (described.get("StatusReason") or "") for text in NO_CHANGES)
    return described["Status"] == "CREATE_COMPLETE" and not described.get("Changes")


def wait_stack(account: Account, stack: str, done: tuple[str, ...]) -> dict:
    for _ in range(200):
        found = account.cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        if found["StackStatus"] in done or not found["StackStatus"].endswith("_IN_PROGRESS"):
            return found
        time.sleep(0.1)
    return found


def drift(account: Account, stack: str) -> tuple[dict, list[dict]]:
    cfn = account.cloudformation
    detection_id = cfn.detect_stack_drift(StackName=stack)["StackDriftDetectionId"]
    for _ in range(100):
        status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection_id)
        if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
            break
        time.sleep(0.1)
    drifts = cfn.describe_stack_resource_drifts(StackName=stack)["StackResourceDrifts"]
    return status, drifts


# -- the checks ---------------------------------------------------------------------------------


class Tier:
    def __init__(self, tier: str, config: str, account: Account, home: Path):
        self.tier = tier
        self.config = config
        self.account = account
        stem = config.removesuffix(".yaml")
        self.template = Template(home / "templates" / f"{stem}-template.yaml")
        self.tagged = Template(home / "templates" / f"{stem}{TAGGED_SUFFIX}-template.yaml")
        self.stack = f"{self.template.ml_name}-stack"
        self.tags = {"ml:name": self.template.ml_name, "ml:managed-by": "ml-provisioner"}
        self.deployed: dict | None = None
        self.parameters: dict | None = None  # the SSM parameters after the deploy


def check_deploy(tier: Tier) -> str:
    account, template = tier.account, tier.template
    created = change_set(account, tier.stack, "create", "CREATE", template, tier.tags)
    expect(created["Status"] == "CREATE_COMPLETE", f"CREATE change set {created['Status']}: {created.get('StatusReason')}")
    adds = {c["ResourceChange"]["LogicalResourceId"] for c in created["Changes"] if c["ResourceChange"]["Action"] == "Add"}
    expect(adds == set(template.resources), f"change set adds {len(adds)} of {len(template.resources)} resources")
    account.cloudformation.execute_change_set(ChangeSetName=created["ChangeSetId"], StackName=tier.stack)
    stack = wait_stack(account, tier.stack, ("CREATE_COMPLETE",))
    expect(stack["StackStatus"] == "CREATE_COMPLETE", f"stack {stack['StackStatus']}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}
    expect(set(outputs) == set(template.outputs), f"outputs {sorted(outputs)} != template's {sorted(template.outputs)}")
    expect(outputs["MlName"] == template.ml_name, f"MlName output {outputs['MlName']}")
    expect(outputs["SsmParameterPath"] == f"/ml/{template.ml_name}/", f"SsmParameterPath {outputs['SsmParameterPath']}")
    summaries = account.cloudformation.list_stack_resources(StackName=tier.stack)["StackResourceSummaries"]
    listed = {s["LogicalResourceId"]: s for s in summaries}
    expect(set(listed) == set(template.resources), f"{len(listed)} stack resources of {len(template.resources)}")
    missing_ids = [k for k, s in listed.items() if not s.get("PhysicalResourceId")]
    expect(not missing_ids, f"no physical id: {missing_ids}")
    tier.deployed = outputs
    return f"{len(listed)} resources, {len(outputs)} outputs"


def check_objects(tier: Tier) -> str:
    """The objects the stack made exist in their services (what the launcher's models delegate)."""
    account, template, outputs = tier.account, tier.template, tier.deployed
    expect(outputs is not None, "not deployed")
    path = f"/ml/{template.ml_name}/"
    pages = account.ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True)
    parameters = {p["Name"]: p["Value"] for page in pages for p in page["Parameters"]}
    expect(set(parameters) == template.ssm_names(), f"SSM parameters under {path}: {sorted(parameters)}")
    expect(all(parameters.values()), "an SSM parameter is empty")
    expect(parameters[f"{path}BucketName"] == outputs["ArtifactBucketName"], "BucketName parameter != output")
    if tier.parameters is None:
        tier.parameters = parameters
    else:  # checked again after an update that changed only tags: the same identifiers
        changed = {k: (v, parameters.get(k)) for k, v in tier.parameters.items() if parameters.get(k) != v}
        expect(not changed, f"identifiers published in SSM changed: {changed}")
    for logical_id, repo in template.of_type("AWS::CodeCommit::Repository").items():
        found = account.codecommit.get_repository(repositoryName=repo["Properties"]["RepositoryName"])
        expect(found["repositoryMetadata"]["cloneUrlHttp"].startswith("https://git-codecommit."), f"{logical_id} clone URL")
    for group in template.of_type("AWS::SageMaker::ModelPackageGroup").values():
        account.sagemaker.describe_model_package_group(ModelPackageGroupName=group["Properties"]["ModelPackageGroupName"])
    expect(outputs["ModelPackageGroupArn"].startswith("arn:aws:sagemaker:"), "Ref of a model package group is its ARN")
    account.s3.get_bucket_policy(Bucket=outputs["ArtifactBucketName"])
    projects = [p["Properties"]["Name"] for p in template.of_type("AWS::CodeBuild::Project").values()]
    found = account.codebuild.batch_get_projects(names=projects)["projects"]
    expect(len(found) == len(projects), f"CodeBuild projects {len(found)} of {len(projects)}")
    for pipeline in template.of_type("AWS::CodePipeline::Pipeline").values():
        account.codepipeline.get_pipeline(name=pipeline["Properties"]["Name"])
    if template.of_type("AWS::SNS::Subscription"):
        subscriptions = account.sns.list_subscriptions_by_topic(TopicArn=outputs["AlertsTopicArn"])["Subscriptions"]
        expect(len(subscriptions) == len(template.of_type("AWS::SNS::Subscription")), "SNS subscriptions")
        policy = account.sns.get_topic_attributes(TopicArn=outputs["AlertsTopicArn"])["Attributes"]["Policy"]
        expect("events.amazonaws.com" in policy, "the topic policy is the template's")
    # An object in the artifact bucket: the bucket policy (Deny unless TLS) must not block it.
    account.s3.put_object(Bucket=outputs["ArtifactBucketName"], Key="probe.txt", Body=b"probe")
    account.s3.delete_object(Bucket=outputs["ArtifactBucketName"], Key="probe.txt")
    return f"{len(parameters)} SSM parameters, repositories, model package group, projects, pipelines"


def check_no_change(tier: Tier) -> str:
    described = change_set(tier.account, tier.stack, "same", "UPDATE", tier.template, tier.tags)
    expect(no_changes(described), f"a no-change update gave {described and described['Status']}: "
           f"{described and [c['ResourceChange']['LogicalResourceId'] for c in described.get('Changes', [])]}")
    if described is not None:
        if described["Status"] == "FAILED":
            try:
                tier.account.cloudformation.execute_change_set(ChangeSetName=described["ChangeSetId"], StackName=tier.stack)
                raise CheckFailed("a FAILED change set was executed")
            except ClientError as error:
                expect(error.response["Error"]["Code"] == "InvalidChangeSetStatus", f"{error}")
        tier.account.cloudformation.delete_change_set(ChangeSetName=described["ChangeSetId"], StackName=tier.stack)
    try:
        change_set(tier.account, tier.stack, "again", "CREATE", tier.template, tier.tags)
        raise CheckFailed("a CREATE change set for an existing stack was accepted")
    except ClientError as error:
        expect(error.response["Error"]["Code"] == "AlreadyExistsException", f"{error}")
    return "recognised as no changes" + ("" if described is None else f" ({described['Status']})") + \
        "; CREATE on it: AlreadyExistsException"


def check_drift(tier: Tier) -> str:
    account, template = tier.account, tier.template
    status, drifts = drift(account, tier.stack)
    expect(status["DetectionStatus"] == "DETECTION_COMPLETE", f"detection {status['DetectionStatus']}")
    expect(status["StackDriftStatus"] == "IN_SYNC", f"a fresh stack is {status['StackDriftStatus']}: "
           f"{[(d['LogicalResourceId'], d.get('PropertyDifferences')) for d in drifts if d['StackResourceDriftStatus'] != 'IN_SYNC' and d['StackResourceDriftStatus'] != 'NOT_CHECKED']}")
    by_status: dict[str, int] = {}
    for d in drifts:
        by_status[d["StackResourceDriftStatus"]] = by_status.get(d["StackResourceDriftStatus"], 0) + 1
    expect(len(drifts) == len(template.resources), f"{len(drifts)} resource drifts of {len(template.resources)}")
    kinds = {d["ResourceType"]: d["StackResourceDriftStatus"] for d in drifts}
    expect(kinds.get("AWS::SSM::Parameter") == "IN_SYNC", "SSM parameters are checked")
    expect(kinds.get("AWS::CodeBuild::Project") == "NOT_CHECKED", "an unsupported type is NOT_CHECKED")

    name = f"/ml/{template.ml_name}/BucketName"
    logical_id = next(k for k, v in template.of_type("AWS::SSM::Parameter").items() if v["Properties"]["Name"] == name)
    before = account.ssm.get_parameter(Name=name)["Parameter"]["Value"]
    account.ssm.put_parameter(Name=name, Value="changed-out-of-band", Overwrite=True)
    status, drifts = drift(account, tier.stack)
    expect(status["StackDriftStatus"] == "DRIFTED", f"after an out-of-band change: {status['StackDriftStatus']}")
    expect(status["DriftedStackResourceCount"] == 1, f"{status['DriftedStackResourceCount']} drifted resources")
    changed = [d for d in drifts if d["StackResourceDriftStatus"] == "MODIFIED"]
    expect([d["LogicalResourceId"] for d in changed] == [logical_id], f"modified: {[d['LogicalResourceId'] for d in changed]}")
    differences = changed[0]["PropertyDifferences"]
    expect(differences == [{"PropertyPath": "/Value", "ExpectedValue": before, "ActualValue": "changed-out-of-band",
                            "DifferenceType": "NOT_EQUAL"}], f"differences {differences}")
    expect(json.loads(changed[0]["ActualProperties"])["Value"] == "changed-out-of-band", "ActualProperties")
    expect(json.loads(changed[0]["ExpectedProperties"])["Value"] == before, "ExpectedProperties")
    described = account.cloudformation.describe_stacks(StackName=tier.stack)["Stacks"][0]
    expect(described["DriftInformation"]["StackDriftStatus"] == "DRIFTED", "DescribeStacks' DriftInformation")
    account.ssm.put_parameter(Name=name, Value=before, Overwrite=True)
    status, _ = drift(account, tier.stack)
    expect(status["StackDriftStatus"] == "IN_SYNC", f"restored: {status['StackDriftStatus']}")
    return f"IN_SYNC, DRIFTED on /Value, IN_SYNC again ({', '.join(f'{v} {k}' for k, v in sorted(by_status.items()))})"


def check_tag_change(tier: Tier) -> str:
    account, tagged = tier.account, tier.tagged
    described = change_set(account, tier.stack, "tagged", "UPDATE", tagged, tier.tags)
    expect(described is not None and described["Status"] == "CREATE_COMPLETE",
           f"tag change set {described and described['Status']}: {described and described.get('StatusReason')}")
    actions = {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"]["Action"] for c in described["Changes"]}
    changed = {k for k, v in tier.template.resources.items() if v != tagged.resources.get(k)}
    expect(changed, "the tagged template differs")
    expect(actions == {k: "Modify" for k in changed}, f"changes {actions}, expected Modify for {sorted(changed)}")
    account.cloudformation.execute_change_set(ChangeSetName=described["ChangeSetId"], StackName=tier.stack)
    stack = wait_stack(account, tier.stack, ("UPDATE_COMPLETE",))
    expect(stack["StackStatus"] == "UPDATE_COMPLETE", f"stack {stack['StackStatus']}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}
    expect(outputs == tier.deployed, "outputs changed by a tag change")
    status, drifts = drift(account, tier.stack)
    expect(status["StackDriftStatus"] == "IN_SYNC",
           f"after the update: {[(d['LogicalResourceId'], d.get('PropertyDifferences')) for d in drifts if d['StackResourceDriftStatus'] == 'MODIFIED']}")
    tier.template = tagged
    check_objects(tier)  # everything still there (subscriptions, policies, ids)
    return f"{len(actions)} Modify, executed, still IN_SYNC, objects unchanged"


def check_stack_tag_change(tier: Tier) -> str:
    """Only the stack's tags change (same template): AWS lists a Modify per taggable resource."""
    tags = dict(tier.tags, **{"ml:extra": "yes"})
    described = change_set(tier.account, tier.stack, "stacktags", "UPDATE", tier.template, tags)
    expect(described is not None and described["Status"] == "CREATE_COMPLETE", "a stack-tag change is a change")
    taggable = {k for k, v in tier.template.resources.items() if "Tags" in (v.get("Properties") or {})}
    modified = {c["ResourceChange"]["LogicalResourceId"] for c in described["Changes"]}
    expect(modified == taggable, f"{len(modified)} Modify, {len(taggable)} taggable resources")
    tier.account.cloudformation.delete_change_set(ChangeSetName=described["ChangeSetId"], StackName=tier.stack)
    return f"{len(modified)} Modify"


def check_delete(tier: Tier) -> str:
    account, template, outputs = tier.account, tier.template, tier.deployed
    expect(outputs is not None, "not deployed")
    bucket = outputs["ArtifactBucketName"]
    account.s3.put_object(Bucket=bucket, Key="model.tar.gz", Body=b"artifact")
    account.s3.put_object(Bucket=bucket, Key="model.tar.gz", Body=b"artifact v2")
    kept = template.kept(account.cloudformation.list_stack_resources(StackName=tier.stack)["StackResourceSummaries"])
    account.cloudformation.delete_stack(StackName=tier.stack)
    stack = wait_stack(account, tier.stack, ("DELETE_FAILED", "DELETE_COMPLETE"))
    expect(stack["StackStatus"] == "DELETE_FAILED", f"deleting with a non-empty bucket: {stack['StackStatus']}")
    account.s3.head_bucket(Bucket=bucket)
    # Empty it as the CLI does (every version and delete marker), then delete again.
    versions = account.s3.list_object_versions(Bucket=bucket)
    objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions.get("Versions", []) + versions.get("DeleteMarkers", [])]
    account.s3.delete_objects(Bucket=bucket, Delete={"Objects": objects})
    account.cloudformation.delete_stack(StackName=tier.stack)
    stack = wait_stack(account, stack["StackId"], ("DELETE_COMPLETE",))
    expect(stack["StackStatus"] == "DELETE_COMPLETE", f"after emptying the bucket: {stack['StackStatus']}")

    left = []
    pages = account.ssm.get_paginator("get_parameters_by_path").paginate(Path=f"/ml/{template.ml_name}/", Recursive=True)
    left += [p["Name"] for page in pages for p in page["Parameters"]]
    for repo in template.of_type("AWS::CodeCommit::Repository").values():  # moto has no ListRepositories
        try:
            account.codecommit.get_repository(repositoryName=repo["Properties"]["RepositoryName"])
            left.append(repo["Properties"]["RepositoryName"])
        except ClientError as error:
            expect(error.response["Error"]["Code"] == "RepositoryDoesNotExistException", f"{error}")
    left += [g["ModelPackageGroupName"] for g in account.sagemaker.list_model_package_groups()["ModelPackageGroupSummaryList"]]
    left += [s["SubscriptionArn"] for s in account.sns.list_subscriptions()["Subscriptions"]]
    left += [t["TopicArn"] for t in account.sns.list_topics()["Topics"]]
    left += [b["Name"] for b in account.s3.list_buckets()["Buckets"]]
    left += account.codebuild.list_projects()["projects"]
    left += [p["name"] for p in account.codepipeline.list_pipelines()["pipelines"]]
    left += [d["DashboardName"] for d in account.cloudwatch.list_dashboards()["DashboardEntries"]]
    left += [g["logGroupName"] for g in account.logs.describe_log_groups()["logGroups"]]
    left += [a["AliasName"] for a in account.kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")]
    left += [r["RoleName"] for r in account.iam.list_roles()["Roles"] if r["RoleName"] in
             {v["Properties"].get("RoleName") for v in template.of_type("AWS::IAM::Role").values()}]
    left += [e["VpcEndpointId"] for e in account.ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"] != "deleted"]
    left += [r["Name"] for r in account.events.list_rules()["Rules"]]
    expect(kept <= set(left), f"DeletionPolicy Retain not kept: {sorted(kept - set(left))}")
    left = [x for x in left if x not in kept]
    expect(not left, f"left behind: {left}")
    return "DELETE_FAILED on a non-empty bucket, then DELETE_COMPLETE with nothing left" + (
        f" but the kept {sorted(kept)}" if kept else "")


def put_ssm_parameters(account: Account, template: Template, network: dict[str, Any]) -> int:
    """What the template's AWS::SSM::Parameter::Value<...> parameters point at, as ml-provisioner's
    neighbours (VPC Provisioner, SG Provisioner) would have published it."""
    values = {
        "AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>": network["vpc"],
        "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>": ",".join(network["subnets"]),
        "AWS::SSM::Parameter::Value<AWS::EC2::SecurityGroup::Id>": network["security_group"],
    }
    count = 0
    for name, parameter in template.parameters.items():
        kind = parameter["Type"]
        expect(kind in values, f"parameter {name}: no value for {kind}")
        account.ssm.put_parameter(Name=parameter["Default"], Value=values[kind], Type="String")
        count += 1
    return count


def deploy_and_delete(account: Account, template: Template, stack: str) -> int:
    created = change_set(account, stack, "create", "CREATE", template, {})
    expect(created["Status"] == "CREATE_COMPLETE", f"CREATE change set {created['Status']}: {created.get('StatusReason')}")
    account.cloudformation.execute_change_set(ChangeSetName=created["ChangeSetId"], StackName=stack)
    found = wait_stack(account, stack, ("CREATE_COMPLETE",))
    events = account.cloudformation.describe_stack_events(StackName=stack)["StackEvents"]
    expect(found["StackStatus"] == "CREATE_COMPLETE",
           f"stack {found['StackStatus']}: {[e.get('ResourceStatusReason') for e in events if e.get('ResourceStatusReason')]}")
    outputs = {o["OutputKey"] for o in found.get("Outputs") or []}
    expect(outputs == set(template.outputs), f"outputs {sorted(outputs)}")
    resources = account.cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    expect(len(resources) == len(template.resources), f"{len(resources)} resources of {len(template.resources)}")
    kept = template.kept(resources)
    account.cloudformation.delete_stack(StackName=stack)
    found = wait_stack(account, found["StackId"], ("DELETE_COMPLETE",))
    expect(found["StackStatus"] == "DELETE_COMPLETE", f"delete: {found['StackStatus']}")
    left = [e["VpcEndpointId"] for e in account.ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"] != "deleted"]
    left += [b["Name"] for b in account.s3.list_buckets()["Buckets"]]
    pages = account.ssm.get_paginator("get_parameters_by_path").paginate(Path=f"/ml/{template.ml_name}/", Recursive=True)
    left += [p["Name"] for page in pages for p in page["Parameters"]]
    expect(kept <= set(left), f"DeletionPolicy Retain not kept: {sorted(kept - set(left))}")
    left = [x for x in left if x not in kept]
    expect(not left, f"left behind: {left}")
    return len(resources)


def check_variant(account: Account, template: Template, network: dict[str, Any]) -> str:
    put = put_ssm_parameters(account, template, network) if template.parameters else 0
    count = deploy_and_delete(account, template, f"{template.ml_name}-stack")
    return f"{count} resources" + (f", {put} parameters from SSM" if put else "") + ", deleted"


def check_parallel(url: str, template: Template) -> str:
    """Three accounts deploy and delete the same template at once (the CLI's tests run in
    parallel, each in its own account)."""
    errors: list[str] = []

    def one(account_id: str) -> None:
        try:
            deploy_and_delete(Account(url, account_id), template, f"{template.ml_name}-stack")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"{account_id}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=one, args=(a,)) for a in PARALLEL_ACCOUNTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expect(not errors, "; ".join(errors))
    return f"{len(PARALLEL_ACCOUNTS)} accounts at once, each deployed and deleted"


FAILING_TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: check-launcher-rollback
  First:
    Type: AWS::CodeCommit::Repository
    DependsOn: Bucket
    Properties:
      RepositoryName: check-launcher-twice
  Second:
    Type: AWS::CodeCommit::Repository
    DependsOn: First
    Properties:
      RepositoryName: check-launcher-twice
"""


def check_rollback(url: str) -> str:
    """A CREATE that fails part way rolls back (moto answered HTTP 500 and kept the stack)."""
    account = Account(url, "888800000001")
    path = Path(tempfile.mkdtemp(prefix="check-launcher-")) / "failing.yaml"
    path.write_text(FAILING_TEMPLATE.replace("AWSTemplateFormatVersion", "Metadata: {MlProvisioner: {MlName: x}}\nAWSTemplateFormatVersion"))
    template = Template(path)
    shutil.rmtree(path.parent)
    created = change_set(account, "failing", "create", "CREATE", template, {})
    account.cloudformation.execute_change_set(ChangeSetName=created["ChangeSetId"], StackName="failing")
    stack = wait_stack(account, "failing", ("ROLLBACK_COMPLETE",))
    expect(stack["StackStatus"] == "ROLLBACK_COMPLETE", f"stack {stack['StackStatus']}")
    events = account.cloudformation.describe_stack_events(StackName="failing")["StackEvents"]
    reasons = [e["ResourceStatusReason"] for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    expect(reasons and "check-launcher-twice" in reasons[0], f"CREATE_FAILED reasons {reasons}")
    left = [b["Name"] for b in account.s3.list_buckets()["Buckets"]]
    try:
        account.codecommit.get_repository(repositoryName="check-launcher-twice")
        left.append("check-launcher-twice")
    except ClientError:
        pass
    expect(not left, f"not rolled back: {left}")
    return "ROLLBACK_COMPLETE, the error in CREATE_FAILED's reason, nothing left"


BUCKET_TEMPLATE = """
Metadata: {MlProvisioner: {MlName: x}}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: check-launcher-review
"""


def check_review_again(url: str) -> str:
    """A second CREATE change set for a stack under review (none executed) takes its place."""
    account = Account(url, "888800000002")
    path = Path(tempfile.mkdtemp(prefix="check-launcher-")) / "bucket.yaml"
    path.write_text(BUCKET_TEMPLATE)
    template = Template(path)
    shutil.rmtree(path.parent)
    change_set(account, "review", "first", "CREATE", template, {})
    second = change_set(account, "review", "second", "CREATE", template, {})
    stacks = [s for s in account.cloudformation.list_stacks()["StackSummaries"] if s["StackName"] == "review"]
    expect(len(stacks) == 1, f"{len(stacks)} stacks named review")
    account.cloudformation.execute_change_set(ChangeSetName=second["ChangeSetId"], StackName="review")
    stack = wait_stack(account, "review", ("CREATE_COMPLETE",))
    expect(stack["StackStatus"] == "CREATE_COMPLETE", f"stack {stack['StackStatus']}")
    account.cloudformation.delete_stack(StackName="review")
    return "one stack, created by the second change set"


def check_awscli(url: str, template: Template) -> str:
    """awscli v1's `cloudformation deploy` (the benchmark's peer) creates, then sees no changes."""
    account = Account(url, "888800000003")
    credentials = account.session.get_credentials()
    aws = Path(sys.executable).parent / "aws"
    env = dict(
        os.environ, AWS_ACCESS_KEY_ID=credentials.access_key, AWS_SECRET_ACCESS_KEY=credentials.secret_key,
        AWS_SESSION_TOKEN=credentials.token, AWS_DEFAULT_REGION=REGION, AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true",
    )
    command = [str(aws), "--endpoint-url", url, "cloudformation", "deploy", "--template-file", str(template.path),
               "--stack-name", "awscli", "--capabilities", "CAPABILITY_NAMED_IAM", "--tags", "by=awscli"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    expect(first.returncode == 0 and "Successfully created/updated stack" in first.stdout, f"{first.stdout}{first.stderr}")
    again = subprocess.run(command + ["--no-fail-on-empty-changeset"], env=env, capture_output=True, text=True, timeout=120)
    expect(again.returncode == 0 and "No changes to deploy" in again.stdout, f"{again.stdout}{again.stderr}")
    stack = account.cloudformation.describe_stacks(StackName="awscli")["Stacks"][0]
    expect(stack["StackStatus"] == "CREATE_COMPLETE" and len(stack["Outputs"]) == len(template.outputs), "outputs")
    account.cloudformation.delete_stack(StackName="awscli")
    return "created, then \"No changes to deploy\""


def check_metering(server: Server, accounts: dict[str, Account]) -> str:
    states = {"entitled": "111111111111", "not-subscribed": "222222222222", "not-entitled": "333333333333"}
    seen = []
    for state, account_id in states.items():
        status, answer = server.control("POST", "metering", {"account": account_id, "state": state})
        expect(status == 200, f"setting {state}: {status} {answer}")
    for state, account_id in states.items():
        account = accounts.get(account_id) or Account(server.url, account_id)
        metering = account.meteringmarketplace
        try:
            answer = metering.register_usage(ProductCode="prod-code-1234", PublicKeyVersion=1)
            got = "entitled"
            expect(answer["Signature"].count(".") == 2 and answer["PublicKeyRotationTimestamp"].year == 2026, f"answer {answer}")
        except ClientError as error:
            got = error.response["Error"]["Code"]
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            expect(status == 400, f"account in state {state}: HTTP {status} {error.response['Error']}")
            expect(error.response["Error"].get("Message"), "an error message")
        want = {"entitled": "entitled", "not-subscribed": "CustomerNotSubscribedException",
                "not-entitled": "CustomerNotEntitledException"}[state]
        expect(got == want, f"account in state {state}: {got}")
        seen.append(got)
    # The default (an account never set) is entitled; a missing product code is refused.
    fresh = Account(server.url, "444444444444")
    expect(fresh.meteringmarketplace.register_usage(ProductCode="p", PublicKeyVersion=1)["Signature"],
           "the default state")
    unchecked = fresh.client("meteringmarketplace", parameter_validation=False)
    try:
        unchecked.register_usage(ProductCode="", PublicKeyVersion=1)
        raise CheckFailed("an empty product code was accepted")
    except ClientError as error:
        expect(error.response["Error"]["Code"] == "InvalidProductCodeException", f"{error.response['Error']}")
    status, answer = server.control("POST", "metering", {"account": "12", "state": "entitled"})
    expect(status == 400, "a malformed account is refused")
    status, answer = server.control("POST", "metering", {"account": "123456789012", "state": "maybe"})
    expect(status == 400, "an unknown state is refused")
    return ", ".join(seen) + "; default entitled; empty product code refused"


def check_request_log(server: Server) -> str:
    account = Account(server.url, "555555555555")
    status, answer = server.control("POST", "requests/reset", {"account": "555555555555"})
    expect(status == 200, f"reset: {status} {answer}")
    status, entries = server.control("GET", "requests?account=555555555555")
    expect(status == 200 and entries == [], f"after a reset: {entries}")
    time.sleep(0.2)  # an action that sends nothing: the log stays empty
    status, entries = server.control("GET", "requests?account=555555555555")
    expect(entries == [], f"nothing was sent: {entries}")
    account.sts.get_caller_identity()
    account.ssm.get_parameters_by_path(Path="/nothing/")
    account.cloudformation.list_stacks()
    status, entries = server.control("GET", "requests?account=555555555555")
    operations = [(e["service"], e["operation"]) for e in entries]
    expect(operations == [("sts", "GetCallerIdentity"), ("ssm", "GetParametersByPath"), ("cloudformation", "ListStacks")],
           f"logged {operations}")
    expect(all(e["status"] == 200 and e["method"] == "POST" and e["account"] == "555555555555" for e in entries),
           f"entries {entries}")
    last = entries[-1]["seq"]
    server.control("GET", "metering")
    status, later = server.control("GET", f"requests?since={last}")
    expect(all("_ml_provisioner" not in e["path"] for e in later), "the test endpoints are not logged")
    expect(server.control("GET", "nothing")[0] == 404, "an unknown test endpoint is 404")
    return f"{len(entries)} requests of one account, by operation; test endpoints not logged"


def check_version_refusal() -> str:
    code = (
        "import importlib.metadata as m, runpy, sys; m.version = lambda name: '5.2.4'; "
        f"sys.argv = ['launcher.py']; runpy.run_path({str(HERE / 'launcher.py')!r}, run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    expect(result.returncode == 3 and "needs moto 5.2.5" in result.stderr, f"{result.returncode}: {result.stderr[-300:]}")
    return "another moto version: exit 3 with a message"


# -- main ---------------------------------------------------------------------------------------


def find_cli(given: str | None) -> Path:
    candidates = [given, os.environ.get("ML_PROVISIONER_BIN"),
                  str(Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "ml-provisioner")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).resolve()
    raise SystemExit(f"no ml-provisioner binary (tried {[c for c in candidates if c]}): build it, or pass --cli")


def prepare_configs(home: Path, enterprise_vpc: tuple[str, list[str]], variants: dict[str, dict[str, Any]]) -> None:
    (home / "configs").mkdir(parents=True)
    for name, network in variants.items():
        config = yaml.safe_load((ROOT / "examples" / "configs" / name).read_text())
        vpc = config["ml_product"]["vpc_integration"]
        if vpc["vpc_source"] == "direct":
            vpc["vpc_id"], vpc["subnet_ids"] = network["vpc"], network["subnets"]
        if "route_table_ids" in vpc:
            vpc["route_table_ids"] = [network["route_table"]]
        (home / "configs" / name).write_text(yaml.safe_dump(config, sort_keys=False))
    for tier, name in CONFIGS.items():
        config = yaml.safe_load((ROOT / "examples" / "configs" / name).read_text())
        if tier == "enterprise":
            vpc = config["ml_product"]["vpc_integration"]
            expect(vpc["vpc_source"] == "direct", "the enterprise example takes its VPC directly")
            vpc["vpc_id"], vpc["subnet_ids"] = enterprise_vpc
        (home / "configs" / name).write_text(yaml.safe_dump(config, sort_keys=False))
        config.setdefault("tags", {})["check-launcher"] = "tag-change"
        tagged = name.removesuffix(".yaml") + TAGGED_SUFFIX + ".yaml"
        (home / "configs" / tagged).write_text(yaml.safe_dump(config, sort_keys=False))


def generate(cli: Path, home: Path) -> None:
    result = subprocess.run(
        [str(cli), "--all", "-act", "create-prov-template"], cwd=home, capture_output=True, text=True,
        env=dict(os.environ, ML_PROVISIONER_HOME=str(home)), timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"create-prov-template --all failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def make_vpc(account: Account) -> tuple[str, list[str]]:
    vpc = account.ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        account.ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
        for i, zone in ((1, "a"), (2, "b"))
    ]
    return vpc, subnets


def make_network(account: Account) -> dict[str, Any]:
    """A VPC with two subnets, a route table and a security group, as the neighbours make them."""
    vpc, subnets = make_vpc(account)
    return {
        "vpc": vpc,
        "subnets": subnets,
        "route_table": account.ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"],
        "security_group": account.ec2.create_security_group(
            GroupName="sg-provisioner-app", Description="from SG Provisioner", VpcId=vpc)["GroupId"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", help="the ml-provisioner binary")
    parser.add_argument("--stock", action="store_true", help="against plain moto_server (most checks must fail)")
    parser.add_argument("-v", "--verbose", action="store_true", help="the server's log on stderr")
    parser.add_argument("--disable", default="", metavar="NAMES",
                        help="leave these parts of the launcher out (comma-separated; see launcher.py): "
                             "the checks that catch their absence fail")
    args = parser.parse_args()
    cli = find_cli(args.cli)
    started = time.monotonic()
    server = Server(args.stock, args.verbose, args.disable)
    print(f"{'moto_server (stock)' if args.stock else 'launcher'} at {server.url}, started in {server.startup:.2f} s")
    results: list[tuple[str, bool, str, float]] = []

    def run(name: str, check: Callable[[], str]) -> None:
        begun = time.monotonic()
        try:
            detail, ok = check(), True
        except Exception as error:  # noqa: BLE001 - every failure is reported, the next check runs
            detail, ok = f"{type(error).__name__}: {error}", False
            if args.verbose:
                traceback.print_exc()
        elapsed = time.monotonic() - begun
        results.append((name, ok, detail, elapsed))
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({elapsed:.1f} s): {detail}", flush=True)

    home = Path(tempfile.mkdtemp(prefix="check-launcher-"))
    try:
        accounts: dict[str, Account] = {}
        configs = {t: yaml.safe_load((ROOT / "examples" / "configs" / c).read_text()) for t, c in CONFIGS.items()}
        for tier, config in configs.items():
            account_id = config["client"]["account_id"]
            accounts[account_id] = Account(server.url, account_id)
        enterprise = accounts[configs["enterprise"]["client"]["account_id"]]
        variant_accounts = {label: Account(server.url, account_id) for label, (_, account_id) in VARIANTS.items()}
        networks = {label: make_network(variant_accounts[label]) for label in VARIANTS}
        prepare_configs(home, make_vpc(enterprise), {VARIANTS[label][0]: networks[label] for label in VARIANTS})
        generate(cli, home)
        tiers = [Tier(t, c, accounts[configs[t]["client"]["account_id"]], home) for t, c in CONFIGS.items()]

        for tier in tiers:
            run(f"{tier.tier}: deploy through a CREATE change set", lambda: check_deploy(tier))
            run(f"{tier.tier}: outputs, SSM parameters and service objects", lambda: check_objects(tier))
            run(f"{tier.tier}: a no-change update is no change", lambda: check_no_change(tier))
            run(f"{tier.tier}: drift IN_SYNC, then DRIFTED on an out-of-band SSM change", lambda: check_drift(tier))
            if tier.tier == "starter":
                run(f"{tier.tier}: a stack-tag change lists Modify entries", lambda: check_stack_tag_change(tier))
            run(f"{tier.tier}: a config tag change lists Modify entries and updates", lambda: check_tag_change(tier))
            run(f"{tier.tier}: delete fails on a non-empty bucket, then removes everything", lambda: check_delete(tier))
        for label, (name, _) in VARIANTS.items():
            variant = Template(home / "templates" / f"{name.removesuffix('.yaml')}-template.yaml")
            run(f"{label}: deploy and delete",
                lambda: check_variant(variant_accounts[label], variant, networks[label]))
        run("parallel: the starter template in three accounts at once",
            lambda: check_parallel(server.url, Template(home / "templates" / f"{CONFIGS['starter'].removesuffix('.yaml')}-template.yaml")))
        run("awscli v1: cloudformation deploy, twice",
            lambda: check_awscli(server.url, Template(home / "templates" / f"{CONFIGS['starter'].removesuffix('.yaml')}-template.yaml")))
        run("a failing CREATE rolls back", lambda: check_rollback(server.url))
        run("a CREATE change set again on a stack under review", lambda: check_review_again(server.url))
        run("metering: three states per account", lambda: check_metering(server, accounts))
        run("request log", lambda: check_request_log(server))
        if not args.stock:
            run("launcher refuses another moto version", check_version_refusal)
    finally:
        exit_code = server.stop()
        shutil.rmtree(home, ignore_errors=True)
    if not args.stock:
        ok = exit_code == 0
        results.append(("launcher exits when its stdin closes", ok, f"exit code {exit_code}", 0.0))
        print(f"{'ok  ' if ok else 'FAIL'} launcher exits when its stdin closes: exit code {exit_code}")
    failed = [r for r in results if not r[1]]
    print(f"check_launcher: {time.monotonic() - started:.1f} s in all")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
