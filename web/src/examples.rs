//! The browser app's starting point for a new config (the shipped examples are the core's
//! `examples`).

use ml_provisioner_core::schema::{EDITOR_MODELINE, SCHEMA_FILE};

/// A new config: the smallest valid one, to be edited. Its first line points editors at the
/// schema file beside it, as in the examples `copy-examples` writes (docs/editor.md).
pub fn new_config() -> String {
    format!(
        "{EDITOR_MODELINE}# Editors check this file as you type when {SCHEMA_FILE} is beside it (Download schema, or copy-examples).
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
"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_new_config_is_valid_and_names_the_schema_file() {
        let text = new_config();
        let new = ml_provisioner_core::check_config(text.as_bytes(), "");
        assert!(new.config.is_some(), "{:?}", new.diagnostics);
        assert!(text.starts_with(EDITOR_MODELINE));
    }
}
