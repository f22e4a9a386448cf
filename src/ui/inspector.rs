//! The right panel: the properties of the selection and its analysis — a Bastion's
//! health, reach, SKU advice and cost; each Bastion's verdict for a VM with its check
//! chain; what a user can reach and the role assignments they lack. The advice panels
//! (Connect, SKU, NSG helper, RBAC planner, cost, compare) live in their own modules.

use super::compare::CompareList;
use super::connect::ConnectPanel;
use super::cost_panel::{money, CostPanel};
use super::planner::Planner;
use super::rules_ref::RuleLink;
use super::sku_panel::SkuAdvisor;
use super::{nsg_panel, options_panel, Action, Shared};
use crate::engine::diff::AnalysisDiff;
use crate::engine::nsg_helper::bastion_nsg_of;
use crate::engine::{explain_in, rbac, Analysis, Check, CompactAccess, Index, Outcome, RuleId, Target};
use crate::model::{Design, Os, PeeringState, SignIn, BASTION_SUBNET};
use crate::view::{self, Selection, Status};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    /// The latest complete analysis and the design it is of: the source of what the first
    /// stage of an edit's analysis leaves out (SKU advice, RBAC, findings, cost), until the
    /// analysis of this design completes after the paint (the same pair once it has).
    pub settled_design: Shared<Design>,
    pub settled: Shared<Analysis>,
    pub selection: Selection,
    pub select: Callback<Selection>,
    pub dispatch: Callback<Action>,
    /// Opens the rule reference on a rule.
    pub open_rule: Callback<RuleId>,
    /// Compare mode: what changed since the baseline.
    #[prop_or_default]
    pub diff: Option<Shared<AnalysisDiff>>,
}

/// What the advice panels need beside the design: the edit and rule-reference callbacks,
/// the shared design and analysis (panels compare them by pointer), and the latest complete
/// analysis with its design (`settled`), which the panels of SKU advice, RBAC, cost and
/// findings read: they look resources up by name in `settled_design`, which may be one
/// edit behind `design` until the analysis completes.
struct Advise<'a> {
    design: &'a Shared<Design>,
    analysis: &'a Shared<Analysis>,
    settled_design: &'a Shared<Design>,
    settled: &'a Shared<Analysis>,
    dispatch: &'a Callback<Action>,
    open_rule: &'a Callback<RuleId>,
    select: &'a Callback<Selection>,
}

impl Advise<'_> {
    /// Whether the settled analysis is of the design on screen (the edit's has completed).
    fn settled_is_current(&self) -> bool {
        self.settled_design == self.design
    }

    /// The settled analysis's RBAC verdicts on the resource named `name` in
    /// `settled_design` (found there by `position`, matched to a verdict by `of`), spelled
    /// out: the analysis holds compact verdicts, and only the ones shown are written.
    fn settled_access(
        &self,
        position: impl Fn(&Design) -> Option<usize>,
        of: impl Fn(&CompactAccess) -> usize,
    ) -> Vec<crate::engine::RbacResult> {
        let (design, analysis) = (&**self.settled_design, &**self.settled);
        let Some(idx) = position(design) else { return Vec::new() };
        let rows: Vec<CompactAccess> = analysis.rbac.iter().filter(|it| of(it) == idx).copied().collect();
        rbac::materialize_results(&Index::new(design), analysis, &rows)
    }
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let design = &*props.design;
    let analysis = &*props.analysis;
    let advise = Advise {
        design: &props.design,
        analysis: &props.analysis,
        settled_design: &props.settled_design,
        settled: &props.settled,
        dispatch: &props.dispatch,
        open_rule: &props.open_rule,
        select: &props.select,
    };
    let body = match &props.selection {
        Selection::None => overview(design, analysis, &advise),
        Selection::Bastion(name) => bastion(design, analysis, name, &advise),
        Selection::Vm { vm, bastion } => match design.vms.iter().position(|it| &it.name == vm) {
            Some(idx) => vm_view(design, analysis, idx, bastion.as_deref(), &advise),
            None => missing(vm),
        },
        Selection::Machine(name) => match design.onprem_machines.iter().position(|it| &it.name == name) {
            Some(idx) => machine(design, analysis, idx, &advise),
            None => missing(name),
        },
        Selection::User(name) => user(design, name, &advise),
        Selection::Vnet(name) => vnet(design, name, &props.select),
        Selection::Nsg(name) => nsg(design, name, &advise),
        Selection::Peering(name) => peering(design, name),
        Selection::VirtualHub(name) => simple(design, "vwan-hub", "Virtual WAN hub", name),
        Selection::Gateway(name) => simple(design, "gateway", "Gateway", name),
        Selection::Site(name) => simple(design, "onprem-site", "On-premises site", name),
        Selection::Connection(name) => simple(design, "", "Connection", name),
    };
    html! {
        <aside class="inspector" data-testid="inspector">
            if let Some(diff) = &props.diff {
                <CompareList diff={diff.clone()} currency={analysis.cost.prices.currency.clone()} open_rule={props.open_rule.clone()} />
            }
            <super::properties::Properties design={props.design.clone()} selection={props.selection.clone()} dispatch={props.dispatch.clone()} />
            { body }
        </aside>
    }
}

fn missing(name: &str) -> Html {
    html! { <p class="empty">{format!("{name} is no longer in the design.")}</p> }
}

fn heading(icon: &str, kind: &str, name: &str) -> Html {
    html! {
        <div class="inspector-head">
            if !icon.is_empty() {
                <img src={format!("icons/{icon}.svg")} alt="" width="32" height="32" />
            }
            <div>
                <div class="kind-label">{kind.to_string()}</div>
                <h2 class="resource-name">{name.to_string()}</h2>
            </div>
        </div>
    }
}

fn props_table(rows: Vec<(&str, String)>) -> Html {
    html! {
        <dl class="props">
            { for rows.into_iter().map(|(key, value)| html! {
                <>
                    <dt>{key.to_string()}</dt>
                    <dd>{value}</dd>
                </>
            }) }
        </dl>
    }
}

pub(super) fn outcome_mark(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Pass => ("pass", "✓"),
        Outcome::Fail => ("fail", "✕"),
        Outcome::Warn => ("warn", "!"),
        Outcome::Skip => ("skip", "–"),
    }
}

/// A chain of checks, as a traceroute with reasons: numbered steps, each rule id a link
/// to the rule reference.
fn check_list(checks: &[Check], open_rule: &Callback<RuleId>) -> Html {
    if checks.is_empty() {
        return html! { <p class="empty small">{"No checks recorded."}</p> };
    }
    html! {
        <ol class="checks trace">
            { for checks.iter().enumerate().map(|(idx, check)| {
                let (class, mark) = outcome_mark(check.outcome);
                html! {
                    <li key={idx} class={classes!("check", class)} data-step={(idx + 1).to_string()}>
                        <span class="mark" aria-label={class}>{mark}</span>
                        <div class="check-body">
                            <div class="check-head">
                                <span class="step-no">{format!("{}.", idx + 1)}</span>
                                <RuleLink rule={check.rule} open={open_rule.clone()} />
                                <span class="check-resource">{check.resource.clone()}</span>
                            </div>
                            <div class="found">{check.found.clone()}</div>
                            if !check.fix.is_empty() {
                                <div class="fix"><strong>{"Fix: "}</strong>{check.fix.clone()}</div>
                            }
                        </div>
                    </li>
                }
            }) }
        </ol>
    }
}

fn status_chip(status: Status) -> Html {
    html! { <span class={classes!("chip", status.class())}>{status.label()}</span> }
}

fn select_cb(select: &Callback<Selection>, selection: Selection) -> Callback<MouseEvent> {
    let select = select.clone();
    Callback::from(move |_: MouseEvent| select.emit(selection.clone()))
}

#[derive(Properties, PartialEq)]
struct LaterProps {
    design: Shared<Design>,
    analysis: Shared<Analysis>,
    dispatch: Callback<Action>,
    open_rule: Callback<RuleId>,
    #[prop_or_default]
    select: Callback<Selection>,
    #[prop_or_default]
    vm: AttrValue,
    /// Whether `analysis` is of the design on screen: false while the latest edit's
    /// analysis completes, when the panel keeps what it shows (`use_after_paint_when`).
    ready: bool,
}

/// The design's advice panels (Connect, cost, planner): they simulate over the whole
/// design, so after an edit they catch up once the canvas and verdicts are painted.
#[component]
fn OverviewAdvice(props: &LaterProps) -> Html {
    let value = (props.design.clone(), props.analysis.clone());
    let Some((design, analysis)) = super::later::use_after_paint_when(value, props.ready) else {
        return Html::default();
    };
    html! {
        <>
            <ConnectPanel design={design.clone()} analysis={analysis.clone()} dispatch={props.dispatch.clone()} open_rule={props.open_rule.clone()} />
            <CostPanel design={design.clone()} analysis={analysis} dispatch={props.dispatch.clone()} select={props.select.clone()} open_rule={props.open_rule.clone()} />
            <Planner design={design} dispatch={props.dispatch.clone()} />
        </>
    }
}

/// A VM's Connect simulation, caught up after the frame an edit paints (as above).
#[component]
fn VmConnect(props: &LaterProps) -> Html {
    let value = (props.design.clone(), props.analysis.clone());
    let Some((design, analysis)) = super::later::use_after_paint_when(value, props.ready) else {
        return Html::default();
    };
    html! {
        <ConnectPanel {design} {analysis} vm={props.vm.to_string()} dispatch={props.dispatch.clone()} open_rule={props.open_rule.clone()} />
    }
}

#[derive(Properties, PartialEq)]
struct StatsProps {
    design: Shared<Design>,
    analysis: Shared<Analysis>,
}

/// The design's counts. They catch up once the canvas is painted after an edit (counting
/// the reachable pairs reads every per-VM verdict: 10⁴–10⁵ on an estate).
#[component]
fn OverviewStats(props: &StatsProps) -> Html {
    let shown = super::later::use_after_paint((props.design.clone(), props.analysis.clone()));
    let counts = use_memo(shown.as_ref().map(|it| it.1.clone()), |analysis| {
        analysis.as_ref().map(|analysis| analysis.pair_counts())
    });
    let (Some((design, _)), Some((n_pairs, n_reachable))) = (shown, *counts) else {
        return html! { <div class="stats" /> };
    };
    html! {
        <div class="stats">
            <div class="stat"><span class="stat-value">{design.vnets.len()}</span><span class="stat-label">{"VNets"}</span></div>
            <div class="stat"><span class="stat-value">{design.bastions.len()}</span><span class="stat-label">{"Bastions"}</span></div>
            <div class="stat"><span class="stat-value">{design.vms.len()}</span><span class="stat-label">{"VMs"}</span></div>
            <div class="stat"><span class="stat-value">{format!("{n_reachable}/{n_pairs}")}</span><span class="stat-label">{"pairs reachable"}</span></div>
        </div>
    }
}

#[derive(Properties)]
struct BastionLinksProps {
    design: Shared<Design>,
    select: Callback<Selection>,
}

/// Equal while the Bastions' names and SKUs are: most edits leave them alone, and the list
/// (a hundred rows on an estate) is then not drawn again.
impl PartialEq for BastionLinksProps {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.design.bastions, &other.design.bastions);
        self.select == other.select
            && (self.design == other.design
                || (a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| a.name == b.name && a.sku == b.sku)))
    }
}

/// The overview's list of Bastions, each a link that selects it. When the overview opens
/// after an edit (a deleted selection), the list follows one frame after the canvas and the
/// verdicts: on an estate it is a hundred rows, each with an icon to draw.
#[component]
fn BastionLinks(props: &BastionLinksProps) -> Html {
    let Some(design) = super::later::use_after_paint(props.design.clone()) else {
        return html! { <ul class="link-list" /> };
    };
    html! {
        <ul class="link-list">
            { for design.bastions.iter().map(|it| html! {
                <li key={it.name.clone()}>
                    <button type="button" class="link" onclick={select_cb(&props.select, Selection::Bastion(it.name.clone()))}>
                        <img src="icons/bastion.svg" alt="" width="18" height="18" />{it.name.clone()}
                    </button>
                    <span class="muted">{it.sku.name()}</span>
                </li>
            }) }
        </ul>
    }
}

fn overview(design: &Design, _analysis: &Analysis, advise: &Advise) -> Html {
    let select = advise.select;
    html! {
        <>
            <div class="inspector-head">
                <div>
                    <div class="kind-label">{"Design"}</div>
                    <h2 class="resource-name">{if design.name.is_empty() { "Untitled design".to_string() } else { design.name.clone() }}</h2>
                </div>
            </div>
            if !design.description.is_empty() {
                <p class="lead">{design.description.clone()}</p>
            }
            <OverviewStats design={advise.design.clone()} analysis={advise.analysis.clone()} />
            <section class="block">
                <h3>{"Bastions"}</h3>
                if design.bastions.is_empty() {
                    <p class="empty small">{"No Bastion in this design."}</p>
                }
                <BastionLinks design={advise.design.clone()} select={select.clone()} />
            </section>
            <OverviewAdvice design={advise.settled_design.clone()} analysis={advise.settled.clone()} ready={advise.settled_is_current()} dispatch={advise.dispatch.clone()} select={advise.select.clone()} open_rule={advise.open_rule.clone()} />
            <p class="hint">{"Select a Bastion to colour the VMs it reaches, or a VM to see each Bastion's verdict."}</p>
        </>
    }
}

fn bastion(design: &Design, analysis: &Analysis, name: &str, advise: &Advise) -> Html {
    let select = advise.select;
    let Some(idx) = design.bastions.iter().position(|it| it.name == name) else {
        return missing(name);
    };
    let host = &design.bastions[idx];
    let features = &host.features;
    let on: Vec<&str> = [
        (features.native_client, "native client"),
        (features.ip_connect, "IP connect"),
        (features.shareable_link, "shareable link"),
        (features.file_copy, "file copy"),
        (features.kerberos, "Kerberos"),
        (features.session_recording, "session recording"),
        (features.private_only, "private only"),
        (features.disable_copy_paste, "copy/paste disabled"),
    ]
    .into_iter()
    .filter(|it| it.0)
    .map(|it| it.1)
    .collect();
    let mut rows = vec![
        ("SKU", host.sku.name().to_string()),
        ("Scale units", host.scale_units.to_string()),
        ("VNet", if host.vnet.is_empty() { "—".to_string() } else { host.vnet.clone() }),
        ("Public IP", host.public_ip.clone().unwrap_or_else(|| "none".to_string())),
        ("Features", if on.is_empty() { "none".to_string() } else { on.join(", ") }),
    ];
    if let Some(hub) = &host.virtual_hub {
        rows.push(("Virtual hub", hub.clone()));
    }
    let health = analysis.health.get(idx);
    let healthy = health.is_some_and(|it| it.blocker.is_none());
    let overlay = view::bastion_overlay(design, analysis, idx);
    let reachable = overlay.iter().filter(|it| it.1 == Status::Reachable).count();
    let prices = &advise.settled.cost.prices;
    let cost = advise.settled.cost.bastions.iter().find(|it| it.bastion == name);
    let currency = prices.currency.clone();
    html! {
        <>
            { heading("bastion", "Azure Bastion", name) }
            { props_table(rows) }
            <section class="block">
                <h3>
                    {"Health "}
                    if health.is_some() {
                        if healthy {
                            <span class="chip reachable">{"Healthy"}</span>
                        } else {
                            <span class="chip unhealthy">{format!("Unhealthy — {}", health.and_then(|it| it.blocker).map(|it| it.as_str()).unwrap_or(""))}</span>
                        }
                    }
                </h3>
                { check_list(health.map(|it| it.checks.as_slice()).unwrap_or(&[]), advise.open_rule) }
            </section>
            <section class="block">
                <h3>{format!("Reach — {reachable} of {} targets", overlay.len())}</h3>
                <ul class="target-list">
                    { for overlay.iter().enumerate().map(|(i, (target, status))| {
                        // The overlay lists VMs first, then on-premises machines.
                        let n_vms = design.vms.len();
                        let (which, selection) = if i < n_vms {
                            (Target::Vm(i), Selection::Vm { vm: target.clone(), bastion: Some(name.to_string()) })
                        } else {
                            (Target::Machine(i - n_vms), Selection::Machine(target.clone()))
                        };
                        let blocker = if *status == Status::Blocked { analysis.blocker(idx, which) } else { None };
                        html! {
                            <li key={target.clone()}>
                                <button type="button" class="link" onclick={select_cb(select, selection)}>{target.clone()}</button>
                                if let Some(rule) = blocker {
                                    <RuleLink rule={rule} open={advise.open_rule.clone()} class={classes!("muted")} />
                                }
                                { status_chip(*status) }
                            </li>
                        }
                    }) }
                </ul>
            </section>
            <SkuAdvisor key={name.to_string()} design={advise.settled_design.clone()} analysis={advise.settled.clone()} bastion={name.to_string()} dispatch={advise.dispatch.clone()} />
            if let Some(nsg) = bastion_nsg_of(design, name) {
                { nsg_panel::bastion_nsg(design, &nsg, advise.dispatch, advise.open_rule) }
            }
            <section class="block">
                <h3>{"Monthly cost"}</h3>
                if let Some(cost) = cost {
                    <div class="cost-total">{money(&currency, cost.total)}<span class="muted">{" / month"}</span></div>
                    { props_table(vec![
                        ("Base", money(&currency, cost.base)),
                        ("Extra instances", money(&currency, cost.extra_instances)),
                        ("Outbound data", money(&currency, cost.data)),
                        ("Instances", cost.instances.to_string()),
                    ]) }
                    <p class="muted small">{format!("Approximate list prices of {}, {}; not a quote.", prices.date, prices.region)}</p>
                } else {
                    <p class="empty small">{"No cost estimate for this Bastion."}</p>
                }
            </section>
        </>
    }
}

/// Each Bastion's verdict for one target, with its full check chain.
fn verdicts(design: &Design, analysis: &Analysis, target: Target, focus: Option<&str>, advise: &Advise) -> Html {
    let select = advise.select;
    let target_name = target.name(design).to_string();
    let n_bastions = design.bastions.len().min(analysis.reach.len());
    if n_bastions == 0 {
        return html! { <p class="empty small">{"No Bastion in this design."}</p> };
    }
    // One index for every Bastion's explanation of this target.
    let index = Index::new(design);
    html! {
        <div class="verdicts">
            { for (0..n_bastions).map(|b| {
                let bastion = &design.bastions[b].name;
                let status = view::pair_status(analysis, b, target);
                let explanation = explain_in(&index, b, target);
                let focused = focus == Some(bastion.as_str());
                let selection = match target {
                    Target::Vm(_) => Selection::Vm { vm: target_name.clone(), bastion: Some(bastion.clone()) },
                    Target::Machine(_) => Selection::Machine(target_name.clone()),
                };
                html! {
                    <article key={bastion.clone()} class={classes!("verdict", status.class(), focused.then_some("focused"))}
                        data-testid={format!("verdict-{bastion}-{target_name}")}>
                        <header class="verdict-head" onclick={select_cb(select, selection)} title="Draw this path on the canvas">
                            <img src="icons/bastion.svg" alt="" width="20" height="20" />
                            <span class="verdict-bastion">{bastion.clone()}</span>
                            { status_chip(status) }
                            if let Some(rule) = explanation.blocker.or(analysis.blocker(b, target)) {
                                <RuleLink rule={rule} open={advise.open_rule.clone()} class={classes!("blocker")} />
                            }
                        </header>
                        if !explanation.path.is_empty() {
                            <div class="path-line small muted">{format!("Path: {}", explanation.path.join(" → "))}</div>
                        }
                        { check_list(&explanation.checks, advise.open_rule) }
                    </article>
                }
            }) }
        </div>
    }
}

fn vm_view(design: &Design, analysis: &Analysis, idx: usize, focus: Option<&str>, advise: &Advise) -> Html {
    let select = advise.select;
    let vm = &design.vms[idx];
    let sign_in = match &vm.sign_in {
        SignIn::Password => "password".to_string(),
        SignIn::SshKey => "SSH key".to_string(),
        SignIn::SshKeyInKeyVault { vault } => format!("SSH key in Key Vault {vault}"),
        SignIn::EntraId => "Microsoft Entra ID".to_string(),
    };
    let os = match vm.os {
        Os::Linux => "Linux",
        Os::Windows => "Windows",
    };
    let rows = vec![
        ("VNet / subnet", format!("{} / {}", vm.nic.vnet, vm.nic.subnet)),
        ("Private IP", vm.nic.private_ip.to_string()),
        ("OS", format!("{os}, port {}", vm.service_port())),
        ("Sign-in", sign_in),
        ("NIC NSG", vm.nic.nsg.clone().unwrap_or_else(|| "none".to_string())),
        ("Public IP", vm.nic.public_ip.clone().unwrap_or_else(|| "none".to_string())),
        ("Placement", format!("{} / {}", vm.subscription, vm.resource_group)),
    ];
    let rbac = advise.settled_access(|d| d.vms.iter().position(|it| it.name == vm.name), |it| it.vm as usize);
    html! {
        <>
            { heading("vm", if vm.scale_set { "Virtual machine scale set" } else { "Virtual machine" }, &vm.name) }
            { props_table(rows) }
            <VmConnect key={vm.name.clone()} design={advise.settled_design.clone()} analysis={advise.settled.clone()} ready={advise.settled_is_current()} vm={vm.name.clone()} dispatch={advise.dispatch.clone()} open_rule={advise.open_rule.clone()} />
            <section class="block">
                <h3>{"Access through each Bastion — path trace"}</h3>
                { verdicts(design, analysis, Target::Vm(idx), focus, advise) }
            </section>
            { options_panel::options(advise.settled_design, advise.settled, &vm.name, advise.open_rule) }
            { nsg_panel::target_nsgs(design, analysis, &vm.name, advise.dispatch, advise.open_rule) }
            if !rbac.is_empty() {
                <section class="block">
                    <h3>{"Who can connect"}</h3>
                    <ul class="target-list">
                        { for rbac.iter().enumerate().map(|(i, it)| html! {
                            <li key={i}>
                                <button type="button" class="link" onclick={select_cb(select, Selection::User(it.principal.clone()))}>{it.principal.clone()}</button>
                                <span class="muted small">{format!("via {}", it.bastion)}</span>
                                if it.granted { <span class="chip reachable">{"granted"}</span> } else { <span class="chip blocked">{format!("{} missing", it.missing.len())}</span> }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </>
    }
}

fn machine(design: &Design, analysis: &Analysis, idx: usize, advise: &Advise) -> Html {
    let machine = &design.onprem_machines[idx];
    html! {
        <>
            { heading("onprem-machine", "On-premises machine", &machine.name) }
            { props_table(vec![
                ("Site", machine.site.clone()),
                ("IP", machine.ip.to_string()),
                ("Port", machine.service_port().to_string()),
            ]) }
            <section class="block">
                <h3>{"Access through each Bastion"}</h3>
                { verdicts(design, analysis, Target::Machine(idx), None, advise) }
            </section>
        </>
    }
}

fn user(design: &Design, name: &str, advise: &Advise) -> Html {
    let select = advise.select;
    let display = design.users.iter().find(|it| it.name == name).map(|it| it.display_name.clone()).unwrap_or_default();
    let groups: Vec<String> =
        design.groups.iter().filter(|it| it.members.iter().any(|m| m == name)).map(|it| it.name.clone()).collect();
    let assignments: Vec<_> =
        design.role_assignments.iter().filter(|it| it.principal == name || groups.contains(&it.principal)).collect();
    let results = advise.settled_access(|d| d.users.iter().position(|it| it.name == name), |it| it.user as usize);
    let mut missing: Vec<_> = results.iter().flat_map(|it| it.missing.iter()).collect();
    crate::util::sort(&mut missing);
    missing.dedup();
    // The planner starts on the VMs this user cannot connect to yet.
    let mut lacking: Vec<String> = results.iter().filter(|it| !it.granted).map(|it| it.target.clone()).collect();
    crate::util::sort(&mut lacking);
    lacking.dedup();
    html! {
        <>
            { heading("user", "User", name) }
            { props_table(vec![
                ("Display name", if display.is_empty() { "—".to_string() } else { display }),
                ("Groups", if groups.is_empty() { "none".to_string() } else { groups.join(", ") }),
            ]) }
            <section class="block">
                <h3>{format!("Can reach — {} of {}", results.iter().filter(|it| it.granted).count(), results.len())}</h3>
                if results.is_empty() {
                    <p class="empty small">{"No access computed for this user."}</p>
                }
                <ul class="target-list">
                    { for results.iter().enumerate().map(|(i, it)| html! {
                        <li key={i}>
                            <button type="button" class="link" onclick={select_cb(select, Selection::for_resource(design, &it.target))}>{it.target.clone()}</button>
                            <span class="muted small">{format!("via {}", it.bastion)}</span>
                            if it.granted { <span class="chip reachable">{"can connect"}</span> } else { <span class="chip blocked">{"lacks roles"}</span> }
                        </li>
                    }) }
                </ul>
            </section>
            <section class="block" data-testid="user-grants">
                <h3>{"Role assignments to grant"}</h3>
                if missing.is_empty() {
                    <p class="empty small">{"Nothing to grant."}</p>
                } else {
                    <ul class="grants">
                        { for missing.iter().enumerate().map(|(i, grant)| html! {
                            <li key={i}>
                                <RuleLink rule={grant.rule} open={advise.open_rule.clone()} />
                                <strong>{grant.role.name()}</strong>
                                <div class="scope small">{grant.scope.clone()}</div>
                            </li>
                        }) }
                    </ul>
                }
            </section>
            <Planner key={name.to_string()} design={advise.design.clone()} dispatch={advise.dispatch.clone()}
                principals={vec![name.to_string()]} targets={lacking} />
            <section class="block">
                <h3>{"Current role assignments"}</h3>
                if assignments.is_empty() {
                    <p class="empty small">{"None."}</p>
                }
                <ul class="grants">
                    { for assignments.iter().enumerate().map(|(i, it)| html! {
                        <li key={i}>
                            <strong>{it.role.name()}</strong>
                            if it.principal != name { <span class="muted small">{format!(" via {}", it.principal)}</span> }
                            <div class="scope small">{it.scope.clone()}</div>
                        </li>
                    }) }
                </ul>
            </section>
        </>
    }
}

fn vnet(design: &Design, name: &str, select: &Callback<Selection>) -> Html {
    let Some(vnet) = design.vnet(name) else {
        return missing(name);
    };
    let prefixes: Vec<String> = vnet.address_prefixes.iter().map(|it| it.to_string()).collect();
    let links: Vec<_> = design.peerings.iter().filter(|it| it.from == name || it.to == name).collect();
    html! {
        <>
            { heading("vnet", "Virtual network", name) }
            { props_table(vec![
                ("Address space", prefixes.join(", ")),
                ("Region", vnet.region.clone()),
                ("Placement", format!("{} / {}", vnet.subscription, vnet.resource_group)),
            ]) }
            <section class="block">
                <h3>{"Subnets"}</h3>
                <table class="table">
                    <thead><tr><th>{"Name"}</th><th>{"Prefix"}</th><th>{"NSG"}</th></tr></thead>
                    <tbody>
                        { for vnet.subnets.iter().map(|subnet| html! {
                            <tr key={subnet.name.clone()}>
                                <td>{subnet.name.clone()}</td>
                                <td>{subnet.prefix.to_string()}</td>
                                <td>
                                    if let Some(nsg) = &subnet.nsg {
                                        <button type="button" class="link" onclick={select_cb(select, Selection::Nsg(nsg.clone()))}>{nsg.clone()}</button>
                                    } else { {"—"} }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <section class="block">
                <h3>{"Peering links"}</h3>
                if links.is_empty() { <p class="empty small">{"Not peered."}</p> }
                <ul class="target-list">
                    { for links.iter().map(|link| html! {
                        <li key={link.name.clone()}>
                            <button type="button" class="link" onclick={select_cb(select, Selection::Peering(link.name.clone()))}>{link.name.clone()}</button>
                            <span class="muted small">{format!("{} → {}", link.from, link.to)}</span>
                        </li>
                    }) }
                </ul>
            </section>
        </>
    }
}

fn nsg(design: &Design, name: &str, advise: &Advise) -> Html {
    let Some(nsg) = design.nsg(name) else {
        return missing(name);
    };
    let mut rules: Vec<_> = nsg.rules.iter().collect();
    crate::util::sort_by_key(&mut rules, |it| (it.direction, it.priority));
    html! {
        <>
            { heading("nsg", "Network security group", name) }
            <table class="table">
                <thead><tr><th>{"Prio"}</th><th>{"Rule"}</th><th>{"Dir"}</th><th>{"Access"}</th><th>{"Ports"}</th></tr></thead>
                <tbody>
                    { for rules.iter().map(|rule| html! {
                        <tr key={rule.name.clone()} title={format!("from {} to {}", rule.sources.join(", "), rule.destinations.join(", "))}>
                            <td>{rule.priority}</td>
                            <td>{rule.name.clone()}</td>
                            <td>{format!("{:?}", rule.direction)}</td>
                            <td>{format!("{:?}", rule.access)}</td>
                            <td>{rule.destination_ports.join(", ")}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="muted small">{"Azure's default rules apply after these (65000–65500)."}</p>
            // The helper for an NSG on an AzureBastionSubnet: what Azure Bastion needs of it.
            if design.vnets.iter().flat_map(|it| it.subnets.iter()).any(|it| it.name == BASTION_SUBNET && it.nsg.as_deref() == Some(name)) {
                { nsg_panel::bastion_nsg(design, name, advise.dispatch, advise.open_rule) }
            }
        </>
    }
}

fn peering(design: &Design, name: &str) -> Html {
    let Some(link) = design.peerings.iter().find(|it| it.name == name) else {
        return missing(name);
    };
    let back = design.peerings.iter().any(|it| it.from == link.to && it.to == link.from);
    let deleted = design.deleted_peerings.iter().any(|it| it.from == link.to && it.to == link.from);
    let state = match (back, deleted) {
        (true, _) => PeeringState::Connected,
        (false, true) => PeeringState::Disconnected,
        (false, false) => PeeringState::Initiated,
    };
    let yes_no = |it: bool| if it { "yes" } else { "no" }.to_string();
    html! {
        <>
            { heading("vnet", "Peering link", name) }
            { props_table(vec![
                ("From", link.from.clone()),
                ("To", link.to.clone()),
                ("State", format!("{state:?}")),
                ("VNet access", yes_no(link.allow_virtual_network_access)),
                ("Forwarded traffic", yes_no(link.allow_forwarded_traffic)),
                ("Gateway transit", yes_no(link.allow_gateway_transit)),
                ("Use remote gateways", yes_no(link.use_remote_gateways)),
            ]) }
        </>
    }
}

fn simple(design: &Design, icon: &str, kind: &str, name: &str) -> Html {
    let mut rows = Vec::new();
    if let Some(hub) = design.virtual_hubs.iter().find(|it| it.name == name) {
        rows.push(("Virtual WAN", hub.virtual_wan.clone()));
        rows.push(("Region", hub.region.clone()));
        rows.push(("Address prefix", hub.address_prefix.to_string()));
        rows.push(("Secured", if hub.secured { "yes" } else { "no" }.to_string()));
    } else if let Some(gateway) = design.gateways.iter().find(|it| it.name == name) {
        rows.push(("Kind", format!("{:?}", gateway.kind)));
        rows.push(("In", gateway.vnet.clone().or(gateway.hub.clone()).unwrap_or_else(|| "—".to_string())));
    } else if let Some(site) = design.onprem_sites.iter().find(|it| it.name == name) {
        let prefixes: Vec<String> = site.address_prefixes.iter().map(|it| it.to_string()).collect();
        rows.push(("Address space", prefixes.join(", ")));
    } else if let Some(connection) = design.hub_connections.iter().find(|it| it.name == name) {
        rows.push(("VNet", connection.vnet.clone()));
        rows.push(("Hub", connection.hub.clone()));
        rows.push((
            "Propagates default route",
            if connection.propagate_default_route { "yes" } else { "no" }.to_string(),
        ));
    } else if let Some(connection) = design.site_connections.iter().find(|it| it.name == name) {
        rows.push(("Gateway", connection.gateway.clone()));
        rows.push(("Site", connection.site.clone()));
        rows.push(("Advertises 0.0.0.0/0", if connection.advertises_default_route { "yes" } else { "no" }.to_string()));
    } else {
        return missing(name);
    }
    html! {
        <>
            { heading(icon, kind, name) }
            { props_table(rows) }
        </>
    }
}
