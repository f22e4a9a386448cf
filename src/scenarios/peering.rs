//! The two layouts of the "Azure Bastion and VNet peering" article: a Bastion in the hub
//! of a hub-and-spoke (with a globally peered spoke in another region) and a Bastion in
//! one VNet of a full mesh.

use super::builder::*;
use crate::model::*;

/// One workload subnet with an NSG that admits SSH/RDP from `bastion_source` only.
fn workload_vnet(b: &mut DesignBuilder, vnet: &str, rg: &str, region: &str, space: &str, snet: &str, src: &str) {
    let nsg = format!("nsg-snet-workload-{}", vnet.trim_start_matches("vnet-"));
    b.vnet(vnet, "sub-contoso-prod", rg, region, space).subnet_nsg("snet-workload", snet, &nsg);
    b.nsg(&nsg, vnet, workload_rules(src));
}

fn people(b: &mut DesignBuilder) {
    b.subscription("sub-contoso-prod");
    b.workspace("law-contoso-prod", "sub-contoso-prod", "rg-management-weu", true);
    b.user("alice@contoso.com", "Alice Martin (operator)");
    b.group("grp-server-operators", &["alice@contoso.com"]);
    // Reader on the whole subscription covers every VM, NIC, VNet and the Bastion: the
    // simplest assignment the article's diagram needs, if not the narrowest.
    b.assign("grp-server-operators", Role::Reader, subscription_scope("sub-contoso-prod"));
}

pub(crate) fn peering_hub_spoke() -> Design {
    let mut b = DesignBuilder::new(
        "peering-hub-spoke",
        "The Bastion and VNet peering article, hub-and-spoke layout: a Basic Bastion in the hub reaches VMs in a \
         locally peered spoke and in a globally peered spoke in North Europe.",
    );
    people(&mut b);
    b.vnet("vnet-hub-weu", "sub-contoso-prod", "rg-hub-weu", "westeurope", "10.10.0.0/24").subnet_nsg(
        BASTION_SUBNET,
        "10.10.0.0/26",
        "nsg-bas-hub-weu",
    );
    b.nsg("nsg-bas-hub-weu", "vnet-hub-weu", bastion_subnet_rules());
    workload_vnet(
        &mut b,
        "vnet-spoke1-weu",
        "rg-spoke1-weu",
        "westeurope",
        "10.11.0.0/24",
        "10.11.0.0/25",
        "10.10.0.0/26",
    );
    workload_vnet(
        &mut b,
        "vnet-spoke2-neu",
        "rg-spoke2-neu",
        "northeurope",
        "10.12.0.0/24",
        "10.12.0.0/25",
        "10.10.0.0/26",
    );
    b.peer("vnet-hub-weu", "vnet-spoke1-weu").peer("vnet-hub-weu", "vnet-spoke2-neu");
    b.bastion("bas-hub-weu", "vnet-hub-weu", BastionSku::Basic).diagnostics_workspace =
        Some("law-contoso-prod".to_string());
    b.key_vault("kv-ssh-keys-weu", "sub-contoso-prod", "rg-hub-weu");
    b.vm_linux_kv("vm-spoke1-web01", "vnet-spoke1-weu", "snet-workload", "10.11.0.4", "kv-ssh-keys-weu");
    b.vm_windows("vm-spoke2-app01", "vnet-spoke2-neu", "snet-workload", "10.12.0.4");
    let vault = ResourceRef::new(ResourceKind::KeyVault, "sub-contoso-prod", "rg-hub-weu", "kv-ssh-keys-weu").id();
    b.assign("grp-server-operators", Role::KeyVaultSecretsUser, vault);
    b.finish()
}

pub(crate) fn peering_full_mesh() -> Design {
    let mut b = DesignBuilder::new(
        "peering-full-mesh",
        "The Bastion and VNet peering article, full-mesh layout: three VNets peered with each other; the Basic Bastion \
         in one of them reaches VMs in all three, every one of them directly peered or local.",
    );
    people(&mut b);
    b.vnet("vnet-shared-weu", "sub-contoso-prod", "rg-shared-weu", "westeurope", "10.20.0.0/22")
        .subnet_nsg(BASTION_SUBNET, "10.20.1.0/26", "nsg-bas-shared-weu")
        .subnet_nsg("snet-workload", "10.20.0.0/24", "nsg-snet-workload-shared-weu");
    b.nsg("nsg-bas-shared-weu", "vnet-shared-weu", bastion_subnet_rules());
    b.nsg("nsg-snet-workload-shared-weu", "vnet-shared-weu", workload_rules("10.20.1.0/26"));
    workload_vnet(&mut b, "vnet-web-weu", "rg-web-weu", "westeurope", "10.21.0.0/22", "10.21.0.0/24", "10.20.1.0/26");
    workload_vnet(&mut b, "vnet-data-weu", "rg-data-weu", "westeurope", "10.22.0.0/22", "10.22.0.0/24", "10.20.1.0/26");
    b.peer("vnet-shared-weu", "vnet-web-weu")
        .peer("vnet-shared-weu", "vnet-data-weu")
        .peer("vnet-web-weu", "vnet-data-weu");
    b.bastion("bas-shared-weu", "vnet-shared-weu", BastionSku::Basic).diagnostics_workspace =
        Some("law-contoso-prod".to_string());
    b.key_vault("kv-ssh-keys-weu", "sub-contoso-prod", "rg-shared-weu");
    b.vm_linux_kv("vm-shared-dns01", "vnet-shared-weu", "snet-workload", "10.20.0.4", "kv-ssh-keys-weu");
    b.vm_linux_kv("vm-web-web01", "vnet-web-weu", "snet-workload", "10.21.0.4", "kv-ssh-keys-weu");
    b.vm_windows("vm-data-sql01", "vnet-data-weu", "snet-workload", "10.22.0.4");
    let vault = ResourceRef::new(ResourceKind::KeyVault, "sub-contoso-prod", "rg-shared-weu", "kv-ssh-keys-weu").id();
    b.assign("grp-server-operators", Role::KeyVaultSecretsUser, vault);
    b.finish()
}
