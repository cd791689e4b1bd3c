//! The pre-deployment review report (PRODUCT.md §8): one self-contained HTML file for the
//! security reviewer, the network engineer, the finance owner and the product manager.
//!
//! [`render`] generates the template and the operator policy itself, from the same config, so
//! the report always describes exactly the bytes `create-prov-template` writes (their SHA-256 is
//! in the identity section). Time is an input. Every value that comes from the config goes
//! through [`html::esc`]; the page has no script, and its Content-Security-Policy allows only
//! the one inline style sheet (by hash) and data: images, so it makes no network request.

pub mod checklist;
pub mod cost;
pub mod diagram;
pub mod iam;

use std::fmt::Write;

use sha2::{Digest, Sha256};

use crate::catalog::{self, PlannedResource, ResourceId};
use crate::config::{Config, Tier, VpcMode, VpcSource};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::files::Output;
use crate::html::{self, code, esc, facts, table};
use crate::names::{NameKind, Names};
use crate::policy::{self, PolicyOptions};
use crate::policy_set::{self, PolicyError, PolicySet};
use crate::template::{self, Template, TemplateInput};
use crate::template_check;
use checklist::{ChecklistInput, Stage};

/// What a report is made from besides the config.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    pub config: &'a Config,
    /// The config file's exact bytes (hashed and shown).
    pub config_bytes: &'a [u8],
    /// The config's file name (e.g. `x.yaml`) and stem (`x`), as the CLI names its outputs.
    pub config_file: &'a str,
    pub config_stem: &'a str,
    /// The config's diagnostics (warnings; a config with errors gets no report).
    pub config_diagnostics: &'a [Diagnostic],
    /// When the report is made, as the caller wants it shown (e.g. `2026-11-27T10:00:00Z`).
    pub generated_at: &'a str,
    pub tool_version: &'a str,
    pub policy_options: PolicyOptions,
}

/// A rendered report and what it describes.
#[derive(Clone, Debug)]
pub struct Report {
    pub html: String,
    pub template: Template,
    /// The operator policy as `create-policy` writes it: the managed-policy documents.
    pub policy: PolicySet,
    pub template_sha256: String,
    /// The core's light checks of the generated template (shown in the findings).
    pub template_findings: Vec<Diagnostic>,
}

/// Why a report could not be made (programming errors that tests catch; reported, not panicked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// The operator policy could not be made (no permission table, or it needs more managed
    /// policies than IAM attaches to one identity).
    Policy(PolicyError),
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The base64 SHA-256 of the style sheet the report (and every page the core writes) carries,
/// as its Content-Security-Policy names it.
pub use crate::html::style_hash;

/// Renders the review report.
pub fn render(input: &ReportInput<'_>) -> Result<Report, ReportError> {
    let config = input.config;
    let names = config.names();
    let generated = template::generate(&TemplateInput {
        config,
        names: &names,
        config_file: input.config_file,
        tool_version: input.tool_version,
    });
    let policy = policy_set::operator_policy_set(config, &names, input.policy_options)
        .map_err(ReportError::Policy)?;
    let template_sha256 = sha256_hex(generated.yaml.as_bytes());
    let plan = catalog::plan(config, &names);
    let ctx = Ctx {
        input,
        names: &names,
        plan: &plan,
        template: &generated,
        template_sha256: &template_sha256,
        config_text: String::from_utf8_lossy(input.config_bytes).into_owned(),
        checklist: checklist::checklist(&ChecklistInput {
            config,
            names: &names,
            config_file: input.config_file,
            config_stem: input.config_stem,
            template_sha256: &template_sha256,
            policy_documents: policy.documents.len(),
        }),
        cost: cost::estimate(config),
        template_findings: template_check::check_template(generated.yaml.as_bytes()).diagnostics,
        operator: iam::statements(&policy.union()),
        policy_documents: policy
            .documents
            .iter()
            .map(|d| {
                (
                    d.number,
                    d.chars,
                    d.document["Statement"].as_array().map_or(0, Vec::len),
                )
            })
            .collect(),
        roles: iam::roles(&generated.document),
    };
    let html = ctx.page();
    let template_findings = ctx.template_findings;
    Ok(Report {
        html,
        template: generated,
        policy,
        template_sha256,
        template_findings,
    })
}

struct Ctx<'a> {
    input: &'a ReportInput<'a>,
    names: &'a Names<'a>,
    plan: &'a [PlannedResource],
    template: &'a Template,
    template_sha256: &'a str,
    config_text: String,
    checklist: Vec<checklist::CheckItem>,
    cost: cost::CostEstimate,
    template_findings: Vec<Diagnostic>,
    /// The operator policy's statements and the stack's roles, read once per render.
    operator: Vec<iam::StatementView>,
    /// Each managed-policy document: number, characters (as IAM counts them), statements.
    policy_documents: Vec<(usize, usize, usize)>,
    roles: Vec<iam::RoleView>,
}

const SECTIONS: &[(&str, &str)] = &[
    ("summary", "Summary"),
    ("checklist", "Pre-deployment checklist"),
    ("findings", "Validation findings"),
    ("resources", "Resources"),
    ("architecture", "Architecture"),
    ("iam", "IAM"),
    ("network", "Network"),
    ("ssm", "SSM parameters"),
    ("cost", "Estimated monthly cost"),
    ("template", "Template and config"),
    ("next", "Next commands"),
];

impl Ctx<'_> {
    fn config(&self) -> &Config {
        self.input.config
    }

    fn enterprise(&self) -> bool {
        self.config().tier() == Tier::Enterprise
    }

    fn page(&self) -> String {
        let ml_name = self.names.ml_name();
        let mut out = String::with_capacity(96 * 1024);
        html::page_start(
            &mut out,
            &format!("Review: {ml_name} ({} tier)", self.config().tier().as_str()),
            self.input.tool_version,
        );
        let _ = write!(
            out,
            "<header>\n<p class=\"kicker\">ML Provisioner pre-deployment review</p>\n<h1>{}</h1>\n<p class=\"sub\">{} · {} tier · {} · account {} · {}</p>\n<nav aria-label=\"Sections\"><ul>",
            esc(&ml_name),
            esc(&self.config().client.company_name),
            self.config().tier().as_str(),
            self.config().environment.env.as_str(),
            esc(&self.config().client.account_id),
            esc(&self.config().environment.region),
        );
        for (id, title) in SECTIONS {
            if *id == "network" && !self.enterprise() {
                continue;
            }
            let _ = write!(out, "<li><a href=\"#{id}\">{title}</a></li>");
        }
        out.push_str("</ul></nav>\n</header>\n<main>\n");
        self.identity(&mut out);
        self.summary(&mut out);
        self.checklist(&mut out);
        self.findings(&mut out);
        self.resources(&mut out);
        self.architecture(&mut out);
        self.iam(&mut out);
        if self.enterprise() {
            self.network(&mut out);
        }
        self.ssm(&mut out);
        self.cost(&mut out);
        self.sources(&mut out);
        self.next(&mut out);
        let _ = write!(
            out,
            "</main>\n<footer><p>Generated by ml-provisioner {} at {} from {}. This report describes the template whose SHA-256 is {}; a template with other bytes is not the one reviewed here.</p></footer>\n</body>\n</html>\n",
            esc(self.input.tool_version),
            esc(self.input.generated_at),
            esc(self.input.config_file),
            code(self.template_sha256)
        );
        out
    }

    fn section_start(out: &mut String, id: &str) {
        let title = SECTIONS
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(id, |(_, t)| t);
        let _ = write!(
            out,
            "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{title}</h2>\n"
        );
    }

    fn identity(&self, out: &mut String) {
        let c = self.config();
        let _ = write!(
            out,
            "<section id=\"identity\" aria-labelledby=\"identity-h\">\n<h2 id=\"identity-h\">Identity</h2>\n"
        );
        let mut items = vec![
            ("Company", esc(&c.client.company_name)),
            ("Product (ml_name)", code(&self.names.ml_name())),
            ("Tier", esc(c.tier().as_str())),
            ("Environment", esc(c.environment.env.as_str())),
            ("Account", code(&c.client.account_id)),
            ("Region", code(&c.environment.region)),
            ("Stack", code(&self.names.stack_name())),
            ("Source", esc(c.product.source.as_str())),
        ];
        if let Some(vpc) = &c.product.vpc {
            items.push((
                "VPC",
                esc(&format!("{}, {}", vpc.mode.as_str(), vpc.source.as_str())),
            ));
        }
        let tags: Vec<String> = c
            .tags
            .iter()
            .map(|(k, v)| code(&format!("{k}={v}")))
            .collect();
        items.push((
            "Tags",
            if tags.is_empty() {
                "only the tool's own (ml:name, ml:tier, ml:env, ml:managed-by)".to_owned()
            } else {
                format!(
                    "{} and the tool's own (ml:name, ml:tier, ml:env, ml:managed-by)",
                    tags.join(" ")
                )
            },
        ));
        items.extend([
            ("Tool version", esc(self.input.tool_version)),
            ("Generated at", esc(self.input.generated_at)),
            (
                "Template SHA-256",
                format!(
                    "{} ({} bytes)",
                    code(self.template_sha256),
                    self.template.yaml.len()
                ),
            ),
            (
                "Config",
                format!(
                    "{} SHA-256 {}",
                    code(self.input.config_file),
                    code(&sha256_hex(self.input.config_bytes))
                ),
            ),
        ]);
        facts(out, &items);
        out.push_str("</section>\n");
    }

    fn unrestricted(&self) -> Vec<iam::StatementView> {
        let roles = self.roles.iter().flat_map(|r| &r.policies);
        self.operator
            .iter()
            .chain(roles.flat_map(|(_, statements)| statements))
            .filter(|s| s.unrestricted)
            .cloned()
            .collect()
    }

    fn summary(&self, out: &mut String) {
        Self::section_start(out, "summary");
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in self.plan {
            match counts.iter_mut().find(|(t, _)| *t == r.resource_type()) {
                Some((_, n)) => *n += 1,
                None => counts.push((r.resource_type(), 1)),
            }
        }
        let what: Vec<String> = counts
            .iter()
            .map(|(t, n)| format!("{n} {}", t.trim_start_matches("AWS::")))
            .collect();
        let broad = self.unrestricted();
        let mut broad_risks: Vec<iam::Risk> = broad
            .iter()
            .flat_map(|s| {
                s.actions
                    .iter()
                    .flat_map(|a| iam::risks_of(a))
                    .filter(|r| *r != iam::Risk::InfrastructureModification)
                    .collect::<Vec<_>>()
            })
            .collect();
        broad_risks.sort();
        broad_risks.dedup();
        let (errors, warnings) = crate::render::counts(
            &[
                self.input.config_diagnostics,
                self.template_findings.as_slice(),
            ]
            .concat(),
        );
        let _ = write!(
            out,
            "<ul class=\"summary\">\n<li><strong>Creates {} resources</strong> in account {} ({}): {}.</li>\n",
            self.plan.len(),
            code(&self.config().client.account_id),
            esc(&self.config().environment.region),
            esc(&what.join(", "))
        );
        let _ = writeln!(
            out,
            "<li><strong>Costs about {} a month</strong> in fixed charges (estimate, {} prices); builds, storage and traffic are billed by use.</li>",
            cost::usd(self.cost.total_micro_usd()),
            cost::PRICE_TABLE_DATE
        );
        let mut risks = vec![format!(
            "{} IAM statement{} on <code>*</code> (actions AWS cannot scope; each is explained in the IAM section)",
            broad.len(),
            if broad.len() == 1 { "" } else { "s" }
        )];
        if !broad_risks.is_empty() {
            risks.push(format!(
                "risk categories on <code>*</code>: {}",
                esc(&broad_risks
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "))
            ));
        }
        if matches!(
            self.config().product.vpc.as_ref().map(|v| &v.mode),
            Some(VpcMode::Standalone)
        ) && self.enterprise()
        {
            risks.push(
                "the endpoint security group allows HTTPS egress to 0.0.0.0/0 (AWS APIs and package mirrors)".into(),
            );
        }
        // What the independent scanners still find (docs/decisions.md, checkov's accepted list).
        let planned = |id: ResourceId| self.plan.iter().any(|r| r.id == id);
        if planned(ResourceId::AlertsTopic) && !planned(ResourceId::KmsKey) {
            risks.push(
                "the alerts topic is not encrypted at rest: EventBridge can publish only to a topic whose customer-managed KMS key lets it, and this tier has no KMS key (it carries pipeline state changes, no model data)".into(),
            );
        }
        if planned(ResourceId::ArtifactBucket) && !planned(ResourceId::AccessLogBucket) {
            risks.push(
                "the artifact bucket has no S3 server access log below enterprise (object access shows in CloudTrail data events, where the account records them)".into(),
            );
        }
        risks.push(format!(
            "{errors} error{}, {warnings} warning{} in the config and template checks",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ));
        let _ = writeln!(
            out,
            "<li><strong>Risks:</strong> {}.</li>",
            risks.join("; ")
        );
        let first: Vec<String> = self
            .checklist
            .iter()
            .filter(|i| i.stage == Stage::BeforeDeploy)
            .map(|i| esc(&i.title))
            .collect();
        let _ = write!(
            out,
            "<li><strong>Before deploying:</strong> {}.</li>\n</ul>\n</section>\n",
            first.join("; ")
        );
    }

    fn checklist(&self, out: &mut String) {
        Self::section_start(out, "checklist");
        for (stage, heading) in [
            (Stage::BeforeDeploy, "Before the first deploy"),
            (Stage::AfterFirstDeploy, "After the first deploy"),
        ] {
            let _ = writeln!(out, "<h3>{heading}</h3>\n<ol class=\"checklist\">");
            for item in self.checklist.iter().filter(|i| i.stage == stage) {
                let _ = write!(
                    out,
                    "<li><span class=\"box\" aria-hidden=\"true\">☐</span> <strong>{}</strong> — {}",
                    esc(&item.title),
                    esc(&item.detail)
                );
                if let Some(command) = &item.command {
                    let _ = write!(out, "<pre class=\"cmd\">{}</pre>", esc(command));
                    if let Some(expect) = &item.expect {
                        let _ = write!(out, "<p class=\"expect\">Expect: {}</p>", esc(expect));
                    }
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
        out.push_str("</section>\n");
    }

    fn findings(&self, out: &mut String) {
        Self::section_start(out, "findings");
        let template_name = Output::Template.path(self.input.config_stem);
        let config_index = LineIndex::new(&self.config_text);
        let template_index = LineIndex::new(&self.template.yaml);
        let mut rows = Vec::new();
        for (file, text, index, list) in [
            (
                self.input.config_file,
                self.config_text.as_str(),
                &config_index,
                self.input.config_diagnostics,
            ),
            (
                template_name.as_str(),
                self.template.yaml.as_str(),
                &template_index,
                self.template_findings.as_slice(),
            ),
        ] {
            for d in list {
                let (line, col) = index.line_col(text, d.span.start);
                rows.push(vec![
                    format!(
                        "<span class=\"sev {}\">{}</span>",
                        d.severity.as_str(),
                        d.severity.as_str()
                    ),
                    code(d.code.as_str()),
                    code(&format!("{file}:{line}:{col}")),
                    esc(&d.message),
                    d.hint.as_deref().map(esc).unwrap_or_default(),
                ]);
            }
        }
        let _ = writeln!(
            out,
            "<p>What ran: the config checks (schema, cross-field rules, names) and the template's light checks ({}). The deep check against CloudFormation's resource schemas runs with <code>validate-prov-template</code> (see the checklist).</p>",
            template_check::COVERS
        );
        if rows.is_empty() {
            out.push_str("<p class=\"ok\">No findings.</p>\n");
        } else {
            table(
                out,
                "Findings",
                &["Severity", "Code", "Where", "Message", "Fix"],
                &rows,
            );
        }
        out.push_str("</section>\n");
    }

    fn resources(&self, out: &mut String) {
        Self::section_start(out, "resources");
        let rows: Vec<Vec<String>> = self
            .plan
            .iter()
            .map(|r| {
                vec![
                    code(r.logical_id()),
                    esc(r.resource_type()),
                    r.physical_name
                        .as_deref()
                        .map_or_else(|| "<em>generated by AWS</em>".to_owned(), code),
                    esc(&r.reason),
                ]
            })
            .collect();
        table(
            out,
            &format!(
                "{} resources in stack {}",
                rows.len(),
                self.names.stack_name()
            ),
            &["Logical id", "Type", "Physical name", "Why"],
            &rows,
        );
        out.push_str("</section>\n");
    }

    fn architecture(&self, out: &mut String) {
        Self::section_start(out, "architecture");
        out.push_str("<figure>\n");
        out.push_str(&diagram::diagram(self.config(), self.names));
        out.push_str("<figcaption>Solid boxes: created by this stack. Dashed boxes: yours, or made later by your pipeline code. Roles and SSM parameters are listed in their sections.</figcaption>\n</figure>\n</section>\n");
    }

    /// Which planned resource types' CloudFormation handlers (or the tool itself) need `action`.
    fn needed_by(&self, action: &str) -> String {
        let mut who: Vec<String> = Vec::new();
        let mut types: Vec<&str> = self.plan.iter().map(|r| r.resource_type()).collect();
        types.sort_unstable();
        types.dedup();
        if let Some(table) = policy::permission_table() {
            for resource_type in types {
                let Some(handlers) = table.handlers.get(resource_type) else {
                    continue;
                };
                let used: Vec<&str> = policy::HANDLERS
                    .iter()
                    .copied()
                    .filter(|h| {
                        handlers
                            .get(*h)
                            .is_some_and(|a| a.iter().any(|x| x == action))
                    })
                    .collect();
                if !used.is_empty() {
                    who.push(format!("{resource_type} ({})", used.join(", ")));
                }
            }
        }
        if policy::CLI_CALLS.iter().any(|(a, _)| *a == action) {
            who.push("ml-provisioner itself".to_owned());
        }
        who.join("; ")
    }

    fn statement_rows(&self, statements: &[iam::StatementView], explain: bool) -> Vec<Vec<String>> {
        statements
            .iter()
            .map(|s| {
                let risks: Vec<String> = s
                    .risks
                    .iter()
                    .map(|r| {
                        let class = if s.unrestricted { "risk" } else { "scoped" };
                        format!("<span class=\"{class}\">{}</span>", esc(r.label()))
                    })
                    .collect();
                let mut actions = s
                    .actions
                    .iter()
                    .map(|a| code(a))
                    .collect::<Vec<_>>()
                    .join(" ");
                if s.unrestricted && explain {
                    let why: Vec<String> = s
                        .actions
                        .iter()
                        .map(|a| {
                            let reason = if policy::STAR_WHERE_REFERENCES_DISAGREE.contains(&a.as_str()) {
                                "AWS's references disagree on its resource type, so it cannot be scoped safely"
                            } else {
                                "IAM accepts no resource ARN for it"
                            };
                            format!("<li>{}: {reason}; needed by {}</li>", code(a), esc(&self.needed_by(a)))
                        })
                        .collect();
                    actions = format!(
                        "{actions}<details><summary>Why each action is on *</summary><ul>{}</ul></details>",
                        why.join("")
                    );
                }
                vec![
                    format!(
                        "{}{}",
                        code(&s.sid),
                        if s.unrestricted {
                            " <span class=\"risk\">Resource *</span>"
                        } else {
                            ""
                        }
                    ),
                    actions,
                    s.resources.iter().map(|r| code(r)).collect::<Vec<_>>().join("<br>"),
                    s.condition.as_deref().map(code).unwrap_or_default(),
                    if risks.is_empty() {
                        "read only".to_owned()
                    } else {
                        risks.join(" ")
                    },
                ]
            })
            .collect()
    }

    fn iam(&self, out: &mut String) {
        Self::section_start(out, "iam");
        let operator = &self.operator;
        let broad = operator.iter().filter(|s| s.unrestricted).count();
        let stem = self.input.config_stem;
        let documents = &self.policy_documents;
        let files: Vec<String> = documents
            .iter()
            .map(|(n, chars, statements)| {
                format!(
                    "<code>{}</code> ({} characters, {statements} statement{})",
                    esc(&Output::PolicyDocument(*n).path(stem)),
                    policy_set::thousands(*chars),
                    if *statements == 1 { "" } else { "s" }
                )
            })
            .collect();
        let _ = write!(
            out,
            "<h3>Operator policy</h3>\n<p>Attach all {} managed-policy document{} to whoever runs the tool: {}. IAM stores at most {} characters (white space not counted) in one managed policy, so the policy is packed into as few documents as fit; the commands that create and attach them are in <code>{}</code> and the checklist. Together they allow CloudFormation only on this product's stacks (normal and test), each service only on this product's ARNs, and <code>iam:PassRole</code> only for the stack's roles to their own service. {broad} statement{} {} on <code>*</code>: the actions in {} have no resource-level permissions in IAM. Risk categories follow cloudsplaining: <span class=\"risk\">red</span> on <code>*</code>, <span class=\"scoped\">grey</span> when scoped to this product.</p>\n",
            documents.len(),
            if documents.len() == 1 { "" } else { "s" },
            files.join(", "),
            policy_set::thousands(policy_set::IAM_LIMITS.document_chars),
            esc(&Output::PolicyGuide.path(stem)),
            if broad == 1 { "" } else { "s" },
            if broad == 1 { "is" } else { "are" },
            if broad == 1 { "it" } else { "them" },
        );
        table(
            out,
            &format!(
                "Operator policy: {} statements in {} document{}",
                operator.len(),
                documents.len(),
                if documents.len() == 1 { "" } else { "s" }
            ),
            &["Statement", "Actions", "Resources", "Condition", "Risk"],
            &self.statement_rows(operator, true),
        );
        out.push_str("<h3>Roles the stack creates</h3>\n");
        for role in &self.roles {
            let _ = write!(
                out,
                "<h4>{} <code>{}</code></h4>\n<p>{} Trusted: {}.</p>\n",
                esc(&role.logical_id),
                esc(&role.name),
                esc(&role.description),
                esc(&role.trusted.join(", ")),
            );
            if !role.managed.is_empty() {
                let _ = writeln!(
                    out,
                    "<p>Managed policies: {}</p>",
                    role.managed
                        .iter()
                        .map(|m| code(m))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            for (name, statements) in &role.policies {
                table(
                    out,
                    &format!("{}: inline policy {name}", role.logical_id),
                    &["Statement", "Actions", "Resources", "Condition", "Risk"],
                    &self.statement_rows(statements, false),
                );
            }
        }
        out.push_str("</section>\n");
    }

    fn network(&self, out: &mut String) {
        let Some(vpc) = &self.config().product.vpc else {
            return;
        };
        Self::section_start(out, "network");
        let mut items = Vec::new();
        match &vpc.source {
            VpcSource::Direct { vpc_id, subnet_ids } => {
                items.push(("VPC", code(vpc_id)));
                items.push((
                    "Subnets",
                    subnet_ids
                        .iter()
                        .map(|s| code(s))
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
            }
            VpcSource::Ssm {
                vpc_id_parameter,
                subnet_ids_parameter,
            } => {
                items.push((
                    "VPC",
                    format!("from SSM {} at deploy time", code(vpc_id_parameter)),
                ));
                items.push((
                    "Subnets",
                    format!("from SSM {} at deploy time", code(subnet_ids_parameter)),
                ));
            }
        }
        match &vpc.mode {
            VpcMode::Standalone => items.push((
                "Security group",
                format!(
                    "{} (created): ingress TCP 443 from members of the group only; egress TCP 443 to 0.0.0.0/0 so builds reach AWS APIs (through the endpoints) and package mirrors. No ingress from outside the group.",
                    code(&self.names.physical(NameKind::EndpointSecurityGroup))
                ),
            )),
            VpcMode::SgProv {
                security_group_id_parameter,
            } => items.push((
                "Security group",
                format!(
                    "from SG Provisioner, id in SSM {}; its rules are owned there",
                    code(security_group_id_parameter)
                ),
            )),
        }
        items.push((
            "Route tables",
            if vpc.route_table_ids.is_empty() {
                "none configured: the S3 gateway endpoint gets no routes".to_owned()
            } else {
                vpc.route_table_ids
                    .iter()
                    .map(|r| code(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ));
        items.push((
            "CodeBuild",
            "both projects run in these subnets with this security group".to_owned(),
        ));
        facts(out, &items);
        let region = &self.config().environment.region;
        let rows: Vec<Vec<String>> = [
            ("SageMakerApiEndpoint", "sagemaker.api", "Interface", "yes"),
            (
                "SageMakerRuntimeEndpoint",
                "sagemaker.runtime",
                "Interface",
                "yes",
            ),
            ("StsEndpoint", "sts", "Interface", "yes"),
            ("S3GatewayEndpoint", "s3", "Gateway", "n/a"),
        ]
        .iter()
        .map(|(id, service, kind, dns)| {
            vec![
                code(id),
                code(&format!("com.amazonaws.{region}.{service}")),
                esc(kind),
                esc(dns),
                if *kind == "Interface" {
                    "one network interface per subnet, in the security group".to_owned()
                } else {
                    "routes in the configured route tables".to_owned()
                },
            ]
        })
        .collect();
        table(
            out,
            "VPC endpoints",
            &["Logical id", "Service", "Type", "Private DNS", "Placement"],
            &rows,
        );
        out.push_str("</section>\n");
    }

    fn ssm(&self, out: &mut String) {
        Self::section_start(out, "ssm");
        let prefix = self.names.ssm_prefix();
        let rows: Vec<Vec<String>> = catalog::published_parameters(self.config())
            .iter()
            .map(|p| vec![code(&format!("{prefix}{}", p.key())), esc(p.what())])
            .collect();
        table(
            out,
            "Published by the stack",
            &["Parameter", "Value"],
            &rows,
        );
        let mut read = Vec::new();
        if let Some(vpc) = &self.config().product.vpc {
            if let VpcSource::Ssm {
                vpc_id_parameter,
                subnet_ids_parameter,
            } = &vpc.source
            {
                read.push(vec![code(vpc_id_parameter), esc("VPC id")]);
                read.push(vec![code(subnet_ids_parameter), esc("subnet ids")]);
            }
            if let VpcMode::SgProv {
                security_group_id_parameter,
            } = &vpc.mode
            {
                read.push(vec![
                    code(security_group_id_parameter),
                    esc("security group id"),
                ]);
            }
        }
        if !read.is_empty() {
            table(out, "Read at deploy time", &["Parameter", "Holds"], &read);
        }
        out.push_str("</section>\n");
    }

    fn cost(&self, out: &mut String) {
        Self::section_start(out, "cost");
        let c = &self.cost;
        let region_note = if c.regional_prices {
            format!("{} prices", esc(&c.region))
        } else {
            format!(
                "us-east-1 prices: the table has no prices for {}, so expect a difference",
                esc(&c.region)
            )
        };
        let _ = writeln!(
            out,
            "<p class=\"estimate\"><strong>Estimate.</strong> AWS public on-demand list prices in USD from the built-in price table dated {} ({region_note}); taxes, support, free-tier credits and usage are not included. Check with the AWS Pricing Calculator before committing budget.</p>",
            cost::PRICE_TABLE_DATE
        );
        let mut rows: Vec<Vec<String>> = c
            .fixed
            .iter()
            .map(|f| {
                vec![
                    esc(f.item),
                    esc(&f.quantity),
                    esc(&f.unit_price),
                    esc(&cost::usd(f.monthly_micro_usd)),
                    esc(&f.note),
                ]
            })
            .collect();
        rows.push(vec![
            "<strong>Total fixed</strong>".into(),
            String::new(),
            String::new(),
            format!("<strong>{}</strong>", cost::usd(c.total_micro_usd())),
            "per month".into(),
        ]);
        table(
            out,
            "Fixed monthly charges",
            &["Item", "Quantity", "Unit price", "Per month", "Note"],
            &rows,
        );
        let usage: Vec<Vec<String>> = c
            .usage
            .iter()
            .map(|u| vec![esc(u.item), esc(&u.pricing)])
            .collect();
        table(out, "Billed by use", &["Item", "Billed"], &usage);
        out.push_str("</section>\n");
    }

    fn sources(&self, out: &mut String) {
        Self::section_start(out, "template");
        let _ = write!(
            out,
            "<details><summary>Full template: <code>{}</code>, {} lines, SHA-256 {}</summary>\n<pre class=\"src\">{}</pre>\n</details>\n",
            esc(&Output::Template.path(self.input.config_stem)),
            self.template.yaml.lines().count(),
            code(self.template_sha256),
            esc(&self.template.yaml)
        );
        let _ = write!(
            out,
            "<details><summary>Config: {}</summary>\n<pre class=\"src\">{}</pre>\n</details>\n</section>\n",
            code(self.input.config_file),
            esc(&self.config_text)
        );
    }

    fn next(&self, out: &mut String) {
        Self::section_start(out, "next");
        let file = self.input.config_file;
        let mut steps = vec![
            ("validate-prov-template", "deep-check the template file"),
            ("create-policy", "write the operator policy to attach"),
            ("test-deploy", "deploy an isolated test copy"),
            ("show-changes", "see what a deploy would change"),
        ];
        steps.push((
            "deploy-product",
            "deploy exactly the template this report describes",
        ));
        steps.push((
            "check-drift",
            "after deploying, compare with the live stack",
        ));
        out.push_str("<ol class=\"next\">\n");
        for (action, what) in steps {
            let mut command = checklist::tool_command(file, action);
            if action == "deploy-product" {
                // What was reviewed is what gets deployed: the tool refuses another template.
                command.push_str(" --force --expect-sha256 ");
                command.push_str(self.template_sha256);
            }
            let _ = write!(
                out,
                "<li>{}: <pre class=\"cmd\">{}</pre>",
                esc(what),
                esc(&command)
            );
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
}
