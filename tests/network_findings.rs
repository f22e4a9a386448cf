//! Findings from the network: health findings, CAF-R5, CAF-R10, JIT-1, JIT-2,
//! CONSOLIDATE-HUB, CONSOLIDATE-UNREACHED, PEER-GATEWAY-TRANSIT — each where it fires and
//! where it does not, with the resource it attaches to and the fix it offers.

use bastion_sim::engine::{analyze, Finding, FixAction, RuleId, Severity, Target};
use bastion_sim::model::*;
use bastion_sim::scenarios::builder::DesignBuilder;

fn findings(design: &Design, id: RuleId) -> Vec<Finding> {
    analyze(design).findings.into_iter().filter(|f| f.id == id).collect()
}

fn hub_spoke() -> DesignBuilder {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("AzureBastionSubnet", "10.0.1.0/26");
    b.vnet("spoke1", "sub", "rg", "westeurope", "10.1.0.0/16").subnet("snet", "10.1.1.0/24");
    b.vnet("spoke2", "sub", "rg", "westeurope", "10.2.0.0/16").subnet("snet", "10.2.1.0/24");
    b.peer("hub", "spoke1").peer("hub", "spoke2");
    b.bastion("bas", "hub", BastionSku::Standard);
    b.vm_linux("vm1", "spoke1", "snet", "10.1.1.4");
    b.vm_windows("vm2", "spoke2", "snet", "10.2.1.4");
    b
}

fn nsg(name: &str, rules: Vec<NsgRule>) -> Nsg {
    Nsg { name: name.into(), subscription: "sub".into(), resource_group: "rg".into(), rules }
}

fn rule(name: &str, priority: u32, access: Access, src: &str, port: &str) -> NsgRule {
    NsgRule {
        name: name.into(),
        priority,
        direction: Direction::Inbound,
        access,
        protocol: Protocol::Tcp,
        sources: vec![src.into()],
        destinations: vec!["*".into()],
        destination_ports: vec![port.into()],
    }
}

#[test]
fn health_failures_become_findings_on_the_bastion() {
    let mut b = hub_spoke();
    b.design.vnets[0].subnets[0].route_table = Some("rt-hub".into());
    let design = b.finish();
    let f = findings(&design, RuleId::BHealth3);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Error, "bas"));
    assert_eq!(
        f[0].fix_action,
        Some(FixAction::RemoveRouteTable { vnet: "hub".into(), subnet: "AzureBastionSubnet".into() })
    );

    let mut b = hub_spoke();
    b.design.vnets[0].subnets[0].prefix = "10.0.1.0/27".parse().unwrap();
    let f = findings(&b.finish(), RuleId::BHealth2);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(findings(&hub_spoke().finish(), RuleId::BHealth2).is_empty());
}

#[test]
fn caf_r5_fresh_bastion_nsg_gets_the_two_missing_rules() {
    let mut b = hub_spoke();
    b.design.nsgs.push(nsg("nsg-bastion", Vec::new()));
    b.design.vnets[0].subnets[0].nsg = Some("nsg-bastion".into());
    let mut design = b.finish();
    let f = findings(&design, RuleId::CafR5);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Error, "nsg-bastion"));
    assert!(f[0].message.contains("Inbound Internet → * TCP 443") && f[0].message.contains("GatewayManager"));
    let Some(FixAction::AddNsgRules { nsg, rules }) = f[0].fix_action.clone() else { panic!("no fix action") };
    assert_eq!(nsg, "nsg-bastion");
    assert_eq!(rules.len(), 2);
    // The B-HEALTH-4 finding on the Bastion offers the same fix.
    assert_eq!(findings(&design, RuleId::BHealth4)[0].fix_action, f[0].fix_action);
    design.nsgs[0].rules.extend(rules);
    assert!(findings(&design, RuleId::CafR5).is_empty());
    assert!(findings(&design, RuleId::BHealth4).is_empty());
}

#[test]
fn caf_r5_bastion_subnet_without_nsg_is_advice_on_the_subnet() {
    let f = findings(&hub_spoke().finish(), RuleId::CafR5);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Info, "hub/AzureBastionSubnet"));
}

#[test]
fn caf_r5_target_nsg_that_drops_sessions_gets_an_allow_rule_that_works() {
    let mut b = hub_spoke();
    b.design.nsgs.push(nsg("nsg-nic", vec![rule("DenyVnetIn", 300, Access::Deny, "VirtualNetwork", "*")]));
    b.design.vms[0].nic.nsg = Some("nsg-nic".into());
    let mut design = b.finish();
    assert_eq!(analyze(&design).blocker(0, Target::Vm(0)), Some(RuleId::RNsgIn));
    let f: Vec<Finding> = findings(&design, RuleId::CafR5).into_iter().filter(|f| f.resource == "nsg-nic").collect();
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("vm1 (10.1.1.4:22)") && f[0].message.contains("DenyVnetIn (priority 300)"),
        "{}",
        f[0].message
    );
    let Some(FixAction::AddNsgRules { rules, .. }) = f[0].fix_action.clone() else { panic!("no fix action") };
    assert_eq!(rules[0].sources, vec!["10.0.1.0/26"]);
    assert!(rules[0].priority < 300);
    design.nsgs[0].rules.extend(rules);
    assert_eq!(analyze(&design).blocker(0, Target::Vm(0)), None, "the generated rule admits the session");
    assert!(findings(&design, RuleId::CafR5).iter().all(|f| f.resource != "nsg-nic"));
}

#[test]
fn caf_r10_public_ip_is_a_warning_and_an_open_port_an_error() {
    let mut b = hub_spoke();
    b.design.vms[0].nic.public_ip = Some("pip-vm1".into());
    let design = b.finish();
    let f = findings(&design, RuleId::CafR10);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Error, "vm1"));
    assert!(f[0].message.contains("no NSG protects it"));
    assert_eq!(f[0].fix_action, Some(FixAction::RemovePublicIp { vm: "vm1".into() }));

    let mut design = design;
    design.nsgs.push(nsg("nsg-vm1", Vec::new()));
    design.vms[0].nic.nsg = Some("nsg-vm1".into());
    let f = findings(&design, RuleId::CafR10);
    assert_eq!(f[0].severity, Severity::Warning, "defaults deny the Internet");

    design.nsgs[0].rules.push(rule("AllowSshAnywhere", 100, Access::Allow, "*", "22"));
    let f = findings(&design, RuleId::CafR10);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("nsg-vm1 / AllowSshAnywhere (priority 100)"), "{}", f[0].message);

    // An admin's single address is a strict rule: still only a warning.
    design.nsgs[0].rules[0].sources = vec!["203.0.113.7".into()];
    assert_eq!(findings(&design, RuleId::CafR10)[0].severity, Severity::Warning);

    // An Internet allow without a public IP is not CAF-R10.
    design.vms[0].nic.public_ip = None;
    design.nsgs[0].rules[0].sources = vec!["Internet".into()];
    assert!(findings(&design, RuleId::CafR10).is_empty());
}

#[test]
fn jit_1_needs_an_nsg_or_firewall() {
    let mut b = hub_spoke();
    b.design.vms[0].jit_policy = true;
    let mut design = b.finish();
    let f = findings(&design, RuleId::Jit1);
    assert_eq!((f.len(), f[0].resource.as_str()), (1, "vm1"));
    assert!(f[0].fix.contains("Attach an NSG"));
    design.vms[0].azure_firewall_protected = true;
    assert!(findings(&design, RuleId::Jit1).is_empty());
    design.vms[0].azure_firewall_protected = false;
    design.nsgs.push(nsg("nsg-vm1", Vec::new()));
    design.vms[0].nic.nsg = Some("nsg-vm1".into());
    assert!(findings(&design, RuleId::Jit1).is_empty());
}

#[test]
fn jit_2_not_behind_firewall_manager() {
    let mut b = hub_spoke();
    b.design.vms[0].jit_policy = true;
    b.design.vms[0].firewall_manager_protected = true;
    b.design.vms[1].firewall_manager_protected = true; // no JIT policy: nothing to say
    let design = b.finish();
    let f = findings(&design, RuleId::Jit2);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resource, "vm1");
    assert!(f[0].message.contains("Firewall Manager"));
    // The Firewall Manager–controlled firewall is an Azure Firewall in front of the VM:
    // JIT-2 says why JIT cannot use it, JIT-1 ("no NSG and no Azure Firewall") would be false.
    assert!(findings(&design, RuleId::Jit1).is_empty(), "{:#?}", findings(&design, RuleId::Jit1));
}

#[test]
fn consolidate_hub_two_spoke_bastions_one_hub_bastion() {
    let design = spoke_bastions_of([BastionSku::Basic, BastionSku::Standard]).finish();
    let f = findings(&design, RuleId::ConsolidateHub);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].resource, "hub");
    // 0.19 * 730 saved: the Basic goes, one Standard remains.
    assert!(f[0].message.contains("bas-spoke1, bas-spoke2") && f[0].message.contains("USD 138.70"), "{}", f[0].message);
    assert!(f[0].message.contains("approximate"));
    // One hub Bastion alone: nothing to consolidate.
    assert!(findings(&hub_spoke().finish(), RuleId::ConsolidateHub).is_empty());
}

#[test]
fn consolidate_unreached_names_the_vnet_and_the_peering_fix() {
    let mut b = hub_spoke();
    b.design.peerings.retain(|p| !(p.from == "spoke2" && p.to == "hub"));
    let design = b.finish();
    let f = findings(&design, RuleId::ConsolidateUnreached);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resource, "spoke2");
    assert!(f[0].message.contains("vm2"));
    assert!(f[0].fix.contains("Peer spoke2 directly with hub"), "{}", f[0].fix);
    assert_eq!(f[0].fix_action, Some(FixAction::CreatePeeringLink { from: "spoke2".into(), to: "hub".into() }));
    assert!(findings(&hub_spoke().finish(), RuleId::ConsolidateUnreached).is_empty());
}

#[test]
fn peer_gateway_transit_misconfiguration() {
    let mut b = hub_spoke();
    b.design.gateways.push(Gateway {
        name: "vpngw".into(),
        kind: GatewayKind::Vpn,
        vnet: Some("hub".into()),
        hub: None,
    });
    for p in b.design.peerings.iter_mut() {
        if p.from == "spoke1" {
            p.use_remote_gateways = true;
        }
    }
    let mut design = b.finish();
    let f = findings(&design, RuleId::PeerGatewayTransit);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].resource.as_str()), (Severity::Warning, "peer-spoke1-to-hub"));
    assert!(f[0].message.contains("does not allow gateway transit"), "{}", f[0].message);
    assert!(f[0].fix.contains("allowGatewayTransit on peer-hub-to-spoke1"), "{}", f[0].fix);
    assert_eq!(f[0].fix_action, Some(FixAction::AllowGatewayTransit { from: "hub".into(), to: "spoke1".into() }));
    for p in design.peerings.iter_mut() {
        if p.from == "hub" && p.to == "spoke1" {
            p.allow_gateway_transit = true;
        }
    }
    assert!(findings(&design, RuleId::PeerGatewayTransit).is_empty());
}

#[test]
fn consolidate_unreached_points_at_the_blocker_when_a_path_exists() {
    let mut b = hub_spoke();
    b.design.vnets[0].subnets[0].route_table = Some("rt-hub".into());
    let design = b.finish();
    let analysis = analyze(&design);
    let f = findings(&design, RuleId::ConsolidateUnreached);
    assert_eq!(f.len(), 2, "both spokes");
    assert!(f[0].fix.contains("bas has a network path") && f[0].fix.contains("B-HEALTH-3"), "{}", f[0].fix);
    // The blocker's own fix (the route table off AzureBastionSubnet) unblocks the VNet: the
    // finding is marked mechanical and the fix is built when asked for.
    assert!(f[0].mechanical);
    let action = bastion_sim::engine::fixes::fix_action_for(&design, &analysis, &f[0]);
    assert!(
        matches!(&action, Some(FixAction::RemoveRouteTable { subnet, .. }) if subnet == BASTION_SUBNET),
        "{action:?}"
    );
}

/// CAF-R5's §2 fix is what rules.md §5 asks of target subnets: one allow rule per NSG and
/// Bastion, from the Bastion's AzureBastionSubnet to the blocked targets' subnet, every
/// blocked port in it (not one rule per port listing each address).
#[test]
fn caf_r5_allow_rule_admits_the_bastion_subnet_to_the_target_subnet_on_every_blocked_port() {
    let mut b = hub_spoke();
    b.design.nsgs.push(nsg("nsg-snet", vec![rule("DenyRemoteIn", 300, Access::Deny, "*", "*")]));
    b.vm_windows("vm3", "spoke1", "snet", "10.1.1.5");
    let mut design = b.finish();
    design.vnets[1].subnets[0].nsg = Some("nsg-snet".into());
    let f: Vec<Finding> = findings(&design, RuleId::CafR5).into_iter().filter(|f| f.resource == "nsg-snet").collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("vm1 (10.1.1.4:22), vm3 (10.1.1.5:3389)"), "{}", f[0].message);
    assert!(f[0].fix.contains("TCP 22, 3389 from 10.0.1.0/26") && f[0].fix.contains("to 10.1.1.0/24"), "{}", f[0].fix);
    let Some(FixAction::AddNsgRules { nsg: name, rules }) = f[0].fix_action.clone() else { panic!("no fix action") };
    assert_eq!(name, "nsg-snet");
    assert_eq!(rules.len(), 1, "{rules:#?}");
    assert_eq!(rules[0].sources, vec!["10.0.1.0/26"]);
    assert_eq!(rules[0].destinations, vec!["10.1.1.0/24"]);
    assert_eq!(rules[0].destination_ports, vec!["22", "3389"]);
    assert!(rules[0].priority < 300 && rules[0].access == Access::Allow);
    let mut editor = bastion_sim::edit::Editor::new(DesignFile { design, layout: Layout::default() });
    editor.apply(&bastion_sim::edit::Command::ApplyFix(f[0].fix_action.clone().unwrap())).unwrap();
    let analysis = analyze(&editor.file.design);
    assert_eq!(analysis.blocker(0, Target::Vm(0)), None, "vm1 is reached");
    assert_eq!(analysis.blocker(0, Target::Vm(2)), None, "vm3 is reached");
    assert!(analysis.findings.iter().all(|f| !(f.id == RuleId::CafR5 && f.resource == "nsg-snet")));
}

/// On the synthetic estate (NSGs dropping sessions from several Bastions), every CAF-R5 §2
/// fix is accepted by the editor (the merged rules of one NSG keep distinct priorities) and,
/// applied, removes its finding and the NSG blocks of its pairs.
#[test]
fn caf_r5_fixes_of_the_synthetic_estate_apply_and_unblock_their_pairs() {
    use bastion_sim::edit::{Command, Editor};
    use bastion_sim::scenarios::synthetic::{generate, EstateParams};
    let design = generate(&EstateParams::small());
    let before = analyze(&design);
    let dropping: Vec<&Finding> =
        before.findings.iter().filter(|f| f.id == RuleId::CafR5 && f.message.contains(" drops ")).collect();
    assert!(dropping.len() > 1, "the estate has NSGs that drop sessions");
    let nsg_blocked = |a: &bastion_sim::engine::Analysis| {
        a.pairs().filter(|(_, _, r)| matches!(r, Some(RuleId::RNsgIn | RuleId::RNsgOut))).count()
    };
    assert!(nsg_blocked(&before) > 0);
    let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
    for f in &dropping {
        let Some(FixAction::AddNsgRules { rules, .. }) = &f.fix_action else { panic!("{} has no rules", f.resource) };
        let mut priorities: Vec<(Direction, u32)> = rules.iter().map(|r| (r.direction, r.priority)).collect();
        priorities.sort();
        priorities.dedup();
        assert_eq!(priorities.len(), rules.len(), "{}: one priority per rule", f.resource);
        editor
            .apply(&Command::ApplyFix(f.fix_action.clone().unwrap()))
            .unwrap_or_else(|e| panic!("{}: fix refused: {e}", f.resource));
    }
    let after = analyze(&editor.file.design);
    for f in &dropping {
        assert!(
            !after.findings.iter().any(|g| g.id == RuleId::CafR5 && g.resource == f.resource),
            "{} still drops sessions",
            f.resource
        );
    }
    assert_eq!(nsg_blocked(&after), 0, "no NSG drops a Bastion session any more");
}

#[test]
fn caf_r10_ssh_open_to_every_address_through_two_halves_is_an_error() {
    // 0.0.0.0/1 and 128.0.0.0/1 together are every address, as 0.0.0.0/0 is: the rule
    // admits SSH from the whole Internet, which rules.md §8 makes an error, not a warning.
    let mut b = hub_spoke();
    b.design.vms[0].nic.public_ip = Some("pip-vm1".into());
    let mut design = b.finish();
    design.nsgs.push(nsg("nsg-vm1", Vec::new()));
    design.vms[0].nic.nsg = Some("nsg-vm1".into());
    let mut halves = rule("AllowSshHalves", 100, Access::Allow, "0.0.0.0/1", "22");
    halves.sources.push("128.0.0.0/1".into());
    design.nsgs[0].rules.push(halves);
    let f = findings(&design, RuleId::CafR10);
    assert_eq!(f[0].severity, Severity::Error, "{}", f[0].message);
    assert!(f[0].message.contains("nsg-vm1 / AllowSshHalves (priority 100)"), "{}", f[0].message);

    // Halves that leave a public range out are not "from the Internet": a warning.
    design.nsgs[0].rules[0].sources = vec!["0.0.0.0/1".into(), "128.0.0.0/2".into()];
    assert_eq!(findings(&design, RuleId::CafR10)[0].severity, Severity::Warning);
}

/// The hub and spoke with no hub Bastion and one Bastion (of `sku`) in each spoke.
fn spoke_bastions(sku: BastionSku) -> DesignBuilder {
    spoke_bastions_of([sku, sku])
}

/// The hub and spoke with no hub Bastion, `bas-spoke1` and `bas-spoke2` of these SKUs.
fn spoke_bastions_of(skus: [BastionSku; 2]) -> DesignBuilder {
    let mut b = hub_spoke();
    b.design.bastions.clear();
    b.design.public_ips.clear();
    for (v, prefix) in [(1, "10.1.0.0/26"), (2, "10.2.0.0/26")] {
        b.design.vnets[v].subnets.push(Subnet {
            name: "AzureBastionSubnet".into(),
            prefix: prefix.parse().unwrap(),
            nsg: None,
            route_table: None,
        });
    }
    b.bastion("bas-spoke1", "spoke1", skus[0]);
    b.bastion("bas-spoke2", "spoke2", skus[1]);
    b
}

/// CONSOLIDATE-HUB's saving is the §7 monthly cost of what goes (each Bastion's extra
/// instances too) less that of the one Bastion kept, which keeps the most instances any of
/// them runs: two Standard Bastions of 6 instances become one of 6, saving a whole one.
#[test]
fn consolidate_hub_saving_counts_the_extra_instances_of_the_bastions_replaced() {
    use bastion_sim::engine::consolidation::consolidation_advice;
    use bastion_sim::engine::cost::monthly_base;
    let mut b = spoke_bastions(BastionSku::Standard);
    for host in b.design.bastions.iter_mut() {
        host.scale_units = 6;
    }
    let design = b.finish();
    let prices = design.prices();
    let (base, extra) = monthly_base(&prices, BastionSku::Standard, 6);
    let analysis = analyze(&design);
    let advice = consolidation_advice(&design, &analysis);
    assert_eq!(advice.len(), 1, "{advice:#?}");
    assert!((advice[0].monthly_now - 2.0 * (base + extra)).abs() < 0.01, "{advice:#?}");
    assert!((advice[0].monthly_after - (base + extra)).abs() < 0.01, "{advice:#?}");
    assert_eq!(advice[0].instances, 6);
    let f = findings(&design, RuleId::ConsolidateHub);
    let saving = format!("USD {:.2} a month", base + extra);
    assert!(f[0].message.contains(&saving), "{} (want {saving})", f[0].message);
    assert!(f[0].fix.contains("6 instances"), "{}", f[0].fix);
}

/// A private-only Bastion (no public IP, reached over the private network) and a public
/// one cannot be one Bastion: consolidating them would cut one group of users off.
#[test]
fn consolidate_hub_does_not_merge_a_private_only_bastion_with_a_public_one() {
    let mut b = spoke_bastions(BastionSku::Premium);
    b.design.bastions[0].features.private_only = true;
    b.design.bastions[0].public_ip = None;
    let design = b.finish();
    assert!(analyze(&design).health.iter().all(|h| h.blocker.is_none()));
    let f = findings(&design, RuleId::ConsolidateHub);
    assert!(f.is_empty(), "{f:#?}");
    // Both private-only: one private-only Premium Bastion in the hub serves them.
    let mut b = spoke_bastions(BastionSku::Premium);
    for host in b.design.bastions.iter_mut() {
        host.features.private_only = true;
        host.public_ip = None;
    }
    let f = findings(&b.finish(), RuleId::ConsolidateHub);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].fix.contains("private-only"), "{}", f[0].fix);
}

/// The Bastion kept must carry every feature the replaced ones have on: the fix names them.
#[test]
fn consolidate_hub_names_the_features_the_kept_bastion_needs() {
    let mut b = spoke_bastions(BastionSku::Standard);
    b.design.bastions[0].features.ip_connect = true;
    b.design.bastions[1].features.shareable_link = true;
    let f = findings(&b.finish(), RuleId::ConsolidateHub);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].fix.contains("IP-based connection") && f[0].fix.contains("shareable links"), "{}", f[0].fix);
}

/// A VPN gateway in the hub of `spoke_bastions`, connected to an on-premises site that
/// advertises a default route or not.
fn vpn_in_the_hub(b: &mut DesignBuilder, default_route: bool) {
    b.design.vnets[0].subnets.push(Subnet {
        name: "GatewaySubnet".into(),
        prefix: "10.0.2.0/27".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    b.gateway("vgw-hub", GatewayKind::Vpn, "hub");
    b.site("site-hq", &["192.168.0.0/16"]);
    b.site_connection("cn-hq", "vgw-hub", "site-hq", default_route);
}

/// A hub that a default route 0.0.0.0/0 reaches (forced tunnelling over its VPN) cannot
/// host a Bastion (B-HEALTH-6): no consolidation into it.
#[test]
fn consolidate_hub_not_into_a_hub_a_bastion_could_not_run_in() {
    let mut b = spoke_bastions(BastionSku::Basic);
    vpn_in_the_hub(&mut b, true);
    let design = b.finish();
    assert!(analyze(&design).health.iter().all(|h| h.blocker.is_none()), "the spokes do not use the hub's gateway");
    let f = findings(&design, RuleId::ConsolidateHub);
    assert!(f.is_empty(), "{f:#?}");
}

/// A hub Bastion that also serves more than the hub's peers (here an on-premises machine
/// by IP-based connection) stays where it is, and still absorbs the spoke Bastions: the
/// saving is the whole cost of the spoke ones.
#[test]
fn consolidate_hub_counts_a_hub_bastion_that_also_serves_other_targets() {
    let mut b = spoke_bastions(BastionSku::Basic);
    vpn_in_the_hub(&mut b, false);
    b.machine("srv-hq", "site-hq", "192.168.1.4", Os::Linux);
    b.bastion("bas-hub", "hub", BastionSku::Standard).features.ip_connect = true;
    let design = b.finish();
    let analysis = analyze(&design);
    let hub = design.bastions.iter().position(|it| it.name == "bas-hub").unwrap();
    assert_eq!(analysis.blocker(hub, Target::Machine(0)), None, "the hub Bastion reaches the machine");
    let f = findings(&design, RuleId::ConsolidateHub);
    assert_eq!(f.len(), 1, "{f:#?}");
    let basic = 0.19 * 730.0;
    assert!(f[0].message.contains(&format!("USD {:.2} a month", 2.0 * basic)), "{}", f[0].message);
    assert!(f[0].message.contains("bas-spoke1, bas-spoke2 reach only hub"), "{}", f[0].message);
    assert!(f[0].fix.contains("delete bas-spoke1, bas-spoke2"), "{}", f[0].fix);
}
