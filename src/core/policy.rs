//! The privacy policy as a document model: the locale's blocks with the company's details
//! filled in, plus a cookie-policy section generated from the configuration.

use super::config::Config;
use super::i18n::{DOCUMENT_KEY, Locale, LocaleError};
use super::json::{self, Field, Json, JsonError};
use super::markup::{Inline, render_inline};

/// A block as written in a locale file.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        id: String,
        text: String,
        requires: Option<Requirement>,
    },
    Paragraph {
        text: String,
        requires: Option<Requirement>,
    },
    List {
        items: Vec<String>,
        requires: Option<Requirement>,
    },
    /// Where the generated cookie policy goes.
    Cookies,
}

/// A block shown only when the configuration names the person it speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A policy file as the widget fetches it (`policy-<lang>.json`): the `policy.document`
/// array of a locale file, on its own.
pub fn parse_policy(text: &str) -> Result<Vec<Block>, LocaleError> {
    let tree =
        json::parse(text).map_err(|error| LocaleError { path: DOCUMENT_KEY.to_string(), message: error.message })?;
    blocks_from(&tree)
}

fn blocks_from(document: &Json) -> Result<Vec<Block>, LocaleError> {
    // Paths inside the document are relative to `policy.document`.
    Field::root(document)
        .list(Block::read)
        .map_err(|error| LocaleError { path: format!("{DOCUMENT_KEY}{}", error.path), message: error.message })
}

/// The policy document of a whole locale file.
pub fn document_of(locale_json: &str) -> Result<Vec<Block>, LocaleError> {
    let fail = |path: &str, message: String| LocaleError { path: path.to_string(), message };
    let tree = json::parse(locale_json).map_err(|e| fail("(root)", e.message))?;
    let document = tree
        .get("policy")
        .and_then(|policy| policy.get("document"))
        .ok_or_else(|| fail(DOCUMENT_KEY, "is missing".to_string()))?;
    blocks_from(document)
}

impl Block {
    /// `{ "type": "heading", "level": 2, "id": "...", "text": "..." }` and the like.
    fn read(field: &Field) -> Result<Block, JsonError> {
        let kind = field.object(&["type", "level", "id", "text", "items", "requires"])?.required("type")?;
        let block = match kind.str()? {
            "heading" => {
                let members = field.object(&["type", "level", "id", "text", "requires"])?;
                Block::Heading {
                    level: members.required("level")?.integer()?,
                    id: members.required("id")?.string()?,
                    text: members.required("text")?.string()?,
                    requires: members.read("requires", Requirement::read)?,
                }
            }
            "paragraph" => {
                let members = field.object(&["type", "text", "requires"])?;
                Block::Paragraph {
                    text: members.required("text")?.string()?,
                    requires: members.read("requires", Requirement::read)?,
                }
            }
            "list" => {
                let members = field.object(&["type", "items", "requires"])?;
                Block::List {
                    items: members.required("items")?.list(Field::string)?,
                    requires: members.read("requires", Requirement::read)?,
                }
            }
            "cookies" => {
                field.object(&["type"])?;
                Block::Cookies
            }
            other => {
                return Err(kind.error(format!(
                    "unknown block type `{other}`, expected one of `heading`, `paragraph`, `list`, `cookies`"
                )));
            }
        };
        Ok(block)
    }
}

impl Requirement {
    fn read(field: &Field) -> Result<Requirement, JsonError> {
        match field.str()? {
            "dpo" => Ok(Requirement::Dpo),
            "delegate" => Ok(Requirement::Delegate),
            other => Err(field.error(format!("unknown requirement `{other}`, expected `dpo` or `delegate`"))),
        }
    }
}

/// The policy document shipped for `code`, read from the locale file (native builds only:
/// the widget fetches it instead).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn builtin_blocks(code: &str) -> Vec<Block> {
    super::i18n::full_source(code).and_then(|source| document_of(source).ok()).unwrap_or_default()
}

/// Every structural difference between a translation of the policy and the English one:
/// block count, headings, list lengths, and empty texts.
pub fn document_problems(code: &str, reference: &[Block], document: &[Block]) -> Vec<String> {
    let mut problems = Vec::new();
    if reference.len() != document.len() {
        problems.push(format!("{code}: policy has {} blocks, English has {}", document.len(), reference.len()));
    }
    for (index, (expected, actual)) in reference.iter().zip(document).enumerate() {
        if expected.shape() != actual.shape() {
            problems.push(format!(
                "{code}: policy block {index} is {:?}, English has {:?}",
                actual.shape(),
                expected.shape()
            ));
        }
        if actual.texts().iter().any(|text| text.trim().is_empty()) {
            problems.push(format!("{code}: policy block {index} has empty text"));
        }
    }
    problems
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
/// The id of the section on recipients and transfers: the partners the banner links to.
pub const RECIPIENTS_SECTION_ID: &str = "recipients";

impl PolicyDocument {
    /// The locale's policy `document` for this site: people it lacks left out, its details
    /// filled in, and the cookie policy generated where the document asks for it.
    pub fn build(locale: &Locale, document: &[Block], config: &Config) -> PolicyDocument {
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
        for block in document.iter().filter(|block| present(block.requirement())) {
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
