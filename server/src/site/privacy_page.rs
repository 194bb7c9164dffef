//! The privacy policy as a page of its own, per language, at `/privacy/<lang>.html`: the same
//! document the widget's dialog shows, composed from the site's configuration
//! (`<site dir>/consent-config.json`), readable without JavaScript, printable, under a strict
//! policy (its own stylesheet, nothing else). A site can link it from anywhere, a contract or an
//! e-mail, and point `links.policy` at it.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use consent_widget::core::catalogue;
use consent_widget::core::config::Config;
use consent_widget::core::i18n::Locale;
use consent_widget::core::markup::Inline;
use consent_widget::core::policy::{PREFERENCES_HREF, PolicyBlock, PolicyDocument, builtin_policy};
use maud::{DOCTYPE, Markup, html};
use std::sync::Arc;

/// The page's policy: its stylesheet; no script, no frame, no form.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLESHEET: &str = include_str!("privacy_page.css");

/// The site's configuration, as read at start-up, or why there is none.
#[derive(Clone)]
pub struct Pages {
    config: Result<Arc<Config>, Arc<str>>,
}

impl Pages {
    /// Reads `<site dir>/consent-config.json`.
    pub fn read(site_dir: &std::path::Path) -> Pages {
        let path = site_dir.join("consent-config.json");
        let config = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))
            .and_then(|text| {
                catalogue::read_config(&text, catalogue::built_in)
                    .map_err(|error| format!("{}: {error}", path.display()))
            })
            .map(Arc::new)
            .map_err(Arc::from);
        Pages { config }
    }
}

pub fn router(pages: Pages) -> Router {
    Router::new()
        .route("/privacy", get(|| async { Redirect::permanent("/privacy/") }))
        .route("/privacy/", get(index))
        .route(
            "/privacy/policy.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLESHEET) }),
        )
        .route("/privacy/{file}", get(page))
        .with_state(pages)
}

/// The site's default language.
async fn index(State(pages): State<Pages>) -> Response {
    match &pages.config {
        Ok(config) => Redirect::to(&format!("/privacy/{}.html", config.languages.default)).into_response(),
        Err(why) => unavailable(why),
    }
}

async fn page(State(pages): State<Pages>, Path(file): Path<String>) -> Response {
    let config = match &pages.config {
        Ok(config) => config,
        Err(why) => return unavailable(why),
    };
    let Some(code) =
        file.strip_suffix(".html").filter(|code| config.languages.enabled.iter().any(|known| known == code))
    else {
        let text = format!(
            "No such page: the policy is at /privacy/<language>.html, for {}.",
            config.languages.enabled.join(", ")
        );
        return (StatusCode::NOT_FOUND, text).into_response();
    };
    let mut response = Html(render(config, code)).into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    response
}

fn unavailable(why: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("No privacy policy page: {why}")).into_response()
}

/// The whole page in `code`.
pub fn render(config: &Config, code: &str) -> String {
    let locale = Locale::for_site(code, config);
    let document = PolicyDocument::build(&locale, &builtin_policy(code), config);
    let title = locale.text("policy.title");
    html! {
        (DOCTYPE)
        html lang=(code) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (config.company.name) }
                link rel="stylesheet" href="/privacy/policy.css";
            }
            body {
                main {
                    h1 { (title) }
                    @if config.languages.enabled.len() > 1 {
                        nav.languages aria-label=(locale.text("language.label")) {
                            ul {
                                @for other in &config.languages.enabled {
                                    li {
                                        @if other == code {
                                            span aria-current="page" lang=(other) { (consent_widget::core::language_name(other)) }
                                        } @else {
                                            a href=(format!("/privacy/{other}.html")) lang=(other) hreflang=(other) {
                                                (consent_widget::core::language_name(other))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    nav.contents aria-labelledby="contents-heading" {
                        h2 #contents-heading { (locale.text("policy.contents")) }
                        ul {
                            @for entry in document.contents() {
                                li class=(format!("level-{}", entry.level)) { a href=(format!("#{}", entry.id)) { (entry.text) } }
                            }
                        }
                    }
                    @for block in &document.blocks { (block_markup(block)) }
                }
            }
        }
    }
    .into_string()
}

fn block_markup(block: &PolicyBlock) -> Markup {
    match block {
        PolicyBlock::Heading { level, id, text } => match level {
            2 => html! { h2 id=(id) { (text) } },
            3 => html! { h3 id=(id) { (text) } },
            _ => html! { h4 id=(id) { (text) } },
        },
        PolicyBlock::Paragraph(pieces) => html! { p { (inline(pieces)) } },
        PolicyBlock::List(items) => html! { ul { @for item in items { li { (inline(item)) } } } },
        PolicyBlock::Table { headers, rows } => html! {
            table {
                thead { tr { @for cell in headers { th scope="col" { (cell) } } } }
                tbody { @for row in rows { tr { @for cell in row { td { (cell) } } } } }
            }
        },
    }
}

/// Text, emphasis and links; a link that opens the cookie settings needs the widget, which this
/// page does not load: its words stay, as text.
fn inline(pieces: &[Inline]) -> Markup {
    html! {
        @for piece in pieces {
            @match piece {
                Inline::Text(text) => (text),
                Inline::Strong(text) => strong { (text) },
                Inline::Link { label, href } if href == PREFERENCES_HREF => (label),
                Inline::Link { label, href } => a href=(href) { (label) },
            }
        }
    }
}
