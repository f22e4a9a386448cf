//! Path rules and session capability: R-SAME, R-PEER, R-NONTRANSITIVE, R-VWAN, R-NOPATH,
//! R-HYBRID, R-IPCONNECT, R-PROTO, R-DEV-ONE — verdict and explanation for each.

use bastion_sim::engine::{analyze, explain, Explanation, Outcome, PathKind, RuleId, Target, Verdict};
use bastion_sim::model::*;
use bastion_sim::scenarios::builder::DesignBuilder;
use bastion_sim::scenarios::by_name;

fn vm(design: &Design, name: &str) -> Target {
    Target::Vm(design.vms.iter().position(|v| v.name == name).expect("vm"))
}

fn bastion(design: &Design, name: &str) -> usize {
    design.bastions.iter().position(|b| b.name == name).expect("bastion")
}

/// The verdict, checked against the explanation (they must agree).
fn verdict(design: &Design, b: &str, target: Target) -> (Option<RuleId>, Explanation) {
    let analysis = analyze(design);
    let b = bastion(design, b);
    let ex = explain(design, b, target);
    assert_eq!(ex.blocker, analysis.blocker(b, target), "explanation and verdict disagree: {ex:#?}");
    (analysis.blocker(b, target), ex)
}

fn check(ex: &Explanation, rule: RuleId) -> &bastion_sim::engine::Check {
    ex.checks.iter().find(|c| c.rule == rule).unwrap_or_else(|| panic!("no {rule} check in {ex:#?}"))
}

/// hub (Bastion, AzureBastionSubnet) peered with spoke1 and spoke2, one Linux VM per VNet.
fn hub_spoke(sku: BastionSku) -> DesignBuilder {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16")
        .subnet("AzureBastionSubnet", "10.0.1.0/26")
        .subnet("snet", "10.0.2.0/24");
    b.vnet("spoke1", "sub", "rg", "westeurope", "10.1.0.0/16").subnet("snet", "10.1.1.0/24");
    b.vnet("spoke2", "sub", "rg", "westeurope", "10.2.0.0/16").subnet("snet", "10.2.1.0/24");
    b.peer("hub", "spoke1").peer("hub", "spoke2");
    b.bastion("bas", "hub", sku);
    b.vm_linux("vm-hub", "hub", "snet", "10.0.2.4");
    b.vm_linux("vm1", "spoke1", "snet", "10.1.1.4");
    b.vm_windows("vm2", "spoke2", "snet", "10.2.1.4");
    b
}

#[test]
fn hub_bastion_reaches_every_spoke_vm() {
    let design = (by_name("hub-spoke").unwrap().build)();
    let analysis = analyze(&design);
    for (idx, _) in design.vms.iter().enumerate() {
        assert_eq!(analysis.verdict(0, Target::Vm(idx)), Verdict::Reachable, "{}", design.vms[idx].name);
        let ex = explain(&design, 0, Target::Vm(idx));
        assert_eq!(check(&ex, RuleId::RPeer).outcome, Outcome::Pass);
        assert_eq!(ex.path.len(), 2);
    }
}

#[test]
fn r_same_holds_in_own_vnet() {
    let design = hub_spoke(BastionSku::Basic).finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-hub"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RSame).outcome, Outcome::Pass);
    assert_eq!(ex.path, vec!["hub"]);
}

#[test]
fn r_same_fails_when_the_bastion_has_no_vnet() {
    let mut b = hub_spoke(BastionSku::Basic);
    b.design.bastions[0].vnet = "nowhere".into();
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-hub"));
    // The health check names the missing VNet first; no path exists either.
    assert_eq!(blocker, Some(RuleId::BHealth1));
    assert_eq!(check(&ex, RuleId::RNoPath).outcome, Outcome::Fail);
    assert!(ex.checks.iter().all(|c| c.rule != RuleId::RSame));
}

#[test]
fn r_peer_developer_is_blocked_across_a_peering() {
    let design = hub_spoke(BastionSku::Developer).finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, Some(RuleId::RPeer));
    let c = check(&ex, RuleId::RPeer);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.found.contains("Developer SKU does not support peered VNets"), "{}", c.found);
    assert!(c.fix.contains("Upgrade bas to Basic"), "{}", c.fix);
    // Its own VNet is fine, one VM at a time.
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-hub"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RDevOne).outcome, Outcome::Pass);
    assert!(check(&ex, RuleId::RDevOne).found.contains("one VM at a time"));
}

#[test]
fn r_peer_fails_when_peering_is_initiated_or_access_is_off() {
    let mut b = hub_spoke(BastionSku::Basic);
    b.design.peerings.retain(|p| !(p.from == "spoke1" && p.to == "hub"));
    b.design.peerings.iter_mut().find(|p| p.from == "spoke2").unwrap().allow_virtual_network_access = false;
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, Some(RuleId::RPeer));
    assert!(check(&ex, RuleId::RPeer).found.contains("Initiated"));
    assert!(check(&ex, RuleId::RPeer).fix.contains("Create the peering link from spoke1 to hub"));
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm2"));
    assert_eq!(blocker, Some(RuleId::RPeer));
    assert!(check(&ex, RuleId::RPeer).fix.contains("allowVirtualNetworkAccess"));
}

#[test]
fn r_peer_cross_tenant_is_blocked() {
    let mut b = hub_spoke(BastionSku::Standard);
    b.design.subscriptions.push(Subscription {
        id: "sub-other".into(),
        display_name: String::new(),
        tenant: "fabrikam.onmicrosoft.com".into(),
        defender_for_servers_p2: false,
    });
    b.design.vnets[1].subscription = "sub-other".into();
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, Some(RuleId::RPeer));
    assert!(check(&ex, RuleId::RPeer).found.contains("cross-tenant"));
}

/// Tenant ids and domain names are case-insensitive: two subscriptions of one tenant, its
/// name spelled in another case (as an export may give it), are not a cross-tenant peering.
#[test]
fn r_peer_same_tenant_spelled_in_another_case_is_not_cross_tenant() {
    let mut b = hub_spoke(BastionSku::Standard);
    b.design.subscriptions.push(Subscription {
        id: "sub-other".into(),
        display_name: String::new(),
        tenant: "Contoso.OnMicrosoft.com".into(),
        defender_for_servers_p2: false,
    });
    b.design.vnets[1].subscription = "sub-other".into();
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, None, "{ex:#?}");
    assert_eq!(check(&ex, RuleId::RPeer).outcome, Outcome::Pass);
    // Nor does any finding call it cross-tenant.
    let analysis = analyze(&design);
    assert!(!analysis.findings.iter().any(|f| f.message.contains("cross-tenant")), "{:#?}", analysis.findings);
}

/// The hub's Bastion moved to spoke1 (a Standard host, bas-spoke1, in its own subnet).
fn bastion_in_spoke1(b: &mut DesignBuilder) {
    b.design.bastions.clear();
    b.design.vnets[1].subnets.push(Subnet {
        name: "AzureBastionSubnet".into(),
        prefix: "10.1.0.0/26".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    b.bastion("bas-spoke1", "spoke1", BastionSku::Standard);
}

#[test]
fn r_nontransitive_spoke_bastion_to_other_spoke_names_both_fixes() {
    let mut b = hub_spoke(BastionSku::Standard);
    bastion_in_spoke1(&mut b);
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas-spoke1", vm(&design, "vm2"));
    assert_eq!(blocker, Some(RuleId::RNonTransitive));
    let c = check(&ex, RuleId::RNonTransitive);
    assert!(c.found.contains("spoke1 → hub → spoke2"), "{}", c.found);
    assert!(c.fix.contains("Peer spoke1 and spoke2 directly"), "{}", c.fix);
    assert!(c.fix.contains("put the Bastion in the hub hub"), "{}", c.fix);
    assert!(c.fix.contains("in spoke2 itself"), "{}", c.fix);
    assert_eq!(ex.path, vec!["spoke1", "hub", "spoke2"]);
    assert_eq!(analyze(&design).reach[0].vnet_paths[2].kind, PathKind::NonTransitive);
    // The hub VM next door is fine.
    assert_eq!(verdict(&design, "bas-spoke1", vm(&design, "vm-hub")).0, None);
    // The first fix named works: peer the two spokes directly.
    let mut b = DesignBuilder { design };
    b.peer("spoke1", "spoke2");
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas-spoke1", vm(&design, "vm2"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RPeer).outcome, Outcome::Pass);
}

/// Three hops: the shortest chain is named, and the VNet before the target is called by
/// its name, not "the hub" (it is only a neighbour of the target).
#[test]
fn r_nontransitive_over_three_hops_names_the_chain_and_no_hub() {
    let mut b = hub_spoke(BastionSku::Standard);
    b.vnet("spoke3", "sub", "rg", "westeurope", "10.3.0.0/16").subnet("snet", "10.3.1.0/24");
    b.peer("spoke2", "spoke3");
    b.vm_linux("vm3", "spoke3", "snet", "10.3.1.4");
    bastion_in_spoke1(&mut b);
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas-spoke1", vm(&design, "vm3"));
    assert_eq!(blocker, Some(RuleId::RNonTransitive));
    let c = check(&ex, RuleId::RNonTransitive);
    assert!(c.found.contains("3 peering hops (spoke1 → hub → spoke2 → spoke3)"), "{}", c.found);
    assert!(c.fix.contains("Peer spoke1 and spoke3 directly"), "{}", c.fix);
    assert!(c.fix.contains("put the Bastion in spoke2 (peered with spoke3)"), "{}", c.fix);
    assert!(!c.fix.contains("hub"), "{}", c.fix);
}

fn vwan(ip_connect: bool, sku: BastionSku) -> Design {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("spoke-a", "sub", "rg", "westeurope", "10.1.0.0/16")
        .subnet("AzureBastionSubnet", "10.1.0.0/26")
        .subnet("snet", "10.1.1.0/24");
    b.vnet("spoke-b", "sub", "rg", "westeurope", "10.2.0.0/16").subnet("snet", "10.2.1.0/24");
    b.vnet("spoke-c", "sub", "rg", "northeurope", "10.3.0.0/16").subnet("snet", "10.3.1.0/24");
    b.bastion("bas", "spoke-a", sku).features.ip_connect = ip_connect;
    b.vm_linux("vm-b", "spoke-b", "snet", "10.2.1.4");
    b.vm_linux("vm-c", "spoke-c", "snet", "10.3.1.4");
    b.vm("vm-entra", "spoke-b", "snet", "10.2.1.5", Os::Linux, SignIn::EntraId);
    let d = &mut b.design;
    for (w, hub) in [("wan1", "hub1"), ("wan2", "hub2")] {
        d.virtual_wans.push(VirtualWan { name: w.into(), subscription: "sub".into(), resource_group: "rg".into() });
        d.virtual_hubs.push(VirtualHub {
            name: hub.into(),
            virtual_wan: w.into(),
            region: "westeurope".into(),
            address_prefix: if w == "wan1" {
                "10.100.0.0/23".parse().unwrap()
            } else {
                "10.101.0.0/23".parse().unwrap()
            },
            secured: false,
        });
    }
    for (v, hub) in [("spoke-a", "hub1"), ("spoke-b", "hub1"), ("spoke-c", "hub2")] {
        d.hub_connections.push(HubConnection {
            name: format!("conn-{v}"),
            vnet: v.into(),
            hub: hub.into(),
            propagate_default_route: false,
        });
    }
    b.finish()
}

#[test]
fn r_vwan_needs_ip_based_connection() {
    let design = vwan(true, BastionSku::Standard);
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-b"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RVwan).outcome, Outcome::Pass);
    let design = vwan(false, BastionSku::Standard);
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-b"));
    assert_eq!(blocker, Some(RuleId::RVwan));
    assert!(check(&ex, RuleId::RVwan).fix.contains("Turn on IP-based connection on bas"));
    let design = vwan(false, BastionSku::Basic);
    let (_, ex) = verdict(&design, "bas", vm(&design, "vm-b"));
    assert!(check(&ex, RuleId::RVwan).fix.contains("Upgrade bas to Standard"));
}

#[test]
fn r_nopath_for_another_virtual_wan() {
    let design = vwan(true, BastionSku::Standard);
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-c"));
    assert_eq!(blocker, Some(RuleId::RNoPath));
    assert!(check(&ex, RuleId::RNoPath).found.contains("another Virtual WAN"));
    assert!(ex.path.is_empty());
}

#[test]
fn r_nopath_for_unrelated_vnet_and_nontransitive_needs_usable_links() {
    let mut b = hub_spoke(BastionSku::Standard);
    b.vnet("island", "sub", "rg", "westeurope", "10.9.0.0/16").subnet("snet", "10.9.1.0/24");
    b.vm_linux("vm-island", "island", "snet", "10.9.1.4");
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-island"));
    assert_eq!(blocker, Some(RuleId::RNoPath));
    assert!(check(&ex, RuleId::RNoPath).fix.contains("Peer island with hub"));
    let mut b = DesignBuilder { design };
    b.peer("hub", "island");
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-island"));
    assert_eq!(blocker, None);
    assert!(ex.checks.iter().all(|c| c.rule != RuleId::RNoPath));
}

#[test]
fn r_ipconnect_blocks_entra_id_over_ip_based_connection() {
    let design = vwan(true, BastionSku::Standard);
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-entra"));
    assert_eq!(blocker, Some(RuleId::RIpConnect));
    assert!(check(&ex, RuleId::RIpConnect).found.contains("Entra ID"));
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm-b"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RIpConnect).outcome, Outcome::Pass);
}

fn hybrid(ip_connect: bool, transit: bool) -> Design {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("GatewaySubnet", "10.0.2.0/27");
    b.vnet("spoke", "sub", "rg", "westeurope", "10.1.0.0/16").subnet("AzureBastionSubnet", "10.1.0.0/26");
    b.peer("hub", "spoke");
    b.bastion("bas", "spoke", BastionSku::Standard).features.ip_connect = ip_connect;
    let d = &mut b.design;
    for p in d.peerings.iter_mut() {
        if p.from == "hub" {
            p.allow_gateway_transit = true;
        } else {
            p.use_remote_gateways = transit;
        }
    }
    d.gateways.push(Gateway { name: "vpngw".into(), kind: GatewayKind::Vpn, vnet: Some("hub".into()), hub: None });
    d.onprem_sites
        .push(OnPremSite { name: "dc-paris".into(), address_prefixes: vec!["192.168.0.0/16".parse().unwrap()] });
    d.site_connections.push(SiteConnection {
        name: "s2s-paris".into(),
        gateway: "vpngw".into(),
        site: "dc-paris".into(),
        advertises_default_route: false,
    });
    d.onprem_machines.push(OnPremMachine {
        name: "srv-paris".into(),
        site: "dc-paris".into(),
        ip: "192.168.1.10".parse().unwrap(),
        os: Os::Linux,
        port: None,
    });
    b.finish()
}

#[test]
fn r_hybrid_through_gateway_transit_needs_ip_connect() {
    let design = hybrid(true, true);
    let (blocker, ex) = verdict(&design, "bas", Target::Machine(0));
    assert_eq!(blocker, None, "{ex:#?}");
    assert!(check(&ex, RuleId::RHybrid).found.contains("gateway vpngw"));
    // rules.md marks "gateway transit counts" as a Decision: the explanation says it applied it.
    let found = &check(&ex, RuleId::RHybrid).found;
    assert!(found.contains("gateway transit") && found.contains("Decision"), "{found}");
    let design = hybrid(false, true);
    let (blocker, ex) = verdict(&design, "bas", Target::Machine(0));
    assert_eq!(blocker, Some(RuleId::RHybrid));
    assert!(check(&ex, RuleId::RHybrid).fix.contains("IP-based connection"));
    // Without gateway transit the site is not reachable at all.
    let design = hybrid(true, false);
    let (blocker, ex) = verdict(&design, "bas", Target::Machine(0));
    assert_eq!(blocker, Some(RuleId::RNoPath));
    assert!(check(&ex, RuleId::RNoPath).found.contains("dc-paris"));
}

#[test]
fn r_proto_custom_port_needs_standard() {
    let mut b = hub_spoke(BastionSku::Basic);
    b.design.vms[1].port = Some(2222);
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, Some(RuleId::RProto));
    assert!(check(&ex, RuleId::RProto).found.contains("port 2222"));
    assert!(check(&ex, RuleId::RProto).fix.contains("Upgrade bas to Standard"));
    let mut b = hub_spoke(BastionSku::Standard);
    b.design.vms[1].port = Some(2222);
    let design = b.finish();
    let (blocker, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(blocker, None);
    assert_eq!(check(&ex, RuleId::RProto).outcome, Outcome::Pass);
}

#[test]
fn r_dev_one_is_listed_only_for_developer() {
    let design = hub_spoke(BastionSku::Basic).finish();
    let (_, ex) = verdict(&design, "bas", vm(&design, "vm-hub"));
    assert!(ex.checks.iter().all(|c| c.rule != RuleId::RDevOne));
}

#[test]
fn every_check_is_listed_after_the_blocker() {
    let mut b = hub_spoke(BastionSku::Developer);
    b.design.vms[1].port = Some(2222);
    let design = b.finish();
    let (_, ex) = verdict(&design, "bas", vm(&design, "vm1"));
    assert_eq!(ex.blocker, Some(RuleId::RPeer));
    assert_eq!(check(&ex, RuleId::RProto).outcome, Outcome::Fail);
    assert_eq!(ex.verdict, Verdict::Blocked);
}

/// A small deterministic generator (xorshift) of messy designs: one-sided and deleted
/// peerings, links without VNet access, vWANs, gateways with transit, NSGs with random
/// rules, every SKU, custom ports, Entra ID, broken references.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn random_design(seed: u64) -> Design {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut b = DesignBuilder::new("random", "");
    b.subscription("sub");
    b.design.subscriptions.push(Subscription {
        id: "sub-x".into(),
        display_name: String::new(),
        tenant: "other.onmicrosoft.com".into(),
        defender_for_servers_p2: false,
    });
    let n = 2 + r.below(6);
    let tags = ["*", "VirtualNetwork", "Internet", "AzureLoadBalancer", "GatewayManager", "AzureCloud"];
    for i in 0..4 {
        let mut rules = Vec::new();
        for k in 0..r.below(9) {
            let addr = |r: &mut Rng| -> String {
                if r.chance(50) {
                    tags[r.below(tags.len())].to_string()
                } else if r.chance(30) {
                    // One VM's address: exercises the per-address part of the NSG cache.
                    format!("10.{}.1.{}", r.below(n), 4 + r.below(12))
                } else {
                    format!("10.{}.{}.0/{}", r.below(n), r.below(3), [16, 24, 26, 32][r.below(4)])
                }
            };
            rules.push(NsgRule {
                name: format!("r{k}"),
                priority: 100 + 10 * r.below(20) as u32,
                direction: if r.chance(50) { Direction::Inbound } else { Direction::Outbound },
                access: if r.chance(50) { Access::Allow } else { Access::Deny },
                protocol: [Protocol::Tcp, Protocol::Udp, Protocol::Any][r.below(3)],
                sources: vec![addr(&mut r)],
                destinations: vec![addr(&mut r)],
                destination_ports: vec![["22", "3389", "*", "2222", "443", "20-3400"][r.below(6)].to_string()],
            });
        }
        b.design.nsgs.push(Nsg {
            name: format!("nsg{i}"),
            subscription: "sub".into(),
            resource_group: "rg".into(),
            rules,
        });
    }
    let nsg = |r: &mut Rng| if r.chance(40) { Some(format!("nsg{}", r.below(4))) } else { None };
    for v in 0..n {
        let sub = if r.chance(10) { "sub-x" } else { "sub" };
        b.vnet(&format!("v{v}"), sub, "rg", "westeurope", &format!("10.{v}.0.0/16"));
        if r.chance(80) {
            let len = [26, 26, 27, 28][r.below(4)];
            b.subnet("AzureBastionSubnet", &format!("10.{v}.0.0/{len}"));
            let last = b.design.vnets.last_mut().unwrap();
            last.subnets[0].nsg = nsg(&mut r);
            if r.chance(10) {
                last.subnets[0].route_table = Some("rt".into());
            }
        }
        b.subnet("snet", &format!("10.{v}.1.0/24"));
        b.design.vnets.last_mut().unwrap().subnets.last_mut().unwrap().nsg = nsg(&mut r);
    }
    for a in 0..n {
        for c in 0..n {
            if a != c && r.chance(30) {
                b.design.peerings.push(PeeringLink {
                    name: format!("p{a}-{c}"),
                    from: format!("v{a}"),
                    to: format!("v{c}"),
                    allow_virtual_network_access: r.chance(90),
                    allow_forwarded_traffic: false,
                    allow_gateway_transit: r.chance(30),
                    use_remote_gateways: r.chance(30),
                });
            } else if a != c && r.chance(5) {
                b.design.deleted_peerings.push(DeletedPeering { from: format!("v{a}"), to: format!("v{c}") });
            }
        }
    }
    b.design.virtual_wans.push(VirtualWan {
        name: "wan".into(),
        subscription: "sub".into(),
        resource_group: "rg".into(),
    });
    b.design.virtual_hubs.push(VirtualHub {
        name: "vhub".into(),
        virtual_wan: "wan".into(),
        region: "westeurope".into(),
        address_prefix: "10.200.0.0/23".parse().unwrap(),
        secured: r.chance(30),
    });
    for v in 0..n {
        if r.chance(30) {
            b.design.hub_connections.push(HubConnection {
                name: format!("c{v}"),
                vnet: format!("v{v}"),
                hub: "vhub".into(),
                propagate_default_route: r.chance(50),
            });
        }
        if r.chance(25) {
            b.design.gateways.push(Gateway {
                name: format!("gw{v}"),
                kind: GatewayKind::Vpn,
                vnet: Some(format!("v{v}")),
                hub: None,
            });
        }
    }
    b.design
        .onprem_sites
        .push(OnPremSite { name: "site".into(), address_prefixes: vec!["192.168.0.0/16".parse().unwrap()] });
    for g in b.design.gateways.clone() {
        b.design.site_connections.push(SiteConnection {
            name: format!("sc-{}", g.name),
            gateway: g.name.clone(),
            site: "site".into(),
            advertises_default_route: r.chance(15),
        });
    }
    for m in 0..2 {
        b.design.onprem_machines.push(OnPremMachine {
            name: format!("m{m}"),
            site: if r.chance(90) { "site".into() } else { "nowhere".into() },
            ip: format!("192.168.0.{}", m + 10).parse().unwrap(),
            os: if r.chance(50) { Os::Linux } else { Os::Windows },
            port: if r.chance(20) { Some(2222) } else { None },
        });
    }
    for k in 0..1 + r.below(3) {
        let v = r.below(n);
        let sku = BastionSku::ALL[r.below(4)];
        let host = b.bastion(&format!("bas{k}"), &format!("v{v}"), sku);
        host.features.ip_connect = r.chance(50);
        host.features.private_only = r.chance(10);
        if r.chance(5) {
            host.virtual_hub = Some("vhub".into());
        }
    }
    for k in 0..2 + r.below(24) {
        let v = r.below(n);
        let sign_in = if r.chance(30) { SignIn::EntraId } else { SignIn::SshKey };
        let os = if r.chance(50) { Os::Linux } else { Os::Windows };
        let subnet = if r.chance(5) { "AzureBastionSubnet" } else { "snet" };
        let vm = b.vm(&format!("vm{k}"), &format!("v{v}"), subnet, &format!("10.{v}.1.{}", k + 4), os, sign_in);
        if r.chance(20) {
            vm.port = Some(2222);
        }
        if r.chance(30) {
            vm.nic.nsg = Some(format!("nsg{}", k % 4));
        }
        if r.chance(3) {
            vm.nic.vnet = "missing".into();
        }
    }
    // Broken references, as an unvalidated design may hold: the engine must not panic.
    if r.chance(20) {
        let d = &mut b.design;
        d.vnets[0].subnets.last_mut().unwrap().nsg = Some("nsg-missing".into());
        d.peerings.push(PeeringLink {
            name: "p-dangling".into(),
            from: "v0".into(),
            to: "v99".into(),
            allow_virtual_network_access: true,
            allow_forwarded_traffic: false,
            allow_gateway_transit: true,
            use_remote_gateways: true,
        });
        d.gateways.push(Gateway {
            name: "gw-lost".into(),
            kind: GatewayKind::Vpn,
            vnet: Some("v99".into()),
            hub: Some("nohub".into()),
        });
        d.site_connections.push(SiteConnection {
            name: "sc-lost".into(),
            gateway: "gw-missing".into(),
            site: "nosite".into(),
            advertises_default_route: true,
        });
        d.hub_connections.push(HubConnection {
            name: "c-lost".into(),
            vnet: "v1".into(),
            hub: "missing".into(),
            propagate_default_route: true,
        });
        d.bastions[0].public_ip = Some("pip-missing".into());
        d.vms[0].nic.nsg = Some("nsg-missing".into());
    }
    b.finish()
}

#[test]
fn explanation_blocker_equals_verdict_for_every_pair() {
    let mut designs: Vec<Design> = bastion_sim::scenarios::all().iter().map(|s| (s.build)()).collect();
    designs.extend((0..400).map(random_design));
    let mut pairs = 0;
    let mut reachable = 0;
    for design in &designs {
        let analysis = analyze(design);
        for (b, target, blocker) in analysis.pairs() {
            let ex = explain(design, b, target);
            assert_eq!(ex.blocker, blocker, "{} {:?}: {:#?}", design.bastions[b].name, target, ex.checks);
            assert_eq!(ex.verdict == Verdict::Reachable, blocker.is_none());
            pairs += 1;
            reachable += usize::from(blocker.is_none());
        }
    }
    // The generator must exercise both outcomes.
    assert!(pairs > 1000 && reachable > 50 && reachable < pairs, "{reachable}/{pairs}");
}
