//! The built-in scenarios as a trainer sees them: the text report of each is pinned in
//! tests/snapshots/<scenario>.txt (`UPDATE_SNAPSHOTS=1 cargo test --test scenarios`
//! rewrites them), and the key verdicts of each pattern are asserted explicitly.

use bastion_sim::engine::{explain, Analysis, Explanation, Outcome, RuleId, Severity, Verdict};
use bastion_sim::model::Design;
use bastion_sim::report::{json_report, text_report};
use bastion_sim::{analyze, scenarios};
use std::path::PathBuf;

mod support;
use support::{bastion, check_snapshot, target};

fn load(name: &str) -> (Design, Analysis) {
    let scenario = scenarios::by_name(name).unwrap_or_else(|| panic!("no scenario {name}"));
    let design = (scenario.build)();
    let analysis = analyze(&design);
    (design, analysis)
}

/// The blocker (None when reachable) and the explanation of one pair.
fn pair(design: &Design, analysis: &Analysis, from: &str, to: &str) -> (Option<RuleId>, Explanation) {
    let (b, t) = (bastion(design, from), target(design, to));
    (analysis.blocker(b, t), explain(design, b, t))
}

fn assert_reachable(design: &Design, analysis: &Analysis, from: &str, to: &str) {
    let (blocker, explanation) = pair(design, analysis, from, to);
    assert_eq!(blocker, None, "{from} -> {to} should be reachable: {:#?}", explanation.checks);
}

fn assert_blocked_by(design: &Design, analysis: &Analysis, from: &str, to: &str, rule: RuleId) -> Explanation {
    let (blocker, explanation) = pair(design, analysis, from, to);
    assert_eq!(blocker, Some(rule), "{from} -> {to}: {:#?}", explanation.checks);
    explanation
}

/// The failing check of `rule` in an explanation, as "found + fix".
fn failing_text(explanation: &Explanation, rule: RuleId) -> String {
    let check = explanation
        .checks
        .iter()
        .find(|c| c.rule == rule && c.outcome == Outcome::Fail)
        .unwrap_or_else(|| panic!("no failing {rule} check in {:#?}", explanation.checks));
    format!("{} {}", check.found, check.fix)
}

fn has_finding(analysis: &Analysis, id: RuleId, resource: &str) -> bool {
    analysis.findings.iter().any(|f| f.id == id && f.resource == resource)
}

fn errors(analysis: &Analysis) -> Vec<String> {
    analysis
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}: {}", f.id, f.resource, f.message))
        .collect()
}

// ---------------------------------------------------------------- snapshots

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("snapshots").join(format!("{name}.txt"))
}

#[test]
fn every_scenario_matches_its_snapshot() {
    let mut mismatches = Vec::new();
    for scenario in scenarios::all() {
        let (design, analysis) = load(scenario.name);
        let actual = text_report(&design, &analysis);
        mismatches.extend(check_snapshot(scenario.name, &snapshot_path(scenario.name), &actual, "scenarios"));
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_snapshot_belongs_to_a_scenario() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("snapshots");
    let names = scenarios::names();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let stem = file.trim_end_matches(".txt");
        assert!(names.contains(&stem), "stale snapshot {file}: no scenario is called {stem}");
    }
}

// ---------------------------------------------------------------- every scenario

#[test]
fn explanations_agree_with_the_fast_verdicts_and_reports_are_deterministic() {
    for scenario in scenarios::all() {
        let (design, analysis) = load(scenario.name);
        for (b, t, blocker) in analysis.pairs() {
            let explanation = explain(&design, b, t);
            assert_eq!(
                explanation.blocker, blocker,
                "{}: {} -> {}",
                scenario.name, explanation.bastion, explanation.target
            );
            let verdict = if blocker.is_none() { Verdict::Reachable } else { Verdict::Blocked };
            assert_eq!(explanation.verdict, verdict);
        }
        let reachable = analysis.pairs().filter(|it| it.2.is_none()).count();
        assert_eq!(analysis.pair_counts(), (analysis.pairs().count(), reachable), "{}", scenario.name);
        assert_eq!(text_report(&design, &analysis), text_report(&design, &analyze(&design)));
        let json = json_report(&design, &analysis);
        let ids: Vec<(String, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["id"].as_str().unwrap().to_string(), f["resource"].as_str().unwrap().to_string()))
            .collect();
        let expected: Vec<(String, String)> =
            analysis.findings.iter().map(|f| (f.id.to_string(), f.resource.clone())).collect();
        assert_eq!(ids, expected, "{}", scenario.name);
    }
}

// ---------------------------------------------------------------- healthy patterns

#[test]
fn hub_spoke_the_hub_bastion_reaches_every_spoke_vm() {
    let (design, analysis) = load("hub-spoke");
    assert_eq!(analysis.health[0].blocker, None, "{:#?}", analysis.health[0].checks);
    for vm in &design.vms {
        let explanation = {
            assert_reachable(&design, &analysis, "bas-hub-weu", &vm.name);
            pair(&design, &analysis, "bas-hub-weu", &vm.name).1
        };
        assert!(explanation.checks.iter().any(|c| c.rule == RuleId::RPeer && c.outcome == Outcome::Pass));
        assert_eq!(explanation.path, ["vnet-hub-weu".to_string(), vm.nic.vnet.clone()]);
    }
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    // The operators hold every role they need for their own VMs.
    for (user, prefix) in [("alice@contoso.com", "vm-app1"), ("bob@contoso.com", "vm-app2")] {
        let mine: Vec<_> = rbac_results(&design, &analysis)
            .into_iter()
            .filter(|r| r.principal == user && r.target.starts_with(prefix))
            .collect();
        assert!(!mine.is_empty(), "{user} has no RBAC result");
        for result in mine {
            assert!(result.granted, "{user} -> {}: {:#?}", result.target, result.missing);
        }
    }
}

#[test]
fn vwan_central_reaches_the_other_spokes_by_ip_based_connection() {
    let (design, analysis) = load("vwan-central");
    for vm in &design.vms {
        assert_reachable(&design, &analysis, "bas-central-weu", &vm.name);
        let (_, explanation) = pair(&design, &analysis, "bas-central-weu", &vm.name);
        assert!(explanation.checks.iter().any(|c| c.rule == RuleId::RVwan && c.outcome == Outcome::Pass));
    }
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    // Without IP-based connection the same spokes are blocked.
    let mut design = design;
    design.bastions[0].features.ip_connect = false;
    let analysis = analyze(&design);
    let (blocker, _) = pair(&design, &analysis, "bas-central-weu", "vm-app1-web01");
    assert!(blocker.is_some(), "vWAN spokes need IP-based connection");
}

#[test]
fn per_spoke_each_bastion_reaches_its_own_spoke_only() {
    let (design, analysis) = load("per-spoke");
    for (host, own, other) in
        [("bas-app1-weu", "vm-app1-web01", "vm-app2-sql01"), ("bas-app2-weu", "vm-app2-sql01", "vm-app1-web01")]
    {
        assert_reachable(&design, &analysis, host, own);
        assert_blocked_by(&design, &analysis, host, other, RuleId::RNonTransitive);
    }
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    assert!(
        analysis.findings.iter().any(|f| f.id == RuleId::ConsolidateHub),
        "two Bastions a hub Bastion could replace: {:#?}",
        analysis.findings
    );
}

#[test]
fn peering_hub_spoke_reaches_the_local_and_the_global_spoke() {
    let (design, analysis) = load("peering-hub-spoke");
    assert_reachable(&design, &analysis, "bas-hub-weu", "vm-spoke1-web01");
    assert_reachable(&design, &analysis, "bas-hub-weu", "vm-spoke2-app01");
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    let advice = &analysis.sku[0];
    assert_eq!(advice.least, bastion_sim::model::BastionSku::Basic, "peered VNets need Basic, no more");
}

#[test]
fn peering_full_mesh_reaches_all_three_vnets() {
    let (design, analysis) = load("peering-full-mesh");
    for vm in &design.vms {
        assert_reachable(&design, &analysis, "bas-shared-weu", &vm.name);
    }
    let (_, local) = pair(&design, &analysis, "bas-shared-weu", "vm-shared-dns01");
    assert!(local.checks.iter().any(|c| c.rule == RuleId::RSame && c.outcome == Outcome::Pass));
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
}

#[test]
fn hybrid_vpn_reaches_on_premises_servers_by_ip_based_connection() {
    let (design, analysis) = load("hybrid-vpn");
    for machine in ["srv-hq-file01", "srv-hq-build01"] {
        assert_reachable(&design, &analysis, "bas-hub-weu", machine);
        let (_, explanation) = pair(&design, &analysis, "bas-hub-weu", machine);
        assert!(explanation.checks.iter().any(|c| c.rule == RuleId::RHybrid && c.outcome == Outcome::Pass));
    }
    assert_reachable(&design, &analysis, "bas-hub-weu", "vm-app1-web01");
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    // Turning IP-based connection off loses the on-premises servers, not the spoke VM.
    let mut design = design;
    design.bastions[0].features.ip_connect = false;
    let analysis = analyze(&design);
    assert!(pair(&design, &analysis, "bas-hub-weu", "srv-hq-file01").0.is_some());
    assert_reachable(&design, &analysis, "bas-hub-weu", "vm-app1-web01");
}

// ---------------------------------------------------------------- broken designs

#[test]
fn broken_bastion_nsg_blocks_everything_with_b_health_4() {
    let (design, analysis) = load("broken-bastion-nsg");
    assert_eq!(analysis.health[0].blocker, Some(RuleId::BHealth4));
    let check = analysis.health[0].checks.iter().find(|c| c.rule == RuleId::BHealth4).unwrap();
    assert!(format!("{} {}", check.found, check.fix).contains("Internet"), "{check:#?}");
    for vm in &design.vms {
        assert_blocked_by(&design, &analysis, "bas-hub-weu", &vm.name, RuleId::BHealth4);
    }
    assert!(!errors(&analysis).is_empty());
}

#[test]
fn broken_spoke_to_spoke_is_non_transitive_and_names_both_fixes() {
    let (design, analysis) = load("broken-spoke-to-spoke");
    assert_reachable(&design, &analysis, "bas-app1-weu", "vm-app1-web01");
    let explanation = assert_blocked_by(&design, &analysis, "bas-app1-weu", "vm-app2-sql01", RuleId::RNonTransitive);
    let check = explanation.checks.iter().find(|c| c.rule == RuleId::RNonTransitive).unwrap();
    assert!(check.found.contains("vnet-spoke-app1-weu → vnet-hub-weu → vnet-spoke-app2-weu"), "the chain: {check:#?}");
    let fix = check.fix.to_lowercase();
    assert!(fix.contains("peer vnet-spoke-app1-weu and vnet-spoke-app2-weu directly"), "fix 1: {fix}");
    assert!(fix.contains("bastion in the hub vnet-hub-weu"), "fix 2, move the Bastion to the hub: {fix}");
    assert_eq!(explanation.path, ["vnet-spoke-app1-weu", "vnet-hub-weu", "vnet-spoke-app2-weu"]);
}

#[test]
fn broken_developer_peering_is_blocked_by_r_peer_because_of_the_sku() {
    let (design, analysis) = load("broken-developer-peering");
    assert_reachable(&design, &analysis, "bas-dev-weu", "vm-dev-test01");
    let explanation = assert_blocked_by(&design, &analysis, "bas-dev-weu", "vm-devdata-db01", RuleId::RPeer);
    let text = failing_text(&explanation, RuleId::RPeer);
    assert!(text.contains("Developer"), "the reason names the SKU: {text}");
    assert!(has_finding(&analysis, RuleId::CafR1, "bas-dev-weu"), "{:#?}", analysis.findings);
}

#[test]
fn broken_disconnected_peering_cuts_off_the_app2_spoke_only() {
    let (design, analysis) = load("broken-disconnected-peering");
    assert_reachable(&design, &analysis, "bas-hub-weu", "vm-app1-web01");
    let (blocker, explanation) = pair(&design, &analysis, "bas-hub-weu", "vm-app2-sql01");
    assert!(matches!(blocker, Some(RuleId::RPeer) | Some(RuleId::RNoPath)), "{blocker:?}");
    let all: String = explanation.checks.iter().map(|c| format!("{} {} ", c.found, c.fix)).collect();
    assert!(all.contains("Disconnected"), "the explanation says the peering is Disconnected: {all}");
}

#[test]
fn broken_forced_tunnel_blocks_everything_with_b_health_6() {
    let (design, analysis) = load("broken-forced-tunnel");
    assert_eq!(analysis.health[0].blocker, Some(RuleId::BHealth6));
    for name in ["vm-app1-web01", "srv-hq-file01", "srv-hq-build01"] {
        assert_blocked_by(&design, &analysis, "bas-hub-weu", name, RuleId::BHealth6);
    }
}

#[test]
fn broken_missing_reader_is_reachable_but_bob_lacks_reader_on_the_spoke_vnet() {
    let (design, analysis) = load("broken-missing-reader");
    for vm in &design.vms {
        assert_reachable(&design, &analysis, "bas-hub-weu", &vm.name);
    }
    let results = rbac_results(&design, &analysis);
    let bob: Vec<_> =
        results.iter().filter(|r| r.principal == "bob@contoso.com" && r.target.starts_with("vm-app2")).collect();
    assert!(!bob.is_empty());
    for result in bob {
        assert!(!result.granted);
        assert!(
            result.missing.iter().any(|g| g.rule == RuleId::RbacVnet && g.scope.ends_with("/vnet-spoke-app2-weu")),
            "{:#?}",
            result.missing
        );
    }
    assert!(analysis.findings.iter().any(|f| f.id == RuleId::CafR7), "{:#?}", analysis.findings);
    // Alice, whose group reads the whole app1 resource group, is not affected.
    assert!(results.iter().filter(|r| r.principal == "alice@contoso.com").all(|r| r.granted));
}

#[test]
fn broken_public_ip_is_a_caf_r10_error_on_the_jump_box() {
    let (_, analysis) = load("broken-public-ip");
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.id == RuleId::CafR10 && f.resource == "vm-app2-jump01")
        .unwrap_or_else(|| panic!("{:#?}", analysis.findings));
    assert_eq!(finding.severity, Severity::Error);
    // The healthy hub-spoke it derives from has no CAF-R10 at all.
    let (_, healthy) = load("hub-spoke");
    assert!(!healthy.findings.iter().any(|f| f.id == RuleId::CafR10));
}

/// What trainers show first must itself follow the guidance: in every healthy pattern no
/// error or warning, diagnostics to the central workspace, an NSG on every workload subnet
/// and on every AzureBastionSubnet, and every operator holding the roles they need.
#[test]
fn healthy_patterns_follow_the_landing_zone_practices() {
    for scenario in scenarios::all().into_iter().filter(|s| !s.name.starts_with("broken-")) {
        let (design, analysis) = load(scenario.name);
        let noisy: Vec<String> = analysis
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| format!("{} {}: {}", f.id, f.resource, f.message))
            .collect();
        assert!(noisy.is_empty(), "{}: {noisy:#?}", scenario.name);
        for host in design.bastions.iter().filter(|b| b.sku.is_dedicated()) {
            let workspace = host.diagnostics_workspace.as_deref().unwrap_or_else(|| panic!("{}", host.name));
            assert!(design.log_workspaces.iter().any(|w| w.name == workspace && w.central), "{}", host.name);
            let vnet = design.vnet(&host.vnet).unwrap();
            assert!(vnet.subnet("AzureBastionSubnet").unwrap().nsg.is_some(), "{}: {}", scenario.name, host.name);
        }
        for vm in &design.vms {
            let subnet = design.vnet(&vm.nic.vnet).unwrap().subnet(&vm.nic.subnet).unwrap();
            assert!(subnet.nsg.is_some(), "{}: {} has no NSG on its subnet", scenario.name, vm.name);
        }
        assert!(!analysis.rbac.is_empty(), "{}: nobody connects", scenario.name);
        for result in &rbac_results(&design, &analysis) {
            assert!(
                result.granted,
                "{}: {} -> {}: {:#?}",
                scenario.name, result.principal, result.target, result.missing
            );
        }
        for health in &analysis.health {
            assert_eq!(health.blocker, None, "{}: {}", scenario.name, health.bastion);
        }
    }
}

/// The analysis' compact RBAC verdicts, spelled out as the JSON report lists them.
fn rbac_results(
    design: &bastion_sim::model::Design,
    analysis: &bastion_sim::engine::Analysis,
) -> Vec<bastion_sim::engine::RbacResult> {
    bastion_sim::engine::rbac::materialize_results(&bastion_sim::engine::Index::new(design), analysis, &analysis.rbac)
}
