//! Everything that talks to AWS. This folder is the only code that imports `aws_sdk_*`, `aws_config`
//! and tokio: the actions see [`Cloud`], a narrow, blocking interface, so they are unit-tested with
//! a fake and run end to end against a real local endpoint (moto) through [`sdk::SdkCloud`].
//!
//! The IAM actions of the calls are listed once, in the core (`policy::CLI_CALLS`, which the
//! operator policy grants); a test in `sdk.rs` holds the calls that file makes equal to that list,
//! so the policy's proofs cover the real calls.

pub mod error;
#[cfg(test)]
pub mod fake;
pub mod sdk;

use std::time::Duration;

use ml_provisioner_core::stack::{ResourceChange, ResourceDrift, StackDriftStatus, StackEvent};

pub use error::AwsError;

/// A deployed stack, as `DescribeStacks` gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub tags: Vec<(String, String)>,
    /// Key, value, description.
    pub outputs: Vec<(String, String, String)>,
}

impl Stack {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether a change set creates the stack or updates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeSetType {
    Create,
    Update,
}

/// What `CreateChangeSet` is asked for.
#[derive(Clone, Debug)]
pub struct ChangeSetRequest<'a> {
    pub stack_name: &'a str,
    pub change_set_name: &'a str,
    pub kind: ChangeSetType,
    pub template_body: &'a str,
    pub description: &'a str,
    pub tags: &'a [(String, String)],
}

/// A change set, as `DescribeChangeSet` (with `IncludePropertyValues`) gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub id: String,
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ...
    pub status: String,
    pub status_reason: Option<String>,
    /// `AVAILABLE`, `UNAVAILABLE`, `EXECUTE_IN_PROGRESS`, ...
    pub execution_status: String,
    pub changes: Vec<ResourceChange>,
    /// RFC 3339, UTC.
    pub created: Option<String>,
}

/// A stack event with its id (for "what is new since the last look").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub event: StackEvent,
}

/// Where a drift detection is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detection {
    InProgress,
    Complete(StackDriftStatus),
    Failed(String),
}

/// A resource of a stack (`ListStackResources`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackResource {
    pub logical_id: String,
    pub physical_id: Option<String>,
    pub resource_type: String,
    pub status: String,
}

/// The user pressed Ctrl-C during a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

/// The AWS calls the actions make, blocking. Implemented by [`sdk::SdkCloud`] (the real SDK)
/// and by test fakes. Every method is one AWS call (with its pages), except [`Cloud::empty_bucket`]
/// and [`Cloud::pause`].
pub trait Cloud {
    /// `sts:GetCallerIdentity`: the account the credentials belong to.
    fn account(&mut self) -> Result<String, AwsError>;
    /// `aws-marketplace:RegisterUsage` for the build's product code.
    fn register_usage(&mut self, product_code: &str) -> Result<(), AwsError>;
    /// `DescribeStacks`; `None` when the stack does not exist.
    fn stack(&mut self, name: &str) -> Result<Option<Stack>, AwsError>;
    fn create_change_set(&mut self, request: &ChangeSetRequest<'_>) -> Result<String, AwsError>;
    fn change_set(&mut self, stack_name: &str, id: &str) -> Result<ChangeSet, AwsError>;
    fn execute_change_set(&mut self, stack_name: &str, id: &str) -> Result<(), AwsError>;
    fn delete_change_set(&mut self, stack_name: &str, id: &str) -> Result<(), AwsError>;
    /// `DescribeStackEvents`, oldest first, stopping at the event `after` (exclusive) when given.
    fn events(&mut self, stack: &str, after: Option<&str>) -> Result<Vec<Event>, AwsError>;
    fn delete_stack(&mut self, stack: &str) -> Result<(), AwsError>;
    fn resources(&mut self, stack: &str) -> Result<Vec<StackResource>, AwsError>;
    /// `DetectStackDrift`: the detection's id.
    fn detect_drift(&mut self, stack: &str) -> Result<String, AwsError>;
    fn detection(&mut self, id: &str) -> Result<Detection, AwsError>;
    /// `DescribeStackResourceDrifts`: the resources that were checked.
    fn resource_drifts(&mut self, stack: &str) -> Result<Vec<ResourceDrift>, AwsError>;
    /// `ssm:GetParametersByPath` (recursive): name and value.
    fn parameters_under(&mut self, path: &str) -> Result<Vec<(String, String)>, AwsError>;
    /// `ssm:GetParameter`; `None` when it does not exist.
    fn parameter(&mut self, name: &str) -> Result<Option<String>, AwsError>;
    /// Deletes every object version and delete marker of a bucket; the number deleted. A
    /// bucket that does not exist is empty.
    fn empty_bucket(&mut self, bucket: &str) -> Result<usize, AwsError>;
    /// Waits, unless the user presses Ctrl-C.
    fn pause(&mut self, wait: Duration) -> Result<(), Interrupted>;
    /// Lines for the run log about the calls made since the last time (call and request id).
    fn take_log(&mut self) -> Vec<String>;
}
