//! Synthetic estates of any size for benchmarks and property tests: regional hubs (VNet
//! hubs with gateways, or Virtual WAN hubs) with spokes, a mix of Bastion SKUs and
//! placements, NSGs, a few broken peerings, and principals with roles at every scope.
//!
//! Seeded and deterministic with a hand-written SplitMix64 (no `rand`: this ships in
//! wasm), and always valid: `model::validate` accepts every estate it generates.

use super::builder::{bastion_subnet_rules, rg_scope, subscription_scope, workload_rules, DesignBuilder};
use crate::model::*;

/// The size and shape of an estate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EstateParams {
    pub seed: u64,
    /// VNets, hubs included (at least 1).
    pub vnets: usize,
    /// VMs, spread over the spokes (capped by the spokes' address space).
    pub vms: usize,
    /// Bastion hosts: one per region's hub first, the rest in spokes (capped at one per VNet).
    pub bastions: usize,
    /// Users and groups together.
    pub principals: usize,
    /// Regions, each with its hub; every fourth one is a Virtual WAN hub.
    pub regions: usize,
}

impl EstateParams {
    /// 100 VNets, 2,000 VMs, 10 Bastions, 50 principals in 4 regions.
    pub fn small() -> EstateParams {
        EstateParams { seed: 1, vnets: 100, vms: 2_000, bastions: 10, principals: 50, regions: 4 }
    }

    /// The budget's enterprise estate: 1,000 VNets, 20,000 VMs, 100 Bastions, 500 principals.
    pub fn enterprise() -> EstateParams {
        EstateParams { seed: 1, vnets: 1_000, vms: 20_000, bastions: 100, principals: 500, regions: 10 }
    }

    pub fn with_seed(mut self, seed: u64) -> EstateParams {
        self.seed = seed;
        self
    }
}

/// SplitMix64: tiny, fast, good enough for shaping test data, identical on every target.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next_u64() % bound as u64) as usize
        }
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

const REGIONS: [(&str, &str); 12] = [
    ("westeurope", "weu"),
    ("northeurope", "neu"),
    ("eastus", "eus"),
    ("westus2", "wus2"),
    ("uksouth", "uks"),
    ("francecentral", "frc"),
    ("germanywestcentral", "gwc"),
    ("swedencentral", "sdc"),
    ("eastus2", "eus2"),
    ("southeastasia", "sea"),
    ("japaneast", "jpe"),
    ("australiaeast", "aue"),
];

fn region(r: usize) -> (String, String) {
    let (name, short) = REGIONS[r % REGIONS.len()];
    if r < REGIONS.len() {
        (name.to_string(), short.to_string())
    } else {
        // More regions than names: reuse a name with a suffix, still unique.
        (name.to_string(), format!("{short}{}", r / REGIONS.len()))
    }
}

fn ceil_log2(n: usize) -> u32 {
    if n <= 1 {
        0
    } else {
        usize::BITS - (n - 1).leading_zeros()
    }
}

fn cidr(addr: u32, len: u8) -> Cidr {
    Cidr::new(addr, len)
}

/// The address plan of one VNet: its space and the subnets carved from it.
struct Plan {
    space: Cidr,
    /// The first half: workloads.
    app: Cidr,
    /// Second half: AzureBastionSubnet /26, then GatewaySubnet /27.
    bastion: Cidr,
    gateway: Cidr,
}

fn plan(index: usize, len: u8) -> Plan {
    let size = 1u32 << (32 - len);
    let base = (10u32 << 24) + index as u32 * size;
    let half = base + size / 2;
    Plan { space: cidr(base, len), app: cidr(base, len + 1), bastion: cidr(half, 26), gateway: cidr(half + 64, 27) }
}

/// How an estate's role assignments are shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RbacShape {
    /// As landing zones are run: each operator team (a group) holds Reader, Virtual Machine
    /// User Login and Key Vault Secrets User on its spoke's resource group and Reader on the
    /// Bastion that serves it and on that Bastion's VNet; a minority of teams miss one of
    /// those (the classic hub-VNet or login-role gap), a few users hold a stray Reader on
    /// one VM, and platform operators read a landing-zone subscription and the hubs. Most
    /// (principal, VM) verdicts are granted, as in a working estate.
    Teams,
    /// Roles scattered at random scopes with no regard for what connecting needs: ~96% of
    /// the (principal, VM) verdicts are denied, in 10⁴ distinct remedies. Unrealistic, kept
    /// as the adversarial case for CAF-R7 and the RBAC pass (`generate_with_rbac`).
    Scattered,
}

/// Generates an estate with team-shaped RBAC (`RbacShape::Teams`). Deterministic: the same
/// parameters give the same design.
pub fn generate(params: &EstateParams) -> Design {
    generate_with_rbac(params, RbacShape::Teams)
}

/// Generates an estate with the given shape of role assignments.
pub fn generate_with_rbac(params: &EstateParams, shape: RbacShape) -> Design {
    let mut rng = SplitMix64::new(params.seed);
    let n = params.vnets.clamp(1, 65_536);
    let regions = params.regions.clamp(1, n.min(64));
    // Each VNet gets an equal slice of 10.0.0.0/8: /16 at most, /24 at least.
    let len = (8 + ceil_log2(n)).clamp(16, 24) as u8;
    let mut b = DesignBuilder::new(
        &format!("synthetic-{}-vnets-seed-{}", n, params.seed),
        &format!(
            "Synthetic estate: {n} VNets in {regions} regions, {} VMs, {} Bastions, {} principals (seed {}).",
            params.vms, params.bastions, params.principals, params.seed
        ),
    );
    b.subscription("sub-connectivity").subscription("sub-management");
    b.workspace("law-platform", "sub-management", "rg-management", true);
    // Landing-zone subscriptions, 50 spokes each.
    let lz_subs = n.div_ceil(50).max(1);
    for s in 0..lz_subs {
        b.subscription(&format!("sub-lz-{s:03}"));
    }
    if let Some(sub) = b.design.subscriptions.get_mut(2) {
        sub.defender_for_servers_p2 = true;
    }

    let is_vwan = |r: usize| r % 4 == 3;
    if (0..regions).any(is_vwan) {
        b.virtual_wan("vwan-contoso", "sub-connectivity", "rg-connectivity-vwan");
    }

    // VNets: index i < regions is region i's hub VNet (or, in a vWAN region, its central
    // Bastion spoke); the rest are spokes, assigned to regions round robin.
    let mut vnet_names = Vec::with_capacity(n);
    let mut plans = Vec::with_capacity(n);
    let mut hub_has_gateway = vec![false; regions];
    for i in 0..n {
        let r = i % regions;
        let (region_name, short) = region(r);
        let p = plan(i, len);
        let hub = i < regions;
        let (name, sub, rg) = if hub && !is_vwan(r) {
            (format!("vnet-hub-{short}"), "sub-connectivity".to_string(), format!("rg-connectivity-{short}"))
        } else if hub {
            // A Virtual WAN region's central Bastion lives in a spoke of its own (CAF R3).
            (format!("vnet-bastion-{short}"), "sub-connectivity".to_string(), format!("rg-bastion-{short}"))
        } else {
            let sub = format!("sub-lz-{:03}", (i / 50) % lz_subs);
            (format!("vnet-spoke-{i:04}-{short}"), sub, format!("rg-spoke-{i:04}-{short}"))
        };
        b.vnet(&name, &sub, &rg, &region_name, &p.space.to_string());
        let app_nsg = format!("nsg-snet-app-{}", name.trim_start_matches("vnet-"));
        b.subnet_nsg("snet-app", &p.app.to_string(), &app_nsg);
        if hub && !is_vwan(r) {
            b.subnet("GatewaySubnet", &p.gateway.to_string());
            hub_has_gateway[r] = true;
        }
        vnet_names.push(name);
        plans.push(p);
    }

    // Bastions: every region's hub first, then spokes spread evenly.
    let bastion_count = params.bastions.min(n);
    let mut bastion_at = vec![None::<BastionSku>; n];
    for (r, slot) in bastion_at.iter_mut().enumerate().take(regions.min(bastion_count)) {
        *slot = Some(if is_vwan(r) || rng.chance(70) { BastionSku::Standard } else { BastionSku::Premium });
    }
    let extra = bastion_count.saturating_sub(regions);
    let spokes = n - regions;
    if extra > 0 && spokes > 0 {
        let step = (spokes / extra).max(1);
        let mut placed = 0;
        let mut i = regions + rng.below(step);
        while placed < extra && i < n {
            let roll = rng.below(100);
            bastion_at[i] = Some(match roll {
                0..=59 => BastionSku::Basic,
                60..=84 => BastionSku::Standard,
                85..=94 => BastionSku::Developer,
                _ => BastionSku::Premium,
            });
            placed += 1;
            i += step;
        }
    }

    // The NSG and Bastion subnet of each VNet; the region's hub Bastion subnet is the
    // source the workload NSGs admit.
    let hub_bastion_source: Vec<String> = (0..regions).map(|r| plans[r].bastion.to_string()).collect();
    for i in 0..n {
        let r = i % regions;
        let name = vnet_names[i].clone();
        let own_bastion = bastion_at[i].filter(|sku| sku.is_dedicated());
        if own_bastion.is_some() {
            let nsg = format!("nsg-bas-{}", name.trim_start_matches("vnet-"));
            b.design.vnets[i].subnets.push(Subnet {
                name: BASTION_SUBNET.to_string(),
                prefix: plans[i].bastion,
                nsg: None,
                route_table: None,
            });
            // Most Bastion subnets carry the documented NSG; a few lack a rule (broken).
            if rng.chance(70) {
                let mut rules = bastion_subnet_rules();
                if rng.chance(5) {
                    rules.retain(|it| it.name != "AllowGatewayManagerInbound");
                }
                if let Some(subnet) = b.design.vnets[i].subnets.last_mut() {
                    subnet.nsg = Some(nsg.clone());
                }
                b.nsg(&nsg, &name, rules);
            }
        }
        let app_nsg = format!("nsg-snet-app-{}", name.trim_start_matches("vnet-"));
        let source = match bastion_at[i] {
            Some(BastionSku::Developer) => "168.63.129.16".to_string(),
            Some(_) => plans[i].bastion.to_string(),
            None => hub_bastion_source[r].clone(),
        };
        let mut rules = workload_rules(&source);
        if rng.chance(5) {
            // A stray deny in front of the Bastion rule: blocks SSH from everywhere.
            rules[0].priority = 200;
            rules.push(deny_ssh_rule());
        }
        b.nsg(&app_nsg, &name, rules);
    }

    // Hubs: gateways and on-premises sites; vWAN hubs with their connections.
    for r in 0..regions {
        let (region_name, short) = region(r);
        if is_vwan(r) {
            let hub = format!("vhub-{short}");
            let prefix = cidr((192u32 << 24) + (168 << 16) + (2 * r as u32) * 256, 23);
            b.virtual_hub(&hub, "vwan-contoso", &region_name, &prefix.to_string());
            b.hub_gateway(&format!("vpngw-{hub}"), GatewayKind::Vpn, &hub);
            for i in (r..n).step_by(regions) {
                b.hub_connection(&vnet_names[i], &hub);
            }
        } else {
            let kind = if rng.chance(50) { GatewayKind::Vpn } else { GatewayKind::ExpressRoute };
            let gw = format!("{}gw-hub-{short}", if kind == GatewayKind::Vpn { "vpn" } else { "er" });
            b.gateway(&gw, kind, &vnet_names[r]);
            let site = format!("site-dc-{short}");
            let site_prefix = cidr((172u32 << 24) + (16 << 16) + (r as u32) * 4096, 20);
            b.site(&site, &[&site_prefix.to_string()]);
            // Rarely, someone forces internet traffic on-premises (B-HEALTH-6).
            b.site_connection(&format!("conn-{gw}-{site}"), &gw, &site, rng.chance(8));
            let host = site_prefix.nth(10).map(|it| it.to_string()).unwrap_or_default();
            b.machine(&format!("srv-dc-{short}-01"), &site, &host, Os::Windows);
        }
    }

    // Peerings: spoke ↔ regional hub (gateway transit where the hub has a gateway), hubs
    // in a mesh; a few spokes have a broken peering.
    for i in regions..n {
        let r = i % regions;
        if is_vwan(r) {
            continue;
        }
        let (hub, spoke) = (vnet_names[r].clone(), vnet_names[i].clone());
        let roll = rng.below(100);
        let hub_link = b.link(&hub, &spoke);
        hub_link.allow_gateway_transit = hub_has_gateway[r];
        match roll {
            // Disconnected: the spoke side was deleted.
            0..=2 => b.design.deleted_peerings.push(DeletedPeering { from: spoke, to: hub }),
            // Initiated: the spoke side was never created.
            3 => (),
            _ => {
                let spoke_link = b.link(&spoke, &hub);
                spoke_link.use_remote_gateways = hub_has_gateway[r];
                spoke_link.allow_forwarded_traffic = true;
                // Access switched off on one side.
                spoke_link.allow_virtual_network_access = roll != 4;
            }
        }
    }
    let hubs: Vec<String> = (0..regions).filter(|r| !is_vwan(*r)).map(|r| vnet_names[r].clone()).collect();
    for (k, a) in hubs.iter().enumerate() {
        for other in &hubs[k + 1..] {
            b.peer(a, other);
        }
    }

    // Bastion hosts.
    let mut bastion_names = Vec::new();
    for i in 0..n {
        let Some(sku) = bastion_at[i] else { continue };
        let name = format!("bas-{}", vnet_names[i].trim_start_matches("vnet-").replace("bastion-", "central-"));
        let r = i % regions;
        let host = b.bastion(&name, &vnet_names[i], sku);
        if i < regions {
            host.features.ip_connect = true;
            host.features.native_client = true;
            host.expected_rdp_sessions = Some(60);
            host.expected_ssh_sessions = Some(100);
            host.scale_units = 3;
        }
        if is_vwan(r) {
            host.features.ip_connect = true;
        }
        if sku == BastionSku::Premium && i % 2 == 0 {
            host.features.session_recording = true;
        }
        if sku.is_dedicated() && (i * 7 + 3) % 10 != 0 {
            host.diagnostics_workspace = Some("law-platform".to_string());
        }
        bastion_names.push(name);
    }

    // VMs, spread evenly over the spokes (hubs hold none), capped by each subnet's room.
    let spoke_indexes: Vec<usize> = (regions..n).collect();
    let vm_targets = if spoke_indexes.is_empty() { vec![0] } else { spoke_indexes };
    let room = (1u64 << (32 - (len as u32 + 1))).saturating_sub(5).min(u32::MAX as u64) as usize;
    let mut per_vnet = vec![0usize; n];
    let mut key_vaults: Vec<Option<String>> = vec![None; n];
    for v in 0..params.vms {
        let i = vm_targets[v % vm_targets.len()];
        if per_vnet[i] >= room {
            continue;
        }
        let slot = per_vnet[i];
        per_vnet[i] += 1;
        let vnet = vnet_names[i].clone();
        let ip = Ipv4(plans[i].app.network() + 4 + slot as u32).to_string();
        let name = format!("vm-{}-{slot:03}", vnet.trim_start_matches("vnet-").trim_start_matches("spoke-"));
        let roll = rng.below(100);
        let (os, sign_in) = match roll {
            0..=34 => {
                let vault = key_vaults[i].get_or_insert_with(|| format!("kv-{i:04}")).clone();
                (Os::Linux, SignIn::SshKeyInKeyVault { vault })
            }
            35..=49 => (Os::Linux, SignIn::EntraId),
            50..=59 => (Os::Linux, SignIn::SshKey),
            60..=89 => (Os::Windows, SignIn::Password),
            _ => (Os::Windows, SignIn::EntraId),
        };
        let vm = b.vm(&name, &vnet, "snet-app", &ip, os, sign_in.clone());
        vm.entra_login_extension = sign_in == SignIn::EntraId;
        vm.scale_set = roll.is_multiple_of(17);
        vm.jit_policy = roll.is_multiple_of(13);
        if roll.is_multiple_of(31) {
            vm.port = Some(if os == Os::Linux { 2222 } else { 33890 });
        }
        // About one VM in 200 has a public IP, some with RDP/SSH open to the internet.
        if rng.chance(1) && rng.chance(50) {
            let pip = format!("pip-{name}");
            vm.nic.public_ip = Some(pip.clone());
            if rng.chance(50) {
                let nsg = format!("nsg-{name}");
                vm.nic.nsg = Some(nsg.clone());
                let port = if os == Os::Linux { "22" } else { "3389" };
                b.nsg(
                    &nsg,
                    &vnet,
                    vec![super::builder::rule(
                        "AllowRemoteFromInternet",
                        100,
                        Direction::Inbound,
                        Access::Allow,
                        &["Internet"],
                        &["*"],
                        &[port],
                    )],
                );
            }
            b.public_ip(&pip, &vnet);
        }
    }
    for (i, vault) in key_vaults.iter().enumerate() {
        if let Some(vault) = vault {
            let vnet = &b.design.vnets[i];
            let (sub, rg) = (vnet.subscription.clone(), vnet.resource_group.clone());
            b.key_vault(vault, &sub, &rg);
        }
    }

    // Principals: four users for every group; role assignments at VM, resource group,
    // VNet, Bastion and subscription scope.
    let principals = params.principals;
    let groups = principals / 5;
    let users = principals - groups;
    for u in 0..users {
        b.user(&format!("user{u:04}@contoso.com"), &format!("User {u}"));
    }
    for g in 0..groups {
        let members: Vec<String> =
            (0..4).map(|k| format!("user{:04}@contoso.com", (g * 4 + k) % users.max(1))).collect();
        let mut members: Vec<&str> =
            if users == 0 { Vec::new() } else { members.iter().map(|it| it.as_str()).collect() };
        crate::util::sort(&mut members);
        members.dedup();
        b.group(&format!("grp-operators-{g:03}"), &members);
    }
    match shape {
        RbacShape::Scattered => scattered_rbac(&mut b, &mut rng, principals, users, &vm_targets, &bastion_names),
        RbacShape::Teams => {
            // The Bastion a spoke's users connect through: its own dedicated or Developer
            // host, else its region's hub (or Virtual WAN central) Bastion.
            let serving: Vec<Option<String>> = (0..n)
                .map(|i| {
                    let at =
                        if bastion_at[i].is_some() { Some(i) } else { bastion_at[i % regions].map(|_| i % regions) };
                    at.map(|v| {
                        format!("bas-{}", vnet_names[v].trim_start_matches("vnet-").replace("bastion-", "central-"))
                    })
                })
                .collect();
            team_rbac(&mut b, &mut rng, users, groups, &vm_targets, &serving);
        }
    }
    b.finish()
}

/// `RbacShape::Scattered`: each principal gets one role at a random scope (a resource
/// group, one VM, a subscription) and, often, Reader on a random Bastion and its VNet.
fn scattered_rbac(
    b: &mut DesignBuilder,
    rng: &mut SplitMix64,
    principals: usize,
    users: usize,
    vm_targets: &[usize],
    bastion_names: &[String],
) {
    let principal_name = |p: usize| {
        if p < users {
            format!("user{p:04}@contoso.com")
        } else {
            format!("grp-operators-{:03}", p - users)
        }
    };
    let vm_count = b.design.vms.len();
    for p in 0..principals {
        let who = principal_name(p);
        let spoke = vm_targets[rng.below(vm_targets.len())];
        let (sub, rg) = {
            let vnet = &b.design.vnets[spoke];
            (vnet.subscription.clone(), vnet.resource_group.clone())
        };
        match rng.below(10) {
            // Reader on a landing zone's resource group: VMs, NICs and the spoke VNet.
            0..=3 => {
                b.assign(&who, Role::Reader, rg_scope(&sub, &rg));
            }
            // Reader on one VM only (a typical gap: no NIC, no VNet).
            4..=5 if vm_count > 0 => {
                let vm = rng.below(vm_count);
                let scope = super::builder::vm_scope(&b.design, &b.design.vms[vm].name.clone());
                b.assign(&who, Role::Reader, scope);
            }
            // Virtual Machine User Login on a resource group (Entra ID sign-in).
            6 => {
                b.assign(&who, Role::VirtualMachineUserLogin, rg_scope(&sub, &rg));
            }
            // Reader on a whole landing-zone subscription.
            7 => {
                b.assign(&who, Role::Reader, subscription_scope(&sub));
            }
            _ => {
                b.assign(&who, Role::VirtualMachineContributor, rg_scope(&sub, &rg));
            }
        }
        // Bastion users read a Bastion and its VNet.
        if !bastion_names.is_empty() && rng.chance(60) {
            let bastion = bastion_names[rng.below(bastion_names.len())].clone();
            b.reader_on_bastion(&who, &bastion);
            if rng.chance(70) {
                let vnet = b.design.bastion(&bastion).map(|it| it.vnet.clone()).unwrap_or_default();
                b.reader_on_vnet(&who, &vnet);
            }
        }
    }
}

/// `RbacShape::Teams` (see there). Group g is the team of one spoke; its four members
/// inherit its roles.
fn team_rbac(
    b: &mut DesignBuilder,
    rng: &mut SplitMix64,
    users: usize,
    groups: usize,
    vm_targets: &[usize],
    serving: &[Option<String>],
) {
    for g in 0..groups {
        let team = format!("grp-operators-{g:03}");
        let spoke = vm_targets[rng.below(vm_targets.len())];
        let (sub, rg) = {
            let vnet = &b.design.vnets[spoke];
            (vnet.subscription.clone(), vnet.resource_group.clone())
        };
        // The resource group holds the VNet, the VMs with their NICs and the Key Vault.
        b.assign(&team, Role::Reader, rg_scope(&sub, &rg));
        if !rng.chance(5) {
            b.assign(&team, Role::VirtualMachineUserLogin, rg_scope(&sub, &rg));
        }
        b.assign(&team, Role::KeyVaultSecretsUser, rg_scope(&sub, &rg));
        if let Some(bastion) = serving[spoke].clone() {
            b.reader_on_bastion(&team, &bastion);
            let vnet = b.design.bastion(&bastion).map(|it| it.vnet.clone()).unwrap_or_default();
            // The hub-VNet Reader is the assignment teams most often lack.
            if vnet != b.design.vnets[spoke].name && !rng.chance(10) {
                b.reader_on_vnet(&team, &vnet);
            }
        }
    }
    let lz_subs: Vec<String> =
        b.design.subscriptions.iter().filter(|s| s.id.starts_with("sub-lz-")).map(|s| s.id.clone()).collect();
    for u in 0..users {
        let who = format!("user{u:04}@contoso.com");
        if u % 100 == 0 && !lz_subs.is_empty() {
            // A platform operator: one landing-zone subscription and the hubs.
            let sub = lz_subs[(u / 100) % lz_subs.len()].clone();
            b.assign(&who, Role::Reader, subscription_scope(&sub));
            b.assign(&who, Role::VirtualMachineAdministratorLogin, subscription_scope(&sub));
            b.assign(&who, Role::KeyVaultSecretsUser, subscription_scope(&sub));
            b.assign(&who, Role::Reader, subscription_scope("sub-connectivity"));
        } else if rng.chance(10) && !b.design.vms.is_empty() {
            // A stray Reader on one VM (no NIC, no VNet, no Bastion): a typical gap.
            let vm = rng.below(b.design.vms.len());
            let scope = super::builder::vm_scope(&b.design, &b.design.vms[vm].name.clone());
            b.assign(&who, Role::Reader, scope);
        }
    }
}

fn deny_ssh_rule() -> NsgRule {
    super::builder::rule("DenySshInbound", 150, Direction::Inbound, Access::Deny, &["*"], &["*"], &["22"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(seed: u64, vnets: usize, vms: usize, bastions: usize, principals: usize, regions: usize) -> EstateParams {
        EstateParams { seed, vnets, vms, bastions, principals, regions }
    }

    #[test]
    fn generated_estates_are_valid_for_many_seeds_and_sizes() {
        let shapes = [
            params(0, 1, 0, 0, 0, 1),
            params(1, 1, 5, 3, 2, 4),
            params(2, 3, 20, 3, 5, 3),
            params(3, 7, 50, 7, 10, 4),
            params(4, 40, 300, 12, 30, 5),
            params(5, 300, 600, 40, 100, 13),
            params(6, 10, 2_000, 2, 3, 1),
        ];
        for shape in shapes.iter().cloned().chain((10..16).map(|s| EstateParams::small().with_seed(s))) {
            let design = generate(&shape);
            let errors = validate(&design);
            assert!(errors.is_empty(), "{shape:?}: {:?}", &errors[..errors.len().min(5)]);
        }
    }

    #[test]
    fn the_enterprise_estate_has_the_budgeted_size_and_is_valid() {
        let design = generate(&EstateParams::enterprise());
        assert_eq!(design.vnets.len(), 1_000);
        assert_eq!(design.vms.len(), 20_000);
        assert_eq!(design.bastions.len(), 100);
        assert_eq!(design.users.len() + design.groups.len(), 500);
        assert!(validate(&design).is_empty());
        let skus: std::collections::BTreeSet<_> = design.bastions.iter().map(|it| it.sku).collect();
        assert_eq!(skus.len(), 4, "every SKU appears: {skus:?}");
        assert!(!design.deleted_peerings.is_empty(), "some peerings are broken");
        assert!(!design.hub_connections.is_empty(), "a Virtual WAN region exists");
    }

    #[test]
    fn generation_is_deterministic_and_seeds_differ() {
        let a = generate(&EstateParams::small());
        assert_eq!(a, generate(&EstateParams::small()));
        assert_ne!(a, generate(&EstateParams::small().with_seed(2)));
    }
}
