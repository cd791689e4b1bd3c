//! The Leptos components: thin views over [`workbench`], [`editor`], [`share`] and
//! [`stack_view`]. All user text reaches the page as text nodes or attribute values (Leptos
//! escapes them); the only HTML strings inserted are the core's diagram SVG (built with the
//! report's escaping) and the core's pages (the review report, a change set or drift report),
//! which go into sandboxed iframes that may not run scripts.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use ml_provisioner_core::files::Output;
use ml_provisioner_core::schema::{SCHEMA_FILE, SCHEMA_JSON};

use crate::drafts::{self, Draft};
use crate::editor::{self, Listed};
use crate::examples::new_config;
use crate::review::{self, Comment, Decision};
use crate::share::{self, Kind, Shared};
use crate::stack_view::{self, Opened};
use crate::workbench::{self, Checked, Notice, Outputs, Until};
use ml_provisioner_core::examples::EXAMPLES;

/// Previews are recomputed this long after the last keystroke (diagnostics at once).
const PREVIEW_DELAY: Duration = Duration::from_millis(150);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Edit,
    Review,
    /// A reviewer's reply (a reply link): the decision and the comments at their lines.
    Reply,
    /// A change set or drift report opened from a file.
    Stack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Resources,
    Diagram,
    Policy,
    Template,
    Checks,
    Cost,
    Checklist,
    Report,
}

impl Tab {
    const ALL: [Tab; 8] = [
        Tab::Resources,
        Tab::Diagram,
        Tab::Policy,
        Tab::Template,
        Tab::Checks,
        Tab::Cost,
        Tab::Checklist,
        Tab::Report,
    ];

    fn id(self) -> &'static str {
        match self {
            Tab::Resources => "resources",
            Tab::Diagram => "diagram",
            Tab::Policy => "policy",
            Tab::Template => "template",
            Tab::Checks => "checks",
            Tab::Cost => "cost",
            Tab::Checklist => "checklist",
            Tab::Report => "report",
        }
    }

    /// The tab a key moves to from this one (WAI-ARIA tabs: arrows wrap, Home and End).
    fn after_key(self, key: &str) -> Option<Tab> {
        let at = Tab::ALL.iter().position(|t| *t == self)?;
        let last = Tab::ALL.len() - 1;
        let to = match key {
            "ArrowRight" => (at + 1) % Tab::ALL.len(),
            "ArrowLeft" => at.checked_sub(1).unwrap_or(last),
            "Home" => 0,
            "End" => last,
            _ => return None,
        };
        Some(Tab::ALL[to])
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Resources => "Resources",
            Tab::Diagram => "Diagram",
            Tab::Policy => "IAM policy",
            Tab::Template => "Template",
            Tab::Checks => "Template checks",
            Tab::Cost => "Cost",
            Tab::Checklist => "Checklist",
            Tab::Report => "Report",
        }
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn iso_now() -> String {
    workbench::cli_time(&String::from(js_sys::Date::new_0().to_iso_string()))
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn now_epoch_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Every draft in local storage, the most recent first.
fn read_drafts() -> Vec<Draft> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let count = s.length().unwrap_or(0);
    let drafts = (0..count)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|key| {
            let id = drafts::id_of_key(&key)?.to_owned();
            drafts::from_json(&id, &s.get_item(&key).ok()??)
        })
        .collect();
    drafts::sorted(drafts)
}

fn read_draft(id: &str) -> Option<Draft> {
    let raw = storage()?.get_item(&drafts::key(id)).ok()??;
    drafts::from_json(id, &raw)
}

/// Stores a draft; `false` when the browser refused (storage full or off).
fn write_draft(draft: &Draft) -> bool {
    storage().is_some_and(|s| {
        s.set_item(&drafts::key(&draft.id), &drafts::to_json(draft))
            .is_ok()
    })
}

/// The draft earlier versions kept under one key becomes a draft of its own.
fn migrate_legacy_draft() {
    let Some(s) = storage() else { return };
    if let Ok(Some(raw)) = s.get_item(drafts::LEGACY_KEY)
        && let Some(mut draft) = drafts::from_json(&new_draft_id(), &raw)
    {
        draft.saved_ms = now_epoch_ms();
        if write_draft(&draft) {
            let _ = s.remove_item(drafts::LEGACY_KEY);
        }
    }
}

fn new_draft_id() -> String {
    drafts::new_id(
        now_epoch_ms(),
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
    )
}

/// `Dec 2, 10:41:05`-style local time of a draft's last save, for the drafts list.
fn saved_label(draft: &Draft) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(draft.saved_ms as f64));
    String::from(date.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Offers `text` as a download named `name`.
fn download(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(element) = document().create_element("a")
        && let Ok(anchor) = element.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The page's address with `fragment` as its `#fragment`.
fn link_to(fragment: &str) -> String {
    let location = window().location();
    format!(
        "{}{}#{fragment}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Copies `link` to the clipboard, then says whether it did.
fn copy_link(
    link: &str,
    notice: RwSignal<Option<Notice>>,
    copied: &'static str,
    not: &'static str,
) {
    let promise = window().navigator().clipboard().write_text(link);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        notice.set(Some(Notice::until_change(if ok { copied } else { not })));
    });
}

/// Scrolls the read-only config to a line.
fn show_line(line: usize) {
    if let Some(element) = document().get_element_by_id(&format!("line-{line}")) {
        element.scroll_into_view();
    }
}

/// A reply the reviewer made: the decision and its link.
#[derive(Debug)]
struct MadeReply {
    reply: review::Reply,
    link: String,
    chars: usize,
}

/// Which draft a loaded config is.
enum DraftOf {
    /// A new draft; `store_now` for what exists nowhere else (an opened file, a copy of a
    /// review link). An example or the new config is stored at its first change.
    New { store_now: bool },
    /// A draft from local storage.
    Stored(String),
}

/// The app's state: signals, and the actions on them.
#[derive(Clone, Copy)]
struct State {
    mode: RwSignal<Mode>,
    file_name: RwSignal<String>,
    text: RwSignal<String>,
    /// The bytes of a file as opened, until the first edit: checked as they are, as the CLI
    /// checks the file (the editor shows them as UTF-8).
    opened_bytes: RwSignal<Option<Arc<[u8]>>>,
    checked: RwSignal<Arc<Checked>>,
    outputs: RwSignal<Option<Arc<Outputs>>>,
    tab: RwSignal<Tab>,
    notice: RwSignal<Option<Notice>>,
    link_error: RwSignal<Option<String>>,
    share_link: RwSignal<Option<(String, usize, bool)>>,
    stack: RwSignal<Option<Arc<Opened>>>,
    /// The reviewer's name, comments (the line being commented and the text typed), why a
    /// decision was refused, and the reply made.
    reviewer: RwSignal<String>,
    comments: RwSignal<Vec<Comment>>,
    commenting: RwSignal<Option<usize>>,
    comment_text: RwSignal<String>,
    review_message: RwSignal<Option<String>>,
    made_reply: RwSignal<Option<Arc<MadeReply>>>,
    /// The reply link opened (the author's side).
    opened_reply: RwSignal<Option<Arc<review::Reply>>>,
    /// The draft this tab works on, whether it is stored yet, and the text last stored or
    /// loaded (to tell another tab's change from one of this tab's).
    draft_id: RwSignal<String>,
    draft_stored: RwSignal<bool>,
    draft_saved_text: RwSignal<String>,
    drafts: RwSignal<Vec<Draft>>,
    validate_ms: RwSignal<f64>,
    previews_ms: RwSignal<f64>,
    generation: RwSignal<u64>,
}

impl State {
    /// Empty state; [`State::start`] loads the link, draft or new config (one check, with the
    /// previews after the first paint).
    fn new() -> State {
        State {
            mode: RwSignal::new(Mode::Edit),
            file_name: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            opened_bytes: RwSignal::new(None),
            checked: RwSignal::new(Arc::new(workbench::check("", b""))),
            outputs: RwSignal::new(None),
            tab: RwSignal::new(Tab::Resources),
            notice: RwSignal::new(None),
            link_error: RwSignal::new(None),
            share_link: RwSignal::new(None),
            stack: RwSignal::new(None),
            reviewer: RwSignal::new(String::new()),
            comments: RwSignal::new(Vec::new()),
            commenting: RwSignal::new(None),
            comment_text: RwSignal::new(String::new()),
            review_message: RwSignal::new(None),
            made_reply: RwSignal::new(None),
            opened_reply: RwSignal::new(None),
            draft_id: RwSignal::new(String::new()),
            draft_stored: RwSignal::new(false),
            draft_saved_text: RwSignal::new(String::new()),
            drafts: RwSignal::new(Vec::new()),
            validate_ms: RwSignal::new(0.0),
            previews_ms: RwSignal::new(0.0),
            generation: RwSignal::new(0),
        }
    }

    /// Loads the link in the address, else this tab's draft (kept over a reload), else the most
    /// recent draft, else a new config.
    fn start(self) {
        self.link_error.set(None);
        migrate_legacy_draft();
        self.drafts.set(read_drafts());
        let hash = window().location().hash().unwrap_or_default();
        if !hash.is_empty() {
            match review::decode(&hash) {
                Ok(opened) => {
                    self.load(
                        opened.config,
                        Mode::Reply,
                        DraftOf::New { store_now: false },
                    );
                    self.opened_reply.set(Some(Arc::new(opened.reply)));
                    return;
                }
                Err(share::LinkError::NotALink) => {}
                Err(error) => self.link_error.set(Some(error.message_for(Kind::Reply))),
            }
            match share::decode(&hash) {
                Ok(shared) => {
                    self.load(shared, Mode::Review, DraftOf::New { store_now: false });
                    return;
                }
                Err(share::LinkError::NotALink) => {}
                Err(error) => self.link_error.set(Some(error.message())),
            }
        }
        let mine = session()
            .and_then(|s| s.get_item(drafts::SESSION_KEY).ok().flatten())
            .and_then(|id| read_draft(&id));
        match mine.or_else(|| self.drafts.get_untracked().into_iter().next()) {
            Some(draft) => self.open_draft(draft),
            None => self.new_config(),
        }
    }

    fn new_config(self) {
        let shared = Shared {
            file_name: "config.yaml".into(),
            text: new_config(),
        };
        self.load(shared, Mode::Edit, DraftOf::New { store_now: false });
    }

    fn open_draft(self, draft: Draft) {
        let shared = Shared {
            file_name: draft.file_name,
            text: draft.text,
        };
        self.load(shared, Mode::Edit, DraftOf::Stored(draft.id));
    }

    fn load(self, shared: Shared, mode: Mode, draft: DraftOf) {
        self.stack.set(None);
        self.comments.set(Vec::new());
        self.commenting.set(None);
        self.comment_text.set(String::new());
        self.review_message.set(None);
        self.made_reply.set(None);
        self.opened_reply.set(None);
        self.mode.set(mode);
        self.opened_bytes.set(None);
        self.file_name.set(shared.file_name);
        self.draft_saved_text.set(shared.text.clone());
        if mode == Mode::Review {
            // A review of this config already begun in this browser (a reload, the link again).
            let pending = storage().and_then(|s| {
                s.get_item(&review::pending_key(&shared.text))
                    .ok()
                    .flatten()
            });
            if let Some(raw) = pending {
                let (reviewer, comments) = review::pending_from_json(&raw, &shared.text);
                self.reviewer.set(reviewer);
                self.comments.set(comments);
            }
        }
        self.text.set(shared.text);
        self.share_link.set(None);
        let (id, stored, store_now) = match draft {
            DraftOf::New { store_now } => (new_draft_id(), false, store_now),
            DraftOf::Stored(id) => (id, true, false),
        };
        self.draft_id.set(id.clone());
        self.draft_stored.set(stored);
        if mode == Mode::Edit
            && let Some(s) = session()
        {
            let _ = s.set_item(drafts::SESSION_KEY, &id);
        }
        if store_now {
            self.save_draft();
        }
        self.recheck_with_delay(Duration::ZERO);
    }

    /// Keeps the review in progress (name and comments) in this browser, by the config's hash;
    /// forgets it when both are empty.
    fn save_pending_review(self) {
        if self.mode.get_untracked() != Mode::Review {
            return;
        }
        let Some(s) = storage() else { return };
        let key = self.text.with_untracked(|t| review::pending_key(t));
        let reviewer = self.reviewer.get_untracked();
        let comments = self.comments.get_untracked();
        let _ = if reviewer.is_empty() && comments.is_empty() {
            s.remove_item(&key)
        } else {
            s.set_item(&key, &review::pending_to_json(&reviewer, &comments))
        };
    }

    /// Stores this tab's draft (in the editor only); refreshes the list when it is new there or renamed.
    fn save_draft(self) {
        if self.mode.get_untracked() != Mode::Edit {
            return;
        }
        let draft = Draft {
            id: self.draft_id.get_untracked(),
            file_name: self.file_name.get_untracked(),
            text: self.text.get_untracked(),
            saved_ms: now_epoch_ms(),
        };
        if !write_draft(&draft) {
            self.notice.set(Some(Notice::until_change(
                "This browser did not keep the draft (its storage is full or turned off): download or copy the config to keep it.",
            )));
            return;
        }
        self.draft_stored.set(true);
        self.draft_saved_text.set(draft.text.clone());
        let listed = self.drafts.with_untracked(|list| {
            list.iter()
                .any(|d| d.id == draft.id && d.file_name == draft.file_name)
        });
        if !listed {
            self.drafts.set(read_drafts());
        }
    }

    /// Another tab changed local storage: the drafts list, and this tab's draft if it was that one.
    fn storage_changed(self, key: Option<String>, new_value: Option<String>) {
        if key
            .as_deref()
            .is_some_and(|k| drafts::id_of_key(k).is_none())
        {
            return;
        }
        self.drafts.set(read_drafts());
        if self.mode.get_untracked() != Mode::Edit || !self.draft_stored.get_untracked() {
            return;
        }
        let change = drafts::on_storage(
            &self.draft_id.get_untracked(),
            &self.text.get_untracked(),
            &self.draft_saved_text.get_untracked(),
            key.as_deref(),
            new_value.as_deref(),
        );
        match change {
            drafts::Change::Other => {}
            drafts::Change::Adopt(theirs) => {
                self.opened_bytes.set(None);
                self.file_name.set(theirs.file_name);
                self.draft_saved_text.set(theirs.text.clone());
                self.text.set(theirs.text);
                self.share_link.set(None);
                self.recheck();
                self.notice.set(Some(Notice::until_change(
                    "This draft was changed in another tab; it shows that tab's latest version.",
                )));
            }
            drafts::Change::Fork => {
                self.draft_id.set(new_draft_id());
                if let Some(s) = session() {
                    let _ = s.set_item(drafts::SESSION_KEY, &self.draft_id.get_untracked());
                }
                self.save_draft();
                self.notice.set(Some(Notice::until_change(
                    "This draft was also changed in another tab: your version is kept as a new draft, and the other tab's is in Your drafts.",
                )));
            }
            drafts::Change::Removed => self.save_draft(),
        }
    }

    /// Revalidates now (every keystroke) and schedules the previews.
    fn recheck(self) {
        self.recheck_with_delay(PREVIEW_DELAY);
    }

    fn recheck_with_delay(self, delay: Duration) {
        let start = now_ms();
        let file_name = self.file_name.get_untracked();
        let checked = match self.opened_bytes.get_untracked() {
            Some(bytes) => workbench::check(&file_name, &bytes),
            None => self
                .text
                .with_untracked(|text| workbench::check(&file_name, text.as_bytes())),
        };
        self.validate_ms.set(now_ms() - start);
        if self
            .notice
            .with_untracked(|n| n.as_ref().is_some_and(|n| !n.holds_after(&checked)))
        {
            self.notice.set(None);
        }
        self.checked.set(Arc::new(checked));
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        let refresh = move || {
            if self.generation.get_untracked() == generation {
                self.refresh_previews();
            }
        };
        if delay.is_zero() {
            // After the next paint: the editor and its diagnostics show first.
            request_animation_frame(move || set_timeout(refresh, Duration::ZERO));
        } else {
            set_timeout(refresh, delay);
        }
    }

    fn refresh_previews(self) {
        let checked = self.checked.get_untracked();
        let start = now_ms();
        let outputs = workbench::outputs(&checked, &iso_now());
        self.previews_ms.set(now_ms() - start);
        self.outputs.set(outputs.map(Arc::new));
    }

    /// Shows a change set or drift report file, or says why it cannot.
    fn open_report(self, file_name: &str, text: &str) {
        match stack_view::open(file_name, text) {
            Ok(opened) => {
                self.notice.set(None);
                self.stack.set(Some(Arc::new(opened)));
                self.mode.set(Mode::Stack);
            }
            Err(message) => self.notice.set(Some(Notice::until_change(message))),
        }
    }

    /// Opens a file from the picker or a drop: a `.json` as a stack report, else as a config
    /// (its bytes checked as the CLI checks the file).
    fn open_file(self, file: web_sys::File) {
        let name = file.name();
        let report = stack_view::is_report_file(&name);
        let (limit, what) = if report {
            (stack_view::MAX_BYTES, "a change set or drift report")
        } else {
            (ml_provisioner_core::yaml::MAX_INPUT_BYTES, "a config")
        };
        if file.size() > limit as f64 {
            self.notice.set(Some(Notice::until_change(format!(
                "{name} is larger than {} KiB, the most {what} may be.",
                limit / 1024
            ))));
            return;
        }
        let promise = file.array_buffer();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    if report {
                        self.open_report(&name, &String::from_utf8_lossy(&bytes));
                    } else {
                        let shared = Shared {
                            file_name: name,
                            text: String::from_utf8_lossy(&bytes).into_owned(),
                        };
                        self.load(shared, Mode::Edit, DraftOf::New { store_now: true });
                        if std::str::from_utf8(&bytes).is_err() {
                            self.opened_bytes.set(Some(bytes.into()));
                            self.recheck_with_delay(Duration::ZERO);
                        }
                    }
                }
                Err(_) => self.notice.set(Some(Notice::until_change(format!(
                    "{name} could not be read."
                )))),
            }
        });
    }

    /// The editor's input: refused unread when it is over the core's size limit (the textarea
    /// gets the previous text back), else taken.
    fn input(self, area: &web_sys::HtmlTextAreaElement) {
        // UTF-16 units never outnumber UTF-8 bytes: a text too long in units is too large.
        let refusal = workbench::input_refusal(area.text_length() as usize).or_else(|| {
            let value = area.value();
            match workbench::input_refusal(value.len()) {
                None => {
                    self.edit(value);
                    None
                }
                refusal => refusal,
            }
        });
        if let Some(message) = refusal {
            self.text.with_untracked(|text| area.set_value(text));
            self.notice.set(Some(Notice::until_change(message)));
        }
    }

    fn edit(self, text: String) {
        self.opened_bytes.set(None);
        self.text.set(text);
        self.share_link.set(None);
        self.save_draft();
        self.recheck();
    }

    fn rename(self, file_name: String) {
        self.file_name.set(file_name);
        self.save_draft();
        self.recheck();
    }

    fn share(self) {
        if let Some(problem) = self.checked.get_untracked().name_problem {
            self.notice.set(Some(Notice {
                text: format!("Name the config first: {problem}."),
                until: Until::Downloadable,
            }));
            return;
        }
        let shared = Shared {
            file_name: self.file_name.get_untracked(),
            text: self.text.get_untracked(),
        };
        match share::encode(&shared) {
            Ok(encoded) => {
                let link = link_to(&encoded.fragment);
                let chars = link.chars().count();
                self.share_link
                    .set(Some((link.clone(), chars, chars > share::WARN_CHARS)));
                copy_link(
                    &link,
                    self.notice,
                    "Review link copied to the clipboard.",
                    "Copy the review link below (the clipboard was not available).",
                );
            }
            Err(error) => {
                self.share_link.set(None);
                self.notice.set(Some(Notice::until_change(error.message())));
            }
        }
    }

    fn download(self, which: Output) {
        let refuse = |text: String| {
            self.notice.set(Some(Notice {
                text,
                until: Until::Downloadable,
            }));
        };
        if let Some(why) = self.checked.get_untracked().download_refusal() {
            refuse(why);
            return;
        }
        // Fresh, so the report's time is the moment of the download.
        self.refresh_previews();
        let Some(out) = self.outputs.get_untracked() else {
            refuse("The files could not be made from this config (an internal error); please report it.".into());
            return;
        };
        if let Some(text) = out.file_text(which) {
            download(&which.file_name(&out.stem), text, which.media_type());
        }
    }
}

impl State {
    /// Leaves a review or reply link for the editor: the config becomes a new draft (never
    /// over another), and the address no longer holds the link.
    fn edit_copy(self) {
        let shared = Shared {
            file_name: self.file_name.get_untracked(),
            text: self.text.get_untracked(),
        };
        leave_link();
        self.load(shared, Mode::Edit, DraftOf::New { store_now: true });
    }

    /// Leaves a reply link for the author's own draft of the config it is about.
    fn open_own_draft(self, draft: Draft) {
        leave_link();
        self.open_draft(draft);
    }

    /// Opens the comment field on a line of the config.
    fn comment_on(self, line: usize) {
        self.commenting.set(Some(line));
        self.comment_text.set(String::new());
        focus_after_render("#comment-text".to_owned());
    }

    /// Closes the comment field; the focus goes back to its line's number.
    fn close_comment(self) {
        if let Some(line) = self.commenting.get_untracked() {
            self.commenting.set(None);
            focus_after_render(format!("#line-{line} button.ln"));
        }
    }

    fn add_comment(self) {
        let Some(line) = self.commenting.get_untracked() else {
            return;
        };
        let text = self.comment_text.get_untracked();
        let mut comments = self.comments.get_untracked();
        let added = self
            .text
            .with_untracked(|config| review::add_comment(&mut comments, config, line, &text));
        match added {
            Ok(()) => {
                self.comments.set(comments);
                self.save_pending_review();
                self.close_comment();
                self.review_message.set(None);
                self.made_reply.set(None);
            }
            Err(refusal) => self.review_message.set(Some(refusal.message())),
        }
    }

    fn remove_comment(self, index: usize) {
        self.comments.update(|c| {
            if index < c.len() {
                c.remove(index);
            }
        });
        self.save_pending_review();
        self.made_reply.set(None);
    }

    /// The reviewer's decision: the reply (checked by `review::make`), its link copied, and the
    /// record ready to download; or why not.
    fn decide(self, decision: Decision) {
        // The template of the config as it is now (previews may still be pending).
        self.refresh_previews();
        let template = self
            .outputs
            .get_untracked()
            .map(|out| out.report.template_sha256.clone());
        let config = Shared {
            file_name: self.file_name.get_untracked(),
            text: self.text.get_untracked(),
        };
        let comments = self.comments.get_untracked();
        let reviewer = self.reviewer.get_untracked();
        let made = review::make(review::ReplyInput {
            decision,
            reviewer: &reviewer,
            date: &iso_now(),
            config: &config,
            template_sha256: template.as_deref(),
            comments: &comments,
        })
        .map_err(|refusal| refusal.message())
        .and_then(|reply| {
            review::encode(&reply, &config.text)
                .map(|encoded| (reply, encoded))
                .map_err(|error| error.message_for(Kind::Reply))
        });
        match made {
            Ok((reply, encoded)) => {
                let link = link_to(&encoded.fragment);
                let chars = link.chars().count();
                copy_link(
                    &link,
                    self.notice,
                    "Reply link copied to the clipboard: send it to the author.",
                    "Copy the reply link below and send it to the author (the clipboard was not available).",
                );
                self.review_message.set(None);
                self.made_reply
                    .set(Some(Arc::new(MadeReply { reply, link, chars })));
            }
            Err(message) => {
                self.made_reply.set(None);
                self.review_message.set(Some(message));
            }
        }
    }
}

/// Focuses the element `selector` finds once the view has been rendered.
fn focus_after_render(selector: String) {
    request_animation_frame(move || {
        if let Ok(Some(element)) = document().query_selector(&selector)
            && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = element.focus();
        }
    });
}

/// Drops a link from the address (without a `hashchange`): the page now shows the editor.
fn leave_link() {
    let _ = window().history().map(|h| {
        h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&window().location().pathname().unwrap_or_default()),
        )
    });
}

/// Offers a reply's decision record as a download.
fn download_decision(reply: &review::Reply) {
    download(
        &review::record_file_name(&reply.config_file),
        &review::record_json(reply),
        "application/json",
    );
}

/// Puts the editor's selection on a diagnostic and scrolls the editor (and the gutter) to it.
fn select_in_editor(listed: &Listed) {
    let Some(area) = document()
        .get_element_by_id("editor")
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let _ = area.focus();
    let _ = area.set_selection_range(listed.select_start, listed.select_end);
    let px = |style: &web_sys::CssStyleDeclaration, name: &str| {
        style
            .get_property_value(name)
            .ok()
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
    };
    if let Ok(Some(style)) = window().get_computed_style(&area)
        && let (Some(line_height), Some(padding_top)) =
            (px(&style, "line-height"), px(&style, "padding-top"))
    {
        let top = editor::scroll_to_line(
            listed.line,
            editor::View {
                line_height,
                padding_top,
                height: f64::from(area.client_height()),
                scroll_top: f64::from(area.scroll_top()),
            },
        );
        area.set_scroll_top(top as i32);
        area.set_scroll_left(0);
        if let Some(gutter) = document().get_element_by_id("gutter") {
            gutter.set_scroll_top(area.scroll_top());
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = State::new();
    state.start();
    let _ = window_event_listener(leptos::ev::hashchange, move |_| state.start());
    let _ = window_event_listener(leptos::ev::storage, move |ev| {
        state.storage_changed(ev.key(), ev.new_value());
    });
    view! {
        <header class="top">
            <h1>"ML Provisioner"</h1>
            <p class="tag">"Author, check and review a config — computed in your browser; nothing is sent anywhere."</p>
        </header>
        <main>
            {move || state.link_error.get().map(|message| view! {
                <div id="link-error" class="alert" role="alert">{message}</div>
            })}
            {move || state.notice.get().map(|notice| view! {
                <p id="notice" class="notice" role="status">{notice.text}</p>
            })}
            {move || match state.mode.get() {
                Mode::Edit => view! { <EditView state=state/> }.into_any(),
                Mode::Review => view! { <ReviewView state=state/> }.into_any(),
                Mode::Reply => view! { <ReplyView state=state/> }.into_any(),
                Mode::Stack => view! { <StackView state=state/> }.into_any(),
            }}
        </main>
        <output id="perf" hidden=true
            data-validate-ms=move || format!("{:.3}", state.validate_ms.get())
            data-previews-ms=move || format!("{:.3}", state.previews_ms.get())></output>
    }
}

#[component]
fn EditView(state: State) -> impl IntoView {
    let on_example = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(example) = EXAMPLES.iter().find(|e| e.file_name == value) {
            state.load(
                Shared {
                    file_name: example.file_name.into(),
                    text: example.text.into(),
                },
                Mode::Edit,
                DraftOf::New { store_now: false },
            );
        }
    };
    let on_draft = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        if let Some(draft) = read_draft(&select.value()) {
            state.open_draft(draft);
        }
        select.set_value("");
    };
    let on_open = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            state.open_file(file);
        }
        // The same file chosen again is a new choice.
        input.set_value("");
    };
    // A file dropped anywhere on the editor view opens as the picker would open it.
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0))
        {
            state.open_file(file);
        }
    };
    view! {
        <div class="edit-view" on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
        <section class="start" aria-label="Start">
            <label for="example">"Start from an example"</label>
            <select id="example" on:change=on_example>
                <option value="">"Choose…"</option>
                {["starter", "professional", "enterprise"].into_iter().map(|tier| view! {
                    <optgroup label=tier>
                        {EXAMPLES.iter().filter(|e| e.tier == tier).map(|e| view! {
                            <option value=e.file_name>{format!("{} — {}", e.file_name.trim_end_matches(".yaml"), e.summary)}</option>
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
            <button id="new-config" type="button" on:click=move |_| state.new_config()>"New config"</button>
            <label for="drafts">"Your drafts"</label>
            <select id="drafts" on:change=on_draft>
                <option value="">{move || format!("{} in this browser…", state.drafts.with(Vec::len))}</option>
                {move || {
                    let current = state.draft_id.get();
                    state.drafts.get().into_iter().map(|d| {
                        let open = if d.id == current { " (open)" } else { "" };
                        let label = format!("{} — saved {}{open}", d.file_name, saved_label(&d));
                        view! { <option value=d.id>{label}</option> }
                    }).collect_view()
                }}
            </select>
            <input id="open-file" type="file" accept=".yaml,.yml,.json,text/yaml,application/json" aria-describedby="open-what" on:change=on_open/>
            <label class="file" for="open-file">"Open file"</label>
            <span id="open-what" class="hint-inline">"a config (.yaml), or a change set or drift report (-changes.json, -drift.json) — or drop it here"</span>
            <button id="download-schema" type="button" title="The config's JSON Schema: with it beside your configs, editors check them as you type (docs/editor.md)"
                on:click=move |_| download(SCHEMA_FILE, SCHEMA_JSON, "application/schema+json")>"Download schema"</button>
        </section>
        <div class="workspace">
            <section class="editor-pane" aria-label="Editor">
                <label for="file-name">"File name"</label>
                <input id="file-name" type="text" spellcheck="false" aria-describedby="file-name-error"
                    aria-invalid=move || state.checked.get().name_problem.is_some().to_string()
                    prop:value=move || state.file_name.get()
                    on:input=move |ev| state.rename(event_target_value(&ev))/>
                {move || state.checked.get().name_problem.map(|problem| view! {
                    <p id="file-name-error" class="field-error">{workbench::sentence(problem)}</p>
                })}
                <p id="status" role="status" aria-live="polite"
                    class=move || if state.checked.get().config.is_some() { "status ok" } else { "status bad" }>
                    {move || state.checked.get().status()}
                </p>
                <div class="editor">
                    <pre class="gutter" id="gutter" aria-hidden="true">{move || editor::line_numbers(&state.text.get())}</pre>
                    <textarea id="editor" aria-label="Config (YAML)" aria-describedby="status" spellcheck="false" wrap="off"
                        prop:value=move || state.text.get()
                        on:input=move |ev| state.input(&event_target(&ev))
                        on:scroll=move |ev| {
                            let area: web_sys::HtmlTextAreaElement = event_target(&ev);
                            if let Some(gutter) = document().get_element_by_id("gutter") {
                                gutter.set_scroll_top(area.scroll_top());
                            }
                        }></textarea>
                </div>
                <h2 class="sub">"Problems"</h2>
                <Diagnostics state=state interactive=true/>
            </section>
            <section class="preview-pane" aria-label="Previews">
                <div class="actions">
                    <button id="download-template" type="button" on:click=move |_| state.download(Output::Template)>"Download template"</button>
                    <button id="download-policy" type="button" title="The operator policy is several files (each managed-policy document and the guide): the IAM policy tab downloads each"
                        on:click=move |_| { state.tab.set(Tab::Policy); state.refresh_previews(); }>"Policy files…"</button>
                    <button id="download-report" type="button" on:click=move |_| state.download(Output::ReviewReport)>"Download report"</button>
                    <button id="share" type="button" on:click=move |_| state.share()>"Share for review"</button>
                </div>
                {move || state.share_link.get().map(|(link, chars, warn)| view! {
                    <div class="share">
                        <label for="share-link">{format!("Review link ({chars} characters)")}</label>
                        <input id="share-link" type="text" readonly=true prop:value=link/>
                        {warn.then(|| view! { <p id="share-warning" class="warn">{format!("Over {} characters: some chat and mail tools cut links this long. Send the config file if it does not open.", share::WARN_CHARS)}</p> })}
                    </div>
                })}
                <Previews state=state/>
            </section>
        </div>
        </div>
    }
}

#[component]
fn Diagnostics(state: State, interactive: bool) -> impl IntoView {
    view! {
        <ul id="diagnostics" class="diagnostics">
            {move || {
                let checked = state.checked.get();
                if checked.listed.is_empty() {
                    view! { <li class="none">"No problems."</li> }.into_any()
                } else {
                    checked.listed.iter().map(|listed| {
                        let text = listed.summary();
                        let hint = listed.hint.clone();
                        let class = format!("diag {}", listed.severity.as_str());
                        let body = if interactive {
                            let target = listed.clone();
                            view! { <button type="button" class=class data-line=listed.line data-col=listed.col
                                on:click=move |_| select_in_editor(&target)>{text}</button> }.into_any()
                        } else {
                            view! { <span class=class>{text}</span> }.into_any()
                        };
                        view! { <li>{body}{hint.map(|h| view! { <span class="hint">{h}</span> })}</li> }
                    }).collect_view().into_any()
                }
            }}
        </ul>
    }
}

#[component]
fn Previews(state: State) -> impl IntoView {
    // The WAI-ARIA tabs pattern: arrows, Home and End move the focus and select.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // From the tab that has the focus (the selected one, unless focused otherwise).
        let focused = event_target::<web_sys::Element>(&ev).id();
        let from = Tab::ALL
            .into_iter()
            .find(|t| focused == format!("tab-{}", t.id()))
            .unwrap_or_else(|| state.tab.get_untracked());
        if let Some(tab) = from.after_key(&ev.key()) {
            ev.prevent_default();
            state.tab.set(tab);
            state.refresh_previews();
            if let Some(button) = document()
                .get_element_by_id(&format!("tab-{}", tab.id()))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = button.focus();
            }
        }
    };
    view! {
        <div role="tablist" aria-label="Previews" class="tabs" on:keydown=on_key>
            {Tab::ALL.into_iter().map(|tab| view! {
                <button type="button" role="tab" id=format!("tab-{}", tab.id())
                    aria-controls="tab-panel"
                    aria-selected=move || (state.tab.get() == tab).to_string()
                    tabindex=move || if state.tab.get() == tab { "0" } else { "-1" }
                    on:click=move |_| { state.tab.set(tab); state.refresh_previews(); }>
                    {tab.label()}
                </button>
            }).collect_view()}
        </div>
        <div id="tab-panel" role="tabpanel" tabindex="0"
            aria-labelledby=move || format!("tab-{}", state.tab.get().id())>
            {move || match state.outputs.get() {
                None => view! { <p class="empty">"Fix the problems on the left to see the previews."</p> }.into_any(),
                Some(out) => panel(state, state.tab.get(), &out).into_any(),
            }}
        </div>
    }
}

fn panel(state: State, tab: Tab, out: &Outputs) -> impl IntoView + use<> {
    match tab {
        Tab::Resources => view! {
            <table class="grid">
                <caption>{format!("{} resources", out.resources.len())}</caption>
                <thead><tr><th scope="col">"Logical id"</th><th scope="col">"Type"</th><th scope="col">"Physical name"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {out.resources.iter().map(|r| view! {
                        <tr><td><code>{r.logical_id()}</code></td><td>{r.resource_type()}</td>
                        <td><code>{r.physical_name.clone().unwrap_or_else(|| "(generated)".into())}</code></td><td>{r.reason.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any(),
        Tab::Diagram => view! { <div class="diagram" inner_html=out.diagram_svg.clone()></div> }.into_any(),
        Tab::Policy => policy_view(state, out).into_any(),
        Tab::Template => view! { <pre class="code" aria-label="CloudFormation template">{out.report.template.yaml.clone()}</pre> }.into_any(),
        Tab::Checks => {
            if out.template_checks.is_empty() {
                view! { <p class="ok">{format!("The core's template checks found nothing ({}). The deep check against CloudFormation's schemas runs in the CLI: validate-prov-template.", ml_provisioner_core::template_check::COVERS)}</p> }.into_any()
            } else {
                view! { <ul class="diagnostics">{out.template_checks.iter().map(|l| view! {
                    <li>{l.summary()}</li>
                }).collect_view()}</ul> }.into_any()
            }
        }
        Tab::Cost => {
            let c = &out.cost;
            let total = ml_provisioner_core::report::cost::usd(c.total_micro_usd());
            view! {
                <p class="estimate">{format!("Estimate: about {total} a month in fixed charges (AWS list prices, table dated {}; usage billed separately).", ml_provisioner_core::report::cost::PRICE_TABLE_DATE)}</p>
                <table class="grid">
                    <caption>"Fixed monthly charges"</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Quantity"</th><th scope="col">"Per month"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>{c.fixed.iter().map(|f| view! {
                        <tr><td>{f.item}</td><td>{f.quantity.clone()}</td><td>{ml_provisioner_core::report::cost::usd(f.monthly_micro_usd)}</td><td>{f.note.clone()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <h3>"Billed by use"</h3>
                <ul>{c.usage.iter().map(|u| view! { <li><strong>{u.item}</strong>": "{u.pricing.clone()}</li> }).collect_view()}</ul>
            }.into_any()
        }
        Tab::Checklist => checklist_view(out).into_any(),
        Tab::Report => view! {
            <iframe id="report-frame" title="Review report" sandbox="" srcdoc=workbench::frame_document(&out.report.html)></iframe>
        }.into_any(),
    }
}

/// The operator policy as `create-policy` writes it: each managed-policy document (IAM stores at
/// most 6,144 characters in one) and the guide, each with its own download.
fn policy_view(state: State, out: &Outputs) -> impl IntoView + use<> {
    let documents = out.policy_files.len().saturating_sub(1);
    view! {
        <p>{format!(
            "IAM stores at most {} characters in one managed policy, so the operator policy is {} document{}: attach all of them. The guide lists the AWS CLI commands that create and attach them.",
            ml_provisioner_core::policy_set::thousands(ml_provisioner_core::policy_set::IAM_LIMITS.document_chars),
            documents,
            if documents == 1 { "" } else { "s" }
        )}</p>
        {out.policy_files.iter().map(|file| {
            let which = file.output;
            let id = match which {
                Output::PolicyDocument(n) => format!("download-policy-{n}"),
                _ => "download-policy-guide".to_owned(),
            };
            view! {
                <h3 class="policy-file"><code>{file.name.clone()}</code>" — "{file.summary.clone()}" "
                    <button id=id type="button" on:click=move |_| state.download(which)>"Download"</button>
                </h3>
                <pre class="code" aria-label=file.name.clone()>{file.text.clone()}</pre>
            }
        }).collect_view()}
    }
}

fn checklist_view(out: &Outputs) -> impl IntoView + use<> {
    view! {
        <ol class="checklist">
            {out.checklist.iter().map(|item| view! {
                <li>
                    <strong>{item.title.clone()}</strong>" — "{item.detail.clone()}
                    {item.command.clone().map(|c| view! { <pre class="cmd">{c}</pre> })}
                    {item.expect.clone().map(|e| view! { <p class="expect">"Expect: "{e}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn ReviewView(state: State) -> impl IntoView {
    let edit_copy = move |_| state.edit_copy();
    view! {
        <section id="review" aria-labelledby="review-h">
            <h2 id="review-h">{move || {
                let checked = state.checked.get();
                match &checked.config {
                    Some(c) => format!("Review: {}", c.names().ml_name()),
                    None => format!("Review: {}", checked.file_name),
                }
            }}</h2>
            <p class="readonly">"Read-only review of a shared config ("<code>{move || state.file_name.get()}</code>"). "
                <button id="edit-copy" type="button" on:click=edit_copy>"Edit a copy"</button></p>
            <p id="status" role="status" class=move || if state.checked.get().config.is_some() { "status ok" } else { "status bad" }>
                {move || state.checked.get().status()}
            </p>
            {move || state.outputs.get().map(|out| {
                let summary = format!(
                    "{} resources in account {} ({}) · about {} a month fixed · template SHA-256 {}",
                    out.resources.len(),
                    state.checked.get_untracked().config.as_ref().map(|c| c.client.account_id.clone()).unwrap_or_default(),
                    state.checked.get_untracked().config.as_ref().map(|c| c.environment.region.clone()).unwrap_or_default(),
                    ml_provisioner_core::report::cost::usd(out.cost.total_micro_usd()),
                    out.report.template_sha256,
                );
                view! {
                    <h3>"Summary"</h3>
                    <p id="review-summary">{summary}</p>
                    <h3>"Downloads"</h3>
                    {review_downloads(state, &out)}
                    <h3>"Checklist"</h3>
                    {checklist_view(&out)}
                }
            })}
            <h3>"Findings"</h3>
            <Diagnostics state=state interactive=false/>
            <ReviewerPanel state=state/>
            <ConfigLines state=state commentable=true/>
            {move || state.outputs.get().map(|out| view! {
                <h3>"Architecture"</h3>
                <div class="diagram" inner_html=out.diagram_svg.clone()></div>
                <h3>"Report"</h3>
                <iframe id="report-frame" title="Review report" sandbox="" srcdoc=workbench::frame_document(&out.report.html)></iframe>
            })}
        </section>
    }
}

/// The files the CLI would write for the reviewed config (template, operator policy documents
/// and guide, report), each downloaded as the editor downloads it.
fn review_downloads(state: State, out: &Outputs) -> impl IntoView + use<> {
    let files: Vec<(Output, String)> = [Output::Template]
        .into_iter()
        .chain(out.policy_files.iter().map(|f| f.output))
        .chain([Output::ReviewReport])
        .map(|which| (which, which.file_name(&out.stem)))
        .collect();
    view! {
        <ul id="review-downloads" class="downloads">
            {files.into_iter().map(|(which, name)| view! {
                <li><button type="button" class="review-download" data-file=name.clone()
                    on:click=move |_| state.download(which)>{name.clone()}</button></li>
            }).collect_view()}
        </ul>
    }
}

/// The reviewer's side: name, decision, and the reply it makes.
#[component]
fn ReviewerPanel(state: State) -> impl IntoView {
    view! {
        <section id="your-review" class="your-review" aria-labelledby="your-review-h">
            <h3 id="your-review-h">"Your review"</h3>
            <p class="hint-inline">"To comment on a line, click its number in the config below. Then approve or request changes: you get a reply link for the author and a decision record to attach to a ticket or pull request."</p>
            <label for="reviewer-name">"Your name"</label>
            <input id="reviewer-name" type="text" autocomplete="name"
                prop:value=move || state.reviewer.get()
                on:input=move |ev| {
                    state.reviewer.set(event_target_value(&ev));
                    state.save_pending_review();
                    state.made_reply.set(None);
                }/>
            <p id="review-comment-count">{move || match state.comments.with(Vec::len) {
                0 => "No comments yet.".to_owned(),
                1 => "1 comment.".to_owned(),
                n => format!("{n} comments."),
            }}</p>
            <div class="actions">
                <button id="approve" type="button" on:click=move |_| state.decide(Decision::Approve)>"Approve"</button>
                <button id="request-changes" type="button" on:click=move |_| state.decide(Decision::RequestChanges)>"Request changes"</button>
            </div>
            {move || state.review_message.get().map(|message| view! {
                <p id="review-message" class="alert" role="alert">{message}</p>
            })}
            {move || state.made_reply.get().map(|made| {
                let reply = made.reply.clone();
                view! {
                    <div id="reply" class="share">
                        <p id="reply-made" class=if reply.decision == Decision::Approve { "status ok" } else { "status bad" }>{reply.heading()}</p>
                        <label for="reply-link">{format!("Reply link for the author ({} characters)", made.chars)}</label>
                        <input id="reply-link" type="text" readonly=true prop:value=made.link.clone()/>
                        {(made.chars > share::WARN_CHARS).then(|| view! { <p class="warn">{format!("Over {} characters: some chat and mail tools cut links this long.", share::WARN_CHARS)}</p> })}
                        <p><button id="download-decision" type="button" on:click=move |_| download_decision(&reply)>"Download decision record"</button></p>
                        <p class="not-signed">{review::NOT_SIGNED}</p>
                    </div>
                }
            })}
        </section>
    }
}

/// The config read-only, one numbered line each, with the comments under their lines: the
/// reviewer's own (`commentable`: a line's number opens a comment field) or the opened reply's.
#[component]
fn ConfigLines(state: State, commentable: bool) -> impl IntoView {
    view! {
        <h3 id="config-h">"Config"</h3>
        <ol id="config-lines" class="config-lines" aria-labelledby="config-h">
            {move || {
                let text = state.text.get();
                let comments = if commentable {
                    state.comments.get()
                } else {
                    state.opened_reply.get().map(|r| r.comments.clone()).unwrap_or_default()
                };
                let commenting = state.commenting.get();
                text.split('\n').enumerate().map(|(i, line)| {
                    let n = i + 1;
                    let here: Vec<(usize, Comment)> = comments.iter().cloned().enumerate().filter(|(_, c)| c.line == n).collect();
                    let number = if commentable {
                        view! { <button type="button" class="ln" aria-label=format!("Comment on line {n}")
                            on:click=move |_| state.comment_on(n)>{n}</button> }.into_any()
                    } else {
                        view! { <span class="ln">{n}</span> }.into_any()
                    };
                    let mark = (!here.is_empty()).then(|| view! {
                        <span class="mark" data-line=n title=format!("{} comment(s) on line {n}", here.len())>{format!("● {}", here.len())}</span>
                    });
                    let class = if here.is_empty() { "cl" } else { "cl commented" };
                    view! {
                        <li id=format!("line-{n}") class=class data-line=n>
                            <span class="gut">{number}{mark}</span>
                            <code class="lt">{review::visible(line)}</code>
                            {here.into_iter().map(|(index, c)| view! {
                                <div class="comment" data-line=c.line>
                                    <span class="comment-text">{review::visible(&c.text)}</span>
                                    {commentable.then(|| view! {
                                        <button type="button" class="remove" aria-label=format!("Remove the comment on line {}", c.line)
                                            on:click=move |_| state.remove_comment(index)>"Remove"</button>
                                    })}
                                </div>
                            }).collect_view()}
                            {(commentable && commenting == Some(n)).then(|| view! {
                                <div class="comment-form">
                                    <label for="comment-text">{format!("Comment on line {n}")}</label>
                                    <textarea id="comment-text" rows="3"
                                        prop:value=move || state.comment_text.get()
                                        on:input=move |ev| state.comment_text.set(event_target_value(&ev))
                                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                            if ev.key() == "Escape" {
                                                state.close_comment();
                                            } else if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                                                ev.prevent_default();
                                                state.add_comment();
                                            }
                                        }></textarea>
                                    <button id="comment-add" type="button" on:click=move |_| state.add_comment()>"Add comment"</button>
                                    <button id="comment-cancel" type="button" on:click=move |_| state.close_comment()>"Cancel"</button>
                                    <span class="hint-inline">" Ctrl+Enter adds it, Escape cancels."</span>
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()
            }}
        </ol>
    }
}

/// A reply link opened by the author: the decision, the comments beside the diagnostics and in
/// the config at their lines, and that the link proves nothing by itself.
#[component]
fn ReplyView(state: State) -> impl IntoView {
    move || {
        state.opened_reply.get().map(|reply| {
            let record = reply.clone();
            let comments = reply.comments.clone();
            let noted = reply.clone();
            let own = state.drafts.with_untracked(|d| review::draft_of(&reply, d).cloned());
            let origin = review::origin_note(own.as_ref());
            view! {
                <section id="reply-view" aria-labelledby="reply-h">
                    <h2 id="reply-h">{format!("Review reply: {}", reply.heading())}</h2>
                    <p id="reply-decision" class=if reply.decision == Decision::Approve { "status ok" } else { "status bad" }>
                        {format!("{} · {} comment{} · about {}", reply.decision.label(), reply.comments.len(), if reply.comments.len() == 1 { "" } else { "s" }, review::visible(&reply.config_file))}
                    </p>
                    <p id="not-signed" class="warn">{review::NOT_SIGNED}</p>
                    <p id="reply-template" class="hashes">{move || {
                        let generated = state.outputs.get().map(|o| o.report.template_sha256.clone());
                        if generated.is_none() && state.checked.get().config.is_some() {
                            String::new()
                        } else {
                            noted.template_note(generated.as_deref())
                        }
                    }}</p>
                    <p class="hashes">"Config SHA-256 "<code>{reply.config_sha256.clone()}</code></p>
                    <p id="reply-origin" class=if own.is_some() { "origin" } else { "origin warn" }>{origin}</p>
                    <p class="actions">
                        {own.map(|draft| view! {
                            <button id="open-draft" type="button" on:click=move |_| state.open_own_draft(draft.clone())>"Open your draft"</button>
                        })}
                        <button id="edit-copy" type="button" on:click=move |_| state.edit_copy()>"Edit a copy"</button>
                        <button id="download-decision" type="button" on:click=move |_| download_decision(&record)>"Download decision record"</button>
                    </p>
                    <div class="reply-side">
                        <div>
                            <h3>"Comments"</h3>
                            {if comments.is_empty() {
                                view! { <p class="none">"No comments."</p> }.into_any()
                            } else {
                                view! { <ul id="reply-comments" class="diagnostics">
                                    {comments.into_iter().map(|c| {
                                        let line = c.line;
                                        view! { <li><button type="button" class="diag comment-item" data-line=line on:click=move |_| show_line(line)>
                                            {format!("line {line}: {}", review::visible(&c.text))}</button></li> }
                                    }).collect_view()}
                                </ul> }.into_any()
                            }}
                        </div>
                        <div>
                            <h3>"Findings"</h3>
                            <Diagnostics state=state interactive=false/>
                        </div>
                    </div>
                    <ConfigLines state=state commentable=false/>
                </section>
            }
        })
    }
}

/// A change set or drift report from a file: its summary and security changes as page text,
/// the core's page in a sandboxed frame.
#[component]
fn StackView(state: State) -> impl IntoView {
    let back = move |_| {
        state.stack.set(None);
        state.mode.set(Mode::Edit);
    };
    move || {
        state.stack.get().map(|opened| {
            view! {
                <section id="stack-review" aria-labelledby="stack-h">
                    <h2 id="stack-h">{opened.heading.clone()}</h2>
                    <p class="readonly">"Read-only view of "<code>{opened.file_name.clone()}</code>
                        ", as show-changes or check-drift wrote it; nothing is fetched from AWS. "
                        <button id="stack-back" type="button" on:click=back>"Back to the editor"</button></p>
                    <p id="stack-summary" class="status">{opened.summary.clone()}</p>
                    {(!opened.security.is_empty()).then(|| view! {
                        <h3>"Security-relevant changes"</h3>
                        <ul id="stack-security" class="security">
                            {opened.security.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                        </ul>
                    })}
                    <iframe id="stack-frame" title=opened.heading.clone() sandbox="" srcdoc=workbench::frame_document(&opened.html)></iframe>
                </section>
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Tab;

    #[test]
    fn tab_keys_follow_the_tabs_pattern() {
        assert_eq!(Tab::Resources.after_key("ArrowRight"), Some(Tab::Diagram));
        assert_eq!(Tab::Report.after_key("ArrowRight"), Some(Tab::Resources));
        assert_eq!(Tab::Resources.after_key("ArrowLeft"), Some(Tab::Report));
        assert_eq!(Tab::Cost.after_key("Home"), Some(Tab::Resources));
        assert_eq!(Tab::Cost.after_key("End"), Some(Tab::Report));
        assert_eq!(Tab::Cost.after_key("Enter"), None);
    }

    /// index.html's Content-Security-Policy allows the review report's style sheet by hash (the
    /// report's srcdoc iframe inherits the page's policy): keep it equal to the report's.
    #[test]
    fn the_page_policy_allows_the_report_style_sheet() {
        let index = include_str!("../../index.html");
        let report = ml_provisioner_core::report::style_hash();
        assert!(
            index.contains(&format!("style-src 'self' 'sha256-{report}'")),
            "update index.html's CSP to 'sha256-{report}'"
        );
        assert!(!index.contains("unsafe-inline"));
    }
}
