//! Compare mode (what-if): the marks `view::compare` places on the canvas, and the list of
//! what changed since the baseline — reachability gained and lost, roles to add and remove,
//! findings added and removed, resources changed and the monthly cost delta.

use super::cost_panel::money;
use super::rules_ref::RuleLink;
use super::Shared;
use crate::engine::diff::{AnalysisDiff, PairChange};
use crate::engine::RuleId;
use crate::view::compare::{DiffMark, MarkShape};
use yew::prelude::*;

/// The compare marks, drawn over the scene (they let clicks through to the cards).
pub fn canvas_marks(marks: &[DiffMark]) -> Html {
    html! {
        { for marks.iter().map(|mark| {
            let class = classes!("diff-mark", mark.change.class());
            let shape = match &mark.shape {
                MarkShape::Box(r) => html! {
                    <rect x={format!("{:.1}", r.x - 5.0)} y={format!("{:.1}", r.y - 5.0)}
                        width={format!("{:.1}", r.w + 10.0)} height={format!("{:.1}", r.h + 10.0)} rx="10" />
                },
                MarkShape::Line(a, b) => html! {
                    <line x1={format!("{:.1}", a.0)} y1={format!("{:.1}", a.1)} x2={format!("{:.1}", b.0)} y2={format!("{:.1}", b.1)} />
                },
            };
            html! {
                <g key={mark.test_id()} {class} data-testid={mark.test_id()} data-change={mark.change.class()}>
                    <title>{mark.title.clone()}</title>
                    { shape }
                </g>
            }
        }) }
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub diff: Shared<AnalysisDiff>,
    pub currency: String,
    pub open_rule: Callback<RuleId>,
}

fn pair_rows(kind: &'static str, pairs: &[PairChange], open_rule: &Callback<RuleId>) -> Html {
    let link = |rule: RuleId| html! { <RuleLink rule={rule} open={open_rule.clone()} /> };
    html! {
        { for pairs.iter().map(|pair| {
            let why = match (pair.before, pair.after) {
                (None, Some(after)) => html! { <span class="muted small">{"now blocked by "}{ link(after) }</span> },
                (Some(before), None) => html! { <span class="muted small">{"was blocked by "}{ link(before) }</span> },
                (Some(before), Some(after)) => html! { <span class="muted small">{"blocked by "}{ link(before) }{" → "}{ link(after) }</span> },
                (None, None) => Html::default(),
            };
            html! {
                <li key={format!("{}-{}", pair.bastion, pair.target)} class={classes!("diff-row", kind)}
                    data-testid={format!("compare-{kind}-{}-{}", pair.bastion, pair.target)}>
                    <span class="diff-sign">{if kind == "gained" { "+" } else if kind == "lost" { "−" } else { "~" }}</span>
                    <span>{format!("{} → {}", pair.bastion, pair.target)}</span>
                    { why }
                </li>
            }
        }) }
    }
}

/// What changed since the baseline, as lists a person can read top to bottom.
#[component]
pub fn CompareList(props: &CompareProps) -> Html {
    let diff = &*props.diff;
    let delta = diff.cost_delta;
    let sign = if delta > 0.0 {
        "+"
    } else if delta < 0.0 {
        "−"
    } else {
        "±"
    };
    html! {
        <section class="block compare-list" data-testid="compare-list">
            <h3>{"Compared with the baseline"}</h3>
            if diff.is_empty() {
                <p class="empty small">{"No difference yet: edit the design to see what it gains and loses."}</p>
            } else {
                <p class="small">
                    {format!("{} pair(s) gained, {} lost, {} with another blocker; {} finding(s) added, {} removed.",
                        diff.became_reachable.len(), diff.became_blocked.len(), diff.blocker_changed.len(),
                        diff.findings_added.len(), diff.findings_removed.len())}
                </p>
            }
            if !diff.became_reachable.is_empty() || !diff.became_blocked.is_empty() || !diff.blocker_changed.is_empty() {
                <h4>{"Reachability"}</h4>
                <ul class="diff-list">
                    { pair_rows("lost", &diff.became_blocked, &props.open_rule) }
                    { pair_rows("gained", &diff.became_reachable, &props.open_rule) }
                    { pair_rows("changed", &diff.blocker_changed, &props.open_rule) }
                </ul>
            }
            if !diff.bastion_targets.is_empty() {
                <h4>{"Per Bastion"}</h4>
                <ul class="diff-list">
                    { for diff.bastion_targets.iter().map(|it| html! {
                        <li key={it.bastion.clone()} class={classes!("diff-row", if it.lost.is_empty() { "gained" } else if it.gained.is_empty() { "lost" } else { "changed" })}
                            data-testid={format!("compare-bastion-{}", it.bastion)}>
                            <strong>{it.bastion.clone()}</strong>
                            if it.presence != "kept" { <span class="muted small">{format!("({})", it.presence)}</span> }
                            if !it.gained.is_empty() { <span class="gained-text">{format!("gains {}", it.gained.join(", "))}</span> }
                            if !it.lost.is_empty() { <span class="lost-text">{format!("loses {}", it.lost.join(", "))}</span> }
                        </li>
                    }) }
                </ul>
            }
            if !diff.targets_lost.is_empty() {
                <p class="small lost-text">{format!("No Bastion reaches any more: {}.", diff.targets_lost.join(", "))}</p>
            }
            if !diff.targets_gained.is_empty() {
                <p class="small gained-text">{format!("Reached now by some Bastion: {}.", diff.targets_gained.join(", "))}</p>
            }
            if !diff.roles_added.is_empty() || !diff.roles_removed.is_empty() {
                <h4>{"Role assignments"}</h4>
                <ul class="diff-list">
                    { for diff.roles_added.iter().map(|it| html! {
                        <li class="diff-row gained" key={format!("+{}{}{}", it.principal, it.role.name(), it.scope)}>
                            <span class="diff-sign">{"+"}</span>{format!("{} — {} on ", it.principal, it.role.name())}<code class="scope">{it.scope.clone()}</code>
                        </li>
                    }) }
                    { for diff.roles_removed.iter().map(|it| html! {
                        <li class="diff-row lost" key={format!("-{}{}{}", it.principal, it.role.name(), it.scope)}>
                            <span class="diff-sign">{"−"}</span>{format!("{} — {} on ", it.principal, it.role.name())}<code class="scope">{it.scope.clone()}</code>
                        </li>
                    }) }
                </ul>
            }
            if !diff.rbac_granted.is_empty() || !diff.rbac_denied.is_empty() {
                <h4>{"Who can connect"}</h4>
                <ul class="diff-list">
                    { for diff.rbac_granted.iter().map(|it| html! {
                        <li class="diff-row gained" key={format!("+{}{}{}", it.principal, it.target, it.bastion)}>
                            <span class="diff-sign">{"+"}</span>{format!("{} can connect to {} via {}", it.principal, it.target, it.bastion)}
                        </li>
                    }) }
                    { for diff.rbac_denied.iter().map(|it| html! {
                        <li class="diff-row lost" key={format!("-{}{}{}", it.principal, it.target, it.bastion)}>
                            <span class="diff-sign">{"−"}</span>{format!("{} can no longer connect to {} via {}", it.principal, it.target, it.bastion)}
                        </li>
                    }) }
                </ul>
            }
            if !diff.findings_added.is_empty() || !diff.findings_removed.is_empty() {
                <h4>{"Findings"}</h4>
                <ul class="diff-list">
                    { for diff.findings_added.iter().map(|it| html! {
                        <li class="diff-row lost" key={format!("+{}-{}", it.id, it.resource)} data-testid={format!("compare-finding-added-{}-{}", it.id, it.resource)}>
                            <span class="diff-sign">{"+"}</span><RuleLink rule={it.id} open={props.open_rule.clone()} />
                            <span>{format!("{}: {}", it.resource, it.message)}</span>
                        </li>
                    }) }
                    { for diff.findings_removed.iter().map(|it| html! {
                        <li class="diff-row gained" key={format!("-{}-{}", it.id, it.resource)} data-testid={format!("compare-finding-removed-{}-{}", it.id, it.resource)}>
                            <span class="diff-sign">{"−"}</span><RuleLink rule={it.id} open={props.open_rule.clone()} />
                            <span>{format!("{}: {}", it.resource, it.message)}</span>
                        </li>
                    }) }
                </ul>
            }
            if !diff.sku_changes.is_empty() {
                <h4>{"SKUs"}</h4>
                <ul class="diff-list">
                    { for diff.sku_changes.iter().map(|it| html! {
                        <li class="diff-row changed" key={it.bastion.clone()}>
                            <span class="diff-sign">{"~"}</span>
                            {format!("{}: {} → {} (needs {} → {})", it.bastion, it.before.name(), it.after.name(), it.least_before.name(), it.least_after.name())}
                        </li>
                    }) }
                </ul>
            }
            if !diff.resources_added.is_empty() || !diff.resources_removed.is_empty() || !diff.resources_changed.is_empty() {
                <h4>{"Resources"}</h4>
                <ul class="diff-list">
                    { for [("added", "+", &diff.resources_added), ("removed", "−", &diff.resources_removed), ("changed", "~", &diff.resources_changed)]
                        .into_iter()
                        .flat_map(|(class, sign, list)| list.iter().map(move |it| html! {
                            <li class={classes!("diff-row", class)} key={format!("{class}-{}-{}", it.kind, it.name)}>
                                <span class="diff-sign">{sign}</span>{format!("{} {} {class}", it.kind.replace('_', " "), it.name)}
                            </li>
                        })) }
                </ul>
            }
            <h4>{"Monthly cost"}</h4>
            <p class="small" data-testid="compare-cost">
                {format!("{} → {} ({sign}{} a month, approximate)",
                    money(&props.currency, diff.cost_before), money(&props.currency, diff.cost_after), money(&props.currency, delta.abs()))}
            </p>
        </section>
    }
}
