//! Edits: every change to a design is a `Command`, applied by one function
//! (`Editor::apply`), validated, and recorded as the exact inverse ops for undo.
//!
//! The page turns gestures into commands; a drag or a typed value is one command, so one
//! undo step. A command that would make the design invalid is refused with the validation
//! errors and changes nothing.

pub mod advise;
pub mod fields;
pub mod ops;
pub mod rename;
pub mod snapshot;

use crate::engine::FixAction;
use crate::model::*;
pub use ops::{apply_ops, Collection, Item, Op};
use std::collections::BTreeSet;

/// A resource, named the way the editor and the page select it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Vnet(String),
    Subnet { vnet: String, name: String },
    PeeringLink { from: String, to: String },
    Bastion(String),
    Vm(String),
    Nsg(String),
    PublicIp(String),
    RouteTable(String),
    VirtualWan(String),
    VirtualHub(String),
    HubConnection(String),
    Gateway(String),
    OnPremSite(String),
    SiteConnection(String),
    OnPremMachine(String),
    KeyVault(String),
    Workspace(String),
    User(String),
    Group(String),
    RoleAssignment { principal: String, role: Role, scope: String },
}

/// Where an NSG can be attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NsgTarget {
    Subnet { vnet: String, subnet: String },
    Nic { vm: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A new VNet (with the subnets it carries) at a canvas position.
    AddVnet {
        vnet: Vnet,
        position: Option<Point>,
    },
    AddSubnet {
        vnet: String,
        subnet: Subnet,
    },
    /// A new Bastion; a dedicated SKU gets an AzureBastionSubnet /26 (first free prefix)
    /// and a Standard static public IP when they are missing.
    AddBastion {
        bastion: BastionHost,
    },
    AddVm {
        vm: Vm,
    },
    AddNsg {
        nsg: Nsg,
    },
    /// Attach (or with `None`, detach) an NSG.
    SetNsg {
        target: NsgTarget,
        nsg: Option<String>,
    },
    /// Both links of a peering, default flags.
    AddPeering {
        a: String,
        b: String,
    },
    /// One link (the other side may be missing: Initiated).
    AddPeeringLink {
        link: PeeringLink,
    },
    /// Replace an existing resource with an edited copy (same name).
    Update {
        item: Item,
    },
    /// Move a VM's NIC to another subnet; its IP follows the new prefix.
    MoveVm {
        vm: String,
        vnet: String,
        subnet: String,
    },
    /// Delete resources and everything that cannot exist without them.
    Delete {
        keys: Vec<Key>,
    },
    /// Canvas positions only (a finished drag).
    Move {
        positions: Vec<(String, Point)>,
    },
    ApplyFix(FixAction),
    SetPrices(Option<PriceTable>),
    Insert {
        item: Item,
    },
    /// Several commands as one undo step.
    Batch(Vec<Command>),
    /// Give a resource a new name; every reference to the old name follows.
    Rename {
        key: Key,
        new_name: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum EditError {
    /// The command does not fit the design (unknown resource, no free prefix, …).
    Refused(String),
    /// The result would be invalid; nothing was changed.
    Invalid(Vec<ValidationError>),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Refused(message) => f.write_str(message),
            EditError::Invalid(errors) => {
                let lines: Vec<String> = errors.iter().map(|it| it.to_string()).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

/// A design file with its undo and redo history. The file changes only through the
/// editor's methods (each step is validated against what it changed).
#[derive(Clone, Debug, Default)]
pub struct Editor {
    pub file: DesignFile,
    /// Whether the design the editor started from was valid: every later state was reached
    /// by a validated step, so only that first one (all steps undone) may not be, and a
    /// step from a valid design checks only what it changed (`validate_changed`).
    initial_valid: bool,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Which state of the file the editor holds (`state`).
    state: u64,
    /// The highest number a state has taken (the first state is 0).
    last_state: u64,
    /// What the last step changed.
    changes: Changes,
    /// The ops the last step applied, in order (for `Snapshots`).
    forward: Vec<Op>,
}

/// An undo or redo step: the ops that lead to a state, and that state's number.
#[derive(Clone, Debug)]
struct Step {
    ops: Vec<Op>,
    state: u64,
}

/// What one step (an applied command, an undo, a redo) changed, read off its ops, so the
/// page rebuilds only what depends on it instead of comparing whole designs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Collections with a resource inserted, removed or replaced; a subnet counts as a
    /// change of `Collection::Vnets` (its VNet's index is not kept).
    pub collections: BTreeSet<Collection>,
    /// Layout keys whose position was set or cleared.
    pub positions: BTreeSet<String>,
    /// The design's name, description or price table.
    pub meta: bool,
}

impl Changes {
    /// The changes a list of ops makes (an op and its inverse touch the same things).
    pub fn of<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Changes {
        let mut changes = Changes::default();
        for op in ops {
            let collection = match op {
                Op::Insert { item, .. } | Op::Replace { item, .. } => item.collection(),
                Op::Remove { collection, .. } => *collection,
                Op::SetPosition { key, .. } => {
                    changes.positions.insert(key.clone());
                    continue;
                }
                Op::SetPrices(_) | Op::SetName { .. } => {
                    changes.meta = true;
                    continue;
                }
            };
            changes.collections.insert(match collection {
                Collection::Subnets(_) => Collection::Vnets,
                other => other,
            });
        }
        changes
    }
    /// True when the design (not only the layout) changed.
    pub fn design(&self) -> bool {
        self.meta || !self.collections.is_empty()
    }
    pub fn layout(&self) -> bool {
        !self.positions.is_empty()
    }
    pub fn touches(&self, collection: Collection) -> bool {
        self.collections.contains(&collection)
    }
}

impl Editor {
    pub fn new(file: DesignFile) -> Editor {
        let initial_valid = validate(&file.design).is_empty();
        Editor {
            file,
            initial_valid,
            undo: Vec::new(),
            redo: Vec::new(),
            state: 0,
            last_state: 0,
            changes: Changes::default(),
            forward: Vec::new(),
        }
    }

    /// Names the state the file is in: a new number after every step that changed it, and
    /// the earlier number again after an undo or redo returns to a state (the file is then
    /// exactly as it was). The page keeps the analyses of recent states by this number, so an
    /// undo or redo shows the verdicts it already computed instead of analyzing again.
    pub fn state(&self) -> u64 {
        self.state
    }

    /// True when the current design is known to be valid (see `initial_valid`).
    fn known_valid(&self) -> bool {
        !self.undo.is_empty() || self.initial_valid
    }

    /// What the last successful `apply`, `undo` or `redo` changed (nothing after a refused
    /// command or a command that changed nothing).
    pub fn last_changes(&self) -> &Changes {
        &self.changes
    }

    /// The ops the last successful step applied, in order: replayed on an older copy of the
    /// design they bring it up to date (see `Snapshots`).
    pub fn last_ops(&self) -> &[Op] {
        &self.forward
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies a command as one undo step. On error the design is unchanged.
    pub fn apply(&mut self, command: &Command) -> Result<(), EditError> {
        self.changes = Changes::default();
        self.forward.clear();
        let mut forward = Vec::new();
        let known_valid = self.known_valid();
        let inverse = apply_command_tracked(&mut self.file, command, &mut forward, known_valid)?;
        self.forward = forward;
        self.record(inverse);
        Ok(())
    }

    /// `Command::Delete { keys }` as one undo step, planned once: returns what went with the
    /// keys (the sentences of `delete_ops`) for the page to say.
    pub fn delete(&mut self, keys: &[Key]) -> Result<Vec<String>, EditError> {
        self.changes = Changes::default();
        self.forward.clear();
        let (removed, ops) = delete_ops(&self.file.design, keys)?;
        let (mut steps, mut forward) = (Vec::new(), Vec::new());
        let known_valid = self.known_valid();
        let result = apply_planned(&mut self.file, ops, &mut steps, &mut forward);
        let inverse = validated(&mut self.file, steps, result, known_valid)?;
        self.forward = forward;
        self.record(inverse);
        Ok(removed)
    }

    fn record(&mut self, inverse: Vec<Op>) {
        self.changes = Changes::of(&inverse);
        if !inverse.is_empty() {
            self.undo.push(Step { ops: inverse, state: self.state });
            self.redo.clear();
            self.fresh_state();
        }
    }

    fn fresh_state(&mut self) {
        self.last_state += 1;
        self.state = self.last_state;
    }

    pub fn undo(&mut self) -> bool {
        self.travel(true)
    }

    pub fn redo(&mut self) -> bool {
        self.travel(false)
    }

    /// An undo (`back`) or a redo: the top step of one stack is applied, and its inverse,
    /// leading back to the state it leaves, goes onto the other.
    fn travel(&mut self, back: bool) -> bool {
        self.changes = Changes::default();
        self.forward.clear();
        let (from, to) = if back { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        let Some(step) = from.pop() else { return false };
        let forward = step.ops.clone();
        match apply_ops(&mut self.file, step.ops) {
            Ok(inverse) => {
                self.forward = forward;
                self.changes = Changes::of(&inverse);
                to.push(Step { ops: inverse, state: self.state });
                self.state = step.state;
                true
            }
            Err(_) => {
                // The step is gone; no earlier number is claimed for what the file holds.
                self.fresh_state();
                false
            }
        }
    }
}

/// Applies a command to a design file, validating the result. Returns the inverse ops.
pub fn apply_command(file: &mut DesignFile, command: &Command) -> Result<Vec<Op>, EditError> {
    apply_command_tracked(file, command, &mut Vec::new(), false)
}

/// `apply_command`, also writing the ops it applied (in order) to `forward`.
fn apply_command_tracked(
    file: &mut DesignFile,
    command: &Command,
    forward: &mut Vec<Op>,
    known_valid: bool,
) -> Result<Vec<Op>, EditError> {
    let mut inverse_steps: Vec<Vec<Op>> = Vec::new();
    let result = apply_unvalidated(file, command, &mut inverse_steps, forward);
    validated(file, inverse_steps, result, known_valid)
}

/// Ends a step: rolls it back when planning failed or the design it leaves is invalid,
/// else returns its inverse ops (the last step's first).
fn validated(
    file: &mut DesignFile,
    inverse_steps: Vec<Vec<Op>>,
    result: Result<(), EditError>,
    known_valid: bool,
) -> Result<Vec<Op>, EditError> {
    let rollback = |file: &mut DesignFile, steps: Vec<Vec<Op>>| {
        for step in steps.into_iter().rev() {
            let _ = apply_ops(file, step);
        }
    };
    if let Err(err) = result {
        rollback(file, inverse_steps);
        return Err(err);
    }
    // Validation reads the design only: a step that only moves boxes on the canvas leaves
    // it as valid as it was (and an estate's validation costs tens of milliseconds).
    let changes = Changes::of(inverse_steps.iter().flatten());
    if changes.design() {
        // From a valid design, only what the step changed can have become invalid.
        let errors =
            if known_valid { validate_changed(&file.design, &changes.collections) } else { validate(&file.design) };
        // Debug builds (every native test) check that nothing was skipped that mattered.
        debug_assert_eq!(errors, validate(&file.design), "validate_changed({changes:?}) missed an error");
        if !errors.is_empty() {
            rollback(file, inverse_steps);
            return Err(EditError::Invalid(errors));
        }
    }
    Ok(inverse_steps.into_iter().rev().flatten().collect())
}

/// Applies planned ops as one step (no-ops dropped), recording their inverse in `steps`.
fn apply_planned(
    file: &mut DesignFile,
    mut ops: Vec<Op>,
    steps: &mut Vec<Vec<Op>>,
    forward: &mut Vec<Op>,
) -> Result<(), EditError> {
    ops.retain(|op| !ops::is_noop(file, op));
    if ops.is_empty() {
        return Ok(());
    }
    forward.extend(ops.iter().cloned());
    let inverse = apply_ops(file, ops).map_err(EditError::Refused)?;
    steps.push(inverse);
    Ok(())
}

fn apply_unvalidated(
    file: &mut DesignFile,
    command: &Command,
    steps: &mut Vec<Vec<Op>>,
    forward: &mut Vec<Op>,
) -> Result<(), EditError> {
    if let Command::Batch(commands) = command {
        for command in commands {
            apply_unvalidated(file, command, steps, forward)?;
        }
        return Ok(());
    }
    // A batch of fixes is planned fix by fix, each against the design the previous left.
    if let Command::ApplyFix(FixAction::Batch { actions }) = command {
        for action in actions {
            apply_unvalidated(file, &Command::ApplyFix(action.clone()), steps, forward)?;
        }
        return Ok(());
    }
    let mut ops = plan(&file.design, command)?;
    if let Command::Rename { key, new_name } = command {
        ops.extend(rename::layout_ops(&file.layout, key, new_name));
    }
    apply_planned(file, ops, steps, forward)
}

fn refused(message: impl Into<String>) -> EditError {
    EditError::Refused(message.into())
}

fn position<T>(items: &[T], pred: impl Fn(&T) -> bool, what: &str) -> Result<usize, EditError> {
    items.iter().position(pred).ok_or_else(|| refused(format!("there is no {what}")))
}

/// The ops a command compiles to, against the current design.
pub fn plan(design: &Design, command: &Command) -> Result<Vec<Op>, EditError> {
    let mut ops = Vec::new();
    match command {
        Command::Batch(_) => return Err(refused("nested batches are applied one by one")),
        Command::AddVnet { vnet, position } => {
            ops.push(Op::Insert { index: design.vnets.len(), item: Item::Vnet(vnet.clone()) });
            if let Some(point) = position {
                ops.push(Op::SetPosition { key: format!("vnet:{}", vnet.name), position: Some(*point) });
            }
        }
        Command::AddSubnet { vnet, subnet } => {
            let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
            ops.push(Op::Insert { index: design.vnets[v].subnets.len(), item: Item::Subnet(v, subnet.clone()) });
        }
        Command::AddBastion { bastion } => {
            ops.extend(provision_bastion(design, bastion)?);
            ops.push(Op::Insert { index: design.bastions.len(), item: Item::Bastion(bastion.clone()) });
        }
        Command::AddVm { vm } => ops.push(Op::Insert { index: design.vms.len(), item: Item::Vm(vm.clone()) }),
        Command::AddNsg { nsg } => ops.push(Op::Insert { index: design.nsgs.len(), item: Item::Nsg(nsg.clone()) }),
        Command::Insert { item } => {
            let index = collection_len(design, item.collection());
            ops.push(Op::Insert { index, item: item.clone() });
        }
        Command::SetNsg { target, nsg } => match target {
            NsgTarget::Subnet { vnet, subnet } => {
                let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
                let s = position(&design.vnets[v].subnets, |it| it.name == *subnet, &format!("subnet '{subnet}'"))?;
                let mut edited = design.vnets[v].subnets[s].clone();
                edited.nsg = nsg.clone();
                ops.push(Op::Replace { index: s, item: Item::Subnet(v, edited) });
            }
            NsgTarget::Nic { vm } => {
                let idx = position(&design.vms, |it| it.name == *vm, &format!("VM '{vm}'"))?;
                let mut edited = design.vms[idx].clone();
                edited.nic.nsg = nsg.clone();
                ops.push(Op::Replace { index: idx, item: Item::Vm(edited) });
            }
        },
        Command::AddPeering { a, b } => {
            for (from, to) in [(a, b), (b, a)] {
                if !design.peerings.iter().any(|it| it.from == *from && it.to == *to) {
                    ops.extend(add_link_ops(design, &PeeringLink::with_defaults(from, to), ops.len()));
                }
            }
        }
        Command::AddPeeringLink { link } => ops.extend(add_link_ops(design, link, 0)),
        Command::Update { item } => {
            let index =
                find_same(design, item).ok_or_else(|| refused("there is no resource with that name to update"))?;
            ops.push(Op::Replace { index, item: item.clone() });
        }
        Command::MoveVm { vm, vnet, subnet } => {
            let idx = position(&design.vms, |it| it.name == *vm, &format!("VM '{vm}'"))?;
            let ip = next_free_ip(design, vnet, subnet, Some(vm))
                .ok_or_else(|| refused(format!("subnet '{subnet}' of VNet '{vnet}' has no free address")))?;
            let mut edited = design.vms[idx].clone();
            edited.nic.vnet = vnet.clone();
            edited.nic.subnet = subnet.clone();
            edited.nic.private_ip = ip;
            ops.push(Op::Replace { index: idx, item: Item::Vm(edited) });
        }
        Command::Delete { keys } => ops.extend(delete_ops(design, keys)?.1),
        Command::Move { positions } => {
            for (key, point) in positions {
                ops.push(Op::SetPosition { key: key.clone(), position: Some(*point) });
            }
        }
        Command::SetPrices(prices) => ops.push(Op::SetPrices(prices.clone())),
        Command::ApplyFix(fix) => ops.extend(fix_ops(design, fix)?),
        Command::Rename { key, new_name } => ops.extend(rename::rename_ops(design, key, new_name)?),
    }
    Ok(ops)
}

fn collection_len(design: &Design, collection: Collection) -> usize {
    match collection {
        Collection::ManagementGroups => design.management_groups.len(),
        Collection::Subscriptions => design.subscriptions.len(),
        Collection::Vnets => design.vnets.len(),
        Collection::Subnets(v) => design.vnets.get(v).map_or(0, |it| it.subnets.len()),
        Collection::Peerings => design.peerings.len(),
        Collection::DeletedPeerings => design.deleted_peerings.len(),
        Collection::Nsgs => design.nsgs.len(),
        Collection::RouteTables => design.route_tables.len(),
        Collection::PublicIps => design.public_ips.len(),
        Collection::Bastions => design.bastions.len(),
        Collection::Vms => design.vms.len(),
        Collection::VirtualWans => design.virtual_wans.len(),
        Collection::VirtualHubs => design.virtual_hubs.len(),
        Collection::HubConnections => design.hub_connections.len(),
        Collection::Gateways => design.gateways.len(),
        Collection::OnPremSites => design.onprem_sites.len(),
        Collection::SiteConnections => design.site_connections.len(),
        Collection::OnPremMachines => design.onprem_machines.len(),
        Collection::KeyVaults => design.key_vaults.len(),
        Collection::Workspaces => design.log_workspaces.len(),
        Collection::Users => design.users.len(),
        Collection::Groups => design.groups.len(),
        Collection::RoleAssignments => design.role_assignments.len(),
    }
}

/// The index of the resource with the same name (and collection) as `item`.
fn find_same(design: &Design, item: &Item) -> Option<usize> {
    fn by<T>(items: &[T], name: impl Fn(&T) -> bool) -> Option<usize> {
        items.iter().position(name)
    }
    match item {
        Item::ManagementGroup(it) => by(&design.management_groups, |x| x.name == it.name),
        Item::Subscription(it) => by(&design.subscriptions, |x| x.id == it.id),
        Item::Vnet(it) => by(&design.vnets, |x| x.name == it.name),
        Item::Subnet(v, it) => design.vnets.get(*v).and_then(|vnet| by(&vnet.subnets, |x| x.name == it.name)),
        Item::Peering(it) => by(&design.peerings, |x| x.from == it.from && x.to == it.to),
        Item::DeletedPeering(it) => by(&design.deleted_peerings, |x| x == it),
        Item::Nsg(it) => by(&design.nsgs, |x| x.name == it.name),
        Item::RouteTable(it) => by(&design.route_tables, |x| x.name == it.name),
        Item::PublicIp(it) => by(&design.public_ips, |x| x.name == it.name),
        Item::Bastion(it) => by(&design.bastions, |x| x.name == it.name),
        Item::Vm(it) => by(&design.vms, |x| x.name == it.name),
        Item::VirtualWan(it) => by(&design.virtual_wans, |x| x.name == it.name),
        Item::VirtualHub(it) => by(&design.virtual_hubs, |x| x.name == it.name),
        Item::HubConnection(it) => by(&design.hub_connections, |x| x.name == it.name),
        Item::Gateway(it) => by(&design.gateways, |x| x.name == it.name),
        Item::OnPremSite(it) => by(&design.onprem_sites, |x| x.name == it.name),
        Item::SiteConnection(it) => by(&design.site_connections, |x| x.name == it.name),
        Item::OnPremMachine(it) => by(&design.onprem_machines, |x| x.name == it.name),
        Item::KeyVault(it) => by(&design.key_vaults, |x| x.name == it.name),
        Item::Workspace(it) => by(&design.log_workspaces, |x| x.name == it.name),
        Item::User(it) => by(&design.users, |x| x.name == it.name),
        Item::Group(it) => by(&design.groups, |x| x.name == it.name),
        Item::RoleAssignment(it) => by(&design.role_assignments, |x| x == it),
    }
}

/// Inserting a link also clears its deletion record (it exists again).
fn add_link_ops(design: &Design, link: &PeeringLink, already_planned: usize) -> Vec<Op> {
    let mut ops =
        vec![Op::Insert { index: design.peerings.len() + already_planned, item: Item::Peering(link.clone()) }];
    if let Some(idx) = design.deleted_peerings.iter().position(|it| it.from == link.from && it.to == link.to) {
        ops.push(Op::Remove { collection: Collection::DeletedPeerings, index: idx });
    }
    ops
}

/// The first free, aligned prefix of length `len` inside the VNet's address space.
pub fn next_free_prefix(vnet: &Vnet, len: u8) -> Option<Cidr> {
    for space in &vnet.address_prefixes {
        if space.len > len {
            continue;
        }
        let step = 1u64 << (32 - u32::from(len));
        let mut base = u64::from(space.network());
        let end = u64::from(space.last());
        while base + step - 1 <= end {
            let candidate = Cidr::new(base as u32, len);
            if !vnet.subnets.iter().any(|s| s.prefix.overlaps(&candidate)) {
                return Some(candidate);
            }
            base += step;
        }
    }
    None
}

/// The first assignable address of a subnet not used by another VM (Azure reserves the
/// first four and the last). `except` is a VM whose own address may be reused.
pub fn next_free_ip(design: &Design, vnet: &str, subnet: &str, except: Option<&str>) -> Option<Ipv4> {
    let prefix = design.vnet(vnet)?.subnet(subnet)?.prefix;
    let used: BTreeSet<u32> = design
        .vms
        .iter()
        .filter(|vm| vm.nic.vnet == vnet && Some(vm.name.as_str()) != except)
        .map(|vm| vm.nic.private_ip.0)
        .collect();
    (prefix.network() + 4..prefix.last()).find(|ip| !used.contains(ip)).map(Ipv4)
}

/// A dedicated Bastion needs AzureBastionSubnet /26 and a Standard static public IP.
fn provision_bastion(design: &Design, bastion: &BastionHost) -> Result<Vec<Op>, EditError> {
    let mut ops = Vec::new();
    if !bastion.sku.is_dedicated() {
        return Ok(ops);
    }
    let v = position(&design.vnets, |it| it.name == bastion.vnet, &format!("VNet '{}'", bastion.vnet))?;
    let vnet = &design.vnets[v];
    if vnet.subnet(BASTION_SUBNET).is_none() {
        let prefix = next_free_prefix(vnet, 26).ok_or_else(|| {
            refused(format!("VNet '{}' has no free /26 for AzureBastionSubnet: add an address prefix first", vnet.name))
        })?;
        let subnet = Subnet { name: BASTION_SUBNET.to_string(), prefix, nsg: None, route_table: None };
        ops.push(Op::Insert { index: vnet.subnets.len(), item: Item::Subnet(v, subnet) });
    }
    if let Some(pip) = &bastion.public_ip {
        if design.public_ips.iter().all(|it| it.name != *pip) && !bastion.features.private_only {
            ops.push(Op::Insert {
                index: design.public_ips.len(),
                item: Item::PublicIp(PublicIp::standard_static(pip, &vnet.subscription, &vnet.resource_group)),
            });
        }
    }
    Ok(ops)
}

fn fix_ops(design: &Design, fix: &FixAction) -> Result<Vec<Op>, EditError> {
    let bastion_edit = |name: &str, edit: &dyn Fn(&mut BastionHost)| -> Result<Vec<Op>, EditError> {
        let idx = position(&design.bastions, |it| it.name == name, &format!("Bastion '{name}'"))?;
        let mut edited = design.bastions[idx].clone();
        edit(&mut edited);
        let mut ops = provision_bastion(design, &edited)?;
        ops.push(Op::Replace { index: idx, item: Item::Bastion(edited) });
        Ok(ops)
    };
    match fix {
        FixAction::AddNsgRules { nsg, rules } => {
            let idx = position(&design.nsgs, |it| it.name == *nsg, &format!("NSG '{nsg}'"))?;
            let mut edited = design.nsgs[idx].clone();
            edited.rules.extend(rules.iter().cloned());
            Ok(vec![Op::Replace { index: idx, item: Item::Nsg(edited) }])
        }
        FixAction::SetBastionSku { bastion, sku } => bastion_edit(bastion, &|b| {
            b.sku = *sku;
            if sku.is_dedicated() && b.public_ip.is_none() && !b.features.private_only {
                b.public_ip = Some(format!("pip-{}", b.name));
            }
        }),
        FixAction::SetScaleUnits { bastion, scale_units } => bastion_edit(bastion, &|b| b.scale_units = *scale_units),
        FixAction::EnableIpConnect { bastion } => bastion_edit(bastion, &|b| b.features.ip_connect = true),
        FixAction::SetDiagnostics { bastion, workspace } => {
            bastion_edit(bastion, &|b| b.diagnostics_workspace = Some(workspace.clone()))
        }
        FixAction::AddRoleAssignment { principal, role, scope } => Ok(vec![Op::Insert {
            index: design.role_assignments.len(),
            item: Item::RoleAssignment(RoleAssignment {
                principal: principal.clone(),
                role: *role,
                scope: scope.clone(),
            }),
        }]),
        FixAction::CreatePeeringLink { from, to } => Ok(add_link_ops(design, &PeeringLink::with_defaults(from, to), 0)),
        FixAction::RemovePublicIp { vm } => {
            let idx = position(&design.vms, |it| it.name == *vm, &format!("VM '{vm}'"))?;
            let mut edited = design.vms[idx].clone();
            let pip = edited.nic.public_ip.take();
            let mut ops = vec![Op::Replace { index: idx, item: Item::Vm(edited) }];
            if let Some(p) = design.public_ips.iter().position(|it| Some(&it.name) == pip.as_ref()) {
                ops.push(Op::Remove { collection: Collection::PublicIps, index: p });
            }
            Ok(ops)
        }
        FixAction::AddPeering { a, b } => {
            let mut ops = Vec::new();
            // Count links only: a cleared deletion record is not a peering insert.
            let mut links = 0;
            for (from, to) in [(a, b), (b, a)] {
                if !design.peerings.iter().any(|it| it.from == *from && it.to == *to) {
                    ops.extend(add_link_ops(design, &PeeringLink::with_defaults(from, to), links));
                    links += 1;
                }
            }
            Ok(ops)
        }
        FixAction::EnableNativeClient { bastion } => bastion_edit(bastion, &|b| b.features.native_client = true),
        FixAction::Batch { .. } => Err(refused("a batch of fixes is applied fix by fix")),
        FixAction::ProvisionBastion { bastion } => bastion_edit(bastion, &|b| {
            if b.sku.is_dedicated() && b.public_ip.is_none() && !b.features.private_only {
                b.public_ip = Some(format!("pip-{}", b.name));
            }
        }),
        FixAction::RepairPublicIp { public_ip } => {
            let idx = position(&design.public_ips, |it| it.name == *public_ip, &format!("public IP '{public_ip}'"))?;
            let mut edited = design.public_ips[idx].clone();
            edited.sku = PublicIpSku::Standard;
            edited.allocation = IpAllocation::Static;
            edited.version = IpVersion::IPv4;
            Ok(vec![Op::Replace { index: idx, item: Item::PublicIp(edited) }])
        }
        FixAction::UnlinkPrivateDnsZones { vnet, zones } => {
            let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
            let mut edited = design.vnets[v].clone();
            edited.private_dns_zones.retain(|z| !zones.contains(z));
            Ok(vec![Op::Replace { index: v, item: Item::Vnet(edited) }])
        }
        FixAction::StopSiteDefaultRoute { site_connection } => {
            let idx = position(
                &design.site_connections,
                |it| it.name == *site_connection,
                &format!("site connection '{site_connection}'"),
            )?;
            let mut edited = design.site_connections[idx].clone();
            edited.advertises_default_route = false;
            Ok(vec![Op::Replace { index: idx, item: Item::SiteConnection(edited) }])
        }
        FixAction::StopRouteServerDefaultRoute { vnet } => {
            let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
            let mut edited = design.vnets[v].clone();
            edited.route_server_default_route = false;
            Ok(vec![Op::Replace { index: v, item: Item::Vnet(edited) }])
        }
        FixAction::StopHubDefaultRoute { hub_connection } => {
            let idx = position(
                &design.hub_connections,
                |it| it.name == *hub_connection,
                &format!("hub connection '{hub_connection}'"),
            )?;
            let mut edited = design.hub_connections[idx].clone();
            edited.propagate_default_route = false;
            Ok(vec![Op::Replace { index: idx, item: Item::HubConnection(edited) }])
        }
        FixAction::EnableDefenderForServers { subscription } => {
            let idx = design
                .subscription_index(subscription)
                .ok_or_else(|| refused(format!("there is no subscription '{subscription}'")))?;
            let mut edited = design.subscriptions[idx].clone();
            edited.defender_for_servers_p2 = true;
            Ok(vec![Op::Replace { index: idx, item: Item::Subscription(edited) }])
        }
        FixAction::AllowGatewayTransit { from, to } => {
            let idx = position(
                &design.peerings,
                |it| it.from == *from && it.to == *to,
                &format!("peering link {from} → {to}"),
            )?;
            let mut edited = design.peerings[idx].clone();
            edited.allow_gateway_transit = true;
            Ok(vec![Op::Replace { index: idx, item: Item::Peering(edited) }])
        }
        FixAction::RemoveRouteTable { vnet, subnet } => {
            let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
            let s = position(&design.vnets[v].subnets, |it| it.name == *subnet, &format!("subnet '{subnet}'"))?;
            let mut edited = design.vnets[v].subnets[s].clone();
            edited.route_table = None;
            Ok(vec![Op::Replace { index: s, item: Item::Subnet(v, edited) }])
        }
    }
}

/// What deleting `keys` removes, as sentences for the confirmation ("deleting explains
/// what goes with it"), and the ops that do it.
pub fn delete_ops(design: &Design, keys: &[Key]) -> Result<(Vec<String>, Vec<Op>), EditError> {
    let mut gone: BTreeSet<(Collection, usize)> = BTreeSet::new();
    let mut notes: Vec<String> = Vec::new();
    let mut replaced_vms: Vec<(usize, Vm)> = Vec::new();
    let mut replaced_subnets: Vec<(usize, usize, Subnet)> = Vec::new();
    let mut replaced_groups: Vec<(usize, Group)> = Vec::new();
    let mut records: Vec<DeletedPeering> = Vec::new();

    let remove =
        |gone: &mut BTreeSet<(Collection, usize)>, notes: &mut Vec<String>, c: Collection, i: usize, what: String| {
            if gone.insert((c, i)) {
                notes.push(what);
            }
        };
    // Role assignments whose scope names a removed resource go with it.
    let assignments_on = |kind: crate::model::ResourceKind, name: &str| -> Vec<usize> {
        design
            .role_assignments
            .iter()
            .enumerate()
            .filter(
                |(_, a)| matches!(Scope::parse(&a.scope), Ok(Scope::Resource(r)) if r.kind == kind && r.name == name),
            )
            .map(|(i, _)| i)
            .collect()
    };

    let mut queue: Vec<Key> = keys.to_vec();
    let mut seen: BTreeSet<Key> = BTreeSet::new();
    while let Some(key) = queue.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        match &key {
            Key::Vnet(name) => {
                let v = position(&design.vnets, |it| it.name == *name, &format!("VNet '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::Vnets, v, format!("VNet '{name}' and its subnets"));
                for vm in design.vms.iter().filter(|vm| vm.nic.vnet == *name) {
                    queue.push(Key::Vm(vm.name.clone()));
                }
                for b in design.bastions.iter().filter(|b| b.vnet == *name) {
                    queue.push(Key::Bastion(b.name.clone()));
                }
                for (i, link) in design.peerings.iter().enumerate() {
                    if link.from == *name || link.to == *name {
                        remove(&mut gone, &mut notes, Collection::Peerings, i, format!("peering link '{}'", link.name));
                    }
                }
                for (i, rec) in design.deleted_peerings.iter().enumerate() {
                    if rec.from == *name || rec.to == *name {
                        gone.insert((Collection::DeletedPeerings, i));
                    }
                }
                for c in design.hub_connections.iter().filter(|c| c.vnet == *name) {
                    queue.push(Key::HubConnection(c.name.clone()));
                }
                for g in design.gateways.iter().filter(|g| g.vnet.as_deref() == Some(name)) {
                    queue.push(Key::Gateway(g.name.clone()));
                }
                for i in assignments_on(ResourceKind::VirtualNetwork, name) {
                    remove(&mut gone, &mut notes, Collection::RoleAssignments, i, role_note(design, i));
                }
            }
            Key::Subnet { vnet, name } => {
                let v = position(&design.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
                let s = position(&design.vnets[v].subnets, |it| it.name == *name, &format!("subnet '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::Subnets(v), s, format!("subnet '{name}' of '{vnet}'"));
                for vm in design.vms.iter().filter(|vm| vm.nic.vnet == *vnet && vm.nic.subnet == *name) {
                    queue.push(Key::Vm(vm.name.clone()));
                }
                if name == GATEWAY_SUBNET {
                    for g in design.gateways.iter().filter(|g| g.vnet.as_deref() == Some(vnet)) {
                        queue.push(Key::Gateway(g.name.clone()));
                    }
                }
            }
            Key::PeeringLink { from, to } => {
                let i = position(
                    &design.peerings,
                    |it| it.from == *from && it.to == *to,
                    &format!("peering link from '{from}' to '{to}'"),
                )?;
                remove(
                    &mut gone,
                    &mut notes,
                    Collection::Peerings,
                    i,
                    format!("peering link '{}'", design.peerings[i].name),
                );
                // The surviving link of the pair becomes Disconnected.
                let reverse_stays = design.peerings.iter().any(|it| it.from == *to && it.to == *from)
                    && !keys.contains(&Key::PeeringLink { from: to.clone(), to: from.clone() });
                if reverse_stays {
                    records.push(DeletedPeering { from: from.clone(), to: to.clone() });
                    notes.push(format!("the link from '{to}' back to '{from}' stays and shows Disconnected"));
                }
            }
            Key::Bastion(name) => {
                let i = position(&design.bastions, |it| it.name == *name, &format!("Bastion '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::Bastions, i, format!("Bastion '{name}'"));
                if let Some(pip) = &design.bastions[i].public_ip {
                    queue.push(Key::PublicIp(pip.clone()));
                }
                for a in assignments_on(ResourceKind::BastionHost, name) {
                    remove(&mut gone, &mut notes, Collection::RoleAssignments, a, role_note(design, a));
                }
            }
            Key::Vm(name) => {
                let i = position(&design.vms, |it| it.name == *name, &format!("VM '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::Vms, i, format!("VM '{name}' and its NIC"));
                if let Some(pip) = &design.vms[i].nic.public_ip {
                    queue.push(Key::PublicIp(pip.clone()));
                }
                let kind = if design.vms[i].scale_set {
                    ResourceKind::VirtualMachineScaleSet
                } else {
                    ResourceKind::VirtualMachine
                };
                for a in assignments_on(kind, name)
                    .into_iter()
                    .chain(assignments_on(ResourceKind::NetworkInterface, &design.vms[i].nic_name()))
                {
                    remove(&mut gone, &mut notes, Collection::RoleAssignments, a, role_note(design, a));
                }
            }
            Key::Nsg(name) => {
                let i = position(&design.nsgs, |it| it.name == *name, &format!("NSG '{name}'"))?;
                remove(
                    &mut gone,
                    &mut notes,
                    Collection::Nsgs,
                    i,
                    format!("NSG '{name}' (detached from its subnets and NICs)"),
                );
                for (v, vnet) in design.vnets.iter().enumerate() {
                    for (s, subnet) in vnet.subnets.iter().enumerate() {
                        if subnet.nsg.as_deref() == Some(name) {
                            let mut edited = subnet.clone();
                            edited.nsg = None;
                            replaced_subnets.push((v, s, edited));
                        }
                    }
                }
                for (idx, vm) in design.vms.iter().enumerate() {
                    if vm.nic.nsg.as_deref() == Some(name) {
                        let mut edited = vm.clone();
                        edited.nic.nsg = None;
                        replaced_vms.push((idx, edited));
                    }
                }
            }
            Key::PublicIp(name) => {
                let i = position(&design.public_ips, |it| it.name == *name, &format!("public IP '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::PublicIps, i, format!("public IP '{name}'"));
                for (idx, vm) in design.vms.iter().enumerate() {
                    if vm.nic.public_ip.as_deref() == Some(name) && !keys.contains(&Key::Vm(vm.name.clone())) {
                        let mut edited = vm.clone();
                        edited.nic.public_ip = None;
                        replaced_vms.push((idx, edited));
                    }
                }
            }
            Key::RouteTable(name) => {
                let i = position(&design.route_tables, |it| it.name == *name, &format!("route table '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::RouteTables, i, format!("route table '{name}'"));
                for (v, vnet) in design.vnets.iter().enumerate() {
                    for (s, subnet) in vnet.subnets.iter().enumerate() {
                        if subnet.route_table.as_deref() == Some(name) {
                            let mut edited = subnet.clone();
                            edited.route_table = None;
                            replaced_subnets.push((v, s, edited));
                        }
                    }
                }
            }
            Key::VirtualWan(name) => {
                let i = position(&design.virtual_wans, |it| it.name == *name, &format!("Virtual WAN '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::VirtualWans, i, format!("Virtual WAN '{name}'"));
                for hub in design.virtual_hubs.iter().filter(|h| h.virtual_wan == *name) {
                    queue.push(Key::VirtualHub(hub.name.clone()));
                }
            }
            Key::VirtualHub(name) => {
                let i = position(&design.virtual_hubs, |it| it.name == *name, &format!("virtual hub '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::VirtualHubs, i, format!("virtual hub '{name}'"));
                for c in design.hub_connections.iter().filter(|c| c.hub == *name) {
                    queue.push(Key::HubConnection(c.name.clone()));
                }
                for g in design.gateways.iter().filter(|g| g.hub.as_deref() == Some(name)) {
                    queue.push(Key::Gateway(g.name.clone()));
                }
                for b in design.bastions.iter().filter(|b| b.virtual_hub.as_deref() == Some(name)) {
                    queue.push(Key::Bastion(b.name.clone()));
                }
            }
            Key::HubConnection(name) => {
                let i = position(&design.hub_connections, |it| it.name == *name, &format!("hub connection '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::HubConnections, i, format!("hub connection '{name}'"));
            }
            Key::Gateway(name) => {
                let i = position(&design.gateways, |it| it.name == *name, &format!("gateway '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::Gateways, i, format!("gateway '{name}'"));
                for c in design.site_connections.iter().filter(|c| c.gateway == *name) {
                    queue.push(Key::SiteConnection(c.name.clone()));
                }
            }
            Key::OnPremSite(name) => {
                let i = position(&design.onprem_sites, |it| it.name == *name, &format!("on-premises site '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::OnPremSites, i, format!("on-premises site '{name}'"));
                for c in design.site_connections.iter().filter(|c| c.site == *name) {
                    queue.push(Key::SiteConnection(c.name.clone()));
                }
                for m in design.onprem_machines.iter().filter(|m| m.site == *name) {
                    queue.push(Key::OnPremMachine(m.name.clone()));
                }
            }
            Key::SiteConnection(name) => {
                let i =
                    position(&design.site_connections, |it| it.name == *name, &format!("site connection '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::SiteConnections, i, format!("site connection '{name}'"));
            }
            Key::OnPremMachine(name) => {
                let i = position(&design.onprem_machines, |it| it.name == *name, &format!("machine '{name}'"))?;
                remove(&mut gone, &mut notes, Collection::OnPremMachines, i, format!("on-premises machine '{name}'"));
            }
            Key::KeyVault(name) => {
                let i = position(&design.key_vaults, |it| it.name == *name, &format!("Key Vault '{name}'"))?;
                if design
                    .vms
                    .iter()
                    .any(|vm| matches!(&vm.sign_in, SignIn::SshKeyInKeyVault { vault } if vault == name))
                {
                    return Err(refused(format!(
                        "Key Vault '{name}' holds the SSH keys of VMs: change their sign-in method first"
                    )));
                }
                remove(&mut gone, &mut notes, Collection::KeyVaults, i, format!("Key Vault '{name}'"));
            }
            Key::Workspace(name) => {
                let i = position(&design.log_workspaces, |it| it.name == *name, &format!("workspace '{name}'"))?;
                if design.bastions.iter().any(|b| b.diagnostics_workspace.as_deref() == Some(name)) {
                    return Err(refused(format!(
                        "Bastions send their logs to workspace '{name}': change their diagnostic setting first"
                    )));
                }
                remove(&mut gone, &mut notes, Collection::Workspaces, i, format!("Log Analytics workspace '{name}'"));
            }
            Key::User(name) | Key::Group(name) => {
                let is_user = matches!(key, Key::User(_));
                let i = if is_user {
                    position(&design.users, |it| it.name == *name, &format!("user '{name}'"))?
                } else {
                    position(&design.groups, |it| it.name == *name, &format!("group '{name}'"))?
                };
                let collection = if is_user { Collection::Users } else { Collection::Groups };
                remove(
                    &mut gone,
                    &mut notes,
                    collection,
                    i,
                    format!("{} '{name}'", if is_user { "user" } else { "group" }),
                );
                for (a, assignment) in design.role_assignments.iter().enumerate() {
                    if assignment.principal == *name {
                        remove(&mut gone, &mut notes, Collection::RoleAssignments, a, role_note(design, a));
                    }
                }
                if is_user {
                    for (g, group) in design.groups.iter().enumerate() {
                        if group.members.contains(name) {
                            let mut edited = group.clone();
                            edited.members.retain(|m| m != name);
                            replaced_groups.push((g, edited));
                        }
                    }
                }
                if design.key_vaults.iter().any(|kv| kv.access_policies.iter().any(|p| p.principal == *name)) {
                    return Err(refused(format!("Key Vault access policies name '{name}': remove them first")));
                }
            }
            Key::RoleAssignment { principal, role, scope } => {
                let i = position(
                    &design.role_assignments,
                    |a| a.principal == *principal && a.role == *role && a.scope == *scope,
                    "such role assignment",
                )?;
                remove(&mut gone, &mut notes, Collection::RoleAssignments, i, role_note(design, i));
            }
        }
    }

    let mut ops = Vec::new();
    for (idx, vm) in replaced_vms {
        if !gone.contains(&(Collection::Vms, idx)) {
            ops.push(Op::Replace { index: idx, item: Item::Vm(vm) });
        }
    }
    for (v, s, subnet) in replaced_subnets {
        if !gone.contains(&(Collection::Vnets, v)) && !gone.contains(&(Collection::Subnets(v), s)) {
            ops.push(Op::Replace { index: s, item: Item::Subnet(v, subnet) });
        }
    }
    for (g, group) in replaced_groups {
        if !gone.contains(&(Collection::Groups, g)) {
            ops.push(Op::Replace { index: g, item: Item::Group(group) });
        }
    }
    // Subnets before VNets, then every collection from its highest index down, so indexes
    // stay valid while removing.
    let mut removals: Vec<(Collection, usize)> = gone.into_iter().collect();
    crate::util::sort_by(&mut removals, |a, b| {
        let rank = |c: &Collection| if matches!(c, Collection::Subnets(_)) { 0 } else { 1 };
        (rank(&a.0), a.0, std::cmp::Reverse(a.1)).cmp(&(rank(&b.0), b.0, std::cmp::Reverse(b.1)))
    });
    let n_records_removed = removals.iter().filter(|(c, _)| *c == Collection::DeletedPeerings).count();
    for (collection, index) in removals {
        ops.push(Op::Remove { collection, index });
    }
    let first_record = design.deleted_peerings.len() - n_records_removed;
    for (offset, record) in records.into_iter().enumerate() {
        ops.push(Op::Insert { index: first_record + offset, item: Item::DeletedPeering(record) });
    }
    Ok((notes, ops))
}

fn role_note(design: &Design, idx: usize) -> String {
    let a = &design.role_assignments[idx];
    format!("role assignment {} for '{}' at {}", a.role.name(), a.principal, a.scope)
}
