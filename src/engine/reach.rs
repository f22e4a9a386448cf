//! Reachability of every (Bastion, target) pair: the VNet graph (petgraph), the path
//! rules (R-SAME, R-PEER, R-NONTRANSITIVE, R-VWAN, R-HYBRID, R-NOPATH), session capability
//! (R-IPCONNECT, R-PROTO, R-DEV-ONE) and the NSG filters (R-NSG-OUT, R-NSG-IN).
//!
//! Each check is written once, against a `Sink`: the fast path passes `FirstFail` (no
//! text is ever built, it stops at the first failure) and `explain` passes `Recorder`
//! (every check, with sentences). Same functions, so verdict and explanation agree. The
//! fast path checks one VM per shape of each VNet (`VnetShapes`): VMs with the same OS,
//! port, sign-in, NSGs and place in the NSGs' prefixes get the same verdict.

use super::fx::FxMap;
use super::graph::{KeyHasher, Net};
use super::nsg_eval::{self, Flow, NsgDecision, SourceMatch};
use super::{BastionHealth, BastionReach, Check, Index, Outcome, PathKind, RuleId, VnetPath};
use crate::model::nsg::AddressPrefix;
use crate::model::{default_port, BastionSku, Cidr, Direction, Ipv4, Os, PeeringState, BASTION_SUBNET};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The words of one check, built only when someone reads them.
pub(crate) struct Text {
    pub resource: String,
    pub found: String,
    pub fix: String,
}

fn text(resource: &str, found: String, fix: String) -> Text {
    Text { resource: resource.to_string(), found, fix }
}

/// Where checks report to.
pub(crate) trait Sink {
    /// True when further checks cannot change what this sink keeps.
    fn done(&self) -> bool;
    fn push(&mut self, rule: RuleId, outcome: Outcome, text: impl FnOnce() -> Text);
}

/// The fast path: keeps the first failing rule, never builds text.
pub(crate) struct FirstFail(pub Option<RuleId>);

impl Sink for FirstFail {
    fn done(&self) -> bool {
        self.0.is_some()
    }
    fn push(&mut self, rule: RuleId, outcome: Outcome, _text: impl FnOnce() -> Text) {
        if outcome == Outcome::Fail && self.0.is_none() {
            self.0 = Some(rule);
        }
    }
}

/// The explanation: keeps every check with its sentences.
pub(crate) struct Recorder(pub Vec<Check>);

impl Sink for Recorder {
    fn done(&self) -> bool {
        false
    }
    fn push(&mut self, rule: RuleId, outcome: Outcome, text: impl FnOnce() -> Text) {
        let t = text();
        self.0.push(Check { rule, resource: t.resource, found: t.found, outcome, fix: t.fix });
    }
}

/// What one Bastion brings to every pair it is part of.
pub(crate) struct BastionCtx<'n, 'a> {
    pub net: &'n Net<'a>,
    pub b: usize,
    pub vnet: Option<usize>,
    pub sku: BastionSku,
    /// Standard or Premium with IP-based connection on.
    pub ip_based: bool,
    /// Where sessions come from: the whole AzureBastionSubnet, or 168.63.129.16 (Developer).
    pub source: Option<Cidr>,
    /// The NSG on AzureBastionSubnet.
    pub subnet_nsg: Option<usize>,
    /// The VNets joined to the Bastion's VNet by a usable peering, ascending.
    pub peers: &'n [usize],
}

impl<'n, 'a> BastionCtx<'n, 'a> {
    pub fn new(net: &'n Net<'a>, b: usize) -> BastionCtx<'n, 'a> {
        let index = net.index;
        let design = index.design;
        let bastion = &design.bastions[b];
        let vnet = index.bastion_vnet.get(b).copied().flatten();
        let subnet = vnet.zip(index.bastion_subnet.get(b).copied().flatten()).map(|(v, s)| &design.vnets[v].subnets[s]);
        let dedicated = bastion.sku.is_dedicated();
        let source = if dedicated {
            subnet.map(|s| Cidr::new(s.prefix.network(), s.prefix.len))
        } else {
            Some(Cidr::host(Ipv4::AZURE_PLATFORM))
        };
        let subnet_nsg = if dedicated {
            subnet.and_then(|s| s.nsg.as_deref()).and_then(|n| index.nsg_by_name.get(n)).copied()
        } else {
            None
        };
        let peers = vnet.and_then(|v| net.peer_lists.get(v)).map(Vec::as_slice).unwrap_or(&[]);
        BastionCtx {
            net,
            b,
            vnet,
            sku: bastion.sku,
            ip_based: matches!(bastion.sku, BastionSku::Standard | BastionSku::Premium) && bastion.features.ip_connect,
            source,
            subnet_nsg,
            peers,
        }
    }

    /// `v` is joined to the Bastion's VNet by a usable peering.
    fn is_peer(&self, v: usize) -> bool {
        self.peers.binary_search(&v).is_ok()
    }

    /// `v` is reachable from the Bastion's VNet by some chain of usable peerings.
    fn chained(&self, v: usize) -> bool {
        self.vnet.is_some_and(|bv| self.net.component.get(bv) == self.net.component.get(v))
    }

    fn name(&self) -> &'a str {
        &self.net.index.design.bastions[self.b].name
    }

    fn vnet_name(&self) -> &'a str {
        match self.vnet {
            Some(v) => &self.net.index.design.vnets[v].name,
            None => "",
        }
    }

    fn ip_connect_fix(&self) -> String {
        let name = self.name();
        match self.sku {
            BastionSku::Standard | BastionSku::Premium => format!("Turn on IP-based connection on {name}."),
            _ => format!("Upgrade {name} to Standard and turn on IP-based connection."),
        }
    }
}

/// The network path from the Bastion's VNet to VNet `v` (rules.md §8 step 2), with the
/// SKU limits that belong to that path (Developer across a peering, IP-based connection
/// for Virtual WAN).
pub(crate) fn vnet_path<S: Sink>(ctx: &BastionCtx, v: usize, sink: &mut S) -> PathKind {
    let index = ctx.net.index;
    let design = index.design;
    let bname = ctx.name();
    let Some(bv) = ctx.vnet else {
        sink.push(RuleId::RNoPath, Outcome::Fail, || {
            text(
                bname,
                format!("{bname} is not deployed in a VNet, so no network path leaves it."),
                format!("Deploy {bname} in a VNet."),
            )
        });
        return PathKind::NoPath;
    };
    let target = design.vnets[v].name.as_str();
    let own = design.vnets[bv].name.as_str();
    if v == bv {
        sink.push(RuleId::RSame, Outcome::Pass, || {
            text(target, format!("The target is in {own}, the Bastion's own VNet."), String::new())
        });
        return PathKind::Same;
    }
    if ctx.is_peer(v) {
        if !ctx.net.same_tenant(bv, v) {
            sink.push(RuleId::RPeer, Outcome::Fail, || {
                let t_own = index.tenant_of(&design.vnets[bv].subscription);
                let t_target = index.tenant_of(&design.vnets[v].subscription);
                text(
                    target,
                    format!("{own} (tenant {t_own}) and {target} (tenant {t_target}) are peered across tenants; Azure Bastion does not support cross-tenant peering."),
                    format!("Deploy a Bastion in {target}, or in a VNet of tenant {t_target} peered directly with it."),
                )
            });
        } else if ctx.sku == BastionSku::Developer {
            sink.push(RuleId::RPeer, Outcome::Fail, || {
                text(
                    bname,
                    format!("{own} and {target} are peered (Connected), but the Developer SKU does not support peered VNets: {bname} reaches only VMs in {own}."),
                    format!("Upgrade {bname} to Basic or higher, or deploy a Bastion in {target}."),
                )
            });
        } else {
            sink.push(RuleId::RPeer, Outcome::Pass, || {
                text(
                    target,
                    format!("{own} and {target} are peered directly (Connected, VNet access allowed both ways)."),
                    String::new(),
                )
            });
        }
        return PathKind::Peer;
    }
    if ctx.net.same_wan(bv, v) {
        if ctx.ip_based {
            sink.push(RuleId::RVwan, Outcome::Pass, || {
                text(target, format!("{own} and {target} are connected to hubs of the same Virtual WAN; {bname} uses IP-based connection."), String::new())
            });
        } else {
            let sku = ctx.sku.name();
            sink.push(RuleId::RVwan, Outcome::Fail, || {
                text(
                    bname,
                    format!("{own} and {target} are connected to hubs of the same Virtual WAN, reachable only by IP-based connection, which {bname} ({sku}) does not have on."),
                    ctx.ip_connect_fix(),
                )
            });
        }
        return PathKind::Vwan;
    }
    // `linked` is sorted: a binary search spares hashing for VNets with no link at all.
    let linked = ctx.net.linked[bv].binary_search(&v).is_ok();
    if let Some(state) = if linked { index.peering_state(bv, v) } else { None } {
        sink.push(RuleId::RPeer, Outcome::Fail, || {
            let (found, fix) = broken_peering(index, bv, v, state);
            text(target, found, fix)
        });
        return PathKind::Peer;
    }
    if ctx.chained(v) {
        sink.push(RuleId::RNonTransitive, Outcome::Fail, || {
            let chain: Vec<&str> = ctx.net.peering_bfs(bv).chain(v).iter().map(|&i| design.vnets[i].name.as_str()).collect();
            let via = chain.get(chain.len().saturating_sub(2)).copied().unwrap_or(own);
            text(
                target,
                format!(
                    "{target} is reachable from {own} only through {} peering hops ({}); peering is not transitive and Bastion does not cross it.",
                    chain.len() - 1,
                    chain.join(" → ")
                ),
                // Two hops go through a hub; a longer chain's last VNet is only a neighbour.
                format!(
                    "Peer {own} and {target} directly, or put the Bastion in {}{via} (peered with {target}) or in {target} itself.",
                    if chain.len() == 3 { "the hub " } else { "" }
                ),
            )
        });
        return PathKind::NonTransitive;
    }
    sink.push(RuleId::RNoPath, Outcome::Fail, || {
        let other_wan = matches!((ctx.net.vnet_wan[bv], ctx.net.vnet_wan[v]), (Some(a), Some(b)) if a != b);
        let found = if other_wan {
            format!("{target} is connected to another Virtual WAN than {own}: no path joins them.")
        } else {
            format!("No usable peering chain, shared Virtual WAN or gateway route joins {own} and {target}.")
        };
        text(
            target,
            found,
            format!("Peer {target} with {own} (or with a VNet that has a Bastion), or deploy a Bastion in {target}."),
        )
    });
    PathKind::NoPath
}

fn broken_peering(index: &Index, a: usize, b: usize, state: PeeringState) -> (String, String) {
    let design = index.design;
    let (an, bn) = (design.vnets[a].name.as_str(), design.vnets[b].name.as_str());
    match state {
        PeeringState::Initiated => {
            let (from, to) = if index.link.contains_key(&(a, b)) { (an, bn) } else { (bn, an) };
            (
                format!("The peering between {an} and {bn} is Initiated: only the link {from} → {to} exists."),
                format!("Create the peering link from {to} to {from}."),
            )
        }
        PeeringState::Disconnected => (
            format!("The peering between {an} and {bn} is Disconnected: one of its links was deleted."),
            format!("Delete the remaining link and re-create the peering on both sides ({an} ↔ {bn})."),
        ),
        PeeringState::Connected => {
            let off: Vec<&str> = [(a, b), (b, a)]
                .iter()
                .filter_map(|k| index.link.get(k))
                .map(|&l| &design.peerings[l])
                .filter(|l| !l.allow_virtual_network_access)
                .map(|l| l.name.as_str())
                .collect();
            (
                format!(
                    "The peering between {an} and {bn} is Connected but {} does not allow VNet access.",
                    off.join(" and ")
                ),
                format!("Turn on allowVirtualNetworkAccess on {}.", off.join(" and ")),
            )
        }
    }
}

/// What the session checks need from a target.
#[derive(Clone, Copy)]
pub(crate) struct SessionTarget<'d> {
    /// Read only to write a text: the name's place, not its text read out of the VM, which
    /// the reach pass otherwise knows by its `VmFacts`.
    pub name: &'d String,
    pub os: Os,
    pub port: u16,
    /// Signs in with Microsoft Entra ID (never an on-premises machine).
    pub entra_id: bool,
}

/// Session capability (rules.md §8 step 3): R-IPCONNECT, R-PROTO, R-DEV-ONE.
pub(crate) fn session_checks<S: Sink>(ctx: &BastionCtx, kind: PathKind, target: SessionTarget, sink: &mut S) {
    let bname = ctx.name();
    let tname = target.name;
    let ip_based = matches!(kind, PathKind::Vwan | PathKind::Hybrid);
    match (ip_based, target.entra_id) {
        (true, true) => sink.push(RuleId::RIpConnect, Outcome::Fail, || {
            text(
                tname,
                format!("{tname} signs in with Entra ID, which is not possible over IP-based connection."),
                format!("Sign in to {tname} with a local account (SSH key or password), or reach it from a Bastion in its own or a directly peered VNet."),
            )
        }),
        (true, _) => sink.push(RuleId::RIpConnect, Outcome::Pass, || {
            text(tname, format!("{tname} is reached by IP-based connection with a local sign-in."), String::new())
        }),
        (false, _) => sink.push(RuleId::RIpConnect, Outcome::Skip, || {
            text(tname, "Not applicable: the session does not use IP-based connection.".to_string(), String::new())
        }),
    }
    if sink.done() {
        return;
    }
    let protocol = match target.os {
        Os::Linux => "SSH",
        Os::Windows => "RDP",
    };
    let default = default_port(target.os);
    if target.port != default && !matches!(ctx.sku, BastionSku::Standard | BastionSku::Premium) {
        let sku = ctx.sku.name();
        sink.push(RuleId::RProto, Outcome::Fail, || {
            text(
                tname,
                format!("{tname} listens for {protocol} on port {}, not {default}; a custom port needs Standard or Premium and {bname} is {sku}.", target.port),
                format!("Upgrade {bname} to Standard, or move {protocol} on {tname} back to port {default}."),
            )
        });
    } else {
        sink.push(RuleId::RProto, Outcome::Pass, || {
            text(
                tname,
                format!("{protocol} to {tname} on port {}, which {bname} ({}) supports.", target.port, ctx.sku.name()),
                String::new(),
            )
        });
    }
    if ctx.sku == BastionSku::Developer {
        sink.push(RuleId::RDevOne, Outcome::Pass, || {
            text(
                bname,
                format!("{bname} (Developer) serves one VM at a time, opened from {tname}'s own Connect page in the portal."),
                String::new(),
            )
        });
    }
}

/// Which rules' destination prefixes contain `ip`, one bit per rule of NSG `nsg` in
/// `direction` that names any (`NsgRules::dest_prefixes`); None when the NSG has too many
/// such rules to key on.
pub(crate) fn dest_mask(index: &Index, nsg: usize, direction: Direction, ip: Ipv4) -> Option<u64> {
    let Some(parsed) = index.nsg(nsg) else { return Some(0) };
    let rules = parsed.dest_prefixes[usize::from(direction == Direction::Outbound)].as_ref()?;
    let mut mask = 0u64;
    for (bit, list) in rules.iter().enumerate() {
        if list.iter().any(|c| c.contains_ip(ip)) {
            mask |= 1 << bit;
        }
    }
    Some(mask)
}

/// Remembers NSG decisions. A decision depends on the target's address only through which
/// rule destinations contain it: the service tags (is it in `VirtualNetwork`, is it
/// 168.63.129.16) and each destination prefix (`dest_mask`). The key holds exactly those
/// bits, so the cache is exact for every NSG with at most 64 rules naming destination
/// prefixes. Empty until used: callers make one per question, or take the index's
/// (`NetData::nsg_decisions`) to share its decisions with the other phases.
#[derive(Default)]
pub(crate) struct NsgCache {
    decisions: HashMap<(u128, u64), NsgDecision, BuildHasherDefault<KeyHasher>>,
}

impl NsgCache {
    /// Adds another cache's decisions (the same flow always gets the same decision, so
    /// either copy of a shared key will do); the larger table is kept and the smaller
    /// poured in.
    pub(crate) fn absorb(&mut self, mut other: NsgCache) {
        if other.decisions.len() > self.decisions.len() {
            std::mem::swap(self, &mut other);
        }
        self.decisions.extend(other.decisions);
    }

    /// The decision of `nsg` on one flow, remembered. `known` gives the address bits of the
    /// key (`dest_mask`, and whether `ctx_vnet`'s `VirtualNetwork` tag holds `ip`) when the
    /// caller knows them (`None`: found here): the reach pass has them from the VM's and
    /// VNet's shapes, and finding them again was most of a decision that the cache answers.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decide(
        &mut self,
        index: &Index,
        net: &Net,
        nsg: usize,
        ctx_vnet: usize,
        source_key: u32,
        source: Cidr,
        direction: Direction,
        ip: Ipv4,
        port: u16,
        known: Option<(u64, bool)>,
    ) -> NsgDecision {
        let flow = Flow {
            direction,
            source: AddressPrefix::Prefix(source),
            destination: AddressPrefix::Prefix(Cidr::host(ip)),
            port,
        };
        let (mask, tagged) = match known {
            Some(bits) => bits,
            None => {
                let Some(mask) = dest_mask(index, nsg, direction, ip) else {
                    return nsg_eval::evaluate(index, nsg, &net.tag_view(ctx_vnet), &flow, SourceMatch::DenyOnOverlap);
                };
                // The VNet's own address space is part of its VirtualNetwork tag (the usual
                // inbound case, a VM in the NSG's VNet): known without searching the tag.
                let own = index
                    .design
                    .vnets
                    .get(ctx_vnet)
                    .is_some_and(|v| v.address_prefixes.iter().any(|c| c.contains_ip(ip)));
                (mask, own || net.tag_view(ctx_vnet).vnet_contains(ip.0, ip.0))
            }
        };
        let class = u128::from(tagged) | (u128::from(ip == Ipv4::AZURE_PLATFORM) << 1);
        let key = (nsg as u128)
            | (ctx_vnet as u128) << 32
            | u128::from(source_key) << 64
            | u128::from(port) << 96
            | u128::from(direction == Direction::Inbound) << 112
            | class << 113;
        *self.decisions.entry((key, mask)).or_insert_with(|| {
            nsg_eval::evaluate(index, nsg, &net.tag_view(ctx_vnet), &flow, SourceMatch::DenyOnOverlap)
        })
    }
}

/// What the NSG checks need from a target.
#[derive(Clone, Copy)]
pub(crate) struct NsgTarget<'d> {
    /// Read only to write a text (as `SessionTarget::name`).
    pub name: &'d String,
    pub ip: Ipv4,
    pub port: u16,
    /// The target's VNet with the NSGs on its subnet and NIC (None on premises).
    pub vnet: Option<usize>,
    pub subnet_nsg: Option<usize>,
    pub nic_nsg: Option<usize>,
}

fn nsg_fail_text(
    design: &crate::model::Design,
    d: &NsgDecision,
    direction: Direction,
    source: Cidr,
    from: &str,
    ip: Ipv4,
    port: u16,
) -> Text {
    let dir = if direction == Direction::Inbound { "inbound" } else { "outbound" };
    let nsg = d.nsg_name(design);
    let found = format!("{} denies {dir} TCP {port} from {from} {source} to {ip}.", d.quote(design));
    let fix = if d.is_default() {
        format!("Add an {dir} rule to {nsg} allowing TCP {port} from {source} (the whole {from}) to {ip}.")
    } else {
        format!(
            "Allow {dir} TCP {port} from {source} to {ip} in {nsg} at a priority above {} (a number below {}), or narrow {}.",
            d.rule_name(design),
            d.priority,
            d.rule_name(design)
        )
    };
    Text { resource: nsg.to_string(), found, fix }
}

/// The traffic filters on the path (rules.md §8 step 4): R-NSG-OUT on AzureBastionSubnet,
/// then R-NSG-IN on the target's subnet, then on its NIC.
pub(crate) fn nsg_checks<S: Sink>(ctx: &BastionCtx, cache: &mut NsgCache, target: NsgTarget, sink: &mut S) {
    nsg_checks_with(ctx, cache, target, None, sink);
}

/// The address bits of `NsgCache::decide` for the three NSGs of `nsg_checks`, in its
/// order (AzureBastionSubnet's outbound, the target subnet's and NIC's inbound).
pub(crate) type KnownBits = [(u64, bool); 3];

fn nsg_checks_with<S: Sink>(
    ctx: &BastionCtx,
    cache: &mut NsgCache,
    target: NsgTarget,
    known: Option<KnownBits>,
    sink: &mut S,
) {
    let net = ctx.net;
    let index = net.index;
    let design = index.design;
    let bname = ctx.name();
    let from = if ctx.sku.is_dedicated() { BASTION_SUBNET } else { "the Azure platform address" };
    let Some(source) = ctx.source else {
        sink.push(RuleId::RNsgOut, Outcome::Skip, || {
            text(bname, format!("Not evaluated: {bname} has no {BASTION_SUBNET}."), String::new())
        });
        return;
    };

    match (ctx.subnet_nsg, ctx.vnet) {
        (Some(nsg), Some(bv)) => {
            let d = cache.decide(
                index,
                net,
                nsg,
                bv,
                ctx.b as u32 + 1,
                source,
                Direction::Outbound,
                target.ip,
                target.port,
                known.map(|it| it[0]),
            );
            if d.allowed() {
                sink.push(RuleId::RNsgOut, Outcome::Pass, || {
                    text(
                        d.nsg_name(design),
                        format!("{} allows outbound TCP {} to {}.", d.quote(design), target.port, target.ip),
                        String::new(),
                    )
                });
            } else {
                sink.push(RuleId::RNsgOut, Outcome::Fail, || {
                    nsg_fail_text(design, &d, Direction::Outbound, source, from, target.ip, target.port)
                });
            }
        }
        _ => sink.push(RuleId::RNsgOut, Outcome::Skip, || {
            let found = if ctx.sku.is_dedicated() {
                format!("No NSG on {}/{BASTION_SUBNET}: outbound traffic is not filtered.", ctx.vnet_name())
            } else {
                format!("Not applicable: {bname} (Developer) has no {BASTION_SUBNET}.")
            };
            text(bname, found, String::new())
        }),
    }
    if sink.done() {
        return;
    }

    let Some(tv) = target.vnet else {
        return;
    };
    let source_key = if ctx.sku.is_dedicated() { ctx.b as u32 + 1 } else { 0 };
    for (nsg, where_, slot) in [(target.subnet_nsg, "subnet", 1), (target.nic_nsg, "NIC", 2)] {
        match nsg {
            Some(nsg) => {
                let bits = known.map(|it| it[slot]);
                let (ip, port) = (target.ip, target.port);
                let d = cache.decide(index, net, nsg, tv, source_key, source, Direction::Inbound, ip, port, bits);
                if d.allowed() {
                    sink.push(RuleId::RNsgIn, Outcome::Pass, || {
                        text(
                            d.nsg_name(design),
                            format!(
                                "{} on {}'s {where_} allows inbound TCP {} from {from} {source}.",
                                d.quote(design),
                                target.name,
                                target.port
                            ),
                            String::new(),
                        )
                    });
                } else {
                    sink.push(RuleId::RNsgIn, Outcome::Fail, || {
                        let mut t = nsg_fail_text(design, &d, Direction::Inbound, source, from, target.ip, target.port);
                        t.found = format!("On {}'s {where_}: {}", target.name, t.found);
                        t
                    });
                }
            }
            None => sink.push(RuleId::RNsgIn, Outcome::Skip, || {
                text(
                    target.name,
                    format!("No NSG on {}'s {where_}: inbound traffic is not filtered there.", target.name),
                    String::new(),
                )
            }),
        }
        if sink.done() {
            return;
        }
    }
}

/// The NSG on a VM's subnet and on its NIC, as NSG indexes.
pub(crate) fn vm_nsgs(net: &Net, vm: usize) -> (Option<usize>, Option<usize>) {
    let [subnet, nic] = net.vm_nsgs.get(vm).copied().unwrap_or([u32::MAX; 2]);
    let nsg = |it: u32| (it != u32::MAX).then_some(it as usize);
    (nsg(subnet), nsg(nic))
}

/// Every check after the path for VM `vm` (session, then NSG).
pub(crate) fn vm_checks<S: Sink>(ctx: &BastionCtx, cache: &mut NsgCache, kind: PathKind, vm: usize, sink: &mut S) {
    vm_session_checks(ctx, kind, vm, sink);
    if sink.done() {
        return;
    }
    vm_nsg_checks(ctx, cache, vm, None, sink);
}

fn vm_session_checks<S: Sink>(ctx: &BastionCtx, kind: PathKind, vm: usize, sink: &mut S) {
    let index = ctx.net.index;
    let facts = index.vm_facts[vm];
    let target =
        SessionTarget { name: &index.design.vms[vm].name, os: facts.os, port: facts.port, entra_id: facts.entra_id() };
    session_checks(ctx, kind, target, sink);
}

fn vm_nsg_checks<S: Sink>(ctx: &BastionCtx, cache: &mut NsgCache, vm: usize, known: Option<KnownBits>, sink: &mut S) {
    let index = ctx.net.index;
    let facts = index.vm_facts[vm];
    let (subnet_nsg, nic_nsg) = vm_nsgs(ctx.net, vm);
    let vnet = index.vm_location(vm).map(|(v, _)| v);
    nsg_checks_with(
        ctx,
        cache,
        NsgTarget { name: &index.design.vms[vm].name, ip: facts.ip, port: facts.port, vnet, subnet_nsg, nic_nsg },
        known,
        sink,
    );
}

/// The path to on-premises machine `m` (R-HYBRID or R-NOPATH).
pub(crate) fn machine_path<S: Sink>(ctx: &BastionCtx, m: usize, sink: &mut S) -> PathKind {
    let index = ctx.net.index;
    let design = index.design;
    let machine = &design.onprem_machines[m];
    let bname = ctx.name();
    let site = ctx.net.machine_site.get(m).copied().flatten();
    let via =
        ctx.vnet.zip(site).and_then(|(bv, s)| ctx.net.hybrid_sites[bv].iter().find(|it| it.0 == s).map(|it| it.1));
    match via {
        Some(g) => {
            let gateway = design.gateways[g].name.as_str();
            // Through a hub's gateway, rules.md's Decision applies: say so.
            const DECISION: &str =
                "Decision: gateway transit counts for hybrid targets; the docs give no transit example";
            let transit = || match design.gateways[g].vnet.as_deref() {
                Some(hub) if hub != ctx.vnet_name() => format!(" in {hub}, used by gateway transit ({DECISION})"),
                _ => String::new(),
            };
            if ctx.ip_based {
                sink.push(RuleId::RHybrid, Outcome::Pass, || {
                    text(
                        &machine.name,
                        format!(
                            "{} is in site {}, connected through gateway {gateway}{}; {bname} uses IP-based connection.",
                            machine.name,
                            machine.site,
                            transit()
                        ),
                        String::new(),
                    )
                });
            } else {
                sink.push(RuleId::RHybrid, Outcome::Fail, || {
                    text(
                        bname,
                        format!("{} is in site {}, reachable through gateway {gateway}{} only by IP-based connection, which {bname} ({}) does not have on.", machine.name, machine.site, transit(), ctx.sku.name()),
                        ctx.ip_connect_fix(),
                    )
                });
            }
            PathKind::Hybrid
        }
        None => {
            sink.push(RuleId::RNoPath, Outcome::Fail, || {
                let own = ctx.vnet_name();
                text(
                    &machine.name,
                    format!("No gateway in {own}, nor one it uses by gateway transit, connects to site {}.", machine.site),
                    format!("Connect site {} to a VPN or ExpressRoute gateway in {own}, or to the hub gateway {own} uses by gateway transit.", machine.site),
                )
            });
            PathKind::NoPath
        }
    }
}

/// Every check after the path for on-premises machine `m`.
pub(crate) fn machine_checks<S: Sink>(ctx: &BastionCtx, cache: &mut NsgCache, kind: PathKind, m: usize, sink: &mut S) {
    let machine = &ctx.net.index.design.onprem_machines[m];
    let port = machine.service_port();
    session_checks(ctx, kind, SessionTarget { name: &machine.name, os: machine.os, port, entra_id: false }, sink);
    if sink.done() {
        return;
    }
    nsg_checks(
        ctx,
        cache,
        NsgTarget { name: &machine.name, ip: machine.ip, port, vnet: None, subnet_nsg: None, nic_nsg: None },
        sink,
    );
}

/// Everything `vm_checks` depends on for VM `vm` in VNet `v` (OS, port, sign-in, NSGs,
/// and which tags and rule destinations hold its address), or None when an NSG has too
/// many destination prefixes to key on. The Bastion-independent part comes from `vms`
/// (computed once per VM for every Bastion).
fn vm_shape(
    ctx: &BastionCtx,
    vms: &mut VmShapes,
    (v, space_tagged): (usize, bool),
    vm: usize,
    vnet_bits: u64,
) -> Option<[u64; 5]> {
    let index = ctx.net.index;
    let [mut head, subnet_mask, nic_mask] = vms.get(ctx.net, v, vm)?;
    let ip = index.vm_facts[vm].ip;
    let mut key = [0u64; 5];
    key[4] = vnet_bits;
    if let (Some(nsg), Some(bv)) = (ctx.subnet_nsg, ctx.vnet) {
        key[1] = dest_mask(index, nsg, Direction::Outbound, ip)?;
        // When the Bastion's VirtualNetwork tag holds the VM's whole VNet (`space_tagged`),
        // it holds every address inside it: no search per VM.
        let inside = space_tagged && index.design.vnets[v].address_prefixes.iter().any(|c| c.contains_ip(ip));
        head |= u64::from(inside || ctx.net.tag_view(bv).vnet_contains(ip.0, ip.0)) << 20;
    }
    key[2] = subnet_mask;
    key[3] = nic_mask;
    key[0] = head;
    Some(key)
}

/// The Bastion-independent part of each VM's shape, computed on first use.
#[derive(Default)]
struct VmShapes(Vec<Option<Option<[u64; 3]>>>);

/// The low bits of a VM's shape key, which both ways of finding a shape (`VmShapes::get`
/// and a grouped VNet's fast path) must set alike: port, OS, Entra ID sign-in, the platform
/// address, and whether the address is in its VNet's VirtualNetwork tag (bit 19); the NSG
/// bits start at 21.
fn shape_head(facts: super::index::VmFacts, in_vnet_tag: bool) -> u64 {
    u64::from(facts.port)
        | u64::from(facts.os == Os::Windows) << 16
        | u64::from(facts.entra_id()) << 17
        | u64::from(facts.ip == Ipv4::AZURE_PLATFORM) << 18
        | u64::from(in_vnet_tag) << 19
}

impl VmShapes {
    fn get(&mut self, net: &Net, v: usize, vm: usize) -> Option<[u64; 3]> {
        if self.0.len() <= vm {
            self.0.resize(net.index.design.vms.len().max(vm + 1), None);
        }
        *self.0[vm].get_or_insert_with(|| {
            let index = net.index;
            let facts = index.vm_facts[vm];
            let (subnet_nsg, nic_nsg) = vm_nsgs(net, vm);
            let ip = facts.ip;
            // A VNet's own address space is part of its VirtualNetwork tag: no search then.
            let own = index.design.vnets[v].address_prefixes.iter().any(|c| c.contains_ip(ip));
            let mut head = shape_head(facts, own || net.tag_view(v).vnet_contains(ip.0, ip.0));
            let mut masks = [0u64; 2];
            for (slot, shift, nsg) in [(0, 21, subnet_nsg), (1, 42, nic_nsg)] {
                if let Some(nsg) = nsg {
                    masks[slot] = dest_mask(index, nsg, Direction::Inbound, ip)?;
                    head |= (nsg as u64 + 1) << shift;
                }
            }
            Some([head, masks[0], masks[1]])
        })
    }
}

/// The VMs of one VNet grouped by their Bastion-independent shape (`VmShapes`), computed on
/// first use: within one (Bastion, VNet) whose Bastion-dependent bits are uniform
/// (`uniform_bits`), VMs of one slot share their verdict, so each slot is checked once.
/// The slots themselves live in `ShapeTable`, shared by every VNet: four small lists per
/// VNet were ~4,000 allocations over the estate, dearer still in the page's wasm heap.
#[derive(Clone, Copy)]
struct VnetShapes {
    /// This VNet's slots are `start..end` of `ShapeTable::reps` and `nsg_keys`.
    start: u32,
    end: u32,
    /// Every VM has a shape (no NSG has too many destination prefixes to key on) and an
    /// address inside the VNet's address space: only then can slots stand for the VMs.
    grouped: bool,
}

/// The slots of every VNet's `VnetShapes`, and the scratch used to build them.
#[derive(Default)]
struct ShapeTable {
    /// Per VM (design order), its slot among its VNet's (read only for grouped VNets).
    slot: Vec<u32>,
    /// Per slot, its first VM.
    reps: Vec<usize>,
    /// Per slot, the part of its shape the NSG checks read (all but OS and sign-in): slots
    /// that differ only there share their NSG verdicts.
    nsg_keys: Vec<[u64; 3]>,
    /// Scratch for one VNet: its shapes' keys in slot order, hashed beyond 16.
    keys: Vec<[u64; 3]>,
    ids: FxMap<[u64; 3], u32>,
    /// Scratch for one VNet: per subnet, `subnet_mask` computed on first use.
    subnet_masks: Vec<Option<Option<u64>>>,
}

impl VnetShapes {
    fn new(net: &Net, vms: &mut VmShapes, table: &mut ShapeTable, v: usize) -> VnetShapes {
        let index = net.index;
        let prefixes = &index.design.vnets[v].address_prefixes;
        let members = &index.vms_by_vnet[v];
        if table.slot.len() < index.design.vms.len() {
            table.slot.resize(index.design.vms.len(), 0);
        }
        let start = table.reps.len();
        // A VNet has a handful of shapes: found by a linear search, hashed beyond 16.
        let ShapeTable { slot, reps, keys, ids, subnet_masks, .. } = table;
        keys.clear();
        ids.clear();
        // Per subnet of the VNet: the destination mask of its NSG's inbound rules when every
        // address of the subnet has the same one and the subnet lies in the VNet's address
        // space (`subnet_mask`), computed on first use.
        subnet_masks.clear();
        let mut recent_slot = [u32::MAX; 64];
        for &vm in members {
            let facts = index.vm_facts[vm];
            let ip = facts.ip;
            // The usual VM (no NIC NSG, its address in its subnet): its shape from its
            // subnet's, with no search per VM. What `VmShapes::get` gives, bit for bit.
            let fast = match (index.vm_location(vm), vm_nsgs(net, vm)) {
                (Some((_, s)), (subnet_nsg, None)) => {
                    let subnet = &index.design.vnets[v].subnets[s];
                    if subnet_masks.len() <= s {
                        subnet_masks.resize(s + 1, None);
                    }
                    let mask = *subnet_masks[s].get_or_insert_with(|| subnet_mask(index, v, subnet.prefix, subnet_nsg));
                    mask.filter(|_| subnet.prefix.contains_ip(ip)).map(|mask| {
                        let head = shape_head(facts, true) | subnet_nsg.map_or(0, |nsg| (nsg as u64 + 1) << 21);
                        [head, mask, 0]
                    })
                }
                _ => None,
            };
            let key = match fast {
                Some(key) => Some(key),
                None => vms.get(net, v, vm).filter(|_| prefixes.iter().any(|c| c.contains_ip(ip))),
            };
            let Some(key) = key else {
                reps.truncate(start);
                return VnetShapes { start: start as u32, end: start as u32, grouped: false };
            };
            // The slot a key of the same hash took last (most VMs): one comparison, not a
            // search of the VNet's slots, which was a tenth of the reach pass.
            let hint = (key[0] ^ key[1].rotate_left(23) ^ key[2].rotate_left(41)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let hint = (hint >> 58) as usize;
            let recent = recent_slot[hint] as usize;
            let found = if keys.get(recent) == Some(&key) {
                Some(recent as u32)
            } else if keys.len() <= 16 {
                keys.iter().position(|k| *k == key).map(|p| p as u32)
            } else {
                if ids.is_empty() {
                    ids.extend(keys.iter().enumerate().map(|(p, k)| (*k, p as u32)));
                }
                ids.get(&key).copied()
            };
            let id = found.unwrap_or_else(|| {
                keys.push(key);
                reps.push(vm);
                let id = keys.len() as u32 - 1;
                if !ids.is_empty() {
                    ids.insert(key, id);
                }
                id
            });
            recent_slot[hint] = id;
            slot[vm] = id;
        }
        table.nsg_keys.extend(table.keys.iter().map(|&[head, a, b]| [head & !(0b11 << 16), a, b]));
        VnetShapes { start: start as u32, end: table.reps.len() as u32, grouped: true }
    }
}

/// The inbound destination mask (`dest_mask`) that every address of subnet `prefix` of
/// VNet `v` has on the subnet's NSG, when the subnet lies in the VNet's address space (so
/// each address is in the VNet's VirtualNetwork tag) and no rule destination cuts through
/// it; None otherwise (then each VM's shape is computed by itself).
fn subnet_mask(index: &Index, v: usize, prefix: Cidr, nsg: Option<usize>) -> Option<u64> {
    if !index.design.vnets[v].address_prefixes.iter().any(|c| c.contains(&prefix)) {
        return None;
    }
    let Some(nsg) = nsg else { return Some(0) };
    let Some(parsed) = index.nsg(nsg) else { return Some(0) };
    let lists = parsed.dest_prefixes[0].as_ref()?;
    let mut mask = 0u64;
    for (bit, list) in lists.iter().enumerate() {
        if list.iter().any(|c| c.contains(&prefix)) {
            mask |= 1 << bit;
        } else if list.iter().any(|c| c.overlaps(&prefix)) {
            return None;
        }
    }
    Some(mask)
}

/// The Bastion-dependent bits of `vm_shape` (the outbound destination mask on
/// AzureBastionSubnet's NSG, and whether the Bastion's `VirtualNetwork` tag holds the VM)
/// when every address of VNet `v` gives the same ones; None when they may differ by VM.
pub(crate) fn uniform_bits(ctx: &BastionCtx, v: usize, space_tagged: bool) -> Option<(u64, bool)> {
    let (Some(nsg), Some(bv)) = (ctx.subnet_nsg, ctx.vnet) else {
        return Some((0, false));
    };
    let index = ctx.net.index;
    let prefixes = &index.design.vnets[v].address_prefixes;
    let lists = index.nsg(nsg).map_or(Some(&[][..]), |it| it.dest_prefixes[1].as_deref())?;
    let mut mask = None;
    for p in prefixes {
        let mut m = 0u64;
        for (bit, list) in lists.iter().enumerate() {
            if list.iter().any(|c| c.contains(p)) {
                m |= 1 << bit;
            } else if list.iter().any(|c| c.overlaps(p)) {
                return None;
            }
        }
        if mask.is_some_and(|it| it != m) {
            return None;
        }
        mask = Some(m);
    }
    let inside = if space_tagged {
        true
    } else {
        let view = ctx.net.tag_view(bv);
        if prefixes.iter().any(|p| view.vnet_overlaps(p.network(), p.last())) {
            return None;
        }
        false
    };
    Some((mask.unwrap_or(0), inside))
}

/// What `analyze_reach` keeps from one Bastion to the next: the shapes of VMs and VNets,
/// and a VM-indexed scratch to put a Bastion's verdicts in VM order.
#[derive(Default)]
struct Shapes {
    vms: VmShapes,
    vnets: Vec<Option<VnetShapes>>,
    table: ShapeTable,
    /// Puts each Bastion's verdicts in VM order (`VmOrder`).
    order: VmOrder,
    /// Per-Bastion scratch, cleared and reused: allocating them anew for each of 10²
    /// Bastions cost more than filling them, and more still in the page's wasm heap.
    candidates: Vec<usize>,
    memo: HashMap<[u64; 5], Option<RuleId>, BuildHasherDefault<KeyHasher>>,
    verdicts: Vec<Option<RuleId>>,
    nsg_verdicts: Vec<([u64; 3], Option<RuleId>)>,
}

/// Compact verdicts for every Bastion (see `BastionReach`).
pub fn analyze_reach(index: &Index, health: &[BastionHealth]) -> Vec<BastionReach> {
    let net = Net::new(index);
    // The index's decisions (`NetData::nsg_decisions`): CAF-R5 asks for the ones that
    // block, and finds them here.
    let mut cache = net.take_nsg_decisions();
    // Room for a handful of decisions per NSG up front: grown from empty, the table was
    // rehashed a dozen times.
    cache.decisions.reserve(index.design.nsgs.len() * 4);
    let mut shapes = Shapes::default();
    let reach = (0..index.design.bastions.len())
        .map(|b| bastion_reach(&net, &mut cache, &mut shapes, b, health.get(b).and_then(|h| h.blocker)))
        .collect();
    net.put_nsg_decisions(cache);
    reach
}

/// The health and reach of the Bastions this thread takes, one at a time, from `next`
/// (shared with the other thread of a native analysis, `engine::analyze_on`): a hub
/// Bastion's reach costs up to 70 times a spoke's (enterprise estate: 0.3–0.8 ms against
/// 0.01–0.2), and the hubs come first, so fixed halves left one thread waiting.
/// Each Bastion's verdicts do not depend on who computes them: the caches are exact.
pub(crate) fn verdicts_taken(
    index: &Index,
    next: &std::sync::atomic::AtomicUsize,
) -> Vec<(usize, BastionHealth, BastionReach)> {
    let net = Net::new(index);
    let mut cache = net.take_nsg_decisions();
    // Half of `analyze_reach`'s room: each thread decides for about half of the Bastions.
    cache.decisions.reserve(index.design.nsgs.len() * 2);
    let mut shapes = Shapes::default();
    let mut taken = Vec::new();
    loop {
        let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if b >= index.design.bastions.len() {
            break;
        }
        let health = super::health::bastion_health(&net, b);
        let reach = bastion_reach(&net, &mut cache, &mut shapes, b, health.blocker);
        taken.push((b, health, reach));
    }
    net.put_nsg_decisions(cache);
    taken
}

/// Puts one Bastion's verdicts in VM order as they arrive. They arrive VNet by VNet, and a
/// VNet's VMs are spread over the design's VM order, so a hub's 10³ verdicts interleave.
/// Each VM appears once (a VM is in one VNet, each VNet is visited once), so no comparison
/// is needed: each verdict is put at its VM in `verdict` with the VM's bit set in `bits`,
/// and `drain` reads the set bits back in order, a word of 64 VMs at a time. Written
/// straight here rather than listed and then sorted: the list's pushes and the passes over
/// it were ~15 instructions a verdict. Kept between Bastions, left with every bit clear.
#[derive(Default)]
struct VmOrder {
    bits: Vec<u64>,
    verdict: Vec<Option<RuleId>>,
    /// The lowest and highest VM put since `start`, and how many.
    lo: usize,
    hi: usize,
    count: usize,
}

impl VmOrder {
    fn start(&mut self, vms: usize) {
        if self.verdict.len() < vms {
            self.verdict.resize(vms, None);
            self.bits.resize(vms.div_ceil(64), 0);
        }
        (self.lo, self.hi, self.count) = (usize::MAX, 0, 0);
    }

    fn put(&mut self, vm: usize, blocker: Option<RuleId>) {
        self.bits[vm / 64] |= 1 << (vm % 64);
        self.verdict[vm] = blocker;
        self.lo = self.lo.min(vm);
        self.hi = self.hi.max(vm);
        self.count += 1;
    }

    /// The verdicts put since `start`, by VM; clears their bits.
    fn drain(&mut self) -> Vec<(u32, Option<RuleId>)> {
        let mut list = Vec::with_capacity(self.count);
        if self.count == 0 {
            return list;
        }
        for w in self.lo / 64..=self.hi / 64 {
            let mut word = std::mem::take(&mut self.bits[w]);
            while word != 0 {
                let vm = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                list.push((vm as u32, self.verdict[vm]));
            }
        }
        list
    }
}

fn bastion_reach(
    net: &Net,
    cache: &mut NsgCache,
    shapes: &mut Shapes,
    b: usize,
    health_blocker: Option<RuleId>,
) -> BastionReach {
    let index = net.index;
    let design = index.design;
    let ctx = BastionCtx::new(net, b);
    // Only VNets that a peering chain, a peering link or a Virtual WAN relates to the
    // Bastion's VNet can have a path; every other VNet is R-NOPATH (what `vnet_path` says
    // for them), filled in without visiting each.
    let no_path = VnetPath { kind: PathKind::NoPath, blocker: health_blocker.or(Some(RuleId::RNoPath)) };
    let mut vnet_paths = vec![no_path; design.vnets.len()];
    let mut candidates = std::mem::take(&mut shapes.candidates);
    candidates.clear();
    if let Some(bv) = ctx.vnet {
        // Ascending lists: merged in order, without sorting.
        // Every other VNet of the peering component is R-NONTRANSITIVE (what `vnet_path`
        // says for a chained VNet that is not the Bastion's own, a peer, a Virtual WAN
        // neighbour or linked): filled in, so only the few VNets with a closer relation
        // are visited. A hub's component holds most of an estate's VNets.
        let nontransitive =
            VnetPath { kind: PathKind::NonTransitive, blocker: health_blocker.or(Some(RuleId::RNonTransitive)) };
        for &v in &net.component_members[net.component[bv]] {
            vnet_paths[v] = nontransitive;
        }
        let wan: &[usize] = net.vnet_wan[bv].map(|w| net.wan_members[w].as_slice()).unwrap_or(&[]);
        let own = [bv];
        let lists = [own.as_slice(), ctx.peers, net.linked[bv].as_slice(), wan];
        if lists.iter().all(|l| l.is_sorted()) {
            let mut at = [0usize; 4];
            loop {
                let next = (0..4).filter_map(|k| lists[k].get(at[k]).copied()).min();
                let Some(v) = next else { break };
                candidates.push(v);
                for k in 0..4 {
                    if lists[k].get(at[k]) == Some(&v) {
                        at[k] += 1;
                    }
                }
            }
        } else {
            lists.iter().for_each(|l| candidates.extend_from_slice(l));
            crate::util::sort(&mut candidates);
            candidates.dedup();
        }
    }
    if shapes.vnets.len() < design.vnets.len() {
        shapes.vnets.resize_with(design.vnets.len(), || None);
    }
    // Room for every VM of the candidate VNets at once (growing VNet by VNet copied a
    // hub's list a dozen times).
    let order = &mut shapes.order;
    order.start(design.vms.len());
    let (memo, verdicts, nsg_verdicts) = (&mut shapes.memo, &mut shapes.verdicts, &mut shapes.nsg_verdicts);
    memo.clear();
    for &v in &candidates {
        let mut sink = FirstFail(health_blocker);
        let kind = vnet_path(&ctx, v, &mut sink);
        vnet_paths[v] = VnetPath { kind, blocker: sink.0 };
        if sink.0.is_some() || index.vms_by_vnet[v].is_empty() {
            continue;
        }
        // VMs mostly share OS, port, sign-in and NSGs; with the path kind, how the
        // Bastion's source sits in this VNet's VirtualNetwork tag and which tags and
        // rule destinations hold the address, those decide the whole chain (`vm_shape`).
        let space_tagged = ctx.vnet.is_some_and(|bv| {
            let view = net.tag_view(bv);
            let prefixes = &design.vnets[v].address_prefixes;
            !prefixes.is_empty() && prefixes.iter().all(|c| view.vnet_contains(c.network(), c.last()))
        });
        let vnet_shapes =
            *shapes.vnets[v].get_or_insert_with(|| VnetShapes::new(net, &mut shapes.vms, &mut shapes.table, v));
        let table = &shapes.table;
        let slots = vnet_shapes.start as usize..vnet_shapes.end as usize;
        let uniform = if vnet_shapes.grouped { uniform_bits(&ctx, v, space_tagged) } else { None };
        if let Some(outbound) = uniform {
            // Every VM of a slot has the same whole key here: check one VM per slot, and
            // the NSGs once per NSG key.
            verdicts.clear();
            nsg_verdicts.clear();
            for (&rep, nsg_key) in table.reps[slots.clone()].iter().zip(&table.nsg_keys[slots]) {
                let mut sink = FirstFail(None);
                vm_session_checks(&ctx, kind, rep, &mut sink);
                if !sink.done() {
                    match nsg_verdicts.iter().find(|it| it.0 == *nsg_key) {
                        Some(&(_, blocker)) => sink.0 = blocker,
                        None => {
                            // The shapes hold every address bit the NSG decisions key on:
                            // the outbound ones are the VNet's (`uniform_bits`), the inbound
                            // ones the VM's (`VmShapes`: bit 19 of the head, the two masks).
                            let [head, subnet_mask, nic_mask] = *nsg_key;
                            let tagged = head >> 19 & 1 == 1;
                            let known = [outbound, (subnet_mask, tagged), (nic_mask, tagged)];
                            vm_nsg_checks(&ctx, cache, rep, Some(known), &mut sink);
                            nsg_verdicts.push((*nsg_key, sink.0));
                        }
                    }
                }
                verdicts.push(sink.0);
            }
            let members = &index.vms_by_vnet[v];
            for &vm in members {
                order.put(vm, verdicts[table.slot[vm] as usize]);
            }
            continue;
        }
        // Otherwise the key is built per VM and each distinct one decided once.
        let vnet_bits = match ctx.source {
            Some(src) => {
                let view = net.tag_view(v);
                (kind as u64)
                    | u64::from(view.vnet_contains(src.network(), src.last())) << 8
                    | u64::from(view.vnet_overlaps(src.network(), src.last())) << 9
            }
            None => kind as u64,
        };
        for &vm in &index.vms_by_vnet[v] {
            let key = vm_shape(&ctx, &mut shapes.vms, (v, space_tagged), vm, vnet_bits);
            if let Some(key) = key {
                if let Some(&blocker) = memo.get(&key) {
                    order.put(vm, blocker);
                    continue;
                }
            }
            let mut sink = FirstFail(None);
            vm_checks(&ctx, cache, kind, vm, &mut sink);
            order.put(vm, sink.0);
            if let Some(key) = key {
                memo.insert(key, sink.0);
            }
        }
    }
    shapes.candidates = candidates;
    let vm_blockers = order.drain();
    let machine_blockers = (0..design.onprem_machines.len())
        .map(|m| {
            let mut sink = FirstFail(health_blocker);
            let kind = machine_path(&ctx, m, &mut sink);
            if !sink.done() {
                machine_checks(&ctx, cache, kind, m, &mut sink);
            }
            sink.0
        })
        .collect();
    BastionReach { bastion: b, vnet_paths, vm_blockers, machine_blockers }
}

/// The NSG decision that blocks a pair, in the order of `nsg_checks` (R-NSG-OUT, then the
/// subnet's and the NIC's R-NSG-IN), with the session's source prefix; None when every
/// NSG on the way allows it. Used by the CAF-R5 finding to group blocked pairs by rule.
pub(crate) fn first_nsg_denial(
    ctx: &BastionCtx,
    cache: &mut NsgCache,
    target: NsgTarget,
    known: Option<KnownBits>,
) -> Option<(RuleId, Direction, Cidr, NsgDecision)> {
    let (index, net) = (ctx.net.index, ctx.net);
    let source = ctx.source?;
    let (ip, port) = (target.ip, target.port);
    if let (Some(nsg), Some(bv)) = (ctx.subnet_nsg, ctx.vnet) {
        let bits = known.map(|it| it[0]);
        let d = cache.decide(index, net, nsg, bv, ctx.b as u32 + 1, source, Direction::Outbound, ip, port, bits);
        if !d.allowed() {
            return Some((RuleId::RNsgOut, Direction::Outbound, source, d));
        }
    }
    let tv = target.vnet?;
    let source_key = if ctx.sku.is_dedicated() { ctx.b as u32 + 1 } else { 0 };
    for (nsg, slot) in [(target.subnet_nsg, 1), (target.nic_nsg, 2)] {
        let Some(nsg) = nsg else { continue };
        let bits = known.map(|it| it[slot]);
        let d = cache.decide(index, net, nsg, tv, source_key, source, Direction::Inbound, ip, port, bits);
        if !d.allowed() {
            return Some((RuleId::RNsgIn, Direction::Inbound, source, d));
        }
    }
    None
}
