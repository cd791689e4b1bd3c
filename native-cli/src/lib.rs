//! The `ml-provisioner` command: argument handling, file I/O and the AWS calls (`aws/`), around
//! the pure core. `main` only wires the real process to [`run`]; `actions/` holds the actions and
//! their printing.

mod actions;
pub mod args;
mod aws;
pub mod build;
mod deep_check;
pub mod exit;
pub mod workspace;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use ml_provisioner_core::files;

use crate::args::{Cli, normalize};
use crate::exit::Exit;
use crate::workspace::{Env, RunLog, Workspace};

/// Where a run writes what it prints.
pub struct Output<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// Runs one command line. Never panics on user input; returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>, env: &Env, io: &mut Output<'_>) -> Exit {
    let cli = match Cli::try_parse_from(normalize(args)) {
        Ok(cli) => cli,
        // `--version` also says what this build may do (tier limit, subscription check); a
        // build whose tier limit names no tier fails it, so an image build can check itself.
        Err(error) if error.kind() == clap::error::ErrorKind::DisplayVersion => {
            let _ = write!(io.out, "{}", env.build.version_text());
            return if env.build.bad_tier_limit.is_some() {
                Exit::Subscription
            } else {
                Exit::Ok
            };
        }
        Err(error) => {
            let exit = if error.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            let target: &mut dyn Write = if error.use_stderr() { io.err } else { io.out };
            let _ = write!(target, "{}", error.render());
            return exit;
        }
    };
    let ws = Workspace::new(env);
    // The run log is named after the config (`--all`: "all").
    let stem = match (&cli.config, cli.all) {
        (Some(c), _) => c
            .rsplit(['/', std::path::MAIN_SEPARATOR])
            .next()
            .map(files::config_stem)
            .filter(|s| !s.is_empty())
            .unwrap_or("ml-provisioner"),
        (None, true) => "all",
        (None, false) => "ml-provisioner",
    };
    let mut log = RunLog::new(&ws, stem, cli.action.name(), env.now);
    log.line(&format!("working folder {}", ws.root.display()));
    let exit = actions::dispatch(&cli, &ws, env, io, &mut log);
    match log.finish(exit.code()) {
        Ok(path) => {
            let _ = writeln!(
                io.err,
                "log: {}",
                path.strip_prefix(&env.cwd).unwrap_or(&path).display()
            );
            exit
        }
        Err(error) => {
            let _ = writeln!(
                io.err,
                "error: cannot write the run log in {}: {error}\n  hint: make the reports folder writable (mount it without :ro)",
                ws.reports().display()
            );
            if exit == Exit::Ok { Exit::Io } else { exit }
        }
    }
}
