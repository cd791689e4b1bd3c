//! A scripted [`Cloud`] for the failure paths no local endpoint can produce (a rollback with its
//! root-cause event, throttling after the retries, access denied, expired credentials, a change
//! set that fails for another reason, Ctrl-C during a wait). Tests only.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use ml_provisioner_core::stack::{ChangeAction, ResourceChange, ResourceDrift, StackEvent};

use super::{
    AwsError, ChangeSet, ChangeSetRequest, Cloud, Detection, Event, Interrupted, Stack,
    StackResource,
};

/// What the fake answers. Calls not scripted behave like a quiet, healthy account.
#[derive(Debug, Default)]
pub struct Fake {
    pub account: String,
    /// Stacks by name, as `DescribeStacks` answers them, in turn: each look takes the front
    /// entry, and the last one stays.
    pub stacks: BTreeMap<String, VecDeque<Option<Stack>>>,
    /// A call (its IAM action) that fails, with the error it fails with.
    pub failing: BTreeMap<&'static str, AwsError>,
    /// What `DescribeChangeSet` answers, in turn (the last one stays).
    pub change_sets: VecDeque<ChangeSet>,
    /// What `DescribeStackEvents` answers after the marker, in turn (then nothing new).
    pub events: VecDeque<Vec<StackEvent>>,
    /// The pause (0-based) at which the user presses Ctrl-C.
    pub interrupt_at: Option<usize>,
    pub parameters: BTreeMap<String, String>,
    /// Every call made, in order (IAM action and resource).
    pub calls: Vec<String>,
    pauses: usize,
    event_count: usize,
    looked: bool,
}

impl Fake {
    pub fn new(account: &str) -> Fake {
        Fake {
            account: account.to_owned(),
            ..Fake::default()
        }
    }

    fn call(&mut self, action: &'static str, resource: &str) -> Result<(), AwsError> {
        self.calls.push(format!("{action} {resource}"));
        match self.failing.get(action) {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// A change set that adds one resource.
    pub fn one_addition() -> ChangeSet {
        ChangeSet {
            id: "cs-1".to_owned(),
            status: "CREATE_COMPLETE".to_owned(),
            execution_status: "AVAILABLE".to_owned(),
            changes: vec![ResourceChange {
                action: ChangeAction::Add,
                logical_id: "ArtifactBucket".to_owned(),
                physical_id: None,
                resource_type: "AWS::S3::Bucket".to_owned(),
                replacement: None,
                scope: Vec::new(),
                details: Vec::new(),
            }],
            ..ChangeSet::default()
        }
    }

    pub fn event(
        logical_id: &str,
        resource_type: &str,
        status: &str,
        reason: Option<&str>,
    ) -> StackEvent {
        StackEvent {
            timestamp: "2026-12-02T10:00:00Z".to_owned(),
            logical_id: logical_id.to_owned(),
            physical_id: None,
            resource_type: resource_type.to_owned(),
            status: status.to_owned(),
            reason: reason.map(str::to_owned),
        }
    }
}

impl Cloud for Fake {
    fn account(&mut self) -> Result<String, AwsError> {
        self.call("sts:GetCallerIdentity", "the caller")?;
        Ok(self.account.clone())
    }

    fn register_usage(&mut self, product_code: &str) -> Result<(), AwsError> {
        self.call("aws-marketplace:RegisterUsage", product_code)
    }

    fn stack(&mut self, name: &str) -> Result<Option<Stack>, AwsError> {
        self.call("cloudformation:DescribeStacks", name)?;
        let Some(queue) = self.stacks.get_mut(name) else {
            return Ok(None);
        };
        let answer = if queue.len() > 1 {
            queue.pop_front().flatten()
        } else {
            queue.front().cloned().flatten()
        };
        Ok(answer)
    }

    fn create_change_set(&mut self, request: &ChangeSetRequest<'_>) -> Result<String, AwsError> {
        self.call("cloudformation:CreateChangeSet", request.stack_name)?;
        Ok("cs-1".to_owned())
    }

    fn change_set(&mut self, stack_name: &str, _id: &str) -> Result<ChangeSet, AwsError> {
        self.call("cloudformation:DescribeChangeSet", stack_name)?;
        let answer = if self.change_sets.len() > 1 {
            self.change_sets.pop_front()
        } else {
            self.change_sets.front().cloned()
        };
        Ok(answer.unwrap_or_else(Fake::one_addition))
    }

    fn execute_change_set(&mut self, stack_name: &str, _id: &str) -> Result<(), AwsError> {
        self.call("cloudformation:ExecuteChangeSet", stack_name)
    }

    fn delete_change_set(&mut self, stack_name: &str, _id: &str) -> Result<(), AwsError> {
        self.call("cloudformation:DeleteChangeSet", stack_name)
    }

    fn events(&mut self, stack: &str, after: Option<&str>) -> Result<Vec<Event>, AwsError> {
        self.call("cloudformation:DescribeStackEvents", stack)?;
        // The first look (the marker before an operation) sees no earlier events.
        if after.is_none() && !self.looked {
            self.looked = true;
            return Ok(Vec::new());
        }
        let batch = self.events.pop_front().unwrap_or_default();
        Ok(batch
            .into_iter()
            .map(|event| {
                self.event_count += 1;
                Event {
                    id: format!("e{}", self.event_count),
                    event,
                }
            })
            .collect())
    }

    fn delete_stack(&mut self, stack: &str) -> Result<(), AwsError> {
        self.call("cloudformation:DeleteStack", stack)
    }

    fn resources(&mut self, stack: &str) -> Result<Vec<StackResource>, AwsError> {
        self.call("cloudformation:ListStackResources", stack)?;
        Ok(Vec::new())
    }

    fn detect_drift(&mut self, stack: &str) -> Result<String, AwsError> {
        self.call("cloudformation:DetectStackDrift", stack)?;
        Ok("drift-1".to_owned())
    }

    fn detection(&mut self, id: &str) -> Result<Detection, AwsError> {
        self.call("cloudformation:DescribeStackDriftDetectionStatus", id)?;
        Ok(Detection::InProgress)
    }

    fn resource_drifts(&mut self, stack: &str) -> Result<Vec<ResourceDrift>, AwsError> {
        self.call("cloudformation:DescribeStackResourceDrifts", stack)?;
        Ok(Vec::new())
    }

    fn parameters_under(&mut self, path: &str) -> Result<Vec<(String, String)>, AwsError> {
        self.call("ssm:GetParametersByPath", path)?;
        Ok(self
            .parameters
            .iter()
            .filter(|(k, _)| k.starts_with(path))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn parameter(&mut self, name: &str) -> Result<Option<String>, AwsError> {
        self.call("ssm:GetParameter", name)?;
        Ok(self.parameters.get(name).cloned())
    }

    fn empty_bucket(&mut self, bucket: &str) -> Result<usize, AwsError> {
        self.call("s3:ListBucketVersions", bucket)?;
        Ok(0)
    }

    fn pause(&mut self, _wait: Duration) -> Result<(), Interrupted> {
        let n = self.pauses;
        self.pauses += 1;
        if self.interrupt_at == Some(n) {
            return Err(Interrupted);
        }
        Ok(())
    }

    fn take_log(&mut self) -> Vec<String> {
        Vec::new()
    }
}
