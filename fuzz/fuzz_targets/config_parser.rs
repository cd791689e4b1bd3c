//! Fuzzes the whole config check (bytes → diagnostics → every renderer): it must never panic,
//! never hang, and every span it reports must lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ml_provisioner_core::render::{self, FileDiagnostics};
use ml_provisioner_core::{catalog, check_config};

fuzz_target!(|data: &[u8]| {
    let checked = check_config(data, "fuzz.yaml");
    for d in &checked.diagnostics {
        assert!(
            d.span.start <= d.span.end.max(d.span.start) && d.span.start <= data.len(),
            "span outside the input: {d:?}"
        );
    }
    let text = String::from_utf8_lossy(data);
    let file = FileDiagnostics {
        path: "fuzz.yaml",
        text: &text,
        diagnostics: &checked.diagnostics,
    };
    let _ = render::render_text(&file);
    let _ = render::render_json(&[file]);
    let _ = render::render_sarif(&[file], &render::SarifRun::default());
    if let Some(config) = &checked.config {
        let _ = catalog::plan(config, &config.names());
    }
});
