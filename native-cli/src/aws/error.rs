//! AWS failures as the user needs them: what failed, on which resource, and what to do. Every
//! SDK error is classified here once ([`AwsError::from_parts`]); the actions print
//! [`AwsError::message`] and [`AwsError::hint`].

use std::fmt;

/// What kind of failure, as far as the advice to the user differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No credentials were found in the standard chain.
    NoCredentials,
    /// The credentials (or the session token) expired or are not valid.
    ExpiredCredentials,
    /// The caller lacks an IAM permission.
    AccessDenied,
    /// AWS kept throttling after the retries.
    Throttled,
    /// The endpoint could not be reached (network, DNS, TLS, a wrong `--endpoint-url`).
    Unreachable,
    /// A stack (or change set) is in a state that blocks the call.
    StackState,
    /// Anything else AWS refused; its code and message are shown.
    Other,
}

/// One failed AWS call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    pub kind: Kind,
    /// The IAM action of the call (`cloudformation:CreateChangeSet`).
    pub call: &'static str,
    /// The resource it was about (a stack name, a parameter, a bucket).
    pub resource: String,
    /// AWS's error code (`AccessDenied`, `ValidationError`), when it gave one.
    pub code: Option<String>,
    /// AWS's message, or the transport's.
    pub detail: String,
    pub request_id: Option<String>,
}

/// Error codes that mean the credentials are expired or not valid.
const EXPIRED: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "TokenRefreshRequired",
];
const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
];
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
    "RequestThrottled",
];

impl AwsError {
    /// Classifies a failure from its parts: the AWS error code when there is one, else the
    /// transport's description.
    pub fn from_parts(
        call: &'static str,
        resource: impl Into<String>,
        code: Option<&str>,
        detail: impl Into<String>,
        request_id: Option<&str>,
    ) -> AwsError {
        let detail = detail.into();
        let kind = match code {
            Some(c) if EXPIRED.contains(&c) => Kind::ExpiredCredentials,
            Some(c) if DENIED.contains(&c) => Kind::AccessDenied,
            Some(c) if THROTTLED.contains(&c) => Kind::Throttled,
            Some(_) if is_stack_state(&detail) => Kind::StackState,
            Some(_) => Kind::Other,
            None if detail.contains("no credentials")
                || detail.contains("CredentialsNotLoaded") =>
            {
                Kind::NoCredentials
            }
            None if detail.contains("expired") => Kind::ExpiredCredentials,
            None => Kind::Unreachable,
        };
        AwsError {
            kind,
            call,
            resource: resource.into(),
            code: code.map(str::to_owned),
            detail,
            request_id: request_id.map(str::to_owned),
        }
    }

    /// A failure that is not one AWS call's error (a stack left in a state that blocks the
    /// action, a timeout of ours).
    pub fn state(
        call: &'static str,
        resource: impl Into<String>,
        detail: impl Into<String>,
    ) -> AwsError {
        AwsError {
            kind: Kind::StackState,
            call,
            resource: resource.into(),
            code: None,
            detail: detail.into(),
            request_id: None,
        }
    }

    /// What failed, on which resource, and AWS's words.
    pub fn message(&self) -> String {
        let what = match self.kind {
            Kind::NoCredentials => "no AWS credentials found",
            Kind::ExpiredCredentials => "the AWS credentials are expired or not valid",
            Kind::AccessDenied => "access denied",
            Kind::Throttled => "AWS throttled the request, still after the retries",
            Kind::Unreachable => "cannot reach the AWS endpoint",
            Kind::StackState => "the stack's state blocks this",
            Kind::Other => "AWS refused the request",
        };
        let code = self
            .code
            .as_deref()
            .map(|c| format!("{c}: "))
            .unwrap_or_default();
        let request = self
            .request_id
            .as_deref()
            .map(|id| format!(" (request id {id})"))
            .unwrap_or_default();
        format!(
            "{} calling {} on {}: {code}{}{request}",
            what,
            self.call,
            self.resource,
            one_line(&self.detail)
        )
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self.kind {
            Kind::NoCredentials => "set AWS_PROFILE (or --profile) to a profile in ~/.aws, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or task role is attached".to_owned(),
            Kind::ExpiredCredentials => "refresh the credentials (`aws sso login --profile <name>` for SSO, or new keys / a new session token) and run again".to_owned(),
            Kind::AccessDenied => format!(
                "the caller needs {} on {}: create the policy documents `-act create-policy` writes for this config and attach them to the user or role you run as (the commands are in policies/<config>-iam-policy.md)",
                self.call, self.resource
            ),
            Kind::Throttled => "wait a minute and run again; if it persists, raise AWS_MAX_ATTEMPTS or ask for a higher request quota".to_owned(),
            Kind::Unreachable if self.detail.contains("certificate") => "the endpoint's TLS certificate is not trusted: if a proxy on your network re-signs TLS, add its CA certificate to a bundle and set SSL_CERT_FILE to it (in the image, mount the bundle at /etc/ssl/certs/ca-certificates.crt)".to_owned(),
            Kind::Unreachable => "check the network and the region; with --endpoint-url or AWS_ENDPOINT_URL, check that the endpoint runs".to_owned(),
            Kind::StackState => "wait until the stack's current operation ends (see its events in the CloudFormation console), or fix the state AWS names, then run again".to_owned(),
            Kind::Other => "fix what AWS names above and run again".to_owned(),
        }
    }
}

fn is_stack_state(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    (d.contains("is in ") && d.contains("state"))
        || d.contains("_in_progress")
        || d.contains("cannot be updated")
}

/// Multi-line AWS messages on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_classified_with_advice() {
        let denied = AwsError::from_parts(
            "cloudformation:CreateChangeSet",
            "stack acme-ml",
            Some("AccessDenied"),
            "User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:CreateChangeSet",
            Some("req-1"),
        );
        assert_eq!(denied.kind, Kind::AccessDenied);
        assert!(
            denied
                .message()
                .contains("cloudformation:CreateChangeSet on stack acme-ml")
        );
        assert!(denied.message().contains("request id req-1"));
        assert!(denied.hint().contains("create-policy"));
        let expired = AwsError::from_parts(
            "sts:GetCallerIdentity",
            "the caller",
            Some("ExpiredToken"),
            "The security token included in the request is expired",
            None,
        );
        assert_eq!(expired.kind, Kind::ExpiredCredentials);
        assert!(expired.hint().contains("sso login"));
        let throttled = AwsError::from_parts(
            "cloudformation:DescribeStacks",
            "stack s",
            Some("Throttling"),
            "Rate exceeded",
            None,
        );
        assert_eq!(throttled.kind, Kind::Throttled);
        let state = AwsError::from_parts(
            "cloudformation:CreateChangeSet",
            "stack s",
            Some("ValidationError"),
            "Stack:arn:aws:cloudformation:us-west-2:1:stack/s/x is in UPDATE_IN_PROGRESS state and can not be updated.",
            None,
        );
        assert_eq!(state.kind, Kind::StackState);
        let other = AwsError::from_parts(
            "ssm:GetParameter",
            "parameter /x",
            Some("ValidationException"),
            "bad",
            None,
        );
        assert_eq!(other.kind, Kind::Other);
        let unreachable = AwsError::from_parts(
            "sts:GetCallerIdentity",
            "the caller",
            None,
            "dispatch failure: io error: connection refused",
            None,
        );
        assert_eq!(unreachable.kind, Kind::Unreachable);
        assert!(unreachable.hint().contains("check that the endpoint runs"));
        let untrusted = AwsError::from_parts(
            "sts:GetCallerIdentity",
            "the caller",
            None,
            "dispatch failure: io error: client error (Connect): TLS handshake failed: invalid peer certificate: UnknownIssuer",
            None,
        );
        assert_eq!(untrusted.kind, Kind::Unreachable);
        assert!(
            untrusted.hint().contains("SSL_CERT_FILE"),
            "{}",
            untrusted.hint()
        );
        let none = AwsError::from_parts(
            "sts:GetCallerIdentity",
            "the caller",
            None,
            "failed to construct request: no credentials in the property bag",
            None,
        );
        assert_eq!(none.kind, Kind::NoCredentials);
    }
}
