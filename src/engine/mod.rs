//! The analysis engine: `analyze(&Design) -> Analysis`, a pure, deterministic function
//! (no IO, no clock, no web types) that decides everything in rules.md §2–7.
//!
//! Speed matters (the page re-analyzes on every edit), so the fast path computes every
//! verdict compactly — a blocker rule id per pair — and `explain` rebuilds the full check
//! chain of one pair on demand by running the very same check functions with a recorder.

pub mod advice_findings;
pub mod connect;
pub mod consolidation;
pub mod cost;
pub mod diff;
pub mod diff_bastions;
pub mod explain;
pub mod fixes;
pub mod fx;
pub mod graph;
pub mod health;
pub mod index;
pub mod network_findings;
pub mod nsg_eval;
pub mod nsg_helper;
pub mod options;
pub mod plan_exposure;
pub mod rbac;
pub mod reach;
pub mod rules;
pub mod sku;

use crate::model::{BastionSku, Design, NsgRule, PriceTable, Role};
pub use diff::{diff, AnalysisDiff};
pub use explain::{explain, explain_in};
pub use index::Index;
pub use rbac::CompactAccess;
pub use rules::RuleId;
use serde::Serialize;
use std::borrow::Cow;

/// The outcome of one check in a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// A problem that does not block (a /27 AzureBastionSubnet, advice).
    Warn,
    /// Not evaluated because it does not apply (an NSG check where no NSG is attached).
    Skip,
}

/// One step of a verdict's explanation: which rule, which resource, what was found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub rule: RuleId,
    /// The resource the check looked at (a name from the design).
    pub resource: String,
    /// What was found, as a sentence.
    pub found: String,
    pub outcome: Outcome,
    /// For a failing check: what to change, as a sentence (empty when passing).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Reachable,
    Blocked,
}

/// A remote-access target: an Azure VM (or scale set) or an on-premises machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Index into `design.vms`.
    Vm(usize),
    /// Index into `design.onprem_machines`.
    Machine(usize),
}

impl Target {
    pub fn name<'d>(&self, design: &'d Design) -> &'d str {
        match *self {
            Target::Vm(idx) => &design.vms[idx].name,
            Target::Machine(idx) => &design.onprem_machines[idx].name,
        }
    }
}

/// How the network joins a Bastion's VNet to a target's VNet (or site).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PathKind {
    Same,
    Peer,
    Vwan,
    Hybrid,
    NonTransitive,
    NoPath,
}

/// The VNet-level part of a verdict: every target in that VNet shares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VnetPath {
    pub kind: PathKind,
    /// Set when something at the Bastion or VNet level already blocks every target there
    /// (health, path, SKU capability for the path).
    pub blocker: Option<RuleId>,
}

/// Everything one Bastion can and cannot reach, compactly.
#[derive(Clone, Debug, PartialEq)]
pub struct BastionReach {
    /// Index into `design.bastions`.
    pub bastion: usize,
    /// Indexed by VNet index (`design.vnets`).
    pub vnet_paths: Vec<VnetPath>,
    /// Per-VM blockers for VMs in VNets whose `VnetPath::blocker` is `None`,
    /// sorted by VM index. VMs elsewhere take their VNet's blocker. The VM index is a u32:
    /// 8 bytes an entry instead of 16 natively (4·10⁴ entries on an enterprise estate, written
    /// once and read by three later passes).
    pub vm_blockers: Vec<(u32, Option<RuleId>)>,
    /// Indexed by on-premises machine index.
    pub machine_blockers: Vec<Option<RuleId>>,
}

/// The health of one Bastion host (B-HEALTH-1…8 and the §5 NSG rows).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BastionHealth {
    pub bastion: String,
    pub checks: Vec<Check>,
    /// The first error-severity failure; a Bastion with one reaches nothing.
    pub blocker: Option<RuleId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A mechanical fix the editor can apply as one undoable edit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FixAction {
    AddNsgRules {
        nsg: String,
        rules: Vec<NsgRule>,
    },
    SetBastionSku {
        bastion: String,
        sku: BastionSku,
    },
    SetScaleUnits {
        bastion: String,
        scale_units: u32,
    },
    EnableIpConnect {
        bastion: String,
    },
    SetDiagnostics {
        bastion: String,
        workspace: String,
    },
    AddRoleAssignment {
        principal: String,
        role: Role,
        scope: String,
    },
    CreatePeeringLink {
        from: String,
        to: String,
    },
    RemovePublicIp {
        vm: String,
    },
    RemoveRouteTable {
        vnet: String,
        subnet: String,
    },
    /// Both links of a peering between two VNets (default flags), where a link is missing.
    AddPeering {
        a: String,
        b: String,
    },
    EnableNativeClient {
        bastion: String,
    },
    /// Adds what a dedicated Bastion is missing: an AzureBastionSubnet (first free /26) and
    /// a Standard static public IP (B-HEALTH-1, B-HEALTH-5).
    ProvisionBastion {
        bastion: String,
    },
    /// Makes a public IP Standard, static, IPv4 (B-HEALTH-5).
    RepairPublicIp {
        public_ip: String,
    },
    /// Unlinks private DNS zones from a VNet (B-HEALTH-7).
    UnlinkPrivateDnsZones {
        vnet: String,
        zones: Vec<String>,
    },
    /// Stops a site connection advertising 0.0.0.0/0 (B-HEALTH-6).
    StopSiteDefaultRoute {
        site_connection: String,
    },
    /// Stops a VNet's Route Server advertising 0.0.0.0/0 (B-HEALTH-6).
    StopRouteServerDefaultRoute {
        vnet: String,
    },
    /// Stops a secured hub propagating 0.0.0.0/0 over a hub connection (B-HEALTH-6).
    StopHubDefaultRoute {
        hub_connection: String,
    },
    /// Turns on Defender for Servers Plan 2 on a subscription (JIT-3).
    EnableDefenderForServers {
        subscription: String,
    },
    /// Turns on allowGatewayTransit on the peering link `from` → `to` (PEER-GATEWAY-TRANSIT).
    AllowGatewayTransit {
        from: String,
        to: String,
    },
    /// Several fixes applied in order as one undoable edit (e.g. upgrade a Bastion, then
    /// turn a feature on).
    Batch {
        actions: Vec<FixAction>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub id: RuleId,
    pub severity: Severity,
    /// The resource the finding attaches to (rules.md §8, "Where findings attach"),
    /// or "design" for design-wide findings.
    pub resource: String,
    pub message: String,
    /// What to do, in a sentence: borrowed when it is the same for every finding of its
    /// rule (CAF-R8 says one sentence to 10³ VMs; a copy each was 10³ allocations and frees).
    pub fix: Cow<'static, str>,
    /// The fix as one edit, when it is mechanical and cheap to build; `analyze` leaves it
    /// out for the fixes built on demand (`fixes::fix_action_for`, `mechanical` set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_action: Option<FixAction>,
    /// The fix is one edit the page can apply: `fix_action` holds it, or
    /// `fixes::fix_action_for` builds it. (The JSON report fills every `fix_action` instead.)
    #[serde(skip)]
    pub mechanical: bool,
}

/// One requirement behind a SKU choice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkuReason {
    pub needs: BastionSku,
    /// The feature or target that demands it, as a sentence.
    pub because: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkuAdvice {
    pub bastion: String,
    pub current: BastionSku,
    /// The least SKU the design needs.
    pub least: BastionSku,
    /// The lowest SKU a redeploy of this host should take: `least`, at least Basic for a
    /// dedicated host (CAF-R1), at least Standard while targets wait for IP-based
    /// connection. Above it the host is over-provisioned (advice only).
    #[serde(skip)]
    pub enough: BastionSku,
    pub reasons: Vec<SkuReason>,
    /// How to get from `current` to `least` (or "none needed", or delete and redeploy).
    pub upgrade_path: String,
    /// Instances the expected sessions need (SKU-CAPACITY).
    pub instances_needed: u32,
    /// Notes that are advice rather than requirements (over-provisioning, IP connect).
    pub advice: Vec<String>,
}

/// A role assignment that would grant a missing requirement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Grant {
    pub rule: RuleId,
    pub principal: String,
    pub role: Role,
    pub scope: String,
}

/// What a principal needs to connect to a target through a Bastion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RbacResult {
    pub principal: String,
    pub target: String,
    pub bastion: String,
    pub granted: bool,
    /// The checks of §4, in order (RBAC-VM, RBAC-NIC, RBAC-BASTION or RBAC-DEV, RBAC-VNET, …).
    pub checks: Vec<Check>,
    /// The narrowest assignments that would grant each missing requirement.
    pub missing: Vec<Grant>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BastionCost {
    pub bastion: String,
    pub sku: BastionSku,
    pub instances: u32,
    pub base: f64,
    pub extra_instances: f64,
    pub data: f64,
    pub total: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostReport {
    pub prices: PriceTable,
    pub hours_per_month: f64,
    pub bastions: Vec<BastionCost>,
    pub total: f64,
    /// Always true: list prices change and vary by region; never a quote.
    pub approximate: bool,
}

/// The result of `analyze`: a pure function of the design.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// One entry per Bastion, in design order.
    pub health: Vec<BastionHealth>,
    /// One entry per Bastion, in design order.
    pub reach: Vec<BastionReach>,
    /// VNet index of each VM (by VM index), to resolve verdicts; `None` for a VM whose
    /// NIC names a missing VNet or subnet (only in unvalidated designs).
    /// A u32 for the same reason as `BastionReach::vm_blockers`.
    pub vm_vnet: Vec<Option<u32>>,
    pub sku: Vec<SkuAdvice>,
    /// One compact verdict per (user, VM they hold a role on) that a Bastion reaches
    /// (`rbac::analyze_rbac_with_denied`); spelled out on demand (`rbac::materialize_results`,
    /// `rbac::materialize_access`).
    pub rbac: Vec<CompactAccess>,
    pub findings: Vec<Finding>,
    pub cost: CostReport,
    /// False for the first stage only (`analyze_verdicts`): its SKU advice, RBAC, findings
    /// and cost are not computed yet.
    complete: bool,
}

impl Analysis {
    /// Whether SKU advice, RBAC, findings and cost are computed (see `analyze_verdicts`).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The blocker of (bastion, target), or `None` when reachable.
    pub fn blocker(&self, bastion: usize, target: Target) -> Option<RuleId> {
        let reach = &self.reach[bastion];
        match target {
            Target::Machine(idx) => reach.machine_blockers.get(idx).copied().flatten(),
            Target::Vm(idx) => {
                let Some(vnet) = self.vm_vnet.get(idx).copied().flatten() else {
                    return Some(RuleId::RNoPath);
                };
                let path = reach.vnet_paths[vnet as usize];
                if path.blocker.is_some() {
                    return path.blocker;
                }
                match reach.vm_blockers.binary_search_by_key(&idx, |it| it.0 as usize) {
                    Ok(pos) => reach.vm_blockers[pos].1,
                    Err(_) => Some(RuleId::RNoPath),
                }
            }
        }
    }

    pub fn verdict(&self, bastion: usize, target: Target) -> Verdict {
        match self.blocker(bastion, target) {
            None => Verdict::Reachable,
            Some(_) => Verdict::Blocked,
        }
    }

    /// How many (bastion, target) pairs there are, and how many of them are reachable:
    /// `pairs()` counted without deciding each of the pairs (two million on an estate, where
    /// the page's overview shows these counts after every edit). A VM is reachable only
    /// through a per-VM verdict, so only those are decided.
    pub fn pair_counts(&self) -> (usize, usize) {
        let mut total = 0;
        let mut reachable = 0;
        for (b, reach) in self.reach.iter().enumerate() {
            total += self.vm_vnet.len() + reach.machine_blockers.len();
            reachable += reach.machine_blockers.iter().filter(|it| it.is_none()).count();
            reachable +=
                reach.vm_blockers.iter().filter(|&&(vm, _)| self.blocker(b, Target::Vm(vm as usize)).is_none()).count();
        }
        (total, reachable)
    }

    /// Every (bastion, target, blocker) in a stable order: Bastions in design order,
    /// then VMs, then on-premises machines.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, Target, Option<RuleId>)> + '_ {
        (0..self.reach.len()).flat_map(move |b| {
            let vms = (0..self.vm_vnet.len()).map(move |vm| (b, Target::Vm(vm), self.blocker(b, Target::Vm(vm))));
            let machines = (0..self.reach[b].machine_blockers.len())
                .map(move |m| (b, Target::Machine(m), self.blocker(b, Target::Machine(m))));
            vms.chain(machines)
        })
    }
}

/// The full explanation of one pair, rebuilt on demand.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    pub bastion: String,
    pub target: String,
    pub verdict: Verdict,
    pub blocker: Option<RuleId>,
    pub checks: Vec<Check>,
    /// The VNets the session crosses, Bastion's first (empty when there is no path).
    pub path: Vec<String>,
}

/// Analyzes a design. Pure and deterministic: the same design gives the same analysis,
/// in the same order. Never panics, even on an unvalidated design. Natively, a large
/// design is analyzed on two threads (`Threads`), to the same analysis.
pub fn analyze(design: &Design) -> Analysis {
    analyze_on(design, Threads::for_design(design))
}

/// How many threads an analysis runs on. The analysis is the same either way (each thread
/// takes a share of the Bastions, then one takes the SKU, RBAC and advice while the other
/// takes the network findings; the parts are joined in the one-thread order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threads {
    One,
    /// Natively only: the page's wasm has no threads, and runs `One`.
    Two,
}

impl Threads {
    /// Designs with at least this many VMs and Bastions together get two threads natively.
    /// Below it the second thread saves less than it costs: the small estate (2,010) took
    /// 1.11 ms on two against 1.04 on one (medians of 21; the enterprise estate: 7.1 against
    /// 10.1, BENCHMARKS.md).
    pub const TWO_FROM: usize = 5_000;

    /// What `analyze` uses: `Two` natively for a design of `TWO_FROM` VMs and Bastions or
    /// more, `One` otherwise and always in wasm.
    pub fn for_design(design: &Design) -> Threads {
        if cfg!(target_arch = "wasm32") || design.vms.len() + design.bastions.len() < Self::TWO_FROM {
            Threads::One
        } else {
            Threads::Two
        }
    }
}

/// `analyze` on the given number of threads (`Threads::Two` runs on one thread in wasm).
/// On two: the index walks half of the VMs on each; each thread then takes the next
/// Bastion's health and reach until none is left; then one thread takes the SKU advice,
/// RBAC, cost and advice findings while the other takes the network findings; the
/// findings are joined in the one-thread order and sorted as on one thread.
pub fn analyze_on(design: &Design, threads: Threads) -> Analysis {
    if threads == Threads::One || cfg!(target_arch = "wasm32") {
        return analyze_observed(design, |_| ());
    }
    let index = Index::new_on(design, Threads::Two);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (mut taken, more) = both(|| reach::verdicts_taken(&index, &next), || reach::verdicts_taken(&index, &next));
    taken.extend(more);
    taken.sort_unstable_by_key(|it| it.0);
    let (health, reach) = taken.into_iter().map(|(_, health, reach)| (health, reach)).unzip();
    let mut analysis = verdicts_analysis(&index, health, reach);
    let (advised, mut findings) = both(
        || {
            let mut advice = Vec::new();
            (advise(&index, &analysis, &mut advice, &mut |_| ()), advice)
        },
        || network_findings_of(&index, &analysis),
    );
    let ((sku, rbac, cost), advice) = advised;
    (analysis.sku, analysis.rbac, analysis.cost) = (sku, rbac, cost);
    findings.extend(advice);
    finish(&index, analysis, findings, |_| ())
}

/// Runs `a` here and `b` on a second thread, natively; one after the other in wasm, or when
/// the system refuses a thread (a process at its thread limit: the analysis is the same, only
/// slower). A panic in `b` is carried on here, as it would have been on one thread.
pub(crate) fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        // `b` is taken by whichever runs it: the second thread, or this one if there is none.
        let task = std::sync::Mutex::new(Some(b));
        let run = || task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take().map(|b| b());
        std::thread::scope(|scope| {
            let second = std::thread::Builder::new().spawn_scoped(scope, run);
            let first = a();
            let ran = match second {
                Ok(second) => second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => None,
            };
            (first, ran.or_else(run).expect("`b` runs exactly once, on one thread or the other"))
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

/// `analyze`, calling `phase_done` with each phase's name as it ends (index, health, reach,
/// network_findings, sku, rbac, cost, advice_findings, sort, fixes), so the benchmarks time
/// exactly the phases `analyze` runs (on one thread). The engine itself keeps no clock.
pub fn analyze_observed(design: &Design, mut phase_done: impl FnMut(&'static str)) -> Analysis {
    let index = Index::new(design);
    phase_done("index");
    let verdicts = verdicts_with(&index, &mut phase_done);
    complete_with(&index, verdicts, phase_done)
}

/// The first stage of `analyze`: each Bastion's health and reach, the verdicts the canvas
/// draws (a few of `analyze`'s milliseconds). `sku`, `rbac` and `findings` are empty and
/// the cost has no Bastions until `complete` adds them; the page paints these verdicts and
/// completes the analysis after the paint. `Analysis::is_complete` tells the two apart.
pub fn analyze_verdicts(design: &Design) -> Analysis {
    verdicts_with(&Index::new(design), |_| ())
}

/// The second stage: everything `analyze` adds to the verdicts of `analyze_verdicts` for
/// the same design (SKU advice, RBAC, cost, findings). `complete(d, &analyze_verdicts(d))`
/// equals `analyze(d)`; a complete analysis is returned as it is.
pub fn complete(design: &Design, verdicts: &Analysis) -> Analysis {
    if verdicts.is_complete() {
        return verdicts.clone();
    }
    complete_with(&Index::new(design), verdicts.clone(), |_| ())
}

fn verdicts_with(index: &Index, mut phase_done: impl FnMut(&'static str)) -> Analysis {
    let health = health::analyze_health(index);
    phase_done("health");
    let reach = reach::analyze_reach(index, &health);
    phase_done("reach");
    verdicts_analysis(index, health, reach)
}

/// The first stage's analysis: the verdicts, each VM's VNet, nothing else yet.
fn verdicts_analysis(index: &Index, health: Vec<BastionHealth>, reach: Vec<BastionReach>) -> Analysis {
    let design = index.design;
    let vm_vnet = (0..design.vms.len()).map(|vm| index.vm_location(vm).map(|(vnet, _)| vnet as u32)).collect();
    Analysis {
        health,
        reach,
        vm_vnet,
        sku: Vec::new(),
        rbac: Vec::new(),
        findings: Vec::new(),
        cost: CostReport {
            prices: design.prices(),
            hours_per_month: 730.0,
            bastions: Vec::new(),
            total: 0.0,
            approximate: true,
        },
        complete: false,
    }
}

fn complete_with(index: &Index, mut analysis: Analysis, mut phase_done: impl FnMut(&'static str)) -> Analysis {
    let mut findings = network_findings_of(index, &analysis);
    phase_done("network_findings");
    let (sku, rbac, cost) = advise(index, &analysis, &mut findings, &mut phase_done);
    (analysis.sku, analysis.rbac, analysis.cost) = (sku, rbac, cost);
    finish(index, analysis, findings, phase_done)
}

/// The network findings of an analysis with its verdicts: one share of completing it (a
/// native analysis runs it beside `advise`).
fn network_findings_of(index: &Index, analysis: &Analysis) -> Vec<Finding> {
    // Room for the findings a design of this size usually raises (the enterprise estate: 4,427
    // for 20,000 VMs): grown by doubling from empty, the 136-byte findings were copied 11 times,
    // each time into fresh memory. A smaller design asks for less; a larger count still grows.
    let mut findings = Vec::with_capacity(design_findings_room(index.design));
    network_findings::network_findings(index, analysis, &mut findings);
    findings
}

/// The SKU advice, RBAC results and cost of an analysis with its verdicts, and the advice
/// findings, appended to `out`: the other share of completing it. It reads only the
/// verdicts, so it can run beside `network_findings_of`.
fn advise(
    index: &Index,
    analysis: &Analysis,
    out: &mut Vec<Finding>,
    phase_done: &mut impl FnMut(&'static str),
) -> (Vec<SkuAdvice>, Vec<CompactAccess>, CostReport) {
    let sku = sku::advise_sku(index, analysis);
    phase_done("sku");
    let (rbac, denied) = rbac::analyze_rbac_with_denied(index, analysis, advice_findings::CAF_R7_SPELLED);
    phase_done("rbac");
    let cost = cost::estimate_cost(index, analysis);
    phase_done("cost");
    advice_findings::advice_findings_with(index, analysis, &sku, &rbac, &denied, out);
    phase_done("advice_findings");
    (sku, rbac, cost)
}

/// The findings sorted, merged per resource and given their fix actions: the analysis
/// complete.
fn finish(
    index: &Index,
    mut analysis: Analysis,
    findings: Vec<Finding>,
    mut phase_done: impl FnMut(&'static str),
) -> Analysis {
    // One stable order for every consumer: severity, then rule id, then resource.
    let order = sorted_order(&findings);
    let mut findings = merge_same_resource(findings, &order);
    phase_done("sort");
    fixes::mark_fix_actions(index, &analysis, &mut findings);
    phase_done("fixes");
    analysis.findings = findings;
    analysis.complete = true;
    analysis
}

/// The positions of `findings` in the engine's order: severity, rule id, resource, message,
/// stable. Positions are sorted, not the findings (moving 10³ findings of ~150 bytes cost
/// more than comparing); the (severity, rule) buckets are counted out first, and within one
/// the family modules mostly emit in resource order already, which the sort runs through.
fn sorted_order(findings: &[Finding]) -> Vec<u32> {
    let bucket = |f: &Finding| f.severity as usize * RuleId::ALL.len() + f.id as usize;
    let buckets = 3 * RuleId::ALL.len();
    let mut start = vec![0u32; buckets + 1];
    for f in findings {
        start[bucket(f).min(buckets - 1) + 1] += 1;
    }
    for k in 1..=buckets {
        start[k] += start[k - 1];
    }
    let mut next = start.clone();
    let mut order = vec![0u32; findings.len()];
    for (n, f) in findings.iter().enumerate() {
        let k = bucket(f).min(buckets - 1);
        order[next[k] as usize] = n as u32;
        next[k] += 1;
    }
    for k in 0..buckets {
        let run = &mut order[start[k] as usize..start[k + 1] as usize];
        if run.len() > 1 {
            crate::util::sort_by(run, |&a, &b| {
                let (a, b) = (&findings[a as usize], &findings[b as usize]);
                // Ties in severity and rule (one bucket unless `bucket` was clamped).
                (a.severity, a.id, &a.resource, &a.message).cmp(&(b.severity, b.id, &b.resource, &b.message))
            });
        }
    }
    order
}

/// A finding without a fix action (the family modules set one where the fix is mechanical).
pub(crate) fn finding(
    id: RuleId,
    severity: Severity,
    resource: &str,
    message: String,
    fix: impl Into<Cow<'static, str>>,
) -> Finding {
    Finding {
        id,
        severity,
        resource: resource.to_string(),
        message,
        fix: fix.into(),
        fix_action: None,
        mechanical: false,
    }
}

/// The pieces one after the other, in one allocation of the right size (std's
/// `[&str]::concat`): the findings' sentences that fill a template with names (`format!`
/// guesses the size and regrows). Taking `&[&str]` lets call sites pass `&String`s.
pub(crate) fn concat(pieces: &[&str]) -> String {
    pieces.concat()
}

/// At most one finding per (rule, resource): the page addresses each as
/// `finding-<rule>-<resource>`. Findings of the same rule on the same resource are merged
/// into one (the worst severity, the messages and fixes in order, NSG rules combined), in
/// `order` (`sorted_order`), each where its first member stands.
///
/// A message or fix equal to one already merged is left out. (Testing whether it occurred
/// anywhere in the merged text scanned ever longer strings: quadratic, 0.8 s on an
/// enterprise estate. CAF-R7, the one rule with many findings per resource, arrives merged.)
fn merge_same_resource(findings: Vec<Finding>, order: &[u32]) -> Vec<Finding> {
    // In order, the members of one (rule, resource) of one severity are neighbours; only a
    // rule that fires with several severities needs a lookup to find earlier members.
    let mut severities = [0u8; RuleId::ALL.len() + 1];
    let slot = |id: RuleId| (id as usize).min(RuleId::ALL.len());
    for f in &findings {
        severities[slot(f.id)] |= 1 << (f.severity as u8);
    }
    let mut position: fx::FxMap<(RuleId, &str), usize> = fx::FxMap::default();
    // The first member of each group, in order, and each member's next one (u32::MAX: none).
    let mut firsts: Vec<u32> = Vec::with_capacity(findings.len());
    let mut last: Vec<u32> = Vec::with_capacity(findings.len());
    let mut next: Vec<u32> = vec![u32::MAX; findings.len()];
    let mut previous: Option<(RuleId, &str, usize)> = None;
    for &n in order {
        let finding = &findings[n as usize];
        let key = (finding.id, finding.resource.as_str());
        let group = match previous {
            Some((id, resource, g)) if (id, resource) == key => Some(g),
            _ if severities[slot(finding.id)].count_ones() > 1 => position.get(&key).copied(),
            _ => None,
        };
        let g = match group {
            Some(g) => {
                next[last[g] as usize] = n;
                last[g] = n;
                g
            }
            None => {
                firsts.push(n);
                last.push(n);
                if severities[slot(finding.id)].count_ones() > 1 {
                    position.insert(key, firsts.len() - 1);
                }
                firsts.len() - 1
            }
        };
        previous = Some((key.0, key.1, g));
    }
    drop(position);
    let members = |first: u32| {
        std::iter::successors(Some(first), |&n| Some(next[n as usize]).filter(|&it| it != u32::MAX)).map(|n| n as usize)
    };
    // The merged texts, borrowing the findings (no copy of a text to dedupe it).
    let mut texts: Vec<Option<(String, String)>> = Vec::with_capacity(firsts.len());
    for &first in &firsts {
        if next[first as usize] == u32::MAX {
            texts.push(None);
            continue;
        }
        let head = &findings[first as usize];
        let mut message = head.message.clone();
        let mut fix = head.fix.to_string();
        let mut messages: fx::FxSet<&str> = fx::FxSet::default();
        let mut fixes: fx::FxSet<&str> = fx::FxSet::default();
        messages.insert(&head.message);
        fixes.insert(&head.fix);
        for n in members(first).skip(1) {
            let finding = &findings[n];
            if messages.insert(&finding.message) {
                message.push(' ');
                message.push_str(&finding.message);
            }
            if !finding.fix.is_empty() && fixes.insert(&finding.fix) {
                // `format!("{fix} {more}").trim()`: only the ends can be blank.
                fix.push(' ');
                fix.push_str(&finding.fix);
                if fix.starts_with(char::is_whitespace) || fix.ends_with(char::is_whitespace) {
                    fix = fix.trim().to_string();
                }
            }
        }
        texts.push(Some((message, fix)));
    }
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    let mut res: Vec<Finding> = Vec::with_capacity(firsts.len());
    for (&first, text) in firsts.iter().zip(texts) {
        let Some(mut kept) = slots[first as usize].take() else { continue };
        let mut n = next[first as usize];
        while n != u32::MAX {
            let Some(finding) = slots[n as usize].take() else { break };
            n = next[n as usize];
            kept.severity = kept.severity.min(finding.severity);
            kept.fix_action = match (kept.fix_action.take(), finding.fix_action) {
                (
                    Some(FixAction::AddNsgRules { nsg, mut rules }),
                    Some(FixAction::AddNsgRules { nsg: other, rules: more }),
                ) if nsg == other => {
                    for rule in more {
                        if !rules.iter().any(|r| r.name == rule.name) {
                            rules.push(rule);
                        }
                    }
                    Some(FixAction::AddNsgRules { nsg, rules })
                }
                (Some(first), Some(_)) => Some(first),
                (first, second) => first.or(second),
            };
        }
        if let Some((message, fix)) = text {
            kept.message = message;
            kept.fix = Cow::Owned(fix);
        }
        res.push(kept);
    }
    res
}

/// The findings `complete` reserves room for: about one per four VMs (CAF-R8 and JIT-3 are
/// per VM), one per VNet and a few per Bastion.
fn design_findings_room(design: &Design) -> usize {
    design.vms.len() / 4 + design.vnets.len() + 4 * design.bastions.len() + 16
}
