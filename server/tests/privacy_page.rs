//! The privacy policy as a page of its own: one per language, composed from the site's
//! configuration, with no script, under its own strict policy.

mod common;

use common::Backend;

#[tokio::test]
async fn the_policy_is_a_page_of_its_own_in_each_language() {
    let server = common::start(Backend::Sqlite, &[]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let index = client.get(format!("{}/privacy/", server.base)).send().await.unwrap();
    assert_eq!(index.status(), 303);
    assert_eq!(index.headers()["location"], "/privacy/en.html");
    for code in ["en", "fr", "de", "it", "es"] {
        let response = client.get(format!("{}/privacy/{code}.html", server.base)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{code}");
        let policy = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert_eq!(policy, consent_server::site::privacy_page::CONTENT_SECURITY_POLICY);
        let page = response.text().await.unwrap();
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"") && page.contains(&format!("lang=\"{code}\"")),
            "{code}"
        );
        assert!(page.contains("Lakeside Hosting SA"), "{code}: the controller");
        for id in ["controller", "recipients", "your-rights", "cookies", "hosting-customers"] {
            assert!(page.contains(&format!("id=\"{id}\"")), "{code}: no section {id}");
        }
        assert!(!page.contains("<script") && !page.contains(" style="), "{code}: no script, no inline style");
        assert!(page.contains("Datatrans AG"), "{code}: the recipients beyond the website");
    }
    let german = client.get(format!("{}/privacy/de.html", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(!german.contains('ß') && german.contains("Personendaten"), "a Swiss controller's German");
    let missing = client.get(format!("{}/privacy/nl.html", server.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("en, fr, de, it, es"));
    let css = client.get(format!("{}/privacy/policy.css", server.base)).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}
