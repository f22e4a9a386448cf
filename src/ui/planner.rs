//! The RBAC planner: choose principals (users or groups) and target VMs, read the
//! least-privilege role assignments `engine::plan_exposure::plan` gives, with the warnings
//! where a plan exposes more than it must, and copy them as `az role assignment create`
//! commands or as Bicep.

use super::browser;
use super::connect::LIST_LIMIT;
use super::{Action, Shared};
use crate::engine::plan_exposure;
use crate::model::Design;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlannerProps {
    pub design: Shared<Design>,
    /// Pre-selected principals and targets (from the inspector's selection).
    #[prop_or_default]
    pub principals: Vec<String>,
    #[prop_or_default]
    pub targets: Vec<String>,
    pub dispatch: Callback<Action>,
}

/// The names picked in a multiple `<select>`, or typed (comma-separated) in a text field.
fn selected_values(event: &Event) -> Vec<String> {
    let target = event.target();
    if let Some(input) = target.as_ref().and_then(|it| it.dyn_ref::<web_sys::HtmlInputElement>()) {
        return input.value().split(',').map(|it| it.trim().to_string()).filter(|it| !it.is_empty()).collect();
    }
    let select = event.target_unchecked_into::<HtmlSelectElement>();
    let options = select.selected_options();
    (0..options.length()).filter_map(|i| options.item(i)).filter_map(|it| it.get_attribute("value")).collect()
}

#[component]
pub fn Planner(props: &PlannerProps) -> Html {
    let design = &*props.design;
    let principals = use_state(|| props.principals.clone());
    let targets = use_state(|| props.targets.clone());
    let plan = {
        let key = (props.design.clone(), (*principals).clone(), (*targets).clone());
        use_memo(key, |(design, principals, targets)| {
            (!principals.is_empty() && !targets.is_empty()).then(|| plan_exposure::plan(design, principals, targets))
        })
    };
    let on_principals = {
        let principals = principals.clone();
        Callback::from(move |event: Event| principals.set(selected_values(&event)))
    };
    let on_targets = {
        let targets = targets.clone();
        Callback::from(move |event: Event| targets.set(selected_values(&event)))
    };
    let copy = |text: String, what: &'static str| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            browser::copy_to_clipboard(&text);
            dispatch.emit(Action::Notify { error: false, text: format!("Copied the plan as {what}.") });
        })
    };
    let names: Vec<(String, &str)> = design
        .users
        .iter()
        .map(|it| (it.name.clone(), "user"))
        .chain(design.groups.iter().map(|it| (it.name.clone(), "group")))
        .collect();
    html! {
        <section class="block planner" data-testid="rbac-plan">
            <h3>{"RBAC planner"}</h3>
            <p class="small muted">{"Least-privilege role assignments for these principals to connect to these VMs through the Bastion Connect would use. Ctrl-click or Shift-click to pick several."}</p>
            <div class="planner-pick">
                <label><span>{"Principals"}</span>
                    if names.len() > LIST_LIMIT {
                        <input type="text" data-testid="plan-principals" value={principals.join(", ")} onchange={on_principals}
                            placeholder="names, comma-separated" spellcheck="false" />
                    } else {
                        <select multiple=true size="5" data-testid="plan-principals" onchange={on_principals}>
                            { for names.iter().map(|(name, kind)| html! {
                                <option key={name.clone()} value={name.clone()} selected={principals.contains(name)}>{format!("{name} ({kind})")}</option>
                            }) }
                        </select>
                    }
                </label>
                <label><span>{"Target VMs"}</span>
                    if design.vms.len() > LIST_LIMIT {
                        <input type="text" data-testid="plan-targets" value={targets.join(", ")} onchange={on_targets}
                            placeholder="VM names, comma-separated" spellcheck="false" />
                    } else {
                        <select multiple=true size="5" data-testid="plan-targets" onchange={on_targets}>
                            { for design.vms.iter().map(|it| html! {
                                <option key={it.name.clone()} value={it.name.clone()} selected={targets.contains(&it.name)}>{it.name.clone()}</option>
                            }) }
                        </select>
                    }
                </label>
            </div>
            { match &*plan {
                None => html! { <p class="empty small">{"Pick at least one principal and one VM."}</p> },
                Some(plan) => {
                    let az = plan.az_cli();
                    let bicep = plan.bicep();
                    html! {
                        <>
                            if plan.assignments.is_empty() {
                                <p class="small" data-testid="plan-nothing">{"Nothing to assign: every principal already holds what it needs."}</p>
                            } else {
                                <ul class="grants" data-testid="plan-assignments">
                                    { for plan.assignments.iter().enumerate().map(|(i, it)| html! {
                                        <li key={i}>
                                            <strong>{it.role.name()}</strong>{format!(" for {}", it.principal)}
                                            <span class="muted small">{format!(" ({})", it.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))}</span>
                                            <div class="scope small">{it.scope.clone()}</div>
                                        </li>
                                    }) }
                                </ul>
                            }
                            if !plan.warnings.is_empty() {
                                <ul class="plan-warnings" data-testid="plan-warnings">
                                    { for plan.warnings.iter().enumerate().map(|(i, it)| html! { <li key={i} class="small note">{it.clone()}</li> }) }
                                </ul>
                            }
                            <div class="plan-copy">
                                <button type="button" class="secondary" data-testid="plan-copy-az" onclick={copy(az.clone(), "az commands")}>{"Copy as az commands"}</button>
                                <button type="button" class="secondary" data-testid="plan-copy-bicep" onclick={copy(bicep.clone(), "Bicep")}>{"Copy as Bicep"}</button>
                            </div>
                            <details open=true>
                                <summary>{"az role assignment create"}</summary>
                                <pre class="code" data-testid="plan-az">{az}</pre>
                            </details>
                            <details>
                                <summary>{"Bicep"}</summary>
                                <pre class="code" data-testid="plan-bicep">{bicep}</pre>
                            </details>
                        </>
                    }
                }
            } }
        </section>
    }
}
