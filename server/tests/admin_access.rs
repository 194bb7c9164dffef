//! Who reaches the dashboard: nothing under /admin/ without the session, the sign-in form
//! refusing wrong tokens and then the client, a cookie out of scripts' and other sites' reach,
//! POSTs only from the dashboard's own pages, and a CSP that allows no script and no inline style.

mod common;

use common::admin::{TOKEN, browser, get, sign_in, sign_in_with};
use common::now_millis;
use consent_server::admin::session::Sessions;

/// Every route of the dashboard behind the session, and what it answers without one: a page
/// sends to the sign-in form, JSON and downloads say 401.
const GUARDED: [(&str, &str, u16); 7] = [
    ("GET", "/admin/", 303),
    ("GET", "/admin/?from=2026-01-01&to=2026-01-31", 303),
    ("GET", "/admin/summary.json", 401),
    ("GET", "/admin/summary.json?from=2026-01-01&to=2026-01-31", 401),
    ("GET", "/admin/export?format=csv", 401),
    ("GET", "/admin/no-such-page", 303),
    ("POST", "/admin/verify", 303),
];

const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

on_both_databases! {
    nothing_under_admin_is_reachable_without_the_session(server, &["--admin-token", TOKEN]) {
        server.post(&common::record()).await;
        let forged = [
            String::new(),
            "consent_admin=v1.99999999999999.0.00".to_string(),
            format!("consent_admin={}", Sessions::new("another token").issue(now_millis())),
            format!("consent_admin={}", Sessions::new(TOKEN).issue(now_millis() - 9 * 3600 * 1000)),
        ];
        for cookie in &forged {
            for (method, path, status) in GUARDED {
                let request = browser().request(method.parse().unwrap(), format!("{}{path}", server.base));
                let request = if cookie.is_empty() { request } else { request.header("cookie", cookie) };
                let response = request.send().await.unwrap();
                assert_eq!(response.status().as_u16(), status, "{method} {path} with `{cookie}`");
                if status == 303 {
                    assert_eq!(response.headers()["location"], "/admin/login", "{method} {path}");
                }
                assert_eq!(response.headers()["content-security-policy"], CSP);
                let body = response.text().await.unwrap();
                assert!(!body.contains("data-count"), "{method} {path} shows no figure: {body}");
            }
        }
        // The sign-in form and its stylesheet are all there is without a session.
        for path in ["/admin/login", "/admin/dashboard.css"] {
            let response = browser().get(format!("{}{path}", server.base)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-security-policy"], CSP);
        }
        let cookie = sign_in(&server).await;
        for (method, path, _) in GUARDED {
            let response = browser()
                .request(method.parse().unwrap(), format!("{}{path}", server.base))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert!(
                [200, 404].contains(&response.status().as_u16()) || (path == "/admin/verify" && response.status() == 303),
                "{method} {path} signed in: {}", response.status()
            );
        }
    }

    a_wrong_token_is_refused_then_the_client_must_wait(server, &["--admin-token", TOKEN]) {
        for attempt in 1..=5 {
            let response = sign_in_with(&server, "not the token").await;
            assert_eq!(response.status(), 401, "attempt {attempt}");
            assert!(response.headers().get("set-cookie").is_none());
            let page = response.text().await.unwrap();
            assert!(page.contains("That is not the admin token."));
        }
        for token in ["still not it", TOKEN] {
            let response = sign_in_with(&server, token).await;
            assert_eq!(response.status(), 429, "even the right token waits once the client is refused");
            let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
            assert!(response.headers().get("set-cookie").is_none());
        }
    }

    every_door_that_takes_the_token_counts_wrong_ones_together(server, &["--admin-token", TOKEN, "--rate-limit", "0"]) {
        // No token at all guesses nothing, and is not counted.
        for _ in 0..10 {
            assert_eq!(server.client.get(format!("{}/api/v1/stats", server.base)).send().await.unwrap().status(), 401);
        }
        for attempt in 1..=3 {
            assert_eq!(server.admin("/api/v1/stats", "not the token").await.status(), 401, "bearer attempt {attempt}");
        }
        for attempt in 4..=5 {
            assert_eq!(sign_in_with(&server, "not the token").await.status(), 401, "sign-in attempt {attempt}");
        }
        // Five wrong tokens through either door: both refuse the client, even with the right token.
        let bearer = server.admin("/api/v1/stats", TOKEN).await;
        assert_eq!(bearer.status(), 429);
        let wait: u64 = bearer.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(sign_in_with(&server, TOKEN).await.status(), 429);
        assert_eq!(server.admin("/api/v1/export", TOKEN).await.status(), 429);
    }

    the_right_token_gives_a_session_cookie_out_of_reach_of_scripts_and_other_sites(server, &["--admin-token", TOKEN]) {
        let response = sign_in_with(&server, TOKEN).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/admin/");
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        for attribute in ["Path=/admin", "HttpOnly", "SameSite=Strict", "Max-Age=28800"] {
            assert!(set_cookie.contains(attribute), "{set_cookie}");
        }
        assert!(!set_cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back: {set_cookie}");
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let page = get(&server, "/admin/", &cookie).await;
        assert_eq!(page.status(), 200);

        // Behind a TLS proxy, the cookie only travels over HTTPS.
        let over_https = browser()
            .post(format!("{}/admin/login", server.base))
            .header("x-forwarded-proto", "https")
            .form(&[("token", TOKEN)])
            .send()
            .await
            .unwrap();
        assert!(over_https.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));

        // Another site's page cannot sign anyone in, start a verification or sign them out.
        for (path, body) in [("/admin/login", format!("token={TOKEN}")), ("/admin/verify", String::new()), ("/admin/logout", String::new())] {
            for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
                let response = browser()
                    .post(format!("{}{path}", server.base))
                    .header("cookie", &cookie)
                    .header(name, value)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 403, "{path} with {name}: {value}");
                assert!(response.headers().get("set-cookie").is_none());
            }
        }
        // The dashboard's own page may: the browser says same-origin.
        let same_origin = browser()
            .post(format!("{}/admin/logout", server.base))
            .header("cookie", &cookie)
            .header("origin", server.base.clone())
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap();
        assert_eq!(same_origin.status(), 303);
        assert_eq!(same_origin.headers()["location"], "/admin/login");
        assert!(same_origin.headers()["set-cookie"].to_str().unwrap().contains("consent_admin=; Path=/admin; Max-Age=0"));
    }

    the_page_runs_no_script_and_no_inline_style(server, &["--admin-token", TOKEN]) {
        server.post(&common::record()).await;
        let cookie = sign_in(&server).await;
        for path in ["/admin/", "/admin/login"] {
            let response = get(&server, path, &cookie).await;
            assert_eq!(response.headers()["content-security-policy"], CSP);
            let page = response.text().await.unwrap();
            let lower = page.to_lowercase();
            for forbidden in ["<script", " style=", "<style", "javascript:", "src=", "<iframe", "<object"] {
                assert!(!lower.contains(forbidden), "{path} contains `{forbidden}`");
            }
            assert!(!has_event_handler(&lower), "{path} has an event handler attribute");
        }
        let page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
        assert!(page.contains(r#"<link rel="stylesheet" href="/admin/dashboard.css">"#));
        // Each chart is an image with a name, and its numbers are in a table too.
        let charts = page.matches(r#"<svg class="chart" role="img" aria-labelledby="#).count();
        assert_eq!(charts, 5, "per day, categories, method, language, revision");
        assert_eq!(page.matches("<table>").count(), charts);
    }
}

/// Whether `html` has an attribute such as `onclick=`.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let name: String = html[at + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        name.len() > 2 && html[at + 1 + name.len()..].starts_with('=')
    })
}

#[tokio::test]
async fn without_an_admin_token_the_dashboard_is_off() {
    let server = common::start(common::Backend::Sqlite, &[]).await;
    for path in ["/admin/", "/admin/login", "/admin/summary.json"] {
        let response = browser().get(format!("{}{path}", server.base)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let response = sign_in_with(&server, "").await;
    assert_eq!(response.status(), 404);
}
