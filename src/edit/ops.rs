//! Primitive, exactly invertible operations on a design file: insert, remove or replace
//! one resource at an index, set one layout position, replace the price table.
//!
//! Every `Command` compiles to a list of ops; applying an op returns its inverse, so
//! undo replays inverses in reverse order and restores the design byte for byte.

use crate::model::*;

/// One resource, tagged with its collection. Subnets carry the index of their VNet.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    ManagementGroup(ManagementGroup),
    Subscription(Subscription),
    Vnet(Vnet),
    Subnet(usize, Subnet),
    Peering(PeeringLink),
    DeletedPeering(DeletedPeering),
    Nsg(Nsg),
    RouteTable(RouteTable),
    PublicIp(PublicIp),
    Bastion(BastionHost),
    Vm(Vm),
    VirtualWan(VirtualWan),
    VirtualHub(VirtualHub),
    HubConnection(HubConnection),
    Gateway(Gateway),
    OnPremSite(OnPremSite),
    SiteConnection(SiteConnection),
    OnPremMachine(OnPremMachine),
    KeyVault(KeyVault),
    Workspace(LogAnalyticsWorkspace),
    User(User),
    Group(Group),
    RoleAssignment(RoleAssignment),
}

/// Which collection an index points into (the model's: validation reads the same names).
pub use crate::model::Collection;

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Insert { index: usize, item: Item },
    Remove { collection: Collection, index: usize },
    Replace { index: usize, item: Item },
    SetPosition { key: String, position: Option<Point> },
    SetPrices(Option<PriceTable>),
    SetName { name: String, description: String },
}

macro_rules! each_collection {
    ($design:expr, $item:expr, |$vec:ident, $value:ident| $body:expr) => {
        match $item {
            Item::ManagementGroup($value) => {
                let $vec = &mut $design.management_groups;
                $body
            }
            Item::Subscription($value) => {
                let $vec = &mut $design.subscriptions;
                $body
            }
            Item::Vnet($value) => {
                let $vec = &mut $design.vnets;
                $body
            }
            Item::Subnet(vnet, $value) => match $design.vnets.get_mut(vnet) {
                Some(it) => {
                    let $vec = &mut it.subnets;
                    $body
                }
                None => Err(format!("no VNet at index {vnet}")),
            },
            Item::Peering($value) => {
                let $vec = &mut $design.peerings;
                $body
            }
            Item::DeletedPeering($value) => {
                let $vec = &mut $design.deleted_peerings;
                $body
            }
            Item::Nsg($value) => {
                let $vec = &mut $design.nsgs;
                $body
            }
            Item::RouteTable($value) => {
                let $vec = &mut $design.route_tables;
                $body
            }
            Item::PublicIp($value) => {
                let $vec = &mut $design.public_ips;
                $body
            }
            Item::Bastion($value) => {
                let $vec = &mut $design.bastions;
                $body
            }
            Item::Vm($value) => {
                let $vec = &mut $design.vms;
                $body
            }
            Item::VirtualWan($value) => {
                let $vec = &mut $design.virtual_wans;
                $body
            }
            Item::VirtualHub($value) => {
                let $vec = &mut $design.virtual_hubs;
                $body
            }
            Item::HubConnection($value) => {
                let $vec = &mut $design.hub_connections;
                $body
            }
            Item::Gateway($value) => {
                let $vec = &mut $design.gateways;
                $body
            }
            Item::OnPremSite($value) => {
                let $vec = &mut $design.onprem_sites;
                $body
            }
            Item::SiteConnection($value) => {
                let $vec = &mut $design.site_connections;
                $body
            }
            Item::OnPremMachine($value) => {
                let $vec = &mut $design.onprem_machines;
                $body
            }
            Item::KeyVault($value) => {
                let $vec = &mut $design.key_vaults;
                $body
            }
            Item::Workspace($value) => {
                let $vec = &mut $design.log_workspaces;
                $body
            }
            Item::User($value) => {
                let $vec = &mut $design.users;
                $body
            }
            Item::Group($value) => {
                let $vec = &mut $design.groups;
                $body
            }
            Item::RoleAssignment($value) => {
                let $vec = &mut $design.role_assignments;
                $body
            }
        }
    };
}

macro_rules! remove_from {
    ($design:expr, $collection:expr, $index:expr) => {{
        fn take<T>(vec: &mut Vec<T>, index: usize) -> Result<T, String> {
            if index < vec.len() {
                Ok(vec.remove(index))
            } else {
                Err(format!("no item at index {index}"))
            }
        }
        let d = $design;
        let index = $index;
        match $collection {
            Collection::ManagementGroups => take(&mut d.management_groups, index).map(Item::ManagementGroup),
            Collection::Subscriptions => take(&mut d.subscriptions, index).map(Item::Subscription),
            Collection::Vnets => take(&mut d.vnets, index).map(Item::Vnet),
            Collection::Subnets(vnet) => match d.vnets.get_mut(vnet) {
                Some(it) => take(&mut it.subnets, index).map(|s| Item::Subnet(vnet, s)),
                None => Err(format!("no VNet at index {vnet}")),
            },
            Collection::Peerings => take(&mut d.peerings, index).map(Item::Peering),
            Collection::DeletedPeerings => take(&mut d.deleted_peerings, index).map(Item::DeletedPeering),
            Collection::Nsgs => take(&mut d.nsgs, index).map(Item::Nsg),
            Collection::RouteTables => take(&mut d.route_tables, index).map(Item::RouteTable),
            Collection::PublicIps => take(&mut d.public_ips, index).map(Item::PublicIp),
            Collection::Bastions => take(&mut d.bastions, index).map(Item::Bastion),
            Collection::Vms => take(&mut d.vms, index).map(Item::Vm),
            Collection::VirtualWans => take(&mut d.virtual_wans, index).map(Item::VirtualWan),
            Collection::VirtualHubs => take(&mut d.virtual_hubs, index).map(Item::VirtualHub),
            Collection::HubConnections => take(&mut d.hub_connections, index).map(Item::HubConnection),
            Collection::Gateways => take(&mut d.gateways, index).map(Item::Gateway),
            Collection::OnPremSites => take(&mut d.onprem_sites, index).map(Item::OnPremSite),
            Collection::SiteConnections => take(&mut d.site_connections, index).map(Item::SiteConnection),
            Collection::OnPremMachines => take(&mut d.onprem_machines, index).map(Item::OnPremMachine),
            Collection::KeyVaults => take(&mut d.key_vaults, index).map(Item::KeyVault),
            Collection::Workspaces => take(&mut d.log_workspaces, index).map(Item::Workspace),
            Collection::Users => take(&mut d.users, index).map(Item::User),
            Collection::Groups => take(&mut d.groups, index).map(Item::Group),
            Collection::RoleAssignments => take(&mut d.role_assignments, index).map(Item::RoleAssignment),
        }
    }};
}

impl Item {
    pub fn collection(&self) -> Collection {
        match self {
            Item::ManagementGroup(_) => Collection::ManagementGroups,
            Item::Subscription(_) => Collection::Subscriptions,
            Item::Vnet(_) => Collection::Vnets,
            Item::Subnet(vnet, _) => Collection::Subnets(*vnet),
            Item::Peering(_) => Collection::Peerings,
            Item::DeletedPeering(_) => Collection::DeletedPeerings,
            Item::Nsg(_) => Collection::Nsgs,
            Item::RouteTable(_) => Collection::RouteTables,
            Item::PublicIp(_) => Collection::PublicIps,
            Item::Bastion(_) => Collection::Bastions,
            Item::Vm(_) => Collection::Vms,
            Item::VirtualWan(_) => Collection::VirtualWans,
            Item::VirtualHub(_) => Collection::VirtualHubs,
            Item::HubConnection(_) => Collection::HubConnections,
            Item::Gateway(_) => Collection::Gateways,
            Item::OnPremSite(_) => Collection::OnPremSites,
            Item::SiteConnection(_) => Collection::SiteConnections,
            Item::OnPremMachine(_) => Collection::OnPremMachines,
            Item::KeyVault(_) => Collection::KeyVaults,
            Item::Workspace(_) => Collection::Workspaces,
            Item::User(_) => Collection::Users,
            Item::Group(_) => Collection::Groups,
            Item::RoleAssignment(_) => Collection::RoleAssignments,
        }
    }
}

/// Applies one op and returns its inverse. Fails (changing nothing) on a bad index.
pub fn apply_op(file: &mut DesignFile, op: Op) -> Result<Op, String> {
    let design = &mut file.design;
    match op {
        Op::Insert { index, item } => {
            let collection = item.collection();
            each_collection!(design, item, |vec, value| {
                if index <= vec.len() {
                    vec.insert(index, value);
                    Ok(())
                } else {
                    Err(format!("cannot insert at index {index}"))
                }
            })?;
            Ok(Op::Remove { collection, index })
        }
        Op::Remove { collection, index } => {
            let item = remove_from!(design, collection, index)?;
            Ok(Op::Insert { index, item })
        }
        Op::Replace { index, item } => {
            let collection = item.collection();
            let old = remove_from!(&mut *design, collection, index)?;
            each_collection!(design, item, |vec, value| {
                vec.insert(index, value);
                Ok::<(), String>(())
            })?;
            Ok(Op::Replace { index, item: old })
        }
        Op::SetPosition { key, position } => {
            let old = match position {
                Some(point) => file.layout.positions.insert(key.clone(), point),
                None => file.layout.positions.remove(&key),
            };
            Ok(Op::SetPosition { key, position: old })
        }
        Op::SetPrices(prices) => Ok(Op::SetPrices(std::mem::replace(&mut design.prices, prices))),
        Op::SetName { name, description } => {
            let old_name = std::mem::replace(&mut design.name, name);
            let old_description = std::mem::replace(&mut design.description, description);
            Ok(Op::SetName { name: old_name, description: old_description })
        }
    }
}

/// Applies ops in order; on failure, rolls back what was applied. Returns the inverses
/// in the order they must be applied to undo (reverse order).
pub fn apply_ops(file: &mut DesignFile, ops: Vec<Op>) -> Result<Vec<Op>, String> {
    let mut inverses = Vec::with_capacity(ops.len());
    for op in ops {
        match apply_op(file, op) {
            Ok(inverse) => inverses.push(inverse),
            Err(message) => {
                for inverse in inverses.into_iter().rev() {
                    let _ = apply_op(file, inverse);
                }
                return Err(message);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}

/// A copy of the item at `index` of `collection`.
pub fn item_at(design: &Design, collection: Collection, index: usize) -> Option<Item> {
    Some(match collection {
        Collection::ManagementGroups => Item::ManagementGroup(design.management_groups.get(index)?.clone()),
        Collection::Subscriptions => Item::Subscription(design.subscriptions.get(index)?.clone()),
        Collection::Vnets => Item::Vnet(design.vnets.get(index)?.clone()),
        Collection::Subnets(v) => Item::Subnet(v, design.vnets.get(v)?.subnets.get(index)?.clone()),
        Collection::Peerings => Item::Peering(design.peerings.get(index)?.clone()),
        Collection::DeletedPeerings => Item::DeletedPeering(design.deleted_peerings.get(index)?.clone()),
        Collection::Nsgs => Item::Nsg(design.nsgs.get(index)?.clone()),
        Collection::RouteTables => Item::RouteTable(design.route_tables.get(index)?.clone()),
        Collection::PublicIps => Item::PublicIp(design.public_ips.get(index)?.clone()),
        Collection::Bastions => Item::Bastion(design.bastions.get(index)?.clone()),
        Collection::Vms => Item::Vm(design.vms.get(index)?.clone()),
        Collection::VirtualWans => Item::VirtualWan(design.virtual_wans.get(index)?.clone()),
        Collection::VirtualHubs => Item::VirtualHub(design.virtual_hubs.get(index)?.clone()),
        Collection::HubConnections => Item::HubConnection(design.hub_connections.get(index)?.clone()),
        Collection::Gateways => Item::Gateway(design.gateways.get(index)?.clone()),
        Collection::OnPremSites => Item::OnPremSite(design.onprem_sites.get(index)?.clone()),
        Collection::SiteConnections => Item::SiteConnection(design.site_connections.get(index)?.clone()),
        Collection::OnPremMachines => Item::OnPremMachine(design.onprem_machines.get(index)?.clone()),
        Collection::KeyVaults => Item::KeyVault(design.key_vaults.get(index)?.clone()),
        Collection::Workspaces => Item::Workspace(design.log_workspaces.get(index)?.clone()),
        Collection::Users => Item::User(design.users.get(index)?.clone()),
        Collection::Groups => Item::Group(design.groups.get(index)?.clone()),
        Collection::RoleAssignments => Item::RoleAssignment(design.role_assignments.get(index)?.clone()),
    })
}

/// True when applying `op` would change nothing (so it makes no undo step).
pub fn is_noop(file: &DesignFile, op: &Op) -> bool {
    match op {
        Op::Replace { index, item } => item_at(&file.design, item.collection(), *index).as_ref() == Some(item),
        Op::SetPosition { key, position } => file.layout.positions.get(key) == position.as_ref(),
        Op::SetPrices(prices) => file.design.prices == *prices,
        Op::SetName { name, description } => file.design.name == *name && file.design.description == *description,
        Op::Insert { .. } | Op::Remove { .. } => false,
    }
}
