//! Analyzes a synthetic estate once (or `N` times) and prints a digest of the result:
//! a small binary to profile `analyze` (valgrind --tool=callgrind, perf) and to check that
//! an optimization leaves the output unchanged (`cargo run --release --example
//! analyze_estate -- enterprise 1`).

use bastion_sim::engine::analyze;
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use std::hash::{DefaultHasher, Hash, Hasher};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let params = match args.first().map(String::as_str) {
        Some("small") => EstateParams::small(),
        _ => EstateParams::enterprise(),
    };
    let runs: usize = args.get(1).and_then(|it| it.parse().ok()).unwrap_or(1);
    let design = generate(&params);
    let mut analysis = analyze(&design);
    for _ in 1..runs {
        analysis = analyze(&design);
    }
    // DUMP=<file> writes every finding, one a line, to compare two builds.
    if let Ok(path) = std::env::var("DUMP") {
        let lines: Vec<String> = analysis.findings.iter().map(|it| format!("{it:?}")).collect();
        std::fs::write(path, lines.join("\n")).expect("DUMP file written");
    }
    let mut findings = DefaultHasher::new();
    format!("{:?}", analysis.findings).hash(&mut findings);
    let mut rbac = DefaultHasher::new();
    for it in &analysis.rbac {
        let names = (&design.users[it.user as usize].name, &design.vms[it.vm as usize].name);
        (names.0.as_str(), names.1.as_str(), design.bastions[it.bastion as usize].name.as_str(), it.granted)
            .hash(&mut rbac);
    }
    let mut rest = DefaultHasher::new();
    format!("{:?} {:?} {:?} {:?} {:?}", analysis.health, analysis.reach, analysis.sku, analysis.cost, analysis.vm_vnet)
        .hash(&mut rest);
    println!(
        "findings {} {:016x}; rbac {} granted {} {:016x}; rest {:016x}",
        analysis.findings.len(),
        findings.finish(),
        analysis.rbac.len(),
        analysis.rbac.iter().filter(|it| it.granted).count(),
        rbac.finish(),
        rest.finish()
    );
}
