//! The small languages inside an NSG rule: address prefixes with service tags, and
//! port ranges. Parsed here so that validation and the engine agree on them.

use super::cidr::{Cidr, Ipv4};
use std::fmt;

/// Service tags the simulator understands (rules.md §8 defines what each covers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServiceTag {
    VirtualNetwork,
    Internet,
    AzureLoadBalancer,
    GatewayManager,
    AzureCloud,
}

impl ServiceTag {
    pub fn name(self) -> &'static str {
        match self {
            ServiceTag::VirtualNetwork => "VirtualNetwork",
            ServiceTag::Internet => "Internet",
            ServiceTag::AzureLoadBalancer => "AzureLoadBalancer",
            ServiceTag::GatewayManager => "GatewayManager",
            ServiceTag::AzureCloud => "AzureCloud",
        }
    }
}

/// One source or destination of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AddressPrefix {
    Any,
    Tag(ServiceTag),
    Prefix(Cidr),
}

impl AddressPrefix {
    pub fn parse(text: &str) -> Result<AddressPrefix, String> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("any") {
            return Ok(AddressPrefix::Any);
        }
        // Azure also accepts the tag aliases with regional suffixes (AzureCloud.WestEurope);
        // they are treated as the whole tag.
        let base = text.split('.').next().unwrap_or(text);
        for tag in [
            ServiceTag::VirtualNetwork,
            ServiceTag::Internet,
            ServiceTag::AzureLoadBalancer,
            ServiceTag::GatewayManager,
            ServiceTag::AzureCloud,
        ] {
            if text.eq_ignore_ascii_case(tag.name())
                || (tag == ServiceTag::AzureCloud && base.eq_ignore_ascii_case("AzureCloud"))
            {
                return Ok(AddressPrefix::Tag(tag));
            }
        }
        if text.contains('/') {
            let cidr: Cidr = text.parse()?;
            return Ok(AddressPrefix::Prefix(Cidr::new(cidr.network(), cidr.len)));
        }
        match text.parse::<Ipv4>() {
            Ok(ip) => Ok(AddressPrefix::Prefix(Cidr::host(ip))),
            Err(_) => Err(format!(
                "'{text}' is not an address prefix: use a CIDR (10.0.0.0/24), an address, '*' or a service tag (VirtualNetwork, Internet, AzureLoadBalancer, GatewayManager, AzureCloud)"
            )),
        }
    }
}

impl fmt::Display for AddressPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressPrefix::Any => f.write_str("*"),
            AddressPrefix::Tag(tag) => f.write_str(tag.name()),
            AddressPrefix::Prefix(cidr) if cidr.len == 32 => write!(f, "{}", Ipv4(cidr.addr)),
            AddressPrefix::Prefix(cidr) => write!(f, "{cidr}"),
        }
    }
}

/// An inclusive port range; `*` is 0-65535.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub low: u16,
    pub high: u16,
}

impl PortRange {
    pub const ANY: PortRange = PortRange { low: 0, high: 65535 };

    pub fn single(port: u16) -> PortRange {
        PortRange { low: port, high: port }
    }

    pub fn contains(&self, port: u16) -> bool {
        self.low <= port && port <= self.high
    }

    pub fn parse(text: &str) -> Result<PortRange, String> {
        let text = text.trim();
        if text == "*" {
            return Ok(PortRange::ANY);
        }
        let bad = || format!("'{text}' is not a port: use a number (22), a range (8080-8090) or '*'");
        let (low, high) = match text.split_once('-') {
            Some((low, high)) => {
                (low.trim().parse::<u16>().map_err(|_| bad())?, high.trim().parse::<u16>().map_err(|_| bad())?)
            }
            None => {
                let port = text.parse::<u16>().map_err(|_| bad())?;
                (port, port)
            }
        };
        if low > high {
            return Err(format!("'{text}' is not a port range: {low} is larger than {high}"));
        }
        Ok(PortRange { low, high })
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == PortRange::ANY {
            f.write_str("*")
        } else if self.low == self.high {
            write!(f, "{}", self.low)
        } else {
            write!(f, "{}-{}", self.low, self.high)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_tags_and_ports() {
        assert_eq!(AddressPrefix::parse("*").unwrap(), AddressPrefix::Any);
        assert_eq!(AddressPrefix::parse("internet").unwrap(), AddressPrefix::Tag(ServiceTag::Internet));
        assert_eq!(AddressPrefix::parse("AzureCloud.WestEurope").unwrap(), AddressPrefix::Tag(ServiceTag::AzureCloud));
        assert_eq!(AddressPrefix::parse("10.0.0.4").unwrap().to_string(), "10.0.0.4");
        assert_eq!(AddressPrefix::parse("10.0.1.0/26").unwrap().to_string(), "10.0.1.0/26");
        assert!(AddressPrefix::parse("Storage").is_err());
        assert_eq!(PortRange::parse("8080-8090").unwrap(), PortRange { low: 8080, high: 8090 });
        assert!(PortRange::parse("90-80").is_err());
        assert!(PortRange::parse("70000").is_err());
        assert!(PortRange::parse("*").unwrap().contains(3389));
    }
}
