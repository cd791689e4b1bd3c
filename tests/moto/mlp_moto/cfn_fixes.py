"""Narrow patches of moto 5.2.5 bugs that our generated templates hit (TOOLCHAIN.md, "Local AWS
endpoint"). Each patch says what moto does, what AWS does, and what changes here.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import AlreadyExistsException, CloudFormationError
from moto.core.common_models import CloudFormationModel
from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.ec2.models.security_groups import SecurityGroup, SecurityGroupIngress
from moto.ec2.models.vpcs import VPCEndPoint
from moto.iam.models import Role, iam_backends
from moto.s3.models import FakeBucket, s3_backends
from moto.sns.models import Topic
from moto.utilities.utils import get_partition


# Patches left out (the self-check's --disable, to show which check catches each): see apply().
DISABLED: set[str] = set()


class InvalidChangeSetStatus(CloudFormationError):
    code = "InvalidChangeSetStatus"


class BucketNotEmpty(Exception):
    """A stack delete meets a bucket with objects (AWS: the bucket stays, DELETE_FAILED)."""


# -- properties: CloudFormation's shape -> the shape moto's backend wants ---------------------


def backend_shape(resource_type: str, resource_json: dict[str, Any]) -> dict[str, Any]:
    """The resolved resource as moto's create/update code for its type can take it. The template's
    own shape is kept (for drift detection) by the caller."""
    resource_json = copy.deepcopy(resource_json)
    props = resource_json.setdefault("Properties", {})
    if resource_type == "AWS::SSM::Parameter" and isinstance(props.get("Tags"), dict) and "ssm-tags" not in DISABLED:
        # CloudFormation's SSM Tags is a map; moto's SSM backend iterates a Key/Value list
        # (else: TypeError "string indices must be integers", stack left in REVIEW_IN_PROGRESS).
        props["Tags"] = [{"Key": k, "Value": v} for k, v in props["Tags"].items()]
    elif resource_type == "AWS::KMS::Key" and "kms-shape" not in DISABLED:
        # moto's KMS tags are TagKey/TagValue (else KeyError 'TagKey'); its key policy a string.
        props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props.get("Tags") or []]
        if "KeyPolicy" in props and not isinstance(props["KeyPolicy"], str):
            props["KeyPolicy"] = json.dumps(props["KeyPolicy"])
    elif resource_type == "AWS::EC2::VPCEndpoint" and "vpce-routes" not in DISABLED:
        # RouteTableIds is optional in AWS (a gateway endpoint without routes); moto iterates it
        # ('NoneType' object is not iterable).
        props.setdefault("RouteTableIds", [])
    return resource_json


def record_properties(resources_map: Any, logical_id: str, resource_json: dict[str, Any]) -> None:
    """Keeps the template-resolved properties of each resource, for drift detection."""
    if not hasattr(resources_map, "mlp_properties"):
        resources_map.mlp_properties = {}
    resources_map.mlp_properties[logical_id] = copy.deepcopy(resource_json.get("Properties") or {})


def parse_and_create_resource(logical_id, resource_json, resources_map, account_id, region_name):
    # moto's own function, plus backend_shape() and record_properties().
    condition = resource_json.get("Condition")
    if condition and not resources_map.lazy_condition_map[condition]:
        return None
    resource_type = resource_json["Type"]
    resource_tuple = parsing.parse_resource_and_generate_name(logical_id, resource_json, resources_map)
    if not resource_tuple:
        return None
    resource_class, resource_json, resource_physical_name = resource_tuple
    record_properties(resources_map, logical_id, resource_json)
    kwargs = {"LogicalId": logical_id, "StackId": resources_map.stack_id, "ResourceType": resource_type}
    resource = resource_class.create_from_cloudformation_json(
        resource_physical_name, backend_shape(resource_type, resource_json), account_id, region_name, **kwargs
    )
    resource.cf_resource_type = resource_type
    resource.logical_resource_id = logical_id
    return resource


def parse_and_update_resource(logical_id, resource_json, resources_map, account_id, region_name):
    # moto's own function, plus backend_shape() and record_properties(); and where moto's model
    # has no update, moto returned None, which dropped the resource from the stack (a later
    # delete then left its object behind): the original object is kept instead.
    resource_tuple = parsing.parse_resource_and_generate_name(logical_id, resource_json, resources_map)
    if not resource_tuple:
        return None
    resource_class, resource_json, new_resource_name = resource_tuple
    original_resource = resources_map[logical_id]
    record_properties(resources_map, logical_id, resource_json)
    if hasattr(resource_class.update_from_cloudformation_json, "__isabstractmethod__"):
        return None if "keep-on-update" in DISABLED else original_resource
    new_resource = resource_class.update_from_cloudformation_json(
        original_resource=original_resource,
        new_resource_name=new_resource_name,
        cloudformation_json=backend_shape(resource_json["Type"], resource_json),
        account_id=account_id,
        region_name=region_name,
    )
    new_resource.cf_resource_type = resource_json["Type"]
    new_resource.logical_resource_id = logical_id
    return new_resource


# -- models ------------------------------------------------------------------------------------


@classmethod
def _vpc_endpoint_delete(cls, resource_name, cloudformation_json, account_id, region_name):
    # moto has no delete for a VPC endpoint made by CloudFormation: it stayed "available".
    ec2_backends[account_id][region_name].delete_vpc_endpoints([resource_name])


@classmethod
def _topic_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    # moto deletes and recreates the topic on any change (losing its subscriptions and policy);
    # AWS updates DisplayName, KmsMasterKeyId and Tags in place. Same name: in place here.
    props = cloudformation_json.get("Properties") or {}
    if props.get("TopicName", original_resource.name) != original_resource.name:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
    original_resource.display_name = props.get("DisplayName", "")
    original_resource.kms_master_key_id = props.get("KmsMasterKeyId", "")
    original_resource._tags = {t["Key"]: t["Value"] for t in props.get("Tags") or []}
    return original_resource


@classmethod
def _role_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    # moto updates only Description (and reads MaxSessionDuration from "RoleDescription"); AWS
    # also updates the trust policy, the inline policies, MaxSessionDuration and Tags.
    props = cloudformation_json.get("Properties") or {}
    backend = iam_backends[account_id][get_partition(region_name)]
    name = original_resource.name
    if props.get("RoleName", name) != name:
        role = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        cls.delete_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        return role
    role = backend.update_role(name, props.get("Description", ""), props.get("MaxSessionDuration", 3600))
    trust = props.get("AssumeRolePolicyDocument")
    if trust is not None:
        role.assume_role_policy_document = trust if isinstance(trust, str) else json.dumps(trust)
    wanted = {p["PolicyName"]: p["PolicyDocument"] for p in props.get("Policies") or []}
    for policy_name in list(role.policies):
        if policy_name not in wanted:
            role.delete_policy(policy_name)
    for policy_name, document in wanted.items():
        role.put_policy(policy_name, document)
    role.tags = list(props.get("Tags") or [])
    return role


@classmethod
def _bucket_delete(cls, resource_name, cloudformation_json, account_id, region_name):
    # moto's delete_bucket returns None, silently, for a bucket with objects; AWS refuses
    # ("The bucket you tried to delete is not empty") and the stack delete fails.
    backend = s3_backends[account_id][get_partition(region_name)]
    bucket = backend.buckets.get(resource_name)
    if bucket is None:
        return
    if len(list(bucket.keys.iterlists())) > 0:
        raise BucketNotEmpty(
            f"The bucket you tried to delete is not empty. You must delete all versions in the bucket. (Bucket: {resource_name})"
        )
    backend.delete_bucket(resource_name)


_original_bucket_create = FakeBucket.create_from_cloudformation_json.__func__


def _bucket_settings(bucket_name: str, props: dict[str, Any], account_id: str, region_name: str) -> None:
    # moto applies only BucketEncryption and Tags; AWS also versioning and the public access
    # block (what the CLI relies on: a versioned bucket, emptied version by version). At
    # creation only: an update changing them is not modelled.
    backend = s3_backends[account_id][get_partition(region_name)]
    status = (props.get("VersioningConfiguration") or {}).get("Status")
    if status:
        backend.put_bucket_versioning(bucket_name, status)
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(bucket_name, {k: str(v).lower() for k, v in block.items()})


@classmethod
def _bucket_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    bucket = _original_bucket_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    _bucket_settings(bucket.name, cloudformation_json.get("Properties") or {}, account_id, region_name)
    return bucket


@classmethod
def _security_group_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    # moto deletes and recreates the group on any change (a new group id, the rules added by
    # SecurityGroupIngress resources lost); AWS changes Tags in place. Name, description and VPC
    # unchanged: in place here.
    props = cloudformation_json.get("Properties") or {}
    same = (
        props.get("GroupName", original_resource.name) == original_resource.name
        and props.get("GroupDescription") == original_resource.description
        and props.get("VpcId") == original_resource.vpc_id
    )
    if not same:
        return _original_security_group_update(
            cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
    backend = ec2_backends[account_id][region_name]
    wanted = {t["Key"]: t["Value"] for t in props.get("Tags") or []}
    current = dict(backend.tags.get(original_resource.id, {}))
    gone = [k for k in current if k not in wanted and not k.startswith("aws:")]
    if gone:
        backend.delete_tag_keys([original_resource.id], gone)
    if wanted:
        backend.create_tags([original_resource.id], wanted)
    return original_resource


_original_security_group_update = SecurityGroup.update_from_cloudformation_json.__func__


def _ingress_physical_id(self) -> str:
    # moto's SecurityGroupIngress has no physical id (ListStackResources showed ""); AWS's Ref is
    # the rule's id. A stable made-up one here.
    if not hasattr(self, "_mlp_id"):
        from moto.moto_api._internal import mock_random

        self._mlp_id = "sgr-" + mock_random.get_random_hex(17)
    return self._mlp_id


_original_get_permission = FakeBucket.get_permission


def _bucket_get_permission(self, action, resource):
    # moto evaluates a bucket policy's statements ignoring their Condition: our
    # "Deny s3:* unless aws:SecureTransport" statement then denies every object call. A
    # statement with a Condition is left out here, which is what AWS does for a TLS request.
    from moto.iam.access_control import PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    try:
        policy = json.loads(self.policy.decode())
        statements = policy.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        kept = [s for s in statements if "Condition" not in s]
    except (ValueError, AttributeError):
        return _original_get_permission(self, action, resource)
    if not kept:
        return PermissionResult.NEUTRAL
    saved = self.policy
    try:
        self.policy = json.dumps(dict(policy, Statement=kept)).encode()
        return _original_get_permission(self, action, resource)
    finally:
        self.policy = saved


# -- the CloudFormation backend ----------------------------------------------------------------

_original_delete_stack = cfn_models.CloudFormationBackend.delete_stack
_original_execute_change_set = cfn_models.CloudFormationBackend.execute_change_set
_original_create_change_set = cfn_models.CloudFormationBackend.create_change_set


def _delete_stack(self, name_or_stack_id):
    # moto raises out of DeleteStack (an HTTP 500) when a resource will not go; AWS answers the
    # call and the stack ends in DELETE_FAILED, keeping what was not deleted (a later DeleteStack
    # retries). Here: the same.
    stack = None
    for candidate in self.stacks.values():
        if name_or_stack_id in (candidate.name, candidate.stack_id):
            stack = candidate
            break
    if stack is None:
        return _original_delete_stack(self, name_or_stack_id)
    try:
        return _original_delete_stack(self, name_or_stack_id)
    except Exception as error:  # noqa: BLE001 - any resource failure fails the stack
        self.stacks[stack.stack_id] = stack
        self.deleted_stacks.pop(stack.stack_id, None)
        stack.status = "DELETE_FAILED"
        stack._add_stack_event("DELETE_FAILED", resource_status_reason=str(error))
        return None


def _execute_change_set(self, change_set_name, stack_name=None):
    # After moto's ExecuteChangeSet the stack's Outputs stayed those of the template before (none
    # for a CREATE), and an UPDATE's tags were not applied; UpdateStack rebuilt them. Same here.
    change_set = self.describe_change_set(change_set_name)
    if change_set.execution_status != "AVAILABLE":
        # moto executed any change set, also a FAILED ("no changes") or an executed one.
        raise InvalidChangeSetStatus(
            f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current execution "
            f"status of [{change_set.execution_status}]"
        )
    stack = self.stacks[change_set.stack_id]
    try:
        _original_execute_change_set(self, change_set_name, stack_name)
    except Exception as error:  # noqa: BLE001 - a resource moto cannot create or update
        # moto answered HTTP 500 and left the stack as it was (a CREATE in REVIEW_IN_PROGRESS);
        # AWS answers the call and the stack fails. A CREATE is rolled back (what was created
        # is deleted: ROLLBACK_COMPLETE); an UPDATE cannot be undone here: UPDATE_ROLLBACK_FAILED.
        kind = change_set.change_set_type
        change_set.execution_status = "EXECUTE_FAILED"
        stack._add_stack_event(f"{kind}_FAILED", resource_status_reason=str(error))
        if kind == "CREATE":
            stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=str(error))
            try:
                stack.resource_map.delete()
                stack.status = "ROLLBACK_COMPLETE"
            except Exception as rollback_error:  # noqa: BLE001
                stack.status = "ROLLBACK_FAILED"
                stack._add_stack_event("ROLLBACK_FAILED", resource_status_reason=str(rollback_error))
            else:
                stack._add_stack_event("ROLLBACK_COMPLETE")
        else:
            stack.status = "UPDATE_ROLLBACK_FAILED"
            stack._add_stack_event("UPDATE_ROLLBACK_FAILED", resource_status_reason=str(error))
        stack.template = change_set.template
        return
    stack._parse_template()
    stack.description = stack.template_dict.get("Description")
    stack.output_map = stack._create_output_map()
    if change_set.tags:
        stack.tags = dict(change_set.tags)
    stack.last_updated_time = utcnow()


def _create_change_set(self, stack_name, change_set_name, template, parameters, description,
                       change_set_type, notification_arns=None, tags=None, role_arn=None):
    if change_set_type == "CREATE":
        # AWS refuses a CREATE change set for a stack that exists, and takes a new one for a stack
        # still under review (REVIEW_IN_PROGRESS: no change set executed yet); moto made a second
        # stack of the same name either way. Here the stack under review is replaced (its change
        # sets go with it; AWS would keep the stack id and them).
        for stack_id, stack in list(self.stacks.items()):
            if stack.name != stack_name:
                continue
            if stack.status != "REVIEW_IN_PROGRESS":
                raise AlreadyExistsException(f"Stack [{stack_name}] already exists")
            del self.stacks[stack_id]
            for change_set_id in [i for i, c in self.change_sets.items() if c.stack_id == stack_id]:
                del self.change_sets[change_set_id]
    change_set_id, stack_id = _original_create_change_set(
        self, stack_name, change_set_name, template, parameters, description, change_set_type,
        notification_arns=notification_arns, tags=tags, role_arn=role_arn,
    )
    change_set = self.change_sets[change_set_id]
    stack = self.stacks[stack_id]
    if change_set_type == "UPDATE" and tags and dict(tags) != dict(stack.tags or {}):
        # Stack tags propagate to every resource that takes tags: AWS lists a Modify for each
        # when only the stack's tags change; moto saw "no changes".
        listed = {c.logical_resource_id for c in change_set.changes}
        for logical_id, resource in (change_set.template_dict.get("Resources") or {}).items():
            if logical_id not in listed and "Tags" in (resource.get("Properties") or {}):
                change_set.changes.append(cfn_models.Change("Modify", logical_id, resource["Type"]))
        if change_set.changes:
            change_set.status = "CREATE_COMPLETE"
            change_set.execution_status = "AVAILABLE"
            change_set.status_reason = None
    return change_set_id, stack_id


PATCHES = {
    # name: (what, where, value)
    "vpce-delete": (VPCEndPoint, "delete_from_cloudformation_json", _vpc_endpoint_delete),
    "topic-update": (Topic, "update_from_cloudformation_json", _topic_update),
    "role-update": (Role, "update_from_cloudformation_json", _role_update),
    "bucket-settings": (FakeBucket, "create_from_cloudformation_json", _bucket_create),
    "bucket-not-empty": (FakeBucket, "delete_from_cloudformation_json", _bucket_delete),
    "bucket-policy-conditions": (FakeBucket, "get_permission", _bucket_get_permission),
    "sg-update": (SecurityGroup, "update_from_cloudformation_json", _security_group_update),
    "ingress-id": (SecurityGroupIngress, "physical_resource_id", property(_ingress_physical_id)),
    "delete-failed": (cfn_models.CloudFormationBackend, "delete_stack", _delete_stack),
    "execute-change-set": (cfn_models.CloudFormationBackend, "execute_change_set", _execute_change_set),
    "create-change-set": (cfn_models.CloudFormationBackend, "create_change_set", _create_change_set),
}
# Switches inside the functions above rather than whole patches.
SWITCHES = ("ssm-tags", "kms-shape", "vpce-routes", "keep-on-update")


def apply(disabled: set[str] = frozenset()) -> None:
    DISABLED.update(disabled)
    parsing.parse_and_create_resource = parse_and_create_resource
    parsing.parse_and_update_resource = parse_and_update_resource
    for name, (owner, attribute, value) in PATCHES.items():
        if name not in DISABLED:
            setattr(owner, attribute, value)
    assert issubclass(VPCEndPoint, CloudFormationModel)
