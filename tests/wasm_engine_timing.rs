//! Times `analyze` on the enterprise estate in the browser (wasm32, Chromium) and prints the
//! median: the page re-analyzes on every edit, so this is its core speed (BENCHMARKS.md,
//! "Engine (wasm, Chromium)"); the same for its adversarial twin with scattered roles. It
//! Also `validate`, which every edit runs before the analysis (the page's "command" phase).
//! It asserts only that each analysis is the native one, never a time: run it with `cargo test
//! --target wasm32-unknown-unknown --release --test wasm_engine_timing -- --nocapture`.

#![cfg(target_arch = "wasm32")]

use bastion_sim::engine::{analyze, analyze_observed, analyze_verdicts, complete};
use bastion_sim::model::validate;
use bastion_sim::scenarios::synthetic::{generate_with_rbac, EstateParams, RbacShape};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `performance.now()` in milliseconds (sub-millisecond where the browser allows it).
fn now() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let function = js_sys::Reflect::get(&performance, &"now".into()).expect("performance.now");
    function
        .dyn_into::<js_sys::Function>()
        .expect("a function")
        .call0(&performance)
        .expect("now()")
        .as_f64()
        .unwrap_or(0.0)
}

/// Runs `work` 15 times (after the caller's warm-up) and prints median, min and max.
fn time_runs(label: &str, mut work: impl FnMut()) {
    let mut samples = Vec::new();
    for _ in 0..15 {
        let start = now();
        work();
        samples.push(now() - start);
    }
    samples.sort_by(f64::total_cmp);
    console_log!(
        "wasm {label}: median {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        samples[samples.len() / 2],
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

/// The median time of each phase of `analyze` over 15 runs (`analyze_observed` marks the end
/// of each), to compare with the native `PHASES=` figures: a phase much slower here than
/// natively is one the size-optimized wasm build hurts.
fn time_phases(label: &str, design: &bastion_sim::model::Design) {
    let mut samples: Vec<Vec<(&'static str, f64)>> = Vec::new();
    for _ in 0..15 {
        let mut times = Vec::new();
        let mut last = now();
        analyze_observed(design, |phase| {
            let t = now();
            times.push((phase, t - last));
            last = t;
        });
        samples.push(times);
    }
    let parts: Vec<String> = (0..samples[0].len())
        .map(|k| {
            let mut it: Vec<f64> = samples.iter().map(|s| s[k].1).collect();
            it.sort_by(f64::total_cmp);
            format!("{} {:.2}", samples[0][k].0, it[it.len() / 2])
        })
        .collect();
    console_log!("wasm phases/{label} (median ms of 15): {}", parts.join(", "));
}

/// Times 15 analyses after one warm-up, then each phase.
fn time_estate(label: &str, shape: RbacShape, rbac_verdicts: usize) {
    let design = generate_with_rbac(&EstateParams::enterprise(), shape);
    let first = analyze(&design);
    // The same estate as the native benchmark (BENCHMARKS.md gives its counts).
    assert_eq!(design.vms.len(), 20_000);
    assert_eq!(first.rbac.len(), rbac_verdicts);
    time_runs(&format!("analyze/{label}"), || {
        assert_eq!(analyze(&design).findings.len(), first.findings.len());
    });
    time_phases(label, &design);
    // The page's two stages of an edit: the verdicts it paints, then the rest after the paint.
    let verdicts = analyze_verdicts(&design);
    assert_eq!(verdicts.reach, first.reach);
    time_runs(&format!("analyze_verdicts/{label}"), || {
        assert_eq!(analyze_verdicts(&design).reach.len(), first.reach.len());
    });
    time_runs(&format!("complete/{label}"), || {
        assert_eq!(complete(&design, &verdicts).findings.len(), first.findings.len());
    });
}

#[wasm_bindgen_test]
fn analyze_enterprise_estate_timing() {
    time_estate("enterprise", RbacShape::Teams, 10_757);
}

#[wasm_bindgen_test]
fn analyze_scattered_rbac_estate_timing() {
    time_estate("enterprise-scattered", RbacShape::Scattered, 75_151);
}

#[wasm_bindgen_test]
fn validate_enterprise_estate_timing() {
    let design = generate_with_rbac(&EstateParams::enterprise(), RbacShape::Teams);
    assert!(validate(&design).is_empty());
    time_runs("validate/enterprise", || assert!(validate(&design).is_empty()));
}
