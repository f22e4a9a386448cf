//! Stable rule ids (rules.md): every check, verdict and finding names one.
//!
//! Ids are never renumbered; new rules get new ids. The engine-only additions, not in
//! rules.md, are CONSOLIDATE-HUB, CONSOLIDATE-UNREACHED (the consolidation findings of §6)
//! and PEER-GATEWAY-TRANSIT (the gateway-transit misconfiguration of §8), and
//! PORTAL-SUBSCRIPTION-FILTER (the Connect simulation's subscription-filter step, azure-facts §4.6).

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    BHealth1,
    BHealth2,
    BHealth3,
    BHealth4,
    BHealth5,
    BHealth6,
    BHealth7,
    BHealth8,
    RSame,
    RPeer,
    RNonTransitive,
    RVwan,
    RNoPath,
    RHybrid,
    RIpConnect,
    RNsgOut,
    RNsgIn,
    RProto,
    RDevOne,
    SkuUpgrade,
    SkuCapacity,
    RbacVm,
    RbacNic,
    RbacBastion,
    RbacVnet,
    RbacVnetSame,
    RbacEntra,
    RbacKv,
    RbacShare,
    RbacDev,
    CafR1,
    CafR2,
    CafR3,
    CafR4,
    CafR5,
    CafR6,
    CafR7,
    CafR8,
    CafR9,
    CafR10,
    Jit1,
    Jit2,
    Jit3,
    ConsolidateHub,
    ConsolidateUnreached,
    PeerGatewayTransit,
    PortalSubscriptionFilter,
}

impl RuleId {
    pub const ALL: [RuleId; 47] = [
        RuleId::BHealth1,
        RuleId::BHealth2,
        RuleId::BHealth3,
        RuleId::BHealth4,
        RuleId::BHealth5,
        RuleId::BHealth6,
        RuleId::BHealth7,
        RuleId::BHealth8,
        RuleId::RSame,
        RuleId::RPeer,
        RuleId::RNonTransitive,
        RuleId::RVwan,
        RuleId::RNoPath,
        RuleId::RHybrid,
        RuleId::RIpConnect,
        RuleId::RNsgOut,
        RuleId::RNsgIn,
        RuleId::RProto,
        RuleId::RDevOne,
        RuleId::SkuUpgrade,
        RuleId::SkuCapacity,
        RuleId::RbacVm,
        RuleId::RbacNic,
        RuleId::RbacBastion,
        RuleId::RbacVnet,
        RuleId::RbacVnetSame,
        RuleId::RbacEntra,
        RuleId::RbacKv,
        RuleId::RbacShare,
        RuleId::RbacDev,
        RuleId::CafR1,
        RuleId::CafR2,
        RuleId::CafR3,
        RuleId::CafR4,
        RuleId::CafR5,
        RuleId::CafR6,
        RuleId::CafR7,
        RuleId::CafR8,
        RuleId::CafR9,
        RuleId::CafR10,
        RuleId::Jit1,
        RuleId::Jit2,
        RuleId::Jit3,
        RuleId::ConsolidateHub,
        RuleId::ConsolidateUnreached,
        RuleId::PeerGatewayTransit,
        RuleId::PortalSubscriptionFilter,
    ];

    /// The id as written in rules.md, e.g. `B-HEALTH-1`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::BHealth1 => "B-HEALTH-1",
            RuleId::BHealth2 => "B-HEALTH-2",
            RuleId::BHealth3 => "B-HEALTH-3",
            RuleId::BHealth4 => "B-HEALTH-4",
            RuleId::BHealth5 => "B-HEALTH-5",
            RuleId::BHealth6 => "B-HEALTH-6",
            RuleId::BHealth7 => "B-HEALTH-7",
            RuleId::BHealth8 => "B-HEALTH-8",
            RuleId::RSame => "R-SAME",
            RuleId::RPeer => "R-PEER",
            RuleId::RNonTransitive => "R-NONTRANSITIVE",
            RuleId::RVwan => "R-VWAN",
            RuleId::RNoPath => "R-NOPATH",
            RuleId::RHybrid => "R-HYBRID",
            RuleId::RIpConnect => "R-IPCONNECT",
            RuleId::RNsgOut => "R-NSG-OUT",
            RuleId::RNsgIn => "R-NSG-IN",
            RuleId::RProto => "R-PROTO",
            RuleId::RDevOne => "R-DEV-ONE",
            RuleId::SkuUpgrade => "SKU-UPGRADE",
            RuleId::SkuCapacity => "SKU-CAPACITY",
            RuleId::RbacVm => "RBAC-VM",
            RuleId::RbacNic => "RBAC-NIC",
            RuleId::RbacBastion => "RBAC-BASTION",
            RuleId::RbacVnet => "RBAC-VNET",
            RuleId::RbacVnetSame => "RBAC-VNET-SAME",
            RuleId::RbacEntra => "RBAC-ENTRA",
            RuleId::RbacKv => "RBAC-KV",
            RuleId::RbacShare => "RBAC-SHARE",
            RuleId::RbacDev => "RBAC-DEV",
            RuleId::CafR1 => "CAF-R1",
            RuleId::CafR2 => "CAF-R2",
            RuleId::CafR3 => "CAF-R3",
            RuleId::CafR4 => "CAF-R4",
            RuleId::CafR5 => "CAF-R5",
            RuleId::CafR6 => "CAF-R6",
            RuleId::CafR7 => "CAF-R7",
            RuleId::CafR8 => "CAF-R8",
            RuleId::CafR9 => "CAF-R9",
            RuleId::CafR10 => "CAF-R10",
            RuleId::Jit1 => "JIT-1",
            RuleId::Jit2 => "JIT-2",
            RuleId::Jit3 => "JIT-3",
            RuleId::ConsolidateHub => "CONSOLIDATE-HUB",
            RuleId::ConsolidateUnreached => "CONSOLIDATE-UNREACHED",
            RuleId::PeerGatewayTransit => "PEER-GATEWAY-TRANSIT",
            RuleId::PortalSubscriptionFilter => "PORTAL-SUBSCRIPTION-FILTER",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = String;
    fn from_str(text: &str) -> Result<RuleId, String> {
        RuleId::ALL
            .into_iter()
            .find(|it| it.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("'{text}' is not a rule id"))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for id in RuleId::ALL {
            assert!(seen.insert(id.as_str()));
            assert_eq!(id.as_str().parse::<RuleId>().unwrap(), id);
        }
    }
}

/// The in-app rule reference: what a rule checks, why Azure behaves so, and where it is
/// documented. Written for this product from rules.md and azure-facts.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub title: &'static str,
    pub checks: &'static str,
    pub why: &'static str,
    pub source: &'static str,
}

const BASTION_FAQ: &str = "https://learn.microsoft.com/azure/bastion/bastion-faq";
const BASTION_CONFIG: &str = "https://learn.microsoft.com/azure/bastion/configuration-settings";
const BASTION_NSG: &str = "https://learn.microsoft.com/azure/bastion/bastion-nsg";
const BASTION_PEERING: &str = "https://learn.microsoft.com/azure/bastion/vnet-peering";
const BASTION_SKU: &str = "https://learn.microsoft.com/azure/bastion/bastion-sku-comparison";
const BASTION_IPC: &str = "https://learn.microsoft.com/azure/bastion/connect-ip-address";
const BASTION_DEV: &str = "https://learn.microsoft.com/azure/bastion/quickstart-developer";
const BASTION_UPGRADE: &str = "https://learn.microsoft.com/azure/bastion/upgrade-sku";
const BASTION_SCALE: &str = "https://learn.microsoft.com/azure/bastion/configure-host-scaling";
const BASTION_SHARE: &str = "https://learn.microsoft.com/azure/bastion/shareable-link";
const BASTION_ENTRA: &str = "https://learn.microsoft.com/azure/bastion/bastion-entra-id-authentication";
const BASTION_SSH: &str = "https://learn.microsoft.com/azure/bastion/bastion-connect-vm-ssh-linux";
const BASTION_DIAG: &str = "https://learn.microsoft.com/azure/bastion/diagnostic-logs";
const PEERING_MANAGE: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering";
const NSG_OVERVIEW: &str = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview";
const CAF_REMOTE: &str = "https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/plan-for-virtual-machine-remote-access";
const JIT_DOC: &str = "https://learn.microsoft.com/azure/defender-for-cloud/just-in-time-access-usage";
const BASTION_PRICING: &str = "https://azure.microsoft.com/pricing/details/azure-bastion/";

impl RuleId {
    pub fn doc(self) -> RuleDoc {
        let doc = |title, checks, why, source| RuleDoc { title, checks, why, source };
        match self {
            RuleId::BHealth1 => doc(
                "AzureBastionSubnet exists and holds nothing else",
                "A Basic, Standard or Premium Bastion needs a subnet named exactly AzureBastionSubnet in its own VNet, with no other resource in it.",
                "The dedicated Bastion instances are deployed into that subnet by name; Azure refuses the deployment without it and the subnet is reserved for them.",
                BASTION_CONFIG,
            ),
            RuleId::BHealth2 => doc(
                "AzureBastionSubnet is /26 or larger",
                "The AzureBastionSubnet prefix is /26 or larger. A /27 is a warning, smaller is an error.",
                "Bastions created since 2 Nov 2021 need /26 so that host scaling has room; /27 survives only on older hosts, without scaling.",
                BASTION_CONFIG,
            ),
            RuleId::BHealth3 => doc(
                "No route table on AzureBastionSubnet",
                "No user-defined route table is attached to AzureBastionSubnet.",
                "Bastion needs the platform's own routes (direct internet egress, VNet routes); Azure does not support UDRs on that subnet.",
                BASTION_FAQ,
            ),
            RuleId::BHealth4 => doc(
                "The AzureBastionSubnet NSG holds the eight required rules",
                "When an NSG is attached to AzureBastionSubnet it allows HTTPS from Internet, GatewayManager and AzureLoadBalancer, the data plane 8080/5701 within VirtualNetwork, and outbound 22/3389 to VirtualNetwork, 443 to AzureCloud and 80 to Internet.",
                "Without these flows users cannot reach the Bastion, the control plane cannot manage it, or it cannot reach targets; Azure rejects an NSG that lacks them.",
                BASTION_NSG,
            ),
            RuleId::BHealth5 => doc(
                "A Standard, static IPv4 public IP",
                "A dedicated Bastion (except private-only Premium) has a public IP of Standard SKU, static allocation, IPv4, not used by anything else.",
                "Users reach the Bastion over HTTPS on that address; Basic or dynamic IPs are not accepted.",
                BASTION_CONFIG,
            ),
            RuleId::BHealth6 => doc(
                "No default route reaches the Bastion's VNet",
                "No 0.0.0.0/0 reaches the Bastion's VNet: forced tunnelling over VPN or ExpressRoute, a Route Server advertising 0/0, or a secured Virtual WAN hub propagating it.",
                "Bastion needs direct internet egress for its sessions and control plane; a default route sends that traffic elsewhere and breaks it.",
                BASTION_FAQ,
            ),
            RuleId::BHealth7 => doc(
                "No reserved private DNS zone linked",
                "Private DNS zones named management.azure.com, blob.core.windows.net, core.windows.net, vaultcore.windows.net, vault.azure.net or azure.com are not linked to the Bastion's VNet.",
                "Bastion resolves those Azure endpoints publicly; a linked zone with those exact names hijacks the resolution.",
                BASTION_FAQ,
            ),
            RuleId::BHealth8 => doc(
                "Not in a Virtual WAN hub",
                "The Bastion is deployed in a VNet, not in a Virtual WAN hub.",
                "A virtual hub is managed by Microsoft and cannot hold Bastion; deploy it in a spoke VNet connected to the hub.",
                BASTION_PEERING,
            ),
            RuleId::RSame => doc(
                "Target in the Bastion's own VNet",
                "The target VM is in the VNet where the Bastion is deployed.",
                "Bastion reaches every VM of its own VNet over the VNet's system routes; the traffic stays private, need not pass a firewall or NVA in the VNet, and the default AllowVNetInBound rule admits it unless a custom deny of higher priority hides it.",
                BASTION_PEERING,
            ),
            RuleId::RPeer => doc(
                "Target in a directly peered VNet",
                "The target's VNet is peered directly with the Bastion's VNet: both links exist (Connected) and both allow virtual network access; same tenant; not the Developer SKU.",
                "Bastion follows one peering hop, local or global. A peering with a missing or deleted link carries no traffic; Developer has no peering support; cross-tenant peering is not supported by Bastion.",
                BASTION_PEERING,
            ),
            RuleId::RNonTransitive => doc(
                "Peering is not transitive",
                "The target is reachable only through two or more peering hops (for example spoke to spoke through a hub).",
                "VNet peering is not transitive and AzureBastionSubnet takes no route table to steer through a hub firewall. Peer the two VNets directly, or place the Bastion in the hub or in the target's VNet.",
                PEERING_MANAGE,
            ),
            RuleId::RVwan => doc(
                "Across a Virtual WAN",
                "The Bastion's VNet and the target's VNet are connected to hubs of the same Virtual WAN; the Bastion is Standard or Premium with IP-based connection on.",
                "Virtual WAN routes between connected VNets; Bastion uses those routes only for IP-based connections.",
                BASTION_IPC,
            ),
            RuleId::RNoPath => doc(
                "No network path",
                "No peering chain, shared Virtual WAN or gateway route joins the Bastion's VNet to the target.",
                "Bastion connects to targets over their private addresses only; peering is not transitive, so a chain of peerings, a second hop through a hub or an unpeered VNet gives no route and no session (IP-based connection reaches farther only over a Virtual WAN or a gateway).",
                BASTION_PEERING,
            ),
            RuleId::RHybrid => doc(
                "On-premises over VPN or ExpressRoute",
                "The target is an address in an on-premises site connected through a gateway in the Bastion's VNet (or one it uses through gateway transit); the Bastion uses IP-based connection.",
                "Bastion reaches non-Azure machines only by IP address, over the hybrid connection, with Standard or Premium and IP-based connection on.",
                BASTION_IPC,
            ),
            RuleId::RIpConnect => doc(
                "IP-based connection limits",
                "A session by IP address (Virtual WAN, hybrid, IP targets) does not use Entra ID sign-in.",
                "IP-based connection cannot use Entra ID authentication, nor custom ports or protocols over the native client.",
                BASTION_IPC,
            ),
            RuleId::RNsgOut => doc(
                "AzureBastionSubnet NSG allows the session out",
                "The NSG on AzureBastionSubnet (if any) allows outbound TCP from the whole subnet to the target's address and port.",
                "Sessions leave from any Bastion instance in the subnet; first matching rule by priority wins, Azure's default rules last.",
                BASTION_NSG,
            ),
            RuleId::RNsgIn => doc(
                "Target NSGs admit the Bastion",
                "The NSG on the target's subnet, then the one on its NIC, allow inbound TCP from the whole AzureBastionSubnet (Developer: from 168.63.129.16) to the target's port.",
                "Both NSGs must allow the flow. An allow rule counts only if its source holds every Bastion instance address; a deny that overlaps the subnet blocks some instance.",
                NSG_OVERVIEW,
            ),
            RuleId::RProto => doc(
                "Protocol and port on this SKU",
                "SSH to Linux and RDP to Windows work on every SKU; RDP to Linux, SSH to Windows and non-default ports need Standard or Premium.",
                "Cross-protocol sessions and custom ports are Standard features.",
                BASTION_SKU,
            ),
            RuleId::RDevOne => doc(
                "Developer: one VM at a time",
                "A Developer Bastion serves one VM at a time, opened from that VM's Connect page in the browser; the native client and IP-based connection fail this check.",
                "Developer runs on a shared pool with no dedicated host and no concurrent sessions.",
                BASTION_DEV,
            ),
            RuleId::SkuUpgrade => doc(
                "SKU meets the design's needs",
                "The Bastion's SKU is at least the least SKU its features and targets need; upgrades go Developer → any, Basic → Standard, Standard → Premium.",
                "Upgrades happen in place in about ten minutes; a downgrade is impossible (delete and redeploy), and private-only is set only at creation.",
                BASTION_UPGRADE,
            ),
            RuleId::SkuCapacity => doc(
                "Enough instances for the sessions",
                "Instances needed = max(2, ceil(RDP/20), ceil(SSH/40)); Basic is fixed at 2; Standard and Premium scale from 2 to 50.",
                "Each instance carries about 20 RDP or 40 SSH medium sessions; above 50 instances another Bastion is needed.",
                BASTION_SCALE,
            ),
            RuleId::RbacVm => doc(
                "Reader on the VM",
                "The principal holds a role that reads the target VM, at its scope or above.",
                "The portal lists the VM and its Connect page only to principals who can read it.",
                BASTION_FAQ,
            ),
            RuleId::RbacNic => doc(
                "Reader on the VM's NIC",
                "The principal can read the network interface carrying the VM's private IP.",
                "Bastion resolves the VM's private IP through its network interface, read as the signed-in user; without Reader on the NIC the Connect page cannot find the address (Bastion FAQ: Reader on the VM, its NIC and the Bastion).",
                BASTION_FAQ,
            ),
            RuleId::RbacBastion => doc(
                "Reader on the Bastion",
                "The principal can read the Bastion host it connects through.",
                "The portal's Connect page and `az network bastion` act as the signed-in user: a Bastion the principal cannot read is not listed, so no session can go through it.",
                BASTION_FAQ,
            ),
            RuleId::RbacVnet => doc(
                "Reader on both VNets across a peering",
                "When the VM is in a peered (or Virtual WAN) VNet: Reader on the target's VNet and on the Bastion's VNet.",
                "The Bastion FAQ names the target's VNet, the landing-zone guidance the hub (Bastion's) VNet, and field reports confirm each is needed; the engine requires both.",
                BASTION_FAQ,
            ),
            RuleId::RbacVnetSame => doc(
                "Reader on the shared VNet (advice)",
                "When the VM is in the Bastion's own VNet, Reader on that VNet is recommended.",
                "The docs do not require it, but a 2025 report (azure-docs PR #127578) says the portal failed until it was granted.",
                BASTION_FAQ,
            ),
            RuleId::RbacEntra => doc(
                "Entra ID sign-in role",
                "For Entra ID sign-in: Virtual Machine User Login or Virtual Machine Administrator Login at a scope holding the VM, and the VM has the Entra login extension.",
                "The VM trusts Entra tokens only through the extension, and only for principals with a login role.",
                BASTION_ENTRA,
            ),
            RuleId::RbacKv => doc(
                "Access to the SSH key in Key Vault",
                "For an SSH key stored in Key Vault: Get and List on secrets (access policy) or Key Vault Secrets User (RBAC model).",
                "Bastion reads the private key from the vault as the signed-in user.",
                BASTION_SSH,
            ),
            RuleId::RbacShare => doc(
                "Who can create shareable links",
                "With shareable links on, the principals holding createShareableLinks on the Bastion (Owner, Contributor, Network Contributor).",
                "Anyone who can create links can leave standing access that needs no Azure sign-in.",
                BASTION_SHARE,
            ),
            RuleId::RbacDev => doc(
                "Developer Bastion's first connection",
                "A Developer Bastion not yet deployed needs someone with write on the VNet (Network Contributor or Contributor) to connect first; users need Reader on the VM and its NIC.",
                "The first Connect deploys the Developer host into the VNet.",
                BASTION_DEV,
            ),
            RuleId::CafR1 => doc(
                "Production Bastion is Standard or Premium",
                "A Developer Bastion is for sandbox and test only.",
                "Developer has no peering, no concurrency and no SLA-grade host.",
                CAF_REMOTE,
            ),
            RuleId::CafR2 => doc(
                "Use existing hybrid connectivity",
                "Where ExpressRoute or VPN exists, on-premises administrators use it for remote access.",
                "Private connectivity avoids exposing remote access to the internet.",
                CAF_REMOTE,
            ),
            RuleId::CafR3 => doc(
                "Virtual WAN: Bastion per spoke or one central Bastion",
                "With Virtual WAN, a Bastion per spoke, or one central Bastion in a spoke with IP-based connection (users need Reader on the Bastion and that spoke VNet).",
                "A Bastion cannot sit in the hub; a central one reaches other spokes only by IP-based connection.",
                CAF_REMOTE,
            ),
            RuleId::CafR4 => doc(
                "Hub and spoke: one Bastion in the hub",
                "One Bastion in the hub serves the peered spokes; if Reader on the hub is not acceptable, a Bastion per spoke.",
                "The hub Bastion reaches every spoke over one peering hop; users then need Reader on the hub VNet, which reveals its topology.",
                CAF_REMOTE,
            ),
            RuleId::CafR5 => doc(
                "NSG rules for Bastion and targets",
                "The AzureBastionSubnet NSG holds the required rules and target NSGs admit 22/3389 from AzureBastionSubnet.",
                "Missing rules break the Bastion or its sessions; a black screen is the usual symptom.",
                BASTION_NSG,
            ),
            RuleId::CafR6 => doc(
                "Bastion audit logs to the central workspace",
                "A dedicated Bastion sends BastionAuditLogs to a Log Analytics workspace.",
                "Session audit (who connected to what, from where) belongs with the platform's central logs.",
                BASTION_DIAG,
            ),
            RuleId::CafR7 => doc(
                "Role assignments for the people who connect",
                "Every principal with a role on a VM holds every requirement to connect to it through a Bastion that reaches it.",
                "Without the Reader assignments the Connect page shows nothing, and the session cannot start.",
                CAF_REMOTE,
            ),
            RuleId::CafR8 => doc(
                "Linux SSH keys in Key Vault",
                "Linux VMs sign in with an SSH private key stored in Key Vault (or Entra ID).",
                "Passwords and keys on laptops are harder to rotate and audit than keys in a vault.",
                CAF_REMOTE,
            ),
            RuleId::CafR9 => doc(
                "Break-glass: Bastion and hybrid both",
                "The design has both Bastion and a VPN/ExpressRoute path for emergency access.",
                "Either path alone is a single point of failure for administration.",
                CAF_REMOTE,
            ),
            RuleId::CafR10 => doc(
                "No remote access through a VM's public IP",
                "No VM exposes its remote-access port through a public IP; a public IP with 22/3389 open from the internet (or no NSG at all) is an error.",
                "Open RDP and SSH ports are scanned and attacked within minutes; use Bastion or JIT instead.",
                CAF_REMOTE,
            ),
            RuleId::Jit1 => doc(
                "JIT needs an NSG or Azure Firewall",
                "A VM with a just-in-time policy is protected by an NSG or an Azure Firewall.",
                "JIT works by opening and closing NSG or firewall rules; without one the VM shows as Unsupported.",
                JIT_DOC,
            ),
            RuleId::Jit2 => doc(
                "JIT not behind a Firewall Manager firewall",
                "A VM with a JIT policy is not protected by an Azure Firewall managed by Firewall Manager.",
                "JIT supports only firewalls with classic rules; the Defender docs win over the landing-zone page, which says otherwise.",
                JIT_DOC,
            ),
            RuleId::Jit3 => doc(
                "JIT needs Defender for Servers Plan 2",
                "A VM with a JIT policy is in a subscription with Defender for Servers Plan 2.",
                "JIT VM access is part of Microsoft Defender for Servers Plan 2: without the plan on the VM's subscription the policy is not enforced and the ports are not opened on request.",
                JIT_DOC,
            ),
            RuleId::ConsolidateHub => doc(
                "Bastions a hub Bastion could replace",
                "Several Bastions whose targets one Bastion in the hub could serve over direct peerings.",
                "Every Bastion is billed per hour whether used or not; one hub Bastion costs less.",
                BASTION_PRICING,
            ),
            RuleId::ConsolidateUnreached => doc(
                "VNets with VMs no Bastion reaches",
                "A VNet holds VMs that no Bastion of the design can reach.",
                "Those VMs have no managed remote-access path; people will open public IPs instead.",
                BASTION_PEERING,
            ),
            RuleId::PeerGatewayTransit => doc(
                "Gateway transit is configured on both sides",
                "A link that uses remote gateways is on a Connected peering whose other link allows gateway transit, and its VNet has no gateway of its own.",
                "Otherwise Azure ignores the setting and the spoke does not reach on-premises through the hub.",
                PEERING_MANAGE,
            ),
            RuleId::PortalSubscriptionFilter => doc(
                "The portal's subscription filter shows the Bastion and the VM",
                "In the portal, the subscriptions of the VM and of the Bastion are selected in the global subscription filter.",
                "The Connect page lists only resources of the selected subscriptions: a Bastion in an unselected subscription is not detected, although the network and the roles would allow the session.",
                BASTION_FAQ,
            ),
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    #[test]
    fn every_rule_has_a_reference_entry_with_a_source() {
        for id in RuleId::ALL {
            let doc = id.doc();
            assert!(!doc.title.is_empty() && !doc.checks.is_empty() && !doc.why.is_empty(), "{id}");
            assert!(doc.source.starts_with("https://"), "{id}");
        }
    }
}
