//! Whether the page autosaves a design to the browser's local storage: about 5 MB per
//! site, so an estate's design file (9 MB for 20,000 VMs) does not fit, and serializing it
//! after every edit would stall the page for half a second for nothing.
//!
//! The size is estimated from resource counts (no serialization); normal designs are far
//! below the limit and are always autosaved.

use crate::model::Design;

/// Design files larger than this (in bytes, estimated) are not autosaved: local storage
/// holds about 5 MB per site, shared with the page's other keys.
pub const MAX_AUTOSAVE_BYTES: usize = 4_500_000;

/// About how many bytes the design file of `design` takes (the pretty JSON `save_design`
/// writes), from typical sizes per resource measured on the synthetic estates.
pub fn estimated_file_bytes(design: &Design) -> usize {
    let subnets: usize = design.vnets.iter().map(|it| it.subnets.len()).sum();
    let rules: usize = design.nsgs.iter().map(|it| it.rules.len()).sum();
    let members: usize = design.groups.iter().map(|it| it.members.len()).sum();
    let small = design.management_groups.len()
        + design.subscriptions.len()
        + design.deleted_peerings.len()
        + design.route_tables.len()
        + design.public_ips.len()
        + design.bastions.len()
        + design.virtual_wans.len()
        + design.virtual_hubs.len()
        + design.hub_connections.len()
        + design.gateways.len()
        + design.onprem_sites.len()
        + design.site_connections.len()
        + design.onprem_machines.len()
        + design.key_vaults.len()
        + design.log_workspaces.len()
        + design.users.len()
        + design.groups.len();
    1_000
        + 360 * design.vms.len()
        + 200 * design.vnets.len()
        + 180 * subnets
        + 190 * design.peerings.len()
        + 190 * design.role_assignments.len()
        + 100 * design.nsgs.len()
        + 400 * rules
        + 30 * members
        + 200 * small
}

/// True when the page should autosave this design.
pub fn autosaves(design: &Design) -> bool {
    estimated_file_bytes(design) <= MAX_AUTOSAVE_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{save_design, Layout};
    use crate::scenarios::synthetic::{generate, EstateParams};

    #[test]
    fn the_estimate_is_within_a_third_of_the_file_and_only_estates_are_left_out() {
        for (params, saved) in [(EstateParams::small(), true), (EstateParams::enterprise(), false)] {
            let design = generate(&params);
            let actual = save_design(&design, &Layout::default()).len() as f64;
            let estimate = estimated_file_bytes(&design) as f64;
            assert!((estimate / actual - 1.0).abs() < 0.33, "estimate {estimate} against {actual}");
            assert_eq!(autosaves(&design), saved);
        }
        for scenario in crate::scenarios::all() {
            assert!(autosaves(&(scenario.build)()), "{}", scenario.name);
        }
    }
}
