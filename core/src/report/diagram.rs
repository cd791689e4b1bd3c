//! The architecture diagram as inline SVG: a fixed grid (source → build → registry on top, the
//! approval rule in the middle, source → deploy below, shared services, then the VPC on
//! enterprise), so every config of a tier looks alike and no two arrows cross.

use std::fmt::Write;

use crate::catalog::AUDIT_RETENTION_DAYS;
use crate::config::{Config, SourceControl, Tier, VpcMode, VpcSource};
use crate::html::esc;
use crate::names::{NameKind, Names};
use crate::template::source_key;

const WIDTH: u32 = 980;
const BOX_W: u32 = 190;
const BOX_H: u32 = 58;
const COLS: [u32; 4] = [20, 270, 520, 770];
/// Average glyph widths (tenths of a px) of the title (13px bold) and detail (11px monospace) fonts.
const TITLE_CHAR_PX10: u32 = 72;
const DETAIL_CHAR_PX10: u32 = 66;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Stack,
    External,
    Shared,
}

/// Fits `text` into `max` characters, keeping the end (names differ in their suffixes);
/// the full text is in the box's tooltip.
fn clip_tail(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_owned()
    } else {
        let tail: String = text.chars().skip(count - (max - 1)).collect();
        format!("…{tail}")
    }
}

/// Names (no spaces) keep their distinguishing end; phrases keep their start.
fn fit_detail(text: &str, max: usize) -> String {
    if text.contains(' ') {
        clip_head(text, max)
    } else {
        clip_tail(text, max)
    }
}

fn clip_head(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let head: String = text.chars().take(max - 1).collect();
        format!("{head}…")
    }
}

#[allow(clippy::too_many_arguments)]
fn node(out: &mut String, x: u32, y: u32, w: u32, title: &str, detail: &str, style: Style) {
    let class = match style {
        Style::Stack => "n",
        Style::External => "n ext",
        Style::Shared => "n sh",
    };
    let _ = writeln!(
        out,
        "<g class=\"{class}\"><title>{}: {}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BOX_H}\" rx=\"6\"/><text x=\"{}\" y=\"{}\" class=\"t\">{}</text><text x=\"{}\" y=\"{}\" class=\"d\">{}</text></g>",
        esc(title),
        esc(detail),
        x + 10,
        y + 23,
        esc(&clip_head(
            title,
            ((w - 20) * 10 / TITLE_CHAR_PX10) as usize
        )),
        x + 10,
        y + 43,
        esc(&fit_detail(
            detail,
            ((w - 20) * 10 / DETAIL_CHAR_PX10) as usize
        )),
    );
}

fn arrow(out: &mut String, points: &[(u32, u32)], label: &str, dashed: bool) {
    let path: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
    let class = if dashed { "a dash" } else { "a" };
    let _ = write!(
        out,
        "<polyline class=\"{class}\" points=\"{}\" marker-end=\"url(#arrowhead)\"/>",
        path.join(" ")
    );
    if !label.is_empty()
        && let (Some(a), Some(b)) = (points.first(), points.get(1))
    {
        let (lx, ly) = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
        let _ = write!(
            out,
            "<text x=\"{lx}\" y=\"{}\" class=\"l\" text-anchor=\"middle\">{}</text>",
            ly.saturating_sub(5),
            esc(label)
        );
    }
    out.push('\n');
}

/// The SVG for `config`, with a text description for screen readers.
pub fn diagram(config: &Config, names: &Names<'_>) -> String {
    let tier = config.tier();
    let enterprise = tier == Tier::Enterprise;
    let height = if enterprise { 590 } else { 450 };
    let mut body = String::new();
    let (row_a, row_b, row_c, row_d) = (40, 150, 250, 370);

    let source = |archive: &str, repo: NameKind| match &config.product.source {
        SourceControl::CodeCommit => ("CodeCommit repository".to_owned(), names.physical(repo)),
        SourceControl::S3 { bucket, prefix } => (
            "S3 source (yours)".to_owned(),
            format!("s3://{bucket}/{}", source_key(prefix, archive)),
        ),
    };
    let source_style = match config.product.source {
        SourceControl::CodeCommit => Style::Stack,
        SourceControl::S3 { .. } => Style::External,
    };
    let (build_title, build_detail) = source("model-build.zip", NameKind::BuildRepository);
    let build_row = [
        (build_title.as_str(), build_detail, source_style),
        (
            "Build pipeline",
            names.physical(NameKind::BuildPipeline),
            Style::Stack,
        ),
        (
            "CodeBuild: build, train",
            names.physical(NameKind::BuildProject),
            Style::Stack,
        ),
        (
            "Model registry",
            names.physical(NameKind::ModelPackageGroup),
            Style::Stack,
        ),
    ];
    let (deploy_title, deploy_detail) = source("model-deploy.zip", NameKind::DeployRepository);
    let deploy_row = [
        (deploy_title.as_str(), deploy_detail, source_style),
        (
            "Deploy pipeline",
            names.physical(NameKind::DeployPipeline),
            Style::Stack,
        ),
        (
            "CodeBuild: deploy",
            names.physical(NameKind::DeployProject),
            Style::Stack,
        ),
        (
            "SageMaker endpoints",
            "made by your deploy code".to_owned(),
            Style::External,
        ),
    ];
    for (col, (title, detail, style)) in build_row.iter().enumerate() {
        node(&mut body, COLS[col], row_a, BOX_W, title, detail, *style);
    }
    node(
        &mut body,
        COLS[1],
        row_b,
        BOX_W,
        "EventBridge rule",
        "model package approved",
        Style::Stack,
    );
    for (col, (title, detail, style)) in deploy_row.iter().enumerate() {
        node(&mut body, COLS[col], row_c, BOX_W, title, detail, *style);
    }

    let mid = BOX_H / 2;
    let right = |col: usize| COLS[col] + BOX_W;
    // Arrows between neighbouring boxes of a pipeline row: (label, dashed) per gap.
    let across = |body: &mut String, y: u32, gaps: [(&str, bool); 3]| {
        for (col, (label, dashed)) in gaps.into_iter().enumerate() {
            arrow(
                body,
                &[(right(col), y + mid), (COLS[col + 1], y + mid)],
                label,
                dashed,
            );
        }
    };
    across(
        &mut body,
        row_a,
        [("change", false), ("", false), ("registers", false)],
    );
    arrow(
        &mut body,
        &[
            (COLS[3] + BOX_W / 2, row_a + BOX_H),
            (COLS[3] + BOX_W / 2, row_b + mid),
            (right(1), row_b + mid),
        ],
        "",
        false,
    );
    let _ = writeln!(
        body,
        "<text x=\"{}\" y=\"{}\" class=\"l\">approved</text>",
        COLS[3] + BOX_W / 2 + 6,
        row_b + 6
    );
    arrow(
        &mut body,
        &[
            (COLS[1] + BOX_W / 2, row_b + BOX_H),
            (COLS[1] + BOX_W / 2, row_c),
        ],
        "",
        false,
    );
    across(
        &mut body,
        row_c,
        [("", false), ("", false), ("creates", true)],
    );

    let _ = writeln!(
        body,
        "<text x=\"20\" y=\"{}\" class=\"g\">Shared by both pipelines</text>",
        row_d - 10
    );
    let mut shared: Vec<(&str, String)> = vec![
        (
            if enterprise {
                "Bucket (KMS)"
            } else {
                "Bucket (SSE-S3)"
            },
            names.physical(NameKind::ArtifactBucket),
        ),
        (
            "IAM roles",
            format!(
                "{} roles",
                crate::catalog::plan(config, names)
                    .iter()
                    .filter(|r| r.resource_type() == "AWS::IAM::Role")
                    .count()
            ),
        ),
    ];
    if tier >= Tier::Professional {
        shared.push((
            "SNS alerts",
            config.product.alerts_email.clone().unwrap_or_default(),
        ));
        shared.push(("Dashboard", names.physical(NameKind::Dashboard)));
    }
    if enterprise {
        shared.push(("KMS key", "rotation on".to_owned()));
        shared.push((
            "Compliance logs",
            format!("{AUDIT_RETENTION_DAYS} days, KMS"),
        ));
    }
    let small = 150;
    for (i, (title, detail)) in shared.iter().enumerate() {
        node(
            &mut body,
            20 + i as u32 * 160,
            row_d,
            small,
            title,
            detail,
            Style::Shared,
        );
    }

    if enterprise && let Some(vpc) = &config.product.vpc {
        let top = row_d + BOX_H + 40;
        let vpc_label = match &vpc.source {
            VpcSource::Direct { vpc_id, subnet_ids } => {
                format!("VPC {vpc_id} — {} subnets", subnet_ids.len())
            }
            VpcSource::Ssm {
                vpc_id_parameter, ..
            } => format!("VPC from SSM {vpc_id_parameter}"),
        };
        let _ = writeln!(
            body,
            "<rect class=\"vpc\" x=\"10\" y=\"{top}\" width=\"{}\" height=\"{}\" rx=\"8\"/><text x=\"20\" y=\"{}\" class=\"g\">{} · CodeBuild runs inside</text>",
            WIDTH - 20,
            BOX_H + 44,
            top + 18,
            esc(&clip_head(&vpc_label, 90))
        );
        let sg = match &vpc.mode {
            VpcMode::Standalone => (
                "Security group",
                names.physical(NameKind::EndpointSecurityGroup),
                Style::Stack,
            ),
            VpcMode::SgProv {
                security_group_id_parameter,
            } => (
                "SG Provisioner group",
                security_group_id_parameter.clone(),
                Style::External,
            ),
        };
        let y = top + 30;
        node(&mut body, 20, y, 180, sg.0, &sg.1, sg.2);
        let endpoints = [
            ("sagemaker.api", "interface, private DNS"),
            ("sagemaker.runtime", "interface, private DNS"),
            ("sts endpoint", "interface, private DNS"),
            (
                "s3 endpoint",
                if vpc.route_table_ids.is_empty() {
                    "gateway, no route tables"
                } else {
                    "gateway, route tables"
                },
            ),
        ];
        for (i, (service, detail)) in endpoints.iter().enumerate() {
            node(
                &mut body,
                212 + i as u32 * 192,
                y,
                180,
                service,
                detail,
                Style::Stack,
            );
        }
    }

    let description = describe(config, tier);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"diagram\" role=\"img\" aria-labelledby=\"diagram-title diagram-desc\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"diagram-title\">Architecture of {}</title>\n<desc id=\"diagram-desc\">{}</desc>\n<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#334e68\"/></marker></defs>\n{body}</svg>\n",
        esc(&names.ml_name()),
        esc(&description)
    );
    out
}

fn describe(config: &Config, tier: Tier) -> String {
    let source = match config.product.source {
        SourceControl::CodeCommit => "two CodeCommit repositories",
        SourceControl::S3 { .. } => "two source archives in your S3 bucket",
    };
    let mut text = format!(
        "A change to the model-build source in {source} starts the build pipeline, whose CodeBuild project trains and registers a model package in the model registry. Approving a package fires an EventBridge rule that starts the deploy pipeline, whose CodeBuild project deploys from the model-deploy source. Both pipelines share the artifact bucket and least-privilege IAM roles."
    );
    if tier >= Tier::Professional {
        text.push_str(" Pipeline failures are sent to the SNS alerts topic; a CloudWatch dashboard shows the pipelines.");
    }
    if tier == Tier::Enterprise {
        text.push_str(&format!(" A customer-managed KMS key encrypts the bucket, topic, logs and builds; a compliance log group keeps {AUDIT_RETENTION_DAYS} days, and an access-log bucket the artifact bucket's S3 server access logs; CodeBuild runs inside the VPC, which gets interface endpoints for SageMaker API, SageMaker runtime and STS with private DNS, and an S3 gateway endpoint."));
    }
    text
}
