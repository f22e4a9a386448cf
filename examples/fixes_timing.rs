//! Times `analyze` on the enterprise estate and the share of it spent completing fix
//! actions (`engine::fixes`), per rule: `cargo run --release --example fixes_timing`.

use bastion_sim::engine::{analyze, fixes, Index, RuleId};
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use std::time::{Duration, Instant};

/// The rules whose fix actions `engine::fixes` completes.
const COMPLETED: [RuleId; 8] = [
    RuleId::BHealth1,
    RuleId::BHealth5,
    RuleId::BHealth6,
    RuleId::BHealth7,
    RuleId::CafR1,
    RuleId::Jit3,
    RuleId::PeerGatewayTransit,
    RuleId::ConsolidateUnreached,
];

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let design = generate(&EstateParams::enterprise());
    let mut runs = Vec::new();
    let mut analysis = analyze(&design);
    for _ in 0..5 {
        let start = Instant::now();
        analysis = analyze(&design);
        runs.push(start.elapsed());
    }
    let index = Index::new(&design);
    let mut fix_runs = Vec::new();
    for _ in 0..5 {
        let mut findings = analysis.findings.clone();
        for f in findings.iter_mut().filter(|f| COMPLETED.contains(&f.id)) {
            f.fix_action = None;
        }
        let start = Instant::now();
        fixes::complete_fix_actions(&index, &analysis, &mut findings);
        fix_runs.push(start.elapsed());
    }
    for id in COMPLETED {
        let mut only: Vec<_> = analysis.findings.iter().filter(|f| f.id == id).cloned().collect();
        for f in only.iter_mut() {
            f.fix_action = None;
        }
        let start = Instant::now();
        fixes::complete_fix_actions(&index, &analysis, &mut only);
        let fixed = only.iter().filter(|f| f.fix_action.is_some()).count();
        println!("{id}: {} findings, {fixed} with a fix, {:?}", only.len(), start.elapsed());
    }
    println!(
        "enterprise ({} VMs, {} findings): analyze median {:?}, of which completing fix actions {:?}",
        design.vms.len(),
        analysis.findings.len(),
        median(runs),
        median(fix_runs)
    );
}
