//! A terse builder for scenario designs: realistic defaults (Standard static public IP,
//! NIC names, resource groups from the VNet) so each scenario reads like its diagram.

use crate::model::*;

pub struct DesignBuilder {
    pub design: Design,
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
            tenant: "contoso.onmicrosoft.com".to_string(),
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

    /// Both links of a peering, default flags (VNet access only).
    pub fn peer(&mut self, a: &str, b: &str) -> &mut Self {
        for (from, to) in [(a, b), (b, a)] {
            self.design.peerings.push(PeeringLink {
                name: format!("peer-{from}-to-{to}"),
                from: from.to_string(),
                to: to.to_string(),
                allow_virtual_network_access: true,
                allow_forwarded_traffic: false,
                allow_gateway_transit: false,
                use_remote_gateways: false,
            });
        }
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
            self.design.public_ips.push(PublicIp {
                name: pip.clone(),
                subscription,
                resource_group,
                sku: PublicIpSku::Standard,
                allocation: IpAllocation::Static,
                version: IpVersion::IPv4,
                zones: Vec::new(),
            });
            Some(pip)
        } else {
            None
        };
        self.design.bastions.push(BastionHost {
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
        });
        self.design.bastions.last_mut().expect("just pushed")
    }

    pub fn bastion_standard(&mut self, name: &str, vnet: &str) -> &mut BastionHost {
        self.bastion(name, vnet, BastionSku::Standard)
    }

    pub fn vm(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str, os: Os, sign_in: SignIn) -> &mut Vm {
        let (subscription, resource_group) = self.vnet_placement(vnet);
        self.design.vms.push(Vm {
            name: name.to_string(),
            subscription,
            resource_group,
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
                private_ip: ip.parse().expect("scenario ip"),
                nsg: None,
                public_ip: None,
            },
        });
        self.design.vms.last_mut().expect("just pushed")
    }

    pub fn vm_linux(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Vm {
        self.vm(name, vnet, subnet, ip, Os::Linux, SignIn::SshKey)
    }

    pub fn vm_windows(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Vm {
        self.vm(name, vnet, subnet, ip, Os::Windows, SignIn::Password)
    }
}
