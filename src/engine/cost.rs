//! Monthly cost of the Bastions from the dated, approximate price table (rules.md §7).

use super::{Analysis, CostReport, Index};

pub fn estimate_cost(index: &Index, analysis: &Analysis) -> CostReport {
    let _ = analysis;
    CostReport {
        prices: index.design.prices(),
        hours_per_month: 730.0,
        bastions: Vec::new(),
        total: 0.0,
        approximate: true,
    }
}
