//! Findings that come from the network analysis: Bastion health problems, CAF-R5 (NSG
//! problems of §2 and §5), CAF-R10 (public IPs), JIT-1/JIT-2, consolidation
//! (CONSOLIDATE-HUB, CONSOLIDATE-UNREACHED) and PEER-GATEWAY-TRANSIT.

use super::cost::{billed_instances, monthly_base};
use super::graph::Net;
use super::health::{rows_fix_action, rows_fix_text, rows_in, rules_for_rows, RowState};
use super::index::Lists;
use super::nsg_eval::{self, free_priority, free_priority_above, Flow, NsgDecision, SourceMatch, TagView};
use super::reach::{dest_mask, first_nsg_denial, uniform_bits, vm_nsgs, BastionCtx, NsgTarget};
use super::{concat, finding, Analysis, Finding, FixAction, Index, Outcome, PathKind, RuleId, Severity, Target};
use crate::model::nsg::{AddressPrefix, ServiceTag};
use crate::model::{
    Access, BastionHost, BastionSku, Cidr, Direction, Ipv4, NsgRule, PeeringState, Protocol, BASTION_SUBNET,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub fn network_findings(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let net = Net::new(index);
    health_findings(index, analysis, out);
    caf_r5_rows(index, &net, out);
    caf_r5_pairs(index, &net, analysis, out);
    caf_r10(index, &net, out);
    jit(index, &net, out);
    consolidate_hub(index, &net, analysis, out);
    consolidate_unreached(index, analysis, out);
    peer_gateway_transit(index, &net, out);
}

/// Every failing B-HEALTH check, on its Bastion (a /27 subnet is a warning).
fn health_findings(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let design = index.design;
    for (b, health) in analysis.health.iter().enumerate() {
        for check in &health.checks {
            let severity = match check.outcome {
                Outcome::Fail => Severity::Error,
                Outcome::Warn => Severity::Warning,
                Outcome::Pass | Outcome::Skip => continue,
            };
            let mut f = finding(check.rule, severity, &health.bastion, check.found.clone(), check.fix.clone());
            let vnet = index.bastion_vnet.get(b).copied().flatten();
            f.fix_action = match (check.rule, vnet) {
                (RuleId::BHealth3, Some(v)) => Some(FixAction::RemoveRouteTable {
                    vnet: design.vnets[v].name.clone(),
                    subnet: BASTION_SUBNET.to_string(),
                }),
                (RuleId::BHealth4, _) => index.nsg_by_name.get(check.resource.as_str()).and_then(|&nsg| {
                    let rows = super::health::required_bastion_rules(index, nsg);
                    let rules = rules_for_rows(index, nsg, &rows);
                    super::health::rows_fix_action(design, &check.resource, &rows, rules)
                }),
                _ => None,
            };
            out.push(f);
        }
    }
}

/// CAF-R5, §5 half: every NSG on an AzureBastionSubnet that lacks required rows (with the
/// rules to add), and every AzureBastionSubnet without an NSG (landing-zone advice).
fn caf_r5_rows(index: &Index, net: &Net, out: &mut Vec<Finding>) {
    let design = index.design;
    let mut seen = Vec::new();
    for (v, vnet) in design.vnets.iter().enumerate() {
        let Some(subnet) = vnet.subnet(BASTION_SUBNET) else {
            continue;
        };
        let label = format!("{}/{BASTION_SUBNET}", vnet.name);
        let Some(name) = subnet.nsg.as_deref() else {
            out.push(finding(
                RuleId::CafR5,
                Severity::Info,
                &label,
                format!("{label} has no NSG; the landing-zone guidance filters it with the eight rules of the Bastion NSG article."),
                format!("Attach an NSG to {label} holding the eight required Bastion rules."),
            ));
            continue;
        };
        let Some(&nsg) = index.nsg_by_name.get(name) else {
            continue;
        };
        if seen.contains(&nsg) {
            continue;
        }
        seen.push(nsg);
        let rows = rows_in(index, nsg, &net.tag_view(v), subnet.prefix);
        let failing: Vec<String> = rows
            .iter()
            .filter(|r| r.state != RowState::Satisfied)
            .map(|r| match (r.state, r.denied) {
                (RowState::Shadowed, Some((_, d))) => {
                    format!("{} (shadowed by {})", r.required().describe(), d.quote(design))
                }
                _ => r.required().describe(),
            })
            .collect();
        if failing.is_empty() {
            continue;
        }
        let rules = rules_for_rows(index, nsg, &rows);
        let mut f = finding(
            RuleId::CafR5,
            Severity::Error,
            name,
            format!("{name} on {label} lacks required Bastion rules: {}.", failing.join("; ")),
            rows_fix_text(design, name, &rows, &rules),
        );
        f.fix_action = rows_fix_action(design, name, &rows, rules);
        out.push(f);
    }
}

/// What one (Bastion, VM shape) or unshaped target adds to a CAF-R5 group: the rule that
/// decided, and where and on which port the allow rule must admit it (its subnet's prefix,
/// an on-premises machine's own address).
#[derive(Clone, Copy)]
struct Part {
    decision: NsgDecision,
    destination: Cidr,
    port: u16,
}

/// One CAF-R5 group, (NSG, Bastion, direction), as its pairs are counted: the message
/// names the first five targets and counts the rest; the rest of its texts come from its
/// `Part`s.
struct Group {
    key: (usize, usize, bool),
    source: Cidr,
    count: usize,
    first: [Target; 5],
}

/// Everything the NSG decisions of a session to a VM depend on besides the Bastion: its
/// port, VNet and NSGs, and how its address sits in their rules (which rule destinations
/// hold it, whether the VNet's VirtualNetwork tag does): the keys of `NsgCache::decide`.
/// With its subnet (where the allow rule names it) and whether its address lies in its
/// VNet's address space, all the VMs of one shape make the same `Part`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct TargetShape {
    port: u16,
    vnet: usize,
    subnet: usize,
    nsgs: [Option<usize>; 2],
    masks: [u64; 2],
    /// Bit 0: the VNet's VirtualNetwork tag holds the address; bit 1: it is 168.63.129.16;
    /// bit 2: it lies in the VNet's own address space.
    class: u8,
}

impl TargetShape {
    /// None when an NSG has too many rule destinations to key on (decided pair by pair).
    fn of(net: &Net, target: NsgTarget, subnet: usize) -> Option<TargetShape> {
        let vnet = target.vnet?;
        let mut masks = [0u64; 2];
        for (slot, nsg) in [target.subnet_nsg, target.nic_nsg].into_iter().enumerate() {
            if let Some(nsg) = nsg {
                masks[slot] = dest_mask(net.index, nsg, Direction::Inbound, target.ip)?;
            }
        }
        let ip = target.ip;
        // A VNet's own address space is part of its VirtualNetwork tag: no search then.
        let own = net.index.design.vnets[vnet].address_prefixes.iter().any(|c| c.contains_ip(ip));
        let tagged = own || net.tag_view(vnet).vnet_contains(ip.0, ip.0);
        Some(TargetShape {
            port: target.port,
            vnet,
            subnet,
            nsgs: [target.subnet_nsg, target.nic_nsg],
            masks,
            class: u8::from(tagged) | u8::from(ip == Ipv4::AZURE_PLATFORM) << 1 | u8::from(own) << 2,
        })
    }
}

/// Whether VNet `v`'s whole address space lies in the VirtualNetwork tag of the Bastion's
/// VNet (then so does each of its VMs).
fn space_tagged(net: &Net, view: &TagView, v: usize) -> bool {
    let prefixes = &net.index.design.vnets[v].address_prefixes;
    !prefixes.is_empty() && prefixes.iter().all(|c| view.vnet_contains(c.network(), c.last()))
}

/// The Bastion-side key of a target address: its rule mask and class in the outbound rules
/// of the AzureBastionSubnet NSG (zero without one); None when that NSG cannot be keyed.
/// `tagged`: whether the target's VNet lies in the Bastion's VirtualNetwork tag.
fn bastion_side(ctx: &BastionCtx, view: Option<&TagView>, tagged: bool, target: NsgTarget) -> Option<(u64, u8)> {
    let (Some(nsg), Some(view)) = (ctx.subnet_nsg, view) else { return Some((0, 0)) };
    let (net, ip) = (ctx.net, target.ip);
    let mask = dest_mask(net.index, nsg, Direction::Outbound, ip)?;
    // A VNet inside the tag holds every address inside it: no search per VM.
    let inside = tagged
        && target.vnet.is_some_and(|v| net.index.design.vnets[v].address_prefixes.iter().any(|c| c.contains_ip(ip)));
    let class = u8::from(inside || view.vnet_contains(ip.0, ip.0)) | u8::from(ip == Ipv4::AZURE_PLATFORM) << 1;
    Some((mask, class))
}

/// What `first_nsg_denial` answers for a pair.
type Denial = Option<(RuleId, Direction, Cidr, NsgDecision)>;

/// A group with no pairs: a denial that `first_nsg_denial` did not find.
const NO_GROUP: u32 = u32::MAX;

/// The CAF-R5 group of Bastion `b` that a denial joins (made on first use), with the part
/// the denial adds to it; `NO_GROUP` without a denial. `of_nsg`: per NSG and direction
/// (outbound, inbound), the group of the Bastion stamped there (`b + 1`): a Virtual WAN
/// Bastion's sessions are dropped by 10² NSGs, too many to search.
fn join_group(
    groups: &mut Vec<Group>,
    parts: &mut Vec<(usize, Part)>,
    of_nsg: &mut [[(u32, u32); 2]],
    b: usize,
    denial: Denial,
    destination: Cidr,
    port: u16,
) -> u32 {
    let Some((_, direction, source, decision)) = denial else { return NO_GROUP };
    let inbound = direction == Direction::Inbound;
    let Some(slot) = of_nsg.get_mut(decision.nsg).map(|it| &mut it[usize::from(inbound)]) else { return NO_GROUP };
    if slot.0 != b as u32 + 1 {
        groups.push(Group { key: (decision.nsg, b, inbound), source, count: 0, first: [Target::Vm(0); 5] });
        *slot = (b as u32 + 1, groups.len() as u32 - 1);
    }
    parts.push((slot.1 as usize, Part { decision, destination, port }));
    slot.1
}

/// Counts one dropped pair in its group, keeping the first five for the message.
fn count_pair(groups: &mut [Group], g: u32, target: Target) {
    let Some(group) = groups.get_mut(g as usize) else { return };
    if group.count < 5 {
        group.first[group.count] = target;
    }
    group.count += 1;
}

/// Per VNet, for the Bastion stamped first: whether the Bastion's VirtualNetwork tag holds
/// the VNet's address space, and the Bastion-side bits shared by all its addresses.
type VnetSide = (u32, bool, Option<(u64, bool)>);

/// CAF-R5, §2 half: pairs whose path exists but an NSG drops the session, grouped by
/// (NSG, Bastion, direction), with the allow rules that would admit them.
fn caf_r5_pairs(index: &Index, net: &Net, analysis: &Analysis, out: &mut Vec<Finding>) {
    let design = index.design;
    // The reach pass's decisions (`NetData::nsg_decisions`): the ones asked here are mostly
    // among them.
    let mut cache = net.take_nsg_decisions();
    // The groups in the order found (sorted by key below), and what their pairs add to
    // them: one `Part` per (Bastion, shape), not per pair (10⁴ dropped pairs are a few
    // hundred shapes, and a group's texts need only its distinct rules, subnets and ports).
    let mut groups: Vec<Group> = Vec::new();
    let mut parts: Vec<(usize, Part)> = Vec::new();
    // The groups of the current Bastion, by NSG and direction (`join_group`).
    let mut of_nsg: Vec<[(u32, u32); 2]> = vec![[(0, 0); 2]; design.nsgs.len()];
    // What decides a VM's NSG verdicts whoever the Bastion (computed once per VM, `NONE`
    // without a shape), the shapes by id, and per shape the group its pairs join for the
    // current Bastion (stamped with the Bastion, so nothing is cleared between Bastions).
    const NONE: u32 = NO_GROUP;
    let mut vm_shape: Vec<Option<u32>> = vec![None; design.vms.len()];
    // The shapes of each VNet (a handful, searched in order rather than hashed).
    let mut vnet_shapes: Vec<Vec<u32>> = vec![Vec::new(); design.vnets.len()];
    let mut shapes: Vec<TargetShape> = Vec::new();
    let mut shape_group: Vec<(u32, u32)> = Vec::new();
    // Per VNet, for the current Bastion (stamped): whether its address space lies in the
    // Bastion's VirtualNetwork tag, and the Bastion-side bits when every address in it
    // gives the same (`reach::uniform_bits`): then the shape alone decides.
    let mut vnet_side: Vec<VnetSide> = vec![(0, false, None); design.vnets.len()];
    // Shapes whose Bastion-side bits differ by VM: per Bastion, by (shape, side bits).
    let mut keyed: super::fx::FxMap<(u32, u64, u8), u32> = super::fx::FxMap::default();
    let nsg_blocked = |r: &Option<RuleId>| matches!(r, Some(RuleId::RNsgIn | RuleId::RNsgOut));
    let vm_target = |vm: usize| {
        let (subnet_nsg, nic_nsg) = vm_nsgs(net, vm);
        NsgTarget {
            name: &design.vms[vm].name,
            ip: index.vm_facts[vm].ip,
            port: index.vm_facts[vm].port,
            vnet: index.vm_location(vm).map(|(v, _)| v),
            subnet_nsg,
            nic_nsg,
        }
    };
    for (b, reach) in analysis.reach.iter().enumerate() {
        let ctx = BastionCtx::new(net, b);
        let stamp = b as u32 + 1;
        keyed.clear();
        // The VirtualNetwork tag of the Bastion's VNet, for its outbound NSG rules.
        let bastion_view = ctx.vnet.map(|bv| net.tag_view(bv));
        let mut join = |groups: &mut Vec<Group>, denial: Denial, destination: Cidr, port: u16| {
            join_group(groups, &mut parts, &mut of_nsg, b, denial, destination, port)
        };
        for &(vm, _) in reach.vm_blockers.iter().filter(|(_, r)| nsg_blocked(r)) {
            let vm = vm as usize;
            let shape = *vm_shape[vm].get_or_insert_with(|| {
                let subnet = index.vm_location(vm).map_or(0, |(_, s)| s);
                let Some(shape) = TargetShape::of(net, vm_target(vm), subnet) else { return NONE };
                let known = &mut vnet_shapes[shape.vnet];
                match known.iter().find(|&&id| shapes[id as usize] == shape) {
                    Some(&id) => id,
                    None => {
                        shapes.push(shape);
                        shape_group.push((0, NONE));
                        known.push(shapes.len() as u32 - 1);
                        shapes.len() as u32 - 1
                    }
                }
            });
            // The usual pair: its shape already decided for this Bastion.
            if let Some(&(at, g)) = shape_group.get(shape as usize) {
                if at == stamp {
                    count_pair(&mut groups, g, Target::Vm(vm));
                    continue;
                }
            }
            // The VM's facts, not the VM: 10⁴ dropped pairs, each VM 240 bytes out of cache.
            let (ip, port) = (index.vm_facts[vm].ip, index.vm_facts[vm].port);
            let g = if shape == NONE {
                let destination =
                    index.vm_location(vm).map_or(Cidr::host(ip), |(v, s)| design.vnets[v].subnets[s].prefix);
                join(&mut groups, first_nsg_denial(&ctx, &mut cache, vm_target(vm), None), destination, port)
            } else {
                let s = shapes[shape as usize];
                let side = &mut vnet_side[s.vnet];
                if side.0 != stamp {
                    let tagged = bastion_view.as_ref().is_some_and(|view| space_tagged(net, view, s.vnet));
                    *side = (stamp, tagged, uniform_bits(&ctx, s.vnet, tagged));
                }
                let (tagged, uniform) = (side.1, side.2);
                let destination = design.vnets[s.vnet].subnets[s.subnet].prefix;
                // The address bits of the decisions (`NsgCache::decide`): the inbound
                // ones are the shape's, the outbound ones the VNet's or the VM's.
                let tag = s.class & 1 == 1;
                let known = |outbound: (u64, bool)| Some([outbound, (s.masks[0], tag), (s.masks[1], tag)]);
                match uniform.filter(|_| s.class & 0b100 != 0) {
                    Some(outbound) => {
                        // Every address of the VNet has the same Bastion-side bits: the shape
                        // decides for this Bastion.
                        if shape_group[shape as usize].0 != stamp {
                            let denial = first_nsg_denial(&ctx, &mut cache, vm_target(vm), known(outbound));
                            shape_group[shape as usize] = (stamp, join(&mut groups, denial, destination, port));
                        }
                        shape_group[shape as usize].1
                    }
                    None => match bastion_side(&ctx, bastion_view.as_ref(), tagged, vm_target(vm)) {
                        Some((mask, class)) => match keyed.get(&(shape, mask, class)) {
                            Some(&g) => g,
                            None => {
                                let denial =
                                    first_nsg_denial(&ctx, &mut cache, vm_target(vm), known((mask, class & 1 == 1)));
                                let g = join(&mut groups, denial, destination, port);
                                keyed.insert((shape, mask, class), g);
                                g
                            }
                        },
                        None => {
                            let denial = first_nsg_denial(&ctx, &mut cache, vm_target(vm), None);
                            join(&mut groups, denial, destination, port)
                        }
                    },
                }
            };
            count_pair(&mut groups, g, Target::Vm(vm));
        }
        for (m, _) in reach.machine_blockers.iter().enumerate().filter(|(_, r)| nsg_blocked(r)) {
            let def = &design.onprem_machines[m];
            let (ip, port) = (def.ip, def.service_port());
            let target = NsgTarget { name: &def.name, ip, port, vnet: None, subnet_nsg: None, nic_nsg: None };
            let g = join(&mut groups, first_nsg_denial(&ctx, &mut cache, target, None), Cidr::host(ip), port);
            count_pair(&mut groups, g, Target::Machine(m));
        }
    }
    net.put_nsg_decisions(cache);
    // Groups arrive NSG by NSG; the groups of one NSG (one per Bastion and direction) share
    // most of their words, and the page shows one finding per NSG: each NSG's groups are
    // written into one finding here (what `merge_same_resource` would make of them).
    let mut shared = NsgTexts::default();
    // Scratch lists of one group, kept across groups (10³ groups).
    let (mut decisions, mut used): (Vec<NsgDecision>, Vec<u32>) = (Vec::new(), Vec::new());
    let mut texts: Vec<(String, String, NsgRule, bool)> = Vec::new();
    let mut per_bastion: Vec<Option<(String, String)>> = vec![None; design.bastions.len()];
    let mut last_nsg = usize::MAX;
    // Each group's parts in one run, in the order found.
    let runs = Lists::from_pairs(groups.len(), &parts);
    // By (NSG, Bastion, direction). The groups were made Bastion by Bastion, so counting
    // them out by NSG (in the order made) leaves each NSG's in Bastion order; only a
    // Bastion's two directions on one NSG may still need a swap.
    let mut start = vec![0usize; design.nsgs.len() + 1];
    for group in &groups {
        start[group.key.0 + 1] += 1;
    }
    for n in 0..design.nsgs.len() {
        start[n + 1] += start[n];
    }
    let mut order = vec![0usize; groups.len()];
    for (g, group) in groups.iter().enumerate() {
        order[start[group.key.0]] = g;
        start[group.key.0] += 1;
    }
    for k in 1..order.len() {
        let (a, b) = (groups[order[k - 1]].key, groups[order[k]].key);
        if a.0 == b.0 && a.1 == b.1 && a.2 && !b.2 {
            order.swap(k - 1, k);
        }
    }
    for g in order {
        let group = &groups[g];
        let ((nsg, b, inbound), source) = (group.key, group.source);
        let group_parts = &runs[g];
        if nsg != last_nsg {
            flush_caf_r5(design, last_nsg, &mut texts, out);
            shared.reset();
            last_nsg = nsg;
        }
        let nsg_def = &design.nsgs[nsg];
        let bastion = design.bastions[b].name.as_str();
        let (tag, source_text) = &*per_bastion[b].get_or_insert_with(|| (sanitize(bastion), source.to_string()));
        let direction = if inbound { Direction::Inbound } else { Direction::Outbound };
        let dir = if inbound { "inbound" } else { "outbound" };
        // "<nsg> drops <dir> sessions from <bastion> (<source>) to <five targets> and N more:
        // decided by <rules>.": the part after the source is the same for every Bastion the
        // NSG drops the same targets of.
        // A group's 10¹–10³ targets share a handful of deciding rules: kept once as found,
        // then sorted.
        decisions.clear();
        for x in group_parts {
            if !decisions.contains(&x.decision) {
                decisions.push(x.decision);
            }
        }
        crate::util::sort_by_key(&mut decisions, |d| (d.nsg, d.priority, d.rule));
        let tail = shared.tail(design, &index.vm_facts, &group.first[..group.count.min(5)], group.count, &decisions);
        let message =
            concat(&[&nsg_def.name, " drops ", dir, " sessions from ", bastion, " (", source_text, ")", tail]);
        // One allow rule (rules.md §5: the targets' subnets admit 22/3389 from the Bastion's
        // subnet): the Bastion's session source to the subnets of the blocked targets (an
        // on-premises machine's own address), every blocked port, above the lowest-numbered
        // deny that decided. Not one address per target: 10⁴ of them in a large estate.
        let below = decisions.iter().filter(|d| !d.is_default()).map(|d| d.priority).min().unwrap_or(4097);
        let taken = &mut shared.taken[usize::from(!inbound)];
        used.clear();
        used.extend(nsg_def.rules.iter().filter(|r| r.direction == direction).map(|r| r.priority));
        used.extend_from_slice(taken);
        // No free number above the deny (a deny at 100): the allow would sit below it and
        // change nothing, so the finding says to move the deny and offers no one-click rule.
        let above = free_priority_above(&used, below);
        let placed = above.is_some();
        let priority = above.unwrap_or_else(|| free_priority(&used, below));
        taken.push(priority);
        let (scope, fresh) = shared.scope(group_parts);
        let mut base = String::with_capacity(32);
        base.push_str("Allow");
        base.push_str(tag);
        base.push_str(if inbound { "In" } else { "Out" });
        base.push_str(&scope.ports_dashed);
        // The base name unless the NSG has a rule of that name (then the first free "-n").
        let taken_name = |name: &str| nsg_def.rules.iter().any(|r| r.name.eq_ignore_ascii_case(name));
        let name = if taken_name(&base) {
            (2..).map(|n| format!("{base}-{n}")).find(|name| !taken_name(name)).unwrap_or_default()
        } else {
            base
        };
        let fix = concat(&[
            "Allow ",
            dir,
            " TCP ",
            &scope.ports_listed,
            " from ",
            source_text,
            " (the whole source of ",
            bastion,
            "'s sessions) to ",
            &scope.destinations_text,
            " in ",
            &nsg_def.name,
            if placed {
                ", above the deny."
            } else {
                ", above the deny; no priority above it is free, so move or narrow that deny first."
            },
        ]);
        // The rule owns its lists: a scope made for this group gives them up (cloning
        // each group's strings was ~1 M instructions); a scope kept from the previous
        // group is that group's rule's, the last one written.
        let (destinations, destination_ports) = match texts.last() {
            Some((_, _, previous, _)) if !fresh => (previous.destinations.clone(), previous.destination_ports.clone()),
            _ => shared.take_scope_lists(),
        };
        let rule = NsgRule {
            name,
            priority,
            direction,
            access: Access::Allow,
            protocol: Protocol::Tcp,
            sources: vec![source_text.clone()],
            destinations,
            destination_ports,
        };
        texts.push((message, fix, rule, placed));
    }
    flush_caf_r5(design, last_nsg, &mut texts, out);
}

/// Where a CAF-R5 allow rule admits sessions: its destinations and ports as the rule lists
/// them, and as texts (destinations and ports listed for the fix, ports dashed for the name).
#[derive(Clone, Default)]
struct RuleScope {
    destinations: Vec<String>,
    destinations_text: String,
    ports: Vec<String>,
    ports_dashed: String,
    ports_listed: String,
}

/// What the CAF-R5 groups of one NSG share, computed once per NSG.
#[derive(Default)]
struct NsgTexts {
    /// Each deciding rule, quoted once (10⁴ targets share a handful of rules).
    quotes: Vec<(NsgDecision, String)>,
    /// The quotes of the tail at hand, as positions in `quotes` (kept for its room).
    order: Vec<usize>,
    /// The last message tail: its first five targets, target count and deciding rules.
    tail_key: (Vec<(Target, u16)>, usize, Vec<NsgDecision>),
    tail: String,
    /// The last rule scope: destinations and ports, with their texts.
    scope_key: (Vec<Cidr>, Vec<u16>),
    /// The scope of the group at hand, compared with `scope_key` (kept for its room).
    scope_next: (Vec<Cidr>, Vec<u16>),
    scope_text: RuleScope,
    /// Priorities the fixes of earlier groups took, per direction (inbound, outbound):
    /// merged into one finding, their rules must not share a priority.
    taken: [Vec<u32>; 2],
}

impl NsgTexts {
    /// Forgets the last NSG's texts (as a new one would), keeping the lists' room.
    fn reset(&mut self) {
        self.quotes.clear();
        self.tail_key.0.clear();
        self.tail_key.1 = 0;
        self.tail_key.2.clear();
        self.scope_key.0.clear();
        self.scope_key.1.clear();
        self.taken.iter_mut().for_each(Vec::clear);
    }

    /// " to <five targets> and N more: decided by <rules>."
    fn tail(
        &mut self,
        design: &crate::model::Design,
        facts: &[super::index::VmFacts],
        first: &[Target],
        count: usize,
        decisions: &[NsgDecision],
    ) -> &str {
        // Each target's address and port, as the session to it uses them.
        // A VM's from its facts (`VmFacts`: the same address and port), not from the VM.
        let listed = first.iter().map(|&target| match target {
            Target::Vm(vm) => (target, facts[vm].ip, facts[vm].port),
            Target::Machine(m) => {
                let machine = &design.onprem_machines[m];
                (target, machine.ip, machine.service_port())
            }
        });
        let first = listed.clone().map(|(target, _, port)| (target, port));
        if self.tail_key.1 == count && self.tail_key.2 == decisions && self.tail_key.0.iter().copied().eq(first.clone())
        {
            return &self.tail;
        }
        // The tail is written into the last one's room, its quotes taken from `quotes` in
        // text order: no list or string made per group (10³ groups).
        let (quotes, order, tail) = (&mut self.quotes, &mut self.order, &mut self.tail);
        order.clear();
        for d in decisions {
            match quotes.iter().position(|(known, _)| known == d) {
                Some(k) => order.push(k),
                None => {
                    quotes.push((*d, d.quote(design)));
                    order.push(quotes.len() - 1);
                }
            }
        }
        crate::util::sort_by(order, |&a, &b| quotes[a].1.cmp(&quotes[b].1));
        order.dedup_by(|a, b| quotes[*a].1 == quotes[*b].1);
        tail.clear();
        tail.push_str(" to ");
        for (n, (target, ip, port)) in listed.enumerate() {
            tail.push_str(if n == 0 { "" } else { ", " });
            tail.push_str(target.name(design));
            tail.push_str(" (");
            push_ipv4(tail, ip);
            tail.push(':');
            push_decimal(tail, u32::from(port));
            tail.push(')');
        }
        if count > 5 {
            let _ = write!(tail, " and {} more", count - 5);
        }
        tail.push_str(": decided by ");
        for (n, &k) in order.iter().enumerate() {
            tail.push_str(if n == 0 { "" } else { ", " });
            tail.push_str(&quotes[k].1);
        }
        tail.push('.');
        self.tail_key.0.clear();
        self.tail_key.0.extend(first);
        self.tail_key.1 = count;
        self.tail_key.2.clear();
        self.tail_key.2.extend_from_slice(decisions);
        &self.tail
    }

    /// The allow rule's destinations (sorted prefixes) and ports (ascending), as the rule
    /// lists them and as the fix sentence names them.
    /// Also answers whether the scope was made for this group (false: the previous group's
    /// scope, kept).
    fn scope(&mut self, blocked: &[Part]) -> (&RuleScope, bool) {
        // A subnet's parts mostly come in runs and the ports are one or two: repeats are
        // skipped as found, before sorting.
        let (destinations, ports) = (&mut self.scope_next.0, &mut self.scope_next.1);
        destinations.clear();
        ports.clear();
        for x in blocked {
            if destinations.last() != Some(&x.destination) {
                destinations.push(x.destination);
            }
            if !ports.contains(&x.port) {
                ports.push(x.port);
            }
        }
        crate::util::sort(destinations);
        destinations.dedup();
        crate::util::sort(ports);
        let fresh = self.scope_key.0 != *destinations || self.scope_key.1 != *ports || self.scope_key.1.is_empty();
        if fresh {
            let texts: Vec<String> = destinations.iter().map(|c| cidr_text(*c)).collect();
            let joined = texts.join(", ");
            let port_texts: Vec<String> = ports.iter().map(u16::to_string).collect();
            let (dashed, listed) = (port_texts.join("-"), port_texts.join(", "));
            self.scope_text = RuleScope {
                destinations: texts,
                destinations_text: joined,
                ports: port_texts,
                ports_dashed: dashed,
                ports_listed: listed,
            };
            std::mem::swap(&mut self.scope_key, &mut self.scope_next);
        }
        (&self.scope_text, fresh)
    }

    /// The rule lists of a fresh scope, handed over to its rule (the texts stay).
    fn take_scope_lists(&mut self) -> (Vec<String>, Vec<String>) {
        (std::mem::take(&mut self.scope_text.destinations), std::mem::take(&mut self.scope_text.ports))
    }
}

/// One CAF-R5 finding for an NSG's groups: their messages in text order, as the findings
/// are sorted, then merged one after the other (equal texts once; rules by name once).
fn flush_caf_r5(
    design: &crate::model::Design,
    nsg: usize,
    parts: &mut Vec<(String, String, NsgRule, bool)>,
    out: &mut Vec<Finding>,
) {
    if parts.is_empty() {
        return;
    }
    crate::util::sort_by(parts, |a, b| a.0.cmp(&b.0));
    let mut message = String::with_capacity(parts.iter().map(|p| p.0.len() + 1).sum());
    let mut fix = String::with_capacity(parts.iter().map(|p| p.1.len() + 1).sum());
    let mut fixes: Vec<usize> = Vec::new();
    let mut rules: Vec<NsgRule> = Vec::new();
    for n in 0..parts.len() {
        // Sorted: an equal message is the previous one.
        if n == 0 || parts[n].0 != parts[n - 1].0 {
            if n > 0 {
                message.push(' ');
            }
            message.push_str(&parts[n].0);
        }
        if !parts[n].1.is_empty() && !fixes.iter().any(|&k| parts[k].1 == parts[n].1) {
            if !fix.is_empty() {
                fix.push(' ');
            }
            fix.push_str(&parts[n].1);
            fixes.push(n);
        }
    }
    // One rule that has no place above its deny: adding the others would not heal the NSG.
    let mut placeable = true;
    for (_, _, rule, placed) in parts.drain(..) {
        placeable &= placed;
        if !rules.iter().any(|r| r.name == rule.name) {
            rules.push(rule);
        }
    }
    let name = &design.nsgs[nsg].name;
    let mut f = finding(RuleId::CafR5, Severity::Error, name, message, fix);
    f.fix_action = placeable.then(|| FixAction::AddNsgRules { nsg: name.clone(), rules });
    out.push(f);
}

/// A prefix as NSG rules write it: a single address without its /32.
fn cidr_text(c: Cidr) -> String {
    let mut text = String::with_capacity(18);
    if c.len == 32 {
        push_ipv4(&mut text, Ipv4(c.network()));
    } else {
        // As `Cidr`'s `Display`: the address as written, then the length.
        push_ipv4(&mut text, Ipv4(c.addr));
        text.push('/');
        push_decimal(&mut text, u32::from(c.len));
    }
    text
}

/// `n` in decimal, appended without the formatting machinery (10³ groups quote five
/// targets each: `write!` cost ~700 instructions a target).
fn push_decimal(text: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let at = decimal_into(&mut digits, n);
    text.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// The digits of `n` at the end of `buf`; answers where they start.
fn decimal_into(buf: &mut [u8], mut n: u32) -> usize {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 || at == 0 {
            return at;
        }
    }
}

/// An address as `Ipv4`'s `Display` writes it, appended in one piece.
fn push_ipv4(text: &mut String, ip: Ipv4) {
    text.push_str(ip.text(&mut [0u8; 15]));
}

fn sanitize(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// CAF-R10: VMs with a public IP (warning), an error when nothing filters it or its
/// effective NSGs admit its remote-access port from Internet or `*`.
fn caf_r10(index: &Index, net: &Net, out: &mut Vec<Finding>) {
    let design = index.design;
    // Most VMs have no public IP: their facts say so without reading the VM.
    for vm in (0..design.vms.len()).filter(|&vm| index.vm_facts[vm].public_ip()) {
        let def = &design.vms[vm];
        let Some(pip) = def.nic.public_ip.as_deref() else {
            continue;
        };
        let port = def.service_port();
        let (subnet_nsg, nic_nsg) = vm_nsgs(net, vm);
        let vnet = index.vm_location(vm).map(|(v, _)| v);
        let fix = concat(&["Remove public IP ", pip, " from ", &def.name, " and connect through Azure Bastion."]);
        let (severity, message) = match (subnet_nsg, nic_nsg, vnet) {
            (None, None, _) | (_, _, None) => (
                Severity::Error,
                format!(
                    "{} has public IP {pip} and no NSG protects it: port {port} is open to the Internet.",
                    def.name
                ),
            ),
            (_, _, Some(v)) => {
                let view = net.tag_view(v);
                let flow = Flow {
                    direction: Direction::Inbound,
                    source: AddressPrefix::Tag(ServiceTag::Internet),
                    destination: AddressPrefix::Prefix(Cidr::host(def.nic.private_ip)),
                    port,
                };
                let decisions: Vec<NsgDecision> = [subnet_nsg, nic_nsg]
                    .into_iter()
                    .flatten()
                    .map(|nsg| nsg_eval::evaluate(index, nsg, &view, &flow, SourceMatch::Contain))
                    .collect();
                if decisions.iter().all(|d| d.allowed()) {
                    let quotes: Vec<String> = decisions.iter().map(|d| d.quote(design)).collect();
                    (
                        Severity::Error,
                        format!(
                            "{} has public IP {pip} and {} admits TCP {port} from the Internet.",
                            def.name,
                            quotes.join(" and ")
                        ),
                    )
                } else {
                    (
                        Severity::Warning,
                        format!(
                            "{} has public IP {pip}; its NSGs do not admit port {port} from the Internet, but remote access should go through Bastion, not a VM's public IP.",
                            def.name
                        ),
                    )
                }
            }
        };
        let mut f = finding(RuleId::CafR10, severity, &def.name, message, fix);
        f.fix_action = Some(FixAction::RemovePublicIp { vm: def.name.clone() });
        out.push(f);
    }
}

/// JIT-1 (a JIT policy needs an NSG or an Azure Firewall) and JIT-2 (not behind a
/// Firewall Manager–controlled firewall).
fn jit(index: &Index, net: &Net, out: &mut Vec<Finding>) {
    for vm in (0..index.design.vms.len()).filter(|&vm| index.vm_facts[vm].jit_policy()) {
        // 10³ JIT VMs, most raising nothing: their facts decide without reading the VM.
        let facts = index.vm_facts[vm];
        let (subnet_nsg, nic_nsg) = vm_nsgs(net, vm);
        let no_nsg = subnet_nsg.is_none() && nic_nsg.is_none();
        if !no_nsg && !facts.firewall_manager() {
            continue;
        }
        let def = &index.design.vms[vm];
        // A Firewall Manager–controlled firewall is an Azure Firewall in front of the VM:
        // JIT cannot drive it (JIT-2), but the VM is not unprotected (JIT-1).
        if no_nsg && !def.azure_firewall_protected && !facts.firewall_manager() {
            out.push(finding(
                RuleId::Jit1,
                Severity::Error,
                &def.name,
                format!("{} has a JIT policy but no NSG and no Azure Firewall in front of it: JIT has nothing to open or close, and the VM shows as Unsupported.", def.name),
                format!("Attach an NSG to {}'s NIC or subnet (or protect it with an Azure Firewall in its VNet).", def.name),
            ));
        }
        if facts.firewall_manager() {
            out.push(finding(
                RuleId::Jit2,
                Severity::Warning,
                &def.name,
                format!("{} has a JIT policy but sits behind an Azure Firewall managed by Firewall Manager, which JIT does not support.", def.name),
                format!("Drive JIT for {} through an NSG, or grant access with the Firewall Manager policy instead of JIT.", def.name),
            ));
        }
    }
}

/// CONSOLIDATE-HUB: two or more dedicated Bastions whose reachable VNets all lie within
/// one VNet and its directly peered VNets, where a single Bastion could serve them.
/// One hub that could absorb several Bastions (CONSOLIDATE-HUB), with the monthly cost
/// (rules.md §7, data excluded) now and after, from the design's price table.
pub(crate) struct HubConsolidation {
    pub hub: usize,
    pub bastions: Vec<usize>,
    /// The one Bastion kept: its SKU, its instances, and the features it needs on.
    pub sku: BastionSku,
    pub instances: u32,
    pub features: Vec<&'static str>,
    pub monthly_now: f64,
    pub monthly_after: f64,
}

/// The feature toggles of a Bastion that the one replacing it must have on too, by name.
fn features_on(bastion: &BastionHost) -> impl Iterator<Item = &'static str> + '_ {
    let f = &bastion.features;
    [
        (f.ip_connect, "IP-based connection"),
        (f.native_client, "native client"),
        (f.shareable_link, "shareable links"),
        (f.file_copy, "file copy"),
        (f.kerberos, "Kerberos"),
        (f.session_recording, "session recording"),
        (f.disable_copy_paste, "copy/paste disabled"),
        (f.private_only, "private-only"),
    ]
    .into_iter()
    .filter(|it| it.0)
    .map(|it| it.1)
}

/// The CONSOLIDATE-HUB groups: hubs (largest group first) whose one Bastion could serve
/// the healthy dedicated Bastions that reach only it and VNets peered directly with it.
/// A healthy Bastion already in the hub stays there whatever else it serves, so it joins
/// its own hub's group; Bastions join a group only with those of the same access mode
/// (private-only or public: one Bastion cannot be both), and a hub where a new Bastion
/// would fail its VNet's health checks (B-HEALTH-6, B-HEALTH-7) takes none.
pub(crate) fn hub_consolidations(index: &Index, net: &Net, analysis: &Analysis) -> Vec<HubConsolidation> {
    let mut found = Vec::new();
    let design = index.design;
    let n = design.vnets.len();
    let covers = |hub: usize, v: usize| v == hub || (index.peering_usable(hub, v) && net.same_tenant(hub, v));
    // Bastions that could move (dedicated, healthy, serving only Same/Peer VNets), by
    // (hub, private-only); and the healthy dedicated Bastions in each VNet, which stay.
    let mut candidates: BTreeMap<(usize, bool), Vec<usize>> = BTreeMap::new();
    for (b, reach) in analysis.reach.iter().enumerate() {
        let bastion = &design.bastions[b];
        let Some(bv) = index.bastion_vnet.get(b).copied().flatten() else {
            continue;
        };
        if !bastion.sku.is_dedicated() || analysis.health.get(b).is_none_or(|h| h.blocker.is_some()) {
            continue;
        }
        let mode = bastion.features.private_only;
        // What it serves, in one pass that stops at a VNet served by another path.
        // (A plain loop over the 10³ paths of each of 10² Bastions: most are blocked.)
        let mut served: Vec<usize> = Vec::new();
        let mut other_path = false;
        let paths = &reach.vnet_paths[..n.min(reach.vnet_paths.len())];
        for (v, path) in paths.iter().enumerate() {
            if path.blocker.is_some() {
                continue;
            }
            if !matches!(path.kind, PathKind::Same | PathKind::Peer) {
                other_path = true;
                break;
            }
            served.push(v);
        }
        if other_path || reach.machine_blockers.iter().any(|m| m.is_none()) {
            // It cannot move, but it can absorb the Bastions around it where it is.
            candidates.entry((bv, mode)).or_default().push(b);
            continue;
        }
        let mut hubs: Vec<usize> = std::iter::once(bv).chain(net.peers(bv)).collect();
        crate::util::sort(&mut hubs);
        hubs.dedup();
        for hub in hubs {
            if served.iter().all(|&v| covers(hub, v)) {
                candidates.entry((hub, mode)).or_default().push(b);
            }
        }
    }
    // A hub hosting one of them passed these checks already; another needs a new Bastion.
    candidates.retain(|&(hub, _), bs| {
        bs.iter().any(|&b| index.bastion_vnet[b] == Some(hub)) || super::health::vnet_can_host_bastion(net, hub)
    });
    let prices = design.prices();
    let mut taken = vec![false; design.bastions.len()];
    loop {
        // The hub that absorbs the most remaining Bastions; ties go to a hub that already
        // hosts one of them, then to the first VNet.
        let best = candidates
            .iter()
            .map(|(&(hub, mode), bs)| {
                let group: Vec<usize> = bs.iter().copied().filter(|&b| !taken[b]).collect();
                let hosts = group.iter().any(|&b| index.bastion_vnet[b] == Some(hub));
                (group.len(), hosts, std::cmp::Reverse((hub, mode)), group)
            })
            .filter(|it| it.0 >= 2)
            .max_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let Some((_, _, std::cmp::Reverse((hub, _)), group)) = best else {
            break;
        };
        for &b in &group {
            taken[b] = true;
        }
        // The one kept: the highest SKU of the group, as many instances as the largest of
        // them runs or as their expected sessions together need (SKU-CAPACITY), every
        // feature any of them has on.
        let mut sku = group.iter().map(|&b| design.bastions[b].sku).max().unwrap_or(BastionSku::Basic);
        let (rdp, ssh) = group.iter().fold((0u32, 0u32), |(rdp, ssh), &b| {
            let it = &design.bastions[b];
            (
                rdp.saturating_add(it.expected_rdp_sessions.unwrap_or(0)),
                ssh.saturating_add(it.expected_ssh_sessions.unwrap_or(0)),
            )
        });
        let largest = group.iter().map(|&b| billed_instances(&design.bastions[b])).max().unwrap_or(2);
        let instances = largest.max(super::sku::instances_for(rdp, ssh));
        if instances > 50 {
            // More than one Bastion carries: not a consolidation.
            continue;
        }
        if instances > 2 && sku == BastionSku::Basic {
            sku = BastionSku::Standard;
        }
        let mut features: Vec<&'static str> = Vec::new();
        for &b in &group {
            for feature in features_on(&design.bastions[b]) {
                if !features.contains(&feature) {
                    features.push(feature);
                }
            }
        }
        let monthly = |sku: BastionSku, instances: u32| {
            let (base, extra) = monthly_base(&prices, sku, instances);
            base + extra
        };
        let now: f64 =
            group.iter().map(|&b| monthly(design.bastions[b].sku, billed_instances(&design.bastions[b]))).sum();
        let after = monthly(sku, instances);
        if now - after <= 0.0 {
            continue;
        }
        found.push(HubConsolidation {
            hub,
            bastions: group,
            sku,
            instances,
            features,
            monthly_now: now,
            monthly_after: after,
        });
    }
    found
}

fn consolidate_hub(index: &Index, net: &Net, analysis: &Analysis, out: &mut Vec<Finding>) {
    let design = index.design;
    let prices = design.prices();
    for c in hub_consolidations(index, net, analysis) {
        let saving = c.monthly_now - c.monthly_after;
        let hub_name = design.vnets[c.hub].name.as_str();
        let kept = c.bastions.iter().copied().find(|&b| index.bastion_vnet[b] == Some(c.hub));
        let gone: Vec<&str> =
            c.bastions.iter().filter(|&&b| Some(b) != kept).map(|&b| design.bastions[b].name.as_str()).collect();
        // "one Standard Bastion in hub (6 instances, with IP-based connection on)", or the
        // Bastion already there "(Standard, …)": what the one kept must be.
        let mut details: Vec<String> = Vec::new();
        if c.instances > 2 {
            details.push(format!("{} instances", c.instances));
        }
        if !c.features.is_empty() {
            details.push(format!("with {} on", c.features.join(", ")));
        }
        let one = match kept {
            Some(b) => {
                details.insert(0, c.sku.name().to_string());
                format!("{} in {hub_name} ({})", design.bastions[b].name, details.join(", "))
            }
            None if details.is_empty() => format!("one {} Bastion in {hub_name}", c.sku.name()),
            None => format!("one {} Bastion in {hub_name} ({})", c.sku.name(), details.join(", ")),
        };
        out.push(finding(
            RuleId::ConsolidateHub,
            Severity::Info,
            hub_name,
            format!(
                "{} reach only {hub_name} and VNets peered directly with it: {one} could serve them all, saving about {} {:.2} a month (approximate {} list prices of {}, not a quote).",
                gone.join(", "),
                prices.currency,
                saving,
                prices.region,
                prices.date
            ),
            format!("Keep {one}, with Reader on {hub_name} for its users, and delete {}.", gone.join(", ")),
        ));
    }
}

/// CONSOLIDATE-UNREACHED: VNets holding VMs that no Bastion reaches.
fn consolidate_unreached(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let design = index.design;
    if design.bastions.is_empty() {
        return;
    }
    // A VM is reached when some Bastion's verdict for it is Reachable; those verdicts are
    // exactly the `None` entries of the per-VM blockers.
    let mut reached = vec![false; design.vms.len()];
    for reach in &analysis.reach {
        for &(vm, blocker) in &reach.vm_blockers {
            if blocker.is_none() {
                if let Some(flag) = reached.get_mut(vm as usize) {
                    *flag = true;
                }
            }
        }
    }
    for (v, vms) in index.vms_by_vnet.iter().enumerate() {
        if vms.is_empty() {
            continue;
        }
        let unreached: Vec<usize> = vms.iter().copied().filter(|&vm| !reached[vm]).collect();
        if unreached.is_empty() {
            continue;
        }
        let vnet = design.vnets[v].name.as_str();
        // "No Bastion reaches <n> of the <m> VMs in <vnet>: <five names> and <k> more.",
        // written in place (272 such VNets in the enterprise estate).
        let mut message = String::with_capacity(128 + 24 * unreached.len().min(5));
        let _ = write!(message, "No Bastion reaches {} of the {} VMs in {vnet}: ", unreached.len(), vms.len());
        for (n, &vm) in unreached.iter().take(5).enumerate() {
            message.push_str(if n == 0 { "" } else { ", " });
            message.push_str(&design.vms[vm].name);
        }
        if unreached.len() > 5 {
            let _ = write!(message, " and {} more", unreached.len() - 5);
        }
        message.push('.');
        // What to do depends on why the nearest Bastion misses them: a Bastion with a path
        // that something else blocks (its health, an NSG, its SKU) first; else one that a
        // direct peering (new or repaired) would bring in reach.
        let paths = |b: usize| analysis.reach[b].vnet_paths[v];
        let with_path = (0..analysis.reach.len()).find(|&b| {
            matches!(paths(b).kind, PathKind::Same | PathKind::Peer | PathKind::Vwan) && {
                let blocker = paths(b).blocker;
                blocker != Some(RuleId::RPeer) || index.peering_usable(index.bastion_vnet[b].unwrap_or(v), v)
            }
        });
        let near = (0..analysis.reach.len()).find(|&b| {
            index.bastion_vnet[b].is_some()
                && (paths(b).kind == PathKind::NonTransitive
                    || (paths(b).kind == PathKind::Peer && paths(b).blocker == Some(RuleId::RPeer)))
        });
        let mut fix_action = None;
        let fix = match (with_path, near) {
            (Some(b), _) => {
                let blocker =
                    paths(b).blocker.or_else(|| unreached.iter().find_map(|&vm| analysis.blocker(b, Target::Vm(vm))));
                format!(
                    "{} has a network path to {vnet} but {} blocks it: fix that (see the explanation of any of these VMs), or deploy a Bastion in {vnet}.",
                    design.bastions[b].name,
                    blocker.map(|r| r.as_str()).unwrap_or("a check")
                )
            }
            (None, Some(b)) => {
                let bv = index.bastion_vnet[b].unwrap_or(v);
                let hub = design.vnets[bv].name.as_str();
                if index.peering_state(bv, v) == Some(PeeringState::Initiated) {
                    let (from, to) = if index.link.contains_key(&(bv, v)) { (vnet, hub) } else { (hub, vnet) };
                    fix_action = Some(FixAction::CreatePeeringLink { from: from.to_string(), to: to.to_string() });
                }
                format!(
                    "Peer {vnet} directly with {hub}, where {} runs (or repair that peering), or deploy a Bastion in {vnet}.",
                    design.bastions[b].name
                )
            }
            (None, None) => {
                concat(&["Peer ", vnet, " with a VNet that has a Bastion, or deploy a Bastion in ", vnet, "."])
            }
        };
        let mut f = finding(RuleId::ConsolidateUnreached, Severity::Info, vnet, message, fix);
        f.fix_action = fix_action;
        out.push(f);
    }
}

/// PEER-GATEWAY-TRANSIT: a link that sets useRemoteGateways where transit cannot work.
fn peer_gateway_transit(index: &Index, net: &Net, out: &mut Vec<Finding>) {
    let design = index.design;
    for link in &design.peerings {
        if !link.use_remote_gateways {
            continue;
        }
        let (Some(&spoke), Some(&hub)) =
            (index.vnet_by_name.get(link.from.as_str()), index.vnet_by_name.get(link.to.as_str()))
        else {
            continue;
        };
        if net.transit[spoke].contains(&hub) {
            continue;
        }
        let mut reasons = Vec::new();
        let mut fixes = Vec::new();
        match index.peering_state(spoke, hub) {
            Some(PeeringState::Connected) => {}
            Some(state) => {
                reasons.push(format!("the peering is {state:?}"));
                fixes.push(format!("connect the peering (create the link {} → {})", link.to, link.from));
            }
            None => {}
        }
        let back = index.link.get(&(hub, spoke)).map(|&l| &design.peerings[l]);
        if back.is_some_and(|l| !l.allow_gateway_transit) {
            reasons.push(format!("the link from {} does not allow gateway transit", link.to));
            fixes.push(format!("turn on allowGatewayTransit on {}", back.map(|l| l.name.as_str()).unwrap_or("")));
        }
        if net.gateways[hub].is_empty() {
            reasons.push(format!("{} has no gateway", link.to));
            fixes.push(format!("deploy a VPN or ExpressRoute gateway in {}", link.to));
        }
        if !net.gateways[spoke].is_empty() {
            reasons.push(format!("{} has its own gateway", link.from));
            fixes.push(format!("turn off useRemoteGateways on {} (or remove {}'s gateway)", link.name, link.from));
        }
        out.push(finding(
            RuleId::PeerGatewayTransit,
            Severity::Warning,
            &link.name,
            format!(
                "Peering link {} ({} → {}) uses remote gateways, but {}: {} does not use {}'s gateway.",
                link.name,
                link.from,
                link.to,
                reasons.join(", and "),
                link.from,
                link.to
            ),
            {
                let mut text = fixes.join("; ");
                if let Some(first) = text.get(0..1) {
                    text = first.to_uppercase() + &text[1..];
                }
                format!("{text}.")
            },
        ));
    }
}
