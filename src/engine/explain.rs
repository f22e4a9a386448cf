//! The full check chain of one (Bastion, target) pair, rebuilt on demand by the same
//! check functions the fast path uses, so the explanation and the verdict always agree.

use super::graph::Net;
use super::health::bastion_health;
use super::reach::{self, BastionCtx, NsgCache, Recorder, Sink};
use super::{Check, Explanation, Index, Outcome, PathKind, RuleId, Target, Verdict};
use crate::model::Design;

/// Explains one pair: every check in order (health, path, session, NSG), the blocker
/// (the first failing check) and the VNets the session crosses.
pub fn explain(design: &Design, bastion: usize, target: Target) -> Explanation {
    explain_in(&Index::new(design), bastion, target)
}

/// `explain` with an index built once by the caller: explaining many pairs of one design
/// (a report, a VM's verdicts from every Bastion) then costs the checks, not the index.
pub fn explain_in(index: &Index, bastion: usize, target: Target) -> Explanation {
    let design = index.design;
    let target_name = match target {
        Target::Vm(idx) => design.vms.get(idx).map(|it| it.name.clone()),
        Target::Machine(idx) => design.onprem_machines.get(idx).map(|it| it.name.clone()),
    };
    let (Some(bastion_def), Some(target_name)) = (design.bastions.get(bastion), target_name) else {
        return Explanation {
            bastion: design.bastions.get(bastion).map(|b| b.name.clone()).unwrap_or_default(),
            target: String::new(),
            verdict: Verdict::Blocked,
            blocker: Some(RuleId::RNoPath),
            checks: vec![Check {
                rule: RuleId::RNoPath,
                resource: String::new(),
                found: "The Bastion or the target does not exist in the design.".to_string(),
                outcome: Outcome::Fail,
                fix: String::new(),
            }],
            path: Vec::new(),
        };
    };
    let net = Net::new(index);
    let health = bastion_health(&net, bastion);
    let ctx = BastionCtx::new(&net, bastion);
    let mut cache = NsgCache::default();
    let mut sink = Recorder(health.checks.clone());
    let mut path = Vec::new();
    match target {
        Target::Vm(vm) => match index.vm_location(vm) {
            None => {
                // A VM outside every VNet (unvalidated design) is unreachable whatever the
                // Bastion's health: say so first, as the verdict does.
                let def = &design.vms[vm];
                sink.0.clear();
                sink.push(RuleId::RNoPath, Outcome::Fail, || reach::Text {
                    resource: def.name.clone(),
                    found: format!(
                        "{}'s NIC names VNet {} and subnet {}, which do not exist in the design.",
                        def.name, def.nic.vnet, def.nic.subnet
                    ),
                    fix: format!("Put {}'s NIC in an existing VNet and subnet.", def.name),
                });
                sink.0.extend(health.checks.iter().cloned());
            }
            Some((v, _)) => {
                let kind = reach::vnet_path(&ctx, v, &mut sink);
                path = vnet_chain(&ctx, kind, v);
                reach::vm_checks(&ctx, &mut cache, kind, vm, &mut sink);
            }
        },
        Target::Machine(m) => {
            let kind = reach::machine_path(&ctx, m, &mut sink);
            if kind == PathKind::Hybrid {
                path = ctx.vnet.map(|v| design.vnets[v].name.clone()).into_iter().collect();
            }
            reach::machine_checks(&ctx, &mut cache, kind, m, &mut sink);
        }
    }
    let checks = sink.0;
    let blocker = checks.iter().find(|c| c.outcome == Outcome::Fail).map(|c| c.rule);
    Explanation {
        bastion: bastion_def.name.clone(),
        target: target_name,
        verdict: if blocker.is_none() { Verdict::Reachable } else { Verdict::Blocked },
        blocker,
        checks,
        path,
    }
}

/// The VNets a session to VNet `v` crosses (for R-NONTRANSITIVE, the shortest chain that
/// would be needed), the Bastion's first.
fn vnet_chain(ctx: &BastionCtx, kind: PathKind, v: usize) -> Vec<String> {
    let design = ctx.net.index.design;
    let Some(bv) = ctx.vnet else {
        return Vec::new();
    };
    let ids: Vec<usize> = match kind {
        PathKind::Same => vec![bv],
        PathKind::Peer | PathKind::Vwan => vec![bv, v],
        PathKind::NonTransitive => ctx.net.peering_bfs(bv).chain(v),
        PathKind::Hybrid | PathKind::NoPath => Vec::new(),
    };
    ids.into_iter().map(|i| design.vnets[i].name.clone()).collect()
}
