//! The Connect simulation panel: pick a user and a VM (pre-filled from the selection), the
//! protocol and the client, press Connect, and read what the portal would do — the Bastions
//! it detects (the VM's own VNet first, then peered), the one it uses, and either "the
//! session would open" or every failing check with its rule, its fix and a Fix button.
//! The outcome is recomputed from the design on every render, so a Fix shows its effect.

use super::inspector::outcome_mark;
use super::rules_ref::RuleLink;
use super::{Action, Shared};
use crate::edit::Command;
use crate::engine::connect::{
    simulate, BastionPlace, ConnectClient, ConnectOutcome, ConnectProtocol, ConnectRequest, ConnectStep,
};
use crate::engine::{Analysis, Outcome, RuleId};
use crate::model::Design;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConnectProps {
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    /// The VM the selection names, to pre-fill the form.
    #[prop_or_default]
    pub vm: Option<String>,
    pub dispatch: Callback<Action>,
    pub open_rule: Callback<RuleId>,
}

/// What the person asked for when they pressed Connect.
#[derive(Clone, Debug, PartialEq)]
struct Pressed {
    user: String,
    vm: String,
    request: ConnectRequest,
}

const CLIENTS: [(ConnectClient, &str, &str); 3] = [
    (ConnectClient::Browser, "browser", "Browser (the VM's Connect page)"),
    (ConnectClient::NativeClient, "native", "Native client (az network bastion)"),
    (ConnectClient::IpBased, "ip", "IP-based (the Bastion's Connect page)"),
];

/// The value of the `<select>` or `<input>` an event came from.
fn select_value(event: &Event) -> String {
    let target = event.target();
    if let Some(input) = target.as_ref().and_then(|it| it.dyn_ref::<web_sys::HtmlInputElement>()) {
        return input.value().trim().to_string();
    }
    event.target_unchecked_into::<web_sys::HtmlSelectElement>().value()
}

#[component]
pub fn ConnectPanel(props: &ConnectProps) -> Html {
    let design = &*props.design;
    let first_vm = || props.vm.clone().or_else(|| design.vms.first().map(|it| it.name.clone())).unwrap_or_default();
    let user = use_state(|| design.users.first().map(|it| it.name.clone()).unwrap_or_default());
    let vm = use_state(first_vm);
    let protocol = use_state(|| ConnectRequest::default_for(design, &first_vm()).protocol);
    let client = use_state(|| ConnectClient::Browser);
    let bastion = use_state(|| None::<String>);
    let pressed = use_state(|| None::<Pressed>);
    // Subscriptions cleared in the portal's global filter (none: every one is selected).
    let hidden = use_state(Vec::<String>::new);

    // Forget a choice that names something the design no longer has.
    let user_ok = design.users.iter().any(|it| it.name == *user);
    let vm_ok = design.vms.iter().any(|it| it.name == *vm);

    let on_user = {
        let user = user.clone();
        Callback::from(move |event: Event| user.set(select_value(&event)))
    };
    let on_vm = {
        let (vm, protocol, bastion, design) = (vm.clone(), protocol.clone(), bastion.clone(), props.design.clone());
        Callback::from(move |event: Event| {
            let name = select_value(&event);
            protocol.set(ConnectRequest::default_for(&design, &name).protocol);
            bastion.set(None);
            vm.set(name);
        })
    };
    let on_protocol = {
        let protocol = protocol.clone();
        Callback::from(move |event: Event| {
            protocol.set(if select_value(&event) == "rdp" { ConnectProtocol::Rdp } else { ConnectProtocol::Ssh })
        })
    };
    let on_client = {
        let client = client.clone();
        Callback::from(move |event: Event| {
            let value = select_value(&event);
            let picked = CLIENTS.iter().find(|it| it.1 == value).map_or(ConnectClient::Browser, |it| it.0);
            client.set(picked)
        })
    };
    let on_bastion = {
        let bastion = bastion.clone();
        Callback::from(move |event: Event| {
            let value = select_value(&event);
            bastion.set(if value.is_empty() { None } else { Some(value) })
        })
    };
    let subscription_filter = if hidden.is_empty() {
        None
    } else {
        Some(design.subscriptions.iter().map(|it| it.id.clone()).filter(|id| !hidden.contains(id)).collect())
    };
    let request =
        ConnectRequest { protocol: *protocol, client: *client, bastion: (*bastion).clone(), subscription_filter };
    let toggle_subscription = |id: String| {
        let hidden = hidden.clone();
        Callback::from(move |_: Event| {
            let mut next = (*hidden).clone();
            if let Some(at) = next.iter().position(|it| *it == id) {
                next.remove(at);
            } else {
                next.push(id.clone());
            }
            hidden.set(next)
        })
    };
    let on_connect = {
        let pressed = pressed.clone();
        let next = Pressed { user: (*user).clone(), vm: (*vm).clone(), request: request.clone() };
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            pressed.set(Some(next.clone()))
        })
    };
    // The Bastions the portal would list for the current choice, to offer in the picker.
    // Simulated once per design and choice, not on every render (an estate has 20,000 VMs).
    let preview = use_memo(
        (
            props.design.clone(),
            props.analysis.clone(),
            (*user).clone(),
            (*vm).clone(),
            request.clone(),
            user_ok && vm_ok,
        ),
        |(design, analysis, user, vm, request, ok)| ok.then(|| simulate(design, analysis, user, vm, request)),
    );
    let outcome =
        use_memo((props.design.clone(), props.analysis.clone(), (*pressed).clone()), |(design, analysis, pressed)| {
            pressed.as_ref().map(|it| (it.clone(), simulate(design, analysis, &it.user, &it.vm, &it.request)))
        });

    html! {
        <section class="block connect-panel" aria-label="Connect simulation">
            <h3>{"Connect"}</h3>
            if design.users.is_empty() || design.vms.is_empty() {
                <p class="empty small">{"Connect needs a user and a VM in the design."}</p>
            } else {
                <form class="connect-form" onsubmit={on_connect}>
                    <label><span>{"User"}</span>
                        { name_field("connect-user", design.users.iter().map(|it| it.name.as_str()), design.users.len(), &user, on_user) }
                    </label>
                    <label><span>{"VM"}</span>
                        { name_field("connect-vm", design.vms.iter().map(|it| it.name.as_str()), design.vms.len(), &vm, on_vm) }
                    </label>
                    <label><span>{"Protocol"}</span>
                        <select data-testid="connect-protocol" onchange={on_protocol}>
                            <option value="rdp" selected={*protocol == ConnectProtocol::Rdp}>{"RDP"}</option>
                            <option value="ssh" selected={*protocol == ConnectProtocol::Ssh}>{"SSH"}</option>
                        </select>
                    </label>
                    <label><span>{"Client"}</span>
                        <select data-testid="connect-client" onchange={on_client}>
                            { for CLIENTS.iter().map(|(it, value, label)| html! {
                                <option value={*value} selected={*it == *client}>{*label}</option>
                            }) }
                        </select>
                    </label>
                    <label><span>{"Bastion"}</span>
                        <select data-testid="connect-bastion" onchange={on_bastion}>
                            <option value="" selected={bastion.is_none()}>{"Azure's default (first listed)"}</option>
                            { for preview.iter().flat_map(|it| it.detected.iter()).take(LIST_LIMIT).map(|it| html! {
                                <option key={it.name.clone()} value={it.name.clone()} selected={Some(&it.name) == bastion.as_ref()}>
                                    {format!("{} ({})", it.name, place_text(it.place))}
                                </option>
                            }) }
                        </select>
                    </label>
                    if design.subscriptions.len() > 1 && design.subscriptions.len() <= LIST_LIMIT {
                        <details class="subscription-filter">
                            <summary>{format!("Portal subscription filter ({} of {} selected)", design.subscriptions.len() - hidden.len(), design.subscriptions.len())}</summary>
                            { for design.subscriptions.iter().map(|it| html! {
                                <label key={it.id.clone()} class="check-line">
                                    <input type="checkbox" checked={!hidden.contains(&it.id)} onchange={toggle_subscription(it.id.clone())}
                                        data-testid={format!("connect-subscription-{}", it.id)} />
                                    {if it.display_name.is_empty() { it.id.clone() } else { format!("{} ({})", it.display_name, it.id) }}
                                </label>
                            }) }
                        </details>
                    }
                    <button type="submit" class="primary" data-testid="connect" disabled={!(user_ok && vm_ok)}>{"Connect"}</button>
                </form>
            }
            if let Some((asked, outcome)) = &*outcome {
                { outcome_view(asked, outcome, &props.dispatch, &props.open_rule) }
            }
        </section>
    }
}

/// Above this many names a `<select>` would cost every render thousands of nodes: the
/// field becomes a text input where the name is typed.
pub const LIST_LIMIT: usize = 300;

/// A picker of one name: a `<select>` for a short list, a text field for a long one.
/// `onchange` receives the `change` event of either.
pub fn name_field<'a>(
    test_id: &'static str,
    names: impl Iterator<Item = &'a str>,
    count: usize,
    current: &str,
    onchange: Callback<Event>,
) -> Html {
    if count > LIST_LIMIT {
        return html! {
            <input type="text" data-testid={test_id} value={current.to_string()} {onchange}
                placeholder={format!("type a name ({count})")} spellcheck="false" />
        };
    }
    html! {
        <select data-testid={test_id} {onchange}>
            { for names.map(|name| html! {
                <option key={name} value={name.to_string()} selected={name == current}>{name.to_string()}</option>
            }) }
        </select>
    }
}

fn place_text(place: BastionPlace) -> &'static str {
    match place {
        BastionPlace::SameVnet => "the VM's VNet",
        BastionPlace::PeeredVnet => "a peered VNet",
        BastionPlace::IpBasedOnly => "IP-based only",
    }
}

fn fix_button(step: &ConnectStep, dispatch: &Callback<Action>) -> Html {
    let Some(action) = step.fix_action.clone() else {
        return Html::default();
    };
    let dispatch = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(Command::ApplyFix(action.clone()))));
    html! {
        <button type="button" class="fix-button" data-testid={format!("connect-fix-{}", step.rule)}
            title={format!("Apply: {} (undo with Ctrl+Z)", step.fix)} {onclick}>{"Fix"}</button>
    }
}

fn outcome_view(
    asked: &Pressed,
    outcome: &ConnectOutcome,
    dispatch: &Callback<Action>,
    open_rule: &Callback<RuleId>,
) -> Html {
    let failures: Vec<&ConnectStep> = outcome.failures().collect();
    let warnings: Vec<&ConnectStep> = outcome.steps.iter().filter(|it| it.outcome == Outcome::Warn).collect();
    html! {
        <div class={classes!("connect-outcome", if outcome.opens { "opens" } else { "fails" })} data-testid="connect-outcome"
            data-opens={outcome.opens.to_string()} aria-live="polite">
            <p class="small">
                {format!("{} presses Connect on {} — {} over {} (port {}).", asked.user, asked.vm, outcome.protocol.name(), outcome.client.name(), outcome.port)}
            </p>
            <h4>{"Bastions detected"}</h4>
            if outcome.detected.is_empty() {
                <p class="small">{"None: no Bastion in the VM's VNet or in a VNet peered with it."}</p>
            }
            <ol class="detected">
                { for outcome.detected.iter().map(|it| html! {
                    <li key={it.name.clone()} class={classes!((outcome.bastion.as_ref() == Some(&it.name)).then_some("used"))}>
                        <strong>{it.name.clone()}</strong>
                        <span class="muted small">{format!(" {} · {} · {}", it.sku.name(), it.vnet, place_text(it.place))}</span>
                        if outcome.bastion.as_ref() == Some(&it.name) { <span class="chip">{"used"}</span> }
                        if it.reachable { <span class="chip reachable">{"reaches the VM"}</span> } else { <span class="chip blocked">{"no path"}</span> }
                    </li>
                }) }
            </ol>
            if outcome.opens {
                <p class="verdict-text opens" data-testid="connect-opens">
                    {format!("The session would open through {}.", outcome.bastion.clone().unwrap_or_default())}
                </p>
            } else {
                <p class="verdict-text fails">{format!("The session would not open: {} check(s) fail.", failures.len())}</p>
                <ol class="checks">
                    { for failures.iter().enumerate().map(|(i, step)| html! {
                        <li key={i} class="check fail" data-testid={format!("connect-step-{}", step.rule)}>
                            <span class="mark" aria-label="fail">{"✕"}</span>
                            <div class="check-body">
                                <div class="check-head">
                                    <RuleLink rule={step.rule} open={open_rule.clone()} />
                                    <span class="check-resource">{step.resource.clone()}</span>
                                </div>
                                <div class="found">{step.found.clone()}</div>
                                if !step.fix.is_empty() {
                                    <div class="fix"><strong>{"Fix: "}</strong>{step.fix.clone()}</div>
                                }
                            </div>
                            { fix_button(step, dispatch) }
                        </li>
                    }) }
                </ol>
            }
            { for warnings.iter().enumerate().map(|(i, step)| html! {
                <p key={i} class="small note"><RuleLink rule={step.rule} open={open_rule.clone()} />{" "}{step.found.clone()}</p>
            }) }
            <details class="all-steps">
                <summary>{format!("Every check ({})", outcome.steps.len())}</summary>
                <ol class="checks">
                    { for outcome.steps.iter().enumerate().map(|(i, step)| {
                        let (class, mark) = outcome_mark(step.outcome);
                        html! {
                            <li key={i} class={classes!("check", class)}>
                                <span class="mark" aria-label={class}>{mark}</span>
                                <div class="check-body">
                                    <div class="check-head">
                                        <RuleLink rule={step.rule} open={open_rule.clone()} />
                                        <span class="check-resource">{step.resource.clone()}</span>
                                    </div>
                                    <div class="found">{step.found.clone()}</div>
                                </div>
                            </li>
                        }
                    }) }
                </ol>
            </details>
        </div>
    }
}
