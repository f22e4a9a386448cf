//! Bastion health: B-HEALTH-1…8 in the order of rules.md §8, including the eight
//! required AzureBastionSubnet NSG rows of §5 (B-HEALTH-4) with generated fixes.
//!
//! `required_bastion_rules` and `missing_bastion_rules` are public so the page's NSG
//! helper and the Fix buttons judge an NSG exactly as the verdicts do.

use super::graph::Net;
use super::nsg_eval::{self, free_priority, Flow, NsgDecision, SourceMatch, TagView};
use super::{concat, BastionHealth, Check, Index, Outcome, RuleId};
use crate::model::nsg::{AddressPrefix, ServiceTag};
use crate::model::BASTION_SUBNET;
use crate::model::{Access, BastionSku, Cidr, Direction, IpAllocation, IpVersion, NsgRule, Protocol, PublicIpSku};

/// One row of rules.md §5. `Side` is the AzureBastionSubnet itself: the table's "any" on
/// the subnet's side of the flow (the source of outbound rows, the destination of inbound
/// rows), so that a rule naming `VirtualNetwork` or the subnet prefix takes part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEnd {
    Side,
    Tag(ServiceTag),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequiredRow {
    pub direction: Direction,
    pub source: RowEnd,
    pub destination: RowEnd,
    pub ports: &'static [u16],
    /// Rows marked TCP in §5 (the others accept any protocol that admits TCP).
    pub tcp: bool,
    pub purpose: &'static str,
    /// The name of the rule the engine generates for it (as in Microsoft's article).
    pub rule_name: &'static str,
}

const fn tag(t: ServiceTag) -> RowEnd {
    RowEnd::Tag(t)
}

/// The eight required rows, in the order of rules.md §5.
pub const REQUIRED_ROWS: [RequiredRow; 8] = [
    RequiredRow {
        direction: Direction::Inbound,
        source: tag(ServiceTag::Internet),
        destination: RowEnd::Side,
        ports: &[443],
        tcp: true,
        purpose: "user sessions",
        rule_name: "AllowHttpsInbound",
    },
    RequiredRow {
        direction: Direction::Inbound,
        source: tag(ServiceTag::GatewayManager),
        destination: RowEnd::Side,
        ports: &[443],
        tcp: true,
        purpose: "control plane",
        rule_name: "AllowGatewayManagerInbound",
    },
    RequiredRow {
        direction: Direction::Inbound,
        source: tag(ServiceTag::VirtualNetwork),
        destination: tag(ServiceTag::VirtualNetwork),
        ports: &[8080, 5701],
        tcp: false,
        purpose: "data plane",
        rule_name: "AllowBastionHostCommunication",
    },
    RequiredRow {
        direction: Direction::Inbound,
        source: tag(ServiceTag::AzureLoadBalancer),
        destination: RowEnd::Side,
        ports: &[443],
        tcp: true,
        purpose: "health probes",
        rule_name: "AllowAzureLoadBalancerInbound",
    },
    RequiredRow {
        direction: Direction::Outbound,
        source: RowEnd::Side,
        destination: tag(ServiceTag::VirtualNetwork),
        ports: &[22, 3389],
        tcp: false,
        purpose: "sessions to targets",
        rule_name: "AllowSshRdpOutbound",
    },
    RequiredRow {
        direction: Direction::Outbound,
        source: RowEnd::Side,
        destination: tag(ServiceTag::AzureCloud),
        ports: &[443],
        tcp: true,
        purpose: "diagnostics, metering",
        rule_name: "AllowAzureCloudOutbound",
    },
    RequiredRow {
        direction: Direction::Outbound,
        source: tag(ServiceTag::VirtualNetwork),
        destination: tag(ServiceTag::VirtualNetwork),
        ports: &[8080, 5701],
        tcp: false,
        purpose: "data plane",
        rule_name: "AllowBastionCommunication",
    },
    RequiredRow {
        direction: Direction::Outbound,
        source: RowEnd::Side,
        destination: tag(ServiceTag::Internet),
        ports: &[80],
        tcp: false,
        purpose: "session and certificate validation",
        rule_name: "AllowHttpOutbound",
    },
];

impl RequiredRow {
    fn end_text(end: RowEnd) -> &'static str {
        match end {
            RowEnd::Side => "*",
            RowEnd::Tag(t) => t.name(),
        }
    }

    /// "Inbound Internet → * TCP 443 (user sessions)".
    pub fn describe(&self) -> String {
        let dir = match self.direction {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        };
        let ports: Vec<String> = self.ports.iter().map(|p| p.to_string()).collect();
        format!(
            "{dir} {} → {} {}{} ({})",
            RequiredRow::end_text(self.source),
            RequiredRow::end_text(self.destination),
            if self.tcp { "TCP " } else { "" },
            ports.join(","),
            self.purpose
        )
    }

    /// The rule that satisfies this row, at `priority`.
    pub fn to_rule(&self, name: String, priority: u32) -> NsgRule {
        NsgRule {
            name,
            priority,
            direction: self.direction,
            access: Access::Allow,
            protocol: if self.tcp { Protocol::Tcp } else { Protocol::Any },
            sources: vec![RequiredRow::end_text(self.source).to_string()],
            destinations: vec![RequiredRow::end_text(self.destination).to_string()],
            destination_ports: self.ports.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// How one required row fares in one NSG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    Satisfied,
    /// No rule allows it: Azure's DenyAll default decides.
    Missing,
    /// A custom Deny rule of higher priority decides (the rule is quoted).
    Shadowed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowStatus {
    /// Index into `REQUIRED_ROWS`.
    pub row: usize,
    pub state: RowState,
    /// For a failing row: a failing port and the rule that denied it — the custom deny of
    /// highest precedence over all the row's ports (the one a fix must outrank), else the
    /// first port Azure's defaults deny.
    pub denied: Option<(u16, NsgDecision)>,
}

impl RowStatus {
    pub fn required(&self) -> &'static RequiredRow {
        &REQUIRED_ROWS[self.row]
    }
}

/// A stand-in AzureBastionSubnet for an NSG attached to none (the page's helper on a
/// detached NSG): an isolated /26 that no design rule is expected to name.
const DETACHED_SUBNET: Cidr = Cidr { addr: 0x0AFF_FFC0, len: 26 };

/// The AzureBastionSubnet an NSG is attached to: (VNet index, subnet prefix).
fn bastion_subnet_of(index: &Index, nsg: usize) -> Option<(usize, Cidr)> {
    let name = index.design.nsgs.get(nsg)?.name.as_str();
    index.design.vnets.iter().enumerate().find_map(|(v, vnet)| {
        vnet.subnets.iter().find(|s| s.name == BASTION_SUBNET && s.nsg.as_deref() == Some(name)).map(|s| (v, s.prefix))
    })
}

/// Judges the eight rows of §5 in NSG `nsg` as rules.md §8 says: one TCP flow per port
/// from the row's source to its destination, first match wins, defaults included, and
/// only rules containing the row's whole source and destination take part.
pub(crate) fn rows_in(index: &Index, nsg: usize, view: &TagView, subnet: Cidr) -> Vec<RowStatus> {
    let subnet = AddressPrefix::Prefix(Cidr::new(subnet.network(), subnet.len));
    let end = |e: RowEnd| match e {
        RowEnd::Side => subnet,
        RowEnd::Tag(t) => AddressPrefix::Tag(t),
    };
    REQUIRED_ROWS
        .iter()
        .enumerate()
        .map(|(row, spec)| {
            // Every port is judged: the rule that fixes the row must outrank the custom deny
            // of highest precedence on any of its ports (22 denied at 300 and 3389 at 150:
            // an allow at 160 would still leave 3389 shadowed).
            let mut denied: Option<(u16, NsgDecision)> = None;
            for &port in spec.ports {
                let flow = Flow {
                    direction: spec.direction,
                    source: end(spec.source),
                    destination: end(spec.destination),
                    port,
                };
                let decision = nsg_eval::evaluate(index, nsg, view, &flow, SourceMatch::Contain);
                if decision.allowed() {
                    continue;
                }
                let outranks = match denied {
                    None => true,
                    Some((_, kept)) => {
                        !decision.is_default() && (kept.is_default() || decision.priority < kept.priority)
                    }
                };
                if outranks {
                    denied = Some((port, decision));
                }
            }
            let state = match denied {
                None => RowState::Satisfied,
                Some((_, d)) if d.is_default() => RowState::Missing,
                Some(_) => RowState::Shadowed,
            };
            RowStatus { row, state, denied }
        })
        .collect()
}

/// The eight required rows of §5 judged in NSG `nsg` (an index into `design.nsgs`), with
/// tags seen from the VNet of the AzureBastionSubnet it is attached to.
pub fn required_bastion_rules(index: &Index, nsg: usize) -> Vec<RowStatus> {
    if nsg >= index.design.nsgs.len() {
        return Vec::new();
    }
    let net = Net::new(index);
    match bastion_subnet_of(index, nsg) {
        Some((vnet, prefix)) => rows_in(index, nsg, &net.tag_view(vnet), prefix),
        None => {
            let local =
                nsg_eval::AddrSet::from_cidrs(&[DETACHED_SUBNET, Cidr::host(crate::model::Ipv4::AZURE_PLATFORM)]);
            rows_in(index, nsg, &TagView { local: &local, wan: None }, DETACHED_SUBNET)
        }
    }
}

/// The rules to add so that NSG `nsg` satisfies every row, named as Microsoft's article
/// names them and at priorities free in that NSG (above the rule that shadows a row).
pub fn missing_bastion_rules(index: &Index, nsg: usize) -> Vec<NsgRule> {
    rules_for_rows(index, nsg, &required_bastion_rules(index, nsg))
}

pub(crate) fn rules_for_rows(index: &Index, nsg: usize, rows: &[RowStatus]) -> Vec<NsgRule> {
    let Some(def) = index.design.nsgs.get(nsg) else {
        return Vec::new();
    };
    let mut added: Vec<NsgRule> = Vec::new();
    for status in rows.iter().filter(|r| r.state != RowState::Satisfied) {
        let spec = status.required();
        let used: Vec<u32> = def
            .rules
            .iter()
            .chain(added.iter())
            .filter(|r| r.direction == spec.direction)
            .map(|r| r.priority)
            .collect();
        let below = match status.denied {
            Some((_, d)) if !d.is_default() => d.priority,
            _ => 4097,
        };
        let mut name = spec.rule_name.to_string();
        let mut n = 2;
        while def.rules.iter().chain(added.iter()).any(|r| r.name.eq_ignore_ascii_case(&name)) {
            name = format!("{}{n}", spec.rule_name);
            n += 1;
        }
        added.push(spec.to_rule(name, free_priority(&used, below)));
    }
    added
}

/// The health of every Bastion, in design order.
pub fn analyze_health(index: &Index) -> Vec<BastionHealth> {
    let net = Net::new(index);
    (0..index.design.bastions.len()).map(|b| bastion_health(&net, b)).collect()
}

fn check(rule: RuleId, resource: &str, outcome: Outcome, found: String, fix: String) -> Check {
    Check { rule, resource: resource.to_string(), found, outcome, fix }
}

pub(crate) const RESERVED_DNS_ZONES: [&str; 6] = [
    "management.azure.com",
    "blob.core.windows.net",
    "core.windows.net",
    "vaultcore.windows.net",
    "vault.azure.net",
    "azure.com",
];

/// B-HEALTH-8, 1, 2, 3, 4, 5, 6, 7 for one Bastion, and its blocker.
pub(crate) fn bastion_health(net: &Net, b: usize) -> BastionHealth {
    let index = net.index;
    let design = index.design;
    let bastion = &design.bastions[b];
    let name = bastion.name.as_str();
    let dedicated = bastion.sku.is_dedicated();
    let developer_na = |rule: RuleId, what: &str| {
        check(rule, name, Outcome::Skip, format!("Not applicable: the Developer SKU {what}."), String::new())
    };
    let mut checks = Vec::with_capacity(8);

    // B-HEALTH-8
    match &bastion.virtual_hub {
        Some(hub) => checks.push(check(
            RuleId::BHealth8,
            name,
            Outcome::Fail,
            format!("{name} is placed in the Virtual WAN hub {hub}; Azure Bastion cannot be deployed in a vWAN hub."),
            format!(
                "Deploy {name} in a spoke VNet connected to {hub} instead (Standard or Premium with IP-based connection reaches the other spokes)."
            ),
        )),
        None => checks.push(check(
            RuleId::BHealth8,
            name,
            Outcome::Pass,
            concat(&[name, " is deployed in a VNet (", &bastion.vnet, "), not in a Virtual WAN hub."]),
            String::new(),
        )),
    }

    let vnet_idx = index.bastion_vnet.get(b).copied().flatten();
    let subnet_idx = index.bastion_subnet.get(b).copied().flatten();
    let vnet = vnet_idx.map(|v| &design.vnets[v]);
    let subnet = vnet.zip(subnet_idx).map(|(v, s)| &v.subnets[s]);
    let in_hub = bastion.virtual_hub.is_some();
    let not_in_vnet = |rule: RuleId| {
        check(rule, name, Outcome::Skip, format!("Not evaluated: {name} is not in a VNet."), String::new())
    };

    // B-HEALTH-1
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth1, "is not deployed into AzureBastionSubnet"));
    } else if in_hub {
        checks.push(not_in_vnet(RuleId::BHealth1));
    } else if let Some(vnet) = vnet {
        match subnet {
            None => {
                let near = vnet.subnets.iter().find(|s| s.name.eq_ignore_ascii_case(BASTION_SUBNET));
                let found = match near {
                    Some(s) => format!(
                        "{} has a subnet named '{}', not exactly '{BASTION_SUBNET}' (the name is case-sensitive).",
                        vnet.name, s.name
                    ),
                    None => format!(
                        "{} has no subnet named {BASTION_SUBNET}, which the {} SKU needs.",
                        vnet.name,
                        bastion.sku.name()
                    ),
                };
                checks.push(check(
                    RuleId::BHealth1,
                    &vnet.name,
                    Outcome::Fail,
                    found,
                    format!("Add a subnet named exactly {BASTION_SUBNET} (/26 or larger) to {} for {name}.", vnet.name),
                ));
            }
            Some(subnet) => {
                let v = vnet_idx.unwrap_or(usize::MAX);
                let squatters: Vec<&str> = index
                    .vms_by_vnet
                    .get(v)
                    .into_iter()
                    .flatten()
                    .filter(|&&vm| index.vm_location(vm).map(|(_, s)| Some(s)) == Some(subnet_idx))
                    .map(|&vm| design.vms[vm].name.as_str())
                    .collect();
                if squatters.is_empty() {
                    checks.push(check(
                        RuleId::BHealth1,
                        &vnet.name,
                        Outcome::Pass,
                        format!("{} has {BASTION_SUBNET} ({}) holding only the Bastion.", vnet.name, subnet.prefix),
                        String::new(),
                    ));
                } else {
                    checks.push(check(
                        RuleId::BHealth1,
                        &vnet.name,
                        Outcome::Fail,
                        format!(
                            "{BASTION_SUBNET} in {} also holds {} ({}); the subnet must hold only the Bastion.",
                            vnet.name,
                            if squatters.len() == 1 { "the NIC of VM" } else { "the NICs of VMs" },
                            squatters.join(", ")
                        ),
                        format!("Move {} to another subnet of {}.", squatters.join(", "), vnet.name),
                    ));
                }
            }
        }
    } else {
        checks.push(check(
            RuleId::BHealth1,
            name,
            Outcome::Fail,
            format!("{name} names the VNet '{}', which does not exist in the design.", bastion.vnet),
            format!("Place {name} in an existing VNet that has an {BASTION_SUBNET}."),
        ));
    }

    let subnet_label = vnet.map(|v| concat(&[&v.name, "/", BASTION_SUBNET])).unwrap_or_default();
    let no_subnet = |rule: RuleId| {
        check(rule, name, Outcome::Skip, format!("Not evaluated: there is no {BASTION_SUBNET}."), String::new())
    };

    // B-HEALTH-2
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth2, "has no AzureBastionSubnet"));
    } else if in_hub {
        checks.push(not_in_vnet(RuleId::BHealth2));
    } else if let Some(subnet) = subnet {
        let len = subnet.prefix.len;
        let (outcome, found, fix) = if len <= 26 {
            (Outcome::Pass, format!("{BASTION_SUBNET} is /{len} ({}), /26 or larger.", subnet.prefix), String::new())
        } else if len == 27 {
            (
                Outcome::Warn,
                format!(
                    "{BASTION_SUBNET} is /27 ({}): allowed only for hosts created before 2 November 2021, and the host cannot scale.",
                    subnet.prefix
                ),
                format!("Resize {subnet_label} to /26 or larger before scaling {name}."),
            )
        } else {
            (
                Outcome::Fail,
                format!("{BASTION_SUBNET} is /{len} ({}), smaller than the /26 Azure Bastion needs.", subnet.prefix),
                format!("Resize {subnet_label} to /26 or larger."),
            )
        };
        checks.push(check(RuleId::BHealth2, &subnet_label, outcome, found, fix));
    } else {
        checks.push(no_subnet(RuleId::BHealth2));
    }

    // B-HEALTH-3
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth3, "has no AzureBastionSubnet"));
    } else if in_hub {
        checks.push(not_in_vnet(RuleId::BHealth3));
    } else if let Some(subnet) = subnet {
        match &subnet.route_table {
            Some(rt) => checks.push(check(
                RuleId::BHealth3,
                &subnet_label,
                Outcome::Fail,
                format!(
                    "Route table {rt} is associated with {BASTION_SUBNET}; Azure rejects user-defined routes there."
                ),
                format!("Remove route table {rt} from {subnet_label}."),
            )),
            None => checks.push(check(
                RuleId::BHealth3,
                &subnet_label,
                Outcome::Pass,
                concat(&["No route table on ", BASTION_SUBNET, "."]),
                String::new(),
            )),
        }
    } else {
        checks.push(no_subnet(RuleId::BHealth3));
    }

    // B-HEALTH-4
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth4, "has no AzureBastionSubnet"));
    } else if in_hub {
        checks.push(not_in_vnet(RuleId::BHealth4));
    } else if let (Some(subnet), Some(v)) = (subnet, vnet_idx) {
        match subnet.nsg.as_deref() {
            None => checks.push(check(
                RuleId::BHealth4,
                &subnet_label,
                Outcome::Skip,
                concat(&["No NSG on ", BASTION_SUBNET, ": no required rules to check."]),
                String::new(),
            )),
            Some(nsg_name) => match index.nsg_by_name.get(nsg_name) {
                None => checks.push(check(
                    RuleId::BHealth4,
                    nsg_name,
                    Outcome::Fail,
                    format!("{BASTION_SUBNET} names the NSG {nsg_name}, which does not exist in the design."),
                    format!("Create {nsg_name} with the eight required rules, or detach it from {subnet_label}."),
                )),
                Some(&nsg) => {
                    let rows = rows_in(index, nsg, &net.tag_view(v), subnet.prefix);
                    checks.push(rows_check(index, nsg, &rows));
                }
            },
        }
    } else {
        checks.push(no_subnet(RuleId::BHealth4));
    }

    // B-HEALTH-5
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth5, "needs no public IP"));
    } else if bastion.sku == BastionSku::Premium && bastion.features.private_only {
        checks.push(check(
            RuleId::BHealth5,
            name,
            Outcome::Skip,
            "Not applicable: a private-only Premium Bastion has no public IP.".to_string(),
            String::new(),
        ));
    } else {
        let pip = bastion.public_ip.as_deref();
        let found_pip = pip.and_then(|p| index.public_ip_by_name.get(p)).map(|&i| &design.public_ips[i]);
        match (pip, found_pip) {
            (None, _) => checks.push(check(
                RuleId::BHealth5,
                name,
                Outcome::Fail,
                format!("{name} has no public IP; the {} SKU needs one (Standard, static, IPv4).", bastion.sku.name()),
                format!("Attach a Standard, static, IPv4 public IP to {name}."),
            )),
            (Some(p), None) => checks.push(check(
                RuleId::BHealth5,
                name,
                Outcome::Fail,
                format!("{name} names the public IP {p}, which does not exist in the design."),
                format!("Create {p} as a Standard, static, IPv4 public IP, or attach an existing one."),
            )),
            (Some(p), Some(ip)) => {
                let mut wrong = Vec::new();
                if ip.sku != PublicIpSku::Standard {
                    wrong.push("Basic SKU (needs Standard)");
                }
                if ip.allocation != IpAllocation::Static {
                    wrong.push("dynamic allocation (needs static)");
                }
                if ip.version != IpVersion::IPv4 {
                    wrong.push("IPv6 (needs IPv4)");
                }
                if wrong.is_empty() {
                    checks.push(check(
                        RuleId::BHealth5,
                        p,
                        Outcome::Pass,
                        concat(&["Public IP ", p, " is Standard, static, IPv4."]),
                        String::new(),
                    ));
                } else {
                    checks.push(check(
                        RuleId::BHealth5,
                        p,
                        Outcome::Fail,
                        format!("Public IP {p} of {name} has {}.", wrong.join(", ")),
                        format!("Replace {p} with a Standard, static, IPv4 public IP."),
                    ));
                }
            }
        }
    }

    // B-HEALTH-6 and B-HEALTH-7
    if !dedicated {
        checks.push(developer_na(RuleId::BHealth6, "is not deployed into the VNet"));
        checks.push(developer_na(RuleId::BHealth7, "is not deployed into the VNet"));
    } else if let (Some(v), Some(vnet)) = (vnet_idx, vnet) {
        let sources = default_route_sources(net, v);
        if sources.is_empty() {
            checks.push(check(
                RuleId::BHealth6,
                &vnet.name,
                Outcome::Pass,
                concat(&[
                    "No default route 0.0.0.0/0 reaches ",
                    &vnet.name,
                    ": the Bastion keeps direct internet egress.",
                ]),
                String::new(),
            ));
        } else {
            checks.push(check(
                RuleId::BHealth6,
                &vnet.name,
                Outcome::Fail,
                format!(
                    "A default route 0.0.0.0/0 reaches {}: {}. Bastion needs direct internet egress.",
                    vnet.name,
                    sources.join("; ")
                ),
                format!("Stop advertising 0.0.0.0/0 to {} (or move {name} to a VNet it does not reach).", vnet.name),
            ));
        }
        let linked: Vec<&str> = reserved_zones_linked(vnet).collect();
        if linked.is_empty() {
            checks.push(check(
                RuleId::BHealth7,
                &vnet.name,
                Outcome::Pass,
                concat(&["No private DNS zone with a name reserved by Azure Bastion is linked to ", &vnet.name, "."]),
                String::new(),
            ));
        } else {
            checks.push(check(
                RuleId::BHealth7,
                &vnet.name,
                Outcome::Fail,
                format!(
                    "{} links the private DNS zone{} {}, whose name Azure Bastion reserves.",
                    vnet.name,
                    if linked.len() == 1 { "" } else { "s" },
                    linked.join(", ")
                ),
                format!("Unlink {} from {} (use the privatelink.* zone names instead).", linked.join(", "), vnet.name),
            ));
        }
    } else {
        checks.push(not_in_vnet(RuleId::BHealth6));
        checks.push(not_in_vnet(RuleId::BHealth7));
    }

    let blocker = checks.iter().find(|c| c.outcome == Outcome::Fail).map(|c| c.rule);
    BastionHealth { bastion: name.to_string(), checks, blocker }
}

/// The B-HEALTH-4 check for an NSG on AzureBastionSubnet, listing every failing row.
fn rows_check(index: &Index, nsg: usize, rows: &[RowStatus]) -> Check {
    let design = index.design;
    let nsg_name = design.nsgs[nsg].name.as_str();
    let failing: Vec<&RowStatus> = rows.iter().filter(|r| r.state != RowState::Satisfied).collect();
    if failing.is_empty() {
        return check(
            RuleId::BHealth4,
            nsg_name,
            Outcome::Pass,
            concat(&[nsg_name, " on ", BASTION_SUBNET, " allows all eight required flows."]),
            String::new(),
        );
    }
    let problems: Vec<String> = failing
        .iter()
        .map(|r| match (r.state, r.denied) {
            (RowState::Shadowed, Some((port, d))) => {
                format!("{} is shadowed on port {port} by {}", r.required().describe(), d.quote(design))
            }
            _ => format!("{} is missing", r.required().describe()),
        })
        .collect();
    let added = rules_for_rows(index, nsg, rows);
    check(
        RuleId::BHealth4,
        nsg_name,
        Outcome::Fail,
        format!(
            "{nsg_name} on {BASTION_SUBNET} lacks {} of the eight required rules: {}. Azure rejects this NSG.",
            failing.len(),
            problems.join("; ")
        ),
        rows_fix_text(design, nsg_name, rows, &added),
    )
}

/// The denies that no free priority can outrank (one at 100, or every number above it
/// taken), as "DenyAll (priority 100)": the rules `rules_for_rows` generated for the rows
/// they shadow land below them, so adding those rules alone does not fix the NSG.
pub(crate) fn stuck_denies(design: &crate::model::Design, rows: &[RowStatus], added: &[NsgRule]) -> Vec<String> {
    let failing = rows.iter().filter(|r| r.state != RowState::Satisfied);
    let mut stuck: Vec<String> = Vec::new();
    for (status, new_rule) in failing.zip(added) {
        if let (RowState::Shadowed, Some((_, d))) = (status.state, status.denied) {
            let text = format!("{} (priority {})", d.rule_name(design), d.priority);
            if new_rule.priority >= d.priority && !stuck.contains(&text) {
                stuck.push(text);
            }
        }
    }
    stuck
}

/// "Add to nsg: A (priority 100), B (priority 110)[, and give D a larger priority number …]."
/// The fix sentence of B-HEALTH-4 and CAF-R5 for the same rows, so both say the same.
pub(crate) fn rows_fix_text(
    design: &crate::model::Design,
    nsg_name: &str,
    rows: &[RowStatus],
    added: &[NsgRule],
) -> String {
    let added_text: Vec<String> = added.iter().map(|r| format!("{} (priority {})", r.name, r.priority)).collect();
    let stuck = stuck_denies(design, rows, added);
    let moved = if stuck.is_empty() {
        String::new()
    } else {
        format!(", and give {} a larger priority number than these so it no longer shadows them", stuck.join(", "))
    };
    format!("Add to {nsg_name}: {}{moved}.", added_text.join(", "))
}

/// The rules to add as one edit, or None when adding them would not fix the NSG (a deny
/// must move first: `stuck_denies`), so no Fix button promises what it does not do.
pub(crate) fn rows_fix_action(
    design: &crate::model::Design,
    nsg_name: &str,
    rows: &[RowStatus],
    added: Vec<NsgRule>,
) -> Option<super::FixAction> {
    (!added.is_empty() && stuck_denies(design, rows, &added).is_empty())
        .then(|| super::FixAction::AddNsgRules { nsg: nsg_name.to_string(), rules: added })
}

/// Where a default route 0.0.0.0/0 reaching `vnet` comes from (B-HEALTH-6), as phrases.
/// Where a default route 0.0.0.0/0 that reaches a VNet comes from (B-HEALTH-6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefaultRouteOrigin {
    /// Site connection `conn` advertises it through gateway `gateway` in VNet `via` (the
    /// VNet itself, or a hub whose gateway it uses by gateway transit).
    Site { conn: usize, gateway: usize, via: usize },
    /// The Route Server in VNet `via` advertises it (the VNet itself, or a hub whose
    /// gateways it uses by gateway transit, which hands it the Route Server's routes too).
    RouteServer { via: usize },
    /// A secured hub propagates it over the VNet's hub connection.
    SecuredHub { hub: usize, conn: usize },
    /// Site connection `site_conn` advertises it to gateway `gateway` in Virtual WAN hub
    /// `hub`, which propagates it over the VNet's hub connection `conn`.
    HubSite { hub: usize, conn: usize, site_conn: usize, gateway: usize },
}

/// The private DNS zones linked to `vnet` whose names Azure Bastion reserves (B-HEALTH-7).
fn reserved_zones_linked(vnet: &crate::model::Vnet) -> impl Iterator<Item = &str> {
    vnet.private_dns_zones.iter().map(|z| z.as_str()).filter(|z| {
        let z = z.trim_end_matches('.');
        RESERVED_DNS_ZONES.iter().any(|r| r.eq_ignore_ascii_case(z))
    })
}

/// Whether a dedicated Bastion deployed into `vnet` would pass the VNet's own health checks
/// (B-HEALTH-6: no default route reaches it; B-HEALTH-7: no reserved DNS zone linked): where
/// consolidation may put one.
pub(crate) fn vnet_can_host_bastion(net: &Net, vnet: usize) -> bool {
    net.index.design.vnets.get(vnet).is_some_and(|it| reserved_zones_linked(it).next().is_none())
        && default_route_origins(net, vnet).is_empty()
}

/// Every origin of a default route reaching `vnet`, in a stable order.
pub(crate) fn default_route_origins<'a>(net: &Net<'a>, vnet: usize) -> Vec<DefaultRouteOrigin> {
    let index = net.index;
    let design = index.design;
    let mut origins = Vec::new();
    let advertising = |gateway: &'a str| {
        design
            .site_connections
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.gateway == gateway && c.advertises_default_route)
    };
    for via in std::iter::once(vnet).chain(net.transit[vnet].iter().copied()) {
        for &g in &net.gateways[via] {
            for (conn, _) in advertising(&design.gateways[g].name) {
                origins.push(DefaultRouteOrigin::Site { conn, gateway: g, via });
            }
        }
    }
    for via in std::iter::once(vnet).chain(net.transit[vnet].iter().copied()) {
        if design.vnets[via].route_server_default_route {
            origins.push(DefaultRouteOrigin::RouteServer { via });
        }
    }
    if let Some((hub, conn)) = index.vnet_hub[vnet] {
        if design.hub_connections[conn].propagate_default_route {
            if design.virtual_hubs[hub].secured {
                origins.push(DefaultRouteOrigin::SecuredHub { hub, conn });
            }
            // A branch (VPN or ExpressRoute site) advertising 0.0.0.0/0 to a gateway in the
            // hub: the hub hands it to the connections that propagate the default route.
            let hub_name = design.virtual_hubs[hub].name.as_str();
            for (g, gateway) in design.gateways.iter().enumerate().filter(|(_, g)| g.hub.as_deref() == Some(hub_name)) {
                for (site_conn, _) in advertising(&gateway.name) {
                    origins.push(DefaultRouteOrigin::HubSite { hub, conn, site_conn, gateway: g });
                }
            }
        }
    }
    origins
}

pub(crate) fn default_route_sources(net: &Net, vnet: usize) -> Vec<String> {
    let design = net.index.design;
    default_route_origins(net, vnet)
        .into_iter()
        .map(|origin| match origin {
            DefaultRouteOrigin::Site { conn, gateway, via } => {
                let (conn, gateway) = (&design.site_connections[conn], &design.gateways[gateway]);
                if via == vnet {
                    format!(
                        "site connection {} advertises 0.0.0.0/0 through gateway {} in {}",
                        conn.name, gateway.name, design.vnets[via].name
                    )
                } else {
                    format!(
                        "site connection {} advertises 0.0.0.0/0 through gateway {} in {}, used by gateway transit",
                        conn.name, gateway.name, design.vnets[via].name
                    )
                }
            }
            DefaultRouteOrigin::RouteServer { via } if via == vnet => {
                format!("the Route Server in {} advertises 0.0.0.0/0", design.vnets[vnet].name)
            }
            DefaultRouteOrigin::RouteServer { via } => format!(
                "the Route Server in {} advertises 0.0.0.0/0, learned by gateway transit",
                design.vnets[via].name
            ),
            DefaultRouteOrigin::SecuredHub { hub, conn } => format!(
                "secured hub {} propagates 0.0.0.0/0 over connection {}",
                design.virtual_hubs[hub].name, design.hub_connections[conn].name
            ),
            DefaultRouteOrigin::HubSite { hub, conn, site_conn, gateway } => format!(
                "site connection {} advertises 0.0.0.0/0 through gateway {} in Virtual WAN hub {}, which propagates it over connection {}",
                design.site_connections[site_conn].name,
                design.gateways[gateway].name,
                design.virtual_hubs[hub].name,
                design.hub_connections[conn].name
            ),
        })
        .collect()
}
