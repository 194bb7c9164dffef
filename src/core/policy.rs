//! The privacy policy as a document model. A locale's policy file holds the document's
//! blocks (headings, paragraphs and lists, some shown only when the site has what they
//! speak of), the words of the sections generated from the configuration, and the names
//! of countries. [`PolicyDocument::build`] fills in the site's details and generates
//! what must match the site: who is responsible, the recipients and transfers, the
//! categories that need consent, and the cookie tables.

use super::btree;
#[cfg(test)]
use super::config::CookieInfo;
use super::config::{ActivityKind, Category, Config, Jurisdiction, PolicySection};
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
        requires: Vec<Requirement>,
    },
    Paragraph {
        text: String,
        requires: Vec<Requirement>,
    },
    List {
        items: Vec<String>,
        requires: Vec<Requirement>,
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
    /// The Swiss representative's name and contacts (nothing when there is none).
    SwissRepresentative,
    /// Every configured service and other recipient: provider, country, transfer safeguard.
    Recipients,
    /// The categories used only with consent.
    ConsentCategories,
    /// One subsection per category: its services and cookie table.
    Cookies,
}

impl Generated {
    const NAMES: [(&str, Generated); 7] = [
        ("controller", Generated::Controller),
        ("dpo", Generated::Dpo),
        ("euRepresentative", Generated::EuRepresentative),
        ("swissRepresentative", Generated::SwissRepresentative),
        ("recipients", Generated::Recipients),
        ("consentCategories", Generated::ConsentCategories),
        ("cookies", Generated::Cookies),
    ];
}

/// A block shown only when the configuration has what it speaks of: a block lists any number,
/// and is shown when all of them hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Dpo,
    EuRepresentative,
    SwissRepresentative,
    /// Decisions are recorded (`records` is configured).
    Records,
    /// No record leaves the browser.
    NoRecords,
    /// At least one category needs consent.
    OptionalCategories,
    FloatingButton,
    /// The configuration gives the policy's date and version.
    PolicyVersion,
    /// Google Consent Mode is on.
    ConsentMode,
    /// Recipients beyond the website's services are listed (`recipients`).
    Recipients,
    /// The company runs this activity (`processing`; the website always).
    Activity(ActivityKind),
    /// The company runs this activity and states how long it keeps its data.
    Retention(ActivityKind),
    /// The controller is Swiss (`CH`) or established in the EU (`EU`: any EU jurisdiction).
    Jurisdiction(Jurisdiction),
    /// The controller answers to exactly this jurisdiction (`law:EU` is an EU company with no
    /// national variant).
    Law(Jurisdiction),
}

impl Requirement {
    const NAMES: [(&str, Requirement); 10] = [
        ("dpo", Requirement::Dpo),
        ("euRepresentative", Requirement::EuRepresentative),
        ("swissRepresentative", Requirement::SwissRepresentative),
        ("records", Requirement::Records),
        ("noRecords", Requirement::NoRecords),
        ("optionalCategories", Requirement::OptionalCategories),
        ("floatingButton", Requirement::FloatingButton),
        ("policyVersion", Requirement::PolicyVersion),
        ("consentMode", Requirement::ConsentMode),
        ("recipients", Requirement::Recipients),
    ];

    /// `activity:orders`, `retention:jobs`, `jurisdiction:CH`, `law:FR`, or one of [`Self::NAMES`].
    fn parse(name: &str) -> Option<Requirement> {
        if let Some((kind, value)) = name.split_once(':') {
            let jurisdiction = || Jurisdiction::NAMES.iter().find(|(known, _)| *known == value).map(|(_, j)| *j);
            return match kind {
                "activity" => ActivityKind::parse(value).map(Requirement::Activity),
                "retention" => ActivityKind::parse(value).map(Requirement::Retention),
                "jurisdiction" if matches!(value, "CH" | "EU") => jurisdiction().map(Requirement::Jurisdiction),
                "law" => jurisdiction().map(Requirement::Law),
                _ => None,
            };
        }
        Self::NAMES.iter().find(|(known, _)| *known == name).map(|(_, requirement)| *requirement)
    }

    pub fn met(self, config: &Config) -> bool {
        let activity = |kind: ActivityKind| config.processing.iter().find(|activity| activity.activity == kind);
        match self {
            Requirement::Dpo => config.company.dpo.is_some(),
            Requirement::EuRepresentative => config.company.eu_representative.is_some(),
            Requirement::SwissRepresentative => config.company.swiss_representative.is_some(),
            Requirement::Records => config.records.is_some(),
            Requirement::NoRecords => config.records.is_none(),
            Requirement::OptionalCategories => config.categories.iter().any(|category| !category.required),
            Requirement::FloatingButton => config.floating_button.enabled,
            Requirement::PolicyVersion => config.policy.is_some(),
            Requirement::ConsentMode => config.consent_mode.as_ref().is_some_and(|mode| mode.enabled),
            Requirement::Recipients => !config.recipients.is_empty(),
            Requirement::Activity(ActivityKind::Website) => true,
            Requirement::Activity(kind) => activity(kind).is_some(),
            Requirement::Retention(kind) => activity(kind).is_some_and(|activity| activity.retention.is_some()),
            Requirement::Jurisdiction(Jurisdiction::CH) => config.company.jurisdiction == Jurisdiction::CH,
            Requirement::Jurisdiction(_) => config.company.jurisdiction.in_eu(),
            Requirement::Law(jurisdiction) => config.company.jurisdiction == jurisdiction,
        }
    }
}

/// The placeholders policy text may use, and the requirement under which each has a value.
pub const PLACEHOLDERS: [(&str, Option<Requirement>); 11] = [
    ("company", None),
    ("cookieName", None),
    ("cookieLifetime", None),
    ("recordsRetention", Some(Requirement::Records)),
    ("policyDate", Some(Requirement::PolicyVersion)),
    ("policyVersion", Some(Requirement::PolicyVersion)),
    ("retentionWebsite", Some(Requirement::Retention(ActivityKind::Website))),
    ("retentionContact", Some(Requirement::Retention(ActivityKind::Contact))),
    ("retentionAccounts", Some(Requirement::Retention(ActivityKind::Accounts))),
    ("retentionJobs", Some(Requirement::Retention(ActivityKind::Jobs))),
    ("retentionSupport", Some(Requirement::Retention(ActivityKind::Support))),
];

/// The placeholder that names an activity's retention.
fn retention_placeholder(kind: ActivityKind) -> Option<&'static str> {
    PLACEHOLDERS
        .iter()
        .find(|(_, requirement)| *requirement == Some(Requirement::Retention(kind)))
        .map(|(name, _)| *name)
}

/// An in-text link to this reserved target opens the cookie settings instead of a page.
pub const PREFERENCES_HREF: &str = "#preferences";

/// What must be identical in every translation of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockShape {
    Heading { level: u8, id: String, requires: Vec<Requirement> },
    Paragraph { requires: Vec<Requirement> },
    List { items: usize, requires: Vec<Requirement> },
    Generated(Generated),
}

impl Block {
    pub fn shape(&self) -> BlockShape {
        match self {
            Block::Heading { level, id, requires, .. } => {
                BlockShape::Heading { level: *level, id: id.clone(), requires: requires.clone() }
            }
            Block::Paragraph { requires, .. } => BlockShape::Paragraph { requires: requires.clone() },
            Block::List { items, requires } => BlockShape::List { items: items.len(), requires: requires.clone() },
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

    /// What must all hold for the block to be shown.
    pub fn requirements(&self) -> &[Requirement] {
        match self {
            Block::Heading { requires, .. } | Block::Paragraph { requires, .. } | Block::List { requires, .. } => {
                requires
            }
            Block::Generated(_) => &[],
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
                    requires: members.read("requires", Requirement::read_all)?.unwrap_or_default(),
                }
            }
            "paragraph" => {
                let members = field.object(&["type", "text", "requires"])?;
                Block::Paragraph {
                    text: members.required("text")?.string()?,
                    requires: members.read("requires", Requirement::read_all)?.unwrap_or_default(),
                }
            }
            "list" => {
                let members = field.object(&["type", "items", "requires"])?;
                Block::List {
                    items: members.required("items")?.list(Field::string)?,
                    requires: members.read("requires", Requirement::read_all)?.unwrap_or_default(),
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
    /// One requirement's name, or a list of them (all must hold).
    fn read_all(field: &Field) -> Result<Vec<Requirement>, JsonError> {
        if field.value.as_str().is_some() {
            return Ok(vec![Requirement::read(field)?]);
        }
        field.list(Requirement::read)
    }

    fn read(field: &Field) -> Result<Requirement, JsonError> {
        let name = field.str()?;
        Requirement::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Requirement::NAMES.iter().map(|(name, _)| *name).collect();
            field.error(format!(
                "unknown requirement `{name}`, expected one of {}, activity:<activity>, retention:<activity>, \
                 jurisdiction:CH, jurisdiction:EU or law:<CH, EU, FR, DE, AT, IT, ES>",
                known.join(", ")
            ))
        })
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
                    Some((_, Some(needed))) if !block.requirements().contains(needed) => problems.push(format!(
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
            Inline::Text(_) | Inline::Strong(_) => None,
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
        let omitted = omitted_blocks(&policy.blocks, config.policy.as_ref().map_or(&[][..], |settings| &settings.omit));
        let mut blocks = Vec::new();
        for (index, block) in policy.blocks.iter().enumerate() {
            if omitted.contains(&index)
                || !block.requirements().iter().all(|requirement| requirement.met(config))
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
        let mut document = PolicyDocument { blocks };
        if locale.code == "de" && config.company.jurisdiction == Jurisdiction::CH {
            document.map_texts(swiss_german);
        }
        // The site's own sections, in its own words: after the Swiss rewording, which is the
        // built-in text's, not theirs.
        for section in config.policy.as_ref().map_or(&[][..], |settings| &settings.extra) {
            document.insert(section, &locale.code, &config.languages.default, &lookup);
        }
        document
    }

    /// Inserts a section of the site's own before the heading it names, at its level.
    fn insert(
        &mut self,
        section: &PolicySection,
        language: &str,
        fallback: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) {
        let before = section.before.as_deref().and_then(|before| {
            self.blocks.iter().position(|block| matches!(block, PolicyBlock::Heading { id, .. } if id == before))
        });
        let level = match before.map(|index| &self.blocks[index]) {
            Some(PolicyBlock::Heading { level, .. }) => *level,
            _ => 2,
        };
        let heading = PolicyBlock::Heading {
            level,
            id: section.id.clone(),
            text: section.title.get(language, fallback).to_string(),
        };
        let paragraphs = section
            .paragraphs
            .iter()
            .map(|text| PolicyBlock::Paragraph(render_inline(text.get(language, fallback), lookup)));
        let at = before.unwrap_or(self.blocks.len());
        self.blocks.splice(at..at, std::iter::once(heading).chain(paragraphs));
    }

    /// Rewrites every text the document shows (headings, inline texts, link labels, cells).
    fn map_texts(&mut self, change: impl Fn(&str) -> String) {
        let inline = |pieces: &mut Vec<Inline>| {
            for piece in pieces {
                match piece {
                    Inline::Text(text) | Inline::Strong(text) => *text = change(text),
                    Inline::Link { label, .. } => *label = change(label),
                }
            }
        };
        for block in &mut self.blocks {
            match block {
                PolicyBlock::Heading { text, .. } => *text = change(text),
                PolicyBlock::Paragraph(pieces) => inline(pieces),
                PolicyBlock::List(items) => items.iter_mut().for_each(inline),
                PolicyBlock::Table { headers, rows } => {
                    for cell in headers.iter_mut().chain(rows.iter_mut().flatten()) {
                        *cell = change(cell);
                    }
                }
            }
        }
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

/// The indexes of the blocks `omit` leaves out: each heading named, and what follows it up to
/// the next heading of its level or above.
fn omitted_blocks(blocks: &[Block], omit: &[String]) -> Vec<usize> {
    let mut omitted = Vec::new();
    let mut within: Option<u8> = None;
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Heading { level, id, .. } = block {
            if within.is_some_and(|omitted_level| *level <= omitted_level) {
                within = None;
            }
            if within.is_none() && omit.iter().any(|name| name == id) {
                within = Some(*level);
            }
        }
        if within.is_some() {
            omitted.push(index);
        }
    }
    omitted
}

/// German as a Swiss controller writes it: no ß, and the terms of the Swiss Data Protection Act
/// ("Personendaten", "bearbeiten"). The German policy is written so that these replacements
/// give correct Swiss German (a test reads every block through them).
pub fn swiss_german(text: &str) -> String {
    text.replace('ß', "ss")
        .replace("personenbezogenen Daten", "Personendaten")
        .replace("personenbezogene Daten", "Personendaten")
        .replace("Verarbeit", "Bearbeit")
        .replace("verarbeit", "bearbeit")
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
    for activity in &config.processing {
        if let (Some(name), Some(retention)) = (retention_placeholder(activity.activity), activity.retention) {
            values.push((name, locale.duration(retention)));
        }
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
            Generated::SwissRepresentative => self.swiss_representative(),
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
        self.representative(self.config.company.eu_representative.as_ref())
    }

    fn swiss_representative(&self) -> Vec<PolicyBlock> {
        self.representative(self.config.company.swiss_representative.as_ref())
    }

    fn representative(&self, representative: Option<&super::config::EuRepresentative>) -> Vec<PolicyBlock> {
        let Some(representative) = representative else { return Vec::new() };
        vec![self.contacts(&representative.name, Some(&representative.address), representative.email.as_deref(), None)]
    }

    /// A table of every configured service and other recipient, then how each transfer abroad
    /// is safeguarded.
    fn recipients(&self) -> Vec<PolicyBlock> {
        let mut rows: Vec<(Vec<String>, Option<Safeguard>)> = Vec::new();
        for category in &self.config.categories {
            for service in &category.services {
                let safeguard = service.transfer_safeguard();
                rows.push((
                    vec![
                        service.name.clone(),
                        self.locale.category_title(category, self.config),
                        service.provider.clone(),
                        self.policy.country(&service.country).to_string(),
                        self.safeguard(safeguard),
                    ],
                    safeguard,
                ));
            }
        }
        for recipient in &self.config.recipients {
            let safeguard = recipient.transfer_safeguard();
            rows.push((
                vec![
                    self.policy.section(&format!("recipients.purposes.{}", recipient.purpose.name())).to_string(),
                    self.policy.section("recipients.processor").to_string(),
                    recipient.name.clone(),
                    self.policy.country(&recipient.country).to_string(),
                    self.safeguard(safeguard),
                ],
                safeguard,
            ));
        }
        // A cookie's provider the configuration does not declare (warned of in the console) is
        // listed with its country and safeguard not stated: the policy never says that no one
        // receives data, nor that nothing leaves Switzerland and the EEA, while one does.
        let mut undeclared: Vec<(String, usize)> = Vec::new();
        for row in self.config.undeclared_cookie_providers() {
            let key = (row.cookie.provider.clone(), row.category);
            if undeclared.contains(&key) {
                continue;
            }
            let not_stated = self.policy.section("recipients.notStated").to_string();
            rows.push((
                vec![
                    row.cookie.provider.clone(),
                    self.locale.category_title(&self.config.categories[row.category], self.config),
                    row.cookie.provider.clone(),
                    not_stated.clone(),
                    not_stated,
                ],
                None,
            ));
            undeclared.push(key);
        }
        if rows.is_empty() {
            return vec![PolicyBlock::Paragraph(text(self.policy.section("recipients.none")))];
        }
        let headers = ["service", "category", "provider", "country", "safeguard"]
            .iter()
            .map(|key| self.policy.section(&format!("recipients.{key}")).to_string())
            .collect();
        let used: Vec<Safeguard> = [Safeguard::Adequacy, Safeguard::Dpf, Safeguard::Scc]
            .into_iter()
            .filter(|safeguard| rows.iter().any(|(_, used)| *used == Some(*safeguard)))
            .collect();
        let mut blocks = vec![
            PolicyBlock::Paragraph(text(self.policy.section("recipients.intro"))),
            PolicyBlock::Table { headers, rows: rows.into_iter().map(|(cells, _)| cells).collect() },
        ];
        if used.is_empty() && undeclared.is_empty() {
            blocks.push(PolicyBlock::Paragraph(text(self.policy.section("recipients.noTransfer"))));
        }
        for safeguard in used {
            blocks.push(PolicyBlock::Paragraph(text(
                self.policy.section(&format!("safeguardNotes.{}", safeguard.name())),
            )));
        }
        blocks.extend(self.roles());
        blocks
    }

    /// Who answers for what each service does with the data, and the provider's own policy
    /// (GDPR art. 13(1)(e) and 26(2)): for every service that states either.
    fn roles(&self) -> Vec<PolicyBlock> {
        let services = self.config.categories.iter().flat_map(|category| &category.services);
        let items: Vec<Vec<Inline>> = services
            .filter(|service| service.role.is_some() || service.privacy_policy.is_some())
            .map(|service| {
                let about = |key: &str| self.policy.section(key).replace("{provider}", &service.provider);
                let role = service.role.map(|role| about(&format!("recipients.roles.{}", role.name())));
                let mut item = text(&self.locale.labelled(&service.name, role.as_deref().unwrap_or_default()));
                if let Some(href) = &service.privacy_policy {
                    item.push(Inline::Text(if role.is_some() { " ".into() } else { String::new() }));
                    item.push(Inline::Link { label: about("recipients.roles.policyLink"), href: href.clone() });
                }
                item
            })
            .collect();
        if items.is_empty() {
            return Vec::new();
        }
        vec![PolicyBlock::Paragraph(text(self.policy.section("recipients.roles.intro"))), PolicyBlock::List(items)]
    }

    fn safeguard(&self, safeguard: Option<Safeguard>) -> String {
        self.policy.section(&format!("safeguards.{}", safeguard.map_or("none", Safeguard::name))).to_string()
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
pub const OUTBOX_KEY: &str = super::outbox::STORAGE_KEY;

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
