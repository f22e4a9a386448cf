//! What the page's compare mode marks, checked natively: a deleted peering marks the
//! targets it cut off as lost and the link as removed; replacing spoke Bastions by a hub
//! Bastion marks their targets as changed (other Bastions), not lost.

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::{analyze, diff};
use bastion_sim::model::{DesignFile, Layout};
use bastion_sim::scenarios;
use bastion_sim::view::compare::{diff_marks, Change};
use bastion_sim::view::layout;

fn design(name: &str) -> bastion_sim::model::Design {
    (scenarios::by_name(name).expect("scenario").build)()
}

#[test]
fn deleting_a_spoke_peering_marks_its_vms_lost_and_the_link_removed() {
    let before = design("hub-spoke");
    let a0 = analyze(&before);
    let mut ed = Editor::new(DesignFile { design: before.clone(), layout: Layout::default() });
    ed.apply(&Command::Delete {
        keys: vec![Key::PeeringLink { from: "vnet-hub-weu".into(), to: "vnet-spoke-app1-weu".into() }],
    })
    .unwrap();
    let after = ed.file.design.clone();
    let a1 = analyze(&after);
    let changes = diff((&before, &a0), (&after, &a1));
    let marks = diff_marks(&layout(&after), &before, &changes);
    let find = |kind: &str, id: &str| marks.iter().find(|it| it.kind == kind && it.id == id).map(|it| it.change);
    assert_eq!(find("vm", "vm-app1-web01"), Some(Change::Lost), "{marks:#?}");
    assert_eq!(find("vm", "vm-app1-web02"), Some(Change::Lost));
    assert_eq!(find("vm", "vm-app2-sql01"), None, "app2 keeps its path");
    assert_eq!(find("peering", "peer-vnet-hub-weu-to-vnet-spoke-app1-weu"), Some(Change::Removed));
    // Every mark has its own test id.
    let mut ids: Vec<String> = marks.iter().map(|it| it.test_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), marks.len());
}

#[test]
fn no_change_no_mark() {
    let d = design("hub-spoke");
    let a = analyze(&d);
    assert!(diff_marks(&layout(&d), &d, &diff((&d, &a), (&d, &a))).is_empty());
}

#[test]
fn a_target_served_by_another_bastion_is_marked_changed_not_lost() {
    let before = design("per-spoke");
    let a0 = analyze(&before);
    let mut after = before.clone();
    // Rename one spoke Bastion: its targets lose the old name and gain the new one.
    after.bastions[0].name = "bas-renamed".into();
    let a1 = analyze(&after);
    let changes = diff((&before, &a0), (&after, &a1));
    let marks = diff_marks(&layout(&after), &before, &changes);
    let vm_marks: Vec<_> = marks.iter().filter(|it| it.kind == "vm").collect();
    assert!(!vm_marks.is_empty(), "{marks:#?}");
    assert!(vm_marks.iter().all(|it| it.change == Change::Changed), "{vm_marks:#?}");
}
