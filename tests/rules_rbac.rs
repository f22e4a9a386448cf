//! RBAC (rules.md §4 and §8): what a principal needs to connect through a Bastion to a VM,
//! each RBAC-* rule where it holds and where it fails, group membership, scope inheritance,
//! the role table, and the least-privilege planner with its az CLI and Bicep renderings.

use bastion_sim::engine::rbac::{access_checks, materialize_results, plan_least_privilege};
use bastion_sim::engine::{analyze, Index, Outcome, RbacResult, RuleId};
use bastion_sim::model::{
    AccessPolicy, BastionSku, Design, Group, KeyVault, KeyVaultPermissionModel, ManagementGroup, Role, RoleAssignment,
    SignIn, User,
};
use bastion_sim::scenarios::builder::DesignBuilder;

const VM1: &str =
    "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Compute/virtualMachines/vm-app1-web01";
const NIC1: &str = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/networkInterfaces/vm-app1-web01-nic";
const SPOKE1: &str = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1";
const HUB: &str =
    "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
const BASTION: &str =
    "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/bastionHosts/bas-hub-weu";

/// The hub-spoke scenario with three users; alice and bob form grp-app-ops.
fn design() -> Design {
    let mut d = bastion_sim::scenarios::builder::minimal_hub_spoke();
    for name in ["alice", "bob", "carol"] {
        d.users.push(User { name: name.into(), display_name: String::new() });
    }
    d.groups.push(Group { name: "grp-app-ops".into(), members: vec!["alice".into(), "bob".into()] });
    d
}

fn assign(d: &mut Design, principal: &str, role: Role, scope: &str) {
    d.role_assignments.push(RoleAssignment { principal: principal.into(), role, scope: scope.into() });
}

/// The result of `analyze` for (principal, target), spelled out by `access_checks`; every
/// result of the analysis must agree with its spelled-out twin.
fn result(d: &Design, principal: &str, target: &str) -> Option<RbacResult> {
    let analysis = analyze(d);
    let index = Index::new(d);
    let spelled = materialize_results(&index, &analysis, &analysis.rbac);
    assert_eq!(spelled.len(), analysis.rbac.len());
    for (compact, fast) in spelled.iter().zip(&analysis.rbac) {
        assert_eq!(compact.granted, fast.granted, "the compact verdict agrees with its spelled-out twin");
        let full = access_checks(&index, &analysis, &compact.principal, &compact.target).expect("resolvable");
        assert_eq!((compact.granted, &compact.bastion), (full.granted, &full.bastion), "{compact:#?} vs {full:#?}");
        assert_eq!(full.granted, full.checks.iter().all(|c| c.outcome != Outcome::Fail));
        if compact.granted {
            assert!(compact.checks.is_empty() && compact.missing.is_empty(), "granted results are compact");
        } else {
            let failing: Vec<_> = full.checks.iter().filter(|c| c.outcome != Outcome::Pass).cloned().collect();
            assert_eq!(compact.checks, failing, "denied results carry what fails or warns");
            assert_eq!(compact.missing, full.missing);
        }
    }
    let found = spelled.iter().find(|r| r.principal == principal && r.target == target)?;
    access_checks(&index, &analysis, &found.principal, &found.target)
}

fn outcome(r: &RbacResult, rule: RuleId) -> Vec<Outcome> {
    r.checks.iter().filter(|c| c.rule == rule).map(|c| c.outcome).collect()
}

/// Reader on the VM, its NIC, the Bastion and the hub VNet: everything but the spoke VNet.
fn all_but_spoke_vnet(d: &mut Design, who: &str) {
    for scope in [VM1, NIC1, BASTION, HUB] {
        assign(d, who, Role::Reader, scope);
    }
}

#[test]
fn reader_missing_on_the_peered_vnet_fails_rbac_vnet_and_its_grant_fixes_it() {
    let mut d = design();
    all_but_spoke_vnet(&mut d, "alice");
    let r = result(&d, "alice", "vm-app1-web01").expect("alice holds a role on the VM");
    assert_eq!(r.bastion, "bas-hub-weu");
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacVnet), vec![Outcome::Fail, Outcome::Pass]);
    assert_eq!(r.missing.len(), 1);
    let grant = &r.missing[0];
    assert_eq!(
        (grant.rule, grant.principal.as_str(), grant.role, grant.scope.as_str()),
        (RuleId::RbacVnet, "alice", Role::Reader, SPOKE1)
    );
    // Both VNets are cited, each with its source.
    let vnet_checks: Vec<_> = r.checks.iter().filter(|c| c.rule == RuleId::RbacVnet).collect();
    assert!(vnet_checks[0].found.contains("target's VNet") && vnet_checks[0].found.contains("FAQ"));
    assert!(vnet_checks[1].found.contains("Bastion's VNet") && vnet_checks[1].found.contains("landing-zone"));

    assign(&mut d, &grant.principal, grant.role, &grant.scope);
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(r.granted, "{:#?}", r.checks);
    assert!(r.missing.is_empty());
    assert_eq!(
        r.checks.iter().map(|c| c.rule).collect::<Vec<_>>(),
        vec![RuleId::RbacVm, RuleId::RbacNic, RuleId::RbacBastion, RuleId::RbacVnet, RuleId::RbacVnet]
    );
}

#[test]
fn reader_missing_on_the_bastions_vnet_also_fails_rbac_vnet() {
    let mut d = design();
    for scope in [VM1, NIC1, BASTION, SPOKE1] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    assert_eq!(r.missing[0].scope, HUB);
}

#[test]
fn a_groups_assignments_apply_to_its_members_only() {
    let mut d = design();
    assign(&mut d, "grp-app-ops", Role::Reader, "/subscriptions/sub-landingzone-corp");
    assign(&mut d, "grp-app-ops", Role::Reader, "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu");
    for who in ["alice", "bob"] {
        for vm in ["vm-app1-web01", "vm-app2-sql01"] {
            let r = result(&d, who, vm).unwrap();
            assert!(r.granted, "{who} {vm}: {:#?}", r.checks);
            assert!(r.checks[0].found.contains("through group grp-app-ops"), "{}", r.checks[0].found);
        }
    }
    // carol holds no role on any VM: no result at all.
    let carol = d.users.iter().position(|it| it.name == "carol").unwrap() as u32;
    assert!(analyze(&d).rbac.iter().all(|r| r.user != carol));
}

#[test]
fn scopes_inherit_from_resource_group_subscription_management_group_and_root() {
    let cases: Vec<(Vec<&str>, Vec<ManagementGroup>)> = vec![
        (
            vec![
                "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu",
                "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu",
            ],
            vec![],
        ),
        (vec!["/subscriptions/sub-landingzone-corp", "/subscriptions/sub-connectivity"], vec![]),
        (
            vec!["/providers/Microsoft.Management/managementGroups/mg-corp"],
            vec![ManagementGroup {
                name: "mg-corp".into(),
                subscriptions: vec!["sub-landingzone-corp".into(), "sub-connectivity".into()],
            }],
        ),
        (vec!["/"], vec![]),
    ];
    for (scopes, mgs) in cases {
        let mut d = design();
        d.management_groups = mgs;
        for scope in &scopes {
            assign(&mut d, "alice", Role::Reader, scope);
        }
        let r = result(&d, "alice", "vm-app1-web01").unwrap_or_else(|| panic!("no result for {scopes:?}"));
        assert!(r.granted, "{scopes:?}: {:#?}", r.checks);
    }
    // A management group grants nothing for a subscription it does not hold.
    let mut d = design();
    d.management_groups =
        vec![ManagementGroup { name: "mg-corp".into(), subscriptions: vec!["sub-landingzone-corp".into()] }];
    assign(&mut d, "alice", Role::Reader, "/providers/Microsoft.Management/managementGroups/mg-corp");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacBastion), vec![Outcome::Fail]);
    assert_eq!(outcome(&r, RuleId::RbacVnet), vec![Outcome::Pass, Outcome::Fail]);
}

#[test]
fn scopes_match_the_design_ids_whatever_their_case() {
    // ARM ids are case-insensitive: Azure accepts these assignments and applies them to the
    // design's resources, so the design loads and the reads are granted.
    let mut d = design();
    d.management_groups =
        vec![ManagementGroup { name: "mg-corp".into(), subscriptions: vec!["sub-landingzone-corp".into()] }];
    assign(&mut d, "alice", Role::Reader, "/providers/Microsoft.Management/managementGroups/MG-CORP");
    assign(&mut d, "alice", Role::Reader, &BASTION.to_uppercase());
    assign(&mut d, "alice", Role::Reader, "/subscriptions/SUB-CONNECTIVITY/resourceGroups/rg-connectivity-weu");
    let problems = bastion_sim::model::validate(&d);
    assert!(problems.is_empty(), "{problems:#?}");
    let r = result(&d, "alice", "vm-app1-web01").expect("alice holds a role on the VM");
    assert!(r.granted, "{:#?}", r.checks);
    // A name that matches nothing, in any case, is still an unknown id.
    assign(&mut d, "alice", Role::Reader, &HUB.replace("vnet-hub-weu", "VNET-HUB-NOPE"));
    assert_eq!(bastion_sim::model::validate(&d).len(), 1);
}

/// A role on the VM itself, its id spelled in another case (Azure accepts it, and so does
/// the design), still counts as a role on that VM: alice gets her result with what she lacks,
/// and CAF-R7 names the VM.
#[test]
fn a_role_on_the_vm_spelled_in_another_case_gives_its_result_and_caf_r7() {
    let mut d = design();
    assign(&mut d, "alice", Role::Reader, &VM1.to_uppercase());
    let problems = bastion_sim::model::validate(&d);
    assert!(problems.is_empty(), "{problems:#?}");
    let r = result(&d, "alice", "vm-app1-web01").expect("alice holds a role on the VM");
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacVm), vec![Outcome::Pass]);
    assert_eq!(outcome(&r, RuleId::RbacNic), vec![Outcome::Fail]);
    let analysis = analyze(&d);
    let caf_r7 = analysis.findings.iter().find(|f| f.id == RuleId::CafR7 && f.resource == "alice");
    assert!(caf_r7.is_some_and(|f| f.message.contains("vm-app1-web01")), "{:#?}", analysis.findings);
}

#[test]
fn key_vault_reader_and_security_reader_grant_none_of_the_reads() {
    let mut d = design();
    assign(&mut d, "alice", Role::KeyVaultReader, "/");
    assign(&mut d, "alice", Role::SecurityReader, "/");
    let r = result(&d, "alice", "vm-app1-web01").expect("any role on the VM gives a result");
    assert!(!r.granted);
    for rule in [RuleId::RbacVm, RuleId::RbacNic, RuleId::RbacBastion] {
        assert_eq!(outcome(&r, rule), vec![Outcome::Fail], "{rule}");
    }
    assert_eq!(outcome(&r, RuleId::RbacVnet), vec![Outcome::Fail, Outcome::Fail]);
    assert_eq!(r.missing.len(), 5);
    assert!(r.missing.iter().all(|g| g.role == Role::Reader));
}

#[test]
fn rbac_vm_and_rbac_nic_follow_the_role_table() {
    // Reader on the VM resource alone: the VM passes, its NIC does not.
    let mut d = design();
    for scope in [VM1, BASTION, HUB, SPOKE1] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacVm), vec![Outcome::Pass]);
    assert_eq!(outcome(&r, RuleId::RbacNic), vec![Outcome::Fail]);
    assert_eq!(r.missing[0].scope, NIC1);

    // Network Contributor reads NIC, VNet and Bastion, not the VM.
    let mut d = design();
    assign(&mut d, "alice", Role::NetworkContributor, "/");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacVm), vec![Outcome::Fail]);
    assert_eq!(outcome(&r, RuleId::RbacNic), vec![Outcome::Pass]);
    assert_eq!(outcome(&r, RuleId::RbacBastion), vec![Outcome::Pass]);
    assert_eq!(r.missing.iter().map(|g| g.scope.as_str()).collect::<Vec<_>>(), vec![VM1]);

    // Virtual Machine Contributor reads VM, NIC, VNet, but not the Bastion.
    let mut d = design();
    assign(&mut d, "alice", Role::VirtualMachineContributor, "/");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacVm), vec![Outcome::Pass]);
    assert_eq!(outcome(&r, RuleId::RbacBastion), vec![Outcome::Fail]);
    assert_eq!(r.missing.iter().map(|g| g.scope.as_str()).collect::<Vec<_>>(), vec![BASTION]);
}

/// A jump VM in the hub, beside the Bastion.
fn with_hub_vm(d: &mut Design) {
    d.vnets[0].subnets.push(bastion_sim::model::Subnet {
        name: "snet-mgmt".into(),
        prefix: "10.0.3.0/24".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    let mut vm = d.vms[0].clone();
    vm.name = "vm-hub-jump".into();
    vm.subscription = "sub-connectivity".into();
    vm.resource_group = "rg-connectivity-weu".into();
    vm.nic.vnet = "vnet-hub-weu".into();
    vm.nic.subnet = "snet-mgmt".into();
    vm.nic.private_ip = "10.0.3.4".parse().unwrap();
    d.vms.push(vm);
}

#[test]
fn same_vnet_reader_is_advice_that_never_blocks() {
    let mut d = design();
    with_hub_vm(&mut d);
    let jump = "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Compute/virtualMachines/vm-hub-jump";
    let jump_nic = "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/networkInterfaces/vm-hub-jump-nic";
    for scope in [jump, jump_nic, BASTION] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let r = result(&d, "alice", "vm-hub-jump").unwrap();
    assert!(r.granted, "{:#?}", r.checks);
    assert_eq!(outcome(&r, RuleId::RbacVnetSame), vec![Outcome::Warn]);
    assert!(outcome(&r, RuleId::RbacVnet).is_empty());
    assert!(r.missing.is_empty());

    assign(&mut d, "alice", Role::Reader, HUB);
    let r = result(&d, "alice", "vm-hub-jump").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacVnetSame), vec![Outcome::Pass]);
}

#[test]
fn entra_sign_in_needs_a_login_role_and_the_extension() {
    let mut d = design();
    d.vms[0].sign_in = SignIn::EntraId;
    d.vms[0].entra_login_extension = true;
    assign(&mut d, "alice", Role::Reader, "/");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacEntra), vec![Outcome::Fail]);
    assert_eq!(r.missing.len(), 1);
    assert_eq!((r.missing[0].role, r.missing[0].scope.as_str()), (Role::VirtualMachineUserLogin, VM1));

    assign(
        &mut d,
        "alice",
        Role::VirtualMachineAdministratorLogin,
        "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu",
    );
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(r.granted, "{:#?}", r.checks);
    assert_eq!(outcome(&r, RuleId::RbacEntra), vec![Outcome::Pass]);

    d.vms[0].entra_login_extension = false;
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    let check = r.checks.iter().find(|c| c.rule == RuleId::RbacEntra).unwrap();
    assert!(check.found.contains("login extension"), "{}", check.found);
    assert!(r.missing.is_empty(), "an extension is not a role assignment");
}

fn with_vault(d: &mut Design, model: KeyVaultPermissionModel, policies: Vec<AccessPolicy>) {
    d.key_vaults.push(KeyVault {
        name: "kv-ops".into(),
        subscription: "sub-connectivity".into(),
        resource_group: "rg-connectivity-weu".into(),
        permission_model: model,
        access_policies: policies,
    });
    d.vms[0].sign_in = SignIn::SshKeyInKeyVault { vault: "kv-ops".into() };
}

#[test]
fn key_vault_access_policies_apply_to_the_user_or_their_groups() {
    let mut d = design();
    with_vault(
        &mut d,
        KeyVaultPermissionModel::AccessPolicy,
        vec![AccessPolicy { principal: "grp-app-ops".into(), secrets_get: true, secrets_list: true }],
    );
    assign(&mut d, "alice", Role::Reader, "/");
    assign(&mut d, "carol", Role::Reader, "/");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(r.granted, "{:#?}", r.checks);
    assert_eq!(outcome(&r, RuleId::RbacKv), vec![Outcome::Pass]);
    let r = result(&d, "carol", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacKv), vec![Outcome::Fail]);
    // Get without List is not enough.
    d.key_vaults[0].access_policies[0].secrets_list = false;
    assert!(!result(&d, "alice", "vm-app1-web01").unwrap().granted);
}

#[test]
fn key_vault_rbac_model_needs_key_vault_secrets_user_not_owner() {
    let mut d = design();
    with_vault(&mut d, KeyVaultPermissionModel::Rbac, vec![]);
    assign(&mut d, "alice", Role::Owner, "/");
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert!(!r.granted);
    let kv =
        "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.KeyVault/vaults/kv-ops";
    assert_eq!(r.missing.len(), 1);
    assert_eq!(
        (r.missing[0].rule, r.missing[0].role, r.missing[0].scope.as_str()),
        (RuleId::RbacKv, Role::KeyVaultSecretsUser, kv)
    );
    assign(&mut d, "alice", Role::KeyVaultSecretsUser, kv);
    assert!(result(&d, "alice", "vm-app1-web01").unwrap().granted);
}

fn developer_design(deployed: bool) -> Design {
    let mut b = DesignBuilder::new("dev", "");
    b.subscription("sub-dev");
    b.vnet("vnet-dev", "sub-dev", "rg-dev", "westeurope", "10.9.0.0/16").subnet("snet-vm", "10.9.1.0/24");
    b.bastion("bas-dev", "vnet-dev", BastionSku::Developer).deployed = deployed;
    b.vm_linux("vm-dev", "vnet-dev", "snet-vm", "10.9.1.4");
    let mut d = b.finish();
    d.users.push(User { name: "dana".into(), display_name: String::new() });
    d
}

#[test]
fn a_developer_bastion_not_yet_deployed_needs_write_on_the_vnet() {
    let mut d = developer_design(false);
    assign(&mut d, "dana", Role::Reader, "/subscriptions/sub-dev");
    let r = result(&d, "dana", "vm-dev").unwrap();
    assert_eq!(r.bastion, "bas-dev");
    assert!(!r.granted);
    assert!(outcome(&r, RuleId::RbacBastion).is_empty(), "RBAC-DEV replaces RBAC-BASTION");
    assert_eq!(outcome(&r, RuleId::RbacDev), vec![Outcome::Fail]);
    assert_eq!(r.missing[0].role, Role::NetworkContributor);
    assert!(r.missing[0].scope.ends_with("/virtualNetworks/vnet-dev"));

    assign(&mut d, "dana", Role::Contributor, "/subscriptions/sub-dev/resourceGroups/rg-dev");
    assert!(result(&d, "dana", "vm-dev").unwrap().granted);

    let mut d = developer_design(true);
    assign(&mut d, "dana", Role::Reader, "/subscriptions/sub-dev");
    let r = result(&d, "dana", "vm-dev").unwrap();
    assert!(r.granted, "{:#?}", r.checks);
    assert_eq!(outcome(&r, RuleId::RbacDev), vec![Outcome::Pass]);
}

#[test]
fn the_connect_flow_prefers_a_bastion_in_the_vms_own_vnet() {
    let mut d = design();
    d.vnets[1].subnets.push(bastion_sim::model::Subnet {
        name: "AzureBastionSubnet".into(),
        prefix: "10.1.2.0/26".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    let mut spoke = d.bastions[0].clone();
    spoke.name = "bas-spoke-app1".into();
    spoke.vnet = "vnet-spoke-app1".into();
    spoke.public_ip = Some("pip-bas-spoke-app1".into());
    let mut pip = d.public_ips[0].clone();
    pip.name = "pip-bas-spoke-app1".into();
    d.public_ips.push(pip);
    d.bastions.push(spoke);
    assign(&mut d, "alice", Role::Reader, "/");
    assert_eq!(result(&d, "alice", "vm-app1-web01").unwrap().bastion, "bas-spoke-app1");
    assert_eq!(result(&d, "alice", "vm-app2-sql01").unwrap().bastion, "bas-hub-weu");
}

#[test]
fn the_planner_gives_the_group_the_narrowest_readers_for_hub_and_spoke() {
    let d = design();
    let plan = plan_least_privilege(
        &d,
        &["grp-app-ops".to_string()],
        &["vm-app1-web01".to_string(), "vm-app2-sql01".to_string()],
    );
    let expected = "\
# Least-privilege role assignments planned by bastion-sim.
# Principals are the design's names: they stand for Entra object ids (use the object id
# or sign-in name of each user and group).
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Compute/virtualMachines/vm-app1-web01
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app2-weu/providers/Microsoft.Compute/virtualMachines/vm-app2-sql01
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/networkInterfaces/vm-app1-web01-nic
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app2-weu/providers/Microsoft.Network/networkInterfaces/vm-app2-sql01-nic
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/bastionHosts/bas-hub-weu
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1
az role assignment create --assignee grp-app-ops --role \"Reader\" --scope /subscriptions/sub-landingzone-corp/resourceGroups/rg-app2-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app2
";
    assert_eq!(plan.az_cli(), expected);
    assert!(plan.warnings.iter().any(|w| w.contains("vnet-hub-weu") && w.contains("CAF-R4")), "{:#?}", plan.warnings);

    // The plan works: applying it grants both users both VMs.
    let mut applied = d.clone();
    for it in &plan.assignments {
        assign(&mut applied, &it.principal, it.role, &it.scope);
    }
    let rbac = analyze(&applied).rbac;
    assert_eq!(rbac.len(), 4);
    assert!(rbac.iter().all(|r| r.granted));
    // ... and a second plan has nothing left to do.
    let again = plan_least_privilege(&applied, &["grp-app-ops".to_string()], &["vm-app1-web01".to_string()]);
    assert!(again.assignments.is_empty());
}

#[test]
fn the_planner_assigns_to_users_when_the_group_is_not_wholly_in_the_set() {
    let d = design();
    let plan = plan_least_privilege(&d, &["alice".to_string(), "carol".to_string()], &["vm-app1-web01".to_string()]);
    assert!(plan.assignments.iter().all(|a| a.principal == "alice" || a.principal == "carol"));
    // VM, NIC, Bastion, spoke VNet, hub VNet for each of the two users.
    assert_eq!(plan.assignments.len(), 10);
    let plan = plan_least_privilege(&d, &["nobody".to_string()], &["vm-nowhere".to_string()]);
    assert!(plan.assignments.is_empty());
    assert_eq!(plan.warnings.len(), 2);
}

#[test]
fn the_planners_bicep_uses_guid_names_and_built_in_role_ids() {
    let mut d = design();
    d.vms[0].sign_in = SignIn::EntraId;
    d.vms[0].entra_login_extension = true;
    let plan = plan_least_privilege(&d, &["grp-app-ops".to_string()], &["vm-app1-web01".to_string()]);
    let bicep = plan.bicep();
    assert!(bicep.contains("targetScope = 'resourceGroup'"));
    assert!(bicep.contains("param principalIds object"));
    assert!(bicep.contains("'acdd72a7-3385-48ef-bd42-f606fba81ae7') // Reader"));
    assert!(bicep.contains("'fb879df8-f326-4884-b1cf-06f3ad86be52') // Virtual Machine User Login"));
    assert!(bicep.contains("resource vm_vm_app1_web01 'Microsoft.Compute/virtualMachines@2024-07-01' existing = {"));
    // Virtual Machine User Login reads the VM too: no Reader on the VM beside it.
    assert!(
        bicep.contains("name: guid(vm_vm_app1_web01.id, principalIds['grp-app-ops'], role_Virtual_Machine_User_Login)")
    );
    assert!(!bicep.contains("name: guid(vm_vm_app1_web01.id, principalIds['grp-app-ops'], role_Reader)"));
    assert!(bicep.contains("principalType: 'Group'"));
    assert_eq!(bicep.matches("'Microsoft.Authorization/roleAssignments@2022-04-01'").count(), plan.assignments.len());
    // NIC, Bastion and both VNets (Reader), and the login role on the VM.
    assert_eq!(plan.assignments.len(), 5);
}

#[test]
fn a_virtual_wan_pair_needs_reader_on_both_vnets_like_a_peered_one() {
    let mut b = DesignBuilder::new("vwan", "");
    b.subscription("sub-a");
    b.vnet("vnet-a", "sub-a", "rg-a", "westeurope", "10.10.0.0/16").subnet("AzureBastionSubnet", "10.10.1.0/26");
    b.vnet("vnet-b", "sub-a", "rg-b", "westeurope", "10.11.0.0/16").subnet("snet-vm", "10.11.2.0/24");
    b.bastion_standard("bas-a", "vnet-a").features.ip_connect = true;
    b.vm_linux("vm-b", "vnet-b", "snet-vm", "10.11.2.4");
    let mut d = b.finish();
    d.virtual_wans.push(bastion_sim::model::VirtualWan {
        name: "vwan".into(),
        subscription: "sub-a".into(),
        resource_group: "rg-a".into(),
    });
    d.virtual_hubs.push(bastion_sim::model::VirtualHub {
        name: "hub-weu".into(),
        virtual_wan: "vwan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().unwrap(),
        secured: false,
    });
    for vnet in ["vnet-a", "vnet-b"] {
        d.hub_connections.push(bastion_sim::model::HubConnection {
            name: format!("conn-{vnet}"),
            vnet: vnet.into(),
            hub: "hub-weu".into(),
            propagate_default_route: false,
        });
    }
    d.users.push(User { name: "erin".into(), display_name: String::new() });
    assign(&mut d, "erin", Role::Reader, "/subscriptions/sub-a/resourceGroups/rg-b");
    assign(
        &mut d,
        "erin",
        Role::Reader,
        "/subscriptions/sub-a/resourceGroups/rg-a/providers/Microsoft.Network/bastionHosts/bas-a",
    );
    let r = result(&d, "erin", "vm-b").expect("bas-a reaches vm-b over the Virtual WAN");
    assert_eq!(r.bastion, "bas-a");
    assert!(!r.granted);
    assert_eq!(outcome(&r, RuleId::RbacVnet), vec![Outcome::Pass, Outcome::Fail]);
    assert_eq!(
        r.missing[0].scope,
        "/subscriptions/sub-a/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/vnet-a"
    );
    assign(
        &mut d,
        "erin",
        Role::Reader,
        "/subscriptions/sub-a/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/vnet-a",
    );
    assert!(result(&d, "erin", "vm-b").unwrap().granted);
}

/// A scale set's instance NICs are child resources of the scale set
/// (`…/virtualMachineScaleSets/<name>/virtualMachines/<n>/networkInterfaces/<nic>`): Reader
/// on the scale set covers them, and a missing NIC read is granted on the scale set, never
/// on a top-level `networkInterfaces/<name>-nic` that Azure does not have.
#[test]
fn a_scale_sets_nics_are_covered_by_reader_on_the_scale_set() {
    let vmss = VM1.replace("virtualMachines", "virtualMachineScaleSets");
    let scale_set = |d: &mut Design| d.vms.iter_mut().find(|v| v.name == "vm-app1-web01").unwrap().scale_set = true;

    let mut d = design();
    scale_set(&mut d);
    for scope in [vmss.as_str(), BASTION, HUB, SPOKE1] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    assert!(bastion_sim::model::validate(&d).is_empty());
    let r = result(&d, "alice", "vm-app1-web01").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacVm), vec![Outcome::Pass]);
    assert_eq!(outcome(&r, RuleId::RbacNic), vec![Outcome::Pass], "{r:#?}");
    assert!(r.granted, "{r:#?}");

    // Without a role on the scale set, both reads are missing and both grants name it.
    let mut d = design();
    scale_set(&mut d);
    for scope in [BASTION, HUB, SPOKE1] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let analysis = analyze(&d);
    let index = Index::new(&d);
    let r = access_checks(&index, &analysis, "alice", "vm-app1-web01").unwrap();
    assert_eq!(outcome(&r, RuleId::RbacNic), vec![Outcome::Fail]);
    let nic = r.missing.iter().find(|g| g.rule == RuleId::RbacNic).unwrap();
    assert_eq!(nic.scope, vmss);
    let check = r.checks.iter().find(|c| c.rule == RuleId::RbacNic).unwrap();
    assert!(check.fix.contains("the instance NICs of scale set vm-app1-web01"), "{}", check.fix);
    assert!(r.missing.iter().all(|g| !g.scope.contains("networkInterfaces")), "{:#?}", r.missing);
    // The plan assigns Reader on the scale set once, for both reads.
    let plan = plan_least_privilege(&d, &["alice".to_string()], &["vm-app1-web01".to_string()]);
    let on_vmss = plan.assignments.iter().filter(|a| a.scope == vmss).count();
    assert_eq!(on_vmss, 1, "{plan:#?}");
}
