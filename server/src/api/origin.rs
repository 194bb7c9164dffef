//! `--allowed-origins` applied to writes: a record is stored only when the request says it
//! comes from a page of a listed site. Browsers set `Origin` (and `Referer`) themselves and
//! no page script can change them, so a page elsewhere cannot make its visitors' browsers
//! write records here; a client outside a browser can still send any header it likes.

use super::error::ApiError;
use axum::http::{HeaderMap, header};

/// The listed origins, compared as browsers write them: lower case, no trailing slash.
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(Vec<String>);

impl AllowedOrigins {
    pub fn new(origins: &[String]) -> AllowedOrigins {
        AllowedOrigins(origins.iter().map(|origin| normalize(origin)).filter(|origin| !origin.is_empty()).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, origin: &str) -> bool {
        self.0.iter().any(|listed| *listed == normalize(origin))
    }

    /// `Ok` when no list is set or the request names a listed origin: its `Origin` header,
    /// else the origin of its `Referer`. A request with neither is refused too: every browser
    /// sends `Origin` with a POST, so only a client outside one leaves both out.
    pub fn check_request(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        if self.is_empty() {
            return Ok(());
        }
        let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
        let (origin, source) = match (text(header::ORIGIN), text(header::REFERER)) {
            (Some("null"), _) => {
                return Err(refused(
                    "the request's Origin is `null`: the page's Referrer-Policy hides where it comes from \
                     (strict-origin-when-cross-origin, the browsers' default, does not)"
                        .to_string(),
                ));
            }
            (Some(origin), _) => (origin, "Origin"),
            (None, Some(referer)) => (origin_of(referer), "Referer"),
            (None, None) => {
                return Err(refused(
                    "the request names no Origin or Referer: records are taken only from pages of the allowed origins"
                        .to_string(),
                ));
            }
        };
        if self.contains(origin) {
            Ok(())
        } else {
            Err(refused(format!(
                "records from `{origin}` (its {source}) are not accepted: it is not an allowed origin"
            )))
        }
    }
}

fn refused(detail: String) -> ApiError {
    ApiError::Forbidden(detail)
}

fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// `https://shop.example:8443` of `https://shop.example:8443/cart?x=1`: scheme, host and port.
fn origin_of(url: &str) -> &str {
    let host_start = url.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let host_end = url[host_start..].find(['/', '?', '#']).map_or(url.len(), |end| host_start + end);
    &url[..host_end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn a_listed_origin_or_referer_passes_and_anything_else_is_refused() {
        let allowed = AllowedOrigins::new(&["https://Shop.example/".to_string(), "http://localhost:8080".to_string()]);
        assert!(allowed.check_request(&headers(&[(header::ORIGIN, "https://shop.example")])).is_ok());
        assert!(allowed.check_request(&headers(&[(header::REFERER, "http://localhost:8080/cart?x=1")])).is_ok());
        assert!(allowed.check_request(&headers(&[(header::REFERER, "https://shop.example")])).is_ok());
        let refused = [
            headers(&[(header::ORIGIN, "https://evil.example")]),
            headers(&[(header::ORIGIN, "https://shop.example.evil.example")]),
            headers(&[(header::ORIGIN, "http://shop.example")]),
            headers(&[(header::ORIGIN, "null"), (header::REFERER, "https://shop.example/")]),
            headers(&[(header::ORIGIN, "https://evil.example"), (header::REFERER, "https://shop.example/")]),
            headers(&[(header::REFERER, "https://shop.example.evil.example/")]),
            headers(&[(header::REFERER, "http://localhost:8081/")]),
            headers(&[]),
        ];
        for request in refused {
            let problem = allowed.check_request(&request).unwrap_err().problem();
            assert_eq!(problem.status, StatusCode::FORBIDDEN, "{request:?}");
        }
    }

    #[test]
    fn without_a_list_every_request_passes() {
        assert!(AllowedOrigins::new(&[]).check_request(&headers(&[(header::ORIGIN, "https://evil.example")])).is_ok());
    }
}
