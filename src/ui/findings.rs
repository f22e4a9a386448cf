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
use std::cell::RefCell;
use std::rc::Rc;
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

/// What a row's buttons act on: the design and analysis of the latest render, read on click,
/// so a row's callbacks stay the same from edit to edit and an unchanged row is not drawn again.
type Latest = Rc<RefCell<(Shared<Design>, Shared<Analysis>)>>;

#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    let shown = use_state(|| PAGE);
    let latest: Latest = use_mut_ref(|| (props.design.clone(), props.analysis.clone()));
    *latest.borrow_mut() = (props.design.clone(), props.analysis.clone());
    // The selection is resolved on click (a scan of the design), not for each of the
    // thousands of rows of a big estate on every render.
    let choose = {
        let (latest, select) = (latest.clone(), props.select.clone());
        use_callback(select, move |idx: usize, select| {
            let (design, analysis) = latest.borrow().clone();
            if let Some(finding) = analysis.findings.get(idx) {
                select.emit(Selection::for_resource(&design, &finding.resource));
            }
        })
    };
    // The action is built on click (an unreached VNet's fix explains its VMs: too slow for
    // every row on every edit).
    let fix = {
        let latest = latest.clone();
        use_callback(props.dispatch.clone(), move |idx: usize, dispatch| {
            let (design, analysis) = latest.borrow().clone();
            let Some(finding) = analysis.findings.get(idx) else { return };
            match fix_action_for(&design, &analysis, finding) {
                Some(action) => dispatch.emit(Action::Edit(Command::ApplyFix(action))),
                None => dispatch.emit(Action::Notify {
                    error: true,
                    text: format!(
                        "{} on {} has no fix the page can apply: {}",
                        finding.id, finding.resource, finding.fix
                    ),
                }),
            }
        })
    };
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
                        let nth = *seen.entry((rule, finding.resource.as_str())).and_modify(|it| *it += 1).or_insert(0);
                        // Keyed by what the finding is about (one finding per rule and resource
                        // after the engine's merge), not by position: an edit that adds or
                        // removes one finding near the top then moves no other row's DOM.
                        html! {
                            <FindingRow key={format!("{rule}|{}|{nth}", finding.resource)} analysis={props.analysis.clone()} {idx}
                                choose={choose.clone()} fix={fix.clone()} open_rule={props.open_rule.clone()} />
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

/// One finding of the list; `idx` is its place in `analysis.findings`.
#[derive(Properties)]
struct RowProps {
    analysis: Shared<Analysis>,
    idx: usize,
    choose: Callback<usize>,
    fix: Callback<usize>,
    open_rule: Callback<crate::engine::RuleId>,
}

/// Equal when the row would draw the same: the same finding at the same place (compared by
/// value, so a new analysis that leaves a finding as it was does not redraw its row).
impl PartialEq for RowProps {
    fn eq(&self, other: &Self) -> bool {
        self.idx == other.idx
            && self.choose == other.choose
            && self.fix == other.fix
            && self.open_rule == other.open_rule
            && (self.analysis == other.analysis
                || self.analysis.findings.get(self.idx) == other.analysis.findings.get(other.idx))
    }
}

#[component]
fn FindingRow(props: &RowProps) -> Html {
    let Some(finding) = props.analysis.findings.get(props.idx) else {
        return Html::default();
    };
    let rule = finding.id.as_str();
    let idx = props.idx;
    let onclick = props.choose.reform(move |_: MouseEvent| idx);
    // Reachable from the keyboard too: Enter selects, like a click.
    let onkeydown = {
        let choose = props.choose.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                choose.emit(idx);
            }
        })
    };
    let severity = severity_label(finding.severity);
    html! {
        <li class={classes!("finding", severity)}
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
                        let fix = props.fix.clone();
                        Callback::from(move |event: MouseEvent| {
                            event.stop_propagation();
                            fix.emit(idx);
                        })
                    }>{"Fix"}</button>
            }
        </li>
    }
}
