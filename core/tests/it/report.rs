//! The review report: deterministic, describing the exact template bytes, every section there,
//! and every config value escaped.

use ml_provisioner_core::policy::PolicyOptions;
use ml_provisioner_core::report::{self, Report, ReportInput};
use ml_provisioner_core::template::{self, TemplateInput};
use ml_provisioner_core::{Tier, check_config};

use crate::examples::load_examples;
use crate::repo_root;

const TIME: &str = "2026-11-27T10:00:00Z";

fn render(file: &str, bytes: &[u8]) -> Report {
    let checked = check_config(bytes, file);
    let config = checked.config.as_ref().unwrap();
    report::render(&ReportInput {
        config,
        config_bytes: bytes,
        config_file: file,
        config_stem: file.trim_end_matches(".yaml"),
        config_diagnostics: &checked.diagnostics,
        generated_at: TIME,
        tool_version: "0.1.0",
        policy_options: PolicyOptions::default(),
    })
    .unwrap()
}

#[test]
fn every_example_gets_a_deterministic_report_of_its_exact_template() {
    for (file, bytes) in load_examples() {
        let first = render(&file, &bytes);
        assert_eq!(
            first.html,
            render(&file, &bytes).html,
            "{file}: not deterministic"
        );
        let config = check_config(&bytes, &file).config.unwrap();
        let names = config.names();
        let written = template::generate(&TemplateInput {
            config: &config,
            names: &names,
            config_file: &file,
            tool_version: "0.1.0",
        });
        assert_eq!(first.template.yaml, written.yaml, "{file}");
        assert_eq!(
            first.template_sha256,
            report::sha256_hex(written.yaml.as_bytes())
        );
        assert!(first.html.contains(&first.template_sha256), "{file}");
        assert!(
            first.html.contains(TIME),
            "{file}: the time passed in is shown"
        );
        let mut sections = vec![
            "identity",
            "summary",
            "checklist",
            "findings",
            "resources",
            "architecture",
            "iam",
            "ssm",
            "cost",
            "template",
            "next",
        ];
        if config.tier() == Tier::Enterprise {
            sections.push("network");
        } else {
            assert!(!first.html.contains("<section id=\"network\""), "{file}");
        }
        for id in sections {
            assert!(
                first.html.contains(&format!("<section id=\"{id}\"")),
                "{file}: no {id} section"
            );
        }
        // Self-contained: no script, no external reference of any kind.
        for forbidden in [
            "<script",
            " src=",
            "<link",
            "<iframe",
            "@import",
            "href=\"http",
            "url(http",
        ] {
            assert!(
                !first.html.contains(forbidden),
                "{file}: report contains {forbidden}"
            );
        }
    }
}

#[test]
fn snapshots_of_every_report() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (file, bytes) in load_examples() {
            let stem = file.trim_end_matches(".yaml");
            insta::assert_snapshot!(format!("{stem}-review-report"), render(&file, &bytes).html);
        }
    });
}

#[test]
fn hostile_values_are_escaped_everywhere() {
    let path = repo_root().join("tests/fixtures/hostile/hostile.yaml");
    let bytes = std::fs::read(path).unwrap();
    let html = render("hostile.yaml", &bytes).html;
    for raw in [
        "<script>window",
        "<img",
        "onerror=\"",
        "onerror='",
        "</style>]]>",
        "<!--",
        "\u{202E}",
        "q'onerror",
    ] {
        assert!(!html.contains(raw), "the report contains {raw:?} unescaped");
    }
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(html.contains("&lt;script&gt;window.__xss=&#39;name&#39;"));
    assert!(html.contains("[U+202E]exe.txt"));
    assert!(html.contains("q&#39;onerror=alert`1`&amp;x=/@evil.example"));
}

#[test]
fn the_style_sheet_is_allowed_by_hash_and_nothing_else() {
    let (file, bytes) = load_examples().remove(0);
    let html = render(&file, &bytes).html;
    let csp_start = html.find("Content-Security-Policy\" content=\"").unwrap();
    let csp = &html[csp_start..html[csp_start..].find("\">").unwrap() + csp_start];
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    let css = &html[html.find("<style>").unwrap() + 7..html.find("</style>").unwrap()];
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(css));
    assert!(csp.contains(&format!("style-src 'sha256-{hash}'")), "{csp}");
}
