//! The NSG helper: for an AzureBastionSubnet NSG, the required rows of rules.md §5 that are
//! missing or shadowed (and by which rule); for a VM, the NSG rules that drop 22/3389 from a
//! Bastion's subnet. One click adds the right rules, as one undoable edit.

use super::rules_ref::RuleLink;
use super::Action;
use crate::edit::Command;
use crate::engine::nsg_helper::{bastion_subnet_nsg, target_vm_nsgs, Attachment};
use crate::engine::{Analysis, FixAction, RuleId};
use crate::model::{Design, NsgRule};
use yew::prelude::*;

fn apply_button(test_id: String, label: &str, action: FixAction, dispatch: &Callback<Action>) -> Html {
    let dispatch = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(Command::ApplyFix(action.clone()))));
    html! {
        <button type="button" class="fix-button" data-testid={test_id} title="One undoable edit (Ctrl+Z)" {onclick}>{label.to_string()}</button>
    }
}

fn rule_line(rule: &NsgRule) -> String {
    format!(
        "{} {} {:?} {:?} from {} to {} port {}",
        rule.priority,
        rule.name,
        rule.direction,
        rule.access,
        rule.sources.join(", "),
        rule.destinations.join(", "),
        rule.destination_ports.join(", ")
    )
}

/// The eight required rows of an AzureBastionSubnet NSG and what to add.
pub fn bastion_nsg(design: &Design, nsg: &str, dispatch: &Callback<Action>, open_rule: &Callback<RuleId>) -> Html {
    let Some(report) = bastion_subnet_nsg(design, nsg) else {
        return Html::default();
    };
    let missing = report.rows.iter().filter(|it| it.state != "satisfied").count();
    html! {
        <section class="block nsg-helper" data-testid={format!("nsg-helper-{nsg}")}>
            <h3>{"NSG helper — AzureBastionSubnet "}<RuleLink rule={RuleId::BHealth3} open={open_rule.clone()} /></h3>
            <p class="small">{if missing == 0 {
                format!("{nsg} carries every rule Azure Bastion needs.")
            } else {
                format!("{nsg} lacks {missing} of the 8 rules Azure Bastion needs: the Bastion stops working until they are back.")
            }}</p>
            <table class="table nsg-rows">
                <thead><tr><th>{"Required"}</th><th>{"State"}</th></tr></thead>
                <tbody>
                    // Two rows can share a purpose (the data plane is one rule in each direction).
                    { for report.rows.iter().enumerate().map(|(i, row)| html! {
                        <tr key={i} class={classes!("row-state", row.state)}>
                            <td><div>{row.purpose.clone()}</div><div class="muted small">{row.row.clone()}</div></td>
                            <td>
                                <span class={classes!("chip", if row.state == "satisfied" { "reachable" } else { "blocked" })}>{row.state}</span>
                                if let Some(by) = &row.decided_by { <div class="muted small">{format!("by {by}")}</div> }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !report.rules_to_add.is_empty() {
                <h4>{"Rules to add"}</h4>
                <ul class="small rules-to-add">
                    { for report.rules_to_add.iter().map(|it| html! { <li key={it.name.clone()}><code>{rule_line(it)}</code></li> }) }
                </ul>
            }
            if let Some(action) = report.fix_action {
                { apply_button(format!("nsg-apply-{nsg}"), "Add the missing rules", action, dispatch) }
            }
        </section>
    }
}

/// The NSG rules on a VM's subnet and NIC that drop sessions from a Bastion.
pub fn target_nsgs(
    design: &Design,
    analysis: &Analysis,
    vm: &str,
    dispatch: &Callback<Action>,
    open_rule: &Callback<RuleId>,
) -> Html {
    let blocks = target_vm_nsgs(design, analysis, vm);
    if blocks.is_empty() {
        return html! {
            <section class="block nsg-helper" data-testid={format!("nsg-helper-{vm}")}>
                <h3>{"NSG helper — sessions to this VM"}</h3>
                <p class="small muted">{"No NSG on this VM's subnet or NIC drops 22 or 3389 from a Bastion's subnet."}</p>
            </section>
        };
    }
    html! {
        <section class="block nsg-helper" data-testid={format!("nsg-helper-{vm}")}>
            <h3>{"NSG helper — sessions to this VM "}<RuleLink rule={RuleId::RNsgIn} open={open_rule.clone()} /></h3>
            <ul class="nsg-blocks">
                { for blocks.into_iter().enumerate().map(|(i, block)| {
                    let place = match block.attachment { Attachment::Subnet => "subnet", Attachment::Nic => "NIC" };
                    html! {
                        <li key={i}>
                            <p class="small">{format!("{} ({place} NSG) drops port {} from {} ({}): {}.", block.nsg, block.port, block.bastion, block.source, block.blocked_by)}</p>
                            { match (&block.rule_to_add, &block.fix_action) {
                                (Some(rule), Some(action)) => html! { <>
                                    <p class="small"><strong>{"Add: "}</strong><code>{rule_line(rule)}</code></p>
                                    { apply_button(format!("nsg-apply-{}-{}-{}", block.nsg, block.bastion, block.port), "Add this rule", action.clone(), dispatch) }
                                </> },
                                _ => html! {
                                    <p class="small">{format!("No priority above it is free: move or narrow that rule first, then allow TCP {} from {}.", block.port, block.source)}</p>
                                },
                            } }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
