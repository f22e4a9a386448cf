//! The view model of the page: the scene (an automatic layout of the design), what is
//! selected, the viewport, and the colours the analysis gives each target.
//!
//! Pure and native like the engine, so the layout is tested without a browser; the yew
//! components in `ui` only draw these plain structs. No analysis logic lives here: it
//! reads `Analysis` and turns it into what the canvas shows.

pub mod autosave;
pub mod compare;
pub mod gesture;
mod layout;

use crate::edit::Key;
use crate::engine::{Analysis, Explanation, Target, Verdict};
use crate::model::{Design, PeeringState, Point};
pub use crate::model::{BASTION_SUBNET, GATEWAY_SUBNET};
pub use layout::{
    box_positions, kept_positions, layout, layout_with, position_key, relayout, BOX_CONTENT, CARD_H, CARD_W,
    DEVELOPER_BAND, KEEP_PICTURE_ABOVE,
};
use std::rc::Rc;

/// An axis-aligned rectangle in canvas units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn centred(cx: f64, cy: f64, w: f64, h: f64) -> Rect {
        Rect { x: cx - w / 2.0, y: cy - h / 2.0, w, h }
    }
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// True when the two rectangles come closer than `clearance`.
    pub fn overlaps(&self, other: &Rect, clearance: f64) -> bool {
        self.x < other.right() + clearance
            && other.x < self.right() + clearance
            && self.y < other.bottom() + clearance
            && other.y < self.bottom() + clearance
    }
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x && other.y >= self.y && other.right() <= self.right() && other.bottom() <= self.bottom()
    }
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect { x, y, w: self.right().max(other.right()) - x, h: self.bottom().max(other.bottom()) - y }
    }
    /// The rectangle grown by `margin` on every side.
    pub fn inflated(&self, margin: f64) -> Rect {
        Rect { x: self.x - margin, y: self.y - margin, w: self.w + 2.0 * margin, h: self.h + 2.0 * margin }
    }
    /// True when the segment from `a` to `b` passes through the rectangle's inside
    /// (touching its border only does not count): the Liang–Barsky clip.
    pub fn crosses_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [(-dx, a.0 - self.x), (dx, self.right() - a.0), (-dy, a.1 - self.y), (dy, self.bottom() - a.1)] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t1 - t0 > 1e-9
    }
    /// Where the ray from the centre towards `point` leaves the rectangle.
    pub fn border_towards(&self, point: (f64, f64)) -> (f64, f64) {
        let (cx, cy) = self.centre();
        let (dx, dy) = (point.0 - cx, point.1 - cy);
        if dx == 0.0 && dy == 0.0 {
            return (cx, cy);
        }
        let sx = if dx == 0.0 { f64::INFINITY } else { (self.w / 2.0) / dx.abs() };
        let sy = if dy == 0.0 { f64::INFINITY } else { (self.h / 2.0) / dy.abs() };
        let s = sx.min(sy).min(1.0);
        (cx + dx * s, cy + dy * s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Bastion,
    Vm,
    VirtualHub,
    Gateway,
    Site,
    Machine,
}

impl NodeKind {
    /// The icon file under `www/icons/`, and the kind part of a selection key.
    pub fn slug(self) -> &'static str {
        match self {
            NodeKind::Bastion => "bastion",
            NodeKind::Vm => "vm",
            NodeKind::VirtualHub => "vwan-hub",
            NodeKind::Gateway => "gateway",
            NodeKind::Site => "onprem-site",
            NodeKind::Machine => "onprem-machine",
        }
    }
    /// Hubs and sites are drawn as boxes holding cards; the rest are cards.
    pub fn is_container(self) -> bool {
        matches!(self, NodeKind::VirtualHub | NodeKind::Site)
    }
}

/// A resource drawn as a card (or, for hubs and sites, a small box holding cards).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub kind: NodeKind,
    /// A short second line: SKU, OS and address, prefixes.
    pub detail: String,
    pub rect: Rect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Vnet,
    /// Resources whose VNet, hub or site does not exist (an unvalidated design).
    Unplaced,
}

/// A subnet drawn as a band across its VNet.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetBand {
    pub name: String,
    /// The prefix, or "missing" for a subnet a resource names but the VNet lacks.
    pub detail: String,
    pub nsg: Option<String>,
    pub missing: bool,
    pub rect: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VnetView {
    pub name: String,
    pub kind: ContainerKind,
    pub detail: String,
    pub rect: Rect,
    pub subnets: Vec<SubnetBand>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// One link of a peering, drawn on its owner's half: two halves make a full line.
    PeeringLink(PeeringState),
    HubConnection,
    SiteConnection,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeView {
    /// The peering link's or connection's name.
    pub name: String,
    pub kind: EdgeKind,
    pub from: (f64, f64),
    pub to: (f64, f64),
}

/// Everything the canvas draws, in drawing order: containers, edges, then nodes (hubs and
/// sites before the cards they hold).
///
/// Boxes and cards are shared (`Rc`): an edit that leaves a box alone keeps the very same
/// one (`relayout`), so copying a scene costs a pointer per box, and the canvas tells an
/// unchanged box by its pointer before comparing values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub vnets: Vec<Rc<VnetView>>,
    pub edges: Vec<EdgeView>,
    pub nodes: Vec<Rc<NodeView>>,
    /// The box holding everything, for fit-to-screen.
    pub bounds: Rect,
    /// What each box drew, in layout order, so an edit that moves boxes shifts them
    /// instead of laying everything out again (`relayout`).
    pub spans: Vec<Span>,
}

/// One box of the layout: its position key (`vnet:<name>`, `hub:<name>`, `site:<name>`;
/// empty for the box of unplaced resources), its `VnetView` if it is one, the nodes it
/// drew (a hub's or site's own node first, then the cards inside), and its top-left corner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Span {
    pub key: String,
    pub vnet: Option<usize>,
    pub nodes: std::ops::Range<usize>,
    pub origin: (f64, f64),
}

impl Scene {
    pub fn node(&self, name: &str, kind: NodeKind) -> Option<&NodeView> {
        self.nodes.iter().find(|it| it.kind == kind && it.name == name).map(|it| &**it)
    }
    pub fn vnet(&self, name: &str) -> Option<&VnetView> {
        self.vnets.iter().find(|it| it.kind == ContainerKind::Vnet && it.name == name).map(|it| &**it)
    }
    /// Where the selected resource is drawn, if it is drawn at all.
    pub fn rect_of(&self, selection: &Selection) -> Option<Rect> {
        let node = |name: &str, kind| self.node(name, kind).map(|it| it.rect);
        match selection {
            Selection::Vnet(name) => self.vnet(name).map(|it| it.rect),
            Selection::Vm { vm, .. } => node(vm, NodeKind::Vm),
            Selection::Bastion(name) => node(name, NodeKind::Bastion),
            Selection::VirtualHub(name) => node(name, NodeKind::VirtualHub),
            Selection::Gateway(name) => node(name, NodeKind::Gateway),
            Selection::Site(name) => node(name, NodeKind::Site),
            Selection::Machine(name) => node(name, NodeKind::Machine),
            _ => None,
        }
    }
}

/// What the inspector shows. Each variant names a resource of the design.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    None,
    Vnet(String),
    /// A VM, and the Bastion whose verdict is drawn on the canvas.
    Vm {
        vm: String,
        bastion: Option<String>,
    },
    Bastion(String),
    VirtualHub(String),
    Gateway(String),
    Site(String),
    Machine(String),
    User(String),
    Nsg(String),
    Peering(String),
    Connection(String),
}

impl Selection {
    /// The selection a canvas element stands for, from its `data-select` key.
    pub fn from_key(key: &str) -> Selection {
        let Some((kind, name)) = key.split_once(':') else {
            return Selection::None;
        };
        let name = name.to_string();
        match kind {
            "vnet" => Selection::Vnet(name),
            "vm" => Selection::Vm { vm: name, bastion: None },
            "bastion" => Selection::Bastion(name),
            "vwan-hub" => Selection::VirtualHub(name),
            "gateway" => Selection::Gateway(name),
            "onprem-site" => Selection::Site(name),
            "onprem-machine" => Selection::Machine(name),
            "user" => Selection::User(name),
            "nsg" => Selection::Nsg(name),
            "peering" => Selection::Peering(name),
            "connection" => Selection::Connection(name),
            _ => Selection::None,
        }
    }

    /// The selection for a resource named by a finding: the first kind holding that name.
    pub fn for_resource(design: &Design, name: &str) -> Selection {
        let owned = || name.to_string();
        if design.bastions.iter().any(|it| it.name == name) {
            Selection::Bastion(owned())
        } else if design.vms.iter().any(|it| it.name == name) {
            Selection::Vm { vm: owned(), bastion: None }
        } else if design.vnets.iter().any(|it| it.name == name) {
            Selection::Vnet(owned())
        } else if design.virtual_hubs.iter().any(|it| it.name == name) {
            Selection::VirtualHub(owned())
        } else if design.gateways.iter().any(|it| it.name == name) {
            Selection::Gateway(owned())
        } else if design.onprem_sites.iter().any(|it| it.name == name) {
            Selection::Site(owned())
        } else if design.onprem_machines.iter().any(|it| it.name == name) {
            Selection::Machine(owned())
        } else if design.users.iter().any(|it| it.name == name) || design.groups.iter().any(|it| it.name == name) {
            Selection::User(owned())
        } else if design.nsgs.iter().any(|it| it.name == name) {
            Selection::Nsg(owned())
        } else if design.peerings.iter().any(|it| it.name == name) {
            Selection::Peering(owned())
        } else if design.hub_connections.iter().any(|it| it.name == name)
            || design.site_connections.iter().any(|it| it.name == name)
        {
            Selection::Connection(owned())
        } else if let Some((vnet, _subnet)) = name.split_once('/') {
            // A subnet, named `vnet/subnet`: its VNet holds it on the canvas.
            match design.vnets.iter().any(|it| it.name == vnet) {
                true => Selection::Vnet(vnet.to_string()),
                false => Selection::None,
            }
        } else {
            Selection::None
        }
    }

    /// The resource the editor deletes or updates for this selection, if it still exists.
    pub fn key(&self, design: &Design) -> Option<Key> {
        fn has<'a>(mut names: impl Iterator<Item = &'a String>, name: &str) -> bool {
            names.any(|it| it == name)
        }
        match self {
            Selection::None => None,
            Selection::Vnet(name) => has(design.vnets.iter().map(|it| &it.name), name).then(|| Key::Vnet(name.clone())),
            Selection::Vm { vm, .. } => has(design.vms.iter().map(|it| &it.name), vm).then(|| Key::Vm(vm.clone())),
            Selection::Bastion(name) => {
                has(design.bastions.iter().map(|it| &it.name), name).then(|| Key::Bastion(name.clone()))
            }
            Selection::VirtualHub(name) => {
                has(design.virtual_hubs.iter().map(|it| &it.name), name).then(|| Key::VirtualHub(name.clone()))
            }
            Selection::Gateway(name) => {
                has(design.gateways.iter().map(|it| &it.name), name).then(|| Key::Gateway(name.clone()))
            }
            Selection::Site(name) => {
                has(design.onprem_sites.iter().map(|it| &it.name), name).then(|| Key::OnPremSite(name.clone()))
            }
            Selection::Machine(name) => {
                has(design.onprem_machines.iter().map(|it| &it.name), name).then(|| Key::OnPremMachine(name.clone()))
            }
            Selection::User(name) => {
                if has(design.users.iter().map(|it| &it.name), name) {
                    Some(Key::User(name.clone()))
                } else {
                    has(design.groups.iter().map(|it| &it.name), name).then(|| Key::Group(name.clone()))
                }
            }
            Selection::Nsg(name) => has(design.nsgs.iter().map(|it| &it.name), name).then(|| Key::Nsg(name.clone())),
            Selection::Peering(name) => design
                .peerings
                .iter()
                .find(|it| &it.name == name)
                .map(|it| Key::PeeringLink { from: it.from.clone(), to: it.to.clone() }),
            Selection::Connection(name) => {
                if has(design.hub_connections.iter().map(|it| &it.name), name) {
                    Some(Key::HubConnection(name.clone()))
                } else {
                    has(design.site_connections.iter().map(|it| &it.name), name)
                        .then(|| Key::SiteConnection(name.clone()))
                }
            }
        }
    }

    /// The name shown for the selection (what a Delete or a notice talks about).
    pub fn name(&self) -> Option<&str> {
        match self {
            Selection::None => None,
            Selection::Vm { vm, .. } => Some(vm),
            Selection::Vnet(it)
            | Selection::Bastion(it)
            | Selection::VirtualHub(it)
            | Selection::Gateway(it)
            | Selection::Site(it)
            | Selection::Machine(it)
            | Selection::User(it)
            | Selection::Nsg(it)
            | Selection::Peering(it)
            | Selection::Connection(it) => Some(it),
        }
    }

    /// True when the canvas element with this kind and name is the selection.
    pub fn is(&self, kind: NodeKind, name: &str) -> bool {
        match (self, kind) {
            (Selection::Vm { vm, .. }, NodeKind::Vm) => vm == name,
            (Selection::Bastion(it), NodeKind::Bastion)
            | (Selection::VirtualHub(it), NodeKind::VirtualHub)
            | (Selection::Gateway(it), NodeKind::Gateway)
            | (Selection::Site(it), NodeKind::Site)
            | (Selection::Machine(it), NodeKind::Machine) => it == name,
            _ => false,
        }
    }
}

/// Every resource drawn on the canvas, as selections (Ctrl+A): VNets, then cards and boxes.
pub fn every_selection(scene: &Scene) -> Vec<Selection> {
    let vnets =
        scene.vnets.iter().filter(|it| it.kind == ContainerKind::Vnet).map(|it| Selection::Vnet(it.name.clone()));
    let nodes = scene.nodes.iter().map(|node| {
        let name = node.name.clone();
        match node.kind {
            NodeKind::Bastion => Selection::Bastion(name),
            NodeKind::Vm => Selection::Vm { vm: name, bastion: None },
            NodeKind::VirtualHub => Selection::VirtualHub(name),
            NodeKind::Gateway => Selection::Gateway(name),
            NodeKind::Site => Selection::Site(name),
            NodeKind::Machine => Selection::Machine(name),
        }
    });
    vnets.chain(nodes).collect()
}

/// The canvas positions (top-left corners, keyed by `position_key`) of the selected
/// resources that the person places — VNets, vWAN hubs and sites — moved by (dx, dy).
/// Cards inside them (VMs, Bastions, gateways, machines) move with their container, so
/// they have no position of their own.
pub fn nudged_positions(scene: &Scene, selected: &[Selection], dx: f64, dy: f64) -> Vec<(String, Point)> {
    let mut positions: Vec<(String, Point)> = selected
        .iter()
        .filter_map(|it| {
            let kind = match it {
                Selection::Vnet(_) => "vnet",
                Selection::VirtualHub(_) => "hub",
                Selection::Site(_) => "site",
                _ => return None,
            };
            let rect = scene.rect_of(it)?;
            Some((position_key(kind, it.name()?), Point { x: rect.x + dx, y: rect.y + dy }))
        })
        .collect();
    crate::util::sort_by(&mut positions, |a, b| a.0.cmp(&b.0));
    positions.dedup_by(|a, b| a.0 == b.0);
    positions
}

/// How the canvas colours a target for the selected Bastion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Reachable,
    Blocked,
    /// The Bastion itself fails a health check, so it reaches nothing.
    Unhealthy,
}

impl Status {
    pub fn class(self) -> &'static str {
        match self {
            Status::Reachable => "reachable",
            Status::Blocked => "blocked",
            Status::Unhealthy => "unhealthy",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Reachable => "Reachable",
            Status::Blocked => "Blocked",
            Status::Unhealthy => "Bastion unhealthy",
        }
    }
}

/// The status of every target (VMs, then on-premises machines) seen from one Bastion,
/// by target name. Empty when the Bastion does not exist.
pub fn bastion_overlay(design: &Design, analysis: &Analysis, bastion: usize) -> Vec<(String, Status)> {
    if bastion >= analysis.reach.len() {
        return Vec::new();
    }
    let unhealthy = analysis.health.get(bastion).is_some_and(|it| it.blocker.is_some());
    let vms = (0..design.vms.len()).map(Target::Vm);
    let machines = (0..design.onprem_machines.len()).map(Target::Machine);
    vms.chain(machines)
        .map(|target| {
            let status = match (unhealthy, analysis.verdict(bastion, target)) {
                (true, _) => Status::Unhealthy,
                (false, Verdict::Reachable) => Status::Reachable,
                (false, Verdict::Blocked) => Status::Blocked,
            };
            (target.name(design).to_string(), status)
        })
        .collect()
}

/// The status of one (Bastion, target) pair, as the overlay colours it.
pub fn pair_status(analysis: &Analysis, bastion: usize, target: Target) -> Status {
    if analysis.health.get(bastion).is_some_and(|it| it.blocker.is_some()) {
        return Status::Unhealthy;
    }
    match analysis.verdict(bastion, target) {
        Verdict::Reachable => Status::Reachable,
        Verdict::Blocked => Status::Blocked,
    }
}

/// The line drawn for a verdict: from the Bastion's card through the VNets the session
/// crosses to the target's card. Empty when either card is missing.
pub fn path_points(scene: &Scene, explanation: &Explanation, target_kind: NodeKind) -> Vec<(f64, f64)> {
    let (Some(bastion), Some(target)) =
        (scene.node(&explanation.bastion, NodeKind::Bastion), scene.node(&explanation.target, target_kind))
    else {
        return Vec::new();
    };
    let mut points = vec![bastion.rect.centre()];
    let n_path = explanation.path.len();
    // The first and last VNets hold the two cards; only the ones between add corners.
    for name in explanation.path.iter().skip(1).take(n_path.saturating_sub(2)) {
        let rect =
            scene.vnet(name).map(|it| it.rect).or_else(|| scene.node(name, NodeKind::VirtualHub).map(|it| it.rect));
        if let Some(rect) = rect {
            points.push(rect.centre());
        }
    }
    points.push(target.rect.centre());
    // Start and end on the cards' borders, so the line does not cover their labels.
    let n_points = points.len();
    points[0] = bastion.rect.border_towards(points[1]);
    points[n_points - 1] = target.rect.border_towards(points[n_points - 2]);
    points
}

/// The canvas's pan and zoom: screen = canvas × scale + offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport { x: 40.0, y: 40.0, scale: 1.0 }
    }
}

pub const MIN_SCALE: f64 = 0.1;
pub const MAX_SCALE: f64 = 3.0;
pub const MAX_FIT: f64 = 1.2;
/// Screen space kept free above and below a fitted design, for the floating controls.
pub const FIT_TOP: f64 = 64.0;
pub const FIT_BOTTOM: f64 = 56.0;

impl Viewport {
    /// Shows all of `bounds` in a `width` × `height` screen area, enlarged at most to
    /// `MAX_FIT` (a small design stays near its natural size instead of filling a big screen).
    /// The zoom buttons (top) and the legend (bottom) float over the canvas: the fitted
    /// design stays clear of both.
    pub fn fit(bounds: Rect, width: f64, height: f64) -> Viewport {
        Viewport::fit_beside(bounds, width, height, 0.0)
    }

    /// `fit` in the part of the canvas right of `left` pixels held by a panel over it (the
    /// exercise panel), when that leaves room enough; else over the whole width.
    pub fn fit_beside(bounds: Rect, width: f64, height: f64, left: f64) -> Viewport {
        let left = if width - left >= 420.0 { left } else { 0.0 };
        let (side, top, bottom) = (28.0, FIT_TOP, FIT_BOTTOM);
        let (room_w, room_h) = (width - left - 2.0 * side, height - top - bottom);
        if room_w <= 0.0 || room_h <= 0.0 || bounds.w <= 0.0 || bounds.h <= 0.0 {
            return Viewport::default();
        }
        let scale = (room_w / bounds.w).min(room_h / bounds.h).clamp(MIN_SCALE, MAX_FIT);
        let (cx, cy) = bounds.centre();
        Viewport { x: left + side + room_w / 2.0 - cx * scale, y: top + room_h / 2.0 - cy * scale, scale }
    }

    /// Zooms by `factor` keeping the canvas point under the screen point `(px, py)` fixed.
    pub fn zoom_at(self, factor: f64, px: f64, py: f64) -> Viewport {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let ratio = scale / self.scale;
        Viewport { x: px - (px - self.x) * ratio, y: py - (py - self.y) * ratio, scale }
    }

    /// The viewport that shows `rect`: unchanged when it is already in view, else centred
    /// on it at the same zoom (a finding clicked below the canvas brings its resource in).
    pub fn reveal(self, rect: Rect, width: f64, height: f64) -> Viewport {
        let (left, top) = (rect.x * self.scale + self.x, rect.y * self.scale + self.y);
        let (right, bottom) = (rect.right() * self.scale + self.x, rect.bottom() * self.scale + self.y);
        if width <= 0.0 || height <= 0.0 || (left >= 0.0 && top >= 0.0 && right <= width && bottom <= height) {
            return self;
        }
        let (cx, cy) = rect.centre();
        let middle_y = (FIT_TOP + height - FIT_BOTTOM) / 2.0;
        Viewport { x: width / 2.0 - cx * self.scale, y: middle_y - cy * self.scale, scale: self.scale }
    }

    pub fn pan(self, dx: f64, dy: f64) -> Viewport {
        Viewport { x: self.x + dx, y: self.y + dy, ..self }
    }

    /// The SVG transform of the canvas's content group.
    pub fn transform(&self) -> String {
        format!("translate({:.1} {:.1}) scale({:.4})", self.x, self.y, self.scale)
    }
}

/// Above this many boxes and cards the canvas draws only what is in view, so a drag or an
/// edit on an enterprise estate repaints and diffs a screenful, not the whole estate.
pub const CULL_ABOVE: usize = 1500;

/// The part of the canvas to draw for a viewport showing `width` × `height` screen pixels,
/// or `None` to draw everything (a scene small enough). It is the visible rectangle grown by
/// half its size each way and snapped to a grid of that half size, so panning draws again
/// only when the view crosses a grid line. An unmeasured canvas counts as 1600 × 1000.
pub fn draw_window(scene: &Scene, viewport: &Viewport, width: f64, height: f64) -> Option<Rect> {
    if scene.vnets.len() + scene.nodes.len() <= CULL_ABOVE || viewport.scale <= 0.0 {
        return None;
    }
    let (width, height) = if width > 0.0 && height > 0.0 { (width, height) } else { (1600.0, 1000.0) };
    let (w, h) = (width / viewport.scale, height / viewport.scale);
    let (x0, y0) = (-viewport.x / viewport.scale, -viewport.y / viewport.scale);
    let cell = w.max(h) / 2.0;
    let snap_down = |v: f64| (v / cell).floor() * cell;
    let snap_up = |v: f64| (v / cell).ceil() * cell;
    let (left, top) = (snap_down(x0 - w / 2.0), snap_down(y0 - h / 2.0));
    let (right, bottom) = (snap_up(x0 + w * 1.5), snap_up(y0 + h * 1.5));
    Some(Rect { x: left, y: top, w: right - left, h: bottom - top })
}

/// True when a segment's bounding box meets the window (edges are drawn when it does).
pub fn segment_meets(window: &Rect, a: (f64, f64), b: (f64, f64)) -> bool {
    let bbox = Rect { x: a.0.min(b.0), y: a.1.min(b.1), w: (a.0 - b.0).abs(), h: (a.1 - b.1).abs() };
    bbox.overlaps(window, 0.0)
}

/// Shortens a label to `max` characters with an ellipsis (the full name is in the tooltip
/// and the inspector).
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut res: String = text.chars().take(max.saturating_sub(1)).collect();
    res.push('…');
    res
}
