//! SKU advisor: the least SKU each Bastion needs and why (rules.md §3 and §8 "Least SKU"),
//! the upgrade path (SKU-UPGRADE) and capacity (SKU-CAPACITY), plus the capacity
//! calculator the page offers on its own (`instances_needed`).

use super::graph::Net;
use super::{Analysis, Index, PathKind, RuleId, SkuAdvice, SkuReason};
use crate::model::{default_port, BastionHost, BastionSku};
use serde::Serialize;
use std::fmt::Write as _;

/// Medium-workload sessions one instance carries (azure-facts.md §1.2).
pub const RDP_PER_INSTANCE: u32 = 20;
pub const SSH_PER_INSTANCE: u32 = 40;
/// Basic is fixed at 2 instances; Standard and Premium scale from 2 to 50.
pub const MIN_INSTANCES: u32 = 2;
pub const MAX_INSTANCES: u32 = 50;

/// The answer of the capacity calculator for one SKU and a session mix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CapacityAnswer {
    /// Instances the sessions need: max(2, ceil(RDP/20), ceil(SSH/40)).
    pub instances: u32,
    /// True when the SKU can carry them (on one Bastion).
    pub fits: bool,
    /// What to do, as a sentence.
    pub message: String,
}

/// Instances a session mix needs (SKU-CAPACITY), before any SKU limit.
pub fn instances_for(rdp: u32, ssh: u32) -> u32 {
    MIN_INSTANCES.max(rdp.div_ceil(RDP_PER_INSTANCE)).max(ssh.div_ceil(SSH_PER_INSTANCE))
}

/// The page's capacity calculator: can `sku` carry `rdp` RDP and `ssh` SSH concurrent
/// sessions, and with how many instances.
pub fn instances_needed(sku: BastionSku, rdp: u32, ssh: u32) -> CapacityAnswer {
    let instances = instances_for(rdp, ssh);
    let (fits, message) = match sku {
        BastionSku::Developer if rdp.saturating_add(ssh) <= 1 => {
            (true, "Developer serves one session at a time, from the VM's own Connect page.".to_string())
        }
        BastionSku::Developer => (
            false,
            format!(
                "Developer serves one session at a time: {} concurrent sessions need a dedicated SKU (Basic carries 40 RDP / 80 SSH).",
                rdp.saturating_add(ssh)
            ),
        ),
        BastionSku::Basic if instances <= MIN_INSTANCES => {
            (true, "Basic's fixed 2 instances carry these sessions (up to 40 RDP / 80 SSH).".to_string())
        }
        // SKU-CAPACITY: above 50 instances no SKU carries them on one Bastion.
        BastionSku::Basic if instances > MAX_INSTANCES => (
            false,
            format!(
                "Basic is fixed at 2 instances (40 RDP / 80 SSH); these sessions need {instances}, more than the 50 one Standard or Premium Bastion scales to: the design needs another Bastion."
            ),
        ),
        BastionSku::Basic => (
            false,
            format!(
                "Basic is fixed at 2 instances (40 RDP / 80 SSH); these sessions need {instances}: upgrade to Standard and set {instances} instances."
            ),
        ),
        _ if instances <= MAX_INSTANCES => (
            true,
            format!(
                "{} needs {instances} instances (20 RDP / 40 SSH sessions each, medium workload).",
                sku.name()
            ),
        ),
        _ => (
            false,
            format!(
                "These sessions need {instances} instances, more than the 50 one {} Bastion scales to: the design needs another Bastion.",
                sku.name()
            ),
        ),
    };
    CapacityAnswer { instances, fits, message }
}

/// The least SKU of each Bastion, in design order.
pub fn advise_sku(index: &Index, analysis: &Analysis) -> Vec<SkuAdvice> {
    let design = index.design;
    let peers = index.connected_peers();
    design
        .bastions
        .iter()
        .enumerate()
        .map(|(b, bastion)| {
            let reasons = requirements(index, peers, b, bastion);
            let least = reasons.iter().map(|it| it.needs).max().unwrap_or(BastionSku::Developer);
            let instances_needed =
                instances_for(bastion.expected_rdp_sessions.unwrap_or(0), bastion.expected_ssh_sessions.unwrap_or(0));
            let mut advice = Vec::new();
            // Targets only IP-based connection reaches (Virtual WAN, hybrid) do not raise the
            // least SKU (rules.md §8), but a redeploy below Standard would lose them for good.
            let waiting = if bastion.features.ip_connect { None } else { ip_connect_targets(index, analysis, b) };
            // Dedicated hosts are not advised down to Developer: CAF-R1 keeps it out of production.
            let mut enough = if bastion.sku.is_dedicated() { least.max(BastionSku::Basic) } else { least };
            if waiting.is_some() {
                enough = enough.max(BastionSku::Standard);
            }
            if bastion.sku > enough {
                advice.push(format!(
                    "Over-provisioned: nothing in the design needs {} ({} would do). A downgrade is not possible in place: delete and redeploy as {}.",
                    bastion.sku.name(),
                    enough.name(),
                    enough.name()
                ));
            }
            if let Some(what) = waiting {
                advice.push(format!(
                    "Turn on IP-based connection (Standard) to reach {what}: without it they stay blocked."
                ));
            }
            SkuAdvice {
                bastion: bastion.name.clone(),
                current: bastion.sku,
                least,
                enough,
                upgrade_path: upgrade_path(bastion, least, enough),
                reasons,
                instances_needed,
                advice,
            }
        })
        .collect()
}

/// Every requirement of one Bastion, each with the SKU it needs and why, in a stable order:
/// features, then targets, then capacity.
fn requirements(index: &Index, peers: &super::index::Lists, b: usize, bastion: &BastionHost) -> Vec<SkuReason> {
    let design = index.design;
    let mut reasons = Vec::new();
    let mut need = |needs: BastionSku, because: String| reasons.push(SkuReason { needs, because });
    let f = &bastion.features;
    let features: [(bool, BastionSku, &str); 8] = [
        (f.native_client, BastionSku::Standard, "native client support (Azure CLI tunnel) is on"),
        (f.ip_connect, BastionSku::Standard, "IP-based connection is on"),
        (f.shareable_link, BastionSku::Standard, "shareable links are on"),
        (f.file_copy, BastionSku::Standard, "file copy (upload and download) is on"),
        (f.disable_copy_paste, BastionSku::Standard, "copy and paste is disabled"),
        (f.session_recording, BastionSku::Premium, "session recording is on"),
        (f.private_only, BastionSku::Premium, "private-only deployment is on"),
        // Decision: the SKU page lists Kerberos for Developer, the configuration table does
        // not; the engine takes the stricter reading (azure-facts.md §1.1, CONFLICT).
        (f.kerberos, BastionSku::Basic, "Kerberos authentication is on (not offered on Developer)"),
    ];
    for (on, sku, because) in features {
        if on {
            need(sku, because.to_string());
        }
    }

    if let Some(home) = index.bastion_vnet.get(b).copied().flatten() {
        // Directly peered VNets with VMs: Developer has no peering support.
        // Walked, not collected: a list per Bastion only to read its first and its length.
        // Only peerings a Basic host would use (R-PEER: both links allow VNet access, one
        // tenant): one that blocks every SKU does not make Developer too small.
        let net = Net::new(index);
        let peered = || {
            peers[home].iter().copied().filter(|&v| {
                !index.vms_by_vnet[v].is_empty() && index.peering_usable(home, v) && net.same_tenant(home, v)
            })
        };
        if let Some(first) = peered().next() {
            let first_vm = index.vms_by_vnet[first][0];
            let more = peered().count() - 1;
            let mut because =
                format!("it serves VM {} in the peered VNet {}", design.vms[first_vm].name, design.vnets[first].name);
            if more > 0 {
                let _ = write!(because, " and {more} more peered VNet(s)");
            }
            because.push_str(" (Developer does not support peering)");
            need(BastionSku::Basic, because);
        }
        // A custom port needs Standard on every VM the Bastion reaches (same or peered VNet).
        // Read from the VMs' facts (`Vm::service_port` is the default unless a port is set).
        let custom = std::iter::once(home).chain(peered()).flat_map(|v| index.vms_by_vnet[v].iter()).find(|&&vm| {
            let facts = index.vm_facts[vm];
            facts.port != default_port(facts.os)
        });
        if let Some(&vm) = custom {
            let vm = &design.vms[vm];
            need(BastionSku::Standard, format!("VM {} listens on the custom port {}", vm.name, vm.service_port()));
        }
    }

    let rdp = bastion.expected_rdp_sessions.unwrap_or(0);
    let ssh = bastion.expected_ssh_sessions.unwrap_or(0);
    let instances = instances_for(rdp, ssh);
    if rdp.saturating_add(ssh) > 1 {
        need(
            BastionSku::Basic,
            format!("{} concurrent sessions are expected (Developer serves one at a time)", rdp.saturating_add(ssh)),
        );
    }
    if instances > MIN_INSTANCES {
        need(
            BastionSku::Standard,
            format!("the expected {rdp} RDP / {ssh} SSH sessions need {instances} instances (host scaling)"),
        );
    }
    if bastion.scale_units > MIN_INSTANCES {
        need(BastionSku::Standard, format!("{} instances are configured (host scaling)", bastion.scale_units));
    }
    reasons
}

/// The upgrade path from the current SKU to the least one (SKU-UPGRADE). Above the least
/// SKU, `enough` (`SkuAdvice::enough`) is the redeploy the path names, if any.
pub fn upgrade_path(bastion: &BastionHost, least: BastionSku, enough: BastionSku) -> String {
    let current = bastion.sku;
    if current >= least && current <= enough {
        return "none needed".to_string();
    }
    if current > least {
        return format!(
            "none needed; {} would do, but a downgrade is never possible in place: delete and redeploy",
            enough.name()
        );
    }
    if bastion.features.private_only && least == BastionSku::Premium {
        return format!(
            "private-only is set at creation only: deploy a new Premium Bastion (private-only) and delete this {} one",
            current.name()
        );
    }
    // One sentence, formatted once (not the steps first, then the sentence around them).
    match (current, least) {
        (BastionSku::Developer, _) => format!(
            "upgrade Developer → {} in place (needs an AzureBastionSubnet /26 or larger and a Standard static public IP), about 10 minutes",
            least.name()
        ),
        (BastionSku::Basic, BastionSku::Premium) => "upgrade Basic → Standard → Premium in place, about 10 minutes".to_string(),
        _ => format!("upgrade {} → {} in place, about 10 minutes", current.name(), least.name()),
    }
}

/// VNets or on-premises targets that only IP-based connection would open, as a phrase;
/// `None` when the Bastion has none. Read from the reach verdicts (R-VWAN, R-HYBRID).
fn ip_connect_targets(index: &Index, analysis: &Analysis, b: usize) -> Option<String> {
    let reach = analysis.reach.get(b)?;
    // One pass over the VNets for both counts (10³ VNets per Bastion).
    let (mut vwan, mut hybrid_paths) = (0, 0);
    for (v, path) in reach.vnet_paths.iter().enumerate() {
        match path.kind {
            PathKind::Vwan if index.vms_by_vnet.get(v).is_some_and(|vms| !vms.is_empty()) => vwan += 1,
            PathKind::Hybrid => hybrid_paths += 1,
            _ => {}
        }
    }
    let hybrid = reach.machine_blockers.iter().filter(|it| **it == Some(RuleId::RHybrid)).count();
    // The phrase written into one string (not each part allocated, then joined).
    let mut phrase = String::new();
    if vwan > 0 {
        let _ = write!(phrase, "VMs in {vwan} VNet(s) across the Virtual WAN");
    }
    if vwan > 0 && (hybrid > 0 || hybrid_paths > 0) {
        phrase.push_str(" and ");
    }
    if hybrid > 0 {
        let _ = write!(phrase, "{hybrid} on-premises machine(s)");
    } else if hybrid_paths > 0 {
        phrase.push_str("on-premises targets behind the gateway");
    }
    (!phrase.is_empty()).then_some(phrase)
}
