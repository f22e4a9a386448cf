//! SKU advice as an undoable edit: an in-place upgrade to the least SKU (never a
//! downgrade) and the scale units of the capacity answer, producing a valid design.

use bastion_sim::edit::advise::{capacity_fix, sku_command, sku_fix};
use bastion_sim::edit::{Command, Editor};
use bastion_sim::engine::{analyze, FixAction, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn editor(scenario: &str) -> Editor {
    let design = (scenarios::by_name(scenario).expect("scenario").build)();
    Editor::new(DesignFile { design, layout: Layout::default() })
}

fn set_bastion(ed: &mut Editor, name: &str, edit: impl Fn(&mut BastionHost)) {
    let mut host = ed.file.design.bastion(name).unwrap().clone();
    edit(&mut host);
    ed.apply(&Command::Update { item: bastion_sim::edit::Item::Bastion(host) }).expect("valid edit");
}

#[test]
fn basic_with_ip_based_connection_needs_standard_and_the_advice_applies_as_one_undo_step() {
    let mut ed = editor("peering-hub-spoke");
    let name = ed.file.design.bastions[0].name.clone();
    assert_eq!(ed.file.design.bastions[0].sku, BastionSku::Basic);
    // IP-based connection toggled on a Basic (the design allows it; Azure needs Standard).
    set_bastion(&mut ed, &name, |b| {
        b.features.ip_connect = true;
        b.expected_rdp_sessions = Some(90);
    });
    let before = ed.file.design.clone();
    let analysis = analyze(&before);
    let advice = analysis.sku.iter().find(|a| a.bastion == name).unwrap().clone();
    assert_eq!(advice.least, BastionSku::Standard);
    assert!(
        advice.reasons.iter().any(|r| r.needs == BastionSku::Standard && r.because.contains("IP-based")),
        "{advice:#?}"
    );
    assert_eq!(advice.instances_needed, 5);
    assert!(analysis.findings.iter().any(|f| f.id == RuleId::SkuUpgrade && f.resource == name));

    let command = sku_command(&before, &advice).unwrap().expect("an upgrade to apply");
    ed.apply(&command).expect("a valid design");
    let host = ed.file.design.bastion(&name).unwrap();
    assert_eq!(host.sku, BastionSku::Standard);
    assert_eq!(host.scale_units, 5);
    assert!(host.features.ip_connect);
    assert!(validate(&ed.file.design).is_empty());
    let after = analyze(&ed.file.design);
    assert!(!after
        .findings
        .iter()
        .any(|f| matches!(f.id, RuleId::SkuUpgrade | RuleId::SkuCapacity) && f.resource == name));
    ed.undo();
    assert_eq!(ed.file.design, before);
}

#[test]
fn an_over_provisioned_bastion_is_never_downgraded_by_an_edit() {
    let ed = editor("hub-spoke");
    let analysis = analyze(&ed.file.design);
    let mut advice = analysis.sku[0].clone();
    advice.least = BastionSku::Basic;
    assert_eq!(advice.current, BastionSku::Standard);
    assert_eq!(sku_fix(&ed.file.design, &advice), Ok(None));
}

#[test]
fn developer_to_basic_provisions_the_subnet_and_public_ip() {
    let mut ed = editor("broken-developer-peering");
    let advice = analyze(&ed.file.design).sku[0].clone();
    assert_eq!((advice.current, advice.least), (BastionSku::Developer, BastionSku::Basic));
    let fix = sku_fix(&ed.file.design, &advice).unwrap().unwrap();
    assert!(matches!(fix, FixAction::SetBastionSku { sku: BastionSku::Basic, .. }));
    ed.apply(&Command::ApplyFix(fix)).expect("valid");
    let host = ed.file.design.bastions[0].clone();
    assert_eq!(host.sku, BastionSku::Basic);
    let vnet = ed.file.design.vnet(&host.vnet).unwrap();
    assert!(vnet.subnet(BASTION_SUBNET).is_some());
    assert!(host.public_ip.as_ref().is_some_and(|p| ed.file.design.public_ips.iter().any(|it| it.name == *p)));
}

#[test]
fn the_capacity_answer_becomes_scale_units_and_basic_is_upgraded_to_carry_them() {
    let mut ed = editor("peering-hub-spoke");
    let name = ed.file.design.bastions[0].name.clone();
    // Basic carries 40 RDP on its fixed 2 instances: nothing to change.
    assert_eq!(capacity_fix(&ed.file.design, &name, 40, 0), Ok(None));
    // 300 SSH sessions need ceil(300/40) = 8 instances: Standard with 8.
    let fix = capacity_fix(&ed.file.design, &name, 0, 300).unwrap().unwrap();
    ed.apply(&Command::ApplyFix(fix)).unwrap();
    let host = ed.file.design.bastion(&name).unwrap();
    assert_eq!((host.sku, host.scale_units), (BastionSku::Standard, 8));
    // More than 50 instances: another Bastion, not an edit.
    assert!(capacity_fix(&ed.file.design, &name, 1001, 0).unwrap_err().contains("another Bastion"));
}

/// SKU-CAPACITY: above 50 instances one Bastion is not enough, whatever its SKU. A Basic
/// host with such a load must not be told to "set 100 instances" (Standard stops at 50).
#[test]
fn a_basic_bastion_with_more_sessions_than_fifty_instances_carry_is_told_it_needs_another_bastion() {
    use bastion_sim::engine::sku::instances_needed;
    let answer = instances_needed(BastionSku::Basic, 2000, 0);
    assert_eq!(answer.instances, 100);
    assert!(!answer.fits);
    assert!(answer.message.contains("another Bastion"), "{}", answer.message);
    assert!(!answer.message.contains("set 100 instances"), "{}", answer.message);

    let mut ed = editor("per-spoke");
    let name = ed.file.design.bastions[0].name.clone();
    set_bastion(&mut ed, &name, |b| b.expected_rdp_sessions = Some(2000));
    let analysis = analyze(&ed.file.design);
    let capacity = analysis
        .findings
        .iter()
        .find(|f| f.id == RuleId::SkuCapacity && f.resource == name)
        .expect("a SKU-CAPACITY finding");
    assert!(!capacity.message.contains("set 100 instances"), "{capacity:#?}");
    assert!(capacity.fix.contains("another Bastion"), "{capacity:#?}");
}
