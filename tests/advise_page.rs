//! What the page's advice panels show, checked natively: the compare marks of a deleted
//! peering (lost pairs in red, the link marked removed) and the RBAC planner's `az` text
//! for hub-spoke, which the browser test compares with the page (one snapshot for both).

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::{analyze, diff, rbac::plan_least_privilege};
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
fn the_planner_text_for_hub_spoke_matches_the_snapshot_the_page_test_reads() {
    let d = design("hub-spoke");
    let plan = plan_least_privilege(&d, &["carol@contoso.com".to_string()], &["vm-app2-sql01".to_string()]);
    let expected = include_str!("snapshots/rbac-plan-hub-spoke.az.txt");
    assert_eq!(plan.az_cli(), expected);
    assert!(!plan.assignments.is_empty(), "carol needs roles to reach vm-app2-sql01");
}
