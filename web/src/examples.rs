//! The browser app's starting point for a new config (the shipped examples are the core's
//! `examples`).

/// A starting point for a new config: the smallest valid one, to be edited.
pub const NEW_CONFIG: &str = "# yaml-language-server: $schema=https://ml-provisioner.example/schema/ml-provisioner-config.schema.json
client:
  company_name: Example Corp
  company_prefix: example
  account_id: \"123456789012\"
  tenant_id: a001
environment:
  env: dev
  region: us-east-1
ml_product:
  tier: starter
  use_case: my-model
  source_control: codecommit
";

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_new_config_is_valid() {
        let new = ml_provisioner_core::check_config(NEW_CONFIG.as_bytes(), "");
        assert!(new.config.is_some(), "{:?}", new.diagnostics);
    }
}
