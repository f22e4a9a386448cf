//! Bastion health, B-HEALTH-1…8: each rule where it holds and where it fails, with the
//! verdict it gives every pair and the sentence a user reads.

use bastion_sim::engine::health::{missing_bastion_rules, required_bastion_rules, RowState};
use bastion_sim::engine::{analyze, explain, Check, FixAction, Index, Outcome, RuleId, Target};
use bastion_sim::model::*;
use bastion_sim::scenarios::builder::DesignBuilder;

fn base(sku: BastionSku) -> DesignBuilder {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16")
        .subnet("AzureBastionSubnet", "10.0.1.0/26")
        .subnet("snet", "10.0.2.0/24");
    b.bastion("bas", "hub", sku);
    b.vm_linux("vm", "hub", "snet", "10.0.2.4");
    b
}

fn health_check(design: &Design, rule: RuleId) -> Check {
    let analysis = analyze(design);
    analysis.health[0].checks.iter().find(|c| c.rule == rule).cloned().expect("check present")
}

/// The blocker of (bas, vm) from the verdict, asserted equal to the explanation's.
fn blocker(design: &Design) -> Option<RuleId> {
    let analysis = analyze(design);
    let ex = explain(design, 0, Target::Vm(0));
    assert_eq!(ex.blocker, analysis.blocker(0, Target::Vm(0)));
    assert_eq!(analysis.health[0].blocker.is_some(), ex.blocker.is_some() && ex.blocker == analysis.health[0].blocker);
    ex.blocker
}

#[test]
fn healthy_standard_bastion_passes_every_check_in_order() {
    let design = base(BastionSku::Standard).finish();
    let analysis = analyze(&design);
    let rules: Vec<RuleId> = analysis.health[0].checks.iter().map(|c| c.rule).collect();
    use RuleId::*;
    assert_eq!(rules, vec![BHealth8, BHealth1, BHealth2, BHealth3, BHealth4, BHealth5, BHealth6, BHealth7]);
    assert_eq!(analysis.health[0].blocker, None);
    assert_eq!(blocker(&design), None);
}

#[test]
fn b_health_8_bastion_in_a_vwan_hub() {
    let mut b = base(BastionSku::Standard);
    b.design.bastions[0].virtual_hub = Some("hub-weu".into());
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth8);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.fix.contains("spoke VNet"), "{}", c.fix);
    assert_eq!(blocker(&design), Some(RuleId::BHealth8));
    assert_eq!(health_check(&base(BastionSku::Standard).finish(), RuleId::BHealth8).outcome, Outcome::Pass);
}

#[test]
fn b_health_1_needs_exactly_named_subnet_holding_nothing_else() {
    let mut b = base(BastionSku::Basic);
    b.design.vnets[0].subnets[0].name = "azurebastionsubnet".into();
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth1);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("not exactly"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth1));

    let mut b = base(BastionSku::Basic);
    b.vm_linux("vm-squatter", "hub", "AzureBastionSubnet", "10.0.1.10");
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth1);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("vm-squatter"), "{}", c.found);
    assert!(c.fix.contains("Move vm-squatter"), "{}", c.fix);

    assert_eq!(health_check(&base(BastionSku::Basic).finish(), RuleId::BHealth1).outcome, Outcome::Pass);
}

#[test]
fn developer_skips_subnet_and_public_ip_checks() {
    let mut b = base(BastionSku::Developer);
    b.design.vnets[0].subnets.remove(0);
    let design = b.finish();
    for rule in [
        RuleId::BHealth1,
        RuleId::BHealth2,
        RuleId::BHealth3,
        RuleId::BHealth4,
        RuleId::BHealth5,
        RuleId::BHealth6,
        RuleId::BHealth7,
    ] {
        let c = health_check(&design, rule);
        assert_eq!(c.outcome, Outcome::Skip, "{rule}");
        assert!(c.found.contains("Not applicable"), "{}", c.found);
    }
    assert_eq!(blocker(&design), None);
}

#[test]
fn b_health_2_slash_27_warns_and_smaller_fails() {
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].subnets[0].prefix = "10.0.1.0/27".parse().unwrap();
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth2);
    assert_eq!(c.outcome, Outcome::Warn);
    assert!(c.found.contains("2 November 2021"));
    assert_eq!(blocker(&design), None, "a /27 never blocks");

    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].subnets[0].prefix = "10.0.1.0/28".parse().unwrap();
    let design = b.finish();
    assert_eq!(health_check(&design, RuleId::BHealth2).outcome, Outcome::Fail);
    assert_eq!(blocker(&design), Some(RuleId::BHealth2));
    assert_eq!(health_check(&base(BastionSku::Standard).finish(), RuleId::BHealth2).outcome, Outcome::Pass);
}

#[test]
fn b_health_3_route_table_on_bastion_subnet() {
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].subnets[0].route_table = Some("rt-hub".into());
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth3);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.fix.contains("Remove route table rt-hub"));
    assert_eq!(blocker(&design), Some(RuleId::BHealth3));
    assert_eq!(health_check(&base(BastionSku::Standard).finish(), RuleId::BHealth3).outcome, Outcome::Pass);
}

fn with_bastion_nsg(rules: Vec<NsgRule>) -> Design {
    let mut b = base(BastionSku::Standard);
    b.design.nsgs.push(Nsg {
        name: "nsg-bastion".into(),
        subscription: "sub".into(),
        resource_group: "rg".into(),
        rules,
    });
    b.design.vnets[0].subnets[0].nsg = Some("nsg-bastion".into());
    b.finish()
}

#[test]
fn b_health_4_fresh_nsg_lacks_exactly_internet_and_gateway_manager_443() {
    let design = with_bastion_nsg(Vec::new());
    let index = Index::new(&design);
    let rows = required_bastion_rules(&index, 0);
    let failing: Vec<String> =
        rows.iter().filter(|r| r.state != RowState::Satisfied).map(|r| r.required().describe()).collect();
    assert_eq!(
        failing,
        vec!["Inbound Internet → * TCP 443 (user sessions)", "Inbound GatewayManager → * TCP 443 (control plane)"]
    );
    assert!(rows.iter().filter(|r| r.state != RowState::Satisfied).all(|r| r.state == RowState::Missing));
    let added = missing_bastion_rules(&index, 0);
    let names: Vec<&str> = added.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["AllowHttpsInbound", "AllowGatewayManagerInbound"]);
    assert_ne!(added[0].priority, added[1].priority);

    let c = health_check(&design, RuleId::BHealth4);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("lacks 2 of the eight"), "{}", c.found);
    assert!(c.fix.contains("AllowHttpsInbound"), "{}", c.fix);
    assert_eq!(blocker(&design), Some(RuleId::BHealth4));

    // Adding the generated rules makes the NSG whole.
    let design = with_bastion_nsg(added);
    assert_eq!(health_check(&design, RuleId::BHealth4).outcome, Outcome::Pass);
    assert_eq!(blocker(&design), None);
}

fn rule(name: &str, priority: u32, direction: Direction, access: Access, src: &str, dst: &str, ports: &str) -> NsgRule {
    NsgRule {
        name: name.into(),
        priority,
        direction,
        access,
        protocol: Protocol::Any,
        sources: vec![src.into()],
        destinations: vec![dst.into()],
        destination_ports: vec![ports.into()],
    }
}

#[test]
fn b_health_4_names_the_shadowing_rule_and_fixes_above_it() {
    let mut rules = vec![
        rule("DenyAllOut", 200, Direction::Outbound, Access::Deny, "*", "*", "*"),
        // A narrow deny (one VM) does not break a row.
        rule("DenyOneVm", 110, Direction::Inbound, Access::Deny, "10.0.2.4", "*", "*"),
    ];
    let design0 = with_bastion_nsg(rules.clone());
    let index = Index::new(&design0);
    let added = missing_bastion_rules(&index, 0);
    let rows = required_bastion_rules(&index, 0);
    assert_eq!(rows.iter().filter(|r| r.state == RowState::Shadowed).count(), 4, "the four outbound rows");
    let c = health_check(&design0, RuleId::BHealth4);
    assert!(c.found.contains("shadowed on port 22 by nsg-bastion / DenyAllOut (priority 200)"), "{}", c.found);
    // Outbound fixes must come before the deny at priority 200.
    assert!(added.iter().filter(|r| r.direction == Direction::Outbound).all(|r| r.priority < 200));
    rules.extend(added);
    let design = with_bastion_nsg(rules);
    assert_eq!(health_check(&design, RuleId::BHealth4).outcome, Outcome::Pass);

    // A deny at 100 cannot be outranked: the fix says to move it.
    let design = with_bastion_nsg(vec![rule("DenyAllOut", 100, Direction::Outbound, Access::Deny, "*", "*", "*")]);
    let c = health_check(&design, RuleId::BHealth4);
    assert!(c.fix.contains("DenyAllOut"), "{}", c.fix);
}

#[test]
fn b_health_5_public_ip_must_be_standard_static_ipv4() {
    let mut b = base(BastionSku::Standard);
    b.design.public_ips[0].sku = PublicIpSku::Basic;
    b.design.public_ips[0].allocation = IpAllocation::Dynamic;
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth5);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("Basic SKU") && c.found.contains("dynamic"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth5));

    let mut b = base(BastionSku::Premium);
    b.design.bastions[0].public_ip = None;
    b.design.bastions[0].features.private_only = true;
    let design = b.finish();
    assert_eq!(health_check(&design, RuleId::BHealth5).outcome, Outcome::Skip);
    assert_eq!(blocker(&design), None);

    let mut b = base(BastionSku::Standard);
    b.design.bastions[0].public_ip = None;
    assert_eq!(health_check(&b.finish(), RuleId::BHealth5).outcome, Outcome::Fail);
}

fn forced_tunnel(transit: bool) -> Design {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("GatewaySubnet", "10.0.2.0/27");
    b.vnet("spoke", "sub", "rg", "westeurope", "10.1.0.0/16")
        .subnet("AzureBastionSubnet", "10.1.0.0/26")
        .subnet("snet", "10.1.1.0/24");
    b.peer("hub", "spoke");
    b.bastion("bas", "spoke", BastionSku::Standard);
    b.vm_linux("vm", "spoke", "snet", "10.1.1.4");
    let d = &mut b.design;
    for p in d.peerings.iter_mut() {
        if p.from == "hub" {
            p.allow_gateway_transit = true;
        } else {
            p.use_remote_gateways = transit;
        }
    }
    d.gateways.push(Gateway {
        name: "ergw".into(),
        kind: GatewayKind::ExpressRoute,
        vnet: Some("hub".into()),
        hub: None,
    });
    d.onprem_sites.push(OnPremSite { name: "dc".into(), address_prefixes: vec!["192.168.0.0/16".parse().unwrap()] });
    d.site_connections.push(SiteConnection {
        name: "er-dc".into(),
        gateway: "ergw".into(),
        site: "dc".into(),
        advertises_default_route: true,
    });
    b.finish()
}

#[test]
fn b_health_6_default_route_through_gateway_transit() {
    let design = forced_tunnel(true);
    let c = health_check(&design, RuleId::BHealth6);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("er-dc") && c.found.contains("gateway transit"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth6));
    // Without transit the spoke does not learn the route.
    let design = forced_tunnel(false);
    assert_eq!(health_check(&design, RuleId::BHealth6).outcome, Outcome::Pass);
}

#[test]
fn b_health_6_route_server_and_secured_hub() {
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].route_server_default_route = true;
    let c = health_check(&b.finish(), RuleId::BHealth6);
    assert!(c.found.contains("Route Server"));

    let mut b = base(BastionSku::Standard);
    let d = &mut b.design;
    d.virtual_wans.push(VirtualWan { name: "wan".into(), subscription: "sub".into(), resource_group: "rg".into() });
    d.virtual_hubs.push(VirtualHub {
        name: "vhub".into(),
        virtual_wan: "wan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().unwrap(),
        secured: true,
    });
    d.hub_connections.push(HubConnection {
        name: "c-hub".into(),
        vnet: "hub".into(),
        hub: "vhub".into(),
        propagate_default_route: true,
    });
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth6);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("secured hub vhub"), "{}", c.found);
    let mut design = design;
    design.hub_connections[0].propagate_default_route = false;
    assert_eq!(health_check(&design, RuleId::BHealth6).outcome, Outcome::Pass);
}

/// A Bastion VNet connected to a (not secured) Virtual WAN hub whose VPN gateway learns
/// 0.0.0.0/0 from a branch: the hub hands it to the connections that propagate the
/// default route, so it reaches the Bastion's VNet (forced tunnelling over VPN, B-HEALTH-6).
fn vwan_branch_default_route(propagate: bool) -> Design {
    let mut b = base(BastionSku::Standard);
    b.virtual_wan("wan", "sub", "rg").virtual_hub("vhub", "wan", "westeurope", "10.100.0.0/23");
    b.hub_connection("hub", "vhub");
    b.hub_gateway("vpngw", GatewayKind::Vpn, "vhub");
    b.site("branch", &["192.168.0.0/16"]).site_connection("s2s-branch", "vpngw", "branch", true);
    b.design.hub_connections[0].propagate_default_route = propagate;
    b.finish()
}

#[test]
fn b_health_6_branch_default_route_through_a_vwan_hub() {
    let design = vwan_branch_default_route(true);
    let c = health_check(&design, RuleId::BHealth6);
    assert_eq!(c.outcome, Outcome::Fail, "{}", c.found);
    assert!(c.found.contains("s2s-branch") && c.found.contains("vhub"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth6));
    // A connection that does not propagate the default route keeps the Bastion healthy.
    let design = vwan_branch_default_route(false);
    assert_eq!(health_check(&design, RuleId::BHealth6).outcome, Outcome::Pass);
}

#[test]
fn b_health_6_route_server_in_the_hub_used_by_gateway_transit() {
    // The spoke learns what the hub's Route Server advertises, as it learns the gateway's
    // routes, when it uses the hub's gateways (rules.md §8, gateway transit).
    let mut design = forced_tunnel(true);
    design.site_connections[0].advertises_default_route = false;
    design.vnets[0].route_server_default_route = true;
    let c = health_check(&design, RuleId::BHealth6);
    assert_eq!(c.outcome, Outcome::Fail, "{}", c.found);
    assert!(c.found.contains("Route Server in hub"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth6));
    // Without transit the spoke does not learn the route.
    let mut design = forced_tunnel(false);
    design.site_connections[0].advertises_default_route = false;
    design.vnets[0].route_server_default_route = true;
    assert_eq!(health_check(&design, RuleId::BHealth6).outcome, Outcome::Pass);
}

#[test]
fn b_health_7_reserved_private_dns_zone() {
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].private_dns_zones =
        vec!["privatelink.blob.core.windows.net".into(), "blob.core.windows.net".into()];
    let design = b.finish();
    let c = health_check(&design, RuleId::BHealth7);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("blob.core.windows.net") && !c.found.contains("privatelink"), "{}", c.found);
    assert_eq!(blocker(&design), Some(RuleId::BHealth7));
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].private_dns_zones = vec!["privatelink.vaultcore.azure.net".into()];
    assert_eq!(health_check(&b.finish(), RuleId::BHealth7).outcome, Outcome::Pass);
}

#[test]
fn health_blocker_is_the_first_failure_in_rule_order() {
    let mut b = base(BastionSku::Standard);
    b.design.vnets[0].private_dns_zones = vec!["azure.com".into()];
    b.design.vnets[0].subnets[0].route_table = Some("rt".into());
    let design = b.finish();
    assert_eq!(blocker(&design), Some(RuleId::BHealth3));
    let ex = explain(&design, 0, Target::Vm(0));
    assert_eq!(ex.checks.iter().filter(|c| c.outcome == Outcome::Fail).count(), 2, "both failures listed");
}

#[test]
fn b_health_4_fix_outranks_the_deny_on_every_port_of_a_two_port_row() {
    // Row 5 (outbound 22 and 3389): 22 is denied at 300, 3389 at 150, and 100–140 are taken.
    // The generated AllowSshRdpOutbound has to sit above both denies, not only 22's.
    let mut rules: Vec<NsgRule> = (0..5)
        .map(|i| rule(&format!("Other{i}"), 100 + 10 * i, Direction::Outbound, Access::Allow, "10.9.9.9", "*", "1"))
        .collect();
    rules.push(rule("Deny3389", 150, Direction::Outbound, Access::Deny, "*", "*", "3389"));
    rules.push(rule("Deny22", 300, Direction::Outbound, Access::Deny, "*", "*", "22"));
    let design0 = with_bastion_nsg(rules.clone());
    let index = Index::new(&design0);
    let added: Vec<NsgRule> =
        missing_bastion_rules(&index, 0).into_iter().filter(|r| r.direction == Direction::Outbound).collect();
    assert_eq!(added.len(), 1);
    assert!(added[0].priority < 150, "{added:?}");
    // Applied with the inbound rules a fresh NSG lacks, the NSG is whole.
    rules.extend(missing_bastion_rules(&index, 0));
    assert_eq!(health_check(&with_bastion_nsg(rules), RuleId::BHealth4).outcome, Outcome::Pass);
}

#[test]
fn b_health_4_deny_at_100_gets_no_fix_button_that_leaves_the_nsg_rejected() {
    // DenyInternetIn at 100 shadows Internet 443 and GatewayManager 443: no free priority
    // lies above it, so the generated rules land below it and adding them fixes nothing.
    let deny = rule("DenyInternetIn", 100, Direction::Inbound, Access::Deny, "Internet", "*", "*");
    let design = with_bastion_nsg(vec![deny]);
    let analysis = analyze(&design);
    for id in [RuleId::BHealth4, RuleId::CafR5] {
        let f = analysis.findings.iter().find(|f| f.id == id).expect("finding");
        assert!(f.fix.contains("give DenyInternetIn (priority 100) a larger priority number"), "{id:?}: {}", f.fix);
        assert_eq!(f.fix_action, None, "{id:?}: adding rules below the deny does not fix the NSG");
        assert!(!f.mechanical, "{id:?}");
    }
    let helper = bastion_sim::engine::nsg_helper::bastion_subnet_nsg(&design, "nsg-bastion").expect("report");
    assert_eq!(helper.rules_to_add.len(), 2);
    assert_eq!(helper.fix_action, None);

    // With room above the deny (at 200), the fix is mechanical and applying it works.
    let deny = rule("DenyInternetIn", 200, Direction::Inbound, Access::Deny, "Internet", "*", "*");
    let design = with_bastion_nsg(vec![deny.clone()]);
    let analysis = analyze(&design);
    let f = analysis.findings.iter().find(|f| f.id == RuleId::CafR5).expect("CAF-R5");
    let Some(FixAction::AddNsgRules { rules, .. }) = f.fix_action.clone() else { panic!("{f:?}") };
    let mut fixed = vec![deny];
    fixed.extend(rules);
    assert_eq!(health_check(&with_bastion_nsg(fixed), RuleId::BHealth4).outcome, Outcome::Pass);
}

#[test]
fn b_health_4_https_from_two_halves_of_the_address_space_is_https_from_the_internet() {
    // As 0.0.0.0/0 holds the row's Internet source, so do 0.0.0.0/1 and 128.0.0.0/1 together.
    let mut https = rule("AllowHttpsHalves", 120, Direction::Inbound, Access::Allow, "0.0.0.0/1", "*", "443");
    https.sources.push("128.0.0.0/1".into());
    let gm = rule("AllowGatewayManagerInbound", 130, Direction::Inbound, Access::Allow, "GatewayManager", "*", "443");
    assert_eq!(health_check(&with_bastion_nsg(vec![https, gm]), RuleId::BHealth4).outcome, Outcome::Pass);
}
