//! Traffic filters: R-NSG-OUT (NSG on AzureBastionSubnet) and R-NSG-IN (target subnet,
//! then NIC), first match wins, defaults last, service tags per rules.md §8; the rule
//! that decided is quoted in the explanation.

use bastion_sim::engine::graph::Net;
use bastion_sim::engine::health::missing_bastion_rules;
use bastion_sim::engine::nsg_eval::{evaluate, Flow, SourceMatch};
use bastion_sim::engine::{analyze, explain, Check, Explanation, Index, Outcome, RuleId, Target};
use bastion_sim::model::nsg::{AddressPrefix, ServiceTag};
use bastion_sim::model::*;
use bastion_sim::scenarios::builder::DesignBuilder;

fn rule(name: &str, priority: u32, direction: Direction, access: Access, src: &str, dst: &str, port: &str) -> NsgRule {
    NsgRule {
        name: name.into(),
        priority,
        direction,
        access,
        protocol: Protocol::Tcp,
        sources: vec![src.into()],
        destinations: vec![dst.into()],
        destination_ports: vec![port.into()],
    }
}

fn nsg(name: &str, rules: Vec<NsgRule>) -> Nsg {
    Nsg { name: name.into(), subscription: "sub".into(), resource_group: "rg".into(), rules }
}

/// Hub with a Standard Bastion (subnet 10.0.1.0/26), spoke VM 10.1.1.4 (Linux, 22).
fn design(sku: BastionSku) -> DesignBuilder {
    let mut b = DesignBuilder::new("t", "");
    b.subscription("sub");
    b.vnet("hub", "sub", "rg", "westeurope", "10.0.0.0/16").subnet("AzureBastionSubnet", "10.0.1.0/26");
    b.vnet("spoke", "sub", "rg", "westeurope", "10.1.0.0/16").subnet("snet", "10.1.1.0/24");
    b.peer("hub", "spoke");
    b.bastion("bas", if sku == BastionSku::Developer { "spoke" } else { "hub" }, sku);
    b.vm_linux("vm", "spoke", "snet", "10.1.1.4");
    b
}

fn with_subnet_nsg(mut b: DesignBuilder, rules: Vec<NsgRule>) -> Design {
    b.design.nsgs.push(nsg("nsg-spoke", rules));
    b.design.vnets[1].subnets[0].nsg = Some("nsg-spoke".into());
    b.finish()
}

fn run(design: &Design) -> Explanation {
    let analysis = analyze(design);
    let ex = explain(design, 0, Target::Vm(0));
    assert_eq!(ex.blocker, analysis.blocker(0, Target::Vm(0)), "{ex:#?}");
    ex
}

fn checks(ex: &Explanation, rule: RuleId) -> Vec<&Check> {
    ex.checks.iter().filter(|c| c.rule == rule).collect()
}

#[test]
fn r_nsg_in_default_allow_vnet_inbound_admits_a_peered_bastion() {
    let ex = run(&with_subnet_nsg(design(BastionSku::Standard), Vec::new()));
    assert_eq!(ex.blocker, None);
    let c = checks(&ex, RuleId::RNsgIn);
    assert_eq!(c[0].outcome, Outcome::Pass);
    assert!(c[0].found.contains("nsg-spoke / AllowVnetInBound (priority 65000)"), "{}", c[0].found);
    assert_eq!(c[1].outcome, Outcome::Skip, "no NIC NSG");
}

#[test]
fn r_nsg_in_custom_deny_is_quoted_with_the_fix() {
    let design = with_subnet_nsg(
        design(BastionSku::Standard),
        vec![rule("DenySshFromVnet", 200, Direction::Inbound, Access::Deny, "VirtualNetwork", "*", "22")],
    );
    let ex = run(&design);
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    let c = checks(&ex, RuleId::RNsgIn)[0];
    assert!(c.found.contains("nsg-spoke / DenySshFromVnet (priority 200)"), "{}", c.found);
    assert!(c.fix.contains("10.0.1.0/26") && c.fix.contains("below 200"), "{}", c.fix);
    assert_eq!(c.resource, "nsg-spoke");
}

#[test]
fn r_nsg_in_allow_must_cover_the_whole_bastion_subnet_and_deny_blocks_on_overlap() {
    // An allow for one Bastion instance address does not admit the subnet: DenyAll decides.
    let mut rules = vec![
        rule("AllowOneInstance", 100, Direction::Inbound, Access::Allow, "10.0.1.4", "*", "22"),
        rule("DenyVnet", 300, Direction::Inbound, Access::Deny, "VirtualNetwork", "*", "*"),
    ];
    let ex = run(&with_subnet_nsg(design(BastionSku::Standard), rules.clone()));
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("DenyVnet (priority 300)"));
    // Allowing the whole subnet fixes it.
    rules[0].sources = vec!["10.0.1.0/26".into()];
    assert_eq!(run(&with_subnet_nsg(design(BastionSku::Standard), rules.clone())).blocker, None);
    // A deny on part of the subnet (one instance) blocks, even below a broader allow.
    rules.insert(0, rule("DenyOneInstance", 90 + 10, Direction::Inbound, Access::Deny, "10.0.1.5/32", "*", "22"));
    rules[1].priority = 110;
    let ex = run(&with_subnet_nsg(design(BastionSku::Standard), rules));
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("DenyOneInstance"));
}

#[test]
fn r_nsg_in_allow_whose_source_list_together_covers_the_bastion_subnet() {
    // A rule's source is every prefix it lists: two /27 halves admit every instance of the
    // /26 AzureBastionSubnet, as one /26 would.
    let mut allow = rule("AllowBastionHalves", 100, Direction::Inbound, Access::Allow, "10.0.1.0/27", "*", "22");
    allow.sources.push("10.0.1.32/27".into());
    let deny = rule("DenyAllInbound", 4000, Direction::Inbound, Access::Deny, "*", "*", "*");
    let ex = run(&with_subnet_nsg(design(BastionSku::Standard), vec![allow.clone(), deny.clone()]));
    assert_eq!(ex.blocker, None, "{ex:#?}");
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("AllowBastionHalves"), "{ex:#?}");
    // A prefix list with a gap (one /27 and a /28 of the other half) still leaves instances out.
    allow.sources[1] = "10.0.1.32/28".into();
    let ex = run(&with_subnet_nsg(design(BastionSku::Standard), vec![allow, deny]));
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("DenyAllInbound (priority 4000)"), "{ex:#?}");
}

#[test]
fn r_nsg_in_nic_nsg_is_checked_after_the_subnet() {
    let mut b = design(BastionSku::Standard);
    b.design.nsgs.push(nsg("nsg-nic", vec![rule("DenyAllSsh", 100, Direction::Inbound, Access::Deny, "*", "*", "22")]));
    b.design.vms[0].nic.nsg = Some("nsg-nic".into());
    let design = with_subnet_nsg(b, Vec::new());
    let ex = run(&design);
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    let c = checks(&ex, RuleId::RNsgIn);
    assert_eq!(c[0].outcome, Outcome::Pass);
    assert_eq!(c[1].outcome, Outcome::Fail);
    assert!(c[1].found.contains("NIC") && c[1].found.contains("nsg-nic / DenyAllSsh (priority 100)"), "{}", c[1].found);
}

#[test]
fn r_nsg_in_virtual_network_tag_does_not_cover_an_unpeered_vnet() {
    // vWAN path: the Bastion's VNet is in the VM VNet's VirtualNetwork tag only through the WAN.
    let mut b = design(BastionSku::Standard);
    b.design.peerings.clear();
    b.design.bastions[0].features.ip_connect = true;
    let d = &mut b.design;
    d.virtual_wans.push(VirtualWan { name: "wan".into(), subscription: "sub".into(), resource_group: "rg".into() });
    d.virtual_hubs.push(VirtualHub {
        name: "vhub".into(),
        virtual_wan: "wan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().unwrap(),
        secured: false,
    });
    for v in ["hub", "spoke"] {
        d.hub_connections.push(HubConnection {
            name: v.into(),
            vnet: v.into(),
            hub: "vhub".into(),
            propagate_default_route: false,
        });
    }
    let design = with_subnet_nsg(b, Vec::new());
    assert_eq!(run(&design).blocker, None, "same vWAN: VirtualNetwork covers the Bastion subnet");

    let index = Index::new(&design);
    let net = Net::new(&index);
    let flow = Flow {
        direction: Direction::Inbound,
        source: AddressPrefix::Prefix("10.0.1.0/26".parse().unwrap()),
        destination: AddressPrefix::Prefix("10.1.1.4/32".parse().unwrap()),
        port: 22,
    };
    let mut alone = design.clone();
    alone.hub_connections.clear();
    let index2 = Index::new(&alone);
    let net2 = Net::new(&index2);
    let view = net2.tag_view(1);
    let d = evaluate(&index2, 0, &view, &flow, SourceMatch::DenyOnOverlap);
    assert_eq!(d.rule_name(&alone), "DenyAllInBound", "an unpeered VNet is Internet to the spoke");
    let d = evaluate(&index, 0, &net.tag_view(1), &flow, SourceMatch::DenyOnOverlap);
    assert_eq!(d.rule_name(&design), "AllowVnetInBound");
}

#[test]
fn r_nsg_in_developer_sessions_come_from_the_platform_address() {
    let rules = vec![
        rule("AllowBastionSubnet", 100, Direction::Inbound, Access::Allow, "10.0.1.0/26", "*", "22"),
        rule("DenyAll", 4000, Direction::Inbound, Access::Deny, "*", "*", "*"),
    ];
    let ex = run(&with_subnet_nsg(design(BastionSku::Developer), rules));
    assert_eq!(ex.blocker, Some(RuleId::RNsgIn));
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("168.63.129.16"), "{:#?}", ex.checks);
    let rules = vec![
        rule("AllowPlatform", 100, Direction::Inbound, Access::Allow, "AzureLoadBalancer", "*", "22"),
        rule("DenyAll", 4000, Direction::Inbound, Access::Deny, "*", "*", "*"),
    ];
    let ex = run(&with_subnet_nsg(design(BastionSku::Developer), rules));
    assert_eq!(ex.blocker, None);
    assert!(checks(&ex, RuleId::RNsgIn)[0].found.contains("AllowPlatform"));
}

fn with_bastion_nsg(rules: Vec<NsgRule>) -> Design {
    let mut b = design(BastionSku::Standard);
    b.design.nsgs.push(nsg("nsg-bastion", rules));
    b.design.vnets[0].subnets[0].nsg = Some("nsg-bastion".into());
    let mut design = b.finish();
    // Make B-HEALTH-4 pass so that R-NSG-OUT is the first NSG problem.
    let index = Index::new(&design);
    let add = missing_bastion_rules(&index, 0);
    design.nsgs[0].rules.extend(add);
    design
}

#[test]
fn r_nsg_out_custom_port_needs_its_own_outbound_rule() {
    // Deny outbound to VirtualNetwork except 22/3389 (what the §5 rows require).
    let rules = vec![
        rule("AllowSshRdp", 300, Direction::Outbound, Access::Allow, "*", "VirtualNetwork", "22"),
        rule("DenyVnetOut", 400, Direction::Outbound, Access::Deny, "*", "VirtualNetwork", "*"),
    ];
    let mut design = with_bastion_nsg(rules);
    let ex = run(&design);
    assert_eq!(ex.blocker, None, "{:#?}", ex.checks);
    assert_eq!(checks(&ex, RuleId::RNsgOut)[0].outcome, Outcome::Pass);
    design.vms[0].port = Some(2222);
    let ex = run(&design);
    assert_eq!(ex.blocker, Some(RuleId::RNsgOut));
    let c = checks(&ex, RuleId::RNsgOut)[0];
    assert!(c.found.contains("nsg-bastion / DenyVnetOut (priority 400)") && c.found.contains("2222"), "{}", c.found);
    assert!(c.fix.contains("outbound TCP 2222"), "{}", c.fix);
}

#[test]
fn r_nsg_out_skipped_without_an_nsg_and_destination_prefixes_are_exact() {
    let ex = run(&design(BastionSku::Standard).finish());
    assert_eq!(checks(&ex, RuleId::RNsgOut)[0].outcome, Outcome::Skip);
    // A rule naming one VM's address: the cache must not reuse its decision for another VM.
    let rules = vec![rule("DenyVm", 300, Direction::Outbound, Access::Deny, "*", "10.1.1.4", "*")];
    let mut design = with_bastion_nsg(rules);
    let mut second = design.vms[0].clone();
    second.name = "vm-2".into();
    second.nic.private_ip = "10.1.1.5".parse().unwrap();
    design.vms.push(second);
    let analysis = analyze(&design);
    assert_eq!(analysis.blocker(0, Target::Vm(0)), Some(RuleId::RNsgOut));
    assert_eq!(analysis.blocker(0, Target::Vm(1)), None);
}

#[test]
fn tags_gateway_manager_and_azure_cloud_are_inside_internet() {
    let design = with_bastion_nsg(vec![rule(
        "AllowAzureCloudOutbound",
        150,
        Direction::Outbound,
        Access::Allow,
        "*",
        "AzureCloud",
        "443",
    )]);
    let index = Index::new(&design);
    let net = Net::new(&index);
    let view = net.tag_view(0);
    // The fresh NSG got only the two inbound rows: the outbound rows hold by default.
    assert_eq!(design.nsgs[0].rules.len(), 3);
    let flow = Flow {
        direction: Direction::Outbound,
        source: AddressPrefix::Prefix("10.0.1.0/26".parse().unwrap()),
        destination: AddressPrefix::Tag(ServiceTag::AzureCloud),
        port: 443,
    };
    assert_eq!(evaluate(&index, 0, &view, &flow, SourceMatch::Contain).rule_name(&design), "AllowAzureCloudOutbound");
    let mut empty = design.clone();
    empty.nsgs[0].rules.clear();
    let index = Index::new(&empty);
    let d = evaluate(&index, 0, &view, &flow, SourceMatch::Contain);
    assert_eq!(d.rule_name(&empty), "AllowInternetOutBound");
    assert_eq!(d.priority, 65001);
}
