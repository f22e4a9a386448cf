//! The SKU advisor of one Bastion: the least SKU the design needs and why, the upgrade path
//! (an upgrade is in place; a downgrade means delete and redeploy, so it is never offered as
//! an edit), the capacity calculator (concurrent RDP and SSH sessions → instances) and Apply
//! buttons that make the advice one undoable edit (`edit::advise`).

use super::{Action, Shared};
use crate::edit::advise::{capacity_fix, sku_command};
use crate::edit::Command;
use crate::engine::sku::instances_needed;
use crate::engine::Analysis;
use crate::model::Design;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SkuProps {
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    pub bastion: String,
    pub dispatch: Callback<Action>,
}

fn number_input(id: &'static str, label: &'static str, state: &UseStateHandle<u32>) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            // An empty or foreign entry counts as no sessions; the field shows what was typed.
            state.set(text.trim().parse::<u32>().unwrap_or(0).min(100_000));
        })
    };
    html! {
        <label class="capacity-field">
            <span>{label}</span>
            <input type="number" min="0" step="1" value={state.to_string()} data-testid={id} {oninput} />
        </label>
    }
}

#[component]
pub fn SkuAdvisor(props: &SkuProps) -> Html {
    let design = &*props.design;
    let name = props.bastion.clone();
    let rdp = use_state(|| 0u32);
    let ssh = use_state(|| 0u32);
    let Some(host) = design.bastion(&name) else {
        return Html::default();
    };
    let advice = props.analysis.sku.iter().find(|it| it.bastion == name);
    let body = match advice {
        None => html! { <p class="empty small">{"No SKU advice computed for this Bastion."}</p> },
        Some(advice) => {
            let apply = sku_command(design, advice);
            let upgrade = advice.least > advice.current;
            let over = advice.least < advice.current;
            html! {
                <>
                    <div class="sku-line">
                        <span class="sku-current">{advice.current.name()}</span>
                        <span class="arrow">{"→"}</span>
                        <span class={classes!("sku-least", upgrade.then_some("upgrade"))} data-testid={format!("sku-least-{name}")}>
                            {format!("needs {}", advice.least.name())}
                        </span>
                    </div>
                    <h4>{"Why"}</h4>
                    if advice.reasons.is_empty() {
                        <p class="small muted">{"Nothing in the design needs more than the least SKU."}</p>
                    }
                    <ul class="reasons">
                        { for advice.reasons.iter().enumerate().map(|(i, reason)| html! {
                            <li key={i}><strong>{reason.needs.name()}</strong>{": "}{reason.because.clone()}</li>
                        }) }
                    </ul>
                    <h4>{"Upgrade path"}</h4>
                    <p class="small" data-testid={format!("sku-path-{name}")}>{advice.upgrade_path.clone()}</p>
                    if over {
                        <p class="small note">{format!("{} is more than the design needs. Azure has no in-place downgrade: a smaller SKU means deleting this Bastion and deploying a new one, so the page does not offer it as an edit.", advice.current.name())}</p>
                    }
                    { for advice.advice.iter().enumerate().map(|(i, note)| html! { <p key={i} class="small note">{note.clone()}</p> }) }
                    if advice.instances_needed > 0 {
                        <p class="small muted">{format!("Instances the expected sessions need: {} (this Bastion has {}).", advice.instances_needed, host.scale_units)}</p>
                    }
                    { match apply {
                        Ok(Some(command)) => {
                            let dispatch = props.dispatch.clone();
                            let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(command.clone())));
                            html! {
                                <button type="button" class="fix-button" data-testid={format!("sku-apply-{name}")} {onclick}
                                    title="Apply the advice as one edit (undo with Ctrl+Z)">
                                    {if upgrade { format!("Upgrade to {}", advice.least.name()) } else { "Set the instances".to_string() }}
                                </button>
                            }
                        }
                        Ok(None) => html! { <p class="small muted">{"Nothing to apply: the Bastion already meets the advice."}</p> },
                        Err(why) => html! { <p class="small note">{format!("Not an edit: {why}")}</p> },
                    } }
                </>
            }
        }
    };
    let answer = instances_needed(host.sku, *rdp, *ssh);
    let capacity = capacity_fix(design, &name, *rdp, *ssh);
    html! {
        <section class="block sku" data-testid={format!("sku-advice-{name}")}>
            <h3>{"SKU advice"}</h3>
            { body }
            <h4>{"Capacity"}</h4>
            <p class="small muted">{"Expected concurrent sessions (medium workload: 20 RDP or 40 SSH per instance)."}</p>
            <div class="capacity">
                { number_input("capacity-rdp", "RDP sessions", &rdp) }
                { number_input("capacity-ssh", "SSH sessions", &ssh) }
            </div>
            <p class={classes!("small", (!answer.fits).then_some("note"))} data-testid="capacity-answer">
                {format!("{} instance(s). {}", answer.instances, answer.message)}
            </p>
            { match capacity {
                Ok(Some(fix)) => {
                    let dispatch = props.dispatch.clone();
                    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(Command::ApplyFix(fix.clone()))));
                    html! { <button type="button" class="fix-button" data-testid="capacity-apply" {onclick}>{"Apply these instances"}</button> }
                }
                Ok(None) => Html::default(),
                Err(why) => html! { <p class="small note">{why}</p> },
            } }
        </section>
    }
}
