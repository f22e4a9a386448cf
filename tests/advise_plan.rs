//! The RBAC planner for hub and spoke: the app2 operator team and its spoke VMs in a
//! landing zone where nobody holds a role yet (the planner lets every principal reach every
//! target, so one team is planned with its own VMs). Its `az` commands equal the expected text kept in
//! tests/expected/, and its warnings say what the plan exposes beyond the targets.

use bastion_sim::edit::{Command, Editor};
use bastion_sim::engine::plan_exposure;
use bastion_sim::engine::{analyze, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

/// hub-spoke with every role assignment removed: the plan starts from nothing.
fn fresh_hub_spoke() -> Design {
    let mut design = (scenarios::by_name("hub-spoke").unwrap().build)();
    design.role_assignments.clear();
    design
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|it| it.to_string()).collect()
}

const TEAMS: [&str; 1] = ["grp-app2-operators"];
const SPOKE_VMS: [&str; 2] = ["vm-app2-sql01", "vm-app2-app01"];

#[test]
fn the_az_commands_for_a_team_and_its_spoke_vms_equal_the_expected_text() {
    let design = fresh_hub_spoke();
    let plan = plan_exposure::plan(&design, &strings(&TEAMS), &strings(&SPOKE_VMS));
    let expected = include_str!("expected/hub_spoke_plan.az.txt");
    assert_eq!(plan.az_cli(), expected);
}

#[test]
fn applying_the_plan_lets_every_team_member_connect_and_leaves_no_caf_r7() {
    let design = fresh_hub_spoke();
    let plan = plan_exposure::plan(&design, &strings(&TEAMS), &strings(&SPOKE_VMS));
    let mut editor = Editor::new(DesignFile { design, layout: Layout::default() });
    let inserts: Vec<Command> = plan
        .assignments
        .iter()
        .map(|a| Command::Insert {
            item: bastion_sim::edit::Item::RoleAssignment(RoleAssignment {
                principal: a.principal.clone(),
                role: a.role,
                scope: a.scope.clone(),
            }),
        })
        .collect();
    editor.apply(&Command::Batch(inserts)).unwrap();
    let analysis = analyze(&editor.file.design);
    let bob = analysis.findings.iter().find(|f| f.id == RuleId::CafR7 && f.resource == "bob@contoso.com");
    assert!(bob.is_none(), "{bob:#?}");
    let user = editor.file.design.users.iter().position(|u| u.name == "bob@contoso.com").unwrap();
    for vm in SPOKE_VMS {
        let v = editor.file.design.vms.iter().position(|it| it.name == vm).unwrap();
        assert!(
            analysis.rbac.iter().any(|a| a.user as usize == user && a.vm as usize == v && a.granted),
            "bob connects to {vm}"
        );
    }
    // Planning again finds nothing to add.
    let again = plan_exposure::plan(&editor.file.design, &strings(&TEAMS), &strings(&SPOKE_VMS));
    assert!(again.assignments.is_empty(), "{:#?}", again.assignments);
}

#[test]
fn the_plan_warns_about_the_hub_topology_and_a_vnet_shared_with_other_vms() {
    let design = fresh_hub_spoke();
    let plan = plan_exposure::plan(&design, &strings(&TEAMS), &strings(&SPOKE_VMS));
    assert!(
        plan.warnings.iter().any(|w| w.contains("Reader on vnet-hub-weu") && w.contains("CAF-R4")),
        "{:#?}",
        plan.warnings
    );
    // Only app1's web01 as target: Reader on the app1 spoke reveals a VNet shared with web02.
    let one = plan_for(&design, &["grp-app1-operators"], &["vm-app1-web01"]);
    assert!(
        one.warnings.iter().any(|w| w.contains("vnet-spoke-app1-weu") && w.contains("vm-app1-web02")),
        "{:#?}",
        one.warnings
    );
    // Both app1 VMs as targets: the spoke holds nothing else, so no such warning.
    let both = plan_for(&design, &["grp-app1-operators"], &["vm-app1-web01", "vm-app1-web02"]);
    assert!(!both.warnings.iter().any(|w| w.contains("vnet-spoke-app1-weu") && w.contains("outside the plan")));
}

#[test]
fn a_role_already_held_at_resource_group_scope_is_flagged_as_broader_than_needed() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    // In hub-spoke, grp-app1-operators reads all of rg-app1-weu.
    let plan = plan_for(&design, &["alice@contoso.com"], &["vm-app1-web01"]);
    assert!(
        plan.warnings.iter().any(|w| w.starts_with("grp-app1-operators already holds Reader at a resource group")),
        "{:#?}",
        plan.warnings
    );
    let fresh = plan_for(&fresh_hub_spoke(), &["alice@contoso.com"], &["vm-app1-web01"]);
    assert!(!fresh.warnings.iter().any(|w| w.contains("already holds")));
}

fn plan_for(design: &Design, principals: &[&str], targets: &[&str]) -> bastion_sim::engine::rbac::RbacPlan {
    plan_exposure::plan(design, &strings(principals), &strings(targets))
}

/// Least privilege without redundancy: an Entra ID VM needs Virtual Machine User Login on
/// it (RBAC-ENTRA), and that role also reads the VM (rules.md §8's role table), so the
/// plan assigns no Reader on the VM beside it. The plan still suffices.
#[test]
fn an_entra_id_vm_gets_its_login_role_and_no_redundant_reader_on_the_same_vm() {
    let mut design = fresh_hub_spoke();
    for vm in design.vms.iter_mut().filter(|vm| vm.name == "vm-app2-app01") {
        vm.sign_in = SignIn::EntraId;
        vm.entra_login_extension = true;
    }
    let vm_scope = bastion_sim::scenarios::builder::vm_scope(&design, "vm-app2-app01");
    let plan = plan_for(&design, &TEAMS, &["vm-app2-app01"]);
    let on_vm: Vec<Role> = plan.assignments.iter().filter(|a| a.scope == vm_scope).map(|a| a.role).collect();
    assert_eq!(on_vm, vec![Role::VirtualMachineUserLogin], "{:#?}", plan.assignments);

    for a in &plan.assignments {
        design.role_assignments.push(RoleAssignment {
            principal: a.principal.clone(),
            role: a.role,
            scope: a.scope.clone(),
        });
    }
    let analysis = analyze(&design);
    let bob = design.users.iter().position(|u| u.name == "bob@contoso.com").unwrap();
    let vm = design.vms.iter().position(|v| v.name == "vm-app2-app01").unwrap();
    assert!(analysis.rbac.iter().any(|a| a.user as usize == bob && a.vm as usize == vm && a.granted));
    assert!(plan_for(&design, &TEAMS, &["vm-app2-app01"]).assignments.is_empty());
}

/// A plan for one user assigns to that user: a one-member group the caller did not name
/// saves no assignment and would extend the roles to whoever joins it later (in vwan-central
/// alice is the only member of grp-app1-operators; the plan must not give that group
/// Reader on app2's VMs).
#[test]
fn a_plan_for_one_user_is_assigned_to_that_user_not_to_a_group_she_alone_is_in() {
    let mut design = (scenarios::by_name("vwan-central").unwrap().build)();
    design.role_assignments.clear();
    let plan = plan_for(&design, &["alice@contoso.com"], &["vm-app2-sql01"]);
    assert!(!plan.assignments.is_empty());
    assert!(plan.assignments.iter().all(|a| a.principal == "alice@contoso.com"), "{:#?}", plan.assignments);
    // Naming the group still plans for the group.
    let plan = plan_for(&design, &["grp-app1-operators"], &["vm-app2-sql01"]);
    assert!(plan.assignments.iter().all(|a| a.principal == "grp-app1-operators"), "{:#?}", plan.assignments);
}
