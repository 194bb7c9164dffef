//! The real router on a loopback port, serving real files.

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
