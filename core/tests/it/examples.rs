//! The 20 shipped examples: all valid with no diagnostics, covering the scenario matrix.

use std::collections::BTreeMap;

use ml_provisioner_core::catalog::plan;
use ml_provisioner_core::config::{SourceControl, VpcMode, VpcSource};
use ml_provisioner_core::{Config, Tier, check_config};

use crate::repo_root;

pub fn load_examples() -> Vec<(String, Vec<u8>)> {
    let dir = repo_root().join("examples/configs");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

pub fn example_configs() -> Vec<(String, Config)> {
    load_examples()
        .into_iter()
        .map(|(name, bytes)| {
            let checked = check_config(&bytes, &name);
            (name, checked.config.unwrap())
        })
        .collect()
}

#[test]
fn the_embedded_examples_are_the_shipped_files() {
    let embedded: Vec<(String, Vec<u8>)> = ml_provisioner_core::examples::EXAMPLES
        .iter()
        .map(|e| (e.file_name.to_owned(), e.text.as_bytes().to_vec()))
        .collect();
    assert_eq!(embedded, load_examples());
    for e in ml_provisioner_core::examples::EXAMPLES {
        let config = check_config(e.text.as_bytes(), e.file_name).config.unwrap();
        assert_eq!(config.tier().as_str(), e.tier, "{}", e.file_name);
        assert!(!e.summary.is_empty(), "{}", e.file_name);
    }
}

#[test]
fn every_example_is_valid_without_warnings() {
    let examples = load_examples();
    assert_eq!(examples.len(), 20);
    for (name, bytes) in &examples {
        let checked = check_config(bytes, name);
        assert!(
            checked.diagnostics.is_empty(),
            "{name}: {:#?}",
            checked.diagnostics
        );
        assert!(checked.config.is_some(), "{name}");
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../core/schema/ml-provisioner-config.schema.json\n"),
            "{name}: the first line must point editors at the schema"
        );
    }
}

#[test]
fn examples_cover_the_scenario_matrix() {
    let mut by_tier: BTreeMap<Tier, usize> = BTreeMap::new();
    let mut enterprise = Vec::new();
    for (name, config) in example_configs() {
        *by_tier.entry(config.tier()).or_default() += 1;
        if let Some(vpc) = &config.product.vpc {
            let source = matches!(config.product.source, SourceControl::S3 { .. });
            let direct = matches!(vpc.source, VpcSource::Direct { .. });
            let sgprov = matches!(vpc.mode, VpcMode::SgProv { .. });
            enterprise.push((
                source,
                sgprov,
                direct,
                config.product.workload.is_some(),
                !vpc.route_table_ids.is_empty(),
                name,
            ));
        }
    }
    assert_eq!(by_tier.get(&Tier::Starter), Some(&5));
    assert_eq!(by_tier.get(&Tier::Professional), Some(&5));
    assert_eq!(by_tier.get(&Tier::Enterprise), Some(&10));
    for s3 in [false, true] {
        for sgprov in [false, true] {
            for direct in [false, true] {
                assert!(
                    enterprise
                        .iter()
                        .any(|e| (e.0, e.1, e.2) == (s3, sgprov, direct)),
                    "missing {s3} {sgprov} {direct}"
                );
            }
        }
    }
    assert!(
        enterprise.iter().any(|e| e.3),
        "an enterprise workload variant"
    );
    assert!(
        enterprise.iter().any(|e| e.4),
        "an enterprise route-table variant"
    );
}

#[test]
fn catalog_follows_the_tier_table() {
    for (name, config) in example_configs() {
        let resources = plan(&config, &config.names());
        let has = |t: &str| resources.iter().any(|r| r.resource_type() == t);
        let count = |t: &str| resources.iter().filter(|r| r.resource_type() == t).count();
        let tier = config.tier();
        assert!(has("AWS::SageMaker::ModelPackageGroup"), "{name}");
        assert_eq!(count("AWS::CodeBuild::Project"), 2, "{name}");
        assert_eq!(count("AWS::CodePipeline::Pipeline"), 2, "{name}");
        assert_eq!(count("AWS::IAM::Role"), 4, "{name}");
        assert!(has("AWS::S3::Bucket"), "{name}");
        let codecommit = config.product.source == SourceControl::CodeCommit;
        assert_eq!(
            count("AWS::CodeCommit::Repository"),
            if codecommit { 2 } else { 0 },
            "{name}"
        );
        assert_eq!(has("AWS::SNS::Topic"), tier >= Tier::Professional, "{name}");
        assert_eq!(
            has("AWS::CloudWatch::Dashboard"),
            tier >= Tier::Professional,
            "{name}"
        );
        assert_eq!(has("AWS::KMS::Key"), tier == Tier::Enterprise, "{name}");
        assert_eq!(
            has("AWS::Logs::LogGroup"),
            tier == Tier::Enterprise,
            "{name}"
        );
        assert_eq!(
            count("AWS::EC2::VPCEndpoint"),
            if tier == Tier::Enterprise { 4 } else { 0 },
            "{name}"
        );
        let standalone = matches!(
            config.product.vpc.as_ref().map(|v| &v.mode),
            Some(VpcMode::Standalone)
        );
        assert_eq!(has("AWS::EC2::SecurityGroup"), standalone, "{name}");
        // Logical ids are unique and every physical name is unique.
        let mut ids: Vec<_> = resources.iter().map(|r| r.logical_id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), resources.len(), "{name}: duplicate logical id");
        let mut physical: Vec<_> = resources
            .iter()
            .filter_map(|r| r.physical_name.as_ref())
            .collect();
        let n = physical.len();
        physical.sort();
        physical.dedup();
        assert_eq!(physical.len(), n, "{name}: duplicate physical name");
        assert!(resources.iter().all(|r| !r.reason.is_empty()), "{name}");
    }
}
