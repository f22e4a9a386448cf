//! Compare (what-if): per Bastion the targets gained and lost even when Bastions are
//! replaced, per target whether any Bastion reaches it before and after, and the changed
//! resources the canvas marks.

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::diff_bastions::{BastionTargets, TargetReach};
use bastion_sim::engine::{analyze, diff, AnalysisDiff};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn design(name: &str) -> Design {
    (scenarios::by_name(name).unwrap().build)()
}

fn compare(before: &Design, after: &Design) -> AnalysisDiff {
    diff((before, &analyze(before)), (after, &analyze(after)))
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|it| it.to_string()).collect()
}

#[test]
fn per_spoke_to_hub_shows_each_replaced_bastion_and_that_every_target_stays_reachable() {
    let d = compare(&design("per-spoke"), &design("hub-spoke"));
    assert_eq!(
        d.bastion_targets,
        vec![
            BastionTargets {
                bastion: "bas-app1-weu".into(),
                presence: "removed",
                gained: vec![],
                lost: names(&["vm-app1-web01", "vm-app1-web02"])
            },
            BastionTargets {
                bastion: "bas-app2-weu".into(),
                presence: "removed",
                gained: vec![],
                lost: names(&["vm-app2-app01", "vm-app2-sql01"])
            },
            BastionTargets {
                bastion: "bas-hub-weu".into(),
                presence: "added",
                gained: names(&["vm-app1-web01", "vm-app1-web02", "vm-app2-app01", "vm-app2-sql01"]),
                lost: vec![]
            },
        ]
    );
    assert_eq!(d.target_reach.len(), 4);
    assert!(d
        .target_reach
        .iter()
        .all(|t| t.reachable_before && t.reachable_after && t.after == names(&["bas-hub-weu"])));
    // Pairs keyed by Bastion name: none of the replaced Bastions' pairs can "change".
    assert!(d.became_blocked.is_empty() && d.targets_lost.is_empty());
    let removed: Vec<(&str, &str)> = d.resources_removed.iter().map(|k| (k.kind, k.name.as_str())).collect();
    assert!(removed.contains(&("bastion", "bas-app1-weu")) && removed.contains(&("bastion", "bas-app2-weu")));
    assert!(d.resources_added.iter().any(|k| k.kind == "bastion" && k.name == "bas-hub-weu"));
}

#[test]
fn deleting_a_peering_shows_the_lost_pairs_and_the_targets_no_bastion_reaches() {
    let before = design("hub-spoke");
    let mut editor = Editor::new(DesignFile { design: before.clone(), layout: Layout::default() });
    editor
        .apply(&Command::Delete {
            keys: vec![Key::PeeringLink { from: "vnet-spoke-app2-weu".into(), to: "vnet-hub-weu".into() }],
        })
        .unwrap();
    let d = compare(&before, &editor.file.design);
    let lost: Vec<(&str, &str)> = d.became_blocked.iter().map(|p| (p.bastion.as_str(), p.target.as_str())).collect();
    assert_eq!(lost, vec![("bas-hub-weu", "vm-app2-app01"), ("bas-hub-weu", "vm-app2-sql01")]);
    assert_eq!(
        d.bastion_targets,
        vec![BastionTargets {
            bastion: "bas-hub-weu".into(),
            presence: "kept",
            gained: vec![],
            lost: names(&["vm-app2-app01", "vm-app2-sql01"])
        }]
    );
    assert_eq!(
        d.target_reach[0],
        TargetReach {
            target: "vm-app2-app01".into(),
            before: names(&["bas-hub-weu"]),
            after: vec![],
            reachable_before: true,
            reachable_after: false
        }
    );
    assert!(d.resources_removed.iter().any(|k| k.kind == "peering"), "{:?}", d.resources_removed);
    // Undo: nothing differs.
    editor.undo();
    assert!(compare(&before, &editor.file.design).is_empty());
}
