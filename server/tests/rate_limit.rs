//! The rate limit over real connections: by the connection's address, and behind a reverse
//! proxy (`--trusted-proxy-header`) by the address the proxy adds to its header.

mod common;

use common::{Backend, TestServer};

/// Asks for the API description as a client whose proxy sent `forwarded_for`; the status.
async fn ask(server: &TestServer, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = server.client.get(format!("{}/api/v1/openapi.json", server.base));
    if let Some(addresses) = forwarded_for {
        request = request.header("x-forwarded-for", addresses);
    }
    request.send().await.unwrap()
}

async fn is_refused(response: reqwest::Response) -> bool {
    if response.status() != 429 {
        assert_eq!(response.status(), 200);
        return false;
    }
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    true
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_a_limit_of_its_own() {
    let server =
        common::start(Backend::Sqlite, &["--rate-limit", "3", "--trusted-proxy-header", "X-Forwarded-For"]).await;
    for _ in 0..3 {
        assert!(!is_refused(ask(&server, Some("198.51.100.1")).await).await);
    }
    assert!(is_refused(ask(&server, Some("198.51.100.1")).await).await);
    // Whatever a client writes to the left of what its proxy added changes nothing.
    assert!(is_refused(ask(&server, Some("203.0.113.77, 198.51.100.1")).await).await);
    // Another client behind the same proxy (the same connection address) is not held back.
    assert!(!is_refused(ask(&server, Some("198.51.100.1, 198.51.100.2")).await).await);
    // Requests without the header count as the proxy's own.
    for _ in 0..3 {
        assert!(!is_refused(ask(&server, None).await).await);
    }
    assert!(is_refused(ask(&server, None).await).await);
}

#[tokio::test]
async fn without_the_option_a_forwarded_address_does_not_escape_the_limit() {
    let server = common::start(Backend::Sqlite, &["--rate-limit", "3"]).await;
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        assert!(!is_refused(ask(&server, Some(client)).await).await);
    }
    assert!(is_refused(ask(&server, Some("198.51.100.4")).await).await);
}
