//! Advice findings (rules.md §6, §8): CAF-R1, R2, R3, R4, R6, R7, R8, R9, JIT-3, RBAC-SHARE,
//! RBAC-DEV, each where it fires and where it does not, attached where §8 says.

use bastion_sim::engine::{analyze, Finding, FixAction, RuleId, Severity};
use bastion_sim::model::*;
use bastion_sim::scenarios::builder::DesignBuilder;

fn hub_spoke() -> Design {
    bastion_sim::scenarios::builder::minimal_hub_spoke()
}

fn found(design: &Design, id: RuleId) -> Vec<Finding> {
    analyze(design).findings.into_iter().filter(|f| f.id == id).collect()
}

fn user(d: &mut Design, name: &str) {
    d.users.push(User { name: name.into(), display_name: String::new() });
}

fn assign(d: &mut Design, principal: &str, role: Role, scope: &str) {
    d.role_assignments.push(RoleAssignment { principal: principal.into(), role, scope: scope.into() });
}

#[test]
fn caf_r1_warns_on_a_developer_bastion_only() {
    assert!(found(&hub_spoke(), RuleId::CafR1).is_empty());
    let mut d = hub_spoke();
    d.bastions[0].sku = BastionSku::Developer;
    let f = found(&d, RuleId::CafR1);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Warning, "bas-hub-weu"));
    assert!(f[0].message.contains("not for production"));
}

#[test]
fn caf_r6_asks_for_diagnostics_to_the_central_workspace() {
    let mut d = hub_spoke();
    let f = found(&d, RuleId::CafR6);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].fix_action, None, "no central workspace to point at");

    d.log_workspaces.push(LogAnalyticsWorkspace {
        name: "law-platform".into(),
        subscription: "sub-connectivity".into(),
        resource_group: "rg-connectivity-weu".into(),
        central: true,
    });
    let f = found(&d, RuleId::CafR6);
    assert_eq!(
        f[0].fix_action,
        Some(FixAction::SetDiagnostics { bastion: "bas-hub-weu".into(), workspace: "law-platform".into() })
    );

    d.bastions[0].diagnostics_workspace = Some("law-platform".into());
    assert!(found(&d, RuleId::CafR6).is_empty());
}

#[test]
fn caf_r7_names_the_vm_and_the_missing_role_on_the_principal() {
    let spoke1 = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1";
    let mut d = hub_spoke();
    user(&mut d, "alice");
    for scope in [
        "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Compute/virtualMachines/vm-app1-web01",
        "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/networkInterfaces/vm-app1-web01-nic",
        "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu",
    ] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let f = found(&d, RuleId::CafR7);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resource, "alice");
    assert!(f[0].message.contains("vm-app1-web01") && f[0].message.contains("RBAC-VNET"), "{}", f[0].message);
    assert!(f[0].message.contains("Reader on vnet-spoke-app1"), "{}", f[0].message);
    assert_eq!(
        f[0].fix_action,
        Some(FixAction::AddRoleAssignment { principal: "alice".into(), role: Role::Reader, scope: spoke1.into() })
    );
    assign(&mut d, "alice", Role::Reader, spoke1);
    assert!(found(&d, RuleId::CafR7).is_empty());
}

#[test]
fn caf_r7_grants_every_missing_role_in_one_fix_when_several_are_missing() {
    let mut d = hub_spoke();
    user(&mut d, "alice");
    assign(&mut d, "alice", Role::SecurityReader, "/subscriptions/sub-landingzone-corp");
    let f = found(&d, RuleId::CafR7);
    // One finding per (rule, principal), so the page can address it; it names both VMs.
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("vm-app1-web01") && f[0].message.contains("vm-app2-sql01"), "{}", f[0].message);
    // Every missing requirement is a role assignment: one batch grants them all.
    let Some(FixAction::Batch { actions }) = f[0].fix_action.clone() else {
        panic!("a batch of grants: {:?}", f[0].fix_action);
    };
    assert!(actions.len() > 1 && actions.iter().all(|a| matches!(a, FixAction::AddRoleAssignment { .. })));
    let mut editor = bastion_sim::edit::Editor::new(DesignFile { design: d.clone(), layout: Layout::default() });
    editor.apply(&bastion_sim::edit::Command::ApplyFix(f[0].fix_action.clone().unwrap())).unwrap();
    assert!(found(&editor.file.design, RuleId::CafR7).is_empty());
    d = editor.file.design.clone();
    assert!(d.role_assignments.iter().filter(|a| a.principal == "alice").count() > actions.len());
}

#[test]
fn caf_r8_flags_linux_sign_in_outside_key_vault() {
    let mut d = hub_spoke();
    let f = found(&d, RuleId::CafR8);
    assert_eq!(f.len(), 1, "the Windows VM is not concerned");
    assert_eq!(f[0].resource, "vm-app1-web01");
    d.vms[0].sign_in = SignIn::Password;
    assert!(found(&d, RuleId::CafR8)[0].message.contains("password"));
    d.vms[0].sign_in = SignIn::SshKeyInKeyVault { vault: "kv-ops".into() };
    assert!(found(&d, RuleId::CafR8).is_empty());
    d.vms[0].sign_in = SignIn::EntraId;
    assert!(found(&d, RuleId::CafR8).is_empty());
}

fn with_vpn(d: &mut Design, connected_site: bool) {
    d.gateways.push(Gateway {
        name: "vgw-hub".into(),
        kind: GatewayKind::Vpn,
        vnet: Some("vnet-hub-weu".into()),
        hub: None,
    });
    if connected_site {
        d.onprem_sites
            .push(OnPremSite { name: "site-hq".into(), address_prefixes: vec!["192.168.0.0/16".parse().unwrap()] });
        d.site_connections.push(SiteConnection {
            name: "cn-hq".into(),
            gateway: "vgw-hub".into(),
            site: "site-hq".into(),
            advertises_default_route: false,
        });
    }
}

#[test]
fn caf_r9_wants_bastion_and_a_hybrid_path_together() {
    let d = hub_spoke();
    let f = found(&d, RuleId::CafR9);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Info, "design"));
    assert!(f[0].message.contains("no VPN or ExpressRoute"));

    let mut d = hub_spoke();
    with_vpn(&mut d, true);
    assert!(found(&d, RuleId::CafR9).is_empty());
    d.bastions.clear();
    assert!(found(&d, RuleId::CafR9)[0].message.contains("no Bastion"));
}

/// A VPN or ExpressRoute gateway with no site connected is no path from on-premises (CAF-R2
/// says the design is not hybrid yet): beside a Bastion it is no break-glass route, and
/// without a Bastion it is not "a VPN or ExpressRoute path but no Bastion".
#[test]
fn caf_r9_a_gateway_without_a_connected_site_is_no_hybrid_path() {
    let mut d = hub_spoke();
    with_vpn(&mut d, false);
    let f = found(&d, RuleId::CafR9);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("no VPN or ExpressRoute path"), "{}", f[0].message);
    d.bastions.clear();
    assert!(found(&d, RuleId::CafR9).is_empty(), "{:#?}", found(&d, RuleId::CafR9));
}

#[test]
fn caf_r2_names_the_hybrid_pattern() {
    let mut d = hub_spoke();
    with_vpn(&mut d, false);
    assert!(found(&d, RuleId::CafR2).is_empty(), "a gateway without a site is not hybrid yet");
    with_vpn(&mut d, true);
    d.gateways.truncate(1);
    let f = found(&d, RuleId::CafR2);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resource, "design");
    assert!(f[0].message.contains("VPN") && f[0].message.contains("vgw-hub"), "{}", f[0].message);
}

fn vwan_design(per_spoke: bool) -> Design {
    let mut b = DesignBuilder::new("vwan", "");
    b.subscription("sub-a");
    b.vnet("vnet-a", "sub-a", "rg-a", "westeurope", "10.10.0.0/16")
        .subnet("AzureBastionSubnet", "10.10.1.0/26")
        .subnet("snet-vm", "10.10.2.0/24");
    b.vnet("vnet-b", "sub-a", "rg-b", "westeurope", "10.11.0.0/16")
        .subnet("AzureBastionSubnet", "10.11.1.0/26")
        .subnet("snet-vm", "10.11.2.0/24");
    b.bastion_standard("bas-a", "vnet-a");
    if per_spoke {
        b.bastion_standard("bas-b", "vnet-b");
    }
    b.vm_linux("vm-a", "vnet-a", "snet-vm", "10.10.2.4");
    b.vm_linux("vm-b", "vnet-b", "snet-vm", "10.11.2.4");
    let mut d = b.finish();
    d.virtual_wans.push(VirtualWan {
        name: "vwan".into(),
        subscription: "sub-a".into(),
        resource_group: "rg-a".into(),
    });
    d.virtual_hubs.push(VirtualHub {
        name: "hub-weu".into(),
        virtual_wan: "vwan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().unwrap(),
        secured: false,
    });
    for vnet in ["vnet-a", "vnet-b"] {
        d.hub_connections.push(HubConnection {
            name: format!("conn-{vnet}"),
            vnet: vnet.into(),
            hub: "hub-weu".into(),
            propagate_default_route: false,
        });
    }
    d
}

#[test]
fn caf_r3_names_the_virtual_wan_pattern() {
    let mut central = vwan_design(false);
    central.bastions[0].features.ip_connect = true;
    let f = found(&central, RuleId::CafR3);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("central Bastion in vnet-a") && f[0].message.contains("Reader"), "{}", f[0].message);
    let f = found(&vwan_design(true), RuleId::CafR3);
    assert!(f[0].message.contains("a Bastion per spoke"), "{}", f[0].message);
    assert!(found(&hub_spoke(), RuleId::CafR3).is_empty());
}

#[test]
fn caf_r4_names_the_hub_and_spoke_pattern() {
    let f = found(&hub_spoke(), RuleId::CafR4);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resource, "design");
    assert!(f[0].message.contains("bas-hub-weu in vnet-hub-weu serves 2 peered spoke(s)"), "{}", f[0].message);
    assert!(f[0].fix.contains("Bastion (Basic or Standard) in each spoke"));
    // A spoke whose peering blocks VNet access is peered but has no network path.
    let mut d = hub_spoke();
    for p in d.peerings.iter_mut().filter(|p| p.name.contains("app2")) {
        p.allow_virtual_network_access = false;
    }
    let f = found(&d, RuleId::CafR4);
    assert!(f[0].message.contains("2 peered spoke(s) (1 with a network path)"), "{}", f[0].message);
    // One spoke is hub and spoke too (the bastion-hub-spoke-vnet quickstart,
    // tests/corpus_cases/qs-bastion-hub-spoke-vnet.json): users still need Reader on the hub.
    let mut d = hub_spoke();
    d.peerings.retain(|p| !p.name.contains("app2"));
    let f = found(&d, RuleId::CafR4);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("bas-hub-weu in vnet-hub-weu serves 1 peered spoke(s)"), "{}", f[0].message);
    // Without a peered VNet holding VMs there is no spoke.
    d.peerings.clear();
    assert!(found(&d, RuleId::CafR4).is_empty());
    // A Developer Bastion in the hub serves no peered spoke (R-PEER: no peering support) and
    // its users need no Reader on it (RBAC-DEV): the hub-and-spoke access pattern is not there.
    let mut d = hub_spoke();
    d.bastions[0].sku = BastionSku::Developer;
    assert!(found(&d, RuleId::CafR4).is_empty(), "{:#?}", found(&d, RuleId::CafR4));
}

#[test]
fn jit_3_needs_defender_for_servers_plan_2() {
    let mut d = hub_spoke();
    assert!(found(&d, RuleId::Jit3).is_empty());
    d.vms[1].jit_policy = true;
    let f = found(&d, RuleId::Jit3);
    assert_eq!((f.len(), f[0].resource.as_str(), f[0].severity), (1, "vm-app2-sql01", Severity::Error));
    d.subscriptions[1].defender_for_servers_p2 = true;
    assert!(found(&d, RuleId::Jit3).is_empty());
}

#[test]
fn rbac_share_lists_who_may_create_shareable_links() {
    let mut d = hub_spoke();
    assert!(found(&d, RuleId::RbacShare).is_empty());
    d.bastions[0].features.shareable_link = true;
    let f = found(&d, RuleId::RbacShare);
    assert!(f[0].message.contains("nobody"), "{}", f[0].message);
    user(&mut d, "carol");
    user(&mut d, "dave");
    assign(&mut d, "carol", Role::NetworkContributor, "/subscriptions/sub-connectivity");
    assign(&mut d, "dave", Role::Reader, "/");
    let f = found(&d, RuleId::RbacShare);
    assert_eq!(f[0].resource, "bas-hub-weu");
    assert!(f[0].message.contains(": carol may create links"), "{}", f[0].message);
}

#[test]
fn rbac_dev_needs_someone_with_write_on_the_vnet_before_first_use() {
    let mut b = DesignBuilder::new("dev", "");
    b.subscription("sub-dev");
    b.vnet("vnet-dev", "sub-dev", "rg-dev", "westeurope", "10.9.0.0/16").subnet("snet-vm", "10.9.1.0/24");
    b.bastion("bas-dev", "vnet-dev", BastionSku::Developer).deployed = false;
    b.vm_linux("vm-dev", "vnet-dev", "snet-vm", "10.9.1.4");
    let mut d = b.finish();
    let f = found(&d, RuleId::RbacDev);
    assert_eq!((f.len(), f[0].severity, f[0].resource.as_str()), (1, Severity::Error, "bas-dev"));
    user(&mut d, "dana");
    assign(&mut d, "dana", Role::NetworkContributor, "/subscriptions/sub-dev/resourceGroups/rg-dev");
    let f = found(&d, RuleId::RbacDev);
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].message.contains("dana"));
    d.bastions[0].deployed = true;
    assert!(found(&d, RuleId::RbacDev).is_empty());
}

#[test]
fn caf_r7_gathers_the_vms_that_one_grant_would_open() {
    let mut d = hub_spoke();
    // A second VM in spoke 1: both lack only Reader on the hub VNet.
    let mut vm = d.vms[0].clone();
    vm.name = "vm-app1-web02".into();
    vm.nic.private_ip = "10.1.1.5".parse().unwrap();
    d.vms.push(vm);
    user(&mut d, "alice");
    assign(&mut d, "alice", Role::Reader, "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu");
    let bastion = "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/bastionHosts/bas-hub-weu";
    assign(&mut d, "alice", Role::Reader, bastion);
    let f = found(&d, RuleId::CafR7);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("2 VMs (vm-app1-web01, vm-app1-web02)"), "{}", f[0].message);
    let hub = "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
    assert_eq!(
        f[0].fix_action,
        Some(FixAction::AddRoleAssignment { principal: "alice".into(), role: Role::Reader, scope: hub.into() })
    );
}

#[test]
fn caf_r7_spells_five_remedies_of_a_principal_and_counts_the_rest() {
    use bastion_sim::scenarios::synthetic::{generate_with_rbac, EstateParams, RbacShape};
    // Roles scattered at random: principals with more remedies than a person reads.
    let design = generate_with_rbac(&EstateParams::small(), RbacShape::Scattered);
    let analysis = analyze(&design);
    let long: Vec<&Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.id == RuleId::CafR7 && f.message.contains("different remedies"))
        .collect();
    assert!(!long.is_empty(), "the scattered estate has principals with many remedies");
    for f in long {
        // "<p> holds a role on N VMs it cannot connect to, with G different remedies; the first 5: ..."
        let n: usize = f.message.split(" holds a role on ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let user = design.users.iter().position(|u| u.name == f.resource).expect("a user");
        let denied = analysis.rbac.iter().filter(|it| it.user as usize == user && !it.granted).count();
        assert_eq!(n, denied, "{}", f.message);
        // Five remedy sentences follow the count, then the rest is counted.
        assert_eq!(f.message.matches(" holds a role on ").count(), 6, "{}", f.message);
        assert!(f.message.contains("more VMs with other missing requirements"), "{}", f.message);
        assert!(f.fix.contains("for the other"), "{}", f.fix);
    }
}

/// The hub and spoke with a second Bastion in spoke 1: vm-app1-web01 is reached by both
/// bas-spoke1 (its own VNet, the one the Connect flow prefers) and bas-hub-weu.
fn two_bastions_reach_web01() -> Design {
    let mut d = hub_spoke();
    d.vnets[1].subnets.push(Subnet {
        name: "AzureBastionSubnet".into(),
        prefix: "10.1.2.0/26".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    let mut host = d.bastions[0].clone();
    host.name = "bas-spoke1".into();
    host.vnet = "vnet-spoke-app1".into();
    host.resource_group = None;
    host.public_ip = Some("pip-bas-spoke1".into());
    let mut pip = d.public_ips[0].clone();
    pip.name = "pip-bas-spoke1".into();
    pip.subscription = "sub-landingzone-corp".into();
    pip.resource_group = "rg-app1-weu".into();
    d.public_ips.push(pip);
    d.bastions.push(host);
    d
}

const WEB01: &str =
    "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Compute/virtualMachines/vm-app1-web01";
const WEB01_NIC: &str = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/networkInterfaces/vm-app1-web01-nic";
const SPOKE1: &str = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1";
const HUB: &str =
    "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
const BAS_HUB: &str = "/subscriptions/sub-connectivity/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/bastionHosts/bas-hub-weu";

/// CAF-R7 asks for the requirements of §4 through *some* Bastion that reaches the VM: a
/// principal who can connect through the hub Bastion (Reader on it, the VM, its NIC and
/// both VNets) is not short of anything because the spoke's own Bastion, which the Connect
/// flow lists first, is not readable to them. The RBAC result names the Bastion that works.
#[test]
fn caf_r7_is_quiet_when_another_reaching_bastion_grants_the_connection() {
    let mut d = two_bastions_reach_web01();
    user(&mut d, "alice");
    for scope in [WEB01, WEB01_NIC, SPOKE1, HUB, BAS_HUB] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    let analysis = analyze(&d);
    for b in 0..2 {
        assert_eq!(analysis.blocker(b, bastion_sim::engine::Target::Vm(0)), None, "both Bastions reach web01");
    }
    let f: Vec<Finding> = analysis.findings.iter().filter(|f| f.id == RuleId::CafR7).cloned().collect();
    assert!(f.is_empty(), "{f:#?}");
    let result = analysis.rbac.iter().find(|it| it.vm == 0).expect("a result for web01");
    assert!(result.granted);
    assert_eq!(d.bastions[result.bastion as usize].name, "bas-hub-weu");
    let index = bastion_sim::engine::Index::new(&d);
    let checks = bastion_sim::engine::rbac::access_checks(&index, &analysis, "alice", "vm-app1-web01").unwrap();
    assert!(checks.granted && checks.bastion == "bas-hub-weu", "{checks:#?}");
}

/// When no reaching Bastion grants the connection, CAF-R7's remedy is the one with the
/// fewest missing requirements (Reader on the spoke's own Bastion: one grant), not the
/// Connect flow's first Bastion whatever it costs.
#[test]
fn caf_r7_remedy_is_the_reaching_bastion_with_the_fewest_missing_requirements() {
    let mut d = two_bastions_reach_web01();
    user(&mut d, "alice");
    for scope in [WEB01, WEB01_NIC, SPOKE1, HUB, BAS_HUB] {
        assign(&mut d, "alice", Role::Reader, scope);
    }
    // Without Reader on the hub VNet, the hub Bastion lacks one requirement and the spoke's
    // own Bastion one (Reader on it): the Connect flow's own-VNet Bastion wins the tie.
    d.role_assignments.retain(|a| a.scope != HUB);
    let f = found(&d, RuleId::CafR7);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("through bas-spoke1: RBAC-BASTION missing"), "{}", f[0].message);
    // Without Reader on the spoke VNet too, the hub Bastion lacks two (both VNets) and the
    // spoke's own one still one: the spoke's.
    d.role_assignments.retain(|a| a.scope != SPOKE1);
    let f = found(&d, RuleId::CafR7);
    assert!(f[0].message.contains("through bas-spoke1: RBAC-BASTION missing"), "{}", f[0].message);
    // Reader on bas-spoke1 is all the spoke's own Bastion needs.
    let bas_spoke = "/subscriptions/sub-landingzone-corp/resourceGroups/rg-app1-weu/providers/Microsoft.Network/bastionHosts/bas-spoke1";
    assign(&mut d, "alice", Role::Reader, bas_spoke);
    assert!(found(&d, RuleId::CafR7).is_empty());
}

/// A group's role counts for its members, and a role on another VM only does not make a
/// CAF-R7 finding about this one.
#[test]
fn caf_r7_counts_group_roles_and_ignores_vms_without_a_role() {
    let mut d = hub_spoke();
    user(&mut d, "alice");
    d.groups.push(Group { name: "ops".into(), members: vec!["alice".into()] });
    for scope in [WEB01, WEB01_NIC, SPOKE1, HUB, BAS_HUB] {
        assign(&mut d, "ops", Role::Reader, scope);
    }
    assert!(found(&d, RuleId::CafR7).is_empty(), "{:#?}", found(&d, RuleId::CafR7));
    d.role_assignments.retain(|a| a.scope != HUB);
    let f = found(&d, RuleId::CafR7);
    assert_eq!((f.len(), f[0].resource.as_str()), (1, "alice"));
    assert!(f[0].message.contains("vm-app1-web01") && !f[0].message.contains("vm-app2-sql01"), "{}", f[0].message);
}

/// A Developer host serves only its own VNet (no IP-based connection, no peering) and needs
/// no Reader on it (RBAC-DEV): it is no central Bastion of a Virtual WAN. Nor is one without
/// IP-based connection on, which reaches no other spoke: CAF-R3 says so.
#[test]
fn caf_r3_central_bastion_is_dedicated_and_says_when_ip_based_connection_is_off() {
    let mut d = vwan_design(false);
    d.bastions[0].sku = BastionSku::Developer;
    d.bastions[0].public_ip = None;
    let f = found(&d, RuleId::CafR3);
    assert!(f.is_empty(), "{f:#?}");
    let d = vwan_design(false);
    let f = found(&d, RuleId::CafR3);
    assert!(f[0].message.contains("none with IP-based connection on"), "{}", f[0].message);
    let mut d = vwan_design(false);
    d.bastions[0].features.ip_connect = true;
    let f = found(&d, RuleId::CafR3);
    assert!(f[0].message.contains("central Bastion in vnet-a: it reaches"), "{}", f[0].message);
}
