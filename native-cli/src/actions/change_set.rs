//! Change sets, shared by show-changes, test-deploy and deploy-product: check the account,
//! create one from the generated template, wait for it, read its changes (with property values)
//! and clean up what was only made for a preview.

use std::time::Duration;

use ml_provisioner_core::stack::{ChangeSetReport, StackRef};

use super::Failure;
use super::aws::{Backoff, Request, Session, aws_failure, foreign, ours, settled};
use crate::aws::{ChangeSetRequest, ChangeSetType, Stack};
use crate::exit::Exit;

/// How long a change set may take to be computed.
const CHANGE_SET_TIMEOUT: Duration = Duration::from_secs(600);

/// A change set that was made: its id, the report of its changes, and whether the stack exists
/// only because of it (a new stack in `REVIEW_IN_PROGRESS`, removed when the set is discarded).
#[derive(Debug)]
pub(super) struct Prepared {
    /// `None` when AWS refused to make a change set because nothing changes.
    pub id: Option<String>,
    pub report: ChangeSetReport,
    pub new_stack: bool,
}

/// The account the credentials belong to, which must be the config's.
pub(super) fn check_account(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
) -> Result<String, Failure> {
    let account = session.cloud.account().map_err(|e| aws_failure(&e))?;
    let expected = &request.config.client.account_id;
    if &account != expected {
        return Err(Failure::usage(
            format!(
                "the AWS credentials are for account {account}, but the config is for account {expected}; nothing was done"
            ),
            format!(
                "use a profile of account {expected} (--profile or AWS_PROFILE), or fix client.account_id in the config"
            ),
        ));
    }
    Ok(account)
}

/// Whether a stack may get a change set, and of which type.
pub(super) fn change_set_type(
    stack: Option<&Stack>,
    request: &Request<'_>,
) -> Result<ChangeSetType, Failure> {
    let Some(stack) = stack else {
        return Ok(ChangeSetType::Create);
    };
    if stack.status == "REVIEW_IN_PROGRESS" {
        // A stack that exists only as a change set (an earlier preview): creating it is allowed.
        return Ok(ChangeSetType::Create);
    }
    if !ours(stack, request) {
        return Err(foreign(stack, request));
    }
    if !settled(&stack.status) {
        return Err(Failure::new(
            Exit::Aws,
            format!(
                "stack {} is {}: another operation is running; nothing was done",
                stack.name, stack.status
            ),
            "wait until it ends (watch it in the CloudFormation console or with `aws cloudformation describe-stack-events`), then run again",
        ));
    }
    if stack.status == "ROLLBACK_COMPLETE"
        || stack.status == "ROLLBACK_FAILED"
        || stack.status == "DELETE_FAILED"
    {
        return Err(Failure::new(
            Exit::Aws,
            format!(
                "stack {} is {}: its creation failed and it cannot be updated; nothing was done",
                stack.name, stack.status
            ),
            "delete it (`-act delete-product --force`; the log of the failed deploy names the cause), fix the cause, then deploy again",
        ));
    }
    Ok(ChangeSetType::Update)
}

/// Checks the SSM parameters the stack reads at deploy time (enterprise), so a missing one is
/// named before anything is created.
pub(super) fn check_inputs(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
) -> Result<(), Failure> {
    for (what, path) in request.config.ssm_inputs() {
        match session.cloud.parameter(path) {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Err(Failure::new(
                    Exit::Aws,
                    format!(
                        "the SSM parameter {path} ({what}, from the config's vpc_integration) does not exist in account {} region {}; nothing was done",
                        request.config.client.account_id,
                        request.region()
                    ),
                    "deploy the VPC (vpc-provisioner) or SG Provisioner first, or fix the parameter path in the config",
                ));
            }
            Err(error) => return Err(aws_failure(&error)),
        }
    }
    Ok(())
}

/// Creates a change set from the request's template and waits until AWS has computed it.
pub(super) fn prepare(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
    account: &str,
    kind: ChangeSetType,
) -> Result<Prepared, Failure> {
    let stack_name = request.stack_name();
    let name = request.change_set_name();
    let tags = request.stack_tags();
    let description = request.change_set_description();
    let mut report = ChangeSetReport {
        stack: StackRef {
            stack_name: stack_name.clone(),
            region: request.region().to_owned(),
            account: account.to_owned(),
        },
        change_set_name: name.clone(),
        template_sha256: request.sha256.clone(),
        tool_version: ml_provisioner_core::VERSION.to_owned(),
        created: request.now.clone(),
        changes: Vec::new(),
    };
    let created = session.cloud.create_change_set(&ChangeSetRequest {
        stack_name: &stack_name,
        change_set_name: &name,
        kind,
        template_body: &request.body,
        description: &description,
        tags: &tags,
    });
    let id = match created {
        Ok(id) => id,
        Err(error) if no_changes(&error.detail) => {
            return Ok(Prepared {
                id: None,
                report,
                new_stack: false,
            });
        }
        Err(error) => return Err(aws_failure(&error)),
    };
    let form = if request.body_is_json {
        format!(
            " from the template as compact JSON (the YAML is over CloudFormation's {}-byte limit; same document, sha256 {} of the YAML)",
            ml_provisioner_core::template::BODY_LIMIT,
            request.sha256
        )
    } else {
        String::new()
    };
    session.note(&format!(
        "change set {name} created for stack {stack_name}{form}"
    ));
    let new_stack = kind == ChangeSetType::Create;
    let mut backoff = Backoff::new(Duration::from_secs(5));
    loop {
        if backoff.wait(session.cloud).is_err() {
            discard(session, &stack_name, Some(&id), new_stack);
            return Err(Failure::new(
                Exit::Aws,
                "interrupted while AWS computed the change set; it was deleted, nothing was deployed",
                "run the action again",
            ));
        }
        let set = session
            .cloud
            .change_set(&stack_name, &id)
            .map_err(|e| aws_failure(&e))?;
        if set.status == "FAILED" {
            let reason = set.status_reason.unwrap_or_default();
            if no_changes(&reason) {
                return Ok(Prepared {
                    id: Some(id),
                    report,
                    new_stack,
                });
            }
            discard(session, &stack_name, Some(&id), new_stack);
            return Err(Failure::new(
                Exit::Aws,
                format!(
                    "CloudFormation could not make a change set for stack {stack_name}: {reason}"
                ),
                "fix what CloudFormation names (validate-prov-template checks the template offline), then run again",
            ));
        }
        if settled(&set.status) {
            report.changes = set.changes;
            if let Some(created) = set.created {
                report.created = created;
            }
            return Ok(Prepared {
                id: Some(id),
                report,
                new_stack,
            });
        }
        if backoff.waited() > CHANGE_SET_TIMEOUT {
            discard(session, &stack_name, Some(&id), new_stack);
            return Err(Failure::new(
                Exit::Aws,
                format!(
                    "the change set for stack {stack_name} was not ready after {} s; it was deleted, nothing was deployed",
                    CHANGE_SET_TIMEOUT.as_secs()
                ),
                "run again later; if it persists, look at the stack in the CloudFormation console",
            ));
        }
    }
}

/// Deletes a change set made for a preview, and the stack when it existed only for it. Best
/// effort: a failure is noted, not fatal (the preview's result stands).
pub(super) fn discard(
    session: &mut Session<'_, '_>,
    stack_name: &str,
    id: Option<&str>,
    new_stack: bool,
) {
    if let Some(id) = id
        && let Err(error) = session.cloud.delete_change_set(stack_name, id)
    {
        session.note(&format!(
            "note: the change set was not deleted: {}",
            error.message()
        ));
    }
    if new_stack && let Err(error) = session.cloud.delete_stack(stack_name) {
        session.note(&format!(
            "note: the empty stack {stack_name} (REVIEW_IN_PROGRESS) was not deleted: {}",
            error.message()
        ));
    }
}

/// The ways CloudFormation says a template changes nothing.
pub(super) fn no_changes(reason: &str) -> bool {
    reason.contains("didn't contain changes")
        || reason.contains("No updates are to be performed")
        || reason.contains("no changes")
}
