use std::process::ExitCode;

use ml_provisioner_cli::workspace::Env;
use ml_provisioner_cli::{Output, run};

fn main() -> ExitCode {
    let env = match Env::from_process() {
        Ok(env) => env,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return ExitCode::from(6);
        }
    };
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
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
