//! The NSG helper: required AzureBastionSubnet rows missing or shadowed with the rules to
//! add, and the rules on a VM's subnet or NIC that block 22/3389 from a Bastion, each with
//! a FixAction that the editor applies as one undoable edit.

use bastion_sim::edit::{Command, Editor, Item, NsgTarget};
use bastion_sim::engine::nsg_helper::{bastion_nsg_of, bastion_subnet_nsg, target_vm_nsgs, Attachment};
use bastion_sim::engine::{analyze, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn editor(scenario: &str) -> Editor {
    let design = (scenarios::by_name(scenario).expect("scenario").build)();
    Editor::new(DesignFile { design, layout: Layout::default() })
}

fn has_finding(design: &Design, id: RuleId, resource: &str) -> bool {
    analyze(design).findings.iter().any(|f| f.id == id && f.resource == resource)
}

fn rule(name: &str, priority: u32, direction: Direction, access: Access, source: &str, port: &str) -> NsgRule {
    scenarios::builder::rule(name, priority, direction, access, &[source], &["*"], &[port])
}

/// hub-spoke with an NSG on vm-app2-sql01's NIC whose one rule, DenyRdp, denies 3389 from
/// anywhere at `priority`.
fn rdp_denied_on_the_nic_at(priority: u32) -> Editor {
    let mut ed = editor("hub-spoke");
    let nic_nsg = Nsg {
        name: "nsg-nic-app2-sql01".to_string(),
        rules: vec![rule("DenyRdp", priority, Direction::Inbound, Access::Deny, "*", "3389")],
        ..ed.file.design.nsg("nsg-snet-app-app2-weu").unwrap().clone()
    };
    ed.apply(&Command::AddNsg { nsg: nic_nsg }).unwrap();
    ed.apply(&Command::SetNsg {
        target: NsgTarget::Nic { vm: "vm-app2-sql01".to_string() },
        nsg: Some("nsg-nic-app2-sql01".to_string()),
    })
    .unwrap();
    ed
}

#[test]
fn a_missing_https_row_is_reported_with_the_rule_to_add_and_the_fix_heals_the_bastion() {
    let mut ed = editor("broken-bastion-nsg");
    assert_eq!(bastion_nsg_of(&ed.file.design, "bas-hub-weu").as_deref(), Some("nsg-bas-hub-weu"));
    let report = bastion_subnet_nsg(&ed.file.design, "nsg-bas-hub-weu").expect("known NSG");
    assert_eq!(report.rows.len(), 8);
    let missing: Vec<&str> = report.rows.iter().filter(|r| r.state != "satisfied").map(|r| r.state).collect();
    assert_eq!(missing, vec!["missing"]);
    let names: Vec<&str> = report.rules_to_add.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["AllowHttpsInbound"]);
    assert!(has_finding(&ed.file.design, RuleId::BHealth4, "bas-hub-weu"));
    ed.apply(&Command::ApplyFix(report.fix_action.expect("a fix"))).unwrap();
    let healed = bastion_subnet_nsg(&ed.file.design, "nsg-bas-hub-weu").unwrap();
    assert!(healed.rows.iter().all(|r| r.state == "satisfied") && healed.fix_action.is_none());
    assert!(!has_finding(&ed.file.design, RuleId::BHealth4, "bas-hub-weu"));
    ed.undo();
    assert!(has_finding(&ed.file.design, RuleId::BHealth4, "bas-hub-weu"));
}

#[test]
fn a_higher_priority_deny_shadows_an_allow_and_the_added_rule_sits_above_it() {
    let mut ed = editor("hub-spoke");
    let mut nsg = ed.file.design.nsg("nsg-bas-hub-weu").unwrap().clone();
    nsg.rules.push(rule("DenyInternetHttps", 115, Direction::Inbound, Access::Deny, "Internet", "443"));
    ed.apply(&Command::Update { item: Item::Nsg(nsg) }).unwrap();
    let report = bastion_subnet_nsg(&ed.file.design, "nsg-bas-hub-weu").unwrap();
    let shadowed: Vec<_> = report.rows.iter().filter(|r| r.state == "shadowed").collect();
    assert!(!shadowed.is_empty(), "{report:#?}");
    assert!(shadowed.iter().all(|r| r.decided_by.as_deref().is_some_and(|q| q.contains("DenyInternetHttps"))));
    assert!(report.rules_to_add.iter().all(|r| r.priority < 115), "{:#?}", report.rules_to_add);
    ed.apply(&Command::ApplyFix(report.fix_action.unwrap())).unwrap();
    let healed = bastion_subnet_nsg(&ed.file.design, "nsg-bas-hub-weu").unwrap();
    assert!(healed.rows.iter().all(|r| r.state == "satisfied"), "{healed:#?}");
}

#[test]
fn a_nic_nsg_blocking_rdp_from_the_bastion_subnet_gets_an_allow_above_the_blocker() {
    let mut ed = rdp_denied_on_the_nic_at(300);
    let design = ed.file.design.clone();
    let analysis = analyze(&design);
    let hub = design.bastions.iter().position(|b| b.name == "bas-hub-weu").unwrap();
    let vm = design.vms.iter().position(|v| v.name == "vm-app2-sql01").unwrap();
    assert_eq!(analysis.blocker(hub, bastion_sim::engine::Target::Vm(vm)), Some(RuleId::RNsgIn));

    let blocks = target_vm_nsgs(&design, &analysis, "vm-app2-sql01");
    // The subnet NSG admits 22 and 3389 from the hub's Bastion subnet; on the NIC, DenyRdp
    // blocks 3389 while 22 falls to Azure's AllowVnetInBound (the peered hub is VirtualNetwork).
    let found: Vec<(&str, Attachment, u16)> = blocks.iter().map(|b| (b.nsg.as_str(), b.attachment, b.port)).collect();
    assert_eq!(found, vec![("nsg-nic-app2-sql01", Attachment::Nic, 3389)]);
    let rdp = &blocks[0];
    assert!(rdp.blocked_by.contains("DenyRdp"), "{}", rdp.blocked_by);
    assert_eq!(rdp.blocker_priority, 300);
    let to_add = rdp.rule_to_add.as_ref().expect("a free priority above 300");
    assert!(to_add.priority < 300);
    assert_eq!(to_add.access, Access::Allow);
    assert_eq!(to_add.sources, vec![rdp.source.clone()]);

    ed.apply(&Command::ApplyFix(rdp.fix_action.clone().expect("a fix"))).unwrap();
    let after = analyze(&ed.file.design);
    assert_eq!(after.blocker(hub, bastion_sim::engine::Target::Vm(vm)), None);
    assert!(target_vm_nsgs(&ed.file.design, &after, "vm-app2-sql01").iter().all(|b| b.port != 3389));
    ed.undo();
    assert_eq!(analyze(&ed.file.design).blocker(hub, bastion_sim::engine::Target::Vm(vm)), Some(RuleId::RNsgIn));
}

/// A deny at priority 100 leaves no number above it: an allow added anywhere would sit
/// below the deny and change nothing, so neither the NSG helper nor the Connect step nor the
/// finding offers a one-click rule; the helper says the deny must move first.
#[test]
fn a_deny_at_100_gets_no_allow_rule_that_would_sit_below_it() {
    let ed = rdp_denied_on_the_nic_at(100);
    let design = ed.file.design.clone();
    let analysis = analyze(&design);
    let blocks = target_vm_nsgs(&design, &analysis, "vm-app2-sql01");
    assert_eq!(blocks.len(), 1, "{blocks:#?}");
    assert_eq!(blocks[0].blocker_priority, 100);
    assert!(blocks[0].rule_to_add.is_none() && blocks[0].fix_action.is_none(), "{blocks:#?}");

    // The Connect step that R-NSG-IN fails has a fix sentence but no fix action.
    let request = bastion_sim::engine::connect::ConnectRequest::default_for(&design, "vm-app2-sql01");
    let user = design.users[0].name.clone();
    let outcome = bastion_sim::engine::connect::simulate(&design, &analysis, &user, "vm-app2-sql01", &request);
    let step = outcome.failures().find(|s| s.rule == RuleId::RNsgIn).expect("R-NSG-IN fails");
    assert!(step.fix_action.is_none(), "{step:#?}");
    // So does the NSG's CAF-R5 finding, whose fix says the deny must move first.
    let caf_r5 = analysis.findings.iter().find(|f| f.id == RuleId::CafR5 && f.resource == "nsg-nic-app2-sql01");
    let caf_r5 = caf_r5.expect("CAF-R5 on the NIC NSG");
    assert!(caf_r5.fix_action.is_none(), "{caf_r5:#?}");
    assert!(caf_r5.fix.contains("move or narrow that deny first"), "{}", caf_r5.fix);

    // With 100 free the allow goes there, above the deny, and opens the session.
    let mut ed = rdp_denied_on_the_nic_at(101);
    let blocks = target_vm_nsgs(&ed.file.design, &analyze(&ed.file.design), "vm-app2-sql01");
    assert_eq!(blocks[0].rule_to_add.as_ref().map(|r| r.priority), Some(100));
    let analysis = analyze(&ed.file.design);
    let caf_r5 = analysis.findings.iter().find(|f| f.id == RuleId::CafR5 && f.resource == "nsg-nic-app2-sql01");
    assert!(caf_r5.is_some_and(|f| f.fix_action.is_some() && !f.fix.contains("move or narrow")), "{caf_r5:#?}");
    ed.apply(&Command::ApplyFix(blocks[0].fix_action.clone().unwrap())).unwrap();
    assert!(target_vm_nsgs(&ed.file.design, &analyze(&ed.file.design), "vm-app2-sql01").is_empty());
}

#[test]
fn unknown_names_give_nothing() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    assert!(bastion_subnet_nsg(&design, "nsg-nope").is_none());
    assert!(target_vm_nsgs(&design, &analyze(&design), "vm-nope").is_empty());
    assert!(target_vm_nsgs(&design, &analyze(&design), "vm-app1-web01").is_empty());
}
