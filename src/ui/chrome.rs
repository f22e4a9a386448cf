//! The page's frame: the top bar (scenario picker, new design, history, files, sharing,
//! compare, help) and the left palette of resource kinds with the design's people.

use super::{browser, export, keyboard, Action, Shared};
use crate::io::{export::arm_template, share};
use crate::model::{save_design, Design, DesignFile, Layout};
use crate::scenarios;
use crate::view::{layout, Selection};
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub scenario: String,
    pub design: Shared<Design>,
    pub layout: Shared<Layout>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub comparing: bool,
    pub help: bool,
    pub toggle_help: Callback<Option<bool>>,
    pub dispatch: Callback<Action>,
}

/// A file name for exports: the scenario's name, or "design".
fn base_name(scenario: &str) -> String {
    if scenario.is_empty() {
        "design".to_string()
    } else {
        scenario.to_string()
    }
}

#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let link = use_state(String::new);
    let onchange = {
        let dispatch = props.dispatch.clone();
        let can_undo = props.can_undo;
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let name = select.value();
            if name.is_empty() {
                return;
            }
            if can_undo
                && !browser::confirm(
                    "Open this scenario? Your edits are replaced (export or share them first to keep them).",
                )
            {
                return;
            }
            dispatch.emit(Action::LoadScenario(name));
        })
    };
    let new_design = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if browser::confirm(
                "Start a new, empty design? The current design is discarded (export or share it first to keep it).",
            ) {
                dispatch.emit(Action::LoadFile {
                    file: DesignFile::default(),
                    origin: "New design: drag a VNet from the palette onto the canvas to begin.".into(),
                    details: Vec::new(),
                });
            }
        })
    };
    let undo = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Undo))
    };
    let redo = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Redo))
    };
    let import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|it| it.get(0)) else { return };
            let name = file.name();
            // Choosing the same file again must fire `change` again.
            input.set_value("");
            let dispatch = dispatch.clone();
            browser::read_text(file, move |text| {
                let action = match text
                    .map_err(|err| err.to_string())
                    .and_then(|text| crate::io::import::import_text(&text).map_err(|err| err.to_string()))
                {
                    // A template whose every resource is conditional, say: read, but an empty
                    // design must not replace the person's.
                    Ok(imported) if imported.shows_nothing() => Action::Notify {
                        error: true,
                        text: format!(
                            "Could not import {name}: this {} holds nothing the canvas can show ({} item(s) skipped; `bastion-sim import` lists them). The current design is unchanged.",
                            imported.source.label(),
                            imported.skipped.len()
                        ),
                    },
                    Ok(imported) => {
                        let label = imported.source.label();
                        let skipped: Vec<&str> = imported.skipped.iter().map(|it| it.what.as_str()).collect();
                        let origin = match skipped.len() {
                            0 => format!("Imported {name} ({label})."),
                            n => {
                                let more = if n > 5 { "; …" } else { "" };
                                format!(
                                    "Imported {name} ({label}): {n} skipped: {}{more}.",
                                    skipped[..n.min(5)].join("; ")
                                )
                            }
                        };
                        let details = imported.skipped.iter().map(|it| format!("{}: {}: {}", it.path, it.what, it.why)).collect();
                        Action::LoadFile { file: imported.file, origin, details }
                    }
                    Err(err) => Action::Notify {
                        error: true,
                        text: format!("Could not import {name}: {err}. The current design is unchanged."),
                    },
                };
                dispatch.emit(action);
            });
        })
    };
    let export_file = {
        let design = props.design.clone();
        let layout = props.layout.clone();
        let name = base_name(&props.scenario);
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let text = save_design(&design, &layout);
            if let Err(err) = browser::download(&format!("{name}.json"), "application/json", &text) {
                dispatch.emit(Action::Notify { error: true, text: format!("Could not export the design: {err}") });
            }
        })
    };
    let export_arm = {
        let design = props.design.clone();
        let name = if props.design.name.is_empty() { base_name(&props.scenario) } else { props.design.name.clone() };
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let export = arm_template(&design);
            let file = format!("{name}.template.json");
            let action = match browser::download(&file, "application/json", &export.template) {
                Ok(()) => Action::Notify { error: false, text: export.summary() },
                Err(err) => Action::Notify { error: true, text: format!("Could not export the ARM template: {err}") },
            };
            dispatch.emit(action);
        })
    };
    let picture = |png: bool| {
        let design = props.design.clone();
        let name = base_name(&props.scenario);
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let bounds = layout(&design).bounds;
            let report = {
                let dispatch = dispatch.clone();
                move |result: Result<(), String>| {
                    if let Err(err) = result {
                        dispatch
                            .emit(Action::Notify { error: true, text: format!("Could not export the picture: {err}") });
                    }
                }
            };
            if png {
                export::export_png(bounds, &format!("{name}.png"), report);
            } else {
                report(export::export_svg(bounds, &format!("{name}.svg")));
            }
        })
    };
    let share_click = {
        let design = props.design.clone();
        let layout = props.layout.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            let file = DesignFile { design: (*design).clone(), layout: (*layout).clone() };
            let address = format!("{}#{}", browser::page_address(), share::encode_fragment(&file));
            browser::copy_to_clipboard(&address);
            link.set(address);
        })
    };
    let compare = {
        let dispatch = props.dispatch.clone();
        let comparing = props.comparing;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::SetBaseline(!comparing)))
    };
    let help_click = {
        let toggle = props.toggle_help.clone();
        Callback::from(move |_: MouseEvent| toggle.emit(None))
    };
    let help_close = {
        let toggle = props.toggle_help.clone();
        Callback::from(move |_: MouseEvent| toggle.emit(Some(false)))
    };
    let all = scenarios::all();
    let exercises = scenarios::exercises::all();
    let summary = all
        .iter()
        .find(|it| it.name == props.scenario)
        .map(|it| it.summary)
        .or_else(|| exercises.iter().find(|it| it.name == props.scenario).map(|it| it.brief))
        .unwrap_or("Your own design");
    let is_scenario =
        all.iter().any(|it| it.name == props.scenario) || exercises.iter().any(|it| it.name == props.scenario);
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
                    if !is_scenario {
                        <option value="" selected=true>{"Your design"}</option>
                    }
                    <optgroup label="Scenarios">
                        { for all.iter().map(|it| html! {
                            <option key={it.name} value={it.name} selected={it.name == props.scenario}>{it.title}</option>
                        }) }
                    </optgroup>
                    <optgroup label="Exercises (graded)">
                        { for exercises.iter().map(|it| html! {
                            <option key={it.name} value={it.name} selected={it.name == props.scenario}>{it.title}</option>
                        }) }
                    </optgroup>
                </select>
            </label>
            <div class="toolbar">
                <div class="group">
                    <button type="button" data-testid="new-design" onclick={new_design} title="Start an empty design">{"New"}</button>
                    <button type="button" data-testid="undo" disabled={!props.can_undo} onclick={undo} title="Undo (Ctrl+Z)">{"↶ Undo"}</button>
                    <button type="button" data-testid="redo" disabled={!props.can_redo} onclick={redo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)">{"↷ Redo"}</button>
                </div>
                <div class="group">
                    <label class="button file-button" title="Open a design file (bastion-sim/1 JSON)">
                        {"Import"}
                        <input type="file" accept=".json,application/json" data-testid="import" onchange={import} aria-label="Import a design file" />
                    </label>
                    <button type="button" data-testid="export" onclick={export_file} title="Save the design file (JSON)">{"Export"}</button>
                    <button type="button" data-testid="export-arm" onclick={export_arm} title="Save the design as an ARM deployment template (JSON) to review and deploy">{"ARM template"}</button>
                    <button type="button" data-testid="export-svg" onclick={picture(false)} title="Save the canvas as a self-contained SVG">{"SVG"}</button>
                    <button type="button" data-testid="export-png" onclick={picture(true)} title="Save the canvas as a PNG picture">{"PNG"}</button>
                </div>
                <div class="group share">
                    <button type="button" data-testid="share" onclick={share_click} title="Make a link that carries this design (nothing is uploaded)">{"Share"}</button>
                    <input type="text" data-testid="share-link" readonly=true value={(*link).clone()} placeholder="Share link" aria-label="Share link"
                        onfocus={Callback::from(|event: FocusEvent| { let input: HtmlInputElement = event.target_unchecked_into(); input.select(); })} />
                </div>
                <button type="button" data-testid="compare" class={classes!(props.comparing.then_some("active"))} aria-pressed={props.comparing.to_string()} onclick={compare}
                    title="Mark the current design as the baseline, edit, and see what changed">{ if props.comparing { "Stop comparing" } else { "Compare" } }</button>
                <button type="button" class="help-button" data-testid="help" aria-expanded={props.help.to_string()} onclick={help_click} title="Help and shortcuts (?)">{"? Help"}</button>
            </div>
            if props.help {
                <div class="help" role="dialog" aria-label="Help" data-testid="help-overlay">
                    <h2>{"How to use this page"}</h2>
                    <ul>
                        <li>{"The canvas shows each VNet as a box with its subnets as bands; Bastions and VMs sit in their subnets. A peering is a line between two VNets: each side's link draws its own half, so a half line is a link that is not Connected."}</li>
                        <li>{"Drag a resource from the palette onto the canvas or into a VNet or subnet; drag from a VNet's handle to another VNet to peer them. Every edit can be undone."}</li>
                        <li>{"Click a Bastion to colour every VM: green reachable, red blocked, amber when the Bastion itself is unhealthy. Click a VM to see each Bastion's verdict with its chain of checks; click a person to see what they can reach."}</li>
                        <li>{"The findings list below the canvas holds every finding; click one to select its resource, or press Fix to apply its fix as an undoable edit."}</li>
                        <li>{"Your work is saved in this browser as you go. Share makes a link that carries the whole design; Export and Import save and open the design file."}</li>
                    </ul>
                    <h3>{"Keyboard shortcuts"}</h3>
                    <table class="shortcuts">
                        <tbody>
                            { for keyboard::SHORTCUTS.iter().map(|(keys, what)| html! {
                                <tr key={*keys}><th scope="row"><kbd>{*keys}</kbd></th><td>{*what}</td></tr>
                            }) }
                        </tbody>
                    </table>
                    <button type="button" onclick={help_close}>{"Close"}</button>
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
    /// What the people section reads, rebuilt only when an edit touches it.
    pub people: Shared<super::principals::People>,
    pub selection: Selection,
    pub select: Callback<Selection>,
    pub dispatch: Callback<Action>,
}

/// A palette item carries its kind to the canvas's drop handler (canvas's area).
fn palette_drag(kind: &'static str) -> Callback<DragEvent> {
    Callback::from(move |event: DragEvent| {
        if let Some(transfer) = event.data_transfer() {
            let _ = transfer.set_data(super::canvas::PALETTE_MIME, kind);
            transfer.set_effect_allowed("copy");
        }
    })
}

#[component]
pub fn Palette(props: &PaletteProps) -> Html {
    html! {
        <aside class="palette">
            <h2>{"Resources"}</h2>
            <ul class="kinds">
                { for PALETTE.iter().map(|(kind, label)| html! {
                    <li key={*kind} class="kind" data-testid={format!("palette-{kind}")} title={format!("{label}: drag onto the canvas")}
                        draggable="true" ondragstart={palette_drag(kind)}>
                        <img src={format!("icons/{kind}.svg")} alt="" width="22" height="22" />
                        <span>{*label}</span>
                    </li>
                }) }
            </ul>
            <super::principals::Principals people={props.people.clone()}
                selected_user={match &props.selection { Selection::User(name) => Some(name.clone()), _ => None }}
                select={props.select.clone()} dispatch={props.dispatch.clone()} />
        </aside>
    }
}
