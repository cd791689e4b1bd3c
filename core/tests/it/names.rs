//! Names: exact values, limits, test-deploy isolation.

use ml_provisioner_core::names::{NameKind, NameParts, Names, TestSuffix, check_names};

use crate::examples::example_configs;

const LONGEST: NameParts<'static> = NameParts {
    company_prefix: "globalbank",
    env: "prod",
    tenant_id: "c001",
    region: "us-west-2",
    use_case: "demand-forecasting",
    workload: Some("realtime"),
};

#[test]
fn names_of_the_longest_example() {
    let names = Names::new(LONGEST, None);
    assert_eq!(
        names.ml_name(),
        "globalbank-prod-c001-us-west-2-demand-forecasting-realtime-ml"
    );
    assert_eq!(
        names.stack_name(),
        "globalbank-prod-c001-us-west-2-demand-forecasting-realtime-ml-stack"
    );
    assert_eq!(names.short_base().len(), 48);
    let expect = [
        (
            NameKind::ArtifactBucket,
            "globalbank-prod-c001-demand-forecasting-realtime-{stack-id}",
        ),
        (
            NameKind::ModelPackageGroup,
            "globalbank-prod-c001-demand-forecasting-realtime-models",
        ),
        (
            NameKind::CodeBuildRole,
            "globalbank-prod-c001-usw2-demand-forecasting-realtime-cb",
        ),
        (
            NameKind::BuildRepository,
            "globalbank-prod-c001-us-west-2-demand-forecasting-realtime-model-build",
        ),
        (
            NameKind::DeployPipeline,
            "globalbank-prod-c001-us-west-2-demand-forecasting-realtime-deploy-pipeline",
        ),
        (
            NameKind::ComplianceLogGroup,
            "/ml/globalbank-prod-c001-us-west-2-demand-forecasting-realtime-ml/compliance",
        ),
        (
            NameKind::KmsAlias,
            "alias/globalbank-prod-c001-us-west-2-demand-forecasting-realtime-ml",
        ),
    ];
    for (kind, name) in expect {
        assert_eq!(names.physical(kind), name, "{kind:?}");
    }
    assert_eq!(
        names.ssm_prefix(),
        "/ml/globalbank-prod-c001-us-west-2-demand-forecasting-realtime-ml/"
    );
}

#[test]
fn every_example_fits_including_test_deploy_names() {
    for (name, config) in example_configs() {
        let problems = check_names(config.name_parts());
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
}

#[test]
fn test_deploy_changes_every_physical_name() {
    let suffix = TestSuffix::new("k3x9").unwrap();
    let normal = Names::new(LONGEST, None);
    let test = Names::new(LONGEST, Some(&suffix));
    assert_eq!(
        test.stack_name(),
        "globalbank-prod-c001-us-west-2-demand-forecasting-realtime--k3x9-ml-stack"
    );
    // The same length as the earlier `-tk3x9`: the longest test bucket is exactly S3's 63.
    assert_eq!(test.name(NameKind::ArtifactBucket).sample().len(), 63);
    for &kind in NameKind::ALL {
        let (a, b) = (normal.physical(kind), test.physical(kind));
        assert_ne!(a, b, "{kind:?}");
        assert!(b.contains("--k3x9"), "{kind:?}: {b}");
        // Only test names have a double hyphen: no production name does.
        assert!(!a.contains("--"), "{kind:?}: {a}");
        // A test name never shares a prefix-match with the production name (policies match on
        // prefixes): the production name is not a prefix of the test name and vice versa.
        assert!(!b.starts_with(&a) && !a.starts_with(&b), "{kind:?}");
    }
}

#[test]
fn test_suffix_takes_four_lowercase_letters_or_digits() {
    assert_eq!(TestSuffix::new("ab1z").unwrap().as_str(), "ab1z");
    for bad in [
        "", "abc", "abcde", "tabcd", "ABCD", "ab-1", "-ab1", "ab 1", "äbcd",
    ] {
        assert!(TestSuffix::new(bad).is_none(), "{bad:?}");
    }
    assert_eq!(TestSuffix::placeholder().as_str().len(), TestSuffix::LEN);
    assert_eq!(TestSuffix::wildcard().as_str().len(), TestSuffix::LEN);
}

#[test]
fn over_long_names_are_reported_with_limit_and_length() {
    let parts = NameParts {
        use_case: "customer-lifetime-value-prediction",
        ..LONGEST
    };
    let problems = check_names(parts);
    let bucket = problems
        .iter()
        .find(|p| p.kind == NameKind::ArtifactBucket)
        .unwrap();
    let text = bucket.to_string();
    assert!(text.contains("S3 bucket names allow at most 63"), "{text}");
    assert!(
        text.contains(&format!("is {} characters", bucket.name.len())),
        "{text}"
    );
}

#[test]
fn names_table_in_docs_lists_every_kind() {
    let docs = std::fs::read_to_string(crate::repo_root().join("docs/names.md")).unwrap();
    for &kind in NameKind::ALL {
        let spec = kind.spec();
        let row = docs
            .lines()
            .find(|l| l.contains(&format!("| {} |", spec.what)));
        let row = row.unwrap_or_else(|| panic!("docs/names.md has no row for the {}", spec.what));
        let suffix = match kind {
            // One row for every published parameter, its key standing for the suffix.
            NameKind::Parameter(_) => "`/{key}`".to_owned(),
            _ => format!("`{}`", spec.suffix),
        };
        assert!(row.contains(&suffix) || spec.suffix.is_empty(), "{row}");
        assert_eq!(
            row.contains("stack id"),
            spec.stack_unique,
            "{row}: the stack-id part"
        );
        assert!(row.contains(&spec.rule.max_len().to_string()), "{row}");
    }
}

/// The same config moved to another region, and to another account, gets other names for
/// everything in a namespace wider than one region, for the normal and the test deploy:
/// - IAM roles and the dashboard live in the account's namespace: their names carry the region
///   (so two regions differ) and their ARNs the account (so two accounts differ);
/// - the bucket lives in the partition's namespace: its name ends in 8 hex digits of the stack's
///   id, which differs for every stack (two regions or accounts are two stacks) and which nobody
///   knows before the stack exists; `template::bucket_name_comes_from_the_stack_id` checks the
///   template really builds it so.
#[test]
fn global_names_differ_between_regions_and_accounts() {
    use ml_provisioner_core::names::GLOBAL_KINDS;
    let suffix = TestSuffix::new("k3x9").unwrap();
    for (file, config) in example_configs() {
        let parts = config.name_parts();
        let other_region = if parts.region == "eu-west-1" {
            "us-east-1"
        } else {
            "eu-west-1"
        };
        let elsewhere = NameParts {
            region: other_region,
            ..parts
        };
        for test in [None, Some(&suffix)] {
            let here = Names::new(parts, test);
            let there = Names::new(elsewhere, test);
            for kind in GLOBAL_KINDS {
                let (a, b) = (here.name(kind), there.name(kind));
                if kind.spec().stack_unique {
                    assert!(a.pattern().ends_with("-????????"), "{file}: {kind:?}");
                    assert!(a.shown().ends_with("-{stack-id}"), "{file}: {kind:?}");
                    continue;
                }
                assert_ne!(
                    a.fixed, b.fixed,
                    "{file}: {kind:?} collides between regions"
                );
            }
        }
    }
}
