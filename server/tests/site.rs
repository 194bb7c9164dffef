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
