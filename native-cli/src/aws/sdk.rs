//! [`SdkCloud`]: [`Cloud`] on the real AWS SDK for Rust. One `SdkConfig` from the standard
//! credential chain (environment, `AWS_PROFILE` or `--profile`, SSO, `credential_process`,
//! container and instance roles), the region of the config file, `--endpoint-url` or
//! `AWS_ENDPOINT_URL`, and the SDK's standard retries with exponential backoff (3 attempts;
//! `AWS_MAX_ATTEMPTS` changes it). A current-thread tokio runtime lives here and nowhere else.
//!
//! Every IAM action named in a string here (`"cloudformation:DescribeStacks"`) is a call this
//! file makes; a test holds that set equal to `policy::CLI_CALLS` (plus `RegisterUsage`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_sdk_cloudformation as cfn;
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::operation::RequestId;
use aws_sdk_cloudformation::primitives::{DateTime, DateTimeFormat};
use ml_provisioner_core::stack::{
    ChangeAction, DifferenceKind, PropertyChange, PropertyDifference, Replacement, ResourceChange,
    ResourceDrift, ResourceDriftStatus, StackDriftStatus, StackEvent,
};

use super::{
    AwsError, ChangeSet, ChangeSetRequest, ChangeSetType, Cloud, Detection, Event, Interrupted,
    Stack, StackResource,
};

/// Where to connect.
#[derive(Clone, Debug, Default)]
pub struct Connect {
    /// The config file's region (else the SDK's region chain: `AWS_REGION`, the profile).
    pub region: Option<String>,
    /// `--profile` (else `AWS_PROFILE`, else the default profile).
    pub profile: Option<String>,
    /// `--endpoint-url` (else `AWS_ENDPOINT_URL`, read by the SDK).
    pub endpoint_url: Option<String>,
}

/// The real AWS, through the SDK.
pub struct SdkCloud {
    runtime: tokio::runtime::Runtime,
    cfn: cfn::Client,
    sts: aws_sdk_sts::Client,
    ssm: aws_sdk_ssm::Client,
    s3: aws_sdk_s3::Client,
    metering: aws_sdk_marketplacemetering::Client,
    interrupted: Arc<AtomicBool>,
    log: Vec<String>,
}

impl std::fmt::Debug for SdkCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SdkCloud")
    }
}

impl SdkCloud {
    /// Loads the SDK config (no call is made yet) and starts listening for Ctrl-C.
    pub fn connect(connect: &Connect) -> Result<SdkCloud, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let config = runtime.block_on(async {
            let region =
                RegionProviderChain::first_try(connect.region.clone().map(aws_config::Region::new))
                    .or_default_provider();
            let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
            if let Some(profile) = &connect.profile {
                loader = loader.profile_name(profile);
            }
            if let Some(url) = &connect.endpoint_url {
                loader = loader.endpoint_url(url);
            }
            loader.load().await
        });
        // A local endpoint (moto, LocalStack) serves buckets by path, not by host name.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        let interrupted = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&interrupted);
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        });
        Ok(SdkCloud {
            cfn: cfn::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            metering: aws_sdk_marketplacemetering::Client::new(&config),
            runtime,
            interrupted,
            log: Vec::new(),
        })
    }

    fn logged(&mut self, call: &str, resource: &str, request_id: Option<&str>) {
        self.log.push(format!(
            "aws {call} {resource} request-id {}",
            request_id.unwrap_or("-")
        ));
    }

    /// Records the call and turns its error into an [`AwsError`].
    fn done<T: RequestId, E>(
        &mut self,
        call: &'static str,
        resource: &str,
        result: Result<T, SdkError<E, HttpResponse>>,
    ) -> Result<T, AwsError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match result {
            Ok(output) => {
                self.logged(call, resource, output.request_id());
                Ok(output)
            }
            Err(error) => {
                let failure = sdk_error(call, resource, &error);
                self.logged(call, resource, failure.request_id.as_deref());
                Err(failure)
            }
        }
    }
}

fn sdk_error<E>(call: &'static str, resource: &str, error: &SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let request_id = error.request_id();
    match error.as_service_error() {
        Some(service) => AwsError::from_parts(
            call,
            resource,
            service.code(),
            service.message().unwrap_or("(no message)"),
            request_id,
        ),
        None => AwsError::from_parts(call, resource, None, chain(error), request_id),
    }
}

/// An error and its sources, each once, on one line (the SDK's own context form ends in a
/// debug dump nobody should have to read).
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// RFC 3339, UTC, as every time in the core's stack types.
fn time(value: Option<&DateTime>) -> String {
    value
        .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
        .unwrap_or_default()
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

fn stack_missing(error: &AwsError) -> bool {
    error.code.as_deref() == Some("ValidationError") && error.detail.contains("does not exist")
}

impl Cloud for SdkCloud {
    fn account(&mut self) -> Result<String, AwsError> {
        let result = self.runtime.block_on(self.sts.get_caller_identity().send());
        let out = self.done("sts:GetCallerIdentity", "the caller", result)?;
        Ok(out.account().unwrap_or_default().to_owned())
    }

    fn register_usage(&mut self, product_code: &str) -> Result<(), AwsError> {
        let result = self.runtime.block_on(
            self.metering
                .register_usage()
                .product_code(product_code)
                .public_key_version(1)
                .send(),
        );
        let resource = format!("product code {product_code}");
        self.done("aws-marketplace:RegisterUsage", &resource, result)
            .map(|_| ())
    }

    fn stack(&mut self, name: &str) -> Result<Option<Stack>, AwsError> {
        let result = self
            .runtime
            .block_on(self.cfn.describe_stacks().stack_name(name).send());
        let out = match self.done(
            "cloudformation:DescribeStacks",
            &format!("stack {name}"),
            result,
        ) {
            Ok(out) => out,
            Err(error) if stack_missing(&error) => return Ok(None),
            Err(error) => return Err(error),
        };
        Ok(out.stacks().first().map(|s| Stack {
            id: s.stack_id().unwrap_or_default().to_owned(),
            name: s.stack_name().unwrap_or_default().to_owned(),
            status: s
                .stack_status()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            status_reason: owned(s.stack_status_reason()),
            tags: s
                .tags()
                .iter()
                .map(|t| {
                    (
                        t.key().unwrap_or_default().to_owned(),
                        t.value().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            outputs: s
                .outputs()
                .iter()
                .map(|o| {
                    (
                        o.output_key().unwrap_or_default().to_owned(),
                        o.output_value().unwrap_or_default().to_owned(),
                        o.description().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        }))
    }

    fn create_change_set(&mut self, request: &ChangeSetRequest<'_>) -> Result<String, AwsError> {
        let tags = request
            .tags
            .iter()
            .map(|(k, v)| cfn::types::Tag::builder().key(k).value(v).build())
            .collect();
        let kind = match request.kind {
            ChangeSetType::Create => cfn::types::ChangeSetType::Create,
            ChangeSetType::Update => cfn::types::ChangeSetType::Update,
        };
        let result = self.runtime.block_on(
            self.cfn
                .create_change_set()
                .stack_name(request.stack_name)
                .change_set_name(request.change_set_name)
                .change_set_type(kind)
                .template_body(request.template_body)
                .description(request.description)
                .capabilities(cfn::types::Capability::CapabilityNamedIam)
                .set_tags(Some(tags))
                .send(),
        );
        let resource = format!("stack {}", request.stack_name);
        let out = self.done("cloudformation:CreateChangeSet", &resource, result)?;
        Ok(out.id().unwrap_or(request.change_set_name).to_owned())
    }

    fn change_set(&mut self, stack_name: &str, id: &str) -> Result<ChangeSet, AwsError> {
        let resource = format!("change set {id} of stack {stack_name}");
        let mut set = ChangeSet::default();
        let mut token: Option<String> = None;
        loop {
            let result = self.runtime.block_on(
                self.cfn
                    .describe_change_set()
                    .stack_name(stack_name)
                    .change_set_name(id)
                    .include_property_values(true)
                    .set_next_token(token.take())
                    .send(),
            );
            let out = self.done("cloudformation:DescribeChangeSet", &resource, result)?;
            set.id = out.change_set_id().unwrap_or(id).to_owned();
            set.status = out
                .status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            set.status_reason = owned(out.status_reason());
            set.execution_status = out
                .execution_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            set.created = out.creation_time().map(|t| time(Some(t)));
            set.changes.extend(
                out.changes()
                    .iter()
                    .filter_map(|c| c.resource_change())
                    .map(resource_change),
            );
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(set),
            }
        }
    }

    fn execute_change_set(&mut self, stack_name: &str, id: &str) -> Result<(), AwsError> {
        let result = self.runtime.block_on(
            self.cfn
                .execute_change_set()
                .stack_name(stack_name)
                .change_set_name(id)
                .send(),
        );
        self.done(
            "cloudformation:ExecuteChangeSet",
            &format!("stack {stack_name}"),
            result,
        )
        .map(|_| ())
    }

    fn delete_change_set(&mut self, stack_name: &str, id: &str) -> Result<(), AwsError> {
        let result = self.runtime.block_on(
            self.cfn
                .delete_change_set()
                .stack_name(stack_name)
                .change_set_name(id)
                .send(),
        );
        self.done(
            "cloudformation:DeleteChangeSet",
            &format!("change set {id}"),
            result,
        )
        .map(|_| ())
    }

    fn events(&mut self, stack: &str, after: Option<&str>) -> Result<Vec<Event>, AwsError> {
        let resource = format!("stack {stack}");
        let mut newest_first = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let result = self.runtime.block_on(
                self.cfn
                    .describe_stack_events()
                    .stack_name(stack)
                    .set_next_token(token.take())
                    .send(),
            );
            let out = self.done("cloudformation:DescribeStackEvents", &resource, result)?;
            for e in out.stack_events() {
                let id = e.event_id().unwrap_or_default();
                if Some(id) == after {
                    break 'pages;
                }
                newest_first.push(Event {
                    id: id.to_owned(),
                    event: StackEvent {
                        timestamp: time(e.timestamp()),
                        logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
                        physical_id: owned(e.physical_resource_id()).filter(|p| !p.is_empty()),
                        resource_type: e.resource_type().unwrap_or_default().to_owned(),
                        status: e
                            .resource_status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        reason: owned(e.resource_status_reason()).filter(|r| !r.is_empty()),
                    },
                });
            }
            // Without a marker, one page is enough: the first look at a stack shows its latest
            // operation's events, and later looks stop at the marker.
            match (after, out.next_token()) {
                (Some(_), Some(next)) if !next.is_empty() => token = Some(next.to_owned()),
                _ => break,
            }
        }
        newest_first.reverse();
        Ok(newest_first)
    }

    fn delete_stack(&mut self, stack: &str) -> Result<(), AwsError> {
        let result = self
            .runtime
            .block_on(self.cfn.delete_stack().stack_name(stack).send());
        self.done(
            "cloudformation:DeleteStack",
            &format!("stack {stack}"),
            result,
        )
        .map(|_| ())
    }

    fn resources(&mut self, stack: &str) -> Result<Vec<StackResource>, AwsError> {
        let resource = format!("stack {stack}");
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let result = self.runtime.block_on(
                self.cfn
                    .list_stack_resources()
                    .stack_name(stack)
                    .set_next_token(token.take())
                    .send(),
            );
            let out = self.done("cloudformation:ListStackResources", &resource, result)?;
            all.extend(out.stack_resource_summaries().iter().map(|r| {
                StackResource {
                    logical_id: r.logical_resource_id().unwrap_or_default().to_owned(),
                    physical_id: owned(r.physical_resource_id()),
                    resource_type: r.resource_type().unwrap_or_default().to_owned(),
                    status: r
                        .resource_status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                }
            }));
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(all),
            }
        }
    }

    fn detect_drift(&mut self, stack: &str) -> Result<String, AwsError> {
        let result = self
            .runtime
            .block_on(self.cfn.detect_stack_drift().stack_name(stack).send());
        let out = self.done(
            "cloudformation:DetectStackDrift",
            &format!("stack {stack}"),
            result,
        )?;
        Ok(out
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_owned())
    }

    fn detection(&mut self, id: &str) -> Result<Detection, AwsError> {
        let result = self.runtime.block_on(
            self.cfn
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(id)
                .send(),
        );
        let out = self.done(
            "cloudformation:DescribeStackDriftDetectionStatus",
            &format!("drift detection {id}"),
            result,
        )?;
        use cfn::types::{StackDriftDetectionStatus as D, StackDriftStatus as S};
        Ok(match out.detection_status() {
            Some(D::DetectionInProgress) => Detection::InProgress,
            Some(D::DetectionFailed) => Detection::Failed(
                out.detection_status_reason()
                    .unwrap_or("no reason given")
                    .to_owned(),
            ),
            _ => Detection::Complete(match out.stack_drift_status() {
                Some(S::Drifted) => StackDriftStatus::Drifted,
                Some(S::InSync) => StackDriftStatus::InSync,
                _ => StackDriftStatus::Unknown,
            }),
        })
    }

    fn resource_drifts(&mut self, stack: &str) -> Result<Vec<ResourceDrift>, AwsError> {
        let resource = format!("stack {stack}");
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let result = self.runtime.block_on(
                self.cfn
                    .describe_stack_resource_drifts()
                    .stack_name(stack)
                    .set_next_token(token.take())
                    .send(),
            );
            let out = self.done(
                "cloudformation:DescribeStackResourceDrifts",
                &resource,
                result,
            )?;
            all.extend(out.stack_resource_drifts().iter().map(resource_drift));
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(all),
            }
        }
    }

    fn parameters_under(&mut self, path: &str) -> Result<Vec<(String, String)>, AwsError> {
        let resource = format!("parameters under {path}");
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let result = self.runtime.block_on(
                self.ssm
                    .get_parameters_by_path()
                    .path(path)
                    .recursive(true)
                    .set_next_token(token.take())
                    .send(),
            );
            let out = self.done("ssm:GetParametersByPath", &resource, result)?;
            all.extend(out.parameters().iter().map(|p| {
                (
                    p.name().unwrap_or_default().to_owned(),
                    p.value().unwrap_or_default().to_owned(),
                )
            }));
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => break,
            }
        }
        all.sort();
        Ok(all)
    }

    fn parameter(&mut self, name: &str) -> Result<Option<String>, AwsError> {
        let result = self
            .runtime
            .block_on(self.ssm.get_parameter().name(name).send());
        match self.done("ssm:GetParameter", &format!("parameter {name}"), result) {
            Ok(out) => Ok(out.parameter().and_then(|p| p.value()).map(str::to_owned)),
            Err(error) if error.code.as_deref() == Some("ParameterNotFound") => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn empty_bucket(&mut self, bucket: &str) -> Result<usize, AwsError> {
        use aws_sdk_s3::types::{Delete, ObjectIdentifier};
        let resource = format!("bucket {bucket}");
        let mut deleted = 0;
        loop {
            let result = self
                .runtime
                .block_on(self.s3.list_object_versions().bucket(bucket).send());
            let out = match self.done("s3:ListBucketVersions", &resource, result) {
                Ok(out) => out,
                Err(error) if error.code.as_deref() == Some("NoSuchBucket") => return Ok(deleted),
                Err(error) => return Err(error),
            };
            let mut objects = Vec::new();
            let versions = out
                .versions()
                .iter()
                .map(|v| (v.key(), v.version_id()))
                .chain(
                    out.delete_markers()
                        .iter()
                        .map(|m| (m.key(), m.version_id())),
                );
            for (key, version) in versions {
                let Some(key) = key else { continue };
                let id = ObjectIdentifier::builder()
                    .key(key)
                    .set_version_id(version.filter(|v| *v != "null").map(str::to_owned))
                    .build()
                    .map_err(|e| {
                        AwsError::state("s3:DeleteObject", resource.clone(), e.to_string())
                    })?;
                objects.push(id);
            }
            if objects.is_empty() {
                return Ok(deleted);
            }
            let count = objects.len();
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| AwsError::state("s3:DeleteObject", resource.clone(), e.to_string()))?;
            let result = self.runtime.block_on(
                self.s3
                    .delete_objects()
                    .bucket(bucket)
                    .delete(delete)
                    .send(),
            );
            let out = self.done("s3:DeleteObjectVersion", &resource, result)?;
            if let Some(first) = out.errors().first() {
                return Err(AwsError::from_parts(
                    "s3:DeleteObject",
                    format!("object {} in bucket {bucket}", first.key().unwrap_or("?")),
                    first.code(),
                    first.message().unwrap_or("(no message)"),
                    None,
                ));
            }
            deleted += count;
        }
    }

    fn pause(&mut self, wait: Duration) -> Result<(), Interrupted> {
        let step = Duration::from_millis(100);
        let mut left = wait;
        loop {
            if self.interrupted.load(Ordering::SeqCst) {
                return Err(Interrupted);
            }
            if left.is_zero() {
                return Ok(());
            }
            let now = left.min(step);
            self.runtime.block_on(tokio::time::sleep(now));
            left = left.saturating_sub(now);
        }
    }

    fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }
}

fn resource_change(c: &cfn::types::ResourceChange) -> ResourceChange {
    use cfn::types::{ChangeAction as A, Replacement as R};
    ResourceChange {
        action: match c.action() {
            Some(A::Add) => ChangeAction::Add,
            Some(A::Remove) => ChangeAction::Remove,
            Some(A::Dynamic) => ChangeAction::Dynamic,
            Some(A::Import) => ChangeAction::Import,
            _ => ChangeAction::Modify,
        },
        logical_id: c.logical_resource_id().unwrap_or_default().to_owned(),
        physical_id: owned(c.physical_resource_id()).filter(|p| !p.is_empty()),
        resource_type: c.resource_type().unwrap_or_default().to_owned(),
        replacement: c.replacement().and_then(|r| match r {
            R::True => Some(Replacement::True),
            R::Conditional => Some(Replacement::Conditional),
            R::False => Some(Replacement::False),
            _ => None,
        }),
        scope: c.scope().iter().map(|s| s.as_str().to_owned()).collect(),
        details: c
            .details()
            .iter()
            .map(|d| {
                let target = d.target();
                PropertyChange {
                    attribute: target
                        .and_then(|t| t.attribute())
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default(),
                    path: target
                        .and_then(|t| t.path().or(t.name()))
                        .unwrap_or_default()
                        .to_owned(),
                    requires_recreation: target
                        .and_then(|t| t.requires_recreation())
                        .map(|r| r.as_str().to_owned()),
                    before: target.and_then(|t| owned(t.before_value())),
                    after: target.and_then(|t| owned(t.after_value())),
                    cause: d.change_source().map(|s| s.as_str().to_owned()),
                }
            })
            .collect(),
    }
}

fn resource_drift(d: &cfn::types::StackResourceDrift) -> ResourceDrift {
    use cfn::types::{DifferenceType as T, StackResourceDriftStatus as S};
    ResourceDrift {
        logical_id: d.logical_resource_id().unwrap_or_default().to_owned(),
        physical_id: owned(d.physical_resource_id()),
        resource_type: d.resource_type().unwrap_or_default().to_owned(),
        status: match d.stack_resource_drift_status() {
            Some(S::Modified) => ResourceDriftStatus::Modified,
            Some(S::Deleted) => ResourceDriftStatus::Deleted,
            Some(S::InSync) => ResourceDriftStatus::InSync,
            Some(S::NotChecked) => ResourceDriftStatus::NotChecked,
            _ => ResourceDriftStatus::Unknown,
        },
        differences: d
            .property_differences()
            .iter()
            .map(|p| PropertyDifference {
                path: p.property_path().unwrap_or_default().to_owned(),
                expected: p.expected_value().unwrap_or_default().to_owned(),
                actual: p.actual_value().unwrap_or_default().to_owned(),
                kind: match p.difference_type() {
                    Some(T::Add) => DifferenceKind::Add,
                    Some(T::Remove) => DifferenceKind::Remove,
                    _ => DifferenceKind::NotEqual,
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The IAM actions named in this file's code (its calls) are exactly the policy's list.
    #[test]
    fn calls_made_here_are_the_policys_calls() {
        let source = include_str!("sdk.rs");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let mut made = BTreeSet::new();
        for piece in code.split('"').skip(1).step_by(2) {
            let Some((service, action)) = piece.split_once(':') else {
                continue;
            };
            let known = ["sts", "cloudformation", "ssm", "s3", "aws-marketplace"];
            if known.contains(&service)
                && !action.is_empty()
                && action.chars().all(|c| c.is_ascii_alphanumeric())
                && action.starts_with(|c: char| c.is_ascii_uppercase())
            {
                made.insert(piece.to_owned());
            }
        }
        let mut listed: BTreeSet<String> = ml_provisioner_core::policy::CLI_CALLS
            .iter()
            .map(|(a, _)| (*a).to_owned())
            .collect();
        listed.insert(ml_provisioner_core::policy::METERING_CALL.to_owned());
        assert_eq!(made, listed);
    }
}
