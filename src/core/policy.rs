//! The privacy policy as a document model. A locale's policy file holds the document's
//! blocks (headings, paragraphs and lists, some shown only when the site has what they
//! speak of), the words of the sections generated from the configuration, and the names
//! of countries. [`PolicyDocument::build`] fills in the site's details and generates
//! what must match the site: who is responsible, the recipients and transfers, the
//! categories that need consent, and the cookie tables.

use super::btree;
#[cfg(test)]
use super::config::CookieInfo;
use super::config::{Category, Config};
use super::country::Safeguard;
use super::duration::{CookieDuration, TimeUnit};
use super::i18n::{DOCUMENT_KEY, Locale, LocaleError};
use super::json::{self, Field, Json, JsonError};
use super::markup::{Inline, render_inline};
use std::collections::BTreeMap;

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
    /// Written from the configuration, in the words of the policy file's `sections`.
    Generated(Generated),
}

/// The sections that must match the site, so they are generated from its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// The company: name, address, email, contact page.
    Controller,
    /// The data protection officer's name and contacts (nothing when there is none).
    Dpo,
    /// The EU representative's name and contacts (nothing when there is none).
    EuRepresentative,
    /// Every configured service: provider, country, transfer safeguard.
    Recipients,
    /// The categories used only with consent.
    ConsentCategories,
    /// One subsection per category: its services and cookie table.
    Cookies,
}

impl Generated {
    const NAMES: [(&str, Generated); 6] = [
        ("controller", Generated::Controller),
        ("dpo", Generated::Dpo),
        ("euRepresentative", Generated::EuRepresentative),
        ("recipients", Generated::Recipients),
        ("consentCategories", Generated::ConsentCategories),
        ("cookies", Generated::Cookies),
    ];
}

/// A block shown only when the configuration has what it speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Dpo,
    EuRepresentative,
    /// Decisions are recorded (`records` is configured).
    Records,
    /// No record leaves the browser.
    NoRecords,
    /// At least one category needs consent.
    OptionalCategories,
    FloatingButton,
    /// The configuration gives the policy's date and version.
    PolicyVersion,
}

impl Requirement {
    const NAMES: [(&str, Requirement); 7] = [
        ("dpo", Requirement::Dpo),
        ("euRepresentative", Requirement::EuRepresentative),
        ("records", Requirement::Records),
        ("noRecords", Requirement::NoRecords),
        ("optionalCategories", Requirement::OptionalCategories),
        ("floatingButton", Requirement::FloatingButton),
        ("policyVersion", Requirement::PolicyVersion),
    ];

    pub fn met(self, config: &Config) -> bool {
        match self {
            Requirement::Dpo => config.company.dpo.is_some(),
            Requirement::EuRepresentative => config.company.eu_representative.is_some(),
            Requirement::Records => config.records.is_some(),
            Requirement::NoRecords => config.records.is_none(),
            Requirement::OptionalCategories => config.categories.iter().any(|category| !category.required),
            Requirement::FloatingButton => config.floating_button.enabled,
            Requirement::PolicyVersion => config.policy.is_some(),
        }
    }
}

/// The placeholders policy text may use, and the requirement under which each has a value.
pub const PLACEHOLDERS: [(&str, Option<Requirement>); 6] = [
    ("company", None),
    ("cookieName", None),
    ("cookieLifetime", None),
    ("recordsRetention", Some(Requirement::Records)),
    ("policyDate", Some(Requirement::PolicyVersion)),
    ("policyVersion", Some(Requirement::PolicyVersion)),
];

/// An in-text link to this reserved target opens the cookie settings instead of a page.
pub const PREFERENCES_HREF: &str = "#preferences";

/// What must be identical in every translation of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockShape {
    Heading { level: u8, id: String, requires: Option<Requirement> },
    Paragraph { requires: Option<Requirement> },
    List { items: usize, requires: Option<Requirement> },
    Generated(Generated),
}

impl Block {
    pub fn shape(&self) -> BlockShape {
        match self {
            Block::Heading { level, id, requires, .. } => {
                BlockShape::Heading { level: *level, id: id.clone(), requires: *requires }
            }
            Block::Paragraph { requires, .. } => BlockShape::Paragraph { requires: *requires },
            Block::List { items, requires } => BlockShape::List { items: items.len(), requires: *requires },
            Block::Generated(kind) => BlockShape::Generated(*kind),
        }
    }

    pub fn texts(&self) -> Vec<&str> {
        match self {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => vec![text],
            Block::List { items, .. } => items.iter().map(String::as_str).collect(),
            Block::Generated(_) => Vec::new(),
        }
    }

    pub fn requirement(&self) -> Option<Requirement> {
        match self {
            Block::Heading { requires, .. } | Block::Paragraph { requires, .. } | Block::List { requires, .. } => {
                *requires
            }
            Block::Generated(_) => None,
        }
    }
}

/// A language's policy file: the document, the words of its generated sections and the
/// names of countries. The widget fetches it as `policy-<lang>.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyText {
    pub blocks: Vec<Block>,
    /// `recipients.intro`, `months.3`... by dotted key.
    pub sections: BTreeMap<String, String>,
    /// ISO 3166-1 alpha-2 code to the country's name.
    pub countries: BTreeMap<String, String>,
}

impl PolicyText {
    /// A word of a generated section; the key itself when missing, so a gap shows.
    pub fn section<'a>(&'a self, key: &'a str) -> &'a str {
        self.sections.get(key).map(String::as_str).unwrap_or(key)
    }

    pub fn country<'a>(&'a self, code: &'a str) -> &'a str {
        self.countries.get(code).map(String::as_str).unwrap_or(code)
    }
}

/// The members of a policy file, and of the `policy` object of a locale file that are policy-only.
pub const POLICY_MEMBERS: [&str; 3] = ["document", "sections", "countries"];

/// A policy file as the widget fetches it (`policy-<lang>.json`).
pub fn parse_policy(text: &str) -> Result<PolicyText, LocaleError> {
    let tree =
        json::parse(text).map_err(|error| LocaleError { path: DOCUMENT_KEY.to_string(), message: error.message })?;
    policy_from(&tree)
}

/// The policy of a whole locale file (its `policy.document`, `.sections` and `.countries`).
pub fn policy_of(locale_json: &str) -> Result<PolicyText, LocaleError> {
    let fail = |path: &str, message: String| LocaleError { path: path.to_string(), message };
    let tree = json::parse(locale_json).map_err(|e| fail("(root)", e.message))?;
    let policy = tree.get("policy").ok_or_else(|| fail(DOCUMENT_KEY, "is missing".to_string()))?;
    if policy.get("document").is_none() {
        return Err(fail(DOCUMENT_KEY, "is missing".to_string()));
    }
    let members: Vec<(String, Json)> = POLICY_MEMBERS
        .iter()
        .filter_map(|name| policy.get(name).map(|value| (name.to_string(), value.clone())))
        .collect();
    policy_from(&Json::Object(members))
}

fn policy_from(tree: &Json) -> Result<PolicyText, LocaleError> {
    // Paths are given as in a locale file, under `policy`.
    let fail = |error: JsonError| LocaleError { path: format!("policy.{}", error.path), message: error.message };
    let members = Field::root(tree).object(&POLICY_MEMBERS).map_err(fail)?;
    let blocks = members.required("document").and_then(|document| document.list(Block::read)).map_err(fail)?;
    let mut sections = BTreeMap::new();
    if let Some(field) = members.optional("sections") {
        flatten_strings("", &field, &mut sections).map_err(fail)?;
    }
    let countries = match members.optional("countries") {
        Some(field) => field
            .entries()
            .and_then(|entries| {
                btree::try_map(entries.into_iter().map(|(code, name)| Ok((code.to_string(), name.string()?))))
            })
            .map_err(fail)?,
        None => BTreeMap::new(),
    };
    Ok(PolicyText { blocks, sections, countries })
}

fn flatten_strings(prefix: &str, field: &Field, out: &mut BTreeMap<String, String>) -> Result<(), JsonError> {
    if let Some(text) = field.value.as_str() {
        out.insert(prefix.to_string(), text.to_string());
        return Ok(());
    }
    for (name, member) in field.entries()? {
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        flatten_strings(&path, &member, out)?;
    }
    Ok(())
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
            other => match Generated::NAMES.iter().find(|(name, _)| *name == other) {
                Some((_, generated)) => {
                    field.object(&["type"])?;
                    Block::Generated(*generated)
                }
                None => {
                    let known: Vec<&str> = ["heading", "paragraph", "list"]
                        .into_iter()
                        .chain(Generated::NAMES.iter().map(|(name, _)| *name))
                        .collect();
                    return Err(
                        kind.error(format!("unknown block type `{other}`, expected one of {}", known.join(", ")))
                    );
                }
            },
        };
        Ok(block)
    }
}

impl Requirement {
    fn read(field: &Field) -> Result<Requirement, JsonError> {
        let name = field.str()?;
        Requirement::NAMES.iter().find(|(known, _)| *known == name).map(|(_, requirement)| *requirement).ok_or_else(
            || {
                let known: Vec<&str> = Requirement::NAMES.iter().map(|(name, _)| *name).collect();
                field.error(format!("unknown requirement `{name}`, expected one of {}", known.join(", ")))
            },
        )
    }
}

/// The policy shipped for `code`, read from the locale file (native builds only: the
/// widget fetches it instead).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn builtin_policy(code: &str) -> PolicyText {
    super::i18n::full_source(code).and_then(|source| policy_of(source).ok()).unwrap_or_default()
}

/// Every structural difference between a translation of the policy and the English one:
/// block count, headings, list lengths, placeholders, empty texts, and words of the
/// generated sections or countries missing or extra.
pub fn document_problems(code: &str, reference: &PolicyText, policy: &PolicyText) -> Vec<String> {
    let mut problems = Vec::new();
    let (expected_blocks, blocks) = (&reference.blocks, &policy.blocks);
    if expected_blocks.len() != blocks.len() {
        problems.push(format!("{code}: policy has {} blocks, English has {}", blocks.len(), expected_blocks.len()));
    }
    for (index, (expected, actual)) in expected_blocks.iter().zip(blocks).enumerate() {
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
        let links =
            |block: &Block| -> Vec<String> { block.texts().iter().flat_map(|text| link_targets(text)).collect() };
        if links(expected) != links(actual) {
            problems.push(format!(
                "{code}: policy block {index} links to {:?}, English to {:?}",
                links(actual),
                links(expected)
            ));
        }
    }
    for (index, block) in blocks.iter().enumerate() {
        for text in block.texts() {
            for name in placeholder_names(text) {
                match PLACEHOLDERS.iter().find(|(known, _)| *known == name) {
                    None => problems.push(format!("{code}: policy block {index} uses unknown placeholder {{{name}}}")),
                    Some((_, Some(needed))) if block.requirement() != Some(*needed) => problems.push(format!(
                        "{code}: policy block {index} uses {{{name}}}, which has a value only in blocks that require {needed:?}"
                    )),
                    _ => {}
                }
            }
        }
    }
    for (what, expected, actual) in
        [("sections", &reference.sections, &policy.sections), ("countries", &reference.countries, &policy.countries)]
    {
        for key in expected.keys().filter(|key| !actual.contains_key(*key)) {
            problems.push(format!("{code}: policy {what} lacks `{key}`"));
        }
        for (key, text) in actual {
            if !expected.contains_key(key) {
                problems.push(format!("{code}: policy {what} has extra `{key}`"));
            }
            if text.trim().is_empty() {
                problems.push(format!("{code}: policy {what} `{key}` is empty"));
            }
        }
    }
    problems
}

/// The `{name}`s in a text.
pub fn placeholder_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if !after[..end].is_empty() && after[..end].chars().all(|c| c.is_ascii_alphanumeric()) => {
                names.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

/// The targets of a text's `[label](target)` links.
fn link_targets(text: &str) -> Vec<String> {
    render_inline(text, &|_| None)
        .into_iter()
        .filter_map(|piece| match piece {
            Inline::Link { href, .. } => Some(href),
            Inline::Text(_) => None,
        })
        .collect()
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

/// The id of the cookie section, for "open the policy at the cookies".
pub const COOKIES_SECTION_ID: &str = "cookies";
/// The id of the section listing the services that receive data, for the partners link.
pub const RECIPIENTS_SECTION_ID: &str = "recipients";

impl PolicyDocument {
    /// The policy for this site: blocks about what the site lacks left out, its details
    /// filled in, and the generated sections written from its configuration. A block whose
    /// placeholder has no value is left out too, so that none is ever shown unfilled.
    pub fn build(locale: &Locale, policy: &PolicyText, config: &Config) -> PolicyDocument {
        let values = placeholder_values(locale, policy, config);
        let value = |name: &str| values.iter().find(|(key, _)| *key == name).map(|(_, value)| value);
        let lookup = |name: &str| value(name).cloned();
        let filled = |text: &str| placeholder_names(text).iter().all(|name| value(name).is_some());
        let generator = Generator { locale, policy, config };
        let mut blocks = Vec::new();
        for block in &policy.blocks {
            if !block.requirement().is_none_or(|requirement| requirement.met(config))
                || !block.texts().iter().all(|text| filled(text))
            {
                continue;
            }
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
                Block::Generated(kind) => blocks.extend(generator.generate(*kind)),
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

/// The value of each placeholder this site can fill. A list, not a map: there are six at
/// most, and a `BTreeMap` keyed by `&str` would be one more copy of the B-tree code in the wasm.
fn placeholder_values(locale: &Locale, policy: &PolicyText, config: &Config) -> Vec<(&'static str, String)> {
    let mut values = vec![
        ("company", config.company.name.clone()),
        ("cookieName", config.cookie.name.clone()),
        ("cookieLifetime", days(locale, config.cookie.lifetime_days)),
    ];
    if let Some(records) = &config.records {
        values.push(("recordsRetention", days(locale, records.retention_days)));
    }
    if let Some(settings) = &config.policy {
        values.push(("policyVersion", settings.version.clone()));
        values.push(("policyDate", long_date(policy, settings.date)));
    }
    values
}

/// A number of days in the locale's words: whole years as years.
pub fn days(locale: &Locale, days: u32) -> String {
    let (amount, unit) = if days.is_multiple_of(365) { (days / 365, TimeUnit::Year) } else { (days, TimeUnit::Day) };
    locale.duration(CookieDuration::Span { amount, unit })
}

/// "1 March 2026", "1er mars 2026", "1. März 2026"... in the policy file's words.
pub fn long_date(policy: &PolicyText, date: super::config::PolicyDate) -> String {
    let day = if date.day == 1 { policy.section("date.firstDay").to_string() } else { date.day.to_string() };
    policy
        .section("date.format")
        .replace("{day}", &day)
        .replace("{month}", policy.section(&format!("months.{}", date.month)))
        .replace("{year}", &date.year.to_string())
}

fn text(value: &str) -> Vec<Inline> {
    vec![Inline::Text(value.to_string())]
}

/// Writes the generated sections in the locale's words.
struct Generator<'a> {
    locale: &'a Locale,
    policy: &'a PolicyText,
    config: &'a Config,
}

impl Generator<'_> {
    fn generate(&self, kind: Generated) -> Vec<PolicyBlock> {
        match kind {
            Generated::Controller => self.controller(),
            Generated::Dpo => self.dpo(),
            Generated::EuRepresentative => self.eu_representative(),
            Generated::Recipients => self.recipients(),
            Generated::ConsentCategories => self.consent_categories(),
            Generated::Cookies => self.cookies(),
        }
    }

    fn labelled(&self, key: &str, value: &str) -> Vec<Inline> {
        text(&self.locale.labelled(self.policy.section(key), value))
    }

    /// A name, then each contact that is given, one per line.
    fn contacts(&self, name: &str, address: Option<&str>, email: Option<&str>, page: Option<&str>) -> PolicyBlock {
        let mut items = vec![text(name)];
        if let Some(address) = address {
            items.push(self.labelled("address", address));
        }
        if let Some(email) = email {
            items.push(self.labelled("email", email));
        }
        if let Some(href) = page {
            // Links were checked when the configuration was read; a bad one stays text.
            items.push(render_inline(&format!("[{}]({href})", self.policy.section("contactForm")), &|_| None));
        }
        PolicyBlock::List(items)
    }

    fn controller(&self) -> Vec<PolicyBlock> {
        let company = &self.config.company;
        vec![self.contacts(
            &company.name,
            company.address.as_deref(),
            company.email.as_deref(),
            company.contact_url.as_deref(),
        )]
    }

    fn dpo(&self) -> Vec<PolicyBlock> {
        let Some(dpo) = &self.config.company.dpo else { return Vec::new() };
        vec![self.contacts(&dpo.name, dpo.address.as_deref(), dpo.email.as_deref(), dpo.contact_url.as_deref())]
    }

    fn eu_representative(&self) -> Vec<PolicyBlock> {
        let Some(representative) = &self.config.company.eu_representative else { return Vec::new() };
        vec![self.contacts(&representative.name, Some(&representative.address), representative.email.as_deref(), None)]
    }

    /// A table of every configured service, then how each transfer abroad is safeguarded.
    fn recipients(&self) -> Vec<PolicyBlock> {
        let services: Vec<(&Category, &super::config::Service)> = self
            .config
            .categories
            .iter()
            .flat_map(|category| category.services.iter().map(move |service| (category, service)))
            .collect();
        if services.is_empty() {
            return vec![PolicyBlock::Paragraph(text(self.policy.section("recipients.none")))];
        }
        let headers = ["service", "category", "provider", "country", "safeguard"]
            .iter()
            .map(|key| self.policy.section(&format!("recipients.{key}")).to_string())
            .collect();
        let rows = services
            .iter()
            .map(|(category, service)| {
                let safeguard = service.transfer_safeguard().map_or("none", Safeguard::name);
                vec![
                    service.name.clone(),
                    self.locale.category_title(category, self.config),
                    service.provider.clone(),
                    self.policy.country(&service.country).to_string(),
                    self.policy.section(&format!("safeguards.{safeguard}")).to_string(),
                ]
            })
            .collect();
        let mut blocks = vec![
            PolicyBlock::Paragraph(text(self.policy.section("recipients.intro"))),
            PolicyBlock::Table { headers, rows },
        ];
        let used: Vec<Safeguard> = [Safeguard::Adequacy, Safeguard::Dpf, Safeguard::Scc]
            .into_iter()
            .filter(|safeguard| services.iter().any(|(_, service)| service.transfer_safeguard() == Some(*safeguard)))
            .collect();
        if used.is_empty() {
            blocks.push(PolicyBlock::Paragraph(text(self.policy.section("recipients.noTransfer"))));
        }
        for safeguard in used {
            blocks.push(PolicyBlock::Paragraph(text(
                self.policy.section(&format!("safeguardNotes.{}", safeguard.name())),
            )));
        }
        blocks
    }

    fn consent_categories(&self) -> Vec<PolicyBlock> {
        let optional: Vec<&Category> = self.config.categories.iter().filter(|category| !category.required).collect();
        if optional.is_empty() {
            return vec![PolicyBlock::Paragraph(text(self.policy.section("consent.none")))];
        }
        let items = optional
            .iter()
            .map(|category| {
                text(&self.locale.labelled(
                    &self.locale.category_title(category, self.config),
                    &self.locale.category_description(category, self.config),
                ))
            })
            .collect();
        vec![PolicyBlock::Paragraph(text(self.policy.section("consent.intro"))), PolicyBlock::List(items)]
    }

    /// One subsection per category: its description, whether it needs consent, its services
    /// and its cookie table, the widget's own storage included.
    fn cookies(&self) -> Vec<PolicyBlock> {
        let (locale, config) = (self.locale, self.config);
        let language = &locale.code;
        let mut blocks = Vec::new();
        let mut section = |id: &str,
                           title: String,
                           description: String,
                           required: bool,
                           services: Vec<Vec<Inline>>,
                           rows: Vec<CookieRow>| {
            blocks.push(PolicyBlock::Heading { level: 3, id: format!("{COOKIES_SECTION_ID}-{id}"), text: title });
            blocks.push(PolicyBlock::Paragraph(text(&description)));
            let status = if required { "cookies.required" } else { "cookies.optional" };
            blocks.push(PolicyBlock::Paragraph(text(self.policy.section(status))));
            if !services.is_empty() {
                blocks.push(PolicyBlock::List(services));
            }
            if rows.is_empty() {
                blocks.push(PolicyBlock::Paragraph(text(locale.text("preferences.noCookies"))));
            } else {
                blocks.push(cookie_table(locale, &rows));
            }
        };
        for category in &config.categories {
            let services = category
                .services
                .iter()
                .map(|service| match &service.description {
                    Some(description) => {
                        text(&locale.labelled(&service.name, description.get(language, &config.languages.default)))
                    }
                    None => text(&service.name),
                })
                .collect();
            section(
                &category.id,
                locale.category_title(category, config),
                locale.category_description(category, config),
                category.required,
                services,
                cookie_rows(locale, config, category),
            );
        }
        if own_storage_category(config).is_none() {
            // The consent cookie is set all the same: list it under the necessary title.
            section(
                "necessary",
                locale.text("categories.necessary.title").to_string(),
                locale.text("categories.necessary.description").to_string(),
                true,
                Vec::new(),
                own_storage_rows(locale, config),
            );
        }
        blocks
    }
}

/// One row of a cookie table, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieRow {
    pub name: String,
    pub provider: String,
    pub purpose: String,
    pub duration: String,
}

/// The category whose table lists the widget's own storage: the first required one.
pub fn own_storage_category(config: &Config) -> Option<&str> {
    config.categories.iter().find(|category| category.required).map(|category| category.id.as_str())
}

/// The name under which the proof-of-consent queue is kept in `localStorage`.
pub const OUTBOX_KEY: &str = "consent_widget_outbox";

/// The consent cookie and, when decisions are recorded, the outbox: what the widget itself
/// stores, unless the site lists them already.
pub fn own_storage_rows(locale: &Locale, config: &Config) -> Vec<CookieRow> {
    let listed =
        |name: &str| config.categories.iter().flat_map(|category| &category.cookies).any(|cookie| cookie.name == name);
    let mut rows = Vec::new();
    if !listed(&config.cookie.name) {
        rows.push(CookieRow {
            name: config.cookie.name.clone(),
            provider: config.company.name.clone(),
            purpose: locale.text("preferences.ownCookie").to_string(),
            duration: locale
                .duration(CookieDuration::Span { amount: config.cookie.lifetime_days, unit: TimeUnit::Day }),
        });
    }
    if config.records.is_some() && !listed(OUTBOX_KEY) {
        rows.push(CookieRow {
            name: format!("{OUTBOX_KEY} (localStorage)"),
            provider: config.company.name.clone(),
            purpose: locale.text("preferences.ownOutbox").to_string(),
            duration: locale.text("preferences.untilSent").to_string(),
        });
    }
    rows
}

/// A category's cookie rows as shown in the preferences and the policy: the configured
/// ones, and the widget's own storage in the category that holds it.
pub fn cookie_rows(locale: &Locale, config: &Config, category: &Category) -> Vec<CookieRow> {
    let mut rows: Vec<CookieRow> = category
        .cookies
        .iter()
        .map(|cookie| CookieRow {
            name: cookie.name.clone(),
            provider: cookie.provider.clone(),
            purpose: cookie.purpose.get(&locale.code, &config.languages.default).to_string(),
            duration: locale.duration(cookie.duration),
        })
        .collect();
    if own_storage_category(config) == Some(category.id.as_str()) {
        rows.extend(own_storage_rows(locale, config));
    }
    rows
}

/// The table of cookies shown in the policy and in the preferences panel.
pub fn cookie_table(locale: &Locale, rows: &[CookieRow]) -> PolicyBlock {
    let headers = ["preferences.cookieName", "preferences.provider", "preferences.purpose", "preferences.duration"]
        .iter()
        .map(|key| locale.text(key).to_string())
        .collect();
    let rows = rows
        .iter()
        .map(|row| vec![row.name.clone(), row.provider.clone(), row.purpose.clone(), row.duration.clone()])
        .collect();
    PolicyBlock::Table { headers, rows }
}

#[cfg(test)]
mod tests;
