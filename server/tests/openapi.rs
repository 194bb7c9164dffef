//! The OpenAPI document matches what the server really does: its paths and methods exist,
//! every status the server answers is documented, and the record schema is the Rust type's.

mod common;

use common::{Backend, TestServer, record};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn document(server: &TestServer) -> Value {
    let response = server.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn documented(doc: &Value, path: &str, method: &str) -> BTreeSet<u16> {
    doc["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not documented"))
        .keys()
        .map(|code| code.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = common::start(Backend::Sqlite, &["--admin-token", "tok"]).await;
    let doc = document(&server).await;
    let mut operations = 0;
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, _) in methods.as_object().unwrap() {
            let url = format!(
                "{}{}",
                server.base,
                path.replace("{consentId}", &uuid::Uuid::new_v4().to_string()).replace("{hash}", &"ab".repeat(32))
            );
            let request = match method.as_str() {
                "get" => server.client.get(&url).bearer_auth("tok"),
                "post" => server.client.post(&url).json(&record()),
                other => panic!("undocumented method {other}"),
            };
            let status = request.send().await.unwrap().status().as_u16();
            assert!(
                documented(&doc, path, method).contains(&status),
                "{method} {path} answered {status}, not documented"
            );
            operations += 1;
        }
    }
    assert_eq!(operations, 9);
}

#[tokio::test]
async fn every_status_the_record_endpoint_answers_is_documented() {
    // Nine requests a minute: the document, then eight records, and the tenth is refused.
    let server =
        common::start(Backend::Sqlite, &["--rate-limit", "9", "--allowed-origins", "https://shop.example"]).await;
    let doc = document(&server).await;
    let allowed = documented(&doc, "/api/v1/consents", "post");
    let sent = record();
    let mut bad = record();
    bad["method"] = json!("maybe");
    let mut conflicting = sent.clone();
    conflicting["path"] = json!("/elsewhere");
    let from_elsewhere = server
        .client
        .post(format!("{}/api/v1/consents", server.base))
        .header("origin", "https://evil.example")
        .json(&record())
        .send();
    let answers = [
        from_elsewhere.await.unwrap().status().as_u16(),
        server.post(&sent).await.status().as_u16(),
        server.post(&sent).await.status().as_u16(),
        server.post(&conflicting).await.status().as_u16(),
        server.post(&bad).await.status().as_u16(),
        server.post_raw("application/json", "x".repeat(5000)).await.status().as_u16(),
        server.post_raw("text/html", "<p>").await.status().as_u16(),
        server.post(&record()).await.status().as_u16(),
        server.post(&record()).await.status().as_u16(),
    ];
    assert_eq!(answers, [403, 201, 200, 409, 400, 413, 415, 201, 429]);
    for status in answers {
        assert!(allowed.contains(&status), "{status} is not documented");
    }
}

#[tokio::test]
async fn the_record_schema_is_the_shared_rust_type() {
    let server = common::start(Backend::Sqlite, &[]).await;
    let doc = document(&server).await;
    let schema = &doc["components"]["schemas"]["ConsentRecord"];
    let documented: BTreeSet<String> = schema["properties"].as_object().unwrap().keys().cloned().collect();
    let real: BTreeSet<String> = record().as_object().unwrap().keys().cloned().collect();
    assert_eq!(documented, real);
    assert_eq!(schema["additionalProperties"], json!(false), "unknown fields are refused, and documented so");
    // Every documented-required field really is required: leaving it out is a 400.
    for field in schema["required"].as_array().unwrap() {
        let mut body = record();
        body.as_object_mut().unwrap().remove(field.as_str().unwrap());
        assert_eq!(server.post(&body).await.status(), 400, "{field} should be required");
    }
    // And the one optional field is optional.
    let mut body = record();
    body.as_object_mut().unwrap().remove("services");
    assert_eq!(server.post(&body).await.status(), 201);
    let methods: Vec<&str> =
        schema["properties"]["method"]["enum"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    for method in methods {
        let mut body = record();
        body["method"] = json!(method);
        assert_eq!(server.post(&body).await.status(), 201, "{method}");
    }
}
