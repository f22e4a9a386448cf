//! The analysis as a person reads it (`text_report`) and as a script reads it
//! (`json_report`, schema "bastion-sim-analysis/1", documented in docs/cli.md).
//!
//! Pure functions of the design and its analysis, in a stable order, so the CLI's
//! output, the scenario snapshots and the page's end-to-end comparison all agree.

use crate::engine::{
    explain_in, rbac, Analysis, Check, CompactAccess, Explanation, Index, Outcome, RuleId, Target, Verdict,
};
use crate::model::Design;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write;

/// The version of the JSON report; bumped only on an incompatible change.
pub const JSON_FORMAT: &str = "bastion-sim-analysis/1";

fn target_vnet(design: &Design, target: Target) -> String {
    match target {
        Target::Vm(idx) => design.vms.get(idx).map(|vm| vm.nic.vnet.clone()).unwrap_or_default(),
        Target::Machine(idx) => {
            design.onprem_machines.get(idx).map(|m| format!("on-premises {}", m.site)).unwrap_or_default()
        }
    }
}

/// The rules that establish a network path, in the order of rules.md §8.
const PATH_RULES: [RuleId; 4] = [RuleId::RSame, RuleId::RPeer, RuleId::RVwan, RuleId::RHybrid];

fn outcome_tag(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Warn => "warn",
        Outcome::Skip => "skip",
    }
}

fn write_check(out: &mut String, indent: &str, check: &Check) {
    let _ =
        writeln!(out, "{indent}[{}] {} {}: {}", outcome_tag(check.outcome), check.rule, check.resource, check.found);
    if !check.fix.is_empty() && check.outcome != Outcome::Pass {
        let _ = writeln!(out, "{indent}       fix: {}", check.fix);
    }
}

fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

/// `engine::explain` rebuilds its indexes for every pair, so explaining every pair costs
/// about pairs × design size. Above this budget (about a second natively) the reports
/// give each pair's verdict and blocker without its check chain: a 100-VNet estate has
/// 20,000 pairs and would take half a minute.
pub const EXPLAIN_BUDGET: u64 = 2_000_000;

/// The text report lists at most this many RBAC gaps and findings (a count by rule says
/// how many more there are); the JSON report always has them all.
pub const TEXT_LIMIT: usize = 200;

/// True when the reports explain every pair (see `EXPLAIN_BUDGET`).
pub fn explains_every_pair(design: &Design, analysis: &Analysis) -> bool {
    let pairs = analysis.reach.len() as u64 * (analysis.vm_vnet.len() + design.onprem_machines.len()) as u64;
    let size = (design.vms.len() + design.onprem_machines.len() + design.vnets.len() + design.nsgs.len()) as u64;
    pairs.saturating_mul(size.max(1)) <= EXPLAIN_BUDGET
}

/// Every (Bastion, target) pair with its full explanation, in `Analysis::pairs` order.
fn explanations(design: &Design, analysis: &Analysis) -> Vec<(Target, Option<RuleId>, Explanation)> {
    let index = Index::new(design);
    analysis.pairs().map(|(bastion, target, blocker)| (target, blocker, explain_in(&index, bastion, target))).collect()
}

/// The human-readable report: health, reachability matrix with each blocker, SKU advice,
/// RBAC gaps, findings and the approximate monthly cost.
pub fn text_report(design: &Design, analysis: &Analysis) -> String {
    let mut out = String::new();
    let name = if design.name.is_empty() { "(unnamed)" } else { design.name.as_str() };
    let _ = writeln!(out, "bastion-sim analysis of design '{name}'");
    if !design.description.is_empty() {
        let _ = writeln!(out, "{}", design.description);
    }
    let _ = writeln!(
        out,
        "{} VNets, {} VMs, {} on-premises machines, {} Bastion hosts, {} users, {} groups, {} role assignments",
        design.vnets.len(),
        design.vms.len(),
        design.onprem_machines.len(),
        design.bastions.len(),
        design.users.len(),
        design.groups.len(),
        design.role_assignments.len()
    );

    // Bastion health.
    let _ = writeln!(out, "\n== Bastion health ==");
    if analysis.health.is_empty() {
        let _ = writeln!(out, "(no Bastion host)");
    }
    for (idx, health) in analysis.health.iter().enumerate() {
        let host = design.bastions.get(idx);
        let sku = host.map(|b| b.sku.name()).unwrap_or("?");
        let vnet = host.map(|b| b.vnet.as_str()).unwrap_or("");
        let state = match health.blocker {
            None => "healthy".to_string(),
            Some(rule) => format!("UNHEALTHY, blocked by {rule}"),
        };
        let passed = health.checks.iter().filter(|it| it.outcome == Outcome::Pass).count();
        let _ = writeln!(
            out,
            "{} ({sku}, in {vnet}): {state} ({passed} of {} checks pass)",
            health.bastion,
            health.checks.len()
        );
        for check in health.checks.iter().filter(|it| matches!(it.outcome, Outcome::Fail | Outcome::Warn)) {
            write_check(&mut out, "  ", check);
        }
    }

    // Reachability matrix: one row per target, one column per Bastion.
    let _ = writeln!(out, "\n== Reachability ==");
    if !explains_every_pair(design, analysis) {
        reachability_summary(&mut out, design, analysis);
    } else {
        reachability_matrix(&mut out, design, analysis);
    }

    // SKU advice.
    let _ = writeln!(out, "\n== SKU advice ==");
    if analysis.sku.is_empty() {
        let _ = writeln!(out, "(none)");
    }
    for advice in &analysis.sku {
        let _ = writeln!(
            out,
            "{}: {} now, needs at least {}; {} instance(s) needed; upgrade path: {}",
            advice.bastion,
            advice.current.name(),
            advice.least.name(),
            advice.instances_needed,
            advice.upgrade_path
        );
        for reason in &advice.reasons {
            let _ = writeln!(out, "  needs {}: {}", reason.needs.name(), reason.because);
        }
        for note in &advice.advice {
            let _ = writeln!(out, "  advice: {note}");
        }
    }

    // RBAC gaps.
    let _ = writeln!(out, "\n== RBAC ==");
    let granted = analysis.rbac.iter().filter(|it| it.granted).count();
    let _ = writeln!(out, "{granted} of {} principal/target pairs have every role they need", analysis.rbac.len());
    let user = |idx: u32| design.users.get(idx as usize).map(|it| it.name.as_str()).unwrap_or("");
    let vm = |idx: u32| design.vms.get(idx as usize).map(|it| it.name.as_str()).unwrap_or("");
    let host = |idx: u32| design.bastions.get(idx as usize).map(|it| it.name.as_str()).unwrap_or("");
    // Who can connect, grouped by principal and Bastion (in the analysis' order).
    if granted <= TEXT_LIMIT {
        let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
        for result in analysis.rbac.iter().filter(|it| it.granted) {
            let (principal, bastion) = (user(result.user), host(result.bastion));
            match groups.iter_mut().find(|(p, b, _)| *p == principal && *b == bastion) {
                Some((_, _, targets)) => targets.push(vm(result.vm)),
                None => groups.push((principal, bastion, vec![vm(result.vm)])),
            }
        }
        for (principal, bastion, targets) in groups {
            let _ = writeln!(out, "{principal} via {bastion}: may connect to {}", targets.join(", "));
        }
    }
    let gaps = analysis.rbac.iter().filter(|it| !it.granted).count();
    // Only the listed gaps are spelled out.
    let listed: Vec<CompactAccess> = analysis.rbac.iter().filter(|it| !it.granted).take(TEXT_LIMIT).copied().collect();
    let index = Index::new(design);
    for result in rbac::materialize_results(&index, analysis, &listed) {
        let _ = writeln!(out, "{} -> {} via {}: missing", result.principal, result.target, result.bastion);
        for check in result.checks.iter().filter(|c| c.outcome == Outcome::Fail) {
            write_check(&mut out, "  ", check);
        }
        for grant in &result.missing {
            let _ = writeln!(
                out,
                "  grant {} to {} at {} ({})",
                grant.role.name(),
                grant.principal,
                grant.scope,
                grant.rule
            );
        }
    }

    if gaps > TEXT_LIMIT {
        let _ =
            writeln!(out, "... and {} more principal/target pairs with missing roles (see --json)", gaps - TEXT_LIMIT);
    }

    // Findings.
    let _ = writeln!(out, "\n== Findings ==");
    if analysis.findings.is_empty() {
        let _ = writeln!(out, "(none)");
    }
    if analysis.findings.len() > TEXT_LIMIT {
        let mut by_id = std::collections::BTreeMap::<RuleId, usize>::new();
        for finding in &analysis.findings {
            *by_id.entry(finding.id).or_default() += 1;
        }
        let counts: Vec<String> = by_id.iter().map(|(id, n)| format!("{id} {n}")).collect();
        let _ = writeln!(
            out,
            "{} findings ({}); the first {TEXT_LIMIT} follow, all are in --json",
            analysis.findings.len(),
            counts.join(", ")
        );
    }
    for finding in analysis.findings.iter().take(TEXT_LIMIT) {
        let severity = match finding.severity {
            crate::engine::Severity::Error => "error",
            crate::engine::Severity::Warning => "warning",
            crate::engine::Severity::Info => "info",
        };
        let _ = writeln!(out, "[{severity}] {} {}: {}", finding.id, finding.resource, finding.message);
        if !finding.fix.is_empty() {
            let _ = writeln!(out, "    fix: {}", finding.fix);
        }
    }

    // Cost.
    let cost = &analysis.cost;
    let prices = &cost.prices;
    let _ = writeln!(out, "\n== Cost (approximate) ==");
    let _ = writeln!(
        out,
        "List prices of {}, {}, {}; {} hours a month. Approximate: prices change and vary by region; not a quote.",
        prices.date, prices.currency, prices.region, cost.hours_per_month
    );
    for item in &cost.bastions {
        let _ = writeln!(
            out,
            "{}: {} with {} instance(s): base {:.2} + extra instances {:.2} + data {:.2} = {:.2} {}/month",
            item.bastion,
            item.sku.name(),
            item.instances,
            item.base,
            item.extra_instances,
            item.data,
            item.total,
            prices.currency
        );
    }
    let _ = writeln!(out, "total: {:.2} {}/month (approximate)", cost.total, prices.currency);
    out
}

/// The matrix (one row per target, one column per Bastion) and each blocked pair's
/// failing check, from the full explanations.
fn reachability_matrix(out: &mut String, design: &Design, analysis: &Analysis) {
    let pairs = explanations(design, analysis);
    let bastions: Vec<&str> = design.bastions.iter().map(|b| b.name.as_str()).collect();
    let mut targets: Vec<Target> = Vec::new();
    for (target, _, _) in &pairs {
        if !targets.contains(target) {
            targets.push(*target);
        }
    }
    if bastions.is_empty() || targets.is_empty() {
        let _ = writeln!(out, "(no pair: the design needs a Bastion host and a VM or on-premises machine)");
    } else {
        // A reachable cell names the path rule that carried it (same VNet, peering, vWAN,
        // hybrid), so the matrix alone tells how each target is reached.
        let cell = |target: Target, bastion: usize| -> String {
            match analysis.blocker(bastion, target) {
                None => {
                    let via = pairs
                        .iter()
                        .find(|(t, _, e)| *t == target && e.bastion == design.bastions[bastion].name)
                        .and_then(|(_, _, e)| {
                            e.checks.iter().find(|c| c.outcome == Outcome::Pass && PATH_RULES.contains(&c.rule))
                        });
                    match via {
                        Some(check) => format!("reachable {}", check.rule),
                        None => "reachable".to_string(),
                    }
                }
                Some(rule) => format!("blocked {rule}"),
            }
        };
        let target_w = targets.iter().map(|t| t.name(design).len()).max().unwrap_or(0).max("target".len());
        let vnet_w = targets.iter().map(|t| target_vnet(design, *t).len()).max().unwrap_or(0).max("in".len());
        let col_w: Vec<usize> = bastions
            .iter()
            .enumerate()
            .map(|(b, name)| targets.iter().map(|t| cell(*t, b).len()).max().unwrap_or(0).max(name.len()))
            .collect();
        let mut header = format!("{}  {}", pad("target", target_w), pad("in", vnet_w));
        for (b, name) in bastions.iter().enumerate() {
            let _ = write!(header, "  {}", pad(name, col_w[b]));
        }
        let _ = writeln!(out, "{}", header.trim_end());
        for target in &targets {
            let mut row =
                format!("{}  {}", pad(target.name(design), target_w), pad(&target_vnet(design, *target), vnet_w));
            for (b, width) in col_w.iter().enumerate() {
                let _ = write!(row, "  {}", pad(&cell(*target, b), *width));
            }
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let reachable = pairs.iter().filter(|(_, blocker, _)| blocker.is_none()).count();
        let _ = writeln!(out, "{reachable} of {} pairs reachable", pairs.len());
        for (_, blocker, explanation) in &pairs {
            if let Some(rule) = blocker {
                let _ = writeln!(out, "\n{} -> {}: blocked by {rule}", explanation.bastion, explanation.target);
                match explanation.checks.iter().find(|c| c.rule == *rule && c.outcome == Outcome::Fail) {
                    Some(check) => write_check(out, "  ", check),
                    None => {
                        for check in explanation.checks.iter().filter(|c| c.outcome == Outcome::Fail) {
                            write_check(out, "  ", check);
                        }
                    }
                }
                if !explanation.path.is_empty() {
                    let _ = writeln!(out, "  path: {}", explanation.path.join(" -> "));
                }
            }
        }
    }
}

/// For designs above the explanation budget: per Bastion, how many targets it reaches and
/// what blocks the others, counted by rule.
fn reachability_summary(out: &mut String, design: &Design, analysis: &Analysis) {
    let total = analysis.pairs().count();
    let _ = writeln!(
        out,
        "{total} pairs: too many to explain each one here (checks are left out above the explanation budget; \
         use the page or a smaller design to see a pair's checks)."
    );
    let mut reachable = vec![0usize; design.bastions.len()];
    let mut blocked = vec![std::collections::BTreeMap::<RuleId, usize>::new(); design.bastions.len()];
    for (b, _, blocker) in analysis.pairs() {
        match blocker {
            None => reachable[b] += 1,
            Some(rule) => *blocked[b].entry(rule).or_default() += 1,
        }
    }
    for (b, host) in design.bastions.iter().enumerate() {
        let by_rule: Vec<String> = blocked[b].iter().map(|(rule, n)| format!("{rule} {n}")).collect();
        let blocked_text =
            if by_rule.is_empty() { String::new() } else { format!("; blocked: {}", by_rule.join(", ")) };
        let _ = writeln!(out, "{}: {} reachable{blocked_text}", host.name, reachable[b]);
    }
    let reachable_total: usize = reachable.iter().sum();
    let _ = writeln!(out, "{reachable_total} of {total} pairs reachable");
}

fn check_json(check: &Check) -> Value {
    let mut value = json!({
        "rule": check.rule,
        "resource": check.resource,
        "found": check.found,
        "outcome": check.outcome,
    });
    if !check.fix.is_empty() {
        value["fix"] = Value::String(check.fix.clone());
    }
    value
}

/// The machine-readable report, schema "bastion-sim-analysis/1" (docs/cli.md).
pub fn json_report(design: &Design, analysis: &Analysis) -> Value {
    serde_json::to_value(JsonReport::new(design, analysis)).unwrap_or(Value::Null)
}

/// `json_report` as the CLI prints it (indented, a final newline), written to `out` pair by
/// pair: the enterprise estate's two million pairs made a 350 MB text out of a 4 GB value
/// tree before; written so, the report holds one pair at a time.
pub fn write_json_report(design: &Design, analysis: &Analysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &JsonReport::new(design, analysis))?;
    out.write_all(b"\n")
}

/// The report's sections, serialized in the schema's order.
struct JsonReport<'a> {
    design: &'a Design,
    analysis: &'a Analysis,
    index: Index<'a>,
    /// Whether each pair carries its checks and path (`explains_every_pair`).
    explained: bool,
}

impl<'a> JsonReport<'a> {
    fn new(design: &'a Design, analysis: &'a Analysis) -> JsonReport<'a> {
        JsonReport { design, analysis, index: Index::new(design), explained: explains_every_pair(design, analysis) }
    }
}

impl Serialize for JsonReport<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (design, analysis) = (self.design, self.analysis);
        let bastions: Vec<Value> = analysis
            .health
            .iter()
            .enumerate()
            .map(|(idx, health)| {
                let host = design.bastions.get(idx);
                json!({
                    "name": health.bastion,
                    "sku": host.map(|b| b.sku.name()),
                    "vnet": host.map(|b| b.vnet.as_str()),
                    "healthy": health.blocker.is_none(),
                    "blocker": health.blocker,
                    "checks": health.checks.iter().map(check_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut map = serializer.serialize_map(Some(9))?;
        map.serialize_entry("format", JSON_FORMAT)?;
        map.serialize_entry("design", &design.name)?;
        map.serialize_entry("bastions", &bastions)?;
        map.serialize_entry("reachability", &Pairs(self))?;
        // Every mechanical fix spelled out, those `analyze` leaves to be built on demand too.
        map.serialize_entry("findings", &crate::engine::fixes::completed_findings(&self.index, analysis))?;
        map.serialize_entry("sku", &analysis.sku)?;
        map.serialize_entry("rbac", &rbac::materialize_results(&self.index, analysis, &analysis.rbac))?;
        map.serialize_entry("cost", &analysis.cost)?;
        map.serialize_entry("explained", &self.explained)?;
        map.end()
    }
}

/// Every (Bastion, target) pair in `Analysis::pairs` order, each made as it is written.
struct Pairs<'r, 'a>(&'r JsonReport<'a>);

impl Serialize for Pairs<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let (design, analysis) = (report.design, report.analysis);
        let mut seq = serializer.serialize_seq(Some(analysis.pair_counts().0))?;
        for (bastion, target, blocker) in analysis.pairs() {
            let mut pair = PairRow {
                bastion: design.bastions.get(bastion).map_or("", |b| b.name.as_str()),
                target: target.name(design),
                target_kind: match target {
                    Target::Vm(_) => "vm",
                    Target::Machine(_) => "onprem",
                },
                verdict: if blocker.is_none() { Verdict::Reachable } else { Verdict::Blocked },
                blocker,
                checks: None,
                path: None,
            };
            if report.explained {
                let explanation = explain_in(&report.index, bastion, target);
                pair.checks = Some(explanation.checks.iter().map(check_json).collect());
                pair.path = Some(explanation.path);
            }
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}

/// One pair of the report: its verdict, and its checks and path when explained.
#[derive(Serialize)]
struct PairRow<'a> {
    bastion: &'a str,
    target: &'a str,
    target_kind: &'static str,
    verdict: Verdict,
    blocker: Option<RuleId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checks: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios;

    #[test]
    fn the_json_report_has_the_documented_top_level_fields() {
        let design = (scenarios::by_name("hub-spoke").unwrap().build)();
        let analysis = crate::analyze(&design);
        let report = json_report(&design, &analysis);
        let keys: Vec<&str> = report.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            ["format", "design", "bastions", "reachability", "findings", "sku", "rbac", "cost", "explained"]
        );
        assert_eq!(report["explained"], true);
        assert_eq!(report["format"], JSON_FORMAT);
        assert_eq!(report["design"], "hub-spoke");
        assert_eq!(report["reachability"].as_array().unwrap().len(), design.bastions.len() * design.vms.len());
        assert_eq!(report["cost"]["approximate"], true);
    }

    #[test]
    fn the_text_report_names_every_section_and_the_price_date() {
        let design = (scenarios::by_name("hub-spoke").unwrap().build)();
        let analysis = crate::analyze(&design);
        let text = text_report(&design, &analysis);
        for section in
            ["== Bastion health ==", "== Reachability ==", "== SKU advice ==", "== RBAC ==", "== Findings =="]
        {
            assert!(text.contains(section), "{section} missing");
        }
        assert!(text.contains("approximate"));
        assert!(text.contains(&design.prices().date));
        assert!(text.contains("vm-app2-sql01"));
    }

    #[test]
    fn large_designs_get_verdicts_without_explanations() {
        let design = scenarios::synthetic::generate(&scenarios::synthetic::EstateParams::small());
        let analysis = crate::analyze(&design);
        assert!(!explains_every_pair(&design, &analysis));
        let json = json_report(&design, &analysis);
        assert_eq!(json["explained"], false);
        let pairs = json["reachability"].as_array().unwrap();
        assert_eq!(pairs.len(), analysis.pairs().count());
        assert!(pairs[0].get("verdict").is_some() && pairs[0].get("checks").is_none());
        let text = text_report(&design, &analysis);
        assert!(text.contains("pairs reachable"));
        assert!(text.contains(&format!("{}: ", design.bastions[0].name)));
    }

    /// What the CLI writes pair by pair is the report's value, indented, byte for byte:
    /// explained pairs (hybrid-vpn has on-premises targets too) and unexplained ones.
    #[test]
    fn the_written_report_is_the_json_report_text() {
        let small = scenarios::synthetic::generate(&scenarios::synthetic::EstateParams::small());
        for design in [(scenarios::by_name("hybrid-vpn").unwrap().build)(), small] {
            let analysis = crate::analyze(&design);
            let mut written = Vec::new();
            write_json_report(&design, &analysis, &mut written).unwrap();
            let expected = serde_json::to_string_pretty(&json_report(&design, &analysis)).unwrap() + "\n";
            assert!(String::from_utf8(written).unwrap() == expected, "{}: the written report differs", design.name);
        }
    }
}
