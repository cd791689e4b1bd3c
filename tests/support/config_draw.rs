//! Configs drawn from the schema's valid space, rendered as YAML in varied spellings. Shared by
//! the core's property tests and the CLI's generated-template lint (included with `#[path]`).
#![allow(dead_code)]

use ml_provisioner_core::regions;
use proptest::prelude::*;
use proptest::string::string_regex;

#[derive(Clone, Debug)]
pub struct Draw {
    pub company_name: String,
    pub prefix: String,
    pub account: String,
    pub tenant: String,
    pub env: &'static str,
    pub region: &'static str,
    pub tier: usize,
    pub use_case: String,
    pub workload: Option<String>,
    pub s3: Option<String>,
    pub email: String,
    pub vpc: (bool, bool, bool),
    pub tags: Vec<(String, String)>,
    pub style: Style,
}

#[derive(Clone, Debug)]
pub struct Style {
    pub quote: u8,
    pub flow_lists: bool,
    pub comments: bool,
    pub indent: usize,
}

fn words(max_words: usize, max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        string_regex(&format!("[a-z][a-z0-9]{{1,{}}}", max_len - 1)).unwrap(),
        1..=max_words,
    )
    .prop_map(|w| w.join("-"))
}

pub fn draw(short_names: bool) -> impl Strategy<Value = Draw> {
    let (prefix_len, use_case_words, workload_len) =
        if short_names { (8, 2, 6) } else { (20, 4, 12) };
    (
        (
            "[A-Z][A-Za-z0-9 &.,'-]{0,40}",
            string_regex(&format!("[a-z][a-z0-9]{{1,{prefix_len}}}")).unwrap(),
            "[0-9]{12}",
            "[a-z0-9]{4}",
        ),
        (
            prop::sample::select(vec!["dev", "test", "staging", "prod"]),
            prop::sample::select(regions::all().iter().map(|r| r.0).collect::<Vec<_>>()),
            0..3usize,
        ),
        (
            words(use_case_words, 6),
            prop::option::of(words(1, workload_len)),
            prop::option::of("[a-z0-9][a-z0-9-]{1,20}[a-z0-9](/[a-z0-9/_-]{0,20})?"),
            "[a-z0-9._%+-]{1,20}@[a-z0-9]{1,10}\\.(com|example|io)",
        ),
        (
            any::<(bool, bool, bool)>(),
            prop::collection::vec(
                (
                    "[a-z][a-z0-9_.:/=+@-]{0,20}",
                    "[A-Za-z0-9_.:/=+@-][A-Za-z0-9 _.:/=+@-]{0,29}",
                ),
                0..5,
            ),
        ),
        (0..3u8, any::<bool>(), any::<bool>(), 2..5usize),
    )
        .prop_map(|(client, env, product, extra, style)| Draw {
            company_name: client.0.trim().to_owned() + "x",
            // "sg" would make the endpoint security group's name start with "sg-", which EC2
            // refuses (an invalid-name fixture covers it); the valid space excludes it.
            prefix: if client.1 == "sg" {
                "sgx".to_owned()
            } else {
                client.1
            },
            account: client.2,
            tenant: client.3,
            env: env.0,
            region: env.1,
            tier: env.2,
            use_case: product.0,
            workload: product.1,
            s3: product.2.filter(|s| {
                ml_provisioner_core::names::check_bucket_name(s.split('/').next().unwrap_or(s))
                    .is_ok()
            }),
            email: product.3,
            vpc: extra.0,
            tags: extra
                .1
                .into_iter()
                .filter(|(k, _)| !k.starts_with("aws:") && !k.starts_with("ml:"))
                .collect(),
            style: Style {
                quote: style.0,
                flow_lists: style.1,
                comments: style.2,
                indent: style.3,
            },
        })
}

/// Whether YAML would read `value`, written plain, as something other than a string.
fn plain_is_not_a_string(value: &str) -> bool {
    matches!(
        value,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
    ) || value.parse::<f64>().is_ok()
        || value.starts_with("0x")
        || value.starts_with("0o")
        || value.starts_with('.')
}

fn scalar(value: &str, style: &Style) -> String {
    match style.quote {
        0 if !plain_is_not_a_string(value)
            && !value.contains(": ")
            && !value.contains(" #")
            && !value.starts_with(|c: char| !c.is_ascii_alphanumeric())
            && value.trim() == value
            && !value.is_empty() =>
        {
            value.to_owned()
        }
        1 => format!("'{}'", value.replace('\'', "''")),
        _ => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

pub fn render(d: &Draw) -> String {
    let s = &d.style;
    let i = " ".repeat(s.indent);
    let ii = " ".repeat(s.indent * 2);
    let q = |v: &str| scalar(v, s);
    let tier = ["starter", "professional", "enterprise"][d.tier];
    let mut y = String::new();
    if s.comments {
        y.push_str("# a generated config\n");
    }
    y.push_str(&format!("client:\n{i}company_name: {}\n{i}company_prefix: {}\n{i}account_id: \"{}\"\n{i}tenant_id: {}\n", q(&d.company_name), q(&d.prefix), d.account, q(&d.tenant)));
    y.push_str(&format!(
        "environment:\n{i}env: {}\n{i}region: {}\n",
        d.env,
        q(d.region)
    ));
    y.push_str(&format!(
        "ml_product:\n{i}tier: {tier}\n{i}use_case: {}\n",
        q(&d.use_case)
    ));
    if let Some(w) = &d.workload {
        y.push_str(&format!("{i}workload: {}\n", q(w)));
    }
    match &d.s3 {
        Some(prefix) => y.push_str(&format!(
            "{i}source_control: s3\n{i}s3_prefix: {}\n",
            q(prefix)
        )),
        None => y.push_str(&format!(
            "{i}source_control: codecommit{}\n",
            if s.comments { "  # the default" } else { "" }
        )),
    }
    if d.tier >= 1 {
        y.push_str(&format!("{i}alerts_email: {}\n", q(&d.email)));
    }
    if d.tier == 2 {
        let (sgprov, direct, rtb) = d.vpc;
        y.push_str(&format!(
            "{i}vpc_integration:\n{ii}mode: {}\n{ii}vpc_source: {}\n",
            if sgprov { "sgprov" } else { "standalone" },
            if direct { "direct" } else { "ssm" }
        ));
        let list = |items: &[&str]| {
            if s.flow_lists {
                format!(" [{}]\n", items.join(", "))
            } else {
                format!(
                    "\n{}",
                    items
                        .iter()
                        .map(|x| format!("{ii}  - {x}\n"))
                        .collect::<String>()
                )
            }
        };
        if direct {
            y.push_str(&format!(
                "{ii}vpc_id: vpc-0123456789abcdef0\n{ii}subnet_ids:{}",
                list(&["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])
            ));
        }
        if rtb {
            y.push_str(&format!("{ii}route_table_ids:{}", list(&["rtb-01234567"])));
        }
    }
    if !d.tags.is_empty() {
        y.push_str("tags:\n");
        let mut seen = std::collections::BTreeSet::new();
        for (k, v) in &d.tags {
            if seen.insert(k.clone()) {
                y.push_str(&format!(
                    "{i}{}: {}\n",
                    q(k),
                    scalar(
                        v,
                        &Style {
                            quote: 2,
                            ..s.clone()
                        }
                    )
                ));
            }
        }
    }
    y
}

/// Length of `{prefix}-{env}-{tenant}-{use_case}[-{workload}]` (the region-less base).
pub fn short_base_len(d: &Draw) -> usize {
    d.prefix.len()
        + 1
        + d.env.len()
        + 1
        + 4
        + 1
        + d.use_case.len()
        + d.workload.as_ref().map_or(0, |w| w.len() + 1)
}
