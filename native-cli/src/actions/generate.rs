//! The generators: `create-policy`, `create-prov-template`, `create-review-report`. Each writes
//! one file atomically (a failure leaves no partial file) and reports it.

use std::path::Path;

use ml_provisioner_core::files::Output as OutputFile;
use ml_provisioner_core::{CheckedConfig, Config, policy, report, template, template_check};

use super::{Ctx, Failure, Outcome, Warning};
use crate::exit::Exit;
use crate::workspace::{ConfigFile, read_bounded, utc_iso, write_atomic};

/// A source build carries no Marketplace product code, so it makes no metering call.
const POLICY_OPTIONS: policy::PolicyOptions = policy::PolicyOptions {
    checks_subscription: false,
};

/// Writes a generated file and says what was written.
fn write_output(
    ctx: &Ctx<'_>,
    output: OutputFile,
    stem: &str,
    bytes: &[u8],
    what: &str,
) -> Result<Outcome, Failure> {
    let path = ctx.ws.root.join(output.path(stem));
    let shown = ctx.shown(&path);
    write_atomic(&path, bytes).map_err(|error| {
        Failure::new(
            Exit::Io,
            format!("cannot write {shown}: {error}"),
            "make the output folder writable (mount it without :ro)",
        )
    })?;
    let mut outcome = Outcome::new(Exit::Ok, format!("wrote {shown} {what}"));
    outcome.wrote.push(shown);
    Ok(outcome)
}

pub(super) fn create_prov_template(
    ctx: &Ctx<'_>,
    file: &ConfigFile,
    config: &Config,
) -> Result<Outcome, Failure> {
    let names = config.names();
    let generated = template::generate(&template::TemplateInput {
        config,
        names: &names,
        config_file: &file.file_name,
        tool_version: ml_provisioner_core::VERSION,
    });
    let what = format!(
        "({} resources, {} bytes) for stack {}",
        generated.document["Resources"]
            .as_object()
            .map_or(0, |r| r.len()),
        generated.yaml.len(),
        names.stack_name()
    );
    write_output(
        ctx,
        OutputFile::Template,
        &file.stem,
        generated.yaml.as_bytes(),
        &what,
    )
}

pub(super) fn create_policy(
    ctx: &Ctx<'_>,
    file: &ConfigFile,
    config: &Config,
) -> Result<Outcome, Failure> {
    let names = config.names();
    let document = policy::operator_policy(config, &names, POLICY_OPTIONS)
        .ok_or_else(|| Failure::internal("the embedded permission table did not load"))?;
    let text = policy::to_file_text(&document);
    let statements = document["Statement"].as_array().map_or(0, Vec::len);
    let what = format!(
        "({statements} statements) for the operator of {}",
        names.stack_name()
    );
    write_output(ctx, OutputFile::Policy, &file.stem, text.as_bytes(), &what)
}

/// The time a report shows: `SOURCE_DATE_EPOCH` when set (reproducible output), else now.
fn report_time(ctx: &Ctx<'_>) -> Result<String, Failure> {
    match &ctx.env.source_date_epoch {
        None => Ok(utc_iso(ctx.env.now)),
        Some(raw) => raw
            .trim()
            .parse::<u64>()
            .map(|secs| utc_iso(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)))
            .map_err(|_| {
                Failure::usage(
                    format!("SOURCE_DATE_EPOCH is '{raw}', not a number of seconds"),
                    "set it to seconds since 1970-01-01 UTC (e.g. SOURCE_DATE_EPOCH=$(date +%s)) or unset it",
                )
            }),
    }
}

pub(super) fn create_review_report(
    ctx: &Ctx<'_>,
    file: &ConfigFile,
    checked: &CheckedConfig,
    config: &Config,
) -> Result<Outcome, Failure> {
    let generated_at = report_time(ctx)?;
    let rendered = report::render(&report::ReportInput {
        config,
        config_bytes: &file.bytes,
        config_file: &file.file_name,
        config_stem: &file.stem,
        config_diagnostics: &checked.diagnostics,
        generated_at: &generated_at,
        tool_version: ml_provisioner_core::VERSION,
        policy_options: POLICY_OPTIONS,
    })
    .map_err(|error| Failure::internal(format!("{error:?}")))?;
    // The report describes the template generated from this config; say so when the file on
    // disk (which deploy-product would use) has other bytes.
    let template_path = ctx.ws.root.join(OutputFile::Template.path(&file.stem));
    let edited = edited_template(&template_path, rendered.template.yaml.as_bytes());
    let what = format!(
        "({} bytes, template SHA-256 {})",
        rendered.html.len(),
        rendered.template_sha256
    );
    let mut outcome = write_output(
        ctx,
        OutputFile::ReviewReport,
        &file.stem,
        rendered.html.as_bytes(),
        &what,
    )?;
    if let Some(on_disk) = edited {
        outcome.warnings.push(Warning {
            message: format!(
                "{} differs from the template this config generates (SHA-256 {on_disk} vs {}); the report describes the generated one",
                ctx.shown(&template_path),
                rendered.template_sha256
            ),
            hint: "run -act create-prov-template to replace the file, or review your edits separately".to_owned(),
        });
    }
    Ok(outcome)
}

/// The SHA-256 of the template on disk when it exists and differs from `generated`.
fn edited_template(path: &Path, generated: &[u8]) -> Option<String> {
    match read_bounded(path, template_check::MAX_TEMPLATE_BYTES) {
        Ok((bytes, None)) if bytes != generated => Some(report::sha256_hex(&bytes)),
        _ => None,
    }
}
