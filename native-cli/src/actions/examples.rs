//! `copy-examples`: the shipped example configs (the core's `examples`, the same files as
//! `examples/configs/` and the image's `/app/configs`) written into the configs folder, so a
//! user of the image can start from one ("copied from the Docker image and adjusted"). Only the
//! tiers this build may provision; a file already there is never overwritten.
//!
//! The examples' first line names the schema for editors (yaml-language-server's modeline) by its
//! path in the repository, which does not exist in a user's folder. So the copies name
//! [`SCHEMA_FILE`] beside them instead, and the schema is written there too, under the same rule
//! (docs/editor.md).

use ml_provisioner_core::Tier;
use ml_provisioner_core::examples::EXAMPLES;
use ml_provisioner_core::schema::{EDITOR_MODELINE, SCHEMA_FILE, SCHEMA_JSON};

use super::{Ctx, Failure, fail};
use crate::Output;
use crate::exit::Exit;
use crate::workspace::{RunLog, read_bounded, write_atomic};

pub(super) fn copy_examples(ctx: &Ctx<'_>, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    match copy(ctx, io, log) {
        Ok(()) => Exit::Ok,
        Err(failure) => fail(io, log, &failure),
    }
}

/// The examples' modeline in the repository; a copy says [`EDITOR_MODELINE`] instead.
const REPO_MODELINE: &str =
    "# yaml-language-server: $schema=../../core/schema/ml-provisioner-config.schema.json\n";

/// An example as `copy-examples` writes it: its modeline names the schema file beside it.
pub fn copied_text(text: &str) -> String {
    match text.strip_prefix(REPO_MODELINE) {
        Some(rest) => format!("{EDITOR_MODELINE}{rest}"),
        None => text.to_owned(),
    }
}

fn copy(ctx: &Ctx<'_>, io: &mut Output<'_>, log: &mut RunLog) -> Result<(), Failure> {
    let dir = ctx.ws.configs();
    let build = &ctx.env.build;
    let (mut written, mut unchanged, mut kept, mut skipped) = (0, 0, 0, 0);
    let mut files: Vec<(&str, String)> = Vec::new();
    for example in EXAMPLES {
        if !Tier::parse(example.tier).is_some_and(|tier| build.allows(tier)) {
            skipped += 1;
            continue;
        }
        files.push((example.file_name, copied_text(example.text)));
    }
    files.push((SCHEMA_FILE, SCHEMA_JSON.to_owned()));
    for (file_name, text) in &files {
        let path = dir.join(file_name);
        let shown = ctx.shown(&path);
        let line = match read_bounded(&path, text.len() + 1) {
            Ok((bytes, _)) if bytes == text.as_bytes() => {
                unchanged += 1;
                format!("unchanged  {shown}")
            }
            Ok(_) => {
                kept += 1;
                format!("kept       {shown} (yours differs from the one shipped; not overwritten)")
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                write_atomic(&path, text.as_bytes()).map_err(|error| {
                    Failure::new(
                        Exit::Io,
                        format!("cannot write {shown}: {error}"),
                        "mount the configs folder writable for this command (without :ro); \
                         the image runs as uid 10001: give it write access \
                         (chown 10001 ml/configs) or run it as yourself (--user \"$(id -u):$(id -g)\")",
                    )
                })?;
                written += 1;
                format!("written    {shown}")
            }
            Err(error) => {
                return Err(Failure::new(
                    Exit::Io,
                    format!("cannot read {shown}: {error}"),
                    "make the configs folder readable",
                ));
            }
        };
        log.line(&line);
        let _ = writeln!(io.out, "{line}");
    }
    let mut summary = format!(
        "{written} written, {unchanged} unchanged, {kept} kept as they were, in {}",
        ctx.shown(&dir)
    );
    if skipped > 0 {
        summary.push_str(&format!(
            "; {skipped} not copied: {}",
            build.tier_note().to_lowercase()
        ));
    }
    log.line(&summary);
    let _ = writeln!(io.out, "{summary}");
    Ok(())
}
