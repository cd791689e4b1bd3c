//! Stack events: one line each for a deploy's live progress, and the events that caused a
//! failure (not the cascade of cancellations and rollback that follows it).

use super::StackEvent;
use super::text::cell;

/// The stack's own events carry this type (nested stacks too).
const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// One line per event, for live progress: time, status, resource, type, reason.
/// `2026-11-27T10:00:05Z  CREATE_FAILED         BuildRole (AWS::IAM::Role): Resource handler ...`
pub fn event_line(event: &StackEvent) -> String {
    let mut line = format!(
        "{}  {:<21} {} ({})",
        cell(&event.timestamp),
        cell(&event.status),
        cell(&event.logical_id),
        cell(&event.resource_type)
    );
    if let Some(reason) = event.reason.as_deref().filter(|r| !r.is_empty()) {
        line.push_str(": ");
        line.push_str(&cell(reason));
    }
    line
}

fn failed(event: &StackEvent) -> bool {
    event.status.ends_with("_FAILED")
}

/// A failure that only follows another: a cancelled operation (`Resource creation cancelled`,
/// `Resource update cancelled`), the stack's summary (`The following resource(s) failed to
/// create: [...]`), a nested stack pointing at its own failure.
fn is_cascade(event: &StackEvent) -> bool {
    let reason = event.reason.as_deref().unwrap_or_default().trim();
    is_cancelled(event)
        || reason.starts_with("The following resource(s) failed to")
        || (event.resource_type == STACK_TYPE && reason.starts_with("Embedded stack "))
}

fn is_cancelled(event: &StackEvent) -> bool {
    let reason = event.reason.as_deref().unwrap_or_default().trim();
    reason.starts_with("Resource ") && reason.ends_with(" cancelled")
}

/// The stack starting to roll back: where the cause ends and the cascade begins.
fn rollback_starts(event: &StackEvent) -> bool {
    event.resource_type == STACK_TYPE
        && event.status.contains("ROLLBACK")
        && event.status.ends_with("_IN_PROGRESS")
}

/// The events that caused a failed deploy, from events oldest first: the resource failures
/// before the rollback began, without cancellations and summaries, the first per resource. When
/// none failed before the rollback, the failures during it (a rollback that itself failed); when
/// no resource failed at all, the stack's own event that gives a reason (a role that cannot be
/// assumed, a failed hook). Empty when nothing failed.
pub fn root_cause(events: &[StackEvent]) -> Vec<&StackEvent> {
    let start = events
        .iter()
        .position(rollback_starts)
        .unwrap_or(events.len());
    let causes = |slice: &'_ [StackEvent]| -> Vec<usize> {
        let mut seen: Vec<&str> = Vec::new();
        let mut found = Vec::new();
        for (i, e) in slice.iter().enumerate() {
            if failed(e) && !is_cascade(e) && !seen.contains(&e.logical_id.as_str()) {
                seen.push(&e.logical_id);
                found.push(i);
            }
        }
        found
    };
    let before = causes(&events[..start]);
    if !before.is_empty() {
        return before.iter().map(|&i| &events[i]).collect();
    }
    let after = causes(&events[start..]);
    if !after.is_empty() {
        return after.iter().map(|&i| &events[start + i]).collect();
    }
    let stack = events.iter().find(|e| {
        e.resource_type == STACK_TYPE
            && (failed(e) || rollback_starts(e))
            && e.reason.as_deref().is_some_and(|r| !r.trim().is_empty())
            && !is_cascade(e)
    });
    // Last, a nested stack's pointer to its own events is better than nothing.
    stack
        .or_else(|| events.iter().find(|e| failed(e) && !is_cancelled(e)))
        .into_iter()
        .collect()
}
