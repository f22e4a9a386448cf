//! Marks on the browser's performance timeline around the phases of an edit (command,
//! analysis, scene, render), so `e2e/bench/editor-bench.js` can split an edit's time.
//!
//! Off unless the address has `timing` in its query (`?scenario=…&timing=1`): then each
//! mark is one `performance.mark`; otherwise it costs one thread-local read.

use std::cell::Cell;

thread_local! {
    static ON: Cell<Option<bool>> = const { Cell::new(None) };
}

fn enabled() -> bool {
    ON.with(|on| match on.get() {
        Some(value) => value,
        None => {
            let value = super::browser::location_search().split(['?', '&']).any(|it| it.starts_with("timing"));
            on.set(Some(value));
            value
        }
    })
}

/// Marks the end of a phase named `name` (when timing is on).
pub fn mark(name: &str) {
    if enabled() {
        if let Some(performance) = web_sys::window().and_then(|it| it.performance()) {
            let _ = performance.mark(name);
        }
    }
}

/// Marks `name` once the work queued now is done: yew renders the whole page in one
/// microtask, so a microtask queued during the render runs right after the DOM is patched
/// (its effects, in contrast, wait for a later task, after the paint).
pub fn mark_after_render(name: &'static str) {
    if enabled() {
        let done = wasm_bindgen::closure::Closure::once(move |_: wasm_bindgen::JsValue| mark(name));
        let _ = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL).then(&done);
        // Timing is a measuring aid: the small closure per render is left to the page.
        done.forget();
    }
}
