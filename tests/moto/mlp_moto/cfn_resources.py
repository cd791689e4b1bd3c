"""CloudFormation models for the resource types our templates use and moto 5.2.5 skips.

moto's CloudFormation silently skips a type it has no model for (a `!GetAtt` on it then fails
the stack). Each class here is registered as a model of one such type. Where moto has a
backend for the service, the model creates, updates and deletes the real backend object, so
that `GetRepository`, `DescribeModelPackageGroup`, `ListSubscriptions`, `GetBucketPolicy`,
`BatchGetProjects`, `GetPipeline` ... see it and a stack delete removes it. `Ref` and
`Fn::GetAtt` return what AWS documents for the type (Ref: the registry schema's primary
identifier, except CodeBuild::Project whose Ref is its name).

moto discovers models with `CloudFormationModel.__subclasses__()` (direct subclasses only), so
every class names CloudFormationModel as a direct base beside the shared mixin.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.codebuild.models import codebuild_backends
from moto.codecommit.models import codecommit_backends
from moto.codepipeline.models import codepipeline_backends
from moto.core.common_models import CloudFormationModel
from moto.s3.models import s3_backends
from moto.sagemaker.models import sagemaker_backends
from moto.sns.models import sns_backends
from moto.utilities.utils import get_partition


def api_shape(value: Any, keep: tuple[str, ...] = ("Configuration",)) -> Any:
    """CloudFormation's PascalCase property tree as the service API's camelCase one (the
    values under a key in `keep`, e.g. a pipeline action's Configuration, stay as they are)."""
    renamed = {"BuildSpec": "buildspec"}
    if isinstance(value, dict):
        return {
            renamed.get(k, k[:1].lower() + k[1:]): (v if k in keep else api_shape(v, keep))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [api_shape(v, keep) for v in value]
    return value


def lower_tags(tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    return [{"key": t["Key"], "value": t["Value"]} for t in tags or []]


class _Model:
    """What every model here shares: type, name property, attributes, physical id."""

    TYPE = ""
    NAME_PROPERTY = ""  # the property that names the object (moto generates a name without it)
    ATTRIBUTES: tuple[str, ...] = ()
    REPLACE_ON: tuple[str, ...] = ()  # properties whose change needs a new object

    def __init__(self, physical_id: str, props: dict[str, Any], account_id: str, region: str):
        self.physical_id = physical_id
        self.props = props
        self.account_id = account_id
        self.region_name = region
        self.attributes: dict[str, Any] = {}

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.ATTRIBUTES:
            raise UnformattedGetAttTemplateException()
        return self.attributes[attribute_name]

    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    def is_created(self) -> bool:
        return True

    # -- create / update / delete -------------------------------------------------------------

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
        region_name: str, **kwargs: Any,
    ) -> Any:
        props = copy.deepcopy(cloudformation_json.get("Properties") or {})
        return cls._create(resource_name, props, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict[str, Any],
        account_id: str, region_name: str,
    ) -> Any:
        props = copy.deepcopy(cloudformation_json.get("Properties") or {})
        if any(props.get(p) != original_resource.props.get(p) for p in cls.REPLACE_ON):
            # Replacement: the new object first, then the old one goes (as CloudFormation does).
            new = cls._create(new_resource_name, props, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return new
        original_resource._update(props)
        original_resource.props = props
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
        region_name: str,
    ) -> None:
        raise NotImplementedError  # never reached: instances delete themselves (delete below)

    def delete(self, account_id: str, region_name: str) -> None:
        self._delete()

    @classmethod
    def _create(cls, name: str, props: dict[str, Any], account_id: str, region: str) -> Any:
        raise NotImplementedError

    def _update(self, props: dict[str, Any]) -> None:
        pass

    def _delete(self) -> None:
        pass


class CodeCommitRepository(_Model, CloudFormationModel):
    TYPE = "AWS::CodeCommit::Repository"
    NAME_PROPERTY = "RepositoryName"
    ATTRIBUTES = ("Arn", "CloneUrlHttp", "CloneUrlSsh", "Name")
    REPLACE_ON = ("RepositoryName",)

    @classmethod
    def _create(cls, name, props, account_id, region):
        backend = codecommit_backends[account_id][region]
        meta = backend.create_repository(name, props.get("RepositoryDescription") or "")
        self = cls(meta["repositoryId"], props, account_id, region)
        self.name = name
        self.attributes = {
            "Arn": meta["Arn"],
            "CloneUrlHttp": meta["cloneUrlHttp"],
            "CloneUrlSsh": meta["cloneUrlSsh"],
            "Name": name,
        }
        return self

    def _update(self, props):
        repo = codecommit_backends[self.account_id][self.region_name].repositories.get(self.name)
        if repo is not None:
            repo.repository_metadata["repositoryDescription"] = props.get("RepositoryDescription") or ""

    def _delete(self):
        codecommit_backends[self.account_id][self.region_name].delete_repository(self.name)


class SageMakerModelPackageGroup(_Model, CloudFormationModel):
    TYPE = "AWS::SageMaker::ModelPackageGroup"
    NAME_PROPERTY = "ModelPackageGroupName"
    ATTRIBUTES = ("ModelPackageGroupArn", "CreationTime", "ModelPackageGroupStatus")
    REPLACE_ON = ("ModelPackageGroupName", "ModelPackageGroupDescription")

    @classmethod
    def _create(cls, name, props, account_id, region):
        backend = sagemaker_backends[account_id][region]
        backend.create_model_package_group(
            model_package_group_name=name,
            model_package_group_description=props.get("ModelPackageGroupDescription") or "",
            tags=props.get("Tags") or [],
        )
        group = backend.model_package_groups[name]
        self = cls(group.arn, props, account_id, region)  # Ref: the ARN (as AWS documents)
        self.name = name
        self.attributes = {
            "ModelPackageGroupArn": group.arn,
            "CreationTime": str(group.creation_time),
            "ModelPackageGroupStatus": group.model_package_group_status,
        }
        return self

    def _update(self, props):
        group = sagemaker_backends[self.account_id][self.region_name].model_package_groups.get(self.name)
        if group is not None:
            group.tags = props.get("Tags") or []

    def _delete(self):
        # moto 5.2.5 has no DeleteModelPackageGroup: drop the object from the backend.
        sagemaker_backends[self.account_id][self.region_name].model_package_groups.pop(self.name, None)


class CodeBuildProject(_Model, CloudFormationModel):
    TYPE = "AWS::CodeBuild::Project"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Arn", "Id")
    REPLACE_ON = ("Name",)

    @classmethod
    def _create(cls, name, props, account_id, region):
        self = cls(name, props, account_id, region)  # Ref: the project name
        self._put(props)
        arn = f"arn:{get_partition(region)}:codebuild:{region}:{account_id}:project/{name}"
        self.attributes = {"Arn": arn, "Id": arn}
        return self

    def _put(self, props):
        codebuild_backends[self.account_id][self.region_name].create_project(
            project_name=self.physical_id,
            description=props.get("Description"),
            project_source=api_shape(props.get("Source") or {}),
            artifacts=api_shape(props.get("Artifacts") or {}),
            environment=api_shape(props.get("Environment") or {}),
            service_role=props.get("ServiceRole") or "",
            tags=lower_tags(props.get("Tags")),
            cache=api_shape(props["Cache"]) if "Cache" in props else None,
            timeout=props.get("TimeoutInMinutes"),
            queued_timeout=props.get("QueuedTimeoutInMinutes"),
            source_version=props.get("SourceVersion"),
            logs_config=api_shape(props["LogsConfig"]) if "LogsConfig" in props else None,
            vpc_config=api_shape(props["VpcConfig"]) if "VpcConfig" in props else None,
        )

    def _update(self, props):
        self._put(props)  # moto's CreateProject overwrites by name

    def _delete(self):
        codebuild_backends[self.account_id][self.region_name].delete_project(self.physical_id)


class CodePipelinePipeline(_Model, CloudFormationModel):
    TYPE = "AWS::CodePipeline::Pipeline"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Version",)
    REPLACE_ON = ("Name",)
    _NOT_API = ("RestartExecutionOnUpdate", "Tags", "DisableInboundStageTransitions")

    @classmethod
    def _pipeline(cls, name, props):
        pipeline = api_shape({k: v for k, v in props.items() if k not in cls._NOT_API})
        pipeline["name"] = name
        return pipeline

    @classmethod
    def _create(cls, name, props, account_id, region):
        backend = codepipeline_backends[account_id][region]
        backend.create_pipeline(cls._pipeline(name, props), lower_tags(props.get("Tags")))
        self = cls(name, props, account_id, region)  # Ref: the pipeline name
        self.attributes = {"Version": str(backend.pipelines[name].pipeline["version"])}
        return self

    def _update(self, props):
        backend = codepipeline_backends[self.account_id][self.region_name]
        pipeline = backend.update_pipeline(self._pipeline(self.physical_id, props))
        backend.pipelines[self.physical_id].tags = {t["Key"]: t["Value"] for t in props.get("Tags") or []}
        self.attributes["Version"] = str(pipeline["version"])

    def _delete(self):
        codepipeline_backends[self.account_id][self.region_name].delete_pipeline(self.physical_id)


class SnsSubscription(_Model, CloudFormationModel):
    TYPE = "AWS::SNS::Subscription"
    ATTRIBUTES = ("Arn",)
    REPLACE_ON = ("TopicArn", "Endpoint", "Protocol")

    @classmethod
    def _create(cls, name, props, account_id, region):
        backend = sns_backends[account_id][region]
        sub = backend.subscribe(props["TopicArn"], props["Endpoint"], props["Protocol"])
        self = cls(sub.arn, props, account_id, region)  # Ref: the subscription ARN
        self.attributes = {"Arn": sub.arn}
        return self

    def _delete(self):
        sns_backends[self.account_id][self.region_name].unsubscribe(self.physical_id)


class S3BucketPolicy(_Model, CloudFormationModel):
    TYPE = "AWS::S3::BucketPolicy"
    REPLACE_ON = ("Bucket",)

    @classmethod
    def _create(cls, name, props, account_id, region):
        self = cls(props["Bucket"], props, account_id, region)  # Ref: the bucket name
        self._update(props)
        return self

    def _backend(self):
        return s3_backends[self.account_id][get_partition(self.region_name)]

    def _update(self, props):
        document = props["PolicyDocument"]
        if not isinstance(document, str):
            document = json.dumps(document)
        self._backend().put_bucket_policy(props["Bucket"], document.encode())

    def _delete(self):
        if props_bucket := self.props.get("Bucket"):
            if props_bucket in self._backend().buckets:
                self._backend().delete_bucket_policy(props_bucket)


class SnsTopicPolicy(_Model, CloudFormationModel):
    TYPE = "AWS::SNS::TopicPolicy"
    ATTRIBUTES = ("Id",)

    @classmethod
    def _create(cls, name, props, account_id, region):
        self = cls(name, props, account_id, region)  # Ref: a generated id, as AWS
        self.attributes = {"Id": name}
        self._update(props)
        return self

    def _update(self, props):
        backend = sns_backends[self.account_id][self.region_name]
        document = props["PolicyDocument"]
        if not isinstance(document, str):
            document = json.dumps(document)
        for old in set(self.props.get("Topics") or []) - set(props.get("Topics") or []):
            self._restore(old)
        for arn in props.get("Topics") or []:
            backend.set_topic_attribute(arn, "policy", document)

    def _restore(self, arn):
        backend = sns_backends[self.account_id][self.region_name]
        topic = backend.topics.get(arn)
        if topic is not None:  # back to the default policy a new topic has
            topic._policy_json = topic._create_default_topic_policy(self.region_name, self.account_id, topic.name)

    def _delete(self):
        for arn in self.props.get("Topics") or []:
            self._restore(arn)


MODELS = (
    CodeCommitRepository,
    SageMakerModelPackageGroup,
    CodeBuildProject,
    CodePipelinePipeline,
    SnsSubscription,
    S3BucketPolicy,
    SnsTopicPolicy,
)


def register() -> None:
    """The classes above exist (so are subclasses); forget moto's cached model lists."""
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    known = parsing.get_model_map()
    for model in MODELS:
        assert known.get(model.TYPE) is model, f"{model.TYPE} is not registered"
