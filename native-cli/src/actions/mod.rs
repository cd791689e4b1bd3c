//! The actions. [`dispatch`] checks the flags against the action, then runs it: the listing
//! (`list-products`), the per-config actions (one config, or every config with `--all`) and the
//! AWS actions. Each action returns an [`Outcome`] or a [`Failure`]; printing is done here, in
//! one place per form (single config, `--all`), so every action reports the same way.

mod aws;
#[cfg(test)]
mod aws_tests;
mod batch;
mod change_set;
mod check;
mod deploy;
mod examples;
mod generate;
mod inspect;
mod listing;
mod progress;

use ml_provisioner_core::render::{self, FileDiagnostics};
use ml_provisioner_core::{CheckedConfig, Config, Diagnostic, check_config, yaml};
use serde_json::Value;

use crate::Output;
use crate::args::{Action, Cli, Format};
use crate::exit::Exit;
use crate::workspace::{ConfigError, ConfigFile, Env, RunLog, Workspace, find_config, read_config};

/// What a run needs besides the printer and the log.
pub(crate) struct Ctx<'a> {
    pub ws: &'a Workspace,
    pub env: &'a Env,
}

impl Ctx<'_> {
    /// A path as the user sees it: relative to the current folder when below it.
    pub fn shown(&self, path: &std::path::Path) -> String {
        path.strip_prefix(&self.env.cwd)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Why a run stopped: what failed, what to do, and the exit code. Printed by [`fail`].
#[derive(Debug)]
pub(crate) struct Failure {
    pub message: String,
    pub hint: String,
    pub exit: Exit,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            hint: hint.into(),
            exit,
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message, hint)
    }

    /// A failure inside the tool (a generator, the bundled validator): not the user's input.
    pub fn internal(what: impl Into<String>) -> Failure {
        Failure::new(
            Exit::Internal,
            format!("internal error: {}; nothing written", what.into()),
            "please report this with the config",
        )
    }
}

/// The one printer for failures: `error: …` and `hint: …` on stderr and in the log.
pub(crate) fn fail(io: &mut Output<'_>, log: &mut RunLog, failure: &Failure) -> Exit {
    log.line(&format!("error: {}", failure.message));
    let _ = writeln!(
        io.err,
        "error: {}\n  hint: {}",
        failure.message, failure.hint
    );
    failure.exit
}

/// The diagnostics of one file (the config, or the template), with its text.
#[derive(Debug)]
pub(crate) struct Diagnosed {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Diagnosed {
    pub fn file(&self) -> FileDiagnostics<'_> {
        FileDiagnostics {
            path: &self.path,
            text: &self.text,
            diagnostics: &self.diagnostics,
        }
    }
}

/// A warning for stderr (message and hint), e.g. an edited template.
#[derive(Debug)]
pub(crate) struct Warning {
    pub message: String,
    pub hint: String,
}

/// What one per-config action did.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub exit: Exit,
    /// The file whose diagnostics the action shows.
    pub diagnosed: Option<Diagnosed>,
    /// One line saying what happened.
    pub verdict: String,
    /// Files written, as shown to the user.
    pub wrote: Vec<String>,
    pub warnings: Vec<Warning>,
    /// A listing (show-product): text and JSON forms.
    pub listing: Option<(String, Value)>,
}

impl Outcome {
    pub fn new(exit: Exit, verdict: impl Into<String>) -> Outcome {
        Outcome {
            exit,
            diagnosed: None,
            verdict: verdict.into(),
            wrote: Vec::new(),
            warnings: Vec::new(),
            listing: None,
        }
    }
}

/// The actions that work on a config (one, or every config with `--all`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfigAction {
    ValidateConfig,
    ShowProduct,
    CreatePolicy,
    CreateProvTemplate,
    ValidateProvTemplate,
    CreateReviewReport,
}

impl ConfigAction {
    fn action(self) -> Action {
        match self {
            ConfigAction::ValidateConfig => Action::ValidateConfig,
            ConfigAction::ShowProduct => Action::ShowProduct,
            ConfigAction::CreatePolicy => Action::CreatePolicy,
            ConfigAction::CreateProvTemplate => Action::CreateProvTemplate,
            ConfigAction::ValidateProvTemplate => Action::ValidateProvTemplate,
            ConfigAction::CreateReviewReport => Action::CreateReviewReport,
        }
    }
}

/// Runs the action the command line names. The match is exhaustive: a new [`Action`] does not
/// compile until it is handled here.
pub fn dispatch(
    cli: &Cli,
    ws: &Workspace,
    env: &Env,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    if let Err(failure) = check_flags(cli) {
        return fail(io, log, &failure);
    }
    let ctx = Ctx { ws, env };
    if let Err(failure) = aws::subscription_for_local(cli, &ctx, log) {
        return fail(io, log, &failure);
    }
    let per_config = |action: ConfigAction, io: &mut Output<'_>, log: &mut RunLog| {
        if cli.all {
            batch::run(action, cli.format, &ctx, io, log)
        } else {
            single(action, cli, &ctx, io, log)
        }
    };
    match cli.action {
        Action::ListProducts => listing::list_products(cli.format, &env.build, io, log),
        Action::CopyExamples => examples::copy_examples(&ctx, io, log),
        Action::ValidateConfig => per_config(ConfigAction::ValidateConfig, io, log),
        Action::ShowProduct => per_config(ConfigAction::ShowProduct, io, log),
        Action::CreatePolicy => per_config(ConfigAction::CreatePolicy, io, log),
        Action::CreateProvTemplate => per_config(ConfigAction::CreateProvTemplate, io, log),
        Action::ValidateProvTemplate => per_config(ConfigAction::ValidateProvTemplate, io, log),
        Action::CreateReviewReport => per_config(ConfigAction::CreateReviewReport, io, log),
        Action::ShowChanges
        | Action::CheckDrift
        | Action::TestDeploy
        | Action::DeployProduct
        | Action::DeleteProduct => aws::run(cli, &ctx, io, log),
    }
}

/// Which flags an action takes.
struct Takes {
    config: bool,
    all: bool,
    formats: &'static [Format],
    force: bool,
    dry_run: bool,
    /// `--endpoint-url` and `--profile`.
    endpoint_url: bool,
    expect_sha256: bool,
    test_suffix: bool,
}

fn takes(action: Action) -> Takes {
    use Format::{Json, Sarif, Text};
    let local = |all: bool, formats: &'static [Format]| Takes {
        config: true,
        all,
        formats,
        force: false,
        dry_run: false,
        endpoint_url: false,
        expect_sha256: false,
        test_suffix: false,
    };
    let aws = |mutating: bool| Takes {
        config: true,
        all: false,
        formats: &[Text],
        force: mutating,
        dry_run: mutating,
        endpoint_url: true,
        expect_sha256: false,
        test_suffix: false,
    };
    match action {
        Action::ListProducts => Takes {
            config: false,
            ..local(false, &[Text, Json])
        },
        Action::CopyExamples => Takes {
            config: false,
            ..local(false, &[Text])
        },
        Action::ValidateConfig | Action::ValidateProvTemplate => local(true, &[Text, Json, Sarif]),
        Action::ShowProduct => local(false, &[Text, Json]),
        Action::CreatePolicy | Action::CreateProvTemplate | Action::CreateReviewReport => {
            local(true, &[Text, Json])
        }
        Action::ShowChanges | Action::CheckDrift | Action::TestDeploy => aws(false),
        Action::DeployProduct => Takes {
            expect_sha256: true,
            ..aws(true)
        },
        Action::DeleteProduct => Takes {
            test_suffix: true,
            ..aws(true)
        },
    }
}

/// Refuses flags the action does not use (usage error), so nothing is silently ignored.
fn check_flags(cli: &Cli) -> Result<(), Failure> {
    let name = cli.action.name();
    let takes = takes(cli.action);
    let refuse = |flag: &str, who: &str| {
        Err(Failure::usage(
            format!("{flag} is not used by {name}"),
            format!("remove {flag}; it is for {who}"),
        ))
    };
    if cli.force && !takes.force {
        return refuse("--force", "deploy-product and delete-product");
    }
    if cli.dry_run && !takes.dry_run {
        return refuse("--dry-run", "deploy-product and delete-product");
    }
    const AWS_ACTIONS: &str =
        "the AWS actions (show-changes, check-drift, test-deploy, deploy-product, delete-product)";
    if cli.endpoint_url.is_some() && !takes.endpoint_url {
        return refuse("--endpoint-url", AWS_ACTIONS);
    }
    if cli.profile.is_some() && !takes.endpoint_url {
        return refuse("--profile", AWS_ACTIONS);
    }
    if cli.expect_sha256.is_some() && !takes.expect_sha256 {
        return refuse("--expect-sha256", "deploy-product");
    }
    if cli.test_suffix.is_some() && !takes.test_suffix {
        return refuse("--test-suffix", "delete-product");
    }
    if cli.all && !takes.all {
        return refuse(
            "--all",
            "validate-config, create-policy, create-prov-template, validate-prov-template and create-review-report",
        );
    }
    if !takes.formats.contains(&cli.format) {
        let formats: Vec<&str> = takes.formats.iter().map(|f| f.name()).collect();
        return Err(Failure::usage(
            format!("--format {} is not available for {name}", cli.format.name()),
            format!("use --format {}", formats.join(" or --format ")),
        ));
    }
    if cli.config.is_some() && !takes.config {
        return refuse("--config", "the actions that work on a config");
    }
    if takes.config && cli.config.is_none() && !cli.all {
        let or_all = if takes.all {
            ", or --all for every config in the configs folder"
        } else {
            ""
        };
        return Err(Failure::usage(
            format!("{name} needs a config: -con <file>"),
            format!(
                "pass a file name from the configs folder or a path, e.g. -con examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml{or_all}"
            ),
        ));
    }
    Ok(())
}

/// One config: find and read it, run the action, print the outcome.
fn single(
    action: ConfigAction,
    cli: &Cli,
    ctx: &Ctx<'_>,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let name = cli.config.as_deref().unwrap_or_default();
    let file = match load(ctx, name) {
        Ok(file) => file,
        Err(failure) => return fail(io, log, &failure),
    };
    log.line(&format!("config {}", file.display));
    match run_one(action, ctx, &file) {
        Ok(outcome) => print_single(cli.format, &file.display, &ctx.env.cwd, &outcome, io, log),
        Err(failure) => fail(io, log, &failure),
    }
}

/// Finds and reads a config by name or path.
fn load(ctx: &Ctx<'_>, name: &str) -> Result<ConfigFile, Failure> {
    match find_config(ctx.ws, ctx.env, name).and_then(|path| read_config(&path, ctx.env)) {
        Ok(file) => Ok(file),
        Err(ConfigError::NotFound { message, hint }) => Err(Failure::usage(message, hint)),
        Err(ConfigError::Io { path, error }) => Err(Failure::new(
            Exit::Io,
            format!("cannot read {}: {error}", ctx.shown(&path)),
            "check the file's permissions (the configs folder may be mounted read-only, but must be readable)",
        )),
    }
}

/// Checks a config file's bytes (an oversize file is refused without parsing it).
fn check(file: &ConfigFile) -> CheckedConfig {
    match file.oversize {
        Some(size) => CheckedConfig {
            config: None,
            diagnostics: vec![yaml::too_large(size)],
        },
        None => check_config(&file.bytes, &file.file_name),
    }
}

/// Runs one per-config action on a config that was read.
pub(crate) fn run_one(
    action: ConfigAction,
    ctx: &Ctx<'_>,
    file: &ConfigFile,
) -> Result<Outcome, Failure> {
    let checked = check(file);
    // Every action but validate-config needs a valid config; an invalid one is refused, and so
    // is a tier this build may not provision.
    let valid = |act: &dyn Fn(&Config) -> Result<Outcome, Failure>| match &checked.config {
        Some(config) if !ctx.env.build.allows(config.tier()) => {
            Err(aws::tier_refused(&ctx.env.build, config))
        }
        Some(config) => act(config),
        None => Ok(check::refuse_invalid(file, &checked)),
    };
    match action {
        ConfigAction::ValidateConfig => Ok(check::validate_config(file, &checked)),
        ConfigAction::ShowProduct => valid(&|config| Ok(listing::show_product(config))),
        ConfigAction::CreatePolicy => valid(&|config| generate::create_policy(ctx, file, config)),
        ConfigAction::CreateProvTemplate => {
            valid(&|config| generate::create_prov_template(ctx, file, config))
        }
        ConfigAction::ValidateProvTemplate => {
            valid(&|config| check::validate_prov_template(ctx, file, config))
        }
        ConfigAction::CreateReviewReport => {
            valid(&|config| generate::create_review_report(ctx, file, &checked, config))
        }
    }
}

/// Prints one config's outcome in the asked format and logs it.
fn print_single(
    format: Format,
    config: &str,
    cwd: &std::path::Path,
    outcome: &Outcome,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    for warning in &outcome.warnings {
        log.line(&format!("warning: {}", warning.message));
        let _ = writeln!(
            io.err,
            "warning: {}\n  hint: {}",
            warning.message, warning.hint
        );
    }
    if let Some((text, value)) = &outcome.listing {
        log.line(text);
        let printed = match format {
            Format::Json => pretty(value),
            Format::Text | Format::Sarif => text.clone(),
        };
        let _ = io.out.write_all(printed.as_bytes());
        return outcome.exit;
    }
    let rendered = outcome
        .diagnosed
        .as_ref()
        .map(|d| render::render_text(&d.file()))
        .unwrap_or_default();
    log.line(&rendered);
    log.line(&outcome.verdict);
    let printed = match (format, &outcome.diagnosed) {
        (Format::Json, Some(d)) => render::render_json(&[d.file()]),
        (Format::Sarif, Some(d)) => {
            let root = cwd.to_string_lossy();
            render::render_sarif(&[d.file()], &sarif_run(&root, &[]))
        }
        (Format::Json, None) => pretty(&batch::outcome_json(config, outcome)),
        _ => format!("{rendered}{}\n", outcome.verdict),
    };
    let _ = io.out.write_all(printed.as_bytes());
    outcome.exit
}

/// The SARIF log's settings: relative URIs are relative to the working directory, the folder
/// the paths the user gave and sees are relative to (docs/diagnostics.md, "SARIF").
pub(crate) fn sarif_run<'a>(
    cwd: &'a str,
    unchecked: &'a [render::Unchecked<'a>],
) -> render::SarifRun<'a> {
    render::SarifRun {
        tool_version: ml_provisioner_core::VERSION,
        src_root: Some(cwd),
        unchecked,
    }
}

/// Pretty JSON with a final newline.
pub(crate) fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// "3 errors, 1 warning".
pub(crate) fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = render::counts(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// A plain-text table: columns two spaces apart, padded to their widest cell (the last column
/// is not padded); the columns listed in `right` are right-aligned (numbers).
pub(crate) fn text_table<const N: usize>(
    header: [&str; N],
    rows: &[[String; N]],
    right: &[usize],
) -> String {
    let header = header.map(str::to_owned);
    let mut widths = [0; N];
    for row in std::iter::once(&header).chain(rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if right.contains(&i) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < N {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
