//! Stable rule ids (rules.md): every check, verdict and finding names one.
//!
//! Ids are never renumbered; new rules get new ids. The engine-only additions, not in
//! rules.md, are CONSOLIDATE-HUB, CONSOLIDATE-UNREACHED (the consolidation findings of §6)
//! and PEER-GATEWAY-TRANSIT (the gateway-transit misconfiguration of §8).

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    BHealth1,
    BHealth2,
    BHealth3,
    BHealth4,
    BHealth5,
    BHealth6,
    BHealth7,
    BHealth8,
    RSame,
    RPeer,
    RNonTransitive,
    RVwan,
    RNoPath,
    RHybrid,
    RIpConnect,
    RNsgOut,
    RNsgIn,
    RProto,
    RDevOne,
    SkuUpgrade,
    SkuCapacity,
    RbacVm,
    RbacNic,
    RbacBastion,
    RbacVnet,
    RbacVnetSame,
    RbacEntra,
    RbacKv,
    RbacShare,
    RbacDev,
    CafR1,
    CafR2,
    CafR3,
    CafR4,
    CafR5,
    CafR6,
    CafR7,
    CafR8,
    CafR9,
    CafR10,
    Jit1,
    Jit2,
    Jit3,
    ConsolidateHub,
    ConsolidateUnreached,
    PeerGatewayTransit,
}

impl RuleId {
    pub const ALL: [RuleId; 46] = [
        RuleId::BHealth1,
        RuleId::BHealth2,
        RuleId::BHealth3,
        RuleId::BHealth4,
        RuleId::BHealth5,
        RuleId::BHealth6,
        RuleId::BHealth7,
        RuleId::BHealth8,
        RuleId::RSame,
        RuleId::RPeer,
        RuleId::RNonTransitive,
        RuleId::RVwan,
        RuleId::RNoPath,
        RuleId::RHybrid,
        RuleId::RIpConnect,
        RuleId::RNsgOut,
        RuleId::RNsgIn,
        RuleId::RProto,
        RuleId::RDevOne,
        RuleId::SkuUpgrade,
        RuleId::SkuCapacity,
        RuleId::RbacVm,
        RuleId::RbacNic,
        RuleId::RbacBastion,
        RuleId::RbacVnet,
        RuleId::RbacVnetSame,
        RuleId::RbacEntra,
        RuleId::RbacKv,
        RuleId::RbacShare,
        RuleId::RbacDev,
        RuleId::CafR1,
        RuleId::CafR2,
        RuleId::CafR3,
        RuleId::CafR4,
        RuleId::CafR5,
        RuleId::CafR6,
        RuleId::CafR7,
        RuleId::CafR8,
        RuleId::CafR9,
        RuleId::CafR10,
        RuleId::Jit1,
        RuleId::Jit2,
        RuleId::Jit3,
        RuleId::ConsolidateHub,
        RuleId::ConsolidateUnreached,
        RuleId::PeerGatewayTransit,
    ];

    /// The id as written in rules.md, e.g. `B-HEALTH-1`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::BHealth1 => "B-HEALTH-1",
            RuleId::BHealth2 => "B-HEALTH-2",
            RuleId::BHealth3 => "B-HEALTH-3",
            RuleId::BHealth4 => "B-HEALTH-4",
            RuleId::BHealth5 => "B-HEALTH-5",
            RuleId::BHealth6 => "B-HEALTH-6",
            RuleId::BHealth7 => "B-HEALTH-7",
            RuleId::BHealth8 => "B-HEALTH-8",
            RuleId::RSame => "R-SAME",
            RuleId::RPeer => "R-PEER",
            RuleId::RNonTransitive => "R-NONTRANSITIVE",
            RuleId::RVwan => "R-VWAN",
            RuleId::RNoPath => "R-NOPATH",
            RuleId::RHybrid => "R-HYBRID",
            RuleId::RIpConnect => "R-IPCONNECT",
            RuleId::RNsgOut => "R-NSG-OUT",
            RuleId::RNsgIn => "R-NSG-IN",
            RuleId::RProto => "R-PROTO",
            RuleId::RDevOne => "R-DEV-ONE",
            RuleId::SkuUpgrade => "SKU-UPGRADE",
            RuleId::SkuCapacity => "SKU-CAPACITY",
            RuleId::RbacVm => "RBAC-VM",
            RuleId::RbacNic => "RBAC-NIC",
            RuleId::RbacBastion => "RBAC-BASTION",
            RuleId::RbacVnet => "RBAC-VNET",
            RuleId::RbacVnetSame => "RBAC-VNET-SAME",
            RuleId::RbacEntra => "RBAC-ENTRA",
            RuleId::RbacKv => "RBAC-KV",
            RuleId::RbacShare => "RBAC-SHARE",
            RuleId::RbacDev => "RBAC-DEV",
            RuleId::CafR1 => "CAF-R1",
            RuleId::CafR2 => "CAF-R2",
            RuleId::CafR3 => "CAF-R3",
            RuleId::CafR4 => "CAF-R4",
            RuleId::CafR5 => "CAF-R5",
            RuleId::CafR6 => "CAF-R6",
            RuleId::CafR7 => "CAF-R7",
            RuleId::CafR8 => "CAF-R8",
            RuleId::CafR9 => "CAF-R9",
            RuleId::CafR10 => "CAF-R10",
            RuleId::Jit1 => "JIT-1",
            RuleId::Jit2 => "JIT-2",
            RuleId::Jit3 => "JIT-3",
            RuleId::ConsolidateHub => "CONSOLIDATE-HUB",
            RuleId::ConsolidateUnreached => "CONSOLIDATE-UNREACHED",
            RuleId::PeerGatewayTransit => "PEER-GATEWAY-TRANSIT",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = String;
    fn from_str(text: &str) -> Result<RuleId, String> {
        RuleId::ALL
            .into_iter()
            .find(|it| it.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("'{text}' is not a rule id"))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for id in RuleId::ALL {
            assert!(seen.insert(id.as_str()));
            assert_eq!(id.as_str().parse::<RuleId>().unwrap(), id);
        }
    }
}
