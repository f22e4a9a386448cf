//! Built-in designs: the landing-zone and Bastion-article topologies, one broken design
//! per rule family, graded exercises built on them (`exercises`), and a seeded generator of
//! synthetic estates (`synthetic`).
//!
//! Each scenario is a function that builds a valid `Design` with realistic names,
//! address plans, users and role assignments; `tests/scenarios.rs` pins their analyses.

mod broken;
pub mod builder;
pub mod exercises;
mod landing_zone;
mod peering;
pub mod synthetic;

use crate::model::Design;

/// A built-in scenario.
#[derive(Clone, Copy)]
pub struct Scenario {
    /// Stable name, used by the CLI (`bastion-sim scenario NAME`) and the page's picker.
    pub name: &'static str,
    pub title: &'static str,
    /// One line: what a student should notice.
    pub summary: &'static str,
    pub build: fn() -> Design,
}

/// The scenario the page opens on.
pub const DEFAULT: &str = "hub-spoke";

/// Every built-in scenario, in the order the picker shows them: the healthy patterns
/// first, then one broken design per rule family.
pub fn all() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "hub-spoke",
            title: "Hub and spoke, Bastion in the hub",
            summary: "One Standard Bastion in the hub reaches every spoke VM through direct peerings; operators need \
                      Reader on the Bastion and the hub VNet as well as on their own VMs and spoke (CAF R4).",
            build: landing_zone::hub_spoke,
        },
        Scenario {
            name: "vwan-central",
            title: "Virtual WAN, one central Bastion in a spoke",
            summary: "Spokes of a Virtual WAN hub are reached from a Bastion in another spoke only because it is \
                      Standard with IP-based connection on (R-VWAN, CAF R3).",
            build: landing_zone::vwan_central,
        },
        Scenario {
            name: "per-spoke",
            title: "A Basic Bastion in every spoke",
            summary: "Each spoke's own Basic Bastion reaches only its VMs: no Reader on the hub is needed, but every \
                      landing zone pays for a Bastion (see the consolidation advice and the cost).",
            build: landing_zone::per_spoke,
        },
        Scenario {
            name: "peering-hub-spoke",
            title: "Bastion and VNet peering: hub and spoke",
            summary: "A Basic Bastion in the hub reaches VMs in directly peered spokes, even across regions (global \
                      peering): Basic is enough for peered VNets.",
            build: peering::peering_hub_spoke,
        },
        Scenario {
            name: "peering-full-mesh",
            title: "Bastion and VNet peering: full mesh",
            summary: "In a full mesh every VNet is directly peered with the Bastion's, so one Bastion reaches the VMs \
                      of all three VNets.",
            build: peering::peering_full_mesh,
        },
        Scenario {
            name: "hybrid-vpn",
            title: "Hybrid: on-premises servers over site-to-site VPN",
            summary: "On-premises servers behind the hub's VPN gateway are reachable only by IP-based connection from \
                      a Standard Bastion (R-HYBRID); the VPN is also the break-glass path.",
            build: landing_zone::hybrid_vpn,
        },
        Scenario {
            name: "broken-bastion-nsg",
            title: "Broken: AzureBastionSubnet NSG missing a rule",
            summary: "The NSG on AzureBastionSubnet lacks the HTTPS rule (443 from Internet), so Azure rejects it and \
                      the Bastion reaches nothing (B-HEALTH-4).",
            build: broken::bastion_nsg,
        },
        Scenario {
            name: "broken-spoke-to-spoke",
            title: "Broken: Bastion in a spoke, target in another spoke",
            summary: "Peering is not transitive: the Bastion in spoke app1 cannot reach app2 through the hub \
                      (R-NONTRANSITIVE); peer the spokes or move the Bastion to the hub.",
            build: broken::spoke_to_spoke,
        },
        Scenario {
            name: "broken-developer-peering",
            title: "Broken: Developer SKU across a peering",
            summary: "The free Developer Bastion reaches the VM in its own VNet but not the one in the peered VNet \
                      (R-PEER): peering needs Basic or higher.",
            build: broken::developer_peering,
        },
        Scenario {
            name: "broken-disconnected-peering",
            title: "Broken: one peering link deleted",
            summary: "The spoke side of the app2 peering was deleted, leaving the hub's link Disconnected: app2's VMs \
                      are unreachable until the link is recreated.",
            build: broken::disconnected_peering,
        },
        Scenario {
            name: "broken-forced-tunnel",
            title: "Broken: forced tunnelling into the Bastion VNet",
            summary: "The VPN advertises 0.0.0.0/0 into the hub, so the Bastion loses its direct internet egress and \
                      reaches nothing (B-HEALTH-6).",
            build: broken::forced_tunnel,
        },
        Scenario {
            name: "broken-missing-reader",
            title: "Broken: a user without Reader on the peered VNet",
            summary: "The network path to app2 is fine, but bob's group lacks Reader on the app2 spoke VNet, so bob \
                      cannot connect (RBAC-VNET, CAF-R7).",
            build: broken::missing_reader,
        },
        Scenario {
            name: "broken-public-ip",
            title: "Broken: VM with a public IP and RDP open to the internet",
            summary: "A jump box with a public IP admits 3389 from Internet: remote access must go through Bastion, \
                      not a public IP (CAF-R10).",
            build: broken::public_ip,
        },
    ]
}

pub fn by_name(name: &str) -> Option<Scenario> {
    all().into_iter().find(|it| it.name == name)
}

/// The names of every scenario, for error messages ("valid names are …").
pub fn names() -> Vec<&'static str> {
    all().into_iter().map(|it| it.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate;

    #[test]
    fn every_scenario_is_valid_and_named_as_listed() {
        for scenario in all() {
            let design = (scenario.build)();
            let errors = validate(&design);
            assert!(errors.is_empty(), "{}: {:#?}", scenario.name, errors);
            assert_eq!(design.name, scenario.name);
            assert!(!scenario.title.is_empty() && !scenario.summary.is_empty());
        }
    }

    #[test]
    fn names_are_unique_and_the_default_exists() {
        let names = names();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert!(by_name(DEFAULT).is_some());
        assert!(by_name("no-such-scenario").is_none());
    }

    #[test]
    fn bastion_subnets_are_at_least_26_and_vnets_do_not_overlap() {
        for scenario in all() {
            let design = (scenario.build)();
            for vnet in &design.vnets {
                if let Some(subnet) = vnet.subnet(crate::model::BASTION_SUBNET) {
                    assert!(subnet.prefix.len <= 26, "{}: {}", scenario.name, vnet.name);
                }
            }
            for (i, a) in design.vnets.iter().enumerate() {
                for b in &design.vnets[i + 1..] {
                    let overlap = a.address_prefixes.iter().any(|p| b.address_prefixes.iter().any(|q| p.overlaps(q)));
                    assert!(!overlap, "{}: {} overlaps {}", scenario.name, a.name, b.name);
                }
            }
        }
    }
}
