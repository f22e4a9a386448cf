//! Validation: what Azure itself would refuse to deploy, reported as errors that name
//! the JSON path of the offending field and the problem, in a sentence a person can act on.
//!
//! Misconfigurations Azure accepts (a missing NSG rule, a broken peering) are not errors
//! here: the engine reports them as findings. Validation never panics.

use super::nsg::{AddressPrefix, PortRange};
use super::{Design, SignIn, BASTION_SUBNET, GATEWAY_SUBNET};
use crate::model::ids::{ResourceKind, Scope};
use crate::model::Collection;
use std::collections::BTreeSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// The engine's Fx hasher (a word at a time): validation hashes tens of thousands of names
/// per edit, and the default SipHash (built for untrusted keys) costs several times more,
/// most of all in wasm. Sets and maps here are only probed, never iterated, so the hasher
/// changes no output.
type Fx = crate::engine::fx::FxHasher;

type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<Fx>>;
type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;

/// A path prefix like `vms[12]`, written only when an error message needs it.
#[derive(Clone, Copy)]
struct At(&'static str, usize);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// A nested path prefix like `vnets[3].subnets[1]`, also written only for an error: an
/// estate has thousands of subnets and rules, and a valid one needs none of their paths.
#[derive(Clone, Copy)]
struct Within(At, &'static str, usize);

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}[{}]", self.0, self.1, self.2)
    }
}

/// A NIC's name without allocating it: its own, or the VM's name and `-nic` (what
/// `Vm::nic_name` returns), hashed and compared as that one string. An estate has tens of
/// thousands of VMs whose NIC takes the default name.
struct NicName<'a> {
    base: &'a str,
    default_suffix: bool,
}

impl<'a> NicName<'a> {
    fn of(vm: &'a super::Vm) -> NicName<'a> {
        match vm.nic.name.as_str() {
            "" => NicName { base: &vm.name, default_suffix: true },
            own => NicName { base: own, default_suffix: false },
        }
    }
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let suffix: &[u8] = if self.default_suffix { b"-nic" } else { b"" };
        self.base.bytes().chain(suffix.iter().copied())
    }
}

impl PartialEq for NicName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for NicName<'_> {}

impl std::hash::Hash for NicName<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Equal names must hash alike however they are split: hash the name without a
        // trailing `-nic` (a VM `a` with the default name and a NIC named `a-nic` both
        // hash as `a`).
        let stem = if self.default_suffix { self.base } else { self.base.strip_suffix("-nic").unwrap_or(self.base) };
        stem.hash(state);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// JSON path of the field, like `vnets[1].subnets[0].prefix` (empty for the whole file).
    pub path: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(path: &str, message: impl Into<String>) -> ValidationError {
        ValidationError { path: path.to_string(), message: message.into() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

/// Every problem of the design, in file order. Empty means valid.
pub fn validate(design: &Design) -> Vec<ValidationError> {
    let mut v = Validator { errors: Vec::new(), changed: None };
    v.run(design);
    v.errors
}

/// The problems a change to the `changed` collections can have brought into a design that
/// was valid before it: the same list `validate` gives for such a design, without the costly
/// checks that read only unchanged collections (an estate's 20,000 VMs and 10,000 role
/// assignments are not checked again when a peering is deleted). A changed subnet counts as
/// its VNet (`Collection::Vnets`), as `edit::Changes` records it; the cheap checks, the
/// price table's among them, always run. The editor validates each step this way; on a
/// design not known to be valid, use `validate`.
pub fn validate_changed(design: &Design, changed: &BTreeSet<Collection>) -> Vec<ValidationError> {
    let mut v = Validator { errors: Vec::new(), changed: Some(changed) };
    v.run(design);
    v.errors
}

struct Validator<'c> {
    errors: Vec<ValidationError>,
    /// The collections a costly check must read one of to run (`None`: every check runs).
    changed: Option<&'c BTreeSet<Collection>>,
}

impl Validator<'_> {
    fn err(&mut self, path: String, message: impl Into<String>) {
        self.errors.push(ValidationError { path, message: message.into() });
    }

    /// Checks that names are non-empty and unique; returns the set of names.
    fn names<'a>(&mut self, kind: &str, field: &str, names: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen = HashSet::with_capacity_and_hasher(names.size_hint().0, Default::default());
        for (idx, name) in names.enumerate() {
            let path = || format!("{field}[{idx}].name");
            if name.trim().is_empty() {
                self.err(path(), format!("a {kind} needs a name"));
            } else if !seen.insert(name) {
                self.err(path(), format!("duplicate name: another {kind} is already called '{name}'"));
            }
        }
        seen
    }

    /// `path` is built only for an error: an estate has tens of thousands of references.
    fn reference(&mut self, set: &HashSet<&str>, kind: &str, name: &str, path: &dyn Fn() -> String) {
        if !set.contains(name) {
            self.err(path(), format!("unknown id: there is no {kind} called '{name}'"));
        }
    }

    fn run(&mut self, d: &Design) {
        use Collection::*;
        // The checks that cost in an estate, each run only when a part it reads changed
        // (the others take microseconds and always run). A check reads the subscriptions
        // when it checks a subscription id.
        let changed = self.changed;
        let reads = |parts: &[Collection]| changed.is_none_or(|it| parts.iter().any(|part| it.contains(part)));
        let check_vnets = reads(&[Vnets, Subscriptions, Nsgs, RouteTables]);
        let check_nsgs = reads(&[Nsgs, Subscriptions]);
        let check_vms = reads(&[Vms, Vnets, Nsgs, PublicIps, Bastions, KeyVaults, Subscriptions]);
        let check_roles = reads(&[
            RoleAssignments,
            Users,
            Groups,
            ManagementGroups,
            Subscriptions,
            Vnets,
            Bastions,
            Vms,
            Nsgs,
            PublicIps,
            RouteTables,
            KeyVaults,
            Workspaces,
            VirtualWans,
            VirtualHubs,
            Gateways,
        ]);
        // Subscription ids compare without case, as ARM compares them: "SUB-A" refers to a
        // declared "sub-a", and two declared ids that differ only in case are one id twice.
        let mut subs: HashSet<String> = HashSet::with_capacity_and_hasher(d.subscriptions.len(), Default::default());
        for (idx, sub) in d.subscriptions.iter().enumerate() {
            if sub.id.trim().is_empty() {
                self.err(format!("subscriptions[{idx}].id"), "a subscription needs an id");
            } else if !subs.insert(sub.id.to_ascii_lowercase()) {
                self.err(
                    format!("subscriptions[{idx}].id"),
                    format!("duplicate id: another subscription is already '{}' (ids compare without case)", sub.id),
                );
            }
        }
        let check_sub = |v: &mut Validator, sub: &str, path: &dyn Fn() -> String| {
            if sub.trim().is_empty() {
                v.err(path(), "a subscription id is required");
            } else if !d.subscriptions.is_empty() && !subs.contains(sub) && !subs.contains(&sub.to_ascii_lowercase()) {
                v.err(
                    path(),
                    format!("unknown id: there is no subscription '{sub}' (declare it under \"subscriptions\")"),
                );
            }
        };
        let check_rg = |v: &mut Validator, rg: &str, path: &dyn Fn() -> String| {
            if rg.trim().is_empty() {
                v.err(path(), "a resource group name is required");
            }
        };
        let mgs =
            self.names("management group", "management_groups", d.management_groups.iter().map(|it| it.name.as_str()));
        for (idx, mg) in d.management_groups.iter().enumerate() {
            for (j, sub) in mg.subscriptions.iter().enumerate() {
                check_sub(self, sub, &|| format!("management_groups[{idx}].subscriptions[{j}]"));
            }
        }
        let vnets = self.names("VNet", "vnets", d.vnets.iter().map(|it| it.name.as_str()));
        let nsgs = self.names("NSG", "nsgs", d.nsgs.iter().map(|it| it.name.as_str()));
        let route_tables = self.names("route table", "route_tables", d.route_tables.iter().map(|it| it.name.as_str()));
        let public_ips = self.names("public IP", "public_ips", d.public_ips.iter().map(|it| it.name.as_str()));
        let bastions = self.names("Bastion host", "bastions", d.bastions.iter().map(|it| it.name.as_str()));
        let vms = if check_vms || check_roles {
            self.names("VM", "vms", d.vms.iter().map(|it| it.name.as_str()))
        } else {
            HashSet::default()
        };
        let wans = self.names("Virtual WAN", "virtual_wans", d.virtual_wans.iter().map(|it| it.name.as_str()));
        let hubs = self.names("virtual hub", "virtual_hubs", d.virtual_hubs.iter().map(|it| it.name.as_str()));
        self.names("hub connection", "hub_connections", d.hub_connections.iter().map(|it| it.name.as_str()));
        let gateways = self.names("gateway", "gateways", d.gateways.iter().map(|it| it.name.as_str()));
        let sites = self.names("on-premises site", "onprem_sites", d.onprem_sites.iter().map(|it| it.name.as_str()));
        self.names("site connection", "site_connections", d.site_connections.iter().map(|it| it.name.as_str()));
        self.names("on-premises machine", "onprem_machines", d.onprem_machines.iter().map(|it| it.name.as_str()));
        let vaults = self.names("Key Vault", "key_vaults", d.key_vaults.iter().map(|it| it.name.as_str()));
        let workspaces =
            self.names("Log Analytics workspace", "log_workspaces", d.log_workspaces.iter().map(|it| it.name.as_str()));
        let users = self.names("user", "users", d.users.iter().map(|it| it.name.as_str()));
        let groups = self.names("group", "groups", d.groups.iter().map(|it| it.name.as_str()));
        for (idx, group) in d.groups.iter().enumerate() {
            if users.contains(group.name.as_str()) {
                self.err(
                    format!("groups[{idx}].name"),
                    format!("'{}' is both a user and a group: principal names must be unique", group.name),
                );
            }
            for (j, member) in group.members.iter().enumerate() {
                if groups.contains(member.as_str()) && !users.contains(member.as_str()) {
                    self.err(
                        format!("groups[{idx}].members[{j}]"),
                        format!("'{member}' is a group: groups hold users only (no nesting)"),
                    );
                } else {
                    self.reference(&users, "user", member, &|| format!("groups[{idx}].members[{j}]"));
                }
            }
        }

        // VNets and subnets.
        for (idx, vnet) in d.vnets.iter().enumerate().filter(|_| check_vnets) {
            let at = At("vnets", idx);
            check_sub(self, &vnet.subscription, &|| format!("{at}.subscription"));
            check_rg(self, &vnet.resource_group, &|| format!("{at}.resource_group"));
            if vnet.region.trim().is_empty() {
                self.err(format!("{at}.region"), "a VNet needs a region");
            }
            if vnet.address_prefixes.is_empty() {
                self.err(format!("{at}.address_prefixes"), "a VNet needs at least one address prefix");
            }
            for (j, prefix) in vnet.address_prefixes.iter().enumerate() {
                if prefix.has_host_bits() {
                    self.err(
                        format!("{at}.address_prefixes[{j}]"),
                        format!(
                            "bad CIDR {prefix}: host bits are set (did you mean {}/{}?)",
                            super::Ipv4(prefix.network()),
                            prefix.len
                        ),
                    );
                }
                for (k, other) in vnet.address_prefixes.iter().enumerate().take(j) {
                    if prefix.overlaps(other) {
                        self.err(
                            format!("{at}.address_prefixes[{j}]"),
                            format!("{prefix} overlaps {other} (address_prefixes[{k}])"),
                        );
                    }
                }
            }
            let mut subnet_names = HashSet::with_capacity_and_hasher(vnet.subnets.len(), Default::default());
            for (j, subnet) in vnet.subnets.iter().enumerate() {
                let sat = Within(at, "subnets", j);
                if subnet.name.trim().is_empty() {
                    self.err(format!("{sat}.name"), "a subnet needs a name");
                } else if !subnet_names.insert(subnet.name.as_str()) {
                    self.err(
                        format!("{sat}.name"),
                        format!("duplicate name: VNet '{}' already has a subnet called '{}'", vnet.name, subnet.name),
                    );
                }
                if subnet.prefix.has_host_bits() {
                    self.err(format!("{sat}.prefix"), format!("bad CIDR {}: host bits are set", subnet.prefix));
                }
                if !vnet.address_prefixes.iter().any(|p| p.contains(&subnet.prefix)) {
                    let space: Vec<String> = vnet.address_prefixes.iter().map(|p| p.to_string()).collect();
                    self.err(
                        format!("{sat}.prefix"),
                        format!("subnet {} is outside its VNet '{}' ({})", subnet.prefix, vnet.name, space.join(", ")),
                    );
                }
                if subnet.prefix.len > 29 {
                    self.err(
                        format!("{sat}.prefix"),
                        format!("subnet {} is too small: Azure's smallest subnet is /29", subnet.prefix),
                    );
                }
                for (k, other) in vnet.subnets.iter().enumerate().take(j) {
                    if subnet.prefix.overlaps(&other.prefix) {
                        self.err(
                            format!("{sat}.prefix"),
                            format!("subnet {} overlaps subnet '{}' ({})", subnet.prefix, other.name, other.prefix),
                        );
                        let _ = k;
                    }
                }
                if let Some(nsg) = &subnet.nsg {
                    if subnet.name == GATEWAY_SUBNET {
                        self.err(format!("{sat}.nsg"), "Azure does not support an NSG on GatewaySubnet");
                    }
                    self.reference(&nsgs, "NSG", nsg, &|| format!("{sat}.nsg"));
                }
                if let Some(rt) = &subnet.route_table {
                    self.reference(&route_tables, "route table", rt, &|| format!("{sat}.route_table"));
                }
            }
        }
        // Address spaces of peered VNets must not overlap (Azure refuses the peering).
        // With each VNet its position: the VMs' addresses are keyed by it (a number is
        // cheaper to hash than the VNet's name, 20,000 times per edit in an estate).
        let mut vnet_at: HashMap<&str, (usize, &super::Vnet)> =
            HashMap::with_capacity_and_hasher(d.vnets.len(), Default::default());
        vnet_at.extend(d.vnets.iter().enumerate().map(|(v, it)| (it.name.as_str(), (v, it))));
        let vnet_by_name = |name: &str| vnet_at.get(name).map(|&(_, vnet)| vnet);
        let mut pairs = HashSet::with_capacity_and_hasher(d.peerings.len(), Default::default());
        for (idx, link) in d.peerings.iter().enumerate() {
            let at = At("peerings", idx);
            if link.name.trim().is_empty() {
                self.err(format!("{at}.name"), "a peering link needs a name");
            }
            self.reference(&vnets, "VNet", &link.from, &|| format!("{at}.from"));
            self.reference(&vnets, "VNet", &link.to, &|| format!("{at}.to"));
            if link.from == link.to {
                self.err(format!("{at}.to"), "a VNet cannot be peered with itself");
            }
            if !pairs.insert((link.from.as_str(), link.to.as_str())) {
                self.err(format!("{at}"), format!("duplicate peering link from '{}' to '{}'", link.from, link.to));
            }
            if let (Some(a), Some(b)) = (vnet_by_name(&link.from), vnet_by_name(&link.to)) {
                for pa in &a.address_prefixes {
                    for pb in &b.address_prefixes {
                        if pa.overlaps(pb) && link.from != link.to {
                            self.err(format!("{at}.to"), format!("VNets '{}' ({pa}) and '{}' ({pb}) have overlapping address spaces and cannot be peered", a.name, b.name));
                        }
                    }
                }
            }
        }
        for (idx, gone) in d.deleted_peerings.iter().enumerate() {
            self.reference(&vnets, "VNet", &gone.from, &|| format!("deleted_peerings[{idx}].from"));
            self.reference(&vnets, "VNet", &gone.to, &|| format!("deleted_peerings[{idx}].to"));
            if pairs.contains(&(gone.from.as_str(), gone.to.as_str())) {
                self.err(
                    format!("deleted_peerings[{idx}]"),
                    format!("the link from '{}' to '{}' is listed both as present and as deleted", gone.from, gone.to),
                );
            }
        }

        // NSGs and their rules.
        for (idx, nsg) in d.nsgs.iter().enumerate().filter(|_| check_nsgs) {
            let at = At("nsgs", idx);
            check_sub(self, &nsg.subscription, &|| format!("{at}.subscription"));
            check_rg(self, &nsg.resource_group, &|| format!("{at}.resource_group"));
            let mut rule_names = HashSet::with_capacity_and_hasher(nsg.rules.len(), Default::default());
            let mut priorities = HashMap::with_capacity_and_hasher(nsg.rules.len(), Default::default());
            for (j, rule) in nsg.rules.iter().enumerate() {
                let rat = Within(at, "rules", j);
                if rule.name.trim().is_empty() {
                    self.err(format!("{rat}.name"), "a security rule needs a name");
                } else if !rule_names.insert(rule.name.as_str()) {
                    self.err(
                        format!("{rat}.name"),
                        format!("duplicate name: NSG '{}' already has a rule called '{}'", nsg.name, rule.name),
                    );
                }
                if !(100..=4096).contains(&rule.priority) {
                    self.err(
                        format!("{rat}.priority"),
                        format!("NSG priority out of range: {} (custom rules use 100 to 4096)", rule.priority),
                    );
                } else if let Some(other) = priorities.insert((rule.direction, rule.priority), rule.name.as_str()) {
                    self.err(
                        format!("{rat}.priority"),
                        format!("priority {} is already used by rule '{other}' in the same direction", rule.priority),
                    );
                }
                for (field, list) in [("sources", &rule.sources), ("destinations", &rule.destinations)] {
                    if list.is_empty() {
                        self.err(
                            format!("{rat}.{field}"),
                            format!("{field} must name at least one prefix, tag or '*'"),
                        );
                    }
                    for (k, text) in list.iter().enumerate() {
                        if let Err(message) = AddressPrefix::parse(text) {
                            self.err(format!("{rat}.{field}[{k}]"), message);
                        }
                    }
                }
                if rule.destination_ports.is_empty() {
                    self.err(
                        format!("{rat}.destination_ports"),
                        "destination_ports must name at least one port, range or '*'",
                    );
                }
                for (k, text) in rule.destination_ports.iter().enumerate() {
                    if let Err(message) = PortRange::parse(text) {
                        self.err(format!("{rat}.destination_ports[{k}]"), message);
                    }
                }
            }
        }
        for (idx, rt) in d.route_tables.iter().enumerate() {
            check_sub(self, &rt.subscription, &|| format!("route_tables[{idx}].subscription"));
            check_rg(self, &rt.resource_group, &|| format!("route_tables[{idx}].resource_group"));
            for (j, route) in rt.routes.iter().enumerate() {
                if route.prefix.has_host_bits() {
                    self.err(
                        format!("route_tables[{idx}].routes[{j}].prefix"),
                        format!("bad CIDR {}: host bits are set", route.prefix),
                    );
                }
            }
        }
        for (idx, pip) in d.public_ips.iter().enumerate() {
            check_sub(self, &pip.subscription, &|| format!("public_ips[{idx}].subscription"));
            check_rg(self, &pip.resource_group, &|| format!("public_ips[{idx}].resource_group"));
        }

        // Bastion hosts.
        let mut bastion_vnets: HashMap<&str, &str> = HashMap::default();
        let mut used_pips: HashMap<&str, String> = HashMap::default();
        for (idx, bastion) in d.bastions.iter().enumerate() {
            let at = At("bastions", idx);
            match (&bastion.vnet, &bastion.virtual_hub) {
                (vnet, None) if vnet.is_empty() => {
                    self.err(format!("{at}.vnet"), "a Bastion host needs the VNet it is deployed into")
                }
                (vnet, Some(hub)) => {
                    self.reference(&hubs, "virtual hub", hub, &|| format!("{at}.virtual_hub"));
                    if !vnet.is_empty() {
                        self.reference(&vnets, "VNet", vnet, &|| format!("{at}.vnet"));
                    }
                }
                (vnet, None) => {
                    self.reference(&vnets, "VNet", vnet, &|| format!("{at}.vnet"));
                    if let Some(other) = bastion_vnets.insert(vnet.as_str(), bastion.name.as_str()) {
                        self.err(
                            format!("{at}.vnet"),
                            format!("VNet '{vnet}' already has Bastion '{other}': a VNet holds one Bastion host"),
                        );
                    }
                }
            }
            if !(2..=50).contains(&bastion.scale_units) {
                self.err(
                    format!("{at}.scale_units"),
                    format!("scale units must be from 2 to 50, not {}", bastion.scale_units),
                );
            }
            if let Some(pip) = &bastion.public_ip {
                self.reference(&public_ips, "public IP", pip, &|| format!("{at}.public_ip"));
                if let Some(first) = used_pips.insert(pip.as_str(), bastion.name.clone()) {
                    self.err(
                        format!("{at}.public_ip"),
                        format!("public IP '{pip}' is already used by Bastion '{first}'"),
                    );
                }
            }
            if let Some(ws) = &bastion.diagnostics_workspace {
                self.reference(&workspaces, "Log Analytics workspace", ws, &|| format!("{at}.diagnostics_workspace"));
            }
            if bastion.outbound_data_gb < 0.0 || !bastion.outbound_data_gb.is_finite() {
                self.err(format!("{at}.outbound_data_gb"), "outbound data must be a number of GB, zero or more");
            }
            if let Some(rg) = &bastion.resource_group {
                check_rg(self, rg, &|| format!("{at}.resource_group"));
            }
        }

        // VMs.
        let size = |needed: bool| if needed { d.vms.len() } else { 0 };
        let mut ips: HashMap<u64, &str> = HashMap::with_capacity_and_hasher(size(check_vms), Default::default());
        let mut nic_names: HashSet<NicName> =
            HashSet::with_capacity_and_hasher(size(check_vms || check_roles), Default::default());
        for (idx, vm) in d.vms.iter().enumerate().filter(|_| check_vms) {
            let at = At("vms", idx);
            check_sub(self, &vm.subscription, &|| format!("{at}.subscription"));
            check_rg(self, &vm.resource_group, &|| format!("{at}.resource_group"));
            let nic = &vm.nic;
            if !nic_names.insert(NicName::of(vm)) {
                self.err(
                    format!("{at}.nic.name"),
                    format!("duplicate name: another NIC is already called '{}'", vm.nic_name()),
                );
            }
            match vnet_at.get(nic.vnet.as_str()).copied() {
                None => {
                    self.err(format!("{at}.nic.vnet"), format!("unknown id: there is no VNet called '{}'", nic.vnet))
                }
                Some((v, vnet)) => match vnet.subnet(&nic.subnet) {
                    None => self.err(
                        format!("{at}.nic.subnet"),
                        format!("unknown id: VNet '{}' has no subnet called '{}'", vnet.name, nic.subnet),
                    ),
                    Some(subnet) => {
                        let ip = nic.private_ip;
                        if !subnet.prefix.contains_ip(ip) {
                            self.err(
                                format!("{at}.nic.private_ip"),
                                format!("{ip} is outside subnet '{}' ({})", subnet.name, subnet.prefix),
                            );
                        } else {
                            let offset = ip.0 - subnet.prefix.network();
                            if offset < 4 || ip.0 == subnet.prefix.last() {
                                self.err(format!("{at}.nic.private_ip"), format!("{ip} is reserved by Azure (the first four and the last address of {} are not assignable)", subnet.prefix));
                            }
                        }
                        if let Some(other) = ips.insert((v as u64) << 32 | u64::from(ip.0), vm.name.as_str()) {
                            self.err(
                                format!("{at}.nic.private_ip"),
                                format!("{ip} is already used by VM '{other}' in VNet '{}'", vnet.name),
                            );
                        }
                    }
                },
            }
            if let Some(nsg) = &nic.nsg {
                self.reference(&nsgs, "NSG", nsg, &|| format!("{at}.nic.nsg"));
            }
            if let Some(pip) = &nic.public_ip {
                self.reference(&public_ips, "public IP", pip, &|| format!("{at}.nic.public_ip"));
                if let Some(first) = used_pips.insert(pip.as_str(), vm.name.clone()) {
                    self.err(format!("{at}.nic.public_ip"), format!("public IP '{pip}' is already used by '{first}'"));
                }
            }
            if let SignIn::SshKeyInKeyVault { vault } = &vm.sign_in {
                self.reference(&vaults, "Key Vault", vault, &|| format!("{at}.sign_in.vault"));
            }
            if vm.port == Some(0) {
                self.err(format!("{at}.port"), "port 0 is not a valid service port");
            }
        }

        // Virtual WAN, gateways, on-premises.
        for (idx, wan) in d.virtual_wans.iter().enumerate() {
            check_sub(self, &wan.subscription, &|| format!("virtual_wans[{idx}].subscription"));
            check_rg(self, &wan.resource_group, &|| format!("virtual_wans[{idx}].resource_group"));
        }
        for (idx, hub) in d.virtual_hubs.iter().enumerate() {
            self.reference(&wans, "Virtual WAN", &hub.virtual_wan, &|| format!("virtual_hubs[{idx}].virtual_wan"));
        }
        let mut connected = HashMap::default();
        for (idx, conn) in d.hub_connections.iter().enumerate() {
            self.reference(&vnets, "VNet", &conn.vnet, &|| format!("hub_connections[{idx}].vnet"));
            self.reference(&hubs, "virtual hub", &conn.hub, &|| format!("hub_connections[{idx}].hub"));
            if let Some(other) = connected.insert(conn.vnet.as_str(), conn.hub.as_str()) {
                self.err(
                    format!("hub_connections[{idx}].vnet"),
                    format!("VNet '{}' is already connected to hub '{other}': a VNet connects to one hub", conn.vnet),
                );
            }
        }
        for (idx, gw) in d.gateways.iter().enumerate() {
            let at = At("gateways", idx);
            match (&gw.vnet, &gw.hub) {
                (Some(vnet), None) => {
                    self.reference(&vnets, "VNet", vnet, &|| format!("{at}.vnet"));
                    if let Some(v) = vnet_by_name(vnet) {
                        if v.subnet(GATEWAY_SUBNET).is_none() {
                            self.err(
                                format!("{at}.vnet"),
                                format!("VNet '{vnet}' has no GatewaySubnet: a VPN or ExpressRoute gateway needs one"),
                            );
                        }
                    }
                }
                (None, Some(hub)) => self.reference(&hubs, "virtual hub", hub, &|| format!("{at}.hub")),
                _ => self.err(
                    format!("{at}"),
                    "a gateway sits either in a VNet (\"vnet\") or in a virtual hub (\"hub\"), exactly one",
                ),
            }
        }
        for (idx, site) in d.onprem_sites.iter().enumerate() {
            if site.address_prefixes.is_empty() {
                self.err(
                    format!("onprem_sites[{idx}].address_prefixes"),
                    "an on-premises site needs at least one address prefix",
                );
            }
        }
        for (idx, conn) in d.site_connections.iter().enumerate() {
            self.reference(&gateways, "gateway", &conn.gateway, &|| format!("site_connections[{idx}].gateway"));
            self.reference(&sites, "on-premises site", &conn.site, &|| format!("site_connections[{idx}].site"));
        }
        for (idx, machine) in d.onprem_machines.iter().enumerate() {
            let at = At("onprem_machines", idx);
            match d.onprem_sites.iter().find(|s| s.name == machine.site) {
                None => self.err(
                    format!("{at}.site"),
                    format!("unknown id: there is no on-premises site called '{}'", machine.site),
                ),
                Some(site) => {
                    if !site.address_prefixes.iter().any(|p| p.contains_ip(machine.ip)) {
                        self.err(
                            format!("{at}.ip"),
                            format!("{} is outside the address prefixes of site '{}'", machine.ip, site.name),
                        );
                    }
                }
            }
        }
        for (idx, vault) in d.key_vaults.iter().enumerate() {
            check_sub(self, &vault.subscription, &|| format!("key_vaults[{idx}].subscription"));
            check_rg(self, &vault.resource_group, &|| format!("key_vaults[{idx}].resource_group"));
            for (j, policy) in vault.access_policies.iter().enumerate() {
                if !users.contains(policy.principal.as_str()) && !groups.contains(policy.principal.as_str()) {
                    self.err(
                        format!("key_vaults[{idx}].access_policies[{j}].principal"),
                        format!("unknown id: there is no user or group called '{}'", policy.principal),
                    );
                }
            }
        }
        for (idx, ws) in d.log_workspaces.iter().enumerate() {
            check_sub(self, &ws.subscription, &|| format!("log_workspaces[{idx}].subscription"));
            check_rg(self, &ws.resource_group, &|| format!("log_workspaces[{idx}].resource_group"));
        }

        if check_roles && !check_vms {
            // The NICs' names, for scopes that name a NIC (the VM checks collect them).
            nic_names.extend(d.vms.iter().map(NicName::of));
        }
        // Role assignments (sets, not scans: an estate has 20,000 VMs and 10,000 assignments).
        // Most designs have no scale set: then the VM names are the set built above.
        let (split, no_scale_sets);
        let (vm_names, scale_sets) = if d.vms.iter().any(|vm| vm.scale_set) {
            let of = |scale_set: bool| -> HashSet<&str> {
                d.vms.iter().filter(|vm| vm.scale_set == scale_set).map(|vm| vm.name.as_str()).collect()
            };
            split = (of(false), of(true));
            (&split.0, &split.1)
        } else {
            no_scale_sets = HashSet::default();
            (&vms, &no_scale_sets)
        };
        let resource_exists = |kind: ResourceKind, name: &str| -> bool {
            match kind {
                ResourceKind::VirtualNetwork => vnets.contains(name),
                ResourceKind::BastionHost => bastions.contains(name),
                ResourceKind::VirtualMachine => vm_names.contains(name),
                ResourceKind::VirtualMachineScaleSet => scale_sets.contains(name),
                ResourceKind::NetworkInterface => nic_names.contains(&NicName { base: name, default_suffix: false }),
                ResourceKind::NetworkSecurityGroup => nsgs.contains(name),
                ResourceKind::PublicIpAddress => public_ips.contains(name),
                ResourceKind::RouteTable => route_tables.contains(name),
                ResourceKind::KeyVault => vaults.contains(name),
                ResourceKind::Workspace => workspaces.contains(name),
                ResourceKind::VirtualWan => wans.contains(name),
                ResourceKind::VirtualHub => hubs.contains(name),
                ResourceKind::VirtualNetworkGateway => gateways.contains(name),
            }
        };
        for (idx, assignment) in d.role_assignments.iter().enumerate().filter(|_| check_roles) {
            let at = At("role_assignments", idx);
            if !users.contains(assignment.principal.as_str()) && !groups.contains(assignment.principal.as_str()) {
                self.err(
                    format!("{at}.principal"),
                    format!("unknown id: there is no user or group called '{}'", assignment.principal),
                );
            }
            // ARM ids are case-insensitive (as `Scope::contains` reads them): a scope that
            // names a design id in another case is that id. Checked only after an exact miss.
            match Scope::parse(&assignment.scope) {
                Err(message) => self.err(format!("{at}.scope"), message),
                Ok(Scope::ManagementGroup(name))
                    if !mgs.contains(name.as_str())
                        && !d.management_groups.iter().any(|m| m.name.eq_ignore_ascii_case(&name)) =>
                {
                    self.err(format!("{at}.scope"), format!("unknown id: there is no management group called '{name}'"))
                }
                Ok(Scope::Subscription(sub)) | Ok(Scope::ResourceGroup { subscription: sub, .. }) => {
                    if !d.subscriptions.iter().any(|s| s.id.eq_ignore_ascii_case(&sub)) {
                        check_sub(self, &sub, &|| format!("{at}.scope"));
                    }
                }
                Ok(Scope::Resource(it)) => {
                    if !resource_exists(it.kind, &it.name) && !resource_exists_in_any_case(d, it.kind, &it.name) {
                        self.err(
                            format!("{at}.scope"),
                            format!(
                                "unknown id: the scope names {} '{}', which is not in the design",
                                it.kind.arm_type(),
                                it.name
                            ),
                        );
                    }
                }
                Ok(_) => (),
            }
        }
        if let Some(prices) = &d.prices {
            let all = [
                prices.basic_per_hour,
                prices.standard_per_hour,
                prices.premium_per_hour,
                prices.standard_extra_instance_per_hour,
                prices.premium_extra_instance_per_hour,
                prices.outbound_per_gb,
                prices.free_outbound_gb,
            ];
            if all.iter().any(|p| !p.is_finite() || *p < 0.0) {
                self.err("prices".to_string(), "prices must be numbers, zero or more");
            }
        }
        let _ = BASTION_SUBNET;
    }
}

/// Whether the design holds a resource of `kind` named `name` in another case (ARM ids
/// are case-insensitive); the slow path of a scope whose exact name is not in the design.
pub(crate) fn resource_exists_in_any_case(d: &Design, kind: ResourceKind, name: &str) -> bool {
    let eq = |other: &str| other.eq_ignore_ascii_case(name);
    match kind {
        ResourceKind::VirtualNetwork => d.vnets.iter().any(|it| eq(&it.name)),
        ResourceKind::BastionHost => d.bastions.iter().any(|it| eq(&it.name)),
        ResourceKind::VirtualMachine => d.vms.iter().any(|it| !it.scale_set && eq(&it.name)),
        ResourceKind::VirtualMachineScaleSet => d.vms.iter().any(|it| it.scale_set && eq(&it.name)),
        ResourceKind::NetworkInterface => d.vms.iter().any(|it| eq(&it.nic_name())),
        ResourceKind::NetworkSecurityGroup => d.nsgs.iter().any(|it| eq(&it.name)),
        ResourceKind::PublicIpAddress => d.public_ips.iter().any(|it| eq(&it.name)),
        ResourceKind::RouteTable => d.route_tables.iter().any(|it| eq(&it.name)),
        ResourceKind::KeyVault => d.key_vaults.iter().any(|it| eq(&it.name)),
        ResourceKind::Workspace => d.log_workspaces.iter().any(|it| eq(&it.name)),
        ResourceKind::VirtualWan => d.virtual_wans.iter().any(|it| eq(&it.name)),
        ResourceKind::VirtualHub => d.virtual_hubs.iter().any(|it| eq(&it.name)),
        ResourceKind::VirtualNetworkGateway => d.gateways.iter().any(|it| eq(&it.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios;

    fn hub_spoke() -> Design {
        scenarios::by_name("hub-spoke").map(|it| (it.build)()).unwrap_or_default()
    }

    fn messages(design: &Design) -> Vec<String> {
        validate(design).iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_nic_named_like_another_vms_default_nic_is_a_duplicate() {
        let mut design = hub_spoke();
        assert!(design.vms.len() >= 2 && validate(&design).is_empty());
        let first = design.vms[0].name.clone();
        design.vms[1].nic.name = format!("{first}-nic");
        let errors = messages(&design);
        assert_eq!(
            errors,
            vec![format!("at vms[1].nic.name: duplicate name: another NIC is already called '{first}-nic'")]
        );
        // A NIC called like the VM itself (without `-nic`) is no duplicate.
        design.vms[1].nic.name = first;
        assert!(validate(&design).is_empty());
    }

    #[test]
    fn a_role_on_a_default_named_nic_finds_it() {
        let mut design = hub_spoke();
        let vm = &design.vms[0];
        let scope = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/networkInterfaces/{}-nic",
            vm.subscription, vm.resource_group, vm.name
        );
        let mut assignment = design.role_assignments[0].clone();
        assignment.scope = scope.clone();
        design.role_assignments.push(assignment);
        assert!(validate(&design).is_empty(), "{:?}", messages(&design));
        if let Some(it) = design.role_assignments.last_mut() {
            it.scope = scope.replace("-nic", "-nic2");
        }
        assert_eq!(messages(&design).len(), 1, "{:?}", messages(&design));
    }

    #[test]
    fn an_address_is_unique_within_its_vnet_only() {
        let mut design = hub_spoke();
        let (a, b) = (0..design.vms.len())
            .flat_map(|a| (0..design.vms.len()).map(move |b| (a, b)))
            .find(|&(a, b)| {
                a != b
                    && design.vms[a].nic.vnet == design.vms[b].nic.vnet
                    && design.vms[a].nic.subnet == design.vms[b].nic.subnet
            })
            .unwrap_or((0, 0));
        assert_ne!(a, b, "hub-spoke has two VMs in one subnet");
        design.vms[b].nic.private_ip = design.vms[a].nic.private_ip;
        let errors = messages(&design);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with(&format!("at vms[{}].nic.private_ip: ", a.max(b))), "{errors:?}");
    }

    #[test]
    fn a_change_is_checked_by_the_checks_that_read_what_changed() {
        let mut design = hub_spoke();
        let twin = (1..design.vms.len()).find(|&b| design.vms[b].nic.subnet == design.vms[0].nic.subnet);
        let twin = twin.expect("hub-spoke has two VMs in one subnet");
        design.vms[twin].nic.private_ip = design.vms[0].nic.private_ip;
        let full = validate(&design);
        assert_eq!(full.len(), 1, "{full:?}");
        // The VMs' checks read the VMs, their VNets, NSGs, public IPs, Bastions and vaults.
        use Collection::*;
        for part in [Vms, Vnets, Nsgs, PublicIps, Bastions, KeyVaults] {
            assert_eq!(validate_changed(&design, &BTreeSet::from([part])), full, "{part:?}");
        }
        // A change to the peerings alone cannot have made a VM's address clash: not checked.
        assert!(validate_changed(&design, &BTreeSet::from([Peerings])).is_empty());
    }

    #[test]
    fn errors_in_subnets_and_rules_name_their_nested_path() {
        let mut design = hub_spoke();
        design.vnets[0].subnets[1].name = String::new();
        let n = design.nsgs.iter().position(|it| it.rules.len() >= 2).unwrap_or(0);
        design.nsgs[n].rules[1].priority = 5000;
        let errors = messages(&design);
        assert!(errors.iter().any(|e| e == "at vnets[0].subnets[1].name: a subnet needs a name"), "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("at nsgs[{n}].rules[1].priority: NSG priority out of range: 5000"))),
            "{errors:?}"
        );
    }
}
