//! The site's own configuration, which the scan judges what it sees against: the one the page
//! carries (inline, or at its `data-config` address) or a file given with `--config`, read by the
//! widget's own reader so that the scanner and the widget never disagree on what it says.

use crate::tab::Tab;
use consent_widget::core::catalogue;
use consent_widget::core::config::Config;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Source {
    /// `<script type="application/json" id="consent-widget-config">` in the page.
    Inline {
        page: String,
    },
    /// The loader's `data-config` address.
    DataConfig {
        url: String,
    },
    File {
        path: String,
    },
    /// No configuration of this widget: the page uses another consent manager, or none.
    None,
}

/// The configuration read, or why it could not be.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub source: Source,
    /// Its text, as the site wrote it (the `--fix` output starts from it).
    pub text: Option<String>,
    pub config: Option<Config>,
    /// Why the configuration could not be read, naming the field at fault.
    pub problem: Option<String>,
}

impl SiteConfig {
    pub fn none() -> SiteConfig {
        SiteConfig { source: Source::None, text: None, config: None, problem: None }
    }

    fn from_text(source: Source, text: String) -> SiteConfig {
        match catalogue::read_config(&text, catalogue::built_in) {
            Ok(config) => SiteConfig { source, text: Some(text), config: Some(config), problem: None },
            Err(error) => SiteConfig { source, text: Some(text), config: None, problem: Some(error.to_string()) },
        }
    }

    /// Reads `--config FILE`.
    pub fn from_file(path: &Path) -> SiteConfig {
        let source = Source::File { path: path.display().to_string() };
        match std::fs::read_to_string(path) {
            Ok(text) => SiteConfig::from_text(source, text),
            Err(error) => SiteConfig {
                source,
                text: None,
                config: None,
                problem: Some(format!("cannot read {}: {error}", path.display())),
            },
        }
    }

    /// Reads the configuration the page in `tab` carries, if any.
    pub async fn from_page(tab: &Tab, page: &str) -> SiteConfig {
        let found: Result<Option<Found>, String> = tab.eval(FIND).await;
        match found {
            Ok(Some(Found { inline: Some(text), .. })) => {
                SiteConfig::from_text(Source::Inline { page: page.to_string() }, text)
            }
            Ok(Some(Found { url: Some(url), .. })) => {
                let source = Source::DataConfig { url: url.clone() };
                let fetched: Result<Fetched, String> = tab.eval(&fetch_expression(&url)).await;
                match fetched {
                    Ok(Fetched { text: Some(text), .. }) => SiteConfig::from_text(source, text),
                    Ok(Fetched { problem, .. }) => SiteConfig {
                        source,
                        text: None,
                        config: None,
                        problem: Some(format!(
                            "cannot load data-config `{url}`: {}",
                            problem.unwrap_or_else(|| "no answer".into())
                        )),
                    },
                    Err(error) => SiteConfig {
                        source,
                        text: None,
                        config: None,
                        problem: Some(format!("cannot load data-config `{url}`: {error}")),
                    },
                }
            }
            _ => SiteConfig::none(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Found {
    inline: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Fetched {
    text: Option<String>,
    problem: Option<String>,
}

/// As the loader finds it (js/loader.js): the inline element first, then `data-config`.
const FIND: &str = "(() => {
  const inline = document.getElementById('consent-widget-config');
  if (inline) return { inline: inline.textContent, url: null };
  const loader = document.querySelector('script[data-config]');
  if (loader) return { inline: null, url: new URL(loader.getAttribute('data-config'), document.baseURI).href };
  return null;
})()";

fn fetch_expression(url: &str) -> String {
    let url = serde_json::to_string(url).unwrap_or_else(|_| "\"\"".into());
    format!(
        "fetch({url}).then((response) => response.ok ? response.text().then((text) => ({{ text, problem: null }})) \
         : {{ text: null, problem: 'HTTP ' + response.status }}, () => ({{ text: null, problem: 'network error' }}))"
    )
}
