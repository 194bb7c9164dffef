//! The privacy policy as a document model: the locale's blocks with the company's details
//! filled in, plus a cookie-policy section generated from the configuration.

use super::config::Config;
use super::i18n::Locale;
use super::markup::{Inline, render_inline};
use serde::Deserialize;

/// A block as written in a locale file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Block {
    Heading {
        level: u8,
        id: String,
        text: String,
        #[serde(default)]
        requires: Option<Requirement>,
    },
    Paragraph {
        text: String,
        #[serde(default)]
        requires: Option<Requirement>,
    },
    List {
        items: Vec<String>,
        #[serde(default)]
        requires: Option<Requirement>,
    },
    /// Where the generated cookie policy goes.
    Cookies,
}

/// A block shown only when the configuration names the person it speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Requirement {
    Dpo,
    Delegate,
}

/// What must be identical in every translation of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockShape {
    Heading { level: u8, id: String, requires: Option<Requirement> },
    Paragraph { requires: Option<Requirement> },
    List { items: usize, requires: Option<Requirement> },
    Cookies,
}

impl Block {
    pub fn shape(&self) -> BlockShape {
        match self {
            Block::Heading { level, id, requires, .. } => {
                BlockShape::Heading { level: *level, id: id.clone(), requires: *requires }
            }
            Block::Paragraph { requires, .. } => BlockShape::Paragraph { requires: *requires },
            Block::List { items, requires } => BlockShape::List { items: items.len(), requires: *requires },
            Block::Cookies => BlockShape::Cookies,
        }
    }

    pub fn texts(&self) -> Vec<&str> {
        match self {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => vec![text],
            Block::List { items, .. } => items.iter().map(String::as_str).collect(),
            Block::Cookies => Vec::new(),
        }
    }

    fn requirement(&self) -> Option<Requirement> {
        match self {
            Block::Heading { requires, .. } | Block::Paragraph { requires, .. } | Block::List { requires, .. } => {
                *requires
            }
            Block::Cookies => None,
        }
    }
}

/// A block ready to render: text already filled in and split into safe inline pieces.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyBlock {
    Heading { level: u8, id: String, text: String },
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    pub blocks: Vec<PolicyBlock>,
}

/// The id of the generated cookie-policy section, for "open the policy at the cookies".
pub const COOKIES_SECTION_ID: &str = "cookies";

impl PolicyDocument {
    pub fn build(locale: &Locale, config: &Config) -> PolicyDocument {
        let company = &config.company;
        let lookup = |name: &str| -> Option<String> {
            match name {
                "company" => Some(company.name.clone()),
                "address" => company.address.clone(),
                "email" => company.email.clone(),
                "contactUrl" => company.contact_url.clone().or_else(|| config.links.policy.clone()),
                "dpo" => company.dpo.clone(),
                "delegate" => company.delegate.clone(),
                _ => None,
            }
        };
        let present = |requirement: Option<Requirement>| match requirement {
            Some(Requirement::Dpo) => company.dpo.is_some(),
            Some(Requirement::Delegate) => company.delegate.is_some(),
            None => true,
        };
        let mut blocks = Vec::new();
        for block in locale.document.iter().filter(|block| present(block.requirement())) {
            match block {
                Block::Heading { level, id, text, .. } => blocks.push(PolicyBlock::Heading {
                    level: *level,
                    id: id.clone(),
                    text: super::markup::fill_placeholders(text, &lookup),
                }),
                Block::Paragraph { text, .. } => blocks.push(PolicyBlock::Paragraph(render_inline(text, &lookup))),
                Block::List { items, .. } => {
                    blocks.push(PolicyBlock::List(items.iter().map(|item| render_inline(item, &lookup)).collect()))
                }
                Block::Cookies => blocks.extend(cookie_section(locale, config)),
            }
        }
        PolicyDocument { blocks }
    }

    /// Headings of level 2 and 3, for the table of contents.
    pub fn contents(&self) -> Vec<TocEntry> {
        self.blocks
            .iter()
            .filter_map(|block| match block {
                PolicyBlock::Heading { level, id, text } if *level <= 3 => {
                    Some(TocEntry { level: *level, id: id.clone(), text: text.clone() })
                }
                _ => None,
            })
            .collect()
    }
}

fn text(value: &str) -> Vec<Inline> {
    vec![Inline::Text(value.to_string())]
}

/// The cookie policy: one subsection per category with its services and cookie table.
fn cookie_section(locale: &Locale, config: &Config) -> Vec<PolicyBlock> {
    let language = &locale.code;
    let fallback = &config.languages.default;
    let mut blocks = vec![
        PolicyBlock::Heading {
            level: 2,
            id: COOKIES_SECTION_ID.to_string(),
            text: locale.text("policy.cookiesHeading").to_string(),
        },
        PolicyBlock::Paragraph(text(locale.text("policy.cookiesIntro"))),
    ];
    for category in &config.categories {
        blocks.push(PolicyBlock::Heading {
            level: 3,
            id: format!("{COOKIES_SECTION_ID}-{}", category.id),
            text: locale.category_title(category, config),
        });
        blocks.push(PolicyBlock::Paragraph(text(&locale.category_description(category, config))));
        let status = if category.required { "policy.cookiesRequired" } else { "policy.cookiesOptional" };
        blocks.push(PolicyBlock::Paragraph(text(locale.text(status))));
        if !category.services.is_empty() {
            blocks.push(PolicyBlock::List(
                category
                    .services
                    .iter()
                    .map(|service| match &service.description {
                        Some(description) => {
                            text(&format!("{}: {}", service.name, description.get(language, fallback)))
                        }
                        None => text(&service.name),
                    })
                    .collect(),
            ));
        }
        if category.cookies.is_empty() {
            blocks.push(PolicyBlock::Paragraph(text(locale.text("preferences.noCookies"))));
        } else {
            blocks.push(cookie_table(locale, config, &category.cookies));
        }
    }
    blocks
}

/// The table of cookies shown in the policy and in the preferences panel.
pub fn cookie_table(locale: &Locale, config: &Config, cookies: &[super::config::CookieInfo]) -> PolicyBlock {
    let headers = ["preferences.cookieName", "preferences.provider", "preferences.purpose", "preferences.duration"]
        .iter()
        .map(|key| locale.text(key).to_string())
        .collect();
    let rows = cookies
        .iter()
        .map(|cookie| {
            vec![
                cookie.name.clone(),
                cookie.provider.clone(),
                cookie.purpose.get(&locale.code, &config.languages.default).to_string(),
                locale.duration(cookie.duration),
            ]
        })
        .collect();
    PolicyBlock::Table { headers, rows }
}

#[cfg(test)]
mod tests;
