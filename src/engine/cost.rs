//! Monthly cost of the Bastions from the dated, approximate price table (rules.md §7):
//! hours × the SKU's hourly price (2 instances included) + extra instances + outbound data
//! beyond the free allowance, which all Bastions share. Developer is free. Never a quote.

use super::{Analysis, BastionCost, CostReport, Index};
use crate::model::{BastionHost, BastionSku, PriceTable};

pub const HOURS_PER_MONTH: f64 = 730.0;

/// Rounds to cents, so sums and diffs print cleanly.
fn cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Instances a Bastion is billed for: Basic is fixed at 2, Standard and Premium run their
/// scale units (2–50), Developer is a shared host (counted as one, billed as none).
pub fn billed_instances(bastion: &BastionHost) -> u32 {
    match bastion.sku {
        BastionSku::Developer => 1,
        BastionSku::Basic => 2,
        BastionSku::Standard | BastionSku::Premium => bastion.scale_units.clamp(2, 50),
    }
}

/// The monthly list price of one Bastion of `sku` with `instances`, data excluded.
pub fn monthly_base(prices: &PriceTable, sku: BastionSku, instances: u32) -> (f64, f64) {
    let extra = instances.saturating_sub(2) as f64;
    match sku {
        BastionSku::Developer => (0.0, 0.0),
        BastionSku::Basic => (cents(HOURS_PER_MONTH * prices.basic_per_hour), 0.0),
        BastionSku::Standard => (
            cents(HOURS_PER_MONTH * prices.standard_per_hour),
            cents(HOURS_PER_MONTH * extra * prices.standard_extra_instance_per_hour),
        ),
        BastionSku::Premium => (
            cents(HOURS_PER_MONTH * prices.premium_per_hour),
            cents(HOURS_PER_MONTH * extra * prices.premium_extra_instance_per_hour),
        ),
    }
}

pub fn estimate_cost(index: &Index, analysis: &Analysis) -> CostReport {
    let _ = analysis;
    let prices = index.design.prices();
    // The free outbound allowance is per month across all Bastion resources: it is spent in
    // design order, so the total does not depend on how it is split.
    let mut free_left = prices.free_outbound_gb.max(0.0);
    let bastions: Vec<BastionCost> = index
        .design
        .bastions
        .iter()
        .map(|bastion| {
            let instances = billed_instances(bastion);
            let (base, extra_instances) = monthly_base(&prices, bastion.sku, instances);
            let data = if bastion.sku.is_dedicated() {
                let gb = if bastion.outbound_data_gb.is_finite() { bastion.outbound_data_gb.max(0.0) } else { 0.0 };
                let free = gb.min(free_left);
                free_left -= free;
                cents((gb - free) * prices.outbound_per_gb)
            } else {
                0.0
            };
            BastionCost {
                bastion: bastion.name.clone(),
                sku: bastion.sku,
                instances,
                base,
                extra_instances,
                data,
                total: cents(base + extra_instances + data),
            }
        })
        .collect();
    // `+ 0.0`: the float sum of nothing is -0.0, which JSON prints as "-0" (no Bastion).
    let total = cents(bastions.iter().map(|it| it.total).sum::<f64>() + 0.0);
    CostReport { prices, hours_per_month: HOURS_PER_MONTH, bastions, total, approximate: true }
}
