//! What the AWS actions share: reading the config, the refusals that need no request (an invalid
//! config, a tier this build may not provision, a mutating action without `--force`, a template
//! other than the reviewed one), connecting, the subscription check, and the stack the action is
//! about. The actions themselves are in `inspect.rs` (show-changes, check-drift) and
//! `deploy.rs` (test-deploy, deploy-product, delete-product); they see AWS only as
//! [`Cloud`], so their failure paths are tested with a fake.

use std::time::Duration;

use ml_provisioner_core::names::{Names, TestSuffix};
use ml_provisioner_core::report::sha256_hex;
use ml_provisioner_core::{Config, template};

use super::{Ctx, Failure, Outcome, check, fail, load, print_single};
use crate::Output;
use crate::args::{Action, Cli};
use crate::aws::sdk::{Connect, SdkCloud};
use crate::aws::{AwsError, Cloud, Interrupted, Stack};
use crate::build::Build;
use crate::exit::Exit;
use crate::workspace::{ConfigFile, RunLog};

/// An AWS action on one config, from the command line to the exit code.
pub(super) fn run(cli: &Cli, ctx: &Ctx<'_>, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let name = cli.config.as_deref().unwrap_or_default();
    let file = match load(ctx, name) {
        Ok(file) => file,
        Err(failure) => return fail(io, log, &failure),
    };
    log.line(&format!("config {}", file.display));
    let checked = check(&file);
    let Some(config) = &checked.config else {
        let outcome = check::refuse_invalid(&file, &checked);
        return print_single(cli.format, &file.display, &ctx.env.cwd, &outcome, io, log);
    };
    let request = match Request::new(cli, ctx, &file, config) {
        Ok(request) => request,
        Err(failure) => return fail(io, log, &failure),
    };
    let mut cloud = match SdkCloud::connect(&Connect {
        region: Some(config.environment.region.clone()),
        profile: cli.profile.clone(),
        endpoint_url: cli.endpoint_url.clone(),
    }) {
        Ok(cloud) => cloud,
        Err(message) => return fail(io, log, &Failure::internal(message)),
    };
    execute(&request, ctx, &mut cloud, io, log)
}

/// Runs a checked request on a connection: the subscription check, then the action.
pub(super) fn execute(
    request: &Request<'_>,
    ctx: &Ctx<'_>,
    cloud: &mut dyn Cloud,
    io: &mut Output<'_>,
    log: &mut RunLog,
) -> Exit {
    let result = subscription(cloud, &ctx.env.build, log).and_then(|()| {
        let mut session = Session {
            cloud: &mut *cloud,
            io: &mut *io,
            log: &mut *log,
            interactive: ctx.env.interactive,
        };
        act(request, ctx, &mut session)
    });
    for line in cloud.take_log() {
        log.line(&line);
    }
    match result {
        Ok(outcome) => {
            log.line(&outcome.verdict);
            let _ = writeln!(io.out, "{}", outcome.verdict);
            outcome.exit
        }
        Err(failure) => fail(io, log, &failure),
    }
}

fn act(
    request: &Request<'_>,
    ctx: &Ctx<'_>,
    session: &mut Session<'_, '_>,
) -> Result<Outcome, Failure> {
    match request.action {
        Action::ShowChanges => super::inspect::show_changes(request, ctx, session),
        Action::CheckDrift => super::inspect::check_drift(request, ctx, session),
        Action::TestDeploy => super::deploy::test_deploy(request, session),
        Action::DeployProduct => super::deploy::deploy_product(request, session),
        Action::DeleteProduct => super::deploy::delete_product(request, session),
        other => Err(Failure::internal(format!(
            "{} is not an AWS action",
            other.name()
        ))),
    }
}

/// What an AWS action works with, checked before any request.
pub(super) struct Request<'a> {
    pub action: Action,
    /// The config as the user named it (`-con`), for the commands the tool prints.
    pub config_arg: String,
    pub file: &'a ConfigFile,
    pub config: &'a Config,
    /// The test suffix: a new one for test-deploy, `--test-suffix` for delete-product.
    pub test: Option<TestSuffix>,
    pub dry_run: bool,
    /// The template to deploy (or compare), generated now from the config: what is sent as
    /// `TemplateBody` (the YAML, or the same document as compact JSON when the YAML is too
    /// large to send), and the SHA-256 of the YAML (the reviewed bytes).
    pub body: String,
    /// Whether `body` is the compact JSON form.
    pub body_is_json: bool,
    pub sha256: String,
    /// The run's time, RFC 3339 UTC, and a compact form for names.
    pub now: String,
    pub stamp: String,
}

impl<'a> Request<'a> {
    /// Builds the request and makes every refusal that needs no request.
    pub fn new(
        cli: &Cli,
        ctx: &Ctx<'_>,
        file: &'a ConfigFile,
        config: &'a Config,
    ) -> Result<Request<'a>, Failure> {
        let action = cli.action;
        let build = &ctx.env.build;
        if !build.allows(config.tier()) {
            return Err(tier_refused(build, config));
        }
        let mutating = matches!(action, Action::DeployProduct | Action::DeleteProduct);
        if mutating && !cli.force && !cli.dry_run {
            return Err(Failure::usage(
                format!(
                    "{} changes AWS resources and needs --force; nothing was done",
                    action.name()
                ),
                format!(
                    "run `-act show-changes` (or `-act {} --dry-run`) to see what it would do, then add --force",
                    action.name()
                ),
            ));
        }
        let test = match action {
            Action::TestDeploy => Some(new_suffix(ctx.env.seed)),
            Action::DeleteProduct => match &cli.test_suffix {
                Some(text) => Some(parse_suffix(text)?),
                None => None,
            },
            _ => None,
        };
        let names = Names::new(config.name_parts(), test.as_ref());
        let generated = template::generate(&template::TemplateInput {
            config,
            names: &names,
            config_file: &file.file_name,
            tool_version: ml_provisioner_core::VERSION,
        });
        let sha256 = sha256_hex(generated.yaml.as_bytes());
        if let Some(expected) = &cli.expect_sha256
            && !expected.eq_ignore_ascii_case(&sha256)
        {
            return Err(Failure::usage(
                format!(
                    "the template to deploy has SHA-256 {sha256}, not the expected {expected}; nothing was done"
                ),
                "the config (or the tool's version) changed since the review: review the new template (create-review-report) and pass its SHA-256",
            ));
        }
        let deploys = matches!(
            action,
            Action::ShowChanges | Action::TestDeploy | Action::DeployProduct
        );
        let (body, body_is_json) = match generated.body() {
            Ok(template::Body::Yaml(text)) => (text.to_owned(), false),
            Ok(template::Body::CompactJson(text)) => (text, true),
            Err((yaml, json)) if deploys => {
                return Err(Failure::new(
                    Exit::Invalid,
                    format!(
                        "the template is {yaml} bytes as YAML and {json} as compact JSON, over CloudFormation's {}-byte limit for a template sent with the request; nothing was done",
                        template::BODY_LIMIT
                    ),
                    "fewer or shorter tags make it smaller (every resource carries them); this version cannot upload the template to S3 first",
                ));
            }
            Err(_) => (String::new(), false),
        };
        Ok(Request {
            action,
            config_arg: cli.config.clone().unwrap_or_default(),
            file,
            config,
            test,
            dry_run: cli.dry_run,
            body,
            body_is_json,
            sha256,
            now: crate::workspace::utc_iso(ctx.env.now),
            stamp: crate::workspace::utc_stamp(ctx.env.now),
        })
    }

    pub fn names(&self) -> Names<'_> {
        Names::new(self.config.name_parts(), self.test.as_ref())
    }

    pub fn stack_name(&self) -> String {
        self.names().stack_name()
    }

    pub fn region(&self) -> &str {
        &self.config.environment.region
    }

    /// The tags the stack carries: the resources' standard tags and the template's SHA-256.
    pub fn stack_tags(&self) -> Vec<(String, String)> {
        let mut tags = template::standard_tags(self.config, &self.names());
        tags.push((SHA_TAG.to_owned(), self.sha256.clone()));
        tags
    }

    /// The change set's description: the tool and the template's hash.
    pub fn change_set_description(&self) -> String {
        format!(
            "ml-provisioner {} {}: template sha256 {}",
            ml_provisioner_core::VERSION,
            self.action.name(),
            self.sha256
        )
    }

    /// A change set name unique to this run.
    pub fn change_set_name(&self) -> String {
        format!("ml-provisioner-{}", self.stamp)
    }
}

/// The stack tag holding the deployed template's SHA-256.
pub(super) const SHA_TAG: &str = "ml-provisioner:template-sha256";

pub(super) fn tier_refused(build: &Build, config: &Config) -> Failure {
    match (&build.bad_tier_limit, build.tier_limit) {
        (Some(bad), _) => Failure::new(
            Exit::Subscription,
            format!("this build's tier limit '{bad}' names no tier; nothing was done"),
            "rebuild the image with TIER set to starter, professional or enterprise",
        ),
        (None, limit) => Failure::new(
            Exit::Subscription,
            format!(
                "this build provisions the {} tier at most; the config is {} tier; nothing was done",
                limit.map_or("?", |t| t.as_str()),
                config.tier().as_str()
            ),
            format!(
                "use the ml-provisioner:{} image (or a source build) for this config",
                config.tier().as_str()
            ),
        ),
    }
}

/// A new test suffix from the run's seed.
fn new_suffix(seed: u64) -> TestSuffix {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed;
    let mut text = String::new();
    for _ in 0..TestSuffix::LEN {
        // xorshift64*: enough to spread a seed over 36^4 values.
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        text.push(ALPHABET[(r % ALPHABET.len() as u64) as usize] as char);
    }
    TestSuffix::new(&text).unwrap_or_else(TestSuffix::placeholder)
}

/// The suffix `--test-suffix` names: the four characters test-deploy printed. The form of
/// earlier versions (`t` and four characters, names `…-t????-…`) is refused with what to do.
fn parse_suffix(text: &str) -> Result<TestSuffix, Failure> {
    TestSuffix::new(text).ok_or_else(|| {
        let old_form = text.len() == TestSuffix::LEN + 1
            && text.starts_with('t')
            && text[1..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let hint = if old_form {
            format!(
                "'{text}' is the suffix form of an earlier version (its test stacks are named …-{text}-ml-stack): delete such a stack with that version; this version's test stacks are named …{sep}k3x9-ml-stack and take the four characters after '{sep}', e.g. --test-suffix k3x9",
                sep = TestSuffix::SEPARATOR
            )
        } else {
            format!(
                "pass the suffix test-deploy printed: the four lowercase letters or digits after '{}' in the test stack's name, e.g. --test-suffix k3x9",
                TestSuffix::SEPARATOR
            )
        };
        Failure::usage(
            format!("--test-suffix '{text}' is not a test-deploy suffix; nothing was done"),
            hint,
        )
    })
}

/// The subscription check of the local actions (the AWS actions make it on their connection):
/// with a product code, `RegisterUsage` in the config's region (else the SDK's region chain).
pub(super) fn subscription_for_local(
    cli: &Cli,
    ctx: &Ctx<'_>,
    log: &mut RunLog,
) -> Result<(), Failure> {
    let build = &ctx.env.build;
    if build.product_code.is_none() {
        log.line(
            "subscription check skipped: source build without an AWS Marketplace product code",
        );
        return Ok(());
    }
    if is_aws_action(cli.action) {
        return Ok(());
    }
    let region = cli
        .config
        .as_deref()
        .and_then(|name| load(ctx, name).ok())
        .and_then(|file| check(&file).config)
        .map(|config| config.environment.region);
    let mut cloud = SdkCloud::connect(&Connect {
        region,
        profile: None,
        endpoint_url: None,
    })
    .map_err(Failure::internal)?;
    let result = subscription(&mut cloud, build, log);
    for line in cloud.take_log() {
        log.line(&line);
    }
    result
}

/// The actions that call AWS.
pub(super) fn is_aws_action(action: Action) -> bool {
    matches!(
        action,
        Action::ShowChanges
            | Action::CheckDrift
            | Action::TestDeploy
            | Action::DeployProduct
            | Action::DeleteProduct
    )
}

/// The subscription check: `RegisterUsage` when the build carries a product code.
pub(super) fn subscription(
    cloud: &mut dyn Cloud,
    build: &Build,
    log: &mut RunLog,
) -> Result<(), Failure> {
    let Some(code) = &build.product_code else {
        return Ok(());
    };
    match cloud.register_usage(code) {
        Ok(()) => {
            log.line(&format!(
                "subscription: RegisterUsage accepted product code {code}"
            ));
            Ok(())
        }
        Err(error) => Err(subscription_failure(&error)),
    }
}

fn subscription_failure(error: &AwsError) -> Failure {
    match error.code.as_deref() {
        Some("CustomerNotSubscribedException") => Failure::new(
            Exit::Subscription,
            format!(
                "this AWS account is not subscribed to ML Provisioner in AWS Marketplace; nothing was done ({})",
                error.message()
            ),
            "subscribe to the product in AWS Marketplace (the account that runs the tool), then run again",
        ),
        Some("CustomerNotEntitledException") => Failure::new(
            Exit::Subscription,
            format!(
                "the AWS Marketplace subscription of this account does not entitle it to ML Provisioner (lapsed, cancelled or another tier); nothing was done ({})",
                error.message()
            ),
            "renew or change the subscription in AWS Marketplace, then run again",
        ),
        _ => aws_failure(error),
    }
}

/// An AWS error as a run failure (exit 3).
pub(super) fn aws_failure(error: &AwsError) -> Failure {
    Failure::new(Exit::Aws, error.message(), error.hint())
}

/// The open connection and the printers, for one action.
pub(super) struct Session<'s, 'o> {
    pub cloud: &'s mut dyn Cloud,
    pub io: &'s mut Output<'o>,
    pub log: &'s mut RunLog,
    pub interactive: bool,
}

impl Session<'_, '_> {
    /// A line on stderr and in the log (progress, notes).
    pub fn note(&mut self, line: &str) {
        self.log.line(line);
        let _ = writeln!(self.io.err, "{line}");
    }

    /// Output on stdout and in the log (what the action found).
    pub fn say(&mut self, text: &str) {
        self.log.line(text);
        let _ = write!(self.io.out, "{text}");
        if !text.ends_with('\n') {
            let _ = writeln!(self.io.out);
        }
    }

    /// The calls made so far, into the run log.
    pub fn flush_log(&mut self) {
        for line in self.cloud.take_log() {
            self.log.line(&line);
        }
    }

    /// The stack, or `None`.
    pub fn stack(&mut self, name: &str) -> Result<Option<Stack>, Failure> {
        self.cloud.stack(name).map_err(|e| aws_failure(&e))
    }
}

/// Polling with backoff: immediately, then 1 s, growing by half up to `max`.
#[derive(Debug)]
pub(super) struct Backoff {
    next: Duration,
    max: Duration,
    waited: Duration,
    first: bool,
}

impl Backoff {
    pub fn new(max: Duration) -> Backoff {
        Backoff {
            next: Duration::from_secs(1),
            max,
            waited: Duration::ZERO,
            first: true,
        }
    }

    /// Waits before the next look (not before the first).
    pub fn wait(&mut self, cloud: &mut dyn Cloud) -> Result<(), Interrupted> {
        if self.first {
            self.first = false;
            return Ok(());
        }
        cloud.pause(self.next)?;
        self.waited += self.next;
        self.next = (self.next * 3 / 2).min(self.max);
        Ok(())
    }

    /// Time spent waiting so far.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

/// Whether a stack (or change set) status is final.
pub(super) fn settled(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS") && !status.ends_with("_PENDING")
}

/// Whether the stack's tags say it is this product's.
pub(super) fn ours(stack: &Stack, request: &Request<'_>) -> bool {
    stack.tag("ml:name") == Some(request.names().ml_name().as_str())
        && stack.tag("ml:managed-by") == Some("ml-provisioner")
}

/// The refusal for a stack with this product's name that is not tagged as this product's.
pub(super) fn foreign(stack: &Stack, request: &Request<'_>) -> Failure {
    let shown = |k: &str| stack.tag(k).unwrap_or("(none)").to_owned();
    Failure::usage(
        format!(
            "stack {} is not tagged as this product's (ml:name {}, ml:managed-by {}; expected ml:name {}); nothing was done",
            stack.name,
            shown("ml:name"),
            shown("ml:managed-by"),
            request.names().ml_name()
        ),
        "check the config's account and region; a stack with this name that ml-provisioner did not create is never changed or deleted by it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_valid_and_spread() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..200u64 {
            let s = new_suffix(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) + 1);
            assert_eq!(s.as_str().len(), TestSuffix::LEN);
            assert_ne!(s, TestSuffix::placeholder());
            seen.insert(s.as_str().to_owned());
        }
        assert!(seen.len() > 190, "{}", seen.len());
        let parsed = |text: &str| parse_suffix(text).ok().map(|s| s.as_str().to_owned());
        let hint = |text: &str| parse_suffix(text).err().map(|f| f.hint).unwrap_or_default();
        assert_eq!(parsed("3k9x").as_deref(), Some("3k9x"));
        assert_eq!(parsed("t3k9").as_deref(), Some("t3k9"));
        for bad in ["3K9x", "3k9", "3k9xy", "--3k9x", "-3k9x", "3k-x", ""] {
            assert_eq!(parsed(bad), None, "{bad}");
            assert!(hint(bad).contains("--test-suffix k3x9"), "{bad}");
            assert!(!hint(bad).contains("earlier version"), "{bad}");
        }
        // The form of earlier versions (`t` and four characters) is refused with what to do.
        assert_eq!(parsed("t3k9x"), None);
        assert!(
            hint("t3k9x").contains("earlier version"),
            "{}",
            hint("t3k9x")
        );
        assert!(hint("t3k9x").contains("--test-suffix k3x9"));
    }

    #[test]
    fn backoff_grows_to_its_cap() {
        let mut b = Backoff::new(Duration::from_secs(5));
        assert_eq!(b.next, Duration::from_secs(1));
        for _ in 0..10 {
            b.next = (b.next * 3 / 2).min(b.max);
        }
        assert_eq!(b.next, Duration::from_secs(5));
    }
}
