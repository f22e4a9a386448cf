//! Mechanical fixes for findings whose family module leaves none: health repairs, the
//! default-route sources, Defender for JIT, gateway transit are filled in by `analyze`;
//! what unblocks a VNet no Bastion reaches is only marked there (`Finding::mechanical`) and
//! built on demand (`fix_action_for`), when the page's Fix button is pressed or the CLI prints.

use super::connect::fix_for_check;
use super::graph::Net;
use super::health::bastion_health;
use super::health::{default_route_origins, DefaultRouteOrigin, RESERVED_DNS_ZONES};
use super::reach::{self, BastionCtx, NsgCache, Recorder, SessionTarget, Sink, Text};
use super::{explain_in, Analysis, Check, Finding, FixAction, Index, Outcome, PathKind, RuleId, Target};
use crate::model::{BastionSku, Design, IpAllocation, IpVersion, PeeringState, PublicIpSku, BASTION_SUBNET};

/// How many unreached VMs of one VNet are explained to build its fix (they share the
/// VNet-level blocker; more would only repeat the same fixes).
const UNREACHED_SAMPLE: usize = 16;

/// `analyze`'s part: fills `fix_action` of every finding that has none and whose fix is
/// cheap to build, and sets `mechanical` on every finding that has a mechanical fix. A VNet
/// no Bastion reaches is only marked (building its fix explains up to 16 VMs; an estate has
/// hundreds of such VNets): `fix_action_for` builds it.
pub fn mark_fix_actions(index: &Index, analysis: &Analysis, findings: &mut [Finding]) {
    let mut memo = Memo::default();
    for n in 0..findings.len() {
        if findings[n].fix_action.is_none() && findings[n].id != RuleId::ConsolidateUnreached {
            let action = fix_of(index, analysis, findings, &findings[n], &mut memo);
            findings[n].fix_action = action;
        }
        findings[n].mechanical = findings[n].fix_action.is_some();
    }
    // After the loop above: an unreached VNet's fix takes the health fixes from the findings.
    let net = Net::new(index);
    let mut contexts: super::fx::FxMap<usize, BastionCtx> = super::fx::FxMap::default();
    let marks: Vec<(usize, bool)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.id == RuleId::ConsolidateUnreached && f.fix_action.is_none())
        .map(|(n, f)| (n, unreached_mechanical(&net, &mut contexts, analysis, findings, &f.resource, &mut memo)))
        .collect();
    for (n, mechanical) in marks {
        findings[n].mechanical = mechanical;
    }
}

/// Fills `fix_action` of every finding that has none and whose fix is mechanical, the
/// on-demand ones included (the CLI's JSON lists every fix action).
pub fn complete_fix_actions(index: &Index, analysis: &Analysis, findings: &mut [Finding]) {
    let mut memo = Memo::default();
    for n in 0..findings.len() {
        if findings[n].fix_action.is_some() {
            findings[n].mechanical = true;
            continue;
        }
        let action = fix_of(index, analysis, findings, &findings[n], &mut memo);
        findings[n].mechanical = action.is_some();
        findings[n].fix_action = action;
    }
}

/// The analysis's findings with every mechanical fix action filled in (`complete_fix_actions`).
pub fn completed_findings(index: &Index, analysis: &Analysis) -> Vec<Finding> {
    let mut findings = analysis.findings.clone();
    complete_fix_actions(index, analysis, &mut findings);
    findings
}

/// The mechanical fix of one finding of `analysis` (the analysis of `design`), built on
/// demand: what the page applies when its Fix button is pressed. None when the fix needs a
/// decision (the finding's `mechanical` is then false).
pub fn fix_action_for(design: &Design, analysis: &Analysis, finding: &Finding) -> Option<FixAction> {
    if let Some(action) = &finding.fix_action {
        return Some(action.clone());
    }
    let index = Index::new(design);
    fix_action_in(&index, analysis, finding)
}

/// `fix_action_for` with an index built by the caller.
pub fn fix_action_in(index: &Index, analysis: &Analysis, finding: &Finding) -> Option<FixAction> {
    if let Some(action) = &finding.fix_action {
        return Some(action.clone());
    }
    fix_of(index, analysis, &analysis.findings, finding, &mut Memo::default())
}

/// What the fixes of many findings share: an estate has hundreds of unreached VNets, and
/// their fixes explain pairs of the same few Bastions through the same NSGs.
#[derive(Default)]
struct Memo {
    nsgs: NsgCache,
    health: super::fx::FxMap<usize, Vec<super::Check>>,
}

fn fix_of(
    index: &Index,
    analysis: &Analysis,
    findings: &[Finding],
    finding: &Finding,
    memo: &mut Memo,
) -> Option<FixAction> {
    let design = index.design;
    let bastion = || index.bastion_by_name.get(finding.resource.as_str()).copied();
    match finding.id {
        RuleId::BHealth1 => {
            let b = bastion()?;
            let host = &design.bastions[b];
            let vnet = design.vnet(&host.vnet)?;
            // Only a missing subnet is mechanical; squatters must be moved by a person.
            (host.sku.is_dedicated() && vnet.subnet(BASTION_SUBNET).is_none())
                .then(|| FixAction::ProvisionBastion { bastion: host.name.clone() })
        }
        RuleId::BHealth5 => {
            let b = bastion()?;
            let host = &design.bastions[b];
            match host.public_ip.as_deref().map(|p| index.public_ip_by_name.get(p)) {
                None | Some(None) => Some(FixAction::ProvisionBastion { bastion: host.name.clone() }),
                Some(Some(&p)) => {
                    let ip = &design.public_ips[p];
                    let wrong = ip.sku != PublicIpSku::Standard
                        || ip.allocation != IpAllocation::Static
                        || ip.version != IpVersion::IPv4;
                    wrong.then(|| FixAction::RepairPublicIp { public_ip: ip.name.clone() })
                }
            }
        }
        RuleId::BHealth6 => {
            let v = index.bastion_vnet.get(bastion()?).copied().flatten()?;
            let net = Net::new(index);
            let actions: Vec<FixAction> = default_route_origins(&net, v)
                .into_iter()
                .map(|origin| match origin {
                    DefaultRouteOrigin::Site { conn, .. } => {
                        FixAction::StopSiteDefaultRoute { site_connection: design.site_connections[conn].name.clone() }
                    }
                    DefaultRouteOrigin::RouteServer { via } => {
                        FixAction::StopRouteServerDefaultRoute { vnet: design.vnets[via].name.clone() }
                    }
                    // Turning off "propagate default route" on the connection is the fix the
                    // Bastion FAQ gives for a hub that hands 0.0.0.0/0 to the Bastion's VNet.
                    DefaultRouteOrigin::SecuredHub { conn, .. } | DefaultRouteOrigin::HubSite { conn, .. } => {
                        FixAction::StopHubDefaultRoute { hub_connection: design.hub_connections[conn].name.clone() }
                    }
                })
                .collect();
            batch(actions)
        }
        RuleId::BHealth7 => {
            let v = index.bastion_vnet.get(bastion()?).copied().flatten()?;
            let vnet = &design.vnets[v];
            let zones: Vec<String> = vnet
                .private_dns_zones
                .iter()
                .filter(|z| RESERVED_DNS_ZONES.iter().any(|r| r.eq_ignore_ascii_case(z.trim_end_matches('.'))))
                .cloned()
                .collect();
            (!zones.is_empty()).then(|| FixAction::UnlinkPrivateDnsZones { vnet: vnet.name.clone(), zones })
        }
        // Landing-zone guidance: Standard or Premium in production.
        RuleId::CafR1 => {
            let host = &design.bastions[bastion()?];
            (host.sku == BastionSku::Developer)
                .then(|| FixAction::SetBastionSku { bastion: host.name.clone(), sku: BastionSku::Standard })
        }
        RuleId::Jit3 => {
            let vm = &design.vms[*index.vm_by_name.get(finding.resource.as_str())?];
            // The declared id, which the edit finds whatever case the VM spells it in.
            let s = index.subscription_idx(vm.subscription.as_str())?;
            Some(FixAction::EnableDefenderForServers { subscription: design.subscriptions[s].id.clone() })
        }
        RuleId::PeerGatewayTransit => gateway_transit_fix(index, &finding.resource),
        RuleId::ConsolidateUnreached => unreached_fix(index, analysis, findings, &finding.resource, memo),
        _ => None,
    }
}

fn batch(mut actions: Vec<FixAction>) -> Option<FixAction> {
    match actions.len() {
        0 => None,
        1 => actions.pop(),
        _ => Some(FixAction::Batch { actions }),
    }
}

/// The link's only problem is that the hub's link does not allow gateway transit: turn it on.
/// (A missing gateway, a spoke with its own gateway or a broken peering need a decision.)
fn gateway_transit_fix(index: &Index, link_name: &str) -> Option<FixAction> {
    let design = index.design;
    let link = design.peerings.iter().find(|l| l.name == link_name)?;
    let spoke = *index.vnet_by_name.get(link.from.as_str())?;
    let hub = *index.vnet_by_name.get(link.to.as_str())?;
    let net = Net::new(index);
    let back = &design.peerings[*index.link.get(&(hub, spoke))?];
    let only_transit = index.peering_state(spoke, hub) == Some(PeeringState::Connected)
        && !back.allow_gateway_transit
        && !net.gateways[hub].is_empty()
        && net.gateways[spoke].is_empty();
    only_transit.then(|| FixAction::AllowGatewayTransit { from: back.from.clone(), to: back.to.clone() })
}

/// What a CONSOLIDATE-UNREACHED fix on VNet `v` works on: the Bastion the finding's text
/// names (one with a path, else one a direct peering would bring in reach) and the VNet's
/// unreached VMs it explains (one when a VNet-level blocker stands for all).
fn unreached_plan(index: &Index, analysis: &Analysis, v: usize) -> Option<(usize, Vec<usize>)> {
    // `fix_action_for` is public: an analysis of another design gives no fix, not a panic.
    let design = index.design;
    if analysis.reach.len() != design.bastions.len()
        || analysis.reach.iter().any(|r| r.vnet_paths.len() != design.vnets.len())
        || analysis.vm_vnet.len() != design.vms.len()
    {
        return None;
    }
    let paths = |b: usize| analysis.reach[b].vnet_paths[v];
    let with_path = (0..analysis.reach.len()).find(|&b| {
        matches!(paths(b).kind, PathKind::Same | PathKind::Peer | PathKind::Vwan)
            && (paths(b).blocker != Some(RuleId::RPeer) || index.peering_usable(index.bastion_vnet[b].unwrap_or(v), v))
    });
    let near = (0..analysis.reach.len()).find(|&b| {
        index.bastion_vnet[b].is_some()
            && (paths(b).kind == PathKind::NonTransitive
                || (paths(b).kind == PathKind::Peer && paths(b).blocker == Some(RuleId::RPeer)))
    });
    let b = with_path.or(near)?;
    let vms = index.vms_by_vnet.get(v)?;
    // A VNet-level blocker (health, path, SKU) is the same for every VM there: one
    // explanation says it all. Otherwise the VMs differ by their NSGs: sample them.
    if paths(b).blocker.is_some() {
        return Some((b, vms.iter().copied().take(1).collect()));
    }
    // The VNet's VMs ascend, as the Bastion's verdicts do: each searched after the last
    // one found (`Analysis::blocker`'s answer, without starting over per VM).
    let mut rest = analysis.reach[b].vm_blockers.as_slice();
    // Sized for the sample at once: a filtered iterator gives no size, so collecting it
    // would grow the list two or three times.
    let mut unreached = Vec::with_capacity(UNREACHED_SAMPLE.min(vms.len()));
    unreached.extend(
        vms.iter()
            .copied()
            .filter(|&vm| match search_near_front(rest, vm) {
                Ok(pos) => {
                    let blocked = rest[pos].1.is_some();
                    rest = &rest[pos..];
                    blocked
                }
                Err(pos) => {
                    rest = &rest[pos..];
                    true
                }
            })
            .take(UNREACHED_SAMPLE),
    );
    Some((b, unreached))
}

/// `rest.binary_search_by_key(&vm, |it| it.0)` (keys ascending, distinct), looked for from
/// the front in doubling steps first: a VNet's next VM is usually a few entries on, and a
/// search over all the rest touched a dozen of its cache lines per VM, each out of cache.
fn search_near_front(rest: &[(u32, Option<RuleId>)], vm: usize) -> Result<usize, usize> {
    let mut bound = 1;
    while bound < rest.len() && (rest[bound - 1].0 as usize) < vm {
        bound *= 2;
    }
    // Everything before `bound / 2` is below `vm`, and the answer is at most `bound`.
    let from = bound / 2;
    match rest[from..bound.min(rest.len())].binary_search_by_key(&vm, |it| it.0 as usize) {
        Ok(pos) => Ok(from + pos),
        Err(pos) => Err(from + pos),
    }
}

/// Only the failing rules of a chain, without their sentences.
struct FailingRules(Vec<RuleId>);

impl Sink for FailingRules {
    fn done(&self) -> bool {
        false
    }
    fn push(&mut self, rule: RuleId, outcome: Outcome, _text: impl FnOnce() -> Text) {
        if outcome == Outcome::Fail {
            self.0.push(rule);
        }
    }
}

/// Whether `unreached_fix` finds a fix for VNet `vnet`, decided without building it: every
/// failing check of the sampled pairs must have a mechanical fix. The health and path checks
/// are the Bastion's and the VNet's (their fixes are cheap to ask for); per VM, a session
/// check fails only for R-PROTO (an upgrade) or R-IPCONNECT (a sign-in decision), and an NSG
/// that drops the session always takes an allow rule, so the NSG checks are not evaluated.
fn unreached_mechanical<'n, 'a>(
    net: &'n Net<'a>,
    contexts: &mut super::fx::FxMap<usize, BastionCtx<'n, 'a>>,
    analysis: &Analysis,
    findings: &[Finding],
    vnet: &str,
    memo: &mut Memo,
) -> bool {
    let index = net.index;
    let Some(&v) = index.vnet_by_name.get(vnet) else { return false };
    let Some((b, unreached)) = unreached_plan(index, analysis, v) else { return false };
    let Some(&first) = unreached.first() else { return false };
    let design = index.design;
    // From Developer the fix is re-checked on the upgraded design: only building it tells.
    if design_sku(index, b) == Some(BastionSku::Developer) {
        return unreached_fix(index, analysis, findings, vnet, memo).is_some();
    }
    let fixable = |rule: RuleId, vm: usize| {
        let check =
            Check { rule, resource: String::new(), found: String::new(), outcome: Outcome::Fail, fix: String::new() };
        fix_for_check(index, findings, b, Target::Vm(vm), &check).is_some()
    };
    let health_ok = analysis.health.get(b).is_some_and(|h| {
        h.checks
            .iter()
            .filter(|c| c.outcome == Outcome::Fail)
            .all(|c| fix_for_check(index, findings, b, Target::Vm(first), c).is_some())
    });
    if !health_ok {
        return false;
    }
    // A few Bastions serve many VNets: each one's context is built once.
    let ctx = contexts.entry(b).or_insert_with(|| BastionCtx::new(net, b));
    let mut path = FailingRules(Vec::new());
    let kind = reach::vnet_path(ctx, v, &mut path);
    if !path.0.iter().all(|&rule| fixable(rule, first)) {
        return false;
    }
    // One list of failing rules for the sampled VMs, emptied between them.
    let mut session = FailingRules(Vec::new());
    unreached.iter().all(|&vm| {
        let facts = index.vm_facts[vm];
        session.0.clear();
        let target =
            SessionTarget { name: &design.vms[vm].name, os: facts.os, port: facts.port, entra_id: facts.entra_id() };
        reach::session_checks(ctx, kind, target, &mut session);
        session.0.iter().all(|&rule| fixable(rule, vm))
    })
}

/// CONSOLIDATE-UNREACHED on a VNet: every failing check of the planned Bastion's pairs with
/// the VNet's unreached VMs, each fixed mechanically; None when one check is not.
fn unreached_fix(
    index: &Index,
    analysis: &Analysis,
    findings: &[Finding],
    vnet: &str,
    memo: &mut Memo,
) -> Option<FixAction> {
    let v = *index.vnet_by_name.get(vnet)?;
    let (b, unreached) = unreached_plan(index, analysis, v)?;
    let mut actions: Vec<FixAction> = Vec::new();
    // The checks of each pair, as `explain` runs them, with the Bastion's health computed
    // once and one NSG cache for the sample.
    let net = Net::new(index);
    let health = memo.health.entry(b).or_insert_with(|| bastion_health(&net, b).checks).clone();
    let ctx = BastionCtx::new(&net, b);
    for &vm in &unreached {
        let mut sink = Recorder(health.clone());
        let kind = reach::vnet_path(&ctx, v, &mut sink);
        reach::vm_checks(&ctx, &mut memo.nsgs, kind, vm, &mut sink);
        for check in sink.0.iter().filter(|c| c.outcome == Outcome::Fail) {
            let action = fix_for_check(index, findings, b, Target::Vm(vm), check)?;
            merge_into(&mut actions, action);
        }
    }
    // Developer → a dedicated SKU moves the sessions' source from 168.63.129.16 to the new
    // AzureBastionSubnet: what the NSGs then block is only known on the upgraded design, so
    // the fixes so far are applied to a copy and its remaining failures fixed as well.
    let from_developer = design_sku(index, b) == Some(BastionSku::Developer)
        && actions.iter().any(|a| matches!(a, FixAction::SetBastionSku { .. }));
    if from_developer {
        let mut file = crate::model::DesignFile { design: index.design.clone(), layout: Default::default() };
        crate::edit::apply_command(&mut file, &crate::edit::Command::ApplyFix(batch(actions.clone())?)).ok()?;
        let upgraded = Index::new(&file.design);
        for &vm in &unreached {
            let explanation = explain_in(&upgraded, b, Target::Vm(vm));
            for check in explanation.checks.iter().filter(|c| c.outcome == Outcome::Fail) {
                let action = fix_for_check(&upgraded, &[], b, Target::Vm(vm), check)?;
                merge_into(&mut actions, action);
            }
        }
    }
    batch(actions)
}

fn design_sku(index: &Index, b: usize) -> Option<BastionSku> {
    index.design.bastions.get(b).map(|it| it.sku)
}

/// Adds `action` to a batch: an NSG rule of the same name (same Bastion, direction and
/// port) gains the new destinations instead of a second rule at the same priority.
fn merge_into(actions: &mut Vec<FixAction>, action: FixAction) {
    if actions.contains(&action) {
        return;
    }
    if let FixAction::AddNsgRules { nsg, rules } = &action {
        let existing = actions.iter_mut().find_map(|a| match a {
            FixAction::AddNsgRules { nsg: other, rules: kept } if other == nsg => Some(kept),
            _ => None,
        });
        if let Some(kept) = existing {
            for rule in rules {
                match kept.iter_mut().find(|r| r.name == rule.name) {
                    Some(same) => {
                        for d in &rule.destinations {
                            if !same.destinations.contains(d) {
                                same.destinations.push(d.clone());
                            }
                        }
                    }
                    None => {
                        let mut rule = rule.clone();
                        let used: Vec<u32> =
                            kept.iter().filter(|r| r.direction == rule.direction).map(|r| r.priority).collect();
                        while used.contains(&rule.priority) && rule.priority < 4096 {
                            rule.priority += 1;
                        }
                        kept.push(rule);
                    }
                }
            }
            return;
        }
    }
    actions.push(action);
}
