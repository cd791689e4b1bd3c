use std::process::ExitCode;

use ml_provisioner_cli::workspace::Env;
use ml_provisioner_cli::{Output, run};

/// The static (musl) build's allocator: see Cargo.toml.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let env = match Env::from_process() {
        Ok(env) => env,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return ExitCode::from(6);
        }
    };
    // stderr is not held locked for the run: the live progress bar (indicatif) draws to it from
    // its own thread, which would wait for the lock forever.
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr());
    let exit = run(
        std::env::args_os(),
        &env,
        &mut Output {
            out: &mut out,
            err: &mut err,
        },
    );
    ExitCode::from(exit.code())
}
