//! Reading IAM for the report: the operator policy's and each stack role's statements, with
//! the risk categories cloudsplaining uses (privilege escalation, resource exposure, data
//! exfiltration, credentials exposure, infrastructure modification). As in cloudsplaining, a
//! category is a finding only on an unrestricted resource (`*`); on this product's own ARNs it
//! is shown as scoped.

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    PrivilegeEscalation,
    ResourceExposure,
    DataExfiltration,
    CredentialsExposure,
    InfrastructureModification,
}

impl Risk {
    pub fn label(self) -> &'static str {
        match self {
            Risk::PrivilegeEscalation => "privilege escalation",
            Risk::ResourceExposure => "resource exposure",
            Risk::DataExfiltration => "data exfiltration",
            Risk::CredentialsExposure => "credentials exposure",
            Risk::InfrastructureModification => "infrastructure modification",
        }
    }
}

const PRIVILEGE_ESCALATION: &[&str] = &[
    "iam:PassRole",
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
    "iam:AddUserToGroup",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
];

const RESOURCE_EXPOSURE: &[&str] = &[
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutBucketPublicAccessBlock",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "kms:RevokeGrant",
    "sagemaker:PutModelPackageGroupPolicy",
    "sagemaker:DeleteModelPackageGroupPolicy",
    "logs:PutResourcePolicy",
    "events:PutPermission",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
];

const DATA_EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
    "codecommit:GitPull",
];

const CREDENTIALS_EXPOSURE: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "sts:AssumeRole",
    "sts:GetSessionToken",
    "sts:GetFederationToken",
    "ecr:GetAuthorizationToken",
    "codepipeline:PollForJobs",
];

/// Whether an action only reads (by its verb).
fn read_only(action: &str) -> bool {
    let verb = action.split_once(':').map_or(action, |(_, v)| v);
    [
        "Get", "List", "Describe", "BatchGet", "Head", "Search", "Lookup",
    ]
    .iter()
    .any(|p| verb.starts_with(p))
}

/// The risk categories an action belongs to.
pub fn risks_of(action: &str) -> Vec<Risk> {
    let mut out = Vec::new();
    let lists = [
        (Risk::PrivilegeEscalation, PRIVILEGE_ESCALATION),
        (Risk::ResourceExposure, RESOURCE_EXPOSURE),
        (Risk::DataExfiltration, DATA_EXFILTRATION),
        (Risk::CredentialsExposure, CREDENTIALS_EXPOSURE),
    ];
    for (risk, list) in lists {
        if list.iter().any(|a| a.eq_ignore_ascii_case(action)) {
            out.push(risk);
        }
    }
    if !read_only(action) {
        out.push(Risk::InfrastructureModification);
    }
    out
}

/// One statement as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementView {
    pub sid: String,
    pub effect: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub condition: Option<String>,
    /// The statement applies to every resource (`*`).
    pub unrestricted: bool,
    pub risks: Vec<Risk>,
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(show).collect(),
        Value::Null => Vec::new(),
        other => vec![show(other)],
    }
}

/// A template value as one line: strings as they are, intrinsics in their short form.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.len() == 1 => {
            let Some((key, inner)) = map.iter().next() else {
                return String::new();
            };
            match (key.as_str(), inner) {
                ("Ref", Value::String(s)) => format!("!Ref {s}"),
                ("Fn::Sub", Value::String(s)) => format!("!Sub {s}"),
                ("Fn::GetAtt", Value::Array(parts)) => format!(
                    "!GetAtt {}",
                    parts.iter().map(show).collect::<Vec<_>>().join(".")
                ),
                _ => inner_json(value),
            }
        }
        other => inner_json(other),
    }
}

fn inner_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The statements of a policy document.
pub fn statements(document: &Value) -> Vec<StatementView> {
    let list = match &document["Statement"] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    list.iter()
        .map(|st| {
            let actions = strings(&st["Action"]);
            let resources = strings(&st["Resource"]);
            let unrestricted = resources.iter().any(|r| r == "*");
            let mut risks: Vec<Risk> = actions.iter().flat_map(|a| risks_of(a)).collect();
            risks.sort();
            risks.dedup();
            StatementView {
                sid: st["Sid"].as_str().unwrap_or("").to_owned(),
                effect: st["Effect"].as_str().unwrap_or("Allow").to_owned(),
                actions,
                resources,
                condition: st.get("Condition").filter(|c| !c.is_null()).map(inner_json),
                unrestricted,
                risks,
            }
        })
        .collect()
}

/// An IAM role the template creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleView {
    pub logical_id: String,
    pub name: String,
    pub description: String,
    /// Services (or other principals) that may assume it.
    pub trusted: Vec<String>,
    pub policies: Vec<(String, Vec<StatementView>)>,
    pub managed: Vec<String>,
}

/// The roles of a generated template document, in template order.
pub fn roles(template: &Value) -> Vec<RoleView> {
    let Some(resources) = template["Resources"].as_object() else {
        return Vec::new();
    };
    resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::IAM::Role")
        .map(|(id, r)| {
            let p = &r["Properties"];
            let mut trusted = Vec::new();
            if let Some(list) = p["AssumeRolePolicyDocument"]["Statement"].as_array() {
                for st in list {
                    for (kind, who) in st["Principal"].as_object().into_iter().flatten() {
                        for w in strings(who) {
                            trusted.push(format!("{kind}: {w}"));
                        }
                    }
                }
            }
            let policies = p["Policies"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|pol| {
                    (
                        pol["PolicyName"].as_str().unwrap_or("").to_owned(),
                        statements(&pol["PolicyDocument"]),
                    )
                })
                .collect();
            RoleView {
                logical_id: id.clone(),
                name: show(&p["RoleName"]),
                description: p["Description"].as_str().unwrap_or("").to_owned(),
                trusted,
                policies,
                managed: strings(&p["ManagedPolicyArns"]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Risk, risks_of, show};
    use serde_json::json;

    #[test]
    fn classifies_like_cloudsplaining() {
        assert_eq!(
            risks_of("iam:PassRole"),
            [Risk::PrivilegeEscalation, Risk::InfrastructureModification]
        );
        assert_eq!(risks_of("s3:GetObject"), [Risk::DataExfiltration]);
        assert!(risks_of("ec2:DescribeVpcs").is_empty());
    }

    #[test]
    fn shows_intrinsics_in_short_form() {
        assert_eq!(
            show(&json!({"Fn::GetAtt": ["Role", "Arn"]})),
            "!GetAtt Role.Arn"
        );
        assert_eq!(show(&json!({"Ref": "X"})), "!Ref X");
        assert_eq!(show(&json!("*")), "*");
    }
}
