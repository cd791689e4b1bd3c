//! The operator policy as IAM can store it: a set of managed-policy documents, each within
//! IAM's 6,144 characters (white space not counted), at most 10 (the managed policies IAM attaches
//! to one user, group or role by default), and the AWS CLI commands that create and attach them.
//!
//! The documents hold exactly the statements of [`policy::operator_policy`] (a statement too
//! large for one document is cut into statements with the same resources and condition and part
//! of the actions, or the same actions and part of the resources: the same grants), packed into
//! as few documents as first-fit decreasing finds. The union of the documents is the policy, so
//! the proofs of sufficiency and minimality run over the union.
//!
//! [`commands`] is the one home of the create and attach commands: the guide file
//! (`policies/{stem}-iam-policy.md`) and the review report's checklist both show them.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::config::Config;
use crate::files::Output;
use crate::names::Names;
use crate::policy::{self, PolicyOptions};
use crate::regions;

/// IAM's quotas for customer managed policies (IAM User Guide, "IAM and AWS STS quotas").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Characters of one managed policy document, white space not counted.
    pub document_chars: usize,
    /// Managed policies attached to one user, group or role (the default quota; 20 at most on
    /// request).
    pub documents: usize,
}

/// The quotas IAM applies by default.
pub const IAM_LIMITS: Limits = Limits {
    document_chars: 6_144,
    documents: 10,
};

/// Characters of a policy document as IAM counts them: white space is not counted.
pub fn iam_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Characters of a JSON value as IAM counts them (its compact form; the generated strings hold
/// no white space, a test checks).
fn value_chars(value: &Value) -> usize {
    iam_chars(&serde_json::to_string(value).unwrap_or_default())
}

/// One managed-policy document of the set.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    /// 1-based, as in the file name and the policy name.
    pub number: usize,
    pub document: Value,
    /// Characters as IAM counts them.
    pub chars: usize,
}

/// The operator policy as managed-policy documents.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySet {
    pub documents: Vec<PolicyDocument>,
}

/// Why the set could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// The embedded permission table did not load, or the region is unknown (a programming
    /// error that tests catch).
    NoPermissionTable,
    /// The statements need more documents than IAM attaches to one identity.
    TooLarge {
        /// The sizes of the documents it would take, as IAM counts them.
        sizes: Vec<usize>,
        limits: Limits,
    },
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyError::NoPermissionTable => {
                write!(f, "the embedded permission table did not load")
            }
            PolicyError::TooLarge { sizes, limits } => {
                let total: usize = sizes.iter().sum();
                write!(
                    f,
                    "the operator policy needs {} managed policies of at most {} characters (sizes {}; {} characters in all), but IAM attaches at most {} to one user, group or role",
                    sizes.len(),
                    thousands(limits.document_chars),
                    sizes
                        .iter()
                        .map(|s| thousands(*s))
                        .collect::<Vec<_>>()
                        .join(", "),
                    thousands(total),
                    limits.documents
                )
            }
        }
    }
}

impl PolicyError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PolicyError::NoPermissionTable => "please report this with the config",
            PolicyError::TooLarge { .. } => {
                "shorten what the policy repeats: the SSM parameter paths of vpc_integration (vpc_id_parameter, subnet_ids_parameter, security_group_id_parameter), the route tables and subnets listed, or the name parts (company_prefix, use_case, workload)"
            }
        }
    }
}

/// `6144` → `6,144`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl PolicySet {
    /// The bytes of `policies/{stem}-iam-policy-{n}.json`, in order (the CLI and the browser app
    /// write the same).
    pub fn file_texts(&self) -> Vec<String> {
        self.documents
            .iter()
            .map(|d| policy::to_file_text(&d.document))
            .collect()
    }

    /// Every statement of every document, in order: the policy the set grants.
    pub fn statements(&self) -> Vec<Value> {
        self.documents
            .iter()
            .flat_map(|d| {
                d.document["Statement"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }

    /// The union of the documents as one policy document (for the proofs and the report).
    pub fn union(&self) -> Value {
        json!({ "Version": "2012-10-17", "Statement": self.statements() })
    }
}

/// The operator policy of a config as a set of managed-policy documents.
pub fn operator_policy_set(
    config: &Config,
    names: &Names<'_>,
    options: PolicyOptions,
) -> Result<PolicySet, PolicyError> {
    let policy =
        policy::operator_policy(config, names, options).ok_or(PolicyError::NoPermissionTable)?;
    let statements = policy["Statement"]
        .as_array()
        .cloned()
        .ok_or(PolicyError::NoPermissionTable)?;
    split(statements, IAM_LIMITS)
}

fn document(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// Packs statements into as few documents within `limits` as first-fit decreasing finds; a
/// statement larger than a document on its own is cut first ([`cut`]). Each document keeps its
/// statements in their original order, and the documents are ordered by their first statement.
pub fn split(statements: Vec<Value>, limits: Limits) -> Result<PolicySet, PolicyError> {
    let overhead = value_chars(&document(Vec::new()));
    // Room for statements in one document; every statement after the first adds a comma.
    let room = limits.document_chars.saturating_sub(overhead);
    let pieces: Vec<Value> = statements.into_iter().flat_map(|s| cut(s, room)).collect();
    let sizes: Vec<usize> = pieces.iter().map(value_chars).collect();
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    // Largest first; ties keep the original order (a stable sort), so the result is deterministic.
    order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]));
    // Each bin: the indexes of its statements and the characters they take (commas included).
    let mut bins: Vec<(Vec<usize>, usize)> = Vec::new();
    for i in order {
        let fits = |used: usize, n: usize| used + sizes[i] + usize::from(n > 0) <= room;
        match bins
            .iter_mut()
            .find(|(members, used)| fits(*used, members.len()))
        {
            Some((members, used)) => {
                *used += sizes[i] + usize::from(!members.is_empty());
                members.push(i);
            }
            None => bins.push((vec![i], sizes[i])),
        }
    }
    for (members, _) in &mut bins {
        members.sort_unstable();
    }
    bins.sort_by_key(|(members, _)| members.first().copied());
    let documents: Vec<PolicyDocument> = bins
        .into_iter()
        .enumerate()
        .map(|(n, (members, _))| {
            let document = document(members.iter().map(|i| pieces[*i].clone()).collect());
            PolicyDocument {
                number: n + 1,
                chars: value_chars(&document),
                document,
            }
        })
        .collect();
    if documents.len() > limits.documents
        || documents.iter().any(|d| d.chars > limits.document_chars)
    {
        return Err(PolicyError::TooLarge {
            sizes: documents.iter().map(|d| d.chars).collect(),
            limits,
        });
    }
    Ok(PolicySet { documents })
}

/// Cuts a statement larger than `room` into statements that fit: the same resources and
/// condition with part of the actions, or (one action left) the same action and condition with
/// part of the resources. IAM evaluates each statement on its own, so the grants are the same.
/// The parts are named `{Sid}Part1`, `{Sid}Part2`, … (no generated Sid contains `Part`). A
/// statement that cannot be cut (one action on one resource) is returned whole; the size check
/// after packing reports it.
fn cut(statement: Value, room: usize) -> Vec<Value> {
    if value_chars(&statement) <= room {
        return vec![statement];
    }
    let sid = statement["Sid"].as_str().unwrap_or("Statement").to_owned();
    let mut done = Vec::new();
    let mut todo = vec![statement];
    while let Some(s) = todo.pop() {
        // Room for the longer Sid the parts get.
        if value_chars(&s) + "Part99".len() <= room {
            done.push(s);
            continue;
        }
        let list = |key: &str| s[key].as_array().cloned().unwrap_or_default();
        let (actions, resources) = (list("Action"), list("Resource"));
        let key = if actions.len() > 1 {
            "Action"
        } else if resources.len() > 1 {
            "Resource"
        } else {
            done.push(s);
            continue;
        };
        let items = if key == "Action" { actions } else { resources };
        let (first, second) = items.split_at(items.len() / 2);
        // Pushed in reverse, so the first half is cut (and numbered) first.
        for half in [second, first] {
            let mut part = s.clone();
            part[key] = Value::Array(half.to_vec());
            todo.push(part);
        }
    }
    if done.len() > 1 {
        for (i, part) in done.iter_mut().enumerate() {
            part["Sid"] = Value::String(format!("{sid}Part{}", i + 1));
        }
    }
    done
}

/// Whom the documents are attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    User,
    Group,
    Role,
}

impl Principal {
    pub const ALL: [Principal; 3] = [Principal::User, Principal::Group, Principal::Role];

    pub fn word(self) -> &'static str {
        match self {
            Principal::User => "user",
            Principal::Group => "group",
            Principal::Role => "role",
        }
    }

    /// The placeholder the commands carry for the principal's name.
    pub fn placeholder(self) -> &'static str {
        match self {
            Principal::User => "USER_NAME",
            Principal::Group => "GROUP_NAME",
            Principal::Role => "ROLE_NAME",
        }
    }
}

/// The IAM name of managed policy `number` of a product: `{ml_name}-operator-{number}` (at most
/// 81 characters of IAM's 128; the ml_name makes it differ between products, regions and
/// test-independent).
pub fn managed_policy_name(ml_name: &str, number: usize) -> String {
    format!("{ml_name}-operator-{number}")
}

/// The AWS CLI commands for a policy set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commands {
    /// `aws iam create-policy …`, one per document, run from the working folder.
    pub create: Vec<String>,
    /// `aws iam attach-{user,group,role}-policy …`, one per document, per kind of principal.
    pub attach: Vec<(Principal, Vec<String>)>,
    /// `aws iam create-policy-version … --set-as-default`, one per document: after a new
    /// `create-policy` run with the same number of documents.
    pub update: Vec<String>,
    /// The policies' ARNs, in order.
    pub arns: Vec<String>,
}

/// The commands that create the `count` documents of a config's set as managed policies and
/// attach them. File paths are relative to the working folder (the folder holding `policies/`).
pub fn commands(config: &Config, names: &Names<'_>, stem: &str, count: usize) -> Commands {
    let partition = regions::partition(&config.environment.region).unwrap_or("aws");
    let account = &config.client.account_id;
    let ml_name = names.ml_name();
    let numbers = 1..=count;
    let arns: Vec<String> = numbers
        .clone()
        .map(|n| {
            format!(
                "arn:{partition}:iam::{account}:policy/{}",
                managed_policy_name(&ml_name, n)
            )
        })
        .collect();
    let create = numbers
        .clone()
        .map(|n| {
            format!(
                "aws iam create-policy --policy-name {} --policy-document file://{}",
                managed_policy_name(&ml_name, n),
                Output::PolicyDocument(n).path(stem)
            )
        })
        .collect();
    let attach = Principal::ALL
        .iter()
        .map(|p| {
            (
                *p,
                arns.iter()
                    .map(|arn| {
                        format!(
                            "aws iam attach-{w}-policy --{w}-name {} --policy-arn {arn}",
                            p.placeholder(),
                            w = p.word()
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let update = numbers
        .zip(&arns)
        .map(|(n, arn)| {
            format!(
                "aws iam create-policy-version --policy-arn {arn} --policy-document file://{} --set-as-default",
                Output::PolicyDocument(n).path(stem)
            )
        })
        .collect();
    Commands {
        create,
        attach,
        update,
        arns,
    }
}

/// The bytes of `policies/{stem}-iam-policy.md`: the documents, their sizes, and the commands
/// that create and attach them.
pub fn guide_text(config: &Config, names: &Names<'_>, stem: &str, set: &PolicySet) -> String {
    let count = set.documents.len();
    let c = commands(config, names, stem, count);
    let ml_name = names.ml_name();
    let mut out = String::new();
    let _ = writeln!(out, "# Operator policy of {ml_name}\n");
    let _ = writeln!(
        out,
        "Least privilege for whoever runs ml-provisioner for this product (config `{stem}`): its stacks (normal and test deploys), its resources, and the calls the tool and CloudFormation make. IAM stores a managed policy of at most {} characters (white space not counted), so the policy is written as {count} document{}; together they grant exactly the one policy the tool's tests prove sufficient and minimal. Attach all of them: {count} of the {} managed policies IAM attaches to one user, group or role by default.\n",
        thousands(IAM_LIMITS.document_chars),
        if count == 1 { "" } else { "s" },
        IAM_LIMITS.documents
    );
    out.push_str("| file | managed policy | characters | statements |\n|---|---|---|---|\n");
    for d in &set.documents {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            Output::PolicyDocument(d.number).path(stem),
            managed_policy_name(&ml_name, d.number),
            thousands(d.chars),
            d.document["Statement"].as_array().map_or(0, Vec::len)
        );
    }
    let _ = writeln!(
        out,
        "\nRun the commands from the working folder (the one holding `policies/`), with credentials that may manage IAM in account {}.",
        config.client.account_id
    );
    let block = |out: &mut String, heading: &str, commands: &[String]| {
        if !heading.is_empty() {
            let _ = writeln!(out, "\n## {heading}");
        }
        out.push_str("\n```sh\n");
        for command in commands {
            let _ = writeln!(out, "{command}");
        }
        out.push_str("```\n");
    };
    block(&mut out, "Create them (once per account)", &c.create);
    for (principal, commands) in &c.attach {
        block(
            &mut out,
            &format!(
                "Attach them to a {} (replace {})",
                principal.word(),
                principal.placeholder()
            ),
            commands,
        );
    }
    out.push_str("\n## After the policy changed\n\nRun `create-policy` again. With the same number of documents, give each managed policy the new version (IAM keeps at most 5 versions of a policy: when it refuses, delete the oldest with `aws iam delete-policy-version`):\n");
    block(&mut out, "", &c.update);
    out.push_str("\nWith another number of documents, create and attach the new ones, and detach and delete those no longer listed here (`aws iam detach-user-policy`, `-group-`, `-role-`, then `aws iam delete-policy`).\n");
    out
}
