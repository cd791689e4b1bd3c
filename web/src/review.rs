//! A reviewer's decision on a shared config, and the two things it becomes (PRODUCT.md §9,
//! docs/decisions.md "Review replies"):
//!
//! - a **reply link**, `#d=1.<base64url(deflate(record NUL config))>`: the share codec
//!   ([`share::pack`], [`share::unpack`]: the same length caps, the same refusal of newer
//!   formats, corrupt data and decompression bombs) under its own key and format
//!   (`share::REPLY_PREFIX`, `share::REPLY_FORMAT`, also the record's). It carries the config
//!   the reviewer saw, so the author's app shows the comments at the lines they were made on;
//! - a **decision record** ([`record_json`]), the JSON file `{stem}-review-decision.json` to attach
//!   to a ticket or pull request. Its `template_sha256` is what `deploy-product --expect-sha256`
//!   takes.
//!
//! Nothing here is signed: [`NOT_SIGNED`] says so wherever a reply is shown. The date comes in
//! as an argument (the app passes the browser's clock); names and comments are kept exactly as
//! typed and are only ever shown as text.
//!
//! Decided: a comment must be on a line of the config (1 to its last line, as the gutter numbers
//! them); one outside is refused when the reply is made and makes a reply link damaged when it
//! is opened, never silently moved. An approval needs a valid config (a template to approve);
//! a request for changes does not.

use ml_provisioner_core::files;
use ml_provisioner_core::report::sha256_hex;
use serde_json::{Value, json};

use crate::drafts::Draft;
use crate::editor;
use crate::share::{self, Encoded, Kind, LinkError, Shared};

/// The record's `kind`.
pub const RECORD_KIND: &str = "ml-provisioner-review-decision";
/// The longest reviewer name, in characters.
pub const MAX_REVIEWER_CHARS: usize = 100;
/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1_000;
/// The most comments in one reply.
pub const MAX_COMMENTS: usize = 100;
/// The longest date.
pub const MAX_DATE_CHARS: usize = 40;
/// The longest config file name a reply carries.
pub const MAX_FILE_NAME_CHARS: usize = 256;

/// Said wherever a reply or record is shown, and written into the record.
pub const NOT_SIGNED: &str = "Reply links and decision records are not signed: anyone can make one, with any name in it. What binds a review to a deploy is the template's SHA-256: deploy-product --expect-sha256 with the record's template_sha256 refuses any other template.";

/// What the reviewer decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    RequestChanges,
}

impl Decision {
    /// The record's `decision` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::RequestChanges => "request-changes",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "request-changes" => Some(Decision::RequestChanges),
            _ => None,
        }
    }

    /// In a sentence: "Approved", "Changes requested".
    pub fn label(self) -> &'static str {
        match self {
            Decision::Approve => "Approved",
            Decision::RequestChanges => "Changes requested",
        }
    }
}

/// A comment on one line of the config (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub line: usize,
    pub text: String,
}

/// A checked decision: what the record holds and the reply link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub decision: Decision,
    /// As typed.
    pub reviewer: String,
    /// As given (the app passes `YYYY-MM-DDTHH:MM:SSZ`).
    pub date: String,
    pub config_file: String,
    /// SHA-256 of the config's bytes (UTF-8 text) the reviewer saw.
    pub config_sha256: String,
    /// SHA-256 of the template generated from it; `None` when the config did not validate.
    pub template_sha256: Option<String>,
    /// The version of ML Provisioner that generated that template.
    pub tool_version: String,
    /// In line order (comments on one line in the order they were made).
    pub comments: Vec<Comment>,
}

/// What the reviewer's app passes to [`make`].
#[derive(Clone, Copy, Debug)]
pub struct ReplyInput<'a> {
    pub decision: Decision,
    pub reviewer: &'a str,
    pub date: &'a str,
    pub config: &'a Shared,
    pub template_sha256: Option<&'a str>,
    pub comments: &'a [Comment],
}

/// Why a decision cannot be sent as it is (each a sentence for the reviewer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NoName,
    NameTooLong,
    FileNameTooLong,
    EmptyComment { line: usize },
    CommentTooLong { line: usize },
    TooManyComments,
    LineOutside { line: usize, lines: usize },
    ApproveInvalid,
    TooLarge { bytes: usize },
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::NoName => "Type your name: the author sees it with your decision.".into(),
            Refusal::NameTooLong => {
                format!("Your name is longer than {MAX_REVIEWER_CHARS} characters.")
            }
            Refusal::FileNameTooLong => format!(
                "The config's file name is longer than {MAX_FILE_NAME_CHARS} characters: a reply cannot carry it."
            ),
            Refusal::EmptyComment { line } => format!("The comment on line {line} is empty."),
            Refusal::CommentTooLong { line } => format!(
                "The comment on line {line} is longer than {MAX_COMMENT_CHARS} characters."
            ),
            Refusal::TooManyComments => format!("A reply holds at most {MAX_COMMENTS} comments."),
            Refusal::LineOutside { line, lines } => format!(
                "Line {line} is not in the config: it has {lines} line{}.",
                if *lines == 1 { "" } else { "s" }
            ),
            Refusal::ApproveInvalid => "Only a valid config can be approved: this one has errors, so there is no template to approve. Request changes instead.".into(),
            Refusal::TooLarge { bytes } => format!(
                "The comments are too long to carry in a link ({} KiB; at most {} KiB).",
                bytes.div_ceil(1024),
                share::REPLY_RECORD_BYTES / 1024
            ),
        }
    }
}

/// Checks a decision and makes the reply: comments sorted by line, the config's hash computed.
pub fn make(input: ReplyInput<'_>) -> Result<Reply, Refusal> {
    if input.reviewer.trim().is_empty() {
        return Err(Refusal::NoName);
    }
    if input.reviewer.chars().count() > MAX_REVIEWER_CHARS {
        return Err(Refusal::NameTooLong);
    }
    if input.config.file_name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(Refusal::FileNameTooLong);
    }
    if input.decision == Decision::Approve && input.template_sha256.is_none() {
        return Err(Refusal::ApproveInvalid);
    }
    if input.comments.len() > MAX_COMMENTS {
        return Err(Refusal::TooManyComments);
    }
    let lines = editor::line_count(&input.config.text);
    for c in input.comments {
        if c.line == 0 || c.line > lines {
            return Err(Refusal::LineOutside {
                line: c.line,
                lines,
            });
        }
        if c.text.trim().is_empty() {
            return Err(Refusal::EmptyComment { line: c.line });
        }
        if c.text.chars().count() > MAX_COMMENT_CHARS {
            return Err(Refusal::CommentTooLong { line: c.line });
        }
    }
    let mut comments = input.comments.to_vec();
    comments.sort_by_key(|c| c.line);
    let reply = Reply {
        decision: input.decision,
        reviewer: input.reviewer.to_owned(),
        date: input.date.chars().take(MAX_DATE_CHARS).collect(),
        config_file: input.config.file_name.clone(),
        config_sha256: sha256_hex(input.config.text.as_bytes()),
        template_sha256: input.template_sha256.map(str::to_owned),
        tool_version: ml_provisioner_core::VERSION.to_owned(),
        comments,
    };
    let bytes = record_value(&reply).to_string().len();
    if bytes > share::REPLY_RECORD_BYTES {
        return Err(Refusal::TooLarge { bytes });
    }
    Ok(reply)
}

/// Adds the reviewer's comment on `line` (trimmed at the end), or says why not; [`make`] checks
/// the whole reply again.
pub fn add_comment(
    comments: &mut Vec<Comment>,
    config_text: &str,
    line: usize,
    text: &str,
) -> Result<(), Refusal> {
    let lines = editor::line_count(config_text);
    let text = text.trim_end();
    if line == 0 || line > lines {
        Err(Refusal::LineOutside { line, lines })
    } else if text.trim().is_empty() {
        Err(Refusal::EmptyComment { line })
    } else if text.chars().count() > MAX_COMMENT_CHARS {
        Err(Refusal::CommentTooLong { line })
    } else if comments.len() >= MAX_COMMENTS {
        Err(Refusal::TooManyComments)
    } else {
        comments.push(Comment {
            line,
            text: text.to_owned(),
        });
        Ok(())
    }
}

/// The record, in its field order (docs/decisions.md "Review replies").
fn record_value(reply: &Reply) -> Value {
    json!({
        "kind": RECORD_KIND,
        "format": share::REPLY_FORMAT,
        "decision": reply.decision.as_str(),
        "reviewer": reply.reviewer,
        "date": reply.date,
        "config_file": reply.config_file,
        "config_sha256": reply.config_sha256,
        "template_sha256": reply.template_sha256,
        "tool_version": reply.tool_version,
        "comments": reply.comments.iter().map(|c| json!({ "line": c.line, "text": c.text })).collect::<Vec<_>>(),
        "signed": false,
        "note": NOT_SIGNED,
    })
}

/// The decision record file: pretty JSON, fields in a fixed order, ending in a newline.
pub fn record_json(reply: &Reply) -> String {
    let mut text = serde_json::to_string_pretty(&record_value(reply)).unwrap_or_default();
    text.push('\n');
    text
}

/// The record's file name: `{stem}-review-decision.json` (`review-decision.json` when the
/// shared name cannot name files).
pub fn record_file_name(config_file: &str) -> String {
    if files::file_name_problem(config_file).is_some() {
        return "review-decision.json".to_owned();
    }
    format!("{}-review-decision.json", files::config_stem(config_file))
}

/// A reply link's fragment (without `#`); refused like a review link when too long.
pub fn encode(reply: &Reply, config_text: &str) -> Result<Encoded, LinkError> {
    let record = record_value(reply).to_string();
    let mut raw = Vec::with_capacity(record.len() + 1 + config_text.len());
    raw.extend_from_slice(record.as_bytes());
    raw.push(0);
    raw.extend_from_slice(config_text.as_bytes());
    share::pack(Kind::Reply, &raw)
}

/// An opened reply link: the decision and the config it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub reply: Reply,
    pub config: Shared,
}

/// Decodes a location hash. Besides the codec's refusals, a link is damaged when its record is
/// not one, when the config does not have the record's hash, or a comment is outside it.
pub fn decode(hash: &str) -> Result<Opened, LinkError> {
    let raw = share::unpack(Kind::Reply, hash)?;
    let Some((record, text)) = raw.split_once('\0') else {
        return Err(LinkError::Malformed("no config"));
    };
    if record.len() > share::REPLY_RECORD_BYTES
        || text.len() > ml_provisioner_core::yaml::MAX_INPUT_BYTES
    {
        return Err(LinkError::TooLarge);
    }
    let value: Value = serde_json::from_str(record)
        .map_err(|_| LinkError::Malformed("the decision is not JSON"))?;
    let reply = parse_record(&value)?;
    if reply.config_sha256 != sha256_hex(text.as_bytes()) {
        return Err(LinkError::Malformed(
            "the config does not match its SHA-256",
        ));
    }
    let lines = editor::line_count(text);
    if reply.comments.iter().any(|c| c.line == 0 || c.line > lines) {
        return Err(LinkError::Malformed(
            "a comment is on a line the config does not have",
        ));
    }
    Ok(Opened {
        config: Shared {
            file_name: reply.config_file.clone(),
            text: text.to_owned(),
        },
        reply,
    })
}

fn parse_record(v: &Value) -> Result<Reply, LinkError> {
    let bad = LinkError::Malformed;
    if v["kind"] != RECORD_KIND || v["format"] != share::REPLY_FORMAT {
        return Err(bad("not a review decision of this format"));
    }
    let text = |key: &str, max: usize| -> Result<String, LinkError> {
        v[key]
            .as_str()
            .filter(|s| s.chars().count() <= max)
            .map(str::to_owned)
            .ok_or(bad("a field of the decision is missing or too long"))
    };
    let hash = |s: &str| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let decision = v["decision"]
        .as_str()
        .and_then(Decision::parse)
        .ok_or(bad("an unknown decision"))?;
    let template_sha256 = match &v["template_sha256"] {
        Value::Null => None,
        Value::String(s) if hash(s) => Some(s.clone()),
        _ => return Err(bad("the template's SHA-256 is not one")),
    };
    let config_sha256 = text("config_sha256", 64)?;
    if !hash(&config_sha256) {
        return Err(bad("the config's SHA-256 is not one"));
    }
    let reviewer = text("reviewer", MAX_REVIEWER_CHARS)?;
    if reviewer.trim().is_empty() || (decision == Decision::Approve && template_sha256.is_none()) {
        return Err(bad("the decision is incomplete"));
    }
    let items = v["comments"]
        .as_array()
        .filter(|a| a.len() <= MAX_COMMENTS)
        .ok_or(bad("the comments are missing or too many"))?;
    let comments = items
        .iter()
        .map(|c| {
            let line = c["line"].as_u64().and_then(|n| usize::try_from(n).ok());
            let text = c["text"]
                .as_str()
                .filter(|t| !t.trim().is_empty() && t.chars().count() <= MAX_COMMENT_CHARS);
            match (line, text) {
                (Some(line), Some(text)) => Ok(Comment {
                    line,
                    text: text.to_owned(),
                }),
                _ => Err(bad("a comment is damaged")),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Reply {
        decision,
        reviewer,
        date: text("date", MAX_DATE_CHARS)?,
        config_file: text("config_file", MAX_FILE_NAME_CHARS)?,
        config_sha256,
        template_sha256,
        tool_version: text("tool_version", 64)?,
        comments,
    })
}

impl Reply {
    /// The comments on one line.
    pub fn comments_on(&self, line: usize) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(move |c| c.line == line)
    }

    /// The heading of an opened reply: decision, name and date, with invisible and reordering
    /// controls shown as `[U+XXXX]` (the record keeps them as typed).
    pub fn heading(&self) -> String {
        format!(
            "{} by {} ({})",
            self.decision.label(),
            visible(&self.reviewer),
            visible(&self.date)
        )
    }

    /// Whether the template this app generates from the config is the one the reviewer saw.
    pub fn template_note(&self, generated: Option<&str>) -> String {
        match (&self.template_sha256, generated) {
            (None, _) => "The reviewer saw a config with errors: no template was reviewed.".into(),
            (Some(saw), Some(now)) if saw == now => {
                format!("This app generates the template the reviewer saw: SHA-256 {saw}.")
            }
            (Some(saw), Some(now)) => format!(
                "The reviewer saw the template with SHA-256 {saw} (ML Provisioner {}); this app generates {now} from the same config. Only a deploy of the reviewed template keeps the review's promise.",
                visible(&self.tool_version)
            ),
            (Some(saw), None) => {
                format!(
                    "The reviewer saw the template with SHA-256 {saw}; this app cannot generate it."
                )
            }
        }
    }
}

/// The draft in this browser that holds exactly the config the reply is about (the first of
/// `drafts`, which the app lists newest first), if one does.
pub fn draft_of<'a>(reply: &Reply, drafts: &'a [Draft]) -> Option<&'a Draft> {
    drafts
        .iter()
        .find(|d| sha256_hex(d.text.as_bytes()) == reply.config_sha256)
}

/// Where the reply's config stands against the author's drafts: anyone can make a reply link,
/// with any config in it, so the author is told when none of theirs is the one reviewed.
pub fn origin_note(draft: Option<&Draft>) -> String {
    match draft {
        Some(d) => format!(
            "Your draft {} in this browser holds exactly this config.",
            visible(&d.file_name)
        ),
        None => "No draft in this browser holds exactly this config: it changed after it was shared, or the link was made elsewhere. Compare it with yours before you take anything from it.".to_owned(),
    }
}

/// Where a review in progress (the name and comments typed, nothing decided yet) is kept in
/// this browser: by the SHA-256 of the config under review, so a reload or the same link opened
/// again finds it, and another config's review never does.
pub fn pending_key(config_text: &str) -> String {
    format!("mlp-review-pending:{}", sha256_hex(config_text.as_bytes()))
}

/// A review in progress as stored.
pub fn pending_to_json(reviewer: &str, comments: &[Comment]) -> String {
    json!({
        "reviewer": reviewer,
        "comments": comments.iter().map(|c| json!({ "line": c.line, "text": c.text })).collect::<Vec<_>>(),
    })
    .to_string()
}

/// A stored review in progress, read back under the same rules as typed (a damaged or edited
/// entry loses what breaks them, never more): the name cut to its limit, each comment checked
/// by [`add_comment`] against the config.
pub fn pending_from_json(raw: &str, config_text: &str) -> (String, Vec<Comment>) {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    let reviewer: String = value["reviewer"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .take(MAX_REVIEWER_CHARS)
        .collect();
    let mut comments = Vec::new();
    for c in value["comments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let (Some(line), Some(text)) = (c["line"].as_u64(), c["text"].as_str()) {
            let line = usize::try_from(line).unwrap_or(usize::MAX);
            let _ = add_comment(&mut comments, config_text, line, text);
        }
    }
    (reviewer, comments)
}

/// Text from a link as the app shows it: invisible and reordering controls as `[U+XXXX]`, as
/// the core's pages show them.
pub fn visible(text: &str) -> String {
    ml_provisioner_core::show_controls(text).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn config() -> Shared {
        Shared {
            file_name: "acme-prod.yaml".into(),
            text: "client:\n  company_name: Acme\nproduct:\n  name: churn\n".into(),
        }
    }

    fn comment(line: usize, text: &str) -> Comment {
        Comment {
            line,
            text: text.into(),
        }
    }

    fn input<'a>(config: &'a Shared, comments: &'a [Comment]) -> ReplyInput<'a> {
        ReplyInput {
            decision: Decision::RequestChanges,
            reviewer: "Dana Reviewer",
            date: "2026-12-02T09:00:00Z",
            config,
            template_sha256: Some(HASH),
            comments,
        }
    }

    /// A reply link made by hand: any record text and config.
    fn link(record: &str, text: &str) -> String {
        let raw = format!("{record}\0{text}");
        let compressed = miniz_oxide::deflate::compress_to_vec(raw.as_bytes(), 6);
        format!("#d=1.{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    #[test]
    fn a_reply_round_trips_through_its_link() {
        let config = config();
        let comments = [
            comment(4, "second"),
            comment(2, "first"),
            comment(4, "third"),
        ];
        let reply = make(input(&config, &comments)).unwrap();
        // Sorted by line, stable within a line; the config's hash computed.
        let order: Vec<&str> = reply.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(order, ["first", "second", "third"]);
        assert_eq!(reply.config_sha256, sha256_hex(config.text.as_bytes()));
        let encoded = encode(&reply, &config.text).unwrap();
        assert!(encoded.fragment.starts_with("d=1."));
        let opened = decode(&format!("#{}", encoded.fragment)).unwrap();
        assert_eq!(opened.reply, reply);
        assert_eq!(opened.config, config);
        assert_eq!(opened.reply.comments_on(4).count(), 2);
        assert_eq!(opened.reply.comments_on(1).count(), 0);
        // A review link is not a reply link, nor the other way round.
        assert_eq!(decode("#r=1.AAAA"), Err(LinkError::NotALink));
        assert_eq!(share::decode(&encoded.fragment), Err(LinkError::NotALink));
    }

    #[test]
    fn the_record_has_a_fixed_field_order() {
        let config = config();
        let comments = [comment(2, "why <b>?")];
        let reply = make(input(&config, &comments)).unwrap();
        let record = record_json(&reply);
        assert!(record.ends_with("}\n"));
        let keys: Vec<String> = serde_json::from_str::<Value>(&record)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys,
            [
                "kind",
                "format",
                "decision",
                "reviewer",
                "date",
                "config_file",
                "config_sha256",
                "template_sha256",
                "tool_version",
                "comments",
                "signed",
                "note"
            ]
        );
        assert!(record.contains("\"decision\": \"request-changes\""));
        assert!(record.contains(&format!("\"template_sha256\": \"{HASH}\"")));
        assert!(record.contains("{\n      \"line\": 2,\n      \"text\": \"why <b>?\"\n    }"));
        assert_eq!(
            record_file_name("acme-prod.yaml"),
            "acme-prod-review-decision.json"
        );
        assert_eq!(record_file_name(""), "review-decision.json");
        assert_eq!(record_file_name("../x.yaml"), "review-decision.json");
    }

    #[test]
    fn hostile_names_and_comments_are_kept_as_data() {
        let config = config();
        let hostile = [
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "\u{202E}evil\u{2066}",
            "\"},\"decision\":\"approve",
            "a\0b",
        ];
        for text in hostile {
            let comments = [comment(1, text)];
            let reply = make(ReplyInput {
                reviewer: text,
                ..input(&config, &comments)
            })
            .unwrap();
            let opened = decode(&format!(
                "#{}",
                encode(&reply, &config.text).unwrap().fragment
            ))
            .unwrap();
            assert_eq!(opened.reply.reviewer, text);
            assert_eq!(opened.reply.comments[0].text, text);
            assert_eq!(opened.reply.decision, Decision::RequestChanges);
            let record: Value = serde_json::from_str(&record_json(&reply)).unwrap();
            assert_eq!(record["reviewer"], text);
            assert_eq!(record["decision"], "request-changes");
        }
        // Shown with the reordering controls visible.
        let reply = make(ReplyInput {
            reviewer: "\u{202E}evil",
            ..input(&config, &[])
        })
        .unwrap();
        assert!(
            reply.heading().contains("[U+202E]evil"),
            "{}",
            reply.heading()
        );
    }

    #[test]
    fn a_decision_that_cannot_be_sent_is_refused_with_a_reason() {
        let config = config();
        let lines = editor::line_count(&config.text);
        assert_eq!(
            lines, 5,
            "a final newline starts one more line, as in the gutter"
        );
        let refused = |i: ReplyInput<'_>| make(i).unwrap_err();
        assert_eq!(
            refused(ReplyInput {
                reviewer: "  ",
                ..input(&config, &[])
            }),
            Refusal::NoName
        );
        let long_name = "n".repeat(MAX_REVIEWER_CHARS + 1);
        assert_eq!(
            refused(ReplyInput {
                reviewer: &long_name,
                ..input(&config, &[])
            }),
            Refusal::NameTooLong
        );
        let long_file = Shared {
            file_name: format!("{}.yaml", "f".repeat(MAX_FILE_NAME_CHARS)),
            text: config.text.clone(),
        };
        assert_eq!(refused(input(&long_file, &[])), Refusal::FileNameTooLong);
        for line in [0, lines + 1] {
            assert_eq!(
                refused(input(&config, &[comment(line, "x")])),
                Refusal::LineOutside { line, lines }
            );
        }
        assert!(make(input(&config, &[comment(lines, "last line")])).is_ok());
        assert_eq!(
            refused(input(&config, &[comment(1, " \n")])),
            Refusal::EmptyComment { line: 1 }
        );
        let long = "c".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            refused(input(&config, &[comment(1, &long)])),
            Refusal::CommentTooLong { line: 1 }
        );
        let many = vec![comment(1, "x"); MAX_COMMENTS + 1];
        assert_eq!(refused(input(&config, &many)), Refusal::TooManyComments);
        // 100 comments of 1,000 three-byte characters are far over the record's limit.
        let wide = vec![comment(1, &"\u{202E}".repeat(MAX_COMMENT_CHARS)); MAX_COMMENTS];
        assert!(matches!(
            refused(input(&config, &wide)),
            Refusal::TooLarge { .. }
        ));
        assert_eq!(
            refused(ReplyInput {
                decision: Decision::Approve,
                template_sha256: None,
                ..input(&config, &[])
            }),
            Refusal::ApproveInvalid
        );
        // Changes may be requested on a config with errors.
        assert!(
            make(ReplyInput {
                template_sha256: None,
                ..input(&config, &[])
            })
            .is_ok()
        );
        for r in [
            Refusal::NoName,
            Refusal::LineOutside { line: 9, lines: 1 },
            Refusal::TooLarge { bytes: 70_000 },
        ] {
            assert!(r.message().ends_with('.'), "{}", r.message());
        }
        assert_eq!(
            Refusal::LineOutside { line: 9, lines: 5 }.message(),
            "Line 9 is not in the config: it has 5 lines."
        );
    }

    #[test]
    fn a_damaged_reply_link_is_refused_with_a_message() {
        let config = config();
        let reply = make(input(&config, &[comment(2, "x")])).unwrap();
        let record = record_value(&reply).to_string();
        let malformed = |hash: &str| match decode(hash) {
            Err(LinkError::Malformed(what)) => what,
            other => panic!("{hash}: {other:?}"),
        };
        // The codec's refusals, named as a reply link's.
        assert!(matches!(
            decode("#d=2.AAAA"),
            Err(LinkError::NewerFormat { .. })
        ));
        assert_eq!(malformed("#d=1.%%%"), "not base64url");
        assert_eq!(malformed("#d=1.AAAAAAAA"), "the compressed data is corrupt");
        assert_eq!(malformed("#d=abc"), "no format version");
        let long = format!("#d=1.{}", "A".repeat(share::MAX_CHARS));
        assert!(matches!(decode(&long), Err(LinkError::TooLong { .. })));
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 8 * 1024 * 1024], 10);
        let bomb = format!("#d=1.{}", URL_SAFE_NO_PAD.encode(&bomb));
        assert!(bomb.len() < share::MAX_CHARS);
        assert_eq!(decode(&bomb), Err(LinkError::TooLarge));
        assert!(LinkError::TooLarge.message_for(Kind::Reply).starts_with(
            "This reply link expands to more than 320 KiB, more than a config and its review may be"
        ));
        assert!(
            LinkError::NewerFormat { format: "2".into() }
                .message_for(Kind::Reply)
                .contains("this app reads format 1")
        );
        // A config past the core's limit, or a record past its own, in a link that fits.
        let big = "a".repeat(ml_provisioner_core::yaml::MAX_INPUT_BYTES + 1);
        assert_eq!(decode(&link(&record, &big)), Err(LinkError::TooLarge));
        // The record: missing, not JSON, another kind, changed.
        let no_nul = {
            let c = miniz_oxide::deflate::compress_to_vec(record.as_bytes(), 6);
            format!("#d=1.{}", URL_SAFE_NO_PAD.encode(c))
        };
        assert_eq!(malformed(&no_nul), "no config");
        assert_eq!(
            malformed(&link("{", &config.text)),
            "the decision is not JSON"
        );
        assert_eq!(
            malformed(&link(&record.replace(RECORD_KIND, "other"), &config.text)),
            "not a review decision of this format"
        );
        assert_eq!(
            malformed(&link(
                &record.replace("request-changes", "merge"),
                &config.text
            )),
            "an unknown decision"
        );
        assert_eq!(
            malformed(&link(
                &record.replace("Dana Reviewer", &"n".repeat(MAX_REVIEWER_CHARS + 1)),
                &config.text
            )),
            "a field of the decision is missing or too long"
        );
        assert_eq!(
            malformed(&link(&record.replace(HASH, "abc"), &config.text)),
            "the template's SHA-256 is not one"
        );
        // An approval of nothing, and a config that is not the one reviewed.
        let approve_nothing = record
            .replace("request-changes", "approve")
            .replace(&format!("\"{HASH}\""), "null");
        assert_eq!(
            malformed(&link(&approve_nothing, &config.text)),
            "the decision is incomplete"
        );
        assert_eq!(
            malformed(&link(&record, "client: changed\n")),
            "the config does not match its SHA-256"
        );
        // A comment outside the config (made by hand: the app refuses to make one).
        assert_eq!(
            malformed(&link(
                &record.replace("\"line\":2", "\"line\":99"),
                &config.text
            )),
            "a comment is on a line the config does not have"
        );
        assert_eq!(
            malformed(&link(
                &record.replace("\"line\":2", "\"line\":-1"),
                &config.text
            )),
            "a comment is damaged"
        );
    }

    #[test]
    fn comments_are_added_on_lines_of_the_config() {
        let config = config();
        let mut comments = Vec::new();
        add_comment(&mut comments, &config.text, 2, "  why?\n\n").unwrap();
        assert_eq!(comments, [comment(2, "  why?")]);
        assert_eq!(
            add_comment(&mut comments, &config.text, 6, "x"),
            Err(Refusal::LineOutside { line: 6, lines: 5 })
        );
        assert_eq!(
            add_comment(&mut comments, &config.text, 1, " \n "),
            Err(Refusal::EmptyComment { line: 1 })
        );
        let long = "c".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            add_comment(&mut comments, &config.text, 1, &long),
            Err(Refusal::CommentTooLong { line: 1 })
        );
        let mut full = vec![comment(1, "x"); MAX_COMMENTS];
        assert_eq!(
            add_comment(&mut full, &config.text, 1, "x"),
            Err(Refusal::TooManyComments)
        );
        assert_eq!(comments.len(), 1);
    }

    #[test]
    fn the_authors_draft_is_found_by_the_configs_hash() {
        let config = config();
        let reply = make(input(&config, &[])).unwrap();
        let draft = |id: &str, text: &str| Draft {
            id: id.into(),
            file_name: "mine.yaml".into(),
            text: text.into(),
            saved_ms: 0,
        };
        let drafts = [
            draft("a", "other"),
            draft("b", &config.text),
            draft("c", &config.text),
        ];
        assert_eq!(draft_of(&reply, &drafts).map(|d| d.id.as_str()), Some("b"));
        assert_eq!(draft_of(&reply, &drafts[..1]), None);
        assert!(origin_note(Some(&drafts[1])).starts_with("Your draft mine.yaml"));
        assert!(origin_note(None).starts_with("No draft in this browser"));
    }

    #[test]
    fn the_template_note_says_whether_the_hashes_agree() {
        let config = config();
        let reply = make(input(&config, &[])).unwrap();
        assert!(
            reply
                .template_note(Some(HASH))
                .starts_with("This app generates the template")
        );
        let other = "f".repeat(64);
        let note = reply.template_note(Some(&other));
        assert!(note.contains(HASH) && note.contains(&other), "{note}");
        assert!(reply.template_note(None).contains("cannot generate"));
        let no_template = make(ReplyInput {
            template_sha256: None,
            ..input(&config, &[])
        })
        .unwrap();
        assert!(
            no_template
                .template_note(Some(HASH))
                .contains("no template")
        );
    }

    #[test]
    fn a_review_in_progress_survives_a_reload() {
        let config = config();
        let comments = vec![comment(2, "why Acme?"), comment(4, "<script>x</script>")];
        let raw = pending_to_json("Ann \u{202e}", &comments);
        assert_eq!(
            pending_from_json(&raw, &config.text),
            ("Ann \u{202e}".to_owned(), comments.clone())
        );
        // Keyed by the config: another config's review is another key.
        assert_ne!(pending_key(&config.text), pending_key("client: {}\n"));
        assert!(pending_key(&config.text).starts_with("mlp-review-pending:"));
        // A damaged entry loses what breaks the rules, never more.
        let edited = r#"{"reviewer":"B","comments":[{"line":99,"text":"x"},{"line":1,"text":"  "},{"line":1,"text":"ok"},{"text":"no line"}]}"#;
        assert_eq!(
            pending_from_json(edited, &config.text),
            ("B".to_owned(), vec![comment(1, "ok")])
        );
        assert_eq!(
            pending_from_json("not json", &config.text),
            (String::new(), vec![])
        );
        let long = pending_to_json(&"n".repeat(500), &[]);
        assert_eq!(
            pending_from_json(&long, &config.text).0.chars().count(),
            MAX_REVIEWER_CHARS
        );
    }
}
