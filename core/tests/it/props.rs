//! Property tests: configs drawn from the schema's valid space validate and round-trip to the
//! same model, whatever YAML spelling they use; the only way a schema-valid config fails is a
//! derived name over its limit, exactly when the independent length formula says so.

use ml_provisioner_core::check_config;
use ml_provisioner_core::regions::REGIONS;
use proptest::prelude::*;
use proptest::string::string_regex;

#[derive(Clone, Debug)]
struct Draw {
    company_name: String,
    prefix: String,
    account: String,
    tenant: String,
    env: &'static str,
    region: &'static str,
    tier: usize,
    use_case: String,
    workload: Option<String>,
    s3: Option<String>,
    email: String,
    vpc: (bool, bool, bool),
    tags: Vec<(String, String)>,
    style: Style,
}

#[derive(Clone, Debug)]
struct Style {
    quote: u8,
    flow_lists: bool,
    comments: bool,
    indent: usize,
}

fn words(max_words: usize, max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        string_regex(&format!("[a-z][a-z0-9]{{1,{}}}", max_len - 1)).unwrap(),
        1..=max_words,
    )
    .prop_map(|w| w.join("-"))
}

fn draw(short_names: bool) -> impl Strategy<Value = Draw> {
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
            prop::sample::select(REGIONS.iter().map(|r| r.0).collect::<Vec<_>>()),
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
                ("[a-z][a-z0-9_.:/=+@-]{0,20}", "[A-Za-z0-9 _.:/=+@-]{0,30}"),
                0..5,
            ),
        ),
        (0..3u8, any::<bool>(), any::<bool>(), 2..5usize),
    )
        .prop_map(|(client, env, product, extra, style)| Draw {
            company_name: client.0.trim().to_owned() + "x",
            prefix: client.1,
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

fn render(d: &Draw) -> String {
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
fn short_base_len(d: &Draw) -> usize {
    d.prefix.len()
        + 1
        + d.env.len()
        + 1
        + 4
        + 1
        + d.use_case.len()
        + d.workload.as_ref().map_or(0, |w| w.len() + 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn valid_space_validates_and_round_trips(d in draw(true)) {
        let yaml = render(&d);
        let checked = check_config(yaml.as_bytes(), "");
        prop_assert!(checked.diagnostics.is_empty(), "{yaml}\n{:#?}", checked.diagnostics);
        let config = checked.config.unwrap();
        prop_assert_eq!(&config.client.company_name, &d.company_name);
        prop_assert_eq!(&config.client.account_id, &d.account);
        prop_assert_eq!(config.environment.env.as_str(), d.env);
        prop_assert_eq!(&config.product.use_case, &d.use_case);
        prop_assert_eq!(&config.product.workload, &d.workload);
        prop_assert_eq!(config.product.source.as_str(), if d.s3.is_some() { "s3" } else { "codecommit" });
        prop_assert_eq!(config.product.vpc.is_some(), d.tier == 2);
    }

    #[test]
    fn schema_valid_configs_fail_only_on_name_length(d in draw(false)) {
        let yaml = render(&d);
        let checked = check_config(yaml.as_bytes(), "");
        // The binding limit: the test-deploy EventBridge rule `{short base}-t00000-src-push` ≤ 64.
        let too_long = short_base_len(&d) + 7 + 9 > 64;
        let codes: Vec<_> = checked.diagnostics.iter().map(|x| x.code.as_str()).collect();
        prop_assert!(codes.iter().all(|c| *c == "name-too-long"), "{yaml}\n{codes:?}");
        prop_assert_eq!(!codes.is_empty(), too_long, "{}", yaml);
    }
}
