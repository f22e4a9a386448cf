//! Renaming a resource: every reference to the old name follows (subnets' NSGs, NICs, peering
//! ends, role assignment scopes, group members, …). Done on a copy and compiled to `Replace`
//! ops for exactly what changed, so it is one undo step and undo restores the design exactly.

use super::{refused, EditError, Item, Key, Op};
use crate::model::ids::arm_id;
use crate::model::*;

/// The ops of `Command::Rename`: the renamed resource and every resource referring to it.
pub fn rename_ops(design: &Design, key: &Key, new_name: &str) -> Result<Vec<Op>, EditError> {
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(refused("a name cannot be empty"));
    }
    let mut after = design.clone();
    rename_in(&mut after, key, new_name)?;
    Ok(replace_ops(design, &after))
}

/// The layout keys (canvas positions) a resource may be stored under, by its key.
pub fn layout_prefixes(key: &Key) -> &'static [&'static str] {
    match key {
        Key::Vnet(_) => &["vnet"],
        Key::Bastion(_) => &["bastion"],
        Key::Vm(_) => &["vm"],
        Key::VirtualHub(_) => &["hub", "vwan-hub"],
        Key::Gateway(_) => &["gateway"],
        Key::OnPremSite(_) => &["site", "onprem-site"],
        Key::OnPremMachine(_) => &["machine", "onprem-machine"],
        Key::Nsg(_) => &["nsg"],
        Key::User(_) => &["user"],
        _ => &[],
    }
}

/// The name a key carries (for a subnet, the subnet's name).
pub fn key_name(key: &Key) -> Option<&str> {
    match key {
        Key::Vnet(n)
        | Key::Bastion(n)
        | Key::Vm(n)
        | Key::Nsg(n)
        | Key::PublicIp(n)
        | Key::RouteTable(n)
        | Key::VirtualWan(n)
        | Key::VirtualHub(n)
        | Key::HubConnection(n)
        | Key::Gateway(n)
        | Key::OnPremSite(n)
        | Key::SiteConnection(n)
        | Key::OnPremMachine(n)
        | Key::KeyVault(n)
        | Key::Workspace(n)
        | Key::User(n)
        | Key::Group(n) => Some(n),
        Key::Subnet { name, .. } => Some(name),
        Key::PeeringLink { .. } | Key::RoleAssignment { .. } => None,
    }
}

fn rename_field(field: &mut String, old: &str, new: &str) {
    if field == old {
        *field = new.to_string();
    }
}

fn rename_option(field: &mut Option<String>, old: &str, new: &str) {
    if field.as_deref() == Some(old) {
        *field = Some(new.to_string());
    }
}

/// Role assignments scoped to the resource follow its new id.
fn rename_scopes(design: &mut Design, kinds: &[ResourceKind], old: &str, new: &str) {
    for assignment in &mut design.role_assignments {
        if let Ok(Scope::Resource(r)) = Scope::parse(&assignment.scope) {
            if kinds.contains(&r.kind) && r.name == old {
                assignment.scope = arm_id(r.kind, &r.subscription, &r.resource_group, new);
            }
        }
    }
}

fn find<'a, T>(items: &'a mut [T], name: impl Fn(&T) -> bool, what: &str) -> Result<&'a mut T, EditError> {
    items.iter_mut().find(|it| name(it)).ok_or_else(|| refused(format!("there is no {what}")))
}

fn rename_in(d: &mut Design, key: &Key, new: &str) -> Result<(), EditError> {
    match key {
        Key::Vnet(old) => {
            find(&mut d.vnets, |it| it.name == *old, &format!("VNet '{old}'"))?.name = new.to_string();
            for link in &mut d.peerings {
                rename_field(&mut link.from, old, new);
                rename_field(&mut link.to, old, new);
            }
            for record in &mut d.deleted_peerings {
                rename_field(&mut record.from, old, new);
                rename_field(&mut record.to, old, new);
            }
            for b in &mut d.bastions {
                rename_field(&mut b.vnet, old, new);
            }
            for vm in &mut d.vms {
                rename_field(&mut vm.nic.vnet, old, new);
            }
            for c in &mut d.hub_connections {
                rename_field(&mut c.vnet, old, new);
            }
            for g in &mut d.gateways {
                rename_option(&mut g.vnet, old, new);
            }
            rename_scopes(d, &[ResourceKind::VirtualNetwork], old, new);
        }
        Key::Subnet { vnet, name: old } => {
            let v = find(&mut d.vnets, |it| it.name == *vnet, &format!("VNet '{vnet}'"))?;
            find(&mut v.subnets, |it| it.name == *old, &format!("subnet '{old}'"))?.name = new.to_string();
            for vm in d.vms.iter_mut().filter(|vm| vm.nic.vnet == *vnet) {
                rename_field(&mut vm.nic.subnet, old, new);
            }
        }
        Key::PeeringLink { from, to } => {
            let what = format!("peering link from '{from}' to '{to}'");
            find(&mut d.peerings, |it| it.from == *from && it.to == *to, &what)?.name = new.to_string();
        }
        Key::Bastion(old) => {
            find(&mut d.bastions, |it| it.name == *old, &format!("Bastion '{old}'"))?.name = new.to_string();
            rename_scopes(d, &[ResourceKind::BastionHost], old, new);
        }
        Key::Vm(old) => {
            let vm = find(&mut d.vms, |it| it.name == *old, &format!("VM '{old}'"))?;
            // A NIC without a name of its own is `<vm>-nic`: its name (and scopes) follow.
            let nic_follows = vm.nic.name.is_empty();
            vm.name = new.to_string();
            rename_scopes(d, &[ResourceKind::VirtualMachine, ResourceKind::VirtualMachineScaleSet], old, new);
            if nic_follows {
                rename_scopes(d, &[ResourceKind::NetworkInterface], &format!("{old}-nic"), &format!("{new}-nic"));
            }
        }
        Key::Nsg(old) => {
            find(&mut d.nsgs, |it| it.name == *old, &format!("NSG '{old}'"))?.name = new.to_string();
            for subnet in d.vnets.iter_mut().flat_map(|v| v.subnets.iter_mut()) {
                rename_option(&mut subnet.nsg, old, new);
            }
            for vm in &mut d.vms {
                rename_option(&mut vm.nic.nsg, old, new);
            }
            rename_scopes(d, &[ResourceKind::NetworkSecurityGroup], old, new);
        }
        Key::PublicIp(old) => {
            find(&mut d.public_ips, |it| it.name == *old, &format!("public IP '{old}'"))?.name = new.to_string();
            for b in &mut d.bastions {
                rename_option(&mut b.public_ip, old, new);
            }
            for vm in &mut d.vms {
                rename_option(&mut vm.nic.public_ip, old, new);
            }
            rename_scopes(d, &[ResourceKind::PublicIpAddress], old, new);
        }
        Key::RouteTable(old) => {
            find(&mut d.route_tables, |it| it.name == *old, &format!("route table '{old}'"))?.name = new.to_string();
            for subnet in d.vnets.iter_mut().flat_map(|v| v.subnets.iter_mut()) {
                rename_option(&mut subnet.route_table, old, new);
            }
            rename_scopes(d, &[ResourceKind::RouteTable], old, new);
        }
        Key::VirtualWan(old) => {
            find(&mut d.virtual_wans, |it| it.name == *old, &format!("Virtual WAN '{old}'"))?.name = new.to_string();
            for hub in &mut d.virtual_hubs {
                rename_field(&mut hub.virtual_wan, old, new);
            }
            rename_scopes(d, &[ResourceKind::VirtualWan], old, new);
        }
        Key::VirtualHub(old) => {
            find(&mut d.virtual_hubs, |it| it.name == *old, &format!("virtual hub '{old}'"))?.name = new.to_string();
            for c in &mut d.hub_connections {
                rename_field(&mut c.hub, old, new);
            }
            for g in &mut d.gateways {
                rename_option(&mut g.hub, old, new);
            }
            for b in &mut d.bastions {
                rename_option(&mut b.virtual_hub, old, new);
            }
            rename_scopes(d, &[ResourceKind::VirtualHub], old, new);
        }
        Key::HubConnection(old) => {
            let what = format!("hub connection '{old}'");
            find(&mut d.hub_connections, |it| it.name == *old, &what)?.name = new.to_string();
        }
        Key::Gateway(old) => {
            find(&mut d.gateways, |it| it.name == *old, &format!("gateway '{old}'"))?.name = new.to_string();
            for c in &mut d.site_connections {
                rename_field(&mut c.gateway, old, new);
            }
            rename_scopes(d, &[ResourceKind::VirtualNetworkGateway], old, new);
        }
        Key::OnPremSite(old) => {
            let what = format!("on-premises site '{old}'");
            find(&mut d.onprem_sites, |it| it.name == *old, &what)?.name = new.to_string();
            for c in &mut d.site_connections {
                rename_field(&mut c.site, old, new);
            }
            for m in &mut d.onprem_machines {
                rename_field(&mut m.site, old, new);
            }
        }
        Key::SiteConnection(old) => {
            let what = format!("site connection '{old}'");
            find(&mut d.site_connections, |it| it.name == *old, &what)?.name = new.to_string();
        }
        Key::OnPremMachine(old) => {
            let what = format!("on-premises machine '{old}'");
            find(&mut d.onprem_machines, |it| it.name == *old, &what)?.name = new.to_string();
        }
        Key::KeyVault(old) => {
            find(&mut d.key_vaults, |it| it.name == *old, &format!("Key Vault '{old}'"))?.name = new.to_string();
            for vm in &mut d.vms {
                if let SignIn::SshKeyInKeyVault { vault } = &mut vm.sign_in {
                    rename_field(vault, old, new);
                }
            }
            rename_scopes(d, &[ResourceKind::KeyVault], old, new);
        }
        Key::Workspace(old) => {
            let what = format!("workspace '{old}'");
            find(&mut d.log_workspaces, |it| it.name == *old, &what)?.name = new.to_string();
            for b in &mut d.bastions {
                rename_option(&mut b.diagnostics_workspace, old, new);
            }
            rename_scopes(d, &[ResourceKind::Workspace], old, new);
        }
        Key::User(old) | Key::Group(old) => {
            if matches!(key, Key::User(_)) {
                find(&mut d.users, |it| it.name == *old, &format!("user '{old}'"))?.name = new.to_string();
                for g in &mut d.groups {
                    for member in &mut g.members {
                        rename_field(member, old, new);
                    }
                }
            } else {
                find(&mut d.groups, |it| it.name == *old, &format!("group '{old}'"))?.name = new.to_string();
            }
            for a in &mut d.role_assignments {
                rename_field(&mut a.principal, old, new);
            }
            for p in d.key_vaults.iter_mut().flat_map(|kv| kv.access_policies.iter_mut()) {
                rename_field(&mut p.principal, old, new);
            }
        }
        Key::RoleAssignment { .. } => return Err(refused("a role assignment has no name to change")),
    }
    Ok(())
}

/// `Replace` ops turning `before` into `after`, which hold the same number of resources
/// in every collection (a rename adds and removes nothing).
fn replace_ops(before: &Design, after: &Design) -> Vec<Op> {
    fn each<T: Clone + PartialEq>(ops: &mut Vec<Op>, a: &[T], b: &[T], item: impl Fn(T) -> Item) {
        for (index, (x, y)) in a.iter().zip(b).enumerate() {
            if x != y {
                ops.push(Op::Replace { index, item: item(y.clone()) });
            }
        }
    }
    let mut ops = Vec::new();
    // A VNet whose own fields changed is replaced whole; otherwise only its changed subnets.
    for (v, (x, y)) in before.vnets.iter().zip(&after.vnets).enumerate() {
        let mut x_head = x.clone();
        x_head.subnets = y.subnets.clone();
        if x_head != *y {
            ops.push(Op::Replace { index: v, item: Item::Vnet(y.clone()) });
        } else {
            each(&mut ops, &x.subnets, &y.subnets, |s| Item::Subnet(v, s));
        }
    }
    each(&mut ops, &before.peerings, &after.peerings, Item::Peering);
    each(&mut ops, &before.deleted_peerings, &after.deleted_peerings, Item::DeletedPeering);
    each(&mut ops, &before.nsgs, &after.nsgs, Item::Nsg);
    each(&mut ops, &before.route_tables, &after.route_tables, Item::RouteTable);
    each(&mut ops, &before.public_ips, &after.public_ips, Item::PublicIp);
    each(&mut ops, &before.bastions, &after.bastions, Item::Bastion);
    each(&mut ops, &before.vms, &after.vms, Item::Vm);
    each(&mut ops, &before.virtual_wans, &after.virtual_wans, Item::VirtualWan);
    each(&mut ops, &before.virtual_hubs, &after.virtual_hubs, Item::VirtualHub);
    each(&mut ops, &before.hub_connections, &after.hub_connections, Item::HubConnection);
    each(&mut ops, &before.gateways, &after.gateways, Item::Gateway);
    each(&mut ops, &before.onprem_sites, &after.onprem_sites, Item::OnPremSite);
    each(&mut ops, &before.site_connections, &after.site_connections, Item::SiteConnection);
    each(&mut ops, &before.onprem_machines, &after.onprem_machines, Item::OnPremMachine);
    each(&mut ops, &before.key_vaults, &after.key_vaults, Item::KeyVault);
    each(&mut ops, &before.log_workspaces, &after.log_workspaces, Item::Workspace);
    each(&mut ops, &before.users, &after.users, Item::User);
    each(&mut ops, &before.groups, &after.groups, Item::Group);
    each(&mut ops, &before.role_assignments, &after.role_assignments, Item::RoleAssignment);
    ops
}

/// Canvas positions stored under the old name move to the new one.
pub fn layout_ops(layout: &Layout, key: &Key, new_name: &str) -> Vec<Op> {
    let Some(old) = key_name(key) else { return Vec::new() };
    let mut ops = Vec::new();
    for prefix in layout_prefixes(key) {
        let old_key = format!("{prefix}:{old}");
        if let Some(point) = layout.positions.get(&old_key) {
            ops.push(Op::SetPosition { key: old_key, position: None });
            ops.push(Op::SetPosition { key: format!("{prefix}:{}", new_name.trim()), position: Some(*point) });
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::super::{Command, Editor};
    use super::*;
    use crate::engine::analyze;
    use crate::scenarios;

    fn editor(scenario: &str) -> Editor {
        let design = (scenarios::by_name(scenario).unwrap().build)();
        Editor::new(DesignFile { design, layout: Layout::default() })
    }

    /// The design's JSON still names `old` as a whole value or as the last segment of an id.
    fn mentions(design: &Design, old: &str) -> bool {
        let json = save_design(design, &Layout::default());
        json.contains(&format!("\"{old}\"")) || json.contains(&format!("/{old}\""))
    }

    fn reachable(design: &Design) -> usize {
        analyze(design).pairs().filter(|it| it.2.is_none()).count()
    }

    #[test]
    fn every_reference_follows_a_rename_and_undo_restores_it_exactly() {
        for scenario in scenarios::all() {
            let mut ed = editor(scenario.name);
            let d = ed.file.design.clone();
            let mut keys: Vec<Key> = Vec::new();
            keys.extend(d.vnets.iter().map(|it| Key::Vnet(it.name.clone())));
            keys.extend(d.bastions.iter().map(|it| Key::Bastion(it.name.clone())));
            keys.extend(d.vms.iter().map(|it| Key::Vm(it.name.clone())));
            keys.extend(d.nsgs.iter().map(|it| Key::Nsg(it.name.clone())));
            keys.extend(d.public_ips.iter().map(|it| Key::PublicIp(it.name.clone())));
            keys.extend(d.virtual_hubs.iter().map(|it| Key::VirtualHub(it.name.clone())));
            keys.extend(d.gateways.iter().map(|it| Key::Gateway(it.name.clone())));
            keys.extend(d.onprem_sites.iter().map(|it| Key::OnPremSite(it.name.clone())));
            keys.extend(d.key_vaults.iter().map(|it| Key::KeyVault(it.name.clone())));
            keys.extend(d.log_workspaces.iter().map(|it| Key::Workspace(it.name.clone())));
            keys.extend(d.users.iter().map(|it| Key::User(it.name.clone())));
            keys.extend(d.groups.iter().map(|it| Key::Group(it.name.clone())));
            let before_reach = reachable(&d);
            for key in keys {
                let old = key_name(&key).unwrap().to_string();
                let new = format!("renamed-{old}");
                ed.apply(&Command::Rename { key: key.clone(), new_name: new.clone() })
                    .unwrap_or_else(|e| panic!("{}: renaming {key:?} was refused: {e}", scenario.name));
                let after = &ed.file.design;
                // Another resource may carry the same name; then the old name stays.
                assert!(mentions(after, &new), "{}: {key:?} not renamed", scenario.name);
                if !mentions_elsewhere(&d, &key) {
                    assert!(!mentions(after, &old), "{}: a reference to {old} was left behind", scenario.name);
                }
                assert_eq!(reachable(after), before_reach, "{}: renaming {old} changed the verdicts", scenario.name);
                assert!(ed.undo());
                assert_eq!(
                    ed.file.design, d,
                    "{}: undoing the rename of {old} did not restore the design",
                    scenario.name
                );
            }
        }
    }

    /// True when another resource (of another kind) carries the same name, so the old
    /// name legitimately stays in the file.
    fn mentions_elsewhere(d: &Design, key: &Key) -> bool {
        let name = key_name(key).unwrap();
        let mut count = 0;
        count += d.vnets.iter().filter(|it| it.name == name).count();
        count += d.vnets.iter().flat_map(|v| &v.subnets).filter(|it| it.name == name).count();
        count += d.bastions.iter().filter(|it| it.name == name).count();
        count += d.vms.iter().filter(|it| it.name == name || it.nic.name == name).count();
        count += d.nsgs.iter().filter(|it| it.name == name).count();
        count += d.nsgs.iter().flat_map(|n| &n.rules).filter(|it| it.name == name).count();
        count += d.public_ips.iter().filter(|it| it.name == name).count();
        count += d.route_tables.iter().filter(|it| it.name == name).count();
        count += d.virtual_wans.iter().filter(|it| it.name == name).count();
        count += d.virtual_hubs.iter().filter(|it| it.name == name).count();
        count += d.hub_connections.iter().filter(|it| it.name == name).count();
        count += d.gateways.iter().filter(|it| it.name == name).count();
        count += d.onprem_sites.iter().filter(|it| it.name == name).count();
        count += d.site_connections.iter().filter(|it| it.name == name).count();
        count += d.onprem_machines.iter().filter(|it| it.name == name).count();
        count += d.key_vaults.iter().filter(|it| it.name == name).count();
        count += d.log_workspaces.iter().filter(|it| it.name == name).count();
        count += d.users.iter().filter(|it| it.name == name || it.display_name == name).count();
        count += d.groups.iter().filter(|it| it.name == name).count();
        count += d.subscriptions.iter().filter(|it| it.id == name || it.display_name == name).count();
        count += d.management_groups.iter().filter(|it| it.name == name).count();
        count += d.vnets.iter().filter(|it| it.resource_group == name || it.region == name).count();
        count > 1 || d.name == name
    }

    #[test]
    fn a_renamed_subnet_keeps_its_vms_and_a_taken_name_is_refused() {
        let mut ed = editor(scenarios::DEFAULT);
        let d = ed.file.design.clone();
        let vm = d.vms[0].clone();
        let key = Key::Subnet { vnet: vm.nic.vnet.clone(), name: vm.nic.subnet.clone() };
        ed.apply(&Command::Rename { key, new_name: "snet-renamed".into() }).unwrap();
        assert_eq!(ed.file.design.vm(&vm.name).unwrap().nic.subnet, "snet-renamed");
        assert!(ed.file.design.vnet(&vm.nic.vnet).unwrap().subnet("snet-renamed").is_some());
        assert!(ed.undo());
        assert_eq!(ed.file.design, d);

        let taken = d.vms[1].name.clone();
        let err = ed.apply(&Command::Rename { key: Key::Vm(vm.name.clone()), new_name: taken }).unwrap_err();
        assert!(err.to_string().contains("duplicate") || err.to_string().contains("already"), "{err}");
        assert_eq!(ed.file.design, d, "a refused rename changes nothing");
        assert!(ed.apply(&Command::Rename { key: Key::Vm(vm.name.clone()), new_name: " ".into() }).is_err());
    }

    #[test]
    fn canvas_positions_follow_a_rename() {
        let mut ed = editor(scenarios::DEFAULT);
        let vnet = ed.file.design.vnets[0].name.clone();
        ed.apply(&Command::Move { positions: vec![(format!("vnet:{vnet}"), Point { x: 5.0, y: 7.0 })] }).unwrap();
        ed.apply(&Command::Rename { key: Key::Vnet(vnet.clone()), new_name: "vnet-new".into() }).unwrap();
        assert_eq!(ed.file.layout.positions.get("vnet:vnet-new"), Some(&Point { x: 5.0, y: 7.0 }));
        assert!(!ed.file.layout.positions.contains_key(&format!("vnet:{vnet}")));
        ed.undo();
        assert_eq!(ed.file.layout.positions.get(&format!("vnet:{vnet}")), Some(&Point { x: 5.0, y: 7.0 }));
    }
}
