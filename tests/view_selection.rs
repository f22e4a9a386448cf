//! What the page's selection means to the editor: which resource a Delete or an edit
//! addresses, what Ctrl+A selects, and where an arrow key nudges the selected boxes.

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::model::{DesignFile, Layout};
use bastion_sim::scenarios;
use bastion_sim::view::{every_selection, layout, nudged_positions, Selection};

fn hub_spoke() -> bastion_sim::model::Design {
    (scenarios::by_name("hub-spoke").expect("hub-spoke scenario").build)()
}

#[test]
fn a_selection_names_the_resource_the_editor_deletes() {
    let design = hub_spoke();
    let bastion = design.bastions[0].name.clone();
    assert_eq!(Selection::Bastion(bastion.clone()).key(&design), Some(Key::Bastion(bastion)));
    let vm = design.vms[0].name.clone();
    assert_eq!(Selection::Vm { vm: vm.clone(), bastion: None }.key(&design), Some(Key::Vm(vm)));
    let link = &design.peerings[0];
    assert_eq!(
        Selection::Peering(link.name.clone()).key(&design),
        Some(Key::PeeringLink { from: link.from.clone(), to: link.to.clone() })
    );
    let user = design.users[0].name.clone();
    assert_eq!(Selection::User(user.clone()).key(&design), Some(Key::User(user)));
    // A selection whose resource is gone (deleted, undone away) addresses nothing.
    assert_eq!(Selection::Vnet("vnet-that-does-not-exist".into()).key(&design), None);
    assert_eq!(Selection::None.key(&design), None);
}

#[test]
fn deleting_a_selected_peering_link_leaves_the_other_side_initiated() {
    let design = hub_spoke();
    let link = design.peerings[0].clone();
    let key = Selection::Peering(link.name.clone()).key(&design).expect("link key");
    let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
    editor.apply(&Command::Delete { keys: vec![key] }).expect("delete one link");
    assert!(!editor.file.design.peerings.iter().any(|it| it.name == link.name));
    assert!(
        editor.file.design.peerings.iter().any(|it| it.from == link.to && it.to == link.from),
        "the other link stays"
    );
    assert!(editor.undo());
    assert_eq!(editor.file.design, design);
}

#[test]
fn select_all_covers_every_vnet_and_card_once() {
    let design = hub_spoke();
    let scene = layout(&design);
    let all = every_selection(&scene);
    for vnet in &design.vnets {
        assert!(all.contains(&Selection::Vnet(vnet.name.clone())), "{} not selected", vnet.name);
    }
    for vm in &design.vms {
        assert!(all.contains(&Selection::Vm { vm: vm.name.clone(), bastion: None }));
    }
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(unique.len(), all.len());
}

#[test]
fn arrows_nudge_only_boxes_the_person_places() {
    let design = hub_spoke();
    let scene = layout(&design);
    let vnet = design.vnets[0].name.clone();
    let rect = scene.vnet(&vnet).expect("drawn").rect;
    let selected = vec![Selection::Vnet(vnet.clone()), Selection::Vm { vm: design.vms[0].name.clone(), bastion: None }];
    let moved = nudged_positions(&scene, &selected, 10.0, -100.0);
    assert_eq!(moved.len(), 1, "a VM moves with its VNet, it has no position of its own");
    assert_eq!(moved[0].0, format!("vnet:{vnet}"), "positions are keyed by kind and name");
    assert_eq!((moved[0].1.x, moved[0].1.y), (rect.x + 10.0, rect.y - 100.0));
    assert!(nudged_positions(&scene, &[Selection::None], 10.0, 0.0).is_empty());
}
