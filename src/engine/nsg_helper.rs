//! The NSG helper (issue 5): for an AzureBastionSubnet NSG, the required rows of rules.md §5
//! that are missing or shadowed, with the rules to add; for a VM, the NSG rules on its subnet
//! and NIC that block 22/3389 from a Bastion's subnet, with the allow rule to add above them.
//! Every answer carries a `FixAction::AddNsgRules` that the editor applies as one undoable edit.

use super::graph::Net;
use super::health::{self, RowState};
use super::nsg_eval::{free_priority_above, NsgDecision};
use super::reach::{self, BastionCtx, NsgCache};
use super::{Analysis, FixAction, Index, PathKind, RuleId};
use crate::model::{Access, Cidr, Design, Direction, Ipv4, NsgRule, Protocol, BASTION_SUBNET};
use serde::Serialize;

/// How one required row of §5 fares in the NSG.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowReport {
    /// What the row is for (e.g. "HTTPS from the internet").
    pub purpose: String,
    /// The row as a sentence (direction, source, destination, ports).
    pub row: String,
    /// "satisfied", "missing" (Azure's DenyAll default decides) or "shadowed" (a custom
    /// Deny of higher priority hides it).
    pub state: &'static str,
    /// For a missing or shadowed row: the rule that decided, quoted (NSG, rule, priority).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BastionNsgReport {
    pub nsg: String,
    /// The eight rows, in the order of rules.md §5.
    pub rows: Vec<RowReport>,
    /// The rules to add (Microsoft's names, free priorities above any shadowing deny).
    pub rules_to_add: Vec<NsgRule>,
    /// `AddNsgRules` with `rules_to_add`; None when nothing is missing, or when a deny no
    /// free priority outranks must move first (adding the rules alone would not fix it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_action: Option<FixAction>,
}

/// The required rows of an AzureBastionSubnet NSG (by name); None for an unknown NSG.
/// An NSG attached to no AzureBastionSubnet is judged as if it were (the helper on a
/// detached NSG).
pub fn bastion_subnet_nsg(design: &Design, nsg: &str) -> Option<BastionNsgReport> {
    let index = Index::new(design);
    let n = *index.nsg_by_name.get(nsg)?;
    let statuses = health::required_bastion_rules(&index, n);
    let rows = statuses
        .iter()
        .map(|status| {
            let spec = status.required();
            RowReport {
                purpose: spec.purpose.to_string(),
                row: spec.describe(),
                state: match status.state {
                    RowState::Satisfied => "satisfied",
                    RowState::Missing => "missing",
                    RowState::Shadowed => "shadowed",
                },
                decided_by: status.denied.map(|(_, d)| d.quote(design)),
            }
        })
        .collect();
    let rules_to_add = health::rules_for_rows(&index, n, &statuses);
    let fix_action = health::rows_fix_action(design, nsg, &statuses, rules_to_add.clone());
    Some(BastionNsgReport { nsg: nsg.to_string(), rows, rules_to_add, fix_action })
}

/// Where a blocking NSG is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attachment {
    Subnet,
    Nic,
}

/// An NSG on a VM's subnet or NIC that drops sessions from a Bastion on one port.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetBlock {
    pub vm: String,
    pub bastion: String,
    /// The Bastion's session source (its AzureBastionSubnet prefix).
    pub source: String,
    pub nsg: String,
    pub attachment: Attachment,
    pub port: u16,
    /// The deciding rule, quoted (NSG, rule, priority; or Azure's DenyAllInBound).
    pub blocked_by: String,
    /// The deciding rule's priority (65500 for Azure's default).
    pub blocker_priority: u32,
    /// The allow rule to add, at a free priority below (numerically) the blocker's; None
    /// when no number between 100 and the blocker's is free (a deny at 100): that deny must
    /// move or narrow first, which is not a mechanical edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_to_add: Option<NsgRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_action: Option<FixAction>,
}

/// Every (Bastion with a network path to the VM, NSG on the VM's subnet or NIC, port 22 or
/// 3389 or the VM's own port) where the NSG drops the session, each with its allow rule.
/// NSGs are judged one by one, so a NIC NSG behind a blocking subnet NSG is reported too.
pub fn target_vm_nsgs(design: &Design, analysis: &Analysis, vm: &str) -> Vec<TargetBlock> {
    let index = Index::new(design);
    let Some(&v) = index.vm_by_name.get(vm) else { return Vec::new() };
    let Some((home, _)) = index.vm_location(v) else { return Vec::new() };
    let net = Net::new(&index);
    let mut cache = NsgCache::default();
    let def = &design.vms[v];
    let mut ports = vec![22u16, 3389];
    if !ports.contains(&def.service_port()) {
        ports.push(def.service_port());
    }
    let (subnet_nsg, nic_nsg) = reach::vm_nsgs(&net, v);
    let mut out = Vec::new();
    for b in 0..design.bastions.len() {
        let kind = analysis.reach.get(b).and_then(|r| r.vnet_paths.get(home)).map(|p| p.kind);
        if !matches!(kind, Some(PathKind::Same | PathKind::Peer | PathKind::Vwan)) {
            continue;
        }
        let ctx = BastionCtx::new(&net, b);
        let Some(source) = ctx.source else { continue };
        let source_key = if ctx.sku.is_dedicated() { b as u32 + 1 } else { 0 };
        for (nsg, attachment) in [(subnet_nsg, Attachment::Subnet), (nic_nsg, Attachment::Nic)] {
            let Some(nsg) = nsg else { continue };
            for &port in &ports {
                let d = cache.decide(
                    &index,
                    &net,
                    nsg,
                    home,
                    source_key,
                    source,
                    Direction::Inbound,
                    def.nic.private_ip,
                    port,
                    None,
                );
                if d.allowed() {
                    continue;
                }
                let rule = allow_rule(
                    &index,
                    nsg,
                    Direction::Inbound,
                    &design.bastions[b].name,
                    source,
                    def.nic.private_ip,
                    port,
                    &d,
                );
                out.push(TargetBlock {
                    vm: def.name.clone(),
                    bastion: design.bastions[b].name.clone(),
                    source: source.to_string(),
                    nsg: design.nsgs[nsg].name.clone(),
                    attachment,
                    port,
                    blocked_by: d.quote(design),
                    blocker_priority: d.priority,
                    fix_action: rule
                        .clone()
                        .map(|rule| FixAction::AddNsgRules { nsg: design.nsgs[nsg].name.clone(), rules: vec![rule] }),
                    rule_to_add: rule,
                });
            }
        }
    }
    out
}

/// The allow rule admitting `port` from `source` to `ip` in NSG `nsg`, at a free priority
/// above the deciding rule `d` (a lower number), named after the Bastion. None when no
/// number from 100 up to `d`'s is free: added below the deny, the rule would change nothing.
#[allow(clippy::too_many_arguments)]
fn allow_rule(
    index: &Index,
    nsg: usize,
    direction: Direction,
    bastion: &str,
    source: Cidr,
    ip: Ipv4,
    port: u16,
    d: &NsgDecision,
) -> Option<NsgRule> {
    let def = &index.design.nsgs[nsg];
    let used: Vec<u32> = def.rules.iter().filter(|r| r.direction == direction).map(|r| r.priority).collect();
    let below = if d.is_default() { 4097 } else { d.priority };
    let priority = free_priority_above(&used, below)?;
    let clean: String = bastion.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let base = format!("Allow{clean}{}{port}", if direction == Direction::Inbound { "In" } else { "Out" });
    let mut name = base.clone();
    let mut n = 2;
    while def.rules.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
        name = format!("{base}-{n}");
        n += 1;
    }
    Some(NsgRule {
        name,
        priority,
        direction,
        access: Access::Allow,
        protocol: Protocol::Tcp,
        sources: vec![source.to_string()],
        destinations: vec![ip.to_string()],
        destination_ports: vec![port.to_string()],
    })
}

/// The fix of a failing R-NSG-OUT / R-NSG-IN check of (Bastion `b`, VM `vm`) on `port`:
/// the allow rule for the NSG named in the check. None when that NSG allows the flow.
pub fn pair_fix(index: &Index, b: usize, vm: usize, port: u16, rule: RuleId, nsg_name: &str) -> Option<FixAction> {
    let design = index.design;
    let &nsg = index.nsg_by_name.get(nsg_name)?;
    let (tv, _) = index.vm_location(vm)?;
    let net = Net::new(index);
    let ctx = BastionCtx::new(&net, b);
    let source = ctx.source?;
    let ip = design.vms[vm].nic.private_ip;
    let mut cache = NsgCache::default();
    let (direction, vnet, key) = match rule {
        RuleId::RNsgOut => (Direction::Outbound, ctx.vnet?, b as u32 + 1),
        RuleId::RNsgIn => (Direction::Inbound, tv, if ctx.sku.is_dedicated() { b as u32 + 1 } else { 0 }),
        _ => return None,
    };
    let d = cache.decide(index, &net, nsg, vnet, key, source, direction, ip, port, None);
    if d.allowed() {
        return None;
    }
    let rule = allow_rule(index, nsg, direction, &design.bastions[b].name, source, ip, port, &d)?;
    Some(FixAction::AddNsgRules { nsg: nsg_name.to_string(), rules: vec![rule] })
}

/// The NSG on a Bastion's AzureBastionSubnet, by name (for the helper's entry point).
pub fn bastion_nsg_of(design: &Design, bastion: &str) -> Option<String> {
    let host = design.bastion(bastion)?;
    design.vnet(&host.vnet)?.subnet(BASTION_SUBNET)?.nsg.clone()
}
