//! Lookup tables the engine builds from a design on every analysis: names to indexes,
//! where each VM and Bastion sits, peering links by VNet pair, and each NSG's rules parsed
//! on first use (an analysis evaluates only the NSGs some pair or check meets).
//!
//! Built once per `analyze`, never stored in the model. A reference to a resource that
//! does not exist (only possible in an unvalidated design) resolves to `None`, so the
//! engine degrades instead of panicking.

use super::fx::{Fx, FxMap, FxSet};
use crate::model::nsg::{AddressPrefix, PortRange};
use crate::model::{Cidr, Design, Direction, Ipv4, Os, PeeringState, SignIn, BASTION_SUBNET};
use std::sync::{Arc, Mutex, OnceLock};

/// An NSG rule with its addresses and ports parsed (unparsable entries are dropped), as
/// ranges of its NSG's lists (`NsgRules::sources` and the like): three lists per rule
/// were most of the cost of parsing 10³ NSGs.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRule {
    /// Index of the rule in `nsg.rules`.
    pub rule: usize,
    sources: (u32, u32),
    destinations: (u32, u32),
    ports: (u32, u32),
}

/// One NSG's rules, parsed: what `nsg_eval` walks and what the reach memo keys on.
#[derive(Clone, Debug, Default)]
pub struct NsgRules {
    /// Sorted by priority.
    pub rules: Vec<ParsedRule>,
    /// Every rule's source and destination prefixes, one rule's after another's.
    addresses: Vec<AddressPrefix>,
    /// Every rule's destination port ranges.
    ports: Vec<PortRange>,
    /// Per direction (inbound, outbound): the destination prefixes of each rule that names
    /// any, in evaluation order; None when more than 64 rules do (too many to key on).
    pub dest_prefixes: [Option<Vec<Vec<Cidr>>>; 2],
}

impl NsgRules {
    /// The rule's source prefixes.
    pub fn sources(&self, rule: &ParsedRule) -> &[AddressPrefix] {
        self.addresses.get(rule.sources.0 as usize..rule.sources.1 as usize).unwrap_or(&[])
    }

    /// The rule's destination prefixes.
    pub fn destinations(&self, rule: &ParsedRule) -> &[AddressPrefix] {
        self.addresses.get(rule.destinations.0 as usize..rule.destinations.1 as usize).unwrap_or(&[])
    }

    /// The rule's destination port ranges.
    pub fn ports(&self, rule: &ParsedRule) -> &[PortRange] {
        self.ports.get(rule.ports.0 as usize..rule.ports.1 as usize).unwrap_or(&[])
    }

    fn parse(nsg: &crate::model::Nsg) -> NsgRules {
        // Sized for every entry (the unparsable few are dropped): no list grows.
        let mut addresses = Vec::with_capacity(nsg.rules.iter().map(|r| r.sources.len() + r.destinations.len()).sum());
        let mut ports = Vec::with_capacity(nsg.rules.iter().map(|r| r.destination_ports.len()).sum());
        let mut rules: Vec<ParsedRule> = Vec::with_capacity(nsg.rules.len());
        for (idx, rule) in nsg.rules.iter().enumerate() {
            let from = addresses.len() as u32;
            addresses.extend(rule.sources.iter().filter_map(|s| address(s)));
            let middle = addresses.len() as u32;
            addresses.extend(rule.destinations.iter().filter_map(|s| address(s)));
            let first_port = ports.len() as u32;
            ports.extend(rule.destination_ports.iter().filter_map(|s| port(s)));
            rules.push(ParsedRule {
                rule: idx,
                sources: (from, middle),
                destinations: (middle, addresses.len() as u32),
                ports: (first_port, ports.len() as u32),
            });
        }
        crate::util::sort_by_key(&mut rules, |it| (nsg.rules[it.rule].priority, it.rule));
        let mut parsed = NsgRules { rules, addresses, ports, dest_prefixes: [None, None] };
        let prefixes = |direction: Direction| {
            let lists: Vec<Vec<Cidr>> = parsed
                .rules
                .iter()
                .filter(|p| nsg.rules[p.rule].direction == direction)
                .map(|p| {
                    parsed
                        .destinations(p)
                        .iter()
                        .filter_map(|d| match d {
                            AddressPrefix::Prefix(c) => Some(*c),
                            _ => None,
                        })
                        .collect::<Vec<Cidr>>()
                })
                .filter(|l| !l.is_empty())
                .collect();
            (lists.len() <= 64).then_some(lists)
        };
        parsed.dest_prefixes = [prefixes(Direction::Inbound), prefixes(Direction::Outbound)];
        parsed
    }
}

/// A hash of what `NsgRules::parse` reads of each rule (priority, direction, addresses and
/// ports; not the name, access or protocol, which consumers read from their own NSG).
fn parse_key(rules: &[crate::model::NsgRule]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = super::fx::FxHasher::default();
    rules.len().hash(&mut hasher);
    for rule in rules {
        rule.priority.hash(&mut hasher);
        (rule.direction == Direction::Inbound).hash(&mut hasher);
        rule.sources.hash(&mut hasher);
        rule.destinations.hash(&mut hasher);
        rule.destination_ports.hash(&mut hasher);
    }
    hasher.finish()
}

/// Two rule lists `NsgRules::parse` turns into the same parse (what `parse_key` hashes).
fn parse_alike(a: &[crate::model::NsgRule], b: &[crate::model::NsgRule]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.priority == y.priority
                && x.direction == y.direction
                && x.sources == y.sources
                && x.destinations == y.destinations
                && x.destination_ports == y.destination_ports
        })
}

/// `AddressPrefix::parse`, answering the usual words without the general parser (10⁴
/// entries on an enterprise estate; the same result for every text).
fn address(text: &str) -> Option<AddressPrefix> {
    use crate::model::nsg::ServiceTag;
    match text {
        "*" => Some(AddressPrefix::Any),
        "VirtualNetwork" => Some(AddressPrefix::Tag(ServiceTag::VirtualNetwork)),
        "Internet" => Some(AddressPrefix::Tag(ServiceTag::Internet)),
        _ => match plain_prefix(text) {
            Some(cidr) => Some(AddressPrefix::Prefix(cidr)),
            None => AddressPrefix::parse(text).ok(),
        },
    }
}

/// `a.b.c.d/n` read byte by byte, as `AddressPrefix::parse` reads it (host bits cleared):
/// splitting and parsing each number was most of an NSG's parse. Anything else (spaces, a
/// bare address, a malformed number) is left to the general parser.
fn plain_prefix(text: &str) -> Option<Cidr> {
    let digits = |part: &str, most: usize| -> Option<u32> {
        if part.is_empty() || part.len() > most || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(part.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
    };
    let (addr, len) = text.split_once('/')?;
    let len = u8::try_from(digits(len, 2)?).ok().filter(|&it| it <= 32)?;
    let mut value = 0u32;
    let mut parts = 0;
    for part in addr.split('.') {
        let octet = digits(part, 3).filter(|&it| it <= 255)?;
        value = value << 8 | octet;
        parts += 1;
    }
    (parts == 4).then(|| Cidr::new(Cidr::new(value, len).network(), len))
}

/// `PortRange::parse`, a plain port number read directly (the same result for every text).
fn port(text: &str) -> Option<PortRange> {
    if !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        let value = text.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
        if let Ok(value) = u16::try_from(value) {
            return Some(PortRange::single(value));
        }
    }
    PortRange::parse(text).ok()
}

/// One list per item (a user's groups, a VNet's peers, a CAF-R5 group's parts) stored end
/// to end in one vector, so building them costs two allocations instead of one per item
/// (10³ VNets, 10² users, 10³ groups). `lists[i]` is item i's list, empty for an item beyond
/// the end.
#[derive(Debug, Default)]
pub struct Lists<T = usize> {
    /// Where each item's list starts in `items`; one more entry than there are items.
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Lists<T> {
    /// From (item, value) pairs, each item's values in their order there (counted per item
    /// first, then placed: no sort). Pairs of an item beyond `len` are left out.
    pub(crate) fn from_pairs(len: usize, pairs: &[(usize, T)]) -> Lists<T> {
        let mut start = vec![0u32; len + 1];
        for &(item, _) in pairs.iter().filter(|&&(item, _)| item < len) {
            start[item + 1] += 1;
        }
        for item in 0..len {
            start[item + 1] += start[item];
        }
        let mut fill = start.clone();
        // Every place is written below; the first value only fills the vector until then.
        let mut items = match pairs.first() {
            Some(&(_, first)) => vec![first; start[len] as usize],
            None => Vec::new(),
        };
        for &(item, value) in pairs.iter().filter(|&&(item, _)| item < len) {
            items[fill[item] as usize] = value;
            fill[item] += 1;
        }
        Lists { start, items }
    }

    /// Item i's list, None beyond the end.
    pub fn get(&self, i: usize) -> Option<&[T]> {
        let (&from, &to) = (self.start.get(i)?, self.start.get(i + 1)?);
        self.items.get(from as usize..to as usize)
    }
}

impl<T: Copy> std::ops::Index<usize> for Lists<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        self.get(i).unwrap_or(&[])
    }
}

/// A VM's address, remote-access port and the facts the per-VM rules test, as `Vm` has them:
/// the passes that want a VM's names (an NSG's, a public IP's) read the VM only when its
/// facts say it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmFacts {
    /// The NIC's private IP address.
    pub ip: Ipv4,
    /// `Vm::service_port`.
    pub port: u16,
    pub os: Os,
    /// The yes-or-no facts, a bit each (the methods below): 8 bytes a VM, 160 KB for 20,000,
    /// which the reach pass's walks keep in cache.
    flags: u8,
}

impl VmFacts {
    const ENTRA_ID: u8 = 1;
    const SECRET_OUTSIDE_VAULT: u8 = 1 << 1;
    const JIT_POLICY: u8 = 1 << 2;
    const NIC_NSG: u8 = 1 << 3;
    const PUBLIC_IP: u8 = 1 << 4;
    const IN_VNET_GROUP: u8 = 1 << 5;
    const ENTRA_EXTENSION: u8 = 1 << 6;
    const FIREWALL_MANAGER: u8 = 1 << 7;

    /// `in_vnet_group`: the VM sits in its VNet's subscription and resource group.
    fn of(vm: &crate::model::Vm, in_vnet_group: bool) -> VmFacts {
        let flags = [
            (Self::ENTRA_ID, matches!(vm.sign_in, SignIn::EntraId)),
            (Self::SECRET_OUTSIDE_VAULT, matches!(vm.sign_in, SignIn::Password | SignIn::SshKey)),
            (Self::JIT_POLICY, vm.jit_policy),
            (Self::NIC_NSG, vm.nic.nsg.is_some()),
            (Self::PUBLIC_IP, vm.nic.public_ip.is_some()),
            (Self::IN_VNET_GROUP, in_vnet_group),
            (Self::ENTRA_EXTENSION, vm.entra_login_extension),
            (Self::FIREWALL_MANAGER, vm.firewall_manager_protected),
        ]
        .iter()
        .fold(0, |flags, &(bit, set)| if set { flags | bit } else { flags });
        VmFacts { ip: vm.nic.private_ip, port: vm.service_port(), os: vm.os, flags }
    }

    fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    /// Signs in with Microsoft Entra ID.
    pub fn entra_id(&self) -> bool {
        self.has(Self::ENTRA_ID)
    }

    /// Signs in with a password or an SSH key kept outside Key Vault.
    pub fn secret_outside_vault(&self) -> bool {
        self.has(Self::SECRET_OUTSIDE_VAULT)
    }

    pub fn jit_policy(&self) -> bool {
        self.has(Self::JIT_POLICY)
    }

    /// Its NIC has an NSG of its own.
    pub fn nic_nsg(&self) -> bool {
        self.has(Self::NIC_NSG)
    }

    /// Its NIC has a public IP.
    pub fn public_ip(&self) -> bool {
        self.has(Self::PUBLIC_IP)
    }

    /// Sits in its VNet's subscription and resource group (names compared as written).
    pub fn in_vnet_group(&self) -> bool {
        self.has(Self::IN_VNET_GROUP)
    }

    /// `Vm::entra_login_extension`.
    pub fn entra_extension(&self) -> bool {
        self.has(Self::ENTRA_EXTENSION)
    }

    /// `Vm::firewall_manager_protected`.
    pub fn firewall_manager(&self) -> bool {
        self.has(Self::FIREWALL_MANAGER)
    }
}

pub struct Index<'d> {
    pub design: &'d Design,
    pub vnet_by_name: FxMap<&'d str, usize>,
    /// Built on first use: `analyze` itself looks few VMs up by name, and hashing 20,000
    /// names was a fifth of an enterprise index.
    pub vm_by_name: VmNames<'d>,
    pub bastion_by_name: FxMap<&'d str, usize>,
    pub nsg_by_name: FxMap<&'d str, usize>,
    pub route_table_by_name: FxMap<&'d str, usize>,
    pub public_ip_by_name: FxMap<&'d str, usize>,
    pub hub_by_name: FxMap<&'d str, usize>,
    pub wan_by_name: FxMap<&'d str, usize>,
    pub gateway_by_name: FxMap<&'d str, usize>,
    pub site_by_name: FxMap<&'d str, usize>,
    pub vault_by_name: FxMap<&'d str, usize>,
    pub workspace_by_name: FxMap<&'d str, usize>,
    pub user_by_name: FxMap<&'d str, usize>,
    pub group_by_name: FxMap<&'d str, usize>,
    pub subscription_by_id: FxMap<&'d str, usize>,
    /// VNet and subnet index of each VM's NIC (`Index::vm_location`), as two u32 (`u32::MAX`:
    /// a broken reference): 8 bytes a VM where `Option<(usize, usize)>` took 24, a table the
    /// per-VM walks read beside the VMs' facts.
    vm_places: Vec<[u32; 2]>,
    /// What the per-VM passes read of each VM (by VM index), copied out in one sequential walk:
    /// a `Vm` is 240 bytes (4.8 MB for 20,000), out of cache again by each later pass, which
    /// waited on memory reading it, VNet by VNet or only to skip it.
    pub vm_facts: Vec<VmFacts>,
    /// The Key Vault holding each VM's SSH key (`u32::MAX`: none, or not in the design;
    /// `Index::key_vault_of_vm`).
    vm_key_vault: Vec<u32>,
    /// VMs in each VNet, in design order.
    pub vms_by_vnet: Vec<Vec<usize>>,
    /// The VNet of each Bastion (None when placed in a hub or broken).
    pub bastion_vnet: Vec<Option<usize>>,
    /// The AzureBastionSubnet of each Bastion's VNet, as a subnet index.
    pub bastion_subnet: Vec<Option<usize>>,
    /// Peering link index by (from VNet, to VNet).
    pub link: FxMap<(usize, usize), usize>,
    /// Deleted links, by (from VNet, to VNet).
    pub deleted_link: FxSet<(usize, usize)>,
    /// Groups each user belongs to, in design order.
    pub groups_of_user: Lists,
    /// Parsed rules of each NSG, filled on first use (`Index::nsg`): parsing all of them
    /// up front was a tenth of an enterprise analysis, and NsgCache's per-NSG tables made
    /// each cache cost a VNet-sized allocation.
    nsg_parsed: Vec<OnceLock<Arc<NsgRules>>>,
    /// The first NSG parsed per `parse_key` of its rules: NSGs whose rules parse alike (a
    /// region's spokes admit the same Bastion subnet) share one parse.
    nsg_by_key: Mutex<FxMap<u64, usize>>,
    /// The hub each VNet is connected to, with the connection index.
    pub vnet_hub: Vec<Option<(usize, usize)>>,
    /// VNets joined to each VNet by a Connected peering, sorted (`connected_peers`).
    peers: OnceLock<Lists>,
    /// The network graph and what the path rules derive from it (`graph::Net::new`),
    /// built on first use so health, reach and findings share one.
    pub network: OnceLock<super::graph::NetData>,
}

// The index is shared by the threads of a native analysis (`engine::analyze`): its lazy
// parts (parsed NSGs, peers, the network) are `OnceLock`s and `Mutex`es for that.
const _: () = {
    const fn shared<T: Sync + Send>() {}
    shared::<Index<'static>>()
};

/// VM name → index, built on first use (`get`, `contains_key`, as the map they stand for).
/// Keyed by the name's hash, each hit checked against the VM's name, so the index holds no
/// borrowed key in a cell (that would make `Index<'d>` invariant in `'d`).
pub struct VmNames<'d> {
    vms: &'d [crate::model::Vm],
    map: OnceLock<HashedNames>,
}

/// First VM index per name hash, and the VMs whose different name has a hash already taken.
type HashedNames = (FxMap<u64, usize>, Vec<(u64, usize)>);

impl VmNames<'_> {
    fn hash(name: &str) -> u64 {
        use std::hash::BuildHasher;
        Fx::default().hash_one(name)
    }

    /// The first VM of that name.
    pub fn get(&self, name: &str) -> Option<&usize> {
        let named = |idx: usize| self.vms.get(idx).is_some_and(|vm| vm.name == name);
        let (first, collided) = self.map.get_or_init(|| {
            let mut first = FxMap::with_capacity_and_hasher(self.vms.len(), Fx::default());
            let mut collided: Vec<(u64, usize)> = Vec::new();
            for (idx, vm) in self.vms.iter().enumerate() {
                let hash = Self::hash(&vm.name);
                let taken = *first.entry(hash).or_insert(idx);
                let seen = |other: usize| self.vms[other].name == vm.name;
                if !seen(taken) && !collided.iter().any(|&(h, other)| h == hash && seen(other)) {
                    collided.push((hash, idx));
                }
            }
            (first, collided)
        });
        let hash = Self::hash(name);
        first
            .get(&hash)
            .filter(|&&idx| named(idx))
            .or_else(|| collided.iter().find(|&&(h, idx)| h == hash && named(idx)).map(|(_, idx)| idx))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

fn by_name<'d, T>(items: &'d [T], name: impl Fn(&'d T) -> &'d str) -> FxMap<&'d str, usize> {
    let mut map = FxMap::with_capacity_and_hasher(items.len(), Fx::default());
    for (idx, item) in items.iter().enumerate() {
        map.entry(name(item)).or_insert(idx);
    }
    map
}

impl<'d> Index<'d> {
    pub fn new(design: &'d Design) -> Index<'d> {
        Index::new_on(design, super::Threads::One)
    }

    /// `new`, walking the VMs on two threads for `Threads::Two` (natively: a native analysis
    /// of an estate, `engine::analyze_on`); the same index either way.
    pub fn new_on(design: &'d Design, threads: super::Threads) -> Index<'d> {
        let vnet_by_name = by_name(&design.vnets, |it| it.name.as_str());
        let user_by_name = by_name(&design.users, |it| it.name.as_str());
        let group_by_name = by_name(&design.groups, |it| it.name.as_str());

        let locate = |vm: &crate::model::Vm| {
            let vnet_idx = *vnet_by_name.get(vm.nic.vnet.as_str())?;
            let subnet_idx = design.vnets[vnet_idx].subnets.iter().position(|s| s.name == vm.nic.subnet)?;
            Some((vnet_idx, subnet_idx))
        };
        let vault_by_name = by_name(&design.key_vaults, |it| it.name.as_str());
        // One walk over the VMs for their places and facts (each walk reads 4.8 MB); whether a
        // VM shares its VNet's subscription and resource group is compared here, its names
        // just read (RBAC's `Placements` read them again from memory). On two threads, each
        // walks half of the VMs.
        let walk = |vms: &[crate::model::Vm]| {
            let mut vm_facts: Vec<VmFacts> = Vec::with_capacity(vms.len());
            let mut vm_key_vault: Vec<u32> = Vec::with_capacity(vms.len());
            let mut last_vault: Option<(&str, u32)> = None;
            let vm_places: Vec<[u32; 2]> = vms
                .iter()
                .map(|vm| {
                    let location = locate(vm);
                    let in_vnet_group = location.is_some_and(|(v, _)| {
                        let vnet = &design.vnets[v];
                        vm.subscription == vnet.subscription && vm.resource_group == vnet.resource_group
                    });
                    vm_facts.push(VmFacts::of(vm, in_vnet_group));
                    // The vault of the VM's SSH key, found while its names are in cache; its
                    // neighbours usually name the same vault, whose answer is tried first.
                    vm_key_vault.push(match &vm.sign_in {
                        SignIn::SshKeyInKeyVault { vault } => match last_vault {
                            Some((name, kv)) if name == vault.as_str() => kv,
                            _ => {
                                let kv = vault_by_name.get(vault.as_str()).map_or(u32::MAX, |&kv| kv as u32);
                                last_vault = Some((vault.as_str(), kv));
                                kv
                            }
                        },
                        _ => u32::MAX,
                    });
                    location.map_or([u32::MAX; 2], |(v, s)| [v as u32, s as u32])
                })
                .collect();
            (vm_places, vm_facts, vm_key_vault)
        };
        let (vm_places, vm_facts, vm_key_vault) = match threads {
            super::Threads::One => walk(&design.vms),
            super::Threads::Two => {
                let (first, second) = design.vms.split_at(design.vms.len() / 2);
                let (mut walked, more) = super::both(|| walk(first), || walk(second));
                walked.0.extend(more.0);
                walked.1.extend(more.1);
                walked.2.extend(more.2);
                walked
            }
        };
        // Counted first, so each VNet's list is allocated once at its size (growing 10³
        // lists by pushes cost more than locating the VMs).
        let located =
            || vm_places.iter().enumerate().filter(|it| it.1[0] != u32::MAX).map(|(vm, it)| (vm, it[0] as usize));
        let mut counts = vec![0usize; design.vnets.len()];
        for (_, v) in located() {
            counts[v] += 1;
        }
        let mut vms_by_vnet: Vec<Vec<usize>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
        for (vm, v) in located() {
            vms_by_vnet[v].push(vm);
        }

        let bastion_vnet: Vec<Option<usize>> = design
            .bastions
            .iter()
            .map(|b| if b.virtual_hub.is_some() { None } else { vnet_by_name.get(b.vnet.as_str()).copied() })
            .collect();
        let bastion_subnet = bastion_vnet
            .iter()
            .map(|vnet| vnet.and_then(|v| design.vnets[v].subnets.iter().position(|s| s.name == BASTION_SUBNET)))
            .collect();

        let mut link = FxMap::with_capacity_and_hasher(design.peerings.len(), Fx::default());
        for (idx, peering) in design.peerings.iter().enumerate() {
            if let (Some(&from), Some(&to)) =
                (vnet_by_name.get(peering.from.as_str()), vnet_by_name.get(peering.to.as_str()))
            {
                link.entry((from, to)).or_insert(idx);
            }
        }
        let deleted_link = design
            .deleted_peerings
            .iter()
            .filter_map(|it| Some((*vnet_by_name.get(it.from.as_str())?, *vnet_by_name.get(it.to.as_str())?)))
            .collect();

        // (user, group) pairs in group order: each user's groups stay in design order.
        let mut memberships: Vec<(usize, usize)> = Vec::new();
        for (group_idx, group) in design.groups.iter().enumerate() {
            for member in &group.members {
                if let Some(&user) = user_by_name.get(member.as_str()) {
                    memberships.push((user, group_idx));
                }
            }
        }
        let groups_of_user = Lists::from_pairs(design.users.len(), &memberships);

        let hub_by_name = by_name(&design.virtual_hubs, |it| it.name.as_str());
        let mut vnet_hub = vec![None; design.vnets.len()];
        for (idx, conn) in design.hub_connections.iter().enumerate() {
            if let (Some(&vnet), Some(&hub)) =
                (vnet_by_name.get(conn.vnet.as_str()), hub_by_name.get(conn.hub.as_str()))
            {
                if vnet_hub[vnet].is_none() {
                    vnet_hub[vnet] = Some((hub, idx));
                }
            }
        }

        Index {
            design,
            bastion_by_name: by_name(&design.bastions, |it| it.name.as_str()),
            nsg_by_name: by_name(&design.nsgs, |it| it.name.as_str()),
            route_table_by_name: by_name(&design.route_tables, |it| it.name.as_str()),
            public_ip_by_name: by_name(&design.public_ips, |it| it.name.as_str()),
            wan_by_name: by_name(&design.virtual_wans, |it| it.name.as_str()),
            gateway_by_name: by_name(&design.gateways, |it| it.name.as_str()),
            site_by_name: by_name(&design.onprem_sites, |it| it.name.as_str()),
            vault_by_name,
            workspace_by_name: by_name(&design.log_workspaces, |it| it.name.as_str()),
            subscription_by_id: by_name(&design.subscriptions, |it| it.id.as_str()),
            hub_by_name,
            vnet_by_name,
            vm_by_name: VmNames { vms: &design.vms, map: OnceLock::new() },
            user_by_name,
            group_by_name,
            vm_places,
            vm_facts,
            vm_key_vault,
            vms_by_vnet,
            bastion_vnet,
            bastion_subnet,
            link,
            deleted_link,
            groups_of_user,
            nsg_parsed: (0..design.nsgs.len()).map(|_| OnceLock::new()).collect(),
            nsg_by_key: Mutex::new(FxMap::default()),
            vnet_hub,
            peers: OnceLock::new(),
            network: OnceLock::new(),
        }
    }

    /// VNet and subnet index of VM `vm`'s NIC (None when the reference is broken, or for a
    /// VM index out of range).
    pub fn vm_location(&self, vm: usize) -> Option<(usize, usize)> {
        let [v, s] = *self.vm_places.get(vm)?;
        (v != u32::MAX).then_some((v as usize, s as usize))
    }

    /// The Key Vault holding VM `vm`'s SSH key (None: another sign-in, a vault not in the
    /// design, or a VM index out of range).
    pub fn key_vault_of_vm(&self, vm: usize) -> Option<usize> {
        self.vm_key_vault.get(vm).copied().filter(|&kv| kv != u32::MAX).map(|kv| kv as usize)
    }

    /// NSG `nsg`'s rules, parsed on first use (None for an index out of range).
    pub fn nsg(&self, nsg: usize) -> Option<&NsgRules> {
        let def = self.design.nsgs.get(nsg)?;
        let parsed = self.nsg_parsed.get(nsg)?.get_or_init(|| {
            let key = parse_key(&def.rules);
            // The first NSG of this key, or this one as the first. Another thread may still be
            // parsing that first NSG: then this one is parsed on its own, to the same rules.
            let first = *self.nsg_by_key.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(nsg);
            if first != nsg {
                let shared = self.nsg_parsed.get(first).and_then(OnceLock::get);
                if let Some(shared) = shared.filter(|_| parse_alike(&self.design.nsgs[first].rules, &def.rules)) {
                    return Arc::clone(shared);
                }
            }
            Arc::new(NsgRules::parse(def))
        });
        Some(parsed)
    }

    /// VNets joined to each VNet by a Connected peering, sorted: built once, for the SKU
    /// advice and the hub-and-spoke findings.
    pub fn connected_peers(&self) -> &Lists {
        self.peers.get_or_init(|| {
            // A link whose reverse link exists is a Connected peering (`peering_state`).
            // The map's keys are distinct pairs: each list is sorted, no duplicate to drop.
            let pairs: Vec<(usize, usize)> = self
                .link
                .keys()
                .copied()
                .filter(|&(from, to)| from != to && self.link.contains_key(&(to, from)))
                .collect();
            let mut peers = Lists::from_pairs(self.design.vnets.len(), &pairs);
            for vnet in 0..self.design.vnets.len() {
                let (from, to) = (peers.start[vnet] as usize, peers.start[vnet + 1] as usize);
                crate::util::sort(&mut peers.items[from..to]);
            }
            peers
        })
    }

    /// The state of the peering between two VNets, derived from its links:
    /// both present → Connected; one present and the other deleted → Disconnected;
    /// one present and the other never created → Initiated; none → no peering.
    pub fn peering_state(&self, a: usize, b: usize) -> Option<PeeringState> {
        match (self.link.contains_key(&(a, b)), self.link.contains_key(&(b, a))) {
            (true, true) => Some(PeeringState::Connected),
            (true, false) if self.deleted_link.contains(&(b, a)) => Some(PeeringState::Disconnected),
            (false, true) if self.deleted_link.contains(&(a, b)) => Some(PeeringState::Disconnected),
            (true, false) | (false, true) => Some(PeeringState::Initiated),
            (false, false) => None,
        }
    }

    /// True when traffic flows over the peering: Connected and both links allow VNet access.
    pub fn peering_usable(&self, a: usize, b: usize) -> bool {
        match (self.link.get(&(a, b)), self.link.get(&(b, a))) {
            (Some(&ab), Some(&ba)) => {
                self.design.peerings[ab].allow_virtual_network_access
                    && self.design.peerings[ba].allow_virtual_network_access
            }
            _ => false,
        }
    }

    /// The tenant of a subscription (the default tenant when it is not declared).
    pub fn tenant_of(&self, subscription: &str) -> &str {
        match self.subscription_idx(subscription) {
            Some(idx) => &self.design.subscriptions[idx].tenant,
            None => "contoso.onmicrosoft.com",
        }
    }

    /// The declared subscription of that id (`Design::subscription_index`: as spelled, else
    /// without case), hashed for the usual exact spelling.
    pub fn subscription_idx(&self, id: &str) -> Option<usize> {
        self.subscription_by_id.get(id).copied().or_else(|| self.design.subscription_index(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_names_answer_the_first_vm_of_each_name() {
        let mut design = crate::scenarios::synthetic::generate(&crate::scenarios::synthetic::EstateParams::small());
        // An unvalidated design may repeat a name: the first VM keeps it, as a map would.
        let repeated = design.vms[7].clone();
        design.vms.push(repeated);
        let index = Index::new(&design);
        for (idx, vm) in design.vms.iter().enumerate().take(design.vms.len() - 1) {
            assert_eq!(index.vm_by_name.get(&vm.name), Some(&idx), "{}", vm.name);
        }
        assert_eq!(index.vm_by_name.get(&design.vms[7].name), Some(&7));
        assert!(!index.vm_by_name.contains_key("no-such-vm"));
        assert!(!index.vm_by_name.contains_key(""));
    }

    #[test]
    fn nsgs_whose_rules_parse_alike_share_a_parse_and_others_do_not() {
        let mut design = crate::scenarios::synthetic::generate(&crate::scenarios::synthetic::EstateParams::small());
        let first = design.nsgs.iter().position(|n| !n.rules.is_empty()).expect("an NSG with rules");
        // Renamed rules that deny instead: what the parse reads is the same.
        let mut twin = design.nsgs[first].clone();
        twin.name = "nsg-twin".to_string();
        for rule in &mut twin.rules {
            rule.name.push_str("-twin");
            rule.access = crate::model::Access::Deny;
        }
        // Another destination on the first rule: a different parse.
        let mut other = design.nsgs[first].clone();
        other.name = "nsg-other".to_string();
        other.rules[0].destinations = vec!["10.250.0.0/24".to_string()];
        design.nsgs.push(twin);
        design.nsgs.push(other);
        let n = design.nsgs.len();
        let index = Index::new(&design);
        let (a, twin, other) = (index.nsg(first).unwrap(), index.nsg(n - 2).unwrap(), index.nsg(n - 1).unwrap());
        assert!(std::ptr::eq(a, twin), "alike rules share one parse");
        assert!(!std::ptr::eq(a, other));
        let fresh = NsgRules::parse(&design.nsgs[n - 1]);
        assert_eq!(other.rules, fresh.rules);
        for (x, y) in other.rules.iter().zip(&fresh.rules) {
            assert_eq!(other.destinations(x), fresh.destinations(y));
            assert_eq!(other.sources(x), fresh.sources(y));
            assert_eq!(other.ports(x), fresh.ports(y));
        }
    }

    #[test]
    fn prefixes_read_by_bytes_equal_the_general_parser() {
        for text in [
            "10.0.0.0/16",
            "10.1.2.3/24",
            "0.0.0.0/0",
            "192.168.001.010/32",
            "255.255.255.255/31",
            "10.0.0.0/33",
            "10.0.0.256/8",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            " 10.0.0.0/8",
            "10.0.0.1",
            "VirtualNetwork",
        ] {
            assert_eq!(address(text), AddressPrefix::parse(text).ok(), "{text}");
        }
    }
}
