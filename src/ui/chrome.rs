//! The page's frame: the top bar (scenario picker, history, sharing, help) and the left
//! palette of resource kinds with the design's people.
//!
//! Editing (undo, redo, import, export, share, compare, dragging from the palette) comes
//! with the editor: those controls are shown, disabled, and say so.

use super::{Action, Shared};
use crate::model::Design;
use crate::scenarios;
use crate::view::Selection;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const LATER: &str = "Arrives with the design editor";

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub scenario: String,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let help = use_state(|| false);
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            dispatch.emit(Action::LoadScenario(select.value()));
        })
    };
    let toggle_help = {
        let help = help.clone();
        Callback::from(move |_: MouseEvent| help.set(!*help))
    };
    let all = scenarios::all();
    let summary = all.iter().find(|it| it.name == props.scenario).map(|it| it.summary).unwrap_or_default();
    html! {
        <header class="topbar">
            <div class="brand">
                <img src="favicon.svg" alt="" width="28" height="28" />
                <div>
                    <div class="brand-name">{"bastion-sim"}</div>
                    <div class="brand-tag">{"Azure remote-access simulator"}</div>
                </div>
            </div>
            <label class="picker">
                <span class="picker-label">{"Scenario"}</span>
                <select data-testid="scenario-picker" {onchange} title={summary}>
                    { for all.iter().map(|it| html! {
                        <option key={it.name} value={it.name} selected={it.name == props.scenario}>{it.title}</option>
                    }) }
                </select>
            </label>
            <div class="toolbar">
                <div class="group">
                    <button type="button" data-testid="undo" disabled=true title={LATER}>{"↶ Undo"}</button>
                    <button type="button" data-testid="redo" disabled=true title={LATER}>{"↷ Redo"}</button>
                </div>
                <div class="group">
                    <button type="button" data-testid="import" disabled=true title={LATER}>{"Import"}</button>
                    <button type="button" data-testid="export" disabled=true title={LATER}>{"Export"}</button>
                </div>
                <div class="group share">
                    <button type="button" data-testid="share" disabled=true title={LATER}>{"Share"}</button>
                    <input type="text" data-testid="share-link" readonly=true disabled=true placeholder="Share link" aria-label="Share link" />
                </div>
                <button type="button" data-testid="compare" disabled=true title={LATER}>{"Compare"}</button>
                <button type="button" class="help-button" aria-expanded={help.to_string()} onclick={toggle_help.clone()}>{"? Help"}</button>
            </div>
            if *help {
                <div class="help" role="dialog" aria-label="Help">
                    <h2>{"How to read this page"}</h2>
                    <ul>
                        <li>{"The canvas shows each VNet as a box with its subnets as bands; Bastions and VMs sit in their subnets. A peering is a line between two VNets: each side's link draws its own half, so a half line is a link that is not Connected."}</li>
                        <li>{"Click a Bastion to colour every VM: green reachable, red blocked, amber when the Bastion itself is unhealthy. The panel on the right lists its health checks, SKU advice and monthly cost."}</li>
                        <li>{"Click a VM to see each Bastion's verdict with its chain of checks (rule id, resource, what was found, the fix); the path of the highlighted verdict is drawn on the canvas."}</li>
                        <li>{"Click a person in the left panel to see what they can reach and which role assignments they lack."}</li>
                        <li>{"The findings list below the canvas holds every finding; click one to select its resource."}</li>
                        <li>{"Drag the background to pan, use the wheel or the +/− buttons to zoom, Fit to see everything."}</li>
                    </ul>
                    <button type="button" onclick={toggle_help}>{"Close"}</button>
                </div>
            }
        </header>
    }
}

/// Every kind of resource a design holds, in the palette's order.
pub const PALETTE: [(&str, &str); 10] = [
    ("vnet", "VNet"),
    ("subnet", "Subnet"),
    ("bastion", "Bastion"),
    ("vm", "Virtual machine"),
    ("nsg", "NSG"),
    ("vwan-hub", "vWAN hub"),
    ("gateway", "VPN / ER gateway"),
    ("onprem-site", "On-prem site"),
    ("onprem-machine", "On-prem machine"),
    ("user", "User"),
];

#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    pub design: Shared<Design>,
    pub selection: Selection,
    pub select: Callback<Selection>,
}

#[component]
pub fn Palette(props: &PaletteProps) -> Html {
    let design = &*props.design;
    html! {
        <aside class="palette">
            <h2>{"Resources"}</h2>
            <ul class="kinds">
                { for PALETTE.iter().map(|(kind, label)| html! {
                    <li key={*kind} class="kind" data-testid={format!("palette-{kind}")} title={format!("{label} — drag onto the canvas: {LATER}")}>
                        <img src={format!("icons/{kind}.svg")} alt="" width="22" height="22" />
                        <span>{*label}</span>
                    </li>
                }) }
            </ul>
            <h2>{"People"}</h2>
            if design.users.is_empty() {
                <p class="empty">{"No users in this design."}</p>
            }
            <ul class="people">
                { for design.users.iter().map(|user| {
                    let selected = props.selection == Selection::User(user.name.clone());
                    let onclick = {
                        let select = props.select.clone();
                        let name = user.name.clone();
                        Callback::from(move |_: MouseEvent| select.emit(Selection::User(name.clone())))
                    };
                    let shown = if user.display_name.is_empty() { user.name.clone() } else { user.display_name.clone() };
                    html! {
                        <li key={user.name.clone()}>
                            <button type="button" class={classes!("person", selected.then_some("selected"))}
                                data-testid={format!("principal-{}", user.name)} title={user.name.clone()} {onclick}>
                                <img src="icons/user.svg" alt="" width="20" height="20" />
                                <span class="person-name">{shown}</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </aside>
    }
}
