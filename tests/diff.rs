//! The what-if diff of two designs: pairs gained and lost, findings, roles, RBAC results,
//! SKU, resources (for the compare overlay) and cost, all sorted.

use bastion_sim::engine::diff::{PairChange, ResourceKey};
use bastion_sim::engine::{analyze, diff, AnalysisDiff, RuleId};
use bastion_sim::model::{BastionSku, Design, Role, RoleAssignment, User};

fn hub_spoke() -> Design {
    bastion_sim::scenarios::builder::minimal_hub_spoke()
}

fn compare(before: &Design, after: &Design) -> AnalysisDiff {
    diff((before, &analyze(before)), (after, &analyze(after)))
}

#[test]
fn the_same_design_has_an_empty_diff() {
    let d = hub_spoke();
    assert!(compare(&d, &d).is_empty());
}

#[test]
fn deleting_a_peering_shows_the_lost_pairs() {
    let before = hub_spoke();
    let mut after = before.clone();
    after.peerings.retain(|p| p.name != "peer-vnet-spoke-app1-to-vnet-hub-weu");
    let d = compare(&before, &after);
    assert_eq!(d.became_blocked.len(), 1);
    let lost = &d.became_blocked[0];
    assert_eq!((lost.bastion.as_str(), lost.target.as_str(), lost.before), ("bas-hub-weu", "vm-app1-web01", None));
    assert!(lost.after.is_some());
    assert!(d.became_reachable.is_empty());
    assert_eq!(d.targets_lost, vec!["vm-app1-web01".to_string()]);
    assert_eq!(
        d.resources_removed,
        vec![ResourceKey { kind: "peering", name: "peer-vnet-spoke-app1-to-vnet-hub-weu".into() }]
    );
    // The reverse comparison gains the pair back.
    let back = compare(&after, &before);
    assert_eq!(
        back.became_reachable,
        vec![PairChange {
            bastion: "bas-hub-weu".into(),
            target: "vm-app1-web01".into(),
            before: lost.after,
            after: None
        }]
    );
    assert_eq!(back.targets_gained, vec!["vm-app1-web01".to_string()]);
    assert_eq!(back.resources_added, d.resources_removed);
}

#[test]
fn role_assignments_and_rbac_results_are_compared() {
    let mut before = hub_spoke();
    before.users.push(User { name: "alice".into(), display_name: String::new() });
    before.role_assignments.push(RoleAssignment {
        principal: "alice".into(),
        role: Role::Reader,
        scope: "/subscriptions/sub-landingzone-corp".into(),
    });
    let mut after = before.clone();
    after.role_assignments.push(RoleAssignment {
        principal: "alice".into(),
        role: Role::Reader,
        scope: "/subscriptions/sub-connectivity".into(),
    });
    let d = compare(&before, &after);
    assert_eq!(d.roles_added.len(), 1);
    assert_eq!(d.roles_added[0].scope, "/subscriptions/sub-connectivity");
    assert!(d.roles_removed.is_empty());
    let granted: Vec<&str> = d.rbac_granted.iter().map(|c| c.target.as_str()).collect();
    assert_eq!(granted, vec!["vm-app1-web01", "vm-app2-sql01"]);
    assert!(d.rbac_denied.is_empty());
    // Two CAF-R7 findings (one per VM) go away.
    // The CAF-R7 finding (both VMs, one remedy) goes away.
    assert_eq!(d.findings_removed.iter().filter(|f| f.id == RuleId::CafR7).count(), 1);
    assert!(compare(&after, &before).rbac_denied.len() == 2);
}

#[test]
fn sku_changes_resources_changed_and_cost_delta() {
    let before = hub_spoke();
    let mut after = before.clone();
    after.bastions[0].sku = BastionSku::Premium;
    after.bastions[0].features.session_recording = true;
    after.vnets[1].subnets[0].prefix = "10.1.1.0/25".parse().unwrap();
    let d = compare(&before, &after);
    assert_eq!(d.sku_changes.len(), 1);
    let change = &d.sku_changes[0];
    assert_eq!((change.before, change.after), (BastionSku::Standard, BastionSku::Premium));
    assert_eq!((change.least_before, change.least_after), (BastionSku::Basic, BastionSku::Premium));
    assert_eq!(
        d.resources_changed,
        vec![
            ResourceKey { kind: "bastion", name: "bas-hub-weu".into() },
            ResourceKey { kind: "subnet", name: "vnet-spoke-app1/snet-app".into() },
        ]
    );
    assert_eq!((d.cost_before, d.cost_after, d.cost_delta), (211.70, 328.50, 116.80));
}

#[test]
fn losing_the_last_role_on_a_vm_counts_as_access_denied() {
    let mut before = hub_spoke();
    before.users.push(User { name: "alice".into(), display_name: String::new() });
    before.role_assignments.push(RoleAssignment { principal: "alice".into(), role: Role::Reader, scope: "/".into() });
    let mut after = before.clone();
    after.role_assignments.clear();
    let d = compare(&before, &after);
    assert_eq!(d.rbac_denied.len(), 2);
    assert_eq!(d.roles_removed.len(), 1);
    assert!(d.rbac_granted.is_empty());
}

/// Removing every Bastion: the cost after is 0 (not -0, which Rust's float sum of nothing
/// gives and JSON prints as "-0"), the delta the whole cost before.
#[test]
fn removing_every_bastion_costs_zero_after_not_minus_zero() {
    let before = hub_spoke();
    let mut after = before.clone();
    after.bastions.clear();
    let d = compare(&before, &after);
    assert!(d.cost_after == 0.0 && d.cost_after.is_sign_positive(), "{}", d.cost_after);
    assert_eq!(d.cost_delta, -d.cost_before);
    let json = serde_json::to_string(&d).unwrap();
    assert!(json.contains("\"cost_after\":0"), "{json}");
    assert!(!json.contains(":-0,") && !json.contains(":-0.0"), "{json}");
}

/// ARM compares ids without case (the engine's RBAC does too): an assignment whose scope
/// is only spelled in another case is the same assignment, not a removal and an addition.
#[test]
fn a_role_assignment_whose_scope_changes_only_in_case_is_not_a_role_change() {
    let before = (bastion_sim::scenarios::by_name("hub-spoke").unwrap().build)();
    assert!(!before.role_assignments.is_empty());
    let mut after = before.clone();
    for it in after.role_assignments.iter_mut() {
        it.scope = it.scope.to_uppercase();
    }
    let d = compare(&before, &after);
    assert!(d.roles_added.is_empty() && d.roles_removed.is_empty(), "{:#?} {:#?}", d.roles_added, d.roles_removed);
    assert!(d.is_empty(), "{d:#?}");
}
