//! The RBAC planner as the page offers it: `rbac::plan_least_privilege` plus warnings on
//! what a plan (or what the principals already hold) exposes beyond the targets — rules.md
//! §4 "flag when a plan exposes more than the target" — so least privilege is visible.

use super::rbac::{plan_least_privilege, vm_res, RbacPlan};
use super::Index;
use crate::model::{Design, ResourceKind, Role, Scope};
use std::collections::{BTreeMap, BTreeSet};

/// The least-privilege plan for `principals` (users or groups) to connect to `targets`
/// (VM names), with its warnings extended by:
/// - each planned Reader on a VNet that also holds VMs outside the targets (the VNet's
///   topology — subnets, peerings — is revealed beyond what the principals connect to);
/// - each role the principals already hold at a subscription, resource-group or
///   management-group scope covering a target (broader than the plan needs: the planned
///   resource-scoped assignments would do).
///
/// Warnings are sorted and unique; the assignments are `plan_least_privilege`'s.
pub fn plan(design: &Design, principals: &[String], targets: &[String]) -> RbacPlan {
    let mut plan = plan_least_privilege(design, principals, targets);
    let index = Index::new(design);
    let mut warnings: BTreeSet<String> = crate::util::btree_set(plan.warnings.drain(..));
    let target_vms: BTreeSet<usize> =
        crate::util::btree_set(targets.iter().filter_map(|t| index.vm_by_name.get(t.as_str()).copied()));

    // Planned VNet Readers that reveal VNets shared with other VMs.
    for assignment in &plan.assignments {
        let Ok(Scope::Resource(res)) = Scope::parse(&assignment.scope) else { continue };
        if res.kind != ResourceKind::VirtualNetwork {
            continue;
        }
        let Some(&v) = index.vnet_by_name.get(res.name.as_str()) else { continue };
        let others: Vec<&str> = index.vms_by_vnet[v]
            .iter()
            .filter(|vm| !target_vms.contains(vm))
            .map(|&vm| design.vms[vm].name.as_str())
            .collect();
        if !others.is_empty() {
            let listed = others.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            let more = if others.len() > 3 { format!(" and {} more", others.len() - 3) } else { String::new() };
            warnings.insert(format!(
                "{} {} on {} (RBAC-VNET) also reveals that VNet's subnets and peerings, shared with VMs outside the plan ({listed}{more}); Reader on a VNet grants no access to those VMs",
                assignment.principal,
                assignment.role.name(),
                res.name
            ));
        }
    }

    // Roles the principals already hold at a broad scope over a target.
    let mut holders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new(); // principal -> for users
    for name in principals {
        if index.user_by_name.contains_key(name.as_str()) {
            holders.entry(name.as_str()).or_default().insert(name.as_str());
            for &g in &index.groups_of_user[index.user_by_name[name.as_str()]] {
                holders.entry(design.groups[g].name.as_str()).or_default().insert(name.as_str());
            }
        } else if let Some(&g) = index.group_by_name.get(name.as_str()) {
            holders.entry(design.groups[g].name.as_str()).or_default().insert(name.as_str());
        }
    }
    for a in &design.role_assignments {
        if !holders.contains_key(a.principal.as_str()) || a.role == Role::KeyVaultSecretsUser {
            continue;
        }
        let Ok(scope) = Scope::parse(&a.scope) else { continue };
        let broad = match &scope {
            Scope::Resource(_) => continue,
            Scope::Root => "the whole tenant",
            Scope::ManagementGroup(_) => "a management group",
            Scope::Subscription(_) => "a subscription",
            Scope::ResourceGroup { .. } => "a resource group",
        };
        let covered: Vec<&str> = target_vms
            .iter()
            .filter(|&&vm| scope.contains(&vm_res(design, vm).to_ref(), &design.management_groups))
            .map(|&vm| design.vms[vm].name.as_str())
            .collect();
        if covered.is_empty() {
            continue;
        }
        warnings.insert(format!(
            "{} already holds {} at {} ({}), broader than connecting to {} needs: every resource there is readable; the resource-scoped Readers of the plan would do",
            a.principal,
            a.role.name(),
            broad,
            a.scope,
            covered.join(", ")
        ));
    }
    plan.warnings = warnings.into_iter().collect();
    plan
}
