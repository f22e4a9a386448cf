//! The landing-zone remote-access patterns (CAF "Remote access" guidance): hub and spoke
//! with a central Bastion, Virtual WAN with a central Bastion in a spoke, a Bastion per
//! spoke, and hybrid access to on-premises machines over a site-to-site VPN.

use super::builder::*;
use crate::model::*;

/// Subscriptions, the central Log Analytics workspace and the people of every
/// landing-zone scenario.
pub(crate) fn platform(b: &mut DesignBuilder, landing_zones: &[&str]) {
    b.subscription("sub-connectivity").subscription("sub-management");
    for sub in landing_zones {
        b.subscription(sub);
    }
    b.workspace("law-platform-weu", "sub-management", "rg-management-weu", true);
    b.user("alice@contoso.com", "Alice Martin (app1 operator)")
        .user("bob@contoso.com", "Bob Jansen (app2 operator)")
        .user("carol@contoso.com", "Carol Diaz (platform engineer)");
}

/// A hub VNet with GatewaySubnet, AzureBastionSubnet (/26, with the eight required NSG
/// rules) and an ExpressRoute gateway to the Amsterdam datacentre.
fn hub(b: &mut DesignBuilder, with_bastion_subnet: bool) {
    b.vnet("vnet-hub-weu", "sub-connectivity", "rg-connectivity-weu", "westeurope", "10.0.0.0/22")
        .subnet("GatewaySubnet", "10.0.0.0/27");
    if with_bastion_subnet {
        b.subnet_nsg(BASTION_SUBNET, "10.0.1.0/26", "nsg-bas-hub-weu");
        b.nsg("nsg-bas-hub-weu", "vnet-hub-weu", bastion_subnet_rules());
    }
    b.gateway("ergw-hub-weu", GatewayKind::ExpressRoute, "vnet-hub-weu");
    b.site("site-dc-amsterdam", &["172.16.0.0/16"]);
    b.site_connection("ercon-hub-weu-dc-amsterdam", "ergw-hub-weu", "site-dc-amsterdam", false);
}

/// A spoke (landing zone) with one workload subnet whose NSG admits SSH/RDP only from
/// `bastion_source`, peered to the hub with gateway transit.
fn spoke(b: &mut DesignBuilder, app: &str, sub: &str, octet: u8, bastion_source: &str, bastion_subnet: bool) {
    let vnet = format!("vnet-spoke-{app}-weu");
    let nsg = format!("nsg-snet-app-{app}-weu");
    b.vnet(&vnet, sub, &format!("rg-{app}-weu"), "westeurope", &format!("10.{octet}.0.0/22")).subnet_nsg(
        "snet-app",
        &format!("10.{octet}.0.0/24"),
        &nsg,
    );
    if bastion_subnet {
        b.subnet_nsg(BASTION_SUBNET, &format!("10.{octet}.3.0/26"), &format!("nsg-bas-{app}-weu"));
        b.nsg(&format!("nsg-bas-{app}-weu"), &vnet, bastion_subnet_rules());
    }
    b.nsg(&nsg, &vnet, workload_rules(bastion_source));
    b.peer_transit("vnet-hub-weu", &vnet);
}

/// The two workloads: app1 (two Linux web servers whose SSH keys are in Key Vault) and
/// app2 (two Windows servers).
fn workloads(b: &mut DesignBuilder) {
    b.key_vault("kv-app1-weu", "sub-landingzone-app1", "rg-app1-weu");
    b.vm_linux_kv("vm-app1-web01", "vnet-spoke-app1-weu", "snet-app", "10.1.0.4", "kv-app1-weu");
    b.vm_linux_kv("vm-app1-web02", "vnet-spoke-app1-weu", "snet-app", "10.1.0.5", "kv-app1-weu");
    b.vm_windows("vm-app2-sql01", "vnet-spoke-app2-weu", "snet-app", "10.2.0.4");
    b.vm_windows("vm-app2-app01", "vnet-spoke-app2-weu", "snet-app", "10.2.0.5");
}

/// Each operator group reads its own landing zone's resource group (VMs, NICs and the
/// spoke VNet) and, for app1, the SSH keys in Key Vault.
fn workload_access(b: &mut DesignBuilder) {
    b.group("grp-app1-operators", &["alice@contoso.com"]).group("grp-app2-operators", &["bob@contoso.com"]);
    b.assign("grp-app1-operators", Role::Reader, rg_scope("sub-landingzone-app1", "rg-app1-weu"));
    let vault = ResourceRef::new(ResourceKind::KeyVault, "sub-landingzone-app1", "rg-app1-weu", "kv-app1-weu").id();
    b.assign("grp-app1-operators", Role::KeyVaultSecretsUser, vault);
    b.assign("grp-app2-operators", Role::Reader, rg_scope("sub-landingzone-app2", "rg-app2-weu"));
    b.assign("carol@contoso.com", Role::NetworkContributor, subscription_scope("sub-connectivity"));
}

pub(crate) fn hub_spoke() -> Design {
    let mut b = DesignBuilder::new(
        "hub-spoke",
        "Landing-zone hub and spoke: one Standard Bastion in the connectivity hub serves the VMs of two peered spokes. \
         Operators hold Reader on the Bastion and the hub VNet (CAF R4) and on their own landing zone.",
    );
    platform(&mut b, &["sub-landingzone-app1", "sub-landingzone-app2"]);
    hub(&mut b, true);
    spoke(&mut b, "app1", "sub-landingzone-app1", 1, "10.0.1.0/26", false);
    spoke(&mut b, "app2", "sub-landingzone-app2", 2, "10.0.1.0/26", false);
    // Standard for native client: the platform team connects with `az network bastion ssh`.
    let host = b.bastion_standard("bas-hub-weu", "vnet-hub-weu");
    host.features.native_client = true;
    host.diagnostics_workspace = Some("law-platform-weu".to_string());
    workloads(&mut b);
    b.group("grp-bastion-users", &["alice@contoso.com", "bob@contoso.com"]);
    b.reader_on_bastion("grp-bastion-users", "bas-hub-weu").reader_on_vnet("grp-bastion-users", "vnet-hub-weu");
    workload_access(&mut b);
    b.finish()
}

pub(crate) fn per_spoke() -> Design {
    let mut b = DesignBuilder::new(
        "per-spoke",
        "A dedicated Basic Bastion in each spoke: nobody needs Reader on the hub, at the cost of one Bastion per \
         landing zone (CAF R4's alternative).",
    );
    platform(&mut b, &["sub-landingzone-app1", "sub-landingzone-app2"]);
    hub(&mut b, false);
    spoke(&mut b, "app1", "sub-landingzone-app1", 1, "10.1.3.0/26", true);
    spoke(&mut b, "app2", "sub-landingzone-app2", 2, "10.2.3.0/26", true);
    // Each team expects a handful of concurrent sessions: more than Developer's one at a
    // time, well within Basic's two instances.
    for (name, vnet) in [("bas-app1-weu", "vnet-spoke-app1-weu"), ("bas-app2-weu", "vnet-spoke-app2-weu")] {
        let host = b.bastion(name, vnet, BastionSku::Basic);
        host.expected_ssh_sessions = Some(6);
        host.expected_rdp_sessions = Some(4);
        host.diagnostics_workspace = Some("law-platform-weu".to_string());
    }
    workloads(&mut b);
    // The Bastion, its VNet, the VMs and their NICs all sit in the landing zone's
    // resource group: Reader there is everything an operator needs.
    workload_access(&mut b);
    b.finish()
}

pub(crate) fn vwan_central() -> Design {
    let mut b = DesignBuilder::new(
        "vwan-central",
        "Virtual WAN: one central Standard Bastion with IP-based connection in a dedicated spoke reaches the VMs of \
         the other spokes through the hub (CAF R3). Users need Reader on the Bastion and on that spoke VNet.",
    );
    platform(&mut b, &["sub-landingzone-app1", "sub-landingzone-app2"]);
    b.virtual_wan("vwan-contoso", "sub-connectivity", "rg-connectivity-weu");
    b.virtual_hub("vhub-weu", "vwan-contoso", "westeurope", "10.100.0.0/23");
    b.hub_gateway("vpngw-vhub-weu", GatewayKind::Vpn, "vhub-weu");
    b.site("site-hq-london", &["192.168.0.0/20"]);
    b.site_connection("s2s-vhub-weu-hq-london", "vpngw-vhub-weu", "site-hq-london", false);

    b.vnet("vnet-bastion-weu", "sub-connectivity", "rg-bastion-weu", "westeurope", "10.110.0.0/24").subnet_nsg(
        BASTION_SUBNET,
        "10.110.0.0/26",
        "nsg-bas-central-weu",
    );
    b.nsg("nsg-bas-central-weu", "vnet-bastion-weu", bastion_subnet_rules());
    for (app, sub, octet) in [("app1", "sub-landingzone-app1", 111u8), ("app2", "sub-landingzone-app2", 112)] {
        let vnet = format!("vnet-spoke-{app}-weu");
        let nsg = format!("nsg-snet-app-{app}-weu");
        b.vnet(&vnet, sub, &format!("rg-{app}-weu"), "westeurope", &format!("10.{octet}.0.0/22")).subnet_nsg(
            "snet-app",
            &format!("10.{octet}.0.0/24"),
            &nsg,
        );
        b.nsg(&nsg, &vnet, workload_rules("10.110.0.0/26"));
    }
    for vnet in ["vnet-bastion-weu", "vnet-spoke-app1-weu", "vnet-spoke-app2-weu"] {
        b.hub_connection(vnet, "vhub-weu");
    }
    let host = b.bastion_standard("bas-central-weu", "vnet-bastion-weu");
    host.features.ip_connect = true;
    host.diagnostics_workspace = Some("law-platform-weu".to_string());

    b.key_vault("kv-app1-weu", "sub-landingzone-app1", "rg-app1-weu");
    b.vm_linux_kv("vm-app1-web01", "vnet-spoke-app1-weu", "snet-app", "10.111.0.4", "kv-app1-weu");
    b.vm_linux_kv("vm-app1-web02", "vnet-spoke-app1-weu", "snet-app", "10.111.0.5", "kv-app1-weu");
    b.vm_windows("vm-app2-sql01", "vnet-spoke-app2-weu", "snet-app", "10.112.0.4");
    b.vm_windows("vm-app2-app01", "vnet-spoke-app2-weu", "snet-app", "10.112.0.5");

    b.group("grp-bastion-users", &["alice@contoso.com", "bob@contoso.com"]);
    b.reader_on_bastion("grp-bastion-users", "bas-central-weu").reader_on_vnet("grp-bastion-users", "vnet-bastion-weu");
    workload_access(&mut b);
    b.finish()
}

pub(crate) fn hybrid_vpn() -> Design {
    let mut b = DesignBuilder::new(
        "hybrid-vpn",
        "Hybrid: a Standard Bastion with IP-based connection in the hub reaches servers in the London office over a \
         site-to-site VPN, and a spoke VM through peering; the VPN doubles as the break-glass path (CAF R9).",
    );
    platform(&mut b, &["sub-landingzone-app1"]);
    b.vnet("vnet-hub-weu", "sub-connectivity", "rg-connectivity-weu", "westeurope", "10.0.0.0/22")
        .subnet("GatewaySubnet", "10.0.0.0/27")
        .subnet_nsg(BASTION_SUBNET, "10.0.1.0/26", "nsg-bas-hub-weu");
    b.nsg("nsg-bas-hub-weu", "vnet-hub-weu", bastion_subnet_rules());
    b.gateway("vpngw-hub-weu", GatewayKind::Vpn, "vnet-hub-weu");
    b.site("site-hq-london", &["192.168.0.0/20"]);
    b.site_connection("s2s-hub-weu-hq-london", "vpngw-hub-weu", "site-hq-london", false);
    b.machine("srv-hq-file01", "site-hq-london", "192.168.1.10", Os::Windows);
    b.machine("srv-hq-build01", "site-hq-london", "192.168.2.20", Os::Linux);

    b.vnet("vnet-spoke-app1-weu", "sub-landingzone-app1", "rg-app1-weu", "westeurope", "10.1.0.0/22").subnet_nsg(
        "snet-app",
        "10.1.0.0/24",
        "nsg-snet-app-app1-weu",
    );
    b.nsg("nsg-snet-app-app1-weu", "vnet-spoke-app1-weu", workload_rules("10.0.1.0/26"));
    b.peer_transit("vnet-hub-weu", "vnet-spoke-app1-weu");
    let host = b.bastion_standard("bas-hub-weu", "vnet-hub-weu");
    host.features.ip_connect = true;
    host.diagnostics_workspace = Some("law-platform-weu".to_string());

    b.key_vault("kv-app1-weu", "sub-landingzone-app1", "rg-app1-weu");
    b.vm_linux_kv("vm-app1-web01", "vnet-spoke-app1-weu", "snet-app", "10.1.0.4", "kv-app1-weu");

    b.group("grp-bastion-users", &["alice@contoso.com", "carol@contoso.com"]);
    b.reader_on_bastion("grp-bastion-users", "bas-hub-weu").reader_on_vnet("grp-bastion-users", "vnet-hub-weu");
    b.group("grp-app1-operators", &["alice@contoso.com"]);
    b.assign("grp-app1-operators", Role::Reader, rg_scope("sub-landingzone-app1", "rg-app1-weu"));
    let vault = ResourceRef::new(ResourceKind::KeyVault, "sub-landingzone-app1", "rg-app1-weu", "kv-app1-weu").id();
    b.assign("grp-app1-operators", Role::KeyVaultSecretsUser, vault);
    b.finish()
}
