//! The page, as yew components (wasm32 only): top bar, palette, canvas, inspector and
//! findings around one reducer that holds the design, its analysis and the view state.
//!
//! The analysis is recomputed from the design whenever the design changes, never patched:
//! the verdicts before the edit's frame is painted, the rest just after (`Action::Complete`);
//! the components only draw `view::Scene` and read `Analysis`.

pub mod browser;
mod canvas;
mod chrome;
mod compare;
mod connect;
mod cost_panel;
mod exercise;
mod export;
mod findings;
mod inspector;
mod keyboard;
mod later;
mod nsg_panel;
mod options_panel;
mod planner;
mod principals;
mod properties;
mod rules_ref;
mod sku_panel;
mod timing;

use crate::edit::snapshot::Snapshots;
use crate::edit::{Command, Editor, Key};
use crate::engine::{analyze, analyze_verdicts, complete, diff::AnalysisDiff, explain, Analysis, Target};
use crate::io::share;
use crate::model::Point;
use crate::model::{load_design, save_design, Design, DesignFile, Layout};
use crate::scenarios;
use crate::view::{self, NodeKind, Scene, Selection, Status, Viewport};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// What the page's address asks for: a scenario (`?scenario=NAME`) or an exercise
/// (`?exercise=NAME`), a selection
/// (`&select=KIND:NAME`), and a shared design in the fragment (`#design=v1.…`).
struct Address {
    scenario: Option<String>,
    selection: Selection,
    fragment: Option<String>,
}

fn from_address() -> Address {
    let search = browser::location_search();
    let mut address = Address { scenario: None, selection: Selection::None, fragment: None };
    for pair in search.trim_start_matches('?').split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let value = js_sys::decode_uri_component(value).map(String::from).unwrap_or_else(|_| value.to_string());
        match key {
            "scenario" | "exercise"
                if scenarios::by_name(&value).is_some()
                    || scenarios::exercises::by_name(&value).is_some()
                    || synthetic_estate(&value).is_some() =>
            {
                address.scenario = Some(value)
            }
            "select" => address.selection = Selection::from_key(&value),
            _ => (),
        }
    }
    let hash = browser::location_hash();
    if hash.starts_with("#design=") {
        address.fragment = Some(hash);
    }
    address
}

/// The lines folded under a notice: at most `NOTICE_DETAILS` of them (an import of a large
/// estate can skip 10⁴ items; the command-line tool lists them all).
fn notice_details(lines: &[String]) -> Html {
    const NOTICE_DETAILS: usize = 300;
    if lines.is_empty() {
        return Html::default();
    }
    let more = lines.len().saturating_sub(NOTICE_DETAILS);
    html! {
        <details class="notice-details" data-testid="notice-details">
            <summary>{format!("Show the {} item(s)", lines.len())}</summary>
            <ul>
                { for lines.iter().take(NOTICE_DETAILS).map(|line| html! { <li>{line.clone()}</li> }) }
                if more > 0 {
                    <li class="muted">{format!("… and {more} more: `bastion-sim import` lists every one.")}</li>
                }
            </ul>
        </details>
    }
}

/// The page's first state: a share link's design, else the scenario the address names,
/// else the autosaved design, else the default scenario. A link or autosave that cannot
/// be read falls back and says why.
fn initial_state() -> State {
    let address = from_address();
    let mut problem = None;
    let mut state = None;
    if let Some(fragment) = &address.fragment {
        match share::decode_fragment(fragment) {
            Ok(file) => {
                let mut opened = State::with_file(file);
                opened.notice = Some(Notice {
                    error: false,
                    text: "Opened the design of a share link.".into(),
                    serial: 0,
                    details: Vec::new(),
                });
                state = Some(opened);
            }
            Err(err) => problem = Some(format!("Could not open the share link: {err}")),
        }
        // A reload should restore the person's work (autosaved), not the link again.
        browser::clear_hash();
    }
    if state.is_none() {
        if let Some(name) = &address.scenario {
            state = Some(State::open(name));
        }
    }
    if state.is_none() {
        if let Some(text) = browser::storage_get(AUTOSAVE_KEY) {
            match load_design(&text) {
                Ok(file) => {
                    let mut restored = State::with_file(file);
                    restored.scenario = browser::storage_get(AUTOSAVE_SCENARIO_KEY).unwrap_or_default();
                    state = Some(restored);
                }
                Err(err) => {
                    problem = Some(format!(
                        "The autosaved design could not be restored ({err}); opened the default scenario."
                    ))
                }
            }
        }
    }
    let mut state = state.unwrap_or_else(|| State::open(scenarios::DEFAULT));
    if let Some(text) = problem {
        state = state.with_notice(true, text);
    }
    let overlay = Shared::new(state.overlay_for(address.selection));
    State { overlay, ..state }
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
    /// Compare mode: what changed since the baseline, where the canvas marks it.
    pub diff_marks: Vec<view::compare::DiffMark>,
}

impl Overlay {
    pub fn status_of(&self, name: &str) -> Option<Status> {
        self.statuses.iter().find(|it| it.0 == name).map(|it| it.1)
    }
}

/// A message over the canvas: an error (bad import, refused edit) or a note (what a
/// delete took with it). Each carries a serial so the same text twice still shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
    pub serial: u64,
    /// Lines behind the text, folded under it (an import's skipped items, each with its
    /// path and reason, as `bastion-sim import` lists them).
    pub details: Vec<String>,
}

/// Where the page keeps the autosaved design (and which scenario it started from).
pub const AUTOSAVE_KEY: &str = "bastion-sim/autosave";
pub const AUTOSAVE_SCENARIO_KEY: &str = "bastion-sim/autosave-scenario";

/// The page's whole state. Everything derived (analysis, scene, overlay) is rebuilt from
/// the design and the selection by `reduce`; the design changes only through the editor.
#[derive(Clone)]
pub struct State {
    /// The built-in scenario or exercise the design started from ("" for an imported or new
    /// design).
    pub scenario: String,
    /// The design file and its undo history. Only `reduce` mutates it, through commands.
    pub editor: Rc<RefCell<Editor>>,
    /// Where `design` comes from: read-only copies of the editor's design, brought up to
    /// date by replaying each step's ops rather than cloned per edit.
    snapshots: Rc<RefCell<Snapshots>>,
    /// Bumped on every change of the design or its layout (drives autosave).
    pub revision: u64,
    pub design: Shared<Design>,
    /// What the people panel reads of the design (kept while edits leave it unchanged).
    pub people: Shared<principals::People>,
    pub layout: Shared<Layout>,
    /// The design's analysis. After an edit, only its first stage (`analyze_verdicts`: each
    /// Bastion's health and reach, what the canvas and the selection's verdicts show) until
    /// `Action::Complete`, dispatched once that frame is painted, adds the rest.
    pub analysis: Shared<Analysis>,
    /// The latest complete analysis and the design it is of (the same as `design` and
    /// `analysis` once the analysis is complete): the findings, SKU, RBAC and cost panels
    /// show it, so they keep their content, one edit behind, for the frame in between.
    pub settled_design: Shared<Design>,
    pub settled: Shared<Analysis>,
    /// The analyses of the last few states of the editor (`Editor::state`), oldest first: an
    /// undo or redo that returns to one shows its verdicts without analyzing again (the
    /// editor's design is then exactly what was analyzed).
    recent: Rc<RefCell<Vec<(u64, Shared<Analysis>)>>>,
    pub scene: Shared<Scene>,
    /// The automatic positions a big design keeps across edits (`view::kept_positions`).
    pub kept: Shared<BTreeMap<String, Point>>,
    pub overlay: Shared<Overlay>,
    /// Further selected resources (shift-click, rubber band, Ctrl+A), beside the primary
    /// selection in `overlay.selection`.
    pub also_selected: Shared<Vec<Selection>>,
    pub viewport: Viewport,
    /// Bumped when the view should be fitted again (a new design).
    pub fit_generation: u32,
    /// The canvas's size on screen, as last measured (to bring a selection into view).
    pub canvas_size: (f64, f64),
    pub can_undo: bool,
    pub can_redo: bool,
    pub notice: Option<Notice>,
    /// The design marked as the baseline of compare mode, with its analysis.
    pub baseline: Option<(Shared<Design>, Shared<Analysis>)>,
    /// While comparing: the baseline against the design, recomputed when the design changes.
    pub diff: Option<Shared<AnalysisDiff>>,
}

pub enum Action {
    LoadScenario(String),
    /// Replace the design with a file (import, share link, autosave, new design); the
    /// string names where it came from, for the notice.
    LoadFile {
        file: DesignFile,
        origin: String,
        /// Lines folded under the notice (`Notice::details`).
        details: Vec<String>,
    },
    /// One edit, one undo step.
    Edit(Command),
    Undo,
    Redo,
    /// Show an error (true) or a note over the canvas.
    Notify {
        error: bool,
        text: String,
    },
    DismissNotice,
    Select(Selection),
    /// A multi-selection: the first is the primary one.
    SelectMany(Vec<Selection>),
    /// Delete the primary and further selections, explaining what went with them.
    DeleteSelection,
    SetBaseline(bool),
    /// Complete the analysis of the editor state named (dispatched after the paint of an
    /// edit whose analysis has its first stage only).
    Complete(u64),
    Pan(f64, f64),
    Zoom {
        factor: f64,
        x: f64,
        y: f64,
    },
    Fit {
        width: f64,
        height: f64,
    },
}

/// The scene of a design file: the automatic layout, with the positions the person chose.
pub fn scene_of(design: &Design, layout: &Layout) -> Scene {
    view::layout_with(design, &layout.positions)
}

/// The positions a scene is drawn with: the person's, over the automatic ones a big design
/// keeps (`view::kept_positions`).
fn drawn_positions(kept: &BTreeMap<String, Point>, layout: &Layout) -> BTreeMap<String, Point> {
    if kept.is_empty() {
        return layout.positions.clone();
    }
    let mut positions = kept.clone();
    positions.extend(layout.positions.iter().map(|(key, point)| (key.clone(), *point)));
    positions
}

/// A synthetic estate the address can open (`?scenario=synthetic:enterprise` or
/// `synthetic:small`) to measure the editor at scale; not in the scenario picker.
fn synthetic_estate(name: &str) -> Option<Design> {
    use scenarios::synthetic::{generate, EstateParams};
    match name {
        "synthetic:enterprise" => Some(generate(&EstateParams::enterprise())),
        "synthetic:small" => Some(generate(&EstateParams::small())),
        _ => None,
    }
}

/// How many recent states keep their analysis (an enterprise estate's is a few MB).
const RECENT_ANALYSES: usize = 4;

/// Records the analysis of an editor state as the newest of the recent ones; returns the one
/// that no longer fits, for the caller to free after the paint.
fn remember(
    recent: &mut Vec<(u64, Shared<Analysis>)>,
    state: u64,
    analysis: &Shared<Analysis>,
) -> Option<Shared<Analysis>> {
    recent.retain(|it| it.0 != state);
    recent.push((state, analysis.clone()));
    (recent.len() > RECENT_ANALYSES).then(|| recent.remove(0).1)
}

impl State {
    pub fn open(scenario: &str) -> State {
        let design = scenarios::by_name(scenario)
            .map(|it| (it.build)())
            .or_else(|| scenarios::exercises::by_name(scenario).map(|it| it.start()))
            .or_else(|| synthetic_estate(scenario))
            .unwrap_or_default();
        let mut state = State::with_file(DesignFile { design, layout: Layout::default() });
        state.scenario = scenario.to_string();
        state
    }

    pub fn with_file(file: DesignFile) -> State {
        let analysis = Shared::new(analyze(&file.design));
        let scene = scene_of(&file.design, &file.layout);
        let kept = Shared::new(view::kept_positions(&BTreeMap::new(), &scene));
        let scene = Shared::new(scene);
        let snapshots = Snapshots::new(file.design.clone());
        let design = Shared(snapshots.current());
        let layout = Shared::new(file.layout.clone());
        let people = Shared::new(principals::People::of(&design));
        let editor = Editor::new(file);
        let recent = Rc::new(RefCell::new(vec![(editor.state(), analysis.clone())]));
        State {
            people,
            recent,
            scenario: String::new(),
            editor: Rc::new(RefCell::new(editor)),
            snapshots: Rc::new(RefCell::new(snapshots)),
            revision: 0,
            settled_design: design.clone(),
            settled: analysis.clone(),
            design,
            layout,
            analysis,
            scene,
            kept,
            overlay: Shared::new(Overlay::default()),
            also_selected: Shared::new(Vec::new()),
            viewport: Viewport::default(),
            fit_generation: 0,
            canvas_size: (0.0, 0.0),
            can_undo: false,
            can_redo: false,
            notice: None,
            baseline: None,
            diff: None,
        }
    }

    /// The state after the editor's file changed: the analysis and the scene are rebuilt,
    /// the selection kept while it still names a resource.
    fn refreshed(&self) -> State {
        let editor = self.editor.borrow();
        let file = &editor.file;
        // The step's ops say what changed: no comparison of whole designs.
        let changes = editor.last_changes();
        let design_changed = changes.design();
        timing::mark("edit:compare");
        let (design, analysis) = if design_changed {
            let design = Shared(self.snapshots.borrow_mut().advance(editor.last_ops(), &file.design));
            timing::mark("edit:clone");
            let known = self.recent.borrow().iter().find(|it| it.0 == editor.state()).map(|it| it.1.clone());
            // The verdicts first; the rest after the paint (`Action::Complete`).
            let analysis = known.unwrap_or_else(|| Shared::new(analyze_verdicts(&file.design)));
            timing::mark("edit:analysis");
            (design, analysis)
        } else {
            (self.design.clone(), self.analysis.clone())
        };
        let evicted = remember(&mut self.recent.borrow_mut(), editor.state(), &analysis);
        let people = if principals::People::READS.iter().any(|it| changes.touches(*it)) {
            Shared::new(principals::People::of(&design))
        } else {
            self.people.clone()
        };
        timing::mark("edit:people");
        let layout = if changes.layout() { Shared::new(file.layout.clone()) } else { self.layout.clone() };
        // Boxes whose contents the edit left alone are kept (shifted if moved); only the
        // lines are drawn again. Anything else lays the design out again.
        let contents_changed = view::BOX_CONTENT.iter().any(|it| changes.touches(*it));
        let scene = view::relayout(&self.scene, &design, &drawn_positions(&self.kept, &layout), contents_changed);
        // Most edits add no box: the kept positions then stay the same map.
        let kept = if scene.spans.iter().all(|it| it.key.is_empty() || self.kept.contains_key(&it.key)) {
            self.kept.clone()
        } else {
            Shared::new(view::kept_positions(&self.kept, &scene))
        };
        let scene = Shared::new(scene);
        timing::mark("edit:scene");
        let mut next = State {
            design,
            people,
            layout,
            analysis,
            scene,
            kept,
            revision: self.revision + 1,
            can_undo: editor.can_undo(),
            can_redo: editor.can_redo(),
            ..self.clone()
        };
        drop(editor);
        if next.analysis.is_complete() {
            next.settled_design = next.design.clone();
            next.settled = next.analysis.clone();
        }
        // A move changes the layout only: the diff stays, its marks follow the new scene. An
        // incomplete analysis keeps the last diff until it completes.
        if design_changed && next.analysis.is_complete() {
            next.diff = next.compared();
        }
        timing::mark("edit:diff");
        let keep = |selection: &Selection| selection.key(&next.design).is_some();
        let selection = Some(self.overlay.selection.clone()).filter(keep).unwrap_or_default();
        next.also_selected = Shared::new(self.also_selected.iter().filter(|it| keep(it)).cloned().collect());
        next.overlay = Shared::new(next.overlay_for(selection));
        timing::mark("edit:overlay");
        // The components still hold the old analysis and scene until they render the new
        // ones; the last of those references is then freed after the paint, not during it.
        later::drop_after_paint((self.analysis.clone(), self.scene.clone(), self.overlay.clone(), evicted));
        next
    }

    /// The state with its analysis completed (`engine::complete`): SKU advice, RBAC, cost
    /// and findings added to the verdicts the edit painted. `state` names the editor state
    /// it was asked for; the state is returned unchanged when the editor has moved on since
    /// (the next edit completes its own) or the analysis is complete already.
    fn completed(&self, state: u64) -> Option<State> {
        if self.analysis.is_complete() || self.editor.borrow().state() != state {
            return None;
        }
        timing::mark("complete:start");
        let analysis = Shared::new(complete(&self.design, &self.analysis));
        let evicted = remember(&mut self.recent.borrow_mut(), state, &analysis);
        let mut next =
            State { settled_design: self.design.clone(), settled: analysis.clone(), analysis, ..self.clone() };
        if next.baseline.is_some() {
            next.diff = next.compared();
            next.overlay = Shared::new(next.overlay_for(next.overlay.selection.clone()));
        }
        timing::mark("complete:analysis");
        timing::mark_after_render("render:later");
        later::drop_after_paint((self.analysis.clone(), self.settled.clone(), evicted));
        Some(next)
    }

    /// The difference from the baseline to the design, when comparing.
    fn compared(&self) -> Option<Shared<AnalysisDiff>> {
        let (design, analysis) = self.baseline.as_ref()?;
        Some(Shared::new(crate::engine::diff((design, analysis), (&self.design, &self.analysis))))
    }

    fn with_notice(mut self, error: bool, text: String) -> State {
        let serial = self.notice.as_ref().map(|it| it.serial + 1).unwrap_or(0);
        self.notice = Some(Notice { error, text, serial, details: Vec::new() });
        self
    }

    /// Every selected resource, the primary one first.
    pub fn selected(&self) -> Vec<Selection> {
        let mut all = vec![self.overlay.selection.clone()];
        all.extend(self.also_selected.iter().cloned());
        all.retain(|it| *it != Selection::None);
        all
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
        if let (Some((baseline, _)), Some(diff)) = (&self.baseline, &self.diff) {
            overlay.diff_marks = view::compare::diff_marks(&self.scene, baseline, diff);
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
                if name == self.scenario && !self.can_undo {
                    return self;
                }
                let mut next = State::open(&name);
                next.fit_generation = self.fit_generation + 1;
                next.canvas_size = self.canvas_size;
                next.revision = self.revision + 1;
                Rc::new(next)
            }
            Action::LoadFile { file, origin, details } => {
                let mut next = State::with_file(file);
                next.fit_generation = self.fit_generation + 1;
                next.canvas_size = self.canvas_size;
                next.revision = self.revision + 1;
                let mut next = if origin.is_empty() { next } else { next.with_notice(false, origin) };
                if let Some(notice) = next.notice.as_mut() {
                    notice.details = details;
                }
                Rc::new(next)
            }
            Action::Edit(command) => {
                timing::mark("edit:start");
                // A renamed selection stays selected under its new name.
                let follow = properties::renamed_selection(&self.overlay.selection, &self.design, &command);
                let result = self.editor.borrow_mut().apply(&command);
                timing::mark("edit:command");
                match result {
                    Ok(()) => {
                        let mut next = State { notice: None, ..self.refreshed() };
                        if let Some(selection) = follow {
                            next.overlay = Shared::new(next.overlay_for(selection));
                        }
                        Rc::new(next)
                    }
                    Err(err) => Rc::new((*self).clone().with_notice(true, format!("That edit was not applied: {err}"))),
                }
            }
            Action::Undo | Action::Redo => {
                timing::mark("edit:start");
                let done = match action {
                    Action::Undo => self.editor.borrow_mut().undo(),
                    _ => self.editor.borrow_mut().redo(),
                };
                timing::mark("edit:command");
                if !done {
                    return self;
                }
                Rc::new(State { notice: None, ..self.refreshed() })
            }
            Action::Notify { error, text } => Rc::new((*self).clone().with_notice(error, text)),
            Action::DismissNotice => {
                if self.notice.is_none() {
                    return self;
                }
                Rc::new(State { notice: None, ..(*self).clone() })
            }
            Action::Select(selection) => {
                if selection == self.overlay.selection && self.also_selected.is_empty() {
                    return self;
                }
                let (width, height) = self.canvas_size;
                let viewport = match self.scene.rect_of(&selection) {
                    Some(rect) => self.viewport.reveal(rect, width, height),
                    None => self.viewport,
                };
                let overlay = Shared::new(self.overlay_for(selection));
                Rc::new(State { overlay, viewport, also_selected: Shared::new(Vec::new()), ..(*self).clone() })
            }
            Action::SelectMany(mut selections) => {
                selections.dedup();
                let primary = if selections.is_empty() { Selection::None } else { selections.remove(0) };
                let overlay = Shared::new(self.overlay_for(primary));
                Rc::new(State { overlay, also_selected: Shared::new(selections), ..(*self).clone() })
            }
            Action::DeleteSelection => {
                timing::mark("edit:start");
                let design = &*self.design;
                let mut keys: Vec<Key> = self.selected().iter().filter_map(|it| it.key(design)).collect();
                crate::util::sort(&mut keys);
                keys.dedup();
                if keys.is_empty() {
                    return self;
                }
                // Planned once: the same ops say what goes with the selection.
                let result = self.editor.borrow_mut().delete(&keys);
                let explained = match result {
                    Ok(removed) => removed,
                    Err(err) => {
                        return Rc::new((*self).clone().with_notice(true, format!("Nothing was deleted: {err}")))
                    }
                };
                timing::mark("edit:command");
                let mut next = self.refreshed();
                // Nothing stays selected; the compare marks stay.
                next.overlay = Shared::new(next.overlay_for(Selection::None));
                next.also_selected = Shared::new(Vec::new());
                let text = format!("Deleted {} (Ctrl+Z to undo).", explained.join(", "));
                Rc::new(next.with_notice(false, text))
            }
            Action::Complete(state) => match self.completed(state) {
                Some(next) => Rc::new(next),
                None => self,
            },
            Action::SetBaseline(on) => {
                // The baseline is compared in full: an analysis still in its first stage is
                // completed now.
                let this = if on { self.completed(self.editor.borrow().state()).map(Rc::new) } else { None };
                let this = this.as_ref().unwrap_or(&self);
                let baseline = on.then(|| (this.design.clone(), this.analysis.clone()));
                let mut next = State { baseline, diff: None, ..(**this).clone() };
                next.diff = next.compared();
                next.overlay = Shared::new(next.overlay_for(self.overlay.selection.clone()));
                Rc::new(next)
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
                // The exercise panel holds the canvas's top-left corner: fit beside it.
                let panel =
                    exercise::exercise_of(&self.scenario, &self.settled_design).map_or(0.0, |_| exercise::PANEL_WIDTH);
                let viewport = Viewport::fit_beside(self.scene.bounds, width, height, panel);
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
    timing::mark("render:app");
    timing::mark_after_render("render:committed");
    let state = use_reducer(initial_state);
    let dispatch = {
        let dispatcher = state.dispatcher();
        use_callback(dispatcher, |action: Action, dispatcher| dispatcher.dispatch(action))
    };
    let select = {
        let dispatcher = state.dispatcher();
        use_callback(dispatcher, |selection: Selection, dispatcher| dispatcher.dispatch(Action::Select(selection)))
    };

    // Autosave: a moment after the last change and when the browser is idle, so a burst of
    // edits writes once and no edit waits for it; whatever is still pending is written when
    // the page is left. A design too large for local storage (an estate) is not serialized
    // at all: the page says so once, and the person exports it instead.
    let pending: Rc<RefCell<Option<browser::Timeout>>> = use_mut_ref(|| None);
    let unsaved: Rc<RefCell<Option<Rc<dyn Fn()>>>> = use_mut_ref(|| None);
    let told_too_large: Rc<RefCell<usize>> = use_mut_ref(|| 0);
    {
        let unsaved = unsaved.clone();
        use_effect_with((), move |_| {
            browser::on_leave(move || {
                let save = unsaved.borrow_mut().take();
                if let Some(save) = save {
                    save();
                }
            });
        });
    }
    {
        let editor = state.editor.clone();
        let scenario = state.scenario.clone();
        let dispatch = dispatch.clone();
        let design = state.design.clone();
        use_effect_with(state.revision, move |revision| {
            if *revision > 0 {
                if let Some(timer) = pending.borrow_mut().take() {
                    timer.cancel();
                }
                if !view::autosave::autosaves(&design) {
                    unsaved.borrow_mut().take();
                    // Once per opened design (its editor), not on every edit.
                    let id = Rc::as_ptr(&editor) as usize;
                    if *told_too_large.borrow() != id {
                        *told_too_large.borrow_mut() = id;
                        let megabytes = view::autosave::estimated_file_bytes(&design) as f64 / 1e6;
                        dispatch.emit(Action::Notify {
                            error: false,
                            text: format!("This design is too large to autosave in the browser (about {megabytes:.0} MB). Export it to keep your changes."),
                        });
                    }
                    return;
                }
                let save: Rc<dyn Fn()> = Rc::new(move || {
                    timing::mark("autosave:start");
                    let text = {
                        let editor = editor.borrow();
                        save_design(&editor.file.design, &editor.file.layout)
                    };
                    let saved = browser::storage_set(AUTOSAVE_KEY, &text);
                    browser::storage_set(AUTOSAVE_SCENARIO_KEY, &scenario);
                    timing::mark("autosave:end");
                    if !saved {
                        dispatch.emit(Action::Notify {
                            error: true,
                            text: "Autosave failed: the browser refused to store the design (private mode or full storage). Export it to keep it.".into(),
                        });
                    }
                });
                *unsaved.borrow_mut() = Some(save);
                let unsaved = unsaved.clone();
                let timer = browser::set_timeout(300, move || {
                    browser::when_idle(2_000, move || {
                        let save = unsaved.borrow_mut().take();
                        if let Some(save) = save {
                            save();
                        }
                    })
                });
                *pending.borrow_mut() = timer;
            }
        });
    }

    // When the browser is idle after a design opens, the second copy of the design the
    // components read is made (`Snapshots::prepare_spare`): the first edit then replays its
    // ops instead of cloning the design while the person waits (9 ms on an estate).
    {
        let snapshots = state.snapshots.clone();
        use_effect_with(Shared(snapshots), |snapshots| {
            let snapshots = snapshots.0.clone();
            browser::when_idle(2_000, move || snapshots.borrow_mut().prepare_spare());
        });
    }

    // An edit's analysis has its first stage only (the verdicts): once that frame is
    // painted, complete it for the panels (`Action::Complete`).
    {
        let dispatch = dispatch.clone();
        let state_id = state.editor.borrow().state();
        use_effect_with(state.analysis.clone(), move |analysis| {
            if !analysis.is_complete() {
                later::right_after_paint(move || dispatch.emit(Action::Complete(state_id)));
            }
        });
    }

    let help = use_state(|| false);
    let toggle_help = {
        let help = help.clone();
        Callback::from(move |show: Option<bool>| help.set(show.unwrap_or(!*help)))
    };
    keyboard::use_shortcuts(state.clone(), dispatch.clone(), toggle_help.clone(), *help);

    // The rule reference, opened from any rule id the page shows.
    let rule = use_state(|| None::<crate::engine::RuleId>);
    let open_rule = {
        let rule = rule.clone();
        use_callback((), move |id: crate::engine::RuleId, _| rule.set(Some(id)))
    };
    let close_rule = {
        let rule = rule.clone();
        Callback::from(move |_: ()| rule.set(None))
    };

    let notice = state.notice.clone().map(|notice| {
        let dismiss = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::DismissNotice))
        };
        html! {
            <div class={classes!("notice", notice.error.then_some("error"))} role={if notice.error { "alert" } else { "status" }}
                data-testid="notice" key={notice.serial.to_string()}>
                <div class="notice-body">
                    <span class="notice-text">{notice.text.clone()}</span>
                    {notice_details(&notice.details)}
                </div>
                <button type="button" class="notice-close" aria-label="Dismiss" onclick={dismiss}>{"×"}</button>
            </div>
        }
    });

    html! {
        <div class="app">
            <chrome::TopBar
                scenario={state.scenario.clone()}
                design={state.design.clone()}
                layout={state.layout.clone()}
                can_undo={state.can_undo}
                can_redo={state.can_redo}
                comparing={state.baseline.is_some()}
                help={*help}
                toggle_help={toggle_help}
                dispatch={dispatch.clone()}
            />
            <chrome::Palette people={state.people.clone()} selection={state.overlay.selection.clone()} select={select.clone()} dispatch={dispatch.clone()} />
            <main class="centre">
                { for notice }
                if let Some(exercise) = exercise::exercise_of(&state.scenario, &state.settled_design) {
                    <exercise::ExercisePanel name={exercise.name} design={state.settled_design.clone()} analysis={state.settled.clone()} />
                }
                <canvas::Canvas
                    scene={state.scene.clone()}
                    overlay={state.overlay.clone()}
                    also_selected={state.also_selected.clone()}
                    design={state.design.clone()}
                    layout={state.layout.clone()}
                    viewport={state.viewport}
                    canvas_size={state.canvas_size}
                    fit_generation={state.fit_generation}
                    dispatch={dispatch.clone()}
                />
                <findings::Findings design={state.settled_design.clone()} analysis={state.settled.clone()} select={select.clone()} dispatch={dispatch.clone()} open_rule={open_rule.clone()} />
            </main>
            <inspector::Inspector
                design={state.design.clone()}
                analysis={state.analysis.clone()}
                settled_design={state.settled_design.clone()}
                settled={state.settled.clone()}
                selection={state.overlay.selection.clone()}
                select={select}
                dispatch={dispatch.clone()}
                open_rule={open_rule.clone()}
                diff={state.diff.clone()}
            />
            if let Some(id) = *rule {
                <rules_ref::RuleReference rule={id} open={open_rule} close={close_rule} />
            }
        </div>
    }
}
