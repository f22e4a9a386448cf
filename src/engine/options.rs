//! Remote-access options per VM (issue 5, CAF "plan for VM remote access"): Bastion, JIT,
//! hybrid connectivity over VPN/ExpressRoute and a public IP — for each, whether it applies
//! to this VM and why, and which one the landing-zone guidance recommends for this design.

use super::graph::Net;
use super::{Analysis, Index, RuleId, Target};
use crate::model::{Design, GatewayKind};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    Bastion,
    Jit,
    Hybrid,
    PublicIp,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccessOption {
    pub kind: AccessKind,
    /// The option works for this VM as designed.
    pub applies: bool,
    /// Why it applies or not, as a sentence naming the resources.
    pub why: String,
    /// The Bastions that reach the VM (Bastion), the sites it is reachable from (hybrid),
    /// the public IP (public IP); empty otherwise.
    pub via: Vec<String>,
    /// The option the landing-zone guidance recommends for this VM (exactly one option is
    /// recommended per VM).
    pub recommended: bool,
    /// The rule behind the recommendation or the verdict (CAF-R2, CAF-R4, CAF-R10, JIT-1, …).
    pub rule: RuleId,
    /// What the landing-zone guidance says about this option for this VM, citing `rule`.
    pub guidance: String,
}

/// The four options for `vm`, in the order Bastion, JIT, hybrid, public IP. Empty for an
/// unknown VM. The recommendation (CAF design considerations, azure-facts §6.2): Bastion
/// when a Bastion reaches the VM (CAF-R3/R4, and it is the break-glass path of CAF-R9);
/// otherwise hybrid connectivity when it applies (CAF-R2); otherwise JIT when it applies;
/// a public IP is never recommended (CAF-R10) — with nothing else, Bastion is recommended
/// as what to deploy.
pub fn remote_access(design: &Design, analysis: &Analysis, vm: &str) -> Vec<AccessOption> {
    let index = Index::new(design);
    let Some(&v) = index.vm_by_name.get(vm) else { return Vec::new() };
    let def = &design.vms[v];
    let net = Net::new(&index);
    let home = index.vm_location(v).map(|(vnet, _)| vnet);
    let finding_on = |id: RuleId| analysis.findings.iter().find(|f| f.id == id && f.resource == def.name);

    // Bastion: every Bastion whose verdict for this VM is reachable.
    let reaching: Vec<String> = (0..analysis.reach.len().min(design.bastions.len()))
        .filter(|&b| analysis.blocker(b, Target::Vm(v)).is_none())
        .map(|b| design.bastions[b].name.clone())
        .collect();
    let bastion_why = if !reaching.is_empty() {
        format!(
            "{} reach{} {} (network path, NSGs and SKU allow the session).",
            reaching.join(", "),
            if reaching.len() == 1 { "es" } else { "" },
            def.name
        )
    } else if design.bastions.is_empty() {
        format!("The design has no Bastion; deploy one in {} or a VNet peered with it.", def.nic.vnet)
    } else {
        let blockers: Vec<String> = (0..analysis.reach.len().min(design.bastions.len()))
            .filter_map(|b| analysis.blocker(b, Target::Vm(v)).map(|r| format!("{} ({r})", design.bastions[b].name)))
            .collect();
        format!("No Bastion reaches {}: {}.", def.name, blockers.join(", "))
    };

    // JIT: a policy, something to open (NSG or classic Azure Firewall), Defender (JIT-1..3).
    let (subnet_nsg, nic_nsg) = super::reach::vm_nsgs(&net, v);
    let jit_problem =
        [RuleId::Jit1, RuleId::Jit2, RuleId::Jit3].into_iter().find_map(|id| finding_on(id).map(|f| (id, f)));
    let (jit_applies, jit_why, jit_rule) = if !def.jit_policy {
        (false, format!("{} has no just-in-time policy (Defender for Cloud).", def.name), RuleId::Jit1)
    } else if let Some((id, f)) = jit_problem {
        (false, f.message.clone(), id)
    } else {
        let guard = match (subnet_nsg.is_some() || nic_nsg.is_some(), def.azure_firewall_protected) {
            (true, _) => "its NSG",
            (false, _) => "its Azure Firewall",
        };
        (
            true,
            format!("{} has a JIT policy; approved requests open {guard} for the requester's IP and time.", def.name),
            RuleId::Jit1,
        )
    };

    // Hybrid: on-premises sites joined to the VM's VNet by its own gateway, a transit
    // gateway (rules.md §8) or a gateway in a hub of its Virtual WAN.
    let mut sites: BTreeSet<String> = BTreeSet::new();
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    if let Some(h) = home {
        for &(site, gw) in net.hybrid_sites.get(h).map(|it| it.as_slice()).unwrap_or_default() {
            sites.insert(design.onprem_sites[site].name.clone());
            kinds.insert(gateway_kind(design.gateways[gw].kind));
        }
        if let Some(wan) = net.vnet_wan.get(h).copied().flatten() {
            let wan_name = &design.virtual_wans[wan].name;
            for gw in &design.gateways {
                let in_wan = gw.hub.as_ref().is_some_and(|hub| {
                    design.virtual_hubs.iter().any(|it| it.name == *hub && it.virtual_wan == *wan_name)
                });
                if !in_wan {
                    continue;
                }
                for c in design.site_connections.iter().filter(|c| c.gateway == gw.name) {
                    sites.insert(c.site.clone());
                    kinds.insert(gateway_kind(gw.kind));
                }
            }
        }
    }
    let sites: Vec<String> = sites.into_iter().collect();
    let kinds: Vec<&str> = kinds.into_iter().collect();
    let hybrid_why = if sites.is_empty() {
        format!("No VPN or ExpressRoute path joins {} to an on-premises site.", def.nic.vnet)
    } else {
        format!(
            "On-premises administrators at {} reach {} over {} (private path; the VM's NSGs still decide).",
            sites.join(", "),
            def.name,
            kinds.join(" and ")
        )
    };

    // Public IP: present or not; never recommended (CAF-R10).
    let pip = def.nic.public_ip.clone();
    let pip_why = match (&pip, finding_on(RuleId::CafR10)) {
        (Some(_), Some(f)) => f.message.clone(),
        (Some(p), None) => {
            format!("{} has public IP {p}; remote access through it is against the landing-zone guidance.", def.name)
        }
        (None, _) => format!("{} has no public IP (as the landing-zone guidance wants).", def.name),
    };

    let any_reaching = !reaching.is_empty();
    let hybrid_applies = !sites.is_empty();
    let recommend = if !reaching.is_empty() {
        AccessKind::Bastion
    } else if !sites.is_empty() {
        AccessKind::Hybrid
    } else if jit_applies {
        AccessKind::Jit
    } else {
        AccessKind::Bastion
    };
    let bastion_rule = match home.and_then(|h| net.vnet_wan.get(h).copied().flatten()) {
        Some(_) => RuleId::CafR3,
        None => RuleId::CafR4,
    };
    vec![
        AccessOption {
            kind: AccessKind::Bastion,
            applies: !reaching.is_empty(),
            why: bastion_why,
            via: reaching,
            recommended: recommend == AccessKind::Bastion,
            rule: bastion_rule,
            guidance: if recommend == AccessKind::Bastion && any_reaching {
                format!("Recommended ({bastion_rule}, CAF-R9): remote and break-glass access through Bastion, no public IP on the VM.")
            } else if recommend == AccessKind::Bastion {
                format!("Recommended ({bastion_rule}): fix what blocks the Bastion, or deploy one in {} or a VNet peered with it.", def.nic.vnet)
            } else {
                format!("Keep Bastion for remote and break-glass access ({bastion_rule}, CAF-R9).")
            },
        },
        AccessOption {
            kind: AccessKind::Jit,
            applies: jit_applies,
            why: jit_why,
            via: Vec::new(),
            recommended: recommend == AccessKind::Jit,
            rule: jit_rule,
            guidance: if recommend == AccessKind::Jit {
                "Recommended until a Bastion reaches the VM: JIT opens RDP/SSH only on approved request, for a limited time (CAF design considerations).".to_string()
            } else {
                "JIT gives time-limited RDP/SSH without extra infrastructure for supported VMs (CAF design considerations).".to_string()
            },
        },
        AccessOption {
            kind: AccessKind::Hybrid,
            applies: !sites.is_empty(),
            why: hybrid_why,
            via: sites,
            recommended: recommend == AccessKind::Hybrid,
            rule: RuleId::CafR2,
            guidance: if hybrid_applies {
                "CAF-R2: on-premises administrators use the existing ExpressRoute/VPN path; Bastion stays for remote and break-glass access.".to_string()
            } else {
                "CAF-R2 applies only where ExpressRoute or VPN reaches the VM's VNet.".to_string()
            },
        },
        AccessOption {
            kind: AccessKind::PublicIp,
            applies: pip.is_some(),
            why: pip_why,
            via: pip.into_iter().collect(),
            recommended: false,
            rule: RuleId::CafR10,
            guidance:
                "Never recommended (CAF-R10): no remote access through a public IP on a VM; remove it and use Bastion."
                    .to_string(),
        },
    ]
}

fn gateway_kind(kind: GatewayKind) -> &'static str {
    match kind {
        GatewayKind::Vpn => "VPN",
        GatewayKind::ExpressRoute => "ExpressRoute",
    }
}
