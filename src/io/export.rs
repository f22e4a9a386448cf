//! Export: the whole design as an ARM deployment template a platform engineer can review
//! and deploy — resource groups, then one nested deployment per resource group and phase
//! (base resources, VNets, gateways, what attaches to them, role assignments) — and the
//! list of what the template cannot say, each with its reason. Pure: no IO, no web types;
//! the CLI and the page call it. docs/export.md describes the template.

use crate::engine::rbac::role_definition_id;
use crate::model::ids::Scope;
use crate::model::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The template and what it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct ArmExport {
    /// The template, pretty-printed JSON; the same design gives the same bytes.
    pub template: String,
    pub not_exported: Vec<NotExported>,
}

impl ArmExport {
    /// One paragraph for the page's notice: that the template was written and, when some
    /// facts could not be, the first few of them (the CLI prints them all).
    pub fn summary(&self) -> String {
        const SHOWN: usize = 5;
        let n = self.not_exported.len();
        if n == 0 {
            return "ARM template exported: everything in the design is in it.".to_string();
        }
        let mut text = format!("ARM template exported. Not exported ({n}): ");
        let shown: Vec<String> = self.not_exported.iter().take(SHOWN).map(|it| it.to_string()).collect();
        text.push_str(&shown.join("; "));
        if n > SHOWN {
            text.push_str(&format!("; and {} more (bastion-sim export-arm lists them all).", n - SHOWN));
        } else {
            text.push('.');
        }
        text
    }
}

/// One fact of the design the template does not carry, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotExported {
    /// What it is: `VM 'vm-app1' just-in-time access policy`.
    pub what: String,
    pub why: String,
}

impl fmt::Display for NotExported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.why)
    }
}

// API versions: recent GA versions that hold every property written here.
const NETWORK_API: &str = "2024-05-01";
const COMPUTE_API: &str = "2024-07-01";
const DNS_API: &str = "2020-06-01";
const WORKSPACE_API: &str = "2023-09-01";
const DIAGNOSTICS_API: &str = "2021-05-01-preview";
const KEY_VAULT_API: &str = "2023-07-01";
const ROLE_API: &str = "2022-04-01";
const RESOURCES_API: &str = "2024-03-01";

const SUBSCRIPTION_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
const MANAGEMENT_GROUP_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#";
const RESOURCE_GROUP_SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// Deployment phases, in order: each phase's deployments wait for the previous phase's,
/// so a resource always finds what it refers to, in any resource group or subscription.
const PHASES: [&str; 5] = ["base", "network", "gateways", "attach", "access"];
const BASE: usize = 0;
const NETWORK: usize = 1;
const GATEWAYS: usize = 2;
const ATTACH: usize = 3;
const ACCESS: usize = 4;

const DEFAULT_REGION: &str = "westeurope";

/// The one link of an exported `vpnSite` (its device's address is a parameter).
const VPN_SITE_LINK: &str = "link1";

/// Exports the design as an ARM template: subscription-level when the design uses one
/// subscription, management-group-level (one nested deployment per subscription) when it
/// spans several.
pub fn arm_template(design: &Design) -> ArmExport {
    let mut x = Exporter::new(design);
    x.not_expressible();
    x.nsgs();
    x.route_tables();
    x.public_ips();
    x.workspaces();
    x.key_vaults();
    x.virtual_wans();
    x.sites();
    x.vnets();
    x.dns_zones();
    x.gateways();
    x.peerings();
    x.hub_connections();
    x.bastions();
    x.vms();
    x.role_assignments();
    x.finish()
}

/// An ARM string literal: `'name'`, quotes doubled.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A literal value: a leading `[` would read as an expression, so it is escaped as `[[`.
fn lit(s: &str) -> Value {
    if s.starts_with('[') {
        Value::String(format!("[{s}"))
    } else {
        Value::String(s.to_string())
    }
}

/// An identifier from a name: letters, digits and underscores.
fn ident(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// A deterministic 32-bit FNV-1a hash, to keep long deployment names unique.
fn short_hash(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// A deployment name (at most 64 characters of letters, digits, `-`, `_`, `.`, `(`, `)`).
fn deployment_name(phase: usize, place: &str) -> String {
    let clean: String =
        place.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.()".contains(c) { c } else { '-' }).collect();
    let name = format!("{}-{clean}", PHASES[phase]);
    if name.len() <= 64 {
        name
    } else {
        format!("{}-{}", &name[..55], short_hash(&name))
    }
}

fn id_ref(expr: String) -> Value {
    json!({ "id": expr })
}

fn os_name(os: Os) -> &'static str {
    match os {
        Os::Linux => "Linux",
        Os::Windows => "Windows",
    }
}

fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "Tcp",
        Protocol::Udp => "Udp",
        Protocol::Icmp => "Icmp",
        Protocol::Esp => "Esp",
        Protocol::Ah => "Ah",
        Protocol::Any => "*",
    }
}

fn next_hop_name(hop: NextHop) -> &'static str {
    match hop {
        NextHop::Internet => "Internet",
        NextHop::VirtualAppliance => "VirtualAppliance",
        NextHop::VirtualNetworkGateway => "VirtualNetworkGateway",
        NextHop::VnetLocal => "VnetLocal",
        NextHop::None => "None",
    }
}

/// (subscription, resource group) without case, as ARM compares them.
type PlaceKey = (String, String);

fn place_key(subscription: &str, resource_group: &str) -> PlaceKey {
    (subscription.to_ascii_lowercase(), resource_group.to_ascii_lowercase())
}

struct Exporter<'a> {
    d: &'a Design,
    /// Parameter declarations in the order they were first needed.
    params: Vec<(String, Value)>,
    /// Subscription id (lower case) → its parameter.
    sub_params: BTreeMap<String, String>,
    /// Principal name → its parameter.
    principal_params: BTreeMap<String, String>,
    /// Resource groups: key → (subscription, resource group, location) as first spelled.
    groups: BTreeMap<PlaceKey, (String, String, String)>,
    /// Resources per (phase, resource group).
    rg_resources: BTreeMap<(usize, PlaceKey), Vec<Value>>,
    /// Subscription-scope resources (role assignments) per (phase, subscription).
    sub_resources: BTreeMap<(usize, String), Vec<Value>>,
    not_exported: Vec<NotExported>,
    default_region: String,
}

impl<'a> Exporter<'a> {
    fn new(d: &'a Design) -> Exporter<'a> {
        let default_region = d
            .vnets
            .first()
            .map(|v| v.region.clone())
            .or_else(|| d.virtual_hubs.first().map(|h| h.region.clone()))
            .unwrap_or_else(|| DEFAULT_REGION.to_string());
        Exporter {
            d,
            params: Vec::new(),
            sub_params: BTreeMap::new(),
            principal_params: BTreeMap::new(),
            groups: BTreeMap::new(),
            rg_resources: BTreeMap::new(),
            sub_resources: BTreeMap::new(),
            not_exported: Vec::new(),
            default_region,
        }
    }

    fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.not_exported.push(NotExported { what: what.into(), why: why.into() });
    }

    fn declare(&mut self, name: &str, decl: Value) {
        if !self.params.iter().any(|(n, _)| n == name) {
            self.params.push((name.to_string(), decl));
        }
    }

    /// `parameters('subscriptionId_…')`: the subscription's id, the design's id by
    /// default (Azure wants the GUID: give it when deploying).
    fn sub(&mut self, subscription: &str) -> String {
        let key = subscription.to_ascii_lowercase();
        if let Some(name) = self.sub_params.get(&key) {
            return format!("parameters({})", q(name));
        }
        let mut name = format!("subscriptionId_{}", ident(subscription));
        while self.sub_params.values().any(|n| *n == name) {
            name.push('_');
        }
        self.declare(
            &name,
            json!({
                "type": "string",
                "defaultValue": subscription,
                "metadata": { "description": format!("Id (GUID) of subscription '{subscription}' of the design") }
            }),
        );
        self.sub_params.insert(key, name.clone());
        format!("parameters({})", q(&name))
    }

    /// A full resource id that resolves across resource groups and subscriptions.
    fn rid(&mut self, subscription: &str, resource_group: &str, rtype: &str, names: &[&str]) -> String {
        let sub = self.sub(subscription);
        let mut out = format!("[resourceId({sub}, {}, {}", q(resource_group), q(rtype));
        for n in names {
            out.push_str(", ");
            out.push_str(&q(n));
        }
        out.push_str(")]");
        out
    }

    /// A resource id in the deployment's own resource group (dependsOn, scope).
    fn local(rtype: &str, names: &[&str]) -> String {
        let mut out = format!("[resourceId({}", q(rtype));
        for n in names {
            out.push_str(", ");
            out.push_str(&q(n));
        }
        out.push_str(")]");
        out
    }

    fn secure(&mut self, name: &str, description: String) -> String {
        self.declare(name, json!({ "type": "securestring", "metadata": { "description": description } }));
        format!("[parameters({})]", q(name))
    }

    fn principal(&mut self, principal: &str) -> (String, &'static str) {
        let kind = if self.d.groups.iter().any(|g| g.name == principal) { "Group" } else { "User" };
        if let Some(name) = self.principal_params.get(principal) {
            return (format!("parameters({})", q(name)), kind);
        }
        let mut name = format!("principalId_{}", ident(principal));
        while self.principal_params.values().any(|n| *n == name) {
            name.push('_');
        }
        self.declare(
            &name,
            json!({
                "type": "string",
                "metadata": {
                    "description": format!("Object id of {} '{principal}'", kind.to_ascii_lowercase()),
                    "principalName": principal,
                    "principalType": kind
                }
            }),
        );
        self.principal_params.insert(principal.to_string(), name.clone());
        (format!("parameters({})", q(&name)), kind)
    }

    fn group(&mut self, subscription: &str, resource_group: &str, location: &str) -> PlaceKey {
        let key = place_key(subscription, resource_group);
        self.groups
            .entry(key.clone())
            .or_insert_with(|| (subscription.to_string(), resource_group.to_string(), location.to_string()));
        key
    }

    fn add(&mut self, phase: usize, (subscription, resource_group): (&str, &str), location: &str, resource: Value) {
        let key = self.group(subscription, resource_group, location);
        self.rg_resources.entry((phase, key)).or_default().push(resource);
    }

    fn vnet_region(&self, vnet: &str) -> String {
        self.d.vnet(vnet).map(|v| v.region.clone()).unwrap_or_else(|| self.default_region.clone())
    }

    /// Where a resource without a region of its own goes: the region of the first VNet
    /// that uses it, else the first VNet of its resource group, else the design's.
    fn region_near(&self, vnets: impl IntoIterator<Item = String>, subscription: &str, resource_group: &str) -> String {
        if let Some(v) = vnets.into_iter().next() {
            return self.vnet_region(&v);
        }
        let key = place_key(subscription, resource_group);
        self.d
            .vnets
            .iter()
            .find(|v| place_key(&v.subscription, &v.resource_group) == key)
            .map(|v| v.region.clone())
            .unwrap_or_else(|| self.default_region.clone())
    }

    fn vnet_of_name(&self, name: &str) -> Option<&'a Vnet> {
        self.d.vnets.iter().find(|v| v.name == name)
    }

    // ---- what no template says -----------------------------------------------------

    fn not_expressible(&mut self) {
        let d = self.d;
        for s in &d.subscriptions {
            if s.defender_for_servers_p2 {
                self.skip(
                    format!("subscription '{}': Defender for Servers Plan 2", s.id),
                    "a Microsoft.Security/pricings setting of the subscription; not written here (the importer reads no Defender plan back)",
                );
            }
            if !s.tenant.eq_ignore_ascii_case("contoso.onmicrosoft.com") {
                self.skip(
                    format!("subscription '{}': tenant '{}'", s.id, s.tenant),
                    "a deployment runs in one tenant; the subscription's tenant is where you deploy it, not a template property",
                );
            }
        }
        for mg in &d.management_groups {
            self.skip(
                format!("management group '{}' and its subscriptions", mg.name),
                "management groups and their membership are tenant-level resources; create them before deploying (az account management-group)",
            );
        }
        for v in &d.vnets {
            if v.route_server_default_route {
                self.skip(
                    format!("VNet '{}': Route Server advertising 0.0.0.0/0", v.name),
                    "the Route Server and its BGP peers are not in the model beyond this flag; the route it advertises comes from a network appliance, not from the template",
                );
            }
        }
        for p in &d.deleted_peerings {
            self.skip(
                format!("deleted peering link '{}' → '{}'", p.from, p.to),
                "a deleted link cannot be deployed: the template deploys the remaining link, which Azure shows as Initiated rather than Disconnected",
            );
        }
        for m in &d.onprem_machines {
            self.skip(
                format!("on-premises machine '{}' ({})", m.name, m.ip),
                "a machine on premises is not an Azure resource",
            );
        }
        for w in &d.log_workspaces {
            if w.central {
                self.skip(
                    format!("workspace '{}': central", w.name),
                    "'central' is the landing zone's role for the workspace, not a property of it",
                );
            }
        }
        for g in &d.groups {
            if !g.members.is_empty() {
                self.skip(
                    format!("members of group '{}' ({})", g.name, g.members.join(", ")),
                    "group membership is kept in Entra ID, not in ARM; add the members in Entra",
                );
            }
        }
        for b in &d.bastions {
            if b.expected_rdp_sessions.is_some() || b.expected_ssh_sessions.is_some() || b.outbound_data_gb > 0.0 {
                self.skip(
                    format!("Bastion '{}': expected sessions and outbound data", b.name),
                    "planning inputs for capacity and cost, not properties of the host (its scale units are exported)",
                );
            }
        }
        if d.prices.is_some() {
            self.skip("the design's price table", "prices are for the cost estimate, not a resource");
        }
    }

    // ---- base resources --------------------------------------------------------------

    fn nsgs(&mut self) {
        let d = self.d;
        for nsg in &d.nsgs {
            let users = d
                .vnets
                .iter()
                .filter(|v| v.subnets.iter().any(|s| s.nsg.as_deref() == Some(&nsg.name)))
                .map(|v| v.name.clone())
                .chain(d.vms.iter().filter(|vm| vm.nic.nsg.as_deref() == Some(&nsg.name)).map(|vm| vm.nic.vnet.clone()))
                .collect::<Vec<_>>();
            let location = self.region_near(users, &nsg.subscription, &nsg.resource_group);
            let rules: Vec<Value> = nsg.rules.iter().map(security_rule).collect();
            let resource = json!({
                "type": "Microsoft.Network/networkSecurityGroups",
                "apiVersion": NETWORK_API,
                "name": lit(&nsg.name),
                "location": location,
                "properties": { "securityRules": rules }
            });
            self.add(BASE, (&nsg.subscription, &nsg.resource_group), &location, resource);
        }
    }

    fn route_tables(&mut self) {
        let d = self.d;
        for rt in &d.route_tables {
            let users = d
                .vnets
                .iter()
                .filter(|v| v.subnets.iter().any(|s| s.route_table.as_deref() == Some(&rt.name)))
                .map(|v| v.name.clone())
                .collect::<Vec<_>>();
            let location = self.region_near(users, &rt.subscription, &rt.resource_group);
            let mut routes = Vec::new();
            for r in &rt.routes {
                let mut props =
                    json!({ "addressPrefix": r.prefix.to_string(), "nextHopType": next_hop_name(r.next_hop) });
                if r.next_hop == NextHop::VirtualAppliance {
                    // Azure needs the appliance's address, which the model does not hold.
                    let param = format!("nextHopIp_{}_{}", ident(&rt.name), ident(&r.name));
                    self.declare(
                        &param,
                        json!({ "type": "string", "metadata": { "description": format!("Address of the virtual appliance of route '{}' in route table '{}'", r.name, rt.name) } }),
                    );
                    props["nextHopIpAddress"] = Value::String(format!("[parameters({})]", q(&param)));
                }
                routes.push(json!({ "name": lit(&r.name), "properties": props }));
            }
            let resource = json!({
                "type": "Microsoft.Network/routeTables",
                "apiVersion": NETWORK_API,
                "name": lit(&rt.name),
                "location": location,
                "properties": { "routes": routes }
            });
            self.add(BASE, (&rt.subscription, &rt.resource_group), &location, resource);
        }
    }

    fn public_ips(&mut self) {
        let d = self.d;
        // A scale set's public IP is its NIC configuration's `publicIPAddressConfiguration`
        // (`scale_set`): Azure creates one per instance, so it is no resource of its own.
        let of_scale_set =
            |pip: &PublicIp| d.vms.iter().any(|vm| vm.scale_set && vm.nic.public_ip.as_deref() == Some(&pip.name));
        for pip in d.public_ips.iter().filter(|pip| !of_scale_set(pip)) {
            let users = d
                .bastions
                .iter()
                .filter(|b| b.public_ip.as_deref() == Some(&pip.name))
                .map(|b| b.vnet.clone())
                .chain(
                    d.vms
                        .iter()
                        .filter(|vm| vm.nic.public_ip.as_deref() == Some(&pip.name))
                        .map(|vm| vm.nic.vnet.clone()),
                )
                .collect::<Vec<_>>();
            let location = self.region_near(users, &pip.subscription, &pip.resource_group);
            let (sku, allocation, version) = public_ip_words(pip);
            let mut resource = json!({
                "type": "Microsoft.Network/publicIPAddresses",
                "apiVersion": NETWORK_API,
                "name": lit(&pip.name),
                "location": location,
                "sku": { "name": sku, "tier": "Regional" },
                "properties": { "publicIPAllocationMethod": allocation, "publicIPAddressVersion": version }
            });
            if !pip.zones.is_empty() {
                resource["zones"] = json!(pip.zones);
            }
            self.add(BASE, (&pip.subscription, &pip.resource_group), &location, resource);
        }
    }

    fn workspaces(&mut self) {
        let d = self.d;
        for w in &d.log_workspaces {
            let location = self.region_near(None, &w.subscription, &w.resource_group);
            let resource = json!({
                "type": "Microsoft.OperationalInsights/workspaces",
                "apiVersion": WORKSPACE_API,
                "name": lit(&w.name),
                "location": location,
                "properties": { "sku": { "name": "PerGB2018" }, "retentionInDays": 30 }
            });
            self.add(BASE, (&w.subscription, &w.resource_group), &location, resource);
        }
    }

    fn key_vaults(&mut self) {
        let d = self.d;
        for kv in &d.key_vaults {
            let location = self.region_near(None, &kv.subscription, &kv.resource_group);
            let rbac = kv.permission_model == KeyVaultPermissionModel::Rbac;
            let mut policies = Vec::new();
            for p in &kv.access_policies {
                let mut secrets = Vec::new();
                if p.secrets_get {
                    secrets.push("get");
                }
                if p.secrets_list {
                    secrets.push("list");
                }
                let (principal, _) = self.principal(&p.principal);
                policies.push(json!({
                    "tenantId": "[subscription().tenantId]",
                    "objectId": format!("[{principal}]"),
                    "permissions": { "secrets": secrets }
                }));
            }
            if rbac && !policies.is_empty() {
                self.skip(
                    format!("access policies of Key Vault '{}'", kv.name),
                    "the vault uses the RBAC permission model, under which Azure ignores access policies",
                );
                policies.clear();
            }
            let resource = json!({
                "type": "Microsoft.KeyVault/vaults",
                "apiVersion": KEY_VAULT_API,
                "name": lit(&kv.name),
                "location": location,
                "properties": {
                    "tenantId": "[subscription().tenantId]",
                    "sku": { "family": "A", "name": "standard" },
                    "enableRbacAuthorization": rbac,
                    "accessPolicies": policies
                }
            });
            self.add(BASE, (&kv.subscription, &kv.resource_group), &location, resource);
        }
    }

    fn virtual_wans(&mut self) {
        let d = self.d;
        for wan in &d.virtual_wans {
            let location = d
                .virtual_hubs
                .iter()
                .find(|h| h.virtual_wan == wan.name)
                .map(|h| h.region.clone())
                .unwrap_or_else(|| self.region_near(None, &wan.subscription, &wan.resource_group));
            let place = (wan.subscription.as_str(), wan.resource_group.as_str());
            let resource = json!({
                "type": "Microsoft.Network/virtualWans",
                "apiVersion": NETWORK_API,
                "name": lit(&wan.name),
                "location": location,
                "properties": { "type": "Standard", "allowBranchToBranchTraffic": true }
            });
            self.add(BASE, place, &location, resource);
            for hub in d.virtual_hubs.iter().filter(|h| h.virtual_wan == wan.name) {
                let wan_id = self.rid(place.0, place.1, "Microsoft.Network/virtualWans", &[&wan.name]);
                let resource = json!({
                    "type": "Microsoft.Network/virtualHubs",
                    "apiVersion": NETWORK_API,
                    "name": lit(&hub.name),
                    "location": hub.region,
                    "dependsOn": [Self::local("Microsoft.Network/virtualWans", &[&wan.name])],
                    "properties": { "addressPrefix": hub.address_prefix.to_string(), "sku": "Standard", "virtualWan": id_ref(wan_id) }
                });
                self.add(BASE, place, &location, resource);
                if hub.secured {
                    self.secured_hub(hub, place);
                }
            }
        }
    }

    /// A secured hub: an Azure Firewall in the hub with a firewall policy, and routing
    /// intent sending internet and private traffic through it (what makes the hub send
    /// 0.0.0.0/0 to the connections that propagate it).
    fn secured_hub(&mut self, hub: &VirtualHub, (subscription, resource_group): (&str, &str)) {
        let policy = format!("{}-fw-policy", hub.name);
        let firewall = format!("{}-fw", hub.name);
        let hub_id = self.rid(subscription, resource_group, "Microsoft.Network/virtualHubs", &[&hub.name]);
        let policy_id = Self::local("Microsoft.Network/firewallPolicies", &[&policy]);
        let firewall_id = Self::local("Microsoft.Network/azureFirewalls", &[&firewall]);
        let place = (subscription, resource_group);
        self.add(
            GATEWAYS,
            place,
            &hub.region,
            json!({
                "type": "Microsoft.Network/firewallPolicies",
                "apiVersion": NETWORK_API,
                "name": lit(&policy),
                "location": hub.region,
                "properties": { "sku": { "tier": "Standard" } }
            }),
        );
        self.add(
            GATEWAYS,
            place,
            &hub.region,
            json!({
                "type": "Microsoft.Network/azureFirewalls",
                "apiVersion": NETWORK_API,
                "name": lit(&firewall),
                "location": hub.region,
                "dependsOn": [policy_id.clone()],
                "properties": {
                    "sku": { "name": "AZFW_Hub", "tier": "Standard" },
                    "virtualHub": id_ref(hub_id),
                    "hubIPAddresses": { "publicIPs": { "count": 1 } },
                    "firewallPolicy": id_ref(policy_id)
                }
            }),
        );
        self.add(
            GATEWAYS,
            place,
            &hub.region,
            json!({
                "type": "Microsoft.Network/virtualHubs/routingIntent",
                "apiVersion": NETWORK_API,
                "name": lit(&format!("{}/{}-routing-intent", hub.name, hub.name)),
                "dependsOn": [firewall_id.clone()],
                "properties": {
                    "routingPolicies": [
                        { "name": "InternetTraffic", "destinations": ["Internet"], "nextHop": firewall_id },
                        { "name": "PrivateTraffic", "destinations": ["PrivateTraffic"], "nextHop": firewall_id }
                    ]
                }
            }),
        );
    }

    /// The place of a gateway: its VNet's resource group, or its hub's Virtual WAN's.
    fn gateway_place(&self, g: &Gateway) -> Option<(String, String, String)> {
        if let Some(vnet) = g.vnet.as_deref().and_then(|v| self.vnet_of_name(v)) {
            return Some((vnet.subscription.clone(), vnet.resource_group.clone(), vnet.region.clone()));
        }
        let hub = self.d.virtual_hubs.iter().find(|h| Some(&h.name) == g.hub.as_ref())?;
        let wan = self.d.virtual_wans.iter().find(|w| w.name == hub.virtual_wan)?;
        Some((wan.subscription.clone(), wan.resource_group.clone(), hub.region.clone()))
    }

    /// The Virtual WAN of a hub gateway: (WAN name, subscription, resource group, hub region).
    fn hub_gateway_wan(&self, g: &Gateway) -> Option<(String, String, String, String)> {
        let hub = self.d.virtual_hubs.iter().find(|h| Some(&h.name) == g.hub.as_ref())?;
        let wan = self.d.virtual_wans.iter().find(|w| w.name == hub.virtual_wan)?;
        Some((wan.name.clone(), wan.subscription.clone(), wan.resource_group.clone(), hub.region.clone()))
    }

    /// Where a site connected to a Virtual WAN hub's VPN gateway is a `vpnSite`: the
    /// Virtual WAN of the first such gateway (WAN name, subscription, resource group, region).
    fn vpn_site_wan(&self, site: &str) -> Option<(String, String, String, String)> {
        let d = self.d;
        d.site_connections
            .iter()
            .filter(|c| c.site == site)
            .filter_map(|c| d.gateways.iter().find(|g| g.name == c.gateway))
            .filter(|g| g.kind == GatewayKind::Vpn && g.hub.is_some())
            .find_map(|g| self.hub_gateway_wan(g))
    }

    /// On-premises sites: as local network gateways, in the resource group of the first
    /// VPN gateway connected to them (a site has no resource group in the model); a site
    /// connected to a Virtual WAN hub's VPN gateway as a `vpnSite` of that Virtual WAN,
    /// with one site link (and also as a local network gateway when a VNet gateway
    /// connects to it too).
    fn sites(&mut self) {
        let d = self.d;
        for site in &d.onprem_sites {
            let param = format!("gatewayIpAddress_{}", ident(&site.name));
            let prefixes: Vec<String> = site.address_prefixes.iter().map(|p| p.to_string()).collect();
            let vpn_site = self.vpn_site_wan(&site.name);
            if let Some((wan, subscription, resource_group, location)) = &vpn_site {
                self.declare(
                    &param,
                    json!({ "type": "string", "metadata": { "description": format!("Public address of the VPN device of on-premises site '{}'", site.name) } }),
                );
                let wan_id = self.rid(subscription, resource_group, "Microsoft.Network/virtualWans", &[wan]);
                let resource = json!({
                    "type": "Microsoft.Network/vpnSites",
                    "apiVersion": NETWORK_API,
                    "name": lit(&site.name),
                    "location": location,
                    "dependsOn": [Self::local("Microsoft.Network/virtualWans", &[wan])],
                    "properties": {
                        "virtualWan": id_ref(wan_id),
                        "addressSpace": { "addressPrefixes": prefixes },
                        "vpnSiteLinks": [{
                            "name": lit(VPN_SITE_LINK),
                            "properties": { "ipAddress": format!("[parameters({})]", q(&param)) }
                        }]
                    }
                });
                self.add(BASE, (subscription, resource_group), location, resource);
            }
            let vpn_gateway = d
                .site_connections
                .iter()
                .filter(|c| c.site == site.name)
                .filter_map(|c| d.gateways.iter().find(|g| g.name == c.gateway))
                .find(|g| g.kind == GatewayKind::Vpn && g.vnet.is_some());
            if vpn_gateway.is_none() && vpn_site.is_some() {
                continue;
            }
            let place = vpn_gateway.and_then(|g| self.gateway_place(g)).or_else(|| {
                let v = d.vnets.first()?;
                Some((v.subscription.clone(), v.resource_group.clone(), v.region.clone()))
            });
            let Some((subscription, resource_group, location)) = place else {
                self.skip(format!("on-premises site '{}'", site.name), "the design has no VNet to place it near");
                continue;
            };
            self.declare(
                &param,
                json!({ "type": "string", "metadata": { "description": format!("Public address of the VPN device of on-premises site '{}'", site.name) } }),
            );
            let resource = json!({
                "type": "Microsoft.Network/localNetworkGateways",
                "apiVersion": NETWORK_API,
                "name": lit(&site.name),
                "location": location,
                "properties": {
                    "localNetworkAddressSpace": { "addressPrefixes": prefixes },
                    "gatewayIpAddress": format!("[parameters({})]", q(&param))
                }
            });
            self.add(BASE, (&subscription, &resource_group), &location, resource);
        }
    }

    // ---- VNets -----------------------------------------------------------------------

    fn vnets(&mut self) {
        let d = self.d;
        for v in &d.vnets {
            let mut subnets = Vec::new();
            for s in &v.subnets {
                let mut props = json!({ "addressPrefix": s.prefix.to_string() });
                if let Some(nsg) = s.nsg.as_deref().and_then(|n| d.nsg(n)) {
                    props["networkSecurityGroup"] = id_ref(self.rid(
                        &nsg.subscription,
                        &nsg.resource_group,
                        "Microsoft.Network/networkSecurityGroups",
                        &[&nsg.name],
                    ));
                }
                if let Some(rt) = s.route_table.as_deref().and_then(|n| d.route_tables.iter().find(|r| r.name == n)) {
                    props["routeTable"] = id_ref(self.rid(
                        &rt.subscription,
                        &rt.resource_group,
                        "Microsoft.Network/routeTables",
                        &[&rt.name],
                    ));
                }
                subnets.push(json!({ "name": lit(&s.name), "properties": props }));
            }
            let prefixes: Vec<String> = v.address_prefixes.iter().map(|p| p.to_string()).collect();
            let resource = json!({
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": NETWORK_API,
                "name": lit(&v.name),
                "location": v.region,
                "properties": { "addressSpace": { "addressPrefixes": prefixes }, "subnets": subnets }
            });
            self.add(NETWORK, (&v.subscription, &v.resource_group), &v.region, resource);
        }
    }

    /// Private DNS zones (global) in the resource group of the first VNet linked to them,
    /// and one virtual network link per linked VNet.
    fn dns_zones(&mut self) {
        let d = self.d;
        let mut zones: BTreeMap<String, (String, String)> = BTreeMap::new();
        for v in &d.vnets {
            for zone in &v.private_dns_zones {
                let (subscription, resource_group) = zones
                    .entry(zone.to_ascii_lowercase())
                    .or_insert_with(|| (v.subscription.clone(), v.resource_group.clone()))
                    .clone();
                let place = (subscription.as_str(), resource_group.as_str());
                let exists = self.rg_resources.get(&(BASE, place_key(place.0, place.1))).is_some_and(|list| {
                    list.iter().any(|r| r["type"] == "Microsoft.Network/privateDnsZones" && r["name"] == lit(zone))
                });
                if !exists {
                    let resource = json!({
                        "type": "Microsoft.Network/privateDnsZones",
                        "apiVersion": DNS_API,
                        "name": lit(zone),
                        "location": "global"
                    });
                    self.add(BASE, place, &v.region, resource);
                }
                let vnet_id =
                    self.rid(&v.subscription, &v.resource_group, "Microsoft.Network/virtualNetworks", &[&v.name]);
                let resource = json!({
                    "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                    "apiVersion": DNS_API,
                    "name": lit(&format!("{zone}/link-{}", v.name)),
                    "location": "global",
                    "properties": { "registrationEnabled": false, "virtualNetwork": id_ref(vnet_id) }
                });
                self.add(ATTACH, place, &v.region, resource);
            }
        }
    }

    // ---- gateways and their connections ------------------------------------------------

    fn gateways(&mut self) {
        let d = self.d;
        let taken: BTreeSet<String> = d.public_ips.iter().map(|p| p.name.to_ascii_lowercase()).collect();
        for g in &d.gateways {
            let Some((subscription, resource_group, location)) = self.gateway_place(g) else {
                self.skip(format!("gateway '{}'", g.name), "its VNet or hub is not in the design");
                continue;
            };
            let place = (subscription.as_str(), resource_group.as_str());
            if let Some(hub) = g.hub.as_deref() {
                let hub_id = self.rid(place.0, place.1, "Microsoft.Network/virtualHubs", &[hub]);
                let (rtype, props) = match g.kind {
                    GatewayKind::Vpn => (
                        "Microsoft.Network/vpnGateways",
                        json!({ "virtualHub": id_ref(hub_id), "vpnGatewayScaleUnit": 1 }),
                    ),
                    GatewayKind::ExpressRoute => (
                        "Microsoft.Network/expressRouteGateways",
                        json!({ "virtualHub": id_ref(hub_id), "autoScaleConfiguration": { "bounds": { "min": 1 } } }),
                    ),
                };
                let resource = json!({ "type": rtype, "apiVersion": NETWORK_API, "name": lit(&g.name), "location": location, "properties": props });
                self.add(GATEWAYS, place, &location, resource);
                self.vpn_connections(g, place, &location);
                continue;
            }
            let Some(vnet) = g.vnet.as_deref() else { continue };
            // A VNet gateway needs a public IP, which the model does not hold: one is added.
            let mut pip = format!("{}-pip", g.name);
            while taken.contains(&pip.to_ascii_lowercase()) {
                pip.push_str("-gw");
            }
            self.add(
                GATEWAYS,
                place,
                &location,
                json!({
                    "type": "Microsoft.Network/publicIPAddresses",
                    "apiVersion": NETWORK_API,
                    "name": lit(&pip),
                    "location": location,
                    "sku": { "name": "Standard", "tier": "Regional" },
                    "zones": ["1", "2", "3"],
                    "properties": { "publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4" }
                }),
            );
            let subnet_id =
                self.rid(place.0, place.1, "Microsoft.Network/virtualNetworks/subnets", &[vnet, GATEWAY_SUBNET]);
            let (gateway_type, sku) = match g.kind {
                GatewayKind::Vpn => ("Vpn", "VpnGw1AZ"),
                GatewayKind::ExpressRoute => ("ExpressRoute", "ErGw1AZ"),
            };
            let mut props = json!({
                "gatewayType": gateway_type,
                "sku": { "name": sku, "tier": sku },
                "ipConfigurations": [{
                    "name": "default",
                    "properties": {
                        "privateIPAllocationMethod": "Dynamic",
                        "subnet": id_ref(subnet_id),
                        "publicIPAddress": id_ref(Self::local("Microsoft.Network/publicIPAddresses", &[&pip]))
                    }
                }]
            });
            if g.kind == GatewayKind::Vpn {
                props["vpnType"] = json!("RouteBased");
                props["enableBgp"] = json!(false);
            }
            let connections: Vec<&SiteConnection> = d.site_connections.iter().filter(|c| c.gateway == g.name).collect();
            // Forced tunnelling on a VPN gateway: the site is the gateway's default site.
            if g.kind == GatewayKind::Vpn {
                if let Some(c) = connections.iter().find(|c| c.advertises_default_route) {
                    if let Some(site_place) = self.site_place(&c.site) {
                        props["gatewayDefaultSite"] = id_ref(self.rid(
                            &site_place.0,
                            &site_place.1,
                            "Microsoft.Network/localNetworkGateways",
                            &[&c.site],
                        ));
                    }
                }
            }
            self.add(
                GATEWAYS,
                place,
                &location,
                json!({
                    "type": "Microsoft.Network/virtualNetworkGateways",
                    "apiVersion": NETWORK_API,
                    "name": lit(&g.name),
                    "location": location,
                    "dependsOn": [Self::local("Microsoft.Network/publicIPAddresses", &[&pip])],
                    "properties": props
                }),
            );
            for c in connections {
                if g.kind == GatewayKind::ExpressRoute {
                    self.skip(
                        format!("connection '{}' of ExpressRoute gateway '{}' to site '{}'", c.name, g.name, c.site),
                        "an ExpressRoute connection goes to a circuit (provider, peering location, bandwidth), not to a site; the model holds none, and the site's prefixes are learned over BGP",
                    );
                    continue;
                }
                let Some(site_place) = self.site_place(&c.site) else { continue };
                let site_id =
                    self.rid(&site_place.0, &site_place.1, "Microsoft.Network/localNetworkGateways", &[&c.site]);
                let key = self.secure(
                    &format!("sharedKey_{}", ident(&c.name)),
                    format!("IPsec shared key of connection '{}'", c.name),
                );
                self.add(
                    GATEWAYS,
                    place,
                    &location,
                    json!({
                        "type": "Microsoft.Network/connections",
                        "apiVersion": NETWORK_API,
                        "name": lit(&c.name),
                        "location": location,
                        "dependsOn": [Self::local("Microsoft.Network/virtualNetworkGateways", &[&g.name])],
                        "properties": {
                            "connectionType": "IPsec",
                            "virtualNetworkGateway1": id_ref(Self::local("Microsoft.Network/virtualNetworkGateways", &[&g.name])),
                            "localNetworkGateway2": id_ref(site_id),
                            "sharedKey": key,
                            "routingWeight": 0
                        }
                    }),
                );
            }
        }
    }

    /// The site connections of a Virtual WAN hub's gateway: for a VPN gateway, one
    /// `vpnConnections` child per connection, to the site's `vpnSite` and its link, one
    /// after the other (a gateway takes one connection change at a time).
    fn vpn_connections(&mut self, g: &Gateway, place: (&str, &str), location: &str) {
        let d = self.d;
        let gateway_id = Self::local("Microsoft.Network/vpnGateways", &[&g.name]);
        let mut previous = BTreeMap::new();
        for c in d.site_connections.iter().filter(|c| c.gateway == g.name) {
            let what = format!("connection '{}' of hub gateway '{}' to site '{}'", c.name, g.name, c.site);
            if g.kind == GatewayKind::ExpressRoute {
                self.skip(
                    what,
                    "an ExpressRoute connection goes to a circuit (provider, peering location, bandwidth), not to a site; the model holds none, and the site's prefixes are learned over BGP",
                );
                continue;
            }
            let ours = self.hub_gateway_wan(g).map(|w| w.0);
            let Some((wan, subscription, resource_group, _)) = self.vpn_site_wan(&c.site) else {
                self.skip(what, format!("site '{}' is not in the design", c.site));
                continue;
            };
            if ours.as_deref() != Some(wan.as_str()) {
                self.skip(
                    what,
                    format!("site '{}' is exported as a vpnSite of Virtual WAN '{wan}', and a gateway connects only to sites of its own Virtual WAN", c.site),
                );
                continue;
            }
            if c.advertises_default_route {
                self.skip(
                    what.clone(),
                    "the branch advertises 0.0.0.0/0 over BGP from its own device, which no template holds: the connection is exported, the default route is not",
                );
            }
            let site_id = self.rid(&subscription, &resource_group, "Microsoft.Network/vpnSites", &[&c.site]);
            let link_id = self.rid(
                &subscription,
                &resource_group,
                "Microsoft.Network/vpnSites/vpnSiteLinks",
                &[&c.site, VPN_SITE_LINK],
            );
            let key = self.secure(
                &format!("sharedKey_{}", ident(&c.name)),
                format!("IPsec shared key of connection '{}'", c.name),
            );
            let mut depends = vec![Value::String(gateway_id.clone())];
            depends.extend(after_previous(
                &mut previous,
                "Microsoft.Network/vpnGateways/vpnConnections",
                &g.name,
                &c.name,
            ));
            self.add(
                GATEWAYS,
                place,
                location,
                json!({
                    "type": "Microsoft.Network/vpnGateways/vpnConnections",
                    "apiVersion": NETWORK_API,
                    "name": lit(&format!("{}/{}", g.name, c.name)),
                    "dependsOn": depends,
                    "properties": {
                        "remoteVpnSite": id_ref(site_id),
                        "vpnLinkConnections": [{
                            "name": lit(&c.name),
                            "properties": {
                                "vpnSiteLink": id_ref(link_id),
                                "sharedKey": key,
                                "enableBgp": false
                            }
                        }]
                    }
                }),
            );
        }
    }

    /// Where `sites` put a site: (subscription, resource group).
    fn site_place(&self, site: &str) -> Option<(String, String)> {
        self.groups.iter().find_map(|(k, (s, rg, _))| {
            let list = self.rg_resources.get(&(BASE, k.clone()))?;
            list.iter()
                .any(|r| r["type"] == "Microsoft.Network/localNetworkGateways" && r["name"] == lit(site))
                .then(|| (s.clone(), rg.clone()))
        })
    }

    // ---- what attaches to VNets --------------------------------------------------------

    fn peerings(&mut self) {
        let d = self.d;
        // Peerings of one VNet are made one after the other: Azure refuses concurrent
        // updates of a VNet's peerings.
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        for p in &d.peerings {
            let (Some(from), Some(to)) = (self.vnet_of_name(&p.from), self.vnet_of_name(&p.to)) else { continue };
            let remote =
                self.rid(&to.subscription, &to.resource_group, "Microsoft.Network/virtualNetworks", &[&to.name]);
            let peering = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";
            let depends: Vec<Value> = after_previous(&mut previous, peering, &from.name, &p.name).into_iter().collect();
            let resource = json!({
                "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                "apiVersion": NETWORK_API,
                "name": lit(&format!("{}/{}", from.name, p.name)),
                "dependsOn": depends,
                "properties": {
                    "allowVirtualNetworkAccess": p.allow_virtual_network_access,
                    "allowForwardedTraffic": p.allow_forwarded_traffic,
                    "allowGatewayTransit": p.allow_gateway_transit,
                    "useRemoteGateways": p.use_remote_gateways,
                    "remoteVirtualNetwork": id_ref(remote)
                }
            });
            self.add(ATTACH, (&from.subscription, &from.resource_group), &from.region, resource);
        }
    }

    fn hub_connections(&mut self) {
        let d = self.d;
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        for c in &d.hub_connections {
            let Some(hub) = d.virtual_hubs.iter().find(|h| h.name == c.hub) else { continue };
            let Some(wan) = d.virtual_wans.iter().find(|w| w.name == hub.virtual_wan) else { continue };
            let Some(vnet) = self.vnet_of_name(&c.vnet) else { continue };
            let remote =
                self.rid(&vnet.subscription, &vnet.resource_group, "Microsoft.Network/virtualNetworks", &[&vnet.name]);
            // A hub takes one connection change at a time.
            let connection = "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections";
            let depends: Vec<Value> =
                after_previous(&mut previous, connection, &hub.name, &c.name).into_iter().collect();
            let resource = json!({
                "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
                "apiVersion": NETWORK_API,
                "name": lit(&format!("{}/{}", hub.name, c.name)),
                "dependsOn": depends,
                "properties": {
                    "remoteVirtualNetwork": id_ref(remote),
                    // "Propagate default route" in the portal.
                    "enableInternetSecurity": c.propagate_default_route
                }
            });
            self.add(ATTACH, (&wan.subscription, &wan.resource_group), &hub.region, resource);
        }
    }

    fn bastions(&mut self) {
        let d = self.d;
        for b in &d.bastions {
            if let Some(hub) = &b.virtual_hub {
                self.skip(
                    format!("Bastion '{}' in virtual hub '{hub}'", b.name),
                    "Azure does not deploy a Bastion into a Virtual WAN hub (B-HEALTH-8): there is nothing to write",
                );
                continue;
            }
            let Some(vnet) = self.vnet_of_name(&b.vnet) else {
                self.skip(format!("Bastion '{}'", b.name), "its VNet is not in the design");
                continue;
            };
            let resource_group = b.resource_group.clone().unwrap_or_else(|| vnet.resource_group.clone());
            let place = (vnet.subscription.as_str(), resource_group.as_str());
            let mut props = Map::new();
            let mut depends = Vec::new();
            if b.sku == BastionSku::Developer {
                // The Developer SKU is shared infrastructure: it names its VNet and has
                // no ip configuration of its own.
                let vnet_id = self.rid(
                    &vnet.subscription,
                    &vnet.resource_group,
                    "Microsoft.Network/virtualNetworks",
                    &[&vnet.name],
                );
                props.insert("virtualNetwork".into(), id_ref(vnet_id));
                if !b.deployed {
                    self.skip(
                        format!("Bastion '{}': not deployed yet", b.name),
                        "a Developer Bastion is deployed on its first use from the portal; the template deploys it now",
                    );
                }
            } else {
                let subnet_id = self.rid(
                    &vnet.subscription,
                    &vnet.resource_group,
                    "Microsoft.Network/virtualNetworks/subnets",
                    &[&vnet.name, BASTION_SUBNET],
                );
                let mut ip = json!({ "subnet": id_ref(subnet_id) });
                if let Some(pip) = b.public_ip.as_deref().and_then(|n| d.public_ips.iter().find(|p| p.name == n)) {
                    ip["publicIPAddress"] = id_ref(self.rid(
                        &pip.subscription,
                        &pip.resource_group,
                        "Microsoft.Network/publicIPAddresses",
                        &[&pip.name],
                    ));
                    if place_key(&pip.subscription, &pip.resource_group) == place_key(place.0, place.1) {
                        depends.push(Value::String(Self::local("Microsoft.Network/publicIPAddresses", &[&pip.name])));
                    }
                }
                props.insert("ipConfigurations".into(), json!([{ "name": "IpConf", "properties": ip }]));
            }
            if matches!(b.sku, BastionSku::Standard | BastionSku::Premium) {
                props.insert("scaleUnits".into(), json!(b.scale_units));
            } else if b.scale_units != 2 {
                self.skip(
                    format!("Bastion '{}': {} scale units", b.name, b.scale_units),
                    "only Standard and Premium hosts scale; Azure keeps a Basic or Developer host at 2",
                );
            }
            let f = &b.features;
            let flags = [
                ("enableTunneling", f.native_client),
                ("enableIpConnect", f.ip_connect),
                ("enableShareableLink", f.shareable_link),
                ("enableFileCopy", f.file_copy),
                ("enableKerberos", f.kerberos),
                ("enableSessionRecording", f.session_recording),
                ("enablePrivateOnlyBastion", f.private_only),
                ("disableCopyPaste", f.disable_copy_paste),
            ];
            for (key, on) in flags {
                // Every flag is written for the dedicated SKUs, so a review sees each choice.
                if on || b.sku.is_dedicated() {
                    props.insert(key.into(), Value::Bool(on));
                }
            }
            let mut resource = json!({
                "type": "Microsoft.Network/bastionHosts",
                "apiVersion": NETWORK_API,
                "name": lit(&b.name),
                "location": vnet.region,
                "sku": { "name": b.sku.name() },
                "dependsOn": depends,
                "properties": Value::Object(props)
            });
            if !b.zones.is_empty() {
                resource["zones"] = json!(b.zones);
            }
            self.add(ATTACH, place, &vnet.region, resource);
            if let Some(w) =
                b.diagnostics_workspace.as_deref().and_then(|n| d.log_workspaces.iter().find(|w| w.name == n))
            {
                let workspace = self.rid(
                    &w.subscription,
                    &w.resource_group,
                    "Microsoft.OperationalInsights/workspaces",
                    &[&w.name],
                );
                let bastion_id = Self::local("Microsoft.Network/bastionHosts", &[&b.name]);
                let resource = json!({
                    "type": "Microsoft.Insights/diagnosticSettings",
                    "apiVersion": DIAGNOSTICS_API,
                    "name": lit(&format!("{}-audit", b.name)),
                    "scope": bastion_id,
                    "dependsOn": [bastion_id],
                    "properties": {
                        "workspaceId": workspace,
                        "logs": [{ "category": "BastionAuditLogs", "enabled": true }]
                    }
                });
                self.add(ATTACH, place, &vnet.region, resource);
            }
        }
    }

    // ---- VMs and scale sets ------------------------------------------------------------

    fn vms(&mut self) {
        let d = self.d;
        self.declare(
            "adminUsername",
            json!({ "type": "string", "defaultValue": "azureuser", "metadata": { "description": "Local administrator of every VM and scale set" } }),
        );
        self.declare(
            "vmSize",
            json!({ "type": "string", "defaultValue": "Standard_B2s", "metadata": { "description": "Size of every VM and scale set instance (the design does not choose sizes)" } }),
        );
        for vm in &d.vms {
            self.vm_facts(vm);
            let Some(vnet) = self.vnet_of_name(&vm.nic.vnet) else {
                self.skip(format!("VM '{}'", vm.name), "its VNet is not in the design");
                continue;
            };
            let location = vnet.region.clone();
            let subnet_id = self.rid(
                &vnet.subscription,
                &vnet.resource_group,
                "Microsoft.Network/virtualNetworks/subnets",
                &[&vnet.name, &vm.nic.subnet],
            );
            let nsg = vm
                .nic
                .nsg
                .as_deref()
                .and_then(|n| d.nsg(n))
                .map(|n| (n.subscription.clone(), n.resource_group.clone(), n.name.clone()));
            let nsg_id =
                nsg.map(|(s, rg, n)| id_ref(self.rid(&s, &rg, "Microsoft.Network/networkSecurityGroups", &[&n])));
            let os_profile = self.os_profile(vm);
            let storage = storage_profile(vm.os);
            let place = (vm.subscription.as_str(), vm.resource_group.as_str());
            if vm.scale_set {
                self.scale_set(vm, place, &location, subnet_id, nsg_id, os_profile, storage);
                continue;
            }
            let nic = vm.nic_name();
            let mut ip = json!({
                "privateIPAllocationMethod": "Static",
                "privateIPAddress": vm.nic.private_ip.to_string(),
                "subnet": id_ref(subnet_id),
                "primary": true
            });
            if let Some(pip) = vm.nic.public_ip.as_deref().and_then(|n| d.public_ips.iter().find(|p| p.name == n)) {
                ip["publicIPAddress"] = id_ref(self.rid(
                    &pip.subscription,
                    &pip.resource_group,
                    "Microsoft.Network/publicIPAddresses",
                    &[&pip.name],
                ));
            }
            let mut nic_props = json!({ "ipConfigurations": [{ "name": "ipconfig1", "properties": ip }] });
            if let Some(nsg_id) = nsg_id {
                nic_props["networkSecurityGroup"] = nsg_id;
            }
            self.add(
                ATTACH,
                place,
                &location,
                json!({
                    "type": "Microsoft.Network/networkInterfaces",
                    "apiVersion": NETWORK_API,
                    "name": lit(&nic),
                    "location": location,
                    "properties": nic_props
                }),
            );
            let nic_local = Self::local("Microsoft.Network/networkInterfaces", &[&nic]);
            let mut resource = json!({
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": COMPUTE_API,
                "name": lit(&vm.name),
                "location": location,
                "dependsOn": [nic_local.clone()],
                "properties": {
                    "hardwareProfile": { "vmSize": "[parameters('vmSize')]" },
                    "storageProfile": storage,
                    "osProfile": os_profile,
                    "networkProfile": { "networkInterfaces": [{ "id": nic_local, "properties": { "primary": true } }] }
                }
            });
            if vm.entra_login_extension {
                // The Entra ID login extension signs in with the VM's managed identity.
                resource["identity"] = json!({ "type": "SystemAssigned" });
            }
            self.add(ATTACH, place, &location, resource);
            if vm.entra_login_extension {
                let (name, publisher_type) = entra_extension(vm.os);
                self.add(
                    ATTACH,
                    place,
                    &location,
                    json!({
                        "type": "Microsoft.Compute/virtualMachines/extensions",
                        "apiVersion": COMPUTE_API,
                        "name": lit(&format!("{}/{name}", vm.name)),
                        "location": location,
                        "dependsOn": [Self::local("Microsoft.Compute/virtualMachines", &[&vm.name])],
                        "properties": {
                            "publisher": "Microsoft.Azure.ActiveDirectory",
                            "type": publisher_type,
                            "typeHandlerVersion": "1.0",
                            "autoUpgradeMinorVersion": true
                        }
                    }),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scale_set(
        &mut self,
        vm: &Vm,
        place: (&str, &str),
        location: &str,
        subnet_id: String,
        nsg_id: Option<Value>,
        mut os_profile: Value,
        storage: Value,
    ) {
        self.skip(
            format!("scale set '{}': address {}", vm.name, vm.nic.private_ip),
            "a scale set's instances take their addresses from the subnet when they are created",
        );
        let public_ip = vm.nic.public_ip.as_deref().and_then(|n| self.d.public_ips.iter().find(|p| p.name == n));
        if let Some(pip) = public_ip {
            if pip.allocation != pip.sku.default_allocation() {
                self.skip(
                    format!("scale set '{}': public IP '{}' allocation", vm.name, pip.name),
                    "a scale set's public IP configuration takes its SKU's allocation (Standard static, Basic dynamic)",
                );
            }
            if !pip.zones.is_empty() {
                self.skip(
                    format!("scale set '{}': public IP '{}' zones", vm.name, pip.name),
                    "a scale set's instances take their public IPs' zones from their own",
                );
            }
        }
        if let Some(obj) = os_profile.as_object_mut() {
            let name = obj.remove("computerName").unwrap_or_else(|| json!("vm"));
            obj.insert("computerNamePrefix".into(), name);
        }
        let mut nic = json!({
            "primary": true,
            "ipConfigurations": [{ "name": "ipconfig1", "properties": { "subnet": id_ref(subnet_id), "primary": true } }]
        });
        if let Some(pip) = public_ip {
            let (sku, _, version) = public_ip_words(pip);
            nic["ipConfigurations"][0]["properties"]["publicIPAddressConfiguration"] = json!({
                "name": lit(&pip.name),
                "sku": { "name": sku, "tier": "Regional" },
                "properties": { "publicIPAddressVersion": version }
            });
        }
        if let Some(nsg_id) = nsg_id {
            nic["networkSecurityGroup"] = nsg_id;
        }
        let mut profile = json!({
            "storageProfile": storage,
            "osProfile": os_profile,
            "networkProfile": { "networkInterfaceConfigurations": [{ "name": lit(&vm.nic_name()), "properties": nic }] }
        });
        let mut resource = json!({
            "type": "Microsoft.Compute/virtualMachineScaleSets",
            "apiVersion": COMPUTE_API,
            "name": lit(&vm.name),
            "location": location,
            "sku": { "name": "[parameters('vmSize')]", "capacity": 1 },
            "properties": {
                "orchestrationMode": "Uniform",
                "upgradePolicy": { "mode": "Manual" },
                "virtualMachineProfile": Value::Null
            }
        });
        if vm.entra_login_extension {
            let (name, publisher_type) = entra_extension(vm.os);
            profile["extensionProfile"] = json!({ "extensions": [{
                "name": name,
                "properties": {
                    "publisher": "Microsoft.Azure.ActiveDirectory",
                    "type": publisher_type,
                    "typeHandlerVersion": "1.0",
                    "autoUpgradeMinorVersion": true
                }
            }] });
            resource["identity"] = json!({ "type": "SystemAssigned" });
        }
        resource["properties"]["virtualMachineProfile"] = profile;
        self.add(ATTACH, place, location, resource);
    }

    /// The OS profile: a local administrator with a password or an SSH public key, both
    /// parameters without defaults (secrets are never invented).
    fn os_profile(&mut self, vm: &Vm) -> Value {
        let limit = if vm.os == Os::Windows { 15 } else { 64 };
        let computer: String = vm.name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(limit).collect();
        let computer = computer.trim_matches('-').to_string();
        let computer = if computer.is_empty() { "vm".to_string() } else { computer };
        let ssh = vm.os == Os::Linux && matches!(vm.sign_in, SignIn::SshKey | SignIn::SshKeyInKeyVault { .. });
        let mut profile = json!({ "computerName": computer, "adminUsername": "[parameters('adminUsername')]" });
        if ssh {
            let key = self.secure(
                &format!("sshPublicKey_{}", ident(&vm.name)),
                format!("SSH public key of the administrator of '{}'", vm.name),
            );
            profile["linuxConfiguration"] = json!({
                "disablePasswordAuthentication": true,
                "ssh": { "publicKeys": [{
                    "path": "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]",
                    "keyData": key
                }] }
            });
        } else {
            profile["adminPassword"] = Value::String(self.secure(
                &format!("adminPassword_{}", ident(&vm.name)),
                format!("Password of the administrator of '{}'", vm.name),
            ));
            if vm.os == Os::Linux {
                profile["linuxConfiguration"] = json!({ "disablePasswordAuthentication": false });
            }
        }
        profile
    }

    /// What the model says of a VM that no VM property holds.
    fn vm_facts(&mut self, vm: &Vm) {
        let what = |fact: &str| format!("VM '{}': {fact}", vm.name);
        match &vm.sign_in {
            SignIn::SshKeyInKeyVault { vault } => self.skip(
                what(&format!("SSH key kept in Key Vault '{vault}'")),
                "the private key's place is chosen when connecting through Bastion; the template deploys the VM with the public key",
            ),
            SignIn::EntraId => self.skip(
                what("sign-in with Entra ID"),
                "Entra ID sign-in is the login extension plus a VM login role, chosen when connecting; the template deploys a local administrator too",
            ),
            SignIn::SshKey if vm.os == Os::Windows => self.skip(
                what("SSH key sign-in on Windows"),
                "a Windows VM's administrator has a password in ARM; the SSH key is set up inside the OS",
            ),
            _ => (),
        }
        if vm.jit_policy {
            self.skip(
                what("just-in-time access policy"),
                "a Microsoft.Security JIT policy needs ports and request windows the model does not hold; not written here (the importer does not read it back)",
            );
        }
        if vm.firewall_manager_protected {
            self.skip(
                what("protected by an Azure Firewall managed by Firewall Manager"),
                "the firewall and its policy are not in the model beyond this flag",
            );
        }
        if vm.azure_firewall_protected {
            self.skip(
                what("protected by an Azure Firewall"),
                "the firewall and its rules are not in the model beyond this flag",
            );
        }
        if let Some(port) = vm.port {
            self.skip(
                what(&format!("remote access on port {port}")),
                "the port a service listens on is set inside the OS, not in ARM",
            );
        }
    }

    // ---- role assignments ------------------------------------------------------------

    fn role_assignments(&mut self) {
        let d = self.d;
        for a in &d.role_assignments {
            let role = role_definition_id(a.role);
            let (principal, kind) = self.principal(&a.principal);
            let what = format!("role assignment {} for '{}' at {}", a.role.name(), a.principal, a.scope);
            let role_id = format!("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})]", q(role));
            let mut assignment = json!({
                "type": "Microsoft.Authorization/roleAssignments",
                "apiVersion": ROLE_API,
                "name": Value::Null,
                "properties": {
                    "roleDefinitionId": role_id,
                    "principalId": format!("[{principal}]"),
                    "principalType": kind,
                    "description": format!("{} for {}", a.role.name(), a.principal)
                }
            });
            match Scope::parse(&a.scope) {
                Ok(Scope::Subscription(sub)) => {
                    assignment["name"] = Value::String(format!(
                        "[guid(subscription().id, {principal}, {})]",
                        q(role)
                    ));
                    self.sub_resources.entry((ACCESS, sub.to_ascii_lowercase())).or_default().push(assignment);
                    let _ = self.sub(&sub);
                }
                Ok(Scope::ResourceGroup { subscription, resource_group }) => {
                    assignment["name"] =
                        Value::String(format!("[guid(resourceGroup().id, {principal}, {})]", q(role)));
                    let location = self.region_near(None, &subscription, &resource_group);
                    self.add(ACCESS, (&subscription, &resource_group), &location, assignment);
                }
                Ok(Scope::Resource(res)) => {
                    let scope = Self::local(res.kind.arm_type(), &[&res.name]);
                    let scope_expr = scope.trim_start_matches('[').trim_end_matches(']').to_string();
                    assignment["name"] = Value::String(format!("[guid({scope_expr}, {principal}, {})]", q(role)));
                    assignment["scope"] = Value::String(scope);
                    let location = self.region_near(None, &res.subscription, &res.resource_group);
                    self.add(ACCESS, (&res.subscription, &res.resource_group), &location, assignment);
                }
                Ok(Scope::ManagementGroup(_)) | Ok(Scope::Root) => self.skip(
                    what,
                    format!(
                        "an assignment above the subscription is deployed at that scope (az deployment mg/tenant create); assign it with: az role assignment create --assignee-object-id <object id of {}> --assignee-principal-type {kind} --role {role} --scope {}",
                        a.principal, a.scope
                    ),
                ),
                Err(why) => self.skip(what, why),
            }
        }
    }

    // ---- the template ------------------------------------------------------------------

    fn finish(mut self) -> ArmExport {
        // Every subscription that holds something gets its parameter, in a stable order.
        let mut subs: Vec<String> = self.groups.values().map(|(s, _, _)| s.clone()).collect();
        subs.extend(self.sub_resources.keys().map(|(_, s)| s.clone()));
        let mut seen = BTreeSet::new();
        subs.retain(|s| seen.insert(s.to_ascii_lowercase()));
        for s in &subs {
            let _ = self.sub(s);
        }
        let template = if subs.len() <= 1 {
            let sub = subs.first().cloned().unwrap_or_default();
            // One subscription: the one the template is deployed to. Its resource groups and
            // role assignments are created there, so the nested deployments must target it
            // too: the parameter defaults to it (another value would split the design).
            if let Some(name) = self.sub_params.get(&sub.to_ascii_lowercase()).cloned() {
                if let Some((_, decl)) = self.params.iter_mut().find(|(n, _)| *n == name) {
                    decl["defaultValue"] = Value::String("[subscription().subscriptionId]".to_string());
                    decl["metadata"]["description"] = Value::String(format!(
                        "Id (GUID) of the subscription deployed to, which holds subscription '{sub}' of the design"
                    ));
                }
            }
            let resources = self.subscription_resources(&sub, 0..PHASES.len());
            self.template(SUBSCRIPTION_SCHEMA, resources)
        } else {
            let mut resources = Vec::new();
            let mut previous: Vec<String> = Vec::new();
            for phase in 0..PHASES.len() {
                let mut this = Vec::new();
                for sub in &subs {
                    let inner = self.subscription_resources(sub, phase..phase + 1);
                    if inner.is_empty() {
                        continue;
                    }
                    let name = deployment_name(phase, sub);
                    let template = self.template(SUBSCRIPTION_SCHEMA, inner);
                    let sub_expr = self.sub(sub);
                    let mut deployment = self.deployment(&name, template, previous.clone());
                    deployment["subscriptionId"] = Value::String(format!("[{sub_expr}]"));
                    deployment["location"] = Value::String(self.default_region.clone());
                    resources.push(deployment);
                    this.push(name);
                }
                if !this.is_empty() {
                    previous = this;
                }
            }
            self.template(MANAGEMENT_GROUP_SCHEMA, resources)
        };
        let mut text = serde_json::to_string_pretty(&template).unwrap_or_default();
        text.push('\n');
        ArmExport { template: text, not_exported: self.not_exported }
    }

    /// The resources of a subscription-level template for `sub` and `phases`: its
    /// resource groups (with the first phase), one deployment per resource group and
    /// phase, and the subscription-scope role assignments.
    fn subscription_resources(&mut self, sub: &str, phases: std::ops::Range<usize>) -> Vec<Value> {
        let sub_key = sub.to_ascii_lowercase();
        let groups: Vec<(PlaceKey, (String, String, String))> =
            self.groups.iter().filter(|(k, _)| k.0 == sub_key).map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut resources = Vec::new();
        // The resource groups are created with the first phase; a later phase's template
        // (one per phase across subscriptions) finds them created and cannot name them in
        // dependsOn, which only reaches resources of the same template.
        let with_groups = phases.start == BASE;
        if with_groups {
            for (_, (_, rg, location)) in &groups {
                resources.push(json!({
                    "type": "Microsoft.Resources/resourceGroups",
                    "apiVersion": RESOURCES_API,
                    "name": lit(rg),
                    "location": location
                }));
            }
        }
        let mut previous: Vec<String> = Vec::new();
        for phase in phases {
            let mut this = Vec::new();
            for (key, (subscription, rg, _)) in &groups {
                let Some(list) = self.rg_resources.get(&(phase, key.clone())).cloned() else { continue };
                let name = deployment_name(phase, rg);
                let template = self.template(RESOURCE_GROUP_SCHEMA, list);
                let mut depends = Vec::new();
                if with_groups {
                    depends.push(format!("[resourceId('Microsoft.Resources/resourceGroups', {})]", q(rg)));
                }
                depends.extend(previous.iter().cloned());
                let mut deployment = self.deployment(&name, template, depends);
                let sub_expr = self.sub(subscription);
                deployment["subscriptionId"] = Value::String(format!("[{sub_expr}]"));
                deployment["resourceGroup"] = lit(rg);
                resources.push(deployment);
                this.push(name);
            }
            if let Some(list) = self.sub_resources.get(&(phase, sub_key.clone())) {
                for r in list {
                    let mut r = r.clone();
                    if !previous.is_empty() || !this.is_empty() {
                        r["dependsOn"] = json!(previous.iter().chain(&this).cloned().collect::<Vec<_>>());
                    }
                    resources.push(r);
                }
            }
            if !this.is_empty() {
                previous = this;
            }
        }
        resources
    }

    /// A template holding `resources`, declaring the parameters they use.
    fn template(&self, schema: &str, resources: Vec<Value>) -> Value {
        let resources = Value::Array(resources);
        let used = used_parameters(&resources);
        let mut params = Map::new();
        for (name, decl) in &self.params {
            if used.contains(name.as_str()) {
                params.insert(name.clone(), decl.clone());
            }
        }
        let mut t = Map::new();
        t.insert("$schema".into(), Value::String(schema.to_string()));
        t.insert("contentVersion".into(), Value::String("1.0.0.0".into()));
        if schema == SUBSCRIPTION_SCHEMA || schema == MANAGEMENT_GROUP_SCHEMA {
            t.insert(
                "metadata".into(),
                json!({ "description": format!("Generated by bastion-sim from design '{}'", self.d.name) }),
            );
        }
        t.insert("parameters".into(), Value::Object(params));
        t.insert("resources".into(), resources);
        Value::Object(t)
    }

    /// A nested deployment with an inline template evaluated in its own (inner) scope:
    /// the parameters it uses are passed on from the enclosing template.
    fn deployment(&self, name: &str, template: Value, depends: Vec<String>) -> Value {
        let mut passed = Map::new();
        if let Some(declared) = template.get("parameters").and_then(Value::as_object) {
            for param in declared.keys() {
                passed.insert(param.clone(), json!({ "value": format!("[parameters({})]", q(param)) }));
            }
        }
        json!({
            "type": "Microsoft.Resources/deployments",
            "apiVersion": RESOURCES_API,
            "name": name,
            "dependsOn": depends,
            "properties": {
                "mode": "Incremental",
                "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": passed,
                "template": template
            }
        })
    }
}

/// The names every `parameters('…')` in `value` refers to.
fn used_parameters(value: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(at) = rest.find("parameters('") {
                    let tail = &rest[at + "parameters('".len()..];
                    let end = tail.find('\'').unwrap_or(tail.len());
                    out.insert(tail[..end].to_string());
                    rest = &tail[end..];
                }
            }
            Value::Array(items) => items.iter().for_each(|it| walk(it, out)),
            Value::Object(map) => map.values().for_each(|it| walk(it, out)),
            _ => (),
        }
    }
    let mut out = BTreeSet::new();
    walk(value, &mut out);
    out
}

fn security_rule(rule: &NsgRule) -> Value {
    let direction = match rule.direction {
        Direction::Inbound => "Inbound",
        Direction::Outbound => "Outbound",
    };
    let access = match rule.access {
        Access::Allow => "Allow",
        Access::Deny => "Deny",
    };
    let mut props = json!({
        "priority": rule.priority,
        "direction": direction,
        "access": access,
        "protocol": protocol_name(rule.protocol),
        "sourcePortRange": "*"
    });
    // ARM takes one value in the singular property, several in the plural one.
    let mut put = |one: &str, many: &str, items: &[String]| match items {
        [single] => props[one] = json!(single),
        _ => props[many] = json!(items),
    };
    put("sourceAddressPrefix", "sourceAddressPrefixes", &rule.sources);
    put("destinationAddressPrefix", "destinationAddressPrefixes", &rule.destinations);
    put("destinationPortRange", "destinationPortRanges", &rule.destination_ports);
    json!({ "name": lit(&rule.name), "properties": props })
}

/// A marketplace image for the OS (the design does not choose one): Ubuntu 24.04 LTS or
/// Windows Server 2022 Azure Edition.
fn storage_profile(os: Os) -> Value {
    let image = match os {
        Os::Linux => {
            json!({ "publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest" })
        }
        Os::Windows => json!({
            "publisher": "MicrosoftWindowsServer",
            "offer": "WindowsServer",
            "sku": "2022-datacenter-azure-edition",
            "version": "latest"
        }),
    };
    json!({
        "imageReference": image,
        "osDisk": { "osType": os_name(os), "createOption": "FromImage", "managedDisk": { "storageAccountType": "StandardSSD_LRS" } }
    })
}

/// The Entra ID login extension: (resource name, extension type). On Linux the current
/// extension is AADSSHLoginForLinux (AADLoginForLinux is retired).
fn entra_extension(os: Os) -> (&'static str, &'static str) {
    match os {
        Os::Linux => ("AADSSHLoginForLinux", "AADSSHLoginForLinux"),
        Os::Windows => ("AADLoginForWindows", "AADLoginForWindows"),
    }
}

/// Children of one parent deployed one after the other (Azure refuses concurrent changes to
/// a VNet's peerings, a hub's connections, a gateway's connections): the reference to the
/// parent's previous child, for the next one's `dependsOn`, with `child` now the latest.
fn after_previous(latest: &mut BTreeMap<String, String>, child_type: &str, parent: &str, child: &str) -> Option<Value> {
    let previous = latest.insert(parent.to_string(), child.to_string())?;
    Some(Value::String(Exporter::local(child_type, &[parent, &previous])))
}

/// A public IP's SKU, allocation and version as ARM spells them.
fn public_ip_words(pip: &PublicIp) -> (&'static str, &'static str, &'static str) {
    let sku = match pip.sku {
        PublicIpSku::Basic => "Basic",
        PublicIpSku::Standard => "Standard",
    };
    let allocation = match pip.allocation {
        IpAllocation::Static => "Static",
        IpAllocation::Dynamic => "Dynamic",
    };
    let version = match pip.version {
        IpVersion::IPv4 => "IPv4",
        IpVersion::IPv6 => "IPv6",
    };
    (sku, allocation, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_deployment_names_stay_unique_and_short() {
        let a = deployment_name(0, &"rg-".repeat(30));
        let b = deployment_name(0, &format!("{}x", "rg-".repeat(30)));
        assert!(a.len() <= 64 && b.len() <= 64);
        assert_ne!(a, b);
        assert_eq!(deployment_name(1, "rg-hub"), "network-rg-hub");
    }

    #[test]
    fn parameter_references_are_found_in_nested_values() {
        let value =
            json!({ "a": ["[resourceId(parameters('s1'), 'rg')]", { "b": "[format('{0}', parameters('x'))]" }] });
        let used: Vec<String> = used_parameters(&value).into_iter().collect();
        assert_eq!(used, vec!["s1".to_string(), "x".to_string()]);
    }

    #[test]
    fn the_summary_names_the_first_items_not_exported_and_counts_the_rest() {
        let item = |i: usize| NotExported { what: format!("thing {i}"), why: "because".into() };
        let mut export = ArmExport { template: String::new(), not_exported: Vec::new() };
        assert!(export.summary().contains("everything"));
        export.not_exported = (0..7).map(item).collect();
        let text = export.summary();
        assert!(text.contains("Not exported (7): thing 0: because;"), "{text}");
        assert!(text.contains("thing 4") && !text.contains("thing 5"), "{text}");
        assert!(text.contains("and 2 more"), "{text}");
    }

    #[test]
    fn names_that_look_like_expressions_are_escaped() {
        assert_eq!(lit("[odd]"), json!("[[odd]"));
        assert_eq!(q("o'brien"), "'o''brien'");
    }
}
