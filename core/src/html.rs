//! The HTML pages the core writes (the review report, the change set and drift reports): the
//! one escaping function every value goes through, the page's head with its
//! Content-Security-Policy and style sheet, and small builders for the markup the pages share.
//! Nothing from a config or from AWS reaches the output except through [`esc`]; markup is only
//! ever written from string literals in this module and the pages' own modules.

use std::borrow::Cow;
use std::fmt::Write;

use base64::Engine;
use sha2::{Digest, Sha256};

/// The pages' one style sheet; each page's Content-Security-Policy allows exactly this text by
/// hash (and the browser app's page too, whose srcdoc frames inherit its policy).
const CSS: &str = include_str!("report/report.css");

/// The base64 SHA-256 of the style sheet, as the pages' Content-Security-Policy names it.
pub fn style_hash() -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS))
}

/// Writes a page's start, up to and including `<body>`: a Content-Security-Policy of
/// `default-src 'none'` plus the style sheet by hash and data: images (no script, no request),
/// no referrer, the generator and the title (escaped here).
pub fn page_start(out: &mut String, title: &str, tool_version: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"ml-provisioner {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        style_hash(),
        esc(tool_version),
        esc(title),
    );
}

/// Unicode controls that reorder how text is displayed (the "Trojan Source" set) or hide it.
/// They are shown as a visible `[U+XXXX]` so the report reads exactly what the config holds.
fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    ) || (c.is_control() && c != '\n' && c != '\t')
}

/// Text for a terminal or a log: invisible and reordering controls (the terminal's escape
/// sequences among them) shown as `[U+XXXX]`, as [`esc`] shows them; newlines and tabs kept.
pub fn show_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible_control(c) {
            let _ = write!(out, "[U+{:04X}]", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes text for HTML text, attribute values (always double- or single-quoted) and SVG
/// text alike: `& < > " '` become entities and invisible or reordering controls become visible.
/// Runs of ordinary text are copied whole (the template alone is 50 KB per report).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let bytes = text.as_bytes();
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let (replacement, width): (Option<Cow<'static, str>>, usize) = match b {
            b'&' => (Some(Cow::Borrowed("&amp;")), 1),
            b'<' => (Some(Cow::Borrowed("&lt;")), 1),
            b'>' => (Some(Cow::Borrowed("&gt;")), 1),
            b'"' => (Some(Cow::Borrowed("&quot;")), 1),
            b'\'' => (Some(Cow::Borrowed("&#39;")), 1),
            b'\n' | b'\t' | 0x20..=0x7e => (None, 1),
            _ => {
                // A control character or the start of a multi-byte character.
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                let visible =
                    is_invisible_control(c).then(|| Cow::Owned(format!("[U+{:04X}]", c as u32)));
                (visible, c.len_utf8())
            }
        };
        if let Some(r) = replacement {
            out.push_str(&text[copied..i]);
            out.push_str(&r);
            copied = i + width;
        }
        i += width;
    }
    out.push_str(&text[copied..]);
    out
}

/// A table's start, up to its open body: the caption and the header cells.
pub fn table_start(out: &mut String, caption: &str, header: &[&str]) {
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        esc(caption)
    );
    for h in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
}

/// A table: a caption, header cells and rows of already-escaped cell markup.
pub fn table(out: &mut String, caption: &str, header: &[&str], rows: &[Vec<String>]) {
    table_start(out, caption, header);
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Escaped text in a `<code>` element.
pub fn code(text: &str) -> String {
    format!("<code>{}</code>", esc(text))
}

/// A definition list of (term, escaped-markup) pairs.
pub fn facts(out: &mut String, items: &[(&str, String)]) {
    out.push_str("<dl class=\"facts\">\n");
    for (term, value) in items {
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", esc(term));
    }
    out.push_str("</dl>\n");
}

#[cfg(test)]
mod tests {
    use super::{esc, show_controls};

    #[test]
    fn escapes_markup_quotes_and_reordering_controls() {
        assert_eq!(
            esc("<a href='x' onerror=\"y\">&</a>"),
            "&lt;a href=&#39;x&#39; onerror=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(esc("abc\u{202E}fdp.exe"), "abc[U+202E]fdp.exe");
        assert_eq!(esc("]]></style>"), "]]&gt;&lt;/style&gt;");
        assert_eq!(esc("ünïcode line\nnext"), "ünïcode line\nnext");
    }

    #[test]
    fn terminal_text_shows_controls_and_keeps_markup() {
        assert_eq!(
            show_controls("<b>\u{1b}[31mred\u{202E}"),
            "<b>[U+001B][31mred[U+202E]"
        );
        assert_eq!(show_controls("a\tb\nc"), "a\tb\nc");
    }
}
