//! The operator policy end to end (issue 15, acceptance 3): `create-policy` writes the
//! managed-policy documents and the guide; the guide's commands, run as printed with the AWS CLI
//! (`aws` from the moto venv) against the local endpoint, create the documents as managed
//! policies and attach them to a user, a group and a role. IAM then holds exactly the documents.
//! moto does not enforce IAM's policy size, so the size is asserted here.
//!
//! Skips, like the other AWS tests, when `ML_PROVISIONER_MOTO_PYTHON` is unset.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::aws::{Account, Moto, Product, moto};
use crate::{ENTERPRISE, STARTER};

/// IAM's quotas for one managed policy and for the policies attached to one identity.
const MAX_CHARS: usize = 6_144;
const MAX_DOCUMENTS: usize = 10;

/// The AWS CLI installed beside the moto venv's Python.
fn aws_cli(moto: &Moto) -> PathBuf {
    moto.python.parent().unwrap().join("aws")
}

/// Runs one printed `aws …` command in `dir` (the working folder, as the guide says), against the
/// endpoint with the account's credentials; returns its stdout.
fn run_printed(moto: &Moto, account: &Account, dir: &Path, command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(
        words.first(),
        Some(&"aws"),
        "not an AWS CLI command: {command}"
    );
    let out = Command::new(aws_cli(moto))
        .args(&words[1..])
        .current_dir(dir)
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("AWS_ACCESS_KEY_ID", &account.key)
        .env("AWS_SECRET_ACCESS_KEY", &account.secret)
        .env("AWS_SESSION_TOKEN", &account.token)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{command}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The guide's command blocks, by the heading above each.
fn command_blocks(guide: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.to_owned();
        } else if line == "```sh" {
            let commands = lines
                .by_ref()
                .take_while(|l| *l != "```")
                .map(str::to_owned)
                .collect();
            blocks.push((heading.clone(), commands));
        }
    }
    blocks
}

fn block<'a>(blocks: &'a [(String, Vec<String>)], heading: &str) -> &'a [String] {
    &blocks
        .iter()
        .find(|(h, _)| h.starts_with(heading))
        .unwrap_or_else(|| panic!("no block under '{heading}'"))
        .1
}

/// The names of the managed policies attached to an identity, and each one's default document.
const ATTACHED: &str = r#"import boto3, json, sys
iam = boto3.client('iam')
kind, name = sys.argv[1], sys.argv[2]
listed = getattr(iam, f'list_attached_{kind}_policies')(**{f'{kind.capitalize()}Name': name})['AttachedPolicies']
out = {}
for p in listed:
    version = iam.get_policy(PolicyArn=p['PolicyArn'])['Policy']['DefaultVersionId']
    out[p['PolicyName']] = iam.get_policy_version(PolicyArn=p['PolicyArn'], VersionId=version)['PolicyVersion']['Document']
print(json.dumps(out))
"#;

fn create_and_attach(example: &str) {
    let Some(moto) = moto() else {
        return;
    };
    assert!(
        aws_cli(moto).exists(),
        "no AWS CLI beside {} (scripts/tools.sh installs awscli in the moto venv)",
        moto.python.display()
    );
    let account = moto.account();
    let product = Product::new(example, &account, "us-west-2");
    product
        .cli(moto, &account, &["create-policy"], &[])
        .expect(0, "create-policy");
    let home = product.home();
    let stem = product.stem();
    let guide =
        std::fs::read_to_string(home.join(format!("policies/{stem}-iam-policy.md"))).unwrap();
    // The documents, each within IAM's size (moto does not check it).
    let mut documents: Vec<(String, Value)> = Vec::new();
    for n in 1.. {
        let Ok(text) =
            std::fs::read_to_string(home.join(format!("policies/{stem}-iam-policy-{n}.json")))
        else {
            break;
        };
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        assert!(chars <= MAX_CHARS, "document {n}: {chars} characters");
        documents.push((
            format!("document {n}"),
            serde_json::from_str(&text).unwrap(),
        ));
    }
    assert!(
        (1..=MAX_DOCUMENTS).contains(&documents.len()),
        "{} documents",
        documents.len()
    );
    // The identities to attach to.
    moto.python(
        Some(&account),
        "us-east-1",
        "import boto3, json\n\
         iam = boto3.client('iam')\n\
         iam.create_user(UserName='operator')\n\
         iam.create_group(GroupName='operators')\n\
         trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'codebuild.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}\n\
         iam.create_role(RoleName='operator-role', AssumeRolePolicyDocument=json.dumps(trust))",
        &[],
    );
    // The printed commands, as printed (placeholders replaced).
    let blocks = command_blocks(&guide);
    let create = block(&blocks, "Create them");
    assert_eq!(
        create.len(),
        documents.len(),
        "one create-policy per document"
    );
    let mut names = Vec::new();
    for command in create {
        let created: Value =
            serde_json::from_str(&run_printed(moto, &account, &home, command)).unwrap();
        names.push(created["Policy"]["PolicyName"].as_str().unwrap().to_owned());
        assert_eq!(
            created["Policy"]["Arn"].as_str().unwrap(),
            format!(
                "arn:aws:iam::{}:policy/{}",
                account.id,
                names.last().unwrap()
            )
        );
    }
    for (kind, placeholder, name) in [
        ("user", "USER_NAME", "operator"),
        ("group", "GROUP_NAME", "operators"),
        ("role", "ROLE_NAME", "operator-role"),
    ] {
        let commands = block(&blocks, &format!("Attach them to a {kind}"));
        assert_eq!(
            commands.len(),
            documents.len(),
            "{kind}: one attach per document"
        );
        for command in commands {
            assert!(command.contains(placeholder), "{command}");
            run_printed(moto, &account, &home, &command.replace(placeholder, name));
        }
        // IAM holds exactly the documents, attached under the printed names.
        let attached: Value = serde_json::from_str(
            moto.python(Some(&account), "us-east-1", ATTACHED, &[kind, name])
                .trim(),
        )
        .unwrap();
        let attached = attached.as_object().unwrap();
        let mut listed: Vec<&String> = attached.keys().collect();
        listed.sort();
        let mut expected: Vec<&String> = names.iter().collect();
        expected.sort();
        assert_eq!(listed, expected, "{kind} {name}");
        for ((what, document), policy) in documents.iter().zip(&names) {
            let stored = &attached[policy];
            let stored: Value = match stored {
                Value::String(s) => serde_json::from_str(s).unwrap(),
                other => other.clone(),
            };
            assert_eq!(&stored, document, "{kind}: {policy} holds {what}");
        }
    }
}

#[test]
fn the_printed_commands_create_and_attach_the_starter_policy() {
    create_and_attach(STARTER);
}

#[test]
fn the_printed_commands_create_and_attach_the_enterprise_policy() {
    create_and_attach(ENTERPRISE);
}
