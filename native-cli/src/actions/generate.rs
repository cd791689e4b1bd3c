//! The generators: `create-policy`, `create-prov-template`, `create-review-report`. Each writes
//! one file atomically (a failure leaves no partial file) and reports it.

use std::path::Path;

use ml_provisioner_core::files::{Output as OutputFile, legacy_policy_path};
use ml_provisioner_core::policy_set::{self, PolicyError};
use ml_provisioner_core::{CheckedConfig, Config, policy, report, template, template_check};

use super::{Ctx, Failure, Outcome, Warning};
use crate::exit::Exit;
use crate::workspace::{ConfigFile, read_bounded, utc_iso, write_atomic};

/// The operator policy grants the metering call only to a build that makes it (one carrying a
/// Marketplace product code); a source build's policy, like the browser app's, leaves it out.
fn policy_options(ctx: &Ctx<'_>) -> policy::PolicyOptions {
    policy::PolicyOptions {
        checks_subscription: ctx.env.build.product_code.is_some(),
    }
}

/// Writes a generated file; returns its path as shown to the user.
fn write_file(
    ctx: &Ctx<'_>,
    output: OutputFile,
    stem: &str,
    bytes: &[u8],
) -> Result<String, Failure> {
    let path = ctx.ws.root.join(output.path(stem));
    let shown = ctx.shown(&path);
    write_atomic(&path, bytes).map_err(|error| {
        Failure::new(
            Exit::Io,
            format!("cannot write {shown}: {error}"),
            "make the output folder writable (mount it without :ro)",
        )
    })?;
    Ok(shown)
}

/// Writes a generated file and says what was written.
fn write_output(
    ctx: &Ctx<'_>,
    output: OutputFile,
    stem: &str,
    bytes: &[u8],
    what: &str,
) -> Result<Outcome, Failure> {
    let shown = write_file(ctx, output, stem, bytes)?;
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

/// How many numbered policy files an earlier run may have left (more than IAM's 10, in case
/// a quota raised to 20 is ever used).
const MAX_STALE_DOCUMENTS: usize = 20;

/// `create-policy`: the operator policy as managed-policy documents
/// (`policies/{stem}-iam-policy-{n}.json`) and the guide with the commands that create and attach
/// them (`policies/{stem}-iam-policy.md`). Then removes what an earlier run left that this one did
/// not write: numbered documents past the new count, and the single `{stem}-iam-policy.json` of
/// versions before the split (docs/decisions.md), so no script picks up a stale policy.
pub(super) fn create_policy(
    ctx: &Ctx<'_>,
    file: &ConfigFile,
    config: &Config,
) -> Result<Outcome, Failure> {
    let names = config.names();
    let set =
        policy_set::operator_policy_set(config, &names, policy_options(ctx)).map_err(|error| {
            match error {
                PolicyError::NoPermissionTable => Failure::internal(error.to_string()),
                PolicyError::TooLarge { .. } => Failure::new(
                    Exit::Invalid,
                    format!("{error}; nothing written"),
                    error.hint(),
                ),
            }
        })?;
    let mut wrote = Vec::new();
    for (document, text) in set.documents.iter().zip(set.file_texts()) {
        wrote.push(write_file(
            ctx,
            OutputFile::PolicyDocument(document.number),
            &file.stem,
            text.as_bytes(),
        )?);
    }
    let guide = policy_set::guide_text(config, &names, &file.stem, &set);
    wrote.push(write_file(
        ctx,
        OutputFile::PolicyGuide,
        &file.stem,
        guide.as_bytes(),
    )?);
    let statements: usize = set
        .documents
        .iter()
        .map(|d| d.document["Statement"].as_array().map_or(0, Vec::len))
        .sum();
    let sizes: Vec<String> = set
        .documents
        .iter()
        .map(|d| policy_set::thousands(d.chars))
        .collect();
    let count = set.documents.len();
    let documents = match wrote.as_slice() {
        [only, _guide] => only.clone(),
        [first, .., last, _guide] => format!("{first} … {last}"),
        _ => String::new(),
    };
    let mut outcome = Outcome::new(
        Exit::Ok,
        format!(
            "wrote {documents} ({count} managed-policy document{}: {} characters of IAM's {}; {statements} statements) and {} (the commands that create and attach them) for the operator of {}",
            if count == 1 { "" } else { "s" },
            sizes.join(", "),
            policy_set::thousands(policy_set::IAM_LIMITS.document_chars),
            wrote.last().map_or("", String::as_str),
            names.stack_name()
        ),
    );
    outcome.wrote = wrote;
    let stale = std::iter::once(legacy_policy_path(&file.stem)).chain(
        (count + 1..=MAX_STALE_DOCUMENTS).map(|n| OutputFile::PolicyDocument(n).path(&file.stem)),
    );
    for path in stale.map(|p| ctx.ws.root.join(p)) {
        if !path.exists() {
            continue;
        }
        let shown = ctx.shown(&path);
        std::fs::remove_file(&path).map_err(|error| {
            Failure::new(
                Exit::Io,
                format!("cannot remove {shown}, left by an earlier create-policy: {error}"),
                "make the output folder writable, or remove the file yourself",
            )
        })?;
        outcome.warnings.push(Warning {
            message: format!(
                "removed {shown}: an earlier create-policy wrote it, and it is not part of this policy"
            ),
            hint: format!(
                "attach the documents listed in {} instead",
                OutputFile::PolicyGuide.path(&file.stem)
            ),
        });
    }
    Ok(outcome)
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
        policy_options: policy_options(ctx),
    })
    .map_err(|error| match error {
        report::ReportError::Policy(error @ PolicyError::TooLarge { .. }) => Failure::new(
            Exit::Invalid,
            format!("{error}; nothing written"),
            error.hint(),
        ),
        report::ReportError::Policy(error) => Failure::internal(error.to_string()),
    })?;
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
