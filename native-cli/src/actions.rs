//! The actions. Each prints to `io`, adds what it did to the run log and returns an exit status.

use ml_provisioner_core::catalog::{self, TIERS};
use ml_provisioner_core::render::{self, FileDiagnostics};
use ml_provisioner_core::report;
use ml_provisioner_core::{
    CheckedConfig, Code, Config, Diagnostic, LineIndex, check_config, policy, template,
    template_check, yaml,
};
use serde_json::json;

use crate::args::{Action, Cli, Format};
use crate::deep_check::DeepChecker;
use crate::exit::Exit;
use crate::workspace::{
    ConfigError, ConfigFile, Env, RunLog, Workspace, find_config, read_bounded, read_config,
    utc_iso, write_atomic,
};
use crate::{Output, needs_config};

pub fn dispatch(
    cli: &Cli,
    ws: &Workspace,
    env: &Env,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    if cli.format == Format::Sarif
        && !matches!(
            cli.action,
            Action::ValidateConfig | Action::ValidateProvTemplate
        )
    {
        return usage(
            io,
            log,
            "--format sarif is only for validate-config (and validate-prov-template)",
            "use --format text or --format json",
        );
    }
    match cli.action {
        Action::ListProducts => list_products(cli.format, io, log),
        Action::ValidateConfig
        | Action::ShowProduct
        | Action::CreateProvTemplate
        | Action::CreatePolicy
        | Action::ValidateProvTemplate
        | Action::CreateReviewReport => {
            let Some(name) = cli.config.as_deref().filter(|_| needs_config(cli.action)) else {
                return usage(
                    io,
                    log,
                    &format!("{} needs a config: -con <file>", cli.action.name()),
                    "pass a file name from the configs folder or a path, e.g. -con examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml",
                );
            };
            let file = match find_config(ws, env, name).and_then(|path| read_config(&path, env)) {
                Ok(file) => file,
                Err(ConfigError::NotFound { message, hint }) => {
                    return usage(io, log, &message, &hint);
                }
                Err(ConfigError::Io { path, error }) => {
                    let message = format!("cannot read {}: {error}", path.display());
                    log.line(&format!("error: {message}"));
                    let _ = writeln!(
                        io.err,
                        "error: {message}\n  hint: check the file's permissions (the configs folder may be mounted read-only, but must be readable)"
                    );
                    return Exit::Io;
                }
            };
            log.line(&format!("config {}", file.display));
            let checked = check(&file);
            if cli.action == Action::ValidateConfig {
                return validate_config(cli.format, &file, &checked, io, log);
            }
            // Every other action here needs a valid config.
            let Some(config) = &checked.config else {
                return refuse_invalid(cli.format, &file, &checked, io, log);
            };
            match cli.action {
                Action::ShowProduct => show_product(cli.format, config, io, log),
                Action::CreatePolicy => create_policy(ws, env, &file, config, io, log),
                Action::ValidateProvTemplate => {
                    validate_prov_template(ws, env, &file, config, cli.format, io, log)
                }
                Action::CreateReviewReport => {
                    create_review_report(ws, env, &file, &checked, config, io, log)
                }
                _ => create_prov_template(ws, env, &file, config, io, log),
            }
        }
        other => not_available(other, io, log),
    }
}

fn check(file: &ConfigFile) -> CheckedConfig {
    match file.oversize {
        Some(size) => CheckedConfig {
            config: None,
            diagnostics: vec![yaml::too_large(size)],
        },
        None => check_config(&file.bytes, &file.file_name),
    }
}

fn usage(io: &mut Output<'_>, log: &mut RunLog, message: &str, hint: &str) -> Exit {
    log.line(&format!("error: {message}"));
    let _ = writeln!(io.err, "error: {message}\n  hint: {hint}");
    Exit::Usage
}

fn not_available(action: Action, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let message = format!(
        "the action '{}' is not available yet in ml-provisioner {}; this version implements {}",
        action.name(),
        ml_provisioner_core::VERSION,
        report::checklist::IMPLEMENTED_ACTIONS.join(", ")
    );
    log.line(&format!("error: {message}"));
    let _ = writeln!(
        io.err,
        "error: {message}\n  hint: nothing was done; see README.md \"Status\" for what each version provides"
    );
    Exit::NotAvailable
}

/// Logs a file's diagnostics and the verdict, and prints them in the asked format.
fn report(
    format: Format,
    file: FileDiagnostics<'_>,
    verdict: &str,
    io: &mut Output<'_>,
    log: &mut RunLog,
) {
    let rendered = render::render_text(&file);
    log.line(&rendered);
    log.line(verdict);
    let printed = match format {
        Format::Text => format!("{rendered}{verdict}\n"),
        Format::Json => render::render_json(&[file]),
        Format::Sarif => render::render_sarif(&[file], ml_provisioner_core::VERSION),
    };
    let _ = io.out.write_all(printed.as_bytes());
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = render::counts(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn validate_config(
    format: Format,
    file: &ConfigFile,
    checked: &CheckedConfig,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let text = String::from_utf8_lossy(&file.bytes);
    let diagnostics = &checked.diagnostics;
    let verdict = match &checked.config {
        Some(config) => format!(
            "{}: valid — {} tier, {} resources, stack {} ({})",
            file.display,
            config.tier().as_str(),
            catalog::plan(config, &config.names()).len(),
            config.names().stack_name(),
            summary(diagnostics)
        ),
        None => format!("{}: invalid ({})", file.display, summary(diagnostics)),
    };
    let files = FileDiagnostics {
        path: &file.display,
        text: &text,
        diagnostics,
    };
    report(format, files, &verdict, io, log);
    if checked.config.is_some() {
        Exit::Ok
    } else {
        Exit::Invalid
    }
}

/// Prints the diagnostics of an invalid config for actions that need a valid one.
fn refuse_invalid(
    format: Format,
    file: &ConfigFile,
    checked: &CheckedConfig,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let text = String::from_utf8_lossy(&file.bytes);
    let verdict = format!(
        "{}: invalid ({}); nothing done",
        file.display,
        summary(&checked.diagnostics)
    );
    let files = FileDiagnostics {
        path: &file.display,
        text: &text,
        diagnostics: &checked.diagnostics,
    };
    report(format, files, &verdict, io, log);
    Exit::Invalid
}

fn show_product(format: Format, config: &Config, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let printed = match format {
        Format::Json => product_json(config),
        _ => product_text(config),
    };
    log.line(&product_text(config));
    let _ = io.out.write_all(printed.as_bytes());
    Exit::Ok
}

fn product_text(config: &Config) -> String {
    let names = config.names();
    let resources = catalog::plan(config, &names);
    let mut out = format!(
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
                r.logical_id.clone(),
                r.resource_type.to_owned(),
                r.physical_name
                    .clone()
                    .unwrap_or_else(|| "(generated)".to_owned()),
                r.reason.clone(),
            ]
        })
        .collect();
    let header = ["LOGICAL ID", "TYPE", "PHYSICAL NAME", "WHY"].map(str::to_owned);
    let mut widths = [0; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        ));
    }
    out.push_str(&format!("\n{} resources.\n", resources.len()));
    out
}

fn product_json(config: &Config) -> String {
    let names = config.names();
    let resources: Vec<_> = catalog::plan(config, &names)
        .into_iter()
        .map(|r| {
            json!({
                "logical_id": r.logical_id,
                "type": r.resource_type,
                "physical_name": r.physical_name,
                "reason": r.reason,
            })
        })
        .collect();
    let value = json!({
        "ml_name": names.ml_name(),
        "stack_name": names.stack_name(),
        "tier": config.tier().as_str(),
        "env": config.environment.env.as_str(),
        "account_id": config.client.account_id,
        "region": config.environment.region,
        "resources": resources,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn list_products(format: Format, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let text: String = TIERS
        .iter()
        .map(|t| format!("{:<13} {}\n", t.tier.as_str(), t.summary))
        .collect::<String>()
        + "\nThis is a source build: every tier may be provisioned.\n";
    log.line(&text);
    let printed = match format {
        Format::Json => {
            let tiers: Vec<_> = TIERS
                .iter()
                .map(|t| json!({ "tier": t.tier.as_str(), "summary": t.summary, "allowed": true }))
                .collect();
            let mut s =
                serde_json::to_string_pretty(&json!({ "tiers": tiers })).unwrap_or_default();
            s.push('\n');
            s
        }
        _ => text,
    };
    let _ = io.out.write_all(printed.as_bytes());
    Exit::Ok
}

fn create_prov_template(
    ws: &Workspace,
    env: &Env,
    file: &ConfigFile,
    config: &Config,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let names = config.names();
    let input = template::TemplateInput {
        config,
        names: &names,
        config_file: &file.file_name,
        tool_version: ml_provisioner_core::VERSION,
    };
    let generated = match template::generate(&input) {
        Ok(generated) => generated,
        Err(template::UnbuiltResource(id)) => {
            return internal_error(
                &format!("no template builder for the planned resource {id}"),
                io,
                log,
            );
        }
    };
    let path = ws.templates().join(format!("{}-template.yaml", file.stem));
    let what = format!(
        "{} resources, {} bytes) for stack {}",
        generated.document["Resources"]
            .as_object()
            .map_or(0, |r| r.len()),
        generated.yaml.len(),
        names.stack_name()
    );
    write_output(
        env,
        &path,
        generated.yaml.as_bytes(),
        &format!("({what}"),
        io,
        log,
    )
}

/// A generator failed in a way tests should have caught: say so, write nothing.
fn internal_error(what: &str, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let message = format!("internal error: {what}; nothing written");
    log.line(&message);
    let _ = writeln!(
        io.err,
        "error: {message}\n  hint: please report this with the config"
    );
    Exit::Invalid
}

/// Writes a generated file atomically and reports it; a failure leaves no partial file.
fn write_output(
    env: &Env,
    path: &std::path::Path,
    bytes: &[u8],
    what: &str,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let shown = path
        .strip_prefix(&env.cwd)
        .unwrap_or(path)
        .display()
        .to_string();
    if let Err(error) = write_atomic(path, bytes) {
        let message = format!("cannot write {shown}: {error}");
        log.line(&format!("error: {message}"));
        let _ = writeln!(
            io.err,
            "error: {message}\n  hint: make the output folder writable (mount it without :ro)"
        );
        return Exit::Io;
    }
    let message = format!("wrote {shown} {what}");
    log.line(&message);
    let _ = writeln!(io.out, "{message}");
    Exit::Ok
}

fn create_policy(
    ws: &Workspace,
    env: &Env,
    file: &ConfigFile,
    config: &Config,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let names = config.names();
    // A source build carries no Marketplace product code, so it makes no metering call.
    let options = policy::PolicyOptions {
        checks_subscription: false,
    };
    let Some(document) = policy::operator_policy(config, &names, options) else {
        let message = "internal error: the embedded permission table did not load; nothing written";
        log.line(message);
        let _ = writeln!(io.err, "error: {message}");
        return Exit::Invalid;
    };
    let text = policy::to_file_text(&document);
    let path = ws.policies().join(format!("{}-iam-policy.json", file.stem));
    let statements = document["Statement"].as_array().map_or(0, Vec::len);
    let what = format!(
        "({statements} statements) for the operator of {}",
        names.stack_name()
    );
    write_output(env, &path, text.as_bytes(), &what, io, log)
}

/// Input-level problems after which the deep check has nothing sound to read.
fn unreadable(d: &Diagnostic) -> bool {
    matches!(
        d.code,
        Code::FileTooLarge
            | Code::InvalidUtf8
            | Code::ControlCharacter
            | Code::EmptyFile
            | Code::YamlSyntax
            | Code::TabIndentation
            | Code::NestingTooDeep
            | Code::AliasLimit
            | Code::UnknownAnchor
            | Code::MultipleDocuments
    )
}

fn validate_prov_template(
    ws: &Workspace,
    env: &Env,
    file: &ConfigFile,
    config: &Config,
    format: Format,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let path = ws.templates().join(format!("{}-template.yaml", file.stem));
    let shown = path
        .strip_prefix(&env.cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    let (bytes, oversize) = match read_bounded(&path, template_check::MAX_TEMPLATE_BYTES) {
        Ok(read) => read,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return usage(
                io,
                log,
                &format!("there is no template at {shown}"),
                &format!(
                    "create it first: ml-provisioner -con {} -act create-prov-template",
                    file.display
                ),
            );
        }
        Err(error) => {
            let message = format!("cannot read {shown}: {error}");
            log.line(&format!("error: {message}"));
            let _ = writeln!(io.err, "error: {message}");
            return Exit::Io;
        }
    };
    log.line(&format!("template {shown}"));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut diagnostics = match oversize {
        Some(size) => vec![yaml::too_large_for(
            size,
            template_check::MAX_TEMPLATE_BYTES,
        )],
        None => template_check::check_template(&bytes).diagnostics,
    };
    if !diagnostics.iter().any(unreadable) {
        let deep = DeepChecker::new()
            .and_then(|checker| checker.check(&bytes, &text, &shown, &config.environment.region));
        match deep {
            Ok(found) => {
                let index = LineIndex::new(&text);
                let line = |d: &Diagnostic| index.line_col(&text, d.span.start).0;
                // The light checks are more precise where they overlap: drop a deep finding of a
                // class they own once they reported it, or on a line they already flagged.
                let owned = [
                    Code::UnknownReference,
                    Code::UnknownAttribute,
                    Code::DependencyCycle,
                    Code::NameTooLong,
                    Code::YamlSyntax,
                ];
                let light: Vec<(Code, usize)> = diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| (d.code, line(d)))
                    .collect();
                for d in found {
                    let same_class =
                        owned.contains(&d.code) && light.iter().any(|(code, _)| *code == d.code);
                    let same_line = light.iter().any(|(_, l)| *l == line(&d));
                    if !same_class && !same_line {
                        diagnostics.push(d);
                    }
                }
            }
            Err(error) => {
                let message = format!("the deep template check could not run: {error}");
                log.line(&format!("error: {message}"));
                let _ = writeln!(
                    io.err,
                    "error: {message}\n  hint: the light checks ran; please report this with the template"
                );
                return Exit::Invalid;
            }
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    let (errors, _) = render::counts(&diagnostics);
    let state = if errors == 0 { "valid" } else { "invalid" };
    let verdict = format!("{shown}: {state} ({})", summary(&diagnostics));
    report(
        format,
        FileDiagnostics {
            path: &shown,
            text: &text,
            diagnostics: &diagnostics,
        },
        &verdict,
        io,
        log,
    );
    if errors == 0 { Exit::Ok } else { Exit::Invalid }
}

/// The time a report shows: `SOURCE_DATE_EPOCH` when set (reproducible output), else now.
fn report_time(env: &Env) -> Result<String, String> {
    match &env.source_date_epoch {
        None => Ok(utc_iso(env.now)),
        Some(raw) => raw
            .trim()
            .parse::<u64>()
            .map(|secs| utc_iso(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)))
            .map_err(|_| format!("SOURCE_DATE_EPOCH is '{raw}', not a number of seconds")),
    }
}

fn create_review_report(
    ws: &Workspace,
    env: &Env,
    file: &ConfigFile,
    checked: &CheckedConfig,
    config: &Config,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let generated_at = match report_time(env) {
        Ok(time) => time,
        Err(message) => {
            return usage(
                io,
                log,
                &message,
                "set it to seconds since 1970-01-01 UTC (e.g. SOURCE_DATE_EPOCH=$(date +%s)) or unset it",
            );
        }
    };
    let input = report::ReportInput {
        config,
        config_bytes: &file.bytes,
        config_file: &file.file_name,
        config_stem: &file.stem,
        config_diagnostics: &checked.diagnostics,
        generated_at: &generated_at,
        tool_version: ml_provisioner_core::VERSION,
        // A source build carries no Marketplace product code (see create-policy).
        policy_options: policy::PolicyOptions {
            checks_subscription: false,
        },
    };
    let rendered = match report::render(&input) {
        Ok(rendered) => rendered,
        Err(error) => return internal_error(&format!("{error:?}"), io, log),
    };
    // The report describes the template generated from this config; say so when the file on
    // disk (which deploy-product would use) has other bytes.
    let template_path = ws.templates().join(format!("{}-template.yaml", file.stem));
    if let Ok((bytes, None)) = read_bounded(&template_path, template_check::MAX_TEMPLATE_BYTES)
        && bytes != rendered.template.yaml.as_bytes()
    {
        let shown = template_path
            .strip_prefix(&env.cwd)
            .unwrap_or(&template_path)
            .display()
            .to_string();
        let message = format!(
            "warning: {shown} differs from the template this config generates (SHA-256 {} vs {}); the report describes the generated one",
            report::sha256_hex(&bytes),
            rendered.template_sha256
        );
        log.line(&message);
        let _ = writeln!(
            io.err,
            "{message}\n  hint: run -act create-prov-template to replace the file, or review your edits separately"
        );
    }
    let path = ws
        .reports()
        .join(format!("{}-review-report.html", file.stem));
    let what = format!(
        "({} bytes, template SHA-256 {})",
        rendered.html.len(),
        rendered.template_sha256
    );
    write_output(env, &path, rendered.html.as_bytes(), &what, io, log)
}
