//! Command-line arguments. Both the original tool's `-con`/`-act` and `--config`/`--action`.

use std::ffi::OsString;

use clap::{Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ml-provisioner",
    version,
    about = "Stand up a reviewed, least-privilege AWS environment for one ML product from one YAML config.",
    long_about = None,
    after_help = AFTER_HELP,
    after_long_help = AFTER_HELP,
)]
pub struct Cli {
    /// Config file: a name looked up in the configs folder, or a path (-con also works).
    #[arg(long = "config", value_name = "CONFIG", conflicts_with = "all")]
    pub config: Option<String>,

    /// Every config in the configs folder, in one process (validate-config, create-policy,
    /// create-prov-template, validate-prov-template, create-review-report).
    #[arg(long)]
    pub all: bool,

    /// What to do (-act also works).
    #[arg(long = "action", value_enum, value_name = "ACTION")]
    pub action: Action,

    /// Allow a mutating action (deploy-product, delete-product).
    #[arg(long)]
    pub force: bool,

    /// Show what a mutating action would do, without doing it.
    #[arg(long)]
    pub dry_run: bool,

    /// Output format for diagnostics and listings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Send AWS calls to this endpoint instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// The AWS profile to use (else AWS_PROFILE, else the default profile).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// deploy-product: refuse, before any change, unless the template to deploy has this
    /// SHA-256 (the one the review report and review link show).
    #[arg(long = "expect-sha256", value_name = "HEX")]
    pub expect_sha256: Option<String>,

    /// delete-product: delete the test stack test-deploy made with this suffix, the four
    /// characters after `--` in its names (`…--k3x9-ml-stack`: --test-suffix k3x9); test-deploy
    /// prints the command.
    #[arg(long, value_name = "SUFFIX")]
    pub test_suffix: Option<String>,
}

const AFTER_HELP: &str = "\
Working folders: $ML_PROVISIONER_HOME (the image sets /app), else ./ml, holding configs/ (only
copy-examples writes there), policies/, templates/ and reports/ (one log per run).

Exit codes: 0 ok (show-changes: no changes); 1 invalid config or template; 2 usage (bad
arguments, config not found, a mutating action without --force, a stack that is not this
product's, a template that is not the expected one); 3 AWS failure (or the stack the action
needs does not exist); 4 subscription refused or tier not allowed; 5 differences found
(check-drift: the stack drifted; show-changes: a deploy would change the stack); 6 file or
folder I/O; 8 internal error (please report). With --all: the worst result's code.

Example: ml-provisioner -con techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml -act validate-config";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Action {
    /// Check the config: every problem with file:line:col, code and fix hint
    ValidateConfig,
    /// List the tiers this build may provision, one line each
    ListProducts,
    /// List the resources this config gets: logical id, type, physical name, why
    ShowProduct,
    /// Write the operator's least-privilege IAM policy to policies/
    CreatePolicy,
    /// Write the CloudFormation template to templates/
    CreateProvTemplate,
    /// Validate the template file on disk against CloudFormation's schemas and security rules
    ValidateProvTemplate,
    /// Write the pre-deployment review report (HTML) to reports/
    CreateReviewReport,
    /// Preview the change set against the deployed stack (read-only)
    ShowChanges,
    /// Detect drift of the deployed stack (read-only; exit 5 on drift)
    CheckDrift,
    /// Deploy an isolated test copy of the stack with a random suffix
    TestDeploy,
    /// Create or update the stack through a change set (needs --force)
    DeployProduct,
    /// Delete the stack and everything it created (needs --force)
    DeleteProduct,
    /// Write the shipped example configs this build may provision into the configs folder (never
    /// overwrites)
    CopyExamples,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::ValidateConfig => "validate-config",
            Action::ListProducts => "list-products",
            Action::ShowProduct => "show-product",
            Action::CreatePolicy => "create-policy",
            Action::CreateProvTemplate => "create-prov-template",
            Action::ValidateProvTemplate => "validate-prov-template",
            Action::CreateReviewReport => "create-review-report",
            Action::ShowChanges => "show-changes",
            Action::CheckDrift => "check-drift",
            Action::TestDeploy => "test-deploy",
            Action::DeployProduct => "deploy-product",
            Action::DeleteProduct => "delete-product",
            Action::CopyExamples => "copy-examples",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated source for people
    Text,
    /// One JSON document for scripts
    Json,
    /// SARIF 2.1.0 for code-scanning tools (validate-config, validate-prov-template)
    Sarif,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
        }
    }
}

/// Rewrites the original tool's single-dash long options (`-con`, `-act`) to clap's spelling.
pub fn normalize(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter()
        .map(|arg| {
            let Some(text) = arg.to_str() else {
                return arg;
            };
            for (old, new) in [("-con", "--config"), ("-act", "--action")] {
                if text == old {
                    return OsString::from(new);
                }
                if let Some(value) = text
                    .strip_prefix(old)
                    .and_then(|rest| rest.strip_prefix('='))
                {
                    return OsString::from(format!("{new}={value}"));
                }
            }
            arg
        })
        .collect()
}
