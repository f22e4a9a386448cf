//! The importer on real data: every ARM template and live JSON file of the shared corpus
//! (../shared/corpus/) imports without error into a valid design, and a few give the
//! verdicts Azure would.

use bastion_sim::engine::{analyze, Index, RuleId, Target, Verdict};
use bastion_sim::io::import::{import_template, import_text, Imported, SourceKind};
use bastion_sim::model::{
    AccessPolicy, BastionSku, IpAllocation, KeyVaultPermissionModel, Os, PeeringState, PublicIpSku, Role, SignIn,
};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The parameters file beside a template (`x.json` → `x.parameters.json`), if any.
fn parameters_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".json")?;
    let beside = path.with_file_name(format!("{stem}.parameters.json"));
    beside.exists().then_some(beside)
}

fn import(rel: &str) -> Imported {
    let path = corpus().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let params = parameters_of(&path).map(|p| std::fs::read_to_string(p).unwrap());
    import_template(&text, params.as_deref()).unwrap_or_else(|err| panic!("{rel}: {err}"))
}

#[test]
fn every_corpus_file_imports_into_a_valid_design() {
    let mut all = Vec::new();
    files(&corpus().join("arm"), &mut all);
    files(&corpus().join("live"), &mut all);
    assert!(all.len() >= 30, "corpus not found at {}", corpus().display());
    for path in all {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.contains(".parameters") {
            continue;
        }
        let rel = path.strip_prefix(corpus()).unwrap().to_str().unwrap().to_string();
        let imported = import(&rel);
        let d = &imported.file.design;
        assert!(bastion_sim::model::validate(d).is_empty(), "{rel}");
        let expected = if rel.starts_with("live") { SourceKind::LiveJson } else { SourceKind::ArmTemplate };
        assert_eq!(imported.source, expected, "{rel}");
        println!(
            "{rel}: vnets {} peerings {} bastions {} vms {} nsgs {} gateways {} sites {} hubs {} / skipped {}",
            d.vnets.len(),
            d.peerings.len(),
            d.bastions.len(),
            d.vms.len(),
            d.nsgs.len(),
            d.gateways.len(),
            d.onprem_sites.len(),
            d.virtual_hubs.len(),
            imported.skipped.len()
        );
        for s in &imported.skipped {
            println!("    {s}");
        }
        let _ = analyze(d);
    }
}

fn has_finding(imported: &Imported, rule: &str, resource: &str) -> bool {
    analyze(&imported.file.design).findings.iter().any(|f| f.id.as_str() == rule && f.resource == resource)
}

#[test]
fn hub_spoke_quickstart_basic_bastion_in_the_hub_reaches_the_spoke_vm() {
    let imported = import("arm/qs-bastion-hub-spoke-vnet.azuredeploy.json");
    let d = &imported.file.design;
    assert_eq!(d.vnets.len(), 2);
    assert_eq!(d.peerings.len(), 2);
    let bastion = &d.bastions[0];
    assert_eq!(
        (bastion.name.as_str(), bastion.vnet.as_str(), bastion.sku),
        ("bastion1", "vnet-hub", BastionSku::Basic)
    );
    assert_eq!(bastion.public_ip.as_deref(), Some("bastion1-pip"));
    assert_eq!(d.vms.len(), 1);
    let vm = &d.vms[0];
    assert_eq!((vm.name.as_str(), vm.os, vm.nic.vnet.as_str()), ("vm1", Os::Linux, "vnet-spoke"));
    assert_eq!(vm.nic.private_ip.to_string(), "10.1.0.4", "the first free address of Subnet-1");
    assert_eq!(vm.sign_in, SignIn::Password);
    let analysis = analyze(d);
    assert_eq!(analysis.verdict(0, Target::Vm(0)), Verdict::Reachable, "{:?}", analysis.blocker(0, Target::Vm(0)));
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
}

#[test]
fn developer_bastion_reaches_its_vm_in_the_same_vnet() {
    let imported = import("arm/qs-nat-gateway-1-vm-developer-bastion.azuredeploy.json");
    let d = &imported.file.design;
    assert_eq!(d.bastions.len(), 1);
    assert_eq!(d.bastions[0].sku, BastionSku::Developer);
    assert_eq!(d.bastions[0].public_ip, None);
    assert_eq!(d.vms.len(), 1);
    assert_eq!(d.vms[0].nic.vnet, d.bastions[0].vnet);
    assert_eq!(d.vms[0].sign_in, SignIn::SshKey);
    let analysis = analyze(d);
    assert_eq!(analysis.verdict(0, Target::Vm(0)), Verdict::Reachable, "{:?}", analysis.blocker(0, Target::Vm(0)));
    assert!(imported.skipped.iter().any(|s| s.what.contains("natGateways")));
}

#[test]
fn the_bastion_nsg_quickstart_satisfies_the_eight_rules() {
    let imported = import("arm/qs-azure-bastion-nsg.azuredeploy.json");
    let d = &imported.file.design;
    assert_eq!(d.bastions.len(), 1);
    let vnet = d.vnet(&d.bastions[0].vnet).unwrap();
    let subnet = vnet.subnet("AzureBastionSubnet").unwrap();
    let nsg = d.nsg(subnet.nsg.as_deref().unwrap()).unwrap();
    assert!(nsg.rules.len() >= 8, "{:?}", nsg.rules);
    assert!(!has_finding(&imported, "B-HEALTH-4", &d.bastions[0].name), "{:?}", analyze(d).findings);
}

#[test]
fn firewall_hub_spoke_lists_the_firewall_as_skipped() {
    let imported = import("arm/qs-nat-gateway-hub-spoke-firewall.azuredeploy.json");
    let d = &imported.file.design;
    assert_eq!((d.vnets.len(), d.peerings.len(), d.bastions.len(), d.vms.len()), (2, 2, 1, 1));
    assert!(d.peerings.iter().all(|p| p.allow_forwarded_traffic));
    assert!(imported
        .skipped
        .iter()
        .any(|s| s.what.starts_with("Microsoft.Network/azureFirewalls") && s.why.contains("Firewall")));
    // The parameters file names a parameter the template does not declare (SOURCES.md).
    assert!(imported.skipped.iter().any(|s| s.path.contains("adminPasswordOrKey")));
    // The spoke's default route to the firewall is there; its next hop address is not
    // known before deployment and is reported.
    assert!(d.route_tables.iter().any(|rt| rt.routes.iter().any(|r| r.prefix.to_string() == "0.0.0.0/0")));
    assert!(imported.skipped.iter().any(|s| s.path.ends_with("nextHopIpAddress") && s.why.contains("reference()")));
}

#[test]
fn live_private_only_premium_bastion() {
    let imported = import("live/rest-spec-2024-05-01.BastionHostGetWithPrivateOnly.json");
    let b = &imported.file.design.bastions[0];
    assert_eq!(b.sku, BastionSku::Premium);
    assert!(b.features.private_only);
    assert_eq!(b.public_ip, None);
    assert_eq!(b.vnet, "vnet2");
    assert!(imported.file.design.description.contains("stands in"));
}

#[test]
fn live_peering_is_initiated_when_the_remote_side_is_absent() {
    let imported = import("live/rest-spec-2024-05-01.VirtualNetworkPeeringGet.json");
    let d = &imported.file.design;
    assert_eq!(d.peerings.len(), 1);
    let link = &d.peerings[0];
    assert_eq!((link.from.as_str(), link.to.as_str()), ("vnet1", "vnet2"));
    assert!(link.allow_forwarded_traffic);
    let remote = d.vnet("vnet2").unwrap();
    assert_eq!(remote.address_prefixes[0].to_string(), "12.0.0.0/8", "the remote address space the link reports");
    let index = Index::new(d);
    let (a, b) = (
        d.vnets.iter().position(|v| v.name == "vnet1").unwrap(),
        d.vnets.iter().position(|v| v.name == "vnet2").unwrap(),
    );
    assert_eq!(index.peering_state(a, b), Some(PeeringState::Initiated));
}

#[test]
fn live_lists_and_single_objects_are_read() {
    let imported = import("live/rest-spec-2023-09-01.VirtualNetworkPeeringList.json");
    let names: Vec<&str> = imported.file.design.peerings.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["peer", "peer2"], "names from the ids, which other resources link to");
    let vnets = import("live/rest-spec-2024-05-01.VirtualNetworkListAll.json");
    let d = &vnets.file.design;
    assert_eq!(d.vnets.len(), 2);
    assert_eq!((d.vnets[1].resource_group.as_str(), d.vnets[1].subscription.as_str()), ("rg2", "subid"));
    let developer = import("live/rest-spec-2024-05-01.BastionHostDeveloperGet.json");
    assert_eq!(developer.file.design.bastions[0].sku, BastionSku::Developer);
    let nic = import("live/rest-spec-2024-05-01.NetworkInterfaceGet.json");
    assert!(nic.skipped.iter().any(|s| s.what.contains("test-nic") && s.why.contains("vm1")));
}

#[test]
fn copy_loops_scale_sets_and_gateways() {
    let lb = import("arm/qs-load-balancer-standard-create.azuredeploy.json");
    let d = &lb.file.design;
    assert_eq!(d.vms.len(), 3, "three VMs from a copy loop");
    assert!(d.vms.iter().all(|vm| vm.os == Os::Windows));
    let ips: std::collections::BTreeSet<String> = d.vms.iter().map(|v| v.nic.private_ip.to_string()).collect();
    assert_eq!(ips.len(), 3, "distinct dynamic addresses");
    assert!(d.bastions[0].public_ip.is_some(), "a bare-name public IP id resolves");
    let hybrid = import("arm/mspnp-secure-hybrid-network/nestedtemplates/azure-network-azuredeploy.json");
    let d = &hybrid.file.design;
    assert!(d.vms.iter().any(|vm| vm.scale_set && vm.os == Os::Windows));
    assert_eq!(d.gateways.len(), 1);
    assert!(d.peerings.iter().any(|p| p.use_remote_gateways));
    let alz = import("arm/alz-bicep-hubNetworking.json");
    let d = &alz.file.design;
    assert_eq!(d.gateways.len(), 2, "VPN and ExpressRoute gateways from a copy loop");
    assert_eq!(d.bastions[0].sku, BastionSku::Standard);
}

/// Import never panics: truncated and mutated corpus files give a design or an error.
#[test]
fn truncated_and_mutated_inputs_never_panic() {
    let mut all = Vec::new();
    files(&corpus().join("arm"), &mut all);
    files(&corpus().join("live"), &mut all);
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for cut in [1, 7, 3, 2].map(|k| chars.len() * k / 8) {
            let truncated: String = chars[..cut].iter().collect();
            let _ = import_text(&truncated);
        }
        // Mutations: flip expression brackets, break names and numbers.
        for (from, to) in [("[", "]"), ("'", ""), ("(", ""), ("\"", "'"), ("0", "9"), ("/", ""), (",", ",,")] {
            let mutated = text.replacen(from, to, 40);
            if let Ok(imported) = import_text(&mutated) {
                assert!(bastion_sim::model::validate(&imported.file.design).is_empty());
            }
        }
    }
}

/// What a person reads off an analysis: each pair's verdict and blocker, and the finding
/// ids, without the names (the importer names things as the template does; the hand
/// translations of tests/corpus_cases/ use the template's default names too, but a
/// `uniqueString()` suffix is written there as a placeholder).
fn outline(design: &bastion_sim::model::Design) -> (Vec<(Verdict, Option<String>)>, Vec<String>) {
    let analysis = analyze(design);
    let mut pairs: Vec<(Verdict, Option<String>)> = analysis
        .pairs()
        .map(|(_, _, blocker)| {
            (if blocker.is_none() { Verdict::Reachable } else { Verdict::Blocked }, blocker.map(|b| b.as_str().into()))
        })
        .collect();
    pairs.sort_by_key(|it| format!("{it:?}"));
    let mut findings: Vec<String> = analysis.findings.iter().map(|f| f.id.as_str().to_string()).collect();
    findings.sort();
    (pairs, findings)
}

#[test]
fn the_importer_and_the_hand_translations_of_the_corpus_agree() {
    // Two independent readings of the same templates: the importer's, with each parameter's
    // default, and the hand-written design files of tests/corpus_cases/ (docs/corpus-cases.md),
    // for the cases whose hand translation also keeps every default.
    for (template, case) in [
        ("arm/qs-bastion-hub-spoke-vnet.azuredeploy.json", "qs-bastion-hub-spoke-vnet"),
        ("arm/qs-azure-bastion-nsg.azuredeploy.json", "qs-azure-bastion-nsg"),
        ("arm/qs-nat-gateway-hub-spoke-firewall.azuredeploy.json", "qs-nat-gateway-hub-spoke-firewall"),
        ("arm/qs-load-balancer-standard-create.azuredeploy.json", "qs-load-balancer-standard-create"),
        ("arm/qs-nat-gateway-1-vm-developer-bastion.azuredeploy.json", "qs-nat-gateway-1-vm-developer-bastion"),
        ("arm/mspnp-health-probes-portal-export.template.json", "mspnp-health-probes-portal-export"),
    ] {
        let imported = import(template);
        let by_hand = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_cases").join(format!("{case}.json")),
        )
        .unwrap();
        let by_hand = bastion_sim::model::load_design(&by_hand).unwrap_or_else(|err| panic!("{case}: {err}"));
        let (imported, by_hand) = (outline(&imported.file.design), outline(&by_hand.design));
        assert!(!imported.0.is_empty() || case == "qs-azure-bastion-nsg", "{case}: no pairs");
        assert_eq!(imported, by_hand, "{case}: the importer and the hand translation disagree");
    }
}

#[test]
fn a_bastions_diagnostic_setting_with_its_audit_logs_is_read_and_satisfies_caf_r6() {
    // mspnp hub-spoke: `to-hub-la` on the Bastion sends `allLogs` to the hub workspace; the
    // template also puts ten other settings of the same name on other resources.
    let imported = import("arm/mspnp-hub-spoke-firewall-bastion.azuredeploy.json");
    let design = &imported.file.design;
    let bastion = &design.bastions[0];
    assert_eq!(bastion.diagnostics_workspace.as_deref(), Some(design.log_workspaces[0].name.as_str()));
    let analysis = analyze(design);
    assert!(!analysis.findings.iter().any(|f| f.id.as_str() == "CAF-R6"), "{:#?}", analysis.findings);
    // The settings on the firewall, NSGs and VNets are listed as not read, each once.
    let others = imported.skipped.iter().filter(|it| it.what.starts_with("Microsoft.Insights/diagnosticSettings"));
    assert!(others.count() >= 9);
}

#[test]
fn an_input_that_maps_to_nothing_is_read_but_shows_nothing() {
    // Every resource of this connectivity template sits behind a condition that defaults to
    // No: it imports without error, and the page keeps the current design rather than open
    // an empty one.
    let nothing = import("arm/eslz-subscriptionTemplates/hubspoke-connectivity.json");
    assert!(nothing.shows_nothing(), "{:#?}", nothing.file.design);
    assert!(!nothing.skipped.is_empty());
    let empty = import_text(
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#,
    )
    .expect("an empty template is read");
    assert!(empty.shows_nothing());
    assert!(!import("arm/qs-bastion-hub-spoke-vnet.azuredeploy.json").shows_nothing());
}

fn template(text: &str) -> Imported {
    import_template(text, None).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn a_nullable_parameter_without_a_value_is_null_not_unknown() {
    // languageVersion 2.0 (AVM modules): optional object and array parameters are
    // `nullable`, directly or through a `$ref` to a nullable definition, and have no
    // default; ARM gives them null, and `coalesce(parameters('x'), [])` is then known.
    let imported = template(
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0", "contentVersion": "1.0.0.0",
  "definitions": { "rulesType": { "type": "array", "items": { "type": "object" }, "nullable": true } },
  "parameters": {
    "securityRules": { "$ref": "#/definitions/rulesType" },
    "tags": { "type": "object", "nullable": true }
  },
  "resources": {
    "nsg": {
      "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-11-01", "name": "nsg-a",
      "tags": "[parameters('tags')]",
      "properties": { "copy": [ { "name": "securityRules",
        "count": "[length(coalesce(parameters('securityRules'), createArray()))]",
        "input": { "name": "[coalesce(parameters('securityRules'), createArray())[copyIndex('securityRules')].name]" } } ] }
    },
    "diag": {
      "copy": { "name": "diag", "count": "[length(coalesce(parameters('securityRules'), createArray()))]" },
      "type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview",
      "scope": "Microsoft.Network/networkSecurityGroups/nsg-a", "name": "[format('d{0}', copyIndex())]", "properties": {}
    }
  }
}"##,
    );
    assert_eq!(imported.file.design.nsgs.len(), 1);
    assert!(imported.file.design.nsgs[0].rules.is_empty());
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
}

#[test]
fn template_keywords_and_property_names_are_read_without_case() {
    // ARM reads `defaultvalue`, `apiversion`, `dependson`, `resourcegroup`,
    // `expressionevaluationoptions` and resource property names without case; a
    // deployIfNotExists policy's template is written all in lower case.
    let imported = template(
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
  "contentversion": "1.0.0.0",
  "parameters": {
    "ipam": { "type": "array", "defaultvalue": [ { "name": "spoke",
      "virtualnetworks": { "properties": { "addressspace": { "addressprefixes": ["10.51.217.0/24"] },
        "subnets": [ { "name": "vms", "properties": { "addressprefix": "10.51.217.0/26" } } ] } },
      "networksecuritygroups": { "properties": { "securityrules": [ { "name": "ssh", "properties": {
        "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100,
        "sourceaddressprefix": "10.0.0.0/8", "destinationaddressprefix": "*", "destinationportrange": "22" } } ] } } } ] }
  },
  "variables": { "rgname": "net-rg" },
  "resources": [ {
    "type": "Microsoft.Resources/deployments", "apiversion": "2018-05-01", "name": "inner",
    "resourcegroup": "[variables('rgName')]",
    "copy": { "name": "loop", "count": "[length(parameters('ipam'))]" },
    "properties": { "mode": "Incremental",
      "expressionevaluationoptions": { "scope": "inner" },
      "parameters": { "spec": { "value": "[parameters('ipam')[copyIndex()]]" } },
      "template": { "contentversion": "1.0.0.0",
        "parameters": { "spec": { "type": "object" }, "suffix": { "type": "string", "defaultvalue": "-vnet" } },
        "resources": [
          { "type": "Microsoft.Network/networkSecurityGroups", "apiversion": "2019-11-01", "name": "nsg",
            "properties": "[parameters('spec').networkSecurityGroups.properties]" },
          { "type": "Microsoft.Network/virtualNetworks", "apiversion": "2020-04-01",
            "name": "[concat(parameters('spec').name, parameters('suffix'))]", "dependson": ["nsg"],
            "properties": "[parameters('spec').virtualNetworks.properties]" } ] } } } ]
}"##,
    );
    let d = &imported.file.design;
    assert_eq!(d.vnets.len(), 1, "{:#?}", imported.skipped);
    assert_eq!((d.vnets[0].name.as_str(), d.vnets[0].resource_group.as_str()), ("spoke-vnet", "net-rg"));
    assert_eq!(d.vnets[0].subnets[0].prefix.to_string(), "10.51.217.0/26");
    assert_eq!(d.nsgs[0].rules.len(), 1, "{:#?}", imported.skipped);
    assert_eq!(d.nsgs[0].rules[0].destination_ports.len(), 1);
}

#[test]
fn user_defined_functions_are_evaluated() {
    // ARM's `functions` (namespace.member) and Bicep's compiled `func` (`__bicep.member`,
    // which may call another); inside, `parameters()` are the function's own.
    let imported = template(
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0", "contentVersion": "1.0.0.0",
  "functions": [
    { "namespace": "contoso", "members": { "name": {
        "parameters": [ { "name": "kind", "type": "string" }, { "name": "env", "type": "string" } ],
        "output": { "type": "string", "value": "[format('{0}-{1}', parameters('kind'), parameters('env'))]" } } } },
    { "namespace": "__bicep", "members": {
        "prefix": { "parameters": [ { "name": "i", "type": "int" } ],
          "output": { "type": "string", "value": "[format('10.{0}.0.0/16', parameters('i'))]" } },
        "space": { "parameters": [ { "name": "i", "type": "int" } ],
          "output": { "type": "object", "value": { "addressPrefixes": [ "[__bicep.prefix(parameters('i'))]" ] } } } } }
  ],
  "parameters": { "env": { "type": "string", "defaultValue": "prod" } },
  "resources": {
    "vnet": { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
      "name": "[contoso.name('vnet', parameters('env'))]",
      "properties": { "addressSpace": "[__bicep.space(7)]" } }
  }
}"##,
    );
    let d = &imported.file.design;
    assert_eq!(d.vnets.len(), 1, "{:#?}", imported.skipped);
    assert_eq!(d.vnets[0].name, "vnet-prod");
    assert_eq!(d.vnets[0].address_prefixes[0].to_string(), "10.7.0.0/16");
}

#[test]
fn a_parameter_with_allowed_values_and_no_value_stands_in_as_its_first_allowed_value() {
    let imported = template(
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "bastionSku": { "type": "string", "allowedValues": ["Standard", "Premium"] },
    "scaleUnits": { "type": "int", "allowedValues": [3, 4] }
  },
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
        "subnets": [ { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.0.1.0/26" } } ] } },
    { "type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-09-01", "name": "bas",
      "sku": { "name": "[parameters('bastionSku')]" },
      "properties": { "scaleUnits": "[parameters('scaleUnits')]", "ipConfigurations": [ { "name": "ip", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureBastionSubnet')]" } } } ] } }
  ]
}"##,
    );
    let bastion = &imported.file.design.bastions[0];
    assert_eq!(bastion.sku, BastionSku::Standard);
    assert_eq!(bastion.scale_units, 3);
    assert!(imported.skipped.iter().any(|s| s.path == "parameters.bastionSku" && s.why.contains("\"Standard\"")));
    assert!(imported.skipped.iter().any(|s| s.path == "parameters.scaleUnits" && s.why.contains("allowed")));
}

#[test]
fn reference_to_a_resource_of_the_template_reads_the_properties_the_template_gives() {
    // mspnp hub-spoke: the spoke NSG allows 22/3389 from
    // `reference(resourceId(…subnets, hub, 'AzureBastionSubnet')).addressPrefix`. What the
    // template itself sets (a prefix) is what Azure returns; what Azure computes (a
    // firewall's private address) stays unknown.
    let imported = template(
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-07-01", "name": "vnet-hub",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/22"] },
        "subnets": [ { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.0.1.0/26" } } ] } },
    { "type": "Microsoft.Network/azureFirewalls", "apiVersion": "2024-07-01", "name": "fw", "properties": {} },
    { "type": "Microsoft.Network/routeTables", "apiVersion": "2024-07-01", "name": "rt",
      "properties": { "routes": [ { "name": "all", "properties": { "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
        "nextHopIpAddress": "[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw'), '2024-07-01').ipConfigurations[0].properties.privateIPAddress]" } } ] } },
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-07-01", "name": "nsg-spoke",
      "properties": { "securityRules": [ { "name": "AllowBastionSsh", "properties": {
        "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100, "destinationAddressPrefix": "*", "destinationPortRange": "22",
        "sourceAddressPrefix": "[reference(resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'AzureBastionSubnet'), '2024-07-01').addressPrefix]" } } ] },
      "tags": { "hub": "[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub'), '2024-07-01', 'Full').properties.addressSpace.addressPrefixes[0]]" } }
  ]
}"##,
    );
    let nsg = &imported.file.design.nsgs[0];
    assert_eq!(nsg.rules.len(), 1, "{:#?}", imported.skipped);
    assert_eq!(nsg.rules[0].sources, ["10.0.1.0/26"]);
    let hop = imported.skipped.iter().find(|s| s.path.ends_with("nextHopIpAddress")).expect("the next hop is listed");
    assert!(hop.why.contains("deployment time"), "{}", hop.why);
}

#[test]
fn a_bastions_public_ip_absent_from_live_json_stands_in_so_health_does_not_fail() {
    // A GET of one Standard Bastion names its public IP but does not hold it. The Bastion
    // has one (Azure deploys a Standard or Premium Bastion only with a Standard static
    // IPv4 address), so B-HEALTH-5 must not say it has none.
    let imported = import_text(
        r#"{ "id": "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/bastionHosts/bas",
  "type": "Microsoft.Network/bastionHosts", "name": "bas", "location": "westus", "sku": { "name": "Standard" },
  "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
    "subnet": { "id": "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/AzureBastionSubnet" },
    "publicIPAddress": { "id": "/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Network/publicIPAddresses/pip-bas" } } } ] } }"#,
    )
    .unwrap();
    let d = &imported.file.design;
    assert_eq!(d.bastions[0].public_ip.as_deref(), Some("pip-bas"));
    assert_eq!((d.public_ips[0].resource_group.as_str(), d.public_ips[0].subscription.as_str()), ("rg2", "s"));
    assert!(d.description.contains("pip-bas"), "the stand-in is described");
    let analysis = analyze(d);
    assert!(!analysis.findings.iter().any(|f| f.id.as_str() == "B-HEALTH-5"), "{:#?}", analysis.findings);
}

/// The start of a Bicep-compiled template, for the tests below.
const SCHEMA: &str = r#""$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0""#;

#[test]
fn a_module_reads_another_modules_outputs_whatever_order_they_are_declared_in() {
    // Bicep compiles `module bastion … { params: { subnetId: network.outputs.subnetIds.bastion } }`
    // to a nested deployment whose parameter is `reference(resourceId('Microsoft.Resources/
    // deployments', 'network'), …).outputs.subnetIds.value…`. ARM deploys `network` first
    // (the reference orders it); the Bastion's subnet and the jump VM's are its outputs.
    let text = r##"{ SCHEMA, "metadata": { "_generator": { "name": "bicep" } },
  "resources": [
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "bastion",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": {
          "subnetId": { "value": "[reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01').outputs.subnetIds.value.bastion]" },
          "vmSubnetId": { "value": "[reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01', 'Full').properties.outputs.subnetIds.value.workload]" } },
        "template": { SCHEMA,
          "parameters": { "subnetId": { "type": "string" }, "vmSubnetId": { "type": "string" } },
          "resources": [
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-bas",
              "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } },
            { "type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-09-01", "name": "bas", "sku": { "name": "Standard" },
              "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
                "subnet": { "id": "[parameters('subnetId')]" },
                "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas')]" } } } ] } },
            { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "jump-nic",
              "properties": { "ipConfigurations": [ { "name": "ip", "properties": { "subnet": { "id": "[parameters('vmSubnetId')]" } } } ] } },
            { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "jump",
              "properties": { "storageProfile": { "osDisk": { "osType": "Linux" } },
                "networkProfile": { "networkInterfaces": [ { "id": "[resourceId('Microsoft.Network/networkInterfaces', 'jump-nic')]" } ] } } } ] } },
      "dependsOn": [ "[resourceId('Microsoft.Resources/deployments', 'network')]" ] },
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "network",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "template": { SCHEMA,
          "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "hub",
              "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [
                { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.0.1.0/26" } },
                { "name": "workload", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } },
            { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "app-nic",
              "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
                "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'workload')]" } } } ] } },
            { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "app",
              "properties": { "storageProfile": { "osDisk": { "osType": "Windows" } },
                "networkProfile": { "networkInterfaces": [ { "id": "[resourceId('Microsoft.Network/networkInterfaces', 'app-nic')]" } ] } } } ],
          "outputs": { "subnetIds": { "type": "object", "value": {
            "bastion": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureBastionSubnet')]",
            "workload": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'workload')]" } } } } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let d = &imported.file.design;
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
    assert_eq!((d.bastions[0].name.as_str(), d.bastions[0].vnet.as_str()), ("bas", "hub"));
    // Declaration order is kept: the jump VM (first module) takes the first free address.
    let vms: Vec<(&str, String)> = d.vms.iter().map(|v| (v.name.as_str(), v.nic.private_ip.to_string())).collect();
    assert_eq!(vms, [("jump", "10.0.2.4".to_string()), ("app", "10.0.2.5".to_string())]);
    let analysis = analyze(d);
    for vm in 0..2 {
        assert_eq!(
            analysis.verdict(0, Target::Vm(vm)),
            Verdict::Reachable,
            "{:?}",
            analysis.blocker(0, Target::Vm(vm))
        );
    }
}

#[test]
fn symbolic_modules_read_outputs_of_their_own_module_loops() {
    // languageVersion 2.0 (AVM): `reference('net')` names a module by its symbolic name,
    // `reference(format('subnets[{0}]', i))` one copy of a module loop; a module given to
    // another resource group is found with the subscription and resource group arguments.
    let text = r##"{ SCHEMA, "languageVersion": "2.0",
  "resources": {
    "bas": { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "bas-module",
      "resourceGroup": "rg-hub",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": {
          "subnetId": { "value": "[reference('net').outputs.subnetIds.value[0]]" },
          "prefix": { "value": "[reference(resourceId(subscription().subscriptionId, 'rg-hub', 'Microsoft.Resources/deployments', 'net-module'), '2022-09-01').outputs.bastionPrefix.value]" } },
        "template": { SCHEMA, "languageVersion": "2.0",
          "parameters": { "subnetId": { "type": "string" }, "prefix": { "type": "string" } },
          "resources": {
            "bastion": { "type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-09-01", "name": "[format('bas-{0}', replace(parameters('prefix'), '/', '_'))]",
              "sku": { "name": "Developer" }, "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
                "subnet": { "id": "[parameters('subnetId')]" } } } ] } } } } } },
    "net": { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "net-module",
      "resourceGroup": "rg-hub",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "template": { SCHEMA, "languageVersion": "2.0",
          "variables": { "subnets": [ { "name": "AzureBastionSubnet", "prefix": "10.1.0.0/26" }, { "name": "vms", "prefix": "10.1.1.0/24" } ] },
          "resources": {
            "vnet": { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-hub",
              "properties": { "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] } } },
            "subnets": { "copy": { "name": "subnets", "count": "[length(variables('subnets'))]", "mode": "serial", "batchSize": 1 },
              "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[format('subnet-{0}', copyIndex())]",
              "dependsOn": [ "vnet" ],
              "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": { "subnet": { "value": "[variables('subnets')[copyIndex()]]" } },
                "template": { SCHEMA, "parameters": { "subnet": { "type": "object" } },
                  "resources": [ { "type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-09-01",
                    "name": "[format('vnet-hub/{0}', parameters('subnet').name)]", "properties": { "addressPrefix": "[parameters('subnet').prefix]" } } ],
                  "outputs": { "resourceId": { "type": "string",
                    "value": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', parameters('subnet').name)]" } } } } } },
          "outputs": {
            "subnetIds": { "type": "array", "value": "[map(range(0, length(variables('subnets'))), lambda('i', reference(format('subnets[{0}]', lambdaVariables('i'))).outputs.resourceId.value))]" },
            "bastionPrefix": { "type": "string", "value": "[variables('subnets')[0].prefix]" } } } } }
  }
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let d = &imported.file.design;
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
    assert_eq!(d.vnets.len(), 1);
    assert_eq!((d.vnets[0].resource_group.as_str(), d.vnets[0].subnets.len()), ("rg-hub", 2));
    assert_eq!((d.bastions[0].name.as_str(), d.bastions[0].vnet.as_str()), ("bas-10.1.0.0_26", "vnet-hub"));
}

#[test]
fn module_outputs_that_cannot_be_known_say_why_and_cycles_end() {
    // Outputs read from a module that is not deployed, from one whose output Azure computes,
    // or from two modules that read each other's outputs: unknown, with the reason, and
    // the resources that need them are skipped; nothing is invented.
    let module = |name: &str, condition: &str, param: &str, output: &str| {
        format!(
            r#"{{ "condition": {condition}, "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "{name}",
  "properties": {{ "mode": "Incremental", "expressionEvaluationOptions": {{ "scope": "inner" }},
    "parameters": {{ "x": {{ "value": "{param}" }} }},
    "template": {{ {SCHEMA}, "parameters": {{ "x": {{ "type": "string" }} }},
      "resources": [ {{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "[parameters('x')]",
        "properties": {{ "addressSpace": {{ "addressPrefixes": ["10.{n}.0.0/16"] }} }} }},
        {{ "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-{name}", "sku": {{ "name": "Standard" }} }} ],
      "outputs": {{ "y": {{ "type": "string", "value": "{output}" }} }} }} }} }}"#,
            n = name.len()
        )
    };
    let out = |of: &str| format!("[reference(resourceId('Microsoft.Resources/deployments', '{of}')).outputs.y.value]");
    let resources = [
        module("a", "true", &out("bb"), "[parameters('x')]"),
        module("bb", "true", &out("a"), "[parameters('x')]"),
        module("ccc", "false", "vnet-c", "[parameters('x')]"),
        module("dddd", "true", &out("ccc"), "[parameters('x')]"),
        module(
            "eeeee",
            "true",
            "vnet-e",
            "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip-eeeee')).ipAddress]",
        ),
        module("ffffff", "true", &out("eeeee"), "[parameters('x')]"),
    ];
    let imported = template(&format!("{{ {SCHEMA}, \"resources\": [ {} ] }}", resources.join(",")));
    let names: Vec<&str> = imported.file.design.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["vnet-e"], "{:#?}", imported.skipped);
    let why = |path: &str| {
        let it = imported
            .skipped
            .iter()
            .find(|s| s.path == path)
            .unwrap_or_else(|| panic!("{path}: {:#?}", imported.skipped));
        it.why.clone()
    };
    assert!(why("resources[0].properties.template.resources[0]").contains("cycle"), "{:#?}", imported.skipped);
    assert!(why("resources[1].properties.template.resources[0]").contains("cycle"));
    assert!(why("resources[3].properties.template.resources[0]").contains("not deployed (see resources[2]"));
    assert!(why("resources[5].properties.template.resources[0]").contains("deployment time"));
}

#[test]
fn reference_reads_resources_declared_later_and_by_symbolic_name() {
    // languageVersion 2.0: `reference('vnet')` is the VNet's properties as the template
    // gives them, with the ids of its inline subnets (their names under the VNet's id);
    // the NSG comes first but reads the VNet declared after it. What Azure computes (a
    // public IP's address) and what the template does not deploy (`existing`) stay unknown.
    let text = r##"{ SCHEMA, "languageVersion": "2.0",
  "resources": {
    "nsg": { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-vms",
      "properties": { "securityRules": [
        { "name": "ssh-from-bastion", "properties": { "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100,
          "sourceAddressPrefix": "[reference('vnet', '2023-09-01', 'full').properties.subnets[0].properties.addressPrefix]",
          "destinationAddressPrefix": "*", "destinationPortRange": "22" } },
        { "name": "from-pip", "properties": { "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 110,
          "sourceAddressPrefix": "[reference('pip').ipAddress]", "destinationAddressPrefix": "*", "destinationPortRange": "22" } },
        { "name": "from-old", "properties": { "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 120,
          "sourceAddressPrefix": "[reference('old').addressSpace.addressPrefixes[0]]", "destinationAddressPrefix": "*", "destinationPortRange": "22" } } ] } },
    "old": { "existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-old" },
    "nic": { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "vm1-nic",
      "properties": { "ipConfigurations": [ { "name": "ip", "properties": { "subnet": { "id": "[reference('vnet').subnets[1].id]" } } } ] } },
    "vm": { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm1",
      "properties": { "storageProfile": { "osDisk": { "osType": "Linux" } },
        "networkProfile": { "networkInterfaces": [ { "id": "[resourceId('Microsoft.Network/networkInterfaces', 'vm1-nic')]" } ] } } },
    "vnet": { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-a",
      "properties": { "addressSpace": { "addressPrefixes": ["10.2.0.0/16"] }, "subnets": [
        { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.2.0.0/26" } },
        { "name": "vms", "properties": { "addressPrefix": "10.2.1.0/24", "networkSecurityGroup": { "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-vms')]" } } } ] } },
    "pip": { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-a", "sku": { "name": "Standard" } }
  }
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let d = &imported.file.design;
    assert_eq!(d.nsgs[0].rules.len(), 1, "{:#?}", imported.skipped);
    assert_eq!(d.nsgs[0].rules[0].sources, ["10.2.0.0/26"]);
    assert_eq!((d.vms[0].nic.vnet.as_str(), d.vms[0].nic.subnet.as_str()), ("vnet-a", "vms"));
    let why = |rule: &str| {
        imported.skipped.iter().find(|s| s.what.ends_with(rule)).map(|s| s.why.clone()).unwrap_or_default()
    };
    assert!(why("from-pip'").contains("deployment time"), "{:#?}", imported.skipped);
    assert!(why("from-old'").contains("not deployed"), "{:#?}", imported.skipped);
}

#[test]
fn a_module_parameter_given_null_takes_its_default() {
    // AVM's bastion-host passes `availabilityZones: null` when none are asked for to its
    // public-IP module, whose parameter defaults to [1, 2, 3]: ARM then uses the default
    // (it used to be read as null, and `map(null, …)` left the zones unknown).
    let text = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "pip-module",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": { "zones": { "value": "[if(false(), createArray(1), null())]" } },
        "template": { SCHEMA,
          "parameters": { "zones": { "type": "array", "defaultValue": [1, 2, 3] } },
          "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip",
            "sku": { "name": "Standard" }, "zones": "[map(parameters('zones'), lambda('z', string(lambdaVariables('z'))))]" } ] } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
    assert_eq!(imported.file.design.public_ips[0].zones, ["1", "2", "3"]);
}

/// Every (principal, VM) RBAC verdict of a design: whether the principal has every role it
/// needs to connect through a Bastion.
fn rbac_granted(d: &bastion_sim::model::Design) -> Vec<(String, String, bool)> {
    let analysis = analyze(d);
    let index = Index::new(d);
    let results = bastion_sim::engine::rbac::materialize_results(&index, &analysis, &analysis.rbac);
    results.iter().map(|r| (r.principal.clone(), r.target.clone(), r.granted)).collect()
}

const OBJECT_ID: &str = "0b5e3f4a-1111-2222-3333-444455556666";

#[test]
fn role_assignments_of_users_and_groups_with_built_in_roles_are_imported() {
    // A principal is named after its principalId: bastion-sim's export declares one
    // parameter per principal, without value, whose metadata names it and its type; an
    // object id stays an object id. The scope comes from `scope` (an id or `Type/name`),
    // from the resource a nested `…/providers/roleAssignments` sits under, or is the
    // resource group deployed to.
    let ra = |name: &str, role: &str, principal: &str, ty: &str, scope: &str| {
        let ty = if ty.is_empty() { String::new() } else { format!(r#", "principalType": "{ty}""#) };
        let scope = if scope.is_empty() { String::new() } else { format!(r#""scope": "{scope}", "#) };
        format!(
            r#"{{ {scope}"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "{name}",
  "properties": {{ "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role}')]", "principalId": "{principal}"{ty} }} }}"#
        )
    };
    const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    const VM_USER_LOGIN: &str = "fb879df8-f326-4884-b1cf-06f3ad86be52";
    let assignments = [
        ra("ra-admin", READER, "[parameters('adminObjectId')]", "", ""),
        ra("ra-ops", READER, "[parameters('opsObjectId')]", "Group", ""),
        ra("ra-login", VM_USER_LOGIN, OBJECT_ID, "User", "Microsoft.Compute/virtualMachines/vm1"),
        r#"{ "type": "Microsoft.Network/bastionHosts/providers/roleAssignments", "apiVersion": "2022-04-01",
  "name": "bas/Microsoft.Authorization/ra-bastion",
  "properties": { "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7", "principalId": "0b5e3f4a-1111-2222-3333-444455556666", "principalType": "User" } }"#.to_string(),
        ra("ra-app", READER, "9f00aaaa-0000-0000-0000-000000000001", "ServicePrincipal", ""),
        ra("ra-custom", "11111111-2222-3333-4444-555555555555", OBJECT_ID, "User", ""),
        ra("ra-untyped", READER, "9f00aaaa-0000-0000-0000-000000000002", "", ""),
        ra("ra-subnet", READER, OBJECT_ID, "User", "Microsoft.Network/virtualNetworks/vnet/subnets/vms"),
    ];
    let text = r##"{ SCHEMA,
  "parameters": {
    "adminObjectId": { "type": "string", "metadata": { "description": "Object id of alice", "principalName": "alice", "principalType": "User" } },
    "opsObjectId": { "type": "string", "metadata": { "description": "Object id of ops-team", "principalName": "ops-team", "principalType": "Group" } }
  },
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [
        { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.0.1.0/26" } },
        { "name": "vms", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } },
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip", "sku": { "name": "Standard" } },
    { "type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-09-01", "name": "bas",
      "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureBastionSubnet')]" },
        "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip')]" } } } ] } },
    { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "vm1-nic",
      "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]" } } } ] } },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm1",
      "properties": { "storageProfile": { "osDisk": { "osType": "Linux" } },
        "networkProfile": { "networkInterfaces": [ { "id": "[resourceId('Microsoft.Network/networkInterfaces', 'vm1-nic')]" } ] } } },
    ASSIGNMENTS
  ]
}"##
    .replace("SCHEMA", SCHEMA)
    .replace("ASSIGNMENTS", &assignments.join(",\n"));
    let imported = template(&text);
    let d = &imported.file.design;
    let users: Vec<&str> = d.users.iter().map(|u| u.name.as_str()).collect();
    // The untyped principal stands in as a user (listed below).
    assert_eq!(users, ["alice", OBJECT_ID, "9f00aaaa-0000-0000-0000-000000000002"]);
    assert_eq!((d.groups.len(), d.groups[0].name.as_str(), d.groups[0].members.len()), (1, "ops-team", 0));
    let rg = "/subscriptions/imported-subscription/resourceGroups/imported-rg";
    let got: Vec<(&str, Role, &str)> =
        d.role_assignments.iter().map(|a| (a.principal.as_str(), a.role, a.scope.as_str())).collect();
    assert_eq!(
        got,
        [
            ("alice", Role::Reader, rg),
            ("ops-team", Role::Reader, rg),
            (
                OBJECT_ID,
                Role::VirtualMachineUserLogin,
                &format!("{rg}/providers/Microsoft.Compute/virtualMachines/vm1")
            ),
            (OBJECT_ID, Role::Reader, &format!("{rg}/providers/Microsoft.Network/bastionHosts/bas")),
            ("9f00aaaa-0000-0000-0000-000000000002", Role::Reader, rg),
        ]
    );
    // Reader on the resource group covers the VM, its NIC, the Bastion and the VNet; Reader
    // on the Bastion and a login role on the VM do not.
    let verdicts = rbac_granted(d);
    assert!(verdicts.contains(&("alice".into(), "vm1".into(), true)), "{verdicts:?}");
    assert!(verdicts.contains(&(OBJECT_ID.into(), "vm1".into(), false)), "{verdicts:?}");
    let why = |name: &str| {
        let it = imported.skipped.iter().find(|s| s.what.contains(name));
        it.map(|s| s.why.clone()).unwrap_or_else(|| panic!("{name}: {:#?}", imported.skipped))
    };
    assert!(why("'ra-app'").contains("ServicePrincipal"));
    assert!(why("'ra-custom'").contains("not a built-in role"));
    assert!(why("principal '9f00aaaa-0000-0000-0000-000000000002'").contains("imported as a user"));
    assert!(why("'ra-subnet'").contains("not one the model holds"));
    assert!(why("members of group 'ops-team'").contains("Entra ID"));
    assert!(why("parameter 'opsObjectId'").contains("group 'ops-team'"));
    assert_eq!(imported.skipped.len(), 7, "{:#?}", imported.skipped);
}

#[test]
fn role_assignments_at_subscription_scope_and_in_live_json() {
    // A subscription-level template deploys a role assignment without `scope` to the
    // subscription; a parameter with a value but principalType metadata gives the kind.
    let text = r##"{ "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", "contentVersion": "1.0.0.0",
  "parameters": { "readers": { "type": "string", "defaultValue": "grp-readers-guid", "metadata": { "principalType": "Group" } } },
  "resources": [
    { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('sub-readers')]",
      "properties": { "roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "principalId": "[parameters('readers')]" } },
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "rg-level", "resourceGroup": "rg-app",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "template": { SCHEMA, "resources": [
          { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "rg-readers",
            "properties": { "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
              "principalId": "grp-readers-guid", "principalType": "Group" } } ] } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let got: Vec<(&str, Role, &str)> = imported
        .file
        .design
        .role_assignments
        .iter()
        .map(|a| (a.principal.as_str(), a.role, a.scope.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("grp-readers-guid", Role::Reader, "/subscriptions/imported-subscription"),
            ("grp-readers-guid", Role::Contributor, "/subscriptions/imported-subscription/resourceGroups/rg-app"),
        ],
        "{:#?}",
        imported.skipped
    );

    // Live JSON (`az role assignment list`, REST): principalId, roleDefinitionId, scope.
    let live = import_text(
        r#"{ "value": [
  { "id": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments/a1",
    "type": "Microsoft.Authorization/roleAssignments", "name": "a1",
    "properties": { "roleDefinitionId": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/1c0163c0-47e6-4577-8991-ea5c82e286e4",
      "principalId": "u-guid", "principalType": "User", "scope": "/subscriptions/s1/resourceGroups/rg1" } },
  { "id": "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a2",
    "type": "Microsoft.Authorization/roleAssignments", "name": "a2",
    "properties": { "roleDefinitionId": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
      "principalId": "fg-guid", "principalType": "ForeignGroup", "scope": "/subscriptions/s1" } } ] }"#,
    )
    .unwrap();
    let d = &live.file.design;
    assert_eq!(d.role_assignments.len(), 1, "{:#?}", live.skipped);
    let a = &d.role_assignments[0];
    assert_eq!(
        (a.principal.as_str(), a.role, a.scope.as_str()),
        ("u-guid", Role::VirtualMachineAdministratorLogin, "/subscriptions/s1/resourceGroups/rg1")
    );
    assert!(
        live.skipped.iter().any(|s| s.what.contains("'a2'") && s.why.contains("ForeignGroup")),
        "{:#?}",
        live.skipped
    );
}

#[test]
fn key_vaults_keep_their_permission_model_and_access_policies_of_known_principals() {
    // A vault's `enableRbacAuthorization` is its permission model; an access policy names
    // its principal by object id only: a user or a group as a role assignment (or parameter
    // metadata) says, else a user stand-in, listed.
    let text = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-keys",
      "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" },
        "accessPolicies": [
          { "tenantId": "[subscription().tenantId]", "objectId": "u-guid", "permissions": { "secrets": ["Get", "List"] } },
          { "tenantId": "[subscription().tenantId]", "objectId": "who-guid", "permissions": { "secrets": ["all"] } } ] } },
    { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-rbac",
      "properties": { "enableRbacAuthorization": true, "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" } } },
    { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "ra-secrets",
      "scope": "Microsoft.KeyVault/vaults/kv-rbac",
      "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')]",
        "principalId": "u-guid", "principalType": "User" } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let d = &imported.file.design;
    let vaults: Vec<(&str, KeyVaultPermissionModel)> =
        d.key_vaults.iter().map(|k| (k.name.as_str(), k.permission_model)).collect();
    assert_eq!(
        vaults,
        [("kv-keys", KeyVaultPermissionModel::AccessPolicy), ("kv-rbac", KeyVaultPermissionModel::Rbac)]
    );
    assert_eq!(
        d.key_vaults[0].access_policies,
        [
            AccessPolicy { principal: "u-guid".into(), secrets_get: true, secrets_list: true },
            AccessPolicy { principal: "who-guid".into(), secrets_get: true, secrets_list: true }
        ]
    );
    assert_eq!(d.role_assignments[0].role, Role::KeyVaultSecretsUser);
    let users: Vec<&str> = d.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(users, ["u-guid", "who-guid"]);
    let stand_in = imported.skipped.iter().find(|s| s.what.contains("'who-guid'")).expect("listed");
    assert!(stand_in.why.contains("imported as a user"), "{stand_in}");
    assert!(!imported.skipped.iter().any(|s| s.what.contains("'u-guid'")), "{:#?}", imported.skipped);
}

#[test]
fn a_vm_that_declares_its_nic_inline_is_imported_in_its_subnet() {
    // `networkProfile.networkInterfaceConfigurations` (Azure creates the NIC with the VM):
    // the primary configuration's subnet and NSG, and the public IP Azure creates for it.
    let text = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-nic", "properties": {} },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [
        { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.0.1.0/26" } },
        { "name": "vms", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm1",
      "properties": { "storageProfile": { "imageReference": { "publisher": "Canonical", "offer": "ubuntu-24_04-lts" } },
        "networkProfile": { "networkApiVersion": "2022-11-01", "networkInterfaceConfigurations": [
          { "name": "vm1-nic-a", "properties": { "primary": true,
            "networkSecurityGroup": { "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-nic')]" },
            "ipConfigurations": [ { "name": "ip", "properties": {
              "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]" },
              "publicIPAddressConfiguration": { "name": "vm1-pip", "properties": {} } } } ] } } ] } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let vm = &imported.file.design.vms[0];
    assert_eq!((vm.os, vm.nic.subnet.as_str(), vm.nic.private_ip.to_string()), (Os::Linux, "vms", "10.0.2.4".into()));
    assert_eq!((vm.nic.name.as_str(), vm.nic.nsg.as_deref()), ("vm1-nic-a", Some("nsg-nic")));
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
    // The inline public IP is a public IP of the design (Basic and dynamic: ARM's defaults),
    // on the VM's NIC, and the import says where it came from.
    let design = &imported.file.design;
    assert_eq!(vm.nic.public_ip.as_deref(), Some("vm1-pip"));
    let pip = &design.public_ips[0];
    assert_eq!((pip.name.as_str(), pip.sku, pip.allocation), ("vm1-pip", PublicIpSku::Basic, IpAllocation::Dynamic));
    assert!(design.description.contains("Public IP 'vm1-pip' is the one Azure creates"), "{}", design.description);
    // So the engine sees the VM's public IP, as Azure would expose it (CAF-R10).
    let analysis = analyze(design);
    assert!(
        analysis.findings.iter().any(|f| f.id == RuleId::CafR10 && f.resource == "vm1"),
        "{:#?}",
        analysis.findings
    );
}

#[test]
fn a_scale_set_whose_instances_get_a_public_ip_has_one_in_the_design() {
    // A scale set's `publicIPAddressConfiguration` gives each instance a public IP (here
    // Standard, from its `sku`); the scale set stands for its instances, and so does the IP.
    // Its name is the VM's before it when another public IP already has it.
    let text = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip",
      "sku": { "name": "Standard" }, "properties": {} },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [
        { "name": "vms", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } },
    { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2023-09-01", "name": "web",
      "sku": { "name": "Standard_D2s_v5", "capacity": 3 },
      "properties": { "orchestrationMode": "Flexible", "virtualMachineProfile": {
        "storageProfile": { "imageReference": { "publisher": "Canonical", "offer": "ubuntu-24_04-lts" } },
        "networkProfile": { "networkApiVersion": "2022-11-01", "networkInterfaceConfigurations": [
          { "name": "nic", "properties": { "primary": true, "ipConfigurations": [ { "name": "ip", "properties": {
              "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]" },
              "publicIPAddressConfiguration": { "name": "pip", "sku": { "name": "Standard" },
                "properties": { "idleTimeoutInMinutes": 15 } } } } ] } } ] } } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let design = &imported.file.design;
    let vm = &design.vms[0];
    assert!(vm.scale_set && vm.nic.subnet == "vms", "{vm:#?}");
    assert_eq!(vm.nic.public_ip.as_deref(), Some("web-pip"));
    let pip = design.public_ips.iter().find(|p| p.name == "web-pip").expect("the instances' public IP");
    assert_eq!((pip.sku, pip.allocation), (PublicIpSku::Standard, IpAllocation::Static));
    assert_eq!(design.public_ips.len(), 2);
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
}

/// A Virtual WAN site-to-site VPN: the hub's `vpnGateways`, `vpnSites` and the gateway's
/// `vpnConnections` (inline in `properties.connections`, a nested child, a top-level
/// `gw/conn`) become sites and site connections of the hub's gateway, as a VNet gateway's
/// local network gateways and connections do.
const VWAN_S2S: &str = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.Network/virtualWans", "apiVersion": "2024-05-01", "name": "vwan", "location": "westeurope",
      "properties": { "type": "Standard" } },
    { "type": "Microsoft.Network/virtualHubs", "apiVersion": "2024-05-01", "name": "hub", "location": "westeurope",
      "properties": { "addressPrefix": "10.100.0.0/23", "virtualWan": { "id": "[resourceId('Microsoft.Network/virtualWans', 'vwan')]" } } },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet-bastion", "location": "westeurope",
      "properties": { "addressSpace": { "addressPrefixes": ["10.110.0.0/24"] },
        "subnets": [ { "name": "AzureBastionSubnet", "properties": { "addressPrefix": "10.110.0.0/26" } } ] } },
    { "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", "apiVersion": "2024-05-01", "name": "hub/conn-bastion",
      "properties": { "remoteVirtualNetwork": { "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-bastion')]" } } },
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "bas-pip", "location": "westeurope",
      "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } },
    { "type": "Microsoft.Network/bastionHosts", "apiVersion": "2024-05-01", "name": "bas", "location": "westeurope",
      "sku": { "name": "Standard" },
      "properties": { "enableIpConnect": IP_CONNECT, "ipConfigurations": [ { "name": "ip", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-bastion', 'AzureBastionSubnet')]" },
        "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'bas-pip')]" } } } ] } },
    { "type": "Microsoft.Network/vpnSites", "apiVersion": "2024-05-01", "name": "site-hq", "location": "westeurope",
      "properties": { "virtualWan": { "id": "[resourceId('Microsoft.Network/virtualWans', 'vwan')]" },
        "addressSpace": { "addressPrefixes": ["192.168.0.0/20"] },
        "vpnSiteLinks": [ { "name": "link1", "properties": { "ipAddress": "203.0.113.10", "bgpProperties": { "asn": 65010, "bgpPeeringAddress": "192.168.0.1" } } } ] } },
    { "type": "Microsoft.Network/vpnSites", "apiVersion": "2024-05-01", "name": "site-branch", "location": "westeurope",
      "properties": { "virtualWan": { "id": "[resourceId('Microsoft.Network/virtualWans', 'vwan')]" },
        "addressSpace": { "addressPrefixes": ["192.168.16.0/24"] },
        "vpnSiteLinks": [ { "name": "link1", "properties": { "ipAddress": "203.0.113.20" } } ] } },
    { "type": "Microsoft.Network/vpnSites", "apiVersion": "2024-05-01", "name": "site-dc", "location": "westeurope",
      "properties": { "virtualWan": { "id": "[resourceId('Microsoft.Network/virtualWans', 'vwan')]" },
        "addressSpace": { "addressPrefixes": ["192.168.32.0/24"] },
        "vpnSiteLinks": [ { "name": "link1", "properties": { "ipAddress": "203.0.113.30" } } ] } },
    { "type": "Microsoft.Network/vpnSites", "apiVersion": "2024-05-01", "name": "site-bgp-only", "location": "westeurope",
      "properties": { "virtualWan": { "id": "[resourceId('Microsoft.Network/virtualWans', 'vwan')]" },
        "vpnSiteLinks": [ { "name": "link1", "properties": { "ipAddress": "203.0.113.40", "bgpProperties": { "asn": 65040, "bgpPeeringAddress": "10.9.9.9" } } } ] } },
    { "type": "Microsoft.Network/vpnGateways", "apiVersion": "2024-05-01", "name": "vpngw", "location": "westeurope",
      "dependsOn": [ "[resourceId('Microsoft.Network/vpnSites', 'site-hq')]" ],
      "properties": { "virtualHub": { "id": "[resourceId('Microsoft.Network/virtualHubs', 'hub')]" }, "vpnGatewayScaleUnit": 1,
        "connections": [ { "name": "s2s-hq", "properties": {
          "remoteVpnSite": { "id": "[resourceId('Microsoft.Network/vpnSites', 'site-hq')]" },
          "vpnLinkConnections": [ { "name": "l1", "properties": {
            "vpnSiteLink": { "id": "[resourceId('Microsoft.Network/vpnSites/vpnSiteLinks', 'site-hq', 'link1')]" }, "sharedKey": "[parameters('key')]" } } ] } } ] },
      "resources": [
        { "type": "vpnConnections", "apiVersion": "2024-05-01", "name": "s2s-dc",
          "dependsOn": [ "[resourceId('Microsoft.Network/vpnGateways', 'vpngw')]" ],
          "properties": { "vpnLinkConnections": [ { "name": "l1", "properties": {
            "vpnSiteLink": { "id": "[resourceId('Microsoft.Network/vpnSites/vpnSiteLinks', 'site-dc', 'link1')]" } } } ] } } ] },
    { "type": "Microsoft.Network/vpnGateways/vpnConnections", "apiVersion": "2024-05-01", "name": "vpngw/s2s-branch",
      "properties": { "remoteVpnSite": { "id": "[resourceId('Microsoft.Network/vpnSites', 'site-branch')]" } } },
    { "type": "Microsoft.Network/vpnGateways/vpnConnections", "apiVersion": "2024-05-01", "name": "vpngw/s2s-nowhere",
      "properties": { "remoteVpnSite": { "id": "[resourceId('Microsoft.Network/vpnSites', 'site-elsewhere')]" } } },
    { "type": "Microsoft.Network/vpnGateways/vpnConnections", "apiVersion": "2024-05-01", "name": "gw-absent/s2s-orphan",
      "properties": { "remoteVpnSite": { "id": "[resourceId('Microsoft.Network/vpnSites', 'site-hq')]" } } }
  ],
  "parameters": { "key": { "type": "securestring" } }
}"##;

fn vwan_s2s(ip_connect: bool) -> Imported {
    template(&VWAN_S2S.replace("SCHEMA", SCHEMA).replace("IP_CONNECT", &ip_connect.to_string()))
}

/// An on-premises machine at `site` (the import has none: machines are not Azure resources).
fn with_machine(d: &bastion_sim::model::Design, site: &str, ip: &str) -> bastion_sim::model::Design {
    let mut d = d.clone();
    d.onprem_machines.push(bastion_sim::model::OnPremMachine {
        name: "srv-01".into(),
        site: site.into(),
        ip: ip.parse().unwrap(),
        os: Os::Windows,
        port: None,
    });
    d
}

#[test]
fn a_virtual_wan_vpn_site_and_its_connection_become_a_site_of_the_hub_gateway() {
    let imported = vwan_s2s(true);
    let d = &imported.file.design;
    assert!(bastion_sim::model::validate(d).is_empty());
    let sites: Vec<(&str, String)> =
        d.onprem_sites.iter().map(|s| (s.name.as_str(), s.address_prefixes[0].to_string())).collect();
    assert_eq!(
        sites,
        [
            ("site-hq", "192.168.0.0/20".into()),
            ("site-branch", "192.168.16.0/24".into()),
            ("site-dc", "192.168.32.0/24".into())
        ]
    );
    let mut conns: Vec<(&str, &str, &str, bool)> = d
        .site_connections
        .iter()
        .map(|c| (c.name.as_str(), c.gateway.as_str(), c.site.as_str(), c.advertises_default_route))
        .collect();
    conns.sort();
    assert_eq!(
        conns,
        [
            ("s2s-branch", "vpngw", "site-branch", false),
            ("s2s-dc", "vpngw", "site-dc", false),
            ("s2s-hq", "vpngw", "site-hq", false)
        ],
        "inline, nested child (its site from the link's id) and top-level: {:#?}",
        imported.skipped
    );
    assert_eq!(d.gateways[0].hub.as_deref(), Some("hub"));
    let skipped = |name: &str| imported.skipped.iter().find(|s| s.what.contains(name)).map(|s| s.why.clone());
    assert!(skipped("site-bgp-only").unwrap().contains("no address prefixes"));
    assert!(skipped("s2s-nowhere").unwrap().contains("'site-elsewhere' is not in the imported design"));
    assert!(skipped("s2s-orphan").unwrap().contains("'gw-absent'"));
    let nowhere = imported.skipped.iter().find(|s| s.what.contains("s2s-nowhere")).unwrap();
    assert!(nowhere.path.starts_with("resources["), "{}", nowhere.path);
    // Nothing else is left out (the site links' address and BGP are not in the model) but
    // the shared key, a secure parameter without value.
    let vpn = |s: &&bastion_sim::io::import::Skipped| s.what.contains("vpnSites") || s.what.contains("vpnConnections");
    assert_eq!(imported.skipped.iter().filter(vpn).count(), 3, "{:#?}", imported.skipped);
    assert!(imported.skipped.iter().any(|s| s.path.ends_with("vpnLinkConnections[0].properties.sharedKey")));
}

/// What the engine makes of an imported hub VPN site: the design is hybrid (CAF-R2 names
/// the hub's gateway; without the connections it is CAF-R9), and an on-premises machine
/// at the site gets the verdict rules.md gives a Bastion in a Virtual WAN spoke. R-HYBRID
/// counts a gateway in the Bastion's VNet or one it uses by gateway transit, not a hub's
/// gateway: the engine says R-NOPATH, with or without IP-based connection, and so does
/// this test (a Bastion whose VNet reaches the site through its own gateway is the
/// `hybrid-vpn` scenario).
#[test]
fn an_on_premises_machine_behind_a_hub_vpn_site_gets_the_engines_verdict_for_a_vwan_bastion() {
    for ip_connect in [true, false] {
        let imported = vwan_s2s(ip_connect);
        assert_eq!(imported.file.design.bastions[0].features.ip_connect, ip_connect);
        let d = with_machine(&imported.file.design, "site-hq", "192.168.1.10");
        assert!(bastion_sim::model::validate(&d).is_empty());
        let analysis = analyze(&d);
        let caf_r2 = analysis.findings.iter().find(|f| f.id.as_str() == "CAF-R2").expect("a hybrid design (CAF-R2)");
        assert!(caf_r2.message.contains("vpngw"), "{}", caf_r2.message);
        assert!(!analysis.findings.iter().any(|f| f.id.as_str() == "CAF-R9"));
        assert_eq!(
            analysis.blocker(0, Target::Machine(0)).map(|r| r.as_str()),
            Some("R-NOPATH"),
            "ip connect {ip_connect}: a hub's gateway is no R-HYBRID path from a spoke (rules.md)"
        );
        // Without the vpnConnections the design is no longer hybrid.
        let mut cut = d.clone();
        cut.site_connections.clear();
        let cut = analyze(&cut);
        assert!(cut.findings.iter().any(|f| f.id.as_str() == "CAF-R9"));
        assert!(!cut.findings.iter().any(|f| f.id.as_str() == "CAF-R2"));
    }
}

/// Live JSON: a hub's VPN gateway with its connections inline (ids, as a `GET` returns
/// them), its sites, and one connection read on its own.
#[test]
fn live_virtual_wan_vpn_sites_and_connections_are_read_by_id() {
    let sub = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-conn/providers/Microsoft.Network";
    let text = r#"{ "value": [
  { "id": "SUB/virtualWans/vwan", "name": "vwan", "type": "Microsoft.Network/virtualWans", "location": "westeurope",
    "properties": { "type": "Standard", "provisioningState": "Succeeded" } },
  { "id": "SUB/virtualHubs/hub", "name": "hub", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
    "properties": { "addressPrefix": "10.100.0.0/23", "virtualWan": { "id": "SUB/virtualWans/vwan" },
      "vpnGateway": { "id": "SUB/vpnGateways/vpngw" } } },
  { "id": "SUB/vpnSites/site-hq", "name": "site-hq", "type": "Microsoft.Network/vpnSites", "location": "westeurope",
    "properties": { "virtualWan": { "id": "SUB/virtualWans/vwan" }, "addressSpace": { "addressPrefixes": ["192.168.0.0/20"] },
      "vpnSiteLinks": [ { "id": "SUB/vpnSites/site-hq/vpnSiteLinks/link1", "name": "link1", "type": "Microsoft.Network/vpnSites/vpnSiteLinks",
        "properties": { "ipAddress": "203.0.113.10", "linkProperties": { "linkSpeedInMbps": 100 }, "provisioningState": "Succeeded" } } ],
      "provisioningState": "Succeeded" } },
  { "id": "SUB/vpnSites/site-dr", "name": "site-dr", "type": "Microsoft.Network/vpnSites", "location": "westeurope",
    "properties": { "virtualWan": { "id": "SUB/virtualWans/vwan" }, "addressSpace": { "addressPrefixes": ["192.168.64.0/24"] } } },
  { "id": "SUB/vpnGateways/vpngw", "name": "vpngw", "type": "Microsoft.Network/vpnGateways", "location": "westeurope",
    "properties": { "virtualHub": { "id": "SUB/virtualHubs/hub" }, "vpnGatewayScaleUnit": 1,
      "connections": [ { "id": "SUB/vpnGateways/vpngw/vpnConnections/Connection-site-hq", "name": "Connection-site-hq",
        "type": "Microsoft.Network/vpnGateways/vpnConnections",
        "properties": { "remoteVpnSite": { "id": "SUB/vpnSites/site-hq" }, "enableInternetSecurity": true, "connectionStatus": "Connected",
          "vpnLinkConnections": [ { "id": "SUB/vpnGateways/vpngw/vpnConnections/Connection-site-hq/vpnLinkConnections/link1",
            "name": "link1", "properties": { "vpnSiteLink": { "id": "SUB/vpnSites/site-hq/vpnSiteLinks/link1" } } } ] } } ] } },
  { "id": "SUB/vpnGateways/vpngw/vpnConnections/Connection-site-dr", "name": "Connection-site-dr",
    "type": "Microsoft.Network/vpnGateways/vpnConnections",
    "properties": { "remoteVpnSite": { "id": "SUB/vpnSites/site-dr" } } }
] }"#
        .replace("SUB", sub);
    let imported = import_text(&text).unwrap();
    assert_eq!(imported.source, SourceKind::LiveJson);
    let d = &imported.file.design;
    let mut conns: Vec<(&str, &str, &str)> =
        d.site_connections.iter().map(|c| (c.name.as_str(), c.gateway.as_str(), c.site.as_str())).collect();
    conns.sort();
    assert_eq!(
        conns,
        [("Connection-site-dr", "vpngw", "site-dr"), ("Connection-site-hq", "vpngw", "site-hq")],
        "{:#?}",
        imported.skipped
    );
    assert_eq!(d.onprem_sites.len(), 2);
    assert!(imported.skipped.is_empty(), "{:#?}", imported.skipped);
}

#[test]
fn a_local_network_gateways_malformed_prefix_is_listed_and_the_others_kept() {
    // Local network gateways and vpnSites are read by one path: a prefix that does not
    // parse is named with where it is, not dropped in silence.
    let text = r##"{ SCHEMA,
  "resources": [
    { "type": "Microsoft.Network/localNetworkGateways", "apiVersion": "2023-09-01", "name": "site-hq",
      "properties": { "gatewayIpAddress": "203.0.113.10",
        "localNetworkAddressSpace": { "addressPrefixes": ["192.168.10.0/24", "192.168.300.0/24"] } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    let sites = &imported.file.design.onprem_sites;
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].address_prefixes.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["192.168.10.0/24"]);
    let bad = imported.skipped.iter().find(|s| s.path.ends_with("localNetworkAddressSpace.addressPrefixes"));
    assert!(bad.is_some_and(|s| s.what.contains("site-hq")), "{:#?}", imported.skipped);
}

#[test]
fn one_unknown_value_shared_by_many_resources_is_listed_once_with_a_count() {
    // Every VM of a copy loop takes its password from a secure parameter without a value
    // (an exported template deployed without its parameters file): one item counts them and
    // names the first three; a reason of only two resources lists each value.
    let text = r##"{ SCHEMA,
  "parameters": { "adminPassword": { "type": "securestring" }, "tag": { "type": "securestring" } },
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [
        { "name": "vms", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "[format('vm{0}', copyIndex())]",
      "copy": { "name": "vms", "count": 5 },
      "properties": { "licenseType": "[if(less(copyIndex(), 2), parameters('tag'), 'Windows_Server')]", "storageProfile": { "imageReference": { "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer" } },
        "osProfile": { "computerName": "vm", "adminUsername": "azureuser", "adminPassword": "[parameters('adminPassword')]" },
        "networkProfile": { "networkApiVersion": "2022-11-01", "networkInterfaceConfigurations": [
          { "name": "[format('vm{0}-nic', copyIndex())]", "properties": { "primary": true, "ipConfigurations": [ { "name": "ip", "properties": {
              "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]" } } } ] } } ] } } }
  ]
}"##
    .replace("SCHEMA", SCHEMA);
    let imported = template(&text);
    assert_eq!(imported.file.design.vms.len(), 5);
    let password: Vec<_> = imported.skipped.iter().filter(|s| s.why.contains("'adminPassword'")).collect();
    assert_eq!(password.len(), 1, "{:#?}", imported.skipped);
    assert!(
        password[0].what.starts_with("5 values of 5 resources (") && password[0].what.ends_with(" and 2 more)"),
        "{}",
        password[0].what
    );
    assert!(password[0].what.contains("'vm0'") && password[0].path.contains("adminPassword"), "{:#?}", password[0]);
    let tag: Vec<_> = imported.skipped.iter().filter(|s| s.why.contains("'tag'")).collect();
    assert_eq!(tag.len(), 2, "{:#?}", imported.skipped);
    assert!(tag.iter().all(|s| s.what.starts_with("a value of ")), "{tag:#?}");
}
