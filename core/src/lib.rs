//! ML Provisioner's pure core: config checking with exact diagnostics, names, the product
//! catalog, and diagnostic rendering. No I/O, clock, randomness or network: everything comes in
//! as arguments (see ARCHITECTURE.md).

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
mod check;
pub mod config;
pub mod diagnostic;
pub mod examples;
pub mod files;
mod html;
pub mod names;
pub mod policy;
pub mod policy_set;
pub mod regions;
pub mod render;
pub mod report;
mod rules;
pub mod schema;
pub mod stack;
pub mod suggest;
pub mod template;
pub mod template_check;
pub mod yaml;

pub use check::{CheckedConfig, check_config};
pub use config::{Config, Tier};
pub use diagnostic::{Code, Diagnostic, LineIndex, Severity, Span};
pub use html::show_controls;
pub use rules::OWN_TAG_KEYS;

/// The tool's version, shown in logs, reports and SARIF.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
