//! Cost per month: each Bastion and the total from the design's price table (dated, marked
//! approximate, editable as one undoable `Command::SetPrices`), and the consolidation
//! advice (CONSOLIDATE-HUB) with the saving it names.

use super::rules_ref::RuleLink;
use super::{Action, Shared};
use crate::edit::Command;
use crate::engine::consolidation::{consolidation_advice, Consolidation};
use crate::engine::{Analysis, RuleId};
use crate::model::{Design, PriceTable};
use crate::view::Selection;
use yew::prelude::*;

pub fn money(currency: &str, amount: f64) -> String {
    if currency == "USD" {
        format!("${amount:.2}")
    } else {
        format!("{amount:.2} {currency}")
    }
}

#[derive(Properties, PartialEq)]
pub struct CostProps {
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
    pub dispatch: Callback<Action>,
    pub select: Callback<Selection>,
    pub open_rule: Callback<RuleId>,
}

type Field = (&'static str, &'static str, fn(&mut PriceTable) -> &mut f64);

/// The price table's editable numbers, with their labels.
const FIELDS: [Field; 7] = [
    ("basic", "Basic, per hour", |p| &mut p.basic_per_hour),
    ("standard", "Standard, per hour", |p| &mut p.standard_per_hour),
    ("premium", "Premium, per hour", |p| &mut p.premium_per_hour),
    ("standard-extra", "Standard extra instance, per hour", |p| &mut p.standard_extra_instance_per_hour),
    ("premium-extra", "Premium extra instance, per hour", |p| &mut p.premium_extra_instance_per_hour),
    ("outbound", "Outbound data, per GB", |p| &mut p.outbound_per_gb),
    ("free-outbound", "Free outbound GB a month", |p| &mut p.free_outbound_gb),
];

#[component]
pub fn CostPanel(props: &CostProps) -> Html {
    let analysis = &*props.analysis;
    let cost = &analysis.cost;
    let currency = cost.prices.currency.clone();
    let editing = use_state(|| false);
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    // Builds its own index: once per analysis, not on every render.
    let consolidation = use_memo((props.design.clone(), props.analysis.clone()), |(design, analysis)| {
        consolidation_advice(design, analysis)
    });
    let saving: f64 = consolidation.iter().map(|it| it.monthly_saving).sum();
    let custom = props.design.prices.is_some();
    html! {
        <section class="block cost-panel" data-testid="cost-panel">
            <h3>{"Monthly cost"}</h3>
            <div class="cost-total" data-testid="cost-total">{money(&currency, cost.total)}<span class="muted">{" / month, approximate"}</span></div>
            <table class="table cost-table">
                <thead><tr><th>{"Bastion"}</th><th>{"SKU"}</th><th>{"Inst."}</th><th>{"Per month"}</th></tr></thead>
                <tbody>
                    { for cost.bastions.iter().map(|it| html! {
                        <tr key={it.bastion.clone()} data-testid={format!("cost-{}", it.bastion)}>
                            <td><button type="button" class="link" onclick={
                                let select = props.select.clone();
                                let name = it.bastion.clone();
                                Callback::from(move |_: MouseEvent| select.emit(Selection::Bastion(name.clone())))
                            }>{it.bastion.clone()}</button></td>
                            <td>{it.sku.name()}</td>
                            <td>{it.instances}</td>
                            <td class="num">{money(&currency, it.total)}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="muted small">
                {format!("{} list prices of {}, {} hours a month{}; approximate, not a quote.",
                    cost.prices.region, cost.prices.date, cost.hours_per_month, if custom { " (edited)" } else { "" })}
                {" "}
                <button type="button" class="link" data-testid="edit-prices" aria-expanded={editing.to_string()} onclick={toggle}>
                    {if *editing { "Close the price table" } else { "Edit the price table" }}
                </button>
            </p>
            if *editing {
                { price_editor(&props.design.prices(), custom, &props.dispatch) }
            }
            if !consolidation.is_empty() {
                <div class="consolidation" data-testid="consolidation">
                    <h4>{format!("Consolidation could save about {} a month", money(&currency, saving))}</h4>
                    { for consolidation.iter().map(|it| html! {
                        <p key={it.hub_vnet.clone()} class="small" data-testid={format!("consolidate-{}", it.hub_vnet)}>
                            <RuleLink rule={RuleId::ConsolidateHub} open={props.open_rule.clone()} />
                            {format!(" {} reach only {} and VNets peered with it: one {} Bastion there could serve them all, {} → {} a month (saves {}).",
                                it.bastions.join(", "), it.hub_vnet, it.sku.name(),
                                money(&it.currency, it.monthly_now), money(&it.currency, it.monthly_after), money(&it.currency, it.monthly_saving))}
                            if !it.delete.is_empty() {
                                <br /><strong>{"How: "}</strong>{how(it)}
                            }
                        </p>
                    }) }
                </div>
            } else if cost.bastions.len() > 1 {
                <p class="small muted">{"No consolidation saving: no two Bastions serve only one hub and its direct peers."}</p>
            }
        </section>
    }
}

/// What to do for one consolidation: when none of its Bastions sits in the hub, the one
/// Bastion is a new deployment.
fn how(it: &Consolidation) -> String {
    let verb = if it.delete.len() == it.bastions.len() { "deploy" } else { "keep" };
    format!(
        "{verb} one {} Bastion in {} (its users need Reader on {}) and delete {}.",
        it.sku.name(),
        it.hub_vnet,
        it.hub_vnet,
        it.delete.join(", ")
    )
}

fn price_editor(prices: &PriceTable, custom: bool, dispatch: &Callback<Action>) -> Html {
    html! {
        <div class="price-editor" data-testid="price-editor">
            { for FIELDS.iter().map(|(id, label, field)| {
                let mut copy = prices.clone();
                let value = *field(&mut copy);
                let onchange = {
                    let prices = prices.clone();
                    let dispatch = dispatch.clone();
                    let field = *field;
                    Callback::from(move |event: Event| {
                        let text = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                        match text.trim().parse::<f64>() {
                            Ok(number) if number >= 0.0 && number.is_finite() => {
                                let mut next = prices.clone();
                                *field(&mut next) = number;
                                dispatch.emit(Action::Edit(Command::SetPrices(Some(next))));
                            }
                            _ => dispatch.emit(Action::Notify { error: true, text: format!("'{text}' is not a price: enter a number of zero or more.") }),
                        }
                    })
                };
                html! {
                    <label key={*id} class="price-field">
                        <span>{*label}</span>
                        <input type="number" min="0" step="0.01" value={value.to_string()} data-testid={format!("price-{id}")} {onchange} />
                    </label>
                }
            }) }
            <label class="price-field">
                <span>{"Prices read on (date)"}</span>
                <input type="text" value={prices.date.clone()} data-testid="price-date" onchange={
                    let prices = prices.clone();
                    let dispatch = dispatch.clone();
                    Callback::from(move |event: Event| {
                        let date = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                        dispatch.emit(Action::Edit(Command::SetPrices(Some(PriceTable { date, ..prices.clone() }))));
                    })
                } />
            </label>
            if custom {
                <button type="button" class="secondary" data-testid="price-reset" onclick={
                    let dispatch = dispatch.clone();
                    Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(Command::SetPrices(None))))
                }>{"Back to the built-in prices"}</button>
            }
        </div>
    }
}
