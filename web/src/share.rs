//! Review links: the config (and its file name) compressed and versioned into the URL
//! fragment, `#r=1.<base64url(deflate(name NUL text))>`. The fragment never reaches a server.
//! Reply links (`review.rs`) use the same codec under their own key: [`Kind`].
//!
//! Decoding is defensive: a link from a newer format, one that is not base64url, one whose
//! deflate stream is corrupt, one that expands past the config size limit (a decompression
//! bomb stops at the limit, it is never inflated in full) or is not UTF-8 each get a
//! [`LinkError`] with a message for the user.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The fragment key of a review link.
pub const PREFIX: &str = "r=";
/// The format this build writes and reads.
pub const FORMAT: u32 = 1;
/// Links longer than this may be cut by chat and mail clients: the app warns.
pub const WARN_CHARS: usize = 2_000;
/// Links longer than this are refused when made and when opened.
pub const MAX_CHARS: usize = 32_000;
/// The most a link may expand to: the largest config the core accepts plus the file name.
pub const MAX_DECODED_BYTES: usize = ml_provisioner_core::yaml::MAX_INPUT_BYTES + 256;
/// The fragment key of a reply link (`review.rs`).
pub const REPLY_PREFIX: &str = "d=";
/// The format of reply links and decision records this build writes and reads.
pub const REPLY_FORMAT: u32 = 1;
/// The most the record part of a reply link may be (the comments are most of it); a reply link
/// expands to at most a review link's limit plus this.
pub const REPLY_RECORD_BYTES: usize = 64 * 1024;

/// The links this codec makes: each its fragment key, format, name and expansion limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A config shared for review (this module).
    Review,
    /// A reviewer's decision with the config it is about (`review.rs`).
    Reply,
}

impl Kind {
    /// The fragment key (`r=`, `d=`).
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Review => PREFIX,
            Kind::Reply => REPLY_PREFIX,
        }
    }

    /// The format this build writes and reads.
    pub fn format(self) -> u32 {
        match self {
            Kind::Review => FORMAT,
            Kind::Reply => REPLY_FORMAT,
        }
    }

    /// The most a link may expand to.
    pub fn max_decoded_bytes(self) -> usize {
        match self {
            Kind::Review => MAX_DECODED_BYTES,
            Kind::Reply => MAX_DECODED_BYTES + REPLY_RECORD_BYTES,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Review => "review link",
            Kind::Reply => "reply link",
        }
    }

    /// What it carries at most, for the message about a bomb.
    fn most(self) -> &'static str {
        match self {
            Kind::Review => "any config",
            Kind::Reply => "a config and its review",
        }
    }
}

/// A config as shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub file_name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    NotALink,
    TooLong { chars: usize },
    NewerFormat { format: String },
    Malformed(&'static str),
    TooLarge,
}

impl LinkError {
    /// What the user reads about a review link.
    pub fn message(&self) -> String {
        self.message_for(Kind::Review)
    }

    /// What the user reads about a link of this kind.
    pub fn message_for(&self, kind: Kind) -> String {
        let noun = kind.noun();
        match self {
            LinkError::NotALink => format!("This address has no {noun} in it."),
            LinkError::TooLong { chars } => format!(
                "This {noun} is {chars} characters long; links over {MAX_CHARS} are refused. Share the config file instead."
            ),
            LinkError::NewerFormat { format } => format!(
                "This {noun} uses format {format}, made by a newer ML Provisioner; this app reads format {}. Open it with a newer version of the app.",
                kind.format()
            ),
            LinkError::Malformed(what) => format!(
                "This {noun} is damaged ({what}); it may have been cut or changed when it was copied. Ask for the link again."
            ),
            LinkError::TooLarge => format!(
                "This {noun} expands to more than {} KiB, more than {} may be; it was not opened.",
                kind.max_decoded_bytes() / 1024,
                kind.most()
            ),
        }
    }
}

/// An encoded link fragment (without `#`) and how long it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub fragment: String,
}

impl Encoded {
    pub fn chars(&self) -> usize {
        self.fragment.len() + 1
    }
    pub fn needs_warning(&self) -> bool {
        self.chars() > WARN_CHARS
    }
}

/// Encodes a config into a fragment; refuses one that would be longer than [`MAX_CHARS`].
pub fn encode(shared: &Shared) -> Result<Encoded, LinkError> {
    let mut raw = Vec::with_capacity(shared.file_name.len() + 1 + shared.text.len());
    raw.extend_from_slice(shared.file_name.replace('\0', "").as_bytes());
    raw.push(0);
    raw.extend_from_slice(shared.text.as_bytes());
    pack(Kind::Review, &raw)
}

/// Decodes a location hash (with or without the leading `#`).
pub fn decode(hash: &str) -> Result<Shared, LinkError> {
    let text = unpack(Kind::Review, hash)?;
    let Some((file_name, text)) = text.split_once('\0') else {
        return Err(LinkError::Malformed("no file name"));
    };
    Ok(Shared {
        file_name: file_name.to_owned(),
        text: text.to_owned(),
    })
}

/// The codec: `<key><format>.<base64url(deflate(raw))>`, refused over [`MAX_CHARS`].
pub fn pack(kind: Kind, raw: &[u8]) -> Result<Encoded, LinkError> {
    let compressed = miniz_oxide::deflate::compress_to_vec(raw, 9);
    let fragment = format!(
        "{}{}.{}",
        kind.prefix(),
        kind.format(),
        URL_SAFE_NO_PAD.encode(compressed)
    );
    let encoded = Encoded { fragment };
    if encoded.chars() > MAX_CHARS {
        return Err(LinkError::TooLong {
            chars: encoded.chars(),
        });
    }
    Ok(encoded)
}

/// The codec's inverse: the UTF-8 text a link of `kind` carries, inflated no further than
/// [`Kind::max_decoded_bytes`]. [`LinkError::NotALink`] when the hash has another key.
pub fn unpack(kind: Kind, hash: &str) -> Result<String, LinkError> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let Some(body) = fragment.strip_prefix(kind.prefix()) else {
        return Err(LinkError::NotALink);
    };
    if fragment.len() + 1 > MAX_CHARS {
        return Err(LinkError::TooLong {
            chars: fragment.len() + 1,
        });
    }
    let Some((format, payload)) = body.split_once('.') else {
        return Err(LinkError::Malformed("no format version"));
    };
    match format.parse::<u32>() {
        Ok(n) if n == kind.format() => {}
        Ok(n) if n > kind.format() => {
            return Err(LinkError::NewerFormat {
                format: n.to_string(),
            });
        }
        _ => return Err(LinkError::Malformed("unknown format version")),
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| LinkError::Malformed("not base64url"))?;
    let raw =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, kind.max_decoded_bytes())
            .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Malformed("the compressed data is corrupt"),
        })?;
    String::from_utf8(raw).map_err(|_| LinkError::Malformed("not UTF-8 text"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn shared(text: &str) -> Shared {
        Shared {
            file_name: "x.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn round_trips_any_text() {
        for text in [
            "",
            "a: 1\n",
            "ünïcode \u{202E} <script>\n",
            &"long line ".repeat(5000),
        ] {
            let link = encode(&shared(text)).unwrap();
            assert!(link.fragment.starts_with("r=1."));
            assert!(
                link.fragment[4..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(
                decode(&format!("#{}", link.fragment)).unwrap(),
                shared(text)
            );
        }
    }

    #[test]
    fn refuses_newer_corrupt_oversized_and_bombs() {
        assert_eq!(decode("#x=1"), Err(LinkError::NotALink));
        assert!(matches!(
            decode("#r=2.AAAA"),
            Err(LinkError::NewerFormat { .. })
        ));
        assert!(matches!(decode("#r=1.%%%"), Err(LinkError::Malformed(_))));
        assert!(matches!(
            decode("#r=1.AAAAAAAA"),
            Err(LinkError::Malformed(_))
        ));
        assert!(matches!(decode("#r=abc"), Err(LinkError::Malformed(_))));
        let long = format!("#r=1.{}", "A".repeat(MAX_CHARS));
        assert!(matches!(decode(&long), Err(LinkError::TooLong { .. })));
        // 64 MiB of zeros compresses to ~64 KiB; a smaller bomb fits in a link.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 8 * 1024 * 1024], 10);
        let link = format!("#r=1.{}", URL_SAFE_NO_PAD.encode(&bomb));
        assert!(link.len() < MAX_CHARS, "{}", link.len());
        assert_eq!(decode(&link), Err(LinkError::TooLarge));
        // Valid deflate of bytes that are not UTF-8.
        let bad = miniz_oxide::deflate::compress_to_vec(b"x.yaml\0\xff\xfe", 6);
        let link = format!("#r=1.{}", URL_SAFE_NO_PAD.encode(&bad));
        assert_eq!(decode(&link), Err(LinkError::Malformed("not UTF-8 text")));
        // Every error has a message.
        assert!(LinkError::TooLarge.message().contains("KiB"));
    }

    #[test]
    fn a_config_too_big_to_share_is_refused_when_made() {
        // Random-looking text does not compress.
        let mut state = 1u64;
        let text: String = (0..60_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'!' + (state >> 58) as u8)
            })
            .collect();
        assert!(matches!(
            encode(&shared(&text)),
            Err(LinkError::TooLong { .. })
        ));
    }
}
