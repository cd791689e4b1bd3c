//! `--all`: one per-config action over every config in the configs folder, in one process (so
//! the deep template validator starts once). A config that is invalid, unreadable or missing its
//! template is reported and the others still run. The output is one document: a summary table
//! (after each config's diagnostics), one JSON document, or one SARIF log with one run; the exit
//! code is the worst result's.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use ml_provisioner_core::files;
use ml_provisioner_core::render::{self, FileDiagnostics, Unchecked};
use serde_json::{Value, json};

use super::{ConfigAction, Ctx, Failure, Outcome, fail, pretty, run_one, text_table};
use crate::Output;
use crate::args::Format;
use crate::exit::Exit;
use crate::workspace::{ConfigError, RunLog, read_config};

/// One config's result: its outcome, or why the action could not run on it.
struct Row {
    config: String,
    result: Result<Outcome, Failure>,
}

impl Row {
    fn exit(&self) -> Exit {
        match &self.result {
            Ok(outcome) => outcome.exit,
            Err(failure) => failure.exit,
        }
    }

    fn counts(&self) -> Option<(usize, usize)> {
        let outcome = self.result.as_ref().ok()?;
        outcome
            .diagnosed
            .as_ref()
            .map(|d| render::counts(&d.diagnostics))
    }

    /// What happened, without the config's path (the table names it).
    fn detail(&self) -> String {
        match &self.result {
            Ok(outcome) => {
                let verdict = &outcome.verdict;
                verdict
                    .split_once(": ")
                    .filter(|(head, _)| !head.contains(' '))
                    .map_or(verdict.as_str(), |(_, rest)| rest)
                    .to_owned()
            }
            Err(failure) => failure.message.clone(),
        }
    }
}

/// The word for a result in the table and the JSON document.
fn label(exit: Exit) -> &'static str {
    match exit {
        Exit::Ok => "ok",
        Exit::Invalid => "invalid",
        Exit::Usage => "refused",
        Exit::Io => "io-error",
        Exit::Internal => "internal-error",
        Exit::Aws => "aws-error",
        Exit::Subscription => "not-entitled",
        Exit::Drift => "drift",
    }
}

/// The config files of the configs folder, sorted by name.
fn config_files(ctx: &Ctx<'_>) -> Result<Vec<PathBuf>, Failure> {
    let dir = ctx.ws.configs();
    let shown = ctx.shown(&dir);
    let entries = std::fs::read_dir(&dir).map_err(|error| {
        let exit = if error.kind() == std::io::ErrorKind::NotFound {
            Exit::Usage
        } else {
            Exit::Io
        };
        Failure::new(
            exit,
            format!("cannot list the configs folder {shown}: {error}"),
            "--all runs every *.yaml in the configs folder ($ML_PROVISIONER_HOME/configs, else ./ml/configs); create it and put the configs there",
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(files::is_config_file_name)
        })
        .map(|e| e.path())
        .filter(|p| !p.is_dir())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Failure::usage(
            format!("there are no configs (*.yaml, *.yml) in {shown}"),
            "copy one from examples/configs/, or pass a single config with -con",
        ));
    }
    Ok(paths)
}

pub(super) fn run(
    action: ConfigAction,
    format: Format,
    ctx: &Ctx<'_>,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let paths = match config_files(ctx) {
        Ok(paths) => paths,
        Err(failure) => return fail(io, log, &failure),
    };
    let rows = run_all(action, ctx, &paths);
    for row in &rows {
        log.line(&format!("config {}", row.config));
    }
    let worst = rows
        .iter()
        .fold(Exit::Ok, |worst, row| worst.worse(row.exit()));
    let table = table(&rows, worst);
    for row in &rows {
        let problems: Vec<(&str, &str, &str)> = match &row.result {
            Ok(outcome) => outcome
                .warnings
                .iter()
                .map(|w| ("warning", w.message.as_str(), w.hint.as_str()))
                .collect(),
            Err(failure) => vec![("error", failure.message.as_str(), failure.hint.as_str())],
        };
        for (level, message, hint) in problems {
            log.line(&format!("{level}: {}: {message}", row.config));
            let _ = writeln!(io.err, "{level}: {}: {message}\n  hint: {hint}", row.config);
        }
    }
    let diagnosed: Vec<FileDiagnostics<'_>> = rows
        .iter()
        .filter_map(|row| row.result.as_ref().ok()?.diagnosed.as_ref())
        .map(|d| d.file())
        .collect();
    let rendered: String = diagnosed
        .iter()
        .filter(|file| !file.diagnostics.is_empty())
        .map(render::render_text)
        .collect();
    log.line(&rendered);
    log.line(&table);
    let printed = match format {
        Format::Text => format!("{rendered}{table}"),
        Format::Json => {
            let configs: Vec<Value> = rows
                .iter()
                .map(|row| match &row.result {
                    Ok(outcome) => outcome_json(&row.config, outcome),
                    Err(failure) => json!({
                        "config": row.config,
                        "result": label(failure.exit),
                        "exit_code": failure.exit.code(),
                        "message": failure.message,
                        "hint": failure.hint,
                        "wrote": [],
                    }),
                })
                .collect();
            pretty(&json!({
                "action": action.action().name(),
                "exit_code": worst.code(),
                "configs": configs,
                "files": render::json_files(&diagnosed),
            }))
        }
        Format::Sarif => {
            let unchecked: Vec<Unchecked<'_>> = rows
                .iter()
                .filter_map(|row| {
                    let failure = row.result.as_ref().err()?;
                    Some(Unchecked {
                        path: &row.config,
                        message: &failure.message,
                    })
                })
                .collect();
            let root = ctx.env.cwd.to_string_lossy();
            render::render_sarif(&diagnosed, &super::sarif_run(&root, &unchecked))
        }
    };
    let _ = io.out.write_all(printed.as_bytes());
    worst
}

/// Runs the action on every config, on as many threads as there are cores (the configs are
/// independent; the deep validator is shared and built once). Rows come back in `paths` order.
fn run_all(action: ConfigAction, ctx: &Ctx<'_>, paths: &[PathBuf]) -> Vec<Row> {
    let one = |path: &PathBuf| {
        let config = ctx.shown(path);
        let result = read_config(path, ctx.env)
            .map_err(|error| match error {
                ConfigError::Io { error, .. } => Failure::new(
                    Exit::Io,
                    format!("cannot read {config}: {error}"),
                    "check the file's permissions; skipped",
                ),
                ConfigError::NotFound { message, hint } => Failure::usage(message, hint),
            })
            .and_then(|file| run_one(action, ctx, &file));
        Row { config, result }
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(paths.len());
    if workers <= 1 {
        return paths.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Row)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else {
                            return mine;
                        };
                        mine.push((i, one(path)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    let mut done = done.into_iter().peekable();
    // A worker that panicked lost its rows: each becomes an internal failure, never a gap.
    (0..paths.len())
        .map(|i| match done.next_if(|(j, _)| *j == i) {
            Some((_, row)) => row,
            None => Row {
                config: ctx.shown(&paths[i]),
                result: Err(Failure::internal(
                    "the run on this config stopped unexpectedly",
                )),
            },
        })
        .collect()
}

/// One config's outcome as JSON (also the single-config JSON of the generators).
pub(super) fn outcome_json(config: &str, outcome: &Outcome) -> Value {
    let (errors, warnings) = outcome
        .diagnosed
        .as_ref()
        .map_or((0, 0), |d| render::counts(&d.diagnostics));
    let mut value = json!({
        "config": config,
        "result": label(outcome.exit),
        "exit_code": outcome.exit.code(),
        "message": outcome.verdict,
        "errors": errors,
        "warnings": warnings,
        "wrote": outcome.wrote,
    });
    if !outcome.warnings.is_empty() {
        value["notes"] = json!(
            outcome
                .warnings
                .iter()
                .map(|w| json!({ "message": w.message, "hint": w.hint }))
                .collect::<Vec<_>>()
        );
    }
    value
}

/// The summary table and its last line.
fn table(rows: &[Row], worst: Exit) -> String {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            let (errors, warnings) = row
                .counts()
                .map_or(("-".to_owned(), "-".to_owned()), |(e, w)| {
                    (e.to_string(), w.to_string())
                });
            [
                row.config.clone(),
                label(row.exit()).to_owned(),
                errors,
                warnings,
                row.detail(),
            ]
        })
        .collect();
    let mut out = text_table(
        ["CONFIG", "RESULT", "ERRORS", "WARNINGS", "DETAIL"],
        &cells,
        &[2, 3],
    );
    let ok = rows.iter().filter(|r| r.exit() == Exit::Ok).count();
    out.push_str(&format!(
        "\n{} configs: {ok} ok, {} not; exit code {}\n",
        rows.len(),
        rows.len() - ok,
        worst.code()
    ));
    out
}
