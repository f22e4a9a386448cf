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
    let mut ed = editor("hub-spoke");
    let nic_nsg = Nsg {
        name: "nsg-nic-app2-sql01".to_string(),
        rules: vec![rule("DenyRdp", 300, Direction::Inbound, Access::Deny, "*", "3389")],
        ..ed.file.design.nsg("nsg-snet-app-app2-weu").unwrap().clone()
    };
    ed.apply(&Command::AddNsg { nsg: nic_nsg }).unwrap();
    ed.apply(&Command::SetNsg {
        target: NsgTarget::Nic { vm: "vm-app2-sql01".to_string() },
        nsg: Some("nsg-nic-app2-sql01".to_string()),
    })
    .unwrap();
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
    assert!(rdp.rule_to_add.priority < 300);
    assert_eq!(rdp.rule_to_add.access, Access::Allow);
    assert_eq!(rdp.rule_to_add.sources, vec![rdp.source.clone()]);

    ed.apply(&Command::ApplyFix(rdp.fix_action.clone())).unwrap();
    let after = analyze(&ed.file.design);
    assert_eq!(after.blocker(hub, bastion_sim::engine::Target::Vm(vm)), None);
    assert!(target_vm_nsgs(&ed.file.design, &after, "vm-app2-sql01").iter().all(|b| b.port != 3389));
    ed.undo();
    assert_eq!(analyze(&ed.file.design).blocker(hub, bastion_sim::engine::Target::Vm(vm)), Some(RuleId::RNsgIn));
}

#[test]
fn unknown_names_give_nothing() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    assert!(bastion_subnet_nsg(&design, "nsg-nope").is_none());
    assert!(target_vm_nsgs(&design, &analyze(&design), "vm-nope").is_empty());
    assert!(target_vm_nsgs(&design, &analyze(&design), "vm-app1-web01").is_empty());
}
