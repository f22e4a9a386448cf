//! bastion-sim: a simulator of Azure remote access (Bastion, peering, NSG, RBAC).
//!
//! The crate's map (see ARCHITECTURE.md for the data flow and invariants):
//! - `model`: the design — resources, ids, CIDRs, validation, the design file;
//! - `engine`: `analyze(&Design) -> Analysis`, pure and deterministic;
//! - `scenarios`: built-in designs and the synthetic estate generator;
//! - `report`: the analysis as text and as JSON (the CLI's output, the snapshots);
//! - `ui` (wasm32 only): the yew page.
//!
//! `model`, `engine` and `scenarios` never use web types; they build and test natively.

pub mod engine;
pub mod model;
pub mod report;
pub mod scenarios;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod view;

pub use engine::{analyze, Analysis};
pub use model::Design;
