//! The AWS actions' failure paths that no local endpoint produces, through the [`Fake`] behind
//! the `Cloud` seam: each asserts the message, the hint and the exit code, and which calls were
//! (not) made.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use clap::Parser;
use ml_provisioner_core::check_config;

use super::Ctx;
use super::aws::{Request, execute};
use crate::Output;
use crate::args::{Cli, normalize};
use crate::aws::fake::Fake;
use crate::aws::{AwsError, ChangeSet, Stack};
use crate::build::Build;
use crate::exit::Exit;
use crate::workspace::{ConfigFile, Env, RunLog, Workspace};

const CONFIG: &str = "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml";
/// The example config's account.
const ACCOUNT: &str = "222233335555";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/configs")
}

/// A run's result: exit code, stdout, stderr.
#[derive(Debug)]
struct Ran {
    exit: Exit,
    out: String,
    err: String,
}

/// Runs `args` (after `-con CONFIG -act`) on the fake, with `build`.
fn run(fake: &mut Fake, args: &[&str], build: Build) -> Ran {
    run_on(CONFIG, fake, args, build)
}

/// [`run`] on another example config.
fn run_on(config_name: &str, fake: &mut Fake, args: &[&str], build: Build) -> Ran {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("tempdir: {e}"));
    let env = Env {
        home: Some(dir.path().to_owned()),
        cwd: dir.path().to_owned(),
        now: UNIX_EPOCH + Duration::from_secs(1_795_854_000),
        source_date_epoch: None,
        build,
        seed: 7,
        interactive: false,
    };
    let ws = Workspace::new(&env);
    let ctx = Ctx { ws: &ws, env: &env };
    let path = examples().join(config_name);
    let bytes = std::fs::read(&path).unwrap_or_default();
    let file = ConfigFile {
        path,
        display: config_name.to_owned(),
        file_name: config_name.to_owned(),
        stem: config_name.trim_end_matches(".yaml").to_owned(),
        bytes,
        oversize: None,
    };
    let checked = check_config(&file.bytes, &file.file_name);
    let Some(config) = checked.config.as_ref() else {
        unreachable!("the example is valid: {:?}", checked.diagnostics)
    };
    let head = ["ml-provisioner", "-con", config_name, "-act"];
    let argv = head.iter().chain(args).map(|a| (*a).into());
    let cli = Cli::try_parse_from(normalize(argv)).unwrap_or_else(|e| unreachable!("{e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut log = RunLog::new(&ws, "t", cli.action.name(), env.now);
    let mut io = Output {
        out: &mut out,
        err: &mut err,
    };
    let exit = match Request::new(&cli, &ctx, &file, config) {
        Ok(request) => execute(&request, &ctx, fake, &mut io, &mut log),
        Err(failure) => super::fail(&mut io, &mut log, &failure),
    };
    Ran {
        exit,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

fn source_build() -> Build {
    Build::default()
}

fn error(call: &'static str, code: &str, detail: &str) -> AwsError {
    AwsError::from_parts(call, "stack x", Some(code), detail, Some("req-9"))
}

const ML_NAME: &str = "techcorp-dev-a001-us-west-2-customer-churn-ml";

fn stack_name() -> String {
    format!("{ML_NAME}-stack")
}

fn our_stack(status: &str) -> Stack {
    Stack {
        id: format!(
            "arn:aws:cloudformation:us-west-2:{ACCOUNT}:stack/{}/abc",
            stack_name()
        ),
        name: stack_name(),
        status: status.to_owned(),
        status_reason: None,
        tags: vec![
            ("ml:name".to_owned(), ML_NAME.to_owned()),
            ("ml:managed-by".to_owned(), "ml-provisioner".to_owned()),
        ],
        outputs: Vec::new(),
    }
}

fn made(fake: &Fake, action: &str) -> bool {
    fake.calls.iter().any(|c| c.starts_with(action))
}

#[test]
fn a_rollback_prints_the_root_cause_not_the_cascade() {
    let mut fake = Fake::new(ACCOUNT);
    let name = stack_name();
    fake.stacks.insert(
        name.clone(),
        VecDeque::from([None, {
            let mut s = our_stack("ROLLBACK_COMPLETE");
            s.status_reason = Some("The following resource(s) failed to create: [CodeBuildRole]. Rollback requested by user.".to_owned());
            Some(s)
        }]),
    );
    fake.events.push_back(vec![
        Fake::event("ArtifactBucket", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", None),
        Fake::event(
            "CodeBuildRole",
            "AWS::IAM::Role",
            "CREATE_FAILED",
            Some("Resource handler returned message: \"User: arn:aws:iam::123456789012:user/op is not authorized to perform: iam:CreateRole\" (HandlerErrorCode: AccessDenied)"),
        ),
        Fake::event("ArtifactBucket", "AWS::S3::Bucket", "CREATE_FAILED", Some("Resource creation cancelled")),
        Fake::event(&name, "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", Some("The following resource(s) failed to create: [CodeBuildRole, ArtifactBucket]. Rollback requested by user.")),
        Fake::event("ArtifactBucket", "AWS::S3::Bucket", "DELETE_COMPLETE", None),
        Fake::event(&name, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", None),
    ]);
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Aws, "{ran:?}");
    assert!(ran.err.contains("ended ROLLBACK_COMPLETE"), "{}", ran.err);
    let cause = ran.err.split("root cause:").nth(1).unwrap_or_default();
    assert!(
        cause.contains("CodeBuildRole") && cause.contains("iam:CreateRole"),
        "{}",
        ran.err
    );
    assert!(
        !cause
            .lines()
            .take(2)
            .any(|l| l.contains("Resource creation cancelled")),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("delete-product --force"), "{}", ran.err);
    // Every event was shown live.
    assert!(ran.err.contains("ROLLBACK_IN_PROGRESS"), "{}", ran.err);
}

#[test]
fn throttling_after_the_retries_says_so() {
    let mut fake = Fake::new(ACCOUNT);
    fake.failing.insert(
        "cloudformation:DescribeStacks",
        error(
            "cloudformation:DescribeStacks",
            "Throttling",
            "Rate exceeded",
        ),
    );
    let ran = run(&mut fake, &["show-changes"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(
        ran.err.contains("throttled") && ran.err.contains("Rate exceeded"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("AWS_MAX_ATTEMPTS"), "{}", ran.err);
}

#[test]
fn access_denied_names_the_action_and_the_policy() {
    let mut fake = Fake::new(ACCOUNT);
    fake.failing.insert(
        "cloudformation:CreateChangeSet",
        error(
            "cloudformation:CreateChangeSet",
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/op is not authorized to perform: cloudformation:CreateChangeSet",
        ),
    );
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(
        ran.err
            .contains("access denied calling cloudformation:CreateChangeSet"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("create-policy"), "{}", ran.err);
    assert!(ran.err.contains("request id req-9"), "{}", ran.err);
    assert!(!made(&fake, "cloudformation:ExecuteChangeSet"));
}

#[test]
fn expired_credentials_say_how_to_refresh() {
    let mut fake = Fake::new(ACCOUNT);
    fake.failing.insert(
        "sts:GetCallerIdentity",
        error(
            "sts:GetCallerIdentity",
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
    );
    let ran = run(&mut fake, &["check-drift"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(ran.err.contains("expired or not valid"), "{}", ran.err);
    assert!(ran.err.contains("sso login"), "{}", ran.err);
    assert_eq!(fake.calls.len(), 1, "{:?}", fake.calls);
}

#[test]
fn a_change_set_that_fails_for_another_reason_is_reported_and_cleaned_up() {
    let mut fake = Fake::new(ACCOUNT);
    fake.change_sets.push_back(ChangeSet {
        status: "FAILED".to_owned(),
        status_reason: Some("Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template".to_owned()),
        ..ChangeSet::default()
    });
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(
        ran.err.contains("could not make a change set")
            && ran.err.contains("Unresolved resource dependencies"),
        "{}",
        ran.err
    );
    assert!(made(&fake, "cloudformation:DeleteChangeSet"));
    // The stack existed only for the change set (REVIEW_IN_PROGRESS): removed too.
    assert!(made(&fake, "cloudformation:DeleteStack"));
    assert!(!made(&fake, "cloudformation:ExecuteChangeSet"));
}

#[test]
fn ctrl_c_during_the_wait_leaves_the_stack_deploying() {
    let mut fake = Fake::new(ACCOUNT);
    let name = stack_name();
    fake.stacks.insert(
        name.clone(),
        VecDeque::from([None, Some(our_stack("CREATE_IN_PROGRESS"))]),
    );
    fake.events.push_back(vec![Fake::event(
        &name,
        "AWS::CloudFormation::Stack",
        "CREATE_IN_PROGRESS",
        None,
    )]);
    fake.interrupt_at = Some(0);
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(
        ran.err.contains("interrupted") && ran.err.contains("goes on in AWS"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("describe-stack-events"), "{}", ran.err);
    assert!(made(&fake, "cloudformation:ExecuteChangeSet"));
    assert!(!made(&fake, "cloudformation:DeleteStack"));
}

#[test]
fn refusals_come_before_any_call() {
    for args in [
        &["deploy-product"][..],
        &["delete-product"][..],
        &["deploy-product", "--force", "--expect-sha256", "00"][..],
        &["delete-product", "--force", "--test-suffix", "k3x"][..],
        // The suffix form of earlier versions (`t` and four characters).
        &["delete-product", "--force", "--test-suffix", "tk3x9"][..],
    ] {
        let mut fake = Fake::new(ACCOUNT);
        let ran = run(&mut fake, args, source_build());
        assert_eq!(ran.exit, Exit::Usage, "{args:?}: {}", ran.err);
        assert!(fake.calls.is_empty(), "{args:?}: {:?}", fake.calls);
        if args.contains(&"tk3x9") {
            assert!(ran.err.contains("earlier version"), "{}", ran.err);
            assert!(ran.err.contains("--test-suffix k3x9"), "{}", ran.err);
        }
    }
    let mut fake = Fake::new(ACCOUNT);
    let broken = Build {
        bad_tier_limit: Some("gold".to_owned()),
        ..Build::default()
    };
    let ran = run(&mut fake, &["deploy-product", "--force"], broken);
    assert_eq!(ran.exit, Exit::Subscription, "{}", ran.err);
    assert!(fake.calls.is_empty(), "{:?}", fake.calls);
}

#[test]
fn a_foreign_stack_is_never_deleted_or_updated() {
    for action in [
        &["delete-product", "--force"][..],
        &["deploy-product", "--force"][..],
    ] {
        let mut fake = Fake::new(ACCOUNT);
        let mut stack = our_stack("CREATE_COMPLETE");
        stack.tags = vec![("ml:name".to_owned(), "someone-else-ml".to_owned())];
        fake.stacks
            .insert(stack_name(), VecDeque::from([Some(stack)]));
        let ran = run(&mut fake, action, source_build());
        assert_eq!(ran.exit, Exit::Usage, "{}", ran.err);
        assert!(
            ran.err.contains("not tagged as this product's") && ran.err.contains("someone-else-ml"),
            "{}",
            ran.err
        );
        assert!(
            !made(&fake, "cloudformation:DeleteStack"),
            "{:?}",
            fake.calls
        );
        assert!(
            !made(&fake, "cloudformation:CreateChangeSet"),
            "{:?}",
            fake.calls
        );
    }
}

#[test]
fn credentials_of_another_account_are_refused() {
    let mut fake = Fake::new("999999999999");
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Usage);
    assert!(
        ran.err.contains("for account 999999999999") && ran.err.contains(ACCOUNT),
        "{}",
        ran.err
    );
    assert_eq!(fake.calls.len(), 1);
}

#[test]
fn every_form_of_no_changes_is_success() {
    let no_changes = [
        ChangeSet {
            status: "FAILED".to_owned(),
            status_reason: Some("The submitted information didn't contain changes. Submit different information to create a change set.".to_owned()),
            ..ChangeSet::default()
        },
        ChangeSet {
            status: "CREATE_COMPLETE".to_owned(),
            ..ChangeSet::default()
        },
    ];
    for set in no_changes {
        let mut fake = Fake::new(ACCOUNT);
        fake.stacks.insert(
            stack_name(),
            VecDeque::from([Some(our_stack("UPDATE_COMPLETE"))]),
        );
        fake.change_sets.push_back(set);
        let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
        assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
        assert!(ran.out.contains("no changes"), "{}", ran.out);
        assert!(!made(&fake, "cloudformation:ExecuteChangeSet"));
    }
    let mut fake = Fake::new(ACCOUNT);
    fake.stacks.insert(
        stack_name(),
        VecDeque::from([Some(our_stack("UPDATE_COMPLETE"))]),
    );
    fake.failing.insert(
        "cloudformation:CreateChangeSet",
        error(
            "cloudformation:CreateChangeSet",
            "ValidationError",
            "No updates are to be performed.",
        ),
    );
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Ok, "{}", ran.err);
}

#[test]
fn subscription_refusals_stop_before_any_other_call() {
    for (code, words) in [
        ("CustomerNotSubscribedException", "not subscribed"),
        ("CustomerNotEntitledException", "does not entitle"),
    ] {
        let mut fake = Fake::new(ACCOUNT);
        fake.failing.insert(
            "aws-marketplace:RegisterUsage",
            AwsError::from_parts(
                "aws-marketplace:RegisterUsage",
                "product code p",
                Some(code),
                "no",
                None,
            ),
        );
        let build = Build {
            product_code: Some("p".to_owned()),
            ..Build::default()
        };
        let ran = run(&mut fake, &["show-changes"], build);
        assert_eq!(ran.exit, Exit::Subscription, "{}", ran.err);
        assert!(ran.err.contains(words), "{}", ran.err);
        assert_eq!(
            fake.calls,
            vec!["aws-marketplace:RegisterUsage p".to_owned()]
        );
    }
}

#[test]
fn a_stack_busy_with_another_operation_is_left_alone() {
    for action in [
        &["deploy-product", "--force"][..],
        &["delete-product", "--force"][..],
    ] {
        let mut fake = Fake::new(ACCOUNT);
        fake.stacks.insert(
            stack_name(),
            VecDeque::from([Some(our_stack("UPDATE_IN_PROGRESS"))]),
        );
        let ran = run(&mut fake, action, source_build());
        assert_eq!(ran.exit, Exit::Aws, "{}", ran.err);
        assert!(
            ran.err.contains("is UPDATE_IN_PROGRESS") && ran.err.contains("another operation"),
            "{}",
            ran.err
        );
        assert!(
            !made(&fake, "cloudformation:CreateChangeSet")
                && !made(&fake, "cloudformation:DeleteStack")
        );
    }
    // A stack whose creation failed cannot be updated: the hint says to delete it first.
    let mut fake = Fake::new(ACCOUNT);
    fake.stacks.insert(
        stack_name(),
        VecDeque::from([Some(our_stack("ROLLBACK_COMPLETE"))]),
    );
    let ran = run(&mut fake, &["deploy-product", "--force"], source_build());
    assert_eq!(ran.exit, Exit::Aws);
    assert!(ran.err.contains("delete-product --force"), "{}", ran.err);
}

#[test]
fn a_missing_enterprise_input_is_named_before_any_change() {
    const ENTERPRISE: &str =
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml";
    let mut fake = Fake::new("111122223333");
    // The VPC and subnet parameters exist; the security group's (sgprov) does not.
    fake.parameters.insert(
        "/vpc/globalbank-prod-c001-us-west-2-vpc/VPCId".to_owned(),
        "vpc-1".to_owned(),
    );
    fake.parameters.insert(
        "/vpc/globalbank-prod-c001-us-west-2-vpc/PrivateSubnetIds".to_owned(),
        "subnet-1,subnet-2".to_owned(),
    );
    let ran = run_on(
        ENTERPRISE,
        &mut fake,
        &["deploy-product", "--force"],
        source_build(),
    );
    assert_eq!(ran.exit, Exit::Aws, "{}", ran.err);
    assert!(
        ran.err.contains("the SSM parameter /sg/") && ran.err.contains("the security group id"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("SG Provisioner"), "{}", ran.err);
    assert!(
        !made(&fake, "cloudformation:CreateChangeSet"),
        "{:?}",
        fake.calls
    );
}
