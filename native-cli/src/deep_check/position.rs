//! Where a finding of the validator is shown when the validator cannot say.
//!
//! The validator resolves `Fn::If` to each condition's value before it checks a property, and a
//! finding about a list item that came out of a branch gets the path `Properties.List.{}` (some
//! item) and the position of the nearest key it knows, the property that holds the `Fn::If`.
//! cfn-lint puts such a finding at the item (a mapping item at its first key) or at the key the
//! finding names. [`refine`] does the same: it walks the path through every branch, keeps the
//! nodes the message is about, and places the finding at the first, with a label at each other.
//!
//! The validator also expands `Fn::ForEach::…` loops (`AWS::LanguageExtensions`) and checks each
//! resource a loop makes, but places a finding about one at the `Resources` section, once per
//! resource. [`in_loop`] places it in the loop's body instead, where cfn-lint places it; the
//! findings for the loop's resources then fall together and are shown once.

use ml_provisioner_core::Span;
use ml_provisioner_core::yaml::{Node, NodeKind};

/// Where a finding about `path` (the validator's property path, such as
/// `Properties.BlockDeviceMappings.{}`) of the resource `resource` belongs: the primary span and
/// the spans of the other nodes it is as much about. `None` when the path names no unknown item
/// (the validator's position is exact) or the nodes cannot be told apart.
pub(super) fn refine(
    tree: &Node,
    resource: &str,
    path: &str,
    message: &str,
) -> Option<(Span, Vec<Span>)> {
    if !path.split('.').any(|s| s == "{}") {
        return None;
    }
    let resource = &tree.get("Resources")?.value.get(resource)?.value;
    let mut nodes = vec![resource];
    for segment in path.split('.') {
        let mut next = Vec::new();
        for node in nodes.into_iter().flat_map(with_branches) {
            match (&node.kind, segment) {
                (NodeKind::Seq(items), "{}") => next.extend(items),
                (NodeKind::Seq(items), index) => {
                    next.extend(index.parse::<usize>().ok().and_then(|i| items.get(i)))
                }
                (NodeKind::Map(_), key) => next.extend(node.get(key).map(|e| &e.value)),
                _ => {}
            }
        }
        nodes = next;
    }
    let nodes: Vec<&Node> = nodes.into_iter().flat_map(branches).collect();
    let mut spans = about(&nodes, message);
    if spans.is_empty() {
        return None;
    }
    let first = spans.remove(0);
    Some((first, spans))
}

/// Where a finding about `path` of `resource` belongs when `resource` is made by a
/// `Fn::ForEach::…` loop: the key `path` ends at in the loop's body (as far as the body has it),
/// or the body's own key. `None` when the template writes `resource` itself, or no loop's body
/// (or more than one) makes it.
pub(super) fn in_loop(tree: &Node, resource: &str, path: Option<&str>) -> Option<Span> {
    let resources = &tree.get("Resources")?.value;
    if resources.get(resource).is_some() {
        return None;
    }
    let mut bodies = Vec::new();
    loop_bodies(resources, resource, &mut bodies);
    let [(key, body)] = bodies.as_slice() else {
        return None;
    };
    let (mut at, mut node) = (*key, *body);
    for segment in path.into_iter().flat_map(|p| p.split('.')) {
        let step = match &node.kind {
            NodeKind::Map(_) => node.get(segment).map(|e| (e.key.span, &e.value)),
            NodeKind::Seq(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|item| (item.span, item)),
            _ => None,
        };
        let Some((key, value)) = step else { break };
        (at, node) = (key, value);
    }
    Some(at)
}

/// The (key, body) of each output of the loops in `section` (and the loops inside them) whose
/// logical-id template can make `resource`.
fn loop_bodies<'t>(section: &'t Node, resource: &str, out: &mut Vec<(Span, &'t Node)>) {
    for entry in section.entries() {
        let Some(key) = entry.key.as_str() else {
            continue;
        };
        if key.starts_with("Fn::ForEach::") {
            if let NodeKind::Seq(arguments) = &entry.value.kind
                && let [_, _, outputs] = arguments.as_slice()
            {
                loop_bodies(outputs, resource, out);
            }
        } else if makes(key, resource) {
            out.push((entry.key.span, &entry.value));
        }
    }
}

/// Whether a loop's logical-id template (`${Name}Queue`, `Queue&{Name}`) can make `id`: its
/// text outside the placeholders, in order, with something in each placeholder's place.
fn makes(template: &str, id: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest
        .find(['$', '&'])
        .filter(|&i| rest[i + 1..].starts_with('{'))
    {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        parts.push(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    if parts.is_empty() {
        return false;
    }
    parts.push(rest);
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let Some(mut middle) = id.strip_prefix(first).and_then(|m| m.strip_suffix(last)) else {
        return false;
    };
    for part in &parts[1..parts.len() - 1] {
        match middle.get(1..).and_then(|m| m.find(part)) {
            Some(i) => middle = &middle[1 + i + part.len()..],
            None => return false,
        }
    }
    !middle.is_empty()
}

/// The spans of the nodes among `nodes` that `message` is about, in file order.
fn about(nodes: &[&Node], message: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = if let Some(key) = quoted_before(message, " is a required property")
    {
        // A mapping that lacks the key: at the mapping.
        nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Map(_)) && n.get(key).is_none())
            .map(|n| n.span)
            .collect()
    } else if let Some(keys) = one_of(message) {
        // A mapping with none or several of the keys: at those it has, else at the mapping.
        nodes
            .iter()
            .filter_map(|n| {
                let NodeKind::Map(entries) = &n.kind else {
                    return None;
                };
                let given: Vec<Span> = entries
                    .iter()
                    .filter(|e| e.key.as_str().is_some_and(|k| keys.contains(&k)))
                    .map(|e| e.key.span)
                    .collect();
                match given.len() {
                    1 => None,
                    0 => Some(vec![n.span]),
                    _ => Some(given),
                }
            })
            .flatten()
            .collect()
    } else if let Some(key) = quoted_before(message, " was unexpected") {
        // A mapping with a key it may not have: at the key.
        nodes
            .iter()
            .filter_map(|n| n.get(key).map(|e| e.key.span))
            .collect()
    } else {
        match nodes {
            [one] => vec![one.span],
            _ => Vec::new(),
        }
    };
    spans.sort_by_key(|s| s.start);
    spans
}

/// The text in single quotes just before `suffix` in `message` (`'DeviceName' is a required
/// property` gives `DeviceName`).
fn quoted_before<'m>(message: &'m str, suffix: &str) -> Option<&'m str> {
    let before = &message[..message.find(suffix)?];
    let inner = before.strip_suffix('\'')?;
    Some(&inner[inner.rfind('\'')? + 1..])
}

/// The keys of "Exactly one of ['A', 'B'] …" / "Only one of ['A', 'B'] …".
fn one_of(message: &str) -> Option<Vec<&str>> {
    let rest = message
        .strip_prefix("Exactly one of [")
        .or_else(|| message.strip_prefix("Only one of ["))?;
    let list = &rest[..rest.find(']')?];
    Some(
        list.split(',')
            .map(|k| k.trim().trim_matches(['\'', '"']))
            .collect(),
    )
}

/// A value and, if it is an `Fn::If`, its branches (and theirs): every node a path step may
/// continue from, the `Fn::If` itself included (a path may name `Fn::If`).
fn with_branches(node: &Node) -> Vec<&Node> {
    let mut out = vec![node];
    if let Some([_, yes, no]) = if_arguments(node) {
        out.extend(with_branches(yes));
        out.extend(with_branches(no));
    }
    out
}

/// What a value is under its conditions: an `Fn::If`'s branches (each resolved the same way), no
/// value for `Ref: AWS::NoValue`, else the value itself.
fn branches(node: &Node) -> Vec<&Node> {
    if let Some([_, yes, no]) = if_arguments(node) {
        return branches(yes).into_iter().chain(branches(no)).collect();
    }
    let no_value = node.entries().len() == 1
        && node.get("Ref").and_then(|e| e.value.as_str()) == Some("AWS::NoValue");
    if no_value { Vec::new() } else { vec![node] }
}

/// The three arguments of a node that is an `Fn::If`.
fn if_arguments(node: &Node) -> Option<&[Node; 3]> {
    if node.entries().len() != 1 {
        return None;
    }
    match &node.get("Fn::If")?.value.kind {
        NodeKind::Seq(arguments) => arguments.as_slice().try_into().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ml_provisioner_core::LineIndex;
    use ml_provisioner_core::template_check::parse;

    const TEMPLATE: &str = "\
Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      BlockDeviceMappings:
        Fn::If:
          - IsProd
          - - DeviceName: /dev/sdb
              VirtualName: ephemeral0
          - - DeviceName: /dev/sdc
              VirtualName: ephemeral1
              Ebs: {}
            - VirtualName: ephemeral2
            - !If [IsBig, {DeviceName: /dev/sde, Bogus: 1}, !Ref AWS::NoValue]
      Tags:
        - !If [IsProd, {Key: a, Value: true}, {Key: b, Value: c}]
";

    /// A line and column, and where the finding is: first, then the others.
    type LineCol = (usize, usize);
    type Placed = (LineCol, Vec<LineCol>);

    /// `refine` for the resource `Box`, as (line, column) of the primary and of each label.
    fn at(path: &str, message: &str) -> Option<Placed> {
        let tree = parse(TEMPLATE).root?;
        let index = LineIndex::new(TEMPLATE);
        let line_col = |s: Span| index.line_col(TEMPLATE, s.start);
        refine(&tree, "Box", path, message)
            .map(|(first, rest)| (line_col(first), rest.into_iter().map(line_col).collect()))
    }

    #[test]
    fn a_finding_about_an_item_in_a_branch_is_at_the_item() {
        let path = "Properties.BlockDeviceMappings.{}";
        // The item that lacks the key, at its first key.
        assert_eq!(
            at(path, "'DeviceName' is a required property"),
            Some(((13, 15), vec![]))
        );
        // Several of the keys: at each (cfn-lint reports one finding per key).
        assert_eq!(
            at(
                path,
                "Exactly one of ['VirtualName', 'Ebs', 'NoDevice'] must be specified"
            ),
            Some(((11, 15), vec![(12, 15), (14, 27)]))
        );
        // A key that may not be there, in a nested branch.
        assert_eq!(
            at(
                path,
                "Additional properties are not allowed ('Bogus' was unexpected)"
            ),
            Some(((14, 50), vec![]))
        );
    }

    #[test]
    fn an_exact_or_ambiguous_position_is_left_alone() {
        // No unknown item: the validator's position is exact.
        assert_eq!(
            at("Properties.BlockDeviceMappings.Fn::If.1.0", "'x' is bad"),
            None
        );
        // Several items, and a message that names none of them.
        assert_eq!(at("Properties.BlockDeviceMappings.{}", "something"), None);
        // A path that goes nowhere.
        assert_eq!(
            at("Properties.Nothing.{}", "'A' is a required property"),
            None
        );
    }

    const LOOPS: &str = "\
Resources:
  Plain:
    Type: AWS::SQS::Queue
  Fn::ForEach::Queues:
    - Name
    - [Jobs, Results]
    - ${Name}Queue:
        Type: AWS::SQS::Queue
        Properties:
          RetentionDays: 4
      Fn::ForEach::Topics:
        - Kind
        - [Alerts]
        - Topic&{Kind}For${Name}:
            Type: AWS::SNS::Topic
";

    /// `in_loop` in [`LOOPS`], as (line, column).
    fn in_loops(resource: &str, path: Option<&str>) -> Option<LineCol> {
        let tree = parse(LOOPS).root?;
        let index = LineIndex::new(LOOPS);
        in_loop(&tree, resource, path).map(|s| index.line_col(LOOPS, s.start))
    }

    #[test]
    fn a_finding_about_a_resource_a_loop_makes_is_in_the_loop() {
        assert_eq!(
            in_loops("JobsQueue", Some("Properties.RetentionDays")),
            Some((10, 11))
        );
        assert_eq!(in_loops("ResultsQueue", Some("Properties")), Some((9, 9)));
        // As far as the body has the path, else at the body's key.
        assert_eq!(
            in_loops("JobsQueue", Some("Properties.Missing.Deeper")),
            Some((9, 9))
        );
        assert_eq!(in_loops("JobsQueue", None), Some((7, 7)));
        // A loop inside a loop.
        assert_eq!(in_loops("TopicAlertsForJobs", Some("Type")), Some((15, 13)));
        // A resource the template writes, or no loop makes.
        assert_eq!(in_loops("Plain", Some("Type")), None);
        assert_eq!(in_loops("JobsTopic", None), None);
        assert_eq!(in_loops("Queue", None), None);
    }

    #[test]
    fn loop_templates() {
        for (template, id, makes_it) in [
            ("${Name}Queue", "JobsQueue", true),
            ("${Name}Queue", "Queue", false),
            ("Topic&{Kind}For${Name}", "TopicAlertsForJobs", true),
            ("Topic&{Kind}For${Name}", "TopicForJobs", false),
            ("${A}${B}", "xy", true),
            ("Plain", "Plain", false),
        ] {
            assert_eq!(makes(template, id), makes_it, "{template} {id}");
        }
    }

    #[test]
    fn one_node_is_the_one() {
        // Two branches of one item, two values: a message about neither keeps the position...
        assert_eq!(at("Properties.Tags.{}.Value", "something"), None);
        // ...a path only one item of all branches has is unambiguous.
        assert_eq!(
            at(
                "Properties.BlockDeviceMappings.{}.Bogus",
                "1 is not of type 'string'"
            ),
            Some(((14, 57), vec![]))
        );
    }
}
