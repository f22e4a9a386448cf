//! The property forms' pure half: what a field accepts, parsed with the model's own parsers
//! (so a form refuses what the design would), and the edited resource a form commits (NSG
//! rules moved by swapping priorities, a new rule at a free priority, the RBAC scopes offered).

use crate::model::nsg::{AddressPrefix, PortRange};
use crate::model::*;

/// The items of a list field: separated by commas or spaces, blanks dropped.
pub fn split_list(text: &str) -> Vec<&str> {
    text.split([',', ' ', '\n', '\t']).map(str::trim).filter(|it| !it.is_empty()).collect()
}

/// A list shown in a field, the way `split_list` reads it back.
pub fn list_text<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// A resource name: not empty, no spaces or slashes (they would break ARM ids).
pub fn name(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a name cannot be empty".into());
    }
    if let Some(bad) = text.chars().find(|c| c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%')) {
        return Err(format!("'{text}' cannot be a name: it contains '{bad}'"));
    }
    if text.len() > 80 {
        return Err(format!("a name has at most 80 characters, not {}", text.len()));
    }
    Ok(text.to_string())
}

/// A network prefix such as a subnet's: a CIDR whose host bits are zero, as Azure requires.
pub fn cidr(text: &str) -> Result<Cidr, String> {
    let parsed: Cidr = text.trim().parse()?;
    if parsed.has_host_bits() {
        let network = Cidr::new(parsed.network(), parsed.len);
        return Err(format!("'{}' has host bits set: the prefix would be {network}", text.trim()));
    }
    Ok(parsed)
}

/// An address space: one or more prefixes.
pub fn cidr_list(text: &str) -> Result<Vec<Cidr>, String> {
    let items = split_list(text);
    if items.is_empty() {
        return Err("at least one address prefix is needed (like 10.0.0.0/16)".into());
    }
    items.into_iter().map(cidr).collect()
}

pub fn ipv4(text: &str) -> Result<Ipv4, String> {
    text.trim().parse()
}

/// An NSG rule's sources or destinations: prefixes, addresses, service tags or `*`.
pub fn address_prefixes(text: &str) -> Result<Vec<String>, String> {
    let items = split_list(text);
    if items.is_empty() {
        return Err("at least one address is needed ('*' for any)".into());
    }
    items.into_iter().map(|it| AddressPrefix::parse(it).map(|_| it.to_string())).collect()
}

/// An NSG rule's ports: numbers, ranges or `*`.
pub fn port_ranges(text: &str) -> Result<Vec<String>, String> {
    let items = split_list(text);
    if items.is_empty() {
        return Err("at least one port is needed ('*' for any)".into());
    }
    items.into_iter().map(|it| PortRange::parse(it).map(|_| it.to_string())).collect()
}

/// A custom NSG rule's priority (Azure's range for custom rules).
pub fn priority(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (100..=4096).contains(&n) => Ok(n),
        _ => Err(format!("'{}' is not a priority: custom rules use 100 to 4096", text.trim())),
    }
}

/// A service port; empty means the OS default (22 or 3389).
pub fn port(text: &str) -> Result<Option<u16>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u16>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(format!("'{text}' is not a port: use a number from 1 to 65535, or leave it empty for the default")),
    }
}

/// An optional count (expected sessions): empty means not given.
pub fn count(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>().map(Some).map_err(|_| format!("'{text}' is not a number of sessions"))
}

/// A Bastion's scale units (instances): 2 to 50.
pub fn scale_units(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (2..=50).contains(&n) => Ok(n),
        _ => Err(format!("'{}' is not a number of scale units: use 2 to 50", text.trim())),
    }
}

/// Peering state of a link, derived from its reverse link (never stored).
pub fn peering_state(design: &Design, link: &PeeringLink) -> PeeringState {
    let back = design.peerings.iter().any(|it| it.from == link.to && it.to == link.from);
    let deleted = design.deleted_peerings.iter().any(|it| it.from == link.to && it.to == link.from);
    match (back, deleted) {
        (true, _) => PeeringState::Connected,
        (false, true) => PeeringState::Disconnected,
        (false, false) => PeeringState::Initiated,
    }
}

/// `base`, or `base-2`, `base-3`, … — the first that `taken` does not hold.
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|it| !taken(it)).unwrap_or_default()
}

/// A new inbound rule appended to an NSG: a unique name and the first free priority after
/// the last rule of that direction (steps of 10, as people number them).
pub fn new_rule(nsg: &Nsg, direction: Direction) -> NsgRule {
    let used: Vec<u32> = nsg.rules.iter().filter(|r| r.direction == direction).map(|r| r.priority).collect();
    let start = used.iter().max().map_or(100, |max| (max / 10 + 1) * 10).min(4096);
    let priority = (start..=4096).chain(100..start).find(|p| !used.contains(p)).unwrap_or(4096);
    NsgRule {
        name: unique_name("rule", |n| nsg.rules.iter().any(|r| r.name == n)),
        priority,
        direction,
        access: Access::Allow,
        protocol: Protocol::Tcp,
        sources: vec!["*".into()],
        destinations: vec!["*".into()],
        destination_ports: vec!["*".into()],
    }
}

/// The NSG with rule `index` replaced.
pub fn with_rule(nsg: &Nsg, index: usize, rule: NsgRule) -> Nsg {
    let mut edited = nsg.clone();
    if let Some(slot) = edited.rules.get_mut(index) {
        *slot = rule;
    }
    edited
}

/// The NSG without rule `index`.
pub fn without_rule(nsg: &Nsg, index: usize) -> Nsg {
    let mut edited = nsg.clone();
    if index < edited.rules.len() {
        edited.rules.remove(index);
    }
    edited
}

/// Indexes of the rules in evaluation order: by direction, then priority.
pub fn rule_order(nsg: &Nsg) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nsg.rules.len()).collect();
    crate::util::sort_by_key(&mut order, |&i| (nsg.rules[i].direction, nsg.rules[i].priority, i));
    order
}

/// Moves a rule one place later (`down`) or earlier in evaluation order by swapping its
/// priority with its neighbour of the same direction. `None` when there is no neighbour.
pub fn move_rule(nsg: &Nsg, index: usize, down: bool) -> Option<Nsg> {
    let direction = nsg.rules.get(index)?.direction;
    let same: Vec<usize> = rule_order(nsg).into_iter().filter(|&i| nsg.rules[i].direction == direction).collect();
    let at = same.iter().position(|&i| i == index)?;
    let other = if down { *same.get(at + 1)? } else { *same.get(at.checked_sub(1)?)? };
    let mut edited = nsg.clone();
    let (a, b) = (edited.rules[index].priority, edited.rules[other].priority);
    edited.rules[index].priority = b;
    edited.rules[other].priority = a;
    Some(edited)
}

/// An RBAC scope a role assignment can be given, as the panel offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeChoice {
    pub label: String,
    pub scope: String,
}

/// Every scope the design offers, broadest first: the tenant root, management groups, subscriptions,
/// resource groups, then the resources a Bastion session involves.
pub fn scope_choices(design: &Design) -> Vec<ScopeChoice> {
    // First come, first kept, in the order pushed; the set keeps an estate's 40,000 scopes
    // from a quadratic search.
    let mut out: Vec<ScopeChoice> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut push = |label: String, scope: String| {
        if seen.insert(scope.clone()) {
            out.push(ScopeChoice { label, scope });
        }
    };
    push("Tenant root (/)".to_string(), "/".to_string());
    for mg in &design.management_groups {
        push(
            format!("Management group {}", mg.name),
            format!("/providers/Microsoft.Management/managementGroups/{}", mg.name),
        );
    }
    let mut placements: Vec<Placement> = Vec::new();
    let mut placed: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    let mut resources: Vec<(String, ResourceRef)> = Vec::new();
    let mut add = |label: &str, kind: ResourceKind, sub: &str, rg: &str, name: &str| {
        if placed.insert((sub.to_string(), rg.to_string())) {
            placements.push(Placement { subscription: sub.to_string(), resource_group: rg.to_string() });
        }
        resources.push((format!("{label} {name}"), ResourceRef::new(kind, sub, rg, name)));
    };
    for v in &design.vnets {
        add("VNet", ResourceKind::VirtualNetwork, &v.subscription, &v.resource_group, &v.name);
    }
    for b in &design.bastions {
        if let Some(v) = design.vnet(&b.vnet) {
            let rg = b.resource_group.as_deref().unwrap_or(&v.resource_group);
            add("Bastion", ResourceKind::BastionHost, &v.subscription, rg, &b.name);
        }
    }
    for vm in &design.vms {
        let kind = if vm.scale_set { ResourceKind::VirtualMachineScaleSet } else { ResourceKind::VirtualMachine };
        add("VM", kind, &vm.subscription, &vm.resource_group, &vm.name);
        add("NIC", ResourceKind::NetworkInterface, &vm.subscription, &vm.resource_group, &vm.nic_name());
    }
    for kv in &design.key_vaults {
        add("Key Vault", ResourceKind::KeyVault, &kv.subscription, &kv.resource_group, &kv.name);
    }
    for nsg in &design.nsgs {
        add("NSG", ResourceKind::NetworkSecurityGroup, &nsg.subscription, &nsg.resource_group, &nsg.name);
    }
    let mut subscriptions: Vec<String> = design.subscriptions.iter().map(|s| s.id.clone()).collect();
    for p in &placements {
        if !subscriptions.contains(&p.subscription) {
            subscriptions.push(p.subscription.clone());
        }
    }
    for s in &subscriptions {
        push(format!("Subscription {s}"), format!("/subscriptions/{s}"));
    }
    crate::util::sort(&mut placements);
    for p in &placements {
        push(
            format!("Resource group {} / {}", p.subscription, p.resource_group),
            format!("/subscriptions/{}/resourceGroups/{}", p.subscription, p.resource_group),
        );
    }
    for (label, r) in resources {
        push(label, r.id());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios;

    #[test]
    fn fields_accept_what_the_model_accepts_and_say_why_not() {
        assert_eq!(cidr("10.0.1.0/24").unwrap().to_string(), "10.0.1.0/24");
        assert!(cidr("10.0.1.0/33").unwrap_err().contains("0 to 32"));
        assert!(cidr("10.0.1.5/24").unwrap_err().contains("10.0.1.0/24"));
        assert!(cidr("10.0.1").is_err());
        assert_eq!(cidr_list("10.0.0.0/16, 10.1.0.0/16").unwrap().len(), 2);
        assert!(cidr_list(" ").is_err());
        assert_eq!(address_prefixes("10.0.0.0/26, VirtualNetwork").unwrap(), vec!["10.0.0.0/26", "VirtualNetwork"]);
        assert!(address_prefixes("Storage").unwrap_err().contains("service tag"));
        assert_eq!(port_ranges("22 3389").unwrap(), vec!["22", "3389"]);
        assert!(port_ranges("90-80").is_err());
        assert_eq!(priority("4096"), Ok(4096));
        assert!(priority("99").is_err() && priority("4097").is_err() && priority("x").is_err());
        assert_eq!(port(""), Ok(None));
        assert_eq!(port("2222"), Ok(Some(2222)));
        assert!(port("0").is_err() && port("70000").is_err());
        assert_eq!(scale_units("10"), Ok(10));
        assert_eq!((count(""), count("40")), (Ok(None), Ok(Some(40))));
        assert!(count("-1").is_err());
        assert!(scale_units("1").is_err() && scale_units("51").is_err());
        assert_eq!(name("  vm-a "), Ok("vm-a".to_string()));
        assert!(name("").is_err() && name("a b").is_err() && name("a/b").is_err());
    }

    fn rule(name: &str, priority: u32, access: Access) -> NsgRule {
        crate::scenarios::builder::rule(name, priority, Direction::Inbound, access, &["*"], &["*"], &["3389"])
    }

    #[test]
    fn moving_a_rule_swaps_priorities_with_its_neighbour() {
        let nsg = Nsg {
            name: "nsg".into(),
            subscription: "s".into(),
            resource_group: "rg".into(),
            rules: vec![
                rule("deny", 100, Access::Deny),
                rule("allow", 200, Access::Allow),
                rule("last", 300, Access::Allow),
            ],
        };
        let moved = move_rule(&nsg, 0, true).unwrap();
        assert_eq!((moved.rules[0].priority, moved.rules[1].priority), (200, 100));
        assert_eq!(rule_order(&moved), vec![1, 0, 2]);
        assert!(move_rule(&nsg, 0, false).is_none(), "the first rule cannot move up");
        assert!(move_rule(&nsg, 2, true).is_none(), "the last rule cannot move down");
        let added = new_rule(&nsg, Direction::Inbound);
        assert_eq!((added.name.as_str(), added.priority), ("rule", 310));
        assert!(validate(&Design { nsgs: vec![moved], ..Design::default() }).is_empty());
    }

    #[test]
    fn scopes_cover_the_hierarchy_and_the_resources() {
        let design = (scenarios::by_name(scenarios::DEFAULT).unwrap().build)();
        let choices = scope_choices(&design);
        for choice in &choices {
            assert!(Scope::parse(&choice.scope).is_ok(), "{} does not parse", choice.scope);
        }
        let vm = &design.vms[0];
        assert!(choices.iter().any(|c| c.scope.ends_with(&format!("virtualMachines/{}", vm.name))));
        assert!(choices.iter().any(|c| c.scope.ends_with(&format!("networkInterfaces/{}", vm.nic_name()))));
        assert!(choices.iter().any(|c| c.scope == format!("/subscriptions/{}", vm.subscription)));
        assert_eq!(choices[0].scope, "/");
        let first_resource = choices.iter().position(|c| c.scope.contains("/providers/Microsoft.Network")).unwrap();
        let last_group = choices.iter().rposition(|c| c.label.starts_with("Resource group")).unwrap();
        assert!(last_group < first_resource, "broader scopes come first");
    }
}
