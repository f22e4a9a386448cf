//! A terse builder for scenario designs: realistic defaults (Standard static public IP,
//! NIC names, resource groups from the VNet, the eight documented AzureBastionSubnet NSG
//! rules) so each scenario reads like its diagram.
//!
//! Scenario code is trusted input: a bad literal prefix is a programming error caught by
//! the tests that validate every scenario, hence the `expect`s.

use crate::model::*;

pub struct DesignBuilder {
    pub design: Design,
}

/// The Entra tenant every built-in scenario lives in.
pub const TENANT: &str = "contoso.onmicrosoft.com";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|it| it.to_string()).collect()
}

/// One NSG rule, TCP unless `protocol` says otherwise.
pub fn rule(
    name: &str,
    priority: u32,
    direction: Direction,
    access: Access,
    sources: &[&str],
    destinations: &[&str],
    ports: &[&str],
) -> NsgRule {
    NsgRule {
        name: name.to_string(),
        priority,
        direction,
        access,
        protocol: Protocol::Tcp,
        sources: strings(sources),
        destinations: strings(destinations),
        destination_ports: strings(ports),
    }
}

/// The eight rules Azure requires on an NSG attached to AzureBastionSubnet, with the
/// names and priorities of the Bastion NSG article.
pub fn bastion_subnet_rules() -> Vec<NsgRule> {
    use Access::Allow;
    use Direction::{Inbound, Outbound};
    let mut rules = vec![
        rule("AllowHttpsInbound", 120, Inbound, Allow, &["Internet"], &["*"], &["443"]),
        rule("AllowGatewayManagerInbound", 130, Inbound, Allow, &["GatewayManager"], &["*"], &["443"]),
        rule(
            "AllowBastionHostCommunication",
            140,
            Inbound,
            Allow,
            &["VirtualNetwork"],
            &["VirtualNetwork"],
            &["8080", "5701"],
        ),
        rule("AllowAzureLoadBalancerInbound", 150, Inbound, Allow, &["AzureLoadBalancer"], &["*"], &["443"]),
        rule("AllowSshRdpOutbound", 100, Outbound, Allow, &["*"], &["VirtualNetwork"], &["22", "3389"]),
        rule("AllowAzureCloudOutbound", 110, Outbound, Allow, &["*"], &["AzureCloud"], &["443"]),
        rule(
            "AllowBastionCommunication",
            120,
            Outbound,
            Allow,
            &["VirtualNetwork"],
            &["VirtualNetwork"],
            &["8080", "5701"],
        ),
        rule("AllowHttpOutbound", 130, Outbound, Allow, &["*"], &["Internet"], &["80"]),
    ];
    // The article's data-plane and session rules use any protocol.
    for it in rules.iter_mut() {
        if matches!(
            it.name.as_str(),
            "AllowBastionHostCommunication" | "AllowSshRdpOutbound" | "AllowBastionCommunication" | "AllowHttpOutbound"
        ) {
            it.protocol = Protocol::Any;
        }
    }
    rules
}

/// The rules of a workload subnet's NSG: SSH and RDP only from AzureBastionSubnet (or
/// from the Developer SKU's platform address), and nobody else.
pub fn workload_rules(bastion_source: &str) -> Vec<NsgRule> {
    use Access::{Allow, Deny};
    use Direction::Inbound;
    vec![
        rule("AllowBastionSshRdpInbound", 100, Inbound, Allow, &[bastion_source], &["*"], &["22", "3389"]),
        rule("DenyRemoteAccessInbound", 4000, Inbound, Deny, &["*"], &["*"], &["22", "3389"]),
    ]
}

pub fn vm_scope(design: &Design, vm: &str) -> String {
    let vm = design.vm(vm).expect("scenario vm");
    let kind = if vm.scale_set { ResourceKind::VirtualMachineScaleSet } else { ResourceKind::VirtualMachine };
    ResourceRef::new(kind, &vm.subscription, &vm.resource_group, &vm.name).id()
}

pub fn vnet_scope(design: &Design, vnet: &str) -> String {
    let vnet = design.vnet(vnet).expect("scenario vnet");
    ResourceRef::new(ResourceKind::VirtualNetwork, &vnet.subscription, &vnet.resource_group, &vnet.name).id()
}

pub fn bastion_scope(design: &Design, bastion: &str) -> String {
    let host = design.bastion(bastion).expect("scenario bastion");
    let vnet = design.vnet(&host.vnet).expect("scenario bastion vnet");
    let rg = host.resource_group.clone().unwrap_or_else(|| vnet.resource_group.clone());
    ResourceRef::new(ResourceKind::BastionHost, &vnet.subscription, &rg, &host.name).id()
}

pub fn rg_scope(subscription: &str, resource_group: &str) -> String {
    format!("/subscriptions/{subscription}/resourceGroups/{resource_group}")
}

pub fn subscription_scope(subscription: &str) -> String {
    format!("/subscriptions/{subscription}")
}

impl DesignBuilder {
    pub fn new(name: &str, description: &str) -> DesignBuilder {
        DesignBuilder {
            design: Design { name: name.to_string(), description: description.to_string(), ..Design::default() },
        }
    }

    pub fn finish(self) -> Design {
        self.design
    }

    pub fn subscription(&mut self, id: &str) -> &mut Self {
        self.design.subscriptions.push(Subscription {
            id: id.to_string(),
            display_name: String::new(),
            tenant: TENANT.to_string(),
            defender_for_servers_p2: false,
        });
        self
    }

    pub fn vnet(
        &mut self,
        name: &str,
        subscription: &str,
        resource_group: &str,
        region: &str,
        prefix: &str,
    ) -> &mut Self {
        self.design.vnets.push(Vnet {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            region: region.to_string(),
            address_prefixes: vec![prefix.parse().expect("scenario prefix")],
            subnets: Vec::new(),
            private_dns_zones: Vec::new(),
            route_server_default_route: false,
        });
        self
    }

    /// Adds a subnet to the VNet added last.
    pub fn subnet(&mut self, name: &str, prefix: &str) -> &mut Self {
        let vnet = self.design.vnets.last_mut().expect("subnet needs a vnet");
        vnet.subnets.push(Subnet {
            name: name.to_string(),
            prefix: prefix.parse().expect("scenario prefix"),
            nsg: None,
            route_table: None,
        });
        self
    }

    /// Adds a subnet protected by an NSG to the VNet added last.
    pub fn subnet_nsg(&mut self, name: &str, prefix: &str, nsg: &str) -> &mut Self {
        self.subnet(name, prefix);
        let vnet = self.design.vnets.last_mut().expect("subnet needs a vnet");
        vnet.subnets.last_mut().expect("just pushed").nsg = Some(nsg.to_string());
        self
    }

    /// An NSG in the resource group of `vnet`.
    pub fn nsg(&mut self, name: &str, vnet: &str, rules: Vec<NsgRule>) -> &mut Self {
        let (subscription, resource_group) = self.vnet_placement(vnet);
        self.design.nsgs.push(Nsg { name: name.to_string(), subscription, resource_group, rules });
        self
    }

    /// Both links of a peering, default flags (VNet access only).
    pub fn peer(&mut self, a: &str, b: &str) -> &mut Self {
        for (from, to) in [(a, b), (b, a)] {
            self.link(from, to);
        }
        self
    }

    /// One peering link `from` → `to` (the other side is up to the caller).
    pub fn link(&mut self, from: &str, to: &str) -> &mut PeeringLink {
        self.design.peerings.push(PeeringLink::with_defaults(from, to));
        self.design.peerings.last_mut().expect("just pushed")
    }

    /// A hub-and-spoke peering with gateway transit: the hub's link allows it and the
    /// spoke's link uses the hub's gateway (both forward traffic, as in the landing zone).
    pub fn peer_transit(&mut self, hub: &str, spoke: &str) -> &mut Self {
        let hub_link = self.link(hub, spoke);
        hub_link.allow_gateway_transit = true;
        hub_link.allow_forwarded_traffic = true;
        let spoke_link = self.link(spoke, hub);
        spoke_link.use_remote_gateways = true;
        spoke_link.allow_forwarded_traffic = true;
        self
    }

    fn vnet_placement(&self, vnet: &str) -> (String, String) {
        let vnet = self.design.vnet(vnet).expect("scenario vnet");
        (vnet.subscription.clone(), vnet.resource_group.clone())
    }

    /// A dedicated Bastion with its Standard, static public IP (`pip-<name>`).
    pub fn bastion(&mut self, name: &str, vnet: &str, sku: BastionSku) -> &mut BastionHost {
        let (subscription, resource_group) = self.vnet_placement(vnet);
        let public_ip = if sku.is_dedicated() {
            let pip = format!("pip-{name}");
            self.design.public_ips.push(PublicIp::standard_static(&pip, &subscription, &resource_group));
            Some(pip)
        } else {
            None
        };
        self.design.bastions.push(BastionHost::with_defaults(name, vnet, sku, public_ip));
        self.design.bastions.last_mut().expect("just pushed")
    }

    pub fn bastion_standard(&mut self, name: &str, vnet: &str) -> &mut BastionHost {
        self.bastion(name, vnet, BastionSku::Standard)
    }

    /// A public IP (Standard, static) in the resource group of `vnet`.
    pub fn public_ip(&mut self, name: &str, vnet: &str) -> &mut Self {
        let (subscription, resource_group) = self.vnet_placement(vnet);
        self.design.public_ips.push(PublicIp::standard_static(name, &subscription, &resource_group));
        self
    }

    pub fn vm(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str, os: Os, sign_in: SignIn) -> &mut Vm {
        let (subscription, resource_group) = self.vnet_placement(vnet);
        self.design.vms.push(Vm::in_subnet(
            name,
            (&subscription, &resource_group),
            (os, sign_in),
            (vnet, subnet, ip.parse().expect("scenario ip")),
        ));
        self.design.vms.last_mut().expect("just pushed")
    }

    pub fn vm_linux(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Vm {
        self.vm(name, vnet, subnet, ip, Os::Linux, SignIn::SshKey)
    }

    /// A Linux VM whose SSH private key is a secret in `vault` (CAF-R8).
    pub fn vm_linux_kv(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str, vault: &str) -> &mut Vm {
        self.vm(name, vnet, subnet, ip, Os::Linux, SignIn::SshKeyInKeyVault { vault: vault.to_string() })
    }

    pub fn vm_windows(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Vm {
        self.vm(name, vnet, subnet, ip, Os::Windows, SignIn::Password)
    }

    /// A Log Analytics workspace; `central` marks the platform's.
    pub fn workspace(&mut self, name: &str, subscription: &str, resource_group: &str, central: bool) -> &mut Self {
        self.design.log_workspaces.push(LogAnalyticsWorkspace {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            central,
        });
        self
    }

    /// A Key Vault with the RBAC permission model.
    pub fn key_vault(&mut self, name: &str, subscription: &str, resource_group: &str) -> &mut Self {
        self.design.key_vaults.push(KeyVault {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            permission_model: KeyVaultPermissionModel::Rbac,
            access_policies: Vec::new(),
        });
        self
    }

    pub fn user(&mut self, name: &str, display_name: &str) -> &mut Self {
        self.design.users.push(User { name: name.to_string(), display_name: display_name.to_string() });
        self
    }

    pub fn group(&mut self, name: &str, members: &[&str]) -> &mut Self {
        self.design.groups.push(Group { name: name.to_string(), members: strings(members) });
        self
    }

    pub fn assign(&mut self, principal: &str, role: Role, scope: String) -> &mut Self {
        self.design.role_assignments.push(RoleAssignment { principal: principal.to_string(), role, scope });
        self
    }

    /// Reader on a VM, a VNet and a Bastion: scopes by name, resolved from the design.
    pub fn reader_on_vnet(&mut self, principal: &str, vnet: &str) -> &mut Self {
        let scope = vnet_scope(&self.design, vnet);
        self.assign(principal, Role::Reader, scope)
    }

    pub fn reader_on_bastion(&mut self, principal: &str, bastion: &str) -> &mut Self {
        let scope = bastion_scope(&self.design, bastion);
        self.assign(principal, Role::Reader, scope)
    }

    pub fn reader_on_vm(&mut self, principal: &str, vm: &str) -> &mut Self {
        let scope = vm_scope(&self.design, vm);
        self.assign(principal, Role::Reader, scope)
    }

    /// A VPN or ExpressRoute gateway in a VNet's GatewaySubnet.
    pub fn gateway(&mut self, name: &str, kind: GatewayKind, vnet: &str) -> &mut Self {
        self.design.gateways.push(Gateway { name: name.to_string(), kind, vnet: Some(vnet.to_string()), hub: None });
        self
    }

    /// A VPN or ExpressRoute gateway in a Virtual WAN hub.
    pub fn hub_gateway(&mut self, name: &str, kind: GatewayKind, hub: &str) -> &mut Self {
        self.design.gateways.push(Gateway { name: name.to_string(), kind, vnet: None, hub: Some(hub.to_string()) });
        self
    }

    pub fn site(&mut self, name: &str, prefixes: &[&str]) -> &mut Self {
        self.design.onprem_sites.push(OnPremSite {
            name: name.to_string(),
            address_prefixes: prefixes.iter().map(|it| it.parse().expect("scenario prefix")).collect(),
        });
        self
    }

    pub fn site_connection(&mut self, name: &str, gateway: &str, site: &str, default_route: bool) -> &mut Self {
        self.design.site_connections.push(SiteConnection {
            name: name.to_string(),
            gateway: gateway.to_string(),
            site: site.to_string(),
            advertises_default_route: default_route,
        });
        self
    }

    pub fn machine(&mut self, name: &str, site: &str, ip: &str, os: Os) -> &mut Self {
        self.design.onprem_machines.push(OnPremMachine {
            name: name.to_string(),
            site: site.to_string(),
            ip: ip.parse().expect("scenario ip"),
            os,
            port: None,
        });
        self
    }

    pub fn virtual_wan(&mut self, name: &str, subscription: &str, resource_group: &str) -> &mut Self {
        self.design.virtual_wans.push(VirtualWan {
            name: name.to_string(),
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
        });
        self
    }

    pub fn virtual_hub(&mut self, name: &str, wan: &str, region: &str, prefix: &str) -> &mut Self {
        self.design.virtual_hubs.push(VirtualHub {
            name: name.to_string(),
            virtual_wan: wan.to_string(),
            region: region.to_string(),
            address_prefix: prefix.parse().expect("scenario prefix"),
            secured: false,
        });
        self
    }

    pub fn hub_connection(&mut self, vnet: &str, hub: &str) -> &mut Self {
        self.design.hub_connections.push(HubConnection {
            name: format!("conn-{vnet}"),
            vnet: vnet.to_string(),
            hub: hub.to_string(),
            propagate_default_route: false,
        });
        self
    }
}

/// The bare hub and spoke of the engine skeleton (no NSG, no people, no diagnostics):
/// a small, stable fixture for rule tests, which must not change when the built-in
/// `hub-spoke` scenario grows more realistic.
pub fn minimal_hub_spoke() -> Design {
    let mut b = DesignBuilder::new("hub-spoke", "Hub and spoke with a central Bastion in the hub");
    b.subscription("sub-connectivity").subscription("sub-landingzone-corp");
    b.vnet("vnet-hub-weu", "sub-connectivity", "rg-connectivity-weu", "westeurope", "10.0.0.0/16")
        .subnet("AzureBastionSubnet", "10.0.1.0/26")
        .subnet("GatewaySubnet", "10.0.2.0/27");
    b.vnet("vnet-spoke-app1", "sub-landingzone-corp", "rg-app1-weu", "westeurope", "10.1.0.0/16")
        .subnet("snet-app", "10.1.1.0/24");
    b.vnet("vnet-spoke-app2", "sub-landingzone-corp", "rg-app2-weu", "westeurope", "10.2.0.0/16")
        .subnet("snet-app", "10.2.1.0/24");
    b.peer("vnet-hub-weu", "vnet-spoke-app1").peer("vnet-hub-weu", "vnet-spoke-app2");
    b.bastion_standard("bas-hub-weu", "vnet-hub-weu");
    b.vm_linux("vm-app1-web01", "vnet-spoke-app1", "snet-app", "10.1.1.4");
    b.vm_windows("vm-app2-sql01", "vnet-spoke-app2", "snet-app", "10.2.1.4");
    b.finish()
}
