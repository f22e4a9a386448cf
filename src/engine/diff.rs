//! The difference between two analyses (what-if): pairs that became reachable or
//! blocked, findings added and removed, role changes, SKU changes, resources changed (for
//! the page's compare overlay) and the cost delta. Resources are matched by kind and name,
//! so the two designs may differ in anything. Every list is sorted.

use super::{Analysis, CompactAccess, Finding, RuleId, Target};
use crate::model::{BastionSku, Design, RoleAssignment};
use serde::{Serialize, Serializer};
use std::collections::{BTreeSet, HashMap};

use super::fx::{Fx, FxMap, FxSet};

/// A (Bastion, target) pair whose verdict changed; `None` as a blocker means reachable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PairChange {
    pub bastion: String,
    pub target: String,
    pub before: Option<RuleId>,
    pub after: Option<RuleId>,
}

/// A (principal, target) RBAC result whose outcome changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RbacChange {
    pub principal: String,
    pub target: String,
    pub bastion: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkuChange {
    pub bastion: String,
    pub before: BastionSku,
    pub after: BastionSku,
    pub least_before: BastionSku,
    pub least_after: BastionSku,
}

/// A resource by kind (`vnet`, `subnet`, `peering`, `bastion`, `vm`, `nsg`, …) and name
/// (`vnet/subnet` for subnets); the page marks it as `diff-<kind>-<name>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResourceKey {
    pub kind: &'static str,
    pub name: String,
}

/// A role assignment, compared as (principal, role, scope).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RoleChange {
    pub principal: String,
    #[serde(serialize_with = "role_name")]
    pub role: crate::model::Role,
    pub scope: String,
}

fn role_name<S: Serializer>(role: &crate::model::Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(role.name())
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AnalysisDiff {
    /// Pairs in both designs that were blocked and are now reachable.
    pub became_reachable: Vec<PairChange>,
    /// Pairs in both designs that were reachable and are now blocked.
    pub became_blocked: Vec<PairChange>,
    /// Pairs blocked in both, by a different rule.
    pub blocker_changed: Vec<PairChange>,
    /// Targets (by name) that some Bastion reached before and none reaches after.
    pub targets_lost: Vec<String>,
    /// Targets that no Bastion reached before (or did not exist) and some Bastion reaches after.
    pub targets_gained: Vec<String>,
    /// Findings matched by (id, resource, message).
    pub findings_added: Vec<Finding>,
    pub findings_removed: Vec<Finding>,
    /// Design-level role assignments.
    pub roles_added: Vec<RoleChange>,
    pub roles_removed: Vec<RoleChange>,
    /// RBAC results that became granted / denied (or appeared granted / denied, or were
    /// granted and disappeared with the principal's last role on the VM).
    pub rbac_granted: Vec<RbacChange>,
    pub rbac_denied: Vec<RbacChange>,
    pub sku_changes: Vec<SkuChange>,
    pub resources_added: Vec<ResourceKey>,
    pub resources_removed: Vec<ResourceKey>,
    pub resources_changed: Vec<ResourceKey>,
    /// Per Bastion (matched by name; renamed or replaced ones appear as removed and
    /// added): the targets it gained and lost.
    pub bastion_targets: Vec<super::diff_bastions::BastionTargets>,
    /// Per target whose reaching Bastions changed: which reach it before and after, and
    /// whether any does.
    pub target_reach: Vec<super::diff_bastions::TargetReach>,
    pub cost_before: f64,
    pub cost_after: f64,
    pub cost_delta: f64,
}

impl AnalysisDiff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.became_reachable.is_empty()
            && self.became_blocked.is_empty()
            && self.blocker_changed.is_empty()
            && self.targets_lost.is_empty()
            && self.targets_gained.is_empty()
            && self.findings_added.is_empty()
            && self.findings_removed.is_empty()
            && self.roles_added.is_empty()
            && self.roles_removed.is_empty()
            && self.rbac_granted.is_empty()
            && self.rbac_denied.is_empty()
            && self.sku_changes.is_empty()
            && self.resources_added.is_empty()
            && self.resources_removed.is_empty()
            && self.resources_changed.is_empty()
            && self.bastion_targets.is_empty()
            && self.target_reach.is_empty()
            && self.cost_delta == 0.0
    }
}

/// Compares the analysis of `before` with the analysis of `after`. Resources are matched
/// by name, so the two designs may differ in anything.
pub fn diff(before: (&Design, &Analysis), after: (&Design, &Analysis)) -> AnalysisDiff {
    let (d0, a0) = before;
    let (d1, a1) = after;
    let mut out = AnalysisDiff::default();
    pairs(d0, a0, d1, a1, &mut out);
    findings(a0, a1, &mut out);
    roles(d0, d1, &mut out);
    rbac(&named(d0, &a0.rbac), &named(d1, &a1.rbac), &mut out);
    skus(a0, a1, &mut out);
    resources(d0, d1, &mut out);
    (out.bastion_targets, out.target_reach) = super::diff_bastions::bastion_changes(before, after);
    out.cost_before = a0.cost.total;
    out.cost_after = a1.cost.total;
    out.cost_delta = ((a1.cost.total - a0.cost.total) * 100.0).round() / 100.0;
    out
}

fn position_map<T>(items: &[T], name: impl Fn(&T) -> &str) -> FxMap<&str, usize> {
    let mut map = FxMap::with_capacity_and_hasher(items.len(), Fx::default());
    for (idx, item) in items.iter().enumerate() {
        map.entry(name(item)).or_insert(idx);
    }
    map
}

fn blocker_of(analysis: &Analysis, bastion: usize, target: Target) -> Option<Option<RuleId>> {
    (bastion < analysis.reach.len()).then(|| analysis.blocker(bastion, target))
}

fn pairs<'a>(d0: &'a Design, a0: &Analysis, d1: &'a Design, a1: &Analysis, out: &mut AnalysisDiff) {
    let bastions1 = position_map(&d1.bastions, |b| b.name.as_str());
    let vms1 = position_map(&d1.vms, |v| v.name.as_str());
    let machines1 = position_map(&d1.onprem_machines, |m| m.name.as_str());
    // Target index maps, before → after, once.
    let vm_map: Vec<Option<usize>> = d0.vms.iter().map(|v| vms1.get(v.name.as_str()).copied()).collect();
    let machine_map: Vec<Option<usize>> =
        d0.onprem_machines.iter().map(|m| machines1.get(m.name.as_str()).copied()).collect();
    let targets0: Vec<(Target, Option<Target>, &str)> =
        (0..d0.vms.len())
            .map(|v| (Target::Vm(v), vm_map[v].map(Target::Vm), d0.vms[v].name.as_str()))
            .chain((0..d0.onprem_machines.len()).map(|m| {
                (Target::Machine(m), machine_map[m].map(Target::Machine), d0.onprem_machines[m].name.as_str())
            }))
            .collect();
    for (b0, bastion) in d0.bastions.iter().enumerate() {
        let Some(&b1) = bastions1.get(bastion.name.as_str()) else { continue };
        let (Some(reach0), Some(reach1)) = (a0.reach.get(b0), a1.reach.get(b1)) else { continue };
        for &(t0, t1, name) in &targets0 {
            let Some(t1) = t1 else { continue };
            // Most pairs are blocked for their whole VNet, the same way on both sides: skip
            // those without resolving the per-VM verdict.
            if let (Target::Vm(v0), Target::Vm(v1)) = (t0, t1) {
                let vnet_blocker = |a: &Analysis, reach: &super::BastionReach, vm: usize| {
                    a.vm_vnet
                        .get(vm)
                        .copied()
                        .flatten()
                        .and_then(|v| reach.vnet_paths.get(v as usize))
                        .and_then(|p| p.blocker)
                };
                let (x0, x1) = (vnet_blocker(a0, reach0, v0), vnet_blocker(a1, reach1, v1));
                if x0.is_some() && x0 == x1 {
                    continue;
                }
            }
            let (Some(before), Some(after)) = (blocker_of(a0, b0, t0), blocker_of(a1, b1, t1)) else { continue };
            if before == after {
                continue;
            }
            let change = PairChange { bastion: bastion.name.clone(), target: name.to_string(), before, after };
            match (before, after) {
                (Some(_), None) => out.became_reachable.push(change),
                (None, Some(_)) => out.became_blocked.push(change),
                _ => out.blocker_changed.push(change),
            }
        }
    }
    crate::util::sort(&mut out.became_reachable);
    crate::util::sort(&mut out.became_blocked);
    crate::util::sort(&mut out.blocker_changed);

    // A target is reached when some Bastion's verdict for it is None. Verdicts of VMs in a
    // VNet blocked as a whole are never None, so only the per-VM entries need a look.
    let reached = |design: &'a Design, analysis: &Analysis| -> FxSet<&'a str> {
        let mut set = FxSet::default();
        for (b, reach) in analysis.reach.iter().enumerate().take(design.bastions.len()) {
            for &(vm, _) in &reach.vm_blockers {
                let vm = vm as usize;
                if vm < design.vms.len() && analysis.blocker(b, Target::Vm(vm)).is_none() {
                    set.insert(design.vms[vm].name.as_str());
                }
            }
            for m in 0..design.onprem_machines.len() {
                if analysis.blocker(b, Target::Machine(m)).is_none() {
                    set.insert(design.onprem_machines[m].name.as_str());
                }
            }
        }
        set
    };
    let r0 = reached(d0, a0);
    let r1 = reached(d1, a1);
    out.targets_lost = r0.difference(&r1).map(|it| it.to_string()).collect();
    out.targets_gained = r1.difference(&r0).map(|it| it.to_string()).collect();
    crate::util::sort(&mut out.targets_lost);
    crate::util::sort(&mut out.targets_gained);
}

fn finding_key(f: &Finding) -> (RuleId, &str, &str) {
    (f.id, f.resource.as_str(), f.message.as_str())
}

fn findings(a0: &Analysis, a1: &Analysis, out: &mut AnalysisDiff) {
    let keys0: BTreeSet<_> = crate::util::btree_set(a0.findings.iter().map(finding_key));
    let keys1: BTreeSet<_> = crate::util::btree_set(a1.findings.iter().map(finding_key));
    out.findings_added = a1.findings.iter().filter(|f| !keys0.contains(&finding_key(f))).cloned().collect();
    out.findings_removed = a0.findings.iter().filter(|f| !keys1.contains(&finding_key(f))).cloned().collect();
    let order = |a: &Finding, b: &Finding| {
        (a.severity, a.id, &a.resource, &a.message).cmp(&(b.severity, b.id, &b.resource, &b.message))
    };
    crate::util::sort_by(&mut out.findings_added, order);
    crate::util::sort_by(&mut out.findings_removed, order);
}

fn role_key(r: &RoleAssignment) -> RoleChange {
    RoleChange { principal: r.principal.clone(), role: r.role, scope: r.scope.clone() }
}

/// Role assignments compared as ARM compares them: the scope without case (the engine's
/// RBAC does the same), so re-spelling a scope's case is no change; each side keeps its text.
fn roles(d0: &Design, d1: &Design, out: &mut AnalysisDiff) {
    let same = |r: &RoleAssignment| (r.principal.clone(), r.role, r.scope.to_ascii_lowercase());
    let k0: BTreeSet<_> = crate::util::btree_set(d0.role_assignments.iter().map(same));
    let k1: BTreeSet<_> = crate::util::btree_set(d1.role_assignments.iter().map(same));
    let r0: BTreeSet<RoleChange> =
        crate::util::btree_set(d0.role_assignments.iter().filter(|r| !k1.contains(&same(r))).map(role_key));
    let r1: BTreeSet<RoleChange> =
        crate::util::btree_set(d1.role_assignments.iter().filter(|r| !k0.contains(&same(r))).map(role_key));
    out.roles_added = r1.into_iter().collect();
    out.roles_removed = r0.into_iter().collect();
}

/// An RBAC verdict by names (the designs are matched by name), borrowed from the design.
struct Named<'d> {
    principal: &'d str,
    target: &'d str,
    bastion: &'d str,
    granted: bool,
}

fn named<'d>(design: &'d Design, results: &[CompactAccess]) -> Vec<Named<'d>> {
    results
        .iter()
        .filter_map(|it| {
            Some(Named {
                principal: &design.users.get(it.user as usize)?.name,
                target: &design.vms.get(it.vm as usize)?.name,
                bastion: &design.bastions.get(it.bastion as usize)?.name,
                granted: it.granted,
            })
        })
        .collect()
}

/// The contiguous runs of results per principal (`analyze_rbac` groups them by user).
fn runs<'a>(results: &[Named<'a>]) -> FxMap<&'a str, (usize, usize)> {
    let mut map: FxMap<&'a str, (usize, usize)> = FxMap::default();
    let mut start = 0;
    while start < results.len() {
        let principal = results[start].principal;
        let mut end = start + 1;
        while end < results.len() && results[end].principal == principal {
            end += 1;
        }
        // A principal split in two runs (never produced by the engine) keeps its first.
        map.entry(principal).or_insert((start, end));
        start = end;
    }
    map
}

fn rbac(r0: &[Named], r1: &[Named], out: &mut AnalysisDiff) {
    let change = |r: &Named| RbacChange {
        principal: r.principal.to_string(),
        target: r.target.to_string(),
        bastion: r.bastion.to_string(),
    };
    let runs0 = runs(r0);
    let runs1 = runs(r1);
    // Per principal, match targets by name in a small map (cache-friendly on 10⁵ results).
    let mut targets: FxMap<&str, (bool, bool)> = FxMap::default();
    for (principal, &(s1, e1)) in &runs1 {
        targets.clear();
        if let Some(&(s0, e0)) = runs0.get(principal) {
            targets.extend(r0[s0..e0].iter().map(|r| (r.target, (r.granted, false))));
        }
        for r in &r1[s1..e1] {
            if let Some((was, seen)) = targets.get_mut(r.target) {
                *seen = true;
                if *was == r.granted {
                    continue;
                }
            }
            if r.granted {
                out.rbac_granted.push(change(r));
            } else {
                out.rbac_denied.push(change(r));
            }
        }
        // Access lost with the last role on the VM: the result is gone, the access too.
        if let Some(&(s0, e0)) = runs0.get(principal) {
            for r in &r0[s0..e0] {
                if r.granted && targets.get(r.target).is_some_and(|it| !it.1) {
                    out.rbac_denied.push(change(r));
                }
            }
        }
    }
    for (principal, &(s0, e0)) in &runs0 {
        if !runs1.contains_key(principal) {
            out.rbac_denied.extend(r0[s0..e0].iter().filter(|r| r.granted).map(change));
        }
    }
    crate::util::sort(&mut out.rbac_granted);
    crate::util::sort(&mut out.rbac_denied);
}

fn skus(a0: &Analysis, a1: &Analysis, out: &mut AnalysisDiff) {
    let before: HashMap<&str, (BastionSku, BastionSku)> =
        a0.sku.iter().map(|s| (s.bastion.as_str(), (s.current, s.least))).collect();
    for s in &a1.sku {
        let Some(&(current, least)) = before.get(s.bastion.as_str()) else { continue };
        if current != s.current || least != s.least {
            out.sku_changes.push(SkuChange {
                bastion: s.bastion.clone(),
                before: current,
                after: s.current,
                least_before: least,
                least_after: s.least,
            });
        }
    }
    crate::util::sort(&mut out.sku_changes);
}

/// Compares one kind of resource by name: added, removed, changed (by value).
fn compare_kind<'a, T: PartialEq>(
    kind: &'static str,
    before: &'a [T],
    after: &'a [T],
    name: impl Fn(&'a T) -> &'a str,
    same: impl Fn(&T, &T) -> bool,
    out: &mut AnalysisDiff,
) {
    let names0: FxMap<&str, &T> = before.iter().rev().map(|it| (name(it), it)).collect();
    let names1: FxMap<&str, &T> = after.iter().rev().map(|it| (name(it), it)).collect();
    for (key, new) in &names1 {
        match names0.get(key) {
            None => out.resources_added.push(ResourceKey { kind, name: key.to_string() }),
            Some(old) if !same(old, new) => out.resources_changed.push(ResourceKey { kind, name: key.to_string() }),
            _ => {}
        }
    }
    for key in names0.keys().filter(|k| !names1.contains_key(*k)) {
        out.resources_removed.push(ResourceKey { kind, name: key.to_string() });
    }
}

/// Resources by kind and name; a VNet is compared without its subnets, which are resources
/// of their own (`vnet/subnet`).
fn resources(d0: &Design, d1: &Design, out: &mut AnalysisDiff) {
    compare_kind(
        "management_group",
        &d0.management_groups,
        &d1.management_groups,
        |it| it.name.as_str(),
        |a, b| a == b,
        out,
    );
    compare_kind("subscription", &d0.subscriptions, &d1.subscriptions, |it| it.id.as_str(), |a, b| a == b, out);
    compare_kind(
        "vnet",
        &d0.vnets,
        &d1.vnets,
        |it| it.name.as_str(),
        |a, b| {
            a.subscription == b.subscription
                && a.resource_group == b.resource_group
                && a.region == b.region
                && a.address_prefixes == b.address_prefixes
                && a.private_dns_zones == b.private_dns_zones
                && a.route_server_default_route == b.route_server_default_route
        },
        out,
    );
    let subnets = |d: &Design| -> Vec<(String, crate::model::Subnet)> {
        d.vnets
            .iter()
            .flat_map(|v| v.subnets.iter().map(move |s| (format!("{}/{}", v.name, s.name), s.clone())))
            .collect()
    };
    compare_kind("subnet", &subnets(d0), &subnets(d1), |it| it.0.as_str(), |a, b| a.1 == b.1, out);
    compare_kind("peering", &d0.peerings, &d1.peerings, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("nsg", &d0.nsgs, &d1.nsgs, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("route_table", &d0.route_tables, &d1.route_tables, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("public_ip", &d0.public_ips, &d1.public_ips, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("bastion", &d0.bastions, &d1.bastions, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("vm", &d0.vms, &d1.vms, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("virtual_wan", &d0.virtual_wans, &d1.virtual_wans, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("virtual_hub", &d0.virtual_hubs, &d1.virtual_hubs, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("hub_connection", &d0.hub_connections, &d1.hub_connections, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("gateway", &d0.gateways, &d1.gateways, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("site", &d0.onprem_sites, &d1.onprem_sites, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind(
        "site_connection",
        &d0.site_connections,
        &d1.site_connections,
        |it| it.name.as_str(),
        |a, b| a == b,
        out,
    );
    compare_kind("machine", &d0.onprem_machines, &d1.onprem_machines, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("key_vault", &d0.key_vaults, &d1.key_vaults, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("workspace", &d0.log_workspaces, &d1.log_workspaces, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("user", &d0.users, &d1.users, |it| it.name.as_str(), |a, b| a == b, out);
    compare_kind("group", &d0.groups, &d1.groups, |it| it.name.as_str(), |a, b| a == b, out);
    crate::util::sort(&mut out.resources_added);
    crate::util::sort(&mut out.resources_removed);
    crate::util::sort(&mut out.resources_changed);
}
