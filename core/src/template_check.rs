//! Light template checks, fast enough for every keystroke in the browser: YAML/JSON syntax with
//! positions, template structure, references (`Ref`, `GetAtt`, `Sub`, `DependsOn`), `GetAtt`
//! attributes of the types the tool creates, dependency cycles, physical-name limits, and the
//! security rules (bucket encryption, public access, TLS-only policy, wildcard IAM, open
//! ingress). Property schemas, enums and types are the CLI's deep check (`validate-prov-template`).
//!
//! A template that uses a transform (a `Transform` section, or `Fn::Transform` anywhere) is not
//! what CloudFormation checks: the transform runs first and adds or rewrites resources. So the
//! checks whose answer its output decides are skipped, and one note says which ([`Transformed`]).

mod service_rules;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::names::{NameRule, Problem};
use crate::policy::permission_table;
use crate::yaml::{self, Node, NodeKind, ParseOptions};

/// CloudFormation accepts templates up to 1 MB (from S3).
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// Physical-name properties and the rules their services apply.
const NAME_PROPERTIES: &[(&str, &str, NameRule)] = &[
    ("AWS::S3::Bucket", "BucketName", NameRule::S3Bucket),
    ("AWS::IAM::Role", "RoleName", NameRule::IamRole),
    (
        "AWS::SageMaker::ModelPackageGroup",
        "ModelPackageGroupName",
        NameRule::SageMakerName,
    ),
    (
        "AWS::CodeCommit::Repository",
        "RepositoryName",
        NameRule::CodeCommitRepository,
    ),
    (
        "AWS::CodeBuild::Project",
        "Name",
        NameRule::CodeBuildProject,
    ),
    (
        "AWS::CodePipeline::Pipeline",
        "Name",
        NameRule::CodePipelineName,
    ),
    ("AWS::Events::Rule", "Name", NameRule::EventsRule),
    ("AWS::SNS::Topic", "TopicName", NameRule::SnsTopic),
    (
        "AWS::CloudWatch::Dashboard",
        "DashboardName",
        NameRule::Dashboard,
    ),
    ("AWS::Logs::LogGroup", "LogGroupName", NameRule::LogGroup),
    ("AWS::KMS::Alias", "AliasName", NameRule::KmsAlias),
    (
        "AWS::EC2::SecurityGroup",
        "GroupName",
        NameRule::SecurityGroupName,
    ),
    ("AWS::SSM::Parameter", "Name", NameRule::SsmParameter),
];

/// What the light checks cover, as the report and the browser app say it.
pub const COVERS: &str = "syntax, references, GetAtt attributes, cycles, physical-name limits, encryption, public access, TLS-only, wildcard IAM, open security groups";

/// The result of checking a template.
#[derive(Debug)]
pub struct CheckedTemplate {
    pub diagnostics: Vec<Diagnostic>,
    /// Logical ids and types of the resources found, in file order.
    pub resources: Vec<(String, String)>,
}

struct Resource<'t> {
    id: &'t str,
    key: Span,
    kind: &'t str,
    body: &'t Node,
}

/// Checks a template's bytes (YAML or JSON).
pub fn check_template(bytes: &[u8]) -> CheckedTemplate {
    let mut diagnostics = Vec::new();
    let text = match yaml::decode_with_limit(bytes, MAX_TEMPLATE_BYTES) {
        Ok(text) => text,
        Err(d) => {
            return CheckedTemplate {
                diagnostics: vec![d],
                resources: Vec::new(),
            };
        }
    };
    let parsed = parse(text);
    diagnostics.extend(parsed.diagnostics);
    let mut resources_out = Vec::new();
    if let Some(root) = &parsed.root {
        check_root(root, &mut diagnostics, &mut resources_out);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    CheckedTemplate {
        diagnostics,
        resources: resources_out,
    }
}

/// A template's text as a tree, read as the light checks read it: CloudFormation's short-form
/// tags as their functions, a JSON template as JSON. Spans index `text`.
pub fn parse(text: &str) -> yaml::Parsed {
    yaml::parse_with(
        text,
        ParseOptions {
            cloudformation_tags: true,
            json: is_json(text),
        },
    )
}

/// Whether a template is JSON: its first character after a byte-order mark and white space is
/// `{` (a template's root is an object; the deep validator tells JSON from YAML the same way).
fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{FEFF}')
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
}

fn check_root(root: &Node, out: &mut Vec<Diagnostic>, listed: &mut Vec<(String, String)>) {
    if !matches!(root.kind, NodeKind::Map(_)) {
        out.push(
            Diagnostic::new(
                Code::InvalidTemplate,
                root.span,
                "a template is a mapping with a Resources section",
            )
            .with_hint("start from a template written by create-prov-template"),
        );
        return;
    }
    let Some(section) = root.get("Resources") else {
        out.push(
            Diagnostic::new(
                Code::InvalidTemplate,
                Span::at(root.span.start),
                "the template has no Resources section",
            )
            .with_hint("CloudFormation needs at least one resource under 'Resources:'"),
        );
        return;
    };
    if section.value.entries().is_empty() {
        out.push(
            Diagnostic::new(
                Code::InvalidTemplate,
                section.key.span,
                "Resources must be a mapping with at least one resource",
            )
            .with_hint("list resources as 'LogicalId:' with 'Type:' and 'Properties:' below"),
        );
        return;
    }
    let mut resources = Vec::new();
    // Every logical id is defined, typed or not (a missing Type is reported once, not again at
    // each reference to it).
    let mut defined: BTreeMap<&str, &str> = BTreeMap::new();
    for entry in section.value.entries() {
        if let Some(id) = entry.key.as_str() {
            defined.insert(
                id,
                entry
                    .value
                    .get("Type")
                    .and_then(|t| t.value.as_str())
                    .unwrap_or(""),
            );
        }
    }
    let transformed = Transformed::find(root, &section.value);
    for entry in section.value.entries() {
        let Some(id) = entry.key.as_str() else {
            continue;
        };
        match entry.value.get("Type").and_then(|t| t.value.as_str()) {
            Some(kind) => resources.push(Resource {
                id,
                key: entry.key.span,
                kind,
                body: &entry.value,
            }),
            // A transform may make this entry a resource (a `Fn::ForEach` loop, an included
            // snippet) or give it its Type.
            None if transformed.is_some() => {}
            None => out.push(
                Diagnostic::new(
                    Code::InvalidTemplate,
                    entry.key.span,
                    format!("resource '{id}' has no Type"),
                )
                .with_hint("add 'Type: AWS::Service::Resource'"),
            ),
        }
    }
    listed.extend(
        resources
            .iter()
            .map(|r| (r.id.to_owned(), r.kind.to_owned())),
    );
    for resource in resources.iter().filter(|r| r.kind.ends_with("::MODULE")) {
        module_rules(resource, out);
    }
    service_rules::check(root, &resources, out);
    let parameters: BTreeSet<&str> = root
        .get("Parameters")
        .map(|p| {
            p.value
                .entries()
                .iter()
                .filter_map(|e| e.key.as_str())
                .collect()
        })
        .unwrap_or_default();
    let kinds = defined;
    let scope = Scope {
        parameters: &parameters,
        kinds: &kinds,
    };
    if let Some(transformed) = &transformed {
        out.push(transformed.note(&resources));
        for resource in &resources {
            names(resource, out);
            security(resource, &resources, Some(transformed), out);
        }
        return;
    }
    // References and the dependency graph.
    let mut edges: BTreeMap<&str, Vec<(&str, Span)>> = BTreeMap::new();
    for resource in &resources {
        let mut targets = Vec::new();
        for key in ["Properties", "DependsOn", "Condition", "Metadata"] {
            if let Some(entry) = resource.body.get(key) {
                if key == "DependsOn" {
                    depends_on(&entry.value, &scope, out, &mut targets);
                } else if key != "Condition" {
                    references(&entry.value, &scope, out, &mut targets);
                }
            }
        }
        edges.insert(resource.id, targets);
    }
    if let Some(outputs) = root.get("Outputs") {
        let mut ignored = Vec::new();
        references(&outputs.value, &scope, out, &mut ignored);
    }
    cycles(&resources, &edges, out);
    for resource in &resources {
        names(resource, out);
        security(resource, &resources, None, out);
    }
}

/// What CloudFormation refuses in a module (a resource of a type ending in `::MODULE`), as
/// cfn-lint's E5001 does: the metadata key it reserves for the resources a module makes, tags,
/// and creation and update policies.
fn module_rules(resource: &Resource<'_>, out: &mut Vec<Diagnostic>) {
    let id = resource.id;
    let reserved = resource
        .body
        .get("Metadata")
        .and_then(|m| m.value.get("AWS::CloudFormation::Module"));
    let tags = resource
        .body
        .get("Properties")
        .and_then(|p| p.value.get("Tags"));
    let found = [
        (
            reserved,
            "the Metadata key AWS::CloudFormation::Module is reserved",
        ),
        (tags, "Tags are not permitted on a module"),
        (
            resource.body.get("CreationPolicy"),
            "a CreationPolicy is not permitted on a module",
        ),
        (
            resource.body.get("UpdatePolicy"),
            "an UpdatePolicy is not permitted on a module",
        ),
    ];
    for (entry, what) in found {
        if let Some(entry) = entry {
            out.push(
                Diagnostic::new(
                    Code::InvalidTemplate,
                    entry.key.span,
                    format!("module '{id}': {what}"),
                )
                .with_hint("remove it from the module: CloudFormation refuses it there"),
            );
        }
    }
}

/// The transforms (macros) a template uses, and what they leave the light checks unable to
/// judge. CloudFormation runs them before it checks the template:
///
/// - `AWS::Serverless-2016-10-31` (SAM) adds resources: a function `Fn` gets the role
///   `FnRole`, its `DeploymentPreference` becomes a CodeDeploy deployment group that holds the
///   alarms (so an alarm on the function is no cycle);
/// - `AWS::LanguageExtensions` expands `Fn::ForEach::…` loops into resources, outputs and
///   properties;
/// - `AWS::Include` and any other macro (`Fn::Transform`, or named in `Transform`) put text
///   the template does not show.
///
/// So references, GetAtt attributes, dependency cycles and resource types are not checked.
/// What a resource says stays checked (names, wildcard actions, `*` resources, open ingress),
/// but what it lacks (a bucket's encryption, public access block, TLS-only policy) only where no
/// transform can add it: not in a resource that holds a `Fn::Transform` or `Fn::ForEach::…`,
/// nowhere under a macro other than SAM and LanguageExtensions, and no TLS-only policy when
/// loops or includes in `Resources` may make the policy.
struct Transformed<'t> {
    /// The transforms by name, in file order (a `Fn::Transform` without a literal name as
    /// `Fn::Transform`).
    names: Vec<&'t str>,
    /// Where the first one is named.
    at: Span,
    /// A macro other than SAM and LanguageExtensions: its output may add to any resource.
    opaque: bool,
    /// `Resources` holds a loop or an include, which may make any resource.
    generates: bool,
}

/// Transforms known to add nothing to a resource the template writes (besides what loops and
/// includes inside it make).
const KNOWN_TRANSFORMS: &[&str] = &["AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"];

impl<'t> Transformed<'t> {
    fn find(root: &'t Node, resources: &'t Node) -> Option<Transformed<'t>> {
        // (where, name) of every transform named.
        let mut named: Vec<(Span, &str)> = Vec::new();
        if let Some(section) = root.get("Transform") {
            let at = section.key.span;
            named.push((at, ""));
            named.extend(transform_names(&section.value).into_iter().map(|n| (at, n)));
        }
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for entry in node.entries() {
                if entry.key.as_str() == Some("Fn::Transform") {
                    let at = entry.key.span;
                    let names = transform_names(&entry.value);
                    if names.is_empty() {
                        named.push((at, "Fn::Transform"));
                    }
                    named.extend(names.into_iter().map(|n| (at, n)));
                }
            }
            match &node.kind {
                NodeKind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
                NodeKind::Seq(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
        named.sort_by_key(|(at, _)| at.start);
        let at = named.first()?.0;
        let mut seen = BTreeSet::new();
        let names: Vec<&str> = named
            .into_iter()
            .map(|(_, n)| n)
            .filter(|n| !n.is_empty() && seen.insert(*n))
            .collect();
        let opaque = names.is_empty() || names.iter().any(|n| !KNOWN_TRANSFORMS.contains(n));
        let generates = resources
            .entries()
            .iter()
            .any(|e| e.key.as_str().is_some_and(is_generator));
        Some(Transformed {
            names,
            at,
            opaque,
            generates,
        })
    }

    /// Whether a transform may add properties to `resource`.
    fn may_add_to(&self, resource: &Resource<'_>) -> bool {
        self.opaque || holds_generator(resource.body)
    }

    /// The note that says which checks were skipped.
    fn note(&self, resources: &[Resource<'_>]) -> Diagnostic {
        let buckets = resources.iter().filter(|r| r.kind == "AWS::S3::Bucket");
        let open: Vec<&str> = buckets
            .clone()
            .filter(|r| self.may_add_to(r))
            .map(|r| r.id)
            .collect();
        let without_policy: Vec<&str> = buckets
            .filter(|r| self.generates && !self.may_add_to(r))
            .map(|r| r.id)
            .collect();
        let (what, runs) = match self.names.as_slice() {
            [] => ("a transform".to_owned(), "runs"),
            [one] => (format!("the transform {one}"), "runs"),
            many => (format!("the transforms {}", many.join(", ")), "run"),
        };
        let mut message = format!(
            "the template uses {what}, which CloudFormation {runs} before it checks the template: references, GetAtt attributes, dependency cycles and resource types are not checked here"
        );
        if !open.is_empty() {
            message.push_str(&format!(
                "; nor the encryption, public access block and TLS-only policy of bucket {}, which the transform may add",
                open.join(", ")
            ));
        }
        if !without_policy.is_empty() {
            message.push_str(&format!(
                "; nor the TLS-only policy of bucket {}, which a loop or include in Resources may make",
                without_policy.join(", ")
            ));
        }
        Diagnostic::new(Code::TransformNotExpanded, self.at, message).with_hint(
            "validate-prov-template's deep check reads AWS::Serverless-2016-10-31 and AWS::LanguageExtensions and checks the result; for other macros check the processed template (the change set's, or cfn-lint on it)",
        )
    }
}

/// The names a `Transform` section or a `Fn::Transform` gives: a name, a `{Name: …}` mapping, or
/// a list of either.
fn transform_names(node: &Node) -> Vec<&str> {
    fn one(node: &Node) -> Option<&str> {
        node.as_str()
            .or_else(|| node.get("Name").and_then(|e| e.value.as_str()))
    }
    match &node.kind {
        NodeKind::Seq(items) => items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

/// A key a transform replaces with what it makes: a `Fn::ForEach::…` loop or a `Fn::Transform`.
fn is_generator(key: &str) -> bool {
    key.starts_with("Fn::ForEach::") || key == "Fn::Transform"
}

/// Whether `node` holds a loop or an include anywhere below it.
fn holds_generator(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                if entries
                    .iter()
                    .any(|e| e.key.as_str().is_some_and(is_generator))
                {
                    return true;
                }
                stack.extend(entries.iter().map(|e| &e.value));
            }
            NodeKind::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    false
}

struct Scope<'a, 't> {
    parameters: &'a BTreeSet<&'t str>,
    kinds: &'a BTreeMap<&'t str, &'t str>,
}

impl<'t> Scope<'_, 't> {
    fn known(&self, name: &str) -> bool {
        self.kinds.contains_key(name)
            || self.parameters.contains(name)
            || PSEUDO_PARAMETERS.contains(&name)
            || self.module_of(name).is_some()
    }

    /// The resource a reference depends on: the resource of that logical id, else the module
    /// that makes it.
    fn target(&self, name: &str) -> Option<&'t str> {
        match self.kinds.get_key_value(name) {
            Some((&id, _)) => Some(id),
            None => self.module_of(name),
        }
    }

    fn module_of(&self, name: &str) -> Option<&'t str> {
        module_making(self.kinds.iter().map(|(&id, &kind)| (id, kind)), name)
    }
}

/// The module among `resources` (logical id, type) that makes the resource `name`, if one
/// does. A CloudFormation module (a resource of a type ending in `::MODULE`) `M` becomes the
/// resources `M{Id}` of each resource `Id` it holds, and the template refers to them by those
/// names; cfn-lint accepts any name that starts with a module's id, as here. What a module makes
/// is not in the template, so references to it, and its attributes, are not checked.
pub fn module_making<'t>(
    resources: impl IntoIterator<Item = (&'t str, &'t str)>,
    name: &str,
) -> Option<&'t str> {
    resources
        .into_iter()
        .find(|(id, kind)| {
            kind.ends_with("::MODULE") && name.len() > id.len() && name.starts_with(id)
        })
        .map(|(id, _)| id)
}

fn unknown(name: &str, span: Span, how: &str) -> Diagnostic {
    Diagnostic::new(Code::UnknownReference, span, format!("{how} names '{name}', which is not a resource, parameter or pseudo parameter of this template"))
        .with_hint("fix the logical id, or regenerate the template with create-prov-template")
}

/// Walks a value for intrinsic references; records resource targets with their spans.
fn references<'t>(
    node: &'t Node,
    scope: &Scope<'_, 't>,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<(&'t str, Span)>,
) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) if entries.len() == 1 => {
                let entry = &entries[0];
                match entry.key.as_str() {
                    Some("Ref") => {
                        if let Some(name) = entry.value.as_str() {
                            if !scope.known(name) {
                                out.push(unknown(name, entry.value.span, "Ref"));
                            } else if let Some(id) = scope.target(name) {
                                targets.push((id, entry.value.span));
                            }
                        }
                    }
                    Some("Fn::GetAtt") => get_att(&entry.value, scope, out, targets),
                    Some("Fn::Sub") => {
                        let (text, variables) = match &entry.value.kind {
                            NodeKind::Seq(items) => (items.first(), items.get(1)),
                            _ => (Some(&entry.value), None),
                        };
                        let local: BTreeSet<&str> = variables
                            .map(|v| v.entries().iter().filter_map(|e| e.key.as_str()).collect())
                            .unwrap_or_default();
                        if let Some(text) = text.and_then(|t| t.as_str().map(|s| (s, t.span))) {
                            sub_references(text.0, text.1, &local, scope, out, targets);
                        }
                        if let Some(v) = variables {
                            stack.push(v);
                        }
                    }
                    _ => stack.push(&entry.value),
                }
            }
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            NodeKind::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

fn get_att<'t>(
    argument: &'t Node,
    scope: &Scope<'_, 't>,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<(&'t str, Span)>,
) {
    let NodeKind::Seq(parts) = &argument.kind else {
        return;
    };
    let (Some(resource), Some(attribute)) = (parts.first().and_then(Node::as_str), parts.get(1))
    else {
        return;
    };
    let Some((&id, &kind)) = scope.kinds.get_key_value(resource) else {
        match scope.module_of(resource) {
            Some(module) => targets.push((module, parts[0].span)),
            None => out.push(unknown(resource, parts[0].span, "GetAtt")),
        }
        return;
    };
    targets.push((id, parts[0].span));
    let Some(attribute_name) = attribute.as_str() else {
        return;
    };
    let Some(known) = permission_table().and_then(|t| t.attributes.get(kind)) else {
        return;
    };
    if !known.iter().any(|a| a == attribute_name) {
        let best = crate::suggest::did_you_mean(attribute_name, known.iter().map(String::as_str));
        out.push(
            Diagnostic::new(
                Code::UnknownAttribute,
                attribute.span,
                format!("{kind} has no attribute '{attribute_name}'"),
            )
            .with_hint(match best {
                Some(best) => format!("did you mean '{best}'?"),
                None => format!("{kind} attributes: {}", known.join(", ")),
            }),
        );
    }
}

/// `${Name}` and `${Name.Attribute}` inside a `Fn::Sub` string (`${!Literal}` is text). White
/// space around the name is trimmed, as CloudFormation does (`${ AWS::Region }`).
fn sub_references<'t>(
    text: &'t str,
    span: Span,
    local: &BTreeSet<&str>,
    scope: &Scope<'_, 't>,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<(&'t str, Span)>,
) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = after[..end].trim();
        rest = &after[end + 1..];
        if name.starts_with('!') || local.contains(name) {
            continue;
        }
        let (base, attribute) = name.split_once('.').unwrap_or((name, ""));
        if scope.known(name) || (scope.known(base) && !attribute.is_empty()) || scope.known(base) {
            if let Some(id) = scope.target(base) {
                targets.push((id, span));
            }
        } else {
            out.push(unknown(name, span, "Sub"));
        }
    }
}

fn depends_on<'t>(
    node: &'t Node,
    scope: &Scope<'_, 't>,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<(&'t str, Span)>,
) {
    let items: Vec<&Node> = match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    for item in items {
        let Some(name) = item.as_str() else { continue };
        match scope.target(name) {
            Some(id) => targets.push((id, item.span)),
            None => out.push(unknown(name, item.span, "DependsOn")),
        }
    }
}

/// Reports each cycle once, at the reference that closes it.
fn cycles(
    resources: &[Resource<'_>],
    edges: &BTreeMap<&str, Vec<(&str, Span)>>,
    out: &mut Vec<Diagnostic>,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Grey,
        Black,
    }
    let mut color: BTreeMap<&str, Color> = resources.iter().map(|r| (r.id, Color::White)).collect();
    for start in resources {
        if color.get(start.id) != Some(&Color::White) {
            continue;
        }
        // Iterative DFS: (node, next edge index); `path` mirrors the grey nodes.
        let mut stack: Vec<(&str, usize)> = vec![(start.id, 0)];
        color.insert(start.id, Color::Grey);
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&(target, span)) = targets.get(*next) {
                *next += 1;
                match color.get(target) {
                    Some(Color::White) => {
                        color.insert(target, Color::Grey);
                        stack.push((target, 0));
                    }
                    Some(Color::Grey) => {
                        let from = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        let mut path: Vec<&str> = stack[from..].iter().map(|(n, _)| *n).collect();
                        path.push(target);
                        out.push(
                            Diagnostic::new(Code::DependencyCycle, span, format!("resources depend on each other in a circle: {}", path.join(" → ")))
                                .with_hint("remove one of these references (or DependsOn); CloudFormation cannot order a cycle"),
                        );
                    }
                    _ => {}
                }
            } else {
                color.insert(node, Color::Black);
                stack.pop();
            }
        }
    }
}

fn property<'t>(resource: &Resource<'t>, name: &str) -> Option<&'t Node> {
    resource
        .body
        .get("Properties")
        .and_then(|p| p.value.get(name))
        .map(|e| &e.value)
}

fn names(resource: &Resource<'_>, out: &mut Vec<Diagnostic>) {
    for &(kind, name, rule) in NAME_PROPERTIES {
        if resource.kind != kind {
            continue;
        }
        let Some(node) = property(resource, name) else {
            continue;
        };
        let Some(value) = node.as_str() else { continue };
        match rule.check(value) {
            Some(Problem::TooLong { length, limit }) => out.push(
                Diagnostic::new(
                    Code::NameTooLong,
                    node.span,
                    format!(
                        "{name} '{value}' is {length} characters; {} names allow at most {limit}",
                        rule.service()
                    ),
                )
                .with_hint(format!("shorten it by at least {}", length - limit)),
            ),
            Some(problem) => out.push(
                Diagnostic::new(
                    Code::InvalidName,
                    node.span,
                    format!("{name} '{value}' is not a valid {} name", rule.service()),
                )
                .with_hint(match problem {
                    Problem::Invalid(why) => why,
                    _ => format!("allowed: {}", rule.charset()),
                }),
            ),
            None => {}
        }
    }
}

fn is_true(node: Option<&Node>) -> bool {
    node.is_some_and(|n| matches!(n.kind, NodeKind::Bool(true)) || n.as_str() == Some("true"))
}

/// The security rules on `resource`. They are this project's opinions, stricter than
/// CloudFormation, which deploys the template without them: each message says so, so that an
/// edited template refused here is never taken for one CloudFormation refuses (the code names
/// the rule).
fn security(
    resource: &Resource<'_>,
    all: &[Resource<'_>],
    transformed: Option<&Transformed<'_>>,
    out: &mut Vec<Diagnostic>,
) {
    let start = out.len();
    security_rules(resource, all, transformed, out);
    for d in &mut out[start..] {
        d.message
            .push_str(" (a security rule of ml-provisioner; CloudFormation accepts it)");
    }
}

/// Under a transform, a bucket's rules on what it lacks run only where no transform can add it
/// (see [`Transformed`]).
fn security_rules(
    resource: &Resource<'_>,
    all: &[Resource<'_>],
    transformed: Option<&Transformed<'_>>,
    out: &mut Vec<Diagnostic>,
) {
    match resource.kind {
        "AWS::S3::Bucket" => {
            // What the bucket says, and whether a policy may come from a transform.
            let (complete, policies_complete) = match transformed {
                Some(t) => (
                    !t.may_add_to(resource),
                    !t.may_add_to(resource) && !t.generates,
                ),
                None => (true, true),
            };
            if complete && property(resource, "BucketEncryption").is_none() {
                out.push(
                    Diagnostic::new(
                        Code::BucketNotEncrypted,
                        resource.key,
                        format!("bucket '{}' has no default encryption", resource.id),
                    )
                    .with_hint("add BucketEncryption with SSE-S3 (AES256) or SSE-KMS"),
                );
            }
            let block = property(resource, "PublicAccessBlockConfiguration");
            let all_blocked = [
                "BlockPublicAcls",
                "BlockPublicPolicy",
                "IgnorePublicAcls",
                "RestrictPublicBuckets",
            ]
            .iter()
            .all(|flag| is_true(block.and_then(|b| b.get(flag)).map(|e| &e.value)));
            if complete && !all_blocked {
                out.push(
                    Diagnostic::new(
                        Code::BucketPublicAccess,
                        block.map_or(resource.key, |b| b.span),
                        format!("bucket '{}' does not block all public access", resource.id),
                    )
                    .with_hint("set PublicAccessBlockConfiguration's four flags to true"),
                );
            }
            let tls = all
                .iter()
                .filter(|p| p.kind == "AWS::S3::BucketPolicy")
                .any(|policy| {
                    let targets_this = property(policy, "Bucket")
                        .and_then(|b| b.get("Ref"))
                        .and_then(|e| e.value.as_str())
                        == Some(resource.id);
                    targets_this
                        && statements(property(policy, "PolicyDocument"))
                            .iter()
                            .any(|s| {
                                s.get("Effect").and_then(|e| e.value.as_str()) == Some("Deny")
                                    && s.get("Condition")
                                        .and_then(|c| c.value.get("Bool"))
                                        .and_then(|b| b.value.get("aws:SecureTransport"))
                                        .is_some_and(|v| {
                                            matches!(v.value.kind, NodeKind::Bool(false))
                                                || v.value.as_str() == Some("false")
                                        })
                            })
                });
            if policies_complete && !tls {
                out.push(Diagnostic::new(Code::BucketWithoutTls, resource.key, format!("no bucket policy denies non-TLS requests to '{}'", resource.id))
                    .with_hint("add an AWS::S3::BucketPolicy with a Deny statement on aws:SecureTransport false"));
            }
        }
        "AWS::IAM::Role" | "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            let mut documents = Vec::new();
            if let Some(doc) = property(resource, "PolicyDocument") {
                documents.push(doc);
            }
            if let Some(NodeKind::Seq(policies)) = property(resource, "Policies").map(|p| &p.kind) {
                documents.extend(
                    policies
                        .iter()
                        .filter_map(|p| p.get("PolicyDocument").map(|e| &e.value)),
                );
            }
            for statement in documents.into_iter().flat_map(|d| statements(Some(d))) {
                if statement.get("Effect").and_then(|e| e.value.as_str()) != Some("Allow") {
                    continue;
                }
                for action in values(statement.get("Action").map(|e| &e.value)) {
                    if action.as_str().is_some_and(|a| a.contains('*')) {
                        out.push(
                            Diagnostic::new(
                                Code::IamWildcardAction,
                                action.span,
                                format!(
                                    "'{}' allows a wildcard action in {}",
                                    action.as_str().unwrap_or_default(),
                                    resource.id
                                ),
                            )
                            .with_hint("list the exact actions the role needs"),
                        );
                    }
                }
                let sid = statement
                    .get("Sid")
                    .and_then(|e| e.value.as_str())
                    .unwrap_or_default();
                for r in values(statement.get("Resource").map(|e| &e.value)) {
                    if r.as_str() == Some("*") && !sid.ends_with("CannotBeScoped") {
                        out.push(Diagnostic::new(Code::IamStarResource, r.span, format!("a statement of {} allows its actions on every resource", resource.id))
                            .with_hint("scope the Resource to this product's ARNs, or name the statement '…CannotBeScoped' if AWS allows nothing narrower"));
                    }
                }
            }
        }
        "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress" => {
            let rules: Vec<&Node> = if resource.kind == "AWS::EC2::SecurityGroupIngress" {
                resource
                    .body
                    .get("Properties")
                    .map(|p| vec![&p.value])
                    .unwrap_or_default()
            } else {
                values(property(resource, "SecurityGroupIngress"))
            };
            for rule in rules {
                for key in ["CidrIp", "CidrIpv6"] {
                    if let Some(entry) = rule.get(key)
                        && matches!(entry.value.as_str(), Some("0.0.0.0/0" | "::/0"))
                    {
                        out.push(
                            Diagnostic::new(
                                Code::SgOpenIngress,
                                entry.value.span,
                                format!("{} accepts traffic from anywhere", resource.id),
                            )
                            .with_hint("allow only the VPC's CIDR or a source security group"),
                        );
                    }
                }
            }
        }
        _ => {}
    }
}

fn statements(document: Option<&Node>) -> Vec<&Node> {
    values(document.and_then(|d| d.get("Statement")).map(|e| &e.value))
}

/// A value that may be one item or a list of items.
fn values(node: Option<&Node>) -> Vec<&Node> {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items.iter().collect(),
        Some(_) => node.into_iter().collect(),
        None => Vec::new(),
    }
}
