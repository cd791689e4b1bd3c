//! The core's generators as a WebAssembly module for Node (through wasm-bindgen), so a test can
//! prove that the wasm32 build writes exactly the bytes the native CLI writes.

use ml_provisioner_core::policy::{self, PolicyOptions};
use ml_provisioner_core::template::{self, TemplateInput};
use ml_provisioner_core::{VERSION, check_config};
use wasm_bindgen::prelude::wasm_bindgen;

/// What `create-prov-template` and `create-policy` write for this config, joined by a NUL byte:
/// `{template yaml}\0{policy json}`; or `ERROR\0{message}`.
#[wasm_bindgen]
pub fn generate(file_name: &str, bytes: &[u8]) -> String {
    match generate_files(file_name, bytes) {
        Ok((yaml, json)) => format!("{yaml}\0{json}"),
        Err(message) => format!("ERROR\0{message}"),
    }
}

/// The template YAML and the policy JSON, as the CLI writes them.
pub fn generate_files(file_name: &str, bytes: &[u8]) -> Result<(String, String), String> {
    let checked = check_config(bytes, file_name);
    let config = checked
        .config
        .ok_or_else(|| format!("{} diagnostics", checked.diagnostics.len()))?;
    let names = config.names();
    let input = TemplateInput {
        config: &config,
        names: &names,
        config_file: file_name,
        tool_version: VERSION,
    };
    let yaml = template::generate(&input).yaml;
    let policy = policy::operator_policy(
        &config,
        &names,
        PolicyOptions {
            checks_subscription: false,
        },
    )
    .ok_or("no policy")?;
    let mut json = serde_json::to_string_pretty(&policy).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok((yaml, json))
}
