//! Remote-access options per VM: Bastion, JIT, hybrid and public IP — whether each applies
//! and why, and the one the landing-zone guidance recommends.

use bastion_sim::edit::{Command, Editor, Item};
use bastion_sim::engine::options::{remote_access, AccessKind, AccessOption};
use bastion_sim::engine::{analyze, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn options(design: &Design, vm: &str) -> Vec<AccessOption> {
    remote_access(design, &analyze(design), vm)
}

fn design(scenario: &str) -> Design {
    (scenarios::by_name(scenario).expect("scenario").build)()
}

fn get(options: &[AccessOption], kind: AccessKind) -> &AccessOption {
    options.iter().find(|o| o.kind == kind).expect("every kind is listed")
}

#[test]
fn a_spoke_vm_of_hub_spoke_is_reached_by_the_hub_bastion_and_over_expressroute() {
    let d = design("hub-spoke");
    let opts = options(&d, "vm-app1-web01");
    assert_eq!(
        opts.iter().map(|o| o.kind).collect::<Vec<_>>(),
        vec![AccessKind::Bastion, AccessKind::Jit, AccessKind::Hybrid, AccessKind::PublicIp]
    );
    let bastion = get(&opts, AccessKind::Bastion);
    assert!(bastion.applies && bastion.recommended);
    assert_eq!(bastion.via, vec!["bas-hub-weu".to_string()]);
    assert_eq!(bastion.rule, RuleId::CafR4);
    let hybrid = get(&opts, AccessKind::Hybrid);
    assert!(hybrid.applies && !hybrid.recommended && hybrid.guidance.contains("CAF-R2"));
    assert_eq!(hybrid.via, vec!["site-dc-amsterdam".to_string()]);
    assert!(!get(&opts, AccessKind::Jit).applies);
    assert!(!get(&opts, AccessKind::PublicIp).applies);
    assert_eq!(opts.iter().filter(|o| o.recommended).count(), 1);
}

#[test]
fn a_public_ip_applies_but_is_never_recommended() {
    let d = design("broken-public-ip");
    let opts = options(&d, "vm-app2-jump01");
    let pip = get(&opts, AccessKind::PublicIp);
    assert!(pip.applies && !pip.recommended);
    assert_eq!(pip.rule, RuleId::CafR10);
    assert!(pip.why.contains("3389"), "{}", pip.why);
}

#[test]
fn with_no_bastion_reaching_and_no_hybrid_path_a_jit_policy_is_recommended() {
    let mut ed = Editor::new(DesignFile { design: design("broken-disconnected-peering"), layout: Layout::default() });
    let before = options(&ed.file.design, "vm-app2-sql01");
    assert!(!get(&before, AccessKind::Bastion).applies);
    assert!(get(&before, AccessKind::Bastion).why.contains("R-PEER"));
    assert!(!get(&before, AccessKind::Hybrid).applies);
    // Without JIT, Bastion is what to deploy or repair.
    assert!(get(&before, AccessKind::Bastion).recommended);
    let mut vm = ed.file.design.vm("vm-app2-sql01").unwrap().clone();
    vm.jit_policy = true;
    let subscription = vm.subscription.clone();
    ed.apply(&Command::Update { item: Item::Vm(vm) }).unwrap();
    // Without Defender for Servers Plan 2 the policy does nothing (JIT-3).
    let mut sub = ed.file.design.subscription(&subscription).unwrap().clone();
    sub.defender_for_servers_p2 = false;
    ed.apply(&Command::Update { item: Item::Subscription(sub.clone()) }).unwrap();
    let jit = get(&options(&ed.file.design, "vm-app2-sql01"), AccessKind::Jit).clone();
    assert!(!jit.applies && jit.rule == RuleId::Jit3, "{jit:#?}");
    sub.defender_for_servers_p2 = true;
    ed.apply(&Command::Update { item: Item::Subscription(sub) }).unwrap();
    let after = options(&ed.file.design, "vm-app2-sql01");
    let jit = get(&after, AccessKind::Jit);
    assert!(jit.applies && jit.recommended, "{jit:#?}");
    assert!(!get(&after, AccessKind::Bastion).recommended);
}

#[test]
fn an_unknown_vm_has_no_options() {
    assert!(options(&design("hub-spoke"), "vm-nope").is_empty());
}
