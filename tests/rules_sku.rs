//! SKU advisor (rules.md §3, §8 "Least SKU"): SKU-UPGRADE and SKU-CAPACITY, each where it
//! holds and where it fails, and the page's capacity calculator.

use bastion_sim::engine::sku::instances_needed;
use bastion_sim::engine::{analyze, FixAction, RuleId, Severity, SkuAdvice};
use bastion_sim::model::{
    BastionSku, Design, Gateway, GatewayKind, HubConnection, OnPremMachine, OnPremSite, Os, SiteConnection, VirtualHub,
    VirtualWan,
};
use bastion_sim::scenarios::builder::DesignBuilder;

fn hub_spoke() -> Design {
    bastion_sim::scenarios::builder::minimal_hub_spoke()
}

fn advice(design: &Design) -> SkuAdvice {
    analyze(design).sku[0].clone()
}

fn sku_findings(design: &Design, id: RuleId) -> Vec<bastion_sim::engine::Finding> {
    analyze(design).findings.into_iter().filter(|f| f.id == id).collect()
}

#[test]
fn basic_with_ip_based_connection_needs_standard_with_the_reason() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    design.bastions[0].features.ip_connect = true;
    let advice = advice(&design);
    assert_eq!(advice.current, BastionSku::Basic);
    assert_eq!(advice.least, BastionSku::Standard);
    assert!(advice
        .reasons
        .iter()
        .any(|r| r.needs == BastionSku::Standard && r.because.contains("IP-based connection")));
    assert_eq!(advice.upgrade_path, "upgrade Basic → Standard in place, about 10 minutes");

    let findings = sku_findings(&design, RuleId::SkuUpgrade);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Error);
    assert_eq!(findings[0].resource, "bas-hub-weu");
    assert!(findings[0].message.contains("IP-based connection is on"), "{}", findings[0].message);
    assert_eq!(
        findings[0].fix_action,
        Some(FixAction::SetBastionSku { bastion: "bas-hub-weu".into(), sku: BastionSku::Standard })
    );
}

#[test]
fn a_basic_hub_bastion_serving_peered_spokes_is_enough() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    let advice = advice(&design);
    assert_eq!(advice.least, BastionSku::Basic);
    assert!(advice.reasons[0].because.contains("peered VNet"), "{:?}", advice.reasons);
    assert_eq!(advice.upgrade_path, "none needed");
    assert!(sku_findings(&design, RuleId::SkuUpgrade).is_empty());
}

#[test]
fn a_standard_bastion_that_needs_only_basic_is_advice_not_an_error() {
    let design = hub_spoke();
    let advice = advice(&design);
    assert_eq!((advice.current, advice.least), (BastionSku::Standard, BastionSku::Basic));
    assert!(advice.advice.iter().any(|a| a.contains("Over-provisioned") && a.contains("delete and redeploy")));
    assert!(advice.upgrade_path.contains("delete and redeploy"));
    let findings = sku_findings(&design, RuleId::SkuUpgrade);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Info);
    assert_eq!(findings[0].fix_action, None);
}

#[test]
fn developer_in_a_hub_with_peered_spokes_needs_basic() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Developer;
    let advice = advice(&design);
    assert_eq!(advice.least, BastionSku::Basic);
    assert!(advice.upgrade_path.starts_with("upgrade Developer → Basic in place"), "{}", advice.upgrade_path);
    assert!(advice.upgrade_path.contains("AzureBastionSubnet"));
}

#[test]
fn developer_is_enough_when_every_target_is_in_its_own_vnet() {
    let mut b = DesignBuilder::new("dev", "");
    b.subscription("sub-dev");
    b.vnet("vnet-dev", "sub-dev", "rg-dev", "westeurope", "10.9.0.0/16").subnet("snet-vm", "10.9.1.0/24");
    b.bastion("bas-dev", "vnet-dev", BastionSku::Developer);
    b.vm_linux("vm-dev", "vnet-dev", "snet-vm", "10.9.1.4");
    let design = b.finish();
    let advice = advice(&design);
    assert_eq!(advice.least, BastionSku::Developer);
    assert!(advice.reasons.is_empty());
    assert_eq!(advice.upgrade_path, "none needed");
    assert!(sku_findings(&design, RuleId::SkuUpgrade).is_empty());
}

#[test]
fn a_custom_port_in_a_reached_vnet_needs_standard() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    design.vms[1].port = Some(33890);
    let advice = advice(&design);
    assert_eq!(advice.least, BastionSku::Standard);
    assert!(advice.reasons.iter().any(|r| r.because == "VM vm-app2-sql01 listens on the custom port 33890"));
    // The OS's own port written out is not a custom port.
    design.vms[1].port = Some(3389);
    assert_eq!(self::advice(&design).least, BastionSku::Basic);
}

#[test]
fn session_recording_and_private_only_need_premium() {
    let mut design = hub_spoke();
    design.bastions[0].features.session_recording = true;
    let advice = advice(&design);
    assert_eq!(advice.least, BastionSku::Premium);
    assert_eq!(advice.upgrade_path, "upgrade Standard → Premium in place, about 10 minutes");

    let mut design = hub_spoke();
    design.bastions[0].features.private_only = true;
    let advice = self::advice(&design);
    assert_eq!(advice.least, BastionSku::Premium);
    assert!(advice.upgrade_path.contains("deploy a new Premium Bastion"), "{}", advice.upgrade_path);

    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    design.bastions[0].features.session_recording = true;
    assert_eq!(self::advice(&design).upgrade_path, "upgrade Basic → Standard → Premium in place, about 10 minutes");
}

#[test]
fn sessions_beyond_two_instances_raise_the_least_sku_to_standard() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    design.bastions[0].expected_rdp_sessions = Some(100);
    let advice = advice(&design);
    assert_eq!(advice.instances_needed, 5);
    assert_eq!(advice.least, BastionSku::Standard);
    assert!(advice.reasons.iter().any(|r| r.because.contains("need 5 instances")));
}

#[test]
fn capacity_on_basic_beyond_its_fixed_two_instances_is_an_error_with_an_upgrade() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Basic;
    design.bastions[0].expected_ssh_sessions = Some(81);
    let findings = sku_findings(&design, RuleId::SkuCapacity);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Error);
    assert_eq!(
        findings[0].fix_action,
        Some(FixAction::SetBastionSku { bastion: "bas-hub-weu".into(), sku: BastionSku::Standard })
    );
    // 80 SSH sessions fit Basic's two instances.
    design.bastions[0].expected_ssh_sessions = Some(80);
    assert!(sku_findings(&design, RuleId::SkuCapacity).is_empty());
}

#[test]
fn capacity_on_standard_asks_for_scale_units_then_for_another_bastion() {
    let mut design = hub_spoke();
    design.bastions[0].expected_rdp_sessions = Some(100);
    let findings = sku_findings(&design, RuleId::SkuCapacity);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert_eq!(
        findings[0].fix_action,
        Some(FixAction::SetScaleUnits { bastion: "bas-hub-weu".into(), scale_units: 5 })
    );
    design.bastions[0].scale_units = 5;
    assert!(sku_findings(&design, RuleId::SkuCapacity).is_empty());

    design.bastions[0].expected_rdp_sessions = Some(1200);
    let findings = sku_findings(&design, RuleId::SkuCapacity);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].fix.contains("another Bastion"));
    assert_eq!(findings[0].fix_action, None);
}

#[test]
fn the_capacity_calculator_answers_per_sku() {
    let answer = instances_needed(BastionSku::Standard, 100, 100);
    assert_eq!((answer.instances, answer.fits), (5, true));
    assert_eq!(instances_needed(BastionSku::Standard, 0, 0).instances, 2);
    assert_eq!(instances_needed(BastionSku::Premium, 21, 0).instances, 2);
    assert_eq!(instances_needed(BastionSku::Premium, 41, 0).instances, 3);
    assert_eq!(instances_needed(BastionSku::Premium, 0, 81).instances, 3);
    assert!(instances_needed(BastionSku::Basic, 40, 80).fits);
    let basic = instances_needed(BastionSku::Basic, 41, 0);
    assert!(!basic.fits);
    assert!(basic.message.contains("upgrade to Standard"));
    let huge = instances_needed(BastionSku::Standard, 1001, 0);
    assert_eq!((huge.instances, huge.fits), (51, false));
    assert!(huge.message.contains("another Bastion"));
    assert!(instances_needed(BastionSku::Standard, 1000, 2000).fits);
    assert!(instances_needed(BastionSku::Developer, 1, 0).fits);
    assert!(!instances_needed(BastionSku::Developer, 1, 1).fits);
}

/// vnet-a (with Bastion bas-a of `sku`) and vnet-b (with VM vm-b) connected to one hub.
fn vwan_pair(sku: BastionSku) -> Design {
    let mut b = DesignBuilder::new("vwan", "");
    b.subscription("sub-a");
    b.vnet("vnet-a", "sub-a", "rg-a", "westeurope", "10.10.0.0/16").subnet("AzureBastionSubnet", "10.10.1.0/26");
    b.vnet("vnet-b", "sub-a", "rg-b", "westeurope", "10.11.0.0/16").subnet("snet-vm", "10.11.2.0/24");
    b.bastion("bas-a", "vnet-a", sku);
    b.vm_linux("vm-b", "vnet-b", "snet-vm", "10.11.2.4");
    let mut design = b.finish();
    design.virtual_wans.push(VirtualWan {
        name: "vwan".into(),
        subscription: "sub-a".into(),
        resource_group: "rg-a".into(),
    });
    design.virtual_hubs.push(VirtualHub {
        name: "hub-weu".into(),
        virtual_wan: "vwan".into(),
        region: "westeurope".into(),
        address_prefix: "10.100.0.0/23".parse().unwrap(),
        secured: false,
    });
    for vnet in ["vnet-a", "vnet-b"] {
        design.hub_connections.push(HubConnection {
            name: format!("conn-{vnet}"),
            vnet: vnet.into(),
            hub: "hub-weu".into(),
            propagate_default_route: false,
        });
    }
    design
}

#[test]
fn virtual_wan_targets_without_ip_based_connection_get_advice_not_a_rise() {
    let mut design = vwan_pair(BastionSku::Basic);
    let advice = advice(&design);
    assert!(
        advice.advice.iter().any(|a| a.contains("Turn on IP-based connection (Standard)") && a.contains("Virtual WAN")),
        "{:?}",
        advice.advice
    );
    assert!(advice.least < BastionSku::Standard, "advice, not a least-SKU rise");
    design.bastions[0].sku = BastionSku::Standard;
    design.bastions[0].features.ip_connect = true;
    assert!(self::advice(&design).advice.iter().all(|a| !a.contains("IP-based")));
}

/// The ALZ central Bastion in a Virtual WAN sidecar (tests/corpus_cases/eslz-vwan-sidecar-bastion.json):
/// a Premium host whose targets wait for IP-based connection. Premium is more than it
/// needs, but the redeploy to advise is Standard: as Basic it could never reach them.
#[test]
fn over_provisioning_advice_keeps_standard_for_targets_waiting_for_ip_based_connection() {
    let design = vwan_pair(BastionSku::Premium);
    let advice = advice(&design);
    assert!(advice.least < BastionSku::Standard, "still advice, not a least-SKU rise");
    assert!(
        advice.advice.iter().any(|a| a.contains("Over-provisioned") && a.contains("Standard would do")),
        "{:?}",
        advice.advice
    );
    assert!(advice.advice.iter().all(|a| !a.contains("Basic would do")), "{:?}", advice.advice);
    // The upgrade path names the same redeploy (Developer could reach nothing here).
    assert_eq!(
        advice.upgrade_path,
        "none needed; Standard would do, but a downgrade is never possible in place: delete and redeploy"
    );
    let findings = sku_findings(&design, RuleId::SkuUpgrade);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Info);
    assert!(findings[0].message.contains("needs more than Standard"), "{}", findings[0].message);
    // A Standard host there is not over-provisioned at all.
    assert!(sku_findings(&vwan_pair(BastionSku::Standard), RuleId::SkuUpgrade).is_empty());
    assert_eq!(self::advice(&vwan_pair(BastionSku::Standard)).upgrade_path, "none needed");
}

#[test]
fn hybrid_targets_without_ip_based_connection_get_advice() {
    let mut design = hub_spoke();
    design.gateways.push(Gateway {
        name: "vgw-hub".into(),
        kind: GatewayKind::Vpn,
        vnet: Some("vnet-hub-weu".into()),
        hub: None,
    });
    design
        .onprem_sites
        .push(OnPremSite { name: "site-hq".into(), address_prefixes: vec!["192.168.0.0/16".parse().unwrap()] });
    design.site_connections.push(SiteConnection {
        name: "cn-hq".into(),
        gateway: "vgw-hub".into(),
        site: "site-hq".into(),
        advertises_default_route: false,
    });
    design.onprem_machines.push(OnPremMachine {
        name: "srv-hq-01".into(),
        site: "site-hq".into(),
        ip: "192.168.1.10".parse().unwrap(),
        os: Os::Windows,
        port: None,
    });
    let advice = advice(&design);
    assert!(
        advice.advice.iter().any(|a| a.contains("Turn on IP-based connection") && a.contains("1 on-premises machine")),
        "{:?}",
        advice.advice
    );
    design.bastions[0].features.ip_connect = true;
    assert!(self::advice(&design).advice.iter().all(|a| !a.contains("IP-based")));
}

/// Least SKU rises to Basic for VMs a Basic host would reach over a peering (R-PEER):
/// a Connected peering whose links deny VNet access, or one across tenants, is blocked
/// whatever the SKU, so it does not make a Developer host "below its least SKU".
#[test]
fn a_peering_no_sku_can_use_does_not_raise_developer_to_basic() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Developer;
    for p in design.peerings.iter_mut() {
        p.allow_virtual_network_access = false;
    }
    let least = advice(&design);
    assert_eq!(least.least, BastionSku::Developer, "{:#?}", least.reasons);
    assert!(sku_findings(&design, RuleId::SkuUpgrade).is_empty());

    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Developer;
    let spoke_sub = design.vnets.iter().find(|v| v.name == "vnet-spoke-app1").unwrap().subscription.clone();
    for s in design.subscriptions.iter_mut().filter(|s| s.id == spoke_sub) {
        s.tenant = "fabrikam.onmicrosoft.com".to_string();
    }
    let least = advice(&design);
    assert_eq!(least.least, BastionSku::Developer, "{:#?}", least.reasons);
}
