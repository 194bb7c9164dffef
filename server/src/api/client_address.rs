//! Which address a request comes from, as the rate limit counts clients: the connection's
//! peer, unless `--trusted-proxy-header` names the header a reverse proxy in front of the
//! server writes the client's address into. Then it is the right-most address of that header:
//! the one the proxy itself added. Addresses further left were sent by the client and prove
//! nothing, and without the option the header is not read at all, so that no client can pick
//! the bucket it is counted in.

use axum::http::{HeaderMap, HeaderName};
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Default)]
pub struct ClientAddress {
    trusted_header: Option<HeaderName>,
}

impl ClientAddress {
    /// Clients by `trusted_header` when set, else by their connection.
    pub fn new(trusted_header: Option<HeaderName>) -> ClientAddress {
        ClientAddress { trusted_header }
    }

    /// The client of a request over a connection from `peer`. A request without the header,
    /// or with an address in it that cannot be read, counts as the peer's (the proxy's).
    pub fn of(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        self.trusted_header.as_ref().and_then(|header| right_most(header, headers)).or(peer)
    }
}

/// The last address in the last `header` line: proxies append theirs to the end.
fn right_most(header: &HeaderName, headers: &HeaderMap) -> Option<IpAddr> {
    let line = headers.get_all(header).iter().next_back()?.to_str().ok()?;
    let element = line.rsplit(',').next()?.trim();
    if header == "forwarded" { forwarded_for(element) } else { address(element) }
}

/// The `for=` address of one element of an RFC 7239 `Forwarded` header, such as
/// `for="[2001:db8::1]:4711";proto=https`.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim().eq_ignore_ascii_case("for").then(|| address(value.trim().trim_matches('"')))?
    })
}

/// `192.0.2.1`, `2001:db8::1`, or either with a port (`192.0.2.1:80`, `[2001:db8::1]:80`).
fn address(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| text.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const PROXY: &str = "10.0.0.2";

    fn headers(name: &'static str, lines: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(name, HeaderValue::from_static(line));
        }
        headers
    }

    fn client(trusted: Option<&str>, headers: &HeaderMap) -> Option<String> {
        let clients = ClientAddress::new(trusted.map(|name| name.parse().unwrap()));
        clients.of(Some(PROXY.parse().unwrap()), headers).map(|address| address.to_string())
    }

    #[test]
    fn the_proxy_s_own_entry_is_the_right_most() {
        let sent = headers("x-forwarded-for", &["198.51.100.7, 203.0.113.9"]);
        assert_eq!(client(Some("X-Forwarded-For"), &sent).as_deref(), Some("203.0.113.9"));
        let two_lines = headers("x-forwarded-for", &["198.51.100.7", "203.0.113.9:5120"]);
        assert_eq!(client(Some("x-forwarded-for"), &two_lines).as_deref(), Some("203.0.113.9"));
        let forwarded =
            headers("forwarded", &[r#"for=198.51.100.7, for="[2001:db8::17]:4711";proto=https;by=10.0.0.2"#]);
        assert_eq!(client(Some("Forwarded"), &forwarded).as_deref(), Some("2001:db8::17"));
    }

    #[test]
    fn without_the_option_the_header_is_ignored() {
        let spoofed = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(client(None, &spoofed).as_deref(), Some(PROXY));
    }

    #[test]
    fn a_missing_or_unreadable_address_counts_as_the_peer_s() {
        assert_eq!(client(Some("x-forwarded-for"), &HeaderMap::new()).as_deref(), Some(PROXY));
        let hidden = headers("forwarded", &["for=_hidden;proto=https"]);
        assert_eq!(client(Some("forwarded"), &hidden).as_deref(), Some(PROXY));
        let unknown = headers("x-forwarded-for", &["203.0.113.9, unknown"]);
        assert_eq!(client(Some("x-forwarded-for"), &unknown).as_deref(), Some(PROXY));
    }
}
