//! The stack reports: the fixtures the browser test opens are exactly the serde form, the JSON
//! files are recognised and refused when newer, text and HTML render every part (hostile values
//! inert), the security classification finds each class (and not narrowing), and the root cause
//! of a failed deploy is the failure, not the cascade.

use std::fs;

use ml_provisioner_core::stack::{
    self, ChangeAction, ChangeSetReport, DriftReport, PropertyChange, Replacement, ResourceChange,
    SecurityCategory, StackDocument, StackEvent, StackRef,
};

use crate::repo_root;

fn fixture(name: &str) -> String {
    fs::read_to_string(repo_root().join("tests/fixtures/stack").join(name)).unwrap()
}

fn changes_fixture(name: &str) -> ChangeSetReport {
    match stack::from_json(&fixture(name)).unwrap() {
        StackDocument::Changes { report, .. } => report,
        other => panic!("{name}: not a change set: {other:?}"),
    }
}

fn drift_fixture(name: &str) -> DriftReport {
    match stack::from_json(&fixture(name)).unwrap() {
        StackDocument::Drift { report, .. } => report,
        other => panic!("{name}: not a drift report: {other:?}"),
    }
}

#[test]
fn fixtures_are_exactly_what_to_json_writes() {
    let dir = repo_root().join("tests/fixtures/stack");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let text = fixture(&name);
        let document = stack::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            stack::to_json(&document),
            text,
            "{name}: not the serde form (write it with stack::to_json)"
        );
    }
}

#[test]
fn json_round_trips_and_names_its_kind() {
    let report = changes_fixture("demo-changes.json");
    let document = StackDocument::changes(report.clone());
    let text = stack::to_json(&document);
    assert!(text.starts_with("{\n  \"kind\": \"changes\",\n  \"format\": 1,\n"));
    assert!(text.ends_with("}\n"));
    assert_eq!(stack::from_json(&text).unwrap(), document);
    assert_eq!(
        document.kind().json_name("x"),
        "x-changes.json",
        "the document knows its file"
    );
    let drift = StackDocument::drift(drift_fixture("demo-drift.json"));
    assert_eq!(drift.kind().html_name("x"), "x-drift.html");
    assert_eq!(
        drift.stack().stack_name,
        "techcorp-prod-a001-us-west-2-customer-churn-ml-stack"
    );
}

#[test]
fn json_that_is_not_a_current_document_is_refused_with_what_to_do() {
    let current = fixture("demo-drift.json");
    let cases: Vec<(String, &[&str])> = vec![
        ("not json".into(), &["not JSON", "-drift.json"]),
        ("[1, 2]".into(), &["not an object"]),
        (
            "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}".into(),
            &["no \"kind\"", "show-changes and check-drift"],
        ),
        (
            current.replace("\"format\": 1", "\"format\": 2"),
            &[
                "format 2",
                "written by ml-provisioner 0.1.0",
                "newer than the format 1",
                "open it with the version that wrote it",
            ],
        ),
        (
            current.replace("\"format\": 1", "\"format\": \"1\""),
            &["no valid \"format\""],
        ),
        (
            current.replace("\"kind\": \"drift\"", "\"kind\": \"plan\""),
            &["kind is \"plan\"", "reads \"changes\" and \"drift\""],
        ),
        (
            current.replace("\"kind\": \"drift\"", "\"kind\": \"\\u001b[2J<b>\""),
            &["kind is \"[U+001B][2J<b>\""],
        ),
        (
            current.replace("\"status\": \"drifted\"", "\"status\": \"sideways\""),
            &["drift file does not have the fields", "sideways"],
        ),
        (
            current.replace("\"checked\"", "\"when\""),
            &["missing field `checked`"],
        ),
    ];
    for (text, words) in cases {
        let message = stack::from_json(&text).unwrap_err();
        for w in words {
            assert!(message.contains(w), "{message:?} lacks {w:?}");
        }
    }
    let huge = format!("{{\"kind\":\"drift\",\"x\":\"{}\"}}", "a".repeat(17 << 20));
    assert!(
        stack::from_json(&huge)
            .unwrap_err()
            .contains("at most 16 MiB")
    );
}

#[test]
fn changes_text_shows_each_change_replacement_values_and_a_summary() {
    let report = changes_fixture("demo-changes.json");
    let text = stack::changes_text(&report);
    insta::assert_snapshot!("demo-changes-text", text);
    assert!(text.contains(&report.template_sha256));
    let modify = text
        .lines()
        .find(|l| l.contains("ModelPackageGroup") && l.contains("modify"))
        .unwrap();
    assert!(modify.ends_with("REPLACE"), "{modify}");
    let conditional = text
        .lines()
        .find(|l| l.contains("ModelBuildPipeline"))
        .unwrap();
    assert!(conditional.ends_with("may replace"), "{conditional}");
    assert!(text.contains("NoncurrentDays: 90 → 30"));
    assert!(text.contains(
        "Summary: 1 to add, 4 to modify (1 replaced, 1 may be replaced), 1 to remove; 2 security-relevant changes."
    ));
    // Security first: before the table.
    let security = text.find("SECURITY-RELEVANT CHANGES (2)").unwrap();
    assert!(security < text.find("Changes (6):").unwrap());
    // Table order: add, modify, remove.
    let pos = |id: &str| text.find(&format!("  {id}")).unwrap();
    assert!(pos("add ") < pos("modify ") && pos("modify ") < pos("remove "));
}

#[test]
fn no_changes_is_one_clear_line() {
    let report = changes_fixture("no-changes.json");
    let text = stack::changes_text(&report);
    assert!(text.contains("No changes: the deployed stack already matches this template."));
    assert!(text.contains(&report.template_sha256));
    assert!(!text.contains("Summary"));
    let html = stack::changes_html(&report);
    assert!(html.contains("id=\"no-changes\""));
    assert!(!html.contains("data-action="));
}

#[test]
fn drift_text_shows_status_differences_and_what_was_not_checked() {
    let report = drift_fixture("demo-drift.json");
    let text = stack::drift_text(&report);
    insta::assert_snapshot!("demo-drift-text", text);
    assert!(text.contains("Stack: DRIFTED"));
    assert!(text.contains("/VersioningConfiguration/Status: expected Enabled → actual Suspended"));
    assert!(text.contains(
        "/Policies/0/PolicyDocument/Statement/0/Action/2: not in the template, now s3:DeleteObject"
    ));
    assert!(text.contains(
        "/ManagedPolicyArns/0: expected arn:aws:iam::aws:policy/AmazonSageMakerReadOnly, now absent"
    ));
    let not_checked = text.find("Not checked (1)").unwrap();
    assert!(text[not_checked..].contains("ModelPackageGroup (AWS::SageMaker::ModelPackageGroup)"));
    assert!(text.contains(
        "Summary: DRIFTED: the live stack differs from its template; 2 modified, 1 deleted, 3 in sync, 1 not checked, 0 unknown (7 resources)."
    ));
    // Drifted resources first.
    assert!(text.find("MODIFIED").unwrap() < text.find("IN SYNC ").unwrap());
}

#[test]
fn html_pages_carry_the_csp_the_style_sheet_and_every_part() {
    let report = changes_fixture("demo-changes.json");
    let html = stack::changes_html(&report);
    let hash = ml_provisioner_core::report::style_hash();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!(
        "content=\"default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'\""
    )));
    assert!(!html.contains("<script"));
    assert_eq!(html.matches("<tr data-action=\"modify\">").count(), 4);
    assert_eq!(html.matches("<tr data-action=\"add\">").count(), 1);
    assert_eq!(html.matches("<tr data-action=\"remove\">").count(), 1);
    assert_eq!(html.matches("<tr data-category=\"iam\">").count(), 2);
    assert!(html.contains("<span class=\"risk\">REPLACE</span>"));
    assert!(html.contains("<span class=\"risk\">may replace</span>"));
    assert!(html.find("id=\"security\"").unwrap() < html.find("id=\"changes\"").unwrap());
    assert!(html.contains(&report.template_sha256));
    assert!(
        html.contains("&quot;ssm:GetParameter&quot;"),
        "values shown"
    );

    let drift = drift_fixture("demo-drift.json");
    let html = stack::drift_html(&drift);
    assert!(!html.contains("<script"));
    assert_eq!(html.matches("<tr data-status=\"modified\">").count(), 2);
    assert_eq!(html.matches("<tr data-status=\"deleted\">").count(), 1);
    assert_eq!(html.matches("<tr data-status=\"in-sync\">").count(), 3);
    assert!(html.contains("<code>/VersioningConfiguration/Status</code>: expected <code>Enabled</code> actual <code>Suspended</code>"));
    let not_checked = html.find("id=\"not-checked\"").unwrap();
    assert!(html[not_checked..].contains("<code>ModelPackageGroup</code>"));
}

/// Every string a hostile fixture holds.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(m) => m.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn hostile_values_render_inert_in_html_and_text() {
    for name in ["hostile-changes.json", "hostile-drift.json"] {
        let text = fixture(name);
        let document = stack::from_json(&text).unwrap();
        let html = document.html();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut values = Vec::new();
        strings(&value, &mut values);
        let markup: Vec<&String> = values.iter().filter(|v| v.contains('<')).collect();
        assert!(markup.len() >= 6, "{name}: the fixture is hostile");
        for tag in [
            "<script",
            "<img",
            "<svg",
            "<iframe",
            "<object",
            "<embed",
            "<link",
            "<base",
            "<a href=\"javascript",
            "<b>",
            "<u>",
            "</textarea",
            "onerror=\"",
            "onload=\"",
        ] {
            assert!(!html.contains(tag), "{name}: {tag} reached the page");
        }
        // Exactly one style element, the page's own, and one title.
        assert_eq!(html.matches("<style>").count(), 1, "{name}");
        assert_eq!(html.matches("</style>").count(), 1, "{name}");
        assert_eq!(html.matches("</title>").count(), 1, "{name}");
        assert!(
            html.contains("&lt;script&gt;window.__xss="),
            "{name}: shown as text"
        );
        assert!(html.contains("[U+202E]"), "{name}: bidi control visible");
        let text = document.text();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}'),
            "{name}"
        );
        assert!(text.contains("[U+202E]"), "{name}");
    }
    let text = stack::changes_text(&changes_fixture("hostile-changes.json"));
    assert!(text.contains("Role[U+001B][31m<b>bold</b>"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Security classification.

fn stack_ref() -> StackRef {
    StackRef {
        stack_name: "s".into(),
        region: "us-west-2".into(),
        account: "111122223333".into(),
    }
}

fn change(action: ChangeAction, logical_id: &str, resource_type: &str) -> ResourceChange {
    ResourceChange {
        action,
        logical_id: logical_id.into(),
        physical_id: None,
        resource_type: resource_type.into(),
        replacement: (action == ChangeAction::Modify).then_some(Replacement::False),
        scope: vec!["Properties".into()],
        details: Vec::new(),
    }
}

fn detail(path: &str, before: Option<&str>, after: Option<&str>) -> PropertyChange {
    PropertyChange {
        attribute: "Properties".into(),
        path: path.into(),
        requires_recreation: Some("Never".into()),
        before: before.map(str::to_owned),
        after: after.map(str::to_owned),
        cause: Some("DirectModification".into()),
    }
}

fn modify(resource_type: &str, details: Vec<PropertyChange>) -> ResourceChange {
    ResourceChange {
        details,
        ..change(ChangeAction::Modify, "R", resource_type)
    }
}

fn report(changes: Vec<ResourceChange>) -> ChangeSetReport {
    ChangeSetReport {
        stack: stack_ref(),
        change_set_name: "cs".into(),
        template_sha256: "0".repeat(64),
        tool_version: "0.1.0".into(),
        created: "2026-11-27T10:00:00Z".into(),
        changes,
    }
}

/// `category: what — why` per security change.
fn found(changes: Vec<ResourceChange>) -> Vec<String> {
    stack::security_changes(&report(changes))
        .into_iter()
        .map(|s| format!("{}: {} — {}", s.category.label(), s.what, s.why))
        .collect()
}

fn policy(statements: &str) -> String {
    format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{statements}]}}")
}

#[test]
fn iam_statements_added_or_broadened_are_found_from_the_values() {
    let before = policy(
        r#"{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}"#,
    );
    let after = policy(
        r#"{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"]},{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#,
    );
    let got = found(vec![modify(
        "AWS::IAM::Role",
        vec![detail(
            "/Properties/Policies/0/PolicyDocument",
            Some(&before),
            Some(&after),
        )],
    )]);
    assert_eq!(
        got,
        vec![
            "IAM: statement Read broadened: adds actions s3:PutObject; adds resources arn:aws:s3:::c/* — grants permissions it did not before",
            "IAM: statement added: Allow kms:* on * — a wildcard grants every matching action or resource, including ones added later",
        ]
    );
    // The same policy both sides, or a narrower one: nothing.
    let narrower =
        policy(r#"{"Sid":"Read","Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::b/*"}"#);
    assert!(
        found(vec![modify(
            "AWS::IAM::Role",
            vec![
                detail("Policies", Some(&before), Some(&narrower)),
                detail("Policies", Some(&before), Some(&before)),
                detail("/Properties/Policies/0/PolicyName", Some("a"), Some("b")),
            ]
        )])
        .is_empty()
    );
    // A wildcard appearing in a statement's field, given at the field's path.
    let got = found(vec![modify(
        "AWS::IAM::ManagedPolicy",
        vec![detail(
            "/Properties/PolicyDocument/Statement/0/Resource",
            Some("[\"arn:aws:s3:::b/*\"]"),
            Some("[\"*\"]"),
        )],
    )]);
    assert_eq!(
        got,
        vec![
            "IAM: /Properties/PolicyDocument/Statement/0/Resource: adds resources * — a wildcard grants every matching action or resource, including ones added later"
        ]
    );
}

#[test]
fn iam_changes_without_values_name_the_property() {
    let got = found(vec![modify(
        "AWS::IAM::Role",
        vec![
            detail("Policies", None, None),
            detail("AssumeRolePolicyDocument", None, None),
            detail("ManagedPolicyArns", None, None),
            detail("Tags", None, None),
            detail("Description", None, None),
        ],
    )]);
    assert_eq!(
        got,
        vec![
            "IAM: Policies changes (the change set gives no values) — the change set gives no values: review the policy's change in the template",
            "IAM: AssumeRolePolicyDocument changes (the change set gives no values) — the change set gives no values: review the policy's change in the template",
            "IAM: ManagedPolicyArns changes (the change set gives no values) — the change set gives no values: review the policy's change in the template",
        ]
    );
}

#[test]
fn trust_managed_policies_and_boundaries() {
    let trust = |principal: &str| {
        policy(&format!(
            r#"{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}"#
        ))
    };
    let got = found(vec![modify(
        "AWS::IAM::Role",
        vec![
            detail(
                "AssumeRolePolicyDocument",
                Some(&trust(r#"{"Service":"codebuild.amazonaws.com"}"#)),
                Some(&trust(
                    r#"{"Service":"codebuild.amazonaws.com","AWS":"arn:aws:iam::444455556666:root"}"#,
                )),
            ),
            detail(
                "ManagedPolicyArns",
                Some("[]"),
                Some("[\"arn:aws:iam::aws:policy/AdministratorAccess\"]"),
            ),
            detail(
                "PermissionsBoundary",
                Some("arn:aws:iam::111122223333:policy/boundary"),
                None,
            ),
        ],
    )]);
    assert_eq!(
        got,
        vec![
            "IAM: statement Allow sts:AssumeRole to Service:codebuild.amazonaws.com broadened: adds principals AWS:arn:aws:iam::444455556666:root — changes who may assume the role",
            "IAM: attaches managed policy arn:aws:iam::aws:policy/AdministratorAccess — an AWS managed policy with full access to a service or the account",
            "IAM: permissions boundary arn:aws:iam::111122223333:policy/boundary removed — the permissions boundary caps what the identity may do",
        ]
    );
}

#[test]
fn new_and_removed_iam_identities_and_policies() {
    let got = found(vec![
        change(ChangeAction::Add, "NewRole", "AWS::IAM::Role"),
        change(ChangeAction::Remove, "OldPolicy", "AWS::IAM::ManagedPolicy"),
        change(ChangeAction::Add, "Key", "AWS::IAM::AccessKey"),
        change(ChangeAction::Add, "Queue", "AWS::SQS::Queue"),
        change(ChangeAction::Remove, "Bucket", "AWS::S3::Bucket"),
    ]);
    assert_eq!(
        got,
        vec![
            "IAM: new IAM role — a new identity that services or principals can assume: check who may assume it and what it may do",
            "IAM: IAM managed policy removed — whatever used it loses its permissions: check nothing outside the stack still needs it",
            "IAM: new IAM access key — long-lived credentials that work from anywhere until rotated or deleted",
        ]
    );
}

#[test]
fn security_group_rules() {
    let before = r#"[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"SourceSecurityGroupId":"sg-0a1b2c3d"}]"#;
    let after = r#"[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"SourceSecurityGroupId":"sg-0a1b2c3d"},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"0.0.0.0/0"}]"#;
    let got = found(vec![
        modify(
            "AWS::EC2::SecurityGroup",
            vec![
                detail("SecurityGroupIngress", Some(before), Some(after)),
                detail("SecurityGroupEgress", None, None),
                detail("GroupDescription", Some("a"), Some("b")),
            ],
        ),
        change(ChangeAction::Add, "Rule", "AWS::EC2::SecurityGroupIngress"),
        modify(
            "AWS::EC2::SecurityGroupEgress",
            vec![detail("CidrIp", Some("10.0.0.0/8"), Some("0.0.0.0/0"))],
        ),
    ]);
    assert_eq!(
        got,
        vec![
            "network rule: adds ingress rule tcp 22 from 0.0.0.0/0 — open to the whole internet",
            "network rule: egress rules change (the change set gives no values) — changes which network traffic is allowed",
            "network rule: new security group ingress rule — changes which network traffic is allowed",
            "network rule: CidrIp: 10.0.0.0/8 → 0.0.0.0/0 — open to the whole internet",
        ]
    );
}

#[test]
fn bucket_topic_and_key_policies() {
    let tls_only = policy(
        r#"{"Sid":"DenyRequestsWithoutTls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
    );
    let got = found(vec![
        modify(
            "AWS::S3::BucketPolicy",
            vec![detail("PolicyDocument", Some(&tls_only), Some(&policy("")))],
        ),
        change(ChangeAction::Add, "Topic", "AWS::SNS::TopicPolicy"),
        change(ChangeAction::Remove, "Policy", "AWS::S3::BucketPolicy"),
        modify(
            "AWS::KMS::Key",
            vec![
                detail(
                    "KeyPolicy",
                    Some(&policy(
                        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#,
                    )),
                    Some(&policy(
                        r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"kms:*","Resource":"*"}"#,
                    )),
                ),
                detail("Description", Some("a"), Some("b")),
            ],
        ),
    ]);
    assert_eq!(
        got,
        vec![
            "resource policy: Deny statement removed or changed: Deny s3:* on arn:aws:s3:::b/* to * when {\"Bool\":{\"aws:SecureTransport\":\"false\"}} — a Deny statement no longer limits what other statements allow",
            "resource policy: new topic policy — decides who else, including other accounts, may use the resource",
            "resource policy: bucket policy removed — its grants and its protections (TLS-only, deny statements) are gone",
            "key policy: statement Allow kms:* on * to AWS:arn:aws:iam::111122223333:root broadened: adds principals AWS:* — a wildcard grants every matching action or resource, including ones added later",
        ]
    );
}

#[test]
fn public_access_and_encryption_weakened_or_removed() {
    let block = r#"{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}"#;
    let got = found(vec![
        modify(
            "AWS::S3::Bucket",
            vec![
                detail(
                    "/Properties/PublicAccessBlockConfiguration",
                    Some(block),
                    Some(
                        &block.replace("\"BlockPublicPolicy\":true", "\"BlockPublicPolicy\":false"),
                    ),
                ),
                detail(
                    "/Properties/BucketEncryption",
                    Some(
                        r#"{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}"#,
                    ),
                    None,
                ),
                // Turned on, or unchanged in substance: not listed.
                detail(
                    "/Properties/VersioningConfiguration/Status",
                    Some("Suspended"),
                    Some("Enabled"),
                ),
                detail(
                    "/Properties/PublicAccessBlockConfiguration/IgnorePublicAcls",
                    Some("false"),
                    Some("true"),
                ),
            ],
        ),
        modify(
            "AWS::SNS::Topic",
            vec![detail(
                "KmsMasterKeyId",
                Some("alias/aws/sns"),
                Some("alias/other"),
            )],
        ),
        modify(
            "AWS::CodeBuild::Project",
            vec![detail(
                "/Properties/Artifacts/EncryptionDisabled",
                Some("false"),
                Some("true"),
            )],
        ),
    ]);
    assert_eq!(
        got,
        vec![
            "public access: /Properties/PublicAccessBlockConfiguration: BlockPublicPolicy turned off — data may become reachable from outside the account",
            "encryption: /Properties/BucketEncryption removed (was {\"ServerSideEncryptionConfiguration\":[{\"ServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}) — data at rest may no longer be encrypted, or not with the key reviewed",
            "encryption: KmsMasterKeyId: alias/aws/sns → alias/other — data is then protected by another key: check that key's policy",
            "encryption: /Properties/Artifacts/EncryptionDisabled: false → true — data at rest may no longer be encrypted, or not with the key reviewed",
        ]
    );
}

#[test]
fn the_demo_change_set_flags_its_iam_broadening_and_nothing_else() {
    let security = stack::security_changes(&changes_fixture("demo-changes.json"));
    let got: Vec<(&str, SecurityCategory, &str)> = security
        .iter()
        .map(|s| (s.logical_id.as_str(), s.category, s.what.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "CodeBuildRole",
                SecurityCategory::Iam,
                "statement ArtifactObjects broadened: adds actions s3:DeleteObject"
            ),
            (
                "CodeBuildRole",
                SecurityCategory::Iam,
                "statement added: Allow ssm:GetParameter on *"
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Stack events.

fn event(
    time: &str,
    logical_id: &str,
    resource_type: &str,
    status: &str,
    reason: &str,
) -> StackEvent {
    StackEvent {
        timestamp: format!("2026-11-27T10:{time}Z"),
        logical_id: logical_id.into(),
        physical_id: None,
        resource_type: resource_type.into(),
        status: status.into(),
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
    }
}

const STACK: &str = "techcorp-prod-a001-us-west-2-customer-churn-ml-stack";
const STACK_TYPE: &str = "AWS::CloudFormation::Stack";
const ACCESS_DENIED: &str = "Resource handler returned message: \"User: arn:aws:sts::111122223333:assumed-role/MlOperator/alice is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::111122223333:role/techcorp-prod-a001-usw2-customer-churn-cb because no identity-based policy allows the iam:CreateRole action (Service: Iam, Status Code: 403, Request ID: 6f1c2a9e-1b7d-4c3e-9f0a-2d4b5e6f7a8b)\" (RequestToken: 0b9e8f7a-6c5d-4e3f-8a2b-1c0d9e8f7a6b, HandlerErrorCode: AccessDenied)";

fn failed_create() -> Vec<StackEvent> {
    vec![
        event(
            "00:01",
            STACK,
            STACK_TYPE,
            "CREATE_IN_PROGRESS",
            "User Initiated",
        ),
        event(
            "00:04",
            "ModelPackageGroup",
            "AWS::SageMaker::ModelPackageGroup",
            "CREATE_IN_PROGRESS",
            "",
        ),
        event(
            "00:04",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "CREATE_IN_PROGRESS",
            "",
        ),
        event(
            "00:04",
            "CodeBuildRole",
            "AWS::IAM::Role",
            "CREATE_IN_PROGRESS",
            "",
        ),
        event(
            "00:05",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "CREATE_IN_PROGRESS",
            "Resource creation Initiated",
        ),
        event(
            "00:05",
            "ModelPackageGroup",
            "AWS::SageMaker::ModelPackageGroup",
            "CREATE_IN_PROGRESS",
            "Resource creation Initiated",
        ),
        event(
            "00:06",
            "CodeBuildRole",
            "AWS::IAM::Role",
            "CREATE_FAILED",
            ACCESS_DENIED,
        ),
        event(
            "00:06",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "CREATE_FAILED",
            "Resource creation cancelled",
        ),
        event(
            "00:06",
            "ModelPackageGroup",
            "AWS::SageMaker::ModelPackageGroup",
            "CREATE_FAILED",
            "Resource creation cancelled",
        ),
        event(
            "00:07",
            STACK,
            STACK_TYPE,
            "ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [ArtifactBucket, ModelPackageGroup, CodeBuildRole]. Rollback requested by user.",
        ),
        event(
            "00:08",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "DELETE_IN_PROGRESS",
            "",
        ),
        event(
            "00:09",
            "ModelPackageGroup",
            "AWS::SageMaker::ModelPackageGroup",
            "DELETE_COMPLETE",
            "",
        ),
        event(
            "00:10",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "DELETE_COMPLETE",
            "",
        ),
        event(
            "00:10",
            "CodeBuildRole",
            "AWS::IAM::Role",
            "DELETE_COMPLETE",
            "",
        ),
        event("00:11", STACK, STACK_TYPE, "ROLLBACK_COMPLETE", ""),
    ]
}

fn ids(events: Vec<&StackEvent>) -> Vec<(&str, &str)> {
    events
        .into_iter()
        .map(|e| (e.logical_id.as_str(), e.status.as_str()))
        .collect()
}

#[test]
fn root_cause_is_the_access_denied_not_the_cancellations_and_rollback() {
    let events = failed_create();
    let cause = stack::root_cause(&events);
    assert_eq!(ids(cause.clone()), vec![("CodeBuildRole", "CREATE_FAILED")]);
    assert!(
        cause[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("iam:CreateRole")
    );
    // A failure in the rollback afterwards is not the cause either.
    let mut events = failed_create();
    events.insert(
        11,
        event("00:09", "ArtifactBucket", "AWS::S3::Bucket", "DELETE_FAILED", "Resource handler returned message: \"The bucket you tried to delete is not empty (Service: S3, Status Code: 409, Request ID: 8RZ2G7XH)\" (HandlerErrorCode: GeneralServiceException)"),
    );
    assert_eq!(
        ids(stack::root_cause(&events)),
        vec![("CodeBuildRole", "CREATE_FAILED")]
    );
}

#[test]
fn root_cause_of_updates_parallel_failures_and_failed_rollbacks() {
    let update = vec![
        event(
            "00:01",
            STACK,
            STACK_TYPE,
            "UPDATE_IN_PROGRESS",
            "User Initiated",
        ),
        event(
            "00:02",
            "ModelBuildProject",
            "AWS::CodeBuild::Project",
            "UPDATE_IN_PROGRESS",
            "",
        ),
        event(
            "00:02",
            "ArtifactBucketPolicy",
            "AWS::S3::BucketPolicy",
            "UPDATE_IN_PROGRESS",
            "",
        ),
        event(
            "00:03",
            "ArtifactBucketPolicy",
            "AWS::S3::BucketPolicy",
            "UPDATE_FAILED",
            "Resource handler returned message: \"Policy has invalid resource (Service: S3, Status Code: 400, Request ID: 1J9Q4R6T)\" (HandlerErrorCode: InvalidRequest)",
        ),
        event(
            "00:03",
            "ModelBuildProject",
            "AWS::CodeBuild::Project",
            "UPDATE_FAILED",
            "Resource handler returned message: \"Invalid input: Project environment image aws/codebuild/standard:99.0 is not supported (Service: CodeBuild, Status Code: 400)\" (HandlerErrorCode: InvalidRequest)",
        ),
        event(
            "00:03",
            "ModelBuildProject",
            "AWS::CodeBuild::Project",
            "UPDATE_FAILED",
            "Resource update cancelled",
        ),
        event(
            "00:04",
            STACK,
            STACK_TYPE,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to update: [ArtifactBucketPolicy, ModelBuildProject].",
        ),
        event("00:05", STACK, STACK_TYPE, "UPDATE_ROLLBACK_COMPLETE", ""),
    ];
    assert_eq!(
        ids(stack::root_cause(&update)),
        vec![
            ("ArtifactBucketPolicy", "UPDATE_FAILED"),
            ("ModelBuildProject", "UPDATE_FAILED"),
        ]
    );
    // Nothing failed before the rollback: the rollback's own failure is what to fix.
    let rollback = vec![
        event(
            "00:01",
            STACK,
            STACK_TYPE,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "Rollback requested by user.",
        ),
        event(
            "00:02",
            "ArtifactBucket",
            "AWS::S3::Bucket",
            "UPDATE_FAILED",
            "Resource handler returned message: \"Access Denied (Service: S3, Status Code: 403)\" (HandlerErrorCode: AccessDenied)",
        ),
        event(
            "00:03",
            STACK,
            STACK_TYPE,
            "UPDATE_ROLLBACK_FAILED",
            "The following resource(s) failed to update: [ArtifactBucket].",
        ),
    ];
    assert_eq!(
        ids(stack::root_cause(&rollback)),
        vec![("ArtifactBucket", "UPDATE_FAILED")]
    );
    // No resource failed: the stack's own reason.
    let role = vec![
        event(
            "00:01",
            STACK,
            STACK_TYPE,
            "CREATE_IN_PROGRESS",
            "User Initiated",
        ),
        event(
            "00:02",
            STACK,
            STACK_TYPE,
            "ROLLBACK_IN_PROGRESS",
            "Role arn:aws:iam::111122223333:role/cfn-exec is invalid or cannot be assumed",
        ),
        event("00:03", STACK, STACK_TYPE, "ROLLBACK_COMPLETE", ""),
    ];
    assert_eq!(
        ids(stack::root_cause(&role)),
        vec![(STACK, "ROLLBACK_IN_PROGRESS")]
    );
    // A success has no cause.
    let ok = vec![
        event(
            "00:01",
            STACK,
            STACK_TYPE,
            "UPDATE_IN_PROGRESS",
            "User Initiated",
        ),
        event("00:02", STACK, STACK_TYPE, "UPDATE_COMPLETE", ""),
    ];
    assert!(stack::root_cause(&ok).is_empty());
}

#[test]
fn one_line_per_event_with_controls_visible() {
    let events = failed_create();
    assert_eq!(
        stack::event_line(&events[1]),
        "2026-11-27T10:00:04Z  CREATE_IN_PROGRESS    ModelPackageGroup (AWS::SageMaker::ModelPackageGroup)"
    );
    assert_eq!(
        stack::event_line(&events[7]),
        "2026-11-27T10:00:06Z  CREATE_FAILED         ArtifactBucket (AWS::S3::Bucket): Resource creation cancelled"
    );
    let hostile = event(
        "00:01",
        "X",
        "T",
        "CREATE_FAILED",
        "a\u{1b}]0;title\u{7}\nb",
    );
    assert_eq!(
        stack::event_line(&hostile),
        "2026-11-27T10:00:01Z  CREATE_FAILED         X (T): a[U+001B]]0;title[U+0007]\\nb"
    );
}
