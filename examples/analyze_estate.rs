//! Analyzes a synthetic estate once (or `N` times) and prints a digest of the result:
//! a small binary to profile `analyze` (valgrind --tool=callgrind, perf) and to check that
//! an optimization leaves the output unchanged (`cargo run --release --example
//! analyze_estate -- enterprise 1`).

use bastion_sim::engine::{self, analyze};
use bastion_sim::model::Design;
use bastion_sim::scenarios::synthetic::{generate_with_rbac, EstateParams, RbacShape};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

/// `PHASES=<runs>`: the median time of each phase of `analyze` over that many runs
/// (`engine::analyze_observed` marks the end of each, on one thread), to see which module a
/// change moved, and the median of `analyze` itself (on two threads for an estate).
fn phases(design: &Design, runs: usize) {
    let mut samples: Vec<Vec<(&'static str, Duration)>> = Vec::new();
    for _ in 0..runs.max(1) {
        let mut times = Vec::new();
        let start = Instant::now();
        let mut last = start;
        std::hint::black_box(engine::analyze_observed(design, |label| {
            let now = Instant::now();
            times.push((label, now - last));
            last = now;
        }));
        times.push(("analyze (whole, one thread)", start.elapsed()));
        // What `analyze` itself takes (two threads natively for an estate), interleaved
        // with the one-thread run so both see the same minute of a shared machine.
        let start = Instant::now();
        std::hint::black_box(analyze(design));
        times.push(("analyze", start.elapsed()));
        samples.push(times);
    }
    let n = samples[0].len();
    let parts: Vec<String> = (0..n)
        .map(|k| {
            let mut it: Vec<Duration> = samples.iter().map(|s| s[k].1).collect();
            it.sort();
            format!("{} {:.2}", samples[0][k].0, it[it.len() / 2].as_secs_f64() * 1000.0)
        })
        .collect();
    println!("median ms over {} runs: {}", samples.len(), parts.join(", "));
    // The fastest whole run: on a shared machine a neighbour only ever adds time, so the
    // minimum moves less from minute to minute than the median (compare both).
    let fastest = |k: usize| samples.iter().map(|s| s[k].1).min().unwrap_or_default().as_secs_f64() * 1000.0;
    println!("fastest run: one thread {:.2} ms, analyze {:.2} ms", fastest(n - 2), fastest(n - 1));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `scattered`: the enterprise estate with roles scattered at random (the adversarial
    // RBAC shape, `RbacShape::Scattered`).
    let (params, shape) = match args.first().map(String::as_str) {
        Some("small") => (EstateParams::small(), RbacShape::Teams),
        Some("scattered") => (EstateParams::enterprise(), RbacShape::Scattered),
        _ => (EstateParams::enterprise(), RbacShape::Teams),
    };
    let runs: usize = args.get(1).and_then(|it| it.parse().ok()).unwrap_or(1);
    let design = generate_with_rbac(&params, shape);
    if let Some(runs) = std::env::var("PHASES").ok().and_then(|it| it.parse().ok()) {
        phases(&design, runs);
    }
    // THREADS=1: the one-thread analysis (what the page runs, and what instruction counts
    // compare: `valgrind --tool=callgrind --toggle-collect='bastion_sim::engine::analyze*'`).
    let threads = match std::env::var("THREADS").as_deref() {
        Ok("1") => engine::Threads::One,
        _ => engine::Threads::for_design(&design),
    };
    let mut analysis = engine::analyze_on(&design, threads);
    for _ in 1..runs {
        analysis = engine::analyze_on(&design, threads);
    }
    // The findings as the CLI prints them: every fix action built, those `analyze` leaves
    // to be built on demand too; without the `mechanical` marker, so that the digest compares
    // with builds from before it.
    let completed = engine::fixes::completed_findings(&engine::Index::new(&design), &analysis);
    let lines: Vec<String> = completed
        .iter()
        .map(|it| format!("{it:?}").replace(", mechanical: true }", " }").replace(", mechanical: false }", " }"))
        .collect();
    // DUMP=<file> writes every finding, one a line, to compare two builds.
    if let Ok(path) = std::env::var("DUMP") {
        std::fs::write(path, lines.join("\n")).expect("DUMP file written");
    }
    if std::env::var("STATS").is_ok() {
        let entries: usize = analysis.reach.iter().map(|r| r.vm_blockers.len()).sum();
        let open: usize = analysis.reach.iter().map(|r| r.vm_blockers.iter().filter(|it| it.1.is_none()).count()).sum();
        println!("vm_blockers entries {entries}, reachable {open}");
    }
    let mut findings = DefaultHasher::new();
    format!("[{}]", lines.join(", ")).hash(&mut findings);
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
