//! Findings about SKU, identity and practice: SKU-UPGRADE, SKU-CAPACITY, CAF-R1, R2, R3,
//! R4, R6, R7, R8, R9, JIT-3, RBAC-SHARE and RBAC-DEV, attached where rules.md §8 says
//! (the Bastion, the VM, the principal or "design").

use super::rbac::{bastion_res, vnet_res, Assignments, DeniedGroup, DeniedSummary, Need};
use super::sku::{instances_needed, MAX_INSTANCES, MIN_INSTANCES};
use super::{
    concat, finding, Analysis, CompactAccess, Finding, FixAction, Index, PathKind, RuleId, Severity, SkuAdvice,
};
use crate::model::{BastionSku, GatewayKind, Os, SignIn};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The findings of this family, with CAF-R7's denied results already grouped by the RBAC
/// pass (`rbac::analyze_rbac_with_denied`). `sku` and `rbac` are the SKU advice and RBAC
/// results of `analysis` (passed apart: a native analysis makes them on one thread while
/// another reads `analysis`, whose reach verdicts this family reads too).
pub fn advice_findings_with(
    index: &Index,
    analysis: &Analysis,
    sku: &[SkuAdvice],
    rbac: &[CompactAccess],
    denied: &[DeniedSummary],
    out: &mut Vec<Finding>,
) {
    // Room for the whole family at once: `out` already holds the network findings, and
    // growing it later moves 10³ findings (CAF-R8, JIT-3) again. At most six a Bastion (SKU
    // upgrade and capacity, CAF-R1 or R6, RBAC-SHARE, RBAC-DEV, CAF-R4) and three for the design.
    let design = index.design;
    let per_vm: usize =
        index.vm_facts.iter().map(|vm| usize::from(linux_keys(vm)) + usize::from(vm.jit_policy())).sum();
    out.reserve(per_vm + denied.len() + 6 * design.bastions.len() + 3);
    sku_findings(index, sku, out);
    practice_findings(index, out);
    identity_findings(index, rbac, denied, out);
    pattern_findings(index, analysis, out);
}

/// SKU-UPGRADE and SKU-CAPACITY, on the Bastion.
fn sku_findings(index: &Index, sku: &[SkuAdvice], out: &mut Vec<Finding>) {
    let design = index.design;
    for advice in sku {
        let Some(&b) = index.bastion_by_name.get(advice.bastion.as_str()) else { continue };
        let bastion = &design.bastions[b];
        if advice.current < advice.least {
            let because: Vec<&str> =
                advice.reasons.iter().filter(|r| r.needs > advice.current).map(|r| r.because.as_str()).collect();
            let mut f = finding(
                RuleId::SkuUpgrade,
                Severity::Error,
                &bastion.name,
                format!(
                    "{} is {} but the design needs {}: {}",
                    bastion.name,
                    advice.current.name(),
                    advice.least.name(),
                    because.join("; ")
                ),
                format!("{}.", capitalize(&advice.upgrade_path)),
            );
            f.fix_action = Some(FixAction::SetBastionSku { bastion: bastion.name.clone(), sku: advice.least });
            out.push(f);
        } else if bastion.sku.is_dedicated() && advice.current > advice.enough {
            out.push(finding(
                RuleId::SkuUpgrade,
                Severity::Info,
                &bastion.name,
                format!(
                    "{} is {} but nothing in the design needs more than {}",
                    bastion.name,
                    advice.current.name(),
                    advice.enough.name()
                ),
                "Keep it if the features are planned; a downgrade is never possible in place: delete and redeploy."
                    .to_string(),
            ));
        }

        if bastion.expected_rdp_sessions.is_none() && bastion.expected_ssh_sessions.is_none() {
            continue;
        }
        let rdp = bastion.expected_rdp_sessions.unwrap_or(0);
        let ssh = bastion.expected_ssh_sessions.unwrap_or(0);
        let answer = instances_needed(bastion.sku, rdp, ssh);
        let sessions = format!("{rdp} RDP / {ssh} SSH expected sessions");
        match bastion.sku {
            BastionSku::Developer | BastionSku::Basic if !answer.fits => {
                let mut f = finding(
                    RuleId::SkuCapacity,
                    Severity::Error,
                    &bastion.name,
                    format!(
                        "{}: {sessions} exceed what {} carries. {}",
                        bastion.name,
                        bastion.sku.name(),
                        answer.message
                    ),
                    if answer.instances > MAX_INSTANCES {
                        format!(
                            "Upgrade to Standard and set {MAX_INSTANCES} instances; the {} instances these sessions need are more than one Bastion scales to: the design needs another Bastion (split the users or targets between two hosts).",
                            answer.instances
                        )
                    } else {
                        format!("Upgrade to Standard and set {} instances.", answer.instances.max(MIN_INSTANCES))
                    },
                );
                f.fix_action =
                    Some(FixAction::SetBastionSku { bastion: bastion.name.clone(), sku: BastionSku::Standard });
                out.push(f);
            }
            BastionSku::Standard | BastionSku::Premium if answer.instances > MAX_INSTANCES => out.push(finding(
                RuleId::SkuCapacity,
                Severity::Error,
                &bastion.name,
                format!("{}: {sessions} need {} instances, more than 50", bastion.name, answer.instances),
                "The design needs another Bastion: split the users or targets between two hosts.".to_string(),
            )),
            BastionSku::Standard | BastionSku::Premium if answer.instances > bastion.scale_units => {
                let mut f = finding(
                    RuleId::SkuCapacity,
                    Severity::Warning,
                    &bastion.name,
                    format!(
                        "{}: {sessions} need {} instances but {} are configured",
                        bastion.name, answer.instances, bastion.scale_units
                    ),
                    format!("Set {} instances (host scaling; changing it disrupts active sessions).", answer.instances),
                );
                f.fix_action =
                    Some(FixAction::SetScaleUnits { bastion: bastion.name.clone(), scale_units: answer.instances });
                out.push(f);
            }
            _ => {}
        }
    }
}

/// CAF-R1, CAF-R6 (Bastion), CAF-R8, JIT-3 (VM).
fn practice_findings(index: &Index, out: &mut Vec<Finding>) {
    let design = index.design;
    let central = design.log_workspaces.iter().find(|w| w.central);
    for bastion in &design.bastions {
        if bastion.sku == BastionSku::Developer {
            out.push(finding(
                RuleId::CafR1,
                Severity::Warning,
                &bastion.name,
                format!(
                    "{} is a Developer Bastion: a shared, free host for sandbox and test, not for production",
                    bastion.name
                ),
                "For production use Standard or Premium (landing-zone guidance).".to_string(),
            ));
            continue;
        }
        let logged = bastion.diagnostics_workspace.as_deref().is_some_and(|w| index.workspace_by_name.contains_key(w));
        if !logged {
            let mut f = finding(
                RuleId::CafR6,
                Severity::Warning,
                &bastion.name,
                format!(
                    "{} sends no BastionAuditLogs to a Log Analytics workspace: sessions leave no audit trail",
                    bastion.name
                ),
                match central {
                    Some(w) => format!(
                        "Add a diagnostic setting sending BastionAuditLogs to the central workspace {}.",
                        w.name
                    ),
                    None => "Add a diagnostic setting sending BastionAuditLogs to the central Log Analytics workspace."
                        .to_string(),
                },
            );
            if let Some(w) = central {
                f.fix_action =
                    Some(FixAction::SetDiagnostics { bastion: bastion.name.clone(), workspace: w.name.clone() });
            }
            out.push(f);
        }
    }
    // 10³ findings below: their texts are joined at their size (`concat`), not formatted.
    // VNet by VNet: VM names mostly follow their VNet's (vm-0010-weu-000, -001, ...), so
    // these 10³ findings arrive nearly in the name order the final sort wants, in runs it
    // passes through instead of sorting (the design lists VMs in any order).
    let located = index.vms_by_vnet.iter().flatten().copied();
    let elsewhere = (0..design.vms.len()).filter(|&vm| index.vm_location(vm).is_none());
    // A VNet's VMs share their subscription: the last one's answer is tried before the map.
    let mut last_subscription = None;
    for idx in located.chain(elsewhere) {
        // Most VMs raise neither finding: their facts say so without reading the VM.
        let facts = index.vm_facts[idx];
        if !linux_keys(&facts) && !facts.jit_policy() {
            continue;
        }
        let vm = &design.vms[idx];
        if linux_keys(&facts) {
            let how = if vm.sign_in == SignIn::Password { "a password" } else { "an SSH key kept outside Key Vault" };
            out.push(finding(
                RuleId::CafR8,
                Severity::Warning,
                &vm.name,
                concat(&[&vm.name, " (Linux) signs in with ", how]),
                "Store the SSH private key in Key Vault (or sign in with Entra ID).",
            ));
        }
        if !facts.jit_policy() {
            continue;
        }
        // The VM's subscription id as written: its VNet's copy when they are equal
        // (`VmFacts::in_vnet_group`), the same text from a VNet in cache, not the VM's own.
        let id = match index.vm_location(idx) {
            Some((v, _)) if facts.in_vnet_group() => design.vnets[v].subscription.as_str(),
            _ => vm.subscription.as_str(),
        };
        let subscription = match last_subscription {
            Some((last, subscription)) if last == id => subscription,
            _ => {
                let subscription = index.subscription_idx(id).map(|s| &design.subscriptions[s]);
                last_subscription = Some((id, subscription));
                subscription
            }
        };
        if !subscription.is_some_and(|s| s.defender_for_servers_p2) {
            let mut f = finding(
                RuleId::Jit3,
                Severity::Error,
                &vm.name,
                concat(&[
                    &vm.name,
                    " has a JIT policy but its subscription ",
                    id,
                    " does not have Defender for Servers Plan 2",
                ]),
                concat(&["Turn on Defender for Servers Plan 2 on ", id, ", or remove the JIT policy."]),
            );
            // Mechanical when the subscription is in the design (`fixes` would say the same).
            if subscription.is_some() {
                f.fix_action = Some(FixAction::EnableDefenderForServers { subscription: id.to_string() });
            }
            out.push(f);
        }
    }
}

/// CAF-R8's VMs: Linux signing in with a password or an SSH key outside Key Vault.
fn linux_keys(vm: &super::index::VmFacts) -> bool {
    vm.os == Os::Linux && vm.secret_outside_vault()
}

/// One CAF-R7 remedy group of a principal: its sentence, its fixes, and the role
/// assignments that grant every failing requirement (None when one is not a role).
type Remedy<'a> = (String, Vec<&'a str>, Option<&'a [super::Grant]>);

/// Remedy groups CAF-R7 spells out per principal; the others are counted.
pub const CAF_R7_SPELLED: usize = 5;

/// The sentence, fixes and granting role assignments of one remedy group.
fn remedy<'a>(index: &Index, rbac: &[CompactAccess], principal: &str, group: &'a DeniedGroup) -> Remedy<'a> {
    let design = index.design;
    let fixes: Vec<&str> = group.failing.iter().map(|c| c.fix.as_str()).collect();
    let mut bastions: Vec<&str> =
        group.members.iter().map(|&pos| design.bastions[rbac[pos].bastion as usize].name.as_str()).collect();
    crate::util::sort(&mut bastions);
    bastions.dedup();
    let target = |pos: usize| design.vms[rbac[pos].vm as usize].name.as_str();
    let mut message = String::with_capacity(256);
    let _ = write!(message, "{principal} holds a role on ");
    match group.members.as_slice() {
        [only] => {
            let _ = write!(message, "{} but cannot connect to it through ", target(*only));
        }
        members => {
            let _ = write!(message, "{} VMs (", members.len());
            for (n, &pos) in members.iter().take(5).enumerate() {
                message.push_str(if n == 0 { "" } else { ", " });
                message.push_str(target(pos));
            }
            if members.len() > 5 {
                let _ = write!(message, " and {} more", members.len() - 5);
            }
            message.push_str(") but cannot connect to them through ");
        }
    }
    for (n, name) in bastions.iter().enumerate() {
        message.push_str(if n == 0 { "" } else { ", " });
        message.push_str(name);
    }
    message.push_str(": ");
    let mut failing: Vec<&str> = group.failing.iter().map(|c| c.rule.as_str()).collect();
    crate::util::sort(&mut failing);
    failing.dedup();
    message.push_str(&failing.join(", "));
    message.push_str(" missing");
    for (n, g) in group.missing.iter().enumerate() {
        message.push_str(if n == 0 { " (" } else { ", " });
        let _ = write!(message, "{} on {}", g.role.name(), g.scope.rsplit('/').next().unwrap_or(&g.scope));
    }
    if !group.missing.is_empty() {
        message.push(')');
    }
    // Mechanical when every failing requirement has a role assignment that grants it
    // (a Key Vault access policy or a VM extension is not one).
    let every_check_granted =
        !group.missing.is_empty() && group.failing.iter().all(|c| group.missing.iter().any(|g| g.rule == c.rule));
    let action = every_check_granted.then_some(group.missing.as_slice());
    (message, fixes, action)
}

/// CAF-R7 (principal), RBAC-SHARE and RBAC-DEV (Bastion).
fn identity_findings(index: &Index, rbac: &[CompactAccess], summaries: &[DeniedSummary], out: &mut Vec<Finding>) {
    let design = index.design;
    // Denied results with the same remedy (same failing fixes, e.g. Reader on one hub VNet)
    // make one sentence naming their VMs. An estate with scattered roles gives 10⁴ such
    // groups and a person reads a few: the first ones are spelled out, the rest counted
    // (every result stays in the RBAC results, spelled out on demand).
    // One finding per principal (the page addresses it by rule and resource): its groups'
    // sentences in order, each fix once, the first single fix as its action.
    for summary in summaries {
        let principal = design.users[summary.user].name.as_str();
        let mut list: Vec<Remedy> = summary.groups.iter().map(|group| remedy(index, rbac, principal, group)).collect();
        // In message order (then fixes), as the findings' sort would put them.
        crate::util::sort_by(&mut list, |a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let mut message = String::new();
        if summary.more_results > 0 {
            let _ = write!(
                message,
                "{principal} holds a role on {} VMs it cannot connect to, with {} different remedies; the first {}: ",
                summary.denied,
                summary.groups.len() + summary.more_groups,
                summary.groups.len()
            );
        }
        // At most five groups of a few fixes each: each text is looked for in a short list
        // (a hash set per principal allocated and grew for a handful of entries).
        let mut fixes: Vec<&str> = Vec::new();
        let mut seen: Vec<&str> = Vec::with_capacity(list.len());
        for (text, group_fixes, _) in &list {
            if !seen.contains(&text.as_str()) {
                message.push_str(if seen.is_empty() { "" } else { " " });
                message.push_str(text);
                seen.push(text);
            }
            for &fix in group_fixes {
                if !fixes.contains(&fix) {
                    fixes.push(fix);
                }
            }
        }
        let mut fix = fixes.join("; ");
        if summary.more_results > 0 {
            let _ = write!(
                message,
                " And {} more VMs with other missing requirements (each listed in {principal}'s RBAC results).",
                summary.more_results
            );
            let _ =
                write!(fix, "; for the other {} VMs, the assignments their RBAC results name", summary.more_results);
        }
        let mut f = finding(RuleId::CafR7, Severity::Warning, principal, message, fix);
        // The grants of every mechanical group spelled out, each once, as one edit (a single
        // grant is its own action); groups that need more than roles are left to their sentences.
        let mut seen_grant: Vec<(&str, crate::model::Role, &str)> = Vec::new();
        let mut actions: Vec<FixAction> = Vec::new();
        for grant in list.iter().filter_map(|it| it.2).flatten() {
            let key = (grant.principal.as_str(), grant.role, grant.scope.as_str());
            if !seen_grant.contains(&key) {
                seen_grant.push(key);
                actions.push(FixAction::AddRoleAssignment {
                    principal: grant.principal.clone(),
                    role: grant.role,
                    scope: grant.scope.clone(),
                });
            }
        }
        f.fix_action = match actions.len() {
            0 => None,
            1 => actions.pop(),
            _ => Some(FixAction::Batch { actions }),
        };
        out.push(f);
    }

    let shares = design.bastions.iter().any(|b| b.features.shareable_link);
    let undeployed = design.bastions.iter().any(|b| b.sku == BastionSku::Developer && !b.deployed);
    if !shares && !undeployed {
        return;
    }
    let assignments = Assignments::new(index);
    for (b, bastion) in design.bastions.iter().enumerate() {
        if bastion.features.shareable_link {
            let holders = assignments.holders(Need::ShareableLinks, &bastion_res(index, b));
            let (severity, message) = if holders.is_empty() {
                (Severity::Info, format!("Shareable links are on for {} and nobody may create them (no Owner, Contributor or Network Contributor covers it)", bastion.name))
            } else {
                (
                    Severity::Info,
                    format!(
                        "Shareable links are on for {}: {} may create links that give standing access without Azure credentials",
                        bastion.name,
                        holders.join(", ")
                    ),
                )
            };
            out.push(finding(
                RuleId::RbacShare,
                severity,
                &bastion.name,
                message,
                "Keep the creators few (a custom role with createShareableLinks/getShareableLinks/deleteShareableLinks); audit enableShareableLink with Azure Policy.".to_string(),
            ));
        }
        if bastion.sku == BastionSku::Developer && !bastion.deployed {
            let Some(vnet) = index.bastion_vnet[b] else { continue };
            let writers = assignments.holders(Need::VnetWrite, &vnet_res(design, vnet));
            let vnet_name = &design.vnets[vnet].name;
            out.push(if writers.is_empty() {
                finding(
                    RuleId::RbacDev,
                    Severity::Error,
                    &bastion.name,
                    format!(
                        "{} is not deployed yet and nobody has write on {vnet_name} (Network Contributor, Contributor or Owner) to deploy it on first connection",
                        bastion.name
                    ),
                    format!("Assign Network Contributor on {vnet_name} to whoever connects first."),
                )
            } else {
                finding(
                    RuleId::RbacDev,
                    Severity::Info,
                    &bastion.name,
                    format!(
                        "{} is not deployed yet: the first connection must come from {} (write on {vnet_name})",
                        bastion.name,
                        writers.join(", ")
                    ),
                    "Let one of them connect first; everyone else needs only Reader on the VM and its NIC.".to_string(),
                )
            });
        }
    }
}

/// CAF-R2, R3, R4 and R9: the pattern the design follows and its access consequence.
fn pattern_findings(index: &Index, analysis: &Analysis, out: &mut Vec<Finding>) {
    let design = index.design;
    let has_bastion = !design.bastions.is_empty();
    let hybrid_gateways: Vec<&str> = design
        .gateways
        .iter()
        .filter(|g| design.site_connections.iter().any(|c| c.gateway == g.name))
        .map(|g| g.name.as_str())
        .collect();
    // A path from on-premises is a gateway with a site connected (a gateway alone leads
    // nowhere: CAF-R2 does not call that design hybrid either).
    let has_gateway = !hybrid_gateways.is_empty();

    if has_bastion && !has_gateway {
        out.push(finding(
            RuleId::CafR9,
            Severity::Info,
            "design",
            "The design has Bastion but no VPN or ExpressRoute path: no alternative route for emergency (break-glass) access".to_string(),
            "Keep a VPN or ExpressRoute path beside Bastion for break-glass access, or accept the single path.".to_string(),
        ));
    } else if has_gateway && !has_bastion {
        out.push(finding(
            RuleId::CafR9,
            Severity::Info,
            "design",
            "The design has a VPN or ExpressRoute path but no Bastion: no break-glass access if the hybrid link fails"
                .to_string(),
            "Deploy a Bastion beside the VPN or ExpressRoute path for break-glass access.".to_string(),
        ));
    }

    if !hybrid_gateways.is_empty() {
        let kinds: BTreeSet<&str> = crate::util::btree_set(
            design.gateways.iter().filter(|g| hybrid_gateways.contains(&g.name.as_str())).map(|g| {
                if g.kind == GatewayKind::Vpn {
                    "VPN"
                } else {
                    "ExpressRoute"
                }
            }),
        );
        out.push(finding(
            RuleId::CafR2,
            Severity::Info,
            "design",
            format!(
                "Hybrid design: on-premises sites connect through {} ({}); on-premises administrators can reach VMs over that private path",
                kinds.into_iter().collect::<Vec<_>>().join(" and "),
                hybrid_gateways.join(", ")
            ),
            "Let on-premises admins use the ExpressRoute/VPN path; keep Bastion for remote and break-glass access.".to_string(),
        ));
    }

    // Virtual WAN: which connected VNets hold Bastions, which hold VMs.
    if !design.hub_connections.is_empty() && has_bastion {
        let connected: Vec<usize> =
            (0..design.vnets.len()).filter(|&v| index.vnet_hub.get(v).copied().flatten().is_some()).collect();
        let with_vms: Vec<usize> = connected.iter().copied().filter(|&v| !index.vms_by_vnet[v].is_empty()).collect();
        // Dedicated Bastions only: a Developer host serves its own VNet alone (no IP-based
        // connection) and needs no Reader on it (RBAC-DEV).
        let dedicated = |b: &usize| design.bastions[*b].sku.is_dedicated();
        let hosts: Vec<usize> = (0..design.bastions.len())
            .filter(dedicated)
            .filter(|&b| index.bastion_vnet[b].is_some_and(|v| connected.contains(&v)))
            .collect();
        let with_bastion: BTreeSet<usize> = crate::util::btree_set(hosts.iter().filter_map(|&b| index.bastion_vnet[b]));
        if !with_bastion.is_empty() && !with_vms.is_empty() {
            let per_spoke = with_vms.iter().all(|v| with_bastion.contains(v));
            let message = if per_spoke {
                "Virtual WAN with a Bastion per spoke: each spoke's users need Reader only on their own Bastion and VNet".to_string()
            } else {
                // The central Bastions are those that reach other spokes: IP-based connection,
                // Standard or Premium with the toggle on (R-VWAN); the others serve their own
                // spoke (and its direct peers) only.
                let central: BTreeSet<usize> = crate::util::btree_set(hosts.iter().filter_map(|&b| {
                    let it = &design.bastions[b];
                    index.bastion_vnet[b].filter(|_| it.features.ip_connect && it.sku >= BastionSku::Standard)
                }));
                let vnet_names = |set: &BTreeSet<usize>| {
                    set.iter().map(|&v| design.vnets[v].name.as_str()).collect::<Vec<_>>().join(", ")
                };
                if central.is_empty() {
                    format!(
                        "Virtual WAN with Bastions in {} but none with IP-based connection on: each reaches only its own VNet and VNets peered directly with it, not the other spokes",
                        vnet_names(&with_bastion)
                    )
                } else {
                    format!(
                        "Virtual WAN with a central Bastion in {}: it reaches the other spokes only by IP-based connection, and users need Reader on the Bastion and on that spoke VNet (a compliance consideration)",
                        vnet_names(&central)
                    )
                }
            };
            out.push(finding(
                RuleId::CafR3,
                Severity::Info,
                "design",
                message,
                "Choose per-spoke Bastions if granting Reader on the central spoke is not acceptable.".to_string(),
            ));
        }
    }

    // Hub and spoke: a dedicated Bastion whose VNet has Connected peerings to VNets with VMs.
    // One spoke is enough: the access consequence (Reader on the hub VNet, RBAC-VNET) is the
    // same, and Microsoft's own smallest hub and spoke (the bastion-hub-spoke-vnet
    // quickstart) has a single spoke.
    let peers = index.connected_peers();
    for (b, bastion) in design.bastions.iter().enumerate() {
        // A Developer host serves no peered VNet (R-PEER) and needs no Reader on it
        // (RBAC-DEV): it is no hub Bastion, whatever its VNet's peerings.
        let Some(hub) = index.bastion_vnet[b].filter(|_| bastion.sku.is_dedicated()) else { continue };
        // Counted, not collected: a list per Bastion only to count it.
        let spokes = || peers[hub].iter().copied().filter(|&v| !index.vms_by_vnet[v].is_empty());
        let spoke_count = spokes().count();
        if spoke_count >= 1 {
            let served = analysis
                .reach
                .get(b)
                // A broken or cross-tenant peering is a Peer path blocked by R-PEER: no path.
                .map(|r| {
                    spokes()
                        .filter(|&v| {
                            r.vnet_paths
                                .get(v)
                                .is_some_and(|p| p.kind == PathKind::Peer && p.blocker != Some(RuleId::RPeer))
                        })
                        .count()
                })
                .unwrap_or(spoke_count);
            out.push(finding(
                RuleId::CafR4,
                Severity::Info,
                "design",
                format!(
                    "Hub and spoke: {} in {} serves {} peered spoke(s) ({} with a network path); users need Reader on the Bastion and on {} (the hub VNet), which reveals the hub's topology",
                    bastion.name,
                    design.vnets[hub].name,
                    spoke_count,
                    served,
                    design.vnets[hub].name
                ),
                "If Reader on the hub is not acceptable, deploy a Bastion (Basic or Standard) in each spoke that needs remote access.".to_string(),
            ));
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
