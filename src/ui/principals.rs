//! The principals panel (the palette's People section): users, groups and their members, role
//! assignments with a role and a scope picked from the design; every change is one undoable
//! command, and clicking a user still selects them (their reach shows in the inspector).

use super::properties::{Check, Field};
use super::{Action, Shared};
use crate::edit::fields;
use crate::edit::{Collection, Command, Item, Key};
use crate::model::{Design, Group, Role, RoleAssignment, User};
use crate::view::Selection;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the panel reads of a design: its principals, their role assignments and the scopes
/// the design offers. The page rebuilds it only when an edit touches one of the
/// collections it comes from, so an estate's 10,000 assignments and 40,000 scopes are not
/// recomputed and redrawn on every edit elsewhere.
pub struct People {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub role_assignments: Vec<RoleAssignment>,
    pub scopes: Vec<fields::ScopeChoice>,
}

impl People {
    /// The collections `People::of` reads (`fields::scope_choices` included).
    pub const READS: [Collection; 10] = [
        Collection::Users,
        Collection::Groups,
        Collection::RoleAssignments,
        Collection::ManagementGroups,
        Collection::Subscriptions,
        Collection::Vnets,
        Collection::Bastions,
        Collection::Vms,
        Collection::KeyVaults,
        Collection::Nsgs,
    ];

    pub fn of(design: &Design) -> People {
        People {
            users: design.users.clone(),
            groups: design.groups.clone(),
            role_assignments: design.role_assignments.clone(),
            scopes: fields::scope_choices(design),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PrincipalsProps {
    pub people: Shared<People>,
    /// The selected user, if a user is selected: other selections do not redraw the panel.
    pub selected_user: Option<String>,
    pub select: Callback<Selection>,
    pub dispatch: Callback<Action>,
}

fn check_name(text: &str) -> Option<String> {
    fields::name(text).err()
}

/// The value of the `<select>` or `<input>` an event came from.
fn select_value(event: &Event) -> String {
    event
        .target()
        .and_then(|target| js_sys::Reflect::get(&target, &"value".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

fn delete_button(testid: String, title: String, command: Callback<Command>, keys: Vec<Key>) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| command.emit(Command::Delete { keys: keys.clone() }));
    html! {
        <button type="button" class="icon-button" data-testid={testid} title={title.clone()} aria-label={title} {onclick}>{"×"}</button>
    }
}

#[component]
pub fn Principals(props: &PrincipalsProps) -> Html {
    let design = &*props.people;
    let command = props.dispatch.reform(Action::Edit);

    let names: Vec<String> =
        design.users.iter().map(|u| u.name.clone()).chain(design.groups.iter().map(|g| g.name.clone())).collect();
    let new_user = {
        let command = command.clone();
        let select = props.select.clone();
        Callback::from(move |name: String| {
            command
                .emit(Command::Insert { item: Item::User(User { name: name.clone(), display_name: String::new() }) });
            select.emit(Selection::User(name));
        })
    };
    let new_group = {
        let command = command.clone();
        Callback::from(move |name: String| {
            command.emit(Command::Insert { item: Item::Group(Group { name, members: Vec::new() }) })
        })
    };

    let scopes = &design.scopes;
    html! {
        <div class="principals" data-testid="principals">
            <h2>{"People"}</h2>
            if design.users.is_empty() {
                <p class="empty">{"No users in this design."}</p>
            }
            <ul class="people">
                { for design.users.iter().map(|user| {
                    let selected = props.selected_user.as_deref() == Some(user.name.as_str());
                    let onclick = {
                        let select = props.select.clone();
                        let name = user.name.clone();
                        Callback::from(move |_: MouseEvent| select.emit(Selection::User(name.clone())))
                    };
                    let shown = if user.display_name.is_empty() { user.name.clone() } else { user.display_name.clone() };
                    html! {
                        <li key={user.name.clone()} class="person-row">
                            <button type="button" class={classes!("person", selected.then_some("selected"))}
                                data-testid={format!("principal-{}", user.name)} title={user.name.clone()} {onclick}>
                                <img src="icons/user.svg" alt="" width="20" height="20" />
                                <span class="person-name">{shown}</span>
                            </button>
                            { delete_button(format!("delete-user-{}", user.name), format!("Delete user {}", user.name),
                                command.clone(), vec![Key::User(user.name.clone())]) }
                        </li>
                    }
                }) }
            </ul>
            <NewName testid="new-user" label="New user name" button="Add user" taken={names.clone()} create={new_user} />

            <h3>{"Groups"}</h3>
            { for design.groups.iter().map(|group| group_card(design, group, &command)) }
            <NewName testid="new-group" label="New group name" button="Add group" taken={names} create={new_group} />

            <h3>{"Role assignments"}</h3>
            <ul class="assignments">
                { for design.role_assignments.iter().enumerate().map(|(i, a)| assignment_row(scopes, i, a, &command)) }
            </ul>
            <h3>{"New role assignment"}</h3>
            <NewAssignment people={props.people.clone()} dispatch={props.dispatch.clone()} />
        </div>
    }
}

fn group_card(design: &People, group: &Group, command: &Callback<Command>) -> Html {
    let add_member = {
        let command = command.clone();
        let g = group.clone();
        Callback::from(move |event: Event| {
            let user = select_value(&event);
            if user.is_empty() || g.members.contains(&user) {
                return;
            }
            let mut edited = g.clone();
            edited.members.push(user);
            command.emit(Command::Update { item: Item::Group(edited) });
        })
    };
    let rename = {
        let command = command.clone();
        let key = Key::Group(group.name.clone());
        Callback::from(move |text: String| {
            if let Ok(new_name) = fields::name(&text) {
                command.emit(Command::Rename { key: key.clone(), new_name });
            }
        })
    };
    let candidates: Vec<&User> = design.users.iter().filter(|u| !group.members.contains(&u.name)).collect();
    let id = format!("group-{}", group.name);
    html! {
        <div key={group.name.clone()} class="group-card" data-testid={id.clone()}>
            <div class="group-head">
                <Field testid={format!("{id}-name")} label="Group name" bare=true value={group.name.clone()} check={check_name as Check} commit={rename} />
                { delete_button(format!("delete-{id}"), format!("Delete group {}", group.name), command.clone(), vec![Key::Group(group.name.clone())]) }
            </div>
            <ul class="members">
                { for group.members.iter().enumerate().map(|(i, member)| {
                    let command = command.clone();
                    let g = group.clone();
                    let m = member.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        let mut edited = g.clone();
                        edited.members.retain(|it| *it != m);
                        command.emit(Command::Update { item: Item::Group(edited) });
                    });
                    html! {
                        <li key={format!("{i}-{member}")} class="member">
                            <span>{member.clone()}</span>
                            <button type="button" class="icon-button" data-testid={format!("{id}-remove-{member}")}
                                title={format!("Remove {member} from {}", group.name)} {onclick}>{"×"}</button>
                        </li>
                    }
                }) }
            </ul>
            if candidates.len() > MAX_SCOPE_OPTIONS {
                <input type="text" data-testid={format!("{id}-add-member")} aria-label="Add a member (user name)"
                    placeholder="Add member (user name)" onchange={add_member} />
            } else if !candidates.is_empty() {
                <select data-testid={format!("{id}-add-member")} aria-label="Add a member" onchange={add_member}>
                    <option value="" selected=true>{"Add member…"}</option>
                    { for candidates.iter().map(|u| html! { <option value={u.name.clone()}>{u.name.clone()}</option> }) }
                </select>
            }
        </div>
    }
}

/// Above this many scopes a `<select>` per row would hold more options than a page should
/// draw: the scope becomes a text field taking the ARM scope itself.
const MAX_SCOPE_OPTIONS: usize = 300;

fn scope_label(scopes: &[fields::ScopeChoice], scope: &str) -> String {
    scopes.iter().find(|it| it.scope == scope).map(|it| it.label.clone()).unwrap_or(scope.to_string())
}

/// One assignment; changing its role or scope replaces it (delete and insert, one step).
fn assignment_row(
    scopes: &[fields::ScopeChoice],
    index: usize,
    a: &RoleAssignment,
    command: &Callback<Command>,
) -> Html {
    let key = Key::RoleAssignment { principal: a.principal.clone(), role: a.role, scope: a.scope.clone() };
    let replace = |edit: fn(&mut RoleAssignment, &str)| {
        let command = command.clone();
        let (a, key) = (a.clone(), key.clone());
        Callback::from(move |event: Event| {
            let mut edited = a.clone();
            edit(&mut edited, &select_value(&event));
            if edited != a {
                command.emit(Command::Batch(vec![
                    Command::Delete { keys: vec![key.clone()] },
                    Command::Insert { item: Item::RoleAssignment(edited) },
                ]));
            }
        })
    };
    let on_role = replace(|a, v| {
        if let Some(role) = Role::ALL.into_iter().find(|r| r.name() == v) {
            a.role = role;
        }
    });
    let on_scope = replace(|a, v| a.scope = v.to_string());
    let id = format!("assignment-{index}");
    let scope_field = if scopes.len() > MAX_SCOPE_OPTIONS {
        html! {
            <input type="text" data-testid={format!("{id}-scope")} aria-label="Scope" value={a.scope.clone()}
                onchange={on_scope} title={scope_label(scopes, &a.scope)} />
        }
    } else {
        let mut options: Vec<fields::ScopeChoice> = scopes.to_vec();
        if !options.iter().any(|it| it.scope == a.scope) {
            options.insert(0, fields::ScopeChoice { label: a.scope.clone(), scope: a.scope.clone() });
        }
        html! {
            <select data-testid={format!("{id}-scope")} aria-label="Scope" onchange={on_scope}>
                { for options.into_iter().map(|s| {
                    let selected = s.scope == a.scope;
                    html! { <option value={s.scope} {selected}>{s.label}</option> }
                }) }
            </select>
        }
    };
    html! {
        <li key={format!("{index}|{}|{}|{}", a.principal, a.role.name(), a.scope)} class="assignment" data-testid={id.clone()}
            title={a.scope.clone()}>
            <strong class="assignment-principal">{a.principal.clone()}</strong>
            <select data-testid={format!("{id}-role")} aria-label="Role" onchange={on_role}>
                { for Role::ALL.iter().map(|r| html! { <option value={r.name()} selected={*r == a.role}>{r.name()}</option> }) }
            </select>
            { scope_field }
            { delete_button(format!("delete-{id}"), "Delete this role assignment".into(), command.clone(), vec![key]) }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct NewAssignmentProps {
    people: Shared<People>,
    dispatch: Callback<Action>,
}

/// The form that creates a role assignment: principal, role, scope, then "Assign".
#[component]
fn NewAssignment(props: &NewAssignmentProps) -> Html {
    let design = &*props.people;
    let principals: Vec<String> =
        design.users.iter().map(|u| u.name.clone()).chain(design.groups.iter().map(|g| g.name.clone())).collect();
    let scopes = &design.scopes;
    let principal = use_state(String::new);
    let role = use_state(|| Role::Reader);
    let scope = use_state(String::new);
    // An unset or vanished choice falls back to the first one offered.
    let chosen_principal =
        Some((*principal).clone()).filter(|it| principals.contains(it)).or(principals.first().cloned());
    // A long list is a text field: the typed scope is the choice (validation checks it).
    let chosen_scope = if scopes.len() > MAX_SCOPE_OPTIONS {
        Some(scope.trim().to_string()).filter(|it| !it.is_empty())
    } else {
        Some((*scope).clone())
            .filter(|it| scopes.iter().any(|s| s.scope == *it))
            .or(scopes.first().map(|it| it.scope.clone()))
    };
    let on_principal = {
        let principal = principal.clone();
        Callback::from(move |event: Event| principal.set(select_value(&event)))
    };
    let on_role = {
        let role = role.clone();
        Callback::from(move |event: Event| {
            if let Some(r) = Role::ALL.into_iter().find(|r| r.name() == select_value(&event)) {
                role.set(r);
            }
        })
    };
    let on_scope = {
        let scope = scope.clone();
        Callback::from(move |event: Event| scope.set(select_value(&event)))
    };
    let assign = {
        let dispatch = props.dispatch.clone();
        let (p, s, r) = (chosen_principal.clone(), chosen_scope.clone(), *role);
        Callback::from(move |_: MouseEvent| {
            if let (Some(principal), Some(scope)) = (p.clone(), s.clone()) {
                let item = Item::RoleAssignment(RoleAssignment { principal, role: r, scope });
                dispatch.emit(Action::Edit(Command::Insert { item }));
            }
        })
    };
    let exists = design.role_assignments.iter().any(|a| {
        Some(&a.principal) == chosen_principal.as_ref() && a.role == *role && Some(&a.scope) == chosen_scope.as_ref()
    });
    let ready = chosen_principal.is_some() && chosen_scope.is_some() && !exists;
    html! {
        <div class="new-assignment">
            <select data-testid="new-assignment-principal" aria-label="Principal" onchange={on_principal}>
                { for principals.iter().map(|p| html! { <option value={p.clone()} selected={Some(p) == chosen_principal.as_ref()}>{p.clone()}</option> }) }
            </select>
            <select data-testid="new-assignment-role" aria-label="Role" onchange={on_role}>
                { for Role::ALL.iter().map(|r| html! { <option value={r.name()} selected={*r == *role}>{r.name()}</option> }) }
            </select>
            if scopes.len() > MAX_SCOPE_OPTIONS {
                <input type="text" data-testid="new-assignment-scope" aria-label="Scope (ARM scope)" placeholder="/subscriptions/…"
                    value={chosen_scope.clone().unwrap_or_default()} onchange={on_scope} />
            } else {
                <select data-testid="new-assignment-scope" aria-label="Scope" onchange={on_scope}>
                    { for scopes.iter().map(|s| html! { <option value={s.scope.clone()} selected={Some(&s.scope) == chosen_scope.as_ref()} title={s.scope.clone()}>{s.label.clone()}</option> }) }
                </select>
            }
            <button type="button" class="button small" data-testid="add-assignment" disabled={!ready} onclick={assign}>{"Assign"}</button>
            if exists {
                <span class="field-error" data-testid="add-assignment-error">{"This principal already holds this role at this scope."}</span>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewNameProps {
    testid: AttrValue,
    label: AttrValue,
    button: AttrValue,
    /// Names already used by a principal: users and groups share one namespace here.
    taken: Vec<String>,
    create: Callback<String>,
}

/// A name field and a button that create a principal; the name is checked as it is typed.
#[component]
fn NewName(props: &NewNameProps) -> Html {
    let text = use_state(String::new);
    let problem = match fields::name(&text) {
        Err(_) if text.is_empty() => Some(String::new()),
        Err(error) => Some(error),
        Ok(name) if props.taken.contains(&name) => Some(format!("'{name}' is already a user or group")),
        Ok(_) => None,
    };
    let create = {
        let (text, create, ok) = (text.clone(), props.create.clone(), problem.is_none());
        move || {
            if ok {
                if let Ok(name) = fields::name(&text) {
                    create.emit(name);
                    text.set(String::new());
                }
            }
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
        let create = create.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                create();
            }
        })
    };
    let onclick = Callback::from(move |_: MouseEvent| create());
    let error = problem.clone().filter(|it| !it.is_empty());
    html! {
        <div class={classes!("field", "new-name", error.is_some().then_some("invalid"))}>
            <div class="new-name-row">
                <input type="text" class="field-input" data-testid={props.testid.clone()} aria-label={props.label.clone()}
                    placeholder={props.label.clone()} value={(*text).clone()} {oninput} {onkeydown} spellcheck="false" />
                <button type="button" class="button small" data-testid={format!("{}-add", props.testid)}
                    disabled={problem.is_some()} {onclick}>{props.button.clone()}</button>
            </div>
            if let Some(error) = error {
                <span class="field-error" role="alert" data-testid={format!("{}-error", props.testid)}>{error}</span>
            }
        </div>
    }
}
