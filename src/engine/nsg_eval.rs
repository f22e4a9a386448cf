//! NSG evaluation: one TCP flow through one NSG, first match wins, Azure's default rules
//! last, service tags resolved from the point of view of one VNet (rules.md §8). Returns
//! the deciding rule so that every verdict can quote it (NSG name, rule name, priority).

use super::Index;
use crate::model::nsg::{AddressPrefix, ServiceTag};
use crate::model::{Access, Cidr, Design, Direction, Ipv4, Protocol};

/// A set of IPv4 addresses as sorted, merged, inclusive ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddrSet(Vec<(u32, u32)>);

impl AddrSet {
    pub fn from_ranges(mut ranges: Vec<(u32, u32)>) -> AddrSet {
        ranges.sort_unstable();
        // Merged in place: `kept` ranges are done, each next one joins the last or follows it.
        let mut kept = 0;
        for at in 0..ranges.len() {
            let (lo, hi) = ranges[at];
            if kept > 0 && u64::from(lo) <= u64::from(ranges[kept - 1].1) + 1 {
                ranges[kept - 1].1 = ranges[kept - 1].1.max(hi);
            } else {
                ranges[kept] = (lo, hi);
                kept += 1;
            }
        }
        ranges.truncate(kept);
        AddrSet(ranges)
    }

    pub fn from_cidrs<'c>(cidrs: impl IntoIterator<Item = &'c Cidr>) -> AddrSet {
        AddrSet::from_ranges(cidrs.into_iter().map(|c| (c.network(), c.last())).collect())
    }

    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.0
    }

    /// The range that starts at or before `addr` (the only one that can contain it).
    fn candidate(&self, addr: u32) -> Option<(u32, u32)> {
        let pos = self.0.partition_point(|r| r.0 <= addr);
        if pos == 0 {
            None
        } else {
            Some(self.0[pos - 1])
        }
    }

    pub fn contains_range(&self, lo: u32, hi: u32) -> bool {
        matches!(self.candidate(lo), Some((_, end)) if end >= hi)
    }

    pub fn overlaps_range(&self, lo: u32, hi: u32) -> bool {
        matches!(self.candidate(hi), Some((_, end)) if end >= lo)
    }
}

/// The `VirtualNetwork` tag as seen from one VNet: its own part (own prefixes, usable
/// peers, reachable on-premises sites, 168.63.129.16) and the part shared by every VNet
/// of its Virtual WAN, kept apart so a large WAN is not copied per VNet.
#[derive(Clone, Copy, Debug)]
pub struct TagView<'a> {
    pub local: &'a AddrSet,
    pub wan: Option<&'a AddrSet>,
}

impl TagView<'_> {
    fn parts(&self) -> impl Iterator<Item = &AddrSet> {
        std::iter::once(self.local).chain(self.wan)
    }

    /// Every address of [lo, hi] is in `VirtualNetwork`.
    pub fn vnet_contains(&self, lo: u32, hi: u32) -> bool {
        if self.parts().any(|set| set.contains_range(lo, hi)) {
            return true;
        }
        // One address lies in one part or in none (the usual question: a VM's address).
        if lo == hi || self.wan.is_none() {
            return false;
        }
        // The range may straddle the two parts: merge the overlapping pieces (rare).
        let mut pieces: Vec<(u32, u32)> = Vec::new();
        for set in self.parts() {
            for &(a, b) in set.ranges() {
                if b >= lo && a <= hi {
                    pieces.push((a.max(lo), b.min(hi)));
                }
            }
        }
        AddrSet::from_ranges(pieces).contains_range(lo, hi)
    }

    pub fn vnet_overlaps(&self, lo: u32, hi: u32) -> bool {
        self.parts().any(|set| set.overlaps_range(lo, hi))
    }

    /// The whole `VirtualNetwork` set lies inside [lo, hi].
    fn vnet_within(&self, lo: u32, hi: u32) -> bool {
        self.parts().all(|set| match (set.ranges().first(), set.ranges().last()) {
            (Some(first), Some(last)) => first.0 >= lo && last.1 <= hi,
            _ => true,
        })
    }
}

const PLATFORM: u32 = Ipv4::AZURE_PLATFORM.0;

/// True when every address of `inner` is an address of `outer`.
pub fn contains(view: &TagView, outer: AddressPrefix, inner: AddressPrefix) -> bool {
    use AddressPrefix::*;
    use ServiceTag::*;
    match (outer, inner) {
        (Any, _) => true,
        (_, Any) => false,
        (Tag(a), Tag(b)) => {
            a == b
                || (a == Internet && matches!(b, GatewayManager | AzureCloud))
                || (a == VirtualNetwork && b == AzureLoadBalancer)
        }
        (Tag(tag), Prefix(c)) => match tag {
            VirtualNetwork => view.vnet_contains(c.network(), c.last()),
            Internet => !view.vnet_overlaps(c.network(), c.last()),
            AzureLoadBalancer => c.len == 32 && c.network() == PLATFORM,
            // Azure public ranges the simulator does not enumerate: no design address is one.
            GatewayManager | AzureCloud => false,
        },
        (Prefix(p), Tag(tag)) => match tag {
            VirtualNetwork => view.vnet_within(p.network(), p.last()),
            AzureLoadBalancer => p.contains_ip(Ipv4(PLATFORM)),
            // Internet and the public Azure ranges: only a prefix covering everything holds them.
            Internet | GatewayManager | AzureCloud => p.len == 0,
        },
        (Prefix(p), Prefix(c)) => p.contains(&c),
    }
}

/// True when `a` and `b` share at least one address.
pub fn overlaps(view: &TagView, a: AddressPrefix, b: AddressPrefix) -> bool {
    use AddressPrefix::*;
    use ServiceTag::*;
    match (a, b) {
        (Any, _) | (_, Any) => true,
        (Prefix(p), Prefix(c)) => p.overlaps(&c),
        (Tag(tag), Prefix(c)) | (Prefix(c), Tag(tag)) => match tag {
            VirtualNetwork => view.vnet_overlaps(c.network(), c.last()),
            AzureLoadBalancer => c.contains_ip(Ipv4(PLATFORM)),
            Internet | GatewayManager | AzureCloud => !view.vnet_contains(c.network(), c.last()),
        },
        (Tag(x), Tag(y)) => {
            let public = |t: ServiceTag| matches!(t, Internet | GatewayManager | AzureCloud);
            let private = |t: ServiceTag| matches!(t, VirtualNetwork | AzureLoadBalancer);
            (public(x) && public(y)) || (private(x) && private(y))
        }
    }
}

/// How a rule's source is matched against a flow's source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceMatch {
    /// Rules take part only when they contain the whole source and destination (the §5
    /// rows, CAF-R10's "from Internet").
    Contain,
    /// A flow from any address of a prefix (a Bastion session, rules.md §8): an Allow must
    /// contain the whole source, a Deny blocks when it overlaps it at all.
    DenyOnOverlap,
}

/// One TCP flow to test against an NSG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    pub direction: Direction,
    pub source: AddressPrefix,
    pub destination: AddressPrefix,
    pub port: u16,
}

/// Azure's default security rules, which every NSG carries below the custom ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultRule {
    AllowVnetInBound,
    AllowAzureLoadBalancerInBound,
    DenyAllInBound,
    AllowVnetOutBound,
    AllowInternetOutBound,
    DenyAllOutBound,
}

impl DefaultRule {
    pub fn name(self) -> &'static str {
        match self {
            DefaultRule::AllowVnetInBound => "AllowVnetInBound",
            DefaultRule::AllowAzureLoadBalancerInBound => "AllowAzureLoadBalancerInBound",
            DefaultRule::DenyAllInBound => "DenyAllInBound",
            DefaultRule::AllowVnetOutBound => "AllowVnetOutBound",
            DefaultRule::AllowInternetOutBound => "AllowInternetOutBound",
            DefaultRule::DenyAllOutBound => "DenyAllOutBound",
        }
    }

    pub fn priority(self) -> u32 {
        match self {
            DefaultRule::AllowVnetInBound | DefaultRule::AllowVnetOutBound => 65000,
            DefaultRule::AllowAzureLoadBalancerInBound | DefaultRule::AllowInternetOutBound => 65001,
            DefaultRule::DenyAllInBound | DefaultRule::DenyAllOutBound => 65500,
        }
    }

    fn spec(self) -> (Access, AddressPrefix, AddressPrefix) {
        use AddressPrefix::{Any, Tag};
        let vnet = Tag(ServiceTag::VirtualNetwork);
        match self {
            DefaultRule::AllowVnetInBound | DefaultRule::AllowVnetOutBound => (Access::Allow, vnet, vnet),
            DefaultRule::AllowAzureLoadBalancerInBound => (Access::Allow, Tag(ServiceTag::AzureLoadBalancer), Any),
            DefaultRule::AllowInternetOutBound => (Access::Allow, Any, Tag(ServiceTag::Internet)),
            DefaultRule::DenyAllInBound | DefaultRule::DenyAllOutBound => (Access::Deny, Any, Any),
        }
    }

    pub fn for_direction(direction: Direction) -> [DefaultRule; 3] {
        match direction {
            Direction::Inbound => {
                [DefaultRule::AllowVnetInBound, DefaultRule::AllowAzureLoadBalancerInBound, DefaultRule::DenyAllInBound]
            }
            Direction::Outbound => {
                [DefaultRule::AllowVnetOutBound, DefaultRule::AllowInternetOutBound, DefaultRule::DenyAllOutBound]
            }
        }
    }
}

/// The rule that decided a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleRef {
    /// Index into `nsg.rules`.
    Custom(usize),
    Default(DefaultRule),
}

/// The outcome of one flow through one NSG, with the rule that decided it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NsgDecision {
    /// Index into `design.nsgs`.
    pub nsg: usize,
    pub access: Access,
    pub rule: RuleRef,
    pub priority: u32,
}

impl NsgDecision {
    pub fn allowed(&self) -> bool {
        self.access == Access::Allow
    }

    pub fn nsg_name<'d>(&self, design: &'d Design) -> &'d str {
        design.nsgs.get(self.nsg).map(|it| it.name.as_str()).unwrap_or("")
    }

    pub fn rule_name<'d>(&self, design: &'d Design) -> &'d str {
        match self.rule {
            RuleRef::Custom(idx) => {
                design.nsgs.get(self.nsg).and_then(|n| n.rules.get(idx)).map(|r| r.name.as_str()).unwrap_or("")
            }
            RuleRef::Default(rule) => rule.name(),
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self.rule, RuleRef::Default(_))
    }

    /// "nsg-app / DenySshFromAnywhere (priority 100)": how the explanation quotes it.
    pub fn quote(&self, design: &Design) -> String {
        // Joined at its size rather than with `format!` (10³ quotes per estate analysis).
        let (nsg, rule) = (self.nsg_name(design), self.rule_name(design));
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut n = self.priority;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 || at == 0 {
                break;
            }
        }
        let priority = std::str::from_utf8(&digits[at..]).unwrap_or_default();
        super::concat(&[nsg, " / ", rule, " (priority ", priority, ")"])
    }
}

fn protocol_admits_tcp(protocol: Protocol) -> bool {
    matches!(protocol, Protocol::Tcp | Protocol::Any)
}

/// True when the addresses of a rule's prefix list, together, hold every address of
/// `inner`: a rule names all the addresses of all its prefixes, so two /27 halves hold the
/// /26 that neither holds alone.
#[inline]
fn list_contains(view: &TagView, list: &[AddressPrefix], inner: AddressPrefix) -> bool {
    list.iter().any(|it| contains(view, *it, inner)) || (list.len() > 1 && entries_cover(view, list, inner))
}

/// `list_contains` when no single entry holds `inner`: whether several entries do together.
#[cold]
fn entries_cover(view: &TagView, list: &[AddressPrefix], inner: AddressPrefix) -> bool {
    // Only two or more entries that each hold part of `inner` can hold it together.
    if list.iter().filter(|it| overlaps(view, **it, inner)).count() < 2 {
        return false;
    }
    let (lo, hi) = match inner {
        AddressPrefix::Prefix(c) => (c.network(), c.last()),
        // `Internet` (and the public Azure ranges inside it) is every address outside
        // `VirtualNetwork`, as `contains` reads it (only 0.0.0.0/0 holds it): prefixes that
        // together cover every address, 0.0.0.0/1 with 128.0.0.0/1, hold it as /0 does.
        AddressPrefix::Tag(ServiceTag::Internet | ServiceTag::GatewayManager | ServiceTag::AzureCloud) => (0, u32::MAX),
        // A private tag is held by one entry (its tag, `*`, or a prefix around it).
        AddressPrefix::Tag(_) | AddressPrefix::Any => return false,
    };
    let clip = |a: u32, b: u32| (b >= lo && a <= hi).then(|| (a.max(lo), b.min(hi)));
    let mut pieces: Vec<(u32, u32)> = Vec::new();
    let mut internet = false;
    for entry in list {
        match *entry {
            AddressPrefix::Any => return true,
            AddressPrefix::Prefix(p) => pieces.extend(clip(p.network(), p.last())),
            AddressPrefix::Tag(ServiceTag::VirtualNetwork) => {
                pieces.extend(view.parts().flat_map(|set| set.ranges().iter().filter_map(|&(a, b)| clip(a, b))));
            }
            AddressPrefix::Tag(ServiceTag::AzureLoadBalancer) => pieces.extend(clip(PLATFORM, PLATFORM)),
            AddressPrefix::Tag(ServiceTag::Internet) => internet = true,
            // Azure public ranges the simulator does not enumerate (see `contains`).
            AddressPrefix::Tag(ServiceTag::GatewayManager | ServiceTag::AzureCloud) => {}
        }
    }
    if !matches!(inner, AddressPrefix::Prefix(_)) {
        // A public tag: `VirtualNetwork`'s addresses are not part of it, so they need no entry.
        pieces.extend(view.parts().flat_map(|set| set.ranges().iter().copied()));
        return AddrSet::from_ranges(pieces).contains_range(lo, hi);
    }
    if internet {
        // `Internet` is every address outside `VirtualNetwork`: add the gaps of the tag.
        let mut vnet: Vec<(u32, u32)> =
            view.parts().flat_map(|set| set.ranges().iter().filter_map(|&(a, b)| clip(a, b))).collect();
        vnet.sort_unstable();
        let mut next = u64::from(lo);
        for (a, b) in vnet {
            if u64::from(a) > next {
                pieces.push((next as u32, a - 1));
            }
            next = next.max(u64::from(b) + 1);
        }
        if next <= u64::from(hi) {
            pieces.push((next as u32, hi));
        }
    }
    AddrSet::from_ranges(pieces).contains_range(lo, hi)
}

fn rule_matches(
    view: &TagView,
    access: Access,
    sources: &[AddressPrefix],
    destinations: &[AddressPrefix],
    flow: &Flow,
    mode: SourceMatch,
) -> bool {
    let deny_overlap = mode == SourceMatch::DenyOnOverlap && access == Access::Deny;
    let source_ok = if deny_overlap {
        sources.iter().any(|s| overlaps(view, *s, flow.source))
    } else {
        list_contains(view, sources, flow.source)
    };
    source_ok
        && if deny_overlap {
            destinations.iter().any(|d| overlaps(view, *d, flow.destination))
        } else {
            list_contains(view, destinations, flow.destination)
        }
}

/// Sends `flow` through NSG `nsg`: custom rules by priority, then the default rules; the
/// first rule that matches decides. Tags are resolved with `view` (the NSG's VNet).
pub fn evaluate(index: &Index, nsg: usize, view: &TagView, flow: &Flow, mode: SourceMatch) -> NsgDecision {
    if let (Some(def), Some(parsed)) = (index.design.nsgs.get(nsg), index.nsg(nsg)) {
        for p in &parsed.rules {
            let rule = &def.rules[p.rule];
            if rule.direction != flow.direction
                || !protocol_admits_tcp(rule.protocol)
                || !parsed.ports(p).iter().any(|r| r.contains(flow.port))
            {
                continue;
            }
            if rule_matches(view, rule.access, parsed.sources(p), parsed.destinations(p), flow, mode) {
                return NsgDecision {
                    nsg,
                    access: rule.access,
                    rule: RuleRef::Custom(p.rule),
                    priority: rule.priority,
                };
            }
        }
    }
    for default in DefaultRule::for_direction(flow.direction) {
        let (access, source, destination) = default.spec();
        if rule_matches(view, access, &[source], &[destination], flow, mode) {
            return NsgDecision { nsg, access, rule: RuleRef::Default(default), priority: default.priority() };
        }
    }
    // DenyAll matches every flow; this line is only reached by a Contain-mode flow from `*`.
    let deny = DefaultRule::for_direction(flow.direction)[2];
    NsgDecision { nsg, access: Access::Deny, rule: RuleRef::Default(deny), priority: deny.priority() }
}

/// The first free priority (custom rules span 100–4096) in `direction`, trying `preferred`
/// steps of ten first, below `below` when possible.
pub fn free_priority(used: &[u32], below: u32) -> u32 {
    free_priority_above(used, below).or_else(|| (100..4097).find(|p| !used.contains(p))).unwrap_or(4096)
}

/// The first free priority that outranks `below` (a smaller number, steps of ten first), or
/// None when every number from 100 up to it is taken (a deny at 100): a rule placed anywhere
/// else would sit below that deny and change nothing.
pub fn free_priority_above(used: &[u32], below: u32) -> Option<u32> {
    let ceiling = below.min(4097);
    (100..ceiling).step_by(10).chain(100..ceiling).find(|p| !used.contains(p))
}
