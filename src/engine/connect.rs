//! The Connect simulation (issue 5): a user presses Connect on a VM, as in the portal.
//! It lists the Bastions Azure detects (the VM's own VNet first, then peered VNets), picks
//! one, and joins the network verdict (the same check functions as `explain`), the client
//! and protocol the user asked for, the user's roles (`rbac::evaluate`) and the portal's
//! subscription filter into one outcome: the session opens, or every failing check with its fix.

use super::graph::Net;
use super::health::bastion_health;
use super::rbac::{self, Assignments};
use super::reach::{self, BastionCtx, NsgCache, Recorder, SessionTarget, Sink};
use super::{Analysis, Check, Finding, FixAction, Index, Outcome, PathKind, RuleId, Target};
use crate::model::{default_port, BastionSku, Design, Os, PeeringState, SignIn};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ConnectProtocol {
    Rdp,
    Ssh,
}

impl ConnectProtocol {
    /// The protocol a VM serves by default (SSH on Linux, RDP on Windows).
    pub fn native_to(os: Os) -> ConnectProtocol {
        match os {
            Os::Linux => ConnectProtocol::Ssh,
            Os::Windows => ConnectProtocol::Rdp,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            ConnectProtocol::Rdp => "RDP",
            ConnectProtocol::Ssh => "SSH",
        }
    }
    /// The OS whose default service this protocol is.
    fn os(self) -> Os {
        match self {
            ConnectProtocol::Rdp => Os::Windows,
            ConnectProtocol::Ssh => Os::Linux,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ConnectClient {
    /// The portal's web client (HTML5), from the VM's Connect page.
    Browser,
    /// `az network bastion ssh|rdp` (Standard or Premium with native client support on).
    NativeClient,
    /// The Bastion's own Connect blade with a private IP (Standard or Premium with
    /// IP-based connection on).
    IpBased,
}

impl ConnectClient {
    pub fn name(self) -> &'static str {
        match self {
            ConnectClient::Browser => "the browser",
            ConnectClient::NativeClient => "the native client",
            ConnectClient::IpBased => "IP-based connection",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectRequest {
    pub protocol: ConnectProtocol,
    pub client: ConnectClient,
    /// The Bastion the user picks in the list; `None` takes Azure's default: the first
    /// detected (the VM's own VNet first), as the portal's Connect page does.
    pub bastion: Option<String>,
    /// The subscriptions selected in the portal's global filter; `None` means all.
    pub subscription_filter: Option<Vec<String>>,
}

impl ConnectRequest {
    /// The VM's own protocol from the browser, Azure's default Bastion, every subscription.
    pub fn default_for(design: &Design, vm: &str) -> ConnectRequest {
        let protocol = design.vm(vm).map_or(ConnectProtocol::Ssh, |it| ConnectProtocol::native_to(it.os));
        ConnectRequest { protocol, client: ConnectClient::Browser, bastion: None, subscription_filter: None }
    }
}

/// Where a detected Bastion sits relative to the VM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum BastionPlace {
    /// In the VM's own VNet (listed first, Azure's default).
    SameVnet,
    /// In a VNet peered directly with the VM's (any peering state).
    PeeredVnet,
    /// Joined through a Virtual WAN or a gateway: only the Bastion's own Connect blade
    /// reaches the VM, by IP-based connection (detected only for `IpBased`).
    IpBasedOnly,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DetectedBastion {
    pub name: String,
    pub vnet: String,
    pub place: BastionPlace,
    pub sku: BastionSku,
    /// The network verdict of (this Bastion, the VM) for the requested protocol.
    pub reachable: bool,
}

/// What a step of the Connect flow looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectStage {
    /// Is there a Bastion to pick at all.
    Detection,
    /// B-HEALTH-*.
    BastionHealth,
    /// R-SAME, R-PEER, R-VWAN, R-HYBRID, R-NONTRANSITIVE, R-NOPATH.
    NetworkPath,
    /// R-IPCONNECT, R-PROTO, R-DEV-ONE and what the client needs of the SKU.
    Sku,
    /// R-NSG-OUT, R-NSG-IN.
    Nsg,
    /// RBAC-*.
    Rbac,
    /// PORTAL-SUBSCRIPTION-FILTER.
    SubscriptionFilter,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectStep {
    pub stage: ConnectStage,
    pub rule: RuleId,
    pub resource: String,
    pub found: String,
    pub outcome: Outcome,
    /// What to change, as a sentence (empty when passing).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix: String,
    /// The fix as one undoable edit, when it is mechanical (`edit::Command::ApplyFix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_action: Option<FixAction>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectOutcome {
    pub user: String,
    pub vm: String,
    pub protocol: ConnectProtocol,
    pub client: ConnectClient,
    /// The port the session uses on the VM.
    pub port: u16,
    /// Every Bastion the Connect page lists, the VM's own VNet first.
    pub detected: Vec<DetectedBastion>,
    /// The Bastion the session goes through (None when none is detected).
    pub bastion: Option<String>,
    /// True when the session would open: no step failed.
    pub opens: bool,
    /// Every step, in the flow's order (detection, health, path, SKU, NSG, RBAC, filter).
    pub steps: Vec<ConnectStep>,
}

impl ConnectOutcome {
    /// The failing steps, in order.
    pub fn failures(&self) -> impl Iterator<Item = &ConnectStep> {
        self.steps.iter().filter(|s| s.outcome == Outcome::Fail)
    }
}

fn stage_of(rule: RuleId) -> ConnectStage {
    use RuleId::*;
    match rule {
        BHealth1 | BHealth2 | BHealth3 | BHealth4 | BHealth5 | BHealth6 | BHealth7 | BHealth8 => {
            ConnectStage::BastionHealth
        }
        RSame | RPeer | RVwan | RHybrid | RNonTransitive | RNoPath => ConnectStage::NetworkPath,
        RNsgIn | RNsgOut => ConnectStage::Nsg,
        RbacVm | RbacNic | RbacBastion | RbacVnet | RbacVnetSame | RbacEntra | RbacKv | RbacShare | RbacDev => {
            ConnectStage::Rbac
        }
        PortalSubscriptionFilter => ConnectStage::SubscriptionFilter,
        _ => ConnectStage::Sku,
    }
}

fn step(check: Check, fix_action: Option<FixAction>) -> ConnectStep {
    ConnectStep {
        stage: stage_of(check.rule),
        rule: check.rule,
        resource: check.resource,
        found: check.found,
        outcome: check.outcome,
        fix: check.fix,
        fix_action: if check.outcome == Outcome::Fail { fix_action } else { None },
    }
}

/// Simulates pressing Connect on `vm` as `user`. Never panics: unknown names give an
/// outcome with one failing detection step.
pub fn simulate(
    design: &Design,
    analysis: &Analysis,
    user: &str,
    vm: &str,
    request: &ConnectRequest,
) -> ConnectOutcome {
    let index = Index::new(design);
    simulate_in(&index, analysis, user, vm, request)
}

/// `simulate` with an index built once by the caller.
pub fn simulate_in(
    index: &Index,
    analysis: &Analysis,
    user: &str,
    vm: &str,
    request: &ConnectRequest,
) -> ConnectOutcome {
    let design = index.design;
    let mut out = ConnectOutcome {
        user: user.to_string(),
        vm: vm.to_string(),
        protocol: request.protocol,
        client: request.client,
        port: default_port(request.protocol.os()),
        detected: Vec::new(),
        bastion: None,
        opens: false,
        steps: Vec::new(),
    };
    let fail = |resource: &str, found: String, fix: String| ConnectStep {
        stage: ConnectStage::Detection,
        rule: RuleId::RNoPath,
        resource: resource.to_string(),
        found,
        outcome: Outcome::Fail,
        fix,
        fix_action: None,
    };
    let (Some(&v_idx), Some(&u_idx)) = (index.vm_by_name.get(vm), index.user_by_name.get(user)) else {
        out.steps.push(fail(vm, format!("{user} or {vm} is not in the design."), String::new()));
        return out;
    };
    let vm_def = &design.vms[v_idx];
    if ConnectProtocol::native_to(vm_def.os) == request.protocol {
        out.port = vm_def.service_port();
    }
    let Some((home, _)) = index.vm_location(v_idx) else {
        out.steps.push(fail(
            vm,
            format!("{vm}'s NIC names a VNet or subnet that does not exist."),
            format!("Put {vm}'s NIC in an existing VNet and subnet."),
        ));
        return out;
    };
    let net = Net::new(index);
    let mut cache = NsgCache::default();

    // Detection: the VM's own VNet, then VNets peered directly with it (design order);
    // IP-based connection also lists Bastions joined through a Virtual WAN.
    let mut candidates: Vec<(usize, BastionPlace)> = Vec::new();
    for (b, bastion_vnet) in index.bastion_vnet.iter().enumerate() {
        let Some(bv) = *bastion_vnet else { continue };
        let place = if bv == home {
            Some(BastionPlace::SameVnet)
        } else if index.link.contains_key(&(home, bv)) || index.link.contains_key(&(bv, home)) {
            Some(BastionPlace::PeeredVnet)
        } else if request.client == ConnectClient::IpBased
            && analysis.reach.get(b).and_then(|r| r.vnet_paths.get(home)).is_some_and(|p| p.kind == PathKind::Vwan)
        {
            Some(BastionPlace::IpBasedOnly)
        } else {
            None
        };
        if let Some(place) = place {
            candidates.push((b, place));
        }
    }
    crate::util::sort_by_key(&mut candidates, |&(b, place)| (place, b));
    let chains: Vec<Vec<Check>> =
        candidates.iter().map(|&(b, _)| network_chain(&net, &mut cache, b, v_idx, home, request)).collect();
    for (&(b, place), chain) in candidates.iter().zip(&chains) {
        out.detected.push(DetectedBastion {
            name: design.bastions[b].name.clone(),
            vnet: design.bastions[b].vnet.clone(),
            place,
            sku: design.bastions[b].sku,
            reachable: chain.iter().all(|c| c.outcome != Outcome::Fail),
        });
    }
    let chosen = match &request.bastion {
        Some(name) => candidates.iter().position(|&(b, _)| design.bastions[b].name == *name),
        // Azure's default is the first listed (the VM's own VNet first), whether or not it
        // can open the session; `detected[].reachable` shows which other one would.
        None => (!candidates.is_empty()).then_some(0),
    };
    let Some(pos) = chosen else {
        let vnet = &design.vnets[home].name;
        let found = match &request.bastion {
            Some(name) => format!(
                "{name} is not listed on {vm}'s Connect page: it is neither in {vnet} nor in a VNet peered with it."
            ),
            None => {
                format!("No Bastion is deployed in {vnet} or in a VNet peered with it, so the Connect page lists none.")
            }
        };
        let mut fix = format!("Deploy a Bastion in {vnet}, or peer {vnet} with the VNet of an existing Bastion.");
        // R-VWAN: a Bastion joined through a Virtual WAN is not listed on the VM's page but
        // reaches it by IP-based connection from its own Connect page.
        if request.client != ConnectClient::IpBased {
            let vwan = (0..design.bastions.len()).find(|&b| {
                analysis.reach.get(b).and_then(|r| r.vnet_paths.get(home)).is_some_and(|p| p.kind == PathKind::Vwan)
            });
            if let Some(b) = vwan {
                let bastion = &design.bastions[b];
                let _ = write!(
                    fix,
                    " Or connect by IP-based connection from {}'s own Connect page: it reaches {vnet} through the Virtual WAN (R-VWAN; Standard or Premium with IP-based connection on).",
                    bastion.name
                );
            }
        }
        out.steps.push(fail(vnet, found, fix));
        return out;
    };
    let (b, _) = candidates[pos];
    out.bastion = Some(design.bastions[b].name.clone());

    for check in chains[pos].clone() {
        // With IP-based connection as the client, `client_steps` says what R-IPCONNECT
        // finds (on the VM); the chain's own R-IPCONNECT, decided by the network path
        // alone, would say the session does not use IP-based connection, or fail twice.
        if request.client == ConnectClient::IpBased && check.rule == RuleId::RIpConnect {
            continue;
        }
        // Likewise R-DEV-ONE: a Developer host opened from anywhere but the VM's own Connect
        // page in the browser fails it in `client_steps`; the chain's "serves one VM at a
        // time, from the VM's page" would pass beside that failure.
        if request.client != ConnectClient::Browser && check.rule == RuleId::RDevOne {
            continue;
        }
        let action = match (check.outcome, check.rule) {
            (Outcome::Fail, RuleId::RNsgIn | RuleId::RNsgOut) => {
                super::nsg_helper::pair_fix(index, b, v_idx, out.port, check.rule, &check.resource)
            }
            (Outcome::Fail, _) => fix_for_check(index, &analysis.findings, b, Target::Vm(v_idx), &check),
            _ => None,
        };
        out.steps.push(step(check, action));
    }
    client_steps(index, b, v_idx, request, &mut out.steps);

    // RBAC: what this user needs through this Bastion (rules.md §4), from rbac::evaluate.
    let assignments = Assignments::new(index);
    let eval = rbac::evaluate(index, analysis, &assignments, u_idx, v_idx, b);
    for check in eval.checks {
        let grant = eval.missing.iter().find(|g| g.rule == check.rule && check.outcome == Outcome::Fail);
        let action = grant.map(|g| FixAction::AddRoleAssignment {
            principal: g.principal.clone(),
            role: g.role,
            scope: g.scope.clone(),
        });
        out.steps.push(step(check, action));
    }

    // The portal's subscription filter (azure-facts §4.6).
    out.steps.push(subscription_step(index, b, v_idx, request));
    out.opens = out.steps.iter().all(|s| s.outcome != Outcome::Fail);
    out
}

/// Health, path, session and NSG checks of (Bastion `b`, VM `vm`) for the requested
/// protocol: the chain `explain` builds, with the port and OS of the requested protocol.
fn network_chain(
    net: &Net,
    cache: &mut NsgCache,
    b: usize,
    vm: usize,
    home: usize,
    request: &ConnectRequest,
) -> Vec<Check> {
    let index = net.index;
    let def = &index.design.vms[vm];
    let health = bastion_health(net, b);
    let ctx = BastionCtx::new(net, b);
    let mut sink = Recorder(health.checks);
    let kind = reach::vnet_path(&ctx, home, &mut sink);
    let native = ConnectProtocol::native_to(def.os) == request.protocol;
    let port = if native { def.service_port() } else { default_port(request.protocol.os()) };
    let os = if native { def.os } else { request.protocol.os() };
    reach::session_checks(
        &ctx,
        kind,
        SessionTarget { name: &def.name, os, port, entra_id: matches!(def.sign_in, SignIn::EntraId) },
        &mut sink,
    );
    if !native {
        // R-PROTO's cross-protocol half: RDP to Linux or SSH to Windows needs Standard+.
        let (p, bname, sku) = (request.protocol.name(), &index.design.bastions[b].name, ctx.sku);
        let os_name = format!("{:?}", def.os);
        if matches!(sku, BastionSku::Standard | BastionSku::Premium) {
            sink.push(RuleId::RProto, Outcome::Pass, || reach::Text {
                resource: def.name.clone(),
                found: format!("{p} to a {os_name} VM is supported by {bname} ({}).", sku.name()),
                fix: String::new(),
            });
        } else {
            sink.push(RuleId::RProto, Outcome::Fail, || reach::Text {
                resource: bname.clone(),
                found: format!("{p} to a {os_name} VM needs Standard or Premium; {bname} is {}.", sku.name()),
                fix: format!(
                    "Upgrade {bname} to Standard, or connect to {} with {}.",
                    def.name,
                    ConnectProtocol::native_to(def.os).name()
                ),
            });
        }
    }
    let (subnet_nsg, nic_nsg) = reach::vm_nsgs(net, vm);
    reach::nsg_checks(
        &ctx,
        cache,
        reach::NsgTarget { name: &def.name, ip: def.nic.private_ip, port, vnet: Some(home), subnet_nsg, nic_nsg },
        &mut sink,
    );
    sink.0
}

/// What the chosen client needs of the Bastion (rules.md §3: native client and IP-based
/// connection need Standard or Premium with the feature on, and do not exist on Developer,
/// R-DEV-ONE; no Entra ID over IP-based connection).
fn client_steps(index: &Index, b: usize, vm: usize, request: &ConnectRequest, steps: &mut Vec<ConnectStep>) {
    let design = index.design;
    let bastion = &design.bastions[b];
    let bname = &bastion.name;
    let sku = bastion.sku.name();
    let standard = matches!(bastion.sku, BastionSku::Standard | BastionSku::Premium);
    // The feature the client needs of the host: its words, whether it is on, and its edit.
    let (feature, subject, on, action) = match request.client {
        ConnectClient::Browser => return,
        ConnectClient::NativeClient => (
            "native client support",
            "The native client",
            bastion.features.native_client,
            FixAction::EnableNativeClient { bastion: bname.clone() },
        ),
        ConnectClient::IpBased => (
            "IP-based connection",
            "IP-based connection",
            bastion.features.ip_connect,
            FixAction::EnableIpConnect { bastion: bname.clone() },
        ),
    };
    let action = if standard {
        action
    } else {
        FixAction::Batch {
            actions: vec![FixAction::SetBastionSku { bastion: bname.clone(), sku: BastionSku::Standard }, action],
        }
    };
    let ok = standard && on;
    let vm_name = &design.vms[vm].name;
    let (rule, found, fix) = if bastion.sku == BastionSku::Developer {
        // R-DEV-ONE: Developer serves a session only from the VM's own Connect page in the
        // browser (azure-facts §1); neither the native client nor the Bastion's IP-based
        // Connect blade exists on it, whatever its features say.
        (
            RuleId::RDevOne,
            format!(
                "{bname} is Developer, which serves a session only from {vm_name}'s own Connect page in the browser: {} is not available on it.",
                request.client.name()
            ),
            format!(
                "Connect from {vm_name}'s Connect page in the browser, or upgrade {bname} to Standard and turn on {feature} (in place, about 10 minutes; needs an AzureBastionSubnet /26 or larger and a Standard static public IP)."
            ),
        )
    } else if ok {
        (RuleId::SkuUpgrade, format!("{bname} ({sku}) has {feature} on."), String::new())
    } else if !standard {
        (
            RuleId::SkuUpgrade,
            format!("{subject} needs Standard or Premium; {bname} is {sku}."),
            format!("Upgrade {bname} to Standard and turn on {feature} (in place, about 10 minutes)."),
        )
    } else {
        (
            RuleId::SkuUpgrade,
            format!("{bname} does not have {feature} turned on."),
            format!("Turn on {feature} on {bname}."),
        )
    };
    steps.push(ConnectStep {
        stage: ConnectStage::Sku,
        rule,
        resource: bname.clone(),
        found,
        outcome: if ok { Outcome::Pass } else { Outcome::Fail },
        fix,
        fix_action: (!ok).then_some(action),
    });
    if request.client == ConnectClient::IpBased {
        let entra = design.vms[vm].sign_in == SignIn::EntraId;
        steps.push(ConnectStep {
            stage: ConnectStage::Sku,
            rule: RuleId::RIpConnect,
            // About the VM's sign-in, as the network chain's R-IPCONNECT is.
            resource: vm_name.clone(),
            found: if entra {
                format!("{vm_name} signs in with Entra ID, which IP-based connection does not support.")
            } else {
                format!("{vm_name} signs in with a local account, which IP-based connection supports.")
            },
            outcome: if entra { Outcome::Fail } else { Outcome::Pass },
            fix: if entra {
                format!("Connect to {vm_name} by resource (browser or native client), or sign in with a local account.")
            } else {
                String::new()
            },
            fix_action: None,
        });
    }
}

fn subscription_step(index: &Index, b: usize, vm: usize, request: &ConnectRequest) -> ConnectStep {
    let design = index.design;
    let bastion_sub = index.bastion_vnet[b].map(|v| design.vnets[v].subscription.clone()).unwrap_or_default();
    let mut needed = vec![design.vms[vm].subscription.clone()];
    if !needed.contains(&bastion_sub) && !bastion_sub.is_empty() {
        needed.push(bastion_sub);
    }
    let missing: Vec<&String> = match &request.subscription_filter {
        None => Vec::new(),
        Some(selected) => needed.iter().filter(|s| !selected.contains(s)).collect(),
    };
    let listed = needed.join(" and ");
    if missing.is_empty() {
        ConnectStep {
            stage: ConnectStage::SubscriptionFilter,
            rule: RuleId::PortalSubscriptionFilter,
            resource: listed.clone(),
            found: format!("The portal's subscription filter shows {listed}."),
            outcome: Outcome::Pass,
            fix: String::new(),
            fix_action: None,
        }
    } else {
        let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        ConnectStep {
            stage: ConnectStage::SubscriptionFilter,
            rule: RuleId::PortalSubscriptionFilter,
            resource: names.join(", "),
            found: format!("{} is not selected in the portal's subscription filter, so the Connect page does not list the Bastion.", names.join(" and ")),
            outcome: Outcome::Fail,
            fix: format!("Select {} in the portal's global subscription filter (Settings → Directories + subscriptions).", names.join(" and ")),
            fix_action: None,
        }
    }
}

/// The mechanical fix of one failing network check of (Bastion `b`, `target`), when there
/// is one: health fixes come from the findings (`analyze`'s, with their fix actions), path and
/// SKU fixes from the check's rule, NSG fixes from `nsg_helper`.
pub fn fix_for_check(
    index: &Index,
    findings: &[Finding],
    b: usize,
    target: Target,
    check: &Check,
) -> Option<FixAction> {
    let design = index.design;
    let bastion = design.bastions.get(b)?;
    let bname = bastion.name.clone();
    let standard = matches!(bastion.sku, BastionSku::Standard | BastionSku::Premium);
    match check.rule {
        RuleId::BHealth1
        | RuleId::BHealth2
        | RuleId::BHealth3
        | RuleId::BHealth4
        | RuleId::BHealth5
        | RuleId::BHealth6
        | RuleId::BHealth7
        | RuleId::BHealth8 => {
            findings.iter().find(|f| f.id == check.rule && f.resource == bname).and_then(|f| f.fix_action.clone())
        }
        RuleId::RPeer => {
            let bv = index.bastion_vnet.get(b).copied().flatten()?;
            let tv = match target {
                Target::Vm(vm) => index.vm_location(vm)?.0,
                Target::Machine(_) => return None,
            };
            if bastion.sku == BastionSku::Developer && index.peering_usable(bv, tv) {
                return Some(FixAction::SetBastionSku { bastion: bname, sku: BastionSku::Basic });
            }
            match index.peering_state(bv, tv) {
                Some(PeeringState::Initiated) | Some(PeeringState::Disconnected) => {
                    let (a, b) = (&design.vnets[bv].name, &design.vnets[tv].name);
                    let has = |from: usize, to: usize| index.link.contains_key(&(from, to));
                    match (has(bv, tv), has(tv, bv)) {
                        (true, false) => Some(FixAction::CreatePeeringLink { from: b.clone(), to: a.clone() }),
                        (false, true) => Some(FixAction::CreatePeeringLink { from: a.clone(), to: b.clone() }),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        RuleId::RNonTransitive | RuleId::RNoPath => {
            let bv = index.bastion_vnet.get(b).copied().flatten()?;
            let Target::Vm(vm) = target else { return None };
            let tv = index.vm_location(vm)?.0;
            // Only a plain peering repairs it: the VNets must not overlap (validation
            // refuses the edit otherwise) and must be in one tenant.
            let overlap = design.vnets[bv]
                .address_prefixes
                .iter()
                .any(|p| design.vnets[tv].address_prefixes.iter().any(|q| p.overlaps(q)));
            let same_tenant = Net::new(index).same_tenant(bv, tv);
            (!overlap && same_tenant && bv != tv)
                .then(|| FixAction::AddPeering { a: design.vnets[bv].name.clone(), b: design.vnets[tv].name.clone() })
        }
        RuleId::RVwan | RuleId::RHybrid => {
            let enable = FixAction::EnableIpConnect { bastion: bname.clone() };
            Some(if standard {
                enable
            } else {
                FixAction::Batch {
                    actions: vec![FixAction::SetBastionSku { bastion: bname, sku: BastionSku::Standard }, enable],
                }
            })
        }
        RuleId::RProto if !standard => Some(FixAction::SetBastionSku { bastion: bname, sku: BastionSku::Standard }),
        RuleId::RNsgIn | RuleId::RNsgOut => {
            let Target::Vm(vm) = target else { return None };
            let port = design.vms.get(vm)?.service_port();
            super::nsg_helper::pair_fix(index, b, vm, port, check.rule, &check.resource)
        }
        _ => None,
    }
}
