//! The SVG canvas: draws the scene, pans on a background drag, zooms on the wheel and
//! the +/− buttons, and selects what is clicked.
//!
//! Clicks are resolved on the `<svg>` root from the `data-select` key of the element
//! under the pointer, so cards carry no callbacks and a pan never counts as a click.

use super::{Action, Overlay, Shared};
use crate::model::{Design, Layout, PeeringState};
use crate::view::gesture::{self, select_key};
use crate::view::{
    self, ellipsize, ContainerKind, EdgeKind, EdgeView, NodeKind, NodeView, Rect, Scene, Selection, Status, Viewport,
    VnetView, DEVELOPER_BAND,
};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Element, PointerEvent, WheelEvent};
use yew::prelude::*;

/// The drag data type a palette item carries: its kind (`palette-<kind>`).
pub const PALETTE_MIME: &str = "application/x-bastion-sim-kind";

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub scene: Shared<Scene>,
    pub overlay: Shared<Overlay>,
    /// The further selections (shift-click, rubber band), outlined like the primary one.
    pub also_selected: Shared<Vec<Selection>>,
    pub design: Shared<Design>,
    pub layout: Shared<Layout>,
    pub viewport: Viewport,
    /// The canvas's size on screen as last measured (for drawing only what is in view).
    pub canvas_size: (f64, f64),
    pub fit_generation: u32,
    pub dispatch: Callback<Action>,
}

/// What a press turned into once the pointer moved.
enum Mode {
    /// Not moved yet: a click when released.
    Pending,
    Pan,
    /// Boxes (and the cards inside) follow the pointer by an SVG transform; one `Move` on release.
    Move {
        group: Vec<Selection>,
        elements: Vec<(Element, Option<String>)>,
    },
    /// A VM card follows the pointer; dropped into another subnet it moves there.
    Card {
        vm: String,
        elements: Vec<(Element, Option<String>)>,
    },
    /// A line from a VNet's (or hub's) handle or a gateway to the pointer.
    Connect {
        from: Selection,
    },
    /// Shift-drag on empty canvas: a rubber band.
    Band,
}

/// A press on the canvas: where it started, where it is, and what it landed on.
struct Press {
    pointer: i32,
    start: (f64, f64),
    last: (f64, f64),
    shift: bool,
    key: Option<String>,
    handle: Option<String>,
    mode: Mode,
}

/// Below this zoom the 12.5 px card names would be under 5 px on screen: the canvas shows
/// the icons, colours and VNet names only (`.viewport.tiny`).
const TINY_BELOW: f64 = 0.4;

/// Moves shorter than this are clicks, not drags.
const CLICK_SLOP: f64 = 4.0;

fn svg_size(svg: &NodeRef) -> Option<(f64, f64, f64, f64)> {
    let element = svg.cast::<Element>()?;
    let rect = element.get_bounding_client_rect();
    Some((rect.left(), rect.top(), rect.width(), rect.height()))
}

fn attribute_of(event: &PointerEvent, attribute: &str) -> Option<String> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let holder = target.closest(&format!("[{attribute}]")).ok()??;
    holder.get_attribute(attribute)
}

/// What the canvas handlers need of the latest render (they are created once per render,
/// but a drag outlives renders).
#[derive(Clone)]
struct Latest {
    scene: Shared<Scene>,
    design: Shared<Design>,
    layout: Shared<Layout>,
    viewport: Viewport,
    selected: Rc<Vec<Selection>>,
}

/// A copy of what the last render saw, so no borrow is held while an action is dispatched.
fn latest_of(cell: &RefCell<Option<Latest>>) -> Option<Latest> {
    cell.borrow().clone()
}

/// Screen (client) coordinates to canvas units.
fn to_canvas(svg: &NodeRef, viewport: &Viewport, client: (f64, f64)) -> (f64, f64) {
    let (left, top) = svg_size(svg).map(|it| (it.0, it.1)).unwrap_or_default();
    ((client.0 - left - viewport.x) / viewport.scale, (client.1 - top - viewport.y) / viewport.scale)
}

/// The elements drawn for these `data-select` keys, with their own transform to restore.
fn elements_for(svg: &NodeRef, keys: &[String]) -> Vec<(Element, Option<String>)> {
    let Some(root) = svg.cast::<Element>() else {
        return Vec::new();
    };
    keys.iter()
        .filter_map(|key| {
            let escaped = key.replace('\\', "\\\\").replace('"', "\\\"");
            root.query_selector(&format!("[data-select=\"{escaped}\"]")).ok().flatten()
        })
        .map(|element| {
            let own = element.get_attribute("transform");
            (element, own)
        })
        .collect()
}

/// Shifts the dragged elements by (dx, dy) canvas units: a transform in front of their own,
/// so nothing is laid out again while the pointer moves.
fn shift_elements(elements: &[(Element, Option<String>)], dx: f64, dy: f64) {
    for (element, own) in elements {
        let value = format!("translate({dx:.1} {dy:.1}) {}", own.as_deref().unwrap_or(""));
        let _ = element.set_attribute("transform", value.trim_end());
    }
}

fn restore_elements(elements: &[(Element, Option<String>)]) {
    for (element, own) in elements {
        let _ = match own {
            Some(value) => element.set_attribute("transform", value),
            None => element.remove_attribute("transform"),
        };
    }
}

fn show(element: &NodeRef, attributes: &[(&str, String)]) {
    if let Some(element) = element.cast::<Element>() {
        for (name, value) in attributes {
            let _ = element.set_attribute(name, value);
        }
        let _ = element.remove_attribute("visibility");
    }
}

fn hide(element: &NodeRef) {
    if let Some(element) = element.cast::<Element>() {
        let _ = element.set_attribute("visibility", "hidden");
    }
}

fn band_rect(a: (f64, f64), b: (f64, f64)) -> Rect {
    Rect { x: a.0.min(b.0), y: a.1.min(b.1), w: (a.0 - b.0).abs(), h: (a.1 - b.1).abs() }
}

/// Applies a gesture's edit and selects what it made.
fn apply(dispatch: &Callback<Action>, result: Result<gesture::Gesture, String>) {
    match result {
        Ok(done) => {
            dispatch.emit(Action::Edit(done.command));
            dispatch.emit(Action::Select(done.select));
        }
        Err(text) => dispatch.emit(Action::Notify { error: true, text }),
    }
}

#[component]
pub fn Canvas(props: &CanvasProps) -> Html {
    let svg = use_node_ref();
    let preview_line = use_node_ref();
    let preview_band = use_node_ref();
    let press: Rc<RefCell<Option<Press>>> = use_mut_ref(|| None);
    let latest: Rc<RefCell<Option<Latest>>> = use_mut_ref(|| None);
    {
        let mut selected = vec![props.overlay.selection.clone()];
        selected.extend(props.also_selected.iter().cloned());
        selected.retain(|it| *it != Selection::None);
        *latest.borrow_mut() = Some(Latest {
            scene: props.scene.clone(),
            design: props.design.clone(),
            layout: props.layout.clone(),
            viewport: props.viewport,
            selected: Rc::new(selected),
        });
    }

    // Fit the view when a design is opened and when the canvas first has a size.
    {
        let svg = svg.clone();
        let dispatch = props.dispatch.clone();
        use_effect_with(props.fit_generation, move |_| {
            if let Some((_, _, width, height)) = svg_size(&svg) {
                dispatch.emit(Action::Fit { width, height });
            }
        });
    }

    let onpointerdown = {
        let press = press.clone();
        Callback::from(move |event: PointerEvent| {
            if event.button() != 0 {
                return;
            }
            let at = (event.client_x() as f64, event.client_y() as f64);
            *press.borrow_mut() = Some(Press {
                pointer: event.pointer_id(),
                start: at,
                last: at,
                shift: event.shift_key(),
                key: attribute_of(&event, "data-select"),
                handle: attribute_of(&event, "data-handle"),
                mode: Mode::Pending,
            });
        })
    };
    let onpointermove = {
        let press = press.clone();
        let svg = svg.clone();
        let latest = latest.clone();
        let (preview_line, preview_band) = (preview_line.clone(), preview_band.clone());
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: PointerEvent| {
            let mut press = press.borrow_mut();
            let Some(current) = press.as_mut() else {
                return;
            };
            let Some(latest) = latest_of(&latest) else {
                return;
            };
            let at = (event.client_x() as f64, event.client_y() as f64);
            if let Mode::Pending = current.mode {
                let moved = (at.0 - current.start.0).hypot(at.1 - current.start.1);
                if moved < CLICK_SLOP {
                    return;
                }
                let pressed = current.key.as_deref().map(Selection::from_key).unwrap_or_default();
                current.mode = if let Some(handle) = &current.handle {
                    Mode::Connect { from: Selection::from_key(handle) }
                } else {
                    match &pressed {
                        Selection::None if current.shift => Mode::Band,
                        Selection::Vnet(_) | Selection::VirtualHub(_) | Selection::Site(_) => {
                            let group = gesture::drag_group(&pressed, &latest.selected);
                            let elements = elements_for(&svg, &gesture::drag_elements(&latest.scene, &group));
                            Mode::Move { group, elements }
                        }
                        Selection::Vm { vm, .. } => {
                            let elements = elements_for(&svg, &[format!("vm:{vm}")]);
                            Mode::Card { vm: vm.clone(), elements }
                        }
                        Selection::Gateway(_) => Mode::Connect { from: pressed.clone() },
                        _ => Mode::Pan,
                    }
                };
                // Capture on the root: it is never recreated, so the capture holds.
                if let Some(element) = svg.cast::<Element>() {
                    let _ = element.set_pointer_capture(current.pointer);
                }
            }
            let scale = latest.viewport.scale;
            let (dx, dy) = ((at.0 - current.start.0) / scale, (at.1 - current.start.1) / scale);
            match &current.mode {
                Mode::Pending => (),
                Mode::Pan => {
                    let (dx, dy) = (at.0 - current.last.0, at.1 - current.last.1);
                    dispatch.emit(Action::Pan(dx, dy));
                }
                Mode::Move { elements, .. } | Mode::Card { elements, .. } => shift_elements(elements, dx, dy),
                Mode::Connect { from } => {
                    let start = match latest.scene.rect_of(from) {
                        Some(rect) if matches!(from, Selection::Vnet(_) | Selection::VirtualHub(_)) => {
                            (rect.right() - 14.0, rect.y + 24.0)
                        }
                        Some(rect) => rect.centre(),
                        None => to_canvas(&svg, &latest.viewport, current.start),
                    };
                    let end = to_canvas(&svg, &latest.viewport, at);
                    show(
                        &preview_line,
                        &[
                            ("x1", format!("{:.1}", start.0)),
                            ("y1", format!("{:.1}", start.1)),
                            ("x2", format!("{:.1}", end.0)),
                            ("y2", format!("{:.1}", end.1)),
                        ],
                    );
                }
                Mode::Band => {
                    let rect = band_rect(
                        to_canvas(&svg, &latest.viewport, current.start),
                        to_canvas(&svg, &latest.viewport, at),
                    );
                    show(
                        &preview_band,
                        &[
                            ("x", format!("{:.1}", rect.x)),
                            ("y", format!("{:.1}", rect.y)),
                            ("width", format!("{:.1}", rect.w)),
                            ("height", format!("{:.1}", rect.h)),
                        ],
                    );
                }
            }
            current.last = at;
        })
    };
    let onpointerup = {
        let press = press.clone();
        let svg = svg.clone();
        let latest = latest.clone();
        let (preview_line, preview_band) = (preview_line.clone(), preview_band.clone());
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: PointerEvent| {
            let Some(done) = press.borrow_mut().take() else {
                return;
            };
            let Some(latest) = latest_of(&latest) else {
                return;
            };
            // A lost capture reports no position: the drag ends where it was last seen.
            let at = match event.type_().as_str() {
                "pointerup" => (event.client_x() as f64, event.client_y() as f64),
                _ => done.last,
            };
            let scale = latest.viewport.scale;
            let (dx, dy) = ((at.0 - done.start.0) / scale, (at.1 - done.start.1) / scale);
            let point = to_canvas(&svg, &latest.viewport, at);
            match done.mode {
                Mode::Pending => {
                    let clicked = done.key.as_deref().map(Selection::from_key).unwrap_or_default();
                    if done.shift {
                        dispatch.emit(Action::SelectMany(gesture::toggled(&latest.selected, clicked)));
                    } else {
                        dispatch.emit(Action::Select(clicked));
                    }
                }
                Mode::Pan => (),
                Mode::Move { group, elements } => {
                    restore_elements(&elements);
                    let (dx, dy) = (dx.round(), dy.round());
                    if let Some(command) =
                        gesture::move_command(&latest.scene, &latest.layout.positions, &group, dx, dy)
                    {
                        dispatch.emit(Action::Edit(command));
                    }
                }
                Mode::Card { vm, elements } => {
                    restore_elements(&elements);
                    match gesture::vm_drop(&latest.design, &latest.scene, &vm, point) {
                        Ok(Some(command)) => dispatch.emit(Action::Edit(command)),
                        Ok(None) => (),
                        Err(text) => dispatch.emit(Action::Notify { error: true, text }),
                    }
                }
                Mode::Connect { from } => {
                    hide(&preview_line);
                    apply(&dispatch, gesture::connect(&latest.design, &latest.scene, &from, point));
                }
                Mode::Band => {
                    hide(&preview_band);
                    let rect = band_rect(to_canvas(&svg, &latest.viewport, done.start), point);
                    let mut selections = latest.selected.to_vec();
                    for it in gesture::selections_in(&latest.scene, rect) {
                        if !selections.contains(&it) {
                            selections.push(it);
                        }
                    }
                    dispatch.emit(Action::SelectMany(selections));
                }
            }
        })
    };
    let onpointercancel = {
        let press = press.clone();
        let (preview_line, preview_band) = (preview_line.clone(), preview_band.clone());
        Callback::from(move |_event: PointerEvent| {
            if let Some(done) = press.borrow_mut().take() {
                if let Mode::Move { elements, .. } | Mode::Card { elements, .. } = &done.mode {
                    restore_elements(elements);
                }
            }
            hide(&preview_line);
            hide(&preview_band);
        })
    };
    // Palette items are dragged with the browser's drag and drop; the drop point decides
    // where the new resource goes.
    let ondragover = Callback::from(move |event: DragEvent| {
        event.prevent_default();
        if let Some(transfer) = event.data_transfer() {
            transfer.set_drop_effect("copy");
        }
    });
    let ondrop = {
        let svg = svg.clone();
        let latest = latest.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            let Some(kind) = event.data_transfer().and_then(|it| it.get_data(PALETTE_MIME).ok()) else {
                return;
            };
            if kind.is_empty() {
                return;
            }
            let Some(latest) = latest_of(&latest) else {
                return;
            };
            let point = to_canvas(&svg, &latest.viewport, (event.client_x() as f64, event.client_y() as f64));
            apply(&dispatch, gesture::palette_drop(&latest.design, &latest.scene, &kind, point));
        })
    };
    let onwheel = {
        let svg = svg.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let Some((left, top, _, _)) = svg_size(&svg) else {
                return;
            };
            let factor = (-event.delta_y() * 0.0015).exp().clamp(0.5, 2.0);
            dispatch.emit(Action::Zoom { factor, x: event.client_x() as f64 - left, y: event.client_y() as f64 - top });
        })
    };
    let zoom_button = |factor: f64| {
        let svg = svg.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((_, _, width, height)) = svg_size(&svg) {
                dispatch.emit(Action::Zoom { factor, x: width / 2.0, y: height / 2.0 });
            }
        })
    };
    let fit = {
        let svg = svg.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((_, _, width, height)) = svg_size(&svg) {
                dispatch.emit(Action::Fit { width, height });
            }
        })
    };

    let window = view::draw_window(&props.scene, &props.viewport, props.canvas_size.0, props.canvas_size.1);
    let legend = legend(&props.overlay, &props.scene);
    let zoom_in = zoom_button(1.25);
    let zoom_out = zoom_button(0.8);
    html! {
        <section class="canvas-wrap">
            <svg
                ref={svg.clone()}
                class="canvas"
                data-testid="canvas"
                role="application"
                aria-label="Network diagram: click a resource to inspect it, drag to move or pan, wheel to zoom"
                xmlns="http://www.w3.org/2000/svg"
                {onpointerdown}
                {onpointermove}
                onpointerup={onpointerup.clone()}
                {onpointercancel}
                onlostpointercapture={Callback::from(move |event: PointerEvent| onpointerup.emit(event))}
                {onwheel}
                {ondragover}
                {ondrop}
            >
                <defs>
                    <pattern id="grid" width="24" height="24" patternUnits="userSpaceOnUse">
                        <circle cx="1" cy="1" r="1" class="grid-dot" />
                    </pattern>
                </defs>
                <rect class="canvas-bg" width="100%" height="100%" fill="url(#grid)" />
                // Zoomed far out, second lines would be specks: hide them, keep the names.
                // Further out still, the cards' and bands' names would be a few pixels high:
                // unreadable, and most of the text the browser lays out and paints.
                <g class={classes!("viewport", (props.viewport.scale < 0.55).then_some("far"), (props.viewport.scale < TINY_BELOW).then_some("tiny"))} transform={props.viewport.transform()}>
                    <SceneLayer scene={props.scene.clone()} overlay={props.overlay.clone()} also_selected={props.also_selected.clone()} {window} />
                    <g class="gesture">
                        <line ref={preview_line} class="connect-preview" visibility="hidden" />
                        <rect ref={preview_band} class="rubber-band" visibility="hidden" />
                    </g>
                </g>
            </svg>
            <div class="zoom-controls">
                <button type="button" title="Zoom in" aria-label="Zoom in" onclick={zoom_in}>{"+"}</button>
                <button type="button" title="Zoom out" aria-label="Zoom out" onclick={zoom_out}>{"−"}</button>
                <button type="button" title="Fit to screen" aria-label="Fit to screen" class="fit" onclick={fit}>{"Fit"}</button>
                <span class="zoom-level">{format!("{:.0}%", props.viewport.scale * 100.0)}</span>
            </div>
            {legend}
        </section>
    }
}

fn legend(overlay: &Overlay, scene: &Scene) -> Html {
    // Only the line styles this design draws, so the legend stays one row when it can.
    let draws = |kind: EdgeKind| scene.edges.iter().any(|it| it.kind == kind);
    let (hub_lines, site_lines) = (draws(EdgeKind::HubConnection), draws(EdgeKind::SiteConnection));
    let shows_status =
        matches!(overlay.selection, Selection::Bastion(_) | Selection::Vm { .. } | Selection::Machine(_));
    let title = match &overlay.selection {
        Selection::Bastion(name) => format!("Seen from {name}"),
        Selection::Vm { vm, .. } => format!("Bastions for {vm}"),
        Selection::Machine(name) => format!("Bastions for {name}"),
        _ => String::new(),
    };
    html! {
        <div class="legend" aria-label="Legend">
            // Two groups that wrap whole: what the colours say, then what the lines say.
            <div class="legend-group">
                if !title.is_empty() {
                    <div class="legend-title">{title}</div>
                }
                if shows_status {
                    { for [Status::Reachable, Status::Blocked, Status::Unhealthy].into_iter().map(|status| html! {
                        <div class="legend-row" key={status.class()}>
                            <span class={classes!("swatch", status.class())}></span>{status.label()}
                        </div>
                    }) }
                } else {
                    <div class="legend-row legend-hint">{"Select a Bastion or a VM to see reachability"}</div>
                }
            </div>
            <div class="legend-group">
                <div class="legend-row"><span class="line connected"></span>{"Peering Connected"}</div>
                <div class="legend-row"><span class="line initiated"></span>{"Initiated"}</div>
                <div class="legend-row"><span class="line disconnected"></span>{"Disconnected"}</div>
                if hub_lines {
                    <div class="legend-row"><span class="line hub-connection"></span>{"vWAN hub connection"}</div>
                }
                if site_lines {
                    <div class="legend-row"><span class="line site-connection"></span>{"VPN / ExpressRoute"}</div>
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SceneLayerProps {
    scene: Shared<Scene>,
    overlay: Shared<Overlay>,
    also_selected: Shared<Vec<Selection>>,
    /// Draw only what meets this part of the canvas (a big scene); `None`: everything.
    window: Option<Rect>,
}

/// Everything inside the viewport transform. Its props change only with the design or
/// the selection, so panning and zooming re-render the transform alone.
#[component]
fn SceneLayer(props: &SceneLayerProps) -> Html {
    let scene = &*props.scene;
    let overlay = &*props.overlay;
    // Keys of every selected resource, so each element asks in O(log n) even after Ctrl+A.
    let selected: Rc<BTreeSet<String>> =
        Rc::new(std::iter::once(&overlay.selection).chain(props.also_selected.iter()).filter_map(select_key).collect());
    let window = props.window;
    let shown_edge = |edge: &EdgeView| window.is_none_or(|it| view::segment_meets(&it, edge.from, edge.to));
    let path = if overlay.path.len() >= 2 {
        let points: Vec<String> = overlay.path.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let status = overlay.path_status.map(Status::class).unwrap_or("blocked");
        html! { <polyline key="path" class={classes!("path", status)} points={points.join(" ")} /> }
    } else {
        Html::default()
    };
    html! {
        <>
            <VnetLayer scene={props.scene.clone()} {window} selected={selected.clone()} />
            <g class="edges">{ for scene.edges.iter().filter(|it| shown_edge(it)).map(|it| {
                let (class, select) = edge_key(it);
                let selected = !selected.is_empty() && selected.contains(&select);
                html! { <EdgeLine key={format!("{class}:{}", it.name)} edge={it.clone()} {selected} /> }
            }) }</g>
            <NodeLayer scene={props.scene.clone()} {window} {selected} overlay={props.overlay.clone()} />
            <g class="overlay">{ path }</g>
            <g class="diff-marks">{ super::compare::canvas_marks(&overlay.diff_marks) }</g>
        </>
    }
}

/// The same boxes (the very same `Rc`s, as `view::relayout` keeps them), in the same order.
fn same_boxes<T>(a: &[Rc<T>], b: &[Rc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Rc::ptr_eq(a, b))
}

/// The VNet boxes drawn in `window`, with which of them are selected.
#[derive(Properties)]
struct VnetLayerProps {
    scene: Shared<Scene>,
    window: Option<Rect>,
    selected: Rc<BTreeSet<String>>,
}

/// Equal when every box is the same as before: an edit that moved and changed no box (a
/// peering, a rule, most properties) then draws none of the thousand boxes again, not even
/// to compare them.
impl PartialEq for VnetLayerProps {
    fn eq(&self, other: &Self) -> bool {
        self.window == other.window
            && self.selected == other.selected
            && (self.scene == other.scene || same_boxes(&self.scene.vnets, &other.scene.vnets))
    }
}

#[component]
fn VnetLayer(props: &VnetLayerProps) -> Html {
    let window = props.window;
    let shown = |rect: &Rect| window.is_none_or(|it| rect.overlaps(&it, 0.0));
    let selected = &props.selected;
    html! {
        <g class="vnets">{ for props.scene.vnets.iter().filter(|it| shown(&it.rect)).map(|it| {
            let key = if it.kind == ContainerKind::Unplaced { "unplaced".to_string() } else { it.name.clone() };
            // Nothing selected (as after a Delete): no key to write per box.
            let selected = !selected.is_empty() && selected.contains(&format!("vnet:{}", it.name));
            html! { <VnetBox {key} vnet={Rc::clone(it)} {selected} /> }
        }) }</g>
    }
}

/// The cards (and hubs, sites) drawn in `window`, selected or coloured by the overlay.
#[derive(Properties)]
struct NodeLayerProps {
    scene: Shared<Scene>,
    window: Option<Rect>,
    selected: Rc<BTreeSet<String>>,
    overlay: Shared<Overlay>,
}

/// Equal when every card is the same as before and so are their colours (as for the boxes).
impl PartialEq for NodeLayerProps {
    fn eq(&self, other: &Self) -> bool {
        self.window == other.window
            && self.selected == other.selected
            && (self.overlay == other.overlay || self.overlay.statuses == other.overlay.statuses)
            && (self.scene == other.scene || same_boxes(&self.scene.nodes, &other.scene.nodes))
    }
}

#[component]
fn NodeLayer(props: &NodeLayerProps) -> Html {
    let window = props.window;
    let shown = |rect: &Rect| window.is_none_or(|it| rect.overlaps(&it, 0.0));
    let selected = &props.selected;
    // Each card is a component compared by value: an edit re-renders only what changed,
    // and the status of a card is one map look-up, not a scan.
    let statuses: std::collections::BTreeMap<&str, Status> =
        props.overlay.statuses.iter().map(|(name, status)| (name.as_str(), *status)).collect();
    html! {
        <g class="nodes">{ for props.scene.nodes.iter().filter(|it| shown(&it.rect)).map(|it| {
            let key = format!("{}:{}", it.kind.slug(), it.name);
            let selected = selected.contains(&key);
            let status = statuses.get(it.name.as_str()).copied();
            html! { <NodeCard {key} node={Rc::clone(it)} {selected} {status} /> }
        }) }</g>
    }
}

/// A box as the scene holds it: an edit that leaves it alone keeps the same `Rc`, so the
/// comparison that skips its render is a pointer test (values only when the pointers differ).
#[derive(Properties)]
struct VnetProps {
    vnet: Rc<VnetView>,
    selected: bool,
}

impl PartialEq for VnetProps {
    fn eq(&self, other: &Self) -> bool {
        self.selected == other.selected && (Rc::ptr_eq(&self.vnet, &other.vnet) || self.vnet == other.vnet)
    }
}

#[component]
fn VnetBox(props: &VnetProps) -> Html {
    vnet_view(&props.vnet, props.selected)
}

#[derive(Properties, PartialEq)]
struct EdgeProps {
    edge: EdgeView,
    selected: bool,
}

#[component]
fn EdgeLine(props: &EdgeProps) -> Html {
    edge_view(&props.edge, props.selected)
}

#[derive(Properties)]
struct NodeProps {
    node: Rc<NodeView>,
    selected: bool,
    status: Option<Status>,
}

impl PartialEq for NodeProps {
    fn eq(&self, other: &Self) -> bool {
        self.selected == other.selected
            && self.status == other.status
            && (Rc::ptr_eq(&self.node, &other.node) || self.node == other.node)
    }
}

#[component]
fn NodeCard(props: &NodeProps) -> Html {
    node_view(&props.node, props.status, props.selected)
}

/// The CSS class and the `data-select` key of an edge.
fn edge_key(edge: &EdgeView) -> (&'static str, String) {
    match edge.kind {
        EdgeKind::PeeringLink(PeeringState::Connected) => ("peering connected", format!("peering:{}", edge.name)),
        EdgeKind::PeeringLink(PeeringState::Initiated) => ("peering initiated", format!("peering:{}", edge.name)),
        EdgeKind::PeeringLink(PeeringState::Disconnected) => ("peering disconnected", format!("peering:{}", edge.name)),
        EdgeKind::HubConnection => ("hub-connection", format!("connection:{}", edge.name)),
        EdgeKind::SiteConnection => ("site-connection", format!("connection:{}", edge.name)),
    }
}

fn vnet_view(vnet: &VnetView, selected: bool) -> Html {
    let r = vnet.rect;
    if vnet.kind == ContainerKind::Unplaced {
        return html! {
            <g key="unplaced" class="vnet unplaced">
                <rect class="vnet-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="10" />
                <text class="vnet-name" x={(r.x + 16.0).to_string()} y={(r.y + 22.0).to_string()}>{"Unplaced"}</text>
                <text class="vnet-detail" x={(r.x + 16.0).to_string()} y={(r.y + 38.0).to_string()}>{vnet.detail.clone()}</text>
            </g>
        };
    }
    let select = format!("vnet:{}", vnet.name);
    let max_chars = ((r.w - 56.0) / 9.2).max(8.0) as usize;
    html! {
        <g key={vnet.name.clone()} class={classes!("vnet", selected.then_some("selected"))}
            data-testid={format!("node-{}", vnet.name)} data-select={select.clone()}>
            <title>{format!("Virtual network {}", vnet.name)}</title>
            <rect class="vnet-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="10" />
            <image href="icons/vnet.svg" x={(r.x + 12.0).to_string()} y={(r.y + 11.0).to_string()} width="26" height="26" />
            <text class="vnet-name" x={(r.x + 46.0).to_string()} y={(r.y + 22.0).to_string()}>{ellipsize(&vnet.name, max_chars)}</text>
            <text class="vnet-detail" x={(r.x + 46.0).to_string()} y={(r.y + 38.0).to_string()}>{ellipsize(&vnet.detail, max_chars + 5)}</text>
            // The bands sit directly in the box's group: each element is a layout object the
            // browser walks on every repaint of the canvas, so no wrapper group.
            { for vnet.subnets.iter().map(|band| {
                let b = band.rect;
                // Monospace prefix on the right, the NSG badge left of it, the name in what is left.
                let prefix_w = band.detail.chars().count() as f64 * 6.9;
                let badge_x = b.x + b.w - 10.0 - prefix_w - 22.0;
                let name_room = if band.nsg.is_some() { badge_x - b.x - 14.0 } else { b.w - 30.0 - prefix_w };
                let name_chars = (name_room / 7.4).max(6.0) as usize;
                html! {
                    <g key={band.name.clone()} class={classes!("subnet", band.missing.then_some("missing"), (band.name == DEVELOPER_BAND && !band.missing).then_some("developer"))}>
                        <rect class="subnet-band" x={b.x.to_string()} y={b.y.to_string()} width={b.w.to_string()} height={b.h.to_string()} rx="6" />
                        <text class="subnet-name" x={(b.x + 10.0).to_string()} y={(b.y + 16.0).to_string()}>{ellipsize(&band.name, name_chars)}</text>
                        <text class="subnet-prefix" x={(b.x + b.w - 10.0).to_string()} y={(b.y + 16.0).to_string()} text-anchor="end">
                            {band.detail.clone()}
                        </text>
                        if let Some(nsg) = &band.nsg {
                            <g class="nsg-badge" data-select={format!("nsg:{nsg}")}>
                                <title>{format!("Network security group {nsg}")}</title>
                                <image href="icons/nsg.svg" x={badge_x.to_string()} y={(b.y + 4.0).to_string()} width="16" height="16" />
                            </g>
                        }
                    </g>
                }
            }) }
            <circle class="handle" cx={(r.right() - 14.0).to_string()} cy={(r.y + 24.0).to_string()} r="7"
                data-handle={select} data-testid={format!("handle-{}", vnet.name)}>
                <title>{"Drag to another VNet to peer, to a vWAN hub or a site to connect"}</title>
            </circle>
        </g>
    }
}

fn edge_view(edge: &EdgeView, selected: bool) -> Html {
    let (class, key) = edge_key(edge);
    // A hub connection and a site connection may share a name; list keys must not.
    let list_key = format!("{class}:{}", edge.name);
    let half = matches!(edge.kind, EdgeKind::PeeringLink(state) if state != PeeringState::Connected);
    let (x1, y1, x2, y2) =
        (edge.from.0.to_string(), edge.from.1.to_string(), edge.to.0.to_string(), edge.to.1.to_string());
    html! {
        <g key={list_key} class={classes!("edge", class, selected.then_some("selected"))}
            data-testid={format!("edge-{}", edge.name)} data-select={key.clone()}>
            <title>{edge.name.clone()}</title>
            <line class="edge-hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="edge-line" {x1} {y1} x2={x2.clone()} y2={y2.clone()} />
            if half {
                <circle class="edge-end" cx={x2} cy={y2} r="4" />
            }
        </g>
    }
}

fn status_glyph(status: Status) -> &'static str {
    match status {
        Status::Reachable => "✓",
        Status::Blocked => "✕",
        Status::Unhealthy => "!",
    }
}

fn node_view(node: &NodeView, status: Option<Status>, selected: bool) -> Html {
    let slug = node.kind.slug();
    let r = node.rect;
    let select = format!("{slug}:{}", node.name);
    let class = classes!("node", slug, selected.then_some("selected"), status.map(Status::class));
    let title = match status {
        Some(status) => format!("{} — {} ({})", node.name, node.detail, status.label()),
        None => format!("{} — {}", node.name, node.detail),
    };
    if node.kind.is_container() {
        let max_chars = ((r.w - 56.0) / 9.2).max(8.0) as usize;
        // The box is sized to its second line (see view::layout), at about 6.6 units a character.
        let detail_chars = ((r.w - 56.0) / 6.6).max(12.0) as usize;
        let handle = (node.kind == NodeKind::VirtualHub).then(|| {
            html! {
                <circle class="handle" cx={(r.right() - 14.0).to_string()} cy={(r.y + 24.0).to_string()} r="7"
                    data-handle={select.clone()} data-testid={format!("handle-{}", node.name)}>
                    <title>{"Drag to a VNet to connect it to this hub"}</title>
                </circle>
            }
        });
        return html! {
            <g key={select.clone()} {class} data-testid={format!("node-{}", node.name)} data-select={select}>
                <title>{title}</title>
                <rect class="container-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="12" />
                <image href={format!("icons/{slug}.svg")} x={(r.x + 12.0).to_string()} y={(r.y + 11.0).to_string()} width="26" height="26" />
                <text class="vnet-name" x={(r.x + 46.0).to_string()} y={(r.y + 22.0).to_string()}>{ellipsize(&node.name, max_chars)}</text>
                <text class="vnet-detail" x={(r.x + 46.0).to_string()} y={(r.y + 38.0).to_string()}>{ellipsize(&node.detail, detail_chars)}</text>
                { for handle }
            </g>
        };
    }
    // Absolute coordinates, no transform per card: each transform is a node of the
    // browser's paint property tree, and thousands of them made every frame of a drag
    // (and every repaint after an edit) re-layerize the whole canvas.
    let at = |dx: f64| (r.x + dx).to_string();
    let down = |dy: f64| (r.y + dy).to_string();
    html! {
        <g key={select.clone()} {class} data-testid={format!("node-{}", node.name)} data-select={select}>
            <title>{title}</title>
            <rect class="card" x={at(0.0)} y={down(0.0)} width={r.w.to_string()} height={r.h.to_string()} rx="7" />
            // The coloured edge only when there is a status to colour it (it is invisible
            // otherwise, and every element counts when 1,500 cards are drawn).
            if status.is_some() {
                <rect class="status-bar" x={at(0.0)} y={down(0.0)} width="5" height={r.h.to_string()} rx="2" />
            }
            <image href={format!("icons/{slug}.svg")} x={at(11.0)} y={down(9.0)} width="24" height="24" />
            // What fits between the icon and the card's edge: 16 characters of the 12.5 px
            // name, 20 of the 11 px detail ("Windows · 10.112.0.4").
            <text class="card-name" x={at(42.0)} y={down(18.0)}>{ellipsize(&node.name, 16)}</text>
            <text class="card-detail" x={at(42.0)} y={down(33.0)}>{ellipsize(&node.detail, 20)}</text>
            if let Some(status) = status {
                // A badge on the icon's corner, clear of the name and the detail: the colour
                // says it, the glyph says it without colour.
                <g class="status-badge">
                    <circle cx={at(33.0)} cy={down(31.0)} r="7" />
                    <text x={at(33.0)} y={down(34.5)} text-anchor="middle">{status_glyph(status)}</text>
                </g>
            }
        </g>
    }
}
