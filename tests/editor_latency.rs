//! What makes an edit cheap on a big estate, checked against the slow, obvious way: the
//! editor says what each step changed (instead of the page comparing whole designs), a
//! delete is planned once, and the scene after an edit that leaves the boxes alone is the
//! old scene with its lines drawn again — equal to laying the design out from scratch.

use bastion_sim::edit::{delete_ops, Collection, Command, Editor, Key};
use bastion_sim::model::*;
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use bastion_sim::view::{self, gesture, layout_with, relayout, Scene, Selection};
use std::collections::BTreeMap;

fn small_estate() -> Editor {
    Editor::new(DesignFile { design: generate(&EstateParams::small()), layout: Layout::default() })
}

/// Scenes equal up to float rounding (a shifted box adds its offset to each rect).
fn assert_same_scene(a: &Scene, b: &Scene) {
    let close = |x: &view::Rect, y: &view::Rect| {
        (x.x - y.x).abs() < 1e-6 && (x.y - y.y).abs() < 1e-6 && (x.w - y.w).abs() < 1e-6 && (x.h - y.h).abs() < 1e-6
    };
    assert_eq!(a.vnets.len(), b.vnets.len());
    for (x, y) in a.vnets.iter().zip(&b.vnets) {
        assert_eq!((&x.name, &x.detail, x.subnets.len()), (&y.name, &y.detail, y.subnets.len()));
        assert!(close(&x.rect, &y.rect), "VNet {} at {:?}, not {:?}", x.name, x.rect, y.rect);
        for (p, q) in x.subnets.iter().zip(&y.subnets) {
            assert_eq!((&p.name, &p.detail, &p.nsg), (&q.name, &q.detail, &q.nsg));
            assert!(close(&p.rect, &q.rect));
        }
    }
    assert_eq!(a.nodes.len(), b.nodes.len());
    for (x, y) in a.nodes.iter().zip(&b.nodes) {
        assert_eq!((&x.name, x.kind, &x.detail), (&y.name, y.kind, &y.detail));
        assert!(close(&x.rect, &y.rect), "{} at {:?}, not {:?}", x.name, x.rect, y.rect);
    }
    assert_eq!(a.edges.len(), b.edges.len());
    for (x, y) in a.edges.iter().zip(&b.edges) {
        assert_eq!((&x.name, x.kind), (&y.name, y.kind));
        assert!((x.from.0 - y.from.0).abs() < 1e-6 && (x.to.1 - y.to.1).abs() < 1e-6, "edge {}", x.name);
    }
    assert!(close(&a.bounds, &b.bounds));
}

#[test]
fn each_step_says_what_it_changed() {
    let mut editor = small_estate();
    let link = editor.file.design.peerings[0].clone();
    editor.apply(&Command::Delete { keys: vec![Key::PeeringLink { from: link.from, to: link.to }] }).unwrap();
    let changes = editor.last_changes().clone();
    assert!(changes.design() && !changes.layout());
    assert!(changes.touches(Collection::Peerings));
    assert!(!changes.touches(Collection::Vms) && !changes.touches(Collection::Vnets));
    assert!(editor.undo());
    assert_eq!(editor.last_changes(), &changes, "an undo touches what its step touched");

    let name = editor.file.design.vnets[0].name.clone();
    editor.apply(&Command::Move { positions: vec![(format!("vnet:{name}"), Point { x: 5.0, y: 7.0 })] }).unwrap();
    assert!(!editor.last_changes().design());
    assert_eq!(editor.last_changes().positions.iter().collect::<Vec<_>>(), vec![&format!("vnet:{name}")]);

    // A subnet is a change of its VNet.
    let vnet = editor.file.design.vnets[0].clone();
    let subnet = vnet.subnets[0].name.clone();
    let _ = editor.delete(&[Key::Subnet { vnet: vnet.name.clone(), name: subnet }]).unwrap();
    assert!(editor.last_changes().touches(Collection::Vnets));

    // A refused command changes nothing and says so.
    assert!(editor.apply(&Command::Delete { keys: vec![Key::Vm("no-such-vm".into())] }).is_err());
    assert!(!editor.last_changes().design() && !editor.last_changes().layout());
}

#[test]
fn a_delete_planned_once_does_what_the_delete_command_does() {
    let mut once = small_estate();
    let mut command = small_estate();
    let keys = vec![Key::Vnet(once.file.design.vnets[3].name.clone())];
    let (expected_notes, _) = delete_ops(&once.file.design, &keys).unwrap();
    let notes = once.delete(&keys).unwrap();
    command.apply(&Command::Delete { keys: keys.clone() }).unwrap();
    assert_eq!(notes, expected_notes);
    assert_eq!(once.file.design, command.file.design);
    assert!(once.undo());
    assert_eq!(once.file.design, small_estate().file.design, "one undo step restores the design");
    assert!(once.delete(&[Key::Vm("no-such-vm".into())]).is_err());
}

#[test]
fn a_move_is_not_validated_again_but_still_moves() {
    let mut editor = small_estate();
    let name = editor.file.design.vnets[0].name.clone();
    editor.apply(&Command::Move { positions: vec![(format!("vnet:{name}"), Point { x: 1.0, y: 2.0 })] }).unwrap();
    assert_eq!(editor.file.layout.positions[&format!("vnet:{name}")], Point { x: 1.0, y: 2.0 });
    assert!(editor.undo());
    assert!(editor.file.layout.positions.is_empty());
}

#[test]
fn a_kept_picture_redrawn_after_edits_equals_a_fresh_layout() {
    let mut editor = small_estate();
    let first = layout_with(&editor.file.design, &editor.file.layout.positions);
    assert!(first.spans.len() > view::KEEP_PICTURE_ABOVE, "the small estate keeps its picture");
    let kept = view::kept_positions(&BTreeMap::new(), &first);
    assert_eq!(
        kept.len(),
        editor.file.design.vnets.len() + editor.file.design.virtual_hubs.len() + editor.file.design.onprem_sites.len()
    );
    let drawn = |kept: &BTreeMap<String, Point>, editor: &Editor| {
        let mut positions = kept.clone();
        positions.extend(editor.file.layout.positions.clone());
        positions
    };
    // The kept positions draw the same picture as the automatic layout.
    assert_same_scene(&layout_with(&editor.file.design, &kept), &first);

    // A peering goes: boxes kept, its line gone, the other half now Disconnected.
    let link = editor.file.design.peerings[0].clone();
    editor.delete(&[Key::PeeringLink { from: link.from.clone(), to: link.to.clone() }]).unwrap();
    let contents = view::BOX_CONTENT.iter().any(|it| editor.last_changes().touches(*it));
    assert!(!contents);
    let positions = drawn(&kept, &editor);
    let after_delete = relayout(&first, &editor.file.design, &positions, contents);
    assert_same_scene(&after_delete, &layout_with(&editor.file.design, &positions));
    assert!(!after_delete.edges.iter().any(|it| it.name == link.name));
    assert_eq!(after_delete.edges.len() + 1, first.edges.len());

    // A move (the gesture's command): the box and its cards shift, lines follow.
    let moved = vec![Selection::Vnet(link.from.clone())];
    let command = gesture::move_command(&after_delete, &editor.file.layout.positions, &moved, 40.0, -30.0).unwrap();
    editor.apply(&command).unwrap();
    let positions = drawn(&kept, &editor);
    let after_move = relayout(&after_delete, &editor.file.design, &positions, false);
    assert_same_scene(&after_move, &layout_with(&editor.file.design, &positions));
    let (before, after) = (after_delete.vnet(&link.from).unwrap().rect, after_move.vnet(&link.from).unwrap().rect);
    assert!(((after.x - before.x) - 40.0).abs() < 1e-6 && ((after.y - before.y) + 30.0).abs() < 1e-6);

    // Undo the move: the box goes back to where the automatic layout had it.
    assert!(editor.undo());
    let positions = drawn(&kept, &editor);
    let undone = relayout(&after_move, &editor.file.design, &positions, false);
    assert_same_scene(&undone, &after_delete);

    // A VM goes: the boxes' contents changed, so the design is laid out again (around
    // the kept positions), still equal to the fresh layout.
    let vm = editor.file.design.vms[0].name.clone();
    editor.delete(&[Key::Vm(vm.clone())]).unwrap();
    assert!(view::BOX_CONTENT.iter().any(|it| editor.last_changes().touches(*it)));
    let positions = drawn(&kept, &editor);
    let after_vm = relayout(&undone, &editor.file.design, &positions, true);
    assert_same_scene(&after_vm, &layout_with(&editor.file.design, &positions));
    assert!(after_vm.node(&vm, view::NodeKind::Vm).is_none());
}
