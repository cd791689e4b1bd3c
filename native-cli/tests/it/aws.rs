//! The AWS actions end to end: the built binary, through the real AWS SDK, against a real local
//! endpoint — moto in server mode, extended by `tests/moto/launcher.py` (CloudFormation types moto
//! skips, drift detection, Marketplace metering, a request log). The launcher is started once per
//! test run; each test works in an account of its own (STS AssumeRole into a random account id),
//! so the tests run in parallel without seeing each other.
//!
//! `ML_PROVISIONER_MOTO_PYTHON` is the Python of the moto venv (scripts/tools.sh installs it and
//! scripts/test.sh sets it); with `ML_PROVISIONER_FULL_TESTS=1` its absence is a failure,
//! otherwise these tests say they skipped. boto3 from the same venv plays the out-of-band actor
//! (reads SSM, changes a parameter behind CloudFormation's back, sets the metering state).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::repo_root;

/// The running launcher.
pub struct Moto {
    pub python: PathBuf,
    pub url: String,
    _child: Mutex<(Child, ChildStdin)>,
}

pub fn moto() -> Option<&'static Moto> {
    static MOTO: OnceLock<Option<Moto>> = OnceLock::new();
    MOTO.get_or_init(start).as_ref()
}

fn start() -> Option<Moto> {
    let Some(python) = std::env::var_os("ML_PROVISIONER_MOTO_PYTHON").map(PathBuf::from) else {
        assert!(
            std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
            "ML_PROVISIONER_MOTO_PYTHON is not set in a full run"
        );
        eprintln!("skipped: ML_PROVISIONER_MOTO_PYTHON not set (scripts/test.sh sets it)");
        return None;
    };
    // Its own log (one line per request) goes to a file, for a failing test's post-mortem.
    let log = std::env::temp_dir().join(format!("moto-launcher-{}.log", std::process::id()));
    let mut child = Command::new(&python)
        .arg(repo_root().join("tests/moto/launcher.py"))
        .args(["-H", "127.0.0.1", "-p", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("start the moto launcher");
    let stdin = child.stdin.take().unwrap();
    // Its one line on stdout says where it listens.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| {
                panic!(
                    "the launcher ended before it said where it listens; see {}",
                    log.display()
                )
            })
            .unwrap();
        if let Some(url) = line.strip_prefix("moto-launcher: listening on ") {
            break url.trim().trim_end_matches('/').to_owned();
        }
    };
    eprintln!("moto launcher at {url}, log {}", log.display());
    Some(Moto {
        python,
        url,
        _child: Mutex::new((child, stdin)),
    })
}

/// One test's account: credentials of a role in a random account.
pub struct Account {
    pub id: String,
    pub key: String,
    pub secret: String,
    pub token: String,
}

fn random_account() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{:012}", 100_000_000_000 + h.finish() % 800_000_000_000)
}

impl Moto {
    /// Runs Python (boto3 from the moto venv) with the endpoint and, when given, the account's
    /// credentials; returns its stdout.
    pub fn python(
        &self,
        account: Option<&Account>,
        region: &str,
        script: &str,
        args: &[&str],
    ) -> String {
        let mut command = Command::new(&self.python);
        command.arg("-c").arg(script).args(args);
        aws_env(&mut command, &self.url, account);
        command.env("AWS_DEFAULT_REGION", region);
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn account(&self) -> Account {
        let id = random_account();
        let out = self.python(
            None,
            "us-east-1",
            "import boto3, json, sys\n\
             c = boto3.client('sts').assume_role(RoleArn=f'arn:aws:iam::{sys.argv[1]}:role/ml-provisioner-test', RoleSessionName='test')['Credentials']\n\
             print(json.dumps([c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken']]))",
            &[&id],
        );
        let v: Vec<String> = serde_json::from_str(out.trim()).unwrap();
        Account {
            id,
            key: v[0].clone(),
            secret: v[1].clone(),
            token: v[2].clone(),
        }
    }

    /// The requests the endpoint saw from an account (the launcher's request log).
    pub fn requests(&self, account: &Account) -> Vec<Value> {
        let out = self.python(
            None,
            "us-east-1",
            "import json, sys, urllib.request\n\
             print(urllib.request.urlopen(sys.argv[1] + '/_ml_provisioner/requests').read().decode())",
            &[&self.url],
        );
        let all: Value = serde_json::from_str(out.trim()).unwrap();
        all.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["account"].as_str() == Some(account.id.as_str()))
            .cloned()
            .collect()
    }

    pub fn set_metering(&self, account: &Account, state: &str) {
        self.python(
            None,
            "us-east-1",
            "import json, sys, urllib.request\n\
             body = json.dumps({'account': sys.argv[2], 'state': sys.argv[3]}).encode()\n\
             urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/_ml_provisioner/metering', data=body, method='POST', headers={'Content-Type': 'application/json'})).read()",
            &[&self.url, &account.id, state],
        );
    }
}

/// The environment of every AWS process in these tests: the endpoint, the credentials, nothing
/// read from the machine's own AWS files, one attempt per call (moto's errors are final).
fn aws_env(command: &mut Command, url: &str, account: Option<&Account>) {
    for var in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "ML_PROVISIONER_HOME",
    ] {
        command.env_remove(var);
    }
    command
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("NO_COLOR", "1");
    match account {
        Some(a) => command
            .env("AWS_ACCESS_KEY_ID", &a.key)
            .env("AWS_SECRET_ACCESS_KEY", &a.secret)
            .env("AWS_SESSION_TOKEN", &a.token),
        None => command
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_SESSION_TOKEN"),
    };
}

/// A working folder with one config: an example moved into the test's account (and region).
pub struct Product {
    pub dir: tempfile::TempDir,
    pub config: String,
    pub region: String,
}

impl Product {
    pub fn new(example: &str, account: &Account, region: &str) -> Product {
        let dir = tempfile::tempdir().unwrap();
        let configs = dir.path().join("home/configs");
        std::fs::create_dir_all(&configs).unwrap();
        let text =
            std::fs::read_to_string(repo_root().join("examples/configs").join(example)).unwrap();
        let account_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("account_id:"))
            .unwrap()
            .to_owned();
        let text = text
            .replace(&account_line, &format!("  account_id: \"{}\"", account.id))
            .replace("us-west-2", region);
        let config = example.replace("us-west-2", region);
        std::fs::write(configs.join(&config), text).unwrap();
        Product {
            dir,
            config,
            region: region.to_owned(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("home/configs").join(&self.config)
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// A stack report the CLI wrote (`changes` or `drift`), parsed.
    pub fn report(&self, kind: &str) -> Value {
        let path = self
            .home()
            .join(format!("reports/{}-{kind}.json", self.stem()));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    pub fn stem(&self) -> &str {
        self.config.trim_end_matches(".yaml")
    }

    /// Runs the CLI on this product: `-con <config> -act <args>`.
    pub fn cli(
        &self,
        moto: &Moto,
        account: &Account,
        args: &[&str],
        extra_env: &[(&str, &str)],
    ) -> Ran {
        let mut all = vec!["-con", self.config.as_str(), "-act"];
        all.extend_from_slice(args);
        self.raw(moto, account, &all, extra_env)
    }

    /// Runs the CLI in this product's folder with exactly these arguments.
    pub fn raw(
        &self,
        moto: &Moto,
        account: &Account,
        args: &[&str],
        extra_env: &[(&str, &str)],
    ) -> Ran {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ml-provisioner"));
        aws_env(&mut command, &moto.url, Some(account));
        command
            .current_dir(self.dir.path())
            .env("ML_PROVISIONER_HOME", self.home())
            .env_remove("ML_PROVISIONER_PRODUCT_CODE")
            .env_remove("ML_PROVISIONER_TIER")
            .args(args);
        // An empty value removes the variable.
        for (k, v) in extra_env {
            if v.is_empty() {
                command.env_remove(k);
            } else {
                command.env(k, v);
            }
        }
        let out = command.output().unwrap();
        Ran {
            code: out.status.code(),
            out: String::from_utf8_lossy(&out.stdout).into_owned(),
            err: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

#[derive(Debug)]
pub struct Ran {
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
}

impl Ran {
    pub fn expect(&self, code: i32, what: &str) -> &Ran {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.out,
            self.err
        );
        self
    }
}

/// Puts the enterprise SSM inputs (a VPC and two subnets made first) into the account, at the
/// paths the generated template's parameters name.
fn vpc_inputs(moto: &Moto, account: &Account, product: &Product) {
    product
        .cli(moto, account, &["create-prov-template"], &[])
        .expect(0, "create-prov-template");
    let template = std::fs::read_to_string(
        product
            .home()
            .join(format!("templates/{}-template.yaml", product.stem())),
    )
    .unwrap();
    let mut current = "";
    let mut defaults = std::collections::BTreeMap::new();
    for line in template.lines() {
        if line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
            current = line.trim().trim_end_matches(':');
        } else if let Some(value) = line.trim().strip_prefix("Default: ") {
            defaults.insert(current.to_owned(), value.trim_matches('\'').to_owned());
        }
    }
    let (Some(vpc), Some(subnets)) = (defaults.get("VpcId"), defaults.get("SubnetIds")) else {
        return;
    };
    moto.python(
        Some(account),
        &product.region,
        "import boto3, sys\n\
         ec2 = boto3.client('ec2'); ssm = boto3.client('ssm')\n\
         vpc = ec2.create_vpc(CidrBlock='10.8.0.0/16')['Vpc']['VpcId']\n\
         subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f'10.8.{i}.0/24')['Subnet']['SubnetId'] for i in (1, 2)]\n\
         ssm.put_parameter(Name=sys.argv[1], Value=vpc, Type='String', Overwrite=True)\n\
         ssm.put_parameter(Name=sys.argv[2], Value=','.join(subnets), Type='StringList', Overwrite=True)",
        &[vpc, subnets],
    );
}

/// The SSM parameters under a path, by name.
pub fn parameters(
    moto: &Moto,
    account: &Account,
    region: &str,
    path: &str,
) -> Vec<(String, String)> {
    let out = moto.python(
        Some(account),
        region,
        "import boto3, json, sys\n\
         p = boto3.client('ssm').get_parameters_by_path(Path=sys.argv[1], Recursive=True)['Parameters']\n\
         print(json.dumps([[x['Name'], x['Value']] for x in p]))",
        &[path],
    );
    serde_json::from_str(out.trim()).unwrap()
}

/// What of the product is left in the account: stacks, parameters under /ml/, buckets.
pub fn leftovers(moto: &Moto, account: &Account, region: &str, ml_name: &str) -> Value {
    let out = moto.python(
        Some(account),
        region,
        "import boto3, json, sys\n\
         cfn = boto3.client('cloudformation')\n\
         stacks = [s['StackName'] for s in cfn.list_stacks()['StackSummaries'] if s['StackStatus'] != 'DELETE_COMPLETE']\n\
         params = [p['Name'] for p in boto3.client('ssm').get_parameters_by_path(Path='/ml/' + sys.argv[1], Recursive=True)['Parameters']]\n\
         buckets = [b['Name'] for b in boto3.client('s3').list_buckets().get('Buckets', [])]\n\
         print(json.dumps({'stacks': stacks, 'parameters': params, 'buckets': buckets}))",
        &[ml_name],
    );
    serde_json::from_str(out.trim()).unwrap()
}

pub fn ml_name(product: &Product) -> String {
    // The stem minus the source-control suffix: the names table's `{…}-ml`.
    let stem = product.stem();
    let end = stem.find("-ml-").map_or(stem.len(), |i| i + 3);
    stem[..end].to_owned()
}

/// The whole lifecycle of the user guide for one config (issue acceptance 1).
fn lifecycle(example: &str) {
    let Some(moto) = moto() else { return };
    let account = moto.account();
    let product = Product::new(example, &account, "us-west-2");
    vpc_inputs(moto, &account, &product);
    let ml = ml_name(&product);

    // 1. test-deploy, then delete that test stack with the command it printed.
    let ran = product.cli(moto, &account, &["test-deploy"], &[]);
    ran.expect(0, "test-deploy");
    let command = ran
        .out
        .lines()
        .find_map(|l| l.strip_prefix("delete it with: "))
        .unwrap_or_else(|| panic!("no delete command printed:\n{}", ran.out))
        .to_owned();
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "ml-provisioner");
    let suffix = words.last().unwrap().to_owned();
    // Four characters, written after a double hyphen in every name (no base has one).
    assert_eq!(suffix.len(), 4, "{command}");
    let base = ml.strip_suffix("-ml").unwrap();
    assert!(
        ran.out
            .contains(&format!("test stack: {base}--{suffix}-ml-stack")),
        "{}",
        ran.out
    );
    // The command exactly as printed, after the program's name.
    product
        .raw(moto, &account, &words[1..], &[])
        .expect(0, "the printed delete command");
    let left = leftovers(moto, &account, &product.region, &ml);
    assert_eq!(left["stacks"], serde_json::json!([]), "{left}");
    // A test stack leaves no bucket behind, not even the enterprise access-log bucket.
    assert_eq!(left["buckets"], serde_json::json!([]), "{left}");

    // 2. deploy-product --force.
    let ran = product.cli(moto, &account, &["deploy-product", "--force"], &[]);
    ran.expect(0, "deploy-product");
    assert!(ran.out.contains("SSM parameters under"), "{}", ran.out);

    // 3. The SSM parameters are readable under /ml/{ml_name}/.
    let published = parameters(moto, &account, &product.region, &format!("/ml/{ml}"));
    assert!(published.len() >= 3, "{published:?}");
    assert!(
        published
            .iter()
            .all(|(name, value)| name.starts_with(&format!("/ml/{ml}/")) && !value.is_empty())
    );

    // 4. show-changes reports no changes.
    let ran = product.cli(moto, &account, &["show-changes"], &[]);
    ran.expect(0, "show-changes right after the deploy");
    assert!(ran.out.contains("no changes"), "{}", ran.out);

    // 5. A new tag in the config: show-changes lists the modification (exit 5).
    let mut text = std::fs::read_to_string(product.path()).unwrap();
    text.push_str(if text.contains("\ntags:") {
        ""
    } else {
        "tags:\n"
    });
    text.push_str("  review-round: \"2\"\n");
    std::fs::write(product.path(), text).unwrap();
    let ran = product.cli(moto, &account, &["show-changes"], &[]);
    ran.expect(5, "show-changes after a new tag");
    assert!(ran.out.to_lowercase().contains("modify"), "{}", ran.out);
    let changes: Value = product.report("changes");
    assert_eq!(changes["kind"], "changes");
    assert!(
        changes["changes"].as_array().is_some_and(|c| !c.is_empty()),
        "{changes}"
    );
    let sha = changes["template_sha256"].as_str().unwrap().to_owned();
    keep_for_the_browser(&product, "changes");
    assert!(
        ran.out.contains(&sha),
        "show-changes prints the hash it compared: {}",
        ran.out
    );

    // 6. deploy-product --force --expect-sha256 with the new hash.
    product
        .cli(
            moto,
            &account,
            &["deploy-product", "--force", "--expect-sha256", &sha],
            &[],
        )
        .expect(0, "deploy-product --expect-sha256");
    product
        .cli(moto, &account, &["show-changes"], &[])
        .expect(0, "show-changes after the second deploy");
    // Deploying again without a change is a clean no-op: the endpoint sees no ExecuteChangeSet.
    let executed = |moto: &Moto| {
        moto.requests(&account)
            .iter()
            .filter(|r| r["operation"] == "ExecuteChangeSet")
            .count()
    };
    let before = executed(moto);
    assert!(
        before >= 2,
        "the two deploys above executed change sets ({before} seen)"
    );
    let ran = product.cli(moto, &account, &["deploy-product", "--force"], &[]);
    ran.expect(0, "deploy-product with nothing to change");
    assert!(ran.out.contains("no changes"), "{}", ran.out);
    assert_eq!(
        executed(moto),
        before,
        "a no-change deploy executed a change set"
    );

    // 7. Change a resource out of band: check-drift reports it with exit 5.
    let (name, _) = published[0].clone();
    moto.python(
        Some(&account),
        &product.region,
        "import boto3, sys\nboto3.client('ssm').put_parameter(Name=sys.argv[1], Value='changed-by-hand', Type='String', Overwrite=True)",
        &[&name],
    );
    let ran = product.cli(moto, &account, &["check-drift"], &[]);
    ran.expect(5, "check-drift after an out-of-band change");
    assert!(ran.out.contains("changed-by-hand"), "{}", ran.out);
    let drift: Value = product.report("drift");
    assert_eq!(drift["kind"], "drift");
    assert_eq!(drift["status"], "drifted");
    keep_for_the_browser(&product, "drift");

    // 8. delete-product --force: nothing of the product is left, even with objects, old versions
    // and a delete marker in the artifact bucket (a stack delete fails on a non-empty bucket).
    let bucket = published
        .iter()
        .find(|(name, _)| name.ends_with("/BucketName"))
        .map(|(_, value)| value.clone())
        .unwrap();
    moto.python(
        Some(&account),
        &product.region,
        "import boto3, sys\n\
         s3 = boto3.client('s3')\n\
         for body in (b'v1', b'v2', b'v3'):\n    s3.put_object(Bucket=sys.argv[1], Key='models/model.tar.gz', Body=body)\n\
         s3.delete_object(Bucket=sys.argv[1], Key='models/model.tar.gz')\n\
         s3.put_object(Bucket=sys.argv[1], Key='pipeline/artifact.zip', Body=b'x')",
        &[&bucket],
    );
    // The enterprise access-log bucket, with a log object in it: production keeps it.
    let enterprise = std::fs::read_to_string(product.path())
        .unwrap()
        .contains("tier: enterprise");
    let access_logs = published_output(moto, &account, &product, "AccessLogBucketName");
    assert_eq!(access_logs.is_some(), enterprise, "{access_logs:?}");
    if let Some(logs) = &access_logs {
        moto.python(
            Some(&account),
            &product.region,
            "import boto3, sys\n\
             boto3.client('s3').put_object(Bucket=sys.argv[1], Key='artifact-bucket/2026-12-02-00-00-00-ABC', Body=b'log')",
            &[logs],
        );
    }
    let ran = product.cli(moto, &account, &["delete-product", "--force"], &[]);
    ran.expect(0, "delete-product");
    assert!(
        ran.err
            .contains(&format!("emptied bucket {bucket}: 5 object versions")),
        "{}",
        ran.err
    );
    let left = leftovers(moto, &account, &product.region, &ml);
    assert_eq!(left["stacks"], serde_json::json!([]), "{left}");
    assert_eq!(left["parameters"], serde_json::json!([]), "{left}");
    assert_eq!(
        left["buckets"],
        serde_json::json!(access_logs.iter().collect::<Vec<_>>()),
        "{left}"
    );
    if let Some(logs) = &access_logs {
        assert!(
            ran.out.contains("retained (DeletionPolicy: Retain")
                && ran
                    .out
                    .contains(&format!("AccessLogBucket AWS::S3::Bucket {logs}")),
            "{}",
            ran.out
        );
        assert!(ran.out.contains("1 resource retained"), "{}", ran.out);
    }
}

/// A stack output of the product's stack (`None`: the stack has no such output).
fn published_output(
    moto: &Moto,
    account: &Account,
    product: &Product,
    key: &str,
) -> Option<String> {
    let out = moto.python(
        Some(account),
        &product.region,
        "import boto3, sys\n\
         stack = boto3.client('cloudformation').describe_stacks(StackName=sys.argv[1])['Stacks'][0]\n\
         print(next((o['OutputValue'] for o in stack.get('Outputs', []) if o['OutputKey'] == sys.argv[2]), ''))",
        &[&format!("{}-stack", ml_name(product)), key],
    );
    let value = out.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Copies a report the CLI wrote to `ML_PROVISIONER_STACK_REPORTS` (scripts/test.sh sets it),
/// where the browser app's end-to-end test opens it: the app is tested on the CLI's real output.
fn keep_for_the_browser(product: &Product, kind: &str) {
    let Some(out) = std::env::var_os("ML_PROVISIONER_STACK_REPORTS") else {
        return;
    };
    let name = format!("{}-{kind}.json", product.stem());
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(
        product.home().join("reports").join(&name),
        PathBuf::from(out).join(name),
    )
    .unwrap();
}

#[test]
fn lifecycle_starter() {
    lifecycle("techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml");
}

#[test]
fn lifecycle_professional() {
    lifecycle("edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml");
}

#[test]
fn lifecycle_enterprise() {
    lifecycle(
        "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml",
    );
}

/// Acceptance 2: one product in two regions of one account.
#[test]
fn the_same_product_in_two_regions_of_one_account() {
    let Some(moto) = moto() else { return };
    let account = moto.account();
    for region in ["us-west-2", "eu-central-1"] {
        let product = Product::new(
            "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
            &account,
            region,
        );
        let ran = product.cli(moto, &account, &["deploy-product", "--force"], &[]);
        ran.expect(0, region);
        assert!(ran.out.contains("CREATE_COMPLETE"), "{region}: {}", ran.out);
    }
}

/// Acceptance 3: refusals before any request.
#[test]
fn refusals_send_nothing() {
    let Some(moto) = moto() else { return };
    let account = moto.account();
    let product = Product::new(
        "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        &account,
        "us-west-2",
    );
    for args in [
        &["deploy-product"][..],
        &["delete-product"][..],
        &[
            "deploy-product",
            "--force",
            "--expect-sha256",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ][..],
    ] {
        let ran = product.cli(moto, &account, args, &[]);
        ran.expect(2, &format!("{args:?}"));
    }
    assert_eq!(
        moto.requests(&account),
        Vec::<Value>::new(),
        "a refused action sent requests"
    );
    // A stack of the same name that is not this product's is not deleted.
    moto.python(
        Some(&account),
        &product.region,
        "import boto3, sys\n\
         boto3.client('cloudformation').create_stack(StackName=sys.argv[1], TemplateBody='{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}', Tags=[{'Key': 'ml:name', 'Value': 'another-product-ml'}])",
        &["techcorp-dev-a001-us-west-2-customer-churn-ml-stack"],
    );
    let ran = product.cli(moto, &account, &["delete-product", "--force"], &[]);
    ran.expect(2, "delete-product on a foreign stack");
    assert!(
        ran.err.contains("not tagged as this product's"),
        "{}",
        ran.err
    );
    let left = leftovers(moto, &account, &product.region, "x");
    assert_eq!(
        left["stacks"],
        serde_json::json!(["techcorp-dev-a001-us-west-2-customer-churn-ml-stack"])
    );
}

/// Acceptance 4: the subscription check against the extended endpoint.
#[test]
fn subscription_states() {
    let Some(moto) = moto() else { return };
    let account = moto.account();
    let product = Product::new(
        "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        &account,
        "us-west-2",
    );
    let code = [("ML_PROVISIONER_PRODUCT_CODE", "mlprov-test-code")];
    for (state, words) in [
        ("not-subscribed", "not subscribed"),
        ("not-entitled", "does not entitle"),
    ] {
        moto.set_metering(&account, state);
        let before = moto.requests(&account).len();
        let ran = product.cli(moto, &account, &["show-changes"], &code);
        ran.expect(4, state);
        assert!(ran.err.contains(words), "{state}: {}", ran.err);
        let sent = moto.requests(&account);
        assert_eq!(
            sent.len(),
            before + 1,
            "{state}: only RegisterUsage: {sent:?}"
        );
    }
    moto.set_metering(&account, "entitled");
    let ran = product.cli(moto, &account, &["show-changes"], &code);
    // Entitled: it goes on, to say there is no stack yet.
    ran.expect(3, "entitled");
    assert!(ran.err.contains("does not exist"), "{}", ran.err);
    let log = std::fs::read_dir(product.home().join("reports"))
        .unwrap()
        .count();
    assert!(log > 0);
    // A local action of a Marketplace build checks the subscription too, and the operator
    // policy it writes grants that call; a source build's policy does not.
    let grants_metering = |extra_env: &[(&str, &str)]| {
        let ran = product.cli(moto, &account, &["create-policy"], extra_env);
        ran.expect(0, "create-policy");
        let policies = product.home().join("policies");
        std::fs::read_dir(&policies).unwrap().any(|entry| {
            let path = entry.unwrap().path();
            path.extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("aws-marketplace:RegisterUsage")
        })
    };
    let before = moto.requests(&account).len();
    assert!(grants_metering(&code));
    assert_eq!(
        moto.requests(&account).len(),
        before + 1,
        "create-policy: RegisterUsage only"
    );
    assert!(!grants_metering(&[]));
}

/// The run log has the request ids and never a credential: with the credentials in the
/// environment, then in a profile file.
#[test]
fn logs_have_request_ids_and_no_secrets() {
    let Some(moto) = moto() else { return };
    let account = moto.account();
    let product = Product::new(
        "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        &account,
        "us-west-2",
    );
    let credentials = product.dir.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[mlprov-test]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            account.key, account.secret, account.token
        ),
    )
    .unwrap();
    let credentials = credentials.display().to_string();
    let from_profile = [
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_PROFILE", "mlprov-test"),
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_SESSION_TOKEN", ""),
    ];
    for extra in [&[][..], &from_profile[..]] {
        product
            .cli(
                moto,
                &account,
                &["deploy-product", "--force", "--dry-run"],
                extra,
            )
            .expect(0, "dry run");
    }
    let mut logs = Vec::new();
    for entry in std::fs::read_dir(product.home().join("reports")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            logs.push(std::fs::read_to_string(path).unwrap());
        }
    }
    assert_eq!(logs.len(), 2, "one log per run");
    for log in logs {
        assert!(log.contains("request-id"), "{log}");
        assert!(log.contains("cloudformation:CreateChangeSet"), "{log}");
        for secret in [&account.secret, &account.token, &account.key] {
            assert!(!log.contains(secret.as_str()), "a credential is in the log");
        }
    }
}

/// On a terminal the live progress bar (indicatif, drawing from its own thread) runs beside the
/// event lines: the run must end. (It once hung forever: the process held stderr locked while the
/// bar waited for it.) `script` gives the CLI a pseudo-terminal.
#[test]
fn progress_on_a_terminal_ends() {
    let Some(moto) = moto() else { return };
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("ML_PROVISIONER_FULL_TESTS").is_none(),
            "`script` (util-linux) is missing in a full run"
        );
        eprintln!("skipped: no `script` for a pseudo-terminal");
        return;
    }
    let account = moto.account();
    let product = Product::new(
        "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        &account,
        "us-west-2",
    );
    let cli = format!(
        "'{}' -con '{}' -act deploy-product --force",
        env!("CARGO_BIN_EXE_ml-provisioner"),
        product.config
    );
    let mut command = Command::new("script");
    aws_env(&mut command, &moto.url, Some(&account));
    let mut child = command
        .current_dir(product.dir.path())
        .env("ML_PROVISIONER_HOME", product.home())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .args(["-qec", &cli, "/dev/null"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("deploy-product on a terminal did not end within 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(status.success(), "{status:?}: {out}");
    assert!(out.contains("CREATE_COMPLETE"), "{out}");
}
