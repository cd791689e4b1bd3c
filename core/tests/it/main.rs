//! The core's integration tests: one binary (see STYLE.md habit 6).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)]

mod examples;
mod fixtures;
mod names;
mod policy;
mod policy_reach;
mod policy_set;
mod props;
mod report;
mod schema;
mod stack;
mod template;

use std::path::PathBuf;

/// The repository root (fixtures and examples live outside the crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}
