//! Property tests: configs drawn from the schema's valid space validate and round-trip to the
//! same model, whatever YAML spelling they use; the only way a schema-valid config fails is a
//! derived name over its limit, exactly when the independent length formula says so.

use ml_provisioner_core::check_config;
use proptest::prelude::*;

#[path = "../../../tests/support/config_draw.rs"]
pub mod config_draw;
use config_draw::{draw, render, short_base_len};

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn valid_space_validates_and_round_trips(d in draw(true)) {
        let yaml = render(&d);
        let checked = check_config(yaml.as_bytes(), "");
        prop_assert!(checked.diagnostics.is_empty(), "{yaml}\n{:#?}", checked.diagnostics);
        let config = checked.config.unwrap();
        prop_assert_eq!(&config.client.company_name, &d.company_name);
        prop_assert_eq!(&config.client.account_id, &d.account);
        prop_assert_eq!(config.environment.env.as_str(), d.env);
        prop_assert_eq!(&config.product.use_case, &d.use_case);
        prop_assert_eq!(&config.product.workload, &d.workload);
        prop_assert_eq!(config.product.source.as_str(), if d.s3.is_some() { "s3" } else { "codecommit" });
        prop_assert_eq!(config.product.vpc.is_some(), d.tier == 2);
    }

    #[test]
    fn schema_valid_configs_fail_only_on_name_length(d in draw(false)) {
        let yaml = render(&d);
        let checked = check_config(yaml.as_bytes(), "");
        // The binding limit: the test-deploy bucket `{short base}--0000-{8 hex}` ≤ 63.
        let too_long = short_base_len(&d) + 6 + 9 > 63;
        let codes: Vec<_> = checked.diagnostics.iter().map(|x| x.code.as_str()).collect();
        prop_assert!(codes.iter().all(|c| *c == "name-too-long"), "{yaml}\n{codes:?}");
        prop_assert_eq!(!codes.is_empty(), too_long, "{}", yaml);
    }
}
