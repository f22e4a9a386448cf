//! "Find the break" designs: each is a healthy pattern with one realistic mistake, so
//! one rule family fires (B-HEALTH-4, R-NONTRANSITIVE, R-PEER, B-HEALTH-6, RBAC, CAF-R10).

use super::builder::*;
use super::landing_zone::{hub_spoke, hybrid_vpn, platform};
use crate::model::*;

fn rename(design: &mut Design, name: &str, description: &str) {
    design.name = name.to_string();
    design.description = description.to_string();
}

/// Someone "tidied" the Bastion subnet's NSG and removed the rule admitting HTTPS from the
/// internet: Azure rejects such an NSG, and users could not reach the Bastion anyway.
/// (Removing only the GatewayManager rule would not do: GatewayManager's addresses lie
/// inside `Internet`, so the Internet 443 rule still admits the control plane — rules.md §8.)
pub(crate) fn bastion_nsg() -> Design {
    let mut design = hub_spoke();
    rename(
        &mut design,
        "broken-bastion-nsg",
        "Hub and spoke whose AzureBastionSubnet NSG lacks AllowHttpsInbound (443 from Internet).",
    );
    if let Some(nsg) = design.nsgs.iter_mut().find(|it| it.name == "nsg-bas-hub-weu") {
        nsg.rules.retain(|rule| rule.name != "AllowHttpsInbound");
    }
    design
}

/// The Bastion was deployed in the app1 spoke instead of the hub: peering is not
/// transitive, so app2's VMs (spoke → hub → spoke) are out of reach.
pub(crate) fn spoke_to_spoke() -> Design {
    let mut b = DesignBuilder::new(
        "broken-spoke-to-spoke",
        "Hub and spoke with the Bastion in spoke app1: the app2 VMs are two peering hops away, through the hub.",
    );
    platform(&mut b, &["sub-landingzone-app1", "sub-landingzone-app2"]);
    b.vnet("vnet-hub-weu", "sub-connectivity", "rg-connectivity-weu", "westeurope", "10.0.0.0/22")
        .subnet("GatewaySubnet", "10.0.0.0/27");
    b.gateway("ergw-hub-weu", GatewayKind::ExpressRoute, "vnet-hub-weu");
    b.site("site-dc-amsterdam", &["172.16.0.0/16"]);
    b.site_connection("ercon-hub-weu-dc-amsterdam", "ergw-hub-weu", "site-dc-amsterdam", false);
    b.vnet("vnet-spoke-app1-weu", "sub-landingzone-app1", "rg-app1-weu", "westeurope", "10.1.0.0/22")
        .subnet_nsg("snet-app", "10.1.0.0/24", "nsg-snet-app-app1-weu")
        .subnet_nsg(BASTION_SUBNET, "10.1.3.0/26", "nsg-bas-app1-weu");
    b.nsg("nsg-bas-app1-weu", "vnet-spoke-app1-weu", bastion_subnet_rules());
    b.nsg("nsg-snet-app-app1-weu", "vnet-spoke-app1-weu", workload_rules("10.1.3.0/26"));
    b.vnet("vnet-spoke-app2-weu", "sub-landingzone-app2", "rg-app2-weu", "westeurope", "10.2.0.0/22").subnet_nsg(
        "snet-app",
        "10.2.0.0/24",
        "nsg-snet-app-app2-weu",
    );
    // The app2 NSG already admits the app1 spoke's Bastion subnet: the NSG is not the problem.
    b.nsg("nsg-snet-app-app2-weu", "vnet-spoke-app2-weu", workload_rules("10.1.3.0/26"));
    b.peer_transit("vnet-hub-weu", "vnet-spoke-app1-weu").peer_transit("vnet-hub-weu", "vnet-spoke-app2-weu");
    let host = b.bastion_standard("bas-app1-weu", "vnet-spoke-app1-weu");
    host.features.native_client = true;
    host.diagnostics_workspace = Some("law-platform-weu".to_string());
    b.vm_linux("vm-app1-web01", "vnet-spoke-app1-weu", "snet-app", "10.1.0.4").sign_in = SignIn::EntraId;
    b.vm_windows("vm-app2-sql01", "vnet-spoke-app2-weu", "snet-app", "10.2.0.4");
    if let Some(vm) = b.design.vms.first_mut() {
        vm.entra_login_extension = true;
    }
    b.group("grp-operators", &["alice@contoso.com", "bob@contoso.com"]);
    b.assign("grp-operators", Role::Reader, rg_scope("sub-landingzone-app1", "rg-app1-weu"));
    b.assign("grp-operators", Role::Reader, rg_scope("sub-landingzone-app2", "rg-app2-weu"));
    b.assign("grp-operators", Role::VirtualMachineUserLogin, rg_scope("sub-landingzone-app1", "rg-app1-weu"));
    b.finish()
}

/// A developer's sandbox: the free Developer SKU works in its own VNet, but it has no
/// peering support, so the database VM in the peered VNet is unreachable.
pub(crate) fn developer_peering() -> Design {
    let mut b = DesignBuilder::new(
        "broken-developer-peering",
        "A sandbox with a Developer Bastion in vnet-dev-weu, expected to reach a VM in the peered vnet-devdata-weu.",
    );
    b.subscription("sub-sandbox-dev");
    b.user("erin@contoso.com", "Erin Novak (developer)");
    b.vnet("vnet-dev-weu", "sub-sandbox-dev", "rg-dev-weu", "westeurope", "10.50.0.0/24").subnet_nsg(
        "snet-dev",
        "10.50.0.0/25",
        "nsg-snet-dev-weu",
    );
    // The Developer SKU connects from the platform address 168.63.129.16.
    b.nsg("nsg-snet-dev-weu", "vnet-dev-weu", workload_rules("168.63.129.16"));
    b.vnet("vnet-devdata-weu", "sub-sandbox-dev", "rg-devdata-weu", "westeurope", "10.51.0.0/24").subnet_nsg(
        "snet-data",
        "10.51.0.0/25",
        "nsg-snet-data-devdata-weu",
    );
    b.nsg("nsg-snet-data-devdata-weu", "vnet-devdata-weu", workload_rules("168.63.129.16"));
    b.peer("vnet-dev-weu", "vnet-devdata-weu");
    b.bastion("bas-dev-weu", "vnet-dev-weu", BastionSku::Developer);
    b.vm_linux("vm-dev-test01", "vnet-dev-weu", "snet-dev", "10.50.0.4").sign_in = SignIn::EntraId;
    b.vm_linux("vm-devdata-db01", "vnet-devdata-weu", "snet-data", "10.51.0.4").sign_in = SignIn::EntraId;
    for vm in b.design.vms.iter_mut() {
        vm.entra_login_extension = true;
    }
    b.assign("erin@contoso.com", Role::Contributor, subscription_scope("sub-sandbox-dev"));
    b.assign("erin@contoso.com", Role::VirtualMachineAdministratorLogin, subscription_scope("sub-sandbox-dev"));
    b.finish()
}

/// The app2 spoke's owner deleted their side of the peering (spoke → hub): the hub's link
/// survives as Disconnected and carries no traffic.
pub(crate) fn disconnected_peering() -> Design {
    let mut design = hub_spoke();
    rename(
        &mut design,
        "broken-disconnected-peering",
        "Hub and spoke where the link vnet-spoke-app2-weu → vnet-hub-weu was deleted: the peering is Disconnected.",
    );
    design.peerings.retain(|link| !(link.from == "vnet-spoke-app2-weu" && link.to == "vnet-hub-weu"));
    design
        .deleted_peerings
        .push(DeletedPeering { from: "vnet-spoke-app2-weu".to_string(), to: "vnet-hub-weu".to_string() });
    design
}

/// Security asked for all internet traffic to go through the London office: the VPN now
/// advertises 0.0.0.0/0 into the hub, and the Bastion loses its direct internet egress.
pub(crate) fn forced_tunnel() -> Design {
    let mut design = hybrid_vpn();
    rename(
        &mut design,
        "broken-forced-tunnel",
        "Hybrid design whose site-to-site VPN advertises 0.0.0.0/0 into the Bastion's VNet (forced tunnelling).",
    );
    for conn in design.site_connections.iter_mut() {
        conn.advertises_default_route = true;
    }
    design
}

/// Bob's group holds Reader on the app2 VMs and their NICs, on the Bastion and on the hub,
/// but nobody granted Reader on the app2 spoke VNet.
pub(crate) fn missing_reader() -> Design {
    let mut design = hub_spoke();
    rename(
        &mut design,
        "broken-missing-reader",
        "Hub and spoke where grp-app2-operators (bob) reads the app2 VMs and NICs but not vnet-spoke-app2-weu.",
    );
    design.role_assignments.retain(|it| it.principal != "grp-app2-operators");
    for vm in ["vm-app2-sql01", "vm-app2-app01"] {
        let scope = vm_scope(&design, vm);
        let (sub, rg, nic) = {
            let it = design.vm(vm).expect("hub-spoke vm");
            (it.subscription.clone(), it.resource_group.clone(), it.nic_name())
        };
        let nic_scope = ResourceRef::new(ResourceKind::NetworkInterface, &sub, &rg, &nic).id();
        for scope in [scope, nic_scope] {
            design.role_assignments.push(RoleAssignment {
                principal: "grp-app2-operators".to_string(),
                role: Role::Reader,
                scope,
            });
        }
    }
    design
}

/// A "temporary" jump box in app2 with a public IP and RDP open to the internet.
pub(crate) fn public_ip() -> Design {
    let mut design = hub_spoke();
    rename(
        &mut design,
        "broken-public-ip",
        "Hub and spoke plus a jump box vm-app2-jump01 with a public IP and 3389 open from Internet.",
    );
    let mut b = DesignBuilder { design };
    {
        let vnet = b.design.vnets.iter_mut().find(|it| it.name == "vnet-spoke-app2-weu").expect("hub-spoke spoke");
        vnet.subnets.push(Subnet {
            name: "snet-jumpbox".to_string(),
            prefix: "10.2.2.0/24".parse().expect("literal prefix"),
            nsg: Some("nsg-snet-jumpbox-app2-weu".to_string()),
            route_table: None,
        });
    }
    b.nsg(
        "nsg-snet-jumpbox-app2-weu",
        "vnet-spoke-app2-weu",
        vec![rule("AllowRdpFromInternet", 100, Direction::Inbound, Access::Allow, &["Internet"], &["*"], &["3389"])],
    );
    b.public_ip("pip-vm-app2-jump01", "vnet-spoke-app2-weu");
    b.vm_windows("vm-app2-jump01", "vnet-spoke-app2-weu", "snet-jumpbox", "10.2.2.4").nic.public_ip =
        Some("pip-vm-app2-jump01".to_string());
    b.finish()
}
