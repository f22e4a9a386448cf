//! Canvas gestures as edits, pure and tested natively: what lies under a point, the
//! `Command` a palette drop, a connection drag or a move makes, and the default names a
//! new resource gets (Azure's style: `vnet-1`, `snet-1`, `bas-<vnet>`, `vm-1`, …).
//!
//! The page only turns pointer positions into canvas points and dispatches what these
//! functions return; a refused gesture is an `Err` with a sentence for the notice.

use super::{position_key, ContainerKind, NodeKind, Rect, Scene, Selection};
use crate::edit::{next_free_ip, next_free_prefix, Command, Item, NsgTarget};
use crate::model::*;
use std::collections::BTreeMap;

/// What lies under a canvas point, the innermost first: a card, a subnet band, a VNet, a
/// vWAN hub or site box, or empty canvas.
#[derive(Clone, Debug, PartialEq)]
pub enum Spot {
    Canvas,
    Vnet(String),
    Subnet {
        vnet: String,
        subnet: String,
    },
    Hub(String),
    Site(String),
    /// A card (VM, Bastion, gateway, machine), as the selection it stands for.
    Card(Selection),
}

/// The selection a card or box of the scene stands for.
pub fn node_selection(kind: NodeKind, name: &str) -> Selection {
    Selection::from_key(&format!("{}:{name}", kind.slug()))
}

/// The `data-select` key of a selection (the inverse of `Selection::from_key`).
pub fn select_key(selection: &Selection) -> Option<String> {
    let kind = match selection {
        Selection::None => return None,
        Selection::Vnet(_) => "vnet",
        Selection::Vm { .. } => "vm",
        Selection::Bastion(_) => "bastion",
        Selection::VirtualHub(_) => "vwan-hub",
        Selection::Gateway(_) => "gateway",
        Selection::Site(_) => "onprem-site",
        Selection::Machine(_) => "onprem-machine",
        Selection::User(_) => "user",
        Selection::Nsg(_) => "nsg",
        Selection::Peering(_) => "peering",
        Selection::Connection(_) => "connection",
    };
    Some(format!("{kind}:{}", selection.name()?))
}

fn inside(rect: &Rect, (x, y): (f64, f64)) -> bool {
    x >= rect.x && x <= rect.right() && y >= rect.y && y <= rect.bottom()
}

/// What the point `at` (canvas units) lands on.
pub fn spot_at(scene: &Scene, at: (f64, f64)) -> Spot {
    // Cards are drawn last, so the last card under the point is the one on top.
    if let Some(card) = scene.nodes.iter().rev().find(|it| !it.kind.is_container() && inside(&it.rect, at)) {
        return Spot::Card(node_selection(card.kind, &card.name));
    }
    if let Some(node) = scene.nodes.iter().rev().find(|it| it.kind.is_container() && inside(&it.rect, at)) {
        return match node.kind {
            NodeKind::Site => Spot::Site(node.name.clone()),
            _ => Spot::Hub(node.name.clone()),
        };
    }
    let Some(vnet) = scene.vnets.iter().rev().find(|it| it.kind == ContainerKind::Vnet && inside(&it.rect, at)) else {
        return Spot::Canvas;
    };
    match vnet.subnets.iter().find(|band| !band.missing && inside(&band.rect, at)) {
        Some(band) if band.name != super::DEVELOPER_BAND => {
            Spot::Subnet { vnet: vnet.name.clone(), subnet: band.name.clone() }
        }
        _ => Spot::Vnet(vnet.name.clone()),
    }
}

/// The VNet a spot is in, if any (a card counts as in the VNet that holds it).
pub fn vnet_of(design: &Design, spot: &Spot) -> Option<String> {
    match spot {
        Spot::Vnet(vnet) | Spot::Subnet { vnet, .. } => Some(vnet.clone()),
        Spot::Card(Selection::Vm { vm, .. }) => {
            design.vms.iter().find(|it| it.name == *vm).map(|it| it.nic.vnet.clone())
        }
        Spot::Card(Selection::Bastion(name)) => {
            design.bastions.iter().find(|it| it.name == *name).map(|it| it.vnet.clone()).filter(|it| !it.is_empty())
        }
        Spot::Card(Selection::Gateway(name)) => design.gateways.iter().find(|it| it.name == *name)?.vnet.clone(),
        _ => None,
    }
    .filter(|it| design.vnet(it).is_some())
}

/// The first `<prefix>-<n>` (n from 1) that `taken` does not hold.
pub fn unique_name(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|n| format!("{prefix}-{n}")).find(|it| !taken(it)).unwrap_or_default()
}

/// `base` itself when free, else `base-2`, `base-3`, …
fn unique_from(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|it| !taken(it)).unwrap_or_default()
}

/// Where new resources go: the subscription, resource group and region of the design's
/// first VNet, else sensible defaults.
fn home(design: &Design) -> (String, String, String) {
    let subscription = design
        .subscriptions
        .first()
        .map(|it| it.id.clone())
        .or_else(|| design.vnets.first().map(|it| it.subscription.clone()))
        .unwrap_or_else(|| "sub-1".to_string());
    let resource_group =
        design.vnets.first().map(|it| it.resource_group.clone()).unwrap_or_else(|| "rg-network".to_string());
    let region = design.vnets.first().map(|it| it.region.clone()).unwrap_or_else(|| "westeurope".to_string());
    (subscription, resource_group, region)
}

/// Every address space the design already uses (VNets, hubs, on-premises sites).
fn used_spaces(design: &Design) -> Vec<Cidr> {
    let vnets = design.vnets.iter().flat_map(|it| it.address_prefixes.iter().copied());
    let hubs = design.virtual_hubs.iter().map(|it| it.address_prefix);
    let sites = design.onprem_sites.iter().flat_map(|it| it.address_prefixes.iter().copied());
    vnets.chain(hubs).chain(sites).collect()
}

/// The first aligned prefix of length `len` inside `within` that overlaps no used space.
pub fn free_space(design: &Design, within: Cidr, len: u8) -> Option<Cidr> {
    if len < within.len || len > 32 {
        return None;
    }
    let used = used_spaces(design);
    let step = 1u64 << (32 - u32::from(len));
    let mut base = u64::from(within.network());
    let end = u64::from(within.last());
    while base + step - 1 <= end {
        let candidate = Cidr::new(base as u32, len);
        match used.iter().filter(|it| it.overlaps(&candidate)).map(|it| u64::from(it.last()) + 1).max() {
            // Jump past the space in the way (aligned up), which keeps big designs quick.
            Some(past) => base = past.max(base + step).div_ceil(step) * step,
            None => return Some(candidate),
        }
    }
    None
}

fn cidr(text: &str) -> Cidr {
    text.parse().unwrap_or(Cidr::new(0x0A00_0000, 8))
}

/// A palette drop's edit, and what to select once it is applied (the new resource, so the
/// person can rename it in the inspector).
#[derive(Clone, Debug, PartialEq)]
pub struct Gesture {
    pub command: Command,
    pub select: Selection,
}

/// The top-left corner a dropped box gets, so the point stays over its header.
fn box_origin(at: (f64, f64)) -> Point {
    Point { x: (at.0 - 40.0).round(), y: (at.1 - 20.0).round() }
}

fn ordinary_subnet(name: &str) -> bool {
    name != BASTION_SUBNET && name != GATEWAY_SUBNET
}

/// The edit a palette item of `kind` (the `palette-<kind>` testid's kind) dropped at `at`
/// makes, or why it cannot be dropped there.
pub fn palette_drop(design: &Design, scene: &Scene, kind: &str, at: (f64, f64)) -> Result<Gesture, String> {
    let spot = spot_at(scene, at);
    let (subscription, resource_group, region) = home(design);
    let in_vnet = || vnet_of(design, &spot).and_then(|name| design.vnet(&name).cloned());
    match kind {
        "vnet" => {
            if spot != Spot::Canvas {
                return Err("Drop a VNet on empty canvas.".into());
            }
            let name = unique_name("vnet", |it| design.vnet(it).is_some());
            let space = free_space(design, cidr("10.0.0.0/8"), 16)
                .or_else(|| free_space(design, cidr("172.16.0.0/12"), 16))
                .ok_or("No free /16 address space is left in 10.0.0.0/8 or 172.16.0.0/12.")?;
            let subnet =
                Subnet { name: "snet-1".into(), prefix: Cidr::new(space.network(), 24), nsg: None, route_table: None };
            let vnet = Vnet {
                name: name.clone(),
                subscription,
                resource_group,
                region,
                address_prefixes: vec![space],
                subnets: vec![subnet],
                private_dns_zones: Vec::new(),
                route_server_default_route: false,
            };
            Ok(Gesture {
                command: Command::AddVnet { vnet, position: Some(box_origin(at)) },
                select: Selection::Vnet(name),
            })
        }
        "subnet" => {
            let vnet = in_vnet().ok_or("Drop a subnet into a VNet.")?;
            let name = unique_name("snet", |it| vnet.subnet(it).is_some());
            let prefix = (24..=29)
                .find_map(|len| next_free_prefix(&vnet, len))
                .ok_or_else(|| format!("VNet '{}' has no free address range for a subnet.", vnet.name))?;
            let subnet = Subnet { name, prefix, nsg: None, route_table: None };
            Ok(Gesture {
                command: Command::AddSubnet { vnet: vnet.name.clone(), subnet },
                select: Selection::Vnet(vnet.name),
            })
        }
        "bastion" => {
            let vnet = in_vnet().ok_or("Drop a Bastion into a VNet.")?;
            if let Some(other) = design.bastions.iter().find(|it| it.vnet == vnet.name && it.sku.is_dedicated()) {
                return Err(format!("VNet '{}' already has Bastion '{}' (one per VNet).", vnet.name, other.name));
            }
            let name = unique_from(&format!("bas-{}", vnet.name), |it| design.bastions.iter().any(|b| b.name == it));
            let pip = unique_from(&format!("pip-{name}"), |it| design.public_ips.iter().any(|p| p.name == it));
            let bastion = BastionHost::with_defaults(&name, &vnet.name, BastionSku::Standard, Some(pip));
            Ok(Gesture { command: Command::AddBastion { bastion }, select: Selection::Bastion(name) })
        }
        "vm" => {
            let vnet = in_vnet().ok_or("Drop a VM into a subnet of a VNet.")?;
            let subnet = match &spot {
                Spot::Subnet { subnet, .. } if ordinary_subnet(subnet) => subnet.clone(),
                Spot::Subnet { subnet, .. } => {
                    return Err(format!("A VM cannot go into {subnet}: drop it into another subnet."))
                }
                Spot::Card(Selection::Vm { vm, .. }) => {
                    design.vms.iter().find(|it| it.name == *vm).map(|it| it.nic.subnet.clone()).unwrap_or_default()
                }
                _ => vnet
                    .subnets
                    .iter()
                    .find(|it| ordinary_subnet(&it.name))
                    .map(|it| it.name.clone())
                    .ok_or_else(|| format!("VNet '{}' has no subnet for VMs: add a subnet first.", vnet.name))?,
            };
            let name = unique_name("vm", |it| design.vms.iter().any(|vm| vm.name == it));
            let ip = next_free_ip(design, &vnet.name, &subnet, None)
                .ok_or_else(|| format!("Subnet '{subnet}' has no free address."))?;
            let vm = Vm::in_subnet(
                &name,
                (&vnet.subscription, &vnet.resource_group),
                (Os::Linux, SignIn::SshKey),
                (&vnet.name, &subnet, ip),
            );
            Ok(Gesture { command: Command::AddVm { vm }, select: Selection::Vm { vm: name, bastion: None } })
        }
        "nsg" => {
            let taken = |it: &str| design.nsgs.iter().any(|n| n.name == it);
            let (base, target, owner) = match &spot {
                Spot::Subnet { vnet, subnet } => (
                    format!("nsg-{vnet}-{subnet}"),
                    NsgTarget::Subnet { vnet: vnet.clone(), subnet: subnet.clone() },
                    design.vnet(vnet).map(|it| (it.subscription.clone(), it.resource_group.clone())),
                ),
                Spot::Card(Selection::Vm { vm, .. }) => (
                    format!("nsg-{vm}"),
                    NsgTarget::Nic { vm: vm.clone() },
                    design
                        .vms
                        .iter()
                        .find(|it| it.name == *vm)
                        .map(|it| (it.subscription.clone(), it.resource_group.clone())),
                ),
                _ => return Err("Drop an NSG onto a subnet or a VM.".into()),
            };
            let name = unique_from(&base, taken);
            let (subscription, resource_group) = owner.unwrap_or((subscription, resource_group));
            let nsg = Nsg { name: name.clone(), subscription, resource_group, rules: Vec::new() };
            let command =
                Command::Batch(vec![Command::AddNsg { nsg }, Command::SetNsg { target, nsg: Some(name.clone()) }]);
            Ok(Gesture { command, select: Selection::Nsg(name) })
        }
        "vwan-hub" => {
            if spot != Spot::Canvas {
                return Err("Drop a vWAN hub on empty canvas.".into());
            }
            let mut commands = Vec::new();
            let wan = match design.virtual_wans.first() {
                Some(wan) => wan.name.clone(),
                None => {
                    let wan = VirtualWan { name: "vwan-1".into(), subscription, resource_group };
                    commands.push(Command::Insert { item: Item::VirtualWan(wan.clone()) });
                    wan.name
                }
            };
            let name = unique_name("vhub", |it| design.virtual_hubs.iter().any(|h| h.name == it));
            let prefix =
                free_space(design, cidr("10.0.0.0/8"), 23).ok_or("No free /23 is left in 10.0.0.0/8 for a hub.")?;
            let hub =
                VirtualHub { name: name.clone(), virtual_wan: wan, region, address_prefix: prefix, secured: false };
            commands.push(Command::Insert { item: Item::VirtualHub(hub) });
            commands.push(Command::Move { positions: vec![(position_key("hub", &name), box_origin(at))] });
            Ok(Gesture { command: Command::Batch(commands), select: Selection::VirtualHub(name) })
        }
        "gateway" => {
            let taken = |it: &str| design.gateways.iter().any(|g| g.name == it);
            if let Spot::Hub(hub) = &spot {
                let name = unique_from(&format!("vpng-{hub}"), taken);
                let gateway =
                    Gateway { name: name.clone(), kind: GatewayKind::Vpn, vnet: None, hub: Some(hub.clone()) };
                return Ok(Gesture {
                    command: Command::Insert { item: Item::Gateway(gateway) },
                    select: Selection::Gateway(name),
                });
            }
            let vnet = in_vnet().ok_or("Drop a gateway into a VNet or a vWAN hub.")?;
            if let Some(other) =
                design.gateways.iter().find(|it| it.vnet.as_deref() == Some(&vnet.name) && it.kind == GatewayKind::Vpn)
            {
                return Err(format!("VNet '{}' already has VPN gateway '{}'.", vnet.name, other.name));
            }
            let mut commands = Vec::new();
            if vnet.subnet(GATEWAY_SUBNET).is_none() {
                let prefix = next_free_prefix(&vnet, 27)
                    .ok_or_else(|| format!("VNet '{}' has no free /27 for GatewaySubnet.", vnet.name))?;
                let subnet = Subnet { name: GATEWAY_SUBNET.into(), prefix, nsg: None, route_table: None };
                commands.push(Command::AddSubnet { vnet: vnet.name.clone(), subnet });
            }
            let name = unique_from(&format!("vpng-{}", vnet.name), taken);
            let gateway =
                Gateway { name: name.clone(), kind: GatewayKind::Vpn, vnet: Some(vnet.name.clone()), hub: None };
            commands.push(Command::Insert { item: Item::Gateway(gateway) });
            Ok(Gesture { command: Command::Batch(commands), select: Selection::Gateway(name) })
        }
        "onprem-site" => {
            if spot != Spot::Canvas {
                return Err("Drop an on-premises site on empty canvas.".into());
            }
            let name = unique_name("site", |it| design.onprem_sites.iter().any(|s| s.name == it));
            let prefix = free_space(design, cidr("192.168.0.0/16"), 24)
                .or_else(|| free_space(design, cidr("172.16.0.0/12"), 24))
                .ok_or("No free /24 is left in 192.168.0.0/16 for the site.")?;
            let site = OnPremSite { name: name.clone(), address_prefixes: vec![prefix] };
            let command = Command::Batch(vec![
                Command::Insert { item: Item::OnPremSite(site) },
                Command::Move { positions: vec![(position_key("site", &name), box_origin(at))] },
            ]);
            Ok(Gesture { command, select: Selection::Site(name) })
        }
        "onprem-machine" => {
            let site_name = match &spot {
                Spot::Site(site) => site.clone(),
                Spot::Card(Selection::Machine(machine)) => design
                    .onprem_machines
                    .iter()
                    .find(|it| it.name == *machine)
                    .map(|it| it.site.clone())
                    .unwrap_or_default(),
                _ => return Err("Drop an on-premises machine into an on-premises site.".into()),
            };
            let site = design
                .onprem_sites
                .iter()
                .find(|it| it.name == site_name)
                .ok_or("Drop an on-premises machine into an on-premises site.")?;
            let used: Vec<Ipv4> = design.onprem_machines.iter().map(|it| it.ip).collect();
            let ip = site
                .address_prefixes
                .iter()
                .find_map(|prefix| (prefix.network() + 10..prefix.last()).map(Ipv4).find(|ip| !used.contains(ip)))
                .ok_or_else(|| format!("Site '{site_name}' has no free address."))?;
            let name = unique_name("onprem-vm", |it| design.onprem_machines.iter().any(|m| m.name == it));
            let machine = OnPremMachine { name: name.clone(), site: site_name, ip, os: Os::Linux, port: None };
            Ok(Gesture {
                command: Command::Insert { item: Item::OnPremMachine(machine) },
                select: Selection::Machine(name),
            })
        }
        "user" => {
            let name = unique_name("user", |it| {
                design.users.iter().any(|u| u.name == it) || design.groups.iter().any(|g| g.name == it)
            });
            let user = User { name: name.clone(), display_name: String::new() };
            Ok(Gesture { command: Command::Insert { item: Item::User(user) }, select: Selection::User(name) })
        }
        _ => Err(format!("Unknown palette item '{kind}'.")),
    }
}

/// The edit a connection drag makes: from a VNet's handle to another VNet (a peering, both
/// links), between a VNet and a vWAN hub (a hub connection), from a gateway to a site (a
/// site connection; a VNet with a VPN gateway counts as its gateway).
pub fn connect(design: &Design, scene: &Scene, from: &Selection, at: (f64, f64)) -> Result<Gesture, String> {
    // A card inside a site or hub box stands for its box here.
    let spot = match spot_at(scene, at) {
        Spot::Card(Selection::Machine(name)) => match design.onprem_machines.iter().find(|it| it.name == name) {
            Some(machine) => Spot::Site(machine.site.clone()),
            None => Spot::Canvas,
        },
        Spot::Card(Selection::Gateway(name)) => {
            match design.gateways.iter().find(|it| it.name == name).and_then(|it| it.hub.clone()) {
                Some(hub) => Spot::Hub(hub),
                None => Spot::Card(Selection::Gateway(name)),
            }
        }
        other => other,
    };
    let target_vnet = vnet_of(design, &spot);
    match (from, &spot) {
        (Selection::Vnet(a), Spot::Site(site)) | (Selection::Gateway(a), Spot::Site(site)) => {
            let gateway = match from {
                Selection::Gateway(name) => name.clone(),
                _ => design
                    .gateways
                    .iter()
                    .find(|it| it.vnet.as_deref() == Some(a))
                    .map(|it| it.name.clone())
                    .ok_or_else(|| format!("VNet '{a}' has no gateway: drop one into it first."))?,
            };
            if design.site_connections.iter().any(|it| it.gateway == gateway && it.site == *site) {
                return Err(format!("'{gateway}' is already connected to '{site}'."));
            }
            let name =
                unique_from(&format!("cn-{gateway}-{site}"), |it| design.site_connections.iter().any(|c| c.name == it));
            let connection =
                SiteConnection { name: name.clone(), gateway, site: site.clone(), advertises_default_route: false };
            Ok(Gesture {
                command: Command::Insert { item: Item::SiteConnection(connection) },
                select: Selection::Connection(name),
            })
        }
        (Selection::Vnet(vnet), Spot::Hub(hub)) => hub_connection(design, vnet, hub),
        (Selection::VirtualHub(hub), _) if target_vnet.is_some() => {
            hub_connection(design, target_vnet.as_deref().unwrap_or_default(), hub)
        }
        (Selection::Vnet(a), _) => {
            let b = target_vnet.ok_or("Drop the connection on another VNet, a vWAN hub or a site.")?;
            if *a == b {
                return Err("A VNet cannot be peered with itself.".into());
            }
            let has = |from: &str, to: &str| design.peerings.iter().any(|it| it.from == from && it.to == to);
            if has(a, &b) && has(&b, a) {
                return Err(format!("'{a}' and '{b}' are already peered."));
            }
            let link = PeeringLink::with_defaults(a, &b).name;
            Ok(Gesture { command: Command::AddPeering { a: a.clone(), b }, select: Selection::Peering(link) })
        }
        _ => {
            Err("Drag from a VNet's handle to another VNet, a vWAN hub or a site, or from a gateway to a site.".into())
        }
    }
}

fn hub_connection(design: &Design, vnet: &str, hub: &str) -> Result<Gesture, String> {
    if let Some(existing) = design.hub_connections.iter().find(|it| it.vnet == vnet) {
        return Err(format!("VNet '{vnet}' is already connected to hub '{}'.", existing.hub));
    }
    let name = unique_from(&format!("conn-{vnet}"), |it| design.hub_connections.iter().any(|c| c.name == it));
    let connection = HubConnection {
        name: name.clone(),
        vnet: vnet.to_string(),
        hub: hub.to_string(),
        propagate_default_route: false,
    };
    Ok(Gesture {
        command: Command::Insert { item: Item::HubConnection(connection) },
        select: Selection::Connection(name),
    })
}

/// The edit dropping a dragged VM card at `at` makes: into another subnet, a `MoveVm`.
/// `None` when it lands where it already is (or nowhere it can go).
pub fn vm_drop(design: &Design, scene: &Scene, vm: &str, at: (f64, f64)) -> Result<Option<Command>, String> {
    let Some(current) = design.vms.iter().find(|it| it.name == vm) else {
        return Ok(None);
    };
    let (vnet, subnet) = match spot_at(scene, at) {
        Spot::Subnet { vnet, subnet } => (vnet, subnet),
        Spot::Card(Selection::Vm { vm: other, .. }) => match design.vms.iter().find(|it| it.name == other) {
            Some(it) => (it.nic.vnet.clone(), it.nic.subnet.clone()),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    if current.nic.vnet == vnet && current.nic.subnet == subnet {
        return Ok(None);
    }
    if !ordinary_subnet(&subnet) {
        return Err(format!("A VM cannot go into {subnet}."));
    }
    Ok(Some(Command::MoveVm { vm: vm.to_string(), vnet, subnet }))
}

/// What a drag starting on `pressed` moves: every selected VNet, hub and site when it is
/// one of them, else the pressed box alone.
pub fn drag_group(pressed: &Selection, selected: &[Selection]) -> Vec<Selection> {
    let movable = |it: &Selection| matches!(it, Selection::Vnet(_) | Selection::VirtualHub(_) | Selection::Site(_));
    if !movable(pressed) {
        return Vec::new();
    }
    if selected.contains(pressed) {
        selected.iter().filter(|it| movable(it)).cloned().collect()
    } else {
        vec![pressed.clone()]
    }
}

/// The `data-select` keys of every element a drag of `group` moves on screen: the boxes
/// and the cards inside them.
pub fn drag_elements(scene: &Scene, group: &[Selection]) -> Vec<String> {
    let rects: Vec<Rect> = group.iter().filter_map(|it| scene.rect_of(it)).collect();
    let mut keys: Vec<String> = group.iter().filter_map(select_key).collect();
    for node in scene.nodes.iter() {
        if !node.kind.is_container() && rects.iter().any(|it| it.contains(&node.rect)) {
            keys.extend(select_key(&node_selection(node.kind, &node.name)));
        }
    }
    keys
}

/// The one `Move` a finished drag (or a nudge) commits: the moved boxes' new positions,
/// and — the first time anything moves — the current position of every other box, so
/// the rest of the picture stays exactly where the person sees it.
pub fn move_command(
    scene: &Scene,
    positions: &BTreeMap<String, Point>,
    moved: &[Selection],
    dx: f64,
    dy: f64,
) -> Option<Command> {
    if dx == 0.0 && dy == 0.0 {
        return None;
    }
    let mut res = super::nudged_positions(scene, moved, dx, dy);
    if res.is_empty() {
        return None;
    }
    let everything = super::every_selection(scene);
    let kept = super::nudged_positions(scene, &everything, 0.0, 0.0);
    for (key, point) in kept {
        if !positions.contains_key(&key) && !res.iter().any(|it| it.0 == key) {
            res.push((key, point));
        }
    }
    crate::util::sort_by(&mut res, |a, b| a.0.cmp(&b.0));
    Some(Command::Move { positions: res })
}

/// The resources a rubber band covers entirely: VNets, boxes and cards.
pub fn selections_in(scene: &Scene, band: Rect) -> Vec<Selection> {
    let vnets = scene
        .vnets
        .iter()
        .filter(|it| it.kind == ContainerKind::Vnet && band.contains(&it.rect))
        .map(|it| Selection::Vnet(it.name.clone()));
    let nodes = scene.nodes.iter().filter(|it| band.contains(&it.rect)).map(|it| node_selection(it.kind, &it.name));
    vnets.chain(nodes).collect()
}

/// The selection after a shift-click: `clicked` added, or removed when it was selected.
pub fn toggled(selected: &[Selection], clicked: Selection) -> Vec<Selection> {
    if clicked == Selection::None {
        return selected.to_vec();
    }
    if selected.contains(&clicked) {
        selected.iter().filter(|it| **it != clicked).cloned().collect()
    } else {
        let mut res = selected.to_vec();
        res.push(clicked);
        res
    }
}
