//! The core's generators as a WebAssembly module for Node (through wasm-bindgen), so a test can
//! prove that the wasm32 build writes exactly the bytes the native CLI writes.

use ml_provisioner_core::policy::PolicyOptions;
use ml_provisioner_core::policy_set;
use ml_provisioner_core::template::{self, TemplateInput};
use ml_provisioner_core::{VERSION, check_config, files};
use wasm_bindgen::prelude::wasm_bindgen;

/// What `create-prov-template` and `create-policy` write for this config, joined by NUL bytes:
/// `{template yaml}\0{policy document 1}\0…\0{policy guide}`; or `ERROR\0{message}`.
#[wasm_bindgen]
pub fn generate(file_name: &str, bytes: &[u8]) -> String {
    match generate_files(file_name, bytes) {
        Ok(files) => files.join("\0"),
        Err(message) => format!("ERROR\0{message}"),
    }
}

/// The template YAML, the policy documents and the policy guide, as the CLI writes them.
pub fn generate_files(file_name: &str, bytes: &[u8]) -> Result<Vec<String>, String> {
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
    let mut out = vec![template::generate(&input).yaml];
    let set = policy_set::operator_policy_set(
        &config,
        &names,
        PolicyOptions {
            checks_subscription: false,
        },
    )
    .map_err(|e| e.to_string())?;
    out.extend(set.file_texts());
    out.push(policy_set::guide_text(
        &config,
        &names,
        files::config_stem(file_name),
        &set,
    ));
    Ok(out)
}
