//! The page's keyboard shortcuts, one listener on the document: Ctrl+Z undo, Ctrl+Shift+Z
//! and Ctrl+Y redo, Delete, Escape, arrow nudge, Ctrl+A, F to fit and `?` for help.
//!
//! Keys typed into a field belong to the field, so the listener ignores them there.

use super::{Action, State};
use crate::view::{self, Selection};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// Every shortcut, for the help overlay.
pub const SHORTCUTS: [(&str, &str); 14] = [
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    ("Delete, Backspace", "Delete the selection (and what cannot exist without it)"),
    ("Escape", "Clear the selection, close this help"),
    ("Arrow keys", "Nudge the selected VNets, hubs and sites (Shift: 10× farther)"),
    ("Ctrl+A", "Select every VNet, hub, gateway, site and card"),
    ("F", "Fit the design to the screen"),
    ("?", "Show or hide this help"),
    ("Shift+click", "Add to or remove from the selection"),
    ("Drag on empty canvas with Shift", "Select with a rubber band (adds what it covers entirely)"),
    ("Drag a VNet, hub or site", "Move it with its contents; a selected one moves every selected one"),
    ("Drag a VM card into a subnet", "Move the VM there (its address follows the new prefix)"),
    ("Drag from a VNet's handle (○)", "To a VNet: peer both ways; to a vWAN hub or a site: connect"),
    ("Drag from the palette", "VNet onto empty canvas; subnet, Bastion, gateway into a VNet; VM, NSG onto a subnet"),
];

fn typing_in_field(event: &KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|it| it.dyn_into::<Element>().ok()) else {
        return false;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    // A checkbox takes no typing: Ctrl+Z after a toggle undoes the toggle.
    let toggle = tag == "input"
        && matches!(target.get_attribute("type").as_deref(), Some("checkbox") | Some("radio") | Some("button"));
    !toggle && matches!(tag.as_str(), "input" | "textarea" | "select")
        || target.closest("[contenteditable]").ok().flatten().is_some()
}

/// What a key press asks of the page, given the state it sees.
fn action_for(event: &KeyboardEvent, state: &State, help_open: bool) -> Option<Action> {
    let ctrl = event.ctrl_key() || event.meta_key();
    let key = event.key();
    match key.as_str() {
        "z" | "Z" if ctrl && event.shift_key() => Some(Action::Redo),
        "z" | "Z" if ctrl => Some(Action::Undo),
        "y" | "Y" if ctrl => Some(Action::Redo),
        "a" | "A" if ctrl => Some(Action::SelectMany(view::every_selection(&state.scene))),
        "Delete" | "Backspace" if !ctrl => Some(Action::DeleteSelection),
        "Escape" if !help_open => match state.selected().is_empty() {
            true => Some(Action::DismissNotice),
            false => Some(Action::Select(Selection::None)),
        },
        "f" | "F" if !ctrl && !event.alt_key() => {
            let (width, height) = state.canvas_size;
            Some(Action::Fit { width, height })
        }
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !ctrl => {
            let step = if event.shift_key() { 100.0 } else { 10.0 };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                _ => (0.0, step),
            };
            view::gesture::move_command(&state.scene, &state.layout.positions, &state.selected(), dx, dy)
                .map(Action::Edit)
        }
        _ => None,
    }
}

/// Installs the document's keydown listener for the life of the page; it always sees the
/// latest state through a shared cell.
#[hook]
pub fn use_shortcuts(
    state: UseReducerHandle<State>,
    dispatch: Callback<Action>,
    toggle_help: Callback<Option<bool>>,
    help_open: bool,
) {
    let latest: Rc<RefCell<(Rc<State>, bool, Callback<Action>, Callback<Option<bool>>)>> =
        use_mut_ref(|| (Rc::new((*state).clone()), help_open, dispatch.clone(), toggle_help.clone()));
    *latest.borrow_mut() = (Rc::new((*state).clone()), help_open, dispatch, toggle_help);
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            if typing_in_field(&event) || event.default_prevented() {
                return;
            }
            let (state, help_open, dispatch, toggle_help) = latest.borrow().clone();
            if event.key() == "?" {
                event.prevent_default();
                toggle_help.emit(None);
                return;
            }
            if event.key() == "Escape" && help_open {
                toggle_help.emit(Some(false));
                return;
            }
            if let Some(action) = action_for(&event, &state, help_open) {
                event.prevent_default();
                dispatch.emit(action);
            }
        });
        let document = web_sys::window().and_then(|it| it.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = &document {
                let _ = document.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        }
    });
}
