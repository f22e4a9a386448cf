//! bastion-sim: a simulator of Azure remote access (Bastion, peering, NSG, RBAC).
//!
//! The crate's map (see ARCHITECTURE.md for the data flow and invariants):
//! - `model`: the design — resources, ids, CIDRs, validation, the design file;
//! - `engine`: `analyze(&Design) -> Analysis`, pure and deterministic;
//! - `edit`: commands that change a design, validated, with exact undo;
//! - `io`: the share-link codec;
//! - `scenarios`: built-in designs and the synthetic estate generator;
//! - `report`: the analysis as text and as JSON (the CLI's output, the snapshots);
//! - `util`: the sort (and sorted-map build) shared by every module: one copy of it in the page;
//! - `ui` (wasm32 only): the yew page.
//!
//! `model`, `engine` and `scenarios` never use web types; they build and test natively.

pub mod edit;
pub mod engine;
pub mod io;
pub mod memcmp;
pub mod model;
pub mod report;
pub mod scenarios;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod util;
pub mod view;

pub use engine::{analyze, Analysis};

/// The page's allocator (wasm32 only): the engine and yew allocate
/// hundreds of thousands of small blocks per edit of a large estate, and talc serves them
/// faster than the dlmalloc Rust uses for wasm32 by default (BENCHMARKS.md has the figures).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The native allocator (the CLI, benchmarks and tests): mimalloc, for the same reason
/// (BENCHMARKS.md, "The native allocator": `analyze` of the enterprise estate runs about a
/// quarter faster than with glibc's malloc).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
pub use model::Design;
