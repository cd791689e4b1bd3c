//! `list-products` and `show-product`.

use ml_provisioner_core::Config;
use ml_provisioner_core::catalog::{self, TIERS};
use serde_json::json;

use super::{Outcome, pretty, text_table};
use crate::Output;
use crate::args::Format;
use crate::build::Build;
use crate::exit::Exit;
use crate::workspace::RunLog;

pub(super) fn list_products(
    format: Format,
    build: &Build,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let note = format!("\n{}\n", build.tier_note());
    let text: String = TIERS
        .iter()
        .map(|t| {
            let mark = if build.allows(t.tier) {
                ""
            } else {
                "  (not in this build)"
            };
            format!("{:<13} {}{mark}\n", t.tier.as_str(), t.summary)
        })
        .collect::<String>()
        + &note;
    log.line(&text);
    let printed = match format {
        Format::Json => {
            let tiers: Vec<_> = TIERS
                .iter()
                .map(|t| json!({ "tier": t.tier.as_str(), "summary": t.summary, "allowed": build.allows(t.tier) }))
                .collect();
            pretty(&json!({ "tiers": tiers }))
        }
        Format::Text | Format::Sarif => text,
    };
    let _ = io.out.write_all(printed.as_bytes());
    Exit::Ok
}

/// The resources this config gets: logical id, type, physical name, why.
pub(super) fn show_product(config: &Config) -> Outcome {
    let names = config.names();
    let resources = catalog::plan(config, &names);
    let mut text = format!(
        "Product {} — {} tier, env {}, account {}, region {}\nStack   {}\nSource  {}\n\n",
        names.ml_name(),
        config.tier().as_str(),
        config.environment.env.as_str(),
        config.client.account_id,
        config.environment.region,
        names.stack_name(),
        config.product.source.as_str(),
    );
    let rows: Vec<[String; 4]> = resources
        .iter()
        .map(|r| {
            [
                r.logical_id().to_owned(),
                r.resource_type().to_owned(),
                r.physical_name
                    .clone()
                    .unwrap_or_else(|| "(generated)".to_owned()),
                r.reason.clone(),
            ]
        })
        .collect();
    text.push_str(&text_table(
        ["LOGICAL ID", "TYPE", "PHYSICAL NAME", "WHY"],
        &rows,
        &[],
    ));
    text.push_str(&format!("\n{} resources.\n", resources.len()));
    let value = json!({
        "ml_name": names.ml_name(),
        "stack_name": names.stack_name(),
        "tier": config.tier().as_str(),
        "env": config.environment.env.as_str(),
        "account_id": config.client.account_id,
        "region": config.environment.region,
        "resources": resources.iter().map(|r| json!({
            "logical_id": r.logical_id(),
            "type": r.resource_type(),
            "physical_name": r.physical_name,
            "reason": r.reason,
        })).collect::<Vec<_>>(),
    });
    let mut outcome = Outcome::new(Exit::Ok, format!("{} resources", resources.len()));
    outcome.listing = Some((text, value));
    outcome
}
