//! Drafts kept in the browser's local storage, one entry per draft: `ml-provisioner.draft.v2.<id>`
//! holds `{"file_name", "text", "saved_ms"}`. A tab works on one draft (its id in session
//! storage, so a reload keeps it); "New config", an example, an opened file and "Edit a copy"
//! each start a new one, so none overwrites another. Another tab's save arrives as a `storage`
//! event: [`on_storage`] decides what the tab does with it. Plain functions over strings; the
//! app does the storage calls.

/// Local-storage keys of drafts start with this; the rest is the draft's id.
pub const KEY_PREFIX: &str = "ml-provisioner.draft.v2.";
/// The one draft earlier versions kept (`{"file_name", "text"}`); moved into a draft of its own.
pub const LEGACY_KEY: &str = "ml-provisioner.draft.v1";
/// Session-storage key: the id of the draft this tab works on.
pub const SESSION_KEY: &str = "ml-provisioner.current-draft";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub file_name: String,
    pub text: String,
    /// When it was last saved (milliseconds since 1970, the browser's clock).
    pub saved_ms: u64,
}

pub fn key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// The draft id of a local-storage key, if it is a draft's.
pub fn id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX).filter(|id| !id.is_empty())
}

/// A new draft id from the time and a random number (two tabs starting a draft in the same
/// millisecond differ by the random part).
pub fn new_id(now_ms: u64, random: u32) -> String {
    format!("{}-{}", radix36(now_ms), radix36(u64::from(random)))
}

fn radix36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The stored form of a draft.
pub fn to_json(draft: &Draft) -> String {
    serde_json::json!({
        "file_name": draft.file_name,
        "text": draft.text,
        "saved_ms": draft.saved_ms,
    })
    .to_string()
}

/// A stored draft; `None` for anything else (a damaged entry is skipped, never fatal). Reads the
/// legacy form too (no `saved_ms`).
pub fn from_json(id: &str, raw: &str) -> Option<Draft> {
    let value: serde_json::Value = serde_json::from_str(raw).ok()?;
    Some(Draft {
        id: id.to_owned(),
        file_name: value["file_name"].as_str()?.to_owned(),
        text: value["text"].as_str()?.to_owned(),
        saved_ms: value["saved_ms"].as_u64().unwrap_or(0),
    })
}

/// Drafts as the list shows them: the most recently saved first.
pub fn sorted(mut drafts: Vec<Draft>) -> Vec<Draft> {
    drafts.sort_by(|a, b| b.saved_ms.cmp(&a.saved_ms).then_with(|| a.id.cmp(&b.id)));
    drafts
}

/// What a tab does when another tab changed local storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Not this tab's draft (or the same text): only the list may have changed.
    Other,
    /// This tab's draft was saved by another tab and this tab has nothing unsaved: show that version.
    Adopt(Draft),
    /// Both tabs changed this draft: this tab's text becomes a new draft, the other stays.
    Fork,
    /// Another tab removed this tab's draft: save it again.
    Removed,
}

/// Decides what a `storage` event means for the tab working on draft `current` with `text`,
/// of which `saved` was last saved or loaded. `key` and `new_value` are the event's.
pub fn on_storage(
    current: &str,
    text: &str,
    saved: &str,
    key: Option<&str>,
    new_value: Option<&str>,
) -> Change {
    let Some(id) = key.and_then(id_of_key) else {
        return Change::Other;
    };
    if id != current {
        return Change::Other;
    }
    let Some(theirs) = new_value.and_then(|raw| from_json(id, raw)) else {
        return Change::Removed;
    };
    if theirs.text == text {
        Change::Other
    } else if text == saved {
        Change::Adopt(theirs)
    } else {
        Change::Fork
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn draft(id: &str, text: &str, saved_ms: u64) -> Draft {
        Draft {
            id: id.into(),
            file_name: "a.yaml".into(),
            text: text.into(),
            saved_ms,
        }
    }

    #[test]
    fn keys_ids_and_the_stored_form() {
        let id = new_id(1_795_780_800_000, 12345);
        assert_eq!(id, "mwyxitc0-9ix");
        assert_ne!(new_id(1, 1), new_id(1, 2));
        assert_eq!(id_of_key(&key(&id)), Some(id.as_str()));
        assert_eq!(id_of_key(KEY_PREFIX), None);
        assert_eq!(id_of_key(LEGACY_KEY), None);
        let d = draft(&id, "a: 1\n<script>\u{202E}", 7);
        assert_eq!(from_json(&id, &to_json(&d)), Some(d));
        let legacy = from_json("x", r#"{"file_name":"b.yaml","text":"t"}"#).unwrap();
        assert_eq!((legacy.file_name.as_str(), legacy.saved_ms), ("b.yaml", 0));
        assert_eq!(from_json("x", "not json"), None);
        assert_eq!(from_json("x", r#"{"file_name":1,"text":"t"}"#), None);
    }

    #[test]
    fn the_list_is_newest_first() {
        let ids: Vec<String> = sorted(vec![
            draft("a", "", 1),
            draft("b", "", 3),
            draft("c", "", 2),
        ])
        .into_iter()
        .map(|d| d.id)
        .collect();
        assert_eq!(ids, ["b", "c", "a"]);
    }

    #[test]
    fn another_tabs_save() {
        let theirs = to_json(&draft("d1", "theirs", 2));
        let k = key("d1");
        // Another draft, or not a draft at all.
        assert_eq!(
            on_storage("d2", "x", "x", Some(&k), Some(&theirs)),
            Change::Other
        );
        assert_eq!(
            on_storage("d1", "x", "x", Some("other"), Some("{}")),
            Change::Other
        );
        assert_eq!(on_storage("d1", "x", "x", None, None), Change::Other);
        // This draft: follow it when nothing here is unsaved, else keep both.
        assert_eq!(
            on_storage("d1", "mine", "mine", Some(&k), Some(&theirs)),
            Change::Adopt(draft("d1", "theirs", 2))
        );
        assert_eq!(
            on_storage("d1", "mine", "older", Some(&k), Some(&theirs)),
            Change::Fork
        );
        assert_eq!(
            on_storage("d1", "theirs", "x", Some(&k), Some(&theirs)),
            Change::Other
        );
        assert_eq!(
            on_storage("d1", "mine", "mine", Some(&k), None),
            Change::Removed
        );
    }
}
