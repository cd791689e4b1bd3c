//! The read-only AWS actions: `show-changes` (a change set against the deployed stack, deleted
//! afterwards) and `check-drift` (drift detection). Both write their findings as JSON and HTML in
//! `reports/` (the browser app opens the JSON) and print them as text.

use std::time::Duration;

use ml_provisioner_core::files::StackReport;
use ml_provisioner_core::stack::{
    self, DriftReport, ResourceDrift, ResourceDriftStatus, StackDocument, StackDriftStatus,
    StackRef,
};

use super::aws::{Backoff, Request, Session, aws_failure};
use super::change_set::{self, check_account, discard, prepare};
use super::{Ctx, Failure, Outcome};
use crate::aws::{Detection, Stack};
use crate::exit::Exit;
use crate::workspace::write_atomic;

/// How long a drift detection may take.
const DRIFT_TIMEOUT: Duration = Duration::from_secs(600);

/// The refusal when the stack does not exist yet.
fn missing(request: &Request<'_>, what: &str) -> Failure {
    Failure::new(
        Exit::Aws,
        format!(
            "stack {} does not exist in account {} region {}: there is nothing to {what}",
            request.stack_name(),
            request.config.client.account_id,
            request.region()
        ),
        "deploy it first: `-act test-deploy` tries an isolated copy, `-act deploy-product --force` creates it",
    )
}

/// Writes a report's JSON and HTML forms in `reports/` and prints its text; the paths as shown.
fn publish(
    ctx: &Ctx<'_>,
    session: &mut Session<'_, '_>,
    stem: &str,
    document: &StackDocument,
) -> Result<Vec<String>, Failure> {
    let kind = document.kind();
    let folder = ctx.ws.root.join(StackReport::FOLDER);
    let mut wrote = Vec::new();
    for (name, text) in [
        (kind.json_name(stem), stack::to_json(document)),
        (kind.html_name(stem), document.html()),
    ] {
        let path = folder.join(name);
        let shown = ctx.shown(&path);
        write_atomic(&path, text.as_bytes()).map_err(|error| {
            Failure::new(
                Exit::Io,
                format!("cannot write {shown}: {error}"),
                "make the reports folder writable (mount it without :ro)",
            )
        })?;
        wrote.push(shown);
    }
    session.say(&document.text());
    Ok(wrote)
}

/// The account (checked against the config's) and the deployed stack; a stack that does not
/// exist, or exists only as a change set under review, is refused.
fn deployed(
    request: &Request<'_>,
    session: &mut Session<'_, '_>,
    what: &str,
) -> Result<(String, Stack), Failure> {
    let account = check_account(request, session)?;
    match session.stack(&request.stack_name())? {
        Some(stack) if stack.status != "REVIEW_IN_PROGRESS" => Ok((account, stack)),
        _ => Err(missing(request, what)),
    }
}

pub(super) fn show_changes(
    request: &Request<'_>,
    ctx: &Ctx<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    let (account, stack) = deployed(request, session, "compare with")?;
    let stack_name = stack.name.clone();
    // A deployed stack gets an UPDATE change set, or a refusal (foreign, busy, rolled back).
    let kind = change_set::change_set_type(Some(&stack), request)?;
    let prepared = prepare(request, session, &account, kind)?;
    discard(session, &stack_name, prepared.id.as_deref(), false);
    session.flush_log();
    let report = prepared.report;
    let wrote = publish(
        ctx,
        session,
        &request.file.stem,
        &StackDocument::changes(report.clone()),
    )?;
    let (exit, verdict) = if report.changes.is_empty() {
        (
            Exit::Ok,
            format!(
                "no changes: stack {stack_name} already matches the template (sha256 {})",
                request.sha256
            ),
        )
    } else {
        (
            Exit::Drift,
            format!(
                "a deploy of template sha256 {} would change stack {stack_name} (exit 5)",
                request.sha256
            ),
        )
    };
    let mut outcome = Outcome::new(exit, format!("{verdict}\nwrote {}", wrote.join(" and ")));
    outcome.wrote = wrote;
    Ok(outcome)
}

pub(super) fn check_drift(
    request: &Request<'_>,
    ctx: &Ctx<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    let (account, stack) = deployed(request, session, "check for drift")?;
    let stack_name = stack.name;
    let id = session
        .cloud
        .detect_drift(&stack_name)
        .map_err(|e| aws_failure(&e))?;
    session.note(&format!(
        "drift detection {id} started for stack {stack_name}"
    ));
    let mut backoff = Backoff::new(Duration::from_secs(5));
    let status = loop {
        if backoff.wait(session.cloud).is_err() {
            return Err(Failure::new(
                Exit::Aws,
                format!("interrupted; the drift detection {id} continues in AWS"),
                "run check-drift again in a minute",
            ));
        }
        match session.cloud.detection(&id).map_err(|e| aws_failure(&e))? {
            Detection::InProgress => {}
            Detection::Complete(status) => break status,
            Detection::Failed(reason) => {
                return Err(Failure::new(
                    Exit::Aws,
                    format!("drift detection of stack {stack_name} failed: {reason}"),
                    "the reason names the resource AWS could not read; fix its permissions or run again",
                ));
            }
        }
        if backoff.waited() > DRIFT_TIMEOUT {
            return Err(Failure::new(
                Exit::Aws,
                format!(
                    "drift detection {id} of stack {stack_name} had not finished after {} s",
                    DRIFT_TIMEOUT.as_secs()
                ),
                "it continues in AWS: run check-drift again later, or see the stack's drift in the CloudFormation console",
            ));
        }
    };
    let mut resources = session
        .cloud
        .resource_drifts(&stack_name)
        .map_err(|e| aws_failure(&e))?;
    // Resource types AWS cannot check are left out of its answer: list them as not checked.
    let listed = session
        .cloud
        .resources(&stack_name)
        .map_err(|e| aws_failure(&e))?;
    for resource in listed {
        if !resources
            .iter()
            .any(|d| d.logical_id == resource.logical_id)
        {
            resources.push(ResourceDrift {
                logical_id: resource.logical_id,
                physical_id: resource.physical_id,
                resource_type: resource.resource_type,
                status: ResourceDriftStatus::NotChecked,
                differences: Vec::new(),
            });
        }
    }
    resources.sort_by(|a, b| (a.status, &a.logical_id).cmp(&(b.status, &b.logical_id)));
    session.flush_log();
    let report = DriftReport {
        stack: StackRef {
            stack_name: stack_name.clone(),
            region: request.region().to_owned(),
            account,
        },
        tool_version: ml_provisioner_core::VERSION.to_owned(),
        checked: request.now.clone(),
        status,
        resources,
    };
    let wrote = publish(
        ctx,
        session,
        &request.file.stem,
        &StackDocument::drift(report),
    )?;
    let (exit, verdict) = match status {
        StackDriftStatus::InSync => (
            Exit::Ok,
            format!("stack {stack_name} is in sync with its template"),
        ),
        StackDriftStatus::Drifted => (Exit::Drift, format!("stack {stack_name} drifted (exit 5)")),
        StackDriftStatus::Unknown => (
            Exit::Aws,
            format!("AWS could not tell whether stack {stack_name} drifted (exit 3)"),
        ),
    };
    let mut outcome = Outcome::new(exit, format!("{verdict}\nwrote {}", wrote.join(" and ")));
    outcome.wrote = wrote;
    Ok(outcome)
}
