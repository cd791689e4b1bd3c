//! Cross-field rules, tag rules, derived-name limits and the file-name cross-check
//! (PRODUCT.md §3). They read the spanned tree so that they run even when other parts of the
//! config are broken; values that already failed the schema (`failed`) are skipped.

use crate::catalog::Shape;
use crate::config::Tier;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::files;
use crate::names::{self, NameKind, NameParts, NameProblem, Problem, check_bucket_name};
use crate::regions;
use crate::yaml::{Node, NodeKind};

/// Tag keys the tool sets on every resource itself.
pub const OWN_TAG_KEYS: [&str; 4] = ["ml:name", "ml:tier", "ml:env", "ml:managed-by"];

struct View<'a> {
    root: &'a Node,
    failed: &'a [String],
}

impl<'a> View<'a> {
    /// A string value at `pointer` that passed the schema.
    fn text(&self, pointer: &str) -> Option<(&'a str, Span)> {
        if self.failed.iter().any(|f| f == pointer) {
            return None;
        }
        let (_, node) = self.root.lookup(pointer)?;
        Some((node.as_str()?, node.span))
    }

    /// The key span of `pointer` when the key is present (whatever its value).
    fn key(&self, pointer: &str) -> Option<Span> {
        let (key, node) = self.root.lookup(pointer)?;
        Some(key.map_or(node.span, |k| k.span))
    }

    fn present(&self, pointer: &str) -> bool {
        self.root.lookup(pointer).is_some()
    }
}

pub fn check(root: &Node, failed: &[String], file_name: &str, out: &mut Vec<Diagnostic>) {
    let view = View { root, failed };
    let tier = view
        .text("/ml_product/tier")
        .and_then(|(t, span)| Some((Tier::parse(t)?, span)));
    source_rules(&view, out);
    if let Some((tier, tier_span)) = tier {
        alerts_rules(&view, tier, tier_span, out);
        vpc_rules(&view, tier, tier_span, out);
    }
    ssm_parameter_rules(&view, out);
    tag_rules(root, out);
    let parts = name_parts(&view);
    if let Some(parts) = &parts {
        name_rules(&view, parts, out);
    }
    file_name_rule(&view, parts.as_ref(), file_name, out);
}

fn source_rules(view: &View<'_>, out: &mut Vec<Diagnostic>) {
    let Some((source, source_span)) = view.text("/ml_product/source_control") else {
        return;
    };
    let prefix_key = view.key("/ml_product/s3_prefix");
    match (source, prefix_key) {
        ("s3", None) => out.push(
            Diagnostic::new(
                Code::S3PrefixRequired,
                source_span,
                "source_control is s3, so s3_prefix is required",
            )
            .with_hint("add 's3_prefix: <bucket>[/<key prefix>]' under ml_product, naming the existing bucket that holds the source archives"),
        ),
        ("codecommit", Some(span)) => out.push(
            Diagnostic::new(
                Code::S3PrefixNotAllowed,
                span,
                "s3_prefix is only used when source_control is s3",
            )
            .with_label(source_span, "source_control is codecommit here")
            .with_hint("remove s3_prefix, or set source_control: s3"),
        ),
        _ => {}
    }
    if let Some((prefix, span)) = view.text("/ml_product/s3_prefix") {
        let bucket = prefix.split('/').next().unwrap_or(prefix);
        if let Err(why) = check_bucket_name(bucket) {
            out.push(
                Diagnostic::new(
                    Code::InvalidS3Prefix,
                    span,
                    format!("'{bucket}' is not a valid S3 bucket name: {why}"),
                )
                .with_hint("s3_prefix is bucket[/key prefix]; the bucket part must be a valid S3 bucket name"),
            );
        }
    }
}

fn alerts_rules(view: &View<'_>, tier: Tier, tier_span: Span, out: &mut Vec<Diagnostic>) {
    let email_key = view.key("/ml_product/alerts_email");
    match (tier, email_key) {
        (Tier::Starter, Some(span)) => out.push(
            Diagnostic::new(
                Code::AlertsEmailUnused,
                span,
                "alerts_email is not used on the starter tier (it creates no alerts topic)",
            )
            .with_label(tier_span, "tier is starter here")
            .with_hint("remove alerts_email, or choose tier: professional to get pipeline-failure alerts"),
        ),
        (Tier::Professional | Tier::Enterprise, None) => out.push(
            Diagnostic::new(
                Code::AlertsEmailRequired,
                tier_span,
                format!("the {} tier sends pipeline-failure alerts, so alerts_email is required", tier.as_str()),
            )
            .with_hint("add 'alerts_email: <address>' under ml_product; the address must confirm the SNS subscription after the first deploy"),
        ),
        _ => {}
    }
}

const VPC: &str = "/ml_product/vpc_integration";

fn vpc_rules(view: &View<'_>, tier: Tier, tier_span: Span, out: &mut Vec<Diagnostic>) {
    let vpc_key = view.key(VPC);
    match (tier, vpc_key) {
        (Tier::Enterprise, None) => {
            out.push(
                Diagnostic::new(
                    Code::VpcIntegrationRequired,
                    tier_span,
                    "the enterprise tier creates private VPC endpoints, so vpc_integration is required",
                )
                .with_hint("add a vpc_integration section with mode (standalone|sgprov) and vpc_source (ssm|direct)"),
            );
            return;
        }
        (Tier::Starter | Tier::Professional, Some(span)) => {
            out.push(
                Diagnostic::new(
                    Code::VpcIntegrationNotAllowed,
                    span,
                    format!(
                        "vpc_integration is only allowed on the enterprise tier, not {}",
                        tier.as_str()
                    ),
                )
                .with_label(tier_span, "tier is set here")
                .with_hint("remove vpc_integration, or choose tier: enterprise"),
            );
            return;
        }
        _ => {}
    }
    let not_allowed = |key: &str, because: &str, fix: &str, out: &mut Vec<Diagnostic>| {
        if let Some(span) = view.key(&format!("{VPC}/{key}")) {
            out.push(
                Diagnostic::new(
                    Code::VpcKeyNotAllowed,
                    span,
                    format!("{key} is not used {because}"),
                )
                .with_hint(fix.to_owned()),
            );
        }
    };
    if let Some((source, source_span)) = view.text(&format!("{VPC}/vpc_source")) {
        if source == "direct" {
            for key in ["vpc_id_parameter", "subnet_ids_parameter"] {
                not_allowed(
                    key,
                    "with vpc_source: direct",
                    "remove it, or set vpc_source: ssm",
                    out,
                );
            }
            let missing: Vec<&str> = ["vpc_id", "subnet_ids"]
                .into_iter()
                .filter(|key| !view.present(&format!("{VPC}/{key}")))
                .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::VpcDirectIdsRequired,
                        source_span,
                        format!("vpc_source is direct, so {} must be given", missing.join(" and ")),
                    )
                    .with_hint("add vpc_id: vpc-... and subnet_ids: [subnet-..., subnet-...] (at least two), or set vpc_source: ssm"),
                );
            }
        } else {
            for key in ["vpc_id", "subnet_ids"] {
                not_allowed(
                    key,
                    "with vpc_source: ssm (they come from SSM at deploy time)",
                    "remove it, or set vpc_source: direct",
                    out,
                );
            }
        }
    }
    if let Some(("standalone", _)) = view.text(&format!("{VPC}/mode")) {
        not_allowed(
            "security_group_id_parameter",
            "with mode: standalone (the stack creates its own security group)",
            "remove it, or set mode: sgprov",
            out,
        );
    }
}

fn ssm_parameter_rules(view: &View<'_>, out: &mut Vec<Diagnostic>) {
    for key in [
        "vpc_id_parameter",
        "subnet_ids_parameter",
        "security_group_id_parameter",
    ] {
        let Some((path, span)) = view.text(&format!("{VPC}/{key}")) else {
            continue;
        };
        let depth = path.split('/').filter(|s| !s.is_empty()).count();
        let first = path.trim_start_matches('/').to_ascii_lowercase();
        let problem = if depth > 15 {
            Some(format!("it has {depth} levels; SSM allows at most 15"))
        } else if first.starts_with("aws") || first.starts_with("ssm") {
            Some("SSM reserves paths that start with 'aws' or 'ssm'".to_owned())
        } else if path.contains("//") || path.ends_with('/') {
            Some("it has an empty level".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            out.push(
                Diagnostic::new(
                    Code::InvalidSsmParameter,
                    span,
                    format!("'{path}' is not a valid SSM parameter path: {problem}"),
                )
                .with_hint(
                    "use the path your VPC or SG provisioner publishes, e.g. /vpc/<name>/VPCId",
                ),
            );
        }
    }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

fn tag_rules(root: &Node, out: &mut Vec<Diagnostic>) {
    let Some(tags) = root.get("tags") else {
        return;
    };
    for entry in tags.value.entries() {
        let Some(key) = entry.key.scalar_text() else {
            continue;
        };
        let key_len = key.chars().count();
        if key.to_ascii_lowercase().starts_with("aws:") {
            out.push(
                Diagnostic::new(
                    Code::ReservedTagKey,
                    entry.key.span,
                    format!("the tag key '{key}' uses the prefix 'aws:', which AWS reserves"),
                )
                .with_hint("choose a key without the aws: prefix"),
            );
        } else if OWN_TAG_KEYS.contains(&key) {
            out.push(
                Diagnostic::new(
                    Code::ReservedTagKey,
                    entry.key.span,
                    format!("the tag key '{key}' is set by ML Provisioner itself"),
                )
                .with_hint(format!(
                    "remove it; the tool always sets {}",
                    OWN_TAG_KEYS.join(", ")
                )),
            );
        } else if key_len == 0 || key_len > 128 || !key.chars().all(is_tag_char) {
            out.push(
                Diagnostic::new(
                    Code::InvalidTag,
                    entry.key.span,
                    format!("the tag key '{key}' is not a valid AWS tag key"),
                )
                .with_hint("tag keys are 1-128 letters, digits, spaces and _ . : / = + - @"),
            );
        }
        // Empty values are refused too: AWS allows them in general, but several resource types
        // this tool tags (their CloudFormation schemas) require at least one character.
        if let NodeKind::Str(value) = &entry.value.kind
            && (value.is_empty() || value.chars().count() > 256 || !value.chars().all(is_tag_char))
        {
            out.push(
                Diagnostic::new(
                    Code::InvalidTag,
                    entry.value.span,
                    format!("the value of tag '{key}' is not a valid tag value for every resource this tool tags"),
                )
                .with_hint("tag values are 1-256 letters, digits, spaces and _ . : / = + - @"),
            );
        }
    }
}

/// The name parts, when every one of them is present and valid.
fn name_parts<'a>(view: &View<'a>) -> Option<NameParts<'a>> {
    let workload = if view.present("/ml_product/workload") {
        Some(view.text("/ml_product/workload")?.0)
    } else {
        None
    };
    Some(NameParts {
        company_prefix: view.text("/client/company_prefix")?.0,
        env: view.text("/environment/env")?.0,
        tenant_id: view.text("/client/tenant_id")?.0,
        region: view.text("/environment/region")?.0,
        use_case: view.text("/ml_product/use_case")?.0,
        workload,
    })
}

/// The names this config's stack would create, from the catalog's plan; a choice that is not
/// known (missing or invalid) counts every value it may take, so nothing escapes the check.
fn created_name_kinds(view: &View<'_>) -> Vec<NameKind> {
    let tier = view
        .text("/ml_product/tier")
        .and_then(|(t, _)| Tier::parse(t));
    let codecommit = view
        .text("/ml_product/source_control")
        .map(|(s, _)| s == "codecommit");
    let standalone = view
        .text(&format!("{VPC}/mode"))
        .map(|(m, _)| m == "standalone");
    let mut kinds = vec![NameKind::Stack];
    for shape in Shape::possible(tier, codecommit, standalone) {
        for kind in shape
            .resources()
            .into_iter()
            .filter_map(|id| id.name_kind())
        {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    kinds
}

fn name_rules(view: &View<'_>, parts: &NameParts<'_>, out: &mut Vec<Diagnostic>) {
    let use_case_span = value_span(view.root, "/ml_product/use_case").unwrap_or_default();
    // One diagnostic per service rule and kind of problem, naming the worst offender and
    // counting the rest, so one over-long use_case does not produce a wall of errors.
    let kinds = created_name_kinds(view);
    let mut problems = names::check_names_of(*parts, &kinds);
    problems.sort_by_key(|p| {
        (
            p.kind.spec().rule.service(),
            std::cmp::Reverse(p.name.len()),
        )
    });
    let mut groups: Vec<(NameProblem, usize)> = Vec::new();
    for problem in problems {
        let same_group = |(first, _): &&mut (NameProblem, usize)| {
            first.kind.spec().rule == problem.kind.spec().rule
                && std::mem::discriminant(&first.problem)
                    == std::mem::discriminant(&problem.problem)
        };
        match groups.iter_mut().find(|g| same_group(g)) {
            Some((_, more)) => *more += 1,
            None => groups.push((problem, 0)),
        }
    }
    for (problem, more) in groups {
        let (code, hint) = match &problem.problem {
            Problem::TooLong { length, limit } => (
                Code::NameTooLong,
                format!(
                    "shorten use_case, workload or company_prefix by at least {} characters in all (names are never truncated; see docs/names.md)",
                    length - limit
                ),
            ),
            Problem::TooShort { .. } | Problem::Invalid(_) => (
                Code::InvalidName,
                "change use_case, workload or company_prefix so the derived name is valid (see docs/names.md)".to_owned(),
            ),
        };
        let mut message = problem.to_string();
        if more > 0 {
            message.push_str(&format!(
                " (and {more} more {} name{})",
                problem.kind.spec().rule.service(),
                if more == 1 { "" } else { "s" }
            ));
        }
        let mut diagnostic = Diagnostic::new(code, use_case_span, message).with_hint(hint);
        if let Some(span) = value_span(view.root, "/client/company_prefix") {
            diagnostic = diagnostic.with_label(span, "company_prefix is part of the name");
        }
        if let Some(span) = value_span(view.root, "/ml_product/workload") {
            diagnostic = diagnostic.with_label(span, "workload is part of the name");
        }
        out.push(diagnostic);
    }
}

/// The parts a conventional file name encodes.
#[derive(Debug, PartialEq, Eq)]
struct FileNameParts<'a> {
    head: NameParts<'a>,
    source: &'a str,
    vpc: Option<(&'a str, &'a str)>,
    workload: bool,
    rtb: bool,
}

/// Parses `{prefix}-{env}-{tenant}-{region}-{use_case}-ml-{source}[-{mode}-{vpc_source}][-workload][-rtb]`.
fn parse_file_stem(stem: &str) -> Option<FileNameParts<'_>> {
    let (head, tail) = stem.rsplit_once("-ml-")?;
    let mut rest = tail;
    let mut take = |word: &str| -> bool {
        match rest.strip_suffix(word) {
            Some(r) if r.ends_with('-') => {
                rest = &r[..r.len() - 1];
                true
            }
            _ => false,
        }
    };
    let rtb = take("rtb");
    let workload = take("workload");
    let mut vpc = None;
    for mode in ["standalone", "sgprov"] {
        for source in ["ssm", "direct"] {
            if vpc.is_none() && take(&format!("{mode}-{source}")) {
                vpc = Some((mode, source));
            }
        }
    }
    let source = match rest {
        "codecommit" => "codecommit",
        "s3" => "s3",
        _ => return None,
    };
    // head: {prefix}-{env}-{tenant}-{region}-{use_case}; find env and a known region after it.
    for env in ["-dev-", "-test-", "-staging-", "-prod-"] {
        for (at, _) in head.match_indices(env) {
            let prefix = &head[..at];
            let after = &head[at + env.len()..];
            let (tenant, after) = after.split_once('-')?;
            for (region, _) in regions::all() {
                let use_case = after.strip_prefix(region).and_then(|r| r.strip_prefix('-'));
                if let Some(use_case) = use_case
                    && !prefix.is_empty()
                    && !use_case.is_empty()
                {
                    let head = NameParts {
                        company_prefix: prefix,
                        env: &env[1..env.len() - 1],
                        tenant_id: tenant,
                        region,
                        use_case,
                        workload: None,
                    };
                    return Some(FileNameParts {
                        head,
                        source,
                        vpc,
                        workload,
                        rtb,
                    });
                }
            }
        }
    }
    None
}

fn file_name_rule(
    view: &View<'_>,
    parts: Option<&NameParts<'_>>,
    file_name: &str,
    out: &mut Vec<Diagnostic>,
) {
    if !files::is_config_file_name(file_name) {
        return;
    }
    let stem = files::config_stem(file_name);
    let Some(from_name) = parse_file_stem(stem) else {
        return; // not the suite convention: nothing to cross-check
    };
    let Some(parts) = parts else {
        return;
    };
    let Some((source, _)) = view.text("/ml_product/source_control") else {
        return;
    };
    let vpc = match (
        view.text(&format!("{VPC}/mode")),
        view.text(&format!("{VPC}/vpc_source")),
    ) {
        (Some((mode, _)), Some((vpc_source, _))) => Some((mode, vpc_source)),
        _ => None,
    };
    let from_content = FileNameParts {
        head: NameParts {
            workload: None,
            ..*parts
        },
        source,
        vpc,
        workload: parts.workload.is_some(),
        rtb: view.present(&format!("{VPC}/route_table_ids")),
    };
    if from_name == from_content {
        return;
    }
    let mut differences = Vec::new();
    let fields = [
        (
            "company_prefix",
            from_name.head.company_prefix,
            from_content.head.company_prefix,
        ),
        ("env", from_name.head.env, from_content.head.env),
        (
            "tenant_id",
            from_name.head.tenant_id,
            from_content.head.tenant_id,
        ),
        ("region", from_name.head.region, from_content.head.region),
        (
            "use_case",
            from_name.head.use_case,
            from_content.head.use_case,
        ),
        ("source_control", from_name.source, from_content.source),
    ];
    for (field, named, actual) in fields {
        if named != actual {
            differences.push(format!(
                "{field} is '{actual}' but the file name says '{named}'"
            ));
        }
    }
    let show_vpc =
        |v: Option<(&str, &str)>| v.map_or("none".to_owned(), |(m, s)| format!("{m}-{s}"));
    if from_name.vpc != from_content.vpc {
        differences.push(format!(
            "vpc_integration is {} but the file name says {}",
            show_vpc(from_content.vpc),
            show_vpc(from_name.vpc)
        ));
    }
    if from_name.workload != from_content.workload {
        differences.push(format!(
            "the file name {} '-workload' but the config {} a workload",
            if from_name.workload { "has" } else { "lacks" },
            if from_content.workload {
                "has"
            } else {
                "has no"
            }
        ));
    }
    if from_name.rtb != from_content.rtb {
        differences.push(format!(
            "the file name {} '-rtb' but the config {} route_table_ids",
            if from_name.rtb { "has" } else { "lacks" },
            if from_content.rtb { "has" } else { "has no" }
        ));
    }
    let expected = conventional_stem(&from_content);
    out.push(
        Diagnostic::new(
            Code::FileNameMismatch,
            Span::at(0),
            format!(
                "the file name '{file_name}' disagrees with the config: {}",
                differences.join("; ")
            ),
        )
        .with_hint(format!(
            "rename the file to '{expected}.yaml', or fix the values"
        )),
    );
}

fn conventional_stem(p: &FileNameParts<'_>) -> String {
    let h = &p.head;
    let mut out = format!(
        "{}-{}-{}-{}-{}-ml-{}",
        h.company_prefix, h.env, h.tenant_id, h.region, h.use_case, p.source
    );
    if let Some((mode, source)) = p.vpc {
        out.push_str(&format!("-{mode}-{source}"));
    }
    if p.workload {
        out.push_str("-workload");
    }
    if p.rtb {
        out.push_str("-rtb");
    }
    out
}

/// The span of the value at `pointer`, for rules that point at a field.
fn value_span(root: &Node, pointer: &str) -> Option<Span> {
    root.lookup(pointer).map(|(_, node)| node.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conventional_file_stems() {
        let parsed = parse_file_stem(
            "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct-rtb",
        );
        let parsed = parsed.unwrap_or_else(|| unreachable!("stem should parse"));
        assert_eq!(parsed.head.company_prefix, "globalbank");
        assert_eq!(parsed.head.use_case, "demand-forecasting");
        assert_eq!(parsed.vpc, Some(("standalone", "direct")));
        assert!(parsed.rtb && !parsed.workload);
        assert_eq!(
            conventional_stem(&parsed),
            "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct-rtb"
        );
        assert!(parse_file_stem("my-config").is_none());
        assert!(parse_file_stem("acme-prod-x001-xx-west-9-churn-ml-s3").is_none());
    }
}
