//! The canvas's gestures, driven headlessly: palette drops, handle drags, VM drags, moves
//! and deletes become the commands `view::gesture` makes from points on the scene; the
//! design stays valid after every step and undo restores it (and its layout) exactly.

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::{analyze, RuleId, Target, Verdict};
use bastion_sim::model::*;
use bastion_sim::scenarios;
use bastion_sim::view::gesture::{self, Spot};
use bastion_sim::view::{layout_with, ContainerKind, NodeKind, Rect, Scene, Selection};
use proptest::prelude::*;

fn scene(editor: &Editor) -> Scene {
    layout_with(&editor.file.design, &editor.file.layout.positions)
}

/// A point of empty canvas right of everything drawn.
fn empty_point(scene: &Scene) -> (f64, f64) {
    (scene.bounds.right() + 400.0, scene.bounds.y + 40.0)
}

fn inside(rect: &Rect) -> (f64, f64) {
    (rect.x + rect.w / 2.0, rect.y + 6.0)
}

fn band(scene: &Scene, vnet: &str, subnet: &str) -> (f64, f64) {
    let band = scene.vnet(vnet).and_then(|it| it.subnets.iter().find(|band| band.name == subnet)).expect("band");
    inside(&band.rect)
}

fn drop(editor: &mut Editor, kind: &str, at: (f64, f64)) -> Selection {
    let done = gesture::palette_drop(&editor.file.design, &scene(editor), kind, at).expect("drop accepted");
    editor.apply(&done.command).expect("the drop's edit applies");
    done.select
}

fn connect(editor: &mut Editor, from: &str, to: &str) {
    let scene = scene(editor);
    let at = inside(&scene.vnet(to).expect("target VNet").rect);
    let done = gesture::connect(&editor.file.design, &scene, &Selection::Vnet(from.into()), at).expect("connect");
    editor.apply(&done.command).expect("the peering applies");
}

fn verdict(design: &Design, bastion: &str, vm: &str) -> Option<RuleId> {
    let analysis = analyze(design);
    let b = design.bastions.iter().position(|it| it.name == bastion).expect("bastion");
    let v = design.vms.iter().position(|it| it.name == vm).expect("vm");
    analysis.blocker(b, Target::Vm(v))
}

/// The e2e story, natively: hub and spoke built from an empty canvas by gestures alone.
#[test]
fn hub_and_spoke_built_from_an_empty_canvas_reaches_both_vms() {
    let mut ed = Editor::new(DesignFile::default());
    let at = empty_point(&scene(&ed));
    assert_eq!(drop(&mut ed, "vnet", at), Selection::Vnet("vnet-1".into()));
    for _ in 0..2 {
        let at = empty_point(&scene(&ed));
        drop(&mut ed, "vnet", at);
    }
    let d = &ed.file.design;
    assert_eq!(d.vnets.iter().map(|it| it.name.as_str()).collect::<Vec<_>>(), ["vnet-1", "vnet-2", "vnet-3"]);
    assert_eq!(d.vnets[1].address_prefixes[0].to_string(), "10.1.0.0/16", "a free /16 each");
    assert!(ed.file.layout.positions.contains_key("vnet:vnet-3"), "a dropped VNet stays where it was dropped");
    connect(&mut ed, "vnet-1", "vnet-2");
    connect(&mut ed, "vnet-1", "vnet-3");
    assert_eq!(ed.file.design.peerings.len(), 4, "each handle drag makes both links");
    let s = scene(&ed);
    let hub_box = s.vnet("vnet-1").unwrap().rect;
    assert_eq!(drop(&mut ed, "bastion", inside(&hub_box)), Selection::Bastion("bas-vnet-1".into()));
    let hub = ed.file.design.vnet("vnet-1").unwrap().clone();
    let bastion_subnet = hub.subnet(BASTION_SUBNET).expect("AzureBastionSubnet created");
    assert_eq!(bastion_subnet.prefix.len, 26);
    assert!(hub.address_prefixes[0].contains(&bastion_subnet.prefix));
    let pip = ed.file.design.public_ips.iter().find(|it| it.name == "pip-bas-vnet-1").expect("public IP created");
    assert_eq!((pip.sku, pip.allocation), (PublicIpSku::Standard, IpAllocation::Static));
    for spoke in ["vnet-2", "vnet-3"] {
        let at = band(&scene(&ed), spoke, "snet-1");
        drop(&mut ed, "vm", at);
    }
    let d = &ed.file.design;
    assert_eq!(d.vms[0].nic.vnet, "vnet-2");
    assert_eq!(d.vms[0].nic.private_ip.to_string(), "10.1.0.4", "the first assignable address");
    assert_eq!(verdict(d, "bas-vnet-1", "vm-1"), None);
    assert_eq!(verdict(d, "bas-vnet-1", "vm-2"), None);

    // Delete one link of hub ↔ spoke 2: the other shows Disconnected and vm-2 is blocked.
    let link = d.peerings.iter().find(|it| it.from == "vnet-1" && it.to == "vnet-3").unwrap().clone();
    ed.apply(&Command::Delete { keys: vec![Key::PeeringLink { from: link.from, to: link.to }] }).unwrap();
    assert_eq!(verdict(&ed.file.design, "bas-vnet-1", "vm-2"), Some(RuleId::RPeer));
    assert_eq!(verdict(&ed.file.design, "bas-vnet-1", "vm-1"), None);
    ed.undo();
    assert_eq!(verdict(&ed.file.design, "bas-vnet-1", "vm-2"), None);
}

#[test]
fn drops_land_where_they_make_sense_and_say_why_not_elsewhere() {
    let mut ed = Editor::new(DesignFile::default());
    let s = scene(&ed);
    for kind in ["subnet", "bastion", "vm", "nsg", "gateway", "onprem-machine"] {
        let refused = gesture::palette_drop(&ed.file.design, &s, kind, (10.0, 10.0));
        assert!(refused.is_err(), "{kind} on empty canvas is refused");
    }
    let at = empty_point(&s);
    drop(&mut ed, "vnet", at);
    let vnet_box = scene(&ed).vnet("vnet-1").unwrap().rect;
    assert!(gesture::palette_drop(&ed.file.design, &scene(&ed), "vnet", inside(&vnet_box)).is_err());
    // A subnet gets the next free prefix.
    drop(&mut ed, "subnet", inside(&vnet_box));
    assert_eq!(ed.file.design.vnets[0].subnets[1].name, "snet-2");
    assert_eq!(ed.file.design.vnets[0].subnets[1].prefix.to_string(), "10.0.1.0/24");
    // An NSG onto a subnet: created and attached in one undo step.
    let at = band(&scene(&ed), "vnet-1", "snet-2");
    drop(&mut ed, "nsg", at);
    assert_eq!(ed.file.design.vnets[0].subnets[1].nsg.as_deref(), Some("nsg-vnet-1-snet-2"));
    ed.undo();
    assert!(ed.file.design.nsgs.is_empty() && ed.file.design.vnets[0].subnets[1].nsg.is_none());
    // An NSG onto a VM attaches to its NIC.
    let at = band(&scene(&ed), "vnet-1", "snet-1");
    drop(&mut ed, "vm", at);
    let card = scene(&ed).node("vm-1", NodeKind::Vm).unwrap().rect;
    drop(&mut ed, "nsg", card.centre());
    assert_eq!(ed.file.design.vms[0].nic.nsg.as_deref(), Some("nsg-vm-1"));
    // A gateway brings GatewaySubnet.
    drop(&mut ed, "gateway", inside(&vnet_box));
    let gw_subnet = ed.file.design.vnets[0].subnet(GATEWAY_SUBNET).expect("GatewaySubnet");
    assert_eq!(gw_subnet.prefix.len, 27);
    assert_eq!(ed.file.design.gateways[0].vnet.as_deref(), Some("vnet-1"));
    // A hub needs a Virtual WAN, made with it; a VNet's handle dropped on the hub connects.
    let at = empty_point(&scene(&ed));
    drop(&mut ed, "vwan-hub", at);
    assert_eq!(ed.file.design.virtual_wans.len(), 1);
    assert_eq!(ed.file.design.virtual_hubs[0].virtual_wan, "vwan-1");
    let hub_rect = scene(&ed).node("vhub-1", NodeKind::VirtualHub).unwrap().rect;
    let done =
        gesture::connect(&ed.file.design, &scene(&ed), &Selection::Vnet("vnet-1".into()), hub_rect.centre()).unwrap();
    ed.apply(&done.command).unwrap();
    assert_eq!(ed.file.design.hub_connections[0].hub, "vhub-1");
    // A site, a machine in it, and the gateway connected to it.
    let at = empty_point(&scene(&ed));
    drop(&mut ed, "onprem-site", at);
    let site_rect = scene(&ed).node("site-1", NodeKind::Site).unwrap().rect;
    drop(&mut ed, "onprem-machine", site_rect.centre());
    assert_eq!(ed.file.design.onprem_machines[0].site, "site-1");
    let gw = ed.file.design.gateways[0].name.clone();
    let site_rect = scene(&ed).node("site-1", NodeKind::Site).unwrap().rect;
    let done =
        gesture::connect(&ed.file.design, &scene(&ed), &Selection::Gateway(gw.clone()), site_rect.centre()).unwrap();
    ed.apply(&done.command).unwrap();
    assert_eq!(ed.file.design.site_connections[0].gateway, gw);
    assert!(validate(&ed.file.design).is_empty());
}

#[test]
fn dragging_a_vm_into_another_subnet_moves_it_and_its_address() {
    let mut ed = Editor::new(DesignFile::default());
    let at = empty_point(&scene(&ed));
    drop(&mut ed, "vnet", at);
    let vnet_box = scene(&ed).vnet("vnet-1").unwrap().rect;
    drop(&mut ed, "subnet", inside(&vnet_box));
    let at = band(&scene(&ed), "vnet-1", "snet-1");
    drop(&mut ed, "vm", at);
    let s = scene(&ed);
    let target = band(&s, "vnet-1", "snet-2");
    let command = gesture::vm_drop(&ed.file.design, &s, "vm-1", target).unwrap().expect("a move");
    ed.apply(&command).unwrap();
    assert_eq!(ed.file.design.vms[0].nic.subnet, "snet-2");
    assert_eq!(ed.file.design.vms[0].nic.private_ip.to_string(), "10.0.1.4");
    // Dropped back where it is, nothing happens.
    let s = scene(&ed);
    let own = s.node("vm-1", NodeKind::Vm).unwrap().rect.centre();
    assert_eq!(gesture::vm_drop(&ed.file.design, &s, "vm-1", own), Ok(None));
}

#[test]
fn a_drag_moves_the_group_and_leaves_everything_else_where_it_was() {
    let mut ed = Editor::new(DesignFile {
        design: (scenarios::by_name("hub-spoke").unwrap().build)(),
        layout: Layout::default(),
    });
    let before = scene(&ed);
    let moved = vec![Selection::Vnet("vnet-hub-weu".into())];
    let command = gesture::move_command(&before, &ed.file.layout.positions, &moved, 30.0, -20.0).unwrap();
    ed.apply(&command).unwrap();
    let after = scene(&ed);
    for vnet in before.vnets.iter().filter(|it| it.kind == ContainerKind::Vnet) {
        let now = after.vnet(&vnet.name).unwrap().rect;
        let (dx, dy) = if vnet.name == "vnet-hub-weu" { (30.0, -20.0) } else { (0.0, 0.0) };
        assert_eq!((now.x, now.y), (vnet.rect.x + dx, vnet.rect.y + dy), "{}", vnet.name);
    }
    // Its cards went with it.
    for node in &before.nodes {
        if before.vnet("vnet-hub-weu").unwrap().rect.contains(&node.rect) {
            let now = after.node(&node.name, node.kind).unwrap().rect;
            assert_eq!((now.x, now.y), (node.rect.x + 30.0, node.rect.y - 20.0));
        }
    }
    // One undo step puts it back.
    ed.undo();
    assert_eq!(scene(&ed), before);
    // Shift-click toggles; a drag on a selected VNet moves every selected one.
    let selected =
        gesture::toggled(&[Selection::Vnet("vnet-hub-weu".into())], Selection::Vnet("vnet-spoke-app1-weu".into()));
    assert_eq!(gesture::drag_group(&Selection::Vnet("vnet-hub-weu".into()), &selected).len(), 2);
    assert_eq!(gesture::toggled(&selected, Selection::Vnet("vnet-hub-weu".into())).len(), 1);
    // A rubber band round one VNet selects it and its cards, nothing else.
    let hub = before.vnet("vnet-hub-weu").unwrap().rect.inflated(2.0);
    let caught = gesture::selections_in(&before, hub);
    assert!(caught.contains(&Selection::Vnet("vnet-hub-weu".into())));
    assert!(!caught.iter().any(|it| matches!(it, Selection::Vnet(name) if name != "vnet-hub-weu")));
}

#[test]
fn spots_name_the_innermost_thing_under_the_point() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    let s = layout_with(&design, &Default::default());
    let vm = &s.nodes.iter().find(|it| it.kind == NodeKind::Vm).unwrap();
    assert_eq!(
        gesture::spot_at(&s, vm.rect.centre()),
        Spot::Card(Selection::Vm { vm: vm.name.clone(), bastion: None })
    );
    let vnet = &s.vnets[0];
    assert_eq!(gesture::spot_at(&s, (vnet.rect.x + 3.0, vnet.rect.y + 3.0)), Spot::Vnet(vnet.name.clone()));
    let band = &vnet.subnets[0];
    assert_eq!(
        gesture::spot_at(&s, (band.rect.x + 2.0, band.rect.y + 2.0)),
        Spot::Subnet { vnet: vnet.name.clone(), subnet: band.name.clone() }
    );
    assert_eq!(gesture::spot_at(&s, (s.bounds.right() + 50.0, 0.0)), Spot::Canvas);
}

/// One random gesture, made from points on the current scene as the page would.
fn random_gesture(ed: &Editor, choice: u8, pick: u32) -> Option<Command> {
    let design = &ed.file.design;
    let s = scene(ed);
    let vnets: Vec<_> = s.vnets.iter().filter(|it| it.kind == ContainerKind::Vnet).collect();
    let nth = |n: usize| pick as usize % n.max(1);
    let any_vnet = || vnets.get(nth(vnets.len()));
    let palette = |kind: &str, at| gesture::palette_drop(design, &s, kind, at).ok().map(|it| it.command);
    match choice % 9 {
        0 => palette("vnet", empty_point(&s)),
        1 => palette("subnet", inside(&any_vnet()?.rect)),
        2 => palette("bastion", inside(&any_vnet()?.rect)),
        3 => {
            let vnet = any_vnet()?;
            let band = vnet.subnets.iter().find(|it| it.name.starts_with("snet"))?;
            palette("vm", inside(&band.rect))
        }
        4 => {
            let (a, b) = (any_vnet()?, vnets.get((pick as usize / 7) % vnets.len().max(1))?);
            gesture::connect(design, &s, &Selection::Vnet(a.name.clone()), inside(&b.rect)).ok().map(|it| it.command)
        }
        5 => {
            let vm = design.vms.get(nth(design.vms.len()))?;
            let vnet = any_vnet()?;
            let band = vnet.subnets.iter().filter(|it| it.name.starts_with("snet")).nth(pick as usize % 2)?;
            gesture::vm_drop(design, &s, &vm.name, inside(&band.rect)).ok().flatten()
        }
        6 => {
            let everything = bastion_sim::view::every_selection(&s);
            let key = everything.get(nth(everything.len()))?.key(design)?;
            Some(Command::Delete { keys: vec![key] })
        }
        7 => {
            let link = design.peerings.get(nth(design.peerings.len()))?;
            Some(Command::Delete { keys: vec![Key::PeeringLink { from: link.from.clone(), to: link.to.clone() }] })
        }
        _ => {
            let moved = vec![Selection::Vnet(any_vnet()?.name.clone())];
            let (dx, dy) = ((pick % 200) as f64 - 100.0, (pick / 200 % 200) as f64 - 100.0);
            gesture::move_command(&s, &ed.file.layout.positions, &moved, dx, dy)
        }
    }
}

fn start(which: u8) -> DesignFile {
    match which % 2 {
        0 => DesignFile::default(),
        _ => DesignFile { design: (scenarios::by_name("hub-spoke").unwrap().build)(), layout: Layout::default() },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_gesture_sequence_keeps_the_design_valid_and_undoes_exactly(
        which in 0u8..2,
        steps in prop::collection::vec((0u8..9, any::<u32>()), 1..24),
    ) {
        let original = start(which);
        let mut ed = Editor::new(original.clone());
        for (choice, pick) in steps {
            let Some(command) = random_gesture(&ed, choice, pick) else { continue };
            // A gesture the editor refuses changes nothing; an accepted one leaves a valid design.
            let before = ed.file.clone();
            if ed.apply(&command).is_err() {
                prop_assert_eq!(&ed.file, &before);
            }
            prop_assert!(validate(&ed.file.design).is_empty(), "{:?}", validate(&ed.file.design));
            let s = scene(&ed);
            // Every VM is drawn inside its subnet band, wherever its VNet was put.
            for vm in &ed.file.design.vms {
                let card = s.node(&vm.name, NodeKind::Vm).expect("card").rect;
                let band = s.vnet(&vm.nic.vnet).and_then(|it| it.subnets.iter().find(|b| b.name == vm.nic.subnet));
                prop_assert!(band.is_some_and(|b| b.rect.contains(&card)));
            }
        }
        while ed.undo() {}
        prop_assert_eq!(&ed.file, &original);
    }

    /// The page reuses the analysis of a state the editor names again (`Editor::state`): a
    /// number seen before must mean exactly the design seen then, through any mix of
    /// gestures, undos and redos.
    #[test]
    fn a_state_named_again_is_the_same_design(
        which in 0u8..2,
        steps in prop::collection::vec((0u8..12, any::<u32>()), 1..32),
    ) {
        let mut ed = Editor::new(start(which));
        let mut seen = std::collections::BTreeMap::new();
        seen.insert(ed.state(), ed.file.design.clone());
        for (choice, pick) in steps {
            let before = ed.state();
            let changed = match choice {
                9 | 10 => ed.undo(),
                11 => ed.redo(),
                _ => match random_gesture(&ed, choice, pick) {
                    Some(command) => ed.apply(&command).is_ok(),
                    None => false,
                },
            };
            if !changed {
                prop_assert_eq!(ed.state(), before);
            }
            match seen.get(&ed.state()) {
                Some(design) => prop_assert_eq!(design, &ed.file.design, "state {}", ed.state()),
                None => {
                    seen.insert(ed.state(), ed.file.design.clone());
                }
            }
        }
    }
}

#[test]
fn undo_and_redo_name_the_states_they_return_to() {
    let mut ed = Editor::new(DesignFile::default());
    let first = ed.state();
    let at = empty_point(&scene(&ed));
    drop(&mut ed, "vnet", at);
    let second = ed.state();
    assert_ne!(second, first);
    assert!(ed.undo());
    assert_eq!(ed.state(), first);
    assert!(ed.redo());
    assert_eq!(ed.state(), second);
    // A new step after an undo is a new state, not the one the redo would have given.
    assert!(ed.undo());
    let at = empty_point(&scene(&ed));
    drop(&mut ed, "vnet", at);
    assert_ne!(ed.state(), second);
    assert_ne!(ed.state(), first);
}

#[test]
fn reachability_changes_follow_the_gestures() {
    // The verdict type is what the overlay reads: a fresh hub and spoke reaches.
    let mut ed = Editor::new(DesignFile::default());
    for _ in 0..2 {
        let at = empty_point(&scene(&ed));
        drop(&mut ed, "vnet", at);
    }
    connect(&mut ed, "vnet-1", "vnet-2");
    let hub = scene(&ed).vnet("vnet-1").unwrap().rect;
    drop(&mut ed, "bastion", inside(&hub));
    let at = band(&scene(&ed), "vnet-2", "snet-1");
    drop(&mut ed, "vm", at);
    let analysis = analyze(&ed.file.design);
    assert_eq!(analysis.verdict(0, Target::Vm(0)), Verdict::Reachable);
}
