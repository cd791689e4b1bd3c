//! The mutating AWS actions: `test-deploy` (an isolated copy with a random suffix in every
//! name), `deploy-product` (create or update through a change set) and `delete-product`
//! (empty the artifact bucket, delete the stack). Each watches the stack's events until the
//! operation ends, printing them live; a failure prints the root cause and the state left.

use std::time::Duration;

use ml_provisioner_core::catalog::ResourceId;
use ml_provisioner_core::names::TestSuffix;
use ml_provisioner_core::stack::{self, StackEvent};

use super::aws::{Backoff, Request, Session, aws_failure, foreign, ours, settled};
use super::change_set::{self, check_account, check_inputs, discard, prepare};
use super::progress::{Progress, format_elapsed};
use super::{Failure, Outcome};
use crate::aws::{ChangeSetType, Stack};
use crate::exit::Exit;

/// How long a stack operation may take before the tool stops waiting (the operation goes on).
const STACK_TIMEOUT: Duration = Duration::from_secs(3 * 3600);

/// What watching a stack operation ended with.
#[derive(Debug)]
struct Watched {
    /// The stack's final status (`DELETE_COMPLETE` when it is gone).
    status: String,
    stack: Option<Stack>,
    /// Every event of the operation, oldest first.
    events: Vec<StackEvent>,
}

pub(super) fn test_deploy(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    let suffix = request
        .test
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    let delete = format!(
        "ml-provisioner -con {} -act delete-product --force --test-suffix {suffix}",
        request.config_arg
    );
    let stack_name = request.stack_name();
    session.note(&format!(
        "test deploy: stack {stack_name} (every name carries {}{suffix}); the production stack is not touched",
        TestSuffix::SEPARATOR
    ));
    let outcome = deploy(request, session)?;
    if outcome.exit == Exit::Ok || stack_left(session, &stack_name) {
        session.say(&format!(
            "test stack: {stack_name}\ndelete it with: {delete}"
        ));
    }
    Ok(outcome)
}

/// Whether a stack of this name exists (after a failed deploy), for the delete hint.
fn stack_left(session: &mut Session<'_, '_>, stack_name: &str) -> bool {
    matches!(session.cloud.stack(stack_name), Ok(Some(_)))
}

pub(super) fn deploy_product(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    deploy(request, session)
}

fn deploy(request: &Request<'_>, session: &mut Session<'_, '_>) -> Result<Outcome, Failure> {
    let account = check_account(request, session)?;
    let stack_name = request.stack_name();
    let existing = session.stack(&stack_name)?;
    let kind = change_set::change_set_type(existing.as_ref(), request)?;
    check_inputs(request, session)?;
    let prepared = prepare(request, session, &account, kind)?;
    let new_stack = prepared.new_stack && existing.is_none();
    let Some(id) = prepared
        .id
        .clone()
        .filter(|_| !prepared.report.changes.is_empty())
    else {
        discard(session, &stack_name, prepared.id.as_deref(), false);
        return Ok(Outcome::new(
            Exit::Ok,
            format!(
                "no changes: stack {stack_name} already runs template sha256 {}; nothing deployed",
                request.sha256
            ),
        ));
    };
    session.say(&stack::changes_text(&prepared.report));
    if request.dry_run {
        discard(session, &stack_name, Some(&id), new_stack);
        return Ok(Outcome::new(
            Exit::Ok,
            format!(
                "dry run: {}; the change set was deleted, nothing deployed",
                stack::changes_summary(&prepared.report)
            ),
        ));
    }
    let marker = last_event(session, &stack_name)?;
    session
        .cloud
        .execute_change_set(&stack_name, &id)
        .map_err(|e| aws_failure(&e))?;
    let verb = if kind == ChangeSetType::Create {
        "creating"
    } else {
        "updating"
    };
    session.note(&format!(
        "{verb} stack {stack_name} (template sha256 {})",
        request.sha256
    ));
    let mut progress = Progress::new(session.interactive, &format!("{verb} {stack_name}"));
    let watched = watch(session, &stack_name, marker, &mut progress, request);
    progress.finish();
    let watched = watched?;
    session.flush_log();
    let elapsed = format_elapsed(progress.elapsed());
    if watched.status == "CREATE_COMPLETE" || watched.status == "UPDATE_COMPLETE" {
        let stack = watched.stack.unwrap_or_default();
        show_result(request, session, &stack)?;
        return Ok(Outcome::new(
            Exit::Ok,
            format!(
                "stack {stack_name} is {} after {elapsed} ({} events)",
                watched.status,
                progress.events()
            ),
        ));
    }
    Err(failed(&stack_name, &watched, &elapsed))
}

/// The newest event's id before an operation starts: later events are the operation's.
fn last_event(session: &mut Session<'_, '_>, stack_name: &str) -> Result<Option<String>, Failure> {
    match session.cloud.events(stack_name, None) {
        Ok(events) => Ok(events.last().map(|e| e.id.clone())),
        Err(error) => Err(aws_failure(&error)),
    }
}

/// Watches a stack operation until it ends, printing each new event.
fn watch(
    session: &mut Session<'_, '_>,
    stack: &str,
    mut marker: Option<String>,
    progress: &mut Progress,
    request: &Request<'_>,
) -> Result<Watched, Failure> {
    let mut backoff = Backoff::new(Duration::from_secs(5));
    let mut events = Vec::new();
    loop {
        if backoff.wait(session.cloud).is_err() {
            return Err(interrupted(stack, request));
        }
        let new = session
            .cloud
            .events(stack, marker.as_deref())
            .map_err(|e| aws_failure(&e))?;
        for event in new {
            progress.event(session, &event.event);
            marker = Some(event.id);
            events.push(event.event);
        }
        let current = session.cloud.stack(stack).map_err(|e| aws_failure(&e))?;
        let status = current
            .as_ref()
            .map_or_else(|| "DELETE_COMPLETE".to_owned(), |s| s.status.clone());
        if settled(&status) {
            return Ok(Watched {
                status,
                stack: current,
                events,
            });
        }
        if backoff.waited() > STACK_TIMEOUT {
            return Err(Failure::new(
                Exit::Aws,
                format!(
                    "stack {stack} is still {status} after {}; the tool stopped waiting, the operation goes on",
                    format_elapsed(backoff.waited())
                ),
                format!(
                    "watch it with `aws cloudformation describe-stack-events --stack-name {stack} --region {}`",
                    request.region()
                ),
            ));
        }
    }
}

fn interrupted(stack: &str, request: &Request<'_>) -> Failure {
    Failure::new(
        Exit::Aws,
        format!(
            "interrupted: the tool stopped watching, but the operation on stack {stack} goes on in AWS"
        ),
        format!(
            "watch it with `aws cloudformation describe-stack-events --stack-name {stack} --region {region}` or wait with `aws cloudformation wait stack-{{create,update,delete}}-complete --stack-name {stack} --region {region}`; then run `-con {config} -act show-changes` to see where it stands",
            region = request.region(),
            config = request.config_arg
        ),
    )
}

/// A failed operation: the root-cause events and the state left behind.
fn failed(stack_name: &str, watched: &Watched, elapsed: &str) -> Failure {
    let causes: Vec<String> = stack::root_cause(&watched.events)
        .into_iter()
        .map(|e| format!("  {}", stack::event_line(e)))
        .collect();
    let causes = if causes.is_empty() {
        "  (no failing resource event; see the stack's events)".to_owned()
    } else {
        causes.join("\n")
    };
    let reason = watched
        .stack
        .as_ref()
        .and_then(|s| s.status_reason.clone())
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let left = match watched.status.as_str() {
        "ROLLBACK_COMPLETE" => {
            "the stack was rolled back and cannot be updated: delete it with `-act delete-product --force` before deploying again"
        }
        "UPDATE_ROLLBACK_COMPLETE" => {
            "the update was rolled back: the stack runs its previous template"
        }
        "DELETE_FAILED" => "the stack could not be deleted: the resources named above are left",
        _ => "look at the stack in the CloudFormation console before running again",
    };
    Failure::new(
        Exit::Aws,
        format!(
            "stack {stack_name} ended {}{reason} after {elapsed}; root cause:\n{causes}",
            watched.status
        ),
        format!("{left}; fix the cause, then run again"),
    )
}

/// Prints the stack's outputs and the SSM parameters it published.
fn show_result(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
    stack: &Stack,
) -> Result<(), Failure> {
    let mut text = String::from("outputs:\n");
    for (key, value, _) in &stack.outputs {
        text.push_str(&format!("  {key} = {value}\n"));
    }
    if stack.outputs.is_empty() {
        text.push_str("  (none)\n");
    }
    let prefix = request.names().ssm_prefix();
    let parameters = session
        .cloud
        .parameters_under(prefix.trim_end_matches('/'))
        .map_err(|e| aws_failure(&e))?;
    text.push_str(&format!("SSM parameters under {prefix}:\n"));
    for (name, value) in &parameters {
        text.push_str(&format!("  {name} = {value}\n"));
    }
    if parameters.is_empty() {
        text.push_str("  (none)\n");
    }
    session.say(&text);
    Ok(())
}

pub(super) fn delete_product(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    check_account(request, session)?;
    let stack_name = request.stack_name();
    let Some(stack) = session.stack(&stack_name)? else {
        return Ok(Outcome::new(
            Exit::Ok,
            format!(
                "stack {stack_name} does not exist in account {} region {}: nothing to delete",
                request.config.client.account_id,
                request.region()
            ),
        ));
    };
    if !ours(&stack, request) {
        return Err(foreign(&stack, request));
    }
    if !settled(&stack.status) {
        return Err(Failure::new(
            Exit::Aws,
            format!(
                "stack {stack_name} is {}: another operation is running; nothing was done",
                stack.status
            ),
            "wait until it ends, then run again",
        ));
    }
    let resources = session
        .cloud
        .resources(&stack_name)
        .map_err(|e| aws_failure(&e))?;
    // A stack delete fails on a bucket with objects: empty those the stack deletes (a
    // production stack keeps its access-log bucket, DeletionPolicy: Retain).
    let test = request.test.is_some();
    let known = |logical_id: &str, rule: fn(ResourceId, bool) -> bool| {
        ResourceId::from_logical_id(logical_id).is_some_and(|id| rule(id, test))
    };
    let kept = |logical_id: &str| known(logical_id, ResourceId::retained_on_delete);
    let buckets: Vec<String> = resources
        .iter()
        .filter(|r| known(&r.logical_id, ResourceId::emptied_on_delete))
        .filter_map(|r| r.physical_id.clone())
        .collect();
    if request.dry_run {
        let mut text = format!(
            "would delete stack {stack_name} and its {} resources:\n",
            resources.len()
        );
        for r in &resources {
            text.push_str(&format!(
                "  {}  {}  {}{}\n",
                r.logical_id,
                r.resource_type,
                r.physical_id.as_deref().unwrap_or("-"),
                if kept(&r.logical_id) {
                    "  (kept: DeletionPolicy Retain)"
                } else {
                    ""
                }
            ));
        }
        for bucket in &buckets {
            text.push_str(&format!(
                "after emptying bucket {bucket} (every object version)\n"
            ));
        }
        session.say(&text);
        return Ok(Outcome::new(Exit::Ok, "dry run: nothing deleted"));
    }
    for bucket in &buckets {
        let deleted = session
            .cloud
            .empty_bucket(bucket)
            .map_err(|e| aws_failure(&e))?;
        session.note(&format!(
            "emptied bucket {bucket}: {deleted} object versions and delete markers deleted"
        ));
    }
    let marker = last_event(session, &stack.id)?;
    session
        .cloud
        .delete_stack(&stack.id)
        .map_err(|e| aws_failure(&e))?;
    session.note(&format!("deleting stack {stack_name}"));
    let mut progress = Progress::new(session.interactive, &format!("deleting {stack_name}"));
    let watched = watch(session, &stack.id, marker, &mut progress, request);
    progress.finish();
    let watched = watched?;
    session.flush_log();
    let elapsed = format_elapsed(progress.elapsed());
    if watched.status != "DELETE_COMPLETE" {
        return Err(failed(&stack_name, &watched, &elapsed));
    }
    // What CloudFormation skipped, and what the template retains (an endpoint may not send
    // the DELETE_SKIPPED event).
    let line = |logical_id: &str, resource_type: &str, physical_id: Option<&str>| {
        format!(
            "  {logical_id} {resource_type} {}",
            physical_id.unwrap_or("")
        )
    };
    let mut retained: Vec<String> = watched
        .events
        .iter()
        .filter(|e| e.status == "DELETE_SKIPPED")
        .map(|e| line(&e.logical_id, &e.resource_type, e.physical_id.as_deref()))
        .collect();
    for r in resources.iter().filter(|r| kept(&r.logical_id)) {
        let kept_line = line(&r.logical_id, &r.resource_type, r.physical_id.as_deref());
        if !retained.contains(&kept_line) {
            retained.push(kept_line);
        }
    }
    if !retained.is_empty() {
        session.say(&format!(
            "retained (DeletionPolicy: Retain; delete them by hand when no longer needed):\n{}",
            retained.join("\n")
        ));
    }
    Ok(Outcome::new(
        Exit::Ok,
        format!(
            "stack {stack_name} deleted after {elapsed}{}",
            if retained.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} resource{} retained",
                    retained.len(),
                    if retained.len() == 1 { "" } else { "s" }
                )
            }
        ),
    ))
}
