//! The network as a graph (petgraph `Graph`): VNets joined by usable peerings, by
//! membership of the same Virtual WAN and by gateways to on-premises sites; plus what the
//! path rules and service tags need from it (gateway transit, hybrid sites, tag sets).
//!
//! Built once per analysis (and once per `explain`) from the `Index`; never stored.

use super::nsg_eval::{AddrSet, TagView};
use super::reach::NsgCache;
use super::Index;
use crate::model::{Cidr, Ipv4};
use petgraph::graph::{Graph, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use petgraph::Undirected;
use std::hash::Hasher;
use std::sync::{Mutex, OnceLock};

/// A multiply-rotate hasher (FxHash's recipe) for the engine's own lookup
/// tables (packed integer keys, resource names): SipHash would cost more than the work.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Integer arrays arrive here as one byte slice: take them eight bytes at a time.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_u128(&mut self, x: u128) {
        self.add(x as u64);
        self.add((x >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Vnet(usize),
    Wan(usize),
    Site(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// A Connected peering whose two links allow VNet access.
    Peering,
    /// The VNet is connected to a hub of this Virtual WAN.
    Wan,
    /// A gateway in the VNet (or used by gateway transit) connects to the site.
    Site,
}

/// Shortest peering chains from one VNet (breadth-first over usable peerings only).
pub struct PeeringBfs {
    /// Number of peering hops to each VNet; `u32::MAX` when no chain exists.
    pub dist: Vec<u32>,
    parent: Vec<u32>,
    /// The VNets reached, in breadth-first order (the start first).
    pub order: Vec<usize>,
}

impl PeeringBfs {
    /// The VNets of the shortest chain to `vnet`, the start first (empty when none).
    pub fn chain(&self, vnet: usize) -> Vec<usize> {
        if self.dist.get(vnet).is_none_or(|d| *d == u32::MAX) {
            return Vec::new();
        }
        let mut chain = vec![vnet];
        let mut at = vnet;
        while self.parent[at] != u32::MAX {
            at = self.parent[at] as usize;
            chain.push(at);
        }
        chain.reverse();
        chain
    }
}

/// The network of one design, built once per `Index` (see `Net::new`) and shared by
/// health, reach and the findings.
pub struct NetData {
    /// Node `i` is VNet `i` for every VNet; Virtual WANs and sites follow.
    pub graph: Graph<Node, Edge, Undirected>,
    /// The Virtual WAN of each VNet (through its hub connection).
    pub vnet_wan: Vec<Option<usize>>,
    /// Gateways in each VNet's GatewaySubnet.
    pub gateways: Vec<Vec<usize>>,
    /// Per VNet: the remote VNets whose gateway it uses by gateway transit (rules.md §8:
    /// Connected, hub link allows transit, spoke link uses remote gateways, no own gateway).
    pub transit: Vec<Vec<usize>>,
    /// Per VNet: on-premises sites reachable through its own gateway or a transit gateway,
    /// with the gateway that connects them (R-HYBRID).
    pub hybrid_sites: Vec<Vec<(usize, usize)>>,
    /// Per VNet: the label of its peering component (VNets joined by chains of usable
    /// peerings share one), from petgraph's union-find.
    pub component: Vec<usize>,
    /// Per component label: its VNets, ascending.
    pub component_members: Vec<Vec<usize>>,
    /// Per Virtual WAN: the VNets connected to its hubs.
    pub wan_members: Vec<Vec<usize>>,
    /// Per VNet: the VNets joined to it by a usable peering, ascending.
    pub peer_lists: Vec<Vec<usize>>,
    /// Per VNet: the VNets it shares a peering link with in either direction, usable or
    /// not (to tell a broken direct peering from no peering without hashing).
    pub linked: Vec<Vec<usize>>,
    /// Per VM: the NSG on its subnet and the NSG on its NIC (resolved once: name lookups
    /// per pair would dominate the fast path), `u32::MAX` for none (`reach::vm_nsgs` reads
    /// them): 8 bytes a VM where two `Option<usize>` took 32, a table the per-VM walks read
    /// beside the VMs' places and facts.
    pub vm_nsgs: Vec<[u32; 2]>,
    /// Per on-premises machine: its site.
    pub machine_site: Vec<Option<usize>>,
    /// Per VNet: its tenant, interned without case (cross-tenant peerings are not usable by
    /// Bastion; tenant ids and domain names are case-insensitive).
    pub tenant: Vec<u32>,
    /// Per Virtual WAN: sites connected to gateways in its hubs.
    wan_sites: Vec<Vec<usize>>,
    vnet_tags: Vec<OnceLock<AddrSet>>,
    wan_tags: Vec<OnceLock<AddrSet>>,
    /// NSG decisions made for this index (`NsgCache`: exact, so whoever asks gets the same
    /// answer): the reach pass leaves its decisions here, and CAF-R5, which asks again for
    /// the ones that block, finds them instead of evaluating the NSGs again. Taken out and
    /// put back around each use.
    nsg_decisions: Mutex<NsgCache>,
}

/// The network of a design seen through its index.
#[derive(Clone, Copy)]
pub struct Net<'a> {
    pub index: &'a Index<'a>,
    data: &'a NetData,
}

impl<'a> std::ops::Deref for Net<'a> {
    type Target = NetData;
    fn deref(&self) -> &NetData {
        self.data
    }
}

impl NetData {
    /// The NSG decisions made so far, taken out to be used and put back (`put_nsg_decisions`).
    /// Empty while another user (another thread) has them out: a cache, so every answer stays
    /// the same, only found again.
    pub(crate) fn take_nsg_decisions(&self) -> NsgCache {
        std::mem::take(&mut *self.nsg_decisions.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Puts decisions back, with any put back meanwhile (`NsgCache::absorb`).
    pub(crate) fn put_nsg_decisions(&self, mut cache: NsgCache) {
        let mut kept = self.nsg_decisions.lock().unwrap_or_else(|e| e.into_inner());
        cache.absorb(std::mem::take(&mut *kept));
        *kept = cache;
    }

    fn build(index: &Index) -> NetData {
        let design = index.design;
        let n_vnets = design.vnets.len();
        let mut graph = Graph::with_capacity(n_vnets, design.peerings.len());
        for v in 0..n_vnets {
            graph.add_node(Node::Vnet(v));
        }

        // Peering links by (from, to), sorted: binary searches here instead of hashing, in a
        // deterministic order (the index's link map is a HashMap).
        // Sorted on one packed word (VNet indexes fit in 32 bits): comparing the tuples of
        // 10³ links was most of building the graph. The pairs are the map's keys, unique.
        let pack = |(a, b): (usize, usize)| (a as u64) << 32 | b as u64;
        let mut links: Vec<((usize, usize), usize)> = index.link.iter().map(|(k, l)| (*k, *l)).collect();
        crate::util::sort_by_key(&mut links, |it| pack(it.0));
        let link = |a: usize, b: usize| {
            links.binary_search_by_key(&(a, b), |it| it.0).ok().map(|pos| &design.peerings[links[pos].1])
        };
        let mut all: Vec<u64> = links.iter().map(|&((a, b), _)| pack((a.min(b), a.max(b)))).collect();
        crate::util::sort(&mut all);
        all.dedup();
        let unpack = |it: u64| ((it >> 32) as usize, (it & u64::from(u32::MAX)) as usize);
        let linked = both_ways(n_vnets, all.iter().map(|&it| unpack(it)).filter(|(a, b)| a != b));
        // Usable: both links exist (Connected) and both allow VNet access.
        for &((a, b), l) in &links {
            if a < b
                && design.peerings[l].allow_virtual_network_access
                && link(b, a).is_some_and(|back| back.allow_virtual_network_access)
            {
                graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), Edge::Peering);
            }
        }

        // The same peers as lists, ascending: a Bastion's context takes its VNet's as a
        // slice (collecting and sorting them per Bastion context cost more than the checks).
        let mut peer_lists =
            both_ways(n_vnets, graph.raw_edges().iter().map(|edge| (edge.source().index(), edge.target().index())));
        for list in &mut peer_lists {
            crate::util::sort(list);
        }

        let mut components = UnionFind::<usize>::new(n_vnets);
        for edge in graph.raw_edges() {
            components.union(edge.source().index(), edge.target().index());
        }
        let component = components.into_labeling();
        // Sized by counting first: most components are one VNet, the hub's holds most.
        let mut sizes = vec![0usize; n_vnets];
        for &label in &component {
            sizes[label] += 1;
        }
        let mut component_members: Vec<Vec<usize>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
        for (v, &label) in component.iter().enumerate() {
            component_members[label].push(v);
        }

        let lookup = |name: Option<&str>| name.and_then(|n| index.nsg_by_name.get(n)).copied();
        // Every subnet's NSG in one list, a VNet's subnets from `subnet_start[v]` on (a list
        // per VNet was 10³ allocations).
        let mut subnet_start = Vec::with_capacity(n_vnets);
        let mut subnet_nsgs: Vec<Option<usize>> =
            Vec::with_capacity(design.vnets.iter().map(|v| v.subnets.len()).sum());
        for vnet in &design.vnets {
            subnet_start.push(subnet_nsgs.len());
            subnet_nsgs.extend(vnet.subnets.iter().map(|s| lookup(s.nsg.as_deref())));
        }
        let vm_nsgs = design
            .vms
            .iter()
            .enumerate()
            .zip(&index.vm_facts)
            .map(|((idx, vm), facts)| match index.vm_location(idx) {
                // Most NICs have no NSG of their own: the VM is read only for one that has.
                Some((v, s)) => {
                    let nic_nsg = if facts.nic_nsg() { lookup(vm.nic.nsg.as_deref()) } else { None };
                    let packed = |nsg: Option<usize>| nsg.map_or(u32::MAX, |it| it as u32);
                    [packed(subnet_nsgs[subnet_start[v] + s]), packed(nic_nsg)]
                }
                None => [u32::MAX; 2],
            })
            .collect();
        let mut tenants: Vec<&str> = Vec::new();
        let mut last: Option<(&str, u32)> = None;
        let tenant = design
            .vnets
            .iter()
            .map(|v| {
                // Neighbouring VNets mostly share a subscription: skip the lookup then.
                if let Some((sub, t)) = last {
                    if sub == v.subscription {
                        return t;
                    }
                }
                let name = index.tenant_of(&v.subscription);
                let t = match tenants.iter().position(|x| x.eq_ignore_ascii_case(name)) {
                    Some(i) => i as u32,
                    None => {
                        tenants.push(name);
                        (tenants.len() - 1) as u32
                    }
                };
                last = Some((v.subscription.as_str(), t));
                t
            })
            .collect();

        let mut vnet_wan = vec![None; n_vnets];
        for (v, hub) in index.vnet_hub.iter().enumerate() {
            if let Some((hub, _)) = hub {
                vnet_wan[v] = index.wan_by_name.get(design.virtual_hubs[*hub].virtual_wan.as_str()).copied();
            }
        }
        let mut wan_members = vec![Vec::new(); design.virtual_wans.len()];
        for (v, wan) in vnet_wan.iter().enumerate() {
            if let Some(w) = wan {
                wan_members[*w].push(v);
            }
        }
        let wan_base = graph.node_count();
        for w in 0..design.virtual_wans.len() {
            graph.add_node(Node::Wan(w));
        }
        for (v, wan) in vnet_wan.iter().enumerate() {
            if let Some(w) = wan {
                graph.add_edge(NodeIndex::new(v), NodeIndex::new(wan_base + w), Edge::Wan);
            }
        }

        let mut gateways = vec![Vec::new(); n_vnets];
        for (g, gateway) in design.gateways.iter().enumerate() {
            if let Some(v) = gateway.vnet.as_deref().and_then(|name| index.vnet_by_name.get(name)) {
                gateways[*v].push(g);
            }
        }
        let mut sites_of_gateway = vec![Vec::new(); design.gateways.len()];
        for conn in &design.site_connections {
            if let (Some(&g), Some(&s)) =
                (index.gateway_by_name.get(conn.gateway.as_str()), index.site_by_name.get(conn.site.as_str()))
            {
                sites_of_gateway[g].push(s);
            }
        }

        // Gateway transit (rules.md §8): Connected (both links), the hub's link allows
        // transit, the spoke's link uses remote gateways, the hub has a gateway and the
        // spoke none of its own.
        let mut transit = vec![Vec::new(); n_vnets];
        for &((spoke, hub), l) in &links {
            if design.peerings[l].use_remote_gateways
                && link(hub, spoke).is_some_and(|back| back.allow_gateway_transit)
                && !gateways[hub].is_empty()
                && gateways[spoke].is_empty()
            {
                transit[spoke].push(hub);
            }
        }

        let mut hybrid_sites: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_vnets];
        for v in 0..n_vnets {
            let mut sites = Vec::new();
            for via in std::iter::once(v).chain(transit[v].iter().copied()) {
                for &g in &gateways[via] {
                    for &s in &sites_of_gateway[g] {
                        sites.push((s, g));
                    }
                }
            }
            crate::util::sort(&mut sites);
            sites.dedup_by_key(|it| it.0);
            hybrid_sites[v] = sites;
        }

        let mut wan_sites = vec![Vec::new(); design.virtual_wans.len()];
        for (g, gateway) in design.gateways.iter().enumerate() {
            let wan = gateway
                .hub
                .as_deref()
                .and_then(|hub| index.hub_by_name.get(hub))
                .and_then(|h| index.wan_by_name.get(design.virtual_hubs[*h].virtual_wan.as_str()));
            if let Some(&w) = wan {
                wan_sites[w].extend(sites_of_gateway[g].iter().copied());
            }
        }
        for sites in &mut wan_sites {
            crate::util::sort(sites);
            sites.dedup();
        }

        let site_base = graph.node_count();
        for s in 0..design.onprem_sites.len() {
            graph.add_node(Node::Site(s));
        }
        for (v, sites) in hybrid_sites.iter().enumerate() {
            for (s, _) in sites {
                graph.add_edge(NodeIndex::new(v), NodeIndex::new(site_base + s), Edge::Site);
            }
        }

        NetData {
            graph,
            vnet_wan,
            gateways,
            transit,
            hybrid_sites,
            component,
            component_members,
            wan_members,
            peer_lists,
            linked,
            vm_nsgs,
            machine_site: design
                .onprem_machines
                .iter()
                .map(|m| index.site_by_name.get(m.site.as_str()).copied())
                .collect(),
            tenant,
            wan_sites,
            vnet_tags: (0..n_vnets).map(|_| OnceLock::new()).collect(),
            wan_tags: (0..design.virtual_wans.len()).map(|_| OnceLock::new()).collect(),
            nsg_decisions: Mutex::default(),
        }
    }
}

/// Per node of `n`, its neighbours over `pairs` (each pair joins both ways), in the order
/// the pairs come; every list allocated once at its size (a hub has 10² neighbours).
fn both_ways(n: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Vec<Vec<usize>> {
    let mut degree = vec![0usize; n];
    for (a, b) in pairs.clone() {
        degree[a] += 1;
        degree[b] += 1;
    }
    let mut lists: Vec<Vec<usize>> = degree.iter().map(|&d| Vec::with_capacity(d)).collect();
    for (a, b) in pairs {
        lists[a].push(b);
        lists[b].push(a);
    }
    lists
}

impl<'a> Net<'a> {
    /// The network of `index`'s design, built on first use and kept in the index.
    pub fn new(index: &'a Index<'a>) -> Net<'a> {
        Net { index, data: index.network.get_or_init(|| NetData::build(index)) }
    }

    /// Whether VNets `a` and `b` are in one Entra tenant (`NetData::tenant`, interned
    /// without case): a peering across tenants is not usable by Bastion.
    pub fn same_tenant(&self, a: usize, b: usize) -> bool {
        self.tenant[a] == self.tenant[b]
    }

    /// VNets joined to `vnet` by a usable peering, in graph order.
    pub fn peers(&self, vnet: usize) -> impl Iterator<Item = usize> + '_ {
        self.graph.edges(NodeIndex::new(vnet)).filter(|e| *e.weight() == Edge::Peering).map(move |e| {
            let other = if e.source().index() == vnet { e.target() } else { e.source() };
            other.index()
        })
    }

    pub fn peering_bfs(&self, start: usize) -> PeeringBfs {
        let n = self.index.design.vnets.len();
        let mut dist = vec![u32::MAX; n];
        let mut parent = vec![u32::MAX; n];
        if start >= n {
            return PeeringBfs { dist, parent, order: Vec::new() };
        }
        // `order` doubles as the queue: VNets are appended when reached, read in turn.
        let mut order = vec![start];
        dist[start] = 0;
        let mut head = 0;
        let mut next: Vec<usize> = Vec::new();
        while head < order.len() {
            let at = order[head];
            head += 1;
            // Neighbours in ascending index order, so the shortest chain named is stable.
            next.clear();
            next.extend(self.peers(at).filter(|v| dist[*v] == u32::MAX));
            next.sort_unstable();
            for &v in &next {
                if dist[v] == u32::MAX {
                    dist[v] = dist[at] + 1;
                    parent[v] = at as u32;
                    order.push(v);
                }
            }
        }
        PeeringBfs { dist, parent, order }
    }

    /// Both VNets are connected to hubs of the same Virtual WAN.
    pub fn same_wan(&self, a: usize, b: usize) -> bool {
        matches!((self.vnet_wan.get(a), self.vnet_wan.get(b)), (Some(Some(x)), Some(Some(y))) if x == y)
    }

    /// The `VirtualNetwork` service tag of `vnet` (rules.md §8), computed on first use.
    pub fn tag_view(&self, vnet: usize) -> TagView<'_> {
        let design = self.index.design;
        let local = self.vnet_tags[vnet].get_or_init(|| {
            // The ranges gathered in one list sized up front (10³ VNets' tags per analysis).
            let range = |c: &Cidr| (c.network(), c.last());
            let peers = self.peer_lists.get(vnet).map_or(&[][..], Vec::as_slice);
            let sites = &self.hybrid_sites[vnet];
            let size = design.vnets[vnet].address_prefixes.len()
                + peers.iter().map(|&p| design.vnets[p].address_prefixes.len()).sum::<usize>()
                + sites.iter().map(|&(s, _)| design.onprem_sites[s].address_prefixes.len()).sum::<usize>()
                + 1;
            let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(size);
            ranges.extend(design.vnets[vnet].address_prefixes.iter().map(range));
            for &peer in peers {
                ranges.extend(design.vnets[peer].address_prefixes.iter().map(range));
            }
            for &(s, _) in sites {
                ranges.extend(design.onprem_sites[s].address_prefixes.iter().map(range));
            }
            ranges.push(range(&Cidr::host(Ipv4::AZURE_PLATFORM)));
            AddrSet::from_ranges(ranges)
        });
        let wan = self.vnet_wan[vnet].map(|w| {
            self.wan_tags[w].get_or_init(|| {
                let mut cidrs: Vec<Cidr> = Vec::new();
                for (v, wan) in self.vnet_wan.iter().enumerate() {
                    if *wan == Some(w) {
                        cidrs.extend(design.vnets[v].address_prefixes.iter().copied());
                    }
                }
                for s in &self.wan_sites[w] {
                    cidrs.extend(design.onprem_sites[*s].address_prefixes.iter().copied());
                }
                AddrSet::from_cidrs(&cidrs)
            })
        });
        TagView { local, wan }
    }
}
