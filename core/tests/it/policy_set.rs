//! The operator policy as IAM stores it (issue 15): every document within 6,144 characters
//! (white space not counted), at most 10, as few as the statements allow; the documents together
//! grant exactly the one policy (the proofs in `policy` run over their union); the same for
//! configs drawn from the schema's valid space (names near their limits included) and for the
//! longest values a config may hold; and two products whose names share a prefix cannot reach
//! each other's resources.

use std::collections::{BTreeMap, BTreeSet};

use ml_provisioner_core::names::{NameKind, Names, TestSuffix};
use ml_provisioner_core::policy::{self, PolicyOptions};
use ml_provisioner_core::policy_set::{
    self, IAM_LIMITS, Limits, PolicyError, iam_chars, operator_policy_set,
};
use ml_provisioner_core::{Config, check_config};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::examples::example_configs;
use crate::policy::{Product, allows, check_minimal, check_sufficient, context, list};
use crate::repo_root;

use crate::props::config_draw;

/// Every (action, resource, condition) a policy grants: IAM evaluates each statement on its own,
/// so two policies with the same triples allow the same requests.
fn grants(statements: &[Value]) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for s in statements {
        let condition = s.get("Condition").map(Value::to_string).unwrap_or_default();
        for action in list(&s["Action"]) {
            for resource in list(&s["Resource"]) {
                out.insert((action.clone(), resource, condition.clone()));
            }
        }
    }
    out
}

/// What every written set must satisfy: each document within IAM's size as IAM counts it on the
/// written bytes, at most 10, as many as the sizes force (`exact`; else at most one more), unique Sids, no
/// white space inside a string, and the union granting exactly the one policy's grants.
fn check_set(what: &str, config: &Config, exact: bool) -> usize {
    let names = config.names();
    let set = operator_policy_set(config, &names, PolicyOptions::default())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let single = policy::operator_policy(config, &names, PolicyOptions::default()).unwrap();
    let texts = set.file_texts();
    assert!(
        (1..=IAM_LIMITS.documents).contains(&set.documents.len()),
        "{what}: {} documents",
        set.documents.len()
    );
    let mut sids = BTreeSet::new();
    for (document, text) in set.documents.iter().zip(&texts) {
        let chars = iam_chars(text);
        assert_eq!(
            chars, document.chars,
            "{what}: the size reported is the file's"
        );
        assert!(
            chars <= IAM_LIMITS.document_chars,
            "{what}: document {} has {chars} characters",
            document.number
        );
        assert_eq!(
            &serde_json::from_str::<Value>(text).unwrap(),
            &document.document
        );
        for statement in document.document["Statement"].as_array().unwrap() {
            let sid = statement["Sid"].as_str().unwrap();
            assert!(
                sid.chars().all(|c| c.is_ascii_alphanumeric()),
                "{what}: Sid {sid}"
            );
            assert!(sids.insert(sid.to_owned()), "{what}: Sid {sid} twice");
        }
        // IAM does not count white space; none may hide inside a string either.
        let compact = serde_json::to_string(&document.document).unwrap();
        assert_eq!(
            compact.chars().count(),
            chars,
            "{what}: white space in a string"
        );
    }
    // As few documents as the sizes allow: the statements need at least this many.
    let overhead = iam_chars(&json!({"Version": "2012-10-17", "Statement": []}).to_string());
    let statements = set.statements();
    let total: usize = statements
        .iter()
        .map(|s| iam_chars(&s.to_string()) + 1)
        .sum::<usize>()
        - 1;
    let room = IAM_LIMITS.document_chars - overhead;
    // First-fit decreasing reaches that bound on every example (checked exactly there); on
    // other configs it is within one document of it.
    let fewest = total.div_ceil(room);
    assert!(
        set.documents.len() == fewest || (!exact && set.documents.len() == fewest + 1),
        "{what}: {} documents where the statements need {fewest}",
        set.documents.len()
    );
    assert_eq!(
        grants(&statements),
        grants(single["Statement"].as_array().unwrap()),
        "{what}: the documents grant other than the one policy"
    );
    set.documents.len()
}

#[test]
fn every_example_fits_iam_and_the_set_is_the_policy() {
    let mut counts = BTreeMap::new();
    for (file, config) in example_configs() {
        let n = check_set(&file, &config, true);
        *counts.entry(config.tier().as_str()).or_insert(0) += n;
        // And for test-deploy: the same documents cover it (the sufficiency proof checks a test
        // deploy's names against the union); nothing else is written for it.
    }
    eprintln!("documents per tier over the examples: {counts:?}");
}

/// The splitter on statements made up here: too many documents is an error naming every size; a
/// statement larger than a document is cut into parts that grant the same; a part that cannot be
/// cut (one action on one resource) is refused with its size.
#[test]
fn split_cuts_what_is_too_large_and_refuses_what_cannot_fit() {
    let statement = |sid: &str, actions: usize, resources: usize| {
        json!({
            "Sid": sid,
            "Effect": "Allow",
            "Action": (0..actions).map(|i| format!("s3:Action{i:03}")).collect::<Vec<_>>(),
            "Resource": (0..resources).map(|i| format!("arn:aws:s3:::bucket-{i:03}")).collect::<Vec<_>>(),
        })
    };
    // Fits: three small statements in one document.
    let small = vec![
        statement("A", 2, 1),
        statement("B", 2, 1),
        statement("C", 1, 1),
    ];
    let set = policy_set::split(small.clone(), IAM_LIMITS).unwrap();
    assert_eq!(set.documents.len(), 1);
    assert_eq!(set.statements(), small);
    // Cut: 400 actions on 50 resources do not fit one document; the parts do, and grant the same.
    let big = statement("Big", 400, 50);
    let set = policy_set::split(vec![big.clone()], IAM_LIMITS).unwrap();
    assert!(set.documents.len() > 1);
    assert!(set.documents.iter().all(|d| d.chars <= 6_144));
    assert_eq!(grants(&set.statements()), grants(&[big]));
    let sids: Vec<String> = set
        .statements()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap().to_owned())
        .collect();
    assert!(sids.iter().all(|s| s.starts_with("BigPart")), "{sids:?}");
    // Refused: more documents than allowed; the message names every size.
    let limits = Limits {
        document_chars: 300,
        documents: 2,
    };
    let many: Vec<Value> = (0..6).map(|i| statement(&format!("S{i}"), 3, 2)).collect();
    let Err(error @ PolicyError::TooLarge { .. }) = policy_set::split(many, limits) else {
        panic!("six statements of ~150 characters fit in two 300-character documents?");
    };
    let PolicyError::TooLarge { sizes, .. } = &error else {
        unreachable!()
    };
    assert!(sizes.len() > 2, "{sizes:?}");
    let message = error.to_string();
    for size in sizes {
        assert!(message.contains(&size.to_string()), "{message}");
    }
    assert!(message.contains("at most 2"), "{message}");
    // Refused: one action on one resource longer than a document.
    let long = json!({
        "Sid": "Long", "Effect": "Allow", "Action": ["s3:GetObject"],
        "Resource": [format!("arn:aws:s3:::{}", "x".repeat(400))],
    });
    assert!(matches!(
        policy_set::split(vec![long], limits),
        Err(PolicyError::TooLarge { .. })
    ));
}

/// The longest values a config may hold where the policy repeats them: three SSM input paths of
/// 1,011 characters and 16 route tables. Still within 10 documents.
#[test]
fn the_longest_inputs_still_fit() {
    let path = |c: char| format!("/{}", c.to_string().repeat(1010));
    let base = std::fs::read_to_string(repo_root().join(
        "examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml",
    ))
    .unwrap();
    let tables: Vec<String> = (0..16).map(|i| format!("rtb-{i:08x}")).collect();
    let yaml = base.replace(
        "    vpc_source: ssm\n",
        &format!(
            "    vpc_source: ssm\n    vpc_id_parameter: {}\n    subnet_ids_parameter: {}\n    security_group_id_parameter: {}\n    route_table_ids: [{}]\n",
            path('v'),
            path('s'),
            path('g'),
            tables.join(", ")
        ),
    );
    let checked = check_config(yaml.as_bytes(), "");
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let config = checked.config.unwrap();
    let n = check_set("longest inputs", &config, false);
    assert!(n > 3, "the long paths take documents of their own: {n}");
    check_sufficient("longest inputs", &config);
    check_minimal("longest inputs", &config);
    crate::policy_reach::check_reaches_no_other_product("longest inputs", &config);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Configs drawn from the schema's valid space, long names included (the draw that reaches
    /// the name limits; configs over them are refused by validation and skipped): the set fits,
    /// and the proofs hold over it (sufficiency, minimality, no pattern reaching another
    /// product's name).
    #[test]
    fn drawn_configs_fit_and_the_proofs_hold(d in config_draw::draw(false)) {
        let yaml = config_draw::render(&d);
        let checked = check_config(yaml.as_bytes(), "");
        prop_assume!(checked.config.is_some());
        let config = checked.config.unwrap();
        check_set(&yaml, &config, false);
        check_sufficient(&yaml, &config);
        check_minimal(&yaml, &config);
        crate::policy_reach::check_reaches_no_other_product(&yaml, &config);
    }
}

/// A config from an example with another use case and workload.
fn product(example: &str, use_case: &str, workload: Option<&str>) -> Config {
    let text = std::fs::read_to_string(repo_root().join("examples/configs").join(example)).unwrap();
    let old = text
        .lines()
        .find(|l| l.trim_start().starts_with("use_case:"))
        .unwrap()
        .to_owned();
    let mut new = format!("  use_case: {use_case}");
    if let Some(w) = workload {
        new.push_str(&format!("\n  workload: {w}"));
    }
    let checked = check_config(text.replace(&old, &new).as_bytes(), "");
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    checked.config.unwrap()
}

/// Every resource of `other` (its production and test-deploy names, the resources the CLI works
/// on) with the context a request about it carries.
fn resources_of(other: &Config) -> Vec<(String, BTreeMap<&'static str, String>)> {
    let suffix = TestSuffix::new("k3x9").unwrap();
    let mut out = Vec::new();
    for test in [None, Some(&suffix)] {
        let product = Product {
            config: other,
            names: Names::new(other.name_parts(), test),
        };
        let ml_name = product.names.ml_name();
        for r in ml_provisioner_core::catalog::plan(other, &product.names) {
            let (_, arn) = product.own(r.logical_id(), r.resource_type()).unwrap();
            let passed_to: &[Option<&str>] = if r.resource_type() == "AWS::IAM::Role" {
                &[
                    Some("codebuild.amazonaws.com"),
                    Some("codepipeline.amazonaws.com"),
                    Some("events.amazonaws.com"),
                ]
            } else {
                &[None]
            };
            for to in passed_to {
                out.push((arn.clone(), context(&ml_name, *to)));
            }
        }
        let bucket = product.s3(&format!(
            "{}-0a1b2c3d",
            product.names.name(NameKind::ArtifactBucket).fixed
        ));
        for arn in [
            product.arn(
                "cloudformation",
                true,
                &format!(
                    "stack/{}/4f1e2d3c-0000-1111-2222-333344445555",
                    product.names.stack_name()
                ),
            ),
            product.arn("ssm", true, &format!("parameter/ml/{ml_name}")),
            product.arn("ssm", true, &format!("parameter/ml/{ml_name}/BucketName")),
            product.arn(
                "logs",
                true,
                &format!("log-group:/ml/{ml_name}/compliance:log-stream:x"),
            ),
            format!("{bucket}/model/output.tar.gz"),
            bucket,
        ] {
            out.push((arn, context(&ml_name, None)));
        }
    }
    out
}

/// What `of`'s policy allows on `other`'s resources. The statement on `*` is left out: its
/// actions have no resource-level permissions in IAM (they act on no resource of anyone's; the
/// minimality proof checks each is one).
fn reaches(of: &Config, other: &Config) -> Vec<String> {
    let mut policy = crate::policy::operator_policy(of);
    policy["Statement"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["Resource"] != "*");
    let actions: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| list(&s["Action"]))
        .collect();
    let mut found = Vec::new();
    for (arn, ctx) in resources_of(other) {
        // An action of another service never names this ARN in a request.
        let service = arn.split(':').nth(2).unwrap();
        for action in actions
            .iter()
            .filter(|a| a.split(':').next() == Some(service))
        {
            if allows(&policy, action, &arn, &ctx) {
                found.push(format!("{action} on {arn}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Issue 15, acceptance 2: products whose names share a prefix (`…-churn` and
/// `…-churn-realtime`, the longer one as a longer use case or as a workload; the same for an
/// enterprise product with its generated-id key, security group and endpoints) cannot act on
/// each other's resources — production or test deploy — in either direction.
#[test]
fn products_sharing_a_name_prefix_cannot_reach_each_other() {
    let starter = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml";
    let enterprise =
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml";
    for (example, short, long, workload) in [
        (starter, "customer-churn", "customer-churn-realtime", None),
        (
            starter,
            "customer-churn",
            "customer-churn",
            Some("realtime"),
        ),
        (starter, "churn", "churn-t", None),
        (
            enterprise,
            "demand-forecasting",
            "demand-forecasting",
            Some("realtime"),
        ),
        (enterprise, "demand", "demand-forecasting", None),
    ] {
        let a = product(example, short, None);
        let b = product(example, long, workload);
        assert!(
            b.names().ml_name().starts_with(&a.names().full_base()),
            "the names share a prefix"
        );
        for (of, other, which) in [(&a, &b, "shorter → longer"), (&b, &a, "longer → shorter")] {
            let found = reaches(of, other);
            assert!(
                found.is_empty(),
                "{} reaches {} ({which}):\n{}",
                of.names().ml_name(),
                other.names().ml_name(),
                found.join("\n")
            );
        }
        // The check can fail: a product reaches its own resources.
        assert!(!reaches(&a, &a).is_empty());
    }
}

/// No base reads as another base's test deploy. With the earlier test suffix (`-t` and four
/// characters), `…-churn` deployed with the suffix `tabcd` got exactly the names of `…-churn` with
/// the workload `tabcd` in production: the first one's test-deploy patterns (`…-churn-t????-…`)
/// reached the second one's production resources, and its test stack was the other's production
/// stack. A test suffix now follows a double hyphen (`…-churn--abcd-…`), which no base has: the
/// schema refuses every value that would put one in a base.
///
/// Run with the earlier separator (`TestSuffix::SEPARATOR` set to `-t`, which builds exactly the
/// earlier names), `cargo test -p ml-provisioner-core --test it -- no_base_reads_as_a_test_deploy
/// no_pattern_of_any_example_matches_another_products_name` fails both: here with
/// `…-customer-churn-ml reaches …-customer-churn-tabcd-ml: cloudformation:CreateChangeSet on
/// arn:aws:cloudformation:us-west-2:222233334444:stack/techcorp-prod-a001-us-west-2-customer-churn-tabcd-ml-stack/…`
/// (and every other action on every resource of that product), and the exact search with
/// `…:stack/edge-prod-b001-us-west-2-fraud-detection-realtime-t????-ml-stack/* matches
/// Some("edge-prod-b001-us-west-2-fraud-detection-realtime-t-0-0-ml-stack/")` (`?` matches a
/// hyphen too: the workload `realtime-t-0-0`).
#[test]
fn no_base_reads_as_a_test_deploy() {
    let example = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml";
    let a = product(example, "customer-churn", None);
    let suffix = TestSuffix::new("abcd").unwrap();
    let a_test = Names::new(a.name_parts(), Some(&suffix));
    for (use_case, workload) in [
        ("customer-churn", Some("tabcd")),
        ("customer-churn", Some("abcd")),
        ("customer-churn-abcd", None),
        ("customer-churn-t0000", None),
    ] {
        let b = product(example, use_case, workload);
        for (of, other) in [(&a, &b), (&b, &a)] {
            let found = reaches(of, other);
            assert!(
                found.is_empty(),
                "{} reaches {}:\n{}",
                of.names().ml_name(),
                other.names().ml_name(),
                found.join("\n")
            );
        }
        // No test name of one is a production name of the other (the stack included).
        for &kind in NameKind::ALL {
            let production = b.names().name(kind).fixed;
            assert_ne!(a_test.name(kind).fixed, production, "{kind:?}");
            assert!(!a.names().name(kind).fixed.contains("--"), "{kind:?}");
            assert!(!production.contains("--"), "{kind:?}: {production}");
        }
    }
    // The schema refuses every value that would put a double hyphen in a base.
    let text = std::fs::read_to_string(repo_root().join("examples/configs").join(example)).unwrap();
    for (from, to) in [
        ("company_prefix: techcorp", "company_prefix: tech--corp"),
        ("company_prefix: techcorp", "company_prefix: techcorp-"),
        ("use_case: customer-churn", "use_case: customer--churn"),
        ("use_case: customer-churn", "use_case: customer-churn-"),
        (
            "use_case: customer-churn",
            "use_case: customer-churn\n  workload: -abcd",
        ),
        (
            "use_case: customer-churn",
            "use_case: customer-churn\n  workload: x--abcd",
        ),
        ("tenant_id: a001", "tenant_id: a-01"),
    ] {
        assert!(text.contains(from), "{from}");
        let checked = check_config(text.replace(from, to).as_bytes(), "");
        assert!(checked.config.is_none(), "{to} is accepted");
    }
}
