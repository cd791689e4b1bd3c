//! A small YAML layer that keeps source positions: input checks (size, UTF-8, control
//! characters, tab indentation), then an event-driven tree builder with hard limits on nesting
//! depth and alias expansion, duplicate-key detection and YAML 1.2 core-schema scalar typing.
//!
//! Parsing never panics and never fails: it returns the tree it could build (if any) and
//! diagnostics.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};

use crate::diagnostic::{Code, Diagnostic, Span};

/// Largest accepted input. Real configs are under 4 KiB.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;
/// Deepest accepted nesting of mappings and sequences. The config format needs 4.
pub const MAX_DEPTH: usize = 32;
/// Most nodes a document may hold once aliases are expanded.
pub const MAX_NODES: usize = 10_000;
/// How much of a value [`Node::shown`] quotes in a message.
pub const SHOWN_CHARS: usize = 40;

/// A YAML node with the byte span it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// An integer, as written (so a hint can quote it back, leading zeros included).
    Int(String),
    /// A float, as written.
    Float(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    /// The text of a scalar node (`None` for collections).
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) | NodeKind::Int(s) | NodeKind::Float(s) => Some(s),
            NodeKind::Null => Some("null"),
            NodeKind::Bool(true) => Some("true"),
            NodeKind::Bool(false) => Some("false"),
            NodeKind::Seq(_) | NodeKind::Map(_) => None,
        }
    }

    /// The value on one line as it could be written, for messages: a scalar's text, a list as
    /// `[a, b]`, a mapping as `{k: v}`; past [`SHOWN_CHARS`] characters cut with `…`.
    pub fn shown(&self) -> String {
        let mut out = String::new();
        self.write_shown(&mut out);
        match out.char_indices().nth(SHOWN_CHARS) {
            Some((cut, _)) => format!("{}…", &out[..cut]),
            None => out,
        }
    }

    fn write_shown(&self, out: &mut String) {
        // Stop early: a message never needs more than SHOWN_CHARS of it.
        if out.len() > 4 * SHOWN_CHARS {
            return;
        }
        match &self.kind {
            NodeKind::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_shown(out);
                }
                out.push(']');
            }
            NodeKind::Map(entries) => {
                out.push('{');
                for (i, entry) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    entry.key.write_shown(out);
                    out.push_str(": ");
                    entry.value.write_shown(out);
                }
                out.push('}');
            }
            _ => out.push_str(self.scalar_text().unwrap_or_default()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The entry for `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .find(|e| e.key.scalar_text() == Some(key))
    }

    /// What kind of value this is, for messages ("a string", "an integer", ...).
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "an empty value (null)",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// Follows a JSON pointer (`/a/b/0`); returns the key node (for mapping members) and the value.
    pub fn lookup(&self, pointer: &str) -> Option<(Option<&Node>, &Node)> {
        let mut key = None;
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Map(entries) => {
                    let entry = entries
                        .iter()
                        .find(|e| e.key.scalar_text() == Some(segment.as_str()))?;
                    key = Some(&entry.key);
                    node = &entry.value;
                }
                NodeKind::Seq(items) => {
                    key = None;
                    node = items.get(segment.parse::<usize>().ok()?)?;
                }
                _ => return None,
            }
        }
        Some((key, node))
    }

    /// The JSON value the schema validator sees.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(raw) => parse_int(raw)
                .map(Value::from)
                .unwrap_or_else(|| Value::from(raw.parse::<f64>().unwrap_or(0.0))),
            NodeKind::Float(raw) => Value::from(parse_float(raw).unwrap_or(0.0)),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .filter_map(|e| Some((e.key.scalar_text()?.to_owned(), e.value.to_json())))
                    .collect(),
            ),
        }
    }

    fn count(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Seq(items) => items.iter().map(Node::count).sum(),
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| e.key.count() + e.value.count())
                .sum(),
            _ => 0,
        }
    }
}

/// The result of parsing: the root node if a document was found, plus diagnostics.
#[derive(Debug)]
pub struct Parsed {
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks raw bytes and decodes them to text. On failure returns the one diagnostic that stops
/// checking (nothing after a binary or oversized input is worth reporting).
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    decode_with_limit(bytes, MAX_INPUT_BYTES)
}

/// [`decode`] with another size limit (templates may be up to 1 MiB).
pub fn decode_with_limit(bytes: &[u8], limit: usize) -> Result<&str, Diagnostic> {
    if bytes.len() > limit {
        return Err(too_large_for(bytes.len() as u64, limit));
    }
    let (text, utf8_error) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            (
                std::str::from_utf8(valid).unwrap_or_default(),
                Some(err.valid_up_to()),
            )
        }
    };
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| !is_yaml_printable(c)) {
        return Err(Diagnostic::new(
            Code::ControlCharacter,
            Span::new(at, at + c.len_utf8()),
            format!(
                "control character U+{:04X} is not allowed in YAML",
                u32::from(c)
            ),
        )
        .with_hint("the file looks binary or corrupted; configs are plain text"));
    }
    if let Some(at) = utf8_error {
        return Err(Diagnostic::new(
            Code::InvalidUtf8,
            Span::new(at, at + 1),
            format!("byte 0x{:02X} at offset {at} is not valid UTF-8", bytes[at]),
        )
        .with_hint("save the file as UTF-8 text (configs are plain text, not binary)"));
    }
    Ok(text)
}

/// The diagnostic for an input of `size` bytes over [`MAX_INPUT_BYTES`] (callers that know the
/// size of a file can report it without reading the file).
pub fn too_large(size: u64) -> Diagnostic {
    too_large_for(size, MAX_INPUT_BYTES)
}

/// The diagnostic for an input of `size` bytes over `limit`.
pub fn too_large_for(size: u64, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        Span::at(0),
        format!("the file is {size} bytes; the limit is {limit} bytes"),
    )
    .with_hint("check that this is the right file: a config is a few hundred bytes of YAML, a template at most 1 MB")
}

/// YAML 1.2's printable set (c-printable), plus the byte-order mark.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Parses decoded text into a spanned tree.
/// How to read YAML.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// Read CloudFormation's short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`, `!Sub`, …) as
    /// their long forms (`{Ref: X}`, `{Fn::GetAtt: [A, B]}`, …) instead of rejecting them; the
    /// text is a template, and messages call it one.
    pub cloudformation_tags: bool,
    /// The text is JSON, where a tab is white space like a space, also at the start of a line:
    /// no `tab-indentation` error (that rule is YAML's, for configs and YAML templates).
    pub json: bool,
}

/// Parses decoded text into a spanned tree (config mode: no custom tags).
pub fn parse(text: &str) -> Parsed {
    parse_with(text, ParseOptions::default())
}

/// Parses decoded text into a spanned tree.
pub fn parse_with(text: &str, options: ParseOptions) -> Parsed {
    let mut diagnostics = Vec::new();
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[bom..];
    // Tabs in indentation are reported, then read as spaces (same byte length, so spans stay
    // true) so that the rest of the file is still checked. In JSON they are white space, and the
    // YAML parser reads them so inside the braces (flow context).
    let fixed = if options.json {
        None
    } else {
        replace_indentation_tabs(body, bom, &mut diagnostics)
    };
    let body: &str = fixed.as_deref().unwrap_or(body);
    let offsets = CharOffsets::new(body, bom);
    let mut builder = Builder::new(&offsets);
    builder.cloudformation = options.cloudformation_tags;
    let root = builder.run(body, &mut diagnostics);
    if root.is_none() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                Span::at(0),
                "the file holds no YAML document",
            )
            .with_hint("start from one of the shipped examples in examples/configs/"),
        );
    }
    Parsed { root, diagnostics }
}

fn replace_indentation_tabs(
    body: &str,
    base: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut tabs = Vec::new();
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = line[indent..].trim_end();
        if !rest.is_empty() && !rest.starts_with('#') {
            tabs.extend(
                line[..indent]
                    .match_indices('\t')
                    .map(|(i, _)| line_start + i),
            );
        }
        line_start += line.len();
    }
    if tabs.is_empty() {
        return None;
    }
    let mut bytes = body.as_bytes().to_vec();
    for &at in &tabs {
        bytes[at] = b' ';
    }
    if let Some(&first) = tabs.first() {
        diagnostics.push(
            Diagnostic::new(
                Code::TabIndentation,
                Span::new(base + first, base + first + 1),
                format!(
                    "a tab is used for indentation{}",
                    if tabs.len() > 1 {
                        format!(" ({} tabs on indented lines in all)", tabs.len())
                    } else {
                        String::new()
                    }
                ),
            )
            .with_hint("YAML indentation must use spaces; replace the tabs with spaces"),
        );
    }
    String::from_utf8(bytes).ok()
}

/// Converts the parser's character indices into byte offsets of the original text.
struct CharOffsets {
    base: usize,
    /// Byte offset of each char, only when the text is not pure ASCII.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(body: &str, base: usize) -> Self {
        let table = (!body.is_ascii()).then(|| body.char_indices().map(|(i, _)| i).collect());
        CharOffsets {
            base,
            table,
            len: body.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.base
            + match &self.table {
                None => char_index.min(self.len),
                Some(table) => table.get(char_index).copied().unwrap_or(self.len),
            }
    }

    fn span(&self, span: YamlSpan) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        seen: HashMap<String, Span>,
    },
}

struct Builder<'o> {
    offsets: &'o CharOffsets,
    stack: Vec<Frame>,
    /// For each open collection, the intrinsic function its tag names (CloudFormation mode).
    wraps: Vec<Option<&'static str>>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    cloudformation: bool,
}

impl<'o> Builder<'o> {
    fn new(offsets: &'o CharOffsets) -> Self {
        Builder {
            offsets,
            stack: Vec::new(),
            wraps: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            cloudformation: false,
        }
    }

    /// Pulls events until the stream ends or a problem makes the rest unreadable.
    fn run(mut self, body: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
        let mut parser = Parser::new_from_str(body);
        let mut root: Option<Node> = None;
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, yspan) = match next {
                Ok(ok) => ok,
                Err(err) => {
                    let info = err.info();
                    let mut at = self.offsets.byte(err.marker().index());
                    if info.contains("did not find expected key") {
                        // The unexpected token is a list item: point at its '-'.
                        at = block_entry_before(body, self.offsets.base, at).unwrap_or(at);
                    }
                    let span = Span::new(at, at + 1);
                    let after_tab = diagnostics.iter().any(|d| {
                        d.code == Code::TabIndentation
                            && same_line(body, self.offsets.base, d.span.start, at)
                    });
                    if !after_tab {
                        diagnostics.push(if info.contains("recursion limit") {
                            Diagnostic::new(Code::NestingTooDeep, span, "nesting goes deeper than the YAML parser's limit")
                                .with_hint("the config format nests 4 levels deep; look for runaway brackets")
                        } else if info.contains("unknown anchor") {
                            Diagnostic::new(Code::UnknownAnchor, span, "this alias refers to an anchor that is not defined before it")
                                .with_hint("define the anchor (&name) before using the alias (*name); a config needs no aliases")
                        } else {
                            Diagnostic::new(Code::YamlSyntax, span, format!("YAML syntax error: {info}"))
                                .with_hint(syntax_hint(info))
                        });
                    }
                    return None;
                }
            };
            let span = self.offsets.span(yspan);
            let step = match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                    Ok(None)
                }
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::MultipleDocuments,
                                span,
                                "a second YAML document starts here",
                            )
                            .with_hint("a config file holds exactly one document; remove the extra '---' section or put it in its own file"),
                        );
                        return root;
                    }
                    Ok(None)
                }
                Event::Alias(id) => self.alias(id, span),
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_deref(), span, diagnostics)
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(true, anchor, tag.as_deref(), span, diagnostics)
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(false, anchor, tag.as_deref(), span, diagnostics)
                }
                Event::SequenceEnd | Event::MappingEnd => Ok(self.close(span)),
            };
            match step {
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    return None;
                }
                Ok(Some(node)) => {
                    if let Some(node) = self.attach(node, diagnostics) {
                        root = Some(node);
                    }
                }
                Ok(None) => {}
            }
        }
        root
    }

    fn count_nodes(&mut self, added: usize, span: Span) -> Result<(), Diagnostic> {
        self.nodes += added;
        if self.nodes > MAX_NODES {
            return Err(Diagnostic::new(
                Code::AliasLimit,
                span,
                format!("the document expands to more than {MAX_NODES} nodes"),
            )
            .with_hint(
                "aliases (*name) multiply content; a config needs no aliases, write the values out",
            ));
        }
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Option<Node>, Diagnostic> {
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(Diagnostic::new(
                Code::UnknownAnchor,
                span,
                "this alias refers to an anchor that is not defined before it",
            )
            .with_hint("define the anchor (&name) before using the alias (*name)"));
        };
        let (mut node, size) = (node.clone(), *size);
        self.count_nodes(size, span)?;
        node.span = span;
        Ok(Some(node))
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Node>, Diagnostic> {
        self.count_nodes(1, span)?;
        let function = self.function(tag);
        let core_tag = if function.is_some() {
            None
        } else {
            check_tag(tag, span, self.cloudformation, diagnostics)
        };
        let mut node = Node {
            kind: resolve_scalar(&value, style, core_tag),
            span,
        };
        if let Some(function) = function {
            let argument = match (function, &node.kind) {
                ("Fn::GetAtt", NodeKind::Str(text)) => {
                    let (resource, attribute) = text.split_once('.').unwrap_or((text, ""));
                    let part = |t: &str| Node {
                        kind: NodeKind::Str(t.to_owned()),
                        span,
                    };
                    Node {
                        kind: NodeKind::Seq(vec![part(resource), part(attribute)]),
                        span,
                    }
                }
                (_, NodeKind::Null) => Node {
                    kind: NodeKind::Str(String::new()),
                    span,
                },
                _ => node,
            };
            node = wrap(function, argument, span);
        }
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), 1));
        }
        Ok(Some(node))
    }

    fn open(
        &mut self,
        is_seq: bool,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Node>, Diagnostic> {
        let function = self.function(tag);
        if function.is_none() {
            check_tag(tag, span, self.cloudformation, diagnostics);
        }
        self.count_nodes(1, span)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("nesting goes deeper than the limit of {MAX_DEPTH} levels"),
            )
            .with_hint(
                "the config format nests 4 levels deep; look for runaway brackets or dashes",
            ));
        }
        self.wraps.push(function);
        self.stack.push(if is_seq {
            Frame::Seq {
                start: span,
                anchor,
                items: Vec::new(),
            }
        } else {
            Frame::Map {
                start: span,
                anchor,
                entries: Vec::new(),
                pending_key: None,
                seen: HashMap::new(),
            }
        });
        Ok(None)
    }

    fn close(&mut self, end: Span) -> Option<Node> {
        let frame = self.stack.pop()?;
        let function = self.wraps.pop().flatten();
        let (start, anchor, kind) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => (start, anchor, NodeKind::Seq(items)),
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => (start, anchor, NodeKind::Map(entries)),
        };
        let mut node = Node {
            kind,
            span: Span::new(start.start, end.end.max(start.end)),
        };
        if let Some(function) = function {
            node = wrap(function, node, start);
        }
        if anchor != 0 {
            let size = node.count();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Some(node)
    }

    /// Adds a finished node to the open collection; returns it when it is the document root.
    fn attach(&mut self, node: Node, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
        match self.stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map {
                entries,
                pending_key,
                seen,
                ..
            }) => {
                let Some(key) = pending_key.take() else {
                    *pending_key = Some(node);
                    return None;
                };
                match key.scalar_text() {
                    None => diagnostics.push(
                        Diagnostic::new(
                            Code::ComplexKey,
                            key.span,
                            "a mapping key must be a plain value, not a list or mapping",
                        )
                        .with_hint("write keys as plain words, e.g. 'company_name:'"),
                    ),
                    Some(text) => {
                        if let Some(&first) = seen.get(text) {
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::DuplicateKey,
                                    key.span,
                                    format!("the key '{text}' appears twice in this mapping"),
                                )
                                .with_label(first, "first defined here")
                                .with_hint("remove one of the two; YAML keeps only one and which one is tool-dependent"),
                            );
                            return None;
                        }
                        seen.insert(text.to_owned(), key.span);
                    }
                }
                entries.push(Entry { key, value: node });
                None
            }
        }
    }
}

/// CloudFormation's short-form tags and the long forms they stand for.
const CLOUDFORMATION_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("Base64", "Fn::Base64"),
    ("ImportValue", "Fn::ImportValue"),
    ("Cidr", "Fn::Cidr"),
    ("Condition", "Condition"),
    // Rules-only functions (a template's `Rules` section): each has a short form, as in cfn-lint
    // and AWS's cloudformation-validate.
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

impl Builder<'_> {
    /// The long form of a CloudFormation short-form tag, in CloudFormation mode.
    fn function(&self, tag: Option<&Tag>) -> Option<&'static str> {
        let tag = tag.filter(|_| self.cloudformation)?;
        if tag.handle != "!" {
            return None;
        }
        CLOUDFORMATION_TAGS
            .iter()
            .find(|(short, _)| *short == tag.suffix)
            .map(|(_, long)| *long)
    }
}

/// `{function: argument}`, spanning the tagged node.
fn wrap(function: &'static str, argument: Node, span: Span) -> Node {
    let key = Node {
        kind: NodeKind::Str(function.to_owned()),
        span,
    };
    let span = Span::new(span.start, argument.span.end.max(span.end));
    Node {
        kind: NodeKind::Map(vec![Entry {
            key,
            value: argument,
        }]),
        span,
    }
}

/// Reports a tag outside the YAML core schema; returns the core-schema suffix (`str`, `int`, ...).
/// The non-specific tag `!` is no tag for a collection and `str` for a scalar, as YAML says (a
/// `!`-tagged scalar is not resolved as a number, boolean or null).
fn check_tag<'t>(
    tag: Option<&'t Tag>,
    span: Span,
    template: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'t str> {
    let tag = tag?;
    if tag.is_yaml_core_schema() {
        return Some(tag.suffix.as_str());
    }
    if is_non_specific(tag) {
        return Some("str");
    }
    let (what, hint) = if template {
        (
            "template",
            "use a CloudFormation function's short form (!Ref, !Sub, !GetAtt, …) or its long form (Fn::…), or remove the tag",
        )
    } else {
        ("config", "remove the tag; a config holds plain YAML values")
    };
    diagnostics.push(
        Diagnostic::new(
            Code::UnsupportedTag,
            span,
            format!("the tag '{tag}' is not supported in a {what}"),
        )
        .with_hint(hint),
    );
    None
}

/// YAML's non-specific tag, a lone `!` (the parser gives it as handle "" and suffix "!", unless
/// a `%TAG !` directive renamed it).
fn is_non_specific(tag: &Tag) -> bool {
    tag.handle.is_empty() && tag.suffix == "!"
}

/// YAML 1.2 core-schema typing of a scalar.
fn resolve_scalar(value: &str, style: ScalarStyle, core_tag: Option<&str>) -> NodeKind {
    match core_tag {
        Some("str") => return NodeKind::Str(value.to_owned()),
        Some("null") => return NodeKind::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain && core_tag.is_none() {
        return NodeKind::Str(value.to_owned());
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if parse_int(value).is_some() || is_decimal_int(value) => NodeKind::Int(value.to_owned()),
        _ if parse_float(value).is_some() => NodeKind::Float(value.to_owned()),
        _ => NodeKind::Str(value.to_owned()),
    }
}

fn is_decimal_int(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn parse_int(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    if is_decimal_int(s) {
        return s.parse().ok();
    }
    None
}

fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = {
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        (!int.is_empty() || !frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    let exponent_ok = exponent.is_none_or(is_decimal_int);
    (mantissa_ok && exponent_ok)
        .then(|| s.parse().ok())
        .flatten()
}

/// Whether byte offsets `a` and `b` of the original text (the body starts at `base`) are on
/// the same line.
/// The '-' of the list item whose content starts at byte `at`, if one does: the parser places a
/// list item's token after its '-' and the blanks that follow (where the item's content starts,
/// or at the end of the line), but the item starts at its '-', where PyYAML and cfn-lint report
/// an unexpected item.
fn block_entry_before(body: &str, base: usize, at: usize) -> Option<usize> {
    let (before, after) = body.split_at_checked(at.checked_sub(base)?)?;
    let dash = before.trim_end_matches([' ', '\t']);
    // A '-' is an item's only when a blank or the end of the line follows it ('-x' is text).
    let ends_item =
        dash.len() < before.len() || after.is_empty() || after.starts_with(['\n', '\r']);
    if !ends_item || !dash.ends_with('-') {
        return None;
    }
    let start = dash.len() - 1;
    let indicator = dash[..start]
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    indicator.then_some(base + start)
}

fn same_line(body: &str, base: usize, a: usize, b: usize) -> bool {
    let (lo, hi) = (a.min(b).saturating_sub(base), a.max(b).saturating_sub(base));
    body.get(lo..hi)
        .is_some_and(|between| !between.contains('\n'))
}

fn syntax_hint(info: &str) -> &'static str {
    if info.contains("mapping values are not allowed") {
        "a value that contains ': ' must be quoted, or an indentation is off"
    } else if info.contains("did not find expected key") || info.contains("block mapping") {
        "check the indentation: keys of one mapping must line up in the same column"
    } else if info.contains("quoted") {
        "close the quoted string with the same quote it opened with"
    } else if info.contains("recursion limit") {
        "the config format nests 4 levels deep; look for runaway brackets"
    } else {
        "fix the YAML at this position; compare with a shipped example in examples/configs/"
    }
}
