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

use crate::editor::{self, Listed};
use crate::examples::NEW_CONFIG;
use crate::share::{self, Shared};
use crate::stack_view::{self, Opened};
use crate::workbench::{self, Checked, Outputs};
use ml_provisioner_core::examples::EXAMPLES;

const DRAFT_KEY: &str = "ml-provisioner.draft.v1";
/// Previews are recomputed this long after the last keystroke (diagnostics at once).
const PREVIEW_DELAY: Duration = Duration::from_millis(150);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Edit,
    Review,
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

fn save_draft(file_name: &str, text: &str) {
    if let Some(s) = storage() {
        let value = serde_json::json!({ "file_name": file_name, "text": text }).to_string();
        let _ = s.set_item(DRAFT_KEY, &value);
    }
}

fn load_draft() -> Option<Shared> {
    let raw = storage()?.get_item(DRAFT_KEY).ok()??;
    let value: serde_json::Value = serde_json::from_str(&raw).ok()?;
    Some(Shared {
        file_name: value["file_name"].as_str()?.to_owned(),
        text: value["text"].as_str()?.to_owned(),
    })
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

/// The app's state: signals, and the actions on them.
#[derive(Clone, Copy)]
struct State {
    mode: RwSignal<Mode>,
    file_name: RwSignal<String>,
    text: RwSignal<String>,
    checked: RwSignal<Arc<Checked>>,
    outputs: RwSignal<Option<Arc<Outputs>>>,
    tab: RwSignal<Tab>,
    notice: RwSignal<Option<String>>,
    link_error: RwSignal<Option<String>>,
    share_link: RwSignal<Option<(String, usize, bool)>>,
    stack: RwSignal<Option<Arc<Opened>>>,
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
            checked: RwSignal::new(Arc::new(workbench::check("", ""))),
            outputs: RwSignal::new(None),
            tab: RwSignal::new(Tab::Resources),
            notice: RwSignal::new(None),
            link_error: RwSignal::new(None),
            share_link: RwSignal::new(None),
            stack: RwSignal::new(None),
            validate_ms: RwSignal::new(0.0),
            previews_ms: RwSignal::new(0.0),
            generation: RwSignal::new(0),
        }
    }

    /// Loads the link in the address, else the saved draft, else a new config.
    fn start(self) {
        let hash = window().location().hash().unwrap_or_default();
        if !hash.is_empty() {
            match share::decode(&hash) {
                Ok(shared) => {
                    self.load(shared, Mode::Review);
                    return;
                }
                Err(share::LinkError::NotALink) => {}
                Err(error) => self.link_error.set(Some(error.message())),
            }
        }
        let draft = load_draft().unwrap_or(Shared {
            file_name: "config.yaml".into(),
            text: NEW_CONFIG.into(),
        });
        self.load(draft, Mode::Edit);
    }

    fn load(self, shared: Shared, mode: Mode) {
        self.stack.set(None);
        self.mode.set(mode);
        self.file_name.set(shared.file_name);
        self.text.set(shared.text);
        self.share_link.set(None);
        self.recheck_with_delay(Duration::ZERO);
    }

    /// Revalidates now (every keystroke) and schedules the previews.
    fn recheck(self) {
        self.recheck_with_delay(PREVIEW_DELAY);
    }

    fn recheck_with_delay(self, delay: Duration) {
        let (file_name, text) = (self.file_name.get_untracked(), self.text.get_untracked());
        let start = now_ms();
        let checked = workbench::check(&file_name, &text);
        self.validate_ms.set(now_ms() - start);
        self.checked.set(Arc::new(checked));
        if self.mode.get_untracked() == Mode::Edit {
            save_draft(&file_name, &text);
        }
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
            Err(message) => self.notice.set(Some(message)),
        }
    }

    /// Opens a file from the picker or a drop: a `.json` as a stack report, else as a config.
    fn open_file(self, file: web_sys::File) {
        let name = file.name();
        let report = stack_view::is_report_file(&name);
        let (limit, what) = if report {
            (stack_view::MAX_BYTES, "a change set or drift report")
        } else {
            (ml_provisioner_core::yaml::MAX_INPUT_BYTES, "a config")
        };
        if file.size() > limit as f64 {
            self.notice.set(Some(format!(
                "{name} is larger than {} KiB, the most {what} may be.",
                limit / 1024
            )));
            return;
        }
        let promise = file.text();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(text) => {
                    let text = text.as_string().unwrap_or_default();
                    if report {
                        self.open_report(&name, &text);
                    } else {
                        self.load(
                            Shared {
                                file_name: name,
                                text,
                            },
                            Mode::Edit,
                        );
                    }
                }
                Err(_) => self.notice.set(Some(format!("{name} could not be read."))),
            }
        });
    }

    fn edit(self, text: String) {
        self.text.set(text);
        self.share_link.set(None);
        self.recheck();
    }

    fn share(self) {
        let shared = Shared {
            file_name: self.file_name.get_untracked(),
            text: self.text.get_untracked(),
        };
        match share::encode(&shared) {
            Ok(encoded) => {
                let location = window().location();
                let base = format!(
                    "{}{}",
                    location.origin().unwrap_or_default(),
                    location.pathname().unwrap_or_default()
                );
                let link = format!("{base}#{}", encoded.fragment);
                let chars = link.chars().count();
                self.share_link
                    .set(Some((link.clone(), chars, chars > share::WARN_CHARS)));
                let clipboard = window().navigator().clipboard();
                let promise = clipboard.write_text(&link);
                let notice = self.notice;
                wasm_bindgen_futures::spawn_local(async move {
                    let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                    notice.set(Some(if copied {
                        "Review link copied to the clipboard.".into()
                    } else {
                        "Copy the review link below (the clipboard was not available).".into()
                    }));
                });
            }
            Err(error) => {
                self.share_link.set(None);
                self.notice.set(Some(error.message()));
            }
        }
    }

    fn download(self, which: Output) {
        // Fresh, so the report's time is the moment of the download.
        self.refresh_previews();
        let Some(out) = self.outputs.get_untracked() else {
            self.notice
                .set(Some("Fix the config's errors before downloading.".into()));
            return;
        };
        if let Some(text) = out.file_text(which) {
            download(&which.file_name(&out.stem), text, which.media_type());
        }
    }
}

fn select_in_editor(listed: &Listed) {
    if let Some(element) = document().get_element_by_id("editor")
        && let Ok(area) = element.dyn_into::<web_sys::HtmlTextAreaElement>()
    {
        let _ = area.focus();
        let _ = area.set_selection_range(listed.select_start, listed.select_end);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = State::new();
    state.start();
    let _ = window_event_listener(leptos::ev::hashchange, move |_| state.start());
    view! {
        <header class="top">
            <h1>"ML Provisioner"</h1>
            <p class="tag">"Author, check and review a config — computed in your browser; nothing is sent anywhere."</p>
        </header>
        <main>
            {move || state.link_error.get().map(|message| view! {
                <div id="link-error" class="alert" role="alert">{message}</div>
            })}
            {move || state.notice.get().map(|message| view! {
                <p id="notice" class="notice" role="status">{message}</p>
            })}
            {move || match state.mode.get() {
                Mode::Edit => view! { <EditView state=state/> }.into_any(),
                Mode::Review => view! { <ReviewView state=state/> }.into_any(),
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
            );
        }
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
            <button id="new-config" type="button" on:click=move |_| state.load(Shared { file_name: "config.yaml".into(), text: NEW_CONFIG.into() }, Mode::Edit)>"New config"</button>
            <input id="open-file" type="file" accept=".yaml,.yml,.json,text/yaml,application/json" aria-describedby="open-what" on:change=on_open/>
            <label class="file" for="open-file">"Open file"</label>
            <span id="open-what" class="hint-inline">"a config (.yaml), or a change set or drift report (-changes.json, -drift.json) — or drop it here"</span>
        </section>
        <div class="workspace">
            <section class="editor-pane" aria-label="Editor">
                <label for="file-name">"File name"</label>
                <input id="file-name" type="text" spellcheck="false"
                    prop:value=move || state.file_name.get()
                    on:input=move |ev| { state.file_name.set(event_target_value(&ev)); state.recheck(); }/>
                <p id="status" role="status" aria-live="polite"
                    class=move || if state.checked.get().config.is_some() { "status ok" } else { "status bad" }>
                    {move || state.checked.get().status()}
                </p>
                <div class="editor">
                    <pre class="gutter" id="gutter" aria-hidden="true">{move || editor::line_numbers(&state.text.get())}</pre>
                    <textarea id="editor" aria-label="Config (YAML)" aria-describedby="status" spellcheck="false" wrap="off"
                        prop:value=move || state.text.get()
                        on:input=move |ev| state.edit(event_target_value(&ev))
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
    view! {
        <div role="tablist" aria-label="Previews" class="tabs">
            {Tab::ALL.into_iter().map(|tab| view! {
                <button type="button" role="tab" id=format!("tab-{}", tab.id())
                    aria-controls="tab-panel"
                    aria-selected=move || (state.tab.get() == tab).to_string()
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
            <iframe id="report-frame" title="Review report" sandbox="" srcdoc=out.report.html.clone()></iframe>
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
    let edit_copy = move |_| {
        let shared = Shared {
            file_name: state.file_name.get_untracked(),
            text: state.text.get_untracked(),
        };
        // Leave the link: the address now shows the editor, and the copy becomes the draft.
        let _ = window().history().map(|h| {
            h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&window().location().pathname().unwrap_or_default()),
            )
        });
        save_draft(&shared.file_name, &shared.text);
        state.load(shared, Mode::Edit);
    };
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
                    <h3>"Checklist"</h3>
                    {checklist_view(&out)}
                }
            })}
            <h3>"Findings"</h3>
            <Diagnostics state=state interactive=false/>
            {move || state.outputs.get().map(|out| view! {
                <h3>"Architecture"</h3>
                <div class="diagram" inner_html=out.diagram_svg.clone()></div>
                <h3>"Report"</h3>
                <iframe id="report-frame" title="Review report" sandbox="" srcdoc=out.report.html.clone()></iframe>
            })}
        </section>
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
                    <iframe id="stack-frame" title=opened.heading.clone() sandbox="" srcdoc=opened.html.clone()></iframe>
                </section>
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
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
