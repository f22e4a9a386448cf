//! The design: every Azure resource a remote-access design holds, as plain data.
//!
//! Resources refer to each other by name (unique per kind), never by reference; the
//! engine builds its own indexes. Every resource has an ARM-style id derived from its
//! subscription, resource group and name (`ids.rs`), so RBAC scope containment is a
//! structural prefix test. Canvas positions are not here: see `Layout`.

pub mod cidr;
pub mod file;
pub mod ids;
pub mod nsg;
pub mod validate;
mod value_de;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use cidr::{Cidr, Ipv4};
pub use file::{design_from_value, load_design, save_design, DesignFile, LoadError, FORMAT};
pub use ids::{ResourceKind, ResourceRef, Scope};
pub use validate::{validate, validate_changed, ValidationError};

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
fn yes() -> bool {
    true
}
fn is_true(value: &bool) -> bool {
    *value
}
fn two() -> u32 {
    2
}
fn is_two(value: &u32) -> bool {
    *value == 2
}

/// A whole design: what the engine analyzes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub management_groups: Vec<ManagementGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<Subscription>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnets: Vec<Vnet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<PeeringLink>,
    /// Peering links that existed and were deleted: the surviving link of the pair is
    /// Disconnected rather than Initiated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted_peerings: Vec<DeletedPeering>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nsgs: Vec<Nsg>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<RouteTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_ips: Vec<PublicIp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bastions: Vec<BastionHost>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vms: Vec<Vm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_wans: Vec<VirtualWan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_hubs: Vec<VirtualHub>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hub_connections: Vec<HubConnection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<Gateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onprem_sites: Vec<OnPremSite>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub site_connections: Vec<SiteConnection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onprem_machines: Vec<OnPremMachine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_vaults: Vec<KeyVault>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_workspaces: Vec<LogAnalyticsWorkspace>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<User>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_assignments: Vec<RoleAssignment>,
    /// The price table used for cost; `None` means the built-in, dated table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<PriceTable>,
}

/// A management group holding subscriptions (optional level of the RBAC hierarchy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The subscription id as it appears in ARM ids (a GUID in Azure, any token here).
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// The Entra tenant; peerings across tenants are not usable by Bastion.
    #[serde(default = "default_tenant", skip_serializing_if = "is_default_tenant")]
    pub tenant: String,
    /// Defender for Servers Plan 2 is on (needed by JIT).
    #[serde(default, skip_serializing_if = "is_default")]
    pub defender_for_servers_p2: bool,
}

fn default_tenant() -> String {
    "contoso.onmicrosoft.com".to_string()
}
fn is_default_tenant(tenant: &String) -> bool {
    *tenant == default_tenant()
}

/// Where a resource lives for RBAC: subscription and resource group.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub subscription: String,
    pub resource_group: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vnet {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    pub region: String,
    pub address_prefixes: Vec<Cidr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    /// Names of the private DNS zones linked to this VNet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_dns_zones: Vec<String>,
    /// Azure Route Server in this VNet advertises 0.0.0.0/0.
    #[serde(default, skip_serializing_if = "is_default")]
    pub route_server_default_route: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub name: String,
    pub prefix: Cidr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
}

pub const BASTION_SUBNET: &str = "AzureBastionSubnet";
pub const GATEWAY_SUBNET: &str = "GatewaySubnet";

/// One direction of a VNet peering, as Azure stores it (`from` owns the link).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeeringLink {
    pub name: String,
    pub from: String,
    pub to: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub allow_virtual_network_access: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub allow_forwarded_traffic: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub allow_gateway_transit: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub use_remote_gateways: bool,
}

/// The record that the link `from` → `to` existed and was deleted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletedPeering {
    pub from: String,
    pub to: String,
}

/// Peering state, derived from the links (never stored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PeeringState {
    Connected,
    Initiated,
    Disconnected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BastionSku {
    Developer,
    Basic,
    Standard,
    Premium,
}

impl BastionSku {
    pub const ALL: [BastionSku; 4] =
        [BastionSku::Developer, BastionSku::Basic, BastionSku::Standard, BastionSku::Premium];
    pub fn is_dedicated(self) -> bool {
        self != BastionSku::Developer
    }
    pub fn name(self) -> &'static str {
        match self {
            BastionSku::Developer => "Developer",
            BastionSku::Basic => "Basic",
            BastionSku::Standard => "Standard",
            BastionSku::Premium => "Premium",
        }
    }
}

/// The feature toggles of a Bastion host (all off by default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BastionFeatures {
    #[serde(skip_serializing_if = "is_default")]
    pub native_client: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub ip_connect: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub shareable_link: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub file_copy: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub kerberos: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub session_recording: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub private_only: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub disable_copy_paste: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BastionHost {
    pub name: String,
    /// The VNet the host is deployed into (its AzureBastionSubnet is there).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vnet: String,
    /// Set when someone tried to place the Bastion in a Virtual WAN hub (B-HEALTH-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_hub: Option<String>,
    /// Defaults to the VNet's resource group (Azure requires the same one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    pub sku: BastionSku,
    #[serde(default = "two", skip_serializing_if = "is_two")]
    pub scale_units: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub features: BastionFeatures,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Log Analytics workspace receiving BastionAuditLogs (diagnostic setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics_workspace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_rdp_sessions: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_ssh_sessions: Option<u32>,
    /// Expected outbound data per month, in GB (for cost).
    #[serde(default, skip_serializing_if = "is_default")]
    pub outbound_data_gb: f64,
    /// Developer SKU only: already deployed by a first connection.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub deployed: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicIpSku {
    Basic,
    #[default]
    Standard,
}

impl PublicIpSku {
    /// The allocation Azure gives a public IP of this SKU when none is asked for: Standard
    /// addresses are static, Basic ones dynamic.
    pub fn default_allocation(self) -> IpAllocation {
        match self {
            PublicIpSku::Basic => IpAllocation::Dynamic,
            PublicIpSku::Standard => IpAllocation::Static,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpAllocation {
    #[default]
    Static,
    Dynamic,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpVersion {
    #[default]
    IPv4,
    IPv6,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicIp {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub sku: PublicIpSku,
    #[serde(default, skip_serializing_if = "is_default")]
    pub allocation: IpAllocation,
    #[serde(default, skip_serializing_if = "is_default")]
    pub version: IpVersion,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Os {
    Linux,
    Windows,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", deny_unknown_fields)]
pub enum SignIn {
    Password,
    SshKey,
    /// SSH private key stored as a secret in this Key Vault.
    SshKeyInKeyVault {
        vault: String,
    },
    EntraId,
}

/// A network interface: where a VM sits and how it is filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nic {
    /// Defaults to `<vm>-nic`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub vnet: String,
    pub subnet: String,
    pub private_ip: Ipv4,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    /// A virtual machine scale set rather than a single VM.
    #[serde(default, skip_serializing_if = "is_default")]
    pub scale_set: bool,
    pub os: Os,
    pub sign_in: SignIn,
    #[serde(default, skip_serializing_if = "is_default")]
    pub entra_login_extension: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub jit_policy: bool,
    /// Protected by an Azure Firewall managed by Firewall Manager.
    #[serde(default, skip_serializing_if = "is_default")]
    pub firewall_manager_protected: bool,
    /// Protected by an Azure Firewall with classic rules in the same VNet.
    #[serde(default, skip_serializing_if = "is_default")]
    pub azure_firewall_protected: bool,
    /// Port of the remote-access service when not the OS default (22 / 3389).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub nic: Nic,
}

impl Vm {
    pub fn service_port(&self) -> u16 {
        self.port.unwrap_or_else(|| default_port(self.os))
    }
    pub fn nic_name(&self) -> String {
        if self.nic.name.is_empty() {
            format!("{}-nic", self.name)
        } else {
            self.nic.name.clone()
        }
    }
}

pub fn default_port(os: Os) -> u16 {
    match os {
        Os::Linux => 22,
        Os::Windows => 3389,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    Allow,
    Deny,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    // ARM spells them `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `*` and compares without case, so
    // the capitalized spellings that exports and hand-written files use are accepted too.
    #[serde(alias = "TCP", alias = "tcp")]
    Tcp,
    #[serde(alias = "UDP", alias = "udp")]
    Udp,
    #[serde(alias = "ICMP", alias = "icmp")]
    Icmp,
    /// IPsec Encapsulating Security Payload: never a Bastion session (TCP).
    #[serde(alias = "ESP", alias = "esp")]
    Esp,
    /// IPsec Authentication Header: never a Bastion session (TCP).
    #[serde(alias = "AH", alias = "ah")]
    Ah,
    #[default]
    #[serde(rename = "*", alias = "Any", alias = "any")]
    Any,
}

/// A custom security rule. Sources and destinations are CIDR prefixes, single
/// addresses, service tags (`VirtualNetwork`, `Internet`, `AzureLoadBalancer`,
/// `GatewayManager`, `AzureCloud`) or `*`. Ports are numbers, ranges (`8080-8090`)
/// or `*`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NsgRule {
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: Protocol,
    pub sources: Vec<String>,
    pub destinations: Vec<String>,
    pub destination_ports: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nsg {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<NsgRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextHop {
    Internet,
    VirtualAppliance,
    VirtualNetworkGateway,
    VnetLocal,
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub name: String,
    pub prefix: Cidr,
    pub next_hop: NextHop,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirtualWan {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirtualHub {
    pub name: String,
    pub virtual_wan: String,
    pub region: String,
    pub address_prefix: Cidr,
    /// Secured hub: Azure Firewall with routing intent, which sends 0.0.0.0/0 to
    /// connections that propagate the default route.
    #[serde(default, skip_serializing_if = "is_default")]
    pub secured: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConnection {
    pub name: String,
    pub vnet: String,
    pub hub: String,
    /// "Propagate default route" (enableInternetSecurity) on this connection.
    #[serde(default, skip_serializing_if = "is_default")]
    pub propagate_default_route: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GatewayKind {
    Vpn,
    ExpressRoute,
}

/// A VPN or ExpressRoute gateway: in a VNet's GatewaySubnet, or in a vWAN hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    pub name: String,
    pub kind: GatewayKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vnet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremSite {
    pub name: String,
    pub address_prefixes: Vec<Cidr>,
}

/// A gateway's connection to an on-premises site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConnection {
    pub name: String,
    pub gateway: String,
    pub site: String,
    /// The site advertises 0.0.0.0/0 (or forced tunnelling is configured).
    #[serde(default, skip_serializing_if = "is_default")]
    pub advertises_default_route: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremMachine {
    pub name: String,
    pub site: String,
    pub ip: Ipv4,
    pub os: Os,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

impl OnPremMachine {
    pub fn service_port(&self) -> u16 {
        self.port.unwrap_or_else(|| default_port(self.os))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyVaultPermissionModel {
    #[default]
    AccessPolicy,
    Rbac,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessPolicy {
    /// A user or group name.
    pub principal: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub secrets_get: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub secrets_list: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyVault {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub permission_model: KeyVaultPermissionModel,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_policies: Vec<AccessPolicy>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogAnalyticsWorkspace {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    /// The central (platform) workspace of the landing zone.
    #[serde(default, skip_serializing_if = "is_default")]
    pub central: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// User names (groups do not nest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// Built-in roles the engine knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Owner,
    Contributor,
    Reader,
    #[serde(rename = "Network Contributor")]
    NetworkContributor,
    #[serde(rename = "Virtual Machine Contributor")]
    VirtualMachineContributor,
    #[serde(rename = "Virtual Machine User Login")]
    VirtualMachineUserLogin,
    #[serde(rename = "Virtual Machine Administrator Login")]
    VirtualMachineAdministratorLogin,
    #[serde(rename = "Key Vault Secrets User")]
    KeyVaultSecretsUser,
    #[serde(rename = "Key Vault Reader")]
    KeyVaultReader,
    #[serde(rename = "Security Reader")]
    SecurityReader,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Owner,
        Role::Contributor,
        Role::Reader,
        Role::NetworkContributor,
        Role::VirtualMachineContributor,
        Role::VirtualMachineUserLogin,
        Role::VirtualMachineAdministratorLogin,
        Role::KeyVaultSecretsUser,
        Role::KeyVaultReader,
        Role::SecurityReader,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Contributor => "Contributor",
            Role::Reader => "Reader",
            Role::NetworkContributor => "Network Contributor",
            Role::VirtualMachineContributor => "Virtual Machine Contributor",
            Role::VirtualMachineUserLogin => "Virtual Machine User Login",
            Role::VirtualMachineAdministratorLogin => "Virtual Machine Administrator Login",
            Role::KeyVaultSecretsUser => "Key Vault Secrets User",
            Role::KeyVaultReader => "Key Vault Reader",
            Role::SecurityReader => "Security Reader",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignment {
    /// A user or group name.
    pub principal: String,
    pub role: Role,
    /// An ARM scope: `/`, `/providers/Microsoft.Management/managementGroups/{mg}`,
    /// `/subscriptions/{s}`, `/subscriptions/{s}/resourceGroups/{rg}` or a resource id.
    pub scope: String,
}

/// Hourly list prices, dated and approximate; editable per design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// When these prices were read (ISO date).
    pub date: String,
    pub currency: String,
    pub region: String,
    pub basic_per_hour: f64,
    pub standard_per_hour: f64,
    pub premium_per_hour: f64,
    pub standard_extra_instance_per_hour: f64,
    pub premium_extra_instance_per_hour: f64,
    /// Per GB of outbound data beyond the free allowance.
    pub outbound_per_gb: f64,
    pub free_outbound_gb: f64,
}

impl Default for PriceTable {
    /// Approximate East US pay-as-you-go list prices (see azure-facts.md §7). Not a quote.
    fn default() -> PriceTable {
        PriceTable {
            date: "2025-11-24".to_string(),
            currency: "USD".to_string(),
            region: "East US".to_string(),
            basic_per_hour: 0.19,
            standard_per_hour: 0.29,
            premium_per_hour: 0.45,
            standard_extra_instance_per_hour: 0.14,
            premium_extra_instance_per_hour: 0.22,
            outbound_per_gb: 0.087,
            free_outbound_gb: 5.0,
        }
    }
}

/// Canvas positions, by resource key (`vnet:<name>`, `hub:<name>`, …). Layout, not model:
/// the engine never reads it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    #[serde(flatten)]
    pub positions: BTreeMap<String, Point>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl PublicIp {
    /// The public IP a Bastion needs (B-HEALTH-5): Standard SKU, static, IPv4.
    pub fn standard_static(name: &str, subscription: &str, resource_group: &str) -> PublicIp {
        PublicIp {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            sku: PublicIpSku::Standard,
            allocation: IpAllocation::Static,
            version: IpVersion::IPv4,
            zones: Vec::new(),
        }
    }
}

impl BastionHost {
    /// A deployed Bastion with Azure's defaults (two scale units, no feature on, no zones)
    /// and the public IP it names, if any.
    pub fn with_defaults(name: &str, vnet: &str, sku: BastionSku, public_ip: Option<String>) -> BastionHost {
        BastionHost {
            name: name.to_string(),
            vnet: vnet.to_string(),
            virtual_hub: None,
            resource_group: None,
            sku,
            scale_units: 2,
            features: BastionFeatures::default(),
            public_ip,
            zones: Vec::new(),
            diagnostics_workspace: None,
            expected_rdp_sessions: None,
            expected_ssh_sessions: None,
            outbound_data_gb: 0.0,
            deployed: true,
        }
    }
}

impl Vm {
    /// A VM with one NIC at `private_ip` in `vnet`/`subnet`: no public IP, no NSG, no JIT,
    /// the OS's default port.
    pub fn in_subnet(
        name: &str,
        (subscription, resource_group): (&str, &str),
        (os, sign_in): (Os, SignIn),
        (vnet, subnet, private_ip): (&str, &str, Ipv4),
    ) -> Vm {
        Vm {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            scale_set: false,
            os,
            sign_in,
            entra_login_extension: false,
            jit_policy: false,
            firewall_manager_protected: false,
            azure_firewall_protected: false,
            port: None,
            nic: Nic {
                name: String::new(),
                vnet: vnet.to_string(),
                subnet: subnet.to_string(),
                private_ip,
                nsg: None,
                public_ip: None,
            },
        }
    }
}

impl PeeringLink {
    /// A link `from` → `to` named `peer-<from>-to-<to>`, with Azure's default flags
    /// (VNet access only).
    pub fn with_defaults(from: &str, to: &str) -> PeeringLink {
        PeeringLink {
            name: format!("peer-{from}-to-{to}"),
            from: from.to_string(),
            to: to.to_string(),
            allow_virtual_network_access: true,
            allow_forwarded_traffic: false,
            allow_gateway_transit: false,
            use_remote_gateways: false,
        }
    }
}

impl Design {
    pub fn vnet(&self, name: &str) -> Option<&Vnet> {
        self.vnets.iter().find(|it| it.name == name)
    }
    pub fn bastion(&self, name: &str) -> Option<&BastionHost> {
        self.bastions.iter().find(|it| it.name == name)
    }
    pub fn vm(&self, name: &str) -> Option<&Vm> {
        self.vms.iter().find(|it| it.name == name)
    }
    pub fn nsg(&self, name: &str) -> Option<&Nsg> {
        self.nsgs.iter().find(|it| it.name == name)
    }
    /// The subscription of that id, compared without case as ARM compares subscription ids
    /// (validation accepts a reference that differs from the declared id only in case).
    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.subscription_index(id).map(|idx| &self.subscriptions[idx])
    }
    /// `subscription`'s position: the id as spelled, else without case.
    pub fn subscription_index(&self, id: &str) -> Option<usize> {
        let subs = &self.subscriptions;
        subs.iter().position(|it| it.id == id).or_else(|| subs.iter().position(|it| it.id.eq_ignore_ascii_case(id)))
    }
    pub fn prices(&self) -> PriceTable {
        self.prices.clone().unwrap_or_default()
    }
}

impl Vnet {
    pub fn subnet(&self, name: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|it| it.name == name)
    }
    pub fn placement(&self) -> Placement {
        Placement { subscription: self.subscription.clone(), resource_group: self.resource_group.clone() }
    }
}

/// One of the design's collections: what an edit op points into (with the VNet of a
/// subnet), and what a validation check reads (`validate_changed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    ManagementGroups,
    Subscriptions,
    Vnets,
    Subnets(usize),
    Peerings,
    DeletedPeerings,
    Nsgs,
    RouteTables,
    PublicIps,
    Bastions,
    Vms,
    VirtualWans,
    VirtualHubs,
    HubConnections,
    Gateways,
    OnPremSites,
    SiteConnections,
    OnPremMachines,
    KeyVaults,
    Workspaces,
    Users,
    Groups,
    RoleAssignments,
}
