//! The one diagnostic type of the project: a stable code, a severity, a message, a primary span
//! (byte range into the checked text), secondary labels and an optional fix hint.
//!
//! Rendering (annotated text, JSON, SARIF) lives in [`crate::render`]; nothing here flattens a
//! span into a string.

use serde::Serialize;

/// A byte range `start..end` into the checked source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Says what was not checked, and where to check it; never makes a file invalid.
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $text:literal, $severity:ident, $summary:literal; )*) => {
        /// Every diagnostic code the project emits. The kebab-case text is stable: scripts,
        /// SARIF consumers and fixture annotations match on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// All codes, in documentation order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable kebab-case identifier.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// The severity this code is reported with.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// One line describing what the code means (used for SARIF rules and the docs).
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// Looks a code up by its kebab-case identifier.
            pub fn from_str_opt(text: &str) -> Option<Code> {
                match text { $( $text => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // Input and YAML layer.
    FileTooLarge = "file-too-large", Error, "The file is larger than the configured size limit.";
    InvalidUtf8 = "invalid-utf8", Error, "The file is not valid UTF-8 text.";
    ControlCharacter = "control-character", Error, "The file contains a control character (binary content?).";
    EmptyFile = "empty-file", Error, "The file contains no YAML document.";
    YamlSyntax = "yaml-syntax", Error, "The text is not well-formed YAML.";
    TabIndentation = "tab-indentation", Error, "A tab is used for indentation; YAML allows only spaces.";
    MultipleDocuments = "multiple-documents", Error, "The file holds more than one YAML document.";
    NestingTooDeep = "nesting-too-deep", Error, "Collections are nested deeper than the limit.";
    AliasLimit = "alias-limit", Error, "Aliases expand to more nodes than the limit (alias bomb?).";
    UnknownAnchor = "unknown-anchor", Error, "An alias refers to an anchor that was not defined before it.";
    UnsupportedTag = "unsupported-tag", Error, "A YAML tag other than the core schema's is used.";
    ComplexKey = "complex-key", Error, "A mapping key is not a plain scalar.";
    DuplicateKey = "duplicate-key", Error, "A mapping has the same key twice.";
    RootNotMapping = "root-not-mapping", Error, "The document root is not a mapping.";
    // Schema layer.
    UnknownKey = "unknown-key", Error, "A key that the config format does not define.";
    MissingKey = "missing-key", Error, "A required key is missing.";
    WrongType = "wrong-type", Error, "A value has the wrong type.";
    InvalidValue = "invalid-value", Error, "A value is not one of the allowed values.";
    InvalidFormat = "invalid-format", Error, "A value does not have the required form.";
    ValueTooShort = "value-too-short", Error, "A value is shorter than allowed.";
    ValueTooLong = "value-too-long", Error, "A value is longer than allowed.";
    TooFewItems = "too-few-items", Error, "A list has fewer items than required.";
    TooManyItems = "too-many-items", Error, "A list or mapping has more entries than allowed.";
    DuplicateItem = "duplicate-item", Error, "A list holds the same item twice.";
    UnknownRegion = "unknown-region", Error, "The region is not a known AWS region code.";
    InvalidAccountId = "invalid-account-id", Error, "The account id is not 12 digits.";
    InvalidTenantId = "invalid-tenant-id", Error, "The tenant id is not 4 lowercase letters or digits.";
    InvalidCompanyPrefix = "invalid-company-prefix", Error, "The company prefix is not lowercase letters, digits and single hyphens starting with a letter.";
    InvalidUseCase = "invalid-use-case", Error, "The use case is not lowercase words joined by single hyphens.";
    InvalidWorkload = "invalid-workload", Error, "The workload is not lowercase words joined by single hyphens.";
    InvalidEmail = "invalid-email", Error, "The e-mail address is malformed.";
    InvalidS3Prefix = "invalid-s3-prefix", Error, "The s3_prefix is not bucket[/key prefix] with a valid bucket name.";
    InvalidVpcId = "invalid-vpc-id", Error, "The VPC id is not vpc- followed by 8 or 17 hex digits.";
    InvalidSubnetId = "invalid-subnet-id", Error, "A subnet id is not subnet- followed by 8 or 17 hex digits.";
    InvalidRouteTableId = "invalid-route-table-id", Error, "A route table id is not rtb- followed by 8 or 17 hex digits.";
    InvalidSsmParameter = "invalid-ssm-parameter", Error, "An SSM parameter path is malformed or too deep.";
    // Cross-field rules.
    S3PrefixRequired = "s3-prefix-required", Error, "source_control is s3 but s3_prefix is missing.";
    S3PrefixNotAllowed = "s3-prefix-not-allowed", Error, "s3_prefix is given but source_control is not s3.";
    AlertsEmailRequired = "alerts-email-required", Error, "professional and enterprise tiers need alerts_email.";
    AlertsEmailUnused = "alerts-email-unused", Warning, "alerts_email is given on the starter tier, which sends no alerts.";
    VpcIntegrationRequired = "vpc-integration-required", Error, "The enterprise tier needs vpc_integration.";
    VpcIntegrationNotAllowed = "vpc-integration-not-allowed", Error, "vpc_integration is only allowed on the enterprise tier.";
    VpcKeyNotAllowed = "vpc-key-not-allowed", Error, "A vpc_integration key does not go with the chosen mode or vpc_source.";
    VpcDirectIdsRequired = "vpc-direct-ids-required", Error, "vpc_source direct needs vpc_id and subnet_ids.";
    ReservedTagKey = "reserved-tag-key", Error, "A tag key uses the reserved aws: prefix or one of the tool's own ml: keys.";
    InvalidTag = "invalid-tag", Error, "A tag key or value breaks AWS's length or character rules.";
    NameTooLong = "name-too-long", Error, "A derived physical name is longer than its service allows.";
    InvalidName = "invalid-name", Error, "A derived physical name breaks its service's character rules.";
    FileNameMismatch = "file-name-mismatch", Warning, "The file name follows the suite convention but disagrees with the content.";
    // Templates (light checks the browser runs at keystroke speed).
    InvalidTemplate = "invalid-template", Error, "The template lacks the structure CloudFormation requires (Resources, Type, ...).";
    UnknownReference = "unknown-reference", Error, "A Ref, GetAtt, Sub or DependsOn names something the template does not define.";
    UnknownAttribute = "unknown-attribute", Error, "A GetAtt asks for an attribute the resource type does not have.";
    DependencyCycle = "dependency-cycle", Error, "Resources depend on each other in a circle.";
    BucketNotEncrypted = "bucket-not-encrypted", Error, "An S3 bucket has no default encryption.";
    BucketPublicAccess = "bucket-public-access", Error, "An S3 bucket does not block all public access.";
    BucketWithoutTls = "bucket-without-tls-policy", Error, "No bucket policy denies requests to an S3 bucket that do not use TLS.";
    IamWildcardAction = "iam-wildcard-action", Error, "An IAM policy allows a wildcard action.";
    IamStarResource = "iam-star-resource", Warning, "An IAM statement allows actions on every resource without saying why.";
    SgOpenIngress = "sg-open-ingress", Error, "A security group accepts traffic from anywhere (0.0.0.0/0 or ::/0).";
    ResourceRule = "resource-rule", Error, "A resource breaks a rule of its service that CloudFormation or the service enforces (backup lifecycle, cluster settings, a resource policy's grammar).";
    TransformNotExpanded = "transform-not-expanded", Note, "The template uses a transform (macro): the light checks skip what its output decides.";
    // Templates (the CLI's deep check against CloudFormation's resource schemas and rules).
    UnknownProperty = "unknown-property", Error, "A resource has a property its CloudFormation schema does not define.";
    WrongPropertyType = "wrong-property-type", Error, "A property value has the wrong type for its CloudFormation schema.";
    InvalidEnumValue = "invalid-enum-value", Error, "A property value is not one of the values CloudFormation allows.";
    CfnRule = "cfn-rule", Error, "Another CloudFormation schema or rule violation (the message names the validator's rule).";
    CfnRuleWarning = "cfn-rule-warning", Warning, "A CloudFormation validator warning (the message names the rule).";
}

/// A secondary location with a note, e.g. "first defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            labels: Vec::new(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Maps byte offsets to 1-based line and column (columns count Unicode scalar values). A
/// byte-order mark at the start of the text is not part of line 1 (editors do not show it):
/// line 1 starts after it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bom = if text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        };
        let mut line_starts = vec![bom];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The byte offset of 1-based `line` and `column` (in characters); clamps to the text.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let line_text = self.line_text(text, line);
        start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i)
    }

    /// 1-based (line, column) of `offset`; offsets past the end clamp to the end, offsets in a
    /// byte-order mark to line 1, column 1.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len()).max(self.line_starts[0]);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, col + 1)
    }

    /// The text of 1-based `line` without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(text.len(), |&next| next);
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}
