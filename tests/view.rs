//! The canvas view model, checked natively: every scenario (and a crowded design) lays out
//! with no VNet boxes overlapping, every card inside the box that holds it, peering links
//! as half edges, the same picture every time; and the overlays colour targets as the
//! analysis decides.

use bastion_sim::engine::{Target, Verdict};
use bastion_sim::model::{BastionSku, PeeringState};
use bastion_sim::model::{Design, GatewayKind, HubConnection, OnPremMachine, OnPremSite, Os, VirtualHub, VirtualWan};
use bastion_sim::model::{Gateway, PeeringLink, SiteConnection};
use bastion_sim::scenarios::{self, builder::DesignBuilder};
use bastion_sim::view::{bastion_overlay, pair_status, path_points, Status};
use bastion_sim::view::{layout, ContainerKind, EdgeKind, NodeKind, Rect, Scene, Selection, Viewport, DEVELOPER_BAND};

/// The invariants a person relies on when reading the canvas.
fn check_scene(name: &str, design: &Design, scene: &Scene) {
    for (i, a) in scene.vnets.iter().enumerate() {
        for b in &scene.vnets[i + 1..] {
            assert!(!a.rect.overlaps(&b.rect, 0.0), "{name}: VNet boxes {} and {} overlap", a.name, b.name);
        }
        for node in scene.nodes.iter().filter(|it| it.kind.is_container()) {
            assert!(!a.rect.overlaps(&node.rect, 0.0), "{name}: {} overlaps {}", a.name, node.name);
        }
    }
    for vm in &design.vms {
        let node = scene.node(&vm.name, NodeKind::Vm).unwrap_or_else(|| panic!("{name}: no card for VM {}", vm.name));
        let vnet = scene.vnet(&vm.nic.vnet).unwrap_or_else(|| panic!("{name}: no box for VNet {}", vm.nic.vnet));
        assert!(vnet.rect.contains(&node.rect), "{name}: VM {} outside its VNet {}", vm.name, vnet.name);
        let band = vnet.subnets.iter().find(|it| it.name == vm.nic.subnet).expect("subnet band");
        assert!(band.rect.contains(&node.rect), "{name}: VM {} outside its subnet band", vm.name);
    }
    for bastion in &design.bastions {
        let node = scene.node(&bastion.name, NodeKind::Bastion).expect("Bastion card");
        if let Some(vnet) = scene.vnet(&bastion.vnet) {
            assert!(vnet.rect.contains(&node.rect), "{name}: Bastion {} outside its VNet", bastion.name);
            // A Developer Bastion is not deployed into the VNet: it never shows a subnet as missing.
            let band_name = if bastion.sku == BastionSku::Developer { DEVELOPER_BAND } else { "AzureBastionSubnet" };
            let band = vnet.subnets.iter().find(|it| it.name == band_name).expect("Bastion band");
            assert!(band.rect.contains(&node.rect), "{name}: Bastion {} outside {band_name}", bastion.name);
            if bastion.sku == BastionSku::Developer {
                assert!(!band.missing, "{name}: Developer Bastion {} drawn in a missing subnet", bastion.name);
                assert!(
                    !vnet.subnets.iter().any(|it| it.missing && it.name == "AzureBastionSubnet"),
                    "{name}: a Developer Bastion's VNet {} shows AzureBastionSubnet as missing",
                    vnet.name
                );
            }
        }
    }
    for link in &design.peerings {
        assert!(scene.edges.iter().any(|it| it.name == link.name), "{name}: no edge for peering link {}", link.name);
    }
    assert_eq!(&layout(design), scene, "{name}: the layout is not deterministic");
}

#[test]
fn every_scenario_lays_out_readably() {
    let all = scenarios::all();
    assert!(!all.is_empty());
    for scenario in all {
        let design = (scenario.build)();
        let scene = layout(&design);
        check_scene(scenario.name, &design, &scene);
    }
}

#[test]
fn the_default_scenario_puts_the_hub_between_its_spokes() {
    let design = (scenarios::by_name(scenarios::DEFAULT).expect("default scenario").build)();
    let scene = layout(&design);
    let hub_name = &design.bastions[0].vnet;
    let hub = scene.vnet(hub_name).expect("hub box").rect.centre();
    let spokes: Vec<f64> = design
        .peerings
        .iter()
        .filter(|it| &it.from == hub_name)
        .map(|it| scene.vnet(&it.to).expect("spoke box").rect.centre().0)
        .collect();
    assert!(spokes.len() >= 2, "the default scenario has a hub with two spokes");
    let (left, right) =
        (spokes.iter().copied().fold(f64::MAX, f64::min), spokes.iter().copied().fold(f64::MIN, f64::max));
    assert!(left < hub.0 && hub.0 < right, "the hub is not between its spokes");
}

/// Twelve spokes around one hub, a vWAN hub with two connected VNets and a VPN site:
/// the ring has to grow until nothing touches.
fn crowded() -> Design {
    let mut b = DesignBuilder::new("crowded", "many spokes");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("AzureBastionSubnet", "10.0.1.0/26");
    b.bastion_standard("bas-hub", "hub");
    for i in 1..=12 {
        let name = format!("spoke-{i:02}");
        b.vnet(&name, "sub", "rg", "westeurope", &format!("10.{i}.0.0/16"))
            .subnet("snet-app", &format!("10.{i}.1.0/24"));
        for vm in 0..(i % 5) {
            b.vm_linux(&format!("vm-{i:02}-{vm}"), &name, "snet-app", &format!("10.{i}.1.{}", vm + 4));
        }
        b.peer("hub", &name);
    }
    b.vnet("lonely", "sub", "rg", "westeurope", "10.50.0.0/16").subnet("snet", "10.50.1.0/24");
    b.vnet("vwan-a", "sub", "rg", "westeurope", "10.60.0.0/16").subnet("snet", "10.60.1.0/24");
    b.vnet("vwan-b", "sub", "rg", "westeurope", "10.61.0.0/16").subnet("snet", "10.61.1.0/24");
    let mut design = b.finish();
    // An Initiated peering: only the lonely VNet's link exists.
    design.peerings.push(PeeringLink {
        name: "lonely-to-hub".into(),
        from: "lonely".into(),
        to: "hub".into(),
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
        allow_gateway_transit: false,
        use_remote_gateways: false,
    });
    design.virtual_wans.push(VirtualWan {
        name: "wan".into(),
        subscription: "sub".into(),
        resource_group: "rg".into(),
    });
    design.virtual_hubs.push(VirtualHub {
        name: "vhub-weu".into(),
        virtual_wan: "wan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().expect("prefix"),
        secured: false,
    });
    for vnet in ["vwan-a", "vwan-b"] {
        design.hub_connections.push(HubConnection {
            name: format!("conn-{vnet}"),
            vnet: vnet.into(),
            hub: "vhub-weu".into(),
            propagate_default_route: false,
        });
    }
    design.gateways.push(Gateway {
        name: "vpngw".into(),
        kind: GatewayKind::Vpn,
        vnet: None,
        hub: Some("vhub-weu".into()),
    });
    design.onprem_sites.push(OnPremSite {
        name: "site-paris".into(),
        address_prefixes: vec!["192.168.0.0/16".parse().expect("prefix")],
    });
    design.site_connections.push(SiteConnection {
        name: "conn-paris".into(),
        gateway: "vpngw".into(),
        site: "site-paris".into(),
        advertises_default_route: false,
    });
    design.onprem_machines.push(OnPremMachine {
        name: "pc-paris-01".into(),
        site: "site-paris".into(),
        ip: "192.168.1.10".parse().expect("ip"),
        os: Os::Windows,
        port: None,
    });
    design
}

#[test]
fn a_crowded_design_lays_out_without_overlaps() {
    let design = crowded();
    let scene = layout(&design);
    check_scene("crowded", &design, &scene);
    let hub = scene.node("vhub-weu", NodeKind::VirtualHub).expect("vWAN hub node");
    let gateway = scene.node("vpngw", NodeKind::Gateway).expect("gateway card");
    assert!(hub.rect.contains(&gateway.rect), "the hub's gateway is drawn inside the hub");
    let site = scene.node("site-paris", NodeKind::Site).expect("site node");
    let machine = scene.node("pc-paris-01", NodeKind::Machine).expect("machine card");
    assert!(site.rect.contains(&machine.rect), "the machine is drawn inside its site");
    for name in ["conn-vwan-a", "conn-vwan-b", "conn-paris"] {
        assert!(scene.edges.iter().any(|it| it.name == name), "no edge for {name}");
    }
    assert!(scene.vnets.iter().all(|it| it.kind == ContainerKind::Vnet));
    assert!(scene.bounds.contains(&site.rect));
}

#[test]
fn a_connected_peering_is_a_full_line_and_an_initiated_one_half() {
    let design = crowded();
    let scene = layout(&design);
    let there = scene.edges.iter().find(|it| it.name == "peer-hub-to-spoke-01").expect("hub link");
    let back = scene.edges.iter().find(|it| it.name == "peer-spoke-01-to-hub").expect("spoke link");
    assert_eq!(there.kind, EdgeKind::PeeringLink(PeeringState::Connected));
    // The two halves meet in the middle: together they join the two boxes.
    let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6;
    assert!(close(there.to, back.to), "the halves of a Connected peering meet");
    let hub = scene.vnet("hub").expect("hub").rect;
    let spoke = scene.vnet("spoke-01").expect("spoke").rect;
    assert!(on_border(&hub, there.from) && on_border(&spoke, back.from), "each half starts on its owner's box");

    let lonely = scene.edges.iter().find(|it| it.name == "lonely-to-hub").expect("lonely link");
    assert_eq!(lonely.kind, EdgeKind::PeeringLink(PeeringState::Initiated));
    let lonely_box = scene.vnet("lonely").expect("lonely").rect;
    assert!(on_border(&lonely_box, lonely.from));
    assert!(!on_border(&hub, lonely.to), "an Initiated link stops halfway");
}

fn on_border(rect: &Rect, point: (f64, f64)) -> bool {
    let eps = 1e-6;
    let inside = point.0 >= rect.x - eps
        && point.0 <= rect.right() + eps
        && point.1 >= rect.y - eps
        && point.1 <= rect.bottom() + eps;
    let edge = (point.0 - rect.x).abs() < eps
        || (point.0 - rect.right()).abs() < eps
        || (point.1 - rect.y).abs() < eps
        || (point.1 - rect.bottom()).abs() < eps;
    inside && edge
}

#[test]
fn a_resource_in_a_missing_subnet_shows_the_missing_band() {
    let mut b = DesignBuilder::new("x", "x");
    b.subscription("sub");
    b.vnet("vnet", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("snet", "10.0.1.0/24");
    b.bastion_standard("bas", "vnet");
    b.vm_linux("vm", "vnet", "snet-typo", "10.0.2.4");
    let mut design = b.finish();
    design.vms[0].nic.vnet = "vnet".into();
    let scene = layout(&design);
    let vnet = scene.vnet("vnet").expect("vnet");
    let missing: Vec<&str> = vnet.subnets.iter().filter(|it| it.missing).map(|it| it.name.as_str()).collect();
    assert_eq!(missing, ["AzureBastionSubnet", "snet-typo"]);
    // A VM whose VNet does not exist still gets a card, in the unplaced box.
    design.vms[0].nic.vnet = "nowhere".into();
    let scene = layout(&design);
    assert!(scene.node("vm", NodeKind::Vm).is_some());
    assert!(scene.vnets.iter().any(|it| it.kind == ContainerKind::Unplaced));
}

#[test]
fn fit_shows_everything_and_zoom_keeps_the_point_under_the_cursor() {
    let design = crowded();
    let scene = layout(&design);
    let viewport = Viewport::fit(scene.bounds, 1280.0, 800.0);
    let to_screen = |x: f64, y: f64| (x * viewport.scale + viewport.x, y * viewport.scale + viewport.y);
    let top_left = to_screen(scene.bounds.x, scene.bounds.y);
    let bottom_right = to_screen(scene.bounds.right(), scene.bounds.bottom());
    assert!(top_left.0 >= 0.0 && bottom_right.0 <= 1280.0);
    // Clear of the zoom buttons above and the legend below.
    assert!(top_left.1 >= bastion_sim::view::FIT_TOP && bottom_right.1 <= 800.0 - bastion_sim::view::FIT_BOTTOM);
    let zoomed = viewport.zoom_at(1.25, 300.0, 200.0);
    let before = ((300.0 - viewport.x) / viewport.scale, (200.0 - viewport.y) / viewport.scale);
    let after = ((300.0 - zoomed.x) / zoomed.scale, (200.0 - zoomed.y) / zoomed.scale);
    assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    // A small design is not blown up to fill the screen.
    let small = Viewport::fit(Rect { x: 0.0, y: 0.0, w: 100.0, h: 100.0 }, 1280.0, 800.0);
    assert_eq!(small.scale, bastion_sim::view::MAX_FIT);
}

#[test]
fn fit_beside_a_panel_keeps_the_design_clear_of_it_when_the_canvas_is_wide_enough() {
    let design = crowded();
    let scene = layout(&design);
    let left_edge = |viewport: Viewport| scene.bounds.x * viewport.scale + viewport.x;
    let right_edge = |viewport: Viewport| scene.bounds.right() * viewport.scale + viewport.x;
    let beside = Viewport::fit_beside(scene.bounds, 1280.0, 800.0, 354.0);
    assert!(left_edge(beside) >= 354.0 && right_edge(beside) <= 1280.0);
    assert_eq!(Viewport::fit_beside(scene.bounds, 1280.0, 800.0, 0.0), Viewport::fit(scene.bounds, 1280.0, 800.0));
    // A narrow canvas has no room beside the panel: the whole width is used, as without it.
    assert_eq!(Viewport::fit_beside(scene.bounds, 600.0, 800.0, 354.0), Viewport::fit(scene.bounds, 600.0, 800.0));
}

#[test]
fn canvas_keys_and_finding_resources_select_the_right_resource() {
    let design = crowded();
    assert_eq!(Selection::from_key("vm:vm-01-0"), Selection::Vm { vm: "vm-01-0".into(), bastion: None });
    assert_eq!(Selection::from_key("bastion:bas-hub"), Selection::Bastion("bas-hub".into()));
    assert_eq!(Selection::from_key("nonsense"), Selection::None);
    assert_eq!(Selection::for_resource(&design, "bas-hub"), Selection::Bastion("bas-hub".into()));
    assert_eq!(Selection::for_resource(&design, "spoke-03"), Selection::Vnet("spoke-03".into()));
    assert_eq!(Selection::for_resource(&design, "design"), Selection::None);
    assert_eq!(Selection::for_resource(&design, "hub/AzureBastionSubnet"), Selection::Vnet("hub".into()));
    assert_eq!(Selection::for_resource(&design, "nowhere/snet"), Selection::None);
}

#[test]
fn a_synthetic_estate_lays_out_without_overlaps() {
    use bastion_sim::scenarios::synthetic::{generate, EstateParams};
    let design = generate(&EstateParams::small());
    let started = std::time::Instant::now();
    let scene = layout(&design);
    eprintln!(
        "small estate: {} VNets, {} VMs laid out in {:?}",
        design.vnets.len(),
        design.vms.len(),
        started.elapsed()
    );
    check_scene("synthetic small", &design, &scene);
}

fn scenario(name: &str) -> Design {
    (scenarios::by_name(name).unwrap_or_else(|| panic!("scenario {name}")).build)()
}

#[test]
fn an_unhealthy_bastion_colours_every_target_amber() {
    let design = scenario("broken-bastion-nsg");
    let analysis = bastion_sim::analyze(&design);
    assert!(analysis.health[0].blocker.is_some(), "the scenario's Bastion is unhealthy");
    let overlay = bastion_overlay(&design, &analysis, 0);
    assert_eq!(overlay.len(), design.vms.len() + design.onprem_machines.len());
    assert!(overlay.iter().all(|it| it.1 == Status::Unhealthy), "{overlay:?}");
}

#[test]
fn a_healthy_bastion_colours_reachable_and_blocked_targets_apart() {
    let design = scenario("broken-disconnected-peering");
    let analysis = bastion_sim::analyze(&design);
    let overlay = bastion_overlay(&design, &analysis, 0);
    for (vm_idx, vm) in design.vms.iter().enumerate() {
        let expected = match analysis.verdict(0, Target::Vm(vm_idx)) {
            Verdict::Reachable => Status::Reachable,
            Verdict::Blocked => Status::Blocked,
        };
        assert_eq!(overlay.iter().find(|it| it.0 == vm.name).map(|it| it.1), Some(expected), "{}", vm.name);
    }
    assert!(overlay.iter().any(|it| it.1 == Status::Reachable) && overlay.iter().any(|it| it.1 == Status::Blocked));
    // Out of range: nothing to colour, no panic.
    assert!(bastion_overlay(&design, &analysis, 99).is_empty());
}

#[test]
fn a_verdicts_path_runs_from_the_bastion_card_to_the_vm_card() {
    let design = scenario(scenarios::DEFAULT);
    let scene = layout(&design);
    let analysis = bastion_sim::analyze(&design);
    let vm_idx = (0..design.vms.len())
        .find(|&it| analysis.verdict(0, Target::Vm(it)) == Verdict::Reachable)
        .expect("a VM the default Bastion reaches");
    let explanation = bastion_sim::engine::explain(&design, 0, Target::Vm(vm_idx));
    let points = path_points(&scene, &explanation, NodeKind::Vm);
    assert!(points.len() >= 2);
    let bastion = scene.node(&design.bastions[0].name, NodeKind::Bastion).expect("Bastion card").rect;
    let vm = scene.node(&design.vms[vm_idx].name, NodeKind::Vm).expect("VM card").rect;
    assert!(on_border(&bastion, points[0]), "the path starts on the Bastion's card");
    assert!(on_border(&vm, *points.last().expect("end")), "the path ends on the VM's card");
    assert_eq!(pair_status(&analysis, 0, Target::Vm(vm_idx)), Status::Reachable);
}

#[test]
fn selecting_a_resource_out_of_view_brings_it_into_view() {
    let design = crowded();
    let scene = layout(&design);
    let zoomed_in = Viewport { x: 0.0, y: 0.0, scale: 1.0 };
    let selection = Selection::Vm { vm: "vm-12-1".into(), bastion: None };
    let rect = scene.rect_of(&selection).expect("the VM is drawn");
    let moved = zoomed_in.reveal(rect, 800.0, 600.0);
    let (left, top) = (rect.x * moved.scale + moved.x, rect.y * moved.scale + moved.y);
    assert!(left >= 0.0 && top >= 0.0 && left + rect.w <= 800.0 && top + rect.h <= 600.0, "{moved:?}");
    assert_eq!(moved.scale, zoomed_in.scale, "revealing does not zoom");
    // Already in view: the viewport does not move.
    assert_eq!(moved.reveal(rect, 800.0, 600.0), moved);
    assert_eq!(scene.rect_of(&Selection::User("alice".into())), None);
}

/// A peering drawn through a third VNet reads as a chain through it (and hides what that
/// VNet holds): in every scenario each peering line runs clear of every other VNet box.
#[test]
fn no_peering_line_runs_through_a_third_vnet() {
    for scenario in scenarios::all() {
        let design = (scenario.build)();
        let scene = layout(&design);
        for link in &design.peerings {
            let edge = scene.edges.iter().find(|it| it.name == link.name).expect("peering edge");
            for vnet in scene.vnets.iter().filter(|it| it.name != link.from && it.name != link.to) {
                assert!(
                    !vnet.rect.crosses_segment(edge.from, edge.to),
                    "{}: peering {} ({} to {}) runs through VNet {}",
                    scenario.name,
                    link.name,
                    link.from,
                    link.to,
                    vnet.name
                );
            }
        }
    }
}

#[test]
fn a_segment_crosses_a_box_only_through_its_inside() {
    let rect = Rect { x: 0.0, y: 0.0, w: 100.0, h: 50.0 };
    assert!(rect.crosses_segment((-10.0, 25.0), (110.0, 25.0)), "straight through");
    assert!(rect.crosses_segment((50.0, 25.0), (500.0, 400.0)), "from inside out");
    assert!(!rect.crosses_segment((-10.0, 60.0), (110.0, 60.0)), "passes below");
    assert!(!rect.crosses_segment((100.0, 0.0), (200.0, -100.0)), "leaves from a corner");
    assert!(!rect.crosses_segment((-50.0, 0.0), (-10.0, 40.0)), "stops short");
}

/// A VPN/ExpressRoute line leaves its gateway's card straight for the site: it crosses no
/// other card (in broken-bastion-nsg it once ran over the hub's Bastion) and no other box.
#[test]
fn site_connection_lines_cross_no_other_card_or_box() {
    for scenario in scenarios::all() {
        let design = (scenario.build)();
        let scene = layout(&design);
        for connection in &design.site_connections {
            let edge = scene.edges.iter().find(|it| it.name == connection.name && it.kind == EdgeKind::SiteConnection);
            let Some(edge) = edge else {
                continue;
            };
            let gateway = design.gateways.iter().find(|it| it.name == connection.gateway).expect("gateway");
            for node in &scene.nodes {
                let own = (node.kind == NodeKind::Gateway && node.name == connection.gateway)
                    || (node.kind == NodeKind::Site && node.name == connection.site)
                    || (node.kind == NodeKind::VirtualHub && gateway.hub.as_deref() == Some(node.name.as_str()));
                assert!(
                    own || !node.rect.crosses_segment(edge.from, edge.to),
                    "{}: site connection {} runs over {}",
                    scenario.name,
                    connection.name,
                    node.name
                );
            }
            for vnet in scene.vnets.iter().filter(|it| gateway.vnet.as_deref() != Some(it.name.as_str())) {
                assert!(
                    !vnet.rect.crosses_segment(edge.from, edge.to),
                    "{}: site connection {} runs through VNet {}",
                    scenario.name,
                    connection.name,
                    vnet.name
                );
            }
        }
    }
}

/// Positions of `layout_with`: a placed box is drawn exactly where the person put it, its
/// contents with it, and the boxes without a position keep clear of it.
#[test]
fn placed_boxes_stay_where_they_were_put_and_the_rest_keep_clear() {
    use bastion_sim::model::Point;
    use bastion_sim::view::{layout_with, position_key};
    use std::collections::BTreeMap;
    let design = scenario("hub-spoke");
    let auto = layout(&design);
    // Put the first VNet right on top of where the automatic layout draws the others.
    let other = auto.vnets.iter().find(|it| it.kind == ContainerKind::Vnet && it.name != design.vnets[0].name).unwrap();
    let mut positions = BTreeMap::new();
    positions.insert(position_key("vnet", &design.vnets[0].name), Point { x: other.rect.x, y: other.rect.y });
    let scene = layout_with(&design, &positions);
    let placed = scene.vnet(&design.vnets[0].name).unwrap();
    assert_eq!((placed.rect.x, placed.rect.y), (other.rect.x, other.rect.y));
    check_scene_contents("one placed", &design, &scene);
    for vnet in scene.vnets.iter().filter(|it| it.name != placed.name) {
        assert!(!vnet.rect.overlaps(&placed.rect, 0.0), "{} overlaps the placed VNet", vnet.name);
    }
    // Every box placed: exactly the positions, and the same scene as the automatic one when
    // those are the automatic positions.
    let all: BTreeMap<String, Point> = auto
        .vnets
        .iter()
        .filter(|it| it.kind == ContainerKind::Vnet)
        .map(|it| (position_key("vnet", &it.name), Point { x: it.rect.x, y: it.rect.y }))
        .chain(auto.nodes.iter().filter(|it| it.kind.is_container()).map(|it| {
            let kind = if it.kind == NodeKind::Site { "site" } else { "hub" };
            (position_key(kind, &it.name), Point { x: it.rect.x, y: it.rect.y })
        }))
        .collect();
    assert_eq!(layout_with(&design, &all), auto, "frozen positions draw the same picture");
    // A position for a resource that does not exist (or is not finite) is ignored.
    let mut odd = BTreeMap::new();
    odd.insert(position_key("vnet", "no-such-vnet"), Point { x: 5.0, y: 5.0 });
    odd.insert(position_key("vnet", &design.vnets[0].name), Point { x: f64::NAN, y: 0.0 });
    assert_eq!(layout_with(&design, &odd), auto);
}

/// Cards inside their containers (the part of `check_scene` that holds for any positions).
fn check_scene_contents(name: &str, design: &Design, scene: &Scene) {
    for vm in &design.vms {
        let node = scene.node(&vm.name, NodeKind::Vm).unwrap();
        let vnet = scene.vnet(&vm.nic.vnet).unwrap();
        assert!(vnet.rect.contains(&node.rect), "{name}: VM {} outside its VNet", vm.name);
    }
}
