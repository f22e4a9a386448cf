//! RBAC: what each principal needs to connect through a Bastion to a VM (RBAC-*, rules.md
//! §4 and §8), with group membership, the role table and scope inheritance; the missing
//! assignments; and a least-privilege plan for a set of principals and targets.
//!
//! Speed (10⁵ results on an enterprise estate): scopes are parsed once, each user's
//! assignments become bit masks of the needs they meet, memoized per resource group; the
//! VMs a user holds any role on come from subscription / resource-group maps, never from
//! testing every VM against every user; a user holding the same assignments through the
//! same groups as the user before (a team's members) takes that user's verdicts. Verdicts
//! are decided without sentences: `Analysis::rbac` holds `CompactAccess` values only;
//! sentences are spelled out on demand (`materialize_results`, `access_checks`,
//! `materialize_access`).

use super::fx::{Fx, FxMap, FxSet};
use super::{analyze, concat, Analysis, Check, Grant, Index, Outcome, PathKind, RbacResult, RuleId, Target};
use crate::model::{
    BastionSku, Design, KeyVaultPermissionModel, ManagementGroup, ResourceKind, ResourceRef, Role, Scope, SignIn,
};
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a requirement of §4 asks of a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// Read the VM (RBAC-VM).
    VmRead,
    /// Read the NIC (RBAC-NIC).
    NicRead,
    /// Read a VNet (RBAC-VNET, RBAC-VNET-SAME).
    VnetRead,
    /// Read the Bastion (RBAC-BASTION).
    BastionRead,
    /// Read Key Vault secrets, data plane (RBAC-KV, RBAC model).
    KeyVaultSecrets,
    /// Write the VNet: the first connection deploys a Developer host (RBAC-DEV).
    VnetWrite,
    /// Sign in to the VM with Entra ID (RBAC-ENTRA).
    EntraLogin,
    /// Create, get and delete shareable links on the Bastion (RBAC-SHARE).
    ShareableLinks,
}

/// The role table of rules.md §8: which built-in role grants which need. Key Vault Reader
/// and Security Reader grant none of them.
pub fn grants(role: Role, need: Need) -> bool {
    use Role::*;
    match need {
        Need::VmRead => matches!(
            role,
            Owner
                | Contributor
                | Reader
                | VirtualMachineContributor
                | VirtualMachineUserLogin
                | VirtualMachineAdministratorLogin
        ),
        Need::NicRead | Need::VnetRead => matches!(
            role,
            Owner
                | Contributor
                | Reader
                | NetworkContributor
                | VirtualMachineContributor
                | VirtualMachineUserLogin
                | VirtualMachineAdministratorLogin
        ),
        Need::BastionRead => matches!(role, Owner | Contributor | Reader | NetworkContributor),
        Need::KeyVaultSecrets => matches!(role, KeyVaultSecretsUser),
        Need::VnetWrite | Need::ShareableLinks => matches!(role, Owner | Contributor | NetworkContributor),
        Need::EntraLogin => matches!(role, VirtualMachineUserLogin | VirtualMachineAdministratorLogin),
    }
}

/// The narrowest role that meets a need, for a missing requirement.
fn narrowest_role(need: Need) -> Role {
    match need {
        Need::VmRead | Need::NicRead | Need::VnetRead | Need::BastionRead => Role::Reader,
        Need::KeyVaultSecrets => Role::KeyVaultSecretsUser,
        Need::VnetWrite | Need::ShareableLinks => Role::NetworkContributor,
        Need::EntraLogin => Role::VirtualMachineUserLogin,
    }
}

fn roles_text(need: Need) -> &'static str {
    match need {
        Need::VmRead => "Reader, Contributor, Owner, Virtual Machine Contributor or a VM login role",
        Need::NicRead | Need::VnetRead => {
            "Reader, Contributor, Owner, Network Contributor, Virtual Machine Contributor or a VM login role"
        }
        Need::BastionRead => "Reader, Contributor, Owner or Network Contributor",
        Need::KeyVaultSecrets => "Key Vault Secrets User",
        Need::VnetWrite | Need::ShareableLinks => "Owner, Contributor or Network Contributor",
        Need::EntraLogin => "Virtual Machine User Login or Virtual Machine Administrator Login",
    }
}

/// A resource located for RBAC, borrowed from the design (no allocation on the hot path).
#[derive(Clone, Debug)]
pub struct Res<'a> {
    pub kind: ResourceKind,
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub name: Cow<'a, str>,
}

impl Res<'_> {
    /// `ids::arm_id`'s text, joined at its size (`format!` regrows; 10² grants per analysis).
    pub fn id(&self) -> String {
        concat(&[
            "/subscriptions/",
            self.subscription,
            "/resourceGroups/",
            self.resource_group,
            "/providers/",
            self.kind.arm_type(),
            "/",
            &self.name,
        ])
    }
    pub fn to_ref(&self) -> ResourceRef {
        ResourceRef::new(self.kind, self.subscription, self.resource_group, &self.name)
    }
}

/// `Scope::contains` for a borrowed resource (no allocation on the hot path).
pub fn covers(scope: &Scope, res: &Res, management_groups: &[ManagementGroup]) -> bool {
    scope.contains_parts(res.kind, res.subscription, res.resource_group, &res.name, management_groups)
}

pub fn vm_res<'d>(design: &'d Design, vm: usize) -> Res<'d> {
    let it = &design.vms[vm];
    Res {
        kind: if it.scale_set { ResourceKind::VirtualMachineScaleSet } else { ResourceKind::VirtualMachine },
        subscription: &it.subscription,
        resource_group: &it.resource_group,
        name: Cow::Borrowed(&it.name),
    }
}

/// The NIC lives beside its VM (same subscription and resource group). A scale set's
/// instance NICs are child resources of the scale set
/// (`…/virtualMachineScaleSets/<name>/virtualMachines/<n>/networkInterfaces/<nic>`): what
/// covers them is a scope that covers the scale set, so the scale set stands for them.
pub fn nic_res<'d>(design: &'d Design, vm: usize) -> Res<'d> {
    let it = &design.vms[vm];
    if it.scale_set {
        return vm_res(design, vm);
    }
    Res {
        kind: ResourceKind::NetworkInterface,
        subscription: &it.subscription,
        resource_group: &it.resource_group,
        name: if it.nic.name.is_empty() { Cow::Owned(it.nic_name()) } else { Cow::Borrowed(&it.nic.name) },
    }
}

pub fn vnet_res<'d>(design: &'d Design, vnet: usize) -> Res<'d> {
    let it = &design.vnets[vnet];
    Res {
        kind: ResourceKind::VirtualNetwork,
        subscription: &it.subscription,
        resource_group: &it.resource_group,
        name: Cow::Borrowed(&it.name),
    }
}

/// A Bastion sits in its VNet's subscription and, unless told otherwise, resource group.
pub fn bastion_res<'d>(index: &Index<'d>, bastion: usize) -> Res<'d> {
    let design = index.design;
    let it = &design.bastions[bastion];
    let vnet = index.vnet_by_name.get(it.vnet.as_str()).map(|&v| &design.vnets[v]);
    Res {
        kind: ResourceKind::BastionHost,
        subscription: vnet.map(|v| v.subscription.as_str()).unwrap_or(""),
        resource_group: it.resource_group.as_deref().or(vnet.map(|v| v.resource_group.as_str())).unwrap_or(""),
        name: Cow::Borrowed(&it.name),
    }
}

pub fn vault_res<'d>(design: &'d Design, vault: usize) -> Res<'d> {
    let it = &design.key_vaults[vault];
    Res {
        kind: ResourceKind::KeyVault,
        subscription: &it.subscription,
        resource_group: &it.resource_group,
        name: Cow::Borrowed(&it.name),
    }
}

/// One role assignment, parsed once, as it applies to a user.
#[derive(Clone, Copy, Debug)]
struct Effective {
    /// Index into `design.role_assignments`.
    assignment: usize,
    /// The group it comes through, if not the user's own.
    group: Option<usize>,
}

/// The parsed scope of each role assignment (None when its text does not parse), each
/// distinct text parsed and stored once: `scopes[assignment]` reads it.
struct ParsedScopes {
    unique: Vec<Option<Scope>>,
    /// Per role assignment, its scope's position in `unique`.
    of: Vec<u32>,
}

impl std::ops::Index<usize> for ParsedScopes {
    type Output = Option<Scope>;

    fn index(&self, assignment: usize) -> &Option<Scope> {
        &self.unique[self.of[assignment] as usize]
    }
}

/// Every principal's effective assignments, with scopes parsed once.
pub struct Assignments<'i, 'd> {
    index: &'i Index<'d>,
    scopes: ParsedScopes,
    /// Per user: own assignments, then each group's.
    per_user: Vec<Vec<Effective>>,
}

impl<'i, 'd> Assignments<'i, 'd> {
    pub fn new(index: &'i Index<'d>) -> Assignments<'i, 'd> {
        let design = index.design;
        // Teams name the same scopes (their resource group three times, a region's hub
        // Bastion and VNet): each text is parsed once and shared by index, not copied (a
        // parse allocates and compares every segment, a copy allocates every segment); the
        // previous assignment's is tried before the map.
        let mut scopes = ParsedScopes { unique: Vec::new(), of: Vec::with_capacity(design.role_assignments.len()) };
        let mut parsed: FxMap<&str, u32> =
            FxMap::with_capacity_and_hasher(design.role_assignments.len(), Fx::default());
        for (idx, it) in design.role_assignments.iter().enumerate() {
            let same = idx > 0 && design.role_assignments[idx - 1].scope == it.scope;
            let unique = match scopes.of.last() {
                Some(&previous) if same => previous,
                _ => *parsed.entry(&it.scope).or_insert_with(|| {
                    scopes.unique.push(Scope::parse(&it.scope).ok());
                    (scopes.unique.len() - 1) as u32
                }),
            };
            scopes.of.push(unique);
        }
        // Each user's list is allocated once at its size: its own assignments are counted
        // first (and their users remembered), then its groups' are known from `per_group`
        // (a list of own assignments per user, copied then grown, cost three allocations).
        let mut user_of: Vec<Option<usize>> = Vec::with_capacity(design.role_assignments.len());
        let mut own_count = vec![0usize; design.users.len()];
        let mut per_group = vec![Vec::new(); design.groups.len()];
        for (idx, assignment) in design.role_assignments.iter().enumerate() {
            if scopes[idx].is_none() {
                user_of.push(None);
                continue;
            }
            // Names are unique per kind; a user and a group with one name both receive it.
            let user = index.user_by_name.get(assignment.principal.as_str()).copied();
            if let Some(user) = user {
                own_count[user] += 1;
            }
            user_of.push(user);
            if let Some(&group) = index.group_by_name.get(assignment.principal.as_str()) {
                per_group[group].push(idx);
            }
        }
        let groups_of = |user: usize| &index.groups_of_user[user];
        let mut per_user: Vec<Vec<Effective>> = own_count
            .iter()
            .enumerate()
            .map(|(user, &own)| {
                Vec::with_capacity(own + groups_of(user).iter().map(|&g| per_group[g].len()).sum::<usize>())
            })
            .collect();
        // Own assignments first, in design order, then each group's.
        for (assignment, user) in user_of.iter().enumerate() {
            if let Some(user) = *user {
                per_user[user].push(Effective { assignment, group: None });
            }
        }
        for (user, all) in per_user.iter_mut().enumerate() {
            for &group in groups_of(user) {
                all.extend(per_group[group].iter().map(|&assignment| Effective { assignment, group: Some(group) }));
            }
        }
        Assignments { index, scopes, per_user }
    }

    /// The first of the user's effective assignments that meets `need` on `res`.
    fn find(&self, user: usize, need: Need, res: &Res) -> Option<Effective> {
        let design = self.index.design;
        self.per_user.get(user)?.iter().copied().find(|eff| {
            grants(design.role_assignments[eff.assignment].role, need)
                && self.scopes[eff.assignment].as_ref().is_some_and(|s| covers(s, res, &design.management_groups))
        })
    }

    /// True when the user holds `need` on `res`, directly or through a group.
    pub fn user_has(&self, user: usize, need: Need, res: &Res) -> bool {
        self.find(user, need, res).is_some()
    }

    /// The principals (users and groups, as named in the assignments) whose role meets
    /// `need` at a scope covering `res`, sorted.
    pub fn holders(&self, need: Need, res: &Res) -> Vec<String> {
        let design = self.index.design;
        let set: BTreeSet<&str> = crate::util::btree_set(
            design
                .role_assignments
                .iter()
                .enumerate()
                .filter(|(idx, it)| {
                    grants(it.role, need)
                        && self.scopes[*idx].as_ref().is_some_and(|s| covers(s, res, &design.management_groups))
                        && (self.index.user_by_name.contains_key(it.principal.as_str())
                            || self.index.group_by_name.contains_key(it.principal.as_str()))
                })
                .map(|(_, it)| it.principal.as_str()),
        );
        set.into_iter().map(str::to_string).collect()
    }

    /// "Reader at <scope> (through group g)".
    fn describe(&self, eff: Effective) -> String {
        let design = self.index.design;
        let assignment = &design.role_assignments[eff.assignment];
        match eff.group {
            Some(group) => format!(
                "{} at {} through group {}",
                assignment.role.name(),
                assignment.scope,
                design.groups[group].name
            ),
            None => format!("{} at {}", assignment.role.name(), assignment.scope),
        }
    }

    /// True when two users hold the same assignments through the same groups: their
    /// verdicts on every VM are equal, except where a Key Vault access policy names them.
    fn same_access(&self, a: usize, b: usize) -> bool {
        let groups = |user: usize| &self.index.groups_of_user[user];
        let (Some(ea), Some(eb)) = (self.per_user.get(a), self.per_user.get(b)) else { return false };
        groups(a) == groups(b) && ea.len() == eb.len() && ea.iter().zip(eb).all(|(x, y)| x.assignment == y.assignment)
    }

    /// The VMs a user holds any role on, sorted by VM index, into `touched` (a buffer the
    /// caller reuses from user to user).
    fn vms_with_any_role(
        &self,
        user: usize,
        scope_index: &mut ScopeIndex,
        marks: &mut [bool],
        touched: &mut Vec<usize>,
    ) {
        let design = self.index.design;
        touched.clear();
        let mut mark = |vm: usize, touched: &mut Vec<usize>| {
            if !marks[vm] {
                marks[vm] = true;
                touched.push(vm);
            }
        };
        for eff in &self.per_user[user] {
            let Some(scope) = &self.scopes[eff.assignment] else { continue };
            match scope {
                Scope::Root => (0..design.vms.len()).for_each(|vm| mark(vm, touched)),
                Scope::ManagementGroup(name) => {
                    for mg in design.management_groups.iter().filter(|mg| mg.name.eq_ignore_ascii_case(name)) {
                        for sub in &mg.subscriptions {
                            scope_index.in_sub(sub).for_each(|vm| mark(vm, touched));
                        }
                    }
                }
                Scope::Subscription(sub) => scope_index.in_sub(sub).for_each(|vm| mark(vm, touched)),
                Scope::ResourceGroup { subscription, resource_group } => {
                    let id = scope_index.rg_of_assignment(eff.assignment, subscription, resource_group);
                    for &vm in scope_index.placed(id) {
                        mark(vm, touched);
                    }
                }
                // The VM of that name among those of the scope's resource group (what `covers`
                // asks, without case as ARM compares ids): no name map of every VM is built for
                // a few VM-scoped roles.
                Scope::Resource(it) => {
                    for &vm in scope_index.in_rg(&it.subscription, &it.resource_group) {
                        if design.vms[vm].name.eq_ignore_ascii_case(&it.name)
                            && covers(scope, &vm_res(design, vm), &design.management_groups)
                        {
                            mark(vm, touched);
                        }
                    }
                }
            }
        }
        for &vm in touched.iter() {
            marks[vm] = false;
        }
        touched.sort_unstable();
    }
}

/// VMs by subscription and by resource group (lower-cased: ARM compares ids without case),
/// through the placements, which lower-cased each (subscription, resource group) once.
struct ScopeIndex<'p> {
    /// Placement ids per lower-cased subscription.
    by_sub: FxMap<&'p str, Vec<u32>>,
    /// Placement id per lower-cased (subscription, resource group).
    by_rg: FxMap<(&'p str, &'p str), u32>,
    /// VMs per placement id, in VM order: placement `id`'s are `vms[start[id]..start[id + 1]]`
    /// (one flat list: 10³ resource groups of ~20 VMs each grew a list apiece).
    start: Vec<u32>,
    vms: Vec<usize>,
    /// The placement id of each resource-group-scoped assignment, looked up on first use
    /// (`UNKNOWN` before; `u32::MAX`: no placement): a team's four members ask for it each.
    rg_of: Vec<u32>,
}

const UNKNOWN: u32 = u32::MAX - 1;

impl<'p> ScopeIndex<'p> {
    fn new(placements: &'p Placements, assignments: usize) -> ScopeIndex<'p> {
        let n = placements.subs.len();
        let mut by_sub: FxMap<&str, Vec<u32>> = FxMap::default();
        let mut by_rg: FxMap<(&str, &str), u32> = FxMap::with_capacity_and_hasher(n, Fx::default());
        for (id, (sub, rg)) in placements.subs.iter().zip(&placements.rgs).enumerate() {
            by_sub.entry(sub.as_ref()).or_default().push(id as u32);
            by_rg.insert((sub.as_ref(), rg.as_ref()), id as u32);
        }
        let mut start = vec![0u32; n + 1];
        for &id in &placements.vm {
            start[id as usize + 1] += 1;
        }
        for id in 0..n {
            start[id + 1] += start[id];
        }
        let mut at = start.clone();
        let mut vms = vec![0usize; placements.vm.len()];
        for (vm, &id) in placements.vm.iter().enumerate() {
            vms[at[id as usize] as usize] = vm;
            at[id as usize] += 1;
        }
        ScopeIndex { by_sub, by_rg, start, vms, rg_of: vec![UNKNOWN; assignments] }
    }

    /// `in_rg`'s placement id for assignment `assignment` scoped to (sub, rg), remembered.
    fn rg_of_assignment(&mut self, assignment: usize, sub: &str, rg: &str) -> u32 {
        match self.rg_of.get(assignment).copied() {
            Some(UNKNOWN) | None => {
                let key = (lower(sub), lower(rg));
                let id = self.by_rg.get(&(key.0.as_ref(), key.1.as_ref())).copied().unwrap_or(u32::MAX);
                if let Some(slot) = self.rg_of.get_mut(assignment) {
                    *slot = id;
                }
                id
            }
            Some(id) => id,
        }
    }

    fn placed(&self, id: u32) -> &[usize] {
        let id = id as usize;
        match (self.start.get(id), id.checked_add(1).and_then(|next| self.start.get(next))) {
            (Some(&from), Some(&to)) => &self.vms[from as usize..to as usize],
            _ => &[],
        }
    }

    fn in_sub(&self, sub: &str) -> impl Iterator<Item = usize> + '_ {
        let ids = self.by_sub.get(lower(sub).as_ref()).map(Vec::as_slice).unwrap_or(&[]);
        ids.iter().flat_map(|&id| self.placed(id).iter().copied())
    }

    fn in_rg(&self, sub: &str, rg: &str) -> &[usize] {
        let key = (lower(sub), lower(rg));
        match self.by_rg.get(&(key.0.as_ref(), key.1.as_ref())) {
            Some(&id) => self.placed(id),
            None => &[],
        }
    }
}

/// `connect_bastion` for every VM at once (`u32::MAX`: none reaches it), from one pass over
/// the Bastions' per-VM verdicts in design order: a VM reached at all appears in the
/// `vm_blockers` of each Bastion whose path to its VNet is open, so the first reaching entry
/// is the first reaching Bastion, and the first from the VM's own VNet the preferred one.
/// Also the other reaching Bastions of each VM (CAF-R7 asks for the requirements through
/// *some* Bastion that reaches it), gathered in the same pass.
fn connect_bastions(index: &Index, analysis: &Analysis) -> (Vec<u32>, OtherBastions) {
    let n = index.design.vms.len();
    let mut first = vec![u32::MAX; n];
    let mut home = vec![u32::MAX; n];
    let mut also: Vec<(u32, u32)> = Vec::new();
    for (b, reach) in analysis.reach.iter().enumerate().take(index.design.bastions.len()) {
        let b_vnet = index.bastion_vnet[b];
        for &(vm, blocker) in &reach.vm_blockers {
            let vm = vm as usize;
            let Some(vnet) = index.vm_location(vm).map(|it| it.0) else { continue };
            if blocker.is_some() || reach.vnet_paths.get(vnet).is_none_or(|p| p.blocker.is_some()) {
                continue;
            }
            if first[vm] == u32::MAX {
                first[vm] = b as u32;
            } else {
                also.push((vm as u32, b as u32));
            }
            if home[vm] == u32::MAX && b_vnet == Some(vnet) {
                home[vm] = b as u32;
            }
        }
    }
    let preferred: Vec<u32> = home.iter().zip(&first).map(|(&h, &f)| if h != u32::MAX { h } else { f }).collect();
    let mut others = OtherBastions { start: Vec::new(), bastions: Vec::new() };
    if also.is_empty() {
        return (preferred, others);
    }
    // The first reaching Bastion is another one when the preferred one is in the VM's VNet.
    for (vm, &b) in preferred.iter().enumerate() {
        if b != first[vm] {
            also.push((vm as u32, first[vm]));
        }
    }
    also.retain(|&(vm, b)| preferred[vm as usize] != b);
    also.sort_unstable();
    // As lists per VM: one offset per VM, so the walk finds a VM's without a search.
    others.start = vec![0u32; n + 1];
    for &(vm, _) in &also {
        others.start[vm as usize + 1] += 1;
    }
    for vm in 0..n {
        others.start[vm + 1] += others.start[vm];
    }
    others.bastions = also.into_iter().map(|it| it.1).collect();
    (preferred, others)
}

/// The reaching Bastions of each VM other than the Connect flow's, in design order.
struct OtherBastions {
    /// VM `vm`'s are `bastions[start[vm]..start[vm + 1]]`; `start` is empty when no VM has any.
    start: Vec<u32>,
    bastions: Vec<u32>,
}

impl OtherBastions {
    fn of(&self, vm: usize) -> &[u32] {
        match (self.start.get(vm), self.start.get(vm + 1)) {
            (Some(&from), Some(&to)) => &self.bastions[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// The Bastion the Connect flow would use for a VM: a reaching Bastion in the VM's own VNet
/// first, else the first reaching Bastion in design order; `None` when none reaches it.
pub fn connect_bastion(index: &Index, analysis: &Analysis, vm: usize) -> Option<usize> {
    let reaches = |b: usize| b < analysis.reach.len() && analysis.blocker(b, Target::Vm(vm)).is_none();
    let home = index.vm_location(vm).map(|(vnet, _)| vnet);
    let in_home =
        (0..index.design.bastions.len()).find(|&b| home.is_some() && index.bastion_vnet[b] == home && reaches(b));
    in_home.or_else(|| (0..index.design.bastions.len()).find(|&b| reaches(b)))
}

/// How the Bastion's VNet joins the VM's VNet, from the reach analysis (or the topology
/// when the analysis does not say).
fn path_kind(index: &Index, analysis: &Analysis, bastion: usize, vnet: usize) -> PathKind {
    let from_reach = analysis.reach.get(bastion).and_then(|r| r.vnet_paths.get(vnet)).map(|p| p.kind);
    match from_reach {
        Some(kind @ (PathKind::Same | PathKind::Peer | PathKind::Vwan)) => kind,
        _ if index.bastion_vnet.get(bastion).copied().flatten() == Some(vnet) => PathKind::Same,
        _ if index.peering_state(index.bastion_vnet[bastion].unwrap_or(usize::MAX), vnet).is_some() => PathKind::Peer,
        _ => PathKind::Vwan,
    }
}

/// The evaluation of one (user, VM, Bastion) triple: its checks and missing grants.
pub struct Evaluation {
    pub checks: Vec<Check>,
    pub missing: Vec<Grant>,
    /// Fixes that are not role assignments (a Key Vault access policy, the Entra login
    /// extension), as sentences.
    pub other_fixes: Vec<String>,
    /// RBAC-VNET-SAME: Reader on the shared VNet is advised (field report) but not required.
    pub advised: Option<Grant>,
}

impl Evaluation {
    pub fn granted(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Fail)
    }
}

/// "the NIC" and its name: "the NIC vm1-nic"; a description ending in a parenthesis (the
/// source a requirement cites) keeps it after the name: "the target's VNet spoke1 (Bastion
/// FAQ; …)". Failing checks only, and memoized per shared resource: not a hot path.
fn named(what: &str, name: &str) -> String {
    match what.find(" (").filter(|_| what.ends_with(')')) {
        Some(at) => concat(&[&what[..at], " ", name, &what[at..]]),
        None => concat(&[what, " ", name]),
    }
}

/// Evaluates every requirement of §4 for one user, one VM and the Bastion they would use.
pub fn evaluate(
    index: &Index,
    analysis: &Analysis,
    assignments: &Assignments,
    user: usize,
    vm: usize,
    bastion: usize,
) -> Evaluation {
    evaluate_with(index, analysis, assignments, (user, vm, bastion), true, None)
}

/// Failing checks on shared resources (a Bastion, a VNet) of one user, by (rule, role of the
/// resource in the pair, resource index): the same hub VNet fails the same way for every VM
/// behind it, so its sentences are built once per user.
type CheckMemo = FxMap<(RuleId, u8, usize), (Check, Grant)>;

/// A resource a requirement reads, by index: built into a `Res` only when needed.
#[derive(Clone, Copy)]
enum Place {
    Vm(usize),
    Nic(usize),
    Vnet(usize),
    Bastion(usize),
}

impl Place {
    fn res<'d>(self, index: &Index<'d>) -> Res<'d> {
        match self {
            Place::Vm(vm) => vm_res(index.design, vm),
            Place::Nic(vm) => nic_res(index.design, vm),
            Place::Vnet(vnet) => vnet_res(index.design, vnet),
            Place::Bastion(bastion) => bastion_res(index, bastion),
        }
    }
    fn rg(self, placements: &Placements) -> u32 {
        match self {
            Place::Vm(vm) | Place::Nic(vm) => placements.vm[vm],
            Place::Vnet(vnet) => placements.vnet[vnet],
            Place::Bastion(bastion) => placements.bastion[bastion],
        }
    }
}

/// `evaluate`, spelling out passing checks only when `verbose` (sentences cost time on an
/// estate with 10⁵ results; what fails is always spelled out).
fn evaluate_with(
    index: &Index,
    analysis: &Analysis,
    assignments: &Assignments,
    (user, vm, bastion): (usize, usize, usize),
    verbose: bool,
    fast: Option<&Fast>,
) -> Evaluation {
    let design = index.design;
    let principal = &design.users[user].name;
    let mut eval =
        Evaluation { checks: Vec::with_capacity(6), missing: Vec::new(), other_fixes: Vec::new(), advised: None };
    let role_check = |eval: &mut Evaluation,
                      rule: RuleId,
                      need: Need,
                      place: Place,
                      what: &str,
                      fail: Outcome,
                      key: Option<(u8, usize)>| {
        // The fast path answers pass or fail without a sentence; `find` names the assignment.
        let fast_pass = fast.map(|f| {
            let mut access = f.access.borrow_mut();
            let rg = place.rg(f.placements);
            match place {
                Place::Vnet(v) => {
                    access.has_shared(index, f.placements, need, rg, VNET_KEY | v as u64, || place.res(index))
                }
                Place::Bastion(b) => {
                    access.has_shared(index, f.placements, need, rg, BASTION_KEY | b as u64, || place.res(index))
                }
                Place::Vm(_) | Place::Nic(_) => access.has(index, f.placements, need, rg, || place.res(index)),
            }
        });
        if fast_pass == Some(true) && !verbose {
            return;
        }
        if fast_pass != Some(false) {
            let res = place.res(index);
            match assignments.find(user, need, &res) {
                Some(_) if !verbose => return,
                Some(eff) => {
                    eval.checks.push(Check {
                        rule,
                        resource: res.name.to_string(),
                        found: concat(&[&assignments.describe(eff), " covers ", &named(what, &res.name)]),
                        outcome: Outcome::Pass,
                        fix: String::new(),
                    });
                    return;
                }
                None => {}
            }
        }
        let memo_key = key.map(|(which, idx)| (rule, which, idx));
        let cached = fast.zip(memo_key).and_then(|(f, k)| f.memo.borrow().get(&k).cloned());
        let (check, grant) = cached.unwrap_or_else(|| {
            let res = place.res(index);
            let role = narrowest_role(need);
            let grant = Grant { rule, principal: principal.clone(), role, scope: res.id() };
            let check = Check {
                rule,
                resource: res.name.to_string(),
                found: if fast.is_none_or(|f| f.found) {
                    let subject = named(what, &res.name);
                    // The roles that would, in parentheses unless the subject ends in one.
                    let (open, close) = if subject.ends_with(')') { ("; any of ", " would") } else { (" (", ")") };
                    concat(&[principal, " holds no role that covers ", &subject, open, roles_text(need), close])
                } else {
                    String::new()
                },
                outcome: fail,
                fix: concat(&["assign ", role.name(), " on ", &named(what, &res.name), " to ", principal]),
            };
            if let Some((f, k)) = fast.zip(memo_key) {
                f.memo.borrow_mut().insert(k, (check.clone(), grant.clone()));
            }
            (check, grant)
        });
        eval.checks.push(check);
        if fail == Outcome::Fail {
            eval.missing.push(grant);
        } else {
            eval.advised = Some(grant);
        }
    };

    let it = &design.vms[vm];
    role_check(&mut eval, RuleId::RbacVm, Need::VmRead, Place::Vm(vm), "the VM", Outcome::Fail, None);
    let nic = if it.scale_set { "the instance NICs of scale set" } else { "the NIC" };
    role_check(&mut eval, RuleId::RbacNic, Need::NicRead, Place::Nic(vm), nic, Outcome::Fail, None);

    let host = &design.bastions[bastion];
    let bastion_vnet = index.bastion_vnet.get(bastion).copied().flatten();
    if host.sku == BastionSku::Developer {
        // RBAC-DEV replaces RBAC-BASTION: a shared host, deployed by the first connection.
        match bastion_vnet {
            Some(vnet) if !host.deployed => role_check(
                &mut eval,
                RuleId::RbacDev,
                Need::VnetWrite,
                Place::Vnet(vnet),
                "the VNet (the first connection deploys the Developer host)",
                Outcome::Fail,
                Some((0, vnet)),
            ),
            _ if !verbose => {}
            _ => eval.checks.push(Check {
                rule: RuleId::RbacDev,
                resource: host.name.clone(),
                found: format!(
                    "the Developer host {} is already deployed: Reader on the VM and its NIC is enough",
                    host.name
                ),
                outcome: Outcome::Pass,
                fix: String::new(),
            }),
        }
    } else {
        role_check(
            &mut eval,
            RuleId::RbacBastion,
            Need::BastionRead,
            Place::Bastion(bastion),
            "the Bastion",
            Outcome::Fail,
            Some((0, bastion)),
        );
    }

    if let (Some(vm_vnet), Some(b_vnet)) = (index.vm_location(vm).map(|it| it.0), bastion_vnet) {
        match path_kind(index, analysis, bastion, vm_vnet) {
            PathKind::Same => role_check(
                &mut eval,
                RuleId::RbacVnetSame,
                Need::VnetRead,
                Place::Vnet(vm_vnet),
                "the shared VNet (not required by the docs; a 2025 report, azure-docs PR #127578, needed it)",
                Outcome::Warn,
                Some((0, vm_vnet)),
            ),
            _ => {
                role_check(
                    &mut eval,
                    RuleId::RbacVnet,
                    Need::VnetRead,
                    Place::Vnet(vm_vnet),
                    "the target's VNet (Bastion FAQ; azure-docs #100046, #89087)",
                    Outcome::Fail,
                    Some((1, vm_vnet)),
                );
                role_check(
                    &mut eval,
                    RuleId::RbacVnet,
                    Need::VnetRead,
                    Place::Vnet(b_vnet),
                    "the Bastion's VNet (landing-zone guidance; azure-docs #72662)",
                    Outcome::Fail,
                    Some((2, b_vnet)),
                );
            }
        }
    }

    match &it.sign_in {
        SignIn::EntraId => {
            let res = vm_res(design, vm);
            match assignments.find(user, Need::EntraLogin, &res) {
                Some(_) if it.entra_login_extension && !verbose => {}
                Some(eff) if it.entra_login_extension => eval.checks.push(Check {
                    rule: RuleId::RbacEntra,
                    resource: it.name.clone(),
                    found: format!(
                        "{} covers the VM {} and it has the Entra ID login extension",
                        assignments.describe(eff),
                        it.name
                    ),
                    outcome: Outcome::Pass,
                    fix: String::new(),
                }),
                found => {
                    let mut problems = Vec::new();
                    let mut fixes = Vec::new();
                    if found.is_none() {
                        problems.push(concat(&[
                            principal,
                            " holds neither Virtual Machine User Login nor Virtual Machine Administrator Login on ",
                            &it.name,
                        ]));
                        fixes.push(concat(&[
                            "assign Virtual Machine User Login on the VM ",
                            &it.name,
                            " to ",
                            principal,
                        ]));
                        eval.missing.push(Grant {
                            rule: RuleId::RbacEntra,
                            principal: principal.clone(),
                            role: Role::VirtualMachineUserLogin,
                            scope: res.id(),
                        });
                    }
                    if !it.entra_login_extension {
                        problems.push(concat(&[
                            "the VM ",
                            &it.name,
                            " has no Entra ID login extension (AADSSHLoginForLinux / AADLoginForWindows)",
                        ]));
                        let fix = concat(&["install the Entra ID login extension on ", &it.name]);
                        eval.other_fixes.push(fix.clone());
                        fixes.push(fix);
                    }
                    eval.checks.push(Check {
                        rule: RuleId::RbacEntra,
                        resource: it.name.clone(),
                        found: problems.join("; "),
                        outcome: Outcome::Fail,
                        fix: fixes.join("; "),
                    });
                }
            }
        }
        SignIn::SshKeyInKeyVault { vault } => {
            // A passing check is dropped unless verbose: the fast path tells it without
            // spelling out (and describing) the assignment that grants it.
            let passes = !verbose
                && fast.is_some_and(|f| key_vault_ok(index, &mut f.access.borrow_mut(), f.placements, user, vm));
            if !passes {
                let check = key_vault_check(index, assignments, user, vault, &mut eval.missing, &mut eval.other_fixes);
                if verbose || check.outcome != Outcome::Pass {
                    eval.checks.push(check);
                }
            }
        }
        SignIn::Password | SignIn::SshKey => {}
    }
    eval
}

/// RBAC-KV: Get and List on the vault's secrets (access policy for the user or one of their
/// groups), or Key Vault Secrets User at a scope covering the vault (RBAC model).
fn key_vault_check(
    index: &Index,
    assignments: &Assignments,
    user: usize,
    vault: &str,
    missing: &mut Vec<Grant>,
    other_fixes: &mut Vec<String>,
) -> Check {
    let design = index.design;
    let principal = &design.users[user].name;
    let Some(&kv) = index.vault_by_name.get(vault) else {
        return Check {
            rule: RuleId::RbacKv,
            resource: vault.to_string(),
            found: format!("the Key Vault {vault} holding the SSH key is not in the design"),
            outcome: Outcome::Fail,
            fix: format!("add the Key Vault {vault} or choose another sign-in method"),
        };
    };
    let kv_it = &design.key_vaults[kv];
    match kv_it.permission_model {
        KeyVaultPermissionModel::AccessPolicy => {
            let groups = &index.groups_of_user[user];
            let applies =
                |name: &str| name == principal.as_str() || groups.iter().any(|&g| design.groups[g].name == name);
            let policies: Vec<_> = kv_it.access_policies.iter().filter(|p| applies(&p.principal)).collect();
            let get = policies.iter().any(|p| p.secrets_get);
            let list = policies.iter().any(|p| p.secrets_list);
            if get && list {
                let names: BTreeSet<&str> = crate::util::btree_set(policies.iter().map(|p| p.principal.as_str()));
                Check {
                    rule: RuleId::RbacKv,
                    resource: vault.to_string(),
                    found: format!(
                        "access policies for {} give secret Get and List on {vault}",
                        names.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                    outcome: Outcome::Pass,
                    fix: String::new(),
                }
            } else {
                let lacking = match (get, list) {
                    (false, false) => "Get and List",
                    (false, true) => "Get",
                    _ => "List",
                };
                let fix = concat(&["add an access policy on ", vault, " giving ", principal, " secret Get and List"]);
                other_fixes.push(fix.clone());
                Check {
                    rule: RuleId::RbacKv,
                    resource: vault.to_string(),
                    found: format!(
                        "{vault} uses access policies and none gives {principal} (or their groups) secret {lacking}"
                    ),
                    outcome: Outcome::Fail,
                    fix,
                }
            }
        }
        KeyVaultPermissionModel::Rbac => {
            let res = vault_res(design, kv);
            match assignments.find(user, Need::KeyVaultSecrets, &res) {
                Some(eff) => Check {
                    rule: RuleId::RbacKv,
                    resource: vault.to_string(),
                    found: format!("{} covers the Key Vault {vault}", assignments.describe(eff)),
                    outcome: Outcome::Pass,
                    fix: String::new(),
                },
                None => {
                    missing.push(Grant {
                        rule: RuleId::RbacKv,
                        principal: principal.clone(),
                        role: Role::KeyVaultSecretsUser,
                        scope: res.id(),
                    });
                    Check {
                        rule: RuleId::RbacKv,
                        resource: vault.to_string(),
                        found: concat(&[
                            vault,
                            " uses Azure RBAC and ",
                            principal,
                            " holds no Key Vault Secrets User covering it (Owner, Contributor, Key Vault Reader do not read secrets)",
                        ]),
                        outcome: Outcome::Fail,
                        fix: concat(&["assign Key Vault Secrets User on ", vault, " to ", principal]),
                    }
                }
            }
        }
    }
}

/// Key Vault access for a user: RBAC-KV without sentences, shared by both paths.
fn key_vault_ok(index: &Index, access: &mut UserAccess, placements: &Placements, user: usize, vm: usize) -> bool {
    let design = index.design;
    let Some(kv) = index.key_vault_of_vm(vm) else { return false };
    let kv_it = &design.key_vaults[kv];
    match kv_it.permission_model {
        KeyVaultPermissionModel::AccessPolicy => {
            let principal = design.users[user].name.as_str();
            let groups = &index.groups_of_user[user];
            let applies = |name: &str| name == principal || groups.iter().any(|&g| design.groups[g].name == name);
            let mut get = false;
            let mut list = false;
            for p in kv_it.access_policies.iter().filter(|p| applies(&p.principal)) {
                get |= p.secrets_get;
                list |= p.secrets_list;
            }
            get && list
        }
        KeyVaultPermissionModel::Rbac => {
            access.has(index, placements, Need::KeyVaultSecrets, placements.vault[kv], || vault_res(design, kv))
        }
    }
}

const NEEDS: [Need; 8] = [
    Need::VmRead,
    Need::NicRead,
    Need::VnetRead,
    Need::BastionRead,
    Need::KeyVaultSecrets,
    Need::VnetWrite,
    Need::EntraLogin,
    Need::ShareableLinks,
];
const COMPUTED: u16 = 1 << 15;

fn bit(need: Need) -> u16 {
    1 << (need as u16)
}

fn role_mask(role: Role) -> u16 {
    NEEDS.iter().filter(|&&need| grants(role, need)).fold(0, |mask, &need| mask | bit(need))
}

/// Every (subscription, resource group) a resource of the design sits in, lower-cased once
/// and numbered, so a user's broad assignments are tested once per resource group rather
/// than once per resource.
struct Placements<'d> {
    subs: Vec<Cow<'d, str>>,
    rgs: Vec<Cow<'d, str>>,
    vm: Vec<u32>,
    vnet: Vec<u32>,
    bastion: Vec<u32>,
    vault: Vec<u32>,
}

/// `text` in ASCII lower case, borrowed when it already is (names usually are).
fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'d> Placements<'d> {
    fn new(index: &Index<'d>) -> Placements<'d> {
        let design: &'d Design = index.design;
        // About one resource group per VNet: sized once instead of growing ten times.
        let expected = design.vnets.len() + design.key_vaults.len();
        let mut ids: FxMap<(Cow<'d, str>, Cow<'d, str>), u32> =
            FxMap::with_capacity_and_hasher(expected, Fx::default());
        let mut subs = Vec::with_capacity(expected);
        let mut rgs = Vec::with_capacity(expected);
        let mut place = |sub: &'d str, rg: &'d str| -> u32 {
            let key = (lower(sub), lower(rg));
            *ids.entry(key).or_insert_with_key(|key| {
                subs.push(key.0.clone());
                rgs.push(key.1.clone());
                subs.len() as u32 - 1
            })
        };
        let vnet: Vec<u32> = design.vnets.iter().map(|it| place(&it.subscription, &it.resource_group)).collect();
        // A VM usually sits in its VNet's resource group (`VmFacts::in_vnet_group`, compared
        // while the index read the VM) or its predecessor's: no hashing of both names.
        let mut vm = Vec::with_capacity(design.vms.len());
        for (idx, it) in design.vms.iter().enumerate() {
            let same = |other_sub: &str, other_rg: &str| it.subscription == other_sub && it.resource_group == other_rg;
            let home = index.vm_location(idx).map(|(v, _)| v);
            let id = match home {
                Some(v) if index.vm_facts[idx].in_vnet_group() => vnet[v],
                _ if idx > 0 && same(&design.vms[idx - 1].subscription, &design.vms[idx - 1].resource_group) => {
                    vm[idx - 1]
                }
                _ => place(&it.subscription, &it.resource_group),
            };
            vm.push(id);
        }
        let bastion = (0..design.bastions.len())
            .map(|b| {
                let res = bastion_res(index, b);
                place(res.subscription, res.resource_group)
            })
            .collect();
        let vault = design.key_vaults.iter().map(|it| place(&it.subscription, &it.resource_group)).collect();
        Placements { subs, rgs, vm, vnet, bastion, vault }
    }
}

/// One user's effective assignments as bit masks of the needs they meet, split into broad
/// scopes (answered per resource group, memoized) and resource scopes (tested one by one).
struct UserAccess<'a> {
    broad: Vec<(u16, usize)>,
    narrow: Vec<(u16, usize)>,
    /// Needs met at or above each resource group (`COMPUTED` once known).
    per_rg: Vec<u16>,
    scopes: &'a ParsedScopes,
    /// Resource-scoped answers on shared resources (a Bastion, a VNet), by (need, key):
    /// every VM behind a hub asks about the same two, and `covers` compares names. A user
    /// asks about a few: searched in `recent` first, hashed only beyond 16.
    recent: Vec<((u8, u64), bool)>,
    shared: FxMap<(u8, u64), bool>,
    /// A resource-scoped assignment names a VM, scale set or NIC: the user's answers on a VM
    /// may then differ from its resource group's.
    vm_scoped: bool,
}

impl<'a> UserAccess<'a> {
    fn new(placements: &Placements, assignments: &'a Assignments) -> UserAccess<'a> {
        UserAccess {
            broad: Vec::new(),
            narrow: Vec::new(),
            per_rg: vec![0; placements.subs.len()],
            scopes: &assignments.scopes,
            recent: Vec::new(),
            shared: FxMap::default(),
            vm_scoped: false,
        }
    }

    fn reset(&mut self, assignments: &Assignments, user: usize) {
        let design = assignments.index.design;
        self.broad.clear();
        self.narrow.clear();
        self.recent.clear();
        self.shared.clear();
        self.per_rg.iter_mut().for_each(|it| *it = 0);
        self.vm_scoped = false;
        for eff in assignments.per_user.get(user).map(Vec::as_slice).unwrap_or(&[]) {
            let mask = role_mask(design.role_assignments[eff.assignment].role);
            match &self.scopes[eff.assignment] {
                Some(Scope::Resource(it)) => {
                    self.vm_scoped |= matches!(
                        it.kind,
                        ResourceKind::VirtualMachine
                            | ResourceKind::VirtualMachineScaleSet
                            | ResourceKind::NetworkInterface
                    );
                    self.narrow.push((mask, eff.assignment))
                }
                Some(_) => self.broad.push((mask, eff.assignment)),
                None => {}
            }
        }
    }

    /// True when the user meets `need` on the resource in resource group `rg`; `res` builds
    /// the resource only when a resource-scoped assignment has to be tested.
    fn has<'r>(
        &mut self,
        index: &Index,
        placements: &Placements,
        need: Need,
        rg: u32,
        res: impl FnOnce() -> Res<'r>,
    ) -> bool {
        let rg = rg as usize;
        if self.per_rg[rg] & COMPUTED == 0 {
            let mgs = &index.design.management_groups;
            let (sub, group) = (placements.subs[rg].as_ref(), placements.rgs[rg].as_ref());
            let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
            let mut mask = COMPUTED;
            for &(role, assignment) in &self.broad {
                let covered = match &self.scopes[assignment] {
                    Some(Scope::Root) => true,
                    Some(Scope::ManagementGroup(name)) => {
                        mgs.iter().filter(|mg| eq(&mg.name, name)).any(|mg| mg.subscriptions.iter().any(|s| eq(s, sub)))
                    }
                    Some(Scope::Subscription(s)) => eq(s, sub),
                    Some(Scope::ResourceGroup { subscription, resource_group }) => {
                        eq(subscription, sub) && eq(resource_group, group)
                    }
                    _ => false,
                };
                if covered {
                    mask |= role;
                }
            }
            self.per_rg[rg] = mask;
        }
        if self.per_rg[rg] & bit(need) != 0 {
            return true;
        }
        if !self.narrow.iter().any(|&(role, _)| role & bit(need) != 0) {
            return false;
        }
        let res = res();
        let mgs = &index.design.management_groups;
        self.narrow.iter().any(|&(role, assignment)| {
            role & bit(need) != 0 && self.scopes[assignment].as_ref().is_some_and(|s| covers(s, &res, mgs))
        })
    }

    /// `has` for a shared resource, `key` naming it (kind in the high bits, index below):
    /// the resource-scoped answer is remembered for the user.
    fn has_shared<'r>(
        &mut self,
        index: &Index,
        placements: &Placements,
        need: Need,
        rg: u32,
        key: u64,
        res: impl FnOnce() -> Res<'r>,
    ) -> bool {
        if self.per_rg[rg as usize] & COMPUTED != 0 && self.per_rg[rg as usize] & bit(need) != 0 {
            return true;
        }
        // Without a resource-scoped assignment meeting `need`, the resource group decides.
        if !self.narrow.iter().any(|&(role, _)| role & bit(need) != 0) {
            return self.has(index, placements, need, rg, res);
        }
        let k = (need as u8, key);
        if let Some(&(_, known)) = self.recent.iter().find(|it| it.0 == k) {
            return known;
        }
        if let Some(&known) = self.shared.get(&k) {
            return known;
        }
        let answer = self.has(index, placements, need, rg, res);
        if self.recent.len() < 16 {
            self.recent.push((k, answer));
        } else {
            self.shared.insert(k, answer);
        }
        answer
    }
}

const VNET_KEY: u64 = 1 << 40;
const BASTION_KEY: u64 = 2 << 40;

/// One (user, VM, Bastion) access verdict without strings: the compact form of an
/// `RbacResult`, 16 bytes, for consumers that hold 10⁵ of them (an enterprise estate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompactAccess {
    /// Index into `design.users`.
    pub user: u32,
    /// Index into `design.vms`.
    pub vm: u32,
    /// Index into `design.bastions`: the Connect flow's Bastion, or another reaching Bastion
    /// when that one grants the connection or misses fewer requirements (CAF-R7: "through
    /// some Bastion that reaches it").
    pub bastion: u32,
    pub granted: bool,
}

/// The RBAC pass: visits every (user, VM with any role, Bastion it is judged through, see
/// `CompactAccess::bastion`) in order with its verdict, its failure codes (granted when there
/// are none) and the user's memoized access.
fn walk(index: &Index, analysis: &Analysis, mut visit: impl FnMut(&Fast, CompactAccess, &FailCodes)) {
    let design = index.design;
    if design.role_assignments.is_empty() || design.users.is_empty() || design.vms.is_empty() {
        return;
    }
    let assignments = Assignments::new(index);
    let placements = Placements::new(index);
    let mut scope_index = ScopeIndex::new(&placements, design.role_assignments.len());
    let fast = Fast {
        assignments: &assignments,
        placements: &placements,
        access: RefCell::new(UserAccess::new(&placements, &assignments)),
        memo: RefCell::new(CheckMemo::default()),
        // CAF-R7, the walk's one reader of spelled-out checks, reads their rule and fix only.
        found: false,
    };
    let mut marks = vec![false; design.vms.len()];
    // The Connect flow's Bastion, per VM, and the other reaching ones.
    let (bastion_of, also) = connect_bastions(index, analysis);
    let mut touched = Vec::new();
    // A team's members hold the same assignments through the same groups: every verdict
    // and failure code of one is the other's (codes name resources, never the user). Only
    // Key Vault access policies name users, so a user a policy names is never reused.
    let named_in_policies: FxSet<&str> =
        design.key_vaults.iter().flat_map(|kv| kv.access_policies.iter().map(|p| p.principal.as_str())).collect();
    // Team members are consecutive users: a user's verdicts are kept only when the next
    // user shares them (keeping every user's costs more on an estate without teams).
    let reusable = |user: usize| !named_in_policies.contains(design.users[user].name.as_str());
    let shares_with_next = |user: usize| {
        user + 1 < design.users.len() && assignments.same_access(user, user + 1) && reusable(user) && reusable(user + 1)
    };
    let mut kept = false;
    let mut last: Vec<(u32, u32, FailCodes)> = Vec::new();
    // One user's codes per kind of VM (`verdict_kind`).
    let mut by_kind: FxMap<VerdictKind, FailCodes> = FxMap::default();
    for user in 0..design.users.len() {
        fast.access.borrow_mut().reset(&assignments, user);
        fast.memo.borrow_mut().clear();
        let keep = shares_with_next(user);
        if kept {
            for &(vm, bastion, failing) in &last {
                let granted = failing.len == 0;
                visit(&fast, CompactAccess { user: user as u32, vm, bastion, granted }, &failing);
            }
            kept = keep;
            continue;
        }
        kept = keep;
        last.clear();
        assignments.vms_with_any_role(user, &mut scope_index, &mut marks, &mut touched);
        by_kind.clear();
        let kinds = !fast.access.borrow().vm_scoped;
        for &vm in &touched {
            let Some(preferred) = bastion_of.get(vm).copied().filter(|&b| b != u32::MAX).map(|b| b as usize) else {
                continue;
            };
            let mut failing = if kinds {
                let kind = verdict_kind(index, &placements, vm, preferred);
                match by_kind.get(&kind) {
                    Some(codes) => codes.for_vm(vm),
                    None => {
                        let codes = fail_codes(index, analysis, &fast, (user, vm, preferred));
                        by_kind.insert(kind, codes);
                        codes
                    }
                }
            } else {
                fail_codes(index, analysis, &fast, (user, vm, preferred))
            };
            // CAF-R7: the requirements through *some* reaching Bastion. The Connect flow's
            // first; when it is denied, another that grants the connection, else the one
            // missing the fewest requirements (ties keep the Connect flow's order).
            let mut bastion = preferred;
            if failing.len != 0 {
                let others = also.of(vm);
                if !others.is_empty() {
                    if let Some(better) = better_bastion(index, analysis, &fast, (vm, preferred), &failing, others) {
                        bastion = better;
                        // Not memoized by kind: rare, and the kind's codes are the preferred one's.
                        failing = fail_codes(index, analysis, &fast, (user, vm, better));
                    }
                }
            }
            let granted = failing.len == 0;
            if keep {
                last.push((vm as u32, bastion as u32, failing));
            }
            visit(
                &fast,
                CompactAccess { user: user as u32, vm: vm as u32, bastion: bastion as u32, granted },
                &failing,
            );
        }
    }
}

/// A reaching Bastion through which `vm` misses fewer requirements than through the Connect
/// flow's `preferred` one (whose codes are `failing`): the first that grants the connection,
/// else the one missing the fewest (ties keep the earlier). Only the Bastion's own
/// requirements (RBAC-BASTION or RBAC-DEV, RBAC-VNET) differ from one Bastion to another.
#[inline(never)]
fn better_bastion(
    index: &Index,
    analysis: &Analysis,
    fast: &Fast,
    (vm, preferred): (usize, usize),
    failing: &FailCodes,
    others: &[u32],
) -> Option<usize> {
    let floor = failing.whatever_bastion();
    let mut best = (preferred, failing.len - floor);
    let mut access = fast.access.borrow_mut();
    for &other in others {
        if best.1 == 0 {
            break;
        }
        let mut own = FailCodes::default();
        bastion_codes(index, analysis, fast.placements, &mut access, (vm, other as usize), &mut own);
        if own.len < best.1 {
            best = (other as usize, own.len);
        }
    }
    (best.0 != preferred).then_some(best.0)
}

/// What the fast path lends to the spelling-out of a denied result: the user's memoized
/// access (pass or fail without a sentence) and the failing checks already spelled out.
struct Fast<'a> {
    assignments: &'a Assignments<'a, 'a>,
    placements: &'a Placements<'a>,
    access: RefCell<UserAccess<'a>>,
    memo: RefCell<CheckMemo>,
    /// False when only fixes and grants are wanted (CAF-R7): failing role checks then
    /// leave `found` empty.
    found: bool,
}

/// Every check state the spelling-out of several results shares: the parsed assignments,
/// placements, and one user's memoized access and failing checks.
fn with_fast<R>(index: &Index, found: bool, f: impl FnOnce(&Fast) -> R) -> R {
    let assignments = Assignments::new(index);
    let placements = Placements::new(index);
    let fast = Fast {
        assignments: &assignments,
        placements: &placements,
        access: RefCell::new(UserAccess::new(&placements, &assignments)),
        memo: RefCell::new(CheckMemo::default()),
        found,
    };
    f(&fast)
}

/// The `RbacResult` of each compact verdict, in order, as the JSON report lists them: a
/// granted result carries no checks, a denied one only what fails or warns and the grants
/// that fix it. Results of one user should be contiguous (as `analyze_rbac` gives them):
/// the user's memo is reset when the user changes.
pub fn materialize_results(index: &Index, analysis: &Analysis, accesses: &[CompactAccess]) -> Vec<RbacResult> {
    let design = index.design;
    let valid = |it: &&CompactAccess| {
        (it.user as usize) < design.users.len()
            && (it.vm as usize) < design.vms.len()
            && (it.bastion as usize) < design.bastions.len()
    };
    with_fast(index, true, |fast| {
        let mut current = None;
        accesses
            .iter()
            .filter(valid)
            .map(|it| {
                let (user, vm, bastion) = (it.user as usize, it.vm as usize, it.bastion as usize);
                if it.granted {
                    return RbacResult {
                        principal: design.users[user].name.clone(),
                        target: design.vms[vm].name.clone(),
                        bastion: design.bastions[bastion].name.clone(),
                        granted: true,
                        checks: Vec::new(),
                        missing: Vec::new(),
                    };
                }
                if current != Some(user) {
                    current = Some(user);
                    fast.access.borrow_mut().reset(fast.assignments, user);
                    fast.memo.borrow_mut().clear();
                }
                materialize(index, analysis, fast.assignments, (user, vm, bastion), false, Some(fast))
            })
            .collect()
    })
}

/// Denied results of one user with the same failing requirements on the same resources
/// (hence the same fixes): CAF-R7 makes one sentence of each.
pub struct DeniedGroup {
    /// Index into `design.users`.
    pub user: usize,
    /// The failing checks of the group's first result (only the rule and the fix are read;
    /// `found` may be left empty).
    pub failing: Vec<Check>,
    /// The grants that fix them.
    pub missing: Vec<Grant>,
    /// Positions in `Analysis::rbac`, in order.
    pub members: Vec<usize>,
}

/// One user's denied results for CAF-R7: the first remedy groups spelled out, the rest
/// only counted (an estate with scattered roles gives 10⁴ groups, and a person reads a
/// few sentences; every result stays available through `materialize_results`).
pub struct DeniedSummary {
    /// Index into `design.users`.
    pub user: usize,
    /// The user's first remedy groups, in order of their first result, spelled out.
    pub groups: Vec<DeniedGroup>,
    /// Denied results (one per VM) outside `groups`.
    pub more_results: usize,
    /// Remedy groups beyond `groups`.
    pub more_groups: usize,
    /// Denied results in all.
    pub denied: usize,
}

/// A failing requirement without a sentence: (rule, which resource role, resource index).
type FailCode = (RuleId, u32, u32);

/// The failing requirements of one result (at most six: VM, NIC, Bastion or Developer
/// host, two VNets, sign-in), without allocating: each code packed in a u64 (rule, which
/// resource role, resource index), so grouping 10⁵ results hashes a few words each.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct FailCodes {
    len: u8,
    codes: [u64; 6],
}

impl FailCodes {
    /// The same codes for another VM of the same kind (`VerdictKind`): the codes that name
    /// the VM itself (VM, NIC, Entra sign-in, a vault not in the design) name `vm` instead.
    fn for_vm(mut self, vm: usize) -> FailCodes {
        let names_vm = |code: u64| {
            let rule = code >> 40;
            let which = (code >> 32) & 0xff;
            rule == RuleId::RbacVm as u64
                || rule == RuleId::RbacNic as u64
                || rule == RuleId::RbacEntra as u64
                || (rule == RuleId::RbacKv as u64 && which == 1)
        };
        for code in self.codes.iter_mut().take(self.len as usize) {
            if names_vm(*code) {
                *code = *code & !0xffff_ffff | vm as u64;
            }
        }
        self
    }

    /// How many of the codes fail through any Bastion: those of the VM, its NIC and its
    /// sign-in (only the Bastion and VNet requirements depend on the Bastion).
    fn whatever_bastion(&self) -> u8 {
        let any = |code: &u64| {
            let rule = code >> 40;
            rule != RuleId::RbacBastion as u64 && rule != RuleId::RbacDev as u64 && rule != RuleId::RbacVnet as u64
        };
        self.codes.iter().take(self.len as usize).filter(|code| any(code)).count() as u8
    }

    fn push(&mut self, (rule, which, idx): FailCode) {
        if let Some(slot) = self.codes.get_mut(self.len as usize) {
            *slot = (rule as u64) << 40 | u64::from(which) << 32 | u64::from(idx);
            self.len += 1;
        }
    }
}

/// What `fail_codes` reads of a VM, for a user whose resource-scoped assignments name no VM
/// or NIC: its resource group, its VNet, the Bastion, and its sign-in (Entra ID with or
/// without the extension, or the Key Vault holding its key). Two VMs of one kind fail the same
/// requirements (`FailCodes::for_vm`): a team's VMs come in a few kinds.
type VerdictKind = (u32, u32, u32, u64);

fn verdict_kind(index: &Index, placements: &Placements, vm: usize, bastion: usize) -> VerdictKind {
    let vnet = index.vm_location(vm).map_or(u32::MAX, |it| it.0 as u32);
    // From the VM's facts (`VmFacts`), not the 240-byte VM: one verdict per team member.
    let facts = index.vm_facts[vm];
    let sign_in = if facts.entra_id() {
        1 + u64::from(facts.entra_extension())
    } else if facts.secret_outside_vault() {
        0
    } else {
        // `SignIn::SshKeyInKeyVault`, the one sign-in left.
        3 << 32 | index.key_vault_of_vm(vm).map_or(u64::from(u32::MAX), |kv| kv as u64)
    };
    (placements.vm[vm], vnet, bastion as u32, sign_in)
}

/// The failing requirements of a result, string-free, in check order: two results of one
/// user with equal codes fail on the same resources and get the same fixes.
fn fail_codes(
    index: &Index,
    analysis: &Analysis,
    fast: &Fast,
    (user, vm, bastion): (usize, usize, usize),
) -> FailCodes {
    let design = index.design;
    let placements = fast.placements;
    let mut access = fast.access.borrow_mut();
    let mut codes = FailCodes::default();
    let vm_rg = placements.vm[vm];
    if !access.has(index, placements, Need::VmRead, vm_rg, || vm_res(design, vm)) {
        codes.push((RuleId::RbacVm, 0, vm as u32));
    }
    if !access.has(index, placements, Need::NicRead, vm_rg, || nic_res(design, vm)) {
        codes.push((RuleId::RbacNic, 0, vm as u32));
    }
    bastion_codes(index, analysis, placements, &mut access, (vm, bastion), &mut codes);
    let it = &design.vms[vm];
    match &it.sign_in {
        SignIn::EntraId => {
            let role = access.has(index, placements, Need::EntraLogin, vm_rg, || vm_res(design, vm));
            if !(role && it.entra_login_extension) {
                codes.push((RuleId::RbacEntra, role as u32 | (it.entra_login_extension as u32) << 1, vm as u32));
            }
        }
        SignIn::SshKeyInKeyVault { .. } => {
            if !key_vault_ok(index, &mut access, placements, user, vm) {
                // The fix names the vault: VMs sharing a vault share it.
                codes.push(match index.key_vault_of_vm(vm) {
                    Some(kv) => (RuleId::RbacKv, 0, kv as u32),
                    None => (RuleId::RbacKv, 1, vm as u32),
                });
            }
        }
        SignIn::Password | SignIn::SshKey => {}
    }
    codes
}

/// The failing requirements of a result that depend on the Bastion (RBAC-BASTION or
/// RBAC-DEV, RBAC-VNET), pushed onto `codes` in check order: the rest fail through any
/// Bastion alike, so another reaching Bastion is weighed by these alone.
fn bastion_codes(
    index: &Index,
    analysis: &Analysis,
    placements: &Placements,
    access: &mut UserAccess,
    (vm, bastion): (usize, usize),
    codes: &mut FailCodes,
) {
    let design = index.design;
    let host = &design.bastions[bastion];
    let bastion_vnet = index.bastion_vnet.get(bastion).copied().flatten();
    if host.sku == BastionSku::Developer {
        if let Some(vnet) = bastion_vnet {
            if !host.deployed
                && !access.has_shared(
                    index,
                    placements,
                    Need::VnetWrite,
                    placements.vnet[vnet],
                    VNET_KEY | vnet as u64,
                    || vnet_res(design, vnet),
                )
            {
                codes.push((RuleId::RbacDev, 0, vnet as u32));
            }
        }
    } else if !access.has_shared(
        index,
        placements,
        Need::BastionRead,
        placements.bastion[bastion],
        BASTION_KEY | bastion as u64,
        || bastion_res(index, bastion),
    ) {
        codes.push((RuleId::RbacBastion, 0, bastion as u32));
    }
    if let (Some(vm_vnet), Some(b_vnet)) = (index.vm_location(vm).map(|it| it.0), bastion_vnet) {
        if path_kind(index, analysis, bastion, vm_vnet) != PathKind::Same {
            for (which, vnet) in [(1, vm_vnet), (2, b_vnet)] {
                if !access.has_shared(
                    index,
                    placements,
                    Need::VnetRead,
                    placements.vnet[vnet],
                    VNET_KEY | vnet as u64,
                    || vnet_res(design, vnet),
                ) {
                    codes.push((RuleId::RbacVnet, which, vnet as u32));
                }
            }
        }
    }
}

/// Counts one denied result of the summary's user into its remedy group (by its failure
/// codes, computed unless `known`), spelling out the group when it is one of the first
/// `spelled`.
#[allow(clippy::too_many_arguments)]
fn add_denied(
    index: &Index,
    analysis: &Analysis,
    fast: &Fast,
    by_codes: &mut FxMap<FailCodes, usize>,
    summary: &mut DeniedSummary,
    (pos, vm, bastion): (usize, usize, usize),
    known: Option<FailCodes>,
    spelled: usize,
) {
    let triple = (summary.user, vm, bastion);
    summary.denied += 1;
    let codes = known.unwrap_or_else(|| fail_codes(index, analysis, fast, triple));
    let next = by_codes.len();
    let g = *by_codes.entry(codes).or_insert(next);
    if g >= spelled {
        summary.more_results += 1;
        if g == next {
            summary.more_groups += 1;
        }
        return;
    }
    if g == summary.groups.len() {
        let eval = evaluate_with(index, analysis, fast.assignments, triple, false, Some(fast));
        let failing: Vec<Check> = eval.checks.into_iter().filter(|c| c.outcome == Outcome::Fail).collect();
        summary.groups.push(DeniedGroup { user: summary.user, failing, missing: eval.missing, members: Vec::new() });
    }
    if let Some(group) = summary.groups.get_mut(g) {
        group.members.push(pos);
    }
}

/// One verdict per (user, VM they hold any role on) that some Bastion reaches, users in
/// design order, then VMs in design order (`Analysis::rbac`), and CAF-R7's denied results
/// per user: the first `spelled` remedy groups of each (equal failure codes, hence equal
/// fixes) spelled out, the rest counted. One pass: the walk has every user's access memoized
/// when it meets a denied result, so the grouping costs no second walk.
///
/// Compact by design (an enterprise estate gives ~10⁵ results): no strings; consumers
/// spell out what they show (`materialize_results` for a list, `materialize_access` and
/// `access_checks` for one result with every check).
pub fn analyze_rbac_with_denied(
    index: &Index,
    analysis: &Analysis,
    spelled: usize,
) -> (Vec<CompactAccess>, Vec<DeniedSummary>) {
    let mut results = Vec::new();
    let mut out: Vec<DeniedSummary> = Vec::new();
    let mut by_codes: FxMap<FailCodes, usize> = FxMap::default();
    walk(index, analysis, |fast, it, codes| {
        let pos = results.len();
        results.push(it);
        if it.granted {
            return;
        }
        let user = it.user as usize;
        if out.last().is_none_or(|s| s.user != user) {
            by_codes.clear();
            out.push(DeniedSummary { user, groups: Vec::new(), more_results: 0, more_groups: 0, denied: 0 });
        }
        if let Some(summary) = out.last_mut() {
            add_denied(
                index,
                analysis,
                fast,
                &mut by_codes,
                summary,
                (pos, it.vm as usize, it.bastion as usize),
                Some(*codes),
                spelled,
            );
        }
    });
    (results, out)
}

/// The full `RbacResult` of a compact verdict, every check spelled out.
pub fn materialize_access(index: &Index, analysis: &Analysis, access: &CompactAccess) -> RbacResult {
    let triple = (access.user as usize, access.vm as usize, access.bastion as usize);
    materialize(index, analysis, &Assignments::new(index), triple, true, None)
}

fn materialize(
    index: &Index,
    analysis: &Analysis,
    assignments: &Assignments,
    (user, vm, bastion): (usize, usize, usize),
    verbose: bool,
    fast: Option<&Fast>,
) -> RbacResult {
    let design = index.design;
    let eval = evaluate_with(index, analysis, assignments, (user, vm, bastion), verbose, fast);
    RbacResult {
        principal: design.users[user].name.clone(),
        target: design.vms[vm].name.clone(),
        bastion: design.bastions[bastion].name.clone(),
        granted: eval.granted(),
        checks: eval.checks,
        missing: eval.missing,
    }
}

/// The full RBAC result of one user and one VM, every check spelled out, through the
/// Bastion the analysis judged it through (`CompactAccess::bastion`); `None` when the names do not resolve or no Bastion
/// reaches the VM. The page's user inspector and the CLI call it on demand.
pub fn access_checks(index: &Index, analysis: &Analysis, user: &str, vm: &str) -> Option<RbacResult> {
    let user = *index.user_by_name.get(user)?;
    let vm = *index.vm_by_name.get(vm)?;
    // The Bastion the analysis judged the pair through (the one that grants it, when one
    // does: CAF-R7's "some Bastion"), else the Connect flow's.
    let (u, v) = (user as u32, vm as u32);
    let judged = analysis.rbac.binary_search_by(|it| (it.user, it.vm).cmp(&(u, v))).ok();
    let bastion = match judged.map(|at| analysis.rbac[at].bastion as usize) {
        Some(bastion) => bastion,
        None => connect_bastion(index, analysis, vm)?,
    };
    Some(materialize(index, analysis, &Assignments::new(index), (user, vm, bastion), true, None))
}

/// Whether a planned assignment goes to a user or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PrincipalType {
    User,
    Group,
}

impl PrincipalType {
    fn arm(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Group => "Group",
        }
    }
}

/// One role assignment of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedAssignment {
    pub principal: String,
    pub principal_type: PrincipalType,
    pub role: Role,
    pub scope: String,
    /// The requirements it meets (RBAC-VM, RBAC-VNET, …).
    pub rules: Vec<RuleId>,
    /// The users it serves.
    pub for_users: Vec<String>,
}

/// The fewest, narrowest role assignments that let each principal connect to each target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RbacPlan {
    pub assignments: Vec<PlannedAssignment>,
    /// What the plan exposes beyond the targets, fixes that are not role assignments, and
    /// names that did not resolve.
    pub warnings: Vec<String>,
}

/// Plans the least-privilege assignments for `principals` (users or groups) to connect to
/// `targets` (VM names), each through the Bastion the Connect flow would use. Assignments
/// the design already holds are not repeated.
pub fn plan_least_privilege(design: &Design, principals: &[String], targets: &[String]) -> RbacPlan {
    let analysis = analyze(design);
    let index = Index::new(design);
    let assignments = Assignments::new(&index);
    let mut warnings: BTreeSet<String> = BTreeSet::new();

    let mut users: BTreeSet<usize> = BTreeSet::new();
    for name in principals {
        if let Some(&user) = index.user_by_name.get(name.as_str()) {
            users.insert(user);
        } else if let Some(&group) = index.group_by_name.get(name.as_str()) {
            users.extend(
                design.groups[group].members.iter().filter_map(|m| index.user_by_name.get(m.as_str()).copied()),
            );
        } else {
            warnings.insert(format!("{name} is neither a user nor a group of the design: nothing planned for it"));
        }
    }
    let mut vms: BTreeSet<usize> = BTreeSet::new();
    for name in targets {
        match index.vm_by_name.get(name.as_str()) {
            Some(&vm) => {
                vms.insert(vm);
            }
            None => {
                warnings.insert(format!("{name} is not a VM of the design: nothing planned for it"));
            }
        }
    }

    // (role, scope) → users who need it, the rules it meets, and the resource's VNet role.
    let mut needed: BTreeMap<(String, Role), (BTreeSet<usize>, BTreeSet<RuleId>)> = BTreeMap::new();
    for &vm in &vms {
        let Some(bastion) = connect_bastion(&index, &analysis, vm) else {
            warnings.insert(format!(
                "no Bastion reaches {}: fix the network first (bastion-sim explain); no role planned for it",
                design.vms[vm].name
            ));
            continue;
        };
        let vm_vnet = index.vm_location(vm).map(|it| it.0);
        let b_vnet = index.bastion_vnet[bastion];
        if let (Some(vm_vnet), Some(b_vnet)) = (vm_vnet, b_vnet) {
            if vm_vnet != b_vnet {
                let vnet = &design.vnets[b_vnet].name;
                // Hub and spoke (CAF-R4) or a central Bastion in a Virtual WAN spoke (CAF-R3).
                let rule = match path_kind(&index, &analysis, bastion, vm_vnet) {
                    PathKind::Vwan => "CAF-R3",
                    _ => "CAF-R4",
                };
                warnings.insert(format!(
                    "Reader on {vnet} (the Bastion's VNet, for {}) also reveals that VNet's topology (address space, subnets, peerings) to the principals: a landing-zone compliance consideration ({rule}); if that is not acceptable, deploy a Bastion in {} instead",
                    design.vms[vm].name, design.vnets[vm_vnet].name
                ));
            }
        }
        for &user in &users {
            let eval = evaluate(&index, &analysis, &assignments, user, vm, bastion);
            for grant in eval.missing {
                let entry = needed.entry((grant.scope, grant.role)).or_default();
                entry.0.insert(user);
                entry.1.insert(grant.rule);
            }
            for fix in eval.other_fixes {
                warnings.insert(format!("not a role assignment: {fix}"));
            }
            if let Some(advised) = eval.advised {
                warnings.insert(format!(
                    "RBAC-VNET-SAME: the docs need no Reader on the shared VNet for {}, but a 2025 report says the portal failed without it; add Reader at {} if it does",
                    design.vms[vm].name, advised.scope
                ));
            }
        }
    }

    // No redundant assignment: a user's role at a scope is dropped when another role
    // planned for that user at the same scope meets every need it was planned for (the
    // Virtual Machine User Login of RBAC-ENTRA reads the VM, so no Reader on it beside it).
    // The narrowest roles of different needs never meet each other's needs both ways.
    let need_of = |rule: RuleId| match rule {
        RuleId::RbacVm => Some(Need::VmRead),
        RuleId::RbacNic => Some(Need::NicRead),
        RuleId::RbacVnet | RuleId::RbacVnetSame => Some(Need::VnetRead),
        RuleId::RbacBastion => Some(Need::BastionRead),
        RuleId::RbacKv => Some(Need::KeyVaultSecrets),
        RuleId::RbacDev => Some(Need::VnetWrite),
        RuleId::RbacEntra => Some(Need::EntraLogin),
        RuleId::RbacShare => Some(Need::ShareableLinks),
        _ => None,
    };
    let redundant: Vec<((String, Role), usize)> = needed
        .iter()
        .flat_map(|((scope, role), (need_users, rules))| {
            let needed = &needed;
            need_users.iter().filter_map(move |&user| {
                let met_elsewhere = needed.iter().any(|((other_scope, other_role), (other_users, _))| {
                    other_scope == scope
                        && other_role != role
                        && other_users.contains(&user)
                        && rules.iter().all(|&rule| need_of(rule).is_some_and(|need| grants(*other_role, need)))
                });
                met_elsewhere.then(|| ((scope.clone(), *role), user))
            })
        })
        .collect();
    for (key, user) in redundant {
        if let Some(entry) = needed.get_mut(&key) {
            entry.0.remove(&user);
        }
    }
    needed.retain(|_, (need_users, _)| !need_users.is_empty());

    // Groups whose every member is in the planned set, largest first: assigning to them
    // keeps the plan short and follows group membership as it changes.
    let mut groups: Vec<(usize, BTreeSet<usize>)> = design
        .groups
        .iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let members: BTreeSet<usize> = crate::util::btree_set(
                group.members.iter().filter_map(|m| index.user_by_name.get(m.as_str()).copied()),
            );
            // A group the caller did not name is used only when it saves assignments (two
            // members or more): a one-member group in place of its user saves nothing and
            // would grant the role to whoever joins that group later.
            let named = principals.contains(&group.name);
            (!members.is_empty() && members.is_subset(&users) && (named || members.len() > 1)).then_some((g, members))
        })
        .collect();
    crate::util::sort_by(&mut groups, |a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));

    let mut planned = Vec::new();
    for ((scope, role), (need_users, rules)) in needed {
        let mut uncovered = need_users.clone();
        for (g, members) in &groups {
            if members.is_subset(&need_users) && members.iter().any(|m| uncovered.contains(m)) {
                for m in members {
                    uncovered.remove(m);
                }
                planned.push(PlannedAssignment {
                    principal: design.groups[*g].name.clone(),
                    principal_type: PrincipalType::Group,
                    role,
                    scope: scope.clone(),
                    rules: rules.iter().copied().collect(),
                    for_users: members.iter().map(|&u| design.users[u].name.clone()).collect(),
                });
            }
        }
        for user in uncovered {
            planned.push(PlannedAssignment {
                principal: design.users[user].name.clone(),
                principal_type: PrincipalType::User,
                role,
                scope: scope.clone(),
                rules: rules.iter().copied().collect(),
                for_users: vec![design.users[user].name.clone()],
            });
        }
    }
    crate::util::sort_by(&mut planned, |a, b| {
        (a.principal_type, &a.principal, a.rules.first(), &a.scope, a.role).cmp(&(
            b.principal_type,
            &b.principal,
            b.rules.first(),
            &b.scope,
            b.role,
        ))
    });
    RbacPlan { assignments: planned, warnings: warnings.into_iter().collect() }
}

/// The built-in role definition id (a GUID, the same in every tenant).
pub fn role_definition_id(role: Role) -> &'static str {
    match role {
        Role::Owner => "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        Role::Contributor => "b24988ac-6180-42a0-ab88-20f7382dd24c",
        Role::Reader => "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        Role::NetworkContributor => "4d97b98b-1d4f-4787-a291-c67834d212e7",
        Role::VirtualMachineContributor => "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        Role::VirtualMachineUserLogin => "fb879df8-f326-4884-b1cf-06f3ad86be52",
        Role::VirtualMachineAdministratorLogin => "1c0163c0-47e6-4577-8991-ea5c82e286e4",
        Role::KeyVaultSecretsUser => "4633458b-17de-408a-b874-0445c86b69e6",
        Role::KeyVaultReader => "21090545-7ca7-4776-b22c-e363652d74d2",
        Role::SecurityReader => "39bc4728-0917-49c7-9d2c-d95423bc2eb4",
    }
}

/// API versions for the `existing` declarations Bicep needs to scope an assignment.
fn bicep_type(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::VirtualNetwork => "Microsoft.Network/virtualNetworks@2024-05-01",
        ResourceKind::BastionHost => "Microsoft.Network/bastionHosts@2024-05-01",
        ResourceKind::VirtualMachine => "Microsoft.Compute/virtualMachines@2024-07-01",
        ResourceKind::VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets@2024-07-01",
        ResourceKind::NetworkInterface => "Microsoft.Network/networkInterfaces@2024-05-01",
        ResourceKind::NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups@2024-05-01",
        ResourceKind::PublicIpAddress => "Microsoft.Network/publicIPAddresses@2024-05-01",
        ResourceKind::RouteTable => "Microsoft.Network/routeTables@2024-05-01",
        ResourceKind::KeyVault => "Microsoft.KeyVault/vaults@2023-07-01",
        ResourceKind::Workspace => "Microsoft.OperationalInsights/workspaces@2023-09-01",
        ResourceKind::VirtualWan => "Microsoft.Network/virtualWans@2024-05-01",
        ResourceKind::VirtualHub => "Microsoft.Network/virtualHubs@2024-05-01",
        ResourceKind::VirtualNetworkGateway => "Microsoft.Network/virtualNetworkGateways@2024-05-01",
    }
}

/// A Bicep identifier from a name: letters, digits and underscores.
fn ident(prefix: &str, name: &str) -> String {
    let mut out = String::from(prefix);
    for c in name.chars() {
        out.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    out
}

impl RbacPlan {
    /// `az role assignment create` lines, one per assignment.
    pub fn az_cli(&self) -> String {
        let mut out = String::from(
            "# Least-privilege role assignments planned by bastion-sim.\n# Principals are the design's names: they stand for Entra object ids (use the object id\n# or sign-in name of each user and group).\n",
        );
        if self.assignments.is_empty() {
            out.push_str("# Nothing to assign: every principal already holds what it needs.\n");
        }
        for it in &self.assignments {
            let _ = writeln!(
                out,
                "az role assignment create --assignee {} --role \"{}\" --scope {}",
                it.principal,
                it.role.name(),
                it.scope
            );
        }
        out
    }

    /// A Bicep file deployable to each resource group that holds a target resource: the
    /// assignments whose resource lies in another resource group are skipped by condition.
    pub fn bicep(&self) -> String {
        let mut out = String::new();
        out.push_str("// Least-privilege role assignments planned by bastion-sim.\n");
        out.push_str(
            "// Deploy to each resource group named below (az deployment group create -g <rg> -f plan.bicep\n",
        );
        out.push_str(
            "// -p principalIds=@ids.json); each deployment creates the assignments of its own resource group.\n",
        );
        out.push_str("targetScope = 'resourceGroup'\n\n");
        out.push_str("@description('Entra object id of each principal, by its name in the design')\n");
        out.push_str("param principalIds object\n\n");
        let mut roles: BTreeSet<Role> = BTreeSet::new();
        let mut resources: BTreeMap<String, (ResourceRef, String)> = BTreeMap::new();
        for it in &self.assignments {
            roles.insert(it.role);
            if let Ok(Scope::Resource(res)) = Scope::parse(&it.scope) {
                let name = ident(&format!("{}_", kind_prefix(res.kind)), &res.name);
                resources.entry(it.scope.clone()).or_insert((res, name));
            }
        }
        for role in &roles {
            let _ = writeln!(
                out,
                "var {} = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{}') // {}",
                ident("role_", role.name()),
                role_definition_id(*role),
                role.name()
            );
        }
        if !roles.is_empty() {
            out.push('\n');
        }
        for (res, name) in resources.values() {
            let _ =
                writeln!(out, "resource {name} '{}' existing = {{\n  name: '{}'\n}}\n", bicep_type(res.kind), res.name);
        }
        for (n, it) in self.assignments.iter().enumerate() {
            let Some((res, name)) = resources.get(&it.scope) else {
                let _ = writeln!(
                    out,
                    "// {} {} at {}: not a resource scope, assign it with the az CLI\n",
                    it.principal,
                    it.role.name(),
                    it.scope
                );
                continue;
            };
            let role_var = ident("role_", it.role.name());
            let _ = writeln!(
                out,
                "// {} for {} ({})",
                it.role.name(),
                it.principal,
                it.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            );
            let _ = writeln!(
                out,
                "resource assignment{} 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (subscription().subscriptionId == '{}' && resourceGroup().name == '{}') {{",
                n + 1,
                res.subscription,
                res.resource_group
            );
            let _ = writeln!(out, "  name: guid({name}.id, principalIds['{}'], {role_var})", it.principal);
            let _ = writeln!(out, "  scope: {name}");
            out.push_str("  properties: {\n");
            let _ = writeln!(out, "    roleDefinitionId: {role_var}");
            let _ = writeln!(out, "    principalId: principalIds['{}']", it.principal);
            let _ = writeln!(out, "    principalType: '{}'", it.principal_type.arm());
            out.push_str("  }\n}\n\n");
        }
        out
    }
}

fn kind_prefix(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::VirtualNetwork => "vnet",
        ResourceKind::BastionHost => "bastion",
        ResourceKind::VirtualMachine => "vm",
        ResourceKind::VirtualMachineScaleSet => "vmss",
        ResourceKind::NetworkInterface => "nic",
        ResourceKind::NetworkSecurityGroup => "nsg",
        ResourceKind::PublicIpAddress => "pip",
        ResourceKind::RouteTable => "rt",
        ResourceKind::KeyVault => "kv",
        ResourceKind::Workspace => "law",
        ResourceKind::VirtualWan => "vwan",
        ResourceKind::VirtualHub => "hub",
        ResourceKind::VirtualNetworkGateway => "gw",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_agrees_with_scope_contains() {
        let mgs = vec![ManagementGroup { name: "corp".into(), subscriptions: vec!["sub-1".into()] }];
        let res = Res {
            kind: ResourceKind::VirtualMachine,
            subscription: "sub-1",
            resource_group: "rg-app",
            name: Cow::Borrowed("vm-web"),
        };
        for text in [
            "/",
            "/providers/Microsoft.Management/managementGroups/corp",
            "/providers/Microsoft.Management/managementGroups/other",
            "/subscriptions/SUB-1",
            "/subscriptions/sub-2",
            "/subscriptions/sub-1/resourceGroups/rg-app",
            "/subscriptions/sub-1/resourceGroups/rg-hub",
            "/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-web",
            "/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/vm-web",
        ] {
            let scope = Scope::parse(text).unwrap();
            assert_eq!(covers(&scope, &res, &mgs), scope.contains(&res.to_ref(), &mgs), "{text}");
        }
    }
}
