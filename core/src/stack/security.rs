//! The changes a security reviewer must see first, like CDK's security diff: IAM identities and
//! their policies (statements added or broadened, `*` appearing, who may assume a role), network
//! rules, resource and key policies, public access blocks and encryption weakened or removed.
//!
//! A change set made with property values (`IncludePropertyValues`) gives before/after JSON,
//! and the policies are then compared statement by statement; without values, the property that
//! changes is named. Narrowing (a statement removed, an action dropped, encryption added) is
//! not listed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{ChangeAction, ChangeSetReport, PropertyChange, ResourceChange};

/// One security-relevant change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityChange {
    pub logical_id: String,
    pub resource_type: String,
    pub category: SecurityCategory,
    /// What changes, in one line (`statement added: Allow s3:PutObject on *`).
    pub what: String,
    /// Why it matters, in one line.
    pub why: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecurityCategory {
    /// IAM roles, users, groups, policies and what they allow.
    Iam,
    /// Security group and network ACL rules.
    NetworkRule,
    /// Bucket, topic, queue, repository and secret policies, Lambda permissions.
    ResourcePolicy,
    /// A KMS key's policy.
    KeyPolicy,
    /// Public access blocks, ACLs, public IPs, direct internet access.
    PublicAccess,
    /// Encryption settings and keys.
    Encryption,
}

impl SecurityCategory {
    pub fn label(self) -> &'static str {
        match self {
            SecurityCategory::Iam => "IAM",
            SecurityCategory::NetworkRule => "network rule",
            SecurityCategory::ResourcePolicy => "resource policy",
            SecurityCategory::KeyPolicy => "key policy",
            SecurityCategory::PublicAccess => "public access",
            SecurityCategory::Encryption => "encryption",
        }
    }

    /// A stable lowercase id (`iam`, `network-rule`, ...), for markup.
    pub fn id(self) -> &'static str {
        match self {
            SecurityCategory::Iam => "iam",
            SecurityCategory::NetworkRule => "network-rule",
            SecurityCategory::ResourcePolicy => "resource-policy",
            SecurityCategory::KeyPolicy => "key-policy",
            SecurityCategory::PublicAccess => "public-access",
            SecurityCategory::Encryption => "encryption",
        }
    }
}

/// Every security-relevant change in a change set, in the change set's order.
pub fn security_changes(report: &ChangeSetReport) -> Vec<SecurityChange> {
    let mut out = Vec::new();
    for change in &report.changes {
        let mut found = Found {
            change,
            out: &mut out,
        };
        if let Some(identity) = identity(&change.resource_type) {
            found.identity(identity);
        } else if let Some(rule) = network_rule(&change.resource_type) {
            found.network_rule(rule);
        } else if let Some(policy) = resource_policy(&change.resource_type) {
            found.resource_policy(policy);
        }
        if change.action == ChangeAction::Modify {
            found.protections();
        }
    }
    out
}

/// An IAM resource type: what it is called and why adding one matters.
struct Identity {
    noun: &'static str,
    why_new: &'static str,
}

fn identity(resource_type: &str) -> Option<Identity> {
    const POLICY: &str = "grants permissions to the roles, users or groups it is attached to";
    let (noun, why_new) = match resource_type {
        "AWS::IAM::Role" => (
            "IAM role",
            "a new identity that services or principals can assume: check who may assume it and what it may do",
        ),
        "AWS::IAM::User" => (
            "IAM user",
            "a long-lived identity in the account: check it is needed and what it may do",
        ),
        "AWS::IAM::Group" => ("IAM group", "its members get its policies"),
        "AWS::IAM::Policy" => ("IAM policy", POLICY),
        "AWS::IAM::ManagedPolicy" => ("IAM managed policy", POLICY),
        "AWS::IAM::RolePolicy" => ("IAM role policy", POLICY),
        "AWS::IAM::UserPolicy" => ("IAM user policy", POLICY),
        "AWS::IAM::GroupPolicy" => ("IAM group policy", POLICY),
        "AWS::IAM::InstanceProfile" => {
            ("IAM instance profile", "lets EC2 instances act as its role")
        }
        "AWS::IAM::AccessKey" => (
            "IAM access key",
            "long-lived credentials that work from anywhere until rotated or deleted",
        ),
        "AWS::IAM::OIDCProvider" | "AWS::IAM::SAMLProvider" => (
            "identity provider",
            "lets identities from outside AWS assume roles that trust it",
        ),
        _ => return None,
    };
    Some(Identity { noun, why_new })
}

/// The properties of IAM resources that decide access.
const IAM_PROPERTIES: &[&str] = &[
    "Policies",
    "PolicyDocument",
    "AssumeRolePolicyDocument",
    "ManagedPolicyArns",
    "PermissionsBoundary",
    "Roles",
    "Users",
    "Groups",
    "Role",
    "LoginProfile",
    "Status",
    "ClientIdList",
    "ThumbprintList",
    "Url",
    "SamlMetadataDocument",
];

/// A resource type that is a network rule, or holds them.
struct NetworkRule {
    /// The properties that hold rules; empty: the resource is itself one rule.
    properties: &'static [&'static str],
    noun: &'static str,
}

fn network_rule(resource_type: &str) -> Option<NetworkRule> {
    let (properties, noun): (&'static [&'static str], _) = match resource_type {
        "AWS::EC2::SecurityGroup" => (
            &["SecurityGroupIngress", "SecurityGroupEgress"],
            "security group",
        ),
        "AWS::EC2::SecurityGroupIngress" => (&[], "security group ingress rule"),
        "AWS::EC2::SecurityGroupEgress" => (&[], "security group egress rule"),
        "AWS::EC2::NetworkAclEntry" => (&[], "network ACL entry"),
        _ => return None,
    };
    Some(NetworkRule { properties, noun })
}

/// A resource type that is, or holds, a resource-based policy.
struct ResourcePolicy {
    noun: &'static str,
    /// The properties that hold the policy.
    properties: &'static [&'static str],
    /// Whether the resource is the policy (adding or removing it changes access).
    whole: bool,
    category: SecurityCategory,
}

fn resource_policy(resource_type: &str) -> Option<ResourcePolicy> {
    use SecurityCategory::{KeyPolicy, ResourcePolicy as Resource};
    let (noun, properties, whole, category): (_, &'static [&'static str], _, _) =
        match resource_type {
            "AWS::S3::BucketPolicy" => ("bucket policy", &["PolicyDocument"], true, Resource),
            "AWS::SNS::TopicPolicy" => ("topic policy", &["PolicyDocument"], true, Resource),
            "AWS::SQS::QueuePolicy" => ("queue policy", &["PolicyDocument"], true, Resource),
            "AWS::SecretsManager::ResourcePolicy" => {
                ("secret policy", &["ResourcePolicy"], true, Resource)
            }
            "AWS::Lambda::Permission" => ("Lambda permission", &[], true, Resource),
            "AWS::ECR::Repository" => (
                "repository policy",
                &["RepositoryPolicyText"],
                false,
                Resource,
            ),
            "AWS::KMS::Key" => ("key policy", &["KeyPolicy"], false, KeyPolicy),
            _ => return None,
        };
    Some(ResourcePolicy {
        noun,
        properties,
        whole,
        category,
    })
}

/// How a protecting property is turned off.
#[derive(Clone, Copy)]
enum Weakening {
    /// `true` → not `true` (or removed).
    TrueToFalse,
    /// not `true` → `true`.
    FalseToTrue,
    /// After is one of these words.
    Becomes(&'static [&'static str]),
    /// Removed or changed (a key, a whole configuration).
    RemovedOrChanged,
}

/// Properties, on any resource type, that protect data (public access, encryption), and what
/// turns each off.
const PROTECTIONS: &[(&str, SecurityCategory, Weakening)] = {
    use SecurityCategory::{Encryption as E, PublicAccess as P};
    use Weakening::{Becomes, FalseToTrue, RemovedOrChanged, TrueToFalse};
    &[
        ("PublicAccessBlockConfiguration", P, RemovedOrChanged),
        ("BlockPublicAcls", P, TrueToFalse),
        ("BlockPublicPolicy", P, TrueToFalse),
        ("IgnorePublicAcls", P, TrueToFalse),
        ("RestrictPublicBuckets", P, TrueToFalse),
        (
            "AccessControl",
            P,
            Becomes(&["PublicRead", "PublicReadWrite", "AuthenticatedRead"]),
        ),
        ("PubliclyAccessible", P, FalseToTrue),
        ("MapPublicIpOnLaunch", P, FalseToTrue),
        ("DirectInternetAccess", P, Becomes(&["Enabled"])),
        ("BucketEncryption", E, RemovedOrChanged),
        ("EncryptionConfiguration", E, RemovedOrChanged),
        ("SSESpecification", E, RemovedOrChanged),
        ("KmsKeyId", E, RemovedOrChanged),
        ("KmsMasterKeyId", E, RemovedOrChanged),
        ("KMSMasterKeyID", E, RemovedOrChanged),
        ("EncryptionKey", E, RemovedOrChanged),
        ("VolumeKmsKeyId", E, RemovedOrChanged),
        ("Encrypted", E, TrueToFalse),
        ("StorageEncrypted", E, TrueToFalse),
        ("SqsManagedSseEnabled", E, TrueToFalse),
        ("EncryptionDisabled", E, FalseToTrue),
    ]
};

const WHY_IAM_BROADER: &str = "grants permissions it did not before";
const WHY_IAM_WILDCARD: &str =
    "a wildcard grants every matching action or resource, including ones added later";
const WHY_IAM_UNKNOWN: &str =
    "the change set gives no values: review the policy's change in the template";
const WHY_TRUST: &str = "changes who may assume the role";
const WHY_DENY_REMOVED: &str = "a Deny statement no longer limits what other statements allow";
const WHY_REMOVED: &str =
    "whatever used it loses its permissions: check nothing outside the stack still needs it";
const WHY_DYNAMIC: &str = "CloudFormation can tell what changes only when it runs";
const WHY_OPEN_WORLD: &str = "open to the whole internet";
const WHY_RULE: &str = "changes which network traffic is allowed";
const WHY_RULE_REMOVED: &str = "traffic it allowed stops: check nothing depends on it";
const WHY_NEW_GROUP: &str = "controls network access to what is placed in it: check its rules";
const WHY_POLICY_NEW: &str = "decides who else, including other accounts, may use the resource";
const WHY_POLICY_REMOVED: &str =
    "its grants and its protections (TLS-only, deny statements) are gone";
const WHY_POLICY_BROADER: &str = "lets more principals or actions use the resource";
const WHY_PUBLIC: &str = "data may become reachable from outside the account";
const WHY_ENCRYPTION: &str =
    "data at rest may no longer be encrypted, or not with the key reviewed";
const WHY_KEY_CHANGED: &str = "data is then protected by another key: check that key's policy";
const WHY_BOUNDARY: &str = "the permissions boundary caps what the identity may do";
const WHY_ATTACHED: &str = "the policy's permissions reach another identity";
const WHY_MANAGED_BROAD: &str =
    "an AWS managed policy with full access to a service or the account";

/// The changes found for one resource change.
struct Found<'a> {
    change: &'a ResourceChange,
    out: &'a mut Vec<SecurityChange>,
}

impl Found<'_> {
    fn push(&mut self, category: SecurityCategory, what: String, why: &'static str) {
        self.out.push(SecurityChange {
            logical_id: self.change.logical_id.clone(),
            resource_type: self.change.resource_type.clone(),
            category,
            what,
            why,
        });
    }

    fn identity(&mut self, identity: Identity) {
        use SecurityCategory::Iam;
        match self.change.action {
            ChangeAction::Add => self.push(Iam, format!("new {}", identity.noun), identity.why_new),
            ChangeAction::Remove => {
                self.push(Iam, format!("{} removed", identity.noun), WHY_REMOVED)
            }
            ChangeAction::Dynamic => {
                self.push(Iam, format!("{} may change", identity.noun), WHY_DYNAMIC);
            }
            ChangeAction::Import => {}
            ChangeAction::Modify => {
                if self.change.details.is_empty() {
                    self.push(
                        Iam,
                        format!(
                            "{} modified; the change set names no property",
                            identity.noun
                        ),
                        WHY_IAM_UNKNOWN,
                    );
                }
                for detail in &self.change.details {
                    if let Some(property) = find_property(&detail.path, IAM_PROPERTIES) {
                        self.iam_property(detail, property);
                    }
                }
            }
        }
    }

    fn iam_property(&mut self, detail: &PropertyChange, property: &str) {
        use SecurityCategory::Iam;
        match property {
            "Policies" | "PolicyDocument" => {
                self.policy(detail, Iam, WHY_IAM_BROADER);
            }
            "AssumeRolePolicyDocument" => self.policy(detail, Iam, WHY_TRUST),
            "ManagedPolicyArns" | "Roles" | "Users" | "Groups" | "Role" => {
                let Some((before, after)) = values(detail) else {
                    self.push(Iam, unknown(detail), WHY_IAM_UNKNOWN);
                    return;
                };
                let added: Vec<String> = strings(&after)
                    .difference(&strings(&before))
                    .cloned()
                    .collect();
                if added.is_empty() {
                    return;
                }
                if property == "ManagedPolicyArns" {
                    let broad = added.iter().any(|a| {
                        let name = a.rsplit('/').next().unwrap_or(a);
                        name == "AdministratorAccess"
                            || name == "PowerUserAccess"
                            || name.ends_with("FullAccess")
                    });
                    self.push(
                        Iam,
                        format!("attaches managed policy {}", list(&added)),
                        if broad {
                            WHY_MANAGED_BROAD
                        } else {
                            WHY_IAM_BROADER
                        },
                    );
                } else {
                    self.push(
                        Iam,
                        format!(
                            "now attached to {} {}",
                            property.to_lowercase(),
                            list(&added)
                        ),
                        WHY_ATTACHED,
                    );
                }
            }
            "PermissionsBoundary" => match (present(&detail.before), present(&detail.after)) {
                (Some(before), None) => self.push(
                    Iam,
                    format!("permissions boundary {} removed", short(before)),
                    WHY_BOUNDARY,
                ),
                (Some(before), Some(after)) if before != after => self.push(
                    Iam,
                    format!(
                        "permissions boundary changes from {} to {}",
                        short(before),
                        short(after)
                    ),
                    WHY_BOUNDARY,
                ),
                (None, None) => self.push(Iam, unknown(detail), WHY_BOUNDARY),
                _ => {}
            },
            _ => {
                // Login profile, key status, identity provider settings: any change matters.
                self.push(Iam, changed(detail), WHY_IAM_BROADER);
            }
        }
    }

    /// A policy property: statements compared when both values are there.
    fn policy(&mut self, detail: &PropertyChange, category: SecurityCategory, why: &'static str) {
        let Some((before, after)) = values(detail) else {
            self.push(category, unknown(detail), WHY_IAM_UNKNOWN);
            return;
        };
        let (old, new) = (statements(&before), statements(&after));
        if old.is_empty() && new.is_empty() {
            // A value inside a statement (`.../Statement/0/Action`) or beside one.
            self.statement_field(detail, category, &before, &after);
            return;
        }
        for line in policy_diff(&old, &new) {
            let why = if line.wildcard {
                WHY_IAM_WILDCARD
            } else if line.deny_removed {
                WHY_DENY_REMOVED
            } else {
                why
            };
            self.push(category, line.what, why);
        }
    }

    /// A change below one statement: the path says which field.
    fn statement_field(
        &mut self,
        detail: &PropertyChange,
        category: SecurityCategory,
        before: &Value,
        after: &Value,
    ) {
        let segments = segments(&detail.path);
        let field = segments
            .iter()
            .rev()
            .find(|s| STATEMENT_FIELDS.contains(s))
            .copied();
        let (old, new) = (strings(before), strings(after));
        let added: Vec<String> = new.difference(&old).cloned().collect();
        let removed: Vec<String> = old.difference(&new).cloned().collect();
        let refs: Vec<&String> = added.iter().collect();
        let wildcard = match field {
            Some("Action") => has_wildcard(&refs, &[]),
            _ => has_wildcard(&[], &refs),
        };
        let why = if wildcard {
            WHY_IAM_WILDCARD
        } else {
            WHY_IAM_BROADER
        };
        match field {
            Some(f @ ("Action" | "Resource" | "Principal")) => {
                if !added.is_empty() {
                    let noun = match f {
                        "Action" => "actions",
                        "Resource" => "resources",
                        _ => "principals",
                    };
                    self.push(
                        category,
                        format!("{}: adds {noun} {}", path(detail), list(&added)),
                        why,
                    );
                }
            }
            Some(f @ ("NotAction" | "NotResource" | "NotPrincipal")) => {
                if !removed.is_empty() {
                    self.push(
                        category,
                        format!(
                            "{}: {f} no longer excludes {}",
                            path(detail),
                            list(&removed)
                        ),
                        WHY_IAM_BROADER,
                    );
                }
            }
            Some("Effect") => {
                if new.contains("Allow") && !old.contains("Allow") {
                    self.push(
                        category,
                        format!("{}: a Deny statement becomes Allow", path(detail)),
                        WHY_DENY_REMOVED,
                    );
                }
            }
            Some(_) => self.push(category, changed(detail), WHY_IAM_BROADER),
            None => {
                let last = segments.last().copied().unwrap_or_default();
                if !["PolicyName", "Sid", "Version", "Description"].contains(&last) {
                    self.push(category, changed(detail), why);
                }
            }
        }
    }

    fn network_rule(&mut self, rule: NetworkRule) {
        use SecurityCategory::NetworkRule as Net;
        let noun = rule.noun;
        match self.change.action {
            ChangeAction::Add if rule.properties.is_empty() => {
                self.push(Net, format!("new {noun}"), WHY_RULE);
            }
            ChangeAction::Add => self.push(Net, format!("new {noun}"), WHY_NEW_GROUP),
            ChangeAction::Remove => self.push(Net, format!("{noun} removed"), WHY_RULE_REMOVED),
            ChangeAction::Dynamic => self.push(Net, format!("{noun} may change"), WHY_DYNAMIC),
            ChangeAction::Import => {}
            ChangeAction::Modify if rule.properties.is_empty() => {
                if self.change.details.is_empty() {
                    self.push(Net, format!("{noun} modified"), WHY_RULE);
                }
                for detail in &self.change.details {
                    if detail.attribute == "Tags" || detail.path.contains("Tags") {
                        continue;
                    }
                    let open = present(&detail.after).is_some_and(is_open_world);
                    self.push(
                        Net,
                        changed(detail),
                        if open { WHY_OPEN_WORLD } else { WHY_RULE },
                    );
                }
            }
            ChangeAction::Modify => {
                for detail in &self.change.details {
                    let Some(property) = find_property(&detail.path, rule.properties) else {
                        continue;
                    };
                    let direction = if property == "SecurityGroupEgress" {
                        "egress"
                    } else {
                        "ingress"
                    };
                    self.group_rules(detail, direction);
                }
            }
        }
    }

    /// A security group's rule list (or one rule, or one field of one).
    fn group_rules(&mut self, detail: &PropertyChange, direction: &str) {
        use SecurityCategory::NetworkRule as Net;
        let Some((before, after)) = values(detail) else {
            self.push(
                Net,
                format!("{direction} rules change (the change set gives no values)"),
                WHY_RULE,
            );
            return;
        };
        let (old, new) = (rules(&before), rules(&after));
        if old.is_empty() && new.is_empty() {
            let open = present(&detail.after).is_some_and(is_open_world);
            self.push(
                Net,
                changed(detail),
                if open { WHY_OPEN_WORLD } else { WHY_RULE },
            );
            return;
        }
        for rule in new.iter().filter(|r| !old.contains(r)) {
            let open = rule_is_open(rule);
            self.push(
                Net,
                format!("adds {direction} rule {}", describe_rule(rule, direction)),
                if open { WHY_OPEN_WORLD } else { WHY_RULE },
            );
        }
        for rule in old.iter().filter(|r| !new.contains(r)) {
            self.push(
                Net,
                format!(
                    "removes {direction} rule {}",
                    describe_rule(rule, direction)
                ),
                WHY_RULE_REMOVED,
            );
        }
    }

    fn resource_policy(&mut self, policy: ResourcePolicy) {
        let (noun, category) = (policy.noun, policy.category);
        match self.change.action {
            ChangeAction::Add if policy.whole => {
                self.push(category, format!("new {noun}"), WHY_POLICY_NEW);
            }
            ChangeAction::Remove if policy.whole => {
                self.push(category, format!("{noun} removed"), WHY_POLICY_REMOVED);
            }
            ChangeAction::Dynamic if policy.whole => {
                self.push(category, format!("{noun} may change"), WHY_DYNAMIC);
            }
            ChangeAction::Modify => {
                if policy.whole && self.change.details.is_empty() {
                    self.push(
                        category,
                        format!("{noun} modified; the change set names no property"),
                        WHY_IAM_UNKNOWN,
                    );
                }
                for detail in &self.change.details {
                    if policy.properties.is_empty() {
                        if detail.attribute != "Tags" {
                            self.push(category, changed(detail), WHY_POLICY_BROADER);
                        }
                    } else if find_property(&detail.path, policy.properties).is_some() {
                        self.policy(detail, category, WHY_POLICY_BROADER);
                    }
                }
            }
            _ => {}
        }
    }

    /// Public access and encryption settings weakened or removed, on any resource.
    fn protections(&mut self) {
        for detail in &self.change.details {
            let names: Vec<&str> = segments(&detail.path);
            let Some(&(property, category, weakened_by)) = names
                .iter()
                .rev()
                .find_map(|s| PROTECTIONS.iter().find(|p| p.0 == *s))
            else {
                continue;
            };
            let why = match category {
                SecurityCategory::PublicAccess => WHY_PUBLIC,
                _ => WHY_ENCRYPTION,
            };
            let (before, after) = (present(&detail.before), present(&detail.after));
            let Some(before) = before else {
                if after.is_none() {
                    // No values: it may be removed or weakened.
                    self.push(category, unknown(detail), why);
                }
                // Added where there was nothing: a protection turned on.
                continue;
            };
            let Some(after) = after else {
                self.push(
                    category,
                    format!("{} removed (was {})", path(detail), short(before)),
                    why,
                );
                continue;
            };
            let (old, new) = (parse(before), parse(after));
            let weakened = match weakened_by {
                Weakening::TrueToFalse => is_true(&old) && !is_true(&new),
                Weakening::FalseToTrue => !is_true(&old) && is_true(&new),
                Weakening::Becomes(words) => {
                    new.as_str().is_some_and(|w| words.contains(&w)) && old != new
                }
                Weakening::RemovedOrChanged => {
                    if let (Value::Object(_), Value::Object(_)) = (&old, &new) {
                        // A whole configuration: any setting that was on and is not any more;
                        // for encryption, any other change too (algorithm, key).
                        let mut off = Vec::new();
                        switched_off(&old, &new, "", &mut off);
                        if !off.is_empty() {
                            self.push(
                                category,
                                format!("{}: {} turned off", path(detail), list(&off)),
                                why,
                            );
                            continue;
                        }
                        category == SecurityCategory::Encryption && old != new
                    } else {
                        old != new
                    }
                }
            };
            if !weakened {
                continue;
            }
            let why = match weakened_by {
                Weakening::RemovedOrChanged if category == SecurityCategory::Encryption => {
                    if property.contains("Key") {
                        WHY_KEY_CHANGED
                    } else {
                        WHY_ENCRYPTION
                    }
                }
                _ => why,
            };
            self.push(category, changed(detail), why);
        }
    }
}

/// The fields of a policy statement.
const STATEMENT_FIELDS: &[&str] = &[
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// A property path's names: `/Properties/Policies/0/PolicyDocument` and `Policies.0` alike.
fn segments(path: &str) -> Vec<&str> {
    path.split(['/', '.']).filter(|s| !s.is_empty()).collect()
}

/// The first of `properties` the path passes through.
fn find_property(path: &str, properties: &[&'static str]) -> Option<&'static str> {
    segments(path)
        .into_iter()
        .find_map(|s| properties.iter().find(|p| **p == s).copied())
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// A value as AWS gives it: JSON text for objects and lists, plain text for strings.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Both values, `null` for a missing one; `None` when the change set gives neither.
fn values(detail: &PropertyChange) -> Option<(Value, Value)> {
    let (before, after) = (present(&detail.before), present(&detail.after));
    if before.is_none() && after.is_none() {
        return None;
    }
    Some((
        before.map_or(Value::Null, parse),
        after.map_or(Value::Null, parse),
    ))
}

fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The settings that are `true` in `old` and not in `new` (a missing one counts as off).
fn switched_off(old: &Value, new: &Value, prefix: &str, out: &mut Vec<String>) {
    let Value::Object(map) = old else {
        return;
    };
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let other = new.get(key).unwrap_or(&Value::Null);
        if value.is_object() {
            switched_off(value, other, &name, out);
        } else if is_true(value) && !is_true(other) {
            out.push(name);
        }
    }
}

/// The strings a value holds: a string, a list of them, a principal map (`AWS:arn:...`);
/// anything else as compact JSON.
fn strings(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match value {
        Value::Null => {}
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(items) => {
            for item in items {
                out.extend(strings(item));
            }
        }
        Value::Object(map) if map.values().all(|v| v.is_string() || v.is_array()) => {
            for (key, v) in map {
                out.extend(strings(v).into_iter().map(|s| format!("{key}:{s}")));
            }
        }
        other => {
            out.insert(other.to_string());
        }
    }
    out
}

/// Up to four items, then how many more.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    let shown: Vec<String> = items.iter().take(4).map(|s| short(s.as_ref())).collect();
    match items.len() {
        n if n > 4 => format!("{} and {} more", shown.join(", "), n - 4),
        _ => shown.join(", "),
    }
}

/// A value on one line: compact JSON, controls visible, at most 120 characters.
pub(super) fn short(text: &str) -> String {
    let compact = match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => v.to_string(),
        _ => text.to_owned(),
    };
    let one_line = compact.replace(['\n', '\r', '\t'], " ");
    let cut: String = one_line.chars().take(120).collect();
    let more = if cut.len() < one_line.len() {
        "…"
    } else {
        ""
    };
    format!("{}{more}", crate::html::show_controls(&cut))
}

/// A property's path for a message: controls visible.
fn path(detail: &PropertyChange) -> std::borrow::Cow<'_, str> {
    crate::html::show_controls(&detail.path)
}

fn unknown(detail: &PropertyChange) -> String {
    format!("{} changes (the change set gives no values)", path(detail))
}

fn changed(detail: &PropertyChange) -> String {
    let value = |v: &Option<String>| present(v).map_or_else(|| "(none)".to_owned(), short);
    format!(
        "{}: {} → {}",
        path(detail),
        value(&detail.before),
        value(&detail.after)
    )
}

/// One policy statement, normalised for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Statement {
    sid: Option<String>,
    allow: bool,
    actions: BTreeSet<String>,
    not_actions: BTreeSet<String>,
    resources: BTreeSet<String>,
    not_resources: BTreeSet<String>,
    principals: BTreeSet<String>,
    not_principals: BTreeSet<String>,
    condition: Option<String>,
}

/// Every statement in a value: a policy document, a list of `Policies`, one statement.
fn statements(value: &Value) -> Vec<Statement> {
    let mut out = Vec::new();
    collect_statements(value, &mut out, 0);
    out
}

fn collect_statements(value: &Value, out: &mut Vec<Statement>, depth: usize) {
    if depth > 32 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(list) = map.get("Statement") {
                match list {
                    Value::Array(items) => out.extend(items.iter().filter_map(statement)),
                    one => out.extend(statement(one)),
                }
            } else if map.contains_key("Effect") {
                out.extend(statement(value));
            } else {
                for v in map.values() {
                    collect_statements(v, out, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_statements(v, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn statement(value: &Value) -> Option<Statement> {
    let map = value.as_object()?;
    let field = |name: &str| map.get(name).map(strings).unwrap_or_default();
    Some(Statement {
        sid: map.get("Sid").and_then(Value::as_str).map(str::to_owned),
        allow: map.get("Effect")?.as_str()? == "Allow",
        actions: field("Action"),
        not_actions: field("NotAction"),
        resources: field("Resource"),
        not_resources: field("NotResource"),
        principals: field("Principal"),
        not_principals: field("NotPrincipal"),
        condition: map.get("Condition").map(Value::to_string),
    })
}

fn describe(s: &Statement) -> String {
    let set = |items: &BTreeSet<String>| list(&items.iter().collect::<Vec<_>>());
    let mut text = String::from(if s.allow { "Allow" } else { "Deny" });
    if !s.actions.is_empty() {
        text.push_str(&format!(" {}", set(&s.actions)));
    }
    if !s.not_actions.is_empty() {
        text.push_str(&format!(" every action except {}", set(&s.not_actions)));
    }
    if !s.resources.is_empty() {
        text.push_str(&format!(" on {}", set(&s.resources)));
    }
    if !s.not_resources.is_empty() {
        text.push_str(&format!(
            " on every resource except {}",
            set(&s.not_resources)
        ));
    }
    if !s.principals.is_empty() {
        text.push_str(&format!(" to {}", set(&s.principals)));
    }
    if !s.not_principals.is_empty() {
        text.push_str(&format!(" to everyone except {}", set(&s.not_principals)));
    }
    if let Some(c) = &s.condition {
        text.push_str(&format!(" when {}", short(c)));
    }
    text
}

/// One finding of a statement comparison.
struct PolicyLine {
    what: String,
    wildcard: bool,
    deny_removed: bool,
}

fn added<'a>(a: &'a BTreeSet<String>, b: &'a BTreeSet<String>) -> Vec<&'a String> {
    a.difference(b).collect()
}

/// An action with a wildcard (`*`, `s3:*`, `s3:Get*`), or everything as a resource or
/// principal (`*`, `AWS:*`). `arn:aws:s3:::bucket/*` is scoped to the bucket: not one.
fn has_wildcard(actions: &[&String], others: &[&String]) -> bool {
    actions.iter().any(|a| a.contains('*'))
        || others
            .iter()
            .any(|o| o.as_str() == "*" || o.ends_with(":*") && !o.starts_with("arn:"))
}

/// Allow statements added or broadened, Deny statements removed or changed.
fn policy_diff(old: &[Statement], new: &[Statement]) -> Vec<PolicyLine> {
    let mut out = Vec::new();
    let gone: Vec<&Statement> = old.iter().filter(|o| !new.contains(o)).collect();
    for n in new.iter().filter(|n| n.allow && !old.contains(n)) {
        let counterpart = gone
            .iter()
            .filter(|o| o.allow)
            .find(|o| n.sid.is_some() && o.sid == n.sid)
            .or_else(|| {
                gone.iter().filter(|o| o.allow).find(|o| {
                    o.sid == n.sid && (o.actions == n.actions || o.resources == n.resources)
                })
            });
        let Some(o) = counterpart else {
            let actions: Vec<&String> = n.actions.iter().collect();
            let others: Vec<&String> = n.resources.iter().chain(&n.principals).collect();
            out.push(PolicyLine {
                what: format!("statement added: {}", describe(n)),
                wildcard: has_wildcard(&actions, &others)
                    || !n.not_actions.is_empty()
                    || !n.not_resources.is_empty(),
                deny_removed: false,
            });
            continue;
        };
        let (actions, resources, principals) = (
            added(&n.actions, &o.actions),
            added(&n.resources, &o.resources),
            added(&n.principals, &o.principals),
        );
        let (not_actions, not_resources) = (
            added(&o.not_actions, &n.not_actions),
            added(&o.not_resources, &n.not_resources),
        );
        let mut parts = Vec::new();
        for (items, words) in [
            (&actions, "adds actions"),
            (&resources, "adds resources"),
            (&principals, "adds principals"),
            (&not_actions, "no longer excludes actions"),
            (&not_resources, "no longer excludes resources"),
        ] {
            if !items.is_empty() {
                parts.push(format!("{words} {}", list(items)));
            }
        }
        if o.condition.is_some() && o.condition != n.condition {
            parts.push(match &n.condition {
                Some(c) => format!("condition changes to {}", short(c)),
                None => "condition removed".to_owned(),
            });
        }
        if parts.is_empty() {
            continue;
        }
        let name = n.sid.as_ref().map_or_else(|| describe(o), |sid| short(sid));
        let others: Vec<&String> = resources.iter().chain(&principals).copied().collect();
        out.push(PolicyLine {
            what: format!("statement {name} broadened: {}", parts.join("; ")),
            wildcard: has_wildcard(&actions, &others),
            deny_removed: false,
        });
    }
    for o in gone.iter().filter(|o| !o.allow) {
        out.push(PolicyLine {
            what: format!("Deny statement removed or changed: {}", describe(o)),
            wildcard: false,
            deny_removed: true,
        });
    }
    out
}

/// The rule objects in a value: a list of rules, or one.
fn rules(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.iter().filter(|v| v.is_object()).cloned().collect(),
        Value::Object(map)
            if ["IpProtocol", "CidrIp", "CidrIpv6", "FromPort"]
                .iter()
                .any(|k| map.contains_key(*k)) =>
        {
            vec![value.clone()]
        }
        _ => Vec::new(),
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// `tcp 443 from 10.0.0.0/8`, `all traffic to 0.0.0.0/0`.
fn describe_rule(rule: &Value, direction: &str) -> String {
    let field = |k: &str| text_of(rule.get(k));
    let protocol = match field("IpProtocol").as_deref() {
        Some("-1") | None => "all traffic".to_owned(),
        Some(p) => p.to_owned(),
    };
    let ports = match (field("FromPort"), field("ToPort")) {
        (Some(from), Some(to)) if from == to && from != "-1" => format!(" {from}"),
        (Some(from), Some(to)) if from != "-1" => format!(" {from}-{to}"),
        _ => String::new(),
    };
    let peer = [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourcePrefixListId",
        "DestinationSecurityGroupId",
        "DestinationPrefixListId",
    ]
    .iter()
    .find_map(|k| field(k))
    .unwrap_or_else(|| "(no peer given)".to_owned());
    let word = if direction == "egress" { "to" } else { "from" };
    short(&format!("{protocol}{ports} {word} {peer}"))
}

fn rule_is_open(rule: &Value) -> bool {
    ["CidrIp", "CidrIpv6"]
        .iter()
        .any(|k| text_of(rule.get(k)).is_some_and(|c| c == "0.0.0.0/0" || c == "::/0"))
}

fn is_open_world(text: &str) -> bool {
    let value = parse(text);
    strings(&value)
        .iter()
        .any(|s| s == "0.0.0.0/0" || s == "::/0" || s.ends_with(":0.0.0.0/0"))
        || rules(&value).iter().any(rule_is_open)
}
