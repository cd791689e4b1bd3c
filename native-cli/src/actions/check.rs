//! `validate-config` and `validate-prov-template`, and the refusal of an invalid config.

use ml_provisioner_core::files::Output as OutputFile;
use ml_provisioner_core::{CheckedConfig, Config, catalog, render, template_check, yaml};

use super::{Ctx, Diagnosed, Failure, Outcome, summary};
use crate::deep_check::{self, DeepChecker};
use crate::exit::Exit;
use crate::workspace::{ConfigFile, read_bounded};

fn diagnosed(file: &ConfigFile, checked: &CheckedConfig) -> Diagnosed {
    Diagnosed {
        path: file.display.clone(),
        text: String::from_utf8_lossy(&file.bytes).into_owned(),
        diagnostics: checked.diagnostics.clone(),
    }
}

pub(super) fn validate_config(file: &ConfigFile, checked: &CheckedConfig) -> Outcome {
    let diagnostics = &checked.diagnostics;
    let (exit, verdict) = match &checked.config {
        Some(config) => (
            Exit::Ok,
            format!(
                "{}: valid — {} tier, {} resources, stack {} ({})",
                file.display,
                config.tier().as_str(),
                catalog::plan(config, &config.names()).len(),
                config.names().stack_name(),
                summary(diagnostics)
            ),
        ),
        None => (
            Exit::Invalid,
            format!("{}: invalid ({})", file.display, summary(diagnostics)),
        ),
    };
    let mut outcome = Outcome::new(exit, verdict);
    outcome.diagnosed = Some(diagnosed(file, checked));
    outcome
}

/// The outcome of an action that needs a valid config, given an invalid one.
pub(super) fn refuse_invalid(file: &ConfigFile, checked: &CheckedConfig) -> Outcome {
    let verdict = format!(
        "{}: invalid ({}); nothing done",
        file.display,
        summary(&checked.diagnostics)
    );
    let mut outcome = Outcome::new(Exit::Invalid, verdict);
    outcome.diagnosed = Some(diagnosed(file, checked));
    outcome
}

/// Validates the template file on disk: the core's light checks, then the deep check unless the
/// file cannot be read further; the two merged by [`deep_check::merge`].
pub(super) fn validate_prov_template(
    ctx: &Ctx<'_>,
    file: &ConfigFile,
    config: &Config,
) -> Result<Outcome, Failure> {
    let path = ctx.ws.root.join(OutputFile::Template.path(&file.stem));
    let shown = ctx.shown(&path);
    let (bytes, oversize) = match read_bounded(&path, template_check::MAX_TEMPLATE_BYTES) {
        Ok(read) => read,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::usage(
                format!("there is no template at {shown}"),
                format!(
                    "create it first: ml-provisioner -con {} -act create-prov-template",
                    file.display
                ),
            ));
        }
        Err(error) => {
            return Err(Failure::new(
                Exit::Io,
                format!("cannot read {shown}: {error}"),
                "check the file's permissions",
            ));
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let light = match oversize {
        Some(size) => vec![yaml::too_large_for(
            size,
            template_check::MAX_TEMPLATE_BYTES,
        )],
        None => template_check::check_template(&bytes).diagnostics,
    };
    let diagnostics = if light.iter().any(deep_check::unreadable) {
        light
    } else {
        let deep = DeepChecker::new()
            .and_then(|checker| checker.check(&bytes, &text, &shown, &config.environment.region))
            .map_err(|error| {
                Failure::new(
                    Exit::Internal,
                    format!("the deep template check could not run: {error}"),
                    "the light checks ran; please report this with the template",
                )
            })?;
        deep_check::merge(light, deep, &text)
    };
    let (errors, _) = render::counts(&diagnostics);
    let state = if errors == 0 { "valid" } else { "invalid" };
    let verdict = format!("{shown}: {state} ({})", summary(&diagnostics));
    let mut outcome = Outcome::new(if errors == 0 { Exit::Ok } else { Exit::Invalid }, verdict);
    outcome.diagnosed = Some(Diagnosed {
        path: shown,
        text,
        diagnostics,
    });
    Ok(outcome)
}
