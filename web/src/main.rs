//! Entry point: a panic hook that reports in the page instead of leaving it dead, then mount.

use wasm_bindgen::JsCast;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!(
            "ML Provisioner hit an internal error and stopped: {info}. Your draft is kept in this browser; reload the page to continue, and please report this."
        );
        web_sys::console::error_1(&message.clone().into());
        if let Some(document) = web_sys::window().and_then(|w| w.document())
            && let Some(element) = document.get_element_by_id("fatal")
            && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
        {
            element.set_text_content(Some(&message));
            element.set_hidden(false);
        }
    }));
    // Marks for the benchmarks (BENCHMARKS.md): module started, first render done.
    let mark = |name: &'static str| {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark(name);
        }
    };
    mark("mlp-start");
    leptos::mount::mount_to_body(ml_provisioner_web::app::App);
    mark("mlp-rendered");
    // The first frame with the app in it.
    leptos::prelude::request_animation_frame(move || mark("mlp-first-frame"));
}
