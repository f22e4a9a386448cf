//! The few browser services the page needs (local storage, timers, downloads, reading a
//! chosen file, the address bar, the clipboard), wrapped so components never touch
//! `web_sys` plumbing and every failure becomes a value instead of a panic.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, File, FileReader, HtmlAnchorElement, Url};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Stores a value; false when the browser refuses (private mode, quota).
pub fn storage_set(key: &str, value: &str) -> bool {
    window()
        .and_then(|it| it.local_storage().ok().flatten())
        .map(|storage| storage.set_item(key, value).is_ok())
        .unwrap_or(false)
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = window().and_then(|it| it.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// A timer that runs `then` once after `ms`; dropping the handle does not cancel it, but
/// `cancel` does.
pub struct Timeout {
    id: i32,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn cancel(&self) {
        if let Some(window) = window() {
            window.clear_timeout_with_handle(self.id);
        }
    }
}

pub fn set_timeout(ms: i32, then: impl FnOnce() + 'static) -> Option<Timeout> {
    let mut then = Some(then);
    let closure = Closure::<dyn FnMut()>::new(move || {
        if let Some(then) = then.take() {
            then();
        }
    });
    let id =
        window()?.set_timeout_with_callback_and_timeout_and_arguments_0(closure.as_ref().unchecked_ref(), ms).ok()?;
    Some(Timeout { id, _closure: closure })
}

/// Offers `contents` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not prepare the file".to_string())?;
    download_blob(filename, &blob)
}

pub fn download_blob(filename: &str, blob: &Blob) -> Result<(), String> {
    let url =
        Url::create_object_url_with_blob(blob).map_err(|_| "the browser could not prepare the file".to_string())?;
    download_url(filename, &url)?;
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

pub fn download_url(filename: &str, url: &str) -> Result<(), String> {
    let document = window().and_then(|it| it.document()).ok_or("no document")?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the browser could not prepare the download".to_string())?
        .unchecked_into();
    anchor.set_href(url);
    anchor.set_download(filename);
    anchor.click();
    Ok(())
}

/// Reads a chosen file as text and hands it (or why it could not be read) to `then`.
pub fn read_text(file: File, then: impl FnOnce(Result<String, String>) + 'static) {
    let Ok(reader) = FileReader::new() else {
        then(Err("the browser cannot read files".into()));
        return;
    };
    let then = std::rc::Rc::new(std::cell::RefCell::new(Some(then)));
    let on_load = {
        let reader = reader.clone();
        let then = then.clone();
        Closure::<dyn FnMut()>::new(move || {
            let result = match reader.result().ok().and_then(|it| it.as_string()) {
                Some(text) => Ok(text),
                None => Err("the file is not text".to_string()),
            };
            if let Some(then) = then.borrow_mut().take() {
                then(result);
            }
        })
    };
    let on_error = {
        let then = then.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(then) = then.borrow_mut().take() {
                then(Err("the browser could not read the file".to_string()));
            }
        })
    };
    reader.set_onload(Some(on_load.as_ref().unchecked_ref()));
    reader.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    if reader.read_as_text(&file).is_err() {
        if let Some(then) = then.borrow_mut().take() {
            then(Err("the browser could not read the file".to_string()));
        }
    }
    // The reader calls back once; the closures must live until then.
    on_load.forget();
    on_error.forget();
}

/// The page's address without its fragment, to build share links on.
pub fn page_address() -> String {
    let Some(location) = window().map(|it| it.location()) else { return String::new() };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}")
}

pub fn location_hash() -> String {
    window().and_then(|it| it.location().hash().ok()).unwrap_or_default()
}

pub fn location_search() -> String {
    window().and_then(|it| it.location().search().ok()).unwrap_or_default()
}

/// Removes the fragment from the address bar (after a share link was opened), so a reload
/// restores the autosaved work rather than the link's original design.
pub fn clear_hash() {
    if let Some(window) = window() {
        if let Ok(history) = window.history() {
            let address = format!("{}{}", page_address(), location_search());
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
        }
    }
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Asks the person a yes/no question (a native dialog: it blocks, which is what "are you
/// sure?" wants).
pub fn confirm(question: &str) -> bool {
    window().and_then(|it| it.confirm_with_message(question).ok()).unwrap_or(true)
}

/// Runs `then` when the browser is next idle (`requestIdleCallback`, at most `max_wait_ms`
/// later), or at once where idle callbacks do not exist.
pub fn when_idle(max_wait_ms: u32, then: impl FnOnce() + 'static) {
    let Some(window) = window() else { return then() };
    let request = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|it| it.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else { return then() };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeout".into(), &max_wait_ms.into());
    let callback = Closure::once_into_js(then);
    let _ = request.call2(&window, &callback, &options);
}

/// Runs `then` whenever the page is being left or hidden (`pagehide`, and `visibilitychange`
/// to hidden), for the life of the page: the last chance to store unsaved work.
pub fn on_leave(then: impl Fn() + 'static) {
    let Some(window) = window() else { return };
    let then = std::rc::Rc::new(then);
    let on_hide = {
        let then = then.clone();
        Closure::<dyn FnMut()>::new(move || then())
    };
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    on_hide.forget();
    if let Some(document) = window.document() {
        let doc = document.clone();
        let on_visibility = Closure::<dyn FnMut()>::new(move || {
            if doc.hidden() {
                then();
            }
        });
        let _ = document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
        on_visibility.forget();
    }
}
