//! The real router on a loopback port, serving real files.

mod common;

use consent_server::site::router;
use std::path::PathBuf;

async fn start() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let widget = std::env::temp_dir().join(format!("consent-widget-test-{}", std::process::id()));
    std::fs::create_dir_all(&widget).unwrap();
    std::fs::write(widget.join("consent-widget.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let app = router(&root.join("www"), &widget);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test]
async fn serves_the_demo_with_a_strict_content_security_policy() {
    let base = start().await;
    let response = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    let body = response.text().await.unwrap();
    assert!(body.contains("consent-widget.js"), "the demo loads the widget");
}

#[tokio::test]
async fn serves_the_widget_as_wasm() {
    let base = start().await;
    let response = reqwest::get(format!("{base}/consent-widget/consent-widget.wasm")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
}

#[tokio::test]
async fn answers_health_checks_and_missing_pages() {
    let base = start().await;
    assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status(), 200);
    assert_eq!(reqwest::get(format!("{base}/no-such-page.html")).await.unwrap().status(), 404);
}

#[tokio::test]
async fn release_files_are_immutable_precompressed_and_open_to_other_origins() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let widget = std::env::temp_dir().join(format!("consent-widget-release-test-{}", std::process::id()));
    std::fs::create_dir_all(&widget).unwrap();
    let versioned = format!("consent-widget-{}.wasm", env!("CARGO_PKG_VERSION"));
    std::fs::write(widget.join(&versioned), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(widget.join(format!("{versioned}.br")), b"compressed").unwrap();
    std::fs::write(widget.join("consent-widget.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router(&root.join("www"), &widget)).await.unwrap() });

    let client = reqwest::Client::new();
    let response = client
        .get(format!("{base}/consent-widget/{versioned}"))
        .header("accept-encoding", "br")
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"compressed");

    let unversioned = client.get(format!("{base}/consent-widget/consent-widget.wasm")).send().await.unwrap();
    assert_eq!(unversioned.headers()["cache-control"], "no-cache");
    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn over_long_and_malformed_paths_are_not_found_never_a_server_error() {
    let long_name = "a".repeat(256);
    let paths = [
        format!("/{long_name}"),
        format!("/consent-widget/{long_name}"),
        format!("/x/{long_name}/y"),
        format!("/{}", "%41".repeat(300)),
        format!("/{}", "b/".repeat(3000)),
        format!("/{}", "c".repeat(5000)),
        "/%00".to_string(),
        "/index.html%00".to_string(),
        "/index.html/x".to_string(),
        "/%ff%fe".to_string(),
        "/..%2f..%2fetc%2fpasswd".to_string(),
        "/a\\b".to_string(),
        "/%".to_string(),
        "/%zz".to_string(),
        "/consent-widget/consent-widget.wasm/x".to_string(),
    ];
    let log = common::logs::problems_logged_during(async {
        let base = start().await;
        let client = reqwest::Client::new();
        for path in &paths {
            let status = client.get(format!("{base}{path}")).send().await.unwrap().status().as_u16();
            assert!(status == 404 || status == 414, "{status} for {}…", &path[..path.len().min(60)]);
        }
        let name_at_the_limit = format!("/{}", "a".repeat(255));
        assert_eq!(client.get(format!("{base}{name_at_the_limit}")).send().await.unwrap().status(), 404);
        assert_eq!(client.get(format!("{base}/")).send().await.unwrap().status(), 200, "ordinary paths still work");
    })
    .await;
    assert_eq!(log, "", "nothing worth a warning happened");
}
