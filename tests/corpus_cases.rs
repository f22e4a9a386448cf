//! Real Azure topologies written by others, hand-translated into design files.
//!
//! Each file under tests/corpus_cases/<name>.json mirrors one ARM template of
//! ../shared/corpus/arm/ (which one, with which parameter values, and what was left out
//! is in the design's description and in docs/corpus-cases.md). For every case this file
//! (a) loads the design, (b) asserts what Azure itself would do with that deployment —
//! decided from the template, azure-facts.md and rules.md, not copied from the engine —
//! each with a comment naming the template resource that makes Azure behave so, and
//! (c) compares the full text report with tests/corpus_cases/<name>.txt
//! (`UPDATE_SNAPSHOTS=1 cargo test --test corpus_cases` rewrites them).
//!
//! Template paths below are relative to ../shared/corpus/arm/.

use bastion_sim::analyze;
use bastion_sim::engine::{explain, Analysis, Explanation, Outcome, RuleId};
use bastion_sim::model::{load_design, BastionSku, Design};
use bastion_sim::report::text_report;
use std::path::PathBuf;

mod support;
use support::{bastion, check_snapshot, target};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus_cases")
}

fn load(name: &str) -> (Design, Analysis) {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = load_design(&text).unwrap_or_else(|e| panic!("{name} does not load: {e:?}"));
    let analysis = analyze(&file.design);
    (file.design, analysis)
}

/// Asserts the verdict of one pair (`None`: reachable, else the blocker) and returns its
/// explanation.
fn assert_pair(design: &Design, analysis: &Analysis, from: &str, to: &str, blocker: Option<RuleId>) -> Explanation {
    let (b, t) = (bastion(design, from), target(design, to));
    let explanation = explain(design, b, t);
    assert_eq!(analysis.blocker(b, t), blocker, "{from} -> {to}: {:#?}", explanation.checks);
    assert_eq!(explanation.blocker, blocker, "{from} -> {to}: explain disagrees with the verdict");
    explanation
}

/// True when the pair's checks of `rule` (R-NSG-IN has one for the subnet and one for the
/// NIC) include a pass and no failure.
fn passes(explanation: &Explanation, rule: RuleId) -> bool {
    let outcomes: Vec<Outcome> = explanation.checks.iter().filter(|c| c.rule == rule).map(|c| c.outcome).collect();
    outcomes.contains(&Outcome::Pass) && !outcomes.contains(&Outcome::Fail)
}

/// The health blocker of a Bastion and the outcome of each B-HEALTH check.
fn health(design: &Design, analysis: &Analysis, name: &str) -> (Option<RuleId>, Vec<(RuleId, Outcome)>) {
    let h = &analysis.health[bastion(design, name)];
    (h.blocker, h.checks.iter().map(|c| (c.rule, c.outcome)).collect())
}

fn health_outcome(design: &Design, analysis: &Analysis, name: &str, rule: RuleId) -> Outcome {
    let (_, checks) = health(design, analysis, name);
    checks.iter().find(|c| c.0 == rule).unwrap_or_else(|| panic!("{name}: no {rule} check")).1
}

fn least_sku(design: &Design, analysis: &Analysis, name: &str) -> BastionSku {
    analysis.sku[bastion(design, name)].least
}

fn has_finding(analysis: &Analysis, id: RuleId, resource: &str) -> bool {
    analysis.findings.iter().any(|f| f.id == id && f.resource == resource)
}

fn has_rule(analysis: &Analysis, id: RuleId) -> bool {
    analysis.findings.iter().any(|f| f.id == id)
}

// ---------------------------------------------------------------- snapshots

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Every case loads, and its text report matches its snapshot.
#[test]
fn every_case_loads_and_matches_its_snapshot() {
    let names = case_names();
    assert!(names.len() >= 11, "expected the eleven corpus cases, found {names:?}");
    let mut mismatches = Vec::new();
    for name in &names {
        let (design, analysis) = load(name);
        assert_eq!(&design.name, name, "the design's name is its file name");
        let actual = text_report(&design, &analysis);
        let path = dir().join(format!("{name}.txt"));
        mismatches.extend(check_snapshot(name, &path, &actual, "corpus_cases"));
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_snapshot_belongs_to_a_case() {
    let names = case_names();
    for entry in std::fs::read_dir(dir()).unwrap().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = file.strip_suffix(".txt") {
            assert!(names.iter().any(|n| n == stem), "stale snapshot {file}: no case {stem}.json");
        }
    }
}

// ---------------------------------------------------------------- the cases

/// qs-bastion-hub-spoke-vnet.azuredeploy.json: the smallest hub and spoke.
#[test]
fn qs_bastion_hub_spoke_vnet() {
    let (d, a) = load("qs-bastion-hub-spoke-vnet");
    // bastionHosts (line 166) has no `sku`: ARM's default is Basic. Its subnet is the hub's
    // AzureBastionSubnet 10.0.0.0/26 (variable subnetBastionPrefix), no NSG, no route table,
    // and its public IP is Standard/Static (line 154-163): healthy.
    assert_eq!(health(&d, &a, "bastion1").0, None);
    assert_eq!(health_outcome(&d, &a, "bastion1", RuleId::BHealth4), Outcome::Skip);
    // Both peering links (lines 118-152) set allowVirtualNetworkAccess: Connected, and vm1's
    // NIC (line 192) has no NSG: the Basic host reaches the spoke VM over R-PEER.
    let ex = assert_pair(&d, &a, "bastion1", "vm1", None);
    assert!(passes(&ex, RuleId::RPeer), "{:#?}", ex.checks);
    assert_eq!(ex.path, ["vnet-hub", "vnet-spoke"]);
    // A target in a peered VNet needs Basic (Developer has no peering support).
    assert_eq!(least_sku(&d, &a, "bastion1"), BastionSku::Basic);
    // vm1 is Ubuntu signing in with adminPassword (line 225): CAF-R8.
    assert!(has_finding(&a, RuleId::CafR8, "vm1"));
    // No diagnosticSettings resource: CAF-R6. No public IP on the VM: no CAF-R10.
    assert!(has_finding(&a, RuleId::CafR6, "bastion1"));
    assert!(!has_rule(&a, RuleId::CafR10));
    // The pattern is hub and spoke (the template's name): users need Reader on the hub VNet.
    assert!(has_finding(&a, RuleId::CafR4, "design"));
    // No gateway anywhere: Bastion is the only path (CAF-R9), no hybrid pattern (CAF-R2).
    assert!(has_finding(&a, RuleId::CafR9, "design"));
    assert!(!has_rule(&a, RuleId::CafR2));
}

/// qs-azure-bastion-nsg.azuredeploy.json: the recommended Bastion NSG on a /27 subnet; no VM.
#[test]
fn qs_azure_bastion_nsg() {
    let (d, a) = load("qs-azure-bastion-nsg");
    // The NSG (lines 69-220) holds every row of rules.md §5 before its DenyAll rules at
    // priority 1000 (lines 132, 206): B-HEALTH-4 passes.
    assert_eq!(health_outcome(&d, &a, "GEN-UNIQUE-8", RuleId::BHealth4), Outcome::Pass);
    assert!(!has_rule(&a, RuleId::CafR5));
    // bastion-subnet-ip-prefix defaults to 10.1.1.0/27 (line 32): a warning only (rules.md
    // B-HEALTH-2; Azure itself refuses /27 for hosts created after 2 Nov 2021 — the rule wins).
    assert_eq!(health_outcome(&d, &a, "GEN-UNIQUE-8", RuleId::BHealth2), Outcome::Warn);
    assert_eq!(health(&d, &a, "GEN-UNIQUE-8").0, None);
    assert!(has_finding(&a, RuleId::BHealth2, "GEN-UNIQUE-8"));
    // Nothing to reach: no pair at all.
    assert_eq!(a.pairs().count(), 0);
    assert!(has_finding(&a, RuleId::CafR6, "GEN-UNIQUE-8"));
}

/// qs-nat-gateway-hub-spoke-firewall.azuredeploy.json: a spoke whose default route goes to
/// the hub firewall.
#[test]
fn qs_nat_gateway_hub_spoke_firewall() {
    let (d, a) = load("qs-nat-gateway-hub-spoke-firewall");
    // The UDR 0.0.0.0/0 -> VirtualAppliance (route-to-hub, line 334) is on the spoke's
    // subnet-private, not on AzureBastionSubnet (line 91) and not advertised into the hub:
    // B-HEALTH-3 and B-HEALTH-6 pass. The return traffic to the Bastion subnet follows the
    // more specific peering route (10.0.0.0/16), not 0/0.
    let (blocker, checks) = health(&d, &a, "natfw-uniq-bastion");
    assert_eq!(blocker, None);
    assert!(checks.contains(&(RuleId::BHealth3, Outcome::Pass)));
    assert!(checks.contains(&(RuleId::BHealth6, Outcome::Pass)));
    // The NIC NSG natfw-uniq-nsg-vm (line 348) has no rules: AllowVnetInBound admits the
    // Bastion subnet, which is in the spoke's VirtualNetwork tag through the peering.
    let ex = assert_pair(&d, &a, "natfw-uniq-bastion", "natfw-uniq-vm-spoke", None);
    assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    assert_eq!(least_sku(&d, &a, "natfw-uniq-bastion"), BastionSku::Basic);
    // linuxConfiguration disables passwords and uses adminSshKey (line 49), not Key Vault.
    assert!(has_finding(&a, RuleId::CafR8, "natfw-uniq-vm-spoke"));
    assert!(has_finding(&a, RuleId::CafR4, "design"));
    assert!(!has_rule(&a, RuleId::CafR10));
}

/// qs-load-balancer-standard-create.azuredeploy.json: the NIC NSG allows only HTTP.
#[test]
fn qs_load_balancer_standard_create() {
    let (d, a) = load("qs-load-balancer-standard-create");
    assert_eq!(health(&d, &a, "proj-bastion").0, None);
    // proj-nsg's only rule is AllowHTTPInbound from Internet to 80 (line 370); it says
    // nothing about 3389, so the default AllowVnetInBound (65000) admits the Bastion subnet
    // 10.0.1.0/24 (line 62) of the same VNet: the three VMs (range(1,3) = 1, 2, 3, line 132)
    // are reachable over R-SAME.
    for vm in ["proj-vm1", "proj-vm2", "proj-vm3"] {
        let ex = assert_pair(&d, &a, "proj-bastion", vm, None);
        assert!(passes(&ex, RuleId::RSame), "{:#?}", ex.checks);
        assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    }
    // Every target in the Bastion's own VNet: Developer would do (rules.md §8 "Least SKU").
    assert_eq!(least_sku(&d, &a, "proj-bastion"), BastionSku::Developer);
    // The load balancer's public IPs are not on the VMs: no CAF-R10; Windows: no CAF-R8.
    assert!(!has_rule(&a, RuleId::CafR10));
    assert!(!has_rule(&a, RuleId::CafR8));
    assert!(has_finding(&a, RuleId::CafR6, "proj-bastion"));
    assert!(has_finding(&a, RuleId::CafR5, "proj-vnet/AzureBastionSubnet"));
}

/// qs-nat-gateway-1-vm-developer-bastion.azuredeploy.json: a Developer Bastion.
#[test]
fn qs_nat_gateway_1_vm_developer_bastion() {
    let (d, a) = load("qs-nat-gateway-1-vm-developer-bastion");
    // sku Developer (line 303) with properties.virtualNetwork (line 306): no
    // AzureBastionSubnet and no public IP are needed, so B-HEALTH-1 and -5 do not fail.
    let (blocker, checks) = health(&d, &a, "bastion-host");
    assert_eq!(blocker, None);
    assert!(!checks.iter().any(|c| c.1 == Outcome::Fail), "{checks:?}");
    assert!(!d.vnets[0].subnets.iter().any(|s| s.name == "AzureBastionSubnet"));
    // Developer sessions come from 168.63.129.16, which the NIC NSG nsg-1 (no rules, line
    // 124) admits by its default rules: vm-1 in the same VNet is reachable.
    let ex = assert_pair(&d, &a, "bastion-host", "vm-1", None);
    assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    assert_eq!(least_sku(&d, &a, "bastion-host"), BastionSku::Developer);
    // CAF-R1: Developer is not for production. No CAF-R6 (not a dedicated host).
    assert!(has_finding(&a, RuleId::CafR1, "bastion-host"));
    assert!(!has_rule(&a, RuleId::CafR6));
    // The template deploys the host itself: nobody's first Connect has to (no RBAC-DEV).
    assert!(!has_rule(&a, RuleId::RbacDev));
    assert!(has_finding(&a, RuleId::CafR8, "vm-1"));
}

/// mspnp-hub-spoke-firewall-bastion.azuredeploy.json with deployVirtualMachines = true.
#[test]
fn mspnp_hub_spoke_firewall_bastion() {
    let (d, a) = load("mspnp-hub-spoke-firewall-bastion");
    // nsg-eastus2-bastion holds every required row, the outbound ones before its
    // DenyAllOutbound (AllowBastionCertificateValidationOutbound, line 385): healthy.
    assert_eq!(health(&d, &a, "ab-eastus2-uniq").0, None);
    assert_eq!(health_outcome(&d, &a, "ab-eastus2-uniq", RuleId::BHealth4), Outcome::Pass);
    // nsg-spoke-resources allows 3389 (AllowBastionRdpFromHub, line 918) and 22
    // (AllowBastionSshFromHub, line 933) only from the Bastion subnet prefix (read through
    // reference()), then DenyAllInBound (line 948): both spoke VMs are reachable, and the
    // NSG's own allow rule is what admits them.
    for vm in ["vm-eastus2-spoke-one-linux", "vm-eastus2-spoke-two-windows"] {
        let ex = assert_pair(&d, &a, "ab-eastus2-uniq", vm, None);
        assert!(passes(&ex, RuleId::RPeer), "{:#?}", ex.checks);
        let nsg_in = ex.checks.iter().find(|c| c.rule == RuleId::RNsgIn).unwrap();
        assert!(nsg_in.found.contains("AllowBastion"), "{}", nsg_in.found);
    }
    // The spokes' route table sends 0.0.0.0/0 to the firewall (r-nexthop-to-fw, line 894):
    // not on AzureBastionSubnet, so no B-HEALTH-3/6 problem.
    assert_eq!(health_outcome(&d, &a, "ab-eastus2-uniq", RuleId::BHealth6), Outcome::Pass);
    assert_eq!(least_sku(&d, &a, "ab-eastus2-uniq"), BastionSku::Basic);
    // The Bastion's diagnostic setting to-hub-la (scope line 752) sends allLogs to the hub
    // workspace: no CAF-R6.
    assert!(!has_rule(&a, RuleId::CafR6));
    // disablePasswordAuthentication false on the Linux VM (line 1233): CAF-R8.
    assert!(has_finding(&a, RuleId::CafR8, "vm-eastus2-spoke-one-linux"));
    assert!(has_finding(&a, RuleId::CafR4, "design"));
    assert!(!has_rule(&a, RuleId::CafR5));
    assert!(!has_rule(&a, RuleId::CafR10));
}

/// mspnp-secure-hybrid-network/ (azuredeploy.json and its four nested templates).
#[test]
fn mspnp_secure_hybrid_network() {
    let (d, a) = load("mspnp-secure-hybrid-network");
    // Azure side: nsg-hub-bastion (azure-network-azuredeploy.json) ends its outbound rules
    // with bastion-out-deny * -> * at 1000 (line 402) and has no rule for Internet 80, so
    // the required row "Out any -> Internet 80" is shadowed: rules.md B-HEALTH-4 says Azure
    // rejects the NSG, and the hub Bastion reaches nothing. (Its missing AzureLoadBalancer
    // 443 inbound row is covered by the default rule 65001: no inbound deny precedes it.)
    let (blocker, _) = health(&d, &a, "AzureBastionHost");
    assert_eq!(blocker, Some(RuleId::BHealth4));
    assert!(a.health[bastion(&d, "AzureBastionHost")].checks.iter().any(|c| c.rule == RuleId::BHealth4
        && c.found.contains("Internet 80")
        && c.found.contains("bastion-out-deny")));
    assert!(has_finding(&a, RuleId::CafR5, "nsg-hub-bastion"));
    for t in ["vmss-web-server", "vm-windows", "vm-windows@mock-prem", "vmss-web-server@azure"] {
        assert_pair(&d, &a, "AzureBastionHost", t, Some(RuleId::BHealth4));
    }
    // Every later check is still listed: the scale set (virtualMachineScaleSets, line 735)
    // sits in the gateway-transit spoke (hub-to-spoke allowGatewayTransit line 265,
    // spoke-to-hub useRemoteGateways line 287) and nsg-spoke-resources allows only port 80
    // (line 682), so the default AllowVnetInBound would admit RDP from the hub once the
    // Bastion NSG is fixed.
    let ex = assert_pair(&d, &a, "AzureBastionHost", "vmss-web-server", Some(RuleId::BHealth4));
    assert!(passes(&ex, RuleId::RPeer), "{:#?}", ex.checks);
    assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    // The hub Bastion serves the peered spoke: Basic; one spoke is still hub and spoke.
    assert_eq!(least_sku(&d, &a, "AzureBastionHost"), BastionSku::Basic);
    assert!(has_finding(&a, RuleId::CafR4, "design"));

    // Mock on-premises side: its Bastion NSG (mock-onprem-azuredeploy.json line 156) is
    // created but the AzureBastionSubnet (line 85) names no NSG: nothing to validate,
    // healthy, and CAF-R5 says the subnet is unfiltered.
    assert_eq!(health(&d, &a, "AzureBastionHost-onprem").0, None);
    assert_eq!(health_outcome(&d, &a, "AzureBastionHost-onprem", RuleId::BHealth4), Outcome::Skip);
    assert!(has_finding(&a, RuleId::CafR5, "vnet-onprem/AzureBastionSubnet"));
    // vm-windows (line 316) shares the mock on-premises VNet and its NIC has no NSG.
    assert_pair(&d, &a, "AzureBastionHost-onprem", "vm-windows", None);
    // The two VNets are joined only by the IPsec connections (the two *-local-gateway.json
    // files), not by peering: the Azure scale set is no VM target of the mock Bastion ...
    assert_pair(&d, &a, "AzureBastionHost-onprem", "vmss-web-server", Some(RuleId::RNoPath));
    // ... and at its address behind the mock side's gateway (local gateway prefixes, line 39
    // of mock-onprem-local-gateway.json) it needs IP-based connection, which Basic lacks.
    assert_pair(&d, &a, "AzureBastionHost-onprem", "vmss-web-server@azure", Some(RuleId::RHybrid));
    // vm-windows@mock-prem is the same machine as the Azure side's connection sees it
    // (site local-gateway-azure-network); the mock side's own gateway does not connect to
    // that site, so from there it is R-NOPATH (the machine is reached as vm-windows above).
    assert_pair(&d, &a, "AzureBastionHost-onprem", "vm-windows@mock-prem", Some(RuleId::RNoPath));
    // Its only VM target is in its own VNet (rules.md §8: hybrid targets without IP-based
    // connection produce advice, not a least-SKU rise).
    assert_eq!(least_sku(&d, &a, "AzureBastionHost-onprem"), BastionSku::Developer);
    assert!(a.sku[bastion(&d, "AzureBastionHost-onprem")].advice.iter().any(|it| it.contains("IP-based connection")));

    // VPN gateways on both sides (configureSitetosite true): the hybrid pattern, and a
    // break-glass path beside Bastion, so no CAF-R9.
    assert!(has_finding(&a, RuleId::CafR2, "design"));
    assert!(!has_rule(&a, RuleId::CafR9));
    // Nobody advertises 0.0.0.0/0 over the connections: no forced tunnelling.
    assert_eq!(health_outcome(&d, &a, "AzureBastionHost-onprem", RuleId::BHealth6), Outcome::Pass);
}

/// mspnp-health-probes-portal-export.template.json: a portal export.
#[test]
fn mspnp_health_probes_portal_export() {
    let (d, a) = load("mspnp-health-probes-portal-export");
    // bastionHosts (line 403) has no sku: Basic; AzureBastionSubnet 10.0.1.0/24, no NSG.
    assert_eq!(health(&d, &a, "BastionHost-1").0, None);
    // Each NIC's NSG (vm-1-nsg, vm-2-nsg) allows only port 80 (Port_80, lines 99 and 126);
    // the default AllowVnetInBound admits RDP from the Bastion subnet of the same VNet. The
    // exported addresses are literal (10.0.0.5 line 735, 10.0.0.4 line 775).
    for vm in ["vm-1", "vm-2"] {
        let ex = assert_pair(&d, &a, "BastionHost-1", vm, None);
        assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    }
    // The allow-everything NSG basicNsg…-nic01 (Port_8080, line 72) is attached to nothing:
    // it changes no verdict, and there is no public IP on a VM, so no CAF-R10.
    assert!(!has_rule(&a, RuleId::CafR10));
    assert_eq!(least_sku(&d, &a, "BastionHost-1"), BastionSku::Developer);
    assert!(has_finding(&a, RuleId::CafR6, "BastionHost-1"));
    assert!(has_finding(&a, RuleId::CafR5, "AAF-resiliency-health-probes-vnet/AzureBastionSubnet"));
}

/// bicep-examples-private-aks-cluster-bastion.main.json: the jumpbox of a private AKS cluster.
#[test]
fn bicep_examples_private_aks_cluster_bastion() {
    let (d, a) = load("bicep-examples-private-aks-cluster-bastion");
    // AzureBastionSubnetNsg: the four inbound rows before bastionInDeny (line 696), the
    // 22/3389 and AzureCloud rows (bastionAzureOutAllow, line 725) and no outbound deny, so
    // Azure's defaults AllowVnetOutBound / AllowInternetOutBound carry the 8080/5701 and
    // Internet 80 rows: all eight hold.
    assert_eq!(health_outcome(&d, &a, "aks-uniqBastion", RuleId::BHealth4), Outcome::Pass);
    // The blob private DNS zone is privatelink.blob.core.windows.net (line 1244): a name
    // ending in a reserved name is fine, only the exact names break Bastion (B-HEALTH-7).
    assert_eq!(health_outcome(&d, &a, "aks-uniqBastion", RuleId::BHealth7), Outcome::Pass);
    assert_eq!(health(&d, &a, "aks-uniqBastion").0, None);
    // VmSubnetNsg AllowSshInbound (line 615) admits 22 from any source: TestVm reachable.
    let ex = assert_pair(&d, &a, "aks-uniqBastion", "TestVm", None);
    assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    // The SSH allow from `*` is not CAF-R10: TestVm has no public IP.
    assert!(!has_rule(&a, RuleId::CafR10));
    // authenticationType defaults to password (line 402): CAF-R8.
    assert!(has_finding(&a, RuleId::CafR8, "TestVm"));
    assert!(has_finding(&a, RuleId::CafR6, "aks-uniqBastion"));
    assert_eq!(least_sku(&d, &a, "aks-uniqBastion"), BastionSku::Developer);
}

/// eslz-subscriptionTemplates/: the ALZ central Bastion in a Virtual WAN sidecar spoke.
#[test]
fn eslz_vwan_sidecar_bastion() {
    let (d, a) = load("eslz-vwan-sidecar-bastion");
    // bastion.json: Premium (line 65), zones 1-3 with a zone-redundant Standard public IP,
    // its NSG holding every row before DenyAllOutBound (line 302). The sidecar hub
    // connection (vwan-sidecar.json line 178) sets nothing, so no default route is
    // propagated from the (unsecured) hub: healthy.
    assert_eq!(health(&d, &a, "alz-bastion").0, None);
    assert_eq!(health_outcome(&d, &a, "alz-bastion", RuleId::BHealth6), Outcome::Pass);
    // The landing-zone spoke is connected to the same hub (vnetPeeringVwan.json line 130),
    // not peered: Bastion reaches it only by IP-based connection, which bastion.json never
    // turns on (no enableIpConnect): blocked by R-VWAN even on Premium.
    let ex = assert_pair(&d, &a, "alz-bastion", "vm-lz-app1-01", Some(RuleId::RVwan));
    assert_eq!(ex.path, ["vnet01-sidecar", "vnet-lz-app1"]);
    let sku = &a.sku[bastion(&d, "alz-bastion")];
    assert!(sku.advice.iter().any(|it| it.contains("Turn on IP-based connection")), "{:?}", sku.advice);
    // IP-based connection needs Standard: whatever else is over-provisioned, redeploying as
    // Basic would leave the landing zone unreachable for good.
    assert!(!sku.advice.iter().any(|it| it.contains("Basic would do")), "{:?}", sku.advice);
    assert!(!a.findings.iter().any(|f| f.id == RuleId::SkuUpgrade && f.message.contains("more than Basic")));
    // The pattern: a central Bastion in a Virtual WAN spoke (CAF-R3).
    assert!(has_finding(&a, RuleId::CafR3, "design"));
    assert!(has_finding(&a, RuleId::ConsolidateUnreached, "vnet-lz-app1"));
    assert!(!has_rule(&a, RuleId::BHealth8));
}

/// mspnp-hub-spoke-2022-copyloops.azuredeploy.json with windowsVMCount = linuxVMCount = 1.
#[test]
fn mspnp_hub_spoke_2022_copyloops() {
    let (d, a) = load("mspnp-hub-spoke-2022-copyloops");
    // bastionHost.subnetPrefix defaults to 10.0.1.0/29 (line 82): smaller than /27, which
    // Azure refuses for any Bastion (B-HEALTH-2 error), so the host reaches nothing. Its NSG
    // also ends with bastion-out-deny (line 720) without an Internet 80 allow: B-HEALTH-4
    // fails too, listed after the blocker (rules.md §8 order: 8, 1, 2, 3, 4, …).
    let (blocker, checks) = health(&d, &a, "AzureBastionHost");
    assert_eq!(blocker, Some(RuleId::BHealth2));
    assert!(checks.contains(&(RuleId::BHealth4, Outcome::Fail)));
    // Both copy-loop VMs sit in spoke one (niccopy loops, subnet of spokeNetwork); the
    // spoke NSG's bastion-in-vnet (line 308) admits 22/3389 from the /29, so only the
    // Bastion's health blocks them.
    for vm in ["vm-windows-0", "vm-linux-0"] {
        let ex = assert_pair(&d, &a, "AzureBastionHost", vm, Some(RuleId::BHealth2));
        assert!(passes(&ex, RuleId::RPeer), "{:#?}", ex.checks);
        assert!(passes(&ex, RuleId::RNsgIn), "{:#?}", ex.checks);
    }
    assert_eq!(least_sku(&d, &a, "AzureBastionHost"), BastionSku::Basic);
    // The Linux VM has no linuxConfiguration, only adminPassword (line 1015): CAF-R8.
    assert!(has_finding(&a, RuleId::CafR8, "vm-linux-0"));
    assert!(has_finding(&a, RuleId::CafR5, "nsg-hub-bastion"));
    assert!(has_finding(&a, RuleId::ConsolidateUnreached, "vnet-spoke-one"));
    // Spoke two holds no VM: one spoke with VMs, still hub and spoke.
    assert!(has_finding(&a, RuleId::CafR4, "design"));
}
