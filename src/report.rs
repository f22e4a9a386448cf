//! The analysis as a person reads it (`text_report`) and as a script reads it
//! (`json_report`, schema "bastion-sim-analysis/1", documented in docs/cli.md).
//!
//! Pure functions of the design and its analysis, in a stable order, so the CLI's
//! output, the scenario snapshots and the page's end-to-end comparison all agree.

use crate::engine::{explain, Analysis, Check, Explanation, Outcome, RuleId, Target, Verdict};
use crate::model::Design;
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

/// Every (Bastion, target) pair with its full explanation, in `Analysis::pairs` order.
fn explanations(design: &Design, analysis: &Analysis) -> Vec<(Target, Option<RuleId>, Explanation)> {
    analysis.pairs().map(|(bastion, target, blocker)| (target, blocker, explain(design, bastion, target))).collect()
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
            for b in 0..bastions.len() {
                let _ = write!(row, "  {}", pad(&cell(*target, b), col_w[b]));
            }
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let reachable = pairs.iter().filter(|(_, blocker, _)| blocker.is_none()).count();
        let _ = writeln!(out, "{reachable} of {} pairs reachable", pairs.len());
        for (_, blocker, explanation) in &pairs {
            if let Some(rule) = blocker {
                let _ = writeln!(out, "\n{} -> {}: blocked by {rule}", explanation.bastion, explanation.target);
                match explanation.checks.iter().find(|c| c.rule == *rule && c.outcome == Outcome::Fail) {
                    Some(check) => write_check(&mut out, "  ", check),
                    None => {
                        for check in explanation.checks.iter().filter(|c| c.outcome == Outcome::Fail) {
                            write_check(&mut out, "  ", check);
                        }
                    }
                }
                if !explanation.path.is_empty() {
                    let _ = writeln!(out, "  path: {}", explanation.path.join(" -> "));
                }
            }
        }
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
    for result in analysis.rbac.iter().filter(|it| !it.granted) {
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

    // Findings.
    let _ = writeln!(out, "\n== Findings ==");
    if analysis.findings.is_empty() {
        let _ = writeln!(out, "(none)");
    }
    for finding in &analysis.findings {
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
    let reachability: Vec<Value> = explanations(design, analysis)
        .into_iter()
        .map(|(target, blocker, explanation)| {
            json!({
                "bastion": explanation.bastion,
                "target": explanation.target,
                "target_kind": match target { Target::Vm(_) => "vm", Target::Machine(_) => "onprem" },
                "verdict": if blocker.is_none() { Verdict::Reachable } else { Verdict::Blocked },
                "blocker": blocker,
                "checks": explanation.checks.iter().map(check_json).collect::<Vec<_>>(),
                "path": explanation.path,
            })
        })
        .collect();
    json!({
        "format": JSON_FORMAT,
        "design": design.name,
        "bastions": bastions,
        "reachability": reachability,
        "findings": analysis.findings,
        "sku": analysis.sku,
        "rbac": analysis.rbac,
        "cost": analysis.cost,
    })
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
        assert_eq!(keys, ["format", "design", "bastions", "reachability", "findings", "sku", "rbac", "cost"]);
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
}
