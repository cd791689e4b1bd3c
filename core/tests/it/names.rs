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
            "globalbank-prod-c001-demand-forecasting-realtime-art",
        ),
        (
            NameKind::ModelPackageGroup,
            "globalbank-prod-c001-demand-forecasting-realtime-models",
        ),
        (
            NameKind::CodeBuildRole,
            "globalbank-prod-c001-demand-forecasting-realtime-cb-role",
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
    let suffix = TestSuffix::new("k3x9q").unwrap();
    let normal = Names::new(LONGEST, None);
    let test = Names::new(LONGEST, Some(&suffix));
    assert_eq!(
        test.stack_name(),
        "globalbank-prod-c001-us-west-2-demand-forecasting-realtime-tk3x9q-ml-stack"
    );
    for &kind in NameKind::ALL {
        let (a, b) = (normal.physical(kind), test.physical(kind));
        assert_ne!(a, b, "{kind:?}");
        assert!(b.contains("-tk3x9q"), "{kind:?}: {b}");
        // A test name never shares a prefix-match with the production name (policies match on
        // prefixes): the production name is not a prefix of the test name and vice versa.
        assert!(!b.starts_with(&a) && !a.starts_with(&b), "{kind:?}");
    }
}

#[test]
fn test_suffix_takes_five_lowercase_letters_or_digits() {
    assert!(TestSuffix::new("ab12z").is_some());
    for bad in ["", "abcd", "abcdef", "ABCDE", "ab-12", "ab 12", "äbcde"] {
        assert!(TestSuffix::new(bad).is_none(), "{bad:?}");
    }
    assert_eq!(TestSuffix::placeholder().as_str().len(), TestSuffix::LEN);
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
        assert!(
            row.contains(&format!("`{}`", spec.suffix)) || spec.suffix.is_empty(),
            "{row}"
        );
        assert!(row.contains(&spec.rule.max_len().to_string()), "{row}");
    }
}
