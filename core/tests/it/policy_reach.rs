//! The minimality proof over wildcards (issue 15): no resource pattern of an operator policy can
//! match a name of another product. "Another product" is any config the schema allows whose base
//! differs from this one's; its names of a kind are its base, an optional test suffix
//! (`--` and four letters or digits) and the kind's suffix, exactly as docs/names.md builds them.
//! Both sides are regular languages, so the proof is exact: a breadth-first search over the
//! product of the pattern's automaton (IAM's `*` and `?`) and the automaton of every other
//! product's names in the pattern's namespace finds a witness name if one exists.
//!
//! Nothing is left out: no base contains `--` (the schema's patterns), so no base reads as
//! another base's test deploy, and every base but this one's is another product's
//! (`policy_set::no_base_reads_as_a_test_deploy` checks the case the earlier `-t????` suffix
//! allowed).

use std::collections::{BTreeSet, HashMap, VecDeque};

use ml_provisioner_core::Config;
use ml_provisioner_core::names::NameKind;
use ml_provisioner_core::regions;

use crate::examples::example_configs;
use crate::policy::{list, operator_policy};

/// A character class: bit `b` set when ASCII byte `b` is in it.
type Class = u128;

fn class(pred: impl Fn(u8) -> bool) -> Class {
    (0u8..128).filter(|b| pred(*b)).fold(0, |m, b| m | (1 << b))
}

fn lower() -> Class {
    class(|b| b.is_ascii_lowercase())
}

fn alnum() -> Class {
    class(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn printable() -> Class {
    class(|b| (0x21..0x7f).contains(&b))
}

/// A regular expression over bytes; `Mark` is where a base ends.
#[derive(Clone)]
enum Re {
    Lit(String),
    Class(Class),
    Seq(Vec<Re>),
    Alt(Vec<Re>),
    Star(Box<Re>),
    Opt(Box<Re>),
    Mark,
}

fn lit(s: &str) -> Re {
    Re::Lit(s.to_owned())
}

fn alt(items: &[&str]) -> Re {
    Re::Alt(items.iter().map(|s| lit(s)).collect())
}

fn star(r: Re) -> Re {
    Re::Star(Box::new(r))
}

fn opt(r: Re) -> Re {
    Re::Opt(Box::new(r))
}

/// `[a-z][a-z0-9]*(-[a-z0-9]+)*`: use_case and workload (the schema's patterns).
fn words() -> Re {
    Re::Seq(vec![
        Re::Class(lower()),
        star(Re::Class(alnum())),
        star(Re::Seq(vec![
            lit("-"),
            Re::Class(alnum()),
            star(Re::Class(alnum())),
        ])),
    ])
}

#[derive(Clone, Copy)]
enum Base {
    Full,
    Short,
    Compact,
}

/// Every base of that kind any config can have (lengths left unbounded: a superset).
fn any_base(kind: Base) -> Re {
    let mut parts = vec![
        // company_prefix: ^[a-z](-?[a-z0-9])*$
        Re::Class(lower()),
        star(Re::Seq(vec![opt(lit("-")), Re::Class(alnum())])),
        lit("-"),
        alt(&["dev", "test", "staging", "prod"]),
        lit("-"),
    ];
    parts.extend(std::iter::repeat_n(Re::Class(alnum()), 4));
    let regions: Vec<String> = regions::all()
        .iter()
        .map(|(r, _)| match kind {
            Base::Compact => regions::short_code(r),
            _ => (*r).to_owned(),
        })
        .collect();
    if !matches!(kind, Base::Short) {
        parts.push(lit("-"));
        parts.push(Re::Alt(regions.iter().map(|r| lit(r)).collect()));
    }
    parts.extend([lit("-"), words(), opt(Re::Seq(vec![lit("-"), words()]))]);
    Re::Seq(parts)
}

/// Any product's names in a namespace: base, the end of the base, an optional test suffix, the
/// rest.
fn product_names(kind: Base, rest: Re) -> Re {
    let mut test = vec![lit("--")];
    test.extend(std::iter::repeat_n(Re::Class(alnum()), 4));
    Re::Seq(vec![any_base(kind), Re::Mark, opt(Re::Seq(test)), rest])
}

/// A nondeterministic automaton: per state, byte edges and ε edges (`true`: the base ends here).
#[derive(Default)]
struct Nfa {
    edges: Vec<Vec<(Class, usize)>>,
    eps: Vec<Vec<(usize, bool)>>,
}

impl Nfa {
    fn state(&mut self) -> usize {
        self.edges.push(Vec::new());
        self.eps.push(Vec::new());
        self.edges.len() - 1
    }

    /// Thompson's construction: the start and end state of `re`.
    fn build(&mut self, re: &Re) -> (usize, usize) {
        let start = self.state();
        let end = match re {
            Re::Lit(s) => s.bytes().fold(start, |at, b| {
                let next = self.state();
                self.edges[at].push((1 << b, next));
                next
            }),
            Re::Class(c) => {
                let next = self.state();
                self.edges[start].push((*c, next));
                next
            }
            Re::Mark => {
                let next = self.state();
                self.eps[start].push((next, true));
                next
            }
            Re::Seq(items) => items.iter().fold(start, |at, item| {
                let (s, e) = self.build(item);
                self.eps[at].push((s, false));
                e
            }),
            Re::Alt(items) => {
                let end = self.state();
                for item in items {
                    let (s, e) = self.build(item);
                    self.eps[start].push((s, false));
                    self.eps[e].push((end, false));
                }
                end
            }
            Re::Star(inner) | Re::Opt(inner) => {
                let (s, e) = self.build(inner);
                let end = self.state();
                self.eps[start].push((s, false));
                self.eps[start].push((end, false));
                self.eps[e].push((end, false));
                if matches!(re, Re::Star(_)) {
                    self.eps[e].push((s, false));
                }
                end
            }
        };
        (start, end)
    }
}

/// IAM's pattern as an automaton: `*` any run, `?` one character, the rest literally.
fn pattern_nfa(pattern: &str) -> (Nfa, usize) {
    let mut nfa = Nfa::default();
    let first = nfa.state();
    let mut at = first;
    for b in pattern.bytes() {
        match b {
            b'*' => {
                nfa.edges[at].push((printable(), at));
            }
            b'?' => {
                let next = nfa.state();
                nfa.edges[at].push((printable(), next));
                at = next;
            }
            _ => {
                let next = nfa.state();
                nfa.edges[at].push((1 << b, next));
                at = next;
            }
        }
    }
    (nfa, at)
}

/// Where the base read so far stands against this product's base `own`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Track {
    /// Equal to the first k characters of `own`.
    Prefix(usize),
    /// Neither: another base.
    Other,
    /// The base has ended and is another product's.
    Done,
}

fn step(track: Track, own: &[u8], b: u8) -> Track {
    match track {
        Track::Prefix(k) if k < own.len() && own[k] == b => Track::Prefix(k + 1),
        Track::Done => Track::Done,
        _ => Track::Other,
    }
}

/// Whether a base that ends in state `track` is another product's: any base but this one.
fn other_product(track: Track, own: &[u8]) -> bool {
    match track {
        Track::Prefix(k) => k != own.len(),
        Track::Other => true,
        Track::Done => false,
    }
}

/// A name of another product that `pattern` matches, if any: `names` is the language of every
/// product's names in the namespace, `own` this product's base.
fn witness(pattern: &str, names: &Re, own: &str) -> Option<String> {
    let own = own.as_bytes();
    let mut g = Nfa::default();
    let (g_start, g_end) = g.build(names);
    let (p, p_end) = pattern_nfa(pattern);
    type Node = (usize, usize, Track);
    let mut parent: HashMap<Node, Option<(Node, u8)>> = HashMap::new();
    let mut queue = VecDeque::new();
    let closure = |nodes: Vec<Node>,
                   parent: &mut HashMap<Node, Option<(Node, u8)>>,
                   from: Option<(Node, u8)>| {
        let mut out = Vec::new();
        let mut stack = nodes;
        while let Some((gs, ps, t)) = stack.pop() {
            if parent.contains_key(&(gs, ps, t)) {
                continue;
            }
            parent.insert((gs, ps, t), from);
            out.push((gs, ps, t));
            for &(next, mark) in &g.eps[gs] {
                if mark {
                    if other_product(t, own) {
                        stack.push((next, ps, Track::Done));
                    }
                } else {
                    stack.push((next, ps, t));
                }
            }
            for &(next, _) in &p.eps[ps] {
                stack.push((gs, next, t));
            }
        }
        out
    };
    for node in closure(vec![(g_start, 0, Track::Prefix(0))], &mut parent, None) {
        queue.push_back(node);
    }
    while let Some(node @ (gs, ps, t)) = queue.pop_front() {
        if gs == g_end && ps == p_end && t == Track::Done {
            let mut bytes = Vec::new();
            let mut at = node;
            while let Some(Some((prev, b))) = parent.get(&at) {
                bytes.push(*b);
                at = *prev;
            }
            bytes.reverse();
            return Some(String::from_utf8_lossy(&bytes).into_owned());
        }
        for &(gc, gn) in &g.edges[gs] {
            for &(pc, pn) in &p.edges[ps] {
                let both = gc & pc;
                if both == 0 {
                    continue;
                }
                for b in (0u8..128).filter(|b| both & (1 << b) != 0) {
                    let next = (gn, pn, step(t, own, b));
                    for n in closure(vec![next], &mut parent, Some((node, b))) {
                        queue.push_back(n);
                    }
                }
            }
        }
    }
    None
}

/// The namespaces of a config's product names: the fixed ARN start, the base kind, the language
/// of every product's names after it.
fn namespaces(config: &Config) -> Vec<(String, Base, Re)> {
    let p = regions::partition(&config.environment.region).unwrap();
    let r = &config.environment.region;
    let a = &config.client.account_id;
    let any = || star(Re::Class(printable()));
    // The parameters a stack publishes: `/ml/{ml_name}/{key}` for the names table's keys.
    let parameter_keys: Vec<Re> = NameKind::ALL
        .iter()
        .filter(|k| matches!(k, NameKind::Parameter(_)))
        .map(|k| lit(k.spec().suffix))
        .collect();
    let hex8 = Re::Seq(vec![
        Re::Class(class(
            |b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()
        ));
        8
    ]);
    vec![
        (
            format!("arn:{p}:cloudformation:{r}:{a}:stack/"),
            Base::Full,
            Re::Seq(vec![lit("-ml-stack/"), any()]),
        ),
        (
            format!("arn:{p}:s3:::"),
            Base::Short,
            Re::Seq(vec![lit("-"), hex8, opt(Re::Seq(vec![lit("/"), any()]))]),
        ),
        (
            format!("arn:{p}:sagemaker:{r}:{a}:model-package-group/"),
            Base::Short,
            lit("-models"),
        ),
        (
            format!("arn:{p}:codecommit:{r}:{a}:"),
            Base::Full,
            alt(&["-model-build", "-model-deploy"]),
        ),
        (
            format!("arn:{p}:kms:{r}:{a}:alias/"),
            Base::Full,
            lit("-ml"),
        ),
        (
            format!("arn:{p}:iam::{a}:role/"),
            Base::Compact,
            alt(&["-cb", "-cp", "-sm", "-eb"]),
        ),
        (
            format!("arn:{p}:codebuild:{r}:{a}:project/"),
            Base::Full,
            alt(&["-build", "-deploy"]),
        ),
        (
            format!("arn:{p}:codepipeline:{r}:{a}:"),
            Base::Full,
            alt(&["-build-pipeline", "-deploy-pipeline"]),
        ),
        (
            format!("arn:{p}:events:{r}:{a}:rule/"),
            Base::Short,
            alt(&["-approved", "-src-push", "-failed"]),
        ),
        (format!("arn:{p}:sns:{r}:{a}:"), Base::Full, lit("-alerts")),
        (
            format!("arn:{p}:cloudwatch::{a}:dashboard/"),
            Base::Full,
            lit("-dashboard"),
        ),
        (
            format!("arn:{p}:logs:{r}:{a}:log-group:/ml/"),
            Base::Full,
            Re::Seq(vec![
                lit("-ml/compliance"),
                opt(Re::Seq(vec![lit(":"), any()])),
            ]),
        ),
        (
            format!("arn:{p}:ssm:{r}:{a}:parameter/ml/"),
            Base::Full,
            Re::Seq(vec![lit("-ml"), opt(Re::Alt(parameter_keys))]),
        ),
    ]
}

/// Every resource pattern of the config's policy in a product namespace, with a witness name of
/// another product it matches (`None`: it matches none).
fn reach(config: &Config) -> Vec<(String, Option<String>)> {
    let names = config.names();
    let policy = operator_policy(config);
    let resources: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| list(&s["Resource"]))
        .collect();
    let mut out = Vec::new();
    for resource in resources {
        // The longest fixed start first (`…:parameter/ml/` before `…:s3:::`).
        let Some((start, kind, rest)) = namespaces(config)
            .into_iter()
            .filter(|(start, _, _)| resource.starts_with(start.as_str()))
            .max_by_key(|(start, _, _)| start.len())
        else {
            continue; // `*`, generated ids under a tag condition, VPC inputs: `policy` checks them
        };
        let own = match kind {
            Base::Full => names.full_base(),
            Base::Short => names.short_base(),
            Base::Compact => names.compact_base(),
        };
        let found = witness(&resource[start.len()..], &product_names(kind, rest), &own);
        out.push((resource, found));
    }
    out
}

/// Fails when a pattern of the config's policy matches another product's name.
pub fn check_reaches_no_other_product(what: &str, config: &Config) {
    let reached = reach(config);
    assert!(
        reached.len() >= 10,
        "{what}: only {} patterns",
        reached.len()
    );
    for (pattern, found) in reached {
        assert!(
            found.is_none(),
            "{what}: {pattern} matches {found:?}, another product's name"
        );
    }
}

#[test]
fn no_pattern_of_any_example_matches_another_products_name() {
    for (file, config) in example_configs() {
        check_reaches_no_other_product(&file, &config);
    }
}

/// The search finds what it must: the wildcards docs/decisions.md rejects reach another
/// product's names, and the search names one.
#[test]
fn the_search_finds_a_broader_pattern() {
    let (_, config) = example_configs()
        .into_iter()
        .find(|(f, _)| f == "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml")
        .unwrap();
    let names = config.names();
    let spaces = namespaces(&config);
    let space = |start: &str| {
        spaces
            .iter()
            .find(|(s, _, _)| s.contains(start))
            .cloned()
            .unwrap()
    };
    let full = names.full_base();
    let short = names.short_base();
    let (_, kind, rest) = space(":project/");
    let found = witness(
        &format!("{full}-*"),
        &product_names(kind, rest.clone()),
        &full,
    );
    assert!(found.is_some_and(|w| w.starts_with(&format!("{full}-"))));
    assert_eq!(
        witness(
            &format!("{full}-build"),
            &product_names(kind, rest.clone()),
            &full
        ),
        None
    );
    assert_eq!(
        witness(
            &format!("{full}--????-build"),
            &product_names(kind, rest.clone()),
            &full
        ),
        None,
        "the test-deploy pattern reaches no other product"
    );
    // The earlier test suffix (`-t` and four characters) reached the production names of the
    // product whose workload is `t` and four characters: the overlap the double hyphen removed.
    let found = witness(
        &format!("{full}-t????-build"),
        &product_names(kind, rest),
        &full,
    );
    assert!(
        found.as_deref().is_some_and(|w| {
            let workload = &w[full.len() + 1..w.len() - "-build".len()];
            workload.len() == 5 && workload.starts_with('t') && !w.contains("--")
        }),
        "{found:?}: a production name of the product with workload t????"
    );
    let (_, kind, rest) = space(":rule/");
    let found = witness(
        &format!("{short}-????????"),
        &product_names(kind, rest),
        &short,
    );
    assert!(
        found.as_deref().is_some_and(|w| w.ends_with("-failed")),
        "{found:?}: the failure rule of a product with a one-letter workload"
    );
}
