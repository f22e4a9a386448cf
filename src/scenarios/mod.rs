//! Built-in designs: the landing-zone and Bastion-article topologies, one broken design
//! per rule family, and a seeded generator of synthetic estates (`synthetic`).
//!
//! Each scenario is a function that builds a valid `Design` with realistic names,
//! address plans, users and role assignments.

pub mod builder;

use crate::model::Design;
use builder::DesignBuilder;

/// A built-in scenario.
#[derive(Clone, Copy)]
pub struct Scenario {
    /// Stable name, used by the CLI (`bastion-sim scenario NAME`) and the page's picker.
    pub name: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub build: fn() -> Design,
}

/// The scenario the page opens on.
pub const DEFAULT: &str = "hub-spoke";

/// Every built-in scenario, in the order the picker shows them.
pub fn all() -> Vec<Scenario> {
    vec![Scenario {
        name: "hub-spoke",
        title: "Hub and spoke, Bastion in the hub",
        summary: "One Standard Bastion in the hub VNet serves VMs in two peered spokes (landing-zone guidance).",
        build: hub_spoke,
    }]
}

pub fn by_name(name: &str) -> Option<Scenario> {
    all().into_iter().find(|it| it.name == name)
}

fn hub_spoke() -> Design {
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
