//! The Connect simulation: the Bastions the portal detects, the chosen one, and either
//! "the session would open" or every failing check with its fix — and applying a step's
//! FixAction through the editor makes Connect succeed.

use bastion_sim::edit::{Command, Editor, Item};
use bastion_sim::engine::connect::{
    simulate, BastionPlace, ConnectClient, ConnectOutcome, ConnectProtocol, ConnectRequest, ConnectStage,
};
use bastion_sim::engine::{analyze, Outcome, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn editor(scenario: &str) -> Editor {
    let design = (scenarios::by_name(scenario).expect("scenario").build)();
    Editor::new(DesignFile { design, layout: Layout::default() })
}

fn connect(ed: &Editor, user: &str, vm: &str, request: &ConnectRequest) -> ConnectOutcome {
    let design = &ed.file.design;
    simulate(design, &analyze(design), user, vm, request)
}

fn browser(protocol: ConnectProtocol) -> ConnectRequest {
    ConnectRequest { protocol, client: ConnectClient::Browser, bastion: None, subscription_filter: None }
}

fn failing(outcome: &ConnectOutcome) -> Vec<RuleId> {
    outcome.failures().map(|s| s.rule).collect()
}

/// Applies the FixAction of the first failing step of `rule`.
fn apply_fix_of(ed: &mut Editor, outcome: &ConnectOutcome, rule: RuleId) {
    let step = outcome.failures().find(|s| s.rule == rule).unwrap_or_else(|| panic!("no failing {rule}: {outcome:#?}"));
    let action = step.fix_action.clone().unwrap_or_else(|| panic!("{rule} has no fix action: {step:#?}"));
    ed.apply(&Command::ApplyFix(action)).expect("the fix applies");
}

#[test]
fn a_user_without_reader_on_the_peered_vnet_gets_rbac_vnet_and_its_fix_opens_the_session() {
    let mut ed = editor("broken-missing-reader");
    let request = browser(ConnectProtocol::Rdp);
    let before = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request);
    assert!(!before.opens);
    assert_eq!(before.bastion.as_deref(), Some("bas-hub-weu"));
    assert_eq!(failing(&before), vec![RuleId::RbacVnet], "{before:#?}");
    let step = before.failures().next().unwrap();
    assert_eq!(step.stage, ConnectStage::Rbac);
    assert!(step.resource.contains("vnet-spoke-app2-weu") || step.found.contains("vnet-spoke-app2-weu"), "{step:#?}");
    assert!(!step.fix.is_empty());
    // The network part passes: the session is blocked by roles only.
    assert!(before.steps.iter().any(|s| s.rule == RuleId::RPeer && s.outcome == Outcome::Pass));

    apply_fix_of(&mut ed, &before, RuleId::RbacVnet);
    let after = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request);
    assert!(after.opens, "{after:#?}");
    assert_eq!(failing(&after), Vec::<RuleId>::new());

    ed.undo();
    assert!(!connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request).opens);
}

#[test]
fn the_vms_own_vnet_is_listed_first_and_chosen() {
    let mut ed = editor("hub-spoke");
    let spoke_bastion = BastionHost::with_defaults(
        "bas-app1-weu",
        "vnet-spoke-app1-weu",
        BastionSku::Basic,
        Some("pip-bas-app1-weu".to_string()),
    );
    ed.apply(&Command::AddBastion { bastion: spoke_bastion }).expect("a Bastion in the spoke");
    let out = connect(&ed, "alice@contoso.com", "vm-app1-web01", &browser(ConnectProtocol::Ssh));
    let detected: Vec<(&str, BastionPlace)> = out.detected.iter().map(|d| (d.name.as_str(), d.place)).collect();
    // Appended after the hub's Bastion in the design, yet listed first: it is in the VM's VNet.
    assert_eq!(detected, vec![("bas-app1-weu", BastionPlace::SameVnet), ("bas-hub-weu", BastionPlace::PeeredVnet)]);
    // Azure's default is the own VNet's Bastion even though the spoke NSG admits only the
    // hub's Bastion subnet: the outcome says so, and the hub's Bastion is marked reachable.
    assert_eq!(out.bastion.as_deref(), Some("bas-app1-weu"));
    assert_eq!(failing(&out), vec![RuleId::RNsgIn], "{out:#?}");
    assert_eq!(out.detected.iter().map(|d| d.reachable).collect::<Vec<_>>(), vec![false, true]);
    let mut pick_hub = browser(ConnectProtocol::Ssh);
    pick_hub.bastion = Some("bas-hub-weu".to_string());
    let via_hub = connect(&ed, "alice@contoso.com", "vm-app1-web01", &pick_hub);
    assert_eq!(via_hub.bastion.as_deref(), Some("bas-hub-weu"));
    assert!(via_hub.opens, "{via_hub:#?}");
    // app2's VMs are not in a VNet peered with app1: only the hub's Bastion is listed.
    let app2 = connect(&ed, "carol@contoso.com", "vm-app2-sql01", &browser(ConnectProtocol::Rdp));
    assert_eq!(app2.detected.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["bas-hub-weu"]);
}

#[test]
fn native_client_on_basic_fails_with_the_upgrade_and_the_fix_makes_it_open() {
    let mut ed = editor("peering-hub-spoke");
    let design = &ed.file.design;
    let vm = design.vms.iter().find(|v| v.os == Os::Linux).expect("a Linux VM").name.clone();
    let user = design.users.first().expect("a user").name.clone();
    let bastion = design.bastions[0].clone();
    assert_eq!(bastion.sku, BastionSku::Basic);
    let request = ConnectRequest {
        protocol: ConnectProtocol::Ssh,
        client: ConnectClient::NativeClient,
        bastion: None,
        subscription_filter: None,
    };
    let browser_ok = connect(&ed, &user, &vm, &browser(ConnectProtocol::Ssh));
    let before = connect(&ed, &user, &vm, &request);
    // Only the client differs from a browser session.
    let extra: Vec<RuleId> = failing(&before).into_iter().filter(|r| !failing(&browser_ok).contains(r)).collect();
    assert_eq!(extra, vec![RuleId::SkuUpgrade], "{before:#?}");
    let step = before.failures().find(|s| s.rule == RuleId::SkuUpgrade).unwrap();
    assert!(step.found.contains("Standard"), "{}", step.found);

    apply_fix_of(&mut ed, &before, RuleId::SkuUpgrade);
    let host = ed.file.design.bastion(&bastion.name).unwrap();
    assert_eq!(host.sku, BastionSku::Standard);
    assert!(host.features.native_client);
    let after = connect(&ed, &user, &vm, &request);
    assert!(!failing(&after).contains(&RuleId::SkuUpgrade), "{after:#?}");
    // One undo step takes back both the upgrade and the feature.
    ed.undo();
    assert_eq!(ed.file.design.bastion(&bastion.name).unwrap(), &bastion);
}

#[test]
fn ssh_to_a_windows_vm_needs_standard() {
    let ed = editor("peering-hub-spoke");
    let design = &ed.file.design;
    let Some(win) = design.vms.iter().find(|v| v.os == Os::Windows) else {
        panic!("peering-hub-spoke has a Windows VM");
    };
    let user = design.users[0].name.clone();
    let out = connect(&ed, &user, &win.name, &browser(ConnectProtocol::Ssh));
    assert_eq!(out.port, 22);
    let proto = out.failures().find(|s| s.rule == RuleId::RProto).expect("R-PROTO fails on Basic");
    assert_eq!(proto.stage, ConnectStage::Sku);
    assert!(proto.fix_action.is_some());
    // The same VM over RDP has no R-PROTO failure.
    let rdp = connect(&ed, &user, &win.name, &browser(ConnectProtocol::Rdp));
    assert!(!failing(&rdp).contains(&RuleId::RProto));
}

#[test]
fn the_subscription_filter_must_show_the_bastion_and_the_vm() {
    let ed = editor("hub-spoke");
    let mut request = browser(ConnectProtocol::Ssh);
    request.subscription_filter = Some(vec!["sub-landingzone-app1".to_string()]);
    let out = connect(&ed, "alice@contoso.com", "vm-app1-web01", &request);
    assert_eq!(failing(&out), vec![RuleId::PortalSubscriptionFilter], "{out:#?}");
    assert!(out.failures().next().unwrap().resource.contains("sub-connectivity"));
    request.subscription_filter = Some(vec!["sub-landingzone-app1".to_string(), "sub-connectivity".to_string()]);
    assert!(connect(&ed, "alice@contoso.com", "vm-app1-web01", &request).opens);
}

#[test]
fn every_failing_check_is_listed_not_only_the_first() {
    let mut ed = editor("broken-bastion-nsg");
    // Break RBAC as well: bob loses every role.
    let design = ed.file.design.clone();
    for a in
        design.role_assignments.iter().filter(|a| a.principal.contains("bob") || a.principal == "grp-app2-operators")
    {
        ed.apply(&Command::Delete {
            keys: vec![bastion_sim::edit::Key::RoleAssignment {
                principal: a.principal.clone(),
                role: a.role,
                scope: a.scope.clone(),
            }],
        })
        .unwrap();
    }
    let out = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &browser(ConnectProtocol::Rdp));
    let rules = failing(&out);
    assert!(rules.contains(&RuleId::BHealth4), "{rules:?}");
    assert!(rules.contains(&RuleId::RbacVm) && rules.contains(&RuleId::RbacNic), "{rules:?}");
    // The health failure carries the NSG rules to add; applying it clears B-HEALTH-4.
    apply_fix_of(&mut ed, &out, RuleId::BHealth4);
    let again = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &browser(ConnectProtocol::Rdp));
    assert!(!failing(&again).contains(&RuleId::BHealth4), "{:?}", failing(&again));
}

#[test]
fn an_nsg_deny_on_the_target_subnet_fails_r_nsg_in_and_its_fix_admits_the_session() {
    let mut ed = editor("hub-spoke");
    let mut nsg = ed.file.design.nsg("nsg-snet-app-app2-weu").unwrap().clone();
    for rule in nsg.rules.iter_mut().filter(|r| r.name == "AllowBastionSshRdpInbound") {
        rule.priority = 200;
    }
    nsg.rules.push(NsgRule {
        name: "DenyRdpFromVnet".to_string(),
        priority: 150,
        direction: Direction::Inbound,
        access: Access::Deny,
        protocol: Protocol::Tcp,
        sources: vec!["VirtualNetwork".to_string()],
        destinations: vec!["*".to_string()],
        destination_ports: vec!["3389".to_string()],
    });
    ed.apply(&Command::Update { item: Item::Nsg(nsg) }).unwrap();
    let out = connect(&ed, "carol@contoso.com", "vm-app2-sql01", &browser(ConnectProtocol::Rdp));
    let step = out.failures().find(|s| s.rule == RuleId::RNsgIn).expect("R-NSG-IN fails");
    assert_eq!(step.stage, ConnectStage::Nsg);
    assert!(step.found.contains("DenyRdpFromVnet"), "{}", step.found);
    apply_fix_of(&mut ed, &out, RuleId::RNsgIn);
    let added = ed.file.design.nsg("nsg-snet-app-app2-weu").unwrap().rules.last().unwrap().clone();
    assert!(added.priority < 150, "{added:?}");
    let after = connect(&ed, "carol@contoso.com", "vm-app2-sql01", &browser(ConnectProtocol::Rdp));
    assert!(!failing(&after).contains(&RuleId::RNsgIn), "{after:#?}");
}

#[test]
fn unknown_names_and_a_vm_without_bastion_never_panic() {
    let ed = editor("hub-spoke");
    let out = connect(&ed, "nobody", "vm-nowhere", &browser(ConnectProtocol::Rdp));
    assert!(!out.opens && out.steps.len() == 1 && out.bastion.is_none());
    let mut ed = editor("hub-spoke");
    ed.apply(&Command::Delete { keys: vec![bastion_sim::edit::Key::Bastion("bas-hub-weu".to_string())] }).unwrap();
    let out = connect(&ed, "alice@contoso.com", "vm-app1-web01", &browser(ConnectProtocol::Ssh));
    assert!(out.detected.is_empty() && !out.opens);
    assert_eq!(out.failures().next().unwrap().stage, ConnectStage::Detection);
}

#[test]
fn a_disconnected_peering_fails_the_path_and_recreating_the_link_opens_the_session() {
    let mut ed = editor("broken-disconnected-peering");
    let request = browser(ConnectProtocol::Rdp);
    let before = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request);
    // The hub's link survives (Disconnected): the Connect page still lists the hub's Bastion.
    assert_eq!(before.detected.len(), 1);
    assert!(!before.detected[0].reachable);
    let step = before.failures().find(|s| s.rule == RuleId::RPeer).expect("R-PEER fails");
    assert_eq!(step.stage, ConnectStage::NetworkPath);
    apply_fix_of(&mut ed, &before, RuleId::RPeer);
    let after = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request);
    assert!(after.opens, "{after:#?}");
}

/// IP-based connection chosen as the client: every R-IPCONNECT step of the outcome speaks
/// of IP-based connection (none says the session "does not use" it), and an Entra ID VM
/// fails it once, on the VM.
#[test]
fn connecting_by_ip_never_says_the_session_does_not_use_ip_based_connection() {
    let mut ed = editor("hub-spoke");
    let mut vm = ed.file.design.vm("vm-app2-sql01").unwrap().clone();
    vm.sign_in = SignIn::EntraId;
    vm.entra_login_extension = true;
    ed.apply(&Command::Update { item: Item::Vm(vm) }).expect("valid edit");
    let request = ConnectRequest {
        protocol: ConnectProtocol::Rdp,
        client: ConnectClient::IpBased,
        bastion: None,
        subscription_filter: None,
    };
    let outcome = connect(&ed, "bob@contoso.com", "vm-app2-sql01", &request);
    let ip: Vec<_> = outcome.steps.iter().filter(|s| s.rule == RuleId::RIpConnect).collect();
    assert_eq!(ip.len(), 1, "{ip:#?}");
    assert_eq!(ip[0].outcome, Outcome::Fail);
    assert_eq!(ip[0].resource, "vm-app2-sql01");
    assert!(!ip[0].found.contains("does not use IP-based connection"), "{ip:#?}");
}

/// vwan-central: the spoke VMs have no Bastion in their own or a peered VNet, so the VM's
/// Connect page lists none; the central Bastion reaches them by IP-based connection
/// (R-VWAN), and the failing step says so rather than only "deploy a Bastion".
#[test]
fn a_vm_reached_only_over_the_virtual_wan_is_pointed_to_ip_based_connection() {
    let ed = editor("vwan-central");
    let outcome = connect(&ed, "alice@contoso.com", "vm-app1-web01", &browser(ConnectProtocol::Ssh));
    assert!(!outcome.opens);
    assert!(outcome.detected.is_empty());
    let step = outcome.failures().next().unwrap();
    assert!(step.fix.contains("IP-based connection") && step.fix.contains("bas-central-weu"), "{step:#?}");
    let request = ConnectRequest { client: ConnectClient::IpBased, ..browser(ConnectProtocol::Ssh) };
    assert!(connect(&ed, "alice@contoso.com", "vm-app1-web01", &request).opens);
}

/// R-DEV-ONE both ways: a Developer host serves the VM's own Connect page in the browser
/// (the step passes), and nothing else — the native client or the IP-based Connect blade
/// fail R-DEV-ONE once, with the way out, and no second step contradicts it.
#[test]
fn developer_serves_only_the_vms_own_connect_page_in_the_browser() {
    let mut ed = editor("broken-developer-peering");
    let (user, vm, host) = ("erin@contoso.com", "vm-dev-test01", "bas-dev-weu");
    assert_eq!(ed.file.design.bastion(host).unwrap().sku, BastionSku::Developer);

    let from_page = connect(&ed, user, vm, &browser(ConnectProtocol::Ssh));
    assert_eq!(from_page.bastion.as_deref(), Some(host));
    let dev_one: Vec<_> = from_page.steps.iter().filter(|s| s.rule == RuleId::RDevOne).collect();
    assert_eq!(dev_one.len(), 1, "{from_page:#?}");
    assert_eq!(dev_one[0].outcome, Outcome::Pass);
    assert!(!failing(&from_page).contains(&RuleId::RDevOne));

    for client in [ConnectClient::NativeClient, ConnectClient::IpBased] {
        let request = ConnectRequest { client, ..browser(ConnectProtocol::Ssh) };
        let outcome = connect(&ed, user, vm, &request);
        assert!(!outcome.opens, "{client:?}: {outcome:#?}");
        let dev_one: Vec<_> = outcome.steps.iter().filter(|s| s.rule == RuleId::RDevOne).collect();
        assert_eq!(dev_one.len(), 1, "{client:?}: one R-DEV-ONE step, {outcome:#?}");
        let step = dev_one[0];
        assert_eq!(step.outcome, Outcome::Fail);
        assert!(step.found.contains("own Connect page in the browser"), "{}", step.found);
        assert!(step.found.contains(client.name()), "{}", step.found);
        assert!(step.fix.contains("Upgrade") || step.fix.contains("upgrade"), "{}", step.fix);
        // The client's SKU need is said once, by R-DEV-ONE.
        assert!(!failing(&outcome).contains(&RuleId::SkuUpgrade), "{client:?}: {outcome:#?}");
    }

    // The fix upgrades the host and turns the client's feature on, in one undoable step.
    let request = ConnectRequest { client: ConnectClient::NativeClient, ..browser(ConnectProtocol::Ssh) };
    let before = connect(&ed, user, vm, &request);
    apply_fix_of(&mut ed, &before, RuleId::RDevOne);
    let upgraded = ed.file.design.bastion(host).unwrap();
    assert_eq!(upgraded.sku, BastionSku::Standard);
    assert!(upgraded.features.native_client);
    let after = connect(&ed, user, vm, &request);
    assert!(after.steps.iter().all(|s| s.rule != RuleId::RDevOne), "{after:#?}");
    ed.undo();
    assert_eq!(ed.file.design.bastion(host).unwrap().sku, BastionSku::Developer);
}
