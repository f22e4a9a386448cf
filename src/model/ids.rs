//! ARM-style resource ids and RBAC scopes.
//!
//! A resource's id is derived from its subscription, resource group, kind and name;
//! a role assignment's scope is parsed once into a `Scope`, and containment is a
//! structural prefix test (tenant > management group > subscription > resource group
//! > resource), compared case-insensitively as ARM does.

use super::ManagementGroup;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    VirtualNetwork,
    BastionHost,
    VirtualMachine,
    VirtualMachineScaleSet,
    NetworkInterface,
    NetworkSecurityGroup,
    PublicIpAddress,
    RouteTable,
    KeyVault,
    Workspace,
    VirtualWan,
    VirtualHub,
    VirtualNetworkGateway,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 13] = [
        ResourceKind::VirtualNetwork,
        ResourceKind::BastionHost,
        ResourceKind::VirtualMachine,
        ResourceKind::VirtualMachineScaleSet,
        ResourceKind::NetworkInterface,
        ResourceKind::NetworkSecurityGroup,
        ResourceKind::PublicIpAddress,
        ResourceKind::RouteTable,
        ResourceKind::KeyVault,
        ResourceKind::Workspace,
        ResourceKind::VirtualWan,
        ResourceKind::VirtualHub,
        ResourceKind::VirtualNetworkGateway,
    ];

    /// The ARM resource type, `Namespace/type`.
    pub fn arm_type(self) -> &'static str {
        match self {
            ResourceKind::VirtualNetwork => "Microsoft.Network/virtualNetworks",
            ResourceKind::BastionHost => "Microsoft.Network/bastionHosts",
            ResourceKind::VirtualMachine => "Microsoft.Compute/virtualMachines",
            ResourceKind::VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets",
            ResourceKind::NetworkInterface => "Microsoft.Network/networkInterfaces",
            ResourceKind::NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups",
            ResourceKind::PublicIpAddress => "Microsoft.Network/publicIPAddresses",
            ResourceKind::RouteTable => "Microsoft.Network/routeTables",
            ResourceKind::KeyVault => "Microsoft.KeyVault/vaults",
            ResourceKind::Workspace => "Microsoft.OperationalInsights/workspaces",
            ResourceKind::VirtualWan => "Microsoft.Network/virtualWans",
            ResourceKind::VirtualHub => "Microsoft.Network/virtualHubs",
            ResourceKind::VirtualNetworkGateway => "Microsoft.Network/virtualNetworkGateways",
        }
    }

    fn from_arm_type(namespace: &str, type_name: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|kind| {
            let (ns, ty) = kind.arm_type().split_once('/').unwrap_or(("", ""));
            ns.eq_ignore_ascii_case(namespace) && ty.eq_ignore_ascii_case(type_name)
        })
    }
}

/// A resource, located for RBAC.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceRef {
    pub kind: ResourceKind,
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

impl ResourceRef {
    pub fn new(kind: ResourceKind, subscription: &str, resource_group: &str, name: &str) -> ResourceRef {
        ResourceRef {
            kind,
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            name: name.to_string(),
        }
    }

    /// The ARM id of the resource.
    pub fn id(&self) -> String {
        arm_id(self.kind, &self.subscription, &self.resource_group, &self.name)
    }

    pub fn resource_group_id(&self) -> String {
        format!("/subscriptions/{}/resourceGroups/{}", self.subscription, self.resource_group)
    }

    pub fn subscription_id(&self) -> String {
        format!("/subscriptions/{}", self.subscription)
    }
}

/// The ARM id of a resource given by its parts.
pub fn arm_id(kind: ResourceKind, subscription: &str, resource_group: &str, name: &str) -> String {
    format!("/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{}/{name}", kind.arm_type())
}

/// An RBAC scope, parsed from its ARM text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `/` — the whole tenant.
    Root,
    ManagementGroup(String),
    Subscription(String),
    ResourceGroup {
        subscription: String,
        resource_group: String,
    },
    Resource(ResourceRef),
}

impl Scope {
    /// Parses an ARM scope. Child resources (`…/subnets/x`) are not scopes the engine
    /// models and are rejected with a reason.
    pub fn parse(text: &str) -> Result<Scope, String> {
        if text == "/" {
            return Ok(Scope::Root);
        }
        // At most eight segments name a scope (a resource id): kept on the stack, since
        // collecting them into a list was most of a parse (10³ scopes per analysis).
        let not_arm = || format!("'{text}' is not an ARM scope: it must start with '/' and have no empty segments");
        let mut segments = text.split('/');
        if segments.next() != Some("") {
            return Err(not_arm());
        }
        let mut stack = [""; 8];
        let mut count = 0usize;
        for segment in segments {
            if segment.is_empty() {
                return Err(not_arm());
            }
            if let Some(slot) = stack.get_mut(count) {
                *slot = segment;
            }
            count += 1;
        }
        // More than eight segments match no arm below, like an empty list.
        let parts: &[&str] = if count <= stack.len() { &stack[..count] } else { &[] };
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        match parts {
            [p, m, g, name] if eq(p, "providers") && eq(m, "Microsoft.Management") && eq(g, "managementGroups") => {
                Ok(Scope::ManagementGroup(name.to_string()))
            }
            [s, sub] if eq(s, "subscriptions") => Ok(Scope::Subscription(sub.to_string())),
            [s, sub, r, rg] if eq(s, "subscriptions") && eq(r, "resourceGroups") => {
                Ok(Scope::ResourceGroup { subscription: sub.to_string(), resource_group: rg.to_string() })
            }
            [s, sub, r, rg, p, ns, ty, name] if eq(s, "subscriptions") && eq(r, "resourceGroups") && eq(p, "providers") => {
                match ResourceKind::from_arm_type(ns, ty) {
                    Some(kind) => Ok(Scope::Resource(ResourceRef::new(kind, sub, rg, name))),
                    None => Err(format!("'{text}': the resource type {ns}/{ty} is not one the simulator models")),
                }
            }
            _ => Err(format!(
                "'{text}' is not a scope the simulator knows: use '/', a management group, a subscription, a resource group or a resource id"
            )),
        }
    }

    /// True when an assignment at this scope applies to `resource`. Management groups
    /// contain the subscriptions listed for them.
    pub fn contains(&self, resource: &ResourceRef, management_groups: &[ManagementGroup]) -> bool {
        self.contains_parts(
            resource.kind,
            &resource.subscription,
            &resource.resource_group,
            &resource.name,
            management_groups,
        )
    }

    /// `contains` for a resource given by its parts, so callers on a hot path need not
    /// build a `ResourceRef`.
    pub fn contains_parts(
        &self,
        kind: ResourceKind,
        subscription: &str,
        resource_group: &str,
        name: &str,
        management_groups: &[ManagementGroup],
    ) -> bool {
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        match self {
            Scope::Root => true,
            Scope::ManagementGroup(mg_name) => management_groups
                .iter()
                .filter(|mg| eq(&mg.name, mg_name))
                .any(|mg| mg.subscriptions.iter().any(|s| eq(s, subscription))),
            Scope::Subscription(sub) => eq(sub, subscription),
            Scope::ResourceGroup { subscription: sub, resource_group: rg } => {
                eq(sub, subscription) && eq(rg, resource_group)
            }
            Scope::Resource(it) => {
                it.kind == kind
                    && eq(&it.subscription, subscription)
                    && eq(&it.resource_group, resource_group)
                    && eq(&it.name, name)
            }
        }
    }

    /// Breadth of the scope: 0 for a single resource, growing towards the root.
    pub fn breadth(&self) -> u8 {
        match self {
            Scope::Resource(_) => 0,
            Scope::ResourceGroup { .. } => 1,
            Scope::Subscription(_) => 2,
            Scope::ManagementGroup(_) => 3,
            Scope::Root => 4,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Root => f.write_str("/"),
            Scope::ManagementGroup(name) => {
                write!(f, "/providers/Microsoft.Management/managementGroups/{name}")
            }
            Scope::Subscription(sub) => write!(f, "/subscriptions/{sub}"),
            Scope::ResourceGroup { subscription, resource_group } => {
                write!(f, "/subscriptions/{subscription}/resourceGroups/{resource_group}")
            }
            Scope::Resource(it) => f.write_str(&it.id()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_level_and_prints_it_back() {
        for text in [
            "/",
            "/providers/Microsoft.Management/managementGroups/corp",
            "/subscriptions/sub-1",
            "/subscriptions/sub-1/resourceGroups/rg-hub",
            "/subscriptions/sub-1/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub",
        ] {
            assert_eq!(Scope::parse(text).unwrap().to_string(), text);
        }
        assert!(Scope::parse("subscriptions/x").is_err());
        assert!(Scope::parse("/subscriptions/x/resourceGroups/rg/providers/Foo.Bar/baz/q").is_err());
    }

    #[test]
    fn containment_is_a_prefix_test() {
        let vm = ResourceRef::new(ResourceKind::VirtualMachine, "sub-1", "rg-app", "vm-web");
        let mgs = vec![ManagementGroup { name: "corp".into(), subscriptions: vec!["sub-1".into()] }];
        assert!(Scope::parse("/").unwrap().contains(&vm, &mgs));
        assert!(Scope::parse("/providers/Microsoft.Management/managementGroups/corp").unwrap().contains(&vm, &mgs));
        assert!(Scope::parse("/subscriptions/SUB-1/resourcegroups/RG-APP").unwrap().contains(&vm, &mgs));
        assert!(!Scope::parse("/subscriptions/sub-1/resourceGroups/rg-hub").unwrap().contains(&vm, &mgs));
        assert!(Scope::parse(&vm.id()).unwrap().contains(&vm, &mgs));
        assert!(!Scope::parse("/subscriptions/sub-2").unwrap().contains(&vm, &mgs));
    }
}
