//! Rules of AWS services on what a resource says, which CloudFormation or the service refuses
//! at deployment and cfn-lint checks too (its rule is named at each): a backup plan's lifecycle
//! (E3504), a cluster-mode ElastiCache replication group's failover and node count (E3026), a
//! resource policy's statements against IAM's grammar (E3513 and its kin), and SAM's
//! `IgnoreGlobals` against the template's `Globals` (E3724).
//!
//! Each rule reads only literal values: a value given by a function (`Ref`, `Fn::If`, ...) is
//! not judged, so a template whose values CloudFormation resolves is never refused here.

use super::{Resource, property};
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{Node, NodeKind};

/// The service rules on every resource of the template `root`.
pub(super) fn check(root: &Node, resources: &[Resource<'_>], out: &mut Vec<Diagnostic>) {
    for resource in resources {
        match resource.kind {
            "AWS::Backup::BackupPlan" => backup_lifecycle(resource, out),
            "AWS::ElastiCache::ReplicationGroup" => cache_cluster(resource, resources, out),
            _ => {}
        }
        if let Some((_, key)) = RESOURCE_POLICIES.iter().find(|(k, _)| *k == resource.kind) {
            resource_policy(resource, key, out);
        }
    }
    sam_ignore_globals(root, resources, out);
}

/// Whether a node is a function (`{Ref: …}`, `{Fn::If: …}`, ...), whose value CloudFormation
/// works out at deployment.
fn is_function(node: &Node) -> bool {
    match node.entries() {
        [only] => only
            .key
            .as_str()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")),
        _ => false,
    }
}

/// A literal integer (or a string of digits, which CloudFormation converts).
fn integer(node: &Node) -> Option<i64> {
    match &node.kind {
        NodeKind::Int(text) | NodeKind::Str(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A literal boolean (or the string CloudFormation converts to one).
fn boolean(node: &Node) -> Option<bool> {
    match &node.kind {
        NodeKind::Bool(b) => Some(*b),
        NodeKind::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        NodeKind::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The items of a list node (nothing for anything else).
fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

/// AWS Backup deletes a recovery point no sooner than 90 days after it moved to cold storage:
/// a plan rule's (or copy action's) `Lifecycle` with `DeleteAfterDays` less than
/// `MoveToColdStorageAfterDays + 90` is refused (cfn-lint E3504).
fn backup_lifecycle(resource: &Resource<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plan) = property(resource, "BackupPlan") else {
        return;
    };
    let rules = items(plan.get("BackupPlanRule").map(|e| &e.value));
    let lifecycles = rules.iter().flat_map(|rule| {
        let copies = items(rule.get("CopyActions").map(|e| &e.value));
        rule.get("Lifecycle")
            .into_iter()
            .chain(copies.iter().filter_map(|c| c.get("Lifecycle")))
            .map(|e| &e.value)
    });
    for lifecycle in lifecycles {
        let (Some(delete), Some(cold)) = (
            lifecycle.get("DeleteAfterDays"),
            lifecycle.get("MoveToColdStorageAfterDays"),
        ) else {
            continue;
        };
        let (Some(days), Some(cold_days)) = (integer(&delete.value), integer(&cold.value)) else {
            continue;
        };
        if days - cold_days < 90 {
            out.push(
                Diagnostic::new(
                    Code::ResourceRule,
                    delete.key.span,
                    format!(
                        "backup plan '{}': DeleteAfterDays {days} must be at least 90 days after MoveToColdStorageAfterDays {cold_days}",
                        resource.id
                    ),
                )
                .with_label(cold.key.span, "moved to cold storage here")
                .with_hint(format!(
                    "AWS Backup keeps cold storage for 90 days at least: delete after {} days or later",
                    cold_days + 90
                )),
            );
        }
    }
}

/// A replication group whose parameter group (a `Ref` to a resource of the template) turns
/// cluster mode on (`cluster-enabled: 'yes'`) needs automatic failover, and, without
/// `NumNodeGroups`, more than one cache cluster (cfn-lint E3026). Reported at
/// `CacheParameterGroupName`, where the cluster mode comes from.
fn cache_cluster(resource: &Resource<'_>, resources: &[Resource<'_>], out: &mut Vec<Diagnostic>) {
    let Some(properties) = resource.body.get("Properties").map(|p| &p.value) else {
        return;
    };
    let Some(group) = properties.get("CacheParameterGroupName") else {
        return;
    };
    let Some(target) = group
        .value
        .get("Ref")
        .filter(|_| group.value.entries().len() == 1)
        .and_then(|r| r.value.as_str())
    else {
        return;
    };
    let cluster_mode = resources
        .iter()
        .find(|r| r.id == target)
        .and_then(|r| property(r, "Properties"))
        .and_then(|p| p.get("cluster-enabled"))
        .is_some_and(|e| e.value.as_str() == Some("yes"));
    if !cluster_mode {
        return;
    }
    let id = resource.id;
    let mut found = Vec::new();
    if let Some(failover) = properties.get("AutomaticFailoverEnabled")
        && boolean(&failover.value) == Some(false)
    {
        found.push("AutomaticFailoverEnabled must be missing or true when cluster mode is on");
    }
    let node_groups = properties.get("NumNodeGroups").map(|e| &e.value);
    let no_node_groups = match node_groups {
        None => true,
        Some(n) => integer(n) == Some(0),
    };
    if no_node_groups {
        let clusters = properties
            .get("NumCacheClusters")
            .map_or(Some(0), |e| integer(&e.value));
        if clusters.is_some_and(|n| n <= 1) {
            found.push(
                "NumCacheClusters must be greater than one when cluster mode is on and NumNodeGroups is not given",
            );
        }
    }
    for what in found {
        out.push(
            Diagnostic::new(
                Code::ResourceRule,
                group.key.span,
                format!("replication group '{id}': {what} (parameter group '{target}' sets cluster-enabled 'yes')"),
            )
            .with_hint("enable automatic failover and give NumNodeGroups, or more than one NumCacheClusters"),
        );
    }
}

/// Resource types whose property holds a resource policy (a policy with principals), checked
/// against IAM's grammar for them (cfn-lint E3513 for ECR).
const RESOURCE_POLICIES: &[(&str, &str)] = &[("AWS::ECR::Repository", "RepositoryPolicyText")];

/// The keys IAM allows in a statement of a resource policy.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// A resource policy's statements: `Effect` is `Allow` or `Deny`, only IAM's statement keys,
/// and a principal given as a string is `*` (any other principal is a mapping such as
/// `{AWS: arn}`).
fn resource_policy(resource: &Resource<'_>, key: &str, out: &mut Vec<Diagnostic>) {
    let Some(document) = property(resource, key) else {
        return;
    };
    let statements = document.get("Statement").map(|e| &e.value);
    let statements: Vec<&Node> = match statements.map(|s| &s.kind) {
        Some(NodeKind::Seq(items)) => items.iter().collect(),
        Some(NodeKind::Map(_)) => statements.into_iter().collect(),
        _ => Vec::new(),
    };
    let id = resource.id;
    let hint = "see IAM's policy grammar: Effect Allow or Deny; Sid, Principal, Action, Resource, Condition and their Not… forms; a principal such as {AWS: <account or ARN>} or '*'";
    for statement in statements.into_iter().filter(|s| !is_function(s)) {
        for entry in statement.entries() {
            let Some(name) = entry.key.as_str() else {
                continue;
            };
            let problem = if !STATEMENT_KEYS.contains(&name) {
                Some(format!("'{name}' is not a key of a policy statement"))
            } else if name == "Effect" {
                entry
                    .value
                    .as_str()
                    .filter(|e| *e != "Allow" && *e != "Deny")
                    .map(|e| format!("Effect '{e}' is neither Allow nor Deny"))
            } else if name == "Principal" || name == "NotPrincipal" {
                entry
                    .value
                    .as_str()
                    .filter(|p| *p != "*")
                    .map(|p| format!("{name} '{p}' given as a string must be '*' (or a mapping such as {{AWS: …}})"))
            } else {
                None
            };
            if let Some(problem) = problem {
                out.push(
                    Diagnostic::new(
                        Code::ResourceRule,
                        entry.key.span,
                        format!("{key} of '{id}': {problem}"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

/// The `Globals` section of each SAM resource type.
const SAM_GLOBALS: &[(&str, &str)] = &[
    ("Function", "AWS::Serverless::Function"),
    ("Api", "AWS::Serverless::Api"),
    ("HttpApi", "AWS::Serverless::HttpApi"),
    ("SimpleTable", "AWS::Serverless::SimpleTable"),
    ("StateMachine", "AWS::Serverless::StateMachine"),
    ("LayerVersion", "AWS::Serverless::LayerVersion"),
    ("CapacityProvider", "AWS::Serverless::CapacityProvider"),
    ("WebSocketApi", "AWS::Serverless::WebSocketApi"),
];

/// Under SAM's transform, each name a resource's `IgnoreGlobals` lists is a property its type's
/// section of `Globals` sets (SAM refuses any other; cfn-lint E3724). `IgnoreGlobals: '*'`
/// ignores them all.
fn sam_ignore_globals(root: &Node, resources: &[Resource<'_>], out: &mut Vec<Diagnostic>) {
    let sam = root
        .get("Transform")
        .is_some_and(|t| super::transform_names(&t.value).contains(&"AWS::Serverless-2016-10-31"));
    let Some(globals) = root.get("Globals").map(|g| &g.value) else {
        return;
    };
    if !sam || is_function(globals) {
        return;
    }
    for resource in resources {
        let Some(ignored) = resource.body.get("IgnoreGlobals") else {
            continue;
        };
        let Some((section, _)) = SAM_GLOBALS.iter().find(|(_, k)| *k == resource.kind) else {
            continue;
        };
        let Some(set) = globals
            .get(section)
            .map(|e| &e.value)
            .filter(|s| matches!(s.kind, NodeKind::Map(_)) && !is_function(s))
        else {
            continue;
        };
        let valid: Vec<&str> = set
            .entries()
            .iter()
            .filter_map(|e| e.key.as_str())
            .collect();
        for item in items(Some(&ignored.value)) {
            let Some(name) = item.as_str() else { continue };
            if !valid.contains(&name) {
                out.push(
                    Diagnostic::new(
                        Code::InvalidTemplate,
                        item.span,
                        format!(
                            "'{name}' in IgnoreGlobals of '{}' is not a property Globals.{section} sets",
                            resource.id
                        ),
                    )
                    .with_hint(format!("Globals.{section} sets: {}", valid.join(", "))),
                );
            }
        }
    }
}
