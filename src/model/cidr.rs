//! IPv4 addresses and CIDR prefixes, the only address family Azure Bastion speaks.
//!
//! Both types serialize as their usual text form ("10.0.0.4", "10.0.1.0/26") so that
//! a design file reads like the portal. Parsing never panics; it returns a sentence.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An IPv4 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4(pub u32);

/// An IPv4 prefix in CIDR notation. The address is kept as written (host bits may be
/// set in the text); `network()` gives the masked base, and validation rejects
/// prefixes whose host bits are set, as Azure does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    pub addr: u32,
    pub len: u8,
}

impl Ipv4 {
    pub const AZURE_PLATFORM: Ipv4 = Ipv4(0xA83F_8110); // 168.63.129.16
}

impl Ipv4 {
    /// The address as a.b.c.d, written into `buf` without the formatting machinery: the
    /// engine quotes 10⁴ addresses per analysis of an estate, and `write!` with four integers
    /// costs ~10× more. `Display` and the engine's sentence builders share it.
    pub fn text(self, buf: &mut [u8; 15]) -> &str {
        let mut len = 0;
        for (n, octet) in self.0.to_be_bytes().into_iter().enumerate() {
            if n > 0 {
                buf[len] = b'.';
                len += 1;
            }
            if octet >= 100 {
                buf[len] = b'0' + octet / 100;
                len += 1;
            }
            if octet >= 10 {
                buf[len] = b'0' + octet / 10 % 10;
                len += 1;
            }
            buf[len] = b'0' + octet % 10;
            len += 1;
        }
        std::str::from_utf8(&buf[..len]).unwrap_or_default()
    }
}

impl fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(&mut [0u8; 15]))
    }
}

impl FromStr for Ipv4 {
    type Err = String;
    fn from_str(text: &str) -> Result<Ipv4, String> {
        let mut res: u32 = 0;
        let mut n_parts = 0;
        for part in text.split('.') {
            n_parts += 1;
            if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("'{text}' is not an IPv4 address (expected four numbers 0-255 separated by dots)"));
            }
            let value: u32 = part.parse().map_err(|_| format!("'{text}' is not an IPv4 address"))?;
            if value > 255 {
                return Err(format!("'{text}' is not an IPv4 address: {value} is larger than 255"));
            }
            res = (res << 8) | value;
        }
        if n_parts != 4 {
            return Err(format!("'{text}' is not an IPv4 address (expected four numbers 0-255 separated by dots)"));
        }
        Ok(Ipv4(res))
    }
}

impl Cidr {
    pub const ANY: Cidr = Cidr { addr: 0, len: 0 };

    pub fn new(addr: u32, len: u8) -> Cidr {
        Cidr { addr, len }
    }

    pub fn host(ip: Ipv4) -> Cidr {
        Cidr { addr: ip.0, len: 32 }
    }

    pub fn mask(&self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.len))
        }
    }

    /// The first address of the prefix.
    pub fn network(&self) -> u32 {
        self.addr & self.mask()
    }

    /// The last address of the prefix.
    pub fn last(&self) -> u32 {
        self.network() | !self.mask()
    }

    /// Number of addresses in the prefix.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.len))
    }

    pub fn has_host_bits(&self) -> bool {
        self.addr != self.network()
    }

    pub fn contains_ip(&self, ip: Ipv4) -> bool {
        ip.0 & self.mask() == self.network()
    }

    /// True when every address of `other` is in `self`.
    pub fn contains(&self, other: &Cidr) -> bool {
        self.len <= other.len && self.contains_ip(Ipv4(other.network()))
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The n-th address of the prefix (Azure reserves the first four and the last).
    pub fn nth(&self, n: u32) -> Option<Ipv4> {
        if u64::from(n) >= self.size() {
            return None;
        }
        Some(Ipv4(self.network() + n))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4(self.addr), self.len)
    }
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(text: &str) -> Result<Cidr, String> {
        let Some((addr, len)) = text.split_once('/') else {
            return Err(format!("'{text}' is not a CIDR prefix (expected an address and a length, like 10.0.0.0/16)"));
        };
        let addr: Ipv4 = addr.parse().map_err(|e: String| format!("'{text}' is not a CIDR prefix: {e}"))?;
        let len: u8 = match len.parse() {
            Ok(n) if n <= 32 && !len.starts_with('+') => n,
            _ => return Err(format!("'{text}' is not a CIDR prefix: the length must be a number from 0 to 32")),
        };
        Ok(Cidr { addr: addr.0, len })
    }
}

macro_rules! text_serde {
    ($ty:ty, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
text_serde!(Ipv4, "IPv4 address");
text_serde!(Cidr, "CIDR prefix");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let cidr: Cidr = "10.1.2.0/24".parse().unwrap();
        assert_eq!(cidr.to_string(), "10.1.2.0/24");
        assert!(cidr.contains_ip("10.1.2.200".parse().unwrap()));
        assert!(!cidr.contains_ip("10.1.3.1".parse().unwrap()));
        assert_eq!(Ipv4::AZURE_PLATFORM.to_string(), "168.63.129.16");
    }

    #[test]
    fn rejects_bad_text() {
        for bad in ["10.0.0.0", "10.0.0/16", "10.0.0.256/16", "10.0.0.0/33", "a.b.c.d/8", "10.0.0.0/+8", "/8", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn containment_and_overlap() {
        let vnet: Cidr = "10.0.0.0/16".parse().unwrap();
        let subnet: Cidr = "10.0.1.0/26".parse().unwrap();
        assert!(vnet.contains(&subnet));
        assert!(!subnet.contains(&vnet));
        assert!(vnet.overlaps(&subnet));
        assert!(!subnet.overlaps(&"10.0.1.64/26".parse().unwrap()));
        assert!(Cidr::ANY.contains(&vnet));
        assert!("10.0.0.1/16".parse::<Cidr>().unwrap().has_host_bits());
    }
}
