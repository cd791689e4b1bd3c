"""CloudFormation drift detection for moto 5.2.5 (which answers all four calls with HTTP 500).

DetectStackDrift compares, resource by resource, the properties the template resolved to when
the resource was created or last updated (kept by cfn_fixes.record_properties) with the live
object in moto's backend, for the properties listed in CHECKED below. A resource of another type
is reported NOT_CHECKED (what AWS reports for a type without drift support), never IN_SYNC.

Like AWS: DetectStackDrift returns a detection id; DescribeStackDriftDetectionStatus tells
DETECTION_COMPLETE with StackDriftStatus DRIFTED or IN_SYNC and DriftedStackResourceCount (the
detection is done by the time the id is returned: no DETECTION_IN_PROGRESS is ever seen);
DescribeStackResourceDrifts lists the latest result of every resource, with ExpectedProperties and
ActualProperties as JSON strings and PropertyDifferences (PropertyPath a JSON pointer such as
/Value or /Tags/2/Value, ExpectedValue, ActualValue, DifferenceType ADD, REMOVE or NOT_EQUAL).
DetectStackResourceDrift checks one resource. DescribeStacks shows DriftInformation.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.cloudformation import models as cfn_models
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.exceptions import ValidationError
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam.models import iam_backends
from moto.moto_api._internal import mock_random
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.ssm.models import ssm_backends
from moto.utilities.utils import get_partition

# The properties compared, per type.
CHECKED = {
    "AWS::SSM::Parameter": ("Name", "Type", "Value", "Description", "Tags"),
    "AWS::S3::Bucket": ("BucketName", "Tags", "VersioningConfiguration"),
    "AWS::SNS::Topic": ("TopicName", "DisplayName", "KmsMasterKeyId"),
    "AWS::IAM::Role": (
        "RoleName", "Description", "MaxSessionDuration", "AssumeRolePolicyDocument", "Policies", "Tags",
    ),
}

_lock = threading.Lock()
_detections: dict[str, dict[str, Any]] = {}  # detection id -> status (with account and region)


class Deleted(Exception):
    """The resource's live object is gone."""


# -- reading the live state --------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, (bytes, str)):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items() if not k.startswith("aws:")]


def _live_ssm_parameter(physical_id: str, expected: dict[str, Any], account: str, region: str) -> dict[str, Any]:
    backend = ssm_backends[account][region]
    parameter = backend.get_parameter(physical_id)
    if parameter is None:
        raise Deleted()
    live: dict[str, Any] = {"Name": parameter.name, "Type": parameter.parameter_type, "Value": parameter.value}
    if parameter.description:
        live["Description"] = parameter.description
    tags = backend._resource_tags.get("Parameter", {}).get(parameter.name, {})
    if tags:
        live["Tags"] = dict(tags)  # a map in CloudFormation
    return live


def _live_bucket(physical_id: str, expected: dict[str, Any], account: str, region: str) -> dict[str, Any]:
    backend = s3_backends[account][get_partition(region)]
    bucket = backend.buckets.get(physical_id)
    if bucket is None:
        raise Deleted()
    live: dict[str, Any] = {"BucketName": bucket.name}
    tags = _tag_list(backend.tagger.get_tag_dict_for_resource(bucket.arn))
    if tags:
        live["Tags"] = tags
    if bucket.versioning_status:
        live["VersioningConfiguration"] = {"Status": bucket.versioning_status}
    return live


def _live_topic(physical_id: str, expected: dict[str, Any], account: str, region: str) -> dict[str, Any]:
    topic = sns_backends[account][region].topics.get(physical_id)
    if topic is None:
        raise Deleted()
    live: dict[str, Any] = {"TopicName": topic.name}
    if topic.display_name:
        live["DisplayName"] = topic.display_name
    if topic.kms_master_key_id:
        live["KmsMasterKeyId"] = topic.kms_master_key_id
    return live


def _live_role(physical_id: str, expected: dict[str, Any], account: str, region: str) -> dict[str, Any]:
    backend = iam_backends[account][get_partition(region)]
    role = next((r for r in backend.get_roles() if r.name == physical_id), None)
    if role is None:
        raise Deleted()
    live: dict[str, Any] = {
        "RoleName": role.name,
        "AssumeRolePolicyDocument": _json(role.assume_role_policy_document),
        "MaxSessionDuration": int(role.max_session_duration),
    }
    if role.description:
        live["Description"] = role.description
    # Inline policies in the template's order, then any added out of band.
    order = [p.get("PolicyName") for p in expected.get("Policies") or []]
    names = [n for n in order if n in role.policies] + [n for n in role.policies if n not in order]
    if names:
        live["Policies"] = [{"PolicyName": n, "PolicyDocument": _json(role.policies[n])} for n in names]
    tags = [t for t in role.tags or [] if not t["Key"].startswith("aws:")]
    if tags:
        live["Tags"] = tags
    return live


LIVE = {
    "AWS::SSM::Parameter": _live_ssm_parameter,
    "AWS::S3::Bucket": _live_bucket,
    "AWS::SNS::Topic": _live_topic,
    "AWS::IAM::Role": _live_role,
}


# -- comparing ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def _same(expected: Any, actual: Any) -> bool:
    return _text(expected) == _text(actual)


def _pointer(path: str, key: Any) -> str:
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _is_tag_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(t, dict) and set(t) == {"Key", "Value"} for t in value)


def differences(expected: Any, actual: Any, path: str = "") -> list[dict[str, str]]:
    """AWS-shaped PropertyDifferences between two resolved property trees."""
    out: list[dict[str, str]] = []

    def add(kind: str, at: str, want: Any, have: Any) -> None:
        out.append({
            "PropertyPath": at,
            "ExpectedValue": "" if want is None else _text(want),
            "ActualValue": "" if have is None else _text(have),
            "DifferenceType": kind,
        })

    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, want in expected.items():
            if key not in actual:
                add("REMOVE", _pointer(path, key), want, None)
            else:
                out += differences(want, actual[key], _pointer(path, key))
        for key, have in actual.items():
            if key not in expected:
                add("ADD", _pointer(path, key), None, have)
    elif _is_tag_list(expected) and _is_tag_list(actual):
        # Tags are a set keyed by Key, whatever their order (AWS ignores the order too).
        have = {t["Key"]: t["Value"] for t in actual}
        for index, tag in enumerate(expected):
            if tag["Key"] not in have:
                add("REMOVE", _pointer(path, index), tag, None)
            elif not _same(tag["Value"], have[tag["Key"]]):
                add("NOT_EQUAL", _pointer(_pointer(path, index), "Value"), tag["Value"], have[tag["Key"]])
        wanted = {t["Key"] for t in expected}
        extra = [t for t in actual if t["Key"] not in wanted]
        for offset, tag in enumerate(extra):
            add("ADD", _pointer(path, len(expected) + offset), None, tag)
    elif isinstance(expected, list) and isinstance(actual, list):
        for index, want in enumerate(expected):
            if index >= len(actual):
                add("REMOVE", _pointer(path, index), want, None)
            else:
                out += differences(want, actual[index], _pointer(path, index))
        for index in range(len(expected), len(actual)):
            add("ADD", _pointer(path, index), None, actual[index])
    elif isinstance(expected, (dict, list)) or isinstance(actual, (dict, list)):
        if not _same(expected, actual):
            add("NOT_EQUAL", path, expected, actual)
    elif not _same(expected, actual):
        add("NOT_EQUAL", path, expected, actual)
    return out


def resource_drift(stack: Any, logical_id: str, account: str, region: str) -> dict[str, Any]:
    resource_map = stack.resource_map
    resource = resource_map._parsed_resources.get(logical_id)
    resource_type = resource_map._resource_json_map[logical_id]["Type"]
    expected_all = getattr(resource_map, "mlp_properties", {}).get(logical_id, {})
    drift: dict[str, Any] = {
        "StackId": stack.stack_id,
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": getattr(resource, "physical_resource_id", None) or "",
        "ResourceType": resource_type,
        "ExpectedProperties": json.dumps(expected_all, sort_keys=True),
        "Timestamp": utcnow(),
    }
    live_of = LIVE.get(resource_type)
    if live_of is None or resource is None:
        drift["StackResourceDriftStatus"] = "NOT_CHECKED"
        return drift
    checked = CHECKED[resource_type]
    expected = {k: v for k, v in expected_all.items() if k in checked}
    try:
        live = live_of(drift["PhysicalResourceId"], expected_all, account, region)
    except Deleted:
        drift["StackResourceDriftStatus"] = "DELETED"
        return drift
    live = {k: v for k, v in live.items() if k in checked}
    # A property the template leaves out is one AWS leaves at its default: only what the live
    # object has beyond moto's defaults shows as ADD (e.g. a description set out of band).
    found = differences(expected, live)
    actual_all = {k: v for k, v in expected_all.items() if k not in checked}
    actual_all.update(live)
    drift["ActualProperties"] = json.dumps(actual_all, sort_keys=True)
    drift["PropertyDifferences"] = found
    drift["StackResourceDriftStatus"] = "MODIFIED" if found else "IN_SYNC"
    return drift


# -- the API -----------------------------------------------------------------------------------


def _stack_to_check(backend: Any, name: str) -> Any:
    stack = backend.get_stack(name)
    if stack.status.endswith("_IN_PROGRESS") or stack.status == "DELETE_COMPLETE":
        raise ValidationError(
            stack.stack_id,
            message=f"Drift detection cannot be performed on stack [{stack.stack_id}] in status {stack.status}",
        )
    return stack


def detect_stack_drift(self: Any) -> ActionResult:
    backend = self.cloudformation_backend
    stack = _stack_to_check(backend, self._get_param("StackName"))
    logical_ids = self._get_param("LogicalResourceIds") or list(stack.resource_map._resource_json_map)
    drifts = {lid: resource_drift(stack, lid, self.current_account, self.region) for lid in logical_ids}
    results = getattr(stack, "mlp_resource_drifts", {})
    results.update(drifts)
    stack.mlp_resource_drifts = results
    drifted = sum(1 for d in drifts.values() if d["StackResourceDriftStatus"] in ("MODIFIED", "DELETED"))
    detection_id = str(mock_random.uuid4())
    now = utcnow()
    stack.mlp_drift_status = "DRIFTED" if drifted else "IN_SYNC"
    stack.mlp_drift_time = now
    with _lock:
        _detections[detection_id] = {
            "account": self.current_account,
            "region": self.region,
            "StackId": stack.stack_id,
            "StackDriftDetectionId": detection_id,
            "StackDriftStatus": stack.mlp_drift_status,
            "DetectionStatus": "DETECTION_COMPLETE",
            "DriftedStackResourceCount": drifted,
            "Timestamp": now,
        }
    return ActionResult({"StackDriftDetectionId": detection_id})


def describe_stack_drift_detection_status(self: Any) -> ActionResult:
    detection_id = self._get_param("StackDriftDetectionId")
    with _lock:
        detection = _detections.get(detection_id)
    if detection is None or (detection["account"], detection["region"]) != (self.current_account, self.region):
        raise ValidationError(detection_id, message=f"Drift detection [{detection_id}] does not exist")
    return ActionResult({k: v for k, v in detection.items() if k not in ("account", "region")})


def describe_stack_resource_drifts(self: Any) -> ActionResult:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    wanted = self._get_param("StackResourceDriftStatusFilters") or []
    drifts = [
        d for d in getattr(stack, "mlp_resource_drifts", {}).values()
        if not wanted or d["StackResourceDriftStatus"] in wanted
    ]
    start = int(self._get_param("NextToken") or 0)
    size = int(self._get_param("MaxResults") or 100)
    page = drifts[start:start + size]
    result: dict[str, Any] = {"StackResourceDrifts": page}
    if start + size < len(drifts):
        result["NextToken"] = str(start + size)
    return ActionResult(result)


def detect_stack_resource_drift(self: Any) -> ActionResult:
    stack = _stack_to_check(self.cloudformation_backend, self._get_param("StackName"))
    logical_id = self._get_param("LogicalResourceId")
    if logical_id not in stack.resource_map._resource_json_map:
        raise ValidationError(stack.stack_id, message=f"Resource {logical_id} does not exist for stack {stack.name}")
    drift = resource_drift(stack, logical_id, self.current_account, self.region)
    results = getattr(stack, "mlp_resource_drifts", {})
    results[logical_id] = drift
    stack.mlp_resource_drifts = results
    return ActionResult({"StackResourceDrift": drift})


def _stack_drift_information(self: Any) -> dict[str, Any]:
    status = getattr(self, "mlp_drift_status", None)
    info: dict[str, Any] = {"StackDriftStatus": status or "NOT_CHECKED"}
    if status:
        info["LastCheckTimestamp"] = self.mlp_drift_time
    return info


_original_dto_init = cfn_responses.StackResourceDTO.__init__


def _dto_init(self: Any, stack: Any, resource: Any) -> None:
    _original_dto_init(self, stack, resource)
    drift = getattr(stack, "mlp_resource_drifts", {}).get(self.logical_resource_id)
    self.drift_information = (
        {"StackResourceDriftStatus": drift["StackResourceDriftStatus"], "LastCheckTimestamp": drift["Timestamp"]}
        if drift else {"StackResourceDriftStatus": "NOT_CHECKED"}
    )


def apply() -> None:
    response = cfn_responses.CloudFormationResponse
    response.detect_stack_drift = detect_stack_drift
    response.describe_stack_drift_detection_status = describe_stack_drift_detection_status
    response.describe_stack_resource_drifts = describe_stack_resource_drifts
    response.detect_stack_resource_drift = detect_stack_resource_drift
    cfn_models.Stack.drift_information = property(_stack_drift_information)
    cfn_responses.StackResourceDTO.__init__ = _dto_init
