//! The automatic layout of a design that has no positions: each cluster of connected
//! VNets, vWAN hubs and on-premises sites is drawn with its most connected member in the
//! middle and the others on rings around it; clusters are then packed in rows.
//!
//! Sizes are fixed in canvas units so labels stay readable at any zoom; the only
//! guarantee callers rely on is that containers never overlap and every resource sits
//! inside the container that holds it (tests/view.rs checks both on every scenario).

use super::{
    ContainerKind, EdgeKind, EdgeView, NodeKind, NodeView, Rect, Scene, SubnetBand, VnetView, BASTION_SUBNET,
    GATEWAY_SUBNET,
};
use crate::model::{BastionSku, Design, PeeringState, Point};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::f64::consts::{FRAC_PI_2, PI, TAU};
use std::rc::Rc;

pub const CARD_W: f64 = 172.0;
pub const CARD_H: f64 = 42.0;
const GAP: f64 = 10.0;
const PAD: f64 = 14.0;
const HEADER: f64 = 48.0;
const BAND_LABEL: f64 = 24.0;
const BAND_GAP: f64 = 8.0;
/// The band a Developer-SKU Bastion is drawn in: it is not deployed into a subnet.
pub const DEVELOPER_BAND: &str = "Developer (shared)";
/// Cards per row in a subnet band: narrow, tall VNets for a few cards (spokes sit left and
/// right of their hub, so width is what a landscape screen runs out of), wider for many.
fn vnet_cols(bands: &[Band]) -> usize {
    match bands.iter().map(|it| it.items.len()).max().unwrap_or(0) {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    }
}
const MIN_VNET_W: f64 = 300.0;
const MIN_NODE_BOX_W: f64 = 224.0;
/// Clear space kept between two containers.
const CLEARANCE: f64 = 48.0;
const CLUSTER_GAP: f64 = 120.0;
/// Room kept between a connection line and a box it passes, so it does not read as touching.
const LINE_CLEARANCE: f64 = 20.0;
const ROW_WIDTH: f64 = 2200.0;

/// One thing placed on a ring: a VNet, a vWAN hub, a site, or the box of unplaced resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Vertex {
    Vnet(usize),
    Hub(usize),
    Site(usize),
    Unplaced,
}

/// A resource card waiting for a position inside its container.
struct Item {
    name: String,
    kind: NodeKind,
    detail: String,
}

/// A band of a VNet (a subnet) with its cards, before placement.
struct Band {
    name: String,
    detail: String,
    nsg: Option<String>,
    missing: bool,
    items: Vec<Item>,
}

/// A container before placement: its size and how to lay its contents out at an origin.
struct Boxed {
    vertex: Vertex,
    w: f64,
    h: f64,
    bands: Vec<Band>,
    cols: usize,
}

/// The names the layout looks up: VNets and hubs by name, and the peering links by VNet
/// pair (what `engine::Index` would give, without parsing every NSG rule of the design).
struct Lookup<'a> {
    vnet_by_name: HashMap<&'a str, usize>,
    hub_by_name: HashMap<&'a str, usize>,
    links: HashSet<(&'a str, &'a str)>,
    deleted_links: HashSet<(&'a str, &'a str)>,
}

impl<'a> Lookup<'a> {
    fn new(design: &'a Design) -> Lookup<'a> {
        Lookup {
            vnet_by_name: design.vnets.iter().enumerate().map(|(i, it)| (it.name.as_str(), i)).rev().collect(),
            hub_by_name: design.virtual_hubs.iter().enumerate().map(|(i, it)| (it.name.as_str(), i)).rev().collect(),
            links: design.peerings.iter().map(|it| (it.from.as_str(), it.to.as_str())).collect(),
            deleted_links: design.deleted_peerings.iter().map(|it| (it.from.as_str(), it.to.as_str())).collect(),
        }
    }
    /// The state of the peering between two VNets, as `engine::Index::peering_state` reads
    /// it off the links: both present → Connected; one present and the other deleted →
    /// Disconnected; one present and the other never created → Initiated.
    fn peering_state(&self, a: &str, b: &str) -> Option<PeeringState> {
        match (self.links.contains(&(a, b)), self.links.contains(&(b, a))) {
            (true, true) => Some(PeeringState::Connected),
            (true, false) if self.deleted_links.contains(&(b, a)) => Some(PeeringState::Disconnected),
            (false, true) if self.deleted_links.contains(&(a, b)) => Some(PeeringState::Disconnected),
            (true, false) | (false, true) => Some(PeeringState::Initiated),
            (false, false) => None,
        }
    }
}

pub fn layout(design: &Design) -> Scene {
    layout_with(design, &BTreeMap::new())
}

/// The layout key of a box the person places: `vnet:<name>`, `hub:<name>`, `site:<name>`
/// (names are unique per kind only, so the kind is part of the key).
pub fn position_key(kind: &str, name: &str) -> String {
    format!("{kind}:{name}")
}

/// The scene with the boxes the person placed at their positions (top-left corners, by
/// `position_key`) and the others placed automatically, as `layout` does, clear of them.
pub fn layout_with(design: &Design, positions: &BTreeMap<String, Point>) -> Scene {
    let index = Lookup::new(design);
    let boxes = measure(design, &index);
    let fixed: Vec<Option<(f64, f64)>> = boxes
        .iter()
        .map(|boxed| {
            let key = match boxed.vertex {
                Vertex::Vnet(idx) => position_key("vnet", &design.vnets[idx].name),
                Vertex::Hub(idx) => position_key("hub", &design.virtual_hubs[idx].name),
                Vertex::Site(idx) => position_key("site", &design.onprem_sites[idx].name),
                Vertex::Unplaced => return None,
            };
            positions.get(&key).filter(|it| it.x.is_finite() && it.y.is_finite()).map(|it| (it.x, it.y))
        })
        .collect();
    let origins = if fixed.iter().all(Option::is_none) {
        let adjacency = adjacency(design, &index, &boxes);
        place(&boxes.iter().collect::<Vec<_>>(), &adjacency)
    } else {
        place_around_fixed(design, &index, &boxes, &fixed)
    };
    let mut scene = Scene::default();
    for (boxed, origin) in boxes.iter().zip(&origins) {
        let start = scene.nodes.len();
        emit(design, boxed, *origin, &mut scene);
        let key = match boxed.vertex {
            Vertex::Vnet(idx) => position_key("vnet", &design.vnets[idx].name),
            Vertex::Hub(idx) => position_key("hub", &design.virtual_hubs[idx].name),
            Vertex::Site(idx) => position_key("site", &design.onprem_sites[idx].name),
            Vertex::Unplaced => String::new(),
        };
        let vnet = matches!(boxed.vertex, Vertex::Vnet(_) | Vertex::Unplaced).then(|| scene.vnets.len() - 1);
        scene.spans.push(super::Span { key, vnet, nodes: start..scene.nodes.len(), origin: *origin });
    }
    emit_edges(design, &index, &mut scene);
    scene.bounds = bounds(&scene);
    scene
}

/// Collections whose resources decide what a box holds and how big it is; an edit that
/// touches none of them leaves every box as it was.
pub const BOX_CONTENT: [crate::edit::Collection; 7] = [
    crate::edit::Collection::Vnets,
    crate::edit::Collection::Bastions,
    crate::edit::Collection::Gateways,
    crate::edit::Collection::Vms,
    crate::edit::Collection::OnPremMachines,
    crate::edit::Collection::VirtualHubs,
    crate::edit::Collection::OnPremSites,
];

/// The scene after an edit, from the scene before it: when the edit left every box's
/// contents as they were (`contents_changed` false) and every box has a position, the boxes
/// and cards are kept (those whose position changed are shifted) and only the connection
/// lines are drawn again; otherwise the whole layout is rebuilt (`layout_with`). Either way
/// the result equals `layout_with(design, positions)`.
pub fn relayout(
    previous: &Scene,
    design: &Design,
    positions: &BTreeMap<String, Point>,
    contents_changed: bool,
) -> Scene {
    let placed = |span: &super::Span| {
        span.key.is_empty() || positions.get(&span.key).is_some_and(|it| it.x.is_finite() && it.y.is_finite())
    };
    let reusable = !contents_changed
        && !previous.spans.is_empty()
        && previous.spans.iter().all(placed)
        && previous.spans.iter().filter(|it| !it.key.is_empty()).count()
            == design.vnets.len() + design.virtual_hubs.len() + design.onprem_sites.len();
    if !reusable {
        return layout_with(design, positions);
    }
    // The lines are drawn again below: copy the boxes (a pointer each), not the old lines.
    let mut scene = Scene {
        vnets: previous.vnets.clone(),
        edges: Vec::new(),
        nodes: previous.nodes.clone(),
        bounds: previous.bounds,
        spans: previous.spans.clone(),
    };
    for span in &mut scene.spans {
        let Some(point) = positions.get(&span.key) else {
            continue;
        };
        let (dx, dy) = (point.x - span.origin.0, point.y - span.origin.1);
        if dx == 0.0 && dy == 0.0 {
            continue;
        }
        let shift = |rect: &mut Rect| {
            rect.x += dx;
            rect.y += dy;
        };
        if let Some(vnet) = span.vnet.and_then(|it| scene.vnets.get_mut(it)) {
            let vnet = Rc::make_mut(vnet);
            shift(&mut vnet.rect);
            for band in &mut vnet.subnets {
                shift(&mut band.rect);
            }
        }
        for node in &mut scene.nodes[span.nodes.clone()] {
            shift(&mut Rc::make_mut(node).rect);
        }
        span.origin = (point.x, point.y);
    }
    emit_edges(design, &Lookup::new(design), &mut scene);
    scene.bounds = bounds(&scene);
    scene
}

/// Above this many boxes a design keeps its automatic picture across edits (see
/// `kept_positions`): its ring search costs hundreds of milliseconds, and a picture of a
/// thousand VNets that rearranges itself when one peering goes is hard to follow anyway.
pub const KEEP_PICTURE_ABOVE: usize = 50;

/// The automatic positions a big design keeps after `scene` is drawn: those kept so far,
/// plus where the layout put each box that had none. Passed under the person's positions
/// (which win), they keep the picture still while edits leave the boxes as they are, and
/// an undone move puts the box back where the layout had it.
pub fn kept_positions(kept: &BTreeMap<String, Point>, scene: &Scene) -> BTreeMap<String, Point> {
    if scene.spans.len() <= KEEP_PICTURE_ABOVE {
        return kept.clone();
    }
    let mut out = kept.clone();
    for span in scene.spans.iter().filter(|it| !it.key.is_empty()) {
        if !out.contains_key(&span.key) {
            out.insert(span.key.clone(), Point { x: span.origin.0, y: span.origin.1 });
        }
    }
    out
}

/// Where every box is (top-left corners by `position_key`): the positions that reproduce
/// this scene, so later edits can keep the picture instead of laying it out again.
pub fn box_positions(scene: &Scene) -> BTreeMap<String, Point> {
    scene
        .spans
        .iter()
        .filter(|it| !it.key.is_empty())
        .map(|it| (it.key.clone(), Point { x: it.origin.0, y: it.origin.1 }))
        .collect()
}

fn band_height(n_items: usize, cols: usize) -> f64 {
    if n_items == 0 {
        return BAND_LABEL + 6.0;
    }
    let rows = n_items.div_ceil(cols);
    BAND_LABEL + rows as f64 * CARD_H + (rows - 1) as f64 * GAP + PAD * 0.75
}

fn container_size(bands: &[Band], cols: usize, min_w: f64, banded: bool) -> (f64, f64) {
    let widest = bands.iter().map(|it| it.items.len().min(cols)).max().unwrap_or(0).max(1);
    let inner = widest as f64 * CARD_W + (widest - 1) as f64 * GAP;
    let band_pad = if banded { 2.0 * 10.0 } else { 0.0 };
    let w = (inner + band_pad + 2.0 * PAD).max(min_w);
    let mut h = HEADER;
    for band in bands {
        h += if banded {
            band_height(band.items.len(), cols) + BAND_GAP
        } else {
            match band.items.len().div_ceil(cols) {
                0 => 0.0,
                rows => rows as f64 * CARD_H + (rows - 1) as f64 * GAP + GAP,
            }
        };
    }
    (w, h + PAD - if banded { BAND_GAP } else { 0.0 })
}

fn measure(design: &Design, index: &Lookup) -> Vec<Boxed> {
    let mut boxes = Vec::new();
    let mut unplaced = Vec::new();
    let mut vnet_bands: Vec<Vec<Band>> = design
        .vnets
        .iter()
        .map(|vnet| {
            vnet.subnets
                .iter()
                .map(|subnet| Band {
                    name: subnet.name.clone(),
                    detail: subnet.prefix.to_string(),
                    nsg: subnet.nsg.clone(),
                    missing: false,
                    items: Vec::new(),
                })
                .collect()
        })
        .collect();
    // A resource naming a subnet the VNet lacks gets a band marked missing, so the
    // problem is visible where the resource would be.
    fn band_of<'b>(bands: &'b mut Vec<Band>, subnet: &str) -> &'b mut Band {
        let pos = match bands.iter().position(|it| it.name == subnet) {
            Some(pos) => pos,
            None => {
                bands.push(Band {
                    name: subnet.to_string(),
                    detail: "missing".to_string(),
                    nsg: None,
                    missing: true,
                    items: Vec::new(),
                });
                bands.len() - 1
            }
        };
        &mut bands[pos]
    }
    fn developer_band(bands: &mut Vec<Band>) -> &mut Band {
        let pos = match bands.iter().position(|it| it.name == DEVELOPER_BAND && !it.missing) {
            Some(pos) => pos,
            None => {
                // First, like the Bastion it holds: the header of the VNet it serves.
                bands.insert(
                    0,
                    Band {
                        name: DEVELOPER_BAND.to_string(),
                        detail: "no subnet".to_string(),
                        nsg: None,
                        missing: false,
                        items: Vec::new(),
                    },
                );
                0
            }
        };
        &mut bands[pos]
    }
    let mut hub_items: Vec<Vec<Item>> = design.virtual_hubs.iter().map(|_| Vec::new()).collect();
    let mut site_items: Vec<Vec<Item>> = design.onprem_sites.iter().map(|_| Vec::new()).collect();

    for bastion in &design.bastions {
        let item =
            Item { name: bastion.name.clone(), kind: NodeKind::Bastion, detail: format!("{} SKU", bastion.sku.name()) };
        let hub = bastion.virtual_hub.as_deref().and_then(|it| index.hub_by_name.get(it).copied());
        match (index.vnet_by_name.get(bastion.vnet.as_str()), hub) {
            // A Developer Bastion is shared infrastructure outside the VNet: it needs no
            // AzureBastionSubnet, so it gets its own band, never a "missing" subnet.
            (Some(&vnet), _) if bastion.sku == BastionSku::Developer => {
                developer_band(&mut vnet_bands[vnet]).items.push(item)
            }
            (Some(&vnet), _) => band_of(&mut vnet_bands[vnet], BASTION_SUBNET).items.push(item),
            (None, Some(hub)) => hub_items[hub].push(item),
            (None, None) => unplaced.push(item),
        }
    }
    for gateway in &design.gateways {
        let kind = match gateway.kind {
            crate::model::GatewayKind::Vpn => "VPN gateway",
            crate::model::GatewayKind::ExpressRoute => "ExpressRoute gw",
        };
        let item = Item { name: gateway.name.clone(), kind: NodeKind::Gateway, detail: kind.to_string() };
        let vnet = gateway.vnet.as_deref().and_then(|it| index.vnet_by_name.get(it).copied());
        let hub = gateway.hub.as_deref().and_then(|it| index.hub_by_name.get(it).copied());
        match (vnet, hub) {
            (Some(vnet), _) => band_of(&mut vnet_bands[vnet], GATEWAY_SUBNET).items.push(item),
            (None, Some(hub)) => hub_items[hub].push(item),
            (None, None) => unplaced.push(item),
        }
    }
    for vm in &design.vms {
        let os = match vm.os {
            crate::model::Os::Linux => "Linux",
            crate::model::Os::Windows => "Windows",
        };
        let what = if vm.scale_set { " scale set" } else { "" };
        let item =
            Item { name: vm.name.clone(), kind: NodeKind::Vm, detail: format!("{os}{what} · {}", vm.nic.private_ip) };
        match index.vnet_by_name.get(vm.nic.vnet.as_str()) {
            Some(&vnet) => band_of(&mut vnet_bands[vnet], &vm.nic.subnet).items.push(item),
            None => unplaced.push(item),
        }
    }
    for machine in &design.onprem_machines {
        let item = Item { name: machine.name.clone(), kind: NodeKind::Machine, detail: machine.ip.to_string() };
        match design.onprem_sites.iter().position(|it| it.name == machine.site) {
            Some(site) => site_items[site].push(item),
            None => unplaced.push(item),
        }
    }

    for (vnet_idx, mut bands) in vnet_bands.into_iter().enumerate() {
        // GatewaySubnet last: its gateway's site connection then leaves the VNet from the
        // bottom, towards the sites drawn below, without crossing the other bands.
        crate::util::sort_by_key(&mut bands, |it| it.name == GATEWAY_SUBNET);
        let cols = vnet_cols(&bands);
        let (w, h) = container_size(&bands, cols, MIN_VNET_W, true);
        boxes.push(Boxed { vertex: Vertex::Vnet(vnet_idx), w, h, bands, cols });
    }
    let single =
        |items: Vec<Item>| vec![Band { name: String::new(), detail: String::new(), nsg: None, missing: false, items }];
    for (hub_idx, items) in hub_items.into_iter().enumerate() {
        let bands = single(items);
        let (w, h) = container_size(&bands, 1, header_width(&hub_detail(&design.virtual_hubs[hub_idx])), false);
        boxes.push(Boxed { vertex: Vertex::Hub(hub_idx), w, h, bands, cols: 1 });
    }
    for (site_idx, items) in site_items.into_iter().enumerate() {
        let bands = single(items);
        let (w, h) = container_size(&bands, 1, header_width(&site_detail(&design.onprem_sites[site_idx])), false);
        boxes.push(Boxed { vertex: Vertex::Site(site_idx), w, h, bands, cols: 1 });
    }
    if !unplaced.is_empty() {
        let bands = single(unplaced);
        let (w, h) = container_size(&bands, 2, MIN_VNET_W, false);
        boxes.push(Boxed { vertex: Vertex::Unplaced, w, h, bands, cols: 2 });
    }
    boxes
}

/// Neighbours of each box (by box position), sorted and without duplicates.
fn adjacency(design: &Design, index: &Lookup, boxes: &[Boxed]) -> Vec<Vec<usize>> {
    let pos_of = |vertex: Vertex| boxes.iter().position(|it| it.vertex == vertex);
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut link = |a: Option<usize>, b: Option<usize>| {
        if let (Some(a), Some(b)) = (a, b) {
            if a != b {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    };
    for peering in &design.peerings {
        let from = index.vnet_by_name.get(peering.from.as_str()).and_then(|&it| pos_of(Vertex::Vnet(it)));
        let to = index.vnet_by_name.get(peering.to.as_str()).and_then(|&it| pos_of(Vertex::Vnet(it)));
        link(from, to);
    }
    for connection in &design.hub_connections {
        let vnet = index.vnet_by_name.get(connection.vnet.as_str()).and_then(|&it| pos_of(Vertex::Vnet(it)));
        let hub = index.hub_by_name.get(connection.hub.as_str()).and_then(|&it| pos_of(Vertex::Hub(it)));
        link(vnet, hub);
    }
    for connection in &design.site_connections {
        let owner = design.gateways.iter().find(|it| it.name == connection.gateway).and_then(|gateway| {
            let vnet = gateway.vnet.as_deref().and_then(|it| index.vnet_by_name.get(it).copied());
            let hub = gateway.hub.as_deref().and_then(|it| index.hub_by_name.get(it).copied());
            match (vnet, hub) {
                (Some(vnet), _) => pos_of(Vertex::Vnet(vnet)),
                (None, Some(hub)) => pos_of(Vertex::Hub(hub)),
                (None, None) => None,
            }
        });
        let site = design
            .onprem_sites
            .iter()
            .position(|it| it.name == connection.site)
            .and_then(|it| pos_of(Vertex::Site(it)));
        link(owner, site);
    }
    // Hubs of one Virtual WAN are meshed, so they belong to one cluster.
    for (a, hub_a) in design.virtual_hubs.iter().enumerate() {
        for (b, hub_b) in design.virtual_hubs.iter().enumerate().skip(a + 1) {
            if hub_a.virtual_wan == hub_b.virtual_wan {
                link(pos_of(Vertex::Hub(a)), pos_of(Vertex::Hub(b)));
            }
        }
    }
    let mut res = vec![Vec::new(); boxes.len()];
    for (a, b) in pairs {
        res[a].push(b);
        res[b].push(a);
    }
    for it in &mut res {
        crate::util::sort(it);
    }
    res
}

/// Top-left corners when some boxes have a position: those stay where the person put them;
/// the others are laid out automatically among themselves (only they pay for the ring
/// search, so a design the person has arranged lays out in linear time) and, if that
/// picture would touch a placed box, moved as one block below everything placed.
fn place_around_fixed(
    design: &Design,
    index: &Lookup,
    boxes: &[Boxed],
    fixed: &[Option<(f64, f64)>],
) -> Vec<(f64, f64)> {
    let free: Vec<usize> = (0..boxes.len()).filter(|&it| fixed[it].is_none()).collect();
    let mut origins: Vec<(f64, f64)> = fixed.iter().map(|it| it.unwrap_or((0.0, 0.0))).collect();
    if free.is_empty() {
        return origins;
    }
    // The free boxes' own adjacency, renumbered to their slots in `free`.
    let all_adjacency = adjacency(design, index, boxes);
    let slot_of: BTreeMap<usize, usize> = crate::util::btree_map(free.iter().enumerate().map(|(slot, &it)| (it, slot)));
    let sub_adjacency: Vec<Vec<usize>> = free
        .iter()
        .map(|&it| all_adjacency[it].iter().filter_map(|next| slot_of.get(next).copied()).collect())
        .collect();
    let sub_boxes: Vec<&Boxed> = free.iter().map(|&it| &boxes[it]).collect();
    let sub_origins = place(&sub_boxes, &sub_adjacency);
    let rect_at = |it: usize, (x, y): (f64, f64)| Rect { x, y, w: boxes[it].w, h: boxes[it].h };
    let placed: Vec<Rect> = (0..boxes.len()).filter_map(|it| fixed[it].map(|origin| rect_at(it, origin))).collect();
    let touches = free
        .iter()
        .zip(&sub_origins)
        .any(|(&it, &origin)| placed.iter().any(|other| rect_at(it, origin).overlaps(other, CLEARANCE)));
    let (dx, dy) = if touches {
        let placed_bounds = placed.iter().skip(1).fold(placed[0], |acc, it| acc.union(it));
        let free_top = sub_origins.iter().map(|it| it.1).fold(f64::INFINITY, f64::min);
        let free_left = sub_origins.iter().map(|it| it.0).fold(f64::INFINITY, f64::min);
        (placed_bounds.x - free_left, placed_bounds.bottom() + CLUSTER_GAP - free_top)
    } else {
        (0.0, 0.0)
    };
    for (&it, &(x, y)) in free.iter().zip(&sub_origins) {
        origins[it] = (x + dx, y + dy);
    }
    origins
}

/// Top-left corner of every box.
fn place(boxes: &[&Boxed], adjacency: &[Vec<usize>]) -> Vec<(f64, f64)> {
    let mut origins = vec![(0.0, 0.0); boxes.len()];
    let mut seen = vec![false; boxes.len()];
    let mut cursor = (0.0_f64, 0.0_f64);
    let mut row_height = 0.0_f64;
    for start in 0..boxes.len() {
        if seen[start] {
            continue;
        }
        let mut component = vec![start];
        seen[start] = true;
        let mut head = 0;
        while head < component.len() {
            for &next in &adjacency[component[head]] {
                if !seen[next] {
                    seen[next] = true;
                    component.push(next);
                }
            }
            head += 1;
        }
        let centres = place_cluster_clear(boxes, adjacency, &component);
        let rects: Vec<Rect> = component
            .iter()
            .zip(&centres)
            .map(|(&it, &(cx, cy))| Rect::centred(cx, cy, boxes[it].w, boxes[it].h))
            .collect();
        let cluster = rects.iter().skip(1).fold(rects[0], |acc, it| acc.union(it));
        if cursor.0 > 0.0 && cursor.0 + cluster.w > ROW_WIDTH {
            cursor = (0.0, cursor.1 + row_height + CLUSTER_GAP);
            row_height = 0.0;
        }
        for (&it, rect) in component.iter().zip(&rects) {
            origins[it] = (rect.x - cluster.x + cursor.0, rect.y - cluster.y + cursor.1);
        }
        cursor.0 += cluster.w + CLUSTER_GAP;
        row_height = row_height.max(cluster.h);
    }
    origins
}

/// How the first ring's peered VNets are spread around the centre. Hub and spoke reads
/// best left and right; VNets peered with each other too (a mesh) would then sit in a
/// line with their edge running through the centre, so the other spreads put them on one
/// side (a triangle for a 3-mesh) or evenly round the centre.
#[derive(Clone, Copy, PartialEq)]
enum Spread {
    LeftRight,
    /// On the right, close together: a flat triangle fits a landscape screen.
    OneSide,
    OneSideWide,
    Around,
}

/// The cluster placed with the first spread whose connection lines cross no third box,
/// or failing that the one with the fewest crossings.
fn place_cluster_clear(boxes: &[&Boxed], adjacency: &[Vec<usize>], component: &[usize]) -> Vec<(f64, f64)> {
    let mut best: Option<(usize, Vec<(f64, f64)>)> = None;
    for spread in [Spread::LeftRight, Spread::OneSide, Spread::OneSideWide, Spread::Around] {
        let centres = place_cluster(boxes, adjacency, component, spread);
        let crossings = crossings(boxes, adjacency, component, &centres);
        if crossings == 0 {
            return centres;
        }
        if best.as_ref().is_none_or(|(fewest, _)| crossings < *fewest) {
            best = Some((crossings, centres));
        }
    }
    best.map(|(_, centres)| centres).unwrap_or_default()
}

/// Connection lines (centre to centre, which contains the drawn border-to-border part)
/// that pass through a box other than their two ends.
fn crossings(boxes: &[&Boxed], adjacency: &[Vec<usize>], component: &[usize], centres: &[(f64, f64)]) -> usize {
    let rects: Vec<Rect> =
        component.iter().zip(centres).map(|(&it, &(cx, cy))| Rect::centred(cx, cy, boxes[it].w, boxes[it].h)).collect();
    let slot = |it: usize| component.iter().position(|&other| other == it);
    let mut count = 0;
    for (a_slot, &a) in component.iter().enumerate() {
        for &b in adjacency[a].iter().filter(|&&b| b > a) {
            let Some(b_slot) = slot(b) else {
                continue;
            };
            let (from, to) = (rects[a_slot].centre(), rects[b_slot].centre());
            count += rects
                .iter()
                .enumerate()
                .filter(|&(it, rect)| {
                    it != a_slot && it != b_slot && rect.inflated(LINE_CLEARANCE).crosses_segment(from, to)
                })
                .count();
        }
    }
    count
}

/// Centres of a cluster's boxes: the best-connected member in the middle, the others on
/// rings by distance from it, each ring pushed out until nothing overlaps.
fn place_cluster(boxes: &[&Boxed], adjacency: &[Vec<usize>], component: &[usize], spread: Spread) -> Vec<(f64, f64)> {
    let degree = |it: usize| adjacency[it].len();
    let has_bastion =
        |it: usize| boxes[it].bands.iter().any(|band| band.items.iter().any(|item| item.kind == NodeKind::Bastion));
    let centre = component
        .iter()
        .copied()
        .max_by(|&a, &b| {
            (degree(a), matches!(boxes[a].vertex, Vertex::Hub(_)), has_bastion(a), std::cmp::Reverse(a)).cmp(&(
                degree(b),
                matches!(boxes[b].vertex, Vertex::Hub(_)),
                has_bastion(b),
                std::cmp::Reverse(b),
            ))
        })
        .unwrap_or(component[0]);

    // Rings by breadth-first distance; each member remembers its parent's angle.
    let mut depth = vec![usize::MAX; boxes.len()];
    let mut parent = vec![usize::MAX; boxes.len()];
    depth[centre] = 0;
    let mut order = vec![centre];
    let mut head = 0;
    while head < order.len() {
        let it = order[head];
        for &next in &adjacency[it] {
            if depth[next] == usize::MAX {
                depth[next] = depth[it] + 1;
                parent[next] = it;
                order.push(next);
            }
        }
        head += 1;
    }

    let mut centre_of = vec![(0.0, 0.0); boxes.len()];
    let mut angle_of = vec![0.0_f64; boxes.len()];
    let mut placed: Vec<Rect> = vec![Rect::centred(0.0, 0.0, boxes[centre].w, boxes[centre].h)];
    let max_depth = order.iter().map(|&it| depth[it]).max().unwrap_or(0);
    let mut floor = 0.0_f64;
    for ring in 1..=max_depth {
        let mut members: Vec<usize> = order.iter().copied().filter(|&it| depth[it] == ring).collect();
        let angles = if ring == 1 {
            // Around the centre, the way people draw hub and spoke: peered VNets to the
            // left and right, sites and vWAN hubs below and above.
            crate::util::sort_by_key(&mut members, |&it| (!matches!(boxes[it].vertex, Vertex::Vnet(_)), it));
            let n_spokes = members.iter().filter(|&&it| matches!(boxes[it].vertex, Vertex::Vnet(_))).count();
            let n_others = members.len() - n_spokes;
            let mut angles = Vec::new();
            let side = |count: usize, centre: f64, spread: f64| -> Vec<f64> {
                match count {
                    0 => Vec::new(),
                    1 => vec![centre],
                    _ => (0..count).map(|i| centre - spread + 2.0 * spread * i as f64 / (count - 1) as f64).collect(),
                }
            };
            match spread {
                Spread::LeftRight => {
                    let (right, left) = (n_spokes.div_ceil(2), n_spokes / 2);
                    let right_angles = side(right, 0.0, 1.0);
                    let left_angles = side(left, PI, 1.0);
                    for i in 0..n_spokes {
                        // Alternate sides so neighbours in design order face each other.
                        angles.push(if i % 2 == 0 { right_angles[i / 2] } else { left_angles[i / 2] });
                    }
                }
                Spread::OneSide => angles.extend(side(n_spokes, 0.0, 0.5)),
                Spread::OneSideWide => angles.extend(side(n_spokes, 0.0, 1.0)),
                Spread::Around => {
                    angles.extend((0..n_spokes).map(|i| -FRAC_PI_2 + TAU * (i as f64 + 0.5) / n_spokes as f64))
                }
            }
            let (below, above) = (n_others.div_ceil(2), n_others / 2);
            let below_angles = side(below, FRAC_PI_2, 0.6);
            let above_angles = side(above, -FRAC_PI_2, 0.6);
            for i in 0..n_others {
                angles.push(if i % 2 == 0 { below_angles[i / 2] } else { above_angles[i / 2] });
            }
            angles
        } else {
            crate::util::sort_by(&mut members, |&a, &b| {
                angle_of[parent[a]].total_cmp(&angle_of[parent[b]]).then(a.cmp(&b))
            });
            let n = members.len();
            let start = angle_of[parent[members[0]]];
            (0..n).map(|i| start + TAU * i as f64 / n as f64).collect()
        };
        // Each member walks out along its ray until it clears everything placed so far;
        // moving outward along a ray always ends clear of a finite set of boxes.
        let mut nearest = f64::MAX;
        for (&it, &angle) in members.iter().zip(&angles) {
            let (dx, dy) = (angle.cos(), angle.sin());
            let step = (boxes[it].w.min(boxes[it].h) / 6.0).max(8.0);
            // An outer ring starts where the inner one did, which saves steps on big designs.
            let mut distance = floor;
            let rect = loop {
                let rect = Rect::centred(distance * dx, distance * dy, boxes[it].w, boxes[it].h);
                if !placed.iter().any(|other| rect.overlaps(other, CLEARANCE)) {
                    break rect;
                }
                distance += step;
            };
            nearest = nearest.min(distance);
            angle_of[it] = angle;
            centre_of[it] = rect.centre();
            placed.push(rect);
        }
        floor = nearest;
    }
    component.iter().map(|&it| centre_of[it]).collect()
}

fn emit(design: &Design, boxed: &Boxed, origin: (f64, f64), scene: &mut Scene) {
    let rect = Rect { x: origin.0, y: origin.1, w: boxed.w, h: boxed.h };
    match boxed.vertex {
        Vertex::Vnet(idx) => {
            let vnet = &design.vnets[idx];
            let prefixes: Vec<String> = vnet.address_prefixes.iter().map(|it| it.to_string()).collect();
            let mut subnets = Vec::new();
            let mut y = rect.y + HEADER;
            let band_x = rect.x + PAD;
            let band_w = rect.w - 2.0 * PAD;
            for band in &boxed.bands {
                let h = band_height(band.items.len(), boxed.cols);
                subnets.push(SubnetBand {
                    name: band.name.clone(),
                    detail: band.detail.clone(),
                    nsg: band.nsg.clone(),
                    missing: band.missing,
                    rect: Rect { x: band_x, y, w: band_w, h },
                });
                cards(&band.items, band_x + 10.0, y + BAND_LABEL, boxed.cols, scene);
                y += h + BAND_GAP;
            }
            scene.vnets.push(Rc::new(VnetView {
                name: vnet.name.clone(),
                kind: ContainerKind::Vnet,
                detail: format!("{} · {}", prefixes.join(", "), vnet.region),
                rect,
                subnets,
            }));
        }
        Vertex::Unplaced => {
            scene.vnets.push(Rc::new(VnetView {
                name: String::new(),
                kind: ContainerKind::Unplaced,
                detail: "Resources whose VNet, hub or site does not exist".to_string(),
                rect,
                subnets: Vec::new(),
            }));
            cards(&boxed.bands[0].items, rect.x + PAD, rect.y + HEADER, boxed.cols, scene);
        }
        Vertex::Hub(idx) => {
            let hub = &design.virtual_hubs[idx];
            scene.nodes.push(Rc::new(NodeView {
                name: hub.name.clone(),
                kind: NodeKind::VirtualHub,
                detail: hub_detail(hub),
                rect,
            }));
            cards(&boxed.bands[0].items, rect.x + PAD, rect.y + HEADER, 1, scene);
        }
        Vertex::Site(idx) => {
            let site = &design.onprem_sites[idx];
            scene.nodes.push(Rc::new(NodeView {
                name: site.name.clone(),
                kind: NodeKind::Site,
                detail: site_detail(site),
                rect,
            }));
            cards(&boxed.bands[0].items, rect.x + PAD, rect.y + HEADER, 1, scene);
        }
    }
}

fn hub_detail(hub: &crate::model::VirtualHub) -> String {
    format!("vWAN hub · {}{}", hub.address_prefix, if hub.secured { " · secured" } else { "" })
}

fn site_detail(site: &crate::model::OnPremSite) -> String {
    let prefixes: Vec<String> = site.address_prefixes.iter().map(|it| it.to_string()).collect();
    format!("On-premises · {}", prefixes.join(", "))
}

/// A hub's or site's box is wide enough for its second line (icon, then about 6.6 units a
/// character at the header's 12 px), within reason: longer lists of prefixes are cut.
fn header_width(detail: &str) -> f64 {
    (60.0 + detail.chars().count() as f64 * 6.6).clamp(MIN_NODE_BOX_W, 2.0 * MIN_NODE_BOX_W)
}

fn cards(items: &[Item], x0: f64, y0: f64, cols: usize, scene: &mut Scene) {
    for (idx, item) in items.iter().enumerate() {
        let (row, col) = (idx / cols, idx % cols);
        scene.nodes.push(Rc::new(NodeView {
            name: item.name.clone(),
            kind: item.kind,
            detail: item.detail.clone(),
            rect: Rect {
                x: x0 + col as f64 * (CARD_W + GAP),
                y: y0 + row as f64 * (CARD_H + GAP),
                w: CARD_W,
                h: CARD_H,
            },
        }));
    }
}

fn emit_edges(design: &Design, index: &Lookup, scene: &mut Scene) {
    // Rects by name, so each line costs a look-up, not a scan of the scene.
    let vnet_rects: HashMap<&str, Rect> = scene
        .vnets
        .iter()
        .filter(|it| it.kind == ContainerKind::Vnet)
        .rev()
        .map(|it| (it.name.as_str(), it.rect))
        .collect();
    let node_rects: HashMap<(NodeKind, &str), Rect> = scene
        .nodes
        .iter()
        .filter(|it| matches!(it.kind, NodeKind::Gateway | NodeKind::VirtualHub | NodeKind::Site))
        .rev()
        .map(|it| ((it.kind, it.name.as_str()), it.rect))
        .collect();
    let vnet_rect = |name: &str| vnet_rects.get(name).copied();
    let node_rect = |name: &str, kind: NodeKind| node_rects.get(&(kind, name)).copied();
    let mut edges = Vec::new();
    for peering in &design.peerings {
        let (Some(own), Some(other)) = (vnet_rect(&peering.from), vnet_rect(&peering.to)) else {
            continue;
        };
        let state = index.peering_state(&peering.from, &peering.to).unwrap_or(PeeringState::Initiated);
        let start = own.border_towards(other.centre());
        let end = other.border_towards(own.centre());
        let mid = ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0);
        edges.push(EdgeView { name: peering.name.clone(), kind: EdgeKind::PeeringLink(state), from: start, to: mid });
    }
    for connection in &design.hub_connections {
        let (Some(vnet), Some(hub)) = (vnet_rect(&connection.vnet), node_rect(&connection.hub, NodeKind::VirtualHub))
        else {
            continue;
        };
        edges.push(EdgeView {
            name: connection.name.clone(),
            kind: EdgeKind::HubConnection,
            from: vnet.border_towards(hub.centre()),
            to: hub.border_towards(vnet.centre()),
        });
    }
    for connection in &design.site_connections {
        let (Some(gateway), Some(site)) =
            (node_rect(&connection.gateway, NodeKind::Gateway), node_rect(&connection.site, NodeKind::Site))
        else {
            continue;
        };
        let mut from = gateway.border_towards(site.centre());
        let to = site.border_towards(gateway.centre());
        // A line from the card that would run over another card (a site drawn beside or
        // above its VNet) starts at the VNet's border instead: it still points at the gateway's
        // VNet and hides nothing.
        let reach =
            Rect { x: from.0.min(to.0), y: from.1.min(to.1), w: (from.0 - to.0).abs(), h: (from.1 - to.1).abs() };
        let over_a_card = scene.nodes.iter().any(|it| {
            !it.kind.is_container()
                && it.rect.overlaps(&reach, 0.0)
                && (it.kind != NodeKind::Gateway || it.name != connection.gateway)
                && it.rect.crosses_segment(from, to)
        });
        let vnet = design.gateways.iter().find(|it| it.name == connection.gateway).and_then(|it| it.vnet.as_deref());
        if let (true, Some(vnet)) = (over_a_card, vnet.and_then(vnet_rect)) {
            from = vnet.border_towards(site.centre());
        }
        edges.push(EdgeView { name: connection.name.clone(), kind: EdgeKind::SiteConnection, from, to });
    }
    scene.edges = edges;
}

fn bounds(scene: &Scene) -> Rect {
    let mut rects = scene.vnets.iter().map(|it| it.rect).chain(scene.nodes.iter().map(|it| it.rect));
    match rects.next() {
        Some(first) => rects.fold(first, |acc, it| acc.union(&it)),
        None => Rect { x: 0.0, y: 0.0, w: 800.0, h: 500.0 },
    }
}
