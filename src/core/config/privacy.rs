//! What the company does with personal data beyond its cookies, as the privacy policy needs to
//! say it: the law it answers to first (`company.jurisdiction`), the activities it runs
//! (`processing`), and the recipients beyond its website services (`recipients`).

use super::super::country::Safeguard;
use super::super::duration::CookieDuration;
use super::super::json::{Field, JsonError};

/// The law the controller answers to first: Switzerland, or the EU with its national variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Jurisdiction {
    #[default]
    CH,
    /// An EU company with no national variant in the policy: EU law only.
    EU,
    FR,
    DE,
    AT,
    IT,
    ES,
}

impl Jurisdiction {
    pub const NAMES: [(&str, Jurisdiction); 7] = [
        ("CH", Jurisdiction::CH),
        ("EU", Jurisdiction::EU),
        ("FR", Jurisdiction::FR),
        ("DE", Jurisdiction::DE),
        ("AT", Jurisdiction::AT),
        ("IT", Jurisdiction::IT),
        ("ES", Jurisdiction::ES),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, jurisdiction)| *jurisdiction == self).map_or("CH", |(name, _)| name)
    }

    /// Whether the controller is established in the EU.
    pub fn in_eu(self) -> bool {
        self != Jurisdiction::CH
    }

    pub(super) fn read(field: &Field) -> Result<Jurisdiction, JsonError> {
        field.one_of(&Self::NAMES, "a jurisdiction")
    }
}

/// Who answers for what a website service does with the data it receives (GDPR art. 4(7),
/// 26 and 28): the policy says it for each service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum ServiceRole {
    /// Works on the company's behalf and on its instructions only.
    Processor,
    /// Decides on its own what it does with the data.
    Controller,
    /// Decides with the company on collecting the data on the site and sending them on
    /// (CJEU C-40/17 Fashion ID), and on its own on what it does with them afterwards.
    JointController,
}

impl ServiceRole {
    pub const NAMES: [(&str, ServiceRole); 3] = [
        ("processor", ServiceRole::Processor),
        ("controller", ServiceRole::Controller),
        ("jointController", ServiceRole::JointController),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, role)| *role == self).map_or("processor", |(name, _)| name)
    }

    pub(in super::super) fn read(field: &Field) -> Result<ServiceRole, JsonError> {
        field.one_of(&Self::NAMES, "a role")
    }
}

/// What a company may do with personal data, beyond visitors reading its website (which every
/// site does, and its policy always describes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum ActivityKind {
    /// The website itself: its server's logs. Declared only to give their retention.
    Website,
    /// Contact by e-mail or form.
    Contact,
    /// Customer accounts with a login.
    Accounts,
    /// Orders and payments.
    Orders,
    Newsletter,
    /// Job applications.
    Jobs,
    /// Customer support.
    Support,
    /// Hosting websites, e-mail or data for customers, as their processor.
    Hosting,
}

impl ActivityKind {
    pub const NAMES: [(&str, ActivityKind); 8] = [
        ("website", ActivityKind::Website),
        ("contact", ActivityKind::Contact),
        ("accounts", ActivityKind::Accounts),
        ("orders", ActivityKind::Orders),
        ("newsletter", ActivityKind::Newsletter),
        ("jobs", ActivityKind::Jobs),
        ("support", ActivityKind::Support),
        ("hosting", ActivityKind::Hosting),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, kind)| *kind == self).map_or("website", |(name, _)| name)
    }

    pub fn parse(name: &str) -> Option<ActivityKind> {
        Self::NAMES.iter().find(|(known, _)| *known == name).map(|(_, kind)| *kind)
    }
}

/// One activity the company runs, and how long it keeps that activity's data where the policy
/// states it (the server logs' for `website`, after an account is closed for `accounts`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Activity {
    pub activity: ActivityKind,
    pub retention: Option<CookieDuration>,
}

impl Activity {
    pub const FIELDS: &[&str] = &["activity", "retention"];

    pub(super) fn read(field: &Field) -> Result<Activity, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let activity = members.required("activity")?.one_of(&ActivityKind::NAMES, "an activity")?;
        let retention = match members.optional("retention") {
            Some(retention) => Some(
                CookieDuration::try_from(retention.string()?).map_err(|error| retention.error(error.to_string()))?,
            ),
            None => None,
        };
        Ok(Activity { activity, retention })
    }
}

/// What a recipient beyond the website's services does for the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum RecipientPurpose {
    /// Hosting of the website and its data.
    Hosting,
    Email,
    /// Customer relationship management.
    Crm,
    Accounting,
    Payment,
    Support,
    /// IT services and maintenance.
    It,
    /// Lawyers, auditors and other advisers.
    Advisers,
    /// Other companies of the group.
    Group,
    Other,
}

impl RecipientPurpose {
    pub const NAMES: [(&str, RecipientPurpose); 10] = [
        ("hosting", RecipientPurpose::Hosting),
        ("email", RecipientPurpose::Email),
        ("crm", RecipientPurpose::Crm),
        ("accounting", RecipientPurpose::Accounting),
        ("payment", RecipientPurpose::Payment),
        ("support", RecipientPurpose::Support),
        ("it", RecipientPurpose::It),
        ("advisers", RecipientPurpose::Advisers),
        ("group", RecipientPurpose::Group),
        ("other", RecipientPurpose::Other),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, purpose)| *purpose == self).map_or("other", |(name, _)| name)
    }
}

/// A processor or other recipient of personal data beyond the website's services: who, for
/// what, where, and what makes a transfer abroad lawful.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Recipient {
    /// The legal entity, e.g. `Microsoft Ireland Operations Ltd (Microsoft 365)`.
    pub name: String,
    pub purpose: RecipientPurpose,
    /// ISO 3166-1 alpha-2, e.g. `IE`.
    pub country: String,
    pub safeguard: Option<Safeguard>,
}

impl Recipient {
    pub const FIELDS: &[&str] = &["name", "purpose", "country", "safeguard"];

    pub(super) fn read(field: &Field) -> Result<Recipient, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let purpose = members.required("purpose")?;
        let name = purpose.str()?;
        let purpose =
            RecipientPurpose::NAMES.iter().find(|(known, _)| *known == name).map(|(_, p)| *p).ok_or_else(|| {
                let known: Vec<&str> = RecipientPurpose::NAMES.iter().map(|(name, _)| *name).collect();
                purpose.error(format!("`{name}` is not a purpose: use one of {}", known.join(", ")))
            })?;
        Ok(Recipient {
            name: members.required("name")?.string()?,
            purpose,
            country: members.required("country")?.string()?,
            safeguard: members.read("safeguard", super::read_safeguard)?,
        })
    }

    /// The safeguard the transfer rests on; `None` when the data stays in Switzerland or the EEA.
    pub fn transfer_safeguard(&self) -> Option<Safeguard> {
        super::super::country::effective_safeguard(&self.country, self.safeguard)
    }
}
