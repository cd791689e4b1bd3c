//! Editor state without the DOM: positions (the core's byte offsets, the textarea's UTF-16
//! offsets, line:column), the diagnostics as the list shows them, and the status line.

use ml_provisioner_core::{Diagnostic, LineIndex, Severity};

/// One diagnostic as the editor lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// Where to put the textarea's selection (UTF-16 code units, as the DOM counts).
    pub select_start: u32,
    pub select_end: u32,
}

impl Listed {
    /// `line:col severity[code] message`, as the lists show it.
    pub fn summary(&self) -> String {
        format!(
            "{}:{} {}[{}] {}",
            self.line,
            self.col,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// The textarea offset (UTF-16 code units) of a byte offset into `text`.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let byte = byte.min(text.len());
    let cut = (0..=byte)
        .rev()
        .find(|b| text.is_char_boundary(*b))
        .unwrap_or(0);
    text[..cut].encode_utf16().count() as u32
}

/// The diagnostics in file order, with positions.
pub fn list(text: &str, diagnostics: &[Diagnostic]) -> Vec<Listed> {
    let index = LineIndex::new(text);
    let mut out: Vec<Listed> = diagnostics
        .iter()
        .map(|d| {
            let (line, col) = index.line_col(text, d.span.start);
            let end = d.span.end.max(d.span.start);
            Listed {
                line,
                col,
                severity: d.severity,
                code: d.code.as_str(),
                message: d.message.clone(),
                hint: d.hint.clone(),
                select_start: utf16_offset(text, d.span.start),
                select_end: utf16_offset(text, end),
            }
        })
        .collect();
    out.sort_by_key(|l| (l.line, l.col));
    out
}

/// The numbers for the gutter: one per line of `text` (at least one).
pub fn line_numbers(text: &str) -> String {
    let lines = text.split('\n').count().max(1);
    let mut out = String::with_capacity(lines * 4);
    for n in 1..=lines {
        out.push_str(&n.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ml_provisioner_core::check_config;

    #[test]
    fn offsets_count_utf16_like_the_dom() {
        let text = "a: ü😀\nb: 1";
        assert_eq!(utf16_offset(text, 0), 0);
        assert_eq!(utf16_offset(text, 3), 3);
        assert_eq!(utf16_offset(text, 5), 4); // after ü (2 bytes, 1 unit)
        assert_eq!(utf16_offset(text, 9), 6); // after 😀 (4 bytes, 2 units)
        assert_eq!(utf16_offset(text, 6), 4, "inside a character: its start");
        assert_eq!(utf16_offset(text, 999), 11);
    }

    #[test]
    fn lists_diagnostics_with_line_col_and_selection() {
        let text = "client:\n  company_name: Acme\n  compny_prefix: x\n";
        let checked = check_config(text.as_bytes(), "");
        let listed = list(text, &checked.diagnostics);
        assert!(!listed.is_empty());
        let first = listed.iter().find(|l| l.line == 3).unwrap();
        assert_eq!(first.col, 3);
        assert_eq!(first.select_start as usize, text.find("compny").unwrap());
        assert!(
            listed
                .windows(2)
                .all(|w| (w[0].line, w[0].col) <= (w[1].line, w[1].col))
        );
    }

    #[test]
    fn gutter() {
        assert_eq!(line_numbers(""), "1\n");
        assert_eq!(line_numbers("a\nb\n"), "1\n2\n3\n");
    }
}
