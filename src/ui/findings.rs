//! The findings list under the canvas: every finding in the engine's order, with its
//! severity, rule id, resource, message and fix; a click selects the resource, and the Fix
//! button of a finding whose fix is mechanical builds it on click and applies it as one
//! undoable edit.

use super::{Action, Shared};
use crate::edit::Command;
use crate::engine::fixes::fix_action_for;
use crate::engine::{Analysis, Severity};
use crate::model::Design;
use crate::view::Selection;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    pub select: Callback<Selection>,
    pub dispatch: Callback<Action>,
    /// Opens the rule reference on a finding's rule id.
    pub open_rule: Callback<crate::engine::RuleId>,
}

pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Rows drawn at first: a person reads the first few hundred findings (errors come first),
/// and a big estate's thousands of rows would make every edit re-render them all.
const PAGE: usize = 300;

#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    let shown = use_state(|| PAGE);
    let findings = &props.analysis.findings;
    let count = |severity: Severity| findings.iter().filter(|it| it.severity == severity).count();
    // Occurrences so far of each (rule, resource), should the engine ever list one twice.
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    html! {
        <section class="findings" aria-label="Findings">
            <header class="findings-head">
                <h2>{"Findings"}</h2>
                <span class="badge error">{format!("{} errors", count(Severity::Error))}</span>
                <span class="badge warning">{format!("{} warnings", count(Severity::Warning))}</span>
                <span class="badge info">{format!("{} info", count(Severity::Info))}</span>
            </header>
            if findings.is_empty() {
                <p class="empty">{"No findings: this design meets every rule the engine checks."}</p>
            } else {
                <ul class="finding-list">
                    { for findings.iter().enumerate().take(*shown).map(|(idx, finding)| {
                        let rule = finding.id.as_str();
                        // The selection is resolved on click (a scan of the design), not for each
                        // of the thousands of rows of a big estate on every render.
                        let choose = {
                            let (select, design) = (props.select.clone(), props.design.clone());
                            let resource = finding.resource.clone();
                            Callback::from(move |()| select.emit(Selection::for_resource(&design, &resource)))
                        };
                        let onclick = choose.reform(|_: MouseEvent| ());
                        // Reachable from the keyboard too: Enter selects, like a click.
                        let onkeydown = Callback::from(move |event: KeyboardEvent| {
                            if event.key() == "Enter" {
                                choose.emit(());
                            }
                        });
                        let severity = severity_label(finding.severity);
                        html! {
                            // Keyed by what the finding is about (one finding per rule and resource
                            // after the engine's merge), not by position: an edit that adds or
                            // removes one finding near the top then moves no other row's DOM.
                            <li key={format!("{rule}|{}|{}", finding.resource, seen.entry((rule, finding.resource.as_str())).and_modify(|it| *it += 1).or_insert(0))} class={classes!("finding", severity)}
                                data-testid={format!("finding-{rule}-{}", finding.resource)} tabindex="0" {onclick} {onkeydown}>
                                <span class={classes!("badge", severity)}>{severity}</span>
                                <super::rules_ref::RuleLink rule={finding.id} open={props.open_rule.clone()} />
                                <div class="finding-body">
                                    <div class="message"><span class="resource">{finding.resource.clone()}</span>{finding.message.clone()}</div>
                                    if !finding.fix.is_empty() {
                                        <div class="fix"><strong>{"Fix: "}</strong>{finding.fix.clone()}</div>
                                    }
                                </div>
                                if !finding.mechanical {
                                    <span class="manual small muted" title="A decision or a change the page cannot make for you: the Fix line says what to do">{"manual"}</span>
                                } else {
                                    <button type="button" class="fix-button"
                                        data-testid={format!("fix-{rule}-{}", finding.resource)}
                                        title={format!("Apply: {} (undo with Ctrl+Z)", finding.fix)}
                                        onclick={
                                            // The action is built on click (an unreached VNet's fix
                                            // explains its VMs: too slow for every row on every edit).
                                            let (dispatch, design, analysis) =
                                                (props.dispatch.clone(), props.design.clone(), props.analysis.clone());
                                            Callback::from(move |event: MouseEvent| {
                                                event.stop_propagation();
                                                let Some(finding) = analysis.findings.get(idx) else { return };
                                                match fix_action_for(&design, &analysis, finding) {
                                                    Some(action) => dispatch.emit(Action::Edit(Command::ApplyFix(action))),
                                                    None => dispatch.emit(Action::Notify {
                                                        error: true,
                                                        text: format!("{} on {} has no fix the page can apply: {}", finding.id, finding.resource, finding.fix),
                                                    }),
                                                }
                                            })
                                        }>{"Fix"}</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
                if findings.len() > *shown {
                    <button type="button" class="more-findings" data-testid="findings-more"
                        onclick={
                            let shown = shown.clone();
                            Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE * 10))
                        }>
                        {format!("Show {} more of {} findings", (findings.len() - *shown).min(PAGE * 10), findings.len())}
                    </button>
                }
            }
        </section>
    }
}
