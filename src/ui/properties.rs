//! The inspector's Properties form: every property of the selection editable. Text is checked
//! with `edit::fields` as it is typed and applied on Enter or blur, selects and toggles on
//! change; each applied value is one `Command` (one undo step), a refused one keeps the text.

use super::{Action, Shared};
use crate::edit::fields;
use crate::edit::{Command, Item, NsgTarget};
use crate::engine::FixAction;
use crate::model::*;
use crate::view::Selection;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What a text field accepts: `None` when the text parses, else the reason it does not.
pub type Check = fn(&str) -> Option<String>;

fn err<T>(result: Result<T, String>) -> Option<String> {
    result.err()
}
fn check_name(text: &str) -> Option<String> {
    err(fields::name(text))
}
fn check_cidr(text: &str) -> Option<String> {
    err(fields::cidr(text))
}
fn check_cidrs(text: &str) -> Option<String> {
    err(fields::cidr_list(text))
}
fn check_ip(text: &str) -> Option<String> {
    err(fields::ipv4(text))
}
fn check_prefixes(text: &str) -> Option<String> {
    err(fields::address_prefixes(text))
}
fn check_ports(text: &str) -> Option<String> {
    err(fields::port_ranges(text))
}
fn check_priority(text: &str) -> Option<String> {
    err(fields::priority(text))
}
fn check_port(text: &str) -> Option<String> {
    err(fields::port(text))
}
fn check_scale_units(text: &str) -> Option<String> {
    err(fields::scale_units(text))
}
fn check_count(text: &str) -> Option<String> {
    err(fields::count(text))
}
fn check_text(text: &str) -> Option<String> {
    text.trim().is_empty().then(|| "this cannot be empty".to_string())
}

#[derive(Properties)]
pub struct FieldProps {
    pub testid: AttrValue,
    pub label: AttrValue,
    /// The committed value, as text.
    pub value: AttrValue,
    pub check: Check,
    /// Called with text that passed `check`, on Enter or blur.
    pub commit: Callback<String>,
    /// In a table cell: no visible label.
    #[prop_or_default]
    pub bare: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// A field's check is chosen by what the field holds and never changes for one field, so
/// it takes no part in the comparison (function pointers do not compare reliably).
impl PartialEq for FieldProps {
    fn eq(&self, other: &Self) -> bool {
        self.testid == other.testid
            && self.label == other.label
            && self.value == other.value
            && self.commit == other.commit
            && self.bare == other.bare
            && self.placeholder == other.placeholder
    }
}

/// A text field that keeps what the person typed until the design says otherwise: it
/// follows the committed value when that changes (an accepted edit, an undo), and keeps
/// the typed text when an edit is refused, so nothing typed is lost.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let text = use_state_eq(|| props.value.to_string());
    let sent = use_state_eq(|| None::<String>);
    {
        let (text, sent) = (text.clone(), sent.clone());
        use_effect_with(props.value.clone(), move |value| {
            text.set(value.to_string());
            sent.set(None);
        });
    }
    let error = (props.check)(&text);
    let commit = {
        let (text, sent) = (text.clone(), sent.clone());
        let (value, check, commit) = (props.value.clone(), props.check, props.commit.clone());
        move || {
            let typed = (*text).clone();
            if typed == value.as_str() || check(&typed).is_some() || sent.as_deref() == Some(typed.as_str()) {
                return;
            }
            sent.set(Some(typed.clone()));
            commit.emit(typed);
        }
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let onkeydown = {
        let commit = commit.clone();
        let (text, value) = (text.clone(), props.value.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                commit();
            }
            "Escape" => text.set(value.to_string()),
            _ => (),
        })
    };
    let onblur = Callback::from(move |_: FocusEvent| commit());
    let invalid = error.is_some();
    html! {
        <div class={classes!("field", props.bare.then_some("bare"), invalid.then_some("invalid"))}>
            if !props.bare {
                <label class="field-label">{props.label.clone()}</label>
            }
            <input type="text" class="field-input" data-testid={props.testid.clone()} aria-label={props.label.clone()}
                aria-invalid={invalid.to_string()} placeholder={props.placeholder.clone()}
                value={(*text).clone()} {oninput} {onkeydown} {onblur} spellcheck="false" />
            if let Some(error) = error {
                <span class="field-error" role="alert" data-testid={format!("{}-error", props.testid)}>{error}</span>
            }
        </div>
    }
}

/// A labelled select that commits on change.
fn select(testid: String, label: &str, value: &str, options: Vec<(String, String)>, on: Callback<String>) -> Html {
    html! {
        <div class="field">
            <label class="field-label">{label.to_string()}</label>
            { select_input(testid, label, value, options, on) }
        </div>
    }
}

/// The bare select (in a table cell or a rule card, where the label sits elsewhere).
fn select_input(
    testid: String,
    label: &str,
    value: &str,
    options: Vec<(String, String)>,
    on: Callback<String>,
) -> Html {
    html! { <Choice testid={testid} label={label.to_string()} value={value.to_string()} {options} {on} /> }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub testid: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub options: Vec<(String, String)>,
    pub on: Callback<String>,
}

/// A select that always shows the design's value: once a person has picked an option the
/// browser ignores `selected` attributes, so the value is set on the element after every
/// render (an accepted change, an undo), and put back at once when a change is picked (a
/// refused change then leaves it showing what the design holds).
#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let node = use_node_ref();
    {
        let (node, value) = (node.clone(), props.value.clone());
        use_effect(move || {
            if let Some(select) = node.cast::<HtmlSelectElement>() {
                select.set_value(&value);
            }
        });
    }
    let onchange = {
        let (on, value) = (props.on.clone(), props.value.clone());
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let chosen = select.value();
            select.set_value(&value);
            on.emit(chosen);
        })
    };
    html! {
        <select ref={node} class="field-input" data-testid={props.testid.clone()} aria-label={props.label.clone()} {onchange}>
            { for props.options.iter().map(|(option, text)| {
                let selected = *option == props.value.as_str();
                html! { <option value={option.clone()} {selected}>{text.clone()}</option> }
            }) }
        </select>
    }
}

/// A checkbox that commits on change.
fn toggle(testid: String, label: &str, checked: bool, on: Callback<bool>) -> Html {
    // Put the box back until the design says otherwise: an accepted edit re-renders it
    // checked, a refused one leaves it as the design holds it.
    let onchange = Callback::from(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        let wanted = input.checked();
        input.set_checked(!wanted);
        on.emit(wanted);
    });
    html! {
        <label class="field toggle">
            <input type="checkbox" data-testid={testid} {checked} {onchange} />
            <span>{label.to_string()}</span>
        </label>
    }
}

fn same(options: &[&str]) -> Vec<(String, String)> {
    options.iter().map(|it| (it.to_string(), it.to_string())).collect()
}

/// "(none)" and the names given.
fn optional<'a>(names: impl Iterator<Item = &'a String>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "(none)".to_string())];
    out.extend(names.map(|it| (it.clone(), it.clone())));
    out
}

#[derive(Properties, PartialEq)]
pub struct PropertiesProps {
    pub design: Shared<Design>,
    pub selection: Selection,
    pub dispatch: Callback<Action>,
}

/// The form of the selection (nothing when nothing is selected).
#[component]
pub fn Properties(props: &PropertiesProps) -> Html {
    let design = &*props.design;
    let ctx = Ctx { design, dispatch: &props.dispatch, selection: &props.selection };
    let form = match &props.selection {
        Selection::None => return Html::default(),
        Selection::Vnet(name) => design.vnet(name).map(|it| ctx.vnet(it)),
        Selection::Vm { vm, .. } => design.vm(vm).map(|it| ctx.vm(it)),
        Selection::Bastion(name) => design.bastion(name).map(|it| ctx.bastion(it)),
        Selection::Nsg(name) => design.nsg(name).map(|it| ctx.nsg(it)),
        Selection::Peering(name) => design.peerings.iter().find(|it| it.name == *name).map(|it| ctx.peering(it)),
        Selection::VirtualHub(name) => design.virtual_hubs.iter().find(|it| it.name == *name).map(|it| ctx.hub(it)),
        Selection::Gateway(name) => design.gateways.iter().find(|it| it.name == *name).map(|it| ctx.gateway(it)),
        Selection::Site(name) => design.onprem_sites.iter().find(|it| it.name == *name).map(|it| ctx.site(it)),
        Selection::Machine(name) => design.onprem_machines.iter().find(|it| it.name == *name).map(|it| ctx.machine(it)),
        Selection::User(name) => design.users.iter().find(|it| it.name == *name).map(|it| ctx.user(it)),
        Selection::Connection(name) => ctx.connection(name),
    };
    let Some(form) = form else { return Html::default() };
    html! {
        <details class="block properties" data-testid="properties" open=true>
            <summary><h3>{"Properties"}</h3></summary>
            { form }
        </details>
    }
}

/// What every form needs: the design, the dispatcher and the selection (to follow a rename).
struct Ctx<'a> {
    design: &'a Design,
    dispatch: &'a Callback<Action>,
    selection: &'a Selection,
}

impl Ctx<'_> {
    fn command(&self) -> Callback<Command> {
        self.dispatch.reform(Action::Edit)
    }

    /// A commit callback building an item from the committed text (already checked).
    fn update<F>(&self, build: F) -> Callback<String>
    where
        F: Fn(String) -> Option<Item> + 'static,
    {
        let command = self.command();
        Callback::from(move |text: String| {
            if let Some(item) = build(text) {
                command.emit(Command::Update { item });
            }
        })
    }

    fn update_bool<F>(&self, build: F) -> Callback<bool>
    where
        F: Fn(bool) -> Item + 'static,
    {
        let command = self.command();
        Callback::from(move |on: bool| command.emit(Command::Update { item: build(on) }))
    }

    fn field(&self, testid: &str, label: &str, value: String, check: Check, commit: Callback<String>) -> Html {
        html! {
            <Field key={testid.to_string()} testid={testid.to_string()} label={label.to_string()} value={value} {check} {commit} />
        }
    }

    /// The name field: a rename, after which the selection follows the new name.
    fn name_field(&self, current: &str) -> Html {
        let Some(key) = self.selection.key(self.design) else {
            return Html::default();
        };
        let command = self.command();
        let commit = Callback::from(move |text: String| {
            if let Ok(new_name) = fields::name(&text) {
                command.emit(Command::Rename { key: key.clone(), new_name });
            }
        });
        self.field("prop-name", "Name", current.to_string(), check_name, commit)
    }

    fn vnet(&self, vnet: &Vnet) -> Html {
        let v = vnet.clone();
        let space = {
            let v = v.clone();
            self.update(move |text| {
                let mut edited = v.clone();
                edited.address_prefixes = fields::cidr_list(&text).ok()?;
                Some(Item::Vnet(edited))
            })
        };
        let region = {
            let v = v.clone();
            self.update(move |text| Some(Item::Vnet(Vnet { region: text.trim().to_string(), ..v.clone() })))
        };
        let v_idx = self.design.vnets.iter().position(|it| it.name == vnet.name).unwrap_or(0);
        let nsgs = optional(self.design.nsgs.iter().map(|it| &it.name));
        let tables = optional(self.design.route_tables.iter().map(|it| &it.name));
        html! {
            <>
                { self.name_field(&vnet.name) }
                { self.field("prop-address-space", "Address space", fields::list_text(&vnet.address_prefixes), check_cidrs, space) }
                { self.field("prop-region", "Region", vnet.region.clone(), check_text, region) }
                <h4>{"Subnets"}</h4>
                <ol class="rule-cards">
                    { for vnet.subnets.iter().map(|subnet| self.subnet_row(vnet, v_idx, subnet, &nsgs, &tables)) }
                </ol>
            </>
        }
    }

    fn subnet_row(
        &self,
        vnet: &Vnet,
        v_idx: usize,
        subnet: &Subnet,
        nsgs: &[(String, String)],
        tables: &[(String, String)],
    ) -> Html {
        let id = format!("prop-subnet-{}", subnet.name);
        let rename = {
            let dispatch = self.dispatch.clone();
            let key = crate::edit::Key::Subnet { vnet: vnet.name.clone(), name: subnet.name.clone() };
            Callback::from(move |text: String| {
                if let Ok(new_name) = fields::name(&text) {
                    dispatch.emit(Action::Edit(Command::Rename { key: key.clone(), new_name }));
                }
            })
        };
        let prefix = {
            let s = subnet.clone();
            self.update(move |text| {
                Some(Item::Subnet(v_idx, Subnet { prefix: fields::cidr(&text).ok()?, ..s.clone() }))
            })
        };
        let nsg = {
            let command = self.command();
            let target = NsgTarget::Subnet { vnet: vnet.name.clone(), subnet: subnet.name.clone() };
            Callback::from(move |name: String| {
                let nsg = (!name.is_empty()).then_some(name);
                command.emit(Command::SetNsg { target: target.clone(), nsg });
            })
        };
        let table = {
            let command = self.command();
            let s = subnet.clone();
            Callback::from(move |name: String| {
                let route_table = (!name.is_empty()).then_some(name);
                command.emit(Command::Update { item: Item::Subnet(v_idx, Subnet { route_table, ..s.clone() }) });
            })
        };
        let delete = {
            let command = self.command();
            let keys = vec![crate::edit::Key::Subnet { vnet: vnet.name.clone(), name: subnet.name.clone() }];
            Callback::from(move |_: MouseEvent| command.emit(Command::Delete { keys: keys.clone() }))
        };
        html! {
            <li key={subnet.name.clone()} class="rule-card subnet-card">
                <div class="rule-line subnet-head">
                    <div class="cell"><span class="cell-label">{"Name"}</span>
                        <Field testid={format!("{id}-name")} label="Subnet name" bare=true value={subnet.name.clone()} check={check_name as Check} commit={rename} /></div>
                    <div class="cell"><span class="cell-label">{"Prefix"}</span>
                        <Field testid={format!("{id}-prefix")} label="Subnet prefix" bare=true value={subnet.prefix.to_string()} check={check_cidr as Check} commit={prefix} /></div>
                    <div class="row-buttons">
                        <button type="button" class="icon-button" data-testid={format!("{id}-delete")} title="Delete this subnet (and the VMs in it)"
                            aria-label="Delete this subnet" onclick={delete}>{"×"}</button>
                    </div>
                </div>
                <div class="rule-line">
                    <div class="cell"><span class="cell-label">{"NSG"}</span>
                        { select_input(format!("{id}-nsg"), "Subnet NSG", subnet.nsg.as_deref().unwrap_or(""), nsgs.to_vec(), nsg) }</div>
                    <div class="cell"><span class="cell-label">{"Route table"}</span>
                        { select_input(format!("{id}-route-table"), "Subnet route table", subnet.route_table.as_deref().unwrap_or(""), tables.to_vec(), table) }</div>
                </div>
            </li>
        }
    }

    fn peering(&self, link: &PeeringLink) -> Html {
        let state = fields::peering_state(self.design, link);
        let flag = |testid: &str, label: &str, value: bool, set: fn(&mut PeeringLink, bool)| {
            let l = link.clone();
            let on = self.update_bool(move |on| {
                let mut edited = l.clone();
                set(&mut edited, on);
                Item::Peering(edited)
            });
            toggle(testid.to_string(), label, value, on)
        };
        html! {
            <>
                { self.name_field(&link.name) }
                <dl class="props">
                    <dt>{"From → to"}</dt><dd>{format!("{} → {}", link.from, link.to)}</dd>
                    <dt>{"State"}</dt><dd data-testid="prop-peering-state">{format!("{state:?}")}</dd>
                </dl>
                { flag("prop-allow-vnet-access", "Allow virtual network access", link.allow_virtual_network_access, |l, on| l.allow_virtual_network_access = on) }
                { flag("prop-allow-forwarded-traffic", "Allow forwarded traffic", link.allow_forwarded_traffic, |l, on| l.allow_forwarded_traffic = on) }
                { flag("prop-allow-gateway-transit", "Allow gateway transit", link.allow_gateway_transit, |l, on| l.allow_gateway_transit = on) }
                { flag("prop-use-remote-gateways", "Use remote gateways", link.use_remote_gateways, |l, on| l.use_remote_gateways = on) }
            </>
        }
    }

    fn bastion(&self, bastion: &BastionHost) -> Html {
        let b = bastion.clone();
        let sku = {
            let command = self.command();
            let name = b.name.clone();
            Callback::from(move |value: String| {
                if let Some(sku) = BastionSku::ALL.into_iter().find(|it| it.name() == value) {
                    command.emit(Command::ApplyFix(FixAction::SetBastionSku { bastion: name.clone(), sku }));
                }
            })
        };
        let units = {
            let b = b.clone();
            self.update(move |text| {
                Some(Item::Bastion(BastionHost { scale_units: fields::scale_units(&text).ok()?, ..b.clone() }))
            })
        };
        let sessions = |rdp: bool| {
            let b = b.clone();
            self.update(move |text| {
                let n = fields::count(&text).ok()?;
                let mut edited = b.clone();
                if rdp {
                    edited.expected_rdp_sessions = n;
                } else {
                    edited.expected_ssh_sessions = n;
                }
                Some(Item::Bastion(edited))
            })
        };
        let feature = |key: &str, label: &str| {
            let b = b.clone();
            let owned = key.to_string();
            let on = self.update_bool(move |on| {
                let mut edited = b.clone();
                *feature_flag(&mut edited.features, &owned) = on;
                Item::Bastion(edited)
            });
            let mut current = bastion.features.clone();
            let value = *feature_flag(&mut current, key);
            toggle(format!("prop-feature-{key}"), label, value, on)
        };
        let reference =
            |testid: &str, label: &str, value: Option<&String>, options, set: fn(&mut BastionHost, Option<String>)| {
                let b = b.clone();
                let command = self.command();
                let on = Callback::from(move |name: String| {
                    let mut edited = b.clone();
                    set(&mut edited, (!name.is_empty()).then_some(name));
                    command.emit(Command::Update { item: Item::Bastion(edited) });
                });
                select(testid.to_string(), label, value.map_or("", |it| it.as_str()), options, on)
            };
        let sku_names: Vec<&str> = BastionSku::ALL.iter().map(|it| it.name()).collect();
        let pips = optional(self.design.public_ips.iter().map(|it| &it.name));
        let workspaces = optional(self.design.log_workspaces.iter().map(|it| &it.name));
        let count_text = |n: Option<u32>| n.map(|it| it.to_string()).unwrap_or_default();
        html! {
            <>
                { self.name_field(&bastion.name) }
                { select("prop-sku".into(), "SKU", bastion.sku.name(), same(&sku_names), sku) }
                { self.field("prop-scale-units", "Scale units", bastion.scale_units.to_string(), check_scale_units, units) }
                { reference("prop-public-ip", "Public IP", bastion.public_ip.as_ref(), pips, |b, v| b.public_ip = v) }
                { reference("prop-diagnostics", "Diagnostics workspace", bastion.diagnostics_workspace.as_ref(), workspaces, |b, v| b.diagnostics_workspace = v) }
                { self.field("prop-rdp-sessions", "Expected RDP sessions", count_text(bastion.expected_rdp_sessions), check_count, sessions(true)) }
                { self.field("prop-ssh-sessions", "Expected SSH sessions", count_text(bastion.expected_ssh_sessions), check_count, sessions(false)) }
                <h4>{"Features"}</h4>
                <div class="toggles">
                    { for FEATURES.iter().map(|(key, label)| feature(key, label)) }
                </div>
            </>
        }
    }

    fn vm(&self, vm: &Vm) -> Html {
        let v = vm.clone();
        let command = self.command();
        let os = {
            let v = v.clone();
            let command = command.clone();
            Callback::from(move |value: String| {
                let os = if value == "Windows" { Os::Windows } else { Os::Linux };
                command.emit(Command::Update { item: Item::Vm(Vm { os, ..v.clone() }) });
            })
        };
        let first_vault = self.design.key_vaults.first().map(|it| it.name.clone());
        let sign_in = {
            let v = v.clone();
            let command = command.clone();
            Callback::from(move |value: String| {
                let sign_in = match value.as_str() {
                    "Password" => SignIn::Password,
                    "SshKey" => SignIn::SshKey,
                    "EntraId" => SignIn::EntraId,
                    _ => match &first_vault {
                        Some(vault) => SignIn::SshKeyInKeyVault { vault: vault.clone() },
                        None => return,
                    },
                };
                command.emit(Command::Update { item: Item::Vm(Vm { sign_in, ..v.clone() }) });
            })
        };
        let sign_in_value = match &vm.sign_in {
            SignIn::Password => "Password",
            SignIn::SshKey => "SshKey",
            SignIn::SshKeyInKeyVault { .. } => "SshKeyInKeyVault",
            SignIn::EntraId => "EntraId",
        };
        let mut sign_in_options = vec![
            ("Password".to_string(), "Password".to_string()),
            ("SshKey".to_string(), "SSH key".to_string()),
            ("EntraId".to_string(), "Microsoft Entra ID".to_string()),
        ];
        if !self.design.key_vaults.is_empty() {
            sign_in_options.insert(2, ("SshKeyInKeyVault".to_string(), "SSH key in Key Vault".to_string()));
        }
        let vault = match &vm.sign_in {
            SignIn::SshKeyInKeyVault { vault } => {
                let v = v.clone();
                let command = command.clone();
                let on = Callback::from(move |name: String| {
                    let sign_in = SignIn::SshKeyInKeyVault { vault: name };
                    command.emit(Command::Update { item: Item::Vm(Vm { sign_in, ..v.clone() }) });
                });
                let vaults: Vec<(String, String)> =
                    self.design.key_vaults.iter().map(|it| (it.name.clone(), it.name.clone())).collect();
                select("prop-key-vault".into(), "Key Vault", vault, vaults, on)
            }
            _ => Html::default(),
        };
        let port = {
            let v = v.clone();
            self.update(move |text| Some(Item::Vm(Vm { port: fields::port(&text).ok()?, ..v.clone() })))
        };
        let ip = {
            let v = v.clone();
            self.update(move |text| {
                let mut edited = v.clone();
                edited.nic.private_ip = fields::ipv4(&text).ok()?;
                Some(Item::Vm(edited))
            })
        };
        let placement = {
            let command = command.clone();
            let name = v.name.clone();
            Callback::from(move |value: String| {
                if let Some((vnet, subnet)) = value.split_once('/') {
                    command.emit(Command::MoveVm { vm: name.clone(), vnet: vnet.into(), subnet: subnet.into() });
                }
            })
        };
        let subnets: Vec<(String, String)> = self
            .design
            .vnets
            .iter()
            .flat_map(|vnet| vnet.subnets.iter().map(move |s| format!("{}/{}", vnet.name, s.name)))
            .filter(|it| !it.ends_with(BASTION_SUBNET) && !it.ends_with(GATEWAY_SUBNET))
            .map(|it| (it.clone(), it))
            .collect();
        let public_ip = {
            let v = v.clone();
            let command = command.clone();
            let design_pips: Vec<String> = self.design.public_ips.iter().map(|it| it.name.clone()).collect();
            Callback::from(move |on: bool| {
                if !on {
                    command.emit(Command::ApplyFix(FixAction::RemovePublicIp { vm: v.name.clone() }));
                    return;
                }
                let name = fields::unique_name(&format!("pip-{}", v.name), |n| design_pips.iter().any(|p| p == n));
                let pip = PublicIp::standard_static(&name, &v.subscription, &v.resource_group);
                let mut edited = v.clone();
                edited.nic.public_ip = Some(name);
                command.emit(Command::Batch(vec![
                    Command::Insert { item: Item::PublicIp(pip) },
                    Command::Update { item: Item::Vm(edited) },
                ]));
            })
        };
        let nsg = {
            let command = command.clone();
            let target = NsgTarget::Nic { vm: v.name.clone() };
            Callback::from(move |name: String| {
                command.emit(Command::SetNsg { target: target.clone(), nsg: (!name.is_empty()).then_some(name) })
            })
        };
        let flag = |testid: &str, label: &str, value: bool, set: fn(&mut Vm, bool)| {
            let v = v.clone();
            let on = self.update_bool(move |on| {
                let mut edited = v.clone();
                set(&mut edited, on);
                Item::Vm(edited)
            });
            toggle(testid.to_string(), label, value, on)
        };
        let port_text = vm.port.map(|it| it.to_string()).unwrap_or_default();
        let os_value = if vm.os == Os::Windows { "Windows" } else { "Linux" };
        let nsgs = optional(self.design.nsgs.iter().map(|it| &it.name));
        html! {
            <>
                { self.name_field(&vm.name) }
                { select("prop-os".into(), "OS", os_value, same(&["Linux", "Windows"]), os) }
                { select("prop-sign-in".into(), "Sign-in", sign_in_value, sign_in_options, sign_in) }
                { vault }
                <Field key="prop-port" testid="prop-port" label="Port" value={port_text} check={check_port as Check} commit={port}
                    placeholder={format!("{} (default)", default_port(vm.os))} />
                { select("prop-subnet".into(), "Subnet", &format!("{}/{}", vm.nic.vnet, vm.nic.subnet), subnets, placement) }
                { self.field("prop-private-ip", "Private IP", vm.nic.private_ip.to_string(), check_ip, ip) }
                { toggle("prop-public-ip".into(), "Public IP on the NIC", vm.nic.public_ip.is_some(), public_ip) }
                { select("prop-nic-nsg".into(), "NSG on the NIC", vm.nic.nsg.as_deref().unwrap_or(""), nsgs, nsg) }
                { flag("prop-jit", "Just-in-time access policy", vm.jit_policy, |v, on| v.jit_policy = on) }
                { flag("prop-entra-extension", "Entra ID login extension", vm.entra_login_extension, |v, on| v.entra_login_extension = on) }
                { flag("prop-scale-set", "Scale set", vm.scale_set, |v, on| v.scale_set = on) }
            </>
        }
    }

    fn nsg(&self, nsg: &Nsg) -> Html {
        let add = {
            let command = self.command();
            let n = nsg.clone();
            Callback::from(move |_: MouseEvent| {
                let mut edited = n.clone();
                edited.rules.push(fields::new_rule(&n, Direction::Inbound));
                command.emit(Command::Update { item: Item::Nsg(edited) });
            })
        };
        html! {
            <>
                { self.name_field(&nsg.name) }
                <h4>{"Security rules"}</h4>
                <ol class="rule-cards">
                    { for fields::rule_order(nsg).into_iter().map(|i| self.rule_row(nsg, i)) }
                </ol>
                <button type="button" class="button small" data-testid="prop-add-rule" onclick={add}>{"Add rule"}</button>
                <p class="muted small">{"Rules apply in priority order, lowest first; ↑ and ↓ swap priorities with the neighbour."}</p>
            </>
        }
    }

    fn rule_row(&self, nsg: &Nsg, index: usize) -> Html {
        let rule = &nsg.rules[index];
        let id = format!("prop-rule-{}", rule.name);
        let text = |what: &str, label: &str, value: String, check: Check, set: fn(&mut NsgRule, &str) -> Option<()>| {
            let n = nsg.clone();
            let commit = self.update(move |text| {
                let mut edited = n.rules.get(index)?.clone();
                set(&mut edited, &text)?;
                Some(Item::Nsg(fields::with_rule(&n, index, edited)))
            });
            html! {
                <div class={classes!("cell", format!("cell-{what}"))}>
                    <span class="cell-label">{label.to_string()}</span>
                    <Field testid={format!("{id}-{what}")} label={label.to_string()} bare=true {value} {check} {commit} />
                </div>
            }
        };
        let choice = |what: &str, label: &str, value: &str, options: &[&str], set: fn(&mut NsgRule, &str)| {
            let n = nsg.clone();
            let command = self.command();
            let on = Callback::from(move |value: String| {
                if let Some(mut edited) = n.rules.get(index).cloned() {
                    set(&mut edited, &value);
                    command.emit(Command::Update { item: Item::Nsg(fields::with_rule(&n, index, edited)) });
                }
            });
            html! {
                <div class={classes!("cell", format!("cell-{what}"))}>
                    <span class="cell-label">{label.to_string()}</span>
                    { select_input(format!("{id}-{what}"), label, value, same(options), on) }
                </div>
            }
        };
        let button = |what: &str, label: &str, title: &str, edited: Option<Nsg>| {
            let command = self.command();
            let disabled = edited.is_none();
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(nsg) = edited.clone() {
                    command.emit(Command::Update { item: Item::Nsg(nsg) });
                }
            });
            html! {
                <button type="button" class="icon-button" data-testid={format!("{id}-{what}")} title={title.to_string()}
                    aria-label={title.to_string()} {disabled} {onclick}>{label.to_string()}</button>
            }
        };
        let protocol = match rule.protocol {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::Esp => "ESP",
            Protocol::Ah => "AH",
            Protocol::Any => "Any",
        };
        html! {
            <li key={format!("{index}-{}", rule.name)} class={classes!("rule-card", format!("access-{:?}", rule.access).to_lowercase())}>
                <div class="rule-line">
                    { text("name", "Name", rule.name.clone(), check_name, |r, t| { r.name = fields::name(t).ok()?; Some(()) }) }
                    { text("priority", "Priority", rule.priority.to_string(), check_priority, |r, t| { r.priority = fields::priority(t).ok()?; Some(()) }) }
                    <div class="row-buttons">
                        { button("up", "↑", "Move up (swap priority with the rule before)", fields::move_rule(nsg, index, false)) }
                        { button("down", "↓", "Move down (swap priority with the rule after)", fields::move_rule(nsg, index, true)) }
                        { button("delete", "×", "Delete this rule", Some(fields::without_rule(nsg, index))) }
                    </div>
                </div>
                <div class="rule-line three">
                    { choice("direction", "Direction", &format!("{:?}", rule.direction), &["Inbound", "Outbound"], |r, v| r.direction = if v == "Outbound" { Direction::Outbound } else { Direction::Inbound }) }
                    { choice("access", "Access", &format!("{:?}", rule.access), &["Allow", "Deny"], |r, v| r.access = if v == "Deny" { Access::Deny } else { Access::Allow }) }
                    { choice("protocol", "Protocol", protocol, &["TCP", "UDP", "ICMP", "ESP", "AH", "Any"], |r, v| r.protocol = match v { "TCP" => Protocol::Tcp, "UDP" => Protocol::Udp, "ICMP" => Protocol::Icmp, "ESP" => Protocol::Esp, "AH" => Protocol::Ah, _ => Protocol::Any }) }
                </div>
                <div class="rule-line">
                    { text("sources", "Source", fields::list_text(&rule.sources), check_prefixes, |r, t| { r.sources = fields::address_prefixes(t).ok()?; Some(()) }) }
                    <div class="cell cell-source-ports" title="The simulator models any source port, as Bastion's sessions use">
                        <span class="cell-label">{"Source ports"}</span>
                        <span class="fixed">{"*"}</span>
                    </div>
                </div>
                <div class="rule-line">
                    { text("destinations", "Destination", fields::list_text(&rule.destinations), check_prefixes, |r, t| { r.destinations = fields::address_prefixes(t).ok()?; Some(()) }) }
                    { text("ports", "Destination ports", fields::list_text(&rule.destination_ports), check_ports, |r, t| { r.destination_ports = fields::port_ranges(t).ok()?; Some(()) }) }
                </div>
            </li>
        }
    }

    fn hub(&self, hub: &VirtualHub) -> Html {
        let h = hub.clone();
        let prefix = {
            let h = h.clone();
            self.update(move |text| {
                Some(Item::VirtualHub(VirtualHub { address_prefix: fields::cidr(&text).ok()?, ..h.clone() }))
            })
        };
        let region = {
            let h = h.clone();
            self.update(move |text| Some(Item::VirtualHub(VirtualHub { region: text.trim().to_string(), ..h.clone() })))
        };
        let secured = {
            let h = h.clone();
            self.update_bool(move |secured| Item::VirtualHub(VirtualHub { secured, ..h.clone() }))
        };
        html! {
            <>
                { self.name_field(&hub.name) }
                <dl class="props"><dt>{"Virtual WAN"}</dt><dd>{hub.virtual_wan.clone()}</dd></dl>
                { self.field("prop-address-prefix", "Address prefix", hub.address_prefix.to_string(), check_cidr, prefix) }
                { self.field("prop-region", "Region", hub.region.clone(), check_text, region) }
                { toggle("prop-secured".into(), "Secured hub (Azure Firewall, routing intent)", hub.secured, secured) }
            </>
        }
    }

    fn gateway(&self, gateway: &Gateway) -> Html {
        let g = gateway.clone();
        let kind = {
            let command = self.command();
            Callback::from(move |value: String| {
                let kind = if value == "ExpressRoute" { GatewayKind::ExpressRoute } else { GatewayKind::Vpn };
                command.emit(Command::Update { item: Item::Gateway(Gateway { kind, ..g.clone() }) });
            })
        };
        let kind_value = if gateway.kind == GatewayKind::ExpressRoute { "ExpressRoute" } else { "Vpn" };
        let place =
            gateway.vnet.clone().map(|it| format!("VNet {it}")).or(gateway.hub.clone().map(|it| format!("hub {it}")));
        html! {
            <>
                { self.name_field(&gateway.name) }
                { select("prop-gateway-kind".into(), "Kind", kind_value, vec![("Vpn".into(), "VPN".into()), ("ExpressRoute".into(), "ExpressRoute".into())], kind) }
                <dl class="props"><dt>{"In"}</dt><dd>{place.unwrap_or_else(|| "—".into())}</dd></dl>
            </>
        }
    }

    fn site(&self, site: &OnPremSite) -> Html {
        let s = site.clone();
        let space = self.update(move |text| {
            Some(Item::OnPremSite(OnPremSite { address_prefixes: fields::cidr_list(&text).ok()?, ..s.clone() }))
        });
        html! {
            <>
                { self.name_field(&site.name) }
                { self.field("prop-address-space", "Address space", fields::list_text(&site.address_prefixes), check_cidrs, space) }
            </>
        }
    }

    fn machine(&self, machine: &OnPremMachine) -> Html {
        let m = machine.clone();
        let ip = {
            let m = m.clone();
            self.update(move |text| {
                Some(Item::OnPremMachine(OnPremMachine { ip: fields::ipv4(&text).ok()?, ..m.clone() }))
            })
        };
        let port = {
            let m = m.clone();
            self.update(move |text| {
                Some(Item::OnPremMachine(OnPremMachine { port: fields::port(&text).ok()?, ..m.clone() }))
            })
        };
        let os = {
            let m = m.clone();
            let command = self.command();
            Callback::from(move |value: String| {
                let os = if value == "Windows" { Os::Windows } else { Os::Linux };
                command.emit(Command::Update { item: Item::OnPremMachine(OnPremMachine { os, ..m.clone() }) });
            })
        };
        let site = {
            let m = m.clone();
            let command = self.command();
            Callback::from(move |site: String| {
                command.emit(Command::Update { item: Item::OnPremMachine(OnPremMachine { site, ..m.clone() }) });
            })
        };
        let sites: Vec<(String, String)> =
            self.design.onprem_sites.iter().map(|it| (it.name.clone(), it.name.clone())).collect();
        let os_value = if machine.os == Os::Windows { "Windows" } else { "Linux" };
        html! {
            <>
                { self.name_field(&machine.name) }
                { select("prop-site".into(), "Site", &machine.site, sites, site) }
                { self.field("prop-ip", "IP address", machine.ip.to_string(), check_ip, ip) }
                { select("prop-os".into(), "OS", os_value, same(&["Linux", "Windows"]), os) }
                <Field key="prop-port" testid="prop-port" label="Port" value={machine.port.map(|it| it.to_string()).unwrap_or_default()}
                    check={check_port as Check} commit={port} placeholder={format!("{} (default)", default_port(machine.os))} />
            </>
        }
    }

    fn user(&self, user: &User) -> Html {
        let u = user.clone();
        let display =
            self.update(move |text| Some(Item::User(User { display_name: text.trim().to_string(), ..u.clone() })));
        html! {
            <>
                { self.name_field(&user.name) }
                <Field key="prop-display-name" testid="prop-display-name" label="Display name" value={user.display_name.clone()}
                    check={(|_: &str| None) as Check} commit={display} />
            </>
        }
    }

    fn connection(&self, name: &str) -> Option<Html> {
        if let Some(c) = self.design.hub_connections.iter().find(|it| it.name == name) {
            let edited = c.clone();
            let on = self.update_bool(move |on| {
                Item::HubConnection(HubConnection { propagate_default_route: on, ..edited.clone() })
            });
            return Some(html! {
                <>
                    { self.name_field(&c.name) }
                    <dl class="props"><dt>{"VNet → hub"}</dt><dd>{format!("{} → {}", c.vnet, c.hub)}</dd></dl>
                    { toggle("prop-propagate-default-route".into(), "Propagate default route", c.propagate_default_route, on) }
                </>
            });
        }
        let c = self.design.site_connections.iter().find(|it| it.name == name)?;
        let edited = c.clone();
        let on = self.update_bool(move |on| {
            Item::SiteConnection(SiteConnection { advertises_default_route: on, ..edited.clone() })
        });
        Some(html! {
            <>
                { self.name_field(&c.name) }
                <dl class="props"><dt>{"Gateway → site"}</dt><dd>{format!("{} → {}", c.gateway, c.site)}</dd></dl>
                { toggle("prop-advertises-default-route".into(), "Site advertises 0.0.0.0/0", c.advertises_default_route, on) }
            </>
        })
    }
}

/// The Bastion feature toggles, by the model's field names.
const FEATURES: [(&str, &str); 8] = [
    ("disable_copy_paste", "Disable copy and paste"),
    ("file_copy", "File transfer"),
    ("ip_connect", "IP-based connection"),
    ("native_client", "Native client support"),
    ("shareable_link", "Shareable link"),
    ("kerberos", "Kerberos authentication"),
    ("session_recording", "Session recording"),
    ("private_only", "Private-only deployment"),
];

fn feature_flag<'a>(features: &'a mut BastionFeatures, key: &str) -> &'a mut bool {
    match key {
        "disable_copy_paste" => &mut features.disable_copy_paste,
        "file_copy" => &mut features.file_copy,
        "ip_connect" => &mut features.ip_connect,
        "native_client" => &mut features.native_client,
        "shareable_link" => &mut features.shareable_link,
        "kerberos" => &mut features.kerberos,
        "session_recording" => &mut features.session_recording,
        _ => &mut features.private_only,
    }
}

/// The selection to keep when `command` renames the selected resource (applied only if
/// the rename is accepted, so a refused one leaves the selection and the typed text alone).
pub fn renamed_selection(selection: &Selection, design: &Design, command: &Command) -> Option<Selection> {
    let Command::Rename { key, new_name } = command else { return None };
    if selection.key(design).as_ref() != Some(key) {
        return None;
    }
    let new_name = new_name.trim().to_string();
    Some(match selection {
        Selection::None => Selection::None,
        Selection::Vnet(_) => Selection::Vnet(new_name),
        Selection::Vm { bastion, .. } => Selection::Vm { vm: new_name, bastion: bastion.clone() },
        Selection::Bastion(_) => Selection::Bastion(new_name),
        Selection::VirtualHub(_) => Selection::VirtualHub(new_name),
        Selection::Gateway(_) => Selection::Gateway(new_name),
        Selection::Site(_) => Selection::Site(new_name),
        Selection::Machine(_) => Selection::Machine(new_name),
        Selection::User(_) => Selection::User(new_name),
        Selection::Nsg(_) => Selection::Nsg(new_name),
        Selection::Peering(_) => Selection::Peering(new_name),
        Selection::Connection(_) => Selection::Connection(new_name),
    })
}
