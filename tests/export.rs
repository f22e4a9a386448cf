//! The ARM template export (`io::export`), checked by a round trip through this project's
//! own importer: every built-in scenario, exercise and a small generated estate, exported
//! and imported back, gives the same verdicts (with their blockers), findings and SKU
//! advice as the design it came from — once the facts no template can hold are taken out
//! of the original, and each of those is named in the export's not-exported list.

use bastion_sim::engine::{self, Target};
use bastion_sim::io::export::{arm_template, ArmExport};
use bastion_sim::io::import::import_text;
use bastion_sim::model::*;
use bastion_sim::scenarios::{self, exercises, synthetic};
use serde_json::Value;

/// Every design the round trip is checked on.
fn designs() -> Vec<(String, Design)> {
    let mut out: Vec<(String, Design)> =
        scenarios::all().into_iter().map(|s| (format!("scenario {}", s.name), (s.build)())).collect();
    out.extend(exercises::all().iter().map(|e| (format!("exercise {}", e.name), e.start())));
    // A secured hub that sends 0.0.0.0/0 to its connections (B-HEALTH-6): no built-in
    // design has one.
    let mut secured = (scenarios::by_name("vwan-central").unwrap().build)();
    secured.virtual_hubs.iter_mut().for_each(|h| h.secured = true);
    secured.hub_connections.iter_mut().for_each(|c| c.propagate_default_route = true);
    out.push(("vwan-central with a secured hub".into(), secured));
    // A branch behind the hub's VPN gateway advertising 0.0.0.0/0, which the hub hands to
    // the connections that propagate it (B-HEALTH-6): the default route is listed as not
    // exported, the site and its connection are not.
    let mut branch = (scenarios::by_name("vwan-central").unwrap().build)();
    branch.site_connections.iter_mut().for_each(|c| c.advertises_default_route = true);
    branch.hub_connections.iter_mut().for_each(|c| c.propagate_default_route = true);
    out.push(("vwan-central with a branch advertising the default route".into(), branch));
    // One site behind a VNet gateway and a hub's VPN gateway: a local network gateway and a
    // vpnSite of the same name, read back as one site with both connections.
    let mut both = (scenarios::by_name("hybrid-vpn").unwrap().build)();
    let site = both.onprem_sites[0].name.clone();
    let subscription = both.vnets[0].subscription.clone();
    both.virtual_wans.push(VirtualWan { name: "vwan-x".into(), subscription, resource_group: "rg-vwan-x".into() });
    both.virtual_hubs.push(VirtualHub {
        name: "vhub-x".into(),
        virtual_wan: "vwan-x".into(),
        region: "westeurope".into(),
        address_prefix: "10.250.0.0/23".parse().unwrap(),
        secured: false,
    });
    both.gateways.push(Gateway {
        name: "vpngw-vhub-x".into(),
        kind: GatewayKind::Vpn,
        vnet: None,
        hub: Some("vhub-x".into()),
    });
    both.site_connections.push(SiteConnection {
        name: "s2s-vhub-x".into(),
        gateway: "vpngw-vhub-x".into(),
        site,
        advertises_default_route: false,
    });
    assert!(validate(&both).is_empty(), "{:?}", validate(&both));
    out.push(("hybrid-vpn with its site also behind a Virtual WAN hub".into(), both));
    // The jump box with a public IP as a scale set: its instances' public IP is the NIC
    // configuration's `publicIPAddressConfiguration`, no resource of its own.
    let mut scale_set = (scenarios::by_name("broken-public-ip").unwrap().build)();
    for vm in scale_set.vms.iter_mut().filter(|vm| vm.nic.public_ip.is_some()) {
        vm.scale_set = true;
    }
    assert!(validate(&scale_set).is_empty(), "{:?}", validate(&scale_set));
    out.push(("broken-public-ip with the jump box as a scale set".into(), scale_set));
    let params = synthetic::EstateParams { seed: 7, vnets: 24, vms: 120, bastions: 5, principals: 12, regions: 4 };
    out.push(("synthetic 24 VNets".into(), synthetic::generate(&params)));
    out
}

/// What the analysis shows a user: each (Bastion, target) verdict with its blocker, each
/// finding's rule and resource, each Bastion's SKU advice.
#[derive(Debug, PartialEq)]
struct Seen {
    verdicts: Vec<String>,
    findings: Vec<String>,
    sku: Vec<String>,
    /// Each (principal, VM) pair the RBAC analysis judges, through which Bastion, granted or not.
    rbac: Vec<String>,
    /// Each on-premises site with its prefixes, each site connection with its gateway.
    hybrid: Vec<String>,
}

fn seen(design: &Design) -> Seen {
    // A design's lists are sets: the order of VMs and VNets (which the import takes from
    // the template) only changes which example a message names.
    let mut design = design.clone();
    design.vms.sort_by(|a, b| a.name.cmp(&b.name));
    design.vnets.sort_by(|a, b| a.name.cmp(&b.name));
    let design = &design;
    let analysis = engine::analyze(design);
    let mut verdicts = Vec::new();
    for (b, bastion) in design.bastions.iter().enumerate() {
        for (v, vm) in design.vms.iter().enumerate() {
            let verdict = analysis.blocker(b, Target::Vm(v)).map_or("reachable".to_string(), |r| r.to_string());
            verdicts.push(format!("{} -> {}: {verdict}", bastion.name, vm.name));
        }
        for (m, machine) in design.onprem_machines.iter().enumerate() {
            let verdict = analysis.blocker(b, Target::Machine(m)).map_or("reachable".to_string(), |r| r.to_string());
            verdicts.push(format!("{} -> {}: {verdict}", bastion.name, machine.name));
        }
    }
    verdicts.sort();
    let mut findings: Vec<String> = analysis.findings.iter().map(|f| format!("{} {}", f.id, f.resource)).collect();
    findings.sort();
    let mut sku: Vec<String> = analysis
        .sku
        .iter()
        .map(|s| {
            let reasons: Vec<String> = s.reasons.iter().map(|r| format!("{:?}: {}", r.needs, r.because)).collect();
            format!("{}: {:?} needs {:?} ({})", s.bastion, s.current, s.least, reasons.join("; "))
        })
        .collect();
    sku.sort();
    let mut rbac: Vec<String> = analysis
        .rbac
        .iter()
        .map(|r| {
            let (user, vm) = (&design.users[r.user as usize].name, &design.vms[r.vm as usize].name);
            format!("{user} -> {vm} via {}: granted {}", design.bastions[r.bastion as usize].name, r.granted)
        })
        .collect();
    rbac.sort();
    let mut hybrid: Vec<String> = design
        .onprem_sites
        .iter()
        .map(|s| format!("site {}: {:?}", s.name, s.address_prefixes.iter().map(|p| p.to_string()).collect::<Vec<_>>()))
        .chain(design.site_connections.iter().map(|c| {
            format!("connection {}: {} -> {} (default route {})", c.name, c.gateway, c.site, c.advertises_default_route)
        }))
        .collect();
    hybrid.sort();
    Seen { verdicts, findings, sku, rbac, hybrid }
}

/// The design as an ARM template can hold it: the facts the export lists as not exported
/// are taken out, each named (by the resource it belongs to) in `dropped`.
fn expressible(design: &Design, dropped: &mut Vec<String>) -> Design {
    let mut d = design.clone();
    for s in &d.subscriptions {
        if s.defender_for_servers_p2 || s.tenant != "contoso.onmicrosoft.com" {
            dropped.push(s.id.clone());
        }
    }
    // Subscriptions are deployment targets, not resources: the import lists none.
    d.subscriptions.clear();
    dropped.extend(d.management_groups.drain(..).map(|m| m.name));
    for v in &mut d.vnets {
        if std::mem::take(&mut v.route_server_default_route) {
            dropped.push(v.name.clone());
        }
    }
    dropped.extend(d.deleted_peerings.drain(..).map(|p| p.from));
    dropped.extend(d.onprem_machines.drain(..).map(|m| m.name));
    for w in &mut d.log_workspaces {
        if std::mem::take(&mut w.central) {
            dropped.push(w.name.clone());
        }
    }
    let in_hub: Vec<String> = d.bastions.iter().filter(|b| b.virtual_hub.is_some()).map(|b| b.name.clone()).collect();
    d.bastions.retain(|b| b.virtual_hub.is_none());
    dropped.extend(in_hub);
    for b in &mut d.bastions {
        let planning = b.expected_rdp_sessions.take().is_some() | b.expected_ssh_sessions.take().is_some();
        if planning || std::mem::take(&mut b.outbound_data_gb) > 0.0 || !b.deployed {
            dropped.push(b.name.clone());
        }
        b.deployed = true;
        if !b.sku.is_dedicated() || b.sku == BastionSku::Basic {
            if b.scale_units != 2 {
                dropped.push(b.name.clone());
            }
            b.scale_units = 2;
        }
    }
    d.prices = None;
    // A scale set's public IP takes the allocation of its SKU and no zones of its own.
    let of_scale_sets: Vec<String> =
        d.vms.iter().filter(|vm| vm.scale_set).filter_map(|vm| vm.nic.public_ip.clone()).collect();
    for pip in d.public_ips.iter_mut().filter(|p| of_scale_sets.contains(&p.name)) {
        let allocation = if pip.sku == PublicIpSku::Standard { IpAllocation::Static } else { IpAllocation::Dynamic };
        let moved = std::mem::replace(&mut pip.allocation, allocation) != allocation;
        if moved | !std::mem::take(&mut pip.zones).is_empty() {
            dropped.push(pip.name.clone());
        }
    }
    for vm in &mut d.vms {
        let before = vm.clone();
        vm.jit_policy = false;
        vm.firewall_manager_protected = false;
        vm.azure_firewall_protected = false;
        vm.port = None;
        vm.sign_in = match (&vm.sign_in, vm.os) {
            (SignIn::SshKey | SignIn::SshKeyInKeyVault { .. }, Os::Linux) => SignIn::SshKey,
            _ => SignIn::Password,
        };
        if *vm != before {
            dropped.push(vm.name.clone());
        }
    }
    // A hub VPN gateway's connections are vpnConnections to vpnSites; a branch advertising
    // 0.0.0.0/0 to the hub does so over BGP, which no template holds.
    let hub_gateways: Vec<String> = d.gateways.iter().filter(|g| g.hub.is_some()).map(|g| g.name.clone()).collect();
    for c in d.site_connections.iter_mut().filter(|c| hub_gateways.contains(&c.gateway)) {
        if std::mem::take(&mut c.advertises_default_route) {
            dropped.push(c.name.clone());
        }
    }
    let express_route: Vec<String> =
        d.gateways.iter().filter(|g| g.kind == GatewayKind::ExpressRoute).map(|g| g.name.clone()).collect();
    let (kept, gone): (Vec<SiteConnection>, Vec<SiteConnection>) =
        d.site_connections.drain(..).partition(|c| !express_route.contains(&c.gateway));
    d.site_connections = kept;
    dropped.extend(gone.into_iter().map(|c| c.name));
    for g in &mut d.groups {
        if !std::mem::take(&mut g.members).is_empty() {
            dropped.push(g.name.clone());
        }
    }
    d
}

fn round_trip(name: &str, design: &Design) -> (ArmExport, Design) {
    let export = arm_template(design);
    let imported =
        import_text(&export.template).unwrap_or_else(|err| panic!("{name}: the export does not import: {err}"));
    (export, imported.file.design)
}

fn first_difference(a: &[String], b: &[String]) -> String {
    let only_a: Vec<&String> = a.iter().filter(|it| !b.contains(it)).take(5).collect();
    let only_b: Vec<&String> = b.iter().filter(|it| !a.contains(it)).take(5).collect();
    format!("only in the original: {only_a:#?}\nonly after the round trip: {only_b:#?}")
}

#[test]
fn every_design_survives_the_round_trip_with_the_same_verdicts_findings_and_sku_advice() {
    let mut failures = Vec::new();
    for (name, design) in designs() {
        let mut dropped = Vec::new();
        let expected_design = expressible(&design, &mut dropped);
        assert!(validate(&expected_design).is_empty(), "{name}: the expressible design does not validate");
        let (_, imported) = round_trip(&name, &design);
        let (expected, actual) = (seen(&expected_design), seen(&imported));
        if name.contains("secured hub") {
            assert!(expected.findings.iter().any(|f| f.starts_with("B-HEALTH-6 ")), "{name} exercises B-HEALTH-6");
        }
        for (what, a, b) in [
            ("verdicts", &expected.verdicts, &actual.verdicts),
            ("findings", &expected.findings, &actual.findings),
            ("SKU advice", &expected.sku, &actual.sku),
            ("RBAC", &expected.rbac, &actual.rbac),
            ("sites and site connections", &expected.hybrid, &actual.hybrid),
        ] {
            if a != b {
                failures.push(format!("{name}: {what} differ\n{}", first_difference(a, b)));
            }
        }
    }
    assert!(failures.is_empty(), "{} design(s) changed in the round trip:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn what_the_template_cannot_hold_is_listed_as_not_exported_by_name() {
    for (name, design) in designs() {
        let mut dropped = Vec::new();
        let _ = expressible(&design, &mut dropped);
        let export = arm_template(&design);
        for item in dropped {
            assert!(
                export.not_exported.iter().any(|n| n.what.contains(&format!("'{item}'"))),
                "{name}: '{item}' loses a fact in the export but the not-exported list does not name it:\n{:#?}",
                export.not_exported
            );
        }
    }
}

#[test]
fn the_export_is_deterministic() {
    for (name, design) in designs().into_iter().take(6) {
        assert_eq!(arm_template(&design), arm_template(&design), "{name}");
    }
}

fn template(design: &Design) -> Value {
    serde_json::from_str(&arm_template(design).template).expect("the template is JSON")
}

/// Every resource of a template, nested deployments' included, with the resource group
/// its deployment targets.
fn resources(template: &Value) -> Vec<(String, Value)> {
    fn walk(t: &Value, rg: &str, out: &mut Vec<(String, Value)>) {
        for r in t["resources"].as_array().into_iter().flatten() {
            if r["type"] == "Microsoft.Resources/deployments" {
                let inner_rg = r["resourceGroup"].as_str().unwrap_or(rg);
                walk(&r["properties"]["template"], inner_rg, out);
            } else {
                out.push((rg.to_string(), r.clone()));
            }
        }
    }
    let mut out = Vec::new();
    walk(template, "", &mut out);
    out
}

fn of_type<'a>(all: &'a [(String, Value)], rtype: &str) -> Vec<&'a Value> {
    all.iter().filter(|(_, r)| r["type"] == rtype).map(|(_, r)| r).collect()
}

#[test]
fn one_subscription_gives_a_subscription_template_with_resource_groups_and_inner_deployments() {
    let design = (scenarios::by_name("peering-hub-spoke").unwrap().build)();
    let subs: std::collections::BTreeSet<&str> = design.vnets.iter().map(|v| v.subscription.as_str()).collect();
    assert_eq!(subs.len(), 1);
    let t = template(&design);
    let all = resources(&t);
    assert!(t["$schema"].as_str().unwrap().contains("subscriptionDeploymentTemplate"));
    // The nested deployments target the subscription deployed to, where the resource groups
    // are created: `az deployment sub create` needs no subscription id.
    let sub_param = format!("subscriptionId_{}", subs.first().unwrap().replace('-', "_"));
    assert_eq!(t["parameters"][&sub_param]["defaultValue"], "[subscription().subscriptionId]", "{sub_param}");
    let groups: Vec<&str> =
        of_type(&all, "Microsoft.Resources/resourceGroups").iter().filter_map(|r| r["name"].as_str()).collect();
    for v in &design.vnets {
        assert!(groups.contains(&v.resource_group.as_str()), "resource group {} is created", v.resource_group);
    }
    fn deployments(t: &Value, out: &mut Vec<Value>) {
        for r in t["resources"].as_array().into_iter().flatten() {
            if r["type"] == "Microsoft.Resources/deployments" {
                out.push(r.clone());
                deployments(&r["properties"]["template"], out);
            }
        }
    }
    let mut list = Vec::new();
    deployments(&t, &mut list);
    assert!(!list.is_empty());
    for d in &list {
        assert_eq!(d["properties"]["expressionEvaluationOptions"]["scope"], "inner");
        assert!(d["subscriptionId"].as_str().unwrap().starts_with("[parameters('subscriptionId_"));
    }
}

#[test]
fn several_subscriptions_give_a_management_group_template_with_one_deployment_per_subscription() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    let subs: std::collections::BTreeSet<String> =
        design.vnets.iter().map(|v| v.subscription.to_ascii_lowercase()).collect();
    assert!(subs.len() > 1, "hub-spoke spans several subscriptions");
    let t = template(&design);
    assert!(t["$schema"].as_str().unwrap().contains("managementGroupDeploymentTemplate"));
    for r in t["resources"].as_array().unwrap() {
        assert_eq!(r["type"], "Microsoft.Resources/deployments");
        assert!(r["location"].is_string(), "a subscription deployment from a management group needs a location");
        let inner = &r["properties"]["template"]["$schema"];
        assert!(inner.as_str().unwrap().contains("subscriptionDeploymentTemplate"));
    }
    // dependsOn names only resources of its own template: the resource groups are created
    // by the first phase's subscription deployments, and later phases only follow them.
    for sub_deployment in t["resources"].as_array().unwrap() {
        let inner = &sub_deployment["properties"]["template"];
        let names: Vec<String> = inner["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap_or_default().to_string())
            .collect();
        for r in inner["resources"].as_array().unwrap() {
            for dep in r["dependsOn"].as_array().into_iter().flatten() {
                let dep = dep.as_str().unwrap();
                assert!(
                    names.iter().any(|n| dep == n || dep.contains(&format!("'{n}'"))),
                    "{} depends on {dep}, which its template does not declare",
                    r["name"]
                );
            }
        }
    }
    for sub in subs {
        let declared = t["parameters"].as_object().unwrap();
        assert!(
            declared.values().any(|p| p["defaultValue"].as_str().is_some_and(|v| v.eq_ignore_ascii_case(&sub))),
            "subscription {sub} has a parameter defaulting to its id"
        );
    }
}

#[test]
fn bastions_carry_their_sku_flags_public_ip_and_audit_logs() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    let all = resources(&template(&design));
    for b in &design.bastions {
        let host = of_type(&all, "Microsoft.Network/bastionHosts")
            .into_iter()
            .find(|r| r["name"] == b.name.as_str())
            .unwrap_or_else(|| panic!("Bastion {} is exported", b.name));
        assert_eq!(host["sku"]["name"], b.sku.name());
        assert_eq!(host["properties"]["enableTunneling"], b.features.native_client);
        assert_eq!(host["properties"]["enableIpConnect"], b.features.ip_connect);
        let subnet = host["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"].as_str().unwrap();
        assert!(subnet.contains("'AzureBastionSubnet'"), "{subnet}");
        if let Some(pip) = &b.public_ip {
            let id = host["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]["id"].as_str().unwrap();
            assert!(id.contains(&format!("'{pip}'")), "{id}");
        }
        if let Some(w) = &b.diagnostics_workspace {
            let setting = of_type(&all, "Microsoft.Insights/diagnosticSettings")
                .into_iter()
                .find(|r| r["scope"].as_str().is_some_and(|s| s.contains(&format!("'{}'", b.name))))
                .expect("the Bastion's diagnostic setting is exported");
            assert_eq!(setting["properties"]["logs"][0]["category"], "BastionAuditLogs");
            assert!(setting["properties"]["workspaceId"].as_str().unwrap().contains(&format!("'{w}'")));
        }
    }
}

#[test]
fn a_developer_bastion_names_its_vnet_and_has_no_ip_configuration() {
    let design = (scenarios::by_name("broken-developer-peering").unwrap().build)();
    let all = resources(&template(&design));
    let dev = of_type(&all, "Microsoft.Network/bastionHosts")
        .into_iter()
        .find(|r| r["sku"]["name"] == "Developer")
        .expect("a Developer Bastion");
    assert!(dev["properties"]["virtualNetwork"]["id"].is_string());
    assert!(dev["properties"].get("ipConfigurations").is_none());
}

#[test]
fn secrets_are_parameters_without_defaults_and_never_invented() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    let t = template(&design);
    let params = t["parameters"].as_object().unwrap();
    let secrets: Vec<(&String, &Value)> =
        params.iter().filter(|(n, _)| n.starts_with("adminPassword_") || n.starts_with("sshPublicKey_")).collect();
    assert!(!secrets.is_empty());
    for (name, decl) in secrets {
        assert_eq!(decl["type"], "securestring", "{name}");
        assert!(decl.get("defaultValue").is_none(), "{name} has no default");
    }
    for vm in design.vms.iter().filter(|vm| !vm.scale_set) {
        let all = resources(&t);
        let r = of_type(&all, "Microsoft.Compute/virtualMachines")
            .into_iter()
            .find(|r| r["name"] == vm.name.as_str())
            .unwrap()
            .clone();
        let os = &r["properties"]["osProfile"];
        let by_key = os["linuxConfiguration"]["disablePasswordAuthentication"] == true;
        assert_eq!(
            by_key,
            vm.os == Os::Linux && matches!(vm.sign_in, SignIn::SshKey | SignIn::SshKeyInKeyVault { .. }),
            "{}",
            vm.name
        );
        if !by_key {
            assert!(os["adminPassword"].as_str().unwrap().starts_with("[parameters('adminPassword_"));
        }
    }
}

/// The role assignments as Azure reads them: built-in role ids, scopes, and one
/// `principalId_<name>` parameter per principal whose `principalName`/`principalType`
/// metadata the importer reads back (the round trip above compares the RBAC verdicts).
#[test]
fn role_assignments_use_built_in_role_ids_at_their_scope_with_one_parameter_per_principal() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    let t = template(&design);
    let all = resources(&t);
    let assignments = of_type(&all, "Microsoft.Authorization/roleAssignments");
    let exported_here = design.role_assignments.iter().filter(|a| a.scope.starts_with("/subscriptions/")).count();
    assert_eq!(assignments.len(), exported_here, "one assignment per subscription-or-below assignment of the design");
    for a in design.role_assignments.iter().filter(|a| a.scope.starts_with("/subscriptions/")) {
        let guid = engine::rbac::role_definition_id(a.role);
        let param = format!(
            "principalId_{}",
            a.principal.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>()
        );
        let found = assignments.iter().any(|r| {
            r["properties"]["roleDefinitionId"].as_str().is_some_and(|id| id.contains(guid))
                && r["properties"]["principalId"] == format!("[parameters('{param}')]").as_str()
        });
        assert!(found, "{} {} at {} is exported", a.principal, a.role.name(), a.scope);
        let decl = &t["parameters"][&param];
        assert_eq!(decl["type"], "string");
        assert!(decl.get("defaultValue").is_none());
        assert_eq!(decl["metadata"]["principalName"], a.principal.as_str());
        let kind = if design.groups.iter().any(|g| g.name == a.principal) { "Group" } else { "User" };
        assert_eq!(decl["metadata"]["principalType"], kind);
        assert!(decl["metadata"]["description"].as_str().unwrap().contains(&format!("'{}'", a.principal)));
    }
    for r in &assignments {
        assert!(r["properties"]["principalType"] == "User" || r["properties"]["principalType"] == "Group");
    }
    // Reader on a VNet is an extension resource scoped to that VNet.
    let vnet_scoped = assignments
        .iter()
        .filter(|r| r["scope"].as_str().is_some_and(|s| s.contains("Microsoft.Network/virtualNetworks")))
        .count();
    let expected = design.role_assignments.iter().filter(|a| a.scope.contains("/virtualNetworks/")).count();
    assert_eq!(vnet_scoped, expected);
}

#[test]
fn every_peering_link_is_one_child_resource_with_its_four_flags() {
    let design = (scenarios::by_name("broken-disconnected-peering").unwrap().build)();
    let all = resources(&template(&design));
    let links = of_type(&all, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings");
    assert_eq!(links.len(), design.peerings.len(), "a Disconnected link is still one link");
    for p in &design.peerings {
        let r = links.iter().find(|r| r["name"] == format!("{}/{}", p.from, p.name).as_str()).expect("the link");
        assert_eq!(r["properties"]["allowVirtualNetworkAccess"], p.allow_virtual_network_access);
        assert_eq!(r["properties"]["allowForwardedTraffic"], p.allow_forwarded_traffic);
        assert_eq!(r["properties"]["allowGatewayTransit"], p.allow_gateway_transit);
        assert_eq!(r["properties"]["useRemoteGateways"], p.use_remote_gateways);
    }
}

#[test]
fn an_empty_design_exports_an_empty_template_that_imports() {
    let export = arm_template(&Design::default());
    let t: Value = serde_json::from_str(&export.template).unwrap();
    assert!(t["resources"].as_array().unwrap().is_empty());
    assert!(import_text(&export.template).is_ok());
}

/// A site behind a Virtual WAN hub's VPN gateway: a `vpnSite` of the hub's Virtual WAN with
/// one link whose device address is a parameter, and a `vpnConnections` child of the hub's
/// VPN gateway (after it) whose shared key is a secure parameter — not a lost connection.
#[test]
fn a_site_behind_a_hub_vpn_gateway_is_a_vpn_site_with_a_vpn_connection() {
    let design = (scenarios::by_name("vwan-central").unwrap().build)();
    let conn = design.site_connections.iter().find(|c| c.gateway == "vpngw-vhub-weu").expect("a hub site connection");
    let export = arm_template(&design);
    assert!(
        !export.not_exported.iter().any(|n| n.what.contains(&format!("'{}'", conn.name))),
        "{:#?}",
        export.not_exported
    );
    let t: Value = serde_json::from_str(&export.template).unwrap();
    let all = resources(&t);
    assert!(
        of_type(&all, "Microsoft.Network/localNetworkGateways").is_empty(),
        "a hub site is no local network gateway"
    );
    let (rg, site) = all
        .iter()
        .find(|(_, r)| r["type"] == "Microsoft.Network/vpnSites" && r["name"] == conn.site.as_str())
        .expect("the site is a vpnSite");
    assert_eq!(rg, "rg-connectivity-weu", "in the Virtual WAN's resource group");
    assert!(site["properties"]["virtualWan"]["id"].as_str().unwrap().contains("'vwan-contoso'"));
    assert_eq!(site["properties"]["addressSpace"]["addressPrefixes"], serde_json::json!(["192.168.0.0/20"]));
    let links = site["properties"]["vpnSiteLinks"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    let param = "gatewayIpAddress_site_hq_london";
    assert_eq!(links[0]["properties"]["ipAddress"], format!("[parameters('{param}')]").as_str());
    assert_eq!(t["parameters"][param]["type"], "string");
    assert!(t["parameters"][param].get("defaultValue").is_none());
    let c = of_type(&all, "Microsoft.Network/vpnGateways/vpnConnections")
        .into_iter()
        .find(|r| r["name"] == format!("vpngw-vhub-weu/{}", conn.name).as_str())
        .expect("the connection is a vpnConnection of the hub gateway");
    assert!(c["dependsOn"][0].as_str().unwrap().contains("'Microsoft.Network/vpnGateways', 'vpngw-vhub-weu'"));
    assert!(c["properties"]["remoteVpnSite"]["id"].as_str().unwrap().contains("'site-hq-london'"));
    let link = &c["properties"]["vpnLinkConnections"][0]["properties"];
    assert!(link["vpnSiteLink"]["id"]
        .as_str()
        .unwrap()
        .contains("'Microsoft.Network/vpnSites/vpnSiteLinks', 'site-hq-london'"));
    let key = format!("sharedKey_{}", conn.name.replace('-', "_"));
    assert_eq!(link["sharedKey"], format!("[parameters('{key}')]").as_str());
    assert_eq!(t["parameters"][&key]["type"], "securestring");
    // The site goes with the base resources, the connection with the gateways.
    fn deployment_of(t: &Value, rtype: &str, within: &str) -> Option<String> {
        for r in t["resources"].as_array().into_iter().flatten() {
            if r["type"] == "Microsoft.Resources/deployments" {
                let name = r["name"].as_str().unwrap_or_default().to_string();
                if let Some(found) = deployment_of(&r["properties"]["template"], rtype, &name) {
                    return Some(found);
                }
            } else if r["type"] == rtype {
                return Some(within.to_string());
            }
        }
        None
    }
    let site_phase = deployment_of(&t, "Microsoft.Network/vpnSites", "").unwrap();
    let conn_phase = deployment_of(&t, "Microsoft.Network/vpnGateways/vpnConnections", "").unwrap();
    assert!(site_phase.starts_with("base-"), "{site_phase}");
    assert!(conn_phase.starts_with("gateways-"), "{conn_phase}");
}

#[test]
fn a_site_behind_both_a_vnet_gateway_and_a_hub_gateway_is_written_twice_and_read_once() {
    let (name, design) =
        designs().into_iter().find(|(n, _)| n.contains("also behind a Virtual WAN hub")).expect("the variant");
    let export = arm_template(&design);
    let t: Value = serde_json::from_str(&export.template).unwrap();
    let all = resources(&t);
    let site = &design.onprem_sites[0].name;
    for rtype in ["Microsoft.Network/localNetworkGateways", "Microsoft.Network/vpnSites"] {
        assert_eq!(of_type(&all, rtype).iter().filter(|r| r["name"] == site.as_str()).count(), 1, "{name}: {rtype}");
    }
    let imported = import_text(&export.template).unwrap();
    assert_eq!(imported.file.design.onprem_sites.len(), design.onprem_sites.len());
    assert!(!imported.skipped.iter().any(|s| s.what.contains("vpnSites")), "{:#?}", imported.skipped);
    assert_eq!(imported.file.design.site_connections.len(), design.site_connections.len());
}
