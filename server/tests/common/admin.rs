//! A browser on the dashboard: no redirects followed, cookies kept by hand, and what the page
//! says read back from its HTML.

use super::TestServer;
use std::collections::BTreeMap;

pub const TOKEN: &str = "dashboard-test-token";

/// A client that sends no Origin of its own and does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Signs in with `token`; the answer as is.
pub async fn sign_in_with(server: &TestServer, token: &str) -> reqwest::Response {
    browser().post(format!("{}/admin/login", server.base)).form(&[("token", token)]).send().await.unwrap()
}

/// Signs in with the right token; the `Cookie` header that carries the session.
pub async fn sign_in(server: &TestServer) -> String {
    let response = sign_in_with(server, TOKEN).await;
    assert_eq!(response.status(), 303);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_string()
}

/// GET `path` with the session `cookie`.
pub async fn get(server: &TestServer, path: &str, cookie: &str) -> reqwest::Response {
    browser().get(format!("{}{path}", server.base)).header("cookie", cookie).send().await.unwrap()
}

/// Every number the page marks with `data-count="KEY"`, by key, as shown (commas dropped).
pub fn counts(html: &str) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for piece in html.split("data-count=\"").skip(1) {
        let (key, rest) = piece.split_once("\">").unwrap();
        let shown = rest.split('<').next().unwrap();
        let value = shown.replace(',', "").parse().unwrap_or_else(|_| panic!("{key}: `{shown}` is not a count"));
        counts.insert(key.to_string(), value);
    }
    counts
}
