//! Times `analyze` on the enterprise estate and counts findings given a FixAction by
//! `engine::fixes` (the cost of completing fix actions after the findings are merged).

use bastion_sim::engine::{analyze, fixes, Index};
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use std::time::Instant;

fn main() {
    let design = generate(&EstateParams::enterprise());
    let start = Instant::now();
    let analysis = analyze(&design);
    let total = start.elapsed();
    let index = Index::new(&design);
    let mut findings = analysis.findings.clone();
    for f in findings.iter_mut() {
        f.fix_action = None;
    }
    let start = Instant::now();
    fixes::complete_fix_actions(&index, &analysis, &mut findings);
    let fixes_time = start.elapsed();
    let mut ids: Vec<_> = analysis.findings.iter().map(|f| f.id).collect();
    ids.dedup();
    for id in ids {
        let mut only: Vec<_> = analysis.findings.iter().filter(|f| f.id == id).cloned().collect();
        for f in only.iter_mut() {
            f.fix_action = None;
        }
        let start = Instant::now();
        fixes::complete_fix_actions(&index, &analysis, &mut only);
        let fixed = only.iter().filter(|f| f.fix_action.is_some()).count();
        println!("{id}: {} findings, {fixed} fixed, {:?}", only.len(), start.elapsed());
        if id == bastion_sim::engine::RuleId::ConsolidateUnreached {
            for f in only.iter().take(3) {
                println!(
                    "  {} {} | {:?}",
                    f.resource,
                    f.message,
                    f.fix_action.as_ref().map(|a| format!("{a:?}").chars().take(200).collect::<String>())
                );
            }
        }
    }
    let with = analysis.findings.iter().filter(|f| f.fix_action.is_some()).count();
    println!(
        "vms {} findings {} with fix {} analyze {:?} complete_fix_actions (all findings cleared) {:?}",
        design.vms.len(),
        analysis.findings.len(),
        with,
        total,
        fixes_time
    );
}
