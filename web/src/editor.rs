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

/// The number of lines the gutter numbers: a final newline starts one more (where the cursor goes).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count().max(1)
}

/// The editor's vertical view, in pixels (the textarea's computed style and scroll state).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub line_height: f64,
    pub padding_top: f64,
    /// The visible height (`clientHeight`).
    pub height: f64,
    pub scroll_top: f64,
}

/// Where to scroll the editor so that `line` (from 1) is in view: unchanged when it already is,
/// else the line a third of the way down (a textarea does not scroll to a selection it is given).
pub fn scroll_to_line(line: usize, view: View) -> f64 {
    let top = view.padding_top + line.saturating_sub(1) as f64 * view.line_height;
    let bottom = top + view.line_height;
    if top >= view.scroll_top && bottom <= view.scroll_top + view.height {
        view.scroll_top
    } else {
        (top - view.height / 3.0).max(0.0)
    }
}

/// The numbers for the gutter: one per line of `text` (at least one).
pub fn line_numbers(text: &str) -> String {
    let lines = line_count(text);
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
    fn scrolls_only_to_a_line_out_of_view() {
        let view = View {
            line_height: 20.0,
            padding_top: 5.0,
            height: 500.0,
            scroll_top: 0.0,
        };
        assert_eq!(scroll_to_line(1, view), 0.0);
        assert_eq!(scroll_to_line(24, view), 0.0, "the last whole line in view");
        let to = scroll_to_line(413, view);
        let top = 5.0 + 412.0 * 20.0;
        assert!(top >= to && top + 20.0 <= to + 500.0, "{to}");
        let back = View {
            scroll_top: to,
            ..view
        };
        assert_eq!(scroll_to_line(413, back), to, "already in view: stays");
        assert_eq!(scroll_to_line(1, back), 0.0);
    }

    #[test]
    fn gutter() {
        assert_eq!(line_numbers(""), "1\n");
        assert_eq!(line_numbers("a\nb\n"), "1\n2\n3\n");
    }
}
