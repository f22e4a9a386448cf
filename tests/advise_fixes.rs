//! Every mechanical fix of a broken built-in scenario, applied through the editor, removes
//! its finding in one undoable edit, and undo brings the finding back; the findings that
//! stay non-mechanical are the design-level advice listed here.

use bastion_sim::edit::{Command, Editor};
use bastion_sim::engine::fixes::fix_action_for;
use bastion_sim::engine::{analyze, Finding, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn findings(design: &Design) -> Vec<Finding> {
    analyze(design).findings
}

/// (rule id, resource) of every finding that carries a FixAction, per broken scenario.
fn expected_mechanical(scenario: &str) -> Vec<(&'static str, &'static str)> {
    match scenario {
        "broken-bastion-nsg" => vec![
            ("B-HEALTH-4", "bas-hub-weu"),
            ("CAF-R5", "nsg-bas-hub-weu"),
            ("CONSOLIDATE-UNREACHED", "vnet-spoke-app1-weu"),
            ("CONSOLIDATE-UNREACHED", "vnet-spoke-app2-weu"),
        ],
        "broken-spoke-to-spoke" => vec![("CONSOLIDATE-UNREACHED", "vnet-spoke-app2-weu")],
        "broken-developer-peering" => vec![
            ("SKU-UPGRADE", "bas-dev-weu"),
            ("CAF-R1", "bas-dev-weu"),
            ("CONSOLIDATE-UNREACHED", "vnet-devdata-weu"),
        ],
        "broken-disconnected-peering" => vec![("CONSOLIDATE-UNREACHED", "vnet-spoke-app2-weu")],
        "broken-forced-tunnel" => {
            vec![("B-HEALTH-6", "bas-hub-weu"), ("CONSOLIDATE-UNREACHED", "vnet-spoke-app1-weu")]
        }
        "broken-missing-reader" => vec![("CAF-R7", "bob@contoso.com")],
        "broken-public-ip" => vec![("CAF-R10", "vm-app2-jump01")],
        other => panic!("no expectation for {other}"),
    }
}

/// Design-level advice: naming the pattern (CAF-R2/R3/R4), break-glass (CAF-R9) and
/// consolidation (CONSOLIDATE-HUB) are decisions, not edits.
const NON_MECHANICAL: [RuleId; 5] =
    [RuleId::CafR2, RuleId::CafR3, RuleId::CafR4, RuleId::CafR9, RuleId::ConsolidateHub];

#[test]
fn each_fix_of_each_broken_scenario_removes_its_finding_and_undo_brings_it_back() {
    let broken: Vec<_> = scenarios::all().into_iter().filter(|s| s.name.starts_with("broken-")).collect();
    assert_eq!(broken.len(), 7);
    for scenario in broken {
        let design = (scenario.build)();
        let analysis = analyze(&design);
        let before = analysis.findings.clone();
        let mechanical: Vec<(&str, &str)> =
            before.iter().filter(|f| f.mechanical).map(|f| (f.id.as_str(), f.resource.as_str())).collect();
        assert_eq!(mechanical, expected_mechanical(scenario.name), "{}", scenario.name);
        for f in before.iter().filter(|f| !f.mechanical) {
            assert!(NON_MECHANICAL.contains(&f.id), "{}: {} on {} has no fix action", scenario.name, f.id, f.resource);
        }
        for finding in before.iter().filter(|f| f.mechanical) {
            let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
            // What the Fix button applies: the action built on demand.
            let action = fix_action_for(&design, &analysis, finding).expect("a mechanical finding has its fix");
            editor
                .apply(&Command::ApplyFix(action.clone()))
                .unwrap_or_else(|e| panic!("{}: {} fix refused: {e}\n{action:#?}", scenario.name, finding.id));
            assert!(editor.can_undo(), "{}: {} changed nothing", scenario.name, finding.id);
            let after = findings(&editor.file.design);
            assert!(
                !after.iter().any(|f| f.id == finding.id && f.resource == finding.resource),
                "{}: {} on {} survives its fix {action:?}",
                scenario.name,
                finding.id,
                finding.resource
            );
            assert!(editor.undo());
            assert_eq!(editor.file.design, design, "{}: undo restores the design", scenario.name);
            assert!(
                findings(&editor.file.design).contains(finding),
                "{}: undo brings {} back",
                scenario.name,
                finding.id
            );
        }
    }
}

#[test]
fn health_fixes_beyond_the_scenarios_are_mechanical_too() {
    let base = (scenarios::by_name("hub-spoke").unwrap().build)();
    let bastion = "bas-hub-weu";
    type Breaker = Box<dyn Fn(&mut Design)>;
    let cases: Vec<(RuleId, Breaker)> = vec![
        (
            RuleId::BHealth5,
            Box::new(|d: &mut Design| {
                let pip = d.bastions[0].public_ip.clone().unwrap();
                let ip = d.public_ips.iter_mut().find(|p| p.name == pip).unwrap();
                ip.sku = PublicIpSku::Basic;
                ip.allocation = IpAllocation::Dynamic;
            }),
        ),
        (
            RuleId::BHealth7,
            Box::new(|d: &mut Design| {
                let hub = d.vnets.iter_mut().find(|v| v.name == "vnet-hub-weu").unwrap();
                hub.private_dns_zones.push("blob.core.windows.net".to_string());
                hub.private_dns_zones.push("privatelink.blob.core.windows.net".to_string());
            }),
        ),
        (
            RuleId::BHealth6,
            Box::new(|d: &mut Design| {
                d.vnets.iter_mut().find(|v| v.name == "vnet-hub-weu").unwrap().route_server_default_route = true;
            }),
        ),
        (
            RuleId::Jit3,
            Box::new(|d: &mut Design| {
                let vm = d.vms.iter_mut().find(|v| v.name == "vm-app1-web01").unwrap();
                vm.jit_policy = true;
                let sub = vm.subscription.clone();
                d.subscriptions.iter_mut().find(|s| s.id == sub).unwrap().defender_for_servers_p2 = false;
            }),
        ),
    ];
    for (rule, breaker) in cases {
        let mut design = base.clone();
        breaker(&mut design);
        assert!(validate(&design).is_empty(), "{rule}");
        let analysis = analyze(&design);
        let before = &analysis.findings;
        let finding = before.iter().find(|f| f.id == rule).unwrap_or_else(|| panic!("{rule} fires: {before:#?}"));
        assert!(rule == RuleId::Jit3 || finding.resource == bastion);
        assert!(finding.mechanical, "{rule}");
        let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
        editor.apply(&Command::ApplyFix(fix_action_for(&design, &analysis, finding).expect("mechanical"))).unwrap();
        assert!(!findings(&editor.file.design).iter().any(|f| f.id == rule), "{rule} survives its fix");
        editor.undo();
        assert_eq!(editor.file.design, design);
    }
}

/// The page shows a Fix button exactly where pressing it finds a fix: `analyze`'s cheap
/// marker agrees with the action built on demand, for every finding of every built-in
/// scenario and of the small synthetic estate (272 unreached VNets of several kinds).
#[test]
fn the_fix_marker_agrees_with_the_fix_built_on_demand() {
    use bastion_sim::scenarios::synthetic::{generate, EstateParams};
    let mut designs: Vec<(String, Design)> =
        scenarios::all().into_iter().map(|s| (s.name.to_string(), (s.build)())).collect();
    designs.push(("synthetic small".to_string(), generate(&EstateParams::small())));
    let mut on_demand = 0;
    for (name, design) in designs {
        let analysis = analyze(&design);
        for finding in &analysis.findings {
            let action = fix_action_for(&design, &analysis, finding);
            assert_eq!(
                finding.mechanical,
                action.is_some(),
                "{name}: {} on {} is marked {} but its fix is {action:?}",
                finding.id,
                finding.resource,
                finding.mechanical
            );
            on_demand += usize::from(finding.fix_action.is_none() && action.is_some());
        }
    }
    assert!(on_demand > 0, "some fixes are built on demand");
}

/// The on-demand fix takes the design and its analysis from the caller: given the analysis
/// of another design it answers (no fix or some fix), it does not panic.
#[test]
fn a_fix_asked_of_another_designs_analysis_does_not_panic() {
    let broken = (scenarios::by_name("broken-bastion-nsg").unwrap().build)();
    let analysis = analyze(&broken);
    let other = (scenarios::by_name("hub-spoke").unwrap().build)();
    let unreached: Vec<&Finding> = analysis.findings.iter().filter(|f| f.id == RuleId::ConsolidateUnreached).collect();
    assert!(!unreached.is_empty());
    // The same design with one more VNet in front: every VNet index moved by one.
    let mut shifted = broken.clone();
    let mut extra = shifted.vnets[0].clone();
    extra.name = "vnet-extra".into();
    shifted.vnets.insert(0, extra);
    for finding in &analysis.findings {
        let _ = fix_action_for(&other, &analysis, finding);
        let _ = fix_action_for(&Design::default(), &analysis, finding);
        let _ = fix_action_for(&shifted, &analysis, finding);
    }
}
