//! Compare per Bastion: which targets each Bastion gained or lost between two designs,
//! and per target which Bastions reach it before and after. Bastions are matched by name,
//! so a renamed or replaced Bastion (per-spoke → hub) shows as one that lost all its
//! targets and one that gained them, while each target says whether any Bastion still
//! reaches it.

use super::{Analysis, Target};
use crate::model::Design;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What one Bastion reaches differently; only Bastions with a change are listed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BastionTargets {
    pub bastion: String,
    /// "kept" (in both designs), "added" (only after) or "removed" (only before).
    pub presence: &'static str,
    /// Targets it reaches after but not before.
    pub gained: Vec<String>,
    /// Targets it reached before but not after.
    pub lost: Vec<String>,
}

/// One target whose set of reaching Bastions changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TargetReach {
    pub target: String,
    /// Bastions reaching it before and after, by name.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Reachable by any Bastion before / after.
    pub reachable_before: bool,
    pub reachable_after: bool,
}

/// Bastion name → the targets it reaches (VMs and on-premises machines, by name).
fn reached<'d>(design: &'d Design, analysis: &Analysis) -> BTreeMap<&'d str, BTreeSet<&'d str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (b, reach) in analysis.reach.iter().enumerate().take(design.bastions.len()) {
        let set = out.entry(design.bastions[b].name.as_str()).or_default();
        // Only VMs in VNets the Bastion's path does not block have per-VM verdicts.
        for &(vm, _) in &reach.vm_blockers {
            let vm = vm as usize;
            if vm < design.vms.len() && analysis.blocker(b, Target::Vm(vm)).is_none() {
                set.insert(design.vms[vm].name.as_str());
            }
        }
        for m in 0..design.onprem_machines.len().min(reach.machine_blockers.len()) {
            if analysis.blocker(b, Target::Machine(m)).is_none() {
                set.insert(design.onprem_machines[m].name.as_str());
            }
        }
    }
    out
}

/// Per-Bastion and per-target changes of reach, both sorted by name.
pub fn bastion_changes(
    before: (&Design, &Analysis),
    after: (&Design, &Analysis),
) -> (Vec<BastionTargets>, Vec<TargetReach>) {
    let r0 = reached(before.0, before.1);
    let r1 = reached(after.0, after.1);
    let empty = BTreeSet::new();
    let names: BTreeSet<&str> = crate::util::btree_set(r0.keys().chain(r1.keys()).copied());
    let mut per_bastion = Vec::new();
    let mut by_target: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for name in names {
        let (s0, s1) = (r0.get(name), r1.get(name));
        let presence = match (s0.is_some(), s1.is_some()) {
            (true, true) => "kept",
            (false, true) => "added",
            _ => "removed",
        };
        let (s0, s1) = (s0.unwrap_or(&empty), s1.unwrap_or(&empty));
        for t in s0 {
            by_target.entry(t).or_default().0.insert(name);
        }
        for t in s1 {
            by_target.entry(t).or_default().1.insert(name);
        }
        let gained: Vec<String> = s1.difference(s0).map(|it| it.to_string()).collect();
        let lost: Vec<String> = s0.difference(s1).map(|it| it.to_string()).collect();
        if !gained.is_empty() || !lost.is_empty() || presence != "kept" {
            per_bastion.push(BastionTargets { bastion: name.to_string(), presence, gained, lost });
        }
    }
    let per_target = by_target
        .into_iter()
        .filter(|(_, (b0, b1))| b0 != b1)
        .map(|(target, (b0, b1))| TargetReach {
            target: target.to_string(),
            reachable_before: !b0.is_empty(),
            reachable_after: !b1.is_empty(),
            before: b0.into_iter().map(str::to_string).collect(),
            after: b1.into_iter().map(str::to_string).collect(),
        })
        .collect();
    (per_bastion, per_target)
}
