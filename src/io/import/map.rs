//! Mapping evaluated Azure resources (`Raw`) to the design model: VNets and subnets,
//! peerings, NSGs, route tables, public IPs, Bastions, VMs with their NICs, scale sets,
//! gateways, on-premises sites and connections, Virtual WAN; Key Vaults and role
//! assignments in `map/rbac.rs`. Links go by ARM id (type and names, without case); a link
//! to something not in the input is dropped and recorded, and a resource that cannot
//! stand without it is skipped. The result always validates.

mod rbac;

use super::expr::{prop, unknown_why};
use super::{Raw, Skipped, SourceKind, PLACEHOLDER_REGION};
use crate::model::nsg::{AddressPrefix, PortRange};
use crate::model::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

const VNET: &str = "microsoft.network/virtualnetworks";
const SUBNET: &str = "microsoft.network/virtualnetworks/subnets";
const PEERING: &str = "microsoft.network/virtualnetworks/virtualnetworkpeerings";
const NSG: &str = "microsoft.network/networksecuritygroups";
const RULE: &str = "microsoft.network/networksecuritygroups/securityrules";
const ROUTE_TABLE: &str = "microsoft.network/routetables";
const ROUTE: &str = "microsoft.network/routetables/routes";
const PIP: &str = "microsoft.network/publicipaddresses";
const BASTION: &str = "microsoft.network/bastionhosts";
const NIC: &str = "microsoft.network/networkinterfaces";
const VM: &str = "microsoft.compute/virtualmachines";
const VM_EXTENSION: &str = "microsoft.compute/virtualmachines/extensions";
const VMSS: &str = "microsoft.compute/virtualmachinescalesets";
const VNET_GATEWAY: &str = "microsoft.network/virtualnetworkgateways";
const LOCAL_GATEWAY: &str = "microsoft.network/localnetworkgateways";
const CONNECTION: &str = "microsoft.network/connections";
const WAN: &str = "microsoft.network/virtualwans";
const HUB: &str = "microsoft.network/virtualhubs";
const HUB_CONNECTION: &str = "microsoft.network/virtualhubs/hubvirtualnetworkconnections";
const VPN_GATEWAY: &str = "microsoft.network/vpngateways";
const ER_GATEWAY: &str = "microsoft.network/expressroutegateways";
const VPN_SITE: &str = "microsoft.network/vpnsites";
const VPN_SITE_LINK: &str = "microsoft.network/vpnsites/vpnsitelinks";
const VPN_CONNECTION: &str = "microsoft.network/vpngateways/vpnconnections";
const DNS_LINK: &str = "microsoft.network/privatednszones/virtualnetworklinks";
const DNS_ZONE: &str = "microsoft.network/privatednszones";
const WORKSPACE: &str = "microsoft.operationalinsights/workspaces";
const DIAGNOSTICS: &str = "microsoft.insights/diagnosticsettings";
const AZURE_FIREWALL: &str = "microsoft.network/azurefirewalls";
/// The older nested form: a child of the Bastion, named `bastion/Microsoft.Insights/name`.
const BASTION_DIAGNOSTICS: &str = "microsoft.network/bastionhosts/providers/diagnosticsettings";

/// An ARM resource id, read: `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/…`.
#[derive(Clone, Debug, PartialEq)]
pub struct ArmId {
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub rtype: String,
    pub names: Vec<String>,
}

impl ArmId {
    pub fn parse(id: &str) -> Option<ArmId> {
        let parts: Vec<&str> = id.split('/').filter(|it| !it.is_empty()).collect();
        let (mut subscription, mut resource_group) = (None, None);
        let mut i = 0;
        let mut provider = None;
        while i < parts.len() {
            let part = parts[i];
            if part.eq_ignore_ascii_case("subscriptions") && i + 1 < parts.len() {
                subscription = Some(parts[i + 1].to_string());
                i += 2;
            } else if part.eq_ignore_ascii_case("resourceGroups") && i + 1 < parts.len() {
                resource_group = Some(parts[i + 1].to_string());
                i += 2;
            } else if part.eq_ignore_ascii_case("providers") && i + 1 < parts.len() {
                // The last provider segment wins (extension resources).
                provider = Some(i + 1);
                i += 2;
                while i + 1 < parts.len() && !parts[i].eq_ignore_ascii_case("providers") {
                    i += 2;
                }
            } else {
                i += 1;
            }
        }
        let start = provider?;
        let namespace = parts[start];
        let rest = &parts[start + 1..];
        let mut types = vec![namespace.to_string()];
        let mut names = Vec::new();
        for pair in rest.chunks(2) {
            if pair.len() == 2 && !pair[0].eq_ignore_ascii_case("providers") {
                types.push(pair[0].to_string());
                names.push(pair[1].to_string());
            }
        }
        Some(ArmId { subscription, resource_group, rtype: types.join("/"), names })
    }
}

/// The value at a dotted path below `value` (keys without case); `None` for a missing or
/// unknown value.
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = value;
    for key in path.split('.').filter(|k| !k.is_empty()) {
        node = match node {
            Value::Object(map) => prop(map, key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    if unknown_why(node).is_some() {
        return None;
    }
    Some(node)
}

fn text(value: &Value, path: &str) -> Option<String> {
    at(value, path).and_then(Value::as_str).map(str::to_string)
}

fn flag(value: &Value, path: &str) -> Option<bool> {
    match at(value, path)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Why the value at `path` is missing: the unknown marker's reason, or "missing".
fn why_missing(value: &Value, path: &str) -> String {
    let mut node = value;
    for key in path.split('.').filter(|k| !k.is_empty()) {
        if let Some(why) = unknown_why(node) {
            return why.to_string();
        }
        node = match node {
            Value::Object(map) => match prop(map, key) {
                Some(v) => v,
                None => return format!("it has no {path}"),
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(v) => v,
                None => return format!("it has no {path}"),
            },
            _ => return format!("it has no {path}"),
        };
    }
    match unknown_why(node) {
        Some(why) => why.to_string(),
        None => format!("{path} is not usable"),
    }
}

/// The id at `path` (`….id`, or a bare name).
fn link(value: &Value, path: &str, rtype: &str) -> Option<ArmId> {
    let id = text(value, &format!("{path}.id")).or_else(|| text(value, path))?;
    if id.contains('/') {
        ArmId::parse(&id)
    } else if !id.is_empty() {
        // A bare name (seen in quickstarts): a resource of the expected type.
        Some(ArmId { subscription: None, resource_group: None, rtype: rtype.to_string(), names: vec![id] })
    } else {
        None
    }
}

fn region(raw: &Raw) -> String {
    match at(&raw.body, "location").and_then(Value::as_str) {
        Some(loc) if !loc.trim().is_empty() => loc.to_lowercase().replace(' ', ""),
        _ => PLACEHOLDER_REGION.to_string(),
    }
}

/// The item of an ARM list marked `properties.primary`, else the first: a VM's NIC, a NIC
/// configuration, an IP configuration.
fn primary(list: Option<&Value>) -> Option<&Value> {
    let items = list?.as_array()?;
    items.iter().find(|it| flag(it, "properties.primary") == Some(true)).or(items.first())
}

/// A public IP's SKU, allocation and version, with ARM's defaults: Basic SKU, Dynamic
/// allocation for Basic (Static for Standard), IPv4. `body` holds `sku` and `properties`
/// (a public IP resource, or a NIC configuration's `publicIPAddressConfiguration`).
fn public_ip_settings(body: &Value) -> (PublicIpSku, IpAllocation, IpVersion) {
    let sku = match text(body, "sku.name") {
        Some(s) if s.to_ascii_lowercase().starts_with("standard") => PublicIpSku::Standard,
        _ => PublicIpSku::Basic,
    };
    let allocation = match text(body, "properties.publicIPAllocationMethod") {
        Some(a) if same(&a, "Static") => IpAllocation::Static,
        Some(a) if same(&a, "Dynamic") => IpAllocation::Dynamic,
        _ => sku.default_allocation(),
    };
    let version = match text(body, "properties.publicIPAddressVersion") {
        Some(v) if same(&v, "IPv6") => IpVersion::IPv6,
        _ => IpVersion::IPv4,
    };
    (sku, allocation, version)
}

fn zones(raw: &Raw) -> Vec<String> {
    at(&raw.body, "zones")
        .and_then(Value::as_array)
        .map(|z| {
            z.iter()
                .filter_map(|it| it.as_str().map(str::to_string).or_else(|| it.as_i64().map(|n| n.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn cidr_list(value: Option<&Value>) -> (Vec<Cidr>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for item in items {
        match item.as_str().map(|s| s.parse::<Cidr>()) {
            Some(Ok(cidr)) if !cidr.has_host_bits() => good.push(cidr),
            Some(Ok(cidr)) => bad.push(format!("{cidr} has host bits set")),
            Some(Err(err)) => bad.push(err),
            None => bad.push(unknown_why(item).map(str::to_string).unwrap_or_else(|| "not a prefix".into())),
        }
    }
    (good, bad)
}

struct Mapper {
    raws: Vec<Raw>,
    used: Vec<bool>,
    mapped: Vec<bool>,
    index: HashMap<String, usize>,
    skipped: Vec<Skipped>,
    design: Design,
    notes: Vec<String>,
    /// (principal id value, principalType) that parameters' metadata give.
    principals: Vec<(String, String)>,
}

fn key(rtype: &str, names: &[String]) -> String {
    format!("{}|{}", rtype.to_lowercase(), names.join("/").to_lowercase())
}

/// Maps the resources; returns the design (always valid) and everything left out.
pub(crate) fn to_design(
    raws: Vec<Raw>,
    skipped: Vec<Skipped>,
    principals: Vec<(String, String)>,
    source: SourceKind,
) -> (DesignFile, Vec<Skipped>) {
    let mut m = Mapper {
        principals,
        used: Vec::new(),
        mapped: Vec::new(),
        index: HashMap::new(),
        raws,
        skipped,
        design: Design::default(),
        notes: Vec::new(),
    };
    m.explode();
    m.nsgs();
    m.route_tables();
    m.public_ips();
    m.workspaces();
    m.vnets();
    m.dns_links();
    m.peerings();
    m.wans();
    m.gateways();
    m.sites();
    m.bastions();
    m.diagnostics();
    m.vms();
    m.key_vaults();
    m.role_assignments();
    m.access_policies();
    m.rest();
    m.report_unknowns();
    m.ensure_valid();
    let mapped = m.mapped.iter().filter(|it| **it).count();
    let mut description = format!(
        "Imported from {} {}: {} resource(s) mapped, {} item(s) skipped (see the import report).",
        if source == SourceKind::ArmTemplate { "an" } else { "" },
        source.label(),
        mapped,
        m.skipped.len()
    )
    .replace("from  ", "from ");
    for note in &m.notes {
        description.push(' ');
        description.push_str(note);
    }
    m.design.name = "imported".into();
    m.design.description = description;
    (DesignFile { design: m.design, layout: Layout::default() }, m.skipped)
}

impl Mapper {
    fn what(&self, i: usize) -> String {
        let raw = &self.raws[i];
        format!("{} '{}'", raw.rtype, raw.names.join("/"))
    }

    fn skip(&mut self, i: usize, why: impl Into<String>) {
        self.used[i] = true;
        let what = self.what(i);
        self.skipped.push(Skipped { path: self.raws[i].path.clone(), what, why: why.into() });
    }

    fn note(&mut self, path: String, what: String, why: impl Into<String>) {
        self.skipped.push(Skipped { path, what, why: why.into() });
    }

    fn done(&mut self, i: usize) {
        self.used[i] = true;
        self.mapped[i] = true;
    }

    fn props(&self, i: usize) -> &Value {
        self.raws[i].body.get("properties").unwrap_or(&Value::Null)
    }

    fn name(&self, i: usize) -> String {
        self.raws[i].names.last().cloned().unwrap_or_default()
    }

    /// Inline children (subnets, peerings, security rules, routes) become resources of
    /// their own, as if declared as child resources; a resource declared twice (inline
    /// and as a child) counts once, the later declaration winning.
    fn explode(&mut self) {
        let inline = [
            (VNET, "subnets", "subnets"),
            (VNET, "virtualNetworkPeerings", "virtualNetworkPeerings"),
            (NSG, "securityRules", "securityRules"),
            (ROUTE_TABLE, "routes", "routes"),
            // A Virtual WAN VPN gateway's site connections, inline (and in live JSON).
            (VPN_GATEWAY, "connections", "vpnConnections"),
        ];
        let mut extra = Vec::new();
        for raw in &self.raws {
            for (parent, field, child) in inline {
                if !same(&raw.rtype, parent) {
                    continue;
                }
                let Some(Value::Array(items)) = at(&raw.body, &format!("properties.{field}")) else { continue };
                for (j, item) in items.iter().enumerate() {
                    let path = format!("{}.properties.{field}[{j}]", raw.path);
                    let Some(name) = text(item, "name") else {
                        self.skipped.push(Skipped {
                            path,
                            what: format!("{child} of {} '{}'", raw.rtype, raw.names.join("/")),
                            why: format!("its name is unknown: {}", why_missing(item, "name")),
                        });
                        continue;
                    };
                    let mut names = raw.names.clone();
                    names.push(name);
                    extra.push(Raw {
                        path,
                        rtype: format!("{}/{child}", raw.rtype),
                        names,
                        subscription: raw.subscription.clone(),
                        resource_group: raw.resource_group.clone(),
                        body: item.clone(),
                        unknowns: Vec::new(),
                    });
                }
            }
        }
        self.raws.extend(extra);
        self.used = vec![false; self.raws.len()];
        self.mapped = vec![false; self.raws.len()];
        // Inline children come after their parents in `raws` but were declared first: a
        // child resource declared separately wins over the inline one.
        let n_original = self.raws.len();
        let mut order: Vec<usize> = (0..n_original).collect();
        crate::util::sort_by_key(&mut order, |&i| (usize::from(!self.raws[i].path.contains(".properties.")), i));
        for i in order {
            // An extension resource (a diagnostic setting) is itself per resource it extends:
            // ten settings all named "to-hub-la" on ten resources are ten resources.
            let mut k = key(&self.raws[i].rtype, &self.raws[i].names);
            if let Some(scope) = self.raws[i].body.get("scope").and_then(Value::as_str) {
                k = format!("{k}|{}", scope.to_lowercase());
            }
            if let Some(previous) = self.index.insert(k, i) {
                self.used[previous] = true;
            }
        }
    }

    fn of_type(&self, rtype: &str) -> Vec<usize> {
        (0..self.raws.len()).filter(|&i| !self.used[i] && same(&self.raws[i].rtype, rtype)).collect()
    }

    fn children(&self, rtype: &str, parent: &[String]) -> Vec<usize> {
        (0..self.raws.len())
            .filter(|&i| {
                let raw = &self.raws[i];
                !self.used[i]
                    && same(&raw.rtype, rtype)
                    && raw.names.len() == parent.len() + 1
                    && raw.names.iter().zip(parent).all(|(a, b)| same(a, b))
            })
            .collect()
    }

    fn find(&self, id: &ArmId) -> Option<usize> {
        self.index.get(&key(&id.rtype, &id.names)).copied()
    }

    // ---- NSGs, route tables, public IPs ---------------------------------------------

    fn nsgs(&mut self) {
        for i in self.of_type(NSG) {
            let name = self.name(i);
            if self.design.nsgs.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another NSG of that name is already imported (names are ids in the model)");
                continue;
            }
            let mut rules = Vec::new();
            for r in self.children(RULE, &self.raws[i].names.clone()) {
                match security_rule(&self.raws[r]) {
                    Ok(rule)
                        if rules
                            .iter()
                            .any(|it: &NsgRule| it.direction == rule.direction && it.priority == rule.priority) =>
                    {
                        self.skip(r, format!("priority {} is used twice in the same direction", rule.priority));
                    }
                    Ok(rule) => {
                        rules.push(rule);
                        self.done(r);
                    }
                    Err(why) => self.skip(r, why),
                }
            }
            let raw = &self.raws[i];
            self.design.nsgs.push(Nsg {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
                rules,
            });
            self.done(i);
        }
    }

    fn route_tables(&mut self) {
        for i in self.of_type(ROUTE_TABLE) {
            let name = self.name(i);
            if self.design.route_tables.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another route table of that name is already imported");
                continue;
            }
            let mut routes = Vec::new();
            for r in self.children(ROUTE, &self.raws[i].names.clone()) {
                let body = &self.raws[r].body;
                let prefix = text(body, "properties.addressPrefix").map(|p| p.parse::<Cidr>());
                let hop = text(body, "properties.nextHopType");
                let next_hop = match hop.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("internet") => Some(NextHop::Internet),
                    Some("virtualappliance") => Some(NextHop::VirtualAppliance),
                    Some("virtualnetworkgateway") => Some(NextHop::VirtualNetworkGateway),
                    Some("vnetlocal") => Some(NextHop::VnetLocal),
                    Some("none") => Some(NextHop::None),
                    _ => None,
                };
                match (prefix, next_hop) {
                    (Some(Ok(prefix)), Some(next_hop)) if !prefix.has_host_bits() => {
                        let name = self.name(r);
                        routes.push(Route { name, prefix, next_hop });
                        self.done(r);
                    }
                    (Some(Ok(_)), Some(_)) => self.skip(r, "its address prefix has host bits set"),
                    (Some(Err(err)), _) => {
                        self.skip(r, format!("its address prefix is not a CIDR the model reads ({err})"))
                    }
                    (None, _) => {
                        let why = why_missing(body, "properties.addressPrefix");
                        self.skip(r, format!("its address prefix is unknown: {why}"))
                    }
                    (_, None) => self.skip(r, format!("next hop type {hop:?} is not one the model holds")),
                }
            }
            let raw = &self.raws[i];
            self.design.route_tables.push(RouteTable {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
                routes,
            });
            self.done(i);
        }
    }

    fn public_ips(&mut self) {
        for i in self.of_type(PIP) {
            let name = self.name(i);
            if self.design.public_ips.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another public IP of that name is already imported");
                continue;
            }
            let raw = &self.raws[i];
            let (sku, allocation, version) = public_ip_settings(&raw.body);
            self.design.public_ips.push(PublicIp {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
                sku,
                allocation,
                version,
                zones: zones(raw),
            });
            self.done(i);
        }
    }

    /// The public IP that Azure creates for an inline NIC's primary IP configuration
    /// (`publicIPAddressConfiguration`, on a VM or a scale set's instances): added to the
    /// design, in the VM's resource group, under the configuration's name (the VM's name
    /// before it when another public IP has that name), and noted.
    fn inline_public_ip(&mut self, i: usize, what: &str, ip_config: &Value) -> Option<String> {
        let config = at(ip_config, "properties.publicIPAddressConfiguration")?;
        let vm = self.name(i);
        let given = text(config, "name").filter(|n| !n.is_empty()).unwrap_or_else(|| format!("{vm}-pip"));
        let taken = |name: &str| self.design.public_ips.iter().any(|p| same(&p.name, name));
        let name = if taken(&given) { format!("{vm}-{given}") } else { given };
        if taken(&name) {
            let path = format!("{}.properties", self.raws[i].path);
            self.note(path, format!("the public IP of {what}"), format!("another public IP is named '{name}'"));
            return None;
        }
        let (sku, allocation, version) = public_ip_settings(config);
        let raw = &self.raws[i];
        self.notes.push(format!(
            "Public IP '{name}' is the one Azure creates for the inline network interface of {what} (publicIPAddressConfiguration)."
        ));
        self.design.public_ips.push(PublicIp {
            name: name.clone(),
            subscription: raw.subscription.clone(),
            resource_group: raw.resource_group.clone(),
            sku,
            allocation,
            version,
            zones: Vec::new(),
        });
        Some(name)
    }

    fn workspaces(&mut self) {
        for i in self.of_type(WORKSPACE) {
            let name = self.name(i);
            if self.design.log_workspaces.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another workspace of that name is already imported");
                continue;
            }
            let raw = &self.raws[i];
            self.design.log_workspaces.push(LogAnalyticsWorkspace {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
                central: false,
            });
            self.done(i);
        }
    }

    /// The design's name for a linked NSG / route table / public IP, when it is there.
    fn linked_name(&self, names: impl Iterator<Item = String>, id: &ArmId) -> Option<String> {
        let wanted = id.names.last()?;
        names.into_iter().find(|n| same(n, wanted))
    }

    // ---- VNets -----------------------------------------------------------------------

    fn vnets(&mut self) {
        for i in self.of_type(VNET) {
            let name = self.name(i);
            if self.design.vnets.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another VNet of that name is already imported (names are ids in the model)");
                continue;
            }
            let props = self.props(i).clone();
            let (prefixes, bad) = cidr_list(at(&props, "addressSpace.addressPrefixes"));
            for why in &bad {
                let path = format!("{}.properties.addressSpace.addressPrefixes", self.raws[i].path);
                self.note(path, format!("an address prefix of {}", self.what(i)), why.clone());
            }
            let overlapping = prefixes.iter().enumerate().any(|(j, p)| prefixes[..j].iter().any(|q| p.overlaps(q)));
            if prefixes.is_empty() || overlapping {
                let why = if overlapping {
                    "its address prefixes overlap each other".to_string()
                } else {
                    format!("its address space is unknown: {}", why_missing(&props, "addressSpace.addressPrefixes"))
                };
                self.skip(i, why);
                continue;
            }
            let mut vnet = Vnet {
                name: name.clone(),
                subscription: self.raws[i].subscription.clone(),
                resource_group: self.raws[i].resource_group.clone(),
                region: region(&self.raws[i]),
                address_prefixes: prefixes,
                subnets: Vec::new(),
                private_dns_zones: Vec::new(),
                route_server_default_route: false,
            };
            for s in self.children(SUBNET, &self.raws[i].names.clone()) {
                match self.subnet(s, &vnet) {
                    Ok(subnet) => {
                        vnet.subnets.push(subnet);
                        self.done(s);
                    }
                    Err(why) => self.skip(s, why),
                }
            }
            self.design.vnets.push(vnet);
            self.done(i);
        }
    }

    fn subnet(&mut self, s: usize, vnet: &Vnet) -> Result<Subnet, String> {
        let name = self.name(s);
        let body = self.raws[s].body.clone();
        let prefix = text(&body, "properties.addressPrefix").or_else(|| text(&body, "properties.addressPrefixes.0"));
        let Some(prefix) = prefix else {
            return Err(format!("its address prefix is unknown: {}", why_missing(&body, "properties.addressPrefix")));
        };
        let prefix: Cidr = prefix.parse().map_err(|err| format!("its address prefix is not a CIDR ({err})"))?;
        if prefix.has_host_bits() {
            return Err(format!("its prefix {prefix} has host bits set"));
        }
        if !vnet.address_prefixes.iter().any(|p| p.contains(&prefix)) {
            return Err(format!("its prefix {prefix} is outside the VNet's address space"));
        }
        if prefix.len > 29 {
            return Err(format!("its prefix {prefix} is smaller than Azure's smallest subnet (/29)"));
        }
        if vnet.subnets.iter().any(|it| same(&it.name, &name)) {
            return Err("the VNet already has a subnet of that name".into());
        }
        if let Some(other) = vnet.subnets.iter().find(|it| it.prefix.overlaps(&prefix)) {
            return Err(format!("its prefix {prefix} overlaps subnet '{}'", other.name));
        }
        let path = self.raws[s].path.clone();
        let what = format!("subnet '{}' of VNet '{}'", name, vnet.name);
        let mut nsg = None;
        if let Some(id) = link(&body, "properties.networkSecurityGroup", NSG) {
            let found = self.linked_name(self.design.nsgs.iter().map(|n| n.name.clone()), &id);
            match found {
                _ if same(&name, GATEWAY_SUBNET) => self.note(
                    format!("{path}.properties.networkSecurityGroup"),
                    format!("the NSG link of {what}"),
                    "Azure does not allow an NSG on GatewaySubnet",
                ),
                Some(found) => nsg = Some(found),
                None => self.note(
                    format!("{path}.properties.networkSecurityGroup"),
                    format!("the NSG link of {what}"),
                    format!("NSG '{}' is not in the imported design", id.names.join("/")),
                ),
            }
        } else if let Some(why) = at_unknown(&body, "properties.networkSecurityGroup") {
            self.note(format!("{path}.properties.networkSecurityGroup"), format!("the NSG link of {what}"), why);
        }
        let mut route_table = None;
        if let Some(id) = link(&body, "properties.routeTable", ROUTE_TABLE) {
            match self.linked_name(self.design.route_tables.iter().map(|n| n.name.clone()), &id) {
                Some(found) => route_table = Some(found),
                None => self.note(
                    format!("{path}.properties.routeTable"),
                    format!("the route table link of {what}"),
                    format!("route table '{}' is not in the imported design", id.names.join("/")),
                ),
            }
        } else if let Some(why) = at_unknown(&body, "properties.routeTable") {
            self.note(format!("{path}.properties.routeTable"), format!("the route table link of {what}"), why);
        }
        Ok(Subnet { name, prefix, nsg, route_table })
    }

    fn dns_links(&mut self) {
        for i in self.of_type(DNS_LINK) {
            let Some(id) = link(self.props(i), "virtualNetwork", VNET) else { continue };
            let zone = self.raws[i].names.first().cloned().unwrap_or_default();
            let Some(vnet) = id.names.first().and_then(|n| self.design.vnets.iter().position(|v| same(&v.name, n)))
            else {
                continue;
            };
            if !self.design.vnets[vnet].private_dns_zones.contains(&zone) {
                self.design.vnets[vnet].private_dns_zones.push(zone.clone());
            }
            self.done(i);
            if let Some(z) = self.find(&ArmId {
                subscription: None,
                resource_group: None,
                rtype: DNS_ZONE.into(),
                names: vec![zone],
            }) {
                self.done(z);
            }
        }
    }

    /// A VNet the input refers to but does not hold (a Bastion's or a peering's): added so
    /// that the link can be shown, with its address space when the input gives it, else a
    /// placeholder range from 100.64.0.0/10; said in the design's description.
    fn stand_in(&mut self, id: &ArmId, near: &Raw, prefixes: Vec<Cidr>, subnet: Option<&str>) -> Option<String> {
        let name = id.names.first()?.clone();
        if let Some(vnet) = self.design.vnets.iter().find(|v| same(&v.name, &name)) {
            return Some(vnet.name.clone());
        }
        // A VNet the input holds but that could not be imported gets no stand-in.
        if self.index.contains_key(&key(VNET, std::slice::from_ref(&name))) {
            return None;
        }
        let taken: Vec<Cidr> = self.design.vnets.iter().flat_map(|v| v.address_prefixes.clone()).collect();
        let (prefixes, placeholder) =
            if prefixes.is_empty() || prefixes.iter().any(|p| taken.iter().any(|t| t.overlaps(p))) {
                let free = (64u32..128)
                    .map(|b| Cidr::new((100 << 24) | (b << 16), 16))
                    .find(|c| !taken.iter().any(|t| t.overlaps(c)))?;
                (vec![free], true)
            } else {
                (prefixes, false)
            };
        let mut subnets = Vec::new();
        if let Some(subnet) = subnet {
            let first = prefixes[0];
            let len = first.len.max(26);
            subnets.push(Subnet {
                name: subnet.to_string(),
                prefix: Cidr::new(first.network(), len),
                nsg: None,
                route_table: None,
            });
        }
        let space: Vec<String> = prefixes.iter().map(|p| p.to_string()).collect();
        self.notes.push(format!(
            "VNet '{name}' is not in the input; it stands in for the VNet the input refers to, with {} address space {}{}.",
            if placeholder { "the placeholder" } else { "the referring resource's view of its" },
            space.join(", "),
            match subnet {
                Some(s) => format!(" and subnet '{s}' ({}, placeholder)", subnets[0].prefix),
                None => String::new(),
            }
        ));
        self.design.vnets.push(Vnet {
            name: name.clone(),
            subscription: id.subscription.clone().unwrap_or_else(|| near.subscription.clone()),
            resource_group: id.resource_group.clone().unwrap_or_else(|| near.resource_group.clone()),
            region: region(near),
            address_prefixes: prefixes,
            subnets,
            private_dns_zones: Vec::new(),
            route_server_default_route: false,
        });
        Some(name)
    }

    fn vnet_name(&self, name: &str) -> Option<String> {
        self.design.vnets.iter().find(|v| same(&v.name, name)).map(|v| v.name.clone())
    }

    fn peerings(&mut self) {
        for i in self.of_type(PEERING) {
            let raw = self.raws[i].clone();
            let props = self.props(i).clone();
            let Some(remote) = link(&props, "remoteVirtualNetwork", VNET) else {
                self.skip(i, format!("its remote VNet is unknown: {}", why_missing(&props, "remoteVirtualNetwork.id")));
                continue;
            };
            let local_id = ArmId {
                subscription: Some(raw.subscription.clone()),
                resource_group: Some(raw.resource_group.clone()),
                rtype: VNET.into(),
                names: vec![raw.names[0].clone()],
            };
            let Some(from) = self.stand_in(&local_id, &raw, Vec::new(), None) else {
                self.skip(i, "its VNet is not in the imported design");
                continue;
            };
            let (remote_space, _) = cidr_list(
                at(&props, "remoteVirtualNetworkAddressSpace.addressPrefixes")
                    .or_else(|| at(&props, "remoteAddressSpace.addressPrefixes")),
            );
            let Some(to) = self.stand_in(&remote, &raw, remote_space, None) else {
                self.skip(i, "its remote VNet is not in the imported design");
                continue;
            };
            if same(&from, &to) {
                self.skip(i, "a VNet cannot be peered with itself");
                continue;
            }
            if self.design.peerings.iter().any(|p| p.from == from && p.to == to) {
                self.skip(i, format!("a second link from '{from}' to '{to}'"));
                continue;
            }
            let (a, b) = (self.design.vnet(&from).cloned(), self.design.vnet(&to).cloned());
            if let (Some(a), Some(b)) = (a, b) {
                if a.address_prefixes.iter().any(|p| b.address_prefixes.iter().any(|q| p.overlaps(q))) {
                    self.skip(
                        i,
                        format!("'{from}' and '{to}' have overlapping address spaces: Azure refuses the peering"),
                    );
                    continue;
                }
            }
            let name = raw.names.last().cloned().unwrap_or_default();
            self.design.peerings.push(PeeringLink {
                name,
                from: from.clone(),
                to: to.clone(),
                allow_virtual_network_access: flag(&props, "allowVirtualNetworkAccess").unwrap_or(true),
                allow_forwarded_traffic: flag(&props, "allowForwardedTraffic").unwrap_or(false),
                allow_gateway_transit: flag(&props, "allowGatewayTransit").unwrap_or(false),
                use_remote_gateways: flag(&props, "useRemoteGateways").unwrap_or(false),
            });
            self.done(i);
            // Live data says when the partner link was deleted.
            if text(&props, "peeringState").is_some_and(|s| same(&s, "Disconnected")) {
                self.design.deleted_peerings.push(DeletedPeering { from: to, to: from });
            }
        }
        // A Disconnected link whose partner is in the input after all is not deleted.
        let links: BTreeSet<(String, String)> =
            self.design.peerings.iter().map(|p| (p.from.clone(), p.to.clone())).collect();
        self.design.deleted_peerings.retain(|d| !links.contains(&(d.from.clone(), d.to.clone())));
    }

    // ---- Virtual WAN, gateways, on-premises ------------------------------------------

    fn wans(&mut self) {
        for i in self.of_type(WAN) {
            let name = self.name(i);
            if self.design.virtual_wans.iter().any(|n| same(&n.name, &name)) {
                self.skip(i, "another Virtual WAN of that name is already imported");
                continue;
            }
            let raw = &self.raws[i];
            self.design.virtual_wans.push(VirtualWan {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
            });
            self.done(i);
        }
        for i in self.of_type(HUB) {
            let name = self.name(i);
            let props = self.props(i).clone();
            let wan = link(&props, "virtualWan", WAN)
                .and_then(|id| self.linked_name(self.design.virtual_wans.iter().map(|w| w.name.clone()), &id));
            let prefix = text(&props, "addressPrefix").map(|p| p.parse::<Cidr>());
            match (wan, prefix) {
                _ if self.design.virtual_hubs.iter().any(|h| same(&h.name, &name)) => {
                    self.skip(i, "another virtual hub of that name is already imported")
                }
                (None, _) => self.skip(
                    i,
                    format!("its Virtual WAN is not in the imported design ({})", why_missing(&props, "virtualWan.id")),
                ),
                (_, None) => {
                    self.skip(i, format!("its address prefix is unknown: {}", why_missing(&props, "addressPrefix")))
                }
                (_, Some(Err(err))) => self.skip(i, format!("its address prefix is not a CIDR ({err})")),
                (Some(wan), Some(Ok(address_prefix))) => {
                    // Live JSON links the hub to its firewall; a template deploys the
                    // firewall with `virtualHub.id` naming the hub (the export does).
                    let secured = link(&props, "azureFirewall", "").is_some() || self.hub_has_firewall(&name);
                    let region = region(&self.raws[i]);
                    self.design.virtual_hubs.push(VirtualHub {
                        name,
                        virtual_wan: wan,
                        region,
                        address_prefix,
                        secured,
                    });
                    self.done(i);
                }
            }
        }
        for i in self.of_type(HUB_CONNECTION) {
            let props = self.props(i).clone();
            let hub = self.raws[i]
                .names
                .first()
                .and_then(|h| self.design.virtual_hubs.iter().find(|it| same(&it.name, h)).map(|it| it.name.clone()));
            let vnet = link(&props, "remoteVirtualNetwork", VNET).and_then(|id| self.vnet_name(id.names.first()?));
            let name = self.name(i);
            match (hub, vnet) {
                (None, _) => self.skip(i, "its virtual hub is not in the imported design"),
                (_, None) => self.skip(
                    i,
                    format!(
                        "its VNet is not in the imported design ({})",
                        why_missing(&props, "remoteVirtualNetwork.id")
                    ),
                ),
                (Some(_), Some(vnet)) if self.design.hub_connections.iter().any(|c| c.vnet == vnet) => {
                    self.skip(i, format!("VNet '{vnet}' is already connected to a hub"))
                }
                (Some(hub), Some(vnet)) => {
                    let propagate_default_route = flag(&props, "enableInternetSecurity").unwrap_or(false);
                    self.design.hub_connections.push(HubConnection { name, vnet, hub, propagate_default_route });
                    self.done(i);
                }
            }
        }
    }

    /// An Azure Firewall of the input placed in hub `hub` (`properties.virtualHub.id`).
    fn hub_has_firewall(&self, hub: &str) -> bool {
        self.raws.iter().any(|raw| {
            same(&raw.rtype, AZURE_FIREWALL)
                && link(raw.body.get("properties").unwrap_or(&Value::Null), "virtualHub", HUB)
                    .is_some_and(|id| id.names.first().is_some_and(|n| same(n, hub)))
        })
    }

    fn gateways(&mut self) {
        for i in self.of_type(VNET_GATEWAY) {
            let name = self.name(i);
            let props = self.props(i).clone();
            let kind = match text(&props, "gatewayType").map(|t| t.to_ascii_lowercase()).as_deref() {
                Some("vpn") => GatewayKind::Vpn,
                Some("expressroute") => GatewayKind::ExpressRoute,
                _ => {
                    self.skip(
                        i,
                        format!("its gateway type is not Vpn or ExpressRoute ({})", why_missing(&props, "gatewayType")),
                    );
                    continue;
                }
            };
            let vnet = link(&props, "ipConfigurations.0.properties.subnet", SUBNET)
                .and_then(|id| self.vnet_name(id.names.first()?));
            match vnet {
                _ if self.design.gateways.iter().any(|g| same(&g.name, &name)) => {
                    self.skip(i, "another gateway of that name is already imported")
                }
                None => self.skip(
                    i,
                    format!(
                        "its VNet is not in the imported design ({})",
                        why_missing(&props, "ipConfigurations.0.properties.subnet.id")
                    ),
                ),
                Some(vnet) if self.design.vnet(&vnet).is_some_and(|v| v.subnet(GATEWAY_SUBNET).is_none()) => {
                    self.skip(i, format!("VNet '{vnet}' has no GatewaySubnet in the imported design"))
                }
                Some(vnet) => {
                    self.design.gateways.push(Gateway { name, kind, vnet: Some(vnet), hub: None });
                    self.done(i);
                }
            }
        }
        for (rtype, kind) in [(VPN_GATEWAY, GatewayKind::Vpn), (ER_GATEWAY, GatewayKind::ExpressRoute)] {
            for i in self.of_type(rtype) {
                let name = self.name(i);
                let hub = link(self.props(i), "virtualHub", HUB)
                    .and_then(|id| self.linked_name(self.design.virtual_hubs.iter().map(|h| h.name.clone()), &id));
                match hub {
                    _ if self.design.gateways.iter().any(|g| same(&g.name, &name)) => {
                        self.skip(i, "another gateway of that name is already imported")
                    }
                    None => self.skip(i, "its virtual hub is not in the imported design"),
                    Some(hub) => {
                        self.design.gateways.push(Gateway { name, kind, vnet: None, hub: Some(hub) });
                        self.done(i);
                    }
                }
            }
        }
    }

    fn sites(&mut self) {
        for i in self.of_type(LOCAL_GATEWAY) {
            self.site(i, "localNetworkAddressSpace.addressPrefixes");
        }
        self.vpn_sites();
        for i in self.of_type(CONNECTION) {
            let name = self.name(i);
            let props = self.props(i).clone();
            let kind = text(&props, "connectionType").unwrap_or_default();
            if !same(&kind, "IPsec") {
                self.skip(i, format!("a {kind} connection: the model holds gateway-to-site (IPsec) connections only"));
                continue;
            }
            let gateway = link(&props, "virtualNetworkGateway1", VNET_GATEWAY)
                .and_then(|id| self.linked_name(self.design.gateways.iter().map(|g| g.name.clone()), &id));
            let site = link(&props, "localNetworkGateway2", LOCAL_GATEWAY)
                .and_then(|id| self.linked_name(self.design.onprem_sites.iter().map(|s| s.name.clone()), &id));
            match (gateway, site) {
                (None, _) => self.skip(i, "its VPN gateway is not in the imported design"),
                (_, None) => self.skip(i, "its local network gateway (site) is not in the imported design"),
                (Some(gateway), Some(site)) => {
                    // Forced tunnelling: the site is its VPN gateway's default site.
                    let advertises_default_route = self.is_default_site(&gateway, &site);
                    self.design.site_connections.push(SiteConnection { name, gateway, site, advertises_default_route });
                    self.done(i);
                }
            }
        }
    }

    /// An on-premises site from a local network gateway or a vpnSite, its prefixes at
    /// `prefixes_at` under `properties`. The same site seen from both sides (a VNet
    /// gateway's local network gateway and a hub's vpnSite, same name and prefixes) is one.
    fn site(&mut self, i: usize, prefixes_at: &str) {
        let name = self.name(i);
        let props = self.props(i).clone();
        let (prefixes, bad) = cidr_list(at(&props, prefixes_at));
        for why in &bad {
            let path = format!("{}.properties.{prefixes_at}", self.raws[i].path);
            self.note(path, format!("an address prefix of {}", self.what(i)), why.clone());
        }
        match self.design.onprem_sites.iter().find(|s| same(&s.name, &name)) {
            Some(site) if !prefixes.is_empty() && site.address_prefixes == prefixes => self.done(i),
            Some(_) => self.skip(i, "another on-premises site of that name (with other prefixes) is already imported"),
            None if prefixes.is_empty() => self.skip(
                i,
                format!("it gives no address prefixes (BGP only, or unknown: {})", why_missing(&props, prefixes_at)),
            ),
            None => {
                self.design.onprem_sites.push(OnPremSite { name, address_prefixes: prefixes });
                self.done(i);
            }
        }
    }

    /// Virtual WAN site-to-site VPN: `vpnSites` become on-premises sites (their address
    /// space; a site link's address and BGP settings are not in the model), and each
    /// `vpnGateways/vpnConnections` (child, `gw/conn`, inline in the gateway's
    /// `connections`, or live) a connection from the hub's VPN gateway to its site.
    fn vpn_sites(&mut self) {
        for i in self.of_type(VPN_SITE) {
            self.site(i, "addressSpace.addressPrefixes");
        }
        for i in self.of_type(VPN_CONNECTION) {
            let name = self.name(i);
            let props = self.props(i).clone();
            let gateway = self.raws[i].names.first().and_then(|g| {
                self.design
                    .gateways
                    .iter()
                    .find(|it| same(&it.name, g) && it.hub.is_some() && it.kind == GatewayKind::Vpn)
                    .map(|it| it.name.clone())
            });
            // The site: `remoteVpnSite.id`, else the site of its first link connection's
            // `vpnSiteLink.id` (`…/vpnSites/{site}/vpnSiteLinks/{link}`).
            let site_id =
                link(&props, "remoteVpnSite", VPN_SITE).and_then(|id| id.names.first().cloned()).or_else(|| {
                    let id = link(&props, "vpnLinkConnections.0.properties.vpnSiteLink", VPN_SITE_LINK)?;
                    (same(&id.rtype, VPN_SITE_LINK) && id.names.len() == 2).then(|| id.names[0].clone())
                });
            let site = site_id
                .as_ref()
                .and_then(|s| self.design.onprem_sites.iter().find(|it| same(&it.name, s)).map(|it| it.name.clone()));
            match (gateway, site) {
                _ if self.design.site_connections.iter().any(|c| same(&c.name, &name)) => {
                    self.skip(i, "another site connection of that name is already imported")
                }
                (None, _) => self.skip(
                    i,
                    format!(
                        "its VPN gateway '{}' is not a Virtual WAN hub's VPN gateway of the imported design",
                        self.raws[i].names.first().cloned().unwrap_or_default()
                    ),
                ),
                (_, None) => self.skip(
                    i,
                    match site_id {
                        Some(s) => format!("its VPN site '{s}' is not in the imported design"),
                        None => format!("its VPN site is unknown ({})", why_missing(&props, "remoteVpnSite.id")),
                    },
                ),
                (Some(gateway), Some(site)) => {
                    // A branch advertising 0.0.0.0/0 does so over BGP: no template says it.
                    let advertises_default_route = false;
                    self.design.site_connections.push(SiteConnection { name, gateway, site, advertises_default_route });
                    self.done(i);
                }
            }
        }
    }

    /// Whether `site` is the `gatewayDefaultSite` of VNet gateway `gateway` (forced
    /// tunnelling: the gateway sends 0.0.0.0/0 to that site).
    fn is_default_site(&self, gateway: &str, site: &str) -> bool {
        let id =
            ArmId { subscription: None, resource_group: None, rtype: VNET_GATEWAY.into(), names: vec![gateway.into()] };
        self.find(&id)
            .and_then(|g| link(self.props(g), "gatewayDefaultSite", LOCAL_GATEWAY))
            .is_some_and(|default| default.names.first().is_some_and(|n| same(n, site)))
    }

    // ---- Bastions --------------------------------------------------------------------

    fn bastions(&mut self) {
        for i in self.of_type(BASTION) {
            let name = self.name(i);
            let raw = self.raws[i].clone();
            let props = self.props(i).clone();
            let sku = match text(&raw.body, "sku.name").map(|s| s.to_ascii_lowercase()).as_deref() {
                None => BastionSku::Basic,
                Some("developer") => BastionSku::Developer,
                Some("basic") => BastionSku::Basic,
                Some("standard") => BastionSku::Standard,
                Some("premium") => BastionSku::Premium,
                Some(other) => {
                    self.skip(i, format!("unknown Bastion SKU '{other}'"));
                    continue;
                }
            };
            if self.design.bastions.iter().any(|b| same(&b.name, &name)) {
                self.skip(i, "another Bastion of that name is already imported");
                continue;
            }
            let (vnet_id, subnet) = match link(&props, "virtualNetwork", VNET) {
                Some(id) => (Some(id), None),
                None => match link(&props, "ipConfigurations.0.properties.subnet", SUBNET) {
                    Some(id) => {
                        let subnet = id.names.get(1).cloned();
                        let vnet =
                            ArmId { names: id.names.iter().take(1).cloned().collect(), rtype: VNET.into(), ..id };
                        (Some(vnet), subnet)
                    }
                    None => (None, None),
                },
            };
            let Some(vnet_id) = vnet_id else {
                let why = why_missing(&props, "ipConfigurations.0.properties.subnet.id");
                self.skip(i, format!("its VNet is unknown: {why}"));
                continue;
            };
            let Some(vnet) = self.stand_in(&vnet_id, &raw, Vec::new(), subnet.as_deref()) else {
                self.skip(i, "its VNet is not in the imported design");
                continue;
            };
            if let Some(other) = self.design.bastions.iter().find(|b| b.vnet == vnet) {
                let why = format!("VNet '{vnet}' already has Bastion '{}': a VNet holds one Bastion", other.name);
                self.skip(i, why);
                continue;
            }
            let mut public_ip = None;
            if let Some(id) = link(&props, "ipConfigurations.0.properties.publicIPAddress", PIP) {
                let found = self.linked_name(self.design.public_ips.iter().map(|p| p.name.clone()), &id);
                match found {
                    Some(pip) if !self.pip_in_use(&pip) => public_ip = Some(pip),
                    Some(pip) => self.note(
                        format!("{}.properties.ipConfigurations[0].properties.publicIPAddress", raw.path),
                        format!("the public IP link of Bastion '{name}'"),
                        format!("public IP '{pip}' is already used by another resource"),
                    ),
                    // Absent from the input (a GET of the Bastion alone): the Bastion has
                    // it, and Azure gives a Basic-or-above Bastion only a Standard static
                    // IPv4 one, so it stands in as that. One the input holds but could not
                    // import gets none.
                    None if !self.index.contains_key(&key(PIP, &id.names)) && id.names.len() == 1 => {
                        let pip = id.names[0].clone();
                        self.notes.push(format!(
                            "Public IP '{pip}' is not in the input; it stands in for the one Bastion '{name}' refers to, as Standard, static, IPv4 (what Azure requires of a Bastion's address)."
                        ));
                        self.design.public_ips.push(PublicIp {
                            name: pip.clone(),
                            subscription: id.subscription.clone().unwrap_or_else(|| raw.subscription.clone()),
                            resource_group: id.resource_group.clone().unwrap_or_else(|| raw.resource_group.clone()),
                            sku: PublicIpSku::Standard,
                            allocation: IpAllocation::Static,
                            version: IpVersion::default(),
                            zones: Vec::new(),
                        });
                        public_ip = Some(pip);
                    }
                    None => self.note(
                        format!("{}.properties.ipConfigurations[0].properties.publicIPAddress", raw.path),
                        format!("the public IP link of Bastion '{name}'"),
                        format!("public IP '{}' is not in the imported design", id.names.join("/")),
                    ),
                }
            }
            let mut bastion = BastionHost::with_defaults(&name, &vnet, sku, public_ip);
            if let Some(units) = at(&props, "scaleUnits").and_then(Value::as_i64) {
                match u32::try_from(units) {
                    Ok(units) if (2..=50).contains(&units) => bastion.scale_units = units,
                    _ => self.note(
                        format!("{}.properties.scaleUnits", raw.path),
                        format!("the scale units of Bastion '{name}'"),
                        format!("{units} is not from 2 to 50; the default 2 is used"),
                    ),
                }
            }
            let f = |key: &str| flag(&props, key).unwrap_or(false);
            bastion.features = BastionFeatures {
                native_client: f("enableTunneling"),
                ip_connect: f("enableIpConnect"),
                shareable_link: f("enableShareableLink"),
                file_copy: f("enableFileCopy"),
                kerberos: f("enableKerberos"),
                session_recording: f("enableSessionRecording"),
                private_only: f("enablePrivateOnlyBastion"),
                disable_copy_paste: f("disableCopyPaste"),
            };
            bastion.zones = zones(&raw);
            let vnet_rg = self.design.vnet(&vnet).map(|v| v.resource_group.clone()).unwrap_or_default();
            if !same(&vnet_rg, &raw.resource_group) {
                bastion.resource_group = Some(raw.resource_group.clone());
            }
            self.design.bastions.push(bastion);
            self.done(i);
        }
    }

    /// Diagnostic settings of a Bastion that send its audit logs (`BastionAuditLogs`, or the
    /// `allLogs` / `audit` category groups) to a Log Analytics workspace of the design: what
    /// CAF-R6 reads (`diagnostics_workspace`). Settings on other resources stay unmapped.
    fn diagnostics(&mut self) {
        for i in 0..self.raws.len() {
            if self.used[i] {
                continue;
            }
            let raw = &self.raws[i];
            let bastion = if same(&raw.rtype, DIAGNOSTICS) {
                match text(&raw.body, "scope").and_then(|scope| ArmId::parse(&scope)) {
                    Some(id) if same(&id.rtype, BASTION) => id.names.last().cloned(),
                    _ => continue,
                }
            } else if same(&raw.rtype, BASTION_DIAGNOSTICS) {
                raw.names.first().cloned()
            } else {
                continue;
            };
            let Some(b) = bastion.and_then(|name| self.design.bastions.iter().position(|it| same(&it.name, &name)))
            else {
                self.skip(i, "its Bastion is not in the imported design");
                continue;
            };
            let logs = at(self.props(i), "logs").and_then(Value::as_array).cloned().unwrap_or_default();
            let audit = logs.iter().any(|log| {
                let on = flag(log, "enabled").unwrap_or(true);
                let category = text(log, "category").is_some_and(|c| same(&c, "BastionAuditLogs"));
                let group = text(log, "categoryGroup").is_some_and(|g| same(&g, "allLogs") || same(&g, "audit"));
                on && (category || group)
            });
            if !audit {
                self.skip(i, "it sends no BastionAuditLogs (the only Bastion logs CAF-R6 reads)");
                continue;
            }
            let Some(id) = link(self.props(i), "workspaceId", WORKSPACE) else {
                let why = why_missing(self.props(i), "workspaceId");
                self.skip(i, format!("it sends to no Log Analytics workspace the model holds ({why})"));
                continue;
            };
            let Some(workspace) = self.linked_name(self.design.log_workspaces.iter().map(|w| w.name.clone()), &id)
            else {
                self.skip(i, "its Log Analytics workspace is not in the imported design");
                continue;
            };
            self.design.bastions[b].diagnostics_workspace = Some(workspace);
            self.done(i);
        }
    }

    fn pip_in_use(&self, pip: &str) -> bool {
        self.design.bastions.iter().any(|b| b.public_ip.as_deref() == Some(pip))
            || self.design.vms.iter().any(|v| v.nic.public_ip.as_deref() == Some(pip))
    }

    // ---- VMs and scale sets ----------------------------------------------------------

    fn vms(&mut self) {
        // (vm, dynamic address?) in input order; dynamic addresses are given after every
        // static one is known, so they never collide.
        let mut pending: Vec<(Vm, bool, usize)> = Vec::new();
        for i in self.of_type(VM) {
            match self.vm(i) {
                Ok((vm, dynamic)) => pending.push((vm, dynamic, i)),
                Err(why) => self.skip(i, why),
            }
        }
        for i in self.of_type(VMSS) {
            match self.scale_set(i) {
                Ok(vm) => pending.push((vm, true, i)),
                Err(why) => self.skip(i, why),
            }
        }
        let mut taken: BTreeSet<(String, u32)> =
            self.design.vms.iter().map(|v| (v.nic.vnet.clone(), v.nic.private_ip.0)).collect();
        let mut statics: Vec<(Vm, usize)> = Vec::new();
        let mut dynamics: Vec<(Vm, usize)> = Vec::new();
        for (vm, dynamic, i) in pending {
            if dynamic {
                dynamics.push((vm, i));
            } else {
                statics.push((vm, i));
            }
        }
        for (vm, i) in statics {
            let Some(subnet) = self.design.vnet(&vm.nic.vnet).and_then(|v| v.subnet(&vm.nic.subnet)).cloned() else {
                continue;
            };
            let ip = vm.nic.private_ip;
            let offset = ip.0.wrapping_sub(subnet.prefix.network());
            if !subnet.prefix.contains_ip(ip) || offset < 4 || ip.0 == subnet.prefix.last() {
                self.skip(
                    i,
                    format!("its address {ip} is not assignable in subnet '{}' ({})", subnet.name, subnet.prefix),
                );
            } else if !taken.insert((vm.nic.vnet.clone(), ip.0)) {
                self.skip(i, format!("its address {ip} is already used in VNet '{}'", vm.nic.vnet));
            } else {
                self.place_vm(vm, i);
            }
        }
        for (mut vm, i) in dynamics {
            let Some(subnet) = self.design.vnet(&vm.nic.vnet).and_then(|v| v.subnet(&vm.nic.subnet)).cloned() else {
                continue;
            };
            let free = (subnet.prefix.network() + 4..subnet.prefix.last())
                .find(|a| !taken.contains(&(vm.nic.vnet.clone(), *a)));
            match free {
                Some(address) => {
                    taken.insert((vm.nic.vnet.clone(), address));
                    vm.nic.private_ip = Ipv4(address);
                    self.place_vm(vm, i);
                }
                None => self.skip(i, format!("subnet '{}' has no free address left", subnet.name)),
            }
        }
        // NICs that no VM took.
        for i in self.of_type(NIC) {
            let vm = link(self.props(i), "virtualMachine", VM);
            let why = match vm {
                Some(vm) => format!(
                    "its VM '{}' is not in the input (the model holds a NIC as part of its VM, whose OS and sign-in are unknown)",
                    vm.names.join("/")
                ),
                None => "no VM in the input uses it (the model holds a NIC as part of its VM)".to_string(),
            };
            self.skip(i, why);
        }
    }

    fn place_vm(&mut self, mut vm: Vm, i: usize) {
        if let Some(pip) = vm.nic.public_ip.clone() {
            if self.pip_in_use(&pip) {
                vm.nic.public_ip = None;
                self.note(
                    self.raws[i].path.clone(),
                    format!("the public IP link of VM '{}'", vm.name),
                    format!("public IP '{pip}' is already used by another resource"),
                );
            }
        }
        self.design.vms.push(vm);
        self.done(i);
    }

    /// The design's VNet and subnet names for a subnet id, when both are in the design.
    fn subnet_of(&self, id: &ArmId) -> Option<(String, String)> {
        let vnet = self.design.vnets.iter().find(|v| id.names.first().is_some_and(|n| same(&v.name, n)))?;
        let subnet = vnet.subnets.iter().find(|s| id.names.get(1).is_some_and(|n| same(&s.name, n)))?;
        Some((vnet.name.clone(), subnet.name.clone()))
    }

    fn nsg_link(&mut self, value: &Value, path: &str, at_path: String, what: String) -> Option<String> {
        let id = link(value, path, NSG)?;
        let found = self.linked_name(self.design.nsgs.iter().map(|n| n.name.clone()), &id);
        if found.is_none() {
            self.note(at_path, what, format!("NSG '{}' is not in the imported design", id.names.join("/")));
        }
        found
    }

    fn vm(&mut self, i: usize) -> Result<(Vm, bool), String> {
        let name = self.name(i);
        if self.design.vms.iter().any(|v| same(&v.name, &name)) {
            return Err("another VM of that name is already imported".into());
        }
        let props = self.props(i).clone();
        let Some(nic) = primary(at(&props, "networkProfile.networkInterfaces")) else {
            return match primary(at(&props, "networkProfile.networkInterfaceConfigurations")) {
                Some(config) => self.vm_with_inline_nic(i, &props, config).map(|vm| (vm, true)),
                None => Err(format!(
                    "it has no network interface ({})",
                    why_missing(&props, "networkProfile.networkInterfaces")
                )),
            };
        };
        let nic_id = link(nic, "", NIC).ok_or_else(|| format!("its NIC is unknown: {}", why_missing(nic, "id")))?;
        let n = self
            .find(&nic_id)
            .filter(|&n| !self.used[n] && same(&self.raws[n].rtype, NIC))
            .ok_or_else(|| format!("its NIC '{}' is not in the input", nic_id.names.join("/")))?;
        let nic_props = self.props(n).clone();
        let config = primary(at(&nic_props, "ipConfigurations")).ok_or("its NIC has no IP configuration")?;
        let subnet_id = link(config, "properties.subnet", SUBNET)
            .ok_or_else(|| format!("its NIC's subnet is unknown: {}", why_missing(config, "properties.subnet.id")))?;
        let (vnet, subnet) = self
            .subnet_of(&subnet_id)
            .ok_or_else(|| format!("its NIC's subnet '{}' is not in the imported design", subnet_id.names.join("/")))?;
        let (os, sign_in) = os_and_sign_in(&props)?;
        let nic_name = self.name(n);
        if self.design.vms.iter().any(|v| same(&v.nic_name(), &nic_name)) {
            return Err(format!("its NIC '{nic_name}' is already used by another VM"));
        }
        let address =
            text(config, "properties.privateIPAddress").and_then(|a| a.split('/').next()?.parse::<Ipv4>().ok());
        let nic_path = self.raws[n].path.clone();
        let nsg = self.nsg_link(
            &nic_props,
            "networkSecurityGroup",
            format!("{nic_path}.properties.networkSecurityGroup"),
            format!("the NSG link of NIC '{nic_name}'"),
        );
        let mut public_ip = None;
        if let Some(id) = link(config, "properties.publicIPAddress", PIP) {
            public_ip = self.linked_name(self.design.public_ips.iter().map(|p| p.name.clone()), &id);
            if public_ip.is_none() {
                self.note(
                    format!("{nic_path}.properties.ipConfigurations"),
                    format!("the public IP link of NIC '{nic_name}'"),
                    format!("public IP '{}' is not in the imported design", id.names.join("/")),
                );
            }
        }
        self.done(n);
        let entra = self.entra_extension(i);
        let raw = &self.raws[i];
        let mut vm = Vm::in_subnet(
            &name,
            (&raw.subscription, &raw.resource_group),
            (os, sign_in),
            (&vnet, &subnet, address.unwrap_or(Ipv4(0))),
        );
        vm.nic.name = if same(&nic_name, &format!("{name}-nic")) { String::new() } else { nic_name };
        vm.nic.nsg = nsg;
        vm.nic.public_ip = public_ip;
        vm.entra_login_extension = entra;
        Ok((vm, address.is_none()))
    }

    /// A VM that declares its NIC inline (`networkInterfaceConfigurations`, Azure creates
    /// the NIC): the primary one's subnet and NSG; its address is dynamic.
    fn vm_with_inline_nic(&mut self, i: usize, props: &Value, config: &Value) -> Result<Vm, String> {
        let name = self.name(i);
        let subnet_path = "properties.ipConfigurations.0.properties.subnet";
        let subnet_id = link(config, subnet_path, SUBNET).ok_or_else(|| {
            format!("its NIC's subnet is unknown: {}", why_missing(config, &format!("{subnet_path}.id")))
        })?;
        let (vnet, subnet) = self
            .subnet_of(&subnet_id)
            .ok_or_else(|| format!("its NIC's subnet '{}' is not in the imported design", subnet_id.names.join("/")))?;
        let (os, sign_in) = os_and_sign_in(props)?;
        let nic_name = text(config, "name").unwrap_or_else(|| format!("{name}-nic"));
        if self.design.vms.iter().any(|v| same(&v.nic_name(), &nic_name)) {
            return Err(format!("its NIC '{nic_name}' is already used by another VM"));
        }
        let path = format!("{}.properties.networkProfile.networkInterfaceConfigurations", self.raws[i].path);
        let nsg =
            self.nsg_link(config, "properties.networkSecurityGroup", path, format!("the NSG link of NIC '{nic_name}'"));
        let public_ip = match primary(at(config, "properties.ipConfigurations")) {
            Some(ip_config) => self.inline_public_ip(i, &format!("VM '{name}'"), ip_config),
            None => None,
        };
        let entra = self.entra_extension(i);
        let raw = &self.raws[i];
        let mut vm =
            Vm::in_subnet(&name, (&raw.subscription, &raw.resource_group), (os, sign_in), (&vnet, &subnet, Ipv4(0)));
        vm.nic.name = if same(&nic_name, &format!("{name}-nic")) { String::new() } else { nic_name };
        vm.nic.nsg = nsg;
        vm.nic.public_ip = public_ip;
        vm.entra_login_extension = entra;
        Ok(vm)
    }

    /// Whether the VM has the Entra ID login extension (child extension resources).
    fn entra_extension(&mut self, i: usize) -> bool {
        let mut found = false;
        for e in self.children(VM_EXTENSION, &self.raws[i].names.clone()) {
            let ty = text(self.props(e), "type").unwrap_or_default();
            if is_entra_extension(&ty) {
                found = true;
                self.done(e);
            }
        }
        found
    }

    fn scale_set(&mut self, i: usize) -> Result<Vm, String> {
        let name = self.name(i);
        if self.design.vms.iter().any(|v| same(&v.name, &name)) {
            return Err("another VM or scale set of that name is already imported".into());
        }
        let props = self.props(i).clone();
        let profile = at(&props, "virtualMachineProfile").cloned().ok_or("it has no virtualMachineProfile")?;
        let nic = at(&profile, "networkProfile.networkInterfaceConfigurations.0")
            .cloned()
            .ok_or("its network interface configuration is unknown")?;
        let subnet_id = link(&nic, "properties.ipConfigurations.0.properties.subnet", SUBNET).ok_or_else(|| {
            format!(
                "its subnet is unknown: {}",
                why_missing(&nic, "properties.ipConfigurations.0.properties.subnet.id")
            )
        })?;
        let (vnet, subnet) = self
            .subnet_of(&subnet_id)
            .ok_or_else(|| format!("its subnet '{}' is not in the imported design", subnet_id.names.join("/")))?;
        let (os, sign_in) = os_and_sign_in(&profile)?;
        let nsg = self.nsg_link(
            &nic,
            "properties.networkSecurityGroup",
            format!("{}.properties.virtualMachineProfile.networkProfile", self.raws[i].path),
            format!("the NSG link of scale set '{name}'"),
        );
        let entra = at(&profile, "extensionProfile.extensions").and_then(Value::as_array).is_some_and(|list| {
            list.iter().any(|e| text(e, "properties.type").is_some_and(|t| is_entra_extension(&t)))
        });
        // Each instance gets a public IP of this configuration; the scale set stands for its
        // instances, and one public IP for theirs.
        let public_ip = match primary(at(&nic, "properties.ipConfigurations")) {
            Some(ip_config) => self.inline_public_ip(i, &format!("scale set '{name}'"), ip_config),
            None => None,
        };
        let raw = &self.raws[i];
        let mut vm =
            Vm::in_subnet(&name, (&raw.subscription, &raw.resource_group), (os, sign_in), (&vnet, &subnet, Ipv4(0)));
        vm.scale_set = true;
        vm.nic.nsg = nsg;
        vm.nic.public_ip = public_ip;
        vm.entra_login_extension = entra;
        Ok(vm)
    }

    // ---- the rest --------------------------------------------------------------------

    fn rest(&mut self) {
        for i in 0..self.raws.len() {
            if self.used[i] {
                continue;
            }
            let rtype = self.raws[i].rtype.to_ascii_lowercase();
            let why = match rtype.as_str() {
                SUBNET => format!("its VNet '{}' is not in the imported design", self.raws[i].names[0]),
                PEERING => "its VNet is not in the imported design".to_string(),
                RULE => format!("its NSG '{}' is not in the imported design", self.raws[i].names[0]),
                ROUTE => format!("its route table '{}' is not in the imported design", self.raws[i].names[0]),
                _ => reason_for_type(&rtype).to_string(),
            };
            self.skip(i, why);
        }
    }

    /// The values of imported resources that could not be known. One reason shared by many
    /// resources (a secure parameter without a value in every VM, say) is one item that
    /// counts them and names the first: a template of 20,000 VMs listed it 20,000 times.
    fn report_unknowns(&mut self) {
        const LISTED: usize = 3;
        // Per reason, in order of first appearance: the (path, resource) of each value.
        let mut reasons: Vec<(String, Vec<(String, usize)>)> = Vec::new();
        let mut at_reason: std::collections::HashMap<String, usize> = Default::default();
        for i in (0..self.raws.len()).filter(|&i| self.mapped[i]) {
            for (path, why) in &self.raws[i].unknowns {
                let at = *at_reason.entry(why.clone()).or_insert_with(|| {
                    reasons.push((why.clone(), Vec::new()));
                    reasons.len() - 1
                });
                reasons[at].1.push((path.clone(), i));
            }
        }
        for (why, values) in reasons {
            let why = format!("not read: {why}");
            let mut resources: Vec<usize> = values.iter().map(|&(_, i)| i).collect();
            resources.dedup();
            if resources.len() <= LISTED {
                for (path, i) in values {
                    self.skipped.push(Skipped { path, what: format!("a value of {}", self.what(i)), why: why.clone() });
                }
                continue;
            }
            let named: Vec<String> = resources.iter().take(LISTED).map(|&i| self.what(i)).collect();
            let what = format!(
                "{} values of {} resources ({} and {} more)",
                values.len(),
                resources.len(),
                named.join(", "),
                resources.len() - LISTED
            );
            self.skipped.push(Skipped { path: values[0].0.clone(), what, why });
        }
    }

    /// The last guard: whatever `validate` still finds is removed and recorded, so the
    /// design always loads.
    fn ensure_valid(&mut self) {
        for _ in 0..10_000 {
            let errors = validate(&self.design);
            let Some(error) = errors.first() else { return };
            let Ok(mut value) = serde_json::to_value(&self.design) else { break };
            let what = remove_at(&mut value, &error.path);
            match (what, crate::model::design_from_value(&value)) {
                (Some(what), Some(design)) => {
                    self.design = design;
                    self.skipped.push(Skipped {
                        path: format!("design {}", error.path),
                        what,
                        why: format!("it would make the design invalid: {}", error.message),
                    });
                }
                _ => break,
            }
        }
        if !validate(&self.design).is_empty() {
            // Unreachable in practice; an empty design is valid.
            self.skipped.push(Skipped {
                path: String::new(),
                what: "the whole design".into(),
                why: "it could not be made valid".into(),
            });
            self.design = Design::default();
        }
    }
}

fn at_unknown(value: &Value, path: &str) -> Option<String> {
    let mut node = value;
    for key in path.split('.') {
        node = node.as_object().and_then(|m| prop(m, key))?;
        if let Some(why) = unknown_why(node) {
            return Some(why.to_string());
        }
    }
    None
}

/// Removes the item a validation path points into (`vms[3].nic.vnet` removes `vms[3]`,
/// `vnets[0].subnets[2].prefix` the subnet, `nsgs[1].rules[0]` the rule); its description.
fn remove_at(value: &mut Value, path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let (collection, index) = split_index(first)?;
    let list = value.get_mut(collection)?.as_array_mut()?;
    if let Some(second) = parts.next().and_then(split_index) {
        let item = list.get_mut(index)?;
        let parent = item.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
        let inner = item.get_mut(second.0)?.as_array_mut()?;
        if second.1 < inner.len() {
            let removed = inner.remove(second.1);
            let name = removed.get("name").and_then(Value::as_str).unwrap_or("?");
            return Some(format!("{} '{name}' of '{parent}'", second.0));
        }
        return None;
    }
    if index >= list.len() {
        return None;
    }
    let removed = list.remove(index);
    let name = removed.get("name").and_then(Value::as_str).unwrap_or("?");
    Some(format!("{collection} '{name}'"))
}

fn split_index(part: &str) -> Option<(&str, usize)> {
    let (name, rest) = part.split_once('[')?;
    let index = rest.strip_suffix(']')?.parse().ok()?;
    Some((name, index))
}

fn is_entra_extension(ty: &str) -> bool {
    ["AADLoginForLinux", "AADLoginForWindows", "AADSSHLoginForLinux"].iter().any(|t| same(t, ty))
}

/// The OS (disk type, image, or OS profile) and how one signs in (SSH key when password
/// sign-in is disabled on Linux, else password).
fn os_and_sign_in(props: &Value) -> Result<(Os, SignIn), String> {
    let from_disk = text(props, "storageProfile.osDisk.osType");
    let image = format!(
        "{} {}",
        text(props, "storageProfile.imageReference.publisher").unwrap_or_default(),
        text(props, "storageProfile.imageReference.offer").unwrap_or_default()
    )
    .to_ascii_lowercase();
    let os = match from_disk.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("windows") => Os::Windows,
        Some("linux") => Os::Linux,
        _ if image.contains("windows") || image.contains("microsoftsqlserver") => Os::Windows,
        _ if [
            "canonical",
            "ubuntu",
            "redhat",
            "rhel",
            "debian",
            "suse",
            "sles",
            "openlogic",
            "centos",
            "oracle",
            "almalinux",
            "rocky",
            "linux",
            "kinvolk",
            "flatcar",
        ]
        .iter()
        .any(|k| image.contains(k)) =>
        {
            Os::Linux
        }
        _ if at(props, "osProfile.windowsConfiguration").is_some() => Os::Windows,
        _ if at(props, "osProfile.linuxConfiguration").is_some() => Os::Linux,
        _ => return Err("its OS cannot be told (no osDisk.osType, known image publisher or OS configuration)".into()),
    };
    let sign_in = match os {
        Os::Linux if flag(props, "osProfile.linuxConfiguration.disablePasswordAuthentication") == Some(true) => {
            SignIn::SshKey
        }
        _ => SignIn::Password,
    };
    Ok((os, sign_in))
}

/// Why a resource type is not in the design (one line each).
fn reason_for_type(rtype: &str) -> &'static str {
    let t = rtype;
    if t.starts_with("microsoft.network/azurefirewalls") || t.starts_with("microsoft.network/firewallpolicies") {
        "Azure Firewall is not in the model (mark the VMs it protects as azure_firewall_protected by hand)"
    } else if t.starts_with("microsoft.network/loadbalancers") {
        "load balancers do not carry Bastion sessions; the model has none"
    } else if t.starts_with("microsoft.network/natgateways") {
        "a NAT gateway affects outbound traffic only; the model has none"
    } else if t.starts_with("microsoft.containerservice/") {
        "AKS clusters are not in the model"
    } else if t.starts_with("microsoft.network/privatednszones") {
        "private DNS zones are read only through their links to imported VNets"
    } else if t.starts_with("microsoft.network/ddosprotectionplans") {
        "DDoS protection plans do not change Bastion reachability; not in the model"
    } else if t.starts_with("microsoft.network/networkmanagers") {
        "Azure Virtual Network Manager (connectivity and security admin configurations) is not in the model"
    } else if t.starts_with("microsoft.authorization/") {
        "Azure Policy, locks and role definitions are not in the model"
    } else if t.starts_with("microsoft.keyvault/") {
        "a Key Vault's secrets, keys and settings are not in the model (the vault's permission model and access policies are)"
    } else if t.starts_with("microsoft.insights/") {
        "diagnostic settings are read only for a Bastion's audit logs; other monitoring is not in the model"
    } else if t == VM_EXTENSION || t.starts_with("microsoft.compute/virtualmachinescalesets/extensions") {
        "a VM extension other than Entra ID login does not change remote access"
    } else if t.starts_with("microsoft.resources/resourcegroups") {
        "a resource group: its name is used as the resource group of what is deployed into it"
    } else if t.starts_with("microsoft.resources/deploymentscripts") {
        "deployment scripts run at deployment time; their effect cannot be known"
    } else if t == VPN_SITE_LINK {
        "a VPN site link's device address and BGP settings are not in the model (its site's address space is)"
    } else if t == VPN_CONNECTION {
        "its VPN gateway is not in the imported design"
    } else if t.starts_with("microsoft.network/vpngateways/") || t.starts_with("microsoft.network/vpnsites/") {
        "Virtual WAN VPN link connections and NAT rules are not in the model"
    } else if t.starts_with("microsoft.network/virtualhubs/") {
        "virtual hub routing configuration is not in the model"
    } else if t == BASTION || t == VNET_GATEWAY || t == VNET || t == VM || t == NIC {
        "it could not be mapped"
    } else {
        "the model has no equivalent of this resource type"
    }
}

/// A security rule: protocol, prefixes or service tags, ports, priority, direction, access.
fn security_rule(raw: &Raw) -> Result<NsgRule, String> {
    let p = raw.body.get("properties").ok_or("it has no properties")?;
    let list = |many: &str, one: &str| -> Result<Vec<String>, String> {
        let items: Vec<String> = match at(p, many).and_then(Value::as_array) {
            Some(items) if !items.is_empty() => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => text(p, one).into_iter().collect(),
        };
        if items.is_empty() {
            return Err(format!("its {one} is unknown or uses application security groups ({})", why_missing(p, one)));
        }
        Ok(items)
    };
    let protocol = match text(p, "protocol").unwrap_or_else(|| "*".into()).to_ascii_lowercase().as_str() {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        "esp" => Protocol::Esp,
        "ah" => Protocol::Ah,
        "*" | "any" => Protocol::Any,
        other => return Err(format!("protocol '{other}' is not one the model holds")),
    };
    let access = match text(p, "access").map(|a| a.to_ascii_lowercase()).as_deref() {
        Some("allow") => Access::Allow,
        Some("deny") => Access::Deny,
        _ => return Err(format!("its access is not Allow or Deny ({})", why_missing(p, "access"))),
    };
    let direction = match text(p, "direction").map(|a| a.to_ascii_lowercase()).as_deref() {
        Some("inbound") => Direction::Inbound,
        Some("outbound") => Direction::Outbound,
        _ => return Err(format!("its direction is not Inbound or Outbound ({})", why_missing(p, "direction"))),
    };
    let priority = at(p, "priority")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
        .ok_or_else(|| format!("its priority is unknown ({})", why_missing(p, "priority")))?;
    if !(100..=4096).contains(&priority) {
        return Err(format!("priority {priority} is outside 100-4096"));
    }
    let sources = list("sourceAddressPrefixes", "sourceAddressPrefix")?;
    let destinations = list("destinationAddressPrefixes", "destinationAddressPrefix")?;
    let ports = list("destinationPortRanges", "destinationPortRange")?;
    for prefix in sources.iter().chain(&destinations) {
        AddressPrefix::parse(prefix).map_err(|err| format!("address '{prefix}' is not one the model reads: {err}"))?;
    }
    for port in &ports {
        PortRange::parse(port)?;
    }
    Ok(NsgRule {
        name: raw.names.last().cloned().unwrap_or_default(),
        priority: priority as u32,
        direction,
        access,
        protocol,
        sources,
        destinations,
        destination_ports: ports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_into_type_and_names() {
        let id =
            ArmId::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a")
                .unwrap();
        assert_eq!(id.subscription.as_deref(), Some("s"));
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
        assert_eq!(id.rtype, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(id.names, vec!["v", "a"]);
        let ext = ArmId::parse("/subscriptions/s/providers/Microsoft.Network/virtualHubs/h/providers/Microsoft.Insights/diagnosticSettings/d").unwrap();
        assert_eq!(ext.rtype, "Microsoft.Insights/diagnosticSettings");
        assert!(ArmId::parse("no-id").is_none());
    }
}
