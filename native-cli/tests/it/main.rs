//! CLI tests: the real `run` with injected folders and clock, plus a few through the built
//! binary. One test binary (STYLE.md habit 6).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod actions;
mod aws;
mod aws_policy;
mod batch;
mod browser;
mod generated;
mod process;

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use ml_provisioner_cli::build::Build;
use ml_provisioner_cli::exit::Exit;
use ml_provisioner_cli::workspace::Env;
use ml_provisioner_cli::{Output, run};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

pub struct Ran {
    pub exit: Exit,
    pub out: String,
    pub err: String,
}

/// Runs the CLI in `dir` (cwd), with `dir/home` as `ML_PROVISIONER_HOME`, at a fixed time.
pub fn run_in(dir: &Path, args: &[&str]) -> Ran {
    run_with_epoch(dir, None, args)
}

/// [`run_in`] with `SOURCE_DATE_EPOCH` set to `epoch`.
pub fn run_with_epoch(dir: &Path, epoch: Option<&str>, args: &[&str]) -> Ran {
    run_env(dir, epoch, Build::default(), args)
}

/// [`run_in`] as a build that carries `build` (a tier limit, a product code).
pub fn run_as_build(dir: &Path, build: Build, args: &[&str]) -> Ran {
    run_env(dir, None, build, args)
}

fn run_env(dir: &Path, epoch: Option<&str>, build: Build, args: &[&str]) -> Ran {
    let env = Env {
        home: Some(PathBuf::from("home")),
        cwd: dir.to_owned(),
        now: UNIX_EPOCH + Duration::from_secs(1_795_854_000),
        source_date_epoch: epoch.map(str::to_owned),
        build,
        seed: 1,
        interactive: false,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("ml-provisioner")
        .chain(args.iter().copied())
        .map(Into::into);
    let exit = run(
        argv,
        &env,
        &mut Output {
            out: &mut out,
            err: &mut err,
        },
    );
    Ran {
        exit,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

/// Every file below `dir`, relative, sorted.
pub fn files_below(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A temporary working folder with the examples in `home/configs`.
pub fn workdir_with_examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let configs = dir.path().join("home/configs");
    std::fs::create_dir_all(&configs).unwrap();
    for entry in std::fs::read_dir(repo_root().join("examples/configs")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, configs.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

pub const STARTER: &str = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml";
pub const ENTERPRISE: &str =
    "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml";
