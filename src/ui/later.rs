//! Panels that may lag an edit by a frame: the advice panels (Connect, cost, planner) run
//! their own simulations over the design, tens of milliseconds on an estate, and need not
//! hold back the canvas and the verdicts from reaching the screen.
//!
//! `use_after_paint` hands a component the value it was given, but a changed value only
//! after the browser has painted the frame the edit produced.

use super::timing;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Runs `then` in the callback of the next frame (at once without a browser window).
fn next_frame(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return then() };
    let _ = window.request_animation_frame(Closure::once_into_js(then).unchecked_ref());
}

/// Runs `then` in a task of its own, queued now behind the tasks already waiting.
fn next_task(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return then() };
    let task = Closure::once_into_js(then);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
}

/// Runs `then` once the next frame has been painted: in a task queued from the callback of
/// the frame after it, so nothing queued for "right after the paint" waits behind it, and
/// that second frame (which the browser runs before waiting tasks) is not held up by it
/// either: run inside its callback, the panels' render and layout made it 20–30 ms long.
fn after_paint(then: impl FnOnce() + 'static) {
    next_frame(|| next_frame(|| next_task(then)));
}

/// Runs `then` right after the next frame is painted, ahead of `after_paint`'s panels: for
/// the completion of an edit's analysis, which the findings, SKU, RBAC and cost panels wait
/// for. From the frame's callback it queues a task that queues `then`, so whatever else was
/// queued for right after that paint (from any of the frame's callbacks, or an input event)
/// runs first.
pub fn right_after_paint(then: impl FnOnce() + 'static) {
    next_frame(|| next_task(|| next_task(then)));
}

thread_local! {
    static GRAVEYARD: std::cell::RefCell<Vec<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps `value` until the next frame has been painted, then drops it: freeing an estate's
/// previous analysis and scene (hundreds of thousands of strings) is work the edit's frame
/// need not wait for.
pub fn drop_after_paint(value: impl std::any::Any) {
    let first = GRAVEYARD.with(|it| {
        let mut graves = it.borrow_mut();
        graves.push(Box::new(value));
        graves.len() == 1
    });
    if first {
        after_paint(|| GRAVEYARD.with(|it| drop(std::mem::take(&mut *it.borrow_mut()))));
    }
}

/// Each value once the frame it came with has been painted: `None` until the first one
/// is (so a panel that appears with a new selection does not delay that frame either),
/// then the latest value released.
#[hook]
pub fn use_after_paint<T: Clone + PartialEq + 'static>(value: T) -> Option<T> {
    use_after_paint_when(value, true)
}

/// `use_after_paint`, releasing a value only while `ready`: a panel of the settled analysis
/// waits while the design's analysis is still completing, so it is drawn once for the new
/// design instead of once for the previous one and again when the analysis completes.
#[hook]
pub fn use_after_paint_when<T: Clone + PartialEq + 'static>(value: T, ready: bool) -> Option<T> {
    let shown = use_state(|| None::<T>);
    {
        let shown = shown.clone();
        use_effect_with((value, ready), move |(value, ready)| {
            if *ready && shown.as_ref() != Some(value) {
                let value = value.clone();
                after_paint(move || {
                    shown.set(Some(value));
                    timing::mark("render:later");
                });
            }
        });
    }
    (*shown).clone()
}
