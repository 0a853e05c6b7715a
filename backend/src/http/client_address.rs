//! Whose address a request came from, behind a load balancer or reverse proxy.
//!
//! The sign-in throttle, the answer limit and the history use the client's address. Behind a
//! proxy every connection comes from the proxy, so each would count every resident as one.
//! The proxies put the address they received from in `X-Forwarded-For`, appending to what
//! was there; but a client can send that header too, so it is believed only as far as it was
//! written by proxies the operator named (`--trusted-proxy`, [`TrustedProxy`]).
//!
//! The rule ([`client_address`]): when the connection does not come from a trusted proxy, the
//! address is the connection's, and the header is ignored. Otherwise the header's entries are
//! read from the right (the nearest proxy's first); trusted proxies are passed over, and the
//! first entry that is not one is the client. An entry that is not an address (garbage, or
//! `unknown`) stops the walk: the client is then the last address established (the nearest
//! proxy that wrote a good entry). With no trusted proxy configured, nothing changes.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A proxy whose `X-Forwarded-For` the server believes: one address (`10.0.0.5`, `::1`) or a
/// network (`10.0.0.0/8`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy {
    net: IpAddr,
    prefix: u8,
}

impl TrustedProxy {
    /// Whether `ip` is this proxy (or in this network).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for TrustedProxy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let net = address.parse::<IpAddr>().map(canonical).map_err(|_| {
            format!("{text:?} is not an IP address or network, such as 10.0.0.5 or 10.0.0.0/8")
        })?;
        let most = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= most).ok_or_else(|| {
                format!("{text:?}: the part after / must be a whole number from 0 to {most}")
            })?,
        };
        Ok(Self { net, prefix })
    }
}

impl fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.5`, as a dual-stack socket reports it) as
/// the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One `X-Forwarded-For` entry as an address: `203.0.113.9`, `2001:db8::1`, and the forms
/// with a port some proxies write (`203.0.113.9:4711`, `[2001:db8::1]:4711`).
fn entry_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = entry.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<IpAddr>().ok().map(canonical);
    }
    let (host, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The client's address, from the connection's `peer` and the request's `X-Forwarded-For`
/// values (each header line, in order), believing the header only as far as `trusted`
/// proxies wrote it (see the module docs).
pub fn client_address<'h>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'h str>,
    trusted: &[TrustedProxy],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(client) {
        return client;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|line| line.split(','))
        .collect();
    for entry in entries.iter().rev() {
        let Some(ip) = entry_address(entry) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn proxies(list: &[&str]) -> Vec<TrustedProxy> {
        list.iter().map(|t| t.parse().expect("a proxy")).collect()
    }

    #[test]
    fn with_no_trusted_proxy_the_header_is_ignored() {
        let got = client_address(ip("198.51.100.7"), ["203.0.113.9"], &[]);
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn a_header_from_a_connection_that_is_not_a_trusted_proxy_is_ignored() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let got = client_address(ip("198.51.100.7"), ["203.0.113.9"], &trusted);
        assert_eq!(got, ip("198.51.100.7"), "a client cannot name itself");
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_first_untrusted_entry_from_the_right() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        // The client forged the first entry; the load balancer appended the real one, the
        // inner proxy its own.
        let got = client_address(
            ip("10.1.2.3"),
            ["6.6.6.6, 203.0.113.9", "192.0.2.1"],
            &trusted,
        );
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_read() {
        let trusted = proxies(&["::1", "127.0.0.1"]);
        assert_eq!(
            client_address(ip("::1"), ["[2001:db8::1]:4711"], &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), ["203.0.113.9:4711"], &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_address_established() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let got = client_address(ip("10.0.0.2"), ["unknown, 10.0.0.9"], &trusted);
        assert_eq!(got, ip("10.0.0.9"));
        let got = client_address(ip("10.0.0.2"), ["nonsense"], &trusted);
        assert_eq!(got, ip("10.0.0.2"));
    }

    #[test]
    fn proxies_parse_and_refuse_with_a_sentence() {
        assert!("10.0.0.0/8".parse::<TrustedProxy>().is_ok());
        assert!("fd00::/8".parse::<TrustedProxy>().is_ok());
        assert!("0.0.0.0/0".parse::<TrustedProxy>().is_ok());
        let err = "10.0.0.0/33"
            .parse::<TrustedProxy>()
            .err()
            .unwrap_or_default();
        assert!(err.contains("0 to 32"), "{err}");
        let err = "proxy.example"
            .parse::<TrustedProxy>()
            .err()
            .unwrap_or_default();
        assert!(err.contains("not an IP address"), "{err}");
        let all = proxies(&["0.0.0.0/0"]);
        assert!(all[0].contains(ip("203.0.113.9")));
    }

    proptest! {
        #[test]
        fn any_header_gives_the_peer_or_one_of_its_addresses(
            header in ".{0,80}",
            peer in any::<std::net::Ipv4Addr>(),
        ) {
            let trusted = proxies(&["0.0.0.0/0"]);
            let peer = IpAddr::V4(peer);
            let got = client_address(peer, [header.as_str()], &trusted);
            let named: Vec<IpAddr> = header.split(',').filter_map(entry_address).collect();
            prop_assert!(got == peer || named.contains(&got));
        }
    }
}
