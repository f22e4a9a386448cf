//! The page, as yew components (wasm32 only): top bar, palette, canvas, inspector and
//! findings around one reducer that holds the design, its analysis and the view state.
//!
//! The analysis is recomputed from the design whenever the design changes, never patched;
//! the components only draw `view::Scene` and read `Analysis`.

mod canvas;
mod chrome;
mod findings;
mod inspector;

use crate::engine::{analyze, explain, Analysis, Target};
use crate::model::Design;
use crate::scenarios;
use crate::view::{self, layout, NodeKind, Scene, Selection, Status, Viewport};
use std::rc::Rc;
use yew::prelude::*;

/// The scenario and selection named in the page's address (`?scenario=NAME&select=KIND:NAME`),
/// so a link can open a given scenario with a resource selected.
fn from_address() -> (String, Selection) {
    let search = web_sys::window().and_then(|it| it.location().search().ok()).unwrap_or_default();
    let mut scenario = scenarios::DEFAULT.to_string();
    let mut selection = Selection::None;
    for pair in search.trim_start_matches('?').split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let value = js_sys::decode_uri_component(value).map(String::from).unwrap_or_else(|_| value.to_string());
        match key {
            "scenario" if scenarios::by_name(&value).is_some() => scenario = value,
            "select" => selection = Selection::from_key(&value),
            _ => (),
        }
    }
    (scenario, selection)
}

/// Mounts the page on `<body>`.
pub fn run() {
    yew::Renderer::<App>::new().render();
}

/// An `Rc` compared by pointer, so a prop holding the design or its analysis costs one
/// pointer comparison per render instead of a deep one.
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }
}
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}
impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the canvas paints over the scene for the current selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    pub selection: Selection,
    /// Status of each card by name: targets seen from the selected Bastion, or Bastions
    /// seen from the selected VM.
    pub statuses: Vec<(String, Status)>,
    /// The path of the focused verdict, and how it ends.
    pub path: Vec<(f64, f64)>,
    pub path_status: Option<Status>,
}

impl Overlay {
    pub fn status_of(&self, name: &str) -> Option<Status> {
        self.statuses.iter().find(|it| it.0 == name).map(|it| it.1)
    }
}

/// The page's whole state. Everything derived (analysis, scene, overlay) is rebuilt from
/// the design and the selection by `reduce`.
#[derive(Clone)]
pub struct State {
    pub scenario: String,
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    pub scene: Shared<Scene>,
    pub overlay: Shared<Overlay>,
    pub viewport: Viewport,
    /// Bumped when the view should be fitted again (a new design).
    pub fit_generation: u32,
    /// The canvas's size on screen, as last measured (to bring a selection into view).
    pub canvas_size: (f64, f64),
}

pub enum Action {
    LoadScenario(String),
    Select(Selection),
    Pan(f64, f64),
    Zoom { factor: f64, x: f64, y: f64 },
    Fit { width: f64, height: f64 },
}

impl State {
    pub fn open(scenario: &str) -> State {
        let design = scenarios::by_name(scenario).map(|it| (it.build)()).unwrap_or_default();
        let analysis = Shared::new(analyze(&design));
        let scene = Shared::new(layout(&design));
        let design = Shared::new(design);
        State {
            scenario: scenario.to_string(),
            design,
            analysis,
            scene,
            overlay: Shared::new(Overlay::default()),
            viewport: Viewport::default(),
            fit_generation: 0,
            canvas_size: (0.0, 0.0),
        }
    }

    fn overlay_for(&self, selection: Selection) -> Overlay {
        let design = &*self.design;
        let analysis = &*self.analysis;
        let mut overlay = Overlay { selection: selection.clone(), ..Overlay::default() };
        match &selection {
            Selection::Bastion(name) => {
                if let Some(idx) = design.bastions.iter().position(|it| &it.name == name) {
                    overlay.statuses = view::bastion_overlay(design, analysis, idx);
                }
            }
            Selection::Vm { vm, bastion } => {
                if let Some(vm_idx) = design.vms.iter().position(|it| &it.name == vm) {
                    self.target_overlay(&mut overlay, Target::Vm(vm_idx), NodeKind::Vm, bastion.as_deref());
                }
            }
            Selection::Machine(name) => {
                if let Some(idx) = design.onprem_machines.iter().position(|it| &it.name == name) {
                    self.target_overlay(&mut overlay, Target::Machine(idx), NodeKind::Machine, None);
                }
            }
            _ => (),
        }
        overlay
    }

    /// Bastions coloured by their verdict for one target, and the path of the focused
    /// one (the named Bastion, else the first that reaches it, else the first).
    fn target_overlay(&self, overlay: &mut Overlay, target: Target, kind: NodeKind, focus: Option<&str>) {
        let design = &*self.design;
        let analysis = &*self.analysis;
        let n_bastions = design.bastions.len().min(analysis.reach.len());
        overlay.statuses = (0..n_bastions)
            .map(|b| (design.bastions[b].name.clone(), view::pair_status(analysis, b, target)))
            .collect();
        let focused = focus
            .and_then(|name| design.bastions.iter().position(|it| it.name == name))
            .or_else(|| overlay.statuses.iter().position(|it| it.1 == Status::Reachable))
            .or(if n_bastions > 0 { Some(0) } else { None });
        if let Some(b) = focused.filter(|&b| b < n_bastions) {
            let explanation = explain(design, b, target);
            overlay.path = view::path_points(&self.scene, &explanation, kind);
            overlay.path_status = Some(view::pair_status(analysis, b, target));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::LoadScenario(name) => {
                if name == self.scenario {
                    return self;
                }
                let mut next = State::open(&name);
                next.fit_generation = self.fit_generation + 1;
                next.canvas_size = self.canvas_size;
                Rc::new(next)
            }
            Action::Select(selection) => {
                if selection == self.overlay.selection {
                    return self;
                }
                let (width, height) = self.canvas_size;
                let viewport = match self.scene.rect_of(&selection) {
                    Some(rect) => self.viewport.reveal(rect, width, height),
                    None => self.viewport,
                };
                let overlay = Shared::new(self.overlay_for(selection));
                Rc::new(State { overlay, viewport, ..(*self).clone() })
            }
            Action::Pan(dx, dy) => {
                if dx == 0.0 && dy == 0.0 {
                    return self;
                }
                Rc::new(State { viewport: self.viewport.pan(dx, dy), ..(*self).clone() })
            }
            Action::Zoom { factor, x, y } => {
                let viewport = self.viewport.zoom_at(factor, x, y);
                if viewport == self.viewport {
                    return self;
                }
                Rc::new(State { viewport, ..(*self).clone() })
            }
            Action::Fit { width, height } => {
                let viewport = Viewport::fit(self.scene.bounds, width, height);
                if viewport == self.viewport && self.canvas_size == (width, height) {
                    return self;
                }
                Rc::new(State { viewport, canvas_size: (width, height), ..(*self).clone() })
            }
        }
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let (scenario, selection) = from_address();
        let state = State::open(&scenario);
        let overlay = Shared::new(state.overlay_for(selection));
        State { overlay, ..state }
    });
    let dispatch = {
        let dispatcher = state.dispatcher();
        use_callback(dispatcher, |action: Action, dispatcher| dispatcher.dispatch(action))
    };
    let select = {
        let dispatcher = state.dispatcher();
        use_callback(dispatcher, |selection: Selection, dispatcher| dispatcher.dispatch(Action::Select(selection)))
    };
    html! {
        <div class="app">
            <chrome::TopBar scenario={state.scenario.clone()} dispatch={dispatch.clone()} />
            <chrome::Palette design={state.design.clone()} selection={state.overlay.selection.clone()} select={select.clone()} />
            <main class="centre">
                <canvas::Canvas
                    scene={state.scene.clone()}
                    overlay={state.overlay.clone()}
                    viewport={state.viewport}
                    fit_generation={state.fit_generation}
                    dispatch={dispatch.clone()}
                />
                <findings::Findings design={state.design.clone()} analysis={state.analysis.clone()} select={select.clone()} />
            </main>
            <inspector::Inspector
                design={state.design.clone()}
                analysis={state.analysis.clone()}
                selection={state.overlay.selection.clone()}
                select={select}
            />
        </div>
    }
}
