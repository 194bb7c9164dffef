//! Cross-site request forgery: besides the SameSite=Strict cookie, every form the dashboard
//! accepts by POST must come from one of its own pages. Browsers say where a request comes
//! from in `Sec-Fetch-Site` (recent ones) or `Origin`; a request with neither is not from a
//! browser, so nobody's cookie can be abused by it.

use axum::http::{HeaderMap, header};

/// Whether the request comes from this server's own pages (or not from a browser).
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|origin| origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")));
    matches!((origin_host, host), (Some(origin_host), Some(host)) if origin_host.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.parse().unwrap(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn only_the_dashboard_s_own_pages_may_post() {
        assert!(is_same_origin(&headers(&[])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin"), ("origin", "https://evil.example")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://consent.example:8080"),
            ("host", "consent.example:8080")
        ])));
        assert!(!is_same_origin(&headers(&[("origin", "https://evil.example"), ("host", "consent.example")])));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "consent.example")])));
    }
}
